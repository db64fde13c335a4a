/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"
#define _GNU_SOURCE   /* accept4 */

#include "config.h"

#include "pb-server-http.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gio/gunixsocketaddress.h>

#include "pb-server.h"

/* A small strict HTTP/1.1 server (RFC 9112) for the admin API.
 *
 * Worker threads, each with its own GMainContext, watch the same listening sockets. The worker
 * that wins an accept() hands the connection to the worker with the fewest connections, which
 * then owns it: it reads, parses and answers its requests in order (pipelined ones too), one at a
 * time, and closes it. Every connection has one deadline: the whole head of a request within
 * header_timeout (for a new connection, counted from the accept), its body within body_timeout,
 * the next request of a kept-alive connection within idle_timeout, and a stalled answer is given
 * idle_timeout too. A sweep a few times a second closes the connections past their deadline.
 *
 * Framing is unambiguous or refused: Content-Length is digits only and given once; with
 * Transfer-Encoding it is refused; the only transfer coding is "chunked". A refused request is
 * answered and its connection closed, so nothing after it is read as another request.
 *
 * Descriptors: accept() failing with EMFILE or ENFILE pauses accepting for a moment instead of
 * spinning or giving up; it is logged once until accepting works again. Connections above the
 * limits (all peers together, one peer address) are answered 503 and closed at once. */

#define MAX_HEAD          (16 * 1024)
#define MAX_HEADERS       100
#define READ_CHUNK        (64 * 1024)
#define PAUSE_ACCEPT_MS   100
/* After refusing a request, what the client still sends is read and dropped (so it can read
 * the answer rather than get a reset) until it stops for LINGER_MS, ends, or passes
 * LINGER_BYTES. */
#define LINGER_MS         250
#define LINGER_BYTES      (4 * 1024 * 1024)
#define LISTEN_BACKLOG    1024
/* Descriptors kept for the database, its journal, the workers' wake-ups and the like. */
#define RESERVED_FDS      64
#define DEFAULT_MAX_CONNECTIONS 4096

typedef struct _Worker Worker;

struct _PbHttp
{
  PbHttpLimits      limits;
  guint             max_connections;     /* after the descriptor limit */
  GTlsCertificate  *tls_certificate;
  PbHttpHandler     handler;
  PbHttpWorkerInit  worker_init;
  GDestroyNotify    worker_free;
  gpointer          user_data;
  GPtrArray        *workers;
  GPtrArray        *listeners;           /* GSocket */
  gint              n_connections;       /* atomic */
  gint              out_of_descriptors;  /* atomic: accept() failing; 2 when logged */
  gint64            warned_at;           /* when that was last logged (under peers_lock) */
  GMutex            peers_lock;
  GHashTable       *peers;               /* address → open connections */
  gint              stopped;             /* atomic */
};

struct _Worker
{
  PbHttp       *http;
  guint         index;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  gpointer      data;
  GPtrArray    *accept_sources;
  GSource      *resume_source;
  GSource      *sweep_source;
  GHashTable   *conns;          /* Conn set */
  gint          n_conns;        /* atomic: read by other workers to balance */
  char          date[40];
  gint64        date_second;
  guint8       *scratch;        /* READ_CHUNK bytes: what a read gets, before it is kept */
  GMutex        ready_lock;
  GCond         ready_cond;
  gboolean      ready;
};

typedef enum
{
  CONN_HANDSHAKE,
  CONN_IDLE,       /* between requests: nothing of the next one yet */
  CONN_HEAD,       /* reading a request's head */
  CONN_BODY,       /* reading its body */
  CONN_CLOSING,    /* writing what is left, then closing */
  CONN_LINGER,     /* answered and shut for writing: reading what the client still sends */
} ConnState;

typedef struct
{
  Worker                *worker;
  GSocket               *socket;
  GIOStream             *stream;
  GCancellable          *handshake;    /* its "conn" data: this, until the connection closes */
  GPollableInputStream  *in;
  GPollableOutputStream *out;
  GSource               *read_source;
  GSource               *write_source;
  GByteArray            *inbuf;
  GByteArray            *outbuf;
  gsize                  out_pos;
  char                  *peer;
  char                  *local;
  ConnState              state;
  gint64                 deadline;     /* monotonic µs; 0: none */
  gboolean               counted_peer;
  gboolean               eof;
  gboolean               fresh;        /* no request finished yet */
  /* The request whose head is parsed, while its body arrives. */
  PbHttpExchange        *current;
  gsize                  head_length;
  gsize                  head_scanned; /* bytes of the head already searched for its end */
  gint64                 body_length;  /* -1: chunked */
  gboolean               close_after;
  gsize                  lingered;
  gboolean               refused;
} Conn;

static void conn_close      (Conn *conn);
static void conn_process    (Conn *conn);
static void conn_flush      (Conn *conn);
static void worker_add_conn (Worker *worker, GSocket *socket, char *peer, char *local);

/* ---- exchanges ---------------------------------------------------------------------------- */

static PbHttpExchange *
exchange_new (Conn *conn)
{
  PbHttpExchange *ex = g_new0 (PbHttpExchange, 1);

  ex->request_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  ex->response_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  ex->peer = conn->peer;
  ex->local = conn->local;
  ex->worker_data = conn->worker->data;
  return ex;
}

static void
exchange_free (PbHttpExchange *ex)
{
  if (ex == NULL)
    return;
  g_free (ex->path);
  g_free (ex->query);
  soup_message_headers_unref (ex->request_headers);
  soup_message_headers_unref (ex->response_headers);
  g_clear_pointer (&ex->body, g_bytes_unref);
  g_clear_pointer (&ex->response_body, g_bytes_unref);
  g_free (ex);
}

