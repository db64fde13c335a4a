/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include "store-fixture.h"

/* Enable and disable, make default, delete, a viewer refused, and the paged accounts and
 * logs models. */

static gboolean
has_accounts (PbIntegration *integration)
{
  return pb_integration_get_accounts_total (integration) > 0 &&
         pb_integration_get_active (integration);
}

void
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
  g_assert_true (apply (fixture, disable, NULL, &disabled, &error));
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
                                                    &added, &error));
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
  g_assert_true (apply (fixture, enable, NULL, &enabled, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  gt_signal_logger_assert_emission_pop (fixture->logger, fixture->store, "applied", NULL, NULL);
  g_assert_true (pb_integration_get_active (enabled));
  g_assert_cmpuint (pb_integration_get_accounts_active (enabled), ==, total);
}

void
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
  g_assert_true (apply (fixture, op, NULL, &answer, &error));
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

void
test_delete (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbOperation) create = NULL;
  g_autoptr(PbOperation) refused = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbIntegration) created = NULL;
  g_autoptr(PbIntegration) busy = NULL;
  g_autofree char *value = pb_random_value ("mail");
  g_autofree char *kept = NULL;
  g_autoptr(GHashTable) typed = values_new ("client_secret", value, NULL);
  g_autoptr(JsonObject) config = json_object_new ();
  const char * const fields[] = { "client_secret", NULL };
  GListModel *model = pb_store_get_integrations (fixture->store);
  guint n_before, position, marketing_before;

  /* On its own OAuth app, with a client secret of its own. */
  json_object_set_string_member (config, "client_id", "mailchimp-client");
  create = pb_operation_new_create ("mailchimp", "oauth2", "To be deleted", FALSE, config,
                                    fields);
  g_assert_true (apply (fixture, create, typed, &created, &error));
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
  g_assert_false (apply (fixture, refused, NULL, NULL, &error));
  /* Refused before anything is queued, by the same rules as the server (src/core). */
  g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE);
  g_assert_cmpuint (pb_store_get_n_pending (fixture->store), ==, 0);
  g_clear_error (&error);
  gt_signal_logger_assert_no_emissions (fixture->logger);

  op = pb_operation_new_simple (PB_OPERATION_DELETE, pb_integration_get_id (created),
                                pb_integration_get_version (created));
  g_assert_true (apply (fixture, op, NULL, NULL, &error));
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
  kept = keyring_value (fixture, pb_integration_get_id (created), "client_secret");
  g_assert_null (kept);
}

void
test_viewer_refused (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbClient) viewer = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbIntegration) target = NULL;

  viewer = pb_client_new (pb_test_server_get_url (fixture->server),
                          pb_test_server_get_viewer_key (fixture->server, 0));
  store = pb_store_new (viewer, fixture->secrets, pb_test_server_get_url (fixture->server),
                        NULL);
  pb_store_load_async (store, NULL, pb_waiter_cb, fixture->waiter);
  g_assert_true (pb_store_load_finish (store, pb_waiter_wait (fixture->waiter), &error));
  g_assert_no_error (error);
  g_assert_true (pb_project_is_read_only (pb_store_get_project (store)));

  target = g_list_model_get_item (pb_store_get_integrations (store), 0);
  gt_signal_logger_connect (fixture->logger, pb_store_get_integrations (store),
                            "items-changed");
  op = pb_operation_new_simple (PB_OPERATION_DISABLE, pb_integration_get_id (target), -1);
  pb_store_apply_async (store, op, NULL, NULL, pb_waiter_cb, fixture->waiter);
  g_assert_false (pb_store_apply_finish (store, pb_waiter_wait (fixture->waiter), NULL, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_FORBIDDEN);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 403);
}

void
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
                                                     pb_waiter_wait (fixture->waiter),
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
                                                         NULL, &pending));
        g_assert_error (pending, G_IO_ERROR, G_IO_ERROR_PENDING);
      }
      g_assert_true (pb_paged_model_load_more_finish (accounts,
                                                      pb_waiter_wait (fixture->waiter),
                                                      &added, &error));
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
                                                  &added, &error));
  g_assert_no_error (error);
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
                                                      &added, &error));
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
