/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"


#include "server-demo.h"

/* Incremental lists of integrations: sync tokens, deltas, tombstones, expired tokens and the
 * pruning of the change log. */

/* Walks the whole list in pages of @page_size; only the last page has a sync token. */
static char *
full_token (const char *key,
            guint       page_size,
            guint      *out_n)
{
  g_autofree char *next = NULL;
  char *token = NULL;
  guint n = 0;

  do
    {
      g_autofree char *path = next == NULL
        ? g_strdup_printf ("/integrations?page_size=%u", page_size)
        : g_strdup_printf ("/integrations?page_size=%u&next=%s", page_size, next);
      g_autoptr(Reply) reply = test_call (session, URL, "GET", path, key, NULL);
      JsonObject *page;

      g_assert_cmpuint (reply->status, ==, 200);
      page = obj (reply);
      n += json_array_get_length (json_object_get_array_member (page, "data"));
      g_clear_pointer (&next, g_free);
      if (!json_object_get_null_member (page, "next"))
        {
          next = g_strdup (json_object_get_string_member (page, "next"));
          g_assert_false (json_object_has_member (page, "sync_token"));
        }
      else
        token = g_strdup (json_object_get_string_member (page, "sync_token"));
    }
  while (next != NULL);
  g_assert_nonnull (token);
  if (out_n != NULL)
    *out_n = n;
  return token;
}

/* What changed since @token, in pages of @page_size: id → the integration (or the
 * tombstone) in @changes; returns the new token. */
static char *
delta (const char *key,
       const char *token,
       guint       page_size,
       GHashTable *changes)
{
  g_autofree char *next = NULL;
  char *new_token = NULL;

  do
    {
      g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
      g_autofree char *path = next == NULL
        ? g_strdup_printf ("/integrations?sync_token=%s&page_size=%u", escaped, page_size)
        : g_strdup_printf ("/integrations?sync_token=%s&page_size=%u&next=%s", escaped,
                           page_size, next);
      g_autoptr(Reply) reply = test_call (session, URL, "GET", path, key, NULL);
      JsonArray *data;
      JsonObject *page;

      g_assert_cmpuint (reply->status, ==, 200);
      page = obj (reply);
      data = json_object_get_array_member (page, "data");
      g_assert_cmpuint (json_array_get_length (data), <=, page_size);
      for (guint i = 0; i < json_array_get_length (data); i++)
        {
          JsonObject *item = json_array_get_object_element (data, i);

          g_hash_table_replace (changes, g_strdup (json_object_get_string_member (item, "id")),
                                json_object_ref (item));
        }
      g_clear_pointer (&next, g_free);
      if (!json_object_get_null_member (page, "next"))
        {
          next = g_strdup (json_object_get_string_member (page, "next"));
          g_assert_false (json_object_has_member (page, "sync_token"));
        }
      else
        new_token = g_strdup (json_object_get_string_member (page, "sync_token"));
    }
  while (next != NULL);
  g_assert_nonnull (new_token);
  return new_token;
}

static GHashTable *
changes_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) json_object_unref);
}

static gboolean
is_tombstone (JsonObject *item)
{
  return json_object_has_member (item, "deleted") && json_object_get_boolean_member (item, "deleted")
         && json_object_get_size (item) == 2;
}

static Reply *
delete_integration (const char *id)
{
  g_autofree char *path = g_strconcat ("/integrations/", id, NULL);

  return test_call (session, URL, "DELETE", path, admin, NULL);
}

