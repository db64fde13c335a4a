/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-window-private.h"

G_DEFINE_FINAL_TYPE (PbWindow, pb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_COMPACT,
  PROP_READ_ONLY,
  PROP_OFFLINE_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGES_SETTLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void open_selected_project (PbWindow *self);

/* The longest a new window waits for its project before it is shown anyway. */
#define PRESENT_WAIT_MS 1000

PbWindow *
pb_window_new (PbApplication *application)
{
  return g_object_new (PB_TYPE_WINDOW, "application", application, NULL);
}

static gboolean
present_now_cb (gpointer user_data)
{
  PbWindow *self = user_data;

  self->present_source = 0;
  gtk_window_present (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
present_if_waiting (PbWindow *self)
{
  if (self->present_source == 0)
    return;
  g_clear_handle_id (&self->present_source, g_source_remove);
  gtk_window_present (GTK_WINDOW (self));
}

void
pb_window_present_when_ready (PbWindow *self)
{
  g_return_if_fail (PB_IS_WINDOW (self));

  if (!self->opening_project)
    {
      gtk_window_present (GTK_WINDOW (self));
      return;
    }
  if (self->present_source != 0)
    return;
  self->present_source = g_timeout_add (PRESENT_WAIT_MS, present_now_cb, self);
  /* Its surface and renderer are made meanwhile; presenting then only maps it. */
  gtk_widget_realize (GTK_WIDGET (self));
}

void
pb_window_toast (PbWindow   *self,
                 const char *message)
{
  g_return_if_fail (PB_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

void
pb_window_toast_with_undo (PbWindow   *self,
                 const char *message,
                 const char *action,
                 GVariant   *target)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, action);
  adw_toast_set_action_target_value (toast, target);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A sentence for a person; cancellations are never shown. */
void
pb_window_changes_settled (PbWindow *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGES_SETTLED], 0);
}

void
pb_window_show_error (PbWindow     *self,
            const char   *what,
            const GError *error)
{
  g_autofree char *sentence = NULL;
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  sentence = pb_error_sentence (error);
  /* Translators: what could not be done, then why */
  message = g_strdup_printf (_("%s %s"), what, sentence);
  pb_window_toast (self, message);
}

/* ----------------------------------------------------------------------------------------- */
/* Opening a project */

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PbWindow) self = user_data;
  PbUiProject *project = PB_UI_PROJECT (source);
  g_autoptr(GError) error = NULL;

  if (!pb_ui_project_load_finish (project, result, &error))
    {
      g_debug ("Loading failed: %s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || project != self->project)
        return;
      g_clear_error (&self->load_error);
      self->load_error = g_steal_pointer (&error);
      if (pb_ui_project_get_loaded (project))
        pb_window_show_error (self, _("Could not refresh."), self->load_error);
    }
  else if (project == self->project)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
      PbStore *store = pb_ui_project_get_store (project);

      g_clear_error (&self->load_error);
      /* The backend's project id, for opening from the offline cache next time. */
      if (PB_IS_APPLICATION (app) && self->project_local_id != NULL &&
          pb_store_get_project_id (store) != NULL)
        pb_project_list_set_project_id (pb_application_get_project_list (PB_APPLICATION (app)),
                                        self->project_local_id,
                                        pb_store_get_project_id (store), NULL);
    }

  if (project != self->project)
    return;
  pb_window_rebuild_sidebar (self);
  pb_window_update_actions (self);
  pb_window_update_view (self);
}

static void
set_project (PbWindow    *self,
             PbUiProject *project)
{
  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_func (pb_ui_project_get_integrations (self->project),
                                            pb_window_integrations_changed_cb, self);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_error (&self->load_error);
  g_set_object (&self->project, project);
  pb_window_clear_views (self);
  pb_window_set_offline_ui (self, project != NULL ? pb_ui_project_get_store (project) : NULL);

  gtk_filter_list_model_set_model (self->filter_model,
                                   project != NULL ? pb_ui_project_get_integrations (project)
                                                   : NULL);
  if (project != NULL)
    {
      g_signal_connect_swapped (pb_ui_project_get_integrations (project), "items-changed",
                                G_CALLBACK (pb_window_integrations_changed_cb), self);
      pb_ui_project_load_async (project, self->cancellable, load_cb, g_object_ref (self));
    }
  pb_window_rebuild_sidebar (self);
  pb_window_update_actions (self);
  pb_window_update_view (self);
  /* The cache, if any, is in the models now: the first frame shows it. */
  if (project != NULL)
    present_if_waiting (self);
}

