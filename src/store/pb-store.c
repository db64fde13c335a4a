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

  /* Offline (issue 7): opened once the project id is known. */
  PbReplica *replica;
  PbOutbox *outbox;
  PbSync *sync;
  gboolean sync_started;
  gboolean online;
  GDateTime *last_refresh;
  GPtrArray *base_connectors;    /* PbConnector, as the server (or the replica) gave them */
  GPtrArray *base_integrations;  /* PbIntegration, the server's state (or the replica's) */
  GPtrArray *view;               /* PbIntegration, base + queued changes (overlay) */
  GHashTable *waiting;           /* seq (gint64 *) → GTask of an apply waiting for the sync */
  GListStore *no_pending;        /* the empty pending list before the outbox exists */
};

G_DEFINE_FINAL_TYPE (PbStore, pb_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_LOADED,
  PROP_ONLINE,
  PROP_REACHABLE,
  PROP_SYNC_STATE,
  PROP_LAST_REFRESH,
  PROP_N_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_APPLIED,
  SIGNAL_CONFLICT,
  SIGNAL_REFUSED,
  SIGNAL_SYNCED,
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
pb_store_dispose (GObject *object)
{
  PbStore *self = (PbStore *) object;

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
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_REACHABLE:
      g_value_set_boolean (value, pb_store_get_reachable (self));
      break;
    case PROP_SYNC_STATE:
      g_value_set_int (value, pb_store_get_sync_state (self));
      break;
    case PROP_LAST_REFRESH:
      g_value_set_boxed (value, self->last_refresh);
      break;
    case PROP_N_PENDING:
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

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, PB_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* FALSE while the models show the cache because the backend could not be reached. */
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REACHABLE] =
    g_param_spec_boolean ("reachable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* A PbSyncState. */
  properties[PROP_SYNC_STATE] =
    g_param_spec_int ("sync-state", NULL, NULL, PB_SYNC_STATE_IDLE, PB_SYNC_STATE_FAILED,
                      PB_SYNC_STATE_IDLE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_REFRESH] =
    g_param_spec_boxed ("last-refresh", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A queued change met someone else's: (PbOutboxEntry *entry, JsonObject *theirs). */
  signals[SIGNAL_CONFLICT] =
    g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, PB_TYPE_OUTBOX_ENTRY, JSON_TYPE_OBJECT);
  /* A replayed change was refused: (PbOutboxEntry *entry, const char *message). */
  signals[SIGNAL_REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, PB_TYPE_OUTBOX_ENTRY, G_TYPE_STRING);
  /* A replay ended with the replica refreshed. */
  signals[SIGNAL_SYNCED] =
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
  self->online = TRUE;
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

  if (a == b)
    return TRUE;
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

/* Offline: the replica, the outbox and the sync (issue 7) */

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
  run->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
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

static const PbSyncSecretLookup keyring_lookup = { keyring_lookup_async, keyring_lookup_finish };

static GPtrArray *
sorted_copy (GPtrArray    *array,
             GCompareFunc  compare)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; array != NULL && i < array->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (array, i)));
  g_ptr_array_sort (copy, compare);
  return copy;
}

/* The integrations as the admin sees them: the last known server state (the replica's, or
 * the one just loaded) with the queued changes applied on top. */
static void
recompute_view (PbStore *self)
{
  g_autoptr(GPtrArray) sorted = NULL;

  if (self->base_integrations == NULL)
    return;
  g_clear_pointer (&self->view, g_ptr_array_unref);
  if (self->outbox != NULL)
    self->view = pb_overlay_apply (self->base_integrations, G_LIST_MODEL (self->outbox),
                                   self->base_connectors);
  else
    self->view = g_ptr_array_ref (self->base_integrations);

  sorted = sorted_copy (self->view, compare_ptr_integrations);
  refresh_integrations (self, sorted);
  update_counts (self);
}

