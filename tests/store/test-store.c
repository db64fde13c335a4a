/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <string.h>

#include "pb-store.h"
#include "pb-store-error.h"
#include "pb-store-test-util.h"
#include "pb-test-server.h"

/* PbStore end to end: a fresh `plugboard-server demo` per test, the session keyring, and
 * GtSignalLogger asserting the exact items-changed and notify emissions of the models.
 * Expected values come from the server (through a second client) or from values made up
 * per run, never from constants. */

typedef struct
{
  PbTestServer *server;
  PbClient     *client;    /* the store's */
  PbClient     *observer;  /* a second client, to check what the server holds */
  PbSecrets    *secrets;
  PbStore      *store;
  PbWaiter     *waiter;
  GtSignalLogger *logger;
  guint         synced;    /* "synced" emissions of the store */
} Fixture;

static void wait_synced (Fixture *fixture, guint n);
static void on_synced_count_cb (PbStore *store, guint *count);

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  guint project = GPOINTER_TO_UINT (user_data);

  fixture->server = pb_test_server_start_demo (NULL, &error);
  g_assert_no_error (error);
  fixture->client = pb_client_new (pb_test_server_get_url (fixture->server),
                                   pb_test_server_get_admin_key (fixture->server, project));
  fixture->observer = pb_client_new (pb_test_server_get_url (fixture->server),
                                     pb_test_server_get_admin_key (fixture->server, project));
  fixture->secrets = pb_secrets_new ();
  fixture->store = pb_store_new (fixture->client, fixture->secrets,
                                 pb_test_server_get_url (fixture->server), NULL);
  fixture->waiter = pb_waiter_new ();
  fixture->logger = gt_signal_logger_new ();
  g_signal_connect (fixture->store, "synced", G_CALLBACK (on_synced_count_cb),
                    &fixture->synced);

  pb_store_load_async (fixture->store, NULL, pb_waiter_cb, fixture->waiter);
  pb_store_load_finish (fixture->store, pb_waiter_wait (fixture->waiter), NULL, &error);
  g_assert_no_error (error);
  /* The sync starts with the load: its first replay finds nothing to send and, the cache
   * being fresh from the load, does not refetch it. */
  wait_synced (fixture, 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* Every test must have looked at every emission. */
  gt_signal_logger_assert_no_emissions (fixture->logger);
  g_clear_pointer (&fixture->logger, gt_signal_logger_free);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->observer);
  g_clear_object (&fixture->secrets);
  g_clear_pointer (&fixture->waiter, pb_waiter_free);
  g_clear_pointer (&fixture->server, pb_test_server_stop);
}

/* Helpers */

static void
watch_models (Fixture *fixture)
{
  GListModel *categories = pb_store_get_categories (fixture->store);

  gt_signal_logger_connect (fixture->logger, pb_store_get_integrations (fixture->store),
                            "items-changed");
  for (guint i = 0; i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (categories, i);

      gt_signal_logger_connect (fixture->logger, category, "notify");
    }
}

static void
on_synced_count_cb (PbStore *store,
                    guint   *count)
{
  (*count)++;
}

static gboolean
on_wait_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until the store's sync emitted "synced" @n times (counted by
 * fixture->synced), or 10 s passed. */
static void
wait_synced (Fixture *fixture,
             guint    n)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, on_wait_timeout_cb, &timed_out);

  while (fixture->synced < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_cmpuint (fixture->synced, >=, n);
}

/* Applies @operation; a change that went to the server is followed by the sync's refresh
 * of the cache ("synced"), so the models have settled when this returns. */
static gboolean
apply (Fixture        *fixture,
       PbOperation    *operation,
       GHashTable     *secrets,
       PbIntegration **out_integration,
       PbApiFailure  **out_failure,
       GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  guint before = fixture->synced;
  gboolean ok;

  pb_store_apply_async (fixture->store, operation, secrets, NULL, pb_waiter_cb,
                        fixture->waiter);
  ok = pb_store_apply_finish (fixture->store, pb_waiter_wait (fixture->waiter),
                              out_integration, out_failure, &local_error);
  /* Refusals found before anything was queued (rules, too long a value, keyring) do not
   * start the sync. */
  if (ok || g_error_matches (local_error, PB_API_ERROR, PB_API_ERROR_VERSION_MISMATCH) ||
      g_error_matches (local_error, PB_API_ERROR, PB_API_ERROR_FORBIDDEN) ||
      g_error_matches (local_error, PB_API_ERROR, PB_API_ERROR_CONFLICT))
    wait_synced (fixture, before + 1);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

static PbIntegration *
server_integration (Fixture    *fixture,
                    const char *id)
{
  g_autoptr(GError) error = NULL;
  PbIntegration *integration;

  pb_client_get_integration_async (fixture->observer, id, NULL, pb_waiter_cb, fixture->waiter);
  integration = pb_client_get_integration_finish (fixture->observer,
                                                  pb_waiter_wait (fixture->waiter), NULL,
                                                  &error);
  g_assert_no_error (error);
  return integration;
}

static char *
keyring_value (Fixture    *fixture,
               const char *integration_id,
               const char *field)
{
  g_autoptr(GError) error = NULL;
  char *value, *copy;

  pb_store_lookup_secret_async (fixture->store, integration_id, field, NULL, pb_waiter_cb,
                                fixture->waiter);
  value = pb_store_lookup_secret_finish (fixture->store, pb_waiter_wait (fixture->waiter),
                                         &error);
  g_assert_no_error (error);
  /* Keyring memory goes back through secret_password_free(); the tests use g_free(). */
  copy = g_strdup (value);
  secret_password_free (value);
  return copy;
}

/* Compares without printing: these are credentials. */
static void
assert_secret_equal (const char *value,
                     const char *expected)
{
  if (expected == NULL)
    g_assert_true (value == NULL);
  else
    g_assert_true (value != NULL && strcmp (value, expected) == 0);
}

/* The hint the server keeps for a value ("…" + its last four characters). */
static void
assert_hint_matches (PbIntegration *integration,
                     const char    *field,
                     const char    *value)
{
  PbSecretState *state = g_hash_table_lookup (pb_integration_get_secrets (integration), field);
  const char *tail = value + strlen (value) - 4;

  g_assert_nonnull (state);
  g_assert_true (state->set);
  g_assert_nonnull (state->hint);
  g_assert_true (g_str_has_suffix (state->hint, tail));
}

/* Finds an integration of @connector whose properties match; returns its row. */
static PbIntegration *
find_row (Fixture    *fixture,
          const char *connector,
          gboolean  (*match) (PbIntegration *integration),
          guint      *out_position)
{
  GListModel *model = pb_store_get_integrations (fixture->store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (model, i);

      if (g_strcmp0 (pb_integration_get_connector_key (integration), connector) == 0 &&
          (match == NULL || match (integration)))
        {
          if (out_position)
            *out_position = i;
          return integration;
        }
    }
  g_assert_not_reached ();
  return NULL;
}

static gboolean
is_default (PbIntegration *integration)
{
  return pb_integration_get_is_default (integration);
}

static gboolean
is_plain_sibling (PbIntegration *integration)
{
  /* Not the default, no linked accounts: deletable, may be made default. */
  return !pb_integration_get_is_default (integration) &&
         pb_integration_get_accounts_total (integration) == 0;
}

static gboolean
has_accounts (PbIntegration *integration)
{
  return pb_integration_get_accounts_total (integration) > 0 &&
         pb_integration_get_active (integration);
}

static guint
position_of (Fixture    *fixture,
             const char *id)
{
  guint position = G_MAXUINT;

  g_assert_nonnull (pb_store_find_integration (fixture->store, id, &position));
  return position;
}

static void
assert_sorted (Fixture *fixture)
{
  GListModel *model = pb_store_get_integrations (fixture->store);

  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbIntegration) a = g_list_model_get_item (model, i - 1);
      g_autoptr(PbIntegration) b = g_list_model_get_item (model, i);
      g_autofree char *la = g_utf8_casefold (pb_integration_get_connector_label (a), -1);
      g_autofree char *lb = g_utf8_casefold (pb_integration_get_connector_label (b), -1);
      int order = g_utf8_collate (la, lb);

      if (order == 0)
        {
          g_autofree char *na = g_utf8_casefold (pb_integration_get_name (a), -1);
          g_autofree char *nb = g_utf8_casefold (pb_integration_get_name (b), -1);

          order = g_utf8_collate (na, nb);
        }
      g_assert_cmpint (order, <=, 0);
    }
}

