/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-client-private.h"

/*
 * The endpoint functions of pb-client.h. Each _async starts one request of
 * pb-client-request.c (or follows all the pages of a list, pb-client-list-all.c); each
 * _finish returns what it parsed, or %NULL / %FALSE with @error set (for an HTTP error a
 * PB_API_ERROR carrying the error body, see pb-api-error.h).
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
 *
 * Returns: (transfer full): the key's project, or %NULL with @error set
 */
PbProject *
pb_client_get_project_finish (PbClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_get_project_async, error);
}

/* Collections: each is listed page by page (a #PbPage), listed whole (every page, following
 * "next" to the end: a GPtrArray of models) and read one by one. */

/* GET /connectors, GET /connectors/{provider} */

void
pb_client_list_connectors_async (PbClient            *self,
                                 const PbQuery       *query,
                                 guint                page_size,
                                 const char          *next,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  pb_client_request_start (self, "GET", "/connectors", query, page_size, next, NULL, -1,
                           RESULT_PAGE, MODEL (connector), "a connector", cancellable, callback,
                           user_data, pb_client_list_connectors_async);
}

PbPage *
pb_client_list_connectors_finish (PbClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_list_connectors_async, error);
}

void
pb_client_list_all_connectors_async (PbClient            *self,
                                     const PbQuery       *query,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  pb_client_list_all_start (self, "/connectors", query, MODEL (connector), "a connector", cancellable,
                            callback, user_data, pb_client_list_all_connectors_async);
}

GPtrArray *
pb_client_list_all_connectors_finish (PbClient      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return pb_client_list_all_finish (self, result, pb_client_list_all_connectors_async, error);
}

void
pb_client_get_connector_async (PbClient            *self,
                               const char          *provider,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (provider != NULL);

  path = path_with_id ("/connectors", provider);
  pb_client_request_start (self, "GET", path, NULL, 0, NULL, NULL, -1, RESULT_MODEL,
                           MODEL (connector), "a connector", cancellable, callback, user_data,
                           pb_client_get_connector_async);
}

PbConnector *
pb_client_get_connector_finish (PbClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_get_connector_async, error);
}

/* GET /integrations, GET /integrations/{id} */

void
pb_client_list_integrations_async (PbClient            *self,
                                   const PbQuery       *query,
                                   guint                page_size,
                                   const char          *next,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  pb_client_request_start (self, "GET", "/integrations", query, page_size, next, NULL, -1,
                           RESULT_PAGE, MODEL (integration), "an integration", cancellable, callback,
                           user_data, pb_client_list_integrations_async);
}

PbPage *
pb_client_list_integrations_finish (PbClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_list_integrations_async, error);
}

void
pb_client_list_all_integrations_async (PbClient            *self,
                                       const PbQuery       *query,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  pb_client_list_all_start (self, "/integrations", query, MODEL (integration), "an integration", cancellable,
                            callback, user_data, pb_client_list_all_integrations_async);
}

GPtrArray *
pb_client_list_all_integrations_finish (PbClient      *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return pb_client_list_all_finish (self, result, pb_client_list_all_integrations_async, error);
}

void
pb_client_get_integration_async (PbClient            *self,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = path_with_id ("/integrations", id);
  pb_client_request_start (self, "GET", path, NULL, 0, NULL, NULL, -1, RESULT_MODEL,
                           MODEL (integration), "an integration", cancellable, callback, user_data,
                           pb_client_get_integration_async);
}

PbIntegration *
pb_client_get_integration_finish (PbClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_get_integration_async, error);
}

void
pb_client_get_generated_value_async (PbClient            *self,
                                     const char          *id,
                                     const char          *field,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *integration = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL && field != NULL);

  integration = path_with_id ("/integrations", id);
  escaped = g_uri_escape_string (field, NULL, FALSE);
  path = g_strconcat (integration, "/generated/", escaped, NULL);
  pb_client_request_start (self, "GET", path, NULL, 0, NULL, NULL, -1, RESULT_OBJECT, NULL,
                           "a generated value", cancellable, callback, user_data,
                           pb_client_get_generated_value_async);
}

char *
pb_client_get_generated_value_finish (PbClient      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_autoptr(JsonObject) object = pb_client_request_finish_pointer (self, result,
                                                                   pb_client_get_generated_value_async,
                                                                   error);
  JsonNode *value;

  if (object == NULL)
    return NULL;
  value = json_object_get_member (object, "value");
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value)
      || json_node_get_value_type (value) != G_TYPE_STRING)
    {
      g_set_error_literal (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                           "The backend answered without the generated value.");
      return NULL;
    }
  return g_strdup (json_node_get_string (value));
}

/* GET /accounts, GET /accounts/{id} */

void
pb_client_list_accounts_async (PbClient            *self,
                               const PbQuery       *query,
                               guint                page_size,
                               const char          *next,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  pb_client_request_start (self, "GET", "/accounts", query, page_size, next, NULL, -1,
                           RESULT_PAGE, MODEL (linked_account), "a linked account", cancellable, callback,
                           user_data, pb_client_list_accounts_async);
}

