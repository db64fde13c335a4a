/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-demo.h"

/*
 * Two plugboard-server processes on one database (a PostgreSQL one in suite server-pg, an
 * SQLite file in suite server), raced: each round sends two conflicting changes at the same
 * moment, one to each server, and then checks the rules on what both servers answer.
 */

#define ROUNDS 12

static TestServer *other;   /* the second server; `demo` (server-demo.h) is the first */

typedef struct
{
  const char *base;
  const char *method;
  char       *path;
  char       *body;
  guint       status;
} Call;

typedef struct
{
  Call    calls[2];
  GMutex  lock;
  GCond   cond;
  guint   ready;
} Race;

static gpointer
race_thread (gpointer data)
{
  Race *race = ((gpointer *) data)[0];
  Call *call = ((gpointer *) data)[1];
  g_autoptr(SoupSession) own = soup_session_new ();
  g_autoptr(Reply) reply = NULL;

  /* A first request opens the connection, so the raced ones start together. */
  g_clear_pointer (&reply, reply_free);
  reply = test_call (own, call->base, "GET", "/project", admin, NULL);
  g_clear_pointer (&reply, reply_free);
  g_mutex_lock (&race->lock);
  race->ready++;
  g_cond_broadcast (&race->cond);
  while (race->ready < 2)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);
  reply = test_call (own, call->base, call->method, call->path, admin, call->body);
  call->status = reply->status;
  return NULL;
}

/* Sends @a to the first server and @b to the second at the same moment. */
static void
run_race (Race *race)
{
  gpointer args[2][2] = { { race, &race->calls[0] }, { race, &race->calls[1] } };
  GThread *threads[2];

  g_mutex_init (&race->lock);
  g_cond_init (&race->cond);
  race->ready = 0;
  race->calls[0].base = demo->url;
  race->calls[1].base = other->url;
  threads[0] = g_thread_new ("race-a", race_thread, args[0]);
  threads[1] = g_thread_new ("race-b", race_thread, args[1]);
  g_thread_join (threads[0]);
  g_thread_join (threads[1]);
  g_mutex_clear (&race->lock);
  g_cond_clear (&race->cond);
}

static void
race_clear (Race *race)
{
  for (guint i = 0; i < 2; i++)
    {
      g_free (race->calls[i].path);
      g_free (race->calls[i].body);
    }
}

static char *
new_integration (const char *provider,
                 const char *name)
{
  g_autoptr(JsonObject) body = make_body (provider, NULL, NULL);
  g_autoptr(JsonObject) created = NULL;

  json_object_set_string_member (body, "name", name);
  created = create (body, 201);
  return g_strdup (json_object_get_string_member (created, "id"));
}

/* The integrations of @provider as both servers list them (the same), and how many are the
 * default; exactly one, whenever there is one at all. */
static guint
count_defaults (const char *provider,
                guint      *out_total)
{
  g_autofree char *path = g_strdup_printf ("/integrations?connector_key=%s&page_size=100", provider);
  guint defaults[2] = { 0, 0 }, totals[2] = { 0, 0 };

  for (guint s = 0; s < 2; s++)
    {
      g_autoptr(Reply) reply = test_call (session, s == 0 ? demo->url : other->url, "GET", path,
                                          admin, NULL);
      JsonArray *data;

      g_assert_cmpuint (reply->status, ==, 200);
      data = json_object_get_array_member (obj (reply), "data");
      totals[s] = json_array_get_length (data);
      for (guint i = 0; i < totals[s]; i++)
        defaults[s] += json_object_get_boolean_member (json_array_get_object_element (data, i),
                                                       "default");
    }
  g_assert_cmpuint (totals[0], ==, totals[1]);
  g_assert_cmpuint (defaults[0], ==, defaults[1]);
  if (totals[0] > 0)
    g_assert_cmpuint (defaults[0], ==, 1);
  *out_total = totals[0];
  return defaults[0];
}

