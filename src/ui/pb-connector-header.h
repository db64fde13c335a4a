/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PB_TYPE_CONNECTOR_HEADER (pb_connector_header_get_type ())
G_DECLARE_FINAL_TYPE (PbConnectorHeader, pb_connector_header, PB, CONNECTOR_HEADER, GObject)

/*
 * PbConnectorHeader: the item that starts a connector's group in the integration list
 * (GTK 4.8 has no list sections, so PbGroupedModel interleaves these with the integrations).
 */
PbConnectorHeader *pb_connector_header_new                 (const char        *connector_key,
                                                            const char        *connector_label,
                                                            const char        *category);
const char        *pb_connector_header_get_connector_label (PbConnectorHeader *self);
const char        *pb_connector_header_get_category        (PbConnectorHeader *self);

G_END_DECLS
