/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For PbOutbox, which shares the replica's database, and for the replica's own split files
 * (pb-replica-snapshot.c, pb-replica-pages.c). Not for the store or the UI. */

#include <sqlite3.h>

#include "pb-replica.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

sqlite3_stmt *pb_replica_prepare       (PbReplica     *self,
                                        const char    *sql,
                                        GError       **error);
gboolean      pb_replica_step_done     (PbReplica     *self,
                                        sqlite3_stmt  *stmt,
                                        GError       **error);
gboolean      pb_replica_exec          (PbReplica     *self,
                                        const char    *sql,
                                        GError       **error);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
gboolean      pb_replica_begin         (PbReplica     *self,
                                        GError       **error);
gboolean      pb_replica_commit        (PbReplica     *self,
                                        GError       **error);
void          pb_replica_rollback      (PbReplica     *self);
void          pb_replica_set_db_error  (PbReplica     *self,
                                        GError       **error);
/* Counts the writes of the project, connectors and integrations (meta 'generation'): each
 * of them runs this inside its transaction. */
#define PB_REPLICA_BUMP_GENERATION_SQL \
  "INSERT INTO meta (key, value) VALUES ('generation', 1)" \
  " ON CONFLICT (key) DO UPDATE SET value = CAST (value AS INTEGER) + 1"
#define PB_REPLICA_GENERATION_SQL \
  "SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'generation'"

/* Inside a transaction the caller holds (both count as a write: see above). */
gboolean      pb_replica_put_integration_json (PbReplica  *self,
                                               JsonObject *integration,
                                               GError    **error);
gboolean      pb_replica_delete_integration_row (PbReplica  *self,
                                                 const char *id,
                                                 GError    **error);
/* The replica's own connection; only on the thread that opened it. */
sqlite3      *pb_replica_get_db        (PbReplica     *self);
/* Warns when called from a thread that did not open the replica. */
void          pb_replica_check_thread  (PbReplica     *self);
/* Binds @text, or NULL, at @index; FALSE if SQLite refused. */
gboolean      pb_replica_bind_text     (sqlite3_stmt  *stmt,
                                        int            index,
                                        const char    *text);
/* Compact JSON text of @object; NULL for NULL. */
char         *pb_replica_object_to_text (JsonObject   *object);
/* Text of a column, NULL for NULL. */
const char   *pb_replica_column_text   (sqlite3_stmt  *stmt,
                                        int            column);

G_END_DECLS
