/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-demo.h"

/* The integrations endpoints, then accounts, connect sessions and the request logs that
 * they leave, on the shared demo server. */

/* ---- integrations ----------------------------------------------------------------------- */

static void
test_integrations_pagination (void)
{
  g_autoptr(GPtrArray) all = collect_all ("/integrations", "id", 1000);
  g_autoptr(GPtrArray) small = collect_all ("/integrations", "id", 3);
  g_autoptr(Reply) zero = get ("/integrations?page_size=0");
  g_autoptr(Reply) big = get ("/integrations?page_size=1001");
  g_autoptr(Reply) words = get ("/integrations?page_size=ten");
  g_autoptr(Reply) cursor = get ("/integrations?next=bm90LWEtY3Vyc29y");
  g_autoptr(JsonObject) first = get_ok ("/integrations?page_size=2");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonObject) added = NULL;
  g_autoptr(JsonObject) body = make_body ("recruitee", NULL, NULL);
  g_autofree char *next = NULL;
  guint i, originals = 0;

  g_assert_cmpuint (all->len, >=, 15);
  g_assert_cmpuint (small->len, ==, all->len);
  for (i = 0; i < all->len; i++)
    g_assert_cmpstr (json_object_get_string_member (all->pdata[i], "id"), ==,
                     json_object_get_string_member (small->pdata[i], "id"));
  test_assert_error (zero, 400, "validation_failed");
  test_assert_error (big, 400, "validation_failed");
  test_assert_error (words, 400, "validation_failed");
  test_assert_error (cursor, 400, "validation_failed");
  g_assert_true (json_object_has_member (json_object_get_object_member (obj (big), "details"), "fields"));

  /* A cursor stays valid while items are added: nothing skipped, nothing twice. */
  for (i = 0; i < 2; i++)
    g_hash_table_add (seen, g_strdup (json_object_get_string_member (
      json_array_get_object_element (json_object_get_array_member (first, "data"), i), "id")));
  added = create (body, 201);
  next = g_strdup (json_object_get_string_member (first, "next"));
  while (next != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/integrations?page_size=4&next=%s", next);
      g_autoptr(JsonObject) page = get_ok (path);
      JsonArray *data = json_object_get_array_member (page, "data");
      guint j;

      for (j = 0; j < json_array_get_length (data); j++)
        g_assert_true (g_hash_table_add (seen, g_strdup (json_object_get_string_member (
          json_array_get_object_element (data, j), "id"))));
      g_clear_pointer (&next, g_free);
      if (!json_object_get_null_member (page, "next"))
        next = g_strdup (json_object_get_string_member (page, "next"));
    }
  for (i = 0; i < all->len; i++)
    originals += g_hash_table_contains (seen, json_object_get_string_member (all->pdata[i], "id"));
  g_assert_cmpuint (originals, ==, all->len);
  g_assert_true (g_hash_table_contains (seen, json_object_get_string_member (added, "id")));
}

