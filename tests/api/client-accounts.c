/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include "client-tests.h"

/* Tests: linked accounts and connect sessions */

static JsonObject *
create_session (PbClient      *client,
                JsonObject    *body,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  AWAIT (pb_client_create_connect_session_async, client, body, NULL);
  return pb_client_create_connect_session_finish (client, result, error);
}

/* What an end user enters for @type: a value of the right kind for each account field. */
static JsonObject *
account_values (PbAuthType *type)
{
  GListModel *fields = pb_auth_type_get_account_fields (type);
  JsonObject *values = json_object_new ();

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      const char *key = pb_auth_field_get_key (field);
      const char * const *options = pb_auth_field_get_options (field);

      switch (pb_auth_field_get_kind (field))
        {
        case PB_FIELD_KIND_URL:
          json_object_set_string_member (values, key, "https://tenant.example.com");
          break;
        case PB_FIELD_KIND_EMAIL:
          json_object_set_string_member (values, key, "it@example.com");
          break;
        case PB_FIELD_KIND_SELECT:
          json_object_set_string_member (values, key, options[0]);
          break;
        case PB_FIELD_KIND_TEXT:
        case PB_FIELD_KIND_SECRET:
        default:
          json_object_set_string_member (values, key, "client-test-value");
          break;
        }
    }
  return values;
}

static PbLinkedAccount *
authenticate_session (PbClient      *client,
                      PbAuthType    *type,
                      const char    *token,
                      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "token", token);
  json_object_set_object_member (body, "credentials", account_values (type));
  AWAIT (pb_client_authenticate_connect_session_async, client, body, NULL);
  return pb_client_authenticate_connect_session_finish (client, result, error);
}

static PbLinkedAccount *
get_account (PbClient   *client,
             const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PbLinkedAccount *account;

  AWAIT (pb_client_get_account_async, client, id, NULL);
  account = pb_client_get_account_finish (client, result, &error);
  g_assert_no_error (error);

  return account;
}

