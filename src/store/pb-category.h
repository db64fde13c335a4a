/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pb-category-table.h"

G_BEGIN_DECLS

#define PB_TYPE_CATEGORY (pb_category_get_type ())
G_DECLARE_FINAL_TYPE (PbCategory, pb_category, PB, CATEGORY, GObject)

/*
 * PbCategory: one row of the sidebar: the category key ("hris"), its label ("HRIS"), how
 * many integrations of the project are in it ("count"), whether the project's plan includes
 * it ("available") and, when not, why ("unavailable-reason"). PbStore keeps "count" and the
 * availability up to date and notifies them (notify::count, …); the categories model itself
 * never changes its rows.
 */

PbCategory *pb_category_new                    (const char *key,
                                                const char *label);
const char *pb_category_get_key                (PbCategory *self);
const char *pb_category_get_label              (PbCategory *self);
guint       pb_category_get_count              (PbCategory *self);
gboolean    pb_category_get_available          (PbCategory *self);
const char *pb_category_get_unavailable_reason (PbCategory *self);

/* For PbStore. */
void        pb_category_set_count              (PbCategory *self,
                                                guint       count);
void        pb_category_set_availability       (PbCategory *self,
                                                gboolean    available,
                                                const char *unavailable_reason);

G_END_DECLS
