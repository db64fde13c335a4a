/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-client-private.h"

#include <string.h>

/*
 * One request (the GTask's data): it builds a SoupMessage, sends it on the client's one
 * SoupSession, retries 429/503 after Retry-After (bounded), then turns the answer into a
 * model, a page, a JSON object or nothing, or into a PB_API_ERROR with the parsed error body
 * kept as a PbApiFailure for the _finish function's out parameter. Answers of 64 KiB or more
 * are parsed (JSON and models) in a worker thread; the task still returns on the caller's
 * main context, with the same results and errors as the inline path.
 *
 * The debug log (G_MESSAGES_DEBUG=pb-api) shows method, path, status and time; never the
 * key, the Authorization header, a query string or a body.
 */

/* Answers at least this big are parsed, and their models built, in a worker thread: a page
 * of 1000 integrations (about 25 ms of json-glib and models) must not stall the main loop. */
#define THREAD_PARSE_MIN_BYTES (64 * 1024)

typedef void (*RequestPeek) (GBytes   *bytes,
                             gpointer  user_data);

typedef struct
{
  PbClient     *client;
  char         *method;
  char         *path;        /* for the log: no query string */
  char         *uri;
  GBytes       *body;
  gint64        if_match;
  ResultKind    kind;
  ModelParser   parser;
  const char   *what;        /* "an integration", for error messages */

  SoupMessage  *message;     /* the attempt in flight */
  gboolean      tls_handshaking;  /* the attempt started a TLS handshake, not finished */
  guint         attempt;
  gint64        started;
  GSource      *wait_source;
  GSource      *cancel_source;

  /* Called with a 2xx answer's body before it is parsed (list-all reads the next cursor
   * from its end); the data outlives the request. */
  RequestPeek   peek;
  gpointer      peek_data;

  PbApiFailure *failure;
} Request;

static void request_send (GTask *task);

static void
request_clear_wait (Request *request)
{
  if (request->wait_source != NULL)
    {
      g_source_destroy (request->wait_source);
      g_clear_pointer (&request->wait_source, g_source_unref);
    }
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_clear_pointer (&request->cancel_source, g_source_unref);
    }
}

static void
request_free (Request *request)
{
  request_clear_wait (request);
  g_clear_object (&request->client);
  g_free (request->method);
  g_free (request->path);
  g_free (request->uri);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_object (&request->message);
  g_clear_pointer (&request->failure, pb_api_failure_free);
  g_free (request);
}

static void
request_start (PbClient            *self,
               const char          *method,
               const char          *path,
               const PbQuery       *query,
               guint                page_size,
               const char          *next,
               JsonObject          *body,
               gint64               if_match,
               ResultKind           kind,
               ModelParser          parser,
               const char          *what,
               RequestPeek          peek,
               gpointer             peek_data,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *query_string = NULL;
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  request = g_new0 (Request, 1);
  request->client = g_object_ref (self);
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->if_match = if_match;
  request->kind = kind;
  request->parser = parser;
  request->what = what;
  request->peek = peek;
  request->peek_data = peek_data;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (self->base_uri == NULL)
    {
      g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_INVALID_URL,
                               "The backend address “%s” is not an http:// or https:// URL.",
                               self->base_url);
      return;
    }

  query_string = pb_query_build_string (query, page_size, next);
  request->uri = g_strconcat (self->base_url, path, query_string, NULL);

  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      gsize length = 0;
      char *text = json_to_string (node, FALSE);

      length = strlen (text);
      request->body = g_bytes_new_take (text, length);
    }

  request_send (g_steal_pointer (&task));
}

void
pb_client_request_start (PbClient            *self,
                         const char          *method,
                         const char          *path,
                         const PbQuery       *query,
                         guint                page_size,
                         const char          *next,
                         JsonObject          *body,
                         gint64               if_match,
                         ResultKind           kind,
                         ModelParser          parser,
                         const char          *what,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data,
                         gpointer             source_tag)
{
  request_start (self, method, path, query, page_size, next, body, if_match, kind, parser,
                 what, NULL, NULL, cancellable, callback, user_data, source_tag);
}

/* Checks a result handed to a _finish function and clears its out parameter. */
static gboolean
finish_begin (PbClient      *self,
              GAsyncResult  *result,
              gpointer       source_tag,
              PbApiFailure **out_failure)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  if (out_failure != NULL)
    *out_failure = NULL;

  return TRUE;
}

