/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pb-core.h"
#include "pb-category.h"
#include "pb-operation.h"
#include "pb-outbox-entry.h"
#include "pb-paged-model.h"
#include "pb-store-error.h"
#include "pb-sync-state.h"

G_BEGIN_DECLS

#define PB_TYPE_STORE (pb_store_get_type ())
G_DECLARE_FINAL_TYPE (PbStore, pb_store, PB, STORE, GObject)

/*
 * PbStore: everything the window shows of one open project, and the only way to change it.
 *
 * Models (transfer none, live for the store's lifetime, empty until loaded):
 * - connectors: PbConnector, sorted by provider name (case-insensitive), then key;
 * - categories: PbCategory, the twelve categories of api.md in a fixed order; their
 *   "count" and availability are kept up to date by notifications, rows never change;
 * - integrations: PbIntegration, SORTED by connector label (case-insensitive), then name,
 *   then id. Models are immutable: a changed integration is a new object in its row; a row
 *   that changes emits items-changed (pos, 1, 1), or (old, 1, 0) + (new, 0, 1) when its sort
 *   position moved (a rename); never a reset for a one-row change;
 * - linked accounts and logs: PbPagedModel, made on demand with filters (pb-store-internal.h).
 *
 * Changes go through pb_store_apply_async() as PbOperation values: credential values are
 * stored in the keyring first (under backend, project id, integration id, field), then the
 * client is called with them, then the models are updated from the server's answer.
 * Then the "applied" signal (operation, integration or NULL) tells views of linked accounts
 * and logs that they may want to reload.
 *
 * Offline: once the project id is known (given, or from the first GET /project) the store
 * keeps a replica of the project, a durable outbox of changes and a sync that replays it.
 * pb_store_load_async() shows the cache at once and finishes from it with "online" FALSE
 * when the backend cannot be reached
 * (PB_STORE_ERROR_OFFLINE_NO_CACHE when nothing is cached). Every change is queued first
 * (a copy without values; the values go to the keyring), applied to the models at once
 * (the integrations model shows the replica's state with the queued changes on top), then
 * sent by the sync; the apply finishes when the server answered it, or at once, "queued"
 * (pb_store_apply_was_queued()), when the backend cannot be reached.
 *
 * Online, the models follow the server's answer (one emission per changed row, as before);
 * offline they show the change at once. What the server would refuse is refused before
 * anything is queued, with its sentence (PB_CORE_ERROR_RULE; the refused fields in the
 * error: pb_store_error_get_fields()). A server refusal of a change the caller waits for is returned to it
 * (the change leaves the queue, the keyring keeps what was typed); a 412 keeps the change
 * in the queue as a conflict and returns PB_API_ERROR_VERSION_MISMATCH with details.current (pb_api_error_get_current()).
 *
 * Signals:
 * - applied (PbOperation *operation, PbIntegration *answer or NULL): a change the server
 *   took, also one replayed by the sync;
 * - conflict (PbOutboxEntry *entry, JsonObject *theirs): a queued change met someone
 *   else's; resolve with pb_store_resolve_*();
 * - refused (PbOutboxEntry *entry, const char *message): a replayed change was refused; it
 *   stays in the pending list until dismissed (keep theirs) or edited;
 * - synced (): a replay ended and the cache was refreshed from the server.
 */

/* A store is opened for a configured project (pb_project_list_open_store_async()) or one of
 * the local demo's (pb_demo_backend_open_store_async()). */

const char    *pb_store_get_backend         (PbStore        *self);
/* (nullable) until known */
const char    *pb_store_get_project_id      (PbStore        *self);
/* (transfer none) (nullable) until loaded */
PbProject     *pb_store_get_project         (PbStore        *self);
gboolean       pb_store_get_loaded          (PbStore        *self);

GListModel    *pb_store_get_connectors      (PbStore        *self);
GListModel    *pb_store_get_categories      (PbStore        *self);
GListModel    *pb_store_get_integrations    (PbStore        *self);

/* (transfer none) (nullable) */
PbConnector   *pb_store_find_connector      (PbStore        *self,
                                             const char     *provider);
PbIntegration *pb_store_find_integration    (PbStore        *self,
                                             const char     *id,
                                             guint          *out_position);
PbCategory    *pb_store_find_category       (PbStore        *self,
                                             const char     *key);

