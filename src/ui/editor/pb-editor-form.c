/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-integration-editor"

#include "config.h"

#include "pb-integration-editor-private.h"
#include "pb-secret-buffer.h"

#include <glib/gi18n.h>
#include <string.h>

/* The field form: rows built from the chosen auth type, their values and problems, and the
 * state of the Save button. */

static void
field_row_free (gpointer data)
{
  FieldRow *row = data;

  g_clear_object (&row->field);
  g_free (row->hint);
  g_free (row);
}

const char *
pb_editor_lookup_or_empty (GHashTable *table,
                 const char *key)
{
  const char *value = g_hash_table_lookup (table, key);

  return value != NULL ? value : "";
}

/* Credential values are wiped before their memory is given back. */
void
pb_editor_wipe_free (gpointer data)
{
  char *text = data;

  if (text != NULL)
    {
      explicit_bzero (text, strlen (text));
      g_free (text);
    }
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/* What the backend says about secret @key of the edited integration. */
static PbSecretState *
server_secret (PbIntegrationEditor *self,
               const char          *key)
{
  GHashTable *secrets;

  if (self->integration == NULL)
    return NULL;

  secrets = pb_integration_get_secrets (self->integration);
  return secrets != NULL ? g_hash_table_lookup (secrets, key) : NULL;
}

gboolean
pb_editor_server_has_secret (PbIntegrationEditor *self,
                   const char          *key)
{
  PbSecretState *state = server_secret (self, key);

  return state != NULL && state->set;
}

/* Field values */

const char *
pb_editor_field_row_get_value (FieldRow *row)
{
  if (ADW_IS_COMBO_ROW (row->row))
    {
      gpointer item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (row->row));
      const char *text;

      if (item == NULL)
        return "";
      text = gtk_string_object_get_string (GTK_STRING_OBJECT (item));
      /* The first item of an optional choice is "None". */
      if (!pb_auth_field_get_required (row->field)
          && adw_combo_row_get_selected (ADW_COMBO_ROW (row->row)) == 0)
        return "";
      return text;
    }

  return pb_secret_text (GTK_EDITABLE (row->row));
}

void
pb_editor_field_row_set_value (FieldRow   *row,
                     const char *value)
{
  if (value == NULL)
    value = "";

  if (ADW_IS_COMBO_ROW (row->row))
    {
      const char * const *options = pb_auth_field_get_options (row->field);
      guint offset = pb_auth_field_get_required (row->field) ? 0 : 1;
      guint position = offset == 1 ? 0 : GTK_INVALID_LIST_POSITION;

      for (guint i = 0; options != NULL && options[i] != NULL; i++)
        if (g_strcmp0 (options[i], value) == 0)
          position = i + offset;

      if (position == GTK_INVALID_LIST_POSITION)
        position = 0;
      adw_combo_row_set_selected (ADW_COMBO_ROW (row->row), position);
      return;
    }

  if (g_strcmp0 (pb_secret_text (GTK_EDITABLE (row->row)), value) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row->row), value);
}

FieldRow *
pb_editor_find_row (PbIntegrationEditor *self,
          const char          *key)
{
  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (pb_auth_field_get_key (row->field), key) == 0)
        return row;
    }

  return NULL;
}

gboolean
pb_editor_get_make_default (PbIntegrationEditor *self)
{
  return adw_combo_row_get_selected (self->default_row) == DEFAULT_YES;
}

