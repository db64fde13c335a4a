/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include <string.h>

#include "pb-replica.h"

#include "demo-fixture.h"

/* The demo's reset itself (pb_application_reset_demo_async()): what it removes and starts
 * afresh, a new start that fails, and a port taken meanwhile. */

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

/* (transfer full) (nullable) the demo key the keyring holds for @local_id */
static char *
keyring_key (PbSecrets *secrets, const char *local_id)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  pb_secrets_lookup_api_key_async (secrets, PB_DEMO_BACKEND_KEYRING_NAME, local_id, NULL,
                                   pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, PB_TEST_TIMEOUT_MS);
  key = pb_secrets_lookup_api_key_finish (secrets, result, &error);
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

  pb_demo_backend_open_client_async (demo, local_id, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, PB_TEST_TIMEOUT_MS);
  client = pb_demo_backend_open_client_finish (demo, result, &error);
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

  pb_client_list_all_integrations_async (client, NULL, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, PB_TEST_TIMEOUT_MS);
  integrations = pb_client_list_all_integrations_finish (client, result, &error);
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

  pb_application_reset_demo_async (app, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, PB_TEST_TIMEOUT_MS);
  pb_application_reset_demo_finish (app, result, error);
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
                           pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, PB_TEST_TIMEOUT_MS);
  value = pb_secrets_lookup_finish (secrets, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);
  kept = value != NULL;
  secret_password_free (value);
  return kept;
}

/* Change the demo, reset it: new projects with fresh data, the old keys gone from the
 * keyring, the old database gone, the old server process gone, the old offline caches gone,
 * nothing outside the demo's folder touched. */
void
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
  secrets = pb_demo_backend_get_secrets (pb_application_get_demo (app));
  pb_secrets_store_async (secrets, earlier_url, g_ptr_array_index (earlier_ids, 0),
                          "some-integration", fields, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, PB_TEST_TIMEOUT_MS);
  g_assert_true (pb_secrets_store_finish (secrets, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (credential_kept (secrets, earlier_url, g_ptr_array_index (earlier_ids, 0)));
  quit_app (app);

  /* This run: the same database, served again. */
  app = start_app_without_project (&window);
  phase ("second start");
  demo = pb_application_get_demo (app);
  secrets = pb_demo_backend_get_secrets (demo);
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
                                      pb_integration_get_version (changed), NULL, pb_test_async_ready_cb,
                                      &result);
  result = pb_test_await (&result, PB_TEST_TIMEOUT_MS);
  updated = pb_client_update_integration_finish (client, result, &error);
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
  pb_client_get_project_async (stale_client, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, PB_TEST_TIMEOUT_MS);
  g_assert_null (pb_client_get_project_finish (stale_client, result,
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
  pb_test_wait_until (window_shows_project, window, PB_TEST_TIMEOUT_MS);
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
void
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
  pb_test_wait_until (window_shows_project, window, PB_TEST_TIMEOUT_MS);
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
void
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
