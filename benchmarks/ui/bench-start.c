/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-start"

#include "config.h"

/*
 * bench-start: exec → the cached list painted, next to GNOME Text Editor's exec → its window
 * mapped, in the same display session and with the same renderer.
 *
 * Makes a catalog of 500 connectors and a project with N integrations (default 5,000) served
 * by `plugboard-server serve`, starts the app once so that the project is cached, then runs,
 * RUNS times each, alternating:
 *   - this program with --child, a new process that runs the application (as `plugboard`
 *     does) on the cached project and reports the clock when the first frame showing the
 *     list with rows is painted: exec → cached list painted;
 *   - `gnome-text-editor --standalone`: exec → its window mapped (an X MapNotify of a new
 *     top-level window);
 * and prints each, the medians and their ratio (the app's / Text Editor's). It also checks
 * what the app's first painted frame shows: the cached list with rows, not an empty or
 * loading page; it fails (exit status 1) when a run's first frame did not.
 *
 *   GSK_RENDERER=cairo build-aux/headless-session meson devenv -C _build \
 *     benchmarks/ui/bench-start [N_INTEGRATIONS] [RUNS] [saved|session]
 *                                                       (defaults 5000, 5 and saved)
 *
 * saved: the project is one the admin added (its key in the keyring, the list in the
 * settings), as on a desktop; session: the project given by PLUGBOARD_BACKEND_URL and
 * PLUGBOARD_API_KEY (its key in memory).
 *
 * Needs $PLUGBOARD_SERVER (meson devenv sets it), an X11 display (the headless session's
 * Xvfb), and GNOME Text Editor, which the project does not depend on: install it for the
 * measurement with `apt-get install --no-install-recommends gnome-text-editor`.
 */

#include <adwaita.h>
#include <X11/Xlib.h>
#include <sys/select.h>
#include <locale.h>

#include "pb-application.h"
#include "pb-bench-ui.h"
#include "pb-test-server.h"
#include "pb-window-private.h"

#define N_CONNECTORS 500

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(PbProjectConfig **) user_data =
    pb_project_list_add_finish (PB_PROJECT_LIST (source), result, &error);
  if (error != NULL)
    g_error ("The project could not be added: %s", error->message);
}

/* The project as an admin adds it in Preferences, in settings every child reads (a key file
 * in the session's home) and the session's keyring; the one shown first. */
static void
save_project (const char *url,
              const char *key)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(PbProjectList) list = NULL;
  g_autoptr(PbProjectConfig) config = NULL;

  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  settings = g_settings_new (BASE_APP_ID);
  list = pb_project_list_new (settings);
  pb_project_list_add_async (list, "Benchmark", url, key, FALSE, NULL, added_cb, &config);
  while (config == NULL)
    g_main_context_iteration (NULL, TRUE);
  pb_project_list_set_last_project (list, pb_project_config_get_id (config));
  g_settings_sync ();
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* The child: the application on the cached project, until a painted frame shows the list
 * with rows; prints the monotonic clock (µs, shared by every process) of the first frame and
 * of that frame, and the page the first frame showed. With @cache, it then waits until the
 * project is written to the cache (the first start, which later starts show from). */
static int
run_child (gboolean cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbApplication) app = NULL;
  PbBenchFrames frames = { 0 };
  PbWindow *window;
  gint64 any_frame = 0, list_frame = 0;
  g_autofree char *first_page = NULL;
  double t0 = pb_bench_now_ms ();

  g_timeout_add (20, tick_cb, NULL);
  /* As `plugboard` starts: GTK and libadwaita are initialised by the application's startup. */
  app = pb_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = PB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  frames.data = window;
  while (!gtk_widget_get_realized (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (pb_bench_frames_after_paint_cb), &frames);
  while (list_frame == 0 && pb_bench_now_ms () - t0 < 60000)
    {
      guint paints = frames.n_paints;

      g_main_context_iteration (NULL, TRUE);
      if (frames.n_paints == paints)
        continue;
      if (g_strcmp0 (pb_window_get_visible_page (window), "list") == 0
          && g_list_model_get_n_items (G_LIST_MODEL (window->grouped)) > 0)
        list_frame = (gint64) (frames.last_paint * 1000);
      if (any_frame == 0)
        {
          any_frame = (gint64) (frames.last_paint * 1000);
          first_page = g_strdup (list_frame > 0 ? "list" : pb_window_get_visible_page (window));
        }
    }
  if (cache)
    {
      PbStore *store = pb_ui_project_get_store (pb_window_get_project (window));

      while (pb_store_get_last_refresh (store) == NULL && pb_bench_now_ms () - t0 < 60000)
        g_main_context_iteration (NULL, TRUE);
      if (pb_store_get_last_refresh (store) == NULL)
        g_error ("The project was not cached within 60 s");
    }
  g_print ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s\n", any_frame, list_frame,
           first_page != NULL ? first_page : "none");
  gtk_window_destroy (GTK_WINDOW (window));
  return list_frame > 0 ? 0 : 1;
}

/* exec → cached list painted, in ms; also exec → first frame of any page, and the page that
 * frame showed ("list" with rows, or the name of another page). */
