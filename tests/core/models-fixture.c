/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-models"

#include "config.h"

#include "models-fixture.h"

/* The samples */

const char project_json[] =
  "{\"id\":\"proj_acme\",\"name\":\"Acme HR\",\"region\":\"eu1\",\"role\":\"viewer\","
  "\"plan\":{\"name\":\"Growth\",\"categories\":[\"hris\",\"ats\",\"crm\"]}}";

const char connector_json[] =
  "{\"provider\":\"bamboohr\",\"provider_name\":\"BambooHR\",\"category\":\"hris\","
  "\"categories\":[\"hris\",\"lms\"],\"description\":\"HR software for small businesses\","
  "\"docs_url\":\"https://documentation.bamboohr.com/docs\",\"logo_url\":null,"
  "\"available\":false,\"unavailable_reason\":\"LMS is not included in the Starter plan\","
  "\"auth_types\":[" AUTH_API_KEY "," AUTH_OAUTH2 "]}";

const char integration_json[] =
  "{\"id\":\"5b0c7f7e-8a1d-4d4e-9d36-2f7f6c1e9a10\",\"name\":\"BambooHR API key\","
  "\"connector_key\":\"bamboohr\",\"connector_label\":\"BambooHR\","
  "\"categories\":[\"hris\",\"lms\"],\"authentication_config_key\":\"oauth2\","
  "\"authentication_config_label\":\"OAuth 2.0\",\"active\":false,\"default\":true,"
  "\"oauth_app\":\"platform\","
  "\"config\":{\"subdomain\":\"acme\",\"region\":\"eu\"},"
  "\"secrets\":{\"api_key\":{\"set\":true,\"hint\":\"…9f2c\","
  "\"updated_at\":\"2024-05-02T08:00:00.250Z\"},"
  "\"webhook_secret\":{\"set\":false,\"hint\":null,\"updated_at\":null}},"
  "\"linked_accounts\":{\"total\":15,\"active\":9,\"inactive\":2,\"suspended\":2,"
  "\"expired\":1,\"error\":1},"
  "\"version\":7,\"created_at\":\"2024-05-01T12:30:00Z\","
  "\"updated_at\":\"2024-05-02T08:00:00.250Z\"}";

const char account_json[] =
  "{\"id\":\"acc_0001\",\"provider\":\"bamboohr\",\"provider_name\":\"BambooHR\","
  "\"integration_id\":\"5b0c7f7e-8a1d-4d4e-9d36-2f7f6c1e9a10\",\"origin_owner_id\":\"cust_42\","
  "\"origin_owner_name\":\"Globex Ltd\",\"origin_username\":\"hr-admin@globex.example\","
  "\"label\":\"Globex production\",\"status\":\"inactive\","
  "\"status_reasons\":[{\"code\":\"integration_disabled\","
  "\"description\":\"The integration was disabled\",\"timestamp\":\"2024-05-03T10:00:00Z\"},"
  "{\"code\":\"token_expired\",\"description\":null,\"timestamp\":null}],"
  "\"credentials\":{\"api_key\":{\"set\":true,\"hint\":\"…4f31\","
  "\"updated_at\":\"2024-04-01T09:00:00Z\"},\"access_token\":{\"set\":true,\"hint\":\"…\","
  "\"updated_at\":\"2024-04-01T09:00:00Z\",\"expires_at\":\"2024-04-01T10:00:00Z\"}},"
  "\"created_at\":\"2024-04-01T09:00:00Z\",\"updated_at\":\"2024-05-03T10:00:00Z\"}";

const char log_json[] =
  "{\"request_id\":\"req_7f3a\",\"event_datetime\":\"2024-05-03T10:00:01.123Z\","
  "\"duration\":182,\"http_method\":\"PATCH\",\"path\":\"/integrations/5b0c\","
  "\"url\":\"http://127.0.0.1:8710/integrations/5b0c\",\"status\":409,\"success\":false,"
  "\"provider\":\"bamboohr\",\"integration_id\":\"5b0c\",\"account_id\":null,"
  "\"service\":\"admin\",\"resource\":\"integrations\",\"source_type\":\"dashboard\"}";

/* Helpers */

JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = pb_json_object_from_string (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

gboolean
objects_equal (JsonObject *a,
               JsonObject *b)
{
  g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

void
assert_objects_equal (JsonObject *expected,
                      JsonObject *actual)
{
  if (!objects_equal (expected, actual))
    {
      g_autofree char *e = pb_json_object_to_string (expected, TRUE);
      g_autofree char *a = pb_json_object_to_string (actual, TRUE);

      g_test_message ("expected: %s", e);
      g_test_message ("actual: %s", a);
      g_assert_not_reached ();
    }
}

JsonNode *
parse_node (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}
