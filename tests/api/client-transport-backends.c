/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "client-transport-tests.h"

/* A misbehaving backend (an in-process SoupServer that breaks the API on purpose): the
 * client's own checks of what it is sent. The real server never answers like this. */

/* How many POST /connect_sessions the misbehaving backend answers 503 before 201. */
static guint bad_backend_busy_answers;
static guint bad_backend_session_hits;

static void
on_bad_backend_request (SoupServer        *server,
                        SoupServerMessage *message,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  const char *body = NULL;
  const char *type = "application/json";
  guint status = 200;

  if (g_str_equal (path, "/project"))
    /* "name" is missing */
    body = "{\"id\": \"p1\", \"region\": \"eu1\", \"role\": \"admin\", "
           "\"plan\": {\"name\": \"growth\", \"categories\": [\"hris\"]}}";
  else if (g_str_equal (path, "/integrations"))
    /* a page whose item lacks "connector_key"; a cursor that never ends */
    body = query != NULL && g_strcmp0 (g_hash_table_lookup (query, "page_size"), "1000") == 0
           ? "{\"data\": [], \"next\": \"same\"}"
           : "{\"data\": [{\"id\": \"i1\", \"name\": \"x\"}], \"next\": null}";
  else if (g_str_equal (path, "/accounts"))
    body = "this is not JSON";
  else if (g_str_equal (path, "/connect_sessions"))
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

      if (bad_backend_session_hits++ < bad_backend_busy_answers)
        {
          status = 503;
          body = "{\"statusCode\": 503, \"code\": \"busy\", "
                 "\"message\": \"The server is busy. Try again in a moment.\"}";
          /* Alternate the two forms of Retry-After: seconds, and an HTTP date (past). */
          soup_message_headers_replace (headers, "Retry-After",
                                        bad_backend_session_hits % 2 == 1
                                        ? "0" : "Sun, 06 Nov 1994 08:49:37 GMT");
        }
      else
        {
          status = 201;
          body = "{\"id\": \"cs_1\", \"token\": \"t\"}";
        }
    }
  else if (g_str_equal (path, "/requests/logs"))
    {
      status = 502;
      type = "text/html";
      body = "<html><body>Bad gateway</body></html>";
    }
  else
    status = 404;

  soup_server_message_set_status (message, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (message, type, SOUP_MEMORY_STATIC, body, strlen (body));
}