/* Two integrations made the default at once, one on each server: one default. */
static void
test_two_defaults (void)
{
  g_autofree char *first = new_integration ("teamtailor", "Race first");
  guint total;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *name_a = g_strdup_printf ("Race A%u", round);
      g_autofree char *name_b = g_strdup_printf ("Race B%u", round);
      g_autofree char *a = new_integration ("teamtailor", name_a);
      g_autofree char *b = new_integration ("teamtailor", name_b);
      Race race = { 0 };

      race.calls[0] = (Call) { NULL, "PATCH", g_strconcat ("/integrations/", a, NULL),
                               g_strdup ("{\"default\":true}"), 0 };
      race.calls[1] = (Call) { NULL, "PATCH", g_strconcat ("/integrations/", b, NULL),
                               g_strdup ("{\"default\":true}"), 0 };
      run_race (&race);
      g_assert_cmpuint (race.calls[0].status, ==, 200);
      g_assert_cmpuint (race.calls[1].status, ==, 200);
      g_assert_cmpuint (count_defaults ("teamtailor", &total), ==, 1);
      g_assert_cmpuint (total, ==, 3 + 2 * round);
      race_clear (&race);
    }
}

/* The default deleted while another integration is made the default: either the delete is
 * refused (it was still the default, with a sibling) or it goes after the default moved; the
 * connector keeps exactly one default. */
static void
test_delete_vs_default (void)
{
  guint total, deleted = 0, refused = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *name_a = g_strdup_printf ("Old default %u", round);
      g_autofree char *name_b = g_strdup_printf ("New default %u", round);
      g_autofree char *a = new_integration ("workable", name_a);
      g_autofree char *b = new_integration ("workable", name_b);
      g_autoptr(Reply) made = NULL;
      g_autofree char *path = g_strconcat ("/integrations/", a, NULL);
      Race race = { 0 };

      made = patch (a, "{\"default\":true}", NULL);
      g_assert_cmpuint (made->status, ==, 200);
      race.calls[0] = (Call) { NULL, "DELETE", g_strconcat ("/integrations/", a, NULL), NULL, 0 };
      race.calls[1] = (Call) { NULL, "PATCH", g_strconcat ("/integrations/", b, NULL),
                               g_strdup ("{\"default\":true}"), 0 };
      run_race (&race);
      g_assert_cmpuint (race.calls[1].status, ==, 200);
      g_assert_true (race.calls[0].status == 204 || race.calls[0].status == 409);
      if (race.calls[0].status == 204)
        {
          g_autoptr(Reply) gone = test_call (session, other->url, "GET", path, admin, NULL);
          g_assert_cmpuint (gone->status, ==, 404);
          deleted++;
        }
      else
        refused++;
      count_defaults ("workable", &total);
      race_clear (&race);
    }
  g_test_message ("delete vs make-default: %u deleted after the move, %u refused", deleted,
                  refused);
}

/* An integration disabled while an account is linked to it: no account stays active under a
 * disabled integration. */
static void
test_disable_vs_link (void)
{
  guint linked = 0, refused = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *name = g_strdup_printf ("Race link %u", round);
      g_autofree char *id = new_integration ("humaans", name);
      g_autofree char *owner = g_strdup_printf ("race-%u", round);
      g_autofree char *session_body = g_strdup_printf (
        "{\"origin_owner_id\":\"%s\",\"origin_owner_name\":\"Race Co\",\"provider\":\"humaans\","
        "\"integration_id\":\"%s\"}", owner, id);
      g_autoptr(Reply) cs = test_call (session, URL, "POST", "/connect_sessions", admin,
                                       session_body);
      g_autofree char *accounts_path = g_strdup_printf ("/accounts?integration_id=%s", id);
      g_autoptr(Reply) accounts = NULL;
      g_autoptr(JsonObject) after = NULL;
      g_autoptr(JsonObject) auth = json_object_new ();
      JsonArray *data;
      Race race = { 0 };

      g_assert_cmpuint (cs->status, ==, 201);
      json_object_set_string_member (auth, "token", json_object_get_string_member (obj (cs), "token"));
      json_object_set_object_member (auth, "credentials", valid_credentials (id));
      race.calls[0] = (Call) { NULL, "PATCH", g_strconcat ("/integrations/", id, NULL),
                               g_strdup ("{\"active\":false}"), 0 };
      race.calls[1] = (Call) { NULL, "POST", g_strdup ("/connect_sessions/authenticate"),
                               to_text (auth), 0 };
      run_race (&race);
      g_assert_cmpuint (race.calls[0].status, ==, 200);
      g_assert_true (race.calls[1].status == 201 || race.calls[1].status == 409);
      if (race.calls[1].status == 201)
        linked++;
      else
        refused++;
      after = get_integration (id);
      g_assert_false (json_object_get_boolean_member (after, "active"));
      accounts = test_call (session, other->url, "GET", accounts_path, admin, NULL);
      g_assert_cmpuint (accounts->status, ==, 200);
      data = json_object_get_array_member (obj (accounts), "data");
      g_assert_cmpuint (json_array_get_length (data), ==, race.calls[1].status == 201 ? 1 : 0);
      for (guint i = 0; i < json_array_get_length (data); i++)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data, i),
                                                        "status"), ==, "inactive");
      race_clear (&race);
    }
  g_test_message ("disable vs link: %u linked before the disable, %u refused", linked, refused);
}

