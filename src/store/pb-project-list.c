/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-project-list"

#include "config.h"

#include "pb-project-list.h"
#include "pb-store-internal.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <string.h>

#include "pb-core.h"
#include "pb-store-error.h"

#define SETTINGS_SCHEMA   BASE_APP_ID
#define KEY_PROJECTS      "projects"
#define KEY_LAST_PROJECT  "last-project"
#define PROJECTS_TYPE     "a(ssss)"

struct _PbProjectList
{
  GObject parent_instance;

  GSettings *settings;
  PbSecrets *secrets;
  GPtrArray *items;        /* PbProjectConfig */
  char      *session_key; /* the session-only project's key, never saved; wiped */

  /* The cache of the project shown first, read off the main thread (pb_project_list_preload) */
  char           *preload_id;
  gboolean        preload_cache_done;
  PbReplicaCache *preload_cache;
  gboolean        preload_client_done;
  PbClient       *preload_client;
  GError         *preload_error;
  GPtrArray      *preload_waiting;   /* GTask of pb_project_list_open_store_async () */
  gboolean        preload_abandoned; /* another project was opened first: not needed */
};

static void pb_project_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PbProjectList, pb_project_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pb_project_list_model_init))

static GType
pb_project_list_get_item_type (GListModel *model)
{
  return PB_TYPE_PROJECT_CONFIG;
}

static guint
pb_project_list_get_n_items (GListModel *model)
{
  return PB_PROJECT_LIST (model)->items->len;
}

static gpointer
pb_project_list_get_item (GListModel *model,
                          guint       position)
{
  PbProjectList *self = PB_PROJECT_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
pb_project_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pb_project_list_get_item_type;
  iface->get_n_items = pb_project_list_get_n_items;
  iface->get_item = pb_project_list_get_item;
}

static void
pb_project_list_finalize (GObject *object)
{
  PbProjectList *self = (PbProjectList *) object;

  g_clear_object (&self->settings);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->preload_id, g_free);
  g_clear_pointer (&self->preload_cache, pb_replica_cache_free);
  g_clear_object (&self->preload_client);
  g_clear_error (&self->preload_error);
  g_clear_pointer (&self->preload_waiting, g_ptr_array_unref);
  if (self->session_key != NULL)
    {
      memset (self->session_key, 0, strlen (self->session_key));
      g_clear_pointer (&self->session_key, g_free);
    }

  G_OBJECT_CLASS (pb_project_list_parent_class)->finalize (object);
}

static void
pb_project_list_class_init (PbProjectListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_project_list_finalize;
}

static void
pb_project_list_init (PbProjectList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Returns a message when @url is not an http(s) URL with a host. */
static char *
check_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL || *url == '\0')
    return g_strdup (_("Enter the backend’s address, for example http://127.0.0.1:8710."));

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_strdup_printf (_("“%s” is not a web address. Enter one like "
                              "http://127.0.0.1:8710."), url);
  scheme = g_uri_get_scheme (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return g_strdup_printf (_("“%s” is not a backend address: it must start with http:// or "
                              "https:// and name a host."), url);
  return NULL;
}

static PbProjectConfig *
find_config (PbProjectList *self,
             const char    *id,
             guint         *position)
{
  for (guint i = 0; id != NULL && i < self->items->len; i++)
    {
      PbProjectConfig *config = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (pb_project_config_get_id (config), id) == 0)
        {
          if (position)
            *position = i;
          return config;
        }
    }
  return NULL;
}

/* find_config(), or NULL with the sentence for a project removed meanwhile. */
static PbProjectConfig *
find_config_or_error (PbProjectList  *self,
                      const char     *id,
                      guint          *position,
                      GError        **error)
{
  PbProjectConfig *config = find_config (self, id, position);

  if (config == NULL)
    g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                         _("This project is no longer configured."));
  return config;
}

static void
load_settings (PbProjectList *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, KEY_PROJECTS);
  GVariantIter iter;
  const char *id, *name, *url, *project_id;

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s&s&s)", &id, &name, &url, &project_id))
    {
      g_autofree char *problem = check_url (url);

      if (*id == '\0' || problem != NULL || find_config (self, id, NULL) != NULL ||
          g_str_equal (id, PB_PROJECT_LIST_SESSION_ID))
        {
          g_warning ("Ignoring a malformed entry in the “projects” setting");
          continue;
        }
      g_ptr_array_add (self->items,
                       pb_project_config_new (id, name, url,
                                              *project_id ? project_id : NULL, FALSE));
    }
}

