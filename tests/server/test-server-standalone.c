/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-demo.h"

/* Servers of their own: rate limit, demo output, secrets at rest, commands, Unix socket, TLS. */

/* ---- separate servers ------------------------------------------------------------------- */

static void
test_rate_limit (void)
{
  const char *argv[] = { "demo", "--listen", "127.0.0.1:0", "--rate-limit", "5", NULL };
  TestServer *server = test_server_start (argv, NULL);
  const char *key = test_server_project_key (server, 0, "admin");
  const char *other = test_server_project_key (server, 0, "viewer");
  g_autoptr(Reply) limited = NULL;
  g_autoptr(Reply) other_reply = NULL;
  guint64 retry;
  guint i;

  for (i = 0; i < 5; i++)
    {
      g_autoptr(Reply) reply = test_call (session, server->url, "GET", "/project", key, NULL);
      g_assert_cmpuint (reply->status, ==, 200);
    }
  limited = test_call (session, server->url, "GET", "/project", key, NULL);
  test_assert_error (limited, 429, "rate_limited");
  g_assert_nonnull (soup_message_headers_get_one (limited->headers, "Retry-After"));
  g_assert_true (g_ascii_string_to_unsigned (soup_message_headers_get_one (limited->headers, "Retry-After"),
                                             10, 1, 60, &retry, NULL));
  /* The limit is per key. */
  other_reply = test_call (session, server->url, "GET", "/project", other, NULL);
  g_assert_cmpuint (other_reply->status, ==, 200);
  test_server_stop (server);
  test_server_free (server);
}