/* A failed call's out parameter: the error body its request (or list) kept. */
static void
finish_failure (PbApiFailure **kept,
                PbApiFailure **out_failure)
{
  if (out_failure != NULL)
    *out_failure = g_steal_pointer (kept);
}

gpointer
pb_client_request_finish_pointer (PbClient      *self,
                                  GAsyncResult  *result,
                                  gpointer       source_tag,
                                  PbApiFailure **out_failure,
                                  GError       **error)
{
  Request *request;
  gpointer value;

  if (!finish_begin (self, result, source_tag, out_failure))
    return NULL;

  value = g_task_propagate_pointer (G_TASK (result), error);
  request = g_task_get_task_data (G_TASK (result));
  if (value == NULL)
    finish_failure (&request->failure, out_failure);

  return value;
}

gboolean
pb_client_request_finish_boolean (PbClient      *self,
                                  GAsyncResult  *result,
                                  gpointer       source_tag,
                                  PbApiFailure **out_failure,
                                  GError       **error)
{
  Request *request;
  gboolean ok;

  if (!finish_begin (self, result, source_tag, out_failure))
    return FALSE;

  ok = g_task_propagate_boolean (G_TASK (result), error);
  request = g_task_get_task_data (G_TASK (result));
  if (!ok)
    finish_failure (&request->failure, out_failure);

  return ok;
}

static GError *
transport_error (PbClient     *self,
                 Request      *request,
                 const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (PB_API_ERROR, PB_API_ERROR_TLS,
                        "The secure connection to the backend at %s failed: %s",
                        self->base_url, error->message);

  /* Connected, but the peer never completed the handshake (e.g. https:// on a port that
   * speaks plain HTTP, which waits for a request line and never answers the hello). */
  if (request->tls_handshaking)
    return g_error_new (PB_API_ERROR, PB_API_ERROR_TLS,
                        "The backend at %s did not complete a secure (TLS) connection (%s). "
                        "Check whether its address should start with https:// or http://.",
                        self->base_url, error->message);

  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                        "The backend at %s did not answer in HTTP: %s",
                        self->base_url, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (PB_API_ERROR, PB_API_ERROR_UNREACHABLE,
                        "Cannot reach the backend at %s: it did not answer in time (%u s).",
                        self->base_url, self->timeout);

  /* Connection refused or reset, host not found, network unreachable, … */
  return g_error_new (PB_API_ERROR, PB_API_ERROR_UNREACHABLE,
                      "Cannot reach the backend at %s: %s",
                      self->base_url, error->message);
}

static guint
retry_delay_ms (PbClient    *self,
                SoupMessage *message,
                guint        attempt)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  gint64 seconds = -1;

  if (value != NULL)
    {
      g_autofree char *text = g_strstrip (g_strdup (value));
      guint64 number;

      if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &number, NULL))
        {
          seconds = (gint64) number;
        }
      else
        {
          g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (text);

          if (when != NULL)
            {
              g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

              seconds = MAX (0, g_date_time_difference (when, now) / G_TIME_SPAN_SECOND + 1);
            }
        }
    }

  /* No usable Retry-After: back off 1, 2, 4… seconds. */
  if (seconds < 0)
    seconds = (gint64) 1 << MIN (attempt, 10);

  seconds = MIN (seconds, (gint64) self->max_retry_delay);

  return (guint) seconds * 1000;
}

static gboolean
on_retry_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  request_clear_wait (request);
  request->attempt++;
  request_send (task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_retry_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  request_clear_wait (request);
  g_cancellable_set_error_if_cancelled (cancellable, &error);
  g_task_return_error (task, error);

  return G_SOURCE_REMOVE;
}

static void
request_schedule_retry (GTask *task,
                        guint  delay_ms)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GMainContext *context = g_task_get_context (task);

  request->wait_source = g_timeout_source_new (delay_ms);
  g_source_set_static_name (request->wait_source, "[pb-api] retry");
  g_source_set_callback (request->wait_source, on_retry_timeout, task, NULL);
  g_source_attach (request->wait_source, context);

  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (request->cancel_source, "[pb-api] retry cancelled");
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (on_retry_cancelled),
                             task, NULL);
      g_source_attach (request->cancel_source, context);
    }
}

