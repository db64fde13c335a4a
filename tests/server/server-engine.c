/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-engine.h"

#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "pb-server-db.h"

static char       *cluster_dir;     /* holds data/, the socket and the log */
static GHashTable *databases;       /* SQLite path → database name */
static guint       n_databases;

gboolean
test_engine_is_postgresql (void)
{
  return g_strcmp0 (g_getenv ("PLUGBOARD_TEST_DB"), "postgresql") == 0;
}

/* The directory of Debian's PostgreSQL programs (the newest installed), or $PG_BINDIR. */
static char *
pg_bindir (void)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *best = NULL;
  const char *name;

  if (g_getenv ("PG_BINDIR") != NULL)
    return g_strdup (g_getenv ("PG_BINDIR"));
  dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (best == NULL || atoi (name) > atoi (best))
      {
        g_free (best);
        best = g_strdup (name);
      }
  g_assert_nonnull (best);
  return g_build_filename ("/usr/lib/postgresql", best, "bin", NULL);
}

/* Runs a PostgreSQL program, as nobody when we are root (the server refuses to run as root). */
static void
run_pg (const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (getuid () == 0)
    {
      g_ptr_array_add (args, (gpointer) "runuser");
      g_ptr_array_add (args, (gpointer) "-u");
      g_ptr_array_add (args, (gpointer) "nobody");
      g_ptr_array_add (args, (gpointer) "--");
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  g_spawn_sync (cluster_dir, (char **) args->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s%s", argv[0], out, err);
}

static void
become_session_leader (gpointer user_data)
{
  setsid ();
}

static char *
admin_conninfo (const char *dbname)
{
  return g_strdup_printf ("host=%s user=postgres dbname=%s", cluster_dir, dbname);
}

static char *
cluster_options (void)
{
  return g_strdup_printf ("-k %s -c listen_addresses= -c fsync=off -c synchronous_commit=off"
                          " -c full_page_writes=off -c max_connections=300", cluster_dir);
}

static void
start_cluster (void)
{
  g_autofree char *bin = pg_bindir ();
  g_autofree char *initdb = g_build_filename (bin, "initdb", NULL);
  g_autofree char *pg_ctl = g_build_filename (bin, "pg_ctl", NULL);
  g_autofree char *data = NULL;
  g_autofree char *log = NULL;
  g_autofree char *options = NULL;
  g_autofree char *watch = NULL;
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GError) error = NULL;

  cluster_dir = g_dir_make_tmp ("pb-test-pg-XXXXXX", &error);
  g_assert_no_error (error);
  if (getuid () == 0)
    {
      struct passwd *nobody = getpwnam ("nobody");

      g_assert_nonnull (nobody);
      g_assert_cmpint (chown (cluster_dir, nobody->pw_uid, nobody->pw_gid), ==, 0);
    }
  data = g_build_filename (cluster_dir, "data", NULL);
  log = g_build_filename (cluster_dir, "log", NULL);
  run_pg ((const char * const[]) { initdb, "-D", data, "-U", "postgres", "-A", "trust",
                                   "-E", "UTF8", "--locale=C", "--no-sync", NULL });
  /* Stopped when this program ends, however it ends: a watcher outside its process group. */
  watch = g_strdup_printf ("while kill -0 %s 2>/dev/null; do sleep 0.2; done;"
                           " %s %s -D '%s' -m immediate stop >/dev/null 2>&1; rm -rf '%s'",
                           pid, getuid () == 0 ? "runuser -u nobody --" : "", pg_ctl, data,
                           cluster_dir);
  g_spawn_async (NULL, (char *[]) { (char *) "sh", (char *) "-c", watch, NULL }, NULL,
                 G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 become_session_leader, NULL, NULL, &error);
  g_assert_no_error (error);
  options = cluster_options ();
  run_pg ((const char * const[]) { pg_ctl, "-D", data, "-l", log, "-w", "-o", options,
                                   "start", NULL });
}

void
test_engine_restart (void)
{
  g_autofree char *bin = pg_bindir ();
  g_autofree char *pg_ctl = g_build_filename (bin, "pg_ctl", NULL);
  g_autofree char *data = g_build_filename (cluster_dir, "data", NULL);
  g_autofree char *log = g_build_filename (cluster_dir, "log", NULL);
  g_autofree char *options = cluster_options ();

  g_assert_nonnull (cluster_dir);
  run_pg ((const char * const[]) { pg_ctl, "-D", data, "-l", log, "-w", "-m", "fast", "-o",
                                   options, "restart", NULL });
}

static void
admin_exec (const char *sql)
{
  g_autofree char *conninfo = admin_conninfo ("postgres");
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Could not connect to the test cluster: %s", PQerrorMessage (conn));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (conn);
}

/* A new, empty database of the cluster. */
static char *
new_database (void)
{
  g_autofree char *sql = NULL;
  char *name;

  if (cluster_dir == NULL)
    start_cluster ();
  name = g_strdup_printf ("t%u", ++n_databases);
  sql = g_strdup_printf ("CREATE DATABASE %s", name);
  admin_exec (sql);
  return name;
}

static char *
url_of (const char *name)
{
  return g_strdup_printf ("postgresql:///%s?host=%s&user=postgres", name, cluster_dir);
}

char *
test_engine_target (const char *path)
{
  const char *name;

  if (!test_engine_is_postgresql () || g_str_has_prefix (path, "postgresql:")
      || g_str_has_prefix (path, "sqlite:"))
    return g_strdup (path);
  if (databases == NULL)
    databases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  name = g_hash_table_lookup (databases, path);
  if (name == NULL)
    {
      name = new_database ();
      g_hash_table_insert (databases, g_strdup (path), (gpointer) name);
    }
  return url_of (name);
}

static gboolean
takes_key_file (const char *command)
{
  return g_str_equal (command, "serve") || g_str_equal (command, "demo")
         || g_str_equal (command, "init") || g_str_equal (command, "migrate");
}

GPtrArray *
test_engine_argv (const char * const *argv)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  const char *db = NULL;
  gboolean has_key_file = FALSE;
  guint i;

  for (i = 0; argv[i] != NULL; i++)
    {
      if (g_str_equal (argv[i], "--key-file"))
        has_key_file = TRUE;
      if (i > 0 && g_str_equal (argv[i - 1], "--db"))
        db = argv[i];
    }
  for (i = 0; argv[i] != NULL; i++)
    {
      if (test_engine_is_postgresql () && i > 0 && g_str_equal (argv[i - 1], "--db"))
        g_ptr_array_add (args, test_engine_target (argv[i]));
      else
        g_ptr_array_add (args, g_strdup (argv[i]));
    }
  if (test_engine_is_postgresql () && argv[0] != NULL && takes_key_file (argv[0]))
    {
      if (db == NULL && g_str_equal (argv[0], "demo"))
        {
          g_autofree char *name = new_database ();

          g_ptr_array_add (args, g_strdup ("--db"));
          g_ptr_array_add (args, url_of (name));
          if (!has_key_file)
            {
              g_ptr_array_add (args, g_strdup ("--key-file"));
              g_ptr_array_add (args, g_strdup_printf ("%s/%s.key", cluster_dir, name));
            }
        }
      else if (db != NULL && !has_key_file && !g_str_has_prefix (db, "sqlite:"))
        {
          g_ptr_array_add (args, g_strdup ("--key-file"));
          g_ptr_array_add (args, g_strconcat (db, ".key", NULL));
        }
    }
  g_ptr_array_add (args, NULL);
  return args;
}

