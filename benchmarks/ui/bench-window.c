/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-window"

#include "config.h"

/*
 * bench-window: the main window with a big project, measured with the real widgets.
 *
 * Makes a catalog of 5,000 connectors, a database with one enterprise project, serves it with
 * `plugboard-server serve`, creates 20,000 integrations over HTTP, then opens the real window
 * on it (in this process, under the display it finds: run it in build-aux/headless-session)
 * and prints:
 *   - launch → first frame showing the list (application created → the first painted frame
 *     whose visible page is the list with rows);
 *   - search keystroke → list updated: each keystroke of a typed (then erased) search, the
 *     time until the models and the list view have taken it (synchronous) and until the next
 *     painted frame (median, p90, max);
 *   - category switch, the same two ways;
 *   - a change (an integration disabled): until its row shows it, until the backend and the
 *     cache have it, and the main thread's longest stall and CPU time meanwhile;
 *   - peak RSS (getrusage) after launch, search and category switches, and again after the
 *     change and its refresh;
 *   - another admin's change (a rename by a second client): until the window's periodic
 *     refresh shows it (the refresh interval set to a few seconds), and the bytes the app
 *     received for it, next to the bytes of the whole list at launch;
 *   - a second start (a new process) with the project cached by the first.
 *
 *   bench-window [N_CONNECTORS] [N_INTEGRATIONS]      (defaults 5000 and 20000)
 * Needs $PLUGBOARD_SERVER (meson devenv sets it).
 */

#include <adwaita.h>
#include <sys/resource.h>
#include <time.h>

#include "pb-application.h"
#include "pb-bench-ui.h"
#include "pb-store-internal.h"
#include "pb-test-server.h"
#include "pb-window-private.h"

#define OTHER_ADMIN_REFRESH_S 3

static guint
n_integrations_shown (PbWindow *window)
{
  GListModel *model = G_LIST_MODEL (PB_WINDOW (window)->grouped);
  guint n = g_list_model_get_n_items (model);
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (PB_IS_INTEGRATION (item))
        count++;
    }
  return count;
}

/* The longest the main loop went without running a 1 ms timeout: a stall. */
typedef struct
{
  double last;
  double longest;
} StallWatch;

static gboolean
stall_tick_cb (gpointer user_data)
{
  StallWatch *watch = user_data;
  double now = pb_bench_now_ms ();

  if (watch->last > 0)
    watch->longest = MAX (watch->longest, now - watch->last);
  watch->last = now;
  return G_SOURCE_CONTINUE;
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!pb_store_apply_finish (PB_STORE (source), result, NULL, &error))
    g_printerr ("the change failed: %s\n", error->message);
  *(double *) user_data = pb_bench_now_ms ();
}

/* A change on the big project, as the row's switch makes it: an integration without linked
 * accounts disabled. Prints the time until its row shows it, until the backend has it and
 * the cache is refreshed (the store's task ends), and the main thread's longest stall. */
static void
measure_change (PbWindow *window)
{
  PbStore *store = pb_ui_project_get_store (pb_window_get_project (window));
  GListModel *all = pb_store_get_integrations (store);
  g_autoptr(PbIntegration) target = NULL;
  g_autoptr(PbOperation) operation = NULL;
  StallWatch watch = { 0 };
  double start, shown = 0, done = 0, cpu;
  guint tick;

  for (guint i = 0; target == NULL && i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (all, i);

      if (pb_integration_get_active (integration) && !pb_integration_get_is_default (integration)
          && pb_integration_get_accounts_total (integration) == 0)
        target = g_steal_pointer (&integration);
    }
  g_assert_nonnull (target);
  operation = pb_operation_new_simple (PB_OPERATION_DISABLE, pb_integration_get_id (target),
                                       pb_integration_get_version (target));
  tick = g_timeout_add_full (G_PRIORITY_HIGH, 1, stall_tick_cb, &watch, NULL);
  start = pb_bench_now_ms ();
  cpu = pb_bench_thread_cpu_ms ();
  pb_store_apply_async (store, operation, NULL, NULL, applied_cb, &done);
  while (done == 0 && pb_bench_now_ms () - start < 60000)
    {
      g_main_context_iteration (NULL, TRUE);
      if (shown == 0)
        {
          PbIntegration *now = pb_store_find_integration (store, pb_integration_get_id (target),
                                                          NULL);

          if (now != NULL && !pb_integration_get_active (now))
            shown = pb_bench_now_ms ();
        }
    }
  cpu = pb_bench_thread_cpu_ms () - cpu;
  g_source_remove (tick);
  g_print ("a change (disable) → its row shows it           %7.1f ms\n", shown - start);
  g_print ("                   → backend and cache up to date %7.1f ms\n", done - start);
  g_print ("  longest main-thread stall meanwhile        %7.1f ms\n", watch.longest);
  g_print ("  CPU time of the main thread meanwhile      %7.1f ms\n", cpu);
}

