/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-offline-ui"

#include "config.h"

#include "pb-offline-ui.h"

#include <glib/gi18n.h>

struct _PbConflictDialog
{
  AdwMessageDialog parent_instance;

  PbStore *store;
  PbOutboxEntry *entry;
  GHashTable *fields;    /* field ("name" or a config key) → GtkEditable of mine */
  GError *error;
};

G_DEFINE_FINAL_TYPE (PbConflictDialog, pb_conflict_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
pb_conflict_dialog_dispose (GObject *object)
{
  PbConflictDialog *self = PB_CONFLICT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->entry);
  g_clear_pointer (&self->fields, g_hash_table_unref);

  G_OBJECT_CLASS (pb_conflict_dialog_parent_class)->dispose (object);
}

static void
pb_conflict_dialog_finalize (GObject *object)
{
  g_clear_error (&PB_CONFLICT_DIALOG (object)->error);

  G_OBJECT_CLASS (pb_conflict_dialog_parent_class)->finalize (object);
}

static JsonObject *
edited_payload (PbConflictDialog *self)
{
  JsonObject *payload = json_object_new ();
  JsonObject *original = pb_outbox_entry_get_payload (self->entry);
  GList *members = json_object_get_members (original);

  /* A copy of the change with what the admin typed in its fields. */
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (original, key);

      if (g_str_equal (key, "name") && g_hash_table_contains (self->fields, "name"))
        json_object_set_string_member (payload, "name",
                                       gtk_editable_get_text (g_hash_table_lookup (self->fields,
                                                                                   "name")));
      else if (g_str_equal (key, "config") && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *config = json_object_get_object_member (original, "config");
          JsonObject *copy = json_object_new ();
          GList *keys = json_object_get_members (config);

          for (GList *k = keys; k != NULL; k = k->next)
            {
              GtkEditable *editable = g_hash_table_lookup (self->fields, k->data);

              if (editable != NULL)
                json_object_set_string_member (copy, k->data, gtk_editable_get_text (editable));
              else
                json_object_set_member (copy, k->data,
                                        json_node_copy (json_object_get_member (config, k->data)));
            }
          g_list_free (keys);
          json_object_set_object_member (payload, "config", copy);
        }
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          /* `secrets` holds nulls only (fields to clear): copied member by member. */
          JsonObject *inner = json_node_get_object (node);
          JsonObject *copy = json_object_new ();
          GList *keys = json_object_get_members (inner);

          for (GList *k = keys; k != NULL; k = k->next)
            json_object_set_member (copy, k->data,
                                    json_node_copy (json_object_get_member (inner, k->data)));
          g_list_free (keys);
          json_object_set_object_member (payload, key, copy);
        }
      else
        json_object_set_member (payload, key, json_node_copy (node));
    }
  g_list_free (members);
  return payload;
}

static void
on_response_cb (PbConflictDialog *self,
                const char       *response)
{
  gint64 seq = pb_outbox_entry_get_seq (self->entry);
  gboolean ok = TRUE;

  g_clear_error (&self->error);
  if (g_str_equal (response, "mine"))
    ok = pb_store_resolve_keep_mine (self->store, seq, &self->error);
  else if (g_str_equal (response, "theirs"))
    ok = pb_store_resolve_keep_theirs (self->store, seq, &self->error);
  else if (g_str_equal (response, "edit"))
    {
      g_autoptr(JsonObject) payload = edited_payload (self);

      ok = pb_store_resolve_edit (self->store, seq, payload,
                                  pb_outbox_entry_get_secret_fields (self->entry), &self->error);
    }
  if (!ok)
    g_warning ("Could not resolve the conflict: %s", self->error->message);
}

static void
pb_conflict_dialog_class_init (PbConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pb_conflict_dialog_dispose;
  object_class->finalize = pb_conflict_dialog_finalize;
}

