/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "pb-server.h"

G_BEGIN_DECLS

/* One request being served: what the router learnt, and what the handler answers. */
typedef struct
{
  PbServer          *server;
  SoupServerMessage *msg;
  PbDb              *db;
  PbCatalog         *catalog;
  PbCrypto          *crypto;
  const char        *public_url;
  const char        *method;
  GHashTable        *query;        /* decoded name → value; never NULL */
  JsonNode          *body;         /* the parsed body (an object) for POST/PATCH */
  char              *project_id;
  char              *plan;
  char              *role;
  gint64             start_us;
  guint              status;
  gboolean           replied;
  /* A request log is recorded when log_resource is set. */
  const char        *log_resource;
  char              *log_provider;
  char              *log_integration_id;
  char              *log_account_id;
} PbRequest;

void      pb_request_reply_json       (PbRequest   *req,
                                       guint        status,
                                       JsonNode    *node);
/* Takes @text, which must be a JSON document. */
void      pb_request_reply_text       (PbRequest   *req,
                                       guint        status,
                                       GString     *text);
/* Closes a list page @out (opened with {"data":[ and its items) with "next": @next (or null)
 * and sends it with 200; takes @out. */
void      pb_request_reply_page       (PbRequest   *req,
                                       GString     *out,
                                       const char  *next);
/* Appends @text as a JSON string (or null). */
void      pb_json_append_string       (GString     *out,
                                       const char  *text);
void      pb_request_reply_empty      (PbRequest   *req,
                                       guint        status);
void      pb_request_reply_error      (PbRequest   *req,
                                       guint        status,
                                       const char  *code,
                                       JsonNode    *details,
                                       const char  *format,
                                       ...) G_GNUC_PRINTF (5, 6);
/* 400 validation_failed with details.fields = @fields (field → reason). */
void      pb_request_reply_fields     (PbRequest   *req,
                                       JsonObject  *fields);
void      pb_request_reply_db_error   (PbRequest   *req,
                                       GError      *error);
void      pb_request_set_header       (PbRequest   *req,
                                       const char  *name,
                                       const char  *value);
const char *pb_request_get_header     (PbRequest   *req,
                                       const char  *name);
void      pb_request_set_log          (PbRequest   *req,
                                       const char  *resource,
                                       const char  *provider,
                                       const char  *integration_id,
                                       const char  *account_id);

/* Query helpers: FALSE after replying 400 when the value is not acceptable. */
gboolean  pb_request_page             (PbRequest   *req,
                                       guint       *out_page_size,
                                       const char **out_cursor);
gboolean  pb_request_query_bool       (PbRequest   *req,
                                       const char  *name,
                                       int         *out_value);  /* -1 absent, 0, 1 */

/* Cursors: opaque strings carrying one or two integers. */
char     *pb_cursor_encode            (gint64       a,
                                       gint64       b);
gboolean  pb_cursor_decode            (const char  *cursor,
                                       gint64      *out_a,
                                       gint64      *out_b);

/* JSON body helpers. */
JsonObject *pb_request_body           (PbRequest   *req);
/* Reads and checks the JSON object body of a POST or PATCH into req->body; on FALSE the
 * error answer (413, 415, 400) has been sent. */
gboolean  pb_request_read_body        (PbRequest   *req);
/* Checks that @object has only @allowed members; adds the others to @fields. */
void      pb_json_check_members       (JsonObject  *object,
                                       const char * const *allowed,
                                       const char  *prefix,
                                       JsonObject  *fields);
gboolean  pb_json_is_string           (JsonNode    *node);
gboolean  pb_json_is_bool             (JsonNode    *node);
gboolean  pb_json_is_int              (JsonNode    *node);
char     *pb_json_canonical           (JsonNode    *node);

/* Handlers. */
void      pb_server_handle_project             (PbRequest *req);
void      pb_server_handle_connectors          (PbRequest *req);
void      pb_server_handle_connector           (PbRequest *req, const char *provider);
void      pb_server_handle_integrations_list   (PbRequest *req);
void      pb_server_handle_integration_get     (PbRequest *req, const char *id);
void      pb_server_handle_integration_create  (PbRequest *req);
void      pb_server_handle_integration_update  (PbRequest *req, const char *id);
void      pb_server_handle_integration_delete  (PbRequest *req, const char *id);
void      pb_server_handle_accounts_list       (PbRequest *req);
void      pb_server_handle_account_get         (PbRequest *req, const char *id);
void      pb_server_handle_session_create      (PbRequest *req);
void      pb_server_handle_session_authenticate (PbRequest *req);
void      pb_server_handle_logs_list           (PbRequest *req);
void      pb_server_handle_log_get             (PbRequest *req, const char *id);

/* Records one request log (used by the server for each request, and by the seed). */
gboolean  pb_server_insert_log        (PbDb        *db,
                                       const char  *project_id,
                                       gint64       event_ms,
                                       gint64       duration_ms,
                                       const char  *method,
                                       const char  *path,
                                       const char  *url,
                                       guint        status,
                                       const char  *provider,
                                       const char  *integration_id,
                                       const char  *account_id,
                                       const char  *service,
                                       const char  *resource,
                                       const char  *source_type,
                                       GError     **error);

/* Closes keep-alive connections that clients closed while idle, which libsoup < 3.3 leaks
 * (pb-server-conn.c). */
typedef struct _PbIdleWatch PbIdleWatch;

gboolean     pb_idle_watch_needed (void);
PbIdleWatch *pb_idle_watch_new    (SoupServer  *soup);
void         pb_idle_watch_free   (PbIdleWatch *watch);

G_END_DECLS
