/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-sync"

#include "config.h"

#include "pb-sync.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-outbox-private.h"
#include "pb-sync-private.h"

/* The replay: sends the outbox entries in order, then refreshes the replica. */

/* ---- sending -------------------------------------------------------------------------- */

typedef struct
{
  PbSync *self;
  PbOutboxEntry *entry;
  GHashTable *values;      /* field → value, wiped when freed */
} Send;

static void
wipe_free (gpointer data)
{
  char *value = data;

  if (value != NULL)
    {
      explicit_bzero (value, strlen (value));
      g_free (value);
    }
}

static void
send_free (Send *send)
{
  g_clear_object (&send->self);
  g_clear_object (&send->entry);
  g_clear_pointer (&send->values, g_hash_table_unref);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Send, send_free)

static char *
hint_of (const char *value)
{
  glong chars = g_utf8_strlen (value, -1);

  if (chars < 8)
    return NULL;
  return g_strdup (g_utf8_offset_to_pointer (value, chars - 4));
}

/* Whether @current (the server's version after a 412) already holds every value of the
 * entry: the change was taken before, the acknowledgement was lost (the process died). */
static gboolean
already_applied (Send       *send,
                 JsonObject *current)
{
  JsonObject *payload = pb_outbox_entry_get_payload (send->entry);
  const char * const *fields = pb_outbox_entry_get_secret_fields (send->entry);
  JsonObject *config = NULL;
  JsonObject *secrets = NULL;
  JsonObject *now_config;
  JsonObject *now_secrets;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (json_object_get_int_member_with_default (current, "version", -1) <=
      pb_outbox_entry_get_base_version (send->entry))
    return FALSE;

  if (json_object_has_member (payload, "name") &&
      g_strcmp0 (json_object_get_string_member_with_default (payload, "name", NULL),
                 json_object_get_string_member_with_default (current, "name", "")) != 0)
    return FALSE;
  if (json_object_has_member (payload, "authentication_config_key") &&
      g_strcmp0 (json_object_get_string_member_with_default (payload,
                                                             "authentication_config_key", NULL),
                 json_object_get_string_member_with_default (current,
                                                             "authentication_config_key",
                                                             "")) != 0)
    return FALSE;
  if (json_object_has_member (payload, "oauth_app") &&
      g_strcmp0 (json_object_get_string_member_with_default (payload, "oauth_app", NULL),
                 json_object_get_string_member_with_default (current, "oauth_app", NULL)) != 0)
    return FALSE;
  if (json_object_has_member (payload, "active") &&
      json_object_get_boolean_member_with_default (payload, "active", TRUE) !=
      json_object_get_boolean_member_with_default (current, "active", TRUE))
    return FALSE;
  if (json_object_has_member (payload, "default") &&
      json_object_get_boolean_member_with_default (payload, "default", FALSE) !=
      json_object_get_boolean_member_with_default (current, "default", FALSE))
    return FALSE;

  now_config = json_object_has_member (current, "config")
               ? json_object_get_object_member (current, "config") : NULL;
  now_secrets = json_object_has_member (current, "secrets")
                ? json_object_get_object_member (current, "secrets") : NULL;

  if (json_object_has_member (payload, "config"))
    config = json_object_get_object_member (payload, "config");
  if (config != NULL)
    {
      json_object_iter_init (&iter, config);
      while (json_object_iter_next (&iter, &key, &value))
        {
          gboolean present = now_config != NULL && json_object_has_member (now_config, key);

          if (JSON_NODE_HOLDS_NULL (value) ? present
                                           : !present ||
                                             g_strcmp0 (json_node_get_string (value),
                                                        json_object_get_string_member_with_default (
                                                          now_config, key, NULL)) != 0)
            return FALSE;
        }
    }

  if (json_object_has_member (payload, "secrets"))
    secrets = json_object_get_object_member (payload, "secrets");
  if (secrets != NULL)
    {
      json_object_iter_init (&iter, secrets);
      while (json_object_iter_next (&iter, &key, &value))
        {
          JsonObject *state = now_secrets != NULL && json_object_has_member (now_secrets, key)
                              ? json_object_get_object_member (now_secrets, key) : NULL;

          if (state != NULL && json_object_get_boolean_member_with_default (state, "set", FALSE))
            return FALSE;
        }
    }

  for (guint i = 0; fields[i] != NULL; i++)
    {
      JsonObject *state = now_secrets != NULL && json_object_has_member (now_secrets, fields[i])
                          ? json_object_get_object_member (now_secrets, fields[i]) : NULL;
      const char *value_sent = send->values ? g_hash_table_lookup (send->values, fields[i]) : NULL;
      const char *hint;
      g_autofree char *tail = NULL;

      if (state == NULL || !json_object_get_boolean_member_with_default (state, "set", FALSE))
        return FALSE;
      hint = json_object_get_string_member_with_default (state, "hint", NULL);
      tail = value_sent != NULL ? hint_of (value_sent) : NULL;
      if (tail != NULL && hint != NULL && !g_str_has_suffix (hint, tail))
        return FALSE;
    }

  return TRUE;
}

