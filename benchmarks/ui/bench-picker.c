/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-picker"

#include "config.h"

/*
 * bench-picker: the connector picker (the + button, Ctrl+N) over thousands of connectors,
 * measured with the real widgets (it must stay instant with thousands of connectors).
 *
 * Makes a catalog of N connectors, a database with one project, serves it with
 * `plugboard-server serve --catalog`, loads a PbStore from it as the app does, then opens the
 * picker through pb_editor_present_new() (what the + button and Ctrl+N call), in this
 * process, under the display it finds (run it in build-aux/headless-session), and prints:
 *   - open → first painted frame of the picker (the first one in the process, which also
 *     sets up fonts and the renderer, and a second one, as when the main window is open);
 *   - search keystroke: a query typed one key at a time, then erased (“Connector 0123”, a
 *     query that matches nothing, a category's name), each keystroke measured until the
 *     models and the list view have taken it (synchronous) and until the next painted
 *     frame (median, p90, max), and the CPU time of the process over that (less sensitive
 *     to other load on the machine);
 *   - the GSK renderer in use and the peak RSS (getrusage).
 *
 *   bench-picker [N_CONNECTORS] [PLAN]      (defaults 5000 and growth: 5 of the 12
 *                                            categories are outside the plan, so rows with
 *                                            their reason are part of what is measured)
 * Needs $PLUGBOARD_SERVER (meson devenv sets it).
 */

#include <adwaita.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "pb-editor-private.h"
#include "pb-store.h"
#include "pb-bench-ui.h"
#include "pb-test-server.h"

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
settle (guint ms)
{
  for (double t = pb_bench_now_ms (); pb_bench_now_ms () - t < ms;)
    g_main_context_iteration (NULL, FALSE);
}

static PbConnectorPicker *
find_picker (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (PB_IS_CONNECTOR_PICKER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return PB_CONNECTOR_PICKER (window);
    }
  return NULL;
}

static guint
n_connectors_shown (PbConnectorPicker *picker)
{
  GListModel *model = pb_connector_picker_get_shown (picker);
  guint n = g_list_model_get_n_items (model);
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (PB_IS_CONNECTOR (item))
        count++;
    }
  return count;
}

/* Opens the picker as the + button does; returns the time to its first painted frame. */
static PbConnectorPicker *
open_picker (PbStore *store,
             PbBenchFrames  *frames,
             double  *out_ms)
{
  PbConnectorPicker *picker;
  double t0 = pb_bench_now_ms ();
  guint paints;

  pb_editor_present_new (NULL, store);
  picker = find_picker ();
  g_assert_nonnull (picker);
  /* Presenting realizes the toplevel, and so makes its frame clock. */
  g_assert_true (gtk_widget_get_realized (GTK_WIDGET (picker)));
  memset (frames, 0, sizeof *frames);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (picker)), "after-paint",
                    G_CALLBACK (pb_bench_frames_after_paint_cb), frames);
  paints = frames->n_paints;
  *out_ms = pb_bench_wait_paint (frames, paints) - t0;
  if (frames->n_paints == paints)
    g_error ("The picker painted no frame in 5 s");
  return picker;
}

static void
close_picker (PbConnectorPicker *picker,
              PbBenchFrames            *frames)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (picker)),
                                        pb_bench_frames_after_paint_cb, frames);
  gtk_window_destroy (GTK_WINDOW (picker));
  settle (200);
}

/* Types @query one key at a time, then erases it, recording each keystroke. */
static void
type_and_erase (PbConnectorPicker *picker,
                PbBenchFrames            *frames,
                const char        *query,
                GArray            *sync,
                GArray            *frame,
                GArray            *cpu)
{
  int n = (int) strlen (query);

  for (int step = 1; step <= 2 * n; step++)
    {
      int len = step <= n ? step : 2 * n - step;
      g_autofree char *text = g_strndup (query, len);
      guint paints;
      double start, synced, painted, start_cpu;

      pb_bench_wait_paint (frames, frames->n_paints);
      paints = frames->n_paints;
      start_cpu = pb_bench_process_cpu_ms ();
      start = pb_bench_now_ms ();
      /* gtk_editable_set_text() on the entry (or inserting the new character), then the
       * search applied at once rather than after the entry's search delay. */
      pb_connector_picker_set_search_text (picker, text);
      synced = pb_bench_now_ms ();
      painted = pb_bench_wait_paint (frames, paints);
      g_array_append_val (cpu, (double) { pb_bench_process_cpu_ms () - start_cpu });
      g_array_append_val (sync, (double) { synced - start });
      g_array_append_val (frame, (double) { painted - start });
      if (step == n)
        g_print ("  after typing “%s”: %u connectors shown\n", query,
                 n_connectors_shown (picker));
    }
}

/* With $BENCH_PICKER_SCREENSHOT=PREFIX, PREFIX-all.png and PREFIX-search.png of the screen
 * (ImageMagick's `import`), to compare how the list looks. */
