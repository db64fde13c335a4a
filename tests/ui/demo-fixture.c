/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "demo-fixture.h"

/* The helpers the demo tests share (demo-fixture.h). */

/* The test's own temporary $XDG_DATA_HOME, made by main(). */
char *data_home;

static gboolean
window_mapped (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (data));

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

gboolean
project_loaded (gpointer data)
{
  PbUiProject *project = pb_window_get_project (PB_WINDOW (data));

  return project != NULL && pb_ui_project_get_loaded (project)
         && g_strcmp0 (pb_window_get_visible_page (PB_WINDOW (data)), "loading") != 0;
}

/* First start without any project: the app runs the local demo itself. */
PbApplication *
start_app_without_project (PbWindow **out_window)
{
  PbApplication *app = pb_application_new ();
  static guint n_apps;
  g_autofree char *id = g_strdup_printf ("io.github.plugboard.Plugboard.DemoReset%u", n_apps++);
  g_autoptr(GError) error = NULL;

  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  pb_test_wait_until (window_mapped, app, PB_TEST_TIMEOUT_MS);
  *out_window = PB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (*out_window);
  pb_test_wait_until (project_loaded, *out_window, PB_TEST_TIMEOUT_MS);
  g_assert_true (project_loaded (*out_window));
  g_assert_true (pb_demo_backend_get_running (pb_application_get_demo (app)));
  return app;
}

void
quit_app (PbApplication *app)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (w);
    }
  pb_test_spin_for (50);
  pb_demo_backend_stop (pb_application_get_demo (app));
  g_object_unref (app);
}

char *
demo_db_path (void)
{
  return g_build_filename (data_home, "plugboard", "demo", "demo.db", NULL);
}

/* The plugboard-server processes serving this test's demo database (by their command line:
 * the database is in this test's own temporary directory). */
static GArray *
demo_server_pids (void)
{
  g_autofree char *db = demo_db_path ();
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  const char *name;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      gsize len;
      gboolean has_db = FALSE, is_server = FALSE;
      GPid pid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "cmdline", NULL);
      if (!g_file_get_contents (path, &cmdline, &len, NULL))
        continue;
      for (gsize i = 0; i < len; i += strlen (cmdline + i) + 1)
        {
          has_db |= g_str_equal (cmdline + i, db);
          is_server |= g_str_has_suffix (cmdline + i, "plugboard-server") && i == 0;
        }
      pid = (GPid) g_ascii_strtoll (name, NULL, 10);
      if (has_db && is_server)
        g_array_append_val (pids, pid);
    }
  return pids;
}

GPid
the_demo_server_pid (void)
{
  g_autoptr(GArray) pids = demo_server_pids ();

  g_assert_cmpuint (pids->len, ==, 1);
  return g_array_index (pids, GPid, 0);
}

gboolean
pid_gone (GPid pid)
{
  g_autoptr(GArray) pids = demo_server_pids ();

  for (guint i = 0; i < pids->len; i++)
    if (g_array_index (pids, GPid, i) == pid)
      return FALSE;
  return kill (pid, 0) != 0 && errno == ESRCH;
}

/* (transfer full) the demo's projects' local ids, then their ids on the server */
GPtrArray *
demo_project_ids (PbApplication *app,
                  gboolean       server_ids)
{
  GListModel *projects = pb_demo_backend_get_projects (pb_application_get_demo (app));
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(PbProjectConfig) config = g_list_model_get_item (projects, i);

      g_ptr_array_add (ids, g_strdup (server_ids ? pb_project_config_get_project_id (config)
                                                 : pb_project_config_get_id (config)));
    }
  return ids;
}

gboolean
ids_contain (GPtrArray *ids, const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), id))
      return TRUE;
  return FALSE;
}
