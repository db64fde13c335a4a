/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-rules.h"
#include "pb-server-accounts.h"
#include "pb-server-credentials.h"

/* Connect sessions: how accounts get linked (POST /connect_sessions and
 * /connect_sessions/authenticate), and the linking that the API, the connect page and the OAuth
 * callback share. */

#define SESSION_DEFAULT_TTL 1800
#define SESSION_MAX_TTL     (7 * 24 * 3600)

#define SESSION_COLUMNS "id, project_id, provider, integration_id, origin_owner_id," \
  " origin_owner_name, origin_username, account_id, expires_at, used, oauth_state_hash," \
  " pending_credentials"

G_DEFINE_QUARK (pb-link-error-quark, pb_link_error)

static const struct
{
  guint       status;
  const char *code;
} link_errors[] = {
  [PB_LINK_ERROR_INVALID_TOKEN] = { 401, "invalid_token" },
  [PB_LINK_ERROR_USED] = { 401, "invalid_token" },
  [PB_LINK_ERROR_EXPIRED] = { 401, "invalid_token" },
  [PB_LINK_ERROR_NO_INTEGRATION] = { 409, "no_integration" },
  [PB_LINK_ERROR_INTEGRATION_DISABLED] = { 409, "integration_disabled" },
  [PB_LINK_ERROR_ACCOUNT_GONE] = { 409, "account_deleted" },
  [PB_LINK_ERROR_ACCOUNT_SUSPENDED] = { 409, "account_suspended" },
  [PB_LINK_ERROR_NO_AUTH_TYPE] = { 409, "unknown_auth_type" },
  [PB_LINK_ERROR_FAILED] = { 500, "internal_error" },
};

guint
pb_link_error_status (const GError *error)
{
  if (error->domain != PB_LINK_ERROR || (guint) error->code >= G_N_ELEMENTS (link_errors))
    return 500;
  return link_errors[error->code].status;
}

