/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-rules.h"
#include "pb-server-private.h"

#define COLUMNS "id, provider, integration_id, origin_owner_id, origin_owner_name," \
                " origin_username, label, status, status_reasons, created_at, updated_at, seq"

#define SESSION_DEFAULT_TTL 1800
#define SESSION_MAX_TTL     (7 * 24 * 3600)

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
  add_string (b, "status", pb_db_column_text (stmt, 7));
  json_builder_set_member_name (b, "status_reasons");
  if (json_parser_load_from_data (parser, pb_db_column_text (stmt, 8), -1, NULL)
      && JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    {
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
  add_time (b, "created_at", pb_db_column_int64 (stmt, 9));
  add_time (b, "updated_at", pb_db_column_int64 (stmt, 10));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
load_account (PbRequest  *req,
              const char *id,
              char      **out_provider,
              char      **out_integration)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT " COLUMNS " FROM accounts"
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
    }
  pb_db_reset (stmt);
  return node;
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
  PbAccountStatus parsed;
  guint page_size, n = 0;

  if (!pb_request_page (req, &page_size, &cursor))
    return;
  if ((cursor != NULL && !pb_cursor_decode (cursor, &after, &unused))
      || (status != NULL && !pb_account_status_from_string (status, &parsed)))
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      if (status != NULL && !pb_account_status_from_string (status, &parsed))
        json_object_set_string_member (fields, "status", "The status must be active, inactive or error.");
      else
        json_object_set_string_member (fields, "next", "This page cursor is not valid.");
      pb_request_reply_fields (req, fields);
      return;
    }
#define ACCOUNTS_PAGE(FIND) \
  "SELECT " COLUMNS " FROM accounts WHERE project_id = ?1 AND seq > ?2" \
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
      last_seq = pb_db_column_int64 (stmt, 11);
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
  JsonNode *node = load_account (req, id, &provider, &integration);

  if (node == NULL)
    {
      pb_request_reply_error (req, 404, "not_found", NULL,
                              "There is no linked account with the id “%s” in this project.", id);
      return;
    }
  pb_request_set_log (req, "accounts", provider, integration, id);
  pb_request_reply_json (req, 200, node);
}

/* ---- connect sessions ------------------------------------------------------------------- */

static const char *
get_text (JsonObject *body,
          const char *member,
          gboolean    required,
          gsize       max_chars,
          JsonObject *fields)
{
  JsonNode *node = json_object_get_member (body, member);
  g_autofree char *reason = NULL;

  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && !required))
    {
      if (required)
        {
          reason = g_strdup_printf ("“%s” is required.", member);
          json_object_set_string_member (fields, member, reason);
        }
      return NULL;
    }
  if (!pb_json_is_string (node))
    json_object_set_string_member (fields, member, "Must be a string.");
  else if (required && *json_node_get_string (node) == '\0')
    {
      reason = g_strdup_printf ("“%s” cannot be empty.", member);
      json_object_set_string_member (fields, member, reason);
    }
  else if (g_utf8_strlen (json_node_get_string (node), -1) > (glong) max_chars)
    {
      reason = g_strdup_printf ("Must be at most %" G_GSIZE_FORMAT " characters.", max_chars);
      json_object_set_string_member (fields, member, reason);
    }
  else
    return json_node_get_string (node);
  return NULL;
}

/* Finds the integration a session or account uses; replies and returns FALSE when none fits. */
static gboolean
resolve_integration (PbRequest   *req,
                     const char  *provider,
                     const char  *integration_id,
                     char       **out_id)
{
  PbDbStmt *stmt;
  gboolean found = FALSE, active = FALSE;
  g_autofree char *connector = NULL;

  if (integration_id != NULL)
    {
      stmt = pb_db_stmt (req->db, "SELECT id, active, connector_key FROM integrations"
                                  " WHERE id = ? AND project_id = ?");
      pb_db_bind_text (stmt, 1, integration_id);
    }
  else
    {
      stmt = pb_db_stmt (req->db, "SELECT id, active, connector_key FROM integrations"
                                  " WHERE connector_key = ? AND project_id = ? AND is_default = 1");
      pb_db_bind_text (stmt, 1, provider);
    }
  pb_db_bind_text (stmt, 2, req->project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      found = TRUE;
      *out_id = g_strdup (pb_db_column_text (stmt, 0));
      active = pb_db_column_int (stmt, 1);
      connector = g_strdup (pb_db_column_text (stmt, 2));
    }
  pb_db_reset (stmt);

  if (!found)
    {
      if (integration_id != NULL)
        pb_request_reply_error (req, 409, "no_integration", NULL,
                                "There is no integration with the id “%s” in this project.",
                                integration_id);
      else
        pb_request_reply_error (req, 409, "no_integration", NULL,
                                "There is no integration for the connector “%s” in this project. "
                                "Configure one first.", provider);
      return FALSE;
    }
  if (!g_str_equal (connector, provider))
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      json_object_set_string_member (fields, "integration_id",
                                     "This integration belongs to another connector.");
      pb_request_reply_fields (req, fields);
      return FALSE;
    }
  if (!active)
    {
      pb_request_reply_error (req, 409, "integration_disabled", NULL,
                              "The integration is disabled. Enable it before linking accounts.");
      return FALSE;
    }
  return TRUE;
}

