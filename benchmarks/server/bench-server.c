/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-bench-server"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pb-bench-server.h"

/* Fills a project with many integrations and logs, serves it with the real plugboard-server,
 * and measures requests per second and latency over keep-alive loopback connections.
 * With --fresh N it then makes N requests each on a new connection and checks that the server's
 * open files come back to where they were. Run it as
 *   meson devenv -C _build benchmarks/server/bench-server [--fresh 25000] [--idle 500]
 * With --idle N it holds N idle kept-alive connections and shows the server's memory. */

static int    n_integrations = 20000;
static int    n_logs = 200000;
static int    n_connections = 4;
static double seconds = 3.0;
static int    n_fresh = 0;
static int    n_idle = 0;
static char **server_args = NULL;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
run_scenario (const char  *label,
              PbBenchKind  kind,
              int          port,
              const char  *auth,
              GPtrArray   *ids)
{
  PbBenchResult r;

  pb_bench_run (kind, &port, 1, n_connections, seconds, auth, ids, &r);
  printf ("%-34s %8u req  %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %u\n", label,
          r.requests, r.per_second, r.p50, r.p99, r.errors);
  fflush (stdout);
}

static int
count_fds (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "fd", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  int n = 0;

  if (dir == NULL)
    return -1;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* The resident memory of process @pid in KiB, or -1. */
static long
resident_kib (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "status", NULL);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, "VmRSS:")) == NULL)
    return -1;
  return strtol (line + strlen ("VmRSS:"), NULL, 10);
}

/* @n_fresh requests, each on a new connection that the client closes after the answer: the server
 * must close its side too, so its open files come back to where they were. */
static void
run_fresh (int         port,
           const char *auth,
           GPtrArray  *ids,
           const char *pid)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  PbBenchConn c = { -1, g_string_sized_new (1 << 16) };
  int fds_before = count_fds (pid), fds_after;
  long rss_before = resident_kib (pid);
  gint64 start = g_get_monotonic_time (), settle;
  guint errors = 0;
  double elapsed;
  int i;

  for (i = 0; i < n_fresh; i++)
    {
      g_autofree char *req = g_strdup_printf ("GET /integrations/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n\r\n",
                                              (char *) ids->pdata[i % ids->len], auth);
      gint64 t = g_get_monotonic_time ();
      double ms;

      c.fd = pb_bench_conn_open (port);
      if (pb_bench_request (&c, req, strlen (req)) != 200)
        errors++;
      close (c.fd);
      ms = (g_get_monotonic_time () - t) / 1000.0;
      g_array_append_val (all, ms);
    }
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  /* The server notices the last closes within a main loop turn or two. */
  settle = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while ((fds_after = count_fds (pid)) > fds_before && g_get_monotonic_time () < settle)
    g_usleep (20000);
  g_array_sort (all, compare_doubles);
  printf ("%-34s %8u req  %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %u\n",
          "GET /integrations/{id}, new conn", all->len, all->len / elapsed,
          g_array_index (all, double, all->len / 2),
          g_array_index (all, double, (guint) (all->len * 0.99)), errors);
  printf ("server open files: %d before, %d after %d new connections%s; resident memory %ld KiB "
          "before, %ld KiB after\n", fds_before, fds_after, n_fresh,
          fds_after > fds_before + 2 ? " (LEAK)" : "", rss_before, resident_kib (pid));
  fflush (stdout);
  g_string_free (c.buf, TRUE);
}

/* @n_idle kept-alive connections that made one request each and then wait: the server's
 * resident memory with them, and the latency of requests on another connection meanwhile. */
