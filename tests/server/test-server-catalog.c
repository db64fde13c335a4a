/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"


#include "server-demo.h"

#include "pb-server-catalog.h"
#include "pb-server-crypto.h"
#include "pb-server-db.h"
#include "pb-server-seed.h"

/* GET /connectors is written from pieces made when the catalog is loaded, and big pages of
 * integrations from a few grouped queries: both must give exactly the bytes that building each
 * connector or integration alone gives (GET /connectors/{provider}, GET /integrations/{id}). */

/* The raw body of a GET; asserts 200. */
static GBytes *
get_raw (const char *base,
         const char *path,
         const char *key)
{
  g_autoptr(SoupMessage) msg = test_message_new (base, "GET", path, key, NULL, NULL, 0);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_no_error (error);
  if (soup_message_get_status (msg) != 200)
    g_error ("GET %s: %u %.*s", path, soup_message_get_status (msg),
             (int) g_bytes_get_size (bytes), (const char *) g_bytes_get_data (bytes, NULL));
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Cache-Control"), ==, "no-store");
  return bytes;
}

static JsonNode *
parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* One connector as its own request gives it. */
typedef struct
{
  char       *provider;
  GBytes     *raw;
  JsonObject *json;
} Single;

static void
single_free (gpointer data)
{
  Single *single = data;

  g_free (single->provider);
  g_bytes_unref (single->raw);
  json_object_unref (single->json);
  g_free (single);
}

static int
compare_singles (gconstpointer a,
                 gconstpointer b)
{
  const Single *sa = *(Single * const *) a;
  const Single *sb = *(Single * const *) b;
  int cmp = g_ascii_strcasecmp (json_object_get_string_member (sa->json, "provider_name"),
                                json_object_get_string_member (sb->json, "provider_name"));

  return cmp != 0 ? cmp : strcmp (sa->provider, sb->provider);
}

/* Every connector of @providers fetched alone, in the catalog's order (by name). */
static GPtrArray *
fetch_singles (const char *base,
               const char *key,
               GPtrArray  *providers)
{
  GPtrArray *singles = g_ptr_array_new_with_free_func (single_free);
  guint i;

  for (i = 0; i < providers->len; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (providers->pdata[i], NULL, FALSE);
      g_autofree char *path = g_strconcat ("/connectors/", escaped, NULL);
      Single *single = g_new0 (Single, 1);
      g_autoptr(JsonNode) node = NULL;

      single->provider = g_strdup (providers->pdata[i]);
      single->raw = get_raw (base, path, key);
      node = parse (single->raw);
      single->json = json_object_ref (json_node_get_object (node));
      g_assert_cmpstr (json_object_get_string_member (single->json, "provider"), ==, single->provider);
      g_ptr_array_add (singles, single);
    }
  g_ptr_array_sort (singles, compare_singles);
  return singles;
}

/* The list api.md describes for @query, put together from the single answers. */
static GBytes *
expected_list (GPtrArray  *singles,
               const char *category,
               const char *q,
               gboolean    only_available)
{
  g_autofree char *q_folded = q ? g_utf8_casefold (q, -1) : NULL;
  GString *out = g_string_new ("{\"data\":[");
  guint i, n = 0;

  for (i = 0; i < singles->len; i++)
    {
      Single *single = singles->pdata[i];
      JsonArray *cats = json_object_get_array_member (single->json, "categories");
      g_autofree char *name = g_utf8_casefold (json_object_get_string_member (single->json,
                                                                              "provider_name"), -1);
      gboolean in_category = category == NULL;
      guint j;

      for (j = 0; category != NULL && j < json_array_get_length (cats); j++)
        in_category |= g_str_equal (json_array_get_string_element (cats, j), category);
      if (!in_category)
        continue;
      if (only_available && !json_object_get_boolean_member (single->json, "available"))
        continue;
      if (q_folded != NULL && strstr (name, q_folded) == NULL
          && strstr (single->provider, q_folded) == NULL)
        continue;
      if (n++ > 0)
        g_string_append_c (out, ',');
      g_string_append_len (out, g_bytes_get_data (single->raw, NULL), g_bytes_get_size (single->raw));
    }
  g_string_append (out, "],\"next\":null}");
  return g_string_free_to_bytes (out);
}