PbPage *
pb_client_list_accounts_finish (PbClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  PbPage *page;

  page = pb_client_request_finish_pointer (self, result, pb_client_list_accounts_async,
                                           &local_error);
  if (page == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return page;
}

void
pb_client_list_all_accounts_async (PbClient            *self,
                                   const PbQuery       *query,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  pb_client_list_all_start (self, "/accounts", query, MODEL (linked_account), "a linked account", cancellable,
                            callback, user_data, pb_client_list_all_accounts_async);
}

GPtrArray *
pb_client_list_all_accounts_finish (PbClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GPtrArray *items;

  items = pb_client_list_all_finish (self, result, pb_client_list_all_accounts_async,
                                     &local_error);
  if (items == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return items;
}

void
pb_client_get_account_async (PbClient            *self,
                             const char          *id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = path_with_id ("/accounts", id);
  pb_client_request_start (self, "GET", path, NULL, 0, NULL, NULL, -1, RESULT_MODEL,
                           MODEL (linked_account), "a linked account", cancellable, callback, user_data,
                           pb_client_get_account_async);
}

PbLinkedAccount *
pb_client_get_account_finish (PbClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_get_account_async, error);
}

/* PATCH /accounts/{id}, DELETE /accounts/{id}, POST /accounts/{id}/refresh */

/**
 * pb_client_update_account_async:
 * @patch: (transfer none): `{status?: "suspended" | "active", label?}`
 */
void
pb_client_update_account_async (PbClient            *self,
                                const char          *id,
                                JsonObject          *patch,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (patch != NULL);

  path = path_with_id ("/accounts", id);
  pb_client_request_start (self, "PATCH", path, NULL, 0, NULL, patch, -1, RESULT_MODEL,
                           MODEL (linked_account), "a linked account", cancellable, callback,
                           user_data, pb_client_update_account_async);
}

PbLinkedAccount *
pb_client_update_account_finish (PbClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_update_account_async, error);
}

void
pb_client_delete_account_async (PbClient            *self,
                                const char          *id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = path_with_id ("/accounts", id);
  pb_client_request_start (self, "DELETE", path, NULL, 0, NULL, NULL, -1, RESULT_NONE, NULL,
                           "a linked account", cancellable, callback, user_data,
                           pb_client_delete_account_async);
}

gboolean
pb_client_delete_account_finish (PbClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return pb_client_request_finish_boolean (self, result, pb_client_delete_account_async, error);
}

void
pb_client_refresh_account_async (PbClient            *self,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *account = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  account = path_with_id ("/accounts", id);
  path = g_strconcat (account, "/refresh", NULL);
  pb_client_request_start (self, "POST", path, NULL, 0, NULL, body, -1, RESULT_MODEL,
                           MODEL (linked_account), "a linked account", cancellable, callback,
                           user_data, pb_client_refresh_account_async);
}

PbLinkedAccount *
pb_client_refresh_account_finish (PbClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_refresh_account_async, error);
}

/* GET /requests/logs, GET /requests/logs/{request_id} */

void
pb_client_list_logs_async (PbClient            *self,
                           const PbQuery       *query,
                           guint                page_size,
                           const char          *next,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  pb_client_request_start (self, "GET", "/requests/logs", query, page_size, next, NULL, -1,
                           RESULT_PAGE, MODEL (log_entry), "a request log entry", cancellable, callback,
                           user_data, pb_client_list_logs_async);
}

PbPage *
pb_client_list_logs_finish (PbClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  PbPage *page;

  page = pb_client_request_finish_pointer (self, result, pb_client_list_logs_async,
                                           &local_error);
  if (page == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return page;
}

void
pb_client_list_all_logs_async (PbClient            *self,
                               const PbQuery       *query,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  pb_client_list_all_start (self, "/requests/logs", query, MODEL (log_entry), "a request log entry", cancellable,
                            callback, user_data, pb_client_list_all_logs_async);
}

GPtrArray *
pb_client_list_all_logs_finish (PbClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GPtrArray *items;

  items = pb_client_list_all_finish (self, result, pb_client_list_all_logs_async,
                                     &local_error);
  if (items == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return items;
}

void
pb_client_get_log_async (PbClient            *self,
                         const char          *request_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PB_IS_CLIENT (self));
  g_return_if_fail (request_id != NULL);

  path = path_with_id ("/requests/logs", request_id);
  pb_client_request_start (self, "GET", path, NULL, 0, NULL, NULL, -1, RESULT_MODEL,
                           MODEL (log_entry), "a request log entry", cancellable, callback, user_data,
                           pb_client_get_log_async);
}

PbLogEntry *
pb_client_get_log_finish (PbClient      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_get_log_async, error);
}

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
                                     GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_create_integration_async, error);
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
                                     GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_update_integration_async, error);
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
                                     GError       **error)
{
  return pb_client_request_finish_boolean (self, result, pb_client_delete_integration_async, error);
}

/* Connect sessions */

/**
 * pb_client_create_connect_session_async:
 * @body: (transfer none): `{origin_owner_id, origin_owner_name, origin_username?, provider,
 *   integration_id?, account_id? (re-link that account), expires_in?}`
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
 * Returns: (transfer full): `{id, token, url, expires_at, provider, integration_id,
 *   project_id}` (`url`: the page where the end user enters their credentials)
 */
JsonObject *
pb_client_create_connect_session_finish (PbClient      *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return pb_client_request_finish_pointer (self, result, pb_client_create_connect_session_async, error);
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
                                               GError       **error)
{
  return pb_client_request_finish_pointer (self, result,
                                           pb_client_authenticate_connect_session_async, error);
}
