/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <string.h>

#include "store-fixture.h"

/* The first load, and a reload after someone else changed the project. */

void
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
  project = pb_client_get_project_finish (fixture->observer, pb_waiter_wait (fixture->waiter), &error);
  g_assert_no_error (error);
  pb_client_list_all_integrations_async (fixture->observer, NULL, NULL, pb_waiter_cb,
                                         fixture->waiter);
  integrations = pb_client_list_all_integrations_finish (fixture->observer,
                                                         pb_waiter_wait (fixture->waiter), &error);
  g_assert_no_error (error);
  pb_client_list_all_connectors_async (fixture->observer, NULL, NULL, pb_waiter_cb,
                                       fixture->waiter);
  connectors = pb_client_list_all_connectors_finish (fixture->observer,
                                                     pb_waiter_wait (fixture->waiter),
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
  g_assert_true (pb_store_load_finish (fixture->store, pb_waiter_wait (fixture->waiter),
                                       &error));
  g_assert_no_error (error);
  gt_signal_logger_assert_no_emissions (fixture->logger);
}

/* Someone else changes the project; a reload brings exactly those rows up to date. */
void
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
                                                 pb_waiter_wait (fixture->waiter),
                                                 &error);
  g_assert_no_error (error);

  pb_client_delete_integration_async (fixture->observer, deleted_id, -1, NULL, pb_waiter_cb,
                                      fixture->waiter);
  g_assert_true (pb_client_delete_integration_finish (fixture->observer,
                                                      pb_waiter_wait (fixture->waiter),
                                                      &error));
  g_assert_no_error (error);

  json_object_set_string_member (body, "connector_key", "zendesk");
  json_object_set_string_member (body, "authentication_config_key", "oauth2");
  json_object_set_object_member (body, "config", json_object_new ());
  json_object_set_string_member (json_object_get_object_member (body, "config"), "client_id",
                                 "acme");
  json_object_set_string_member (secrets, "client_secret", suffix);
  json_object_set_object_member (body, "secrets", json_object_ref (secrets));
  pb_client_create_integration_async (fixture->observer, body, NULL, pb_waiter_cb,
                                      fixture->waiter);
  created = pb_client_create_integration_finish (fixture->observer,
                                                 pb_waiter_wait (fixture->waiter),
                                                 &error);
  g_assert_no_error (error);

  watch_models (fixture);
  pb_store_load_async (fixture->store, NULL, pb_waiter_cb, fixture->waiter);
  g_assert_true (pb_store_load_finish (fixture->store, pb_waiter_wait (fixture->waiter),
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
on_sync_synced_cb (PbSync   *sync,
                   gboolean  refreshed,
                   int      *full)
{
  PbIntegrationChanges *changes = pb_sync_get_refreshed_changes (sync);

  if (refreshed && changes != NULL)
    *full = changes->full ? 1 : 0;
}

static gboolean
refreshed (gpointer data)
{
  return *(int *) data >= 0;
}

/* Another admin disables an integration: the periodic refresh brings it as a delta, and the
 * models change by exactly that row. */
void
test_refresh_delta (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) changed = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  GListModel *model = pb_store_get_integrations (fixture->store);
  PbIntegration *target;
  guint position;
  int full = -1;

  target = find_row (fixture, "greenhouse", NULL, &position);
  g_assert_true (pb_integration_get_active (target));
  json_object_set_boolean_member (patch, "active", FALSE);
  pb_client_update_integration_async (fixture->observer, pb_integration_get_id (target), patch,
                                      -1, NULL, pb_waiter_cb, fixture->waiter);
  changed = pb_client_update_integration_finish (fixture->observer,
                                                 pb_waiter_wait (fixture->waiter), &error);
  g_assert_no_error (error);

  watch_models (fixture);
  g_signal_connect (pb_store_get_sync (fixture->store), "synced",
                    G_CALLBACK (on_sync_synced_cb), &full);
  pb_store_set_refresh_interval (fixture->store, 1);
  pb_test_wait_until (refreshed, &full, PB_TEST_TIMEOUT_MS);
  g_signal_handlers_disconnect_by_func (pb_store_get_sync (fixture->store), on_sync_synced_cb,
                                        &full);
  /* Fetched as a delta; the row in place, nothing else. */
  g_assert_cmpint (full, ==, 0);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  gt_signal_logger_assert_no_emissions (fixture->logger);
  g_assert_false (pb_integration_get_active (
    pb_store_find_integration (fixture->store, pb_integration_get_id (changed), NULL)));
  g_assert_cmpint (pb_integration_get_version (
    pb_store_find_integration (fixture->store, pb_integration_get_id (changed), NULL)), ==,
    pb_integration_get_version (changed));
}
