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
  PbIntegration *mine;    /* the change applied on theirs */
  PbIntegration *theirs;
  GtkWidget *merge;       /* the editor "Edit…" opened (weak), NULL before */
  GHashTable *fields;     /* in the editor: field ("name" or a config key) → GtkEditable */
  GHashTable *toggles;    /* in the editor: secret field → GtkCheckButton "send mine" */
  GError *error;
};

G_DEFINE_FINAL_TYPE (PbConflictDialog, pb_conflict_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
pb_conflict_dialog_dispose (GObject *object)
{
  PbConflictDialog *self = PB_CONFLICT_DIALOG (object);

  if (self->merge != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->merge), (gpointer *) &self->merge);
      self->merge = NULL;
    }

  G_OBJECT_CLASS (pb_conflict_dialog_parent_class)->dispose (object);
}

/* The change and both versions stay until the editor (which holds a reference) is done,
 * even when the dialog was closed (destroyed) by its "Edit…". */
static void
pb_conflict_dialog_finalize (GObject *object)
{
  PbConflictDialog *self = PB_CONFLICT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->entry);
  g_clear_object (&self->mine);
  g_clear_object (&self->theirs);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->toggles, g_hash_table_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (pb_conflict_dialog_parent_class)->finalize (object);
}

/* The field's label in the catalog (of mine's auth type, else theirs'), else its key. */
static const char *
field_label (PbConflictDialog *self,
             const char       *key)
{
  PbIntegration *sides[] = { self->mine, self->theirs };

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      PbConnector *connector;
      PbAuthType *type;
      PbAuthField *field;

      if (sides[i] == NULL)
        continue;
      connector = pb_store_find_connector (self->store,
                                           pb_integration_get_connector_key (sides[i]));
      type = connector != NULL
             ? pb_connector_find_auth_type (connector, pb_integration_get_auth_type_key (sides[i]))
             : NULL;
      field = type != NULL ? pb_auth_type_find_field (type, key) : NULL;
      if (field != NULL)
        return pb_auth_field_get_label (field);
    }
  return key;
}

/* The change as the admin edited it: their values in the entries, the credentials they
 * still send. */
static JsonObject *
edited_payload (PbConflictDialog  *self,
                GPtrArray         *secret_fields)
{
  JsonObject *payload = json_object_new ();
  JsonObject *original = pb_outbox_entry_get_payload (self->entry);
  const char * const *fields = pb_outbox_entry_get_secret_fields (self->entry);
  GList *members = json_object_get_members (original);

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

  for (guint i = 0; fields[i] != NULL; i++)
    {
      GtkCheckButton *toggle = g_hash_table_lookup (self->toggles, fields[i]);

      if (toggle == NULL || gtk_check_button_get_active (toggle))
        g_ptr_array_add (secret_fields, (gpointer) fields[i]);
    }
  g_ptr_array_add (secret_fields, NULL);
  return payload;
}

static void
set_error (PbConflictDialog *self,
           GError           *error)
{
  g_clear_error (&self->error);
  self->error = error;
  if (error != NULL)
    g_warning ("Could not resolve the conflict: %s", error->message);
}

static void
on_merge_response_cb (AdwMessageDialog *merge,
                      const char       *response,
                      PbConflictDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GPtrArray) secret_fields = g_ptr_array_new ();

  if (!g_str_equal (response, "send"))
    return;
  payload = edited_payload (self, secret_fields);
  if (!pb_store_resolve_edit (self->store, pb_outbox_entry_get_seq (self->entry), payload,
                              (const char * const *) secret_fields->pdata, &error))
    set_error (self, g_steal_pointer (&error));
}

static void
on_merge_destroy_cb (PbConflictDialog *self)
{
  g_hash_table_remove_all (self->fields);
  g_hash_table_remove_all (self->toggles);
}

static GtkWidget *
merge_row (const char *label,
           GtkWidget  *value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_label_new (label);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), value);
  return box;
}

/* "Edit…": an editor of the change, field by field, starting from the admin's values;
 * nothing is sent before its Send. */
