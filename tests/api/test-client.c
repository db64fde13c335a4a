/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "client-test-util.h"

/*
 * PbClient against a real plugboard-server (`demo --listen 127.0.0.1:0`): the project,
 * connectors, integrations, linked accounts and request logs. Every call goes over HTTP on
 * the loopback; nothing is mocked. The error codes are tested in test-client-errors.c;
 * transport, retries and the debug log in test-client-transport.c.
 */

/* Tests: project */

static void
test_project_get (void)
{
  g_autoptr(PbClient) admin = admin_client ();
  g_autoptr(PbClient) viewer = viewer_client ();
  g_autoptr(PbProject) project = NULL;
  g_autoptr(PbProject) viewed = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *announced = pb_test_server_get_project (get_demo_server (), 0);

  project = get_project (admin, NULL, &error);
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

  viewed = get_project (viewer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_project_get_id (viewed), ==, pb_project_get_id (project));
  g_assert_cmpstr (pb_project_get_role (viewed), ==, "viewer");
  g_assert_true (pb_project_is_read_only (viewed));
}

/* The second demo project: each key sees its own project. */
static void
test_project_second (void)
{
  PbTestServer *server = get_demo_server ();
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbProject) project = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (pb_test_server_get_n_projects (server), >=, 2);
  client = pb_client_new (pb_test_server_get_url (server),
                          pb_test_server_get_admin_key (server, 1));
  project = get_project (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_project_get_id (project), ==,
                   json_object_get_string_member (pb_test_server_get_project (server, 1), "id"));
}

/* Tests: connectors */

static void
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
      page = pb_client_list_connectors_finish (client, result, NULL, &error);
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

static void
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

static void
test_connectors_get (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GPtrArray) all = all_connectors (client, NULL);
  PbConnector *expected = all->pdata[all->len / 2];
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(PbConnector) connector = NULL;

  AWAIT (pb_client_get_connector_async, client, pb_connector_get_provider (expected), NULL);
  connector = pb_client_get_connector_finish (client, result, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_cmpstr (pb_connector_get_provider (connector), ==, pb_connector_get_provider (expected));
  g_assert_cmpstr (pb_connector_get_provider_name (connector), ==,
                   pb_connector_get_provider_name (expected));
  g_assert_cmpuint (g_list_model_get_n_items (pb_connector_get_auth_types (connector)), ==,
                    g_list_model_get_n_items (pb_connector_get_auth_types (expected)));
  g_clear_object (&result);

  /* 404 */
  AWAIT (pb_client_get_connector_async, client, "no-such-connector", NULL);
  g_assert_null (pb_client_get_connector_finish (client, result, &failure, &error));
  assert_http_failure (error, failure, PB_API_ERROR_NOT_FOUND, 404, "not_found");
}

/* Tests: integrations */

static void
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
      page = pb_client_list_integrations_finish (client, result, NULL, &error);
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
static void
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
      page = pb_client_list_integrations_finish (client, result, NULL, &error);
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

static void
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

