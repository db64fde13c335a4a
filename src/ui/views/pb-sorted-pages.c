/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-sorted-pages"

#include "config.h"

#include "pb-sorted-pages.h"

#include <string.h>

struct _PbSortedPages
{
  GObject parent_instance;

  GListModel *model;
  GPtrArray *items;              /* sorted, referenced */
  GCompareDataFunc compare;
  gpointer compare_data;
};

static void pb_sorted_pages_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PbSortedPages, pb_sorted_pages, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pb_sorted_pages_model_init))

static GType
pb_sorted_pages_get_item_type (GListModel *list)
{
  PbSortedPages *self = PB_SORTED_PAGES (list);

  return self->model ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
pb_sorted_pages_get_n_items (GListModel *list)
{
  return PB_SORTED_PAGES (list)->items->len;
}

static gpointer
pb_sorted_pages_get_item (GListModel *list,
                          guint       position)
{
  PbSortedPages *self = PB_SORTED_PAGES (list);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
pb_sorted_pages_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pb_sorted_pages_get_item_type;
  iface->get_n_items = pb_sorted_pages_get_n_items;
  iface->get_item = pb_sorted_pages_get_item;
}

static int
compare_pointers (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  PbSortedPages *self = user_data;

  return self->compare (*(gpointer const *) a, *(gpointer const *) b, self->compare_data);
}

/* Every item of the model, sorted anew: one items-changed for all. */
static void
rebuild (PbSortedPages *self)
{
  guint removed = self->items->len;
  guint n = self->model ? g_list_model_get_n_items (self->model) : 0;

  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->items, g_list_model_get_item (self->model, i));
  g_ptr_array_sort_with_data (self->items, compare_pointers, self);
  if (removed > 0 || n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, n);
}

/* The first position in [@from, end) whose item sorts after @item. */
static guint
upper_bound (PbSortedPages *self,
             guint          from,
             gpointer       item)
{
  guint low = from, high = self->items->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (self->compare (g_ptr_array_index (self->items, middle), item, self->compare_data) <= 0)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

/* Merges the model's items [@position, @position + @added), a page appended to it. Each run
 * of them that goes between the same two shown items is put in and announced before the
 * next run is looked for, so the list is what the signal says whenever it is emitted. */
static void
merge_page (PbSortedPages *self,
            guint          position,
            guint          added)
{
  /* Without a free function: its references move to the sorted items. */
  g_autoptr(GPtrArray) page = g_ptr_array_sized_new (added);
  guint at = 0;

  for (guint i = 0; i < added; i++)
    g_ptr_array_add (page, g_list_model_get_item (self->model, position + i));
  g_ptr_array_sort_with_data (page, compare_pointers, self);

  for (guint i = 0; i < page->len;)
    {
      guint run, old_len = self->items->len;

      at = upper_bound (self, at, g_ptr_array_index (page, i));
      for (run = 1; i + run < page->len && at < old_len; run++)
        if (self->compare (g_ptr_array_index (page, i + run),
                           g_ptr_array_index (self->items, at), self->compare_data) > 0)
          break;
      if (at == old_len)
        run = page->len - i;

      /* Room for the run at @at, then the run, references and all. */
      g_ptr_array_set_size (self->items, old_len + run);
      memmove (self->items->pdata + at + run, self->items->pdata + at,
               (old_len - at) * sizeof (gpointer));
      memcpy (self->items->pdata + at, page->pdata + i, run * sizeof (gpointer));

      g_list_model_items_changed (G_LIST_MODEL (self), at, 0, run);
      at += run;
      i += run;
    }
}

static void
on_items_changed_cb (GListModel    *model,
                     guint          position,
                     guint          removed,
                     guint          added,
                     PbSortedPages *self)
{
  if (removed == 0 && added > 0 && position + added == g_list_model_get_n_items (model)
      && position == self->items->len)
    merge_page (self, position, added);
  else if (removed > 0 || added > 0)
    rebuild (self);
}

static void
pb_sorted_pages_dispose (GObject *object)
{
  PbSortedPages *self = PB_SORTED_PAGES (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (pb_sorted_pages_parent_class)->dispose (object);
}

static void
pb_sorted_pages_finalize (GObject *object)
{
  g_ptr_array_unref (PB_SORTED_PAGES (object)->items);

  G_OBJECT_CLASS (pb_sorted_pages_parent_class)->finalize (object);
}

static void
pb_sorted_pages_class_init (PbSortedPagesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pb_sorted_pages_dispose;
  object_class->finalize = pb_sorted_pages_finalize;
}

static void
pb_sorted_pages_init (PbSortedPages *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

PbSortedPages *
pb_sorted_pages_new (GCompareDataFunc compare,
                     gpointer         compare_data)
{
  PbSortedPages *self;

  g_return_val_if_fail (compare != NULL, NULL);

  self = g_object_new (PB_TYPE_SORTED_PAGES, NULL);
  self->compare = compare;
  self->compare_data = compare_data;
  return self;
}

void
pb_sorted_pages_set_model (PbSortedPages *self,
                           GListModel    *model)
{
  g_return_if_fail (PB_IS_SORTED_PAGES (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (on_items_changed_cb), self, 0);
  rebuild (self);
}

void
pb_sorted_pages_resort (PbSortedPages *self)
{
  g_return_if_fail (PB_IS_SORTED_PAGES (self));
  rebuild (self);
}
