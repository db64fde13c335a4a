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

G_END_DECLS
