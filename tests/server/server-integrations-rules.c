/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-integrations-tests.h"

/* ---- integrations: active, default and delete rules ------------------------------------- */

/* Disabling an integration makes its linked accounts inactive and refuses new ones; enabling
 * it brings them back. */
void
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

void
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

void
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

void
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
