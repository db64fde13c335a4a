/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-core.h"

G_BEGIN_DECLS

#define PB_TYPE_CONNECTOR_PICKER (pb_connector_picker_get_type ())
G_DECLARE_FINAL_TYPE (PbConnectorPicker, pb_connector_picker, PB, CONNECTOR_PICKER, AdwWindow)

/*
 * The first step of "Add integration": a modal window listing every connector of
 * @connectors (a GListModel of PbConnector) grouped by category, searchable as you type.
 * Connectors outside the plan are shown, insensitive, with their reason. Choosing one
 * emits ::connector-chosen and closes the window.
 */
PbConnectorPicker *pb_connector_picker_new                (GtkWindow         *parent,
                                                           GListModel        *connectors);

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

G_END_DECLS
