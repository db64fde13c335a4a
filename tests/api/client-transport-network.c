/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "client-transport-tests.h"

/* Tests: transport */

void
test_unreachable (void)
{
  guint16 port = pb_test_server_closed_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(PbClient) client = pb_client_new (url, "pb_some_key");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  project = get_project (client, &error);
  g_assert_null (project);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_assert_true (pb_api_error_is_unreachable (error));
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_null (strstr (error->message, "pb_some_key"));
  g_test_message ("unreachable: %s", error->message);
}

void
test_unreachable_dns (void)
{
  g_autoptr(PbClient) client = pb_client_new ("http://no-such-host.invalid:8710", "pb_some_key");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  project = get_project (client, &error);
  g_assert_null (project);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "http://no-such-host.invalid:8710"));
}

/* A peer that accepts connections and then closes them, or never answers. */

typedef struct
{
  GSocketService *service;
  GPtrArray      *held;     /* connections kept open, unanswered */
  gboolean        hold;
  char           *url;
} BrokenPeer;

static gboolean
on_broken_peer_incoming (GSocketService    *service,
                         GSocketConnection *connection,
                         GObject           *source,
                         gpointer           user_data)
{
  BrokenPeer *peer = user_data;

  if (peer->hold)
    g_ptr_array_add (peer->held, g_object_ref (connection));
  else
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  return TRUE;
}

static BrokenPeer *
broken_peer_new (gboolean hold)
{
  BrokenPeer *peer = g_new0 (BrokenPeer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  peer->service = g_socket_service_new ();
  peer->held = g_ptr_array_new_with_free_func (g_object_unref);
  peer->hold = hold;
  g_socket_listener_add_address (G_SOCKET_LISTENER (peer->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (peer->service, "incoming", G_CALLBACK (on_broken_peer_incoming), peer);
  g_socket_service_start (peer->service);
  peer->url = g_strdup_printf ("http://127.0.0.1:%u",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  return peer;
}

static void
broken_peer_free (BrokenPeer *peer)
{
  g_socket_service_stop (peer->service);
  g_socket_listener_close (G_SOCKET_LISTENER (peer->service));
  g_clear_object (&peer->service);
  g_ptr_array_unref (peer->held);
  g_free (peer->url);
  g_free (peer);
}

void
test_connection_closed (void)
{
  BrokenPeer *peer = broken_peer_new (FALSE);
  g_autoptr(PbClient) client = pb_client_new (peer->url, "pb_some_key");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  project = get_project (client, &error);
  g_assert_null (project);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_test_message ("closed: %s", error->message);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, peer->url));

  broken_peer_free (peer);
}

void
test_timeout (void)
{
  BrokenPeer *peer = broken_peer_new (TRUE);
  g_autoptr(PbClient) client = pb_client_new (peer->url, "pb_some_key");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;
  gint64 started = g_get_monotonic_time ();

  pb_client_set_timeout (client, 1);
  g_assert_cmpuint (pb_client_get_timeout (client), ==, 1);
  project = get_project (client, &error);
  g_assert_null (project);
  g_test_message ("timeout: %s", error->message);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, peer->url));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (peer->held->len, >=, 1);

  broken_peer_free (peer);
}

void
test_invalid_url (void)
{
  g_autoptr(PbClient) client = pb_client_new ("ftp://example.com", "pb_some_key");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  project = get_project (client, &error);
  g_assert_null (project);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_INVALID_URL);
  g_assert_false (pb_api_error_is_unreachable (error));
}

/* https:// to a port that speaks plain HTTP: a TLS failure, reported, never a success. */
void
test_tls_failure (void)
{
  PbTestServer *server = get_demo_server ();
  const char *url = pb_test_server_get_url (server);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *https = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  g_assert_nonnull (uri);
  https = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uri));
  client = pb_client_new (https, pb_test_server_get_admin_key (server, 0));
  /* The plain-HTTP peer waits for a request line and never answers the TLS hello. */
  pb_client_set_timeout (client, 2);

  project = get_project (client, &error);
  g_assert_null (project);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_TLS);
  g_assert_false (pb_api_error_is_unreachable (error));
  g_assert_nonnull (strstr (error->message, https));
  g_test_message ("TLS: %s", error->message);
}

/* The real server serving HTTPS with a self-signed certificate (made with openssl for this
 * run): the client refuses it as a TLS failure, whatever the certificate says. */

