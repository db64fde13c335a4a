/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-outbox.h"
#include "pb-outbox-entry.h"

G_BEGIN_DECLS

PbOutboxEntry *pb_outbox_entry_new_full (gint64              seq,
                                         PbOperationKind     kind,
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

/* For the files of PbOutbox (pb-outbox.c, pb-outbox-resolve.c). */
struct _PbOutbox
{
  GObject parent_instance;

  PbReplica *replica;
  GPtrArray *entries;   /* PbOutboxEntry, by seq */
};

/* A pending change of the in-memory list, applied after the transaction committed. */
typedef struct
{
  guint index;
  PbOutboxEntry *replacement;   /* NULL: removed */
} PbOutboxChange;

GArray        *pb_outbox_changes_new      (void);
gboolean       pb_outbox_check_payload    (JsonObject          *payload,
                                           GError             **error);
gboolean       pb_outbox_lookup_or_fail   (PbOutbox            *self,
                                           gint64               seq,
                                           guint               *out_index,
                                           GError             **error);
void           pb_outbox_notify_counts    (PbOutbox            *self);
/* A copy of @entry with another base version, state and outcome. */
PbOutboxEntry *pb_outbox_copy_entry_with  (PbOutboxEntry       *entry,
                                           gint64               base_version,
                                           JsonObject          *payload,
                                           const char * const  *secret_fields,
                                           PbOutboxState        state,
                                           const char          *code,
                                           const char          *message,
                                           JsonObject          *current);
/* Inside the caller's transaction. */
gboolean       pb_outbox_update_row       (PbOutbox            *self,
                                           PbOutboxEntry       *entry,
                                           GError             **error);
gboolean       pb_outbox_delete_row       (PbOutbox            *self,
                                           gint64               seq,
                                           GError             **error);
gboolean       pb_outbox_rebase_followers (PbOutbox            *self,
                                           guint                index,
                                           PbOutboxEntry       *entry,
                                           gint64               old_base,
                                           gint64               new_base,
                                           GArray              *changes,
                                           GError             **error);

G_END_DECLS
