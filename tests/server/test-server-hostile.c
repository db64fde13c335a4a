/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "server-demo.h"

/* Hostile input: what an attacker with a key, or without one, sends; and what must hold when
 * the server is killed or its files are looked at. Raw HTTP over real sockets where the client
 * library would not send it. */

/* ---- raw HTTP ------------------------------------------------------------------------------ */

static int
raw_connect (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  struct sockaddr_in address = { 0 };
  struct timeval timeout = { 10, 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_nonnull (uri);
  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_port = htons (g_uri_get_port (uri));
  inet_pton (AF_INET, g_uri_get_host (uri), &address.sin_addr);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
}

static void
raw_send (int         fd,
          const char *data,
          gsize       len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = send (fd, data + done, len - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;   /* the server may close early; what it answered is checked */
      done += n;
    }
}

/* Everything the server sends until it closes the connection (or 10 s pass); *out_closed
 * says whether it closed it. */
static GString *
raw_read_all (int       fd,
              gboolean *out_closed)
{
  GString *out = g_string_new (NULL);
  char chunk[16384];
  gssize n;

  while ((n = recv (fd, chunk, sizeof chunk, 0)) > 0)
    g_string_append_len (out, chunk, n);
  if (out_closed != NULL)
    *out_closed = n == 0;
  return out;
}

/* Sends @request on a new connection and returns all the server answers before it closes. */
static GString *
raw_exchange (const char *url,
              const char *request,
              gsize       len)
{
  int fd = raw_connect (url);
  GString *out;

  raw_send (fd, request, len);
  shutdown (fd, SHUT_WR);
  out = raw_read_all (fd, NULL);
  close (fd);
  return out;
}

static guint
count_responses (const char *text)
{
  guint n = 0;
  const char *p = text;

  /* Status lines: at the start, or right after the previous answer (a JSON body or a head). */
  while ((p = strstr (p, "HTTP/1.1 ")) != NULL)
    {
      if (p == text || p[-1] == '}' || p[-1] == '\n')
        n++;
      p++;
    }
  return n;
}

/* The status of the first answer in @text; 0 when there is none (the connection was closed or
 * reset before an answer could be read: a loop waiting for the server to recover tries again,
 * an assertion on a status fails with 0). */
static guint
first_status (const char *text)
{
  if (!g_str_has_prefix (text, "HTTP/1.1 "))
    return 0;
  return atoi (text + 9);
}

/* POST /integrations with @body as it is; returns the answer. */
static Reply *
post_raw_body (const char *body,
               gsize       len)
{
  return test_call_full (session, URL, "POST", "/integrations", admin, "application/json", body,
                         len, NULL, NULL);
}

static guint
count_integrations (void)
{
  g_autoptr(GPtrArray) all = collect_all ("/integrations", "id", 1000);

  return all->len;
}

/* ---- strict JSON ------------------------------------------------------------------------- */

/* Deep nesting that a depth pre-scan could be made to miss: behind a comment holding a quote,
 * behind a single-quoted string, after an escaped quote, and plain. Each is answered 400, and
 * the server keeps answering. */
static void
test_deep_nesting (void)
{
  const char *prefixes[] = { "{\"a\":", "{\"a\":/* \" */", "{'a\"':", "{\"a\\\"\":", "[\"\\\\\",", NULL };
  guint levels = 100000, i;

  for (i = 0; prefixes[i] != NULL; i++)
    {
      GString *body = g_string_new (prefixes[i]);
      g_autoptr(Reply) reply = NULL;
      g_autoptr(JsonObject) project = NULL;
      guint j;

      for (j = 0; j < levels; j++)
        g_string_append_c (body, '[');
      for (j = 0; j < levels; j++)
        g_string_append_c (body, ']');
      g_string_append (body, g_str_has_prefix (prefixes[i], "[") ? "]" : "}");
      reply = post_raw_body (body->str, body->len);
      test_assert_error (reply, 400, "invalid_json");
      project = get_ok ("/project");
      g_string_free (body, TRUE);
    }
}

static void
test_lenient_json (void)
{
  const char *bodies[] = {
    "{\"name\": \"a\" /* comment */}",
    "{\"name\": \"a\"} // comment",
    "{'name': 'a'}",
    "{\"name\": 'a'}",
    "{\"name\": \"a\"} {\"name\": \"b\"}",
    "{\"name\": \"a\"}x",
    "{\"name\": \"a\",}",
    "{\"name\": [1,]}",
    "{\"name\": 01}",
    "{\"name\": \"tab\there\"}",
    "{\"name\": \"\\x41\"}",
    "{\"name\": \"\\ud800\"}",
    "{name: \"a\"}",
    "{\"name\": NaN}",
    NULL
  };
  guint before = count_integrations (), i;

  for (i = 0; bodies[i] != NULL; i++)
    {
      g_autoptr(Reply) reply = post_raw_body (bodies[i], -1);
      g_test_message ("%s", bodies[i]);
      test_assert_error (reply, 400, "invalid_json");
    }
  g_assert_cmpuint (count_integrations (), ==, before);
}

/* A NUL in a string would be cut there by json-glib: a secret stored as its first characters. */
static void
test_nul_in_strings (void)
{
  g_autoptr(JsonObject) body = make_body ("bamboohr", "oauth2", "secret-1234567890");
  g_autofree char *text = to_text (body);
  g_autofree char *with_nul = NULL;
  char *at = strstr (text, "secret-1234567890");
  guint before = count_integrations ();
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) named = NULL;

  g_assert_nonnull (at);
  with_nul = g_strdup_printf ("%.*ssecr\\u0000et-1234567890%s", (int) (at - text), text,
                              at + strlen ("secret-1234567890"));
  reply = post_raw_body (with_nul, -1);
  test_assert_error (reply, 400, "invalid_json");
  g_assert_nonnull (strstr (json_object_get_string_member (obj (reply), "message"), "NUL"));
  named = post_raw_body ("{\"name\":\"a\\u0000b\",\"connector_key\":\"bamboohr\"}", -1);
  test_assert_error (named, 400, "invalid_json");
  g_assert_cmpuint (count_integrations (), ==, before);
}