void
pb_http_exchange_reply (PbHttpExchange *exchange,
                        guint           status,
                        const char     *content_type,
                        char           *body,
                        gsize           length)
{
  exchange->status = status;
  g_clear_pointer (&exchange->response_body, g_bytes_unref);
  if (body != NULL)
    exchange->response_body = g_bytes_new_take (body, length);
  if (content_type != NULL)
    soup_message_headers_replace (exchange->response_headers, "Content-Type", content_type);
}

static const char *
reason_phrase (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

static const char *
worker_date (Worker *worker)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (now != worker->date_second)
    {
      /* The C locale's names, as RFC 9110 requires. */
      static const char * const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
      static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                             "Aug", "Sep", "Oct", "Nov", "Dec" };
      time_t t = (time_t) now;
      struct tm tm;

      gmtime_r (&t, &tm);
      g_snprintf (worker->date, sizeof worker->date, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                  days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
      worker->date_second = now;
    }
  return worker->date;
}

/* Appends the answer of @ex to @out. */
static void
write_response (Worker         *worker,
                GByteArray     *out,
                PbHttpExchange *ex,
                gboolean        head_only,
                gboolean        keep_alive)
{
  g_autoptr(GString) head = g_string_sized_new (256);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  gsize length = ex->response_body ? g_bytes_get_size (ex->response_body) : 0;

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\nDate: %s\r\nServer: plugboard-server/"
                          PACKAGE_VERSION "\r\n", ex->status, reason_phrase (ex->status),
                          worker_date (worker));
  soup_message_headers_iter_init (&iter, ex->response_headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (g_ascii_strcasecmp (name, "Connection") == 0
          || g_ascii_strcasecmp (name, "Content-Length") == 0)
        continue;
      g_string_append_printf (head, "%s: %s\r\n", name, value);
    }
  if (!keep_alive)
    g_string_append (head, "Connection: close\r\n");
  else if (ex->version == SOUP_HTTP_1_0)
    g_string_append (head, "Connection: keep-alive\r\n");
  if (ex->status != 204 && ex->status >= 200)
    g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", length);
  g_string_append (head, "\r\n");
  g_byte_array_append (out, (const guint8 *) head->str, head->len);
  if (length > 0 && !head_only)
    g_byte_array_append (out, g_bytes_get_data (ex->response_body, NULL), length);
}

/* An error answer of the HTTP side itself, worded by the handler like every other. */
static PbHttpExchange *
refusal_new (Worker     *worker,
             const char *peer,
             const char *path,
             guint       status,
             const char *message)
{
  PbHttpExchange *ex = g_new0 (PbHttpExchange, 1);

  ex->request_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  ex->response_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  ex->peer = peer;
  ex->worker_data = worker->data;
  ex->version = SOUP_HTTP_1_1;
  ex->method = "";
  /* The path, when the head was read: the handler words the answer for where it was going. */
  ex->path = g_strdup (path ? path : "");
  ex->status = status;
  ex->refused_code = status == 413 ? "payload_too_large"
                     : status == 431 ? "headers_too_large"
                     : status == 503 ? "busy" : "bad_request";
  ex->refused_message = message;
  worker->http->handler (ex, worker->http->user_data);
  return ex;
}

static void
set_deadline (Conn   *conn,
              double  seconds)
{
  conn->deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
}

/* Answers an error of the connection itself (not of a handler) and closes after it. */
static void
conn_refuse (Conn       *conn,
             guint       status,
             const char *message)
{
  PbHttpExchange *ex = refusal_new (conn->worker, conn->peer,
                                    conn->current ? conn->current->path : NULL, status, message);

  write_response (conn->worker, conn->outbuf, ex, FALSE, FALSE);
  exchange_free (ex);
  g_debug ("%s: %u %s (connection closed)", conn->peer, status, message);
  g_clear_pointer (&conn->current, exchange_free);
  conn->state = CONN_CLOSING;
  conn->refused = TRUE;
  set_deadline (conn, conn->worker->http->limits.idle_timeout);
}

/* ---- parsing ------------------------------------------------------------------------------ */

