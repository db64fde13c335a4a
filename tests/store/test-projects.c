/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-projects"

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <string.h>

#include "pb-store-internal.h"
#include "pb-store-test-util.h"
#include "pb-test-server.h"

/* PbProjectList against a real plugboard-server demo, the session keyring and a memory
 * GSettings backend of its own per test. */

typedef struct
{
  PbTestServer *server;
  GSettings    *settings;
  PbSecrets    *secrets;
  PbWaiter     *waiter;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();

  fixture->server = pb_test_server_start_demo (NULL, &error);
  g_assert_no_error (error);
  fixture->settings = g_settings_new_with_backend (BASE_APP_ID, backend);
  fixture->secrets = pb_secrets_new ();
  fixture->waiter = pb_waiter_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->server, pb_test_server_stop);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->secrets);
  g_clear_pointer (&fixture->waiter, pb_waiter_free);
}

static PbProjectConfig *
add_project (Fixture        *fixture,
             PbProjectList  *list,
             const char     *name,
             const char     *url,
             const char     *key,
             GError        **error)
{
  pb_project_list_add_async (list, name, url, key, NULL, pb_waiter_cb, fixture->waiter);
  return pb_project_list_add_finish (list, pb_waiter_wait (fixture->waiter), error);
}

static char *
get_api_key (Fixture        *fixture,
             PbProjectList  *list,
             const char     *id,
             GError        **error)
{
  char *key, *copy;

  pb_project_list_get_api_key_async (list, id, NULL, pb_waiter_cb, fixture->waiter);
  key = pb_project_list_get_api_key_finish (list, pb_waiter_wait (fixture->waiter), error);
  /* Keyring memory goes back through secret_password_free(); the tests use g_free(). */
  copy = g_strdup (key);
  secret_password_free (key);
  return copy;
}

static gboolean
remove_project (Fixture        *fixture,
                PbProjectList  *list,
                const char     *id,
                GError        **error)
{
  pb_project_list_remove_async (list, id, NULL, pb_waiter_cb, fixture->waiter);
  return pb_project_list_remove_finish (list, pb_waiter_wait (fixture->waiter), error);
}

static guint
n_saved (GSettings *settings)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, "projects");

  return g_variant_n_children (value);
}

/* Stops a private bus from g_test_dbus_up() in a test subprocess. libsecret keeps its bus
 * connection, so g_test_dbus_down() would wait for it in vain; and the shared connection
 * must not end the process when the bus goes. */
static void
stop_private_bus (GTestDBus *bus)
{
  g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  if (connection != NULL)
    g_dbus_connection_set_exit_on_close (connection, FALSE);
  g_test_dbus_stop (bus);
  /* Not unreffed: finalizing would call g_test_dbus_down(). The process exits next. */
}

