/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PbStore: the offline wiring: the replica, the outbox, the sync and its signals. */
#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include "pb-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-core.h"
#include "pb-store-error.h"
#include "pb-store-private.h"
#include "pb-offline.h"

/* Offline: the replica, the outbox and the sync */

typedef struct
{
  PbSecrets *secrets;
  char *backend;
  char *project_id;
} KeyringLookup;

static void
keyring_lookup_free (gpointer data)
{
  KeyringLookup *lookup = data;

  g_clear_object (&lookup->secrets);
  g_free (lookup->backend);
  g_free (lookup->project_id);
  g_free (lookup);
}

typedef struct
{
  KeyringLookup *lookup;
  char *integration_id;
  GStrv fields;
  guint next;
  GHashTable *values;
} KeyringLookupRun;

static void
keyring_lookup_run_free (gpointer data)
{
  KeyringLookupRun *run = data;

  g_free (run->integration_id);
  g_strfreev (run->fields);
  g_clear_pointer (&run->values, g_hash_table_unref);
  g_free (run);
}

static void keyring_lookup_next (GTask *task);

static void
on_keyring_looked_up_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KeyringLookupRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *value = pb_secrets_lookup_finish (PB_SECRETS (source), result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (value != NULL)
    {
      g_hash_table_insert (run->values, g_strdup (run->fields[run->next]), g_strdup (value));
      secret_password_free (value);
    }
  run->next++;
  keyring_lookup_next (g_steal_pointer (&task));
}

static void
keyring_lookup_next (GTask *task)
{
  KeyringLookupRun *run = g_task_get_task_data (task);

  if (run->fields[run->next] == NULL)
    {
      g_task_return_pointer (task, g_hash_table_ref (run->values),
                             (GDestroyNotify) g_hash_table_unref);
      g_object_unref (task);
      return;
    }
  pb_secrets_lookup_async (run->lookup->secrets, run->lookup->backend, run->lookup->project_id,
                           run->integration_id, run->fields[run->next],
                           g_task_get_cancellable (task), on_keyring_looked_up_cb, task);
}

static void
keyring_lookup_async (gpointer             user_data,
                      const char          *integration_id,
                      const char * const  *fields,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             callback_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, callback_data);
  KeyringLookupRun *run = g_new0 (KeyringLookupRun, 1);

  g_task_set_source_tag (task, keyring_lookup_async);
  run->lookup = user_data;
  run->integration_id = g_strdup (integration_id);
  run->fields = g_strdupv ((char **) fields);
  run->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pb_store_wipe_free);
  g_task_set_task_data (task, run, keyring_lookup_run_free);
  keyring_lookup_next (task);
}

static GHashTable *
keyring_lookup_finish (gpointer       user_data,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pb_store_use_keyring_for_sync (PbSync     *sync,
                               PbSecrets  *secrets,
                               const char *backend,
                               const char *project_id)
{
  static const PbSyncSecretLookup keyring_lookup = { keyring_lookup_async,
                                                     keyring_lookup_finish };
  KeyringLookup *lookup;

  g_return_if_fail (PB_IS_SYNC (sync));
  g_return_if_fail (PB_IS_SECRETS (secrets));

  lookup = g_new0 (KeyringLookup, 1);
  lookup->secrets = g_object_ref (secrets);
  lookup->backend = g_strdup (backend);
  lookup->project_id = g_strdup (project_id);
  pb_sync_set_secret_lookup (sync, &keyring_lookup, lookup, keyring_lookup_free);
}

static void
on_outbox_notify_cb (GObject    *outbox,
                     GParamSpec *pspec,
                     PbStore    *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_N_PENDING]);
}

static void
on_sync_notify_cb (GObject    *sync,
                   GParamSpec *pspec,
                   PbStore    *self)
{
  if (g_str_equal (pspec->name, "reachable"))
    {
      if (pb_sync_get_reachable (self->sync))
        pb_store_set_online (self, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_REACHABLE]);
    }
  else if (g_str_equal (pspec->name, "state"))
    {
      if (pb_sync_get_state (self->sync) == PB_SYNC_STATE_OFFLINE)
        pb_store_set_online (self, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_SYNC_STATE]);
    }
}