static void
handle_success (Send          *send,
                PbIntegration *answer)
{
  PbSync *self = send->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) json = answer != NULL ? pb_integration_to_json (answer) : NULL;

  if (!pb_outbox_acknowledge (self->outbox, pb_outbox_entry_get_seq (send->entry), json, &error))
    {
      pb_sync_finish_run (self, g_steal_pointer (&error));
      return;
    }
  /* The next request (the next change, or the refresh that brings the replica up to date)
   * goes out before the handlers make the models follow this answer: their work on the main
   * thread then overlaps the backend's instead of delaying it. */
  pb_sync_run_next (self);
  pb_sync_emit_acknowledged (self, send->entry, answer);
}

static void
handle_acknowledged_json (Send       *send,
                          JsonObject *current)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) answer = pb_integration_new_from_json (current, &error);

  if (answer == NULL)
    {
      pb_sync_finish_run (send->self, g_steal_pointer (&error));
      return;
    }
  handle_success (send, answer);
}

static void
refuse (Send        *send,
        const char  *code,
        const char  *message)
{
  PbSync *self = send->self;
  g_autoptr(GError) error = NULL;
  gint64 seq = pb_outbox_entry_get_seq (send->entry);

  if (!pb_outbox_mark_refused (self->outbox, seq, code, message, &error))
    {
      pb_sync_finish_run (self, g_steal_pointer (&error));
      return;
    }
  pb_sync_emit_refused (self, pb_outbox_lookup (self->outbox, seq), message);
  pb_sync_run_next (self);
}