static void
open_store_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(PbUiProject) project = NULL;
  g_autofree char *sentence = NULL;

  store = pb_application_open_store_finish (PB_APPLICATION (source), result, &error);
  if (store == NULL)
    {
      g_debug ("Could not open the project: %s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;   /* another open, if any, has begun and owns opening_project */
      self->opening_project = FALSE;
      set_project (self, NULL);
      sentence = pb_error_sentence (error);
      pb_window_set_empty (self, "dialog-password-symbolic", _("Cannot Open the Project"), sentence,
                 _("_Open Preferences"), "app.preferences");
      present_if_waiting (self);
      return;
    }
  self->opening_project = FALSE;
  project = pb_ui_project_new (store);
  set_project (self, project);
}

/* The header says when the open project is reached unencrypted over a network. */
static void
show_unencrypted (PbWindow        *self,
                  PbProjectConfig *config)
{
  gboolean unencrypted = config != NULL && pb_project_config_get_unencrypted (config);

  gtk_widget_set_visible (GTK_WIDGET (self->unencrypted_icon), unencrypted);
  if (unencrypted)
    {
      g_autofree char *host = pb_project_config_dup_host (config);
      /* Translators: the header's warning; %s: the backend's host */
      g_autofree char *text = g_strdup_printf (_("Unencrypted: the connection to %s is not "
                                                 "encrypted (http://)"), host);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->unencrypted_icon), text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->unencrypted_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
    }
}

static void
open_selected_project (PbWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  PbProjectConfig *config = gtk_drop_down_get_selected_item (self->project_dropdown);

  if (!PB_IS_APPLICATION (app))
    return;
  g_debug ("Selected project: %s", config != NULL ? pb_project_config_get_id (config) : "none");
  if (config == NULL)
    {
      show_unencrypted (self, NULL);
      g_clear_pointer (&self->project_local_id, g_free);
      self->opening_project = FALSE;
      set_project (self, NULL);
      present_if_waiting (self);
      return;
    }
  /* Already shown, or being opened (the project list may change several times while the
   * local demo's projects arrive): opening it again would only start over. */
  if ((self->project != NULL || self->opening_project)
      && g_strcmp0 (self->project_local_id, pb_project_config_get_id (config)) == 0)
    return;

  g_free (self->project_local_id);
  self->project_local_id = g_strdup (pb_project_config_get_id (config));
  show_unencrypted (self, config);
  pb_application_remember_project (PB_APPLICATION (app), self->project_local_id);
  set_project (self, NULL);
  self->opening_project = TRUE;
  pb_application_open_store_async (PB_APPLICATION (app), config, self->cancellable,
                                   open_store_cb, g_object_ref (self));
}

static void
on_project_dropdown_selected_cb (PbWindow *self)
{
  open_selected_project (self);
}