static void
set_online (PbStore  *self,
            gboolean  online)
{
  if (self->online == online)
    return;
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

static void
update_last_refresh (PbStore *self)
{
  g_autoptr(GDateTime) last = self->replica ? pb_replica_get_last_refresh (self->replica) : NULL;

  if (last == NULL && self->last_refresh == NULL)
    return;
  if (last != NULL && self->last_refresh != NULL && g_date_time_equal (last, self->last_refresh))
    return;
  g_clear_pointer (&self->last_refresh, g_date_time_unref);
  self->last_refresh = g_steal_pointer (&last);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_REFRESH]);
}

/* The server's state as the replica has it now (after an acknowledgement or a refresh). */
static void
reload_base_from_replica (PbStore *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *integrations;

  if (self->replica == NULL)
    return;
  integrations = pb_replica_load_integrations (self->replica, &error);
  if (integrations == NULL)
    {
      g_warning ("Could not read the cached integrations: %s", error->message);
      return;
    }
  /* Keep the objects that did not change, so the view's rows stay the same objects. */
  if (self->base_integrations != NULL)
    {
      g_autoptr(GHashTable) old = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < self->base_integrations->len; i++)
        {
          PbIntegration *integration = g_ptr_array_index (self->base_integrations, i);

          g_hash_table_insert (old, (gpointer) pb_integration_get_id (integration), integration);
        }
      for (guint i = 0; i < integrations->len; i++)
        {
          PbIntegration *fresh = g_ptr_array_index (integrations, i);
          PbIntegration *known = g_hash_table_lookup (old, pb_integration_get_id (fresh));

          if (known != NULL && same_integration (known, fresh))
            g_ptr_array_index (integrations, i) = g_object_ref (known), g_object_unref (fresh);
        }
    }
  g_clear_pointer (&self->base_integrations, g_ptr_array_unref);
  self->base_integrations = integrations;
}

/* Fills the models from the replica. FALSE when nothing is cached. */
static gboolean
fill_from_cache (PbStore *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;
  g_autoptr(GPtrArray) connectors = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  gboolean project_changed;

  if (self->replica == NULL)
    return FALSE;
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

  g_clear_pointer (&self->base_connectors, g_ptr_array_unref);
  self->base_connectors = g_ptr_array_ref (connectors);
  reload_base_from_replica (self);
  if (self->base_integrations == NULL)
    return FALSE;

  project_changed = self->project == NULL;
  if (project_changed)
    g_set_object (&self->project, project);
  sorted = sorted_copy (connectors, compare_ptr_connectors);
  refresh_connectors (self, sorted);
  recompute_view (self);
  update_availability (self);
  update_last_refresh (self);
  if (project_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  return TRUE;
}

static gboolean
same_project (PbProject *a,
              PbProject *b)
{
  g_autoptr(JsonObject) ja = pb_project_to_json (a);
  g_autoptr(JsonObject) jb = pb_project_to_json (b);

  return same_json (ja, jb);
}

static void
on_outbox_notify_cb (GObject    *outbox,
                     GParamSpec *pspec,
                     PbStore    *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

static void
on_sync_notify_cb (GObject    *sync,
                   GParamSpec *pspec,
                   PbStore    *self)
{
  if (g_str_equal (pspec->name, "reachable"))
    {
      if (pb_sync_get_reachable (self->sync))
        set_online (self, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REACHABLE]);
    }
  else if (g_str_equal (pspec->name, "state"))
    {
      if (pb_sync_get_state (self->sync) == PB_SYNC_STATE_OFFLINE)
        set_online (self, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_STATE]);
    }
}

