/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-demo-backend"

#include "config.h"

#include "pb-demo-backend-private.h"

#include <errno.h>
#include <signal.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#define STOP_TIMEOUT_MS 5000
#define MAX_URLS        256

G_DEFINE_FINAL_TYPE (PbDemoBackend, pb_demo_backend, G_TYPE_OBJECT)

static void
wipe_key (gpointer data)
{
  char *key = data;

  if (key != NULL)
    {
      memset (key, 0, strlen (key));
      g_free (key);
    }
}

static void
pb_demo_backend_dispose (GObject *object)
{
  PbDemoBackend *self = PB_DEMO_BACKEND (object);

  pb_demo_backend_stop (self);
  g_clear_object (&self->secrets);
  g_clear_object (&self->projects);
  g_clear_pointer (&self->keys, g_hash_table_unref);
  g_clear_pointer (&self->url, g_free);

  G_OBJECT_CLASS (pb_demo_backend_parent_class)->dispose (object);
}

static void
pb_demo_backend_class_init (PbDemoBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pb_demo_backend_dispose;
}

static void
pb_demo_backend_init (PbDemoBackend *self)
{
  self->projects = g_list_store_new (PB_TYPE_PROJECT_CONFIG);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_key);
}

PbDemoBackend *
pb_demo_backend_new (void)
{
  PbDemoBackend *self = g_object_new (PB_TYPE_DEMO_BACKEND, NULL);

  self->secrets = pb_secrets_new ();
  return self;
}

PbSecrets *
pb_demo_backend_get_secrets (PbDemoBackend *self)
{
  g_return_val_if_fail (PB_IS_DEMO_BACKEND (self), NULL);
  return self->secrets;
}

GListModel *
pb_demo_backend_get_projects (PbDemoBackend *self)
{
  g_return_val_if_fail (PB_IS_DEMO_BACKEND (self), NULL);
  return G_LIST_MODEL (self->projects);
}

gboolean
pb_demo_backend_get_running (PbDemoBackend *self)
{
  g_return_val_if_fail (PB_IS_DEMO_BACKEND (self), FALSE);
  return self->process != NULL && self->url != NULL;
}

const char *
pb_demo_backend_get_url (PbDemoBackend *self)
{
  g_return_val_if_fail (PB_IS_DEMO_BACKEND (self), NULL);
  return self->url;
}

gboolean
pb_demo_backend_owns_project (PbDemoBackend *self,
                              const char    *local_id)
{
  g_return_val_if_fail (PB_IS_DEMO_BACKEND (self), FALSE);

  for (guint i = 0; local_id != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->projects)); i++)
    {
      g_autoptr(PbProjectConfig) config = g_list_model_get_item (G_LIST_MODEL (self->projects), i);

      if (g_str_equal (pb_project_config_get_id (config), local_id))
        return TRUE;
    }
  return FALSE;
}

static char *
server_path (void)
{
  const char *env = g_getenv ("PLUGBOARD_SERVER");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (BINDIR, "plugboard-server", NULL);
}

char *
pb_demo_backend_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "plugboard", "demo", NULL);
}

/* Start */

static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  /* Should the app crash, the demo does not outlive it. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

typedef struct
{
  GDataInputStream *stdout_stream;
  guint             pending_keys;   /* keyring writes still running */
  JsonArray        *saved;          /* serve mode: the projects kept from the first run */
  char             *projects_file;
  char             *server;
  char             *db;
  gboolean          any_port_next;  /* the port of the last run was asked for: if it is taken,
                                     * try again on any free one */
} StartData;

static void
start_data_free (StartData *data)
{
  g_clear_object (&data->stdout_stream);
  g_clear_pointer (&data->saved, json_array_unref);
  g_free (data->projects_file);
  g_free (data->server);
  g_free (data->db);
  g_free (data);
}

/* The demo's projects (ids, names, plans; never keys) beside its database, because a later
 * start serves the existing database, and `serve` does not list projects. */
JsonArray *
pb_demo_backend_load_saved_projects (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  return json_array_ref (json_node_get_array (root));
}