static void
run_idle (int         port,
          const char *auth,
          GPtrArray  *ids,
          const char *pid)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  PbBenchConn *idle = g_new0 (PbBenchConn, n_idle);
  PbBenchConn c = { pb_bench_conn_open (port), g_string_sized_new (1 << 16) };
  long rss_before = resident_kib (pid), rss_idle;
  guint errors = 0;
  int i;

  for (i = 0; i < n_idle; i++)
    {
      g_autofree char *req = g_strdup_printf ("GET /integrations/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n\r\n",
                                              (char *) ids->pdata[i % ids->len], auth);
      idle[i].fd = pb_bench_conn_open (port);
      idle[i].buf = g_string_sized_new (4096);
      if (pb_bench_request (&idle[i], req, strlen (req)) != 200)
        errors++;
    }
  g_usleep (G_USEC_PER_SEC / 5);
  rss_idle = resident_kib (pid);
  for (i = 0; i < 2000; i++)
    {
      g_autofree char *req = g_strdup_printf ("GET /integrations/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n\r\n",
                                              (char *) ids->pdata[i % ids->len], auth);
      gint64 t = g_get_monotonic_time ();
      double ms;

      if (pb_bench_request (&c, req, strlen (req)) != 200)
        errors++;
      ms = (g_get_monotonic_time () - t) / 1000.0;
      g_array_append_val (all, ms);
    }
  g_array_sort (all, compare_doubles);
  printf ("%d idle connections: server resident memory %ld KiB before, %ld KiB with them; "
          "GET /integrations/{id} meanwhile p50 %.3f ms p99 %.3f ms; errors %u\n", n_idle,
          rss_before, rss_idle, g_array_index (all, double, all->len / 2),
          g_array_index (all, double, (guint) (all->len * 0.99)), errors);
  fflush (stdout);
  for (i = 0; i < n_idle; i++)
    {
      close (idle[i].fd);
      g_string_free (idle[i].buf, TRUE);
    }
  g_free (idle);
  close (c.fd);
  g_string_free (c.buf, TRUE);
}

static GOptionEntry entries[] = {
  { "integrations", 0, 0, G_OPTION_ARG_INT, &n_integrations, "Integrations to seed (20000)", "N" },
  { "logs", 0, 0, G_OPTION_ARG_INT, &n_logs, "Request logs to seed (200000)", "N" },
  { "connections", 0, 0, G_OPTION_ARG_INT, &n_connections, "Keep-alive connections (4)", "N" },
  { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Seconds per scenario (3)", "S" },
  { "fresh", 0, 0, G_OPTION_ARG_INT, &n_fresh,
    "Also make N requests each on a new connection and compare the server's open files (0)", "N" },
  { "idle", 0, 0, G_OPTION_ARG_INT, &n_idle,
    "Also hold N idle kept-alive connections and show the server's memory with them (0)", "N" },
  { "server-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &server_args,
    "Pass ARG to plugboard-server serve (repeat for more)", "ARG" },
  { NULL }
};

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— benchmark plugboard-server");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *key = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  PbDb *db;
  gint64 start;
  int port;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  dir = g_dir_make_tmp ("pb-bench-XXXXXX", &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  db = pb_bench_seed (dir, "enterprise", n_integrations, n_logs, &db_path, &project_id, &key);
  printf ("seeded %d integrations and %d logs in %.2f s (one transaction)\n", n_integrations, n_logs,
          (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  {
    PbDbStmt *stmt = pb_db_stmt (db, "SELECT id FROM integrations WHERE project_id = ?");
    pb_db_bind_text (stmt, 1, project_id);
    while (pb_db_step (stmt) == PB_DB_ROW)
      g_ptr_array_add (ids, g_strdup (pb_db_column_text (stmt, 0)));
    pb_db_reset (stmt);
  }
  pb_db_close (db);

  server = pb_bench_serve (db_path, NULL, (const char * const *) server_args, &port, &line);
  printf ("server %s, %d keep-alive connections, %.1f s per scenario, %u CPUs\n",
          line, n_connections, seconds, g_get_num_processors ());

  run_scenario ("GET /integrations?page_size=25", PB_BENCH_LIST, port, key, ids);
  run_scenario ("GET /integrations/{id}", PB_BENCH_READ, port, key, ids);
  run_scenario ("PATCH /integrations/{id} (name)", PB_BENCH_PATCH, port, key, ids);
  run_scenario ("GET /requests/logs?page_size=25", PB_BENCH_LIST_LOGS, port, key, ids);
  if (n_fresh > 0)
    run_fresh (port, key, ids, g_subprocess_get_identifier (server));
  if (n_idle > 0)
    run_idle (port, key, ids, g_subprocess_get_identifier (server));

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  {
    const char *suffixes[] = { "", "-wal", "-shm", ".key", NULL };
    int i;
    for (i = 0; suffixes[i]; i++)
      {
        g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
