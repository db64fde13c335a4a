/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PB_DB_ERROR (pb_db_error_quark ())
GQuark pb_db_error_quark (void);

typedef enum
{
  PB_DB_ERROR_FAILED,
  PB_DB_ERROR_BUSY,
  PB_DB_ERROR_NOT_FOUND,
  PB_DB_ERROR_INVALID,
} PbDbError;

typedef struct _PbDb PbDb;
typedef struct _PbDbStmt PbDbStmt;

/* The two storage engines: SQLite (one file, the embedded default) and PostgreSQL (one
 * database shared by several servers). */
typedef enum
{
  PB_DB_SQLITE,
  PB_DB_POSTGRESQL,
} PbDbEngine;

/* What pb_db_step() found. */
typedef enum
{
  PB_DB_FAILED,
  PB_DB_ROW,
  PB_DB_DONE,
} PbDbStep;

/* Opens @target: "postgresql://…" or "postgres://…" (a libpq connection URI; what it leaves out
 * comes from the PG* environment variables), "sqlite:PATH", or a path of an SQLite file. A new,
 * empty database gets the current schema; an older one waits for pb_migrate(). */
PbDb          *pb_db_open            (const char   *target,
                                      GError      **error);
void           pb_db_close           (PbDb         *db);
/* Whether @target names a PostgreSQL database. */
gboolean       pb_db_target_is_postgresql (const char *target);
PbDbEngine     pb_db_engine          (PbDb         *db);
/* Moves SQLite's WAL checkpoints to a background thread (for a long-running server). */
void           pb_db_start_checkpointer (PbDb      *db);
/* What pb_db_open() was given, to open another connection to the same database. */
const char    *pb_db_target          (PbDb         *db);
/* The database as messages name it: the file, or the PostgreSQL database and host (never a
 * password). */
const char    *pb_db_name            (PbDb         *db);

/* A cached prepared statement, reset and with its bindings cleared. Parameters are written
 * `?` or `?N` (numbered from 1), as SQLite has them; PostgreSQL gets them as $N. */
PbDbStmt      *pb_db_stmt            (PbDb         *db,
                                      const char   *sql);
/* One SQL text of each engine, where their dialects differ. */
#define PB_DB_DIALECT(db, sqlite_sql, postgresql_sql) \
  (pb_db_engine (db) == PB_DB_POSTGRESQL ? (postgresql_sql) : (sqlite_sql))
/* The values of a JSON array given as parameter P, as a subquery of each engine. */
#define PB_DB_SQLITE_JSON_LIST(P) "SELECT value FROM json_each (" P ")"
#define PB_DB_POSTGRESQL_JSON_LIST(P) "SELECT json_array_elements_text (CAST (" P " AS json))"
#define PB_DB_POSTGRESQL_JSON_INT_LIST(P) \
  "SELECT CAST (json_array_elements_text (CAST (" P " AS json)) AS INTEGER)"
/* Runs one or more statements without parameters. */
gboolean       pb_db_exec            (PbDb         *db,
                                      const char   *sql,
                                      GError      **error);
/* Starts a write transaction: one writer at a time on the database, whichever process or
 * machine it runs on (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory
 * lock, see pb-server-db-postgresql.c). */
gboolean       pb_db_begin           (PbDb         *db,
                                      GError      **error);
/* Starts a read transaction: every query of it sees the same snapshot. */
gboolean       pb_db_begin_read      (PbDb         *db);
gboolean       pb_db_commit          (PbDb         *db,
                                      GError      **error);
void           pb_db_rollback        (PbDb         *db);
gboolean       pb_db_in_transaction  (PbDb         *db);
/* @error from the database's last failure. */
void           pb_db_set_error       (PbDb         *db,
                                      GError      **error);
/* Steps a statement that returns no rows; FALSE with @error on failure. */
gboolean       pb_db_step_done       (PbDb         *db,
                                      PbDbStmt     *stmt,
                                      GError      **error);

PbDbStep       pb_db_step            (PbDbStmt     *stmt);
/* Makes @stmt ready to run again, with the same bindings. */
void           pb_db_reset           (PbDbStmt     *stmt);
/* @text NULL binds NULL. */
void           pb_db_bind_text       (PbDbStmt     *stmt,
                                      int           index,
                                      const char   *text);
