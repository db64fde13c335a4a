/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pb-core.h"

G_BEGIN_DECLS

#define PB_TYPE_ACCOUNT_ROW (pb_account_row_get_type ())
G_DECLARE_FINAL_TYPE (PbAccountRow, pb_account_row, PB, ACCOUNT_ROW, GtkWidget)

/* One linked account in the accounts list, with its details and its actions (the menu's
 * items activate "accounts.relink", "accounts.suspend", "accounts.resume", "accounts.check",
 * "accounts.delete", "accounts.copy-id" and "accounts.view-logs" with the account's id). */
GtkWidget       *pb_account_row_new             (void);
/* @account: (nullable); @integration_name: (nullable) the name of its integration;
 * @auth_type: (nullable) its integration's auth type, whose fields name the credentials */
void             pb_account_row_set_account     (PbAccountRow    *self,
                                                 PbLinkedAccount *account,
                                                 const char      *integration_name,
                                                 PbAuthType      *auth_type);
/* A change to the account waits in the queue (offline): the row shows what the account will
 * be, and says so. @pending: FALSE for none; @kind: the last change queued. */
void             pb_account_row_set_pending     (PbAccountRow    *self,
                                                 gboolean         pending,
                                                 PbOperationKind  kind);
/* A viewer's key: the row's menu offers only what changes nothing. */
void             pb_account_row_set_read_only   (PbAccountRow    *self,
                                                 gboolean         read_only);

G_END_DECLS
