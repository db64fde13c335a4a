/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <string.h>

#include "window-fixture.h"

/* The window and its app: shown with the app's actions and windows, and the first start
 * without any project (the local demo). */

void
test_window_shown (Fixture *f, gconstpointer data)
{
  GtkWindow *window = GTK_WINDOW (f->window);
  g_auto(GStrv) accels = NULL;

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpstr (gtk_window_get_title (window), ==, "Plugboard");
  g_assert_cmpstr (pb_window_get_visible_page (f->window), ==, "list");

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "preferences"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Control>q");
  /* No hidden window kept around (GTK 4.8's AT-SPI could hand it to a screen reader without
   * a path, and crash): the shortcuts window is made when asked, and destroyed when closed. */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  for (guint i = 0; i < g_list_model_get_n_items (gtk_window_get_toplevels ()); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (gtk_window_get_toplevels (), i);

      g_assert_true (gtk_widget_get_visible (toplevel));
    }
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "win.show-shortcuts");
  g_assert_cmpstr (accels[0], ==, "<Control>question");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-shortcuts", NULL);
  g_assert_nonnull (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW,
                                                                    window))));
  gtk_window_close (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, window));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  for (guint i = 0; i < g_list_model_get_n_items (gtk_window_get_toplevels ()); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (gtk_window_get_toplevels (), i);

      g_assert_false (GTK_IS_SHORTCUTS_WINDOW (toplevel));
    }

  /* The switcher shows the session project; not the demo. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (PB_WINDOW (f->window)->project_dropdown)), ==, 1);
  g_assert_null (pb_window_get_notice (f->window));

  /* Preferences and About open windows of their own. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  g_assert_nonnull (find_toplevel (ADW_TYPE_PREFERENCES_WINDOW, window));
  gtk_window_destroy (find_toplevel (ADW_TYPE_PREFERENCES_WINDOW, window));
  gtk_window_present (window);
  iterate_for (50);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);
  g_assert_nonnull (find_toplevel (ADW_TYPE_ABOUT_WINDOW, window));
}

/* First start without any project: the app runs the local demo itself; what the admin
 * changes there is still there at the next start (its database and its kept key). */
static PbApplication *
start_app_without_project (PbWindow **out_window)
{
  PbApplication *app = pb_application_new ();
  static guint n_demo_apps;
  g_autofree char *id = g_strdup_printf ("io.github.plugboard.Plugboard.Demo%u", n_demo_apps++);
  g_autoptr(GError) error = NULL;

  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  iterate_until (window_mapped, app, TIMEOUT_MS);
  *out_window = PB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (*out_window);
  iterate_until (project_loaded, *out_window, TIMEOUT_MS);
  g_assert_true (project_loaded (*out_window));
  return app;
}

void
test_window_demo (void)
{
  /* The headless session's own (temporary) data directory; GLib caches it at start. */
  const char *data_dir = g_get_user_data_dir ();
  g_autofree char *projects_file = NULL;
  g_autofree char *id = NULL;
  PbApplication *app;
  PbWindow *window;
  PbIntegration *disabled = NULL;
  GListModel *integrations;
  ActiveWait w = { NULL, NULL, TRUE };
  Fixture f = { 0 };

  g_unsetenv ("PLUGBOARD_BACKEND_URL");
  g_unsetenv ("PLUGBOARD_API_KEY");

  /* First start: the demo runs, its notice offers a real backend. */
  app = start_app_without_project (&window);
  g_assert_true (pb_demo_backend_get_running (pb_application_get_demo (app)));
  g_assert_nonnull (pb_window_get_notice (window));
  g_assert_nonnull (strstr (pb_window_get_notice (window), "local demo"));
  projects_file = g_build_filename (data_dir, "plugboard", "demo", "projects.json", NULL);
  g_assert_true (g_file_test (projects_file, G_FILE_TEST_EXISTS));

  /* Enable a disabled integration (no question asked). */
  integrations = pb_ui_project_get_integrations (pb_window_get_project (window));
  for (guint i = 0; i < g_list_model_get_n_items (integrations) && disabled == NULL; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);

      if (!pb_integration_get_active (integration))
        disabled = integration;
    }
  g_assert_nonnull (disabled);
  id = g_strdup (pb_integration_get_id (disabled));
  f.window = window;
  w.f = &f;
  w.id = id;
  gtk_widget_activate_action (GTK_WIDGET (window), "integration.enable", "s", id);
  iterate_until (integration_active_is, &w, TIMEOUT_MS);
  g_assert_true (integration_active_is (&w));

  /* Quit: the demo stops with the app. */
  gtk_window_destroy (GTK_WINDOW (window));
  pb_demo_backend_stop (pb_application_get_demo (app));
  g_assert_false (pb_demo_backend_get_running (pb_application_get_demo (app)));
  g_object_unref (app);

  /* Next start: the same database, served again, with the key the keyring kept. */
  app = start_app_without_project (&window);
  f.window = window;
  g_assert_nonnull (pb_ui_project_find (pb_window_get_project (window), id));
  g_assert_true (integration_active_is (&w));
  gtk_window_destroy (GTK_WINDOW (window));
  pb_demo_backend_stop (pb_application_get_demo (app));
  g_object_unref (app);
}

