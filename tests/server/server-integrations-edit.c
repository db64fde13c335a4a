/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-integrations-tests.h"

/* ---- integrations: create and change ---------------------------------------------------- */

void
test_integrations_create (void)
{
  g_autoptr(JsonObject) body = make_body ("jobadder", NULL, "ja-secret-abcdefWXYZ");
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) fetched = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(Reply) conflict = NULL;
  g_autofree char *text = NULL;
  JsonObject *secret;

  json_object_set_string_member (body, "id", id);
  text = to_text (body);
  {
    g_autoptr(Reply) reply = test_call (session, URL, "POST", "/integrations", admin, text);
    g_autofree char *location = g_strconcat (URL, "/integrations/", id, NULL);
    g_assert_cmpuint (reply->status, ==, 201);
    g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Location"), ==, location);
    created = json_object_ref (obj (reply));
  }
  g_assert_cmpstr (json_object_get_string_member (created, "id"), ==, id);
  g_assert_true (json_object_get_boolean_member (created, "active"));
  g_assert_true (json_object_get_boolean_member (created, "default"));   /* first of its connector */
  g_assert_cmpint (json_object_get_int_member (created, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (created, "name"), ==,
                   json_object_get_string_member (created, "authentication_config_label"));
  g_assert_cmpstr (json_object_get_string_member (created, "connector_label"), ==, "JobAdder");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (created, "config"),
                                                  "client_id"), ==, "acme");
  g_assert_cmpstr (json_object_get_string_member (created, "oauth_app"), ==, "own");
  secret = json_object_get_object_member (json_object_get_object_member (created, "secrets"),
                                          "client_secret");
  g_assert_true (json_object_get_boolean_member (secret, "set"));
  g_assert_cmpstr (json_object_get_string_member (secret, "hint"), ==, "…WXYZ");
  g_assert_false (json_object_has_member (secret, "value"));
  g_assert_null (strstr (text, "\"hint\""));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (created, "linked_accounts"),
                                               "total"), ==, 0);

  /* The same request again: harmless, 200 with the integration. */
  again = create (body, 200);
  g_assert_cmpstr (json_object_get_string_member (again, "id"), ==, id);
  g_assert_cmpint (json_object_get_int_member (again, "version"), ==, 1);
  /* A different request with the same id. */
  json_object_set_string_member (body, "name", "Another");
  {
    g_autofree char *other = to_text (body);
    conflict = test_call (session, URL, "POST", "/integrations", admin, other);
  }
  test_assert_error (conflict, 409, "id_in_use");
  fetched = get_integration (id);
  g_assert_cmpstr (json_object_get_string_member (fetched, "name"), !=, "Another");

  /* A second one without default: true is not the default; the first stays it. */
  json_object_remove_member (body, "id");
  json_object_set_string_member (body, "name", "JobAdder – second");
  second = create (body, 201);
  g_assert_false (json_object_get_boolean_member (second, "default"));
  g_assert_cmpstr (json_object_get_string_member (second, "name"), ==, "JobAdder – second");
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (second, "id")));
  g_clear_pointer (&fetched, json_object_unref);
  fetched = get_integration (id);
  g_assert_true (json_object_get_boolean_member (fetched, "default"));
}

static void
expect_create_error (const char *body,
                     guint       status,
                     const char *code,
                     const char *field)
{
  g_autoptr(Reply) reply = test_call (session, URL, "POST", "/integrations", admin, body);

  test_assert_error (reply, status, code);
  if (field != NULL)
    {
      JsonObject *fields = json_object_get_object_member (
        json_object_get_object_member (obj (reply), "details"), "fields");
      if (!json_object_has_member (fields, field))
        g_error ("details.fields lacks %s in %s", field, json_to_string (reply->body, FALSE));
    }
}