static void
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
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  /* Create with a client-chosen id: the first of its connector is the default. */
  created = create_integration (client, body, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
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
  again = create_integration (client, body, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_id (again), ==, id);
  g_assert_cmpint (pb_integration_get_version (again), ==, pb_integration_get_version (created));

  /* Read it back. */
  fetched = get_integration (client, id, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_id (fetched), ==, id);
  g_assert_cmpint (pb_integration_get_version (fetched), ==, pb_integration_get_version (created));

  /* Update with If-Match of the current version. */
  json_object_set_string_member (patch, "name", "Renamed by the client test");
  updated = update_integration (client, id, patch, pb_integration_get_version (fetched),
                                &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_cmpstr (pb_integration_get_name (updated), ==, "Renamed by the client test");
  g_assert_cmpint (pb_integration_get_version (updated), >, pb_integration_get_version (fetched));

  /* Delete with If-Match, then it is gone. */
  g_assert_true (delete_integration (client, id, pb_integration_get_version (updated),
                                     &failure, &error));
  g_assert_no_error (error);
  g_assert_null (failure);

  g_clear_object (&fetched);
  fetched = get_integration (client, id, &failure, &error);
  g_assert_null (fetched);
  assert_http_failure (error, failure, PB_API_ERROR_NOT_FOUND, 404, "not_found");
}

static void
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
  disabled = update_integration (client, pb_integration_get_id (created), patch, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (pb_integration_get_active (disabled));

  json_object_set_boolean_member (patch, "active", TRUE);
  enabled = update_integration (client, pb_integration_get_id (created), patch,
                                pb_integration_get_version (disabled), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pb_integration_get_active (enabled));

  delete_or_die (client, pb_integration_get_id (created));
}

/* Tests: linked accounts and connect sessions */

static JsonObject *
create_session (PbClient      *client,
                JsonObject    *body,
                PbApiFailure **failure,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  AWAIT (pb_client_create_connect_session_async, client, body, NULL);
  return pb_client_create_connect_session_finish (client, result, failure, error);
}

static PbLinkedAccount *
authenticate_session (PbClient      *client,
                      const char    *token,
                      PbApiFailure **failure,
                      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "token", token);
  json_object_set_object_member (body, "credentials", json_object_new ());
  AWAIT (pb_client_authenticate_connect_session_async, client, body, NULL);
  return pb_client_authenticate_connect_session_finish (client, result, failure, error);
}

static PbLinkedAccount *
get_account (PbClient   *client,
             const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PbLinkedAccount *account;

  AWAIT (pb_client_get_account_async, client, id, NULL);
  account = pb_client_get_account_finish (client, result, NULL, &error);
  g_assert_no_error (error);

  return account;
}

