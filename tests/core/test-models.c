/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-models"

#include "config.h"

#include <string.h>

#include "pb-core.h"

/*
 * Every model from the API's JSON (design/api.md) and back. For each model a complete
 * sample in the form the API sends it; the tests take it apart member by member.
 */

#define FIELD_SUBDOMAIN \
  "{\"key\":\"subdomain\",\"label\":\"Company subdomain\",\"kind\":\"text\"," \
  "\"required\":true,\"secret\":false,\"description\":\"The part before .bamboohr.com\"," \
  "\"placeholder\":\"acme\",\"options\":[],\"default\":null}"
#define FIELD_API_KEY \
  "{\"key\":\"api_key\",\"label\":\"API key\",\"kind\":\"secret\",\"required\":true," \
  "\"secret\":true,\"description\":\"Settings → API keys\",\"placeholder\":null," \
  "\"options\":[],\"default\":null}"
#define FIELD_REGION \
  "{\"key\":\"region\",\"label\":\"Data centre\",\"kind\":\"select\",\"required\":false," \
  "\"secret\":false,\"description\":null,\"placeholder\":null,\"options\":[\"eu\",\"us\"]," \
  "\"default\":\"eu\"}"
#define AUTH_API_KEY \
  "{\"key\":\"api_key\",\"label\":\"API Key\",\"type\":\"api_key\",\"callback_url\":null," \
  "\"fields\":[" FIELD_API_KEY "," FIELD_SUBDOMAIN "]}"
#define AUTH_OAUTH2 \
  "{\"key\":\"oauth2\",\"label\":\"OAuth 2.0\",\"type\":\"oauth2\"," \
  "\"callback_url\":\"http://127.0.0.1:8710/connect/oauth2/bamboohr/callback\"," \
  "\"fields\":[" FIELD_REGION "]}"

static const char project_json[] =
  "{\"id\":\"proj_acme\",\"name\":\"Acme HR\",\"region\":\"eu1\",\"role\":\"viewer\","
  "\"plan\":{\"name\":\"Growth\",\"categories\":[\"hris\",\"ats\",\"crm\"]}}";

static const char connector_json[] =
  "{\"provider\":\"bamboohr\",\"provider_name\":\"BambooHR\",\"category\":\"hris\","
  "\"categories\":[\"hris\",\"lms\"],\"description\":\"HR software for small businesses\","
  "\"docs_url\":\"https://documentation.bamboohr.com/docs\",\"logo_url\":null,"
  "\"available\":false,\"unavailable_reason\":\"LMS is not included in the Starter plan\","
  "\"auth_types\":[" AUTH_API_KEY "," AUTH_OAUTH2 "]}";

static const char integration_json[] =
  "{\"id\":\"5b0c7f7e-8a1d-4d4e-9d36-2f7f6c1e9a10\",\"name\":\"BambooHR API key\","
  "\"connector_key\":\"bamboohr\",\"connector_label\":\"BambooHR\","
  "\"categories\":[\"hris\",\"lms\"],\"authentication_config_key\":\"api_key\","
  "\"authentication_config_label\":\"API Key\",\"active\":false,\"default\":true,"
  "\"config\":{\"subdomain\":\"acme\",\"region\":\"eu\"},"
  "\"secrets\":{\"api_key\":{\"set\":true,\"hint\":\"…9f2c\","
  "\"updated_at\":\"2024-05-02T08:00:00.250Z\"},"
  "\"webhook_secret\":{\"set\":false,\"hint\":null,\"updated_at\":null}},"
  "\"linked_accounts\":{\"total\":12,\"active\":9,\"inactive\":2,\"error\":1},"
  "\"version\":7,\"created_at\":\"2024-05-01T12:30:00Z\","
  "\"updated_at\":\"2024-05-02T08:00:00.250Z\"}";

static const char account_json[] =
  "{\"id\":\"acc_0001\",\"provider\":\"bamboohr\",\"provider_name\":\"BambooHR\","
  "\"integration_id\":\"5b0c7f7e-8a1d-4d4e-9d36-2f7f6c1e9a10\",\"origin_owner_id\":\"cust_42\","
  "\"origin_owner_name\":\"Globex Ltd\",\"origin_username\":\"hr-admin@globex.example\","
  "\"label\":\"Globex production\",\"status\":\"inactive\","
  "\"status_reasons\":[{\"code\":\"integration_disabled\","
  "\"description\":\"The integration was disabled\",\"timestamp\":\"2024-05-03T10:00:00Z\"},"
  "{\"code\":\"token_expired\",\"description\":null,\"timestamp\":null}],"
  "\"created_at\":\"2024-04-01T09:00:00Z\",\"updated_at\":\"2024-05-03T10:00:00Z\"}";

