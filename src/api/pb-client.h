/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pb-core.h"

G_BEGIN_DECLS

/**
 * PbPage:
 * @items: (element-type GObject): the models of the page (PbConnector, PbIntegration,
 *   PbLinkedAccount or PbLogEntry); the array unrefs them
 * @next: (nullable): the cursor of the next page, %NULL at the end
 * @sync_token: (nullable): on the last page of the integrations, the token that lists what
 *   changed since (`GET /integrations?sync_token=`)
 */
typedef struct
{
  GPtrArray *items;
  char      *next;
  char      *sync_token;
} PbPage;

#define PB_TYPE_PAGE (pb_page_get_type ())
GType   pb_page_get_type (void) G_GNUC_CONST;
PbPage *pb_page_copy     (const PbPage *page);
void    pb_page_free     (PbPage       *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbPage, pb_page_free)

/**
 * PbQuery:
 *
 * The filters of a list call (`category`, `q`, `integration_id`, …), as strings.
 */
typedef struct _PbQuery PbQuery;

#define PB_TYPE_QUERY (pb_query_get_type ())
GType       pb_query_get_type (void) G_GNUC_CONST;
PbQuery    *pb_query_new      (void);
PbQuery    *pb_query_copy     (const PbQuery *query);
void        pb_query_free     (PbQuery       *query);
void        pb_query_set      (PbQuery       *query,
                               const char    *key,
                               const char    *value);
const char *pb_query_get      (const PbQuery *query,
                               const char    *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbQuery, pb_query_free)

#define PB_CLIENT_DEFAULT_TIMEOUT         20
#define PB_CLIENT_DEFAULT_MAX_RETRIES     3
#define PB_CLIENT_DEFAULT_MAX_RETRY_DELAY 30
#define PB_CLIENT_MAX_PAGE_SIZE           1000

#define PB_TYPE_CLIENT (pb_client_get_type ())
G_DECLARE_FINAL_TYPE (PbClient, pb_client, PB, CLIENT, GObject)

PbClient   *pb_client_new                 (const char *base_url,
                                           const char *api_key);
char       *pb_client_normalize_url       (const char *url);
const char *pb_client_get_base_url        (PbClient   *self);
guint       pb_client_get_n_requests     (PbClient   *self);
guint64     pb_client_get_n_bytes_received (PbClient *self);
guint       pb_client_get_timeout         (PbClient   *self);
void        pb_client_set_timeout         (PbClient   *self,
                                           guint       seconds);
guint       pb_client_get_max_retries     (PbClient   *self);
void        pb_client_set_max_retries     (PbClient   *self,
                                           guint       n);
guint       pb_client_get_max_retry_delay (PbClient   *self);
void        pb_client_set_max_retry_delay (PbClient   *self,
                                           guint       seconds);