void
test_integrations_create_errors (void)
{
  g_autofree char *long_name = NULL;
  g_autofree char *body = NULL;
  GString *huge = g_string_new (NULL);
  guint before, after;
  g_autoptr(GPtrArray) list_before = collect_all ("/integrations", "id", 1000);
  g_autoptr(GPtrArray) list_after = NULL;

  before = list_before->len;
  expect_create_error ("{\"connector_key\":\"nosuch\",\"authentication_config_key\":\"api_key\"}",
                       422, "unknown_connector", NULL);
  expect_create_error ("{\"connector_key\":\"okta\",\"authentication_config_key\":\"api_key\"}",
                       422, "connector_unavailable", NULL);
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"nope\"}",
                       422, "unknown_auth_type", NULL);
  expect_create_error ("{\"connector_key\":\"jobadder\",\"authentication_config_key\":\"oauth2\","
                       "\"config\":{\"client_id\":\"acme\"}}", 400, "validation_failed",
                       "secrets.client_secret");
  expect_create_error ("{\"connector_key\":\"jobadder\",\"authentication_config_key\":\"oauth2\","
                       "\"config\":{\"client_id\":\"acme\",\"client_secret\":\"s3cretvalue1\"}}",
                       400, "validation_failed", "config.client_secret");
  expect_create_error ("{\"connector_key\":\"jobadder\",\"authentication_config_key\":\"oauth2\","
                       "\"secrets\":{\"client_secret\":\"s3cretvalue1\",\"client_id\":\"acme\"}}",
                       400, "validation_failed", "secrets.client_id");
  expect_create_error ("{\"connector_key\":\"jobadder\",\"authentication_config_key\":\"oauth2\","
                       "\"config\":{\"client_id\":\"acme\",\"colour\":\"red\"},"
                       "\"secrets\":{\"client_secret\":\"s3cretvalue1\"}}", 400, "validation_failed",
                       "config.colour");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"surprise\":true}", 400, "validation_failed", "surprise");
  expect_create_error ("{\"connector_key\":7,\"authentication_config_key\":\"api_key\"}",
                       400, "validation_failed", "connector_key");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"default\":\"yes\"}", 400, "validation_failed", "default");
  expect_create_error ("{\"connector_key\":\"jobadder\",\"authentication_config_key\":\"oauth2\","
                       "\"config\":{\"client_id\":5}}", 400, "validation_failed", "config.client_id");
  expect_create_error ("{\"id\":\"not-a-uuid\",\"connector_key\":\"pinpoint\","
                       "\"authentication_config_key\":\"api_key\"}", 400, "validation_failed", "id");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"config\":[]}", 400, "validation_failed", "config");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"oauth_app\":7}", 400, "validation_failed", "oauth_app");
  long_name = g_strnfill (201, 'n');
  body = g_strdup_printf ("{\"name\":\"%s\",\"connector_key\":\"pinpoint\","
                          "\"authentication_config_key\":\"api_key\"}", long_name);
  expect_create_error (body, 400, "validation_failed", "name");
  g_string_append (huge, "{\"connector_key\":\"jobadder\",\"authentication_config_key\":\"oauth2\","
                         "\"config\":{\"client_id\":\"acme\"},\"secrets\":{\"client_secret\":\"");
  while (huge->len < 9000)
    g_string_append_c (huge, 'k');
  g_string_append (huge, "\"}}");
  expect_create_error (huge->str, 400, "validation_failed", "secrets.client_secret");
  g_string_free (huge, TRUE);
  /* Connector in the plan of one project only. */
  {
    g_autoptr(Reply) reply = test_call (session, URL, "POST", "/integrations", sandbox_admin,
                                        "{\"connector_key\":\"hubspot\","
                                        "\"authentication_config_key\":\"oauth2\"}");
    test_assert_error (reply, 422, "connector_unavailable");
  }

  /* A failed request changes nothing. */
  list_after = collect_all ("/integrations", "id", 1000);
  after = list_after->len;
  g_assert_cmpuint (before, ==, after);
}