static void
test_integrations_filters (void)
{
  g_autoptr(GPtrArray) bamboo = collect_all ("/integrations?connector_key=bamboohr", "id", 25);
  g_autoptr(GPtrArray) inactive = collect_all ("/integrations?active=false", "id", 25);
  g_autoptr(GPtrArray) crm = collect_all ("/integrations?category=crm", "id", 25);
  g_autoptr(Reply) bad = get ("/integrations?active=yes");
  g_autoptr(GPtrArray) all = collect_all ("/integrations", "id", 100);
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  guint i, defaults = 0, oauth = 0, error_accounts = 0;

  /* The demo seed shows every state the UI must show. */
  for (i = 0; i < all->len; i++)
    {
      JsonObject *integration = all->pdata[i];
      const char *key = json_object_get_string_member (integration, "authentication_config_key");
      oauth += strstr (key, "oauth") != NULL || strstr (key, "oidc") != NULL;
      g_hash_table_add (categories, (gpointer) json_array_get_string_element (
        json_object_get_array_member (integration, "categories"), 0));
      error_accounts += json_object_get_int_member (json_object_get_object_member (integration,
                                                                                  "linked_accounts"), "error");
    }
  g_assert_cmpuint (oauth, >=, 2);
  g_assert_cmpuint (g_hash_table_size (categories), >=, 5);
  g_assert_cmpuint (error_accounts, >=, 1);

  g_assert_cmpuint (bamboo->len, >=, 2);
  for (i = 0; i < bamboo->len; i++)
    {
      g_assert_cmpstr (json_object_get_string_member (bamboo->pdata[i], "connector_key"), ==, "bamboohr");
      defaults += json_object_get_boolean_member (bamboo->pdata[i], "default");
    }
  g_assert_cmpuint (defaults, ==, 1);
  g_assert_cmpuint (inactive->len, >=, 1);
  for (i = 0; i < inactive->len; i++)
    {
      JsonObject *accounts = json_object_get_object_member (inactive->pdata[i], "linked_accounts");
      g_assert_false (json_object_get_boolean_member (inactive->pdata[i], "active"));
      /* Disabled integrations' accounts are inactive. */
      g_assert_cmpint (json_object_get_int_member (accounts, "active"), ==, 0);
    }
  g_assert_cmpuint (crm->len, >=, 1);
  for (i = 0; i < crm->len; i++)
    {
      JsonArray *cats = json_object_get_array_member (crm->pdata[i], "categories");
      gboolean has = FALSE;
      guint j;
      for (j = 0; j < json_array_get_length (cats); j++)
        has |= g_str_equal (json_array_get_string_element (cats, j), "crm");
      g_assert_true (has);
    }
  test_assert_error (bad, 400, "validation_failed");
}

static void
test_integrations_create (void)
{
  g_autoptr(JsonObject) body = make_body ("workable", NULL, "wk-secret-abcdefWXYZ");
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
  g_assert_cmpstr (json_object_get_string_member (created, "connector_label"), ==, "Workable");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (created, "config"),
                                                  "subdomain"), ==, "acme");
  secret = json_object_get_object_member (json_object_get_object_member (created, "secrets"), "api_key");
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
  json_object_set_string_member (body, "name", "Workable – second");
  second = create (body, 201);
  g_assert_false (json_object_get_boolean_member (second, "default"));
  g_assert_cmpstr (json_object_get_string_member (second, "name"), ==, "Workable – second");
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

static void
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
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"config\":{\"subdomain\":\"acme\"}}", 400, "validation_failed", "secrets.api_key");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"config\":{\"subdomain\":\"acme\",\"api_key\":\"s3cretvalue1\"}}",
                       400, "validation_failed", "config.api_key");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"secrets\":{\"api_key\":\"s3cretvalue1\",\"subdomain\":\"acme\"}}",
                       400, "validation_failed", "secrets.subdomain");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"config\":{\"subdomain\":\"acme\",\"colour\":\"red\"},"
                       "\"secrets\":{\"api_key\":\"s3cretvalue1\"}}", 400, "validation_failed",
                       "config.colour");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"surprise\":true}", 400, "validation_failed", "surprise");
  expect_create_error ("{\"connector_key\":7,\"authentication_config_key\":\"api_key\"}",
                       400, "validation_failed", "connector_key");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"default\":\"yes\"}", 400, "validation_failed", "default");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"config\":{\"subdomain\":5}}", 400, "validation_failed", "config.subdomain");
  expect_create_error ("{\"id\":\"not-a-uuid\",\"connector_key\":\"pinpoint\","
                       "\"authentication_config_key\":\"api_key\"}", 400, "validation_failed", "id");
  expect_create_error ("{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                       "\"config\":[]}", 400, "validation_failed", "config");
  long_name = g_strnfill (201, 'n');
  body = g_strdup_printf ("{\"name\":\"%s\",\"connector_key\":\"pinpoint\","
                          "\"authentication_config_key\":\"api_key\"}", long_name);
  expect_create_error (body, 400, "validation_failed", "name");
  g_string_append (huge, "{\"connector_key\":\"pinpoint\",\"authentication_config_key\":\"api_key\","
                         "\"config\":{\"subdomain\":\"acme\"},\"secrets\":{\"api_key\":\"");
  while (huge->len < 9000)
    g_string_append_c (huge, 'k');
  g_string_append (huge, "\"}}");
  expect_create_error (huge->str, 400, "validation_failed", "secrets.api_key");
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

static void
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

static void
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

