/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include <libpq-fe.h>

#include "pb-server-db-private.h"

/*
 * The PostgreSQL engine (libpq), for several servers on one database.
 *
 * How the rules hold across servers: every write transaction first takes one
 * transaction-scoped advisory lock (pg_advisory_xact_lock), the same for all servers, and runs
 * at READ COMMITTED; the lock goes with the COMMIT or ROLLBACK. That is what SQLite's BEGIN
 * IMMEDIATE does, so the handlers' rules (one default per connector, delete vs make-default,
 * disable vs link, the counts they check) are decided exactly as on SQLite: the writer sees
 * every change committed before it and nothing can change under it until it commits. It also
 * hands out the change log's numbers (a sequence) in commit order, so a sync token or cursor
 * taken on one server never skips a change another server commits later.
 * Row locks would need every rule to name the rows it reads, including rows that do not exist
 * yet (the second default of a connector); SERIALIZABLE would need each change retried whole,
 * which the handlers cannot do once they have answered. A change takes a few milliseconds, so
 * one at a time still gives hundreds of changes a second, and reads never wait: a read request
 * runs in one REPEATABLE READ READ ONLY transaction, a snapshot like SQLite's.
 */

/* Type oids of the catalog pg_type. */
#define TEXTOID 25
#define BYTEAOID 17
#define INT8OID 20
#define INT2OID 21
#define INT4OID 23

/* The advisory lock of writers ("pb" in ASCII). */
#define WRITE_LOCK_KEY "28770"

typedef struct
{
  PGconn  *conn;
  guint    generation;   /* bumped when the connection is made again: statements re-prepare */
  guint    next_name;
  char    *error;
  char     sqlstate[6];
} Pg;

typedef struct
{
  PbDbStmt   base;
  char      *sql;
  char       name[16];
  guint      generation;   /* of the connection it was prepared on; 0: not yet */
  int        n_params;
  Oid       *types;        /* 0: as PostgreSQL infers it */
  char     **values;
  int       *lengths;
  int       *formats;
  PGresult  *result;
  int        row;          /* the current row + 1 */
  int        n_rows;
  GPtrArray *blobs;        /* unescaped bytea values of the current result */
} PgStmt;

#define PG(db) ((Pg *) (db)->engine_data)

static void
set_failure (PbDb       *db,
             const char *message,
             const char *sqlstate)
{
  Pg *self = PG (db);

  g_free (self->error);
  self->error = g_strchomp (g_strdup (message != NULL && *message != '\0' ? message : "unknown"));
  g_strlcpy (self->sqlstate, sqlstate != NULL ? sqlstate : "", sizeof self->sqlstate);
}

static void
ignore_notice (void       *arg,
               const char *message)
{
}

static gboolean
pg_exec (PbDb        *db,
         const char  *sql,
         GError     **error)
{
  PGresult *result = PQexec (PG (db)->conn, sql);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_failure (db, PQresultErrorMessage (result) ? PQresultErrorMessage (result)
                                                     : PQerrorMessage (PG (db)->conn),
                   PQresultErrorField (result, PG_DIAG_SQLSTATE));
      PQclear (result);
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_FAILED, "Database error: %s", PG (db)->error);
      return FALSE;
    }
  PQclear (result);
  return TRUE;
}

static gboolean
pg_open (PbDb        *db,
         const char  *target,
         GError     **error)
{
  Pg *self = g_new0 (Pg, 1);
  const char *host;

  db->engine_data = self;
  self->conn = PQconnectdb (target);
  host = PQhost (self->conn);
  db->name = g_strdup_printf ("%s on %s", PQdb (self->conn) ? PQdb (self->conn) : "?",
                              host != NULL && *host != '\0' ? host : "localhost");
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strchomp (g_strdup (PQerrorMessage (self->conn)));

      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_FAILED,
                   "Could not connect to the PostgreSQL database “%s”: %s", db->name, message);
      return FALSE;
    }
  PQsetNoticeProcessor (self->conn, ignore_notice, NULL);
  self->generation = 1;
  return pg_exec (db, "SET client_min_messages = warning; SET TIME ZONE 'UTC'", error);
}

static void
pg_close (PbDb *db)
{
  Pg *self = PG (db);

  if (self == NULL)
    return;
  PQfinish (self->conn);
  g_free (self->error);
  g_free (self);
}

