/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-client.h"

#include <string.h>
#include <libsoup/soup.h>

/*
 * PbClient: the HTTP client for the Plugboard admin API (design/api.md).
 *
 * Every call goes through one Request (the GTask's data): it builds a SoupMessage, sends it
 * on the client's one SoupSession, retries 429/503 after Retry-After (bounded), then turns
 * the answer into a model, a page, a JSON object or nothing, or into a PB_API_ERROR with the
 * parsed error body kept as a PbApiFailure for the _finish function's out parameter.
 *
 * The debug log (G_MESSAGES_DEBUG=pb-api) shows method, path, status and time; never the
 * key, the Authorization header, a query string or a body.
 */

#define IDLE_TIMEOUT_SECONDS 60

struct _PbClient
{
  GObject      parent_instance;

  char        *base_url;
  char        *authorization;   /* "Basic base64(key:)"; never logged */
  GUri        *base_uri;        /* NULL when base_url is not a usable URL */
  SoupSession *session;

  guint        timeout;
  guint        max_retries;
  guint        max_retry_delay;
};

G_DEFINE_FINAL_TYPE (PbClient, pb_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_API_KEY,
  PROP_TIMEOUT,
  PROP_MAX_RETRIES,
  PROP_MAX_RETRY_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* PbPage and PbQuery */

G_DEFINE_BOXED_TYPE (PbPage, pb_page, pb_page_copy, pb_page_free)

static PbPage *
pb_page_new (void)
{
  PbPage *page = g_new0 (PbPage, 1);

  page->items = g_ptr_array_new_with_free_func (g_object_unref);

  return page;
}

PbPage *
pb_page_copy (const PbPage *page)
{
  PbPage *copy;

  g_return_val_if_fail (page != NULL, NULL);

  copy = pb_page_new ();
  for (guint i = 0; i < page->items->len; i++)
    g_ptr_array_add (copy->items, g_object_ref (g_ptr_array_index (page->items, i)));
  copy->next = g_strdup (page->next);

  return copy;
}

void
pb_page_free (PbPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->next);
  g_free (page);
}

struct _PbQuery
{
  GPtrArray *pairs;   /* key, value, key, value, … in the order set */
};

G_DEFINE_BOXED_TYPE (PbQuery, pb_query, pb_query_copy, pb_query_free)

PbQuery *
pb_query_new (void)
{
  PbQuery *query = g_new0 (PbQuery, 1);

  query->pairs = g_ptr_array_new_with_free_func (g_free);

  return query;
}

PbQuery *
pb_query_copy (const PbQuery *query)
{
  PbQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = pb_query_new ();
  for (guint i = 0; i < query->pairs->len; i++)
    g_ptr_array_add (copy->pairs, g_strdup (g_ptr_array_index (query->pairs, i)));

  return copy;
}

void
pb_query_free (PbQuery *query)
{
  if (query == NULL)
    return;

  g_ptr_array_unref (query->pairs);
  g_free (query);
}

/**
 * pb_query_set:
 * @query: a query
 * @key: a filter name, e.g. "category"
 * @value: (nullable): its value; %NULL removes the filter
 */
void
pb_query_set (PbQuery    *query,
              const char *key,
              const char *value)
{
  g_return_if_fail (query != NULL);
  g_return_if_fail (key != NULL);

  for (guint i = 0; i < query->pairs->len; i += 2)
    {
      if (g_str_equal (g_ptr_array_index (query->pairs, i), key))
        {
          if (value == NULL)
            {
              g_ptr_array_remove_range (query->pairs, i, 2);
            }
          else
            {
              g_free (g_ptr_array_index (query->pairs, i + 1));
              g_ptr_array_index (query->pairs, i + 1) = g_strdup (value);
            }
          return;
        }
    }

  if (value != NULL)
    {
      g_ptr_array_add (query->pairs, g_strdup (key));
      g_ptr_array_add (query->pairs, g_strdup (value));
    }
}

const char *
pb_query_get (const PbQuery *query,
              const char    *key)
{
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < query->pairs->len; i += 2)
    if (g_str_equal (g_ptr_array_index (query->pairs, i), key))
      return g_ptr_array_index (query->pairs, i + 1);

  return NULL;
}

static void
append_query_pair (GString    *string,
                   const char *key,
                   const char *value)
{
  g_autofree char *escaped_key = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *escaped_value = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (string, string->len == 0 ? '?' : '&');
  g_string_append_printf (string, "%s=%s", escaped_key, escaped_value);
}

