/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-migrate"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "pb-server-crypto.h"
#include "server-fixture.h"

/* A database made before auth types had account fields (tests/server/data/schema-1.sql, made
 * by that server) is brought to the current schema when plugboard-server starts on it: the
 * values that are account fields now move to the integration's linked accounts without one
 * being lost (an account keeps its own), or are dropped with a line in the log where there is
 * no account; what stays an integration setting stays; nothing happens on the next start. */

#define PROJECT    "prj_52a05aaa1f5b9cd192e4"
#define BAMBOOHR   "11111111-1111-4111-8111-111111111111"
#define ASHBY      "22222222-2222-4222-8222-222222222222"
#define HUBSPOT    "33333333-3333-4333-8333-333333333333"
#define WORKDAY    "44444444-4444-4444-8444-444444444444"
#define TEAMTAILOR "55555555-5555-4555-8555-555555555555"
#define HIBOB      "66666666-6666-4666-8666-666666666666"
#define SALESFORCE "77777777-7777-4777-8777-777777777777"

#define ACC_GLOBEX     "acc_9a78281b013c9eaf10ee"   /* BambooHR, with a key of its own */
#define ACC_INITECH    "acc_aad9fd167bf43a5ea608"   /* BambooHR */
#define ACC_HUBSPOT    "acc_0ca30c21ca6916a1ae3a"
#define ACC_WORKDAY    "acc_f4f7721d5172f58f14a8"
#define ACC_TEAMTAILOR "acc_d9502c65c7dd53d0ad93"
#define ACC_HIBOB      "acc_b6bfff6cac3fd3ebff86"
#define ACC_SALESFORCE "acc_d4a5f5fe9dc2985f00d5"

/* What the old server held encrypted (left out of the fixture, written here with a key file
 * of the test's own). */
static const struct
{
  const char *integration;
  const char *field;
  const char *value;
} secrets[] = {
  { BAMBOOHR, "api_key", "bamboo-uk-key-0001" },
  { ASHBY, "api_key", "ashby-key-0002" },
  { HUBSPOT, "client_secret", "hubspot-secret-0003" },
  { WORKDAY, "client_secret", "wd-secret-0004" },
  { TEAMTAILOR, "api_key", "tt-key-0005" },
  { TEAMTAILOR, "external_trigger_token", "tt-trigger-0006" },
  { HIBOB, "api_key", "hibob-legacy-0007" },
  { SALESFORCE, "client_secret", "sf-secret-0008" },
};

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s", message);
}

