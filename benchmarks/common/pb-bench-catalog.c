/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-bench"

#include "config.h"

#include "pb-bench-catalog.h"

static const char * const categories[] = {
  "hris", "ats", "crm", "iam", "marketing", "lms", "ticketing", "documents", "messaging",
  "accounting", "screening", "scheduling",
};

static void
add_field (JsonBuilder *b,
           const char  *key,
           const char  *label,
           const char  *kind)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, key);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, label);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_set_member_name (b, "required");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "secret");
  json_builder_add_boolean_value (b, g_str_equal (kind, "secret"));
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, "The value.");
  json_builder_set_member_name (b, "placeholder");
  json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "default");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
}

JsonNode *
pb_bench_connector_new (guint    i,
                        gboolean vary_auth)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *key = g_strdup_printf ("conn%05u", i);
  g_autofree char *name = g_strdup_printf ("Connector %05u", i);
  const char *category = categories[i % G_N_ELEMENTS (categories)];
  gboolean oauth = vary_auth && i % 3 == 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "provider");
  json_builder_add_string_value (b, key);
  json_builder_set_member_name (b, "provider_name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, category);
  json_builder_set_member_name (b, "categories");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, category);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, "A generated connector for the benchmark.");
  json_builder_set_member_name (b, "docs_url");
  json_builder_add_string_value (b, "https://example.com/docs");
  json_builder_set_member_name (b, "logo_url");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "auth_types");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, oauth ? "oauth2" : "api_key");
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, oauth ? "OAuth 2.0" : "API Key");
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, oauth ? "oauth2" : "api_key");
  if (oauth)
    {
      json_builder_set_member_name (b, "platform_oauth_app");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_set_member_name (b, "fields");
      json_builder_begin_array (b);
      add_field (b, "client_id", "Client ID", "text");
      add_field (b, "client_secret", "Client secret", "secret");
      json_builder_end_array (b);
      json_builder_set_member_name (b, "account_fields");
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
  else
    {
      json_builder_set_member_name (b, "fields");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "account_fields");
      json_builder_begin_array (b);
      add_field (b, "api_key", "API key", "secret");
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
