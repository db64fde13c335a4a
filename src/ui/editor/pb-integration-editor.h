/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-core.h"
#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_INTEGRATION_EDITOR (pb_integration_editor_get_type ())
G_DECLARE_FINAL_TYPE (PbIntegrationEditor, pb_integration_editor, PB, INTEGRATION_EDITOR, AdwWindow)

/*
 * The editor dialog of ux.md ("Adding and editing"): name, auth type, the fields of the
 * chosen auth type built from the catalog, the OAuth callback URI, and the default
 * configuration. Saving goes through @store (credentials to the keyring first, then the
 * backend); a refusal is shown beside the field it names and the dialog stays open.
 *
 * @integration: (nullable): the integration to edit, or NULL to create one of @connector.
 */
PbIntegrationEditor *pb_integration_editor_new            (GtkWindow           *parent,
                                                           PbStore             *store,
                                                           PbConnector         *connector,
                                                           PbIntegration       *integration);

/* State, for tests and the window. */
gboolean             pb_integration_editor_get_dirty      (PbIntegrationEditor *self);
gboolean             pb_integration_editor_get_can_save   (PbIntegrationEditor *self);
gboolean             pb_integration_editor_get_saving     (PbIntegrationEditor *self);
/* (transfer none) (nullable): what keeps Save insensitive, or the last refusal. */
const char          *pb_integration_editor_get_problem    (PbIntegrationEditor *self);
/* (transfer none) (nullable): the message shown beside the field @key ("name" for the name). */
const char          *pb_integration_editor_get_field_message (PbIntegrationEditor *self,
                                                           const char          *key);
/* (transfer none) (nullable): the row of field @key of the current auth type ("name" and
 * "auth-type" and "default" for those rows): an AdwEntryRow, AdwPasswordEntryRow or AdwComboRow. */
GtkWidget           *pb_integration_editor_get_field_row  (PbIntegrationEditor *self,
                                                           const char          *key);
/* (transfer none) (nullable): the secret's "Set (ends in …wxyz)" text shown for @key. */
const char          *pb_integration_editor_get_secret_hint (PbIntegrationEditor *self,
                                                           const char          *key);
/* (transfer none) (nullable): the callback URI shown, NULL when the type has none. */
const char          *pb_integration_editor_get_callback_uri (PbIntegrationEditor *self);
/* (transfer none): the explanation under "Default configuration". */
const char          *pb_integration_editor_get_default_explanation (PbIntegrationEditor *self);
/* Whether the save went into the store's queue (backend out of reach) rather than to the
 * backend; the main window shows such changes as pending. */
gboolean             pb_integration_editor_get_queued     (PbIntegrationEditor *self);
/* (transfer none) (nullable): the integration after a successful save. */
PbIntegration       *pb_integration_editor_get_saved      (PbIntegrationEditor *self);

G_END_DECLS
