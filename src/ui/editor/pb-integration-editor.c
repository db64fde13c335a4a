/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-integration-editor"

#include "config.h"

#include "pb-integration-editor.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pb-category-model.h"

/*
 * The form keeps one table of what is shown for every field key (`values`), across auth
 * types: switching the auth type rebuilds the rows of the credentials group and fills them
 * from that table, so a value typed in a field that both types share (same key) stays.
 *
 * `initial` holds what counts as "unchanged" for each key: the integration's config, the
 * secret from this machine's keyring when it has one (else ""), the catalog's default for a
 * new integration. Only keys whose value differs from it are sent; an untouched secret is
 * never sent, so the backend keeps it.
 */

typedef struct
{
  PbAuthField *field;
  GtkWidget   *row;            /* AdwEntryRow, AdwPasswordEntryRow or AdwComboRow */
  GtkWidget   *message_row;    /* AdwPreferencesRow under it, shown with a problem */
  GtkLabel    *message_label;
  char        *hint;           /* "Set (ends in …wxyz)", secrets set on the backend */
  gboolean     touched;
} FieldRow;

struct _PbIntegrationEditor
{
  AdwWindow            parent_instance;

  /* template */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkButton           *cancel_button;
  GtkButton           *save_button;
  GtkSpinner          *spinner;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  AdwActionRow        *connector_row;
  AdwEntryRow         *name_row;
  GtkWidget           *name_message_row;
  GtkLabel            *name_message_label;
  AdwComboRow         *auth_type_row;
  AdwPreferencesGroup *credentials_group;
  GtkListBox          *credentials_list;
  AdwPreferencesGroup *callback_group;
  AdwActionRow        *callback_row;
  AdwPreferencesGroup *default_group;
  AdwComboRow         *default_row;
  GtkLabel            *status_label;

  PbStore             *store;
  PbConnector         *connector;
  PbIntegration       *integration;      /* NULL for a new one; replaced after partial saves */
  PbIntegration       *saved;
  GCancellable        *cancellable;

  PbAuthType          *auth_type;        /* the chosen one */
  GPtrArray           *rows;             /* FieldRow* of auth_type */
  GHashTable          *values;           /* key → shown value, every key ever shown */
  GHashTable          *initial;          /* key → value that counts as unchanged */
  GHashTable          *server_errors;    /* key ("name" too) → refusal beside that field */
  char                *initial_name;
  char                *initial_auth_type;
  gboolean             initial_default;
  gboolean             name_touched;

  guint                n_siblings;       /* other integrations of the connector */
  char                *default_sibling;  /* name of the sibling that is the default, if any */

  char                *problem;          /* why Save is insensitive */
  char                *refusal;          /* the last refusal, shown at the top */
  char                *default_explanation;
  gboolean             dirty;
  gboolean             can_save;
  gboolean             saving;
  gboolean             populating;
  gboolean             may_close;
  AdwMessageDialog    *question;
  GtkWidget           *focus_before_saving;   /* weak */
  char                *new_id;           /* the id a new integration keeps across tries */
  gboolean             keyring_may_hold;  /* a refused create left values in the keyring */
  gboolean             queued;           /* saved into the store's queue, not yet sent */
};

G_DEFINE_FINAL_TYPE (PbIntegrationEditor, pb_integration_editor, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  DEFAULT_YES = 0,
  DEFAULT_NO = 1,
};

static void update_state (PbIntegrationEditor *self);

static void
field_row_free (gpointer data)
{
  FieldRow *row = data;

  g_clear_object (&row->field);
  g_free (row->hint);
  g_free (row);
}

static const char *
lookup_or_empty (GHashTable *table,
                 const char *key)
{
  const char *value = g_hash_table_lookup (table, key);

  return value != NULL ? value : "";
}

/* Credential values are wiped before their memory is given back. */
static void
wipe_free (gpointer data)
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

static gboolean
server_has_secret (PbIntegrationEditor *self,
                   const char          *key)
{
  PbSecretState *state = server_secret (self, key);

  return state != NULL && state->set;
}

/* Field values */

static const char *
field_row_get_value (FieldRow *row)
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

  return gtk_editable_get_text (GTK_EDITABLE (row->row));
}

static void
field_row_set_value (FieldRow   *row,
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

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row->row)), value) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row->row), value);
}