typedef struct
{
  const char *query;      /* after /connectors */
  const char *category;
  const char *q;          /* decoded */
  gboolean    only_available;
} Query;

static void
assert_same (GBytes     *expected,
             GBytes     *got,
             const char *what)
{
  if (!g_bytes_equal (expected, got))
    {
      gsize a, b, i;
      const char *x = g_bytes_get_data (expected, &a);
      const char *y = g_bytes_get_data (got, &b);

      for (i = 0; i < MIN (a, b) && x[i] == y[i]; i++)
        ;
      g_error ("%s: the list differs from the connectors built alone at byte %zu of %zu/%zu:\n"
               "expected …%.*s…\ngot      …%.*s…", what, i, a, b,
               (int) MIN (80, a - i), x + i, (int) MIN (80, b - i), y + i);
    }
}

/* Every query, twice (the second answer must not differ from the first), against the single
 * answers of the same key. Returns the answer to the plain list. */
static GBytes *
check_lists (const char  *base,
             const char  *key,
             const Query *queries,
             gsize        n_queries)
{
  g_autoptr(GBytes) all = get_raw (base, "/connectors", key);
  g_autoptr(JsonNode) all_node = parse (all);
  JsonArray *data = json_object_get_array_member (json_node_get_object (all_node), "data");
  g_autoptr(GPtrArray) providers = g_ptr_array_new ();
  g_autoptr(GPtrArray) singles = NULL;
  gsize i;
  guint k;

  for (k = 0; k < json_array_get_length (data); k++)
    g_ptr_array_add (providers, (gpointer) json_object_get_string_member (
                       json_array_get_object_element (data, k), "provider"));
  g_assert_cmpuint (providers->len, >, 0);
  singles = fetch_singles (base, key, providers);
  for (i = 0; i < n_queries; i++)
    {
      g_autofree char *path = g_strconcat ("/connectors", queries[i].query, NULL);
      g_autoptr(GBytes) expected = expected_list (singles, queries[i].category, queries[i].q,
                                                  queries[i].only_available);
      g_autoptr(GBytes) first = get_raw (base, path, key);
      g_autoptr(GBytes) again = get_raw (base, path, key);

      assert_same (expected, first, path);
      assert_same (first, again, path);
    }
  return g_steal_pointer (&all);
}

static const Query demo_queries[] = {
  { "", NULL, NULL, FALSE },
  { "?include_unavailable=true", NULL, NULL, FALSE },
  { "?include_unavailable=false", NULL, NULL, TRUE },
  { "?category=crm", "crm", NULL, FALSE },
  { "?category=hris&include_unavailable=false", "hris", NULL, TRUE },
  { "?category=crm&include_unavailable=false", "crm", NULL, TRUE },
  { "?q=BAMBOO", NULL, "BAMBOO", FALSE },
  { "?q=hub", NULL, "hub", FALSE },
  { "?q=o&category=ats", "ats", "o", FALSE },
  { "?q=no-such-connector", NULL, "no-such-connector", FALSE },
};