const char *
pb_link_error_code (const GError *error)
{
  if (error->domain != PB_LINK_ERROR || (guint) error->code >= G_N_ELEMENTS (link_errors))
    return "internal_error";
  return link_errors[error->code].code;
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* ---- stored sessions -------------------------------------------------------------------- */

void
pb_connect_session_free (PbConnectSession *session)
{
  if (session == NULL)
    return;
  g_free (session->id);
  g_free (session->project_id);
  g_free (session->provider);
  g_free (session->integration_id);
  g_free (session->owner_id);
  g_free (session->owner_name);
  g_free (session->username);
  g_free (session->account_id);
  g_free (session->state_hash);
  g_clear_pointer (&session->pending, g_bytes_unref);
  g_free (session);
}

static PbConnectSession *
session_from_row (PbDbStmt *stmt)
{
  PbConnectSession *session = g_new0 (PbConnectSession, 1);

  session->id = g_strdup (pb_db_column_text (stmt, 0));
  session->project_id = g_strdup (pb_db_column_text (stmt, 1));
  session->provider = g_strdup (pb_db_column_text (stmt, 2));
  session->integration_id = g_strdup (pb_db_column_text (stmt, 3));
  session->owner_id = g_strdup (pb_db_column_text (stmt, 4));
  session->owner_name = g_strdup (pb_db_column_text (stmt, 5));
  session->username = g_strdup (pb_db_column_text (stmt, 6));
  session->account_id = g_strdup (pb_db_column_text (stmt, 7));
  session->expires_at = pb_db_column_int64 (stmt, 8);
  session->used = pb_db_column_int (stmt, 9);
  session->state_hash = g_strdup (pb_db_column_text (stmt, 10));
  {
    gsize size;
    const void *data = pb_db_column_blob (stmt, 11, &size);

    if (size > 0)
      session->pending = g_bytes_new (data, size);
  }
  return session;
}

PbConnectSession *
pb_connect_session_find (PbDb       *db,
                         const char *token,
                         const char *project_id)
{
  g_autofree char *token_hash = pb_crypto_sha256_hex ("connect-session", token);
  PbDbStmt *stmt = pb_db_stmt (db, "SELECT " SESSION_COLUMNS " FROM connect_sessions"
                                       " WHERE token_hash = ?1"
                                       " AND (CAST (?2 AS TEXT) IS NULL OR project_id = ?2)");
  PbConnectSession *session = NULL;

  pb_db_bind_text (stmt, 1, token_hash);
  pb_db_bind_text (stmt, 2, project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    session = session_from_row (stmt);
  pb_db_reset (stmt);
  return session;
}

PbConnectSession *
pb_connect_session_find_id (PbDb       *db,
                            const char *id)
{
  PbDbStmt *stmt = pb_db_stmt (db, "SELECT " SESSION_COLUMNS " FROM connect_sessions"
                                       " WHERE id = ?");
  PbConnectSession *session = NULL;

  pb_db_bind_text (stmt, 1, id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    session = session_from_row (stmt);
  pb_db_reset (stmt);
  return session;
}

/* ---- linking ---------------------------------------------------------------------------- */

void
pb_link_context_clear (PbLinkContext *ctx)
{
  g_clear_pointer (&ctx->session, pb_connect_session_free);
  g_clear_pointer (&ctx->integration_id, g_free);
  g_clear_pointer (&ctx->oauth_app, g_free);
  g_clear_pointer (&ctx->config, json_object_unref);
  g_clear_pointer (&ctx->account_id, g_free);
  ctx->entry = NULL;
  ctx->type = NULL;
}

gboolean
pb_link_prepare (PbRequest        *req,
                 PbConnectSession *session,
                 PbLinkContext    *ctx,
                 GError          **error)
{
  g_autofree char *auth_type = NULL;
  g_autofree char *config = NULL;
  g_autofree char *status = NULL;
  gboolean found = FALSE, active = FALSE;
  PbDbStmt *stmt;

  memset (ctx, 0, sizeof *ctx);
  ctx->session = session;
  if (session->used)
    {
      g_set_error_literal (error, PB_LINK_ERROR, PB_LINK_ERROR_USED,
                           "This connect session token was already used.");
      return FALSE;
    }
  if (session->expires_at <= pb_db_now_ms ())
    {
      g_set_error_literal (error, PB_LINK_ERROR, PB_LINK_ERROR_EXPIRED,
                           "This connect session token has expired.");
      return FALSE;
    }

  stmt = pb_db_stmt (req->db, "SELECT active, auth_type_key, config, oauth_app FROM integrations"
                              " WHERE id = ? AND project_id = ?");
  pb_db_bind_text (stmt, 1, session->integration_id);
  pb_db_bind_text (stmt, 2, session->project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      found = TRUE;
      active = pb_db_column_int (stmt, 0);
      auth_type = g_strdup (pb_db_column_text (stmt, 1));
      config = g_strdup (pb_db_column_text (stmt, 2));
      ctx->oauth_app = g_strdup (pb_db_column_text (stmt, 3));
    }
  pb_db_reset (stmt);
  if (!found)
    {
      g_set_error_literal (error, PB_LINK_ERROR, PB_LINK_ERROR_NO_INTEGRATION,
                           "The integration of this connect session was deleted.");
      return FALSE;
    }
  if (!active)
    {
      g_set_error_literal (error, PB_LINK_ERROR, PB_LINK_ERROR_INTEGRATION_DISABLED,
                           "The integration is disabled. Enable it before linking accounts.");
      return FALSE;
    }
  ctx->integration_id = g_strdup (session->integration_id);
  ctx->entry = pb_catalog_lookup (req->catalog, session->provider);
  ctx->type = ctx->entry ? pb_catalog_entry_find_auth_type (ctx->entry, auth_type) : NULL;
  if (ctx->type == NULL)
    {
      g_set_error_literal (error, PB_LINK_ERROR, PB_LINK_ERROR_NO_AUTH_TYPE,
                           "The catalog no longer offers the integration's authentication type.");
      return FALSE;
    }
  {
    g_autoptr(JsonNode) node = json_from_string (config, NULL);
    ctx->config = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                  ? json_object_ref (json_node_get_object (node)) : json_object_new ();
  }

  /* The account it updates: the one it re-links, else the owner's account of the provider. */
  if (session->account_id != NULL)
    stmt = pb_db_stmt (req->db, "SELECT id, status FROM accounts WHERE id = ?1 AND project_id = ?2");
  else
    stmt = pb_db_stmt (req->db, "SELECT id, status FROM accounts WHERE project_id = ?2"
                                " AND provider = ?3 AND origin_owner_id = ?4");
  pb_db_bind_text (stmt, 1, session->account_id);
  pb_db_bind_text (stmt, 2, session->project_id);
  if (session->account_id == NULL)
    {
      pb_db_bind_text (stmt, 3, session->provider);
      pb_db_bind_text (stmt, 4, session->owner_id);
    }
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      ctx->account_id = g_strdup (pb_db_column_text (stmt, 0));
      status = g_strdup (pb_db_column_text (stmt, 1));
    }
  pb_db_reset (stmt);
  if (session->account_id != NULL && ctx->account_id == NULL)
    {
      g_set_error_literal (error, PB_LINK_ERROR, PB_LINK_ERROR_ACCOUNT_GONE,
                           "The linked account this session would link again was deleted.");
      return FALSE;
    }
  if (g_strcmp0 (status, "suspended") == 0)
    {
      g_set_error_literal (error, PB_LINK_ERROR, PB_LINK_ERROR_ACCOUNT_SUSPENDED,
                           "The linked account is suspended. An admin must resume it before "
                           "it can be linked again.");
      return FALSE;
    }
  return TRUE;
}

gboolean
pb_link_store (PbRequest     *req,
               PbLinkContext *ctx,
               JsonObject    *credentials,
               gint64         token_expires_at,
               guint          status,
               char         **out_account_id,
               GError       **error)
{
  PbConnectSession *session = ctx->session;
  g_autofree char *account_id = ctx->account_id ? g_strdup (ctx->account_id)
                                                : pb_db_new_id ("acc_");
  g_autofree char *label = NULL;
  g_autofree char *hints = NULL;
  g_autoptr(GBytes) sealed = NULL;
  gint64 now = pb_db_now_ms ();
  PbDbStmt *stmt;

  stmt = pb_db_stmt (req->db, "UPDATE connect_sessions SET used = 1, oauth_state_hash = NULL,"
                              " pending_credentials = NULL WHERE id = ?");
  pb_db_bind_text (stmt, 1, session->id);
  if (!pb_db_step_done (req->db, stmt, error))
    return FALSE;

  sealed = pb_credentials_seal (req->crypto, account_id, credentials);
  hints = pb_credentials_hints (credentials, now);
  label = g_strdup_printf ("%s – %s", ctx->entry->provider_name, session->owner_name);
  /* A re-linked account keeps its id, label and owner; its credentials are replaced. */
  stmt = pb_db_stmt (req->db,
                     "INSERT INTO accounts (id, project_id, integration_id, provider, origin_owner_id,"
                     " origin_owner_name, origin_username, label, status, status_reasons,"
                     " credentials, credential_hints, token_expires_at, created_at, updated_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'active', '[]', ?9, ?10, ?11, ?12, ?12)"
                     " ON CONFLICT (id) DO UPDATE SET integration_id = ?3, origin_owner_name = ?6,"
                     " origin_username = coalesce (?7, accounts.origin_username), status = 'active',"
                     " status_reasons = '[]', credentials = ?9, credential_hints = ?10,"
                     " token_expires_at = ?11, updated_at = ?12");
  pb_db_bind_text (stmt, 1, account_id);
  pb_db_bind_text (stmt, 2, session->project_id);
  pb_db_bind_text (stmt, 3, ctx->integration_id);
  pb_db_bind_text (stmt, 4, session->provider);
  pb_db_bind_text (stmt, 5, session->owner_id);
  pb_db_bind_text (stmt, 6, session->owner_name);
  pb_db_bind_text (stmt, 7, session->username);
  pb_db_bind_text (stmt, 8, label);
  pb_db_bind_blob (stmt, 9, g_bytes_get_data (sealed, NULL),
                       g_bytes_get_size (sealed));
  pb_db_bind_text (stmt, 10, hints);
  if (token_expires_at > 0)
    pb_db_bind_int64 (stmt, 11, token_expires_at);
  pb_db_bind_int64 (stmt, 12, now);
  pb_request_set_log (req, "connect_sessions", session->provider, ctx->integration_id, account_id);
  if (!pb_db_step_done (req->db, stmt, error) || !pb_request_commit (req, status, error))
    return FALSE;
  *out_account_id = g_steal_pointer (&account_id);
  return TRUE;
}

/* ---- POST /connect_sessions ------------------------------------------------------------- */

static const char *
get_text (JsonObject *body,
          const char *member,
          gboolean    required,
          gsize       max_chars,
          JsonObject *fields)
{
  JsonNode *node = json_object_get_member (body, member);
  g_autofree char *reason = NULL;

  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && !required))
    {
      if (required)
        {
          reason = g_strdup_printf ("“%s” is required.", member);
          json_object_set_string_member (fields, member, reason);
        }
      return NULL;
    }
  if (!pb_json_is_string (node))
    json_object_set_string_member (fields, member, "Must be a string.");
  else if (required && *json_node_get_string (node) == '\0')
    {
      reason = g_strdup_printf ("“%s” cannot be empty.", member);
      json_object_set_string_member (fields, member, reason);
    }
  else if (g_utf8_strlen (json_node_get_string (node), -1) > (glong) max_chars)
    {
      reason = g_strdup_printf ("Must be at most %" G_GSIZE_FORMAT " characters.", max_chars);
      json_object_set_string_member (fields, member, reason);
    }
  else
    return json_node_get_string (node);
  return NULL;
}