static FieldRow *
find_row (PbIntegrationEditor *self,
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

static gboolean
get_make_default (PbIntegrationEditor *self)
{
  return adw_combo_row_get_selected (self->default_row) == DEFAULT_YES;
}

static const char *
get_name (PbIntegrationEditor *self)
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
  const char *value = field_row_get_value (row);
  const char *server_error = g_hash_table_lookup (self->server_errors, key);
  char *message = NULL;

  *blank_required = FALSE;

  if (server_error != NULL)
    return g_strdup (server_error);

  /* An untouched secret that the backend has keeps its value. */
  if (pb_auth_field_get_secret (row->field) && *value == '\0' && server_has_secret (self, key))
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

static gboolean
compute_dirty (PbIntegrationEditor *self)
{
  if (g_strcmp0 (get_name (self), self->initial_name) != 0)
    return TRUE;
  if (g_strcmp0 (pb_auth_type_get_key (self->auth_type), self->initial_auth_type) != 0)
    return TRUE;
  if (get_make_default (self) != self->initial_default)
    return TRUE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->rows, i);
      const char *key = pb_auth_field_get_key (row->field);

      if (g_strcmp0 (field_row_get_value (row), lookup_or_empty (self->initial, key)) != 0)
        return TRUE;
    }

  return FALSE;
}

static void
update_state (PbIntegrationEditor *self)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autofree char *first_problem = NULL;
  g_autofree char *name_message = NULL;
  const char *name_error;
  gboolean valid = TRUE;

  if (self->rows == NULL || self->auth_type == NULL)
    return;

  /* Name */
  name_error = g_hash_table_lookup (self->server_errors, "name");
  if (name_error != NULL)
    name_message = g_strdup (name_error);
  else
    pb_rules_validate_name (get_name (self), &name_message);
  if (name_message != NULL)
    {
      valid = FALSE;
      if (is_blank (get_name (self)) && name_error == NULL && !self->name_touched)
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
          valid = FALSE;
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

  self->dirty = compute_dirty (self);
  /* An existing integration with nothing changed has nothing to save. */
  self->can_save = valid && !self->saving && (self->integration == NULL || self->dirty);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->can_save);
  if (self->problem != NULL)
    gtk_label_set_text (self->status_label, self->problem);
  else if (self->integration != NULL && !self->dirty)
    gtk_label_set_text (self->status_label, _("Nothing has been changed yet."));
  else
    gtk_label_set_text (self->status_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label),
                          *gtk_label_get_text (self->status_label) != '\0');
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button), self->problem);
}

static void
set_refusal (PbIntegrationEditor *self,
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
  g_hash_table_insert (self->values, g_strdup (key), g_strdup (field_row_get_value (row)));
  g_hash_table_remove (self->server_errors, key);
  update_state (self);
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
static void
set_accessible_description (GtkWidget  *widget,
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
      set_accessible_description (row->row, accessible);
      if (delegate != NULL)
        {
          /* The entry inside the row takes the focus: it needs the name itself. */
          gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                          -1);
          set_accessible_description (GTK_WIDGET (delegate), accessible);
          gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                          GTK_ACCESSIBLE_PROPERTY_REQUIRED,
                                          pb_auth_field_get_required (field),
                                          -1);
        }
      g_signal_connect (row->row, "changed", G_CALLBACK (on_entry_changed_cb), row);
    }
  else
    set_accessible_description (row->row, description);
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
  PbAuthKind kind = pb_auth_type_get_kind (self->auth_type);
  const char *url = pb_auth_type_get_callback_url (self->auth_type);
  gboolean show = (kind == PB_AUTH_KIND_OAUTH2 || kind == PB_AUTH_KIND_OIDC)
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
      set_accessible_description (GTK_WIDGET (self->callback_row), line);
    }
}

static void
rebuild_fields (PbIntegrationEditor *self)
{
  GListModel *fields = pb_auth_type_get_fields (self->auth_type);
  guint n = g_list_model_get_n_items (fields);
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
      FieldRow *row = create_field_row (self, field);

      g_ptr_array_add (self->rows, row);
      gtk_list_box_append (self->credentials_list, row->row);
      gtk_list_box_append (self->credentials_list, row->message_row);

      if (!g_hash_table_contains (self->values, key))
        {
          const char *value = pb_auth_field_get_default_value (field);

          g_hash_table_insert (self->values, g_strdup (key), g_strdup (value ? value : ""));
        }
      field_row_set_value (row, g_hash_table_lookup (self->values, key));
      /* What a drop-down shows is its value even when the stored one was not an option. */
      g_hash_table_insert (self->values, g_strdup (key), g_strdup (field_row_get_value (row)));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->credentials_group), n > 0);
  update_callback (self);

  self->populating = FALSE;
}

static void
set_auth_type (PbIntegrationEditor *self,
               PbAuthType          *type)
{
  const char *old_label = self->auth_type ? pb_auth_type_get_label (self->auth_type) : NULL;

  if (self->auth_type == type)
    return;

  /* A new integration's name follows the auth type until the admin types one. */
  if (self->integration == NULL && !self->name_touched
      && (old_label == NULL || g_strcmp0 (get_name (self), old_label) == 0))
    {
      self->populating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), pb_auth_type_get_label (type));
      g_free (self->initial_name);
      self->initial_name = g_strdup (pb_auth_type_get_label (type));
      self->populating = FALSE;
    }

  g_set_object (&self->auth_type, type);
  rebuild_fields (self);
  update_state (self);
}

static void
on_auth_type_row_selected_cb (AdwComboRow         *row,
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
    set_auth_type (self, type);
}

