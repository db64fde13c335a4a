/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-views"

#include "config.h"

#include "pb-bench-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* What the benchmarks of the paged views (linked accounts, request logs) measure alike: the
 * first page painted after the view is made, then frames while scrolling through its pages
 * as the view fetches them on its own, and the memory that takes. */

typedef struct
{
  GtkWidget *window;
  PbPagedView *view;
  GMainLoop *loop;

  gint64 t_open;
  gint64 t_listed;      /* the first page arrived and the list is shown */
  gint64 t_first_page;
  gint64 cpu_open;
  gint64 cpu_first_page;

  gboolean scrolling;
  gint64 frame_start;
  gint64 frame_cpu_start;
  gint64 last_frame_end;
  GArray *work_ms;      /* per frame: update → after-paint */
  GArray *cpu_ms;       /* per frame: CPU time of the main thread, update → after-paint */
  GArray *interval_ms;  /* between two frame ends while scrolling */
  long rss_start_kb;
  long rss_end_kb;
  gint64 t_scroll_start;
  gint64 t_scroll_end;
  guint stalls;         /* frames that found the list at its end, waiting for a page */
  guint n_entries;
  guint step_px;
} Bench;

/* CPU time of this thread, µs: what the view costs, whatever else the machine runs. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static long
rss_kb (void)
{
  g_autofree char *text = NULL;
  long pages = 0, resident = 0;

  if (g_file_get_contents ("/proc/self/statm", &text, NULL, NULL))
    sscanf (text, "%ld %ld", &pages, &resident);
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
print_stats (const char *what,
             GArray     *values)
{
  double sum = 0;
  guint over = 0;

  if (values->len == 0)
    {
      printf ("%s: no frames\n", what);
      return;
    }
  g_array_sort (values, compare_doubles);
  for (guint i = 0; i < values->len; i++)
    {
      sum += g_array_index (values, double, i);
      over += g_array_index (values, double, i) > 16.0;
    }
  printf ("%s:\n  %u frames, mean %.2f ms, median %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms, "
          "over 16 ms: %u\n", what, values->len, sum / values->len,
          g_array_index (values, double, values->len / 2),
          g_array_index (values, double, (guint) (values->len * 0.95)),
          g_array_index (values, double, (guint) (values->len * 0.99)),
          g_array_index (values, double, values->len - 1), over);
}

static void
on_update_cb (GdkFrameClock *clock,
              Bench         *bench)
{
  bench->frame_start = g_get_monotonic_time ();
  bench->frame_cpu_start = thread_cpu_us ();
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();
  GListModel *model = G_LIST_MODEL (pb_paged_view_get_model (bench->view));

  if (bench->t_first_page == 0 && model != NULL && g_list_model_get_n_items (model) > 0)
    {
      bench->t_first_page = now;
      bench->cpu_first_page = thread_cpu_us ();
    }

  if (bench->scrolling && bench->frame_start != 0)
    {
      double work = (now - bench->frame_start) / 1000.0;
      double cpu = (thread_cpu_us () - bench->frame_cpu_start) / 1000.0;
      g_array_append_val (bench->work_ms, work);
      g_array_append_val (bench->cpu_ms, cpu);
      if (bench->last_frame_end != 0)
        {
          double interval = (now - bench->last_frame_end) / 1000.0;
          g_array_append_val (bench->interval_ms, interval);
        }
      bench->last_frame_end = now;
    }
}

/* Scrolls like a fast flick of the wheel: step_px each frame; the view fetches the next page
 * by itself when the end of what is loaded comes near. */
static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Bench *bench = user_data;
  GtkAdjustment *adjustment = pb_paged_view_get_vadjustment (bench->view);
  GListModel *model = G_LIST_MODEL (pb_paged_view_get_model (bench->view));
  double value = gtk_adjustment_get_value (adjustment);
  double max = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (g_list_model_get_n_items (model) >= bench->n_entries && value >= max - 1)
    {
      bench->scrolling = FALSE;
      bench->t_scroll_end = g_get_monotonic_time ();
      bench->rss_end_kb = rss_kb ();
      g_main_loop_quit (bench->loop);
      return G_SOURCE_REMOVE;
    }
  if (value >= max - 1)
    bench->stalls++;
  gtk_adjustment_set_value (adjustment, MIN (value + bench->step_px, max));
  return G_SOURCE_CONTINUE;
}

static void
on_state_cb (PbPagedView *view,
             GParamSpec  *pspec,
             Bench       *bench)
{
  if (bench->t_listed == 0 && pb_paged_view_get_state (view) == PB_PAGED_VIEW_STATE_LIST)
    bench->t_listed = g_get_monotonic_time ();
}