static void
on_sync_synced_cb (PbSync  *sync,
                   PbStore *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = pb_replica_load_project (self->replica, &error);

  set_online (self, TRUE);
  if (project != NULL && self->project != NULL && !same_project (self->project, project))
    {
      g_set_object (&self->project, project);
      update_availability (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
    }
  reload_base_from_replica (self);
  recompute_view (self);
  update_last_refresh (self);
  g_signal_emit (self, signals[SIGNAL_SYNCED], 0);
}

static void on_sync_acknowledged_cb (PbSync *sync, PbOutboxEntry *entry, PbIntegration *answer,
                                     PbStore *self);
static void on_sync_refused_cb (PbSync *sync, PbOutboxEntry *entry, const char *message,
                                PbStore *self);
static void on_sync_conflict_cb (PbSync *sync, PbOutboxEntry *entry, JsonObject *theirs,
                                 PbStore *self);

/* Opens the replica, the outbox and the sync once the project id is known. */
static gboolean
ensure_offline (PbStore  *self,
                GError  **error)
{
  g_autoptr(PbReplica) replica = NULL;
  g_autoptr(PbOutbox) outbox = NULL;
  KeyringLookup *lookup;

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
  lookup = g_new0 (KeyringLookup, 1);
  lookup->secrets = g_object_ref (self->secrets);
  lookup->backend = g_strdup (self->backend);
  lookup->project_id = g_strdup (self->project_id);
  pb_sync_set_secret_lookup (self->sync, &keyring_lookup, lookup, keyring_lookup_free);

  g_signal_connect_object (self->outbox, "notify::n-items", G_CALLBACK (on_outbox_notify_cb),
                           self, 0);
  g_signal_connect_object (self->sync, "notify", G_CALLBACK (on_sync_notify_cb), self, 0);
  g_signal_connect_object (self->sync, "acknowledged", G_CALLBACK (on_sync_acknowledged_cb),
                           self, 0);
  g_signal_connect_object (self->sync, "refused", G_CALLBACK (on_sync_refused_cb), self, 0);
  g_signal_connect_object (self->sync, "conflict", G_CALLBACK (on_sync_conflict_cb), self, 0);
  g_signal_connect_object (self->sync, "synced", G_CALLBACK (on_sync_synced_cb), self, 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
  return TRUE;
}

static void
start_sync (PbStore *self)
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
  start_sync (self);
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
  reload_base_from_replica (self);
  recompute_view (self);
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
  reload_base_from_replica (self);
  recompute_view (self);
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
  reload_base_from_replica (self);
  recompute_view (self);
  return TRUE;
}

static void
on_snapshot_saved_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PbStore) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pb_replica_save_snapshot_finish (PB_REPLICA (source), result, &error))
    g_warning ("Could not cache the project: %s", error->message);
  else
    update_last_refresh (self);
}

