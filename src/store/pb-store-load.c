/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PbStore: loading the models (from the backend, or the replica when it is out of reach)
 * and caching what was loaded. */
#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include "pb-store.h"

#include <glib/gi18n-lib.h>

#include "pb-core.h"
#include "pb-store-error.h"
#include "pb-store-private.h"
#include "pb-offline.h"

/* Load */

/* The project, its connectors and its integrations are asked for at once (the backend
 * answers one while the app parses another); the load completes when all three are in, or
 * at the first failure. */
typedef struct
{
  PbProject *project;
  GPtrArray *connectors;
  PbIntegrationChanges *changes;
  char *sync_token;    /* the models' (asked what changed since), NULL: every integration */
  guint pending;
  gboolean failed;
  gint64 generation;   /* the replica's when the load was asked, -1: not open then */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->project);
  g_clear_pointer (&data->connectors, g_ptr_array_unref);
  g_clear_pointer (&data->changes, pb_integration_changes_free);
  g_free (data->sync_token);
  g_free (data);
}

/* Fills the models from @cache (taken), what the replica held when read at start-up, or from
 * the replica when NULL. FALSE when nothing is cached. */
static gboolean
fill_from_cache (PbStore        *self,
                 PbReplicaCache *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;
  g_autoptr(GPtrArray) connectors = NULL;
  g_autoptr(PbReplicaCache) preloaded = cache;
  gboolean project_changed;

  if (self->replica == NULL)
    return FALSE;
  if (preloaded != NULL)
    {
      project = g_steal_pointer (&preloaded->project);
      connectors = g_steal_pointer (&preloaded->connectors);
    }
  else
    {
      project = pb_replica_load_project (self->replica, &error);
      if (project == NULL)
        {
          if (error != NULL)
            g_warning ("Could not read the cached project: %s", error->message);
          return FALSE;
        }
      connectors = pb_replica_load_connectors (self->replica, &error);
      if (connectors == NULL)
        {
          g_warning ("Could not read the cached connectors: %s", error->message);
          return FALSE;
        }
    }

  pb_store_set_connectors (self, connectors);
  if (preloaded != NULL)
    pb_store_replace_base (self, g_steal_pointer (&preloaded->integrations));
  else
    pb_store_reload_base_from_replica (self);
  if (self->base_integrations == NULL)
    return FALSE;

  project_changed = self->project == NULL;
  if (project_changed)
    g_set_object (&self->project, project);
  pb_store_recompute_view (self);
  pb_store_update_availability (self);
  pb_store_update_last_refresh (self);
  if (project_changed)
    g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_PROJECT]);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_LOADED]);
    }
  return TRUE;
}

/* One of the store's own snapshots is written (or not): a "synced" waiting for them goes. */
static void
snapshot_done (PbStore *self)
{
  g_assert (self->snapshots_saving > 0);
  self->snapshots_saving--;
  if (self->snapshots_saving == 0 && self->synced_deferred)
    {
      self->synced_deferred = FALSE;
      g_signal_emit (self, pb_store_signals[PB_STORE_SIGNAL_SYNCED], 0);
    }
}

static void
on_snapshot_saved_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PbStore) self = user_data;
  g_autoptr(GError) error = NULL;

  if (pb_replica_save_snapshot_finish (PB_REPLICA (source), result, &error))
    pb_store_update_last_refresh (self);
  else if (g_error_matches (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_SUPERSEDED))
    g_debug ("%s", error->message);   /* the sync has written something newer meanwhile */
  else
    g_warning ("Could not cache the project: %s", error->message);
  snapshot_done (self);
}

/* The snapshot is written once the window has shown what was loaded: made in a worker
 * thread, it would otherwise take one of the two cores from the first frames. A store that
 * is dropped meanwhile (another project, a reset demo whose files are gone) writes nothing. */
typedef struct
{
  GWeakRef   store;
  PbProject *project;
  GPtrArray *connectors;
  PbIntegrationChanges *changes;
  gint64     generation;
} LaterSnapshot;

static void
later_snapshot_free (gpointer data)
{
  LaterSnapshot *later = data;

  g_weak_ref_clear (&later->store);
  g_clear_object (&later->project);
  g_clear_pointer (&later->connectors, g_ptr_array_unref);
  g_clear_pointer (&later->changes, pb_integration_changes_free);
  g_free (later);
}

