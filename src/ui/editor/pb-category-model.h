/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-core.h"

G_BEGIN_DECLS

/*
 * PbCategoryHeader: an item of PbCategoryModel that starts the group of one category.
 */
#define PB_TYPE_CATEGORY_HEADER (pb_category_header_get_type ())
G_DECLARE_FINAL_TYPE (PbCategoryHeader, pb_category_header, PB, CATEGORY_HEADER, GObject)

const char *pb_category_header_get_category (PbCategoryHeader *self);

/*
 * PbCategoryModel: GTK 4.8 list views have no sections, so this model interleaves a
 * PbCategoryHeader before each run of PbConnectors of the same primary category (the
 * connectors must already be sorted by category).
 *
 * It does not watch anything: pb_category_model_set_connectors() gives it the connectors
 * to show (the picker: those that match the search, after each keystroke) and it emits one
 * items-changed for what differs, so that a view of it keeps the rows of the items that
 * stayed.
 */
#define PB_TYPE_CATEGORY_MODEL (pb_category_model_get_type ())
G_DECLARE_FINAL_TYPE (PbCategoryModel, pb_category_model, PB, CATEGORY_MODEL, GObject)

PbCategoryModel *pb_category_model_new           (GListModel  *connectors);
gboolean         pb_category_model_set_connectors (PbCategoryModel    *self,
                                                   PbConnector * const *connectors,
                                                   guint               n_connectors);
guint            pb_category_model_get_n_connectors (PbCategoryModel *self);

G_END_DECLS