static gboolean
is_tchar (guchar c)
{
  return g_ascii_isalnum (c) || (c != 0 && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Parses the head (@len bytes, ending with CRLF CRLF) into @ex; NULL, or the problem. */
static const char *
parse_head (PbHttpExchange *ex,
            const char     *text,
            gsize           len)
{
  const char *end = text + len - 2;   /* at the final CRLF */
  const char *line = text, *eol, *p, *sp1, *sp2;
  guint n_headers = 0;

  eol = g_strstr_len (line, end - line + 2, "\r\n");
  /* Request line: method SP target SP version. */
  sp1 = memchr (line, ' ', eol - line);
  if (sp1 == NULL || sp1 == line)
    return "The request line is not “METHOD TARGET HTTP/1.1”.";
  for (p = line; p < sp1; p++)
    if (!is_tchar (*p))
      return "The request method is not a token.";
  sp2 = memchr (sp1 + 1, ' ', eol - sp1 - 1);
  if (sp2 == NULL || sp2 == sp1 + 1 || eol - sp2 - 1 != 8)
    return "The request line is not “METHOD TARGET HTTP/1.1”.";
  if (memcmp (sp2 + 1, "HTTP/1.1", 8) == 0)
    ex->version = SOUP_HTTP_1_1;
  else if (memcmp (sp2 + 1, "HTTP/1.0", 8) == 0)
    ex->version = SOUP_HTTP_1_0;
  else
    return "Only HTTP/1.1 and HTTP/1.0 are spoken here.";
  for (p = sp1 + 1; p < sp2; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
      return "The request target holds characters that are not allowed.";
  {
    g_autofree char *method = g_strndup (line, sp1 - line);
    const char *target = sp1 + 1;
    gsize target_len = sp2 - target;
    const char *question;

    ex->method = g_intern_string (method);
    /* absolute-form: the path is what follows the authority. */
    if (target_len > 7 && (g_ascii_strncasecmp (target, "http://", 7) == 0
                           || (target_len > 8 && g_ascii_strncasecmp (target, "https://", 8) == 0)))
      {
        const char *authority = strstr (target, "//") + 2;
        const char *slash = memchr (authority, '/', sp2 - authority);
        target_len = slash ? (gsize) (sp2 - slash) : 0;
        target = slash ? slash : "/";
        if (slash == NULL)
          target_len = 1;
      }
    if (target[0] != '/')
      return "The request target must be a path.";
    question = memchr (target, '?', target_len);
    ex->path = g_strndup (target, question ? (gsize) (question - target) : target_len);
    if (question != NULL)
      ex->query = g_strndup (question + 1, target + target_len - question - 1);
  }

  /* Header fields: name ":" OWS value OWS, one per line; no line folding. */
  for (line = eol + 2; line < end; line = eol + 2)
    {
      const char *colon, *value, *value_end;
      g_autofree char *name = NULL;
      g_autofree char *val = NULL;

      eol = g_strstr_len (line, end - line + 2, "\r\n");
      if (line[0] == ' ' || line[0] == '\t')
        return "Header lines may not be folded.";
      colon = memchr (line, ':', eol - line);
      if (colon == NULL || colon == line)
        return "A header line has no name.";
      for (p = line; p < colon; p++)
        if (!is_tchar (*p))
          return "A header name holds characters that are not allowed.";
      for (p = colon + 1; p < eol; p++)
        if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
          return "A header value holds control characters.";
      value = colon + 1;
      while (value < eol && (*value == ' ' || *value == '\t'))
        value++;
      value_end = eol;
      while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t'))
        value_end--;
      if (++n_headers > MAX_HEADERS)
        return "The request has too many header lines.";
      name = g_strndup (line, colon - line);
      val = g_strndup (value, value_end - value);
      soup_message_headers_append (ex->request_headers, name, val);
    }
  return NULL;
}

/* RFC 9112 §6: how long the body is; -1: chunked, 0: none. */
static const char *
body_framing (PbHttpExchange *ex,
              gint64         *out_length)
{
  SoupMessageHeadersIter iter;
  const char *name, *value, *length = NULL;
  guint n_length = 0, n_encoding = 0, n_host = 0;

  *out_length = 0;
  soup_message_headers_iter_init (&iter, ex->request_headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (g_ascii_strcasecmp (name, "Content-Length") == 0)
        {
          const char *p;

          for (p = value; *p != '\0'; p++)
            if (!g_ascii_isdigit (*p))
              return "The Content-Length header must be a number of bytes.";
          if (p == value || p - value > 18)
            return "The Content-Length header must be a number of bytes.";
          if (length != NULL && !g_str_equal (length, value))
            return "The request has two different Content-Length headers.";
          length = value;
          n_length++;
        }
      else if (g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
        {
          if (g_ascii_strcasecmp (value, "chunked") != 0)
            return "The only transfer coding accepted is “chunked”.";
          n_encoding++;
        }
      else if (g_ascii_strcasecmp (name, "Host") == 0)
        n_host++;
    }
  if (n_encoding > 0 && n_length > 0)
    return "The request has both Content-Length and Transfer-Encoding.";
  if (n_encoding > 1 || n_length > 1)
    return "The request repeats its framing headers.";
  if (n_host > 1 || (n_host == 0 && ex->version == SOUP_HTTP_1_1))
    return "An HTTP/1.1 request needs exactly one Host header.";
  if (n_encoding > 0)
    *out_length = -1;
  else if (length != NULL)
    *out_length = g_ascii_strtoll (length, NULL, 10);
  return NULL;
}

/* Decodes a chunked body from @data; 1 with *@out_consumed when complete, 0 when more is
 * needed, -1 when malformed, -2 when longer than the limit. */
static int
decode_chunked (const guint8 *data,
                gsize         len,
                GByteArray   *out,
                gsize        *out_consumed)
{
  gsize pos = 0;

  g_byte_array_set_size (out, 0);
  for (;;)
    {
      const guint8 *eol = NULL;
      gsize i, size = 0, digits = 0;

      for (i = pos; i + 1 < len && i - pos < 1024; i++)
        if (data[i] == '\r' && data[i + 1] == '\n')
          {
            eol = data + i;
            break;
          }
      if (eol == NULL)
        return len - pos >= 1024 ? -1 : 0;
      for (i = pos; data + i < eol && g_ascii_isxdigit (data[i]); i++, digits++)
        {
          if (digits >= 8)
            return -1;
          size = size * 16 + g_ascii_xdigit_value (data[i]);
        }
      if (digits == 0 || (data + i < eol && data[i] != ';'))
        return -1;
      pos = eol - data + 2;
      if (size == 0)
        {
          /* Trailer fields, ignored, up to an empty line. */
          for (;;)
            {
              const guint8 *line_end = NULL;

              for (i = pos; i + 1 < len; i++)
                if (data[i] == '\r' && data[i + 1] == '\n')
                  {
                    line_end = data + i;
                    break;
                  }
              if (line_end == NULL)
                return len - pos > MAX_HEAD ? -1 : 0;
              if (line_end == data + pos)
                {
                  *out_consumed = pos + 2;
                  return 1;
                }
              pos = line_end - data + 2;
            }
        }
      if (out->len + size > PB_SERVER_MAX_BODY)
        return -2;
      if (len - pos < size + 2)
        return 0;
      if (data[pos + size] != '\r' || data[pos + size + 1] != '\n')
        return -1;
      g_byte_array_append (out, data + pos, size);
      pos += size + 2;
    }
}

static gboolean
wants_keep_alive (PbHttpExchange *ex)
{
  SoupMessageHeaders *headers = ex->request_headers;

  if (ex->version == SOUP_HTTP_1_0)
    return soup_message_headers_header_contains (headers, "Connection", "keep-alive");
  return !soup_message_headers_header_contains (headers, "Connection", "close");
}

/* Runs the handler for the complete request @ex and queues its answer. */
static void
conn_dispatch (Conn           *conn,
               PbHttpExchange *ex)
{
  PbHttp *http = conn->worker->http;
  gboolean keep_alive = wants_keep_alive (ex) && !conn->eof && !g_atomic_int_get (&http->stopped);
  gboolean head = g_str_equal (ex->method, "HEAD");

  http->handler (ex, http->user_data);
  if (ex->status == 0)
    pb_http_exchange_reply (ex, 500, NULL, NULL, 0);
  if (soup_message_headers_header_contains (ex->response_headers, "Connection", "close"))
    keep_alive = FALSE;
  write_response (conn->worker, conn->outbuf, ex, head, keep_alive);
  conn->fresh = FALSE;
  if (!keep_alive)
    {
      conn->close_after = TRUE;
      conn->state = CONN_CLOSING;
      set_deadline (conn, http->limits.idle_timeout);
    }
}

/* Reads requests out of the input buffer and answers them, as far as the buffer goes. */
static void
conn_process (Conn *conn)
{
  PbHttp *http = conn->worker->http;

  while (conn->state != CONN_CLOSING)
    {
      /* Answers pile up only so far before the client has read them. */
      if (conn->outbuf->len - conn->out_pos > PB_SERVER_MAX_BODY)
        break;
      if (conn->state == CONN_IDLE)
        {
          /* Empty lines before a request are ignored (RFC 9112 §2.2). */
          gsize skip = 0;
          while (skip + 1 < conn->inbuf->len && conn->inbuf->data[skip] == '\r'
                 && conn->inbuf->data[skip + 1] == '\n')
            skip += 2;
          if (skip > 0)
            g_byte_array_remove_range (conn->inbuf, 0, skip);
          if (conn->inbuf->len == 0)
            break;
          conn->state = CONN_HEAD;
          if (!conn->fresh)
            set_deadline (conn, http->limits.header_timeout);
        }
      if (conn->state == CONN_HEAD)
        {
          const char *text = (const char *) conn->inbuf->data;
          gsize scan = MIN (conn->inbuf->len, MAX_HEAD);
          /* Only what arrived since the last look is searched (a client sending a byte at a
           * time costs no more than one sending all at once). */
          gsize from = conn->head_scanned > 3 ? conn->head_scanned - 3 : 0;
          const char *end = scan >= from + 4 ? g_strstr_len (text + from, scan - from, "\r\n\r\n") : NULL;
          gsize limit = end ? (gsize) (end - text) : scan;
          gsize start = MIN (conn->head_scanned, limit);
          const char *problem;

          if (memchr (text + start, '\0', limit - start) != NULL)
            {
              conn_refuse (conn, 400, "The request head holds a NUL character.");
              break;
            }
          conn->head_scanned = end ? 0 : scan;
          if (end == NULL)
            {
              if (conn->inbuf->len >= MAX_HEAD)
                conn_refuse (conn, 431, "The request head is larger than 16 KiB.");
              break;
            }
          conn->head_length = end - text + 4;
          conn->current = exchange_new (conn);
          problem = parse_head (conn->current, text, conn->head_length);
          if (problem == NULL)
            problem = body_framing (conn->current, &conn->body_length);
          if (problem != NULL)
            {
              conn_refuse (conn, 400, problem);
              break;
            }
          if (conn->body_length > PB_SERVER_MAX_BODY)
            {
              conn_refuse (conn, 413, "The request body is larger than 1 MiB.");
              break;
            }
          conn->state = CONN_BODY;
          set_deadline (conn, http->limits.body_timeout);
          if (conn->body_length != 0 && conn->inbuf->len == conn->head_length
              && soup_message_headers_get_expectations (conn->current->request_headers)
                 & SOUP_EXPECTATION_CONTINUE)
            {
              static const char continue_line[] = "HTTP/1.1 100 Continue\r\n\r\n";
              g_byte_array_append (conn->outbuf, (const guint8 *) continue_line,
                                   sizeof continue_line - 1);
            }
        }
      if (conn->state == CONN_BODY)
        {
          PbHttpExchange *ex = conn->current;
          gsize consumed;

          if (conn->body_length >= 0)
            {
              if (conn->inbuf->len < conn->head_length + conn->body_length)
                break;
              if (conn->body_length > 0)
                ex->body = g_bytes_new (conn->inbuf->data + conn->head_length, conn->body_length);
              consumed = conn->head_length + conn->body_length;
            }
          else
            {
              g_autoptr(GByteArray) body = g_byte_array_new ();
              gsize used = 0;
              int result = decode_chunked (conn->inbuf->data + conn->head_length,
                                           conn->inbuf->len - conn->head_length, body, &used);
              if (result == 0)
                break;
              if (result < 0)
                {
                  conn_refuse (conn, result == -2 ? 413 : 400, result == -2
                               ? "The request body is larger than 1 MiB."
                               : "The chunked request body is malformed.");
                  break;
                }
              ex->body = g_byte_array_free_to_bytes (g_steal_pointer (&body));
              consumed = conn->head_length + used;
            }
          if (consumed == conn->inbuf->len && consumed > 64 * 1024)
            {
              g_byte_array_unref (conn->inbuf);
              conn->inbuf = g_byte_array_new ();
            }
          else
            g_byte_array_remove_range (conn->inbuf, 0, consumed);
          conn->current = NULL;
          conn->state = CONN_IDLE;
          set_deadline (conn, http->limits.idle_timeout);
          conn_dispatch (conn, ex);
          exchange_free (ex);
        }
    }
}

/* ---- connection I/O ----------------------------------------------------------------------- */

static gboolean on_readable (GObject *stream, gpointer user_data);
static gboolean on_writable (GObject *stream, gpointer user_data);

static void
conn_watch_read (Conn     *conn,
                 gboolean  watch)
{
  if (watch && conn->read_source == NULL)
    {
      conn->read_source = g_pollable_input_stream_create_source (conn->in, NULL);
      g_source_set_callback (conn->read_source, G_SOURCE_FUNC (on_readable), conn, NULL);
      g_source_attach (conn->read_source, conn->worker->context);
    }
  else if (!watch && conn->read_source != NULL)
    {
      g_source_destroy (conn->read_source);
      g_clear_pointer (&conn->read_source, g_source_unref);
    }
}

static void
conn_flush (Conn *conn)
{
  while (conn->out_pos < conn->outbuf->len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (conn->out,
                                                             conn->outbuf->data + conn->out_pos,
                                                             conn->outbuf->len - conn->out_pos,
                                                             NULL, &error);
      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              if (conn->write_source == NULL)
                {
                  conn->write_source = g_pollable_output_stream_create_source (conn->out, NULL);
                  g_source_set_callback (conn->write_source, G_SOURCE_FUNC (on_writable), conn, NULL);
                  g_source_attach (conn->write_source, conn->worker->context);
                }
              /* A client that does not read its answers gets idle_timeout. */
              if (conn->state == CONN_IDLE)
                set_deadline (conn, conn->worker->http->limits.idle_timeout);
              conn_watch_read (conn, FALSE);
              return;
            }
          conn_close (conn);
          return;
        }
      conn->out_pos += n;
    }
  /* A big answer's buffer is not kept for the next, small ones. */
  if (conn->outbuf->len > 64 * 1024)
    {
      g_byte_array_unref (conn->outbuf);
      conn->outbuf = g_byte_array_new ();
    }
  else
    g_byte_array_set_size (conn->outbuf, 0);
  conn->out_pos = 0;
  if (conn->write_source != NULL)
    {
      g_source_destroy (conn->write_source);
      g_clear_pointer (&conn->write_source, g_source_unref);
    }
  if (conn->state == CONN_CLOSING && conn->refused && !conn->eof)
    {
      g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);
      conn->state = CONN_LINGER;
      conn->deadline = g_get_monotonic_time () + LINGER_MS * 1000;
      conn_watch_read (conn, TRUE);
      return;
    }
  if (conn->state == CONN_CLOSING || (conn->eof && conn->state == CONN_IDLE))
    {
      conn_close (conn);
      return;
    }
  if (conn->eof)
    {
      /* The client stopped sending in the middle of a request. */
      conn_close (conn);
      return;
    }
  /* Requests that waited for the answers to drain. */
  if (conn->inbuf->len > 0 && conn->state != CONN_CLOSING)
    {
      conn_process (conn);
      if (conn->outbuf->len > 0)
        {
          conn_flush (conn);
          return;
        }
    }
  conn_watch_read (conn, TRUE);
}

static gboolean
on_writable (GObject  *stream,
             gpointer  user_data)
{
  Conn *conn = user_data;

  conn_flush (conn);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_readable (GObject  *stream,
             gpointer  user_data)
{
  Conn *conn = user_data;
  guint rounds;

  if (conn->state == CONN_LINGER)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (conn->in, conn->worker->scratch,
                                                           READ_CHUNK, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (n <= 0 || (conn->lingered += n) > LINGER_BYTES)
        {
          conn_close (conn);
          return G_SOURCE_REMOVE;
        }
      conn->deadline = g_get_monotonic_time () + LINGER_MS * 1000;
      return G_SOURCE_CONTINUE;
    }
  for (rounds = 0; rounds < 4; rounds++)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      /* Read into the worker's buffer, so an idle connection keeps only what it was sent. */
      n = g_pollable_input_stream_read_nonblocking (conn->in, conn->worker->scratch, READ_CHUNK,
                                                    NULL, &error);
      if (n > 0)
        g_byte_array_append (conn->inbuf, conn->worker->scratch, n);
      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            break;
          conn_close (conn);
          return G_SOURCE_REMOVE;
        }
      if (n == 0)
        {
          conn->eof = TRUE;
          break;
        }
      if (n < READ_CHUNK)
        break;
    }
  conn_process (conn);
  if (conn->eof)
    {
      conn_watch_read (conn, FALSE);
      if (conn->outbuf->len == 0)
        {
          conn_close (conn);
          return G_SOURCE_REMOVE;
        }
    }
  if (conn->outbuf->len > 0)
    {
      /* conn_flush may close the connection, which destroys this source. */
      gboolean watching = conn->read_source != NULL;
      conn_flush (conn);
      return watching ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
peer_release (PbHttp     *http,
              const char *peer)
{
  guint n;

  g_mutex_lock (&http->peers_lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (http->peers, peer));
  if (n <= 1)
    g_hash_table_remove (http->peers, peer);
  else
    g_hash_table_insert (http->peers, g_strdup (peer), GUINT_TO_POINTER (n - 1));
  g_mutex_unlock (&http->peers_lock);
}

static void
conn_close (Conn *conn)
{
  Worker *worker = conn->worker;

  if (!g_hash_table_steal (worker->conns, conn))
    return;
  conn_watch_read (conn, FALSE);
  if (conn->write_source != NULL)
    {
      g_source_destroy (conn->write_source);
      g_clear_pointer (&conn->write_source, g_source_unref);
    }
  /* Closing the socket itself: no TLS close_notify, which could block on a client that does
   * not read; the answers were framed by their lengths. */
  if (conn->handshake != NULL)
    {
      g_object_set_data (G_OBJECT (conn->handshake), "conn", NULL);
      g_cancellable_cancel (conn->handshake);
      g_clear_object (&conn->handshake);
    }
  g_socket_close (conn->socket, NULL);
  g_clear_object (&conn->stream);
  g_clear_object (&conn->socket);
  g_clear_pointer (&conn->current, exchange_free);
  g_byte_array_unref (conn->inbuf);
  g_byte_array_unref (conn->outbuf);
  if (conn->counted_peer)
    peer_release (worker->http, conn->peer);
  g_atomic_int_dec_and_test (&worker->http->n_connections);
  g_atomic_int_dec_and_test (&worker->n_conns);
  g_free (conn->peer);
  g_free (conn->local);
  g_free (conn);
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  Conn *conn = g_object_get_data (G_OBJECT (cancellable), "conn");
  g_autoptr(GError) error = NULL;
  gboolean done = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error);

  if (conn == NULL)
    return;   /* closed meanwhile (a timeout) */
  g_clear_object (&conn->handshake);
  if (!done)
    {
      g_debug ("%s: TLS handshake failed: %s", conn->peer, error->message);
      conn_close (conn);
      return;
    }
  conn->state = CONN_IDLE;
  conn_watch_read (conn, TRUE);
}

/* ---- workers ------------------------------------------------------------------------------ */

static void
worker_add_conn (Worker *worker,
                 GSocket *socket,
                 char    *peer,
                 char    *local)
{
  PbHttp *http = worker->http;
  Conn *conn = g_new0 (Conn, 1);
  g_autoptr(GSocketConnection) base = g_socket_connection_factory_create_connection (socket);

  conn->worker = worker;
  conn->socket = socket;
  conn->peer = peer;
  conn->local = local;
  conn->counted_peer = TRUE;
  conn->fresh = TRUE;
  conn->inbuf = g_byte_array_new ();
  conn->outbuf = g_byte_array_new ();
  g_hash_table_add (worker->conns, conn);
  set_deadline (conn, http->limits.header_timeout);
  if (http->tls_certificate != NULL)
    {
      g_autoptr(GError) error = NULL;
      GIOStream *tls = g_tls_server_connection_new (G_IO_STREAM (base), http->tls_certificate, &error);

      if (tls == NULL)
        {
          g_warning ("Could not set up TLS: %s", error->message);
          conn->stream = G_IO_STREAM (g_object_ref (base));
          conn_close (conn);
          return;
        }
      conn->stream = tls;
      conn->in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (tls));
      conn->out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (tls));
      conn->state = CONN_HANDSHAKE;
      conn->handshake = g_cancellable_new ();
      g_object_set_data (G_OBJECT (conn->handshake), "conn", conn);
      g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, conn->handshake,
                                        on_handshake_done, g_object_ref (conn->handshake));
      return;
    }
  conn->stream = G_IO_STREAM (g_object_ref (base));
  conn->in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (conn->stream));
  conn->out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (conn->stream));
  conn->state = CONN_IDLE;
  conn_watch_read (conn, TRUE);
}

