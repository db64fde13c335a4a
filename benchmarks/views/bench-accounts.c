/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-accounts"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "pb-bench-views.h"
#include "pb-server-seed.h"
#include "pb-test-server.h"

/*
 * The linked accounts view against a real plugboard-server whose project holds 20,000
 * accounts in every status (each row with its status word, icon, reasons and ⋮ menu):
 * 1. first page shown: from creating and presenting the view to the end of the first frame
 *    painted with accounts in it (target < 300 ms);
 * 2. frame times while scrolling through all of them, as the view fetches its pages on its
 *    own (GdkFrameClock "update" → "after-paint"; target < 16 ms);
 * 3. RSS growth from the first page to the last account (target < 50 MB).
 * The server runs in its own process, so its work does not count as the view's.
 */

static guint n_accounts = 20000;
static guint step_px = 600;

/* The bulk seed links a few accounts (in each status it makes); copies of them, each with an
 * owner of its own, make up the rest. Written straight into the server's database before
 * the server starts, as the seed itself is. */
static gboolean
add_accounts (PbDb        *db,
              const char  *project,
              guint        n,
              GError     **error)
{
  g_autofree char *sql = g_strdup_printf (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u),"
    " t AS (SELECT *, ROW_NUMBER () OVER (ORDER BY seq) - 1 AS k,"
    "              COUNT (*) OVER () AS c FROM accounts WHERE project_id = '%s')"
    " INSERT INTO accounts (id, project_id, integration_id, provider, origin_owner_id,"
    "   origin_owner_name, origin_username, label, status, status_reasons, credentials,"
    "   created_at, updated_at)"
    " SELECT printf ('acc_bench%%06d', n.i), t.project_id, t.integration_id, t.provider,"
    "   printf ('bench_%%06d', n.i), printf ('Owner %%06d', n.i),"
    "   printf ('it%%06d@example.com', n.i), t.label, t.status, t.status_reasons,"
    "   t.credentials, t.created_at, t.updated_at"
    " FROM n JOIN t ON t.k = n.i %% t.c", n, project);

  return pb_db_exec (db, sql, error);
}

static guint
count_accounts (PbDb *db)
{
  /* (The statement is the database's, kept for the next call.) */
  PbDbStmt *stmt = pb_db_stmt (db, "SELECT COUNT (*) FROM accounts");
  guint n = 0;

  if (stmt != NULL && pb_db_step (stmt) == PB_DB_ROW)
    n = (guint) pb_db_column_int64 (stmt, 0);
  if (stmt != NULL)
    pb_db_reset (stmt);
  return n;
}

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
  guint seeded;

  if ((catalog = pb_catalog_load (PB_BENCH_CATALOG, error)) == NULL
      || (db = pb_db_open (db_path, error)) == NULL
      || (crypto = pb_crypto_new_from_key_file (key_path, error)) == NULL
      || (project = pb_db_create_project (db, "Bench", "growth", "eu1", error)) == NULL
      || (*out_key = pb_db_create_key (db, project, "admin", error)) == NULL
      || !pb_seed_bulk (db, catalog, crypto, project, "growth", 200, 100, error))
    return NULL;
  seeded = count_accounts (db);
  if (seeded == 0 || (seeded < n_accounts && !add_accounts (db, project, n_accounts - seeded,
                                                            error)))
    return NULL;
  printf ("seeded %u linked accounts in %.1f s\n", count_accounts (db),
          (g_get_monotonic_time () - t0) / 1e6);
  return g_steal_pointer (&db_path);
}

static GtkWidget *
make_view (PbStore *store)
{
  return pb_accounts_view_new (store);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— benchmark the linked accounts view");
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *key = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbStore) store = NULL;
  PbTestServer *server;
  int accounts_opt = (int) n_accounts, step_opt = (int) step_px;
  GOptionEntry entries[] = {
    { "accounts", 0, 0, G_OPTION_ARG_INT, &accounts_opt,
      "Linked accounts in the project, all scrolled through (default 20000)", "N" },
    { "step", 0, 0, G_OPTION_ARG_INT, &step_opt, "Pixels scrolled per frame (default 600)", "PX" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_accounts = MAX (accounts_opt, 1);
  step_px = MAX (step_opt, 1);

  adw_init ();
  pb_views_ensure_types ();
  pb_bench_views_print_machine ();

  dir = g_dir_make_tmp ("bench-accounts-XXXXXX", &error);
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

      pb_client_list_accounts_async (client, NULL, 100, NULL, NULL, pb_bench_views_result_cb,
                                     &page_result);
      while (page_result == NULL)
        g_main_context_iteration (NULL, TRUE);
      page = pb_client_list_accounts_finish (client, page_result, &error);
      if (page == NULL)
        {
          g_printerr ("Could not list the accounts: %s\n", error->message);
          return 1;
        }
      printf ("a page of 100 accounts straight from the client (%s request): %.1f ms\n",
              i == 0 ? "first" : "second", (g_get_monotonic_time () - t0) / 1000.0);
    }

  pb_bench_views_run (store, make_view, n_accounts, step_px);
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
