/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "pb-application.h"
#include "pb-preferences.h"
#include "pb-replica.h"
#include "pb-ui-project.h"
#include "pb-window.h"

/*
 * The local demo's reset (ux.md: "Reset demo" in Preferences starts it afresh): the app's
 * own PbDemoBackend with the real plugboard-server ($PLUGBOARD_SERVER), its database in a
 * temporary $XDG_DATA_HOME, its keys in the headless session's real keyring, real widgets.
 */

#define TIMEOUT_MS 20000

static char *data_home;

/* ----------------------------------------------------------------------------------------- */
/* Helpers */

static void
iterate_until (gboolean (*done) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
got_result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Waits for the result an async call delivers to got_result_cb. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  iterate_until (result_arrived, slot, TIMEOUT_MS);
  g_assert_nonnull (*slot);
  return *slot;
}

/* Notes how long each step took (in the TAP output). */
static void
phase (const char *what)
{
  static gint64 last;
  gint64 now = g_get_monotonic_time ();

  if (last != 0)
    g_test_message ("%s: %.0f ms", what, (now - last) / 1000.0);
  last = now;
}

static gboolean
window_mapped (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (data));

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
project_loaded (gpointer data)
{
  PbUiProject *project = pb_window_get_project (PB_WINDOW (data));

  return project != NULL && pb_ui_project_get_loaded (project)
         && g_strcmp0 (pb_window_get_visible_page (PB_WINDOW (data)), "loading") != 0;
}

/* First start without any project: the app runs the local demo itself. */
static PbApplication *
start_app_without_project (PbWindow **out_window)
{
  PbApplication *app = pb_application_new ();
  static guint n_apps;
  g_autofree char *id = g_strdup_printf ("io.github.plugboard.Plugboard.DemoReset%u", n_apps++);
  g_autoptr(GError) error = NULL;

  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  iterate_until (window_mapped, app, TIMEOUT_MS);
  *out_window = PB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (*out_window);
  iterate_until (project_loaded, *out_window, TIMEOUT_MS);
  g_assert_true (project_loaded (*out_window));
  g_assert_true (pb_demo_backend_get_running (pb_application_get_demo (app)));
  return app;
}

static void
quit_app (PbApplication *app)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (w);
    }
  iterate_for (50);
  pb_demo_backend_stop (pb_application_get_demo (app));
  g_object_unref (app);
}

static char *
demo_db_path (void)
{
  return g_build_filename (data_home, "plugboard", "demo", "demo.db", NULL);
}

/* The plugboard-server processes serving this test's demo database (by their command line:
 * the database is in this test's own temporary directory). */
static GArray *
demo_server_pids (void)
{
  g_autofree char *db = demo_db_path ();
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  const char *name;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      gsize len;
      gboolean has_db = FALSE, is_server = FALSE;
      GPid pid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "cmdline", NULL);
      if (!g_file_get_contents (path, &cmdline, &len, NULL))
        continue;
      for (gsize i = 0; i < len; i += strlen (cmdline + i) + 1)
        {
          has_db |= g_str_equal (cmdline + i, db);
          is_server |= g_str_has_suffix (cmdline + i, "plugboard-server") && i == 0;
        }
      pid = (GPid) g_ascii_strtoll (name, NULL, 10);
      if (has_db && is_server)
        g_array_append_val (pids, pid);
    }
  return pids;
}

static GPid
the_demo_server_pid (void)
{
  g_autoptr(GArray) pids = demo_server_pids ();

  g_assert_cmpuint (pids->len, ==, 1);
  return g_array_index (pids, GPid, 0);
}

static gboolean
pid_gone (GPid pid)
{
  g_autoptr(GArray) pids = demo_server_pids ();

  for (guint i = 0; i < pids->len; i++)
    if (g_array_index (pids, GPid, i) == pid)
      return FALSE;
  return kill (pid, 0) != 0 && errno == ESRCH;
}