/* SQLite's parameters (`?`, `?N`) as PostgreSQL's ($N); nothing inside quotes. A number the
 * SQL skips (SQLite does not mind) gets the type text in *@out_types, as PostgreSQL cannot tell
 * the type of a parameter it never sees. */
static char *
number_parameters (const char  *sql,
                   int         *out_n_params,
                   Oid        **out_types)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  g_autoptr(GArray) used = g_array_new (FALSE, TRUE, sizeof (gboolean));
  int next = 0, max = 0, i;
  const char *p;

  for (p = sql; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '"')
        {
          const char *end = strchr (p + 1, *p);

          if (end == NULL)
            end = p + strlen (p) - 1;
          g_string_append_len (out, p, end - p + 1);
          p = end;
        }
      else if (*p == '?')
        {
          int n;

          if (g_ascii_isdigit (p[1]))
            {
              n = 0;
              while (g_ascii_isdigit (p[1]))
                n = n * 10 + (*++p - '0');
            }
          else
            n = ++next;
          max = MAX (max, n);
          next = MAX (next, n);
          if ((guint) n >= used->len)
            g_array_set_size (used, n + 1);
          g_array_index (used, gboolean, n) = TRUE;
          g_string_append_printf (out, "$%d", n);
        }
      else
        g_string_append_c (out, *p);
    }
  *out_n_params = max;
  *out_types = g_new0 (Oid, MAX (max, 1));
  for (i = 1; i <= max; i++)
    if (!g_array_index (used, gboolean, i))
      (*out_types)[i - 1] = TEXTOID;
  return g_string_free (out, FALSE);
}

static PbDbStmt *
pg_prepare (PbDb       *db,
            const char *sql)
{
  PgStmt *stmt = g_new0 (PgStmt, 1);

  stmt->base.db = db;
  stmt->sql = number_parameters (sql, &stmt->n_params, &stmt->types);
  g_snprintf (stmt->name, sizeof stmt->name, "pb%u", PG (db)->next_name++);
  stmt->values = g_new0 (char *, MAX (stmt->n_params, 1));
  stmt->lengths = g_new0 (int, MAX (stmt->n_params, 1));
  stmt->formats = g_new0 (int, MAX (stmt->n_params, 1));
  stmt->blobs = g_ptr_array_new_with_free_func (PQfreemem);
  return &stmt->base;
}

static void
clear_result (PgStmt *stmt)
{
  g_clear_pointer (&stmt->result, PQclear);
  g_ptr_array_set_size (stmt->blobs, 0);
  stmt->row = stmt->n_rows = 0;
}

static void
pg_reset (PbDbStmt *base)
{
  clear_result ((PgStmt *) base);
}

static void
pg_clear_bindings (PbDbStmt *base)
{
  PgStmt *stmt = (PgStmt *) base;
  int i;

  for (i = 0; i < stmt->n_params; i++)
    {
      g_clear_pointer (&stmt->values[i], g_free);
      stmt->lengths[i] = stmt->formats[i] = 0;
    }
}

static void
pg_finalize (PbDbStmt *base)
{
  PgStmt *stmt = (PgStmt *) base;

  pg_reset (base);
  pg_clear_bindings (base);
  g_ptr_array_unref (stmt->blobs);
  g_free (stmt->values);
  g_free (stmt->lengths);
  g_free (stmt->formats);
  g_free (stmt->types);
  g_free (stmt->sql);
  g_free (stmt);
}

/* A connection that broke (the database restarted, a network hiccup) is made again between
 * transactions; a transaction that was open is lost and its request fails. */
static void
reconnect_if_broken (PbDb *db)
{
  Pg *self = PG (db);

  if (PQstatus (self->conn) == CONNECTION_OK)
    return;
  PQreset (self->conn);
  if (PQstatus (self->conn) == CONNECTION_OK)
    {
      self->generation++;
      pg_exec (db, "SET client_min_messages = warning; SET TIME ZONE 'UTC'", NULL);
    }
}

