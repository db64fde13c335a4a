/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server.h"

#include <string.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#include "pb-server-connect.h"
#include "pb-server-private.h"

struct _PbServer
{
  GObject          parent_instance;
  PbHttp          *http;
  PbDb            *db;          /* the main thread's; each worker opens its own */
  PbCatalog       *catalog;
  PbCrypto        *crypto;
  PbServerConfig   config;
  PbGuard         *guard;
  char            *url;
  char            *public_url;
  char            *socket_path;
  GTlsCertificate *tls_certificate;
  GHashTable      *oauth_apps;  /* provider → JsonObject {client_id, client_secret} */
};

G_DEFINE_FINAL_TYPE (PbServer, pb_server, G_TYPE_OBJECT)

static void
pb_server_finalize (GObject *object)
{
  PbServer *self = PB_SERVER (object);

  pb_server_disconnect (self);
  g_clear_pointer (&self->http, pb_http_free);
  g_clear_object (&self->tls_certificate);
  g_clear_pointer (&self->oauth_apps, g_hash_table_unref);
  g_clear_pointer (&self->catalog, pb_catalog_free);
  g_clear_pointer (&self->crypto, pb_crypto_free);
  g_clear_pointer (&self->db, pb_db_close);
  g_clear_pointer (&self->guard, pb_guard_free);
  g_strfreev (self->config.allowed_hosts);
  g_free (self->url);
  g_free (self->public_url);
  g_free (self->socket_path);
  G_OBJECT_CLASS (pb_server_parent_class)->finalize (object);
}

static void
pb_server_class_init (PbServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pb_server_finalize;
}

static void
pb_server_init (PbServer *self)
{
}

void
pb_server_config_init (PbServerConfig *config)
{
  *config = (PbServerConfig) {
    .rate_limit = 1000,
    .auth_failures = 30,
    .header_timeout = 10,
    .body_timeout = 30,
    .idle_timeout = 60,
    .max_connections = 0,
    .max_peer_connections = 256,
    .workers = 0,
    .allowed_hosts = NULL,
  };
}

/* ---- routing ---------------------------------------------------------------------------- */

typedef enum
{
  ROUTE_PROJECT,
  ROUTE_CONNECTORS,
  ROUTE_CONNECTOR,
  ROUTE_INTEGRATIONS,
  ROUTE_INTEGRATION,
  ROUTE_GENERATED_VALUE,
  ROUTE_ACCOUNTS,
  ROUTE_ACCOUNT,
  ROUTE_ACCOUNT_REFRESH,
  ROUTE_SESSIONS,
  ROUTE_SESSION_AUTH,
  ROUTE_LOGS,
  ROUTE_LOG,
  ROUTE_CONNECT_PAGE,
  ROUTE_OAUTH_CALLBACK,
  ROUTE_NONE,
} Route;

/* Allowed methods per route. */
static const char * const route_methods[] = {
  [ROUTE_PROJECT] = "GET",
  [ROUTE_CONNECTORS] = "GET",
  [ROUTE_CONNECTOR] = "GET",
  [ROUTE_INTEGRATIONS] = "GET, POST",
  [ROUTE_INTEGRATION] = "GET, PATCH, DELETE",
  [ROUTE_GENERATED_VALUE] = "GET",
  [ROUTE_ACCOUNTS] = "GET",
  [ROUTE_ACCOUNT] = "GET, PATCH, DELETE",
  [ROUTE_ACCOUNT_REFRESH] = "POST",
  [ROUTE_SESSIONS] = "POST",
  [ROUTE_SESSION_AUTH] = "POST",
  [ROUTE_LOGS] = "GET",
  [ROUTE_LOG] = "GET",
  [ROUTE_CONNECT_PAGE] = "GET, POST",
  [ROUTE_OAUTH_CALLBACK] = "GET",
};