static void
pb_conflict_dialog_init (PbConflictDialog *self)
{
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static char *
secret_text (PbIntegration *integration,
             const char    *field)
{
  PbSecretState *state = integration ? g_hash_table_lookup (pb_integration_get_secrets (integration),
                                                            field) : NULL;

  if (state == NULL || !state->set)
    return g_strdup (_("Not set"));
  if (state->hint != NULL)
    /* Translators: a credential's hint, e.g. "Set (ends in …9f2c)" */
    return g_strdup_printf (_("Set (ends in %s)"), state->hint);
  return g_strdup (_("Set"));
}

static const char *
yes_no (gboolean value)
{
  return value ? _("Yes") : _("No");
}

static GtkWidget *
cell (const char *text,
      const char *accessible_prefix)
{
  GtkWidget *label = gtk_label_new (text);
  g_autofree char *name = g_strdup_printf ("%s: %s", accessible_prefix, text ? text : "");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  return label;
}

static void
add_row (PbConflictDialog *self,
         GtkGrid          *grid,
         guint            *row,
         const char       *field,
         const char       *label,
         const char       *mine,
         const char       *theirs,
         gboolean          editable)
{
  GtkWidget *title = gtk_label_new (label);
  g_autofree char *mine_name = g_strdup_printf (_("%s, mine"), label);
  g_autofree char *theirs_name = g_strdup_printf (_("%s, theirs"), label);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_grid_attach (grid, title, 0, *row, 1, 1);
  if (editable)
    {
      GtkWidget *entry = gtk_entry_new ();

      gtk_editable_set_text (GTK_EDITABLE (entry), mine ? mine : "");
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      mine_name, -1);
      gtk_grid_attach (grid, entry, 1, *row, 1, 1);
      g_hash_table_insert (self->fields, g_strdup (field), entry);
    }
  else
    gtk_grid_attach (grid, cell (mine, mine_name), 1, *row, 1, 1);
  gtk_grid_attach (grid, cell (theirs, theirs_name), 2, *row, 1, 1);
  (*row)++;
}

static void
collect_keys (GHashTable *table,
              GPtrArray  *keys)
{
  GHashTableIter iter;
  gpointer key;

  if (table == NULL)
    return;
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_ptr_array_find_with_equal_func (keys, key, g_str_equal, NULL))
      g_ptr_array_add (keys, g_strdup (key));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GtkWidget *