static void
screenshot (PbConnectorPicker *picker,
            PbBenchFrames            *frames,
            const char        *search,
            const char        *name)
{
  const char *prefix = g_getenv ("BENCH_PICKER_SCREENSHOT");
  g_autofree char *path = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;

  if (prefix == NULL)
    return;
  pb_connector_picker_set_search_text (picker, search);
  pb_bench_wait_paint (frames, frames->n_paints);
  settle (500);
  path = g_strdup_printf ("%s-%s.png", prefix, name);
  quoted = g_shell_quote (path);
  command = g_strdup_printf ("import -window root %s", quoted);
  if (!g_spawn_command_line_sync (command, NULL, NULL, NULL, &error))
    g_printerr ("screenshot: %s\n", error->message);
  else
    g_print ("  screenshot %s\n", path);
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
  const char *plan = argc > 2 ? argv[2] : "growth";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *key = NULL;
  g_autoptr(PbTestServer) server = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PbBenchFrames frames = { 0 };
  PbConnectorPicker *picker;
  GskRenderer *renderer;
  double t0, open_cold, open_warm;
  const char * const queries[] = { "Connector 0123", "xyzzy", "Marketing" };
  g_autoptr(GArray) all_sync = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) all_frame = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) all_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  struct rusage usage;

  /* Wakes the blocking main-loop iterations below so that their deadlines are checked. */
  g_timeout_add (20, tick_cb, NULL);
  setvbuf (stdout, NULL, _IOLBF, 0);

  if (g_getenv ("PLUGBOARD_SERVER") == NULL)
    {
      g_printerr ("Set PLUGBOARD_SERVER (or run through `meson devenv`).\n");
      return 2;
    }
  if (n_connectors == 0)
    {
      g_printerr ("Usage: bench-picker [N_CONNECTORS] [starter|growth|enterprise]\n");
      return 2;
    }
  /* Loopback only: no proxy lookups (see tests/ui/test-window.c). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  /* 1. The server: catalog, database, project, key. */
  server = pb_bench_start_server ("bench-picker", n_connectors, plan, &dir, &key);

  gtk_init ();
  adw_init ();

  /* 2. The store, loaded as the app loads it: the connectors of the project's catalog. */
  t0 = pb_bench_now_ms ();
  {
    g_autoptr(PbClient) client = pb_client_new (pb_test_server_get_url (server), key);
    g_autoptr(PbSecrets) secrets = pb_secrets_new ();

    store = pb_store_new (client, secrets, pb_test_server_get_url (server), NULL);
  }
  pb_store_load_async (store, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!pb_store_load_finish (store, result, &error))
    g_error ("Loading the store: %s", error->message);
  g_print ("%u connectors (plan %s) loaded in %.1f s\n",
           g_list_model_get_n_items (pb_store_get_connectors (store)), plan,
           (pb_bench_now_ms () - t0) / 1000);

  /* 3. Open: the first picker of the process, then a second one. */
  picker = open_picker (store, &frames, &open_cold);
  renderer = gtk_native_get_renderer (GTK_NATIVE (picker));
  g_print ("GSK renderer: %s\n", renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");
  settle (300);
  close_picker (picker, &frames);
  picker = open_picker (store, &frames, &open_warm);
  g_print ("  %u connectors shown\n", n_connectors_shown (picker));
  settle (500);

  /* 4. Keystrokes. */
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GArray) sync = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) frame = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *what_cpu = g_strdup_printf ("“%s” keystroke → frame, CPU", queries[q]);
      g_autofree char *what_sync = g_strdup_printf ("“%s” keystroke → models and list",
                                                    queries[q]);
      g_autofree char *what_frame = g_strdup_printf ("“%s” keystroke → next frame", queries[q]);

      type_and_erase (picker, &frames, queries[q], sync, frame, cpu);
      g_array_append_vals (all_sync, sync->data, sync->len);
      g_array_append_vals (all_frame, frame->data, frame->len);
      g_array_append_vals (all_cpu, cpu->data, cpu->len);
      pb_bench_report (what_sync, sync);
      pb_bench_report (what_frame, frame);
      pb_bench_report (what_cpu, cpu);
    }

  screenshot (picker, &frames, "", "all");
  screenshot (picker, &frames, "Connector 0002", "search");
  pb_connector_picker_move_selection (picker, 1);
  screenshot (picker, &frames, "Connector 0002", "search-down");

  g_print ("open → first painted frame (first in process) %7.1f ms\n", open_cold);
  g_print ("open → first painted frame (again)            %7.1f ms\n", open_warm);
  pb_bench_report ("any keystroke → models and list updated", all_sync);
  pb_bench_report ("any keystroke → next frame painted", all_frame);
  pb_bench_report ("any keystroke → next frame, process CPU", all_cpu);

  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak RSS                                     %7.1f MB\n", usage.ru_maxrss / 1024.0);

  close_picker (picker, &frames);
  g_clear_object (&store);
  pb_test_server_stop (g_steal_pointer (&server));
  pb_bench_remove_dir (dir);
  return 0;
}