/* Expects notify::count on the categories of @integration, in sidebar order. */
static void
assert_count_notifications (Fixture       *fixture,
                            PbIntegration *integration)
{
  const char * const *keys = pb_category_all_keys ();
  const char * const *in = pb_integration_get_categories (integration);

  for (guint i = 0; keys[i] != NULL; i++)
    if (g_strv_contains (in, keys[i]))
      gt_signal_logger_assert_notify_emission_pop (fixture->logger,
                                                   pb_store_find_category (fixture->store,
                                                                           keys[i]),
                                                   "count");
}

static GHashTable *
values_new (const char *first_key,
            ...)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;
  const char *key = first_key;

  va_start (args, first_key);
  while (key != NULL)
    {
      g_hash_table_insert (table, g_strdup (key), g_strdup (va_arg (args, const char *)));
      key = va_arg (args, const char *);
    }
  va_end (args);
  return table;
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

/* Tests */

static void
test_load (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) connectors = NULL;
  g_autoptr(PbProject) project = NULL;
  GListModel *categories = pb_store_get_categories (fixture->store);
  GListModel *model = pb_store_get_integrations (fixture->store);
  const char * const *keys = pb_category_all_keys ();
  guint n_unavailable = 0;

  /* The load asked for the project, the connectors and the integrations (one page in the
   * demo), the sync probed once (GET /project), and its first replay, with nothing to send
   * and the cache just filled, fetched nothing again. */
  g_assert_cmpuint (pb_client_get_n_requests (fixture->client), ==, 4);

  pb_client_get_project_async (fixture->observer, NULL, pb_waiter_cb, fixture->waiter);
  project = pb_client_get_project_finish (fixture->observer, pb_waiter_wait (fixture->waiter),
                                          NULL, &error);
  g_assert_no_error (error);
  pb_client_list_all_integrations_async (fixture->observer, NULL, NULL, pb_waiter_cb,
                                         fixture->waiter);
  integrations = pb_client_list_all_integrations_finish (fixture->observer,
                                                         pb_waiter_wait (fixture->waiter),
                                                         NULL, &error);
  g_assert_no_error (error);
  pb_client_list_all_connectors_async (fixture->observer, NULL, NULL, pb_waiter_cb,
                                       fixture->waiter);
  connectors = pb_client_list_all_connectors_finish (fixture->observer,
                                                     pb_waiter_wait (fixture->waiter), NULL,
                                                     &error);
  g_assert_no_error (error);

  g_assert_true (pb_store_get_loaded (fixture->store));
  g_assert_cmpstr (pb_store_get_project_id (fixture->store), ==, pb_project_get_id (project));
  g_assert_cmpuint (g_list_model_get_n_items (pb_store_get_connectors (fixture->store)), ==,
                    connectors->len);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, integrations->len);
  g_assert_cmpuint (integrations->len, >, 0);
  assert_sorted (fixture);
  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (integrations, i);

      g_assert_nonnull (pb_store_find_integration (fixture->store,
                                                   pb_integration_get_id (integration), NULL));
      g_assert_nonnull (pb_store_find_connector (fixture->store,
                                                 pb_integration_get_connector_key (integration)));
    }

  /* The twelve categories, in order, with counts and the plan's availability. */
  g_assert_cmpuint (g_list_model_get_n_items (categories), ==, g_strv_length ((char **) keys));
  for (guint c = 0; keys[c] != NULL; c++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (categories, c);
      guint expected = 0;

      g_assert_cmpstr (pb_category_get_key (category), ==, keys[c]);
      for (guint i = 0; i < integrations->len; i++)
        if (g_strv_contains (pb_integration_get_categories (g_ptr_array_index (integrations, i)),
                             keys[c]))
          expected++;
      g_assert_cmpuint (pb_category_get_count (category), ==, expected);
      g_assert_cmpint (pb_category_get_available (category), ==,
                       pb_project_has_category (project, keys[c]));
      if (!pb_category_get_available (category))
        {
          n_unavailable++;
          g_assert_nonnull (strstr (pb_category_get_unavailable_reason (category), "plan"));
        }
      else
        g_assert_null (pb_category_get_unavailable_reason (category));
    }
  g_assert_cmpuint (n_unavailable, >, 0);
  g_assert_cmpstr (pb_category_get_label (pb_store_find_category (fixture->store, "hris")), ==,
                   "HRIS");

  /* Loading again with nothing changed emits nothing. */
  gt_signal_logger_connect (fixture->logger, model, "items-changed");
  pb_store_load_async (fixture->store, NULL, pb_waiter_cb, fixture->waiter);
  g_assert_true (pb_store_load_finish (fixture->store, pb_waiter_wait (fixture->waiter), NULL,
                                       &error));
  g_assert_no_error (error);
  gt_signal_logger_assert_no_emissions (fixture->logger);
}