/* @out_field: the second parameter, of the routes that have one. */
static Route
match_route (const char  *raw_path,
             char       **out_param,
             char       **out_field)
{
  g_auto(GStrv) raw = NULL;
  g_autoptr(GPtrArray) seg = g_ptr_array_new_with_free_func (g_free);
  guint i, n;

  *out_param = NULL;
  if (raw_path == NULL || raw_path[0] != '/')
    return ROUTE_NONE;
  raw = g_strsplit (raw_path + 1, "/", 8);
  for (i = 0; raw[i] != NULL; i++)
    {
      /* A decoded segment may not hide a '/' or NUL, be empty, or be a dot segment. */
      char *s = g_uri_unescape_string (raw[i], "/");
      if (s == NULL || *s == '\0' || g_str_equal (s, ".") || g_str_equal (s, "..")
          || !g_utf8_validate (s, -1, NULL) || strlen (s) > 200)
        {
          g_free (s);
          return ROUTE_NONE;
        }
      g_ptr_array_add (seg, s);
    }
  n = seg->len;
#define SEG(k) ((const char *) seg->pdata[k])
  if (n == 1 && g_str_equal (SEG (0), "project"))
    return ROUTE_PROJECT;
  if (n >= 1 && n <= 2 && g_str_equal (SEG (0), "connectors"))
    {
      if (n == 1)
        return ROUTE_CONNECTORS;
      *out_param = g_strdup (SEG (1));
      return ROUTE_CONNECTOR;
    }
  if (n >= 1 && n <= 2 && g_str_equal (SEG (0), "integrations"))
    {
      if (n == 1)
        return ROUTE_INTEGRATIONS;
      *out_param = g_strdup (SEG (1));
      return ROUTE_INTEGRATION;
    }
  if (n == 4 && g_str_equal (SEG (0), "integrations") && g_str_equal (SEG (2), "generated"))
    {
      *out_param = g_strdup (SEG (1));
      *out_field = g_strdup (SEG (3));
      return ROUTE_GENERATED_VALUE;
    }
  if (n >= 1 && n <= 2 && g_str_equal (SEG (0), "accounts"))
    {
      if (n == 1)
        return ROUTE_ACCOUNTS;
      *out_param = g_strdup (SEG (1));
      return ROUTE_ACCOUNT;
    }
  if (n == 3 && g_str_equal (SEG (0), "accounts") && g_str_equal (SEG (2), "refresh"))
    {
      *out_param = g_strdup (SEG (1));
      return ROUTE_ACCOUNT_REFRESH;
    }
  if (n == 1 && g_str_equal (SEG (0), "connect_sessions"))
    return ROUTE_SESSIONS;
  if (n == 2 && g_str_equal (SEG (0), "connect_sessions") && g_str_equal (SEG (1), "authenticate"))
    return ROUTE_SESSION_AUTH;
  if (n >= 2 && n <= 3 && g_str_equal (SEG (0), "requests") && g_str_equal (SEG (1), "logs"))
    {
      if (n == 2)
        return ROUTE_LOGS;
      *out_param = g_strdup (SEG (2));
      return ROUTE_LOG;
    }
  if (n == 2 && g_str_equal (SEG (0), "connect"))
    {
      *out_param = g_strdup (SEG (1));
      return ROUTE_CONNECT_PAGE;
    }
  if (n == 4 && g_str_equal (SEG (0), "connect") && g_str_equal (SEG (1), "oauth2")
      && g_str_equal (SEG (3), "callback"))
    {
      *out_param = g_strdup (SEG (2));
      return ROUTE_OAUTH_CALLBACK;
    }
#undef SEG
  return ROUTE_NONE;
}

static gboolean
method_allowed (Route       route,
                const char *method)
{
  g_auto(GStrv) list = g_strsplit (route_methods[route], ", ", -1);

  if (g_str_equal (method, "HEAD"))
    method = "GET";
  return g_strv_contains ((const char * const *) list, method);
}

/* Writes the request log of a request that changed nothing (a read, or a refused change) in a
 * transaction of its own; changes write theirs with the change (pb_request_commit). */
static void
write_log (PbRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!pb_db_begin (req->db, &error) || !pb_request_insert_log (req, req->status, &error)
      || !pb_db_commit (req->db, &error))
    {
      pb_db_rollback (req->db);
      g_warning ("Could not record a request log: %s", error->message);
    }
}