static gboolean
save_settings (PbProjectList  *self,
               GError        **error)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE (PROJECTS_TYPE));
  for (guint i = 0; i < self->items->len; i++)
    {
      PbProjectConfig *config = g_ptr_array_index (self->items, i);
      const char *project_id = pb_project_config_get_project_id (config);

      if (pb_project_config_get_session_only (config))
        continue;
      g_variant_builder_add (&builder, "(ssss)",
                             pb_project_config_get_id (config),
                             pb_project_config_get_name (config),
                             pb_project_config_get_url (config),
                             project_id ? project_id : "");
    }

  if (!g_settings_set_value (self->settings, KEY_PROJECTS, g_variant_builder_end (&builder)))
    {
      g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_FAILED,
                           _("The list of projects cannot be saved: the settings are not "
                             "writable."));
      return FALSE;
    }
  return TRUE;
}

/* The session project's id on its backend, kept between sessions so that it opens from its
 * cache when the backend is down at start: in $XDG_DATA_HOME/plugboard/session-projects.ini,
 * under a SHA-256 of the URL and the key (never the key). */
static char *
session_ids_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "plugboard", "session-projects.ini", NULL);
}

static char *
session_ids_key (const char *url,
                 const char *api_key)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) url, strlen (url));
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) api_key, strlen (api_key));
  return g_strdup (g_checksum_get_string (checksum));
}

static char *
session_project_id (const char *url,
                    const char *api_key)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = session_ids_path ();
  g_autofree char *key = session_ids_key (url, api_key);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  return g_key_file_get_string (file, "projects", key, NULL);
}

/* @project_id: (nullable) NULL forgets it. */
static void
remember_session_project_id (const char *url,
                             const char *api_key,
                             const char *project_id)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = session_ids_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *key = session_ids_key (url, api_key);

  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL);
  if (project_id != NULL)
    g_key_file_set_string (file, "projects", key, project_id);
  else
    g_key_file_remove_key (file, "projects", key, NULL);
  if (g_mkdir_with_parents (folder, 0700) != 0 ||
      !g_key_file_save_to_file (file, path, &error))
    g_warning ("Could not keep the session project’s id: %s",
               error != NULL ? error->message : g_strerror (errno));
}

static void
add_session_project (PbProjectList *self)
{
  const char *url = g_getenv ("PLUGBOARD_BACKEND_URL");
  const char *key = g_getenv ("PLUGBOARD_API_KEY");
  g_autofree char *problem = NULL;
  g_autofree char *name = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *project_id = NULL;

  if (url == NULL || *url == '\0' || key == NULL || *key == '\0')
    return;

  problem = check_url (url);
  if (problem != NULL)
    {
      g_warning ("PLUGBOARD_BACKEND_URL is ignored: %s", problem);
      return;
    }

  normal = pb_client_normalize_url (url);
  /* Translators: the name of the project given on the command line environment. */
  name = g_strdup_printf (_("%s (this session only)"), normal);
  self->session_key = g_strdup (key);
  project_id = session_project_id (normal, key);
  g_ptr_array_insert (self->items, 0,
                      pb_project_config_new (PB_PROJECT_LIST_SESSION_ID, name, normal,
                                             project_id, TRUE));
}

PbProjectList *
pb_project_list_new (GSettings *settings)
{
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();

  return pb_project_list_new_with_secrets (settings, secrets);
}

PbProjectList *
pb_project_list_new_with_secrets (GSettings *settings,
                                  PbSecrets *secrets)
{
  PbProjectList *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (PB_IS_SECRETS (secrets), NULL);

  self = g_object_new (PB_TYPE_PROJECT_LIST, NULL);
  self->settings = settings ? g_object_ref (settings) : g_settings_new (SETTINGS_SCHEMA);
  self->secrets = g_object_ref (secrets);

  add_session_project (self);
  load_settings (self);

  return self;
}

