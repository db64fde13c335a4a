/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "demo-fixture.h"

/*
 * The local demo's reset (ux.md: "Reset demo" in Preferences starts it afresh): the app's
 * own PbDemoBackend with the real plugboard-server ($PLUGBOARD_SERVER), its database in a
 * temporary $XDG_DATA_HOME, its keys in the headless session's real keyring, real widgets.
 */

/* The tests: test-demo-reset.c (the reset itself) and test-demo-preferences.c (through
 * Preferences); what they share is in demo-fixture.c. */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Only 127.0.0.1 here (no proxy lookups), no session project from the environment, and a
   * data directory of this test's own (GLib reads it once, so before anything else). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_unsetenv ("PLUGBOARD_BACKEND_URL");
  g_unsetenv ("PLUGBOARD_API_KEY");
  data_home = g_dir_make_tmp ("pb-test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_cmpstr (g_get_user_data_dir (), ==, data_home);

  g_test_add_func ("/demo/reset", test_demo_reset);
  g_test_add_func ("/demo/reset-start-fails", test_demo_reset_start_fails);
  g_test_add_func ("/demo/preferences", test_demo_preferences);
  g_test_add_func ("/demo/port-taken", test_demo_port_taken);

  ret = g_test_run ();
  remove_tree (data_home);
  g_free (data_home);
  return ret;
}
