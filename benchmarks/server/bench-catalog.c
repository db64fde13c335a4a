/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-bench-catalog"

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
#include <json-glib/json-glib.h>

#include "pb-bench-catalog.h"
#include "pb-bench-server.h"
#include "pb-server-catalog.h"

/* Times, with a large catalog (the real connectors plus generated ones, 5,000 by default):
 * its load as the server does at start (read, checked, prepared), and against the real
 * plugboard-server the two big reads of the app's launch: GET /connectors, the first request
 * and repeated ones, and GET /integrations?page_size=1000 over 20,000 integrations.
 * Prints medians of --runs (10). Run it as
 *   meson devenv -C _build benchmarks/server/bench-catalog [--connectors 5000] */

static int n_connectors = 5000;
static int n_integrations = 20000;
static int n_runs = 10;


/* The real catalog's connectors plus generated ones up to @n in total. */
static char *
write_catalog (const char *dir,
               const char *real_path,
               int         n)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "catalog.json", NULL);
  JsonArray *connectors;
  int i;

  if (!json_parser_load_from_file (parser, real_path, &error))
    g_error ("%s", error->message);
  connectors = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                             "connectors");
  for (i = json_array_get_length (connectors); i < n; i++)
    json_array_add_element (connectors, pb_bench_connector_new (i, TRUE));
  json_generator_set_root (gen, json_parser_get_root (parser));
  if (!json_generator_to_file (gen, path, &error))
    g_error ("Could not write the catalog: %s", error->message);
  return path;
}

/* GET @path on the keep-alive connection @fd; the body in @body; returns milliseconds. */
static double
get (int         fd,
     const char *path,
     const char *key,
     GString    *body)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n\r\n", path, key);
  g_autoptr(GString) buf = g_string_sized_new (1 << 20);
  gint64 start = g_get_monotonic_time ();
  gsize sent = 0, length = strlen (request), header_end = 0, content_length = 0;
  char chunk[65536];

  while (sent < length)
    {
      gssize n = write (fd, request + sent, length - sent);
      if (n <= 0)
        g_error ("write: %s", g_strerror (errno));
      sent += n;
    }
  for (;;)
    {
      gssize n;
      char *end;

      if (header_end == 0 && (end = strstr (buf->str, "\r\n\r\n")) != NULL)
        {
          const char *cl;
          header_end = end - buf->str + 4;
          if (atoi (buf->str + 9) != 200)
            g_error ("GET %s: %.*s", path, (int) buf->len, buf->str);
          cl = g_strstr_len (buf->str, header_end, "Content-Length: ");
          content_length = cl ? strtoul (cl + 16, NULL, 10) : 0;
        }
      if (header_end != 0 && buf->len >= header_end + content_length)
        break;
      n = read (fd, chunk, sizeof chunk);
      if (n <= 0)
        g_error ("read: %s", n == 0 ? "connection closed" : g_strerror (errno));
      g_string_append_len (buf, chunk, n);
    }
  if (body != NULL)
    {
      g_string_truncate (body, 0);
      g_string_append_len (body, buf->str + header_end, content_length);
    }
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

/* The "next" cursor of a page, or NULL. */
static char *
next_cursor (GString *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *page;

  if (!json_parser_load_from_data (parser, body->str, body->len, NULL))
    g_error ("not JSON");
  page = json_node_get_object (json_parser_get_root (parser));
  return g_strdup (json_object_get_string_member_with_default (page, "next", NULL));
}

static GOptionEntry entries[] = {
  { "connectors", 0, 0, G_OPTION_ARG_INT, &n_connectors, "Connectors in the catalog (5000)", "N" },
  { "integrations", 0, 0, G_OPTION_ARG_INT, &n_integrations, "Integrations to seed (20000)", "N" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs per figure (10)", "N" },
  { NULL }
};

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— time GET /connectors and big pages");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *real_catalog = pb_catalog_default_path ();
  g_autofree char *catalog_path = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *key = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  const char * const queries[] = { "/connectors", "/connectors?category=crm",
                                   "/connectors?q=connector%2001", "/connectors?include_unavailable=false" };
  double ms, total;
  int fd, port, i, pages;
  gsize q;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  dir = g_dir_make_tmp ("pb-bench-XXXXXX", &error);
  g_assert_no_error (error);
  catalog_path = write_catalog (dir, real_catalog, n_connectors);
  pb_db_close (pb_bench_seed (dir, "growth", n_integrations, 0, &db_path, &project_id, &key));
  server = pb_bench_serve (db_path, catalog_path, NULL, &port, &line);
  fd = pb_bench_conn_open (port);
  printf ("%d connectors, %d integrations (plan growth), %d runs per figure\n",
          n_connectors, n_integrations, n_runs);

  /* What the server does with the catalog at start: read, validate, prepare the pieces. */
  for (i = 0; i < n_runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(PbCatalog) catalog = pb_catalog_load (catalog_path, &error);

      g_assert_no_error (error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
    }
  printf ("catalog loaded (read, checked, prepared)     median %7.2f ms\n", median (times));
  g_array_set_size (times, 0);

  /* The first request checks the key (slow on purpose, then remembered): not counted below. */
  printf ("GET /project (first request, checks the key)  %7.2f ms\n", get (fd, "/project", key, NULL));
  for (q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      ms = get (fd, queries[q], key, body);
      g_array_set_size (times, 0);
      for (i = 0; i < n_runs; i++)
        {
          double t = get (fd, queries[q], key, NULL);
          g_array_append_val (times, t);
        }
      printf ("GET %-40s %8zu bytes  first %7.2f ms  then median %7.2f ms\n", queries[q],
              body->len, ms, median (times));
    }

  g_array_set_size (times, 0);
  for (i = 0; i < n_runs; i++)
    {
      ms = get (fd, "/integrations?page_size=1000", key, NULL);
      g_array_append_val (times, ms);
    }
  printf ("GET /integrations?page_size=1000 (first page)  median %7.2f ms\n", median (times));

  g_array_set_size (times, 0);
  for (i = 0; i < n_runs; i++)
    {
      g_autofree char *cursor = NULL;

      total = 0;
      pages = 0;
      do
        {
          g_autofree char *path = cursor
            ? g_strdup_printf ("/integrations?page_size=1000&next=%s", cursor)
            : g_strdup ("/integrations?page_size=1000");
          g_free (cursor);
          total += get (fd, path, key, body);
          cursor = next_cursor (body);
          pages++;
        }
      while (cursor != NULL);
      ms = total / pages;
      g_array_append_val (times, ms);
    }
  printf ("GET /integrations?page_size=1000 (all pages)   median %7.2f ms a page\n", median (times));

  close (fd);
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  {
    const char *files[] = { "bench.db", "bench.db-wal", "bench.db-shm", "bench.db.key", "catalog.json", NULL };
    for (i = 0; files[i]; i++)
      {
        g_autofree char *path = g_build_filename (dir, files[i], NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