static void
test_integrations_patch_fields (void)
{
  g_autoptr(JsonObject) body = make_body ("bamboohr", "api_key", "bamboo-key-000111");
  g_autoptr(JsonObject) created = NULL;
  const char *id;
  g_autoptr(Reply) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL, r7 = NULL;
  JsonObject *secrets;

  json_object_set_string_member (body, "name", "Patch fields");
  created = create (body, 201);
  id = json_object_get_string_member (created, "id");
  /* A short secret shows no characters in its hint. */
  r1 = patch (id, "{\"secrets\":{\"api_key\":\"short\"}}", NULL);
  g_assert_cmpuint (r1->status, ==, 200);
  secrets = json_object_get_object_member (obj (r1), "secrets");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (secrets, "api_key"),
                                                  "hint"), ==, "…");
  /* Required fields cannot be removed. */
  r2 = patch (id, "{\"config\":{\"subdomain\":null}}", NULL);
  test_assert_error (r2, 400, "validation_failed");
  r3 = patch (id, "{\"secrets\":{\"api_key\":null}}", NULL);
  test_assert_error (r3, 400, "validation_failed");
  /* Merge: a set value replaces; others stay. */
  r4 = patch (id, "{\"config\":{\"subdomain\":\"acme2\"},\"name\":\"Merged\"}", NULL);
  g_assert_cmpuint (r4->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (r4), "config"),
                                                  "subdomain"), ==, "acme2");
  g_assert_true (json_object_has_member (json_object_get_object_member (obj (r4), "secrets"), "api_key"));
  /* Type and member errors. */
  r5 = patch (id, "{\"active\":\"no\",\"nope\":1,\"secrets\":{\"api_key\":3}}", NULL);
  test_assert_error (r5, 400, "validation_failed");
  {
    JsonObject *fields = json_object_get_object_member (json_object_get_object_member (obj (r5), "details"),
                                                        "fields");
    g_assert_true (json_object_has_member (fields, "active"));
    g_assert_true (json_object_has_member (fields, "nope"));
    g_assert_true (json_object_has_member (fields, "secrets.api_key"));
  }
  r6 = patch (id, "{\"authentication_config_key\":\"nope\"}", NULL);
  test_assert_error (r6, 422, "unknown_auth_type");
  r7 = patch (id, "{\"name\":\"   \"}", NULL);
  test_assert_error (r7, 400, "validation_failed");

  /* A refused change changes nothing, not even the parts that were acceptable. */
  {
    g_autoptr(JsonObject) before = get_integration (id);
    g_autoptr(Reply) mixed = patch (id, "{\"name\":\"Half applied\",\"active\":false,"
                                        "\"config\":{\"subdomain\":null}}", NULL);
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

static void
test_integrations_auth_type_change (void)
{
  g_autoptr(JsonObject) body = make_body ("factorial", "api_key", "factorial-api-key-1");
  g_autoptr(JsonObject) created = create (body, 201);
  const char *id = json_object_get_string_member (created, "id");
  g_autoptr(Reply) missing = patch (id, "{\"authentication_config_key\":\"oauth2\"}", NULL);
  g_autoptr(Reply) changed = patch (id, "{\"authentication_config_key\":\"oauth2\","
                                        "\"config\":{\"client_id\":\"cid-123\"},"
                                        "\"secrets\":{\"client_secret\":\"client-secret-999\"}}", NULL);
  JsonObject *secrets, *config;

  test_assert_error (missing, 400, "validation_failed");
  g_assert_cmpuint (changed->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (changed), "authentication_config_key"), ==, "oauth2");
  secrets = json_object_get_object_member (obj (changed), "secrets");
  config = json_object_get_object_member (obj (changed), "config");
  /* The API key field does not exist in OAuth: its secret is erased. */
  g_assert_false (json_object_has_member (secrets, "api_key"));
  g_assert_true (json_object_has_member (secrets, "client_secret"));
  g_assert_cmpstr (json_object_get_string_member (config, "client_id"), ==, "cid-123");
}

