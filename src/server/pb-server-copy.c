/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-copy.h"

#include <string.h>

#include "pb-server-migrate.h"

/*
 * plugboard-server copy: a deployment moved from one database to another (SQLite to
 * PostgreSQL, or back), rows as they are, ids and sequence numbers included, so API keys, sync
 * tokens and page cursors stay valid.
 */

typedef struct
{
  const char *name;
  const char *serial;   /* the column of its growing row number, if any */
} Table;

/* In the order their references need; the change log last, as the triggers write it again
 * while integrations are copied. */
static const Table tables[] = {
  { "meta", NULL },
  { "projects", NULL },
  { "api_keys", NULL },
  { "integrations", "seq" },
  { "secrets", NULL },
  { "accounts", "seq" },
  { "connect_sessions", NULL },
  { "logs", "seq" },
  { "integration_changes", "seq" },
  { "integration_change_horizon", NULL },
};

/* SQL made here lives as long as the statement caches that key on it. */
static const char *
sql_printf (const char *format,
            ...) G_GNUC_PRINTF (1, 2);

static const char *
sql_printf (const char *format,
            ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return g_intern_string (text);
}

static gint64
count_rows (PbDb       *db,
            const char *table,
            const char *where)
{
  PbDbStmt *stmt = pb_db_stmt (db, sql_printf ("SELECT count(*) FROM %s%s", table, where));
  gint64 n = -1;

  if (pb_db_step (stmt) == PB_DB_ROW)
    n = pb_db_column_int64 (stmt, 0);
  pb_db_reset (stmt);
  return n;
}

static char *
schema_version (PbDb *db)
{
  PbDbStmt *stmt = pb_db_stmt (db, "SELECT value FROM meta WHERE key = 'schema_version'");
  char *version = NULL;

  if (pb_db_step (stmt) == PB_DB_ROW)
    version = g_strdup (pb_db_column_text (stmt, 0));
  pb_db_reset (stmt);
  return version;
}

/* One row's values, each with its kind, as one hash. */
static char *
row_digest (PbDbStmt *stmt)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  int i, n = pb_db_column_count (stmt);

  for (i = 0; i < n; i++)
    {
      PbDbKind kind = pb_db_column_kind (stmt, i);
      char tag = "NITB"[kind];
      gsize size = 0;
      const void *data = NULL;
      char number[32];

      g_checksum_update (sum, (const guchar *) &tag, 1);
      if (kind == PB_DB_KIND_INTEGER)
        {
          g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, pb_db_column_int64 (stmt, i));
          data = number;
          size = strlen (number);
        }
      else if (kind == PB_DB_KIND_TEXT)
        {
          data = pb_db_column_text (stmt, i);
          size = strlen (data);
        }
      else if (kind == PB_DB_KIND_BLOB)
        data = pb_db_column_blob (stmt, i, &size);
      g_checksum_update (sum, (const guchar *) &size, sizeof size);
      if (size > 0)
        g_checksum_update (sum, data, size);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The digest of a table whatever order the engine gives its rows in: of the sorted row
 * digests. */
static char *
table_digest (PbDb       *db,
              const char *table,
              gint64     *out_rows)
{
  PbDbStmt *stmt = pb_db_stmt (db, sql_printf ("SELECT * FROM %s", table));
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  while (pb_db_step (stmt) == PB_DB_ROW)
    g_ptr_array_add (rows, row_digest (stmt));
  pb_db_reset (stmt);
  g_ptr_array_sort (rows, compare_strings);
  for (guint i = 0; i < rows->len; i++)
    g_checksum_update (sum, rows->pdata[i], -1);
  *out_rows = rows->len;
  return g_strdup (g_checksum_get_string (sum));
}