typedef struct
{
  Worker  *worker;
  GSocket *socket;
  char    *peer;
  char    *local;
} Handoff;

static gboolean
handoff_cb (gpointer data)
{
  Handoff *handoff = data;

  worker_add_conn (handoff->worker, handoff->socket, handoff->peer, handoff->local);
  g_free (handoff);
  return G_SOURCE_REMOVE;
}

static char *
address_text (GSocketAddress *address)
{
  if (G_IS_INET_SOCKET_ADDRESS (address))
    return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  return NULL;
}

/* Answers a connection past the limits 503 and closes it; takes @socket and @peer. Over TLS the
 * client gets no answer, only the close: no handshake is made for it. */
static void
refuse_busy (Worker     *worker,
             GSocket    *socket,
             char       *peer,
             const char *message)
{
  g_debug ("%s: connection refused: %s", peer, message);
  if (worker->http->tls_certificate == NULL)
    {
      PbHttpExchange *ex = refusal_new (worker, peer, NULL, 503, message);
      g_autoptr(GByteArray) out = g_byte_array_new ();

      soup_message_headers_replace (ex->response_headers, "Retry-After", "1");
      write_response (worker, out, ex, FALSE, FALSE);
      send (g_socket_get_fd (socket), out->data, out->len, MSG_NOSIGNAL | MSG_DONTWAIT);
      exchange_free (ex);
    }
  g_socket_close (socket, NULL);
  g_object_unref (socket);
  g_free (peer);
}

