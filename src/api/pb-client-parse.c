/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-client-private.h"

/* Answers at least this big are parsed, and their models built, in a worker thread: a page
 * of 1000 integrations (about 25 ms of json-glib and models) must not stall the main loop. */
#define THREAD_PARSE_MIN_BYTES (64 * 1024)

JsonNode *
pb_client_parse_json (GBytes  *bytes,
                      GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  if (length == 0)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "The answer is empty.");
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return NULL;

  return json_node_ref (json_parser_get_root (parser));
}

/* A 2xx answer to turn into what the call returns: a pure function of the body (and of the
 * model parsers of src/core, which are pure functions of their JSON too), so that it can run
 * in a worker thread. Nothing in it is shared with the main thread while it runs. */
typedef struct
{
  GBytes         *bytes;
  ResultKind      kind;
  ModelParser     parser;
  const char     *what;       /* static */
  char           *base_url;   /* a copy: the client's may change meanwhile */
  char           *method;     /* for the log */
  char           *path;
  GCancellable   *cancellable;  /* (nullable) the request's */

  gpointer        value;
  GDestroyNotify  value_free;
  GError         *error;
  gint64          parse_us;
} Answer;

static Answer *
answer_new (Request *request,
            GBytes  *bytes)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->bytes = g_bytes_ref (bytes);
  answer->kind = request->kind;
  answer->parser = request->parser;
  answer->what = request->what;
  answer->base_url = g_strdup (request->client->base_url);
  answer->method = g_strdup (request->method);
  answer->path = g_strdup (request->path);

  return answer;
}

static void
answer_free (Answer *answer)
{
  g_clear_pointer (&answer->bytes, g_bytes_unref);
  g_free (answer->base_url);
  g_free (answer->method);
  g_free (answer->path);
  g_clear_object (&answer->cancellable);
  if (answer->value != NULL)
    answer->value_free (answer->value);
  g_clear_error (&answer->error);
  g_free (answer);
}

static PbPage *
parse_page (Answer      *answer,
            JsonObject  *object,
            GError     **error)
{
  g_autoptr(PbPage) page = pb_page_new ();
  JsonNode *data_node = json_object_get_member (object, "data");
  JsonNode *next_node = json_object_get_member (object, "next");
  JsonNode *token_node = json_object_get_member (object, "sync_token");
  JsonArray *data;
  guint length;

  if (data_node == NULL || !JSON_NODE_HOLDS_ARRAY (data_node))
    {
      g_set_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                   "The backend sent a page without its “data” list.");
      return NULL;
    }

  if (next_node != NULL && !JSON_NODE_HOLDS_NULL (next_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (next_node)
          || json_node_get_value_type (next_node) != G_TYPE_STRING)
        {
          g_set_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                       "The backend sent a page whose “next” is not a string.");
          return NULL;
        }
      page->next = g_strdup (json_node_get_string (next_node));
    }
  if (token_node != NULL && !JSON_NODE_HOLDS_NULL (token_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (token_node)
          || json_node_get_value_type (token_node) != G_TYPE_STRING)
        {
          g_set_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                       "The backend sent a page whose “sync_token” is not a string.");
          return NULL;
        }
      page->sync_token = g_strdup (json_node_get_string (token_node));
    }

  data = json_node_get_array (data_node);
  length = json_array_get_length (data);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *item = json_array_get_element (data, i);
      g_autoptr(GError) local_error = NULL;
      gpointer model;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_set_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                       "The backend sent a page whose item %u is not an object.", i);
          return NULL;
        }

      model = answer->parser (json_node_get_object (item), &local_error);
      if (model == NULL)
        {
          g_set_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                       "The backend sent %s that could not be read: %s",
                       answer->what, local_error->message);
          return NULL;
        }

      g_ptr_array_add (page->items, model);
    }

  return g_steal_pointer (&page);
}

/* A page {data: [...], next} read in place with @scan_parser (no json-glib tree: a page of
 * 1,000 integrations in ~5 ms rather than ~35). NULL for anything it does not read: the
 * caller then parses the text with json-glib, which gives the same page or words the error.
 * A page with "data", "next" or "sync_token" twice is left to json-glib too. */
static PbPage *
scan_page (GBytes     *bytes,
           ScanParser  scan_parser)
{
  g_autoptr(PbPage) page = pb_page_new ();
  PbJsonScan scan;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  gboolean first = TRUE, seen_data = FALSE, seen_next = FALSE, seen_token = FALSE, ok = TRUE;
  int more;

  pb_json_scan_init (&scan, data, length);
  if (!pb_json_scan_take (&scan, '{'))
    ok = FALSE;
  while (ok && (more = pb_json_scan_member (&scan, &first)) == 1)
    {
      if (g_str_equal (scan.key->str, "data") && !seen_data)
        {
          gboolean first_item = TRUE;
          int items;

          seen_data = TRUE;
          if (!pb_json_scan_take (&scan, '['))
            ok = FALSE;
          while (ok && (items = pb_json_scan_element (&scan, &first_item)) == 1)
            {
              gpointer model = scan_parser (&scan);

              if (model == NULL)
                ok = FALSE;
              else
                g_ptr_array_add (page->items, model);
            }
          ok = ok && items == 0;
        }
      else if (g_str_equal (scan.key->str, "next") && !seen_next)
        {
          seen_next = TRUE;
          if (!pb_json_scan_null (&scan))
            {
              ok = pb_json_scan_string (&scan);
              if (ok)
                page->next = g_strndup (scan.text->str, scan.text->len);
            }
        }
      else if (g_str_equal (scan.key->str, "sync_token") && !seen_token)
        {
          seen_token = TRUE;
          if (!pb_json_scan_null (&scan))
            {
              ok = pb_json_scan_string (&scan);
              if (ok)
                page->sync_token = g_strndup (scan.text->str, scan.text->len);
            }
        }
      else if (g_str_equal (scan.key->str, "data") || g_str_equal (scan.key->str, "next")
               || g_str_equal (scan.key->str, "sync_token"))
        ok = FALSE;
      else
        ok = pb_json_scan_skip_value (&scan);
    }
  ok = ok && more == 0 && seen_data && pb_json_scan_at_end (&scan);
  pb_json_scan_clear (&scan);

  return ok ? g_steal_pointer (&page) : NULL;
}

