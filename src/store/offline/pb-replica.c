/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-replica"

#include "config.h"

#include "pb-replica.h"

#include <errno.h>
#include <inttypes.h>
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

void
pb_replica_check_thread (PbReplica *self)
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

  pb_replica_check_thread (self);
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
  pb_replica_check_thread (self);
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

gboolean
pb_replica_bind_text (sqlite3_stmt *stmt,
                      int           index,
                      const char   *text)
{
  if (text == NULL)
    return sqlite3_bind_null (stmt, index) == SQLITE_OK;
  return sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

sqlite3 *
pb_replica_get_db (PbReplica *self)
{
  return self->db;
}

/* ---- opening -------------------------------------------------------------------------- */

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
  g_autofree char *normalized = pb_client_normalize_url (backend);
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

gboolean
pb_replica_delete_files (const char  *backend,
                         const char  *project_id,
                         GError     **error)
{
  g_autofree char *path = pb_replica_path_for (backend, project_id);
  gboolean ok = TRUE;

  for (const char * const *suffix = (const char * const[]) { "", "-wal", "-shm", "-journal",
                                                             NULL };
       *suffix != NULL; suffix++)
    {
      g_autofree char *file = g_strconcat (path, *suffix, NULL);
      int saved_errno;

      if (g_unlink (file) == 0 || (saved_errno = errno) == ENOENT)
        continue;
      if (ok)
        g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE,
                     _("Could not delete %s: %s"), file, g_strerror (saved_errno));
      ok = FALSE;
    }
  return ok;
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
                     "Plugboard (format %" PRId64 "); update Plugboard to open it."),
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

char *
pb_replica_object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;

  if (object == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
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

  text = pb_replica_object_to_text (integration);
  stmt = pb_replica_prepare (self,
                             "INSERT INTO integrations (id, position, json) VALUES (?1,"
                             " (SELECT COALESCE (MAX (position), 0) + 1 FROM integrations), ?2)"
                             " ON CONFLICT (id) DO UPDATE SET json = excluded.json", error);
  if (stmt == NULL)
    return FALSE;
  pb_replica_bind_text (stmt, 1, id);
  pb_replica_bind_text (stmt, 2, text);
  return pb_replica_step_done (self, stmt, error) &&
         pb_replica_exec (self, PB_REPLICA_BUMP_GENERATION_SQL, error);
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
  pb_replica_bind_text (stmt, 1, id);
  return pb_replica_step_done (self, stmt, error) &&
         pb_replica_exec (self, PB_REPLICA_BUMP_GENERATION_SQL, error);
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

/**
 * pb_replica_get_generation:
 *
 * How many times the project, connectors or integrations have been written (by any
 * connection): a copy taken from the backend before the count changed may be older than
 * what the replica holds now (see pb_replica_save_snapshot_if_unchanged_async()).
 *
 * Returns: the count, 0 for a replica never written
 */
gint64
pb_replica_get_generation (PbReplica *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (PB_IS_REPLICA (self), 0);

  stmt = pb_replica_prepare (self, PB_REPLICA_GENERATION_SQL, NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

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
typedef GObject *(*FromScan) (PbJsonScan *scan);

/* @from_scan (nullable): reads a row in place (20,000 integrations: 3.4 times faster than
 * json-glib); a row it does not read is read with json-glib and @from_json, which say what
 * is wrong with it, if anything. */
static GPtrArray *
load_objects (PbReplica   *self,
              const char  *sql,
              const char  *key,
              FromJson     from_json,
              FromScan     from_scan,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  PbJsonScan scan = { 0 };
  int rc;

  stmt = pb_replica_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (key != NULL)
    pb_replica_bind_text (stmt, 1, key);
  if (from_scan != NULL)
    pb_json_scan_init (&scan, NULL, 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) object = NULL;
      GObject *item = NULL;

      if (from_scan != NULL)
        {
          pb_json_scan_reset (&scan, (const char *) sqlite3_column_text (stmt, 0),
                              (gsize) sqlite3_column_bytes (stmt, 0));
          item = from_scan (&scan);
          if (item != NULL && !pb_json_scan_at_end (&scan))
            g_clear_object (&item);
        }
      if (item == NULL)
        {
          object = parse_object (self, pb_replica_column_text (stmt, 0), error);
          if (object == NULL || (item = from_json (object, error)) == NULL)
            {
              pb_json_scan_clear (&scan);
              return NULL;
            }
        }
      g_ptr_array_add (result, item);
    }
  pb_json_scan_clear (&scan);
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
                       (FromJson) pb_connector_new_from_json,
                       (FromScan) pb_connector_new_from_scan, error);
}

GPtrArray *
pb_replica_load_integrations (PbReplica  *self,
                              GError    **error)
{
  g_return_val_if_fail (PB_IS_REPLICA (self), NULL);
  return load_objects (self, "SELECT json FROM integrations ORDER BY position", NULL,
                       (FromJson) pb_integration_new_from_json,
                       (FromScan) pb_integration_new_from_scan, error);
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
                        (FromJson) pb_integration_new_from_json, NULL, error);
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
