/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-server-accounts.h"
#include "pb-server-credentials.h"

/* Linked accounts as the API shows them: reads, and what their handlers share. */

static const char * const account_statuses[] = {
  "active", "inactive", "suspended", "error", "expired", NULL
};

gboolean
pb_account_status_known (const char *status)
{
  return status != NULL && g_strv_contains (account_statuses, status);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       ms)
{
  g_autofree char *text = pb_db_format_time (ms);

  add_string (b, name, text);
}

static JsonNode *
account_to_json (PbRequest    *req,
                 PbDbStmt *stmt)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *provider = pb_db_column_text (stmt, 1);
  PbCatalogEntry *entry = pb_catalog_lookup (req->catalog, provider);

  json_builder_begin_object (b);
  add_string (b, "id", pb_db_column_text (stmt, 0));
  add_string (b, "provider", provider);
  add_string (b, "provider_name", entry ? entry->provider_name : provider);
  add_string (b, "integration_id", pb_db_column_text (stmt, 2));
  add_string (b, "origin_owner_id", pb_db_column_text (stmt, 3));
  add_string (b, "origin_owner_name", pb_db_column_text (stmt, 4));
  add_string (b, "origin_username", pb_db_column_text (stmt, 5));
  add_string (b, "label", pb_db_column_text (stmt, 6));
  add_string (b, "status", pb_db_column_text (stmt, A_STATUS));
  json_builder_set_member_name (b, "status_reasons");
  if (json_parser_load_from_data (parser, pb_db_column_text (stmt, A_REASONS), -1, NULL)
      && JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    {
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
  pb_credentials_add_json (b, pb_db_column_text (stmt, A_HINTS),
                           pb_db_column_int64 (stmt, A_EXPIRES));
  add_time (b, "created_at", pb_db_column_int64 (stmt, A_CREATED));
  add_time (b, "updated_at", pb_db_column_int64 (stmt, A_UPDATED));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
pb_account_load (PbRequest  *req,
                 const char *id,
                 char      **out_provider,
                 char      **out_integration,
                 char      **out_status)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT " PB_ACCOUNT_COLUMNS " FROM accounts"
                                            " WHERE id = ? AND project_id = ?");
  JsonNode *node = NULL;

  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, req->project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      node = account_to_json (req, stmt);
      if (out_provider)
        *out_provider = g_strdup (pb_db_column_text (stmt, 1));
      if (out_integration)
        *out_integration = g_strdup (pb_db_column_text (stmt, 2));
      if (out_status)
        *out_status = g_strdup (pb_db_column_text (stmt, A_STATUS));
    }
  pb_db_reset (stmt);
  return node;
}

void
pb_account_reply_not_found (PbRequest  *req,
                            const char *id)
{
  pb_request_reply_error (req, 404, "not_found", NULL,
                          "There is no linked account with the id “%s” in this project.", id);
}

char *
pb_account_reason (const char *code,
                   const char *description,
                   const char *actor,
                   const char *key_id,
                   gint64      now)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_string (b, "code", code);
  add_string (b, "description", description);
  add_time (b, "timestamp", now);
  json_builder_set_member_name (b, "actor");
  json_builder_begin_object (b);
  add_string (b, "type", actor);
  if (key_id != NULL)
    add_string (b, "key_id", key_id);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

void
pb_server_handle_accounts_list (PbRequest *req)
{
  const char *integration = g_hash_table_lookup (req->query, "integration_id");
  const char *provider = g_hash_table_lookup (req->query, "provider");
  const char *status = g_hash_table_lookup (req->query, "status");
  const char *q = g_hash_table_lookup (req->query, "q");
  g_autoptr(JsonArray) data = json_array_new ();
  g_autoptr(JsonObject) result = json_object_new ();
  g_autofree char *next = NULL;
  const char *cursor;
  PbDbStmt *stmt;
  gint64 after = 0, unused, last_seq = 0;
  guint page_size, n = 0;

  if (!pb_request_page (req, &page_size, &cursor))
    return;
  if ((cursor != NULL && !pb_cursor_decode (cursor, &after, &unused))
      || (status != NULL && !pb_account_status_known (status)))
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      if (status != NULL && !pb_account_status_known (status))
        json_object_set_string_member (fields, "status", "The status must be active, inactive, "
                                       "suspended, error or expired.");
      else
        json_object_set_string_member (fields, "next", "This page cursor is not valid.");
      pb_request_reply_fields (req, fields);
      return;
    }
#define ACCOUNTS_PAGE(FIND) \
  "SELECT " PB_ACCOUNT_COLUMNS " FROM accounts WHERE project_id = ?1 AND seq > ?2" \
  " AND (CAST (?3 AS TEXT) IS NULL OR integration_id = ?3)" \
  " AND (CAST (?4 AS TEXT) IS NULL OR provider = ?4)" \
  " AND (CAST (?5 AS TEXT) IS NULL OR status = ?5) AND (CAST (?6 AS TEXT) IS NULL" \
  "  OR " FIND " (lower (origin_owner_name), lower (?6)) > 0" \
  "  OR " FIND " (lower (coalesce (origin_username, '')), lower (?6)) > 0)" \
  " ORDER BY seq LIMIT ?7"
  stmt = pb_db_stmt (req->db, PB_DB_DIALECT (req->db, ACCOUNTS_PAGE ("instr"),
                                                      ACCOUNTS_PAGE ("strpos")));
#undef ACCOUNTS_PAGE
  pb_db_bind_text (stmt, 1, req->project_id);
  pb_db_bind_int64 (stmt, 2, after);
  pb_db_bind_text (stmt, 3, integration);
  pb_db_bind_text (stmt, 4, provider);
  pb_db_bind_text (stmt, 5, status);
  pb_db_bind_text (stmt, 6, q && *q ? q : NULL);
  pb_db_bind_int64 (stmt, 7, page_size + 1);
  while (pb_db_step (stmt) == PB_DB_ROW)
    {
      if (n == page_size)
        {
          next = pb_cursor_encode (last_seq, 0);
          break;
        }
      json_array_add_element (data, account_to_json (req, stmt));
      last_seq = pb_db_column_int64 (stmt, A_SEQ);
      n++;
    }
  pb_db_reset (stmt);
  json_object_set_array_member (result, "data", json_array_ref (data));
  if (next)
    json_object_set_string_member (result, "next", next);
  else
    json_object_set_null_member (result, "next");
  pb_request_reply_json (req, 200, json_node_init_object (json_node_alloc (), result));
}

void
pb_server_handle_account_get (PbRequest  *req,
                              const char *id)
{
  g_autofree char *provider = NULL;
  g_autofree char *integration = NULL;
  JsonNode *node = pb_account_load (req, id, &provider, &integration, NULL);

  if (node == NULL)
    {
      pb_account_reply_not_found (req, id);
      return;
    }
  pb_request_set_log (req, "accounts", provider, integration, id);
  pb_request_reply_json (req, 200, node);
}
