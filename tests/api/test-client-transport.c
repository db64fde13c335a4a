/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "client-test-util.h"

/*
 * PbClient's transport, retries, cancelling and debug log against a real plugboard-server
 * (`demo --listen 127.0.0.1:0`), a peer that breaks connections and an in-process
 * misbehaving backend, all on the loopback; nothing is mocked. Tests under /client/retry/
 * use a second server started with --rate-limit 5 and are run by a separate meson test
 * (they wait for a whole rate-limit window).
 */

static PbTestServer *rate_server;

/* Tests: transport */

static void
test_unreachable (void)
{
  guint16 port = pb_test_server_closed_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(PbClient) client = pb_client_new (url, "pb_some_key");
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  project = get_project (client, &failure, &error);
  g_assert_null (project);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_assert_true (pb_api_error_is_unreachable (error));
  g_assert_null (failure);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_null (strstr (error->message, "pb_some_key"));
  g_test_message ("unreachable: %s", error->message);
}

static void
test_unreachable_dns (void)
{
  g_autoptr(PbClient) client = pb_client_new ("http://no-such-host.invalid:8710", "pb_some_key");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  project = get_project (client, NULL, &error);
  g_assert_null (project);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "http://no-such-host.invalid:8710"));
}

/* A peer that accepts connections and then closes them, or never answers. */

typedef struct
{
  GSocketService *service;
  GPtrArray      *held;     /* connections kept open, unanswered */
  gboolean        hold;
  char           *url;
} BrokenPeer;

static gboolean
on_broken_peer_incoming (GSocketService    *service,
                         GSocketConnection *connection,
                         GObject           *source,
                         gpointer           user_data)
{
  BrokenPeer *peer = user_data;

  if (peer->hold)
    g_ptr_array_add (peer->held, g_object_ref (connection));
  else
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  return TRUE;
}

static BrokenPeer *
broken_peer_new (gboolean hold)
{
  BrokenPeer *peer = g_new0 (BrokenPeer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  peer->service = g_socket_service_new ();
  peer->held = g_ptr_array_new_with_free_func (g_object_unref);
  peer->hold = hold;
  g_socket_listener_add_address (G_SOCKET_LISTENER (peer->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (peer->service, "incoming", G_CALLBACK (on_broken_peer_incoming), peer);
  g_socket_service_start (peer->service);
  peer->url = g_strdup_printf ("http://127.0.0.1:%u",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  return peer;
}

static void
broken_peer_free (BrokenPeer *peer)
{
  g_socket_service_stop (peer->service);
  g_socket_listener_close (G_SOCKET_LISTENER (peer->service));
  g_clear_object (&peer->service);
  g_ptr_array_unref (peer->held);
  g_free (peer->url);
  g_free (peer);
}

static void
test_connection_closed (void)
{
  BrokenPeer *peer = broken_peer_new (FALSE);
  g_autoptr(PbClient) client = pb_client_new (peer->url, "pb_some_key");
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  project = get_project (client, &failure, &error);
  g_assert_null (project);
  g_assert_null (failure);
  g_test_message ("closed: %s", error->message);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, peer->url));

  broken_peer_free (peer);
}

static void
test_timeout (void)
{
  BrokenPeer *peer = broken_peer_new (TRUE);
  g_autoptr(PbClient) client = pb_client_new (peer->url, "pb_some_key");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;
  gint64 started = g_get_monotonic_time ();

  pb_client_set_timeout (client, 1);
  g_assert_cmpuint (pb_client_get_timeout (client), ==, 1);
  project = get_project (client, NULL, &error);
  g_assert_null (project);
  g_test_message ("timeout: %s", error->message);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, peer->url));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (peer->held->len, >=, 1);

  broken_peer_free (peer);
}

static void
test_invalid_url (void)
{
  g_autoptr(PbClient) client = pb_client_new ("ftp://example.com", "pb_some_key");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  project = get_project (client, NULL, &error);
  g_assert_null (project);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_URL);
  g_assert_false (pb_api_error_is_unreachable (error));
}

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