/* The backend could not be reached: the cache, if any, with the "offline" state. */
static void
load_from_cache (GTask  *task,
                 GError *error)
{
  PbStore *self = g_task_get_source_object (task);
  g_autoptr(GError) local_error = NULL;

  if (!ensure_offline (self, &local_error))
    g_warning ("Could not open the cache of the project: %s", local_error->message);
  if (fill_from_cache (self))
    {
      set_online (self, FALSE);
      start_sync (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
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
  LoadData *data = g_task_get_task_data (task);

  if (g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE))
    {
      g_clear_pointer (&data->failure, pb_api_failure_free);
      load_from_cache (task, error);
      return TRUE;
    }
  g_task_return_error (task, g_error_copy (error));
  return TRUE;
}

static void
on_load_integrations_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) connectors = NULL;
  PbStore *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  gboolean project_changed;

  integrations = pb_client_list_all_integrations_finish (PB_CLIENT (source), result,
                                                         &data->failure, &error);
  if (integrations == NULL)
    {
      load_failed (task, error);
      return;
    }

  project_changed = self->project == NULL || !same_project (self->project, data->project);
  if (project_changed)
    g_set_object (&self->project, data->project);
  if (self->project_id == NULL)
    self->project_id = g_strdup (pb_project_get_id (data->project));
  else if (g_strcmp0 (self->project_id, pb_project_get_id (data->project)) != 0)
    g_warning ("The key now belongs to another project on the backend");

  if (!ensure_offline (self, &error))
    {
      g_warning ("Could not open the cache of the project: %s", error->message);
      g_clear_error (&error);
    }

  if (self->replica != NULL)
    pb_replica_save_snapshot_async (self->replica, data->project, data->connectors,
                                    integrations, NULL, on_snapshot_saved_cb,
                                    g_object_ref (self));

  g_clear_pointer (&self->base_connectors, g_ptr_array_unref);
  self->base_connectors = g_ptr_array_ref (data->connectors);
  g_clear_pointer (&self->base_integrations, g_ptr_array_unref);
  self->base_integrations = g_ptr_array_ref (integrations);

  connectors = sorted_copy (data->connectors, compare_ptr_connectors);
  refresh_connectors (self, connectors);
  /* Not the raw server list: queued changes stay applied. */
  recompute_view (self);
  update_availability (self);
  update_counts (self);
  set_online (self, TRUE);

  if (project_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  start_sync (self);
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
      load_failed (task, error);
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
      load_failed (task, error);
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

  /* The cache at once, while the backend is asked. */
  if (!self->loaded)
    {
      g_autoptr(GError) error = NULL;

      if (!ensure_offline (self, &error))
        g_warning ("Could not open the cache of the project: %s", error->message);
      else
        fill_from_cache (self);
    }

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

/* Apply: through the outbox (issue 7) */

typedef struct
{
  PbOperation *operation;
  PbOutboxEntry *entry;   /* the change as queued (a deep copy, without values) */
  gint64 seq;
  GHashTable *typed;      /* field → value typed for this call (secret fields only) */
  GPtrArray *missing;     /* secret fields not typed: checked in the keyring */
  PbIntegration *before;  /* the row before the change (nullable) */
  PbIntegration *answer;
  GPtrArray *stale;       /* secret fields the server no longer has: out of the keyring */
  PbApiFailure *failure;
  gboolean queued;
  gboolean acknowledged;  /* the server took it; finished when the replay ends */
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->operation);
  g_clear_object (&data->entry);
  g_clear_pointer (&data->typed, g_hash_table_unref);
  g_clear_pointer (&data->missing, g_ptr_array_unref);
  g_clear_object (&data->before);
  g_clear_object (&data->answer);
  g_clear_pointer (&data->stale, g_ptr_array_unref);
  g_clear_pointer (&data->failure, pb_api_failure_free);
  g_free (data);
}

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
stale_fields (PbOperation   *operation,
              PbIntegration *old,
              PbIntegration *answer)
{
  GPtrArray *stale = g_ptr_array_new_with_free_func (g_free);
  JsonObject *payload = pb_operation_get_payload (operation);

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

static GTask *
steal_waiting (PbStore *self,
               gint64   seq)
{
  gpointer task = NULL;
  gpointer key = NULL;

  if (!g_hash_table_steal_extended (self->waiting, &seq, &key, &task))
    return NULL;
  g_free (key);
  return task;
}

static void
on_deleted_cleared_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The integration is gone on the server; a keyring that refuses now only leaves items
   * behind, which is not worth failing anything for. */
  if (!pb_secrets_clear_integration_finish (PB_SECRETS (source), result, &error))
    g_debug ("Could not clear the credentials of a deleted integration: %s", error->message);
}