/* (transfer full) the demo's projects' local ids, then their ids on the server */
static GPtrArray *
demo_project_ids (PbApplication *app,
                  gboolean       server_ids)
{
  GListModel *projects = pb_demo_backend_get_projects (pb_application_get_demo (app));
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(PbProjectConfig) config = g_list_model_get_item (projects, i);

      g_ptr_array_add (ids, g_strdup (server_ids ? pb_project_config_get_project_id (config)
                                                 : pb_project_config_get_id (config)));
    }
  return ids;
}

static gboolean
ids_contain (GPtrArray *ids, const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), id))
      return TRUE;
  return FALSE;
}

/* (transfer full) (nullable) the demo key the keyring holds for @local_id */
static char *
keyring_key (PbSecrets *secrets, const char *local_id)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  pb_secrets_lookup_api_key_async (secrets, PB_DEMO_BACKEND_KEYRING_NAME, local_id, NULL,
                                   got_result_cb, &result);
  key = pb_secrets_lookup_api_key_finish (secrets, wait_result (&result), &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return key;
}

static PbClient *
open_demo_client (PbApplication *app, const char *local_id)
{
  PbDemoBackend *demo = pb_application_get_demo (app);
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  PbClient *client;

  pb_demo_backend_open_client_async (demo, local_id, NULL, got_result_cb, &result);
  client = pb_demo_backend_open_client_finish (demo, wait_result (&result), &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return client;
}

static GPtrArray *
list_integrations (PbClient *client)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *integrations;

  pb_client_list_all_integrations_async (client, NULL, NULL, got_result_cb, &result);
  integrations = pb_client_list_all_integrations_finish (client, wait_result (&result), NULL,
                                                         &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return integrations;
}

static PbIntegration *
find_integration_named (GPtrArray *integrations, const char *name, const char *connector)
{
  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (integrations, i);

      if (g_str_equal (pb_integration_get_name (integration), name)
          && g_str_equal (pb_integration_get_connector_key (integration), connector))
        return integration;
    }
  return NULL;
}

static void
reset_demo (PbApplication *app, GError **error)
{
  GAsyncResult *result = NULL;

  pb_application_reset_demo_async (app, NULL, got_result_cb, &result);
  pb_application_reset_demo_finish (app, wait_result (&result), error);
  g_object_unref (result);
}

static void
on_projects_changed_cb (GListModel *projects, guint position, guint removed, guint added,
                        guint *min_items)
{
  *min_items = MIN (*min_items, g_list_model_get_n_items (projects));
}

static gboolean
window_shows_project (gpointer data)
{
  PbWindow *window = data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  const char *last = pb_application_get_last_project (PB_APPLICATION (app));

  return project_loaded (window) && last != NULL
         && pb_application_is_demo_project (PB_APPLICATION (app), last);
}

static gboolean
credential_kept (PbSecrets *secrets, const char *url, const char *project_id)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  char *value;
  gboolean kept;

  pb_secrets_lookup_async (secrets, url, project_id, "some-integration", "api_key", NULL,
                           got_result_cb, &result);
  value = pb_secrets_lookup_finish (secrets, wait_result (&result), &error);
  g_assert_no_error (error);
  g_object_unref (result);
  kept = value != NULL;
  secret_password_free (value);
  return kept;
}

/* ----------------------------------------------------------------------------------------- */
/* Tests */

/* Change the demo, reset it: new projects with fresh data, the old keys gone from the
 * keyring, the old database gone, the old server process gone, the old offline caches gone,
 * nothing outside the demo's folder touched. */
