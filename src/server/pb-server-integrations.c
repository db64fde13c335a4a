/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-rules.h"
#include "pb-server-integrations.h"
#include "pb-server-private.h"

#define COLUMNS "id, name, connector_key, auth_type_key, active, is_default, config, version," \
                " created_at, updated_at, seq, fingerprint"
enum { C_ID, C_NAME, C_CONNECTOR, C_AUTH, C_ACTIVE, C_DEFAULT, C_CONFIG, C_VERSION, C_CREATED,
       C_UPDATED, C_SEQ, C_FINGERPRINT };

void
pb_integration_row_free (PbStoredIntegration *row)
{
  g_free (row->id);
  g_free (row->name);
  g_free (row->connector_key);
  g_free (row->auth_type_key);
  g_clear_pointer (&row->config, json_object_unref);
  g_free (row->fingerprint);
  g_free (row);
}

static JsonObject *
parse_config (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return json_object_new ();
}

PbStoredIntegration *
pb_integration_load_row (PbRequest  *req,
                         const char *id)
{
  sqlite3_stmt *stmt = pb_db_stmt (req->db, "SELECT " COLUMNS " FROM integrations"
                                            " WHERE id = ? AND project_id = ?");
  PbStoredIntegration *row = NULL;

  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, req->project_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      row = g_new0 (PbStoredIntegration, 1);
      row->id = g_strdup (pb_db_column_text (stmt, C_ID));
      row->name = g_strdup (pb_db_column_text (stmt, C_NAME));
      row->connector_key = g_strdup (pb_db_column_text (stmt, C_CONNECTOR));
      row->auth_type_key = g_strdup (pb_db_column_text (stmt, C_AUTH));
      row->active = sqlite3_column_int (stmt, C_ACTIVE);
      row->is_default = sqlite3_column_int (stmt, C_DEFAULT);
      row->config = parse_config (pb_db_column_text (stmt, C_CONFIG));
      row->version = sqlite3_column_int64 (stmt, C_VERSION);
      row->created_at = sqlite3_column_int64 (stmt, C_CREATED);
      row->fingerprint = g_strdup (pb_db_column_text (stmt, C_FINGERPRINT));
    }
  sqlite3_reset (stmt);
  return row;
}

/* One integration's account counts and secrets (column 0 unused, as in the page queries). */
#define SQL_COUNT_ACCOUNTS "SELECT NULL, status, count(*) FROM accounts WHERE integration_id = ?" \
                           " GROUP BY status"
#define SQL_SECRETS "SELECT NULL, field, hint, updated_at FROM secrets WHERE integration_id = ?" \
                    " ORDER BY field"

/* A page of integrations (?1 project, ?2 after this seq, ?3 connector, ?4 active, ?5 JSON list of
 * connectors, ?6 limit), and the secrets and account counts of that same page ordered by seq
 * (column 0), read alongside it: three statements a page instead of two more a row. */
#define SQL_PAGE_WHERE "project_id = ?1 AND seq > ?2" \
  " AND (?3 IS NULL OR connector_key = ?3) AND (?4 IS NULL OR active = ?4)" \
  " AND (?5 IS NULL OR connector_key IN (SELECT value FROM json_each (?5)))"
#define SQL_PAGE "SELECT " COLUMNS " FROM integrations WHERE " SQL_PAGE_WHERE " ORDER BY seq LIMIT ?6"
#define SQL_PAGE_IDS "SELECT id, seq FROM integrations WHERE " SQL_PAGE_WHERE " ORDER BY seq LIMIT ?6"
#define SQL_PAGE_SECRETS "SELECT p.seq, s.field, s.hint, s.updated_at FROM (" SQL_PAGE_IDS ") p" \
                         " JOIN secrets s ON s.integration_id = p.id ORDER BY p.seq, s.field"
#define SQL_PAGE_ACCOUNTS "SELECT p.seq, a.status, count(*) FROM (" SQL_PAGE_IDS ") p" \
                          " JOIN accounts a ON a.integration_id = p.id GROUP BY p.seq, a.status" \
                          " ORDER BY p.seq"

