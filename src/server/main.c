/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pb-server.h"
#include "pb-server-copy.h"
#include "pb-server-migrate.h"
#include "pb-server-seed.h"

/* Everything GLib logs goes to stderr: stdout carries only the machine-readable line. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  g_autofree char *line = NULL;
  const char *domain = NULL;
  gsize i;

  for (i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
  if (g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;
  line = g_log_writer_format_fields (level, fields, n_fields, g_log_writer_supports_color (fileno (stderr)));
  fprintf (stderr, "%s\n", line);
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  if (*argc > 1)
    {
      g_printerr ("Unexpected argument “%s”. See --help.\n", (*argv)[1]);
      return FALSE;
    }
  return TRUE;
}

/* The key file: @key_file, or next to an SQLite database; NULL (after saying so) for a
 * PostgreSQL database without --key-file, as every server of it needs the same one. */
static char *
key_file_for (const char *db_path,
              const char *key_file)
{
  if (key_file != NULL)
    return g_strdup (key_file);
  if (pb_db_target_is_postgresql (db_path))
    {
      g_printerr ("With a PostgreSQL database, give the credential encryption key with "
                  "--key-file FILE: every server of the database needs the same key file.\n");
      return NULL;
    }
  return g_strconcat (g_str_has_prefix (db_path, "sqlite:") ? db_path + strlen ("sqlite:")
                                                           : db_path, ".key", NULL);
}

/* Whether @target names an existing database: PostgreSQL ones are made by their server. */
static gboolean
db_exists (const char *target)
{
  if (pb_db_target_is_postgresql (target))
    return TRUE;
  return g_file_test (g_str_has_prefix (target, "sqlite:") ? target + strlen ("sqlite:") : target,
                      G_FILE_TEST_EXISTS);
}

/* ---- serve and demo --------------------------------------------------------------------- */

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

typedef struct
{
  char    *listen;
  char    *socket;
  char    *db;
  char    *key_file;
  char    *public_url;
  char    *catalog;
  char    *oauth_apps;
  char    *tls_cert;
  char    *tls_key;
  int      rate_limit;
  int      auth_failures;
  double   header_timeout;
  double   idle_timeout;
  int      max_connections;
  int      max_peer_connections;
  int      workers;
  char    *allowed_hosts;
} RunOptions;

/* The key file of a database; refuses to make a new key for a database whose credentials were
 * encrypted with a key file that is missing now, which would make them undecryptable. */
static PbCrypto *
open_crypto (PbDb        *db,
             const char  *key_path,
             GError     **error)
{
  if (!g_file_test (key_path, G_FILE_TEST_EXISTS) && pb_db_has_encrypted_values (db))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "The database “%s” holds encrypted credentials, but its key file “%s” is "
                   "missing. Put the key file back (restore it from the backup of this "
                   "database), or give its place with --key-file FILE. A new key cannot "
                   "decrypt them, so none is made.", pb_db_name (db), key_path);
      return NULL;
    }
  return pb_crypto_new_from_key_file (key_path, error);
}

