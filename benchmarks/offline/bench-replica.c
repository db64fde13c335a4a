/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-replica"

#include "config.h"

/*
 * bench-replica: the client's reading of integrations and its local copy, without a window.
 * Prints, for N integrations shaped as the server sends them (default 20,000):
 *   - a page of 1,000 read in place (PbJsonScan) and with json-glib + the model (what every
 *     page was before), per page;
 *   - the replica: the snapshot written, all integrations read back (what the store shows at
 *     start and after every acknowledged change);
 *   - the outbox: one durable append (synchronous=FULL), as when the admin saves offline.
 *
 *   bench-replica [N_INTEGRATIONS]
 */

#include <glib/gstdio.h>

#include "pb-offline.h"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *times)
{
  g_array_sort (times, compare_doubles);
  g_print ("%-52s median %8.2f ms   p90 %8.2f ms   (n=%u)\n", what,
           g_array_index (times, double, times->len / 2),
           g_array_index (times, double, times->len * 9 / 10), times->len);
}

/* One integration as the server sends it (secrets as hints, accounts, times). */
static char *
integration_text (guint i)
{
  return g_strdup_printf (
    "{\"id\":\"%08x-6653-42a6-b138-ce10fd4fad9c\",\"name\":\"Integration %05u\","
    "\"connector_key\":\"conn%05u\",\"connector_label\":\"Connector %05u\","
    "\"categories\":[\"hris\",\"lms\"],\"authentication_config_key\":\"api_key\","
    "\"authentication_config_label\":\"API Key\",\"active\":%s,\"default\":%s,"
    "\"config\":{\"subdomain\":\"acme-%u\"},\"secrets\":{\"api_key\":{\"set\":true,"
    "\"hint\":\"…%04u\",\"updated_at\":\"2026-09-30T02:27:53.685Z\"}},"
    "\"linked_accounts\":{\"total\":%u,\"active\":%u,\"inactive\":0,\"error\":0},"
    "\"version\":1,\"created_at\":\"2026-09-30T02:27:53.685Z\","
    "\"updated_at\":\"2026-09-30T02:27:53.685Z\"}",
    i, i, i % 5000, i % 5000, i % 9 ? "true" : "false", i < 5000 ? "true" : "false", i,
    i % 10000, i % 12, i % 12);
}

static GPtrArray *
read_page_in_place (const char *text,
                    gsize       length)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  PbJsonScan scan;
  gboolean first = TRUE;

  pb_json_scan_init (&scan, text, length);
  g_assert_true (pb_json_scan_take (&scan, '['));
  while (pb_json_scan_element (&scan, &first) == 1)
    {
      PbIntegration *integration = pb_integration_new_from_scan (&scan);

      g_assert_nonnull (integration);
      g_ptr_array_add (items, integration);
    }
  pb_json_scan_clear (&scan);
  return items;
}

static GPtrArray *
read_page_with_json_glib (const char *text,
                          gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;

  g_assert_true (json_parser_load_from_data (parser, text, (gssize) length, NULL));
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (items, pb_integration_new_from_json (json_array_get_object_element (array,
                                                                                         i),
                                                          NULL));
  return items;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 20000;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) page = g_string_new ("[");
  g_autoptr(GPtrArray) integrations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) in_place = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) json_glib = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) save = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) load = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) appends = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = g_dir_make_tmp ("bench-replica-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(PbReplica) replica = NULL;
  g_autoptr(PbOutbox) outbox = NULL;

  g_assert_no_error (error);
  setvbuf (stdout, NULL, _IOLBF, 0);

  /* 1. Pages of 1,000. */
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *text = integration_text (i);

      g_string_append (page, i > 0 ? "," : "");
      g_string_append (page, text);
    }
  g_string_append_c (page, ']');
  for (guint round = 0; round < 21; round++)
    {
      double t = now_ms ();

      g_ptr_array_unref (read_page_in_place (page->str, page->len));
      g_array_append_val (in_place, (double) { now_ms () - t });
      t = now_ms ();
      g_ptr_array_unref (read_page_with_json_glib (page->str, page->len));
      g_array_append_val (json_glib, (double) { now_ms () - t });
    }
  g_print ("a page of 1,000 integrations (%zu KiB), read and freed:\n", page->len / 1024);
  report ("  read in place (PbJsonScan)", in_place);
  report ("  json-glib tree + pb_integration_new_from_json", json_glib);

  /* 2. The replica: N integrations written, read back. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = integration_text (i);
      g_autoptr(JsonObject) object = pb_json_object_from_string (text, -1, &error);

      g_assert_no_error (error);
      g_ptr_array_add (integrations, pb_integration_new_from_json (object, &error));
      g_assert_no_error (error);
    }
  path = g_build_filename (dir, "replica.db", NULL);
  replica = pb_replica_open_path (path, &error);
  g_assert_no_error (error);
  for (guint round = 0; round < 5; round++)
    {
      double t = now_ms ();
      g_autoptr(GPtrArray) back = NULL;

      g_assert_true (pb_replica_save_snapshot (replica, NULL, NULL, integrations, &error));
      g_assert_no_error (error);
      g_array_append_val (save, (double) { now_ms () - t });
      t = now_ms ();
      back = pb_replica_load_integrations (replica, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (back->len, ==, n);
      g_array_append_val (load, (double) { now_ms () - t });
    }
  g_print ("the replica, %u integrations:\n", n);
  report ("  snapshot written (one transaction)", save);
  report ("  all integrations read back", load);

  /* 3. The outbox. */
  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      g_autofree char *name = g_strdup_printf ("name %u", i);
      g_autoptr(PbOutboxEntry) entry = NULL;
      double t;

      json_object_set_string_member (payload, "name", name);
      entry = pb_outbox_entry_new (PB_OPERATION_UPDATE, pb_integration_get_id (integrations->pdata[0]),
                                   1, payload, NULL);
      t = now_ms ();
      g_assert_cmpint (pb_outbox_append (outbox, entry, &error), >, 0);
      g_assert_no_error (error);
      g_array_append_val (appends, (double) { now_ms () - t });
    }
  report ("the outbox: one durable append", appends);

  g_clear_object (&outbox);
  g_clear_object (&replica);
  for (guint i = 0; i < 3; i++)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
  return 0;
}
