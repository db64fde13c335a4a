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
 *
 * The changes an admin makes to one integration: what the store applies (PbOperation) and
 * the outbox queues, one set of kinds and one set of names ("create", "update",
 * "change-auth-type", …, as the queue stores them).
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
} PbOperationKind;

const char *pb_operation_kind_to_string   (PbOperationKind  kind);
gboolean    pb_operation_kind_from_string (const char      *text,
                                           PbOperationKind *out_kind);

G_END_DECLS
