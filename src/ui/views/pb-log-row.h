/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pb-core.h"

G_BEGIN_DECLS

#define PB_TYPE_LOG_ROW (pb_log_row_get_type ())
G_DECLARE_FINAL_TYPE (PbLogRow, pb_log_row, PB, LOG_ROW, GtkWidget)

/* One request log in the logs list. */
GtkWidget  *pb_log_row_new       (void);
/* @entry: (nullable) */
void        pb_log_row_set_entry (PbLogRow   *self,
                                  PbLogEntry *entry);

G_END_DECLS
