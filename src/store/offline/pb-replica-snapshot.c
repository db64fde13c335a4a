/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-replica"

#include "config.h"

#include "pb-replica.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-replica-private.h"

/* A snapshot: the models (immutable, so any thread may read them), turned into text by the
 * thread that writes it, so that a big project does not stall the window. */
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
  PbProject *project_model;       /* NULL: keep */
  GPtrArray *connector_models;    /* PbConnector, NULL: keep */
  GPtrArray *integration_models;  /* PbIntegration, NULL: keep */
  char *project;
  GPtrArray *connectors;          /* Row */
  GPtrArray *integrations;        /* Row */
  char *refreshed;
  gboolean delta;                 /* integrations: put these, remove deleted_ids; keep the rest */
  GPtrArray *deleted_ids;         /* (element-type utf8) with delta */
  gboolean set_token;             /* write sync_token (NULL: forget the stored one) */
  char *sync_token;
  gint64 generation;              /* written only if still this; -1: always */
  gboolean superseded;            /* set by snapshot_write: not written */
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_free (snapshot->path);
  g_clear_object (&snapshot->project_model);
  g_clear_pointer (&snapshot->connector_models, g_ptr_array_unref);
  g_clear_pointer (&snapshot->integration_models, g_ptr_array_unref);
  g_free (snapshot->project);
  g_clear_pointer (&snapshot->connectors, g_ptr_array_unref);
  g_clear_pointer (&snapshot->integrations, g_ptr_array_unref);
  g_free (snapshot->refreshed);
  g_clear_pointer (&snapshot->deleted_ids, g_ptr_array_unref);
  g_free (snapshot->sync_token);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static Row *
row_new (const char *key,
         JsonObject *object)
{
  Row *row = g_new0 (Row, 1);

  row->key = g_strdup (key);
  row->text = pb_replica_object_to_text (object);
  return row;
}

static gpointer
ref_object (gconstpointer src,
            gpointer      data)
{
  return g_object_ref ((gpointer) src);
}

/* Takes references: the caller may drop or replace its arrays afterwards. */
static Snapshot *
snapshot_new (PbReplica  *self,
              PbProject  *project,
              GPtrArray  *connectors,
              GPtrArray  *integrations)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  snapshot->path = g_strdup (pb_replica_get_path (self));
  snapshot->generation = -1;
  snapshot->refreshed = g_date_time_format_iso8601 (now);
  snapshot->project_model = project != NULL ? g_object_ref (project) : NULL;
  if (connectors != NULL)
    snapshot->connector_models = g_ptr_array_copy (connectors, ref_object, NULL);
  if (integrations != NULL)
    snapshot->integration_models = g_ptr_array_copy (integrations, ref_object, NULL);
  if (snapshot->connector_models != NULL)
    g_ptr_array_set_free_func (snapshot->connector_models, g_object_unref);
  if (snapshot->integration_models != NULL)
    g_ptr_array_set_free_func (snapshot->integration_models, g_object_unref);
  return snapshot;
}

/* The models as text, on any thread. */
static gboolean
snapshot_serialize (Snapshot  *snapshot,
                    GError   **error)
{
  if (snapshot->project_model != NULL)
    {
      g_autoptr(JsonObject) object = pb_project_to_json (snapshot->project_model);

      snapshot->project = pb_replica_object_to_text (object);
    }
  if (snapshot->connector_models != NULL)
    {
      GPtrArray *connectors = snapshot->connector_models;

      snapshot->connectors = g_ptr_array_new_full (connectors->len, row_free);
      for (guint i = 0; i < connectors->len; i++)
        {
          PbConnector *connector = g_ptr_array_index (connectors, i);
          g_autoptr(JsonObject) object = pb_connector_to_json (connector);

          g_ptr_array_add (snapshot->connectors,
                           row_new (pb_connector_get_provider (connector), object));
        }
    }
  if (snapshot->integration_models != NULL)
    {
      GPtrArray *integrations = snapshot->integration_models;

      snapshot->integrations = g_ptr_array_new_full (integrations->len, row_free);
      for (guint i = 0; i < integrations->len; i++)
        {
          PbIntegration *integration = g_ptr_array_index (integrations, i);
          g_autoptr(JsonObject) object = pb_integration_to_json (integration);

          if (!pb_replica_check_no_secret_values (object, error))
            return FALSE;
          g_ptr_array_add (snapshot->integrations,
                           row_new (pb_integration_get_id (integration), object));
        }
    }
  return TRUE;
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
      pb_replica_bind_text (stmt, 1, row->key);
      sqlite3_bind_int64 (stmt, 2, i + 1);
      pb_replica_bind_text (stmt, 3, row->text);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return FALSE;
    }
  return TRUE;
}