/* Finds the integration a session uses; replies and returns FALSE when none fits. */
static gboolean
resolve_integration (PbRequest   *req,
                     const char  *provider,
                     const char  *integration_id,
                     char       **out_id)
{
  PbDbStmt *stmt;
  gboolean found = FALSE, active = FALSE;
  g_autofree char *connector = NULL;

  if (integration_id != NULL)
    {
      stmt = pb_db_stmt (req->db, "SELECT id, active, connector_key FROM integrations"
                                  " WHERE id = ? AND project_id = ?");
      pb_db_bind_text (stmt, 1, integration_id);
    }
  else
    {
      stmt = pb_db_stmt (req->db, "SELECT id, active, connector_key FROM integrations"
                                  " WHERE connector_key = ? AND project_id = ? AND is_default = 1");
      pb_db_bind_text (stmt, 1, provider);
    }
  pb_db_bind_text (stmt, 2, req->project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      found = TRUE;
      *out_id = g_strdup (pb_db_column_text (stmt, 0));
      active = pb_db_column_int (stmt, 1);
      connector = g_strdup (pb_db_column_text (stmt, 2));
    }
  pb_db_reset (stmt);

  if (!found)
    {
      if (integration_id != NULL)
        pb_request_reply_error (req, 409, "no_integration", NULL,
                                "There is no integration with the id “%s” in this project.",
                                integration_id);
      else
        pb_request_reply_error (req, 409, "no_integration", NULL,
                                "There is no integration for the connector “%s” in this project. "
                                "Configure one first.", provider);
      return FALSE;
    }
  if (!g_str_equal (connector, provider))
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      json_object_set_string_member (fields, "integration_id",
                                     "This integration belongs to another connector.");
      pb_request_reply_fields (req, fields);
      return FALSE;
    }
  if (!active)
    {
      pb_request_reply_error (req, 409, "integration_disabled", NULL,
                              "The integration is disabled. Enable it before linking accounts.");
      return FALSE;
    }
  return TRUE;
}