static void
test_demo_reset (void)
{
  g_autoptr(GPtrArray) old_local_ids = NULL;
  g_autoptr(GPtrArray) old_project_ids = NULL;
  g_autoptr(GPtrArray) new_local_ids = NULL;
  g_autoptr(GPtrArray) new_project_ids = NULL;
  g_autoptr(GPtrArray) old_caches = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) earlier_ids = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        g_free);
  g_autofree char *earlier_url = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbClient) new_client = NULL;
  g_autoptr(PbClient) stale_client = NULL;
  g_autoptr(PbIntegration) updated = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) new_integrations = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *db = demo_db_path ();
  g_autofree char *old_url = NULL;
  g_autofree char *old_key = NULL;
  g_autofree char *name = NULL;
  g_autofree char *connector = NULL;
  g_autofree char *marker = g_build_filename (data_home, "plugboard", "not-the-demo.txt", NULL);
  GAsyncResult *result = NULL;
  PbIntegration *changed = NULL;
  PbApplication *app;
  PbDemoBackend *demo;
  PbWindow *window;
  PbSecrets *secrets;
  GPid old_pid, new_pid;
  guint min_items = G_MAXUINT;
  gulong handler;

  phase ("before");
  /* An earlier run of the same demo, on another port: the store's offline cache of the
   * project the window opened, and a credential typed into one of its integrations. */
  app = start_app_without_project (&window);
  phase ("first start");
  earlier_url = g_strdup (pb_demo_backend_get_url (pb_application_get_demo (app)));
  earlier_ids = demo_project_ids (app, TRUE);
  for (guint i = 0; i < earlier_ids->len; i++)
    {
      g_autofree char *path = pb_replica_path_for (earlier_url,
                                                   g_ptr_array_index (earlier_ids, i));

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        g_ptr_array_add (old_caches, g_steal_pointer (&path));
    }
  g_assert_cmpuint (old_caches->len, >=, 1);
  g_hash_table_insert (fields, g_strdup ("api_key"), g_strdup ("typed-into-the-old-demo"));
  pb_secrets_store_async (pb_application_get_secrets (app), earlier_url,
                          g_ptr_array_index (earlier_ids, 0), "some-integration", fields, NULL,
                          got_result_cb, &result);
  g_assert_true (pb_secrets_store_finish (pb_application_get_secrets (app),
                                          wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (credential_kept (pb_application_get_secrets (app), earlier_url,
                                  g_ptr_array_index (earlier_ids, 0)));
  quit_app (app);

  /* This run: the same database, served again. */
  app = start_app_without_project (&window);
  phase ("second start");
  demo = pb_application_get_demo (app);
  secrets = pb_application_get_secrets (app);
  old_local_ids = demo_project_ids (app, FALSE);
  old_project_ids = demo_project_ids (app, TRUE);
  g_assert_cmpuint (old_local_ids->len, ==, 2);
  for (guint i = 0; i < old_project_ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (old_project_ids, i), ==,
                     g_ptr_array_index (earlier_ids, i));
  /* Served again on the same port: the same URL, so the same offline caches. */
  g_assert_cmpstr (pb_demo_backend_get_url (demo), ==, earlier_url);
  old_url = g_strdup (pb_demo_backend_get_url (demo));
  old_pid = the_demo_server_pid ();
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));

  /* The keyring has the keys the demo printed. */
  for (guint i = 0; i < old_local_ids->len; i++)
    {
      char *key = keyring_key (secrets, g_ptr_array_index (old_local_ids, i));

      g_assert_nonnull (key);
      if (i == 0)
        old_key = g_strdup (key);
      secret_password_free (key);
    }

  /* The window opened one of the projects: the store keeps its offline cache. */
  for (guint i = 0; i < old_project_ids->len; i++)
    {
      g_autofree char *path = pb_replica_path_for (old_url, g_ptr_array_index (old_project_ids,
                                                                                i));

      if (g_file_test (path, G_FILE_TEST_EXISTS) && !ids_contain (old_caches, path))
        g_ptr_array_add (old_caches, g_steal_pointer (&path));
    }
  g_assert_cmpuint (old_caches->len, >=, 1);
  g_assert_true (g_file_set_contents (marker, "mine", -1, NULL));

  /* Change the demo: disable an enabled integration. */
  client = open_demo_client (app, g_ptr_array_index (old_local_ids, 0));
  integrations = list_integrations (client);
  for (guint i = 0; i < integrations->len && changed == NULL; i++)
    if (pb_integration_get_active (g_ptr_array_index (integrations, i)))
      changed = g_ptr_array_index (integrations, i);
  g_assert_nonnull (changed);
  name = g_strdup (pb_integration_get_name (changed));
  connector = g_strdup (pb_integration_get_connector_key (changed));
  json_object_set_boolean_member (patch, "active", FALSE);
  pb_client_update_integration_async (client, pb_integration_get_id (changed), patch,
                                      pb_integration_get_version (changed), NULL, got_result_cb,
                                      &result);
  updated = pb_client_update_integration_finish (client, wait_result (&result), NULL, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_false (pb_integration_get_active (updated));

  /* Reset: the projects leave the list, then new ones arrive. */
  handler = g_signal_connect (pb_application_get_projects (app), "items-changed",
                              G_CALLBACK (on_projects_changed_cb), &min_items);
  phase ("checks and change");
  reset_demo (app, &error);
  phase ("reset");
  g_signal_handler_disconnect (pb_application_get_projects (app), handler);
  g_assert_no_error (error);
  g_assert_cmpuint (min_items, ==, 0);
  g_assert_true (pb_demo_backend_get_running (demo));
  g_assert_false (pb_demo_backend_get_resetting (demo));

  /* New projects, with new ids. */
  new_local_ids = demo_project_ids (app, FALSE);
  new_project_ids = demo_project_ids (app, TRUE);
  g_assert_cmpuint (new_local_ids->len, ==, old_local_ids->len);
  for (guint i = 0; i < new_local_ids->len; i++)
    {
      g_assert_false (ids_contain (old_local_ids, g_ptr_array_index (new_local_ids, i)));
      g_assert_false (ids_contain (old_project_ids, g_ptr_array_index (new_project_ids, i)));
    }

  /* The old server is gone; one new one serves the new database. */
  g_assert_true (pid_gone (old_pid));
  new_pid = the_demo_server_pid ();
  g_assert_cmpint (new_pid, !=, old_pid);

  /* The old keys are gone from the keyring; the new ones are there. */
  for (guint i = 0; i < old_local_ids->len; i++)
    {
      char *key = keyring_key (secrets, g_ptr_array_index (old_local_ids, i));

      g_assert_null (key);
    }
  for (guint i = 0; i < new_local_ids->len; i++)
    {
      char *key = keyring_key (secrets, g_ptr_array_index (new_local_ids, i));

      g_assert_nonnull (key);
      secret_password_free (key);
    }

  /* The old database is gone: the new server does not know the old key. */
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  stale_client = pb_client_new (pb_demo_backend_get_url (demo), old_key);
  pb_client_get_project_async (stale_client, NULL, got_result_cb, &result);
  g_assert_null (pb_client_get_project_finish (stale_client, wait_result (&result), NULL,
                                               &error));
  g_clear_object (&result);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* Fresh data: the integration disabled before is enabled again. */
  new_client = open_demo_client (app, g_ptr_array_index (new_local_ids, 0));
  new_integrations = list_integrations (new_client);
  g_assert_cmpuint (new_integrations->len, ==, integrations->len);
  g_assert_nonnull (find_integration_named (new_integrations, name, connector));
  g_assert_true (pb_integration_get_active (find_integration_named (new_integrations, name,
                                                                     connector)));

  /* The old offline caches are gone; what is not the demo's stays. */
  for (guint i = 0; i < old_caches->len; i++)
    g_assert_false (g_file_test (g_ptr_array_index (old_caches, i), G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* The credential typed into the old demo is gone from the keyring. */
  g_assert_false (credential_kept (secrets, earlier_url, g_ptr_array_index (earlier_ids, 0)));

  /* The window shows one of the new projects. */
  iterate_until (window_shows_project, window, TIMEOUT_MS);
  g_assert_true (window_shows_project (window));
  g_assert_true (ids_contain (new_local_ids, pb_application_get_last_project (app)));

  phase ("checks");
  memset (old_key, 0, strlen (old_key));
  quit_app (app);
  phase ("quit");
  g_assert_true (pid_gone (new_pid));
}

/* When the new start fails, the error says the demo could not be started again (and why);
 * a later reset with the server back starts it. */
static void
test_demo_reset_start_fails (void)
{
  g_autofree char *server = g_strdup (g_getenv ("PLUGBOARD_SERVER"));
  g_autofree char *db = demo_db_path ();
  g_autoptr(GError) error = NULL;
  PbApplication *app;
  PbWindow *window;
  GPid old_pid;

  g_assert_nonnull (server);
  app = start_app_without_project (&window);
  old_pid = the_demo_server_pid ();

  g_setenv ("PLUGBOARD_SERVER", "/nonexistent/plugboard-server", TRUE);
  reset_demo (app, &error);
  g_setenv ("PLUGBOARD_SERVER", server, TRUE);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "could not be started again"));
  g_assert_nonnull (strstr (error->message, "/nonexistent/plugboard-server"));
  g_clear_error (&error);
  g_assert_false (pb_demo_backend_get_running (pb_application_get_demo (app)));
  g_assert_false (pb_demo_backend_get_resetting (pb_application_get_demo (app)));
  g_assert_cmpuint (g_list_model_get_n_items (pb_application_get_projects (app)), ==, 0);
  g_assert_true (pid_gone (old_pid));
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  reset_demo (app, &error);
  g_assert_no_error (error);
  g_assert_true (pb_demo_backend_get_running (pb_application_get_demo (app)));
  g_assert_cmpuint (g_list_model_get_n_items (pb_application_get_projects (app)), ==, 2);
  iterate_until (window_shows_project, window, TIMEOUT_MS);
  g_assert_true (window_shows_project (window));
  quit_app (app);
}