static gboolean
save_snapshot_now (gpointer user_data)
{
  LaterSnapshot *later = user_data;
  PbStore *self = g_weak_ref_get (&later->store);   /* the ref goes to the callback */

  if (self == NULL)
    return G_SOURCE_REMOVE;
  if (self->replica != NULL)
    {
      /* Not over what the sync may have written since (an acknowledged change, its own
       * newer refresh): this copy was fetched before. */
      pb_replica_save_changes_async (self->replica, later->generation, later->project,
                                     later->connectors, later->changes, NULL,
                                     on_snapshot_saved_cb, self);
      return G_SOURCE_REMOVE;
    }
  snapshot_done (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
save_snapshot_later (PbStore              *self,
                     gint64                generation,
                     PbProject            *project,
                     GPtrArray            *connectors,
                     PbIntegrationChanges *changes)
{
  LaterSnapshot *later = g_new0 (LaterSnapshot, 1);

  later->generation = generation;
  self->snapshots_saving++;
  g_weak_ref_init (&later->store, self);
  later->project = g_object_ref (project);
  later->connectors = g_ptr_array_ref (connectors);
  later->changes = changes;
  /* Lower than drawing (GDK_PRIORITY_REDRAW), after a little while. */
  g_timeout_add_full (G_PRIORITY_LOW, 300, save_snapshot_now, later, later_snapshot_free);
}

/* The backend could not be reached: the cache, if any, with the "offline" state. */
static void
load_from_cache (GTask  *task,
                 GError *error)
{
  PbStore *self = g_task_get_source_object (task);
  g_autoptr(GError) local_error = NULL;

  if (!pb_store_ensure_offline (self, &local_error))
    g_warning ("Could not open the cache of the project: %s", local_error->message);
  if (fill_from_cache (self, NULL))
    {
      pb_store_set_online (self, FALSE);
      pb_store_start_sync (self);
      /* The sync may not have asked the backend since it went: it probes from now on, and
       * replays by itself when it answers. */
      if (self->sync != NULL)
        pb_sync_report_unreachable (self->sync, error);
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Nothing to show, but the header must not say "Synced". */
  pb_store_set_online (self, FALSE);
  if (self->project_id != NULL || self->replica != NULL)
    g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_OFFLINE_NO_CACHE,
                             _("The backend cannot be reached, and nothing of this project "
                               "is cached on this computer yet (%s)."), error->message);
  else
    g_task_return_error (task, g_error_copy (error));
}

static gboolean
load_failed (GTask  *task,
             GError *error)
{
  if (g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE))
    {
      load_from_cache (task, error);
      return TRUE;
    }
  g_task_return_error (task, g_error_copy (error));
  return TRUE;
}

static void
load_complete (GTask *task)
{
  g_autoptr(GError) error = NULL;
  PbStore *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  PbIntegrationChanges *changes = g_steal_pointer (&data->changes);
  gboolean project_changed;

  project_changed = self->project == NULL || !pb_store_same_project (self->project, data->project);
  if (project_changed)
    g_set_object (&self->project, data->project);
  if (self->project_id == NULL)
    self->project_id = g_strdup (pb_project_get_id (data->project));
  else if (g_strcmp0 (self->project_id, pb_project_get_id (data->project)) != 0)
    g_warning ("The key now belongs to another project on the backend");

  if (!pb_store_ensure_offline (self, &error))
    {
      g_warning ("Could not open the cache of the project: %s", error->message);
      g_clear_error (&error);
    }

  /* The models change by what changed (a delta), or take the whole list. */
  if (changes->full)
    {
      /* Rows equal to the ones shown keep their objects: the models change by what changed. */
      pb_store_replace_base (self, g_ptr_array_ref (changes->integrations));
    }
  else
    {
      pb_store_apply_base_changes (self, changes);
    }

  /* Cached unless the replica was written while the backend was asked (the sync sent a
   * change): then what was fetched may be older than the replica, and the sync refetches at
   * the end of its replay anyway. */
  if (self->replica != NULL
      && (data->generation < 0 || data->generation == pb_replica_get_generation (self->replica)))
    {
      save_snapshot_later (self, pb_replica_get_generation (self->replica), data->project,
                           data->connectors, g_steal_pointer (&changes));
      /* The sync's first replay need not fetch all of this again. */
      if (self->sync != NULL)
        pb_sync_mark_replica_fresh (self->sync);
    }
  g_clear_pointer (&changes, pb_integration_changes_free);

  pb_store_set_connectors (self, data->connectors);
  /* Not the raw server list: queued changes stay applied. */
  pb_store_recompute_view (self);
  pb_store_update_availability (self);
  pb_store_set_online (self, TRUE);

  if (project_changed)
    g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_PROJECT]);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_LOADED]);
    }

  pb_store_start_sync (self);
  /* The backend answers: what was queued while it did not goes now. */
  if (self->sync != NULL)
    pb_sync_report_reachable (self->sync);
  g_task_return_boolean (task, TRUE);
}

