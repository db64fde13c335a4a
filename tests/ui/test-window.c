/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>

#include "window-fixture.h"

/* The tests, by topic: test-window-app.c (the window and app, the local demo),
 * test-window-list.c (categories, search, views, narrow) and test-window-actions.c (menus,
 * disable, delete, copy, read-only, pending); what they share is in window-fixture.c. */

int
main (int argc, char *argv[])
{
  /* Only 127.0.0.1 here: without a desktop's proxy settings GIO falls back to libproxy, whose
   * WPAD lookup delays each new client's first request by seconds. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, fn, viewer) \
  g_test_add ("/window/" path, Fixture, GINT_TO_POINTER (viewer), fixture_setup, fn, \
              fixture_teardown)
  ADD ("shown", test_window_shown, FALSE);
  ADD ("categories", test_window_categories, FALSE);
  ADD ("menus", test_window_menus, FALSE);
  ADD ("disable-enable", test_window_disable_enable, FALSE);
  ADD ("disable-without-accounts", test_window_disable_without_accounts, FALSE);
  ADD ("delete", test_window_delete, FALSE);
  ADD ("copy", test_window_copy, FALSE);
  ADD ("search-and-filters", test_window_search_and_filters, FALSE);
  ADD ("viewer", test_window_viewer, TRUE);
  ADD ("narrow", test_window_narrow, FALSE);
  ADD ("pending", test_window_pending, FALSE);
  ADD ("views", test_window_views, FALSE);
  ADD ("first-frame", test_window_first_frame, FALSE);
#undef ADD
  g_test_add_func ("/window/demo", test_window_demo);
  g_test_add_func ("/window/switcher-hosts", test_window_switcher_hosts);
  g_test_add_func ("/window/unencrypted-icon", test_window_unencrypted_icon);

  return g_test_run ();
}