/* Someone else changes the project; a reload brings exactly those rows up to date. */
static void
test_reload_precise (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) renamed = NULL;
  g_autoptr(PbIntegration) deleted = NULL;
  g_autoptr(PbIntegration) created = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) secrets = json_object_new ();
  g_autofree char *suffix = pb_random_value ("by someone else");
  g_autofree char *new_name = NULL;
  g_autofree char *deleted_id = NULL;
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint renamed_position, deleted_position;

  renamed = g_object_ref (find_row (fixture, "greenhouse", NULL, &renamed_position));
  deleted = g_object_ref (find_row (fixture, "bamboohr", is_plain_sibling, &deleted_position));
  deleted_id = g_strdup (pb_integration_get_id (deleted));
  g_assert_cmpuint (deleted_position, <, renamed_position);

  new_name = g_strconcat (pb_integration_get_name (renamed), " ", suffix, NULL);
  json_object_set_string_member (patch, "name", new_name);
  pb_client_update_integration_async (fixture->observer, pb_integration_get_id (renamed), patch,
                                      -1, NULL, pb_waiter_cb, fixture->waiter);
  g_clear_object (&renamed);
  renamed = pb_client_update_integration_finish (fixture->observer,
                                                 pb_waiter_wait (fixture->waiter), NULL,
                                                 &error);
  g_assert_no_error (error);

  pb_client_delete_integration_async (fixture->observer, deleted_id, -1, NULL, pb_waiter_cb,
                                      fixture->waiter);
  g_assert_true (pb_client_delete_integration_finish (fixture->observer,
                                                      pb_waiter_wait (fixture->waiter), NULL,
                                                      &error));
  g_assert_no_error (error);

  json_object_set_string_member (body, "connector_key", "zendesk");
  json_object_set_string_member (body, "authentication_config_key", "api_token");
  json_object_set_object_member (body, "config", json_object_new ());
  json_object_set_string_member (json_object_get_object_member (body, "config"), "email",
                                 "ops@example.com");
  json_object_set_string_member (json_object_get_object_member (body, "config"), "subdomain",
                                 "acme");
  json_object_set_string_member (secrets, "api_token", suffix);
  json_object_set_object_member (body, "secrets", json_object_ref (secrets));
  pb_client_create_integration_async (fixture->observer, body, NULL, pb_waiter_cb,
                                      fixture->waiter);
  created = pb_client_create_integration_finish (fixture->observer,
                                                 pb_waiter_wait (fixture->waiter), NULL,
                                                 &error);
  g_assert_no_error (error);

  watch_models (fixture);
  pb_store_load_async (fixture->store, NULL, pb_waiter_cb, fixture->waiter);
  g_assert_true (pb_store_load_finish (fixture->store, pb_waiter_wait (fixture->waiter), NULL,
                                       &error));
  g_assert_no_error (error);

  /* Removed first, then the renamed row (one up, after the removal), then the new one. */
  pb_assert_items_changed (fixture->logger, model, deleted_position, 1, 0);
  pb_assert_items_changed (fixture->logger, model, renamed_position - 1, 1, 1);
  g_assert_cmpuint (position_of (fixture, pb_integration_get_id (renamed)), ==,
                    renamed_position - 1);
  pb_assert_items_changed (fixture->logger, model,
                           position_of (fixture, pb_integration_get_id (created)), 0, 1);
  /* hris and lms lost one (BambooHR), ticketing gained one (Zendesk). */
  assert_count_notifications (fixture, deleted);
  assert_count_notifications (fixture, created);
  g_assert_null (pb_store_find_integration (fixture->store, deleted_id, NULL));
  {
    PbIntegration *now = pb_store_find_integration (fixture->store,
                                                    pb_integration_get_id (renamed), NULL);

    g_assert_cmpstr (pb_integration_get_name (now), ==, new_name);
  }
  assert_sorted (fixture);
}

static void
test_create (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbIntegration) on_server = NULL;
  g_autofree char *value = pb_random_value ("ashby-key");
  g_autofree char *name = pb_random_value ("Ashby");
  g_autofree char *kept = NULL;
  g_autoptr(GHashTable) typed = values_new ("api_key", value, NULL);
  const char * const fields[] = { "api_key", NULL };
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint n_before = g_list_model_get_n_items (model);
  guint ats_before = pb_category_get_count (pb_store_find_category (fixture->store, "ats"));

  watch_models (fixture);
  op = pb_operation_new_create ("ashby", "api_key", name, FALSE, NULL, fields);
  g_assert_true (g_uuid_string_is_valid (pb_operation_get_integration_id (op)));
  g_assert_false (json_object_has_member (pb_operation_get_payload (op), "secrets"));

  g_assert_true (apply (fixture, op, typed, &answer, NULL, &error));
  g_assert_no_error (error);

  /* The client's id is kept; not the default (Ashby had one already). */
  g_assert_cmpstr (pb_integration_get_id (answer), ==, pb_operation_get_integration_id (op));
  g_assert_cmpstr (pb_integration_get_name (answer), ==, name);
  g_assert_false (pb_integration_get_is_default (answer));
  g_assert_true (pb_integration_get_active (answer));

  /* One row inserted where the order wants it, and the counts of its categories. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before + 1);
  pb_assert_items_changed (fixture->logger, model,
                           position_of (fixture, pb_integration_get_id (answer)), 0, 1);
  assert_count_notifications (fixture, answer);
  g_assert_cmpuint (pb_category_get_count (pb_store_find_category (fixture->store, "ats")), ==,
                    ats_before + 1);
  assert_sorted (fixture);

  /* The credential is in the keyring under the new id and reached the server. */
  kept = keyring_value (fixture, pb_integration_get_id (answer), "api_key");
  assert_secret_equal (kept, value);
  on_server = server_integration (fixture, pb_integration_get_id (answer));
  assert_hint_matches (on_server, "api_key", value);

  /* A repeated create (same id, same request) is harmless: the server answers the same
   * integration, so the row (equal) is left alone. */
  {
    g_autoptr(PbIntegration) again = NULL;

    g_assert_true (apply (fixture, op, typed, &again, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (pb_integration_get_id (again), ==, pb_integration_get_id (answer));
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before + 1);
    gt_signal_logger_assert_no_emissions (fixture->logger);
    g_assert_cmpuint (pb_store_get_n_pending (fixture->store), ==, 0);
  }
}