static const char *
status_phrase (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  return phrase != NULL ? phrase : "Unknown";
}

static JsonNode *
parse_json (GBytes  *bytes,
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

static void
request_return_http_error (GTask   *task,
                           guint    status,
                           GBytes  *bytes)
{
  Request *request = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  const char *code = NULL;
  const char *message = NULL;
  JsonObject *details = NULL;
  PbApiError error_code;

  if (bytes != NULL)
    root = parse_json (bytes, NULL);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *node;

      node = json_object_get_member (object, "code");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_STRING)
        code = json_node_get_string (node);

      node = json_object_get_member (object, "message");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_STRING)
        message = json_node_get_string (node);

      node = json_object_get_member (object, "details");
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        details = json_node_get_object (node);
    }

  g_clear_pointer (&request->failure, pb_api_failure_free);
  request->failure = pb_api_failure_new (status, code, message, details);

  error_code = pb_api_error_from_status (status);

  if (message != NULL && *message != '\0')
    g_task_return_new_error (task, PB_API_ERROR, error_code, "%s", message);
  else
    g_task_return_new_error (task, PB_API_ERROR, error_code,
                             "The backend at %s refused the request: %u %s.",
                             request->client->base_url, status, status_phrase (status));
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

/* Sets answer->value (and value_free) or answer->error. */
static void
answer_parse (Answer *answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 started = g_get_monotonic_time ();
  JsonObject *object;

  root = parse_json (answer->bytes, &error);
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

static void
request_return_success (GTask  *task,
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

      g_task_set_source_tag (worker, request_return_success);
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

static void
on_request_sent (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  PbClient *self = request->client;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SoupMessage) message = g_steal_pointer (&request->message);
  gint64 elapsed_ms;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  elapsed_ms = (g_get_monotonic_time () - request->started) / 1000;

  if (bytes == NULL)
    {
      g_debug ("%s %s failed after %" G_GINT64_FORMAT " ms: %s",
               request->method, request->path, elapsed_ms, error->message);
      g_task_return_error (task, transport_error (self, request, error));
      return;
    }

  status = soup_message_get_status (message);
  g_debug ("%s %s: %u in %" G_GINT64_FORMAT " ms",
           request->method, request->path, status, elapsed_ms);

  if ((status == 429 || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
      && request->attempt < self->max_retries)
    {
      guint delay = retry_delay_ms (self, message, request->attempt);

      g_debug ("%s %s: retry %u of %u in %u ms",
               request->method, request->path, request->attempt + 1, self->max_retries, delay);
      request_schedule_retry (g_steal_pointer (&task), delay);
      return;
    }

  if (status >= 200 && status < 300)
    {
      if (request->peek != NULL)
        request->peek (bytes, request->peek_data);
      request_return_success (task, bytes);
    }
  else if (status >= 400)
    request_return_http_error (task, status, bytes);
  else
    g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                             "The backend at %s answered with an unexpected status: %u %s.",
                             self->base_url, status, status_phrase (status));
}

static void
on_network_event (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  Request *request = user_data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    request->tls_handshaking = TRUE;
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED)
    request->tls_handshaking = FALSE;
}

static void
request_send (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  PbClient *self = request->client;
  SoupMessageHeaders *headers;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  uri = g_uri_parse (request->uri, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_INVALID_URL,
                               "The backend address “%s” is not a valid URL: %s",
                               self->base_url, error->message);
      g_object_unref (task);
      return;
    }

  g_clear_object (&request->message);
  request->message = soup_message_new_from_uri (request->method, uri);
  request->tls_handshaking = FALSE;
  /* The request outlives its messages: no need to disconnect. */
  g_signal_connect (request->message, "network-event", G_CALLBACK (on_network_event), request);

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Authorization", self->authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (request->if_match >= 0)
    {
      char value[32];

      g_snprintf (value, sizeof value, "\"%" G_GINT64_FORMAT "\"", request->if_match);
      soup_message_headers_replace (headers, "If-Match", value);
    }
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->message, "application/json",
                                              request->body);

  request->started = g_get_monotonic_time ();
  self->n_requests++;
  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_request_sent, task);
}

