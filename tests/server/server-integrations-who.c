/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-integrations-tests.h"

/* ---- who enters what: integration settings, account fields, OAuth apps, generated values --- */

/* @reply is a 400 whose details.fields are exactly @expected ("a,b", sorted); their reasons
 * contain @reason when it is given. */
static void
assert_fields_refused (Reply      *reply,
                       const char *expected,
                       const char *reason)
{
  JsonObject *fields;
  g_autoptr(GList) members = NULL;
  g_autoptr(GString) said = g_string_new (NULL);

  test_assert_error (reply, 400, "validation_failed");
  fields = json_object_get_object_member (json_object_get_object_member (obj (reply), "details"),
                                          "fields");
  members = g_list_sort (json_object_get_members (fields), (GCompareFunc) g_strcmp0);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_string_append_printf (said, "%s%s", said->len > 0 ? "," : "", (const char *) l->data);
      if (reason != NULL)
        g_assert_nonnull (strstr (json_object_get_string_member (fields, l->data), reason));
    }
  g_assert_cmpstr (said->str, ==, expected);
}

static Reply *
post (const char *body)
{
  return test_call (session, URL, "POST", "/integrations", admin, body);
}

static void
assert_no_values (JsonObject *integration)
{
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (integration, "config")),
                    ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (integration, "secrets")),
                    ==, 0);
}

void
test_integrations_no_end_user_secret (void)
{
  g_autoptr(Reply) bamboohr = post ("{\"connector_key\":\"bamboohr\","
                                    "\"authentication_config_key\":\"api_key\"}");
  g_autoptr(Reply) ashby = post ("{\"connector_key\":\"ashby\",\"authentication_config_key\":\"api_key\","
                                 "\"config\":{},\"secrets\":{}}");
  g_autoptr(Reply) with_key = post ("{\"connector_key\":\"bamboohr\","
                                    "\"authentication_config_key\":\"api_key\","
                                    "\"config\":{\"subdomain\":\"acme\"},"
                                    "\"secrets\":{\"api_key\":\"an-end-user-key-0001\"}}");
  g_autoptr(Reply) ashby_key = post ("{\"connector_key\":\"ashby\",\"authentication_config_key\":\"api_key\","
                                     "\"secrets\":{\"api_key\":\"an-end-user-key-0002\"}}");

  /* The API key and subdomain are each end user's: the integration has nothing to hold. */
  g_assert_cmpuint (bamboohr->status, ==, 201);
  assert_no_values (obj (bamboohr));
  g_assert_true (json_object_get_null_member (obj (bamboohr), "oauth_app"));
  g_assert_cmpuint (ashby->status, ==, 201);
  assert_no_values (obj (ashby));
  /* Sent anyway, they are refused with a sentence that says whose they are. */
  assert_fields_refused (with_key, "config.subdomain,secrets.api_key",
                         "is entered by each of your users when they link their account");
  assert_fields_refused (ashby_key, "secrets.api_key", "each of your users");
}

void
test_integrations_platform_app (void)
{
  g_autoptr(Reply) platform = post ("{\"connector_key\":\"hubspot\","
                                    "\"authentication_config_key\":\"oauth2\","
                                    "\"oauth_app\":\"platform\"}");
  g_autoptr(Reply) with_credentials = post ("{\"connector_key\":\"hubspot\","
                                            "\"authentication_config_key\":\"oauth2\","
                                            "\"oauth_app\":\"platform\","
                                            "\"config\":{\"client_id\":\"hs-client\"},"
                                            "\"secrets\":{\"client_secret\":\"hs-secret-0001\"}}");
  g_autoptr(Reply) no_platform_app = post ("{\"connector_key\":\"docebo\","
                                           "\"authentication_config_key\":\"oauth2\","
                                           "\"oauth_app\":\"platform\"}");
  g_autoptr(Reply) not_oauth = post ("{\"connector_key\":\"pinpoint\","
                                     "\"authentication_config_key\":\"api_key\","
                                     "\"oauth_app\":\"own\"}");
  g_autoptr(Reply) unknown = post ("{\"connector_key\":\"hubspot\","
                                   "\"authentication_config_key\":\"oauth2\","
                                   "\"oauth_app\":\"borrowed\"}");
  JsonObject *config;

  /* On the platform's app: no client id or secret of its own; the scopes are its setting. */
  g_assert_cmpuint (platform->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (obj (platform), "oauth_app"), ==, "platform");
  config = json_object_get_object_member (obj (platform), "config");
  g_assert_false (json_object_has_member (config, "client_id"));
  g_assert_true (json_object_has_member (config, "scopes"));
  g_assert_false (json_object_has_member (json_object_get_object_member (obj (platform), "secrets"),
                                          "client_secret"));

  assert_fields_refused (with_credentials, "config.client_id,secrets.client_secret",
                         "not used with the platform's OAuth app");
  assert_fields_refused (no_platform_app, "oauth_app", "offers no OAuth app");
  assert_fields_refused (not_oauth, "oauth_app", "does not use an OAuth app");
  assert_fields_refused (unknown, "oauth_app", NULL);
}

