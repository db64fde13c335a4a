/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_LOGS_VIEW (pb_logs_view_get_type ())
G_DECLARE_FINAL_TYPE (PbLogsView, pb_logs_view, PB, LOGS_VIEW, GtkWidget)

/*
 * PbLogsView: the request logs of the project, newest first, one page at a time: the next
 * page is fetched when the admin scrolls near the end of what is loaded, never everything.
 * Filters: integration (a drop-down of the store's integrations), account id, result
 * (all / succeeded / failed), status codes ("404, 500"), a date range (YYYY-MM-DD, local
 * days, checked with a message beside the fields). Activating a log (Enter, click) opens a
 * dialog with all its fields and a button that copies its request id.
 *
 * Properties: "store" (construct-only), "integration-id" and "account-id" (nullable),
 * "title" and "subtitle" (read-only), "state" (read-only: "loading", "error", "empty",
 * "list"), "loading" (read-only), "page-size" (entries per request, default 50).
 *
 * Pages are fetched only while the view is mapped; unmap, dispose and every filter change
 * cancel the request in flight. Actions: "logs.reload" (F5, Ctrl+R).
 */

GtkWidget     *pb_logs_view_new                 (PbStore    *store);
PbStore       *pb_logs_view_get_store           (PbLogsView *self);

/* @integration: (nullable) NULL: every integration. */
void           pb_logs_view_set_integration     (PbLogsView    *self,
                                                 PbIntegration *integration);
void           pb_logs_view_set_integration_id  (PbLogsView    *self,
                                                 const char    *integration_id);
const char    *pb_logs_view_get_integration_id  (PbLogsView    *self);
/* @account_id: (nullable) */
void           pb_logs_view_set_account_id      (PbLogsView    *self,
                                                 const char    *account_id);
const char    *pb_logs_view_get_account_id      (PbLogsView    *self);
void           pb_logs_view_set_page_size       (PbLogsView    *self,
                                                 guint          page_size);

const char    *pb_logs_view_get_title           (PbLogsView    *self);
const char    *pb_logs_view_get_subtitle        (PbLogsView    *self);
const char    *pb_logs_view_get_state           (PbLogsView    *self);
gboolean       pb_logs_view_get_loading         (PbLogsView    *self);
gboolean       pb_logs_view_get_has_more        (PbLogsView    *self);
/* (nullable) the sentence of the error state or of a failed later page */
const char    *pb_logs_view_get_error_text      (PbLogsView    *self);
/* (nullable) what is wrong with the filters as typed (the list keeps the last valid ones) */
const char    *pb_logs_view_get_filter_message  (PbLogsView    *self);

/* (nullable) "Offline — showing the request logs saved on this computer …" while the list
 * comes from the store's replica (the backend could not be reached), NULL otherwise. */
const char    *pb_logs_view_get_offline_text    (PbLogsView    *self);

/* Fetches the list again from the first page. */
void           pb_logs_view_reload              (PbLogsView    *self);
/* Opens the details dialog of the entry at @position of the model. */
void           pb_logs_view_show_details        (PbLogsView    *self,
                                                 guint          position);

/* For tests and the benchmark: the parts, to drive them as a person would. */
GListModel    *pb_logs_view_get_model           (PbLogsView *self);
GtkListView   *pb_logs_view_get_list_view       (PbLogsView *self);
GtkAdjustment *pb_logs_view_get_vadjustment     (PbLogsView *self);
GtkDropDown   *pb_logs_view_get_integration_dropdown (PbLogsView *self); /* 0: all */
GtkEditable   *pb_logs_view_get_account_entry   (PbLogsView *self);
/* all, succeeded, failed */
GtkDropDown   *pb_logs_view_get_success_dropdown (PbLogsView *self);
GtkEditable   *pb_logs_view_get_status_entry    (PbLogsView *self);
GtkEditable   *pb_logs_view_get_start_entry     (PbLogsView *self);
GtkEditable   *pb_logs_view_get_end_entry       (PbLogsView *self);
/* the calendar in the start date's popover */
GtkCalendar   *pb_logs_view_get_start_calendar  (PbLogsView *self);
/* (nullable) (transfer none) the details dialog open now */
GtkWindow     *pb_logs_view_get_details         (PbLogsView *self);

G_END_DECLS
