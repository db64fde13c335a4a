/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-json-scan"

#include "config.h"

#include <string.h>

#include "pb-core.h"

/* PbJsonScan, pb_integration_new_from_scan() and pb_connector_new_from_scan(): whatever the
 * in-place readers read, json-glib and the _new_from_json() functions read the same way (same
 * model); what they do not read they leave to them. Checked on hand-written objects (each
 * shape the API can send, and the odd ones: escapes, nulls, members twice, unknown members),
 * on every connector of the real catalog, and on thousands of mutations of them. */

/* Shapes the scanner must read itself (a slow path here would slow every launch). */
static const char *readable[] = {
  /* As the server sends them. */
  "{\"id\":\"ab5c35ee-6653-42a6-b138-ce10fd4fad9c\",\"name\":\"BambooHR – UK\","
  "\"connector_key\":\"bamboohr\",\"connector_label\":\"BambooHR\",\"categories\":[\"hris\","
  "\"lms\"],\"authentication_config_key\":\"api_key\",\"authentication_config_label\":\"API Key\","
  "\"active\":true,\"default\":true,\"oauth_app\":null,\"config\":{\"subdomain\":\"acme-43243c\"},"
  "\"secrets\":{"
  "\"api_key\":{\"set\":true,\"hint\":\"…4f31\",\"updated_at\":\"2026-09-30T02:27:53.685Z\"}},"
  "\"linked_accounts\":{\"total\":9,\"active\":8,\"inactive\":0,\"error\":1},\"version\":1,"
  "\"created_at\":\"2026-09-30T02:27:53.685Z\",\"updated_at\":\"2026-09-30T02:27:53.685Z\"}",
  /* The required members only. */
  "{\"id\":\"i1\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":false,\"default\":false}",
  /* Every optional member null; whitespace everywhere. */
  " {\n\t\"id\" : \"i2\" , \"name\":\"\", \"connector_key\":\"c\",\r\n"
  "\"connector_label\":null,\"categories\":null,\"authentication_config_key\":\"k\","
  "\"authentication_config_label\":null,\"active\":true,\"default\":false,\"config\":null,"
  "\"secrets\":null,\"linked_accounts\":null,\"version\":null,\"created_at\":null,"
  "\"updated_at\":null } ",
  /* Escapes in names, keys and values; raw UTF-8. */
  "{\"id\":\"i\\u0033\",\"name\":\"Tab\\there \\\"quoted\\\" \\\\ \\/ \\b\\f\\n\\r \\u00e9\\u2013\","
  "\"connector_key\":\"c\",\"authentication_config_key\":\"k\",\"active\":true,\"default\":true,"
  "\"config\":{\"sub\\u0064omain\":\"é—ü\",\"gone\":null,\"x\":\"1\"},\"categories\":[]}",
  /* Unknown members of every kind, nested; numbers of every form. */
  "{\"future\":{\"a\":[1,-2,3.5,-0.25e-3,6E+2,0,true,false,null,\"s\",{},[]]},\"id\":\"i4\","
  "\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\",\"active\":true,"
  "\"default\":false,\"linked_accounts\":{\"total\":4294967295,\"by_day\":[1,2],\"error\":0},"
  "\"version\":-7,\"extra\":\"x\",\"secrets\":{\"a\":{\"set\":false,\"hint\":null,"
  "\"updated_at\":null,\"kind\":\"password\"},\"b\":{\"set\":true}}}",
  /* Members twice: the last counts (json-glib's objects keep one member per name). */
  "{\"id\":\"first\",\"id\":\"i5\",\"name\":\"N\",\"connector_key\":\"c\","
  "\"authentication_config_key\":\"k\",\"active\":false,\"active\":true,\"default\":true,"
  "\"config\":{\"a\":\"1\",\"b\":\"2\"},\"config\":{\"a\":\"3\",\"a\":null,\"c\":\"4\"},"
  "\"categories\":[\"x\"],\"categories\":null,\"linked_accounts\":{\"total\":3,\"total\":null,"
  "\"active\":2},\"secrets\":{\"s\":{\"set\":true,\"hint\":\"…1\",\"hint\":null},"
  "\"s\":{\"set\":false,\"hint\":\"…2\"}},\"created_at\":\"2026-01-01T00:00:00Z\","
  "\"created_at\":null,\"version\":3,\"version\":null}",
  /* An OAuth type on the platform's app, then on its own (the last counts). */
  "{\"id\":\"i0\",\"name\":\"HubSpot\",\"connector_key\":\"hubspot\","
  "\"authentication_config_key\":\"oauth2\",\"active\":true,\"default\":true,"
  "\"oauth_app\":\"platform\",\"config\":{\"scopes\":\"crm\"}}",
  "{\"id\":\"i0\",\"name\":\"HubSpot\",\"connector_key\":\"hubspot\","
  "\"authentication_config_key\":\"oauth2\",\"active\":true,\"default\":true,"
  "\"oauth_app\":\"platform\",\"oauth_app\":\"own\"}",
};

