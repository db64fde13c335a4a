/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include "pb-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-core.h"
#include "pb-store-error.h"
#include "pb-store-private.h"
#include "pb-offline.h"

G_DEFINE_FINAL_TYPE (PbStore, pb_store, G_TYPE_OBJECT)

GParamSpec *pb_store_properties[PB_STORE_N_PROPS];
guint pb_store_signals[PB_STORE_N_SIGNALS];

void
pb_store_wipe_free (gpointer data)
{
  if (data != NULL)
    {
      memset (data, 0, strlen (data));
      g_free (data);
    }
}

static void
pb_store_dispose (GObject *object)
{
  PbStore *self = (PbStore *) object;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->sync != NULL)
    {
      pb_sync_stop (self->sync);
      g_signal_handlers_disconnect_by_data (self->sync, self);
    }
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);

  G_OBJECT_CLASS (pb_store_parent_class)->dispose (object);
}

static void
pb_store_finalize (GObject *object)
{
  PbStore *self = (PbStore *) object;

  g_clear_object (&self->sync);
  g_clear_object (&self->outbox);
  g_clear_object (&self->replica);
  g_clear_pointer (&self->last_refresh, g_date_time_unref);
  g_clear_pointer (&self->base_connectors, g_ptr_array_unref);
  g_clear_pointer (&self->base_integrations, g_ptr_array_unref);
  g_clear_pointer (&self->view, g_ptr_array_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_pointer (&self->preloaded, pb_replica_cache_free);
  g_clear_object (&self->no_pending);

  g_clear_object (&self->client);
  g_clear_object (&self->secrets);
  g_free (self->backend);
  g_free (self->project_id);
  g_clear_object (&self->project);
  g_clear_object (&self->connectors);
  g_clear_object (&self->categories);
  g_clear_object (&self->integrations);

  G_OBJECT_CLASS (pb_store_parent_class)->finalize (object);
}

static void
pb_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PbStore *self = PB_STORE (object);

  switch (prop_id)
    {
    case PB_STORE_PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PB_STORE_PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PB_STORE_PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PB_STORE_PROP_REACHABLE:
      g_value_set_boolean (value, pb_store_get_reachable (self));
      break;
    case PB_STORE_PROP_SYNC_STATE:
      g_value_set_int (value, pb_store_get_sync_state (self));
      break;
    case PB_STORE_PROP_LAST_REFRESH:
      g_value_set_boxed (value, self->last_refresh);
      break;
    case PB_STORE_PROP_N_PENDING:
      g_value_set_uint (value, pb_store_get_n_pending (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_store_class_init (PbStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pb_store_dispose;
  object_class->finalize = pb_store_finalize;
  object_class->get_property = pb_store_get_property;

  pb_store_properties[PB_STORE_PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, PB_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  pb_store_properties[PB_STORE_PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* FALSE while the models show the cache because the backend could not be reached. */
  pb_store_properties[PB_STORE_PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  pb_store_properties[PB_STORE_PROP_REACHABLE] =
    g_param_spec_boolean ("reachable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* A PbSyncState. */
  pb_store_properties[PB_STORE_PROP_SYNC_STATE] =
    g_param_spec_int ("sync-state", NULL, NULL, PB_SYNC_STATE_IDLE, PB_SYNC_STATE_FAILED,
                      PB_SYNC_STATE_IDLE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  pb_store_properties[PB_STORE_PROP_LAST_REFRESH] =
    g_param_spec_boxed ("last-refresh", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  pb_store_properties[PB_STORE_PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, PB_STORE_N_PROPS, pb_store_properties);

  /* A queued change met someone else's: (PbOutboxEntry *entry, JsonObject *theirs). */
  pb_store_signals[PB_STORE_SIGNAL_CONFLICT] =
    g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, PB_TYPE_OUTBOX_ENTRY, JSON_TYPE_OBJECT);
  /* A replayed change was refused: (PbOutboxEntry *entry, const char *message). */
  pb_store_signals[PB_STORE_SIGNAL_REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, PB_TYPE_OUTBOX_ENTRY, G_TYPE_STRING);
  /* A replay ended with the replica refreshed. */
  pb_store_signals[PB_STORE_SIGNAL_SYNCED] =
    g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /**
   * PbStore::applied:
   * @operation: the operation the server accepted
   * @integration: (nullable): the integration as the server answered (NULL for a delete)
   *
   * After the models followed an accepted change; views of linked accounts or logs that it
   * may have changed (enable/disable turns accounts on and off) can reload.
   */
  pb_store_signals[PB_STORE_SIGNAL_APPLIED] =
    g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, PB_TYPE_OPERATION, PB_TYPE_INTEGRATION);
}

static void
pb_store_init (PbStore *self)
{
  const char * const *keys = pb_category_all_keys ();

  self->connectors = g_list_store_new (PB_TYPE_CONNECTOR);
  self->categories = g_list_store_new (PB_TYPE_CATEGORY);
  self->integrations = g_list_store_new (PB_TYPE_INTEGRATION);
  self->online = TRUE;
  self->refresh_interval = PB_STORE_REFRESH_INTERVAL;
  self->waiting = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(PbCategory) category = pb_category_new (keys[i],
                                                        pb_category_label_for_key (keys[i]));

      g_list_store_append (self->categories, category);
    }
}

PbStore *
pb_store_new (PbClient   *client,
              PbSecrets  *secrets,
              const char *backend,
              const char *project_id)
{
  PbStore *self;

  g_return_val_if_fail (PB_IS_CLIENT (client), NULL);
  g_return_val_if_fail (PB_IS_SECRETS (secrets), NULL);
  g_return_val_if_fail (backend != NULL, NULL);

  self = g_object_new (PB_TYPE_STORE, NULL);
  self->client = g_object_ref (client);
  self->secrets = g_object_ref (secrets);
  self->backend = pb_client_normalize_url (backend);
  self->project_id = (project_id && *project_id) ? g_strdup (project_id) : NULL;

  return self;
}

void
pb_store_set_preloaded_cache (PbStore        *self,
                              PbReplicaCache *cache)
{
  g_return_if_fail (PB_IS_STORE (self));

  g_clear_pointer (&self->preloaded, pb_replica_cache_free);
  self->preloaded = cache;
}

GTask *
pb_store_open_task_new (gpointer             source,
                        const char          *id,
                        gpointer             source_tag,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  task = g_task_new (source, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_strdup (id), g_free);
  return task;
}

void
pb_store_open_task_return_store (GTask           *task,
                                 PbClient        *client,
                                 PbSecrets       *secrets,
                                 PbProjectConfig *project,
                                 GError          *error)
{
  if (client == NULL || project == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task,
                         pb_store_new (client, secrets, pb_project_config_get_url (project),
                                       pb_project_config_get_project_id (project)),
                         g_object_unref);
}

gpointer
pb_store_open_task_finish (gpointer       source,
                           GAsyncResult  *result,
                           gpointer       source_tag,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

PbClient *
pb_store_get_client (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return self->client;
}

PbSecrets *
pb_store_get_secrets (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return self->secrets;
}

const char *
pb_store_get_backend (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return self->backend;
}

const char *
pb_store_get_project_id (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return self->project_id;
}

PbProject *
pb_store_get_project (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return self->project;
}

gboolean
pb_store_get_loaded (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  return self->loaded;
}

GListModel *
pb_store_get_connectors (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->connectors);
}

GListModel *
pb_store_get_categories (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->categories);
}

GListModel *
pb_store_get_integrations (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->integrations);
}

PbConnector *
pb_store_find_connector (PbStore    *self,
                         const char *provider)
{
  guint n;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->connectors));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbConnector) connector = g_list_model_get_item (G_LIST_MODEL (self->connectors), i);

      if (g_strcmp0 (pb_connector_get_provider (connector), provider) == 0)
        return connector;   /* the store keeps a reference */
    }
  return NULL;
}

PbIntegration *
pb_store_find_integration (PbStore    *self,
                           const char *id,
                           guint      *out_position)
{
  guint n;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->integrations));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbIntegration) integration =
        g_list_model_get_item (G_LIST_MODEL (self->integrations), i);

      if (g_strcmp0 (pb_integration_get_id (integration), id) == 0)
        {
          if (out_position != NULL)
            *out_position = i;
          return integration;   /* the store keeps a reference */
        }
    }
  return NULL;
}

