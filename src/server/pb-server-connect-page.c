/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-rules.h"
#include "pb-server-connect.h"
#include "pb-server-credentials.h"

/* The connect page, /connect/<token>: plain HTML that works without scripts, where the end
 * user enters their account fields (or, for an OAuth type, goes on to the provider's sign-in).
 * The token in the path is the only thing that binds the form to its session: there are no
 * cookies, so a page elsewhere cannot submit it for anyone who does not hold the link. */

#define MAX_FORM_FIELDS 100

/* ---- HTML ------------------------------------------------------------------------------- */

static const char page_style[] =
  ":root{color-scheme:light dark;--fg:#1d1d20;--muted:#5e5c64;--bg:#f6f5f4;--card:#fff;"
  "--line:#9a9996;--accent:#1a5fb4;--on-accent:#fff;--err:#a51d2d;--err-bg:#fbe7e9}"
  "@media (prefers-color-scheme:dark){:root{--fg:#f6f5f4;--muted:#c0bfbc;--bg:#1e1e1e;"
  "--card:#2e2e32;--line:#77767b;--accent:#99c1f1;--on-accent:#1d1d20;--err:#ff938c;"
  "--err-bg:#3d1f22}}"
  "*{box-sizing:border-box}"
  "body{margin:0;background:var(--bg);color:var(--fg);"
  "font:1rem/1.5 system-ui,-apple-system,Cantarell,\"Segoe UI\",Roboto,sans-serif}"
  "main{max-width:36rem;margin:0 auto;padding:1.25rem .75rem}"
  ".card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.25rem}"
  ".project{margin:0 0 .25rem;color:var(--muted);font-size:.875rem;font-weight:600}"
  "h1{font-size:1.4rem;line-height:1.25;margin:0 0 .75rem;overflow-wrap:anywhere}"
  "p{margin:.5rem 0;overflow-wrap:anywhere}"
  ".field{margin:1.25rem 0}"
  "label{display:block;font-weight:600;margin-bottom:.15rem}"
  ".desc{margin:0 0 .4rem;color:var(--muted);font-size:.9rem}"
  "input,select{display:block;width:100%;font:inherit;padding:.6rem .7rem;"
  "border:1px solid var(--line);border-radius:8px;background:var(--card);color:var(--fg)}"
  "input:focus,select:focus,button:focus{outline:3px solid var(--accent);outline-offset:2px}"
  ".invalid input,.invalid select{border:2px solid var(--err)}"
  ".error{color:var(--err);font-weight:600;margin:.35rem 0 0}"
  ".note{color:var(--muted);font-size:.9rem;margin:.35rem 0 0}"
  ".alert{border-left:4px solid var(--err);background:var(--err-bg);border-radius:4px;"
  "padding:.5rem .75rem;margin:1rem 0}"
  ".done{border-left-color:#26a269;background:transparent}"
  "button{display:block;width:100%;margin-top:1.5rem;font:inherit;font-weight:600;"
  "padding:.75rem 1.25rem;border:0;border-radius:8px;background:var(--accent);"
  "color:var(--on-accent);cursor:pointer}"
  ".foot{color:var(--muted);font-size:.85rem;margin:1rem 0 0}"
  "@media (min-width:40rem){main{padding:3.5rem 1rem}.card{padding:2rem 2.5rem}"
  "h1{font-size:1.6rem}button{width:auto}}";

void
pb_html_append_escaped (GString    *out,
                        const char *text)
{
  const char *p;

  for (p = text ? text : ""; *p; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, *p); break;
      }
}

