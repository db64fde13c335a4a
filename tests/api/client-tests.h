/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The tests of test-client, registered in test-client.c; what they share is in
 * client-test-util.h. */

#include "client-test-util.h"

G_BEGIN_DECLS

/* client-catalog.c: the project and connectors */
void test_project_get                     (void);
void test_project_second                  (void);
void test_connectors_pages                (void);
void test_connectors_filters              (void);
void test_connectors_get                  (void);
/* client-integrations.c */
void test_integrations_pages              (void);
void test_integrations_pages_while_adding (void);
void test_integrations_filters            (void);
void test_integrations_crud               (void);
void test_integrations_disable_enable     (void);
/* client-accounts.c: linked accounts, connect sessions and request logs */
void test_connect_sessions                (void);
void test_account_actions                 (void);
void test_accounts_pages                  (void);
void test_logs                            (void);
/* client-changes.c: incremental lists with sync tokens */
void test_integration_changes             (void);
/* client-list-all.c: list-all over several pages */
void test_list_all_pages_in_order         (void);
void test_list_all_cancel_midway          (void);

G_END_DECLS
