/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-outbox"

#include "config.h"

#include "pb-outbox.h"

#include <glib/gi18n-lib.h>

#include "pb-outbox-private.h"
#include "pb-replica-private.h"

/* What happens to a queued change after it was tried: acknowledged, conflict, refused, and
 * the person's resolutions (rebase, drop, requeue). */

/* The connector's other integrations in the replica stop being the default. */
static gboolean
clear_other_defaults (PbOutbox    *self,
                      JsonObject  *answer,
                      GError     **error)
{
  g_autoptr(GPtrArray) stored = NULL;
  const char *id = json_object_get_string_member_with_default (answer, "id", "");
  const char *connector = json_object_get_string_member_with_default (answer, "connector_key",
                                                                      "");

  if (!json_object_get_boolean_member_with_default (answer, "default", FALSE))
    return TRUE;

  stored = pb_replica_load_integrations (self->replica, error);
  if (stored == NULL)
    return FALSE;
  for (guint i = 0; i < stored->len; i++)
    {
      PbIntegration *other = g_ptr_array_index (stored, i);
      g_autoptr(JsonObject) object = NULL;

      if (g_str_equal (pb_integration_get_id (other), id) ||
          g_strcmp0 (pb_integration_get_connector_key (other), connector) != 0 ||
          !pb_integration_get_is_default (other))
        continue;
      object = pb_integration_to_json (other);
      json_object_set_boolean_member (object, "default", FALSE);
      if (!pb_replica_put_integration_json (self->replica, object, error))
        return FALSE;
    }
  return TRUE;
}

/* Finishes a change: commit, then update the list (replacements, then the removal of
 * @removed_index if it is not G_MAXUINT) with the matching signals. */
static gboolean
commit_changes (PbOutbox  *self,
                GArray    *changes,
                guint      removed_index,
                GError   **error)
{
  if (!pb_replica_commit (self->replica, error))
    return FALSE;

  for (guint i = 0; i < changes->len; i++)
    {
      PbOutboxChange *change = &g_array_index (changes, PbOutboxChange, i);
      PbOutboxEntry *old = g_ptr_array_index (self->entries, change->index);

      g_ptr_array_index (self->entries, change->index) = g_steal_pointer (&change->replacement);
      g_object_unref (old);
      g_list_model_items_changed (G_LIST_MODEL (self), change->index, 1, 1);
    }
  if (removed_index != G_MAXUINT)
    {
      g_ptr_array_remove_index (self->entries, removed_index);
      g_list_model_items_changed (G_LIST_MODEL (self), removed_index, 1, 0);
    }
  pb_outbox_notify_counts (self);
  return TRUE;
}

gboolean
pb_outbox_acknowledge (PbOutbox    *self,
                       gint64       seq,
                       JsonObject  *answer,
                       GError     **error)
{
  g_autoptr(GArray) changes = pb_outbox_changes_new ();
  PbOutboxEntry *entry;
  guint index;
  gint64 new_base = -1;

  g_return_val_if_fail (PB_IS_OUTBOX (self), FALSE);

  if (!pb_outbox_lookup_or_fail (self, seq, &index, error))
    return FALSE;
  entry = g_ptr_array_index (self->entries, index);

  if (!pb_replica_begin (self->replica, error))
    return FALSE;
  if (!pb_outbox_delete_row (self, seq, error))
    goto failed;
  if (answer != NULL)
    {
      new_base = json_object_get_int_member_with_default (answer, "version", -1);
      if (!pb_replica_put_integration_json (self->replica, answer, error) ||
          !clear_other_defaults (self, answer, error))
        goto failed;
    }
  else if (pb_outbox_entry_get_kind (entry) == PB_OPERATION_DELETE)
    {
      if (!pb_replica_delete_integration_row (self->replica,
                                              pb_outbox_entry_get_integration_id (entry), error))
        goto failed;
    }
  if (!pb_outbox_rebase_followers (self, index, entry, pb_outbox_entry_get_base_version (entry), new_base,
                         changes, error))
    goto failed;

  return commit_changes (self, changes, index, error);

failed:
  pb_replica_rollback (self->replica);
  return FALSE;
}

