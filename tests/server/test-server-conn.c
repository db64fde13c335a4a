/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include <stdlib.h>
#include <sys/socket.h>

#include <gio/gunixsocketaddress.h>

#include "server-demo.h"

/* Connections: keep-alive works, and connections the client closes are closed by the server too
 * (else each would keep a descriptor in CLOSE-WAIT until the server could not accept any more).
 * Raw HTTP/1.1 over real sockets, and the server's open descriptors read from /proc. */

/* ---- helpers ---------------------------------------------------------------------------- */

static int
count_fds (GSubprocess *process)
{
  g_autofree char *path = g_build_filename ("/proc", g_subprocess_get_identifier (process), "fd", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  int n = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Waits up to 5 s for the server's open descriptors to come back to at most @limit; returns the
 * last count. */
static int
wait_fds_at_most (GSubprocess *process,
                  int          limit)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  int n;

  while ((n = count_fds (process)) > limit && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  return n;
}

static GSocketConnection *
connect_to (GSocketAddress *address)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static GSocketAddress *
demo_address (void)
{
  g_autoptr(GUri) uri = g_uri_parse (URL, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return g_inet_socket_address_new_from_string (g_uri_get_host (uri), g_uri_get_port (uri));
}

static char *
request_text (const char *path,
              const char *key)
{
  return g_strdup_printf ("GET %s HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer %s\r\n\r\n",
                          path, key);
}

static void
send_text (GSocketConnection *connection,
           const char        *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), text,
                             strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Reads one whole response (Content-Length framed) from @buffer + the connection; leaves what
 * follows it in @buffer. Returns the status; *out_headers gets the head when not NULL. */
static guint
read_response (GSocketConnection  *connection,
               GString            *buffer,
               char              **out_headers)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  gsize header_end = 0, length = 0;
  guint status = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char chunk[16384];
      gssize n;
      char *end;

      if (header_end == 0 && (end = strstr (buffer->str, "\r\n\r\n")) != NULL)
        {
          g_autofree char *head = g_ascii_strdown (buffer->str, end - buffer->str);
          const char *cl = strstr (head, "\r\ncontent-length:");

          header_end = end - buffer->str + 4;
          g_assert_true (g_str_has_prefix (buffer->str, "HTTP/1.1 "));
          status = atoi (buffer->str + 9);
          g_assert_nonnull (cl);
          length = strtoul (cl + strlen ("\r\ncontent-length:"), NULL, 10);
          if (out_headers != NULL)
            *out_headers = g_strndup (buffer->str, header_end);
        }
      if (header_end != 0 && buffer->len >= header_end + length)
        {
          g_string_erase (buffer, 0, header_end + length);
          return status;
        }
      n = g_input_stream_read (in, chunk, sizeof chunk, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (buffer, chunk, n);
    }
}

static guint
exchange (GSocketConnection *connection,
          const char        *path,
          const char        *key)
{
  g_autofree char *text = request_text (path, key);
  g_autoptr(GString) buffer = g_string_new (NULL);
  guint status;

  send_text (connection, text);
  status = read_response (connection, buffer, NULL);
  g_assert_cmpuint (buffer->len, ==, 0);
  return status;
}

/* Opens @n connections to @address, makes one or two requests on each (kept alive in between),
 * and closes them from the client side. */
static void
open_and_close (GSocketAddress *address,
                const char     *key,
                guint           n)
{
  guint i;

  for (i = 0; i < n; i++)
    {
      g_autoptr(GSocketConnection) connection = connect_to (address);
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (exchange (connection, "/integrations?page_size=2", key), ==, 200);
      if (i % 2 == 0)
        g_assert_cmpuint (exchange (connection, "/project", key), ==, 200);
      g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
      g_assert_no_error (error);
    }
}

/* `serve --db @db <@listen…>` on a new database with one project; *out_key gets an admin key. */
static TestServer *
start_serve (const char         *db,
             const char * const *listen,
             char              **out_key)
{
  g_autofree char *project = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  guint i;

  g_assert_cmpint (test_run_command ((const char *[]) { "init", "--db", db, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-project", "--db", db, "--name", "Conn",
                                                        "--plan", "starter", NULL }, &project, NULL), ==, 0);
  g_strstrip (project);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-key", "--db", db, "--project", project,
                                                        "--role", "admin", NULL }, out_key, NULL), ==, 0);
  g_strstrip (*out_key);
  g_ptr_array_add (argv, (gpointer) "serve");
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db);
  for (i = 0; listen[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) listen[i]);
  g_ptr_array_add (argv, NULL);
  return test_server_start ((const char * const *) argv->pdata, NULL);
}

/* ---- tests ------------------------------------------------------------------------------ */

/* The leak itself: 50 connections closed by the client while idle. */
static void
test_idle_closed_by_client (void)
{
  g_autoptr(GSocketAddress) address = demo_address ();
  int before = count_fds (demo->process);
  int after;

  open_and_close (address, admin, 50);
  after = wait_fds_at_most (demo->process, before + 2);
  g_test_message ("server descriptors: %d before, %d after 50 connections", before, after);
  g_assert_cmpint (after, <=, before + 2);
}

