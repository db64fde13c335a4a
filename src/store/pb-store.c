/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include "pb-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-core.h"
#include "pb-store-error.h"
#include "pb-store-private.h"

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
};

G_DEFINE_FINAL_TYPE (PbStore, pb_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wipe_free (gpointer data)
{
  if (data != NULL)
    {
      memset (data, 0, strlen (data));
      g_free (data);
    }
}

static void
pb_store_finalize (GObject *object)
{
  PbStore *self = (PbStore *) object;

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
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_store_class_init (PbStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_store_finalize;
  object_class->get_property = pb_store_get_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, PB_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PbStore::applied:
   * @operation: the operation the server accepted
   * @integration: (nullable): the integration as the server answered (NULL for a delete)
   *
   * After the models followed an accepted change; views of linked accounts or logs that it
   * may have changed (enable/disable turns accounts on and off) can reload.
   */
  signals[SIGNAL_APPLIED] =
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
  self->backend = pb_secrets_normalize_backend (backend);
  self->project_id = (project_id && *project_id) ? g_strdup (project_id) : NULL;

  return self;
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

/* Sorting */

static int
compare_text (const char *a,
              const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a ? a : "", -1);
  g_autofree char *fb = g_utf8_casefold (b ? b : "", -1);

  return g_utf8_collate (fa, fb);
}

static int
compare_integrations (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  PbIntegration *ia = (PbIntegration *) a;
  PbIntegration *ib = (PbIntegration *) b;
  int result;

  result = compare_text (pb_integration_get_connector_label (ia),
                         pb_integration_get_connector_label (ib));
  if (result == 0)
    result = compare_text (pb_integration_get_name (ia), pb_integration_get_name (ib));
  if (result == 0)
    result = g_strcmp0 (pb_integration_get_id (ia), pb_integration_get_id (ib));
  return result;
}

static int
compare_connectors (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  PbConnector *ca = (PbConnector *) a;
  PbConnector *cb = (PbConnector *) b;
  int result;

  result = compare_text (pb_connector_get_provider_name (ca), pb_connector_get_provider_name (cb));
  if (result == 0)
    result = g_strcmp0 (pb_connector_get_provider (ca), pb_connector_get_provider (cb));
  return result;
}

static int
compare_ptr_integrations (gconstpointer a,
                          gconstpointer b)
{
  return compare_integrations (*(gpointer const *) a, *(gpointer const *) b, NULL);
}

static int
compare_ptr_connectors (gconstpointer a,
                        gconstpointer b)
{
  return compare_connectors (*(gpointer const *) a, *(gpointer const *) b, NULL);
}

/* Where @integration goes in the sorted list, not counting the row at @skip (G_MAXUINT:
 * none). */
static guint
sorted_position (PbStore       *self,
                 PbIntegration *integration,
                 guint          skip)
{
  GListModel *model = G_LIST_MODEL (self->integrations);
  guint n = g_list_model_get_n_items (model);
  guint position = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbIntegration) other = NULL;

      if (i == skip)
        continue;
      other = g_list_model_get_item (model, i);
      if (compare_integrations (other, integration, NULL) < 0)
        position++;
      else
        break;
    }
  return position;
}

/* Puts the server's version of an integration in its row: (pos, 1, 1) when it stays,
 * (old, 1, 0) + (new, 0, 1) when its sort position moved, (new, 0, 1) when new. */
static void
put_integration (PbStore       *self,
                 PbIntegration *integration)
{
  guint old_position, new_position;

  if (pb_store_find_integration (self, pb_integration_get_id (integration), &old_position))
    {
      new_position = sorted_position (self, integration, old_position);
      if (new_position == old_position)
        {
          g_list_store_splice (self->integrations, old_position, 1,
                               (gpointer *) &integration, 1);
          return;
        }
      g_list_store_remove (self->integrations, old_position);
    }
  else
    {
      new_position = sorted_position (self, integration, G_MAXUINT);
    }

  g_list_store_insert (self->integrations, new_position, integration);
}

static void
remove_integration (PbStore    *self,
                    const char *id)
{
  guint position;

  if (pb_store_find_integration (self, id, &position))
    g_list_store_remove (self->integrations, position);
}

static void
update_counts (PbStore *self)
{
  GListModel *integrations = G_LIST_MODEL (self->integrations);
  GListModel *categories = G_LIST_MODEL (self->categories);
  guint n_integrations = g_list_model_get_n_items (integrations);
  guint n_categories = g_list_model_get_n_items (categories);

  for (guint c = 0; c < n_categories; c++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (categories, c);
      const char *key = pb_category_get_key (category);
      guint count = 0;

      for (guint i = 0; i < n_integrations; i++)
        {
          g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);
          const char * const *in = pb_integration_get_categories (integration);

          if (in != NULL && g_strv_contains (in, key))
            count++;
        }
      pb_category_set_count (category, count);
    }
}