static void
test_duplicate_members (void)
{
  const char *bodies[] = {
    "{\"name\":\"a\",\"name\":\"b\"}",
    "{\"name\":\"a\",\"n\\u0061me\":\"b\"}",
    "{\"config\":{\"x\":\"1\",\"x\":\"2\"}}",
    NULL
  };
  guint i;

  for (i = 0; bodies[i] != NULL; i++)
    {
      g_autoptr(Reply) reply = post_raw_body (bodies[i], -1);
      test_assert_error (reply, 400, "invalid_json");
    }
}

/* 1 MB of unknown fields: the answer names only the first few, and says how many more. */
static void
test_bounded_errors (void)
{
  GString *body = g_string_new ("{");
  g_autoptr(Reply) reply = NULL;
  g_autofree char *text = NULL;
  JsonObject *details;
  guint i;

  for (i = 0; body->len < 1000 * 1000; i++)
    g_string_append_printf (body, "%s\"unknown_field_%u\":1", i ? "," : "", i);
  g_string_append_c (body, '}');
  reply = post_raw_body (body->str, body->len);
  test_assert_error (reply, 400, "validation_failed");
  text = json_to_string (reply->body, FALSE);
  g_assert_cmpuint (strlen (text), <, 8192);
  details = json_object_get_object_member (obj (reply), "details");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (details, "fields")), <=, 20);
  /* Every unknown field counted, and the missing required ones. */
  g_assert_cmpint (json_object_get_int_member (details, "more_fields")
                   + json_object_get_size (json_object_get_object_member (details, "fields")), >=, i);
  g_string_free (body, TRUE);

  /* One very long unknown name is shown cut short. */
  {
    GString *name = g_string_new ("{\"");
    g_autoptr(Reply) long_reply = NULL;
    g_autofree char *long_text = NULL;

    for (i = 0; i < 100000; i++)
      g_string_append_c (name, 'x');
    g_string_append (name, "\":1}");
    long_reply = post_raw_body (name->str, name->len);
    test_assert_error (long_reply, 400, "validation_failed");
    long_text = json_to_string (long_reply->body, FALSE);
    g_assert_cmpuint (strlen (long_text), <, 2048);
    g_string_free (name, TRUE);
  }
}

/* ---- framing ------------------------------------------------------------------------------ */

/* Each request hides a second one in what a server reading the other framing would take as
 * its body; the first is refused, the connection closed, and the hidden one never runs. */
