/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include "client-tests.h"

/*
 * PbClient against a real plugboard-server (`demo --listen 127.0.0.1:0`): the project,
 * connectors, integrations, linked accounts and request logs. Every call goes over HTTP on
 * the loopback; nothing is mocked. The error codes are tested in test-client-errors.c;
 * transport, retries and the debug log in test-client-transport.c.
 */

/* The tests are in client-catalog.c (project, connectors), client-integrations.c,
 * client-accounts.c (linked accounts, connect sessions, request logs) and
 * client-list-all.c. */

int
main (int   argc,
      char *argv[])
{
  int ret;

  client_test_init (&argc, &argv);

  g_test_add_func ("/client/project/get", test_project_get);
  g_test_add_func ("/client/project/second", test_project_second);
  g_test_add_func ("/client/connectors/pages", test_connectors_pages);
  g_test_add_func ("/client/connectors/filters", test_connectors_filters);
  g_test_add_func ("/client/connectors/get", test_connectors_get);
  g_test_add_func ("/client/integrations/pages", test_integrations_pages);
  g_test_add_func ("/client/integrations/pages-while-adding", test_integrations_pages_while_adding);
  g_test_add_func ("/client/integrations/filters", test_integrations_filters);
  g_test_add_func ("/client/integrations/crud", test_integrations_crud);
  g_test_add_func ("/client/integrations/disable-enable", test_integrations_disable_enable);
  g_test_add_func ("/client/integrations/changes", test_integration_changes);
  g_test_add_func ("/client/accounts/connect-sessions", test_connect_sessions);
  g_test_add_func ("/client/accounts/actions", test_account_actions);
  g_test_add_func ("/client/accounts/pages", test_accounts_pages);
  g_test_add_func ("/client/logs/pages-and-get", test_logs);
  g_test_add_func ("/client/list-all/pages-in-order", test_list_all_pages_in_order);
  g_test_add_func ("/client/list-all/cancel-midway", test_list_all_cancel_midway);

  ret = g_test_run ();

  client_test_shutdown ();

  return ret;
}
