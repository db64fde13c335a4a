/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the request logs view's files share (private to src/ui/views): pb-logs-view.c (the
 * list, its pages and the widget) and pb-logs-filters.c (the filters panel, the integration
 * drop-down and the titles). */

#include <adwaita.h>

#include "pb-logs-view.h"

G_BEGIN_DECLS

struct _PbLogsView
{
  GtkWidget parent_instance;

  PbStore *store;
  char *integration_id;
  char *title;
  char *subtitle;
  const char *state;
  guint page_size;

  PbQuery *query;                /* the filters of the list shown (valid ones) */
  char *filter_message;          /* what is wrong with the filters as typed */
  PbPagedModel *model;
  GCancellable *cancellable;     /* of the page in flight */
  char *error_text;
  const char *error_icon;
  guint filter_timeout;
  guint check_idle;
  GPtrArray *integration_ids;    /* parallel to the integration drop-down; [0] = NULL */
  GtkStringList *integration_names;
  GtkWidget *details;            /* weak */

  /* template children */
  GtkDropDown *integration_dropdown;
  GtkToggleButton *filters_button;
  GtkRevealer *filters_revealer;
  GtkEntry *account_entry;
  GtkDropDown *success_dropdown;
  GtkEntry *status_entry;
  GtkEntry *start_entry;
  GtkEntry *end_entry;
  GtkCalendar *start_calendar;
  GtkCalendar *end_calendar;
  GtkMenuButton *start_button;
  GtkMenuButton *end_button;
  GtkLabel *filter_message_label;
  GtkRevealer *offline_revealer;
  GtkLabel *offline_label;
  GtkStack *stack;
  AdwStatusPage *error_page;
  AdwStatusPage *empty_page;
  GtkWidget *clear_button;
  GtkScrolledWindow *scrolled;
  GtkListView *list_view;
  GtkRevealer *footer_revealer;
  GtkSpinner *footer_spinner;
  GtkLabel *footer_label;
  GtkWidget *footer_retry;
};

/* pb-logs-view.c: a new list for the filters in self->query. */
void   pb_logs_start (PbLogsView *self);

/* pb-logs-filters.c */
void   pb_logs_apply_filters (PbLogsView *self);
char * pb_logs_entry_text (GtkEntry *entry);
void   pb_logs_on_account_changed_cb (PbLogsView *self);
void   pb_logs_on_calendar_day_selected_cb (GtkCalendar *calendar, PbLogsView *self);
void   pb_logs_on_calendar_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y,
                            PbLogsView *self);
void   pb_logs_on_clear_clicked_cb (PbLogsView *self);
void   pb_logs_on_end_popover_show_cb (PbLogsView *self);
void   pb_logs_on_filter_activate_cb (PbLogsView *self);
void   pb_logs_on_filter_text_changed_cb (PbLogsView *self);
void   pb_logs_on_integration_selected_cb (PbLogsView *self);
void   pb_logs_on_integrations_changed_cb (PbLogsView *self);
void   pb_logs_on_start_popover_show_cb (PbLogsView *self);
void   pb_logs_on_success_selected_cb (PbLogsView *self);
void   pb_logs_rebuild_integrations (PbLogsView *self);
void   pb_logs_set_integration_id (PbLogsView *self, const char *integration_id, gboolean
                            from_dropdown);
void   pb_logs_update_titles (PbLogsView *self);

G_END_DECLS
