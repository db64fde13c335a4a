/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-bench-server"

#include "config.h"

#include <stdio.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pb-bench-server.h"
#include "pb-server-copy.h"

/* The same project (20,000 integrations) served from SQLite and from PostgreSQL, by one server
 * and by two servers on the one database (the connections split between them): listing,
 * reading and patching, in requests per second side by side. The PostgreSQL database must be
 * empty; it gets a copy of the SQLite one (plugboard-server copy). Run it as
 *   _build/benchmarks/server/bench-engines --postgresql postgresql:///bench?host=/run/postgresql
 */

static int    n_integrations = 20000;
static int    n_logs = 20000;
static int    n_connections = 4;
static double seconds = 3.0;
static char  *postgresql = NULL;

static GOptionEntry entries[] = {
  { "postgresql", 0, 0, G_OPTION_ARG_STRING, &postgresql, "An empty PostgreSQL database (URL)", "URL" },
  { "integrations", 0, 0, G_OPTION_ARG_INT, &n_integrations, "Integrations to seed (20000)", "N" },
  { "logs", 0, 0, G_OPTION_ARG_INT, &n_logs, "Request logs to seed (20000)", "N" },
  { "connections", 0, 0, G_OPTION_ARG_INT, &n_connections, "Keep-alive connections in all (4)", "N" },
  { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Seconds per scenario (3)", "S" },
  { NULL }
};

static const struct
{
  PbBenchKind kind;
  const char *label;
} requests[] = {
  { PB_BENCH_LIST, "`GET /integrations?page_size=25`" },
  { PB_BENCH_READ, "`GET /integrations/{id}`" },
  { PB_BENCH_PATCH, "`PATCH /integrations/{id}`" },
};

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— SQLite and PostgreSQL, one and two servers");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  PbBenchResult results[G_N_ELEMENTS (requests)][4];
  const char *targets[2];
  PbDb *db;
  guint e, s, r;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (postgresql == NULL)
    {
      g_printerr ("bench-engines needs --postgresql URL of an empty database.\n");
      return 2;
    }

  dir = g_dir_make_tmp ("pb-bench-XXXXXX", &error);
  g_assert_no_error (error);
  db = pb_bench_seed (dir, "enterprise", n_integrations, n_logs, &db_path, &project_id, &key);
  {
    PbDbStmt *stmt = pb_db_stmt (db, "SELECT id FROM integrations WHERE project_id = ?");
    pb_db_bind_text (stmt, 1, project_id);
    while (pb_db_step (stmt) == PB_DB_ROW)
      g_ptr_array_add (ids, g_strdup (pb_db_column_text (stmt, 0)));
    pb_db_reset (stmt);
  }
  {
    g_autoptr(PbDb) pg = pb_db_open (postgresql, &error);

    if (pg == NULL || !pb_copy (db, pg, &error))
      g_error ("%s", error->message);
  }
  pb_db_close (db);
  key_path = g_strconcat (db_path, ".key", NULL);
  targets[0] = db_path;
  targets[1] = postgresql;
  printf ("%d integrations, %d logs; %d keep-alive connections, %.1f s per request kind, %u CPUs\n",
          n_integrations, n_logs, n_connections, seconds, g_get_num_processors ());

  for (e = 0; e < 2; e++)
    for (s = 1; s <= 2; s++)
      {
        const char *extra[] = { "--key-file", key_path, NULL };
        GSubprocess *servers[2] = { NULL, NULL };
        int ports[2];

        for (guint i = 0; i < s; i++)
          {
            g_autofree char *line = NULL;
            servers[i] = pb_bench_serve (targets[e], NULL, extra, &ports[i], &line);
          }
        for (r = 0; r < G_N_ELEMENTS (requests); r++)
          {
            PbBenchResult *result = &results[r][e * 2 + s - 1];

            pb_bench_run (requests[r].kind, ports, s, n_connections, seconds, key, ids, result);
            g_printerr ("%s, %u server(s), %s: %.0f req/s, %u errors\n",
                        e == 0 ? "SQLite" : "PostgreSQL", s, requests[r].label,
                        result->per_second, result->errors);
          }
        for (guint i = 0; i < s; i++)
          {
            g_subprocess_send_signal (servers[i], SIGTERM);
            g_subprocess_wait (servers[i], NULL, NULL);
            g_object_unref (servers[i]);
          }
      }

  printf ("\n| request | SQLite, 1 server | SQLite, 2 servers | PostgreSQL, 1 server | PostgreSQL, 2 servers |\n");
  printf ("| --- | --- | --- | --- | --- |\n");
  for (r = 0; r < G_N_ELEMENTS (requests); r++)
    {
      printf ("| %s |", requests[r].label);
      for (guint c = 0; c < 4; c++)
        printf (" %.0f req/s, p99 %.1f ms%s |", results[r][c].per_second, results[r][c].p99,
                results[r][c].errors > 0 ? " (errors!)" : "");
      printf ("\n");
    }

  {
    const char *suffixes[] = { "", "-wal", "-shm", ".key", NULL };
    for (guint i = 0; suffixes[i]; i++)
      {
        g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