void           pb_db_bind_int64      (PbDbStmt     *stmt,
                                      int           index,
                                      gint64        value);
void           pb_db_bind_blob       (PbDbStmt     *stmt,
                                      int           index,
                                      const void   *data,
                                      gsize         size);
void           pb_db_bind_null       (PbDbStmt     *stmt,
                                      int           index);
/* NULL for NULL. */
const char    *pb_db_column_text     (PbDbStmt     *stmt,
                                      int           column);
/* 0 for NULL; true and false are 1 and 0. */
gint64         pb_db_column_int64    (PbDbStmt     *stmt,
                                      int           column);
#define pb_db_column_int(stmt, column) ((int) pb_db_column_int64 ((stmt), (column)))
/* NULL (and 0) for NULL or empty. */
const void    *pb_db_column_blob     (PbDbStmt     *stmt,
                                      int           column,
                                      gsize        *out_size);
gboolean       pb_db_column_is_null  (PbDbStmt     *stmt,
                                      int           column);

/* What a column of the current row holds, to copy rows whatever their table. */
typedef enum
{
  PB_DB_KIND_NULL,
  PB_DB_KIND_INTEGER,
  PB_DB_KIND_TEXT,
  PB_DB_KIND_BLOB,
} PbDbKind;

int            pb_db_column_count    (PbDbStmt     *stmt);
const char    *pb_db_column_name     (PbDbStmt     *stmt,
                                      int           column);
PbDbKind       pb_db_column_kind     (PbDbStmt     *stmt,
                                      int           column);

gint64         pb_db_now_ms          (void);
/* RFC 3339 UTC with milliseconds, e.g. 2026-11-28T21:22:55.123Z */
char          *pb_db_format_time     (gint64        ms);
/* Appends pb_db_format_time (@ms). */
void           pb_db_append_time     (GString      *out,
                                      gint64        ms);
/* FALSE when @text is not an RFC 3339 time. */
gboolean       pb_db_parse_time      (const char   *text,
                                      gint64       *out_ms);

char          *pb_db_new_id          (const char   *prefix);

gboolean       pb_db_is_plan         (const char   *plan);
/* (transfer none) the categories of @plan (NULL-terminated). */
const char * const *pb_db_plan_categories (const char *plan);

char          *pb_db_create_project  (PbDb         *db,
                                      const char   *name,
                                      const char   *plan,
                                      const char   *region,
                                      GError      **error);
/* Returns the key; only a salted hash of it is stored. */
char          *pb_db_create_key      (PbDb         *db,
                                      const char   *project_id,
                                      const char   *role,
                                      GError      **error);
/* The id part of an API key (not secret: it names the key in status reasons); NULL when @key
 * is not shaped like one. */
char          *pb_db_key_id          (const char   *key);
/* FALSE when the key is unknown. Compares hashes in constant time. *@out_plan is the plan
 * of the key's project, NULL if the project is gone. */
gboolean       pb_db_check_key       (PbDb         *db,
                                      const char   *key,
                                      char        **out_project_id,
                                      char        **out_role,
                                      char        **out_plan);
gboolean       pb_db_get_project     (PbDb         *db,
                                      const char   *project_id,
                                      char        **out_name,
                                      char        **out_plan,
                                      char        **out_region);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbDb, pb_db_close)

/* After this, @db keeps the process's write turn from pb_db_begin() past COMMIT or ROLLBACK,
 * until pb_db_end_writes() (which also rolls back what is still open): a server thread keeps it
 * until the request's answer is on its way, so answers to changes leave in commit order. */
void          pb_db_hold_writes          (PbDb *db);
void          pb_db_end_writes           (PbDb *db);

gboolean      pb_db_has_projects         (PbDb *db);
/* Whether the database holds values encrypted with its key file. */
gboolean      pb_db_has_encrypted_values (PbDb *db);

/* Counts one event named @name in the database's fixed window of @window_ms shared by every
 * server on it; 0 while under @limit, else the seconds until the window ends. PostgreSQL only
 * (the servers of an SQLite file count in memory, pb-server-guard.c). */
guint         pb_db_count_in_window      (PbDb       *db,
                                          const char *name,
                                          guint       limit,
                                          gint64      window_ms);

G_END_DECLS
