/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-models"

#include "config.h"

#include <string.h>

#include "models-fixture.h"

/* Tests of each model's values */

static GDateTime *
utc (int year, int month, int day, int hour, int minute, double seconds)
{
  return g_date_time_new_utc (year, month, day, hour, minute, seconds);
}

static void
assert_time (GDateTime  *actual,
             const char *expected_rfc3339)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (actual);
  text = pb_time_format_rfc3339 (actual);
  g_assert_cmpstr (text, ==, expected_rfc3339);
}

static void
assert_strv (const char * const *actual,
             const char          *expected_joined)
{
  g_autofree char *joined = NULL;

  g_assert_nonnull (actual);
  joined = g_strjoinv (",", (char **) actual);
  g_assert_cmpstr (joined, ==, expected_joined);
}

void
test_models_project (void)
{
  g_autoptr(JsonObject) object = parse_object (project_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) viewer = pb_project_new_from_json (object, &error);
  g_autoptr(PbProject) admin = NULL;
  gboolean read_only = FALSE;

  g_assert_no_error (error);
  g_assert_cmpstr (pb_project_get_id (viewer), ==, "proj_acme");
  g_assert_cmpstr (pb_project_get_name (viewer), ==, "Acme HR");
  g_assert_cmpstr (pb_project_get_region (viewer), ==, "eu1");
  g_assert_cmpstr (pb_project_get_role (viewer), ==, "viewer");
  g_assert_cmpstr (pb_project_get_plan_name (viewer), ==, "Growth");
  assert_strv (pb_project_get_plan_categories (viewer), "hris,ats,crm");
  g_assert_true (pb_project_is_read_only (viewer));
  g_object_get (viewer, "read-only", &read_only, NULL);
  g_assert_true (read_only);
  g_assert_true (pb_project_has_category (viewer, "ats"));
  g_assert_false (pb_project_has_category (viewer, "iam"));

  json_object_set_string_member (object, "role", "admin");
  admin = pb_project_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_false (pb_project_is_read_only (admin));
}

void
test_models_auth_field (void)
{
  static const struct { const char *text; PbFieldKind kind; } kinds[] = {
    { "text", PB_FIELD_KIND_TEXT }, { "secret", PB_FIELD_KIND_SECRET },
    { "url", PB_FIELD_KIND_URL }, { "email", PB_FIELD_KIND_EMAIL },
    { "select", PB_FIELD_KIND_SELECT },
  };
  g_autoptr(JsonObject) region_json = parse_object (FIELD_REGION);
  g_autoptr(JsonObject) minimal_json =
    parse_object ("{\"key\":\"token\",\"label\":\"Token\",\"kind\":\"secret\"}");
  g_autoptr(JsonObject) not_secret_json =
    parse_object ("{\"key\":\"pin\",\"label\":\"PIN\",\"kind\":\"secret\",\"secret\":false}");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbAuthField) region = pb_auth_field_new_from_json (region_json, &error);
  g_autoptr(PbAuthField) minimal = NULL;
  g_autoptr(PbAuthField) not_secret = NULL;
  PbFieldKind kind = PB_FIELD_KIND_TEXT;

  g_assert_no_error (error);
  g_assert_cmpstr (pb_auth_field_get_key (region), ==, "region");
  g_assert_cmpstr (pb_auth_field_get_label (region), ==, "Data centre");
  g_assert_cmpint (pb_auth_field_get_kind (region), ==, PB_FIELD_KIND_SELECT);
  g_assert_false (pb_auth_field_get_required (region));
  g_assert_false (pb_auth_field_get_secret (region));
  assert_strv (pb_auth_field_get_options (region), "eu,us");
  g_assert_cmpstr (pb_auth_field_get_default_value (region), ==, "eu");
  g_assert_null (pb_auth_field_get_description (region));

  /* Defaults: not required, no options (empty, not NULL), secret when its kind is. */
  minimal = pb_auth_field_new_from_json (minimal_json, &error);
  g_assert_no_error (error);
  g_assert_false (pb_auth_field_get_required (minimal));
  g_assert_true (pb_auth_field_get_secret (minimal));
  assert_strv (pb_auth_field_get_options (minimal), "");
  g_assert_null (pb_auth_field_get_placeholder (minimal));
  g_assert_null (pb_auth_field_get_default_value (minimal));

  /* An explicit "secret" wins. */
  not_secret = pb_auth_field_new_from_json (not_secret_json, &error);
  g_assert_no_error (error);
  g_assert_false (pb_auth_field_get_secret (not_secret));

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_assert_true (pb_field_kind_from_string (kinds[i].text, &kind));
      g_assert_cmpint (kind, ==, kinds[i].kind);
      g_assert_cmpstr (pb_field_kind_to_string (kinds[i].kind), ==, kinds[i].text);
    }
  g_assert_false (pb_field_kind_from_string ("Text", &kind));
  g_assert_false (pb_field_kind_from_string (NULL, &kind));
}