static void
test_framing (void)
{
  const char *heads[] = {
    "Content-Length: 50\r\nTransfer-Encoding: chunked\r\n",
    "Transfer-Encoding: chunked\r\nContent-Length: 50\r\n",
    "Content-Length: 5\r\nContent-Length: 50\r\n",
    "Content-Length: +5\r\n",
    "Content-Length: 5, 5\r\n",
    "Content-Length: 0x5\r\n",
    NULL
  };
  guint before = count_integrations (), i;

  for (i = 0; heads[i] != NULL; i++)
    {
      g_autofree char *hidden = g_strdup_printf ("DELETE /integrations/nothing HTTP/1.1\r\n"
                                                 "Host: localhost\r\nAuthorization: Bearer %s\r\n\r\n",
                                                 admin);
      g_autofree char *request = g_strdup_printf ("POST /connect_sessions HTTP/1.1\r\nHost: localhost\r\n"
                                                  "Authorization: Bearer %s\r\n"
                                                  "Content-Type: application/json\r\n%s\r\n"
                                                  "0\r\n\r\n%s", admin, heads[i], hidden);
      int fd = raw_connect (URL);
      g_autoptr(GString) answer = NULL;
      gboolean closed = FALSE;

      /* The client keeps its side open: the server must close. */
      raw_send (fd, request, strlen (request));
      answer = raw_read_all (fd, &closed);
      close (fd);
      g_test_message ("%s", heads[i]);
      g_assert_cmpuint (first_status (answer->str), ==, 400);
      g_assert_cmpuint (count_responses (answer->str), ==, 1);
      g_assert_true (closed);
    }
  g_assert_cmpuint (count_integrations (), ==, before);
}


/* Heads that are not strict HTTP/1.1 are refused and their connection closed; a chunked body in
 * two chunks is read whole. */
static void
test_malformed_heads (void)
{
  g_autofree char *big = g_strnfill (20000, 'a');
  g_autofree char *too_long = g_strdup_printf ("GET /project HTTP/1.1\r\nHost: localhost\r\nX-Big: %s\r\n\r\n", big);
  const char *requests[] = {
    "GET /project HTTP/1.1\r\nHost: localhost\r\nX-Folded: a\r\n b\r\n\r\n",
    "GET /project HTTP/1.1\r\nHost : localhost\r\n\r\n",
    "GET /project HTTP/1.1\r\n\r\n",
    "GET /project HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "GET /project HTTP/2.0\r\nHost: localhost\r\n\r\n",
    "GET  /project HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET /pro\x01ject HTTP/1.1\r\nHost: localhost\r\n\r\n",
    NULL
  };
  guint i;

  for (i = 0; requests[i] != NULL; i++)
    {
      g_autoptr(GString) answer = raw_exchange (URL, requests[i], strlen (requests[i]));
      g_test_message ("%s", requests[i]);
      g_assert_cmpuint (first_status (answer->str), ==, 400);
      g_assert_cmpuint (count_responses (answer->str), ==, 1);
    }
  {
    static const char with_nul[] = "GET /project HTTP/1.1\r\nHost: local\0host\r\n\r\n";
    g_autoptr(GString) answer = raw_exchange (URL, with_nul, sizeof with_nul - 1);
    g_assert_cmpuint (first_status (answer->str), ==, 400);
  }
  {
    g_autoptr(GString) answer = raw_exchange (URL, too_long, strlen (too_long));
    g_assert_cmpuint (first_status (answer->str), ==, 431);
  }
  {
    const char *body = "{\"origin_owner_id\":\"o\",\"origin_owner_name\":\"O\",\"provider\":\"bamboohr\"}";
    g_autofree char *request = g_strdup_printf ("POST /connect_sessions HTTP/1.1\r\nHost: localhost\r\n"
                                                "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                                                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                                "%x\r\n%.10s\r\n%x;ext=1\r\n%s\r\n0\r\n\r\n",
                                                admin, 10, body, (guint) strlen (body + 10), body + 10);
    g_autoptr(GString) answer = raw_exchange (URL, request, strlen (request));
    g_assert_cmpuint (first_status (answer->str), ==, 201);
  }
}

/* ---- authentication and addressing ------------------------------------------------------ */

static guint
get_with_headers (const char *url,
                  const char *path,
                  const char *headers)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\n%sConnection: close\r\n\r\n",
                                              path, headers);
  g_autoptr(GString) answer = raw_exchange (url, request, strlen (request));

  return first_status (answer->str);
}

