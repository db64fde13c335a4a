/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-client-private.h"

#include <string.h>

/*
 * One request (the GTask's data): it builds a SoupMessage, sends it on the client's one
 * SoupSession, retries 429/503 after Retry-After (bounded), then turns the answer into a
 * model, a page, a JSON object or nothing, or into a PB_API_ERROR that carries the parsed error
 * body (an extended error, see pb-api-error.h). Answers of 64 KiB or more
 * are parsed (JSON and models) in a worker thread (pb-client-parse.c); the task still returns
 * on the caller's main context, with the same results and errors as the inline path.
 *
 * The debug log (G_MESSAGES_DEBUG=pb-api) shows method, path, status and time; never the
 * key, the Authorization header, a query string or a body.
 */

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
  g_free (request);
}

void
pb_client_request_start_full (PbClient            *self,
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
  pb_client_request_start_full (self, method, path, query, page_size, next, body, if_match,
                                kind, parser, what, NULL, NULL, cancellable, callback,
                                user_data, source_tag);
}

/* Checks a result handed to a _finish function. */
gboolean
pb_client_finish_begin (PbClient     *self,
                        GAsyncResult *result,
                        gpointer      source_tag)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return TRUE;
}

gpointer
pb_client_request_finish_pointer (PbClient      *self,
                                  GAsyncResult  *result,
                                  gpointer       source_tag,
                                  GError       **error)
{
  if (!pb_client_finish_begin (self, result, source_tag))
    return NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
pb_client_request_finish_boolean (PbClient      *self,
                                  GAsyncResult  *result,
                                  gpointer       source_tag,
                                  GError       **error)
{
  if (!pb_client_finish_begin (self, result, source_tag))
    return FALSE;

  return g_task_propagate_boolean (G_TASK (result), error);
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
  g_autofree char *description = NULL;

  if (bytes != NULL)
    root = pb_client_parse_json (bytes, NULL);

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

  description = g_strdup_printf ("The backend at %s refused the request: %u %s.",
                                 request->client->base_url, status, status_phrase (status));
  g_task_return_error (task, pb_api_error_new_http (status, code, details, message,
                                                    description));
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
      pb_client_request_return_success (task, bytes);
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