/* Takes a newly accepted descriptor: refuses it past the limits, else gives it to the worker
 * with the fewest connections. */
static void
accept_fd (Worker *worker,
           int     fd)
{
  PbHttp *http = worker->http;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  GSocket *socket = g_socket_new_from_fd (fd, &error);
  char *peer;
  Worker *target = worker;
  guint i, n;

  if (socket == NULL)
    {
      close (fd);
      return;
    }
  remote = g_socket_get_remote_address (socket, NULL);
  local = g_socket_get_local_address (socket, NULL);
  peer = address_text (remote);
  if (peer == NULL)
    peer = g_strdup ("unix");
  if ((guint) g_atomic_int_add (&http->n_connections, 1) >= http->max_connections)
    {
      g_atomic_int_dec_and_test (&http->n_connections);
      refuse_busy (worker, socket, peer, "The server has too many open connections. Try again "
                                         "in a moment.");
      return;
    }
  g_mutex_lock (&http->peers_lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (http->peers, peer));
  if (n < http->limits.max_peer_connections)
    g_hash_table_insert (http->peers, g_strdup (peer), GUINT_TO_POINTER (n + 1));
  g_mutex_unlock (&http->peers_lock);
  if (n >= http->limits.max_peer_connections)
    {
      g_atomic_int_dec_and_test (&http->n_connections);
      refuse_busy (worker, socket, peer, "There are too many open connections from this "
                                         "address. Close some, or try again in a moment.");
      return;
    }
  for (i = 0; i < http->workers->len; i++)
    {
      Worker *other = http->workers->pdata[i];
      if (g_atomic_int_get (&other->n_conns) < g_atomic_int_get (&target->n_conns))
        target = other;
    }
  g_atomic_int_inc (&target->n_conns);
  if (target == worker)
    worker_add_conn (worker, socket, peer, address_text (local));
  else
    {
      Handoff *handoff = g_new0 (Handoff, 1);
      handoff->worker = target;
      handoff->socket = socket;
      handoff->peer = peer;
      handoff->local = address_text (local);
      g_main_context_invoke (target->context, handoff_cb, handoff);
    }
}

