/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-demo.h"

/* What an admin does to linked accounts: link with checked credentials, suspend, resume,
 * re-link, check, delete; the rules, refusals and logs of each; no secret in any answer or in
 * the server's log. */

#define KEY_ONE "humaans-first-token-7301"
#define KEY_TWO "humaans-second-token-8402"

/* Every answer of these tests, to look for secrets in at the end. */
static GString *answers;

static Reply *
call (const char *method,
      const char *path,
      const char *key,
      const char *body)
{
  Reply *reply = test_call (session, URL, method, path, key, body);

  g_string_append (answers, reply->text);
  return reply;
}

static JsonObject *
call_ok (const char *method,
         const char *path,
         const char *body,
         guint       status)
{
  g_autoptr(Reply) reply = call (method, path, admin, body);

  g_assert_cmpuint (reply->status, ==, status);
  return json_object_ref (obj (reply));
}

static char *
account_path (const char *id,
              const char *tail)
{
  return g_strconcat ("/accounts/", id, tail, NULL);
}

/* The only integration of Humaans (API token, entered by each end user). */
static const char *
humaans (void)
{
  static char *id;

  if (id == NULL)
    {
      g_autoptr(JsonObject) created = call_ok ("POST", "/integrations",
                                               "{\"connector_key\":\"humaans\","
                                               "\"authentication_config_key\":\"api_key\"}", 201);
      id = g_strdup (json_object_get_string_member (created, "id"));
    }
  return id;
}

static JsonObject *
new_session (const char *body)
{
  return call_ok ("POST", "/connect_sessions", body, 201);
}

static Reply *
authenticate (const char *token,
              const char *credentials)
{
  g_autofree char *body = g_strdup_printf ("{\"token\":\"%s\",\"credentials\":%s}", token,
                                           credentials);
  return call ("POST", "/connect_sessions/authenticate", admin, body);
}

/* Links a Humaans account of @owner with the token @value; returns the account. */
static JsonObject *
link_humaans (const char *owner,
              const char *value)
{
  g_autofree char *body = g_strdup_printf ("{\"origin_owner_id\":\"%s\",\"origin_owner_name\":"
                                           "\"%s Ltd\",\"provider\":\"humaans\","
                                           "\"integration_id\":\"%s\"}", owner, owner, humaans ());
  g_autoptr(JsonObject) s = new_session (body);
  g_autofree char *credentials = g_strdup_printf ("{\"api_token\":\"%s\"}", value);
  g_autoptr(Reply) account = authenticate (json_object_get_string_member (s, "token"),
                                           credentials);

  g_assert_cmpuint (account->status, ==, 201);
  return json_object_ref (obj (account));
}

static const char *
field_reason (Reply      *reply,
              const char *field)
{
  JsonObject *details = json_object_get_object_member (obj (reply), "details");
  JsonObject *fields = json_object_get_object_member (details, "fields");

  return json_object_has_member (fields, field) ? json_object_get_string_member (fields, field)
                                                 : NULL;
}

static JsonObject *
first_reason (JsonObject *account)
{
  JsonArray *reasons = json_object_get_array_member (account, "status_reasons");

  g_assert_cmpuint (json_array_get_length (reasons), >=, 1);
  return json_array_get_object_element (reasons, 0);
}

static JsonObject *
counts (void)
{
  g_autofree char *path = g_strconcat ("/integrations/", humaans (), NULL);
  g_autoptr(JsonObject) integration = get_ok (path);

  return json_object_ref (json_object_get_object_member (integration, "linked_accounts"));
}

/* ---- linking ---------------------------------------------------------------------------- */