static void
set_page_headers (PbRequest *req)
{
  /* Nothing but the inline style may load or run; the page may not be framed or leak its
   * address (which holds the token) to a site it links to. */
  pb_request_set_header (req, "Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                         "frame-ancestors 'none'");
  pb_request_set_header (req, "X-Frame-Options", "DENY");
  pb_request_set_header (req, "Referrer-Policy", "no-referrer");
  pb_request_set_header (req, "X-Content-Type-Options", "nosniff");
  pb_request_set_header (req, "Cache-Control", "no-store");
}

void
pb_connect_reply_page (PbRequest  *req,
                       guint       status,
                       const char *title,
                       const char *body_html)
{
  GString *out = g_string_new ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                               "<meta name=\"viewport\" content=\"width=device-width, "
                               "initial-scale=1\"><meta name=\"robots\" content=\"noindex\">"
                               "<title>");

  pb_html_append_escaped (out, title);
  g_string_append (out, "</title><style>");
  g_string_append (out, page_style);
  g_string_append (out, "</style></head>\n<body><main><div class=\"card\">");
  g_string_append (out, body_html);
  g_string_append (out, "</div></main></body></html>\n");
  set_page_headers (req);
  pb_http_exchange_reply (req->http, status, "text/html; charset=utf-8", out->str, out->len);
  g_string_free (out, FALSE);
  req->status = status;
  req->replied = TRUE;
}

void
pb_connect_reply_message (PbRequest  *req,
                          guint       status,
                          const char *title,
                          const char *text)
{
  g_autoptr(GString) body = g_string_new ("<h1>");

  pb_html_append_escaped (body, title);
  g_string_append (body, "</h1><p>");
  pb_html_append_escaped (body, text);
  g_string_append (body, "</p>");
  pb_connect_reply_page (req, status, title, body->str);
}

/* The project's name, above the heading of the session's pages. */
static void
append_project (PbRequest        *req,
                GString          *body,
                PbConnectSession *session)
{
  g_autofree char *name = NULL;

  if (!pb_db_get_project (req->db, session->project_id, &name, NULL, NULL))
    return;
  g_string_append (body, "<p class=\"project\">");
  pb_html_append_escaped (body, name);
  g_string_append (body, "</p>");
}

void
pb_connect_reply_linked (PbRequest     *req,
                         PbLinkContext *ctx)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = g_strdup_printf ("Your %s account is linked",
                                            ctx->entry->provider_name);

  append_project (req, body, ctx->session);
  g_string_append (body, "<h1>");
  pb_html_append_escaped (body, title);
  g_string_append (body, "</h1><p class=\"alert done\" role=\"status\">");
  pb_html_append_escaped (body, ctx->session->owner_name);
  g_string_append (body, "’s ");
  pb_html_append_escaped (body, ctx->entry->provider_name);
  g_string_append (body, " account is now linked. What you entered is stored encrypted and is "
                         "never shown again.</p><p>You can close this page.</p>");
  pb_connect_reply_page (req, 200, title, body->str);
}

void
pb_connect_reply_link_error (PbRequest    *req,
                             const GError *error)
{
  const char *title, *text;
  guint status;

  switch (error->domain == PB_LINK_ERROR ? error->code : PB_LINK_ERROR_FAILED)
    {
    case PB_LINK_ERROR_INVALID_TOKEN:
      status = 404;
      title = "This link is not valid";
      text = "Check that you opened the whole link from the message you were sent, or ask the "
             "sender for a new one.";
      break;
    case PB_LINK_ERROR_USED:
      status = 410;
      title = "This link was already used";
      text = "Each link works once, and this one linked an account already. If it has to be "
             "linked again, ask the sender for a new link.";
      break;
    case PB_LINK_ERROR_EXPIRED:
      status = 410;
      title = "This link has expired";
      text = "Links work for a limited time. Ask the sender for a new one.";
      break;
    case PB_LINK_ERROR_NO_INTEGRATION:
    case PB_LINK_ERROR_INTEGRATION_DISABLED:
    case PB_LINK_ERROR_NO_AUTH_TYPE:
      status = 409;
      title = "Linking is turned off for now";
      text = "The project that sent this link does not accept new accounts of this kind at the "
             "moment. Ask the sender for help.";
      break;
    case PB_LINK_ERROR_ACCOUNT_GONE:
      status = 410;
      title = "This account was removed";
      text = "The account this link would link again no longer exists. Ask the sender for a "
             "new link.";
      break;
    case PB_LINK_ERROR_ACCOUNT_SUSPENDED:
      status = 409;
      title = "This account is suspended";
      text = "The project that sent this link has suspended the account. It can be linked again "
             "once they resume it.";
      break;
    case PB_LINK_ERROR_FAILED:
    default:
      status = 500;
      title = "Something went wrong";
      text = "The server could not finish. Nothing was changed; try again in a moment.";
      break;
    }
  pb_connect_reply_message (req, status, title, text);
}