const char *
pb_editor_get_name (PbIntegrationEditor *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

/* Validation */

/* The message for @row, or NULL when its value is acceptable. @blank_required is set when
 * it is a required field left blank (listed in the status line, not shouted beside it). */
static char *
field_row_problem (PbIntegrationEditor *self,
                   FieldRow            *row,
                   gboolean            *blank_required)
{
  const char *key = pb_auth_field_get_key (row->field);
  const char *value = pb_editor_field_row_get_value (row);
  const char *server_error = g_hash_table_lookup (self->server_errors, key);
  char *message = NULL;

  *blank_required = FALSE;

  if (server_error != NULL)
    return g_strdup (server_error);

  /* An untouched secret that the backend has keeps its value. */
  if (pb_auth_field_get_secret (row->field) && *value == '\0' && pb_editor_server_has_secret (self, key))
    return NULL;

  if (pb_rules_validate_field (row->field, value, &message))
    return NULL;

  *blank_required = is_blank (value);
  return message;
}

/* The line under a field: its problem in red, or else its description, dimmed. */
static void
show_message (GtkWidget  *message_row,
              GtkLabel   *label,
              GtkWidget  *field_row,
              const char *message)
{
  const char *note = g_object_get_data (G_OBJECT (message_row), "pb-note");
  const char *text = message != NULL ? message : note;
  gboolean shown = text != NULL && *text != '\0';

  gtk_label_set_text (label, shown ? text : "");
  gtk_widget_set_visible (message_row, shown);
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  /* The field and its line read as one item of the list. */
  if (shown)
    gtk_widget_add_css_class (field_row, "pb-has-note");
  else
    gtk_widget_remove_css_class (field_row, "pb-has-note");

  if (message != NULL)
    {
      gtk_widget_add_css_class (field_row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (field_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (field_row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (field_row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field_row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* Whether what the form shows differs from what counts as unchanged. */
gboolean
pb_editor_is_dirty (PbIntegrationEditor *self)
{
  if (self->rows == NULL || self->auth_type == NULL)
    return FALSE;
  if (g_strcmp0 (pb_editor_get_name (self), self->initial_name) != 0)
    return TRUE;
  if (g_strcmp0 (pb_auth_type_get_key (self->auth_type), self->initial_auth_type) != 0)
    return TRUE;
  if (pb_editor_get_make_default (self) != self->initial_default)
    return TRUE;
  if (self->oauth_app != self->initial_oauth_app)
    return TRUE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->rows, i);
      const char *key = pb_auth_field_get_key (row->field);

      if (g_strcmp0 (pb_editor_field_row_get_value (row), pb_editor_lookup_or_empty (self->initial, key)) != 0)
        return TRUE;
    }

  return FALSE;
}

void
pb_editor_update_state (PbIntegrationEditor *self)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autofree char *first_problem = NULL;
  g_autofree char *name_message = NULL;
  const char *name_error;
  gboolean dirty;

  if (self->rows == NULL || self->auth_type == NULL)
    return;

  /* Name */
  name_error = g_hash_table_lookup (self->server_errors, "name");
  if (name_error != NULL)
    name_message = g_strdup (name_error);
  else
    pb_rules_validate_name (pb_editor_get_name (self), &name_message);
  if (name_message != NULL)
    {
      if (is_blank (pb_editor_get_name (self)) && name_error == NULL && !self->name_touched)
        g_ptr_array_add (missing, (gpointer) _("Name"));
      else if (first_problem == NULL)
        first_problem = g_strdup (name_message);
    }
  show_message (self->name_message_row, self->name_message_label, GTK_WIDGET (self->name_row),
                (self->name_touched || name_error != NULL) ? name_message : NULL);

  /* Fields */
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->rows, i);
      const char *key = pb_auth_field_get_key (row->field);
      gboolean blank_required = FALSE;
      g_autofree char *message = field_row_problem (self, row, &blank_required);
      gboolean shown = message != NULL
                       && (row->touched || !blank_required
                           || g_hash_table_contains (self->server_errors, key));

      if (message != NULL)
        {
              if (blank_required && !shown)
            g_ptr_array_add (missing, (gpointer) pb_auth_field_get_label (row->field));
          else if (first_problem == NULL)
            first_problem = g_strdup (message);
        }
      show_message (row->message_row, row->message_label, row->row, shown ? message : NULL);
    }

  g_clear_pointer (&self->problem, g_free);
  if (missing->len > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < missing->len; i++)
        {
          if (i > 0)
            /* Translators: separates the labels of fields in a list */
            g_string_append (list, _(", "));
          g_string_append (list, g_ptr_array_index (missing, i));
        }
      /* Translators: %s is a list of field labels, e.g. "API key, Company subdomain" */
      self->problem = g_strdup_printf (ngettext ("To save, fill in %s.",
                                                 "To save, fill in %s.", missing->len),
                                       list->str);
      if (first_problem != NULL)
        {
          char *both = g_strconcat (first_problem, " ", self->problem, NULL);

          g_free (self->problem);
          self->problem = both;
        }
    }
  else if (first_problem != NULL)
    self->problem = g_steal_pointer (&first_problem);

  dirty = pb_editor_is_dirty (self);
  pb_editor_transition (self, PB_EDITOR_EVENT_CHANGED);

  if (self->problem != NULL)
    gtk_label_set_text (self->status_label, self->problem);
  else if (self->integration != NULL && !dirty)
    gtk_label_set_text (self->status_label, _("Nothing has been changed yet."));
  else
    gtk_label_set_text (self->status_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label),
                          *gtk_label_get_text (self->status_label) != '\0');
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button), self->problem);
}

