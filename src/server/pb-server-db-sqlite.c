/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "pb-server-db-private.h"

/* The SQLite engine: one file in WAL mode. A write transaction is BEGIN IMMEDIATE, which
 * SQLite serialises across the connections of all processes on the file; readers never wait. */

typedef struct
{
  sqlite3   *handle;

  /* WAL checkpoints run on their own thread and connection, off the request path. */
  GThread   *checkpointer;
  GMutex     lock;
  GCond      cond;
  gboolean   stopping;
} Sqlite;

typedef struct
{
  PbDbStmt      base;
  sqlite3_stmt *stmt;
} SqliteStmt;

#define HANDLE(db) (((Sqlite *) (db)->engine_data)->handle)
#define STMT(s) (((SqliteStmt *) (s))->stmt)

static gboolean
sqlite_exec (PbDb        *db,
             const char  *sql,
             GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (HANDLE (db), sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_FAILED, "Database error: %s",
                   msg ? msg : "unknown");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_open (PbDb        *db,
             const char  *target,
             GError     **error)
{
  Sqlite *self = g_new0 (Sqlite, 1);
  const char *path = g_str_has_prefix (target, "sqlite:") ? target + strlen ("sqlite:") : target;
  int rc;

  db->engine_data = self;
  db->name = g_strdup (path);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  /* A new database is for the server's user only; SQLite gives its -wal and -shm files the
   * database's mode. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0)
        close (fd);
    }
  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_FAILED,
                   "Could not open the database “%s”: %s", path,
                   self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return FALSE;
    }
  sqlite3_busy_timeout (self->handle, 10000);
  return sqlite_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                          "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                          "PRAGMA cache_size = -16384;", error);
}

static gpointer
checkpoint_thread (gpointer data)
{
  PbDb *db = data;
  Sqlite *self = db->engine_data;
  sqlite3 *handle = NULL;

  if (sqlite3_open_v2 (db->name, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_warning ("Could not open the database for checkpoints: %s", sqlite3_errmsg (handle));
      sqlite3_close (handle);
      return NULL;
    }
  sqlite3_busy_timeout (handle, 100);
  g_mutex_lock (&self->lock);
  while (!self->stopping)
    {
      gint64 until = g_get_monotonic_time () + G_TIME_SPAN_SECOND / 2;

      g_cond_wait_until (&self->cond, &self->lock, until);
      if (self->stopping)
        break;
      g_mutex_unlock (&self->lock);
      /* PASSIVE never blocks writers; what it cannot copy now waits for the next round. */
      sqlite3_wal_checkpoint_v2 (handle, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);
  sqlite3_close (handle);
  return NULL;
}

void
pb_db_start_checkpointer (PbDb *db)
{
  Sqlite *self = db->engine_data;

  if (db->ops != &pb_db_sqlite_ops || self->checkpointer != NULL)
    return;
  if (!sqlite_exec (db, "PRAGMA wal_autocheckpoint = 0", NULL))
    return;
  self->checkpointer = g_thread_new ("pb-checkpoint", checkpoint_thread, db);
}

static void
sqlite_close (PbDb *db)
{
  Sqlite *self = db->engine_data;

  if (self == NULL)
    return;
  if (self->checkpointer != NULL)
    {
      g_mutex_lock (&self->lock);
      self->stopping = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (self->checkpointer);
    }
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  if (self->handle != NULL)
    sqlite3_close (self->handle);
  g_free (self);
}

static PbDbStmt *
sqlite_prepare (PbDb       *db,
                const char *sql)
{
  SqliteStmt *stmt = g_new0 (SqliteStmt, 1);

  stmt->base.db = db;
  if (sqlite3_prepare_v3 (HANDLE (db), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt->stmt, NULL) != SQLITE_OK)
    g_error ("Could not prepare a statement: %s (%s)", sqlite3_errmsg (HANDLE (db)), sql);
  return &stmt->base;
}

static void
sqlite_finalize (PbDbStmt *stmt)
{
  sqlite3_finalize (STMT (stmt));
  g_free (stmt);
}

static void
sqlite_reset (PbDbStmt *stmt)
{
  sqlite3_reset (STMT (stmt));
}

static void
sqlite_clear_bindings (PbDbStmt *stmt)
{
  sqlite3_clear_bindings (STMT (stmt));
}

static PbDbStep
sqlite_step (PbDbStmt *stmt)
{
  int rc = sqlite3_step (STMT (stmt));

  return rc == SQLITE_ROW ? PB_DB_ROW : rc == SQLITE_DONE ? PB_DB_DONE : PB_DB_FAILED;
}

static void
sqlite_bind_text (PbDbStmt   *stmt,
                  int         index,
                  const char *text)
{
  sqlite3_bind_text (STMT (stmt), index, text, -1, SQLITE_TRANSIENT);
}

static void
sqlite_bind_int64 (PbDbStmt *stmt,
                   int       index,
                   gint64    value)
{
  sqlite3_bind_int64 (STMT (stmt), index, value);
}

static void
sqlite_bind_blob (PbDbStmt   *stmt,
                  int         index,
                  const void *data,
                  gsize       size)
{
  sqlite3_bind_blob64 (STMT (stmt), index, data, size, SQLITE_TRANSIENT);
}

static void
sqlite_bind_null (PbDbStmt *stmt,
                  int       index)
{
  sqlite3_bind_null (STMT (stmt), index);
}

static const char *
sqlite_column_text (PbDbStmt *stmt,
                    int       column)
{
  return (const char *) sqlite3_column_text (STMT (stmt), column);
}

static gint64
sqlite_column_int64 (PbDbStmt *stmt,
                     int       column)
{
  return sqlite3_column_int64 (STMT (stmt), column);
}

static const void *
sqlite_column_blob (PbDbStmt *stmt,
                    int       column,
                    gsize    *out_size)
{
  const void *data = sqlite3_column_blob (STMT (stmt), column);

  *out_size = data != NULL ? (gsize) sqlite3_column_bytes (STMT (stmt), column) : 0;
  return data;
}

static gboolean
sqlite_column_is_null (PbDbStmt *stmt,
                       int       column)
{
  return sqlite3_column_type (STMT (stmt), column) == SQLITE_NULL;
}

static int
sqlite_column_count (PbDbStmt *stmt)
{
  return sqlite3_column_count (STMT (stmt));
}

static const char *
sqlite_column_name (PbDbStmt *stmt,
                    int       column)
{
  return sqlite3_column_name (STMT (stmt), column);
}

static PbDbKind
sqlite_column_kind (PbDbStmt *stmt,
                    int       column)
{
  switch (sqlite3_column_type (STMT (stmt), column))
    {
    case SQLITE_INTEGER:
      return PB_DB_KIND_INTEGER;
    case SQLITE_BLOB:
      return PB_DB_KIND_BLOB;
    case SQLITE_NULL:
      return PB_DB_KIND_NULL;
    default:
      return PB_DB_KIND_TEXT;
    }
}

static gboolean
sqlite_in_transaction (PbDb *db)
{
  return !sqlite3_get_autocommit (HANDLE (db));
}

static const char *
sqlite_error_message (PbDb *db)
{
  return sqlite3_errmsg (HANDLE (db));
}

static gboolean
sqlite_error_is_busy (PbDb *db)
{
  int code = sqlite3_errcode (HANDLE (db));

  return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

const PbDbOps pb_db_sqlite_ops = {
  .engine = PB_DB_SQLITE,
  .open = sqlite_open,
  .close = sqlite_close,
  .exec = sqlite_exec,
  .prepare = sqlite_prepare,
  .finalize = sqlite_finalize,
  .reset = sqlite_reset,
  .clear_bindings = sqlite_clear_bindings,
  .step = sqlite_step,
  .bind_text = sqlite_bind_text,
  .bind_int64 = sqlite_bind_int64,
  .bind_blob = sqlite_bind_blob,
  .bind_null = sqlite_bind_null,
  .column_text = sqlite_column_text,
  .column_int64 = sqlite_column_int64,
  .column_blob = sqlite_column_blob,
  .column_is_null = sqlite_column_is_null,
  .column_count = sqlite_column_count,
  .column_name = sqlite_column_name,
  .column_kind = sqlite_column_kind,
  .begin_write_sql = "BEGIN IMMEDIATE",
  .begin_read_sql = "BEGIN",
  .in_transaction = sqlite_in_transaction,
  .error_message = sqlite_error_message,
  .error_is_busy = sqlite_error_is_busy,
  .count_in_window = NULL,   /* one process per file in practice: pb-server-guard.c counts */
};