static void
save_projects (const char *path,
               JsonArray  *projects)
{
  g_autoptr(JsonArray) kept = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < json_array_get_length (projects); i++)
    {
      JsonObject *project = json_array_get_object_element (projects, i);
      JsonObject *copy = json_object_new ();

      for (const char * const *m = (const char * const[]) { "id", "name", "plan", NULL }; *m; m++)
        if (json_object_has_member (project, *m))
          json_object_set_string_member (copy, *m,
                                         json_object_get_string_member_with_default (project,
                                                                                     *m, ""));
      json_array_add_object_element (kept, copy);
    }
  json_node_set_array (node, kept);
  text = json_to_string (node, TRUE);
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Could not keep the local demo's project list: %s", error->message);
}

char **
pb_demo_backend_load_urls (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, URLS_FILE, NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_new0 (char *, 1);
  return g_strsplit (g_strstrip (text), "\n", -1);
}

static void
remember_url (const char *url)
{
  g_autofree char *dir = pb_demo_backend_dir ();
  g_autofree char *path = g_build_filename (dir, URLS_FILE, NULL);
  g_auto(GStrv) urls = pb_demo_backend_load_urls (dir);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n = g_strv_length (urls);

  /* The last line is the URL of the last run (whose port the next run asks for again). */
  if (n > 0 && g_str_equal (urls[n - 1], url))
    return;
  for (guint i = n >= MAX_URLS ? n - MAX_URLS + 1 : 0; i < n; i++)
    if (*urls[i] != '\0' && !g_str_equal (urls[i], url))
      g_string_append_printf (text, "%s\n", urls[i]);
  g_string_append_printf (text, "%s\n", url);
  if (!g_file_set_contents_full (path, text->str, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    g_warning ("Could not note the local demo's address: %s", error->message);
}

static void
store_key_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The key stays usable in memory for this run; the keyring is for the next one. */
  if (!pb_secrets_store_api_key_finish (PB_SECRETS (source), result, &error))
    g_warning ("Could not keep the local demo's key in the keyring: %s", error->message);

  if (--data->pending_keys == 0)
    g_task_return_boolean (task, TRUE);
}

static gboolean
parse_announcement (PbDemoBackend  *self,
                    const char     *line,
                    StartData      *data,
                    GPtrArray      *to_store,
                    GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *root;
  JsonArray *projects;
  const char *url;

  if (!json_parser_load_from_data (parser, line, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto invalid;
  root = json_node_get_object (json_parser_get_root (parser));
  url = json_object_get_string_member_with_default (root, "url", NULL);
  if (url == NULL)
    goto invalid;
  if (data->saved != NULL)
    projects = data->saved;
  else if (json_object_has_member (root, "projects")
           && JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "projects")))
    {
      projects = json_object_get_array_member (root, "projects");
      save_projects (data->projects_file, projects);
    }
  else
    goto invalid;

  g_free (self->url);
  self->url = g_strdup (url);
  remember_url (url);

  for (guint i = 0; i < json_array_get_length (projects); i++)
    {
      JsonNode *node = json_array_get_element (projects, i);
      JsonObject *project;
      const char *id, *name, *key;
      g_autofree char *local_id = NULL;
      g_autoptr(PbProjectConfig) config = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto invalid;
      project = json_node_get_object (node);
      id = json_object_get_string_member_with_default (project, "id", NULL);
      name = json_object_get_string_member_with_default (project, "name", NULL);
      key = json_object_get_string_member_with_default (project, "admin_key", NULL);
      if (id == NULL)
        goto invalid;

      local_id = g_strconcat (PB_DEMO_PROJECT_PREFIX, id, NULL);
      config = pb_project_config_new (local_id, name != NULL ? name : id, url, id, TRUE);
      g_ptr_array_add (configs, g_object_ref (config));
      if (key != NULL && *key != '\0')
        {
          g_hash_table_replace (self->keys, g_strdup (local_id), g_strdup (key));
          g_ptr_array_add (to_store, g_object_ref (config));
        }
    }
  /* All at once, and only now: whoever opens a project as soon as it appears finds its key
   * (the keyring has it only once the writes below are done). */
  g_list_store_splice (self->projects, g_list_model_get_n_items (G_LIST_MODEL (self->projects)),
                       0, configs->pdata, configs->len);
  return TRUE;

invalid:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The local demo backend started but did not say where it listens."));
  return FALSE;
}

static gboolean spawn_server (PbDemoBackend  *self,
                              GTask          *task,
                              const char     *listen,
                              GError        **error);

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PbDemoBackend *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) to_store = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  if (line == NULL && error == NULL && data->any_port_next)
    {
      /* The last run's port is taken now: any free one will do (the offline caches of this
       * run are then new ones; a reset removes the old ones). */
      pb_demo_backend_stop (self);
      g_clear_object (&data->stdout_stream);
      data->any_port_next = FALSE;
      if (!spawn_server (self, task, "127.0.0.1:0", &error))
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (line == NULL)
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("The local demo backend stopped at once. Is plugboard-server "
                       "installed?"));
      pb_demo_backend_stop (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!parse_announcement (self, line, data, to_store, &error))
    {
      pb_demo_backend_stop (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (to_store->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Keep the keys the server printed: a later start of the same database may not print
   * them again (only their hashes are in it). */
  data->pending_keys = to_store->len;
  for (guint i = 0; i < to_store->len; i++)
    {
      PbProjectConfig *config = g_ptr_array_index (to_store, i);
      g_autofree char *label = g_strdup_printf (_("Plugboard local demo: %s"),
                                                pb_project_config_get_name (config));

      pb_secrets_store_api_key_async (self->secrets, PB_DEMO_BACKEND_KEYRING_NAME,
                                      pb_project_config_get_id (config), label,
                                      g_hash_table_lookup (self->keys,
                                                           pb_project_config_get_id (config)),
                                      NULL, store_key_cb, g_object_ref (task));
    }
}

static char *last_port (const char *dir);

void
pb_demo_backend_start_async (PbDemoBackend       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = server_path ();
  g_autofree char *dir = pb_demo_backend_dir ();
  g_autofree char *db = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *projects_file = g_build_filename (dir, "projects.json", NULL);
  g_autoptr(JsonArray) saved = NULL;
  g_autofree char *listen = NULL;
  StartData *data;

  g_return_if_fail (PB_IS_DEMO_BACKEND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_demo_backend_start_async);

  if (self->process != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create the local demo's folder %s: %s"), dir,
                               g_strerror (saved_errno));
      return;
    }

  /* What the admin changed in the demo is still there at the next start: the first start
   * seeds the database (`demo --db`), later ones serve it (`serve --db`). */
  if (g_file_test (db, G_FILE_TEST_EXISTS))
    {
      saved = pb_demo_backend_load_saved_projects (projects_file);
      if (saved == NULL)
        {
          g_autofree char *key_file = g_strconcat (db, ".key", NULL);

          g_warning ("The local demo's project list is missing; starting the demo afresh.");
          g_unlink (db);
          g_unlink (key_file);
        }
    }
  /* A served database asks for the port of its last run, so that its URL stays the same:
   * the store's offline caches (per URL and project) are found again. A new demo takes any
   * free port (were its port taken, it could not try again: its database would exist). */
  if (saved != NULL)
    listen = last_port (dir);

  data = g_new0 (StartData, 1);
  data->saved = g_steal_pointer (&saved);
  data->projects_file = g_steal_pointer (&projects_file);
  data->server = g_steal_pointer (&server);
  data->db = g_steal_pointer (&db);
  data->any_port_next = listen != NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);
  if (!spawn_server (self, task, listen != NULL ? listen : "127.0.0.1:0", &error))
    g_task_return_error (task, g_steal_pointer (&error));
}

