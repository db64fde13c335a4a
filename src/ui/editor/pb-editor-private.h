/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The connector picker and the integration editor with their insides (template children,
 * the form's rows and state), for the tests and benchmarks that drive them as a person would;
 * nothing else in src uses this beyond the two widgets' own files. */

#include "pb-category-model.h"
#include "pb-connector-picker.h"
#include "pb-editor.h"
#include "pb-integration-editor-private.h"

G_BEGIN_DECLS

void               pb_connector_picker_set_search_text    (PbConnectorPicker *self,
                                                           const char        *text);
/* (transfer none) The shown items: PbCategoryHeader and PbConnector objects; one model for
 * the picker's life, updated in place by each search. */
GListModel        *pb_connector_picker_get_shown          (PbConnectorPicker *self);
/* (transfer none) (nullable) The connector Enter would choose. */
PbConnector       *pb_connector_picker_get_selected       (PbConnectorPicker *self);
/* Moves the selection to the next (@step 1) or previous (-1) available connector. */
void               pb_connector_picker_move_selection     (PbConnectorPicker *self,
                                                           int                step);
/* Chooses the selected connector, as Enter does; FALSE when none is selectable. */
gboolean           pb_connector_picker_choose_selected    (PbConnectorPicker *self);

gboolean             pb_integration_editor_get_dirty      (PbIntegrationEditor *self);
gboolean             pb_integration_editor_get_can_save   (PbIntegrationEditor *self);
gboolean             pb_integration_editor_get_saving     (PbIntegrationEditor *self);
/* (transfer none) (nullable): what keeps Save insensitive, or the last refusal. */
const char          *pb_integration_editor_get_problem    (PbIntegrationEditor *self);
/* (transfer none) (nullable): the message shown beside the field @key ("name" for the name). */
const char          *pb_integration_editor_get_field_message (PbIntegrationEditor *self,
                                                           const char          *key);
/* (transfer none) (nullable): the row of field @key of the current auth type ("name",
 * "auth-type", "oauth-app" and "default" for those rows): an AdwEntryRow, AdwPasswordEntryRow
 * or AdwComboRow, or the AdwActionRow of a generated value. */
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

G_END_DECLS
