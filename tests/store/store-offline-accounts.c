/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-offline"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "store-offline-accounts.h"

/* Linked accounts through the store: suspend, resume and delete queued like integration
 * changes and replayed; linking (with typed values, a refused field first) and checking need
 * the backend and are refused offline. */

GPtrArray *
server_accounts (PbClient   *client,
                 const char *status)
{
  g_autoptr(PbQuery) query = pb_query_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts;

  if (status != NULL)
    pb_query_set (query, "status", status);
  pb_client_list_all_accounts_async (client, query, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  accounts = pb_client_list_all_accounts_finish (client, result, &error);
  g_assert_no_error (error);
  return accounts;
}

static PbLinkedAccount *
server_account (PbClient    *client,
                const char  *id,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pb_client_get_account_async (client, id, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  return pb_client_get_account_finish (client, result, error);
}

static gboolean
act (PbStore         *store,
     PbOperationKind  kind,
     PbLinkedAccount *account,
     gboolean        *out_queued,
     GError         **error)
{
  g_autoptr(PbOperation) operation = pb_operation_new_account (kind, account);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  pb_store_apply_async (store, operation, NULL, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  ok = pb_store_apply_finish (store, result, NULL, error);
  *out_queued = pb_store_apply_was_queued (store, result);
  return ok;
}

static PbLinkedAccount *
check (PbStore     *store,
       const char  *id,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pb_store_check_account_async (store, id, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  return pb_store_check_account_finish (store, result, error);
}

static PbConnectSession *
start_link (PbStore     *store,
            const char  *integration_id,
            const char  *account_id,
            const char  *owner_id,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pb_store_create_connect_session_async (store, integration_id, account_id, owner_id,
                                         "Store Test Ltd", NULL, pb_test_async_ready_cb,
                                         &result);
  result = pb_test_await (&result, 30000);
  return pb_store_create_connect_session_finish (store, result, error);
}

static PbLinkedAccount *
finish_link (PbStore           *store,
             PbConnectSession  *session,
             GHashTable        *values,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pb_store_authenticate_connect_session_async (store, session, values, NULL,
                                               pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  return pb_store_authenticate_connect_session_finish (store, result, error);
}

static gboolean
nothing_pending (gpointer data)
{
  return pb_store_get_n_pending (data) == 0;
}

/* A value of the right kind for each account field of @integration's auth type;
 * @out_first_required: (optional) the key of its first required field. */
static GHashTable *
account_values (PbStore       *store,
                PbIntegration *integration,
                const char    *tag,
                char         **out_first_required)
{
  PbConnector *connector = pb_store_find_connector (store,
                                                    pb_integration_get_connector_key (integration));
  PbAuthType *type = pb_connector_find_auth_type (connector,
                                                  pb_integration_get_auth_type_key (integration));
  GListModel *fields = pb_auth_type_get_account_fields (type);
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      const char *key = pb_auth_field_get_key (field);
      const char * const *options = pb_auth_field_get_options (field);
      char *value;

      switch (pb_auth_field_get_kind (field))
        {
        case PB_FIELD_KIND_URL:
          value = g_strdup ("https://tenant.example.com");
          break;
        case PB_FIELD_KIND_EMAIL:
          value = g_strdup ("it@example.com");
          break;
        case PB_FIELD_KIND_SELECT:
          value = g_strdup (options[0]);
          break;
        default:
          value = g_strdup_printf ("%s-%s", key, tag);
          break;
        }
      if (out_first_required != NULL && *out_first_required == NULL
          && pb_auth_field_get_required (field))
        *out_first_required = g_strdup (key);
      g_hash_table_insert (values, g_strdup (key), value);
    }
  return values;
}

/* An active account of an enabled API-key-like integration (its values can be typed). */
static PbLinkedAccount *
typed_account (PbStore   *store,
               GPtrArray *accounts,
               guint      skip)
{
  for (guint i = 0; i < accounts->len; i++)
    {
      PbLinkedAccount *account = accounts->pdata[i];
      PbIntegration *integration = pb_store_find_integration (
        store, pb_linked_account_get_integration_id (account), NULL);
      PbConnector *connector;
      PbAuthType *type;
      PbAuthKind kind;

      if (integration == NULL || !pb_integration_get_active (integration))
        continue;
      connector = pb_store_find_connector (store, pb_integration_get_connector_key (integration));
      type = connector ? pb_connector_find_auth_type (
        connector, pb_integration_get_auth_type_key (integration)) : NULL;
      if (type == NULL)
        continue;
      kind = pb_auth_type_get_kind (type);
      if (kind == PB_AUTH_KIND_OAUTH2 || kind == PB_AUTH_KIND_OIDC
          || g_list_model_get_n_items (pb_auth_type_get_account_fields (type)) == 0)
        continue;
      if (skip-- == 0)
        return account;
    }
  g_assert_not_reached ();
  return NULL;
}

void
test_store_accounts_online (PbStore  *store,
                            PbClient *observer)
{
  g_autoptr(GPtrArray) accounts = server_accounts (observer, "active");
  PbLinkedAccount *account = typed_account (store, accounts, 0);
  const char *id = pb_linked_account_get_id (account);
  const char *integration_id = pb_linked_account_get_integration_id (account);
  /* Held: the store's rows are new objects after a refresh. */
  g_autoptr(PbIntegration) integration =
    g_object_ref (pb_store_find_integration (store, integration_id, NULL));
  g_autoptr(PbLinkedAccount) now = NULL;
  g_autoptr(PbLinkedAccount) checked = NULL;
  g_autoptr(PbLinkedAccount) linked = NULL;
  g_autoptr(PbLinkedAccount) relinked = NULL;
  g_autoptr(PbConnectSession) session = NULL;
  g_autoptr(PbConnectSession) again = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *required = NULL;
  g_autofree char *owner_id = g_strdup_printf ("store-owner-%u", g_random_int ());
  g_autofree char *left_out = NULL;
  gboolean queued = TRUE;

  /* Suspended: the server has it so, and refuses to check it. */
  g_assert_true (act (store, PB_OPERATION_SUSPEND_ACCOUNT, account, &queued, &error));
  g_assert_no_error (error);
  g_assert_false (queued);
  now = server_account (observer, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pb_linked_account_get_status (now), ==, PB_ACCOUNT_STATUS_SUSPENDED);
  g_assert_false (pb_store_find_account_change (store, id, NULL));
  g_assert_null (check (store, id, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_CONFLICT);
  g_assert_cmpstr (pb_api_error_get_code (error), ==, "account_suspended");
  g_clear_error (&error);
  g_clear_object (&now);

  g_assert_true (act (store, PB_OPERATION_RESUME_ACCOUNT, account, &queued, &error));
  g_assert_no_error (error);
  checked = check (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pb_linked_account_get_status (checked), ==, PB_ACCOUNT_STATUS_ACTIVE);

  /* A new account with values typed here; a required one left out is refused by name, and
   * the session can be used again once it is given. */
  session = start_link (store, integration_id, NULL, owner_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session->token);
  g_assert_true (g_str_has_prefix (session->url, pb_store_get_backend (store)));
  values = account_values (store, integration, "first", &required);
  g_assert_nonnull (required);
  left_out = g_strdup (g_hash_table_lookup (values, required));
  g_hash_table_remove (values, required);
  g_assert_null (finish_link (store, session, values, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_VALIDATION);
  {
    g_autofree char *member = g_strconcat ("credentials.", required, NULL);

    g_assert_nonnull (pb_store_error_get_fields (error));
    g_assert_true (json_object_has_member (pb_store_error_get_fields (error), member));
  }
  g_clear_error (&error);
  g_hash_table_insert (values, g_strdup (required), g_steal_pointer (&left_out));
  linked = finish_link (store, session, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_linked_account_get_origin_owner_id (linked), ==, owner_id);
  g_assert_cmpstr (pb_linked_account_get_integration_id (linked), ==, integration_id);
  g_assert_cmpint (pb_linked_account_get_status (linked), ==, PB_ACCOUNT_STATUS_ACTIVE);

  /* Linked again: the same account. */
  again = start_link (store, integration_id, pb_linked_account_get_id (linked), NULL, &error);
  g_assert_no_error (error);
  g_hash_table_unref (values);
  values = account_values (store, integration, "second", NULL);
  relinked = finish_link (store, again, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_linked_account_get_id (relinked), ==, pb_linked_account_get_id (linked));
}

void
test_store_accounts_offline (OtServer  *server,
                             PbStore   *offline,
                             PbClient  *observer,
                             GPtrArray *accounts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbLinkedAccount) suspended = NULL;
  g_autoptr(PbLinkedAccount) deleted = NULL;
  g_autoptr(PbConnectSession) session = NULL;
  g_autofree char *line = NULL;
  PbLinkedAccount *first;
  PbLinkedAccount *second;
  PbOperationKind kind = PB_OPERATION_CREATE;
  gboolean queued = FALSE;

  g_assert_false (ot_server_is_running (server));
  first = typed_account (offline, accounts, 0);
  second = typed_account (offline, accounts, 1);

  /* Linking and checking cannot wait: refused at once, in words. */
  session = start_link (offline, pb_linked_account_get_integration_id (first), NULL, "someone",
                        &error);
  g_assert_null (session);
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NEEDS_BACKEND);
  g_clear_error (&error);
  g_assert_null (check (offline, pb_linked_account_get_id (first), &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NEEDS_BACKEND);
  g_clear_error (&error);

  /* Suspend and delete wait in the queue, readable in the pending list. */
  g_assert_true (act (offline, PB_OPERATION_SUSPEND_ACCOUNT, first, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  g_assert_true (act (offline, PB_OPERATION_DELETE_ACCOUNT, second, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  g_assert_cmpuint (pb_store_get_n_pending (offline), ==, 2);
  g_assert_true (pb_store_find_account_change (offline, pb_linked_account_get_id (first), &kind));
  g_assert_cmpint (kind, ==, PB_OPERATION_SUSPEND_ACCOUNT);
  g_assert_true (pb_store_find_account_change (offline, pb_linked_account_get_id (second), &kind));
  g_assert_cmpint (kind, ==, PB_OPERATION_DELETE_ACCOUNT);
  {
    g_autoptr(PbOutboxEntry) entry = g_list_model_get_item (pb_store_get_pending (offline), 0);
    g_autofree char *expected = g_strdup_printf ("Suspend account %s (",
                                                 pb_linked_account_get_origin_owner_name (first));

    line = pb_store_describe_change (offline, entry);
    g_assert_true (g_str_has_prefix (line, expected));
  }

  /* Back: the queue is replayed; the server has them. */
  g_assert_true (ot_server_start (server, &error));
  g_assert_no_error (error);
  pb_store_sync_now (offline);
  pb_test_wait_until (nothing_pending, offline, 20000);
  suspended = server_account (observer, pb_linked_account_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pb_linked_account_get_status (suspended), ==, PB_ACCOUNT_STATUS_SUSPENDED);
  deleted = server_account (observer, pb_linked_account_get_id (second), &error);
  g_assert_null (deleted);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_NOT_FOUND);
  g_assert_false (pb_store_find_account_change (offline, pb_linked_account_get_id (first), NULL));
}