static gpointer
copy_ref (gconstpointer src,
          gpointer      data)
{
  return g_object_ref ((gpointer) src);
}

static void
on_sync_synced_cb (PbSync   *sync,
                   gboolean  refreshed,
                   PbStore  *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  pb_store_set_online (self, TRUE);
  /* Nothing sent and nothing refetched: the models already show what the backend has, and
   * the replica does once the store's own snapshot is written (then "synced"). */
  if (!refreshed)
    {
      if (self->snapshots_saving > 0)
        self->synced_deferred = TRUE;
      else
        g_signal_emit (self, pb_store_signals[PB_STORE_SIGNAL_SYNCED], 0);
      return;
    }
  project = pb_replica_load_project (self->replica, &error);
  if (project != NULL && self->project != NULL && !pb_store_same_project (self->project, project))
    {
      g_set_object (&self->project, project);
      pb_store_update_availability (self);
      g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_PROJECT]);
    }
  /* What the sync fetched and wrote, rather than all of it read back (20,000: ~140 ms and
   * as many objects again). The store's own copy of the array: it changes it. */
  if (pb_sync_get_refreshed_integrations (sync) != NULL)
    pb_store_replace_base (self, g_ptr_array_copy (pb_sync_get_refreshed_integrations (sync),
                                                   copy_ref, NULL));
  else
    pb_store_reload_base_from_replica (self);
  pb_store_recompute_view (self);
  pb_store_update_last_refresh (self);
  g_signal_emit (self, pb_store_signals[PB_STORE_SIGNAL_SYNCED], 0);
}

/* Opens the replica, the outbox and the sync once the project id is known. */
gboolean
pb_store_ensure_offline (PbStore  *self,
                         GError  **error)
{
  g_autoptr(PbReplica) replica = NULL;
  g_autoptr(PbOutbox) outbox = NULL;

  if (self->replica != NULL)
    return TRUE;
  if (self->project_id == NULL)
    return TRUE;   /* not yet: after the first load */

  replica = pb_replica_open (self->backend, self->project_id, error);
  if (replica == NULL)
    return FALSE;
  outbox = pb_outbox_new (replica, error);
  if (outbox == NULL)
    return FALSE;

  self->replica = g_steal_pointer (&replica);
  self->outbox = g_steal_pointer (&outbox);
  self->sync = pb_sync_new (self->client, self->outbox);
  pb_store_use_keyring_for_sync (self->sync, self->secrets, self->backend, self->project_id);

  g_signal_connect_object (self->outbox, "notify::n-items", G_CALLBACK (on_outbox_notify_cb),
                           self, 0);
  g_signal_connect_object (self->sync, "notify", G_CALLBACK (on_sync_notify_cb), self, 0);
  g_signal_connect_object (self->sync, "acknowledged",
                           G_CALLBACK (pb_store_on_sync_acknowledged_cb), self, 0);
  g_signal_connect_object (self->sync, "refused", G_CALLBACK (pb_store_on_sync_refused_cb),
                           self, 0);
  g_signal_connect_object (self->sync, "conflict", G_CALLBACK (pb_store_on_sync_conflict_cb),
                           self, 0);
  g_signal_connect_object (self->sync, "synced", G_CALLBACK (on_sync_synced_cb), self, 0);

  g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_N_PENDING]);
  return TRUE;
}

void
pb_store_start_sync (PbStore *self)
{
  if (self->sync == NULL || self->sync_started)
    return;
  self->sync_started = TRUE;
  pb_sync_start (self->sync);
}

/* Public offline API */

static gboolean
check_sync (PbStore  *self,
            GError  **error)
{
  if (self->sync != NULL)
    return TRUE;
  g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_LOADED,
                       _("The project is not loaded yet; try again in a moment."));
  return FALSE;
}

gboolean
pb_store_get_online (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  return self->online;
}