static void
dispatch (PbServer   *self,
          PbRequest  *req,
          Route       route,
          const char *param,
          const char *field)
{
  gboolean get = g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD");

  switch (route)
    {
    case ROUTE_PROJECT:
      pb_server_handle_project (req);
      break;
    case ROUTE_CONNECTORS:
      pb_server_handle_connectors (req);
      break;
    case ROUTE_CONNECTOR:
      pb_server_handle_connector (req, param);
      break;
    case ROUTE_INTEGRATIONS:
      if (get)
        pb_server_handle_integrations_list (req);
      else
        pb_server_handle_integration_create (req);
      break;
    case ROUTE_INTEGRATION:
      if (get)
        pb_server_handle_integration_get (req, param);
      else if (g_str_equal (req->method, "PATCH"))
        pb_server_handle_integration_update (req, param);
      else
        pb_server_handle_integration_delete (req, param);
      break;
    case ROUTE_GENERATED_VALUE:
      pb_server_handle_generated_value (req, param, field);
      break;
    case ROUTE_ACCOUNTS:
      pb_server_handle_accounts_list (req);
      break;
    case ROUTE_ACCOUNT:
      if (get)
        pb_server_handle_account_get (req, param);
      else if (g_str_equal (req->method, "PATCH"))
        pb_server_handle_account_update (req, param);
      else
        pb_server_handle_account_delete (req, param);
      break;
    case ROUTE_ACCOUNT_REFRESH:
      pb_server_handle_account_refresh (req, param);
      break;
    case ROUTE_SESSIONS:
      pb_server_handle_session_create (req);
      break;
    case ROUTE_SESSION_AUTH:
      pb_server_handle_session_authenticate (req);
      break;
    case ROUTE_LOGS:
      pb_server_handle_logs_list (req);
      break;
    case ROUTE_LOG:
      pb_server_handle_log_get (req, param);
      break;
    case ROUTE_CONNECT_PAGE:
      pb_server_handle_connect_page (req, param);
      break;
    case ROUTE_OAUTH_CALLBACK:
      pb_server_handle_oauth_callback (req, param);
      break;
    case ROUTE_NONE:
    default:
      g_assert_not_reached ();
    }
}

/* GET /healthz, for load balancers: no key needed, nothing logged; 200 while this server's
 * database answers, else 503. */
static void
reply_health (PbRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  gboolean up = FALSE;

  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD"))
    {
      pb_request_set_header (req, "Allow", "GET");
      pb_request_reply_error (req, 405, "method_not_allowed", NULL,
                              "%s is not allowed here; use GET.", req->method);
      return;
    }
  if (req->db != NULL)
    {
      PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT 1");

      up = pb_db_step (stmt) == PB_DB_ROW;
      pb_db_reset (stmt);
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, up ? "ok" : "unavailable");
  json_builder_set_member_name (b, "database");
  json_builder_add_string_value (b, req->db == NULL ? "none"
                                    : pb_db_engine (req->db) == PB_DB_POSTGRESQL ? "postgresql"
                                    : "sqlite");
  json_builder_end_object (b);
  pb_request_reply_json (req, up ? 200 : 503, json_builder_get_root (b));
}