static void
test_link_checks_credentials (void)
{
  g_autofree char *body = g_strdup_printf ("{\"origin_owner_id\":\"link-1\",\"origin_owner_name\":"
                                           "\"Link One\",\"provider\":\"humaans\","
                                           "\"integration_id\":\"%s\"}", humaans ());
  g_autoptr(JsonObject) s = new_session (body);
  const char *token = json_object_get_string_member (s, "token");
  g_autoptr(Reply) missing = authenticate (token, "{}");
  g_autoptr(Reply) blank = authenticate (token, "{\"api_token\":\"  \"}");
  g_autoptr(Reply) unknown = authenticate (token, "{\"api_token\":\"x\",\"password\":\"p\"}");
  g_autoptr(Reply) wrong_type = authenticate (token, "{\"api_token\":42}");
  g_autoptr(Reply) linked = NULL;
  g_autofree char *url = g_strconcat (URL, "/connect/", token, NULL);
  JsonObject *account, *credentials, *hint;

  /* The page of the session, at the server's public base. */
  g_assert_cmpstr (json_object_get_string_member (s, "url"), ==, url);
  g_assert_true (json_object_get_null_member (s, "account_id"));

  test_assert_error (missing, 400, "validation_failed");
  g_assert_cmpstr (field_reason (missing, "credentials.api_token"), ==, "API access token is required.");
  g_assert_nonnull (strstr (json_object_get_string_member (obj (missing), "message"),
                            "API access token is required."));
  test_assert_error (blank, 400, "validation_failed");
  g_assert_cmpstr (field_reason (blank, "credentials.api_token"), ==, "API access token is required.");
  test_assert_error (unknown, 400, "validation_failed");
  g_assert_cmpstr (field_reason (unknown, "credentials.password"), ==,
                   "“credentials.password” is not one of the account's fields.");
  g_assert_null (field_reason (unknown, "credentials.api_token"));
  test_assert_error (wrong_type, 400, "validation_failed");
  g_assert_nonnull (field_reason (wrong_type, "credentials.api_token"));

  /* The refusals left the session unused. */
  linked = authenticate (token, "{\"api_token\":\"" KEY_ONE "\"}");
  g_assert_cmpuint (linked->status, ==, 201);
  account = obj (linked);
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "active");
  credentials = json_object_get_object_member (account, "credentials");
  g_assert_cmpuint (json_object_get_size (credentials), ==, 1);
  hint = json_object_get_object_member (credentials, "api_token");
  g_assert_true (json_object_get_boolean_member (hint, "set"));
  g_assert_cmpstr (json_object_get_string_member (hint, "hint"), ==, "…7301");
  g_assert_nonnull (json_object_get_string_member (hint, "updated_at"));
  g_assert_null (strstr (linked->text, KEY_ONE));
}

/* ---- suspend and resume ----------------------------------------------------------------- */

