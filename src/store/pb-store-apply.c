/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PbStore: applying operations through the outbox. */
#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include "pb-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-core.h"
#include "pb-store-error.h"
#include "pb-store-private.h"
#include "pb-offline.h"

/* Apply: through the outbox */

typedef struct
{
  PbOperation *operation;
  PbOutboxEntry *entry;   /* the change as queued (a deep copy, without values) */
  gint64 seq;
  GHashTable *typed;      /* field → value typed for this call (secret fields only) */
  GPtrArray *missing;     /* secret fields not typed: checked in the keyring */
  PbIntegration *before;  /* the row before the change (nullable) */
  PbIntegration *answer;
  GPtrArray *stale;       /* secret fields the server no longer has: out of the keyring */
  gboolean queued;
  gboolean acknowledged;  /* the server took it; finished when the replay ends */
  gboolean replayed;      /* the replay that sent it ended */
  gboolean clearing;      /* the stale fields are being cleared from the keyring */
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->operation);
  g_clear_object (&data->entry);
  g_clear_pointer (&data->typed, g_hash_table_unref);
  g_clear_pointer (&data->missing, g_ptr_array_unref);
  g_clear_object (&data->before);
  g_clear_object (&data->answer);
  g_clear_pointer (&data->stale, g_ptr_array_unref);
  g_free (data);
}

static void apply_clear_stale_next (GTask *task);

/* An acknowledged change is done when both the replay that sent it (and refreshed the
 * replica) and the clearing of its stale keyring items have ended. */
static void
apply_maybe_done (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);

  if (!data->replayed || data->clearing)
    return;
  g_signal_emit (self, pb_store_signals[PB_STORE_SIGNAL_APPLIED], 0, data->operation, data->answer);
  g_task_return_boolean (task, TRUE);
}

static void
on_stale_cleared_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ApplyData *data = g_task_get_task_data (task);

  /* The server took the change; a keyring that refuses now only leaves an old value. */
  if (!pb_secrets_clear_finish (PB_SECRETS (source), result, &error))
    g_debug ("Could not clear a dropped credential from the keyring: %s", error->message);

  g_ptr_array_remove_index (data->stale, 0);
  apply_clear_stale_next (g_steal_pointer (&task));
}

static void
apply_clear_stale_next (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);

  if (data->stale == NULL || data->stale->len == 0 || self->project_id == NULL)
    {
      data->clearing = FALSE;
      apply_maybe_done (task);
      g_object_unref (task);
      return;
    }

  pb_secrets_clear_async (self->secrets, self->backend, self->project_id,
                          pb_operation_get_integration_id (data->operation),
                          g_ptr_array_index (data->stale, 0), NULL, on_stale_cleared_cb, task);
}

static gboolean
secret_is_set (PbIntegration *integration,
               const char    *field)
{
  PbSecretState *state = g_hash_table_lookup (pb_integration_get_secrets (integration), field);

  return state != NULL && state->set;
}

/* Whether @key is a secret that the admin enters on @answer (its auth type of @connector,
 * with its OAuth app): the keyring keeps only those. */
static gboolean
is_held_secret (PbConnector   *connector,
                PbIntegration *answer,
                const char    *key)
{
  PbAuthType *type = pb_connector_find_auth_type (connector,
                                                  pb_integration_get_auth_type_key (answer));
  PbAuthField *field = type != NULL ? pb_auth_type_find_field (type, key) : NULL;
  PbOAuthApp app = pb_integration_get_oauth_app (answer);

  if (app == PB_OAUTH_APP_NONE && type != NULL)
    app = pb_rules_default_oauth_app (type);
  return field != NULL && pb_auth_field_get_secret (field)
         && pb_rules_field_is_entered (field, app);
}

/* Secret fields this machine may keep that the server no longer has: the ones cleared on
 * purpose, those of an auth type that was left (the server drops them), and any secret of
 * the connector's auth types that the integration does not hold as it is saved now: the end
 * user's values that are account fields (an integration saved before held them), and the
 * OAuth app's client secret when it moved to the platform's app. */
