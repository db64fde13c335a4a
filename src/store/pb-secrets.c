/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-secrets"

#include "config.h"

#include "pb-secrets.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-error.h"
#include "pb-store-private.h"

struct _PbSecrets
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (PbSecrets, pb_secrets, G_TYPE_OBJECT)

const SecretSchema *
pb_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    PB_SECRETS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "backend", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "project", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "integration", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
pb_secrets_class_init (PbSecretsClass *klass)
{
}

static void
pb_secrets_init (PbSecrets *self)
{
}

PbSecrets *
pb_secrets_new (void)
{
  return g_object_new (PB_TYPE_SECRETS, NULL);
}

static GHashTable *
make_attributes (const char *backend,
                 const char *project,
                 const char *integration,
                 const char *field)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (char *) "backend", pb_client_normalize_url (backend));
  g_hash_table_insert (attributes, (char *) "project", g_strdup (project));
  if (integration != NULL)
    g_hash_table_insert (attributes, (char *) "integration", g_strdup (integration));
  if (field != NULL)
    g_hash_table_insert (attributes, (char *) "field", g_strdup (field));

  return attributes;
}

static gboolean
is_unavailable_error (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    return TRUE;
  /* No session bus at all, or an address that leads nowhere. */
  if (error->domain == G_IO_ERROR)
    return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (error->domain == G_SPAWN_ERROR)
    return TRUE;
  return FALSE;
}

/* Turns a libsecret / GDBus error into a PB_STORE_ERROR with a sentence a person
 * understands. Cancellation by our own cancellable passes through unchanged. */
static GError *
map_error (GError       *error,
           GCancellable *cancellable)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (cancellable))
    return g_steal_pointer (&owned);

  if (error->domain == PB_STORE_ERROR)
    return g_steal_pointer (&owned);

  g_debug ("Keyring error: %s (%s %d)", error->message,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      /* A dismissed unlock prompt: libsecret reports it as cancelled. */
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_LOCKED,
                                _("The keyring is locked. Unlock it and try again."));

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    return g_error_new_literal (PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_UNAVAILABLE,
                                _("The keyring has no default collection to keep credentials "
                                  "in. Create one (for example in Passwords and Keys) and "
                                  "try again."));

  if (is_unavailable_error (error))
    return g_error_new_literal (PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_UNAVAILABLE,
                                _("No keyring is available to keep credentials in. Start a "
                                  "Secret Service such as GNOME Keyring and try again."));

  return g_error_new (PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_FAILED,
                      _("The keyring refused the request: %s"), error->message);
}

static gboolean
check_argument (GTask      *task,
                const char *value,
                const char *what,
                gboolean    allow_empty)
{
  if (value != NULL && (allow_empty || *value != '\0') && g_utf8_validate (value, -1, NULL))
    return TRUE;

  g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT,
                           _("Cannot use the keyring without a valid %s."), what);
  return FALSE;
}

/* A task for one keyring call on @backend and @project; NULL when either is not valid (the
 * task has then returned the error to @callback). */
static GTask *
keyring_task_new (PbSecrets           *self,
                  gpointer             source_tag,
                  const char          *backend,
                  const char          *project,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (!check_argument (task, backend, _("backend"), FALSE) ||
      !check_argument (task, project, _("project"), FALSE))
    return NULL;
  return g_steal_pointer (&task);
}

/* Returns @error (taken) from the keyring, in the words of map_error(). */
static void
return_keyring_error (GTask  *task,
                      GError *error)
{
  g_task_return_error (task, map_error (error, g_task_get_cancellable (task)));
}

static GError *
locked_error (void)
{
  return g_error_new_literal (PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_LOCKED,
                              _("The keyring is locked. Unlock it and try again."));
}

/* Store: lookup old value, store new, next; roll back on failure. */

typedef struct
{
  char      *backend;
  char      *project;
  char      *integration;
  GPtrArray *keys;    /* char * */
  GPtrArray *values;  /* char *, wiped when freed */
  GPtrArray *old;     /* char * or NULL, from the keyring */
  guint      index;
  guint      n_written;
  GError    *error;   /* the failure being rolled back */
} StoreData;