static gboolean
select_last_project (PbWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GListModel *projects = gtk_drop_down_get_model (self->project_dropdown);
  const char *last;

  if (!PB_IS_APPLICATION (app) || projects == NULL
      || (last = pb_application_get_last_project (PB_APPLICATION (app))) == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(PbProjectConfig) config = g_list_model_get_item (projects, i);

      if (g_strcmp0 (pb_project_config_get_id (config), last) == 0)
        {
          gtk_drop_down_set_selected (self->project_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_projects_changed_cb (GListModel *projects,
                        guint       position,
                        guint       removed,
                        guint       added,
                        PbWindow   *self)
{
  /* The first projects arrived (the local demo started): reopen the last one if it is
   * among them. A removed project: the drop-down moved on; follow it. */
  if (self->project_local_id == NULL && added > 0 && select_last_project (self))
    return;
  if (gtk_drop_down_get_selected (self->project_dropdown) == GTK_INVALID_LIST_POSITION
      && g_list_model_get_n_items (projects) > 0)
    gtk_drop_down_set_selected (self->project_dropdown, 0);
  else
    open_selected_project (self);
  pb_window_update_view (self);
}

/* The switcher's line for a project: its name, with the backend's host when another
 * project has the same name. */
static char *
project_label (PbProjectConfig *config,
               const char      *name,
               GListModel      *projects)
{
  for (guint i = 0; config != NULL && i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(PbProjectConfig) other = g_list_model_get_item (projects, i);

      if (other != config && g_strcmp0 (pb_project_config_get_name (other), name) == 0)
        {
          g_autofree char *host = pb_project_config_dup_host (config);

          /* Translators: a project in the switcher when two have the same name, e.g.
           * "Acme HR (hr.example.com)" */
          return g_strdup_printf (_("%s (%s)"), name, host);
        }
    }
  return g_strdup (name);
}

/* The project's name in the drop-down's button is cut short in a narrow window (a demo's name
 * holds its URL); its list shows names whole. */
static void
project_item_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *list_item,
                       gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_list_item_set_child (list_item, label);
}

static void
project_item_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      GListModel               *projects)
{
  PbProjectConfig *config = gtk_list_item_get_item (list_item);
  g_autofree char *label = project_label (config, pb_project_config_get_name (config), projects);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), label);
}

static GtkListItemFactory *
project_factory_new (gboolean    ellipsize,
                     GListModel *projects)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (project_item_setup_cb),
                    GINT_TO_POINTER (ellipsize));
  g_signal_connect_data (factory, "bind", G_CALLBACK (project_item_bind_cb),
                         g_object_ref (projects), (GClosureNotify) (void (*) (void)) g_object_unref,
                         0);
  return factory;
}

static void
setup_projects (PbWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GListModel *projects;
  g_autoptr(GtkExpression) expression = NULL;

  if (!PB_IS_APPLICATION (app) || gtk_drop_down_get_model (self->project_dropdown) != NULL)
    return;

  projects = pb_application_get_projects (PB_APPLICATION (app));
  {
    GtkExpression *name = gtk_property_expression_new (PB_TYPE_PROJECT_CONFIG, NULL, "name");

    expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, &name,
                                              G_CALLBACK (project_label),
                                              g_object_ref (projects),
                                              (GClosureNotify) (void (*) (void)) g_object_unref);
  }
  gtk_drop_down_set_expression (self->project_dropdown, expression);
  {
    g_autoptr(GtkListItemFactory) button_factory = project_factory_new (TRUE, projects);
    g_autoptr(GtkListItemFactory) list_factory = project_factory_new (FALSE, projects);

    gtk_drop_down_set_factory (self->project_dropdown, button_factory);
    gtk_drop_down_set_list_factory (self->project_dropdown, list_factory);
  }
  g_signal_handlers_block_by_func (self->project_dropdown, on_project_dropdown_selected_cb, self);
  gtk_drop_down_set_model (self->project_dropdown, projects);
  g_signal_handlers_unblock_by_func (self->project_dropdown, on_project_dropdown_selected_cb,
                                     self);
  g_signal_connect_object (projects, "items-changed", G_CALLBACK (on_projects_changed_cb), self,
                           G_CONNECT_AFTER);

  g_signal_handlers_block_by_func (self->project_dropdown, on_project_dropdown_selected_cb, self);
  select_last_project (self);
  g_signal_handlers_unblock_by_func (self->project_dropdown, on_project_dropdown_selected_cb,
                                     self);
  open_selected_project (self);
  pb_window_update_view (self);
}

/* ----------------------------------------------------------------------------------------- */
/* Window actions */