/* The account a session re-links; replies and returns FALSE when it cannot be re-linked. */
typedef struct
{
  char *provider;
  char *integration_id;
  char *owner_id;
  char *owner_name;
  char *username;
  char *status;
} Relinked;

static void
relinked_clear (Relinked *r)
{
  g_free (r->provider);
  g_free (r->integration_id);
  g_free (r->owner_id);
  g_free (r->owner_name);
  g_free (r->username);
  g_free (r->status);
}

static gboolean
load_relinked (PbRequest  *req,
               const char *account_id,
               Relinked   *out)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT provider, integration_id, origin_owner_id,"
                                            " origin_owner_name, origin_username, status"
                                            " FROM accounts WHERE id = ? AND project_id = ?");
  gboolean found = FALSE;

  pb_db_bind_text (stmt, 1, account_id);
  pb_db_bind_text (stmt, 2, req->project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      found = TRUE;
      out->provider = g_strdup (pb_db_column_text (stmt, 0));
      out->integration_id = g_strdup (pb_db_column_text (stmt, 1));
      out->owner_id = g_strdup (pb_db_column_text (stmt, 2));
      out->owner_name = g_strdup (pb_db_column_text (stmt, 3));
      out->username = g_strdup (pb_db_column_text (stmt, 4));
      out->status = g_strdup (pb_db_column_text (stmt, 5));
    }
  pb_db_reset (stmt);
  if (!found)
    {
      pb_account_reply_not_found (req, account_id);
      return FALSE;
    }
  if (g_str_equal (out->status, "suspended"))
    {
      pb_request_reply_error (req, 409, "account_suspended", NULL,
                              "The linked account “%s” is suspended. Resume it before linking "
                              "it again.", account_id);
      return FALSE;
    }
  return TRUE;
}