/* ---- the form --------------------------------------------------------------------------- */

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

/* Decodes one application/x-www-form-urlencoded name or value strictly: '+' is a space, '%'
 * must start two hex digits, and the result must be UTF-8 text without NUL. */
static char *
form_decode (const char *text,
             gsize       len)
{
  GString *out = g_string_sized_new (len);
  gsize i;

  for (i = 0; i < len; i++)
    {
      if (text[i] == '+')
        g_string_append_c (out, ' ');
      else if (text[i] == '%')
        {
          int hi, lo, c;

          if (i + 2 >= len)
            goto bad;
          hi = hex_value (text[i + 1]);
          lo = hex_value (text[i + 2]);
          c = hi * 16 + lo;
          if (hi < 0 || lo < 0 || c < 0x20 || c == 0x7f)
            goto bad;
          g_string_append_c (out, (char) c);
          i += 2;
        }
      else if ((guchar) text[i] < 0x20 || text[i] == 0x7f)
        goto bad;
      else
        g_string_append_c (out, text[i]);
    }
  if (!g_utf8_validate (out->str, out->len, NULL))
    goto bad;
  return g_string_free (out, FALSE);

bad:
  g_string_free (out, TRUE);
  return NULL;
}

/* The form's fields (name → value) in @fields; FALSE when the body is not a well-formed form. */
static gboolean
parse_form (GBytes     *body,
            JsonObject *fields)
{
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  const char *p = data, *end = data + len;
  guint n = 0;

  while (data != NULL && p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp ? amp : end;
      const char *eq = memchr (p, '=', pair_end - p);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (pair_end > p)
        {
          if (++n > MAX_FORM_FIELDS)
            return FALSE;
          name = form_decode (p, (eq ? eq : pair_end) - p);
          value = eq ? form_decode (eq + 1, pair_end - eq - 1) : g_strdup ("");
          if (name == NULL || value == NULL || *name == '\0'
              || json_object_has_member (fields, name))
            return FALSE;
          json_object_set_string_member (fields, name, value);
        }
      p = pair_end + 1;
    }
  return TRUE;
}

static const char *
input_type (PbAuthField *field)
{
  if (pb_auth_field_get_secret (field))
    return "password";
  switch (pb_auth_field_get_kind (field))
    {
    case PB_FIELD_KIND_URL:
      return "url";
    case PB_FIELD_KIND_EMAIL:
      return "email";
    case PB_FIELD_KIND_SECRET:
      return "password";
    case PB_FIELD_KIND_TEXT:
    case PB_FIELD_KIND_SELECT:
    default:
      return "text";
    }
}

static gboolean
is_oauth (PbAuthType *type)
{
  PbAuthKind kind = pb_auth_type_get_kind (type);

  return kind == PB_AUTH_KIND_OAUTH2 || kind == PB_AUTH_KIND_OIDC;
}

/* The page with the form: the values typed before in @values (never a secret one), the
 * reasons of refused fields in @problems, and problems not of one field in @general. */
