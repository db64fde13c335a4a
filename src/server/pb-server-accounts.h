/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-auth-type.h"
#include "pb-server-catalog.h"
#include "pb-server-private.h"

G_BEGIN_DECLS

/* Internal to the linked-account handlers, connect sessions, the connect page and OAuth
 * (pb-server-accounts.c, pb-server-account-actions.c, pb-server-sessions.c,
 * pb-server-connect-page.c, pb-server-oauth.c). */

/* The columns of an account row, in the order of these indexes. */
#define PB_ACCOUNT_COLUMNS "id, provider, integration_id, origin_owner_id, origin_owner_name," \
  " origin_username, label, status, status_reasons, created_at, updated_at, seq," \
  " credential_hints, token_expires_at"
enum { A_ID, A_PROVIDER, A_INTEGRATION, A_OWNER_ID, A_OWNER_NAME, A_USERNAME, A_LABEL, A_STATUS,
       A_REASONS, A_CREATED, A_UPDATED, A_SEQ, A_HINTS, A_EXPIRES };

/* active | inactive | suspended | error | expired */
gboolean  pb_account_status_known   (const char  *status);
/* The account @id of the request's project as the API shows it; NULL when there is none. */
JsonNode *pb_account_load           (PbRequest   *req,
                                     const char  *id,
                                     char       **out_provider,
                                     char       **out_integration,
                                     char       **out_status);
void      pb_account_reply_not_found (PbRequest  *req,
                                      const char *id);
/* A status_reasons array of one reason, as JSON text. @actor is "admin", "end_user" or
 * "server"; @key_id names the admin's API key (may be NULL). */
char     *pb_account_reason         (const char  *code,
                                     const char  *description,
                                     const char  *actor,
                                     const char  *key_id,
                                     gint64       now);

/* ---- connect sessions (pb-server-sessions.c) --------------------------------------------- */

typedef struct
{
  char    *id;
  char    *project_id;
  char    *provider;
  char    *integration_id;
  char    *owner_id;
  char    *owner_name;
  char    *username;
  char    *account_id;      /* re-link: the account whose credentials it replaces */
  gint64   expires_at;
  gboolean used;
  char    *state_hash;      /* OAuth: the hash of the state sent to the provider */
  GBytes  *pending;         /* OAuth: the account fields entered before, sealed */
} PbConnectSession;

void              pb_connect_session_free      (PbConnectSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbConnectSession, pb_connect_session_free)

/* The session of @token (of @project_id, or of any project when NULL); NULL when unknown. */
PbConnectSession *pb_connect_session_find      (PbDb             *db,
                                                const char       *token,
                                                const char       *project_id);
PbConnectSession *pb_connect_session_find_id   (PbDb             *db,
                                                const char       *id);

/* Why a session cannot link an account (now); each code has its HTTP status and API code. */
#define PB_LINK_ERROR (pb_link_error_quark ())
GQuark pb_link_error_quark (void);

typedef enum
{
  PB_LINK_ERROR_INVALID_TOKEN,          /* 401 invalid_token: unknown */
  PB_LINK_ERROR_USED,                   /* 401 invalid_token */
  PB_LINK_ERROR_EXPIRED,                /* 401 invalid_token */
  PB_LINK_ERROR_NO_INTEGRATION,         /* 409 no_integration */
  PB_LINK_ERROR_INTEGRATION_DISABLED,   /* 409 integration_disabled */
  PB_LINK_ERROR_ACCOUNT_GONE,           /* 409 account_deleted */
  PB_LINK_ERROR_ACCOUNT_SUSPENDED,      /* 409 account_suspended */
  PB_LINK_ERROR_NO_AUTH_TYPE,           /* 409 unknown_auth_type */
  PB_LINK_ERROR_FAILED,                 /* 500 internal_error (a database error) */
} PbLinkError;

guint       pb_link_error_status       (const GError *error);
const char *pb_link_error_code         (const GError *error);

/* What linking with a session needs to know. */
typedef struct
{
  PbConnectSession *session;
  PbCatalogEntry   *entry;
  PbAuthType       *type;          /* the integration's auth type */
  char             *integration_id;
  char             *oauth_app;     /* "own", "platform" or NULL */
  JsonObject       *config;        /* the integration's settings */
  char             *account_id;    /* the account it updates, or NULL for a new one */
} PbLinkContext;

void      pb_link_context_clear      (PbLinkContext    *ctx);
/* Checks that @session can link now (not used or expired, its integration there and active,
 * its account not deleted or suspended) and fills @ctx; takes @session. */
gboolean  pb_link_prepare            (PbRequest        *req,
                                      PbConnectSession *session,
                                      PbLinkContext    *ctx,
                                      GError          **error);
/* In the open transaction: uses up the session, creates or updates the account with
 * @credentials (sealed) and @token_expires_at (0: none), status active, and commits with the
 * request log (answered @status). The account's id in *@out_account_id. */
gboolean  pb_link_store              (PbRequest        *req,
                                      PbLinkContext    *ctx,
                                      JsonObject       *credentials,
                                      gint64            token_expires_at,
                                      guint             status,
                                      char            **out_account_id,
                                      GError          **error);

G_END_DECLS
