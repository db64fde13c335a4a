/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-logs"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "pb-bench-views.h"
#include "pb-server-seed.h"
#include "pb-test-server.h"

/*
 * The logs view against a real plugboard-server whose project holds 200,000 request logs:
 * 1. first page shown: from creating and presenting the view to the end of the first frame
 *    painted with entries in it (target < 300 ms);
 * 2. frame times while scrolling through pages, as the view fetches them on its own: the time
 *    each frame takes (GdkFrameClock "update" → "after-paint"), and the interval between
 *    frames (target < 16 ms);
 * 3. RSS growth from the first page to 20,000 entries scrolled through (target < 50 MB).
 * The server runs in its own process, so its work does not count as the view's.
 */

static guint n_logs = 200000;
static guint n_entries = 20000;
static guint step_px = 600;

static char *
make_database (const char  *dir,
               char       **out_key,
               GError     **error)
{
  g_autofree char *db_path = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *key_path = g_build_filename (dir, "bench.db.key", NULL);
  g_autoptr(PbCatalog) catalog = NULL;
  g_autoptr(PbCrypto) crypto = NULL;
  g_autoptr(PbDb) db = NULL;
  g_autofree char *project = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if ((catalog = pb_catalog_load (PB_BENCH_CATALOG, error)) == NULL
      || (db = pb_db_open (db_path, error)) == NULL
      || (crypto = pb_crypto_new_from_key_file (key_path, error)) == NULL
      || (project = pb_db_create_project (db, "Bench", "growth", "eu1", error)) == NULL
      || (*out_key = pb_db_create_key (db, project, "admin", error)) == NULL
      || !pb_seed_bulk (db, catalog, crypto, project, "growth", 40, n_logs, error))
    return NULL;
  printf ("seeded %u logs in %.1f s\n", n_logs, (g_get_monotonic_time () - t0) / 1e6);
  return g_steal_pointer (&db_path);
}

static GtkWidget *
make_view (PbStore *store)
{
  return pb_logs_view_new (store);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— benchmark the logs view");
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *key = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbStore) store = NULL;
  PbTestServer *server;
  int logs_opt = (int) n_logs, entries_opt = (int) n_entries, step_opt = (int) step_px;
  GOptionEntry entries[] = {
    { "logs", 0, 0, G_OPTION_ARG_INT, &logs_opt, "Logs in the project (default 200000)", "N" },
    { "entries", 0, 0, G_OPTION_ARG_INT, &entries_opt,
      "Entries to scroll through (default 20000)", "N" },
    { "step", 0, 0, G_OPTION_ARG_INT, &step_opt, "Pixels scrolled per frame (default 600)", "PX" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_logs = MAX (logs_opt, 1);
  n_entries = MIN ((guint) MAX (entries_opt, 1), n_logs);
  step_px = MAX (step_opt, 1);

  adw_init ();
  pb_views_ensure_types ();
  pb_bench_views_print_machine ();

  dir = g_dir_make_tmp ("bench-logs-XXXXXX", &error);
  if (dir == NULL || (db_path = make_database (dir, &key, &error)) == NULL)
    {
      g_printerr ("Could not make the database: %s\n", error->message);
      return 1;
    }

  store = pb_bench_views_open_store (db_path, key, &server, &client, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* For scale: how long the server takes for one page on its own (its first, cold request,
   * then a second one), measured with the client alone. */
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) page_result = NULL;
      g_autoptr(PbPage) page = NULL;
      gint64 t0 = g_get_monotonic_time ();

      pb_client_list_logs_async (client, NULL, 50, NULL, NULL, pb_bench_views_result_cb, &page_result);
      while (page_result == NULL)
        g_main_context_iteration (NULL, TRUE);
      page = pb_client_list_logs_finish (client, page_result, &error);
      if (page == NULL)
        {
          g_printerr ("Could not list the logs: %s\n", error->message);
          return 1;
        }
      printf ("a page of 50 logs straight from the client (%s request): %.1f ms\n",
              i == 0 ? "first" : "second", (g_get_monotonic_time () - t0) / 1000.0);
    }

  pb_bench_views_run (store, make_view, n_entries, step_px);
  pb_test_server_stop (server);
  g_unlink (db_path);
  {
    g_autofree char *key_path = g_strconcat (db_path, ".key", NULL);
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
    g_unlink (key_path);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return 0;
}
