/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-outbox-entry.h"
#include "pb-replica.h"

G_BEGIN_DECLS

#define PB_TYPE_OUTBOX (pb_outbox_get_type ())
G_DECLARE_FINAL_TYPE (PbOutbox, pb_outbox, PB, OUTBOX, GObject)

/*
 * PbOutbox: the durable, ordered queue of changes not yet acknowledged by the server, in the
 * replica's database. It is a GListModel of PbOutboxEntry in queue order (all entries:
 * pending, in conflict and refused), for the "3 changes waiting to sync" list; an entry whose
 * state changes is replaced by a new object in its row (items-changed (i, 1, 1)).
 *
 * Each change is one SQLite transaction with synchronous=FULL: once a call returned, the
 * change survives quitting, SIGKILL and a power cut. An entry leaves the queue only through
 * pb_outbox_acknowledge() (the server took it) or pb_outbox_drop() (the admin chose so).
 *
 * Dependencies: an entry is sendable when it is pending and no earlier entry for the same
 * integration is in conflict or refused (it was made on top of that one).
 *
 * Base versions: entries queued on top of pending ones carry the version the admin saw (the
 * server's, or 0 for an integration created offline); when an entry is acknowledged, the
 * later entries of the same integration that were based on the same version are rebased on
 * the version the server answered, in the same transaction.
 */

PbOutbox      *pb_outbox_new               (PbReplica          *replica,
                                            GError            **error);
PbReplica     *pb_outbox_get_replica       (PbOutbox           *self);

/* Queues @entry (a new one, seq 0) at the end; returns its seq (> 0), or 0 with @error set.
 * The payload's `secrets` may only hold nulls (PB_OFFLINE_ERROR_SECRET_VALUE otherwise). */
gint64         pb_outbox_append            (PbOutbox           *self,
                                            PbOutboxEntry      *entry,
                                            GError            **error);
/* (transfer none) (nullable) */
PbOutboxEntry *pb_outbox_lookup            (PbOutbox           *self,
                                            gint64              seq);
/* The first sendable entry (transfer none) (nullable). */
PbOutboxEntry *pb_outbox_peek_sendable     (PbOutbox           *self);
guint          pb_outbox_count             (PbOutbox           *self,
                                            PbOutboxState       state);
/* Whether any entry (of any state) concerns @integration_id. */
gboolean       pb_outbox_has_entries_for   (PbOutbox           *self,
                                            const char         *integration_id);

/* The server took entry @seq: removes it, stores @answer (the integration as the server
 * returned it; NULL for a delete, which removes the integration from the replica) and
 * rebases the later entries, all in one transaction. When @answer is the default, the
 * other integrations of its connector in the replica stop being it (as on the server). */
gboolean       pb_outbox_acknowledge       (PbOutbox           *self,
                                            gint64              seq,
                                            JsonObject         *answer,
                                            GError            **error);
/* 412: pauses entry @seq with the server's version @current (details.current). */
gboolean       pb_outbox_mark_conflict     (PbOutbox           *self,
                                            gint64              seq,
                                            JsonObject         *current,
                                            const char         *message,
                                            GError            **error);
/* Another refusal: keeps entry @seq, with the server's @code and @message for the admin. */
gboolean       pb_outbox_mark_refused      (PbOutbox           *self,
                                            gint64              seq,
                                            const char         *code,
                                            const char         *message,
                                            GError            **error);

/* Resolutions. Each stores the server's version of a conflicting entry in the replica.
 * Keep mine: the entry (and the later ones of its integration made on the same version)
 * is rebased on the server's version and pending again. */
gboolean       pb_outbox_rebase            (PbOutbox           *self,
                                            gint64              seq,
                                            GError            **error);
/* Keep theirs (or dismiss a refused entry): removes entry @seq; the later entries of its
 * integration made on the same version are rebased on the server's version. */
gboolean       pb_outbox_drop              (PbOutbox           *self,
                                            gint64              seq,
                                            GError            **error);
/* Edit: replaces entry @seq's payload and secret fields (same place in the queue), rebased
 * on the server's version, pending again. */
gboolean       pb_outbox_requeue           (PbOutbox           *self,
                                            gint64              seq,
                                            JsonObject         *payload,
                                            const char * const *secret_fields,
                                            GError            **error);

G_END_DECLS