/* Links an account through a connect session; returns the account. */
static void
test_integrations_toggle (void)
{
  g_autoptr(JsonObject) body = make_body ("deel", NULL, NULL);
  g_autoptr(JsonObject) created = create (body, 201);
  const char *id = json_object_get_string_member (created, "id");
  g_autoptr(JsonObject) a1 = link_account ("deel", NULL, "t-1", "Toggle One");
  g_autoptr(JsonObject) a2 = link_account ("deel", id, "t-2", "Toggle Two");
  g_autoptr(Reply) off = patch (id, "{\"active\":false}", NULL);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(Reply) refused = test_call (session, URL, "POST", "/connect_sessions", admin,
                                        "{\"origin_owner_id\":\"t-3\",\"origin_owner_name\":\"T\","
                                        "\"provider\":\"deel\"}");
  g_autoptr(Reply) on = NULL;
  g_autofree char *path = g_strconcat ("/accounts?integration_id=", id, NULL);
  JsonObject *counts;
  guint i;

  g_assert_cmpstr (json_object_get_string_member (a1, "integration_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (a1, "status"), ==, "active");
  g_assert_cmpuint (off->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (obj (off), "active"));
  counts = json_object_get_object_member (obj (off), "linked_accounts");
  g_assert_cmpint (json_object_get_int_member (counts, "inactive"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (counts, "active"), ==, 0);
  accounts = collect_all (path, "id", 25);
  g_assert_cmpuint (accounts->len, ==, 2);
  for (i = 0; i < accounts->len; i++)
    {
      JsonArray *reasons = json_object_get_array_member (accounts->pdata[i], "status_reasons");
      g_assert_cmpstr (json_object_get_string_member (accounts->pdata[i], "status"), ==, "inactive");
      g_assert_cmpuint (json_array_get_length (reasons), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reasons, 0), "code"),
                       ==, "integration_disabled");
    }
  test_assert_error (refused, 409, "integration_disabled");

  on = patch (id, "{\"active\":true}", NULL);
  g_assert_cmpuint (on->status, ==, 200);
  counts = json_object_get_object_member (obj (on), "linked_accounts");
  g_assert_cmpint (json_object_get_int_member (counts, "active"), ==, 2);
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = collect_all (path, "id", 25);
  for (i = 0; i < accounts->len; i++)
    {
      g_assert_cmpstr (json_object_get_string_member (accounts->pdata[i], "status"), ==, "active");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (accounts->pdata[i],
                                                                             "status_reasons")), ==, 0);
    }
}

static void
test_integrations_default_rules (void)
{
  g_autoptr(JsonObject) body = make_body ("jazzhr", NULL, NULL);
  g_autoptr(JsonObject) a = create (body, 201);
  g_autoptr(JsonObject) b = create (body, 201);
  const char *ida = json_object_get_string_member (a, "id");
  const char *idb = json_object_get_string_member (b, "id");
  g_autofree char *patha = g_strconcat ("/integrations/", ida, NULL);
  g_autofree char *pathb = g_strconcat ("/integrations/", idb, NULL);
  g_autoptr(Reply) unset = patch (ida, "{\"default\":false}", NULL);
  g_autoptr(Reply) noop = patch (idb, "{\"default\":false}", NULL);
  g_autoptr(Reply) del_default = test_call (session, URL, "DELETE", patha, admin, NULL);
  g_autoptr(Reply) make = patch (idb, "{\"default\":true}", NULL);
  g_autoptr(JsonObject) a_after = get_integration (ida);
  g_autoptr(Reply) del_a = NULL, del_b = NULL, gone = NULL, del_again = NULL;

  test_assert_error (unset, 409, "default_required");
  g_assert_cmpuint (noop->status, ==, 200);
  test_assert_error (del_default, 409, "default_with_siblings");
  g_assert_cmpuint (make->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (obj (make), "default"));
  g_assert_false (json_object_get_boolean_member (a_after, "default"));

  /* Not the default, no accounts: deletable; then the last one, default, too. */
  del_a = test_call (session, URL, "DELETE", patha, admin, NULL);
  g_assert_cmpuint (del_a->status, ==, 204);
  gone = get (patha);
  test_assert_error (gone, 404, "not_found");
  del_again = test_call (session, URL, "DELETE", patha, admin, NULL);
  test_assert_error (del_again, 404, "not_found");
  del_b = test_call (session, URL, "DELETE", pathb, admin, NULL);
  g_assert_cmpuint (del_b->status, ==, 204);
}