static void
on_sync_acknowledged_cb (PbSync        *sync,
                         PbOutboxEntry *entry,
                         PbIntegration *answer,
                         PbStore       *self)
{
  g_autoptr(GTask) task = steal_waiting (self, pb_outbox_entry_get_seq (entry));
  ApplyData *data;

  if (answer == NULL && self->project_id != NULL)
    pb_secrets_clear_integration_async (self->secrets, self->backend, self->project_id,
                                        pb_outbox_entry_get_integration_id (entry), NULL,
                                        on_deleted_cleared_cb, NULL);

  /* The server's answer is the row's object from now on (the replica holds the same). */
  if (answer != NULL && self->base_integrations != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; !found && i < self->base_integrations->len; i++)
        if (g_strcmp0 (pb_integration_get_id (g_ptr_array_index (self->base_integrations, i)),
                       pb_integration_get_id (answer)) == 0)
          {
            g_object_unref (g_ptr_array_index (self->base_integrations, i));
            g_ptr_array_index (self->base_integrations, i) = g_object_ref (answer);
            found = TRUE;
          }
      if (!found)
        g_ptr_array_add (self->base_integrations, g_object_ref (answer));
    }
  reload_base_from_replica (self);
  recompute_view (self);

  if (task == NULL)
    {
      /* A change replayed by the sync: views of accounts and logs may reload too. */
      g_autoptr(JsonObject) json = pb_outbox_entry_to_json (entry);
      g_autoptr(GError) error = NULL;
      g_autoptr(PbOperation) operation = pb_operation_new_from_json (json, &error);

      if (operation != NULL)
        g_signal_emit (self, signals[SIGNAL_APPLIED], 0, operation, answer);
      else
        g_debug ("A synced change cannot be read back: %s", error->message);
      return;
    }
  data = g_task_get_task_data (task);
  g_set_object (&data->answer, answer);
  if (answer != NULL)
    data->stale = stale_fields (data->operation, data->before, answer);
  /* Finished when the replay ends, after the sync's refresh of the cache, so that the
   * models have settled (other rows the change touched have their new versions) by then. */
  data->acknowledged = TRUE;
  {
    gint64 *key = g_new (gint64, 1);

    *key = data->seq;
    g_hash_table_insert (self->waiting, key, g_steal_pointer (&task));
  }
}

static PbApiError
api_error_for_code (const char *code)
{
  if (g_strcmp0 (code, "forbidden") == 0)
    return PB_API_ERROR_FORBIDDEN;
  if (g_strcmp0 (code, "not_found") == 0)
    return PB_API_ERROR_NOT_FOUND;
  if (g_strcmp0 (code, "unauthorized") == 0)
    return PB_API_ERROR_UNAUTHORIZED;
  if (code != NULL && (g_str_has_prefix (code, "validation") || g_str_has_prefix (code, "invalid") ||
                       g_str_has_prefix (code, "unknown") || g_str_has_suffix (code, "_unavailable") ||
                       g_str_has_suffix (code, "_too_large")))
    return PB_API_ERROR_VALIDATION;
  return PB_API_ERROR_CONFLICT;
}

static guint
status_for_error (PbApiError code)
{
  switch (code)
    {
    case PB_API_ERROR_FORBIDDEN: return 403;
    case PB_API_ERROR_NOT_FOUND: return 404;
    case PB_API_ERROR_UNAUTHORIZED: return 401;
    case PB_API_ERROR_VALIDATION: return 400;
    case PB_API_ERROR_VERSION_MISMATCH: return 412;
    default: return 409;
    }
}

static void
on_sync_refused_cb (PbSync        *sync,
                    PbOutboxEntry *entry,
                    const char    *message,
                    PbStore       *self)
{
  g_autoptr(GTask) task = steal_waiting (self, pb_outbox_entry_get_seq (entry));
  g_autoptr(GError) error = NULL;
  ApplyData *data;
  PbApiError code;

  if (task == NULL)
    {
      /* A replayed change: it stays in the pending list with the server's sentence. */
      recompute_view (self);
      g_signal_emit (self, signals[SIGNAL_REFUSED], 0, entry, message);
      return;
    }

  /* The admin is waiting for this change (the editor is open): the refusal goes back to
   * the editor, which keeps what was typed; the change leaves the queue. */
  if (!pb_sync_resolve_keep_theirs (self->sync, pb_outbox_entry_get_seq (entry), &error))
    g_warning ("Could not drop a refused change: %s", error->message);
  recompute_view (self);

  data = g_task_get_task_data (task);
  code = api_error_for_code (pb_outbox_entry_get_code (entry));
  data->failure = pb_api_failure_new (status_for_error (code), pb_outbox_entry_get_code (entry),
                                      message, NULL);
  g_task_return_new_error (task, PB_API_ERROR, code, "%s", message);
}

