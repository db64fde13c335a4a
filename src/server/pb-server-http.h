/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The server's HTTP/1.1 side (pb-server-http.c): listening sockets shared by worker threads,
 * strict request parsing, timeouts and connection limits. Handlers run on the worker that owns
 * the connection, one request at a time per worker. */

typedef struct
{
  /* The request, as parsed. */
  const char         *method;
  char               *path;          /* raw (still percent-encoded), without the query */
  char               *query;         /* raw, or NULL */
  SoupHTTPVersion     version;
  SoupMessageHeaders *request_headers;
  GBytes             *body;          /* NULL when the request has none */
  const char         *peer;          /* the client's address, e.g. "127.0.0.1" or "unix" */
  const char         *local;         /* the address the client connected to, NULL for Unix */
  gpointer            worker_data;   /* made by the worker_init function, per worker */
  /* Set when the HTTP side refuses the request itself: the handler only words the answer
   * (@status, with this error code and message). */
  const char         *refused_code;
  const char         *refused_message;

  /* The answer the handler sets. */
  guint               status;
  SoupMessageHeaders *response_headers;
  GBytes             *response_body;
} PbHttpExchange;

typedef void     (*PbHttpHandler)    (PbHttpExchange *exchange,
                                      gpointer        user_data);
typedef gpointer (*PbHttpWorkerInit) (gpointer        user_data);

typedef struct
{
  double header_timeout;
  double body_timeout;
  double idle_timeout;
  guint  max_connections;
  guint  max_peer_connections;
  guint  workers;
} PbHttpLimits;

typedef struct _PbHttp PbHttp;

/* Starts the worker threads; each calls @worker_init once and @worker_free at the end, in its
 * own thread. @tls_certificate may be NULL. */
PbHttp     *pb_http_new            (const PbHttpLimits *limits,
                                    GTlsCertificate    *tls_certificate,
                                    PbHttpHandler       handler,
                                    PbHttpWorkerInit    worker_init,
                                    GDestroyNotify      worker_free,
                                    gpointer            user_data);
/* Serves on @socket (bound, not yet listening); takes a reference. */
gboolean    pb_http_listen         (PbHttp             *self,
                                    GSocket            *socket,
                                    GError            **error);
gboolean    pb_http_is_https       (PbHttp             *self);
/* Stops accepting, closes every connection and stops the workers. */
void        pb_http_stop           (PbHttp             *self);
void        pb_http_free           (PbHttp             *self);

/* Sets the answer; takes @body (may be NULL). */
void        pb_http_exchange_reply (PbHttpExchange     *exchange,
                                    guint               status,
                                    const char         *content_type,
                                    char               *body,
                                    gsize               length);

G_END_DECLS