/* Following pages to the end
 *
 * Pages come one after another (a page's cursor is in it), but a page's cursor can be read
 * from the end of its body before the body is parsed: the API ends every page with
 * `"next": "<cursor>"}` (docs/api.md, "Lists and pages"). So as soon as a page's bytes
 * arrive, the next page is asked for (up to LIST_ALL_MAX_AHEAD pages ahead) while this one
 * is parsed in a worker thread. Pages are taken strictly in order; each parsed "next" must
 * be the cursor the following page was asked with, otherwise the pages asked for early are
 * dropped (cancelled, their answers ignored) and "next" is asked for as usual. */

#define LIST_ALL_MAX_AHEAD 2
/* Longer cursors are not read early (the server's are a few dozen bytes). */
#define PEEK_MAX_CURSOR 1024

typedef struct _Fetch Fetch;

typedef struct
{
  char         *path;
  PbQuery      *query;
  ModelParser   parser;
  const char   *what;
  GHashTable   *cursors;     /* parsed "next"s, so that a looping backend cannot loop us */
  GHashTable   *requested;   /* every cursor asked for, early or not */
  GQueue        fetches;     /* Fetch (a reference each): the page to take next first */
  GPtrArray    *items;
  PbApiFailure *failure;
  GSource      *cancel_source;  /* cancels the fetches when the list's cancellable is */
  gboolean      finished;
} ListAll;

/* One page of a list-all: asked for, then done (a page or an error), then taken. */
struct _Fetch
{
  guint         ref_count;     /* the list's queue, the request in flight; main thread */
  GTask        *list;          /* (nullable) the list-all task; cleared when dropped */
  char         *cursor;        /* the page was asked for with it; NULL for the first page */
  char         *early_next;    /* read from the end of the body before parsing; NULL if not */
  gboolean      peeked;
  gboolean      done;
  gboolean      dropped;
  GCancellable *cancellable;   /* this page's request; cancelled with the list's, or dropped */
  PbPage       *page;
  GError       *error;
  PbApiFailure *failure;
};

static void
fetch_unref (Fetch *fetch)
{
  g_assert (fetch->ref_count > 0);
  if (--fetch->ref_count > 0)
    return;

  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->list);
  g_free (fetch->cursor);
  g_free (fetch->early_next);
  g_clear_pointer (&fetch->page, pb_page_free);
  g_clear_error (&fetch->error);
  g_clear_pointer (&fetch->failure, pb_api_failure_free);
  g_free (fetch);
}

static void
list_all_clear_cancel_source (ListAll *list)
{
  if (list->cancel_source != NULL)
    {
      g_source_destroy (list->cancel_source);
      g_clear_pointer (&list->cancel_source, g_source_unref);
    }
}

static void
list_all_free (ListAll *list)
{
  /* Every fetch holds the list's task: the queue is empty by now. */
  g_assert (g_queue_is_empty (&list->fetches));
  list_all_clear_cancel_source (list);
  g_free (list->path);
  g_clear_pointer (&list->query, pb_query_free);
  g_clear_pointer (&list->cursors, g_hash_table_unref);
  g_clear_pointer (&list->requested, g_hash_table_unref);
  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_clear_pointer (&list->failure, pb_api_failure_free);
  g_free (list);
}

static gboolean
peek_skip_space (const char *data,
                 gsize      *end)
{
  while (*end > 0 && (data[*end - 1] == ' ' || data[*end - 1] == '\t'
                      || data[*end - 1] == '\r' || data[*end - 1] == '\n'))
    (*end)--;

  return *end > 0;
}

static gboolean
peek_expect (const char *data,
             gsize      *end,
             const char *token)
{
  gsize length = strlen (token);

  if (!peek_skip_space (data, end) || *end < length
      || memcmp (data + *end - length, token, length) != 0)
    return FALSE;

  *end -= length;
  return TRUE;
}

/* The cursor at the end of a page's body, `, "next": "<cursor>"}`, read without parsing.
 * NULL when the end has any other shape, when "next" is null, or when the cursor holds a
 * backslash (an escape that only the parser may decode) or anything but plain UTF-8 text:
 * then only the parse tells. A string is found from its closing quote back to the first
 * quote; with no backslash in between, that quote is unescaped, and "next" must be a key
 * of the outermost object, whose closing brace ends the body. */