void
test_invalid_responses (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;
  GUri *uri;

  soup_server_add_handler (server, NULL, on_bad_backend_request, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  uri = uris->data;
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  client = pb_client_new (url, "pb_some_key");

  /* A model without a required field: named in the message. */
  g_assert_null (get_project (client, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_nonnull (strstr (error->message, "“name”"));
  g_clear_error (&error);

  AWAIT (pb_client_list_integrations_async, client, NULL, 10, NULL, NULL);
  g_assert_null (pb_client_list_integrations_finish (client, result, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "connector_key"));
  g_clear_error (&error);
  g_clear_object (&result);

  /* A cursor that repeats does not loop the client forever. */
  AWAIT (pb_client_list_all_integrations_async, client, NULL, NULL);
  g_assert_null (pb_client_list_all_integrations_finish (client, result, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Not JSON at all. */
  AWAIT (pb_client_list_accounts_async, client, NULL, 0, NULL, NULL);
  g_assert_null (pb_client_list_accounts_finish (client, result, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_clear_object (&result);

  /* An error status without the JSON error body: a sentence of the client's, the status
   * kept in the error. */
  AWAIT (pb_client_list_logs_async, client, NULL, 0, NULL, NULL);
  g_assert_null (pb_client_list_logs_finish (client, result, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_SERVER);
  g_assert_cmpuint (pb_api_error_get_status (error), !=, 0);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 502);
  g_assert_null (pb_api_error_get_code (error));
  g_assert_nonnull (strstr (error->message, url));
  g_assert_nonnull (strstr (error->message, "502"));
  g_clear_error (&error);
  g_clear_object (&result);

  /* 503 is retried: busy twice, then served. */
  {
    g_autoptr(JsonObject) body = json_object_new ();
    g_autoptr(JsonObject) session = NULL;

    bad_backend_busy_answers = 2;
    bad_backend_session_hits = 0;
    AWAIT (pb_client_create_connect_session_async, client, body, NULL);
    session = pb_client_create_connect_session_finish (client, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (session, "id"), ==, "cs_1");
    g_assert_cmpuint (bad_backend_session_hits, ==, 3);
    g_clear_object (&result);

    /* Busy for good: max_retries retries, then SERVER with the body kept. */
    bad_backend_busy_answers = 100;
    bad_backend_session_hits = 0;
    pb_client_set_max_retries (client, 2);
    AWAIT (pb_client_create_connect_session_async, client, body, NULL);
    g_assert_null (pb_client_create_connect_session_finish (client, result, &error));
    g_assert_error (error, PB_API_ERROR, PB_API_ERROR_SERVER);
    g_assert_cmpuint (bad_backend_session_hits, ==, 3);
    g_assert_cmpuint (pb_api_error_get_status (error), !=, 0);
    g_assert_cmpuint (pb_api_error_get_status (error), ==, 503);
    g_assert_cmpstr (pb_api_error_get_code (error), ==, "busy");
    g_assert_cmpstr (error->message, ==, "The server is busy. Try again in a moment.");
  }

  soup_server_disconnect (server);
}

/* A backend whose pages end in other shapes than `, "next": "<cursor>"}`, or that lies there:
 * list-all reads the cursor from the end of a page's bytes to ask for the next page early;
 * whatever the end says, the parsed "next" decides. In-process, on the loopback. */

static GPtrArray *paging_backend_cursors;   /* the "next" of each request, "" for none */

static void
append_items (GString *body,
              guint    first,
              guint    count)
{
  for (guint i = first; i < first + count; i++)
    g_string_append_printf (body, "%s{\"id\": \"i%u\", \"name\": \"Integration %u\", "
                            "\"connector_key\": \"bamboohr\", "
                            "\"authentication_config_key\": \"api_key\", "
                            "\"active\": true, \"default\": false}",
                            i > first ? ", " : "", i, i);
}

static void
on_paging_backend_request (SoupServer        *server,
                           SoupServerMessage *message,
                           const char        *path,
                           GHashTable        *query,
                           gpointer           user_data)
{
  const char *next = query != NULL ? g_hash_table_lookup (query, "next") : NULL;
  const char *q = query != NULL ? g_hash_table_lookup (query, "q") : NULL;
  GString *body = g_string_new (NULL);
  guint status = 200;
  gsize length;

  g_ptr_array_add (paging_backend_cursors, g_strdup (next != NULL ? next : ""));

  if (!g_str_equal (path, "/integrations"))
    {
      status = 404;
      g_string_assign (body, "{\"statusCode\": 404, \"code\": \"not_found\", "
                             "\"message\": \"No such path.\"}");
    }
  else if (g_strcmp0 (q, "broken-item") == 0)
    {
      /* Large enough to be parsed in a worker thread; item 650 lacks "connector_key". */
      g_string_append (body, "{\"data\": [");
      append_items (body, 0, 650);
      g_string_append (body, ", {\"id\": \"i650\", \"name\": \"x\", "
                             "\"authentication_config_key\": \"api_key\", "
                             "\"active\": true, \"default\": false}, ");
      append_items (body, 651, 50);
      g_string_append (body, "], \"next\": \"c1\"}");
    }
  else if (g_strcmp0 (q, "not-json") == 0)
    {
      g_string_append (body, "<html><body>");
      for (guint i = 0; i < 5000; i++)
        g_string_append (body, "Not JSON at all. ");
      g_string_append (body, "</body></html>");
    }
  else if (g_strcmp0 (q, "fail-second") == 0)
    {
      /* The second page, asked for early, fails: the list fails with its error. */
      if (next == NULL)
        {
          g_string_append (body, "{\"data\": [");
          append_items (body, 0, 10);
          g_string_append (body, "], \"next\": \"f1\"}");
        }
      else
        {
          status = 500;
          g_string_assign (body, "{\"statusCode\": 500, \"code\": \"internal_error\", "
                                 "\"message\": \"The second page broke.\"}");
        }
    }
  else if (next == NULL)
    {
      /* "next" first: nothing to read at the end. Large: parsed in a worker thread. */
      g_string_append (body, "{\"next\": \"c1\", \"data\": [");
      append_items (body, 0, 700);
      g_string_append (body, "]}");
    }
  else if (g_str_equal (next, "c1"))
    {
      /* An escape in the cursor: only the parser may decode it ("c2"). */
      g_string_append (body, "{\"data\": [");
      append_items (body, 700, 10);
      g_string_append (body, "], \"next\": \"c\\u0032\"}");
    }
  else if (g_str_equal (next, "c2"))
    {
      /* A second document after the page: json-glib 1.6 reads the first one and ignores the
       * rest, so the end of the bytes names a cursor ("bogus") that the parsed page does not
       * have ("c3"). Valid JSON cannot do this (json-glib keeps the last of repeated members,
       * which is the one at the end), but a backend can. Large: parsed in a thread while
       * "bogus" is asked for. */
      g_string_append (body, "{\"data\": [");
      append_items (body, 710, 700);
      g_string_append (body, "], \"next\": \"c3\"} {\"data\": [], \"next\": \"bogus\"}");
    }
  else if (g_str_equal (next, "c3"))
    {
      /* A member after "next". */
      g_string_append (body, "{\"data\": [");
      append_items (body, 1410, 10);
      g_string_append (body, "], \"next\": \"c4\", \"more\": true}");
    }
  else if (g_str_equal (next, "c4"))
    {
      /* The API's shape, with trailing white space: "c5" is asked for early. */
      g_string_append (body, "{\"data\": [");
      append_items (body, 1420, 10);
      g_string_append (body, "], \"next\" : \"c5\" }\r\n  ");
    }
  else if (g_str_equal (next, "c5"))
    {
      /* The last page, whose end again names a cursor ("bogus2") that was never sent. */
      g_string_append (body, "{\"data\": [");
      append_items (body, 1430, 10);
      g_string_append (body, "], \"next\": null} {\"data\": [], \"next\": \"bogus2\"}");
    }
  else
    {
      /* What the real server says of a cursor it did not make. */
      status = 400;
      g_string_assign (body, "{\"statusCode\": 400, \"code\": \"validation_failed\", "
                             "\"message\": \"This cursor was not made by the server.\"}");
    }

  length = body->len;
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), length);
}

static GPtrArray *
list_all_or_error (PbClient       *client,
                   const char     *q,
                   GError        **error)
{
  g_autoptr(PbQuery) query = pb_query_new ();
  g_autoptr(GAsyncResult) result = NULL;

  if (q != NULL)
    pb_query_set (query, "q", q);
  AWAIT (pb_client_list_all_integrations_async, client, query, NULL);
  return pb_client_list_all_integrations_finish (client, result, error);
}

void
test_list_all_page_ends (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;
  g_autofree char *log = NULL;
  g_autofree char *prefix = NULL;
  guint n_requests;

  paging_backend_cursors = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (server, NULL, on_paging_backend_request, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  client = pb_client_new (url, "pb_some_key");

  /* Every item once and in order, whatever the pages' ends said. */
  captured_log = g_string_new (NULL);
  items = list_all_or_error (client, NULL, &error);
  log = g_string_free (g_steal_pointer (&captured_log), FALSE);
  g_assert_no_error (error);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_nonnull (items);
  g_assert_cmpuint (items->len, ==, 1440);
  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("i%u", i);

      g_assert_cmpstr (pb_integration_get_id (items->pdata[i]), ==, id);
    }

  /* Asked for: the six pages, plus "bogus" (after c2's end) and "bogus2" (after c5's end)
   * early, both dropped; "c5" was asked for early and taken. c1, c2, c3 and c4 were asked
   * for only once their previous page was parsed. */
  g_assert_cmpuint (pb_client_get_n_requests (client), ==, 8);
  g_assert_nonnull (strstr (log, "in a worker thread"));
  g_assert_nonnull (strstr (log, "the page asked for early is not the next one"));
  /* Pages are read in place (pb-client-parse.c), but for the two with a second document
   * after them, which the in-place reader leaves to json-glib (it ignores the rest). */
  {
    guint n_slow = 0;

    for (const char *at = log; (at = strstr (at, "not read in place")) != NULL; at++)
      n_slow++;
    g_assert_cmpuint (n_slow, ==, 2);
  }
  for (guint i = 0; i < paging_backend_cursors->len; i++)
    g_assert_cmpuint (g_strv_contains ((const char * const[]) {
                        "", "c1", "c2", "c3", "c4", "c5", "bogus", "bogus2", NULL },
                        paging_backend_cursors->pdata[i]), ==, TRUE);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A page asked for early fails: the list fails with its error and its body. */
  n_requests = pb_client_get_n_requests (client);
  items = list_all_or_error (client, "fail-second", &error);
  g_assert_null (items);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_SERVER);
  g_assert_cmpuint (pb_api_error_get_status (error), !=, 0);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 500);
  g_assert_cmpstr (pb_api_error_get_code (error), ==, "internal_error");
  g_assert_cmpstr (error->message, ==, "The second page broke.");
  g_assert_cmpuint (pb_client_get_n_requests (client) - n_requests, ==, 2);
  g_clear_error (&error);

  /* Large answers are parsed in a worker thread with the same errors as small ones; a page
   * not read in place is read with json-glib, which words the error. */
  captured_log = g_string_new (NULL);
  items = list_all_or_error (client, "broken-item", &error);
  g_free (log);
  log = g_string_free (g_steal_pointer (&captured_log), FALSE);
  g_assert_nonnull (strstr (log, "not read in place"));
  g_assert_null (items);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The backend sent an integration that could not be read: "));
  g_assert_nonnull (strstr (error->message, "connector_key"));
  g_clear_error (&error);

  items = list_all_or_error (client, "not-json", &error);
  g_assert_null (items);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  prefix = g_strdup_printf ("The backend at %s sent an answer that is not JSON: ", url);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_clear_error (&error);

  soup_server_disconnect (server);
  g_clear_pointer (&paging_backend_cursors, g_ptr_array_unref);
}
