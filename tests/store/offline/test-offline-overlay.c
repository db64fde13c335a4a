/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-offline"

#include "config.h"

#include "offline-test-common.h"

/* The overlay and the offline rules, and the scale test (only with -m perf). See offline-test-common.c for the real parts used. */

/* ---- overlay and offline rules -------------------------------------------------------- */

static PbOutbox *
temp_outbox (void)
{
  g_autofree char *path = temp_path ("overlay.db");

  return reopen_outbox (path);
}

static PbIntegration *
find_default_with_accounts (GPtrArray *integrations)
{
  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (integrations, i);

      if (pb_integration_get_is_default (integration) &&
          pb_integration_get_accounts_total (integration) > 0 &&
          count_connector (integrations, pb_integration_get_connector_key (integration)) > 1)
        return integration;
    }
  g_assert_not_reached ();
}

static void
test_overlay_rules (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(GPtrArray) connectors = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) view = NULL;
  g_autoptr(PbOutbox) outbox = temp_outbox ();
  g_autofree char *created = g_uuid_string_random ();
  PbIntegration *busy, *sibling = NULL, *deletable, *x;
  PbIntegration *shown;

  g_assert_no_error (error);
  client = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  connectors = list_connectors (client);
  integrations = ot_list_integrations (client);

  /* Nothing queued: the very same objects. */
  view = pb_overlay_apply (integrations, G_LIST_MODEL (outbox), connectors);
  g_assert_cmpuint (view->len, ==, integrations->len);
  for (guint i = 0; i < view->len; i++)
    g_assert_true (g_ptr_array_index (view, i) == g_ptr_array_index (integrations, i));
  g_clear_pointer (&view, g_ptr_array_unref);

  busy = find_default_with_accounts (integrations);
  for (guint i = 0; i < integrations->len && sibling == NULL; i++)
    {
      PbIntegration *other = g_ptr_array_index (integrations, i);

      if (other != busy && g_str_equal (pb_integration_get_connector_key (other),
                                        pb_integration_get_connector_key (busy)))
        sibling = other;
    }
  g_assert_nonnull (sibling);

  /* The same sentence as the server for a delete it refuses. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(PbOutboxEntry) entry = simple_entry (PB_OPERATION_DELETE,
                                                   pb_integration_get_id (busy),
                                                   pb_integration_get_version (busy));
    g_autoptr(GError) server_error = NULL;

    g_assert_false (pb_overlay_check (integrations, entry, connectors, NULL, &error));
    g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE);
    pb_client_delete_integration_async (client, pb_integration_get_id (busy), -1, NULL,
                                        pb_test_async_ready_cb, &result);
    result = pb_test_await (&result, 30000);
    g_assert_false (pb_client_delete_integration_finish (client, result, &server_error));
    g_assert_error (server_error, PB_API_ERROR, PB_API_ERROR_CONFLICT);
    g_assert_cmpstr (error->message, ==, server_error->message);
    g_clear_error (&error);
  }

  /* And for unsetting the default. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JsonObject) patch = json_object_new ();
    g_autoptr(PbOutboxEntry) entry = NULL;
    g_autoptr(GError) server_error = NULL;
    g_autoptr(PbIntegration) none = NULL;

    json_object_set_boolean_member (patch, "default", FALSE);
    entry = pb_outbox_entry_new (PB_OPERATION_UPDATE, pb_integration_get_id (busy), -1, patch,
                                 NULL);
    g_assert_false (pb_overlay_check (integrations, entry, connectors, NULL, &error));
    g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE);
    pb_client_update_integration_async (client, pb_integration_get_id (busy), patch, -1, NULL,
                                        pb_test_async_ready_cb, &result);
    result = pb_test_await (&result, 30000);
    none = pb_client_update_integration_finish (client, result, &server_error);
    g_assert_null (none);
    g_assert_cmpstr (error->message, ==, server_error->message);
    g_clear_error (&error);
  }

  /* And for an unknown connector and for a missing required credential. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(PbOutboxEntry) entry = create_entry (created, NULL, FALSE);
    g_autoptr(JsonObject) body = pb_outbox_copy_object (pb_outbox_entry_get_payload (entry));
    g_autoptr(PbOutboxEntry) unknown = NULL;
    g_autoptr(PbOutboxEntry) incomplete = NULL;
    g_autoptr(GError) server_error = NULL;
    g_autoptr(PbIntegration) none = NULL;
    g_autoptr(GHashTable) field_errors = NULL;

    json_object_set_string_member (body, "connector_key", "no-such-connector");
    unknown = pb_outbox_entry_new (PB_OPERATION_CREATE, created, -1, body, NULL);
    g_assert_false (pb_overlay_check (integrations, unknown, connectors, NULL, &error));
    pb_client_create_integration_async (client, body, NULL, pb_test_async_ready_cb, &result);
    result = pb_test_await (&result, 30000);
    none = pb_client_create_integration_finish (client, result, &server_error);
    g_assert_null (none);
    g_assert_cmpstr (error->message, ==, server_error->message);
    g_clear_error (&error);

    incomplete = pb_outbox_entry_new (PB_OPERATION_CREATE, created, -1,
                                      pb_outbox_entry_get_payload (entry), NULL);
    g_assert_false (pb_overlay_check (integrations, incomplete, connectors, &field_errors,
                                      &error));
    g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE);
    g_assert_nonnull (field_errors);
    g_assert_true (g_hash_table_contains (field_errors, "client_secret"));
    g_clear_error (&error);

    /* With its credential in the keyring (a secret field), the create is fine. */
    g_assert_true (pb_overlay_check (integrations, entry, connectors, NULL, &error));
    g_assert_no_error (error);
  }

  /* What the admin sees with changes queued. */
  deletable = find_deletable (integrations, sibling);
  g_assert_nonnull (deletable);
  x = busy;
  append (outbox, simple_entry (PB_OPERATION_DISABLE, pb_integration_get_id (x),
                                pb_integration_get_version (x)));
  append (outbox, simple_entry (PB_OPERATION_MAKE_DEFAULT, pb_integration_get_id (sibling),
                                pb_integration_get_version (sibling)));
  append (outbox, create_entry (created, NULL, FALSE));
  append (outbox, rename_entry (created, 0, "Made offline"));
  append (outbox, simple_entry (PB_OPERATION_DELETE, pb_integration_get_id (deletable),
                                pb_integration_get_version (deletable)));
  {
    gint64 refused = append (outbox, rename_entry (pb_integration_get_id (sibling), 1,
                                                   "Refused name"));

    g_assert_true (pb_outbox_mark_refused (outbox, refused, "validation_failed", "No.", &error));
  }

  view = pb_overlay_apply (integrations, G_LIST_MODEL (outbox), connectors);
  g_assert_cmpuint (view->len, ==, integrations->len);   /* one added, one deleted */
  g_assert_null (find_by_id (view, pb_integration_get_id (deletable)));

  shown = find_by_id (view, pb_integration_get_id (x));
  g_assert_false (pb_integration_get_active (shown));
  g_assert_cmpuint (pb_integration_get_accounts_inactive (shown), ==,
                    pb_integration_get_accounts_total (x));
  g_assert_cmpuint (pb_integration_get_accounts_active (shown), ==, 0);
  g_assert_false (pb_integration_get_is_default (shown));   /* taken by make-default */

  shown = find_by_id (view, pb_integration_get_id (sibling));
  g_assert_true (pb_integration_get_is_default (shown));
  g_assert_cmpstr (pb_integration_get_name (shown), ==, pb_integration_get_name (sibling));

  shown = find_by_id (view, created);
  g_assert_nonnull (shown);
  g_assert_cmpstr (pb_integration_get_name (shown), ==, "Made offline");
  g_assert_cmpstr (pb_integration_get_connector_label (shown), ==, "BambooHR");
  g_assert_cmpstr (pb_integration_get_auth_type_label (shown), ==, "OAuth 2.0");
  g_assert_true (g_strv_contains (pb_integration_get_categories (shown), "hris"));
  g_assert_cmpint (pb_integration_get_version (shown), ==, 0);
  g_assert_false (pb_integration_get_is_default (shown));
  g_assert_true (pb_integration_get_active (shown));
  g_assert_true (((PbSecretState *) g_hash_table_lookup (pb_integration_get_secrets (shown),
                                                         "client_secret"))->set);
  g_assert_cmpstr (g_hash_table_lookup (pb_integration_get_config (shown), "client_id"), ==,
                   "acme");

  /* The first of its connector is its default, whatever was asked. */
  {
    g_autoptr(PbOutbox) other = temp_outbox ();
    g_autoptr(GPtrArray) other_view = NULL;
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    append (other, create_entry (created, NULL, FALSE));
    other_view = pb_overlay_apply (none, G_LIST_MODEL (other), connectors);
    g_assert_cmpuint (other_view->len, ==, 1);
    g_assert_true (pb_integration_get_is_default (g_ptr_array_index (other_view, 0)));
    g_assert_cmpstr (pb_integration_get_name (g_ptr_array_index (other_view, 0)), ==, "OAuth 2.0");
  }

  /* On top of that view, the offline rules see the new state: the sibling, now the default
   * with siblings, cannot be deleted (the sentence of pb-rules). */
  {
    g_autoptr(PbOutboxEntry) entry = simple_entry (PB_OPERATION_DELETE,
                                                   pb_integration_get_id (sibling), 1);
    PbIntegrationFacts facts;
    g_autofree char *expected = NULL;

    pb_rules_facts_from_integration (&facts, find_by_id (view, pb_integration_get_id (sibling)),
                                     count_connector (view,
                                                      pb_integration_get_connector_key (sibling)));
    expected = pb_rules_delete_verdict_message (pb_rules_delete_verdict (&facts), &facts);
    g_assert_nonnull (expected);
    g_assert_false (pb_overlay_check (view, entry, connectors, NULL, &error));
    g_assert_cmpstr (error->message, ==, expected);
    g_clear_error (&error);
  }
}


