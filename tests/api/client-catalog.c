/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include <string.h>

#include "client-tests.h"

/* Tests: project */

void
test_project_get (void)
{
  g_autoptr(PbClient) admin = admin_client ();
  g_autoptr(PbClient) viewer = viewer_client ();
  g_autoptr(PbProject) project = NULL;
  g_autoptr(PbProject) viewed = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *announced = pb_test_server_get_project (get_demo_server (), 0);

  project = get_project (admin, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_cmpstr (pb_project_get_id (project), ==,
                   json_object_get_string_member (announced, "id"));
  g_assert_cmpstr (pb_project_get_name (project), ==,
                   json_object_get_string_member (announced, "name"));
  g_assert_cmpstr (pb_project_get_role (project), ==, "admin");
  g_assert_false (pb_project_is_read_only (project));
  g_assert_nonnull (pb_project_get_plan_categories (project));
  g_assert_nonnull (pb_project_get_plan_categories (project)[0]);

  viewed = get_project (viewer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_project_get_id (viewed), ==, pb_project_get_id (project));
  g_assert_cmpstr (pb_project_get_role (viewed), ==, "viewer");
  g_assert_true (pb_project_is_read_only (viewed));
}

/* The second demo project: each key sees its own project. */
void
test_project_second (void)
{
  PbTestServer *server = get_demo_server ();
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbProject) project = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (pb_test_server_get_n_projects (server), >=, 2);
  client = pb_client_new (pb_test_server_get_url (server),
                          pb_test_server_get_admin_key (server, 1));
  project = get_project (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_project_get_id (project), ==,
                   json_object_get_string_member (pb_test_server_get_project (server, 1), "id"));
}

/* Tests: connectors */

void
test_connectors_pages (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GPtrArray) all = all_connectors (client, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = NULL;
  guint pages = 0;

  g_assert_cmpuint (all->len, >, 10);

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PbPage) page = NULL;

      AWAIT (pb_client_list_connectors_async, client, NULL, 7, next, NULL);
      page = pb_client_list_connectors_finish (client, result, &error);
      g_assert_no_error (error);
      g_assert_nonnull (page);

      for (guint i = 0; i < page->items->len; i++)
        g_ptr_array_add (ids, g_strdup (pb_connector_get_provider (page->items->pdata[i])));

      g_free (next);
      next = g_strdup (page->next);
      pages++;
      g_assert_cmpuint (pages, <, 1000);
    }
  while (next != NULL);

  /* api.md calls only integrations, accounts and logs "a page": the catalog may come whole. */
  g_test_message ("%u connectors in %u pages", ids->len, pages);
  g_assert_cmpuint (ids->len, ==, all->len);
  assert_no_duplicates (ids, "Connector");
  for (guint i = 0; i < all->len; i++)
    g_assert_true (g_ptr_array_find_with_equal_func (
                     ids, pb_connector_get_provider (all->pdata[i]), g_str_equal, NULL));
}

void
test_connectors_filters (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbQuery) query = pb_query_new ();
  g_autoptr(GPtrArray) all = all_connectors (client, NULL);
  g_autoptr(GPtrArray) hris = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) available = NULL;
  g_autofree char *needle = NULL;
  PbConnector *first = all->pdata[0];
  guint n_available = 0;
  gboolean seen = FALSE;

  pb_query_set (query, "category", "hris");
  hris = all_connectors (client, query);
  g_assert_cmpuint (hris->len, >, 0);
  g_assert_cmpuint (hris->len, <, all->len);
  for (guint i = 0; i < hris->len; i++)
    g_assert_true (g_strv_contains (pb_connector_get_categories (hris->pdata[i]), "hris"));

  /* q: name contains, case-insensitive */
  needle = g_utf8_strup (pb_connector_get_provider_name (first), 4);
  pb_query_set (query, "category", NULL);
  pb_query_set (query, "q", needle);
  found = all_connectors (client, query);
  for (guint i = 0; i < found->len; i++)
    {
      g_autofree char *folded = g_utf8_strup (pb_connector_get_provider_name (found->pdata[i]), -1);

      g_assert_nonnull (strstr (folded, needle));
      if (g_str_equal (pb_connector_get_provider (found->pdata[i]),
                       pb_connector_get_provider (first)))
        seen = TRUE;
    }
  g_assert_true (seen);

  for (guint i = 0; i < all->len; i++)
    if (pb_connector_get_available (all->pdata[i]))
      n_available++;
  pb_query_set (query, "q", NULL);
  pb_query_set (query, "include_unavailable", "false");
  available = all_connectors (client, query);
  g_assert_cmpuint (available->len, ==, n_available);
  for (guint i = 0; i < available->len; i++)
    g_assert_true (pb_connector_get_available (available->pdata[i]));
}

void
test_connectors_get (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GPtrArray) all = all_connectors (client, NULL);
  PbConnector *expected = all->pdata[all->len / 2];
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbConnector) connector = NULL;

  AWAIT (pb_client_get_connector_async, client, pb_connector_get_provider (expected), NULL);
  connector = pb_client_get_connector_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_cmpstr (pb_connector_get_provider (connector), ==, pb_connector_get_provider (expected));
  g_assert_cmpstr (pb_connector_get_provider_name (connector), ==,
                   pb_connector_get_provider_name (expected));
  g_assert_cmpuint (g_list_model_get_n_items (pb_connector_get_auth_types (connector)), ==,
                    g_list_model_get_n_items (pb_connector_get_auth_types (expected)));
  g_clear_object (&result);

  /* 404 */
  AWAIT (pb_client_get_connector_async, client, "no-such-connector", NULL);
  g_assert_null (pb_client_get_connector_finish (client, result, &error));
  assert_http_failure (error, PB_API_ERROR_NOT_FOUND, 404, "not_found");
}