/* Shapes it must leave to json-glib (which refuses most of them). */
static const char *not_readable[] = {
  "{\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\",\"active\":true,"
  "\"default\":true}",                                            /* no id */
  "{\"id\":null,\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true}",                            /* required null */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":1,\"default\":true}",                               /* wrong type */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true,\"version\":1.0}",            /* not an integer */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true,\"linked_accounts\":{\"total\":-1}}",   /* out of range */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true,\"created_at\":\"yesterday\"}",        /* not a time */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true,\"config\":{\"a\":1}}",       /* config not a string */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true,\"secrets\":{\"a\":{\"hint\":\"x\"}}}",  /* no "set" */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true,\"oauth_app\":\"shared\"}",   /* unknown OAuth app */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true,\"oauth_app\":true}",         /* OAuth app not a string */
  "{\"id\":\"\\ud83d\\ude00\",\"name\":\"N\",\"connector_key\":\"c\","
  "\"authentication_config_key\":\"k\",\"active\":true,\"default\":true}",  /* surrogates */
  "{\"id\":\"a\\u0000b\",\"name\":\"N\",\"connector_key\":\"c\","
  "\"authentication_config_key\":\"k\",\"active\":true,\"default\":true}",  /* NUL */
  "{\"id\":\"a\tb\",\"name\":\"N\",\"connector_key\":\"c\","
  "\"authentication_config_key\":\"k\",\"active\":true,\"default\":true}",  /* raw tab */
  "{\"id\":\"\xc3\x28\",\"name\":\"N\",\"connector_key\":\"c\","
  "\"authentication_config_key\":\"k\",\"active\":true,\"default\":true}",  /* bad UTF-8 */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true,}",                           /* trailing comma */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true,\"x\":01}",                   /* leading zero */
  "{\"id\":\"i\",\"name\":\"N\",\"connector_key\":\"c\",\"authentication_config_key\":\"k\","
  "\"active\":true,\"default\":true,\"x\":nulll}",                /* not a word */
  "[1]",
  "",
};

/* How a kind of model is read both ways and compared. */
typedef struct
{
  GObject    *(*from_json) (JsonObject *object, GError **error);
  GObject    *(*from_scan) (PbJsonScan *scan);
  JsonObject *(*to_json)   (GObject *model);
} Model;

static const Model integration_model = {
  (gpointer) pb_integration_new_from_json,
  (gpointer) pb_integration_new_from_scan,
  (gpointer) pb_integration_to_json,
};

static const Model connector_model = {
  (gpointer) pb_connector_new_from_json,
  (gpointer) pb_connector_new_from_scan,
  (gpointer) pb_connector_to_json,
};

/* The model json-glib and @model's _new_from_json() make of @text, or NULL. */
static gpointer
read_slowly (const Model *model,
             const char  *text,
             gsize        length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, (gssize) length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return model->from_json (json_node_get_object (root), NULL);
}