static void
test_connect_sessions (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  const char *provider = pb_connector_get_provider (connector);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(PbIntegration) integration = NULL;
  g_autoptr(PbIntegration) disabled = NULL;
  g_autoptr(PbIntegration) counted = NULL;
  g_autoptr(PbLinkedAccount) account = NULL;
  g_autoptr(PbLinkedAccount) fetched = NULL;
  g_autoptr(PbLinkedAccount) inactive = NULL;
  g_autoptr(PbLinkedAccount) reused = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbQuery) query = pb_query_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  GPtrArray *reasons;

  json_object_set_string_member (body, "origin_owner_id", "client-test-owner");
  json_object_set_string_member (body, "origin_owner_name", "Client Test Ltd");
  json_object_set_string_member (body, "origin_username", "ada@example.com");
  json_object_set_string_member (body, "provider", provider);

  /* No integration for the connector yet. */
  g_assert_null (create_session (client, body, &failure, &error));
  assert_http_failure (error, failure, PB_API_ERROR_CONFLICT, 409, "no_integration");
  g_clear_error (&error);
  g_clear_pointer (&failure, pb_api_failure_free);

  integration = create_in (client, connector, type, "Linked");

  /* Without integration_id the connector's default is used. */
  session = create_session (client, body, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_true (json_object_has_member (session, "token"));
  g_assert_cmpstr (json_object_get_string_member (session, "provider"), ==, provider);
  g_assert_cmpstr (json_object_get_string_member (session, "integration_id"), ==,
                   pb_integration_get_id (integration));

  account = authenticate_session (client, json_object_get_string_member (session, "token"),
                                  &failure, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_cmpstr (pb_linked_account_get_integration_id (account), ==,
                   pb_integration_get_id (integration));
  g_assert_cmpstr (pb_linked_account_get_provider (account), ==, provider);
  g_assert_cmpstr (pb_linked_account_get_origin_owner_id (account), ==, "client-test-owner");
  g_assert_cmpint (pb_linked_account_get_status (account), ==, PB_ACCOUNT_STATUS_ACTIVE);

  /* A used token: 401 invalid_token. */
  g_assert_null (authenticate_session (client, json_object_get_string_member (session, "token"),
                                       &failure, &error));
  assert_http_failure (error, failure, PB_API_ERROR_UNAUTHORIZED, 401, "invalid_token");
  g_clear_error (&error);
  g_clear_pointer (&failure, pb_api_failure_free);

  /* GET /accounts/{id} and the filtered list */
  fetched = get_account (client, pb_linked_account_get_id (account));
  g_assert_cmpstr (pb_linked_account_get_id (fetched), ==, pb_linked_account_get_id (account));
  g_assert_cmpstr (pb_linked_account_get_origin_owner_name (fetched), ==, "Client Test Ltd");

  pb_query_set (query, "integration_id", pb_integration_get_id (integration));
  AWAIT (pb_client_list_accounts_async, client, query, 0, NULL, NULL);
  {
    g_autoptr(PbPage) page = pb_client_list_accounts_finish (client, result, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (page->items->len, ==, 1);
    g_assert_null (page->next);
    g_assert_cmpstr (pb_linked_account_get_id (page->items->pdata[0]), ==,
                     pb_linked_account_get_id (account));
  }
  g_clear_object (&result);

  /* The integration counts it and may not be deleted now. */
  counted = get_integration (client, pb_integration_get_id (integration), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pb_integration_get_accounts_total (counted), ==, 1);
  g_assert_cmpuint (pb_integration_get_accounts_active (counted), ==, 1);
  g_assert_false (delete_integration (client, pb_integration_get_id (integration), -1,
                                      &failure, &error));
  assert_http_failure (error, failure, PB_API_ERROR_CONFLICT, 409, "has_linked_accounts");
  g_clear_error (&error);
  g_clear_pointer (&failure, pb_api_failure_free);

  /* Disabling makes the account inactive, and new sessions are refused. */
  json_object_set_boolean_member (patch, "active", FALSE);
  disabled = update_integration (client, pb_integration_get_id (integration), patch,
                                 pb_integration_get_version (counted), NULL, &error);
  g_assert_no_error (error);
  inactive = get_account (client, pb_linked_account_get_id (account));
  g_assert_cmpint (pb_linked_account_get_status (inactive), ==, PB_ACCOUNT_STATUS_INACTIVE);
  reasons = pb_linked_account_get_status_reasons (inactive);
  g_assert_nonnull (reasons);
  g_assert_cmpuint (reasons->len, >=, 1);
  g_assert_cmpstr (((PbStatusReason *) reasons->pdata[0])->code, ==, "integration_disabled");

  json_object_set_string_member (body, "integration_id", pb_integration_get_id (integration));
  refused = create_session (client, body, &failure, &error);
  g_assert_null (refused);
  assert_http_failure (error, failure, PB_API_ERROR_CONFLICT, 409, "integration_disabled");
  g_clear_error (&error);

  /* Filter by status */
  pb_query_set (query, "status", "inactive");
  accounts = NULL;
  AWAIT (pb_client_list_all_accounts_async, client, query, NULL);
  accounts = pb_client_list_all_accounts_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_clear_object (&result);
  g_clear_pointer (&accounts, g_ptr_array_unref);
  pb_query_set (query, "status", "active");
  AWAIT (pb_client_list_all_accounts_async, client, query, NULL);
  accounts = pb_client_list_all_accounts_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_clear_object (&result);

  /* The server logged what concerned the integration (sessions, account reads, changes). */
  {
    g_autoptr(PbQuery) by_integration = pb_query_new ();
    g_autoptr(GPtrArray) logs = NULL;

    pb_query_set (by_integration, "integration_id", pb_integration_get_id (integration));
    AWAIT (pb_client_list_all_logs_async, client, by_integration, NULL);
    logs = pb_client_list_all_logs_finish (client, result, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (logs->len, >=, 3);
    for (guint i = 0; i < logs->len; i++)
      g_assert_cmpstr (pb_log_entry_get_integration_id (logs->pdata[i]), ==,
                       pb_integration_get_id (integration));
  }
}

static void
test_accounts_pages (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  guint pages = 0;

  AWAIT (pb_client_list_all_accounts_async, client, NULL, NULL);
  all = pb_client_list_all_accounts_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >=, 3);

  do
    {
      g_autoptr(PbPage) page = NULL;

      g_clear_object (&result);
      AWAIT (pb_client_list_accounts_async, client, NULL, 2, next, NULL);
      page = pb_client_list_accounts_finish (client, result, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->items->len; i++)
        g_ptr_array_add (ids, g_strdup (pb_linked_account_get_id (page->items->pdata[i])));
      g_free (next);
      next = g_strdup (page->next);
      pages++;
      g_assert_cmpuint (pages, <, 10000);
    }
  while (next != NULL);

  g_assert_cmpuint (pages, >=, 2);
  g_assert_cmpuint (ids->len, ==, all->len);
  assert_no_duplicates (ids, "Linked account");
}

/* Tests: request logs */

static void
test_logs (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) failed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbLogEntry) entry = NULL;
  g_autoptr(PbQuery) query = pb_query_new ();
  g_autofree char *next = NULL;
  g_autofree char *first_id = NULL;
  guint pages = 0;

  do
    {
      g_autoptr(PbPage) page = NULL;

      g_clear_object (&result);
      AWAIT (pb_client_list_logs_async, client, NULL, 10, next, NULL);
      page = pb_client_list_logs_finish (client, result, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->items->len, <=, 10);
      for (guint i = 0; i < page->items->len; i++)
        {
          PbLogEntry *item = page->items->pdata[i];

          g_ptr_array_add (ids, g_strdup (pb_log_entry_get_request_id (item)));
          /* desc order by default */
          if (i > 0)
            g_assert_cmpint (g_date_time_compare (
                               pb_log_entry_get_event_datetime (page->items->pdata[i - 1]),
                               pb_log_entry_get_event_datetime (item)), >=, 0);
        }
      g_free (next);
      next = g_strdup (page->next);
      pages++;
      g_assert_cmpuint (pages, <, 10000);
    }
  while (next != NULL);

  g_assert_cmpuint (pages, >=, 2);
  assert_no_duplicates (ids, "Log entry");

  first_id = g_strdup (g_ptr_array_index (ids, ids->len / 2));
  g_clear_object (&result);
  AWAIT (pb_client_get_log_async, client, first_id, NULL);
  entry = pb_client_get_log_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_log_entry_get_request_id (entry), ==, first_id);
  g_assert_cmpuint (pb_log_entry_get_status (entry), >=, 100);

  pb_query_set (query, "success", "false");
  g_clear_object (&result);
  AWAIT (pb_client_list_all_logs_async, client, query, NULL);
  failed = pb_client_list_all_logs_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < failed->len; i++)
    {
      g_assert_false (pb_log_entry_get_success (failed->pdata[i]));
      g_assert_cmpuint (pb_log_entry_get_status (failed->pdata[i]), >=, 400);
    }
}