static void
serve_request (PbServer  *self,
               PbRequest *req)
{
  g_autofree char *param = NULL;
  g_autofree char *field = NULL;
  g_autofree char *key = NULL;
  SoupMessageHeaders *headers;
  const char *host, *peer, *problem = NULL;
  Route route;
  guint wait;

  headers = req->http->request_headers;
  host = soup_message_headers_get_one (headers, "Host");
  if (host != NULL && !pb_guard_host_allowed (self->guard, host, req->http->local))
    {
      pb_request_reply_error (req, 421, "unknown_host", NULL,
                              "This server does not answer for the host in this request. "
                              "Use one of its addresses, or start it with --allowed-hosts.");
      return;
    }
  if (g_strcmp0 (req->http->path, "/healthz") == 0)
    {
      reply_health (req);
      return;
    }
  route = match_route (req->http->path, &param, &field);
  if (route == ROUTE_NONE)
    {
      pb_request_reply_error (req, 404, "not_found", NULL,
                              "There is nothing at this address. Check the path.");
      return;
    }
  if (!method_allowed (route, req->method))
    {
      pb_request_set_header (req, "Allow", route_methods[route]);
      pb_request_reply_error (req, 405, "method_not_allowed", NULL,
                              "%s is not allowed here; use %s.", req->method, route_methods[route]);
      return;
    }
  peer = req->http->peer;
  wait = pb_guard_failures_wait (self->guard, peer);
  if (wait > 0)
    {
      g_autofree char *after = g_strdup_printf ("%u", wait);
      pb_request_set_header (req, "Retry-After", after);
      if (route == ROUTE_CONNECT_PAGE || route == ROUTE_OAUTH_CALLBACK)
        pb_connect_reply_message (req, 429, "Too many tries",
                                  "Too many links that do not work were opened from this "
                                  "address. Wait a minute, then open your link again.");
      else
        pb_request_reply_error (req, 429, "rate_limited", NULL,
                                "Too many failed authentications from this address. "
                                "Try again in %u seconds.", wait);
      return;
    }
  /* The end user's pages: the session's token (in the path, or bound to the OAuth state)
   * stands for the key. A token that fits no session counts as a failed authentication. */
  if (route == ROUTE_CONNECT_PAGE || route == ROUTE_OAUTH_CALLBACK)
    {
      /* Showing the page reads in one snapshot; the callback (a GET) changes things. */
      gboolean get = route == ROUTE_CONNECT_PAGE && (g_str_equal (req->method, "GET")
                                                     || g_str_equal (req->method, "HEAD"));
      gboolean in_transaction = get && pb_db_step_done (req->db, pb_db_stmt (req->db, "BEGIN"),
                                                        NULL);

      dispatch (self, req, route, param, field);
      if (in_transaction)
        pb_db_rollback (req->db);
      if (route == ROUTE_CONNECT_PAGE && req->status == 404)
        pb_guard_count_failure (self->guard, peer);
      return;
    }
  key = pb_guard_authorization_key (headers, &problem);
  if (key == NULL || !pb_db_check_key (req->db, key, &req->project_id, &req->role, &req->plan))
    {
      if (key != NULL || problem != NULL)
        pb_guard_count_failure (self->guard, peer);
      pb_request_set_header (req, "WWW-Authenticate", "Basic realm=\"Plugboard\"");
      pb_request_reply_error (req, 401, "unauthorized", NULL, "%s",
                              problem != NULL ? problem
                              : key == NULL ? "An API key is required. Send it as the user name "
                                              "of Basic authentication, or as a Bearer token."
                              : "This API key is not valid.");
      return;
    }
  req->key_id = pb_db_key_id (key);
  wait = pb_guard_rate_wait (self->guard, req->db, key);
  if (wait > 0)
    {
      g_autofree char *after = g_strdup_printf ("%u", wait);
      pb_request_set_header (req, "Retry-After", after);
      pb_request_reply_error (req, 429, "rate_limited", NULL,
                              "Too many requests with this API key (the limit is %u a minute). "
                              "Try again in %u seconds.", pb_guard_rate_limit (self->guard), wait);
      return;
    }
  if (req->plan == NULL)
    {
      pb_request_reply_error (req, 401, "unauthorized", NULL,
                              "The project of this API key no longer exists.");
      return;
    }
  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD")
      && !g_str_equal (req->role, "admin"))
    {
      pb_request_reply_error (req, 403, "forbidden", NULL,
                              "This API key is read-only (viewer); changes need an admin key.");
      return;
    }
  /* A check of an account has nothing to say; an empty body is as good as {} there. */
  if ((g_str_equal (req->method, "POST") || g_str_equal (req->method, "PATCH"))
      && !(route == ROUTE_ACCOUNT_REFRESH
           && (req->http->body == NULL || g_bytes_get_size (req->http->body) == 0))
      && !pb_request_read_body (req))
    return;
  if (g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD"))
    {
      /* One read transaction per read: a consistent snapshot, and one lock instead of one per
       * query. Changes run their own BEGIN IMMEDIATE transactions. */
      gboolean in_transaction = pb_db_begin_read (req->db);
      dispatch (self, req, route, param, field);
      if (in_transaction)
        pb_db_rollback (req->db);
    }
  else
    dispatch (self, req, route, param, field);
}

/* Opens the database connection of a worker thread. */
static gpointer
worker_init (gpointer user_data)
{
  PbServer *self = user_data;
  g_autoptr(GError) error = NULL;
  PbDb *db = pb_db_open (pb_db_target (self->db), &error);

  if (db == NULL)
    {
      g_warning ("A worker could not open the database: %s", error->message);
      return NULL;
    }
  pb_db_hold_writes (db);
  /* WAL checkpoints are the checkpointer thread's (pb_db_start_checkpointer); a commit that ran
   * one itself would take milliseconds. */
  if (pb_db_engine (db) == PB_DB_SQLITE && !pb_db_exec (db, "PRAGMA wal_autocheckpoint = 0", &error))
    g_warning ("%s", error->message);
  return db;
}