/* The app started on projects of its own, put in its settings first (the memory settings
 * backend keeps them for this process): @projects holds (local id, name, URL) triples. */
static PbApplication *
start_app_with_projects (const char * const *projects,
                         PbWindow          **out_window)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autoptr(GError) error = NULL;
  GVariantBuilder builder;
  PbApplication *app = pb_application_new ();
  static guint n_apps;
  g_autofree char *id = g_strdup_printf ("io.github.plugboard.Plugboard.Projects%u", n_apps++);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssss)"));
  for (guint i = 0; projects[i] != NULL; i += 3)
    g_variant_builder_add (&builder, "(ssss)", projects[i], projects[i + 1], projects[i + 2], "");
  g_settings_set_value (settings, "projects", g_variant_builder_end (&builder));
  g_settings_set_string (settings, "last-project", "");
  g_unsetenv ("PLUGBOARD_BACKEND_URL");
  g_unsetenv ("PLUGBOARD_API_KEY");

  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  iterate_until (window_mapped, app, TIMEOUT_MS);
  *out_window = PB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (*out_window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (*out_window)));
  return app;
}

static void
stop_app (PbApplication *app)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (w);
    }
  iterate_for (50);
  g_object_unref (app);
  g_settings_reset (settings, "projects");
  g_settings_reset (settings, "last-project");
}

/* The texts of the visible labels under @widget (popovers included), joined by "|". */
static void
collect_labels (GtkWidget *widget,
                GString   *texts)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget))
    g_string_append_printf (texts, "|%s", gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, texts);
}

static gboolean
dropdown_popped_up (gpointer data)
{
  g_autoptr(GString) texts = g_string_new (NULL);

  collect_labels (GTK_WIDGET (data), texts);
  return strstr (texts->str, "Payroll") != NULL;
}

/* Two projects with the same name on different backends: the switcher adds each one's
 * host, in its button and in its list; a name nobody else has stays as it is. */
void
test_window_switcher_hosts (void)
{
  const char * const projects[] = {
    "acme-a", "Acme HR", "https://hr.acme-a.example",
    "acme-b", "Acme HR", "https://hr.acme-b.example:8443",
    "payroll", "Payroll", "https://payroll.example",
    NULL,
  };
  PbWindow *window;
  PbApplication *app = start_app_with_projects (projects, &window);
  GtkWidget *dropdown = GTK_WIDGET (window->project_dropdown);
  g_autoptr(GString) button = g_string_new (NULL);
  g_autoptr(GString) list = g_string_new (NULL);

  /* The button: the first project, with its host. */
  collect_labels (dropdown, button);
  g_assert_nonnull (strstr (button->str, "|Acme HR (hr.acme-a.example)"));
  g_assert_null (strstr (button->str, "|Acme HR|"));

  /* The list, popped up as a click does: each Acme HR with its host, Payroll alone. */
  g_signal_emit_by_name (dropdown, "activate");
  iterate_until (dropdown_popped_up, dropdown, TIMEOUT_MS);
  collect_labels (dropdown, list);
  g_assert_nonnull (strstr (list->str, "|Acme HR (hr.acme-a.example)"));
  g_assert_nonnull (strstr (list->str, "|Acme HR (hr.acme-b.example:8443)"));
  g_assert_nonnull (strstr (list->str, "|Payroll"));
  g_assert_null (strstr (list->str, "|Payroll ("));

  stop_app (app);
}

static gboolean
project_open_ended (gpointer data)
{
  const char *page = pb_window_get_visible_page (PB_WINDOW (data));

  return g_strcmp0 (page, "loading") != 0;
}

/* A project on a plain-http backend of another computer (the admin confirmed it when adding
 * it): the header shows the warning icon, which names the host; a project over https
 * does not. */
