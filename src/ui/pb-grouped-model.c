/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-grouped-model"

#include "config.h"

#include "pb-grouped-model.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pb-core.h"

struct _PbGroupedModel
{
  GObject parent_instance;

  GListModel *source;
  GPtrArray  *items;     /* GObject*, owned: headers and integrations, flattened */
  GArray     *flat_of;   /* guint: the position in items of each source item */
  GHashTable *headers;   /* connector key → PbConnectorHeader*, so a group keeps its header */
};

static void pb_grouped_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PbGroupedModel, pb_grouped_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pb_grouped_model_list_model_init))

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
pb_grouped_model_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
pb_grouped_model_get_n_items (GListModel *model)
{
  return PB_GROUPED_MODEL (model)->items->len;
}

static gpointer
pb_grouped_model_get_item (GListModel *model,
                           guint       position)
{
  PbGroupedModel *self = PB_GROUPED_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
pb_grouped_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pb_grouped_model_get_item_type;
  iface->get_n_items = pb_grouped_model_get_n_items;
  iface->get_item = pb_grouped_model_get_item;
}

static PbConnectorHeader *
lookup_header (PbGroupedModel *self,
               PbIntegration  *integration)
{
  const char *key = pb_integration_get_connector_key (integration);
  const char *label = pb_integration_get_connector_label (integration);
  const char * const *categories = pb_integration_get_categories (integration);
  const char *category = categories != NULL ? categories[0] : NULL;
  PbConnectorHeader *header = g_hash_table_lookup (self->headers, key);

  if (header == NULL
      || g_strcmp0 (pb_connector_header_get_connector_label (header), label) != 0
      || g_strcmp0 (pb_connector_header_get_category (header), category) != 0)
    {
      header = pb_connector_header_new (key, label, category);
      g_hash_table_replace (self->headers, g_strdup (key), header);
    }
  return header;
}

/* The connector key of the source's item at @position (its integrations stay alive in the
 * source, and in items, for as long as the key is used). */
static const char *
source_key (PbGroupedModel *self,
            guint           position)
{
  g_autoptr(PbIntegration) integration = g_list_model_get_item (self->source, position);

  return pb_integration_get_connector_key (integration);
}

/*
 * The source's items [position, position + removed) became [position, position + added).
 * Only the flattened items that stand for them change, with the headers around them: the one
 * before the first (its group may now start elsewhere) and the one before the item that
 * follows them (its group may now go on from the items before it). That span is rebuilt from
 * the source and replaced; the items-changed emitted leaves out what stayed the same at its
 * start and end, so a row replaced in its group is (row, 1, 1) and a row that moved is one
 * removal and one insertion, with its header only when its group appears or goes.
 */
