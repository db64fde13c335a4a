/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-application"

#include "config.h"

#include "pb-application.h"

#include <glib/gi18n.h>

#include "pb-window.h"

struct _PbApplication
{
  AdwApplication parent_instance;
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

static void
pb_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (pb_window_new (PB_APPLICATION (app)));

  gtk_window_present (window);
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
pb_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (PB_IS_WINDOW (window))
    pb_window_show_preferences (PB_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", pb_application_quit_action },
  { "about", pb_application_about_action },
  { "preferences", pb_application_preferences_action },
};

static void
pb_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (pb_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
}

static void
pb_application_class_init (PbApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = pb_application_activate;
  app_class->startup = pb_application_startup;
}

static void
pb_application_init (PbApplication *self)
{
}
