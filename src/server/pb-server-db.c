/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-db.h"

#include <string.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pb-category-table.h"
#include "pb-server-changes.h"
#include "pb-server-crypto.h"

G_DEFINE_QUARK (pb-db-error-quark, pb_db_error)

struct _PbDb
{
  sqlite3    *handle;
  char       *path;
  GHashTable *stmts;   /* SQL text (static) → sqlite3_stmt */

  /* WAL checkpoints run on their own thread and connection, off the request path. */
  GThread    *checkpointer;
  GMutex      lock;
  GCond       cond;
  gboolean    stopping;

  gboolean    writing;        /* holds write_lock */
  gboolean    hold_writes;    /* keeps it after COMMIT until pb_db_end_writes() */
};

/* One write transaction at a time in this process: the server's threads each have a connection,
 * and waiting here wakes the next writer at once, where SQLite's busy handler would poll with
 * sleeps. Other processes on the same database still wait in the busy handler. */
static GMutex write_lock;

#define KEY_PREFIX "pbk_"
#define KEY_ID_CHARS 12

static const char *schema_sql =
  "CREATE TABLE IF NOT EXISTS meta ("
  "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS projects ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, plan TEXT NOT NULL,"
  "  region TEXT NOT NULL, created_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS api_keys ("
  "  key_id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects (id),"
  "  role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),"
  "  salt TEXT NOT NULL, hash TEXT NOT NULL, created_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS integrations ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
  "  project_id TEXT NOT NULL REFERENCES projects (id), name TEXT NOT NULL,"
  "  connector_key TEXT NOT NULL, auth_type_key TEXT NOT NULL,"
  "  active INTEGER NOT NULL, is_default INTEGER NOT NULL, config TEXT NOT NULL,"
  "  version INTEGER NOT NULL, fingerprint TEXT,"
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, oauth_app TEXT);"
  "CREATE INDEX IF NOT EXISTS integrations_by_project ON integrations (project_id, seq);"
  "CREATE INDEX IF NOT EXISTS integrations_by_connector ON integrations (project_id, connector_key);"
  "CREATE TABLE IF NOT EXISTS secrets ("
  "  integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,"
  "  field TEXT NOT NULL, value BLOB NOT NULL, hint TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL, PRIMARY KEY (integration_id, field));"
  "CREATE TABLE IF NOT EXISTS accounts ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
  "  project_id TEXT NOT NULL REFERENCES projects (id),"
  "  integration_id TEXT NOT NULL REFERENCES integrations (id), provider TEXT NOT NULL,"
  "  origin_owner_id TEXT NOT NULL, origin_owner_name TEXT NOT NULL,"
  "  origin_username TEXT, label TEXT NOT NULL, status TEXT NOT NULL,"
  "  status_reasons TEXT NOT NULL DEFAULT '[]', credentials BLOB,"
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  credential_hints TEXT NOT NULL DEFAULT '{}', token_expires_at INTEGER);"
  "CREATE INDEX IF NOT EXISTS accounts_by_project ON accounts (project_id, seq);"
  "CREATE INDEX IF NOT EXISTS accounts_by_integration ON accounts (integration_id, status);"
  "CREATE UNIQUE INDEX IF NOT EXISTS accounts_by_owner"
  "  ON accounts (project_id, provider, origin_owner_id);"
  "CREATE TABLE IF NOT EXISTS connect_sessions ("
  "  id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects (id),"
  "  token_hash TEXT NOT NULL UNIQUE, provider TEXT NOT NULL, integration_id TEXT NOT NULL,"
  "  origin_owner_id TEXT NOT NULL, origin_owner_name TEXT NOT NULL, origin_username TEXT,"
  "  expires_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL, account_id TEXT, oauth_state_hash TEXT,"
  "  pending_credentials BLOB);"
  "CREATE TABLE IF NOT EXISTS logs ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL UNIQUE,"
  "  project_id TEXT NOT NULL, event_time INTEGER NOT NULL, duration INTEGER NOT NULL,"
  "  http_method TEXT NOT NULL, path TEXT NOT NULL, url TEXT NOT NULL, status INTEGER NOT NULL,"
  "  success INTEGER NOT NULL, provider TEXT, integration_id TEXT, account_id TEXT,"
  "  service TEXT, resource TEXT, source_type TEXT);"
  "CREATE INDEX IF NOT EXISTS logs_by_time ON logs (project_id, event_time, seq);"
  "CREATE INDEX IF NOT EXISTS logs_by_integration ON logs (integration_id, event_time, seq);"
  "CREATE INDEX IF NOT EXISTS logs_by_account ON logs (account_id, event_time, seq);"
  /* A database made before is at the version it has, until pb_migrate() brings it here. */
  "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '3');";