/* With account_id, what the body says of the account must be what it is. */
static void
check_same (JsonObject *fields,
            const char *member,
            const char *given,
            const char *actual)
{
  if (given != NULL && g_strcmp0 (given, actual) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("“%s” must be the linked account's own (“%s”) "
                                                 "when it is linked again, or left out.",
                                                 member, actual ? actual : "");
      json_object_set_string_member (fields, member, reason);
    }
}

static const char * const session_members[] = {
  "origin_owner_id", "origin_owner_name", "origin_username", "provider", "integration_id",
  "expires_in", "account_id", NULL
};

void
pb_server_handle_session_create (PbRequest *req)
{
  JsonObject *body = pb_request_body (req);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *integration = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expires_text = NULL;
  const char *owner_id, *owner_name, *username, *provider, *wanted, *account_id;
  gboolean relink = json_object_has_member (body, "account_id");
  Relinked relinked = { 0 };
  gint64 ttl = SESSION_DEFAULT_TTL, now = pb_db_now_ms ();
  PbCatalogEntry *entry;
  PbDbStmt *stmt;

  pb_json_check_members (body, session_members, "", fields);
  account_id = get_text (body, "account_id", relink, 64, fields);
  owner_id = get_text (body, "origin_owner_id", !relink, 200, fields);
  owner_name = get_text (body, "origin_owner_name", !relink, 200, fields);
  username = get_text (body, "origin_username", FALSE, 200, fields);
  provider = get_text (body, "provider", !relink, 64, fields);
  wanted = get_text (body, "integration_id", FALSE, 64, fields);
  if (json_object_has_member (body, "expires_in"))
    {
      JsonNode *node = json_object_get_member (body, "expires_in");
      if (!pb_json_is_int (node) || json_node_get_int (node) < 60
          || json_node_get_int (node) > SESSION_MAX_TTL)
        json_object_set_string_member (fields, "expires_in",
                                       "Must be a number of seconds from 60 to 604800.");
      else
        ttl = json_node_get_int (node);
    }
  if (json_object_get_size (fields) == 0 && account_id != NULL)
    {
      pb_request_set_log (req, "connect_sessions", NULL, NULL, account_id);
      if (!load_relinked (req, account_id, &relinked))
        goto out;
      check_same (fields, "provider", provider, relinked.provider);
      check_same (fields, "integration_id", wanted, relinked.integration_id);
      check_same (fields, "origin_owner_id", owner_id, relinked.owner_id);
      provider = relinked.provider;
      wanted = relinked.integration_id;
      owner_id = relinked.owner_id;
      if (owner_name == NULL)
        owner_name = relinked.owner_name;
      if (username == NULL)
        username = relinked.username;
    }
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      goto out;
    }
  pb_request_set_log (req, "connect_sessions", provider, wanted, account_id);
  entry = pb_catalog_lookup (req->catalog, provider);
  if (entry == NULL)
    {
      pb_request_reply_error (req, 422, "unknown_connector", NULL,
                              "There is no connector “%s” in the catalog.", provider);
      goto out;
    }
  if (!pb_catalog_entry_available (entry, req->plan))
    {
      g_autofree char *reason = pb_catalog_unavailable_reason (entry, req->plan);
      pb_request_reply_error (req, 422, "connector_unavailable", NULL, "%s", reason);
      goto out;
    }
  if (!resolve_integration (req, provider, wanted, &integration))
    goto out;
  pb_request_set_log (req, "connect_sessions", provider, integration, account_id);

  session_id = pb_db_new_id ("cs_");
  token = pb_crypto_random_token (32);
  token_hash = pb_crypto_sha256_hex ("connect-session", token);
  if (!pb_db_begin (req->db, &error))
    {
      pb_request_reply_db_error (req, error);
      goto out;
    }
  stmt = pb_db_stmt (req->db, "INSERT INTO connect_sessions (id, project_id, token_hash, provider,"
                              " integration_id, origin_owner_id, origin_owner_name, origin_username,"
                              " expires_at, created_at, account_id)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  pb_db_bind_text (stmt, 1, session_id);
  pb_db_bind_text (stmt, 2, req->project_id);
  pb_db_bind_text (stmt, 3, token_hash);
  pb_db_bind_text (stmt, 4, provider);
  pb_db_bind_text (stmt, 5, integration);
  pb_db_bind_text (stmt, 6, owner_id);
  pb_db_bind_text (stmt, 7, owner_name);
  pb_db_bind_text (stmt, 8, username);
  pb_db_bind_int64 (stmt, 9, now + ttl * 1000);
  pb_db_bind_int64 (stmt, 10, now);
  pb_db_bind_text (stmt, 11, account_id);
  if (!pb_db_step_done (req->db, stmt, &error) || !pb_request_commit (req, 201, &error))
    {
      pb_db_rollback (req->db);
      pb_request_reply_db_error (req, error);
      goto out;
    }

  url = g_strconcat (req->public_url, "/connect/", token, NULL);
  expires_text = pb_db_format_time (now + ttl * 1000);
  b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  add_string (b, "id", session_id);
  add_string (b, "token", token);
  add_string (b, "url", url);
  add_string (b, "expires_at", expires_text);
  add_string (b, "provider", provider);
  add_string (b, "integration_id", integration);
  add_string (b, "account_id", account_id);
  add_string (b, "project_id", req->project_id);
  json_builder_end_object (b);
  pb_request_reply_json (req, 201, json_builder_get_root (b));
out:
  relinked_clear (&relinked);
}