/* The scanner's, for @text that must be one object and nothing else, or NULL. */
static gpointer
read_in_place (const Model *model,
               const char  *text,
               gsize        length)
{
  PbJsonScan scan;
  GObject *object;

  pb_json_scan_init (&scan, text, length);
  object = model->from_scan (&scan);
  if (object != NULL && !pb_json_scan_at_end (&scan))
    g_clear_object (&object);
  pb_json_scan_clear (&scan);
  return object;
}

static gboolean
same_model (const Model *model,
            gpointer     a,
            gpointer     b)
{
  g_autoptr(JsonObject) ja = model->to_json (a);
  g_autoptr(JsonObject) jb = model->to_json (b);
  g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), ja);
  g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), jb);

  return json_node_equal (na, nb);
}

/* The invariant: read in place ⇒ json-glib reads the same. Returns whether it was read. */
static gboolean
check_agrees (const Model *model,
              const char  *text,
              gsize        length)
{
  g_autoptr(GObject) fast = read_in_place (model, text, length);
  g_autoptr(GObject) slow = NULL;

  if (fast == NULL)
    return FALSE;
  slow = read_slowly (model, text, length);
  if (slow == NULL || !same_model (model, fast, slow))
    {
      g_autofree char *shown = g_strndup (text, length);

      g_test_message ("read in place, but json-glib reads otherwise: %s", shown);
      g_test_fail ();
    }
  return TRUE;
}

static void
test_readable (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (readable); i++)
    {
      g_autoptr(PbIntegration) slow = read_slowly (&integration_model, readable[i],
                                                   strlen (readable[i]));

      g_assert_nonnull (slow);
      g_assert_true (check_agrees (&integration_model, readable[i], strlen (readable[i])));
    }

  /* The values themselves, for the odd shapes (not only "the same as json-glib"). */
  {
    g_autoptr(PbIntegration) escaped = read_in_place (&integration_model, readable[3],
                                                      strlen (readable[3]));
    g_autoptr(PbIntegration) twice = read_in_place (&integration_model, readable[5],
                                                    strlen (readable[5]));

    g_assert_cmpstr (pb_integration_get_id (escaped), ==, "i3");
    g_assert_cmpstr (pb_integration_get_name (escaped), ==,
                     "Tab\there \"quoted\" \\ / \b\f\n\r é–");
    g_assert_cmpstr (g_hash_table_lookup (pb_integration_get_config (escaped), "subdomain"), ==,
                     "é—ü");
    g_assert_false (g_hash_table_contains (pb_integration_get_config (escaped), "gone"));
    g_assert_cmpstr (pb_integration_get_id (twice), ==, "i5");
    g_assert_true (pb_integration_get_active (twice));
    g_assert_cmpuint (g_hash_table_size (pb_integration_get_config (twice)), ==, 1);
    g_assert_cmpstr (g_hash_table_lookup (pb_integration_get_config (twice), "c"), ==, "4");
    g_assert_cmpuint (g_strv_length ((GStrv) pb_integration_get_categories (twice)), ==, 0);
    g_assert_cmpuint (pb_integration_get_accounts_total (twice), ==, 0);
    g_assert_cmpint (pb_integration_get_version (twice), ==, 0);
  }
  {
    g_autoptr(PbIntegration) platform = read_in_place (&integration_model, readable[6],
                                                       strlen (readable[6]));
    g_autoptr(PbIntegration) own = read_in_place (&integration_model, readable[7],
                                                  strlen (readable[7]));
    g_autoptr(PbIntegration) none = read_in_place (&integration_model, readable[0],
                                                   strlen (readable[0]));

    g_assert_cmpint (pb_integration_get_oauth_app (platform), ==, PB_OAUTH_APP_PLATFORM);
    g_assert_cmpint (pb_integration_get_oauth_app (own), ==, PB_OAUTH_APP_OWN);
    g_assert_cmpint (pb_integration_get_oauth_app (none), ==, PB_OAUTH_APP_NONE);
  }
}

