/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pb-paged-model.h"
#include "pb-replica.h"

G_BEGIN_DECLS

/* A deep copy of @object (json_node_copy() only references objects and arrays, so a copy
 * made with it shares, and sees every change to, the original). NULL gives an empty
 * object. */
JsonObject *pb_store_copy_json_object (JsonObject *object);

/* Pages are saved to @replica after they arrive, and read from it when the backend cannot
 * be reached (nullable: no cache). */
void        pb_paged_model_set_replica (PbPagedModel *self,
                                        PbReplica    *replica);

/* The longest credential value the server takes (api.md: 8 KiB). */
#define PB_STORE_MAX_SECRET_BYTES 8192

G_END_DECLS