/* ---- POST /connect_sessions/authenticate ------------------------------------------------ */

static const char * const authenticate_members[] = { "token", "credentials", NULL };

void
pb_server_handle_session_authenticate (PbRequest *req)
{
  JsonObject *body = pb_request_body (req);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;
  PbLinkContext ctx = { 0 };
  PbConnectSession *session;
  const char *token;

  pb_json_check_members (body, authenticate_members, "", fields);
  token = get_text (body, "token", TRUE, 200, fields);
  if (json_object_has_member (body, "credentials"))
    {
      JsonNode *node = json_object_get_member (body, "credentials");
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        json_object_set_string_member (fields, "credentials", "Must be an object of strings.");
      else
        {
          credentials = json_object_ref (json_node_get_object (node));
          json_object_iter_init (&iter, credentials);
          while (json_object_iter_next (&iter, &key, &value))
            if (!pb_json_is_string (value)
                || strlen (json_node_get_string (value)) > PB_RULES_VALUE_MAX_BYTES)
              {
                g_autofree char *name = pb_json_field_name ("credentials.", key);
                json_object_set_string_member (fields, name,
                                               "Must be a string of at most 8 KiB.");
              }
        }
    }
  if (credentials == NULL)
    credentials = json_object_new ();
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      return;
    }

  if (!pb_db_begin (req->db, &error))
    {
      pb_request_reply_db_error (req, error);
      return;
    }
  session = pb_connect_session_find (req->db, token, req->project_id);
  if (session == NULL)
    {
      pb_db_rollback (req->db);
      pb_request_reply_error (req, 401, "invalid_token", NULL,
                              "This connect session token is not valid.");
      return;
    }
  pb_request_set_log (req, "connect_sessions", session->provider, session->integration_id,
                      session->account_id);
  if (!pb_link_prepare (req, session, &ctx, &error))
    {
      pb_db_rollback (req->db);
      pb_request_reply_error (req, pb_link_error_status (error), pb_link_error_code (error), NULL,
                              "%s", error->message);
      pb_link_context_clear (&ctx);
      return;
    }
  /* A refused value leaves the session unused: the end user corrects it and sends again. */
  pb_credentials_check (ctx.type, credentials, "credentials.", FALSE, fields);
  if (json_object_get_size (fields) > 0)
    {
      pb_db_rollback (req->db);
      pb_request_reply_fields (req, fields);
      pb_link_context_clear (&ctx);
      return;
    }
  if (!pb_link_store (req, &ctx, credentials, 0, 201, &account_id, &error))
    {
      pb_db_rollback (req->db);
      pb_request_reply_db_error (req, error);
      pb_link_context_clear (&ctx);
      return;
    }
  pb_link_context_clear (&ctx);
  pb_request_reply_json (req, 201, pb_account_load (req, account_id, NULL, NULL, NULL));
}
