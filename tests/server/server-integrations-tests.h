/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The tests of test-server-integrations, registered in test-server-integrations.c; what
 * they share is in server-demo.h. */

#include "server-demo.h"

G_BEGIN_DECLS

/* server-integrations-list.c */
void test_integrations_pagination         (void);
void test_integrations_filters            (void);
/* server-integrations-edit.c */
void test_integrations_create             (void);
void test_integrations_create_errors      (void);
void test_integrations_default_on_create  (void);
void test_integrations_etag               (void);
void test_integrations_patch_fields       (void);
void test_integrations_auth_type_change   (void);
void test_integrations_no_end_user_secret (void);
void test_integrations_platform_app      (void);
void test_integrations_own_app_missing   (void);
void test_integrations_generated         (void);
/* server-integrations-rules.c */
void test_integrations_toggle             (void);
void test_integrations_default_rules      (void);
void test_integrations_delete_accounts    (void);
void test_integrations_concurrent_default (void);
/* server-accounts-logs.c: accounts, connect sessions and request logs */
void test_accounts                        (void);
void test_connect_sessions                (void);
void test_logs                            (void);
void test_logs_recorded                   (void);

G_END_DECLS
