/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-demo-backend"

#include "config.h"

#include "pb-demo-backend-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

/* Reset */

typedef struct
{
  GPtrArray *local_ids;     /* the old demo projects' local ids (their keys' names) */
  GPtrArray *project_ids;   /* their ids on the demo server */
  GStrv      urls;          /* every URL the old demo served at */
  guint      next;          /* the next key, then the next (URL, project) to clear */
} ResetData;

static void
reset_data_free (ResetData *data)
{
  g_clear_pointer (&data->local_ids, g_ptr_array_unref);
  g_clear_pointer (&data->project_ids, g_ptr_array_unref);
  g_clear_pointer (&data->urls, g_strfreev);
  g_free (data);
}

static void
add_old_project (ResetData  *data,
                 const char *project_id)
{
  g_autofree char *local_id = NULL;

  if (project_id == NULL || *project_id == '\0')
    return;
  for (guint i = 0; i < data->project_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (data->project_ids, i), project_id))
      return;
  local_id = g_strconcat (PB_DEMO_PROJECT_PREFIX, project_id, NULL);
  g_ptr_array_add (data->project_ids, g_strdup (project_id));
  g_ptr_array_add (data->local_ids, g_steal_pointer (&local_id));
}

static void
reset_return_error (GTask  *task,
                    GError *error)
{
  PbDemoBackend *self = g_task_get_source_object (task);

  self->resetting = FALSE;
  g_task_return_error (task, error);
}

static void
reset_started_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PbDemoBackend *self = PB_DEMO_BACKEND (source);
  g_autoptr(GError) error = NULL;

  if (!pb_demo_backend_start_finish (self, result, &error))
    {
      reset_return_error (task, g_error_new (error->domain, error->code,
                                             _("The local demo's old data was removed, but the "
                                               "demo could not be started again: %s"),
                                             error->message));
      return;
    }
  self->resetting = FALSE;
  g_task_return_boolean (task, TRUE);
}

/* Unlinks @path; TRUE also when it was not there. */
static gboolean
remove_file (const char  *path,
             GError     **error)
{
  int saved_errno;

  if (g_unlink (path) == 0)
    return TRUE;
  saved_errno = errno;
  if (saved_errno == ENOENT)
    return TRUE;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not delete %s: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* The database first (with it gone, the next start seeds a new demo whatever else is
 * left), then its key file, its SQLite side files and the notes kept beside it. Only the
 * demo's own files in the demo's own folder. */
static gboolean
remove_demo_files (GError **error)
{
  g_autofree char *dir = pb_demo_backend_dir ();
  g_autofree char *db = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) rest = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (!remove_file (db, error))
    return FALSE;

  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "demo.db") || g_str_equal (name, "projects.json")
        || g_str_equal (name, URLS_FILE))
      g_ptr_array_add (rest, g_build_filename (dir, name, NULL));

  for (guint i = 0; i < rest->len; i++)
    if (!remove_file (g_ptr_array_index (rest, i), error))
      return FALSE;
  return TRUE;
}

/* The offline caches the store kept for the old projects, one per (URL, project id): the
 * new demo's projects have new ids, so they would only be orphans. */
static void
remove_offline_caches (ResetData *data)
{
  for (guint u = 0; data->urls[u] != NULL; u++)
    for (guint p = 0; p < data->project_ids->len; p++)
      {
        g_autoptr(GError) error = NULL;

        if (!pb_replica_delete_files (data->urls[u], g_ptr_array_index (data->project_ids, p),
                                      &error))
          g_warning ("The local demo's old offline cache remains: %s", error->message);
      }
}

static void
reset_remove_and_start (GTask *task)
{
  PbDemoBackend *self = g_task_get_source_object (task);
  ResetData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Stop it, and its projects go from the list (the windows see them go). */
  pb_demo_backend_stop (self);
  g_list_store_remove_all (self->projects);
  g_hash_table_remove_all (self->keys);

  if (!remove_demo_files (&error))
    {
      reset_return_error (task, g_error_new (error->domain, error->code,
                                             _("The local demo was stopped, but its old data "
                                               "could not be deleted. %s"),
                                             error->message));
      return;
    }
  remove_offline_caches (data);

  /* A fresh database: `demo --db` seeds it and prints the new projects and keys. */
  pb_demo_backend_start_async (self, g_task_get_cancellable (task), reset_started_cb,
                               g_object_ref (task));
}