static void
handle_failure (Send   *send,
                GError *error)
{
  PbSync *self = send->self;
  PbOperationKind kind = pb_outbox_entry_get_kind (send->entry);
  gint64 seq = pb_outbox_entry_get_seq (send->entry);

  if (error->domain != PB_API_ERROR)
    {
      pb_sync_finish_run (self, g_error_copy (error));
      return;
    }

  switch ((PbApiError) error->code)
    {
    case PB_API_ERROR_VERSION_MISMATCH:
      {
        JsonObject *current = pb_api_error_get_current (error);
        g_autoptr(GError) local_error = NULL;

        if (current == NULL)
          {
            refuse (send, "version_mismatch", error->message);
            return;
          }
        if (kind != PB_OPERATION_DELETE && already_applied (send, current))
          {
            g_debug ("Change %" G_GINT64_FORMAT " was taken before; acknowledging it", seq);
            handle_acknowledged_json (send, current);
            return;
          }
        if (!pb_outbox_mark_conflict (self->outbox, seq, current, error->message, &local_error))
          {
            pb_sync_finish_run (self, g_steal_pointer (&local_error));
            return;
          }
        pb_sync_emit_conflict (self, pb_outbox_lookup (self->outbox, seq), current);
        pb_sync_run_next (self);
        return;
      }

    case PB_API_ERROR_NOT_FOUND:
      if (kind == PB_OPERATION_DELETE || kind == PB_OPERATION_DELETE_ACCOUNT)
        {
          /* Gone already (our delete was taken before, or someone else's): done. */
          handle_success (send, NULL);
          return;
        }
      refuse (send, pb_api_error_get_code (error) ? pb_api_error_get_code (error) : "not_found",
              error->message);
      return;

    case PB_API_ERROR_FORBIDDEN:
    case PB_API_ERROR_CONFLICT:
    case PB_API_ERROR_VALIDATION:
      refuse (send, pb_api_error_get_code (error), error->message);
      return;

    case PB_API_ERROR_UNREACHABLE:
    case PB_API_ERROR_TLS:
    case PB_API_ERROR_UNAUTHORIZED:
    case PB_API_ERROR_RATE_LIMITED:
    case PB_API_ERROR_SERVER:
    case PB_API_ERROR_INVALID_RESPONSE:
    case PB_API_ERROR_INVALID_URL:
    default:
      /* Not this change's fault: it stays first in the queue. */
      pb_sync_finish_run (self, g_error_copy (error));
      return;
    }
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  gboolean ok;

  switch (pb_outbox_entry_get_kind (send->entry))
    {
    case PB_OPERATION_CREATE:
      answer = pb_client_create_integration_finish (PB_CLIENT (source), result, &error);
      ok = answer != NULL;
      break;
    case PB_OPERATION_SUSPEND_ACCOUNT:
    case PB_OPERATION_RESUME_ACCOUNT:
      {
        /* The integration's row is not what changed: acknowledged without one. */
        g_autoptr(PbLinkedAccount) account = NULL;

        account = pb_client_update_account_finish (PB_CLIENT (source), result, &error);
        ok = account != NULL;
        break;
      }
    case PB_OPERATION_DELETE_ACCOUNT:
      ok = pb_client_delete_account_finish (PB_CLIENT (source), result, &error);
      break;
    case PB_OPERATION_DELETE:
      ok = pb_client_delete_integration_finish (PB_CLIENT (source), result, &error);
      break;
    case PB_OPERATION_UPDATE:
    case PB_OPERATION_CHANGE_AUTH_TYPE:
    case PB_OPERATION_SET_CREDENTIALS:
    case PB_OPERATION_ENABLE:
    case PB_OPERATION_DISABLE:
    case PB_OPERATION_MAKE_DEFAULT:
    default:
      answer = pb_client_update_integration_finish (PB_CLIENT (source), result, &error);
      ok = answer != NULL;
      break;
    }

  if (ok)
    handle_success (send, answer);
  else
    handle_failure (send, error);
}

