/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PbStore: the models (sorting, counts, the view); pb-store-load.c fills them. */
#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include "pb-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-core.h"
#include "pb-store-error.h"
#include "pb-store-private.h"
#include "pb-offline.h"

/* Sorting */

/* Sorting compares collation keys of the casefolded texts, made once per model object (the
 * models are immutable): g_utf8_collate() on every comparison made sorting 20,000
 * integrations take a third of a second. Integrations keep theirs
 * (pb_integration_get_sort_keys()); a connector's is kept here. */
static const char *
connector_sort_key (PbConnector *connector)
{
  static GQuark quark;
  char *key;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("pb-store-sort-key");
  key = g_object_get_qdata (G_OBJECT (connector), quark);
  if (key == NULL)
    {
      g_autofree char *folded = g_utf8_casefold (pb_connector_get_provider_name (connector), -1);

      key = g_utf8_collate_key (folded, -1);
      g_object_set_qdata_full (G_OBJECT (connector), quark, key, g_free);
    }
  return key;
}

static int
compare_integrations (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  PbIntegration *ia = (PbIntegration *) a;
  PbIntegration *ib = (PbIntegration *) b;
  const char *label_a, *name_a, *label_b, *name_b;
  int result;

  pb_integration_get_sort_keys (ia, &label_a, &name_a);
  pb_integration_get_sort_keys (ib, &label_b, &name_b);
  result = strcmp (label_a, label_b);
  if (result == 0)
    result = strcmp (name_a, name_b);
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

  result = strcmp (connector_sort_key (ca), connector_sort_key (cb));
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
  guint low = 0, high;

  /* A binary search over the sorted rows, as if the row at @skip were not there. */
  high = skip < n ? n - 1 : n;
  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      g_autoptr(PbIntegration) other =
        g_list_model_get_item (model, skip < n && mid >= skip ? mid + 1 : mid);

      if (compare_integrations (other, integration, NULL) < 0)
        low = mid + 1;
      else
        high = mid;
    }
  return low;
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

void
pb_store_update_counts (PbStore *self)
{
  GListModel *integrations = G_LIST_MODEL (self->integrations);
  GListModel *categories = G_LIST_MODEL (self->categories);
  guint n_integrations = g_list_model_get_n_items (integrations);
  guint n_categories = g_list_model_get_n_items (categories);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

  /* One pass: category key (owned by the integrations, alive until the end) → count. */
  for (guint i = 0; i < n_integrations; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);
      const char * const *in = pb_integration_get_categories (integration);

      for (guint k = 0; in != NULL && in[k] != NULL; k++)
        {
          gboolean repeated = FALSE;

          /* Each category once per integration, even if listed twice. */
          for (guint j = 0; j < k && !repeated; j++)
            repeated = g_str_equal (in[j], in[k]);
          if (repeated)
            continue;
          g_hash_table_insert (counts, (gpointer) in[k],
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (
                                 g_hash_table_lookup (counts, in[k])) + 1));
        }
    }
  for (guint c = 0; c < n_categories; c++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (categories, c);

      pb_category_set_count (category, GPOINTER_TO_UINT (
                               g_hash_table_lookup (counts, pb_category_get_key (category))));
    }
}

void
pb_store_update_availability (PbStore *self)
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

/* Models */

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
  /* Field by field: through JSON, a refresh of 20,000 rows took half a second. */
  return pb_integration_equal (a, b);
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

/* More changed rows than this in one refresh replace the whole model in one emission. */
#define REFRESH_ROW_BY_ROW_MAX 64

/* Brings the integrations model to @integrations (sorted) with precise emissions: the first
 * load is one insertion; later ones remove what is gone, replace what changed (moving rows
 * whose order changed) and insert what is new, and leave equal rows alone. */
static void
refresh_integrations (PbStore   *self,
                      GPtrArray *integrations)
{
  GListModel *model = G_LIST_MODEL (self->integrations);
  g_autoptr(GHashTable) fresh = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) current = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
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

  /* What is left, by id, to find each row's old version without scanning the model. */
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbIntegration) old = g_list_model_get_item (model, i);

      g_hash_table_insert (current, (gpointer) pb_integration_get_id (old), old);
    }
  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (integrations, i);
      PbIntegration *old = g_hash_table_lookup (current, pb_integration_get_id (integration));

      if (old == NULL || !same_integration (old, integration))
        g_ptr_array_add (changed, integration);
    }

  /* Row by row when a few rows changed; a wholesale change (a first refresh after the
   * cache, say) is one replacement, since row by row would cost rows × model size. */
  if (changed->len > REFRESH_ROW_BY_ROW_MAX)
    {
      g_list_store_splice (self->integrations, 0, n, integrations->pdata, integrations->len);
      return;
    }
  for (guint i = 0; i < changed->len; i++)
    put_integration (self, g_ptr_array_index (changed, i));
}

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

static gpointer
copy_ref (gconstpointer src,
          gpointer      data)
{
  return g_object_ref ((gpointer) src);
}

/* @delta (1 or -1) to the count of each of @integration's categories, once each, in
 * @deltas (category key → change, borrowed from the integration's categories). */
