/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Generated connector number @i, as the catalog file has it: "conn%05u", "Connector %05u",
 * one category of twelve in turn, one auth type: "api_key" with the end user's key as its
 * account field. With @vary_auth every third one's auth type is "oauth2" rather than
 * "api_key", on the platform's app or a client id and secret of the integration's own. */
JsonNode *pb_bench_connector_new (guint    i,
                                  gboolean vary_auth);

G_END_DECLS