static void
worker_free (gpointer data)
{
  pb_db_close (data);
}

static void
handle_exchange (PbHttpExchange *exchange,
                 gpointer        user_data)
{
  PbServer *self = user_data;
  g_autoptr(GHashTable) query = NULL;
  PbRequest req = { 0 };

  req.server = self;
  req.http = exchange;
  req.db = exchange->worker_data;
  req.catalog = self->catalog;
  req.crypto = self->crypto;
  req.public_url = self->public_url ? self->public_url : self->url ? self->url : "";
  req.method = exchange->method;
  req.start_us = g_get_monotonic_time ();
  query = exchange->query != NULL ? soup_form_decode (exchange->query)
                                  : g_hash_table_new (g_str_hash, g_str_equal);
  req.query = query;

  if (exchange->refused_code != NULL)
    {
      /* An end user's page gets a page, whatever went wrong. */
      if (exchange->path != NULL && g_str_has_prefix (exchange->path, "/connect/"))
        pb_connect_reply_message (&req, exchange->status, "The request could not be read",
                                  exchange->refused_message);
      else
        pb_request_reply_error (&req, exchange->status, exchange->refused_code, NULL, "%s",
                                exchange->refused_message);
      return;
    }
  if (req.db == NULL)
    pb_request_reply_error (&req, 503, "busy", NULL, "The server cannot open its database.");
  else
    serve_request (self, &req);
  if (!req.replied)
    pb_request_reply_error (&req, 500, "internal_error", NULL, "The request was not answered.");
  pb_request_set_header (&req, "Cache-Control", "no-store");
  /* A handler that left its transaction open would hold up every writer. */
  if (req.db != NULL && pb_db_in_transaction (req.db))
    {
      g_warning ("%s %s left a transaction open", req.method,
                 req.shown_path ? req.shown_path : exchange->path);
      pb_db_rollback (req.db);
    }
  if (req.log_resource != NULL && req.project_id != NULL && !req.log_written)
    write_log (&req);
  /* The write turn (if this request took it) passes on once the answer is ready: the answers
   * to changes leave in the order of the changes. */
  if (req.db != NULL)
    pb_db_end_writes (req.db);

  g_debug ("%s %s %u %.2f ms", req.method, req.shown_path ? req.shown_path : exchange->path,
           req.status, (g_get_monotonic_time () - req.start_us) / 1000.0);

  g_clear_pointer (&req.body, json_node_unref);
  g_free (req.project_id);
  g_free (req.plan);
  g_free (req.role);
  g_free (req.key_id);
  g_free (req.log_provider);
  g_free (req.log_integration_id);
  g_free (req.log_account_id);
}

/* ---- public ----------------------------------------------------------------------------- */

gboolean
pb_server_load_oauth_apps (PbServer    *self,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) apps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) json_object_unref);
  JsonObjectIter iter;
  const char *provider;
  JsonNode *node;

  if (!json_parser_load_from_file (parser, path, error))
    {
      g_prefix_error (error, "Could not read the OAuth apps “%s”: ", path);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The OAuth apps “%s” must be a JSON object of providers.", path);
      return FALSE;
    }
  json_object_iter_init (&iter, json_node_get_object (json_parser_get_root (parser)));
  while (json_object_iter_next (&iter, &provider, &node))
    {
      JsonObject *app = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (app == NULL || !pb_json_is_string (json_object_get_member (app, "client_id"))
          || !pb_json_is_string (json_object_get_member (app, "client_secret")))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "The OAuth apps “%s”: “%s” needs a client_id and a client_secret, both "
                       "strings.", path, provider);
          return FALSE;
        }
      g_hash_table_insert (apps, g_strdup (provider), json_object_ref (app));
    }
  g_clear_pointer (&self->oauth_apps, g_hash_table_unref);
  self->oauth_apps = g_steal_pointer (&apps);
  return TRUE;
}

gboolean
pb_server_get_oauth_app (PbServer    *self,
                         const char  *provider,
                         const char **out_client_id,
                         const char **out_client_secret)
{
  JsonObject *app = self->oauth_apps ? g_hash_table_lookup (self->oauth_apps, provider) : NULL;

  if (app == NULL)
    return FALSE;
  *out_client_id = json_object_get_string_member (app, "client_id");
  *out_client_secret = json_object_get_string_member (app, "client_secret");
  return TRUE;
}