static void
test_demo_stdout (void)
{
  const char *argv[] = { "demo", "--listen", "127.0.0.1:0", "--public-url", "https://plugboard.example/api", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("pb-test-demo-XXXXXX", &error);
  gint64 start = g_get_monotonic_time ();
  TestServer *server = test_server_start (argv, (const char *[]) { "G_MESSAGES_DEBUG", "all",
                                                                   "TMPDIR", tmp, NULL });
  gint64 elapsed = g_get_monotonic_time () - start;
  g_autoptr(GDir) dir = NULL;
  guint entries = 0;
  g_autoptr(JsonObject) hubspot = NULL;
  g_autofree char *out = NULL;
  JsonArray *projects = json_object_get_array_member (server->first_line, "projects");
  g_autoptr(Reply) connector = NULL;
  guint i;

  g_test_message ("demo started in %.0f ms", elapsed / 1000.0);
  g_assert_cmpstr (server->url, ==, "https://plugboard.example/api");
  g_assert_cmpuint (json_array_get_length (projects), ==, 2);
  for (i = 0; i < 2; i++)
    {
      JsonObject *p = json_array_get_object_element (projects, i);
      g_assert_nonnull (json_object_get_string_member (p, "id"));
      g_assert_nonnull (json_object_get_string_member (p, "admin_key"));
      g_assert_nonnull (json_object_get_string_member (p, "viewer_key"));
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (projects, 0), "plan"), ==, "growth");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (projects, 1), "plan"), ==, "starter");
  /* The demo database lives in a temporary directory while it runs (a PostgreSQL one in its
   * database)… */
  dir = g_dir_open (tmp, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    entries++;
  g_assert_cmpuint (entries, ==, test_engine_is_postgresql () ? 0 : 1);
  g_clear_pointer (&dir, g_dir_close);
  test_server_stop (server);
  /* …which is gone after a clean shutdown. */
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
  out = test_server_read_out (server);
  /* One line, nothing else on stdout even with debug logs on. */
  g_assert_nonnull (strchr (out, '\n'));
  g_assert_cmpstr (strchr (out, '\n') + 1, ==, "");
  {
    g_autofree char *err = test_server_read_err (server);
    g_assert_nonnull (strstr (err, "Serving"));
    g_assert_null (strstr (err, test_server_project_key (server, 0, "admin")));
  }
  (void) connector;
  (void) hubspot;
  test_server_free (server);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  gsize n, i;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  n = strlen (needle);
  /* Binary-safe search: the database holds NULs. */
  for (i = 0; i + n <= len; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static char *
hex_of (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    g_string_append_printf (out, "%02x", (guchar) *p);
  return g_string_free (out, FALSE);
}

static void
test_secrets_at_rest (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-secrets-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "plugboard.db", NULL);
  g_autofree char *key_file = g_strconcat (db, ".key", NULL);
  g_autofree char *project_id = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *err = NULL;
  g_autofree char *dump = NULL;
  const char *secrets[] = { "ZQX-distinctive-secret-7781-plugboard", "second-distinctive-0042-VALUE",
                            "third-distinctive-credential-55", NULL };
  const char *suffixes[] = { "", "-wal", "-shm", ".key", NULL };
  TestServer *server;
  g_autoptr(SoupSession) s = soup_session_new ();
  g_autofree char *body = NULL;
  g_autoptr(Reply) created = NULL, changed = NULL, cs = NULL, account = NULL;
  GStatBuf st;
  guint i, j;

  g_assert_no_error (error);
  g_assert_cmpint (test_run_command ((const char *[]) { "init", "--db", db, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (g_stat (key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 32);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-project", "--db", db, "--name", "Secret Test",
                                                        "--plan", "growth", NULL }, &project_id, NULL), ==, 0);
  g_strstrip (project_id);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-key", "--db", db, "--project", project_id,
                                                        "--role", "admin", NULL }, &api_key, NULL), ==, 0);
  g_strstrip (api_key);
  g_assert_true (g_str_has_prefix (api_key, "pbk_"));

  server = test_server_start ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0", NULL },
                              (const char *[]) { "G_MESSAGES_DEBUG", "all", NULL });
  /* The integration's own OAuth app secret; the end user's secrets go with the account. */
  body = g_strdup_printf ("{\"connector_key\":\"hubspot\",\"authentication_config_key\":\"oauth2\","
                          "\"config\":{\"client_id\":\"acme\"},\"secrets\":{\"client_secret\":\"%s\"}}",
                          secrets[0]);
  created = test_call (s, server->url, "POST", "/integrations", api_key, body);
  g_assert_cmpuint (created->status, ==, 201);
  {
    g_autofree char *path = g_strconcat ("/integrations/",
                                         json_object_get_string_member (obj (created), "id"), NULL);
    g_autofree char *patch_body = g_strdup_printf ("{\"secrets\":{\"client_secret\":\"%s\"}}",
                                                   secrets[1]);
    changed = test_call (s, server->url, "PATCH", path, api_key, patch_body);
    g_assert_cmpuint (changed->status, ==, 200);
    g_assert_null (strstr (json_to_string (changed->body, FALSE), secrets[1]));
  }
  /* The end user's own key, entered when linking an Ashby account. */
  {
    g_autoptr(Reply) ashby = test_call (s, server->url, "POST", "/integrations", api_key,
                                        "{\"connector_key\":\"ashby\","
                                        "\"authentication_config_key\":\"api_key\"}");
    g_assert_cmpuint (ashby->status, ==, 201);
  }
  cs = test_call (s, server->url, "POST", "/connect_sessions", api_key,
                  "{\"origin_owner_id\":\"o1\",\"origin_owner_name\":\"Owner\",\"provider\":\"ashby\"}");
  g_assert_cmpuint (cs->status, ==, 201);
  {
    g_autofree char *auth = g_strdup_printf ("{\"token\":\"%s\",\"credentials\":{\"api_key\":\"%s\"}}",
                                             json_object_get_string_member (obj (cs), "token"), secrets[2]);
    account = test_call (s, server->url, "POST", "/connect_sessions/authenticate", api_key, auth);
    g_assert_cmpuint (account->status, ==, 201);
  }
  test_server_stop (server);

  /* Nothing in clear: not in the database, its journal, the key file, nor the output. On
   * PostgreSQL, in what the database holds (its binary values in hex). */
  dump = test_engine_dump (db);
  for (i = 0; suffixes[i]; i++)
    {
      g_autofree char *path = dump != NULL && i == 0 ? g_strdup (dump)
                                                     : g_strconcat (db, suffixes[i], NULL);
      for (j = 0; secrets[j]; j++)
        {
          g_autofree char *hex = hex_of (secrets[j]);

          g_assert_false (file_contains (path, secrets[j]));
          g_assert_false (file_contains (path, hex));
        }
      g_assert_false (file_contains (path, api_key));
      g_assert_false (file_contains (path, api_key + 17));   /* the key's secret part */
    }
  /* the check can find what is there */
  g_assert_true (file_contains (dump != NULL ? dump : db, "hubspot"));
  if (dump != NULL)
    g_unlink (dump);
  err = test_server_read_err (server);
  g_assert_nonnull (strstr (err, "PATCH /integrations/"));   /* debug logs were on */
  for (j = 0; secrets[j]; j++)
    {
      g_autofree char *out = test_server_read_out (server);
      g_assert_null (strstr (out, secrets[j]));
      g_assert_null (strstr (err, secrets[j]));
    }
  g_assert_null (strstr (err, api_key));
  test_server_free (server);
  for (i = 0; suffixes[i]; i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_commands (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-commands-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "c.db", NULL);
  g_autofree char *key = g_strconcat (db, ".key", NULL);
  g_autofree char *catalog = g_build_filename (dir, "broken.json", NULL);
  const char *commands[] = { "serve", "demo", "init", "create-project", "create-key", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint i;

  g_assert_cmpint (test_run_command ((const char *[]) { "--help", NULL }, &out, NULL), ==, 0);
  for (i = 0; commands[i]; i++)
    {
      g_autofree char *help = NULL;
      g_assert_nonnull (strstr (out, commands[i]));
      g_assert_cmpint (test_run_command ((const char *[]) { commands[i], "--help", NULL }, &help, NULL), ==, 0);
      g_assert_nonnull (strstr (help, "--"));
    }
  g_assert_cmpint (test_run_command ((const char *[]) { "frobnicate", NULL }, NULL, NULL), ==, 2);
  g_assert_cmpint (test_run_command ((const char *[]) { "serve", NULL }, NULL, NULL), ==, 2);
  /* An SQLite file that is not there (a PostgreSQL database is made by its administrator). */
  if (!test_engine_is_postgresql ())
    g_assert_cmpint (test_run_command ((const char *[]) { "create-project", "--db", db, "--name", "X",
                                                          "--plan", "starter", NULL }, NULL, NULL), ==, 1);
  g_assert_cmpint (test_run_command ((const char *[]) { "init", "--db", db, NULL }, NULL, NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-project", "--db", db, "--name", "X",
                                                        "--plan", "platinum", NULL }, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "platinum"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-key", "--db", db, "--project", "prj_nope",
                                                        "--role", "admin", NULL }, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "prj_nope"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-project", "--db", db, "--name", "X",
                                                        "--plan", "enterprise", NULL }, &out, NULL), ==, 0);
  g_strstrip (out);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-key", "--db", db, "--project", out,
                                                        "--role", "owner", NULL }, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "owner"));

  /* A broken catalog stops the server with a message naming the entry. */
  g_file_set_contents (catalog, "{\"version\":1,\"connectors\":[{\"provider\":\"fine\",\"provider_name\":\"F\","
                       "\"category\":\"hris\",\"categories\":[\"hris\"],\"description\":\"d\",\"docs_url\":\"u\","
                       "\"logo_url\":null,\"auth_types\":[{\"key\":\"k\",\"label\":\"K\",\"type\":\"warp\","
                       "\"fields\":[]}]}]}", -1, NULL);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (test_run_command ((const char *[]) { "demo", "--listen", "127.0.0.1:0", "--catalog", catalog,
                                                        NULL }, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "fine"));
  g_assert_nonnull (strstr (err, "warp"));

  test_remove_db (db);
  g_unlink (catalog);
  g_rmdir (dir);
  (void) key;
}