static GPtrArray *
existing_caches (const char *url, GPtrArray *project_ids)
{
  GPtrArray *caches = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < project_ids->len; i++)
    {
      g_autofree char *path = pb_replica_path_for (url, g_ptr_array_index (project_ids, i));

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        g_ptr_array_add (caches, g_steal_pointer (&path));
    }
  return caches;
}

/* A served demo asks for its last port again; when something else took it, it starts on
 * another one all the same, and a reset later removes the caches of both URLs. */
static void
test_demo_port_taken (void)
{
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) ids_again = NULL;
  g_autoptr(GPtrArray) first_caches = NULL;
  g_autoptr(GPtrArray) second_caches = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_url = NULL;
  g_autofree char *second_url = NULL;
  PbApplication *app;
  PbWindow *window;

  app = start_app_without_project (&window);
  first_url = g_strdup (pb_demo_backend_get_url (pb_application_get_demo (app)));
  ids = demo_project_ids (app, TRUE);
  first_caches = existing_caches (first_url, ids);
  g_assert_cmpuint (first_caches->len, >=, 1);
  quit_app (app);

  /* Something else listens on the demo's port now. */
  uri = g_uri_parse (first_url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", g_uri_get_port (uri));
  g_socket_listener_add_address (squatter, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, NULL, &error);
  g_assert_no_error (error);

  app = start_app_without_project (&window);
  second_url = g_strdup (pb_demo_backend_get_url (pb_application_get_demo (app)));
  g_assert_cmpstr (second_url, !=, first_url);
  ids_again = demo_project_ids (app, TRUE);
  g_assert_cmpuint (ids_again->len, ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (ids_again, i), ==, g_ptr_array_index (ids, i));
  second_caches = existing_caches (second_url, ids);
  g_assert_cmpuint (second_caches->len, >=, 1);
  g_socket_listener_close (squatter);

  reset_demo (app, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < first_caches->len; i++)
    g_assert_false (g_file_test (g_ptr_array_index (first_caches, i), G_FILE_TEST_EXISTS));
  for (guint i = 0; i < second_caches->len; i++)
    g_assert_false (g_file_test (g_ptr_array_index (second_caches, i), G_FILE_TEST_EXISTS));
  quit_app (app);
}

