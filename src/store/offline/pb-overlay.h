/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-core.h"
#include "pb-outbox-entry.h"

G_BEGIN_DECLS

/*
 * What the admin sees while changes wait: the replica's integrations with the queued
 * entries applied, as pure functions (no I/O), following the same rules as the server
 * (src/core/pb-rules): a new integration is the default when it is the first of its
 * connector, making one the default takes it from the others, disabling makes every linked
 * account inactive, enabling makes them active, and so on.
 */

/* @integrations: (element-type PbIntegration) the replica's; @entries: a GListModel of
 * PbOutboxEntry in queue order (refused entries are skipped: the server did not take
 * them); @connectors: (nullable) (element-type PbConnector) for the labels, categories and
 * fields of new integrations and auth types.
 * Returns: (transfer full) (element-type PbIntegration): the integrations as the admin sees
 * them, in the replica's order with created ones last; unchanged ones are the same objects.
 * An integration created offline has version 0 until the server has it. */
GPtrArray *pb_overlay_apply (GPtrArray      *integrations,
                             GListModel     *entries,
                             GPtrArray      *connectors);

/* Whether the server would take @entry on top of @view (what pb_overlay_apply() gives):
 * FALSE with PB_CORE_ERROR_RULE and the server's sentence (pb_rules_* messages) when not.
 * @out_field_errors: (out) (optional) (transfer full): field key → sentence, as the API's
 * details.fields, when fields are the reason. */
gboolean   pb_overlay_check (GPtrArray      *view,
                             PbOutboxEntry  *entry,
                             GPtrArray      *connectors,
                             GHashTable    **out_field_errors,
                             GError        **error);

G_END_DECLS
