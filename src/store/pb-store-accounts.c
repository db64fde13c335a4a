/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PbStore: what only the backend can do with linked accounts (check, link, re-link), and
 * what the queue holds for them. Suspend, resume and delete go through
 * pb_store_apply_async() (pb_operation_new_account()), queued like the integrations'
 * changes. */
#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include "pb-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-private.h"

G_DEFINE_BOXED_TYPE (PbConnectSession, pb_connect_session, pb_connect_session_copy,
                     pb_connect_session_free)

PbConnectSession *
pb_connect_session_copy (const PbConnectSession *session)
{
  PbConnectSession *copy;

  g_return_val_if_fail (session != NULL, NULL);

  copy = g_new0 (PbConnectSession, 1);
  copy->token = g_strdup (session->token);
  copy->url = g_strdup (session->url);
  copy->integration_id = g_strdup (session->integration_id);
  copy->account_id = g_strdup (session->account_id);
  copy->expires_at = session->expires_at ? g_date_time_ref (session->expires_at) : NULL;
  return copy;
}

void
pb_connect_session_free (PbConnectSession *session)
{
  if (session == NULL)
    return;
  /* The token lets whoever holds it link an account: not left behind in freed memory. */
  if (session->token != NULL)
    explicit_bzero (session->token, strlen (session->token));
  g_free (session->token);
  g_free (session->url);
  g_free (session->integration_id);
  g_free (session->account_id);
  g_clear_pointer (&session->expires_at, g_date_time_unref);
  g_free (session);
}

/* Linking and checking need the backend's answer: nothing of them can wait in the queue. */
static gboolean
check_reachable (PbStore  *self,
                 GError  **error)
{
  if (self->online && (self->sync == NULL
                       || pb_sync_get_state (self->sync) != PB_SYNC_STATE_OFFLINE))
    return TRUE;
  /* Worded for people by the UI (pb_error_sentence()). */
  g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_NEEDS_BACKEND,
                       "The backend cannot be reached, and this cannot wait in the queue.");
  return FALSE;
}

gboolean
pb_store_find_account_change (PbStore         *self,
                              const char      *account_id,
                              PbOperationKind *out_kind)
{
  GListModel *pending;
  gboolean found = FALSE;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);

  pending = pb_store_get_pending (self);
  for (guint i = 0; i < g_list_model_get_n_items (pending); i++)
    {
      g_autoptr(PbOutboxEntry) entry = g_list_model_get_item (pending, i);
      PbOperationKind kind = pb_outbox_entry_get_kind (entry);

      if (!pb_operation_kind_is_account (kind) ||
          pb_outbox_entry_get_state (entry) == PB_OUTBOX_STATE_REFUSED ||
          g_strcmp0 (json_object_get_string_member_with_default (
                       pb_outbox_entry_get_payload (entry), "account_id", NULL),
                     account_id) != 0)
        continue;
      /* The last one queued is what the account will be. */
      found = TRUE;
      if (out_kind != NULL)
        *out_kind = kind;
    }
  return found;
}

/* ---- check credentials ---------------------------------------------------------------- */

static void
on_refreshed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PbLinkedAccount *account;

  account = pb_client_refresh_account_finish (PB_CLIENT (source), result, &error);
  if (account == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, account, g_object_unref);
}

void
pb_store_check_account_async (PbStore             *self,
                              const char          *account_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PB_IS_STORE (self));
  g_return_if_fail (account_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_check_account_async);
  if (!check_reachable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pb_client_refresh_account_async (self->client, account_id, cancellable, on_refreshed_cb,
                                   g_steal_pointer (&task));
}

