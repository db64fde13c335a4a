/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-replica"

#include "config.h"

#include "pb-replica-cache.h"

#include "pb-replica-private.h"

void
pb_replica_cache_free (PbReplicaCache *cache)
{
  if (cache == NULL)
    return;
  g_clear_object (&cache->project);
  g_clear_pointer (&cache->connectors, g_ptr_array_unref);
  g_clear_pointer (&cache->integrations, g_ptr_array_unref);
  g_free (cache->sync_token);
  g_free (cache);
}

static PbReplicaCache *
read_cache (PbReplica  *replica,
            GError    **error)
{
  g_autoptr(PbReplicaCache) cache = g_new0 (PbReplicaCache, 1);

  /* A read transaction: the parts are of one moment, whatever another connection writes. */
  if (!pb_replica_exec (replica, "BEGIN", error))
    return NULL;
  cache->generation = pb_replica_get_generation (replica);
  cache->sync_token = pb_replica_get_sync_token (replica);
  cache->project = pb_replica_load_project (replica, error);
  if (cache->project != NULL)
    {
      cache->connectors = pb_replica_load_connectors (replica, error);
      if (cache->connectors != NULL)
        cache->integrations = pb_replica_load_integrations (replica, error);
    }
  pb_replica_exec (replica, "COMMIT", NULL);
  if (cache->project == NULL || cache->connectors == NULL || cache->integrations == NULL)
    return NULL;
  /* The collation keys the store sorts by, made here rather than on the main thread (each
   * integration makes its own once; nothing else uses these objects yet). */
  for (guint i = 0; i < cache->integrations->len; i++)
    {
      const char *label, *name;

      pb_integration_get_sort_keys (g_ptr_array_index (cache->integrations, i), &label, &name);
    }
  return g_steal_pointer (&cache);
}

static void
read_cache_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(PbReplica) replica = NULL;
  GError *error = NULL;
  PbReplicaCache *cache;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  /* Opened in this thread, used and closed in it. */
  replica = pb_replica_open_path (path, &error);
  if (replica == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cache = read_cache (replica, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cache, (GDestroyNotify) pb_replica_cache_free);
}

void
pb_replica_read_cache_async (const char          *backend,
                             const char          *project_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (backend != NULL);
  g_return_if_fail (project_id != NULL && *project_id != '\0');

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_replica_read_cache_async);
  g_task_set_task_data (task, pb_replica_path_for (backend, project_id), g_free);
  g_task_run_in_thread (task, read_cache_thread);
}

PbReplicaCache *
pb_replica_read_cache_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_replica_read_cache_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
