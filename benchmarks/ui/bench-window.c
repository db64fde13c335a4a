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
 *   - peak RSS (getrusage).
 *
 *   bench-window [N_CONNECTORS] [N_INTEGRATIONS]      (defaults 5000 and 20000)
 * Needs $PLUGBOARD_SERVER (meson devenv sets it).
 */

#include <adwaita.h>
#include <sys/resource.h>
#include <time.h>
#include <glib/gstdio.h>

#include "pb-application.h"
#include "pb-test-server.h"
#include "pb-window.h"

static const char * const categories[] = {
  "hris", "ats", "crm", "iam", "marketing", "lms", "ticketing", "documents", "messaging",
  "accounting", "screening", "scheduling",
};

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* CPU time of this thread: the synchronous part without what other processes take. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static char *
write_catalog (const char *dir,
               guint       n_connectors)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "catalog.json", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "connectors");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_connectors; i++)
    {
      g_autofree char *key = g_strdup_printf ("conn%05u", i);
      g_autofree char *name = g_strdup_printf ("Connector %05u", i);
      const char *category = categories[i % G_N_ELEMENTS (categories)];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "provider");
      json_builder_add_string_value (b, key);
      json_builder_set_member_name (b, "provider_name");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "category");
      json_builder_add_string_value (b, category);
      json_builder_set_member_name (b, "categories");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, category);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, "A generated connector for the benchmark.");
      json_builder_set_member_name (b, "docs_url");
      json_builder_add_string_value (b, "https://example.com/docs");
      json_builder_set_member_name (b, "logo_url");
      json_builder_add_null_value (b);
      json_builder_set_member_name (b, "auth_types");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, "api_key");
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, "API Key");
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "api_key");
      json_builder_set_member_name (b, "fields");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, "api_key");
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, "API key");
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, "secret");
      json_builder_set_member_name (b, "required");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_set_member_name (b, "secret");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, "The key.");
      json_builder_set_member_name (b, "placeholder");
      json_builder_add_string_value (b, "");
      json_builder_set_member_name (b, "default");
      json_builder_add_null_value (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  if (!json_generator_to_file (gen, path, &error))
    g_error ("Could not write the catalog: %s", error->message);
  return path;
}

/* Runs `$PLUGBOARD_SERVER args…` and returns its stdout, trimmed. */
static char *
run_server_command (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("PLUGBOARD_SERVER"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    g_error ("plugboard-server %s: %s", args[0], error->message);
  if (!g_subprocess_get_successful (process))
    g_error ("plugboard-server %s failed", args[0]);
  return g_strstrip (out);
}

/* Creating the integrations, a few requests in flight. */
typedef struct
{
  PbClient *client;
  guint     n_connectors;
  guint     n_total;
  guint     next;
  guint     done;
  guint     failed;
} Seed;

static void seed_next (Seed *seed);

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Seed *seed = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) integration = NULL;

  integration = pb_client_create_integration_finish (PB_CLIENT (source), result, NULL, &error);
  if (integration == NULL)
    {
      if (seed->failed++ < 3)
        g_printerr ("create failed: %s\n", error->message);
    }
  seed->done++;
  seed_next (seed);
}

static void
seed_next (Seed *seed)
{
  g_autoptr(JsonObject) body = NULL;
  JsonObject *secrets;
  g_autofree char *connector = NULL;
  g_autofree char *name = NULL;
  guint i;

  if (seed->next >= seed->n_total)
    return;
  i = seed->next++;
  connector = g_strdup_printf ("conn%05u", i % seed->n_connectors);
  name = g_strdup_printf ("Integration %05u", i);
  body = json_object_new ();
  json_object_set_string_member (body, "connector_key", connector);
  json_object_set_string_member (body, "authentication_config_key", "api_key");
  json_object_set_string_member (body, "name", name);
  json_object_set_object_member (body, "config", json_object_new ());
  secrets = json_object_new ();
  json_object_set_string_member (secrets, "api_key", "bench-not-a-secret");
  json_object_set_object_member (body, "secrets", secrets);
  pb_client_create_integration_async (seed->client, body, NULL, created_cb, seed);
}