static void worker_watch_listeners (Worker *worker);

static gboolean
resume_accepting (gpointer user_data)
{
  Worker *worker = user_data;

  g_clear_pointer (&worker->resume_source, g_source_unref);
  worker_watch_listeners (worker);
  return G_SOURCE_REMOVE;
}

/* Logs running out of descriptors once, and again only after a minute: while connections come
 * and go at the limit, accept() fails and succeeds in turns. */
static void
descriptors_exhausted (PbHttp *http,
                       int     error_code)
{
  gint64 now = g_get_monotonic_time ();
  gboolean log = FALSE;

  if (g_atomic_int_get (&http->out_of_descriptors) != 0)
    return;
  g_mutex_lock (&http->peers_lock);
  if (http->warned_at == 0 || now - http->warned_at >= 60 * G_USEC_PER_SEC)
    {
      http->warned_at = now;
      log = TRUE;
    }
  g_mutex_unlock (&http->peers_lock);
  g_atomic_int_set (&http->out_of_descriptors, log ? 2 : 1);
  if (log)
    g_warning ("Cannot accept connections: %s (%u connections open). Accepting again as soon "
               "as descriptors are free.", g_strerror (error_code),
               (guint) g_atomic_int_get (&http->n_connections));
}

static gboolean
on_acceptable (GSocket      *listener,
               GIOCondition  condition,
               gpointer      user_data)
{
  Worker *worker = user_data;
  PbHttp *http = worker->http;
  guint i;

  for (i = 0; i < 32; i++)
    {
      int fd = accept4 (g_socket_get_fd (listener), NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

      if (fd < 0)
        {
          int saved = errno;

          if (saved == EINTR || saved == ECONNABORTED || saved == EPROTO)
            continue;
          if (saved == EAGAIN || saved == EWOULDBLOCK)
            break;
          /* Out of descriptors (or memory): the pending connections stay in the backlog; try
           * again shortly instead of spinning on a listener that stays readable. */
          descriptors_exhausted (http, saved);
          g_ptr_array_set_size (worker->accept_sources, 0);
          if (worker->resume_source == NULL)
            {
              worker->resume_source = g_timeout_source_new (PAUSE_ACCEPT_MS);
              g_source_set_callback (worker->resume_source, resume_accepting, worker, NULL);
              g_source_attach (worker->resume_source, worker->context);
            }
          return G_SOURCE_REMOVE;
        }
      if (g_atomic_int_get (&http->out_of_descriptors) != 0
          && g_atomic_int_exchange (&http->out_of_descriptors, 0) == 2)
        g_message ("Accepting connections again.");
      accept_fd (worker, fd);
    }
  return G_SOURCE_CONTINUE;
}

static void
destroy_source (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

static void
worker_watch_listeners (Worker *worker)
{
  PbHttp *http = worker->http;
  guint i;

  if (g_atomic_int_get (&http->stopped))
    return;
  g_ptr_array_set_size (worker->accept_sources, 0);
  for (i = 0; i < http->listeners->len; i++)
    {
      GSource *source = g_socket_create_source (http->listeners->pdata[i], G_IO_IN, NULL);
      g_source_set_callback (source, G_SOURCE_FUNC (on_acceptable), worker, NULL);
      g_source_attach (source, worker->context);
      g_ptr_array_add (worker->accept_sources, source);
    }
}

static gboolean
watch_listeners_cb (gpointer user_data)
{
  worker_watch_listeners (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
sweep (gpointer user_data)
{
  Worker *worker = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) expired = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  guint i;

  g_hash_table_iter_init (&iter, worker->conns);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Conn *conn = key;
      if (conn->deadline != 0 && now >= conn->deadline)
        g_ptr_array_add (expired, conn);
    }
  for (i = 0; i < expired->len; i++)
    {
      Conn *conn = expired->pdata[i];
      g_debug ("%s: closed after a timeout (%s)", conn->peer,
               conn->state == CONN_IDLE && !conn->fresh ? "idle" : "request not sent in time");
      conn_close (conn);
    }
  return G_SOURCE_CONTINUE;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  PbHttp *http = worker->http;
  double shortest = MIN (MIN (http->limits.header_timeout, http->limits.body_timeout),
                         http->limits.idle_timeout);
  guint interval = CLAMP ((guint) (shortest * 1000 / 4), 20, 100);

  g_main_context_push_thread_default (worker->context);
  worker->data = http->worker_init ? http->worker_init (http->user_data) : NULL;
  worker->sweep_source = g_timeout_source_new (interval);
  g_source_set_callback (worker->sweep_source, sweep, worker, NULL);
  g_source_attach (worker->sweep_source, worker->context);

  g_mutex_lock (&worker->ready_lock);
  worker->ready = TRUE;
  g_cond_signal (&worker->ready_cond);
  g_mutex_unlock (&worker->ready_lock);

  g_main_loop_run (worker->loop);

  g_source_destroy (worker->sweep_source);
  g_clear_pointer (&worker->sweep_source, g_source_unref);
  g_ptr_array_set_size (worker->accept_sources, 0);
  if (worker->resume_source != NULL)
    {
      g_source_destroy (worker->resume_source);
      g_clear_pointer (&worker->resume_source, g_source_unref);
    }
  while (g_hash_table_size (worker->conns) > 0)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, worker->conns);
      g_hash_table_iter_next (&iter, &key, NULL);
      conn_close (key);
    }
  /* Connections handed over but not added yet. */
  while (g_main_context_iteration (worker->context, FALSE))
    ;
  while (g_hash_table_size (worker->conns) > 0)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, worker->conns);
      g_hash_table_iter_next (&iter, &key, NULL);
      conn_close (key);
    }
  if (http->worker_free != NULL && worker->data != NULL)
    http->worker_free (worker->data);
  g_main_context_pop_thread_default (worker->context);
  return NULL;
}