static const char * const session_members[] = {
  "origin_owner_id", "origin_owner_name", "origin_username", "provider", "integration_id",
  "expires_in", NULL
};

void
pb_server_handle_session_create (PbRequest *req)
{
  JsonObject *body = pb_request_body (req);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *integration = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  const char *owner_id, *owner_name, *username, *provider, *wanted;
  gint64 ttl = SESSION_DEFAULT_TTL, now = pb_db_now_ms ();
  PbCatalogEntry *entry;
  PbDbStmt *stmt;

  pb_json_check_members (body, session_members, "", fields);
  owner_id = get_text (body, "origin_owner_id", TRUE, 200, fields);
  owner_name = get_text (body, "origin_owner_name", TRUE, 200, fields);
  username = get_text (body, "origin_username", FALSE, 200, fields);
  provider = get_text (body, "provider", TRUE, 64, fields);
  wanted = get_text (body, "integration_id", FALSE, 64, fields);
  if (json_object_has_member (body, "expires_in"))
    {
      JsonNode *node = json_object_get_member (body, "expires_in");
      if (!pb_json_is_int (node) || json_node_get_int (node) < 60
          || json_node_get_int (node) > SESSION_MAX_TTL)
        json_object_set_string_member (fields, "expires_in",
                                       "Must be a number of seconds from 60 to 604800.");
      else
        ttl = json_node_get_int (node);
    }
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      return;
    }
  pb_request_set_log (req, "connect_sessions", provider, wanted, NULL);
  entry = pb_catalog_lookup (req->catalog, provider);
  if (entry == NULL)
    {
      pb_request_reply_error (req, 422, "unknown_connector", NULL,
                              "There is no connector “%s” in the catalog.", provider);
      return;
    }
  if (!pb_catalog_entry_available (entry, req->plan))
    {
      g_autofree char *reason = pb_catalog_unavailable_reason (entry, req->plan);
      pb_request_reply_error (req, 422, "connector_unavailable", NULL, "%s", reason);
      return;
    }
  if (!resolve_integration (req, provider, wanted, &integration))
    return;
  pb_request_set_log (req, "connect_sessions", provider, integration, NULL);

  session_id = pb_db_new_id ("cs_");
  token = pb_crypto_random_token (32);
  token_hash = pb_crypto_sha256_hex ("connect-session", token);
  if (!pb_db_begin (req->db, &error))
    {
      pb_request_reply_db_error (req, error);
      return;
    }
  stmt = pb_db_stmt (req->db, "INSERT INTO connect_sessions (id, project_id, token_hash, provider,"
                              " integration_id, origin_owner_id, origin_owner_name, origin_username,"
                              " expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  pb_db_bind_text (stmt, 1, session_id);
  pb_db_bind_text (stmt, 2, req->project_id);
  pb_db_bind_text (stmt, 3, token_hash);
  pb_db_bind_text (stmt, 4, provider);
  pb_db_bind_text (stmt, 5, integration);
  pb_db_bind_text (stmt, 6, owner_id);
  pb_db_bind_text (stmt, 7, owner_name);
  pb_db_bind_text (stmt, 8, username);
  pb_db_bind_int64 (stmt, 9, now + ttl * 1000);
  pb_db_bind_int64 (stmt, 10, now);
  if (!pb_db_step_done (req->db, stmt, &error) || !pb_request_commit (req, 201, &error))
    {
      pb_db_rollback (req->db);
      pb_request_reply_db_error (req, error);
      return;
    }

  b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  add_string (b, "id", session_id);
  add_string (b, "token", token);
  add_time (b, "expires_at", now + ttl * 1000);
  add_string (b, "provider", provider);
  add_string (b, "integration_id", integration);
  add_string (b, "project_id", req->project_id);
  json_builder_end_object (b);
  pb_request_reply_json (req, 201, json_builder_get_root (b));
}

static const char * const authenticate_members[] = { "token", "credentials", NULL };

