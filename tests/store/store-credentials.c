/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <string.h>

#include "pb-store-error.h"
#include "store-fixture.h"

/* Credentials: set and cleared, kept in the keyring when the server refuses them, dropped
 * with a change of authentication type, and never sent when no keyring can keep them. */

void
test_set_credentials (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbOperation) set = NULL;
  g_autoptr(PbOperation) platform = NULL;
  g_autoptr(PbOperation) replay = NULL;
  g_autofree char *secret = pb_random_value ("lever");
  g_autofree char *kept = NULL;
  g_autoptr(GHashTable) typed = values_new ("client_secret", secret, NULL);
  const char * const fields[] = { "client_secret", NULL };
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint position;
  const char *id;

  /* Lever's integration uses its own OAuth app: the client secret is the integration's. */
  original = g_object_ref (find_row (fixture, "lever", NULL, &position));
  id = pb_integration_get_id (original);
  g_assert_cmpint (pb_integration_get_oauth_app (original), ==, PB_OAUTH_APP_OWN);

  watch_models (fixture);
  set = pb_operation_new_set_credentials (id, pb_integration_get_version (original), fields,
                                          NULL);
  g_assert_true (apply (fixture, set, typed, &answer, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  assert_hint_matches (answer, "client_secret", secret);
  kept = keyring_value (fixture, id, "client_secret");
  assert_secret_equal (kept, secret);
  g_clear_pointer (&kept, g_free);

  /* A replayed operation without a table takes the value from the keyring. */
  replay = pb_operation_new_set_credentials (id, pb_integration_get_version (answer), fields,
                                             NULL);
  g_clear_object (&answer);
  g_assert_true (apply (fixture, replay, NULL, &answer, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  assert_hint_matches (answer, "client_secret", secret);

  /* On the platform's app the server erases the client secret; this machine forgets it. */
  platform = pb_operation_new_update (id, pb_integration_get_version (answer), NULL, NULL);
  pb_operation_set_oauth_app (platform, PB_OAUTH_APP_PLATFORM);
  g_clear_object (&answer);
  g_assert_true (apply (fixture, platform, NULL, &answer, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  g_assert_cmpint (pb_integration_get_oauth_app (answer), ==, PB_OAUTH_APP_PLATFORM);
  {
    PbSecretState *state = g_hash_table_lookup (pb_integration_get_secrets (answer),
                                                "client_secret");

    g_assert_true (state == NULL || !state->set);
  }
  kept = keyring_value (fixture, id, "client_secret");
  g_assert_null (kept);

  /* None here for a field never stored: a clear error, nothing sent. */
  {
    const char * const unknown[] = { "no_such_field", NULL };
    g_autoptr(PbOperation) missing = pb_operation_new_set_credentials (id, -1, unknown, NULL);

    g_assert_false (apply (fixture, missing, NULL, NULL, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "no_such_field"));
    g_clear_error (&error);
  }
}

void
test_refused_keeps_keyring (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbIntegration) on_server = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GHashTable) typed = NULL;
  const char * const fields[] = { "client_secret", NULL };
  JsonObject *problems;
  guint position;

  original = g_object_ref (find_row (fixture, "lever", NULL, &position));
  {
    g_autofree char *random = pb_random_value ("x");
    g_autofree char *filler = g_strnfill (8200, 'k');

    too_long = g_strconcat (filler, random, NULL);
  }
  typed = values_new ("client_secret", too_long, NULL);

  watch_models (fixture);
  op = pb_operation_new_set_credentials (pb_integration_get_id (original),
                                         pb_integration_get_version (original), fields, NULL);
  g_assert_false (apply (fixture, op, typed, NULL, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_VALIDATION);
  g_assert_cmpstr (pb_api_error_get_code (error), ==, "validation_failed");
  problems = pb_api_error_get_fields (error);
  g_assert_nonnull (problems);
  g_assert_true (json_object_has_member (problems, "secrets.client_secret"));
  g_assert_null (strstr (error->message, too_long));

  /* What was typed is kept; the server and the models are unchanged. */
  kept = keyring_value (fixture, pb_integration_get_id (original), "client_secret");
  assert_secret_equal (kept, too_long);
  on_server = server_integration (fixture, pb_integration_get_id (original));
  g_assert_cmpint (pb_integration_get_version (on_server), ==,
                   pb_integration_get_version (original));
  g_assert_true (pb_store_find_integration (fixture->store, pb_integration_get_id (original),
                                            NULL) == original);
}

void
test_change_auth_type (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autofree char *value = pb_random_value ("bamboo");
  g_autofree char *old_key = pb_random_value ("end-user-key");
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint position;

  /* The OAuth one of BambooHR becomes an API key one. */
  original = g_object_ref (find_row (fixture, "bamboohr", is_plain_sibling, &position));
  g_assert_cmpstr (pb_integration_get_auth_type_key (original), ==, "oauth2");

  /* This machine keeps the OAuth secret of it, and an end user's API key an earlier version
   * of the app kept for the integration (it is each linked account's now). */
  {
    g_autoptr(GHashTable) kept = values_new ("client_secret", value, "api_key", old_key, NULL);

    pb_secrets_store_async (fixture->secrets, pb_store_get_backend (fixture->store),
                            pb_store_get_project_id (fixture->store),
                            pb_integration_get_id (original), kept, NULL, pb_waiter_cb,
                            fixture->waiter);
    g_assert_true (pb_secrets_store_finish (fixture->secrets, pb_waiter_wait (fixture->waiter),
                                            &error));
    g_assert_no_error (error);
  }

  watch_models (fixture);
  /* The API key type has nothing for the admin to enter. */
  op = pb_operation_new_change_auth_type (pb_integration_get_id (original),
                                          pb_integration_get_version (original), "api_key",
                                          NULL, NULL);
  g_assert_true (apply (fixture, op, NULL, &answer, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  g_assert_cmpstr (pb_integration_get_auth_type_key (answer), ==, "api_key");
  g_assert_cmpint (pb_integration_get_oauth_app (answer), ==, PB_OAUTH_APP_NONE);
  /* The OAuth type's fields are gone. */
  g_assert_null (g_hash_table_lookup (pb_integration_get_config (answer), "client_id"));
  {
    PbSecretState *state = g_hash_table_lookup (pb_integration_get_secrets (answer),
                                                "client_secret");

    g_assert_true (state == NULL || !state->set);
  }
  /* The server dropped the OAuth secret; so does this machine, and the end user's key. */
  {
    g_autofree char *kept = keyring_value (fixture, pb_integration_get_id (original),
                                           "client_secret");

    g_assert_null (kept);
    g_free (kept);
    kept = keyring_value (fixture, pb_integration_get_id (original), "api_key");
    g_assert_null (kept);
  }
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

void
test_keyring_first (Fixture       *fixture,
                    gconstpointer  user_data)
{
  if (g_test_subprocess ())
    {
      /* A session bus without any keyring on it: the credentials cannot be kept, so they
       * must not be sent either. */
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(GError) error = NULL;
      g_autoptr(PbIntegration) original = NULL;
      g_autoptr(PbIntegration) on_server = NULL;
      g_autoptr(PbOperation) op = NULL;
      g_autofree char *value = pb_random_value ("lever");
      g_autoptr(GHashTable) typed = values_new ("client_secret", value, NULL);
      const char * const fields[] = { "client_secret", NULL };

      g_test_dbus_up (bus);
      original = g_object_ref (find_row (fixture, "lever", NULL, NULL));
      watch_models (fixture);
      op = pb_operation_new_set_credentials (pb_integration_get_id (original),
                                             pb_integration_get_version (original), fields,
                                             NULL);
      g_assert_false (apply (fixture, op, typed, NULL, &error));
      g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_UNAVAILABLE);
      g_printerr ("apply: %s\n", error->message);

      on_server = server_integration (fixture, pb_integration_get_id (original));
      g_assert_cmpint (pb_integration_get_version (on_server), ==,
                       pb_integration_get_version (original));
      stop_private_bus (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*apply: No keyring is available*");
}
