/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files of PbSync (pb-sync.c, pb-sync-replay.c, pb-sync-probe.c). Not for the
 * store or the UI. */

#include "pb-sync.h"

G_BEGIN_DECLS

struct _PbSync
{
  GObject parent_instance;

  PbClient *client;
  PbOutbox *outbox;

  PbSyncSecretLookup lookup;
  gboolean has_lookup;
  gpointer lookup_data;
  GDestroyNotify lookup_destroy;

  guint min_backoff_ms;
  guint max_backoff_ms;
  guint backoff_ms;

  PbSyncState state;
  gboolean reachable;
  char *last_error;

  gboolean started;
  GNetworkMonitor *network_monitor;   /* watched when started; NULL: the default one */
  GNetworkMonitor *monitor;
  gulong network_changed_id;
  guint probe_source;
  guint probe_delay_ms;        /* of the scheduled probe, 0 when none */
  gboolean probing;
  GCancellable *cancellable;   /* probes and replays; cancelled by stop and dispose */

  gboolean running;
  GPtrArray *waiting;          /* GTasks of pb_sync_run_async() joined to the replay */

  gboolean replica_fresh;      /* the replica holds what the backend has: nothing to refetch */
  gboolean refreshed_in_run;   /* this replay refetched the replica */
  PbIntegrationChanges *refreshed;  /* what it wrote, for the "synced" handlers; then dropped */
};

/* State (pb-sync.c). */
void     pb_sync_set_state         (PbSync        *self,
                                    PbSyncState    state);
void     pb_sync_set_reachable     (PbSync        *self,
                                    gboolean       reachable);
void     pb_sync_set_last_error    (PbSync        *self,
                                    const char    *message);
void     pb_sync_cancel_probe      (PbSync        *self);
void     pb_sync_schedule_probe    (PbSync        *self);
gboolean pb_sync_is_transient      (const GError  *error);
void     pb_sync_finish_run        (PbSync        *self,
                                    GError        *error);
void     pb_sync_start_run         (PbSync        *self);
void     pb_sync_emit_acknowledged (PbSync        *self,
                                    PbOutboxEntry *entry,
                                    PbIntegration *answer);
void     pb_sync_emit_conflict     (PbSync        *self,
                                    PbOutboxEntry *entry,
                                    JsonObject    *current);
void     pb_sync_emit_refused      (PbSync        *self,
                                    PbOutboxEntry *entry,
                                    const char    *message);

/* The replay (pb-sync-replay.c). */
void     pb_sync_run_next          (PbSync        *self);

/* Reachability (pb-sync-probe.c). */
void     pb_sync_probe_now         (PbSync        *self);

G_END_DECLS