/* Page cursors and sync tokens taken on one server go on on the other. */
static void
test_cursors_across_servers (void)
{
  g_autoptr(Reply) first = test_call (session, demo->url, "GET", "/integrations?page_size=2",
                                      admin, NULL);
  const char *next = json_object_get_string_member (obj (first), "next");
  g_autofree char *path = g_strdup_printf ("/integrations?page_size=1000&next=%s", next);
  g_autoptr(Reply) rest = test_call (session, other->url, "GET", path, admin, NULL);
  g_autoptr(Reply) all = test_call (session, other->url, "GET", "/integrations?page_size=1000",
                                    admin, NULL);
  guint n_first, n_rest, n_all;

  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (rest->status, ==, 200);
  n_first = json_array_get_length (json_object_get_array_member (obj (first), "data"));
  n_rest = json_array_get_length (json_object_get_array_member (obj (rest), "data"));
  n_all = json_array_get_length (json_object_get_array_member (obj (all), "data"));
  g_assert_cmpuint (n_first, ==, 2);
  g_assert_cmpuint (n_first + n_rest, ==, n_all);

  /* A sync token of the first server, after a change through the second: the delta from the
   * first server has exactly that integration. */
  {
    const char *token = json_object_get_string_member (obj (all), "sync_token");
    JsonObject *one = json_array_get_object_element (json_object_get_array_member (obj (all), "data"), 0);
    const char *id = json_object_get_string_member (one, "id");
    g_autofree char *escaped = g_uri_escape_string (token, NULL, TRUE);
    g_autofree char *delta_path = g_strdup_printf ("/integrations?sync_token=%s", escaped);
    g_autofree char *change_path = g_strconcat ("/integrations/", id, NULL);
    g_autoptr(Reply) changed = NULL, delta = NULL;
    JsonArray *data;

    g_assert_nonnull (token);
    changed = test_call (session, other->url, "PATCH", change_path, admin,
                         "{\"name\":\"Changed on the other server\"}");
    g_assert_cmpuint (changed->status, ==, 200);
    delta = test_call (session, demo->url, "GET", delta_path, admin, NULL);
    g_assert_cmpuint (delta->status, ==, 200);
    data = json_object_get_array_member (obj (delta), "data");
    g_assert_cmpuint (json_array_get_length (data), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data, 0), "id"),
                     ==, id);
  }
}