static char *
peek_next_cursor (GBytes *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  gsize end = length;
  gsize close;
  gsize open;

  if (data == NULL || !peek_expect (data, &end, "}") || !peek_expect (data, &end, "\""))
    return NULL;

  close = end;
  while (end > 0 && data[end - 1] != '"')
    {
      if (data[end - 1] == '\\' || (guchar) data[end - 1] < 0x20 || close - end >= PEEK_MAX_CURSOR)
        return NULL;
      end--;
    }
  if (end == 0 || end == close)
    return NULL;
  open = end;
  end--;

  if (!peek_expect (data, &end, ":") || !peek_expect (data, &end, "\"next\"")
      || !peek_expect (data, &end, ","))
    return NULL;

  if (!g_utf8_validate_len (data + open, close - open, NULL))
    return NULL;

  return g_strndup (data + open, close - open);
}

static void on_list_all_page (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);
static void on_list_all_peek (GBytes       *bytes,
                              gpointer      user_data);

/* The list's cancellable was cancelled: so are the requests in flight. A source rather than
 * a ::cancelled handler, which could not be disconnected if a request ended within it. */
static gboolean
on_list_all_cancelled (GCancellable *list_cancellable,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  ListAll *list = g_task_get_task_data (task);
  g_autoptr(GPtrArray) cancellables = g_ptr_array_new_with_free_func (g_object_unref);

  list_all_clear_cancel_source (list);

  /* Cancelling may end a request at once, and change the queue. */
  for (GList *l = list->fetches.head; l != NULL; l = l->next)
    g_ptr_array_add (cancellables, g_object_ref (((Fetch *) l->data)->cancellable));
  for (guint i = 0; i < cancellables->len; i++)
    g_cancellable_cancel (g_ptr_array_index (cancellables, i));

  return G_SOURCE_REMOVE;
}

/* Asks for the page at @cursor (NULL: the first) and queues it after the others. */
static void
list_all_request (GTask      *task,
                  const char *cursor)
{
  PbClient *self = g_task_get_source_object (task);
  ListAll *list = g_task_get_task_data (task);
  GCancellable *list_cancellable = g_task_get_cancellable (task);
  Fetch *fetch;

  fetch = g_new0 (Fetch, 1);
  fetch->ref_count = 2;
  fetch->list = g_object_ref (task);
  fetch->cursor = g_strdup (cursor);
  fetch->cancellable = g_cancellable_new ();
  if (g_cancellable_is_cancelled (list_cancellable))
    g_cancellable_cancel (fetch->cancellable);

  if (cursor != NULL)
    g_hash_table_add (list->requested, g_strdup (cursor));
  g_queue_push_tail (&list->fetches, fetch);

  request_start (self, "GET", list->path, list->query, PB_CLIENT_MAX_PAGE_SIZE, cursor, NULL,
                 -1, RESULT_PAGE, list->parser, list->what, on_list_all_peek, fetch,
                 fetch->cancellable, on_list_all_page, fetch, pb_client_list_all_start);
}

/* Forgets every queued page: their requests are cancelled, their answers ignored. */
static void
list_all_drop (ListAll *list)
{
  Fetch *fetch;

  while ((fetch = g_queue_pop_head (&list->fetches)) != NULL)
    {
      fetch->dropped = TRUE;
      g_clear_object (&fetch->list);
      /* May finish its request at once; the queue's reference is still held. */
      g_cancellable_cancel (fetch->cancellable);
      fetch_unref (fetch);
    }
}

static void
list_all_return_error (GTask  *task,
                       GError *error)
{
  ListAll *list = g_task_get_task_data (task);

  list->finished = TRUE;
  list_all_clear_cancel_source (list);
  list_all_drop (list);
  g_task_return_error (task, error);
}

