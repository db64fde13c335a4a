/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pb-auth-type.h"
#include "pb-json-scan.h"

G_BEGIN_DECLS

#define PB_TYPE_CONNECTOR (pb_connector_get_type ())
G_DECLARE_FINAL_TYPE (PbConnector, pb_connector, PB, CONNECTOR, GObject)

PbConnector        *pb_connector_new_from_json            (JsonObject   *object,
                                                           GError      **error);
/* The same object (with its auth types and fields) read from JSON text in place (see
 * PbJsonScan): NULL, without an error, for anything it does not read; then the caller reads
 * the text with json-glib and pb_connector_new_from_json(). */
PbConnector        *pb_connector_new_from_scan            (PbJsonScan   *scan);
JsonObject         *pb_connector_to_json                  (PbConnector  *self);

const char         *pb_connector_get_provider             (PbConnector  *self);
const char         *pb_connector_get_provider_name        (PbConnector  *self);
const char         *pb_connector_get_category             (PbConnector  *self);
const char * const *pb_connector_get_categories           (PbConnector  *self);
const char         *pb_connector_get_description          (PbConnector  *self);
const char         *pb_connector_get_docs_url             (PbConnector  *self);
const char         *pb_connector_get_logo_url             (PbConnector  *self);
gboolean            pb_connector_get_available            (PbConnector  *self);
const char         *pb_connector_get_unavailable_reason   (PbConnector  *self);
GListModel         *pb_connector_get_auth_types           (PbConnector  *self);
PbAuthType         *pb_connector_find_auth_type           (PbConnector  *self,
                                                           const char   *key);

G_END_DECLS
