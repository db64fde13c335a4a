/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-window-private.h"

/* ----------------------------------------------------------------------------------------- */
/* Linked accounts and logs: a page beside the list */

static void
update_view_title (PbWindow *self)
{
  GtkWidget *view = gtk_stack_get_visible_child (self->view_stack);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (view == NULL)
    return;
  g_object_get (view, "title", &title, "subtitle", &subtitle, NULL);
  adw_window_title_set_title (self->view_title, title != NULL ? title : "");
  adw_window_title_set_subtitle (self->view_title, subtitle != NULL ? subtitle : "");
}

static gboolean
view_shown (PbWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "view") == 0;
}

static void
show_list (PbWindow *self)
{
  gboolean was_shown = view_shown (self);

  gtk_stack_set_visible_child_name (self->page_stack, "list");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-to-list", FALSE);
  /* The sidebar marks the category shown again. */
  if (was_shown)
    {
      gtk_list_box_unselect_all (self->views_list);
      pb_window_select_category (self, self->category);
    }
}

/* Views are tied to one store: a project change drops them. */
void
pb_window_clear_views (PbWindow *self)
{
  if (self->page_stack != NULL)
    show_list (self);
  if (self->accounts_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->accounts_view, self);
      gtk_stack_remove (self->view_stack, self->accounts_view);
      self->accounts_view = NULL;
    }
  if (self->logs_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->logs_view, self);
      gtk_stack_remove (self->view_stack, self->logs_view);
      self->logs_view = NULL;
    }
}

static void show_logs (PbWindow   *self,
                       const char *integration_id,
                       const char *account_id);

static void
on_accounts_view_logs_cb (PbAccountsView *view,
                          const char     *account_id,
                          const char     *integration_id,
                          PbWindow       *self)
{
  show_logs (self, integration_id, account_id);
}

static GtkWidget *
ensure_view (PbWindow *self,
             gboolean  logs)
{
  GtkWidget **slot = logs ? &self->logs_view : &self->accounts_view;
  PbStore *store;

  if (*slot != NULL)
    return *slot;
  if (self->project == NULL)
    return NULL;
  store = pb_ui_project_get_store (self->project);
  *slot = logs ? pb_logs_view_new (store) : pb_accounts_view_new (store);
  gtk_widget_set_vexpand (*slot, TRUE);
  gtk_stack_add_named (self->view_stack, *slot, logs ? "logs" : "accounts");
  g_signal_connect_swapped (*slot, "notify::title", G_CALLBACK (update_view_title), self);
  g_signal_connect_swapped (*slot, "notify::subtitle", G_CALLBACK (update_view_title), self);
  if (!logs)
    g_signal_connect (*slot, "view-logs", G_CALLBACK (on_accounts_view_logs_cb), self);
  return *slot;
}

static void
present_view (PbWindow  *self,
              GtkWidget *view,
              GtkWidget *sidebar_row)
{
  gtk_stack_set_visible_child (self->view_stack, view);
  /* The sidebar marks what is shown: its Linked Accounts or Logs row (whole project), or
   * nothing (one integration's). */
  gtk_list_box_unselect_all (self->category_list);
  if (sidebar_row != NULL)
    gtk_list_box_select_row (self->views_list, GTK_LIST_BOX_ROW (sidebar_row));
  else
    gtk_list_box_unselect_all (self->views_list);
  gtk_stack_set_visible_child_name (self->page_stack, "view");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-to-list", TRUE);
  update_view_title (self);
  /* Folded: from the sidebar, go to the content. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  /* The view's first control (the accounts' search field, the logs' filters) takes the
   * focus, not the header bar before it. */
  if (!gtk_widget_child_focus (view, GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (view);
}

static void
show_logs (PbWindow   *self,
           const char *integration_id,
           const char *account_id)
{
  GtkWidget *view = ensure_view (self, TRUE);

  if (view == NULL)
    return;
  pb_paged_view_set_integration_id (PB_PAGED_VIEW (view), integration_id);
  pb_logs_view_set_account_id (PB_LOGS_VIEW (view), account_id);
  present_view (self, view,
                integration_id == NULL && account_id == NULL ? self->logs_row : NULL);
}

static void
show_accounts (PbWindow   *self,
               const char *integration_id)
{
  GtkWidget *view = ensure_view (self, FALSE);

  if (view == NULL)
    return;
  pb_paged_view_set_integration_id (PB_PAGED_VIEW (view), integration_id);
  present_view (self, view, integration_id == NULL ? self->accounts_row : NULL);
}

/* "integration.view-logs" (s) and "win.show-logs" (the whole project). */
static void
view_logs_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = NULL;

  if (parameter != NULL && (integration = pb_window_integration_for (self, parameter)) == NULL)
    return;
  show_logs (self, integration != NULL ? pb_integration_get_id (integration) : NULL, NULL);
}

static void
show_accounts_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = NULL;

  if (parameter != NULL && (integration = pb_window_integration_for (self, parameter)) == NULL)
    return;
  show_accounts (self, integration != NULL ? pb_integration_get_id (integration) : NULL);
}