/* Preferences */

static GtkWidget *
find_widget (GtkWidget *root, gboolean (*match) (GtkWidget *, gconstpointer), gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_group_titled (GtkWidget *widget, gconstpointer title)
{
  return ADW_IS_PREFERENCES_GROUP (widget)
         && g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)),
                       title) == 0;
}

static gboolean
is_button_labelled (GtkWidget *widget, gconstpointer label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)),
                                              label) == 0;
}

static gboolean
is_of_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static GtkWindow *
find_toplevel (GType type, GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type)
          && (parent == NULL || gtk_window_get_transient_for (w) == parent)
          && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

typedef struct
{
  GType      type;
  GtkWindow *parent;
} ToplevelWait;

static gboolean
toplevel_shown (gpointer data)
{
  ToplevelWait *w = data;

  return find_toplevel (w->type, w->parent) != NULL;
}

static gboolean
toplevel_gone (gpointer data)
{
  return !toplevel_shown (data);
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (data));
}

/* Clicks the dialog's button for @label, as a person would. */
static void
choose (AdwMessageDialog *dialog, const char *label)
{
  GtkWidget *button = find_widget (GTK_WIDGET (dialog), is_button_labelled, label);

  g_assert_nonnull (button);
  gtk_widget_activate (button);
}

static gboolean
widget_insensitive (gpointer data)
{
  return !gtk_widget_get_sensitive (GTK_WIDGET (data));
}