static void
test_not_readable (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (not_readable); i++)
    {
      g_autoptr(PbIntegration) fast = read_in_place (&integration_model, not_readable[i],
                                                     strlen (not_readable[i]));

      if (fast != NULL)
        g_test_message ("read in place: %s", not_readable[i]);
      g_assert_null (fast);
    }
}

/* Bytes that change a JSON text's meaning the most. */
static const char mutations[] = "\"\\{}[],:0-1e.ntfu x\x01\xc3\xa9";

/* A byte replaced, removed or added, or a span repeated; one to three times. */
static void
mutate (GRand   *rand,
        GString *text)
{
  guint n_changes = g_rand_int_range (rand, 1, 4);

  for (guint c = 0; c < n_changes && text->len > 1; c++)
    {
      guint at = g_rand_int_range (rand, 0, (gint32) text->len);

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          text->str[at] = mutations[g_rand_int_range (rand, 0, sizeof mutations - 1)];
          break;
        case 1:
          g_string_erase (text, at, 1);
          break;
        case 2:
          g_string_insert_c (text, at, mutations[g_rand_int_range (rand, 0,
                                                                   sizeof mutations - 1)]);
          break;
        default:
          {
            guint span = g_rand_int_range (rand, 1, 24);
            g_autofree char *copy = g_strndup (text->str + at, span);

            g_string_insert (text, at, copy);
          }
          break;
        }
    }
}

/* Thousands of mutants of each readable object: a byte replaced, removed or doubled, a span
 * repeated. Whatever the scanner reads of them, json-glib reads the same. */
static void
test_mutants (void)
{
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());
  guint n_read = 0, n_total = 0, n_equal = 0;

  for (guint i = 0; i < G_N_ELEMENTS (readable); i++)
    for (guint round = 0; round < 3000; round++)
      {
        g_autoptr(GString) text = g_string_new (readable[i]);
        g_autoptr(PbIntegration) original = read_in_place (&integration_model, readable[i],
                                                           strlen (readable[i]));
        g_autoptr(PbIntegration) mutant = NULL;

        mutate (rand, text);
        n_total++;
        if (!check_agrees (&integration_model, text->str, text->len))
          continue;
        n_read++;
        /* pb_integration_equal() says what comparing their JSON says. */
        mutant = read_in_place (&integration_model, text->str, text->len);
        if (pb_integration_equal (original, mutant)
            != same_model (&integration_model, original, mutant))
          {
            g_test_message ("pb_integration_equal() and the JSON disagree on: %s", text->str);
            g_test_fail ();
          }
        if (same_model (&integration_model, original, mutant))
          n_equal++;
      }

  g_test_message ("%u of %u mutants read in place, all as json-glib reads them; %u equal to "
                  "their original", n_read, n_total, n_equal);
  /* Some mutants stay readable (a changed letter in a value): the check did compare; some
   * are still equal (a changed unknown member), some not. */
  g_assert_cmpuint (n_read, >, 0);
  g_assert_cmpuint (n_equal, >, 0);
  g_assert_cmpuint (n_equal, <, n_read);
  g_rand_free (rand);
}

/* ---- connectors ---------------------------------------------------------------------- */

