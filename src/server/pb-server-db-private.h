/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-server-db.h"

G_BEGIN_DECLS

/* What each storage engine implements (pb-server-db-sqlite.c, pb-server-db-postgresql.c);
 * pb-server-db.c holds what they share. */
typedef struct
{
  PbDbEngine   engine;
  /* Fills the engine's part of @db (allocated with the engine's size) from @target. */
  gboolean    (*open)          (PbDb *db, const char *target, GError **error);
  void        (*close)         (PbDb *db);
  gboolean    (*exec)          (PbDb *db, const char *sql, GError **error);
  PbDbStmt   *(*prepare)       (PbDb *db, const char *sql);
  void        (*finalize)      (PbDbStmt *stmt);
  /* Resets @stmt to run again (with the same bindings); clear_bindings forgets them. */
  void        (*reset)         (PbDbStmt *stmt);
  void        (*clear_bindings) (PbDbStmt *stmt);
  PbDbStep    (*step)          (PbDbStmt *stmt);
  void        (*bind_text)     (PbDbStmt *stmt, int index, const char *text);
  void        (*bind_int64)    (PbDbStmt *stmt, int index, gint64 value);
  void        (*bind_blob)     (PbDbStmt *stmt, int index, const void *data, gsize size);
  void        (*bind_null)     (PbDbStmt *stmt, int index);
  const char *(*column_text)   (PbDbStmt *stmt, int column);
  gint64      (*column_int64)  (PbDbStmt *stmt, int column);
  const void *(*column_blob)   (PbDbStmt *stmt, int column, gsize *out_size);
  gboolean    (*column_is_null) (PbDbStmt *stmt, int column);
  int         (*column_count)  (PbDbStmt *stmt);
  const char *(*column_name)   (PbDbStmt *stmt, int column);
  PbDbKind    (*column_kind)   (PbDbStmt *stmt, int column);
  /* The SQL that starts a write transaction and takes the database's write turn; a read one. */
  const char  *begin_write_sql;
  const char  *write_turn_sql;   /* NULL: BEGIN takes it */
  const char  *begin_read_sql;
  gboolean    (*in_transaction) (PbDb *db);
  /* The last failure: its message, and whether another writer was in the way. */
  const char *(*error_message) (PbDb *db);
  gboolean    (*error_is_busy) (PbDb *db);
  guint       (*count_in_window) (PbDb *db, const char *name, guint limit, gint64 window_ms);
} PbDbOps;

struct _PbDb
{
  const PbDbOps *ops;
  char          *target;
  char          *name;
  GHashTable    *stmts;          /* SQL text (static) → PbDbStmt */
  gboolean       writing;        /* holds the process's write turn */
  gboolean       hold_writes;    /* keeps it after COMMIT until pb_db_end_writes() */
  gpointer       engine_data;
};

struct _PbDbStmt
{
  PbDb *db;
};

extern const PbDbOps pb_db_sqlite_ops;
extern const PbDbOps pb_db_postgresql_ops;

/* The schema of a new database (pb-server-migrate.c). */
gboolean pb_schema_create_if_empty (PbDb *db, GError **error);

G_END_DECLS
