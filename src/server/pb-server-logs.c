/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-server-private.h"

#define COLUMNS "request_id, event_time, duration, http_method, path, url, status, success," \
                " provider, integration_id, account_id, service, resource, source_type, seq"

/* A UUID version 7: time-ordered, so the unique index grows at its end. */
static char *
uuid7 (gint64 ms)
{
  guint8 b[16];
  guint i;

  for (i = 0; i < 6; i++)
    b[i] = (guint8) (((guint64) ms >> (8 * (5 - i))) & 0xff);
  for (i = 6; i < 16; i++)
    b[i] = (guint8) g_random_int_range (0, 256);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
                          b[11], b[12], b[13], b[14], b[15]);
}

gboolean
pb_server_insert_log (PbDb        *db,
                      const char  *project_id,
                      gint64       event_ms,
                      gint64       duration_ms,
                      const char  *method,
                      const char  *path,
                      const char  *url,
                      guint        status,
                      const char  *provider,
                      const char  *integration_id,
                      const char  *account_id,
                      const char  *service,
                      const char  *resource,
                      const char  *source_type,
                      GError     **error)
{
  g_autofree char *request_id = uuid7 (event_ms);
  PbDbStmt *stmt = pb_db_stmt (db, "INSERT INTO logs (request_id, project_id, event_time,"
                                       " duration, http_method, path, url, status, success,"
                                       " provider, integration_id, account_id, service, resource,"
                                       " source_type) VALUES"
                                       " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

  pb_db_bind_text (stmt, 1, request_id);
  pb_db_bind_text (stmt, 2, project_id);
  pb_db_bind_int64 (stmt, 3, event_ms);
  pb_db_bind_int64 (stmt, 4, duration_ms);
  pb_db_bind_text (stmt, 5, method);
  pb_db_bind_text (stmt, 6, path);
  pb_db_bind_text (stmt, 7, url);
  pb_db_bind_int64 (stmt, 8, status);
  pb_db_bind_int64 (stmt, 9, status < 400);
  pb_db_bind_text (stmt, 10, provider);
  pb_db_bind_text (stmt, 11, integration_id);
  pb_db_bind_text (stmt, 12, account_id);
  pb_db_bind_text (stmt, 13, service);
  pb_db_bind_text (stmt, 14, resource);
  pb_db_bind_text (stmt, 15, source_type);
  return pb_db_step_done (db, stmt, error);
}

gboolean
pb_request_insert_log (PbRequest  *req,
                       guint       status,
                       GError    **error)
{
  const char *path = req->shown_path ? req->shown_path : req->http->path;
  const char *query = req->shown_path ? NULL : req->http->query;
  g_autofree char *url = g_strconcat (req->public_url, path, query ? "?" : "", query ? query : "",
                                      NULL);

  return pb_server_insert_log (req->db, req->project_id, pb_db_now_ms (),
                               (g_get_monotonic_time () - req->start_us) / 1000, req->method, path,
                               url, status, req->log_provider, req->log_integration_id,
                               req->log_account_id, "plugboard", req->log_resource,
                               req->log_source ? req->log_source : "admin_api",
                               error);
}

gboolean
pb_request_commit (PbRequest  *req,
                   guint       status,
                   GError    **error)
{
  if (req->log_resource != NULL && req->project_id != NULL)
    {
      if (!pb_request_insert_log (req, status, error))
        return FALSE;
      req->log_written = TRUE;
    }
  if (!pb_db_commit (req->db, error))
    {
      req->log_written = FALSE;
      return FALSE;
    }
  return TRUE;
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append_printf (out, ",\"%s\":", name);
  pb_json_append_string (out, value);
}

/* Writes the log at the current row of @stmt as JSON (lists of logs are long and frequent). */
static void
log_append_json (PbDbStmt *stmt,
                 GString      *out)
{
  g_autofree char *when = pb_db_format_time (pb_db_column_int64 (stmt, 1));

  g_string_append (out, "{\"request_id\":");
  pb_json_append_string (out, pb_db_column_text (stmt, 0));
  append_member (out, "event_datetime", when);
  g_string_append_printf (out, ",\"duration\":%" G_GINT64_FORMAT,
                          (gint64) pb_db_column_int64 (stmt, 2));
  append_member (out, "http_method", pb_db_column_text (stmt, 3));
  append_member (out, "path", pb_db_column_text (stmt, 4));
  append_member (out, "url", pb_db_column_text (stmt, 5));
  g_string_append_printf (out, ",\"status\":%d,\"success\":%s", pb_db_column_int (stmt, 6),
                          pb_db_column_int (stmt, 7) ? "true" : "false");
  append_member (out, "provider", pb_db_column_text (stmt, 8));
  append_member (out, "integration_id", pb_db_column_text (stmt, 9));
  append_member (out, "account_id", pb_db_column_text (stmt, 10));
  append_member (out, "service", pb_db_column_text (stmt, 11));
  append_member (out, "resource", pb_db_column_text (stmt, 12));
  append_member (out, "source_type", pb_db_column_text (stmt, 13));
  g_string_append_c (out, '}');
}

static char *
parse_status_codes (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", 50);
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  guint i;

  for (i = 0; parts[i] != NULL; i++)
    {
      guint64 code;
      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 100, 599, &code, NULL))
        return NULL;
      json_array_add_int_element (list, code);
    }
  if (i == 0)
    return NULL;
  node = json_node_init_array (json_node_alloc (), list);
  return json_to_string (node, FALSE);
}

