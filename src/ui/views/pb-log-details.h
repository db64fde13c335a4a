/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_LOG_DETAILS (pb_log_details_get_type ())
G_DECLARE_FINAL_TYPE (PbLogDetails, pb_log_details, PB, LOG_DETAILS, AdwWindow)

/* A dialog with every field of one request log and a button that copies its request id.
 * @store: (nullable) to name the integration. Escape closes it. */
GtkWidget  *pb_log_details_new             (PbLogEntry   *entry,
                                            PbStore      *store);

G_END_DECLS
