/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* PbIntegrationRow's insides, for the tests: its template children, to drive them as a
 * person would. */

#include "pb-integration-row.h"

G_BEGIN_DECLS

struct _PbIntegrationRow
{
  GtkWidget parent_instance;

  PbIntegration *integration;
  PbStore       *store;          /* whose queued changes make the row "pending" */
  gboolean       compact;
  gboolean       read_only;     /* a read-only key: no switch, no change by key */
  gboolean       pending;
  PbRowMenuFunc  menu_func;
  gpointer       menu_func_data;

  /* template children */
  GtkWidget *box;
  GtkLabel  *name_label;
  GtkLabel  *auth_label;
  GtkWidget *default_badge;
  GtkWidget *pending_box;
  GtkWidget *pending_label;
  GtkButton *accounts_button;
  GtkWidget *accounts_icon;
  GtkLabel  *accounts_label;
  GtkLabel  *accounts_count_label;
  GtkSwitch *active_switch;
  GtkMenuButton *menu_button;
};

G_END_DECLS