PbLinkedAccount *
pb_store_check_account_finish (PbStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_store_check_account_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- connect sessions ----------------------------------------------------------------- */

static void
on_session_created_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  PbConnectSession *session;
  const char *token;
  const char *expires;

  answer = pb_client_create_connect_session_finish (PB_CLIENT (source), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  token = json_object_get_string_member_with_default (answer, "token", NULL);
  if (token == NULL || *token == '\0')
    {
      g_task_return_new_error (task, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                               "A connect session must have a token.");
      return;
    }
  session = pb_connect_session_copy (g_task_get_task_data (task));
  session->token = g_strdup (token);
  session->url = g_strdup (json_object_get_string_member_with_default (answer, "url", NULL));
  expires = json_object_get_string_member_with_default (answer, "expires_at", NULL);
  session->expires_at = expires ? g_date_time_new_from_iso8601 (expires, NULL) : NULL;
  if (session->integration_id == NULL)
    session->integration_id = g_strdup (json_object_get_string_member_with_default (
                                          answer, "integration_id", NULL));
  g_task_return_pointer (task, session, (GDestroyNotify) pb_connect_session_free);
}

void
pb_store_create_connect_session_async (PbStore             *self,
                                       const char          *integration_id,
                                       const char          *account_id,
                                       const char          *owner_id,
                                       const char          *owner_name,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  PbConnectSession *wanted;
  PbIntegration *integration;

  g_return_if_fail (PB_IS_STORE (self));
  g_return_if_fail (integration_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_create_connect_session_async);
  if (!check_reachable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  integration = pb_store_find_integration (self, integration_id, NULL);
  if (integration == NULL)
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                               _("This integration is not in the project any more."));
      return;
    }
  if (account_id == NULL && (owner_id == NULL || *owner_id == '\0'))
    {
      g_task_return_new_error (task, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT,
                               _("Enter the owner’s ID: the account is linked for it."));
      return;
    }

  wanted = g_new0 (PbConnectSession, 1);
  wanted->integration_id = g_strdup (integration_id);
  wanted->account_id = g_strdup (account_id);
  g_task_set_task_data (task, wanted, (GDestroyNotify) pb_connect_session_free);

  json_object_set_string_member (body, "provider", pb_integration_get_connector_key (integration));
  json_object_set_string_member (body, "integration_id", integration_id);
  if (account_id != NULL)
    json_object_set_string_member (body, "account_id", account_id);
  if (owner_id != NULL && *owner_id != '\0')
    json_object_set_string_member (body, "origin_owner_id", owner_id);
  if (owner_name != NULL && *owner_name != '\0')
    json_object_set_string_member (body, "origin_owner_name", owner_name);
  else if (owner_id != NULL && *owner_id != '\0')
    json_object_set_string_member (body, "origin_owner_name", owner_id);

  pb_client_create_connect_session_async (self->client, body, cancellable,
                                          on_session_created_cb, g_steal_pointer (&task));
}

PbConnectSession *
pb_store_create_connect_session_finish (PbStore       *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pb_store_create_connect_session_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_authenticated_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PbLinkedAccount *account;

  account = pb_client_authenticate_connect_session_finish (PB_CLIENT (source), result, &error);
  if (account == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, account, g_object_unref);
}

void
pb_store_authenticate_connect_session_async (PbStore             *self,
                                             PbConnectSession    *session,
                                             GHashTable          *credentials,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  JsonObject *values = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (PB_IS_STORE (self));
  g_return_if_fail (session != NULL && session->token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_store_authenticate_connect_session_async);
  json_object_set_string_member (body, "token", session->token);
  json_object_set_object_member (body, "credentials", values);
  if (!check_reachable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (credentials != NULL)
    {
      g_hash_table_iter_init (&iter, credentials);
      while (g_hash_table_iter_next (&iter, &key, &value))
        json_object_set_string_member (values, key, value);
    }
  /* The client has the body serialised when this returns: the values go from here straight
   * to the backend, and are wiped from the body at once (never the replica, the queue or
   * the keyring). */
  pb_client_authenticate_connect_session_async (self->client, body, cancellable,
                                                on_authenticated_cb, g_steal_pointer (&task));
  if (credentials != NULL)
    {
      g_hash_table_iter_init (&iter, credentials);
      while (g_hash_table_iter_next (&iter, &key, &value))
        json_object_set_null_member (values, key);
    }
}

PbLinkedAccount *
pb_store_authenticate_connect_session_finish (PbStore       *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pb_store_authenticate_connect_session_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