static void
test_create_default (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbIntegration) previous = NULL;
  g_autofree char *value = pb_random_value ("key");
  g_autoptr(GHashTable) typed = values_new ("api_key", value, NULL);
  const char * const fields[] = { "api_key", NULL };
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint previous_position;
  g_autofree char *previous_id = NULL;

  previous = g_object_ref (find_row (fixture, "ashby", is_default, &previous_position));
  previous_id = g_strdup (pb_integration_get_id (previous));

  watch_models (fixture);
  /* "ZZ…" sorts after the current default, so the default's row does not move. */
  op = pb_operation_new_create ("ashby", "api_key", "ZZ new default", TRUE, NULL, fields);
  g_assert_true (apply (fixture, op, typed, &answer, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pb_integration_get_is_default (answer));

  /* Two precise emissions, in row order: the previous default's row, then the new row. */
  g_assert_cmpuint (position_of (fixture, previous_id), ==, previous_position);
  pb_assert_items_changed (fixture->logger, model, previous_position, 1, 1);
  pb_assert_items_changed (fixture->logger, model,
                           position_of (fixture, pb_integration_get_id (answer)), 0, 1);
  assert_count_notifications (fixture, answer);
  /* Then the previous default's new version, from the sync's refresh. */
  pb_assert_items_changed (fixture->logger, model, previous_position, 1, 1);

  g_assert_false (pb_integration_get_is_default (pb_store_find_integration (fixture->store,
                                                                            previous_id,
                                                                            NULL)));
  g_assert_cmpint (pb_integration_get_version (pb_store_find_integration (fixture->store,
                                                                          previous_id, NULL)),
                   >, pb_integration_get_version (previous));
}