gboolean
pb_store_get_reachable (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  return self->sync != NULL ? pb_sync_get_reachable (self->sync) : self->online;
}

PbSyncState
pb_store_get_sync_state (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), PB_SYNC_STATE_IDLE);
  return self->sync != NULL ? pb_sync_get_state (self->sync) : PB_SYNC_STATE_IDLE;
}

PbSync *
pb_store_get_sync (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return self->sync;
}

PbReplica *
pb_store_get_replica (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return self->replica;
}

GDateTime *
pb_store_get_last_refresh (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return self->last_refresh;
}

guint
pb_store_get_n_pending (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), 0);
  return self->outbox != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->outbox)) : 0;
}

GListModel *
pb_store_get_pending (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  if (self->outbox != NULL)
    return G_LIST_MODEL (self->outbox);
  if (self->no_pending == NULL)
    self->no_pending = g_list_store_new (PB_TYPE_OUTBOX_ENTRY);
  return G_LIST_MODEL (self->no_pending);
}

gboolean
pb_store_is_pending (PbStore    *self,
                     const char *integration_id)
{
  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  return self->outbox != NULL && integration_id != NULL &&
         pb_outbox_has_entries_for (self->outbox, integration_id);
}

void
pb_store_sync_now (PbStore *self)
{
  g_return_if_fail (PB_IS_STORE (self));
  if (self->sync == NULL)
    return;
  pb_store_start_sync (self);
  pb_sync_now (self->sync);
}

gboolean
pb_store_resolve_keep_mine (PbStore  *self,
                            gint64    seq,
                            GError  **error)
{
  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  if (!check_sync (self, error) || !pb_sync_resolve_keep_mine (self->sync, seq, error))
    return FALSE;
  pb_store_reload_base_from_replica (self);
  pb_store_recompute_view (self);
  return TRUE;
}

gboolean
pb_store_resolve_keep_theirs (PbStore  *self,
                              gint64    seq,
                              GError  **error)
{
  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  if (!check_sync (self, error) || !pb_sync_resolve_keep_theirs (self->sync, seq, error))
    return FALSE;
  pb_store_reload_base_from_replica (self);
  pb_store_recompute_view (self);
  return TRUE;
}

gboolean
pb_store_resolve_edit (PbStore             *self,
                       gint64               seq,
                       JsonObject          *payload,
                       const char * const  *secret_fields,
                       GError             **error)
{
  g_autoptr(JsonObject) copy = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  if (!check_sync (self, error))
    return FALSE;
  copy = pb_store_copy_json_object (payload);
  if (!pb_sync_resolve_edit (self->sync, seq, copy, secret_fields, error))
    return FALSE;
  pb_store_reload_base_from_replica (self);
  pb_store_recompute_view (self);
  return TRUE;
}

PbIntegration *
pb_store_preview_change (PbStore       *self,
                         PbOutboxEntry *entry,
                         PbIntegration *theirs)
{
  GListModel *connectors_model;
  g_autoptr(GPtrArray) connectors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) base = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListStore) entries = g_list_store_new (PB_TYPE_OUTBOX_ENTRY);
  g_autoptr(GPtrArray) view = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (entry), NULL);
  g_return_val_if_fail (theirs == NULL || PB_IS_INTEGRATION (theirs), NULL);

  connectors_model = pb_store_get_connectors (self);
  for (guint i = 0; i < g_list_model_get_n_items (connectors_model); i++)
    g_ptr_array_add (connectors, g_list_model_get_item (connectors_model, i));
  if (theirs != NULL)
    g_ptr_array_add (base, g_object_ref (theirs));
  g_list_store_append (entries, entry);

  view = pb_overlay_apply (base, G_LIST_MODEL (entries), connectors);
  for (guint i = 0; i < view->len; i++)
    if (g_strcmp0 (pb_integration_get_id (g_ptr_array_index (view, i)),
                   pb_outbox_entry_get_integration_id (entry)) == 0)
      return g_object_ref (g_ptr_array_index (view, i));
  return NULL;
}
