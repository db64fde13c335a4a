/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-models"

#include "config.h"

#include "models-fixture.h"

/*
 * Every model from the API's JSON (design/api.md) and back. For each model a complete
 * sample in the form the API sends it; the tests take it apart member by member.
 */

/* The samples and the JSON helpers are in models-fixture.c; the tests over all models in
 * models-all.c, those of each model's values in models-values.c. */

static void
test_time_rfc3339 (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "2024-05-01T12:30:00Z", "2024-05-01T12:30:00Z" },
    { "2024-05-01t12:30:00z", "2024-05-01T12:30:00Z" },
    { "2024-05-01T14:30:00+02:00", "2024-05-01T12:30:00Z" },
    { "2024-05-01T00:30:00-01:30", "2024-05-01T02:00:00Z" },
    { "2024-12-31T23:59:59.5Z", "2024-12-31T23:59:59.500Z" },
    { "2024-05-01T12:30:00.123456Z", "2024-05-01T12:30:00.123456Z" },
    { "2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z" },
    /* Not RFC 3339: no offset, no time, wrong shapes, impossible dates. */
    { "2024-05-01T12:30:00", NULL },
    { "2024-05-01", NULL },
    { "12:30:00Z", NULL },
    { "2024-05-01T12:30Z", NULL },
    { "20240501T123000Z", NULL },
    { "2023-02-29T00:00:00Z", NULL },
    { "2024-13-01T00:00:00Z", NULL },
    { "yesterday", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) parsed = pb_time_parse_rfc3339 (cases[i].in);
      g_autofree char *formatted = NULL;

      g_test_message ("%s", cases[i].in);
      if (cases[i].out == NULL)
        {
          g_assert_null (parsed);
          continue;
        }
      g_assert_nonnull (parsed);
      g_assert_cmpint (g_date_time_get_utc_offset (parsed), ==, 0);
      formatted = pb_time_format_rfc3339 (parsed);
      g_assert_cmpstr (formatted, ==, cases[i].out);
    }

  g_assert_null (pb_time_parse_rfc3339 (NULL));

  /* Formatting converts to UTC. */
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3600 * 5);
    g_autoptr(GDateTime) local = g_date_time_new (tz, 2024, 1, 1, 3, 0, 0);
    g_autofree char *text = pb_time_format_rfc3339 (local);

    g_assert_cmpstr (text, ==, "2023-12-31T22:00:00Z");
  }
}

static void
test_json_from_string (void)
{
  static const struct { const char *text; int code; } bad[] = {
    { "", PB_CORE_ERROR_INVALID_JSON },
    { "{", PB_CORE_ERROR_INVALID_JSON },
    { "{\"a\": }", PB_CORE_ERROR_INVALID_JSON },
    { "[1, 2]", PB_CORE_ERROR_INVALID_JSON },
    { "\"text\"", PB_CORE_ERROR_INVALID_JSON },
    { "null", PB_CORE_ERROR_INVALID_JSON },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) none = pb_json_object_from_string (bad[i].text, -1, &error);

      g_assert_null (none);
      g_assert_error (error, PB_CORE_ERROR, bad[i].code);
      g_clear_error (&error);
    }

  object = pb_json_object_from_string ("{\"b\": [1, \"x\"], \"a\": null}", -1, &error);
  g_assert_no_error (error);
  text = pb_json_object_to_string (object, FALSE);
  g_assert_cmpstr (text, ==, "{\"b\":[1,\"x\"],\"a\":null}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/round-trip", test_models_round_trip);
  g_test_add_func ("/models/unknown-fields", test_models_unknown_fields);
  g_test_add_func ("/models/missing-fields", test_models_missing_fields);
  g_test_add_func ("/models/wrong-types", test_models_wrong_types);
  g_test_add_func ("/models/project", test_models_project);
  g_test_add_func ("/models/auth-field", test_models_auth_field);
  g_test_add_func ("/models/connector", test_models_connector);
  g_test_add_func ("/models/integration", test_models_integration);
  g_test_add_func ("/models/linked-account", test_models_linked_account);
  g_test_add_func ("/models/log-entry", test_models_log_entry);
  g_test_add_func ("/time/rfc3339", test_time_rfc3339);
  g_test_add_func ("/json/from-string", test_json_from_string);

  return g_test_run ();
}