static void
test_update (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbIntegration) moved = NULL;
  g_autoptr(PbOperation) rename = NULL;
  g_autoptr(PbOperation) move = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autofree char *subdomain = pb_random_value ("acme");
  g_autofree char *same_place = NULL;
  g_autofree char *id = NULL;
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint position, first_of_group;

  /* The last BambooHR one (no accounts, not the default). */
  original = g_object_ref (find_row (fixture, "bamboohr", is_plain_sibling, &position));
  find_row (fixture, "bamboohr", NULL, &first_of_group);
  g_assert_cmpuint (first_of_group, <, position);
  id = g_strdup (pb_integration_get_id (original));

  /* A longer name sorts right after the old one: the row stays where it is. */
  same_place = g_strconcat (pb_integration_get_name (original), " (edited)", NULL);
  watch_models (fixture);
  json_object_set_string_member (config, "subdomain", subdomain);
  rename = pb_operation_new_update (id, pb_integration_get_version (original), same_place,
                                    config);
  g_assert_true (apply (fixture, rename, NULL, &answer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_name (answer), ==, same_place);
  g_assert_cmpstr (g_hash_table_lookup (pb_integration_get_config (answer), "subdomain"), ==,
                   subdomain);
  g_assert_cmpint (pb_integration_get_version (answer), >,
                   pb_integration_get_version (original));
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  g_assert_true (pb_store_find_integration (fixture->store, id, NULL) == answer);

  /* A name that sorts first in its connector's group: out of its row, into the group's
   * first one. */
  move = pb_operation_new_update (id, pb_integration_get_version (answer), "000 first", NULL);
  g_assert_true (apply (fixture, move, NULL, &moved, NULL, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 0);
  g_assert_cmpuint (position_of (fixture, id), ==, first_of_group);
  pb_assert_items_changed (fixture->logger, model, first_of_group, 0, 1);
  assert_sorted (fixture);
  /* No category changed its count. */
}

static void
test_stale_version (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(PbOperation) first = NULL;
  g_autoptr(PbOperation) stale = NULL;
  g_autoptr(PbIntegration) original = NULL;
  guint position;

  original = g_object_ref (find_row (fixture, "bamboohr", is_plain_sibling, &position));
  first = pb_operation_new_update (pb_integration_get_id (original),
                                   pb_integration_get_version (original), "First edit", NULL);
  g_assert_true (apply (fixture, first, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Another change made on the version we had before: 412 with the current one. */
  watch_models (fixture);
  stale = pb_operation_new_update (pb_integration_get_id (original),
                                   pb_integration_get_version (original), "Second edit", NULL);
  g_assert_false (apply (fixture, stale, NULL, NULL, &failure, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_VERSION_MISMATCH);
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 412);
  g_assert_nonnull (pb_api_failure_get_current (failure));
  g_assert_cmpstr (json_object_get_string_member (pb_api_failure_get_current (failure), "name"),
                   ==, "First edit");
  /* The change waits in the queue as a conflict for the admin to resolve; the row shows it
   * (mine on top of theirs) until then. */
  g_assert_cmpuint (pb_store_get_n_pending (fixture->store), ==, 1);
  {
    g_autoptr(PbOutboxEntry) entry = g_list_model_get_item (pb_store_get_pending (fixture->store), 0);

    g_assert_cmpint (pb_outbox_entry_get_state (entry), ==, PB_OUTBOX_STATE_CONFLICT);
    g_assert_true (pb_store_is_pending (fixture->store, pb_integration_get_id (original)));
  }
  pb_assert_items_changed (fixture->logger, pb_store_get_integrations (fixture->store),
                           position, 1, 1);
  g_assert_cmpstr (pb_integration_get_name (pb_store_find_integration (
                     fixture->store, pb_integration_get_id (original), NULL)), ==, "Second edit");
}

static void
test_set_credentials (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbOperation) set = NULL;
  g_autoptr(PbOperation) clear = NULL;
  g_autoptr(PbOperation) replay = NULL;
  g_autofree char *harvest = pb_random_value ("harvest");
  g_autofree char *board = pb_random_value ("board");
  g_autofree char *kept = NULL;
  g_autoptr(GHashTable) typed = values_new ("harvest_api_key", harvest,
                                            "job_board_api_key", board, NULL);
  const char * const fields[] = { "harvest_api_key", "job_board_api_key", NULL };
  const char * const cleared[] = { "job_board_api_key", NULL };
  const char * const harvest_only[] = { "harvest_api_key", NULL };
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint position;
  const char *id;

  original = g_object_ref (find_row (fixture, "greenhouse", NULL, &position));
  id = pb_integration_get_id (original);

  watch_models (fixture);
  set = pb_operation_new_set_credentials (id, pb_integration_get_version (original), fields,
                                          NULL);
  g_assert_true (apply (fixture, set, typed, &answer, NULL, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  assert_hint_matches (answer, "harvest_api_key", harvest);
  assert_hint_matches (answer, "job_board_api_key", board);
  kept = keyring_value (fixture, id, "harvest_api_key");
  assert_secret_equal (kept, harvest);
  g_clear_pointer (&kept, g_free);
  kept = keyring_value (fixture, id, "job_board_api_key");
  assert_secret_equal (kept, board);
  g_clear_pointer (&kept, g_free);

  /* Clearing the optional one. */
  clear = pb_operation_new_set_credentials (id, pb_integration_get_version (answer), NULL,
                                            cleared);
  g_clear_object (&answer);
  g_assert_true (apply (fixture, clear, NULL, &answer, NULL, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  {
    PbSecretState *state = g_hash_table_lookup (pb_integration_get_secrets (answer),
                                                "job_board_api_key");

    g_assert_true (state == NULL || !state->set);
  }
  /* … and this machine forgets it too. */
  kept = keyring_value (fixture, id, "job_board_api_key");
  g_assert_null (kept);
  kept = keyring_value (fixture, id, "harvest_api_key");
  assert_secret_equal (kept, harvest);
  g_clear_pointer (&kept, g_free);

  /* A replayed operation without a table takes the value from the keyring. */
  replay = pb_operation_new_set_credentials (id, pb_integration_get_version (answer),
                                             harvest_only, NULL);
  g_clear_object (&answer);
  g_assert_true (apply (fixture, replay, NULL, &answer, NULL, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  assert_hint_matches (answer, "harvest_api_key", harvest);

  /* None here for a field never stored: a clear error, nothing sent. */
  {
    const char * const unknown[] = { "no_such_field", NULL };
    g_autoptr(PbOperation) missing = pb_operation_new_set_credentials (id, -1, unknown, NULL);

    g_assert_false (apply (fixture, missing, NULL, NULL, NULL, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "no_such_field"));
    g_clear_error (&error);
  }
}

static void
test_refused_keeps_keyring (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbIntegration) on_server = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GHashTable) typed = NULL;
  const char * const fields[] = { "harvest_api_key", NULL };
  JsonObject *problems;
  guint position;

  original = g_object_ref (find_row (fixture, "greenhouse", NULL, &position));
  {
    g_autofree char *random = pb_random_value ("x");
    g_autofree char *filler = g_strnfill (8200, 'k');

    too_long = g_strconcat (filler, random, NULL);
  }
  typed = values_new ("harvest_api_key", too_long, NULL);

  watch_models (fixture);
  op = pb_operation_new_set_credentials (pb_integration_get_id (original),
                                         pb_integration_get_version (original), fields, NULL);
  g_assert_false (apply (fixture, op, typed, NULL, &failure, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_VALIDATION);
  g_assert_nonnull (failure);
  g_assert_cmpstr (failure->code, ==, "validation_failed");
  problems = pb_api_failure_get_fields (failure);
  g_assert_nonnull (problems);
  g_assert_true (json_object_has_member (problems, "secrets.harvest_api_key"));
  g_assert_null (strstr (error->message, too_long));

  /* What was typed is kept; the server and the models are unchanged. */
  kept = keyring_value (fixture, pb_integration_get_id (original), "harvest_api_key");
  assert_secret_equal (kept, too_long);
  on_server = server_integration (fixture, pb_integration_get_id (original));
  g_assert_cmpint (pb_integration_get_version (on_server), ==,
                   pb_integration_get_version (original));
  g_assert_true (pb_store_find_integration (fixture->store, pb_integration_get_id (original),
                                            NULL) == original);
}

static void
test_change_auth_type (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autofree char *value = pb_random_value ("bamboo");
  g_autofree char *subdomain = pb_random_value ("sub");
  g_autoptr(GHashTable) typed = values_new ("api_key", value, NULL);
  const char * const fields[] = { "api_key", NULL };
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint position;

  /* The OAuth one of BambooHR becomes an API key one. */
  original = g_object_ref (find_row (fixture, "bamboohr", is_plain_sibling, &position));
  g_assert_cmpstr (pb_integration_get_auth_type_key (original), ==, "oauth2");

  /* This machine keeps the OAuth secret of it. */
  {
    g_autoptr(GHashTable) oauth = values_new ("client_secret", value, NULL);

    pb_secrets_store_async (fixture->secrets, pb_store_get_backend (fixture->store),
                            pb_store_get_project_id (fixture->store),
                            pb_integration_get_id (original), oauth, NULL, pb_waiter_cb,
                            fixture->waiter);
    g_assert_true (pb_secrets_store_finish (fixture->secrets, pb_waiter_wait (fixture->waiter),
                                            &error));
    g_assert_no_error (error);
  }

  watch_models (fixture);
  json_object_set_string_member (config, "subdomain", subdomain);
  op = pb_operation_new_change_auth_type (pb_integration_get_id (original),
                                          pb_integration_get_version (original), "api_key",
                                          config, fields);
  g_assert_true (apply (fixture, op, typed, &answer, NULL, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  g_assert_cmpstr (pb_integration_get_auth_type_key (answer), ==, "api_key");
  assert_hint_matches (answer, "api_key", value);
  /* The OAuth type's fields are gone. */
  g_assert_null (g_hash_table_lookup (pb_integration_get_config (answer), "client_id"));
  {
    PbSecretState *state = g_hash_table_lookup (pb_integration_get_secrets (answer),
                                                "client_secret");

    g_assert_true (state == NULL || !state->set);
  }
  /* The server dropped the OAuth secret; so does this machine. The new key stays. */
  {
    g_autofree char *kept = keyring_value (fixture, pb_integration_get_id (original),
                                           "client_secret");

    g_assert_null (kept);
    g_free (kept);
    kept = keyring_value (fixture, pb_integration_get_id (original), "api_key");
    assert_secret_equal (kept, value);
  }
}

static void
test_enable_disable (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbIntegration) disabled = NULL;
  g_autoptr(PbIntegration) enabled = NULL;
  g_autoptr(PbOperation) disable = NULL;
  g_autoptr(PbOperation) enable = NULL;
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint position, total;

  original = g_object_ref (find_row (fixture, "bamboohr", has_accounts, &position));
  total = pb_integration_get_accounts_total (original);

  watch_models (fixture);
  gt_signal_logger_connect (fixture->logger, fixture->store, "applied");
  disable = pb_operation_new_simple (PB_OPERATION_DISABLE, pb_integration_get_id (original),
                                     pb_integration_get_version (original));
  g_assert_true (apply (fixture, disable, NULL, &disabled, NULL, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  {
    PbOperation *applied_op = NULL;
    PbIntegration *applied_integration = NULL;

    gt_signal_logger_assert_emission_pop (fixture->logger, fixture->store, "applied",
                                          &applied_op, &applied_integration);
    g_assert_true (applied_op == disable);
    g_assert_true (applied_integration == disabled);
    g_object_unref (applied_op);
    g_object_unref (applied_integration);
  }
  g_assert_false (pb_integration_get_active (disabled));
  g_assert_cmpuint (pb_integration_get_accounts_inactive (disabled), ==, total);
  g_assert_cmpuint (pb_integration_get_accounts_active (disabled), ==, 0);

  /* Its accounts, as the accounts model sees them. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    g_autoptr(PbPagedModel) accounts = NULL;
    guint added = 0;

    pb_query_set (query, "integration_id", pb_integration_get_id (original));
    accounts = pb_store_create_accounts_model (fixture->store, query, 0);
    pb_paged_model_load_more_async (accounts, NULL, pb_waiter_cb, fixture->waiter);
    g_assert_true (pb_paged_model_load_more_finish (accounts, pb_waiter_wait (fixture->waiter),
                                                    &added, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (added, ==, total);
    for (guint i = 0; i < added; i++)
      {
        g_autoptr(PbLinkedAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);

        g_assert_cmpint (pb_linked_account_get_status (account), ==, PB_ACCOUNT_STATUS_INACTIVE);
      }
  }

  enable = pb_operation_new_simple (PB_OPERATION_ENABLE, pb_integration_get_id (original),
                                    pb_integration_get_version (disabled));
  g_assert_true (apply (fixture, enable, NULL, &enabled, NULL, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  gt_signal_logger_assert_emission_pop (fixture->logger, fixture->store, "applied", NULL, NULL);
  g_assert_true (pb_integration_get_active (enabled));
  g_assert_cmpuint (pb_integration_get_accounts_active (enabled), ==, total);
}

static void
test_make_default (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) target = NULL;
  g_autoptr(PbIntegration) previous = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbOperation) op = NULL;
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint target_position, previous_position;
  PbIntegration *now_previous;

  previous = g_object_ref (find_row (fixture, "bamboohr", is_default, &previous_position));
  target = g_object_ref (find_row (fixture, "bamboohr", is_plain_sibling, &target_position));

  watch_models (fixture);
  op = pb_operation_new_simple (PB_OPERATION_MAKE_DEFAULT, pb_integration_get_id (target),
                                pb_integration_get_version (target));
  g_assert_true (apply (fixture, op, NULL, &answer, NULL, &error));
  g_assert_no_error (error);

  /* Two rows changed: two precise emissions, in row order, no reset. */
  g_assert_cmpuint (previous_position, <, target_position);
  pb_assert_items_changed (fixture->logger, model, previous_position, 1, 1);
  pb_assert_items_changed (fixture->logger, model, target_position, 1, 1);
  /* The cache marked the previous default as not the default with the acknowledgement; the
   * sync's refresh then brought the server's new version of it. */
  pb_assert_items_changed (fixture->logger, model, previous_position, 1, 1);
  g_assert_true (pb_integration_get_is_default (answer));
  now_previous = pb_store_find_integration (fixture->store, pb_integration_get_id (previous),
                                            NULL);
  g_assert_false (pb_integration_get_is_default (now_previous));

  /* The server agrees. */
  {
    g_autoptr(PbIntegration) on_server = server_integration (fixture,
                                                             pb_integration_get_id (previous));

    g_assert_false (pb_integration_get_is_default (on_server));
    g_assert_cmpint (pb_integration_get_version (on_server), ==,
                     pb_integration_get_version (now_previous));
  }
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(PbOperation) create = NULL;
  g_autoptr(PbOperation) refused = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbIntegration) created = NULL;
  g_autoptr(PbIntegration) busy = NULL;
  g_autofree char *value = pb_random_value ("mail");
  g_autofree char *kept = NULL;
  g_autoptr(GHashTable) typed = values_new ("api_key", value, NULL);
  const char * const fields[] = { "api_key", NULL };
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint n_before, position, marketing_before;

  create = pb_operation_new_create ("mailchimp", "api_key", "To be deleted", FALSE, NULL,
                                    fields);
  g_assert_true (apply (fixture, create, typed, &created, NULL, &error));
  g_assert_no_error (error);
  n_before = g_list_model_get_n_items (model);
  position = position_of (fixture, pb_integration_get_id (created));
  marketing_before = pb_category_get_count (pb_store_find_category (fixture->store,
                                                                    "marketing"));

  /* Refused: the default with linked accounts. Nothing moves. */
  watch_models (fixture);
  busy = g_object_ref (find_row (fixture, "mailchimp", is_default, NULL));
  refused = pb_operation_new_simple (PB_OPERATION_DELETE, pb_integration_get_id (busy),
                                     pb_integration_get_version (busy));
  g_assert_false (apply (fixture, refused, NULL, NULL, &failure, &error));
  /* Refused before anything is queued, by the same rules as the server (src/core). */
  g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE);
  g_assert_nonnull (failure);
  g_assert_cmpstr (failure->message, ==, error->message);
  g_assert_cmpuint (pb_store_get_n_pending (fixture->store), ==, 0);
  g_clear_error (&error);
  gt_signal_logger_assert_no_emissions (fixture->logger);

  op = pb_operation_new_simple (PB_OPERATION_DELETE, pb_integration_get_id (created),
                                pb_integration_get_version (created));
  g_assert_true (apply (fixture, op, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 0);
  assert_count_notifications (fixture, created);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before - 1);
  g_assert_cmpuint (pb_category_get_count (pb_store_find_category (fixture->store,
                                                                   "marketing")), ==,
                    marketing_before - 1);
  g_assert_null (pb_store_find_integration (fixture->store, pb_integration_get_id (created),
                                            NULL));

  /* Its credentials left the keyring with it. */
  kept = keyring_value (fixture, pb_integration_get_id (created), "api_key");
  g_assert_null (kept);
}

static void
test_viewer_refused (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbClient) viewer = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(PbIntegration) target = NULL;

  viewer = pb_client_new (pb_test_server_get_url (fixture->server),
                          pb_test_server_get_viewer_key (fixture->server, 0));
  store = pb_store_new (viewer, fixture->secrets, pb_test_server_get_url (fixture->server),
                        NULL);
  pb_store_load_async (store, NULL, pb_waiter_cb, fixture->waiter);
  g_assert_true (pb_store_load_finish (store, pb_waiter_wait (fixture->waiter), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pb_project_is_read_only (pb_store_get_project (store)));

  target = g_list_model_get_item (pb_store_get_integrations (store), 0);
  gt_signal_logger_connect (fixture->logger, pb_store_get_integrations (store),
                            "items-changed");
  op = pb_operation_new_simple (PB_OPERATION_DISABLE, pb_integration_get_id (target), -1);
  pb_store_apply_async (store, op, NULL, NULL, pb_waiter_cb, fixture->waiter);
  g_assert_false (pb_store_apply_finish (store, pb_waiter_wait (fixture->waiter), NULL,
                                         &failure, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_FORBIDDEN);
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 403);
}

static void
test_paged_models (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all_accounts = NULL;
  g_autoptr(PbPagedModel) accounts = NULL;
  g_autoptr(PbPagedModel) logs = NULL;
  g_autoptr(PbQuery) failed = pb_query_new ();
  guint added = 0, total = 0, pages = 0;

  pb_client_list_all_accounts_async (fixture->observer, NULL, NULL, pb_waiter_cb,
                                     fixture->waiter);
  all_accounts = pb_client_list_all_accounts_finish (fixture->observer,
                                                     pb_waiter_wait (fixture->waiter), NULL,
                                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all_accounts->len, >, 10);

  /* Accounts, ten at a time, to the end; one items-changed per page, appended. */
  accounts = pb_store_create_accounts_model (fixture->store, NULL, 10);
  g_assert_true (pb_paged_model_get_has_more (accounts));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 0);
  gt_signal_logger_connect (fixture->logger, accounts, "items-changed");
  while (pb_paged_model_get_has_more (accounts))
    {
      pb_paged_model_load_more_async (accounts, NULL, pb_waiter_cb, fixture->waiter);
      g_assert_true (pb_paged_model_get_loading (accounts));
      /* A second request while one is on its way is refused, not doubled. */
      {
        g_autoptr(PbWaiter) other = pb_waiter_new ();
        g_autoptr(GError) pending = NULL;

        pb_paged_model_load_more_async (accounts, NULL, pb_waiter_cb, other);
        g_assert_false (pb_paged_model_load_more_finish (accounts, pb_waiter_wait (other),
                                                         NULL, NULL, &pending));
        g_assert_error (pending, G_IO_ERROR, G_IO_ERROR_PENDING);
      }
      g_assert_true (pb_paged_model_load_more_finish (accounts,
                                                      pb_waiter_wait (fixture->waiter),
                                                      &added, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (added, <=, 10);
      if (added > 0)
        pb_assert_items_changed (fixture->logger, accounts, total, 0, added);
      total += added;
      pages++;
    }
  g_assert_cmpuint (total, ==, all_accounts->len);
  g_assert_cmpuint (pages, ==, (all_accounts->len + 9) / 10);
  g_assert_false (pb_paged_model_get_loading (accounts));
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(PbLinkedAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);

      g_assert_cmpstr (pb_linked_account_get_id (account), ==,
                       pb_linked_account_get_id (g_ptr_array_index (all_accounts, i)));
    }

  /* At the end, asking for more adds nothing and emits nothing. */
  pb_paged_model_load_more_async (accounts, NULL, pb_waiter_cb, fixture->waiter);
  g_assert_true (pb_paged_model_load_more_finish (accounts, pb_waiter_wait (fixture->waiter),
                                                  &added, NULL, &error));
  g_assert_cmpuint (added, ==, 0);
  gt_signal_logger_assert_no_emissions (fixture->logger);

  /* Reset: one removal, then it starts over. */
  pb_paged_model_reset (accounts);
  pb_assert_items_changed (fixture->logger, accounts, 0, total, 0);
  g_assert_true (pb_paged_model_get_has_more (accounts));

  /* Logs of failed requests, newest first, two pages of 50 only (never all at once). */
  pb_query_set (failed, "success", "false");
  logs = pb_store_create_logs_model (fixture->store, failed, 50);
  for (guint p = 0; p < 2; p++)
    {
      pb_paged_model_load_more_async (logs, NULL, pb_waiter_cb, fixture->waiter);
      g_assert_true (pb_paged_model_load_more_finish (logs, pb_waiter_wait (fixture->waiter),
                                                      &added, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (logs)), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (logs)), <=, 100);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (logs)); i++)
    {
      g_autoptr(PbLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (logs), i);

      g_assert_false (pb_log_entry_get_success (entry));
      if (i > 0)
        {
          g_autoptr(PbLogEntry) newer = g_list_model_get_item (G_LIST_MODEL (logs), i - 1);

          g_assert_cmpint (g_date_time_compare (pb_log_entry_get_event_datetime (newer),
                                                pb_log_entry_get_event_datetime (entry)), >=, 0);
        }
    }
}

static void
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
      g_autofree char *value = pb_random_value ("harvest");
      g_autoptr(GHashTable) typed = values_new ("harvest_api_key", value, NULL);
      const char * const fields[] = { "harvest_api_key", NULL };

      g_test_dbus_up (bus);
      original = g_object_ref (find_row (fixture, "greenhouse", NULL, NULL));
      watch_models (fixture);
      op = pb_operation_new_set_credentials (pb_integration_get_id (original),
                                             pb_integration_get_version (original), fields,
                                             NULL);
      g_assert_false (apply (fixture, op, typed, NULL, NULL, &error));
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

/* Checks without printing that no member of @payload's `secrets` holds a value. */
static void
assert_no_secret_values (JsonObject *payload)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!json_object_has_member (payload, "secrets"))
    return;
  json_object_iter_init (&iter, json_object_get_object_member (payload, "secrets"));
  while (json_object_iter_next (&iter, &key, &value))
    g_assert_true (JSON_NODE_HOLDS_NULL (value));
}

static char *
payload_text (PbOperation *operation)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                    pb_operation_get_payload (operation));

  return json_to_string (node, FALSE);
}

/* The operation is a value: applying it (which puts the credential values into a copy of
 * the body) leaves its payload as it was, without a value and without a stray null. */
static void
test_payload_untouched (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbOperation) set = NULL;
  g_autoptr(PbOperation) create = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autofree char *harvest = pb_random_value ("harvest");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *subdomain = pb_random_value ("sub");
  g_autoptr(GHashTable) typed = values_new ("harvest_api_key", harvest, NULL);
  const char * const fields[] = { "harvest_api_key", NULL };
  const char * const cleared[] = { "job_board_api_key", NULL };
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint position;

  original = g_object_ref (find_row (fixture, "greenhouse", NULL, &position));
  watch_models (fixture);

  /* A body that has a `secrets` object of its own (a clear) and a value to add to it. */
  set = pb_operation_new_set_credentials (pb_integration_get_id (original),
                                          pb_integration_get_version (original), fields,
                                          cleared);
  before = payload_text (set);
  g_assert_true (apply (fixture, set, typed, &answer, NULL, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  assert_hint_matches (answer, "harvest_api_key", harvest);
  after = payload_text (set);
  g_assert_cmpstr (after, ==, before);
  assert_no_secret_values (pb_operation_get_payload (set));
  g_assert_false (json_object_has_member (
                    json_object_get_object_member (pb_operation_get_payload (set), "secrets"),
                    "harvest_api_key"));

  /* A copy at construction: changing the caller's config later changes nothing. */
  json_object_set_string_member (config, "subdomain", subdomain);
  create = pb_operation_new_create ("bamboohr", "api_key", NULL, FALSE, config, NULL);
  g_clear_pointer (&before, g_free);
  before = payload_text (create);
  json_object_set_string_member (config, "subdomain", "changed-afterwards");
  g_clear_pointer (&after, g_free);
  after = payload_text (create);
  g_assert_cmpstr (after, ==, before);
}

static void
test_operation_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(PbOperation) create = NULL;
  g_autoptr(PbOperation) back = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonObject) broken = json_object_new ();
  g_autofree char *subdomain = pb_random_value ("sub");
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  const char * const fields[] = { "api_key", "token", NULL };

  json_object_set_string_member (config, "subdomain", subdomain);
  create = pb_operation_new_create ("bamboohr", "api_key", NULL, TRUE, config, fields);
  json = pb_operation_to_json (create);
  back = pb_operation_new_from_json (json, &error);
  g_assert_no_error (error);

  g_assert_cmpint (pb_operation_get_kind (back), ==, PB_OPERATION_CREATE);
  g_assert_cmpstr (pb_operation_get_integration_id (back), ==,
                   pb_operation_get_integration_id (create));
  g_assert_cmpint (pb_operation_get_base_version (back), ==, -1);
  g_assert_cmpstrv (pb_operation_get_secret_fields (back), fields);
  a = json_node_init_object (json_node_alloc (), pb_operation_get_payload (create));
  b = json_node_init_object (json_node_alloc (), pb_operation_get_payload (back));
  g_assert_true (json_node_equal (a, b));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (pb_operation_get_payload (back), "config"),
                     "subdomain"), ==, subdomain);

  /* Each kind has a name that reads back. */
  for (PbOperationKind kind = PB_OPERATION_CREATE; kind <= PB_OPERATION_DELETE; kind++)
    {
      PbOperationKind parsed;

      g_assert_true (pb_operation_kind_from_string (pb_operation_kind_to_string (kind),
                                                    &parsed));
      g_assert_cmpint (parsed, ==, kind);
    }

  json_object_set_string_member (broken, "kind", "explode");
  g_assert_null (pb_operation_new_from_json (broken, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (0), fixture_set_up, func, fixture_tear_down)

  ADD ("/store/load", test_load);
  ADD ("/store/reload-precise", test_reload_precise);
  ADD ("/store/create", test_create);
  ADD ("/store/create-default", test_create_default);
  ADD ("/store/update", test_update);
  ADD ("/store/stale-version", test_stale_version);
  ADD ("/store/set-credentials", test_set_credentials);
  ADD ("/store/refused-keeps-keyring", test_refused_keeps_keyring);
  ADD ("/store/change-auth-type", test_change_auth_type);
  ADD ("/store/enable-disable", test_enable_disable);
  ADD ("/store/make-default", test_make_default);
  ADD ("/store/delete", test_delete);
  ADD ("/store/viewer-refused", test_viewer_refused);
  ADD ("/store/paged-models", test_paged_models);
  ADD ("/store/keyring-first", test_keyring_first);
  ADD ("/store/payload-untouched", test_payload_untouched);
  g_test_add_func ("/store/operation-json", test_operation_json);

#undef ADD

  return g_test_run ();
}
