/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-demo.h"

/* Auth, project, connectors and errors on the shared demo server. */

/* ---- auth and project ------------------------------------------------------------------- */

static void
test_auth (void)
{
  g_autoptr(Reply) none = test_call (session, URL, "GET", "/project", NULL, NULL);
  g_autoptr(Reply) wrong = test_call (session, URL, "GET", "/project", "pbk_000000000000_nope", NULL);
  g_autoptr(Reply) garbage = test_call_full (session, URL, "GET", "/project", NULL, NULL, NULL, 0,
                                             "Authorization", "Basic !!!notbase64");
  g_autofree char *basic_value = g_base64_encode ((const guchar *) admin, strlen (admin));
  g_autofree char *basic = NULL;
  g_autoptr(Reply) basic_reply = NULL;
  g_autoptr(Reply) bearer = get ("/project");
  char *tampered = g_strdup (admin);
  g_autoptr(Reply) tampered_reply = NULL;

  test_assert_error (none, 401, "unauthorized");
  test_assert_error (wrong, 401, "unauthorized");
  test_assert_error (garbage, 401, "unauthorized");
  g_assert_cmpuint (bearer->status, ==, 200);

  /* Basic with the key as user name and an empty password. */
  g_free (basic_value);
  basic = g_strconcat (admin, ":", NULL);
  basic_value = g_base64_encode ((const guchar *) basic, strlen (basic));
  g_free (basic);
  basic = g_strconcat ("Basic ", basic_value, NULL);
  basic_reply = test_call_full (session, URL, "GET", "/project", NULL, NULL, NULL, 0,
                                "Authorization", basic);
  g_assert_cmpuint (basic_reply->status, ==, 200);

  /* Same key id, one character of the secret changed. */
  tampered[strlen (tampered) - 1] = tampered[strlen (tampered) - 1] == 'A' ? 'B' : 'A';
  tampered_reply = test_call (session, URL, "GET", "/project", tampered, NULL);
  test_assert_error (tampered_reply, 401, "unauthorized");
  g_free (tampered);
}

/* The health check answers without a key, says which database, and logs nothing. */
static void
test_health (void)
{
  g_autoptr(Reply) health = test_call (session, URL, "GET", "/healthz", NULL, NULL);
  g_autoptr(Reply) post = test_call (session, URL, "POST", "/healthz", NULL, "{}");
  g_autoptr(JsonObject) logs = get_ok ("/requests/logs?page_size=5");
  JsonArray *data = json_object_get_array_member (logs, "data");

  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (health), "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (obj (health), "database"), ==,
                   test_engine_is_postgresql () ? "postgresql" : "sqlite");
  test_assert_error (post, 405, "method_not_allowed");
  for (guint i = 0; i < json_array_get_length (data); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data, i),
                                                    "path"), !=, "/healthz");
}

static void
test_viewer (void)
{
  g_autoptr(JsonObject) body = make_body ("jazzhr", NULL, NULL);
  g_autofree char *text = to_text (body);
  g_autoptr(Reply) read = test_call (session, URL, "GET", "/integrations", viewer, NULL);
  g_autoptr(Reply) project = test_call (session, URL, "GET", "/project", viewer, NULL);
  g_autoptr(Reply) write = test_call (session, URL, "POST", "/integrations", viewer, text);
  g_autoptr(JsonObject) first = get_ok ("/integrations?page_size=1");
  const char *id = json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (first, "data"), 0), "id");
  g_autofree char *path = g_strconcat ("/integrations/", id, NULL);
  g_autoptr(Reply) del = test_call (session, URL, "DELETE", path, viewer, NULL);
  g_autoptr(Reply) edit = test_call (session, URL, "PATCH", path, viewer, "{\"name\":\"x\"}");
  g_autoptr(JsonObject) after = get_integration (id);

  g_assert_cmpuint (read->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (project), "role"), ==, "viewer");
  test_assert_error (write, 403, "forbidden");
  test_assert_error (del, 403, "forbidden");
  test_assert_error (edit, 403, "forbidden");
  g_assert_cmpstr (json_object_get_string_member (after, "name"), !=, "x");
}

static void
test_project (void)
{
  g_autoptr(JsonObject) hr = get_ok ("/project");
  g_autoptr(Reply) sandbox = test_call (session, URL, "GET", "/project", sandbox_admin, NULL);
  JsonObject *plan = json_object_get_object_member (hr, "plan");
  JsonArray *cats = json_object_get_array_member (plan, "categories");

  g_assert_cmpstr (json_object_get_string_member (hr, "name"), ==, "Acme HR");
  g_assert_cmpstr (json_object_get_string_member (hr, "role"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (hr, "region"), ==, "eu1");
  g_assert_cmpstr (json_object_get_string_member (plan, "name"), ==, "growth");
  g_assert_cmpuint (json_array_get_length (cats), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (obj (sandbox), "name"), ==, "Acme Sandbox");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (sandbox), "plan"),
                                                  "name"), ==, "starter");
}