static gboolean
first_page_cb (gpointer user_data)
{
  Bench *bench = user_data;

  if (bench->t_first_page == 0)
    return G_SOURCE_CONTINUE;

  printf ("first page shown after opening the view: %.1f ms (target < 300 ms); the page "
          "arrived after %.1f ms; main-thread CPU time until the first page was painted: "
          "%.1f ms\n",
          (bench->t_first_page - bench->t_open) / 1000.0,
          (bench->t_listed - bench->t_open) / 1000.0,
          (bench->cpu_first_page - bench->cpu_open) / 1000.0);
  fflush (stdout);

  bench->rss_start_kb = rss_kb ();
  bench->t_scroll_start = g_get_monotonic_time ();
  bench->scrolling = TRUE;
  gtk_widget_add_tick_callback (GTK_WIDGET (bench->view), scroll_tick_cb, bench, NULL);
  return G_SOURCE_REMOVE;
}

void
pb_bench_views_result_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void
pb_bench_views_print_machine (void)
{
  double load[3];

  if (getloadavg (load, 3) == 3)
    printf ("machine: %u processors, load average %.2f\n", g_get_num_processors (), load[0]);
}

void
pb_bench_views_run (PbStore    *store,
                    GtkWidget *(*make_view) (PbStore *store),
                    guint       n_entries,
                    guint       step_px)
{
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GArray) work = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) interval = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  Bench bench = { 0 };
  GdkFrameClock *clock;

  bench.n_entries = n_entries;
  bench.step_px = step_px;
  /* The window first (as when the app runs), then the view: what is timed is the view. */
  loop = g_main_loop_new (NULL, FALSE);
  bench.loop = loop;
  bench.work_ms = work;
  bench.interval_ms = interval;
  bench.cpu_ms = cpu;
  bench.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1000, 800);
  gtk_window_present (GTK_WINDOW (bench.window));
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  clock = gtk_widget_get_frame_clock (bench.window);
  g_signal_connect (clock, "update", G_CALLBACK (on_update_cb), &bench);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &bench);

  bench.t_open = g_get_monotonic_time ();
  bench.cpu_open = thread_cpu_us ();
  bench.view = PB_PAGED_VIEW (make_view (store));
  g_signal_connect (bench.view, "notify::state", G_CALLBACK (on_state_cb), &bench);
  gtk_window_set_child (GTK_WINDOW (bench.window), GTK_WIDGET (bench.view));
  printf ("view built and put in the window in %.1f ms (main-thread CPU %.1f ms)\n",
          (g_get_monotonic_time () - bench.t_open) / 1000.0,
          (thread_cpu_us () - bench.cpu_open) / 1000.0);
  g_timeout_add (5, first_page_cb, &bench);

  g_main_loop_run (loop);

  printf ("scrolled through %u entries (%u px a frame) in %.1f s; frames that waited at the "
          "end for a page: %u\n",
          g_list_model_get_n_items (G_LIST_MODEL (pb_paged_view_get_model (bench.view))), bench.step_px,
          (bench.t_scroll_end - bench.t_scroll_start) / 1e6, bench.stalls);
  print_stats ("frame work (update → after-paint)", work);
  print_stats ("frame CPU time (main thread, update → after-paint)", cpu);
  print_stats ("frame interval", interval);
  printf ("RSS: %.1f MB at the first page, %.1f MB after %u entries: growth %.1f MB "
          "(target < 50 MB)\n", bench.rss_start_kb / 1024.0, bench.rss_end_kb / 1024.0,
          bench.n_entries, (bench.rss_end_kb - bench.rss_start_kb) / 1024.0);

  gtk_window_destroy (GTK_WINDOW (bench.window));
}

PbStore *
pb_bench_views_open_store (const char    *db_path,
                           const char    *key,
                           PbTestServer **out_server,
                           PbClient     **out_client,
                           GError       **error)
{
  const char *args[] = { "serve", "--db", db_path, "--listen", "127.0.0.1:0",
                         "--rate-limit", "1000000", NULL };
  g_autoptr(PbSecrets) secrets = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PbTestServer *server;

  if (g_getenv ("PLUGBOARD_SERVER") == NULL)
    g_setenv ("PLUGBOARD_SERVER", PB_BENCH_SERVER, TRUE);
  server = pb_test_server_start (args, error);
  if (server == NULL)
    {
      g_prefix_error (error, "Could not start the server: ");
      return NULL;
    }
  *out_server = server;
  *out_client = pb_client_new (pb_test_server_get_url (server), key);
  secrets = pb_secrets_new ();
  store = pb_store_new (*out_client, secrets, pb_test_server_get_url (server), NULL);
  pb_store_load_async (store, NULL, pb_bench_views_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!pb_store_load_finish (store, result, error))
    {
      g_prefix_error (error, "Could not load the project: ");
      return NULL;
    }
  return g_steal_pointer (&store);
}
