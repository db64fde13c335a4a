/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-bench"

#include "config.h"

#include "pb-bench-ui.h"

#include "pb-bench-catalog.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pb-api.h"
#include <time.h>


double
pb_bench_now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

double
pb_bench_thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

double
pb_bench_process_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

char *
pb_bench_write_catalog (const char *dir,
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
    json_builder_add_value (b, pb_bench_connector_new (i, FALSE));
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  if (!json_generator_to_file (gen, path, &error))
    g_error ("Could not write the catalog: %s", error->message);
  return path;
}

char *
pb_bench_run_server_command (const char * const *args)
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

PbTestServer *
pb_bench_start_server (const char  *name,
                       guint        n_connectors,
                       const char  *plan,
                       char       **dir,
                       char       **key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", name);
  g_autofree char *catalog = NULL;
  g_autofree char *db = NULL;
  g_autofree char *project_id = NULL;
  PbTestServer *server;

  *dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  catalog = pb_bench_write_catalog (*dir, n_connectors);
  db = g_build_filename (*dir, "bench.db", NULL);
  g_free (pb_bench_run_server_command ((const char * const[]) { "init", "--db", db, NULL }));
  project_id = pb_bench_run_server_command ((const char * const[]) {
    "create-project", "--db", db, "--name", "Benchmark", "--plan", plan, NULL });
  *key = pb_bench_run_server_command ((const char * const[]) {
    "create-key", "--db", db, "--project", project_id, "--role", "admin", NULL });
  server = pb_test_server_start ((const char * const[]) {
    "serve", "--db", db, "--catalog", catalog, "--listen", "127.0.0.1:0",
    "--rate-limit", "100000000", NULL }, &error);
  g_assert_no_error (error);
  return server;
}

void
pb_bench_remove_dir (const char *dir)
{
  const char *names[] = { "catalog.json", "bench.db", "bench.db.key", "bench.db-wal",
                          "bench.db-shm", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

void
pb_bench_frames_after_paint_cb (GdkFrameClock *clock,
                                PbBenchFrames *frames)
{
  frames->n_paints++;
  frames->last_paint = pb_bench_now_ms ();
}

double
pb_bench_wait_paint (PbBenchFrames *frames,
                     guint          since_paints)
{
  double end = pb_bench_now_ms () + 5000;

  while (frames->n_paints == since_paints && pb_bench_now_ms () < end)
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

void
pb_bench_report (const char *what,
                 GArray     *values)
{
  g_array_sort (values, compare_doubles);
  g_print ("%-44s median %7.2f ms   p90 %7.2f ms   max %7.2f ms   (n=%u)\n", what,
           g_array_index (values, double, values->len / 2),
           g_array_index (values, double, (values->len * 9) / 10),
           g_array_index (values, double, values->len - 1), values->len);
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

  integration = pb_client_create_integration_finish (PB_CLIENT (source), result, &error);
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
  /* The generated API-key type asks each end user for the key: the integration holds none. */
  json_object_set_object_member (body, "config", json_object_new ());
  json_object_set_object_member (body, "secrets", json_object_new ());
  pb_client_create_integration_async (seed->client, body, NULL, created_cb, seed);
}

void
pb_bench_seed_integrations (const char *url,
                            const char *key,
                            guint       n_connectors,
                            guint       n_integrations)
{
  Seed seed = { 0 };
  double t0 = pb_bench_now_ms ();

  seed.client = pb_client_new (url, key);
  seed.n_connectors = n_connectors;
  seed.n_total = n_integrations;
  for (guint i = 0; i < 16; i++)
    seed_next (&seed);
  while (seed.done < seed.n_total)
    {
      guint before = seed.done;

      g_main_context_iteration (NULL, TRUE);
      if (seed.done / 2000 != before / 2000)
        g_printerr ("  %u created, %.1f s\n", seed.done, (pb_bench_now_ms () - t0) / 1000);
    }
  g_print ("seeded %u connectors and %u integrations (%u failed) in %.1f s\n", n_connectors,
           n_integrations - seed.failed, seed.failed, (pb_bench_now_ms () - t0) / 1000);
  /* Figures of a project that is not the one announced would mislead. */
  if (seed.failed > 0)
    g_error ("%u of %u integrations could not be created", seed.failed, n_integrations);
  g_clear_object (&seed.client);
}