/* ---- connectors ------------------------------------------------------------------------- */

static void
test_connectors (void)
{
  g_autoptr(JsonObject) all = get_ok ("/connectors");
  g_autoptr(JsonObject) hris = get_ok ("/connectors?category=hris");
  g_autoptr(JsonObject) search = get_ok ("/connectors?q=BAMBOO");
  g_autoptr(Reply) starter = test_call (session, URL, "GET", "/connectors?include_unavailable=false",
                                        sandbox_admin, NULL);
  g_autoptr(Reply) starter_crm = test_call (session, URL, "GET", "/connectors?category=crm",
                                            sandbox_admin, NULL);
  g_autoptr(Reply) bad_bool = get ("/connectors?include_unavailable=maybe");
  g_autoptr(Reply) bad_cat = get ("/connectors?category=nope");
  JsonArray *data = json_object_get_array_member (all, "data");
  guint i, oauth_seen = 0;

  g_assert_cmpuint (json_array_get_length (data), >=, 80);
  for (i = 0; i < json_array_get_length (json_object_get_array_member (hris, "data")); i++)
    {
      JsonObject *c = json_array_get_object_element (json_object_get_array_member (hris, "data"), i);
      JsonArray *cats = json_object_get_array_member (c, "categories");
      gboolean has = FALSE;
      guint j;
      for (j = 0; j < json_array_get_length (cats); j++)
        has |= g_str_equal (json_array_get_string_element (cats, j), "hris");
      g_assert_true (has);
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (search, "data")), ==, 1);
  for (i = 0; i < json_array_get_length (json_object_get_array_member (obj (starter), "data")); i++)
    {
      JsonObject *c = json_array_get_object_element (json_object_get_array_member (obj (starter), "data"), i);
      const char *cat = json_object_get_string_member (c, "category");
      g_assert_true (g_str_equal (cat, "hris") || g_str_equal (cat, "ats"));
      g_assert_true (json_object_get_boolean_member (c, "available"));
      g_assert_true (json_object_get_null_member (c, "unavailable_reason"));
    }
  {
    JsonArray *crm = json_object_get_array_member (obj (starter_crm), "data");
    JsonObject *c = NULL;
    guint k;
    g_assert_cmpuint (json_array_get_length (crm), >, 0);
    for (k = 0; k < json_array_get_length (crm) && c == NULL; k++)
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (crm, k), "category"), "crm"))
        c = json_array_get_object_element (crm, k);
    g_assert_nonnull (c);
    g_assert_false (json_object_get_boolean_member (c, "available"));
    g_assert_cmpstr (json_object_get_string_member (c, "unavailable_reason"), ==,
                     "CRM is not included in the Starter plan. Contact your support manager to add it.");
  }
  /* OAuth types carry the callback URL under the server's public base. */
  for (i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *c = json_array_get_object_element (data, i);
      JsonArray *types = json_object_get_array_member (c, "auth_types");
      guint j;
      for (j = 0; j < json_array_get_length (types); j++)
        {
          JsonObject *t = json_array_get_object_element (types, j);
          const char *kind = json_object_get_string_member (t, "type");
          if (g_str_equal (kind, "oauth2") || g_str_equal (kind, "oidc"))
            {
              g_autofree char *expected = g_strdup_printf ("%s/connect/oauth2/%s/callback", URL,
                                                           json_object_get_string_member (c, "provider"));
              g_assert_cmpstr (json_object_get_string_member (t, "callback_url"), ==, expected);
              oauth_seen++;
            }
          else
            g_assert_true (json_object_get_null_member (t, "callback_url"));
        }
    }
  g_assert_cmpuint (oauth_seen, >, 5);
  test_assert_error (bad_bool, 400, "validation_failed");
  test_assert_error (bad_cat, 400, "validation_failed");
}

static void
test_connector_one (void)
{
  g_autoptr(JsonObject) bamboo = get_ok ("/connectors/bamboohr");
  g_autoptr(Reply) missing = get ("/connectors/nosuchthing");

  g_assert_cmpstr (json_object_get_string_member (bamboo, "provider_name"), ==, "BambooHR");
  g_assert_true (json_object_get_boolean_member (bamboo, "available"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (bamboo, "auth_types")), >=, 1);
  test_assert_error (missing, 404, "not_found");
}

/* ---- robustness ------------------------------------------------------------------------- */

