/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-replica"

#include "config.h"

#include "pb-replica.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pb-replica-private.h"

struct _PbReplica
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  GThread *owner;
};

G_DEFINE_FINAL_TYPE (PbReplica, pb_replica, G_TYPE_OBJECT)

/* Version 1. The outbox table belongs to PbOutbox but lives in the same schema, so that
 * one transaction can take an entry out and put the server's answer in. */
static const char schema_v1[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
  "CREATE TABLE project (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);"
  "CREATE TABLE connectors (provider TEXT PRIMARY KEY, position INTEGER NOT NULL,"
  "  json TEXT NOT NULL);"
  "CREATE TABLE integrations (id TEXT PRIMARY KEY, position INTEGER NOT NULL,"
  "  json TEXT NOT NULL);"
  "CREATE TABLE pages (kind INTEGER NOT NULL, query_key TEXT NOT NULL,"
  "  page_index INTEGER NOT NULL, json TEXT NOT NULL, next TEXT, saved_at INTEGER NOT NULL,"
  "  PRIMARY KEY (kind, query_key, page_index));"
  "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
  "  integration_id TEXT NOT NULL, base_version INTEGER NOT NULL, payload TEXT NOT NULL,"
  "  secret_fields TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0, code TEXT, message TEXT,"
  "  current TEXT, created_at INTEGER NOT NULL);"
  "CREATE INDEX outbox_integration ON outbox (integration_id, seq);";

static void
pb_replica_finalize (GObject *object)
{
  PbReplica *self = (PbReplica *) object;

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (pb_replica_parent_class)->finalize (object);
}

static void
pb_replica_class_init (PbReplicaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_replica_finalize;
}

static void
pb_replica_init (PbReplica *self)
{
}

/* ---- low level ------------------------------------------------------------------------ */

void
pb_replica_set_db_error (PbReplica  *self,
                         GError    **error)
{
  g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE,
               _("The local copy of the project could not be read or written (%s)."),
               self->db != NULL ? sqlite3_errmsg (self->db) : "no database");
}

static void
check_thread (PbReplica *self)
{
  /* One connection, one thread: SQLite handles are not shared across threads here. */
  if (G_UNLIKELY (self->owner != g_thread_self ()))
    g_critical ("PbReplica used from a thread that did not open it");
}

