/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-client-private.h"

/* Incremental lists of integrations: `GET /integrations` gives a sync token on its last page,
 * `GET /integrations?sync_token=T` what changed since T (docs/api.md, "Incremental sync"). */

/* A deleted integration as a delta lists it: {"id": "…", "deleted": true}. */
#define PB_TYPE_CLIENT_TOMBSTONE (pb_client_tombstone_get_type ())
G_DECLARE_FINAL_TYPE (PbClientTombstone, pb_client_tombstone, PB, CLIENT_TOMBSTONE, GObject)

struct _PbClientTombstone
{
  GObject  parent_instance;
  char    *id;
};

G_DEFINE_FINAL_TYPE (PbClientTombstone, pb_client_tombstone, G_TYPE_OBJECT)

static void
pb_client_tombstone_finalize (GObject *object)
{
  g_free (PB_CLIENT_TOMBSTONE (object)->id);
  G_OBJECT_CLASS (pb_client_tombstone_parent_class)->finalize (object);
}

static void
pb_client_tombstone_class_init (PbClientTombstoneClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pb_client_tombstone_finalize;
}

static void
pb_client_tombstone_init (PbClientTombstone *self)
{
}

/* An item of a delta: a PbIntegration, or a PbClientTombstone. */
static gpointer
parse_change (JsonObject  *object,
              GError     **error)
{
  JsonNode *deleted = json_object_get_member (object, "deleted");
  JsonNode *id;
  PbClientTombstone *tombstone;

  if (deleted == NULL)
    return pb_integration_new_from_json (object, error);
  id = json_object_get_member (object, "id");
  if (!JSON_NODE_HOLDS_VALUE (deleted) || json_node_get_value_type (deleted) != G_TYPE_BOOLEAN
      || !json_node_get_boolean (deleted) || id == NULL || !JSON_NODE_HOLDS_VALUE (id)
      || json_node_get_value_type (id) != G_TYPE_STRING || *json_node_get_string (id) == '\0')
    {
      g_set_error_literal (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                           "A deleted integration must be {\"id\": \"…\", \"deleted\": true}.");
      return NULL;
    }
  tombstone = g_object_new (PB_TYPE_CLIENT_TOMBSTONE, NULL);
  tombstone->id = g_strdup (json_node_get_string (id));
  return tombstone;
}

void
pb_integration_changes_free (PbIntegrationChanges *changes)
{
  if (changes == NULL)
    return;
  g_clear_pointer (&changes->integrations, g_ptr_array_unref);
  g_clear_pointer (&changes->deleted_ids, g_ptr_array_unref);
  g_free (changes->sync_token);
  g_free (changes);
}

static PbIntegrationChanges *
changes_new (const char *sync_token)
{
  PbIntegrationChanges *changes = g_new0 (PbIntegrationChanges, 1);

  changes->deleted_ids = g_ptr_array_new_with_free_func (g_free);
  changes->sync_token = g_strdup (sync_token);
  return changes;
}

static const char *
change_id (gpointer item)
{
  if (PB_IS_CLIENT_TOMBSTONE (item))
    return PB_CLIENT_TOMBSTONE (item)->id;
  return pb_integration_get_id (item);
}

static void
on_delta_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) last = NULL;
  PbIntegrationChanges *changes;

  items = pb_client_list_all_finish (PB_CLIENT (source), result, parse_change, &error);
  if (items == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  changes = changes_new (pb_client_list_all_get_sync_token (result));
  changes->integrations = g_ptr_array_new_with_free_func (g_object_unref);
  /* An integration changed while the pages were read is listed twice: its last state
   * counts. */
  last = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < items->len; i++)
    g_hash_table_replace (last, (gpointer) change_id (items->pdata[i]), items->pdata[i]);
  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = items->pdata[i];

      if (g_hash_table_lookup (last, change_id (item)) != item)
        continue;
      if (PB_IS_CLIENT_TOMBSTONE (item))
        g_ptr_array_add (changes->deleted_ids, g_strdup (change_id (item)));
      else
        g_ptr_array_add (changes->integrations, g_object_ref (item));
    }
  g_task_return_pointer (task, changes, (GDestroyNotify) pb_integration_changes_free);
}

static void
on_full_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;
  PbIntegrationChanges *changes;

  items = pb_client_list_all_integrations_finish (PB_CLIENT (source), result, &error);
  if (items == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  changes = changes_new (pb_client_list_all_get_sync_token (result));
  changes->full = TRUE;
  changes->integrations = items;
  g_task_return_pointer (task, changes, (GDestroyNotify) pb_integration_changes_free);
}

void
pb_client_list_integration_changes_async (PbClient            *self,
                                          const char          *sync_token,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PbQuery) query = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_client_list_integration_changes_async);
  if (sync_token == NULL)
    {
      pb_client_list_all_integrations_async (self, NULL, cancellable, on_full_cb,
                                             g_steal_pointer (&task));
      return;
    }
  query = pb_query_new ();
  pb_query_set (query, "sync_token", sync_token);
  pb_client_list_all_start (self, "/integrations", query, parse_change, "an integration",
                            cancellable, on_delta_cb, g_steal_pointer (&task), parse_change);
}

PbIntegrationChanges *
pb_client_list_integration_changes_finish (PbClient      *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pb_client_list_integration_changes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