static char *
build_query_string (const PbQuery *query,
                    guint          page_size,
                    const char    *next)
{
  GString *string = g_string_new (NULL);

  if (query != NULL)
    for (guint i = 0; i < query->pairs->len; i += 2)
      append_query_pair (string,
                         g_ptr_array_index (query->pairs, i),
                         g_ptr_array_index (query->pairs, i + 1));

  if (page_size > 0)
    {
      char number[16];

      g_snprintf (number, sizeof number, "%u", page_size);
      append_query_pair (string, "page_size", number);
    }

  if (next != NULL)
    append_query_pair (string, "next", next);

  return g_string_free (string, FALSE);
}

/* Requests */

typedef gpointer (*ModelParser) (JsonObject  *object,
                                 GError     **error);

typedef enum {
  RESULT_MODEL,    /* one model object */
  RESULT_PAGE,     /* {data: [model…], next} → PbPage */
  RESULT_OBJECT,   /* the JSON object as is */
  RESULT_NONE,     /* nothing (204) → TRUE */
} ResultKind;

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
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (self->base_uri == NULL)
    {
      g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_INVALID_URL,
                               "The backend address “%s” is not an http:// or https:// URL.",
                               self->base_url);
      return;
    }

  query_string = build_query_string (query, page_size, next);
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

static gpointer
request_finish_pointer (PbClient      *self,
                        GAsyncResult  *result,
                        gpointer       source_tag,
                        PbApiFailure **out_failure,
                        GError       **error)
{
  Request *request;
  gpointer value;

  g_return_val_if_fail (PB_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  if (out_failure != NULL)
    *out_failure = NULL;

  value = g_task_propagate_pointer (G_TASK (result), error);
  request = g_task_get_task_data (G_TASK (result));
  if (value == NULL && out_failure != NULL)
    *out_failure = g_steal_pointer (&request->failure);

  return value;
}

static gboolean
request_finish_boolean (PbClient      *self,
                        GAsyncResult  *result,
                        gpointer       source_tag,
                        PbApiFailure **out_failure,
                        GError       **error)
{
  Request *request;
  gboolean ok;

  g_return_val_if_fail (PB_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  if (out_failure != NULL)
    *out_failure = NULL;

  ok = g_task_propagate_boolean (G_TASK (result), error);
  request = g_task_get_task_data (G_TASK (result));
  if (!ok && out_failure != NULL)
    *out_failure = g_steal_pointer (&request->failure);

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

static PbPage *
parse_page (Request     *request,
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

      model = request->parser (json_node_get_object (item), &local_error);
      if (model == NULL)
        {
          g_set_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                       "The backend sent %s that could not be read: %s",
                       request->what, local_error->message);
          return NULL;
        }

      g_ptr_array_add (page->items, model);
    }

  return g_steal_pointer (&page);
}

static void
request_return_success (GTask  *task,
                        GBytes *bytes)
{
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (request->kind == RESULT_NONE)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  root = parse_json (bytes, &error);
  if (root == NULL)
    {
      g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                               "The backend at %s sent an answer that is not JSON: %s",
                               request->client->base_url, error->message);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                               "The backend at %s sent an answer that is not a JSON object.",
                               request->client->base_url);
      return;
    }

  object = json_node_get_object (root);

  switch (request->kind)
    {
    case RESULT_MODEL:
      {
        gpointer model = request->parser (object, &error);

        if (model == NULL)
          g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                                   "The backend sent %s that could not be read: %s",
                                   request->what, error->message);
        else
          g_task_return_pointer (task, model, g_object_unref);
      }
      break;

    case RESULT_PAGE:
      {
        PbPage *page = parse_page (request, object, &error);

        if (page == NULL)
          g_task_return_error (task, g_steal_pointer (&error));
        else
          g_task_return_pointer (task, page, (GDestroyNotify) pb_page_free);
      }
      break;

    case RESULT_OBJECT:
      g_task_return_pointer (task, json_object_ref (object), (GDestroyNotify) json_object_unref);
      break;

    case RESULT_NONE:
    default:
      g_assert_not_reached ();
    }
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
    request_return_success (task, bytes);
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
  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_request_sent, task);
}

/* Following pages to the end */