void
pb_editor_set_refusal (PbIntegrationEditor *self,
             const char          *text)
{
  g_free (self->refusal);
  self->refusal = g_strdup (text);
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_revealer_set_reveal_child (self->error_revealer, text != NULL);
}

/* Rows */

static void
on_field_changed_cb (PbIntegrationEditor *self,
                     FieldRow            *row)
{
  const char *key = pb_auth_field_get_key (row->field);

  if (self->populating)
    return;

  row->touched = TRUE;
  g_hash_table_insert (self->values, g_strdup (key), g_strdup (pb_editor_field_row_get_value (row)));
  g_hash_table_remove (self->server_errors, key);
  pb_editor_update_state (self);
}

static void
on_entry_changed_cb (GtkEditable *editable,
                     gpointer     user_data)
{
  PbIntegrationEditor *self = g_object_get_data (G_OBJECT (editable), "pb-editor");

  on_field_changed_cb (self, user_data);
}

static void
on_combo_selected_cb (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  PbIntegrationEditor *self = g_object_get_data (object, "pb-editor");

  on_field_changed_cb (self, user_data);
}

/* Rows are named by their titles (libadwaita labels them with it); naming them again would
 * make screen readers say everything twice. What they add is said as a description. */
void
pb_editor_set_accessible_description (GtkWidget  *widget,
                            const char *description)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "",
                                  -1);
}

static char *
secret_hint_text (PbSecretState *state)
{
  if (state == NULL || !state->set)
    return NULL;

  if (state->hint == NULL || *state->hint == '\0')
    return g_strdup (_("Set"));

  if (g_str_has_prefix (state->hint, "…"))
    /* Translators: %s is the end of a secret, e.g. "…wxyz" */
    return g_strdup_printf (_("Set (ends in %s)"), state->hint);

  return g_strdup_printf (_("Set (ends in …%s)"), state->hint);
}