/* A delta: the changed integrations put (a new one after the others), the deleted ones
 * removed; the others stay as they are. */
static gboolean
write_delta (sqlite3  *db,
             Snapshot *snapshot)
{
  g_autoptr(sqlite3_stmt) put = NULL;
  g_autoptr(sqlite3_stmt) delete = NULL;

  if (sqlite3_prepare_v2 (db, "INSERT INTO integrations (id, position, json) VALUES (?1,"
                              " (SELECT coalesce (max (position), 0) + 1 FROM integrations), ?2)"
                              " ON CONFLICT (id) DO UPDATE SET json = excluded.json",
                          -1, &put, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "DELETE FROM integrations WHERE id = ?1", -1, &delete,
                             NULL) != SQLITE_OK)
    return FALSE;
  for (guint i = 0; snapshot->integrations != NULL && i < snapshot->integrations->len; i++)
    {
      Row *row = g_ptr_array_index (snapshot->integrations, i);

      sqlite3_reset (put);
      pb_replica_bind_text (put, 1, row->key);
      pb_replica_bind_text (put, 2, row->text);
      if (sqlite3_step (put) != SQLITE_DONE)
        return FALSE;
    }
  for (guint i = 0; i < snapshot->deleted_ids->len; i++)
    {
      sqlite3_reset (delete);
      pb_replica_bind_text (delete, 1, g_ptr_array_index (snapshot->deleted_ids, i));
      if (sqlite3_step (delete) != SQLITE_DONE)
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_token (sqlite3    *db,
             const char *token)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (token == NULL)
    return run_sql (db, "DELETE FROM meta WHERE key = 'sync_token'");
  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO meta (key, value)"
                              " VALUES ('sync_token', ?1)", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  pb_replica_bind_text (stmt, 1, token);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

/* Whether the replica was written since the snapshot's generation; inside the transaction. */
static gboolean
superseded (sqlite3  *db,
            Snapshot *snapshot,
            gboolean *out_superseded)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = 0;
  int rc;

  if (snapshot->generation < 0)
    {
      *out_superseded = FALSE;
      return TRUE;
    }
  if (sqlite3_prepare_v2 (db, PB_REPLICA_GENERATION_SQL, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    now = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    return FALSE;
  *out_superseded = now != snapshot->generation;
  return TRUE;
}

/* One transaction on @db; FALSE (rolled back) on any error, sqlite3_errmsg() tells which.
 * TRUE with snapshot->superseded set when it was not written (see above). */
static gboolean
snapshot_write (sqlite3  *db,
                Snapshot *snapshot)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!run_sql (db, "BEGIN IMMEDIATE"))
    return FALSE;
  if (!superseded (db, snapshot, &snapshot->superseded))
    goto failed;
  if (snapshot->superseded)
    return run_sql (db, "ROLLBACK");

  if (snapshot->project != NULL)
    {
      g_autoptr(sqlite3_stmt) project = NULL;

      if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO project (id, json) VALUES (1, ?1)",
                              -1, &project, NULL) != SQLITE_OK)
        goto failed;
      pb_replica_bind_text (project, 1, snapshot->project);
      if (sqlite3_step (project) != SQLITE_DONE)
        goto failed;
    }
  /* INSERT OR REPLACE: a list with one key twice keeps the last, as a put would. */
  if (snapshot->connector_models != NULL &&
      (!run_sql (db, "DELETE FROM connectors") ||
       !insert_rows (db, "INSERT OR REPLACE INTO connectors (provider, position, json)"
                         " VALUES (?1, ?2, ?3)", snapshot->connectors)))
    goto failed;
  if (snapshot->delta && !write_delta (db, snapshot))
    goto failed;
  if (snapshot->integration_models != NULL && !snapshot->delta &&
      (!run_sql (db, "DELETE FROM integrations") ||
       !insert_rows (db, "INSERT OR REPLACE INTO integrations (id, position, json)"
                         " VALUES (?1, ?2, ?3)", snapshot->integrations)))
    goto failed;

  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO meta (key, value)"
                              " VALUES ('last_refresh', ?1)", -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  pb_replica_bind_text (stmt, 1, snapshot->refreshed);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto failed;
  if (snapshot->set_token && !write_token (db, snapshot->sync_token))
    goto failed;
  /* A conditional copy (a load's) does not count as a write: another load's copy, asked for
   * before it was written but fetched later, may still replace it. */
  if (snapshot->generation < 0 && !run_sql (db, PB_REPLICA_BUMP_GENERATION_SQL))
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

  pb_replica_check_thread (self);
  snapshot = snapshot_new (self, project, connectors, integrations);
  if (!snapshot_serialize (snapshot, error))
    return FALSE;
  if (!snapshot_write (pb_replica_get_db (self), snapshot))
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
  GError *error = NULL;
  gboolean ok;

  if (!snapshot_serialize (snapshot, &error))
    {
      g_task_return_error (task, error);
      return;
    }

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
  if (ok && snapshot->superseded)
    g_task_return_new_error (task, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_SUPERSEDED,
                             _("The local copy of the project was not replaced: it was "
                               "updated since this copy was fetched."));
  else if (ok)
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
 * of its own (for big projects), which also turns the models into text: they are immutable,
 * and the arrays are copied, so the caller may drop or replace them at once.
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
  pb_replica_save_snapshot_if_unchanged_async (self, -1, project, connectors, integrations,
                                               cancellable, callback, user_data);
}

