/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-server-private.h"

#define MAX_JSON_DEPTH 32

/* Helpers for handlers: answers, errors, query parameters, cursors and JSON bodies. */

/* ---- replies ---------------------------------------------------------------------------- */

static void
set_body (PbRequest *req,
          guint      status,
          char      *text)
{
  pb_http_exchange_reply (req->http, status, "application/json", text, strlen (text));
  req->status = status;
  req->replied = TRUE;
}

void
pb_request_reply_json (PbRequest *req,
                       guint      status,
                       JsonNode  *node)
{
  set_body (req, status, json_to_string (node, FALSE));
  json_node_unref (node);
}

void
pb_request_reply_text (PbRequest *req,
                       guint      status,
                       GString   *text)
{
  set_body (req, status, g_string_free (text, FALSE));
}

void
pb_request_reply_page (PbRequest  *req,
                       GString    *out,
                       const char *next)
{
  g_string_append (out, "],\"next\":");
  pb_json_append_string (out, next);
  g_string_append_c (out, '}');
  pb_request_reply_text (req, 200, out);
}

void
pb_json_append_string (GString    *out,
                       const char *text)
{
  const char *p, *run;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  /* Runs of characters that need no escape are copied at once. */
  for (p = run = text; *p; p++)
    {
      guchar c = *p;

      if (c != '"' && c != '\\' && c >= 0x20)
        continue;
      g_string_append_len (out, run, p - run);
      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else
        g_string_append_printf (out, "\\u%04x", c);
      run = p + 1;
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

void
pb_request_reply_empty (PbRequest *req,
                        guint      status)
{
  pb_http_exchange_reply (req->http, status, NULL, NULL, 0);
  req->status = status;
  req->replied = TRUE;
}

void
pb_request_reply_error (PbRequest  *req,
                        guint       status,
                        const char *code,
                        JsonNode   *details,
                        const char *format,
                        ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autofree char *message = NULL;
  g_autofree char *now = pb_db_format_time (pb_db_now_ms ());
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "statusCode");
  json_builder_add_int_value (b, status);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "timestamp");
  json_builder_add_string_value (b, now);
  if (details != NULL)
    {
      json_builder_set_member_name (b, "details");
      json_builder_add_value (b, details);
    }
  json_builder_end_object (b);
  pb_request_reply_json (req, status, json_builder_get_root (b));
}

void
pb_request_reply_fields (PbRequest  *req,
                         JsonObject *fields)
{
  g_autoptr(JsonObject) shown = json_object_new ();
  JsonObject *details = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GString) names = g_string_new (NULL);
  GList *members = json_object_get_members (fields), *l;
  guint total = json_object_get_size (fields), n = 0;

  /* The answer names at most the first PB_SERVER_MAX_FIELD_ERRORS fields, so its size does not
   * grow with what a client sends. */
  for (l = members; l != NULL && n < PB_SERVER_MAX_FIELD_ERRORS; l = l->next, n++)
    {
      const char *name = l->data;
      g_string_append_printf (names, "%s%s", names->len ? ", " : "", name);
      json_object_set_member (shown, name, json_node_copy (json_object_get_member (fields, name)));
    }
  g_list_free (members);
  json_object_set_object_member (details, "fields", g_steal_pointer (&shown));
  if (total > n)
    json_object_set_int_member (details, "more_fields", total - n);
  json_node_take_object (node, details);
  /* Each reason is a sentence that names its field: together they are the message. */
  if (total == 1)
    {
      const char *only = json_object_get_string_member (fields, names->str);
      pb_request_reply_error (req, 400, "validation_failed", node, "%s", only);
    }
  else
    {
      g_autoptr(GString) said = g_string_new (NULL);
      JsonObject *listed = json_object_get_object_member (details, "fields");
      GList *shown_members = json_object_get_members (listed);

      for (l = shown_members; l != NULL; l = l->next)
        {
          const char *reason = json_object_get_string_member (listed, l->data);

          if (strstr (said->str, reason) == NULL)
            g_string_append_printf (said, "%s%s", said->len ? " " : "", reason);
        }
      g_list_free (shown_members);
      if (total > n)
        g_string_append_printf (said, " %u more fields are not valid.", total - n);
      pb_request_reply_error (req, 400, "validation_failed", node, "%s", said->str);
    }
}

