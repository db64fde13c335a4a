/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-outbox"

#include "config.h"

#include "pb-outbox.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pb-outbox-private.h"
#include "pb-replica-private.h"

static void pb_outbox_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PbOutbox, pb_outbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pb_outbox_list_model_init))

enum
{
  PROP_0,
  PROP_N_ITEMS,
  PROP_N_PENDING,
  PROP_N_CONFLICTS,
  PROP_N_REFUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
pb_outbox_get_item_type (GListModel *model)
{
  return PB_TYPE_OUTBOX_ENTRY;
}

static guint
pb_outbox_get_n_items (GListModel *model)
{
  return PB_OUTBOX (model)->entries->len;
}

static gpointer
pb_outbox_get_item (GListModel *model,
                    guint       position)
{
  PbOutbox *self = PB_OUTBOX (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
pb_outbox_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pb_outbox_get_item_type;
  iface->get_n_items = pb_outbox_get_n_items;
  iface->get_item = pb_outbox_get_item;
}

static void
pb_outbox_finalize (GObject *object)
{
  PbOutbox *self = (PbOutbox *) object;

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (pb_outbox_parent_class)->finalize (object);
}

static void
pb_outbox_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PbOutbox *self = PB_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->entries->len);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, pb_outbox_count (self, PB_OUTBOX_STATE_PENDING));
      break;
    case PROP_N_CONFLICTS:
      g_value_set_uint (value, pb_outbox_count (self, PB_OUTBOX_STATE_CONFLICT));
      break;
    case PROP_N_REFUSED:
      g_value_set_uint (value, pb_outbox_count (self, PB_OUTBOX_STATE_REFUSED));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_outbox_class_init (PbOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_outbox_finalize;
  object_class->get_property = pb_outbox_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_CONFLICTS] =
    g_param_spec_uint ("n-conflicts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_REFUSED] =
    g_param_spec_uint ("n-refused", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_outbox_init (PbOutbox *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ---- helpers -------------------------------------------------------------------------- */

static char *
strv_to_text (const char * const *strv)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  node = json_node_init_array (json_node_alloc (), array);
  return json_to_string (node, FALSE);
}

static GStrv
text_to_strv (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *root;

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *field = json_array_get_string_element (array, i);

          if (field != NULL)
            g_strv_builder_add (builder, field);
        }
    }
  return g_strv_builder_end (builder);
}

static gboolean
find_index (PbOutbox *self,
            gint64    seq,
            guint    *out_index)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      if (pb_outbox_entry_get_seq (g_ptr_array_index (self->entries, i)) == seq)
        {
          *out_index = i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
pb_outbox_lookup_or_fail (PbOutbox       *self,
                          gint64          seq,
                          guint          *out_index,
                          GError        **error)
{
  if (find_index (self, seq, out_index))
    return TRUE;
  g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_NOT_FOUND,
               _("The queued change %" PRId64 " is not in the queue any more."), seq);
  return FALSE;
}

void
pb_outbox_notify_counts (PbOutbox *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONFLICTS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_REFUSED]);
}

/* A copy of @entry with another base version, state and outcome. */
PbOutboxEntry *
pb_outbox_copy_entry_with (PbOutboxEntry *entry,
                           gint64         base_version,
                           JsonObject    *payload,
                           const char * const *secret_fields,
                           PbOutboxState  state,
                           const char    *code,
                           const char    *message,
                           JsonObject    *current)
{
  return pb_outbox_entry_new_full (pb_outbox_entry_get_seq (entry),
                                   pb_outbox_entry_get_kind (entry),
                                   pb_outbox_entry_get_integration_id (entry),
                                   base_version,
                                   payload != NULL ? payload : pb_outbox_entry_get_payload (entry),
                                   secret_fields != NULL
                                     ? secret_fields : pb_outbox_entry_get_secret_fields (entry),
                                   state, code, message, current,
                                   pb_outbox_entry_get_created_at (entry));
}