static void
update_availability (PbStore *self)
{
  GListModel *categories = G_LIST_MODEL (self->categories);
  guint n = g_list_model_get_n_items (categories);

  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (categories, c);
      gboolean available = self->project == NULL ||
                           pb_project_has_category (self->project,
                                                    pb_category_get_key (category));

      pb_category_set_availability (category, available,
                                    available ? NULL
                                              : _("Not included in your plan — contact your "
                                                  "support manager."));
    }
}

/* Load */

typedef struct
{
  PbProject *project;
  GPtrArray *connectors;
  PbApiFailure *failure;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->project);
  g_clear_pointer (&data->connectors, g_ptr_array_unref);
  g_clear_pointer (&data->failure, pb_api_failure_free);
  g_free (data);
}

static gboolean
same_json (JsonObject *a,
           JsonObject *b)
{
  g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

static gboolean
same_integration (PbIntegration *a,
                  PbIntegration *b)
{
  g_autoptr(JsonObject) ja = NULL;
  g_autoptr(JsonObject) jb = NULL;

  if (pb_integration_get_version (a) != pb_integration_get_version (b))
    return FALSE;
  /* Linked account counts change without a new version. */
  ja = pb_integration_to_json (a);
  jb = pb_integration_to_json (b);
  return same_json (ja, jb);
}

/* The catalog rarely changes: replaced in one go, and only when it did change. */
static void
refresh_connectors (PbStore   *self,
                    GPtrArray *connectors)
{
  GListModel *model = G_LIST_MODEL (self->connectors);
  guint n = g_list_model_get_n_items (model);
  gboolean changed = n != connectors->len;

  for (guint i = 0; !changed && i < n; i++)
    {
      g_autoptr(PbConnector) old = g_list_model_get_item (model, i);
      g_autoptr(JsonObject) jo = pb_connector_to_json (old);
      g_autoptr(JsonObject) jn = pb_connector_to_json (g_ptr_array_index (connectors, i));

      changed = !same_json (jo, jn);
    }

  if (changed)
    g_list_store_splice (self->connectors, 0, n, connectors->pdata, connectors->len);
}

/* Brings the integrations model to @integrations (sorted) with precise emissions: the first
 * load is one insertion; later ones remove what is gone, replace what changed (moving rows
 * whose order changed) and insert what is new, and leave equal rows alone. */
static void
refresh_integrations (PbStore   *self,
                      GPtrArray *integrations)
{
  GListModel *model = G_LIST_MODEL (self->integrations);
  g_autoptr(GHashTable) fresh = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = g_list_model_get_n_items (model);

  if (n == 0)
    {
      g_list_store_splice (self->integrations, 0, 0, integrations->pdata, integrations->len);
      return;
    }

  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (integrations, i);

      g_hash_table_insert (fresh, (gpointer) pb_integration_get_id (integration), integration);
    }

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(PbIntegration) old = g_list_model_get_item (model, i - 1);

      if (!g_hash_table_contains (fresh, pb_integration_get_id (old)))
        g_list_store_remove (self->integrations, i - 1);
    }

  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (integrations, i);
      PbIntegration *old = pb_store_find_integration (self, pb_integration_get_id (integration),
                                                      NULL);

      if (old == NULL || !same_integration (old, integration))
        put_integration (self, integration);
    }
}