static void
on_name_row_changed_cb (AdwEntryRow         *row,
                        PbIntegrationEditor *self)
{
  if (self->populating)
    return;

  self->name_touched = TRUE;
  g_hash_table_remove (self->server_errors, "name");
  update_state (self);
}

/* Default configuration */

static void
update_default_explanation (PbIntegrationEditor *self)
{
  const char *provider = pb_connector_get_provider_name (self->connector);
  gboolean yes = get_make_default (self);
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

static void
on_default_row_selected_cb (AdwComboRow         *row,
                            GParamSpec          *pspec,
                            PbIntegrationEditor *self)
{
  if (self->connector == NULL)
    return;

  update_default_explanation (self);
  if (!self->populating)
    update_state (self);
}

static void
setup_default (PbIntegrationEditor *self)
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
  set_accessible_description (GTK_WIDGET (self->default_row), self->default_explanation);
}

static void
count_siblings (PbIntegrationEditor *self)
{
  GListModel *integrations = pb_store_get_integrations (self->store);
  guint n = integrations != NULL ? g_list_model_get_n_items (integrations) : 0;
  const char *connector_key = pb_connector_get_provider (self->connector);
  const char *own_id = self->integration ? pb_integration_get_id (self->integration) : NULL;

  self->n_siblings = 0;
  g_clear_pointer (&self->default_sibling, g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbIntegration) other = g_list_model_get_item (integrations, i);

      if (g_strcmp0 (pb_integration_get_connector_key (other), connector_key) != 0
          || g_strcmp0 (pb_integration_get_id (other), own_id) == 0)
        continue;

      self->n_siblings++;
      if (pb_integration_get_is_default (other) && self->default_sibling == NULL)
        self->default_sibling = g_strdup (pb_integration_get_name (other));
    }
}

/* Keyring: the values this machine keeps for the edited integration's secrets. */

typedef struct
{
  PbIntegrationEditor *self;
  char                *key;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_object_unref (data->self);
  g_free (data->key);
  g_free (data);
}

static void
on_secret_looked_up_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  LookupData *data = user_data;
  PbIntegrationEditor *self = data->self;
  g_autoptr(GError) error = NULL;
  char *value = pb_store_lookup_secret_finish (PB_STORE (source), result, &error);
  FieldRow *row;

  if (value == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read a credential from the keyring: %s", error->message);
      lookup_data_free (data);
      return;
    }

  row = find_row (self, data->key);
  /* Whatever the admin typed meanwhile wins. */
  if ((row == NULL || !row->touched)
      && g_strcmp0 (lookup_or_empty (self->values, data->key),
                    lookup_or_empty (self->initial, data->key)) == 0)
    {
      g_hash_table_insert (self->initial, g_strdup (data->key), g_strdup (value));
      g_hash_table_insert (self->values, g_strdup (data->key), g_strdup (value));
      if (row != NULL)
        {
          self->populating = TRUE;
          field_row_set_value (row, value);
          self->populating = FALSE;
        }
      update_state (self);
    }

  secret_password_free (value);
  lookup_data_free (data);
}

static void
look_up_secrets (PbIntegrationEditor *self)
{
  GHashTable *secrets = pb_integration_get_secrets (self->integration);
  GHashTableIter iter;
  gpointer key, value;

  if (secrets == NULL)
    return;

  g_hash_table_iter_init (&iter, secrets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PbSecretState *state = value;
      LookupData *data;

      if (!state->set)
        continue;

      data = g_new0 (LookupData, 1);
      data->self = g_object_ref (self);
      data->key = g_strdup (key);
      pb_store_lookup_secret_async (self->store, pb_integration_get_id (self->integration),
                                    key, self->cancellable, on_secret_looked_up_cb, data);
    }
}

/* Saving */