static void
send_entry (Send *send)
{
  PbSync *self = send->self;
  PbOutboxEntry *entry = send->entry;
  const char *id = pb_outbox_entry_get_integration_id (entry);
  gint64 version = pb_outbox_entry_get_base_version (entry);
  const char * const *fields = pb_outbox_entry_get_secret_fields (entry);
  g_autoptr(JsonObject) body = NULL;

  if (pb_outbox_entry_get_kind (entry) == PB_OPERATION_DELETE)
    {
      pb_client_delete_integration_async (self->client, id, version, self->cancellable,
                                          on_sent_cb, send);
      return;
    }

  if (pb_operation_kind_is_account (pb_outbox_entry_get_kind (entry)))
    {
      JsonObject *payload = pb_outbox_entry_get_payload (entry);
      const char *account_id = json_object_get_string_member_with_default (payload,
                                                                           "account_id", "");

      if (pb_outbox_entry_get_kind (entry) == PB_OPERATION_DELETE_ACCOUNT)
        {
          pb_client_delete_account_async (self->client, account_id, self->cancellable,
                                          on_sent_cb, send);
          return;
        }
      body = json_object_new ();
      json_object_set_string_member (body, "status",
                                     json_object_get_string_member_with_default (payload,
                                                                                 "status", ""));
      pb_client_update_account_async (self->client, account_id, body, self->cancellable,
                                      on_sent_cb, send);
      return;
    }

  body = pb_outbox_copy_object (pb_outbox_entry_get_payload (entry));
  if (fields[0] != NULL)
    {
      JsonObject *secrets;

      if (!json_object_has_member (body, "secrets") ||
          !JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "secrets")))
        json_object_set_object_member (body, "secrets", json_object_new ());
      secrets = json_object_get_object_member (body, "secrets");
      for (guint i = 0; fields[i] != NULL; i++)
        json_object_set_string_member (secrets, fields[i],
                                       g_hash_table_lookup (send->values, fields[i]));
    }

  if (pb_outbox_entry_get_kind (entry) == PB_OPERATION_CREATE)
    {
      /* The client's id makes a repeated create harmless. */
      if (!json_object_has_member (body, "id"))
        json_object_set_string_member (body, "id", id);
      pb_client_create_integration_async (self->client, body, self->cancellable, on_sent_cb,
                                          send);
    }
  else
    pb_client_update_integration_async (self->client, id, body, version, self->cancellable,
                                        on_sent_cb, send);

  /* The body held the values: wipe them now that the client has serialised it. */
  if (fields[0] != NULL)
    {
      JsonObject *secrets = json_object_get_object_member (body, "secrets");

      for (guint i = 0; fields[i] != NULL; i++)
        json_object_set_null_member (secrets, fields[i]);
    }
}

static void
on_secrets_looked_up_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  PbSync *self = send->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = NULL;
  const char * const *fields = pb_outbox_entry_get_secret_fields (send->entry);

  values = self->lookup.lookup_finish (self->lookup_data, result, &error);
  if (values == NULL)
    {
      /* A locked or missing keyring: nothing is wrong with the change; try later. */
      pb_sync_finish_run (self, g_steal_pointer (&error));
      return;
    }

  send->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (values, fields[i]);
      g_autofree char *message = NULL;

      if (value == NULL)
        {
          message = g_strdup_printf (_("This machine’s keyring has no value for “%s”. Type it "
                                       "again."), fields[i]);
          refuse (send, "missing_secret", message);
          return;
        }
      g_hash_table_insert (send->values, g_strdup (fields[i]), g_strdup (value));
    }

  send_entry (g_steal_pointer (&send));
}

/* ---- the replay ----------------------------------------------------------------------- */

typedef struct
{
  PbSync *self;
  PbProject *project;
  PbIntegrationChanges *changes;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_clear_object (&refresh->self);
  g_clear_object (&refresh->project);
  g_clear_pointer (&refresh->changes, pb_integration_changes_free);
  g_free (refresh);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Refresh, refresh_free)

static void
on_snapshot_saved_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Refresh) refresh = user_data;
  PbSync *self = refresh->self;
  g_autoptr(GError) error = NULL;

  if (!pb_replica_save_snapshot_finish (PB_REPLICA (source), result, &error))
    {
      pb_sync_finish_run (self, g_steal_pointer (&error));
      return;
    }
  self->replica_fresh = TRUE;
  self->refreshed_in_run = TRUE;
  /* Kept for the "synced" handlers, which need not read it all back then. */
  g_clear_pointer (&self->refreshed, pb_integration_changes_free);
  self->refreshed = g_steal_pointer (&refresh->changes);

  /* Changes queued meanwhile go in this replay too. */
  if (pb_outbox_peek_sendable (self->outbox) != NULL)
    {
      pb_sync_run_next (self);
      return;
    }
  pb_sync_finish_run (self, NULL);
}