char *
test_engine_dump (const char *path)
{
  g_autofree char *bin = NULL;
  g_autofree char *pg_dump = NULL;
  g_autofree char *target = NULL;
  g_autofree char *out = NULL;
  char *file;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!test_engine_is_postgresql ())
    return NULL;
  bin = pg_bindir ();
  pg_dump = g_build_filename (bin, "pg_dump", NULL);
  target = test_engine_target (path);
  g_spawn_sync (NULL, (char *[]) { pg_dump, (char *) "--data-only", (char *) "--dbname", target, NULL }, NULL, 0,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  file = g_strconcat (path, ".dump", NULL);
  g_file_set_contents (file, out, -1, &error);
  g_assert_no_error (error);
  return file;
}

void
test_engine_exec (const char *path,
                  const char *sql)
{
  g_autofree char *target = test_engine_target (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbDb) db = pb_db_open (target, &error);

  g_assert_no_error (error);
  pb_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

gint64
test_engine_query_int (const char *path,
                       const char *sql)
{
  g_autofree char *target = test_engine_target (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbDb) db = pb_db_open (target, &error);
  PbDbStmt *stmt;
  gint64 value = -1;

  g_assert_no_error (error);
  stmt = pb_db_stmt (db, sql);
  if (pb_db_step (stmt) == PB_DB_ROW)
    value = pb_db_column_int64 (stmt, 0);
  pb_db_reset (stmt);
  return value;
}