static void
reply_form (PbRequest     *req,
            PbLinkContext *ctx,
            guint          status,
            JsonObject    *values,
            JsonObject    *problems,
            const char    *general)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc (ctx->session->expires_at / 1000);
  g_autofree char *expires = g_date_time_format (until, "%-d %B %Y, %H:%M");
  GListModel *fields = pb_auth_type_get_account_fields (ctx->type);
  const char *provider = ctx->entry->provider_name;
  gboolean oauth = is_oauth (ctx->type), refused = problems && json_object_get_size (problems) > 0;
  guint i, n = g_list_model_get_n_items (fields);

  title = g_strdup_printf (ctx->account_id && ctx->session->account_id
                           ? "Link your %s account again" : "Link your %s account", provider);
  append_project (req, body, ctx->session);
  g_string_append (body, "<h1>");
  pb_html_append_escaped (body, title);
  g_string_append (body, "</h1><p>For <strong>");
  pb_html_append_escaped (body, ctx->session->owner_name);
  g_string_append (body, "</strong>. ");
  if (oauth && n == 0)
    {
      g_string_append (body, "You will sign in to ");
      pb_html_append_escaped (body, provider);
      g_string_append (body, " and allow access there, then come back here.</p>");
    }
  else if (oauth)
    {
      g_string_append (body, "Enter the details below, then sign in to ");
      pb_html_append_escaped (body, provider);
      g_string_append (body, " and allow access there.</p>");
    }
  else
    {
      g_string_append (body, "Enter the details of your ");
      pb_html_append_escaped (body, provider);
      g_string_append (body, " account. They are sent to the project over this page and stored "
                             "encrypted; no one can read them back.</p>");
    }
  if (refused || general)
    {
      g_string_append (body, "<div class=\"alert\" role=\"alert\"><p>");
      pb_html_append_escaped (body, general ? general
                                            : "Some details need another look: each field says "
                                              "what.");
      g_string_append (body, "</p></div>");
    }
  g_string_append (body, "<form method=\"post\" novalidate>");
  for (i = 0; i < n; i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      const char *key = pb_auth_field_get_key (field);
      const char *description = pb_auth_field_get_description (field);
      const char *placeholder = pb_auth_field_get_placeholder (field);
      gboolean secret = pb_auth_field_get_secret (field)
                        || pb_auth_field_get_kind (field) == PB_FIELD_KIND_SECRET;
      const char *problem = problems && json_object_has_member (problems, key)
                            ? json_object_get_string_member (problems, key) : NULL;
      const char *value = values && json_object_has_member (values, key)
                          ? json_object_get_string_member (values, key) : NULL;
      gboolean dropped = secret && refused && value != NULL && *value != '\0';
      g_autofree char *id = g_strconcat ("f-", key, NULL);

      if (value == NULL && !refused)
        value = pb_auth_field_get_default_value (field);
      g_string_append_printf (body, "<div class=\"field%s\"><label for=\"%s\">",
                              problem ? " invalid" : "", id);
      pb_html_append_escaped (body, pb_auth_field_get_label (field));
      if (!pb_auth_field_get_required (field))
        g_string_append (body, " <span class=\"desc\">(optional)</span>");
      g_string_append (body, "</label>");
      if (description && *description)
        {
          g_string_append_printf (body, "<p class=\"desc\" id=\"%s-desc\">", id);
          pb_html_append_escaped (body, description);
          g_string_append (body, "</p>");
        }
      if (pb_auth_field_get_kind (field) == PB_FIELD_KIND_SELECT)
        g_string_append_printf (body, "<select id=\"%s\" name=\"%s\"", id, key);
      else
        g_string_append_printf (body, "<input id=\"%s\" name=\"%s\" type=\"%s\" "
                                      "autocomplete=\"off\" spellcheck=\"false\"",
                                id, key, input_type (field));
      if (pb_auth_field_get_required (field))
        g_string_append (body, " required");
      if (problem)
        g_string_append (body, " aria-invalid=\"true\"");
      if ((description && *description) || problem || dropped)
        {
          gboolean described = description && *description;

          g_string_append_printf (body, " aria-describedby=\"%s%s%s%s%s\"",
                                  described ? id : "", described ? "-desc" : "",
                                  described && (problem || dropped) ? " " : "",
                                  problem || dropped ? id : "",
                                  problem || dropped ? "-msg" : "");
        }
      if (pb_auth_field_get_kind (field) == PB_FIELD_KIND_SELECT)
        {
          const char * const *options = pb_auth_field_get_options (field);

          g_string_append (body, ">");
          for (guint k = 0; options && options[k]; k++)
            {
              g_string_append (body, "<option");
              if (g_strcmp0 (options[k], value) == 0)
                g_string_append (body, " selected");
              g_string_append (body, " value=\"");
              pb_html_append_escaped (body, options[k]);
              g_string_append (body, "\">");
              pb_html_append_escaped (body, options[k]);
              g_string_append (body, "</option>");
            }
          g_string_append (body, "</select>");
        }
      else
        {
          if (placeholder && *placeholder)
            {
              g_string_append (body, " placeholder=\"");
              pb_html_append_escaped (body, placeholder);
              g_string_append (body, "\"");
            }
          /* A secret is never sent back to the browser. */
          if (!secret && value != NULL)
            {
              g_string_append (body, " value=\"");
              pb_html_append_escaped (body, value);
              g_string_append (body, "\"");
            }
          g_string_append (body, ">");
        }
      if (problem)
        {
          g_string_append_printf (body, "<p class=\"error\" id=\"%s-msg\">", id);
          pb_html_append_escaped (body, problem);
          if (secret && value != NULL && *value != '\0')
            g_string_append (body, " It was not kept: enter it again.");
          g_string_append (body, "</p>");
        }
      else if (dropped)
        g_string_append_printf (body, "<p class=\"note\" id=\"%s-msg\">For your safety this was "
                                      "not kept: enter it again.</p>", id);
      g_string_append (body, "</div>");
    }
  g_string_append (body, "<button type=\"submit\">");
  if (oauth)
    {
      g_string_append (body, "Continue to ");
      pb_html_append_escaped (body, provider);
    }
  else
    g_string_append (body, "Link account");
  g_string_append (body, "</button></form><p class=\"foot\">This link is for ");
  pb_html_append_escaped (body, ctx->session->owner_name);
  g_string_append (body, " only and works once, until ");
  pb_html_append_escaped (body, expires);
  g_string_append (body, " UTC. Do not forward it.</p>");
  pb_connect_reply_page (req, status, title, body->str);
}

