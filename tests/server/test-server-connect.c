/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"


#include "server-demo.h"

/* The connect page as the end user's browser meets it, over real HTTP: the form and its
 * labels, escaping, the page's headers, refused fields with what was typed kept (never a
 * secret), links that are unknown, used, expired or for an account that cannot be linked, and
 * forms refused like JSON bodies. No token or secret in a log. */

#define OWNER "Globex <script>alert(1)</script> & \"Co\""
#define KEY_ONE "connect-page-key-5501"
#define KEY_TWO "connect-page-key-6602"

static char *db_path;
static GPtrArray *tokens;

typedef struct
{
  char *token;
  char *url;
  char *path;
  char *id;
} Link;

static void
link_free (Link *l)
{
  g_free (l->token);
  g_free (l->url);
  g_free (l->path);
  g_free (l->id);
  g_free (l);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Link, link_free)

static Link *
new_link (const char *body)
{
  g_autoptr(Reply) reply = test_call (session, URL, "POST", "/connect_sessions", admin, body);
  Link *l = g_new0 (Link, 1);

  g_assert_cmpuint (reply->status, ==, 201);
  l->token = g_strdup (json_object_get_string_member (obj (reply), "token"));
  l->url = g_strdup (json_object_get_string_member (obj (reply), "url"));
  l->id = g_strdup (json_object_get_string_member (obj (reply), "id"));
  l->path = g_strconcat ("/connect/", l->token, NULL);
  g_ptr_array_add (tokens, g_strdup (l->token));
  return l;
}

static Link *
bamboohr_link (const char *owner_id)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *text = NULL;

  json_object_set_string_member (body, "origin_owner_id", owner_id);
  json_object_set_string_member (body, "origin_owner_name", OWNER);
  json_object_set_string_member (body, "provider", "bamboohr");
  text = to_text (body);
  return new_link (text);
}

/* A page, as a browser asks for it (no API key). */
static Reply *
page (const char *method,
      const char *path,
      const char *content_type,
      const char *body,
      gssize      length)
{
  return test_call_full (session, URL, method, path, NULL, content_type, body, length, NULL, NULL);
}

static Reply *
post_form (const char *path,
           const char *form)
{
  return page ("POST", path, "application/x-www-form-urlencoded", form, -1);
}

static void
assert_page (Reply      *reply,
             guint       status,
             const char *heading)
{
  g_autofree char *h1 = g_strconcat ("<h1>", heading, "</h1>", NULL);

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Content-Type"), ==,
                   "text/html; charset=utf-8");
  g_assert_nonnull (strstr (reply->text, h1));
  g_assert_null (strstr (reply->text, "<script"));
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "X-Frame-Options"), ==, "DENY");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Cache-Control"), ==, "no-store");
}