/* "127.0.0.1:PORT" of the last run's URL, or NULL */
static char *
last_port (const char *dir)
{
  g_auto(GStrv) urls = pb_demo_backend_load_urls (dir);
  guint n = g_strv_length (urls);
  g_autoptr(GUri) uri = NULL;

  if (n == 0 || (uri = g_uri_parse (urls[n - 1], G_URI_FLAGS_NONE, NULL)) == NULL
      || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0
      || g_strcmp0 (g_uri_get_host (uri), "127.0.0.1") != 0
      || g_uri_get_port (uri) <= 0 || g_uri_get_port (uri) > 65535)
    return NULL;
  return g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
}

static gboolean
spawn_server (PbDemoBackend  *self,
              GTask          *task,
              const char     *listen,
              GError        **error)
{
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) local_error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  self->process = g_subprocess_launcher_spawn (launcher, &local_error, data->server,
                                               data->saved != NULL ? "serve" : "demo",
                                               "--listen", listen, "--db", data->db, NULL);
  if (self->process == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Could not start the local demo backend (%s): %s"), data->server,
                   local_error->message);
      return FALSE;
    }

  data->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (data->stdout_stream, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (task), read_line_cb,
                                       g_object_ref (task));
  return TRUE;
}

gboolean
pb_demo_backend_start_finish (PbDemoBackend  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_demo_backend_start_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Open a client */

static void
lookup_key_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PbDemoBackend *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *key;

  key = pb_secrets_lookup_api_key_finish (PB_SECRETS (source), result, &error);
  if (key == NULL)
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The keyring no longer has the local demo's key. Reset the demo in "
                       "Preferences to start it afresh."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, pb_client_new (self->url, key), g_object_unref);
  secret_password_free (key);
}