static void
on_load_integrations_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  PbStore *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  gboolean project_changed;

  integrations = pb_client_list_all_integrations_finish (PB_CLIENT (source), result,
                                                         &data->failure, &error);
  if (integrations == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  project_changed = self->project != data->project;
  g_set_object (&self->project, data->project);
  if (self->project_id == NULL)
    self->project_id = g_strdup (pb_project_get_id (data->project));
  else if (g_strcmp0 (self->project_id, pb_project_get_id (data->project)) != 0)
    g_warning ("The key now belongs to another project on the backend");

  g_ptr_array_sort (data->connectors, compare_ptr_connectors);
  g_ptr_array_sort (integrations, compare_ptr_integrations);
  refresh_connectors (self, data->connectors);
  refresh_integrations (self, integrations);
  update_availability (self);
  update_counts (self);

  if (project_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_load_connectors_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  LoadData *data = g_task_get_task_data (task);

  data->connectors = pb_client_list_all_connectors_finish (PB_CLIENT (source), result,
                                                           &data->failure, &error);
  if (data->connectors == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pb_client_list_all_integrations_async (PB_CLIENT (source), NULL,
                                         g_task_get_cancellable (task),
                                         on_load_integrations_cb, g_object_ref (task));
}

static void
on_load_project_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  LoadData *data = g_task_get_task_data (task);

  data->project = pb_client_get_project_finish (PB_CLIENT (source), result, &data->failure,
                                                &error);
  if (data->project == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pb_client_list_all_connectors_async (PB_CLIENT (source), NULL,
                                       g_task_get_cancellable (task),
                                       on_load_connectors_cb, g_object_ref (task));
}

void
pb_store_load_async (PbStore             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PB_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_load_async);
  g_task_set_task_data (task, g_new0 (LoadData, 1), (GDestroyNotify) load_data_free);

  pb_client_get_project_async (self->client, cancellable, on_load_project_cb,
                               g_steal_pointer (&task));
}

gboolean
pb_store_load_finish (PbStore       *self,
                      GAsyncResult  *result,
                      PbApiFailure **out_failure,
                      GError       **error)
{
  LoadData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_store_load_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (out_failure != NULL)
    *out_failure = data->failure ? pb_api_failure_copy (data->failure) : NULL;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Apply */

typedef struct
{
  PbOperation *operation;
  GHashTable *typed;      /* field → value typed for this call (secret fields only) */
  GHashTable *values;     /* field → value sent: typed + from the keyring */
  GPtrArray *missing;     /* secret fields still to read from the keyring */
  PbIntegration *answer;
  GPtrArray *refetch;     /* ids of integrations that stopped being the default */
  GPtrArray *stale;       /* secret fields the server no longer has: out of the keyring */
  PbApiFailure *failure;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->operation);
  g_clear_pointer (&data->typed, g_hash_table_unref);
  g_clear_pointer (&data->values, g_hash_table_unref);
  g_clear_pointer (&data->missing, g_ptr_array_unref);
  g_clear_object (&data->answer);
  g_clear_pointer (&data->refetch, g_ptr_array_unref);
  g_clear_pointer (&data->stale, g_ptr_array_unref);
  g_clear_pointer (&data->failure, pb_api_failure_free);
  g_free (data);
}

static void apply_lookup_next (GTask *task);
static void apply_send (GTask *task);
static void apply_refetch_next (GTask *task);
static void apply_clear_stale_next (GTask *task);

static void
apply_done (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);

  update_counts (self);
  g_signal_emit (self, signals[SIGNAL_APPLIED], 0, data->operation, data->answer);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_refetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) integration = NULL;
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);

  integration = pb_client_get_integration_finish (PB_CLIENT (source), result, NULL, &error);
  if (integration != NULL)
    put_integration (self, integration);
  else if (g_error_matches (error, PB_API_ERROR, PB_API_ERROR_NOT_FOUND))
    remove_integration (self, g_ptr_array_index (data->refetch, 0));
  else
    g_debug ("Could not refresh the previous default: %s", error->message);

  g_ptr_array_remove_index (data->refetch, 0);
  apply_refetch_next (g_steal_pointer (&task));
}

static void
apply_refetch_next (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);

  if (data->refetch == NULL || data->refetch->len == 0)
    {
      apply_clear_stale_next (task);
      return;
    }

  /* Not cancellable: the change was made, the models must follow it. */
  pb_client_get_integration_async (self->client, g_ptr_array_index (data->refetch, 0), NULL,
                                   on_refetched_cb, task);
}

/* The integrations of the same connector that are the default here and are not @id. */
static GPtrArray *
other_defaults (PbStore    *self,
                const char *connector_key,
                const char *id)
{
  GListModel *model = G_LIST_MODEL (self->integrations);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbIntegration) other = g_list_model_get_item (model, i);

      if (pb_integration_get_is_default (other) &&
          g_strcmp0 (pb_integration_get_connector_key (other), connector_key) == 0 &&
          g_strcmp0 (pb_integration_get_id (other), id) != 0)
        g_ptr_array_add (ids, g_strdup (pb_integration_get_id (other)));
    }
  return ids;
}

static void
on_stale_cleared_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ApplyData *data = g_task_get_task_data (task);

  /* The server took the change; a keyring that refuses now only leaves an old value. */
  if (!pb_secrets_clear_finish (PB_SECRETS (source), result, &error))
    g_debug ("Could not clear a dropped credential from the keyring: %s", error->message);

  g_ptr_array_remove_index (data->stale, 0);
  apply_clear_stale_next (g_steal_pointer (&task));
}