typedef struct
{
  gboolean    create;
  char       *name;              /* NULL: unchanged */
  char       *auth_type;         /* NULL: unchanged */
  gboolean    make_default;
  JsonObject *config;            /* changed plain fields; null members remove */
  GHashTable *secrets;           /* changed secret fields: key → value */
  guint       step;
  PbOperationKind kind;          /* of the step being applied */
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  g_free (request->name);
  g_free (request->auth_type);
  g_clear_pointer (&request->config, json_object_unref);
  g_clear_pointer (&request->secrets, g_hash_table_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveRequest, save_request_free)

static SaveRequest *
build_request (PbIntegrationEditor *self)
{
  SaveRequest *request = g_new0 (SaveRequest, 1);
  const char *auth_key = pb_auth_type_get_key (self->auth_type);
  gboolean auth_changed;

  request->create = self->integration == NULL;
  auth_changed = g_strcmp0 (auth_key, self->initial_auth_type) != 0;
  request->config = json_object_new ();
  request->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            wipe_free);

  if (request->create || g_strcmp0 (get_name (self), self->initial_name) != 0)
    {
      g_autofree char *name = g_strstrip (g_strdup (get_name (self)));

      request->name = g_steal_pointer (&name);
    }
  if (request->create || auth_changed)
    request->auth_type = g_strdup (auth_key);
  request->make_default = get_make_default (self) && (request->create || !self->initial_default);

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->rows, i);
      const char *key = pb_auth_field_get_key (row->field);
      const char *value = field_row_get_value (row);
      gboolean changed = g_strcmp0 (value, lookup_or_empty (self->initial, key)) != 0;

      if (pb_auth_field_get_secret (row->field))
        {
          /* Blank keeps what the backend has; unchanged is never sent. */
          if (*value != '\0' && (changed || request->create))
            g_hash_table_insert (request->secrets, g_strdup (key), g_strdup (value));
          /* The keyring value shown for a type the integration did not have yet must be
           * sent with the change of type. */
          else if (*value != '\0' && auth_changed && !server_has_secret (self, key))
            g_hash_table_insert (request->secrets, g_strdup (key), g_strdup (value));
        }
      else if (request->create)
        {
          if (*value != '\0')
            json_object_set_string_member (request->config, key, value);
        }
      else if (changed)
        {
          if (*value != '\0')
            json_object_set_string_member (request->config, key, value);
          else if (!pb_auth_field_get_required (row->field))
            json_object_set_null_member (request->config, key);
        }
    }

  return request;
}

static void save_next_step (PbIntegrationEditor *self,
                            SaveRequest         *request);

static void
set_saving (PbIntegrationEditor *self,
            gboolean             saving)
{
  GtkWidget *form = gtk_widget_get_parent (GTK_WIDGET (self->status_label));

  self->saving = saving;
  /* GTK 4.8 does not tell a focused entry that it lost the focus when an ancestor becomes
   * insensitive; move the focus out first and give it back afterwards. */
  if (saving)
    {
      GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

      g_clear_weak_pointer (&self->focus_before_saving);
      if (focus != NULL && gtk_widget_is_ancestor (focus, form))
        {
          g_set_weak_pointer (&self->focus_before_saving, focus);
          gtk_window_set_focus (GTK_WINDOW (self), NULL);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), saving);
  gtk_spinner_set_spinning (self->spinner, saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !saving);
  /* The form stays readable but cannot change under a running save. */
  gtk_widget_set_sensitive (form, !saving);
  if (!saving && self->focus_before_saving != NULL)
    {
      gtk_widget_grab_focus (self->focus_before_saving);
      g_clear_weak_pointer (&self->focus_before_saving);
    }
  update_state (self);
}

static const char * const *
secret_keys (SaveRequest *request,
             GPtrArray   *keys)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, request->secrets);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_add (keys, NULL);

  return (const char * const *) keys->pdata;
}

/* After each applied step, what it changed counts as the unchanged state, so that a
 * refusal of a later step leaves only the rest to save again. */
static void
mark_applied (PbIntegrationEditor *self,
              PbIntegration       *integration)
{
  g_set_object (&self->integration, integration);

  g_free (self->initial_name);
  self->initial_name = g_strdup (pb_integration_get_name (integration));
  g_free (self->initial_auth_type);
  self->initial_auth_type = g_strdup (pb_integration_get_auth_type_key (integration));
  self->initial_default = pb_integration_get_is_default (integration);
}

static void
mark_values_applied (PbIntegrationEditor *self,
                     JsonObject          *config,
                     GHashTable          *secrets)
{
  GHashTableIter iter;
  gpointer key, value;

  if (config != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (config);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *text = json_object_get_string_member_with_default (config, l->data, "");

          g_hash_table_insert (self->initial, g_strdup (l->data), g_strdup (text));
        }
    }

  if (secrets != NULL)
    {
      g_hash_table_iter_init (&iter, secrets);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (self->initial, g_strdup (key), g_strdup (value));
    }
}

static char *
reason_for_field (PbAuthField *field,
                  const char  *reason)
{
  /* The server's reasons are sentences already; name the field when it does not. */
  if (field != NULL && reason != NULL && strstr (reason, pb_auth_field_get_label (field)) == NULL)
    /* Translators: a field's label, then why the backend refused its value */
    return g_strdup_printf (_("%s: %s"), pb_auth_field_get_label (field), reason);

  return g_strdup (reason != NULL ? reason : _("The backend refused this value."));
}