/* ---- public ------------------------------------------------------------------------------- */

/* Raises the soft descriptor limit to the hard one, and returns what connections may use. */
static guint
descriptor_budget (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024 - RESERVED_FDS;
  if (limit.rlim_cur < limit.rlim_max)
    {
      struct rlimit raised = limit;
      raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? 65536 : limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &raised) == 0)
        limit = raised;
    }
  if (limit.rlim_cur <= 2 * RESERVED_FDS)
    return MAX (limit.rlim_cur / 2, 1);
  return limit.rlim_cur - RESERVED_FDS;
}

PbHttp *
pb_http_new (const PbHttpLimits *limits,
             GTlsCertificate    *tls_certificate,
             PbHttpHandler       handler,
             PbHttpWorkerInit    worker_init,
             GDestroyNotify      worker_free,
             gpointer            user_data)
{
  PbHttp *self = g_new0 (PbHttp, 1);
  guint n_workers = limits->workers, budget, i;

  self->limits = *limits;
  /* An explicit limit is kept, even past the descriptors (then accept() may fail, which is
   * survived); the default is what the descriptors allow, at most DEFAULT_MAX_CONNECTIONS. */
  budget = descriptor_budget ();
  self->max_connections = limits->max_connections > 0 ? limits->max_connections
                          : MIN (DEFAULT_MAX_CONNECTIONS, budget);
  self->tls_certificate = tls_certificate ? g_object_ref (tls_certificate) : NULL;
  self->handler = handler;
  self->worker_init = worker_init;
  self->worker_free = worker_free;
  self->user_data = user_data;
  self->listeners = g_ptr_array_new_with_free_func (g_object_unref);
  self->workers = g_ptr_array_new ();
  g_mutex_init (&self->peers_lock);
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (n_workers == 0)
    n_workers = CLAMP (g_get_num_processors (), 1, 4);
  for (i = 0; i < n_workers; i++)
    {
      Worker *worker = g_new0 (Worker, 1);
      g_autofree char *name = g_strdup_printf ("pb-http-%u", i);

      worker->http = self;
      worker->index = i;
      worker->context = g_main_context_new ();
      worker->loop = g_main_loop_new (worker->context, FALSE);
      worker->accept_sources = g_ptr_array_new_with_free_func (destroy_source);
      worker->conns = g_hash_table_new (NULL, NULL);
      worker->scratch = g_malloc (READ_CHUNK);
      g_mutex_init (&worker->ready_lock);
      g_cond_init (&worker->ready_cond);
      g_ptr_array_add (self->workers, worker);
      worker->thread = g_thread_new (name, worker_thread, worker);
      g_mutex_lock (&worker->ready_lock);
      while (!worker->ready)
        g_cond_wait (&worker->ready_cond, &worker->ready_lock);
      g_mutex_unlock (&worker->ready_lock);
    }
  g_debug ("%u workers, at most %u connections (%u from one address)", n_workers,
           self->max_connections, limits->max_peer_connections);
  return self;
}

