/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-migrate.h"

#include "pb-server-changes.h"
#include "pb-server-db-private.h"

/*
 * The schema, as the steps from one version to the next, for both engines. A new database runs
 * them all; an older one the ones it lacks; each database in one transaction, with the version
 * in `meta`. A step's SQL is the same on both engines, apart from two words that differ:
 * @SERIAL@ (a row number that only grows: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT,
 * PostgreSQL's BIGSERIAL) and @BLOB@ (BLOB, BYTEA); what only one engine has (triggers, in
 * their two languages) comes after it. Then the step's data change, if it has one.
 */

typedef struct
{
  guint        version;
  const char  *sql;
  const char  *sqlite_sql[2];
  const char  *postgresql_sql[2];
  gboolean   (*data) (PbDb *db, PbCatalog *catalog, PbCrypto *crypto, GError **error);
} Step;

static const Step steps[] = {
  {
    1,
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT INTO meta (key, value) VALUES ('schema_version', '1');"
    "CREATE TABLE projects ("
    "  id TEXT PRIMARY KEY, name TEXT NOT NULL, plan TEXT NOT NULL,"
    "  region TEXT NOT NULL, created_at BIGINT NOT NULL);"
    "CREATE TABLE api_keys ("
    "  key_id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects (id),"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),"
    "  salt TEXT NOT NULL, hash TEXT NOT NULL, created_at BIGINT NOT NULL);"
    "CREATE TABLE integrations ("
    "  seq @SERIAL@, id TEXT NOT NULL UNIQUE,"
    "  project_id TEXT NOT NULL REFERENCES projects (id), name TEXT NOT NULL,"
    "  connector_key TEXT NOT NULL, auth_type_key TEXT NOT NULL,"
    "  active INTEGER NOT NULL, is_default INTEGER NOT NULL, config TEXT NOT NULL,"
    "  version BIGINT NOT NULL, fingerprint TEXT,"
    "  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX integrations_by_project ON integrations (project_id, seq);"
    "CREATE INDEX integrations_by_connector ON integrations (project_id, connector_key);"
    "CREATE TABLE secrets ("
    "  integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,"
    "  field TEXT NOT NULL, value @BLOB@ NOT NULL, hint TEXT NOT NULL,"
    "  updated_at BIGINT NOT NULL, PRIMARY KEY (integration_id, field));"
    "CREATE TABLE accounts ("
    "  seq @SERIAL@, id TEXT NOT NULL UNIQUE,"
    "  project_id TEXT NOT NULL REFERENCES projects (id),"
    "  integration_id TEXT NOT NULL REFERENCES integrations (id), provider TEXT NOT NULL,"
    "  origin_owner_id TEXT NOT NULL, origin_owner_name TEXT NOT NULL,"
    "  origin_username TEXT, label TEXT NOT NULL, status TEXT NOT NULL,"
    "  status_reasons TEXT NOT NULL DEFAULT '[]', credentials @BLOB@,"
    "  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX accounts_by_project ON accounts (project_id, seq);"
    "CREATE INDEX accounts_by_integration ON accounts (integration_id, status);"
    "CREATE UNIQUE INDEX accounts_by_owner ON accounts (project_id, provider, origin_owner_id);"
    "CREATE TABLE connect_sessions ("
    "  id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects (id),"
    "  token_hash TEXT NOT NULL UNIQUE, provider TEXT NOT NULL, integration_id TEXT NOT NULL,"
    "  origin_owner_id TEXT NOT NULL, origin_owner_name TEXT NOT NULL, origin_username TEXT,"
    "  expires_at BIGINT NOT NULL, used INTEGER NOT NULL DEFAULT 0,"
    "  created_at BIGINT NOT NULL);"
    "CREATE TABLE logs ("
    "  seq @SERIAL@, request_id TEXT NOT NULL UNIQUE,"
    "  project_id TEXT NOT NULL, event_time BIGINT NOT NULL, duration BIGINT NOT NULL,"
    "  http_method TEXT NOT NULL, path TEXT NOT NULL, url TEXT NOT NULL, status INTEGER NOT NULL,"
    "  success INTEGER NOT NULL, provider TEXT, integration_id TEXT, account_id TEXT,"
    "  service TEXT, resource TEXT, source_type TEXT);"
    "CREATE INDEX logs_by_time ON logs (project_id, event_time, seq);"
    "CREATE INDEX logs_by_integration ON logs (integration_id, event_time, seq);"
    "CREATE INDEX logs_by_account ON logs (account_id, event_time, seq);",
    { NULL },
    { NULL },
    NULL,
  },
  {
    /* Account fields: integrations of OAuth types say whose OAuth app they use; the change
     * log behind sync tokens; on PostgreSQL, the rate limit windows all servers share (kept
     * out of the write-ahead log: they are worth nothing after a crash). */
    2,
    "ALTER TABLE integrations ADD COLUMN oauth_app TEXT;",
    { pb_changes_schema_sqlite },
    { pb_changes_schema_postgresql,
      "CREATE UNLOGGED TABLE rate_windows ("
      "  name TEXT PRIMARY KEY, start_ms BIGINT NOT NULL, count BIGINT NOT NULL);" },
    pb_migrate_account_fields,
  },
  {
    /* Linked accounts can be acted on: hints of their credentials and the expiry of an OAuth
     * access token; connect sessions can re-link an account and carry an OAuth sign-in. */
    3,
    "ALTER TABLE accounts ADD COLUMN credential_hints TEXT NOT NULL DEFAULT '{}';"
    "ALTER TABLE accounts ADD COLUMN token_expires_at BIGINT;"
    "ALTER TABLE connect_sessions ADD COLUMN account_id TEXT;"
    "ALTER TABLE connect_sessions ADD COLUMN oauth_state_hash TEXT;"
    "ALTER TABLE connect_sessions ADD COLUMN pending_credentials @BLOB@;",
    { NULL },
    { NULL },
    pb_migrate_credential_hints,
  },
};