static void
add_count (const char *status,
           guint       n,
           guint      *total,
           guint      *active,
           guint      *inactive,
           guint      *error)
{
  *total += n;
  if (g_str_equal (status, "active"))
    *active += n;
  else if (g_str_equal (status, "inactive"))
    *inactive += n;
  else
    *error += n;
}

static void
count_accounts (sqlite3_stmt *stmt,
                const char   *id,
                guint        *total,
                guint        *active,
                guint        *inactive,
                guint        *error)
{
  *total = *active = *inactive = *error = 0;
  sqlite3_reset (stmt);
  pb_db_bind_text (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    add_count (pb_db_column_text (stmt, 1), sqlite3_column_int (stmt, 2),
               total, active, inactive, error);
  sqlite3_reset (stmt);
}

void
pb_integration_count_accounts (PbDb       *db,
                               const char *id,
                               guint      *total,
                               guint      *active,
                               guint      *inactive,
                               guint      *error)
{
  count_accounts (pb_db_stmt (db, SQL_COUNT_ACCOUNTS), id, total, active, inactive, error);
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":");
  pb_json_append_string (out, value);
}

static void
append_time (GString    *out,
             const char *name,
             gint64      ms)
{
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":\"");
  pb_db_append_time (out, ms);
  g_string_append_c (out, '"');
}

static void
append_uint (GString *out,
             guint64  value)
{
  char text[24];
  int i = sizeof text;

  do
    {
      text[--i] = '0' + value % 10;
      value /= 10;
    }
  while (value > 0);
  g_string_append_len (out, text + i, sizeof text - i);
}

/* Where each integration's secrets and account counts come from: statements run for it alone,
 * or statements over the whole page, stepped along with it (merged by seq). */
typedef struct
{
  sqlite3_stmt *secrets;
  sqlite3_stmt *accounts;
  gboolean      page;
  gboolean      secrets_row;    /* page: the statement is on a row */
  gboolean      accounts_row;
} RowStatements;

static void
row_statements_init (RowStatements *rs,
                     PbDb          *db)
{
  rs->secrets = pb_db_stmt (db, SQL_SECRETS);
  rs->accounts = pb_db_stmt (db, SQL_COUNT_ACCOUNTS);
  rs->page = FALSE;
}

/* Page mode: whether @stmt is on a row of the integration @seq, skipping earlier ones. */
static gboolean
page_row_at (sqlite3_stmt *stmt,
             gboolean     *on_row,
             gint64        seq)
{
  while (*on_row && sqlite3_column_int64 (stmt, 0) < seq)
    *on_row = sqlite3_step (stmt) == SQLITE_ROW;
  return *on_row && sqlite3_column_int64 (stmt, 0) == seq;
}

/* The next secret (columns 1-3) of the integration @id / @seq. */
static gboolean
next_secret (RowStatements *rs,
             const char    *id,
             gint64         seq,
             gboolean       first)
{
  if (!rs->page)
    {
      if (first)
        {
          sqlite3_reset (rs->secrets);
          pb_db_bind_text (rs->secrets, 1, id);
        }
      return sqlite3_step (rs->secrets) == SQLITE_ROW;
    }
  if (!first && rs->secrets_row)
    rs->secrets_row = sqlite3_step (rs->secrets) == SQLITE_ROW;
  return page_row_at (rs->secrets, &rs->secrets_row, seq);
}

static void
row_count_accounts (RowStatements *rs,
                    const char    *id,
                    gint64         seq,
                    guint         *total,
                    guint         *active,
                    guint         *inactive,
                    guint         *error)
{
  if (!rs->page)
    {
      count_accounts (rs->accounts, id, total, active, inactive, error);
      return;
    }
  *total = *active = *inactive = *error = 0;
  while (page_row_at (rs->accounts, &rs->accounts_row, seq))
    {
      add_count (pb_db_column_text (rs->accounts, 1), sqlite3_column_int (rs->accounts, 2),
                 total, active, inactive, error);
      rs->accounts_row = sqlite3_step (rs->accounts) == SQLITE_ROW;
    }
}

