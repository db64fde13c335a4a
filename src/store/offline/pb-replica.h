/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pb-api.h"
#include "pb-offline-error.h"

G_BEGIN_DECLS

/*
 * PbReplica: the last known state of one project of one backend, in a SQLite database of its
 * own under $XDG_DATA_HOME/plugboard/ (the file name is a hash of the backend URL and the
 * project id). It holds the project, the connectors, the integrations (as the API sends
 * them: credential hints, never values), the last pages of linked accounts and logs per
 * query, the time of the last successful refresh, and the outbox (see PbOutbox), which
 * shares its database so that an acknowledgement and the integration it returned are
 * written in one transaction.
 *
 * Every write is one transaction (WAL journal, synchronous=FULL): a crash at any point
 * leaves the last committed state. One connection, used on the thread that opened the
 * replica only (the main thread in the app). Writes are small (an append: a few ms, the demo's
 * snapshot of 140 connectors and 18 integrations: ~20 ms); a refresh of a big project goes
 * through pb_replica_save_snapshot_async(), which writes from a worker thread on a second
 * connection of its own (WAL and a busy timeout serialise the two writers).
 *
 * The replica refuses to write an integration whose `secrets` member holds anything but
 * {set, hint, updated_at} objects (PB_OFFLINE_ERROR_SECRET_VALUE), so a value that slipped
 * into a model by mistake cannot reach the disk.
 */

typedef enum
{
  PB_REPLICA_PAGE_ACCOUNTS,
  PB_REPLICA_PAGE_LOGS,
} PbReplicaPageKind;

#define PB_REPLICA_SCHEMA_VERSION     1
/* Pages kept per query, and queries kept per kind (the most recently saved ones). */
#define PB_REPLICA_MAX_PAGES_PER_KEY  8
#define PB_REPLICA_MAX_KEYS_PER_KIND  32

#define PB_TYPE_REPLICA (pb_replica_get_type ())
G_DECLARE_FINAL_TYPE (PbReplica, pb_replica, PB, REPLICA, GObject)

/* $XDG_DATA_HOME/plugboard/replica-<sha256 of the normalised backend URL and project id>.db */
char          *pb_replica_path_for             (const char         *backend,
                                                const char         *project_id);
/* Deletes the replica of @project_id on @backend with SQLite's side files (-wal, -shm,
 * -journal); TRUE also when there was none. Not while it is open. */
gboolean       pb_replica_delete_files         (const char         *backend,
                                                const char         *project_id,
                                                GError            **error);
/* Opens (creating it and its folder when needed) the replica of @project_id on @backend. */
PbReplica     *pb_replica_open                 (const char         *backend,
                                                const char         *project_id,
                                                GError            **error);
PbReplica     *pb_replica_open_path            (const char         *path,
                                                GError            **error);
const char    *pb_replica_get_path             (PbReplica          *self);

/* (transfer full) (nullable): when the last snapshot was saved, NULL when never. */
GDateTime     *pb_replica_get_last_refresh     (PbReplica          *self);

/* Replaces, in one transaction, what is given (a NULL argument keeps what is stored) and
 * sets the time of the last refresh to now. @connectors: (element-type PbConnector),
 * @integrations: (element-type PbIntegration). */
gboolean       pb_replica_save_snapshot        (PbReplica          *self,
                                                PbProject          *project,
                                                GPtrArray          *connectors,
                                                GPtrArray          *integrations,
                                                GError            **error);
/* The same, written by a worker thread on a connection of its own (for big projects). */
void           pb_replica_save_snapshot_async  (PbReplica          *self,
                                                PbProject          *project,
                                                GPtrArray          *connectors,
                                                GPtrArray          *integrations,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
gboolean       pb_replica_save_snapshot_finish (PbReplica          *self,
                                                GAsyncResult       *result,
                                                GError            **error);
/* How many times the project, connectors or integrations were written. */
gint64         pb_replica_get_generation       (PbReplica          *self);
/* pb_replica_save_snapshot_async() only if nothing was written since pb_replica_get_generation()
 * returned @generation (checked in the writing transaction): otherwise nothing is written and
 * the finish function fails with PB_OFFLINE_ERROR_SUPERSEDED. For a copy fetched earlier,
 * which must not replace a newer one. Copies written this way do not count as writes. */
void           pb_replica_save_snapshot_if_unchanged_async (PbReplica          *self,
                                                            gint64              generation,
                                                            PbProject          *project,
                                                            GPtrArray          *connectors,
                                                            GPtrArray          *integrations,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
/* One integration as the server answered it (after a change). */
gboolean       pb_replica_put_integration      (PbReplica          *self,
                                                PbIntegration      *integration,
                                                GError            **error);
gboolean       pb_replica_remove_integration   (PbReplica          *self,
                                                const char         *id,
                                                GError            **error);

/* (transfer full) (nullable): NULL without an error when nothing is stored. */
PbProject     *pb_replica_load_project         (PbReplica          *self,
                                                GError            **error);
/* (transfer full) (element-type PbConnector), in the order saved. */
GPtrArray     *pb_replica_load_connectors      (PbReplica          *self,
                                                GError            **error);
/* (transfer full) (element-type PbIntegration), in the order saved (new ones last). */
GPtrArray     *pb_replica_load_integrations    (PbReplica          *self,
                                                GError            **error);
/* (transfer full) (nullable): NULL without an error when not stored. */
PbIntegration *pb_replica_load_integration     (PbReplica          *self,
                                                const char         *id,
                                                GError            **error);
/* The number of stored integrations per category (an integration counts once in each of
 * its categories). (transfer full) (element-type utf8 guint) values are GUINT_TO_POINTER. */
GHashTable    *pb_replica_count_categories     (PbReplica          *self,
                                                GError            **error);

/* A stable text for the filters of a list query (NULL: no filters), to key pages by. */
char          *pb_replica_query_key            (const PbQuery      *query);
/* Stores page @index (0 = the first) of a query; saving page 0 forgets the later ones. */
gboolean       pb_replica_save_page            (PbReplica          *self,
                                                PbReplicaPageKind   kind,
                                                const char         *query_key,
                                                guint               index,
                                                PbPage             *page,
                                                GError            **error);
/* The stored pages of a query, 0 to the last one stored, joined into one page whose `next`
 * is the last one's (transfer full) (nullable): NULL without an error when none is stored. */
PbPage        *pb_replica_load_pages           (PbReplica          *self,
                                                PbReplicaPageKind   kind,
                                                const char         *query_key,
                                                guint              *out_n_pages,
                                                GError            **error);

/* TRUE when every member of @integration's `secrets` object is an object with only `set`
 * (boolean), `hint` and `updated_at` (strings or null); else PB_OFFLINE_ERROR_SECRET_VALUE. */
gboolean       pb_replica_check_no_secret_values (JsonObject       *integration,
                                                  GError          **error);

G_END_DECLS
