/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-integrations-tests.h"

/* ---- accounts and connect sessions ------------------------------------------------------ */

void
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

void
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

  {
    g_autoptr(JsonObject) credentials = valid_credentials (id);
    g_autoptr(JsonObject) auth_body = json_object_new ();

    json_object_set_string_member (auth_body, "token", json_object_get_string_member (s, "token"));
    json_object_set_object_member (auth_body, "credentials", g_steal_pointer (&credentials));
    auth = to_text (auth_body);
  }
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

void
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

void
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