static void
wipe_free (gpointer data)
{
  if (data != NULL)
    secret_password_free (data);
}

static void
store_data_free (StoreData *data)
{
  g_free (data->backend);
  g_free (data->project);
  g_free (data->integration);
  g_ptr_array_unref (data->keys);
  g_ptr_array_unref (data->values);
  g_ptr_array_unref (data->old);
  g_clear_error (&data->error);
  g_free (data);
}

static char *
make_label (const char *integration,
            const char *field)
{
  return g_strdup_printf (_("Plugboard: %s for integration %s"), field, integration);
}

static void store_step (GTask *task);
static void rollback_step (GTask *task);

static void
rollback_warn (GTask        *task,
               const GError *error)
{
  StoreData *data = g_task_get_task_data (task);

  if (error != NULL)
    g_warning ("Could not roll back keyring field “%s” of integration %s: %s",
               (const char *) g_ptr_array_index (data->keys, data->n_written),
               data->integration, error->message);
}

static void
on_rollback_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    rollback_warn (task, error);
  rollback_step (g_steal_pointer (&task));
}

static void
on_rollback_cleared_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error))
    rollback_warn (task, error);
  rollback_step (g_steal_pointer (&task));
}

static void
rollback_step (GTask *task)
{
  StoreData *data = g_task_get_task_data (task);
  const char *field;
  const char *old;
  g_autoptr(GHashTable) attributes = NULL;

  if (data->n_written == 0)
    {
      return_keyring_error (task, g_steal_pointer (&data->error));
      g_object_unref (task);
      return;
    }

  data->n_written--;
  field = g_ptr_array_index (data->keys, data->n_written);
  old = g_ptr_array_index (data->old, data->n_written);
  attributes = make_attributes (data->backend, data->project, data->integration, field);

  /* Not cancellable: a cancelled call must not leave half of its fields written. */
  if (old != NULL)
    {
      g_autofree char *label = make_label (data->integration, field);

      secret_password_storev (pb_secrets_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                              label, old, NULL, on_rollback_stored_cb, task);
    }
  else
    {
      secret_password_clearv (pb_secrets_get_schema (), attributes, NULL,
                              on_rollback_cleared_cb, task);
    }
}

static void
store_fail (GTask  *task,
            GError *error)
{
  StoreData *data = g_task_get_task_data (task);

  data->error = error;
  rollback_step (task);
}

static void
on_field_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  StoreData *data = g_task_get_task_data (task);

  if (!secret_password_store_finish (result, &error))
    {
      if (error == NULL)
        error = locked_error ();
      /* A failed (e.g. cancelled) store may still have reached the keyring: roll this field
       * back too; restoring a value that was never replaced is harmless. */
      data->n_written = data->index + 1;
      store_fail (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }

  data->n_written = ++data->index;
  store_step (g_steal_pointer (&task));
}

static void
on_old_value_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  const char *field = g_ptr_array_index (data->keys, data->index);
  GCancellable *cancellable;
  char *old;

  old = pb_secrets_lookup_finish (PB_SECRETS (source), result, &error);
  if (error != NULL)
    {
      store_fail (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }
  g_ptr_array_index (data->old, data->index) = old;

  attributes = make_attributes (data->backend, data->project, data->integration, field);
  label = make_label (data->integration, field);
  cancellable = g_task_get_cancellable (task);
  secret_password_storev (pb_secrets_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, g_ptr_array_index (data->values, data->index),
                          cancellable, on_field_stored_cb, g_steal_pointer (&task));
}