/* GET /project, all connectors and all integrations; fills the models (the first time one
 * items-changed (0, 0, n)) or refreshes them precisely: rows that are gone are removed, rows
 * that changed are replaced (or moved), new ones inserted, equal ones left alone. */
void           pb_store_load_async          (PbStore            *self,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean       pb_store_load_finish         (PbStore            *self,
                                             GAsyncResult       *result,
                                             GError            **error);

/* Applies @operation. @secrets: (nullable) (element-type utf8 utf8): values of the
 * operation's secret fields typed for this call; they are stored in the keyring first and
 * read from this table for the request, never kept anywhere else. A secret field the table
 * lacks is read from the keyring. On a server refusal the keyring keeps what was typed.
 * Errors: PB_STORE_ERROR_* (keyring, unknown integration, missing value), PB_CORE_ERROR_RULE
 * (refused before sending) and PB_API_ERROR_* passed through from the client, the error body
 * in the error (pb_api_error_get_current(); the refused fields: pb_store_error_get_fields()). */
void           pb_store_apply_async         (PbStore            *self,
                                             PbOperation        *operation,
                                             GHashTable         *secrets,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
/* @out_integration: (out) (optional) (transfer full): the integration as the server
 * answered (NULL for a delete). */
gboolean       pb_store_apply_finish        (PbStore            *self,
                                             GAsyncResult       *result,
                                             PbIntegration     **out_integration,
                                             GError            **error);

/* TRUE when the change was queued without an answer from the server (the backend cannot
 * be reached, or the change waits behind a conflict): out_integration is then the row as
 * the admin sees it (with the change applied), not the server's answer. */
gboolean       pb_store_apply_was_queued    (PbStore            *self,
                                             GAsyncResult       *result);

/* Offline state. "online": FALSE while the models show the cache because the backend could
 * not be reached (TRUE before the first load). "reachable": whether the sync's last contact
 * with the backend worked. "sync-state": a PbSyncState. "last-refresh": (nullable) when the
 * cache was last saved from the server. "n-pending": the number of queued changes (pending,
 * in conflict or refused). */
gboolean       pb_store_get_online          (PbStore            *self);
gboolean       pb_store_get_reachable       (PbStore            *self);
PbSyncState    pb_store_get_sync_state      (PbStore            *self);
/* (transfer none) (nullable) */
GDateTime     *pb_store_get_last_refresh    (PbStore            *self);
guint          pb_store_get_n_pending       (PbStore            *self);
/* (transfer none): the queued changes, a GListModel of PbOutboxEntry in queue order (the
 * outbox itself once open; empty before). */
GListModel    *pb_store_get_pending         (PbStore            *self);
/* Whether a queued change concerns @integration_id (its row shows "pending"). */
gboolean       pb_store_is_pending          (PbStore            *self,
                                             const char         *integration_id);
/* The line of the pending list for @entry, naming the integration as it was before the
 * change (see pb_outbox_entry_describe()). */
char          *pb_store_describe_change     (PbStore            *self,
                                             PbOutboxEntry      *entry);
/* The integration as it would be with the queued change @entry applied on top of @theirs
 * (the server's version of a conflict), by the same rules as the models. Returns:
 * (transfer full) (nullable): NULL when the change leaves no integration (a delete). */
PbIntegration *pb_store_preview_change      (PbStore            *self,
                                             PbOutboxEntry      *entry,
                                             PbIntegration      *theirs);

/* "Sync now": probe and replay at once. */
void           pb_store_sync_now            (PbStore            *self);
/* Resolutions of a change in conflict (or refused: keep theirs dismisses it, edit re-queues
 * it); @seq: pb_outbox_entry_get_seq(). The models follow at once. */
gboolean       pb_store_resolve_keep_mine   (PbStore            *self,
                                             gint64              seq,
                                             GError            **error);
gboolean       pb_store_resolve_keep_theirs (PbStore            *self,
                                             gint64              seq,
                                             GError            **error);
/* @payload: the edited request body (without values); @secret_fields: (nullable). */
gboolean       pb_store_resolve_edit        (PbStore            *self,
                                             gint64              seq,
                                             JsonObject         *payload,
                                             const char * const *secret_fields,
                                             GError            **error);

/* Linked accounts. Suspend, resume and delete are operations
 * (pb_operation_new_account() through pb_store_apply_async()): queued offline like the
 * integrations' changes. Checking and linking need the backend's answer: offline they fail
 * at once with PB_STORE_ERROR_NEEDS_BACKEND. */

/* Whether a queued change (not refused) is about @account_id; @out_kind: (optional) the
 * last one queued (what the account will be once it is sent). */
gboolean       pb_store_find_account_change (PbStore            *self,
                                             const char         *account_id,
                                             PbOperationKind    *out_kind);

/* POST /accounts/{id}/refresh: the account with its credentials checked (active, error or
 * expired, with a reason). Returns: (transfer full). */
void           pb_store_check_account_async (PbStore            *self,
                                             const char         *account_id,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
PbLinkedAccount *pb_store_check_account_finish (PbStore         *self,
                                                GAsyncResult    *result,
                                                GError         **error);

/**
 * PbConnectSession:
 * @token: what authenticates the session (it links an account: never shown or logged)
 * @url: (nullable): the page where the end user enters their credentials
 * @integration_id: the integration the account is linked to
 * @account_id: (nullable): the account it re-links, NULL for a new one
 * @expires_at: (nullable): when the session ends
 */
typedef struct
{
  char      *token;
  char      *url;
  char      *integration_id;
  char      *account_id;
  GDateTime *expires_at;
} PbConnectSession;

#define PB_TYPE_CONNECT_SESSION (pb_connect_session_get_type ())
GType             pb_connect_session_get_type (void) G_GNUC_CONST;
PbConnectSession *pb_connect_session_copy     (const PbConnectSession *session);
void              pb_connect_session_free     (PbConnectSession       *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbConnectSession, pb_connect_session_free)

/* POST /connect_sessions for @integration_id: a new account of the owner @owner_id
 * (@owner_name: nullable), or, with @account_id, a re-link of that account (same id, new
 * credentials). Returns: (transfer full). */
void           pb_store_create_connect_session_async  (PbStore            *self,
                                                       const char         *integration_id,
                                                       const char         *account_id,
                                                       const char         *owner_id,
                                                       const char         *owner_name,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
PbConnectSession *pb_store_create_connect_session_finish (PbStore         *self,
                                                          GAsyncResult    *result,
                                                          GError         **error);
/* POST /connect_sessions/authenticate with @credentials (element-type utf8 utf8: the auth
 * type's account fields as typed): the values go to the backend and nowhere else (not the
 * keyring, the replica or the queue). A refused field: PB_API_ERROR_VALIDATION with the
 * fields in pb_api_error_get_fields(). Returns: (transfer full) the linked account. */
void           pb_store_authenticate_connect_session_async  (PbStore            *self,
                                                             PbConnectSession   *session,
                                                             GHashTable         *credentials,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
PbLinkedAccount *pb_store_authenticate_connect_session_finish (PbStore         *self,
                                                               GAsyncResult    *result,
                                                               GError         **error);

/* The value of a secret field as this machine's keyring has it (NULL: not here).
 * Free it with pb_store_free_secret(). */
void           pb_store_lookup_secret_async (PbStore            *self,
                                             const char         *integration_id,
                                             const char         *field,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
char          *pb_store_lookup_secret_finish (PbStore           *self,
                                              GAsyncResult      *result,
                                              GError           **error);

/* Wipes and frees a value pb_store_lookup_secret_finish() returned. */
void           pb_store_free_secret          (char              *value);

/* A value the platform generated for the integration (a token to paste into the provider),
 * as the backend has it; free it with pb_store_free_generated_value(). */
void           pb_store_get_generated_value_async  (PbStore            *self,
                                                    const char         *integration_id,
                                                    const char         *field,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
char          *pb_store_get_generated_value_finish (PbStore           *self,
                                                    GAsyncResult      *result,
                                                    GError           **error);
void           pb_store_free_generated_value       (char              *value);

/* Removes from the keyring every credential kept for @integration_id (e.g. what the tries to
 * create an integration that was then given up stored); TRUE also when there was none. */
void           pb_store_clear_secrets_async  (PbStore            *self,
                                              const char         *integration_id,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean       pb_store_clear_secrets_finish (PbStore            *self,
                                              GAsyncResult       *result,
                                              GError            **error);

G_END_DECLS

#ifdef PB_STORE_SHOW_INTERNALS
#include "pb-store-internal.h"
#endif
