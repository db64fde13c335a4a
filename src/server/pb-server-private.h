/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "pb-server.h"
#include "pb-server-http.h"

G_BEGIN_DECLS

/* Validation errors name at most this many fields, each cut at this many characters. */
#define PB_SERVER_MAX_FIELD_ERRORS 20
#define PB_SERVER_MAX_FIELD_NAME   64

/* One request being served: what the router learnt, and what the handler answers. */
typedef struct
{
  PbServer          *server;
  PbHttpExchange    *http;
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
  char              *key_id;       /* the id part of the API key (not secret) */
  gint64             start_us;
  guint              status;
  gboolean           replied;
  /* A request log is recorded when log_resource is set. */
  const char        *log_resource;
  gboolean           log_written;
  char              *log_provider;
  char              *log_integration_id;
  char              *log_account_id;
  const char        *log_source;   /* the log's source_type; NULL: "admin_api" */
  /* The path as logs show it, when the real one holds a secret (a connect token). */
  const char        *shown_path;
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

/* Commits the change of @req together with its request log (answered with @status), so an
 * acknowledged change is never without its log entry. */
gboolean  pb_request_commit           (PbRequest   *req,
                                       guint        status,
                                       GError     **error);
/* Inserts the request log of @req, answered with @status, in the open transaction. */
gboolean  pb_request_insert_log       (PbRequest   *req,
                                       guint        status,
                                       GError     **error);

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
/* Whether @text is one strict RFC 8259 JSON value (no comments, single quotes, trailing text,
 * NUL in strings or member names used twice) nested at most @max_depth levels; else
 * *@out_problem says what and where (pb-server-json.c). */
gboolean  pb_json_check_strict        (const char  *text,
                                       gsize        len,
                                       guint        max_depth,
                                       char       **out_problem);
/* @prefix + @name as shown in a validation error (long names cut short). */
char     *pb_json_field_name          (const char  *prefix,
                                       const char  *name);
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
void      pb_server_handle_generated_value     (PbRequest *req, const char *id, const char *field);
void      pb_server_handle_accounts_list       (PbRequest *req);
void      pb_server_handle_account_get         (PbRequest *req, const char *id);
void      pb_server_handle_account_update      (PbRequest *req, const char *id);
void      pb_server_handle_account_delete      (PbRequest *req, const char *id);
void      pb_server_handle_account_refresh     (PbRequest *req, const char *id);
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

/* The checks before the handlers (pb-server-guard.c); thread-safe. */
typedef struct _PbGuard PbGuard;

PbGuard    *pb_guard_new                (const PbServerConfig *config);
void        pb_guard_free               (PbGuard             *self);
/* Accepts @host (a name or address, with or without a port; "*": any) as a Host value. */
void        pb_guard_allow_host         (PbGuard             *self,
                                         const char          *host);
/* Whether the Host value @host names this server; @local_address is the address the
 * connection came to. */
gboolean    pb_guard_host_allowed       (PbGuard             *self,
                                         const char          *host,
                                         const char          *local_address);
/* The API key of the one Authorization header; NULL when there is none, or when the header is
 * malformed (then *@out_problem says how). */
char       *pb_guard_authorization_key  (SoupMessageHeaders  *headers,
                                         const char         **out_problem);
/* Counts a request with @key; 0 while under the rate limit, else the seconds to wait. */
guint       pb_guard_rate_wait          (PbGuard             *self,
                                         PbDb                *db,
                                         const char          *key);
guint       pb_guard_rate_limit         (PbGuard             *self);
/* 0 while @peer is under its limit of failed authentications, else the seconds to wait. */
guint       pb_guard_failures_wait      (PbGuard             *self,
                                         const char          *peer);
void        pb_guard_count_failure      (PbGuard             *self,
                                         const char          *peer);

G_END_DECLS
