/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The tests of test-client-transport, registered in test-client-transport.c (which holds the
 * retry tests); what they share is in client-test-util.h. */

#include "client-test-util.h"

G_BEGIN_DECLS

/* client-transport-network.c: unreachable peers, broken connections, TLS, cancelling and
 * the debug log */
void test_unreachable             (void);
void test_unreachable_dns         (void);
void test_connection_closed       (void);
void test_timeout                 (void);
void test_invalid_url             (void);
void test_tls_failure             (void);
void test_tls_self_signed         (void);
void test_cancel                  (void);
void test_debug_log_hides_secrets (void);
/* client-transport-backends.c: in-process backends that break the API on purpose */
void test_invalid_responses       (void);
void test_list_all_page_ends      (void);

G_END_DECLS