/* Frames */
typedef struct
{
  PbWindow *window;
  guint     n_paints;
  double    last_paint;
} Frames;

static void
after_paint_cb (GdkFrameClock *clock,
                Frames        *frames)
{
  frames->n_paints++;
  frames->last_paint = now_ms ();
}

/* Iterates until a frame is painted after @since_paints; returns its time. */
static double
wait_paint (Frames *frames,
            guint   since_paints)
{
  double end = now_ms () + 5000;

  while (frames->n_paints == since_paints && now_ms () < end)
    g_main_context_iteration (NULL, TRUE);
  return frames->last_paint;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
report (const char *what,
        GArray     *values)
{
  g_array_sort (values, compare_doubles);
  g_print ("%-44s median %7.2f ms   p90 %7.2f ms   max %7.2f ms   (n=%u)\n", what,
           g_array_index (values, double, values->len / 2),
           g_array_index (values, double, (values->len * 9) / 10),
           g_array_index (values, double, values->len - 1), values->len);
}

static guint
n_integrations_shown (PbWindow *window)
{
  GListModel *model = pb_window_get_list_model (window);
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
  g_autofree char *catalog = NULL;
  g_autofree char *db = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *key = NULL;
  g_autoptr(PbTestServer) server = NULL;
  g_autoptr(PbApplication) app = NULL;
  Seed seed = { 0 };
  Frames frames = { 0 };
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
  GtkListBox *sidebar;

  /* Wakes the blocking main-loop iterations below so that their deadlines are checked. */
  g_timeout_add (20, tick_cb, NULL);
  setvbuf (stdout, NULL, _IOLBF, 0);

  if (g_getenv ("PLUGBOARD_SERVER") == NULL)
    {
      g_printerr ("Set PLUGBOARD_SERVER (or run through `meson devenv`).\n");
      return 2;
    }
  /* Loopback only: no proxy lookups (see tests/ui/test-window.c). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  /* 1. The server: catalog, database, project, key. */
  dir = g_dir_make_tmp ("bench-window-XXXXXX", &error);
  g_assert_no_error (error);
  catalog = write_catalog (dir, n_connectors);
  db = g_build_filename (dir, "bench.db", NULL);
  g_free (run_server_command ((const char * const[]) { "init", "--db", db, NULL }));
  project_id = run_server_command ((const char * const[]) {
    "create-project", "--db", db, "--name", "Benchmark", "--plan", "enterprise", NULL });
  key = run_server_command ((const char * const[]) {
    "create-key", "--db", db, "--project", project_id, "--role", "admin", NULL });
  server = pb_test_server_start ((const char * const[]) {
    "serve", "--db", db, "--catalog", catalog, "--listen", "127.0.0.1:0",
    "--rate-limit", "100000000", NULL }, &error);
  g_assert_no_error (error);

  /* 2. The integrations, over HTTP. */
  seed.client = pb_client_new (pb_test_server_get_url (server), key);
  seed.n_connectors = n_connectors;
  seed.n_total = n_integrations;
  t0 = now_ms ();
  for (guint i = 0; i < 16; i++)
    seed_next (&seed);
  while (seed.done < seed.n_total)
    {
      guint before = seed.done;

      g_main_context_iteration (NULL, TRUE);
      if (seed.done / 2000 != before / 2000)
        g_printerr ("  %u created, %.1f s\n", seed.done, (now_ms () - t0) / 1000);
    }
  g_print ("seeded %u connectors and %u integrations (%u failed) in %.1f s\n", n_connectors,
           n_integrations - seed.failed, seed.failed, (now_ms () - t0) / 1000);
  g_clear_object (&seed.client);

  /* 3. The window: launch → first frame showing the list. */
  g_setenv ("PLUGBOARD_BACKEND_URL", pb_test_server_get_url (server), TRUE);
  g_setenv ("PLUGBOARD_API_KEY", key, TRUE);
  t0 = now_ms ();
  gtk_init ();
  adw_init ();
  t_init = now_ms ();
  app = pb_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  t_activated = now_ms ();
  window = PB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  frames.window = window;
  while (!gtk_widget_get_realized (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), &frames);
  while (now_ms () - t0 < 60000)
    {
      guint paints = frames.n_paints;

      g_main_context_iteration (NULL, TRUE);
      if (frames.n_paints != paints && t_any_frame == 0)
        t_any_frame = frames.last_paint;
      if (frames.n_paints != paints
          && g_strcmp0 (pb_window_get_visible_page (window), "list") == 0
          && g_list_model_get_n_items (pb_window_get_list_model (window)) > 0)
        {
          t_first = frames.last_paint;
          break;
        }
    }
  g_print ("launch → first frame showing the list        %7.0f ms   (%u integrations shown)\n",
           t_first - t0, n_integrations_shown (window));
  g_print ("  of which: GTK and libadwaita initialised       %7.0f ms\n", t_init - t0);
  g_print ("            window built (activate returned)     %7.0f ms\n", t_activated - t0);
  g_print ("            first frame of any page              %7.0f ms\n", t_any_frame - t0);
  g_print ("renderer: %s\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));

  /* Let the first frames settle. */
  for (t1 = now_ms (); now_ms () - t1 < 500;)
    g_main_context_iteration (NULL, FALSE);

  /* 4. Search: type the query one key at a time, then erase it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  wait_paint (&frames, frames.n_paints);
  for (int step = 1; step <= 2 * (int) strlen (query); step++)
    {
      int len = step <= (int) strlen (query) ? step : 2 * (int) strlen (query) - step;
      g_autofree char *text = g_strndup (query, len);
      guint paints;
      double start, synced, painted, cpu;

      wait_paint (&frames, frames.n_paints);
      paints = frames.n_paints;
      start = now_ms ();
      cpu = cpu_ms ();
      gtk_editable_set_text (pb_window_get_search_entry (window), text);
      synced = now_ms ();
      g_array_append_val (key_cpu, (double) { cpu_ms () - cpu });
      painted = wait_paint (&frames, paints);
      g_array_append_val (key_sync, (double) { synced - start });
      g_array_append_val (key_frame, (double) { painted - start });
      if (len == (int) strlen (query) && step == len)
        g_print ("(after typing “%s”: %u integrations shown)\n", query,
                 n_integrations_shown (window));
    }

  /* 5. Category switch: every category, then All. */
  sidebar = pb_window_get_category_list (window);
  for (int round = 0; round < 2; round++)
    for (int i = 1; gtk_list_box_get_row_at_index (sidebar, i) != NULL; i++)
      {
        GtkListBoxRow *row = gtk_list_box_get_row_at_index (sidebar, round == 0 ? i : 0);
        guint paints;
        double start, synced, painted, cpu;

        wait_paint (&frames, frames.n_paints);
        paints = frames.n_paints;
        start = now_ms ();
        cpu = cpu_ms ();
        gtk_list_box_select_row (sidebar, row);
        synced = now_ms ();
        g_array_append_val (cat_cpu, (double) { cpu_ms () - cpu });
        painted = wait_paint (&frames, paints);
        g_array_append_val (cat_sync, (double) { synced - start });
        g_array_append_val (cat_frame, (double) { painted - start });
        if (round == 1)
          break;
      }

  report ("search keystroke → models and list updated", key_sync);
  report ("  the same, CPU time of the main thread", key_cpu);
  report ("search keystroke → next frame painted", key_frame);
  report ("category switch → models and list updated", cat_sync);
  report ("  the same, CPU time of the main thread", cat_cpu);
  report ("category switch → next frame painted", cat_frame);

  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak RSS                                     %7.1f MB\n", usage.ru_maxrss / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  pb_test_server_stop (g_steal_pointer (&server));
  {
    g_autoptr(GFile) tmp = g_file_new_for_path (dir);
    const char *names[] = { "catalog.json", "bench.db", "bench.db.key", "bench.db-wal",
                            "bench.db-shm", NULL };

    for (guint i = 0; names[i] != NULL; i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);

        g_remove (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
