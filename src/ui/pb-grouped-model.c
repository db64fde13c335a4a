/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-grouped-model"

#include "config.h"

#include "pb-grouped-model.h"

#include <glib/gi18n.h>

#include "pb-core.h"

struct _PbGroupedModel
{
  GObject parent_instance;

  GListModel *source;
  GPtrArray  *items;     /* GObject*, owned: headers and integrations, flattened */
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

static void
pb_grouped_model_rebuild (PbGroupedModel *self,
                          gboolean        notify)
{
  g_autoptr(GPtrArray) old = self->items;
  guint n = self->source != NULL ? g_list_model_get_n_items (self->source) : 0;
  const char *last_key = NULL;
  guint prefix = 0, suffix = 0, max_common;

  self->items = g_ptr_array_new_full (n + n / 2 + 1, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      PbIntegration *integration = g_list_model_get_item (self->source, i);   /* ref moves in */
      const char *key = pb_integration_get_connector_key (integration);

      if (last_key == NULL || g_strcmp0 (last_key, key) != 0)
        {
          g_ptr_array_add (self->items, g_object_ref (lookup_header (self, integration)));
        }
      last_key = key;
      g_ptr_array_add (self->items, integration);
    }

  if (!notify)
    return;

  /* The smallest range that changed: skip the common start and the common end. */
  max_common = MIN (old->len, self->items->len);
  while (prefix < max_common
         && g_ptr_array_index (old, prefix) == g_ptr_array_index (self->items, prefix))
    prefix++;
  while (suffix < max_common - prefix
         && g_ptr_array_index (old, old->len - 1 - suffix)
            == g_ptr_array_index (self->items, self->items->len - 1 - suffix))
    suffix++;

  if (prefix == old->len && prefix == self->items->len)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                              old->len - prefix - suffix,
                              self->items->len - prefix - suffix);
  if (old->len != self->items->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
on_source_items_changed_cb (GListModel     *source,
                            guint           position,
                            guint           removed,
                            guint           added,
                            PbGroupedModel *self)
{
  pb_grouped_model_rebuild (self, TRUE);
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
          pb_grouped_model_rebuild (self, FALSE);
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
  self->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

PbGroupedModel *
pb_grouped_model_new (GListModel *source)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  return g_object_new (PB_TYPE_GROUPED_MODEL, "source", source, NULL);
}