void
pb_request_reply_db_error (PbRequest *req,
                           GError    *error)
{
  g_warning ("%s %s: %s", req->method, req->shown_path ? req->shown_path : req->http->path,
             error->message);
  if (g_error_matches (error, PB_DB_ERROR, PB_DB_ERROR_BUSY))
    {
      pb_request_set_header (req, "Retry-After", "1");
      pb_request_reply_error (req, 503, "busy", NULL,
                              "The server is busy. Try again in a moment.");
    }
  else
    pb_request_reply_error (req, 500, "internal_error", NULL,
                            "The server could not complete the request because of an internal "
                            "error. Nothing was changed.");
}

void
pb_request_set_header (PbRequest  *req,
                       const char *name,
                       const char *value)
{
  soup_message_headers_replace (req->http->response_headers, name, value);
}

const char *
pb_request_get_header (PbRequest  *req,
                       const char *name)
{
  return soup_message_headers_get_one (req->http->request_headers, name);
}

void
pb_request_set_log (PbRequest  *req,
                    const char *resource,
                    const char *provider,
                    const char *integration_id,
                    const char *account_id)
{
  req->log_resource = resource;
  g_free (req->log_provider);
  req->log_provider = g_strdup (provider);
  g_free (req->log_integration_id);
  req->log_integration_id = g_strdup (integration_id);
  g_free (req->log_account_id);
  req->log_account_id = g_strdup (account_id);
}

/* ---- query and JSON helpers ------------------------------------------------------------- */

gboolean
pb_request_page (PbRequest   *req,
                 guint       *out_page_size,
                 const char **out_cursor)
{
  const char *size = g_hash_table_lookup (req->query, "page_size");
  const char *next = g_hash_table_lookup (req->query, "next");
  guint64 value = 25;

  if (size != NULL && (!g_ascii_string_to_unsigned (size, 10, 1, G_MAXUINT32, &value, NULL)
                       || value > 1000))
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      json_object_set_string_member (fields, "page_size",
                                     "The page size must be a whole number from 1 to 1000.");
      pb_request_reply_fields (req, fields);
      return FALSE;
    }
  *out_page_size = value;
  *out_cursor = next != NULL && *next != '\0' ? next : NULL;
  return TRUE;
}

gboolean
pb_request_query_bool (PbRequest  *req,
                       const char *name,
                       int        *out_value)
{
  const char *text = g_hash_table_lookup (req->query, name);

  *out_value = -1;
  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "true"))
    *out_value = 1;
  else if (g_str_equal (text, "false"))
    *out_value = 0;
  else
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *reason = g_strdup_printf ("“%s” must be true or false.", name);
      json_object_set_string_member (fields, name, reason);
      pb_request_reply_fields (req, fields);
      return FALSE;
    }
  return TRUE;
}

char *
pb_cursor_encode (gint64 a,
                  gint64 b)
{
  g_autofree char *raw = g_strdup_printf ("v1:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, a, b);
  char *out = g_base64_encode ((const guchar *) raw, strlen (raw)), *p;

  for (p = out; *p; p++)
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
    else if (*p == '=')
      *p = '\0';
  return out;
}

gboolean
pb_cursor_decode (const char *cursor,
                  gint64     *out_a,
                  gint64     *out_b)
{
  g_autofree char *b64 = NULL;
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len, i;

  len = strlen (cursor);
  if (len == 0 || len > 100)
    return FALSE;
  b64 = g_malloc (len + 4);
  for (i = 0; i < len; i++)
    {
      char c = cursor[i];
      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return FALSE;
      b64[i] = c;
    }
  while (i % 4 != 0)
    b64[i++] = '=';
  b64[i] = '\0';
  raw = g_base64_decode (b64, &len);
  text = g_strndup ((const char *) raw, len);
  parts = g_strsplit (text, ":", -1);
  if (g_strv_length (parts) != 3 || !g_str_equal (parts[0], "v1")
      || !g_ascii_string_to_signed (parts[1], 10, G_MININT64, G_MAXINT64, out_a, NULL)
      || !g_ascii_string_to_signed (parts[2], 10, G_MININT64, G_MAXINT64, out_b, NULL))
    return FALSE;
  return TRUE;
}

JsonObject *
pb_request_body (PbRequest *req)
{
  return json_node_get_object (req->body);
}

void
pb_json_check_members (JsonObject         *object,
                       const char * const *allowed,
                       const char         *prefix,
                       JsonObject         *fields)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    if (!g_strv_contains (allowed, name))
      {
        g_autofree char *key = pb_json_field_name (prefix, name);
        g_autofree char *reason = g_strdup_printf ("“%s” is not a known field.", key);
        json_object_set_string_member (fields, key, reason);
      }
}