static void
test_authorization (void)
{
  g_autofree char *basic = g_base64_encode ((const guchar *) admin, strlen (admin));
  g_autofree char *good = g_strdup_printf ("Host: localhost\r\nAuthorization: Bearer %s\r\n", admin);
  g_autofree char *good_basic = g_strdup_printf ("Host: localhost\r\nAuthorization: Basic %s\r\n", basic);
  g_autofree char *twice = g_strdup_printf ("Host: localhost\r\nAuthorization: Bearer wrong\r\n"
                                            "Authorization: Bearer %s\r\n", admin);
  g_autofree char *junk_basic = g_strdup_printf ("Host: localhost\r\nAuthorization: Basic %s!!junk\r\n",
                                                 basic);
  g_autofree char *junk_bearer = g_strdup_printf ("Host: localhost\r\nAuthorization: Bearer %s junk\r\n",
                                                  admin);

  g_assert_cmpuint (get_with_headers (URL, "/project", good), ==, 200);
  g_assert_cmpuint (get_with_headers (URL, "/project", good_basic), ==, 200);
  g_assert_cmpuint (get_with_headers (URL, "/project", twice), ==, 401);
  g_assert_cmpuint (get_with_headers (URL, "/project", junk_basic), ==, 401);
  g_assert_cmpuint (get_with_headers (URL, "/project", junk_bearer), ==, 401);
}

static void
test_host (void)
{
  const char *allowed[] = { "localhost", "127.0.0.1", "LOCALHOST:8710", NULL };
  const char *refused[] = { "evil.example", "evil.example:8710", "127.0.0.2", NULL };
  guint i;

  for (i = 0; allowed[i] != NULL; i++)
    {
      g_autofree char *headers = g_strdup_printf ("Host: %s\r\nAuthorization: Bearer %s\r\n", allowed[i], admin);
      g_assert_cmpuint (get_with_headers (URL, "/project", headers), ==, 200);
    }
  for (i = 0; refused[i] != NULL; i++)
    {
      g_autofree char *headers = g_strdup_printf ("Host: %s\r\nAuthorization: Bearer %s\r\n", refused[i], admin);
      g_assert_cmpuint (get_with_headers (URL, "/project", headers), ==, 421);
    }
}

/* With --allowed-hosts the named hosts are answered too; others still not. */
static void
test_allowed_hosts (void)
{
  const char *argv[] = { "demo", "--listen", "127.0.0.1:0", "--allowed-hosts", "api.example,Other.Example:443", NULL };
  TestServer *server = test_server_start (argv, NULL);
  const char *key = test_server_project_key (server, 0, "admin");
  const char *hosts[] = { "api.example", "other.example", "api.example:8443", NULL };
  guint i;

  for (i = 0; hosts[i] != NULL; i++)
    {
      g_autofree char *headers = g_strdup_printf ("Host: %s\r\nAuthorization: Bearer %s\r\n", hosts[i], key);
      g_assert_cmpuint (get_with_headers (server->url, "/project", headers), ==, 200);
    }
  {
    g_autofree char *headers = g_strdup_printf ("Host: evil.example\r\nAuthorization: Bearer %s\r\n", key);
    g_assert_cmpuint (get_with_headers (server->url, "/project", headers), ==, 421);
  }
  test_server_stop (server);
  test_server_free (server);
}

/* After --auth-failures failed attempts in a minute, the peer is refused, even with a good key,
 * until the minute is over. */
static void
test_auth_failure_limit (void)
{
  const char *argv[] = { "demo", "--listen", "127.0.0.1:0", "--auth-failures", "3", NULL };
  TestServer *server = test_server_start (argv, NULL);
  const char *key = test_server_project_key (server, 0, "admin");
  g_autoptr(SoupSession) s = soup_session_new ();
  g_autofree char *wrong = g_strdup (key);
  guint i;

  wrong[strlen (wrong) - 1] = wrong[strlen (wrong) - 1] == 'a' ? 'b' : 'a';
  {
    g_autoptr(Reply) ok = test_call (s, server->url, "GET", "/project", key, NULL);
    g_assert_cmpuint (ok->status, ==, 200);
  }
  for (i = 0; i < 3; i++)
    {
      g_autoptr(Reply) reply = test_call (s, server->url, "GET", "/project", wrong, NULL);
      test_assert_error (reply, 401, "unauthorized");
    }
  {
    g_autoptr(Reply) limited = test_call (s, server->url, "GET", "/project", wrong, NULL);
    g_autoptr(Reply) good = test_call (s, server->url, "GET", "/project", key, NULL);

    test_assert_error (limited, 429, "rate_limited");
    g_assert_nonnull (soup_message_headers_get_one (limited->headers, "Retry-After"));
    test_assert_error (good, 429, "rate_limited");
  }
  test_server_stop (server);
  test_server_free (server);
}