void
test_window_unencrypted_icon (void)
{
  const char * const projects[] = {
    "plain", "Plain", "http://192.0.2.2:8080",
    "secure", "Secure", "https://secure.example",
    NULL,
  };
  PbWindow *window;
  PbApplication *app = start_app_with_projects (projects, &window);
  GtkWidget *icon = GTK_WIDGET (window->unencrypted_icon);
  g_autofree char *tooltip = NULL;

  g_assert_true (gtk_widget_get_mapped (icon));
  g_assert_nonnull (gtk_widget_get_ancestor (icon, ADW_TYPE_HEADER_BAR));
  tooltip = gtk_widget_get_tooltip_text (icon) != NULL
            ? g_strdup (gtk_widget_get_tooltip_text (icon)) : NULL;
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, "192.0.2.2"));
  g_assert_nonnull (strstr (tooltip, "not encrypted"));
  /* Nothing was sent to it: its key is in no keyring, so the project could not be opened. */
  iterate_until (project_open_ended, window, TIMEOUT_MS);

  gtk_drop_down_set_selected (window->project_dropdown, 1);
  iterate_until (project_open_ended, window, TIMEOUT_MS);
  g_assert_false (gtk_widget_get_visible (icon));

  gtk_drop_down_set_selected (window->project_dropdown, 0);
  g_assert_true (gtk_widget_get_visible (icon));

  stop_app (app);
}

typedef struct
{
  PbWindow *window;
  guint     n_paints;
  char     *first_page;   /* the page the first painted frame showed ("list" with rows) */
} FirstFrame;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   FirstFrame    *first)
{
  if (first->n_paints++ > 0)
    return;
  if (g_strcmp0 (pb_window_get_visible_page (first->window), "list") == 0
      && g_list_model_get_n_items (G_LIST_MODEL (first->window->grouped)) > 0)
    first->first_page = g_strdup ("list");
  else
    first->first_page = g_strdup (pb_window_get_visible_page (first->window));
}

static gboolean
painted (gpointer data)
{
  return ((FirstFrame *) data)->n_paints > 0;
}

static gboolean
cached (gpointer data)
{
  PbUiProject *project = pb_window_get_project (PB_WINDOW (data));

  return project != NULL && pb_store_get_last_refresh (pb_ui_project_get_store (project)) != NULL;
}

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PbProjectConfig **out = user_data;

  *out = pb_project_list_add_finish (PB_PROJECT_LIST (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* A start with a saved project (its key in the keyring) cached by the start before: the
 * first frame that shows the window shows the cached list (read off the main thread while
 * GTK started; the window waits for its project), not an empty or loading page. */
void
test_window_first_frame (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProjectConfig) saved = NULL;
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  PbApplication *app = pb_application_new ();
  FirstFrame first = { 0 };
  GtkWindow *window;
  GListModel *toplevels = gtk_window_get_toplevels ();
  GListModel *projects;

  /* The same backend saved as a project of its own, opened and cached. */
  pb_project_list_add_async (pb_application_get_project_list (f->app), "Saved",
                             pb_test_server_get_url (f->server),
                             pb_test_server_get_admin_key (f->server, 0), FALSE, NULL,
                             added_cb, &saved);
  iterate_until (is_set, &saved, TIMEOUT_MS);
  g_assert_nonnull (saved);
  projects = gtk_drop_down_get_model (f->window->project_dropdown);
  for (guint i = 0; i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(PbProjectConfig) config = g_list_model_get_item (projects, i);

      if (config == saved)
        gtk_drop_down_set_selected (f->window->project_dropdown, i);
    }
  iterate_until (project_loaded, f->window, TIMEOUT_MS);
  iterate_until (cached, f->window, TIMEOUT_MS);
  g_assert_true (cached (f->window));
  g_assert_cmpstr (g_settings_get_string (settings, "last-project"), ==,
                   pb_project_config_get_id (saved));
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (w);
    }
  iterate_for (50);
  g_clear_object (&f->app);

  /* The next start, with the saved project only. */
  g_unsetenv ("PLUGBOARD_BACKEND_URL");
  g_unsetenv ("PLUGBOARD_API_KEY");
  g_application_set_application_id (G_APPLICATION (app),
                                    "io.github.plugboard.Plugboard.FirstFrame");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  first.window = PB_WINDOW (window);
  while (!gtk_widget_get_realized (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), &first);
  iterate_until (painted, &first, TIMEOUT_MS);
  g_assert_cmpstr (first.first_page, ==, "list");

  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (window)),
                                        on_after_paint_cb, &first);
  g_free (first.first_page);
  f->app = app;
  f->window = PB_WINDOW (window);
  g_settings_reset (settings, "projects");
  g_settings_reset (settings, "last-project");
}