static void
test_suspend_resume (void)
{
  g_autoptr(JsonObject) account = link_humaans ("suspend-1", KEY_ONE);
  g_autoptr(JsonObject) other = link_humaans ("suspend-2", KEY_ONE);
  const char *id = json_object_get_string_member (account, "id");
  g_autofree char *path = account_path (id, "");
  g_autofree char *refresh = account_path (id, "/refresh");
  g_autofree char *relink = g_strdup_printf ("{\"account_id\":\"%s\"}", id);
  g_autofree char *integration = g_strconcat ("/integrations/", humaans (), NULL);
  g_autofree char *key_id = g_strndup (admin + 4, 12);
  g_autoptr(JsonObject) before = counts ();
  g_autoptr(JsonObject) suspended = call_ok ("PATCH", path, "{\"status\":\"suspended\"}", 200);
  g_autoptr(JsonObject) after = counts ();
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) resumed = NULL;
  g_autoptr(JsonObject) s = NULL;
  JsonObject *reason, *actor;

  g_assert_cmpstr (json_object_get_string_member (suspended, "status"), ==, "suspended");
  reason = first_reason (suspended);
  g_assert_cmpstr (json_object_get_string_member (reason, "code"), ==, "suspended_by_admin");
  g_assert_nonnull (json_object_get_string_member (reason, "description"));
  g_assert_nonnull (json_object_get_string_member (reason, "timestamp"));
  actor = json_object_get_object_member (reason, "actor");
  g_assert_cmpstr (json_object_get_string_member (actor, "type"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (actor, "key_id"), ==, key_id);
  g_assert_cmpint (json_object_get_int_member (after, "suspended"), ==,
                   json_object_get_int_member (before, "suspended") + 1);
  g_assert_cmpint (json_object_get_int_member (after, "active"), ==,
                   json_object_get_int_member (before, "active") - 1);

  /* Suspending again changes nothing, not even the reason's time. */
  again = call_ok ("PATCH", path, "{\"status\":\"suspended\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (first_reason (again), "timestamp"), ==,
                   json_object_get_string_member (reason, "timestamp"));

  /* What acts as the account is refused: checking it, linking it again (by id or by owner). */
  {
    g_autoptr(Reply) checked = call ("POST", refresh, admin, NULL);
    g_autoptr(Reply) by_id = call ("POST", "/connect_sessions", admin, relink);
    g_autoptr(JsonObject) by_owner = new_session ("{\"origin_owner_id\":\"suspend-1\","
                                                  "\"origin_owner_name\":\"S\","
                                                  "\"provider\":\"humaans\"}");
    g_autoptr(Reply) authenticated = authenticate (json_object_get_string_member (by_owner,
                                                                                  "token"),
                                                   "{\"api_token\":\"" KEY_TWO "\"}");

    test_assert_error (checked, 409, "account_suspended");
    test_assert_error (by_id, 409, "account_suspended");
    test_assert_error (authenticated, 409, "account_suspended");
  }

  /* Disabling and enabling the integration leaves the admin's choice alone. */
  {
    g_autoptr(Reply) off = patch (humaans (), "{\"active\":false}", NULL);
    g_autofree char *other_path = account_path (json_object_get_string_member (other, "id"), "");
    g_autoptr(JsonObject) other_off = get_ok (other_path);
    g_autoptr(JsonObject) still = get_ok (path);
    g_autoptr(Reply) refused = call ("PATCH", path, admin, "{\"status\":\"active\"}");
    g_autoptr(Reply) other_refused = call ("PATCH", other_path, admin, "{\"status\":\"active\"}");
    g_autoptr(Reply) on = NULL;
    g_autoptr(JsonObject) still_on = NULL;

    g_assert_cmpuint (off->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (other_off, "status"), ==, "inactive");
    g_assert_cmpstr (json_object_get_string_member (still, "status"), ==, "suspended");
    test_assert_error (refused, 409, "integration_disabled");
    test_assert_error (other_refused, 409, "integration_disabled");
    on = patch (humaans (), "{\"active\":true}", NULL);
    g_assert_cmpuint (on->status, ==, 200);
    still_on = get_ok (path);
    g_assert_cmpstr (json_object_get_string_member (still_on, "status"), ==, "suspended");
  }
  (void) integration;

  resumed = call_ok ("PATCH", path, "{\"status\":\"active\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (resumed, "status"), ==, "active");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (resumed,
                                                                         "status_reasons")),
                    ==, 0);
  /* Resuming an active account changes nothing; it can be linked again now. */
  g_clear_pointer (&again, json_object_unref);
  again = call_ok ("PATCH", path, "{\"status\":\"active\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (again, "updated_at"), ==,
                   json_object_get_string_member (resumed, "updated_at"));
  s = new_session (relink);
  g_assert_cmpstr (json_object_get_string_member (s, "account_id"), ==, id);
}

static void
test_update_validation (void)
{
  g_autoptr(JsonObject) account = link_humaans ("update-1", KEY_ONE);
  g_autofree char *path = account_path (json_object_get_string_member (account, "id"), "");
  g_autoptr(Reply) bad_status = call ("PATCH", path, admin, "{\"status\":\"error\"}");
  g_autoptr(Reply) not_string = call ("PATCH", path, admin, "{\"status\":true}");
  g_autoptr(Reply) unknown = call ("PATCH", path, admin, "{\"owner\":\"x\"}");
  g_autoptr(Reply) blank_label = call ("PATCH", path, admin, "{\"label\":\" \"}");
  g_autoptr(Reply) not_json = test_call_full (session, URL, "PATCH", path, admin, "text/plain",
                                              "status=suspended", -1, NULL, NULL);
  g_autoptr(JsonObject) labelled = call_ok ("PATCH", path, "{\"label\":\"Humaans – test account\"}",
                                            200);

  test_assert_error (bad_status, 400, "validation_failed");
  g_assert_cmpstr (field_reason (bad_status, "status"), ==,
                   "The status can be set to “suspended” or “active”.");
  test_assert_error (not_string, 400, "validation_failed");
  test_assert_error (unknown, 400, "validation_failed");
  g_assert_nonnull (field_reason (unknown, "owner"));
  test_assert_error (blank_label, 400, "validation_failed");
  g_assert_nonnull (field_reason (blank_label, "label"));
  test_assert_error (not_json, 415, "unsupported_media_type");
  g_assert_cmpstr (json_object_get_string_member (labelled, "label"), ==,
                   "Humaans – test account");
  g_assert_cmpstr (json_object_get_string_member (labelled, "status"), ==, "active");
}

/* ---- re-linking ------------------------------------------------------------------------- */

