/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-json-scan"

#include "config.h"

#include <string.h>

#include "pb-core.h"

/* PbJsonScan and pb_integration_new_from_scan(): whatever the in-place reader reads, json-glib
 * and pb_integration_new_from_json() read the same way (same integration); what it does not
 * read it leaves to them. Checked on hand-written objects (each shape the API can send, and
 * the odd ones: escapes, nulls, members twice, unknown members) and on thousands of mutations
 * of them. */

/* Shapes the scanner must read itself (a slow path here would slow every launch). */
static const char *readable[] = {
  /* As the server sends them. */
  "{\"id\":\"ab5c35ee-6653-42a6-b138-ce10fd4fad9c\",\"name\":\"BambooHR – UK\","
  "\"connector_key\":\"bamboohr\",\"connector_label\":\"BambooHR\",\"categories\":[\"hris\","
  "\"lms\"],\"authentication_config_key\":\"api_key\",\"authentication_config_label\":\"API Key\","
  "\"active\":true,\"default\":true,\"config\":{\"subdomain\":\"acme-43243c\"},\"secrets\":{"
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

/* The integration json-glib and pb_integration_new_from_json() make of @text, or NULL. */
static PbIntegration *
read_slowly (const char *text,
             gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, (gssize) length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return pb_integration_new_from_json (json_node_get_object (root), NULL);
}

/* The scanner's, for @text that must be one object and nothing else, or NULL. */
static PbIntegration *
read_in_place (const char *text,
               gsize       length)
{
  PbJsonScan scan;
  PbIntegration *integration;

  pb_json_scan_init (&scan, text, length);
  integration = pb_integration_new_from_scan (&scan);
  if (integration != NULL && !pb_json_scan_at_end (&scan))
    g_clear_object (&integration);
  pb_json_scan_clear (&scan);
  return integration;
}

static gboolean
same_integration (PbIntegration *a,
                  PbIntegration *b)
{
  g_autoptr(JsonObject) ja = pb_integration_to_json (a);
  g_autoptr(JsonObject) jb = pb_integration_to_json (b);
  g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), ja);
  g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), jb);

  return json_node_equal (na, nb);
}

/* The invariant: read in place ⇒ json-glib reads the same. Returns whether it was read. */
static gboolean
check_agrees (const char *text,
              gsize       length)
{
  g_autoptr(PbIntegration) fast = read_in_place (text, length);
  g_autoptr(PbIntegration) slow = NULL;

  if (fast == NULL)
    return FALSE;
  slow = read_slowly (text, length);
  if (slow == NULL || !same_integration (fast, slow))
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
      g_autoptr(PbIntegration) slow = read_slowly (readable[i], strlen (readable[i]));

      g_assert_nonnull (slow);
      g_assert_true (check_agrees (readable[i], strlen (readable[i])));
    }

  /* The values themselves, for the odd shapes (not only "the same as json-glib"). */
  {
    g_autoptr(PbIntegration) escaped = read_in_place (readable[3], strlen (readable[3]));
    g_autoptr(PbIntegration) twice = read_in_place (readable[5], strlen (readable[5]));

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
}

static void
test_not_readable (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (not_readable); i++)
    {
      g_autoptr(PbIntegration) fast = read_in_place (not_readable[i], strlen (not_readable[i]));

      if (fast != NULL)
        g_test_message ("read in place: %s", not_readable[i]);
      g_assert_null (fast);
    }
}

/* Bytes that change a JSON text's meaning the most. */
static const char mutations[] = "\"\\{}[],:0-1e.ntfu x\x01\xc3\xa9";

/* Thousands of mutants of each readable object: a byte replaced, removed or doubled, a span
 * repeated. Whatever the scanner reads of them, json-glib reads the same. */
static void
test_mutants (void)
{
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());
  guint n_read = 0, n_total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (readable); i++)
    for (guint round = 0; round < 3000; round++)
      {
        g_autoptr(GString) text = g_string_new (readable[i]);
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
        n_total++;
        if (check_agrees (text->str, text->len))
          n_read++;
      }

  g_test_message ("%u of %u mutants read in place, all as json-glib reads them", n_read,
                  n_total);
  /* Some mutants stay readable (a changed letter in a value): the check did compare. */
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

  return g_test_run ();
}