void
pb_server_handle_session_authenticate (PbRequest *req)
{
  JsonObject *body = pb_request_body (req);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *wanted = NULL;
  g_autofree char *integration = NULL;
  g_autofree char *owner_id = NULL;
  g_autofree char *owner_name = NULL;
  g_autofree char *username = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GBytes) credentials = NULL;
  const char *token;
  gint64 now = pb_db_now_ms (), expires = 0;
  gboolean used = TRUE;
  PbCatalogEntry *entry;
  PbDbStmt *stmt;

  pb_json_check_members (body, authenticate_members, "", fields);
  token = get_text (body, "token", TRUE, 200, fields);
  if (json_object_has_member (body, "credentials"))
    {
      JsonNode *node = json_object_get_member (body, "credentials");
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        json_object_set_string_member (fields, "credentials", "Must be an object of strings.");
      else
        {
          json_object_iter_init (&iter, json_node_get_object (node));
          while (json_object_iter_next (&iter, &key, &value))
            if (!pb_json_is_string (value)
                || strlen (json_node_get_string (value)) > PB_RULES_VALUE_MAX_BYTES)
              {
                g_autofree char *name = g_strconcat ("credentials.", key, NULL);
                json_object_set_string_member (fields, name,
                                               "Must be a string of at most 8 KiB.");
              }
        }
    }
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      return;
    }

  token_hash = pb_crypto_sha256_hex ("connect-session", token);
  if (!pb_db_begin (req->db, &error))
    {
      pb_request_reply_db_error (req, error);
      return;
    }
  stmt = pb_db_stmt (req->db, "SELECT id, provider, integration_id, origin_owner_id,"
                              " origin_owner_name, origin_username, expires_at, used"
                              " FROM connect_sessions WHERE token_hash = ? AND project_id = ?");
  pb_db_bind_text (stmt, 1, token_hash);
  pb_db_bind_text (stmt, 2, req->project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      session_id = g_strdup (pb_db_column_text (stmt, 0));
      provider = g_strdup (pb_db_column_text (stmt, 1));
      wanted = g_strdup (pb_db_column_text (stmt, 2));
      owner_id = g_strdup (pb_db_column_text (stmt, 3));
      owner_name = g_strdup (pb_db_column_text (stmt, 4));
      username = g_strdup (pb_db_column_text (stmt, 5));
      expires = pb_db_column_int64 (stmt, 6);
      used = pb_db_column_int (stmt, 7);
    }
  pb_db_reset (stmt);
  if (session_id == NULL || used || expires <= now)
    {
      pb_db_rollback (req->db);
      pb_request_reply_error (req, 401, "invalid_token", NULL, session_id == NULL
                              ? "This connect session token is not valid."
                              : used ? "This connect session token was already used."
                                     : "This connect session token has expired.");
      return;
    }
  pb_request_set_log (req, "connect_sessions", provider, wanted, NULL);
  if (!resolve_integration (req, provider, wanted, &integration))
    {
      pb_db_rollback (req->db);
      return;
    }
  stmt = pb_db_stmt (req->db, "UPDATE connect_sessions SET used = 1 WHERE id = ?");
  pb_db_bind_text (stmt, 1, session_id);
  if (!pb_db_step_done (req->db, stmt, &error))
    goto failed;

  stmt = pb_db_stmt (req->db, "SELECT id FROM accounts WHERE project_id = ? AND provider = ?"
                              " AND origin_owner_id = ?");
  pb_db_bind_text (stmt, 1, req->project_id);
  pb_db_bind_text (stmt, 2, provider);
  pb_db_bind_text (stmt, 3, owner_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    account_id = g_strdup (pb_db_column_text (stmt, 0));
  pb_db_reset (stmt);
  if (account_id == NULL)
    account_id = pb_db_new_id ("acc_");

  if (json_object_has_member (body, "credentials"))
    {
      g_autofree char *aad = g_strconcat ("account/", account_id, NULL);
      g_autofree char *text = json_to_string (json_object_get_member (body, "credentials"), FALSE);
      credentials = pb_crypto_encrypt (req->crypto, aad, text, strlen (text));
    }
  entry = pb_catalog_lookup (req->catalog, provider);
  label = g_strdup_printf ("%s – %s", entry ? entry->provider_name : provider, owner_name);
  stmt = pb_db_stmt (req->db,
                     "INSERT INTO accounts (id, project_id, integration_id, provider, origin_owner_id,"
                     " origin_owner_name, origin_username, label, status, status_reasons,"
                     " credentials, created_at, updated_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'active', '[]', ?9, ?10, ?10)"
                     " ON CONFLICT (id) DO UPDATE SET integration_id = ?3, origin_owner_name = ?6,"
                     " origin_username = ?7, label = ?8, status = 'active', status_reasons = '[]',"
                     " credentials = coalesce (?9, accounts.credentials), updated_at = ?10");
  pb_db_bind_text (stmt, 1, account_id);
  pb_db_bind_text (stmt, 2, req->project_id);
  pb_db_bind_text (stmt, 3, integration);
  pb_db_bind_text (stmt, 4, provider);
  pb_db_bind_text (stmt, 5, owner_id);
  pb_db_bind_text (stmt, 6, owner_name);
  pb_db_bind_text (stmt, 7, username);
  pb_db_bind_text (stmt, 8, label);
  if (credentials != NULL)
    pb_db_bind_blob (stmt, 9, g_bytes_get_data (credentials, NULL),
                       g_bytes_get_size (credentials));
  pb_db_bind_int64 (stmt, 10, now);
  pb_request_set_log (req, "connect_sessions", provider, integration, account_id);
  if (!pb_db_step_done (req->db, stmt, &error) || !pb_request_commit (req, 201, &error))
    goto failed;

  pb_request_reply_json (req, 201, load_account (req, account_id, NULL, NULL));
  return;

failed:
  pb_db_rollback (req->db);
  pb_request_reply_db_error (req, error);
}