static void
test_relink (void)
{
  g_autoptr(JsonObject) account = link_humaans ("relink-1", KEY_ONE);
  const char *id = json_object_get_string_member (account, "id");
  g_autofree char *body = g_strdup_printf ("{\"account_id\":\"%s\"}", id);
  g_autofree char *mismatch = g_strdup_printf ("{\"account_id\":\"%s\",\"provider\":\"ashby\"}",
                                               id);
  g_autoptr(Reply) refused = call ("POST", "/connect_sessions", admin, mismatch);
  g_autoptr(Reply) unknown = call ("POST", "/connect_sessions", admin,
                                   "{\"account_id\":\"acc_nope\"}");
  g_autoptr(Reply) empty = call ("POST", "/connect_sessions", admin, "{\"account_id\":\"\"}");
  g_autoptr(JsonObject) s = new_session (body);
  g_autoptr(Reply) relinked = NULL;
  g_autoptr(JsonObject) total_before = counts ();
  g_autoptr(JsonObject) total_after = NULL;
  JsonObject *hint;

  test_assert_error (refused, 400, "validation_failed");
  g_assert_nonnull (field_reason (refused, "provider"));
  test_assert_error (unknown, 404, "not_found");
  test_assert_error (empty, 400, "validation_failed");
  g_assert_cmpstr (json_object_get_string_member (s, "provider"), ==, "humaans");
  g_assert_cmpstr (json_object_get_string_member (s, "integration_id"), ==, humaans ());
  g_assert_cmpstr (json_object_get_string_member (s, "account_id"), ==, id);

  relinked = authenticate (json_object_get_string_member (s, "token"),
                           "{\"api_token\":\"" KEY_TWO "\"}");
  g_assert_cmpuint (relinked->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (obj (relinked), "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (obj (relinked), "status"), ==, "active");
  hint = json_object_get_object_member (json_object_get_object_member (obj (relinked),
                                                                       "credentials"),
                                        "api_token");
  g_assert_cmpstr (json_object_get_string_member (hint, "hint"), ==, "…8402");
  g_assert_cmpstr (json_object_get_string_member (obj (relinked), "origin_owner_id"), ==,
                   "relink-1");
  total_after = counts ();
  g_assert_cmpint (json_object_get_int_member (total_after, "total"), ==,
                   json_object_get_int_member (total_before, "total"));
}

/* ---- checking credentials --------------------------------------------------------------- */

static void
test_refresh (void)
{
  /* The demo's accounts in error have credentials that fit their auth type. */
  g_autoptr(JsonObject) page = get_ok ("/accounts?status=error&page_size=1");
  JsonArray *data = json_object_get_array_member (page, "data");
  const char *error_id = json_object_get_string_member (json_array_get_object_element (data, 0),
                                                        "id");
  g_autofree char *error_refresh = account_path (error_id, "/refresh");
  g_autoptr(JsonObject) fixed = call_ok ("POST", error_refresh, NULL, 200);
  g_autoptr(JsonObject) with_body = call_ok ("POST", error_refresh, "{}", 200);
  g_autoptr(Reply) with_member = call ("POST", error_refresh, admin, "{\"force\":true}");
  g_autoptr(Reply) filter = call ("GET", "/accounts?status=paused", admin, NULL);
  g_autoptr(JsonObject) bamboo = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(JsonObject) broken = NULL;
  g_autofree char *path = NULL;
  const char *bamboo_id;

  g_assert_cmpstr (json_object_get_string_member (fixed, "status"), ==, "active");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (fixed, "status_reasons")),
                    ==, 0);
  g_assert_cmpstr (json_object_get_string_member (with_body, "status"), ==, "active");
  test_assert_error (with_member, 400, "validation_failed");
  test_assert_error (filter, 400, "validation_failed");
  g_assert_nonnull (strstr (json_object_get_string_member (obj (filter), "message"), "expired"));

  /* An account whose integration moved to another auth type no longer fits it. */
  bamboo = create (make_body ("bamboohr", "api_key", NULL), 201);
  bamboo_id = json_object_get_string_member (bamboo, "id");
  account = link_account ("bamboohr", bamboo_id, "refresh-1", "Refresh Co");
  {
    g_autoptr(Reply) moved = patch (bamboo_id, "{\"authentication_config_key\":\"oauth2\","
                                    "\"oauth_app\":\"platform\"}", NULL);
    g_assert_cmpuint (moved->status, ==, 200);
  }
  path = account_path (json_object_get_string_member (account, "id"), "/refresh");
  broken = call_ok ("POST", path, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (broken, "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (first_reason (broken), "code"), ==,
                   "invalid_credentials");
  g_assert_nonnull (strstr (json_object_get_string_member (first_reason (broken), "description"),
                            "“api_key” is not one of the account's fields."));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (first_reason (broken), "actor"), "type"),
                   ==, "server");
  {
    g_autoptr(Reply) filtered = call ("GET", "/accounts?status=error&provider=bamboohr"
                                      "&page_size=1000", admin, NULL);
    g_assert_cmpuint (filtered->status, ==, 200);
    g_assert_nonnull (strstr (filtered->text, json_object_get_string_member (account, "id")));
  }
}

