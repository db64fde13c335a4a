/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pb-test-server.h"

G_BEGIN_DECLS

/* What the UI benchmarks share: clocks, a generated catalog, plugboard-server commands,
 * waiting for painted frames, and the median/p90/max lines they print. */

double  pb_bench_now_ms              (void);
/* CPU time of this thread / of the whole process (GL renderers draw in other threads), in
 * ms: less sensitive to other load on the machine than wall-clock times. */
double  pb_bench_thread_cpu_ms       (void);
double  pb_bench_process_cpu_ms      (void);

/* DIR/catalog.json with @n_connectors generated connectors ("conn00000", "Connector 00000"),
 * spread over the 12 categories, each with one API-key auth type. Returns its path. */
char   *pb_bench_write_catalog       (const char         *dir,
                                      guint               n_connectors);
/* Creates @n_integrations integrations over HTTP on the backend at @url (a few requests in
 * flight), spread over the generated connectors conn00000…; prints how long it took. */
void    pb_bench_seed_integrations   (const char         *url,
                                      const char         *key,
                                      guint               n_connectors,
                                      guint               n_integrations);
/* Runs `$PLUGBOARD_SERVER args…` and returns its stdout, trimmed; aborts on failure. */
char   *pb_bench_run_server_command  (const char * const *args);
/* A plugboard-server (no rate limit worth the name) over a new temporary directory @dir
 * named after @name: a catalog of @n_connectors generated connectors, a database with one
 * project on @plan and its admin key @key. Aborts on failure. */
PbTestServer *pb_bench_start_server  (const char         *name,
                                      guint               n_connectors,
                                      const char         *plan,
                                      char              **dir,
                                      char              **key);
/* Removes what pb_bench_start_server () left in @dir (once the server stopped), and @dir. */
void    pb_bench_remove_dir          (const char         *dir);

typedef struct
{
  gpointer data;         /* the caller's */
  guint    n_paints;
  double   last_paint;
} PbBenchFrames;

/* Connect to a frame clock's "after-paint" with the PbBenchFrames as data. */
void    pb_bench_frames_after_paint_cb (GdkFrameClock *clock,
                                        PbBenchFrames *frames);
/* Iterates until a frame is painted after @since_paints (at most 5 s); returns its time. */
double  pb_bench_wait_paint          (PbBenchFrames      *frames,
                                      guint               since_paints);

/* Sorts @values and prints "WHAT median … p90 … max … (n=…)". */
void    pb_bench_report              (const char         *what,
                                      GArray             *values);

G_END_DECLS
