/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-changes.h"
#include "pb-server-integrations.h"

/*
 * The change log of integrations, behind `GET /integrations?sync_token=`.
 *
 * Triggers write it in the transaction of every write that changes what an integration's JSON
 * says: the integration itself (create, update, enable/disable, default taken or given up,
 * delete), its secrets (hints) and its linked accounts (counts). The log keeps one row per
 * integration, its latest change (an older row of the same integration is replaced), so it
 * never holds more rows than the project has integrations plus its tombstones.
 *
 * Pruning: tombstones (deleted integrations) are the only rows that can be dropped. A project
 * keeps its newest 10,000 tombstones (the meta key `sync_max_tombstones` sets another number),
 * whatever their age; the seq of the newest tombstone dropped becomes the project's horizon,
 * and a token older than the horizon (it could miss a deletion) is answered 410
 * `sync_token_expired`.
 */

#define DEFAULT_MAX_TOMBSTONES "'10000'"

#define MAX_TOMBSTONES \
  "(SELECT CAST (coalesce ((SELECT value FROM meta WHERE key = 'sync_max_tombstones'), " \
  DEFAULT_MAX_TOMBSTONES ") AS INTEGER))"

/* A row for integration id X of project P, replacing the integration's older one. */
#define LOG_CHANGE(P, X, DELETED) \
  "DELETE FROM integration_changes WHERE integration_id = " X ";" \
  "INSERT INTO integration_changes (project_id, integration_id, deleted)" \
  " VALUES (" P ", " X ", " DELETED ");"

/* Logs a change of a secret or account row's integration, while it exists. */
#define LOG_CHILD(NAME, EVENT, ROW) \
  "CREATE TRIGGER IF NOT EXISTS integration_changes_" NAME " AFTER " EVENT \
  " WHEN EXISTS (SELECT 1 FROM integrations WHERE id = " ROW ".integration_id) BEGIN " \
  LOG_CHANGE ("(SELECT project_id FROM integrations WHERE id = " ROW ".integration_id)", \
              ROW ".integration_id", "0") \
  "END;"

const char pb_changes_schema_sqlite[] =
  "CREATE TABLE IF NOT EXISTS integration_changes ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, project_id TEXT NOT NULL,"
  "  integration_id TEXT NOT NULL, deleted INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS integration_changes_by_project"
  "  ON integration_changes (project_id, seq);"
  "CREATE INDEX IF NOT EXISTS integration_changes_by_integration"
  "  ON integration_changes (integration_id);"
  "CREATE INDEX IF NOT EXISTS integration_changes_tombstones"
  "  ON integration_changes (project_id, deleted, seq);"
  /* The seq of the newest tombstone pruned, per project: tokens before it are expired. */
  "CREATE TABLE IF NOT EXISTS integration_change_horizon ("
  "  project_id TEXT PRIMARY KEY, seq INTEGER NOT NULL);"
  "CREATE TRIGGER IF NOT EXISTS integration_changes_insert AFTER INSERT ON integrations BEGIN "
  LOG_CHANGE ("NEW.project_id", "NEW.id", "0")
  "END;"
  "CREATE TRIGGER IF NOT EXISTS integration_changes_update AFTER UPDATE ON integrations BEGIN "
  LOG_CHANGE ("NEW.project_id", "NEW.id", "0")
  "END;"
  "CREATE TRIGGER IF NOT EXISTS integration_changes_delete AFTER DELETE ON integrations BEGIN "
  LOG_CHANGE ("OLD.project_id", "OLD.id", "1")
  "END;"
  LOG_CHILD ("secret_insert", "INSERT ON secrets", "NEW")
  LOG_CHILD ("secret_update", "UPDATE ON secrets", "NEW")
  LOG_CHILD ("secret_delete", "DELETE ON secrets", "OLD")
  LOG_CHILD ("account_insert", "INSERT ON accounts", "NEW")
  LOG_CHILD ("account_update", "UPDATE OF status, integration_id ON accounts", "NEW")
  LOG_CHILD ("account_delete", "DELETE ON accounts", "OLD")
  /* Pruning, with each new tombstone: the horizon moves to the newest tombstone beyond the
   * limit, then those tombstones go. */
  "CREATE TRIGGER IF NOT EXISTS integration_changes_prune AFTER INSERT ON integration_changes"
  " WHEN NEW.deleted = 1 BEGIN "
  "INSERT INTO integration_change_horizon (project_id, seq)"
  " SELECT NEW.project_id, seq FROM integration_changes"
  "  WHERE project_id = NEW.project_id AND deleted = 1"
  "  ORDER BY seq DESC LIMIT 1 OFFSET " MAX_TOMBSTONES
  " ON CONFLICT (project_id) DO UPDATE SET seq = max (seq, excluded.seq);"
  "DELETE FROM integration_changes WHERE project_id = NEW.project_id AND deleted = 1"
  " AND seq <= coalesce ((SELECT seq FROM integration_change_horizon"
  "                       WHERE project_id = NEW.project_id), 0);"
  "END;";

