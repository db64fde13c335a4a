/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

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

PbDb          *pb_db_open            (const char   *path,
                                      GError      **error);
void           pb_db_close           (PbDb         *db);
/* Moves WAL checkpoints to a background thread (for a long-running server). */
void           pb_db_start_checkpointer (PbDb      *db);
sqlite3       *pb_db_handle          (PbDb         *db);
const char    *pb_db_path            (PbDb         *db);

/* A cached prepared statement, reset and with its bindings cleared. */
sqlite3_stmt  *pb_db_stmt            (PbDb         *db,
                                      const char   *sql);
gboolean       pb_db_exec            (PbDb         *db,
                                      const char   *sql,
                                      GError      **error);
/* BEGIN IMMEDIATE: one writer at a time, even across processes. */
gboolean       pb_db_begin           (PbDb         *db,
                                      GError      **error);
gboolean       pb_db_commit          (PbDb         *db,
                                      GError      **error);
void           pb_db_rollback        (PbDb         *db);
void           pb_db_set_error       (PbDb         *db,
                                      GError      **error);
/* Steps a statement that returns no rows; FALSE with @error on failure. */
gboolean       pb_db_step_done       (PbDb         *db,
                                      sqlite3_stmt *stmt,
                                      GError      **error);

void           pb_db_bind_text       (sqlite3_stmt *stmt,
                                      int           index,
                                      const char   *text);
const char    *pb_db_column_text     (sqlite3_stmt *stmt,
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
/* FALSE when the key is unknown. Compares hashes in constant time. */
gboolean       pb_db_check_key       (PbDb         *db,
                                      const char   *key,
                                      char        **out_project_id,
                                      char        **out_role);
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

/* Whether the database holds values encrypted with its key file. */
gboolean      pb_db_has_encrypted_values (PbDb *db);

G_END_DECLS