static void
add_integration_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  if (self->project != NULL)
    pb_editor_present_new (GTK_WINDOW (self), pb_ui_project_get_store (self->project));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  if (self->project == NULL)
    return;
  g_clear_error (&self->load_error);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_spinner), TRUE);
  gtk_spinner_set_spinning (self->sync_spinner, TRUE);
  pb_ui_project_load_async (self->project, self->cancellable, load_cb, g_object_ref (self));
  pb_window_update_view (self);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_spinner), TRUE);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->state_dropdown, STATE_ALL);
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* ----------------------------------------------------------------------------------------- */
/* Preferences */

/* ----------------------------------------------------------------------------------------- */
/* Width */

static gboolean
apply_compact_cb (gpointer user_data)
{
  PbWindow *self = user_data;
  gboolean compact = gtk_widget_get_width (GTK_WIDGET (self)) <= COMPACT_WIDTH;

  self->compact_idle = 0;
  if (compact != self->compact)
    {
      self->compact = compact;
      /* Narrow: Refresh stays in the main menu (and Ctrl+R); the notice's button goes
       * under its text. */
      gtk_widget_set_visible (GTK_WIDGET (self->refresh_button), !compact);
      gtk_widget_set_visible (self->notice_icon, !compact);
      pb_window_update_sync_indicator (self);
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->notice_box),
                                      compact ? GTK_ORIENTATION_VERTICAL
                                              : GTK_ORIENTATION_HORIZONTAL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
    }
  return G_SOURCE_REMOVE;
}

static void
pb_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  PbWindow *self = PB_WINDOW (widget);

  GTK_WIDGET_CLASS (pb_window_parent_class)->size_allocate (widget, width, height, baseline);

  /* Changing the rows during an allocation would re-queue one: do it right after. */
  if ((width <= COMPACT_WIDTH) != self->compact && self->compact_idle == 0)
    self->compact_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_compact_cb, self, NULL);
}

/* ----------------------------------------------------------------------------------------- */
/* Accessors for tests and the benchmark */

PbUiProject *
pb_window_get_project (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return self->project;
}

const char *
pb_window_get_notice (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->notice_revealer))
    return NULL;
  return gtk_label_get_label (self->notice_label);
}

const char *
pb_window_get_visible_page (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

/* ----------------------------------------------------------------------------------------- */
/* GObject */

static void
pb_window_save_state (PbWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
pb_window_close_request (GtkWindow *window)
{
  pb_window_save_state (PB_WINDOW (window));

  return GTK_WINDOW_CLASS (pb_window_parent_class)->close_request (window);
}

static void
pb_window_constructed (GObject *object)
{
  PbWindow *self = PB_WINDOW (object);

  G_OBJECT_CLASS (pb_window_parent_class)->constructed (object);

  /* GtkWindow's application is set after construction: follow it. */
  g_signal_connect (self, "notify::application", G_CALLBACK (setup_projects), NULL);
  setup_projects (self);
  pb_window_update_actions (self);
  pb_window_update_view (self);
}

static void
pb_window_dispose (GObject *object)
{
  PbWindow *self = PB_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->compact_idle, g_source_remove);
  g_clear_handle_id (&self->present_source, g_source_remove);
  pb_window_set_offline_ui (self, NULL);
  pb_window_clear_views (self);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (pb_ui_project_get_integrations (self->project),
                                          pb_window_integrations_changed_cb, self);
  pb_window_list_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->grouped);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->project);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->project_local_id, g_free);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->focus_id, g_free);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (pb_window_parent_class)->dispose (object);
}

static void
pb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PbWindow *self = PB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_OFFLINE_STORE:
      g_value_set_object (value, self->offline_store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The keyboard shortcuts, in a window made when asked for and destroyed when closed.
 * GtkApplication would load gtk/help-overlay.ui itself and keep that window, hidden, for as
 * long as the main window lives; GTK 4.8's AT-SPI root can then hand a screen reader that
 * hidden window, which has no accessible path yet, and the app crashes (gtkatspiroot.c,
 * GetChildAtIndex asked while a dialog closes: what the e2e tests caught now and then).
 * It is still the window's help overlay while shown, so that its rows show the
 * accelerators of their actions. */
static gboolean
on_shortcuts_close_request_cb (GtkWindow *shortcuts,
                               PbWindow  *self)
{
  /* Destroys it. */
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), NULL);
  return TRUE;
}

