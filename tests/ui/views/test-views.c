/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-views"

#include "config.h"

#include "views-fixture.h"

/* The views against a real `plugboard-server demo`: what they show is compared with what a
 * direct PbClient walk of the same query returns. One server for the whole binary; tests that
 * change something (a disable) put it back. */

/* The tests are in views-accounts.c, views-logs.c, views-sorted-pages.c and
 * views-unreachable-a11y.c; the shared server, stores and helpers in views-fixture.c. */

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--rate-limit", "100000", NULL };
  int ret;

  /* Accessible properties are kept where gtk_test_accessible_*() can read them. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  pb_views_ensure_types ();

  server = pb_test_server_start_demo (args, &error);
  g_assert_no_error (error);
  hr_store = make_store (0);
  sandbox_store = make_store (1);

  g_test_add_func ("/views/accounts/integration", test_accounts_integration);
  g_test_add_func ("/views/accounts/filters", test_accounts_filters);
  g_test_add_func ("/views/accounts/sort", test_accounts_sort);
  g_test_add_func ("/views/accounts/sorted-pages", test_sorted_pages);
  g_test_add_func ("/views/accounts/offline-refresh", test_accounts_offline_refresh);
  g_test_add_func ("/views/accounts/link-and-act", test_accounts_link_and_act);
  g_test_add_func ("/views/logs/paging", test_logs_paging);
  g_test_add_func ("/views/logs/integration", test_logs_integration);
  g_test_add_func ("/views/logs/filters", test_logs_filters);
  g_test_add_func ("/views/logs/details", test_logs_details);
  g_test_add_func ("/views/logs/cancel", test_logs_cancel);
  g_test_add_func ("/views/logs/keyboard", test_logs_keyboard);
  g_test_add_func ("/views/unreachable", test_unreachable);
  g_test_add_func ("/views/accessible-names", test_accessible_names);

  ret = g_test_run ();

  g_clear_object (&hr_store);
  g_clear_object (&sandbox_store);
  pb_test_server_stop (server);
  return ret;
}