static void
test_integrations_delete_accounts (void)
{
  g_autoptr(JsonObject) body = make_body ("gusto", NULL, NULL);
  g_autoptr(JsonObject) a = create (body, 201);
  g_autoptr(JsonObject) b = create (body, 201);
  const char *idb = json_object_get_string_member (b, "id");
  g_autoptr(JsonObject) account = link_account ("gusto", idb, "d-1", "Delete Me Corp");
  g_autofree char *pathb = g_strconcat ("/integrations/", idb, NULL);
  g_autoptr(Reply) refused = test_call (session, URL, "DELETE", pathb, admin, NULL);
  g_autoptr(JsonObject) still = get_integration (idb);

  test_assert_error (refused, 409, "has_linked_accounts");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (refused), "details"),
                                               "linked_accounts"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (still, "id"), ==, idb);
  (void) a;
}

typedef struct
{
  guint      pending;
  GMainLoop *loop;
  guint      ok;
} Concurrent;

static void
on_concurrent_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Concurrent *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  g_assert_no_error (error);
  if (soup_message_get_status (msg) == 200)
    c->ok++;
  if (--c->pending == 0)
    g_main_loop_quit (c->loop);
}

static void
test_integrations_concurrent_default (void)
{
  g_autoptr(SoupSession) parallel = soup_session_new_with_options ("max-conns-per-host", 16, NULL);
  g_autoptr(JsonObject) body = make_body ("recruitee", NULL, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) msgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) after = NULL;
  Concurrent c = { 0 };
  guint i, round, defaults;

  for (i = 0; i < 5; i++)
    {
      g_autoptr(JsonObject) created = create (body, 201);
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (created, "id")));
    }
  c.loop = g_main_loop_new (NULL, FALSE);
  for (round = 0; round < 3; round++)
    {
      for (i = 0; i < 10; i++)
        {
          g_autofree char *path = g_strconcat ("/integrations/", (char *) ids->pdata[(i + round) % ids->len], NULL);
          SoupMessage *msg = test_message_new (URL, "PATCH", path, admin, "application/json",
                                               "{\"default\":true}", -1);
          g_ptr_array_add (msgs, msg);
          c.pending++;
          soup_session_send_and_read_async (parallel, msg, G_PRIORITY_DEFAULT, NULL,
                                            on_concurrent_done, &c);
        }
      g_main_loop_run (c.loop);
      after = collect_all ("/integrations?connector_key=recruitee", "id", 100);
      defaults = 0;
      for (i = 0; i < after->len; i++)
        defaults += json_object_get_boolean_member (after->pdata[i], "default");
      g_assert_cmpuint (defaults, ==, 1);
      g_clear_pointer (&after, g_ptr_array_unref);
    }
  g_assert_cmpuint (c.ok, ==, 30);
  g_main_loop_unref (c.loop);
}

/* ---- accounts and connect sessions ------------------------------------------------------ */

static void
test_accounts (void)
{
  g_autoptr(GPtrArray) all = collect_all ("/accounts", "id", 7);
  g_autoptr(GPtrArray) errors = collect_all ("/accounts?status=error", "id", 25);
  g_autoptr(GPtrArray) inactive = collect_all ("/accounts?status=inactive", "id", 25);
  g_autoptr(GPtrArray) bamboo = collect_all ("/accounts?provider=bamboohr", "id", 25);
  g_autoptr(GPtrArray) globex = collect_all ("/accounts?q=GLOBEX", "id", 25);
  g_autoptr(Reply) bad = get ("/accounts?status=sleeping");
  g_autoptr(Reply) missing = get ("/accounts/acc_nothing");
  g_autoptr(Reply) other_project = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) one = NULL;
  g_autoptr(GPtrArray) by_integration = NULL;
  guint i;

  g_assert_cmpuint (all->len, >=, 20);
  g_assert_cmpuint (errors->len, >=, 1);
  g_assert_cmpuint (inactive->len, >=, 1);
  for (i = 0; i < errors->len; i++)
    {
      g_assert_cmpstr (json_object_get_string_member (errors->pdata[i], "status"), ==, "error");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (errors->pdata[i],
                                                                             "status_reasons")), >=, 1);
    }
  for (i = 0; i < bamboo->len; i++)
    g_assert_cmpstr (json_object_get_string_member (bamboo->pdata[i], "provider"), ==, "bamboohr");
  g_assert_cmpuint (globex->len, >=, 1);
  for (i = 0; i < globex->len; i++)
    g_assert_nonnull (strstr (json_object_get_string_member (globex->pdata[i], "origin_owner_name"), "Globex"));
  test_assert_error (bad, 400, "validation_failed");
  test_assert_error (missing, 404, "not_found");

  path = g_strconcat ("/accounts/", json_object_get_string_member (all->pdata[0], "id"), NULL);
  one = get_ok (path);
  g_assert_cmpstr (json_object_get_string_member (one, "id"), ==,
                   json_object_get_string_member (all->pdata[0], "id"));
  g_assert_nonnull (json_object_get_string_member (one, "provider_name"));
  g_assert_nonnull (json_object_get_string_member (one, "label"));
  g_free (path);
  path = g_strconcat ("/accounts?integration_id=", json_object_get_string_member (one, "integration_id"), NULL);
  by_integration = collect_all (path, "id", 25);
  for (i = 0; i < by_integration->len; i++)
    g_assert_cmpstr (json_object_get_string_member (by_integration->pdata[i], "integration_id"), ==,
                     json_object_get_string_member (one, "integration_id"));
  /* Another project's key does not see it. */
  g_free (path);
  path = g_strconcat ("/accounts/", json_object_get_string_member (one, "id"), NULL);
  other_project = test_call (session, URL, "GET", path, sandbox_admin, NULL);
  test_assert_error (other_project, 404, "not_found");
}

