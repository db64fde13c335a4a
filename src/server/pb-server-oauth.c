/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-rules.h"
#include "pb-server-connect.h"
#include "pb-server-credentials.h"

/* OAuth 2.0 authorization code (RFC 6749, section 4.1) for linking accounts of oauth2 and oidc
 * auth types: the connect page sends the end user to the provider's authorize URL (built from
 * the catalog's authorize_url, token_url and scopes, the integration's or the platform's OAuth
 * app, the callback URL, and a state bound to the session), the provider sends them back to
 * /connect/oauth2/<provider>/callback, and the server trades the code for tokens at the token
 * URL. Refreshing uses the refresh token the same way. */

#define CALLBACK_PATH "/connect/oauth2/{provider}/callback"
#define TOKEN_TIMEOUT_SECONDS 15

void
pb_oauth_endpoints_clear (PbOAuthEndpoints *endpoints)
{
  g_clear_pointer (&endpoints->authorize_url, g_free);
  g_clear_pointer (&endpoints->token_url, g_free);
  g_clear_pointer (&endpoints->client_id, g_free);
  if (endpoints->client_secret != NULL)
    explicit_bzero (endpoints->client_secret, strlen (endpoints->client_secret));
  g_clear_pointer (&endpoints->client_secret, g_free);
  g_clear_pointer (&endpoints->scope, g_free);
}

/* The catalog's own JSON of @type (for the members the app does not read). */
static JsonObject *
type_json (PbCatalogEntry *entry,
           PbAuthType     *type)
{
  JsonArray *types = json_object_get_array_member (entry->json, "auth_types");

  for (guint i = 0; types != NULL && i < json_array_get_length (types); i++)
    {
      JsonObject *object = json_array_get_object_element (types, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "key", NULL),
                     pb_auth_type_get_key (type)) == 0)
        return object;
    }
  return NULL;
}

