/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-client-private.h"

/*
 * The endpoint functions of pb-client.h. Each _async starts one request of
 * pb-client-request.c (or follows all the pages of a list, pb-client-list-all.c); each
 * _finish returns what it parsed, or %NULL / %FALSE with @error set and, for an HTTP error,
 * @out_failure (out) (optional) (nullable) (transfer full) set to the error body.
 */

static char *
path_with_id (const char *collection,
              const char *id)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat (collection, "/", escaped, NULL);
}

/* Typed wrappers so that no call goes through a cast function pointer. */
#define DEFINE_PARSER(name, function)                  \
  static gpointer                                      \
  name (JsonObject *object,                            \
        GError    **error)                             \
  {                                                    \
    return function (object, error);                   \
  }

DEFINE_PARSER (parse_project, pb_project_new_from_json)
DEFINE_PARSER (parse_connector, pb_connector_new_from_json)
DEFINE_PARSER (parse_integration, pb_integration_new_from_json)
DEFINE_PARSER (parse_linked_account, pb_linked_account_new_from_json)
DEFINE_PARSER (parse_log_entry, pb_log_entry_new_from_json)

#define MODEL(f) (parse_##f)

static gpointer
scan_integration (PbJsonScan *scan)
{
  PbIntegration *integration = pb_integration_new_from_scan (scan);
  const char *label, *name;

  /* In the parse thread, the sort keys too: 20,000 of them cost the main thread ~45 ms. */
  if (integration != NULL)
    pb_integration_get_sort_keys (integration, &label, &name);
  return integration;
}

static gpointer
scan_connector (PbJsonScan *scan)
{
  return pb_connector_new_from_scan (scan);
}

ScanParser
pb_client_scan_parser_for (ModelParser parser)
{
  /* What a launch reads by the thousand: the integrations and the catalog. The other lists
   * are read with json-glib only. */
  if (parser == MODEL (integration))
    return scan_integration;
  if (parser == MODEL (connector))
    return scan_connector;
  return NULL;
}

/* Project */

void
pb_client_get_project_async (PbClient            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  pb_client_request_start (self, "GET", "/project", NULL, 0, NULL, NULL, -1, RESULT_MODEL,
                           MODEL (project), "a project", cancellable, callback, user_data,
                           pb_client_get_project_async);
}

/**
 * pb_client_get_project_finish:
 * @out_failure: (out) (optional) (nullable) (transfer full): the error body of an HTTP error
 *
 * Returns: (transfer full): the key's project, or %NULL with @error set
 */
PbProject *
pb_client_get_project_finish (PbClient      *self,
                              GAsyncResult  *result,
                              PbApiFailure **out_failure,
                              GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_get_project_async, out_failure,
                                           error);
}

/* Collections
 *
 * DEFINE_COLLECTION writes the six functions of a collection the API lists page by page and
 * reads one by one, e.g. for ("connectors", "connector"):
 *
 *   pb_client_list_connectors_async / _finish       GET /connectors?query&page_size&next;
 *                                                   Returns: (transfer full): a #PbPage
 *   pb_client_list_all_connectors_async / _finish   every page, following "next" to the end;
 *                                                   Returns: (transfer full) (element-type
 *                                                   PbConnector): every item
 *   pb_client_get_connector_async / _finish         GET /connectors/{provider};
 *                                                   Returns: (transfer full): the model
 */