static GPtrArray *
stale_fields (PbOperation   *operation,
              PbIntegration *old,
              PbIntegration *answer,
              PbConnector   *connector)
{
  GPtrArray *stale = g_ptr_array_new_with_free_func (g_free);
  JsonObject *payload = pb_operation_get_payload (operation);

  if (json_object_has_member (payload, "secrets") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "secrets")))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, json_object_get_object_member (payload, "secrets"));
      while (json_object_iter_next (&iter, &key, &value))
        if (JSON_NODE_HOLDS_NULL (value) && !secret_is_set (answer, key))
          g_ptr_array_add (stale, g_strdup (key));
    }

  if (connector != NULL)
    {
      GListModel *types = pb_connector_get_auth_types (connector);

      for (guint t = 0; t < g_list_model_get_n_items (types); t++)
        {
          g_autoptr(PbAuthType) type = g_list_model_get_item (types, t);
          GListModel *lists[] = { pb_auth_type_get_fields (type),
                                  pb_auth_type_get_account_fields (type) };

          for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
            for (guint f = 0; f < g_list_model_get_n_items (lists[l]); f++)
              {
                g_autoptr(PbAuthField) field = g_list_model_get_item (lists[l], f);
                const char *key = pb_auth_field_get_key (field);

                if (pb_auth_field_get_secret (field) && !is_held_secret (connector, answer, key)
                    && !g_ptr_array_find_with_equal_func (stale, key, g_str_equal, NULL))
                  g_ptr_array_add (stale, g_strdup (key));
              }
        }
    }

  if (old != NULL && pb_operation_get_kind (operation) == PB_OPERATION_CHANGE_AUTH_TYPE)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, pb_integration_get_secrets (old));
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!secret_is_set (answer, key) &&
            !g_ptr_array_find_with_equal_func (stale, key, g_str_equal, NULL))
          g_ptr_array_add (stale, g_strdup (key));
    }

  return stale;
}

static GTask *
steal_waiting (PbStore *self,
               gint64   seq)
{
  gpointer task = NULL;
  gpointer key = NULL;

  if (!g_hash_table_steal_extended (self->waiting, &seq, &key, &task))
    return NULL;
  g_free (key);
  return task;
}

static void
on_deleted_cleared_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The integration is gone on the server; a keyring that refuses now only leaves items
   * behind, which is not worth failing anything for. */
  if (!pb_secrets_clear_integration_finish (PB_SECRETS (source), result, &error))
    g_debug ("Could not clear the credentials of a deleted integration: %s", error->message);
}

/* What pb_outbox_acknowledge() does to the replica, done to @base: the answer replaces its
 * row (or is added), and is the only default of its connector; a deleted row goes. */
static void
apply_acknowledged (GPtrArray     *base,
                    PbOutboxEntry *entry,
                    PbIntegration *answer)
{
  const char *id = pb_outbox_entry_get_integration_id (entry);
  gboolean found = FALSE;

  for (guint i = base->len; i > 0; i--)
    {
      PbIntegration *row = g_ptr_array_index (base, i - 1);

      if (g_strcmp0 (pb_integration_get_id (row), answer != NULL ? pb_integration_get_id (answer)
                                                                 : id) == 0)
        {
          found = TRUE;
          if (answer != NULL)
            {
              g_ptr_array_index (base, i - 1) = g_object_ref (answer);
              g_object_unref (row);
            }
          else if (pb_outbox_entry_get_kind (entry) == PB_OPERATION_DELETE)
            g_ptr_array_remove_index (base, i - 1);
        }
      else if (answer != NULL && pb_integration_get_is_default (answer)
               && pb_integration_get_is_default (row)
               && g_strcmp0 (pb_integration_get_connector_key (row),
                             pb_integration_get_connector_key (answer)) == 0)
        {
          g_autoptr(JsonObject) json = pb_integration_to_json (row);
          g_autoptr(GError) error = NULL;
          PbIntegration *cleared;

          json_object_set_boolean_member (json, "default", FALSE);
          cleared = pb_integration_new_from_json (json, &error);
          if (cleared == NULL)
            {
              g_warning ("An integration cannot be read back: %s", error->message);
              continue;
            }
          g_ptr_array_index (base, i - 1) = cleared;
          g_object_unref (row);
        }
    }
  if (!found && answer != NULL)
    g_ptr_array_add (base, g_object_ref (answer));
}