static void
on_sync_conflict_cb (PbSync        *sync,
                     PbOutboxEntry *entry,
                     JsonObject    *theirs,
                     PbStore       *self)
{
  g_autoptr(GTask) task = steal_waiting (self, pb_outbox_entry_get_seq (entry));

  recompute_view (self);
  g_signal_emit (self, signals[SIGNAL_CONFLICT], 0, entry, theirs);

  if (task != NULL)
    {
      ApplyData *data = g_task_get_task_data (task);
      g_autoptr(JsonObject) details = json_object_new ();
      const char *message = pb_outbox_entry_get_message (entry);

      if (message == NULL)
        message = _("Someone else changed this integration meanwhile.");
      json_object_set_object_member (details, "current", pb_store_copy_json_object (theirs));
      data->failure = pb_api_failure_new (412, "version_mismatch", message, details);
      g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_VERSION_MISMATCH, "%s",
                               message);
    }
}

static void
finish_queued (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  PbIntegration *row;

  recompute_view (self);
  row = pb_store_find_integration (self, pb_outbox_entry_get_integration_id (data->entry), NULL);

  data->queued = TRUE;
  g_set_object (&data->answer, row);
  update_counts (self);
  g_task_return_boolean (task, TRUE);
}

/* After a replay: acknowledged changes are done; what was not answered waits in the queue
 * (offline, or behind a conflict). */
static void
finish_all_waiting_as_queued (PbStore *self)
{
  g_autoptr(GList) tasks = NULL;

  tasks = g_hash_table_get_values (self->waiting);
  g_hash_table_remove_all (self->waiting);   /* frees the keys, not the tasks */
  for (GList *l = tasks; l != NULL; l = l->next)
    {
      GTask *task = l->data;
      ApplyData *data = g_task_get_task_data (task);

      if (data->acknowledged)
        {
          apply_clear_stale_next (task);   /* takes the reference */
          continue;
        }
      finish_queued (task);
      g_object_unref (task);
    }
}

static void
on_sync_run_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PbStore) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pb_sync_run_finish (PB_SYNC (source), result, &error))
    g_debug ("Sync stopped: %s", error->message);
  finish_all_waiting_as_queued (self);
}

static void
apply_queue (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 *key;

  data->seq = pb_outbox_append (self->outbox, data->entry, &error);
  if (data->seq == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (pb_sync_get_state (self->sync) == PB_SYNC_STATE_OFFLINE || !self->sync_started ||
      !self->online)
    {
      /* What the admin sees follows at once; the change waits in the queue. */
      recompute_view (self);
      finish_queued (task);
      g_object_unref (task);
      return;
    }

  /* The backend answered last time: the models follow its answer (one change per row, as
   * before the outbox), or the queue if it cannot be reached after all (finish_queued). */

  key = g_new (gint64, 1);
  *key = data->seq;
  g_hash_table_insert (self->waiting, key, task);
  pb_sync_run_async (self->sync, NULL, on_sync_run_cb, g_object_ref (self));
}

static void apply_check_keyring_next (GTask *task);

static void
on_keyring_checked_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  ApplyData *data = g_task_get_task_data (task);
  const char *field = g_ptr_array_index (data->missing, 0);
  char *value;

  value = pb_secrets_lookup_finish (PB_SECRETS (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (value == NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT,
                               _("This machine’s keyring has no value for “%s”. Type it "
                                 "again."), field);
      g_object_unref (task);
      return;
    }
  secret_password_free (value);
  g_ptr_array_remove_index (data->missing, 0);
  apply_check_keyring_next (task);
}

/* A queued change refers to its values in the keyring: each one not typed now must be
 * there already, or the change could never be sent. */
static void
apply_check_keyring_next (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);

  if (data->missing->len == 0)
    {
      apply_queue (task);
      return;
    }
  pb_secrets_lookup_async (self->secrets, self->backend, self->project_id,
                           pb_operation_get_integration_id (data->operation),
                           g_ptr_array_index (data->missing, 0),
                           g_task_get_cancellable (task), on_keyring_checked_cb, task);
}

