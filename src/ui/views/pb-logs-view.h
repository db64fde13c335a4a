/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-paged-view.h"

G_BEGIN_DECLS

#define PB_TYPE_LOGS_VIEW (pb_logs_view_get_type ())
G_DECLARE_FINAL_TYPE (PbLogsView, pb_logs_view, PB, LOGS_VIEW, PbPagedView)

/*
 * PbLogsView: the request logs of the project, newest first, one page at a time: the next
 * page is fetched when the admin scrolls near the end of what is loaded, never everything.
 * Filters: integration (a drop-down of the store's integrations), account id, result
 * (all / succeeded / failed), status codes ("404, 500"), a date range (YYYY-MM-DD, local
 * days, checked with a message beside the fields). Activating a log (Enter, click) opens a
 * dialog with all its fields and a button that copies its request id.
 * A PbPagedView (default page size 50); property "account-id" (nullable).
 */

GtkWidget     *pb_logs_view_new                 (PbStore    *store);
/* @account_id: (nullable) */
void           pb_logs_view_set_account_id      (PbLogsView *self,
                                                 const char *account_id);
/* (nullable) the account of the list shown */
const char    *pb_logs_view_get_account_id      (PbLogsView *self);

G_END_DECLS