/* Two requests on one connection get two answers over it, also after the connection sat idle
 * (the server must not close live idle connections), and pipelined requests are all answered. */
static void
test_keep_alive (void)
{
  g_autoptr(GSocketAddress) address = demo_address ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autofree char *first = request_text ("/project", admin);
  g_autofree char *second = request_text ("/integrations?page_size=1", admin);
  g_autofree char *both = g_strconcat (first, second, NULL);
  g_autofree char *headers = NULL;
  g_autofree char *lower = NULL;

  connection = connect_to (address);
  send_text (connection, first);
  g_assert_cmpuint (read_response (connection, buffer, &headers), ==, 200);
  lower = g_ascii_strdown (headers, -1);
  g_assert_null (strstr (lower, "connection: close"));
  /* Idle long enough for the server's own checks to have run several times. */
  g_usleep (300000);
  send_text (connection, second);
  g_assert_cmpuint (read_response (connection, buffer, NULL), ==, 200);
  g_usleep (100000);
  send_text (connection, both);
  g_assert_cmpuint (read_response (connection, buffer, NULL), ==, 200);
  g_assert_cmpuint (read_response (connection, buffer, NULL), ==, 200);
  g_assert_cmpuint (buffer->len, ==, 0);
}

/* A client that sends its request and shuts its sending side still gets the answer, and then
 * the server closes the connection (the client reads EOF) instead of keeping it forever. */
static void
test_half_close (void)
{
  g_autoptr(GSocketAddress) address = demo_address ();
  g_autoptr(GSocketConnection) connection = connect_to (address);
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autofree char *text = request_text ("/project", admin);
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_connection_get_socket (connection);
  char byte;

  send_text (connection, text);
  g_socket_shutdown (socket, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read_response (connection, buffer, NULL), ==, 200);
  g_socket_set_timeout (socket, 5);
  g_assert_cmpint (g_socket_receive (socket, &byte, 1, NULL, &error), ==, 0);
  g_assert_no_error (error);
}

/* The same over a Unix socket (`serve --socket`). */
static void
test_unix_socket (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-conn-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "c.db", NULL);
  g_autofree char *sock = g_build_filename (dir, "api.sock", NULL);
  g_autofree char *key = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  TestServer *server;
  int before, after;

  g_assert_no_error (error);
  server = start_serve (db, (const char *[]) { "--socket", sock, NULL }, &key);
  address = g_unix_socket_address_new (sock);
  before = count_fds (server->process);
  open_and_close (address, key, 30);
  after = wait_fds_at_most (server->process, before + 2);
  g_test_message ("server descriptors: %d before, %d after 30 connections", before, after);
  g_assert_cmpint (after, <=, before + 2);
  test_server_stop (server);
  test_server_free (server);
  test_remove_db (db);
  g_rmdir (dir);
}

/* Over HTTPS connections are kept alive too, and those closed by the client do not stay open. */
static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-conn-tls-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "t.db", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *api_key = NULL;
  g_autoptr(GTlsDatabase) trust = NULL;
  SoupSession *s;
  TestServer *server;
  int before, after;
  guint i;

  g_assert_no_error (error);
  if (!test_make_certificate (cert, key))
    {
      g_test_skip ("openssl is needed to make a test certificate");
      g_rmdir (dir);
      return;
    }
  server = start_serve (db, (const char *[]) { "--listen", "127.0.0.1:0", "--tls-cert", cert,
                                               "--tls-key", key, NULL }, &api_key);
  g_assert_true (g_str_has_prefix (server->url, "https://127.0.0.1:"));
  trust = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  before = count_fds (server->process);
  for (i = 0; i < 10; i++)
    {
      s = soup_session_new_with_options ("tls-database", trust, NULL);
      {
        g_autoptr(Reply) first = test_call (s, server->url, "GET", "/project", api_key, NULL);
        g_autoptr(Reply) second = test_call (s, server->url, "GET", "/integrations?page_size=1", api_key, NULL);

        g_assert_cmpuint (first->status, ==, 200);
        g_assert_cmpuint (second->status, ==, 200);
        g_assert_false (soup_message_headers_header_contains (first->headers, "Connection", "close"));
      }
      g_object_unref (s);
    }
  after = wait_fds_at_most (server->process, before + 2);
  g_test_message ("server descriptors: %d before, %d after 10 TLS sessions", before, after);
  g_assert_cmpint (after, <=, before + 2);
  test_server_stop (server);
  test_server_free (server);
  test_remove_db (db);
  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  server_demo_setup ();

  g_test_add_func ("/server/conn/idle-closed-by-client", test_idle_closed_by_client);
  g_test_add_func ("/server/conn/keep-alive", test_keep_alive);
  g_test_add_func ("/server/conn/half-close", test_half_close);
  g_test_add_func ("/server/conn/unix-socket", test_unix_socket);
  g_test_add_func ("/server/conn/tls", test_tls);

  return server_demo_run ();
}