void
test_models_connector (void)
{
  static const struct { const char *text; PbAuthKind kind; } kinds[] = {
    { "api_key", PB_AUTH_KIND_API_KEY }, { "basic", PB_AUTH_KIND_BASIC },
    { "oauth2", PB_AUTH_KIND_OAUTH2 }, { "oidc", PB_AUTH_KIND_OIDC },
    { "custom", PB_AUTH_KIND_CUSTOM },
  };
  g_autoptr(JsonObject) object = parse_object (connector_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbConnector) connector = pb_connector_new_from_json (object, &error);
  g_autoptr(PbConnector) other = NULL;
  g_autoptr(PbConnector) dup = NULL;
  g_autoptr(PbAuthType) first = NULL;
  PbAuthType *api_key;
  PbAuthType *oauth2;
  PbAuthField *field;
  PbAuthKind kind = PB_AUTH_KIND_API_KEY;

  g_assert_no_error (error);
  g_assert_cmpstr (pb_connector_get_provider (connector), ==, "bamboohr");
  g_assert_cmpstr (pb_connector_get_provider_name (connector), ==, "BambooHR");
  g_assert_cmpstr (pb_connector_get_category (connector), ==, "hris");
  assert_strv (pb_connector_get_categories (connector), "hris,lms");
  g_assert_cmpstr (pb_connector_get_description (connector), ==, "HR software for small businesses");
  g_assert_cmpstr (pb_connector_get_docs_url (connector), ==, "https://documentation.bamboohr.com/docs");
  g_assert_null (pb_connector_get_logo_url (connector));
  g_assert_false (pb_connector_get_available (connector));
  g_assert_cmpstr (pb_connector_get_unavailable_reason (connector), ==,
                   "LMS is not included in the Starter plan");

  g_assert_cmpuint (g_list_model_get_n_items (pb_connector_get_auth_types (connector)), ==, 2);
  g_assert_cmpint (g_list_model_get_item_type (pb_connector_get_auth_types (connector)), ==,
                   PB_TYPE_AUTH_TYPE);
  first = g_list_model_get_item (pb_connector_get_auth_types (connector), 0);
  api_key = pb_connector_find_auth_type (connector, "api_key");
  oauth2 = pb_connector_find_auth_type (connector, "oauth2");
  g_assert_true (first == api_key);
  g_assert_nonnull (oauth2);
  g_assert_null (pb_connector_find_auth_type (connector, "basic"));

  g_assert_cmpstr (pb_auth_type_get_label (api_key), ==, "API Key");
  g_assert_cmpint (pb_auth_type_get_kind (api_key), ==, PB_AUTH_KIND_API_KEY);
  g_assert_null (pb_auth_type_get_callback_url (api_key));
  g_assert_false (pb_auth_type_get_platform_oauth_app (api_key));
  g_assert_cmpuint (g_list_model_get_n_items (pb_auth_type_get_fields (api_key)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (pb_auth_type_get_account_fields (api_key)), ==, 2);
  /* The integration's fields and the account's are looked up apart. */
  g_assert_null (pb_auth_type_find_field (api_key, "subdomain"));
  field = pb_auth_type_find_account_field (api_key, "subdomain");
  g_assert_nonnull (field);
  g_assert_cmpstr (pb_auth_field_get_placeholder (field), ==, "acme");
  g_assert_false (pb_auth_field_get_generated (field));
  g_assert_null (pb_auth_type_find_field (api_key, "region"));
  field = pb_auth_type_find_field (api_key, "trigger_token");
  g_assert_nonnull (field);
  g_assert_true (pb_auth_field_get_generated (field));
  g_assert_null (pb_auth_type_find_account_field (api_key, "trigger_token"));

  g_assert_cmpint (pb_auth_type_get_kind (oauth2), ==, PB_AUTH_KIND_OAUTH2);
  g_assert_true (pb_auth_type_get_platform_oauth_app (oauth2));
  g_assert_cmpstr (pb_auth_type_get_callback_url (oauth2), ==,
                   "http://127.0.0.1:8710/connect/oauth2/bamboohr/callback");

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_assert_true (pb_auth_kind_from_string (kinds[i].text, &kind));
      g_assert_cmpint (kind, ==, kinds[i].kind);
      g_assert_cmpstr (pb_auth_kind_to_string (kinds[i].kind), ==, kinds[i].text);
    }
  g_assert_false (pb_auth_kind_from_string ("api-key", &kind));

  /* Without "categories", or without the primary among them: the primary comes first. */
  json_object_remove_member (object, "categories");
  json_object_remove_member (object, "available");
  other = pb_connector_new_from_json (object, &error);
  g_assert_no_error (error);
  assert_strv (pb_connector_get_categories (other), "hris");
  g_assert_true (pb_connector_get_available (other));
  g_clear_object (&other);
  json_object_set_member (object, "categories", parse_node ("[\"lms\"]"));
  other = pb_connector_new_from_json (object, &error);
  g_assert_no_error (error);
  assert_strv (pb_connector_get_categories (other), "hris,lms");

  /* Two auth types with one key would make find_auth_type ambiguous. */
  json_object_set_member (object, "auth_types",
                          parse_node ("[" AUTH_API_KEY "," AUTH_API_KEY "]"));
  dup = pb_connector_new_from_json (object, &error);
  g_assert_null (dup);
  g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "api_key"));
}