/* Writes the integration's JSON from the current row of @stmt (columns as COLUMNS). Written
 * directly rather than through JsonBuilder, and without printf: lists of integrations are the
 * hottest path. */
static void
integration_append_json (PbRequest     *req,
                         RowStatements *rs,
                         sqlite3_stmt  *stmt,
                         GString       *out)
{
  const char *id = pb_db_column_text (stmt, C_ID);
  const char *connector = pb_db_column_text (stmt, C_CONNECTOR);
  const char *auth = pb_db_column_text (stmt, C_AUTH);
  const char *config = pb_db_column_text (stmt, C_CONFIG);
  PbCatalogEntry *entry = pb_catalog_lookup (req->catalog, connector);
  PbAuthType *type = entry ? pb_catalog_entry_find_auth_type (entry, auth) : NULL;
  sqlite3_stmt *secrets = rs->secrets;
  gint64 version = sqlite3_column_int64 (stmt, C_VERSION);
  gint64 seq = sqlite3_column_int64 (stmt, C_SEQ);
  guint total, active, inactive, error, n = 0;
  char **c;

  g_string_append_c (out, '{');
  append_member (out, "id", id);
  g_string_append_c (out, ',');
  append_member (out, "name", pb_db_column_text (stmt, C_NAME));
  g_string_append_c (out, ',');
  append_member (out, "connector_key", connector);
  g_string_append_c (out, ',');
  append_member (out, "connector_label", entry ? entry->provider_name : connector);
  g_string_append (out, ",\"categories\":[");
  for (c = entry ? entry->categories : NULL; c && *c; c++)
    {
      if (c != entry->categories)
        g_string_append_c (out, ',');
      pb_json_append_string (out, *c);
    }
  g_string_append (out, "],");
  append_member (out, "authentication_config_key", auth);
  g_string_append_c (out, ',');
  append_member (out, "authentication_config_label", type ? pb_auth_type_get_label (type) : auth);
  g_string_append (out, sqlite3_column_int (stmt, C_ACTIVE) ? ",\"active\":true" : ",\"active\":false");
  g_string_append (out, sqlite3_column_int (stmt, C_DEFAULT) ? ",\"default\":true,\"config\":"
                                                             : ",\"default\":false,\"config\":");
  /* Stored as generated by json-glib from string values only. */
  g_string_append (out, config && *config == '{' ? config : "{}");

  g_string_append (out, ",\"secrets\":{");
  while (next_secret (rs, id, seq, n == 0))
    {
      if (n++ > 0)
        g_string_append_c (out, ',');
      pb_json_append_string (out, pb_db_column_text (secrets, 1));
      g_string_append (out, ":{\"set\":true,");
      append_member (out, "hint", pb_db_column_text (secrets, 2));
      g_string_append_c (out, ',');
      append_time (out, "updated_at", sqlite3_column_int64 (secrets, 3));
      g_string_append_c (out, '}');
    }
  if (!rs->page)
    sqlite3_reset (secrets);

  row_count_accounts (rs, id, seq, &total, &active, &inactive, &error);
  g_string_append (out, "},\"linked_accounts\":{\"total\":");
  append_uint (out, total);
  g_string_append (out, ",\"active\":");
  append_uint (out, active);
  g_string_append (out, ",\"inactive\":");
  append_uint (out, inactive);
  g_string_append (out, ",\"error\":");
  append_uint (out, error);
  g_string_append (out, "},\"version\":");
  if (version < 0)
    g_string_append_c (out, '-');
  append_uint (out, version < 0 ? -(guint64) version : (guint64) version);
  g_string_append_c (out, ',');
  append_time (out, "created_at", sqlite3_column_int64 (stmt, C_CREATED));
  g_string_append_c (out, ',');
  append_time (out, "updated_at", sqlite3_column_int64 (stmt, C_UPDATED));
  g_string_append_c (out, '}');
}