PbCategory *
pb_store_find_category (PbStore    *self,
                        const char *key)
{
  guint n;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->categories));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (G_LIST_MODEL (self->categories), i);

      if (g_strcmp0 (pb_category_get_key (category), key) == 0)
        return category;
    }
  return NULL;
}

/* Secrets for the editor */

static void
on_secret_looked_up_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *value;

  value = pb_secrets_lookup_finish (PB_SECRETS (source), result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, (GDestroyNotify) secret_password_free);
}

void
pb_store_lookup_secret_async (PbStore             *self,
                              const char          *integration_id,
                              const char          *field,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PB_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_lookup_secret_async);

  if (self->project_id == NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_NOT_LOADED,
                               _("The project is not loaded yet; try again in a moment."));
      return;
    }

  pb_secrets_lookup_async (self->secrets, self->backend, self->project_id, integration_id,
                           field, cancellable, on_secret_looked_up_cb, g_steal_pointer (&task));
}

char *
pb_store_lookup_secret_finish (PbStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pb_store_free_secret (char *value)
{
  secret_password_free (value);
}

static void
on_generated_value_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *value = pb_client_get_generated_value_finish (PB_CLIENT (source), result, &error);

  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, (GDestroyNotify) pb_store_free_generated_value);
}

void
pb_store_get_generated_value_async (PbStore             *self,
                                    const char          *integration_id,
                                    const char          *field,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PB_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_get_generated_value_async);
  pb_client_get_generated_value_async (self->client, integration_id, field, cancellable,
                                       on_generated_value_cb, g_steal_pointer (&task));
}