void
test_integrations_own_app_missing (void)
{
  g_autoptr(Reply) own = post ("{\"connector_key\":\"hubspot\",\"authentication_config_key\":\"oauth2\","
                               "\"oauth_app\":\"own\"}");
  g_autoptr(Reply) unsaid = post ("{\"connector_key\":\"hubspot\","
                                  "\"authentication_config_key\":\"oauth2\"}");
  g_autoptr(Reply) complete = post ("{\"connector_key\":\"hubspot\","
                                    "\"authentication_config_key\":\"oauth2\",\"oauth_app\":\"own\","
                                    "\"config\":{\"client_id\":\"hs-client\"},"
                                    "\"secrets\":{\"client_secret\":\"hs-secret-0002\"}}");

  /* Its own app (also when nothing is said) needs both, and the refusal names both. */
  assert_fields_refused (own, "config.client_id,secrets.client_secret", "is required");
  assert_fields_refused (unsaid, "config.client_id,secrets.client_secret", "is required");
  g_assert_cmpuint (complete->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (obj (complete), "oauth_app"), ==, "own");
}

static const char *
trigger_hint (JsonObject *integration)
{
  JsonObject *secrets = json_object_get_object_member (integration, "secrets");

  if (!json_object_has_member (secrets, "external_trigger_token"))
    return NULL;
  return json_object_get_string_member (json_object_get_object_member (secrets,
                                                                       "external_trigger_token"),
                                        "hint");
}

void
test_integrations_generated (void)
{
  g_autoptr(Reply) created = post ("{\"connector_key\":\"teamtailor\","
                                   "\"authentication_config_key\":\"partner_api\","
                                   "\"config\":{\"region\":\"na\"}}");
  g_autoptr(Reply) typed = post ("{\"connector_key\":\"teamtailor\","
                                 "\"authentication_config_key\":\"partner_api\","
                                 "\"secrets\":{\"external_trigger_token\":\"typed-by-hand-0001\"}}");
  g_autoptr(Reply) renamed = NULL, public = NULL, partner = NULL, overwrite = NULL;
  g_autofree char *hint = NULL;
  const char *id;

  /* The platform made the token; the integration shows it as a secret with a hint. */
  g_assert_cmpuint (created->status, ==, 201);
  id = json_object_get_string_member (obj (created), "id");
  hint = g_strdup (trigger_hint (obj (created)));
  g_assert_nonnull (hint);
  g_assert_true (g_str_has_prefix (hint, "…"));
  g_assert_cmpuint (g_utf8_strlen (hint, -1), ==, 5);
  assert_fields_refused (typed, "secrets.external_trigger_token", "created by the platform");

  /* An admin can read it, to paste it into the provider; a viewer cannot; other fields are
   * not to be read this way. */
  {
    g_autofree char *path = g_strconcat ("/integrations/", id, "/generated/external_trigger_token",
                                         NULL);
    g_autofree char *other = g_strconcat ("/integrations/", id, "/generated/region", NULL);
    g_autoptr(Reply) value = test_call (session, URL, "GET", path, admin, NULL);
    g_autoptr(Reply) viewed = test_call (session, URL, "GET", path, viewer, NULL);
    g_autoptr(Reply) not_generated = test_call (session, URL, "GET", other, admin, NULL);
    const char *token;

    g_assert_cmpuint (value->status, ==, 200);
    token = json_object_get_string_member (obj (value), "value");
    g_assert_cmpuint (strlen (token), >=, 32);
    g_assert_true (g_str_has_suffix (hint, token + strlen (token) - 4));
    test_assert_error (viewed, 403, "forbidden");
    test_assert_error (not_generated, 404, "not_found");
  }

  /* It stays what it is through other changes, and cannot be typed over. */
  renamed = patch (id, "{\"name\":\"Teamtailor partner\",\"config\":{\"region\":\"eu\"}}", NULL);
  g_assert_cmpuint (renamed->status, ==, 200);
  g_assert_cmpstr (trigger_hint (obj (renamed)), ==, hint);
  overwrite = patch (id, "{\"secrets\":{\"external_trigger_token\":\"typed-by-hand-0002\"}}", NULL);
  assert_fields_refused (overwrite, "secrets.external_trigger_token", "created by the platform");

  /* An auth type without it drops it; coming back makes a new one. */
  public = patch (id, "{\"authentication_config_key\":\"public_api_key\"}", NULL);
  g_assert_cmpuint (public->status, ==, 200);
  g_assert_null (trigger_hint (obj (public)));
  partner = patch (id, "{\"authentication_config_key\":\"public_partner_api_key\"}", NULL);
  g_assert_cmpuint (partner->status, ==, 200);
  g_assert_nonnull (trigger_hint (obj (partner)));
}