static void
test_page (void)
{
  g_autoptr(Link) l = bamboohr_link ("page-1");
  g_autoptr(Reply) shown = page ("GET", l->path, NULL, NULL, 0);
  g_autofree char *url = g_strconcat (URL, l->path, NULL);
  const char *csp = soup_message_headers_get_one (shown->headers, "Content-Security-Policy");

  g_assert_cmpstr (l->url, ==, url);
  assert_page (shown, 200, "Link your BambooHR account");
  g_assert_nonnull (strstr (csp, "default-src 'none'"));
  g_assert_nonnull (strstr (csp, "style-src 'unsafe-inline'"));
  g_assert_nonnull (strstr (csp, "frame-ancestors 'none'"));
  g_assert_cmpstr (soup_message_headers_get_one (shown->headers, "Referrer-Policy"), ==,
                   "no-referrer");
  /* The project and the owner, escaped; each input with its label; a form without script. */
  g_assert_nonnull (strstr (shown->text, "<p class=\"project\">Acme HR</p>"));
  g_assert_nonnull (strstr (shown->text, "Globex &lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                                         "&quot;Co&quot;"));
  g_assert_nonnull (strstr (shown->text, "<label for=\"f-api_key\">API key</label>"));
  g_assert_nonnull (strstr (shown->text, "<input id=\"f-api_key\" name=\"api_key\" "
                                         "type=\"password\""));
  g_assert_nonnull (strstr (shown->text, "<label for=\"f-subdomain\">"));
  g_assert_nonnull (strstr (shown->text, "<form method=\"post\" novalidate>"));
  g_assert_nonnull (strstr (shown->text, "name=\"viewport\""));
  g_assert_nonnull (strstr (shown->text, "@media (min-width:40rem)"));
}

static void
test_refused_field (void)
{
  g_autoptr(Link) l = bamboohr_link ("page-2");
  g_autoptr(Reply) missing = post_form (l->path, "api_key=" KEY_ONE "&subdomain=");
  g_autoptr(Reply) kept = post_form (l->path, "api_key=&subdomain=glo%20bex%3C%2Fb%3E");
  g_autoptr(Reply) foreign = post_form (l->path, "api_key=x&subdomain=y&is_admin=1");
  g_autoptr(Reply) linked = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) posted_again = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autofree char *accounts_path = NULL;

  assert_page (missing, 400, "Link your BambooHR account");
  g_assert_nonnull (strstr (missing->text, "<p class=\"error\" id=\"f-subdomain-msg\">Company "
                                           "subdomain is required.</p>"));
  g_assert_nonnull (strstr (missing->text, "aria-invalid=\"true\" aria-describedby=\"f-subdomain-desc "
                                           "f-subdomain-msg\""));
  /* The key was not refused, but it is never sent back: the page says to enter it again. */
  g_assert_null (strstr (missing->text, KEY_ONE));
  g_assert_nonnull (strstr (missing->text, "not kept: enter it again"));
  /* What was typed in a plain field stays, escaped. */
  assert_page (kept, 400, "Link your BambooHR account");
  g_assert_nonnull (strstr (kept->text, "value=\"glo bex&lt;/b&gt;\""));
  g_assert_nonnull (strstr (kept->text, "API key is required."));
  assert_page (foreign, 400, "Link your BambooHR account");
  g_assert_nonnull (strstr (foreign->text, "values this page does not ask for"));

  /* The refusals used nothing up. */
  linked = post_form (l->path, "api_key=" KEY_ONE "&subdomain=globex");
  assert_page (linked, 200, "Your BambooHR account is linked");
  g_assert_null (strstr (linked->text, KEY_ONE));
  again = page ("GET", l->path, NULL, NULL, 0);
  assert_page (again, 410, "This link was already used");
  posted_again = post_form (l->path, "api_key=" KEY_TWO "&subdomain=globex");
  assert_page (posted_again, 410, "This link was already used");

  accounts_path = g_strdup ("/accounts?provider=bamboohr&q=Globex&page_size=100");
  {
    g_autoptr(JsonObject) list = get_ok (accounts_path);
    JsonArray *data = json_object_get_array_member (list, "data");

    for (guint i = 0; i < json_array_get_length (data); i++)
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (data, i),
                                                      "origin_owner_id"), "page-2"))
        account = json_object_ref (json_array_get_object_element (data, i));
  }
  g_assert_nonnull (account);
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "active");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_object_get_object_member (account, "credentials"), "api_key"),
                     "hint"), ==, "…5501");
}