/* The same on PostgreSQL: one function does what LOG_CHANGE and the pruning trigger do. */
const char pb_changes_schema_postgresql[] =
  "CREATE TABLE integration_changes ("
  "  seq BIGSERIAL PRIMARY KEY, project_id TEXT NOT NULL,"
  "  integration_id TEXT NOT NULL, deleted INTEGER NOT NULL);"
  "CREATE INDEX integration_changes_by_project ON integration_changes (project_id, seq);"
  "CREATE INDEX integration_changes_by_integration ON integration_changes (integration_id);"
  "CREATE INDEX integration_changes_tombstones ON integration_changes (project_id, deleted, seq);"
  "CREATE TABLE integration_change_horizon (project_id TEXT PRIMARY KEY, seq BIGINT NOT NULL);"
  "CREATE FUNCTION integration_changes_log (project TEXT, integration TEXT, gone INTEGER)"
  " RETURNS void LANGUAGE plpgsql AS $$ BEGIN"
  " DELETE FROM integration_changes WHERE integration_id = integration;"
  " INSERT INTO integration_changes (project_id, integration_id, deleted)"
  "  VALUES (project, integration, gone);"
  " IF gone = 1 THEN"
  "  INSERT INTO integration_change_horizon (project_id, seq)"
  "   SELECT project, c.seq FROM integration_changes c"
  "    WHERE c.project_id = project AND c.deleted = 1"
  "    ORDER BY c.seq DESC LIMIT 1 OFFSET " MAX_TOMBSTONES
  "   ON CONFLICT (project_id) DO UPDATE"
  "    SET seq = greatest (integration_change_horizon.seq, excluded.seq);"
  "  DELETE FROM integration_changes c WHERE c.project_id = project AND c.deleted = 1"
  "   AND c.seq <= coalesce ((SELECT h.seq FROM integration_change_horizon h"
  "                           WHERE h.project_id = project), 0);"
  " END IF;"
  " END $$;"
  "CREATE FUNCTION integration_changes_of_integration () RETURNS trigger LANGUAGE plpgsql AS $$"
  " BEGIN"
  " IF TG_OP = 'DELETE' THEN PERFORM integration_changes_log (OLD.project_id, OLD.id, 1);"
  " ELSE PERFORM integration_changes_log (NEW.project_id, NEW.id, 0); END IF;"
  " RETURN NULL;"
  " END $$;"
  /* A secret or account row's integration, while it exists. */
  "CREATE FUNCTION integration_changes_of_child () RETURNS trigger LANGUAGE plpgsql AS $$"
  " DECLARE integration TEXT; project TEXT;"
  " BEGIN"
  " IF TG_OP = 'DELETE' THEN integration := OLD.integration_id;"
  " ELSE integration := NEW.integration_id; END IF;"
  " SELECT i.project_id INTO project FROM integrations i WHERE i.id = integration;"
  " IF FOUND THEN PERFORM integration_changes_log (project, integration, 0); END IF;"
  " RETURN NULL;"
  " END $$;"
  "CREATE TRIGGER integration_changes_integration AFTER INSERT OR UPDATE OR DELETE"
  " ON integrations FOR EACH ROW EXECUTE FUNCTION integration_changes_of_integration ();"
  "CREATE TRIGGER integration_changes_secret AFTER INSERT OR UPDATE OR DELETE"
  " ON secrets FOR EACH ROW EXECUTE FUNCTION integration_changes_of_child ();"
  "CREATE TRIGGER integration_changes_account AFTER INSERT OR DELETE OR UPDATE OF status, integration_id"
  " ON accounts FOR EACH ROW EXECUTE FUNCTION integration_changes_of_child ();";

