/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "pb-integration.h"

G_BEGIN_DECLS

typedef enum
{
  PB_ACCOUNT_STATUS_ACTIVE,
  PB_ACCOUNT_STATUS_INACTIVE,
  PB_ACCOUNT_STATUS_ERROR,
  PB_ACCOUNT_STATUS_SUSPENDED,   /* an admin's choice for one account */
  PB_ACCOUNT_STATUS_EXPIRED,     /* its credentials (an OAuth token) are past their expiry */
} PbAccountStatus;

#define PB_TYPE_ACCOUNT_STATUS (pb_account_status_get_type ())
GType        pb_account_status_get_type    (void) G_GNUC_CONST;
/* "active", "inactive", "error", "suspended", "expired"; FALSE when unknown. */
gboolean     pb_account_status_from_string (const char       *text,
                                            PbAccountStatus  *out_status);
const char  *pb_account_status_to_string   (PbAccountStatus   status);

/**
 * PbStatusReason:
 * @code: a machine code, e.g. "integration_disabled"
 * @description: (nullable): a sentence for a person
 * @timestamp: (nullable): when it happened
 */
typedef struct
{
  char      *code;
  char      *description;
  GDateTime *timestamp;
} PbStatusReason;

#define PB_TYPE_STATUS_REASON (pb_status_reason_get_type ())
GType           pb_status_reason_get_type (void) G_GNUC_CONST;
PbStatusReason *pb_status_reason_new      (const char           *code,
                                           const char           *description,
                                           GDateTime            *timestamp);
PbStatusReason *pb_status_reason_copy     (const PbStatusReason *reason);
void            pb_status_reason_free     (PbStatusReason       *reason);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbStatusReason, pb_status_reason_free)

#define PB_TYPE_LINKED_ACCOUNT (pb_linked_account_get_type ())
G_DECLARE_FINAL_TYPE (PbLinkedAccount, pb_linked_account, PB, LINKED_ACCOUNT, GObject)

PbLinkedAccount *pb_linked_account_new_from_json          (JsonObject       *object,
                                                           GError          **error);
JsonObject      *pb_linked_account_to_json                (PbLinkedAccount  *self);

const char      *pb_linked_account_get_id                 (PbLinkedAccount  *self);
const char      *pb_linked_account_get_provider           (PbLinkedAccount  *self);
const char      *pb_linked_account_get_provider_name      (PbLinkedAccount  *self);
const char      *pb_linked_account_get_integration_id     (PbLinkedAccount  *self);
const char      *pb_linked_account_get_origin_owner_id    (PbLinkedAccount  *self);
const char      *pb_linked_account_get_origin_owner_name  (PbLinkedAccount  *self);
const char      *pb_linked_account_get_origin_username    (PbLinkedAccount  *self);
const char      *pb_linked_account_get_label              (PbLinkedAccount  *self);
PbAccountStatus  pb_linked_account_get_status             (PbLinkedAccount  *self);
/* (transfer none) (element-type PbStatusReason) */
GPtrArray       *pb_linked_account_get_status_reasons     (PbLinkedAccount  *self);
/* (transfer none) (element-type utf8 PbSecretState) */
GHashTable      *pb_linked_account_get_credentials        (PbLinkedAccount  *self);
GDateTime       *pb_linked_account_get_created_at         (PbLinkedAccount  *self);
GDateTime       *pb_linked_account_get_updated_at         (PbLinkedAccount  *self);

G_END_DECLS