static void
test_connect_sessions (void)
{
  g_autoptr(JsonObject) body = make_body ("humaans", NULL, NULL);
  g_autoptr(JsonObject) integration = create (body, 201);
  const char *id = json_object_get_string_member (integration, "id");
  g_autoptr(Reply) created = test_call (session, URL, "POST", "/connect_sessions", admin,
                                        "{\"origin_owner_id\":\"cs-1\",\"origin_owner_name\":\"Session Co\","
                                        "\"origin_username\":\"it@session.example\",\"provider\":\"humaans\","
                                        "\"expires_in\":600}");
  g_autoptr(Reply) none = test_call (session, URL, "POST", "/connect_sessions", admin,
                                     "{\"origin_owner_id\":\"cs-1\",\"origin_owner_name\":\"S\","
                                     "\"provider\":\"zelt\"}");
  g_autoptr(Reply) unknown = test_call (session, URL, "POST", "/connect_sessions", admin,
                                        "{\"origin_owner_id\":\"cs-1\",\"origin_owner_name\":\"S\","
                                        "\"provider\":\"nope\"}");
  g_autoptr(Reply) invalid = test_call (session, URL, "POST", "/connect_sessions", admin,
                                        "{\"origin_owner_name\":\"S\",\"provider\":\"humaans\","
                                        "\"expires_in\":\"soon\"}");
  g_autoptr(Reply) bad_token = test_call (session, URL, "POST", "/connect_sessions/authenticate", admin,
                                          "{\"token\":\"made-up\"}");
  g_autofree char *auth = NULL;
  g_autoptr(Reply) first = NULL, reuse = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) fetched = NULL;
  g_autofree char *path = NULL;
  JsonObject *s;

  g_assert_cmpuint (created->status, ==, 201);
  s = obj (created);
  g_assert_cmpstr (json_object_get_string_member (s, "integration_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (s, "provider"), ==, "humaans");
  g_assert_true (strlen (json_object_get_string_member (s, "token")) >= 32);
  g_assert_nonnull (json_object_get_string_member (s, "project_id"));
  g_assert_nonnull (json_object_get_string_member (s, "expires_at"));
  test_assert_error (none, 409, "no_integration");
  test_assert_error (unknown, 422, "unknown_connector");
  test_assert_error (invalid, 400, "validation_failed");
  test_assert_error (bad_token, 401, "invalid_token");

  auth = g_strdup_printf ("{\"token\":\"%s\"}", json_object_get_string_member (s, "token"));
  first = test_call (session, URL, "POST", "/connect_sessions/authenticate", admin, auth);
  g_assert_cmpuint (first->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (obj (first), "origin_owner_id"), ==, "cs-1");
  g_assert_cmpstr (json_object_get_string_member (obj (first), "origin_username"), ==, "it@session.example");
  g_assert_cmpstr (json_object_get_string_member (obj (first), "status"), ==, "active");
  reuse = test_call (session, URL, "POST", "/connect_sessions/authenticate", admin, auth);
  test_assert_error (reuse, 401, "invalid_token");
  /* Same owner and provider: the account is updated, not duplicated. */
  again = link_account ("humaans", NULL, "cs-1", "Session Co Renamed");
  g_assert_cmpstr (json_object_get_string_member (again, "id"), ==,
                   json_object_get_string_member (obj (first), "id"));
  g_assert_cmpstr (json_object_get_string_member (again, "origin_owner_name"), ==, "Session Co Renamed");
  fetched = get_integration (id);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (fetched, "linked_accounts"),
                                               "total"), ==, 1);
  path = g_strconcat ("/accounts/", json_object_get_string_member (again, "id"), NULL);
  {
    g_autoptr(JsonObject) account = get_ok (path);
    g_assert_cmpstr (json_object_get_string_member (account, "origin_owner_name"), ==, "Session Co Renamed");
  }
}