static double
measure_app (const char  *self_path,
             const char  *mode,
             double      *out_first_frame,
             char       **out_first_page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *out = NULL;
  gint64 spawned = g_get_monotonic_time (), any_frame = 0, list_frame = 0;
  char page[32] = "";

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path, mode, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (out == NULL || sscanf (out, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %31s", &any_frame,
                             &list_frame, page) != 3 || list_frame == 0)
    g_error ("The app did not paint its list: %s", out ? out : "(no output)");
  *out_first_frame = (any_frame - spawned) / 1000.0;
  *out_first_page = g_strdup (page);
  return (list_frame - spawned) / 1000.0;
}

/* exec → GNOME Text Editor's window mapped, in ms; -1 when it is not installed. */
static double
measure_text_editor (Display *display)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) editor = NULL;
  g_autofree char *path = g_find_program_in_path ("gnome-text-editor");
  gint64 spawned, mapped = 0;
  XEvent event;

  if (path == NULL)
    return -1;
  while (XPending (display))
    XNextEvent (display, &event);
  spawned = g_get_monotonic_time ();
  editor = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, path, "--standalone", NULL);
  g_assert_no_error (error);
  while (mapped == 0 && g_get_monotonic_time () - spawned < 60 * G_USEC_PER_SEC)
    {
      fd_set fds;
      struct timeval timeout = { 0, 100000 };

      if (!XPending (display))
        {
          FD_ZERO (&fds);
          FD_SET (ConnectionNumber (display), &fds);
          select (ConnectionNumber (display) + 1, &fds, NULL, NULL, &timeout);
          continue;
        }
      XNextEvent (display, &event);
      if (event.type == MapNotify && !event.xmap.override_redirect)
        mapped = g_get_monotonic_time ();
    }
  g_subprocess_force_exit (editor);
  g_subprocess_wait (editor, NULL, NULL);
  if (mapped == 0)
    g_error ("GNOME Text Editor mapped no window within 60 s");
  return (mapped - spawned) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

int
main (int argc, char *argv[])
{
  guint n_integrations = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5000;
  guint runs = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 5;
  gboolean saved = argc <= 3 || !g_str_equal (argv[3], "session");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbTestServer) server = NULL;
  g_autoptr(GArray) app_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) editor_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *self_path = NULL;
  Display *display;
  double first_frame;
  guint first_frames_without_list = 0;

  setlocale (LC_ALL, "");
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (argc > 1 && g_str_equal (argv[1], "--child"))
    return run_child (FALSE);
  if (argc > 1 && g_str_equal (argv[1], "--child-cache"))
    return run_child (TRUE);

  if (g_getenv ("PLUGBOARD_SERVER") == NULL)
    {
      g_printerr ("Set PLUGBOARD_SERVER (or run through `meson devenv`).\n");
      return 2;
    }
  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      g_printerr ("No X11 display: run it in build-aux/headless-session.\n");
      return 2;
    }
  XSelectInput (display, DefaultRootWindow (display), SubstructureNotifyMask);
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  server = pb_bench_start_server ("bench-start", N_CONNECTORS, "enterprise", &dir, &key);
  pb_bench_seed_integrations (pb_test_server_get_url (server), key, N_CONNECTORS,
                              n_integrations);
  if (saved)
    save_project (pb_test_server_get_url (server), key);
  else
    {
      g_setenv ("PLUGBOARD_BACKEND_URL", pb_test_server_get_url (server), TRUE);
      g_setenv ("PLUGBOARD_API_KEY", key, TRUE);
    }

  /* A first start caches the project (not counted). */
  {
    g_autofree char *page = NULL;

    measure_app (self_path, "--child-cache", &first_frame, &page);
  }
  g_print ("renderer: GSK_RENDERER=%s; the project: %s\n",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(default)",
           saved ? "saved (its key in the keyring)" : "the session's (its key in memory)");
  for (guint i = 0; i < runs; i++)
    {
      g_autofree char *page = NULL;
      double app = measure_app (self_path, "--child", &first_frame, &page);
      double editor = measure_text_editor (display);

      g_array_append_val (app_times, app);
      if (!g_str_equal (page, "list"))
        first_frames_without_list++;
      g_print ("run %u: exec → cached list painted %6.0f ms (first frame %6.0f ms: %s)", i + 1,
               app, first_frame, g_str_equal (page, "list") ? "the list" : page);
      if (editor >= 0)
        {
          g_array_append_val (editor_times, editor);
          g_print ("   Text Editor exec → window mapped %6.0f ms", editor);
        }
      g_print ("\n");
    }
  g_print ("median: exec → cached list painted (%u integrations)  %6.0f ms\n", n_integrations,
           median (app_times));
  if (editor_times->len > 0)
    g_print ("median: GNOME Text Editor exec → window mapped        %6.0f ms   ratio %.2f\n",
             median (editor_times), median (app_times) / median (editor_times));
  else
    g_print ("GNOME Text Editor is not installed: apt-get install --no-install-recommends "
             "gnome-text-editor\n");

  pb_test_server_stop (g_steal_pointer (&server));
  XCloseDisplay (display);
  pb_bench_remove_dir (dir);
  if (first_frames_without_list > 0)
    {
      g_printerr ("%u of %u runs painted a first frame without the cached list\n",
                  first_frames_without_list, runs);
      return 1;
    }
  g_print ("every run's first frame showed the cached list\n");
  return 0;
}