static int
run_server (RunOptions *o,
            gboolean    demo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbCatalog) catalog = NULL;
  g_autoptr(PbDb) db = NULL;
  g_autoptr(PbCrypto) crypto = NULL;
  g_autoptr(PbServer) server = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *catalog_path = o->catalog ? g_strdup (o->catalog) : pb_catalog_default_path ();
  g_autofree char *temp_dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) allowed_hosts = NULL;
  PbServerConfig config;
  guint sigint, sigterm, i;

  if (o->rate_limit < 0 || o->auth_failures < 0)
    {
      g_printerr ("--rate-limit and --auth-failures must be positive numbers per minute.\n");
      return 2;
    }
  if (o->header_timeout < 0 || o->idle_timeout < 0 || o->max_connections < 0
      || o->max_peer_connections < 0 || o->workers < 0 || o->workers > 64)
    {
      g_printerr ("Timeouts, connection limits and --workers (at most 64) must be positive.\n");
      return 2;
    }
  pb_server_config_init (&config);
  if (o->rate_limit > 0)
    config.rate_limit = o->rate_limit;
  if (o->auth_failures > 0)
    config.auth_failures = o->auth_failures;
  if (o->header_timeout > 0)
    config.header_timeout = o->header_timeout;
  if (o->idle_timeout > 0)
    config.idle_timeout = o->idle_timeout;
  if (o->max_connections > 0)
    config.max_connections = o->max_connections;
  if (o->max_peer_connections > 0)
    config.max_peer_connections = o->max_peer_connections;
  config.workers = o->workers;
  if (o->allowed_hosts != NULL)
    config.allowed_hosts = allowed_hosts = g_strsplit (o->allowed_hosts, ",", -1);
  if ((o->tls_cert == NULL) != (o->tls_key == NULL))
    {
      g_printerr ("--tls-cert and --tls-key go together.\n");
      return 2;
    }
  if (o->socket != NULL && o->listen != NULL)
    {
      g_printerr ("Use either --listen or --socket, not both.\n");
      return 2;
    }
  catalog = pb_catalog_load (catalog_path, &error);
  if (catalog == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (o->db != NULL)
    db_path = g_strdup (o->db);
  else
    {
      temp_dir = g_dir_make_tmp ("plugboard-demo-XXXXXX", &error);
      if (temp_dir == NULL)
        {
          g_printerr ("Could not make a temporary directory: %s\n", error->message);
          return 1;
        }
      db_path = g_build_filename (temp_dir, "plugboard.db", NULL);
    }
  key_path = key_file_for (db_path, o->key_file);
  if (key_path == NULL)
    return 2;
  if (demo && o->db != NULL && !pb_db_target_is_postgresql (o->db) && db_exists (o->db))
    {
      g_printerr ("The database “%s” exists already; demo needs a new one.\n", o->db);
      return 1;
    }
  db = pb_db_open (db_path, &error);
  if (db == NULL || (crypto = open_crypto (db, key_path, &error)) == NULL)
    goto fail;
  if (demo && pb_db_has_projects (db))
    {
      g_set_error (&error, PB_DB_ERROR, PB_DB_ERROR_INVALID,
                   "The database “%s” holds projects already; demo needs a new one.",
                   pb_db_name (db));
      goto fail;
    }
  if (!pb_migrate (db, catalog, crypto, NULL, &error))
    goto fail;
  if (o->tls_cert != NULL
      && (cert = g_tls_certificate_new_from_files (o->tls_cert, o->tls_key, &error)) == NULL)
    {
      g_prefix_error (&error, "Could not load the TLS certificate: ");
      goto fail;
    }
  if (demo)
    {
      projects = pb_seed_demo (db, catalog, crypto, "https://api.plugboard.example", &error);
      if (projects == NULL)
        goto fail;
    }
  server = pb_server_new (g_steal_pointer (&db), g_steal_pointer (&catalog),
                          g_steal_pointer (&crypto), &config, cert);
  /* Before listening: the worker threads read it from the first connection on. */
  pb_server_set_public_url (server, o->public_url);
  if (o->oauth_apps != NULL && !pb_server_load_oauth_apps (server, o->oauth_apps, &error))
    goto fail;
  if (o->socket != NULL ? !pb_server_listen_unix (server, o->socket, &error)
                        : !pb_server_listen (server, o->listen ? o->listen : "127.0.0.1:8710", &error))
    goto fail;

  /* Signals are caught before the line is printed: a client may stop us right after reading it. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, loop);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, o->public_url ? o->public_url : pb_server_get_url (server));
  if (o->socket != NULL)
    {
      json_builder_set_member_name (b, "socket");
      json_builder_add_string_value (b, o->socket);
    }
  if (projects != NULL)
    {
      json_builder_set_member_name (b, "projects");
      json_builder_begin_array (b);
      for (i = 0; i < projects->len; i++)
        {
          PbSeedProject *p = projects->pdata[i];
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, p->id);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, p->name);
          json_builder_set_member_name (b, "plan");
          json_builder_add_string_value (b, p->plan);
          json_builder_set_member_name (b, "admin_key");
          json_builder_add_string_value (b, p->admin_key);
          json_builder_set_member_name (b, "viewer_key");
          json_builder_add_string_value (b, p->viewer_key);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  line = json_to_string (root, FALSE);
  fprintf (stdout, "%s\n", line);
  fflush (stdout);
  g_clear_pointer (&projects, g_ptr_array_unref);
  g_debug ("Serving %s", pb_server_get_url (server));

  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  pb_server_disconnect (server);
  g_clear_object (&server);
  if (temp_dir != NULL)
    remove_tree (temp_dir);
  return 0;

fail:
  g_printerr ("%s\n", error->message);
  g_clear_object (&server);
  g_clear_pointer (&db, pb_db_close);
  if (temp_dir != NULL)
    remove_tree (temp_dir);
  return 1;
}

static int
cmd_serve (int argc, char **argv, gboolean demo)
{
  RunOptions o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  int ret;
  GOptionEntry serve_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &o.db, "The SQLite file (created if missing) or postgresql:// URL", "PATH|URL" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &o.listen, "Address to listen on (default 127.0.0.1:8710; port 0 picks a free port)", "HOST:PORT" },
    { "socket", 0, 0, G_OPTION_ARG_FILENAME, &o.socket, "Listen on a Unix socket instead", "PATH" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &o.tls_cert, "PEM certificate: serve HTTPS", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &o.tls_key, "PEM private key of --tls-cert", "FILE" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &o.public_url, "Base URL clients see (for callback URLs)", "URL" },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &o.rate_limit, "Requests per minute per API key (default 1000)", "N" },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &o.catalog, "The connector catalog (JSON)", "FILE" },
    { "oauth-apps", 0, 0, G_OPTION_ARG_FILENAME, &o.oauth_apps, "The platform's OAuth apps (JSON: provider → client_id, client_secret)", "FILE" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &o.key_file, "Credential encryption key (default: the database path + .key; required with PostgreSQL)", "FILE" },
    { NULL }
  };
  GOptionEntry limit_entries[] = {
    { "allowed-hosts", 0, 0, G_OPTION_ARG_STRING, &o.allowed_hosts, "Host names clients may use besides localhost and the listening address, separated by commas (* for any)", "HOST,…" },
    { "auth-failures", 0, 0, G_OPTION_ARG_INT, &o.auth_failures, "Failed authentications per minute per client address (default 30)", "N" },
    { "header-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o.header_timeout, "Seconds a client has to send a request's headers (default 10)", "S" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o.idle_timeout, "Seconds a kept-alive connection may wait for its next request (default 60)", "S" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &o.max_connections, "Open connections, all clients together (default: as many as open files allow, at most 4096)", "N" },
    { "max-client-connections", 0, 0, G_OPTION_ARG_INT, &o.max_peer_connections, "Open connections from one client address (default 256)", "N" },
    { "workers", 0, 0, G_OPTION_ARG_INT, &o.workers, "Threads serving connections (default: one per CPU, at most 4)", "N" },
    { NULL }
  };
  GOptionEntry demo_entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &o.listen, "Address to listen on (default 127.0.0.1:8710; port 0 picks a free port)", "HOST:PORT" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &o.db, "Keep the demo database here (a new file, or an empty postgresql:// database) instead of a temporary directory", "PATH|URL" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &o.key_file, "Credential encryption key (default: the database path + .key; required with PostgreSQL)", "FILE" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &o.public_url, "Base URL clients see (for callback URLs)", "URL" },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &o.rate_limit, "Requests per minute per API key (default 1000)", "N" },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &o.catalog, "The connector catalog (JSON)", "FILE" },
    { "oauth-apps", 0, 0, G_OPTION_ARG_FILENAME, &o.oauth_apps, "The platform's OAuth apps (JSON: provider → client_id, client_secret)", "FILE" },
    { NULL }
  };

  context = g_option_context_new (demo ? "— serve a throw-away demo organisation"
                                       : "— serve the Plugboard admin API");
  g_option_context_set_summary (context, demo
    ? "Seeds a new database with two projects (“Acme HR” on growth, “Acme Sandbox” on starter)\n"
      "and serves it until SIGINT or SIGTERM. The first line on stdout is JSON:\n"
      "{\"url\", \"projects\": [{\"id\", \"name\", \"plan\", \"admin_key\", \"viewer_key\"}]}"
    : "Serves the database given with --db. The first line on stdout is JSON: {\"url\"}.");
  g_option_context_add_main_entries (context, demo ? demo_entries : serve_entries, NULL);
  g_option_context_add_main_entries (context, limit_entries, NULL);
  if (!parse_options (context, &argc, &argv))
    return 2;
  if (!demo && o.db == NULL)
    {
      g_printerr ("serve needs --db PATH (create one with “plugboard-server init --db PATH”).\n");
      return 2;
    }
  ret = run_server (&o, demo);
  g_free (o.listen);
  g_free (o.socket);
  g_free (o.db);
  g_free (o.key_file);
  g_free (o.public_url);
  g_free (o.catalog);
  g_free (o.oauth_apps);
  g_free (o.tls_cert);
  g_free (o.tls_key);
  g_free (o.allowed_hosts);
  return ret;
}

/* ---- administration --------------------------------------------------------------------- */

static int
cmd_init (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— create a database and its key file");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbDb) db = NULL;
  g_autoptr(PbCrypto) crypto = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The SQLite file or postgresql:// URL of the database to set up", "PATH|URL" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "Credential encryption key (default: the database path + .key; required with PostgreSQL)", "FILE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv))
    return 2;
  if (db_path == NULL)
    {
      g_printerr ("init needs --db PATH.\n");
      return 2;
    }
  key_path = key_file_for (db_path, key_file);
  if (key_path == NULL)
    return 2;
  db = pb_db_open (db_path, &error);
  if (db == NULL || (crypto = open_crypto (db, key_path, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_printerr ("The database %s is ready; its key file is %s.\n", pb_db_name (db), key_path);
  return 0;
}

static int
cmd_create_project (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *region = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— add a project and print its id");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbDb) db = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The SQLite file or postgresql:// URL", "PATH|URL" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The project's name", "NAME" },
    { "plan", 0, 0, G_OPTION_ARG_STRING, &plan, "starter, growth or enterprise", "PLAN" },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region, "eu1 (default) or us1", "REGION" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv))
    return 2;
  if (db_path == NULL || name == NULL || plan == NULL)
    {
      g_printerr ("create-project needs --db PATH --name NAME --plan PLAN.\n");
      return 2;
    }
  if (*g_strstrip (name) == '\0' || g_utf8_strlen (name, -1) > 200)
    {
      g_printerr ("The name must not be blank and have at most 200 characters.\n");
      return 2;
    }
  if (!db_exists (db_path))
    {
      g_printerr ("There is no database at %s; create it with “plugboard-server init”.\n", db_path);
      return 1;
    }
  db = pb_db_open (db_path, &error);
  if (db == NULL || (id = pb_db_create_project (db, name, plan, region ? region : "eu1", &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("%s\n", id);
  return 0;
}

static int
cmd_create_key (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *project = NULL;
  g_autofree char *role = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— make an API key and print it once");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbDb) db = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The SQLite file or postgresql:// URL", "PATH|URL" },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project, "The project id", "ID" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, "admin or viewer", "ROLE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Only a salted hash of the key is stored: keep the "
                                         "printed key, it cannot be shown again.");
  if (!parse_options (context, &argc, &argv))
    return 2;
  if (db_path == NULL || project == NULL || role == NULL)
    {
      g_printerr ("create-key needs --db PATH --project ID --role admin|viewer.\n");
      return 2;
    }
  if (!db_exists (db_path))
    {
      g_printerr ("There is no database at %s; create it with “plugboard-server init”.\n", db_path);
      return 1;
    }
  db = pb_db_open (db_path, &error);
  if (db == NULL || (key = pb_db_create_key (db, project, role, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("%s\n", key);
  return 0;
}

static int
cmd_migrate (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *catalog_path = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— bring a database to this server's schema");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbDb) db = NULL;
  g_autoptr(PbCrypto) crypto = NULL;
  g_autoptr(PbCatalog) catalog = NULL;
  guint from = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The SQLite file or postgresql:// URL", "PATH|URL" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "Credential encryption key (default: the database path + .key; required with PostgreSQL)", "FILE" },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_path, "The connector catalog (JSON)", "FILE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "What serve does at start, alone: one transaction, "
                                         "and a database newer than this server is refused, "
                                         "unchanged.");
  if (!parse_options (context, &argc, &argv))
    return 2;
  if (db_path == NULL)
    {
      g_printerr ("migrate needs --db PATH|URL.\n");
      return 2;
    }
  if (!db_exists (db_path))
    {
      g_printerr ("There is no database at %s; create it with “plugboard-server init”.\n", db_path);
      return 1;
    }
  key_path = key_file_for (db_path, key_file);
  if (key_path == NULL)
    return 2;
  if (catalog_path == NULL)
    catalog_path = pb_catalog_default_path ();
  if ((catalog = pb_catalog_load (catalog_path, &error)) == NULL
      || (db = pb_db_open (db_path, &error)) == NULL
      || (crypto = open_crypto (db, key_path, &error)) == NULL
      || !pb_migrate (db, catalog, crypto, &from, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (from == 0 || from == pb_migrate_current_version ())
    g_printerr ("The database %s has the current schema (version %u).\n", pb_db_name (db),
                pb_migrate_current_version ());
  return 0;
}

static int
cmd_copy (int argc, char **argv)
{
  g_autofree char *from_target = NULL;
  g_autofree char *to_target = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— copy a deployment into a new database");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbDb) from = NULL;
  g_autoptr(PbDb) to = NULL;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from_target, "The database to copy: sqlite:FILE (or a path) or a postgresql:// URL", "DB" },
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to_target, "The new, empty database: a postgresql:// URL or sqlite:FILE", "DB" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Copies every row in one transaction, then checks each "
                                         "table row by row. Stop the servers of the original "
                                         "first; the copy needs the same key file.");
  if (!parse_options (context, &argc, &argv))
    return 2;
  if (from_target == NULL || to_target == NULL)
    {
      g_printerr ("copy needs --from DB --to DB.\n");
      return 2;
    }
  if (!db_exists (from_target))
    {
      g_printerr ("There is no database at %s.\n", from_target);
      return 1;
    }
  if ((from = pb_db_open (from_target, &error)) == NULL
      || (to = pb_db_open (to_target, &error)) == NULL
      || !pb_copy (from, to, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_printerr ("Copied %s to %s and checked every table. Serve it with the key file of the "
              "original.\n", pb_db_name (from), pb_db_name (to));
  return 0;
}

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: plugboard-server COMMAND [OPTION…]\n\n"
           "The reference backend of the Plugboard admin API.\n\n"
           "Commands:\n"
           "  serve            Serve a database (--db PATH)\n"
           "  demo             Serve a throw-away demo organisation\n"
           "  init             Create a database and its encryption key file\n"
           "  migrate          Bring a database to this server's schema\n"
           "  copy             Copy a deployment into a new database (SQLite to PostgreSQL)\n"
           "  create-project   Add a project and print its id\n"
           "  create-key       Make an API key for a project and print it once\n\n"
           "Run “plugboard-server COMMAND --help” for a command's options.\n");
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  g_log_set_writer_func (log_writer, NULL, NULL);
  /* Whatever the server creates (database, journal, key file, socket) is for its user only. */
  umask (077);
  /* HTTPS: TLS 1.2 and 1.3 only, and only key exchanges with forward secrecy. glib-networking
   * reads this once, before its first TLS connection. */
  g_setenv ("G_TLS_GNUTLS_PRIORITY", PB_SERVER_TLS_PRIORITY, TRUE);
  g_set_prgname ("plugboard-server");

  if (argc < 2)
    {
      usage (stderr);
      return 2;
    }
  command = argv[1];
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") || g_str_equal (command, "help"))
    {
      usage (stdout);
      return 0;
    }
  if (g_str_equal (command, "--version"))
    {
      printf ("plugboard-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  /* Options are parsed after the command: shift it off so GOption sees the rest. */
  argv[1] = argv[0];
  argv++;
  argc--;
  if (g_str_equal (command, "serve"))
    return cmd_serve (argc, argv, FALSE);
  if (g_str_equal (command, "demo"))
    return cmd_serve (argc, argv, TRUE);
  if (g_str_equal (command, "init"))
    return cmd_init (argc, argv);
  if (g_str_equal (command, "copy"))
    return cmd_copy (argc, argv);
  if (g_str_equal (command, "migrate"))
    return cmd_migrate (argc, argv);
  if (g_str_equal (command, "create-project"))
    return cmd_create_project (argc, argv);
  if (g_str_equal (command, "create-key"))
    return cmd_create_key (argc, argv);
  fprintf (stderr, "Unknown command “%s”.\n\n", command);
  usage (stderr);
  return 2;
}