void
pb_store_on_sync_acknowledged_cb (PbSync        *sync,
                                  PbOutboxEntry *entry,
                                  PbIntegration *answer,
                                  PbStore       *self)
{
  g_autoptr(GTask) task = steal_waiting (self, pb_outbox_entry_get_seq (entry));
  ApplyData *data;

  if (answer == NULL && pb_outbox_entry_get_kind (entry) == PB_OPERATION_DELETE
      && self->project_id != NULL)
    pb_secrets_clear_integration_async (self->secrets, self->backend, self->project_id,
                                        pb_outbox_entry_get_integration_id (entry), NULL,
                                        on_deleted_cleared_cb, NULL);

  /* The server's answer is the row's object from now on: the models change as the replica
   * just did (pb_outbox_acknowledge()), without reading it all back (20,000 rows: ~200 ms). */
  if (self->base_integrations != NULL && pb_sync_get_refreshed_changes (sync) == NULL)
    apply_acknowledged (self->base_integrations, entry, answer);
  else
    /* This replay refreshed the replica already (a change queued meanwhile): the models take
     * that refresh only at "synced", which a failing next refresh would never bring, so
     * they are not what the replica was; read it back. */
    pb_store_reload_base_from_replica (self);
  pb_store_recompute_view (self);

  if (task == NULL)
    {
      /* A change replayed by the sync: views of accounts and logs may reload too. */
      g_autoptr(JsonObject) json = pb_outbox_entry_to_json (entry);
      g_autoptr(GError) error = NULL;
      g_autoptr(PbOperation) operation = pb_operation_new_from_json (json, &error);

      if (operation != NULL)
        g_signal_emit (self, pb_store_signals[PB_STORE_SIGNAL_APPLIED], 0, operation, answer);
      else
        g_debug ("A synced change cannot be read back: %s", error->message);
      return;
    }
  data = g_task_get_task_data (task);
  g_set_object (&data->answer, answer);
  if (answer != NULL)
    data->stale = stale_fields (data->operation, data->before, answer,
                                pb_store_find_connector (self,
                                                         pb_integration_get_connector_key (answer)));
  /* Finished when the replay ends, after the sync's refresh of the cache, so that the
   * models have settled (other rows the change touched have their new versions) by then.
   * The keyring forgets the stale fields meanwhile. */
  data->acknowledged = TRUE;
  data->clearing = TRUE;
  apply_clear_stale_next (g_object_ref (task));
  {
    gint64 *key = g_new (gint64, 1);

    *key = data->seq;
    g_hash_table_insert (self->waiting, key, g_steal_pointer (&task));
  }
}

static PbApiError
api_error_for_code (const char *code)
{
  if (g_strcmp0 (code, "forbidden") == 0)
    return PB_API_ERROR_FORBIDDEN;
  if (g_strcmp0 (code, "not_found") == 0)
    return PB_API_ERROR_NOT_FOUND;
  if (g_strcmp0 (code, "unauthorized") == 0)
    return PB_API_ERROR_UNAUTHORIZED;
  if (code != NULL && (g_str_has_prefix (code, "validation") || g_str_has_prefix (code, "invalid") ||
                       g_str_has_prefix (code, "unknown") || g_str_has_suffix (code, "_unavailable") ||
                       g_str_has_suffix (code, "_too_large")))
    return PB_API_ERROR_VALIDATION;
  return PB_API_ERROR_CONFLICT;
}

static guint
status_for_error (PbApiError code)
{
  switch (code)
    {
    case PB_API_ERROR_FORBIDDEN: return 403;
    case PB_API_ERROR_NOT_FOUND: return 404;
    case PB_API_ERROR_UNAUTHORIZED: return 401;
    case PB_API_ERROR_VALIDATION: return 400;
    case PB_API_ERROR_VERSION_MISMATCH: return 412;
    default: return 409;
    }
}

void
pb_store_on_sync_refused_cb (PbSync        *sync,
                             PbOutboxEntry *entry,
                             const char    *message,
                             PbStore       *self)
{
  g_autoptr(GTask) task = steal_waiting (self, pb_outbox_entry_get_seq (entry));
  g_autoptr(GError) error = NULL;
  PbApiError code;

  if (task == NULL)
    {
      /* A replayed change: it stays in the pending list with the server's sentence. */
      pb_store_recompute_view (self);
      g_signal_emit (self, pb_store_signals[PB_STORE_SIGNAL_REFUSED], 0, entry, message);
      return;
    }

  /* The admin is waiting for this change (the editor is open): the refusal goes back to
   * the editor, which keeps what was typed; the change leaves the queue. */
  if (!pb_sync_resolve_keep_theirs (self->sync, pb_outbox_entry_get_seq (entry), &error))
    g_warning ("Could not drop a refused change: %s", error->message);
  pb_store_recompute_view (self);

  code = api_error_for_code (pb_outbox_entry_get_code (entry));
  g_task_return_error (task, pb_api_error_new_http (status_for_error (code),
                                                    pb_outbox_entry_get_code (entry), NULL,
                                                    message, NULL));
}

