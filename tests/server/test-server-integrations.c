/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-integrations-tests.h"

/* The integrations endpoints, then accounts, connect sessions and the request logs that
 * they leave, on the shared demo server. */

/* The tests are in server-integrations-list.c, server-integrations-edit.c,
 * server-integrations-rules.c and server-accounts-logs.c. */

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  server_demo_setup ();

  g_test_add_func ("/server/integrations/pagination", test_integrations_pagination);
  g_test_add_func ("/server/integrations/filters", test_integrations_filters);
  g_test_add_func ("/server/integrations/create", test_integrations_create);
  g_test_add_func ("/server/integrations/create-errors", test_integrations_create_errors);
  g_test_add_func ("/server/integrations/default-on-create", test_integrations_default_on_create);
  g_test_add_func ("/server/integrations/etag", test_integrations_etag);
  g_test_add_func ("/server/integrations/patch-fields", test_integrations_patch_fields);
  g_test_add_func ("/server/integrations/auth-type-change", test_integrations_auth_type_change);
  g_test_add_func ("/server/integrations/no-end-user-secret", test_integrations_no_end_user_secret);
  g_test_add_func ("/server/integrations/platform-app", test_integrations_platform_app);
  g_test_add_func ("/server/integrations/own-app-missing", test_integrations_own_app_missing);
  g_test_add_func ("/server/integrations/generated", test_integrations_generated);
  g_test_add_func ("/server/integrations/toggle", test_integrations_toggle);
  g_test_add_func ("/server/integrations/default-rules", test_integrations_default_rules);
  g_test_add_func ("/server/integrations/delete-with-accounts", test_integrations_delete_accounts);
  g_test_add_func ("/server/integrations/concurrent-default", test_integrations_concurrent_default);
  g_test_add_func ("/server/accounts", test_accounts);
  g_test_add_func ("/server/connect-sessions", test_connect_sessions);
  g_test_add_func ("/server/logs/list", test_logs);
  g_test_add_func ("/server/logs/recorded", test_logs_recorded);

  return server_demo_run ();
}