PbProjectConfig *
pb_project_list_find (PbProjectList *self,
                      const char    *id)
{
  g_return_val_if_fail (PB_IS_PROJECT_LIST (self), NULL);

  return find_config (self, id, NULL);
}

/* Add */

typedef struct
{
  char         *name;
  char         *url;
  char         *api_key;     /* wiped */
  char         *local_id;
  PbClient     *client;
  PbProject    *project;
} AddData;

static void
add_data_free (AddData *data)
{
  g_free (data->name);
  g_free (data->url);
  if (data->api_key != NULL)
    {
      memset (data->api_key, 0, strlen (data->api_key));
      g_free (data->api_key);
    }
  g_free (data->local_id);
  g_clear_object (&data->client);
  g_clear_object (&data->project);
  g_free (data);
}

static void
on_add_key_stored_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PbProjectList *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  g_autoptr(PbProjectConfig) config = NULL;
  guint position;

  if (!pb_secrets_store_api_key_finish (PB_SECRETS (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  config = pb_project_config_new (data->local_id, data->name, data->url,
                                  pb_project_get_id (data->project), FALSE);
  position = self->items->len;
  g_ptr_array_add (self->items, g_object_ref (config));
  if (!save_settings (self, &error))
    {
      g_ptr_array_remove_index (self->items, position);
      /* Nothing saved: take the key out of the keyring again. */
      pb_secrets_clear_api_key_async (self->secrets, data->url, data->local_id, NULL,
                                      NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  g_task_return_pointer (task, g_steal_pointer (&config), g_object_unref);
}

static void
on_add_project_checked_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PbProjectList *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);

  data->project = pb_client_get_project_finish (PB_CLIENT (source), result, &error);
  if (data->project == NULL)
    {
      if (g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNAUTHORIZED))
        {
          g_autofree char *message = NULL;

          /* Which backend refused which key: the check is about the URL and key typed. */
          message = g_strdup_printf (_("The backend at %s does not accept this API key. "
                                       "Check the key and try again."), data->url);
          g_task_return_error (task, pb_api_error_new_http (pb_api_error_get_status (error),
                                                            pb_api_error_get_code (error),
                                                            pb_api_error_get_details (error),
                                                            message, NULL));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < self->items->len; i++)
    {
      PbProjectConfig *other = g_ptr_array_index (self->items, i);

      if (!pb_project_config_get_session_only (other) &&
          g_strcmp0 (pb_project_config_get_url (other), data->url) == 0 &&
          g_strcmp0 (pb_project_config_get_project_id (other),
                     pb_project_get_id (data->project)) == 0)
        {
          g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_EXISTS,
                                   _("This project is already configured as “%s”."),
                                   pb_project_config_get_name (other));
          return;
        }
    }

  if (data->name == NULL)
    data->name = g_strdup (pb_project_get_name (data->project));

  data->local_id = g_uuid_string_random ();
  pb_secrets_store_api_key_async (self->secrets, data->url, data->local_id, data->name,
                                  data->api_key, g_task_get_cancellable (task),
                                  on_add_key_stored_cb, g_object_ref (task));
}

void
pb_project_list_add_async (PbProjectList       *self,
                           const char          *name,
                           const char          *url,
                           const char          *api_key,
                           gboolean             allow_unencrypted,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *stripped_name = NULL;
  AddData *data;

  g_return_if_fail (PB_IS_PROJECT_LIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_project_list_add_async);

  problem = check_url (url);
  if (problem != NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT,
                               "%s", problem);
      return;
    }
  if (api_key == NULL || *api_key == '\0')
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT,
                               _("Enter the API key of the project."));
      return;
    }
  if (!allow_unencrypted && pb_url_is_unencrypted_remote (url))
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_UNENCRYPTED,
                               _("“%s” is not encrypted: the API key and the project’s data "
                                 "would travel in clear over the network. Use https://, or "
                                 "confirm that this backend may be used unencrypted."), url);
      return;
    }
  stripped_name = name ? g_strstrip (g_strdup (name)) : NULL;
  if (stripped_name != NULL && *stripped_name != '\0')
    {
      g_autofree char *message = NULL;

      if (!pb_rules_validate_name (stripped_name, &message))
        {
          g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT,
                                   "%s", message);
          return;
        }
    }

  data = g_new0 (AddData, 1);
  data->name = (stripped_name && *stripped_name) ? g_steal_pointer (&stripped_name) : NULL;
  data->url = pb_client_normalize_url (url);
  data->api_key = g_strdup (api_key);
  data->client = pb_client_new (data->url, api_key);
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);

  pb_client_get_project_async (data->client, cancellable, on_add_project_checked_cb,
                               g_steal_pointer (&task));
}