/* The integration as JSON text, or NULL when it is not in the project. */
static GString *
load_text (PbRequest  *req,
           const char *id,
           gint64     *out_version)
{
  sqlite3_stmt *stmt = pb_db_stmt (req->db, "SELECT " COLUMNS " FROM integrations"
                                            " WHERE id = ?1 AND project_id = ?2");
  GString *out = NULL;
  RowStatements rs;

  row_statements_init (&rs, req->db);
  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, req->project_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (out_version)
        *out_version = sqlite3_column_int64 (stmt, C_VERSION);
      out = g_string_sized_new (1024);
      integration_append_json (req, &rs, stmt, out);
    }
  sqlite3_reset (stmt);
  return out;
}

JsonNode *
pb_integration_load_json (PbRequest  *req,
                          const char *id,
                          gint64     *out_version)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  GString *text = load_text (req, id, out_version);
  JsonNode *node = NULL;

  if (text != NULL && json_parser_load_from_data (parser, text->str, text->len, NULL))
    node = json_node_ref (json_parser_get_root (parser));
  if (text != NULL)
    g_string_free (text, TRUE);
  return node;
}

void
pb_integration_reply_not_found (PbRequest  *req,
                                const char *id)
{
  pb_request_reply_error (req, 404, "not_found", NULL,
                          "There is no integration with the id “%s” in this project.", id);
}

void
pb_integration_reply_integration (PbRequest  *req,
                                  guint       status,
                                  const char *id)
{
  gint64 version = 0;
  GString *text = load_text (req, id, &version);
  g_autofree char *etag = NULL;

  if (text == NULL)
    {
      pb_integration_reply_not_found (req, id);
      return;
    }
  etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
  pb_request_set_header (req, "ETag", etag);
  pb_request_reply_text (req, status, text);
}

/* ---- GET -------------------------------------------------------------------------------- */

static void
bind_page (sqlite3_stmt *stmt,
           const char   *project_id,
           gint64        after,
           const char   *connector,
           int           active,
           const char   *providers,
           guint         limit)
{
  pb_db_bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, after);
  pb_db_bind_text (stmt, 3, connector);
  if (active >= 0)
    sqlite3_bind_int (stmt, 4, active);
  pb_db_bind_text (stmt, 5, providers);
  sqlite3_bind_int (stmt, 6, limit);
}

void
pb_server_handle_integrations_list (PbRequest *req)
{
  const char *connector = g_hash_table_lookup (req->query, "connector_key");
  const char *category = g_hash_table_lookup (req->query, "category");
  GString *out = NULL;
  g_autofree char *providers = NULL;
  g_autofree char *next = NULL;
  const char *cursor;
  sqlite3_stmt *stmt;
  gint64 after = 0, unused, last_seq = 0;
  RowStatements rs;
  guint page_size, n = 0;
  int active;

  if (!pb_request_page (req, &page_size, &cursor) || !pb_request_query_bool (req, "active", &active))
    return;
  if (cursor != NULL && !pb_cursor_decode (cursor, &after, &unused))
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      json_object_set_string_member (fields, "next", "This page cursor is not valid.");
      pb_request_reply_fields (req, fields);
      return;
    }
  if (category != NULL)
    {
      GPtrArray *entries = pb_catalog_entries (req->catalog);
      g_autoptr(JsonArray) list = json_array_new ();
      g_autoptr(JsonNode) node = NULL;
      guint i;

      for (i = 0; i < entries->len; i++)
        {
          PbCatalogEntry *entry = entries->pdata[i];
          if (g_strv_contains ((const char * const *) entry->categories, category))
            json_array_add_string_element (list, entry->provider);
        }
      node = json_node_init_array (json_node_alloc (), list);
      providers = json_to_string (node, FALSE);
    }

  stmt = pb_db_stmt (req->db, SQL_PAGE);
  rs.secrets = pb_db_stmt (req->db, SQL_PAGE_SECRETS);
  rs.accounts = pb_db_stmt (req->db, SQL_PAGE_ACCOUNTS);
  rs.page = TRUE;
  bind_page (stmt, req->project_id, after, connector, active, providers, page_size + 1);
  bind_page (rs.secrets, req->project_id, after, connector, active, providers, page_size + 1);
  bind_page (rs.accounts, req->project_id, after, connector, active, providers, page_size + 1);
  rs.secrets_row = sqlite3_step (rs.secrets) == SQLITE_ROW;
  rs.accounts_row = sqlite3_step (rs.accounts) == SQLITE_ROW;
  out = g_string_sized_new (640 * MIN (page_size, 1000));   /* ~570 bytes an integration */
  g_string_append (out, "{\"data\":[");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (n == page_size)
        {
          next = pb_cursor_encode (last_seq, 0);
          break;
        }
      if (n > 0)
        g_string_append_c (out, ',');
      integration_append_json (req, &rs, stmt, out);
      last_seq = sqlite3_column_int64 (stmt, C_SEQ);
      n++;
    }
  sqlite3_reset (stmt);
  sqlite3_reset (rs.secrets);
  sqlite3_reset (rs.accounts);
  pb_request_reply_page (req, out, next);
}