static void
store_step (GTask *task)
{
  StoreData *data = g_task_get_task_data (task);

  if (data->index >= data->keys->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  pb_secrets_lookup_async (g_task_get_source_object (task), data->backend, data->project,
                           data->integration, g_ptr_array_index (data->keys, data->index),
                           g_task_get_cancellable (task), on_old_value_cb, task);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
pb_secrets_store_async (PbSecrets           *self,
                        const char          *backend,
                        const char          *project,
                        const char          *integration,
                        GHashTable          *fields,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreData *data;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (PB_IS_SECRETS (self));
  g_return_if_fail (fields != NULL);

  task = keyring_task_new (self, pb_secrets_store_async, backend, project, cancellable,
                           callback, user_data);
  if (task == NULL || !check_argument (task, integration, _("integration"), TRUE))
    return;

  data = g_new0 (StoreData, 1);
  data->backend = g_strdup (backend);
  data->project = g_strdup (project);
  data->integration = g_strdup (integration);
  data->keys = g_ptr_array_new_with_free_func (g_free);
  data->values = g_ptr_array_new_with_free_func (pb_store_wipe_free);   /* our copies */
  data->old = g_ptr_array_new_with_free_func (wipe_free);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!check_argument (task, key, _("field name"), FALSE))
        return;
      if (value == NULL || !g_utf8_validate (value, -1, NULL))
        {
          g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT,
                                   _("The value for “%s” is not valid text."),
                                   (const char *) key);
          return;
        }
      g_ptr_array_add (data->keys, g_strdup (key));
    }
  /* A stable order, so that a failure always leaves the same fields untouched. */
  g_ptr_array_sort (data->keys, compare_strings);
  for (guint i = 0; i < data->keys->len; i++)
    {
      const char *secret = g_hash_table_lookup (fields, g_ptr_array_index (data->keys, i));
      g_ptr_array_add (data->values, g_strdup (secret));
      g_ptr_array_add (data->old, NULL);
    }

  store_step (g_steal_pointer (&task));
}

gboolean
pb_secrets_store_finish (PbSecrets     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_secrets_store_async ||
                        g_task_get_source_tag (G_TASK (result)) == pb_secrets_store_api_key_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup */

/* Lookup goes through SecretService rather than secret_password_lookupv(): that one answers
 * "no value" when the item exists behind a lock that was not opened, and the admin must be
 * told "locked", not be asked to type a credential again. */

static void
on_lookup_searched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items;
  SecretItem *item;
  SecretValue *value;

  items = secret_service_search_finish (SECRET_SERVICE (source), result, &error);
  if (error != NULL)
    {
      return_keyring_error (task, g_steal_pointer (&error));
      return;
    }
  if (items == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  item = items->data;
  value = secret_item_get_locked (item) ? NULL : secret_item_get_secret (item);
  g_list_free_full (items, g_object_unref);
  if (value == NULL)
    {
      g_task_return_error (task, locked_error ());
      return;
    }

  g_task_return_pointer (task, secret_value_unref_to_password (value, NULL), wipe_free);
}

static void
on_lookup_service_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  GCancellable *cancellable;
  GHashTable *attributes;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      return_keyring_error (task, g_steal_pointer (&error));
      return;
    }

  /* Read before the task is handed on: argument order is unspecified. */
  cancellable = g_task_get_cancellable (task);
  attributes = g_task_get_task_data (task);
  secret_service_search (service, pb_secrets_get_schema (), attributes,
                         SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS, cancellable,
                         on_lookup_searched_cb, g_steal_pointer (&task));
}

static void
lookup_internal (PbSecrets           *self,
                 gpointer             source_tag,
                 const char          *backend,
                 const char          *project,
                 const char          *integration,
                 const char          *field,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = keyring_task_new (self, source_tag, backend, project, cancellable, callback,
                           user_data);
  if (task == NULL ||
      !check_argument (task, integration, _("integration"), TRUE) ||
      !check_argument (task, field, _("field name"), FALSE))
    return;

  g_task_set_task_data (task, make_attributes (backend, project, integration, field),
                        (GDestroyNotify) g_hash_table_unref);
  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, on_lookup_service_cb,
                      g_steal_pointer (&task));
}

void
pb_secrets_lookup_async (PbSecrets           *self,
                         const char          *backend,
                         const char          *project,
                         const char          *integration,
                         const char          *field,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (PB_IS_SECRETS (self));

  lookup_internal (self, pb_secrets_lookup_async, backend, project, integration, field,
                   cancellable, callback, user_data);
}

