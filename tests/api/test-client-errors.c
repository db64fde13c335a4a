/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "client-test-util.h"

/*
 * PbClient's errors against a real plugboard-server (`demo --listen 127.0.0.1:0`): each
 * HTTP error of the API becomes its PB_API_ERROR code with the server's message and error
 * body kept. Every call goes over HTTP on the loopback; nothing is mocked.
 */

/* Tests: error codes */

static void
test_error_unauthorized (void)
{
  PbTestServer *server = get_demo_server ();
  g_autoptr(PbClient) client = pb_client_new (pb_test_server_get_url (server), "pb_wrong_key");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  project = get_project (client, &error);
  g_assert_null (project);
  assert_http_failure (error, PB_API_ERROR_UNAUTHORIZED, 401, "unauthorized");
}

static void
test_error_forbidden (void)
{
  g_autoptr(PbClient) admin = admin_client ();
  g_autoptr(PbClient) viewer = viewer_client ();
  g_autoptr(GPtrArray) integrations = all_integrations (admin, NULL);
  g_autoptr(GPtrArray) seen = all_integrations (viewer, NULL);
  PbIntegration *some = integrations->pdata[0];
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (admin, &type);
  g_autoptr(JsonObject) body = create_body (connector, type, NULL, NULL);
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) changed = NULL;
  g_autoptr(PbIntegration) unchanged = NULL;

  /* A viewer reads… */
  g_assert_cmpuint (seen->len, ==, integrations->len);

  /* …but may not create, change or delete. */
  g_assert_null (create_integration (viewer, body, &error));
  assert_http_failure (error, PB_API_ERROR_FORBIDDEN, 403, "forbidden");
  g_clear_error (&error);

  json_object_set_string_member (patch, "name", "Viewer rename");
  changed = update_integration (viewer, pb_integration_get_id (some), patch, -1, &error);
  g_assert_null (changed);
  assert_http_failure (error, PB_API_ERROR_FORBIDDEN, 403, "forbidden");
  g_clear_error (&error);

  g_assert_false (delete_integration (viewer, pb_integration_get_id (some), -1, &error));
  assert_http_failure (error, PB_API_ERROR_FORBIDDEN, 403, "forbidden");
  g_clear_error (&error);

  unchanged = get_integration (admin, pb_integration_get_id (some), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_name (unchanged), ==, pb_integration_get_name (some));
  g_assert_cmpint (pb_integration_get_version (unchanged), ==, pb_integration_get_version (some));
}

static void
test_error_not_found (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (get_integration (client, id, &error));
  assert_http_failure (error, PB_API_ERROR_NOT_FOUND, 404, "not_found");
  g_clear_error (&error);

  json_object_set_string_member (patch, "name", "Nobody");
  g_assert_null (update_integration (client, id, patch, -1, &error));
  assert_http_failure (error, PB_API_ERROR_NOT_FOUND, 404, "not_found");
  g_clear_error (&error);

  g_assert_false (delete_integration (client, id, -1, &error));
  assert_http_failure (error, PB_API_ERROR_NOT_FOUND, 404, "not_found");
  g_clear_error (&error);

  AWAIT (pb_client_get_account_async, client, "no-such-account", NULL);
  g_assert_null (pb_client_get_account_finish (client, result, &error));
  assert_http_failure (error, PB_API_ERROR_NOT_FOUND, 404, "not_found");
  g_clear_error (&error);
  g_clear_object (&result);

  AWAIT (pb_client_get_log_async, client, "no-such-request", NULL);
  g_assert_null (pb_client_get_log_finish (client, result, &error));
  assert_http_failure (error, PB_API_ERROR_NOT_FOUND, 404, "not_found");
}

static void
test_error_id_in_use (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) body = create_body (connector, type, id, "First");
  g_autoptr(JsonObject) other = create_body (connector, type, id, "Second, same id");
  g_autoptr(PbIntegration) created = NULL;
  g_autoptr(GError) error = NULL;

  created = create_integration (client, body, &error);
  g_assert_no_error (error);

  g_assert_null (create_integration (client, other, &error));
  assert_http_failure (error, PB_API_ERROR_CONFLICT, 409, "id_in_use");

  delete_or_die (client, id);
}