static void
test_bad_forms (void)
{
  g_autoptr(Link) l = bamboohr_link ("page-3");
  const char *malformed[] = { "api_key=%zz", "api_key=%0", "api_key=a%00b", "api_key=%ff%fe",
                              "api_key=a&api_key=b", "=x", "api_key=a%0Ab" };
  g_autofree char *big = g_malloc (64 * 1024 + 2);
  g_autofree char *huge = g_malloc (1024 * 1024 + 2);
  g_autoptr(Reply) json = page ("POST", l->path, "application/json", "{\"api_key\":\"x\"}", -1);
  g_autoptr(Reply) too_big = NULL;
  g_autoptr(Reply) too_huge = NULL;
  g_autoptr(Reply) still = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(Reply) reply = post_form (l->path, malformed[i]);
      g_test_message ("form %s", malformed[i]);
      assert_page (reply, 400, "The form could not be read");
    }
  assert_page (json, 415, "The form could not be read");
  memset (big, 'a', 64 * 1024 + 1);
  big[64 * 1024 + 1] = '\0';
  too_big = post_form (l->path, big);
  assert_page (too_big, 413, "The form is too large");
  memset (huge, 'a', 1024 * 1024 + 1);
  huge[1024 * 1024 + 1] = '\0';
  too_huge = post_form (l->path, huge);
  g_assert_cmpuint (too_huge->status, ==, 413);
  g_assert_cmpstr (soup_message_headers_get_one (too_huge->headers, "Content-Type"), ==,
                   "text/html; charset=utf-8");
  /* None of it touched the session. */
  still = page ("GET", l->path, NULL, NULL, 0);
  assert_page (still, 200, "Link your BambooHR account");
}

static void
expire (const char *session_id)
{
  g_autofree char *sql = NULL;

  /* The server made the id: letters and digits only. */
  g_assert_true (strspn (session_id, "cs_0123456789abcdef") == strlen (session_id));
  sql = g_strdup_printf ("UPDATE connect_sessions SET expires_at = 1 WHERE id = '%s'", session_id);
  test_engine_exec (db_path, sql);
}

static void
test_links_that_do_not_work (void)
{
  g_autoptr(Link) old = bamboohr_link ("page-4");
  g_autoptr(Reply) unknown = page ("GET", "/connect/no-such-token", NULL, NULL, 0);
  g_autoptr(Reply) unknown_post = post_form ("/connect/no-such-token", "api_key=x");
  g_autoptr(Reply) expired = NULL;
  g_autoptr(Reply) expired_post = NULL;
  g_autoptr(JsonObject) account = link_account ("bamboohr", NULL, "page-5", "Suspended Co");
  g_autofree char *relink_body = g_strdup_printf ("{\"account_id\":\"%s\"}",
                                                  json_object_get_string_member (account, "id"));
  g_autofree char *account_path = g_strconcat ("/accounts/",
                                               json_object_get_string_member (account, "id"),
                                               NULL);
  g_autoptr(Link) relink = new_link (relink_body);
  g_autoptr(Reply) relink_page = page ("GET", relink->path, NULL, NULL, 0);
  g_autoptr(Reply) suspended = NULL;
  g_autoptr(Reply) resumed = NULL;
  g_autoptr(JsonObject) humaans = create (make_body ("humaans", "api_key", NULL), 201);
  g_autoptr(Link) disabled_link = new_link ("{\"origin_owner_id\":\"page-6\","
                                            "\"origin_owner_name\":\"Off Co\","
                                            "\"provider\":\"humaans\"}");
  g_autoptr(Reply) disabled = NULL;

  assert_page (unknown, 404, "This link is not valid");
  assert_page (unknown_post, 404, "This link is not valid");

  expire (old->id);
  expired = page ("GET", old->path, NULL, NULL, 0);
  assert_page (expired, 410, "This link has expired");
  expired_post = post_form (old->path, "api_key=x&subdomain=y");
  assert_page (expired_post, 410, "This link has expired");

  /* A link to link an account again says so; once the account is suspended, it cannot. */
  assert_page (relink_page, 200, "Link your BambooHR account again");
  {
    g_autoptr(Reply) r = test_call (session, URL, "PATCH", account_path, admin,
                                    "{\"status\":\"suspended\"}");
    g_assert_cmpuint (r->status, ==, 200);
  }
  suspended = post_form (relink->path, "api_key=" KEY_TWO "&subdomain=globex");
  assert_page (suspended, 409, "This account is suspended");
  g_assert_null (strstr (suspended->text, KEY_TWO));
  {
    g_autoptr(Reply) r = test_call (session, URL, "PATCH", account_path, admin,
                                    "{\"status\":\"active\"}");
    g_assert_cmpuint (r->status, ==, 200);
  }
  resumed = post_form (relink->path, "api_key=" KEY_TWO "&subdomain=globex");
  assert_page (resumed, 200, "Your BambooHR account is linked");
  {
    g_autoptr(JsonObject) after = get_ok (account_path);
    JsonObject *hint = json_object_get_object_member (
      json_object_get_object_member (after, "credentials"), "api_key");

    g_assert_cmpstr (json_object_get_string_member (hint, "hint"), ==, "…6602");
    g_assert_cmpstr (json_object_get_string_member (after, "status"), ==, "active");
  }

  /* The integration was disabled after the link went out. */
  {
    g_autoptr(Reply) off = patch (json_object_get_string_member (humaans, "id"),
                                  "{\"active\":false}", NULL);
    g_assert_cmpuint (off->status, ==, 200);
  }
  disabled = page ("GET", disabled_link->path, NULL, NULL, 0);
  assert_page (disabled, 409, "Linking is turned off for now");
}