typedef struct
{
  char         *path;
  PbQuery      *query;
  ModelParser   parser;
  const char   *what;
  char         *next;
  GHashTable   *cursors;   /* seen, so that a looping backend cannot loop us */
  GPtrArray    *items;
  PbApiFailure *failure;
} ListAll;

static void
list_all_free (ListAll *list)
{
  g_free (list->path);
  g_clear_pointer (&list->query, pb_query_free);
  g_free (list->next);
  g_clear_pointer (&list->cursors, g_hash_table_unref);
  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_clear_pointer (&list->failure, pb_api_failure_free);
  g_free (list);
}

static void list_all_fetch (GTask *task);

static void
on_list_all_page (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListAll *list = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbPage) page = NULL;

  page = request_finish_pointer (PB_CLIENT (source), result, list_all_fetch,
                                 &list->failure, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_ptr_array_extend_and_steal (list->items, g_steal_pointer (&page->items));

  g_clear_pointer (&list->next, g_free);
  if (page->next == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&list->items),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if (!g_hash_table_add (list->cursors, g_strdup (page->next)))
    {
      g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                               "The backend sent the same page cursor twice.");
      return;
    }

  list->next = g_steal_pointer (&page->next);
  list_all_fetch (g_steal_pointer (&task));
}

static void
list_all_fetch (GTask *task)
{
  PbClient *self = g_task_get_source_object (task);
  ListAll *list = g_task_get_task_data (task);

  request_start (self, "GET", list->path, list->query, PB_CLIENT_MAX_PAGE_SIZE, list->next,
                 NULL, -1, RESULT_PAGE, list->parser, list->what,
                 g_task_get_cancellable (task), on_list_all_page, task, list_all_fetch);
}

static void
list_all_start (PbClient            *self,
                const char          *path,
                const PbQuery       *query,
                ModelParser          parser,
                const char          *what,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  GTask *task;
  ListAll *list;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  list = g_new0 (ListAll, 1);
  list->path = g_strdup (path);
  list->query = query != NULL ? pb_query_copy (query) : NULL;
  list->parser = parser;
  list->what = what;
  list->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, list, (GDestroyNotify) list_all_free);

  list_all_fetch (task);
}

static GPtrArray *
list_all_finish (PbClient      *self,
                 GAsyncResult  *result,
                 gpointer       source_tag,
                 PbApiFailure **out_failure,
                 GError       **error)
{
  ListAll *list;
  GPtrArray *items;

  g_return_val_if_fail (PB_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  if (out_failure != NULL)
    *out_failure = NULL;

  items = g_task_propagate_pointer (G_TASK (result), error);
  list = g_task_get_task_data (G_TASK (result));
  if (items == NULL && out_failure != NULL)
    *out_failure = g_steal_pointer (&list->failure);

  return items;
}

/* GObject */

static void
pb_client_finalize (GObject *object)
{
  PbClient *self = (PbClient *) object;

  if (self->authorization != NULL)
    {
      /* The header holds the key: do not leave it in freed memory. */
      volatile char *p = self->authorization;

      while (*p != '\0')
        *p++ = '\0';
      g_clear_pointer (&self->authorization, g_free);
    }

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (pb_client_parent_class)->finalize (object);
}

static void
pb_client_set_base_url (PbClient   *self,
                        const char *base_url)
{
  g_autofree char *url = g_strdup (base_url != NULL ? base_url : "");
  g_autoptr(GUri) uri = NULL;
  gsize length;

  g_strstrip (url);
  length = strlen (url);
  while (length > 0 && url[length - 1] == '/')
    url[--length] = '\0';

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri != NULL
      && (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0
          || g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
      && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0'
      && g_uri_get_query (uri) == NULL && g_uri_get_fragment (uri) == NULL)
    self->base_uri = g_steal_pointer (&uri);

  self->base_url = g_steal_pointer (&url);
}

static void
pb_client_set_api_key (PbClient   *self,
                       const char *api_key)
{
  g_autofree char *credentials = g_strconcat (api_key != NULL ? api_key : "", ":", NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) credentials,
                                              strlen (credentials));

  self->authorization = g_strconcat ("Basic ", encoded, NULL);

  memset (credentials, 0, strlen (credentials));
  memset (encoded, 0, strlen (encoded));
}