static void
test_unix_socket (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-socket-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *sock = g_build_filename (dir, "api.sock", NULL);
  g_autofree char *project = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SoupSession) s = NULL;
  g_autoptr(Reply) reply = NULL;
  TestServer *server;

  g_assert_cmpint (test_run_command ((const char *[]) { "init", "--db", db, NULL }, NULL, NULL), ==, 0);
  test_run_command ((const char *[]) { "create-project", "--db", db, "--name", "Socket", "--plan", "starter",
                                       NULL }, &project, NULL);
  g_strstrip (project);
  test_run_command ((const char *[]) { "create-key", "--db", db, "--project", project, "--role", "viewer",
                                       NULL }, &key, NULL);
  g_strstrip (key);
  server = test_server_start ((const char *[]) { "serve", "--db", db, "--socket", sock, NULL }, NULL);
  g_assert_cmpstr (json_object_get_string_member (server->first_line, "socket"), ==, sock);
  address = g_unix_socket_address_new (sock);
  s = soup_session_new_with_options ("remote-connectable", address, NULL);
  reply = test_call (s, "http://localhost", "GET", "/project", key, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (reply), "name"), ==, "Socket");
  g_assert_cmpstr (json_object_get_string_member (obj (reply), "role"), ==, "viewer");
  test_server_stop (server);
  g_assert_false (g_file_test (sock, G_FILE_TEST_EXISTS));
  test_server_free (server);
  test_remove_db (db);
  g_rmdir (dir);
}