/* Another project's integration id is refused without saying whose it is. */
static void
test_id_in_other_project (void)
{
  g_autoptr(JsonObject) body = make_body ("bamboohr", "oauth2", "secret-1234567890");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *text = NULL;
  g_autoptr(Reply) mine = NULL;
  g_autoptr(Reply) other = NULL;
  g_autoptr(Reply) again = NULL;

  json_object_set_string_member (body, "id", id);
  text = to_text (body);
  mine = test_call (session, URL, "POST", "/integrations", admin, text);
  g_assert_cmpuint (mine->status, ==, 201);
  other = test_call (session, URL, "POST", "/integrations", sandbox_admin, text);
  test_assert_error (other, 409, "id_in_use");
  g_assert_null (strstr (json_object_get_string_member (obj (other), "message"), id));
  g_assert_false (json_object_has_member (obj (other), "details"));
  /* In its own project the id is named, and the same body again is the same integration. */
  json_object_set_string_member (body, "name", "Another name");
  g_free (text);
  text = to_text (body);
  again = test_call (session, URL, "POST", "/integrations", admin, text);
  test_assert_error (again, 409, "id_in_use");
  g_assert_nonnull (strstr (json_object_get_string_member (obj (again), "message"), id));
}

static void
test_connectors_page_size (void)
{
  g_autoptr(Reply) big = get ("/connectors?page_size=5000");
  g_autoptr(Reply) zero = get ("/connectors?page_size=0");
  g_autoptr(Reply) fine = get ("/connectors?page_size=1000");

  test_assert_error (big, 400, "validation_failed");
  test_assert_error (zero, 400, "validation_failed");
  g_assert_cmpuint (fine->status, ==, 200);
}


/* ---- connections ------------------------------------------------------------------------- */

/* Whether the server closes @fd (end of stream or a reset) before the 10 s receive timeout;
 * what it sent is dropped. */
static gboolean
closed_by_server (int fd)
{
  char chunk[4096];
  gssize n;

  while ((n = recv (fd, chunk, sizeof chunk, 0)) > 0)
    ;
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

/* A client that sends half a head, one that sends nothing, and a kept-alive one that stays
 * quiet are all closed after their timeouts. */
static void
test_slow_clients (void)
{
  const char *argv[] = { "demo", "--listen", "127.0.0.1:0", "--header-timeout", "0.3",
                         "--idle-timeout", "0.5", NULL };
  TestServer *server = test_server_start (argv, NULL);
  const char *key = test_server_project_key (server, 0, "admin");
  g_autofree char *request = g_strdup_printf ("GET /project HTTP/1.1\r\nHost: localhost\r\n"
                                              "Authorization: Bearer %s\r\n\r\n", key);
  int half = raw_connect (server->url);
  int silent = raw_connect (server->url);
  int idle = raw_connect (server->url);
  char head[12] = { 0 };

  raw_send (half, "GET /project HTTP/1.1\r\nHost: loc", strlen ("GET /project HTTP/1.1\r\nHost: loc"));
  raw_send (idle, request, strlen (request));
  g_assert_cmpint (recv (idle, head, sizeof head - 1, 0), ==, sizeof head - 1);
  g_assert_cmpstr (head, ==, "HTTP/1.1 20");
  g_assert_true (closed_by_server (half));
  g_assert_true (closed_by_server (silent));
  g_assert_true (closed_by_server (idle));
  close (half);
  close (silent);
  close (idle);
  test_server_stop (server);
  test_server_free (server);
}

static guint
get_project (const char *url,
             const char *key)
{
  g_autofree char *headers = g_strdup_printf ("Host: localhost\r\nAuthorization: Bearer %s\r\n", key);

  return get_with_headers (url, "/project", headers);
}

/* Past the connection limits new connections are answered 503 and closed, and the server
 * serves again once connections are closed. */
static void
test_connection_limits (void)
{
  const char *argv[] = { "demo", "--listen", "127.0.0.1:0", "--max-client-connections", "3", NULL };
  TestServer *server = test_server_start (argv, NULL);
  const char *key = test_server_project_key (server, 0, "admin");
  int held[3], extra;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (held); i++)
    held[i] = raw_connect (server->url);
  extra = raw_connect (server->url);
  {
    g_autoptr(GString) answer = raw_read_all (extra, NULL);
    g_assert_cmpuint (first_status (answer->str), ==, 503);
  }
  close (extra);
  for (i = 0; i < G_N_ELEMENTS (held); i++)
    close (held[i]);
  /* The server sees the closes on its own time. */
  for (i = 0; i < 100; i++)
    {
      g_autofree char *request = g_strdup_printf ("GET /project HTTP/1.1\r\nHost: localhost\r\n"
                                                  "Authorization: Bearer %s\r\nConnection: close\r\n\r\n", key);
      g_autoptr(GString) answer = raw_exchange (server->url, request, strlen (request));
      if (first_status (answer->str) == 200)
        break;
      g_usleep (20000);
    }
  g_assert_cmpuint (i, <, 100);
  test_server_stop (server);
  test_server_free (server);
}