void
pb_server_handle_logs_list (PbRequest *req)
{
  const char *integration = g_hash_table_lookup (req->query, "integration_id");
  const char *account = g_hash_table_lookup (req->query, "account_id");
  const char *provider = g_hash_table_lookup (req->query, "provider");
  const char *codes_text = g_hash_table_lookup (req->query, "status_codes");
  const char *start_text = g_hash_table_lookup (req->query, "start_date");
  const char *end_text = g_hash_table_lookup (req->query, "end_date");
  const char *direction = g_hash_table_lookup (req->query, "order_direction");
  g_autoptr(JsonObject) fields = json_object_new ();
  GString *out = NULL;
  g_autofree char *codes = NULL;
  g_autofree char *next = NULL;
  const char *cursor;
  gboolean ascending = FALSE;
  gint64 start = 0, end = 0, after_time, after_seq, last_time = 0, last_seq = 0;
  guint page_size, n = 0;
  int success;
  PbDbStmt *stmt;

  if (!pb_request_page (req, &page_size, &cursor) || !pb_request_query_bool (req, "success", &success))
    return;
  if (codes_text != NULL && (codes = parse_status_codes (codes_text)) == NULL)
    json_object_set_string_member (fields, "status_codes",
                                   "Must be HTTP status codes separated by commas, e.g. 400,404.");
  if (start_text != NULL && !pb_db_parse_time (start_text, &start))
    json_object_set_string_member (fields, "start_date",
                                   "Must be an RFC 3339 time, e.g. 2026-11-01T00:00:00Z.");
  if (end_text != NULL && !pb_db_parse_time (end_text, &end))
    json_object_set_string_member (fields, "end_date",
                                   "Must be an RFC 3339 time, e.g. 2026-11-30T23:59:59Z.");
  if (direction != NULL && !g_str_equal (direction, "asc") && !g_str_equal (direction, "desc"))
    json_object_set_string_member (fields, "order_direction", "Must be asc or desc.");
  else
    ascending = g_strcmp0 (direction, "asc") == 0;
  if (ascending)
    after_time = after_seq = G_MININT64;
  else
    after_time = after_seq = G_MAXINT64;
  if (cursor != NULL && !pb_cursor_decode (cursor, &after_time, &after_seq))
    json_object_set_string_member (fields, "next", "This page cursor is not valid.");
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      return;
    }