static void
test_errors (void)
{
  g_autofree char *big = g_malloc (1100 * 1024 + 1);
  g_autofree char *deep = NULL;
  g_autoptr(Reply) too_big = NULL, bad_json = NULL, bad_utf8 = NULL, nested = NULL, array = NULL;
  g_autoptr(Reply) empty = NULL, no_type = NULL, text_type = NULL, method = NULL, method2 = NULL;
  g_autoptr(Reply) nothing = NULL, slash = NULL, dots = NULL, trailing = NULL, deep_path = NULL;
  g_autoptr(Reply) still = NULL, latin1 = NULL, nul_path = NULL, huge_id = NULL;
  g_autofree char *long_id = NULL;
  GString *nest = g_string_new (NULL);
  guint i;

  memset (big, ' ', 1100 * 1024);
  big[0] = '{';
  big[1100 * 1024 - 1] = '}';
  big[1100 * 1024] = '\0';
  too_big = test_call (session, URL, "POST", "/integrations", admin, big);
  test_assert_error (too_big, 413, "payload_too_large");
  /* The same without Content-Length: a chunked body is refused as well. */
  {
    g_autofree char *url = g_strconcat (URL, "/integrations", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autofree char *auth = g_strdup_printf ("Bearer %s", admin);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_memdup2 (big, 1100 * 1024),
                                                                            1100 * 1024, g_free);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(Reply) chunked = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_set_request_body (msg, "application/json", stream, -1);
    bytes = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    chunked = test_reply_from (msg, bytes);
    g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_request_headers (msg)), ==,
                     SOUP_ENCODING_CHUNKED);
    test_assert_error (chunked, 413, "payload_too_large");
  }
  bad_json = test_call (session, URL, "POST", "/integrations", admin, "{\"connector_key\":");
  test_assert_error (bad_json, 400, "invalid_json");
  bad_utf8 = test_call (session, URL, "POST", "/integrations", admin, "{\"name\":\"\xff\xfe\"}");
  test_assert_error (bad_utf8, 400, "invalid_json");
  for (i = 0; i < 100000; i++)
    g_string_append_c (nest, '[');
  deep = g_string_free (nest, FALSE);
  nested = test_call (session, URL, "POST", "/integrations", admin, deep);
  test_assert_error (nested, 400, "invalid_json");
  array = test_call (session, URL, "POST", "/integrations", admin, "[1,2]");
  test_assert_error (array, 400, "invalid_json");
  empty = test_call_full (session, URL, "POST", "/connect_sessions", admin, "application/json", "", 0,
                          NULL, NULL);
  test_assert_error (empty, 400, "invalid_json");
  no_type = test_call_full (session, URL, "POST", "/integrations", admin, NULL, "{}", -1, NULL, NULL);
  test_assert_error (no_type, 415, "unsupported_media_type");
  text_type = test_call_full (session, URL, "POST", "/integrations", admin, "text/plain", "{}", -1,
                              NULL, NULL);
  test_assert_error (text_type, 415, "unsupported_media_type");
  latin1 = test_call_full (session, URL, "POST", "/integrations", admin,
                           "application/json; charset=iso-8859-1", "{}", -1, NULL, NULL);
  test_assert_error (latin1, 415, "unsupported_media_type");
  method = test_call (session, URL, "DELETE", "/project", admin, NULL);
  test_assert_error (method, 405, "method_not_allowed");
  g_assert_cmpstr (soup_message_headers_get_one (method->headers, "Allow"), ==, "GET");
  method2 = test_call (session, URL, "PUT", "/integrations", admin, "{}");
  test_assert_error (method2, 405, "method_not_allowed");
  nothing = get ("/nothing/here");
  test_assert_error (nothing, 404, "not_found");
  slash = get ("/integrations/a%2Fb");
  test_assert_error (slash, 404, "not_found");
  dots = get ("/integrations/%2e%2e");
  test_assert_error (dots, 404, "not_found");
  trailing = get ("/integrations/");
  test_assert_error (trailing, 404, "not_found");
  deep_path = get ("/requests/logs/a/b/c");
  test_assert_error (deep_path, 404, "not_found");
  nul_path = get ("/integrations/ab%00cd");
  test_assert_error (nul_path, 404, "not_found");
  long_id = g_strnfill (5000, 'x');
  {
    g_autofree char *path = g_strconcat ("/accounts/", long_id, NULL);
    huge_id = get (path);
    test_assert_error (huge_id, 404, "not_found");
  }
  /* Unknown paths need no key, but the answer is still JSON. */
  {
    g_autoptr(Reply) anon = test_call (session, URL, "GET", "/nope", NULL, NULL);
    test_assert_error (anon, 404, "not_found");
  }
  still = get ("/project");
  g_assert_cmpuint (still->status, ==, 200);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  server_demo_setup ();

  g_test_add_func ("/server/auth", test_auth);
  g_test_add_func ("/server/auth/viewer", test_viewer);
  g_test_add_func ("/server/health", test_health);
  g_test_add_func ("/server/project", test_project);
  g_test_add_func ("/server/connectors/list", test_connectors);
  g_test_add_func ("/server/connectors/one", test_connector_one);
  g_test_add_func ("/server/errors", test_errors);

  return server_demo_run ();
}