static void
test_sync_delta (void)
{
  g_autoptr(GHashTable) none = changes_new ();
  g_autoptr(GHashTable) changes = changes_new ();
  g_autoptr(GHashTable) paged = changes_new ();
  g_autoptr(JsonObject) first = NULL, second = NULL, doomed = NULL;
  g_autoptr(JsonObject) body = make_body ("jobadder", NULL, NULL);
  g_autoptr(Reply) renamed = NULL, disabled = NULL, deleted = NULL, taken = NULL;
  g_autofree char *token = NULL, *same = NULL, *after = NULL, *paged_token = NULL;
  g_autofree char *filtered = NULL;
  const char *first_id, *second_id;
  JsonObject *item;
  guint n;

  token = full_token (admin, 4, &n);
  g_assert_cmpuint (n, >, 4);
  /* Nothing changed: nothing listed, and the token still answers. */
  same = delta (admin, token, 25, none);
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);

  /* A filtered list has no token. */
  {
    g_autoptr(JsonObject) page = get_ok ("/integrations?connector_key=jobadder&page_size=1000");

    g_assert_false (json_object_has_member (page, "sync_token"));
  }

  first = create (body, 201);
  first_id = json_object_get_string_member (first, "id");
  doomed = create (body, 201);
  json_object_set_boolean_member (body, "default", TRUE);
  second = create (body, 201);   /* takes the default from whichever had it */
  second_id = json_object_get_string_member (second, "id");
  renamed = patch (first_id, "{\"name\":\"JobAdder – delta\"}", NULL);
  g_assert_cmpuint (renamed->status, ==, 200);
  disabled = patch (second_id, "{\"active\":false}", NULL);
  g_assert_cmpuint (disabled->status, ==, 200);
  deleted = delete_integration (json_object_get_string_member (doomed, "id"));
  g_assert_cmpuint (deleted->status, ==, 204);

  after = delta (admin, token, 25, changes);
  g_assert_cmpstr (after, !=, token);
  /* Changed ones in full, in their latest state; the deleted one as a tombstone. */
  item = g_hash_table_lookup (changes, first_id);
  g_assert_nonnull (item);
  g_assert_cmpstr (json_object_get_string_member (item, "name"), ==, "JobAdder – delta");
  g_assert_false (json_object_get_boolean_member (item, "default"));
  item = g_hash_table_lookup (changes, second_id);
  g_assert_nonnull (item);
  g_assert_false (json_object_get_boolean_member (item, "active"));
  g_assert_true (json_object_get_boolean_member (item, "default"));
  g_assert_cmpint (json_object_get_int_member (item, "version"), ==,
                   json_object_get_int_member (obj (disabled), "version"));
  item = g_hash_table_lookup (changes, json_object_get_string_member (doomed, "id"));
  g_assert_nonnull (item);
  g_assert_true (is_tombstone (item));
  /* The same delta in pages of one. */
  paged_token = delta (admin, token, 1, paged);
  g_assert_cmpstr (paged_token, ==, after);
  g_assert_cmpuint (g_hash_table_size (paged), ==, g_hash_table_size (changes));

  /* A default given to another integration lists the one that lost it too. */
  g_hash_table_remove_all (changes);
  taken = patch (first_id, "{\"default\":true}", NULL);
  g_assert_cmpuint (taken->status, ==, 200);
  g_free (token);
  token = delta (admin, after, 25, changes);
  g_assert_cmpuint (g_hash_table_size (changes), ==, 2);
  g_assert_true (json_object_get_boolean_member (g_hash_table_lookup (changes, first_id),
                                                 "default"));
  g_assert_false (json_object_get_boolean_member (g_hash_table_lookup (changes, second_id),
                                                  "default"));

  /* A new secret changes the integration's hint: listed. */
  g_hash_table_remove_all (changes);
  {
    g_autoptr(GList) fields = json_object_get_members (json_object_get_object_member (first, "secrets"));
    g_autofree char *secret = g_strdup_printf ("{\"secrets\":{\"%s\":\"new-key-98765\"}}",
                                               (char *) fields->data);
    g_autoptr(Reply) keyed = patch (first_id, secret, NULL);

    g_assert_cmpuint (keyed->status, ==, 200);
  }
  g_free (after);
  after = delta (admin, token, 25, changes);
  g_assert_cmpuint (g_hash_table_size (changes), ==, 1);
  g_assert_true (g_hash_table_contains (changes, first_id));

  /* Another project's changes are not this one's. */
  g_hash_table_remove_all (changes);
  {
    g_autoptr(JsonObject) sandbox_body = make_body ("jobadder", NULL, NULL);
    g_autofree char *text = to_text (sandbox_body);
    g_autoptr(Reply) made = test_call (session, URL, "POST", "/integrations", sandbox_admin,
                                       text);
    g_autofree char *unused = NULL;

    g_assert_cmpuint (made->status, ==, 201);
    unused = delta (admin, after, 25, changes);
    g_assert_cmpuint (g_hash_table_size (changes), ==, 0);
  }

  /* sync_token with filters is refused. */
  filtered = g_strdup_printf ("/integrations?sync_token=%s&connector_key=jobadder", after);
  {
    g_autoptr(Reply) refused = get (filtered);

    test_assert_error (refused, 400, "validation_failed");
  }
}