static void
finalize_stmt (gpointer data)
{
  sqlite3_finalize (data);
}

PbDb *
pb_db_open (const char  *path,
            GError     **error)
{
  g_autoptr(PbDb) db = g_new0 (PbDb, 1);
  int rc;

  g_mutex_init (&db->lock);
  g_cond_init (&db->cond);
  db->path = g_strdup (path);
  db->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_stmt);
  /* A new database is for the server's user only; SQLite gives its -wal and -shm files the
   * database's mode. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0)
        close (fd);
    }
  rc = sqlite3_open_v2 (path, &db->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_FAILED,
                   "Could not open the database “%s”: %s", path,
                   db->handle ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (db->handle, 10000);
  if (!pb_db_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                       "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                       "PRAGMA cache_size = -16384;", error))
    return NULL;
  if (!pb_db_exec (db, schema_sql, error) || !pb_changes_ensure_schema (db, error))
    {
      g_prefix_error (error, "Could not set up the database “%s”: ", path);
      return NULL;
    }
  return g_steal_pointer (&db);
}

static gpointer
checkpoint_thread (gpointer data)
{
  PbDb *db = data;
  sqlite3 *handle = NULL;

  if (sqlite3_open_v2 (db->path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_warning ("Could not open the database for checkpoints: %s", sqlite3_errmsg (handle));
      sqlite3_close (handle);
      return NULL;
    }
  sqlite3_busy_timeout (handle, 100);
  g_mutex_lock (&db->lock);
  while (!db->stopping)
    {
      gint64 until = g_get_monotonic_time () + G_TIME_SPAN_SECOND / 2;

      g_cond_wait_until (&db->cond, &db->lock, until);
      if (db->stopping)
        break;
      g_mutex_unlock (&db->lock);
      /* PASSIVE never blocks writers; what it cannot copy now waits for the next round. */
      sqlite3_wal_checkpoint_v2 (handle, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      g_mutex_lock (&db->lock);
    }
  g_mutex_unlock (&db->lock);
  sqlite3_close (handle);
  return NULL;
}

void
pb_db_start_checkpointer (PbDb *db)
{
  if (db->checkpointer != NULL)
    return;
  if (!pb_db_exec (db, "PRAGMA wal_autocheckpoint = 0", NULL))
    return;
  db->checkpointer = g_thread_new ("pb-checkpoint", checkpoint_thread, db);
}

void
pb_db_close (PbDb *db)
{
  if (db == NULL)
    return;
  if (db->checkpointer != NULL)
    {
      g_mutex_lock (&db->lock);
      db->stopping = TRUE;
      g_cond_signal (&db->cond);
      g_mutex_unlock (&db->lock);
      g_thread_join (db->checkpointer);
      db->checkpointer = NULL;
    }
  g_mutex_clear (&db->lock);
  g_cond_clear (&db->cond);
  g_clear_pointer (&db->stmts, g_hash_table_unref);
  if (db->handle != NULL)
    sqlite3_close (db->handle);
  g_free (db->path);
  g_free (db);
}

sqlite3 *
pb_db_handle (PbDb *db)
{
  return db->handle;
}

const char *
pb_db_path (PbDb *db)
{
  return db->path;
}