static void
apply_clear_stale_next (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);

  if (data->stale == NULL || data->stale->len == 0 || self->project_id == NULL)
    {
      apply_done (task);
      return;
    }

  pb_secrets_clear_async (self->secrets, self->backend, self->project_id,
                          pb_operation_get_integration_id (data->operation),
                          g_ptr_array_index (data->stale, 0), NULL, on_stale_cleared_cb, task);
}

static gboolean
secret_is_set (PbIntegration *integration,
               const char    *field)
{
  PbSecretState *state = g_hash_table_lookup (pb_integration_get_secrets (integration), field);

  return state != NULL && state->set;
}

/* Secret fields this machine may keep that the server no longer has: the ones cleared on
 * purpose, and those of an auth type that was left (the server drops them). */
static GPtrArray *
stale_fields (PbStore       *self,
              PbOperation   *operation,
              PbIntegration *answer)
{
  GPtrArray *stale = g_ptr_array_new_with_free_func (g_free);
  JsonObject *payload = pb_operation_get_payload (operation);
  PbIntegration *old = pb_store_find_integration (self, pb_integration_get_id (answer), NULL);

  if (json_object_has_member (payload, "secrets") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "secrets")))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, json_object_get_object_member (payload, "secrets"));
      while (json_object_iter_next (&iter, &key, &value))
        if (JSON_NODE_HOLDS_NULL (value) && !secret_is_set (answer, key))
          g_ptr_array_add (stale, g_strdup (key));
    }

  if (old != NULL && pb_operation_get_kind (operation) == PB_OPERATION_CHANGE_AUTH_TYPE)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, pb_integration_get_secrets (old));
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!secret_is_set (answer, key) &&
            !g_ptr_array_find_with_equal_func (stale, key, g_str_equal, NULL))
          g_ptr_array_add (stale, g_strdup (key));
    }

  return stale;
}

static void
on_integration_answer_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  PbOperationKind kind = pb_operation_get_kind (data->operation);

  if (kind == PB_OPERATION_CREATE)
    data->answer = pb_client_create_integration_finish (PB_CLIENT (source), result,
                                                        &data->failure, &error);
  else
    data->answer = pb_client_update_integration_finish (PB_CLIENT (source), result,
                                                        &data->failure, &error);
  if (data->answer == NULL)
    {
      /* The keyring keeps what was typed: nothing is lost, the admin can try again. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (pb_integration_get_is_default (data->answer))
    data->refetch = other_defaults (self, pb_integration_get_connector_key (data->answer),
                                    pb_integration_get_id (data->answer));
  data->stale = stale_fields (self, data->operation, data->answer);
  put_integration (self, data->answer);
  apply_refetch_next (g_steal_pointer (&task));
}

static void
on_cleared_after_delete_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The integration is gone on the server; a keyring that refuses now only leaves items
   * behind, which is not worth failing the delete for. */
  if (!pb_secrets_clear_integration_finish (PB_SECRETS (source), result, &error))
    g_debug ("Could not clear the credentials of a deleted integration: %s", error->message);

  apply_done (g_steal_pointer (&task));
}

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  const char *id = pb_operation_get_integration_id (data->operation);

  if (!pb_client_delete_integration_finish (PB_CLIENT (source), result, &data->failure,
                                            &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  remove_integration (self, id);
  if (self->project_id != NULL)
    pb_secrets_clear_integration_async (self->secrets, self->backend, self->project_id, id,
                                        NULL, on_cleared_after_delete_cb,
                                        g_steal_pointer (&task));
  else
    apply_done (g_steal_pointer (&task));
}

static void
apply_send (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  PbOperation *operation = data->operation;
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *id = pb_operation_get_integration_id (operation);
  gint64 version = pb_operation_get_base_version (operation);
  g_autoptr(JsonObject) body = NULL;
  const char * const *fields = pb_operation_get_secret_fields (operation);

  if (pb_operation_get_kind (operation) == PB_OPERATION_DELETE)
    {
      pb_client_delete_integration_async (self->client, id, version, cancellable,
                                          on_deleted_cb, task);
      return;
    }

  body = pb_store_copy_json_object (pb_operation_get_payload (operation));
  if (fields[0] != NULL)
    {
      JsonObject *secrets;

      if (!json_object_has_member (body, "secrets") ||
          !JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "secrets")))
        json_object_set_object_member (body, "secrets", json_object_new ());
      secrets = json_object_get_object_member (body, "secrets");
      for (guint i = 0; fields[i] != NULL; i++)
        json_object_set_string_member (secrets, fields[i],
                                       g_hash_table_lookup (data->values, fields[i]));
    }

  if (pb_operation_get_kind (operation) == PB_OPERATION_CREATE)
    pb_client_create_integration_async (self->client, body, cancellable,
                                        on_integration_answer_cb, task);
  else
    pb_client_update_integration_async (self->client, id, body, version, cancellable,
                                        on_integration_answer_cb, task);

  /* The body holds the values: wipe them now that the client has serialised it. */
  if (json_object_has_member (body, "secrets"))
    {
      JsonObject *secrets = json_object_get_object_member (body, "secrets");

      for (guint i = 0; fields[i] != NULL; i++)
        json_object_set_null_member (secrets, fields[i]);
    }
}