static void
show_failure (PbIntegrationEditor *self,
              const GError        *error,
              const PbApiFailure  *failure)
{
  JsonObject *fields = failure != NULL ? pb_api_failure_get_fields (failure) : NULL;
  g_autoptr(GString) top = g_string_new (NULL);
  guint n_beside = 0;

  if (fields != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (fields);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          const char *reason = json_object_get_string_member_with_default (fields, name, NULL);
          const char *key = name;
          FieldRow *row;

          if (g_str_has_prefix (name, "config."))
            key = name + strlen ("config.");
          else if (g_str_has_prefix (name, "secrets."))
            key = name + strlen ("secrets.");

          if (g_str_equal (key, "name"))
            {
              g_hash_table_insert (self->server_errors, g_strdup ("name"),
                                   g_strdup (reason ? reason : _("The backend refused this name.")));
              n_beside++;
            }
          else if ((row = find_row (self, key)) != NULL)
            {
              g_hash_table_insert (self->server_errors, g_strdup (key),
                                   reason_for_field (row->field, reason));
              n_beside++;
            }
          else if (reason != NULL)
            {
              if (top->len > 0)
                g_string_append_c (top, ' ');
              g_string_append (top, reason);
            }
        }
    }

  if (top->len == 0)
    {
      if (n_beside > 0)
        g_string_append (top, _("The backend did not accept some of the values. They are "
                                "marked below; nothing you typed was lost."));
      else if (error != NULL && error->message != NULL)
        g_string_append (top, error->message);
      else
        g_string_append (top, _("The integration could not be saved."));
    }

  set_refusal (self, top->str);
  update_state (self);
}

static void
finish_save (PbIntegrationEditor *self)
{
  set_saving (self, FALSE);
  self->saved = g_object_ref (self->integration);
  self->may_close = TRUE;
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->saved);
  gtk_window_close (GTK_WINDOW (self));
}

typedef struct
{
  PbIntegrationEditor *self;
  SaveRequest         *request;
} SaveData;

static void
on_apply_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(PbIntegrationEditor) self = data->self;
  g_autoptr(SaveRequest) request = data->request;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) integration = NULL;

  g_free (data);

  if (!pb_store_apply_finish (PB_STORE (source), result, &integration, &failure, &error)
      || integration == NULL)
    {
      if (request->create)
        self->keyring_may_hold = TRUE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_saving (self, FALSE);
      show_failure (self, error, failure);
      return;
    }

  /* Offline, the store keeps the change in its queue and shows it as pending. */
  if (pb_store_apply_was_queued (PB_STORE (source), result))
    self->queued = TRUE;

  /* What this step sent is the unchanged state now. */
  mark_applied (self, integration);
  if (request->kind == PB_OPERATION_CREATE || request->kind == PB_OPERATION_CHANGE_AUTH_TYPE
      || request->kind == PB_OPERATION_UPDATE || request->kind == PB_OPERATION_SET_CREDENTIALS)
    mark_values_applied (self,
                         request->kind == PB_OPERATION_SET_CREDENTIALS ? NULL : request->config,
                         request->kind == PB_OPERATION_UPDATE ? NULL : request->secrets);
  save_next_step (self, g_steal_pointer (&request));
}

enum {
  STEP_CREATE_OR_AUTH,
  STEP_UPDATE,
  STEP_CREDENTIALS,
  STEP_DEFAULT,
  STEP_DONE,
};