/* With 64 descriptors and no connection limit below that, idle connections use them all up:
 * accept() fails, which is logged once, and once the clients close, the server accepts and
 * answers again. With its own limit (the default) it refuses the extra connections instead. */
static void
test_descriptor_exhaustion (void)
{
  const char *argv[] = { "demo", "--listen", "127.0.0.1:0", "--max-connections", "1000",
                         "--max-client-connections", "1000", NULL };
  const char *limited_argv[] = { "demo", "--listen", "127.0.0.1:0", NULL };
  TestServer *server = test_server_start_limited (argv, NULL, 64);
  const char *key = test_server_project_key (server, 0, "admin");
  g_autofree char *err = NULL;
  int fds[100];
  guint i, answered = 0;
  const char *p;

  for (i = 0; i < G_N_ELEMENTS (fds); i++)
    fds[i] = raw_connect (server->url);
  /* Wait until the server has met the limit (its warning), then for one more round of tries. */
  for (i = 0; i < 200; i++)
    {
      g_free (err);
      err = test_server_read_err (server);
      if (strstr (err, "Cannot accept connections") != NULL)
        break;
      g_usleep (20000);
    }
  g_assert_nonnull (strstr (err, "Cannot accept connections"));
  g_usleep (300000);
  for (i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);
  for (i = 0; i < 100 && answered == 0; i++)
    {
      if (get_project (server->url, key) == 200)
        answered++;
      else
        g_usleep (20000);
    }
  g_assert_cmpuint (answered, ==, 1);
  g_free (err);
  err = test_server_read_err (server);
  p = strstr (err, "Cannot accept connections");
  g_assert_nonnull (p);
  g_assert_null (strstr (p + 1, "Cannot accept connections"));   /* logged once */
  g_assert_nonnull (strstr (err, "Accepting connections again"));
  test_server_stop (server);
  test_server_free (server);

  server = test_server_start_limited (limited_argv, NULL, 64);
  key = test_server_project_key (server, 0, "admin");
  for (i = 0; i < G_N_ELEMENTS (fds); i++)
    fds[i] = raw_connect (server->url);
  {
    g_autoptr(GString) answer = raw_read_all (fds[G_N_ELEMENTS (fds) - 1], NULL);
    g_assert_cmpuint (first_status (answer->str), ==, 503);
  }
  for (i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);
  for (i = 0; i < 100 && answered == 1; i++)
    {
      if (get_project (server->url, key) == 200)
        answered++;
      else
        g_usleep (20000);
    }
  g_assert_cmpuint (answered, ==, 2);
  g_free (err);
  err = test_server_read_err (server);
  g_assert_null (strstr (err, "Cannot accept connections"));
  test_server_stop (server);
  test_server_free (server);
}

/* ---- files -------------------------------------------------------------------------------- */

/* A new database with one project; *out_key gets an admin key. */
static void
make_database (const char  *db,
               char       **out_key)
{
  g_autofree char *project = NULL;

  g_assert_cmpint (test_run_command ((const char *[]) { "init", "--db", db, NULL }, NULL, NULL), ==, 0);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-project", "--db", db, "--name", "Hostile",
                                                        "--plan", "growth", NULL }, &project, NULL), ==, 0);
  g_strstrip (project);
  g_assert_cmpint (test_run_command ((const char *[]) { "create-key", "--db", db, "--project", project,
                                                        "--role", "admin", NULL }, out_key, NULL), ==, 0);
  g_strstrip (*out_key);
}