static FieldRow *
create_field_row (PbIntegrationEditor *self,
                  PbAuthField         *field)
{
  FieldRow *row = g_new0 (FieldRow, 1);
  const char *label = pb_auth_field_get_label (field);
  const char *description = pb_auth_field_get_description (field);
  GtkWidget *message_label;
  g_autofree char *accessible = NULL;

  row->field = g_object_ref (field);

  switch (pb_auth_field_get_kind (field))
    {
    case PB_FIELD_KIND_SELECT:
      {
        g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
        const char * const *options = pb_auth_field_get_options (field);

        if (!pb_auth_field_get_required (field))
          /* Translators: the choice of an optional drop-down that leaves it unset */
          gtk_string_list_append (model, C_("choice", "None"));
        for (guint i = 0; options != NULL && options[i] != NULL; i++)
          gtk_string_list_append (model, options[i]);

        row->row = adw_combo_row_new ();
        adw_combo_row_set_model (ADW_COMBO_ROW (row->row), G_LIST_MODEL (model));
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), description);
        adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row->row), 0);
        g_signal_connect (row->row, "notify::selected", G_CALLBACK (on_combo_selected_cb), row);
      }
      break;

    case PB_FIELD_KIND_SECRET:
      row->row = adw_password_entry_row_new ();
      break;

    case PB_FIELD_KIND_TEXT:
    case PB_FIELD_KIND_URL:
    case PB_FIELD_KIND_EMAIL:
    default:
      row->row = adw_entry_row_new ();
      if (pb_auth_field_get_kind (field) == PB_FIELD_KIND_URL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row->row), GTK_INPUT_PURPOSE_URL);
      else if (pb_auth_field_get_kind (field) == PB_FIELD_KIND_EMAIL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row->row), GTK_INPUT_PURPOSE_EMAIL);
      break;
    }

  /* A secret field that is not a secret kind (catalog says secret: true) is masked too. */
  if (!ADW_IS_COMBO_ROW (row->row) && !ADW_IS_PASSWORD_ENTRY_ROW (row->row)
      && pb_auth_field_get_secret (field))
    {
      g_object_ref_sink (row->row);
      g_object_unref (row->row);
      row->row = adw_password_entry_row_new ();
    }

  if (ADW_IS_PASSWORD_ENTRY_ROW (row->row))
    pb_secret_buffer_attach (GTK_EDITABLE (row->row));

  /* Enter in a field saves, when Save can. */
  if (ADW_IS_ENTRY_ROW (row->row))
    adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row->row), TRUE);
  g_object_set_data (G_OBJECT (row->row), "pb-editor", self);
  g_object_set_data (G_OBJECT (row->row), "pb-field-key", (gpointer) pb_auth_field_get_key (field));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), label);
  if (description != NULL && *description != '\0')
    gtk_widget_set_tooltip_text (row->row, description);

  if (ADW_IS_ENTRY_ROW (row->row))
    {
      GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (row->row));
      PbSecretState *state = server_secret (self, pb_auth_field_get_key (field));

      row->hint = secret_hint_text (state);
      if (row->hint != NULL)
        {
          GtkWidget *hint = gtk_label_new (row->hint);

          gtk_widget_add_css_class (hint, "dim-label");
          gtk_widget_set_valign (hint, GTK_ALIGN_CENTER);
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row->row), hint);
        }

      if (row->hint != NULL && description != NULL && *description != '\0')
        /* Translators: a secret's state, e.g. "Set (ends in …wxyz)", then its description */
        accessible = g_strdup_printf (_("%s. %s"), row->hint, description);
      else
        accessible = g_strdup (row->hint != NULL ? row->hint : description);
      pb_editor_set_accessible_description (row->row, accessible);
      if (delegate != NULL)
        {
          /* The entry inside the row takes the focus: it needs the name itself. */
          gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                          -1);
          pb_editor_set_accessible_description (GTK_WIDGET (delegate), accessible);
          gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                          GTK_ACCESSIBLE_PROPERTY_REQUIRED,
                                          pb_auth_field_get_required (field),
                                          -1);
        }
      g_signal_connect (row->row, "changed", G_CALLBACK (on_entry_changed_cb), row);
    }
  else
    pb_editor_set_accessible_description (row->row, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->row),
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED,
                                  pb_auth_field_get_required (field),
                                  -1);

  row->message_row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                                   "activatable", FALSE,
                                   "focusable", FALSE,
                                   "visible", FALSE,
                                   NULL);
  message_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (message_label), 0);
  gtk_label_set_wrap (GTK_LABEL (message_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message_label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_start (message_label, 12);
  gtk_widget_set_margin_end (message_label, 12);
  gtk_widget_set_margin_top (message_label, 0);
  gtk_widget_set_margin_bottom (message_label, 8);
  gtk_widget_add_css_class (message_label, "caption");
  gtk_widget_add_css_class (row->message_row, "pb-note");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->message_row), message_label);
  /* Drop-downs show the description as their subtitle already. */
  if (!ADW_IS_COMBO_ROW (row->row) && description != NULL && *description != '\0')
    g_object_set_data_full (G_OBJECT (row->message_row), "pb-note", g_strdup (description),
                            g_free);
  row->message_label = GTK_LABEL (message_label);

  return row;
}