static void
save_next_step (PbIntegrationEditor *self,
                SaveRequest         *request)
{
  g_autoptr(PbOperation) operation = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  const char *id = self->integration != NULL ? pb_integration_get_id (self->integration) : NULL;
  gint64 version = self->integration != NULL ? pb_integration_get_version (self->integration) : -1;
  SaveData *data;

  while (operation == NULL && request->step < STEP_DONE)
    {
      switch (request->step++)
        {
        case STEP_CREATE_OR_AUTH:
          if (request->create)
            {
              operation = pb_operation_new_create (pb_connector_get_provider (self->connector),
                                                   request->auth_type, request->name,
                                                   request->make_default, request->config,
                                                   secret_keys (request, keys));
              /* Saving again after a refusal keeps the id, so that the keyring items the
               * first try wrote are the ones the integration gets. */
              if (self->new_id == NULL)
                self->new_id = g_strdup (pb_operation_get_integration_id (operation));
              else
                {
                  g_autoptr(JsonObject) payload = json_object_new ();
                  JsonObjectIter iter;
                  const char *member;
                  JsonNode *node;
                  PbOperation *again;

                  json_object_iter_init (&iter, pb_operation_get_payload (operation));
                  while (json_object_iter_next (&iter, &member, &node))
                    json_object_set_member (payload, member, json_node_copy (node));
                  json_object_set_string_member (payload, "id", self->new_id);
                  again = pb_operation_new (PB_OPERATION_CREATE, self->new_id, -1, payload,
                                            pb_operation_get_secret_fields (operation));
                  g_object_unref (operation);
                  operation = again;
                }
              request->make_default = FALSE;
            }
          else if (request->auth_type != NULL)
            operation = pb_operation_new_change_auth_type (id, version, request->auth_type,
                                                           request->config,
                                                           secret_keys (request, keys));
          if (operation != NULL)
            {
              /* The secrets go with this operation; keep them for its call only. */
              break;
            }
          break;

        case STEP_UPDATE:
          if (!request->create && request->auth_type == NULL
              && (request->name != NULL || json_object_get_size (request->config) > 0))
            operation = pb_operation_new_update (id, version, request->name,
                                                 json_object_get_size (request->config) > 0
                                                 ? request->config : NULL);
          else if (!request->create && request->auth_type != NULL && request->name != NULL)
            operation = pb_operation_new_update (id, version, request->name, NULL);
          break;

        case STEP_CREDENTIALS:
          if (!request->create && request->auth_type == NULL
              && g_hash_table_size (request->secrets) > 0)
            operation = pb_operation_new_set_credentials (id, version,
                                                          secret_keys (request, keys), NULL);
          break;

        case STEP_DEFAULT:
          if (request->make_default)
            operation = pb_operation_new_simple (PB_OPERATION_MAKE_DEFAULT, id, version);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (operation == NULL)
    {
      save_request_free (request);
      finish_save (self);
      return;
    }

  request->kind = pb_operation_get_kind (operation);
  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->request = request;
  pb_store_apply_async (self->store, operation, request->secrets, self->cancellable,
                        on_apply_done_cb, data);
}

static void
start_save (PbIntegrationEditor *self)
{
  if (self->saving || !self->can_save)
    return;

  set_refusal (self, NULL);
  set_saving (self, TRUE);
  save_next_step (self, build_request (self));
}

static void
on_auth_change_response_cb (AdwMessageDialog    *dialog,
                            const char          *response,
                            PbIntegrationEditor *self)
{
  self->question = NULL;
  if (g_strcmp0 (response, "change") == 0)
    start_save (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PbIntegrationEditor *self = PB_INTEGRATION_EDITOR (widget);
  guint n_accounts;

  if (self->saving || !self->can_save || self->question != NULL)
    return;

  n_accounts = self->integration ? pb_integration_get_accounts_total (self->integration) : 0;
  if (self->integration != NULL && n_accounts > 0
      && g_strcmp0 (pb_auth_type_get_key (self->auth_type), self->initial_auth_type) != 0)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                                  _("Change the Auth Type?"), NULL);

      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      ngettext ("%u linked account was linked with “%s”. "
                                                "After the change it may have to be linked "
                                                "again with “%s”.",
                                                "%u linked accounts were linked with “%s”. "
                                                "After the change they may have to be linked "
                                                "again with “%s”.", n_accounts),
                                      n_accounts,
                                      pb_integration_get_auth_type_label (self->integration),
                                      pb_auth_type_get_label (self->auth_type));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Keep the Current Type"),
                                        "change", _("C_hange Auth Type"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "change",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_signal_connect (dialog, "response", G_CALLBACK (on_auth_change_response_cb), self);
      self->question = ADW_MESSAGE_DIALOG (dialog);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  start_save (self);
}

static void
copy_callback_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PbIntegrationEditor *self = PB_INTEGRATION_EDITOR (widget);
  const char *url = pb_integration_editor_get_callback_uri (self);

  if (url == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), url);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Callback URI copied")));
}

/* Closing */

