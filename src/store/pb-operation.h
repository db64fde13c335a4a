/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "pb-core.h"

G_BEGIN_DECLS

#define PB_TYPE_OPERATION (pb_operation_get_type ())
G_DECLARE_FINAL_TYPE (PbOperation, pb_operation, PB, OPERATION, GObject)

/*
 * PbOperation: one change to one integration, as an immutable value.
 *
 * - kind and integration id (for a create: a UUID chosen here with g_uuid_string_random(),
 *   so that an offline create keeps its id and its keyring items after it is synced);
 * - base version: the integration's version the change was made on (sent as If-Match),
 *   -1 for none (and for creates);
 * - payload: the request body exactly as it will be sent, WITHOUT secret values;
 * - secret fields: the keys of the credential values that go into the body's `secrets` at
 *   send time. Their values are never in the operation: PbStore takes them from the table
 *   handed to pb_store_apply_async() (and keeps them in the keyring first), or from the
 *   keyring when the table does not have them (a replayed operation).
 * pb_operation_to_json() / pb_operation_new_from_json() round-trip it (for the outbox).
 */

PbOperation        *pb_operation_new                    (PbOperationKind     kind,
                                                         const char         *integration_id,
                                                         gint64              base_version,
                                                         JsonObject         *payload,
                                                         const char * const *secret_fields);

/* @name: (nullable) (the server uses the auth type's label); @config: (nullable) non-secret
 * fields (string values); @secret_fields: (nullable). */
PbOperation        *pb_operation_new_create             (const char         *connector_key,
                                                         const char         *auth_type_key,
                                                         const char         *name,
                                                         gboolean            make_default,
                                                         JsonObject         *config,
                                                         const char * const *secret_fields);
/* @name and @config: (nullable); a config member set to null removes the optional field.
 * With neither, the update changes what pb_operation_set_oauth_app() adds. */
PbOperation        *pb_operation_new_update             (const char         *integration_id,
                                                         gint64              base_version,
                                                         const char         *name,
                                                         JsonObject         *config);
PbOperation        *pb_operation_new_change_auth_type   (const char         *integration_id,
                                                         gint64              base_version,
                                                         const char         *auth_type_key,
                                                         JsonObject         *config,
                                                         const char * const *secret_fields);
/* @cleared_fields: (nullable) optional secret fields to clear (sent as null). */
PbOperation        *pb_operation_new_set_credentials    (const char         *integration_id,
                                                         gint64              base_version,
                                                         const char * const *secret_fields,
                                                         const char * const *cleared_fields);
/* One save of the editor on an existing integration, as one change (one PATCH): any mix of
 * @name, @auth_type_key, @config (a null member removes the optional field), @secret_fields
 * and @make_default; NULL/empty for what did not change. Its kind names the only part that
 * changed (CHANGE_AUTH_TYPE whenever the auth type does), UPDATE for a mix. NULL when
 * nothing changed. */
PbOperation        *pb_operation_new_edit               (const char         *integration_id,
                                                         gint64              base_version,
                                                         const char         *name,
                                                         const char         *auth_type_key,
                                                         JsonObject         *config,
                                                         const char * const *secret_fields,
                                                         gboolean            make_default);
PbOperation        *pb_operation_new_simple             (PbOperationKind     kind,
                                                         const char         *integration_id,
                                                         gint64              base_version);

/* Suspend, resume or delete one linked account (PB_OPERATION_SUSPEND_ACCOUNT, …): queued
 * like the integration's own changes, in its order. The payload holds the account's id and
 * owner (for the pending list); the request's body is made from it when it is sent. */
PbOperation        *pb_operation_new_account            (PbOperationKind     kind,
                                                         PbLinkedAccount    *account);
/* (nullable): the linked account an account's change is about, NULL for other kinds. */
const char         *pb_operation_get_account_id         (PbOperation        *self);

/* Whose OAuth app the integration uses after a create, a change of auth type or an update
 * (api.md, "oauth_app"); PB_OAUTH_APP_NONE sends null. */
void                pb_operation_set_oauth_app          (PbOperation        *self,
                                                         PbOAuthApp          app);

PbOperationKind     pb_operation_get_kind               (PbOperation        *self);
const char         *pb_operation_get_integration_id     (PbOperation        *self);
gint64              pb_operation_get_base_version       (PbOperation        *self);
/* (transfer none) */
JsonObject         *pb_operation_get_payload            (PbOperation        *self);
/* (transfer none), never NULL */
const char * const *pb_operation_get_secret_fields      (PbOperation        *self);

JsonObject         *pb_operation_to_json                (PbOperation        *self);
PbOperation        *pb_operation_new_from_json          (JsonObject         *object,
                                                         GError            **error);

G_END_DECLS
