/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* PbLogsView's insides: shared by pb-logs-view.c (the list, its pages and the widget) and
 * pb-logs-filters.c (the filters panel, the integration drop-down and the titles), and the
 * tests' way to the template children. */

#include "pb-logs-view.h"

G_BEGIN_DECLS

struct _PbLogsView
{
  PbPagedView parent_instance;

  char *filter_message;          /* what is wrong with the filters as typed */
  guint filter_timeout;
  guint check_idle;
  GPtrArray *integration_ids;    /* parallel to the integration drop-down; [0] = NULL */
  GtkStringList *integration_names;
  gboolean from_dropdown;        /* the integration is being set from the drop-down */
  GtkWidget *details;            /* weak: the details dialog open now */

  /* template children */
  GtkDropDown *integration_dropdown;   /* 0: all */
  GtkToggleButton *filters_button;
  GtkRevealer *filters_revealer;
  GtkEntry *account_entry;
  GtkDropDown *success_dropdown;       /* all, succeeded, failed */
  GtkEntry *status_entry;
  GtkEntry *start_entry;
  GtkEntry *end_entry;
  GtkCalendar *start_calendar;
  GtkCalendar *end_calendar;
  GtkMenuButton *start_button;
  GtkMenuButton *end_button;
  GtkLabel *filter_message_label;
};

/* Opens the details dialog of the entry at @position of the list. */
void   pb_logs_view_show_details (PbLogsView *self,
                                  guint       position);

/* pb-logs-filters.c */
void   pb_logs_apply_filters (PbPagedView *view);
void   pb_logs_clear_filters (PbPagedView *view);
guint  pb_logs_count_filters (PbLogsView *self);
char * pb_logs_entry_text (GtkEntry *entry);
void   pb_logs_on_account_changed_cb (PbLogsView *self);
void   pb_logs_on_calendar_day_selected_cb (GtkCalendar *calendar,
                                            PbLogsView  *self);
void   pb_logs_on_calendar_pressed_cb (GtkGestureClick *gesture,
                                       int              n_press,
                                       double           x,
                                       double           y,
                                       PbLogsView      *self);
void   pb_logs_on_end_popover_show_cb (PbLogsView *self);
void   pb_logs_on_filter_activate_cb (PbLogsView *self);
void   pb_logs_on_filter_text_changed_cb (PbLogsView *self);
void   pb_logs_on_integration_selected_cb (PbLogsView *self);
void   pb_logs_on_integrations_changed_cb (PbLogsView *self);
void   pb_logs_on_start_popover_show_cb (PbLogsView *self);
void   pb_logs_on_success_selected_cb (PbLogsView *self);
void   pb_logs_rebuild_integrations (PbLogsView *self);
void   pb_logs_update_titles (PbLogsView *self);

G_END_DECLS