static void
test_add (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(PbProjectList) list = pb_project_list_new_with_secrets (fixture->settings, fixture->secrets);
  g_autoptr(PbProjectList) again = NULL;
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(PbProjectConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *key = NULL;
  g_autofree char *url_with_slash = NULL;
  JsonObject *project = pb_test_server_get_project (fixture->server, 0);
  const char *admin_key = pb_test_server_get_admin_key (fixture->server, 0);
  const char *url = pb_test_server_get_url (fixture->server);
  const char *id, *name, *saved_url, *project_id;
  PbProjectConfig *found;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  gt_signal_logger_connect (logger, list, "items-changed");

  /* No name given: the project's own name, from GET /project. A trailing slash is
   * normalised away. */
  url_with_slash = g_strconcat (url, "/", NULL);
  config = add_project (fixture, list, NULL, url_with_slash, admin_key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  g_assert_cmpstr (pb_project_config_get_name (config), ==,
                   json_object_get_string_member (project, "name"));
  g_assert_cmpstr (pb_project_config_get_url (config), ==, url);
  g_assert_cmpstr (pb_project_config_get_project_id (config), ==,
                   json_object_get_string_member (project, "id"));
  g_assert_false (pb_project_config_get_session_only (config));
  g_assert_true (g_uuid_string_is_valid (pb_project_config_get_id (config)));

  pb_assert_items_changed (logger, list, 0, 0, 1);
  gt_signal_logger_assert_no_emissions (logger);
  found = pb_project_list_find (list, pb_project_config_get_id (config));
  g_assert_true (found == config);

  /* Saved in settings, without the key … */
  saved = g_settings_get_value (fixture->settings, "projects");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 1);
  g_variant_get_child (saved, 0, "(&s&s&s&s)", &id, &name, &saved_url, &project_id);
  g_assert_cmpstr (id, ==, pb_project_config_get_id (config));
  g_assert_cmpstr (name, ==, pb_project_config_get_name (config));
  g_assert_cmpstr (saved_url, ==, url);
  g_assert_cmpstr (project_id, ==, pb_project_config_get_project_id (config));
  {
    g_autofree char *printed = g_variant_print (saved, FALSE);

    g_assert_null (strstr (printed, admin_key));
  }

  /* … which is in the keyring. */
  key = get_api_key (fixture, list, pb_project_config_get_id (config), &error);
  g_assert_no_error (error);
  g_assert_true (key != NULL && strcmp (key, admin_key) == 0);

  /* A list made afresh finds it again, and opens a working client with the stored key. */
  again = pb_project_list_new_with_secrets (fixture->settings, fixture->secrets);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  {
    g_autoptr(PbProjectConfig) loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
    g_autoptr(PbClient) client = NULL;
    g_autoptr(PbProject) fetched = NULL;

    g_assert_cmpstr (pb_project_config_get_name (loaded), ==, pb_project_config_get_name (config));
    pb_project_list_open_client_async (again, pb_project_config_get_id (loaded), NULL,
                                       pb_waiter_cb, fixture->waiter);
    client = pb_project_list_open_client_finish (again, pb_waiter_wait (fixture->waiter),
                                                 &error);
    g_assert_no_error (error);
    pb_client_get_project_async (client, NULL, pb_waiter_cb, fixture->waiter);
    fetched = pb_client_get_project_finish (client, pb_waiter_wait (fixture->waiter),
                                            &error);
    g_assert_no_error (error);
    g_assert_cmpstr (pb_project_get_id (fetched), ==, pb_project_config_get_project_id (config));
  }

  /* The same project twice is refused, and nothing changes. */
  {
    g_autoptr(PbProjectConfig) twice = NULL;

    twice = add_project (fixture, list, "Other name", url, admin_key, &error);
    g_assert_null (twice);
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_EXISTS);
    g_assert_nonnull (strstr (error->message, pb_project_config_get_name (config)));
    g_clear_error (&error);
    gt_signal_logger_assert_no_emissions (logger);
    g_assert_cmpuint (n_saved (fixture->settings), ==, 1);
  }

  /* The second demo project, with a name of our own, goes after the first. */
  {
    g_autoptr(PbProjectConfig) second = NULL;

    second = add_project (fixture, list, "  Sandbox  ", url,
                          pb_test_server_get_admin_key (fixture->server, 1), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (pb_project_config_get_name (second), ==, "Sandbox");
    pb_assert_items_changed (logger, list, 1, 0, 1);
    g_assert_cmpuint (n_saved (fixture->settings), ==, 2);
    g_assert_true (remove_project (fixture, list, pb_project_config_get_id (second), &error));
    g_assert_no_error (error);
    pb_assert_items_changed (logger, list, 1, 1, 0);
  }

  g_assert_true (remove_project (fixture, list, pb_project_config_get_id (config), &error));
  g_assert_no_error (error);
}

static void
test_add_refused (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(PbProjectList) list = pb_project_list_new_with_secrets (fixture->settings, fixture->secrets);
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(PbProjectConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong_key = pb_random_value ("wrong");
  g_autofree char *closed_url = NULL;
  const char *url = pb_test_server_get_url (fixture->server);

  gt_signal_logger_connect (logger, list, "items-changed");

  /* A wrong key: a sentence that says so, and nothing saved anywhere. */
  config = add_project (fixture, list, "Acme", url, wrong_key, &error);
  g_assert_null (config);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "does not accept this API key"));
  g_assert_null (strstr (error->message, wrong_key));
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 401);
  g_clear_error (&error);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpuint (n_saved (fixture->settings), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* Nothing listens there. */
  closed_url = g_strdup_printf ("http://127.0.0.1:%u", pb_test_server_closed_port ());
  config = add_project (fixture, list, "Acme", closed_url,
                        pb_test_server_get_admin_key (fixture->server, 0), &error);
  g_assert_null (config);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_clear_error (&error);

  /* Not a backend address, no key, a name that is too long. */
  config = add_project (fixture, list, "Acme", "ftp://127.0.0.1/", "k", &error);
  g_assert_null (config);
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "http://"));
  g_clear_error (&error);

  config = add_project (fixture, list, "Acme", url, "", &error);
  g_assert_null (config);
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  {
    g_autofree char *long_name = g_strnfill (201, 'x');

    config = add_project (fixture, list, long_name, url,
                          pb_test_server_get_admin_key (fixture->server, 0), &error);
    g_assert_null (config);
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
    g_clear_error (&error);
  }

  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpuint (n_saved (fixture->settings), ==, 0);
}

