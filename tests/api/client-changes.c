/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include "client-tests.h"

/* Incremental lists: the whole list with its token, then what changed since, in small
 * pages; an unknown token is PB_API_ERROR_SYNC_TOKEN_EXPIRED. */

static PbIntegrationChanges *
list_changes (PbClient    *client,
              const char  *token,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  AWAIT (pb_client_list_integration_changes_async, client, token, NULL);
  return pb_client_list_integration_changes_finish (client, result, error);
}

void
test_integration_changes (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegrationChanges) all = list_changes (client, NULL, &error);
  g_autoptr(PbIntegrationChanges) none = NULL;
  g_autoptr(PbIntegrationChanges) delta = NULL;
  g_autoptr(PbIntegrationChanges) expired = NULL;
  g_autoptr(PbIntegration) renamed = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(GPtrArray) every = all_integrations (client, NULL);
  g_autofree char *name = g_strdup_printf ("Changed %08x", g_random_int ());
  g_autofree char *deleted_id = NULL;
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(PbIntegration) doomed = NULL;
  PbIntegration *target = NULL;

  g_assert_no_error (error);
  g_assert_true (all->full);
  g_assert_nonnull (all->sync_token);
  g_assert_cmpuint (all->integrations->len, ==, every->len);
  g_assert_cmpuint (all->deleted_ids->len, ==, 0);

  none = list_changes (client, all->sync_token, &error);
  g_assert_no_error (error);
  g_assert_false (none->full);
  g_assert_cmpuint (none->integrations->len, ==, 0);
  g_assert_cmpuint (none->deleted_ids->len, ==, 0);
  g_assert_nonnull (none->sync_token);

  /* One renamed; one created and deleted since the token, listed as deleted only. */
  target = g_ptr_array_index (every, 0);
  connector = fresh_connector (client, &type);
  deleted_id = g_uuid_string_random ();
  body = create_body (connector, type, deleted_id, "Deleted again");
  doomed = create_integration (client, body, &error);
  g_assert_no_error (error);
  json_object_set_string_member (patch, "name", name);
  renamed = update_integration (client, pb_integration_get_id (target), patch, -1, &error);
  g_assert_no_error (error);
  g_assert_true (delete_integration (client, deleted_id, -1, &error));
  g_assert_no_error (error);

  delta = list_changes (client, none->sync_token, &error);
  g_assert_no_error (error);
  g_assert_false (delta->full);
  g_assert_cmpuint (delta->integrations->len, ==, 1);
  g_assert_cmpstr (pb_integration_get_name (g_ptr_array_index (delta->integrations, 0)), ==,
                   name);
  g_assert_cmpint (pb_integration_get_version (g_ptr_array_index (delta->integrations, 0)), ==,
                   pb_integration_get_version (renamed));
  g_assert_cmpuint (delta->deleted_ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (delta->deleted_ids, 0), ==, deleted_id);
  g_assert_cmpstr (delta->sync_token, !=, none->sync_token);

  expired = list_changes (client, "bm90LWEtc3luYy10b2tlbg", &error);
  g_assert_null (expired);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_SYNC_TOKEN_EXPIRED);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 410);
  g_assert_cmpstr (pb_api_error_get_code (error), ==, "sync_token_expired");
}