static const char log_json[] =
  "{\"request_id\":\"req_7f3a\",\"event_datetime\":\"2024-05-03T10:00:01.123Z\","
  "\"duration\":182,\"http_method\":\"PATCH\",\"path\":\"/integrations/5b0c\","
  "\"url\":\"http://127.0.0.1:8710/integrations/5b0c\",\"status\":409,\"success\":false,"
  "\"provider\":\"bamboohr\",\"integration_id\":\"5b0c\",\"account_id\":null,"
  "\"service\":\"admin\",\"resource\":\"integrations\",\"source_type\":\"dashboard\"}";

typedef GObject    *(*ParseFunc)     (JsonObject *object, GError **error);
typedef JsonObject *(*SerialiseFunc) (GObject *model);

#define WRAP(TypeName, prefix) \
  static GObject *parse_##prefix (JsonObject *o, GError **e) \
  { return (GObject *) pb_##prefix##_new_from_json (o, e); } \
  static JsonObject *serialise_##prefix (GObject *m) \
  { return pb_##prefix##_to_json ((TypeName *) m); }

WRAP (PbProject, project)
WRAP (PbAuthField, auth_field)
WRAP (PbAuthType, auth_type)
WRAP (PbConnector, connector)
WRAP (PbIntegration, integration)
WRAP (PbLinkedAccount, linked_account)
WRAP (PbLogEntry, log_entry)

typedef struct
{
  const char *path;       /* "/"-separated members and array indices */
  const char *value;      /* JSON */
  int         code;       /* PbCoreError */
  const char *mentions;   /* the error message must contain this */
} BadValue;

typedef struct
{
  const char    *name;
  const char    *json;
  ParseFunc      parse;
  SerialiseFunc  serialise;
  const char    *required[10];    /* paths; the message must name the last segment */
  const char    *unknown_at[4];   /* objects where unknown members are added ("" = top) */
  BadValue       bad[10];
} ModelCase;

#define END { NULL, NULL, 0, NULL }

static const ModelCase model_cases[] = {
  { "project", project_json, parse_project, serialise_project,
    { "id", "name", "role", "plan", "plan/categories" },
    { "", "plan" },
    { { "id", "42", PB_CORE_ERROR_INVALID_VALUE, "id" },
      { "id", "null", PB_CORE_ERROR_INVALID_VALUE, "id" },
      { "name", "true", PB_CORE_ERROR_INVALID_VALUE, "name" },
      { "role", "\"owner\"", PB_CORE_ERROR_INVALID_VALUE, "role" },
      { "plan", "\"growth\"", PB_CORE_ERROR_INVALID_VALUE, "plan" },
      { "plan/categories", "\"hris\"", PB_CORE_ERROR_INVALID_VALUE, "categories" },
      { "plan/categories/1", "3", PB_CORE_ERROR_INVALID_VALUE, "categories[1]" },
      END } },
  { "auth-field", FIELD_REGION, parse_auth_field, serialise_auth_field,
    { "key", "label", "kind" },
    { "" },
    { { "kind", "\"password\"", PB_CORE_ERROR_INVALID_VALUE, "kind" },
      { "required", "\"yes\"", PB_CORE_ERROR_INVALID_VALUE, "required" },
      { "options", "\"eu,us\"", PB_CORE_ERROR_INVALID_VALUE, "options" },
      { "default", "1", PB_CORE_ERROR_INVALID_VALUE, "default" },
      END } },
  { "auth-type", AUTH_API_KEY, parse_auth_type, serialise_auth_type,
    { "key", "label", "type", "fields/1/key" },
    { "", "fields/0" },
    { { "type", "\"saml\"", PB_CORE_ERROR_INVALID_VALUE, "type" },
      { "fields", "{}", PB_CORE_ERROR_INVALID_VALUE, "fields" },
      { "fields/1", "\"subdomain\"", PB_CORE_ERROR_INVALID_VALUE, "fields[1]" },
      { "fields/1/secret", "0", PB_CORE_ERROR_INVALID_VALUE, "fields[1]: Field “secret”" },
      { "callback_url", "5", PB_CORE_ERROR_INVALID_VALUE, "callback_url" },
      END } },
  { "connector", connector_json, parse_connector, serialise_connector,
    { "provider", "provider_name", "category", "auth_types/1/fields/0/label" },
    { "", "auth_types/0", "auth_types/1/fields/0" },
    { { "available", "\"no\"", PB_CORE_ERROR_INVALID_VALUE, "available" },
      { "categories", "[\"hris\", 1]", PB_CORE_ERROR_INVALID_VALUE, "categories[1]" },
      { "logo_url", "{}", PB_CORE_ERROR_INVALID_VALUE, "logo_url" },
      { "auth_types/0/type", "\"magic\"", PB_CORE_ERROR_INVALID_VALUE, "auth_types[0]: " },
      { "auth_types/1/fields/0/kind", "\"colour\"", PB_CORE_ERROR_INVALID_VALUE,
        "auth_types[1]: fields[0]: Field “kind”" },
      END } },
  { "integration", integration_json, parse_integration, serialise_integration,
    { "id", "name", "connector_key", "authentication_config_key", "active", "default",
      "secrets/api_key/set" },
    { "", "secrets/api_key", "linked_accounts" },
    { { "version", "\"7\"", PB_CORE_ERROR_INVALID_VALUE, "version" },
      { "active", "\"true\"", PB_CORE_ERROR_INVALID_VALUE, "active" },
      { "config/subdomain", "5", PB_CORE_ERROR_INVALID_VALUE, "config.subdomain" },
      { "secrets/api_key", "true", PB_CORE_ERROR_INVALID_VALUE, "secrets.api_key" },
      { "secrets/api_key/updated_at", "\"yesterday\"", PB_CORE_ERROR_INVALID_VALUE,
        "updated_at" },
      { "linked_accounts/inactive", "-1", PB_CORE_ERROR_INVALID_VALUE,
        "linked_accounts: Field “inactive”" },
      { "created_at", "\"2024-05-01\"", PB_CORE_ERROR_INVALID_VALUE, "created_at" },
      { "categories", "\"hris\"", PB_CORE_ERROR_INVALID_VALUE, "categories" },
      END } },
  { "linked-account", account_json, parse_linked_account, serialise_linked_account,
    { "id", "provider", "integration_id", "status", "status_reasons/1/code" },
    { "", "status_reasons/0" },
    { { "status", "\"suspended\"", PB_CORE_ERROR_INVALID_VALUE, "status" },
      { "status_reasons", "{}", PB_CORE_ERROR_INVALID_VALUE, "status_reasons" },
      { "status_reasons/0/timestamp", "\"soon\"", PB_CORE_ERROR_INVALID_VALUE,
        "status_reasons[0]: Field “timestamp”" },
      { "updated_at", "5", PB_CORE_ERROR_INVALID_VALUE, "updated_at" },
      { "label", "[]", PB_CORE_ERROR_INVALID_VALUE, "label" },
      END } },
  { "log-entry", log_json, parse_log_entry, serialise_log_entry,
    { "request_id", "event_datetime", "http_method", "path", "status", "success" },
    { "" },
    { { "status", "\"409\"", PB_CORE_ERROR_INVALID_VALUE, "status" },
      { "status", "42", PB_CORE_ERROR_INVALID_VALUE, "status" },
      { "duration", "1.5", PB_CORE_ERROR_INVALID_VALUE, "duration" },
      { "duration", "-3", PB_CORE_ERROR_INVALID_VALUE, "duration" },
      { "success", "1", PB_CORE_ERROR_INVALID_VALUE, "success" },
      { "event_datetime", "\"12:00\"", PB_CORE_ERROR_INVALID_VALUE, "event_datetime" },
      END } },
};

/* Helpers */

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = pb_json_object_from_string (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

static gboolean
objects_equal (JsonObject *a,
               JsonObject *b)
{
  g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

static void
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

static gboolean
is_index (const char *segment,
          guint      *out_index)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (segment, 10, 0, G_MAXUINT, &value, NULL))
    return FALSE;
  *out_index = (guint) value;
  return TRUE;
}

/* The node at @n_segments segments of @segments below @root (transfer none). */
static JsonNode *
lookup_node (JsonNode  *root,
             char     **segments,
             guint      n_segments)
{
  JsonNode *current = root;

  for (guint i = 0; i < n_segments; i++)
    {
      guint index = 0;

      if (JSON_NODE_HOLDS_OBJECT (current))
        {
          current = json_object_get_member (json_node_get_object (current), segments[i]);
        }
      else
        {
          g_assert_true (JSON_NODE_HOLDS_ARRAY (current));
          g_assert_true (is_index (segments[i], &index));
          g_assert_cmpuint (index, <, json_array_get_length (json_node_get_array (current)));
          current = json_array_get_element (json_node_get_array (current), index);
        }
      g_assert_nonnull (current);
    }

  return current;
}

static JsonNode *
parse_node (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Removes the member at @path in @root (when @replacement is NULL), or replaces the
 * member or array element at @path with @replacement (taking it). The path must exist,
 * so that a typo in a test cannot pass silently. */
static void
edit_path (JsonObject *root,
           const char *path,
           JsonNode   *replacement)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);
  guint n = g_strv_length (segments);
  g_autoptr(JsonNode) root_node = json_node_init_object (json_node_alloc (), root);
  JsonNode *container = lookup_node (root_node, segments, n - 1);
  guint index = 0;

  if (JSON_NODE_HOLDS_OBJECT (container))
    {
      JsonObject *object = json_node_get_object (container);

      g_assert_true (json_object_has_member (object, segments[n - 1]));
      if (replacement == NULL)
        json_object_remove_member (object, segments[n - 1]);
      else
        json_object_set_member (object, segments[n - 1], replacement);
      return;
    }

  /* An array element: rebuild the array, since JsonArray cannot replace in place. */
  {
    JsonNode *holder;
    JsonArray *array;
    JsonArray *copy = json_array_new ();

    g_assert_true (JSON_NODE_HOLDS_ARRAY (container));
    g_assert_true (is_index (segments[n - 1], &index));
    g_assert_nonnull (replacement);
    g_assert_cmpuint (n, >=, 2);
    holder = lookup_node (root_node, segments, n - 2);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (holder));

    array = json_node_get_array (container);
    g_assert_cmpuint (index, <, json_array_get_length (array));
    for (guint i = 0; i < json_array_get_length (array); i++)
      json_array_add_element (copy,
                              i == index ? g_steal_pointer (&replacement)
                                         : json_node_copy (json_array_get_element (array, i)));
    json_object_set_array_member (json_node_get_object (holder), segments[n - 2], copy);
  }
}