static AdwMessageDialog *
press_reset (GtkWidget *button, GtkWindow *prefs)
{
  ToplevelWait w = { ADW_TYPE_MESSAGE_DIALOG, prefs };
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_get_sensitive (button));
  gtk_widget_activate (button);
  iterate_until (toplevel_shown, &w, TIMEOUT_MS);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, prefs));
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  g_assert_true (adw_message_dialog_has_response (dialog, "reset"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "reset"), ==, "_Reset Demo");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "reset"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  return dialog;
}

/* The Local Demo group shows while the demo is in use; its Reset button asks first: Cancel
 * changes nothing, Reset Demo resets with progress shown, then says it is done. */
static void
test_demo_preferences (void)
{
  g_autoptr(GPtrArray) old_ids = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) new_ids = NULL;
  ToplevelWait prefs_wait = { PB_TYPE_PREFERENCES, NULL };
  ToplevelWait dialog_wait = { ADW_TYPE_MESSAGE_DIALOG, NULL };
  PbApplication *app;
  PbWindow *window;
  GtkWindow *prefs;
  GtkWidget *group, *button, *row, *spinner;
  AdwMessageDialog *dialog;
  GPid pid;

  app = start_app_without_project (&window);
  old_ids = demo_project_ids (app, FALSE);
  pid = the_demo_server_pid ();

  pb_application_present_preferences (app, GTK_WINDOW (window));
  prefs_wait.parent = GTK_WINDOW (window);
  iterate_until (toplevel_shown, &prefs_wait, TIMEOUT_MS);
  prefs = find_toplevel (PB_TYPE_PREFERENCES, GTK_WINDOW (window));
  g_assert_nonnull (prefs);
  iterate_for (100);

  group = find_widget (GTK_WIDGET (prefs), is_group_titled, "Local Demo");
  g_assert_nonnull (group);
  g_assert_true (gtk_widget_is_visible (group));
  button = find_widget (group, is_button_labelled, "_Reset…");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_has_css_class (button, "destructive-action"));
  g_assert_true (gtk_widget_get_focusable (button));
  row = find_widget (group, is_of_type, GSIZE_TO_POINTER (ADW_TYPE_ACTION_ROW));
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Reset Demo");
  spinner = find_widget (group, is_of_type, GSIZE_TO_POINTER (GTK_TYPE_SPINNER));
  g_assert_nonnull (spinner);
  g_assert_false (gtk_widget_get_visible (spinner));

  /* Keyboard: the button takes the focus. */
  g_assert_true (gtk_widget_grab_focus (button));
  g_assert_true (gtk_widget_has_focus (button));

  /* Reset… asks first; Cancel: nothing happens. */
  dialog = press_reset (button, prefs);
  dialog_wait.parent = prefs;
  choose (dialog, "_Cancel");
  iterate_until (toplevel_gone, &dialog_wait, TIMEOUT_MS);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, prefs));
  iterate_for (300);
  ids = demo_project_ids (app, FALSE);
  g_assert_cmpuint (ids->len, ==, old_ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (ids, i), ==, g_ptr_array_index (old_ids, i));
  g_assert_false (pid_gone (pid));
  g_assert_false (pb_demo_backend_get_resetting (pb_application_get_demo (app)));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_false (gtk_widget_get_visible (spinner));

  /* Reset Demo: progress, then done, with new projects. */
  dialog = press_reset (button, prefs);
  choose (dialog, "_Reset Demo");
  iterate_until (widget_insensitive, button, TIMEOUT_MS);
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Resetting…");
  iterate_until (widget_sensitive, button, TIMEOUT_MS);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_false (gtk_widget_get_visible (spinner));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "original data"));
  g_assert_true (gtk_widget_is_visible (group));
  new_ids = demo_project_ids (app, FALSE);
  g_assert_cmpuint (new_ids->len, ==, old_ids->len);
  for (guint i = 0; i < new_ids->len; i++)
    g_assert_false (ids_contain (old_ids, g_ptr_array_index (new_ids, i)));
  g_assert_true (pid_gone (pid));

  /* A reset whose new start fails: the row says so (and the group stays, to try again). */
  {
    g_autofree char *server = g_strdup (g_getenv ("PLUGBOARD_SERVER"));

    g_setenv ("PLUGBOARD_SERVER", "/nonexistent/plugboard-server", TRUE);
    dialog = press_reset (button, prefs);
    choose (dialog, "_Reset Demo");
    iterate_until (widget_insensitive, button, TIMEOUT_MS);
    iterate_until (widget_sensitive, button, TIMEOUT_MS);
    g_setenv ("PLUGBOARD_SERVER", server, TRUE);
  }
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "could not be started again"));
  g_assert_false (pb_demo_backend_get_running (pb_application_get_demo (app)));
  g_assert_true (gtk_widget_is_visible (group));

  dialog = press_reset (button, prefs);
  choose (dialog, "_Reset Demo");
  iterate_until (widget_insensitive, button, TIMEOUT_MS);
  iterate_until (widget_sensitive, button, TIMEOUT_MS);
  g_assert_true (pb_demo_backend_get_running (pb_application_get_demo (app)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "original data"));

  quit_app (app);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Only 127.0.0.1 here (no proxy lookups), no session project from the environment, and a
   * data directory of this test's own (GLib reads it once, so before anything else). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_unsetenv ("PLUGBOARD_BACKEND_URL");
  g_unsetenv ("PLUGBOARD_API_KEY");
  data_home = g_dir_make_tmp ("pb-test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_cmpstr (g_get_user_data_dir (), ==, data_home);

  g_test_add_func ("/demo/reset", test_demo_reset);
  g_test_add_func ("/demo/reset-start-fails", test_demo_reset_start_fails);
  g_test_add_func ("/demo/preferences", test_demo_preferences);
  g_test_add_func ("/demo/port-taken", test_demo_port_taken);

  ret = g_test_run ();
  remove_tree (data_home);
  g_free (data_home);
  return ret;
}