/* Prepares @stmt on this connection if it is not yet, and runs it. */
static gboolean
execute (PgStmt *stmt)
{
  PbDb *db = stmt->base.db;
  Pg *self = PG (db);
  ExecStatusType status;

  if (stmt->generation != self->generation)
    {
      PGresult *prepared = PQprepare (self->conn, stmt->name, stmt->sql, stmt->n_params,
                                      stmt->types);

      if (PQresultStatus (prepared) != PGRES_COMMAND_OK)
        {
          set_failure (db, PQresultErrorMessage (prepared),
                       PQresultErrorField (prepared, PG_DIAG_SQLSTATE));
          PQclear (prepared);
          return FALSE;
        }
      PQclear (prepared);
      stmt->generation = self->generation;
    }
  stmt->result = PQexecPrepared (self->conn, stmt->name, stmt->n_params,
                                 (const char * const *) stmt->values, stmt->lengths,
                                 stmt->formats, 0);
  status = PQresultStatus (stmt->result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      set_failure (db, stmt->result != NULL ? PQresultErrorMessage (stmt->result)
                                            : PQerrorMessage (self->conn),
                   PQresultErrorField (stmt->result, PG_DIAG_SQLSTATE));
      clear_result (stmt);
      return FALSE;
    }
  stmt->row = 0;
  stmt->n_rows = PQntuples (stmt->result);
  return TRUE;
}

static PbDbStep
pg_step (PbDbStmt *base)
{
  PgStmt *stmt = (PgStmt *) base;
  PbDb *db = base->db;

  if (stmt->result == NULL)
    {
      gboolean idle;

      reconnect_if_broken (db);
      idle = PQtransactionStatus (PG (db)->conn) == PQTRANS_IDLE;
      /* A connection the database dropped (a restart, a failover) shows only when used: made
       * again at once when nothing of a transaction is lost with it. */
      if (!execute (stmt)
          && !(idle && PQstatus (PG (db)->conn) == CONNECTION_BAD
               && (reconnect_if_broken (db), execute (stmt))))
        return PB_DB_FAILED;
    }
  if (stmt->row < stmt->n_rows)
    {
      stmt->row++;
      return PB_DB_ROW;
    }
  return PB_DB_DONE;
}

static void
set_param (PgStmt *stmt,
           int     index,
           char   *value,
           int     length,
           int     format)
{
  g_return_if_fail (index >= 1 && index <= stmt->n_params);
  g_free (stmt->values[index - 1]);
  stmt->values[index - 1] = value;
  stmt->lengths[index - 1] = length;
  stmt->formats[index - 1] = format;
}

static void
pg_bind_text (PbDbStmt   *stmt,
              int         index,
              const char *text)
{
  set_param ((PgStmt *) stmt, index, g_strdup (text), 0, 0);
}

static void
pg_bind_int64 (PbDbStmt *stmt,
               int       index,
               gint64    value)
{
  set_param ((PgStmt *) stmt, index, g_strdup_printf ("%" G_GINT64_FORMAT, value), 0, 0);
}

static void
pg_bind_blob (PbDbStmt   *stmt,
              int         index,
              const void *data,
              gsize       size)
{
  /* Binary: a bytea parameter's bytes as they are. */
  set_param ((PgStmt *) stmt, index, g_memdup2 (data != NULL ? data : "", MAX (size, 1)),
             (int) size, 1);
}

static void
pg_bind_null (PbDbStmt *stmt,
              int       index)
{
  set_param ((PgStmt *) stmt, index, NULL, 0, 0);
}

static gboolean
pg_column_is_null (PbDbStmt *base,
                   int       column)
{
  PgStmt *stmt = (PgStmt *) base;

  return stmt->row == 0 || column >= PQnfields (stmt->result)
         || PQgetisnull (stmt->result, stmt->row - 1, column);
}

static const char *
pg_column_text (PbDbStmt *base,
                int       column)
{
  PgStmt *stmt = (PgStmt *) base;

  if (pg_column_is_null (base, column))
    return NULL;
  return PQgetvalue (stmt->result, stmt->row - 1, column);
}

static gint64
pg_column_int64 (PbDbStmt *stmt,
                 int       column)
{
  const char *text = pg_column_text (stmt, column);

  if (text == NULL)
    return 0;
  if (text[0] == 't' && text[1] == '\0')
    return 1;
  if (text[0] == 'f' && text[1] == '\0')
    return 0;
  return g_ascii_strtoll (text, NULL, 10);
}

static const void *
pg_column_blob (PbDbStmt *base,
                int       column,
                gsize    *out_size)
{
  PgStmt *stmt = (PgStmt *) base;
  const char *text = pg_column_text (base, column);
  size_t size = 0;
  unsigned char *data;

  *out_size = 0;
  if (text == NULL)
    return NULL;
  data = PQunescapeBytea ((const unsigned char *) text, &size);
  if (data == NULL)
    return NULL;
  g_ptr_array_add (stmt->blobs, data);
  *out_size = size;
  return size > 0 ? data : NULL;
}