static void
pb_grouped_model_splice (PbGroupedModel *self,
                         guint           position,
                         guint           removed,
                         guint           added,
                         gboolean        notify)
{
  guint n_old_source = self->flat_of->len;
  guint n_source = n_old_source - removed + added;
  guint flat_start, flat_end, n_new, prefix = 0, suffix = 0, max_common;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) fresh_flat = g_array_sized_new (FALSE, FALSE, sizeof (guint), added);
  const char *last_key;
  int shift;

  g_return_if_fail (position + removed <= n_old_source);

  /* The span in items: from the first item's header (if it starts a group) to the item that
   * follows the removed ones, without it (its header, if any, is in the span). */
  flat_start = position < n_old_source ? g_array_index (self->flat_of, guint, position)
                                       : self->items->len;
  if (flat_start > 0 && PB_IS_CONNECTOR_HEADER (g_ptr_array_index (self->items, flat_start - 1)))
    flat_start--;
  flat_end = position + removed < n_old_source
             ? g_array_index (self->flat_of, guint, position + removed) : self->items->len;

  /* What the span holds now. */
  last_key = position > 0 ? source_key (self, position - 1) : NULL;
  for (guint i = position; i < position + added; i++)
    {
      PbIntegration *integration = g_list_model_get_item (self->source, i);   /* ref moves in */
      const char *key = pb_integration_get_connector_key (integration);

      if (last_key == NULL || g_strcmp0 (last_key, key) != 0)
        g_ptr_array_add (fresh, g_object_ref (lookup_header (self, integration)));
      g_array_append_val (fresh_flat, (guint) { flat_start + fresh->len });
      g_ptr_array_add (fresh, integration);
      last_key = key;
    }
  if (position + added < n_source)
    {
      g_autoptr(PbIntegration) next = g_list_model_get_item (self->source, position + added);

      if (last_key == NULL || g_strcmp0 (last_key, pb_integration_get_connector_key (next)) != 0)
        g_ptr_array_add (fresh, g_object_ref (lookup_header (self, next)));
    }
  n_new = fresh->len;

  /* What stayed the same at the span's start and end is not announced as changed. */
  max_common = MIN (flat_end - flat_start, n_new);
  while (prefix < max_common
         && g_ptr_array_index (self->items, flat_start + prefix) == g_ptr_array_index (fresh, prefix))
    prefix++;
  while (suffix < max_common - prefix
         && g_ptr_array_index (self->items, flat_end - 1 - suffix)
            == g_ptr_array_index (fresh, n_new - 1 - suffix))
    suffix++;

  /* The items, then the positions of the source's items (those after the span move by the
   * span's change in length). */
  g_ptr_array_remove_range (self->items, flat_start, flat_end - flat_start);
  {
    guint tail = self->items->len - flat_start;

    g_ptr_array_set_size (self->items, self->items->len + n_new);
    memmove (self->items->pdata + flat_start + n_new, self->items->pdata + flat_start,
             tail * sizeof (gpointer));
    memcpy (self->items->pdata + flat_start, fresh->pdata, n_new * sizeof (gpointer));
    g_ptr_array_set_free_func (fresh, NULL);   /* its references moved into items */
  }
  shift = (int) n_new - (int) (flat_end - flat_start);
  g_array_remove_range (self->flat_of, position, removed);
  g_array_insert_vals (self->flat_of, position, fresh_flat->data, added);
  for (guint i = position + added; i < self->flat_of->len; i++)
    g_array_index (self->flat_of, guint, i) += shift;

  if (!notify || (prefix == flat_end - flat_start && prefix == n_new))
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), flat_start + prefix,
                              flat_end - flat_start - prefix - suffix, n_new - prefix - suffix);
  if (shift != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
on_source_items_changed_cb (GListModel     *source,
                            guint           position,
                            guint           removed,
                            guint           added,
                            PbGroupedModel *self)
{
  pb_grouped_model_splice (self, position, removed, added, TRUE);
}

static void
pb_grouped_model_dispose (GObject *object)
{
  PbGroupedModel *self = PB_GROUPED_MODEL (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, on_source_items_changed_cb, self);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (pb_grouped_model_parent_class)->dispose (object);
}

static void
pb_grouped_model_finalize (GObject *object)
{
  PbGroupedModel *self = PB_GROUPED_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->flat_of, g_array_unref);
  g_clear_pointer (&self->headers, g_hash_table_unref);

  G_OBJECT_CLASS (pb_grouped_model_parent_class)->finalize (object);
}

static void
pb_grouped_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PbGroupedModel *self = PB_GROUPED_MODEL (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_grouped_model_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PbGroupedModel *self = PB_GROUPED_MODEL (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      self->source = g_value_dup_object (value);
      if (self->source != NULL)
        {
          g_signal_connect (self->source, "items-changed",
                            G_CALLBACK (on_source_items_changed_cb), self);
          pb_grouped_model_splice (self, 0, 0, g_list_model_get_n_items (self->source), FALSE);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_grouped_model_class_init (PbGroupedModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pb_grouped_model_dispose;
  object_class->finalize = pb_grouped_model_finalize;
  object_class->get_property = pb_grouped_model_get_property;
  object_class->set_property = pb_grouped_model_set_property;

  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_grouped_model_init (PbGroupedModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->flat_of = g_array_new (FALSE, FALSE, sizeof (guint));
  self->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

PbGroupedModel *
pb_grouped_model_new (GListModel *source)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  return g_object_new (PB_TYPE_GROUPED_MODEL, "source", source, NULL);
}
