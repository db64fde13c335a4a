/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The views with their insides (template children, what their rows and dialog show), for
 * the tests and benchmarks that drive them as a person would; nothing else in src uses this
 * beyond the views' own files. */

#include "pb-views.h"
#include "pb-accounts-view-private.h"
#include "pb-logs-view-private.h"
#include "pb-account-row.h"

G_BEGIN_DECLS

PbLinkedAccount *pb_account_row_get_account     (PbAccountRow    *self);
/* The status text shown ("Active", …). */
const char      *pb_account_row_get_status_text (PbAccountRow    *self);
/* The line about the stored credentials: set or not, their hints, when a token expires. */
const char      *pb_account_row_get_credentials_text (PbAccountRow *self);
/* The button that activates "accounts.view-logs" with the account's id. */
GtkButton       *pb_account_row_get_logs_button (PbAccountRow    *self);
/* The ⋮ button's menu as it opens now, for the account's status. (transfer full) */
GMenuModel      *pb_account_row_get_menu        (PbAccountRow    *self);

/* The link dialog's parts, as a person uses them. */
GtkEditable     *pb_link_dialog_get_owner_id_entry (PbLinkDialog *self);
/* (nullable): the entry of the account field @key */
GtkEditable     *pb_link_dialog_get_field_entry    (PbLinkDialog *self,
                                                    const char   *key);
/* (nullable): why the backend refused field @key, as shown beside it */
const char      *pb_link_dialog_get_field_message  (PbLinkDialog *self,
                                                    const char   *key);
/* (nullable): the sentence shown at the top */
const char      *pb_link_dialog_get_error          (PbLinkDialog *self);
GtkButton       *pb_link_dialog_get_primary_button (PbLinkDialog *self);
/* Chooses "Send a link". */
void             pb_link_dialog_choose_link        (PbLinkDialog *self);
/* (nullable): the connect link shown, once made */
const char      *pb_link_dialog_get_url            (PbLinkDialog *self);
GtkButton       *pb_link_dialog_get_copy_button    (PbLinkDialog *self);

PbLogEntry      *pb_log_details_get_entry       (PbLogDetails    *self);
/* The copy button, and the value shown in the row titled @title (NULL: none). */
GtkButton       *pb_log_details_get_copy_button (PbLogDetails    *self);
const char      *pb_log_details_get_value       (PbLogDetails    *self,
                                                 const char      *title);

G_END_DECLS