static int
pg_column_count (PbDbStmt *base)
{
  return PQnfields (((PgStmt *) base)->result);
}

static const char *
pg_column_name (PbDbStmt *base,
                int       column)
{
  return PQfname (((PgStmt *) base)->result, column);
}

static PbDbKind
pg_column_kind (PbDbStmt *base,
                int       column)
{
  PgStmt *stmt = (PgStmt *) base;

  if (pg_column_is_null (base, column))
    return PB_DB_KIND_NULL;
  switch (PQftype (stmt->result, column))
    {
    case BYTEAOID:
      return PB_DB_KIND_BLOB;
    case INT8OID:
    case INT4OID:
    case INT2OID:
      return PB_DB_KIND_INTEGER;
    default:
      return PB_DB_KIND_TEXT;
    }
}

static gboolean
pg_in_transaction (PbDb *db)
{
  PGTransactionStatusType status = PQtransactionStatus (PG (db)->conn);

  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

static const char *
pg_error_message (PbDb *db)
{
  return PG (db)->error != NULL ? PG (db)->error : "unknown";
}

static gboolean
pg_error_is_busy (PbDb *db)
{
  const char *state = PG (db)->sqlstate;

  /* serialization_failure, deadlock_detected, lock_not_available */
  return g_str_equal (state, "40001") || g_str_equal (state, "40P01")
         || g_str_equal (state, "55P03");
}

/* One statement, outside any transaction: the window's counter is taken and counted at once,
 * by whichever server asks, on the database's clock. */
static guint
pg_count_in_window (PbDb       *db,
                    const char *name,
                    guint       limit,
                    gint64      window_ms)
{
  PbDbStmt *stmt = pb_db_stmt (db,
    "WITH now AS (SELECT CAST (floor (extract (epoch FROM clock_timestamp ()) * 1000) AS BIGINT) AS ms)"
    " INSERT INTO rate_windows AS w (name, start_ms, count) SELECT ?1, ms, 1 FROM now"
    " ON CONFLICT (name) DO UPDATE SET"
    "  start_ms = CASE WHEN w.start_ms <= excluded.start_ms - ?3 THEN excluded.start_ms"
    "                  ELSE w.start_ms END,"
    "  count = CASE WHEN w.start_ms <= excluded.start_ms - ?3 THEN 1"
    "               ELSE least (w.count + 1, ?2 + 1) END"
    " RETURNING count, start_ms + ?3 - (SELECT ms FROM now)");
  gint64 count = 0, left_ms = 0;

  pb_db_bind_text (stmt, 1, name);
  pb_db_bind_int64 (stmt, 2, limit);
  pb_db_bind_int64 (stmt, 3, window_ms);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      count = pb_db_column_int64 (stmt, 0);
      left_ms = pb_db_column_int64 (stmt, 1);
    }
  else
    g_warning ("Could not count a request in the shared rate limit: %s", pg_error_message (db));
  pb_db_reset (stmt);
  if (count <= limit)
    return 0;
  return (guint) MAX (1, (left_ms + 999) / 1000);
}

const PbDbOps pb_db_postgresql_ops = {
  .engine = PB_DB_POSTGRESQL,
  .open = pg_open,
  .close = pg_close,
  .exec = pg_exec,
  .prepare = pg_prepare,
  .finalize = pg_finalize,
  .reset = pg_reset,
  .clear_bindings = pg_clear_bindings,
  .step = pg_step,
  .bind_text = pg_bind_text,
  .bind_int64 = pg_bind_int64,
  .bind_blob = pg_bind_blob,
  .bind_null = pg_bind_null,
  .column_text = pg_column_text,
  .column_int64 = pg_column_int64,
  .column_blob = pg_column_blob,
  .column_is_null = pg_column_is_null,
  .column_count = pg_column_count,
  .column_name = pg_column_name,
  .column_kind = pg_column_kind,
  .begin_write_sql = "BEGIN",
  .write_turn_sql = "SELECT pg_advisory_xact_lock (" WRITE_LOCK_KEY ")",
  .begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
  .in_transaction = pg_in_transaction,
  .error_message = pg_error_message,
  .error_is_busy = pg_error_is_busy,
  .count_in_window = pg_count_in_window,
};