/* ---- GET and POST /connect/{token} ------------------------------------------------------ */

/* The form's values that say something: an empty field is one left out. */
static JsonObject *
entered_values (JsonObject *form)
{
  JsonObject *values = json_object_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, form);
  while (json_object_iter_next (&iter, &key, &value))
    {
      const char *text = json_node_get_string (value);
      g_autofree char *trimmed = g_strstrip (g_strdup (text));

      if (*trimmed != '\0')
        json_object_set_string_member (values, key, text);
    }
  return values;
}

/* A sentence for what in @problems is not one of the page's fields; NULL when all are. */
static char *
general_problem (PbAuthType *type,
                 JsonObject *problems)
{
  GList *members = json_object_get_members (problems), *l;
  gboolean foreign = FALSE;

  for (l = members; l != NULL; l = l->next)
    if (pb_auth_type_find_account_field (type, l->data) == NULL)
      foreign = TRUE;
  g_list_free (members);
  return foreign ? g_strdup ("The form held values this page does not ask for. Reload the page "
                             "and fill it in again.")
                 : NULL;
}

static gboolean
form_content_type (PbRequest *req)
{
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (req->http->request_headers, &params);
  const char *charset = params ? g_hash_table_lookup (params, "charset") : NULL;

  return type != NULL && g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") == 0
         && (charset == NULL || g_ascii_strcasecmp (charset, "utf-8") == 0);
}

