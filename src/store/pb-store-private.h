/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A deep copy of @object (json_node_copy() only references objects and arrays, so a copy
 * made with it shares, and sees every change to, the original). NULL gives an empty
 * object. */
JsonObject *pb_store_copy_json_object (JsonObject *object);

/* The longest credential value the server takes (api.md: 8 KiB). */
#define PB_STORE_MAX_SECRET_BYTES 8192

G_END_DECLS