/* Asks early for the pages whose cursors are known but not parsed yet. */
static void
list_all_speculate (GTask *task)
{
  ListAll *list = g_task_get_task_data (task);

  while (!list->finished && g_queue_get_length (&list->fetches) < 1 + LIST_ALL_MAX_AHEAD)
    {
      Fetch *tail = g_queue_peek_tail (&list->fetches);

      if (tail == NULL || !tail->peeked || tail->early_next == NULL
          || g_hash_table_contains (list->requested, tail->early_next)
          || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        break;

      g_debug ("GET %s: asking for the next page before this one is parsed", list->path);
      list_all_request (task, tail->early_next);
    }
}

/* Takes the done pages at the head of the queue, in order. */
static void
list_all_advance (GTask *task)
{
  ListAll *list = g_task_get_task_data (task);
  Fetch *head;

  while (!list->finished && (head = g_queue_peek_head (&list->fetches)) != NULL && head->done)
    {
      g_autoptr(PbPage) page = NULL;
      Fetch *following;

      g_queue_pop_head (&list->fetches);
      if (head->error != NULL)
        {
          GError *error = g_steal_pointer (&head->error);

          g_clear_pointer (&list->failure, pb_api_failure_free);
          list->failure = g_steal_pointer (&head->failure);
          fetch_unref (head);
          list_all_return_error (task, error);
          return;
        }

      page = g_steal_pointer (&head->page);
      fetch_unref (head);

      g_ptr_array_extend_and_steal (list->items, g_steal_pointer (&page->items));

      if (page->next == NULL)
        {
          list->finished = TRUE;
          list_all_clear_cancel_source (list);
          /* A page asked for early although this was the last one. */
          list_all_drop (list);
          g_task_return_pointer (task, g_steal_pointer (&list->items),
                                 (GDestroyNotify) g_ptr_array_unref);
          return;
        }

      if (!g_hash_table_add (list->cursors, g_strdup (page->next)))
        {
          list_all_return_error (task, g_error_new (PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                                                    "The backend sent the same page cursor twice."));
          return;
        }

      following = g_queue_peek_head (&list->fetches);
      if (following == NULL || g_strcmp0 (following->cursor, page->next) != 0)
        {
          if (following != NULL)
            g_debug ("GET %s: the page asked for early is not the next one; dropped",
                     list->path);
          list_all_drop (list);
          list_all_request (task, page->next);
        }
    }

  list_all_speculate (task);
}

static void
on_list_all_peek (GBytes   *bytes,
                  gpointer  user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GTask) task = NULL;

  if (fetch->dropped)
    return;

  fetch->peeked = TRUE;
  fetch->early_next = peek_next_cursor (bytes);
  task = g_object_ref (fetch->list);
  list_all_speculate (task);
}

static void
on_list_all_page (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GTask) task = NULL;
  g_autoptr(PbPage) page = NULL;

  page = pb_client_request_finish_pointer (PB_CLIENT (source), result,
                                           pb_client_list_all_start,
                                           &fetch->failure, &fetch->error);
  if (fetch->dropped)
    {
      fetch_unref (fetch);
      return;
    }

  fetch->page = g_steal_pointer (&page);
  fetch->done = TRUE;
  task = g_object_ref (fetch->list);
  fetch_unref (fetch);
  list_all_advance (task);
}

void
pb_client_list_all_start (PbClient            *self,
                          const char          *path,
                          const PbQuery       *query,
                          ModelParser          parser,
                          const char          *what,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  ListAll *list;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  list = g_new0 (ListAll, 1);
  list->path = g_strdup (path);
  list->query = query != NULL ? pb_query_copy (query) : NULL;
  list->parser = parser;
  list->what = what;
  list->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list->requested = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&list->fetches);
  list->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, list, (GDestroyNotify) list_all_free);

  if (cancellable != NULL)
    {
      /* Destroyed when the list ends, before the task can be freed: no reference needed. */
      list->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (list->cancel_source, "[pb-api] list-all cancelled");
      g_source_set_callback (list->cancel_source, G_SOURCE_FUNC (on_list_all_cancelled), task,
                             NULL);
      g_source_attach (list->cancel_source, g_task_get_context (task));
    }

  list_all_request (task, NULL);
}

GPtrArray *
pb_client_list_all_finish (PbClient      *self,
                           GAsyncResult  *result,
                           gpointer       source_tag,
                           PbApiFailure **out_failure,
                           GError       **error)
{
  ListAll *list;
  GPtrArray *items;

  if (!finish_begin (self, result, source_tag, out_failure))
    return NULL;

  items = g_task_propagate_pointer (G_TASK (result), error);
  list = g_task_get_task_data (G_TASK (result));
  if (items == NULL)
    finish_failure (&list->failure, out_failure);

  return items;
}