static void
test_demo_lists (void)
{
  g_autoptr(GBytes) growth = check_lists (URL, admin, demo_queries, G_N_ELEMENTS (demo_queries));
  g_autoptr(GBytes) starter = check_lists (URL, sandbox_admin, demo_queries, G_N_ELEMENTS (demo_queries));
  g_autoptr(GBytes) growth_again = get_raw (URL, "/connectors", admin);
  g_autoptr(GBytes) starter_crm = get_raw (URL, "/connectors?category=crm", sandbox_admin);
  g_autoptr(GBytes) growth_crm = get_raw (URL, "/connectors?category=crm", admin);
  g_autoptr(JsonNode) starter_node = parse (starter_crm);
  g_autoptr(JsonNode) growth_node = parse (growth_crm);
  JsonArray *starter_data = json_object_get_array_member (json_node_get_object (starter_node), "data");
  JsonArray *growth_data = json_object_get_array_member (json_node_get_object (growth_node), "data");
  guint i, n_crm = 0;

  /* Each plan its own answer, whichever was asked first. */
  g_assert_false (g_bytes_equal (growth, starter));
  assert_same (growth, growth_again, "growth after starter");
  g_assert_cmpuint (json_array_get_length (starter_data), >, 0);
  g_assert_cmpuint (json_array_get_length (starter_data), ==, json_array_get_length (growth_data));
  for (i = 0; i < json_array_get_length (starter_data); i++)
    {
      JsonObject *s = json_array_get_object_element (starter_data, i);
      JsonObject *g = json_array_get_object_element (growth_data, i);

      /* Availability follows the connector's main category. */
      if (!g_str_equal (json_object_get_string_member (s, "category"), "crm"))
        continue;
      n_crm++;
      g_assert_false (json_object_get_boolean_member (s, "available"));
      g_assert_nonnull (strstr (json_object_get_string_member (s, "unavailable_reason"), "Starter plan"));
      g_assert_true (json_object_get_boolean_member (g, "available"));
      g_assert_true (json_object_get_null_member (g, "unavailable_reason"));
    }
  g_assert_cmpuint (n_crm, >, 0);
}

/* A catalog whose strings need escaping, with the markers the pieces are cut at written into
 * it, served behind an odd public URL. */
static char *
write_odd_catalog (const char *dir)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const names[] = {
    "Quote \"Co\"", "Back\\slash", "Tab\tand\nnewline", "Ünïcödé Ltd", "Émile", "日本語 HR",
    "Slash/Path", "\001pb-available\001", "Marks \001pb-callback\001", "Plain",
  };
  static const char * const cats[] = { "hris", "crm", "ats", "iam" };
  char *path = g_build_filename (dir, "catalog.json", NULL);
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "connectors");
  json_builder_begin_array (b);
  for (i = 0; i < 40; i++)
    {
      g_autofree char *provider = g_strdup_printf ("odd%02u", i);
      g_autofree char *name = g_strdup_printf ("%s %02u", names[i % G_N_ELEMENTS (names)], i);
      const char *category = cats[i % G_N_ELEMENTS (cats)];
      guint t;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "provider");
      json_builder_add_string_value (b, provider);
      json_builder_set_member_name (b, "provider_name");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "category");
      json_builder_add_string_value (b, category);
      json_builder_set_member_name (b, "categories");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, category);
      if (i % 3 == 0)
        json_builder_add_string_value (b, "lms");
      json_builder_end_array (b);
      json_builder_set_member_name (b, "description");
      /* The mark alone, as json-glib writes it: this connector is built whole every time. */
      json_builder_add_string_value (b, i % 5 == 0 ? "\001pb-available\001"
                                                   : names[(i + 3) % G_N_ELEMENTS (names)]);
      json_builder_set_member_name (b, "docs_url");
      json_builder_add_string_value (b, "https://example.com/docs?a=1&b=\"2\"");
      json_builder_set_member_name (b, "logo_url");
      if (i % 2)
        json_builder_add_string_value (b, "https://example.com/logo.png");
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "auth_types");
      json_builder_begin_array (b);
      for (t = 0; t < 1 + i % 3; t++)
        {
          static const char * const kinds[] = { "oauth2", "api_key", "oidc", "basic", "custom" };
          const char *kind = kinds[(i + t) % G_N_ELEMENTS (kinds)];
          g_autofree char *key = g_strdup_printf ("%s_%u", kind, t);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "key");
          json_builder_add_string_value (b, key);
          json_builder_set_member_name (b, "label");
          json_builder_add_string_value (b, names[(i + t) % G_N_ELEMENTS (names)]);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, kind);
          if (g_str_has_prefix (kind, "o"))
            {
              json_builder_set_member_name (b, "platform_oauth_app");
              json_builder_add_boolean_value (b, FALSE);
            }
          json_builder_set_member_name (b, "account_fields");
          json_builder_begin_array (b);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "fields");
          json_builder_begin_array (b);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "key");
          json_builder_add_string_value (b, "client_id");
          json_builder_set_member_name (b, "label");
          json_builder_add_string_value (b, "Client \"ID\"");
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, "text");
          json_builder_set_member_name (b, "required");
          json_builder_add_boolean_value (b, TRUE);
          json_builder_set_member_name (b, "secret");
          json_builder_add_boolean_value (b, FALSE);
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, t % 2 ? "\001pb-callback\001" : "callback_url");
          json_builder_set_member_name (b, "placeholder");
          json_builder_add_string_value (b, "é/\\");
          json_builder_set_member_name (b, "default");
          if (i % 4 == 0)
            json_builder_add_string_value (b, "\"x\" \\ y");
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_to_file (gen, path, &error);
  g_assert_no_error (error);
  return path;
}

