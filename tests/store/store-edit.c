/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include "store-fixture.h"

/* Creating and updating integrations through the store, and an update on a stale version. */

void
test_create (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbIntegration) on_server = NULL;
  g_autofree char *value = pb_random_value ("lever-secret");
  g_autofree char *name = pb_random_value ("Lever");
  g_autofree char *kept = NULL;
  g_autoptr(GHashTable) typed = values_new ("client_secret", value, NULL);
  g_autoptr(JsonObject) config = json_object_new ();
  const char * const fields[] = { "client_secret", NULL };
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint n_before = g_list_model_get_n_items (model);
  guint ats_before = pb_category_get_count (pb_store_find_category (fixture->store, "ats"));

  watch_models (fixture);
  /* The integration's own OAuth app: its client secret is a credential of the integration. */
  json_object_set_string_member (config, "client_id", "lever-client");
  json_object_set_string_member (config, "environment", "production");
  op = pb_operation_new_create ("lever", "oauth2", name, FALSE, config, fields);
  g_assert_true (g_uuid_string_is_valid (pb_operation_get_integration_id (op)));
  g_assert_false (json_object_has_member (pb_operation_get_payload (op), "secrets"));

  apply (fixture, op, typed, &answer, &error);
  g_assert_no_error (error);

  /* The client's id is kept; not the default (Lever had one already). */
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
  kept = keyring_value (fixture, pb_integration_get_id (answer), "client_secret");
  assert_secret_equal (kept, value);
  on_server = server_integration (fixture, pb_integration_get_id (answer));
  assert_hint_matches (on_server, "client_secret", value);

  /* A repeated create (same id, same request) is harmless: the server answers the same
   * integration, so the row (equal) is left alone. */
  {
    g_autoptr(PbIntegration) again = NULL;

    g_assert_true (apply (fixture, op, typed, &again, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (pb_integration_get_id (again), ==, pb_integration_get_id (answer));
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before + 1);
    gt_signal_logger_assert_no_emissions (fixture->logger);
    g_assert_cmpuint (pb_store_get_n_pending (fixture->store), ==, 0);
  }
}

void
test_create_default (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbIntegration) previous = NULL;
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint previous_position;
  g_autofree char *previous_id = NULL;

  previous = g_object_ref (find_row (fixture, "ashby", is_default, &previous_position));
  previous_id = g_strdup (pb_integration_get_id (previous));

  watch_models (fixture);
  /* "ZZ…" sorts after the current default, so the default's row does not move. */
  /* Ashby's API key is each end user's: the integration has no values. */
  op = pb_operation_new_create ("ashby", "api_key", "ZZ new default", TRUE, NULL, NULL);
  g_assert_true (apply (fixture, op, NULL, &answer, &error));
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

void
test_update (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbIntegration) moved = NULL;
  g_autoptr(PbOperation) rename = NULL;
  g_autoptr(PbOperation) move = NULL;
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
  rename = pb_operation_new_update (id, pb_integration_get_version (original), same_place, NULL);
  g_assert_true (apply (fixture, rename, NULL, &answer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_name (answer), ==, same_place);
  g_assert_cmpint (pb_integration_get_version (answer), >,
                   pb_integration_get_version (original));
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  g_assert_true (pb_store_find_integration (fixture->store, id, NULL) == answer);

  /* A name that sorts first in its connector's group: out of its row, into the group's
   * first one. */
  move = pb_operation_new_update (id, pb_integration_get_version (answer), "000 first", NULL);
  g_assert_true (apply (fixture, move, NULL, &moved, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 0);
  g_assert_cmpuint (position_of (fixture, id), ==, first_of_group);
  pb_assert_items_changed (fixture->logger, model, first_of_group, 0, 1);
  assert_sorted (fixture);
  /* No category changed its count. */
}

void
test_stale_version (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbOperation) first = NULL;
  g_autoptr(PbOperation) stale = NULL;
  g_autoptr(PbIntegration) original = NULL;
  guint position;

  original = g_object_ref (find_row (fixture, "bamboohr", is_plain_sibling, &position));
  first = pb_operation_new_update (pb_integration_get_id (original),
                                   pb_integration_get_version (original), "First edit", NULL);
  g_assert_true (apply (fixture, first, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Another change made on the version we had before: 412 with the current one. */
  watch_models (fixture);
  stale = pb_operation_new_update (pb_integration_get_id (original),
                                   pb_integration_get_version (original), "Second edit", NULL);
  g_assert_false (apply (fixture, stale, NULL, NULL, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_VERSION_MISMATCH);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 412);
  g_assert_nonnull (pb_api_error_get_current (error));
  g_assert_cmpstr (json_object_get_string_member (pb_api_error_get_current (error), "name"),
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