sqlite3_stmt *
pb_replica_prepare (PbReplica   *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  check_thread (self);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      pb_replica_set_db_error (self, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

gboolean
pb_replica_step_done (PbReplica     *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      pb_replica_set_db_error (self, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
pb_replica_exec (PbReplica   *self,
                 const char  *sql,
                 GError     **error)
{
  check_thread (self);
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      pb_replica_set_db_error (self, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
pb_replica_begin (PbReplica  *self,
                  GError    **error)
{
  return pb_replica_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
pb_replica_commit (PbReplica  *self,
                   GError    **error)
{
  if (!pb_replica_exec (self, "COMMIT", error))
    {
      pb_replica_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
pb_replica_rollback (PbReplica *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

const char *
pb_replica_column_text (sqlite3_stmt *stmt,
                        int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static gboolean
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    return sqlite3_bind_null (stmt, index) == SQLITE_OK;
  return sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

/* ---- opening -------------------------------------------------------------------------- */

static char *
normalize_backend (const char *backend)
{
  g_autofree char *copy = g_strstrip (g_strdup (backend ? backend : ""));
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return g_steal_pointer (&copy);
}

/**
 * pb_replica_path_for:
 * @backend: the backend URL (trailing slashes do not matter)
 * @project_id: the project's id on the backend
 *
 * Returns: (transfer full): where the replica of that project lives
 */
char *
pb_replica_path_for (const char *backend,
                     const char *project_id)
{
  g_autofree char *normalized = normalize_backend (backend);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *name = NULL;

  g_return_val_if_fail (backend != NULL, NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) normalized, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) project_id, -1);
  name = g_strdup_printf ("replica-%.32s.db", g_checksum_get_string (checksum));

  return g_build_filename (g_get_user_data_dir (), "plugboard", name, NULL);
}

static gboolean
read_schema_version (PbReplica  *self,
                     gint64     *out_version,
                     GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!pb_replica_exec (self, "CREATE TABLE IF NOT EXISTS schema_version"
                              " (version INTEGER NOT NULL)", error))
    return FALSE;
  stmt = pb_replica_prepare (self, "SELECT MAX(version) FROM schema_version", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      pb_replica_set_db_error (self, error);
      return FALSE;
    }
  *out_version = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? 0
                                                               : sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
migrate (PbReplica  *self,
         GError    **error)
{
  gint64 version = 0;
  g_autofree char *insert = NULL;

  if (!pb_replica_begin (self, error))
    return FALSE;
  if (!read_schema_version (self, &version, error))
    goto failed;

  if (version > PB_REPLICA_SCHEMA_VERSION)
    {
      pb_replica_rollback (self);
      g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_NEWER_SCHEMA,
                   _("The local copy of the project was written by a newer version of "
                     "Plugboard (format %" G_GINT64_FORMAT "); update Plugboard to open it."),
                   version);
      return FALSE;
    }

  if (version < 1 && !pb_replica_exec (self, schema_v1, error))
    goto failed;

  if (version < PB_REPLICA_SCHEMA_VERSION)
    {
      insert = g_strdup_printf ("DELETE FROM schema_version;"
                                "INSERT INTO schema_version (version) VALUES (%d)",
                                PB_REPLICA_SCHEMA_VERSION);
      if (!pb_replica_exec (self, insert, error))
        goto failed;
    }

  return pb_replica_commit (self, error);

failed:
  pb_replica_rollback (self);
  return FALSE;
}

/**
 * pb_replica_open_path:
 * @path: the database file (created when missing; its folder must exist)
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the replica, or %NULL with @error set
 */
PbReplica *
pb_replica_open_path (const char  *path,
                      GError     **error)
{
  g_autoptr(PbReplica) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (PB_TYPE_REPLICA, NULL);
  self->path = g_strdup (path);
  self->owner = g_thread_self ();

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE,
                   _("The local copy of the project at “%s” could not be opened (%s)."),
                   path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL: readers never see a half-written transaction, and a crash rolls back to the last
   * commit. FULL: a commit that returned is on the disk (the outbox must survive a reboot). */
  if (!pb_replica_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !pb_replica_exec (self, "PRAGMA synchronous = FULL", error) ||
      !pb_replica_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * pb_replica_open:
 * @backend: the backend URL
 * @project_id: the project's id on the backend
 * @error: return location for an error
 *
 * Opens the replica at pb_replica_path_for(), making its folder (mode 0700) when needed.
 *
 * Returns: (transfer full) (nullable): the replica, or %NULL with @error set
 */
PbReplica *
pb_replica_open (const char  *backend,
                 const char  *project_id,
                 GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (backend != NULL, NULL);
  g_return_val_if_fail (project_id != NULL && *project_id != '\0', NULL);

  path = pb_replica_path_for (backend, project_id);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE,
                   _("The folder “%s” for the local copy could not be made: %s."),
                   dir, g_strerror (saved));
      return NULL;
    }

  return pb_replica_open_path (path, error);
}

const char *
pb_replica_get_path (PbReplica *self)
{
  g_return_val_if_fail (PB_IS_REPLICA (self), NULL);
  return self->path;
}

/* ---- secrets guard -------------------------------------------------------------------- */

static gboolean
is_string_or_null (JsonNode *node)
{
  return JSON_NODE_HOLDS_NULL (node) ||
         (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING);
}

gboolean
pb_replica_check_no_secret_values (JsonObject  *integration,
                                   GError     **error)
{
  JsonNode *secrets_node;
  JsonObjectIter iter;
  const char *field;
  JsonNode *state;

  g_return_val_if_fail (integration != NULL, FALSE);

  secrets_node = json_object_get_member (integration, "secrets");
  if (secrets_node == NULL || JSON_NODE_HOLDS_NULL (secrets_node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (secrets_node))
    goto refused;

  json_object_iter_init (&iter, json_node_get_object (secrets_node));
  while (json_object_iter_next (&iter, &field, &state))
    {
      JsonObjectIter inner;
      const char *key;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (state))
        goto refused;
      json_object_iter_init (&inner, json_node_get_object (state));
      while (json_object_iter_next (&inner, &key, &value))
        {
          if (g_str_equal (key, "set"))
            {
              if (!JSON_NODE_HOLDS_VALUE (value) ||
                  json_node_get_value_type (value) != G_TYPE_BOOLEAN)
                goto refused;
            }
          else if (g_str_equal (key, "hint") || g_str_equal (key, "updated_at"))
            {
              if (!is_string_or_null (value))
                goto refused;
            }
          else
            goto refused;
        }
    }
  return TRUE;

refused:
  /* Never name the value; the field name is not secret. */
  g_set_error_literal (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_SECRET_VALUE,
                       _("An integration held something that looks like a credential value; "
                         "it was not written to the local copy."));
  return FALSE;
}

/* ---- writes --------------------------------------------------------------------------- */

static char *
object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

gboolean
pb_replica_put_integration_json (PbReplica   *self,
                                 JsonObject  *integration,
                                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *text = NULL;
  const char *id;

  if (!pb_replica_check_no_secret_values (integration, error))
    return FALSE;
  id = json_object_get_string_member_with_default (integration, "id", NULL);
  if (id == NULL || *id == '\0')
    {
      g_set_error_literal (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_INVALID_INPUT,
                           _("An integration without an id cannot be kept."));
      return FALSE;
    }

  text = object_to_text (integration);
  stmt = pb_replica_prepare (self,
                             "INSERT INTO integrations (id, position, json) VALUES (?1,"
                             " (SELECT COALESCE (MAX (position), 0) + 1 FROM integrations), ?2)"
                             " ON CONFLICT (id) DO UPDATE SET json = excluded.json", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, text);
  return pb_replica_step_done (self, stmt, error);
}

gboolean
pb_replica_delete_integration_row (PbReplica   *self,
                                   const char  *id,
                                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = pb_replica_prepare (self, "DELETE FROM integrations WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  return pb_replica_step_done (self, stmt, error);
}

/* A snapshot as text, made on the main thread (the models are read there only), written
 * by any connection. */
typedef struct
{
  char *key;
  char *text;
} Row;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->key);
  g_free (row->text);
  g_free (row);
}

typedef struct
{
  char *path;
  char *project;
  GPtrArray *connectors;     /* Row, NULL: keep */
  GPtrArray *integrations;   /* Row, NULL: keep */
  char *refreshed;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_free (snapshot->path);
  g_free (snapshot->project);
  g_clear_pointer (&snapshot->connectors, g_ptr_array_unref);
  g_clear_pointer (&snapshot->integrations, g_ptr_array_unref);
  g_free (snapshot->refreshed);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static Row *
row_new (const char *key,
         JsonObject *object)
{
  Row *row = g_new0 (Row, 1);

  row->key = g_strdup (key);
  row->text = object_to_text (object);
  return row;
}

static Snapshot *
snapshot_build (PbReplica  *self,
                PbProject  *project,
                GPtrArray  *connectors,
                GPtrArray  *integrations,
                GError    **error)
{
  g_autoptr(Snapshot) snapshot = g_new0 (Snapshot, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  snapshot->path = g_strdup (self->path);
  snapshot->refreshed = g_date_time_format_iso8601 (now);
  if (project != NULL)
    {
      g_autoptr(JsonObject) object = pb_project_to_json (project);

      snapshot->project = object_to_text (object);
    }
  if (connectors != NULL)
    {
      snapshot->connectors = g_ptr_array_new_full (connectors->len, row_free);
      for (guint i = 0; i < connectors->len; i++)
        {
          PbConnector *connector = g_ptr_array_index (connectors, i);
          g_autoptr(JsonObject) object = pb_connector_to_json (connector);

          g_ptr_array_add (snapshot->connectors,
                           row_new (pb_connector_get_provider (connector), object));
        }
    }
  if (integrations != NULL)
    {
      snapshot->integrations = g_ptr_array_new_full (integrations->len, row_free);
      for (guint i = 0; i < integrations->len; i++)
        {
          PbIntegration *integration = g_ptr_array_index (integrations, i);
          g_autoptr(JsonObject) object = pb_integration_to_json (integration);

          if (!pb_replica_check_no_secret_values (object, error))
            return NULL;
          g_ptr_array_add (snapshot->integrations,
                           row_new (pb_integration_get_id (integration), object));
        }
    }
  return g_steal_pointer (&snapshot);
}

static gboolean
run_sql (sqlite3    *db,
         const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static gboolean
insert_rows (sqlite3    *db,
             const char *sql,
             GPtrArray  *rows)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      int rc;

      sqlite3_reset (stmt);
      bind_text (stmt, 1, row->key);
      sqlite3_bind_int64 (stmt, 2, i + 1);
      bind_text (stmt, 3, row->text);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return FALSE;
    }
  return TRUE;
}

/* One transaction on @db; FALSE (rolled back) on any error, sqlite3_errmsg() tells which. */
static gboolean
snapshot_write (sqlite3  *db,
                Snapshot *snapshot)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!run_sql (db, "BEGIN IMMEDIATE"))
    return FALSE;

  if (snapshot->project != NULL)
    {
      g_autoptr(sqlite3_stmt) project = NULL;

      if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO project (id, json) VALUES (1, ?1)",
                              -1, &project, NULL) != SQLITE_OK)
        goto failed;
      bind_text (project, 1, snapshot->project);
      if (sqlite3_step (project) != SQLITE_DONE)
        goto failed;
    }
  /* INSERT OR REPLACE: a list with one key twice keeps the last, as a put would. */
  if (snapshot->connectors != NULL &&
      (!run_sql (db, "DELETE FROM connectors") ||
       !insert_rows (db, "INSERT OR REPLACE INTO connectors (provider, position, json)"
                         " VALUES (?1, ?2, ?3)", snapshot->connectors)))
    goto failed;
  if (snapshot->integrations != NULL &&
      (!run_sql (db, "DELETE FROM integrations") ||
       !insert_rows (db, "INSERT OR REPLACE INTO integrations (id, position, json)"
                         " VALUES (?1, ?2, ?3)", snapshot->integrations)))
    goto failed;

  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO meta (key, value)"
                              " VALUES ('last_refresh', ?1)", -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  bind_text (stmt, 1, snapshot->refreshed);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto failed;

  if (run_sql (db, "COMMIT"))
    return TRUE;

failed:
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/**
 * pb_replica_save_snapshot:
 * @self: a replica
 * @project: (nullable): the project, or %NULL to keep the stored one
 * @connectors: (nullable) (element-type PbConnector): all connectors, or %NULL to keep
 * @integrations: (nullable) (element-type PbIntegration): all integrations, or %NULL to keep
 * @error: return location for an error
 *
 * Replaces what is given and records now as the time of the last refresh, all in one
 * transaction: on any error nothing changed.
 */
gboolean
pb_replica_save_snapshot (PbReplica  *self,
                          PbProject  *project,
                          GPtrArray  *connectors,
                          GPtrArray  *integrations,
                          GError    **error)
{
  g_autoptr(Snapshot) snapshot = NULL;

  g_return_val_if_fail (PB_IS_REPLICA (self), FALSE);

  check_thread (self);
  snapshot = snapshot_build (self, project, connectors, integrations, error);
  if (snapshot == NULL)
    return FALSE;
  if (!snapshot_write (self->db, snapshot))
    {
      pb_replica_set_db_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
save_snapshot_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Snapshot *snapshot = task_data;
  sqlite3 *db = NULL;
  gboolean ok;

  /* A connection of this thread's own: SQLite handles never cross threads here. */
  if (sqlite3_open_v2 (snapshot->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_task_return_new_error (task, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE,
                               _("The local copy of the project could not be read or written "
                                 "(%s)."), db != NULL ? sqlite3_errmsg (db) : "no database");
      sqlite3_close_v2 (db);
      return;
    }
  sqlite3_busy_timeout (db, 5000);
  ok = run_sql (db, "PRAGMA synchronous = FULL") && snapshot_write (db, snapshot);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE,
                             _("The local copy of the project could not be read or written "
                               "(%s)."), sqlite3_errmsg (db));
  sqlite3_close_v2 (db);
}

/**
 * pb_replica_save_snapshot_async:
 *
 * Like pb_replica_save_snapshot(), with the writing done in a worker thread on a connection
 * of its own (for big projects). The models are turned into text before this returns, so
 * they may change afterwards.
 */
void
pb_replica_save_snapshot_async (PbReplica           *self,
                                PbProject           *project,
                                GPtrArray           *connectors,
                                GPtrArray           *integrations,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Snapshot *snapshot;

  g_return_if_fail (PB_IS_REPLICA (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_replica_save_snapshot_async);
  check_thread (self);
  snapshot = snapshot_build (self, project, connectors, integrations, &error);
  if (snapshot == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, snapshot, (GDestroyNotify) snapshot_free);
  g_task_run_in_thread (task, save_snapshot_thread);
}

gboolean
pb_replica_save_snapshot_finish (PbReplica     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (PB_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pb_replica_save_snapshot_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
pb_replica_put_integration (PbReplica      *self,
                            PbIntegration  *integration,
                            GError        **error)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (PB_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (PB_IS_INTEGRATION (integration), FALSE);

  object = pb_integration_to_json (integration);
  if (!pb_replica_begin (self, error))
    return FALSE;
  if (!pb_replica_put_integration_json (self, object, error))
    {
      pb_replica_rollback (self);
      return FALSE;
    }
  return pb_replica_commit (self, error);
}

gboolean
pb_replica_remove_integration (PbReplica   *self,
                               const char  *id,
                               GError     **error)
{
  g_return_val_if_fail (PB_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!pb_replica_begin (self, error))
    return FALSE;
  if (!pb_replica_delete_integration_row (self, id, error))
    {
      pb_replica_rollback (self);
      return FALSE;
    }
  return pb_replica_commit (self, error);
}

/* ---- reads ---------------------------------------------------------------------------- */

GDateTime *
pb_replica_get_last_refresh (PbReplica *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (PB_IS_REPLICA (self), NULL);

  stmt = pb_replica_prepare (self, "SELECT value FROM meta WHERE key = 'last_refresh'", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_date_time_new_from_iso8601 (pb_replica_column_text (stmt, 0), NULL);
}

static JsonObject *
parse_object (PbReplica   *self,
              const char  *text,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *object = pb_json_object_from_string (text, -1, &local_error);

  if (object == NULL)
    g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE,
                 _("The local copy of the project at “%s” is damaged: %s"),
                 self->path, local_error->message);
  return object;
}

PbProject *
pb_replica_load_project (PbReplica  *self,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) object = NULL;
  int rc;

  g_return_val_if_fail (PB_IS_REPLICA (self), NULL);

  stmt = pb_replica_prepare (self, "SELECT json FROM project WHERE id = 1", error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      pb_replica_set_db_error (self, error);
      return NULL;
    }
  object = parse_object (self, pb_replica_column_text (stmt, 0), error);
  if (object == NULL)
    return NULL;
  return pb_project_new_from_json (object, error);
}

typedef GObject *(*FromJson) (JsonObject *object, GError **error);

static GPtrArray *
load_objects (PbReplica   *self,
              const char  *sql,
              const char  *key,
              FromJson     from_json,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  stmt = pb_replica_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (key != NULL)
    bind_text (stmt, 1, key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) object = parse_object (self, pb_replica_column_text (stmt, 0), error);
      GObject *item;

      if (object == NULL || (item = from_json (object, error)) == NULL)
        return NULL;
      g_ptr_array_add (result, item);
    }
  if (rc != SQLITE_DONE)
    {
      pb_replica_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&result);
}

GPtrArray *
pb_replica_load_connectors (PbReplica  *self,
                            GError    **error)
{
  g_return_val_if_fail (PB_IS_REPLICA (self), NULL);
  return load_objects (self, "SELECT json FROM connectors ORDER BY position", NULL,
                       (FromJson) pb_connector_new_from_json, error);
}

GPtrArray *
pb_replica_load_integrations (PbReplica  *self,
                              GError    **error)
{
  g_return_val_if_fail (PB_IS_REPLICA (self), NULL);
  return load_objects (self, "SELECT json FROM integrations ORDER BY position", NULL,
                       (FromJson) pb_integration_new_from_json, error);
}

PbIntegration *
pb_replica_load_integration (PbReplica   *self,
                             const char  *id,
                             GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (PB_IS_REPLICA (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  found = load_objects (self, "SELECT json FROM integrations WHERE id = ?1", id,
                        (FromJson) pb_integration_new_from_json, error);
  if (found == NULL || found->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (found, 0));
}

GHashTable *
pb_replica_count_categories (PbReplica  *self,
                             GError    **error)
{
  g_autoptr(GPtrArray) integrations = pb_replica_load_integrations (self, error);
  GHashTable *counts;

  if (integrations == NULL)
    return NULL;

  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < integrations->len; i++)
    {
      const char * const *categories =
        pb_integration_get_categories (g_ptr_array_index (integrations, i));

      for (guint j = 0; categories != NULL && categories[j] != NULL; j++)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, categories[j]));
          gboolean repeated = FALSE;

          for (guint k = 0; k < j; k++)
            repeated = repeated || g_str_equal (categories[k], categories[j]);
          if (repeated)
            continue;
          g_hash_table_insert (counts, g_strdup (categories[j]), GUINT_TO_POINTER (n + 1));
        }
    }
  return counts;
}

/* ---- pages ---------------------------------------------------------------------------- */

/* Every filter the API's list calls take (api.md), in a fixed order. */
static const char * const query_keys[] = {
  "category", "q", "include_unavailable", "connector_key", "active", "integration_id",
  "account_id", "provider", "status", "success", "status_codes", "start_date", "end_date",
  "order_direction", NULL
};

char *
pb_replica_query_key (const PbQuery *query)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; query != NULL && query_keys[i] != NULL; i++)
    {
      const char *value = pb_query_get (query, query_keys[i]);
      g_autofree char *escaped = NULL;

      if (value == NULL)
        continue;
      escaped = g_uri_escape_string (value, NULL, TRUE);
      g_string_append_printf (key, "%s%s=%s", key->len > 0 ? "&" : "", query_keys[i], escaped);
    }
  return g_string_free (key, FALSE);
}

gboolean
pb_replica_save_page (PbReplica          *self,
                      PbReplicaPageKind   kind,
                      const char         *query_key,
                      guint               index,
                      PbPage             *page,
                      GError            **error)
{
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) prune = NULL;

  g_return_val_if_fail (PB_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (kind == PB_REPLICA_PAGE_ACCOUNTS || kind == PB_REPLICA_PAGE_LOGS, FALSE);
  g_return_val_if_fail (query_key != NULL, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  if (index >= PB_REPLICA_MAX_PAGES_PER_KEY)
    return TRUE;

  for (guint i = 0; i < page->items->len; i++)
    {
      gpointer item = g_ptr_array_index (page->items, i);
      JsonObject *object;

      if (kind == PB_REPLICA_PAGE_ACCOUNTS && PB_IS_LINKED_ACCOUNT (item))
        object = pb_linked_account_to_json (item);
      else if (kind == PB_REPLICA_PAGE_LOGS && PB_IS_LOG_ENTRY (item))
        object = pb_log_entry_to_json (item);
      else
        {
          g_set_error_literal (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_INVALID_INPUT,
                               _("A page holds items of the wrong kind."));
          return FALSE;
        }
      json_array_add_object_element (items, object);
    }
  node = json_node_init_array (json_node_alloc (), items);
  text = json_to_string (node, FALSE);

  if (!pb_replica_begin (self, error))
    return FALSE;

  if (index == 0)
    {
      g_autoptr(sqlite3_stmt) clear = NULL;

      clear = pb_replica_prepare (self, "DELETE FROM pages WHERE kind = ?1 AND query_key = ?2",
                                  error);
      if (clear == NULL)
        goto failed;
      sqlite3_bind_int (clear, 1, kind);
      bind_text (clear, 2, query_key);
      if (!pb_replica_step_done (self, clear, error))
        goto failed;
    }

  insert = pb_replica_prepare (self, "INSERT OR REPLACE INTO pages (kind, query_key, page_index,"
                                     " json, next, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               error);
  if (insert == NULL)
    goto failed;
  sqlite3_bind_int (insert, 1, kind);
  bind_text (insert, 2, query_key);
  sqlite3_bind_int64 (insert, 3, index);
  bind_text (insert, 4, text);
  bind_text (insert, 5, page->next);
  sqlite3_bind_int64 (insert, 6, g_get_real_time ());
  if (!pb_replica_step_done (self, insert, error))
    goto failed;

  /* Keep the most recently saved queries only. */
  prune = pb_replica_prepare (self,
                              "DELETE FROM pages WHERE kind = ?1 AND query_key NOT IN"
                              " (SELECT query_key FROM pages WHERE kind = ?1 GROUP BY query_key"
                              "  ORDER BY MAX (saved_at) DESC LIMIT ?2)", error);
  if (prune == NULL)
    goto failed;
  sqlite3_bind_int (prune, 1, kind);
  sqlite3_bind_int (prune, 2, PB_REPLICA_MAX_KEYS_PER_KIND);
  if (!pb_replica_step_done (self, prune, error))
    goto failed;

  return pb_replica_commit (self, error);

failed:
  pb_replica_rollback (self);
  return FALSE;
}

PbPage *
pb_replica_load_pages (PbReplica          *self,
                       PbReplicaPageKind   kind,
                       const char         *query_key,
                       guint              *out_n_pages,
                       GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(PbPage) page = NULL;
  guint n_pages = 0;
  int rc;

  g_return_val_if_fail (PB_IS_REPLICA (self), NULL);
  g_return_val_if_fail (query_key != NULL, NULL);

  if (out_n_pages != NULL)
    *out_n_pages = 0;

  stmt = pb_replica_prepare (self, "SELECT json, next, page_index FROM pages WHERE kind = ?1"
                                   " AND query_key = ?2 ORDER BY page_index", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, kind);
  bind_text (stmt, 2, query_key);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;
      JsonArray *array;

      /* Stop at a gap: the pages after it do not follow the ones before. */
      if (sqlite3_column_int64 (stmt, 2) != n_pages)
        break;

      if (!json_parser_load_from_data (parser, pb_replica_column_text (stmt, 0), -1, NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
        {
          g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE,
                       _("The local copy of the project at “%s” is damaged."), self->path);
          return NULL;
        }
      if (page == NULL)
        {
          page = g_new0 (PbPage, 1);
          page->items = g_ptr_array_new_with_free_func (g_object_unref);
        }
      array = json_node_get_array (root);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          gpointer item;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          if (kind == PB_REPLICA_PAGE_ACCOUNTS)
            item = pb_linked_account_new_from_json (json_node_get_object (element), error);
          else
            item = pb_log_entry_new_from_json (json_node_get_object (element), error);
          if (item == NULL)
            return NULL;
          g_ptr_array_add (page->items, item);
        }
      g_free (page->next);
      page->next = g_strdup (pb_replica_column_text (stmt, 1));
      n_pages++;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      pb_replica_set_db_error (self, error);
      return NULL;
    }

  if (out_n_pages != NULL)
    *out_n_pages = n_pages;
  return g_steal_pointer (&page);
}