static void
on_discard_response_cb (AdwMessageDialog    *dialog,
                        const char          *response,
                        PbIntegrationEditor *self)
{
  self->question = NULL;
  if (g_strcmp0 (response, "discard") == 0)
    {
      self->may_close = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

static gboolean
pb_integration_editor_close_request (GtkWindow *window)
{
  PbIntegrationEditor *self = PB_INTEGRATION_EDITOR (window);
  GtkWidget *dialog;

  if (self->may_close || (!self->dirty && !self->saving))
    {
      /* A new integration given up after a refusal: what its tries put in the keyring
       * belongs to nothing. */
      if (self->saved == NULL && self->keyring_may_hold && self->new_id != NULL)
        pb_secrets_clear_integration_async (pb_store_get_secrets (self->store),
                                            pb_store_get_backend (self->store),
                                            pb_store_get_project_id (self->store),
                                            self->new_id, NULL, NULL, NULL);
      self->keyring_may_hold = FALSE;
      /* Let the focused entry lose its focus before the window goes away. */
      gtk_window_set_focus (window, NULL);
      return GTK_WINDOW_CLASS (pb_integration_editor_parent_class)->close_request (window);
    }

  /* A running save finishes first; its result decides. */
  if (self->saving || self->question != NULL)
    return TRUE;

  dialog = adw_message_dialog_new (window, _("Discard Changes?"),
                                   _("What you changed in this integration has not been "
                                     "saved."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect (dialog, "response", G_CALLBACK (on_discard_response_cb), self);
  self->question = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

/* GObject */

static void
pb_integration_editor_dispose (GObject *object)
{
  PbIntegrationEditor *self = PB_INTEGRATION_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  if (self->question != NULL)
    gtk_window_destroy (GTK_WINDOW (self->question));
  self->question = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_INTEGRATION_EDITOR);

  g_clear_weak_pointer (&self->focus_before_saving);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->auth_type);
  g_clear_object (&self->saved);
  g_clear_object (&self->integration);
  g_clear_object (&self->connector);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pb_integration_editor_parent_class)->dispose (object);
}

static void
pb_integration_editor_finalize (GObject *object)
{
  PbIntegrationEditor *self = PB_INTEGRATION_EDITOR (object);

  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->initial, g_hash_table_unref);
  g_clear_pointer (&self->server_errors, g_hash_table_unref);
  g_free (self->initial_name);
  g_free (self->initial_auth_type);
  g_free (self->default_sibling);
  g_free (self->problem);
  g_free (self->refusal);
  g_free (self->default_explanation);
  g_free (self->new_id);

  G_OBJECT_CLASS (pb_integration_editor_parent_class)->finalize (object);
}

static void
pb_integration_editor_class_init (PbIntegrationEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pb_integration_editor_dispose;
  object_class->finalize = pb_integration_editor_finalize;
  window_class->close_request = pb_integration_editor_close_request;

  /**
   * PbIntegrationEditor::saved:
   * @integration: the integration as the store has it now
   *
   * Emitted when everything was saved, right before the dialog closes.
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PB_TYPE_INTEGRATION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/plugboard/Plugboard/editor/"
                                               "pb-integration-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, connector_row);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, name_message_row);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, name_message_label);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, auth_type_row);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, credentials_list);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, callback_group);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, callback_row);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, default_group);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, default_row);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_auth_type_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_default_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.copy-callback", NULL,
                                   copy_callback_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
ensure_style (void)
{
  static gboolean done;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (done)
    return;
  done = TRUE;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider,
                                       "/io/github/plugboard/Plugboard/editor/pb-editor.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
pb_integration_editor_init (PbIntegrationEditor *self)
{
  ensure_style ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  self->initial = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  self->server_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
}

static GtkExpression *
auth_type_label_expression (void)
{
  return gtk_property_expression_new (PB_TYPE_AUTH_TYPE, NULL, "label");
}

/**
 * pb_integration_editor_new:
 * @parent: (nullable): the window it is modal for
 * @store: the store of the current project
 * @connector: the connector of the integration
 * @integration: (nullable): the integration to edit, NULL for a new one
 *
 * Returns: (transfer none): the editor, a toplevel that destroys itself when closed
 */
PbIntegrationEditor *
pb_integration_editor_new (GtkWindow     *parent,
                           PbStore       *store,
                           PbConnector   *connector,
                           PbIntegration *integration)
{
  PbIntegrationEditor *self;
  GListModel *types;
  guint selected = 0;
  g_autofree char *title = NULL;
  g_autofree char *connector_text = NULL;
  g_autofree char *category = NULL;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);
  g_return_val_if_fail (PB_IS_CONNECTOR (connector), NULL);
  g_return_val_if_fail (integration == NULL || PB_IS_INTEGRATION (integration), NULL);

  self = g_object_new (PB_TYPE_INTEGRATION_EDITOR,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->connector = g_object_ref (connector);
  self->integration = integration ? g_object_ref (integration) : NULL;

  if (integration == NULL)
    /* Translators: %s is a connector's name */
    title = g_strdup_printf (_("New integration — %s"), pb_connector_get_provider_name (connector));
  else
    /* Translators: %s is an integration's name */
    title = g_strdup_printf (_("Edit %s"), pb_integration_get_name (integration));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);

  category = pb_category_label (pb_connector_get_category (connector));
  connector_text = g_strdup_printf ("%s · %s", pb_connector_get_provider_name (connector), category);
  adw_action_row_set_subtitle (self->connector_row, connector_text);
  set_accessible_description (GTK_WIDGET (self->connector_row), connector_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (
                                    GTK_EDITABLE (self->name_row))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"),
                                  -1);

  count_siblings (self);

  /* Plain fields of an existing integration, as they are on the backend. */
  if (integration != NULL)
    {
      GHashTable *config = pb_integration_get_config (integration);

      if (config != NULL)
        {
          GHashTableIter iter;
          gpointer key, value;

          g_hash_table_iter_init (&iter, config);
          while (g_hash_table_iter_next (&iter, &key, &value))
            {
              g_hash_table_insert (self->values, g_strdup (key), g_strdup (value));
              g_hash_table_insert (self->initial, g_strdup (key), g_strdup (value));
            }
        }
      self->initial_name = g_strdup (pb_integration_get_name (integration));
      self->initial_auth_type = g_strdup (pb_integration_get_auth_type_key (integration));

      /* An optional choice the backend never got shows its default: that is no change. */
      {
        PbAuthType *own = pb_connector_find_auth_type (connector, self->initial_auth_type);
        GListModel *fields = own != NULL ? pb_auth_type_get_fields (own) : NULL;

        for (guint i = 0; fields != NULL && i < g_list_model_get_n_items (fields); i++)
          {
            g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
            const char *key = pb_auth_field_get_key (field);
            const char *value = pb_auth_field_get_default_value (field);

            if (value != NULL && !pb_auth_field_get_secret (field)
                && !g_hash_table_contains (self->initial, key))
              g_hash_table_insert (self->initial, g_strdup (key), g_strdup (value));
          }
      }
      self->populating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->initial_name);
      self->populating = FALSE;
    }
  else
    {
      /* For a new one, the catalog's defaults count as unchanged. */
      types = pb_connector_get_auth_types (connector);
      for (guint i = 0; i < g_list_model_get_n_items (types); i++)
        {
          g_autoptr(PbAuthType) type = g_list_model_get_item (types, i);
          GListModel *fields = pb_auth_type_get_fields (type);

          for (guint j = 0; j < g_list_model_get_n_items (fields); j++)
            {
              g_autoptr(PbAuthField) field = g_list_model_get_item (fields, j);
              const char *value = pb_auth_field_get_default_value (field);

              if (value != NULL && !g_hash_table_contains (self->initial,
                                                           pb_auth_field_get_key (field)))
                g_hash_table_insert (self->initial, g_strdup (pb_auth_field_get_key (field)),
                                     g_strdup (value));
            }
        }
    }

  setup_default (self);

  types = pb_connector_get_auth_types (connector);
  for (guint i = 0; integration != NULL && i < g_list_model_get_n_items (types); i++)
    {
      g_autoptr(PbAuthType) type = g_list_model_get_item (types, i);

      if (g_strcmp0 (pb_auth_type_get_key (type), self->initial_auth_type) == 0)
        selected = i;
    }

  self->populating = TRUE;
  adw_combo_row_set_expression (self->auth_type_row, auth_type_label_expression ());
  adw_combo_row_set_model (self->auth_type_row, types);
  adw_combo_row_set_selected (self->auth_type_row, selected);
  self->populating = FALSE;

  if (g_list_model_get_n_items (types) == 0)
    {
      /* A catalog entry without auth types: nothing can be configured. */
      set_refusal (self, _("This connector offers no way to authenticate yet, so it cannot "
                           "be configured."));
      gtk_widget_set_visible (GTK_WIDGET (self->credentials_group), FALSE);
      return self;
    }

  {
    g_autoptr(PbAuthType) type = g_list_model_get_item (types, selected);

    if (integration == NULL)
      self->initial_auth_type = g_strdup (pb_auth_type_get_key (type));
    set_auth_type (self, type);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->auth_type_row),
                            g_list_model_get_n_items (types) > 1);

  if (integration != NULL)
    look_up_secrets (self);

  update_state (self);
  adw_entry_row_set_activates_default (self->name_row, TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_row));

  return self;
}