/* An integration with a secret of its own (its OAuth app's). */
static char *
secret_body (const char *secret)
{
  return g_strdup_printf ("{\"connector_key\":\"hubspot\",\"authentication_config_key\":\"oauth2\","
                          "\"config\":{\"client_id\":\"acme\"},\"secrets\":{\"client_secret\":\"%s\"}}",
                          secret);
}

static void
test_file_modes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-modes-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "plugboard.db", NULL);
  g_autofree char *db2 = g_build_filename (dir, "served.db", NULL);
  g_autofree char *key = NULL;
  g_autofree char *body = secret_body ("secret-value-123456");
  g_autoptr(SoupSession) s = soup_session_new ();
  const char *suffixes[] = { "", "-wal", "-shm", ".key", NULL };
  TestServer *server;
  guint i;

  g_assert_no_error (error);
  if (test_engine_is_postgresql ())
    {
      g_test_skip ("PostgreSQL keeps the database in its own files, not the server's");
      g_rmdir (dir);
      return;
    }
  make_database (db, &key);
  server = test_server_start ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0", NULL }, NULL);
  {
    g_autoptr(Reply) created = test_call (s, server->url, "POST", "/integrations", key, body);
    g_assert_cmpuint (created->status, ==, 201);
  }
  /* While it runs: the journal and shared memory exist. */
  for (i = 0; suffixes[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
      GStatBuf st;

      g_test_message ("%s", path);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  test_server_stop (server);
  test_server_free (server);

  /* serve on a database that does not exist yet makes it 0600 too. */
  server = test_server_start ((const char *[]) { "serve", "--db", db2, "--listen", "127.0.0.1:0", NULL }, NULL);
  for (i = 0; suffixes[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (db2, suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0)
        g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  test_server_stop (server);
  test_server_free (server);
  test_remove_db (db);
  test_remove_db (db2);
  g_rmdir (dir);
}

static void
test_missing_key_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-key-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "plugboard.db", NULL);
  g_autofree char *key_file = g_strconcat (db, ".key", NULL);
  g_autofree char *moved = g_strconcat (db, ".key.saved", NULL);
  g_autofree char *key = NULL;
  g_autofree char *err = NULL;
  g_autofree char *body = secret_body ("secret-value-123456");
  g_autoptr(SoupSession) s = soup_session_new ();
  TestServer *server;

  g_assert_no_error (error);
  make_database (db, &key);
  /* Without encrypted values a lost key file costs nothing: serve makes a new one. */
  g_assert_cmpint (g_rename (key_file, moved), ==, 0);
  server = test_server_start ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0", NULL }, NULL);
  g_assert_true (g_file_test (key_file, G_FILE_TEST_EXISTS));
  {
    g_autoptr(Reply) created = test_call (s, server->url, "POST", "/integrations", key, body);
    g_assert_cmpuint (created->status, ==, 201);
  }
  test_server_stop (server);
  test_server_free (server);

  /* With a secret stored, serve refuses to start without the key, and makes none. */
  g_assert_cmpint (g_unlink (key_file), ==, 0);
  g_assert_cmpint (test_run_command ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0", NULL },
                                     NULL, &err), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, key_file));
  g_assert_nonnull (strstr (err, "--key-file"));
  g_assert_false (g_file_test (key_file, G_FILE_TEST_EXISTS));
  g_unlink (moved);
  test_remove_db (db);
  g_rmdir (dir);
}

/* ---- request logs ---------------------------------------------------------------------- */

static int
count_rows (const char *db,
            const char *sql)
{
  return (int) test_engine_query_int (db, sql);
}

/* Every acknowledged change has its log entry, even when the server is killed right after. */
static void
test_logs_survive_kill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-kill-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "plugboard.db", NULL);
  g_autofree char *key = NULL;
  g_autofree char *body = secret_body ("secret-value-123456");
  g_autofree char *path = NULL;
  g_autoptr(SoupSession) s = soup_session_new ();
  TestServer *server;
  guint i, n = 30;

  g_assert_no_error (error);
  make_database (db, &key);
  server = test_server_start ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0", NULL }, NULL);
  {
    g_autoptr(Reply) created = test_call (s, server->url, "POST", "/integrations", key, body);
    g_assert_cmpuint (created->status, ==, 201);
    path = g_strconcat ("/integrations/", json_object_get_string_member (obj (created), "id"), NULL);
  }
  for (i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("{\"name\":\"Name %u\"}", i);
      g_autoptr(Reply) changed = test_call (s, server->url, "PATCH", path, key, name);
      g_assert_cmpuint (changed->status, ==, 200);
    }
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM logs WHERE http_method = 'PATCH' AND status = 200"),
                   ==, n);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM logs WHERE http_method = 'POST' AND status = 201"),
                   ==, 1);
  test_server_free (server);
  test_remove_db (db);
  g_rmdir (dir);
}

