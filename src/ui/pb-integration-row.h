/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_INTEGRATION_ROW (pb_integration_row_get_type ())
G_DECLARE_FINAL_TYPE (PbIntegrationRow, pb_integration_row, PB, INTEGRATION_ROW, GtkWidget)

/* Returns (transfer full) the ellipsis menu of @integration, built when the menu opens. */
typedef GMenuModel *(*PbRowMenuFunc) (PbIntegration *integration,
                                      gpointer       user_data);

/*
 * PbIntegrationRow: one integration in the main list: name, auth type, Default badge, linked
 * accounts, the enable switch and the ⋮ menu. Its controls activate the "integration.*"
 * actions of an ancestor (PbWindow) with the integration id as parameter.
 *
 * Properties: "integration"; "compact" (narrow: the accounts as an icon with a count);
 * "read-only" (the switch is insensitive); "store" (nullable) and "pending" (read-only):
 * "Waiting to sync" while a change to the integration is queued in that store.
 */
GtkWidget     *pb_integration_row_new             (void);
PbIntegration *pb_integration_row_get_integration (PbIntegrationRow *self);
void           pb_integration_row_set_integration (PbIntegrationRow *self,
                                                   PbIntegration    *integration);
gboolean       pb_integration_row_get_compact     (PbIntegrationRow *self);
void           pb_integration_row_set_compact     (PbIntegrationRow *self,
                                                   gboolean          compact);
void           pb_integration_row_set_menu_func   (PbIntegrationRow *self,
                                                   PbRowMenuFunc     func,
                                                   gpointer          user_data);
void           pb_integration_row_set_store       (PbIntegrationRow *self,
                                                   PbStore          *store);
gboolean       pb_integration_row_get_pending     (PbIntegrationRow *self);
/* Puts the switch back to the integration's state (after a cancelled or failed change). */
void           pb_integration_row_sync            (PbIntegrationRow *self);

/* The ellipsis menu for @integration as ux.md's three cases say (pb_rules_row_actions), with
 * an insensitive item that explains the delete rule where Delete is not offered; with a
 * @read_only key, only what reads (logs, copying ids). */
GMenuModel    *pb_integration_menu_new            (PbIntegration            *integration,
                                                   const PbIntegrationFacts *facts,
                                                   gboolean                  read_only);

/* "12 accounts · 3 inactive · 1 in error" */
char          *pb_integration_accounts_text       (PbIntegration *integration);

G_END_DECLS
