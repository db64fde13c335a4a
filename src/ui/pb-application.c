/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-application"

#include "config.h"

#include "pb-accessible.h"
#include "pb-application.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "pb-error-sentence.h"
#include "pb-preferences.h"
#include "pb-window.h"

struct _PbApplication
{
  AdwApplication parent_instance;

  GSettings          *settings;
  PbProjectList      *project_list;
  PbDemoBackend      *demo;
  GtkFlattenListModel *projects;
  gboolean            demo_starting;
  guint               sigterm_id;
  guint               sigint_id;
  char               *last_project;
};

G_DEFINE_FINAL_TYPE (PbApplication, pb_application, ADW_TYPE_APPLICATION)

PbApplication *
pb_application_new (void)
{
  return g_object_new (PB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", PB_RESOURCE_PREFIX,
                       NULL);
}

PbProjectList *
pb_application_get_project_list (PbApplication *self)
{
  g_return_val_if_fail (PB_IS_APPLICATION (self), NULL);
  return self->project_list;
}

PbDemoBackend *
pb_application_get_demo (PbApplication *self)
{
  g_return_val_if_fail (PB_IS_APPLICATION (self), NULL);
  return self->demo;
}

GListModel *
pb_application_get_projects (PbApplication *self)
{
  g_return_val_if_fail (PB_IS_APPLICATION (self), NULL);
  return G_LIST_MODEL (self->projects);
}

gboolean
pb_application_has_projects (PbApplication *self)
{
  g_return_val_if_fail (PB_IS_APPLICATION (self), FALSE);
  return self->demo_starting
         || (self->projects != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->projects)) > 0);
}

gboolean
pb_application_is_demo_project (PbApplication *self,
                                const char    *local_id)
{
  g_return_val_if_fail (PB_IS_APPLICATION (self), FALSE);
  return self->demo != NULL && pb_demo_backend_owns_project (self->demo, local_id);
}

const char *
pb_application_get_last_project (PbApplication *self)
{
  g_return_val_if_fail (PB_IS_APPLICATION (self), NULL);
  return self->last_project != NULL && *self->last_project != '\0' ? self->last_project : NULL;
}

void
pb_application_remember_project (PbApplication *self,
                                 const char    *local_id)
{
  g_return_if_fail (PB_IS_APPLICATION (self));

  if (g_strcmp0 (self->last_project, local_id) == 0)
    return;
  g_free (self->last_project);
  self->last_project = g_strdup (local_id);
  /* The key the store helper defined; the demo's ids are kept too, so it reopens as well. */
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-project", local_id != NULL ? local_id : "");
}

/* Opening a project */

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PbStore *store;

  if (PB_IS_DEMO_BACKEND (source))
    store = pb_demo_backend_open_store_finish (PB_DEMO_BACKEND (source), result, &error);
  else
    store = pb_project_list_open_store_finish (PB_PROJECT_LIST (source), result, &error);
  if (store == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
pb_application_open_store_async (PbApplication       *self,
                                 PbProjectConfig     *config,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *id;

  g_return_if_fail (PB_IS_APPLICATION (self));
  g_return_if_fail (PB_IS_PROJECT_CONFIG (config));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_application_open_store_async);

  id = pb_project_config_get_id (config);
  if (pb_application_is_demo_project (self, id))
    pb_demo_backend_open_store_async (self->demo, id, cancellable, store_opened_cb,
                                      g_steal_pointer (&task));
  else
    pb_project_list_open_store_async (self->project_list, id, cancellable, store_opened_cb,
                                      g_steal_pointer (&task));
}

PbStore *
pb_application_open_store_finish (PbApplication  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == pb_application_open_store_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The local demo */

static void
demo_started_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PbApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  self->demo_starting = FALSE;
  if (pb_demo_backend_start_finish (PB_DEMO_BACKEND (source), result, &error))
    return;

  g_warning ("%s", error->message);
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (PB_IS_WINDOW (window))
    {
      g_autofree char *sentence = pb_error_sentence (error);

      pb_window_toast (PB_WINDOW (window), sentence);
    }
  /* The window shows "No Project Yet" again. */
  if (PB_IS_WINDOW (window))
    g_list_model_items_changed (G_LIST_MODEL (self->projects), 0, 0, 0);
}

static void
maybe_start_demo (PbApplication *self)
{
  if (self->demo_starting || pb_demo_backend_get_running (self->demo)
      || g_list_model_get_n_items (G_LIST_MODEL (self->project_list)) > 0)
    return;

  /* First start without any project: run the local demo so there is something real. */
  self->demo_starting = TRUE;
  pb_demo_backend_start_async (self->demo, NULL, demo_started_cb, g_object_ref (self));
}