void
pb_store_on_sync_conflict_cb (PbSync        *sync,
                              PbOutboxEntry *entry,
                              JsonObject    *theirs,
                              PbStore       *self)
{
  g_autoptr(GTask) task = steal_waiting (self, pb_outbox_entry_get_seq (entry));

  pb_store_recompute_view (self);
  g_signal_emit (self, pb_store_signals[PB_STORE_SIGNAL_CONFLICT], 0, entry, theirs);

  if (task != NULL)
    {
      g_autoptr(JsonObject) details = json_object_new ();
      const char *message = pb_outbox_entry_get_message (entry);

      if (message == NULL)
        message = _("Someone else changed this integration meanwhile.");
      json_object_set_object_member (details, "current", pb_store_copy_json_object (theirs));
      g_task_return_error (task, pb_api_error_new_http (412, "version_mismatch", details,
                                                        message, NULL));
    }
}

static void
finish_queued (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  PbIntegration *row;

  pb_store_recompute_view (self);
  row = pb_store_find_integration (self, pb_outbox_entry_get_integration_id (data->entry), NULL);

  data->queued = TRUE;
  g_set_object (&data->answer, row);
  g_task_return_boolean (task, TRUE);
}

/* After a replay: acknowledged changes are done; what was not answered waits in the queue
 * (offline, or behind a conflict). */
static void
finish_all_waiting_as_queued (PbStore *self)
{
  g_autoptr(GList) tasks = NULL;

  tasks = g_hash_table_get_values (self->waiting);
  g_hash_table_remove_all (self->waiting);   /* frees the keys, not the tasks */
  for (GList *l = tasks; l != NULL; l = l->next)
    {
      GTask *task = l->data;
      ApplyData *data = g_task_get_task_data (task);

      if (data->acknowledged)
        {
          data->replayed = TRUE;
          apply_maybe_done (task);
          g_object_unref (task);
          continue;
        }
      finish_queued (task);
      g_object_unref (task);
    }
}

static void
on_sync_run_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PbStore) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pb_sync_run_finish (PB_SYNC (source), result, &error))
    g_debug ("Sync stopped: %s", error->message);
  finish_all_waiting_as_queued (self);
}

static void
apply_queue (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 *key;

  data->seq = pb_outbox_append (self->outbox, data->entry, &error);
  if (data->seq == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (pb_sync_get_state (self->sync) == PB_SYNC_STATE_OFFLINE || !self->sync_started ||
      !self->online)
    {
      /* What the admin sees follows at once; the change waits in the queue. */
      pb_store_recompute_view (self);
      finish_queued (task);
      g_object_unref (task);
      return;
    }

  /* The backend answered last time: the models follow its answer (one change per row, as
   * before the outbox), or the queue if it cannot be reached after all (finish_queued). */

  key = g_new (gint64, 1);
  *key = data->seq;
  g_hash_table_insert (self->waiting, key, task);
  pb_sync_run_async (self->sync, NULL, on_sync_run_cb, g_object_ref (self));
}

static void apply_check_keyring_next (GTask *task);

static void
on_keyring_checked_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  ApplyData *data = g_task_get_task_data (task);
  const char *field = g_ptr_array_index (data->missing, 0);
  char *value;

  value = pb_secrets_lookup_finish (PB_SECRETS (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (value == NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT,
                               _("This machine’s keyring has no value for “%s”. Type it "
                                 "again."), field);
      g_object_unref (task);
      return;
    }
  secret_password_free (value);
  g_ptr_array_remove_index (data->missing, 0);
  apply_check_keyring_next (task);
}

/* A queued change refers to its values in the keyring: each one not typed now must be
 * there already, or the change could never be sent. */
static void
apply_check_keyring_next (GTask *task)
{
  PbStore *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);

  if (data->missing->len == 0)
    {
      apply_queue (task);
      return;
    }
  pb_secrets_lookup_async (self->secrets, self->backend, self->project_id,
                           pb_operation_get_integration_id (data->operation),
                           g_ptr_array_index (data->missing, 0),
                           g_task_get_cancellable (task), on_keyring_checked_cb, task);
}