static void
run_or_die (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                     | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

void
test_tls_self_signed (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(PbTestServer) server = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;
  const char *url;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to make a self-signed certificate");
      return;
    }

  dir = g_dir_make_tmp ("pb-test-tls-XXXXXX", &error);
  g_assert_no_error (error);
  cert_path = g_build_filename (dir, "cert.pem", NULL);
  key_path = g_build_filename (dir, "key.pem", NULL);
  db_path = g_build_filename (dir, "plugboard.db", NULL);

  {
    const char *make_cert[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                "-keyout", key_path, "-out", cert_path, "-days", "1",
                                "-subj", "/CN=127.0.0.1",
                                "-addext", "subjectAltName=IP:127.0.0.1", NULL };
    const char *init[] = { g_getenv ("PLUGBOARD_SERVER"), "init", "--db", db_path, NULL };
    const char *serve[] = { "serve", "--db", db_path, "--listen", "127.0.0.1:0",
                            "--tls-cert", cert_path, "--tls-key", key_path, NULL };

    g_assert_nonnull (init[0]);
    run_or_die (make_cert);
    run_or_die (init);
    server = pb_test_server_start (serve, &error);
    g_assert_no_error (error);
  }

  url = pb_test_server_get_url (server);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));

  client = pb_client_new (url, "pb_some_key");
  pb_client_set_timeout (client, 5);
  project = get_project (client, &error);
  g_assert_null (project);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_test_message ("self-signed: %s", error->message);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_TLS);
  g_assert_false (pb_api_error_is_unreachable (error));
  g_assert_nonnull (strstr (error->message, url));

  g_clear_pointer (&server, pb_test_server_stop);
  remove_dir (dir);
}

void
test_cancel (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbPage) page = NULL;
  g_autoptr(GPtrArray) all = NULL;

  /* Cancelled while in flight. */
  AWAIT (pb_client_list_integrations_async, client, NULL, 5, NULL, cancellable);
  g_assert_nonnull (result);
  g_clear_object (&result);
  {
    GAsyncResult *slot = NULL;

    pb_client_get_project_async (client, cancellable, pb_test_async_ready_cb, &slot);
    g_cancellable_cancel (cancellable);
    result = pb_test_await (&slot, CLIENT_TEST_TIMEOUT_MS);
  }
  g_assert_null (pb_client_get_project_finish (client, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Already cancelled. */
  AWAIT (pb_client_list_integrations_async, client, NULL, 5, NULL, cancellable);
  page = pb_client_list_integrations_finish (client, result, &error);
  g_assert_null (page);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  AWAIT (pb_client_list_all_integrations_async, client, NULL, cancellable);
  all = pb_client_list_all_integrations_finish (client, result, &error);
  g_assert_null (all);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The client still works afterwards. */
  {
    g_autoptr(PbProject) project = get_project (client, &error);

    g_assert_no_error (error);
    g_assert_nonnull (project);
  }
}

/* The debug log shows method, path, status and time; never the key, the Authorization
 * header or a body (here: a secret credential value). */
void
test_debug_log_hides_secrets (void)
{
  PbTestServer *server = get_demo_server ();
  const char *key = pb_test_server_get_admin_key (server, 0);
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbClient) viewer = viewer_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autoptr(JsonObject) body = create_body (connector, type, NULL, NULL);
  g_autoptr(PbIntegration) created = NULL;
  g_autoptr(PbProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *userpass = g_strconcat (key, ":", NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) userpass, strlen (userpass));
  g_autofree char *log = NULL;
  g_autofree char *key_part = g_strndup (key + strlen (key) / 2, strlen (key) - strlen (key) / 2);

  json_object_set_object_member (body, "secrets", json_object_new ());
  {
    /* Make sure some secret value travels in the body. */
    GListModel *fields = pb_auth_type_get_fields (type);

    for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
      {
        g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);

        if (pb_auth_field_get_secret (field) && pb_auth_field_get_required (field))
          json_object_set_string_member (json_object_get_object_member (body, "secrets"),
                                         pb_auth_field_get_key (field),
                                         "s3cret-Value-Never-Logged-wxyz");
      }
  }

  captured_log = g_string_new (NULL);
  project = get_project (client, &error);
  g_assert_no_error (error);
  created = create_integration (client, body, &error);
  g_assert_no_error (error);
  g_assert_null (create_integration (viewer, body, &error));
  g_clear_error (&error);
  delete_or_die (client, pb_integration_get_id (created));
  log = g_string_free (g_steal_pointer (&captured_log), FALSE);

  /* It logged something useful… */
  g_assert_nonnull (strstr (log, "GET /project: 200 in "));
  g_assert_nonnull (strstr (log, "POST /integrations: 201 in "));
  g_assert_nonnull (strstr (log, "POST /integrations: 403 in "));
  g_assert_nonnull (strstr (log, "DELETE /integrations/"));
  g_assert_nonnull (strstr (log, " ms"));
  /* …and nothing secret. */
  g_assert_null (strstr (log, key));
  g_assert_null (strstr (log, key_part));
  g_assert_null (strstr (log, encoded));
  g_assert_null (strstr (log, "Authorization"));
  g_assert_null (strstr (log, "s3cret-Value-Never-Logged"));
  g_assert_null (strstr (log, "connector_key"));
}