static char *
run_ok (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (test_run_command (argv, &out, &err) != 0)
    g_error ("%s failed: %s", argv[0], err);
  return g_strdup (g_strstrip (out));
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* "127.0.0.1:<a port free a moment ago>". */
static char *
free_address (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (socket);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

static const Query odd_queries[] = {
  { "", NULL, NULL, FALSE },
  { "?include_unavailable=false", NULL, NULL, TRUE },
  { "?category=lms", "lms", NULL, FALSE },
  { "?category=crm&include_unavailable=false", "crm", NULL, TRUE },
  { "?q=%C3%BCN%C3%AF", NULL, "üNï", FALSE },
  { "?q=%C3%89MILE", NULL, "ÉMILE", FALSE },
  { "?q=%22co%22", NULL, "\"co\"", FALSE },
  { "?q=back%5Cslash", NULL, "back\\slash", FALSE },
  { "?q=%E6%97%A5%E6%9C%AC", NULL, "日本", FALSE },
  { "?q=odd1", NULL, "odd1", FALSE },
};

static void
test_odd_catalog (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-catalog-XXXXXX", &error);
  g_autofree char *catalog = write_odd_catalog (dir);
  g_autofree char *db = g_build_filename (dir, "odd.db", NULL);
  g_autofree char *starter_project = NULL;
  g_autofree char *enterprise_project = NULL;
  g_autofree char *starter_key = NULL;
  g_autofree char *enterprise_key = NULL;
  g_autofree char *unused = NULL;
  g_autoptr(GBytes) starter = NULL;
  g_autoptr(GBytes) enterprise = NULL;
  g_autoptr(GBytes) one = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *base = NULL;
  TestServer *server;
  JsonArray *types;

  unused = run_ok ((const char * const[]) { "init", "--db", db, NULL });
  starter_project = run_ok ((const char * const[]) { "create-project", "--db", db, "--name", "S",
                                                     "--plan", "starter", NULL });
  enterprise_project = run_ok ((const char * const[]) { "create-project", "--db", db, "--name", "E",
                                                        "--plan", "enterprise", NULL });
  starter_key = run_ok ((const char * const[]) { "create-key", "--db", db, "--project",
                                                 starter_project, "--role", "viewer", NULL });
  enterprise_key = run_ok ((const char * const[]) { "create-key", "--db", db, "--project",
                                                    enterprise_project, "--role", "viewer", NULL });
  /* With --public-url the server prints that URL, so it listens on a port picked here. */
  listen = free_address ();
  base = g_strconcat ("http://", listen, NULL);
  server = test_server_start ((const char * const[]) {
    "serve", "--db", db, "--catalog", catalog, "--listen", listen, "--rate-limit", "100000",
    "--public-url", "https://proxy.example/pb \"quoted\"/back\\slash/é/", NULL }, NULL);

  starter = check_lists (base, starter_key, odd_queries, G_N_ELEMENTS (odd_queries));
  enterprise = check_lists (base, enterprise_key, odd_queries, G_N_ELEMENTS (odd_queries));
  g_assert_false (g_bytes_equal (starter, enterprise));

  /* The callback URL is the public one, escaped as JSON. */
  one = get_raw (base, "/connectors/odd00", enterprise_key);
  node = parse (one);
  types = json_object_get_array_member (json_node_get_object (node), "auth_types");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (types, 0), "callback_url"),
                   ==, "https://proxy.example/pb \"quoted\"/back\\slash/é/connect/oauth2/odd00/callback");

  test_server_stop (server);
  test_server_free (server);
  remove_dir (dir);
}