static void
count_categories (GHashTable    *deltas,
                  PbIntegration *integration,
                  int            delta)
{
  const char * const *in = pb_integration_get_categories (integration);

  for (guint k = 0; in != NULL && in[k] != NULL; k++)
    {
      gboolean repeated = FALSE;

      for (guint j = 0; j < k && !repeated; j++)
        repeated = g_str_equal (in[j], in[k]);
      if (!repeated)
        g_hash_table_insert (deltas, (gpointer) in[k],
                             GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (deltas, in[k]))
                                              + delta));
    }
}

static GHashTable *
pointer_set (GPtrArray *array)
{
  GHashTable *set = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < array->len; i++)
    g_hash_table_add (set, g_ptr_array_index (array, i));
  return set;
}

/* The model follows the view from @old_view to self->view row by row: the rows whose object
 * is not in the other view are the ones that changed (unchanged rows stay the same objects,
 * see pb_store_replace_base()), so nothing is sorted or compared again. FALSE, doing
 * nothing, when that is more rows than is worth it. */
static gboolean
follow_view_changes (PbStore   *self,
                     GPtrArray *old_view)
{
  g_autoptr(GHashTable) old_set = pointer_set (old_view);
  g_autoptr(GHashTable) new_set = pointer_set (self->view);
  g_autoptr(GHashTable) gone = g_hash_table_new (g_str_hash, g_str_equal);   /* id → old */
  g_autoptr(GHashTable) put_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) put = g_ptr_array_new ();
  g_autoptr(GHashTable) deltas = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *categories = G_LIST_MODEL (self->categories);
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < old_view->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (old_view, i);

      if (!g_hash_table_contains (new_set, integration))
        g_hash_table_insert (gone, (gpointer) pb_integration_get_id (integration), integration);
    }
  for (guint i = 0; i < self->view->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (self->view, i);
      const char *id = pb_integration_get_id (integration);
      PbIntegration *old;

      if (g_hash_table_contains (old_set, integration))
        continue;
      /* The overlay makes a new object for a row with queued changes each time: the same
       * content is the same row (and the view keeps the row's object). */
      old = g_hash_table_lookup (gone, id);
      if (old != NULL && same_integration (old, integration))
        {
          g_hash_table_remove (gone, id);
          g_ptr_array_index (self->view, i) = g_object_ref (old);
          g_object_unref (integration);
          continue;
        }
      g_ptr_array_add (put, integration);
      g_hash_table_add (put_ids, (gpointer) id);
    }
  if (g_hash_table_size (gone) + put->len > 2 * REFRESH_ROW_BY_ROW_MAX)
    return FALSE;

  g_hash_table_iter_init (&iter, gone);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PbIntegration *integration = value;
      const char *id = pb_integration_get_id (integration);
      guint position;

      count_categories (deltas, integration, -1);
      /* A row with a new version is replaced where it is (put_integration): not removed. */
      if (!g_hash_table_contains (put_ids, id) && pb_store_find_integration (self, id, &position))
        g_list_store_remove (self->integrations, position);
    }
  for (guint i = 0; i < put->len; i++)
    {
      count_categories (deltas, g_ptr_array_index (put, i), 1);
      put_integration (self, g_ptr_array_index (put, i));
    }

  /* The counts after the rows, as pb_store_update_counts() does them. */
  for (guint c = 0; c < g_list_model_get_n_items (categories); c++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (categories, c);
      int delta = GPOINTER_TO_INT (g_hash_table_lookup (deltas, pb_category_get_key (category)));

      if (delta != 0)
        pb_category_set_count (category, pb_category_get_count (category) + delta);
    }
  return TRUE;
}

/* The integrations as the admin sees them: the last known server state (the replica's, or
 * the one just loaded) with the queued changes applied on top. */
void
pb_store_recompute_view (PbStore *self)
{
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GPtrArray) old_view = NULL;

  if (self->base_integrations == NULL)
    return;
  old_view = g_steal_pointer (&self->view);
  if (self->outbox != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->outbox)) > 0)
    self->view = pb_overlay_apply (self->base_integrations, G_LIST_MODEL (self->outbox),
                                   self->base_connectors);
  else
    /* A copy: the base changes in place (an acknowledged change), the view it was stays. */
    self->view = g_ptr_array_copy (self->base_integrations, copy_ref, NULL);

  /* A few rows changed (a change acknowledged, a small refresh): only those. */
  if (old_view != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->integrations)) > 0
      && follow_view_changes (self, old_view))
    return;

  sorted = sorted_copy (self->view, compare_ptr_integrations);
  refresh_integrations (self, sorted);
  pb_store_update_counts (self);
}

void
pb_store_set_online (PbStore  *self,
                     gboolean  online)
{
  if (self->online == online)
    return;
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_ONLINE]);
}

void
pb_store_update_last_refresh (PbStore *self)
{
  g_autoptr(GDateTime) last = self->replica ? pb_replica_get_last_refresh (self->replica) : NULL;

  if (last == NULL && self->last_refresh == NULL)
    return;
  if (last != NULL && self->last_refresh != NULL && g_date_time_equal (last, self->last_refresh))
    return;
  g_clear_pointer (&self->last_refresh, g_date_time_unref);
  self->last_refresh = g_steal_pointer (&last);
  g_object_notify_by_pspec (G_OBJECT (self), pb_store_properties[PB_STORE_PROP_LAST_REFRESH]);
}