/* Adds an unknown member to the object at @path ("" for @root). */
static void
add_unknown_member (JsonObject *root,
                    const char *path)
{
  g_auto(GStrv) segments = *path != '\0' ? g_strsplit (path, "/", -1) : g_new0 (char *, 1);
  g_autoptr(JsonNode) root_node = json_node_init_object (json_node_alloc (), root);
  JsonNode *node = lookup_node (root_node, segments, g_strv_length (segments));

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  json_object_set_member (json_node_get_object (node), "x_future",
                          parse_node ("{\"nested\": [1, null, \"two\"], \"flag\": true}"));
  json_object_set_string_member (json_node_get_object (node), "x_note", "from a newer server");
}

/* Tests over all models */

static void
test_models_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (model_cases); i++)
    {
      const ModelCase *c = &model_cases[i];
      g_autoptr(JsonObject) original = parse_object (c->json);
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) model = NULL;
      g_autoptr(GObject) again = NULL;
      g_autoptr(JsonObject) out = NULL;
      g_autoptr(JsonObject) out_again = NULL;
      g_autofree char *text = NULL;
      g_autoptr(JsonObject) reparsed = NULL;

      g_test_message ("model %s", c->name);
      model = c->parse (original, &error);
      g_assert_no_error (error);
      g_assert_nonnull (model);

      out = c->serialise (model);
      assert_objects_equal (original, out);

      /* Through text too, as the store keeps it. */
      text = pb_json_object_to_string (out, FALSE);
      reparsed = parse_object (text);
      again = c->parse (reparsed, &error);
      g_assert_no_error (error);
      out_again = c->serialise (again);
      assert_objects_equal (original, out_again);
    }
}