void
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
  g_assert_null (create_session (client, body, &error));
  assert_http_failure (error, PB_API_ERROR_CONFLICT, 409, "no_integration");
  g_clear_error (&error);

  integration = create_in (client, connector, type, "Linked");

  /* Without integration_id the connector's default is used. */
  session = create_session (client, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_true (json_object_has_member (session, "token"));
  g_assert_cmpstr (json_object_get_string_member (session, "provider"), ==, provider);
  g_assert_cmpstr (json_object_get_string_member (session, "integration_id"), ==,
                   pb_integration_get_id (integration));

  account = authenticate_session (client, type, json_object_get_string_member (session, "token"),
                                  &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_cmpstr (pb_linked_account_get_integration_id (account), ==,
                   pb_integration_get_id (integration));
  g_assert_cmpstr (pb_linked_account_get_provider (account), ==, provider);
  g_assert_cmpstr (pb_linked_account_get_origin_owner_id (account), ==, "client-test-owner");
  g_assert_cmpint (pb_linked_account_get_status (account), ==, PB_ACCOUNT_STATUS_ACTIVE);

  /* A used token: 401 invalid_token. */
  g_assert_null (authenticate_session (client, type, json_object_get_string_member (session, "token"),
                                       &error));
  assert_http_failure (error, PB_API_ERROR_UNAUTHORIZED, 401, "invalid_token");
  g_clear_error (&error);

  /* GET /accounts/{id} and the filtered list */
  fetched = get_account (client, pb_linked_account_get_id (account));
  g_assert_cmpstr (pb_linked_account_get_id (fetched), ==, pb_linked_account_get_id (account));
  g_assert_cmpstr (pb_linked_account_get_origin_owner_name (fetched), ==, "Client Test Ltd");

  pb_query_set (query, "integration_id", pb_integration_get_id (integration));
  AWAIT (pb_client_list_accounts_async, client, query, 0, NULL, NULL);
  {
    g_autoptr(PbPage) page = pb_client_list_accounts_finish (client, result, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (page->items->len, ==, 1);
    g_assert_null (page->next);
    g_assert_cmpstr (pb_linked_account_get_id (page->items->pdata[0]), ==,
                     pb_linked_account_get_id (account));
  }
  g_clear_object (&result);

  /* The integration counts it and may not be deleted now. */
  counted = get_integration (client, pb_integration_get_id (integration), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pb_integration_get_accounts_total (counted), ==, 1);
  g_assert_cmpuint (pb_integration_get_accounts_active (counted), ==, 1);
  g_assert_false (delete_integration (client, pb_integration_get_id (integration), -1,
                                      &error));
  assert_http_failure (error, PB_API_ERROR_CONFLICT, 409, "has_linked_accounts");
  g_clear_error (&error);

  /* Disabling makes the account inactive, and new sessions are refused. */
  json_object_set_boolean_member (patch, "active", FALSE);
  disabled = update_integration (client, pb_integration_get_id (integration), patch,
                                 pb_integration_get_version (counted), &error);
  g_assert_no_error (error);
  inactive = get_account (client, pb_linked_account_get_id (account));
  g_assert_cmpint (pb_linked_account_get_status (inactive), ==, PB_ACCOUNT_STATUS_INACTIVE);
  reasons = pb_linked_account_get_status_reasons (inactive);
  g_assert_nonnull (reasons);
  g_assert_cmpuint (reasons->len, >=, 1);
  g_assert_cmpstr (((PbStatusReason *) reasons->pdata[0])->code, ==, "integration_disabled");

  json_object_set_string_member (body, "integration_id", pb_integration_get_id (integration));
  refused = create_session (client, body, &error);
  g_assert_null (refused);
  assert_http_failure (error, PB_API_ERROR_CONFLICT, 409, "integration_disabled");
  g_clear_error (&error);

  /* Filter by status */
  pb_query_set (query, "status", "inactive");
  accounts = NULL;
  AWAIT (pb_client_list_all_accounts_async, client, query, NULL);
  accounts = pb_client_list_all_accounts_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_clear_object (&result);
  g_clear_pointer (&accounts, g_ptr_array_unref);
  pb_query_set (query, "status", "active");
  AWAIT (pb_client_list_all_accounts_async, client, query, NULL);
  accounts = pb_client_list_all_accounts_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_clear_object (&result);

  /* The server logged what concerned the integration (sessions, account reads, changes). */
  {
    g_autoptr(PbQuery) by_integration = pb_query_new ();
    g_autoptr(GPtrArray) logs = NULL;

    pb_query_set (by_integration, "integration_id", pb_integration_get_id (integration));
    AWAIT (pb_client_list_all_logs_async, client, by_integration, NULL);
    logs = pb_client_list_all_logs_finish (client, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (logs->len, >=, 3);
    for (guint i = 0; i < logs->len; i++)
      g_assert_cmpstr (pb_log_entry_get_integration_id (logs->pdata[i]), ==,
                       pb_integration_get_id (integration));
  }
}

void
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
  all = pb_client_list_all_accounts_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >=, 3);

  do
    {
      g_autoptr(PbPage) page = NULL;

      g_clear_object (&result);
      AWAIT (pb_client_list_accounts_async, client, NULL, 2, next, NULL);
      page = pb_client_list_accounts_finish (client, result, &error);
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

void
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
      page = pb_client_list_logs_finish (client, result, &error);
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
  entry = pb_client_get_log_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_log_entry_get_request_id (entry), ==, first_id);
  g_assert_cmpuint (pb_log_entry_get_status (entry), >=, 100);

  pb_query_set (query, "success", "false");
  g_clear_object (&result);
  AWAIT (pb_client_list_all_logs_async, client, query, NULL);
  failed = pb_client_list_all_logs_finish (client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < failed->len; i++)
    {
      g_assert_false (pb_log_entry_get_success (failed->pdata[i]));
      g_assert_cmpuint (pb_log_entry_get_status (failed->pdata[i]), >=, 400);
    }
}