#define FILTERS(LIST) " WHERE project_id = ?1" \
  " AND (CAST (?2 AS TEXT) IS NULL OR integration_id = ?2)" \
  " AND (CAST (?3 AS TEXT) IS NULL OR account_id = ?3)" \
  " AND (CAST (?4 AS TEXT) IS NULL OR provider = ?4)" \
  " AND (CAST (?5 AS INTEGER) IS NULL OR success = ?5)" \
  " AND (CAST (?6 AS TEXT) IS NULL OR status IN (" LIST ("?6") "))" \
  " AND (CAST (?7 AS BIGINT) IS NULL OR event_time >= ?7)" \
  " AND (CAST (?8 AS BIGINT) IS NULL OR event_time <= ?8)"
#define ASCENDING(LIST) "SELECT " COLUMNS " FROM logs" FILTERS (LIST) \
  " AND (event_time, seq) > (?9, ?10) ORDER BY event_time, seq LIMIT ?11"
#define DESCENDING(LIST) "SELECT " COLUMNS " FROM logs" FILTERS (LIST) \
  " AND (event_time, seq) < (?9, ?10) ORDER BY event_time DESC, seq DESC LIMIT ?11"
  if (ascending)
    stmt = pb_db_stmt (req->db, PB_DB_DIALECT (req->db, ASCENDING (PB_DB_SQLITE_JSON_LIST),
                                               ASCENDING (PB_DB_POSTGRESQL_JSON_INT_LIST)));
  else
    stmt = pb_db_stmt (req->db, PB_DB_DIALECT (req->db, DESCENDING (PB_DB_SQLITE_JSON_LIST),
                                               DESCENDING (PB_DB_POSTGRESQL_JSON_INT_LIST)));
#undef ASCENDING
#undef DESCENDING
#undef FILTERS
  pb_db_bind_text (stmt, 1, req->project_id);
  pb_db_bind_text (stmt, 2, integration);
  pb_db_bind_text (stmt, 3, account);
  pb_db_bind_text (stmt, 4, provider);
  if (success >= 0)
    pb_db_bind_int64 (stmt, 5, success);
  pb_db_bind_text (stmt, 6, codes);
  if (start_text != NULL)
    pb_db_bind_int64 (stmt, 7, start);
  if (end_text != NULL)
    pb_db_bind_int64 (stmt, 8, end);
  pb_db_bind_int64 (stmt, 9, after_time);
  pb_db_bind_int64 (stmt, 10, after_seq);
  pb_db_bind_int64 (stmt, 11, page_size + 1);
  out = g_string_sized_new (512 * MIN (page_size, 100));
  g_string_append (out, "{\"data\":[");
  while (pb_db_step (stmt) == PB_DB_ROW)
    {
      if (n == page_size)
        {
          next = pb_cursor_encode (last_time, last_seq);
          break;
        }
      if (n > 0)
        g_string_append_c (out, ',');
      log_append_json (stmt, out);
      last_time = pb_db_column_int64 (stmt, 1);
      last_seq = pb_db_column_int64 (stmt, 14);
      n++;
    }
  pb_db_reset (stmt);
  pb_request_reply_page (req, out, next);
}

void
pb_server_handle_log_get (PbRequest  *req,
                          const char *id)
{
  PbDbStmt *stmt;
  GString *out = NULL;

  stmt = pb_db_stmt (req->db, "SELECT " COLUMNS " FROM logs WHERE request_id = ? AND project_id = ?");
  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, req->project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      out = g_string_sized_new (512);
      log_append_json (stmt, out);
    }
  pb_db_reset (stmt);
  if (out == NULL)
    pb_request_reply_error (req, 404, "not_found", NULL,
                            "There is no request log with the id “%s” in this project.", id);
  else
    pb_request_reply_text (req, 200, out);
}