static void
on_missing_looked_up_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ApplyData *data = g_task_get_task_data (task);
  const char *field = g_ptr_array_index (data->missing, 0);
  char *value;

  value = pb_secrets_lookup_finish (PB_SECRETS (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (value == NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT,
                               _("This machine’s keyring has no value for “%s”. Type it "
                                 "again."), field);
      return;
    }

  g_hash_table_insert (data->values, g_strdup (field), g_strdup (value));
  secret_password_free (value);
  g_ptr_array_remove_index (data->missing, 0);
  apply_lookup_next (g_steal_pointer (&task));
}

static void
apply_lookup_next (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);

  if (data->missing->len == 0)
    {
      apply_send (task);
      return;
    }

  pb_secrets_lookup_async (self->secrets, self->backend, self->project_id,
                           pb_operation_get_integration_id (data->operation),
                           g_ptr_array_index (data->missing, 0),
                           g_task_get_cancellable (task), on_missing_looked_up_cb, task);
}

static void
on_typed_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!pb_secrets_store_finish (PB_SECRETS (source), result, &error))
    {
      /* Nothing was sent: the credentials must be safe before they travel. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  apply_lookup_next (g_steal_pointer (&task));
}

void
pb_store_apply_async (PbStore             *self,
                      PbOperation         *operation,
                      GHashTable          *secrets,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ApplyData *data;
  const char * const *fields;

  g_return_if_fail (PB_IS_STORE (self));
  g_return_if_fail (PB_IS_OPERATION (operation));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_apply_async);

  data = g_new0 (ApplyData, 1);
  data->operation = g_object_ref (operation);
  data->typed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  data->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  data->missing = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);

  fields = pb_operation_get_secret_fields (operation);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *value = secrets ? g_hash_table_lookup (secrets, fields[i]) : NULL;

      if (value != NULL)
        {
          g_hash_table_insert (data->typed, g_strdup (fields[i]), g_strdup (value));
          g_hash_table_insert (data->values, g_strdup (fields[i]), g_strdup (value));
        }
      else
        {
          g_ptr_array_add (data->missing, g_strdup (fields[i]));
        }
    }

  if (fields[0] != NULL && self->project_id == NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_NOT_LOADED,
                               _("The project is not loaded yet; try again in a moment."));
      return;
    }

  if (g_hash_table_size (data->typed) > 0)
    {
      pb_secrets_store_async (self->secrets, self->backend, self->project_id,
                              pb_operation_get_integration_id (operation), data->typed,
                              cancellable, on_typed_stored_cb, g_steal_pointer (&task));
      return;
    }

  apply_lookup_next (g_steal_pointer (&task));
}

gboolean
pb_store_apply_finish (PbStore        *self,
                       GAsyncResult   *result,
                       PbIntegration **out_integration,
                       PbApiFailure  **out_failure,
                       GError        **error)
{
  ApplyData *data;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_store_apply_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (out_failure != NULL)
    *out_failure = data->failure ? pb_api_failure_copy (data->failure) : NULL;

  ok = g_task_propagate_boolean (G_TASK (result), error);
  if (out_integration != NULL)
    *out_integration = (ok && data->answer) ? g_object_ref (data->answer) : NULL;
  return ok;
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

/* Paged models */

PbPagedModel *
pb_store_create_accounts_model (PbStore       *self,
                                const PbQuery *query,
                                guint          page_size)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  return pb_paged_model_new (self->client, PB_PAGED_MODEL_ACCOUNTS, query, page_size);
}

PbPagedModel *
pb_store_create_logs_model (PbStore       *self,
                            const PbQuery *query,
                            guint          page_size)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  return pb_paged_model_new (self->client, PB_PAGED_MODEL_LOGS, query, page_size);
}