static void
renamed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) integration = NULL;

  integration = pb_client_update_integration_finish (PB_CLIENT (source), result, &error);
  if (integration == NULL)
    g_printerr ("the other admin's rename failed: %s\n", error->message);
  *(double *) user_data = pb_bench_now_ms ();
}

/* Another admin renames an integration: the time until the window's store shows it (its
 * periodic refresh every OTHER_ADMIN_REFRESH_S), and the bytes the app received meanwhile. */
static void
measure_other_admin (PbWindow   *window,
                     const char *url,
                     const char *key,
                     guint64     launch_bytes)
{
  PbStore *store = pb_ui_project_get_store (pb_window_get_project (window));
  PbClient *client = pb_store_get_client (store);
  g_autoptr(PbClient) other = pb_client_new (url, key);
  g_autoptr(PbIntegration) target = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autofree char *name = g_strdup_printf ("Renamed by another admin %08x", g_random_int ());
  GListModel *all = pb_store_get_integrations (store);
  double renamed = 0, shown = 0, start;
  guint64 bytes;
  guint requests;

  target = g_list_model_get_item (all, g_list_model_get_n_items (all) / 2);
  pb_store_set_refresh_interval (store, OTHER_ADMIN_REFRESH_S);
  json_object_set_string_member (patch, "name", name);
  bytes = pb_client_get_n_bytes_received (client);
  requests = pb_client_get_n_requests (client);
  start = pb_bench_now_ms ();
  pb_client_update_integration_async (other, pb_integration_get_id (target), patch, -1, NULL,
                                      renamed_cb, &renamed);
  while (shown == 0 && pb_bench_now_ms () - start < 3 * OTHER_ADMIN_REFRESH_S * 1000)
    {
      PbIntegration *now;

      g_main_context_iteration (NULL, TRUE);
      now = pb_store_find_integration (store, pb_integration_get_id (target), NULL);
      if (renamed > 0 && now != NULL && g_strcmp0 (pb_integration_get_name (now), name) == 0)
        shown = pb_bench_now_ms ();
    }
  if (shown == 0)
    g_print ("another admin's change → shown: not within %d s\n", 3 * OTHER_ADMIN_REFRESH_S);
  else
    g_print ("another admin's change → shown in the window  %7.0f ms   (refresh every %d s)\n",
             shown - renamed, OTHER_ADMIN_REFRESH_S);
  g_print ("  received for it: %" G_GUINT64_FORMAT " bytes in %u requests"
           "   (the whole list at launch: %" G_GUINT64_FORMAT " bytes)\n",
           pb_client_get_n_bytes_received (client) - bytes,
           pb_client_get_n_requests (client) - requests, launch_bytes);
}

/* Creates and activates the application, then iterates until a painted frame shows the
 * list with rows (at most 60 s after @t0). Returns the window; times in ms since @t0. */