static void
pb_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PbClient *self = PB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;
    case PROP_MAX_RETRY_DELAY:
      g_value_set_uint (value, self->max_retry_delay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PbClient *self = PB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      pb_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      pb_client_set_api_key (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      pb_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRIES:
      pb_client_set_max_retries (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRY_DELAY:
      pb_client_set_max_retry_delay (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_client_class_init (PbClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_client_finalize;
  object_class->get_property = pb_client_get_property;
  object_class->set_property = pb_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* Write-only: nobody reads the key back from the client. */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, PB_CLIENT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL, 0, 100, PB_CLIENT_DEFAULT_MAX_RETRIES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_RETRY_DELAY] =
    g_param_spec_uint ("max-retry-delay", NULL, NULL, 0, 3600, PB_CLIENT_DEFAULT_MAX_RETRY_DELAY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_client_init (PbClient *self)
{
  self->timeout = PB_CLIENT_DEFAULT_TIMEOUT;
  self->max_retries = PB_CLIENT_DEFAULT_MAX_RETRIES;
  self->max_retry_delay = PB_CLIENT_DEFAULT_MAX_RETRY_DELAY;

  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                                 "user-agent", "plugboard/" PACKAGE_VERSION,
                                                 NULL);
  /* The Authorization header is set on every message; no challenge dance. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);
}

/**
 * pb_client_new:
 * @base_url: the backend's base URL, e.g. "http://127.0.0.1:8710"
 * @api_key: the API key (never logged)
 *
 * Returns: (transfer full): a new client with its own SoupSession
 */
PbClient *
pb_client_new (const char *base_url,
               const char *api_key)
{
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (api_key != NULL, NULL);

  return g_object_new (PB_TYPE_CLIENT,
                       "base-url", base_url,
                       "api-key", api_key,
                       NULL);
}

const char *
pb_client_get_base_url (PbClient *self)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), NULL);

  return self->base_url;
}

guint
pb_client_get_timeout (PbClient *self)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), 0);

  return self->timeout;
}

/**
 * pb_client_set_timeout:
 * @self: a client
 * @seconds: how long a connection may stay silent before the request fails as
 *   %PB_API_ERROR_UNREACHABLE; 0 for no limit
 */
void
pb_client_set_timeout (PbClient *self,
                       guint     seconds)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
pb_client_get_max_retries (PbClient *self)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), 0);

  return self->max_retries;
}

/**
 * pb_client_set_max_retries:
 * @self: a client
 * @n: how many times a 429 or 503 answer is retried before it is reported
 */
void
pb_client_set_max_retries (PbClient *self,
                           guint     n)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  if (self->max_retries == n)
    return;

  self->max_retries = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRIES]);
}

guint
pb_client_get_max_retry_delay (PbClient *self)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), 0);

  return self->max_retry_delay;
}

/**
 * pb_client_set_max_retry_delay:
 * @self: a client
 * @seconds: the longest wait before a retry, whatever Retry-After says
 */
void
pb_client_set_max_retry_delay (PbClient *self,
                               guint     seconds)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  if (self->max_retry_delay == seconds)
    return;

  self->max_retry_delay = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRY_DELAY]);
}

static char *
path_with_id (const char *collection,
              const char *id)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat (collection, "/", escaped, NULL);
}

/* Typed wrappers so that no call goes through a cast function pointer. */
#define DEFINE_PARSER(name, function)                  \
  static gpointer                                      \
  name (JsonObject *object,                            \
        GError    **error)                             \
  {                                                    \
    return function (object, error);                   \
  }

DEFINE_PARSER (parse_project, pb_project_new_from_json)
DEFINE_PARSER (parse_connector, pb_connector_new_from_json)
DEFINE_PARSER (parse_integration, pb_integration_new_from_json)
DEFINE_PARSER (parse_linked_account, pb_linked_account_new_from_json)
DEFINE_PARSER (parse_log_entry, pb_log_entry_new_from_json)

#define MODEL(f) (parse_##f)

/* Project */

void
pb_client_get_project_async (PbClient            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  request_start (self, "GET", "/project", NULL, 0, NULL, NULL, -1,
                 RESULT_MODEL, MODEL (project), "a project",
                 cancellable, callback, user_data, pb_client_get_project_async);
}

/**
 * pb_client_get_project_finish:
 * @out_failure: (out) (optional) (nullable) (transfer full): the error body of an HTTP error
 *
 * Returns: (transfer full): the key's project, or %NULL with @error set
 */