/* The server's state as the replica has it now (after an acknowledgement or a refresh). */
void
pb_store_reload_base_from_replica (PbStore *self)
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
  pb_store_replace_base (self, integrations);
}

/* An id listed twice (a page boundary that moved while the list was read) counts once, with
 * its last version where that one was listed: as the replica keeps it (INSERT OR REPLACE).
 * @integrations owns its objects (g_object_unref() is its free function). */
void
pb_store_unique_by_id (GPtrArray *integrations)
{
  g_autoptr(GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal);
  guint kept = 0;

  /* Replace, not insert: the key is then the kept object's id, not one released below. */
  for (guint i = 0; i < integrations->len; i++)
    g_hash_table_replace (last,
                          (gpointer) pb_integration_get_id (g_ptr_array_index (integrations, i)),
                          GUINT_TO_POINTER (i));
  if (g_hash_table_size (last) == integrations->len)
    return;
  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (integrations, i);

      if (GPOINTER_TO_UINT (g_hash_table_lookup (last, pb_integration_get_id (integration))) == i)
        g_ptr_array_index (integrations, kept++) = integration;
      else
        g_object_unref (integration);
    }
  /* The rest of the slots were moved or released above. */
  g_ptr_array_set_free_func (integrations, NULL);
  g_ptr_array_set_size (integrations, kept);
  g_ptr_array_set_free_func (integrations, g_object_unref);
}

/* @integrations (transfer full, the store's own array from now on) is the server's state. */
void
pb_store_replace_base (PbStore   *self,
                       GPtrArray *integrations)
{
  pb_store_unique_by_id (integrations);
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

gboolean
pb_store_apply_base_changes (PbStore                    *self,
                             const PbIntegrationChanges *changes)
{
  g_autoptr(GHashTable) changed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) deleted = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *base;
  gboolean any = FALSE;

  if (changes->full || self->base_integrations == NULL)
    {
      if (changes->full)
        pb_store_replace_base (self, g_ptr_array_copy (changes->integrations, copy_ref, NULL));
      else
        pb_store_reload_base_from_replica (self);
      return TRUE;
    }
  if (changes->integrations->len == 0 && changes->deleted_ids->len == 0)
    return FALSE;
  for (guint i = 0; i < changes->integrations->len; i++)
    g_hash_table_insert (changed,
                         (gpointer) pb_integration_get_id (changes->integrations->pdata[i]),
                         changes->integrations->pdata[i]);
  for (guint i = 0; i < changes->deleted_ids->len; i++)
    g_hash_table_add (deleted, changes->deleted_ids->pdata[i]);

  /* The rows that did not change stay the same objects (and so do the changed ones whose
   * content is the same), so that the view moves by exactly the delta. */
  base = g_ptr_array_new_full (self->base_integrations->len + changes->integrations->len,
                               g_object_unref);
  for (guint i = 0; i < self->base_integrations->len; i++)
    {
      PbIntegration *known = self->base_integrations->pdata[i];
      const char *id = pb_integration_get_id (known);
      PbIntegration *fresh;

      if (g_hash_table_contains (deleted, id))
        {
          any = TRUE;
          continue;
        }
      fresh = g_hash_table_lookup (changed, id);
      if (fresh != NULL)
        {
          g_hash_table_remove (changed, id);
          if (!same_integration (known, fresh))
            {
              known = fresh;
              any = TRUE;
            }
        }
      g_ptr_array_add (base, g_object_ref (known));
    }
  for (guint i = 0; i < changes->integrations->len; i++)
    {
      PbIntegration *fresh = changes->integrations->pdata[i];

      if (g_hash_table_contains (changed, pb_integration_get_id (fresh)))
        {
          g_ptr_array_add (base, g_object_ref (fresh));
          any = TRUE;
        }
    }
  if (!any)
    {
      /* The models have it all already (the answer to one's own change, say). */
      g_ptr_array_unref (base);
      return FALSE;
    }
  g_clear_pointer (&self->base_integrations, g_ptr_array_unref);
  self->base_integrations = base;
  return TRUE;
}

gboolean
pb_store_same_project (PbProject *a,
                       PbProject *b)
{
  g_autoptr(JsonObject) ja = pb_project_to_json (a);
  g_autoptr(JsonObject) jb = pb_project_to_json (b);

  return same_json (ja, jb);
}

/* The catalog as the backend (or the replica) has it: @connectors (transfer none). */
void
pb_store_set_connectors (PbStore   *self,
                         GPtrArray *connectors)
{
  g_autoptr(GPtrArray) sorted = sorted_copy (connectors, compare_ptr_connectors);

  if (self->base_connectors != connectors)
    {
      g_clear_pointer (&self->base_connectors, g_ptr_array_unref);
      self->base_connectors = g_ptr_array_ref (connectors);
    }
  refresh_connectors (self, sorted);
}
