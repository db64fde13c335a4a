/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-changes.h"
#include "pb-server-integrations.h"

/* One integration's account counts and secrets (column 0 unused, as in the page queries). */
#define SQL_COUNT_ACCOUNTS "SELECT NULL, status, count(*) FROM accounts WHERE integration_id = ?" \
                           " GROUP BY status"
#define SQL_SECRETS "SELECT NULL, field, hint, updated_at FROM secrets WHERE integration_id = ?" \
                    " ORDER BY field"

/* A page of integrations (?1 project, ?2 after this seq, ?3 connector, ?4 active, ?5 JSON list of
 * connectors, ?6 limit), and the secrets and account counts of that same page ordered by seq
 * (column 0), read alongside it: three statements a page instead of two more a row. */
#define SQL_PAGE_WHERE(LIST) "project_id = ?1 AND seq > ?2" \
  " AND (CAST (?3 AS TEXT) IS NULL OR connector_key = ?3)" \
  " AND (CAST (?4 AS INTEGER) IS NULL OR active = ?4)" \
  " AND (CAST (?5 AS TEXT) IS NULL OR connector_key IN (" LIST ("?5") "))"
#define SQL_PAGE(LIST) "SELECT " COLUMNS " FROM integrations WHERE " SQL_PAGE_WHERE (LIST) \
  " ORDER BY seq LIMIT ?6"
#define SQL_PAGE_IDS(LIST) "SELECT id, seq FROM integrations WHERE " SQL_PAGE_WHERE (LIST) \
  " ORDER BY seq LIMIT ?6"
#define SQL_PAGE_SECRETS(LIST) "SELECT p.seq, s.field, s.hint, s.updated_at" \
  " FROM (" SQL_PAGE_IDS (LIST) ") p JOIN secrets s ON s.integration_id = p.id" \
  " ORDER BY p.seq, s.field"
#define SQL_PAGE_ACCOUNTS(LIST) "SELECT p.seq, a.status, count(*)" \
  " FROM (" SQL_PAGE_IDS (LIST) ") p JOIN accounts a ON a.integration_id = p.id" \
  " GROUP BY p.seq, a.status ORDER BY p.seq"
#define PAGE_STMT(db, SQL) \
  pb_db_stmt ((db), PB_DB_DIALECT ((db), SQL (PB_DB_SQLITE_JSON_LIST), SQL (PB_DB_POSTGRESQL_JSON_LIST)))

static void
add_count (const char      *status,
           guint            n,
           PbAccountCounts *counts)
{
  counts->total += n;
  if (g_str_equal (status, "active"))
    counts->active += n;
  else if (g_str_equal (status, "inactive"))
    counts->inactive += n;
  else if (g_str_equal (status, "suspended"))
    counts->suspended += n;
  else if (g_str_equal (status, "expired"))
    counts->expired += n;
  else
    counts->error += n;
}

static void
count_accounts (PbDbStmt    *stmt,
                const char      *id,
                PbAccountCounts *counts)
{
  *counts = (PbAccountCounts) { 0 };
  pb_db_reset (stmt);
  pb_db_bind_text (stmt, 1, id);
  while (pb_db_step (stmt) == PB_DB_ROW)
    add_count (pb_db_column_text (stmt, 1), pb_db_column_int (stmt, 2), counts);
  pb_db_reset (stmt);
}

void
pb_integration_count_accounts (PbDb            *db,
                               const char      *id,
                               PbAccountCounts *counts)
{
  count_accounts (pb_db_stmt (db, SQL_COUNT_ACCOUNTS), id, counts);
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
  PbDbStmt *secrets;
  PbDbStmt *accounts;
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
page_row_at (PbDbStmt *stmt,
             gboolean     *on_row,
             gint64        seq)
{
  while (*on_row && pb_db_column_int64 (stmt, 0) < seq)
    *on_row = pb_db_step (stmt) == PB_DB_ROW;
  return *on_row && pb_db_column_int64 (stmt, 0) == seq;
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
          pb_db_reset (rs->secrets);
          pb_db_bind_text (rs->secrets, 1, id);
        }
      return pb_db_step (rs->secrets) == PB_DB_ROW;
    }
  if (!first && rs->secrets_row)
    rs->secrets_row = pb_db_step (rs->secrets) == PB_DB_ROW;
  return page_row_at (rs->secrets, &rs->secrets_row, seq);
}

