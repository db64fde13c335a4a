/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

/*
 * What the admin sees of the offline layer. Each widget follows one PbStore.
 *
 * PbSyncIndicator (header bar): "Synced", a spinner while syncing, "Offline", or
 * "3 changes waiting to sync"; a popover lists the queued changes (description, state,
 * the server's sentence for refused ones) with a "Sync now" button. A refused change has
 * "Edit…" (widget name "edit": the change's editor) and "Discard" (name "discard") buttons;
 * one in conflict a "Resolve…" button (name "resolve") that opens a PbConflictDialog.
 */
#define PB_TYPE_SYNC_INDICATOR (pb_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (PbSyncIndicator, pb_sync_indicator, PB, SYNC_INDICATOR, AdwBin)

GtkWidget  *pb_sync_indicator_new             (PbStore         *store);
/* The sentence shown (and the button's accessible name). */
const char *pb_sync_indicator_get_summary     (PbSyncIndicator *self);
/* (transfer none): the list of queued changes in the popover, one row per change. */
GtkListBox *pb_sync_indicator_get_list        (PbSyncIndicator *self);
/* (transfer none): the popover's "Sync now" button. */
GtkButton  *pb_sync_indicator_get_sync_button (PbSyncIndicator *self);

/*
 * PbOfflineBanner: a bar under the header bar, revealed while the store shows the cache
 * because the backend cannot be reached: "Offline — showing the state of <time>" and
 * "Sync now" (libadwaita 1.2 has no AdwBanner).
 */
#define PB_TYPE_OFFLINE_BANNER (pb_offline_banner_get_type ())
G_DECLARE_FINAL_TYPE (PbOfflineBanner, pb_offline_banner, PB, OFFLINE_BANNER, AdwBin)

GtkWidget  *pb_offline_banner_new             (PbStore         *store);
gboolean    pb_offline_banner_get_revealed    (PbOfflineBanner *self);
const char *pb_offline_banner_get_text        (PbOfflineBanner *self);
GtkButton  *pb_offline_banner_get_sync_button (PbOfflineBanner *self);

/*
 * PbConflictDialog: a queued change met someone else's (PbStore::conflict). Shows each field
 * whose versions differ (labels from the catalog; for credentials only whether each is set
 * and its hint, "Changed" for one the change sends; never a value): Mine is the change
 * applied on the server's version, Theirs the server's version. Responses: "mine" (Keep
 * Mine: the change is sent again on top of theirs), "theirs" (Keep Theirs: dropped), "edit"
 * (opens an editor of the change, field by field, starting from the admin's values, with a
 * check button per credential it sends; its "send" re-queues the change as edited, "cancel"
 * sends nothing), "cancel" (Later: the change stays, needing a decision).
 */
#define PB_TYPE_CONFLICT_DIALOG (pb_conflict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbConflictDialog, pb_conflict_dialog, PB, CONFLICT_DIALOG,
                      AdwMessageDialog)

/* @entry: the change in conflict; @theirs: the server's version (details.current). */
GtkWidget  *pb_conflict_dialog_new            (GtkWindow       *parent,
                                               PbStore         *store,
                                               PbOutboxEntry   *entry,
                                               JsonObject      *theirs);
/* Opens the editor of a refused change on its own (as "edit" does for a conflict); returns
 * it (transfer none). */
GtkWidget   *pb_conflict_dialog_edit_change     (GtkWindow        *parent,
                                                 PbStore          *store,
                                                 PbOutboxEntry    *entry);
/* (transfer none) (nullable): the editor "edit" opened (an AdwMessageDialog), NULL before. */
GtkWidget   *pb_conflict_dialog_get_editor      (PbConflictDialog *self);
/* (transfer none) (nullable): in the editor, the entry of a field of the change ("name", or
 * a plain config field key), NULL when the change does not set it. */
GtkEditable *pb_conflict_dialog_get_field_entry (PbConflictDialog *self,
                                                 const char       *field);
/* (transfer none) (nullable): in the editor, "Send my new …" of a credential the change sends. */
GtkCheckButton *pb_conflict_dialog_get_secret_toggle (PbConflictDialog *self,
                                                      const char       *field);
/* The error of the last resolution (nullable), e.g. when the store refused it. */
const GError *pb_conflict_dialog_get_error    (PbConflictDialog *self);

G_END_DECLS