/* ---- scale (only with -m perf) ---------------------------------------------------------- */

static PbIntegration *
synthetic_integration (guint i)
{
  g_autofree char *text = g_strdup_printf (
    "{\"id\":\"%08u-0000-4000-8000-000000000000\",\"name\":\"Integration %u\","
    "\"connector_key\":\"c%u\",\"connector_label\":\"C %u\",\"categories\":[\"hris\"],"
    "\"authentication_config_key\":\"api_key\",\"authentication_config_label\":\"API Key\","
    "\"active\":true,\"default\":%s,\"config\":{\"subdomain\":\"acme\"},"
    "\"secrets\":{\"api_key\":{\"set\":true,\"hint\":\"\u2026abcd\",\"updated_at\":null}},"
    "\"linked_accounts\":{\"total\":3,\"active\":3,\"inactive\":0,\"error\":0},"
    "\"version\":1}", i, i, i % 150, i % 150, i < 150 ? "true" : "false");
  g_autoptr(JsonObject) object = pb_json_object_from_string (text, -1, NULL);
  g_autoptr(GError) error = NULL;
  PbIntegration *integration = pb_integration_new_from_json (object, &error);

  g_assert_no_error (error);
  return integration;
}

static void
test_perf_scale (void)
{
  g_autofree char *path = temp_path ("scale.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbReplica) replica = pb_replica_open_path (path, &error);
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(GPtrArray) integrations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) view = NULL;
  const guint n_integrations = 2000, n_entries = 500;
  gint64 t;

  g_assert_no_error (error);
  for (guint i = 0; i < n_integrations; i++)
    g_ptr_array_add (integrations, synthetic_integration (i));

  t = g_get_monotonic_time ();
  g_assert_true (pb_replica_save_snapshot (replica, NULL, NULL, integrations, &error));
  g_test_message ("save a snapshot of %u integrations: %.1f ms", n_integrations,
                  (g_get_monotonic_time () - t) / 1000.0);
  {
    g_autoptr(GAsyncResult) result = NULL;
    gint64 blocked;

    t = g_get_monotonic_time ();
    pb_replica_save_snapshot_async (replica, NULL, NULL, integrations, NULL, pb_test_async_ready_cb,
                                    &result);
    blocked = g_get_monotonic_time () - t;
    result = pb_test_await (&result, 30000);
    g_assert_true (pb_replica_save_snapshot_finish (replica, result, &error));
    g_assert_no_error (error);
    g_test_message ("the same from a worker thread: %.1f ms in all, %.1f ms on the caller's",
                    (g_get_monotonic_time () - t) / 1000.0, blocked / 1000.0);
  }
  t = g_get_monotonic_time ();
  loaded = pb_replica_load_integrations (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, n_integrations);
  g_test_message ("load %u integrations: %.1f ms", n_integrations,
                  (g_get_monotonic_time () - t) / 1000.0);

  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);
  t = g_get_monotonic_time ();
  for (guint i = 0; i < n_entries; i++)
    {
      PbIntegration *target = g_ptr_array_index (integrations, (i * 7) % n_integrations);
      g_autofree char *name = g_strdup_printf ("Renamed %u", i);

      append (outbox, i % 3 == 0 ? simple_entry (PB_OPERATION_DISABLE,
                                                 pb_integration_get_id (target), 1)
                                 : rename_entry (pb_integration_get_id (target), 1, name));
    }
  g_test_message ("append %u entries: %.2f ms each", n_entries,
                  (g_get_monotonic_time () - t) / 1000.0 / n_entries);

  t = g_get_monotonic_time ();
  view = pb_overlay_apply (loaded, G_LIST_MODEL (outbox), NULL);
  g_assert_cmpuint (view->len, ==, n_integrations);
  g_test_message ("overlay of %u entries on %u integrations: %.1f ms", n_entries,
                  n_integrations, (g_get_monotonic_time () - t) / 1000.0);

  g_clear_object (&outbox);
  t = g_get_monotonic_time ();
  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, n_entries);
  g_test_message ("reopen an outbox of %u entries: %.1f ms", n_entries,
                  (g_get_monotonic_time () - t) / 1000.0);

  t = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    g_assert_true (pb_outbox_acknowledge (outbox,
                                          pb_outbox_entry_get_seq (pb_outbox_peek_sendable (outbox)),
                                          NULL, &error));
  g_test_message ("acknowledge (delete + rebase scan) with %u queued: %.2f ms each", n_entries,
                  (g_get_monotonic_time () - t) / 1000.0 / 100);
}

int
main (int    argc,
      char **argv)
{
  offline_test_init (&argc, &argv);

  g_test_add_func ("/offline/overlay/rules", test_overlay_rules);

  if (g_test_perf ())
    g_test_add_func ("/offline/perf/scale", test_perf_scale);

  return offline_test_run ();
}