/* ---- deleting --------------------------------------------------------------------------- */

static void
test_delete (void)
{
  g_autoptr(JsonObject) account = link_humaans ("delete-1", KEY_ONE);
  const char *id = json_object_get_string_member (account, "id");
  g_autofree char *path = account_path (id, "");
  g_autofree char *body = g_strdup_printf ("{\"account_id\":\"%s\"}", id);
  g_autofree char *logs_path = g_strdup_printf ("/requests/logs?account_id=%s&page_size=100", id);
  g_autoptr(JsonObject) relink = new_session (body);
  g_autoptr(JsonObject) before = counts ();
  g_autoptr(Reply) deleted = call ("DELETE", path, admin, NULL);
  g_autoptr(Reply) gone = call ("GET", path, admin, NULL);
  g_autoptr(Reply) twice = call ("DELETE", path, admin, NULL);
  g_autoptr(Reply) relinked = authenticate (json_object_get_string_member (relink, "token"),
                                            "{\"api_token\":\"" KEY_TWO "\"}");
  g_autoptr(JsonObject) after = counts ();
  g_autoptr(JsonObject) logs = get_ok (logs_path);
  JsonArray *data = json_object_get_array_member (logs, "data");
  gboolean logged = FALSE;

  g_assert_cmpuint (deleted->status, ==, 204);
  g_assert_cmpstr (deleted->text, ==, "");
  test_assert_error (gone, 404, "not_found");
  test_assert_error (twice, 404, "not_found");
  /* The session that would have linked it again went with it. */
  test_assert_error (relinked, 401, "invalid_token");
  g_assert_cmpint (json_object_get_int_member (after, "total"), ==,
                   json_object_get_int_member (before, "total") - 1);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *log = json_array_get_object_element (data, i);
      if (g_str_equal (json_object_get_string_member (log, "http_method"), "DELETE")
          && json_object_get_int_member (log, "status") == 204)
        logged = TRUE;
    }
  g_assert_true (logged);
}

/* ---- refusals --------------------------------------------------------------------------- */

static void
test_not_found_and_viewer (void)
{
  g_autoptr(JsonObject) account = link_humaans ("viewer-1", KEY_ONE);
  const char *id = json_object_get_string_member (account, "id");
  g_autofree char *path = account_path (id, "");
  g_autofree char *refresh = account_path (id, "/refresh");
  g_autofree char *relink = g_strdup_printf ("{\"account_id\":\"%s\"}", id);
  struct { const char *method, *path, *body; } actions[] = {
    { "PATCH", path, "{\"status\":\"suspended\"}" },
    { "DELETE", path, NULL },
    { "POST", refresh, NULL },
    { "POST", "/connect_sessions", relink },
  };
  struct { const char *method, *path, *body; } missing[] = {
    { "PATCH", "/accounts/acc_missing", "{\"status\":\"suspended\"}" },
    { "DELETE", "/accounts/acc_missing", NULL },
    { "POST", "/accounts/acc_missing/refresh", NULL },
    { "GET", "/accounts/acc_missing", NULL },
  };
  g_autoptr(Reply) wrong_method = call ("PUT", path, admin, "{}");
  g_autoptr(JsonObject) unchanged = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr(Reply) reply = call (actions[i].method, actions[i].path, viewer, actions[i].body);
      g_test_message ("viewer %s %s", actions[i].method, actions[i].path);
      test_assert_error (reply, 403, "forbidden");
    }
  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_autoptr(Reply) reply = call (missing[i].method, missing[i].path, admin, missing[i].body);
      g_test_message ("missing %s %s", missing[i].method, missing[i].path);
      test_assert_error (reply, 404, "not_found");
    }
  /* An account of another project is not there for this key. */
  {
    g_autoptr(Reply) other = test_call (session, URL, "PATCH", path, sandbox_admin,
                                        "{\"status\":\"suspended\"}");
    test_assert_error (other, 404, "not_found");
  }
  test_assert_error (wrong_method, 405, "method_not_allowed");
  unchanged = get_ok (path);
  g_assert_cmpstr (json_object_get_string_member (unchanged, "status"), ==, "active");
}