/* ---- big pages of integrations ---------------------------------------------------------- */

typedef struct
{
  char     *said;        /* "total/active/inactive/error field=hint;…" */
  char     *connector;
  gboolean  active;
} Expected;

static void
expected_free (gpointer data)
{
  Expected *e = data;

  g_free (e->said);
  g_free (e->connector);
  g_free (e);
}

typedef struct
{
  const char *query;       /* before page_size */
  guint       page_size;
  int         active;      /* -1: any */
  const char *connector;
  const char *category;
} Pass;

static void
test_integrations_big_pages (void)
{
  const guint n_integrations = 3000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-pages-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "pages.db", NULL);
  g_autofree char *key_path = g_strconcat (db_path, ".key", NULL);
  g_autofree char *catalog_path = pb_catalog_default_path ();
  g_autofree char *project_id = NULL;
  g_autofree char *key = NULL;
  g_autoptr(PbCatalog) catalog = NULL;
  g_autoptr(PbCrypto) crypto = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, expected_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const Pass passes[] = {
    { "/integrations?", 1000, -1, NULL, NULL },
    { "/integrations?", 7, -1, NULL, NULL },
    { "/integrations?active=false&", 100, 0, NULL, NULL },
    { "/integrations?connector_key=bamboohr&", 4, -1, "bamboohr", NULL },
    { "/integrations?category=hris&active=true&", 250, 1, NULL, "hris" },
  };
  g_autofree char *target = test_engine_target (db_path);
  PbDbStmt *stmt;
  TestServer *server;
  PbDb *db;
  guint p, with_accounts = 0, with_secrets = 0, compared = 0;

  /* A real database filled by the server's own seeding code, in one transaction. */
  catalog = pb_catalog_load (catalog_path, &error);
  g_assert_no_error (error);
  db = pb_db_open (target, &error);
  g_assert_no_error (error);
  crypto = pb_crypto_new_from_key_file (key_path, &error);
  g_assert_no_error (error);
  project_id = pb_db_create_project (db, "Pages", "growth", "eu1", &error);
  g_assert_no_error (error);
  key = pb_db_create_key (db, project_id, "viewer", &error);
  g_assert_no_error (error);
  g_assert_true (pb_seed_bulk (db, catalog, crypto, project_id, "growth", n_integrations, 0, &error));
  g_assert_no_error (error);

  /* What each integration must say, read straight from the database: accounts by status and
   * the secret fields with their hints. */