void
pb_server_handle_integration_get (PbRequest  *req,
                                  const char *id)
{
  pb_integration_reply_integration (req, 200, id);
}

/* ---- validation ------------------------------------------------------------------------- */

void
pb_integration_field_problem (JsonObject *fields,
                              const char *prefix,
                              const char *key,
                              const char *reason)
{
  g_autofree char *name = g_strconcat (prefix, key, NULL);

  if (!json_object_has_member (fields, name))
    json_object_set_string_member (fields, name, reason);
}

/* Type checks of a config/secrets object: string values (or null when @allow_null). */
void
pb_integration_check_value_object (JsonObject *body,
                                   const char *member,
                                   gboolean    allow_null,
                                   JsonObject *fields)
{
  JsonNode *node = json_object_get_member (body, member);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  g_autofree char *prefix = g_strconcat (member, ".", NULL);

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      pb_integration_field_problem (fields, "", member, "Must be an object of field values.");
      return;
    }
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (pb_json_is_string (value))
        {
          if (strlen (json_node_get_string (value)) > PB_RULES_VALUE_MAX_BYTES)
            pb_integration_field_problem (fields, prefix, key, "The value is longer than 8 KiB.");
        }
      else if (!(allow_null && JSON_NODE_HOLDS_NULL (value)))
        pb_integration_field_problem (fields, prefix, key, allow_null ? "Must be a string, or null to remove it."
                                                       : "Must be a string.");
    }
}

/* Checks one value against the auth type; @secret says where it was sent. */
void
pb_integration_check_field_value (PbAuthType *type,
                                  const char *key,
                                  const char *value,
                                  gboolean    secret,
                                  JsonObject *fields)
{
  PbAuthField *field = pb_auth_type_find_field (type, key);
  const char *prefix = secret ? "secrets." : "config.";
  g_autofree char *message = NULL;

  if (field == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("“%s” is not a field of the auth type “%s”.",
                                                 key, pb_auth_type_get_label (type));
      pb_integration_field_problem (fields, prefix, key, reason);
    }
  else if (pb_auth_field_get_secret (field) && !secret)
    pb_integration_field_problem (fields, prefix, key, "This is a secret field; send it in “secrets”.");
  else if (!pb_auth_field_get_secret (field) && secret)
    pb_integration_field_problem (fields, prefix, key, "This is not a secret field; send it in “config”.");
  else if (value == NULL && pb_auth_field_get_required (field))
    {
      g_autofree char *reason = g_strdup_printf ("%s is required and cannot be removed.",
                                                 pb_auth_field_get_label (field));
      pb_integration_field_problem (fields, prefix, key, reason);
    }
  else if (value != NULL && !pb_rules_validate_field (field, value, &message))
    pb_integration_field_problem (fields, prefix, key, message ? message : "The value is not valid.");
}

