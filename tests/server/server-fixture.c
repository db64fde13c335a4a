/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-fixture.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

static const char *
server_binary (void)
{
  const char *path = g_getenv ("PLUGBOARD_SERVER");

  g_assert_nonnull (path);
  return path;
}

/* In the child: a test that dies (an assertion aborts it) takes its server with it, cleanly;
 * and the descriptor limit asked for, if any. */
static void
child_setup (gpointer user_data)
{
  rlim_t nofile = GPOINTER_TO_SIZE (user_data);

  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (nofile > 0)
    {
      struct rlimit limit = { nofile, nofile };
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

TestServer *
test_server_start (const char * const *argv,
                   const char * const *extra_env)
{
  return test_server_start_limited (argv, extra_env, 0);
}

TestServer *
test_server_start_limited (const char * const *argv,
                           const char * const *extra_env,
                           guint               nofile)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GPtrArray) engine_argv = test_engine_argv (argv);
  g_autoptr(GError) error = NULL;
  TestServer *server = g_new0 (TestServer, 1);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint i;

  server->dir = g_dir_make_tmp ("pb-test-server-XXXXXX", &error);
  g_assert_no_error (error);
  server->out_path = g_build_filename (server->dir, "stdout", NULL);
  server->err_path = g_build_filename (server->dir, "stderr", NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, server->out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, server->err_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, GSIZE_TO_POINTER (nofile), NULL);
  for (i = 0; extra_env && extra_env[i]; i += 2)
    g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);

  g_ptr_array_add (args, (gpointer) server_binary ());
  for (i = 0; engine_argv->pdata[i]; i++)
    g_ptr_array_add (args, engine_argv->pdata[i]);
  g_ptr_array_add (args, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *text = NULL;
      char *newline;

      if (g_file_get_contents (server->out_path, &text, NULL, NULL)
          && (newline = strchr (text, '\n')) != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          *newline = '\0';
          json_parser_load_from_data (parser, text, -1, &error);
          g_assert_no_error (error);
          g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
          server->first_line = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
          server->url = g_strdup (json_object_get_string_member (server->first_line, "url"));
          return server;
        }
      if (g_subprocess_get_identifier (server->process) == NULL)
        break;
      g_usleep (10000);
    }
  {
    g_autofree char *err = test_server_read_err (server);
    g_error ("The server did not start: %s", err);
  }
  return NULL;
}

char *
test_server_read_out (TestServer *server)
{
  char *text = NULL;

  g_file_get_contents (server->out_path, &text, NULL, NULL);
  return text ? text : g_strdup ("");
}

char *
test_server_read_err (TestServer *server)
{
  char *text = NULL;

  g_file_get_contents (server->err_path, &text, NULL, NULL);
  return text ? text : g_strdup ("");
}

void
test_server_stop (TestServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (server->process))
    {
      g_autofree char *err = test_server_read_err (server);
      g_error ("The server did not exit cleanly (signal %d): %s",
               g_subprocess_get_if_signaled (server->process)
               ? g_subprocess_get_term_sig (server->process) : 0, err);
    }
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
}

void
test_server_free (TestServer *server)
{
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  g_unlink (server->out_path);
  g_unlink (server->err_path);
  g_rmdir (server->dir);
  g_free (server->out_path);
  g_free (server->err_path);
  g_free (server->dir);
  g_free (server->url);
  g_clear_pointer (&server->first_line, json_object_unref);
  g_free (server);
}

const char *
test_server_project_key (TestServer *server,
                         guint       index,
                         const char *role)
{
  JsonArray *projects = json_object_get_array_member (server->first_line, "projects");
  JsonObject *project = json_array_get_object_element (projects, index);
  g_autofree char *member = g_strconcat (role, "_key", NULL);

  return json_object_get_string_member (project, member);
}

gboolean
test_make_certificate (const char *cert_path,
                       const char *key_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  int status = -1;

  if (openssl == NULL)
    return FALSE;
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key_path,
                           "-out", cert_path, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                           "subjectAltName=IP:127.0.0.1", NULL };
    g_spawn_sync (NULL, (char **) argv, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return TRUE;
}

void
test_remove_db (const char *db)
{
  const char *suffixes[] = { "", "-wal", "-shm", ".key" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

      g_unlink (path);
    }
}

int
test_run_command (const char * const *argv,
                  char              **out_stdout,
                  char              **out_stderr)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GPtrArray) engine_argv = test_engine_argv (argv);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL, *err = NULL;
  guint i;

  g_ptr_array_add (args, (gpointer) server_binary ());
  for (i = 0; engine_argv->pdata[i]; i++)
    g_ptr_array_add (args, engine_argv->pdata[i]);
  g_ptr_array_add (args, NULL);
  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (out_stdout)
    *out_stdout = out;
  else
    g_free (out);
  if (out_stderr)
    *out_stderr = err;
  else
    g_free (err);
  return g_subprocess_get_exit_status (process);
}

void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, json_node_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply->text);
  g_free (reply);
}

SoupMessage *
test_message_new (const char *base,
                  const char *method,
                  const char *path,
                  const char *key,
                  const char *content_type,
                  const char *body,
                  gssize      length)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (key != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", key);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  return msg;
}

Reply *
test_reply_from (SoupMessage *msg,
                 GBytes      *bytes)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->text = bytes != NULL && g_bytes_get_size (bytes) > 0
                ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
                : g_strdup ("");
  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL))
        reply->body = json_node_ref (json_parser_get_root (parser));
    }
  return reply;
}

Reply *
test_call_full (SoupSession *session,
                const char  *base,
                const char  *method,
                const char  *path,
                const char  *key,
                const char  *content_type,
                const char  *body,
                gssize       length,
                const char  *header,
                const char  *header_value)
{
  g_autoptr(SoupMessage) msg = test_message_new (base, method, path, key, content_type, body, length);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (header != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), header, header_value);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return test_reply_from (msg, bytes);
}

Reply *
test_call (SoupSession *session,
           const char  *base,
           const char  *method,
           const char  *path,
           const char  *key,
           const char  *body)
{
  return test_call_full (session, base, method, path, key, "application/json", body, -1, NULL, NULL);
}

void
test_assert_error (Reply      *reply,
                   guint       status,
                   const char *code)
{
  g_autoptr(GDateTime) when = NULL;
  JsonObject *object;

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_nonnull (reply->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->body));
  object = json_node_get_object (reply->body);
  g_assert_cmpint (json_object_get_int_member (object, "statusCode"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, code);
  g_assert_true (strlen (json_object_get_string_member (object, "message")) > 10);
  when = g_date_time_new_from_iso8601 (json_object_get_string_member (object, "timestamp"), NULL);
  g_assert_nonnull (when);
}