/* GET /project */
void             pb_client_get_project_async                (PbClient             *self,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbProject       *pb_client_get_project_finish               (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* GET /connectors, GET /connectors/{provider} */
void             pb_client_list_connectors_async            (PbClient             *self,
                                                             const PbQuery        *query,
                                                             guint                 page_size,
                                                             const char           *next,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbPage          *pb_client_list_connectors_finish           (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_list_all_connectors_async        (PbClient             *self,
                                                             const PbQuery        *query,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray       *pb_client_list_all_connectors_finish       (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_get_connector_async              (PbClient             *self,
                                                             const char           *provider,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbConnector     *pb_client_get_connector_finish             (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* Integrations */
void             pb_client_list_integrations_async          (PbClient             *self,
                                                             const PbQuery        *query,
                                                             guint                 page_size,
                                                             const char           *next,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbPage          *pb_client_list_integrations_finish         (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_list_all_integrations_async      (PbClient             *self,
                                                             const PbQuery        *query,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray       *pb_client_list_all_integrations_finish     (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/**
 * PbIntegrationChanges:
 * @full: %TRUE when this is the whole list (no token was given): @integrations is every
 *   integration of the project and @deleted_ids is empty
 * @integrations: (element-type PbIntegration): the integrations added or changed since the
 *   token, each once, in its latest state
 * @deleted_ids: (element-type utf8): the ids of the integrations deleted since the token
 * @sync_token: (nullable): the token for the next call (%NULL: the backend gives none)
 */
typedef struct
{
  gboolean   full;
  GPtrArray *integrations;
  GPtrArray *deleted_ids;
  char      *sync_token;
} PbIntegrationChanges;

void             pb_integration_changes_free                (PbIntegrationChanges *changes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbIntegrationChanges, pb_integration_changes_free)

/* Every integration with its sync token (@sync_token %NULL), or only what changed since
 * @sync_token; a token the backend no longer knows fails with
 * PB_API_ERROR_SYNC_TOKEN_EXPIRED (then call again without one). */
void             pb_client_list_integration_changes_async   (PbClient             *self,
                                                             const char           *sync_token,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbIntegrationChanges *pb_client_list_integration_changes_finish (PbClient         *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_get_integration_async            (PbClient             *self,
                                                             const char           *id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbIntegration   *pb_client_get_integration_finish           (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
/* GET /integrations/{id}/generated/{field}: a value the platform generated (admin keys). */
void             pb_client_get_generated_value_async        (PbClient             *self,
                                                             const char           *id,
                                                             const char           *field,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
/* (transfer full): the value; wipe it before freeing. */
char            *pb_client_get_generated_value_finish       (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_create_integration_async         (PbClient             *self,
                                                             JsonObject           *body,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbIntegration   *pb_client_create_integration_finish        (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_update_integration_async         (PbClient             *self,
                                                             const char           *id,
                                                             JsonObject           *patch,
                                                             gint64                if_match_version,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbIntegration   *pb_client_update_integration_finish        (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_delete_integration_async         (PbClient             *self,
                                                             const char           *id,
                                                             gint64                if_match_version,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean         pb_client_delete_integration_finish        (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* Linked accounts */
void             pb_client_list_accounts_async              (PbClient             *self,
                                                             const PbQuery        *query,
                                                             guint                 page_size,
                                                             const char           *next,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbPage          *pb_client_list_accounts_finish             (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_list_all_accounts_async          (PbClient             *self,
                                                             const PbQuery        *query,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray       *pb_client_list_all_accounts_finish         (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_get_account_async                (PbClient             *self,
                                                             const char           *id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbLinkedAccount *pb_client_get_account_finish               (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* PATCH /accounts/{id} (suspend, resume, label), DELETE /accounts/{id} (it and its stored
 * credentials), POST /accounts/{id}/refresh (checks its credentials; the account as it is
 * then: active, error or expired). */
void             pb_client_update_account_async             (PbClient             *self,
                                                             const char           *id,
                                                             JsonObject           *patch,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbLinkedAccount *pb_client_update_account_finish            (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_delete_account_async             (PbClient             *self,
                                                             const char           *id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean         pb_client_delete_account_finish            (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_refresh_account_async            (PbClient             *self,
                                                             const char           *id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbLinkedAccount *pb_client_refresh_account_finish           (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* Connect sessions */
void             pb_client_create_connect_session_async     (PbClient             *self,
                                                             JsonObject           *body,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
JsonObject      *pb_client_create_connect_session_finish    (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_authenticate_connect_session_async  (PbClient          *self,
                                                                JsonObject        *body,
                                                                GCancellable      *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer           user_data);
PbLinkedAccount *pb_client_authenticate_connect_session_finish (PbClient          *self,
                                                                GAsyncResult      *result,
                                                                GError           **error);

/* Request logs */
void             pb_client_list_logs_async                  (PbClient             *self,
                                                             const PbQuery        *query,
                                                             guint                 page_size,
                                                             const char           *next,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbPage          *pb_client_list_logs_finish                 (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_list_all_logs_async              (PbClient             *self,
                                                             const PbQuery        *query,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray       *pb_client_list_all_logs_finish             (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void             pb_client_get_log_async                    (PbClient             *self,
                                                             const char           *request_id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PbLogEntry      *pb_client_get_log_finish                   (PbClient             *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

G_END_DECLS