char *
pb_secrets_lookup_finish (PbSecrets     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Clear */

static void
on_clear_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error means there was nothing to clear: fine. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      return_keyring_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
clear_internal (PbSecrets           *self,
                gpointer             source_tag,
                const char          *backend,
                const char          *project,
                const char          *integration,
                const char          *field,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  task = keyring_task_new (self, source_tag, backend, project, cancellable, callback,
                           user_data);
  if (task == NULL ||
      !check_argument (task, integration, _("integration"), field != NULL) ||
      (field != NULL && !check_argument (task, field, _("field name"), FALSE)))
    return;

  attributes = make_attributes (backend, project, integration, field);
  secret_password_clearv (pb_secrets_get_schema (), attributes, cancellable,
                          on_clear_done_cb, g_steal_pointer (&task));
}

void
pb_secrets_clear_async (PbSecrets           *self,
                        const char          *backend,
                        const char          *project,
                        const char          *integration,
                        const char          *field,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (PB_IS_SECRETS (self));
  g_return_if_fail (field != NULL);

  clear_internal (self, pb_secrets_clear_async, backend, project, integration,
                  field, cancellable, callback, user_data);
}

gboolean
pb_secrets_clear_finish (PbSecrets     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pb_secrets_clear_integration_async (PbSecrets           *self,
                                    const char          *backend,
                                    const char          *project,
                                    const char          *integration,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (PB_IS_SECRETS (self));

  /* integration must not be empty here: "" would match the project's API key. */
  clear_internal (self, pb_secrets_clear_integration_async, backend, project, integration,
                  NULL, cancellable, callback, user_data);
}

gboolean
pb_secrets_clear_integration_finish (PbSecrets     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return pb_secrets_clear_finish (self, result, error);
}

void
pb_secrets_clear_project_async (PbSecrets           *self,
                                const char          *backend,
                                const char          *project,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (PB_IS_SECRETS (self));

  task = keyring_task_new (self, pb_secrets_clear_project_async, backend, project, cancellable,
                           callback, user_data);
  if (task == NULL)
    return;

  attributes = make_attributes (backend, project, NULL, NULL);
  secret_password_clearv (pb_secrets_get_schema (), attributes, cancellable,
                          on_clear_done_cb, g_steal_pointer (&task));
}

gboolean
pb_secrets_clear_project_finish (PbSecrets     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return pb_secrets_clear_finish (self, result, error);
}

/* API keys */

static void
on_api_key_stored_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (error == NULL)
        error = locked_error ();
      return_keyring_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
pb_secrets_store_api_key_async (PbSecrets           *self,
                                const char          *backend,
                                const char          *project,
                                const char          *display_name,
                                const char          *api_key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (PB_IS_SECRETS (self));

  task = keyring_task_new (self, pb_secrets_store_api_key_async, backend, project,
                           cancellable, callback, user_data);
  if (task == NULL || !check_argument (task, api_key, _("API key"), FALSE))
    return;

  attributes = make_attributes (backend, project, "", PB_SECRETS_FIELD_API_KEY);
  label = g_strdup_printf (_("Plugboard: API key for %s"),
                           display_name && *display_name ? display_name : backend);
  secret_password_storev (pb_secrets_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, api_key, cancellable, on_api_key_stored_cb,
                          g_steal_pointer (&task));
}

gboolean
pb_secrets_store_api_key_finish (PbSecrets     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return pb_secrets_store_finish (self, result, error);
}

void
pb_secrets_lookup_api_key_async (PbSecrets           *self,
                                 const char          *backend,
                                 const char          *project,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PB_IS_SECRETS (self));

  lookup_internal (self, pb_secrets_lookup_api_key_async, backend, project, "",
                   PB_SECRETS_FIELD_API_KEY, cancellable, callback, user_data);
}

char *
pb_secrets_lookup_api_key_finish (PbSecrets     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return pb_secrets_lookup_finish (self, result, error);
}

void
pb_secrets_clear_api_key_async (PbSecrets           *self,
                                const char          *backend,
                                const char          *project,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (PB_IS_SECRETS (self));

  clear_internal (self, pb_secrets_clear_api_key_async, backend, project, "",
                  PB_SECRETS_FIELD_API_KEY, cancellable, callback, user_data);
}

gboolean
pb_secrets_clear_api_key_finish (PbSecrets     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return pb_secrets_clear_finish (self, result, error);
}