void
test_models_integration (void)
{
  g_autoptr(JsonObject) object = parse_object (integration_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) integration = pb_integration_new_from_json (object, &error);
  g_autoptr(PbIntegration) minimal = NULL;
  g_autoptr(JsonObject) minimal_json = NULL;
  g_autoptr(JsonObject) minimal_out = NULL;
  g_autoptr(PbIntegration) minimal_again = NULL;
  g_autoptr(JsonObject) minimal_out_again = NULL;
  g_autoptr(GDateTime) created = utc (2024, 5, 1, 12, 30, 0);
  GHashTable *config;
  GHashTable *secrets;
  PbSecretState *state;

  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_id (integration), ==, "5b0c7f7e-8a1d-4d4e-9d36-2f7f6c1e9a10");
  g_assert_cmpstr (pb_integration_get_name (integration), ==, "BambooHR API key");
  g_assert_cmpstr (pb_integration_get_connector_key (integration), ==, "bamboohr");
  g_assert_cmpstr (pb_integration_get_connector_label (integration), ==, "BambooHR");
  assert_strv (pb_integration_get_categories (integration), "hris,lms");
  g_assert_cmpstr (pb_integration_get_auth_type_key (integration), ==, "oauth2");
  g_assert_cmpstr (pb_integration_get_auth_type_label (integration), ==, "OAuth 2.0");
  g_assert_cmpint (pb_integration_get_oauth_app (integration), ==, PB_OAUTH_APP_PLATFORM);
  g_assert_false (pb_integration_get_active (integration));
  g_assert_true (pb_integration_get_is_default (integration));
  g_assert_cmpuint (pb_integration_get_accounts_total (integration), ==, 15);
  g_assert_cmpuint (pb_integration_get_accounts_active (integration), ==, 9);
  g_assert_cmpuint (pb_integration_get_accounts_inactive (integration), ==, 2);
  g_assert_cmpuint (pb_integration_get_accounts_suspended (integration), ==, 2);
  g_assert_cmpuint (pb_integration_get_accounts_expired (integration), ==, 1);
  g_assert_cmpuint (pb_integration_get_accounts_error (integration), ==, 1);
  g_assert_cmpint (pb_integration_get_version (integration), ==, 7);
  g_assert_true (g_date_time_equal (pb_integration_get_created_at (integration), created));
  assert_time (pb_integration_get_updated_at (integration), "2024-05-02T08:00:00.250Z");

  config = pb_integration_get_config (integration);
  g_assert_cmpuint (g_hash_table_size (config), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (config, "subdomain"), ==, "acme");
  g_assert_cmpstr (g_hash_table_lookup (config, "region"), ==, "eu");

  secrets = pb_integration_get_secrets (integration);
  g_assert_cmpuint (g_hash_table_size (secrets), ==, 2);
  state = g_hash_table_lookup (secrets, "api_key");
  g_assert_nonnull (state);
  g_assert_true (state->set);
  g_assert_cmpstr (state->hint, ==, "…9f2c");
  assert_time (state->updated_at, "2024-05-02T08:00:00.250Z");
  state = g_hash_table_lookup (secrets, "webhook_secret");
  g_assert_nonnull (state);
  g_assert_false (state->set);
  g_assert_null (state->hint);
  g_assert_null (state->updated_at);

  /* Only what is required; the rest takes its defaults and still round-trips. */
  minimal_json = parse_object ("{\"id\":\"i1\",\"name\":\"N\",\"connector_key\":\"hibob\","
                               "\"authentication_config_key\":\"api_key\","
                               "\"active\":true,\"default\":false,"
                               "\"config\":{\"gone\":null}}");
  minimal = pb_integration_new_from_json (minimal_json, &error);
  g_assert_no_error (error);
  g_assert_null (pb_integration_get_connector_label (minimal));
  assert_strv (pb_integration_get_categories (minimal), "");
  g_assert_cmpuint (g_hash_table_size (pb_integration_get_config (minimal)), ==, 0);
  g_assert_cmpuint (g_hash_table_size (pb_integration_get_secrets (minimal)), ==, 0);
  g_assert_cmpuint (pb_integration_get_accounts_total (minimal), ==, 0);
  g_assert_cmpint (pb_integration_get_version (minimal), ==, 0);
  g_assert_cmpint (pb_integration_get_oauth_app (minimal), ==, PB_OAUTH_APP_NONE);
  g_assert_null (pb_integration_get_created_at (minimal));
  minimal_out = pb_integration_to_json (minimal);
  minimal_again = pb_integration_new_from_json (minimal_out, &error);
  g_assert_no_error (error);
  minimal_out_again = pb_integration_to_json (minimal_again);
  assert_objects_equal (minimal_out, minimal_out_again);
}