/* Tests: list-all over several pages (the next page is asked for while this one is parsed) */

/* Logs up to a minute ago: the seeded ~3,000 (over the last 30 days), without the entries
 * that this test's own requests add meanwhile, so that two listings can be compared. */
static PbQuery *
settled_logs_query (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) before = g_date_time_add_minutes (now, -1);
  g_autofree char *end = g_date_time_format_iso8601 (before);
  PbQuery *query = pb_query_new ();

  pb_query_set (query, "end_date", end);
  return query;
}

static void
test_list_all_pages_in_order (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbQuery) query = settled_logs_query ();
  g_autoptr(GPtrArray) by_hand = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autofree char *log = NULL;
  guint pages = 0;
  guint n_requests;

  captured_log = g_string_new (NULL);

  /* By hand, one page after another, with the page size list-all uses. */
  do
    {
      g_autoptr(PbPage) page = NULL;

      g_clear_object (&result);
      AWAIT (pb_client_list_logs_async, client, query, PB_CLIENT_MAX_PAGE_SIZE, next, NULL);
      page = pb_client_list_logs_finish (client, result, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->items->len; i++)
        g_ptr_array_add (by_hand, g_strdup (pb_log_entry_get_request_id (page->items->pdata[i])));
      g_free (next);
      next = g_strdup (page->next);
      pages++;
      g_assert_cmpuint (pages, <, 100);
    }
  while (next != NULL);

  /* The demo seeds about 3,000 logs: at least three pages of 1000. */
  g_assert_cmpuint (pages, >=, 3);
  g_assert_cmpuint (by_hand->len, >, 2 * PB_CLIENT_MAX_PAGE_SIZE);

  n_requests = pb_client_get_n_requests (client);
  g_clear_object (&result);
  AWAIT (pb_client_list_all_logs_async, client, query, NULL);
  all = pb_client_list_all_logs_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (all);

  /* Every item once, in the server's order. */
  log = g_string_free (g_steal_pointer (&captured_log), FALSE);
  g_assert_cmpuint (all->len, ==, by_hand->len);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpstr (pb_log_entry_get_request_id (all->pdata[i]), ==, by_hand->pdata[i]);

  /* The following pages were asked for before their previous one was parsed (each page is
   * large enough to be parsed in a worker thread), and none was asked for in vain. */
  g_assert_nonnull (strstr (log, "asking for the next page before this one is parsed"));
  g_assert_nonnull (strstr (log, "in a worker thread"));
  g_assert_null (strstr (log, "is not the next one"));
  g_assert_cmpuint (pb_client_get_n_requests (client) - n_requests, ==, pages);
}

