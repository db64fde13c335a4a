/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-paged-view.h"

G_BEGIN_DECLS

#define PB_TYPE_ACCOUNTS_VIEW (pb_accounts_view_get_type ())
G_DECLARE_FINAL_TYPE (PbAccountsView, pb_accounts_view, PB, ACCOUNTS_VIEW, PbPagedView)

/*
 * PbAccountsView: the linked accounts of one integration or of the whole project, with
 * their owner, user name, connector, integration, status and status reasons; filtered by
 * status and text, sorted on this side (so every page is fetched, one after the other).
 * A PbPagedView (default page size 100).
 *
 * The list reloads itself when the store's integrations change (a disabled integration
 * turns its accounts inactive), keeping what it shows until the new list is there, or,
 * when the backend is out of reach, marked as fetched before.
 * Signal "view-logs" (account_id, integration_id): the admin asked for an account's request
 * logs (its row's button): show the logs view with pb_logs_view_set_account_id().
 * Action: "accounts.view-logs" ("s").
 */

GtkWidget   *pb_accounts_view_new                (PbStore        *store);

G_END_DECLS