static void
update_callback (PbIntegrationEditor *self)
{
  const char *url = pb_auth_type_get_callback_url (self->auth_type);
  /* The address is registered with the integration's own app; the platform's app has it, and
   * an app in each customer's tenant is registered by the customer. */
  gboolean show = self->oauth_app == PB_OAUTH_APP_OWN
                  && pb_auth_type_find_field (self->auth_type, "client_id") != NULL
                  && url != NULL && *url != '\0';

  gtk_widget_set_visible (GTK_WIDGET (self->callback_group), show);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.copy-callback", show);
  if (show)
    {
      g_autofree char *line =
        /* Translators: %s is a connector's name, e.g. "HubSpot" */
        g_strdup_printf (_("Register this address as the callback (redirect) URI of your "
                           "OAuth app at %s."),
                         pb_connector_get_provider_name (self->connector));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->callback_row), url);
      adw_preferences_group_set_description (self->callback_group, line);
      pb_editor_set_accessible_description (GTK_WIDGET (self->callback_row), line);
    }
}

/* A value the platform generates: shown with its state and a Copy button, never typed. */
static GtkWidget *
generated_row_new (PbIntegrationEditor *self,
                   PbAuthField         *field)
{
  const char *key = pb_auth_field_get_key (field);
  const char *description = pb_auth_field_get_description (field);
  gboolean same_type = self->integration != NULL
                       && g_strcmp0 (pb_integration_get_auth_type_key (self->integration),
                                     pb_auth_type_get_key (self->auth_type)) == 0;
  g_autofree char *hint = same_type ? secret_hint_text (server_secret (self, key)) : NULL;
  g_autofree char *state = hint != NULL ? g_strdup (hint)
                                        : g_strdup (_("Created by the platform when you save."));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  if (description != NULL && *description != '\0')
    /* Translators: a generated value's state, e.g. "Set (ends in …wxyz)", then its description */
    subtitle = g_strdup_printf (_("%s. %s"), state, description);
  else
    subtitle = g_strdup (state);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pb_auth_field_get_label (field));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  pb_editor_set_accessible_description (row, subtitle);
  g_object_set_data (G_OBJECT (row), "pb-field-key", (gpointer) key);
  if (hint != NULL)
    {
      GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
      /* Translators: %s is a field's label, e.g. "External trigger token" */
      g_autofree char *name = g_strdup_printf (_("Copy %s"), pb_auth_field_get_label (field));

      gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (copy, "flat");
      gtk_widget_set_tooltip_text (copy, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "editor.copy-generated");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (copy), "s", key);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
    }
  return row;
}

/* The read-only list of what the end users enter when they link an account. */
static void
rebuild_account_fields (PbIntegrationEditor *self)
{
  GListModel *fields = pb_auth_type_get_account_fields (self->auth_type);
  guint n = g_list_model_get_n_items (fields);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->account_list))) != NULL)
    gtk_list_box_remove (self->account_list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      const char *description = pb_auth_field_get_description (field);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pb_auth_field_get_label (field));
      if (description != NULL && *description != '\0')
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
          pb_editor_set_accessible_description (row, description);
        }
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "property");
      gtk_list_box_append (self->account_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->account_group), n > 0);
}

/* The OAuth app row: shown for OAuth types the platform has an app for. */
static void
update_oauth_app_row (PbIntegrationEditor *self)
{
  gboolean choice = pb_auth_type_get_platform_oauth_app (self->auth_type)
                    && self->oauth_app != PB_OAUTH_APP_NONE;
  g_autofree char *note = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->oauth_app_row), choice);
  gtk_widget_set_visible (self->oauth_app_note_row, choice);
  if (!choice)
    return;
  self->populating = TRUE;
  adw_combo_row_set_selected (self->oauth_app_row,
                              self->oauth_app == PB_OAUTH_APP_PLATFORM ? OAUTH_APP_ROW_PLATFORM
                                                                       : OAUTH_APP_ROW_OWN);
  self->populating = FALSE;
  if (self->oauth_app == PB_OAUTH_APP_PLATFORM)
    /* Translators: %s is a connector's name, e.g. "HubSpot" */
    note = g_strdup_printf (_("No client ID or secret needed. %s’s consent screen will show "
                              "the platform’s name and logo instead of yours."),
                            pb_connector_get_provider_name (self->connector));
  else
    /* Translators: %s is a connector's name, e.g. "HubSpot" */
    note = g_strdup_printf (_("Your app’s client ID and secret, registered at %s with the "
                              "callback URI below; its consent screen shows your name."),
                            pb_connector_get_provider_name (self->connector));
  gtk_label_set_text (self->oauth_app_note, note);
  pb_editor_set_accessible_description (GTK_WIDGET (self->oauth_app_row), note);
}

