/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-ui-project"

#include "config.h"

#include "pb-ui-project.h"

#include <glib/gi18n.h>

struct _PbUiProject
{
  GObject parent_instance;

  PbStore    *store;
  GHashTable *by_id;              /* id → PbIntegration (borrowed from the store's model) */
  GHashTable *connector_counts;   /* connector key → GUINT_TO_POINTER (n) */
  GHashTable *defaults;           /* connector key → PbIntegration (borrowed) */
};

G_DEFINE_FINAL_TYPE (PbUiProject, pb_ui_project, G_TYPE_OBJECT)

/* O(n) per change: a few milliseconds for 20,000 integrations. */
static void
reindex (PbUiProject *self)
{
  GListModel *model = pb_store_get_integrations (self->store);
  guint n = g_list_model_get_n_items (model);

  g_hash_table_remove_all (self->by_id);
  g_hash_table_remove_all (self->connector_counts);
  g_hash_table_remove_all (self->defaults);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (model, i);
      const char *key = pb_integration_get_connector_key (integration);
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (self->connector_counts, key));

      /* Borrowed pointers: the store's model keeps the objects alive. */
      g_hash_table_insert (self->by_id, (char *) pb_integration_get_id (integration), integration);
      g_hash_table_insert (self->connector_counts, (char *) key, GUINT_TO_POINTER (c + 1));
      if (pb_integration_get_is_default (integration))
        g_hash_table_insert (self->defaults, (char *) key, integration);
    }
}

static void
on_integrations_changed_cb (GListModel  *model,
                            guint        position,
                            guint        removed,
                            guint        added,
                            PbUiProject *self)
{
  /* Connected before the window's list models, so the facts are right when they run. */
  reindex (self);
}

static void
pb_ui_project_dispose (GObject *object)
{
  PbUiProject *self = PB_UI_PROJECT (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (pb_store_get_integrations (self->store),
                                          on_integrations_changed_cb, self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->connector_counts, g_hash_table_unref);
  g_clear_pointer (&self->defaults, g_hash_table_unref);

  G_OBJECT_CLASS (pb_ui_project_parent_class)->dispose (object);
}

static void
pb_ui_project_class_init (PbUiProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pb_ui_project_dispose;
}

static void
pb_ui_project_init (PbUiProject *self)
{
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->connector_counts = g_hash_table_new (g_str_hash, g_str_equal);
  self->defaults = g_hash_table_new (g_str_hash, g_str_equal);
}

PbUiProject *
pb_ui_project_new (PbStore *store)
{
  PbUiProject *self;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);

  self = g_object_new (PB_TYPE_UI_PROJECT, NULL);
  self->store = g_object_ref (store);
  g_signal_connect (pb_store_get_integrations (store), "items-changed",
                    G_CALLBACK (on_integrations_changed_cb), self);
  reindex (self);
  return self;
}

PbStore *
pb_ui_project_get_store (PbUiProject *self)
{
  g_return_val_if_fail (PB_IS_UI_PROJECT (self), NULL);
  return self->store;
}

PbProject *
pb_ui_project_get_project (PbUiProject *self)
{
  g_return_val_if_fail (PB_IS_UI_PROJECT (self), NULL);
  return pb_store_get_project (self->store);
}

gboolean
pb_ui_project_get_loaded (PbUiProject *self)
{
  g_return_val_if_fail (PB_IS_UI_PROJECT (self), FALSE);
  return pb_store_get_loaded (self->store);
}

gboolean
pb_ui_project_is_read_only (PbUiProject *self)
{
  PbProject *project;

  g_return_val_if_fail (PB_IS_UI_PROJECT (self), TRUE);
  project = pb_store_get_project (self->store);
  return project == NULL || pb_project_is_read_only (project);
}

GListModel *
pb_ui_project_get_integrations (PbUiProject *self)
{
  g_return_val_if_fail (PB_IS_UI_PROJECT (self), NULL);
  return pb_store_get_integrations (self->store);
}

GListModel *
pb_ui_project_get_categories (PbUiProject *self)
{
  g_return_val_if_fail (PB_IS_UI_PROJECT (self), NULL);
  return pb_store_get_categories (self->store);
}

PbIntegration *
pb_ui_project_find (PbUiProject *self,
                    const char  *id)
{
  g_return_val_if_fail (PB_IS_UI_PROJECT (self), NULL);
  return id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
}

PbIntegration *
pb_ui_project_find_default (PbUiProject *self,
                            const char  *connector_key)
{
  g_return_val_if_fail (PB_IS_UI_PROJECT (self), NULL);
  return g_hash_table_lookup (self->defaults, connector_key);
}

guint
pb_ui_project_count_for_connector (PbUiProject *self,
                                   const char  *connector_key)
{
  g_return_val_if_fail (PB_IS_UI_PROJECT (self), 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->connector_counts, connector_key));
}

void
pb_ui_project_get_facts (PbUiProject        *self,
                         PbIntegration      *integration,
                         PbIntegrationFacts *facts)
{
  const char *key;

  g_return_if_fail (PB_IS_UI_PROJECT (self));
  g_return_if_fail (PB_IS_INTEGRATION (integration));

  key = pb_integration_get_connector_key (integration);
  facts->n_connector_integrations = MAX (1, pb_ui_project_count_for_connector (self, key));
  facts->is_default = pb_integration_get_is_default (integration);
  facts->active = pb_integration_get_active (integration);
  facts->n_linked_accounts = pb_integration_get_accounts_total (integration);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!pb_store_load_finish (PB_STORE (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
pb_ui_project_load_async (PbUiProject         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PB_IS_UI_PROJECT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_ui_project_load_async);
  pb_store_load_async (self->store, cancellable, load_cb, g_steal_pointer (&task));
}

gboolean
pb_ui_project_load_finish (PbUiProject   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_ui_project_load_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
apply_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) integration = NULL;

  if (!pb_store_apply_finish (PB_STORE (source), result, &integration, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (integration != NULL)
    g_task_return_pointer (task, g_steal_pointer (&integration), g_object_unref);
  else
    g_task_return_pointer (task, NULL, NULL);
}

void
pb_ui_project_apply_async (PbUiProject         *self,
                           PbOperationKind      kind,
                           const char          *id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PbOperation) operation = NULL;
  PbIntegration *integration;

  g_return_if_fail (PB_IS_UI_PROJECT (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_ui_project_apply_async);

  integration = pb_ui_project_find (self, id);
  if (integration == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("This integration no longer exists. Refresh to see the "
                                 "current list."));
      return;
    }
  operation = pb_operation_new_simple (kind, id, pb_integration_get_version (integration));
  pb_store_apply_async (self->store, operation, NULL, cancellable, apply_cb,
                        g_steal_pointer (&task));
}

gboolean
pb_ui_project_apply_finish (PbUiProject    *self,
                            GAsyncResult   *result,
                            PbIntegration **out_integration,
                            GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  PbIntegration *integration;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_ui_project_apply_async,
                        FALSE);

  integration = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (out_integration != NULL)
    *out_integration = integration;
  else
    g_clear_object (&integration);
  return TRUE;
}
