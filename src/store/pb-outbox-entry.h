/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "pb-operation-kind.h"

G_BEGIN_DECLS

/**
 * PbOutboxState:
 * @PB_OUTBOX_STATE_PENDING: waiting to be sent
 * @PB_OUTBOX_STATE_CONFLICT: the server answered 412: someone changed the integration
 *   meanwhile; paused until the admin resolves it (the entry holds the server's version)
 * @PB_OUTBOX_STATE_REFUSED: the server refused it (the entry holds the server's sentence);
 *   kept until the admin dismisses or edits it
 */
typedef enum
{
  PB_OUTBOX_STATE_PENDING,
  PB_OUTBOX_STATE_CONFLICT,
  PB_OUTBOX_STATE_REFUSED,
} PbOutboxState;

#define PB_TYPE_OUTBOX_ENTRY (pb_outbox_entry_get_type ())
G_DECLARE_FINAL_TYPE (PbOutboxEntry, pb_outbox_entry, PB, OUTBOX_ENTRY, GObject)

/*
 * PbOutboxEntry: one queued change, immutable. A new entry (seq 0) is handed to
 * pb_outbox_append(); the outbox's list holds the stored ones (seq > 0), replaced by new
 * objects when their state changes.
 *
 * The payload is the request body WITHOUT secret values: its `secrets` object may only hold
 * nulls (fields to clear); @secret_fields names the fields whose values the sync takes from
 * the keyring (under the entry's integration id) when it sends the change.
 */
PbOutboxEntry      *pb_outbox_entry_new               (PbOperationKind     kind,
                                                       const char         *integration_id,
                                                       gint64              base_version,
                                                       JsonObject         *payload,
                                                       const char * const *secret_fields);
/* {kind, integration_id, base_version, payload, secret_fields}: pb_operation_to_json(). */
PbOutboxEntry      *pb_outbox_entry_new_from_json     (JsonObject         *object,
                                                       GError            **error);
JsonObject         *pb_outbox_entry_to_json           (PbOutboxEntry      *self);

gint64              pb_outbox_entry_get_seq           (PbOutboxEntry      *self);
PbOperationKind     pb_outbox_entry_get_kind          (PbOutboxEntry      *self);
const char         *pb_outbox_entry_get_integration_id (PbOutboxEntry     *self);
/* -1: none (creates). */
gint64              pb_outbox_entry_get_base_version  (PbOutboxEntry      *self);
/* (transfer none) */
JsonObject         *pb_outbox_entry_get_payload       (PbOutboxEntry      *self);
/* (transfer none), never NULL */
const char * const *pb_outbox_entry_get_secret_fields (PbOutboxEntry      *self);
PbOutboxState       pb_outbox_entry_get_state         (PbOutboxEntry      *self);
/* (nullable): the server's error code and sentence (conflict, refused) */
const char         *pb_outbox_entry_get_code          (PbOutboxEntry      *self);
const char         *pb_outbox_entry_get_message       (PbOutboxEntry      *self);
/* (transfer none) (nullable): the integration as the server has it now (conflict) */
JsonObject         *pb_outbox_entry_get_current       (PbOutboxEntry      *self);
/* (transfer none) (nullable): when it was queued */
GDateTime          *pb_outbox_entry_get_created_at    (PbOutboxEntry      *self);
/* A sentence for the pending list, e.g. "Rename to “Payroll”" (translated). */
char               *pb_outbox_entry_describe          (PbOutboxEntry      *self);

G_END_DECLS