static char *
config_string (JsonObject *config,
               const char *key)
{
  JsonNode *node = config ? json_object_get_member (config, key) : NULL;

  if (!pb_json_is_string (node) || *json_node_get_string (node) == '\0')
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static gboolean
host_part (const char *value)
{
  if (value == NULL || *value == '\0')
    return FALSE;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

/* Fills the {field} places of @template with the end user's values, or else the
 * integration's settings @config. */
static char *
fill_template (const char  *template,
               PbAuthType  *type,
               JsonObject  *values,
               JsonObject  *config,
               char       **out_field,
               char       **out_problem)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = template;

  while (*p)
    {
      const char *open = strchr (p, '{'), *close;
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;
      PbAuthField *field;

      if (open == NULL || (close = strchr (open, '}')) == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      key = g_strndup (open + 1, close - open - 1);
      field = pb_auth_type_find_account_field (type, key);
      if (field == NULL)
        field = pb_auth_type_find_field (type, key);
      value = config_string (field && pb_auth_type_find_account_field (type, key) ? values : config,
                             key);
      if (value == NULL && field != NULL)
        value = g_strdup (pb_auth_field_get_default_value (field));
      if (value == NULL)
        value = g_strdup ("");
      if (field != NULL && pb_auth_field_get_kind (field) == PB_FIELD_KIND_URL)
        {
          /* A whole address (a site, a tenant's host): without its last slash. */
          gsize len = strlen (value);
          while (len > 0 && value[len - 1] == '/')
            value[--len] = '\0';
        }
      else if (!host_part (value))
        {
          *out_field = g_strdup (key);
          *out_problem = g_strdup_printf ("%s may hold only letters, digits, dots and hyphens.",
                                          field ? pb_auth_field_get_label (field) : key);
          return NULL;
        }
      g_string_append (out, value);
      p = close + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* An https address, or http on the loopback (a provider on this machine, e.g. for tests). */
static gboolean
acceptable_endpoint (const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;
  host = g_uri_get_host (uri);
  if (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  return g_strcmp0 (g_uri_get_scheme (uri), "http") == 0
         && (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1")
             || g_str_equal (host, "localhost"));
}

/* The integration's own client secret, decrypted. */
static char *
integration_secret (PbRequest  *req,
                    const char *integration_id,
                    const char *field)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT value FROM secrets"
                                            " WHERE integration_id = ? AND field = ?");
  g_autofree char *aad = g_strconcat (integration_id, "/", field, NULL);
  char *plain = NULL;
  gsize length = 0;

  pb_db_bind_text (stmt, 1, integration_id);
  pb_db_bind_text (stmt, 2, field);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      gsize size;
      const void *data = pb_db_column_blob (stmt, 0, &size);

      plain = pb_crypto_decrypt (req->crypto, aad, data, size, &length);
    }
  pb_db_reset (stmt);
  return plain;
}

gboolean
pb_oauth_endpoints_for (PbRequest        *req,
                        PbLinkContext    *ctx,
                        JsonObject       *values,
                        PbOAuthEndpoints *out,
                        char            **out_field,
                        char            **out_problem)
{
  JsonObject *type = type_json (ctx->entry, ctx->type);
  const char *provider = ctx->entry->provider_name;
  const char *authorize, *token;
  JsonArray *scopes;

  memset (out, 0, sizeof *out);
  authorize = type ? json_object_get_string_member_with_default (type, "authorize_url", NULL)
                   : NULL;
  token = type ? json_object_get_string_member_with_default (type, "token_url", NULL) : NULL;
  if (authorize == NULL || token == NULL)
    {
      *out_problem = g_strdup_printf ("This server has no sign-in address for %s. Ask the "
                                      "project that sent the link for help.", provider);
      return FALSE;
    }

  /* Whose OAuth app: the end user's own (client id among the account fields), the platform's,
   * or the integration's. */
  if (pb_auth_type_find_account_field (ctx->type, "client_id") != NULL)
    {
      out->client_id = config_string (values, "client_id");
      out->client_secret = config_string (values, "client_secret");
    }
  else if (g_strcmp0 (ctx->oauth_app, "platform") == 0)
    {
      const char *id = NULL, *secret = NULL;

      if (!pb_server_get_oauth_app (req->server, ctx->entry->provider, &id, &secret))
        {
          *out_problem = g_strdup_printf ("This server has no OAuth app of its own for %s. Ask "
                                          "the project that sent the link to use its own app.",
                                          provider);
          return FALSE;
        }
      out->client_id = g_strdup (id);
      out->client_secret = g_strdup (secret);
    }
  else
    {
      out->client_id = config_string (ctx->config, "client_id");
      out->client_secret = integration_secret (req, ctx->integration_id, "client_secret");
    }
  if (out->client_id == NULL)
    {
      *out_problem = g_strdup_printf ("The project's sign-in to %s has no client ID. Ask the "
                                      "project that sent the link for help.", provider);
      return FALSE;
    }

  out->authorize_url = fill_template (authorize, ctx->type, values, ctx->config, out_field,
                                       out_problem);
  if (out->authorize_url == NULL)
    return FALSE;
  out->token_url = fill_template (token, ctx->type, values, ctx->config, out_field, out_problem);
  if (out->token_url == NULL)
    return FALSE;
  if (!acceptable_endpoint (out->authorize_url) || !acceptable_endpoint (out->token_url))
    {
      *out_problem = g_strdup_printf ("The sign-in address of %s is not a secure (https) "
                                      "address.", provider);
      return FALSE;
    }

  out->scope = config_string (ctx->config, "scopes");
  scopes = json_object_has_member (type, "scopes") ? json_object_get_array_member (type, "scopes")
                                                    : NULL;
  if (out->scope == NULL && scopes != NULL)
    {
      g_autoptr(GString) joined = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (scopes); i++)
        g_string_append_printf (joined, "%s%s", i ? " " : "",
                                json_array_get_string_element (scopes, i));
      out->scope = g_string_free (g_steal_pointer (&joined), FALSE);
    }
  out->basic_auth = g_strcmp0 (json_object_get_string_member_with_default (type, "token_auth",
                                                                           NULL),
                               "client_secret_basic") == 0;
  return TRUE;
}

static char *
callback_url (PbRequest  *req,
              const char *provider)
{
  return g_strconcat (req->public_url, "/connect/oauth2/", provider, "/callback", NULL);
}

static void
append_query (GString    *out,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (out, "%c%s=%s", strchr (out->str, '?') ? '&' : '?', name, escaped);
}

static char *
state_hash (const char *state)
{
  return pb_crypto_sha256_hex ("oauth-state", state);
}

static char *
pending_aad (const char *session_id)
{
  return g_strconcat ("connect_session/", session_id, NULL);
}

void
pb_oauth_start (PbRequest        *req,
                PbLinkContext    *ctx,
                PbOAuthEndpoints *endpoints,
                JsonObject       *values)
{
  g_autofree char *random = pb_crypto_random_token (32);
  g_autofree char *state = g_strconcat (ctx->session->id, ".", random, NULL);
  g_autofree char *hash = state_hash (state);
  g_autofree char *redirect = callback_url (req, ctx->session->provider);
  g_autofree char *aad = pending_aad (ctx->session->id);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), values);
  g_autoptr(GString) location = g_string_new (endpoints->authorize_url);
  g_autoptr(GString) body = g_string_new ("<h1>Continue to sign in</h1><p><a href=\"");
  g_autoptr(GBytes) pending = NULL;
  g_autoptr(GError) error = NULL;
  char *text = json_to_string (node, FALSE);
  PbDbStmt *stmt;

  pending = pb_crypto_encrypt (req->crypto, aad, text, strlen (text));
  explicit_bzero (text, strlen (text));
  g_free (text);
  stmt = pb_db_stmt (req->db, "UPDATE connect_sessions SET oauth_state_hash = ?,"
                              " pending_credentials = ? WHERE id = ?");
  pb_db_bind_text (stmt, 1, hash);
  pb_db_bind_blob (stmt, 2, g_bytes_get_data (pending, NULL),
                       g_bytes_get_size (pending));
  pb_db_bind_text (stmt, 3, ctx->session->id);
  if (!pb_db_step_done (req->db, stmt, &error) || !pb_request_commit (req, 303, &error))
    {
      pb_db_rollback (req->db);
      g_warning ("%s %s: %s", req->method, req->shown_path, error->message);
      g_clear_error (&error);
      g_set_error_literal (&error, PB_LINK_ERROR, PB_LINK_ERROR_FAILED, "");
      pb_connect_reply_link_error (req, error);
      return;
    }

  append_query (location, "response_type", "code");
  append_query (location, "client_id", endpoints->client_id);
  append_query (location, "redirect_uri", redirect);
  if (endpoints->scope != NULL)
    append_query (location, "scope", endpoints->scope);
  append_query (location, "state", state);
  pb_request_set_header (req, "Location", location->str);
  pb_html_append_escaped (body, location->str);
  g_string_append (body, "\">Continue to ");
  pb_html_append_escaped (body, ctx->entry->provider_name);
  g_string_append (body, "</a></p>");
  pb_connect_reply_page (req, 303, "Continue to sign in", body->str);
}