static void clear_next_credentials (GTask *task);

static void
clear_credentials_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The credentials typed into the old demo's integrations: demo data, but secrets all the
   * same; should the keyring refuse, they stay (and say so) without stopping the reset. */
  if (!pb_secrets_clear_project_finish (PB_SECRETS (source), result, &error))
    g_warning ("Some credentials of the old local demo remain in the keyring: %s",
               error->message);
  clear_next_credentials (task);
}

static void
clear_next_credentials (GTask *task)
{
  PbDemoBackend *self = g_task_get_source_object (task);
  ResetData *data = g_task_get_task_data (task);
  guint n_projects = data->project_ids->len;
  guint n_urls = g_strv_length (data->urls);
  guint u, p;

  if (n_projects == 0 || data->next >= n_urls * n_projects)
    {
      reset_remove_and_start (task);
      return;
    }
  u = data->next / n_projects;
  p = data->next % n_projects;
  data->next++;

  pb_secrets_clear_project_async (self->secrets, data->urls[u],
                                  g_ptr_array_index (data->project_ids, p), NULL,
                                  clear_credentials_cb, g_object_ref (task));
}

static void clear_next_key (GTask *task);

static void
clear_key_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!pb_secrets_clear_api_key_finish (PB_SECRETS (source), result, &error))
    {
      reset_return_error (task, g_error_new (error->domain, error->code,
                                             _("The local demo was not reset: its keys could "
                                               "not be removed from the keyring. %s"),
                                             error->message));
      return;
    }
  clear_next_key (task);
}

static void
clear_next_key (GTask *task)
{
  PbDemoBackend *self = g_task_get_source_object (task);
  ResetData *data = g_task_get_task_data (task);

  if (data->next >= data->local_ids->len)
    {
      data->next = 0;
      clear_next_credentials (task);
      return;
    }
  pb_secrets_clear_api_key_async (self->secrets, PB_DEMO_BACKEND_KEYRING_NAME,
                                  g_ptr_array_index (data->local_ids, data->next++), NULL,
                                  clear_key_cb, g_object_ref (task));
}

void
pb_demo_backend_reset_async (PbDemoBackend       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *dir = pb_demo_backend_dir ();
  g_autofree char *projects_file = g_build_filename (dir, "projects.json", NULL);
  g_autoptr(JsonArray) saved = pb_demo_backend_load_saved_projects (projects_file);
  g_autoptr(GStrvBuilder) urls = g_strv_builder_new ();
  g_auto(GStrv) noted = pb_demo_backend_load_urls (dir);
  ResetData *data;

  g_return_if_fail (PB_IS_DEMO_BACKEND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_demo_backend_reset_async);

  if (self->resetting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The local demo is already being reset."));
      return;
    }
  self->resetting = TRUE;

  /* The old projects: the ones running now and the ones noted beside the database (the
   * demo may not be running, e.g. when its key went missing). */
  data = g_new0 (ResetData, 1);
  data->local_ids = g_ptr_array_new_with_free_func (g_free);
  data->project_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->projects)); i++)
    {
      g_autoptr(PbProjectConfig) config = g_list_model_get_item (G_LIST_MODEL (self->projects),
                                                                 i);

      add_old_project (data, pb_project_config_get_project_id (config));
    }
  for (guint i = 0; saved != NULL && i < json_array_get_length (saved); i++)
    {
      JsonNode *node = json_array_get_element (saved, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        add_old_project (data, json_object_get_string_member_with_default (
                                 json_node_get_object (node), "id", NULL));
    }

  if (self->url != NULL && !g_strv_contains ((const char * const *) noted, self->url))
    g_strv_builder_add (urls, self->url);
  for (guint i = 0; noted[i] != NULL; i++)
    if (*noted[i] != '\0')
      g_strv_builder_add (urls, noted[i]);
  data->urls = g_strv_builder_end (urls);
  g_task_set_task_data (task, data, (GDestroyNotify) reset_data_free);

  /* The keys first: should the keyring refuse, nothing else has changed yet. */
  clear_next_key (task);
}

gboolean
pb_demo_backend_reset_finish (PbDemoBackend  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_demo_backend_reset_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
pb_demo_backend_get_resetting (PbDemoBackend *self)
{
  g_return_val_if_fail (PB_IS_DEMO_BACKEND (self), FALSE);
  return self->resetting;
}