/**
 * pb_replica_save_snapshot_if_unchanged_async:
 * @generation: what pb_replica_get_generation() returned when the copy was fetched, or -1
 *   to write in any case
 *
 * Like pb_replica_save_snapshot_async(), but a replica written since @generation (an
 * acknowledged change, a newer refresh) is left as it is, and the finish function fails with
 * PB_OFFLINE_ERROR_SUPERSEDED: the check and the write are one transaction. Such a copy does
 * not itself count as a write (the generation stays): a second load's copy, fetched later
 * from the same generation, replaces it.
 * Finish with pb_replica_save_snapshot_finish().
 */
void
pb_replica_save_snapshot_if_unchanged_async (PbReplica           *self,
                                             gint64               generation,
                                             PbProject           *project,
                                             GPtrArray           *connectors,
                                             GPtrArray           *integrations,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Snapshot *snapshot;

  g_return_if_fail (PB_IS_REPLICA (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_replica_save_snapshot_async);
  pb_replica_check_thread (self);
  snapshot = snapshot_new (self, project, connectors, integrations);
  snapshot->generation = generation;
  g_task_set_task_data (task, snapshot, (GDestroyNotify) snapshot_free);
  g_task_run_in_thread (task, save_snapshot_thread);
}

/**
 * pb_replica_save_changes_async:
 * @generation: as for pb_replica_save_snapshot_if_unchanged_async(); -1 to write in any case
 * @project: (nullable): the project, or %NULL to keep the stored one
 * @connectors: (nullable) (element-type PbConnector): all connectors, or %NULL to keep
 * @changes: a list of integrations as pb_client_list_integration_changes_finish() gave it
 *
 * Writes @changes and their sync token in one transaction, in a worker thread: a whole list
 * replaces the integrations (as a snapshot does), a delta puts the changed ones and removes
 * the deleted ones, leaving the others as they are. The token is what
 * pb_replica_get_sync_token() returns afterwards. Finish with
 * pb_replica_save_snapshot_finish().
 */
void
pb_replica_save_changes_async (PbReplica                  *self,
                               gint64                      generation,
                               PbProject                  *project,
                               GPtrArray                  *connectors,
                               const PbIntegrationChanges *changes,
                               GCancellable               *cancellable,
                               GAsyncReadyCallback         callback,
                               gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  Snapshot *snapshot;

  g_return_if_fail (PB_IS_REPLICA (self));
  g_return_if_fail (changes != NULL && changes->integrations != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_replica_save_snapshot_async);
  pb_replica_check_thread (self);
  snapshot = snapshot_new (self, project, connectors, changes->integrations);
  snapshot->generation = generation;
  snapshot->delta = !changes->full;
  snapshot->deleted_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; changes->deleted_ids != NULL && i < changes->deleted_ids->len; i++)
    g_ptr_array_add (snapshot->deleted_ids, g_strdup (changes->deleted_ids->pdata[i]));
  snapshot->set_token = TRUE;
  snapshot->sync_token = g_strdup (changes->sync_token);
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
