/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-server-accounts.h"

G_BEGIN_DECLS

/* The connect page (pb-server-connect-page.c) and the OAuth flow behind it
 * (pb-server-oauth.c): what an end user sees, without an API key, to link an account. */

/* Connect page and callback bodies are forms of a few fields: more is refused (413). */
#define PB_CONNECT_MAX_FORM (64 * 1024)

/* Answers an HTML page: @title as heading, @body_html (already escaped) below it, with the
 * page's security headers. */
void      pb_connect_reply_page      (PbRequest   *req,
                                      guint        status,
                                      const char  *title,
                                      const char  *body_html);
/* A page that says @title and the sentence @text (escaped here). */
void      pb_connect_reply_message   (PbRequest   *req,
                                      guint        status,
                                      const char  *title,
                                      const char  *text);
/* The page that says the account is linked. */
void      pb_connect_reply_linked    (PbRequest     *req,
                                      PbLinkContext *ctx);
/* The page for a session that cannot link (@error of PB_LINK_ERROR). */
void      pb_connect_reply_link_error (PbRequest   *req,
                                       const GError *error);
/* Appends @text to @out with &, <, >, " and ' escaped. */
void      pb_html_append_escaped     (GString     *out,
                                      const char  *text);

/* ---- OAuth (pb-server-oauth.c) ---------------------------------------------------------- */

/* Where and as whom the server talks to the provider of an OAuth auth type. */
typedef struct
{
  char     *authorize_url;
  char     *token_url;
  char     *client_id;
  char     *client_secret;
  char     *scope;
  gboolean  basic_auth;      /* client_secret_basic; else the client's id and secret in the form */
} PbOAuthEndpoints;

void      pb_oauth_endpoints_clear   (PbOAuthEndpoints *endpoints);
/* Fills @out for linking with @ctx, with the end user's account field values @values (which
 * the catalog's URLs may name). FALSE when the sign-in is not set up (a sentence for the end
 * user in *@out_problem), or a value cannot go into the URL (then *@out_field names it too). */
gboolean  pb_oauth_endpoints_for     (PbRequest        *req,
                                      PbLinkContext    *ctx,
                                      JsonObject       *values,
                                      PbOAuthEndpoints *out,
                                      char            **out_field,
                                      char            **out_problem);
/* Starts the provider's sign-in for the session of @ctx: keeps @values sealed with the session
 * and a hash of a new state, commits (the transaction is open), and answers 303 to the
 * provider's authorize URL. */
void      pb_oauth_start             (PbRequest        *req,
                                      PbLinkContext    *ctx,
                                      PbOAuthEndpoints *endpoints,
                                      JsonObject       *values);
/* GET /connect/oauth2/{provider}/callback */
void      pb_server_handle_oauth_callback (PbRequest  *req,
                                           const char *provider);
/* Uses the refresh token of an OAuth account's @credentials at the token URL; on success the
 * new tokens are in @credentials and their expiry in *@out_expires_at (0: none said). */
gboolean  pb_oauth_refresh           (PbRequest        *req,
                                      PbCatalogEntry   *entry,
                                      PbAuthType       *type,
                                      const char       *integration_id,
                                      JsonObject       *credentials,
                                      gint64           *out_expires_at,
                                      GError          **error);

/* GET and POST /connect/{token} */
void      pb_server_handle_connect_page (PbRequest  *req,
                                         const char *token);

G_END_DECLS