char *
pb_store_get_generated_value_finish (PbStore       *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pb_store_free_generated_value (char *value)
{
  if (value != NULL)
    {
      explicit_bzero (value, strlen (value));
      g_free (value);
    }
}

static void
on_secrets_cleared_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!pb_secrets_clear_integration_finish (PB_SECRETS (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
pb_store_clear_secrets_async (PbStore             *self,
                              const char          *integration_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PB_IS_STORE (self));
  g_return_if_fail (integration_id != NULL && *integration_id != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_clear_secrets_async);

  if (self->project_id == NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_NOT_LOADED,
                               _("The project is not loaded yet; try again in a moment."));
      return;
    }

  pb_secrets_clear_integration_async (self->secrets, self->backend, self->project_id,
                                      integration_id, cancellable, on_secrets_cleared_cb,
                                      g_steal_pointer (&task));
}

gboolean
pb_store_clear_secrets_finish (PbStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_store_clear_secrets_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Paged models */

PbPagedModel *
pb_store_create_accounts_model (PbStore       *self,
                                const PbQuery *query,
                                guint          page_size)
{
  PbPagedModel *model;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  model = pb_paged_model_new (self->client, PB_PAGED_MODEL_ACCOUNTS, query, page_size);
  if (self->replica != NULL)
    pb_paged_model_set_replica (model, self->replica);
  return model;
}

PbPagedModel *
pb_store_create_logs_model (PbStore       *self,
                            const PbQuery *query,
                            guint          page_size)
{
  PbPagedModel *model;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  model = pb_paged_model_new (self->client, PB_PAGED_MODEL_LOGS, query, page_size);
  if (self->replica != NULL)
    pb_paged_model_set_replica (model, self->replica);
  return model;
}