/* One of the three answers is in: @value (taken) goes to @slot; the first failure ends the
 * load, the last answer completes it. */
static void
load_part_done (GTask          *task,
                gpointer       *slot,
                gpointer        value,
                GDestroyNotify  value_free,
                GError         *error)
{
  LoadData *data = g_task_get_task_data (task);

  g_assert (data->pending > 0);
  data->pending--;
  if (data->failed)
    {
      g_clear_pointer (&value, value_free);
      return;
    }
  if (value == NULL)
    {
      data->failed = TRUE;
      load_failed (task, error);
      return;
    }
  *slot = value;
  if (data->pending == 0)
    load_complete (task);
}

static void
on_load_integrations_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  LoadData *data = g_task_get_task_data (task);
  PbIntegrationChanges *changes =
    pb_client_list_integration_changes_finish (PB_CLIENT (source), result, &error);

  if (changes == NULL && data->sync_token != NULL
      && g_error_matches (error, PB_API_ERROR, PB_API_ERROR_SYNC_TOKEN_EXPIRED))
    {
      /* The backend no longer knows what changed since: every integration again. */
      g_clear_pointer (&data->sync_token, g_free);
      pb_client_list_integration_changes_async (PB_CLIENT (source), NULL,
                                                g_task_get_cancellable (task),
                                                on_load_integrations_cb,
                                                g_steal_pointer (&task));
      return;
    }
  load_part_done (task, (gpointer *) &data->changes, changes,
                  (GDestroyNotify) pb_integration_changes_free, error);
}

static void
on_load_connectors_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  LoadData *data = g_task_get_task_data (task);
  GPtrArray *connectors =
    pb_client_list_all_connectors_finish (PB_CLIENT (source), result, &error);

  load_part_done (task, (gpointer *) &data->connectors, connectors,
                  (GDestroyNotify) g_ptr_array_unref, error);
}

static void
on_load_project_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  LoadData *data = g_task_get_task_data (task);
  PbProject *project =
    pb_client_get_project_finish (PB_CLIENT (source), result, &error);

  load_part_done (task, (gpointer *) &data->project, project, g_object_unref, error);
}

void
pb_store_load_async (PbStore             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (PB_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_load_async);
  g_task_set_task_data (task, g_new0 (LoadData, 1), (GDestroyNotify) load_data_free);

  data = g_task_get_task_data (task);
  /* The cache at once, while the backend is asked. The replica's token is read before its
   * integrations: a token older than the models only lists some changes again. */
  if (!self->loaded)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PbReplicaCache) preloaded = g_steal_pointer (&self->preloaded);

      if (!pb_store_ensure_offline (self, &error))
        g_warning ("Could not open the cache of the project: %s", error->message);
      else if (preloaded != NULL && self->replica != NULL
               && preloaded->generation == pb_replica_get_generation (self->replica))
        {
          /* Read at start-up off the main thread, and still what the replica holds. */
          data->sync_token = g_steal_pointer (&preloaded->sync_token);
          fill_from_cache (self, g_steal_pointer (&preloaded));
        }
      else
        {
          data->sync_token = self->replica ? pb_replica_get_sync_token (self->replica) : NULL;
          fill_from_cache (self, NULL);
        }
    }
  else if (self->replica != NULL)
    {
      data->sync_token = pb_replica_get_sync_token (self->replica);
    }
  /* Only what changed since, when the models hold what the token was given with. */
  if (self->base_integrations == NULL)
    g_clear_pointer (&data->sync_token, g_free);

  data->generation = self->replica != NULL ? pb_replica_get_generation (self->replica) : -1;
  data->pending = 3;
  pb_client_get_project_async (self->client, cancellable, on_load_project_cb,
                               g_object_ref (task));
  pb_client_list_all_connectors_async (self->client, NULL, cancellable, on_load_connectors_cb,
                                       g_object_ref (task));
  pb_client_list_integration_changes_async (self->client, data->sync_token, cancellable,
                                            on_load_integrations_cb, g_object_ref (task));
}

gboolean
pb_store_load_finish (PbStore       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_store_load_async, FALSE);

  if (g_task_propagate_boolean (G_TASK (result), &local_error))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