static void
row_count_accounts (RowStatements   *rs,
                    const char      *id,
                    gint64           seq,
                    PbAccountCounts *counts)
{
  if (!rs->page)
    {
      count_accounts (rs->accounts, id, counts);
      return;
    }
  *counts = (PbAccountCounts) { 0 };
  while (page_row_at (rs->accounts, &rs->accounts_row, seq))
    {
      add_count (pb_db_column_text (rs->accounts, 1), pb_db_column_int (rs->accounts, 2),
                 counts);
      rs->accounts_row = pb_db_step (rs->accounts) == PB_DB_ROW;
    }
}

/* Writes the integration's JSON from the current row of @stmt (columns as COLUMNS). Written
 * directly rather than through JsonBuilder, and without printf: lists of integrations are the
 * hottest path. */
static void
integration_append_json (PbRequest     *req,
                         RowStatements *rs,
                         PbDbStmt      *stmt,
                         GString       *out)
{
  const char *id = pb_db_column_text (stmt, C_ID);
  const char *connector = pb_db_column_text (stmt, C_CONNECTOR);
  const char *auth = pb_db_column_text (stmt, C_AUTH);
  const char *config = pb_db_column_text (stmt, C_CONFIG);
  const char *oauth_app = pb_db_column_text (stmt, C_OAUTH_APP);
  PbCatalogEntry *entry = pb_catalog_lookup (req->catalog, connector);
  PbAuthType *type = entry ? pb_catalog_entry_find_auth_type (entry, auth) : NULL;
  PbDbStmt *secrets = rs->secrets;
  gint64 version = pb_db_column_int64 (stmt, C_VERSION);
  gint64 seq = pb_db_column_int64 (stmt, C_SEQ);
  PbAccountCounts counts;
  guint n = 0;
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
  g_string_append (out, pb_db_column_int (stmt, C_ACTIVE) ? ",\"active\":true" : ",\"active\":false");
  g_string_append (out, pb_db_column_int (stmt, C_DEFAULT) ? ",\"default\":true,\"oauth_app\":"
                                                             : ",\"default\":false,\"oauth_app\":");
  if (oauth_app != NULL)
    pb_json_append_string (out, oauth_app);
  else
    g_string_append (out, "null");
  g_string_append (out, ",\"config\":");
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
      append_time (out, "updated_at", pb_db_column_int64 (secrets, 3));
      g_string_append_c (out, '}');
    }
  if (!rs->page)
    pb_db_reset (secrets);

  row_count_accounts (rs, id, seq, &counts);
  g_string_append (out, "},\"linked_accounts\":{\"total\":");
  append_uint (out, counts.total);
  g_string_append (out, ",\"active\":");
  append_uint (out, counts.active);
  g_string_append (out, ",\"inactive\":");
  append_uint (out, counts.inactive);
  g_string_append (out, ",\"suspended\":");
  append_uint (out, counts.suspended);
  g_string_append (out, ",\"error\":");
  append_uint (out, counts.error);
  g_string_append (out, ",\"expired\":");
  append_uint (out, counts.expired);
  g_string_append (out, "},\"version\":");
  if (version < 0)
    g_string_append_c (out, '-');
  append_uint (out, version < 0 ? -(guint64) version : (guint64) version);
  g_string_append_c (out, ',');
  append_time (out, "created_at", pb_db_column_int64 (stmt, C_CREATED));
  g_string_append_c (out, ',');
  append_time (out, "updated_at", pb_db_column_int64 (stmt, C_UPDATED));
  g_string_append_c (out, '}');
}