static void
rebuild_fields (PbIntegrationEditor *self)
{
  GListModel *fields = pb_auth_type_get_fields (self->auth_type);
  guint n = g_list_model_get_n_items (fields), n_shown = 0;
  GtkWidget *child;

  self->populating = TRUE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->credentials_list))) != NULL)
    gtk_list_box_remove (self->credentials_list, child);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->rows = g_ptr_array_new_with_free_func (field_row_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      const char *key = pb_auth_field_get_key (field);
      FieldRow *row;

      if (pb_auth_field_get_generated (field))
        {
          gtk_list_box_append (self->credentials_list, generated_row_new (self, field));
          n_shown++;
          continue;
        }
      /* The platform's OAuth app replaces the integration's client ID and secret. */
      if (!pb_rules_field_is_entered (field, self->oauth_app))
        continue;

      row = create_field_row (self, field);
      g_ptr_array_add (self->rows, row);
      gtk_list_box_append (self->credentials_list, row->row);
      gtk_list_box_append (self->credentials_list, row->message_row);
      n_shown++;

      if (!g_hash_table_contains (self->values, key))
        {
          const char *value = pb_auth_field_get_default_value (field);

          g_hash_table_insert (self->values, g_strdup (key), g_strdup (value ? value : ""));
        }
      pb_editor_field_row_set_value (row, g_hash_table_lookup (self->values, key));
      /* What a drop-down shows is its value even when the stored one was not an option. */
      g_hash_table_insert (self->values, g_strdup (key), g_strdup (pb_editor_field_row_get_value (row)));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->credentials_group), n_shown > 0);
  rebuild_account_fields (self);
  update_callback (self);

  self->populating = FALSE;
  update_oauth_app_row (self);
}

void
pb_editor_set_auth_type (PbIntegrationEditor *self,
               PbAuthType          *type)
{
  const char *old_label = self->auth_type ? pb_auth_type_get_label (self->auth_type) : NULL;

  if (self->auth_type == type)
    return;

  /* A new integration's name follows the auth type until the admin types one. */
  if (self->integration == NULL && !self->name_touched
      && (old_label == NULL || g_strcmp0 (pb_editor_get_name (self), old_label) == 0))
    {
      self->populating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), pb_auth_type_get_label (type));
      g_free (self->initial_name);
      self->initial_name = g_strdup (pb_auth_type_get_label (type));
      self->populating = FALSE;
    }

  g_set_object (&self->auth_type, type);
  /* A backend that does not say which OAuth app an integration uses means its own. */
  if (g_strcmp0 (pb_auth_type_get_key (type), self->initial_auth_type) == 0
      && self->initial_oauth_app == PB_OAUTH_APP_NONE)
    self->initial_oauth_app = pb_rules_default_oauth_app (type);
  /* The integration's own choice on its own type; else its own app, the API's default. */
  if (pb_rules_default_oauth_app (type) == PB_OAUTH_APP_NONE)
    self->oauth_app = PB_OAUTH_APP_NONE;
  else if (g_strcmp0 (pb_auth_type_get_key (type), self->initial_auth_type) == 0
           && self->initial_oauth_app != PB_OAUTH_APP_NONE
           && pb_rules_validate_oauth_app (type, self->initial_oauth_app, NULL))
    self->oauth_app = self->initial_oauth_app;
  else
    self->oauth_app = PB_OAUTH_APP_OWN;
  rebuild_fields (self);
  pb_editor_update_state (self);
}

void
pb_editor_on_oauth_app_row_selected_cb (AdwComboRow         *row,
                                        GParamSpec          *pspec,
                                        PbIntegrationEditor *self)
{
  PbOAuthApp app = adw_combo_row_get_selected (row) == OAUTH_APP_ROW_PLATFORM
                   ? PB_OAUTH_APP_PLATFORM : PB_OAUTH_APP_OWN;

  if (self->populating || self->auth_type == NULL || app == self->oauth_app)
    return;
  self->oauth_app = app;
  rebuild_fields (self);
  pb_editor_update_state (self);
}