static void
on_typed_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  ApplyData *data = g_task_get_task_data (task);
  GHashTableIter iter;
  gpointer key, value;

  if (!pb_secrets_store_finish (PB_SECRETS (source), result, &error))
    {
      /* Nothing was queued: the credentials must be safe before they travel. */
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* The server refuses values over 8 KiB; say so beside the field, as it would, without
   * queueing a change that cannot go through. The keyring keeps what was typed. */
  g_hash_table_iter_init (&iter, data->typed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (strlen (value) > PB_STORE_MAX_SECRET_BYTES)
      {
        g_autoptr(JsonObject) details = json_object_new ();
        g_autoptr(JsonObject) fields = json_object_new ();
        g_autofree char *member = g_strconcat ("secrets.", (const char *) key, NULL);
        const char *sentence = _("This value is too long (at most 8 KiB).");

        json_object_set_string_member (fields, member, sentence);
        json_object_set_object_member (details, "fields", g_steal_pointer (&fields));
        data->failure = pb_api_failure_new (400, "validation_failed", sentence, details);
        g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_VALIDATION, "%s", sentence);
        g_object_unref (task);
        return;
      }

  apply_check_keyring_next (task);
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
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(GHashTable) field_errors = NULL;
  ApplyData *data;
  const char * const *fields;
  PbIntegration *before;

  g_return_if_fail (PB_IS_STORE (self));
  g_return_if_fail (PB_IS_OPERATION (operation));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_apply_async);

  data = g_new0 (ApplyData, 1);
  data->operation = g_object_ref (operation);
  data->typed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  data->missing = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);

  if (self->outbox == NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_NOT_LOADED,
                               _("The project is not loaded yet; try again in a moment."));
      return;
    }

  before = pb_store_find_integration (self, pb_operation_get_integration_id (operation), NULL);
  data->before = before ? g_object_ref (before) : NULL;
  if (before == NULL && pb_operation_get_kind (operation) != PB_OPERATION_CREATE)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                               _("This integration is not in the project any more."));
      return;
    }

  /* The entry is built from the operation's JSON: a copy of its own, without values. */
  json = pb_operation_to_json (operation);
  data->entry = pb_outbox_entry_new_from_json (json, &error);
  if (data->entry == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* What the server would refuse is refused at once, with its sentence. */
  if (!pb_overlay_check (self->view, data->entry, self->base_connectors, &field_errors,
                         &error))
    {
      g_autoptr(JsonObject) details = NULL;

      if (field_errors != NULL && g_hash_table_size (field_errors) > 0)
        {
          JsonObject *problems = json_object_new ();
          GHashTableIter iter;
          gpointer key, value;

          g_hash_table_iter_init (&iter, field_errors);
          while (g_hash_table_iter_next (&iter, &key, &value))
            json_object_set_string_member (problems, key, value);
          details = json_object_new ();
          json_object_set_object_member (details, "fields", problems);
        }
      data->failure = pb_api_failure_new (0, "rule", error->message, details);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fields = pb_operation_get_secret_fields (operation);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *value = secrets ? g_hash_table_lookup (secrets, fields[i]) : NULL;

      if (value != NULL)
        g_hash_table_insert (data->typed, g_strdup (fields[i]), g_strdup (value));
      else
        g_ptr_array_add (data->missing, g_strdup (fields[i]));
    }

  if (g_hash_table_size (data->typed) > 0)
    {
      /* Keyring first: a queued change refers to its values there. */
      pb_secrets_store_async (self->secrets, self->backend, self->project_id,
                              pb_operation_get_integration_id (operation), data->typed,
                              cancellable, on_typed_stored_cb, g_steal_pointer (&task));
      return;
    }

  apply_check_keyring_next (g_steal_pointer (&task));
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

gboolean
pb_store_apply_was_queued (PbStore      *self,
                           GAsyncResult *result)
{
  ApplyData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  return data != NULL && data->queued;
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
