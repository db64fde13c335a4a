/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the files of PbClient share (not installed, not for other layers):
 *   pb-client.c            the GObject: properties, session, key
 *   pb-client-query.c      PbPage, PbQuery and the query string
 *   pb-client-request.c    one request: send, retry 429/503, errors
 *   pb-client-parse.c      a 2xx answer into what the call returns (big ones in a worker thread)
 *   pb-client-list-all.c   all the pages of a list, the next ones asked for early
 *   pb-client-endpoints.c  the endpoint functions of pb-client.h
 */

#include <libsoup/soup.h>

#include "pb-client.h"

G_BEGIN_DECLS

struct _PbClient
{
  GObject      parent_instance;

  char        *base_url;
  char        *authorization;   /* "Basic base64(key:)"; never logged */
  GUri        *base_uri;        /* NULL when base_url is not a usable URL */
  SoupSession *session;

  guint        timeout;
  guint        max_retries;
  guint        max_retry_delay;
  guint        n_requests;      /* sent, retries included */
};

/* pb-client-query.c */

PbPage *pb_page_new           (void);
char   *pb_query_build_string (const PbQuery *query,
                               guint          page_size,
                               const char    *next);

/* pb-client-request.c */

typedef gpointer (*ModelParser) (JsonObject  *object,
                                 GError     **error);
/* The same model read from JSON text in place; NULL, without an error, when it cannot. */
typedef gpointer (*ScanParser)  (PbJsonScan  *scan);

/* pb-client-endpoints.c: the in-place reader of @parser's model, used for big pages, or NULL. */
ScanParser pb_client_scan_parser_for (ModelParser parser);

typedef enum {
  RESULT_MODEL,    /* one model object */
  RESULT_PAGE,     /* {data: [model…], next} → PbPage */
  RESULT_OBJECT,   /* the JSON object as is */
  RESULT_NONE,     /* nothing (204) → TRUE */
} ResultKind;

/* Called with a 2xx answer's body before it is parsed; see pb-client-list-all.c. */
typedef void (*RequestPeek) (GBytes   *bytes,
                             gpointer  user_data);

/* One request (the GTask's data of pb_client_request_start). */
typedef struct
{
  PbClient     *client;
  char         *method;
  char         *path;        /* for the log: no query string */
  char         *uri;
  GBytes       *body;
  gint64        if_match;
  ResultKind    kind;
  ModelParser   parser;
  const char   *what;        /* "an integration", for error messages */

  SoupMessage  *message;     /* the attempt in flight */
  gboolean      tls_handshaking;  /* the attempt started a TLS handshake, not finished */
  guint         attempt;
  gint64        started;
  GSource      *wait_source;
  GSource      *cancel_source;

  /* Called with a 2xx answer's body before it is parsed (list-all reads the next cursor
   * from its end); the data outlives the request. */
  RequestPeek   peek;
  gpointer      peek_data;

} Request;

void      pb_client_request_start          (PbClient            *self,
                                            const char          *method,
                                            const char          *path,
                                            const PbQuery       *query,
                                            guint                page_size,
                                            const char          *next,
                                            JsonObject          *body,
                                            gint64               if_match,
                                            ResultKind           kind,
                                            ModelParser          parser,
                                            const char          *what,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data,
                                            gpointer             source_tag);
void      pb_client_request_start_full     (PbClient            *self,
                                            const char          *method,
                                            const char          *path,
                                            const PbQuery       *query,
                                            guint                page_size,
                                            const char          *next,
                                            JsonObject          *body,
                                            gint64               if_match,
                                            ResultKind           kind,
                                            ModelParser          parser,
                                            const char          *what,
                                            RequestPeek          peek,
                                            gpointer             peek_data,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data,
                                            gpointer             source_tag);
gpointer  pb_client_request_finish_pointer (PbClient            *self,
                                            GAsyncResult        *result,
                                            gpointer             source_tag,
                                            GError             **error);
gboolean  pb_client_request_finish_boolean (PbClient            *self,
                                            GAsyncResult        *result,
                                            gpointer             source_tag,
                                            GError             **error);
gboolean  pb_client_finish_begin           (PbClient            *self,
                                            GAsyncResult        *result,
                                            gpointer             source_tag);

/* pb-client-parse.c */

JsonNode *pb_client_parse_json             (GBytes              *bytes,
                                            GError             **error);
void      pb_client_request_return_success (GTask               *task,
                                            GBytes              *bytes);

/* pb-client-list-all.c */

void       pb_client_list_all_start        (PbClient            *self,
                                            const char          *path,
                                            const PbQuery       *query,
                                            ModelParser          parser,
                                            const char          *what,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data,
                                            gpointer             source_tag);
GPtrArray *pb_client_list_all_finish       (PbClient            *self,
                                            GAsyncResult        *result,
                                            gpointer             source_tag,
                                            GError             **error);

G_END_DECLS