void
pb_editor_on_auth_type_row_selected_cb (AdwComboRow         *row,
                              GParamSpec          *pspec,
                              PbIntegrationEditor *self)
{
  g_autoptr(PbAuthType) type = NULL;
  guint position = adw_combo_row_get_selected (row);
  GListModel *types;

  if (self->connector == NULL || position == GTK_INVALID_LIST_POSITION)
    return;

  types = pb_connector_get_auth_types (self->connector);
  type = g_list_model_get_item (types, position);
  if (type != NULL)
    pb_editor_set_auth_type (self, type);
}

void
pb_editor_on_name_row_changed_cb (AdwEntryRow         *row,
                        PbIntegrationEditor *self)
{
  if (self->populating)
    return;

  self->name_touched = TRUE;
  g_hash_table_remove (self->server_errors, "name");
  pb_editor_update_state (self);
}

/* Default configuration */

static void
update_default_explanation (PbIntegrationEditor *self)
{
  const char *provider = pb_connector_get_provider_name (self->connector);
  gboolean yes = pb_editor_get_make_default (self);
  char *text;

  if (self->integration == NULL && self->n_siblings == 0)
    /* Translators: %s is a connector's name */
    text = g_strdup_printf (_("The first integration of %s is always its default."), provider);
  else if (self->integration != NULL && pb_integration_get_is_default (self->integration))
    {
      if (self->n_siblings == 0)
        /* Translators: %s is a connector's name */
        text = g_strdup_printf (_("The only integration of %s is always its default."),
                                provider);
      else
        /* Translators: %s is a connector's name */
        text = g_strdup_printf (_("This is the default for %s. To change that, make another "
                                  "of its integrations the default."), provider);
    }
  else if (self->default_sibling != NULL)
    {
      if (yes)
        /* Translators: %s is the name of another integration */
        text = g_strdup_printf (_("“%s” will stop being the default."), self->default_sibling);
      else
        /* Translators: %s is the name of another integration */
        text = g_strdup_printf (_("“%s” stays the default."), self->default_sibling);
    }
  else if (yes)
    /* Translators: %s is a connector's name */
    text = g_strdup_printf (_("This integration will be the default for %s."), provider);
  else
    /* Translators: %s is a connector's name */
    text = g_strdup_printf (_("This integration will not be the default for %s."), provider);

  g_free (self->default_explanation);
  self->default_explanation = text;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->default_row), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->default_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

void
pb_editor_on_default_row_selected_cb (AdwComboRow         *row,
                            GParamSpec          *pspec,
                            PbIntegrationEditor *self)
{
  if (self->connector == NULL)
    return;

  update_default_explanation (self);
  if (!self->populating)
    pb_editor_update_state (self);
}

void
pb_editor_setup_default (PbIntegrationEditor *self)
{
  g_autofree char *title = NULL;
  gboolean is_default = FALSE;
  gboolean locked = FALSE;

  if (self->integration == NULL)
    {
      is_default = pb_rules_default_on_create (self->n_siblings, FALSE);
      locked = self->n_siblings == 0;
    }
  else
    {
      PbIntegrationFacts facts = {
        .n_connector_integrations = self->n_siblings + 1,
        .is_default = pb_integration_get_is_default (self->integration),
        .active = pb_integration_get_active (self->integration),
        .n_linked_accounts = pb_integration_get_accounts_total (self->integration),
      };

      is_default = facts.is_default;
      /* Yes can only be left by making another one the default. */
      locked = is_default && !pb_rules_can_unset_default (&facts, NULL);
      locked = locked || (is_default && self->n_siblings == 0);
    }

  self->initial_default = is_default;
  self->populating = TRUE;
  adw_combo_row_set_selected (self->default_row, is_default ? DEFAULT_YES : DEFAULT_NO);
  self->populating = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->default_row), !locked);

  /* Translators: %s is a connector's name */
  title = g_strdup_printf (_("Default for %s"), pb_connector_get_provider_name (self->connector));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->default_row), title);
  update_default_explanation (self);
  pb_editor_set_accessible_description (GTK_WIDGET (self->default_row), self->default_explanation);
}