/* ---- request logs ----------------------------------------------------------------------- */

static void
test_logs (void)
{
  g_autoptr(JsonObject) page = get_ok ("/requests/logs?page_size=200");
  g_autoptr(GPtrArray) failures = collect_all ("/requests/logs?success=false&page_size=100", "request_id", 250);
  g_autoptr(JsonObject) codes = get_ok ("/requests/logs?status_codes=404,500&page_size=100");
  g_autoptr(JsonObject) asc = get_ok ("/requests/logs?order_direction=asc&page_size=50");
  g_autoptr(GPtrArray) paged = collect_all ("/requests/logs?start_date=2000-01-01T00:00:00Z", "request_id", 400);
  g_autoptr(Reply) bad_date = get ("/requests/logs?start_date=yesterday");
  g_autoptr(Reply) bad_codes = get ("/requests/logs?status_codes=abc");
  g_autoptr(Reply) bad_order = get ("/requests/logs?order_direction=up");
  g_autoptr(Reply) missing = get ("/requests/logs/00000000-0000-4000-8000-000000000000");
  JsonArray *data = json_object_get_array_member (page, "data");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) month_ago = g_date_time_add_days (now, -31);
  g_autofree char *prev = NULL;
  g_autofree char *one_path = NULL;
  g_autofree char *window = NULL;
  g_autoptr(JsonObject) one = NULL;
  const char *integration;
  guint i;

  g_assert_cmpuint (json_array_get_length (data), ==, 200);
  g_assert_cmpuint (paged->len, >=, 3000);
  for (i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *log = json_array_get_object_element (data, i);
      const char *when = json_object_get_string_member (log, "event_datetime");
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (when, NULL);

      g_assert_nonnull (dt);
      g_assert_true (g_date_time_compare (dt, month_ago) > 0);
      if (prev != NULL)
        g_assert_cmpstr (when, <=, prev);     /* newest first */
      g_free (prev);
      prev = g_strdup (when);
      g_assert_cmpint (json_object_get_boolean_member (log, "success"), ==,
                       json_object_get_int_member (log, "status") < 400);
    }
  g_assert_cmpuint (failures->len, >=, 100);
  for (i = 0; i < failures->len; i++)
    g_assert_false (json_object_get_boolean_member (failures->pdata[i], "success"));
  data = json_object_get_array_member (codes, "data");
  g_assert_cmpuint (json_array_get_length (data), >, 0);
  for (i = 0; i < json_array_get_length (data); i++)
    {
      gint64 status = json_object_get_int_member (json_array_get_object_element (data, i), "status");
      g_assert_true (status == 404 || status == 500);
    }
  data = json_object_get_array_member (asc, "data");
  for (i = 1; i < json_array_get_length (data); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data, i - 1), "event_datetime"),
                     <=, json_object_get_string_member (json_array_get_object_element (data, i), "event_datetime"));
  test_assert_error (bad_date, 400, "validation_failed");
  test_assert_error (bad_codes, 400, "validation_failed");
  test_assert_error (bad_order, 400, "validation_failed");
  test_assert_error (missing, 404, "not_found");

  /* One log, and a window of dates by integration. */
  one = json_object_ref (json_array_get_object_element (json_object_get_array_member (page, "data"), 5));
  one_path = g_strconcat ("/requests/logs/", json_object_get_string_member (one, "request_id"), NULL);
  {
    g_autoptr(JsonObject) fetched = get_ok (one_path);
    g_assert_cmpstr (json_object_get_string_member (fetched, "path"), ==,
                     json_object_get_string_member (one, "path"));
  }
  integration = json_object_get_string_member (one, "integration_id");
  window = g_strdup_printf ("/requests/logs?integration_id=%s&start_date=%s&end_date=%s", integration,
                            json_object_get_string_member (one, "event_datetime"),
                            json_object_get_string_member (one, "event_datetime"));
  {
    g_autoptr(GPtrArray) exact = collect_all (window, "request_id", 10);
    g_assert_cmpuint (exact->len, >=, 1);
    for (i = 0; i < exact->len; i++)
      {
        g_assert_cmpstr (json_object_get_string_member (exact->pdata[i], "integration_id"), ==, integration);
        g_assert_cmpstr (json_object_get_string_member (exact->pdata[i], "event_datetime"), ==,
                         json_object_get_string_member (one, "event_datetime"));
      }
  }
}

