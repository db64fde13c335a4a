/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-ui-project"

#include "config.h"

#include "pb-ui-project.h"

#include <glib/gi18n.h>
#include <string.h>

struct _PbUiProject
{
  GObject parent_instance;

  PbStore    *store;
  GPtrArray  *rows;               /* PbIntegration, owned: the store's model as last seen */
  GHashTable *by_id;              /* id → PbIntegration (borrowed from rows) */
  GHashTable *connector_counts;   /* connector key (owned) → GUINT_TO_POINTER (n) */
  GHashTable *defaults;           /* connector key → PbIntegration (borrowed) */
};

G_DEFINE_FINAL_TYPE (PbUiProject, pb_ui_project, G_TYPE_OBJECT)

static void
index_row (PbUiProject   *self,
           PbIntegration *integration)
{
  const char *key = pb_integration_get_connector_key (integration);
  guint c = GPOINTER_TO_UINT (g_hash_table_lookup (self->connector_counts, key));

  /* Replace, not insert: the keys are the new object's strings. */
  g_hash_table_replace (self->by_id, (char *) pb_integration_get_id (integration), integration);
  g_hash_table_insert (self->connector_counts, g_strdup (key), GUINT_TO_POINTER (c + 1));
  if (pb_integration_get_is_default (integration))
    g_hash_table_replace (self->defaults, (char *) key, integration);
}

/* FALSE when @integration was its connector's default: another row may be now. */
static gboolean
unindex_row (PbUiProject   *self,
             PbIntegration *integration)
{
  const char *key = pb_integration_get_connector_key (integration);
  guint c = GPOINTER_TO_UINT (g_hash_table_lookup (self->connector_counts, key));

  if (g_hash_table_lookup (self->by_id, pb_integration_get_id (integration)) == integration)
    g_hash_table_remove (self->by_id, pb_integration_get_id (integration));
  if (c > 1)
    g_hash_table_insert (self->connector_counts, g_strdup (key), GUINT_TO_POINTER (c - 1));
  else
    g_hash_table_remove (self->connector_counts, key);
  if (g_hash_table_lookup (self->defaults, key) != integration)
    return TRUE;
  g_hash_table_remove (self->defaults, key);
  return FALSE;
}

/* The indexes follow the rows that changed: a change of one row costs one row, not a pass
 * over 20,000. */
static void
on_integrations_changed_cb (GListModel  *model,
                            guint        position,
                            guint        removed,
                            guint        added,
                            PbUiProject *self)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_full (added, g_object_unref);
  g_autoptr(GPtrArray) lost_default = g_ptr_array_new_with_free_func (g_free);

  /* Connected before the window's list models, so the facts are right when they run. */
  for (guint i = position; i < position + removed; i++)
    {
      PbIntegration *integration = g_ptr_array_index (self->rows, i);

      if (!unindex_row (self, integration))
        g_ptr_array_add (lost_default, g_strdup (pb_integration_get_connector_key (integration)));
    }
  for (guint i = position; i < position + added; i++)
    g_ptr_array_add (fresh, g_list_model_get_item (model, i));
  for (guint i = 0; i < fresh->len; i++)
    index_row (self, g_ptr_array_index (fresh, i));
  /* The rows removed last (the index above borrows nothing from them any more). */
  g_ptr_array_remove_range (self->rows, position, removed);
  g_ptr_array_set_size (self->rows, self->rows->len + added);
  memmove (self->rows->pdata + position + added, self->rows->pdata + position,
           (self->rows->len - added - position) * sizeof (gpointer));
  memcpy (self->rows->pdata + position, fresh->pdata, added * sizeof (gpointer));
  g_ptr_array_set_free_func (fresh, NULL);   /* its references moved into rows */

  /* A connector whose default row went and did not come back may have another one. */
  for (guint k = 0; k < lost_default->len; k++)
    {
      const char *key = g_ptr_array_index (lost_default, k);

      if (g_hash_table_contains (self->defaults, key))
        continue;
      for (guint i = 0; i < self->rows->len; i++)
        {
          PbIntegration *integration = g_ptr_array_index (self->rows, i);

          if (pb_integration_get_is_default (integration)
              && g_str_equal (pb_integration_get_connector_key (integration), key))
            g_hash_table_replace (self->defaults,
                                  (char *) pb_integration_get_connector_key (integration),
                                  integration);
        }
    }
}

static void
pb_ui_project_dispose (GObject *object)
{
  PbUiProject *self = PB_UI_PROJECT (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (pb_store_get_integrations (self->store),
                                          on_integrations_changed_cb, self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
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
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->connector_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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
  on_integrations_changed_cb (pb_store_get_integrations (store), 0, 0,
                              g_list_model_get_n_items (pb_store_get_integrations (store)), self);
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
