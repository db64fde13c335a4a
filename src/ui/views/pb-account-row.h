/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pb-core.h"

G_BEGIN_DECLS

#define PB_TYPE_ACCOUNT_ROW (pb_account_row_get_type ())
G_DECLARE_FINAL_TYPE (PbAccountRow, pb_account_row, PB, ACCOUNT_ROW, GtkWidget)

/* One linked account in the accounts list. */
GtkWidget       *pb_account_row_new             (void);
/* @account: (nullable); @integration_name: (nullable) the name of its integration */
void             pb_account_row_set_account     (PbAccountRow    *self,
                                                 PbLinkedAccount *account,
                                                 const char      *integration_name);

G_END_DECLS