/* ---- TLS ---------------------------------------------------------------------------------- */

/* A GnuTLS handshake with @priority against @url; returns its result (0: it succeeded). */
static int
tls_handshake (const char *url,
               const char *priority)
{
  int fd = raw_connect (url);
  gnutls_session_t tls;
  gnutls_certificate_credentials_t credentials;
  int ret;

  g_assert_cmpint (gnutls_certificate_allocate_credentials (&credentials), ==, 0);
  g_assert_cmpint (gnutls_init (&tls, GNUTLS_CLIENT), ==, 0);
  g_assert_cmpint (gnutls_priority_set_direct (tls, priority, NULL), ==, 0);
  gnutls_credentials_set (tls, GNUTLS_CRD_CERTIFICATE, credentials);
  gnutls_transport_set_int (tls, fd);
  gnutls_handshake_set_timeout (tls, 10000);
  do
    ret = gnutls_handshake (tls);
  while (ret < 0 && !gnutls_error_is_fatal (ret));
  if (ret == 0)
    gnutls_bye (tls, GNUTLS_SHUT_WR);
  gnutls_deinit (tls);
  gnutls_certificate_free_credentials (credentials);
  close (fd);
  return ret;
}

static void
test_tls_versions (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-test-tls-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "plugboard.db", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  const char *https;
  TestServer *server;

  g_assert_no_error (error);
  if (!test_make_certificate (cert, key))
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  server = test_server_start ((const char *[]) { "serve", "--db", db, "--listen", "127.0.0.1:0",
                                                 "--tls-cert", cert, "--tls-key", key, NULL }, NULL);
  https = server->url;
  g_assert_true (g_str_has_prefix (https, "https://"));
  g_assert_cmpint (tls_handshake (https, "NORMAL:-VERS-ALL:+VERS-TLS1.3"), ==, 0);
  g_assert_cmpint (tls_handshake (https, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-RSA"), ==, 0);
  g_assert_cmpint (tls_handshake (https, "NORMAL:-VERS-ALL:+VERS-TLS1.1"), <, 0);
  g_assert_cmpint (tls_handshake (https, "NORMAL:-VERS-ALL:+VERS-TLS1.0"), <, 0);
  /* TLS 1.2 with only the RSA key exchange: no forward secrecy, refused. */
  g_assert_cmpint (tls_handshake (https, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA"), <, 0);
  test_server_stop (server);
  test_server_free (server);
  test_remove_db (db);
  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  server_demo_setup ();

  g_test_add_func ("/server/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/server/hostile/lenient-json", test_lenient_json);
  g_test_add_func ("/server/hostile/nul-in-strings", test_nul_in_strings);
  g_test_add_func ("/server/hostile/duplicate-members", test_duplicate_members);
  g_test_add_func ("/server/hostile/bounded-errors", test_bounded_errors);
  g_test_add_func ("/server/hostile/framing", test_framing);
  g_test_add_func ("/server/hostile/malformed-heads", test_malformed_heads);
  g_test_add_func ("/server/hostile/authorization", test_authorization);
  g_test_add_func ("/server/hostile/host", test_host);
  g_test_add_func ("/server/hostile/allowed-hosts", test_allowed_hosts);
  g_test_add_func ("/server/hostile/auth-failure-limit", test_auth_failure_limit);
  g_test_add_func ("/server/hostile/id-in-other-project", test_id_in_other_project);
  g_test_add_func ("/server/hostile/connectors-page-size", test_connectors_page_size);
  g_test_add_func ("/server/hostile/slow-clients", test_slow_clients);
  g_test_add_func ("/server/hostile/connection-limits", test_connection_limits);
  g_test_add_func ("/server/hostile/descriptor-exhaustion", test_descriptor_exhaustion);
  g_test_add_func ("/server/hostile/file-modes", test_file_modes);
  g_test_add_func ("/server/hostile/missing-key-file", test_missing_key_file);
  g_test_add_func ("/server/hostile/logs-survive-kill", test_logs_survive_kill);
  g_test_add_func ("/server/hostile/tls-versions", test_tls_versions);

  return server_demo_run ();
}
