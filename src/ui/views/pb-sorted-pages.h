/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PB_TYPE_SORTED_PAGES (pb_sorted_pages_get_type ())
G_DECLARE_FINAL_TYPE (PbSortedPages, pb_sorted_pages, PB, SORTED_PAGES, GObject)

/*
 * PbSortedPages: the items of a paged list model, sorted here. A page appended to the model
 * is sorted on its own and merged into the sorted items, with one items-changed for each
 * run of its items that lands between two shown ones: the rows around them stay as they
 * are. Any other change of the model sorts everything again (one items-changed).
 * @compare must order every two different items (no ties), so that the order does not
 * depend on the pages' order.
 */
PbSortedPages *pb_sorted_pages_new       (GCompareDataFunc  compare,
                                          gpointer          compare_data);
void           pb_sorted_pages_set_model (PbSortedPages    *self,
                                          GListModel       *model);
/* The order changed (another sort key): everything is sorted again. */
void           pb_sorted_pages_resort    (PbSortedPages    *self);

G_END_DECLS