static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkShortcutsWindow *shortcuts = gtk_application_window_get_help_overlay (window);

  if (shortcuts == NULL)
    {
      builder = gtk_builder_new_from_resource (PB_RESOURCE_PREFIX "/pb-shortcuts.ui");
      shortcuts = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, shortcuts);
      g_signal_connect_object (shortcuts, "close-request",
                               G_CALLBACK (on_shortcuts_close_request_cb), widget, 0);
    }
  gtk_window_present (GTK_WINDOW (shortcuts));
}

static void
pb_window_class_init (PbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pb_window_constructed;
  object_class->dispose = pb_window_dispose;
  object_class->get_property = pb_window_get_property;
  widget_class->size_allocate = pb_window_size_allocate;
  window_class->close_request = pb_window_close_request;

  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The store whose queued changes the rows show as pending (NULL without the offline UI). */
  properties[PROP_OFFLINE_STORE] =
    g_param_spec_object ("offline-store", NULL, NULL, PB_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PbWindow::changes-settled:
   *
   * A change asked from a row (its switch) has ended: applied, refused, failed or given up.
   * Rows put their switch back to their integration's state.
   */
  signals[SIGNAL_CHANGES_SETTLED] =
    g_signal_new ("changes-settled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PB_TYPE_INTEGRATION_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PB_RESOURCE_PREFIX "/pb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, views_list);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, accounts_row);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, logs_row);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, project_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, category_list);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, counts_note);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, unencrypted_icon);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, notice_box);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, notice_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, empty_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, loading_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_project_dropdown_selected_cb);

  gtk_widget_class_install_action (widget_class, "win.add-integration", NULL,
                                   add_integration_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.clear-filters", NULL,
                                   clear_filters_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-shortcuts", NULL,
                                   show_shortcuts_action);

  pb_window_list_class_init (widget_class);
  pb_window_actions_class_init (widget_class);
  pb_window_views_class_init (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-integration", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
}

static void
label_icon_button (GtkWidget  *widget,
                   const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
pb_window_init (PbWindow *self)
{
  self->read_only = TRUE;
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  pb_window_views_init (self);

  self->settings = g_settings_new (BASE_APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* Folded, the integrations come first; the back button leads to the categories. */
  adw_leaflet_set_visible_child_name (self->leaflet, "content");

  pb_window_list_init (self);

  /* Icon-only buttons: tooltips do not name them for screen readers in GTK 4.8. */
  label_icon_button (GTK_WIDGET (self->primary_menu_button), _("Main Menu"));
  label_icon_button (GTK_WIDGET (self->add_button), _("Add Integration"));
  label_icon_button (GTK_WIDGET (self->search_button), _("Search"));
  label_icon_button (GTK_WIDGET (self->refresh_button), _("Refresh"));
  label_icon_button (GTK_WIDGET (self->back_button), _("Categories"));
  label_icon_button (GTK_WIDGET (self->sync_spinner), _("Loading"));
  label_icon_button (GTK_WIDGET (self->project_dropdown), _("Project"));
  label_icon_button (GTK_WIDGET (self->state_dropdown), _("Show integrations in this state"));
  label_icon_button (GTK_WIDGET (self->search_entry), _("Search integrations by name"));
  label_icon_button (GTK_WIDGET (self->category_list), _("Categories"));
  label_icon_button (GTK_WIDGET (self->views_list), _("Views"));
  label_icon_button (GTK_WIDGET (self->accounts_row), _("Linked Accounts"));
  label_icon_button (GTK_WIDGET (self->logs_row), _("Logs"));
  label_icon_button (GTK_WIDGET (self->list_view), _("Integrations"));

#if PB_DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