sqlite3_stmt *
pb_db_stmt (PbDb       *db,
            const char *sql)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->stmts, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    g_error ("Could not prepare a statement: %s (%s)", sqlite3_errmsg (db->handle), sql);
  g_hash_table_insert (db->stmts, (gpointer) sql, stmt);
  return stmt;
}

void
pb_db_set_error (PbDb    *db,
                 GError **error)
{
  int code = sqlite3_errcode (db->handle);

  g_set_error (error, PB_DB_ERROR,
               code == SQLITE_BUSY || code == SQLITE_LOCKED ? PB_DB_ERROR_BUSY : PB_DB_ERROR_FAILED,
               "Database error: %s", sqlite3_errmsg (db->handle));
}

gboolean
pb_db_exec (PbDb        *db,
            const char  *sql,
            GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (db->handle, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_FAILED, "Database error: %s",
                   msg ? msg : "unknown");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static void
end_writing (PbDb *db)
{
  if (db->writing && !db->hold_writes)
    {
      db->writing = FALSE;
      g_mutex_unlock (&write_lock);
    }
}

void
pb_db_hold_writes (PbDb *db)
{
  db->hold_writes = TRUE;
}

void
pb_db_end_writes (PbDb *db)
{
  pb_db_rollback (db);
  if (db->writing)
    {
      db->writing = FALSE;
      g_mutex_unlock (&write_lock);
    }
}

gboolean
pb_db_begin (PbDb    *db,
             GError **error)
{
  if (!db->writing)
    {
      g_mutex_lock (&write_lock);
      db->writing = TRUE;
    }
  if (!pb_db_step_done (db, pb_db_stmt (db, "BEGIN IMMEDIATE"), error))
    {
      end_writing (db);
      return FALSE;
    }
  return TRUE;
}

gboolean
pb_db_commit (PbDb    *db,
              GError **error)
{
  if (!pb_db_step_done (db, pb_db_stmt (db, "COMMIT"), error))
    return FALSE;   /* still in the transaction: the caller rolls back */
  end_writing (db);
  return TRUE;
}

void
pb_db_rollback (PbDb *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    {
      sqlite3_stmt *stmt = pb_db_stmt (db, "ROLLBACK");
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }
  end_writing (db);
}

gboolean
pb_db_step_done (PbDb          *db,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      pb_db_set_error (db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

void
pb_db_bind_text (sqlite3_stmt *stmt,
                 int           index,
                 const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

const char *
pb_db_column_text (sqlite3_stmt *stmt,
                   int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

gint64
pb_db_now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* The civil (proleptic Gregorian) date of @days since 1970-01-01 (H. Hinnant's algorithm). */
static void
civil_from_days (gint64  days,
                 gint64 *out_year,
                 int    *out_month,
                 int    *out_day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;

  *out_day = (int) (doy - (153 * mp + 2) / 5 + 1);
  *out_month = (int) (mp < 10 ? mp + 3 : mp - 9);
  *out_year = yoe + era * 400 + (*out_month <= 2);
}

static char *
put_digits (char *p,
            int   value,
            int   width)
{
  int i;

  for (i = width - 1; i >= 0; i--)
    {
      p[i] = '0' + value % 10;
      value /= 10;
    }
  return p + width;
}

void
pb_db_append_time (GString *out,
                   gint64   ms)
{
  gint64 secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  gint64 days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int of_day = (int) (secs - days * 86400);
  int millis = (int) (ms - secs * 1000);
  gint64 year;
  int month, day;
  char text[32], *p = text;

  civil_from_days (days, &year, &month, &day);
  if (year < 0 || year > 9999)
    {
      /* Out of the four-digit years: as strftime-like printf would. */
      time_t t = (time_t) secs;
      struct tm tm;

      gmtime_r (&t, &tm);
      g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                              tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
      return;
    }
  /* Written by hand: list pages format thousands of times, and printf and gmtime_r (which
   * takes the time zone lock) were a tenth of a page's cost. */
  p = put_digits (p, (int) year, 4);
  *p++ = '-';
  p = put_digits (p, month, 2);
  *p++ = '-';
  p = put_digits (p, day, 2);
  *p++ = 'T';
  p = put_digits (p, of_day / 3600, 2);
  *p++ = ':';
  p = put_digits (p, of_day / 60 % 60, 2);
  *p++ = ':';
  p = put_digits (p, of_day % 60, 2);
  *p++ = '.';
  p = put_digits (p, millis, 3);
  *p++ = 'Z';
  g_string_append_len (out, text, p - text);
}

char *
pb_db_format_time (gint64 ms)
{
  GString *out = g_string_sized_new (32);

  pb_db_append_time (out, ms);
  return g_string_free (out, FALSE);
}

gboolean
pb_db_parse_time (const char *text,
                  gint64     *out_ms)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  /* RFC 3339 requires the date and time; a bare date is accepted as midnight UTC. */
  if (text == NULL || strlen (text) < 10)
    return FALSE;
  if (strlen (text) == 10)
    {
      g_autofree char *full = g_strconcat (text, "T00:00:00Z", NULL);
      dt = g_date_time_new_from_iso8601 (full, utc);
    }
  else if (strchr (text, 'T') != NULL || strchr (text, 't') != NULL)
    dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *out_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

char *
pb_db_new_id (const char *prefix)
{
  guint8 raw[10];
  GString *out = g_string_new (prefix);
  gsize i;

  pb_crypto_random (raw, sizeof raw);
  for (i = 0; i < sizeof raw; i++)
    g_string_append_printf (out, "%02x", raw[i]);
  return g_string_free (out, FALSE);
}

static const char * const starter_categories[] = { "hris", "ats", NULL };
static const char * const growth_categories[] = {
  "hris", "ats", "crm", "marketing", "lms", "ticketing", "documents", NULL
};

gboolean
pb_db_is_plan (const char *plan)
{
  return pb_db_plan_categories (plan) != NULL;
}

const char * const *
pb_db_plan_categories (const char *plan)
{
  if (g_strcmp0 (plan, "starter") == 0)
    return starter_categories;
  if (g_strcmp0 (plan, "growth") == 0)
    return growth_categories;
  if (g_strcmp0 (plan, "enterprise") == 0)
    return pb_category_all_keys ();
  return NULL;
}

char *
pb_db_create_project (PbDb        *db,
                      const char  *name,
                      const char  *plan,
                      const char  *region,
                      GError     **error)
{
  g_autofree char *id = pb_db_new_id ("prj_");
  sqlite3_stmt *stmt;

  if (!pb_db_is_plan (plan))
    {
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_INVALID,
                   "“%s” is not a plan; use starter, growth or enterprise", plan);
      return NULL;
    }
  if (g_strcmp0 (region, "eu1") != 0 && g_strcmp0 (region, "us1") != 0)
    {
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_INVALID,
                   "“%s” is not a region; use eu1 or us1", region);
      return NULL;
    }
  stmt = pb_db_stmt (db, "INSERT INTO projects (id, name, plan, region, created_at)"
                         " VALUES (?, ?, ?, ?, ?)");
  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, name);
  pb_db_bind_text (stmt, 3, plan);
  pb_db_bind_text (stmt, 4, region);
  sqlite3_bind_int64 (stmt, 5, pb_db_now_ms ());
  if (!pb_db_step_done (db, stmt, error))
    return NULL;
  return g_steal_pointer (&id);
}

char *
pb_db_create_key (PbDb        *db,
                  const char  *project_id,
                  const char  *role,
                  GError     **error)
{
  g_autofree char *key_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *key = NULL;
  g_autofree char *salt = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;

  if (g_strcmp0 (role, "admin") != 0 && g_strcmp0 (role, "viewer") != 0)
    {
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_INVALID,
                   "“%s” is not a role; use admin or viewer", role);
      return NULL;
    }
  if (!pb_db_get_project (db, project_id, NULL, NULL, NULL))
    {
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_NOT_FOUND,
                   "There is no project with the id “%s”", project_id);
      return NULL;
    }
  key_id = pb_db_new_id ("");
  key_id[KEY_ID_CHARS] = '\0';
  secret = pb_crypto_random_token (24);
  key = g_strconcat (KEY_PREFIX, key_id, "_", secret, NULL);
  salt = pb_crypto_random_token (16);
  hash = pb_crypto_sha256_hex (salt, key);

  stmt = pb_db_stmt (db, "INSERT INTO api_keys (key_id, project_id, role, salt, hash, created_at)"
                         " VALUES (?, ?, ?, ?, ?, ?)");
  pb_db_bind_text (stmt, 1, key_id);
  pb_db_bind_text (stmt, 2, project_id);
  pb_db_bind_text (stmt, 3, role);
  pb_db_bind_text (stmt, 4, salt);
  pb_db_bind_text (stmt, 5, hash);
  sqlite3_bind_int64 (stmt, 6, pb_db_now_ms ());
  if (!pb_db_step_done (db, stmt, error))
    return NULL;
  return g_steal_pointer (&key);
}

gboolean
pb_db_check_key (PbDb        *db,
                 const char  *key,
                 char       **out_project_id,
                 char       **out_role)
{
  char key_id[KEY_ID_CHARS + 1];
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gsize prefix_len = strlen (KEY_PREFIX);

  if (strlen (key) < prefix_len + KEY_ID_CHARS + 2 || strncmp (key, KEY_PREFIX, prefix_len) != 0
      || key[prefix_len + KEY_ID_CHARS] != '_')
    return FALSE;
  memcpy (key_id, key + prefix_len, KEY_ID_CHARS);
  key_id[KEY_ID_CHARS] = '\0';

  stmt = pb_db_stmt (db, "SELECT project_id, role, salt, hash FROM api_keys WHERE key_id = ?");
  pb_db_bind_text (stmt, 1, key_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      hash = pb_crypto_sha256_hex (pb_db_column_text (stmt, 2), key);
      if (pb_crypto_equal (hash, pb_db_column_text (stmt, 3)))
        {
          ok = TRUE;
          if (out_project_id)
            *out_project_id = g_strdup (pb_db_column_text (stmt, 0));
          if (out_role)
            *out_role = g_strdup (pb_db_column_text (stmt, 1));
        }
    }
  sqlite3_reset (stmt);
  return ok;
}

char *
pb_db_key_id (const char *key)
{
  gsize prefix_len = strlen (KEY_PREFIX);

  if (key == NULL || strlen (key) < prefix_len + KEY_ID_CHARS + 2
      || strncmp (key, KEY_PREFIX, prefix_len) != 0)
    return NULL;
  return g_strndup (key + prefix_len, KEY_ID_CHARS);
}

gboolean
pb_db_has_encrypted_values (PbDb *db)
{
  sqlite3_stmt *stmt = pb_db_stmt (db, "SELECT EXISTS (SELECT 1 FROM secrets)"
                                       " OR EXISTS (SELECT 1 FROM accounts WHERE credentials IS NOT NULL)");
  gboolean found = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;

  sqlite3_reset (stmt);
  return found;
}

gboolean
pb_db_get_project (PbDb        *db,
                   const char  *project_id,
                   char       **out_name,
                   char       **out_plan,
                   char       **out_region)
{
  sqlite3_stmt *stmt = pb_db_stmt (db, "SELECT name, plan, region FROM projects WHERE id = ?");
  gboolean found = FALSE;

  pb_db_bind_text (stmt, 1, project_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (out_name)
        *out_name = g_strdup (pb_db_column_text (stmt, 0));
      if (out_plan)
        *out_plan = g_strdup (pb_db_column_text (stmt, 1));
      if (out_region)
        *out_region = g_strdup (pb_db_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  return found;
}
