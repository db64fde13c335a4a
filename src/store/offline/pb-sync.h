/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-api.h"
#include "pb-outbox.h"
#include "pb-sync-state.h"

G_BEGIN_DECLS

/**
 * PbSyncSecretLookup:
 * @lookup_async: read the values of @fields of @integration_id from the keyring
 * @lookup_finish: (transfer full): field → value (a table that wipes its values when freed
 *   is best); a field the keyring lacks is simply not in the table
 *
 * How the sync gets credential values when it sends a change: the store provides this
 * (with PbSecrets, for its backend and project); the offline layer never links libsecret.
 * Values live only in the request being sent and are wiped after it was serialised.
 */
typedef struct
{
  void        (*lookup_async)  (gpointer             user_data,
                                const char          *integration_id,
                                const char * const  *fields,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             callback_data);
  GHashTable *(*lookup_finish) (gpointer             user_data,
                                GAsyncResult        *result,
                                GError             **error);
} PbSyncSecretLookup;

#define PB_SYNC_DEFAULT_MIN_BACKOFF_MS 1000
/* A replay starts at most this long after the backend answers again. */
#define PB_SYNC_DEFAULT_MAX_BACKOFF_MS 10000

#define PB_TYPE_SYNC (pb_sync_get_type ())
G_DECLARE_FINAL_TYPE (PbSync, pb_sync, PB, SYNC, GObject)

/*
 * PbSync: replays the outbox against the backend, in queue order, one request at a time,
 * with If-Match (the entry's base version). An entry leaves the queue only when the server
 * acknowledged it (the answer goes into the replica in the same transaction).
 *
 * - cannot reach the backend (PB_API_ERROR_UNREACHABLE): stop, state OFFLINE, probe
 *   (GET /project) after 1 s, 2 s, 4 s … up to 10 s, and at once when GNetworkMonitor says
 *   the network changed; when the probe answers, replay by itself. Whoever else finds the
 *   backend out of reach or back (the store's own load) says so with
 *   pb_sync_report_unreachable() / pb_sync_report_reachable(): while started and offline,
 *   a probe is always scheduled or under way;
 * - 412: the entry is paused as a conflict ("conflict" signal, with the server's version)
 *   and the replay goes on with entries of other integrations;
 * - another 4xx: the entry is kept as refused ("refused" signal, with the server's sentence)
 *   and the replay goes on with entries of other integrations;
 * - a change sent twice (the process died after the server took it and before the
 *   acknowledgement was written) is recognised: a repeated create gets 200, a repeated
 *   delete 404, a repeated update 412 with a current version that already holds every value
 *   of the change: each is taken as an acknowledgement, not as a conflict.
 * After a replay with nothing left to send, the replica is refreshed (project and
 * integrations) and "synced" is emitted — unless nothing was sent since the replica was last
 * filled from the backend (pb_sync_mark_replica_fresh()), then "synced" comes without a refetch.
 *
 * Signals:
 * - acknowledged (PbOutboxEntry *entry, PbIntegration *answer or NULL for a delete)
 * - conflict (PbOutboxEntry *entry (in conflict, holding the server's version), JsonObject *theirs)
 * - refused (PbOutboxEntry *entry (refused), const char *message)
 * - synced (gboolean refreshed: the replica was refetched from the backend by this replay)
 */

PbSync       *pb_sync_new                 (PbClient                  *client,
                                           PbOutbox                  *outbox);
PbClient     *pb_sync_get_client          (PbSync                    *self);
PbOutbox     *pb_sync_get_outbox          (PbSync                    *self);
void          pb_sync_set_secret_lookup   (PbSync                    *self,
                                           const PbSyncSecretLookup  *lookup,
                                           gpointer                   user_data,
                                           GDestroyNotify             destroy);
void          pb_sync_set_backoff         (PbSync                    *self,
                                           guint                      min_ms,
                                           guint                      max_ms);

/* The network monitor whose "network-changed" makes a sync that is offline or failed probe
 * at once (before pb_sync_start(); NULL, the default: g_network_monitor_get_default()). */
void          pb_sync_set_network_monitor (PbSync                    *self,
                                           GNetworkMonitor           *monitor);

PbSyncState   pb_sync_get_state           (PbSync                    *self);
gboolean      pb_sync_get_reachable       (PbSync                    *self);
/* (nullable): why the last replay stopped, a sentence for a person */
const char   *pb_sync_get_last_error      (PbSync                    *self);
/* Milliseconds until the next probe ("probe-delay", notified each time one is scheduled),
 * 0 when none is scheduled. */
guint         pb_sync_get_probe_delay     (PbSync                    *self);

/* Watch the network and probe/replay by itself from now on (probes at once). */
void          pb_sync_start               (PbSync                    *self);
void          pb_sync_stop                (PbSync                    *self);
/* "Sync now": forget the backoff and probe/replay at once. */
void          pb_sync_now                 (PbSync                    *self);
void          pb_sync_mark_replica_fresh  (PbSync                    *self);
/* Sends what is queued, then asks the backend what changed since the replica's sync token
 * (every integration when it has none) even when nothing was sent: a refresh. */
void          pb_sync_refresh               (PbSync             *self);
/* In a "synced" handler (refreshed TRUE): what the replay fetched and wrote (transfer none):
 * the changes since the replica's sync token, or the whole list. */
PbIntegrationChanges *pb_sync_get_refreshed_changes (PbSync       *self);
/* Another request found the backend out of reach (@error): offline, probing with backoff. */
void          pb_sync_report_unreachable  (PbSync                    *self,
                                           const GError              *error);
/* Another request was answered: a replay that waits for a probe (offline, failed, or
 * changes queued meanwhile) starts now. */
void          pb_sync_report_reachable    (PbSync                    *self);

/* One replay: sends every sendable entry, then refreshes the replica. FALSE with the error
 * that stopped it (PB_API_ERROR_UNREACHABLE when offline). A second call while one runs
 * joins it (both complete together). */
void          pb_sync_run_async           (PbSync                    *self,
                                           GCancellable              *cancellable,
                                           GAsyncReadyCallback        callback,
                                           gpointer                   user_data);
gboolean      pb_sync_run_finish          (PbSync                    *self,
                                           GAsyncResult              *result,
                                           GError                   **error);

/* Conflict resolutions (then a replay starts when started):
 * keep mine: re-send the change on top of the server's version; */
gboolean      pb_sync_resolve_keep_mine   (PbSync                    *self,
                                           gint64                     seq,
                                           GError                   **error);
/* keep theirs: drop the change; the server's version stays; */
gboolean      pb_sync_resolve_keep_theirs (PbSync                    *self,
                                           gint64                     seq,
                                           GError                   **error);
/* edit: the UI took the entry (pb_outbox_lookup(): its payload and the server's version in
 * pb_outbox_entry_get_current()), let the admin edit it, and re-queues it here, on top of
 * the server's version, at the same place in the queue. Also for a refused entry. */
gboolean      pb_sync_resolve_edit        (PbSync                    *self,
                                           gint64                     seq,
                                           JsonObject                *payload,
                                           const char * const        *secret_fields,
                                           GError                   **error);

G_END_DECLS