static const char *readable_connectors[] = {
  /* Every member, fields of every sort. */
  "{\"provider\":\"teamtailor\",\"provider_name\":\"Teamtailor\",\"category\":\"ats\","
  "\"categories\":[\"ats\"],\"description\":\"Recruiting – é\",\"docs_url\":\"https://x\","
  "\"logo_url\":null,\"available\":false,\"unavailable_reason\":\"Not in your plan.\","
  "\"auth_types\":[{\"key\":\"api_key\",\"label\":\"API Key\",\"type\":\"api_key\","
  "\"callback_url\":null,\"fields\":[{\"key\":\"token\",\"label\":\"Token\",\"kind\":\"secret\","
  "\"required\":false,\"generated\":true,\"default\":null},"
  "{\"key\":\"region\",\"label\":\"Region\",\"kind\":\"select\",\"required\":false,"
  "\"secret\":false,\"generated\":false,\"options\":[\"eu\",\"us\"],\"default\":\"eu\"}],"
  "\"account_fields\":[{\"key\":\"api_key\",\"label\":\"Key\",\"kind\":\"secret\","
  "\"required\":true,\"description\":\"d\",\"placeholder\":\"\",\"default\":null}]},"
  "{\"key\":\"oauth2\",\"label\":\"OAuth 2.0\",\"type\":\"oauth2\",\"platform_oauth_app\":true,"
  "\"callback_url\":\"https://plugboard.example/callback\",\"fields\":[],\"account_fields\":null}]}",
  /* The required members only: categories become [category], available true. */
  "{\"provider\":\"p\",\"provider_name\":\"P\",\"category\":\"crm\"}",
  /* The primary category missing from the list; nulls; unknown members; members twice. */
  "{\"provider\":\"p2\",\"provider_name\":\"P\",\"category\":\"crm\",\"categories\":[\"lms\"],"
  "\"available\":false,\"available\":null,\"future\":[{\"a\":1e3}],\"auth_types\":[{\"key\":\"k\","
  "\"label\":\"L\",\"type\":\"basic\",\"fields\":[{\"key\":\"s\",\"label\":\"S\",\"kind\":\"secret\","
  "\"secret\":null,\"required\":true,\"required\":null,\"options\":null}]}],"
  "\"auth_types\":null,\"description\":\"x\",\"description\":null}",
};

static const char *not_readable_connectors[] = {
  "{\"provider_name\":\"P\",\"category\":\"crm\"}",                       /* no provider */
  "{\"provider\":\"p\",\"provider_name\":\"P\",\"category\":\"crm\",\"auth_types\":[{\"key\":\"k\","
  "\"label\":\"L\",\"type\":\"telepathy\"}]}",                                /* unknown type */
  "{\"provider\":\"p\",\"provider_name\":\"P\",\"category\":\"crm\",\"auth_types\":[{\"key\":\"k\","
  "\"label\":\"L\",\"type\":\"basic\"},{\"key\":\"k\",\"label\":\"M\",\"type\":\"basic\"}]}",
                                                                              /* key twice */
  "{\"provider\":\"p\",\"provider_name\":\"P\",\"category\":\"crm\",\"auth_types\":[{\"key\":\"k\","
  "\"label\":\"L\",\"type\":\"basic\",\"fields\":[{\"key\":\"f\",\"label\":\"F\",\"kind\":\"text\"},"
  "{\"key\":\"f\",\"label\":\"G\",\"kind\":\"text\"}]}]}",                      /* field twice */
  "{\"provider\":\"p\",\"provider_name\":\"P\",\"category\":\"crm\",\"auth_types\":[{\"key\":\"k\","
  "\"label\":\"L\",\"type\":\"basic\",\"fields\":[{\"key\":\"f\",\"label\":\"F\",\"kind\":\"rune\"}]}]}",
                                                                              /* unknown kind */
  "{\"provider\":\"p\",\"provider_name\":\"P\",\"category\":\"crm\",\"available\":\"yes\"}",
};

/* Every connector of the real catalog, as text. */
static GPtrArray *
catalog_texts (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  JsonArray *connectors;

  json_parser_load_from_file (parser, g_getenv ("PLUGBOARD_CATALOG"), &error);
  g_assert_no_error (error);
  connectors = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                             "connectors");
  for (guint i = 0; i < json_array_get_length (connectors); i++)
    g_ptr_array_add (texts, json_to_string (json_array_get_element (connectors, i), FALSE));
  return texts;
}

