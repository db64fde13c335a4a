/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-replica.h"

G_BEGIN_DECLS

/*
 * PbReplicaCache: what a replica held at one moment, read off the main thread so that a
 * start shows the cached project without parsing it on the main thread: the project, the
 * connectors and the integrations, with the sync token given with those integrations and the
 * replica's generation then (all read in one transaction).
 */
typedef struct
{
  PbProject *project;
  GPtrArray *connectors;     /* PbConnector, in the order saved */
  GPtrArray *integrations;   /* PbIntegration, in the order saved */
  char      *sync_token;     /* nullable */
  gint64     generation;
} PbReplicaCache;

void            pb_replica_cache_free        (PbReplicaCache      *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbReplicaCache, pb_replica_cache_free)

/* Reads the replica of @project_id on @backend in a worker thread, on a connection of its
 * own. Finishes with NULL and no error when nothing is cached (no replica, or no project in
 * it). */
void            pb_replica_read_cache_async  (const char          *backend,
                                              const char          *project_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
PbReplicaCache *pb_replica_read_cache_finish (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