guint
pb_migrate_current_version (void)
{
  return steps[G_N_ELEMENTS (steps) - 1].version;
}

static char *
engine_sql (PbDb       *db,
            const char *sql)
{
  GString *out = g_string_new (sql);
  gboolean pg = pb_db_engine (db) == PB_DB_POSTGRESQL;

  g_string_replace (out, "@SERIAL@", pg ? "BIGSERIAL PRIMARY KEY"
                                        : "INTEGER PRIMARY KEY AUTOINCREMENT", 0);
  g_string_replace (out, "@BLOB@", pg ? "BYTEA" : "BLOB", 0);
  return g_string_free (out, FALSE);
}

static gboolean
run_step (PbDb        *db,
          const Step  *step,
          PbCatalog   *catalog,
          PbCrypto    *crypto,
          GError     **error)
{
  g_autofree char *sql = engine_sql (db, step->sql);
  g_autofree char *version = g_strdup_printf ("UPDATE meta SET value = '%u'"
                                              " WHERE key = 'schema_version'", step->version);
  const char * const *only = pb_db_engine (db) == PB_DB_POSTGRESQL ? step->postgresql_sql
                                                                    : step->sqlite_sql;
  guint i;

  if (!pb_db_exec (db, sql, error))
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (step->sqlite_sql) && only[i] != NULL; i++)
    if (!pb_db_exec (db, only[i], error))
      return FALSE;
  if (step->data != NULL && !step->data (db, catalog, crypto, error))
    return FALSE;
  return pb_db_exec (db, version, error);
}

/* The database's version: 0 when it has no schema yet, -1 when it cannot be told. */
static gint64
read_version (PbDb *db)
{
  PbDbStmt *stmt = pb_db_stmt (db, PB_DB_DIALECT (db,
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
    "SELECT count(*) FROM information_schema.tables"
    " WHERE table_schema = current_schema () AND table_name = 'meta'"));
  gint64 version = 0;
  gboolean has_meta;

  has_meta = pb_db_step (stmt) == PB_DB_ROW && pb_db_column_int64 (stmt, 0) > 0;
  pb_db_reset (stmt);
  if (!has_meta)
    return 0;
  stmt = pb_db_stmt (db, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      const char *text = pb_db_column_text (stmt, 0);
      guint64 value;

      if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL))
        version = -1;
      else
        version = value;
    }
  else
    version = -1;
  pb_db_reset (stmt);
  return version;
}

static gboolean
migrate (PbDb        *db,
         gboolean     only_if_empty,
         PbCatalog   *catalog,
         PbCrypto    *crypto,
         guint       *out_from,
         GError     **error)
{
  gint64 version;
  guint i;

  /* The version is read with the write turn held: two servers starting on one new database
   * do not both make its schema. */
  if (!pb_db_begin (db, error))
    return FALSE;
  version = read_version (db);
  if (out_from != NULL)
    *out_from = MAX (version, 0);
  if ((only_if_empty && version != 0) || version == pb_migrate_current_version ())
    {
      pb_db_rollback (db);
      return TRUE;
    }
  if (version < 0 || version > pb_migrate_current_version ())
    {
      g_autofree char *text = NULL;
      PbDbStmt *stmt = pb_db_stmt (db, "SELECT value FROM meta WHERE key = 'schema_version'");

      if (pb_db_step (stmt) == PB_DB_ROW)
        text = g_strdup (pb_db_column_text (stmt, 0));
      pb_db_reset (stmt);
      pb_db_rollback (db);
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_FAILED,
                   "The database “%s” has the schema version “%s”, which this plugboard-server "
                   "does not know; a newer one made it.", pb_db_name (db), text ? text : "");
      return FALSE;
    }
  for (i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i].version > version && !run_step (db, &steps[i], catalog, crypto, error))
      {
        pb_db_rollback (db);
        g_prefix_error (error, "Could not bring the database “%s” to the current schema: ",
                        pb_db_name (db));
        return FALSE;
      }
  if (!pb_db_commit (db, error))
    {
      pb_db_rollback (db);
      return FALSE;
    }
  if (version > 0)
    g_message ("The database “%s” was brought from schema version %u to %u.", pb_db_name (db),
               (guint) version, pb_migrate_current_version ());
  return TRUE;
}

gboolean
pb_schema_create_if_empty (PbDb    *db,
                           GError **error)
{
  return migrate (db, TRUE, NULL, NULL, NULL, error);
}

gboolean
pb_migrate (PbDb       *db,
            PbCatalog  *catalog,
            PbCrypto   *crypto,
            guint      *out_from,
            GError    **error)
{
  return migrate (db, FALSE, catalog, crypto, out_from, error);
}
