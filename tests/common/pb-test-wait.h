/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What every suite waits with: the default main context is run until something happened,
 * and a wait that times out fails the test (it never hangs). */

/* How long a test waits for the backend, the keyring or the widgets before it fails. */
#define PB_TEST_TIMEOUT_MS 30000

typedef gboolean (*PbTestCondition) (gpointer data);

/* Runs the default main context until @condition (@data) holds; fails the test when it
 * still does not after @timeout_ms. The condition is checked after each dispatch and at
 * least every 10 ms (for what changes outside the main context: a child process, a file). */
void          pb_test_wait_until     (PbTestCondition  condition,
                                      gpointer         data,
                                      guint            timeout_ms);

/* Runs the default main context for @ms milliseconds (for what must not happen, or must
 * have settled). */
void          pb_test_spin_for       (guint            ms);

/* A GAsyncReadyCallback for pb_test_await(): @user_data is a GAsyncResult ** slot, empty
 * until the result arrives. */
void          pb_test_async_ready_cb (GObject         *source,
                                      GAsyncResult    *result,
                                      gpointer         user_data);
/* Waits until @slot holds the result pb_test_async_ready_cb() put there (failing the test
 * after @timeout_ms) and takes it. Returns: (transfer full). */
GAsyncResult *pb_test_await          (GAsyncResult   **slot,
                                      guint            timeout_ms);

G_END_DECLS