gboolean
pb_integration_editor_get_dirty (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), FALSE);

  return self->dirty;
}

gboolean
pb_integration_editor_get_can_save (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), FALSE);

  return self->can_save;
}

gboolean
pb_integration_editor_get_saving (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), FALSE);

  return self->saving;
}

const char *
pb_integration_editor_get_problem (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), NULL);

  return self->refusal != NULL ? self->refusal : self->problem;
}

const char *
pb_integration_editor_get_field_message (PbIntegrationEditor *self,
                                         const char          *key)
{
  FieldRow *row;
  GtkLabel *label;
  GtkWidget *message_row;

  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), NULL);

  if (g_strcmp0 (key, "name") == 0)
    {
      label = self->name_message_label;
      message_row = self->name_message_row;
    }
  else if ((row = find_row (self, key)) != NULL)
    {
      label = row->message_label;
      message_row = row->message_row;
    }
  else
    return NULL;

  /* The line shows the description when there is no problem. */
  if (!gtk_widget_get_visible (message_row)
      || !gtk_widget_has_css_class (GTK_WIDGET (label), "error"))
    return NULL;

  return gtk_label_get_text (label);
}

GtkWidget *
pb_integration_editor_get_field_row (PbIntegrationEditor *self,
                                     const char          *key)
{
  FieldRow *row;

  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), NULL);

  if (g_strcmp0 (key, "name") == 0)
    return GTK_WIDGET (self->name_row);
  if (g_strcmp0 (key, "auth-type") == 0)
    return GTK_WIDGET (self->auth_type_row);
  if (g_strcmp0 (key, "default") == 0)
    return GTK_WIDGET (self->default_row);

  row = find_row (self, key);
  return row != NULL ? row->row : NULL;
}

const char *
pb_integration_editor_get_secret_hint (PbIntegrationEditor *self,
                                       const char          *key)
{
  FieldRow *row;

  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), NULL);

  row = find_row (self, key);
  return row != NULL ? row->hint : NULL;
}

const char *
pb_integration_editor_get_callback_uri (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->callback_group)))
    return NULL;

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->callback_row));
}

const char *
pb_integration_editor_get_default_explanation (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), NULL);

  return self->default_explanation;
}

PbIntegration *
pb_integration_editor_get_saved (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), NULL);

  return self->saved;
}

gboolean
pb_integration_editor_get_queued (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), FALSE);

  return self->queued;
}