/* ---- the token endpoint ----------------------------------------------------------------- */

static void
append_form (GString    *out,
             const char *name,
             const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (out, "%s%s=%s", out->len ? "&" : "", name, escaped);
}

/* POSTs @form (pairs of name, value; NULL-terminated) and the client's credentials to the
 * token URL; the provider's JSON answer, which has an access token. */
static JsonObject *
token_request (PbOAuthEndpoints   *endpoints,
               const char * const *form,
               GError            **error)
{
  /* A server reaches providers directly: no desktop proxy settings (GSettings) are read. */
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", TOKEN_TIMEOUT_SECONDS,
                                                                  "user-agent",
                                                                  "plugboard-server",
                                                                  "proxy-resolver", NULL, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", endpoints->token_url);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) sent = NULL;
  JsonObject *object;
  guint status;

  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the token URL is not a valid address");
      return NULL;
    }
  for (guint i = 0; form[i] != NULL; i += 2)
    append_form (body, form[i], form[i + 1]);
  if (endpoints->basic_auth)
    {
      g_autofree char *id = g_uri_escape_string (endpoints->client_id, NULL, FALSE);
      g_autofree char *secret = g_uri_escape_string (endpoints->client_secret
                                                     ? endpoints->client_secret : "", NULL, FALSE);
      g_autofree char *pair = g_strconcat (id, ":", secret, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *header = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
      explicit_bzero (pair, strlen (pair));
    }
  else
    {
      append_form (body, "client_id", endpoints->client_id);
      if (endpoints->client_secret != NULL)
        append_form (body, "client_secret", endpoints->client_secret);
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  sent = g_bytes_new (body->str, body->len);
  explicit_bzero (body->str, body->len);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", sent);
  answer = soup_session_send_and_read (session, msg, NULL, error);
  if (answer == NULL)
    return NULL;
  status = soup_message_get_status (msg);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                   g_bytes_get_size (answer), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the token URL answered %u without a JSON object", status);
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || json_object_has_member (object, "error"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the token URL answered %u (%s)",
                   status, json_object_get_string_member_with_default (object, "error",
                                                                       "no error code"));
      return NULL;
    }
  if (!pb_json_is_string (json_object_get_member (object, "access_token")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the token URL answered without an access token");
      return NULL;
    }
  return json_object_ref (object);
}

/* Puts the tokens of @answer into @credentials; their expiry (0: none said). */
static gint64
take_tokens (JsonObject *credentials,
             JsonObject *answer)
{
  JsonNode *expires = json_object_get_member (answer, "expires_in");
  JsonNode *refresh = json_object_get_member (answer, "refresh_token");

  json_object_set_string_member (credentials, PB_CREDENTIAL_ACCESS_TOKEN,
                                 json_object_get_string_member (answer, "access_token"));
  if (pb_json_is_string (refresh))
    json_object_set_string_member (credentials, PB_CREDENTIAL_REFRESH_TOKEN,
                                   json_node_get_string (refresh));
  if (pb_json_is_int (expires) && json_node_get_int (expires) >= 0)
    return pb_db_now_ms () + json_node_get_int (expires) * 1000;
  return 0;
}

/* ---- GET /connect/oauth2/{provider}/callback -------------------------------------------- */

static void
reply_bad_state (PbRequest *req)
{
  pb_connect_reply_message (req, 400, "This sign-in cannot be finished",
                            "The answer that brought you here does not belong to a sign-in "
                            "started on this server, or it was used already. Open your link "
                            "again to start over.");
}

/* Takes the state of the callback: it works once. The session it names in *@out_session. */
static gboolean
take_state (PbRequest         *req,
            const char        *provider,
            const char        *state,
            PbConnectSession **out_session)
{
  g_autofree char *session_id = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(PbConnectSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const char *dot = state ? strchr (state, '.') : NULL;
  PbDbStmt *stmt;

  if (dot == NULL || strlen (state) > 200)
    return FALSE;
  session_id = g_strndup (state, dot - state);
  hash = state_hash (state);
  if (!pb_db_begin (req->db, &error))
    return FALSE;
  session = pb_connect_session_find_id (req->db, session_id);
  if (session == NULL || session->state_hash == NULL
      || !pb_crypto_equal (session->state_hash, hash)
      || !g_str_equal (session->provider, provider))
    {
      pb_db_rollback (req->db);
      return FALSE;
    }
  stmt = pb_db_stmt (req->db, "UPDATE connect_sessions SET oauth_state_hash = NULL WHERE id = ?");
  pb_db_bind_text (stmt, 1, session_id);
  if (!pb_db_step_done (req->db, stmt, &error) || !pb_db_commit (req->db, &error))
    {
      pb_db_rollback (req->db);
      return FALSE;
    }
  *out_session = g_steal_pointer (&session);
  return TRUE;
}

void
pb_server_handle_oauth_callback (PbRequest  *req,
                                 const char *provider)
{
  const char *state = g_hash_table_lookup (req->query, "state");
  const char *code = g_hash_table_lookup (req->query, "code");
  const char *refused = g_hash_table_lookup (req->query, "error");
  g_autoptr(PbConnectSession) session = NULL;
  g_autoptr(JsonObject) credentials = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *account_id = NULL;
  PbOAuthEndpoints endpoints = { 0 };
  PbLinkContext ctx = { 0 };
  gint64 expires_at;

  /* The code and state are in the query: logs show the route only. */
  req->shown_path = CALLBACK_PATH;
  req->log_source = "oauth_callback";
  if (!take_state (req, provider, state, &session))
    {
      reply_bad_state (req);
      return;
    }
  req->project_id = g_strdup (session->project_id);
  pb_request_set_log (req, "connect_sessions", session->provider, session->integration_id,
                      session->account_id);
  if (refused != NULL || code == NULL || *code == '\0')
    {
      const char *said = g_hash_table_lookup (req->query, "error_description");
      g_autoptr(GString) body = g_string_new ("<h1>");
      g_autofree char *title = NULL;
      PbCatalogEntry *entry = pb_catalog_lookup (req->catalog, session->provider);
      const char *name = entry ? entry->provider_name : session->provider;

      title = g_strcmp0 (refused, "access_denied") == 0
              ? g_strdup_printf ("%s did not give access", name)
              : g_strdup_printf ("%s did not finish the sign-in", name);
      pb_html_append_escaped (body, title);
      g_string_append (body, "</h1><p>Nothing was linked. To try again, open your link "
                             "again.</p>");
      if (refused != NULL)
        {
          g_autofree char *shown = g_utf8_make_valid (said ? said : refused, -1);

          if (g_utf8_strlen (shown, -1) > 300)
            *g_utf8_offset_to_pointer (shown, 300) = '\0';
          g_string_append (body, "<p class=\"foot\">");
          pb_html_append_escaped (body, name);
          g_string_append (body, " said: ");
          pb_html_append_escaped (body, shown);
          g_string_append (body, "</p>");
        }
      pb_connect_reply_page (req, g_strcmp0 (refused, "access_denied") == 0 ? 403 : 400, title,
                             body->str);
      return;
    }

  {
    g_autofree char *aad = pending_aad (session->id);
    g_autofree char *plain = NULL;
    gsize length = 0;

    if (session->pending != NULL)
      plain = pb_crypto_decrypt (req->crypto, aad, g_bytes_get_data (session->pending, NULL),
                                 g_bytes_get_size (session->pending), &length);
    if (plain != NULL)
      {
        g_autoptr(JsonNode) node = json_from_string (plain, NULL);
        explicit_bzero (plain, length);
        if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
          credentials = json_object_ref (json_node_get_object (node));
      }
    if (credentials == NULL)
      credentials = json_object_new ();
  }

  if (!pb_link_prepare (req, g_steal_pointer (&session), &ctx, &error))
    {
      pb_connect_reply_link_error (req, error);
      goto out;
    }
  {
    g_autofree char *field = NULL;
    g_autofree char *problem = NULL;

    if (!pb_oauth_endpoints_for (req, &ctx, credentials, &endpoints, &field, &problem))
      {
        pb_connect_reply_message (req, 503, "Sign-in is not set up yet", problem);
        goto out;
      }
  }
  redirect = callback_url (req, ctx.session->provider);
  answer = token_request (&endpoints, (const char * const[]) {
                            "grant_type", "authorization_code", "code", code,
                            "redirect_uri", redirect, NULL }, &error);
  if (answer == NULL)
    {
      g_autofree char *title = g_strdup_printf ("%s did not finish the sign-in",
                                                ctx.entry->provider_name);
      g_autofree char *text = g_strdup_printf ("%s did not accept the sign-in from this server, "
                                               "so nothing was linked. Open your link again to "
                                               "try once more; if it happens again, tell the "
                                               "project that sent it.", ctx.entry->provider_name);
      g_message ("OAuth callback of %s: %s", ctx.entry->provider, error->message);
      pb_connect_reply_message (req, 502, title, text);
      goto out;
    }
  expires_at = take_tokens (credentials, answer);

  /* Linking, in one transaction, as the session is now. */
  if (!pb_db_begin (req->db, &error))
    {
      pb_connect_reply_link_error (req, error);
      goto out;
    }
  {
    PbConnectSession *fresh = pb_connect_session_find_id (req->db, ctx.session->id);

    pb_link_context_clear (&ctx);
    if (fresh == NULL)
      {
        pb_db_rollback (req->db);
        g_set_error_literal (&error, PB_LINK_ERROR, PB_LINK_ERROR_INVALID_TOKEN, "");
        pb_connect_reply_link_error (req, error);
        goto out;
      }
    if (!pb_link_prepare (req, fresh, &ctx, &error))
      {
        pb_db_rollback (req->db);
        pb_connect_reply_link_error (req, error);
        goto out;
      }
  }
  if (!pb_link_store (req, &ctx, credentials, expires_at, 200, &account_id, &error))
    {
      pb_db_rollback (req->db);
      g_warning ("%s %s: %s", req->method, req->shown_path, error->message);
      g_clear_error (&error);
      g_set_error_literal (&error, PB_LINK_ERROR, PB_LINK_ERROR_FAILED, "");
      pb_connect_reply_link_error (req, error);
      goto out;
    }
  pb_connect_reply_linked (req, &ctx);
out:
  pb_credentials_wipe (g_steal_pointer (&credentials));
  pb_oauth_endpoints_clear (&endpoints);
  pb_link_context_clear (&ctx);
}

/* ---- refreshing ------------------------------------------------------------------------- */

gboolean
pb_oauth_refresh (PbRequest      *req,
                  PbCatalogEntry *entry,
                  PbAuthType     *type,
                  const char     *integration_id,
                  JsonObject     *credentials,
                  gint64         *out_expires_at,
                  GError        **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *field = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *config = NULL;
  PbOAuthEndpoints endpoints = { 0 };
  PbLinkContext ctx = { 0 };
  const char *refresh_token;
  PbDbStmt *stmt;
  gboolean ok = FALSE;

  refresh_token = json_object_get_string_member_with_default (credentials,
                                                              PB_CREDENTIAL_REFRESH_TOKEN, NULL);
  if (refresh_token == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "the account has no refresh token");
      return FALSE;
    }
  ctx.entry = entry;
  ctx.type = type;
  ctx.integration_id = g_strdup (integration_id);
  stmt = pb_db_stmt (req->db, "SELECT config, oauth_app FROM integrations WHERE id = ?");
  pb_db_bind_text (stmt, 1, integration_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      config = g_strdup (pb_db_column_text (stmt, 0));
      ctx.oauth_app = g_strdup (pb_db_column_text (stmt, 1));
    }
  pb_db_reset (stmt);
  {
    g_autoptr(JsonNode) node = config ? json_from_string (config, NULL) : NULL;
    ctx.config = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                 ? json_object_ref (json_node_get_object (node)) : json_object_new ();
  }
  if (!pb_oauth_endpoints_for (req, &ctx, credentials, &endpoints, &field, &problem))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, problem);
      goto out;
    }
  answer = token_request (&endpoints, (const char * const[]) {
                            "grant_type", "refresh_token", "refresh_token", refresh_token, NULL },
                          error);
  if (answer == NULL)
    goto out;
  *out_expires_at = take_tokens (credentials, answer);
  ok = TRUE;
out:
  pb_oauth_endpoints_clear (&endpoints);
  pb_link_context_clear (&ctx);
  return ok;
}