static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-tls-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "t.db", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *project = NULL;
  g_autofree char *api_key = NULL;
  g_autoptr(GTlsDatabase) trust = NULL;
  g_autoptr(SoupSession) s = NULL;
  g_autoptr(SoupSession) untrusting = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(Reply) reply = NULL;
  TestServer *server;

  if (!test_make_certificate (cert, key))
    {
      g_test_skip ("openssl is needed to make a test certificate");
      return;
    }
  g_assert_cmpint (test_run_command ((const char *[]) { "init", "--db", db, NULL }, NULL, NULL), ==, 0);
  test_run_command ((const char *[]) { "create-project", "--db", db, "--name", "TLS", "--plan", "starter",
                                       NULL }, &project, NULL);
  g_strstrip (project);
  test_run_command ((const char *[]) { "create-key", "--db", db, "--project", project, "--role", "admin",
                                       NULL }, &api_key, NULL);
  g_strstrip (api_key);
  server = test_server_start ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0",
                                                 "--tls-cert", cert, "--tls-key", key, NULL }, NULL);
  g_assert_true (g_str_has_prefix (server->url, "https://127.0.0.1:"));
  trust = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  s = soup_session_new_with_options ("tls-database", trust, NULL);
  reply = test_call (s, server->url, "GET", "/project", api_key, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (reply), "name"), ==, "TLS");
  /* A client that does not trust the certificate gets a TLS error, not an answer. */
  msg = test_message_new (server->url, "GET", "/project", api_key, NULL, NULL, 0);
  bytes = soup_session_send_and_read (untrusting, msg, NULL, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
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

  g_test_add_func ("/server/rate-limit", test_rate_limit);
  g_test_add_func ("/server/demo/stdout", test_demo_stdout);
  g_test_add_func ("/server/secrets-at-rest", test_secrets_at_rest);
  g_test_add_func ("/server/commands", test_commands);
  g_test_add_func ("/server/unix-socket", test_unix_socket);
  g_test_add_func ("/server/tls", test_tls);

  return server_demo_run ();
}
