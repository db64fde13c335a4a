/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-offline-util"

#include "config.h"

#include "offline-test-util.h"

#include <signal.h>
#include <string.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include "pb-store-private.h"
#include "pb-test-server.h"

/* ---- server --------------------------------------------------------------------------- */

struct _OtServer
{
  char *db_path;
  char *url;
  char *key;
  char *project_id;
  guint16 port;
  GSubprocess *process;
};

static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

OtServer *
ot_server_new_demo (const char  *db_path,
                    GError     **error)
{
  g_autoptr(OtServer) self = g_new0 (OtServer, 1);
  const char *args[] = { "--db", db_path, NULL };
  PbTestServer *demo;
  JsonObject *project;
  g_autoptr(GUri) uri = NULL;

  demo = pb_test_server_start_demo (args, error);
  if (demo == NULL)
    return NULL;
  project = pb_test_server_get_project (demo, 0);
  self->db_path = g_strdup (db_path);
  self->url = g_strdup (pb_test_server_get_url (demo));
  self->key = g_strdup (pb_test_server_get_admin_key (demo, 0));
  self->project_id = g_strdup (json_object_get_string_member (project, "id"));
  uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, error);
  pb_test_server_stop (demo);
  if (uri == NULL)
    return NULL;
  self->port = g_uri_get_port (uri);

  if (!ot_server_start (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
ot_server_start (OtServer  *self,
                 GError   **error)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", self->port);
  const char *program = g_getenv ("PLUGBOARD_SERVER");

  g_return_val_if_fail (self->process == NULL, FALSE);

  /* The port was just freed by the previous process: retry a few times. */
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GDataInputStream) data = NULL;
      g_autofree char *line = NULL;
      g_autoptr(GError) local_error = NULL;

      g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
      process = g_subprocess_launcher_spawn (launcher, error, program, "serve", "--db",
                                             self->db_path, "--listen", listen, NULL);
      if (process == NULL)
        return FALSE;
      data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
      /* The first line comes at once or the process exits (a blocking read is fine). */
      line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, &local_error);
      if (line != NULL && strstr (line, "\"url\"") != NULL)
        {
          self->process = g_steal_pointer (&process);
          return TRUE;
        }
      g_subprocess_wait (process, NULL, NULL);
      g_usleep (100 * 1000);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "plugboard-server serve did not start on %s", listen);
  return FALSE;
}

void
ot_server_stop (OtServer *self,
                int       signum)
{
  if (self->process == NULL)
    return;
  g_subprocess_send_signal (self->process, signum);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
}

gboolean
ot_server_is_running (OtServer *self)
{
  return self->process != NULL;
}

void
ot_server_free (OtServer *self)
{
  if (self == NULL)
    return;
  ot_server_stop (self, SIGTERM);
  g_free (self->db_path);
  g_free (self->url);
  g_free (self->key);
  g_free (self->project_id);
  g_free (self);
}

const char *
ot_server_get_url (OtServer *self)
{
  return self->url;
}

const char *
ot_server_get_key (OtServer *self)
{
  return self->key;
}

const char *
ot_server_get_project_id (OtServer *self)
{
  return self->project_id;
}

/* ---- client helpers ------------------------------------------------------------------- */

GPtrArray *
ot_list_integrations (PbClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *integrations;

  pb_client_list_all_integrations_async (client, NULL, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  g_assert_nonnull (result);
  integrations = pb_client_list_all_integrations_finish (client, result, &error);
  g_assert_no_error (error);
  return integrations;
}

PbIntegration *
ot_get_integration (PbClient    *client,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pb_client_get_integration_async (client, id, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  g_assert_nonnull (result);
  return pb_client_get_integration_finish (client, result, error);
}

PbIntegration *
ot_update_name (PbClient    *client,
                const char  *id,
                const char  *name,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();

  json_object_set_string_member (patch, "name", name);
  pb_client_update_integration_async (client, id, patch, -1, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  g_assert_nonnull (result);
  return pb_client_update_integration_finish (client, result, error);
}

/* ---- keyring -------------------------------------------------------------------------- */

/* The store's own lookup, so a test's PbSync reads the keyring exactly as the store's does. */
void
ot_use_keyring_for_sync (PbSync     *sync,
                         PbSecrets  *secrets,
                         const char *backend,
                         const char *project_id)
{
  pb_store_use_keyring_for_sync (sync, secrets, backend, project_id);
}

void
ot_store_secret (PbSecrets  *secrets,
                 const char *backend,
                 const char *project_id,
                 const char *integration_id,
                 const char *field,
                 const char *value)
{
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (fields, (gpointer) field, (gpointer) value);
  pb_secrets_store_async (secrets, backend, project_id, integration_id, fields, NULL,
                          pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  g_assert_nonnull (result);
  g_assert_true (pb_secrets_store_finish (secrets, result, &error));
  g_assert_no_error (error);
}
