/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_ACCOUNTS_VIEW (pb_accounts_view_get_type ())
G_DECLARE_FINAL_TYPE (PbAccountsView, pb_accounts_view, PB, ACCOUNTS_VIEW, GtkWidget)

/*
 * PbAccountsView: the linked accounts of one integration or of the whole project, with
 * their owner, user name, connector, integration, status and status reasons; filtered by
 * status and text (the server's `status` and `q`), sorted on this side.
 *
 * Properties: "store" (construct-only), "integration-id" (nullable: the whole project),
 * "title" and "subtitle" (read-only, for the window's header), "state" (read-only: "loading",
 * "error", "empty" or "list"), "loading" (read-only: a page is on its way).
 *
 * Pages are fetched only while the view is mapped; leaving it (unmap, dispose) or changing
 * the filters cancels the request in flight. The list reloads itself when the store's
 * integrations change (a disabled integration turns its accounts inactive).
 * Signal "view-logs" (account_id, integration_id): the admin asked for an account's request
 * logs (its row's button): show the logs view with pb_logs_view_set_account_id().
 * Actions: "accounts.reload" (F5, Ctrl+R), "accounts.retry", "accounts.view-logs" ("s").
 */

GtkWidget   *pb_accounts_view_new                (PbStore        *store);
PbStore     *pb_accounts_view_get_store          (PbAccountsView *self);

/* @integration: (nullable) NULL shows the whole project. */
void         pb_accounts_view_set_integration    (PbAccountsView *self,
                                                  PbIntegration  *integration);
void         pb_accounts_view_set_integration_id (PbAccountsView *self,
                                                  const char     *integration_id);
/* (nullable) */
const char  *pb_accounts_view_get_integration_id (PbAccountsView *self);

const char  *pb_accounts_view_get_title          (PbAccountsView *self);
const char  *pb_accounts_view_get_subtitle       (PbAccountsView *self);
const char  *pb_accounts_view_get_state          (PbAccountsView *self);
gboolean     pb_accounts_view_get_loading        (PbAccountsView *self);
/* TRUE until the last page of the list has arrived */
gboolean     pb_accounts_view_get_has_more       (PbAccountsView *self);
/* (nullable) the sentence shown in the error state */
const char  *pb_accounts_view_get_error_text     (PbAccountsView *self);

/* Accounts per request (default 100); every page is fetched, one after the other. */
void         pb_accounts_view_set_page_size      (PbAccountsView *self,
                                                  guint           page_size);

/* (nullable) "Offline — showing the linked accounts fetched …" while the list shown is one
 * fetched before (a refresh could not reach the backend), NULL otherwise. */
const char  *pb_accounts_view_get_offline_text   (PbAccountsView *self);

/* Fetches the list again from the first page; what is shown stays until the new list is
 * there, or, when the backend is out of reach, stays marked as fetched before. */
void         pb_accounts_view_reload             (PbAccountsView *self);

/* For tests and the benchmark: the parts, to drive them as a person would. */
GListModel  *pb_accounts_view_get_model          (PbAccountsView *self); /* sorted, as shown */
GtkListView *pb_accounts_view_get_list_view      (PbAccountsView *self);
GtkEditable *pb_accounts_view_get_search_entry   (PbAccountsView *self);
/* all, active, inactive, error */
GtkDropDown *pb_accounts_view_get_status_dropdown (PbAccountsView *self);
/* owner, status, updated, linked */
GtkDropDown *pb_accounts_view_get_sort_dropdown  (PbAccountsView *self);

G_END_DECLS
