/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* PbAccountsView's insides: shared by pb-accounts-view.c (the list and the widget) and
 * pb-accounts-filters.c (search, status filter, sorting and the titles),
 * pb-accounts-actions.c (what an admin does to an account), and the tests'
 * way to the template children. */

#include "pb-accounts-view.h"
#include "pb-sorted-pages.h"

G_BEGIN_DECLS

struct _PbAccountsView
{
  PbPagedView parent_instance;

  guint refresh_timeout;
  guint load_tick;               /* the next page is asked for at the next frame */
  PbSortedPages *sorted;         /* what the list view shows */

  /* template children */
  GtkSearchEntry *search_entry;
  GtkDropDown *status_dropdown;  /* all, active, inactive, suspended, error, expired */
  GtkDropDown *sort_dropdown;    /* owner, status, updated, linked */
};

/* pb-accounts-view.c: the list follows the backend again shortly (after a change). */
void           pb_accounts_view_schedule_refresh (PbAccountsView *self);

/* pb-accounts-actions.c: "accounts.link", "accounts.relink", "accounts.suspend", … */
void           pb_accounts_actions_class_init    (GtkWidgetClass *widget_class);

/* pb-accounts-filters.c */
gboolean       pb_accounts_has_filters           (PbAccountsView *self);
PbPagedFilter *pb_accounts_build_filter          (PbAccountsView *self);
void           pb_accounts_update_titles         (PbAccountsView *self);
int            pb_accounts_compare_accounts      (gconstpointer   a,
                                                  gconstpointer   b,
                                                  gpointer        user_data);
void           pb_accounts_on_search_changed_cb  (PbAccountsView *self);
void           pb_accounts_on_status_selected_cb (PbAccountsView *self);
void           pb_accounts_on_sort_selected_cb   (PbAccountsView *self);
void           pb_accounts_clear_filters         (PbPagedView    *view);

G_END_DECLS