static void
post_form (PbRequest  *req,
           const char *token)
{
  g_autoptr(JsonObject) form = json_object_new ();
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(JsonObject) problems = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *general = NULL;
  PbLinkContext ctx = { 0 };
  PbConnectSession *session;
  gsize size = req->http->body ? g_bytes_get_size (req->http->body) : 0;

  if (!form_content_type (req))
    {
      pb_connect_reply_message (req, 415, "The form could not be read",
                                "It was not sent as a web form. Go back to the page and send "
                                "it from there.");
      return;
    }
  if (size > PB_CONNECT_MAX_FORM)
    {
      pb_connect_reply_message (req, 413, "The form is too large",
                                "What was sent is far more than this form holds. Go back, check "
                                "the values, and send it again.");
      return;
    }
  if (!parse_form (req->http->body, form))
    {
      pb_connect_reply_message (req, 400, "The form could not be read",
                                "What was sent is not a well-formed web form. Go back to the "
                                "page and send it again.");
      return;
    }
  values = entered_values (form);

  if (!pb_db_begin (req->db, &error))
    {
      pb_connect_reply_link_error (req, error);
      return;
    }
  session = pb_connect_session_find (req->db, token, NULL);
  if (session == NULL)
    {
      pb_db_rollback (req->db);
      g_set_error_literal (&error, PB_LINK_ERROR, PB_LINK_ERROR_INVALID_TOKEN, "");
      pb_connect_reply_link_error (req, error);
      return;
    }
  req->project_id = g_strdup (session->project_id);
  req->log_source = "connect_page";
  pb_request_set_log (req, "connect_sessions", session->provider, session->integration_id,
                      session->account_id);
  if (!pb_link_prepare (req, session, &ctx, &error))
    {
      pb_db_rollback (req->db);
      pb_connect_reply_link_error (req, error);
      goto out;
    }
  pb_credentials_check (ctx.type, values, "", FALSE, problems);
  if (json_object_get_size (problems) == 0 && is_oauth (ctx.type))
    {
      PbOAuthEndpoints endpoints = { 0 };
      g_autofree char *field = NULL;
      g_autofree char *problem = NULL;

      if (pb_oauth_endpoints_for (req, &ctx, values, &endpoints, &field, &problem))
        {
          pb_oauth_start (req, &ctx, &endpoints, values);
          pb_oauth_endpoints_clear (&endpoints);
          goto out;
        }
      pb_oauth_endpoints_clear (&endpoints);
      if (field == NULL)
        {
          pb_db_rollback (req->db);
          pb_connect_reply_message (req, 503, "Sign-in is not set up yet", problem);
          goto out;
        }
      json_object_set_string_member (problems, field, problem);
    }
  if (json_object_get_size (problems) > 0)
    {
      pb_db_rollback (req->db);
      general = general_problem (ctx.type, problems);
      reply_form (req, &ctx, 400, values, problems, general);
      goto out;
    }
  if (!pb_link_store (req, &ctx, values, 0, 200, &account_id, &error))
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
  pb_link_context_clear (&ctx);
}

void
pb_server_handle_connect_page (PbRequest  *req,
                               const char *token)
{
  g_autoptr(GError) error = NULL;
  PbLinkContext ctx = { 0 };
  PbConnectSession *session;

  /* The token is as good as a password while the session lasts: logs show the route only. */
  req->shown_path = "/connect/{token}";
  if (g_str_equal (req->method, "POST"))
    {
      post_form (req, token);
      return;
    }
  session = pb_connect_session_find (req->db, token, NULL);
  if (session == NULL)
    {
      g_set_error_literal (&error, PB_LINK_ERROR, PB_LINK_ERROR_INVALID_TOKEN, "");
      pb_connect_reply_link_error (req, error);
      return;
    }
  if (!pb_link_prepare (req, session, &ctx, &error))
    pb_connect_reply_link_error (req, error);
  else
    reply_form (req, &ctx, 200, NULL, NULL, NULL);
  pb_link_context_clear (&ctx);
}
