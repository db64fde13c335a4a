/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-integration-editor"

#include "config.h"

#include "pb-editor-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pb-category-model.h"
#include "pb-editor.h"
#include "pb-error-sentence.h"

G_DEFINE_FINAL_TYPE (PbIntegrationEditor, pb_integration_editor, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


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

typedef struct
{
  PbIntegrationEditor *self;
  char                *label;
} CopyData;

static void
on_generated_value_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  CopyData *data = user_data;
  g_autoptr(PbIntegrationEditor) self = data->self;
  g_autofree char *label = data->label;
  g_autoptr(GError) error = NULL;
  char *value = pb_store_get_generated_value_finish (PB_STORE (source), result, &error);
  g_autofree char *text = NULL;

  g_free (data);
  if (value == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = pb_error_sentence (error);
    }
  else
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), value);
      pb_store_free_generated_value (value);
      /* Translators: %s is a field's label, e.g. "External trigger token" */
      text = g_strdup_printf (_("%s copied"), label);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* A value the platform generated: the backend gives it to admins, to paste into the
 * provider; it is not kept here. */
static void
copy_generated_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PbIntegrationEditor *self = PB_INTEGRATION_EDITOR (widget);
  const char *key = g_variant_get_string (parameter, NULL);
  PbAuthField *field = self->auth_type != NULL ? pb_auth_type_find_field (self->auth_type, key)
                                               : NULL;
  CopyData *data;

  if (self->integration == NULL || field == NULL || !pb_auth_field_get_generated (field))
    return;
  data = g_new0 (CopyData, 1);
  data->self = g_object_ref (self);
  data->label = g_strdup (pb_auth_field_get_label (field));
  pb_store_get_generated_value_async (self->store, pb_integration_get_id (self->integration), key,
                                      self->cancellable, on_generated_value_cb, data);
}

/* State */

/* IDLE or READY, as the form says: something valid to send (a new integration, or a change
 * to an existing one). */
static PbEditorState
form_state (PbIntegrationEditor *self)
{
  if (self->problem == NULL && (self->integration == NULL || pb_editor_is_dirty (self)))
    return PB_EDITOR_STATE_READY;
  return PB_EDITOR_STATE_IDLE;
}

/* Makes the form insensitive while a save runs, and gives it back. */
static void
show_busy (PbIntegrationEditor *self,
           gboolean             busy)
{
  GtkWidget *form = gtk_widget_get_parent (GTK_WIDGET (self->status_label));

  /* GTK 4.8 does not tell a focused entry that it lost the focus when an ancestor becomes
   * insensitive; move the focus out first and give it back afterwards. */
  if (busy)
    {
      GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

      g_clear_weak_pointer (&self->focus_before_saving);
      if (focus != NULL && gtk_widget_is_ancestor (focus, form))
        {
          g_set_weak_pointer (&self->focus_before_saving, focus);
          gtk_window_set_focus (GTK_WINDOW (self), NULL);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !busy);
  /* The form stays readable but cannot change under a running save. */
  gtk_widget_set_sensitive (form, !busy);
  if (!busy && self->focus_before_saving != NULL)
    {
      gtk_widget_grab_focus (self->focus_before_saving);
      g_clear_weak_pointer (&self->focus_before_saving);
    }
}

void
pb_editor_transition (PbIntegrationEditor *self,
                      PbEditorEvent        event)
{
  PbEditorState old = self->state;
  PbEditorState state = old;

  switch (event)
    {
    case PB_EDITOR_EVENT_CHANGED:
      if (old == PB_EDITOR_STATE_IDLE || old == PB_EDITOR_STATE_READY)
        state = form_state (self);
      break;
    case PB_EDITOR_EVENT_SAVE:
      if (old == PB_EDITOR_STATE_READY)
        state = PB_EDITOR_STATE_BUSY;
      break;
    case PB_EDITOR_EVENT_STOPPED:
      if (old == PB_EDITOR_STATE_BUSY)
        state = form_state (self);
      break;
    case PB_EDITOR_EVENT_SAVED:
    case PB_EDITOR_EVENT_DISCARD:
    default:
      state = PB_EDITOR_STATE_DONE;
      break;
    }

  self->state = state;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 state == PB_EDITOR_STATE_READY);
  if ((old == PB_EDITOR_STATE_BUSY) != (state == PB_EDITOR_STATE_BUSY))
    {
      show_busy (self, state == PB_EDITOR_STATE_BUSY);
      /* What the form says may have changed meanwhile (a step of the save applied). */
      if (state != PB_EDITOR_STATE_BUSY)
        pb_editor_update_state (self);
    }
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
      pb_editor_transition (self, PB_EDITOR_EVENT_DISCARD);
      gtk_window_close (GTK_WINDOW (self));
    }
}