static gboolean
copy_table (PbDb         *from,
            PbDb         *to,
            const Table  *table,
            gint64       *out_rows,
            GError      **error)
{
  PbDbStmt *read = pb_db_stmt (from, sql_printf ("SELECT * FROM %s", table->name));
  PbDbStmt *write = NULL;
  PbDbStep step;
  gint64 n = 0;

  while ((step = pb_db_step (read)) == PB_DB_ROW)
    {
      int i, columns = pb_db_column_count (read);

      if (g_str_equal (table->name, "meta")
          && g_strcmp0 (pb_db_column_text (read, 0), "schema_version") == 0)
        continue;
      if (write == NULL)
        {
          g_autoptr(GString) sql = g_string_new (NULL);

          g_string_append_printf (sql, "INSERT INTO %s (", table->name);
          for (i = 0; i < columns; i++)
            g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", pb_db_column_name (read, i));
          g_string_append (sql, ") VALUES (");
          for (i = 0; i < columns; i++)
            g_string_append (sql, i > 0 ? ", ?" : "?");
          g_string_append_c (sql, ')');
          write = pb_db_stmt (to, g_intern_string (sql->str));
        }
      else
        pb_db_reset (write);
      for (i = 0; i < columns; i++)
        switch (pb_db_column_kind (read, i))
          {
          case PB_DB_KIND_NULL:
            pb_db_bind_null (write, i + 1);
            break;
          case PB_DB_KIND_INTEGER:
            pb_db_bind_int64 (write, i + 1, pb_db_column_int64 (read, i));
            break;
          case PB_DB_KIND_TEXT:
            pb_db_bind_text (write, i + 1, pb_db_column_text (read, i));
            break;
          case PB_DB_KIND_BLOB:
            {
              gsize size;
              const void *data = pb_db_column_blob (read, i, &size);

              pb_db_bind_blob (write, i + 1, data, size);
            }
            break;
          default:
            g_assert_not_reached ();
          }
      if (!pb_db_step_done (to, write, error))
        {
          pb_db_reset (read);
          g_prefix_error (error, "Could not copy a row of %s: ", table->name);
          return FALSE;
        }
      n++;
    }
  pb_db_reset (read);
  if (step == PB_DB_FAILED)
    {
      pb_db_set_error (from, error);
      return FALSE;
    }
  /* The next row number goes on after the copied ones (SQLite's AUTOINCREMENT does so by
   * itself). */
  if (table->serial != NULL && pb_db_engine (to) == PB_DB_POSTGRESQL
      && !pb_db_step_done (to, pb_db_stmt (to, sql_printf (
            "SELECT setval (pg_get_serial_sequence ('%s', '%s'),"
            " coalesce ((SELECT max (%s) FROM %s), 0) + 1, false)",
            table->name, table->serial, table->serial, table->name)), error))
    return FALSE;
  *out_rows = n;
  return TRUE;
}

gboolean
pb_copy (PbDb     *from,
         PbDb     *to,
         GError  **error)
{
  g_autofree char *from_version = schema_version (from);
  g_autofree char *to_version = schema_version (to);
  guint i;

  if (g_strcmp0 (from_version, to_version) != 0)
    {
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_INVALID,
                   "The database “%s” has the schema version %s and “%s” %s: bring both to "
                   "version %u with “plugboard-server migrate” first.", pb_db_name (from),
                   from_version ? from_version : "?", pb_db_name (to),
                   to_version ? to_version : "?", pb_migrate_current_version ());
      return FALSE;
    }
  for (i = 0; i < G_N_ELEMENTS (tables); i++)
    if (count_rows (to, tables[i].name, g_str_equal (tables[i].name, "meta")
                                        ? " WHERE key <> 'schema_version'" : "") != 0)
      {
        g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_INVALID,
                     "The database “%s” is not empty (its table %s has rows): copy only into "
                     "a new database, so that nothing in it is mixed or lost.", pb_db_name (to),
                     tables[i].name);
        return FALSE;
      }

  /* One snapshot of the source, one transaction of the target. */
  if (!pb_db_begin_read (from) || !pb_db_begin (to, error))
    {
      if (error != NULL && *error == NULL)
        pb_db_set_error (from, error);
      pb_db_rollback (from);
      return FALSE;
    }
  for (i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      gint64 n = 0;

      if (tables[i].serial != NULL && g_str_equal (tables[i].name, "integration_changes")
          && (!pb_db_exec (to, "DELETE FROM integration_changes", error)
              || !pb_db_exec (to, "DELETE FROM integration_change_horizon", error)))
        goto failed;
      if (!copy_table (from, to, &tables[i], &n, error))
        goto failed;
      g_message ("%s: %" G_GINT64_FORMAT " rows copied", tables[i].name, n);
    }
  if (!pb_db_commit (to, error))
    goto failed;
  /* PostgreSQL plans its queries from statistics, which a bulk load leaves behind until
   * autovacuum comes round: a server started right away would scan whole tables. */
  if (pb_db_engine (to) == PB_DB_POSTGRESQL && !pb_db_exec (to, "ANALYZE", error))
    {
      pb_db_rollback (from);
      return FALSE;
    }

  /* Checked: every table the same on both sides, row by row. */
  for (i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      gint64 n_from = 0, n_to = 0;
      g_autofree char *digest_from = table_digest (from, tables[i].name, &n_from);
      g_autofree char *digest_to = table_digest (to, tables[i].name, &n_to);

      if (n_from != n_to || !g_str_equal (digest_from, digest_to))
        {
          pb_db_rollback (from);
          g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_FAILED,
                       "The copy of the table %s differs from the original (%" G_GINT64_FORMAT
                       " rows, %" G_GINT64_FORMAT " copied); do not use “%s”.",
                       tables[i].name, n_from, n_to, pb_db_name (to));
          return FALSE;
        }
      g_message ("%s: %" G_GINT64_FORMAT " rows checked, digest %.16s", tables[i].name, n_to,
                 digest_to);
    }
  pb_db_rollback (from);
  return TRUE;

failed:
  pb_db_rollback (to);
  pb_db_rollback (from);
  return FALSE;
}