#define EXPECTED(SECRETS) \
    "SELECT i.id," \
    " (SELECT count(*) FROM accounts a WHERE a.integration_id = i.id)," \
    " (SELECT count(*) FROM accounts a WHERE a.integration_id = i.id AND a.status = 'active')," \
    " (SELECT count(*) FROM accounts a WHERE a.integration_id = i.id AND a.status = 'inactive')," \
    " (SELECT count(*) FROM accounts a WHERE a.integration_id = i.id AND a.status = 'error')," \
    " (" SECRETS ")," \
    " i.connector_key, i.active" \
    " FROM integrations i"
  stmt = pb_db_stmt (db, PB_DB_DIALECT (db,
    EXPECTED ("SELECT group_concat (field || '=' || hint, ';') FROM"
              " (SELECT field, hint FROM secrets s WHERE s.integration_id = i.id ORDER BY field)"),
    EXPECTED ("SELECT string_agg (field || '=' || hint, ';' ORDER BY field)"
              " FROM secrets s WHERE s.integration_id = i.id")));
#undef EXPECTED
  while (pb_db_step (stmt) == PB_DB_ROW)
    {
      const char *secrets = pb_db_column_text (stmt, 5);
      Expected *e = g_new0 (Expected, 1);

      with_accounts += pb_db_column_int (stmt, 1) > 0;
      with_secrets += secrets != NULL;
      e->said = g_strdup_printf ("%d/%d/%d/%d %s", pb_db_column_int (stmt, 1),
                                 pb_db_column_int (stmt, 2), pb_db_column_int (stmt, 3),
                                 pb_db_column_int (stmt, 4), secrets ? secrets : "");
      e->connector = g_strdup (pb_db_column_text (stmt, 6));
      e->active = pb_db_column_int (stmt, 7);
      g_hash_table_insert (expected, g_strdup (pb_db_column_text (stmt, 0)), e);
    }
  pb_db_reset (stmt);
  pb_db_close (db);
  g_assert_cmpuint (g_hash_table_size (expected), ==, n_integrations);
  g_assert_cmpuint (with_accounts, >, 100);
  g_assert_cmpuint (with_secrets, >, 1000);

  server = test_server_start ((const char * const[]) {
    "serve", "--db", db_path, "--listen", "127.0.0.1:0", "--rate-limit", "100000", NULL }, NULL);
  for (p = 0; p < G_N_ELEMENTS (passes); p++)
    {
      const Pass *pass = &passes[p];
      g_autofree char *next = NULL;
      GHashTableIter iter;
      gpointer id_key, value;
      guint pages = 0, total = 0, wanted = 0;

      /* The integrations this pass must see, each once. */
      g_hash_table_iter_init (&iter, expected);
      while (g_hash_table_iter_next (&iter, &id_key, &value))
        {
          Expected *e = value;
          PbCatalogEntry *entry = pb_catalog_lookup (catalog, e->connector);

          wanted += (pass->active < 0 || e->active == pass->active)
                    && (pass->connector == NULL || g_str_equal (e->connector, pass->connector))
                    && (pass->category == NULL
                        || g_strv_contains ((const char * const *) entry->categories, pass->category));
        }
      g_assert_cmpuint (wanted, >, pass->page_size);
      g_hash_table_remove_all (seen);
      do
        {
          g_autofree char *path = g_strdup_printf ("%spage_size=%u%s%s", pass->query, pass->page_size,
                                                   next ? "&next=" : "", next ? next : "");
          g_autoptr(GBytes) raw = get_raw (server->url, path, key);
          g_autoptr(JsonNode) node = parse (raw);
          JsonObject *page = json_node_get_object (node);
          JsonArray *data = json_object_get_array_member (page, "data");
          guint i;

          for (i = 0; i < json_array_get_length (data); i++)
            {
              JsonObject *item = json_array_get_object_element (data, i);
              const char *id = json_object_get_string_member (item, "id");
              JsonObject *accounts = json_object_get_object_member (item, "linked_accounts");
              JsonObject *secrets = json_object_get_object_member (item, "secrets");
              Expected *e = g_hash_table_lookup (expected, id);
              g_autoptr(GString) said = g_string_new (NULL);
              g_autoptr(GList) fields = json_object_get_members (secrets);
              GList *l;

              g_assert_nonnull (e);
              g_assert_true (g_hash_table_add (seen, g_strdup (id)));
              if (pass->active >= 0)
                g_assert_cmpint (e->active, ==, pass->active);
              if (pass->connector != NULL)
                g_assert_cmpstr (e->connector, ==, pass->connector);
              g_string_printf (said, "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                               "/%" G_GINT64_FORMAT " ",
                               json_object_get_int_member (accounts, "total"),
                               json_object_get_int_member (accounts, "active"),
                               json_object_get_int_member (accounts, "inactive"),
                               json_object_get_int_member (accounts, "error"));
              for (l = fields; l != NULL; l = l->next)
                g_string_append_printf (said, "%s%s=%s", l == fields ? "" : ";", (const char *) l->data,
                                        json_object_get_string_member (
                                          json_object_get_object_member (secrets, l->data), "hint"));
              g_assert_cmpstr (said->str, ==, e->said);

              /* Now and then: the item's bytes are the integration's own answer. */
              if ((total + i) % 97 == 0)
                {
                  g_autofree char *one_path = g_strconcat ("/integrations/", id, NULL);
                  g_autofree char *start = g_strdup_printf ("{\"id\":\"%s\"", id);
                  g_autoptr(GBytes) one = get_raw (server->url, one_path, key);
                  gsize size, one_size;
                  const char *text = g_bytes_get_data (raw, &size);
                  const char *one_text = g_bytes_get_data (one, &one_size);
                  const char *at = g_strstr_len (text, size, start);

                  g_assert_nonnull (at);
                  g_assert_cmpuint (at - text + one_size, <=, size);
                  g_assert_true (memcmp (at, one_text, one_size) == 0);
                  g_assert_true (at[one_size] == ',' || at[one_size] == ']');
                  compared++;
                }
            }
          total += json_array_get_length (data);
          g_clear_pointer (&next, g_free);
          if (!json_object_get_null_member (page, "next"))
            {
              next = g_strdup (json_object_get_string_member (page, "next"));
              g_assert_cmpuint (json_array_get_length (data), ==, pass->page_size);
            }
          pages++;
        }
      while (next != NULL);
      g_assert_cmpuint (total, ==, wanted);
      g_assert_cmpuint (g_hash_table_size (seen), ==, wanted);
      g_assert_cmpuint (pages, ==, (wanted + pass->page_size - 1) / pass->page_size);
    }
  g_assert_cmpuint (compared, >, 30);
  test_server_stop (server);
  test_server_free (server);
  remove_dir (dir);
}