static gboolean
pb_integration_editor_close_request (GtkWindow *window)
{
  PbIntegrationEditor *self = PB_INTEGRATION_EDITOR (window);
  GtkWidget *dialog;

  if (self->state == PB_EDITOR_STATE_DONE
      || (self->state != PB_EDITOR_STATE_BUSY && !pb_editor_is_dirty (self)))
    {
      /* A new integration given up after a refusal: what its tries put in the keyring
       * belongs to nothing. */
      if (self->saved == NULL && self->keyring_may_hold && self->new_id != NULL)
        pb_store_clear_secrets_async (self->store, self->new_id, NULL, NULL, NULL);
      self->keyring_may_hold = FALSE;
      /* Let the focused entry lose its focus before the window goes away. */
      gtk_window_set_focus (window, NULL);
      return GTK_WINDOW_CLASS (pb_integration_editor_parent_class)->close_request (window);
    }

  /* A running save finishes first; its result decides. */
  if (self->state == PB_EDITOR_STATE_BUSY || self->question != NULL)
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
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, oauth_app_row);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, oauth_app_note_row);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, oauth_app_note);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, account_group);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, account_list);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, credentials_list);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, callback_group);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, callback_row);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, default_group);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, default_row);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationEditor, status_label);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_name_row_changed_cb",
                                                G_CALLBACK (pb_editor_on_name_row_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_auth_type_row_selected_cb",
                                                G_CALLBACK (pb_editor_on_auth_type_row_selected_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_default_row_selected_cb",
                                                G_CALLBACK (pb_editor_on_default_row_selected_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_oauth_app_row_selected_cb",
                                                G_CALLBACK (pb_editor_on_oauth_app_row_selected_cb));

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, pb_editor_save_action);
  gtk_widget_class_install_action (widget_class, "editor.copy-callback", NULL,
                                   copy_callback_action);
  gtk_widget_class_install_action (widget_class, "editor.copy-generated", "s",
                                   copy_generated_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
pb_integration_editor_init (PbIntegrationEditor *self)
{
  pb_editor_load_style (GTK_WIDGET (self));
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The untitled group of the connector, the name and the auth type. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self->name_row))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Integration"), -1);

  self->cancellable = g_cancellable_new ();
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pb_editor_wipe_free);
  self->initial = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pb_editor_wipe_free);
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

  category = pb_category_display_label (pb_connector_get_category (connector));
  connector_text = g_strdup_printf ("%s · %s", pb_connector_get_provider_name (connector), category);
  adw_action_row_set_subtitle (self->connector_row, connector_text);
  pb_editor_set_accessible_description (GTK_WIDGET (self->connector_row), connector_text);
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
      self->initial_oauth_app = pb_integration_get_oauth_app (integration);

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

  pb_editor_setup_default (self);

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
      pb_editor_set_refusal (self, _("This connector offers no way to authenticate yet, so it cannot "
                           "be configured."));
      gtk_widget_set_visible (GTK_WIDGET (self->credentials_group), FALSE);
      return self;
    }

  {
    g_autoptr(PbAuthType) type = g_list_model_get_item (types, selected);

    if (integration == NULL)
      self->initial_auth_type = g_strdup (pb_auth_type_get_key (type));
    pb_editor_set_auth_type (self, type);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->auth_type_row),
                            g_list_model_get_n_items (types) > 1);

  if (integration != NULL)
    pb_editor_look_up_secrets (self);

  pb_editor_update_state (self);
  adw_entry_row_set_activates_default (self->name_row, TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_row));

  return self;
}

gboolean
pb_integration_editor_get_dirty (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), FALSE);

  return pb_editor_is_dirty (self);
}

gboolean
pb_integration_editor_get_can_save (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), FALSE);

  return self->state == PB_EDITOR_STATE_READY;
}

gboolean
pb_integration_editor_get_saving (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), FALSE);

  return self->state == PB_EDITOR_STATE_BUSY;
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
  else if ((row = pb_editor_find_row (self, key)) != NULL)
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
  if (g_strcmp0 (key, "oauth-app") == 0)
    return GTK_WIDGET (self->oauth_app_row);

  row = pb_editor_find_row (self, key);
  if (row != NULL)
    return row->row;
  /* A generated value's row, which has no entry. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->credentials_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "pb-field-key"), key) == 0
        && ADW_IS_ACTION_ROW (child))
      return child;
  return NULL;
}

const char *
pb_integration_editor_get_secret_hint (PbIntegrationEditor *self,
                                       const char          *key)
{
  FieldRow *row;

  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), NULL);

  row = pb_editor_find_row (self, key);
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

gboolean
pb_integration_editor_get_queued (PbIntegrationEditor *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_EDITOR (self), FALSE);

  return self->queued;
}