static void
test_rename_remove (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(PbProjectList) list = pb_project_list_new_with_secrets (fixture->settings, fixture->secrets);
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(PbProjectConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_name = pb_random_value ("Renamed");
  g_autofree char *id = NULL;
  g_autoptr(GVariant) saved = NULL;
  const char *saved_name;
  char *key;

  config = add_project (fixture, list, NULL, pb_test_server_get_url (fixture->server),
                        pb_test_server_get_admin_key (fixture->server, 0), &error);
  g_assert_no_error (error);
  id = g_strdup (pb_project_config_get_id (config));
  pb_project_list_set_last_project (list, id);
  g_assert_true (pb_project_list_get_last_project (list) == config);

  gt_signal_logger_connect (logger, list, "items-changed");
  gt_signal_logger_connect (logger, config, "notify::name");

  g_assert_true (pb_project_list_rename (list, id, new_name, &error));
  g_assert_no_error (error);
  gt_signal_logger_assert_notify_emission_pop (logger, config, "name");
  pb_assert_items_changed (logger, list, 0, 1, 1);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpstr (pb_project_config_get_name (config), ==, new_name);
  saved = g_settings_get_value (fixture->settings, "projects");
  g_variant_get_child (saved, 0, "(&s&s&s&s)", NULL, &saved_name, NULL, NULL);
  g_assert_cmpstr (saved_name, ==, new_name);

  /* A blank name is refused and changes nothing. */
  g_assert_false (pb_project_list_rename (list, id, "   ", &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpstr (pb_project_config_get_name (config), ==, new_name);

  g_assert_false (pb_project_list_rename (list, "no-such-project", "x", &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Remove clears the key from the keyring and forgets the project. */
  g_assert_true (remove_project (fixture, list, id, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (logger, list, 0, 1, 0);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpuint (n_saved (fixture->settings), ==, 0);
  g_assert_null (pb_project_list_get_last_project (list));
  {
    g_autofree char *last = g_settings_get_string (fixture->settings, "last-project");

    g_assert_cmpstr (last, ==, "");
  }

  pb_secrets_lookup_api_key_async (fixture->secrets, pb_test_server_get_url (fixture->server),
                                   id, NULL, pb_waiter_cb, fixture->waiter);
  key = pb_secrets_lookup_api_key_finish (fixture->secrets, pb_waiter_wait (fixture->waiter),
                                          &error);
  g_assert_no_error (error);
  g_assert_null (key);

  key = get_api_key (fixture, list, id, &error);
  g_assert_null (key);
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
}

static void
test_session_project (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(PbProjectList) list = NULL;
  g_autoptr(PbProjectConfig) config = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *url = pb_test_server_get_url (fixture->server);

  g_setenv ("PLUGBOARD_BACKEND_URL", url, TRUE);
  g_setenv ("PLUGBOARD_API_KEY", pb_test_server_get_admin_key (fixture->server, 1), TRUE);
  list = pb_project_list_new_with_secrets (fixture->settings, fixture->secrets);
  g_unsetenv ("PLUGBOARD_BACKEND_URL");
  g_unsetenv ("PLUGBOARD_API_KEY");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  config = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (pb_project_config_get_session_only (config));
  g_assert_cmpstr (pb_project_config_get_id (config), ==, PB_PROJECT_LIST_SESSION_ID);
  g_assert_cmpstr (pb_project_config_get_url (config), ==, url);
  g_assert_nonnull (strstr (pb_project_config_get_name (config), url));

  /* Never saved: neither in settings nor in the keyring. */
  g_assert_cmpuint (n_saved (fixture->settings), ==, 0);
  pb_secrets_lookup_api_key_async (fixture->secrets, url, PB_PROJECT_LIST_SESSION_ID, NULL,
                                   pb_waiter_cb, fixture->waiter);
  key = pb_secrets_lookup_api_key_finish (fixture->secrets, pb_waiter_wait (fixture->waiter),
                                          &error);
  g_assert_no_error (error);
  g_assert_null (key);

  /* But it works. */
  pb_project_list_open_client_async (list, PB_PROJECT_LIST_SESSION_ID, NULL, pb_waiter_cb,
                                     fixture->waiter);
  client = pb_project_list_open_client_finish (list, pb_waiter_wait (fixture->waiter), &error);
  g_assert_no_error (error);
  pb_client_get_project_async (client, NULL, pb_waiter_cb, fixture->waiter);
  project = pb_client_get_project_finish (client, pb_waiter_wait (fixture->waiter),
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_project_get_id (project), ==,
                   json_object_get_string_member (pb_test_server_get_project (fixture->server, 1),
                                                  "id"));

  /* Renaming it stays in memory. */
  g_assert_true (pb_project_list_rename (list, PB_PROJECT_LIST_SESSION_ID, "Scratch", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_saved (fixture->settings), ==, 0);

  /* A saved project comes after it; a list made without the variables has only that one. */
  {
    g_autoptr(PbProjectConfig) saved = NULL;
    g_autoptr(PbProjectList) plain = NULL;

    saved = add_project (fixture, list, NULL, url,
                         pb_test_server_get_admin_key (fixture->server, 0), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
    plain = pb_project_list_new_with_secrets (fixture->settings, fixture->secrets);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (plain)), ==, 1);
    g_assert_nonnull (pb_project_list_find (plain, pb_project_config_get_id (saved)));
    g_assert_null (pb_project_list_find (plain, PB_PROJECT_LIST_SESSION_ID));
    g_assert_true (remove_project (fixture, list, pb_project_config_get_id (saved), &error));
    g_assert_no_error (error);
  }

  g_assert_true (remove_project (fixture, list, PB_PROJECT_LIST_SESSION_ID, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
}

static void
test_keyring_unavailable (Fixture       *fixture,
                          gconstpointer  user_data)
{
  if (g_test_subprocess ())
    {
      /* A session bus without a keyring: no project can be added (its key would have
       * nowhere to go), and none removed (its key would stay behind for good). */
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(PbProjectList) list = NULL;
      g_autoptr(PbProjectConfig) config = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *key = NULL;
      const char *url = pb_test_server_get_url (fixture->server);

      g_test_dbus_up (bus);
      g_settings_set_value (fixture->settings, "projects",
                            g_variant_new_parsed ("[('saved-id', 'Saved', %s, 'prj')]", url));
      list = pb_project_list_new_with_secrets (fixture->settings, fixture->secrets);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

      config = add_project (fixture, list, NULL, url,
                            pb_test_server_get_admin_key (fixture->server, 0), &error);
      g_assert_null (config);
      g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_UNAVAILABLE);
      g_printerr ("add: %s\n", error->message);
      g_clear_error (&error);
      g_assert_cmpuint (n_saved (fixture->settings), ==, 1);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

      g_assert_false (remove_project (fixture, list, "saved-id", &error));
      g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_UNAVAILABLE);
      g_clear_error (&error);
      g_assert_nonnull (pb_project_list_find (list, "saved-id"));
      g_assert_cmpuint (n_saved (fixture->settings), ==, 1);

      key = get_api_key (fixture, list, "saved-id", &error);
      g_assert_null (key);
      g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_UNAVAILABLE);

      stop_private_bus (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*add: No keyring is available*");
}

/* The backend's project id is kept in the settings, for opening from the cache offline. */
static void
test_set_project_id (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(PbProjectList) list = pb_project_list_new_with_secrets (fixture->settings, fixture->secrets);
  g_autoptr(PbProjectList) again = NULL;
  g_autoptr(PbProjectConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *project_id = g_uuid_string_random ();
  g_autoptr(GVariant) saved = NULL;
  const char *saved_id;
  GListModel *model;

  config = add_project (fixture, list, NULL, pb_test_server_get_url (fixture->server),
                        pb_test_server_get_admin_key (fixture->server, 0), &error);
  g_assert_no_error (error);
  g_assert_nonnull (pb_project_config_get_project_id (config));

  g_assert_true (pb_project_list_set_project_id (list, pb_project_config_get_id (config),
                                                 project_id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pb_project_config_get_project_id (config), ==, project_id);
  saved = g_settings_get_value (fixture->settings, "projects");
  g_variant_get_child (saved, 0, "(&s&s&s&s)", NULL, NULL, NULL, &saved_id);
  g_assert_cmpstr (saved_id, ==, project_id);

  /* Read back by a new list, as at the next start. */
  again = pb_project_list_new_with_secrets (fixture->settings, fixture->secrets);
  model = G_LIST_MODEL (again);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);
  {
    g_autoptr(PbProjectConfig) read = g_list_model_get_item (model, 0);

    g_assert_cmpstr (pb_project_config_get_project_id (read), ==, project_id);
  }

  g_assert_false (pb_project_list_set_project_id (list, "no-such-project", project_id, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_unsetenv ("PLUGBOARD_BACKEND_URL");
  g_unsetenv ("PLUGBOARD_API_KEY");

  g_test_add ("/projects/add", Fixture, NULL, fixture_set_up, test_add, fixture_tear_down);
  g_test_add ("/projects/add-refused", Fixture, NULL, fixture_set_up, test_add_refused,
              fixture_tear_down);
  g_test_add ("/projects/rename-remove", Fixture, NULL, fixture_set_up, test_rename_remove,
              fixture_tear_down);
  g_test_add ("/projects/session", Fixture, NULL, fixture_set_up, test_session_project,
              fixture_tear_down);
  g_test_add ("/projects/set-project-id", Fixture, NULL, fixture_set_up, test_set_project_id,
              fixture_tear_down);
  g_test_add ("/projects/keyring-unavailable", Fixture, NULL, fixture_set_up,
              test_keyring_unavailable, fixture_tear_down);

  return g_test_run ();
}