static void
test_error_default_rules (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autoptr(PbIntegration) first = create_in (client, connector, type, "First");
  g_autoptr(PbIntegration) second = create_in (client, connector, type, "Second");
  g_autoptr(PbIntegration) now_first = NULL;
  g_autoptr(PbIntegration) promoted = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (pb_integration_get_is_default (first));
  g_assert_false (pb_integration_get_is_default (second));

  /* The default may not be deleted while it has siblings. */
  g_assert_false (delete_integration (client, pb_integration_get_id (first), -1, &error));
  assert_http_failure (error, PB_API_ERROR_CONFLICT, 409, "default_with_siblings");
  g_clear_error (&error);

  /* Nor simply stop being the default. */
  json_object_set_boolean_member (patch, "default", FALSE);
  g_assert_null (update_integration (client, pb_integration_get_id (first), patch, -1,
                                     &error));
  assert_http_failure (error, PB_API_ERROR_CONFLICT, 409, "default_required");
  g_clear_error (&error);

  /* Making the second the default moves it. */
  json_object_set_boolean_member (patch, "default", TRUE);
  promoted = update_integration (client, pb_integration_get_id (second), patch, -1,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (pb_integration_get_is_default (promoted));
  now_first = get_integration (client, pb_integration_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_false (pb_integration_get_is_default (now_first));

  /* Now the first (not the default) may go, then the second (alone). */
  delete_or_die (client, pb_integration_get_id (first));
  delete_or_die (client, pb_integration_get_id (second));
}

static void
test_error_version_mismatch (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autoptr(PbIntegration) created = create_in (client, connector, type, "Versioned");
  g_autoptr(PbIntegration) updated = NULL;
  g_autoptr(PbIntegration) current = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  gint64 stale = pb_integration_get_version (created);
  JsonObject *current_json;

  json_object_set_string_member (patch, "name", "Versioned, renamed");
  updated = update_integration (client, pb_integration_get_id (created), patch, stale, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pb_integration_get_version (updated), >, stale);

  /* A change based on the old version: 412 with the integration as it is now. */
  json_object_set_string_member (patch, "name", "Lost update");
  g_assert_null (update_integration (client, pb_integration_get_id (created), patch, stale,
                                     &error));
  assert_http_failure (error, PB_API_ERROR_VERSION_MISMATCH, 412, "version_mismatch");
  current_json = pb_api_error_get_current (error);
  g_assert_nonnull (current_json);
  current = pb_integration_new_from_json (current_json, &parse_error);
  g_assert_no_error (parse_error);
  g_clear_error (&error);
  g_assert_cmpstr (pb_integration_get_id (current), ==, pb_integration_get_id (created));
  g_assert_cmpint (pb_integration_get_version (current), ==, pb_integration_get_version (updated));
  g_assert_cmpstr (pb_integration_get_name (current), ==, "Versioned, renamed");
  g_clear_error (&error);

  /* Same for a delete based on the old version; then nothing was deleted. */
  g_assert_false (delete_integration (client, pb_integration_get_id (created), stale,
                                      &error));
  assert_http_failure (error, PB_API_ERROR_VERSION_MISMATCH, 412, "version_mismatch");
  g_clear_error (&error);

  delete_or_die (client, pb_integration_get_id (created));
}

static void
test_error_validation (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autoptr(JsonObject) body = create_body (connector, type, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *fields;
  gboolean named = FALSE;

  json_object_set_string_member (json_object_get_object_member (body, "config"),
                                 "no_such_field", "x");
  g_assert_null (create_integration (client, body, &error));
  assert_http_failure (error, PB_API_ERROR_VALIDATION, 400, "validation_failed");
  fields = pb_api_error_get_fields (error);
  g_assert_nonnull (fields);
  names = json_object_get_members (fields);
  for (GList *l = names; l != NULL; l = l->next)
    if (g_str_has_suffix (l->data, "no_such_field"))
      named = TRUE;
  g_assert_true (named);
  g_clear_error (&error);

  /* page_size over 1000 */
  AWAIT (pb_client_list_integrations_async, client, NULL, 1001, NULL, NULL);
  g_assert_null (pb_client_list_integrations_finish (client, result, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_VALIDATION);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 400);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A cursor that is not one */
  AWAIT (pb_client_list_integrations_async, client, NULL, 5, "not-a-cursor", NULL);
  g_assert_null (pb_client_list_integrations_finish (client, result, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_VALIDATION);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 400);

  /* Nothing was created for the connector. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    g_autoptr(GPtrArray) none = NULL;

    pb_query_set (query, "connector_key", pb_connector_get_provider (connector));
    none = all_integrations (client, query);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

static void
test_error_payload_too_large (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autoptr(JsonObject) body = create_body (connector, type, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill (1024 * 1024 + 16, 'x');

  json_object_set_string_member (body, "name", huge);
  g_assert_null (create_integration (client, body, &error));
  assert_http_failure (error, PB_API_ERROR_VALIDATION, 413, "payload_too_large");
}

static void
test_error_unknown_connector (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (body, "connector_key", "no-such-connector");
  json_object_set_string_member (body, "authentication_config_key", "api_key");
  json_object_set_object_member (body, "config", json_object_new ());
  json_object_set_object_member (body, "secrets", json_object_new ());

  g_assert_null (create_integration (client, body, &error));
  assert_http_failure (error, PB_API_ERROR_VALIDATION, 422, "unknown_connector");
}

static void
test_error_connector_unavailable (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(GPtrArray) connectors = all_connectors (client, NULL);
  g_autoptr(GError) error = NULL;
  PbConnector *unavailable = NULL;

  for (guint i = 0; i < connectors->len && unavailable == NULL; i++)
    if (!pb_connector_get_available (connectors->pdata[i]))
      unavailable = connectors->pdata[i];

  if (unavailable == NULL)
    {
      /* Try the other demo project: the two are on different plans. */
      PbTestServer *server = get_demo_server ();
      g_autoptr(PbClient) other = pb_client_new (pb_test_server_get_url (server),
                                                 pb_test_server_get_admin_key (server, 1));
      g_autoptr(GPtrArray) others = all_connectors (other, NULL);

      for (guint i = 0; i < others->len && unavailable == NULL; i++)
        if (!pb_connector_get_available (others->pdata[i]))
          {
            unavailable = others->pdata[i];
            g_set_object (&client, other);
            g_ptr_array_add (connectors, g_object_ref (unavailable));
          }
    }
  g_assert_nonnull (unavailable);
  g_assert_nonnull (pb_connector_get_unavailable_reason (unavailable));

  {
    g_autoptr(PbAuthType) type = g_list_model_get_item (pb_connector_get_auth_types (unavailable), 0);
    g_autoptr(JsonObject) body = create_body (unavailable, type, NULL, NULL);

    g_assert_null (create_integration (client, body, &error));
    assert_http_failure (error, PB_API_ERROR_VALIDATION, 422, "connector_unavailable");
  }
}

static void
test_error_unknown_auth_type (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbAuthType) type = NULL;
  g_autoptr(PbConnector) connector = fresh_connector (client, &type);
  g_autoptr(JsonObject) body = create_body (connector, type, NULL, NULL);
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (body, "authentication_config_key", "no_such_auth_type");
  g_assert_null (create_integration (client, body, &error));
  assert_http_failure (error, PB_API_ERROR_VALIDATION, 422, "unknown_auth_type");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  client_test_init (&argc, &argv);

  g_test_add_func ("/client/errors/unauthorized", test_error_unauthorized);
  g_test_add_func ("/client/errors/forbidden", test_error_forbidden);
  g_test_add_func ("/client/errors/not-found", test_error_not_found);
  g_test_add_func ("/client/errors/id-in-use", test_error_id_in_use);
  g_test_add_func ("/client/errors/default-rules", test_error_default_rules);
  g_test_add_func ("/client/errors/version-mismatch", test_error_version_mismatch);
  g_test_add_func ("/client/errors/validation", test_error_validation);
  g_test_add_func ("/client/errors/payload-too-large", test_error_payload_too_large);
  g_test_add_func ("/client/errors/unknown-connector", test_error_unknown_connector);
  g_test_add_func ("/client/errors/connector-unavailable", test_error_connector_unavailable);
  g_test_add_func ("/client/errors/unknown-auth-type", test_error_unknown_auth_type);

  ret = g_test_run ();

  client_test_shutdown ();

  return ret;
}