/* The integration as JSON text, or NULL when it is not in the project. */
GString *
pb_integration_load_text (PbRequest  *req,
                          const char *id,
                          gint64     *out_version)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT " COLUMNS " FROM integrations"
                                            " WHERE id = ?1 AND project_id = ?2");
  GString *out = NULL;
  RowStatements rs;

  row_statements_init (&rs, req->db);
  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, req->project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      if (out_version)
        *out_version = pb_db_column_int64 (stmt, C_VERSION);
      out = g_string_sized_new (1024);
      integration_append_json (req, &rs, stmt, out);
    }
  pb_db_reset (stmt);
  return out;
}

/* ---- GET -------------------------------------------------------------------------------- */

static void
bind_page (PbDbStmt *stmt,
           const char   *project_id,
           gint64        after,
           const char   *connector,
           int           active,
           const char   *providers,
           guint         limit)
{
  pb_db_bind_text (stmt, 1, project_id);
  pb_db_bind_int64 (stmt, 2, after);
  pb_db_bind_text (stmt, 3, connector);
  if (active >= 0)
    pb_db_bind_int64 (stmt, 4, active);
  pb_db_bind_text (stmt, 5, providers);
  pb_db_bind_int64 (stmt, 6, limit);
}

void
pb_server_handle_integrations_list (PbRequest *req)
{
  const char *connector = g_hash_table_lookup (req->query, "connector_key");
  const char *category = g_hash_table_lookup (req->query, "category");
  const char *sync_token = g_hash_table_lookup (req->query, "sync_token");
  GString *out = NULL;
  g_autofree char *providers = NULL;
  g_autofree char *next = NULL;
  const char *cursor;
  PbDbStmt *stmt;
  gint64 after = 0, token_seq = 0, last_seq = 0;
  RowStatements rs;
  guint page_size, n = 0;
  int active;

  if (sync_token != NULL)
    {
      pb_server_handle_integrations_delta (req, sync_token);
      return;
    }
  if (!pb_request_page (req, &page_size, &cursor) || !pb_request_query_bool (req, "active", &active))
    return;
  if (cursor != NULL && !pb_cursor_decode (cursor, &after, &token_seq))
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

  /* The sync token of the whole list: the latest change before its first page was read (a
   * change made while the pages are read is then listed again by the next delta). */
  if (cursor == NULL)
    token_seq = pb_changes_latest (req->db, req->project_id);
  stmt = PAGE_STMT (req->db, SQL_PAGE);
  rs.secrets = PAGE_STMT (req->db, SQL_PAGE_SECRETS);
  rs.accounts = PAGE_STMT (req->db, SQL_PAGE_ACCOUNTS);
  rs.page = TRUE;
  bind_page (stmt, req->project_id, after, connector, active, providers, page_size + 1);
  bind_page (rs.secrets, req->project_id, after, connector, active, providers, page_size + 1);
  bind_page (rs.accounts, req->project_id, after, connector, active, providers, page_size + 1);
  rs.secrets_row = pb_db_step (rs.secrets) == PB_DB_ROW;
  rs.accounts_row = pb_db_step (rs.accounts) == PB_DB_ROW;
  out = g_string_sized_new (640 * MIN (page_size, 1000));   /* ~570 bytes an integration */
  g_string_append (out, "{\"data\":[");
  while (pb_db_step (stmt) == PB_DB_ROW)
    {
      if (n == page_size)
        {
          next = pb_cursor_encode (last_seq, token_seq);
          break;
        }
      if (n > 0)
        g_string_append_c (out, ',');
      integration_append_json (req, &rs, stmt, out);
      last_seq = pb_db_column_int64 (stmt, C_SEQ);
      n++;
    }
  pb_db_reset (stmt);
  pb_db_reset (rs.secrets);
  pb_db_reset (rs.accounts);
  /* A filtered list has no token: a delta answers for the whole project. */
  pb_server_handle_integrations_full_page_done (req, out, next,
                                                connector == NULL && category == NULL
                                                && active < 0 ? token_seq : -1);
}