void
test_models_linked_account (void)
{
  static const struct { const char *text; PbAccountStatus status; } statuses[] = {
    { "active", PB_ACCOUNT_STATUS_ACTIVE }, { "inactive", PB_ACCOUNT_STATUS_INACTIVE },
    { "error", PB_ACCOUNT_STATUS_ERROR }, { "suspended", PB_ACCOUNT_STATUS_SUSPENDED },
    { "expired", PB_ACCOUNT_STATUS_EXPIRED },
  };
  g_autoptr(JsonObject) object = parse_object (account_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbLinkedAccount) account = pb_linked_account_new_from_json (object, &error);
  g_autoptr(PbStatusReason) copy = NULL;
  g_autoptr(PbSecretState) credential_copy = NULL;
  GPtrArray *reasons;
  PbStatusReason *reason;
  GHashTable *credentials;
  PbSecretState *credential;
  PbAccountStatus status = PB_ACCOUNT_STATUS_ACTIVE;

  g_assert_no_error (error);
  g_assert_cmpstr (pb_linked_account_get_id (account), ==, "acc_0001");
  g_assert_cmpstr (pb_linked_account_get_provider (account), ==, "bamboohr");
  g_assert_cmpstr (pb_linked_account_get_provider_name (account), ==, "BambooHR");
  g_assert_cmpstr (pb_linked_account_get_integration_id (account), ==,
                   "5b0c7f7e-8a1d-4d4e-9d36-2f7f6c1e9a10");
  g_assert_cmpstr (pb_linked_account_get_origin_owner_id (account), ==, "cust_42");
  g_assert_cmpstr (pb_linked_account_get_origin_owner_name (account), ==, "Globex Ltd");
  g_assert_cmpstr (pb_linked_account_get_origin_username (account), ==, "hr-admin@globex.example");
  g_assert_cmpstr (pb_linked_account_get_label (account), ==, "Globex production");
  g_assert_cmpint (pb_linked_account_get_status (account), ==, PB_ACCOUNT_STATUS_INACTIVE);
  assert_time (pb_linked_account_get_created_at (account), "2024-04-01T09:00:00Z");
  assert_time (pb_linked_account_get_updated_at (account), "2024-05-03T10:00:00Z");

  reasons = pb_linked_account_get_status_reasons (account);
  g_assert_cmpuint (reasons->len, ==, 2);
  reason = g_ptr_array_index (reasons, 0);
  g_assert_cmpstr (reason->code, ==, PB_RULES_REASON_INTEGRATION_DISABLED);
  g_assert_cmpstr (reason->description, ==, "The integration was disabled");
  assert_time (reason->timestamp, "2024-05-03T10:00:00Z");
  reason = g_ptr_array_index (reasons, 1);
  g_assert_cmpstr (reason->code, ==, "token_expired");
  g_assert_null (reason->description);
  g_assert_null (reason->timestamp);

  /* What the API says of the stored credentials: set, the hint, the times; no value. */
  credentials = pb_linked_account_get_credentials (account);
  g_assert_cmpuint (g_hash_table_size (credentials), ==, 2);
  credential = g_hash_table_lookup (credentials, "api_key");
  g_assert_nonnull (credential);
  g_assert_true (credential->set);
  g_assert_cmpstr (credential->hint, ==, "…4f31");
  assert_time (credential->updated_at, "2024-04-01T09:00:00Z");
  g_assert_null (credential->expires_at);
  credential = g_hash_table_lookup (credentials, "access_token");
  g_assert_nonnull (credential);
  assert_time (credential->expires_at, "2024-04-01T10:00:00Z");
  credential_copy = pb_secret_state_copy (credential);
  assert_time (credential_copy->expires_at, "2024-04-01T10:00:00Z");

  copy = pb_status_reason_copy (g_ptr_array_index (reasons, 0));
  g_assert_cmpstr (copy->code, ==, "integration_disabled");
  g_assert_true (copy->timestamp == ((PbStatusReason *) g_ptr_array_index (reasons, 0))->timestamp);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_assert_true (pb_account_status_from_string (statuses[i].text, &status));
      g_assert_cmpint (status, ==, statuses[i].status);
      g_assert_cmpstr (pb_account_status_to_string (statuses[i].status), ==, statuses[i].text);
    }
  g_assert_false (pb_account_status_from_string ("paused", &status));
}