void
test_integrations_default_on_create (void)
{
  g_autoptr(JsonObject) body = make_body ("pinpoint", NULL, NULL);
  g_autoptr(JsonObject) first = create (body, 201);
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) first_after = NULL;
  g_autoptr(JsonObject) body2 = make_body ("breezyhr", NULL, NULL);
  g_autoptr(JsonObject) lone = NULL;

  g_assert_true (json_object_get_boolean_member (first, "default"));
  json_object_set_boolean_member (body, "default", TRUE);
  second = create (body, 201);
  g_assert_true (json_object_get_boolean_member (second, "default"));
  first_after = get_integration (json_object_get_string_member (first, "id"));
  g_assert_false (json_object_get_boolean_member (first_after, "default"));
  g_assert_cmpint (json_object_get_int_member (first_after, "version"), ==, 2);

  /* default: false on the first of a connector is overruled: it is the default. */
  json_object_set_boolean_member (body2, "default", FALSE);
  lone = create (body2, 201);
  g_assert_true (json_object_get_boolean_member (lone, "default"));
}

void
test_integrations_etag (void)
{
  g_autoptr(JsonObject) body = make_body ("smartrecruiters", "api_key", NULL);
  g_autoptr(JsonObject) created = create (body, 201);
  const char *id = json_object_get_string_member (created, "id");
  g_autofree char *path = g_strconcat ("/integrations/", id, NULL);
  g_autoptr(Reply) got = get (path);
  g_autoptr(Reply) ok = patch (id, "{\"name\":\"Renamed once\"}", "\"1\"");
  g_autoptr(Reply) stale = patch (id, "{\"name\":\"Renamed twice\"}", "\"1\"");
  g_autoptr(Reply) bad = patch (id, "{\"name\":\"x\"}", "not a version");
  g_autoptr(Reply) star = patch (id, "{\"name\":\"Star\"}", "*");
  g_autoptr(Reply) missing = get ("/integrations/7d9f3c1a-0000-4000-8000-000000000000");
  JsonObject *current;

  g_assert_cmpstr (soup_message_headers_get_one (got->headers, "ETag"), ==, "\"1\"");
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (obj (ok), "version"), ==, 2);
  g_assert_cmpstr (soup_message_headers_get_one (ok->headers, "ETag"), ==, "\"2\"");
  test_assert_error (stale, 412, "version_mismatch");
  current = json_object_get_object_member (json_object_get_object_member (obj (stale), "details"),
                                           "current");
  g_assert_cmpint (json_object_get_int_member (current, "version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (current, "name"), ==, "Renamed once");
  test_assert_error (bad, 400, "validation_failed");
  g_assert_cmpuint (star->status, ==, 200);
  test_assert_error (missing, 404, "not_found");
}

void
test_integrations_patch_fields (void)
{
  g_autoptr(JsonObject) body = make_body ("zohopeople", "oauth2", "zoho-secret-000111");
  g_autoptr(JsonObject) created = NULL;
  const char *id;
  g_autoptr(Reply) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL, r7 = NULL;
  JsonObject *secrets;

  json_object_set_string_member (body, "name", "Patch fields");
  created = create (body, 201);
  id = json_object_get_string_member (created, "id");
  /* A short secret shows no characters in its hint. */
  r1 = patch (id, "{\"secrets\":{\"client_secret\":\"short\"}}", NULL);
  g_assert_cmpuint (r1->status, ==, 200);
  secrets = json_object_get_object_member (obj (r1), "secrets");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (secrets, "client_secret"),
                                                  "hint"), ==, "…");
  /* Required fields cannot be removed. */
  r2 = patch (id, "{\"config\":{\"client_id\":null}}", NULL);
  test_assert_error (r2, 400, "validation_failed");
  r3 = patch (id, "{\"secrets\":{\"client_secret\":null}}", NULL);
  test_assert_error (r3, 400, "validation_failed");
  /* Merge: a set value replaces; others stay. */
  r4 = patch (id, "{\"config\":{\"client_id\":\"acme2\"},\"name\":\"Merged\"}", NULL);
  g_assert_cmpuint (r4->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (r4), "config"),
                                                  "client_id"), ==, "acme2");
  g_assert_true (json_object_has_member (json_object_get_object_member (obj (r4), "secrets"),
                                         "client_secret"));
  /* Type and member errors. */
  r5 = patch (id, "{\"active\":\"no\",\"nope\":1,\"secrets\":{\"client_secret\":3}}", NULL);
  test_assert_error (r5, 400, "validation_failed");
  {
    JsonObject *fields = json_object_get_object_member (json_object_get_object_member (obj (r5), "details"),
                                                        "fields");
    g_assert_true (json_object_has_member (fields, "active"));
    g_assert_true (json_object_has_member (fields, "nope"));
    g_assert_true (json_object_has_member (fields, "secrets.client_secret"));
  }
  r6 = patch (id, "{\"authentication_config_key\":\"nope\"}", NULL);
  test_assert_error (r6, 422, "unknown_auth_type");
  r7 = patch (id, "{\"name\":\"   \"}", NULL);
  test_assert_error (r7, 400, "validation_failed");

  /* A refused change changes nothing, not even the parts that were acceptable. */
  {
    g_autoptr(JsonObject) before = get_integration (id);
    g_autoptr(Reply) mixed = patch (id, "{\"name\":\"Half applied\",\"active\":false,"
                                        "\"config\":{\"client_id\":null}}", NULL);
    g_autoptr(JsonObject) after = get_integration (id);
    g_autofree char *path = g_strconcat ("/integrations/", id, NULL);
    g_autoptr(Reply) other_get = test_call (session, URL, "GET", path, sandbox_admin, NULL);
    g_autoptr(Reply) other_patch = test_call (session, URL, "PATCH", path, sandbox_admin, "{\"name\":\"x\"}");
    g_autoptr(Reply) other_delete = test_call (session, URL, "DELETE", path, sandbox_admin, NULL);

    test_assert_error (mixed, 400, "validation_failed");
    g_assert_cmpstr (json_object_get_string_member (after, "name"), ==,
                     json_object_get_string_member (before, "name"));
    g_assert_true (json_object_get_boolean_member (after, "active"));
    g_assert_cmpint (json_object_get_int_member (after, "version"), ==,
                     json_object_get_int_member (before, "version"));
    /* Another project's key does not see it at all. */
    test_assert_error (other_get, 404, "not_found");
    test_assert_error (other_patch, 404, "not_found");
    test_assert_error (other_delete, 404, "not_found");
  }
}

