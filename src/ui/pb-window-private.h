/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* PbWindow's parts, shared by its files: pb-window.c (the shell: project switching, window
 * actions, width, GObject), pb-window-list.c (the filter, the grouped list, the sidebar, the
 * content's state), pb-window-actions.c (the row actions, their dialogs and toasts),
 * pb-window-views.c (the linked accounts and logs views). */

#include <adwaita.h>

#include "pb-window.h"
#include "pb-connector-header.h"
#include "pb-error-sentence.h"
#include "pb-grouped-model.h"
#include "pb-integration-row.h"
#include "pb-offline-ui.h"
#include "pb-editor.h"
#include "pb-views.h"

G_BEGIN_DECLS

/* Narrow windows (≤ 600 px): rows drop the accounts text to an icon with a count. */
#define COMPACT_WIDTH 600

typedef enum {
  STATE_ALL,
  STATE_ENABLED,
  STATE_DISABLED,
} StateFilter;

struct _PbWindow
{
  AdwApplicationWindow parent_instance;

  GSettings    *settings;
  GCancellable *cancellable;        /* the open project's loads and changes */
  PbUiProject  *project;
  char         *project_local_id;   /* the PbProjectConfig's id */
  GError       *load_error;

  /* The list pipeline: the store's integrations (sorted by connector) → filter → grouped
   * (connector headers) → no selection. */
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filter_model;
  PbGroupedModel      *grouped;
  GtkNoSelection      *selection;

  char        *category;     /* NULL: All */
  gboolean     category_locked;  /* the category is outside the plan: nothing is listed */
  StateFilter  state;
  char        *search;       /* casefolded, NULL when empty */
  char        *focus_id;     /* the integration whose row has (or had) the keyboard focus */

  gboolean  compact;
  gboolean  read_only;
  guint     compact_idle;
  gboolean  rebuilding_sidebar;
  gboolean  opening_project;   /* pb_application_open_store_async() of project_local_id runs */
  guint     present_source;    /* pb_window_present_when_ready(): presents at the latest then */

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwHeaderBar    *content_header;
  GtkBox          *content_box;
  /* Offline: the sync indicator in the header bar, the offline banner under it. */
  PbStore         *offline_store;
  GtkWidget       *sync_indicator;
  GtkWidget       *view_sync_indicator;   /* the same state in the views' header bar */
  GtkWidget       *offline_banner;
  gboolean         had_pending;
  AdwLeaflet      *leaflet;
  GtkStack        *page_stack;
  GtkListBox      *views_list;
  GtkWidget       *accounts_row;
  GtkWidget       *logs_row;
  /* Linked accounts and logs: made for the current store, in the "view" page. */
  GtkWidget       *view_page;
  AdwHeaderBar    *view_header;
  AdwWindowTitle  *view_title;
  GtkStack        *view_stack;
  GtkWidget       *accounts_view;
  GtkWidget       *logs_view;
  GtkDropDown     *project_dropdown;
  GtkImage        *unencrypted_icon;   /* the open project is reached over plain http */
  GtkListBox      *category_list;
  GtkLabel        *counts_note;
  AdwWindowTitle  *content_title;
  GtkButton       *back_button;
  GtkButton       *add_button;
  GtkToggleButton *search_button;
  GtkButton       *refresh_button;
  GtkMenuButton   *primary_menu_button;
  GtkSpinner      *sync_spinner;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  GtkRevealer     *notice_revealer;
  GtkBox          *notice_box;
  GtkWidget       *notice_icon;
  GtkLabel        *notice_label;
  GtkButton       *notice_button;
  GtkDropDown     *state_dropdown;
  GtkLabel        *count_label;
  GtkStack        *content_stack;
  GtkGridView     *list_view;
  AdwStatusPage   *empty_page;
  GtkButton       *empty_button;
  GtkSpinner      *loading_spinner;
};

/* pb-window.c */
void pb_window_update_sync_indicator (PbWindow *self);
/* The offline UI of @store's project, or none (pb-window-offline.c). */
void pb_window_set_offline_ui (PbWindow *self,
                               PbStore  *store);
void pb_window_show_error (PbWindow *self, const char *what, const GError *error);
/* Emits "changes-settled": a change asked from a row has ended. */
void pb_window_changes_settled (PbWindow *self);
void pb_window_toast_with_undo (PbWindow *self, const char *message, const char *action, GVariant *target);

/* For tests and benchmarks, which reach the template children through this header too. */
const char *pb_window_get_notice (PbWindow *self);        /* (nullable) the banner's text */
const char *pb_window_get_visible_page (PbWindow *self);  /* "list", "empty", "loading" */
/* The accounts or logs view shown in the content area, NULL while the list is shown. */
GtkWidget  *pb_window_get_view (PbWindow *self);
/* Selects the sidebar row of @category (NULL: All), as a click would. */
gboolean    pb_window_select_category (PbWindow *self, const char *category);
/* The ellipsis menu the row of @id would show now. */
GMenuModel *pb_window_build_menu (PbWindow *self, const char *id);

/* pb-window-list.c */
void pb_window_list_class_init (GtkWidgetClass *widget_class);
void pb_window_list_init (PbWindow *self);
void pb_window_list_dispose (PbWindow *self);
void pb_window_integrations_changed_cb (PbWindow *self);
void pb_window_rebuild_sidebar (PbWindow *self);
void pb_window_set_empty (PbWindow *self, const char *icon, const char *title, const char *description, const char *button_label, const char *button_action);
void pb_window_update_actions (PbWindow *self);
void pb_window_update_view (PbWindow *self);

/* pb-window-actions.c */
void pb_window_actions_class_init (GtkWidgetClass *widget_class);
PbIntegration *pb_window_integration_for (PbWindow *self, GVariant *parameter);

/* pb-window-views.c */
void pb_window_views_class_init (GtkWidgetClass *widget_class);
void pb_window_clear_views (PbWindow *self);
void pb_window_views_init (PbWindow *self);


G_END_DECLS