void
test_models_log_entry (void)
{
  g_autoptr(JsonObject) object = parse_object (log_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbLogEntry) entry = pb_log_entry_new_from_json (object, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (pb_log_entry_get_request_id (entry), ==, "req_7f3a");
  assert_time (pb_log_entry_get_event_datetime (entry), "2024-05-03T10:00:01.123Z");
  g_assert_cmpint (pb_log_entry_get_duration (entry), ==, 182);
  g_assert_cmpstr (pb_log_entry_get_http_method (entry), ==, "PATCH");
  g_assert_cmpstr (pb_log_entry_get_path (entry), ==, "/integrations/5b0c");
  g_assert_cmpstr (pb_log_entry_get_url (entry), ==, "http://127.0.0.1:8710/integrations/5b0c");
  g_assert_cmpuint (pb_log_entry_get_status (entry), ==, 409);
  g_assert_false (pb_log_entry_get_success (entry));
  g_assert_cmpstr (pb_log_entry_get_provider (entry), ==, "bamboohr");
  g_assert_cmpstr (pb_log_entry_get_integration_id (entry), ==, "5b0c");
  g_assert_null (pb_log_entry_get_account_id (entry));
  g_assert_cmpstr (pb_log_entry_get_service (entry), ==, "admin");
  g_assert_cmpstr (pb_log_entry_get_resource (entry), ==, "integrations");
  g_assert_cmpstr (pb_log_entry_get_source_type (entry), ==, "dashboard");
}