/* Writes the row of @entry (same seq) inside the caller's transaction. */
gboolean
pb_outbox_update_row (PbOutbox       *self,
                      PbOutboxEntry  *entry,
                      GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *payload = pb_replica_object_to_text (pb_outbox_entry_get_payload (entry));
  g_autofree char *fields = strv_to_text (pb_outbox_entry_get_secret_fields (entry));
  g_autofree char *current = pb_replica_object_to_text (pb_outbox_entry_get_current (entry));

  stmt = pb_replica_prepare (self->replica,
                             "UPDATE outbox SET base_version = ?2, payload = ?3,"
                             " secret_fields = ?4, state = ?5, code = ?6, message = ?7,"
                             " current = ?8 WHERE seq = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pb_outbox_entry_get_seq (entry));
  sqlite3_bind_int64 (stmt, 2, pb_outbox_entry_get_base_version (entry));
  pb_replica_bind_text (stmt, 3, payload);
  pb_replica_bind_text (stmt, 4, fields);
  sqlite3_bind_int (stmt, 5, pb_outbox_entry_get_state (entry));
  pb_replica_bind_text (stmt, 6, pb_outbox_entry_get_code (entry));
  pb_replica_bind_text (stmt, 7, pb_outbox_entry_get_message (entry));
  pb_replica_bind_text (stmt, 8, current);
  return pb_replica_step_done (self->replica, stmt, error);
}

gboolean
pb_outbox_delete_row (PbOutbox  *self,
                      gint64     seq,
                      GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = pb_replica_prepare (self->replica, "DELETE FROM outbox WHERE seq = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return pb_replica_step_done (self->replica, stmt, error);
}

static void
change_clear (gpointer data)
{
  PbOutboxChange *change = data;

  g_clear_object (&change->replacement);
}

GArray *
pb_outbox_changes_new (void)
{
  GArray *changes = g_array_new (FALSE, TRUE, sizeof (PbOutboxChange));

  g_array_set_clear_func (changes, change_clear);
  return changes;
}

/* Rebases the entries after @index of @entry's integration that were based on @old_base
 * (or, after a create, on "not on the server yet": <= 0) onto @new_base. */
gboolean
pb_outbox_rebase_followers (PbOutbox       *self,
                            guint           index,
                            PbOutboxEntry  *entry,
                            gint64          old_base,
                            gint64          new_base,
                            GArray         *changes,
                            GError        **error)
{
  const char *id = pb_outbox_entry_get_integration_id (entry);
  gboolean after_create = pb_outbox_entry_get_kind (entry) == PB_OPERATION_CREATE;

  if (new_base < 0)
    return TRUE;

  for (guint i = index + 1; i < self->entries->len; i++)
    {
      PbOutboxEntry *later = g_ptr_array_index (self->entries, i);
      gint64 base = pb_outbox_entry_get_base_version (later);
      PbOutboxChange change = { i, NULL };

      if (g_strcmp0 (pb_outbox_entry_get_integration_id (later), id) != 0 ||
          pb_outbox_entry_get_state (later) == PB_OUTBOX_STATE_REFUSED)
        continue;
      if (!(base == old_base || (after_create && base <= 0)) || base == new_base)
        continue;

      change.replacement = pb_outbox_copy_entry_with (later, new_base, NULL, NULL,
                                       pb_outbox_entry_get_state (later),
                                       pb_outbox_entry_get_code (later),
                                       pb_outbox_entry_get_message (later),
                                       pb_outbox_entry_get_current (later));
      if (!pb_outbox_update_row (self, change.replacement, error))
        {
          g_object_unref (change.replacement);
          return FALSE;
        }
      g_array_append_val (changes, change);
    }
  return TRUE;
}

/* ---- public --------------------------------------------------------------------------- */

PbOutbox *
pb_outbox_new (PbReplica  *replica,
               GError    **error)
{
  g_autoptr(PbOutbox) self = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PB_IS_REPLICA (replica), NULL);

  self = g_object_new (PB_TYPE_OUTBOX, NULL);
  self->replica = g_object_ref (replica);

  stmt = pb_replica_prepare (replica, "SELECT seq, kind, integration_id, base_version, payload,"
                                      " secret_fields, state, code, message, current,"
                                      " created_at FROM outbox ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PbOperationKind kind;
      g_autoptr(JsonObject) payload = NULL;
      g_autoptr(JsonObject) current = NULL;
      g_auto(GStrv) fields = NULL;
      g_autoptr(GDateTime) created_at = NULL;
      const char *current_text = pb_replica_column_text (stmt, 9);
      int state = sqlite3_column_int (stmt, 6);

      payload = pb_json_object_from_string (pb_replica_column_text (stmt, 4), -1, NULL);
      if (!pb_operation_kind_from_string (pb_replica_column_text (stmt, 1), &kind) ||
          payload == NULL || state < PB_OUTBOX_STATE_PENDING || state > PB_OUTBOX_STATE_REFUSED)
        {
          /* Never drop it silently: a damaged entry is the admin's to see. */
          g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE,
                       _("The queued change %" PRId64 " is damaged and cannot be "
                         "read."), (gint64) sqlite3_column_int64 (stmt, 0));
          return NULL;
        }
      if (current_text != NULL)
        current = pb_json_object_from_string (current_text, -1, NULL);
      fields = text_to_strv (pb_replica_column_text (stmt, 5));
      created_at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 10));
      g_ptr_array_add (self->entries,
                       pb_outbox_entry_new_full (sqlite3_column_int64 (stmt, 0), kind,
                                                 pb_replica_column_text (stmt, 2),
                                                 sqlite3_column_int64 (stmt, 3), payload,
                                                 (const char * const *) fields, state,
                                                 pb_replica_column_text (stmt, 7),
                                                 pb_replica_column_text (stmt, 8),
                                                 current, created_at));
    }
  if (rc != SQLITE_DONE)
    {
      pb_replica_set_db_error (replica, error);
      return NULL;
    }

  return g_steal_pointer (&self);
}

