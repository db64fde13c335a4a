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
