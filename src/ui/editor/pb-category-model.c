/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-category-model"

#include "config.h"

#include "pb-category-model.h"

#include <glib/gi18n.h>
#include <string.h>

/* PbCategoryHeader */

struct _PbCategoryHeader
{
  GObject  parent_instance;
  char    *category;
};

G_DEFINE_FINAL_TYPE (PbCategoryHeader, pb_category_header, G_TYPE_OBJECT)

static void
pb_category_header_finalize (GObject *object)
{
  PbCategoryHeader *self = PB_CATEGORY_HEADER (object);

  g_free (self->category);

  G_OBJECT_CLASS (pb_category_header_parent_class)->finalize (object);
}

static void
pb_category_header_class_init (PbCategoryHeaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pb_category_header_finalize;
}

static void
pb_category_header_init (PbCategoryHeader *self)
{
}

static PbCategoryHeader *
pb_category_header_new (const char *category)
{
  PbCategoryHeader *self = g_object_new (PB_TYPE_CATEGORY_HEADER, NULL);

  self->category = g_strdup (category);
  return self;
}

const char *
pb_category_header_get_category (PbCategoryHeader *self)
{
  g_return_val_if_fail (PB_IS_CATEGORY_HEADER (self), NULL);

  return self->category;
}

/* PbCategoryModel */

struct _PbCategoryModel
{
  GObject     parent_instance;

  GPtrArray  *items;      /* GObject*: headers and connectors, in display order */
  guint       n_connectors;
  GHashTable *headers;    /* category → PbCategoryHeader, the same object in every update */
};

static void pb_category_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PbCategoryModel, pb_category_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pb_category_model_list_model_init))

static GType
pb_category_model_get_item_type (GListModel *list)
{
  return G_TYPE_OBJECT;
}

static guint
pb_category_model_get_n_items (GListModel *list)
{
  return PB_CATEGORY_MODEL (list)->items->len;
}

static gpointer
pb_category_model_get_item (GListModel *list,
                            guint       position)
{
  PbCategoryModel *self = PB_CATEGORY_MODEL (list);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
pb_category_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pb_category_model_get_item_type;
  iface->get_n_items = pb_category_model_get_n_items;
  iface->get_item = pb_category_model_get_item;
}

static const char *
connector_category (PbConnector *connector)
{
  const char *category = pb_connector_get_category (connector);

  return category != NULL ? category : "";
}

static void
pb_category_model_finalize (GObject *object)
{
  PbCategoryModel *self = PB_CATEGORY_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->headers, g_hash_table_unref);

  G_OBJECT_CLASS (pb_category_model_parent_class)->finalize (object);
}

static void
pb_category_model_class_init (PbCategoryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_category_model_finalize;
}

static void
pb_category_model_init (PbCategoryModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

static PbCategoryHeader *
header_for (PbCategoryModel *self,
            const char      *category)
{
  PbCategoryHeader *header = g_hash_table_lookup (self->headers, category);

  if (header == NULL)
    {
      header = pb_category_header_new (category);
      g_hash_table_insert (self->headers, g_strdup (category), header);
    }
  return header;
}

/**
 * pb_category_model_new:
 * @connectors: a sorted model of PbConnector
 *
 * Returns: (transfer full): @connectors with category headers interleaved, as it is now
 *   (pb_category_model_set_connectors() changes it later)
 */
PbCategoryModel *
pb_category_model_new (GListModel *connectors)
{
  PbCategoryModel *self;
  g_autoptr(GPtrArray) array = NULL;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (connectors), NULL);

  self = g_object_new (PB_TYPE_CATEGORY_MODEL, NULL);
  n = g_list_model_get_n_items (connectors);
  array = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      GObject *item = g_list_model_get_item (connectors, i);

      if (PB_IS_CONNECTOR (item))
        g_ptr_array_add (array, item);
      else
        g_clear_object (&item);
    }
  pb_category_model_set_connectors (self, (PbConnector **) array->pdata, array->len);
  return self;
}

/**
 * pb_category_model_set_connectors:
 * @connectors: (array length=n_connectors): PbConnectors sorted by category
 *
 * Makes the items @connectors with a header before each category, and emits one
 * items-changed for the span between what stayed the same at the start and at the end
 * (headers are the same objects from one call to the next), so that a list view keeps the
 * rows of the items that stayed and builds only the others. Nothing is emitted (nor
 * referenced) when the items stay the same.
 *
 * Returns: whether the items changed
 */
gboolean
pb_category_model_set_connectors (PbCategoryModel    *self,
                                  PbConnector * const *connectors,
                                  guint               n_connectors)
{
  g_autoptr(GPtrArray) items = NULL;
  GPtrArray *old;
  const char *current = NULL;
  guint prefix = 0, suffix = 0;

  g_return_val_if_fail (PB_IS_CATEGORY_MODEL (self), FALSE);
  g_return_val_if_fail (connectors != NULL || n_connectors == 0, FALSE);

  /* Borrowed pointers first: most keystrokes that extend a search change nothing. */
  items = g_ptr_array_sized_new (n_connectors + 16);
  for (guint i = 0; i < n_connectors; i++)
    {
      const char *category = connector_category (connectors[i]);

      if (current == NULL || strcmp (current, category) != 0)
        {
          g_ptr_array_add (items, header_for (self, category));
          current = category;
        }
      g_ptr_array_add (items, connectors[i]);
    }

  old = self->items;
  while (prefix < old->len && prefix < items->len
         && g_ptr_array_index (old, prefix) == g_ptr_array_index (items, prefix))
    prefix++;
  while (suffix < old->len - prefix && suffix < items->len - prefix
         && g_ptr_array_index (old, old->len - 1 - suffix)
            == g_ptr_array_index (items, items->len - 1 - suffix))
    suffix++;
  if (prefix + suffix == old->len && old->len == items->len)
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    g_object_ref (g_ptr_array_index (items, i));
  g_ptr_array_set_free_func (items, g_object_unref);
  self->items = g_steal_pointer (&items);
  self->n_connectors = n_connectors;

  g_list_model_items_changed (G_LIST_MODEL (self), prefix, old->len - prefix - suffix,
                              self->items->len - prefix - suffix);
  /* After the emission: the views let go of the rows of what was removed first. */
  g_ptr_array_unref (old);
  return TRUE;
}

guint
pb_category_model_get_n_connectors (PbCategoryModel *self)
{
  g_return_val_if_fail (PB_IS_CATEGORY_MODEL (self), 0);

  return self->n_connectors;
}