#define DEFINE_COLLECTION(plural, singular, Type, parser, collection, what, id)                  \
  void                                                                                          \
  pb_client_list_##plural##_async (PbClient            *self,                                   \
                                   const PbQuery       *query,                                  \
                                   guint                page_size,                              \
                                   const char          *next,                                   \
                                   GCancellable        *cancellable,                            \
                                   GAsyncReadyCallback  callback,                               \
                                   gpointer             user_data)                              \
  {                                                                                             \
    g_return_if_fail (PB_IS_CLIENT (self));                                                     \
                                                                                                \
    pb_client_request_start (self, "GET", collection, query, page_size, next, NULL, -1,         \
                             RESULT_PAGE, MODEL (parser), what,                                 \
                             cancellable, callback, user_data,                                  \
                             pb_client_list_##plural##_async);                                  \
  }                                                                                             \
                                                                                                \
  PbPage *                                                                                      \
  pb_client_list_##plural##_finish (PbClient      *self,                                        \
                                    GAsyncResult  *result,                                      \
                                    PbApiFailure **out_failure,                                 \
                                    GError       **error)                                       \
  {                                                                                             \
    return pb_client_request_finish_pointer (self, result, pb_client_list_##plural##_async,     \
                                             out_failure, error);                               \
  }                                                                                             \
                                                                                                \
  void                                                                                          \
  pb_client_list_all_##plural##_async (PbClient            *self,                               \
                                       const PbQuery       *query,                              \
                                       GCancellable        *cancellable,                        \
                                       GAsyncReadyCallback  callback,                           \
                                       gpointer             user_data)                          \
  {                                                                                             \
    g_return_if_fail (PB_IS_CLIENT (self));                                                     \
                                                                                                \
    pb_client_list_all_start (self, collection, query, MODEL (parser), what,                    \
                              cancellable, callback, user_data,                                 \
                              pb_client_list_all_##plural##_async);                             \
  }                                                                                             \
                                                                                                \
  GPtrArray *                                                                                   \
  pb_client_list_all_##plural##_finish (PbClient      *self,                                    \
                                        GAsyncResult  *result,                                  \
                                        PbApiFailure **out_failure,                             \
                                        GError       **error)                                   \
  {                                                                                             \
    return pb_client_list_all_finish (self, result, pb_client_list_all_##plural##_async,        \
                                      out_failure, error);                                      \
  }                                                                                             \
                                                                                                \
  void                                                                                          \
  pb_client_get_##singular##_async (PbClient            *self,                                  \
                                    const char          *id,                                    \
                                    GCancellable        *cancellable,                           \
                                    GAsyncReadyCallback  callback,                              \
                                    gpointer             user_data)                             \
  {                                                                                             \
    g_autofree char *path = NULL;                                                               \
                                                                                                \
    g_return_if_fail (PB_IS_CLIENT (self));                                                     \
    g_return_if_fail (id != NULL);                                                              \
                                                                                                \
    path = path_with_id (collection, id);                                                       \
    pb_client_request_start (self, "GET", path, NULL, 0, NULL, NULL, -1,                        \
                             RESULT_MODEL, MODEL (parser), what,                                \
                             cancellable, callback, user_data,                                  \
                             pb_client_get_##singular##_async);                                 \
  }                                                                                             \
                                                                                                \
  Type *                                                                                        \
  pb_client_get_##singular##_finish (PbClient      *self,                                       \
                                     GAsyncResult  *result,                                     \
                                     PbApiFailure **out_failure,                                \
                                     GError       **error)                                      \
  {                                                                                             \
    return pb_client_request_finish_pointer (self, result, pb_client_get_##singular##_async,    \
                                             out_failure, error);                               \
  }

/* GET /connectors, GET /connectors/{provider} */
DEFINE_COLLECTION (connectors, connector, PbConnector, connector,
                   "/connectors", "a connector", provider)

/* GET /integrations, GET /integrations/{id} */
DEFINE_COLLECTION (integrations, integration, PbIntegration, integration,
                   "/integrations", "an integration", id)

/* GET /accounts, GET /accounts/{id} */
DEFINE_COLLECTION (accounts, account, PbLinkedAccount, linked_account,
                   "/accounts", "a linked account", id)

/* GET /requests/logs, GET /requests/logs/{request_id} */
DEFINE_COLLECTION (logs, log, PbLogEntry, log_entry,
                   "/requests/logs", "a request log entry", request_id)

/* Integrations: create, update, delete */

/**
 * pb_client_create_integration_async:
 * @body: (transfer none): `{id?, name?, connector_key, authentication_config_key, default?,
 *   config, secrets}`; the secrets travel in it and nowhere else
 */
