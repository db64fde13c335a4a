/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The linked accounts and request logs views: PbAccountsView and PbLogsView, the two
 * PbPagedView subclasses the window puts in its stack; the log details dialog; and the
 * dialog that links an account. */

#include "pb-accounts-view.h"
#include "pb-link-dialog.h"
#include "pb-log-details.h"
#include "pb-logs-view.h"

G_BEGIN_DECLS

/* Registers the views' types (for GtkBuilder files that name them). */
void pb_views_ensure_types (void);

G_END_DECLS
