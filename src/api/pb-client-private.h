/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the files of PbClient share (not installed, not for other layers):
 *   pb-client.c            the GObject: properties, session, key
 *   pb-client-query.c      PbPage, PbQuery and the query string
 *   pb-client-request.c    one request: send, retry 429/503, parse, errors; all pages of a list
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

typedef enum {
  RESULT_MODEL,    /* one model object */
  RESULT_PAGE,     /* {data: [model…], next} → PbPage */
  RESULT_OBJECT,   /* the JSON object as is */
  RESULT_NONE,     /* nothing (204) → TRUE */
} ResultKind;

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
gpointer  pb_client_request_finish_pointer (PbClient            *self,
                                            GAsyncResult        *result,
                                            gpointer             source_tag,
                                            PbApiFailure       **out_failure,
                                            GError             **error);
gboolean  pb_client_request_finish_boolean (PbClient            *self,
                                            GAsyncResult        *result,
                                            gpointer             source_tag,
                                            PbApiFailure       **out_failure,
                                            GError             **error);

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
                                            PbApiFailure       **out_failure,
                                            GError             **error);

G_END_DECLS