void
pb_client_create_integration_async (PbClient            *self,
                                    JsonObject          *body,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (body != NULL);

  pb_client_request_start (self, "POST", "/integrations", NULL, 0, NULL, body, -1, RESULT_MODEL,
                           MODEL (integration), "an integration", cancellable, callback, user_data,
                           pb_client_create_integration_async);
}

PbIntegration *
pb_client_create_integration_finish (PbClient      *self,
                                     GAsyncResult  *result,
                                     PbApiFailure **out_failure,
                                     GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_create_integration_async,
                                           out_failure, error);
}

/**
 * pb_client_update_integration_async:
 * @patch: (transfer none): the fields to change
 * @if_match_version: the version the change is based on (sent as `If-Match`), or -1
 */
void
pb_client_update_integration_async (PbClient            *self,
                                    const char          *id,
                                    JsonObject          *patch,
                                    gint64               if_match_version,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (patch != NULL);

  path = path_with_id ("/integrations", id);
  pb_client_request_start (self, "PATCH", path, NULL, 0, NULL, patch, if_match_version,
                           RESULT_MODEL, MODEL (integration), "an integration", cancellable,
                           callback, user_data, pb_client_update_integration_async);
}

PbIntegration *
pb_client_update_integration_finish (PbClient      *self,
                                     GAsyncResult  *result,
                                     PbApiFailure **out_failure,
                                     GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_update_integration_async,
                                           out_failure, error);
}

/**
 * pb_client_delete_integration_async:
 * @if_match_version: the version the deletion is based on (sent as `If-Match`), or -1
 */
void
pb_client_delete_integration_async (PbClient            *self,
                                    const char          *id,
                                    gint64               if_match_version,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = path_with_id ("/integrations", id);
  pb_client_request_start (self, "DELETE", path, NULL, 0, NULL, NULL, if_match_version,
                           RESULT_NONE, NULL, "an integration", cancellable, callback, user_data,
                           pb_client_delete_integration_async);
}

gboolean
pb_client_delete_integration_finish (PbClient      *self,
                                     GAsyncResult  *result,
                                     PbApiFailure **out_failure,
                                     GError       **error)
{
  return pb_client_request_finish_boolean (self, result, pb_client_delete_integration_async,
                                           out_failure, error);
}

/* Connect sessions */

/**
 * pb_client_create_connect_session_async:
 * @body: (transfer none): `{origin_owner_id, origin_owner_name, origin_username?, provider,
 *   integration_id?, expires_in?}`
 */
void
pb_client_create_connect_session_async (PbClient            *self,
                                        JsonObject          *body,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (body != NULL);

  pb_client_request_start (self, "POST", "/connect_sessions", NULL, 0, NULL, body, -1,
                           RESULT_OBJECT, NULL, "a connect session", cancellable, callback,
                           user_data, pb_client_create_connect_session_async);
}

/**
 * pb_client_create_connect_session_finish:
 *
 * Returns: (transfer full): `{id, token, expires_at, provider, integration_id, project_id}`
 */
JsonObject *
pb_client_create_connect_session_finish (PbClient      *self,
                                         GAsyncResult  *result,
                                         PbApiFailure **out_failure,
                                         GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_create_connect_session_async,
                                           out_failure, error);
}

/**
 * pb_client_authenticate_connect_session_async:
 * @body: (transfer none): `{token, credentials?}`
 */
void
pb_client_authenticate_connect_session_async (PbClient            *self,
                                              JsonObject          *body,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (body != NULL);

  pb_client_request_start (self, "POST", "/connect_sessions/authenticate", NULL, 0, NULL, body, -1,
                           RESULT_MODEL, MODEL (linked_account), "a linked account", cancellable,
                           callback, user_data, pb_client_authenticate_connect_session_async);
}

PbLinkedAccount *
pb_client_authenticate_connect_session_finish (PbClient      *self,
                                               GAsyncResult  *result,
                                               PbApiFailure **out_failure,
                                               GError       **error)
{
  return pb_client_request_finish_pointer (self, result,
                                           pb_client_authenticate_connect_session_async,
                                           out_failure, error);
}
