/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-bench-server"

#include "config.h"

#include "pb-bench-server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pb-server-catalog.h"
#include "pb-server-crypto.h"
#include "pb-server-seed.h"

int
pb_bench_conn_open (int port)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int one = 1;

  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    g_error ("connect: %s", g_strerror (errno));
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

PbDb *
pb_bench_seed (const char  *dir,
               const char  *plan,
               int          n_integrations,
               int          n_logs,
               char       **out_db_path,
               char       **out_project_id,
               char       **out_key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *catalog_path = pb_catalog_default_path ();
  g_autofree char *db_path = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *key_path = g_strconcat (db_path, ".key", NULL);
  g_autofree char *project_id = NULL;
  g_autoptr(PbCatalog) catalog = NULL;
  g_autoptr(PbCrypto) crypto = NULL;
  PbDb *db;

  /* The integrations use the real connectors (their auth types have config and secrets). */
  catalog = pb_catalog_load (catalog_path, &error);
  g_assert_no_error (error);
  db = pb_db_open (db_path, &error);
  g_assert_no_error (error);
  crypto = pb_crypto_new_from_key_file (key_path, &error);
  g_assert_no_error (error);
  project_id = pb_db_create_project (db, "Bench", plan, "eu1", &error);
  g_assert_no_error (error);
  *out_key = pb_db_create_key (db, project_id, "admin", &error);
  g_assert_no_error (error);
  if (!pb_seed_bulk (db, catalog, crypto, project_id, plan, n_integrations, n_logs, &error))
    g_error ("%s", error->message);

  *out_db_path = g_steal_pointer (&db_path);
  *out_project_id = g_steal_pointer (&project_id);
  return db;
}

int
pb_bench_request (PbBenchConn *c,
                  const char  *request,
                  gsize        length)
{
  gsize sent = 0, header_end = 0, content_length = 0;
  int status = 0;
  char chunk[65536];

  while (sent < length)
    {
      gssize n = write (c->fd, request + sent, length - sent);
      if (n <= 0)
        g_error ("write: %s", g_strerror (errno));
      sent += n;
    }
  g_string_truncate (c->buf, 0);
  for (;;)
    {
      gssize n;
      char *end;

      if (header_end == 0 && (end = strstr (c->buf->str, "\r\n\r\n")) != NULL)
        {
          const char *cl;
          header_end = end - c->buf->str + 4;
          status = atoi (c->buf->str + 9);
          cl = g_strstr_len (c->buf->str, header_end, "Content-Length: ");
          content_length = cl ? strtoul (cl + 16, NULL, 10) : 0;
        }
      if (header_end != 0 && c->buf->len >= header_end + content_length)
        return status;
      n = read (c->fd, chunk, sizeof chunk);
      if (n <= 0)
        g_error ("read: %s", n == 0 ? "connection closed" : g_strerror (errno));
      g_string_append_len (c->buf, chunk, n);
    }
}

typedef struct
{
  int          port;
  const char  *auth;
  GPtrArray   *ids;
  PbBenchKind  kind;
  gint64       deadline;
  guint        seed;
  GArray      *latencies;   /* double, ms */
  guint        errors;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  PbBenchConn c = { pb_bench_conn_open (w->port), g_string_sized_new (1 << 20) };
  GRand *rand = g_rand_new_with_seed (w->seed);
  guint n = 0;

  while (g_get_monotonic_time () < w->deadline)
    {
      g_autofree char *req = NULL;
      const char *id = w->ids->pdata[g_rand_int_range (rand, 0, w->ids->len)];
      gint64 start;
      double ms;
      int status, expected = 200;

      switch (w->kind)
        {
        case PB_BENCH_LIST:
          req = g_strdup_printf ("GET /integrations?page_size=25 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Authorization: Bearer %s\r\n\r\n", w->auth);
          break;
        case PB_BENCH_LIST_LOGS:
          req = g_strdup_printf ("GET /requests/logs?page_size=25 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Authorization: Bearer %s\r\n\r\n", w->auth);
          break;
        case PB_BENCH_READ:
          req = g_strdup_printf ("GET /integrations/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Authorization: Bearer %s\r\n\r\n", id, w->auth);
          break;
        case PB_BENCH_PATCH:
          {
            g_autofree char *body = g_strdup_printf ("{\"name\":\"Bench %u-%u\"}", w->seed, n);
            req = g_strdup_printf ("PATCH /integrations/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                                   "Content-Length: %zu\r\n\r\n%s", id, w->auth, strlen (body), body);
          }
          break;
        }
      start = g_get_monotonic_time ();
      status = pb_bench_request (&c, req, strlen (req));
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (w->latencies, ms);
      if (status != expected)
        w->errors++;
      n++;
    }
  close (c.fd);
  g_string_free (c.buf, TRUE);
  g_rand_free (rand);
  return NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

void
pb_bench_run (PbBenchKind    kind,
              const int     *ports,
              guint          n_ports,
              int            n_connections,
              double         seconds,
              const char    *auth,
              GPtrArray     *ids,
              PbBenchResult *out)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  Worker *workers = g_new0 (Worker, n_connections);
  GThread **threads = g_new0 (GThread *, n_connections);
  gint64 start = g_get_monotonic_time ();
  double elapsed;
  guint errors = 0;
  int i;

  for (i = 0; i < n_connections; i++)
    {
      workers[i].port = ports[i % n_ports];
      workers[i].auth = auth;
      workers[i].ids = ids;
      workers[i].kind = kind;
      workers[i].deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
      workers[i].seed = 1000 + i;
      workers[i].latencies = g_array_new (FALSE, FALSE, sizeof (double));
      threads[i] = g_thread_new ("bench", worker_run, &workers[i]);
    }
  for (i = 0; i < n_connections; i++)
    {
      g_thread_join (threads[i]);
      g_array_append_vals (all, workers[i].latencies->data, workers[i].latencies->len);
      errors += workers[i].errors;
      g_array_unref (workers[i].latencies);
    }
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_array_sort (all, compare_doubles);
  out->requests = all->len;
  out->per_second = all->len / elapsed;
  out->p50 = all->len > 0 ? g_array_index (all, double, all->len / 2) : 0;
  out->p99 = all->len > 0 ? g_array_index (all, double, (guint) (all->len * 0.99)) : 0;
  out->errors = errors;
  g_free (workers);
  g_free (threads);
}
GSubprocess *
pb_bench_serve (const char         *db_path,
                const char         *catalog_path,
                const char * const *extra_args,
                int                *out_port,
                char              **out_line)
{
  const char *binary = g_getenv ("PLUGBOARD_SERVER") ? g_getenv ("PLUGBOARD_SERVER")
                                                     : PB_SERVER_BINARY;
  const char *fixed[] = { binary, "serve", "--db", db_path, "--listen", "127.0.0.1:0",
                          "--rate-limit", "100000000", NULL };
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *server;
  char *line;
  guint i;

  for (i = 0; fixed[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) fixed[i]);
  if (catalog_path != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--catalog");
      g_ptr_array_add (argv, (gpointer) catalog_path);
    }
  for (i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);
  server = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  /* The pipe stays the server's when this stream goes. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  *out_port = atoi (strrchr (line, ':') + 1);
  *out_line = line;
  return server;
}