/* Required fields of @type that neither @config nor @secret_keys hold. */
void
pb_integration_check_required (PbAuthType *type,
                               JsonObject *config,
                               GHashTable *secret_keys,
                               JsonObject *fields)
{
  g_autoptr(GPtrArray) required = pb_rules_required_fields (type);
  guint i;

  for (i = 0; i < required->len; i++)
    {
      PbAuthField *field = required->pdata[i];
      const char *key = pb_auth_field_get_key (field);
      g_autofree char *reason = g_strdup_printf ("%s is required.", pb_auth_field_get_label (field));

      if (pb_auth_field_get_secret (field) ? !g_hash_table_contains (secret_keys, key)
                                           : !json_object_has_member (config, key))
        pb_integration_field_problem (fields, pb_auth_field_get_secret (field) ? "secrets." : "config.", key,
                       reason);
    }
}

char *
pb_integration_make_hint (const char *value)
{
  glong chars = g_utf8_strlen (value, -1);

  if (chars < 8)
    return g_strdup ("…");
  return g_strconcat ("…", g_utf8_offset_to_pointer (value, chars - 4), NULL);
}

gboolean
pb_integration_store_secret (PbRequest   *req,
                             const char  *id,
                             const char  *field,
                             const char  *value,
                             gint64       now,
                             GError     **error)
{
  g_autofree char *aad = g_strconcat (id, "/", field, NULL);
  g_autoptr(GBytes) blob = pb_crypto_encrypt (req->crypto, aad, value, strlen (value));
  g_autofree char *hint = pb_integration_make_hint (value);
  sqlite3_stmt *stmt = pb_db_stmt (req->db, "INSERT OR REPLACE INTO secrets"
                                            " (integration_id, field, value, hint, updated_at)"
                                            " VALUES (?, ?, ?, ?, ?)");

  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, field);
  sqlite3_bind_blob (stmt, 3, g_bytes_get_data (blob, NULL), g_bytes_get_size (blob),
                     SQLITE_TRANSIENT);
  pb_db_bind_text (stmt, 4, hint);
  sqlite3_bind_int64 (stmt, 5, now);
  return pb_db_step_done (req->db, stmt, error);
}

gboolean
pb_integration_delete_secret (PbRequest   *req,
                              const char  *id,
                              const char  *field,
                              GError     **error)
{
  sqlite3_stmt *stmt = pb_db_stmt (req->db, "DELETE FROM secrets WHERE integration_id = ? AND field = ?");

  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, field);
  return pb_db_step_done (req->db, stmt, error);
}

guint
pb_integration_count_connector (PbRequest  *req,
                                const char *connector)
{
  sqlite3_stmt *stmt = pb_db_stmt (req->db, "SELECT count(*) FROM integrations"
                                            " WHERE project_id = ? AND connector_key = ?");
  guint n;

  pb_db_bind_text (stmt, 1, req->project_id);
  pb_db_bind_text (stmt, 2, connector);
  sqlite3_step (stmt);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* Makes @id the default of its connector; the previous default stops being it. */
gboolean
pb_integration_take_default (PbRequest   *req,
                             const char  *connector,
                             const char  *id,
                             gint64       now,
                             GError     **error)
{
  sqlite3_stmt *stmt = pb_db_stmt (req->db,
                                   "UPDATE integrations SET is_default = 0, version = version + 1,"
                                   " updated_at = ?4 WHERE project_id = ?1 AND connector_key = ?2"
                                   " AND is_default = 1 AND id != ?3");

  pb_db_bind_text (stmt, 1, req->project_id);
  pb_db_bind_text (stmt, 2, connector);
  pb_db_bind_text (stmt, 3, id);
  sqlite3_bind_int64 (stmt, 4, now);
  return pb_db_step_done (req->db, stmt, error);
}

char *
pb_integration_config_to_text (JsonObject *config)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), config);

  return json_to_string (node, FALSE);
}

/* ---- POST ------------------------------------------------------------------------------- */

static const char * const create_members[] = {
  "id", "name", "connector_key", "authentication_config_key", "default", "config", "secrets", NULL
};

