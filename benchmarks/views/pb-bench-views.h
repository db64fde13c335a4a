/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-views-private.h"
#include "pb-test-server.h"

G_BEGIN_DECLS

/* The measurements the paged views' benchmarks share (pb-bench-views.c). */

/* The processors and the load average, printed first: figures depend on them. */
void pb_bench_views_print_machine (void);

/* Presents a window, then the view @make_view makes over @store in it, and prints: the time
 * to the first frame painted with entries (and when the page arrived), frame times while
 * scrolling @step_px a frame until @n_entries are loaded and shown, and RSS growth. */
void pb_bench_views_run           (PbStore    *store,
                                   GtkWidget *(*make_view) (PbStore *store),
                                   guint       n_entries,
                                   guint       step_px);

/* Serves @db_path with plugboard-server (in its own process) and loads its project as @key
 * sees it; NULL with @error when either fails. @out_server is to be stopped by the caller. */
PbStore *pb_bench_views_open_store (const char    *db_path,
                                    const char    *key,
                                    PbTestServer **out_server,
                                    PbClient     **out_client,
                                    GError       **error);

/* A GAsyncReadyCallback that puts a reference to the result into @user_data (a
 * GAsyncResult **), for the loops that wait for it. */
void pb_bench_views_result_cb     (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data);

G_END_DECLS
