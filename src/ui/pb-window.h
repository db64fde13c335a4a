/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-application.h"
#include "pb-ui-project.h"

G_BEGIN_DECLS

#define PB_TYPE_WINDOW (pb_window_get_type ())
G_DECLARE_FINAL_TYPE (PbWindow, pb_window, PB, WINDOW, AdwApplicationWindow)

PbWindow    *pb_window_new              (PbApplication *application);
void         pb_window_show_preferences (PbWindow      *self);

/* The project open in the window ((nullable) before one is chosen). */
PbUiProject *pb_window_get_project      (PbWindow      *self);
/* Shows @message as a toast. */
void         pb_window_toast            (PbWindow      *self,
                                         const char    *message);

/* For tests and the benchmark: the window's parts, to drive them as a person would. */
GListModel  *pb_window_get_list_model   (PbWindow      *self);   /* headers + integrations shown */
GtkWidget   *pb_window_get_list_view    (PbWindow      *self);
GtkListBox  *pb_window_get_category_list (PbWindow     *self);
GtkEditable *pb_window_get_search_entry (PbWindow      *self);
GtkDropDown *pb_window_get_state_dropdown (PbWindow    *self);
GtkDropDown *pb_window_get_project_dropdown (PbWindow  *self);
const char  *pb_window_get_notice       (PbWindow      *self);   /* (nullable) the banner's text */
const char  *pb_window_get_visible_page (PbWindow      *self);   /* "list", "empty", "loading" */
AdwStatusPage *pb_window_get_empty_page (PbWindow      *self);
/* (nullable) the offline layer's sync indicator in the header bar */
GtkWidget     *pb_window_get_sync_indicator (PbWindow  *self);
/* The accounts or logs view shown in the content area, NULL while the list is shown. */
GtkWidget     *pb_window_get_view       (PbWindow      *self);
/* The sidebar's "Linked Accounts" (@logs FALSE) or "Logs" row (whole project). */
GtkWidget     *pb_window_get_views_row  (PbWindow      *self,
                                         gboolean       logs);
/* Selects the sidebar row of @category (NULL: All), as a click would. */
gboolean     pb_window_select_category  (PbWindow      *self,
                                         const char    *category);
/* The ellipsis menu the row of @id would show now. */
GMenuModel  *pb_window_build_menu       (PbWindow      *self,
                                         const char    *id);

G_END_DECLS