char *
pb_json_field_name (const char *prefix,
                    const char *name)
{
  g_autofree char *full = g_strconcat (prefix ? prefix : "", name, NULL);

  /* A name sent by a client is shown cut at PB_SERVER_MAX_FIELD_NAME characters. */
  if (g_utf8_strlen (full, -1) <= PB_SERVER_MAX_FIELD_NAME)
    return g_steal_pointer (&full);
  *g_utf8_offset_to_pointer (full, PB_SERVER_MAX_FIELD_NAME) = '\0';
  return g_strconcat (full, "…", NULL);
}

gboolean
pb_json_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
pb_json_is_bool (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

gboolean
pb_json_is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_INT64;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
canonical_append (GString  *out,
                  JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      GList *members = json_object_get_members (object), *l;
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      guint i;

      for (l = members; l; l = l->next)
        g_ptr_array_add (names, l->data);
      g_list_free (members);
      g_ptr_array_sort (names, compare_strings);
      g_string_append_c (out, '{');
      for (i = 0; i < names->len; i++)
        {
          g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), names->pdata[i]);
          g_autofree char *key_text = json_to_string (key, FALSE);
          g_string_append_printf (out, "%s%s:", i ? "," : "", key_text);
          canonical_append (out, json_object_get_member (object, names->pdata[i]));
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint i;

      g_string_append_c (out, '[');
      for (i = 0; i < json_array_get_length (array); i++)
        {
          if (i)
            g_string_append_c (out, ',');
          canonical_append (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);
      g_string_append (out, text);
    }
}

char *
pb_json_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  canonical_append (out, node);
  return g_string_free (out, FALSE);
}

/* ---- reading the body ------------------------------------------------------------------ */

gboolean
pb_request_read_body (PbRequest *req)
{
  SoupMessageHeaders *headers = req->http->request_headers;
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (headers, &params);
  const char *charset = params ? g_hash_table_lookup (params, "charset") : NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  const char *data;
  gsize len = 0;

  /* The HTTP side refused bodies over PB_SERVER_MAX_BODY already. */
  data = req->http->body ? g_bytes_get_data (req->http->body, &len) : NULL;
  if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0
      || (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0))
    {
      pb_request_reply_error (req, 415, "unsupported_media_type", NULL,
                              "The request body must be JSON, sent with "
                              "“Content-Type: application/json”.");
      return FALSE;
    }
  if (len == 0)
    {
      pb_request_reply_error (req, 400, "invalid_json", NULL, "The request body is empty; "
                              "it must be a JSON object.");
      return FALSE;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      pb_request_reply_error (req, 400, "invalid_json", NULL,
                              "The request body is not valid UTF-8 text.");
      return FALSE;
    }
  if (!pb_json_check_strict (data, len, MAX_JSON_DEPTH, &problem))
    {
      pb_request_reply_error (req, 400, "invalid_json", NULL,
                              "The request body is not valid JSON: %s.", problem);
      return FALSE;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &error))
    {
      pb_request_reply_error (req, 400, "invalid_json", NULL,
                              "The request body is not valid JSON: %s", error->message);
      return FALSE;
    }
  if (json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      pb_request_reply_error (req, 400, "invalid_json", NULL,
                              "The request body must be a JSON object.");
      return FALSE;
    }
  req->body = json_node_ref (json_parser_get_root (parser));
  return TRUE;
}