static gboolean
set_state (PbOutbox       *self,
           gint64          seq,
           PbOutboxState   state,
           const char     *code,
           const char     *message,
           JsonObject     *current,
           GError        **error)
{
  g_autoptr(GArray) changes = pb_outbox_changes_new ();
  PbOutboxEntry *entry;
  PbOutboxChange change;
  guint index;

  if (!pb_outbox_lookup_or_fail (self, seq, &index, error))
    return FALSE;
  entry = g_ptr_array_index (self->entries, index);

  change.index = index;
  change.replacement = pb_outbox_copy_entry_with (entry, pb_outbox_entry_get_base_version (entry), NULL, NULL,
                                   state, code, message, current);
  g_array_append_val (changes, change);

  if (!pb_replica_begin (self->replica, error))
    return FALSE;
  if (!pb_outbox_update_row (self, change.replacement, error))
    {
      pb_replica_rollback (self->replica);
      return FALSE;
    }
  return commit_changes (self, changes, G_MAXUINT, error);
}

gboolean
pb_outbox_mark_conflict (PbOutbox    *self,
                         gint64       seq,
                         JsonObject  *current,
                         const char  *message,
                         GError     **error)
{
  g_return_val_if_fail (PB_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (current != NULL, FALSE);

  if (!pb_replica_check_no_secret_values (current, error))
    return FALSE;
  return set_state (self, seq, PB_OUTBOX_STATE_CONFLICT, "version_mismatch", message, current,
                    error);
}

gboolean
pb_outbox_mark_refused (PbOutbox    *self,
                        gint64       seq,
                        const char  *code,
                        const char  *message,
                        GError     **error)
{
  g_return_val_if_fail (PB_IS_OUTBOX (self), FALSE);

  return set_state (self, seq, PB_OUTBOX_STATE_REFUSED, code, message, NULL, error);
}

/* The common part of the resolutions: in one transaction, store the server's version of
 * entry @seq (when it has one), replace or remove the entry, and rebase its followers. */
static gboolean
resolve (PbOutbox            *self,
         gint64               seq,
         gboolean             remove,
         JsonObject          *payload,
         const char * const  *secret_fields,
         GError             **error)
{
  g_autoptr(GArray) changes = pb_outbox_changes_new ();
  PbOutboxEntry *entry;
  JsonObject *current;
  guint index;
  gint64 old_base, new_base;

  if (!pb_outbox_lookup_or_fail (self, seq, &index, error))
    return FALSE;
  entry = g_ptr_array_index (self->entries, index);
  current = pb_outbox_entry_get_current (entry);
  old_base = pb_outbox_entry_get_base_version (entry);
  new_base = current != NULL ? json_object_get_int_member_with_default (current, "version", -1)
                             : old_base;

  if (payload != NULL && !pb_outbox_check_payload (payload, error))
    return FALSE;

  if (!pb_replica_begin (self->replica, error))
    return FALSE;
  if (current != NULL && !pb_replica_put_integration_json (self->replica, current, error))
    goto failed;

  if (remove)
    {
      if (!pb_outbox_delete_row (self, seq, error))
        goto failed;
    }
  else
    {
      PbOutboxChange change;

      change.index = index;
      change.replacement = pb_outbox_copy_entry_with (entry, new_base, payload, secret_fields,
                                       PB_OUTBOX_STATE_PENDING, NULL, NULL, NULL);
      g_array_append_val (changes, change);
      if (!pb_outbox_update_row (self, change.replacement, error))
        goto failed;
    }

  if (current != NULL &&
      !pb_outbox_rebase_followers (self, index, entry, old_base, new_base, changes, error))
    goto failed;

  return commit_changes (self, changes, remove ? index : G_MAXUINT, error);

failed:
  pb_replica_rollback (self->replica);
  return FALSE;
}

gboolean
pb_outbox_rebase (PbOutbox  *self,
                  gint64     seq,
                  GError   **error)
{
  g_return_val_if_fail (PB_IS_OUTBOX (self), FALSE);
  return resolve (self, seq, FALSE, NULL, NULL, error);
}

gboolean
pb_outbox_drop (PbOutbox  *self,
                gint64     seq,
                GError   **error)
{
  g_return_val_if_fail (PB_IS_OUTBOX (self), FALSE);
  return resolve (self, seq, TRUE, NULL, NULL, error);
}

gboolean
pb_outbox_requeue (PbOutbox            *self,
                   gint64               seq,
                   JsonObject          *payload,
                   const char * const  *secret_fields,
                   GError             **error)
{
  g_return_val_if_fail (PB_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);

  if (secret_fields == NULL)
    {
      static const char * const none[] = { NULL };

      secret_fields = none;
    }
  return resolve (self, seq, FALSE, payload, secret_fields, error);
}