/* On PostgreSQL the rate limit of a key counts its requests to all servers of the database. */
static void
test_shared_rate_limit (void)
{
  const char *db = g_object_get_data (G_OBJECT (session), "db");
  const char *project = g_object_get_data (G_OBJECT (session), "project");
  g_autoptr(SoupSession) own = soup_session_new ();
  g_autofree char *key = NULL;
  TestServer *limited[2];
  guint s, i;

  if (!test_engine_is_postgresql ())
    {
      g_test_skip ("Servers of an SQLite file count their requests each in memory");
      return;
    }
  /* A key of its own: the others' requests count in the database too. */
  g_assert_cmpint (test_run_command ((const char *[]) { "create-key", "--db", db, "--project", project,
                                                        "--role", "admin", NULL }, &key, NULL), ==, 0);
  g_strstrip (key);
  for (s = 0; s < 2; s++)
    limited[s] = test_server_start ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0",
                                                       "--rate-limit", "6", NULL }, NULL);
  /* Six requests, three to each server, fill the key's minute; the seventh is refused by
   * either. */
  for (i = 0; i < 6; i++)
    {
      g_autoptr(Reply) reply = test_call (own, limited[i % 2]->url, "GET", "/project", key, NULL);

      g_assert_cmpuint (reply->status, ==, 200);
    }
  for (s = 0; s < 2; s++)
    {
      g_autoptr(Reply) reply = test_call (own, limited[s]->url, "GET", "/project", key, NULL);

      test_assert_error (reply, 429, "rate_limited");
      g_assert_nonnull (soup_message_headers_get_one (reply->headers, "Retry-After"));
    }
  for (s = 0; s < 2; s++)
    {
      test_server_stop (limited[s]);
      test_server_free (limited[s]);
    }
}

/* The database restarts under both servers: they connect again, and the next requests are
 * answered as before. */
static void
test_database_restart (void)
{
  if (!test_engine_is_postgresql ())
    {
      g_test_skip ("An SQLite file does not restart");
      return;
    }
  test_engine_restart ();
  for (guint round = 0; round < 3; round++)
    for (guint s = 0; s < 2; s++)
      {
        g_autoptr(SoupSession) own = soup_session_new ();
        g_autoptr(Reply) health = test_call (own, s == 0 ? demo->url : other->url, "GET",
                                             "/healthz", NULL, NULL);
        g_autoptr(Reply) listed = test_call (own, s == 0 ? demo->url : other->url, "GET",
                                             "/integrations?page_size=5", admin, NULL);
        g_autoptr(Reply) changed = NULL;
        g_autofree char *path = NULL;

        g_assert_cmpuint (health->status, ==, 200);
        g_assert_cmpuint (listed->status, ==, 200);
        path = g_strconcat ("/integrations/", json_object_get_string_member (
          json_array_get_object_element (json_object_get_array_member (obj (listed), "data"), 0),
          "id"), NULL);
        changed = test_call (own, s == 0 ? demo->url : other->url, "PATCH", path, admin,
                             "{\"name\":\"After the restart\"}");
        g_assert_cmpuint (changed->status, ==, 200);
      }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *project = NULL;
  g_autofree char *key = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("pb-test-race-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "race.db", NULL);
  g_assert_cmpint (test_run_command ((const char *[]) { "init", "--db", db, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-project", "--db", db, "--name", "Race",
                                                        "--plan", "enterprise", NULL }, &project, NULL), ==, 0);
  g_strstrip (project);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-key", "--db", db, "--project", project,
                                                        "--role", "admin", NULL }, &key, NULL), ==, 0);
  g_strstrip (key);
  admin = key;
  demo = test_server_start ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0",
                                               "--rate-limit", "100000", NULL }, NULL);
  other = test_server_start ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0",
                                                "--rate-limit", "100000", NULL }, NULL);
  session = soup_session_new ();
  g_object_set_data_full (G_OBJECT (session), "db", g_strdup (db), g_free);
  g_object_set_data_full (G_OBJECT (session), "project", g_strdup (project), g_free);

  g_test_add_func ("/server/race/two-defaults", test_two_defaults);
  g_test_add_func ("/server/race/delete-vs-default", test_delete_vs_default);
  g_test_add_func ("/server/race/disable-vs-link", test_disable_vs_link);
  g_test_add_func ("/server/race/cursors", test_cursors_across_servers);
  g_test_add_func ("/server/race/rate-limit", test_shared_rate_limit);
  g_test_add_func ("/server/race/database-restart", test_database_restart);
  ret = g_test_run ();

  g_clear_object (&session);
  test_server_stop (other);
  test_server_free (other);
  test_server_stop (demo);
  test_server_free (demo);
  test_remove_db (db);
  g_rmdir (dir);
  return ret;
}