/* ---- logs ------------------------------------------------------------------------------- */

static void
test_each_change_logged (void)
{
  g_autoptr(JsonObject) account = link_humaans ("logs-1", KEY_ONE);
  const char *id = json_object_get_string_member (account, "id");
  g_autofree char *path = account_path (id, "");
  g_autofree char *refresh = account_path (id, "/refresh");
  g_autofree char *logs_path = g_strdup_printf ("/requests/logs?account_id=%s&page_size=100", id);
  g_autoptr(JsonObject) a = call_ok ("PATCH", path, "{\"status\":\"suspended\"}", 200);
  g_autoptr(JsonObject) b = call_ok ("PATCH", path, "{\"status\":\"active\"}", 200);
  g_autoptr(JsonObject) c = call_ok ("POST", refresh, NULL, 200);
  g_autoptr(Reply) d = call ("PATCH", path, admin, "{\"status\":\"active\",\"label\":\"\"}");
  g_autoptr(JsonObject) logs = get_ok (logs_path);
  JsonArray *data = json_object_get_array_member (logs, "data");
  guint patches = 0, refreshes = 0, links = 0;

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *log = json_array_get_object_element (data, i);
      const char *method = json_object_get_string_member (log, "http_method");
      const char *log_path = json_object_get_string_member (log, "path");

      g_assert_cmpstr (json_object_get_string_member (log, "integration_id"), ==, humaans ());
      g_assert_cmpstr (json_object_get_string_member (log, "provider"), ==, "humaans");
      if (g_str_equal (method, "PATCH") && json_object_get_int_member (log, "status") == 200)
        patches++;
      else if (g_str_has_suffix (log_path, "/refresh"))
        refreshes++;
      else if (g_str_equal (log_path, "/connect_sessions/authenticate"))
        links++;
    }
  g_assert_cmpuint (patches, ==, 2);
  g_assert_cmpuint (refreshes, ==, 1);
  g_assert_cmpuint (links, ==, 1);
  g_assert_cmpuint (d->status, ==, 400);
}

int
main (int    argc,
      char **argv)
{
  const char *demo_argv[] = { "demo", "--listen", "127.0.0.1:0", NULL };
  const char *env[] = { "G_MESSAGES_DEBUG", "all", NULL };
  g_autofree char *err = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  answers = g_string_new (NULL);
  demo = test_server_start (demo_argv, env);
  admin = test_server_project_key (demo, 0, "admin");
  viewer = test_server_project_key (demo, 0, "viewer");
  sandbox_admin = test_server_project_key (demo, 1, "admin");
  session = soup_session_new ();

  g_test_add_func ("/server/accounts/link-checks-credentials", test_link_checks_credentials);
  g_test_add_func ("/server/accounts/suspend-resume", test_suspend_resume);
  g_test_add_func ("/server/accounts/update-validation", test_update_validation);
  g_test_add_func ("/server/accounts/relink", test_relink);
  g_test_add_func ("/server/accounts/refresh", test_refresh);
  g_test_add_func ("/server/accounts/delete", test_delete);
  g_test_add_func ("/server/accounts/not-found-and-viewer", test_not_found_and_viewer);
  g_test_add_func ("/server/accounts/each-change-logged", test_each_change_logged);
  ret = g_test_run ();

  g_clear_object (&session);
  test_server_stop (demo);
  err = test_server_read_err (demo);
  test_server_free (demo);
  /* The end users' values: in no answer, and not in the server's debug log. */
  g_assert_true (strstr (answers->str, KEY_ONE) == NULL);
  g_assert_true (strstr (answers->str, KEY_TWO) == NULL);
  g_assert_true (strstr (err, KEY_ONE) == NULL);
  g_assert_true (strstr (err, KEY_TWO) == NULL);
  g_assert_true (strstr (err, "pb-server") != NULL);
  g_string_free (answers, TRUE);
  return ret;
}