static void
back_to_list_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  if (view_shown (self))
    show_list (self);
}

static gboolean
back_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  PbWindow *self = PB_WINDOW (widget);

  if (!view_shown (self))
    return FALSE;
  show_list (self);
  return TRUE;
}

/* Escape in a view's search field with text clears it first (as in GNOME's apps); the next
 * Escape goes back. */
static gboolean
escape_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  PbWindow *self = PB_WINDOW (widget);
  GtkWidget *focus;
  GtkWidget *entry;

  if (!view_shown (self))
    return FALSE;
  focus = gtk_root_get_focus (GTK_ROOT (self));
  entry = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY) : NULL;
  if (entry != NULL && *gtk_editable_get_text (GTK_EDITABLE (entry)) != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (entry), "");
      return TRUE;
    }
  return back_shortcut_cb (widget, args, user_data);
}

static void
on_views_list_row_activated_cb (PbWindow      *self,
                                GtkListBoxRow *row)
{
  if (GTK_WIDGET (row) == self->accounts_row)
    show_accounts (self, NULL);
  else if (GTK_WIDGET (row) == self->logs_row)
    show_logs (self, NULL, NULL);
}

/* The page: a header bar (Back, the view's title and subtitle) over the view. */
void
pb_window_views_init (PbWindow *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkShortcutAction *action = gtk_callback_action_new (back_shortcut_cb, NULL, NULL);
  GtkShortcutAction *escape = gtk_callback_action_new (escape_shortcut_cb, NULL, NULL);

  self->view_page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  self->view_title = ADW_WINDOW_TITLE (adw_window_title_new ("", NULL));
  self->view_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_tooltip_text (back, _("Back"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"),
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "win.back-to-list");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->view_title));
  g_object_bind_property (self->leaflet, "folded", header, "show-start-title-buttons",
                          G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (self->view_page), header);
  self->view_header = ADW_HEADER_BAR (header);
  gtk_widget_set_vexpand (GTK_WIDGET (self->view_stack), TRUE);
  gtk_box_append (GTK_BOX (self->view_page), GTK_WIDGET (self->view_stack));
  gtk_stack_add_named (self->page_stack, self->view_page, "view");

  /* Escape and Alt+Left go back before the leaflet or a view takes them. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0), escape));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Left, GDK_ALT_MASK), action));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-to-list", FALSE);
}

GtkWidget *
pb_window_get_view (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return view_shown (self) ? gtk_stack_get_visible_child (self->view_stack) : NULL;
}

void
pb_window_views_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_views_list_row_activated_cb);
  gtk_widget_class_install_action (widget_class, "integration.view-logs", "s",
                                   view_logs_action);
  gtk_widget_class_install_action (widget_class, "win.show-logs", NULL, view_logs_action);
  gtk_widget_class_install_action (widget_class, "integration.show-accounts", "s",
                                   show_accounts_action);
  gtk_widget_class_install_action (widget_class, "win.show-accounts", NULL,
                                   show_accounts_action);
  gtk_widget_class_install_action (widget_class, "win.back-to-list", NULL, back_to_list_action);
}