PbProject *
pb_client_get_project_finish (PbClient      *self,
                              GAsyncResult  *result,
                              PbApiFailure **out_failure,
                              GError       **error)
{
  return request_finish_pointer (self, result, pb_client_get_project_async, out_failure, error);
}

/* Connectors */

void
pb_client_list_connectors_async (PbClient            *self,
                                 const PbQuery       *query,
                                 guint                page_size,
                                 const char          *next,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  request_start (self, "GET", "/connectors", query, page_size, next, NULL, -1,
                 RESULT_PAGE, MODEL (connector), "a connector",
                 cancellable, callback, user_data, pb_client_list_connectors_async);
}

/**
 * pb_client_list_connectors_finish:
 *
 * Returns: (transfer full): a page of #PbConnector
 */
PbPage *
pb_client_list_connectors_finish (PbClient      *self,
                                  GAsyncResult  *result,
                                  PbApiFailure **out_failure,
                                  GError       **error)
{
  return request_finish_pointer (self, result, pb_client_list_connectors_async, out_failure,
                                 error);
}

void
pb_client_list_all_connectors_async (PbClient            *self,
                                     const PbQuery       *query,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  list_all_start (self, "/connectors", query, MODEL (connector), "a connector",
                  cancellable, callback, user_data, pb_client_list_all_connectors_async);
}

/**
 * pb_client_list_all_connectors_finish:
 *
 * Returns: (transfer full) (element-type PbConnector): every connector, page after page
 */
GPtrArray *
pb_client_list_all_connectors_finish (PbClient      *self,
                                      GAsyncResult  *result,
                                      PbApiFailure **out_failure,
                                      GError       **error)
{
  return list_all_finish (self, result, pb_client_list_all_connectors_async, out_failure, error);
}

void
pb_client_get_connector_async (PbClient            *self,
                               const char          *provider,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (provider != NULL);

  path = path_with_id ("/connectors", provider);
  request_start (self, "GET", path, NULL, 0, NULL, NULL, -1,
                 RESULT_MODEL, MODEL (connector), "a connector",
                 cancellable, callback, user_data, pb_client_get_connector_async);
}

PbConnector *
pb_client_get_connector_finish (PbClient      *self,
                                GAsyncResult  *result,
                                PbApiFailure **out_failure,
                                GError       **error)
{
  return request_finish_pointer (self, result, pb_client_get_connector_async, out_failure,
                                 error);
}

/* Integrations */

void
pb_client_list_integrations_async (PbClient            *self,
                                   const PbQuery       *query,
                                   guint                page_size,
                                   const char          *next,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  request_start (self, "GET", "/integrations", query, page_size, next, NULL, -1,
                 RESULT_PAGE, MODEL (integration), "an integration",
                 cancellable, callback, user_data, pb_client_list_integrations_async);
}

/**
 * pb_client_list_integrations_finish:
 *
 * Returns: (transfer full): a page of #PbIntegration
 */
PbPage *
pb_client_list_integrations_finish (PbClient      *self,
                                    GAsyncResult  *result,
                                    PbApiFailure **out_failure,
                                    GError       **error)
{
  return request_finish_pointer (self, result, pb_client_list_integrations_async, out_failure,
                                 error);
}

void
pb_client_list_all_integrations_async (PbClient            *self,
                                       const PbQuery       *query,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  list_all_start (self, "/integrations", query, MODEL (integration),
                  "an integration", cancellable, callback, user_data,
                  pb_client_list_all_integrations_async);
}

/**
 * pb_client_list_all_integrations_finish:
 *
 * Returns: (transfer full) (element-type PbIntegration): every integration
 */
GPtrArray *
pb_client_list_all_integrations_finish (PbClient      *self,
                                        GAsyncResult  *result,
                                        PbApiFailure **out_failure,
                                        GError       **error)
{
  return list_all_finish (self, result, pb_client_list_all_integrations_async, out_failure,
                          error);
}

void
pb_client_get_integration_async (PbClient            *self,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = path_with_id ("/integrations", id);
  request_start (self, "GET", path, NULL, 0, NULL, NULL, -1,
                 RESULT_MODEL, MODEL (integration), "an integration",
                 cancellable, callback, user_data, pb_client_get_integration_async);
}

PbIntegration *
pb_client_get_integration_finish (PbClient      *self,
                                  GAsyncResult  *result,
                                  PbApiFailure **out_failure,
                                  GError       **error)
{
  return request_finish_pointer (self, result, pb_client_get_integration_async, out_failure,
                                 error);
}

