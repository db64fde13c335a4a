/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_LINK_DIALOG (pb_link_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbLinkDialog, pb_link_dialog, PB, LINK_DIALOG, AdwWindow)

/*
 * PbLinkDialog: "Link Account…" and "Link Again…". The owner (id and name; fixed for a
 * re-link), then one of two ways: the auth type's account fields entered here (for a test or
 * support account; the values go to the backend through the store and nowhere else), or the
 * connect session's link for the owner (copied, or opened in the desktop's browser, through
 * the OpenURI portal in a sandbox).
 *
 * Signal "linked" (PbLinkedAccount *account): the backend linked (or re-linked) it; the
 * dialog closes after it.
 */

/* A new account of @integration; @integration: (nullable) NULL to choose among the
 * project's enabled integrations. */
GtkWidget *pb_link_dialog_new        (GtkWindow       *parent,
                                      PbStore         *store,
                                      PbIntegration   *integration);
/* New credentials for @account (same id). */
GtkWidget *pb_link_dialog_new_relink (GtkWindow       *parent,
                                      PbStore         *store,
                                      PbLinkedAccount *account);

G_END_DECLS