static void
test_invalid_responses (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
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
  g_assert_null (get_project (client, &failure, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_assert_null (failure);
  g_assert_nonnull (strstr (error->message, "“name”"));
  g_clear_error (&error);

  AWAIT (pb_client_list_integrations_async, client, NULL, 10, NULL, NULL);
  g_assert_null (pb_client_list_integrations_finish (client, result, &failure, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "connector_key"));
  g_clear_error (&error);
  g_clear_object (&result);

  /* A cursor that repeats does not loop the client forever. */
  AWAIT (pb_client_list_all_integrations_async, client, NULL, NULL);
  g_assert_null (pb_client_list_all_integrations_finish (client, result, &failure, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Not JSON at all. */
  AWAIT (pb_client_list_accounts_async, client, NULL, 0, NULL, NULL);
  g_assert_null (pb_client_list_accounts_finish (client, result, &failure, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_clear_object (&result);

  /* An error status without the JSON error body: a sentence of the client's, the status
   * kept in the failure. */
  AWAIT (pb_client_list_logs_async, client, NULL, 0, NULL, NULL);
  g_assert_null (pb_client_list_logs_finish (client, result, &failure, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_SERVER);
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 502);
  g_assert_null (failure->code);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_nonnull (strstr (error->message, "502"));
  g_clear_error (&error);
  g_clear_pointer (&failure, pb_api_failure_free);
  g_clear_object (&result);

  /* 503 is retried: busy twice, then served. */
  {
    g_autoptr(JsonObject) body = json_object_new ();
    g_autoptr(JsonObject) session = NULL;

    bad_backend_busy_answers = 2;
    bad_backend_session_hits = 0;
    AWAIT (pb_client_create_connect_session_async, client, body, NULL);
    session = pb_client_create_connect_session_finish (client, result, &failure, &error);
    g_assert_no_error (error);
    g_assert_null (failure);
    g_assert_cmpstr (json_object_get_string_member (session, "id"), ==, "cs_1");
    g_assert_cmpuint (bad_backend_session_hits, ==, 3);
    g_clear_object (&result);

    /* Busy for good: max_retries retries, then SERVER with the body kept. */
    bad_backend_busy_answers = 100;
    bad_backend_session_hits = 0;
    pb_client_set_max_retries (client, 2);
    AWAIT (pb_client_create_connect_session_async, client, body, NULL);
    g_assert_null (pb_client_create_connect_session_finish (client, result, &failure, &error));
    g_assert_error (error, PB_API_ERROR, PB_API_ERROR_SERVER);
    g_assert_cmpuint (bad_backend_session_hits, ==, 3);
    g_assert_nonnull (failure);
    g_assert_cmpuint (failure->status, ==, 503);
    g_assert_cmpstr (failure->code, ==, "busy");
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
                   PbApiFailure  **failure,
                   GError        **error)
{
  g_autoptr(PbQuery) query = pb_query_new ();
  g_autoptr(GAsyncResult) result = NULL;

  if (q != NULL)
    pb_query_set (query, "q", q);
  AWAIT (pb_client_list_all_integrations_async, client, query, NULL);
  return pb_client_list_all_integrations_finish (client, result, failure, error);
}

static void
test_list_all_page_ends (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
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
  items = list_all_or_error (client, NULL, &failure, &error);
  log = g_string_free (g_steal_pointer (&captured_log), FALSE);
  g_assert_no_error (error);
  g_assert_null (failure);
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

  /* A page asked for early fails: the list fails with its error and failure. */
  n_requests = pb_client_get_n_requests (client);
  items = list_all_or_error (client, "fail-second", &failure, &error);
  g_assert_null (items);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_SERVER);
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 500);
  g_assert_cmpstr (failure->code, ==, "internal_error");
  g_assert_cmpstr (error->message, ==, "The second page broke.");
  g_assert_cmpuint (pb_client_get_n_requests (client) - n_requests, ==, 2);
  g_clear_error (&error);
  g_clear_pointer (&failure, pb_api_failure_free);

  /* Large answers are parsed in a worker thread with the same errors as small ones; a page
   * not read in place is read with json-glib, which words the error. */
  captured_log = g_string_new (NULL);
  items = list_all_or_error (client, "broken-item", &failure, &error);
  g_free (log);
  log = g_string_free (g_steal_pointer (&captured_log), FALSE);
  g_assert_nonnull (strstr (log, "not read in place"));
  g_assert_null (items);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_assert_null (failure);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The backend sent an integration that could not be read: "));
  g_assert_nonnull (strstr (error->message, "connector_key"));
  g_clear_error (&error);

  items = list_all_or_error (client, "not-json", &failure, &error);
  g_assert_null (items);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
  g_assert_null (failure);
  prefix = g_strdup_printf ("The backend at %s sent an answer that is not JSON: ", url);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_clear_error (&error);

  soup_server_disconnect (server);
  g_clear_pointer (&paging_backend_cursors, g_ptr_array_unref);
}

/* https:// to a port that speaks plain HTTP: a TLS failure, reported, never a success. */
static void
test_tls_failure (void)
{
  PbTestServer *server = get_demo_server ();
  const char *url = pb_test_server_get_url (server);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *https = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  g_assert_nonnull (uri);
  https = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uri));
  client = pb_client_new (https, pb_test_server_get_admin_key (server, 0));
  /* The plain-HTTP peer waits for a request line and never answers the TLS hello. */
  pb_client_set_timeout (client, 2);

  project = get_project (client, &failure, &error);
  g_assert_null (project);
  g_assert_null (failure);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_TLS);
  g_assert_false (pb_api_error_is_unreachable (error));
  g_assert_nonnull (strstr (error->message, https));
  g_test_message ("TLS: %s", error->message);
}

/* The real server serving HTTPS with a self-signed certificate (made with openssl for this
 * run): the client refuses it as a TLS failure, whatever the certificate says. */

static void
run_or_die (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                     | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

static void
test_tls_self_signed (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(PbTestServer) server = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;
  const char *url;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to make a self-signed certificate");
      return;
    }

  dir = g_dir_make_tmp ("pb-test-tls-XXXXXX", &error);
  g_assert_no_error (error);
  cert_path = g_build_filename (dir, "cert.pem", NULL);
  key_path = g_build_filename (dir, "key.pem", NULL);
  db_path = g_build_filename (dir, "plugboard.db", NULL);

  {
    const char *make_cert[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                "-keyout", key_path, "-out", cert_path, "-days", "1",
                                "-subj", "/CN=127.0.0.1",
                                "-addext", "subjectAltName=IP:127.0.0.1", NULL };
    const char *init[] = { g_getenv ("PLUGBOARD_SERVER"), "init", "--db", db_path, NULL };
    const char *serve[] = { "serve", "--db", db_path, "--listen", "127.0.0.1:0",
                            "--tls-cert", cert_path, "--tls-key", key_path, NULL };

    g_assert_nonnull (init[0]);
    run_or_die (make_cert);
    run_or_die (init);
    server = pb_test_server_start (serve, &error);
    g_assert_no_error (error);
  }

  url = pb_test_server_get_url (server);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));

  client = pb_client_new (url, "pb_some_key");
  pb_client_set_timeout (client, 5);
  project = get_project (client, &failure, &error);
  g_assert_null (project);
  g_assert_null (failure);
  g_test_message ("self-signed: %s", error->message);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_TLS);
  g_assert_false (pb_api_error_is_unreachable (error));
  g_assert_nonnull (strstr (error->message, url));

  g_clear_pointer (&server, pb_test_server_stop);
  remove_dir (dir);
}