PbProjectConfig *
pb_project_list_add_finish (PbProjectList  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_project_list_add_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Rename */

gboolean
pb_project_list_set_project_id (PbProjectList  *self,
                                const char     *id,
                                const char     *project_id,
                                GError        **error)
{
  PbProjectConfig *config;
  g_autofree char *old = NULL;

  g_return_val_if_fail (PB_IS_PROJECT_LIST (self), FALSE);
  g_return_val_if_fail (project_id != NULL && *project_id != '\0', FALSE);

  config = find_config_or_error (self, id, NULL, error);
  if (config == NULL)
    return FALSE;
  if (g_strcmp0 (pb_project_config_get_project_id (config), project_id) == 0)
    return TRUE;

  old = g_strdup (pb_project_config_get_project_id (config));
  pb_project_config_set_project_id (config, project_id);
  if (pb_project_config_get_session_only (config))
    {
      if (self->session_key != NULL)
        remember_session_project_id (pb_project_config_get_url (config), self->session_key,
                                     project_id);
      return TRUE;
    }
  if (!save_settings (self, error))
    {
      pb_project_config_set_project_id (config, old);
      return FALSE;
    }
  return TRUE;
}

gboolean
pb_project_list_rename (PbProjectList  *self,
                        const char     *id,
                        const char     *name,
                        GError        **error)
{
  PbProjectConfig *config;
  g_autofree char *stripped = NULL;
  g_autofree char *old_name = NULL;
  g_autofree char *message = NULL;
  guint position;

  g_return_val_if_fail (PB_IS_PROJECT_LIST (self), FALSE);

  config = find_config_or_error (self, id, &position, error);
  if (config == NULL)
    return FALSE;

  stripped = g_strstrip (g_strdup (name ? name : ""));
  if (!pb_rules_validate_name (stripped, &message))
    {
      g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT, message);
      return FALSE;
    }

  old_name = g_strdup (pb_project_config_get_name (config));
  if (g_strcmp0 (old_name, stripped) == 0)
    return TRUE;

  pb_project_config_set_name (config, stripped);
  if (!pb_project_config_get_session_only (config) && !save_settings (self, error))
    {
      pb_project_config_set_name (config, old_name);
      return FALSE;
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
  return TRUE;
}

/* Remove */

static void
forget_project (PbProjectList *self,
                const char    *id)
{
  guint position;
  g_autoptr(PbProjectConfig) config = NULL;

  if (find_config (self, id, &position) == NULL)
    return;

  config = g_object_ref (g_ptr_array_index (self->items, position));
  g_ptr_array_remove_index (self->items, position);
  if (!pb_project_config_get_session_only (config))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *last = NULL;

      if (!save_settings (self, &error))
        g_warning ("%s", error->message);
      last = g_settings_get_string (self->settings, KEY_LAST_PROJECT);
      if (g_strcmp0 (last, id) == 0)
        g_settings_reset (self->settings, KEY_LAST_PROJECT);
    }
  else if (self->session_key != NULL)
    {
      remember_session_project_id (pb_project_config_get_url (config), self->session_key, NULL);
      memset (self->session_key, 0, strlen (self->session_key));
      g_clear_pointer (&self->session_key, g_free);
    }

  /* Its cache (the last known state and the queued changes) goes with it. */
  if (pb_project_config_get_project_id (config) != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!pb_replica_delete_files (pb_project_config_get_url (config),
                                    pb_project_config_get_project_id (config), &error))
        g_warning ("Could not remove the cache of the project: %s", error->message);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
on_remove_key_cleared_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PbProjectList *self = g_task_get_source_object (task);

  if (!pb_secrets_clear_api_key_finish (PB_SECRETS (source), result, &error))
    {
      /* Keep the project: forgetting it would leave its key in the keyring for good. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  forget_project (self, g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

void
pb_project_list_remove_async (PbProjectList       *self,
                              const char          *id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PbProjectConfig *config;

  g_return_if_fail (PB_IS_PROJECT_LIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_project_list_remove_async);
  g_task_set_task_data (task, g_strdup (id), g_free);

  config = find_config_or_error (self, id, NULL, &error);
  if (config == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (pb_project_config_get_session_only (config))
    {
      forget_project (self, id);
      g_task_return_boolean (task, TRUE);
      return;
    }

  pb_secrets_clear_api_key_async (self->secrets, pb_project_config_get_url (config), id,
                                  cancellable, on_remove_key_cleared_cb,
                                  g_steal_pointer (&task));
}

gboolean
pb_project_list_remove_finish (PbProjectList  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* API key and client */

static void
wipe_free (gpointer data)
{
  secret_password_free (data);
}

static void
on_api_key_looked_up_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *key;

  key = pb_secrets_lookup_api_key_finish (PB_SECRETS (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (key == NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_NO_API_KEY,
                               _("The keyring has no API key for this project. Remove the "
                                 "project and add it again with its key."));
      return;
    }

  g_task_return_pointer (task, key, wipe_free);
}

void
pb_project_list_get_api_key_async (PbProjectList       *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PbProjectConfig *config;

  g_return_if_fail (PB_IS_PROJECT_LIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_project_list_get_api_key_async);

  config = find_config_or_error (self, id, NULL, &error);
  if (config == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (pb_project_config_get_session_only (config))
    {
      /* Same ownership rule as the keyring's values: freed with secret_password_free(). */
      g_task_return_pointer (task, g_strdup (self->session_key), g_free);
      return;
    }

  pb_secrets_lookup_api_key_async (self->secrets, pb_project_config_get_url (config), id,
                                   cancellable, on_api_key_looked_up_cb,
                                   g_steal_pointer (&task));
}

char *
pb_project_list_get_api_key_finish (PbProjectList  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_client_key_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PbProjectList *self = PB_PROJECT_LIST (source);
  PbProjectConfig *config;
  char *key;

  key = pb_project_list_get_api_key_finish (self, result, &error);
  if (key == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  config = find_config_or_error (self, g_task_get_task_data (task), NULL, &error);
  if (config == NULL)
    {
      secret_password_free (key);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, pb_client_new (pb_project_config_get_url (config), key),
                         g_object_unref);
  secret_password_free (key);
}

void
pb_project_list_open_client_async (PbProjectList       *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PB_IS_PROJECT_LIST (self));

  task = pb_store_open_task_new (self, id, pb_project_list_open_client_async, cancellable,
                                 callback, user_data);
  pb_project_list_get_api_key_async (self, id, cancellable, on_client_key_cb, task);
}

PbClient *
pb_project_list_open_client_finish (PbProjectList  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return pb_store_open_task_finish (self, result, pb_project_list_open_client_async, error);
}

static void
preload_clear (PbProjectList *self)
{
  g_clear_pointer (&self->preload_id, g_free);
  g_clear_pointer (&self->preload_cache, pb_replica_cache_free);
  g_clear_object (&self->preload_client);
  g_clear_error (&self->preload_error);
  g_clear_pointer (&self->preload_waiting, g_ptr_array_unref);
  self->preload_abandoned = FALSE;
}

/* The preload ends when both its parts are in: the stores asked for meanwhile are made with
 * its client (or fail with its error), the first one with what was read. */
static void
preload_maybe_finish (PbProjectList *self)
{
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(PbReplicaCache) cache = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->preload_cache_done || !self->preload_client_done || self->preload_waiting == NULL)
    return;
  if (self->preload_abandoned && self->preload_waiting->len == 0)
    {
      preload_clear (self);
      return;
    }
  /* Used once: a later open of the project goes the usual way. */
  waiting = g_steal_pointer (&self->preload_waiting);
  cache = g_steal_pointer (&self->preload_cache);
  client = g_steal_pointer (&self->preload_client);
  error = g_steal_pointer (&self->preload_error);
  g_clear_pointer (&self->preload_id, g_free);

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);
      g_autoptr(GError) local_error = NULL;
      PbProjectConfig *config = client != NULL
                                ? find_config_or_error (self, g_task_get_task_data (task), NULL,
                                                        &local_error)
                                : NULL;
      g_autoptr(PbStore) store = NULL;

      if (config == NULL)
        {
          g_task_return_error (task, local_error != NULL ? g_steal_pointer (&local_error)
                                                         : g_error_copy (error));
          continue;
        }
      store = pb_store_new (client, self->secrets, pb_project_config_get_url (config),
                            pb_project_config_get_project_id (config));
      pb_store_set_preloaded_cache (store, g_steal_pointer (&cache));
      g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
    }
}

