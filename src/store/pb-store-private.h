/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pb-store-internal.h"

G_BEGIN_DECLS

/* A deep copy of @object (json_node_copy() only references objects and arrays, so a copy
 * made with it shares, and sees every change to, the original). NULL gives an empty
 * object. */
JsonObject *pb_store_copy_json_object (JsonObject *object);

/* Pages are saved to @replica after they arrive, and read from it when the backend cannot
 * be reached (nullable: no cache). */
void        pb_paged_model_set_replica (PbPagedModel *self,
                                        PbReplica    *replica);

/* The longest credential value the server takes (api.md: 8 KiB). */
#define PB_STORE_MAX_SECRET_BYTES 8192

/* PbStore is one object in four files: pb-store.c (the object, its getters, secrets for the
 * editor, paged models), pb-store-models.c (the models and loading them),
 * pb-store-offline.c (the replica, the outbox, the sync and its signals) and
 * pb-store-apply.c (applying operations through the outbox). */

struct _PbStore
{
  GObject parent_instance;

  PbClient *client;
  PbSecrets *secrets;
  char *backend;
  char *project_id;
  PbProject *project;
  gboolean loaded;

  GListStore *connectors;    /* PbConnector */
  GListStore *categories;    /* PbCategory */
  GListStore *integrations;  /* PbIntegration, sorted (compare_integrations) */

  /* Offline: opened once the project id is known. */
  PbReplica *replica;
  PbOutbox *outbox;
  PbSync *sync;
  gboolean sync_started;
  guint snapshots_saving;        /* the store's own snapshots being written */
  gboolean synced_deferred;      /* "synced" waits for them */
  gboolean online;
  guint refresh_interval;        /* seconds between refreshes while online */
  guint refresh_source;
  GDateTime *last_refresh;
  GPtrArray *base_connectors;    /* PbConnector, as the server (or the replica) gave them */
  GPtrArray *base_integrations;  /* PbIntegration, the server's state (or the replica's) */
  GPtrArray *view;               /* PbIntegration, base + queued changes (overlay) */
  GHashTable *waiting;           /* seq (gint64 *) → GTask of an apply waiting for the sync */
  PbReplicaCache *preloaded;     /* the replica read at start-up, for the first load */
  GListStore *no_pending;        /* the empty pending list before the outbox exists */
};

enum {
  PB_STORE_PROP_0,
  PB_STORE_PROP_PROJECT,
  PB_STORE_PROP_LOADED,
  PB_STORE_PROP_ONLINE,
  PB_STORE_PROP_REACHABLE,
  PB_STORE_PROP_SYNC_STATE,
  PB_STORE_PROP_LAST_REFRESH,
  PB_STORE_PROP_N_PENDING,
  PB_STORE_N_PROPS
};

enum {
  PB_STORE_SIGNAL_APPLIED,
  PB_STORE_SIGNAL_CONFLICT,
  PB_STORE_SIGNAL_REFUSED,
  PB_STORE_SIGNAL_SYNCED,
  PB_STORE_N_SIGNALS
};

extern GParamSpec *pb_store_properties[PB_STORE_N_PROPS];
extern guint pb_store_signals[PB_STORE_N_SIGNALS];

/* pb-store.c: frees a string after overwriting it (a credential value). */
void     pb_store_wipe_free               (gpointer   data);

/* pb-store-models.c */
void     pb_store_update_counts           (PbStore   *self);
void     pb_store_update_availability     (PbStore   *self);
/* The integrations model follows base + queued changes. */
void     pb_store_recompute_view          (PbStore   *self);
void     pb_store_reload_base_from_replica (PbStore  *self);
void     pb_store_replace_base     (PbStore       *self,
                                    GPtrArray     *integrations);
/* The server's state changed by @changes (a whole list replaces it; transfer none); FALSE
 * when that changed nothing. */
gboolean pb_store_apply_base_changes (PbStore                    *self,
                                      const PbIntegrationChanges *changes);
void     pb_store_set_connectors   (PbStore       *self,
                                    GPtrArray     *connectors);
void     pb_store_unique_by_id     (GPtrArray     *integrations);
gboolean pb_store_same_project            (PbProject *a,
                                           PbProject *b);
void     pb_store_set_online              (PbStore   *self,
                                           gboolean   online);
void     pb_store_update_last_refresh     (PbStore   *self);

/* pb-store-offline.c */
gboolean pb_store_ensure_offline          (PbStore   *self,
                                           GError   **error);
void     pb_store_start_sync              (PbStore   *self);

/* pb-store-apply.c: the sync's answers to queued changes. */
void     pb_store_on_sync_acknowledged_cb (PbSync        *sync,
                                           PbOutboxEntry *entry,
                                           PbIntegration *answer,
                                           PbStore       *self);
void     pb_store_on_sync_refused_cb      (PbSync        *sync,
                                           PbOutboxEntry *entry,
                                           const char    *message,
                                           PbStore       *self);
void     pb_store_on_sync_conflict_cb     (PbSync        *sync,
                                           PbOutboxEntry *entry,
                                           JsonObject    *theirs,
                                           PbStore       *self);

/* The secret lookup PbStore gives its PbSync: the values of a queued change come from
 * @secrets (the keyring) for one backend and project. Tests wire their own PbSync with it. */
void     pb_store_use_keyring_for_sync    (PbSync     *sync,
                                           PbSecrets  *secrets,
                                           const char *backend,
                                           const char *project_id);

G_END_DECLS