void
pb_server_handle_integration_create (PbRequest *req)
{
  JsonObject *body = pb_request_body (req);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(GHashTable) secret_keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *name_message = NULL;
  const char *connector, *auth, *name = NULL;
  gboolean want_default = FALSE, is_default;
  PbCatalogEntry *entry;
  PbAuthType *type;
  JsonObject *secrets;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  sqlite3_stmt *stmt;
  gint64 now = pb_db_now_ms ();
  guint n;

  pb_json_check_members (body, create_members, "", fields);
  if (json_object_has_member (body, "id"))
    {
      JsonNode *node = json_object_get_member (body, "id");
      if (!pb_json_is_string (node) || !g_uuid_string_is_valid (json_node_get_string (node)))
        pb_integration_field_problem (fields, "", "id", "The id must be a UUID, e.g. "
                       "“3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e”.");
      else
        id = g_ascii_strdown (json_node_get_string (node), -1);
    }
  if (json_object_has_member (body, "name"))
    {
      JsonNode *node = json_object_get_member (body, "name");
      if (!pb_json_is_string (node))
        pb_integration_field_problem (fields, "", "name", "The name must be a string.");
      else if (!pb_rules_validate_name (json_node_get_string (node), &name_message))
        pb_integration_field_problem (fields, "", "name", name_message ? name_message : "The name is not valid.");
      else
        name = json_node_get_string (node);
    }
  connector = json_object_get_member (body, "connector_key") != NULL
              && pb_json_is_string (json_object_get_member (body, "connector_key"))
              ? json_object_get_string_member (body, "connector_key") : NULL;
  if (connector == NULL)
    pb_integration_field_problem (fields, "", "connector_key", "The connector key is required, as a string.");
  auth = json_object_get_member (body, "authentication_config_key") != NULL
         && pb_json_is_string (json_object_get_member (body, "authentication_config_key"))
         ? json_object_get_string_member (body, "authentication_config_key") : NULL;
  if (auth == NULL)
    pb_integration_field_problem (fields, "", "authentication_config_key",
                   "The auth type key is required, as a string.");
  if (json_object_has_member (body, "default"))
    {
      if (!pb_json_is_bool (json_object_get_member (body, "default")))
        pb_integration_field_problem (fields, "", "default", "Must be true or false.");
      else
        want_default = json_object_get_boolean_member (body, "default");
    }
  pb_integration_check_value_object (body, "config", FALSE, fields);
  pb_integration_check_value_object (body, "secrets", FALSE, fields);
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      return;
    }

  if (id != NULL)
    {
      g_autoptr(PbStoredIntegration) existing = NULL;
      canonical = pb_json_canonical (req->body);
      fingerprint = pb_crypto_fingerprint (req->crypto, canonical, strlen (canonical));
      existing = pb_integration_load_row (req, id);
      pb_request_set_log (req, "integrations", connector, id, NULL);
      if (existing != NULL && existing->fingerprint != NULL
          && pb_crypto_equal (existing->fingerprint, fingerprint))
        {
          pb_integration_reply_integration (req, 200, id);
          return;
        }
      if (existing != NULL)
        {
          pb_request_reply_error (req, 409, "id_in_use", NULL,
                                  "The id “%s” is already used by another integration.", id);
          return;
        }
    }

  entry = pb_catalog_lookup (req->catalog, connector);
  if (entry == NULL)
    {
      pb_request_reply_error (req, 422, "unknown_connector", NULL,
                              "There is no connector “%s” in the catalog.", connector);
      return;
    }
  if (!pb_catalog_entry_available (entry, req->plan))
    {
      g_autofree char *reason = pb_catalog_unavailable_reason (entry, req->plan);
      pb_request_reply_error (req, 422, "connector_unavailable", NULL, "%s", reason);
      return;
    }
  type = pb_catalog_entry_find_auth_type (entry, auth);
  if (type == NULL)
    {
      pb_request_reply_error (req, 422, "unknown_auth_type", NULL,
                              "%s does not offer the auth type “%s”.", entry->provider_name, auth);
      return;
    }

  if (json_object_has_member (body, "config"))
    {
      json_object_iter_init (&iter, json_object_get_object_member (body, "config"));
      while (json_object_iter_next (&iter, &key, &value))
        {
          pb_integration_check_field_value (type, key, json_node_get_string (value), FALSE, fields);
          json_object_set_string_member (config, key, json_node_get_string (value));
        }
    }
  secrets = json_object_has_member (body, "secrets") ? json_object_get_object_member (body, "secrets")
                                                     : NULL;
  if (secrets != NULL)
    {
      json_object_iter_init (&iter, secrets);
      while (json_object_iter_next (&iter, &key, &value))
        {
          pb_integration_check_field_value (type, key, json_node_get_string (value), TRUE, fields);
          g_hash_table_add (secret_keys, (gpointer) key);
        }
    }
  /* Fill plain fields that have a default and were not sent. */
  {
    GListModel *list = pb_auth_type_get_fields (type);
    guint i;
    for (i = 0; i < g_list_model_get_n_items (list); i++)
      {
        g_autoptr(PbAuthField) field = g_list_model_get_item (list, i);
        const char *def = pb_auth_field_get_default_value (field);
        if (!pb_auth_field_get_secret (field) && def != NULL && *def != '\0'
            && !json_object_has_member (config, pb_auth_field_get_key (field)))
          json_object_set_string_member (config, pb_auth_field_get_key (field), def);
      }
  }
  pb_integration_check_required (type, config, secret_keys, fields);
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      return;
    }

  if (id == NULL)
    id = g_uuid_string_random ();
  pb_request_set_log (req, "integrations", connector, id, NULL);
  config_text = pb_integration_config_to_text (config);

  if (!pb_db_begin (req->db, &error))
    {
      pb_request_reply_db_error (req, error);
      return;
    }
  {
    g_autoptr(PbStoredIntegration) existing = pb_integration_load_row (req, id);
    stmt = pb_db_stmt (req->db, "SELECT 1 FROM integrations WHERE id = ?");
    pb_db_bind_text (stmt, 1, id);
    if (existing != NULL || sqlite3_step (stmt) == SQLITE_ROW)
      {
        sqlite3_reset (stmt);
        pb_db_rollback (req->db);
        pb_request_reply_error (req, 409, "id_in_use", NULL,
                                "The id “%s” is already used by another integration.", id);
        return;
      }
    sqlite3_reset (stmt);
  }
  n = pb_integration_count_connector (req, connector);
  is_default = pb_rules_default_on_create (n, want_default);
  if (is_default && n > 0 && !pb_integration_take_default (req, connector, id, now, &error))
    goto failed;
  stmt = pb_db_stmt (req->db, "INSERT INTO integrations (id, project_id, name, connector_key,"
                              " auth_type_key, active, is_default, config, version, fingerprint,"
                              " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, 1, ?, ?, ?)");
  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, req->project_id);
  pb_db_bind_text (stmt, 3, name ? name : pb_auth_type_get_label (type));
  pb_db_bind_text (stmt, 4, connector);
  pb_db_bind_text (stmt, 5, auth);
  sqlite3_bind_int (stmt, 6, is_default);
  pb_db_bind_text (stmt, 7, config_text);
  pb_db_bind_text (stmt, 8, fingerprint);
  sqlite3_bind_int64 (stmt, 9, now);
  sqlite3_bind_int64 (stmt, 10, now);
  if (!pb_db_step_done (req->db, stmt, &error))
    goto failed;
  if (secrets != NULL)
    {
      json_object_iter_init (&iter, secrets);
      while (json_object_iter_next (&iter, &key, &value))
        if (!pb_integration_store_secret (req, id, key, json_node_get_string (value), now, &error))
          goto failed;
    }
  if (!pb_db_commit (req->db, &error))
    goto failed;

  {
    g_autofree char *location = g_strdup_printf ("%s/integrations/%s", req->public_url, id);
    pb_request_set_header (req, "Location", location);
  }
  pb_integration_reply_integration (req, 201, id);
  return;

failed:
  pb_db_rollback (req->db);
  pb_request_reply_db_error (req, error);
}