/* Sets answer->value (and value_free) or answer->error. */
static void
answer_parse (Answer *answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 started = g_get_monotonic_time ();
  JsonObject *object;
  ScanParser scan_parser;

  scan_parser = answer->kind == RESULT_PAGE ? pb_client_scan_parser_for (answer->parser) : NULL;
  if (scan_parser != NULL)
    {
      answer->value = scan_page (answer->bytes, scan_parser);
      answer->value_free = (GDestroyNotify) pb_page_free;
      if (answer->value != NULL)
        goto out;
      g_debug ("%s %s: read with json-glib (not read in place)", answer->method, answer->path);
    }

  root = pb_client_parse_json (answer->bytes, &error);
  if (root == NULL)
    {
      answer->error = g_error_new (PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                                   "The backend at %s sent an answer that is not JSON: %s",
                                   answer->base_url, error->message);
      goto out;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      answer->error = g_error_new (PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                                   "The backend at %s sent an answer that is not a JSON object.",
                                   answer->base_url);
      goto out;
    }

  object = json_node_get_object (root);

  switch (answer->kind)
    {
    case RESULT_MODEL:
      answer->value = answer->parser (object, &error);
      answer->value_free = g_object_unref;
      if (answer->value == NULL)
        answer->error = g_error_new (PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                                     "The backend sent %s that could not be read: %s",
                                     answer->what, error->message);
      break;

    case RESULT_PAGE:
      answer->value = parse_page (answer, object, &answer->error);
      answer->value_free = (GDestroyNotify) pb_page_free;
      break;

    case RESULT_OBJECT:
      answer->value = json_object_ref (object);
      answer->value_free = (GDestroyNotify) json_object_unref;
      break;

    case RESULT_NONE:
    default:
      g_assert_not_reached ();
    }

out:
  /* Free the tree here too, not on the main thread. */
  g_clear_pointer (&root, json_node_unref);
  answer->parse_us = g_get_monotonic_time () - started;
}

static void
request_return_answer (GTask  *task,
                       Answer *answer)
{
  if (answer->error != NULL)
    g_task_return_error (task, g_steal_pointer (&answer->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&answer->value), answer->value_free);
}

static void
answer_parse_in_pool (gpointer data,
                      gpointer user_data)
{
  g_autoptr(GTask) worker = data;
  Answer *answer = g_task_get_task_data (worker);

  /* Cancelled while waiting for its turn: the request returns CANCELLED anyway. */
  if (!g_cancellable_set_error_if_cancelled (answer->cancellable, &answer->error))
    answer_parse (answer);
  g_task_return_boolean (worker, TRUE);
}

/* One worker thread for the parses (two with four processors or more): the pages that
 * list-all asks for ahead, and the lists that a launch asks for at once, would otherwise be
 * parsed side by side and leave no processor to the main thread and a local backend. On two
 * processors, parsing side by side took twice the processor time for no gain. */
static GThreadPool *
answer_parse_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      int n_threads = g_get_num_processors () >= 4 ? 2 : 1;

      g_once_init_leave (&pool, g_thread_pool_new (answer_parse_in_pool, NULL, n_threads,
                                                   FALSE, NULL));
    }

  return pool;
}

static void
on_answer_parsed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Answer *answer = g_task_get_task_data (G_TASK (result));

  g_debug ("%s %s: parsed %" G_GSIZE_FORMAT " KiB in a worker thread in %" G_GINT64_FORMAT
           " ms", answer->method, answer->path, g_bytes_get_size (answer->bytes) / 1024,
           answer->parse_us / 1000);
  /* Cancelled meanwhile: the task's cancellable turns this into G_IO_ERROR_CANCELLED. */
  request_return_answer (task, answer);
}

/* Returns a 2xx answer (none, or its value or error), parsed at once or in a worker thread. */
void
pb_client_request_return_success (GTask  *task,
                                  GBytes *bytes)
{
  Request *request = g_task_get_task_data (task);
  Answer *answer;

  if (request->kind == RESULT_NONE)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  answer = answer_new (request, bytes);

  if (g_bytes_get_size (bytes) >= THREAD_PARSE_MIN_BYTES)
    {
      g_autoptr(GTask) worker = g_task_new (NULL, NULL, on_answer_parsed, g_object_ref (task));

      g_task_set_source_tag (worker, pb_client_request_return_success);
      g_task_set_name (worker, "[pb-api] parse");
      answer->cancellable = g_task_get_cancellable (task) != NULL
                            ? g_object_ref (g_task_get_cancellable (task)) : NULL;
      g_task_set_task_data (worker, answer, (GDestroyNotify) answer_free);
      g_thread_pool_push (answer_parse_pool (), g_steal_pointer (&worker), NULL);
      return;
    }

  answer_parse (answer);
  request_return_answer (task, answer);
  answer_free (answer);
}