void
pb_demo_backend_open_client_async (PbDemoBackend       *self,
                                   const char          *local_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *key;

  g_return_if_fail (PB_IS_DEMO_BACKEND (self));
  g_return_if_fail (local_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_demo_backend_open_client_async);

  if (!pb_demo_backend_get_running (self) || !pb_demo_backend_owns_project (self, local_id))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The local demo backend is not running."));
      return;
    }

  key = g_hash_table_lookup (self->keys, local_id);
  if (key != NULL)
    {
      g_task_return_pointer (task, pb_client_new (self->url, key), g_object_unref);
      return;
    }
  pb_secrets_lookup_api_key_async (self->secrets, PB_DEMO_BACKEND_KEYRING_NAME, local_id,
                                   cancellable, lookup_key_cb, g_steal_pointer (&task));
}

PbClient *
pb_demo_backend_open_client_finish (PbDemoBackend  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return pb_store_open_task_finish (self, result, pb_demo_backend_open_client_async, error);
}

static void
on_store_client_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PbDemoBackend *self = PB_DEMO_BACKEND (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbClient) client = NULL;
  const char *local_id = g_task_get_task_data (task);
  g_autoptr(PbProjectConfig) project = NULL;

  client = pb_demo_backend_open_client_finish (self, result, &error);
  for (guint i = 0;
       client != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->projects));
       i++)
    {
      g_autoptr(PbProjectConfig) config = g_list_model_get_item (G_LIST_MODEL (self->projects), i);

      if (g_str_equal (pb_project_config_get_id (config), local_id))
        g_set_object (&project, config);
    }
  if (client != NULL && project == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("The local demo backend is not running."));
  pb_store_open_task_return_store (task, client, self->secrets, project,
                                   g_steal_pointer (&error));
}

void
pb_demo_backend_open_store_async (PbDemoBackend       *self,
                                  const char          *local_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PB_IS_DEMO_BACKEND (self));
  g_return_if_fail (local_id != NULL);

  task = pb_store_open_task_new (self, local_id, pb_demo_backend_open_store_async, cancellable,
                                 callback, user_data);
  pb_demo_backend_open_client_async (self, local_id, cancellable, on_store_client_cb, task);
}

PbStore *
pb_demo_backend_open_store_finish (PbDemoBackend  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return pb_store_open_task_finish (self, result, pb_demo_backend_open_store_async, error);
}

/* Stop */

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

void
pb_demo_backend_stop (PbDemoBackend *self)
{
  g_autoptr(GSubprocess) process = NULL;
  gboolean done = FALSE;
  gint64 deadline;

  g_return_if_fail (PB_IS_DEMO_BACKEND (self));

  process = g_steal_pointer (&self->process);
  g_clear_pointer (&self->url, g_free);
  if (process == NULL)
    return;

  /* The server closes its database and exits on SIGTERM; wait for it so that nothing is
   * left half-written, but not for ever. */
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  deadline = g_get_monotonic_time () + STOP_TIMEOUT_MS * 1000;
  while (!done && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  if (!done)
    {
      g_warning ("The local demo backend did not stop in time; killing it.");
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }
}
