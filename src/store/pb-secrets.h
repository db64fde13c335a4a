/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define PB_SECRETS_SCHEMA_NAME   "io.github.plugboard.Plugboard.Credential"
#define PB_SECRETS_FIELD_API_KEY "api-key"

#define PB_TYPE_SECRETS (pb_secrets_get_type ())
G_DECLARE_FINAL_TYPE (PbSecrets, pb_secrets, PB, SECRETS, GObject)

/*
 * PbSecrets: credentials and API keys in the desktop keyring (libsecret, default collection).
 *
 * Every item uses the schema PB_SECRETS_SCHEMA_NAME with four string attributes:
 * `backend` (the backend URL as pb_client_normalize_url() gives it), `project`, `integration` and `field`. An API key is
 * the item with `field` = "api-key" and `integration` = "" (its `project` is the local id of
 * the configured project, see PbProjectList). All calls are asynchronous; a missing, locked
 * or refusing keyring gives a PB_STORE_ERROR_KEYRING_* error with a sentence for a person.
 * Values are never logged.
 */

const SecretSchema *pb_secrets_get_schema (void);

PbSecrets *pb_secrets_new (void);

/* Stores every field→value pair of @fields (char*→char*) for one integration, all or
 * nothing: when one fails, the ones this call already wrote get their previous value back
 * (or are cleared when they had none). */
void      pb_secrets_store_async               (PbSecrets           *self,
                                                const char          *backend,
                                                const char          *project,
                                                const char          *integration,
                                                GHashTable          *fields,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  pb_secrets_store_finish              (PbSecrets           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Returns (transfer full) the value, or NULL without an error when there is none. An item
 * behind a lock that stays closed (unlock prompt dismissed) is PB_STORE_ERROR_KEYRING_LOCKED,
 * never "none". Free the value with secret_password_free(), which wipes it. */
void      pb_secrets_lookup_async              (PbSecrets           *self,
                                                const char          *backend,
                                                const char          *project,
                                                const char          *integration,
                                                const char          *field,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char     *pb_secrets_lookup_finish             (PbSecrets           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Clears one field; TRUE also when there was nothing to clear. */
void      pb_secrets_clear_async               (PbSecrets           *self,
                                                const char          *backend,
                                                const char          *project,
                                                const char          *integration,
                                                const char          *field,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  pb_secrets_clear_finish              (PbSecrets           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Clears every field of one integration (never the project's API key). */
void      pb_secrets_clear_integration_async   (PbSecrets           *self,
                                                const char          *backend,
                                                const char          *project,
                                                const char          *integration,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  pb_secrets_clear_integration_finish  (PbSecrets           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Clears every item of one project on one backend: its integrations' credentials, and its
 * API key when that is kept under the same backend. */
void      pb_secrets_clear_project_async       (PbSecrets           *self,
                                                const char          *backend,
                                                const char          *project,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  pb_secrets_clear_project_finish      (PbSecrets           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The API key of a configured project (@project: its local id). @display_name is only
 * used for the item's label. */
void      pb_secrets_store_api_key_async       (PbSecrets           *self,
                                                const char          *backend,
                                                const char          *project,
                                                const char          *display_name,
                                                const char          *api_key,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  pb_secrets_store_api_key_finish      (PbSecrets           *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void      pb_secrets_lookup_api_key_async      (PbSecrets           *self,
                                                const char          *backend,
                                                const char          *project,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char     *pb_secrets_lookup_api_key_finish     (PbSecrets           *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void      pb_secrets_clear_api_key_async       (PbSecrets           *self,
                                                const char          *backend,
                                                const char          *project,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  pb_secrets_clear_api_key_finish      (PbSecrets           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
