/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-views"

#include "config.h"

#include "views-fixture.h"
#include "pb-sorted-pages.h"

/* PbSortedPages, the accounts view's sorted list, on its own: pages of names appended in a
 * shuffled order, as the backend's pages come in the order it stores them. */

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  guint *n_compares = user_data;

  (*n_compares)++;
  return strcmp (gtk_string_object_get_string ((GtkStringObject *) a),
                 gtk_string_object_get_string ((GtkStringObject *) b));
}

typedef struct
{
  GPtrArray *mirror;     /* the list as a list view learns it from the signals */
  guint n_signals;
  guint n_removed;
} Watch;

/* What a list view does: each change read from the model while the signal is emitted. */
static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Watch      *watch)
{
  watch->n_signals++;
  watch->n_removed += removed;
  g_ptr_array_remove_range (watch->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (watch->mirror, position + i, g_list_model_get_item (model, position + i));

  g_assert_cmpuint (watch->mirror->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < watch->mirror->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_assert_true (item == watch->mirror->pdata[i]);
    }
}

static void
assert_sorted (GListModel *model,
               guint       n)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(GtkStringObject) a = g_list_model_get_item (model, i - 1);
      g_autoptr(GtkStringObject) b = g_list_model_get_item (model, i);
      g_assert_cmpstr (gtk_string_object_get_string (a), <, gtk_string_object_get_string (b));
    }
}

void
test_sorted_pages (void)
{
  const guint n = 2000, page_size = 100;
  g_autoptr(GListStore) pages = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n_compares = 0;
  g_autoptr(PbSortedPages) sorted = pb_sorted_pages_new (compare_names, &n_compares);
  Watch watch = { g_ptr_array_new_with_free_func (g_object_unref), 0, 0 };

  /* Owners in a shuffled order first, then a run of neighbours a page at a time (all of a
   * page's owners between the same two shown ones), as the backend's pages come in the order
   * it stores the accounts. */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, g_strdup_printf ("owner %05u", i < n / 2 ? (i * 7919) % 49999
                                                                    : 50000 + i));

  pb_sorted_pages_set_model (sorted, G_LIST_MODEL (pages));
  g_signal_connect (sorted, "items-changed", G_CALLBACK (on_items_changed_cb), &watch);

  for (guint start = 0; start < n; start += page_size)
    {
      GtkStringObject *page[100];
      guint before = watch.n_signals;

      for (guint i = 0; i < page_size; i++)
        page[i] = gtk_string_object_new (names->pdata[start + i]);
      n_compares = 0;
      g_list_store_splice (pages, start, 0, (gpointer *) page, page_size);
      for (guint i = 0; i < page_size; i++)
        g_object_unref (page[i]);

      assert_sorted (G_LIST_MODEL (sorted), start + page_size);
      /* Nothing shown before is taken out and put back (its row stays bound): only the
       * page's items are announced, in runs. */
      g_assert_cmpuint (watch.n_removed, ==, 0);
      g_assert_cmpuint (watch.n_signals - before, >=, 1);
      g_assert_cmpuint (watch.n_signals - before, <=, page_size);
      /* Merged (a page sorted, each item found by bisection), not all sorted again. */
      g_assert_cmpuint (n_compares, <, page_size * 2 * 12 + page_size * 7);
    }

  /* Another order: everything again, once. */
  watch.n_signals = 0;
  pb_sorted_pages_resort (sorted);
  g_assert_cmpuint (watch.n_signals, ==, 1);
  assert_sorted (G_LIST_MODEL (sorted), n);

  /* Any other change (a reset): everything again. */
  g_list_store_remove_all (pages);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sorted)), ==, 0);
  g_assert_cmpuint (watch.mirror->len, ==, 0);

  g_ptr_array_unref (watch.mirror);
}