static void
on_typed_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  ApplyData *data = g_task_get_task_data (task);
  GHashTableIter iter;
  gpointer key, value;

  if (!pb_secrets_store_finish (PB_SECRETS (source), result, &error))
    {
      /* Nothing was queued: the credentials must be safe before they travel. */
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* The server refuses values over 8 KiB; say so beside the field, as it would, without
   * queueing a change that cannot go through. The keyring keeps what was typed. */
  g_hash_table_iter_init (&iter, data->typed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (strlen (value) > PB_STORE_MAX_SECRET_BYTES)
      {
        g_autoptr(JsonObject) details = json_object_new ();
        g_autoptr(JsonObject) fields = json_object_new ();
        g_autofree char *member = g_strconcat ("secrets.", (const char *) key, NULL);
        const char *sentence = _("This value is too long (at most 8 KiB).");

        json_object_set_string_member (fields, member, sentence);
        json_object_set_object_member (details, "fields", g_steal_pointer (&fields));
        g_task_return_error (task, pb_api_error_new_http (400, "validation_failed", details,
                                                          sentence, NULL));
        g_object_unref (task);
        return;
      }

  apply_check_keyring_next (task);
}

void
pb_store_apply_async (PbStore             *self,
                      PbOperation         *operation,
                      GHashTable          *secrets,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(GHashTable) field_errors = NULL;
  ApplyData *data;
  const char * const *fields;
  PbIntegration *before;

  g_return_if_fail (PB_IS_STORE (self));
  g_return_if_fail (PB_IS_OPERATION (operation));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_apply_async);

  data = g_new0 (ApplyData, 1);
  data->operation = g_object_ref (operation);
  data->typed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pb_store_wipe_free);
  data->missing = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);

  if (self->outbox == NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_NOT_LOADED,
                               _("The project is not loaded yet; try again in a moment."));
      return;
    }

  before = pb_store_find_integration (self, pb_operation_get_integration_id (operation), NULL);
  data->before = before ? g_object_ref (before) : NULL;
  if (before == NULL && pb_operation_get_kind (operation) != PB_OPERATION_CREATE)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                               _("This integration is not in the project any more."));
      return;
    }

  /* The entry is built from the operation's JSON: a copy of its own, without values. */
  json = pb_operation_to_json (operation);
  data->entry = pb_outbox_entry_new_from_json (json, &error);
  if (data->entry == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* What the server would refuse is refused at once, with its sentence. */
  if (!pb_overlay_check (self->view, data->entry, self->base_connectors, &field_errors,
                         &error))
    {
      if (field_errors != NULL && g_hash_table_size (field_errors) > 0
          && error->domain == PB_CORE_ERROR)
        {
          g_autoptr(JsonObject) problems = json_object_new ();
          GHashTableIter iter;
          gpointer key, value;

          g_hash_table_iter_init (&iter, field_errors);
          while (g_hash_table_iter_next (&iter, &key, &value))
            json_object_set_string_member (problems, key, value);
          pb_core_error_set_fields (error, problems);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fields = pb_operation_get_secret_fields (operation);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *value = secrets ? g_hash_table_lookup (secrets, fields[i]) : NULL;

      if (value != NULL)
        g_hash_table_insert (data->typed, g_strdup (fields[i]), g_strdup (value));
      else
        g_ptr_array_add (data->missing, g_strdup (fields[i]));
    }

  if (g_hash_table_size (data->typed) > 0)
    {
      /* Keyring first: a queued change refers to its values there. */
      pb_secrets_store_async (self->secrets, self->backend, self->project_id,
                              pb_operation_get_integration_id (operation), data->typed,
                              cancellable, on_typed_stored_cb, g_steal_pointer (&task));
      return;
    }

  apply_check_keyring_next (g_steal_pointer (&task));
}

gboolean
pb_store_apply_finish (PbStore        *self,
                       GAsyncResult   *result,
                       PbIntegration **out_integration,
                       GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  ApplyData *data;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_store_apply_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  ok = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  if (out_integration != NULL)
    *out_integration = (ok && data->answer) ? g_object_ref (data->answer) : NULL;
  return ok;
}

gboolean
pb_store_apply_was_queued (PbStore      *self,
                           GAsyncResult *result)
{
  ApplyData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  return data != NULL && data->queued;
}