/* The fixture, and its encrypted values as the old server stored them. */
static void
make_old_database (const char *path)
{
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "server", "data",
                                                     "schema-1.sql", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *key_path = g_strconcat (path, ".key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbCrypto) crypto = NULL;
  g_autoptr(GBytes) account = NULL;
  const char *own = "{\"api_key\":\"globex-own-key\"}";
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_file_get_contents (fixture, &sql, NULL, &error);
  g_assert_no_error (error);
  crypto = pb_crypto_new_from_key_file (key_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, sql);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO secrets (integration_id, field, value,"
                                           " hint, updated_at) VALUES (?, ?, ?, ?, 1796551680536)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *aad = g_strconcat (secrets[i].integration, "/", secrets[i].field, NULL);
      g_autoptr(GBytes) blob = pb_crypto_encrypt (crypto, aad, secrets[i].value,
                                                  strlen (secrets[i].value));
      g_autofree char *hint = g_strconcat ("…", secrets[i].value + strlen (secrets[i].value) - 4,
                                           NULL);

      sqlite3_bind_text (stmt, 1, secrets[i].integration, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, secrets[i].field, -1, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 3, g_bytes_get_data (blob, NULL), g_bytes_get_size (blob),
                         SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, hint, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  account = pb_crypto_encrypt (crypto, "account/" ACC_GLOBEX, own, strlen (own));
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE accounts SET credentials = ? WHERE id = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (account, NULL), g_bytes_get_size (account),
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, ACC_GLOBEX, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* The decrypted credentials of account @id, or NULL when it has none. */
static JsonObject *
account_credentials (const char *path,
                     const char *id)
{
  g_autofree char *key_path = g_strconcat (path, ".key", NULL);
  g_autofree char *aad = g_strconcat ("account/", id, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbCrypto) crypto = pb_crypto_new_from_key_file (key_path, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *plain = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT credentials FROM accounts WHERE id = ?", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (sqlite3_column_bytes (stmt, 0) > 0)
    plain = pb_crypto_decrypt (crypto, aad, sqlite3_column_blob (stmt, 0),
                               sqlite3_column_bytes (stmt, 0), &length);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (plain == NULL)
    return NULL;
  node = json_from_string (plain, &error);
  explicit_bzero (plain, strlen (plain));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

/* Whether @credentials holds exactly @expected ("key=value;…"), without printing a value. */
static void
assert_credentials (JsonObject *credentials,
                    const char *expected)
{
  g_auto(GStrv) pairs = g_strsplit (expected, ";", -1);

  g_assert_nonnull (credentials);
  g_assert_cmpuint (json_object_get_size (credentials), ==, g_strv_length (pairs));
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (pairs[i], "=", 2);

      g_test_message ("credential %s", kv[0]);
      g_assert_true (json_object_has_member (credentials, kv[0]));
      g_assert_true (g_strcmp0 (json_object_get_string_member (credentials, kv[0]), kv[1]) == 0);
    }
}

static char *
schema_version (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *version = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'schema_version'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return version;
}

static JsonObject *
get_integration (SoupSession *session,
                 const char  *base,
                 const char  *key,
                 const char  *id)
{
  g_autofree char *path = g_strconcat ("/integrations/", id, NULL);
  g_autoptr(Reply) reply = test_call (session, base, "GET", path, key, NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  return json_object_ref (json_node_get_object (reply->body));
}

static void
assert_secret_fields (JsonObject *integration,
                      const char *expected)
{
  JsonObject *secrets_object = json_object_get_object_member (integration, "secrets");
  g_autoptr(GList) members = g_list_sort (json_object_get_members (secrets_object),
                                          (GCompareFunc) g_strcmp0);
  g_autoptr(GString) said = g_string_new (NULL);

  for (GList *l = members; l != NULL; l = l->next)
    g_string_append_printf (said, "%s%s", said->len > 0 ? "," : "", (const char *) l->data);
  g_assert_cmpstr (said->str, ==, expected);
}

static char *
config_text (JsonObject *integration)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                    json_object_get_object_member (integration,
                                                                                   "config"));
  return json_to_string (node, FALSE);
}

static void
test_migrate_schema_1 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pb-test-migrate-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "old.db", NULL);
  g_autofree char *key = NULL;
  g_autofree char *err = NULL;
  g_autofree char *version = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  const char *create_key[] = { "create-key", "--db", db, "--project", PROJECT, "--role", "admin",
                               NULL };
  const char *serve[] = { "serve", "--db", db, "--listen", "127.0.0.1:0", NULL };
  TestServer *server;

  if (test_engine_is_postgresql ())
    {
      g_test_skip ("Schema 1 was made only on SQLite: PostgreSQL databases start at schema 3");
      g_rmdir (dir);
      return;
    }
  make_old_database (db);
  g_assert_cmpint (test_run_command (create_key, &key, NULL), ==, 0);
  g_strstrip (key);

  server = test_server_start (serve, NULL);
  {
    g_autoptr(JsonObject) bamboohr = get_integration (session, server->url, key, BAMBOOHR);
    g_autoptr(JsonObject) ashby = get_integration (session, server->url, key, ASHBY);
    g_autoptr(JsonObject) hubspot = get_integration (session, server->url, key, HUBSPOT);
    g_autoptr(JsonObject) workday = get_integration (session, server->url, key, WORKDAY);
    g_autoptr(JsonObject) teamtailor = get_integration (session, server->url, key, TEAMTAILOR);
    g_autoptr(JsonObject) hibob = get_integration (session, server->url, key, HIBOB);
    g_autoptr(JsonObject) salesforce = get_integration (session, server->url, key, SALESFORCE);
    g_autofree char *bamboohr_config = config_text (bamboohr);
    g_autofree char *hubspot_config = config_text (hubspot);
    g_autofree char *salesforce_config = config_text (salesforce);
    g_autofree char *teamtailor_config = config_text (teamtailor);

    /* The end user's values are gone from the integrations, which say so by a new version. */
    g_assert_cmpstr (bamboohr_config, ==, "{}");
    assert_secret_fields (bamboohr, "");
    g_assert_cmpint (json_object_get_int_member (bamboohr, "version"), ==, 2);
    assert_secret_fields (ashby, "");
    assert_secret_fields (workday, "");
    assert_secret_fields (hibob, "");
    g_assert_cmpstr (salesforce_config, ==,
                     "{\"client_id\":\"sf-client\",\"scopes\":\"api refresh_token\"}");
    assert_secret_fields (salesforce, "client_secret");
    /* The project's settings stay, with the version they had. */
    g_assert_cmpstr (hubspot_config, ==, "{\"client_id\":\"hubspot-client\",\"scopes\":"
                     "\"crm.objects.contacts.read crm.objects.companies.read "
                     "crm.objects.deals.read tickets\"}");
    assert_secret_fields (hubspot, "client_secret");
    g_assert_cmpint (json_object_get_int_member (hubspot, "version"), ==, 1);
    g_assert_cmpstr (teamtailor_config, ==, "{\"region\":\"eu\"}");
    assert_secret_fields (teamtailor, "external_trigger_token");
    /* OAuth integrations were on their own app. */
    g_assert_cmpstr (json_object_get_string_member (hubspot, "oauth_app"), ==, "own");
    g_assert_true (json_object_get_null_member (bamboohr, "oauth_app"));
  }
  test_server_stop (server);
  err = test_server_read_err (server);
  test_server_free (server);

  /* One line for each integration that lost values, naming fields, never values. */
  g_test_message ("server log: %s", err);
  g_assert_nonnull (strstr (err, "Integration " BAMBOOHR " (bamboohr): api_key, subdomain "
                                 "moved to its 2 linked account(s)"));
  g_assert_nonnull (strstr (err, "Integration " ASHBY " (ashby): api_key dropped"));
  g_assert_nonnull (strstr (err, "Integration " HIBOB " (hibob): api_key moved to its 1"));
  g_assert_null (strstr (err, HUBSPOT));
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    g_assert_null (strstr (err, secrets[i].value));

  /* Every value is on the accounts; an account keeps a key of its own. */
  {
    g_autoptr(JsonObject) globex = account_credentials (db, ACC_GLOBEX);
    g_autoptr(JsonObject) initech = account_credentials (db, ACC_INITECH);
    g_autoptr(JsonObject) hubspot = account_credentials (db, ACC_HUBSPOT);
    g_autoptr(JsonObject) workday = account_credentials (db, ACC_WORKDAY);
    g_autoptr(JsonObject) teamtailor = account_credentials (db, ACC_TEAMTAILOR);
    g_autoptr(JsonObject) hibob = account_credentials (db, ACC_HIBOB);
    g_autoptr(JsonObject) salesforce = account_credentials (db, ACC_SALESFORCE);

    assert_credentials (globex, "api_key=globex-own-key;subdomain=acme-uk");
    assert_credentials (initech, "api_key=bamboo-uk-key-0001;subdomain=acme-uk");
    g_assert_null (hubspot);
    assert_credentials (workday, "client_id=wd-client;client_secret=wd-secret-0004;"
                                 "tenant=acme;host=https://wd2.example.com");
    assert_credentials (teamtailor, "api_key=tt-key-0005");
    assert_credentials (hibob, "api_key=hibob-legacy-0007");
    assert_credentials (salesforce, "environment=sandbox");
  }
  version = schema_version (db);
  g_assert_cmpstr (version, ==, "3");

  /* The next start finds nothing to do. */
  server = test_server_start (serve, NULL);
  {
    g_autoptr(JsonObject) bamboohr = get_integration (session, server->url, key, BAMBOOHR);

    g_assert_cmpint (json_object_get_int_member (bamboohr, "version"), ==, 2);
  }
  test_server_stop (server);
  g_free (err);
  err = test_server_read_err (server);
  test_server_free (server);
  g_assert_null (strstr (err, "Integration "));
  g_assert_null (strstr (err, "schema version"));
  {
    g_autoptr(JsonObject) initech = account_credentials (db, ACC_INITECH);

    assert_credentials (initech, "api_key=bamboo-uk-key-0001;subdomain=acme-uk");
  }

  test_remove_db (db);
  g_rmdir (dir);
}

/* Schema 2 (tests/server/data/schema-2.sql): each linked account shows hints of the credentials
 * it holds, dated when it last changed; connect sessions can re-link an account; the new
 * statuses work on the old rows. */
#define S2_PROJECT "prj_ec4a3866188eeace92c8"
#define S2_GLOBEX  "acc_e467563c5fe07899e581"
#define S2_INITECH "acc_0edeac128d1157439203"
#define S2_GLOBEX_KEY "globex-api-key-9876"

static void
make_schema_2_database (const char *path)
{
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "server", "data",
                                                     "schema-2.sql", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *key_path = g_strconcat (path, ".key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbCrypto) crypto = NULL;
  g_autoptr(GBytes) account = NULL;
  const char *own = "{\"api_key\":\"" S2_GLOBEX_KEY "\",\"subdomain\":\"globex\"}";
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_file_get_contents (fixture, &sql, NULL, &error);
  g_assert_no_error (error);
  crypto = pb_crypto_new_from_key_file (key_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, sql);
  account = pb_crypto_encrypt (crypto, "account/" S2_GLOBEX, own, strlen (own));
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE accounts SET credentials = ? WHERE id = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (account, NULL), g_bytes_get_size (account),
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, S2_GLOBEX, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static JsonObject *
call_ok (SoupSession *session,
         const char  *base,
         const char  *method,
         const char  *path,
         const char  *key,
         const char  *body,
         guint        status)
{
  g_autoptr(Reply) reply = test_call (session, base, method, path, key, body);

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_null (strstr (reply->text, S2_GLOBEX_KEY));
  return json_object_ref (json_node_get_object (reply->body));
}

static void
test_migrate_schema_2 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pb-test-migrate-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "old.db", NULL);
  g_autofree char *key = NULL;
  g_autofree char *err = NULL;
  g_autofree char *version = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  const char *create_key[] = { "create-key", "--db", db, "--project", S2_PROJECT, "--role",
                               "admin", NULL };
  const char *serve[] = { "serve", "--db", db, "--listen", "127.0.0.1:0", NULL };
  TestServer *server;

  if (test_engine_is_postgresql ())
    {
      g_test_skip ("Schema 2 was made only on SQLite: PostgreSQL databases start at schema 3");
      g_rmdir (dir);
      return;
    }
  make_schema_2_database (db);
  g_assert_cmpint (test_run_command (create_key, &key, NULL), ==, 0);
  g_strstrip (key);

  server = test_server_start (serve, NULL);
  {
    g_autoptr(JsonObject) globex = call_ok (session, server->url, "GET", "/accounts/" S2_GLOBEX,
                                            key, NULL, 200);
    g_autoptr(JsonObject) initech = call_ok (session, server->url, "GET",
                                             "/accounts/" S2_INITECH, key, NULL, 200);
    JsonObject *credentials = json_object_get_object_member (globex, "credentials");
    JsonObject *api_key = json_object_get_object_member (credentials, "api_key");
    JsonObject *subdomain = json_object_get_object_member (credentials, "subdomain");
    g_autoptr(JsonObject) relink = NULL;
    g_autoptr(JsonObject) checked = NULL;
    g_autoptr(JsonObject) suspended = NULL;

    g_assert_cmpuint (json_object_get_size (credentials), ==, 2);
    g_assert_true (json_object_get_boolean_member (api_key, "set"));
    g_assert_cmpstr (json_object_get_string_member (api_key, "hint"), ==, "…9876");
    g_assert_cmpstr (json_object_get_string_member (api_key, "updated_at"), ==,
                     json_object_get_string_member (globex, "updated_at"));
    g_assert_cmpstr (json_object_get_string_member (subdomain, "hint"), ==, "…");
    g_assert_cmpuint (json_object_get_size (json_object_get_object_member (initech,
                                                                           "credentials")), ==, 0);

    /* The old rows take part in what schema 3 adds. */
    relink = call_ok (session, server->url, "POST", "/connect_sessions", key,
                      "{\"account_id\":\"" S2_GLOBEX "\"}", 201);
    g_assert_cmpstr (json_object_get_string_member (relink, "account_id"), ==, S2_GLOBEX);
    checked = call_ok (session, server->url, "POST", "/accounts/" S2_GLOBEX "/refresh", key,
                       NULL, 200);
    g_assert_cmpstr (json_object_get_string_member (checked, "status"), ==, "active");
    suspended = call_ok (session, server->url, "PATCH", "/accounts/" S2_INITECH, key,
                         "{\"status\":\"suspended\"}", 200);
    g_assert_cmpstr (json_object_get_string_member (suspended, "status"), ==, "suspended");
  }
  test_server_stop (server);
  err = test_server_read_err (server);
  test_server_free (server);
  g_test_message ("server log: %s", err);
  g_assert_nonnull (strstr (err, "brought from schema version 2 to 3"));
  g_assert_null (strstr (err, S2_GLOBEX_KEY));
  version = schema_version (db);
  g_assert_cmpstr (version, ==, "3");
  {
    g_autoptr(JsonObject) globex = account_credentials (db, S2_GLOBEX);
    assert_credentials (globex, "api_key=" S2_GLOBEX_KEY ";subdomain=globex");
  }

  /* The next start finds nothing to do. */
  server = test_server_start (serve, NULL);
  test_server_stop (server);
  g_free (err);
  err = test_server_read_err (server);
  test_server_free (server);
  g_assert_null (strstr (err, "schema version"));

  test_remove_db (db);
  g_rmdir (dir);
}

/* A database of a schema this server does not know is refused, unchanged, by serve and by
 * migrate; a current one is left alone by migrate. */
static void
test_migrate_unknown_version (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pb-test-migrate-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "new.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *migrate_err = NULL;
  g_autofree char *current_err = NULL;
  const char *init[] = { "init", "--db", db, NULL };
  const char *serve[] = { "serve", "--db", db, "--listen", "127.0.0.1:0", NULL };
  const char *migrate[] = { "migrate", "--db", db, NULL };
  const char *version_sql = "SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'schema_version'";

  g_assert_cmpint (test_run_command (init, NULL, NULL), ==, 0);
  g_assert_cmpint (test_run_command (migrate, NULL, &current_err), ==, 0);
  g_assert_nonnull (strstr (current_err, "has the current schema (version 3)"));
  g_assert_cmpint (test_engine_query_int (db, version_sql), ==, 3);
  test_engine_exec (db, "UPDATE meta SET value = '9' WHERE key = 'schema_version'");

  g_assert_cmpint (test_run_command (serve, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "has the schema version “9”"));
  g_assert_cmpint (test_run_command (migrate, NULL, &migrate_err), ==, 1);
  g_assert_nonnull (strstr (migrate_err, "has the schema version “9”"));
  g_assert_cmpint (test_engine_query_int (db, version_sql), ==, 9);

  test_remove_db (db);
  g_rmdir (dir);
}

static char *
list_all (const char *url,
          const char *key)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(Reply) reply = test_call (session, url, "GET", "/integrations?page_size=1000", key,
                                      NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  return json_to_string (reply->body, FALSE);
}

/* A demo on SQLite copied into a new database of the engine under test: served with the
 * original's key file, it answers the same, keys included; a second copy into it is refused. */
static void
test_copy (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pb-test-copy-XXXXXX", NULL);
  g_autofree char *source_path = g_build_filename (dir, "source.db", NULL);
  g_autofree char *source = g_strconcat ("sqlite:", source_path, NULL);
  g_autofree char *key_file = g_strconcat (source_path, ".key", NULL);
  g_autofree char *copy_path = g_build_filename (dir, "copy.db", NULL);
  g_autofree char *copy = test_engine_target (copy_path);
  g_autofree char *admin = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autofree char *err = NULL, *again = NULL;
  TestServer *server;

  server = test_server_start ((const char *[]) { "demo", "--db", source, "--listen", "127.0.0.1:0",
                                                 NULL }, NULL);
  admin = g_strdup (test_server_project_key (server, 0, "admin"));
  before = list_all (server->url, admin);
  test_server_stop (server);
  test_server_free (server);

  g_assert_cmpint (test_run_command ((const char *[]) { "copy", "--from", source, "--to", copy,
                                                        NULL }, NULL, &err), ==, 0);
  g_assert_nonnull (strstr (err, "logs: "));
  g_assert_nonnull (strstr (err, "checked every table"));
  server = test_server_start ((const char *[]) { "serve", "--db", copy_path, "--key-file", key_file,
                                                 "--listen", "127.0.0.1:0", NULL }, NULL);
  after = list_all (server->url, admin);
  g_assert_cmpstr (after, ==, before);
  /* New rows go on after the copied ones: a change, its request log and its change log row. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *path = NULL;
    g_autoptr(Reply) changed = NULL;
    JsonArray *data;

    g_assert_true (json_parser_load_from_data (parser, after, -1, NULL));
    data = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "data");
    path = g_strconcat ("/integrations/", json_object_get_string_member (
                          json_array_get_object_element (data, 0), "id"), NULL);
    changed = test_call (session, server->url, "PATCH", path, admin,
                         "{\"name\":\"Changed after the copy\"}");
    g_assert_cmpuint (changed->status, ==, 200);
  }
  test_server_stop (server);
  test_server_free (server);

  g_assert_cmpint (test_run_command ((const char *[]) { "copy", "--from", source, "--to", copy,
                                                        NULL }, NULL, &again), ==, 1);
  g_assert_nonnull (strstr (again, "is not empty"));
  test_remove_db (source_path);
  test_remove_db (copy_path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/migrate/schema-1", test_migrate_schema_1);
  g_test_add_func ("/server/migrate/schema-2", test_migrate_schema_2);
  g_test_add_func ("/server/migrate/unknown-version", test_migrate_unknown_version);
  g_test_add_func ("/server/copy", test_copy);
  return g_test_run ();
}
