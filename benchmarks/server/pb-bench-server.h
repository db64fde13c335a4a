/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-server-db.h"

G_BEGIN_DECLS

/* What the server benchmarks share. */

/* A TCP connection to 127.0.0.1:@port without Nagle's delay (aborts on failure). */
int          pb_bench_conn_open (int          port);

/* One kept-alive connection and its read buffer. */
typedef struct
{
  int      fd;
  GString *buf;
} PbBenchConn;

/* Sends one request and reads the whole response; returns the status. */
int          pb_bench_request   (PbBenchConn *c,
                                 const char  *request,
                                 gsize        length);

typedef enum
{
  PB_BENCH_LIST,        /* GET /integrations?page_size=25 */
  PB_BENCH_LIST_LOGS,   /* GET /requests/logs?page_size=25 */
  PB_BENCH_READ,        /* GET /integrations/{id} */
  PB_BENCH_PATCH,       /* PATCH /integrations/{id} (name) */
} PbBenchKind;

typedef struct
{
  guint  requests;
  double per_second;
  double p50;           /* ms */
  double p99;
  guint  errors;
} PbBenchResult;

/* @n_connections kept-alive connections, spread over the servers on @ports, each making
 * requests of @kind (on random integrations of @ids) for @seconds. */
void         pb_bench_run       (PbBenchKind    kind,
                                 const int     *ports,
                                 guint          n_ports,
                                 int            n_connections,
                                 double         seconds,
                                 const char    *auth,
                                 GPtrArray     *ids,
                                 PbBenchResult *out);

/* DIR/bench.db (and its key file) with one project on @plan, its admin key, and
 * @n_integrations integrations and @n_logs logs seeded from the real catalog. Returns the
 * database, still open (aborts on failure). */
PbDb        *pb_bench_seed      (const char  *dir,
                                 const char  *plan,
                                 int          n_integrations,
                                 int          n_logs,
                                 char       **out_db_path,
                                 char       **out_project_id,
                                 char       **out_key);

/* `plugboard-server serve` on @db_path (and @catalog_path, nullable: the default catalog) on a
 * loopback port, rate limit lifted, with @extra_args (nullable) added. Its first line of output
 * in @out_line. */
GSubprocess *pb_bench_serve     (const char         *db_path,
                                 const char         *catalog_path,
                                 const char * const *extra_args,
                                 int                *out_port,
                                 char              **out_line);

G_END_DECLS