/* Times in answers are written by hand now; GDateTime says what they must be. */
static void
test_time_format (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const gint64 edges[] = {
    0, 1, 999, 1000, -1, -999, -1000, -1001, 86399999, 86400000, -86400000, -86400001,
    951782400000, 951868799999, 4107542399999, 4107542400000, 1709164800123,
    -62135596800000, 253402300799999, 1735689599999, 1735689600000,
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (edges) + 20000; i++)
    {
      gint64 ms = i < G_N_ELEMENTS (edges) ? edges[i]
                  : (gint64) (g_rand_double_range (rand, -62135596800000.0, 253402300799999.0));
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
      g_autofree char *expected = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                                                   g_date_time_get_year (dt), g_date_time_get_month (dt),
                                                   g_date_time_get_day_of_month (dt),
                                                   g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                                                   g_date_time_get_second (dt),
                                                   (int) (((ms % 1000) + 1000) % 1000));
      g_autofree char *got = pb_db_format_time (ms);

      g_assert_cmpstr (got, ==, expected);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  server_demo_setup ();
  g_test_add_func ("/server/catalog/lists-are-connectors-alone", test_demo_lists);
  g_test_add_func ("/server/catalog/odd-strings", test_odd_catalog);
  g_test_add_func ("/server/catalog/integrations-big-pages", test_integrations_big_pages);
  g_test_add_func ("/server/catalog/time-format", test_time_format);
  return server_demo_run ();
}
