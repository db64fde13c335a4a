/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include <string.h>

#include "client-transport-tests.h"

/*
 * PbClient's transport, retries, cancelling and debug log against a real plugboard-server
 * (`demo --listen 127.0.0.1:0`), a peer that breaks connections and an in-process
 * misbehaving backend, all on the loopback; nothing is mocked. Tests under /client/retry/
 * use a second server started with --rate-limit 5 and are run by a separate meson test
 * (they wait for a whole rate-limit window).
 */

/* The transport tests are in client-transport-network.c and client-transport-backends.c;
 * the retry tests are here. */

static PbTestServer *rate_server;

/* Tests: retries (a server started with --rate-limit 5) */

static PbTestServer *
get_rate_server (void)
{
  if (rate_server == NULL)
    {
      const char *args[] = { "--rate-limit", "5", NULL };
      g_autoptr(GError) error = NULL;

      rate_server = pb_test_server_start_demo (args, &error);
      g_assert_no_error (error);
      g_assert_nonnull (rate_server);
    }

  return rate_server;
}

static void
exhaust_rate_limit (PbClient *client)
{
  g_autoptr(GError) error = NULL;

  pb_client_set_max_retries (client, 0);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(PbProject) project = get_project (client, &error);

      if (project == NULL)
        {
          g_assert_error (error, PB_API_ERROR, PB_API_ERROR_RATE_LIMITED);
          return;
        }
    }
  g_error ("10 requests with --rate-limit 5 were all served");
}

static void
test_retry_reported (void)
{
  PbTestServer *server = get_rate_server ();
  g_autoptr(PbClient) client = pb_client_new (pb_test_server_get_url (server),
                                              pb_test_server_get_admin_key (server, 0));
  g_autoptr(GError) error = NULL;
  gint64 started;

  exhaust_rate_limit (client);

  /* With max_retries 0 the 429 is reported at once. */
  started = g_get_monotonic_time ();
  g_assert_null (get_project (client, &error));
  assert_http_failure (error, PB_API_ERROR_RATE_LIMITED, 429, "rate_limited");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_retry_cancelled (void)
{
  PbTestServer *server = get_rate_server ();
  g_autoptr(PbClient) client = pb_client_new (pb_test_server_get_url (server),
                                              pb_test_server_get_admin_key (server, 0));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  exhaust_rate_limit (client);
  pb_client_set_max_retries (client, 3);

  /* Waiting for Retry-After, then cancelled: it stops at once. */
  started = g_get_monotonic_time ();
  g_timeout_add (300, cancel_later, cancellable);
  AWAIT (pb_client_get_project_async, client, cancellable);
  g_assert_null (pb_client_get_project_finish (client, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
}

static void
test_retry_waits (void)
{
  PbTestServer *server = get_rate_server ();
  g_autoptr(PbClient) client = pb_client_new (pb_test_server_get_url (server),
                                              pb_test_server_get_admin_key (server, 0));
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;
  g_autofree char *log = NULL;
  gint64 started, elapsed;

  exhaust_rate_limit (client);

  /* The window lasts a minute: Retry-After says up to 60 s, the client waits at most 30 s at
   * a time (the default cap), so it gets there on its second retry. */
  pb_client_set_max_retries (client, PB_CLIENT_DEFAULT_MAX_RETRIES);
  g_assert_cmpuint (pb_client_get_max_retry_delay (client), ==, 30);

  captured_log = g_string_new (NULL);
  started = g_get_monotonic_time ();
  project = get_project (client, &error);
  elapsed = g_get_monotonic_time () - started;
  log = g_string_free (g_steal_pointer (&captured_log), FALSE);

  g_assert_no_error (error);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_nonnull (project);
  g_test_message ("succeeded after %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_nonnull (strstr (log, "GET /project: 429"));
  g_assert_nonnull (strstr (log, "retry 1 of 3"));
  g_assert_nonnull (strstr (log, "GET /project: 200"));
  /* It did wait (it was refused at first), and not longer than the window plus slack. */
  g_assert_cmpint (elapsed, >=, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <=, 65 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  client_test_init (&argc, &argv);

  g_test_add_func ("/client/transport/unreachable", test_unreachable);
  g_test_add_func ("/client/transport/unreachable-dns", test_unreachable_dns);
  g_test_add_func ("/client/transport/connection-closed", test_connection_closed);
  g_test_add_func ("/client/transport/timeout", test_timeout);
  g_test_add_func ("/client/transport/invalid-url", test_invalid_url);
  g_test_add_func ("/client/transport/misbehaving-backend", test_invalid_responses);
  g_test_add_func ("/client/transport/list-all-page-ends", test_list_all_page_ends);
  g_test_add_func ("/client/transport/tls-failure", test_tls_failure);
  g_test_add_func ("/client/transport/tls-self-signed", test_tls_self_signed);
  g_test_add_func ("/client/transport/cancel", test_cancel);
  g_test_add_func ("/client/debug-log/hides-secrets", test_debug_log_hides_secrets);
  g_test_add_func ("/client/retry/reported", test_retry_reported);
  g_test_add_func ("/client/retry/cancelled-while-waiting", test_retry_cancelled);
  g_test_add_func ("/client/retry/waits-then-succeeds", test_retry_waits);

  ret = g_test_run ();

  client_test_shutdown ();
  g_clear_pointer (&rate_server, pb_test_server_stop);

  return ret;
}
