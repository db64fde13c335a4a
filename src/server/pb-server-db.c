/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-db-private.h"

#include <string.h>
#include <time.h>


#include "pb-category-table.h"
#include "pb-server-crypto.h"

G_DEFINE_QUARK (pb-db-error-quark, pb_db_error)

/* One write transaction at a time in this process: the server's threads each have a connection,
 * and waiting here wakes the next writer at once, where SQLite's busy handler would poll with
 * sleeps (and PostgreSQL's lock would hold a connection each). Other processes on the same
 * database wait in the engine (pb_db_begin). */
static GMutex write_lock;

#define KEY_PREFIX "pbk_"
#define KEY_ID_CHARS 12

gboolean
pb_db_target_is_postgresql (const char *target)
{
  return g_str_has_prefix (target, "postgresql:") || g_str_has_prefix (target, "postgres:");
}

static void
finalize_stmt (gpointer data)
{
  PbDbStmt *stmt = data;

  stmt->db->ops->finalize (stmt);
}

PbDb *
pb_db_open (const char  *target,
            GError     **error)
{
  g_autoptr(PbDb) db = g_new0 (PbDb, 1);

  db->ops = pb_db_target_is_postgresql (target) ? &pb_db_postgresql_ops : &pb_db_sqlite_ops;
  db->target = g_strdup (target);
  db->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_stmt);
  if (!db->ops->open (db, target, error))
    return NULL;
  if (!pb_schema_create_if_empty (db, error))
    {
      g_prefix_error (error, "Could not set up the database “%s”: ", db->name);
      return NULL;
    }
  return g_steal_pointer (&db);
}

void
pb_db_close (PbDb *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->stmts, g_hash_table_unref);
  db->ops->close (db);
  g_free (db->target);
  g_free (db->name);
  g_free (db);
}

PbDbEngine
pb_db_engine (PbDb *db)
{
  return db->ops->engine;
}

const char *
pb_db_target (PbDb *db)
{
  return db->target;
}

const char *
pb_db_name (PbDb *db)
{
  return db->name;
}

PbDbStmt *
pb_db_stmt (PbDb       *db,
            const char *sql)
{
  PbDbStmt *stmt = g_hash_table_lookup (db->stmts, sql);

  if (stmt != NULL)
    {
      db->ops->reset (stmt);
      db->ops->clear_bindings (stmt);
      return stmt;
    }
  stmt = db->ops->prepare (db, sql);
  g_hash_table_insert (db->stmts, (gpointer) sql, stmt);
  return stmt;
}

void
pb_db_set_error (PbDb    *db,
                 GError **error)
{
  g_set_error (error, PB_DB_ERROR,
               db->ops->error_is_busy (db) ? PB_DB_ERROR_BUSY : PB_DB_ERROR_FAILED,
               "Database error: %s", db->ops->error_message (db));
}

