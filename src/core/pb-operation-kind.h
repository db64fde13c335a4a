/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PbOperationKind:
 * @PB_OPERATION_CREATE: POST /integrations (the id is chosen by the client)
 * @PB_OPERATION_UPDATE: PATCH name and/or config
 * @PB_OPERATION_CHANGE_AUTH_TYPE: PATCH authentication_config_key (+ config, secrets)
 * @PB_OPERATION_SET_CREDENTIALS: PATCH secrets (set, or clear optional ones)
 * @PB_OPERATION_ENABLE: PATCH active: true
 * @PB_OPERATION_DISABLE: PATCH active: false
 * @PB_OPERATION_MAKE_DEFAULT: PATCH default: true
 * @PB_OPERATION_DELETE: DELETE
 * @PB_OPERATION_SUSPEND_ACCOUNT: PATCH /accounts/{id} status: suspended
 * @PB_OPERATION_RESUME_ACCOUNT: PATCH /accounts/{id} status: active
 * @PB_OPERATION_DELETE_ACCOUNT: DELETE /accounts/{id}
 *
 * The changes an admin makes to one integration, or to one of its linked accounts: what
 * the store applies (PbOperation) and the outbox queues, one set of kinds and one set of
 * names ("create", "update", "change-auth-type", …, as the queue stores them). An account's
 * change names its integration (the queue keeps an integration's changes in order) and
 * carries the account in its payload (pb_operation_new_account()).
 */
typedef enum
{
  PB_OPERATION_CREATE,
  PB_OPERATION_UPDATE,
  PB_OPERATION_CHANGE_AUTH_TYPE,
  PB_OPERATION_SET_CREDENTIALS,
  PB_OPERATION_ENABLE,
  PB_OPERATION_DISABLE,
  PB_OPERATION_MAKE_DEFAULT,
  PB_OPERATION_DELETE,
  PB_OPERATION_SUSPEND_ACCOUNT,
  PB_OPERATION_RESUME_ACCOUNT,
  PB_OPERATION_DELETE_ACCOUNT,
} PbOperationKind;

const char *pb_operation_kind_to_string   (PbOperationKind  kind);
gboolean    pb_operation_kind_from_string (const char      *text,
                                           PbOperationKind *out_kind);
/* Whether @kind changes a linked account rather than the integration itself. */
gboolean    pb_operation_kind_is_account  (PbOperationKind  kind);

G_END_DECLS