PbServer *
pb_server_new (PbDb                 *db,
               PbCatalog            *catalog,
               PbCrypto             *crypto,
               const PbServerConfig *config,
               GTlsCertificate      *tls_certificate)
{
  PbServer *self = g_object_new (PB_TYPE_SERVER, NULL);

  self->db = db;
  pb_db_start_checkpointer (db);
  self->catalog = catalog;
  self->crypto = crypto;
  self->config = *config;
  self->config.allowed_hosts = g_strdupv (config->allowed_hosts);
  self->guard = pb_guard_new (&self->config);
  self->tls_certificate = tls_certificate ? g_object_ref (tls_certificate) : NULL;
  {
    PbHttpLimits limits = {
      .header_timeout = config->header_timeout,
      .body_timeout = config->body_timeout,
      .idle_timeout = config->idle_timeout,
      .max_connections = config->max_connections,
      .max_peer_connections = config->max_peer_connections,
      .workers = config->workers,
    };
    self->http = pb_http_new (&limits, tls_certificate, handle_exchange, worker_init, worker_free,
                              self);
  }
  return self;
}

void
pb_server_set_public_url (PbServer   *self,
                          const char *url)
{
  g_free (self->public_url);
  self->public_url = url && *url ? g_strdup (url) : NULL;
  if (self->public_url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (self->public_url, G_URI_FLAGS_NONE, NULL);
      if (uri != NULL && g_uri_get_host (uri) != NULL)
        pb_guard_allow_host (self->guard, g_uri_get_host (uri));
    }
  /* No trailing slash, so paths append cleanly. */
  if (self->public_url && g_str_has_suffix (self->public_url, "/"))
    self->public_url[strlen (self->public_url) - 1] = '\0';
}

gboolean
pb_server_listen (PbServer    *self,
                  const char  *host_port,
                  GError     **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;

  connectable = g_network_address_parse (host_port, 8710, error);
  if (connectable == NULL)
    {
      g_prefix_error (error, "“%s” is not HOST:PORT: ", host_port);
      return FALSE;
    }
  /* Listen on a literal address only: resolving names could bind somewhere unexpected. */
  address = g_inet_socket_address_new_from_string (
    g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable)),
    g_network_address_get_port (G_NETWORK_ADDRESS (connectable)));
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address with a port, e.g. 127.0.0.1:8710", host_port);
      return FALSE;
    }
  if (!g_inet_address_get_is_any (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address))))
    pb_guard_allow_host (self->guard, g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable)));
  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  if (!g_socket_bind (socket, address, TRUE, error))
    {
      g_prefix_error (error, "Could not listen on %s: ", host_port);
      return FALSE;
    }
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;
  {
    g_autofree char *ip = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound)));
    gboolean v6 = g_socket_address_get_family (bound) == G_SOCKET_FAMILY_IPV6;

    g_free (self->url);
    self->url = g_strdup_printf ("%s://%s%s%s:%u", pb_http_is_https (self->http) ? "https" : "http",
                                 v6 ? "[" : "", ip, v6 ? "]" : "",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  }
  /* Last: the worker threads read the URL from the first connection on. */
  if (!pb_http_listen (self->http, socket, error))
    {
      g_prefix_error (error, "Could not listen on %s: ", host_port);
      return FALSE;
    }
  return TRUE;
}

gboolean
pb_server_listen_unix (PbServer    *self,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      GStatBuf st;
      if (g_stat (path, &st) == 0 && S_ISSOCK (st.st_mode))
        g_unlink (path);
    }
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return FALSE;
  address = g_unix_socket_address_new (path);
  g_free (self->url);
  self->url = g_strdup ("http://localhost");
  if (!g_socket_bind (socket, address, FALSE, error) || !pb_http_listen (self->http, socket, error))
    {
      g_prefix_error (error, "Could not listen on “%s”: ", path);
      return FALSE;
    }
  g_chmod (path, 0600);
  g_free (self->socket_path);
  self->socket_path = g_strdup (path);
  return TRUE;
}

const char *
pb_server_get_url (PbServer *self)
{
  return self->url;
}

void
pb_server_disconnect (PbServer *self)
{
  if (self->http != NULL)
    pb_http_stop (self->http);
  if (self->socket_path != NULL)
    {
      g_unlink (self->socket_path);
      g_clear_pointer (&self->socket_path, g_free);
    }
}