typedef struct
{
  guint         n_calls;
  GAsyncResult *result;
} Counted;

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Counted *counted = user_data;

  counted->n_calls++;
  g_set_object (&counted->result, result);
}

static gboolean
on_flag_timeout (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Cancelled while the first page is parsed and the second one is already asked for: the list
 * reports CANCELLED once, and every request, thread and reference ends (the client is freed
 * soon after the caller drops it). */
static void
test_list_all_cancel_midway (void)
{
  PbClient *client = admin_client ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PbQuery) query = settled_logs_query ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) timeout = NULL;
  GCancellable *weak_cancellable = cancellable;
  gpointer weak_client = client;
  gboolean timed_out = FALSE;
  Counted counted = { 0 };

  captured_log = g_string_new (NULL);

  g_object_add_weak_pointer (G_OBJECT (client), &weak_client);
  g_object_add_weak_pointer (G_OBJECT (cancellable), (gpointer *) &weak_cancellable);

  pb_client_list_all_logs_async (client, query, cancellable, on_counted, &counted);
  while (counted.n_calls == 0
         && strstr (captured_log->str,
                    "asking for the next page before this one is parsed") == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_string_free (g_steal_pointer (&captured_log), TRUE);
  g_assert_cmpuint (counted.n_calls, ==, 0);
  g_cancellable_cancel (cancellable);

  while (counted.n_calls == 0)
    g_main_context_iteration (NULL, TRUE);

  items = pb_client_list_all_logs_finish (client, counted.result, NULL, &error);
  g_assert_null (items);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&counted.result);

  /* Nothing outlives the call: no second callback, no request, no thread. */
  g_object_unref (client);
  g_clear_object (&cancellable);
  timeout = g_timeout_source_new_seconds (5);
  g_source_set_callback (timeout, on_flag_timeout, &timed_out, NULL);
  g_source_attach (timeout, NULL);
  while ((weak_client != NULL || weak_cancellable != NULL) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (timeout);
  g_assert_null (weak_client);
  g_assert_null (weak_cancellable);
  g_assert_cmpuint (counted.n_calls, ==, 1);
}


int
main (int   argc,
      char *argv[])
{
  int ret;

  client_test_init (&argc, &argv);

  g_test_add_func ("/client/project/get", test_project_get);
  g_test_add_func ("/client/project/second", test_project_second);
  g_test_add_func ("/client/connectors/pages", test_connectors_pages);
  g_test_add_func ("/client/connectors/filters", test_connectors_filters);
  g_test_add_func ("/client/connectors/get", test_connectors_get);
  g_test_add_func ("/client/integrations/pages", test_integrations_pages);
  g_test_add_func ("/client/integrations/pages-while-adding", test_integrations_pages_while_adding);
  g_test_add_func ("/client/integrations/filters", test_integrations_filters);
  g_test_add_func ("/client/integrations/crud", test_integrations_crud);
  g_test_add_func ("/client/integrations/disable-enable", test_integrations_disable_enable);
  g_test_add_func ("/client/accounts/connect-sessions", test_connect_sessions);
  g_test_add_func ("/client/accounts/pages", test_accounts_pages);
  g_test_add_func ("/client/logs/pages-and-get", test_logs);
  g_test_add_func ("/client/list-all/pages-in-order", test_list_all_pages_in_order);
  g_test_add_func ("/client/list-all/cancel-midway", test_list_all_cancel_midway);

  ret = g_test_run ();

  client_test_shutdown ();

  return ret;
}