gboolean
pb_http_listen (PbHttp   *self,
                GSocket  *socket,
                GError  **error)
{
  guint i;

  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_listen (socket, error))
    return FALSE;
  g_socket_set_blocking (socket, FALSE);
  g_ptr_array_add (self->listeners, g_object_ref (socket));
  for (i = 0; i < self->workers->len; i++)
    {
      Worker *worker = self->workers->pdata[i];
      g_main_context_invoke (worker->context, watch_listeners_cb, worker);
    }
  return TRUE;
}

gboolean
pb_http_is_https (PbHttp *self)
{
  return self->tls_certificate != NULL;
}

static gboolean
quit_cb (gpointer user_data)
{
  Worker *worker = user_data;

  g_ptr_array_set_size (worker->accept_sources, 0);
  g_main_loop_quit (worker->loop);
  return G_SOURCE_REMOVE;
}

void
pb_http_stop (PbHttp *self)
{
  guint i;

  if (!g_atomic_int_compare_and_exchange (&self->stopped, FALSE, TRUE))
    return;
  for (i = 0; i < self->workers->len; i++)
    {
      Worker *worker = self->workers->pdata[i];
      g_main_context_invoke (worker->context, quit_cb, worker);
    }
  for (i = 0; i < self->workers->len; i++)
    {
      Worker *worker = self->workers->pdata[i];
      g_thread_join (worker->thread);
      worker->thread = NULL;
    }
  for (i = 0; i < self->listeners->len; i++)
    g_socket_close (self->listeners->pdata[i], NULL);
}

void
pb_http_free (PbHttp *self)
{
  guint i;

  if (self == NULL)
    return;
  pb_http_stop (self);
  for (i = 0; i < self->workers->len; i++)
    {
      Worker *worker = self->workers->pdata[i];
      g_ptr_array_unref (worker->accept_sources);
      g_hash_table_unref (worker->conns);
      g_free (worker->scratch);
      g_main_loop_unref (worker->loop);
      g_main_context_unref (worker->context);
      g_mutex_clear (&worker->ready_lock);
      g_cond_clear (&worker->ready_cond);
      g_free (worker);
    }
  g_ptr_array_unref (self->workers);
  g_ptr_array_unref (self->listeners);
  g_hash_table_unref (self->peers);
  g_mutex_clear (&self->peers_lock);
  g_clear_object (&self->tls_certificate);
  g_free (self);
}