static void
test_models_unknown_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (model_cases); i++)
    {
      const ModelCase *c = &model_cases[i];
      g_autoptr(JsonObject) original = parse_object (c->json);
      g_autoptr(JsonObject) extended = parse_object (c->json);
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) model = NULL;
      g_autoptr(JsonObject) out = NULL;

      g_test_message ("model %s", c->name);
      for (guint j = 0; j < G_N_ELEMENTS (c->unknown_at) && c->unknown_at[j] != NULL; j++)
        add_unknown_member (extended, c->unknown_at[j]);
      g_assert_false (objects_equal (original, extended));

      model = c->parse (extended, &error);
      g_assert_no_error (error);
      g_assert_nonnull (model);

      /* Ignored: what comes out is the sample without them. */
      out = c->serialise (model);
      assert_objects_equal (original, out);
    }
}

static void
test_models_missing_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (model_cases); i++)
    {
      const ModelCase *c = &model_cases[i];

      for (guint j = 0; j < G_N_ELEMENTS (c->required) && c->required[j] != NULL; j++)
        {
          g_autoptr(JsonObject) object = parse_object (c->json);
          g_autoptr(GError) error = NULL;
          g_autoptr(GObject) model = NULL;
          const char *last = strrchr (c->required[j], '/');
          g_autofree char *quoted = NULL;

          last = last != NULL ? last + 1 : c->required[j];
          quoted = g_strdup_printf ("“%s”", last);

          g_test_message ("model %s without %s", c->name, c->required[j]);
          edit_path (object, c->required[j], NULL);
          model = c->parse (object, &error);
          g_assert_null (model);
          g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_MISSING_FIELD);
          g_test_message ("→ %s", error->message);
          g_assert_nonnull (strstr (error->message, quoted));
        }
    }
}