pb_conflict_dialog_new (GtkWindow     *parent,
                        PbStore       *store,
                        PbOutboxEntry *entry,
                        JsonObject    *theirs_json)
{
  PbConflictDialog *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) theirs = NULL;
  g_autoptr(PbIntegration) mine = NULL;
  g_autoptr(GPtrArray) config_keys = NULL;
  g_autoptr(GPtrArray) secret_keys = NULL;
  g_autofree char *description = NULL;
  JsonObject *payload;
  JsonObject *payload_config = NULL;
  GtkWidget *grid;
  GtkWidget *heading_mine, *heading_theirs;
  guint row = 1;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (entry), NULL);
  g_return_val_if_fail (theirs_json != NULL, NULL);

  self = g_object_new (PB_TYPE_CONFLICT_DIALOG,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->entry = g_object_ref (entry);

  theirs = pb_integration_new_from_json (theirs_json, &error);
  if (theirs == NULL)
    g_warning ("The server's version cannot be read: %s", error->message);

  /* Mine: my change applied on top of theirs, by the same rules as the cache. */
  mine = pb_store_preview_change (store, entry, theirs);

  description = pb_outbox_entry_describe (entry);
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self),
                                  _("Someone else changed this integration"));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  _("Your change “%s” was made on an older version. Choose "
                                    "which version to keep, or edit yours."), description);

  payload = pb_outbox_entry_get_payload (entry);
  if (json_object_has_member (payload, "config") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "config")))
    payload_config = json_object_get_object_member (payload, "config");

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Both versions, field by field"), -1);
  heading_mine = gtk_label_new (_("Mine"));
  heading_theirs = gtk_label_new (_("Theirs"));
  gtk_widget_add_css_class (heading_mine, "heading");
  gtk_widget_add_css_class (heading_theirs, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading_mine), 0);
  gtk_label_set_xalign (GTK_LABEL (heading_theirs), 0);
  gtk_grid_attach (GTK_GRID (grid), heading_mine, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), heading_theirs, 2, 0, 1, 1);

  add_row (self, GTK_GRID (grid), &row, "name", _("Name"),
           mine ? pb_integration_get_name (mine) : NULL,
           theirs ? pb_integration_get_name (theirs) : NULL,
           json_object_has_member (payload, "name"));
  add_row (self, GTK_GRID (grid), &row, NULL, _("Auth type"),
           mine ? pb_integration_get_auth_type_label (mine) : NULL,
           theirs ? pb_integration_get_auth_type_label (theirs) : NULL, FALSE);
  add_row (self, GTK_GRID (grid), &row, NULL, _("Enabled"),
           mine ? yes_no (pb_integration_get_active (mine)) : NULL,
           theirs ? yes_no (pb_integration_get_active (theirs)) : NULL, FALSE);
  add_row (self, GTK_GRID (grid), &row, NULL, _("Default"),
           mine ? yes_no (pb_integration_get_is_default (mine)) : NULL,
           theirs ? yes_no (pb_integration_get_is_default (theirs)) : NULL, FALSE);

  config_keys = g_ptr_array_new_with_free_func (g_free);
  collect_keys (mine ? pb_integration_get_config (mine) : NULL, config_keys);
  collect_keys (theirs ? pb_integration_get_config (theirs) : NULL, config_keys);
  g_ptr_array_sort (config_keys, compare_strings);
  for (guint i = 0; i < config_keys->len; i++)
    {
      const char *key = g_ptr_array_index (config_keys, i);
      JsonNode *in_payload = payload_config ? json_object_get_member (payload_config, key) : NULL;

      add_row (self, GTK_GRID (grid), &row, key, key,
               mine ? g_hash_table_lookup (pb_integration_get_config (mine), key) : NULL,
               theirs ? g_hash_table_lookup (pb_integration_get_config (theirs), key) : NULL,
               in_payload != NULL && JSON_NODE_HOLDS_VALUE (in_payload));
    }

  /* Credentials: whether each is set and its hint, never a value. */
  secret_keys = g_ptr_array_new_with_free_func (g_free);
  collect_keys (mine ? pb_integration_get_secrets (mine) : NULL, secret_keys);
  collect_keys (theirs ? pb_integration_get_secrets (theirs) : NULL, secret_keys);
  g_ptr_array_sort (secret_keys, compare_strings);
  for (guint i = 0; i < secret_keys->len; i++)
    {
      const char *key = g_ptr_array_index (secret_keys, i);
      g_autofree char *mine_text = secret_text (mine, key);
      g_autofree char *theirs_text = secret_text (theirs, key);

      if (g_strv_contains (pb_outbox_entry_get_secret_fields (entry), key))
        {
          g_free (mine_text);
          mine_text = g_strdup (_("New value from this computer’s keyring"));
        }
      add_row (self, GTK_GRID (grid), &row, NULL, key, mine_text, theirs_text, FALSE);
    }

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), grid);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Later"),
                                    "theirs", _("Keep _Theirs"),
                                    "edit", _("_Edit"),
                                    "mine", _("Keep _Mine"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "mine",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "mine");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  g_signal_connect (self, "response", G_CALLBACK (on_response_cb), NULL);

  return GTK_WIDGET (self);
}

GtkEditable *
pb_conflict_dialog_get_field_entry (PbConflictDialog *self,
                                    const char       *field)
{
  g_return_val_if_fail (PB_IS_CONFLICT_DIALOG (self), NULL);
  return g_hash_table_lookup (self->fields, field);
}

const GError *
pb_conflict_dialog_get_error (PbConflictDialog *self)
{
  g_return_val_if_fail (PB_IS_CONFLICT_DIALOG (self), NULL);
  return self->error;
}