static void
demo_reset_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PbApplication *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->demo_starting = FALSE;
  if (pb_demo_backend_reset_finish (PB_DEMO_BACKEND (source), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* The caller shows the error; the log keeps it too. */
  g_message ("%s", error->message);
  /* The windows show "No Project Yet" if the demo is gone. */
  g_list_model_items_changed (G_LIST_MODEL (self->projects), 0, 0, 0);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
pb_application_reset_demo_async (PbApplication       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PB_IS_APPLICATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_application_reset_demo_async);
  if (self->demo == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The local demo is not in use."));
      return;
    }
  /* While its old projects are gone and its new ones not there yet, the windows wait for
   * them rather than saying there is no project. */
  self->demo_starting = TRUE;
  pb_demo_backend_reset_async (self->demo, cancellable, demo_reset_cb, g_steal_pointer (&task));
}

gboolean
pb_application_reset_demo_finish (PbApplication  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == pb_application_reset_demo_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pb_application_present_preferences (PbApplication *self,
                                    GtkWindow     *parent)
{
  PbPreferences *prefs;

  g_return_if_fail (PB_IS_APPLICATION (self));

  prefs = pb_preferences_new (self);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
      gtk_window_set_modal (GTK_WINDOW (prefs), TRUE);
    }
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
pb_application_activate (GApplication *app)
{
  PbApplication *self = PB_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  maybe_start_demo (self);
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  pb_window_present_when_ready (pb_window_new (self));
}

static void
pb_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Close windows first so each saves its state. */
  for (GList *l = windows; l != NULL;)
    {
      GList *next = l->next;
      gtk_window_destroy (GTK_WINDOW (l->data));
      l = next;
    }
  g_application_quit (app);
}

static void
pb_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Plugboard developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application", app,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Plugboard"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Plugboard developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Manage the integrations of your integration-platform "
                                      "project: connectors, auth types, credentials, defaults, "
                                      "linked accounts and logs."),
                        "website", "https://github.com/plugboard/plugboard",
                        "issue-url", "https://github.com/plugboard/plugboard/issues",
                        "developers", developers,
                        "copyright", "© 2026 The Plugboard developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
show_help_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_message ("Could not open the help: %s", error->message);
  if (PB_IS_WINDOW (source))
    pb_window_toast (PB_WINDOW (source),
                     _("The help could not be opened. Is a help viewer such as Yelp installed?"));
}

/* The help is installed under the base id (help/C/io.github.plugboard.Plugboard), so a
 * development build opens the same pages. */
static void
pb_application_help_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_show_uri_full (window, "help:" BASE_APP_ID, GDK_CURRENT_TIME, NULL, show_help_cb, NULL);
}

static void
pb_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  PbApplication *self = PB_APPLICATION (user_data);

  pb_application_present_preferences (self,
                                      gtk_application_get_active_window (GTK_APPLICATION (self)));
}

static const GActionEntry app_actions[] = {
  { "quit", pb_application_quit_action },
  { "about", pb_application_about_action },
  { "preferences", pb_application_preferences_action },
  { "help", pb_application_help_action },
};

/* SIGTERM / SIGINT (a session ending, a test stopping the app): quit the normal way, so
 * that the local demo is stopped too. */
static gboolean
on_quit_signal_cb (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
  return G_SOURCE_CONTINUE;
}

static void
pb_application_startup (GApplication *app)
{
  PbApplication *self = PB_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *help_accels[] = { "F1", NULL };
  GListStore *parts;

  /* The project the window shows first (the last one, or the first of the list, as the
   * window chooses) is read from its cache while GTK starts and the window is built. */
  self->settings = g_settings_new (BASE_APP_ID);
  self->last_project = g_settings_get_string (self->settings, "last-project");
  self->project_list = pb_project_list_new (self->settings);
  {
    g_autoptr(PbProjectConfig) first = g_list_model_get_item (G_LIST_MODEL (self->project_list), 0);
    PbProjectConfig *last = pb_project_list_get_last_project (self->project_list);

    if (last != NULL || first != NULL)
      pb_project_list_preload (self->project_list,
                               pb_project_config_get_id (last != NULL ? last : first));
  }

  G_APPLICATION_CLASS (pb_application_parent_class)->startup (app);
  pb_accessible_install ();

  self->demo = pb_demo_backend_new ();

  parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (parts, self->project_list);
  g_list_store_append (parts, pb_demo_backend_get_projects (self->demo));
  self->projects = gtk_flatten_list_model_new (G_LIST_MODEL (parts));

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  self->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal_cb, app);
  self->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal_cb, app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.help", help_accels);
  /* GtkApplication would add Ctrl+? itself with a gtk/help-overlay.ui: see PbWindow's
   * show_shortcuts_action for why the app has none. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-shortcuts",
                                         shortcuts_accels);
}

static void
pb_application_shutdown (GApplication *app)
{
  PbApplication *self = PB_APPLICATION (app);

  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);

  /* Stop the local demo with the app: SIGTERM, then wait for it. */
  if (self->demo != NULL)
    pb_demo_backend_stop (self->demo);

  G_APPLICATION_CLASS (pb_application_parent_class)->shutdown (app);
}

static void
pb_application_dispose (GObject *object)
{
  PbApplication *self = PB_APPLICATION (object);

  g_clear_object (&self->projects);
  g_clear_object (&self->demo);
  g_clear_object (&self->project_list);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->last_project, g_free);

  G_OBJECT_CLASS (pb_application_parent_class)->dispose (object);
}

static void
pb_application_class_init (PbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = pb_application_dispose;
  app_class->activate = pb_application_activate;
  app_class->startup = pb_application_startup;
  app_class->shutdown = pb_application_shutdown;
}

static void
pb_application_init (PbApplication *self)
{
}
