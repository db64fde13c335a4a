/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-models"

#include "config.h"

#include <string.h>

#include "models-fixture.h"

/* Every model parsed, serialised, extended and broken, from one table of cases. */

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
      { "generated", "1", PB_CORE_ERROR_INVALID_VALUE, "generated" },
      END } },
  { "auth-type", AUTH_API_KEY, parse_auth_type, serialise_auth_type,
    { "key", "label", "type", "account_fields/1/key" },
    { "", "fields/0", "account_fields/0" },
    { { "type", "\"saml\"", PB_CORE_ERROR_INVALID_VALUE, "type" },
      { "fields", "{}", PB_CORE_ERROR_INVALID_VALUE, "fields" },
      { "account_fields", "{}", PB_CORE_ERROR_INVALID_VALUE, "account_fields" },
      { "account_fields/1", "\"subdomain\"", PB_CORE_ERROR_INVALID_VALUE, "account_fields[1]" },
      { "account_fields/1/secret", "0", PB_CORE_ERROR_INVALID_VALUE,
        "account_fields[1]: Field “secret”" },
      { "fields/0/key", "\"subdomain\"", PB_CORE_ERROR_INVALID_VALUE,
        "account_fields[1]” repeats the key “subdomain”" },
      { "platform_oauth_app", "\"yes\"", PB_CORE_ERROR_INVALID_VALUE, "platform_oauth_app" },
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
      { "oauth_app", "\"shared\"", PB_CORE_ERROR_INVALID_VALUE, "oauth_app" },
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
    { "id", "provider", "integration_id", "status", "status_reasons/1/code",
      "credentials/api_key/set" },
    { "", "status_reasons/0", "credentials/api_key" },
    { { "status", "\"paused\"", PB_CORE_ERROR_INVALID_VALUE, "status" },
      { "status_reasons", "{}", PB_CORE_ERROR_INVALID_VALUE, "status_reasons" },
      { "status_reasons/0/timestamp", "\"soon\"", PB_CORE_ERROR_INVALID_VALUE,
        "status_reasons[0]: Field “timestamp”" },
      { "credentials", "[]", PB_CORE_ERROR_INVALID_VALUE, "credentials" },
      { "credentials/api_key", "\"…4f31\"", PB_CORE_ERROR_INVALID_VALUE, "credentials.api_key" },
      { "credentials/access_token/expires_at", "\"soon\"", PB_CORE_ERROR_INVALID_VALUE,
        "credentials.access_token: Field “expires_at”" },
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

void
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

void
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

void
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

void
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