gboolean
pb_db_exec (PbDb        *db,
            const char  *sql,
            GError     **error)
{
  return db->ops->exec (db, sql, error);
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
  if (!pb_db_step_done (db, pb_db_stmt (db, db->ops->begin_write_sql), error)
      || (db->ops->write_turn_sql != NULL
          && !pb_db_step_done (db, pb_db_stmt (db, db->ops->write_turn_sql), error)))
    {
      pb_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

gboolean
pb_db_begin_read (PbDb *db)
{
  return pb_db_step_done (db, pb_db_stmt (db, db->ops->begin_read_sql), NULL);
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
  if (db->ops->in_transaction (db))
    {
      PbDbStmt *stmt = pb_db_stmt (db, "ROLLBACK");
      db->ops->step (stmt);
      db->ops->reset (stmt);
    }
  end_writing (db);
}

gboolean
pb_db_in_transaction (PbDb *db)
{
  return db->ops->in_transaction (db);
}

gboolean
pb_db_step_done (PbDb      *db,
                 PbDbStmt  *stmt,
                 GError   **error)
{
  if (db->ops->step (stmt) == PB_DB_FAILED)
    {
      pb_db_set_error (db, error);
      db->ops->reset (stmt);
      return FALSE;
    }
  db->ops->reset (stmt);
  return TRUE;
}

PbDbStep
pb_db_step (PbDbStmt *stmt)
{
  return stmt->db->ops->step (stmt);
}

void
pb_db_reset (PbDbStmt *stmt)
{
  stmt->db->ops->reset (stmt);
}

void
pb_db_bind_text (PbDbStmt   *stmt,
                 int         index,
                 const char *text)
{
  if (text == NULL)
    stmt->db->ops->bind_null (stmt, index);
  else
    stmt->db->ops->bind_text (stmt, index, text);
}

void
pb_db_bind_int64 (PbDbStmt *stmt,
                  int       index,
                  gint64    value)
{
  stmt->db->ops->bind_int64 (stmt, index, value);
}

void
pb_db_bind_blob (PbDbStmt   *stmt,
                 int         index,
                 const void *data,
                 gsize       size)
{
  stmt->db->ops->bind_blob (stmt, index, data, size);
}

void
pb_db_bind_null (PbDbStmt *stmt,
                 int       index)
{
  stmt->db->ops->bind_null (stmt, index);
}

const char *
pb_db_column_text (PbDbStmt *stmt,
                   int       column)
{
  return stmt->db->ops->column_text (stmt, column);
}

gint64
pb_db_column_int64 (PbDbStmt *stmt,
                    int       column)
{
  return stmt->db->ops->column_int64 (stmt, column);
}

const void *
pb_db_column_blob (PbDbStmt *stmt,
                   int       column,
                   gsize    *out_size)
{
  return stmt->db->ops->column_blob (stmt, column, out_size);
}

gboolean
pb_db_column_is_null (PbDbStmt *stmt,
                      int       column)
{
  return stmt->db->ops->column_is_null (stmt, column);
}

int
pb_db_column_count (PbDbStmt *stmt)
{
  return stmt->db->ops->column_count (stmt);
}

const char *
pb_db_column_name (PbDbStmt *stmt,
                   int       column)
{
  return stmt->db->ops->column_name (stmt, column);
}

PbDbKind
pb_db_column_kind (PbDbStmt *stmt,
                   int       column)
{
  return stmt->db->ops->column_kind (stmt, column);
}

guint
pb_db_count_in_window (PbDb       *db,
                       const char *name,
                       guint       limit,
                       gint64      window_ms)
{
  return db->ops->count_in_window (db, name, limit, window_ms);
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
  PbDbStmt *stmt;

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
  pb_db_bind_int64 (stmt, 5, pb_db_now_ms ());
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
  PbDbStmt *stmt;

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
  pb_db_bind_int64 (stmt, 6, pb_db_now_ms ());
  if (!pb_db_step_done (db, stmt, error))
    return NULL;
  return g_steal_pointer (&key);
}

gboolean
pb_db_check_key (PbDb        *db,
                 const char  *key,
                 char       **out_project_id,
                 char       **out_role,
                 char       **out_plan)
{
  char key_id[KEY_ID_CHARS + 1];
  g_autofree char *hash = NULL;
  PbDbStmt *stmt;
  gboolean ok = FALSE;
  gsize prefix_len = strlen (KEY_PREFIX);

  if (strlen (key) < prefix_len + KEY_ID_CHARS + 2 || strncmp (key, KEY_PREFIX, prefix_len) != 0
      || key[prefix_len + KEY_ID_CHARS] != '_')
    return FALSE;
  memcpy (key_id, key + prefix_len, KEY_ID_CHARS);
  key_id[KEY_ID_CHARS] = '\0';

  /* The project's plan comes along: one query instead of two for every request. */
  stmt = pb_db_stmt (db, "SELECT k.project_id, k.role, k.salt, k.hash, p.plan FROM api_keys k"
                         " LEFT JOIN projects p ON p.id = k.project_id WHERE k.key_id = ?");
  pb_db_bind_text (stmt, 1, key_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      hash = pb_crypto_sha256_hex (pb_db_column_text (stmt, 2), key);
      if (pb_crypto_equal (hash, pb_db_column_text (stmt, 3)))
        {
          ok = TRUE;
          if (out_project_id)
            *out_project_id = g_strdup (pb_db_column_text (stmt, 0));
          if (out_role)
            *out_role = g_strdup (pb_db_column_text (stmt, 1));
          if (out_plan)
            *out_plan = g_strdup (pb_db_column_text (stmt, 4));
        }
    }
  pb_db_reset (stmt);
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
  PbDbStmt *stmt = pb_db_stmt (db, "SELECT EXISTS (SELECT 1 FROM secrets)"
                                       " OR EXISTS (SELECT 1 FROM accounts WHERE credentials IS NOT NULL)");
  gboolean found = pb_db_step (stmt) == PB_DB_ROW && pb_db_column_int (stmt, 0) != 0;

  pb_db_reset (stmt);
  return found;
}

gboolean
pb_db_has_projects (PbDb *db)
{
  PbDbStmt *stmt = pb_db_stmt (db, "SELECT EXISTS (SELECT 1 FROM projects)");
  gboolean found = pb_db_step (stmt) == PB_DB_ROW && pb_db_column_int64 (stmt, 0) != 0;

  pb_db_reset (stmt);
  return found;
}

gboolean
pb_db_get_project (PbDb        *db,
                   const char  *project_id,
                   char       **out_name,
                   char       **out_plan,
                   char       **out_region)
{
  PbDbStmt *stmt = pb_db_stmt (db, "SELECT name, plan, region FROM projects WHERE id = ?");
  gboolean found = FALSE;

  pb_db_bind_text (stmt, 1, project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      found = TRUE;
      if (out_name)
        *out_name = g_strdup (pb_db_column_text (stmt, 0));
      if (out_plan)
        *out_plan = g_strdup (pb_db_column_text (stmt, 1));
      if (out_region)
        *out_region = g_strdup (pb_db_column_text (stmt, 2));
    }
  pb_db_reset (stmt);
  return found;
}