static void
test_connectors (void)
{
  g_autoptr(GPtrArray) texts = catalog_texts ();

  g_assert_cmpuint (texts->len, >, 100);
  for (guint i = 0; i < texts->len; i++)
    {
      const char *text = texts->pdata[i];

      g_autoptr(GObject) slow = read_slowly (&connector_model, text, strlen (text));

      g_assert_nonnull (slow);
      if (!check_agrees (&connector_model, text, strlen (text)))
        {
          g_test_message ("not read in place: %s", text);
          g_test_fail ();
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (readable_connectors); i++)
    g_assert_true (check_agrees (&connector_model, readable_connectors[i],
                                 strlen (readable_connectors[i])));
  for (guint i = 0; i < G_N_ELEMENTS (not_readable_connectors); i++)
    {
      g_autoptr(PbConnector) fast = read_in_place (&connector_model, not_readable_connectors[i],
                                                   strlen (not_readable_connectors[i]));

      if (fast != NULL)
        g_test_message ("read in place: %s", not_readable_connectors[i]);
      g_assert_null (fast);
    }

  /* The values themselves, for the odd shapes. */
  {
    g_autoptr(PbConnector) bare = read_in_place (&connector_model, readable_connectors[1],
                                                 strlen (readable_connectors[1]));
    g_autoptr(PbConnector) odd = read_in_place (&connector_model, readable_connectors[2],
                                                strlen (readable_connectors[2]));
    g_autoptr(PbAuthType) type = NULL;
    g_autoptr(PbAuthField) field = NULL;

    g_assert_true (pb_connector_get_available (bare));
    g_assert_cmpstrv (pb_connector_get_categories (bare), ((const char *[]) { "crm", NULL }));
    g_assert_true (pb_connector_get_available (odd));
    g_assert_cmpstrv (pb_connector_get_categories (odd),
                      ((const char *[]) { "crm", "lms", NULL }));
    g_assert_null (pb_connector_get_description (odd));
    g_assert_cmpuint (g_list_model_get_n_items (pb_connector_get_auth_types (odd)), ==, 0);

    g_clear_object (&odd);
    odd = read_in_place (&connector_model, readable_connectors[0],
                         strlen (readable_connectors[0]));
    type = g_list_model_get_item (pb_connector_get_auth_types (odd), 0);
    field = g_list_model_get_item (pb_auth_type_get_fields (type), 0);
    /* A secret-kind field without "secret" is secret. */
    g_assert_true (pb_auth_field_get_secret (field));
    g_assert_true (pb_auth_field_get_generated (field));
    g_assert_false (pb_auth_type_get_platform_oauth_app (type));
    g_assert_cmpuint (g_list_model_get_n_items (pb_auth_type_get_account_fields (type)), ==, 1);
    g_assert_nonnull (pb_auth_type_find_account_field (type, "api_key"));
    g_assert_null (pb_auth_type_find_field (type, "api_key"));
    g_clear_object (&type);
    type = g_list_model_get_item (pb_connector_get_auth_types (odd), 1);
    g_assert_true (pb_auth_type_get_platform_oauth_app (type));
    g_assert_cmpuint (g_list_model_get_n_items (pb_auth_type_get_account_fields (type)), ==, 0);
  }
}

static void
test_connector_mutants (void)
{
  g_autoptr(GPtrArray) texts = catalog_texts ();
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());
  guint n_read = 0, n_total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (readable_connectors); i++)
    g_ptr_array_add (texts, g_strdup (readable_connectors[i]));
  for (guint round = 0; round < 12000; round++)
    {
      g_autoptr(GString) text = g_string_new (texts->pdata[g_rand_int_range (rand, 0,
                                                                             (gint32) texts->len)]);

      mutate (rand, text);
      n_total++;
      if (check_agrees (&connector_model, text->str, text->len))
        n_read++;
    }
  g_test_message ("%u of %u mutants read in place, all as json-glib reads them", n_read,
                  n_total);
  g_assert_cmpuint (n_read, >, 0);
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-scan/readable", test_readable);
  g_test_add_func ("/json-scan/not-readable", test_not_readable);
  g_test_add_func ("/json-scan/mutants", test_mutants);
  g_test_add_func ("/json-scan/connectors", test_connectors);
  g_test_add_func ("/json-scan/connector-mutants", test_connector_mutants);

  return g_test_run ();
}
