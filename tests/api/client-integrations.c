/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include "client-tests.h"

/* Tests: integrations */

void
test_integrations_pages (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GPtrArray) all = all_integrations (client, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = NULL;
  guint pages = 0;

  g_assert_cmpuint (all->len, >=, 3);

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PbPage) page = NULL;

      AWAIT (pb_client_list_integrations_async, client, NULL, 2, next, NULL);
      page = pb_client_list_integrations_finish (client, result, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->items->len, <=, 2);

      for (guint i = 0; i < page->items->len; i++)
        g_ptr_array_add (ids, g_strdup (pb_integration_get_id (page->items->pdata[i])));

      g_free (next);
      next = g_strdup (page->next);
      pages++;
      g_assert_cmpuint (pages, <, 1000);
    }
  while (next != NULL);

  g_assert_cmpuint (pages, >=, 2);
  g_assert_cmpuint (ids->len, ==, all->len);
  assert_no_duplicates (ids, "Integration");
  for (guint i = 0; i < all->len; i++)
    g_assert_true (g_ptr_array_find_with_equal_func (
                     ids, pb_integration_get_id (all->pdata[i]), g_str_equal, NULL));
}

/* A cursor stays valid while items are added: no duplicates, nothing that existed skipped. */
void
test_integrations_pages_while_adding (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GPtrArray) before = all_integrations (client, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autofree char *next = NULL;

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PbPage) page = NULL;

      AWAIT (pb_client_list_integrations_async, client, NULL, 2, next, NULL);
      page = pb_client_list_integrations_finish (client, result, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->items->len; i++)
        g_ptr_array_add (ids, g_strdup (pb_integration_get_id (page->items->pdata[i])));

      g_free (next);
      next = g_strdup (page->next);

      if (created->len < 3)
        g_ptr_array_add (created, create_in (client, connector, type, NULL));
    }
  while (next != NULL);

  assert_no_duplicates (ids, "Integration");
  for (guint i = 0; i < before->len; i++)
    g_assert_true (g_ptr_array_find_with_equal_func (
                     ids, pb_integration_get_id (before->pdata[i]), g_str_equal, NULL));

  /* Clean up: the default (the first) last. */
  for (guint i = created->len; i > 0; i--)
    delete_or_die (client, pb_integration_get_id (created->pdata[i - 1]));
}

void
test_integrations_filters (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GPtrArray) all = all_integrations (client, NULL);
  g_autoptr(PbQuery) query = pb_query_new ();
  g_autoptr(GPtrArray) by_connector = NULL;
  g_autoptr(GPtrArray) inactive = NULL;
  const char *connector_key = pb_integration_get_connector_key (all->pdata[0]);
  guint expected = 0, expected_inactive = 0;

  for (guint i = 0; i < all->len; i++)
    {
      if (g_str_equal (pb_integration_get_connector_key (all->pdata[i]), connector_key))
        expected++;
      if (!pb_integration_get_active (all->pdata[i]))
        expected_inactive++;
    }

  pb_query_set (query, "connector_key", connector_key);
  by_connector = all_integrations (client, query);
  g_assert_cmpuint (by_connector->len, ==, expected);
  for (guint i = 0; i < by_connector->len; i++)
    g_assert_cmpstr (pb_integration_get_connector_key (by_connector->pdata[i]), ==, connector_key);

  pb_query_set (query, "connector_key", NULL);
  pb_query_set (query, "active", "false");
  inactive = all_integrations (client, query);
  g_assert_cmpuint (inactive->len, ==, expected_inactive);
  for (guint i = 0; i < inactive->len; i++)
    g_assert_false (pb_integration_get_active (inactive->pdata[i]));
}

void
test_integrations_crud (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) body = create_body (connector, type, id, "Created by the client test");
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(PbIntegration) created = NULL;
  g_autoptr(PbIntegration) again = NULL;
  g_autoptr(PbIntegration) fetched = NULL;
  g_autoptr(PbIntegration) updated = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  /* Create with a client-chosen id: the first of its connector is the default. */
  created = create_integration (client, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_cmpstr (pb_integration_get_id (created), ==, id);
  g_assert_cmpstr (pb_integration_get_name (created), ==, "Created by the client test");
  g_assert_cmpstr (pb_integration_get_connector_key (created), ==,
                   pb_connector_get_provider (connector));
  g_assert_cmpstr (pb_integration_get_auth_type_key (created), ==, pb_auth_type_get_key (type));
  g_assert_true (pb_integration_get_active (created));
  g_assert_true (pb_integration_get_is_default (created));

  /* Secrets come back as "set", never as values. */
  g_hash_table_iter_init (&iter, pb_integration_get_secrets (created));
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PbSecretState *state = value;

      g_assert_true (state->set);
      g_assert_cmpstr (state->hint, !=, "s3cret-Value-Never-Logged-wxyz");
    }

  /* The same create again is harmless. */
  again = create_integration (client, body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_id (again), ==, id);
  g_assert_cmpint (pb_integration_get_version (again), ==, pb_integration_get_version (created));

  /* Read it back. */
  fetched = get_integration (client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_id (fetched), ==, id);
  g_assert_cmpint (pb_integration_get_version (fetched), ==, pb_integration_get_version (created));

  /* Update with If-Match of the current version. */
  json_object_set_string_member (patch, "name", "Renamed by the client test");
  updated = update_integration (client, id, patch, pb_integration_get_version (fetched),
                                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_cmpstr (pb_integration_get_name (updated), ==, "Renamed by the client test");
  g_assert_cmpint (pb_integration_get_version (updated), >, pb_integration_get_version (fetched));

  /* Delete with If-Match, then it is gone. */
  g_assert_true (delete_integration (client, id, pb_integration_get_version (updated),
                                     &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);

  g_clear_object (&fetched);
  fetched = get_integration (client, id, &error);
  g_assert_null (fetched);
  assert_http_failure (error, PB_API_ERROR_NOT_FOUND, 404, "not_found");
}

void
test_integrations_disable_enable (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autoptr(PbIntegration) created = create_in (client, connector, type, NULL);
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(PbIntegration) disabled = NULL;
  g_autoptr(PbIntegration) enabled = NULL;
  g_autoptr(GError) error = NULL;

  /* name defaults to the auth type's label */
  g_assert_cmpstr (pb_integration_get_name (created), ==, pb_auth_type_get_label (type));

  json_object_set_boolean_member (patch, "active", FALSE);
  disabled = update_integration (client, pb_integration_get_id (created), patch, -1, &error);
  g_assert_no_error (error);
  g_assert_false (pb_integration_get_active (disabled));

  json_object_set_boolean_member (patch, "active", TRUE);
  enabled = update_integration (client, pb_integration_get_id (created), patch,
                                pb_integration_get_version (disabled), &error);
  g_assert_no_error (error);
  g_assert_true (pb_integration_get_active (enabled));

  delete_or_die (client, pb_integration_get_id (created));
}