static void
on_preloaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PbProjectList) self = user_data;
  g_autoptr(GError) error = NULL;

  self->preload_cache = pb_replica_read_cache_finish (result, &error);
  if (error != NULL)
    g_debug ("Could not read the cached project at start: %s", error->message);
  self->preload_cache_done = TRUE;
  preload_maybe_finish (self);
}

static void
on_preload_client_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PbProjectList) self = user_data;

  self->preload_client = pb_project_list_open_client_finish (self, result, &self->preload_error);
  self->preload_client_done = TRUE;
  preload_maybe_finish (self);
}

void
pb_project_list_preload (PbProjectList *self,
                         const char    *id)
{
  PbProjectConfig *config;

  g_return_if_fail (PB_IS_PROJECT_LIST (self));

  config = id != NULL ? find_config (self, id, NULL) : NULL;
  if (config == NULL || pb_project_config_get_project_id (config) == NULL
      || self->preload_id != NULL)
    return;
  self->preload_id = g_strdup (id);
  self->preload_cache_done = self->preload_client_done = FALSE;
  self->preload_waiting = g_ptr_array_new_with_free_func (g_object_unref);
  /* The cache in a worker thread, the key (keyring) meanwhile. */
  pb_replica_read_cache_async (pb_project_config_get_url (config),
                               pb_project_config_get_project_id (config), NULL,
                               on_preloaded_cb, g_object_ref (self));
  pb_project_list_open_client_async (self, id, NULL, on_preload_client_cb, g_object_ref (self));
}