static void
test_sync_expired (void)
{
  g_autofree char *token = full_token (admin, 1000, NULL);
  g_autofree char *sandbox = full_token (sandbox_admin, 1000, NULL);
  g_autofree char *other = g_strdup_printf ("/integrations?sync_token=%s", sandbox);
  g_autofree char *future = NULL;
  g_autoptr(Reply) malformed = get ("/integrations?sync_token=not-a-token");
  g_autoptr(Reply) empty = get ("/integrations?sync_token=");
  g_autoptr(Reply) foreign = get (other);
  g_autoptr(Reply) ahead = NULL;
  g_autofree guchar *raw = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len;
  g_autofree char *padded = NULL, *forged = NULL, *forged_text = NULL;

  test_assert_error (malformed, 410, "sync_token_expired");
  test_assert_error (empty, 410, "sync_token_expired");
  test_assert_error (foreign, 410, "sync_token_expired");

  /* A token from a later seq than the project has is not one the server gave. */
  padded = g_strdup_printf ("%s%s", token, strlen (token) % 4 == 2 ? "==" : strlen (token) % 4 == 3 ? "=" : "");
  for (char *p = padded; *p; p++)
    *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
  raw = g_base64_decode (padded, &len);
  forged_text = g_strndup ((const char *) raw, len);
  parts = g_strsplit (forged_text, ":", 3);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_free (forged_text);
  forged_text = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":%s", parts[0],
                                 g_ascii_strtoll (parts[1], NULL, 10) + 1000, parts[2]);
  forged = g_base64_encode ((const guchar *) forged_text, strlen (forged_text));
  for (char *p = forged; *p; p++)
    *p = *p == '+' ? '-' : *p == '/' ? '_' : *p == '=' ? '\0' : *p;
  future = g_strdup_printf ("/integrations?sync_token=%s", forged);
  ahead = get (future);
  test_assert_error (ahead, 410, "sync_token_expired");
}

/* With at most 2 tombstones kept, a token from before the pruned ones expires; tokens after
 * them still answer. */
static void
test_sync_pruning (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pb-sync-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "sync.db", NULL);
  g_autofree char *project_id = NULL, *api_key = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *old_token = NULL, *late_token = NULL, *path = NULL;
  g_autoptr(Reply) expired = NULL, fine = NULL;
  TestServer *server;

  g_assert_cmpint (test_run_command ((const char *[]) { "init", "--db", db, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-project", "--db", db, "--name", "Prune",
                                                        "--plan", "growth", NULL }, &project_id, NULL), ==, 0);
  g_strstrip (project_id);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-key", "--db", db, "--project", project_id,
                                                        "--role", "admin", NULL }, &api_key, NULL), ==, 0);
  g_strstrip (api_key);
  test_engine_exec (db, "INSERT INTO meta (key, value) VALUES ('sync_max_tombstones', '2')");
  server = test_server_start ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0", NULL }, NULL);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"connector_key\":\"jobadder\",\"authentication_config_key\":\"oauth2\","
                                               "\"name\":\"JobAdder %u\",\"config\":{\"client_id\":\"acme\"},"
                                               "\"secrets\":{\"client_secret\":\"prune-key-%u\"}}", i, i);
      g_autoptr(Reply) made = test_call (session, server->url, "POST", "/integrations", api_key, body);

      g_assert_cmpuint (made->status, ==, 201);
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (obj (made), "id")));
    }
  {
    g_autoptr(Reply) page = test_call (session, server->url, "GET", "/integrations", api_key, NULL);

    old_token = g_strdup (json_object_get_string_member (obj (page), "sync_token"));
  }
  /* Deleting the non-default ones: the third tombstone prunes the first. */
  for (guint i = 1; i < 5; i++)
    {
      g_autofree char *one = g_strconcat ("/integrations/", (char *) ids->pdata[i], NULL);
      g_autoptr(Reply) gone = test_call (session, server->url, "DELETE", one, api_key, NULL);

      g_assert_cmpuint (gone->status, ==, 204);
      if (i == 2)
        {
          g_autoptr(Reply) page = test_call (session, server->url, "GET", "/integrations", api_key, NULL);

          late_token = g_strdup (json_object_get_string_member (obj (page), "sync_token"));
        }
    }
  path = g_strdup_printf ("/integrations?sync_token=%s", old_token);
  expired = test_call (session, server->url, "GET", path, api_key, NULL);
  test_assert_error (expired, 410, "sync_token_expired");
  g_free (path);
  /* After the two pruned tombstones: still answered, with the two deletions since. */
  path = g_strdup_printf ("/integrations?sync_token=%s", late_token);
  fine = test_call (session, server->url, "GET", path, api_key, NULL);
  g_assert_cmpuint (fine->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (fine), "data")), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_true (is_tombstone (json_array_get_object_element (
      json_object_get_array_member (obj (fine), "data"), i)));

  test_server_stop (server);
  test_remove_db (db);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  server_demo_setup ();

  g_test_add_func ("/server/sync/delta", test_sync_delta);
  g_test_add_func ("/server/sync/expired", test_sync_expired);
  g_test_add_func ("/server/sync/pruning", test_sync_pruning);

  return server_demo_run ();
}