static void
test_logs_recorded (void)
{
  g_autoptr(JsonObject) body = make_body ("breathehr", NULL, NULL);
  g_autoptr(JsonObject) created = create (body, 201);
  const char *id = json_object_get_string_member (created, "id");
  g_autoptr(Reply) changed = patch (id, "{\"name\":\"Logged change\"}", NULL);
  g_autoptr(Reply) refused = patch (id, "{\"default\":false}", NULL);
  g_autofree char *path = g_strconcat ("/requests/logs?integration_id=", id, NULL);
  g_autoptr(GPtrArray) logs = NULL;
  g_autofree char *expected_path = g_strconcat ("/integrations/", id, NULL);
  guint i, patches = 0, posts = 0, conflicts = 0;

  g_assert_cmpuint (changed->status, ==, 200);
  test_assert_error (refused, 409, "default_required");
  logs = collect_all (path, "request_id", 25);
  g_assert_cmpuint (logs->len, ==, 3);
  for (i = 0; i < logs->len; i++)
    {
      JsonObject *log = logs->pdata[i];
      const char *method = json_object_get_string_member (log, "http_method");

      g_assert_cmpstr (json_object_get_string_member (log, "provider"), ==, "breathehr");
      g_assert_cmpstr (json_object_get_string_member (log, "resource"), ==, "integrations");
      if (g_str_equal (method, "PATCH"))
        {
          patches++;
          g_assert_cmpstr (json_object_get_string_member (log, "path"), ==, expected_path);
          conflicts += json_object_get_int_member (log, "status") == 409;
        }
      else if (g_str_equal (method, "POST"))
        posts++;
    }
  g_assert_cmpuint (patches, ==, 2);
  g_assert_cmpuint (posts, ==, 1);
  g_assert_cmpuint (conflicts, ==, 1);
  /* The newest first: the refused change. */
  g_assert_cmpint (json_object_get_int_member (logs->pdata[0], "status"), ==, 409);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  server_demo_setup ();

  g_test_add_func ("/server/integrations/pagination", test_integrations_pagination);
  g_test_add_func ("/server/integrations/filters", test_integrations_filters);
  g_test_add_func ("/server/integrations/create", test_integrations_create);
  g_test_add_func ("/server/integrations/create-errors", test_integrations_create_errors);
  g_test_add_func ("/server/integrations/default-on-create", test_integrations_default_on_create);
  g_test_add_func ("/server/integrations/etag", test_integrations_etag);
  g_test_add_func ("/server/integrations/patch-fields", test_integrations_patch_fields);
  g_test_add_func ("/server/integrations/auth-type-change", test_integrations_auth_type_change);
  g_test_add_func ("/server/integrations/toggle", test_integrations_toggle);
  g_test_add_func ("/server/integrations/default-rules", test_integrations_default_rules);
  g_test_add_func ("/server/integrations/delete-with-accounts", test_integrations_delete_accounts);
  g_test_add_func ("/server/integrations/concurrent-default", test_integrations_concurrent_default);
  g_test_add_func ("/server/accounts", test_accounts);
  g_test_add_func ("/server/connect-sessions", test_connect_sessions);
  g_test_add_func ("/server/logs/list", test_logs);
  g_test_add_func ("/server/logs/recorded", test_logs_recorded);

  return server_demo_run ();
}