static void
test_models_wrong_types (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (model_cases); i++)
    {
      const ModelCase *c = &model_cases[i];

      for (guint j = 0; j < G_N_ELEMENTS (c->bad) && c->bad[j].path != NULL; j++)
        {
          const BadValue *bad = &c->bad[j];
          g_autoptr(JsonObject) object = parse_object (c->json);
          g_autoptr(GError) error = NULL;
          g_autoptr(GObject) model = NULL;

          g_test_message ("model %s with %s = %s", c->name, bad->path, bad->value);
          edit_path (object, bad->path, parse_node (bad->value));
          model = c->parse (object, &error);
          g_assert_null (model);
          g_assert_error (error, PB_CORE_ERROR, bad->code);
          g_test_message ("→ %s", error->message);
          g_assert_nonnull (strstr (error->message, bad->mentions));
        }
    }
}

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

static void
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

static void
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

static void
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
  g_assert_cmpuint (g_list_model_get_n_items (pb_auth_type_get_fields (api_key)), ==, 2);
  field = pb_auth_type_find_field (api_key, "subdomain");
  g_assert_nonnull (field);
  g_assert_cmpstr (pb_auth_field_get_placeholder (field), ==, "acme");
  g_assert_null (pb_auth_type_find_field (api_key, "region"));

  g_assert_cmpint (pb_auth_type_get_kind (oauth2), ==, PB_AUTH_KIND_OAUTH2);
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

static void
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
  g_assert_cmpstr (pb_integration_get_auth_type_key (integration), ==, "api_key");
  g_assert_cmpstr (pb_integration_get_auth_type_label (integration), ==, "API Key");
  g_assert_false (pb_integration_get_active (integration));
  g_assert_true (pb_integration_get_is_default (integration));
  g_assert_cmpuint (pb_integration_get_accounts_total (integration), ==, 12);
  g_assert_cmpuint (pb_integration_get_accounts_active (integration), ==, 9);
  g_assert_cmpuint (pb_integration_get_accounts_inactive (integration), ==, 2);
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
  g_assert_null (pb_integration_get_created_at (minimal));
  minimal_out = pb_integration_to_json (minimal);
  minimal_again = pb_integration_new_from_json (minimal_out, &error);
  g_assert_no_error (error);
  minimal_out_again = pb_integration_to_json (minimal_again);
  assert_objects_equal (minimal_out, minimal_out_again);
}

static void
test_models_linked_account (void)
{
  static const struct { const char *text; PbAccountStatus status; } statuses[] = {
    { "active", PB_ACCOUNT_STATUS_ACTIVE }, { "inactive", PB_ACCOUNT_STATUS_INACTIVE },
    { "error", PB_ACCOUNT_STATUS_ERROR },
  };
  g_autoptr(JsonObject) object = parse_object (account_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbLinkedAccount) account = pb_linked_account_new_from_json (object, &error);
  g_autoptr(PbStatusReason) copy = NULL;
  GPtrArray *reasons;
  PbStatusReason *reason;
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

  copy = pb_status_reason_copy (g_ptr_array_index (reasons, 0));
  g_assert_cmpstr (copy->code, ==, "integration_disabled");
  g_assert_true (copy->timestamp == ((PbStatusReason *) g_ptr_array_index (reasons, 0))->timestamp);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_assert_true (pb_account_status_from_string (statuses[i].text, &status));
      g_assert_cmpint (status, ==, statuses[i].status);
      g_assert_cmpstr (pb_account_status_to_string (statuses[i].status), ==, statuses[i].text);
    }
  g_assert_false (pb_account_status_from_string ("suspended", &status));
}