static void
on_store_client_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PbProjectList *self = PB_PROJECT_LIST (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbClient) client = NULL;
  PbProjectConfig *config;

  client = pb_project_list_open_client_finish (self, result, &error);
  config = client != NULL ? find_config_or_error (self, g_task_get_task_data (task), NULL,
                                                  &error)
                          : NULL;
  pb_store_open_task_return_store (task, client, self->secrets, config,
                                   g_steal_pointer (&error));
}

void
pb_project_list_open_store_async (PbProjectList       *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PB_IS_PROJECT_LIST (self));

  task = pb_store_open_task_new (self, id, pb_project_list_open_store_async, cancellable,
                                 callback, user_data);
  /* The project shown first: what the start is reading and looking up already. */
  if (self->preload_id != NULL && g_strcmp0 (self->preload_id, id) == 0)
    {
      g_ptr_array_add (self->preload_waiting, task);
      preload_maybe_finish (self);
      return;
    }
  /* Another one: the preload is not needed (its key may even be outdated by then). */
  if (self->preload_id != NULL)
    {
      self->preload_abandoned = TRUE;
      preload_maybe_finish (self);
    }
  pb_project_list_open_client_async (self, id, cancellable, on_store_client_cb, task);
}

PbStore *
pb_project_list_open_store_finish (PbProjectList  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return pb_store_open_task_finish (self, result, pb_project_list_open_store_async, error);
}

/* Last project */

PbProjectConfig *
pb_project_list_get_last_project (PbProjectList *self)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (PB_IS_PROJECT_LIST (self), NULL);

  id = g_settings_get_string (self->settings, KEY_LAST_PROJECT);
  return find_config (self, id, NULL);
}

void
pb_project_list_set_last_project (PbProjectList *self,
                                  const char    *id)
{
  g_return_if_fail (PB_IS_PROJECT_LIST (self));

  g_settings_set_string (self->settings, KEY_LAST_PROJECT, id ? id : "");
}