/**
 * pb_client_create_integration_async:
 * @body: (transfer none): `{id?, name?, connector_key, authentication_config_key, default?,
 *   config, secrets}`; the secrets travel in it and nowhere else
 */
void
pb_client_create_integration_async (PbClient            *self,
                                    JsonObject          *body,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (body != NULL);

  request_start (self, "POST", "/integrations", NULL, 0, NULL, body, -1,
                 RESULT_MODEL, MODEL (integration), "an integration",
                 cancellable, callback, user_data, pb_client_create_integration_async);
}

PbIntegration *
pb_client_create_integration_finish (PbClient      *self,
                                     GAsyncResult  *result,
                                     PbApiFailure **out_failure,
                                     GError       **error)
{
  return request_finish_pointer (self, result, pb_client_create_integration_async, out_failure,
                                 error);
}

/**
 * pb_client_update_integration_async:
 * @patch: (transfer none): the fields to change
 * @if_match_version: the version the change is based on (sent as `If-Match`), or -1
 */
void
pb_client_update_integration_async (PbClient            *self,
                                    const char          *id,
                                    JsonObject          *patch,
                                    gint64               if_match_version,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (patch != NULL);

  path = path_with_id ("/integrations", id);
  request_start (self, "PATCH", path, NULL, 0, NULL, patch, if_match_version,
                 RESULT_MODEL, MODEL (integration), "an integration",
                 cancellable, callback, user_data, pb_client_update_integration_async);
}

PbIntegration *
pb_client_update_integration_finish (PbClient      *self,
                                     GAsyncResult  *result,
                                     PbApiFailure **out_failure,
                                     GError       **error)
{
  return request_finish_pointer (self, result, pb_client_update_integration_async, out_failure,
                                 error);
}

/**
 * pb_client_delete_integration_async:
 * @if_match_version: the version the deletion is based on (sent as `If-Match`), or -1
 */
void
pb_client_delete_integration_async (PbClient            *self,
                                    const char          *id,
                                    gint64               if_match_version,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = path_with_id ("/integrations", id);
  request_start (self, "DELETE", path, NULL, 0, NULL, NULL, if_match_version,
                 RESULT_NONE, NULL, "an integration",
                 cancellable, callback, user_data, pb_client_delete_integration_async);
}

gboolean
pb_client_delete_integration_finish (PbClient      *self,
                                     GAsyncResult  *result,
                                     PbApiFailure **out_failure,
                                     GError       **error)
{
  return request_finish_boolean (self, result, pb_client_delete_integration_async, out_failure,
                                 error);
}

/* Linked accounts */

void
pb_client_list_accounts_async (PbClient            *self,
                               const PbQuery       *query,
                               guint                page_size,
                               const char          *next,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  request_start (self, "GET", "/accounts", query, page_size, next, NULL, -1,
                 RESULT_PAGE, MODEL (linked_account), "a linked account",
                 cancellable, callback, user_data, pb_client_list_accounts_async);
}

/**
 * pb_client_list_accounts_finish:
 *
 * Returns: (transfer full): a page of #PbLinkedAccount
 */
PbPage *
pb_client_list_accounts_finish (PbClient      *self,
                                GAsyncResult  *result,
                                PbApiFailure **out_failure,
                                GError       **error)
{
  return request_finish_pointer (self, result, pb_client_list_accounts_async, out_failure,
                                 error);
}

void
pb_client_list_all_accounts_async (PbClient            *self,
                                   const PbQuery       *query,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  list_all_start (self, "/accounts", query, MODEL (linked_account),
                  "a linked account", cancellable, callback, user_data,
                  pb_client_list_all_accounts_async);
}

/**
 * pb_client_list_all_accounts_finish:
 *
 * Returns: (transfer full) (element-type PbLinkedAccount): every linked account
 */
GPtrArray *
pb_client_list_all_accounts_finish (PbClient      *self,
                                    GAsyncResult  *result,
                                    PbApiFailure **out_failure,
                                    GError       **error)
{
  return list_all_finish (self, result, pb_client_list_all_accounts_async, out_failure, error);
}

void
pb_client_get_account_async (PbClient            *self,
                             const char          *id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = path_with_id ("/accounts", id);
  request_start (self, "GET", path, NULL, 0, NULL, NULL, -1,
                 RESULT_MODEL, MODEL (linked_account), "a linked account",
                 cancellable, callback, user_data, pb_client_get_account_async);
}