static void
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

static void
test_time_rfc3339 (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "2024-05-01T12:30:00Z", "2024-05-01T12:30:00Z" },
    { "2024-05-01t12:30:00z", "2024-05-01T12:30:00Z" },
    { "2024-05-01T14:30:00+02:00", "2024-05-01T12:30:00Z" },
    { "2024-05-01T00:30:00-01:30", "2024-05-01T02:00:00Z" },
    { "2024-12-31T23:59:59.5Z", "2024-12-31T23:59:59.500Z" },
    { "2024-05-01T12:30:00.123456Z", "2024-05-01T12:30:00.123456Z" },
    { "2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z" },
    /* Not RFC 3339: no offset, no time, wrong shapes, impossible dates. */
    { "2024-05-01T12:30:00", NULL },
    { "2024-05-01", NULL },
    { "12:30:00Z", NULL },
    { "2024-05-01T12:30Z", NULL },
    { "20240501T123000Z", NULL },
    { "2023-02-29T00:00:00Z", NULL },
    { "2024-13-01T00:00:00Z", NULL },
    { "yesterday", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) parsed = pb_time_parse_rfc3339 (cases[i].in);
      g_autofree char *formatted = NULL;

      g_test_message ("%s", cases[i].in);
      if (cases[i].out == NULL)
        {
          g_assert_null (parsed);
          continue;
        }
      g_assert_nonnull (parsed);
      g_assert_cmpint (g_date_time_get_utc_offset (parsed), ==, 0);
      formatted = pb_time_format_rfc3339 (parsed);
      g_assert_cmpstr (formatted, ==, cases[i].out);
    }

  g_assert_null (pb_time_parse_rfc3339 (NULL));

  /* Formatting converts to UTC. */
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3600 * 5);
    g_autoptr(GDateTime) local = g_date_time_new (tz, 2024, 1, 1, 3, 0, 0);
    g_autofree char *text = pb_time_format_rfc3339 (local);

    g_assert_cmpstr (text, ==, "2023-12-31T22:00:00Z");
  }
}

static void
test_json_from_string (void)
{
  static const struct { const char *text; int code; } bad[] = {
    { "", PB_CORE_ERROR_INVALID_JSON },
    { "{", PB_CORE_ERROR_INVALID_JSON },
    { "{\"a\": }", PB_CORE_ERROR_INVALID_JSON },
    { "[1, 2]", PB_CORE_ERROR_INVALID_JSON },
    { "\"text\"", PB_CORE_ERROR_INVALID_JSON },
    { "null", PB_CORE_ERROR_INVALID_JSON },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) none = pb_json_object_from_string (bad[i].text, -1, &error);

      g_assert_null (none);
      g_assert_error (error, PB_CORE_ERROR, bad[i].code);
      g_clear_error (&error);
    }

  object = pb_json_object_from_string ("{\"b\": [1, \"x\"], \"a\": null}", -1, &error);
  g_assert_no_error (error);
  text = pb_json_object_to_string (object, FALSE);
  g_assert_cmpstr (text, ==, "{\"b\":[1,\"x\"],\"a\":null}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/round-trip", test_models_round_trip);
  g_test_add_func ("/models/unknown-fields", test_models_unknown_fields);
  g_test_add_func ("/models/missing-fields", test_models_missing_fields);
  g_test_add_func ("/models/wrong-types", test_models_wrong_types);
  g_test_add_func ("/models/project", test_models_project);
  g_test_add_func ("/models/auth-field", test_models_auth_field);
  g_test_add_func ("/models/connector", test_models_connector);
  g_test_add_func ("/models/integration", test_models_integration);
  g_test_add_func ("/models/linked-account", test_models_linked_account);
  g_test_add_func ("/models/log-entry", test_models_log_entry);
  g_test_add_func ("/time/rfc3339", test_time_rfc3339);
  g_test_add_func ("/json/from-string", test_json_from_string);

  return g_test_run ();
}