static void
test_logged_without_token (void)
{
  g_autoptr(Link) l = bamboohr_link ("page-7");
  g_autoptr(Reply) linked = post_form (l->path, "api_key=" KEY_ONE "&subdomain=logco");
  g_autoptr(JsonObject) logs = get_ok ("/requests/logs?provider=bamboohr&page_size=1000");
  JsonArray *data = json_object_get_array_member (logs, "data");
  g_autoptr(GString) all = g_string_new (NULL);
  guint from_page = 0;

  assert_page (linked, 200, "Your BambooHR account is linked");
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *log = json_array_get_object_element (data, i);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), log);
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (all, text);
      if (g_strcmp0 (json_object_get_string_member (log, "source_type"), "connect_page") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (log, "path"), ==, "/connect/{token}");
          from_page++;
        }
    }
  g_assert_cmpuint (from_page, >=, 1);
  for (guint i = 0; i < tokens->len; i++)
    g_assert_true (strstr (all->str, tokens->pdata[i]) == NULL);
  g_assert_true (strstr (all->str, KEY_ONE) == NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("pb-test-connect-XXXXXX", NULL);
  const char *env[] = { "G_MESSAGES_DEBUG", "all", NULL };
  g_autofree char *err = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  db_path = g_build_filename (dir, "demo.db", NULL);
  tokens = g_ptr_array_new_with_free_func (g_free);
  demo = test_server_start ((const char *[]) { "demo", "--listen", "127.0.0.1:0", "--db", db_path,
                                               NULL }, env);
  admin = test_server_project_key (demo, 0, "admin");
  viewer = test_server_project_key (demo, 0, "viewer");
  sandbox_admin = test_server_project_key (demo, 1, "admin");
  session = soup_session_new ();

  g_test_add_func ("/server/connect/page", test_page);
  g_test_add_func ("/server/connect/refused-field", test_refused_field);
  g_test_add_func ("/server/connect/bad-forms", test_bad_forms);
  g_test_add_func ("/server/connect/links-that-do-not-work", test_links_that_do_not_work);
  g_test_add_func ("/server/connect/logged-without-token", test_logged_without_token);
  ret = g_test_run ();

  g_clear_object (&session);
  test_server_stop (demo);
  err = test_server_read_err (demo);
  test_server_free (demo);
  /* The server's own log names the route, never a token or what was typed. */
  g_assert_true (strstr (err, "/connect/{token}") != NULL);
  for (guint i = 0; i < tokens->len; i++)
    g_assert_true (strstr (err, tokens->pdata[i]) == NULL);
  g_assert_true (strstr (err, KEY_ONE) == NULL && strstr (err, KEY_TWO) == NULL);
  test_remove_db (db_path);
  g_rmdir (dir);
  g_ptr_array_unref (tokens);
  g_free (db_path);
  return ret;
}