static void
test_cancel (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbPage) page = NULL;
  g_autoptr(GPtrArray) all = NULL;

  /* Cancelled while in flight. */
  AWAIT (pb_client_list_integrations_async, client, NULL, 5, NULL, cancellable);
  g_assert_nonnull (result);
  g_clear_object (&result);
  {
    GAsyncResult *slot = NULL;

    pb_client_get_project_async (client, cancellable, on_ready, &slot);
    g_cancellable_cancel (cancellable);
    result = await_result (&slot);
  }
  g_assert_null (pb_client_get_project_finish (client, result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Already cancelled. */
  AWAIT (pb_client_list_integrations_async, client, NULL, 5, NULL, cancellable);
  page = pb_client_list_integrations_finish (client, result, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  AWAIT (pb_client_list_all_integrations_async, client, NULL, cancellable);
  all = pb_client_list_all_integrations_finish (client, result, NULL, &error);
  g_assert_null (all);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The client still works afterwards. */
  {
    g_autoptr(PbProject) project = get_project (client, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (project);
  }
}

/* The debug log shows method, path, status and time; never the key, the Authorization
 * header or a body (here: a secret credential value). */
static void
test_debug_log_hides_secrets (void)
{
  PbTestServer *server = get_demo_server ();
  const char *key = pb_test_server_get_admin_key (server, 0);
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbClient) viewer = viewer_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autoptr(JsonObject) body = create_body (connector, type, NULL, NULL);
  g_autoptr(PbIntegration) created = NULL;
  g_autoptr(PbProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *userpass = g_strconcat (key, ":", NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) userpass, strlen (userpass));
  g_autofree char *log = NULL;
  g_autofree char *key_part = g_strndup (key + strlen (key) / 2, strlen (key) - strlen (key) / 2);

  json_object_set_object_member (body, "secrets", json_object_new ());
  {
    /* Make sure some secret value travels in the body. */
    GListModel *fields = pb_auth_type_get_fields (type);

    for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
      {
        g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);

        if (pb_auth_field_get_secret (field) && pb_auth_field_get_required (field))
          json_object_set_string_member (json_object_get_object_member (body, "secrets"),
                                         pb_auth_field_get_key (field),
                                         "s3cret-Value-Never-Logged-wxyz");
      }
  }

  captured_log = g_string_new (NULL);
  project = get_project (client, NULL, &error);
  g_assert_no_error (error);
  created = create_integration (client, body, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (create_integration (viewer, body, NULL, &error));
  g_clear_error (&error);
  delete_or_die (client, pb_integration_get_id (created));
  log = g_string_free (g_steal_pointer (&captured_log), FALSE);

  /* It logged something useful… */
  g_assert_nonnull (strstr (log, "GET /project: 200 in "));
  g_assert_nonnull (strstr (log, "POST /integrations: 201 in "));
  g_assert_nonnull (strstr (log, "POST /integrations: 403 in "));
  g_assert_nonnull (strstr (log, "DELETE /integrations/"));
  g_assert_nonnull (strstr (log, " ms"));
  /* …and nothing secret. */
  g_assert_null (strstr (log, key));
  g_assert_null (strstr (log, key_part));
  g_assert_null (strstr (log, encoded));
  g_assert_null (strstr (log, "Authorization"));
  g_assert_null (strstr (log, "s3cret-Value-Never-Logged"));
  g_assert_null (strstr (log, "connector_key"));
}

/* Tests: retries (a server started with --rate-limit 5) */

static PbTestServer *
get_rate_server (void)
{
  if (rate_server == NULL)
    {
      const char *args[] = { "--rate-limit", "5", NULL };
      g_autoptr(GError) error = NULL;

      rate_server = pb_test_server_start_demo (args, &error);
      g_assert_no_error (error);
      g_assert_nonnull (rate_server);
    }

  return rate_server;
}

static void
exhaust_rate_limit (PbClient *client)
{
  g_autoptr(GError) error = NULL;

  pb_client_set_max_retries (client, 0);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(PbProject) project = get_project (client, NULL, &error);

      if (project == NULL)
        {
          g_assert_error (error, PB_API_ERROR, PB_API_ERROR_RATE_LIMITED);
          return;
        }
    }
  g_error ("10 requests with --rate-limit 5 were all served");
}

static void
test_retry_reported (void)
{
  PbTestServer *server = get_rate_server ();
  g_autoptr(PbClient) client = pb_client_new (pb_test_server_get_url (server),
                                              pb_test_server_get_admin_key (server, 0));
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  exhaust_rate_limit (client);

  /* With max_retries 0 the 429 is reported at once. */
  started = g_get_monotonic_time ();
  g_assert_null (get_project (client, &failure, &error));
  assert_http_failure (error, failure, PB_API_ERROR_RATE_LIMITED, 429, "rate_limited");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_retry_cancelled (void)
{
  PbTestServer *server = get_rate_server ();
  g_autoptr(PbClient) client = pb_client_new (pb_test_server_get_url (server),
                                              pb_test_server_get_admin_key (server, 0));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  exhaust_rate_limit (client);
  pb_client_set_max_retries (client, 3);

  /* Waiting for Retry-After, then cancelled: it stops at once. */
  started = g_get_monotonic_time ();
  g_timeout_add (300, cancel_later, cancellable);
  AWAIT (pb_client_get_project_async, client, cancellable);
  g_assert_null (pb_client_get_project_finish (client, result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
}

static void
test_retry_waits (void)
{
  PbTestServer *server = get_rate_server ();
  g_autoptr(PbClient) client = pb_client_new (pb_test_server_get_url (server),
                                              pb_test_server_get_admin_key (server, 0));
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;
  g_autofree char *log = NULL;
  gint64 started, elapsed;

  exhaust_rate_limit (client);

  /* The window lasts a minute: Retry-After says up to 60 s, the client waits at most 30 s at
   * a time (the default cap), so it gets there on its second retry. */
  pb_client_set_max_retries (client, PB_CLIENT_DEFAULT_MAX_RETRIES);
  g_assert_cmpuint (pb_client_get_max_retry_delay (client), ==, 30);

  captured_log = g_string_new (NULL);
  started = g_get_monotonic_time ();
  project = get_project (client, &failure, &error);
  elapsed = g_get_monotonic_time () - started;
  log = g_string_free (g_steal_pointer (&captured_log), FALSE);

  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_nonnull (project);
  g_test_message ("succeeded after %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_nonnull (strstr (log, "GET /project: 429"));
  g_assert_nonnull (strstr (log, "retry 1 of 3"));
  g_assert_nonnull (strstr (log, "GET /project: 200"));
  /* It did wait (it was refused at first), and not longer than the window plus slack. */
  g_assert_cmpint (elapsed, >=, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <=, 65 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  client_test_init (&argc, &argv);

  g_test_add_func ("/client/transport/unreachable", test_unreachable);
  g_test_add_func ("/client/transport/unreachable-dns", test_unreachable_dns);
  g_test_add_func ("/client/transport/connection-closed", test_connection_closed);
  g_test_add_func ("/client/transport/timeout", test_timeout);
  g_test_add_func ("/client/transport/invalid-url", test_invalid_url);
  g_test_add_func ("/client/transport/misbehaving-backend", test_invalid_responses);
  g_test_add_func ("/client/transport/list-all-page-ends", test_list_all_page_ends);
  g_test_add_func ("/client/transport/tls-failure", test_tls_failure);
  g_test_add_func ("/client/transport/tls-self-signed", test_tls_self_signed);
  g_test_add_func ("/client/transport/cancel", test_cancel);
  g_test_add_func ("/client/debug-log/hides-secrets", test_debug_log_hides_secrets);
  g_test_add_func ("/client/retry/reported", test_retry_reported);
  g_test_add_func ("/client/retry/cancelled-while-waiting", test_retry_cancelled);
  g_test_add_func ("/client/retry/waits-then-succeeds", test_retry_waits);

  ret = g_test_run ();

  client_test_shutdown ();
  g_clear_pointer (&rate_server, pb_test_server_stop);

  return ret;
}