static PbWindow *
launch (PbApplication **out_app,
        PbBenchFrames  *frames,
        double          t0,
        double         *t_activated,
        double         *t_any_frame,
        double         *t_first)
{
  g_autoptr(GError) error = NULL;
  PbApplication *app = pb_application_new ();
  PbWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  *t_activated = pb_bench_now_ms () - t0;
  window = PB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  *frames = (PbBenchFrames) { .data = window };
  *t_any_frame = *t_first = 0;
  while (!gtk_widget_get_realized (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (pb_bench_frames_after_paint_cb), frames);
  while (pb_bench_now_ms () - t0 < 60000)
    {
      guint paints = frames->n_paints;

      g_main_context_iteration (NULL, TRUE);
      if (frames->n_paints != paints && *t_any_frame == 0)
        *t_any_frame = frames->last_paint - t0;
      if (frames->n_paints != paints
          && g_strcmp0 (pb_window_get_visible_page (window), "list") == 0
          && g_list_model_get_n_items (G_LIST_MODEL (PB_WINDOW (window)->grouped)) > 0)
        {
          *t_first = frames->last_paint - t0;
          break;
        }
    }
  *out_app = app;
  return window;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char *argv[])
{
  guint n_connectors = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5000;
  guint n_integrations = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 20000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *key = NULL;
  g_autoptr(PbTestServer) server = NULL;
  g_autoptr(PbApplication) app = NULL;
  PbBenchFrames frames = { 0 };
  PbWindow *window;
  double t0, t1, t_first = 0, t_init = 0, t_activated = 0, t_any_frame = 0;
  g_autoptr(GArray) key_sync = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) key_frame = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cat_sync = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cat_frame = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) key_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cat_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  const char *query = "Integration 01234";
  struct rusage usage;
  double rss_before_change, rss_after_change;
  guint64 launch_bytes;
  GtkListBox *sidebar;

  /* Wakes the blocking main-loop iterations below so that their deadlines are checked. */
  g_timeout_add (20, tick_cb, NULL);
  setvbuf (stdout, NULL, _IOLBF, 0);

  if (argc > 1 && g_str_equal (argv[1], "--launch-only"))
    {
      /* The second start (step 6): backend and key from the environment the first set. */
      t0 = pb_bench_now_ms ();
      gtk_init ();
      adw_init ();
      window = launch (&app, &frames, t0, &t_activated, &t_any_frame, &t_first);
      g_print ("second start, project cached → list frame  %7.0f ms   (%u integrations shown)\n",
               t_first, n_integrations_shown (window));
      gtk_window_destroy (GTK_WINDOW (window));
      g_clear_object (&app);
      return 0;
    }

  if (g_getenv ("PLUGBOARD_SERVER") == NULL)
    {
      g_printerr ("Set PLUGBOARD_SERVER (or run through `meson devenv`).\n");
      return 2;
    }
  /* Loopback only: no proxy lookups (see tests/ui/test-window.c). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  /* 1. The server: catalog, database, project, key. */
  server = pb_bench_start_server ("bench-window", n_connectors, "enterprise", &dir, &key);

  /* 2. The integrations, over HTTP. */
  pb_bench_seed_integrations (pb_test_server_get_url (server), key, n_connectors,
                              n_integrations);

  /* 3. The window: launch → first frame showing the list. */
  g_setenv ("PLUGBOARD_BACKEND_URL", pb_test_server_get_url (server), TRUE);
  g_setenv ("PLUGBOARD_API_KEY", key, TRUE);
  t0 = pb_bench_now_ms ();
  gtk_init ();
  adw_init ();
  t_init = pb_bench_now_ms ();
  window = launch (&app, &frames, t0, &t_activated, &t_any_frame, &t_first);
  g_print ("launch → first frame showing the list        %7.0f ms   (%u integrations shown)\n",
           t_first, n_integrations_shown (window));
  g_print ("  of which: GTK and libadwaita initialised       %7.0f ms\n", t_init - t0);
  g_print ("            window built (activate returned)     %7.0f ms\n", t_activated);
  g_print ("            first frame of any page              %7.0f ms\n", t_any_frame);
  g_print ("renderer: %s\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));

  /* Let the first frames settle. */
  for (t1 = pb_bench_now_ms (); pb_bench_now_ms () - t1 < 500;)
    g_main_context_iteration (NULL, FALSE);

  /* 4. Search: type the query one key at a time, then erase it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  pb_bench_wait_paint (&frames, frames.n_paints);
  for (int step = 1; step <= 2 * (int) strlen (query); step++)
    {
      int len = step <= (int) strlen (query) ? step : 2 * (int) strlen (query) - step;
      g_autofree char *text = g_strndup (query, len);
      guint paints;
      double start, synced, painted, cpu;

      pb_bench_wait_paint (&frames, frames.n_paints);
      paints = frames.n_paints;
      start = pb_bench_now_ms ();
      cpu = pb_bench_thread_cpu_ms ();
      gtk_editable_set_text (GTK_EDITABLE (PB_WINDOW (window)->search_entry), text);
      synced = pb_bench_now_ms ();
      g_array_append_val (key_cpu, (double) { pb_bench_thread_cpu_ms () - cpu });
      painted = pb_bench_wait_paint (&frames, paints);
      g_array_append_val (key_sync, (double) { synced - start });
      g_array_append_val (key_frame, (double) { painted - start });
      if (len == (int) strlen (query) && step == len)
        g_print ("(after typing “%s”: %u integrations shown)\n", query,
                 n_integrations_shown (window));
    }

  /* 5. Category switch: every category, then All. */
  sidebar = PB_WINDOW (window)->category_list;
  for (int round = 0; round < 2; round++)
    for (int i = 1; gtk_list_box_get_row_at_index (sidebar, i) != NULL; i++)
      {
        GtkListBoxRow *row = gtk_list_box_get_row_at_index (sidebar, round == 0 ? i : 0);
        guint paints;
        double start, synced, painted, cpu;

        pb_bench_wait_paint (&frames, frames.n_paints);
        paints = frames.n_paints;
        start = pb_bench_now_ms ();
        cpu = pb_bench_thread_cpu_ms ();
        gtk_list_box_select_row (sidebar, row);
        synced = pb_bench_now_ms ();
        g_array_append_val (cat_cpu, (double) { pb_bench_thread_cpu_ms () - cpu });
        painted = pb_bench_wait_paint (&frames, paints);
        g_array_append_val (cat_sync, (double) { synced - start });
        g_array_append_val (cat_frame, (double) { painted - start });
        if (round == 1)
          break;
      }

  getrusage (RUSAGE_SELF, &usage);
  rss_before_change = usage.ru_maxrss / 1024.0;

  /* 6. A change on the big project; then another admin's. */
  launch_bytes = pb_client_get_n_bytes_received (
    pb_store_get_client (pb_ui_project_get_store (pb_window_get_project (window))));
  measure_change (window);
  getrusage (RUSAGE_SELF, &usage);
  rss_after_change = usage.ru_maxrss / 1024.0;
  measure_other_admin (window, pb_test_server_get_url (server), key, launch_bytes);

  pb_bench_report ("search keystroke → models and list updated", key_sync);
  pb_bench_report ("  the same, CPU time of the main thread", key_cpu);
  pb_bench_report ("search keystroke → next frame painted", key_frame);
  pb_bench_report ("category switch → models and list updated", cat_sync);
  pb_bench_report ("  the same, CPU time of the main thread", cat_cpu);
  pb_bench_report ("category switch → next frame painted", cat_frame);

  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak RSS (launch, search, category switches)  %7.1f MB\n", rss_before_change);
  g_print ("peak RSS with the change and its refresh      %7.1f MB\n", rss_after_change);
  g_print ("peak RSS with another admin's change too      %7.1f MB\n",
           usage.ru_maxrss / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);

  /* 7. A second start, as every later one is: a new process, with the project cached on disk
   * by the first (the cache is shown while the backend is asked). */
  {
    g_autoptr(GSubprocess) again = NULL;

    for (t1 = pb_bench_now_ms (); pb_bench_now_ms () - t1 < 500;)
      g_main_context_iteration (NULL, FALSE);
    again = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, argv[0], "--launch-only", NULL);
    g_assert_no_error (error);
    g_subprocess_wait (again, NULL, &error);
    g_assert_no_error (error);
  }
  pb_test_server_stop (g_steal_pointer (&server));
  pb_bench_remove_dir (dir);
  return 0;
}
