/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-outbox-entry.h"

G_BEGIN_DECLS

PbOutboxEntry *pb_outbox_entry_new_full (gint64              seq,
                                         PbOutboxKind        kind,
                                         const char         *integration_id,
                                         gint64              base_version,
                                         JsonObject         *payload,
                                         const char * const *secret_fields,
                                         PbOutboxState       state,
                                         const char         *code,
                                         const char         *message,
                                         JsonObject         *current,
                                         GDateTime          *created_at);
/* A deep copy; NULL for NULL. */
JsonObject    *pb_outbox_copy_object    (JsonObject         *object);

G_END_DECLS
