/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the linked accounts view's files share (private to src/ui/views): pb-accounts-view.c
 * (the list, its pages, offline and the widget) and pb-accounts-filters.c (search, status
 * filter, sorting and the titles). */

#include <adwaita.h>

#include "pb-accounts-view.h"

G_BEGIN_DECLS

struct _PbAccountsView
{
  GtkWidget parent_instance;

  PbStore *store;
  char *integration_id;
  char *title;
  char *subtitle;
  const char *state;
  guint page_size;

  PbPagedModel *model;           /* the list being shown */
  GCancellable *cancellable;     /* of the page in flight */
  char *error_text;
  const char *error_icon;
  gboolean refreshing;           /* keep the current page until the new list has a page */
  gboolean stale;                /* a refresh could not reach the backend: the old list stays */
  GDateTime *fetched_at;         /* when the list shown was complete */
  guint refresh_timeout;
  gulong integrations_handler;

  GtkSortListModel *sorted;
  GtkCustomSorter *sorter;

  /* template children */
  GtkSearchEntry *search_entry;
  GtkDropDown *status_dropdown;
  GtkDropDown *sort_dropdown;
  GtkRevealer *offline_revealer;
  GtkLabel *offline_label;
  GtkStack *stack;
  AdwStatusPage *error_page;
  AdwStatusPage *empty_page;
  GtkWidget *clear_button;
  GtkListView *list_view;
  GtkRevealer *footer_revealer;
  GtkSpinner *footer_spinner;
  GtkLabel *footer_label;
  GtkWidget *footer_retry;
};

/* pb-accounts-view.c: a new list for the filters (@keep_page: a refresh of the list shown). */
void      pb_accounts_start                 (PbAccountsView *self,
                                             gboolean        keep_page,
                                             gboolean        force);

/* pb-accounts-filters.c */
gboolean  pb_accounts_has_filters           (PbAccountsView *self);
PbQuery  *pb_accounts_build_query           (PbAccountsView *self);
void      pb_accounts_update_titles         (PbAccountsView *self);
int       pb_accounts_compare_accounts      (gconstpointer   a,
                                             gconstpointer   b,
                                             gpointer        user_data);
void      pb_accounts_on_search_changed_cb  (PbAccountsView *self);
void      pb_accounts_on_status_selected_cb (PbAccountsView *self);
void      pb_accounts_on_sort_selected_cb   (PbAccountsView *self);
void      pb_accounts_on_clear_clicked_cb   (PbAccountsView *self);

G_END_DECLS