static void
open_merge (PbConflictDialog *self)
{
  JsonObject *payload = pb_outbox_entry_get_payload (self->entry);
  const char * const *fields = pb_outbox_entry_get_secret_fields (self->entry);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkWidget *merge;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  g_hash_table_remove_all (self->fields);
  g_hash_table_remove_all (self->toggles);
  merge = adw_message_dialog_new (parent, _("Edit Your Change"), NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (merge),
                               _("Each field starts with your value. What you send replaces "
                                 "the server’s value of that field; the others stay as "
                                 "they are on the server."));

  if (json_object_has_member (payload, "name"))
    {
      GtkWidget *entry = gtk_entry_new ();

      gtk_editable_set_text (GTK_EDITABLE (entry),
                             json_object_get_string_member_with_default (payload, "name", ""));
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Name"), -1);
      gtk_box_append (GTK_BOX (box), merge_row (_("Name"), entry));
      g_hash_table_insert (self->fields, g_strdup ("name"), entry);
    }
  if (json_object_has_member (payload, "config") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "config")))
    {
      JsonObject *config = json_object_get_object_member (payload, "config");
      g_autoptr(GList) keys = json_object_get_members (config);

      for (GList *k = keys; k != NULL; k = k->next)
        {
          JsonNode *node = json_object_get_member (config, k->data);
          GtkWidget *entry;

          if (!JSON_NODE_HOLDS_VALUE (node))
            continue;
          entry = gtk_entry_new ();
          gtk_editable_set_text (GTK_EDITABLE (entry), json_node_get_string (node));
          gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          field_label (self, k->data), -1);
          gtk_box_append (GTK_BOX (box), merge_row (field_label (self, k->data), entry));
          g_hash_table_insert (self->fields, g_strdup (k->data), entry);
        }
    }
  for (guint i = 0; fields[i] != NULL; i++)
    {
      /* Translators: a check button of the conflict's editor; %s: a credential's label */
      g_autofree char *text = g_strdup_printf (_("Send my new %s"), field_label (self, fields[i]));
      GtkWidget *toggle = gtk_check_button_new_with_label (text);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (toggle), TRUE);
      gtk_box_append (GTK_BOX (box), toggle);
      g_hash_table_insert (self->toggles, g_strdup (fields[i]), toggle);
    }

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (merge), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (merge),
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (merge), "send",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (merge), "send");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (merge), "cancel");
  /* The conflict dialog lives as long as its editor. */
  g_signal_connect_data (merge, "response", G_CALLBACK (on_merge_response_cb),
                         g_object_ref (self), (GClosureNotify) (void (*) (void)) g_object_unref,
                         0);
  g_signal_connect_swapped (merge, "destroy", G_CALLBACK (on_merge_destroy_cb), self);
  self->merge = merge;
  g_object_add_weak_pointer (G_OBJECT (merge), (gpointer *) &self->merge);
  gtk_window_present (GTK_WINDOW (merge));
}