static void
on_refreshed_integrations_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(Refresh) refresh = user_data;
  PbSync *self = refresh->self;
  g_autoptr(GError) error = NULL;

  refresh->changes = pb_client_list_integration_changes_finish (PB_CLIENT (source), result,
                                                                &error);
  if (refresh->changes == NULL
      && g_error_matches (error, PB_API_ERROR, PB_API_ERROR_SYNC_TOKEN_EXPIRED))
    {
      /* The backend's change log no longer reaches back to the replica's token: everything
       * again (the outbox is not touched). */
      g_debug ("%s", error->message);
      pb_client_list_integration_changes_async (self->client, NULL, self->cancellable,
                                                on_refreshed_integrations_cb,
                                                g_steal_pointer (&refresh));
      return;
    }
  if (refresh->changes == NULL)
    {
      pb_sync_finish_run (self, g_steal_pointer (&error));
      return;
    }
  /* Written by a worker thread: a big project does not stall the window. */
  pb_replica_save_changes_async (pb_outbox_get_replica (self->outbox), -1, refresh->project,
                                 NULL, refresh->changes, NULL, on_snapshot_saved_cb,
                                 refresh);
  refresh = NULL;
}

static void
on_refreshed_project_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(Refresh) refresh = user_data;
  PbSync *self = refresh->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  refresh->project = pb_client_get_project_finish (PB_CLIENT (source), result, &error);
  if (refresh->project == NULL)
    {
      pb_sync_finish_run (self, g_steal_pointer (&error));
      return;
    }
  /* Only what changed since the replica's last list, when it has its token. */
  token = pb_replica_get_sync_token (pb_outbox_get_replica (self->outbox));
  pb_client_list_integration_changes_async (self->client, token, self->cancellable,
                                            on_refreshed_integrations_cb,
                                            g_steal_pointer (&refresh));
}

static void
refresh_replica (PbSync *self)
{
  Refresh *refresh = g_new0 (Refresh, 1);

  refresh->self = g_object_ref (self);
  pb_client_get_project_async (self->client, self->cancellable, on_refreshed_project_cb,
                               refresh);
}

void
pb_sync_run_next (PbSync *self)
{
  PbOutboxEntry *entry;
  Send *send;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      pb_sync_finish_run (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "The replay was stopped."));
      return;
    }

  entry = pb_outbox_peek_sendable (self->outbox);
  if (entry == NULL)
    {
      /* Nothing was sent since the replica was last filled from the backend (by the previous
       * refresh, or by the store's own load): fetching every integration again would only
       * repeat it. */
      if (self->replica_fresh)
        pb_sync_finish_run (self, NULL);
      else
        refresh_replica (self);
      return;
    }

  /* Whatever the answer, the backend or our view of it may change: refetch at the end. */
  self->replica_fresh = FALSE;
  send = g_new0 (Send, 1);
  send->self = g_object_ref (self);
  send->entry = g_object_ref (entry);

  if (pb_outbox_entry_get_secret_fields (entry)[0] != NULL)
    {
      if (!self->has_lookup)
        {
          g_autoptr(Send) dropped = send;

          pb_sync_finish_run (self, g_error_new_literal (PB_OFFLINE_ERROR,
                                                 PB_OFFLINE_ERROR_MISSING_SECRET,
                                                 _("Credentials cannot be sent: the keyring is "
                                                   "not connected.")));
          return;
        }
      self->lookup.lookup_async (self->lookup_data, pb_outbox_entry_get_integration_id (entry),
                                 pb_outbox_entry_get_secret_fields (entry), self->cancellable,
                                 on_secrets_looked_up_cb, send);
      return;
    }

  send_entry (send);
}

void
pb_sync_refresh (PbSync *self)
{
  g_return_if_fail (PB_IS_SYNC (self));

  /* A replay under way then refreshes at its end even if it sends nothing. */
  self->replica_fresh = FALSE;
  pb_sync_start_run (self);
}

void
pb_sync_run_async (PbSync              *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PB_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_sync_run_async);
  g_ptr_array_add (self->waiting, g_steal_pointer (&task));

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  pb_sync_start_run (self);
}

gboolean
pb_sync_run_finish (PbSync        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (PB_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_sync_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
