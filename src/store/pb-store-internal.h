/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* PbStore, PbProjectList and PbDemoBackend as the store layer and its tests see them: with
 * the client, the keyring, the replica and the sync they are made of. Not for src/ui (whose
 * build cannot find these headers). */

#include "pb-api.h"
#include "pb-offline.h"
#include "pb-paged-model.h"
#include "pb-secrets.h"
#include "pb-store.h"
#include "pb-project-list.h"
#include "pb-demo-backend.h"

G_BEGIN_DECLS

/* @backend: the backend URL (as in PbProjectConfig); @project_id: (nullable) the project's
 * id on the backend, NULL to take it from GET /project when loading. */
PbStore      *pb_store_new                       (PbClient            *client,
                                                  PbSecrets           *secrets,
                                                  const char          *backend,
                                                  const char          *project_id);
/* What the replica held, read off the main thread while the app started (transfer full):
 * the store's first load shows it instead of reading the replica itself, unless the replica
 * was written since. */
void          pb_store_set_preloaded_cache       (PbStore             *self,
                                                  PbReplicaCache      *cache);
/* PbProjectList and PbDemoBackend open a project's client, then its store, alike: a task on
 * @source tagged @source_tag, with a copy of the project's @id as its task data… */
GTask        *pb_store_open_task_new             (gpointer             source,
                                                  const char          *id,
                                                  gpointer             source_tag,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* …that ends in a store over @client (nullable) for @project (nullable), with the keys in
 * @secrets, or in @error (transfer full) when either is NULL… */
void          pb_store_open_task_return_store    (GTask               *task,
                                                  PbClient            *client,
                                                  PbSecrets           *secrets,
                                                  PbProjectConfig     *project,
                                                  GError              *error);
/* …and whose result (a PbClient or PbStore, transfer full) is taken with this. */
gpointer      pb_store_open_task_finish          (gpointer             source,
                                                  GAsyncResult        *result,
                                                  gpointer             source_tag,
                                                  GError             **error);
PbClient     *pb_store_get_client                (PbStore             *self);
PbSecrets    *pb_store_get_secrets               (PbStore             *self);
/* (transfer none) (nullable) until the project id is known */
PbSync       *pb_store_get_sync                  (PbStore             *self);
PbReplica    *pb_store_get_replica               (PbStore             *self);
/* While online, the store asks the backend what changed every @seconds (by default
 * PB_STORE_REFRESH_INTERVAL): another admin's changes show within that. */
#define PB_STORE_REFRESH_INTERVAL 60
void          pb_store_set_refresh_interval      (PbStore             *self,
                                                  guint                seconds);

/* A paged model over @client's list of @kind; @query: (nullable) its filters. */
PbPagedModel  *pb_paged_model_new              (PbClient         *client,
                                                PbPagedModelKind  kind,
                                                const PbQuery    *query,
                                                guint             page_size);
/* (transfer none) (nullable) */
const PbQuery *pb_paged_model_get_query        (PbPagedModel     *self);

/* New paged models; @query: (nullable) filters (integration_id, provider, status, q / for
 * logs: integration_id, account_id, success, start_date, …); @page_size 0: 25. */
PbPagedModel *pb_store_create_accounts_model     (PbStore             *self,
                                                  const PbQuery       *query,
                                                  guint                page_size);
PbPagedModel *pb_store_create_logs_model         (PbStore             *self,
                                                  const PbQuery       *query,
                                                  guint                page_size);

/* @secrets: the keyring the list keeps the API keys in. */
PbProjectList *pb_project_list_new_with_secrets  (GSettings           *settings,
                                                  PbSecrets           *secrets);
/* The project's API key; PB_STORE_ERROR_NO_API_KEY when the keyring has none.
 * Free the result with secret_password_free(). */
void          pb_project_list_get_api_key_async  (PbProjectList       *self,
                                                  const char          *id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char         *pb_project_list_get_api_key_finish (PbProjectList       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* A PbClient for the project, with its key from the keyring (or memory). */
void          pb_project_list_open_client_async  (PbProjectList       *self,
                                                  const char          *id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
PbClient     *pb_project_list_open_client_finish (PbProjectList       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* A client for one of the demo's projects, with the key it printed or the keyring kept. */
void          pb_demo_backend_open_client_async  (PbDemoBackend       *self,
                                                  const char          *local_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
PbClient     *pb_demo_backend_open_client_finish (PbDemoBackend       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* The keyring the demo keeps its keys in. */
PbSecrets    *pb_demo_backend_get_secrets        (PbDemoBackend       *self);

G_END_DECLS