gint64
pb_changes_latest (PbDb       *db,
                   const char *project_id)
{
  PbDbStmt *stmt = pb_db_stmt (db, "SELECT max (seq) FROM integration_changes"
                                       " WHERE project_id = ?");
  gint64 seq = 0;

  pb_db_bind_text (stmt, 1, project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    seq = pb_db_column_int64 (stmt, 0);
  pb_db_reset (stmt);
  return seq;
}

static gint64
changes_horizon (PbDb       *db,
                 const char *project_id)
{
  PbDbStmt *stmt = pb_db_stmt (db, "SELECT seq FROM integration_change_horizon"
                                       " WHERE project_id = ?");
  gint64 seq = 0;

  pb_db_bind_text (stmt, 1, project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    seq = pb_db_column_int64 (stmt, 0);
  pb_db_reset (stmt);
  return seq;
}

/* Tags a token with its project, so that another project's token is told apart. */
static gint64
project_tag (const char *project_id)
{
  return g_str_hash (project_id) & 0x7fffffff;
}

char *
pb_sync_token_encode (const char *project_id,
                      gint64      seq)
{
  return pb_cursor_encode (seq, project_tag (project_id));
}

/* Whether @token is one of @project_id's that the log can still answer. */
static gboolean
sync_token_decode (PbDb       *db,
                   const char *project_id,
                   const char *token,
                   gint64     *out_seq)
{
  gint64 seq, tag;

  if (!pb_cursor_decode (token, &seq, &tag) || tag != project_tag (project_id) || seq < 0)
    return FALSE;
  if (seq < changes_horizon (db, project_id) || seq > pb_changes_latest (db, project_id))
    return FALSE;
  *out_seq = seq;
  return TRUE;
}

/* Closes a delta page: "next" on every page but the last, which has "sync_token". */
static void
reply_delta_page (PbRequest  *req,
                  GString    *out,
                  const char *next,
                  const char *token)
{
  g_string_append (out, "],\"next\":");
  pb_json_append_string (out, next);
  if (token != NULL)
    {
      g_string_append (out, ",\"sync_token\":");
      pb_json_append_string (out, token);
    }
  g_string_append_c (out, '}');
  pb_request_reply_text (req, 200, out);
}

void
pb_server_handle_integrations_full_page_done (PbRequest  *req,
                                              GString    *out,
                                              const char *next,
                                              gint64      token_seq)
{
  g_autofree char *token = NULL;

  if (next == NULL && token_seq >= 0)
    token = pb_sync_token_encode (req->project_id, token_seq);
  reply_delta_page (req, out, next, token);
}

void
pb_server_handle_integrations_delta (PbRequest  *req,
                                     const char *token)
{
  static const char * const filters[] = { "connector_key", "category", "active", NULL };
  PbDbStmt *stmt;
  g_autofree char *next = NULL;
  g_autofree char *new_token = NULL;
  const char *cursor;
  GString *out;
  gint64 since, after, unused, last_seq;
  guint page_size, n = 0;

  for (guint i = 0; filters[i] != NULL; i++)
    if (g_hash_table_contains (req->query, filters[i]))
      {
        g_autoptr(JsonObject) fields = json_object_new ();
        json_object_set_string_member (fields, "sync_token",
                                       "A sync token lists the whole project: it cannot be "
                                       "combined with connector_key, category or active.");
        pb_request_reply_fields (req, fields);
        return;
      }
  if (!pb_request_page (req, &page_size, &cursor))
    return;
  if (!sync_token_decode (req->db, req->project_id, token, &since))
    {
      pb_request_reply_error (req, 410, "sync_token_expired", NULL,
                              "This sync token is no longer valid: list all integrations again.");
      return;
    }
  after = since;
  if (cursor != NULL && (!pb_cursor_decode (cursor, &after, &unused) || after < since))
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      json_object_set_string_member (fields, "next", "This page cursor is not valid.");
      pb_request_reply_fields (req, fields);
      return;
    }

  /* Each row read with the integration's state now: a row changed since is listed again
   * later (its log row moved on), so the last page's token misses nothing. */
  stmt = pb_db_stmt (req->db, "SELECT seq, integration_id FROM integration_changes"
                              " WHERE project_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
  pb_db_bind_text (stmt, 1, req->project_id);
  pb_db_bind_int64 (stmt, 2, after);
  pb_db_bind_int64 (stmt, 3, page_size + 1);
  out = g_string_sized_new (640 * MIN (page_size, 1000));
  g_string_append (out, "{\"data\":[");
  last_seq = after;
  while (pb_db_step (stmt) == PB_DB_ROW)
    {
      const char *id = pb_db_column_text (stmt, 1);
      g_autoptr(GString) text = NULL;

      if (n == page_size)
        {
          next = pb_cursor_encode (last_seq, 0);
          break;
        }
      if (n++ > 0)
        g_string_append_c (out, ',');
      text = pb_integration_load_text (req, id, NULL);
      if (text != NULL)
        g_string_append_len (out, text->str, text->len);
      else
        {
          g_string_append (out, "{\"id\":");
          pb_json_append_string (out, id);
          g_string_append (out, ",\"deleted\":true}");
        }
      last_seq = pb_db_column_int64 (stmt, 0);
    }
  pb_db_reset (stmt);
  if (next == NULL)
    new_token = pb_sync_token_encode (req->project_id, last_seq);
  reply_delta_page (req, out, next, new_token);
}