static void
on_response_cb (PbConflictDialog *self,
                const char       *response)
{
  gint64 seq = pb_outbox_entry_get_seq (self->entry);
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  g_clear_error (&self->error);
  if (g_str_equal (response, "mine"))
    ok = pb_store_resolve_keep_mine (self->store, seq, &error);
  else if (g_str_equal (response, "theirs"))
    ok = pb_store_resolve_keep_theirs (self->store, seq, &error);
  else if (g_str_equal (response, "edit"))
    open_merge (self);
  if (!ok)
    set_error (self, g_steal_pointer (&error));
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
  self->toggles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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

/* A row for a field whose two versions differ; none when they agree. */
static void
add_row (GtkGrid    *grid,
         guint      *row,
         const char *label,
         const char *mine,
         const char *theirs)
{
  GtkWidget *title;
  g_autofree char *mine_name = NULL;
  g_autofree char *theirs_name = NULL;

  if (g_strcmp0 (mine, theirs) == 0)
    return;
  title = gtk_label_new (label);
  mine_name = g_strdup_printf (_("%s, mine"), label);
  theirs_name = g_strdup_printf (_("%s, theirs"), label);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_grid_attach (grid, title, 0, *row, 1, 1);
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
  g_autoptr(GPtrArray) config_keys = NULL;
  g_autoptr(GPtrArray) secret_keys = NULL;
  g_autofree char *description = NULL;
  const char * const *sent = pb_outbox_entry_get_secret_fields (entry);
  PbIntegration *mine, *theirs;
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

  self->theirs = pb_integration_new_from_json (theirs_json, &error);
  if (self->theirs == NULL)
    g_warning ("The server's version cannot be read: %s", error->message);
  /* Mine: my queued values applied on top of theirs, by the same rules as the cache. */
  self->mine = pb_store_preview_change (store, entry, self->theirs);
  mine = self->mine;
  theirs = self->theirs;

  description = pb_store_describe_change (store, entry);
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self),
                                  _("Someone else changed this integration"));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  _("Your change “%s” was made on an older version. Choose "
                                    "which version to keep, or edit yours."), description);

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

  add_row (GTK_GRID (grid), &row, _("Name"),
           mine ? pb_integration_get_name (mine) : NULL,
           theirs ? pb_integration_get_name (theirs) : NULL);
  add_row (GTK_GRID (grid), &row, _("Auth type"),
           mine ? pb_integration_get_auth_type_label (mine) : NULL,
           theirs ? pb_integration_get_auth_type_label (theirs) : NULL);
  add_row (GTK_GRID (grid), &row, _("Enabled"),
           mine ? yes_no (pb_integration_get_active (mine)) : NULL,
           theirs ? yes_no (pb_integration_get_active (theirs)) : NULL);
  add_row (GTK_GRID (grid), &row, _("Default"),
           mine ? yes_no (pb_integration_get_is_default (mine)) : NULL,
           theirs ? yes_no (pb_integration_get_is_default (theirs)) : NULL);

  config_keys = g_ptr_array_new_with_free_func (g_free);
  collect_keys (mine ? pb_integration_get_config (mine) : NULL, config_keys);
  collect_keys (theirs ? pb_integration_get_config (theirs) : NULL, config_keys);
  g_ptr_array_sort (config_keys, compare_strings);
  for (guint i = 0; i < config_keys->len; i++)
    {
      const char *key = g_ptr_array_index (config_keys, i);

      add_row (GTK_GRID (grid), &row, field_label (self, key),
               mine ? g_hash_table_lookup (pb_integration_get_config (mine), key) : NULL,
               theirs ? g_hash_table_lookup (pb_integration_get_config (theirs), key) : NULL);
    }

  /* Credentials: whether each is set and its hint, never a value; one this change sends
   * is "Changed". */
  secret_keys = g_ptr_array_new_with_free_func (g_free);
  collect_keys (mine ? pb_integration_get_secrets (mine) : NULL, secret_keys);
  collect_keys (theirs ? pb_integration_get_secrets (theirs) : NULL, secret_keys);
  g_ptr_array_sort (secret_keys, compare_strings);
  for (guint i = 0; i < secret_keys->len; i++)
    {
      const char *key = g_ptr_array_index (secret_keys, i);
      g_autofree char *mine_text = g_strv_contains (sent, key) ? g_strdup (_("Changed"))
                                                               : secret_text (mine, key);
      g_autofree char *theirs_text = secret_text (theirs, key);

      add_row (GTK_GRID (grid), &row, field_label (self, key), mine_text, theirs_text);
    }

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), grid);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Later"),
                                    "theirs", _("Keep _Theirs"),
                                    "edit", _("_Edit…"),
                                    "mine", _("Keep _Mine"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "mine",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "mine");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  g_signal_connect (self, "response", G_CALLBACK (on_response_cb), NULL);

  return GTK_WIDGET (self);
}

GtkWidget *
pb_conflict_dialog_edit_change (GtkWindow     *parent,
                                PbStore       *store,
                                PbOutboxEntry *entry)
{
  PbConflictDialog *self;
  PbIntegration *shown;
  GtkWidget *editor;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (entry), NULL);

  /* The editor alone: the dialog that holds the change for it is never shown, and stays
   * (referenced by its editor) until the editor is done. */
  self = g_object_new (PB_TYPE_CONFLICT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->entry = g_object_ref (entry);
  shown = pb_store_find_integration (store, pb_outbox_entry_get_integration_id (entry), NULL);
  self->mine = shown != NULL ? g_object_ref (shown) : NULL;
  open_merge (self);
  editor = self->merge;
  gtk_window_destroy (GTK_WINDOW (self));
  return editor;
}

GtkWidget *
pb_conflict_dialog_get_editor (PbConflictDialog *self)
{
  g_return_val_if_fail (PB_IS_CONFLICT_DIALOG (self), NULL);
  return self->merge;
}

GtkCheckButton *
pb_conflict_dialog_get_secret_toggle (PbConflictDialog *self,
                                      const char       *field)
{
  g_return_val_if_fail (PB_IS_CONFLICT_DIALOG (self), NULL);
  return g_hash_table_lookup (self->toggles, field);
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