PbLinkedAccount *
pb_client_get_account_finish (PbClient      *self,
                              GAsyncResult  *result,
                              PbApiFailure **out_failure,
                              GError       **error)
{
  return request_finish_pointer (self, result, pb_client_get_account_async, out_failure, error);
}

/* Connect sessions */

/**
 * pb_client_create_connect_session_async:
 * @body: (transfer none): `{origin_owner_id, origin_owner_name, origin_username?, provider,
 *   integration_id?, expires_in?}`
 */
void
pb_client_create_connect_session_async (PbClient            *self,
                                        JsonObject          *body,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (body != NULL);

  request_start (self, "POST", "/connect_sessions", NULL, 0, NULL, body, -1,
                 RESULT_OBJECT, NULL, "a connect session",
                 cancellable, callback, user_data, pb_client_create_connect_session_async);
}

/**
 * pb_client_create_connect_session_finish:
 *
 * Returns: (transfer full): `{id, token, expires_at, provider, integration_id, project_id}`
 */
JsonObject *
pb_client_create_connect_session_finish (PbClient      *self,
                                         GAsyncResult  *result,
                                         PbApiFailure **out_failure,
                                         GError       **error)
{
  return request_finish_pointer (self, result, pb_client_create_connect_session_async,
                                 out_failure, error);
}

/**
 * pb_client_authenticate_connect_session_async:
 * @body: (transfer none): `{token, credentials?}`
 */
void
pb_client_authenticate_connect_session_async (PbClient            *self,
                                              JsonObject          *body,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (body != NULL);

  request_start (self, "POST", "/connect_sessions/authenticate", NULL, 0, NULL, body, -1,
                 RESULT_MODEL, MODEL (linked_account), "a linked account",
                 cancellable, callback, user_data,
                 pb_client_authenticate_connect_session_async);
}

PbLinkedAccount *
pb_client_authenticate_connect_session_finish (PbClient      *self,
                                               GAsyncResult  *result,
                                               PbApiFailure **out_failure,
                                               GError       **error)
{
  return request_finish_pointer (self, result, pb_client_authenticate_connect_session_async,
                                 out_failure, error);
}

/* Request logs */

void
pb_client_list_logs_async (PbClient            *self,
                           const PbQuery       *query,
                           guint                page_size,
                           const char          *next,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  request_start (self, "GET", "/requests/logs", query, page_size, next, NULL, -1,
                 RESULT_PAGE, MODEL (log_entry), "a request log entry",
                 cancellable, callback, user_data, pb_client_list_logs_async);
}

/**
 * pb_client_list_logs_finish:
 *
 * Returns: (transfer full): a page of #PbLogEntry
 */
PbPage *
pb_client_list_logs_finish (PbClient      *self,
                            GAsyncResult  *result,
                            PbApiFailure **out_failure,
                            GError       **error)
{
  return request_finish_pointer (self, result, pb_client_list_logs_async, out_failure, error);
}

void
pb_client_list_all_logs_async (PbClient            *self,
                               const PbQuery       *query,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  list_all_start (self, "/requests/logs", query, MODEL (log_entry),
                  "a request log entry", cancellable, callback, user_data,
                  pb_client_list_all_logs_async);
}

/**
 * pb_client_list_all_logs_finish:
 *
 * Returns: (transfer full) (element-type PbLogEntry): every log entry
 */
GPtrArray *
pb_client_list_all_logs_finish (PbClient      *self,
                                GAsyncResult  *result,
                                PbApiFailure **out_failure,
                                GError       **error)
{
  return list_all_finish (self, result, pb_client_list_all_logs_async, out_failure, error);
}

void
pb_client_get_log_async (PbClient            *self,
                         const char          *request_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (request_id != NULL);

  path = path_with_id ("/requests/logs", request_id);
  request_start (self, "GET", path, NULL, 0, NULL, NULL, -1,
                 RESULT_MODEL, MODEL (log_entry), "a request log entry",
                 cancellable, callback, user_data, pb_client_get_log_async);
}

PbLogEntry *
pb_client_get_log_finish (PbClient      *self,
                          GAsyncResult  *result,
                          PbApiFailure **out_failure,
                          GError       **error)
{
  return request_finish_pointer (self, result, pb_client_get_log_async, out_failure, error);
}