PbReplica *
pb_outbox_get_replica (PbOutbox *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX (self), NULL);
  return self->replica;
}

gboolean
pb_outbox_check_payload (JsonObject  *payload,
                         GError     **error)
{
  JsonNode *secrets = json_object_get_member (payload, "secrets");
  JsonObjectIter iter;
  const char *field;
  JsonNode *value;

  if (secrets == NULL || JSON_NODE_HOLDS_NULL (secrets))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (secrets))
    {
      gboolean ok = TRUE;

      json_object_iter_init (&iter, json_node_get_object (secrets));
      while (json_object_iter_next (&iter, &field, &value))
        ok = ok && JSON_NODE_HOLDS_NULL (value);
      if (ok)
        return TRUE;
    }
  g_set_error_literal (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_SECRET_VALUE,
                       _("A queued change may not hold credential values; they belong in the "
                         "keyring."));
  return FALSE;
}

gint64
pb_outbox_append (PbOutbox       *self,
                  PbOutboxEntry  *entry,
                  GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *fields = NULL;
  gint64 seq;
  guint position;

  g_return_val_if_fail (PB_IS_OUTBOX (self), 0);
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (entry), 0);
  g_return_val_if_fail (pb_outbox_entry_get_seq (entry) == 0, 0);

  if (!pb_outbox_check_payload (pb_outbox_entry_get_payload (entry), error))
    return 0;

  payload = pb_replica_object_to_text (pb_outbox_entry_get_payload (entry));
  fields = strv_to_text (pb_outbox_entry_get_secret_fields (entry));

  if (!pb_replica_begin (self->replica, error))
    return 0;
  stmt = pb_replica_prepare (self->replica,
                             "INSERT INTO outbox (kind, integration_id, base_version, payload,"
                             " secret_fields, state, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 0,"
                             " ?6)", error);
  if (stmt == NULL)
    goto failed;
  pb_replica_bind_text (stmt, 1, pb_operation_kind_to_string (pb_outbox_entry_get_kind (entry)));
  pb_replica_bind_text (stmt, 2, pb_outbox_entry_get_integration_id (entry));
  sqlite3_bind_int64 (stmt, 3, pb_outbox_entry_get_base_version (entry));
  pb_replica_bind_text (stmt, 4, payload);
  pb_replica_bind_text (stmt, 5, fields);
  sqlite3_bind_int64 (stmt, 6, g_date_time_to_unix (pb_outbox_entry_get_created_at (entry)));
  if (!pb_replica_step_done (self->replica, stmt, error))
    goto failed;
  seq = sqlite3_last_insert_rowid (sqlite3_db_handle (stmt));
  if (!pb_replica_commit (self->replica, error))
    return 0;

  position = self->entries->len;
  g_ptr_array_add (self->entries,
                   pb_outbox_entry_new_full (seq, pb_outbox_entry_get_kind (entry),
                                             pb_outbox_entry_get_integration_id (entry),
                                             pb_outbox_entry_get_base_version (entry),
                                             pb_outbox_entry_get_payload (entry),
                                             pb_outbox_entry_get_secret_fields (entry),
                                             PB_OUTBOX_STATE_PENDING, NULL, NULL, NULL,
                                             pb_outbox_entry_get_created_at (entry)));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  pb_outbox_notify_counts (self);
  return seq;

failed:
  pb_replica_rollback (self->replica);
  return 0;
}

PbOutboxEntry *
pb_outbox_lookup (PbOutbox *self,
                  gint64    seq)
{
  guint index;

  g_return_val_if_fail (PB_IS_OUTBOX (self), NULL);

  if (!find_index (self, seq, &index))
    return NULL;
  return g_ptr_array_index (self->entries, index);
}

PbOutboxEntry *
pb_outbox_peek_sendable (PbOutbox *self)
{
  g_autoptr(GHashTable) blocked = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (PB_IS_OUTBOX (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      PbOutboxEntry *entry = g_ptr_array_index (self->entries, i);
      const char *id = pb_outbox_entry_get_integration_id (entry);

      if (pb_outbox_entry_get_state (entry) != PB_OUTBOX_STATE_PENDING)
        g_hash_table_add (blocked, (gpointer) id);
      else if (!g_hash_table_contains (blocked, id))
        return entry;
    }
  return NULL;
}

guint
pb_outbox_count (PbOutbox      *self,
                 PbOutboxState  state)
{
  guint n = 0;

  g_return_val_if_fail (PB_IS_OUTBOX (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    if (pb_outbox_entry_get_state (g_ptr_array_index (self->entries, i)) == state)
      n++;
  return n;
}

gboolean
pb_outbox_has_entries_for (PbOutbox   *self,
                           const char *integration_id)
{
  g_return_val_if_fail (PB_IS_OUTBOX (self), FALSE);

  for (guint i = 0; i < self->entries->len; i++)
    if (g_strcmp0 (pb_outbox_entry_get_integration_id (g_ptr_array_index (self->entries, i)),
                   integration_id) == 0)
      return TRUE;
  return FALSE;
}