void
test_integrations_auth_type_change (void)
{
  g_autoptr(JsonObject) body = make_body ("factorial", "api_key", NULL);
  g_autoptr(JsonObject) created = create (body, 201);
  const char *id = json_object_get_string_member (created, "id");
  g_autoptr(Reply) missing = patch (id, "{\"authentication_config_key\":\"oauth2\"}", NULL);
  g_autoptr(Reply) changed = patch (id, "{\"authentication_config_key\":\"oauth2\","
                                        "\"config\":{\"client_id\":\"cid-123\"},"
                                        "\"secrets\":{\"client_secret\":\"client-secret-999\"}}", NULL);
  g_autoptr(Reply) platform = NULL;
  g_autoptr(Reply) back = NULL;
  JsonObject *secrets, *config;

  g_assert_true (json_object_get_null_member (created, "oauth_app"));
  test_assert_error (missing, 400, "validation_failed");
  g_assert_cmpuint (changed->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (changed), "authentication_config_key"), ==, "oauth2");
  /* A new OAuth type starts on the integration's own app. */
  g_assert_cmpstr (json_object_get_string_member (obj (changed), "oauth_app"), ==, "own");
  secrets = json_object_get_object_member (obj (changed), "secrets");
  config = json_object_get_object_member (obj (changed), "config");
  g_assert_true (json_object_has_member (secrets, "client_secret"));
  g_assert_cmpstr (json_object_get_string_member (config, "client_id"), ==, "cid-123");

  /* On the platform's app, the integration's own client id and secret are erased. */
  platform = patch (id, "{\"oauth_app\":\"platform\"}", NULL);
  g_assert_cmpuint (platform->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (platform), "oauth_app"), ==, "platform");
  g_assert_false (json_object_has_member (json_object_get_object_member (obj (platform), "secrets"),
                                          "client_secret"));
  g_assert_false (json_object_has_member (json_object_get_object_member (obj (platform), "config"),
                                          "client_id"));

  /* Back to an API key: no OAuth app at all. */
  back = patch (id, "{\"authentication_config_key\":\"api_key\"}", NULL);
  g_assert_cmpuint (back->status, ==, 200);
  g_assert_true (json_object_get_null_member (obj (back), "oauth_app"));
}
