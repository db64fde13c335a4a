/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-link-dialog"

#include "config.h"

#include "pb-link-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pb-error-sentence.h"
#include "pb-secret-buffer.h"
#include "pb-views-private.h"

#define TEMPLATE "/io/github/plugboard/Plugboard/views/pb-link-dialog.ui"

/* One of the auth type's account fields, as a row of the Credentials group. */
typedef struct
{
  PbAuthField *field;
  GtkWidget   *row;            /* AdwEntryRow or AdwPasswordEntryRow */
  GtkWidget   *message_row;    /* its refusal, below it */
  GtkLabel    *message_label;
} FieldRow;

struct _PbLinkDialog
{
  AdwWindow parent_instance;

  PbStore *store;
  PbIntegration *integration;   /* the one the account is linked to */
  PbLinkedAccount *account;     /* re-link: the account */
  PbConnectSession *session;    /* made at the first Link / Make Link, kept for a retry */
  GPtrArray *choices;           /* PbIntegration of the integration row, or NULL */
  GPtrArray *fields;            /* FieldRow */
  GCancellable *cancellable;
  gboolean busy;
  gboolean link_shown;
  GtkWidget *focus_before;      /* where the focus was before a request (weak) */

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *cancel_button;
  GtkButton *primary_button;
  GtkSpinner *spinner;
  GtkLabel *error_label;
  AdwPreferencesGroup *owner_group;
  AdwComboRow *integration_row;
  AdwEntryRow *owner_id_row;
  AdwEntryRow *owner_name_row;
  AdwActionRow *owner_row;
  AdwPreferencesGroup *way_group;
  AdwActionRow *here_row;
  GtkCheckButton *here_check;
  GtkCheckButton *link_check;
  AdwPreferencesGroup *fields_group;
  AdwPreferencesGroup *link_group;
  GtkLabel *url_label;
  GtkButton *copy_button;
  GtkButton *open_button;
};

G_DEFINE_FINAL_TYPE (PbLinkDialog, pb_link_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_LINKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
field_row_free (FieldRow *row)
{
  g_clear_object (&row->field);
  g_free (row);
}

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

/* The text of an entry row (the secret itself for a password row). */
static const char *
row_text (GtkWidget *row)
{
  return pb_secret_text (GTK_EDITABLE (row));
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Whether this integration's accounts can be linked with values typed here: the backend
 * checks them against the account fields; an OAuth account is linked on the provider's page. */
static PbAuthType *
auth_type_of (PbLinkDialog *self)
{
  PbConnector *connector;

  if (self->integration == NULL)
    return NULL;
  connector = pb_store_find_connector (self->store,
                                       pb_integration_get_connector_key (self->integration));
  if (connector == NULL)
    return NULL;
  return pb_connector_find_auth_type (connector,
                                      pb_integration_get_auth_type_key (self->integration));
}

static gboolean
can_enter_here (PbLinkDialog *self)
{
  PbAuthType *type = auth_type_of (self);
  PbAuthKind kind;

  if (type == NULL)
    return FALSE;
  kind = pb_auth_type_get_kind (type);
  return kind != PB_AUTH_KIND_OAUTH2 && kind != PB_AUTH_KIND_OIDC;
}

static gboolean
owner_given (PbLinkDialog *self)
{
  return self->account != NULL
         || !is_blank (gtk_editable_get_text (GTK_EDITABLE (self->owner_id_row)));
}

static gboolean
fields_filled (PbLinkDialog *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->fields, i);

      if (pb_auth_field_get_required (row->field) && is_blank (row_text (row->row)))
        return FALSE;
    }
  return TRUE;
}

/* The one place the dialog's controls follow its state. */
static void
update_state (PbLinkDialog *self)
{
  gboolean here = gtk_check_button_get_active (self->here_check);
  gboolean ready;

  gtk_widget_set_visible (GTK_WIDGET (self->fields_group), here && !self->link_shown);
  gtk_widget_set_visible (GTK_WIDGET (self->link_group), self->link_shown);
  gtk_widget_set_sensitive (GTK_WIDGET (self->owner_group), !self->busy && !self->link_shown);
  gtk_widget_set_sensitive (GTK_WIDGET (self->way_group), !self->busy && !self->link_shown);
  gtk_widget_set_sensitive (GTK_WIDGET (self->fields_group), !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);

  if (self->link_shown)
    {
      gtk_button_set_label (self->primary_button, _("_Done"));
      gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->primary_button), TRUE);
      return;
    }
  gtk_button_set_label (self->primary_button, here ? _("_Link") : _("_Make Link"));
  ready = self->integration != NULL && owner_given (self) && (!here || fields_filled (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->primary_button), ready && !self->busy);
}

static void
on_input_changed_cb (PbLinkDialog *self)
{
  update_state (self);
}

static void
clear_errors (PbLinkDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->fields, i);

      gtk_widget_set_visible (row->message_row, FALSE);
      gtk_widget_remove_css_class (row->row, "error");
    }
}

static void
show_error (PbLinkDialog *self,
            const char   *sentence)
{
  gtk_label_set_label (self->error_label, sentence);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static FieldRow *
find_field (PbLinkDialog *self,
            const char   *key)
{
  if (g_str_has_prefix (key, "credentials."))
    key += strlen ("credentials.");
  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->fields, i);

      if (g_strcmp0 (pb_auth_field_get_key (row->field), key) == 0)
        return row;
    }
  return NULL;
}

/* A refusal: each refused field says why beside it; what was typed stays. */
static void
show_failure (PbLinkDialog *self,
              const GError *error)
{
  JsonObject *fields = pb_store_error_get_fields (error);
  g_autofree char *sentence = pb_error_sentence (error);
  FieldRow *first = NULL;

  if (fields != NULL)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &key, &value))
        {
          FieldRow *row = find_field (self, key);

          if (row == NULL || !JSON_NODE_HOLDS_VALUE (value)
              || json_node_get_value_type (value) != G_TYPE_STRING)
            continue;
          gtk_label_set_label (row->message_label, json_node_get_string (value));
          gtk_widget_set_visible (row->message_row, TRUE);
          gtk_widget_add_css_class (row->row, "error");
          if (first == NULL)
            first = row;
        }
    }
  show_error (self, sentence);
  if (first != NULL)
    gtk_widget_grab_focus (first->row);
}

/* ---- the fields of the integration's auth type ------------------------------------------ */

static void
on_field_changed_cb (GtkEditable *editable,
                     FieldRow    *row)
{
  PbLinkDialog *self = g_object_get_data (G_OBJECT (row->row), "pb-link-dialog");

  gtk_widget_set_visible (row->message_row, FALSE);
  gtk_widget_remove_css_class (row->row, "error");
  update_state (self);
}

static FieldRow *
field_row_new (PbLinkDialog *self,
               PbAuthField  *field)
{
  FieldRow *row = g_new0 (FieldRow, 1);
  const char *label = pb_auth_field_get_label (field);
  const char *description = pb_auth_field_get_description (field);
  GtkEditable *delegate;
  GtkWidget *message;

  row->field = g_object_ref (field);
  if (pb_auth_field_get_secret (field) || pb_auth_field_get_kind (field) == PB_FIELD_KIND_SECRET)
    {
      row->row = adw_password_entry_row_new ();
      /* Nothing readable over AT-SPI, nothing kept once the dialog is gone. */
      pb_secret_buffer_attach (GTK_EDITABLE (row->row));
    }
  else
    {
      row->row = adw_entry_row_new ();
      if (pb_auth_field_get_kind (field) == PB_FIELD_KIND_URL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row->row), GTK_INPUT_PURPOSE_URL);
      else if (pb_auth_field_get_kind (field) == PB_FIELD_KIND_EMAIL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row->row), GTK_INPUT_PURPOSE_EMAIL);
      if (pb_auth_field_get_default_value (field) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (row->row), pb_auth_field_get_default_value (field));
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), label);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row->row), TRUE);
  if (description != NULL && *description != '\0')
    gtk_widget_set_tooltip_text (row->row, description);
  delegate = gtk_editable_get_delegate (GTK_EDITABLE (row->row));
  if (delegate != NULL)
    {
      /* The entry inside the row takes the focus: it needs the name itself. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      GTK_ACCESSIBLE_PROPERTY_REQUIRED,
                                      pb_auth_field_get_required (field),
                                      -1);
      if (description != NULL && *description != '\0')
        gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
    }
  g_object_set_data (G_OBJECT (row->row), "pb-link-dialog", self);
  g_signal_connect (row->row, "changed", G_CALLBACK (on_field_changed_cb), row);

  row->message_row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                                   "activatable", FALSE,
                                   "focusable", FALSE,
                                   "visible", FALSE,
                                   NULL);
  message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_start (message, 12);
  gtk_widget_set_margin_end (message, 12);
  gtk_widget_set_margin_top (message, 6);
  gtk_widget_set_margin_bottom (message, 8);
  gtk_widget_add_css_class (message, "caption");
  gtk_widget_add_css_class (message, "error");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->message_row), message);
  row->message_label = GTK_LABEL (message);
  return row;
}

static void
clear_fields (PbLinkDialog *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->fields, i);

      adw_preferences_group_remove (self->fields_group, row->row);
      adw_preferences_group_remove (self->fields_group, row->message_row);
    }
  g_ptr_array_set_size (self->fields, 0);
}

static void
show_integration (PbLinkDialog *self)
{
  PbAuthType *type = auth_type_of (self);
  GListModel *fields = type != NULL ? pb_auth_type_get_account_fields (type) : NULL;
  g_autofree char *description = NULL;

  clear_fields (self);
  g_clear_pointer (&self->session, pb_connect_session_free);

  for (guint i = 0; fields != NULL && i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      FieldRow *row;

      if (pb_auth_field_get_generated (field))
        continue;
      row = field_row_new (self, field);
      adw_preferences_group_add (self->fields_group, row->row);
      adw_preferences_group_add (self->fields_group, row->message_row);
      g_ptr_array_add (self->fields, row);
    }

  if (self->integration != NULL)
    /* TRANSLATORS: the auth type of the integration the account is linked with */
    description = g_strdup_printf (_("What %s asks for (%s)."),
                                   pb_integration_get_connector_label (self->integration),
                                   pb_integration_get_auth_type_label (self->integration));
  adw_preferences_group_set_description (self->fields_group, description);

  if (can_enter_here (self))
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->here_row), TRUE);
      adw_action_row_set_subtitle (self->here_row,
                                   _("For a test or support account. The values go to the "
                                     "backend and are not kept on this computer."));
    }
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->here_row), FALSE);
      adw_action_row_set_subtitle (self->here_row,
                                   _("Not for this auth type: its accounts are linked on the "
                                     "provider’s page. Send a link."));
      gtk_check_button_set_active (self->link_check, TRUE);
    }
  update_state (self);
}

static void
on_integration_selected_cb (PbLinkDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->integration_row);

  if (self->choices == NULL || selected >= self->choices->len)
    return;
  g_set_object (&self->integration, g_ptr_array_index (self->choices, selected));
  show_integration (self);
}

/* ---- linking --------------------------------------------------------------------------- */

static void
set_busy (PbLinkDialog *self,
          gboolean      busy)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

  /* GTK 4.8 warns when a focused entry turns insensitive: the focus leaves the form while
   * it waits, and comes back after. */
  if (busy && focus != NULL)
    {
      g_set_weak_pointer (&self->focus_before, focus);
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
    }
  self->busy = busy;
  update_state (self);
  if (!busy && self->focus_before != NULL)
    {
      if (gtk_widget_is_sensitive (self->focus_before))
        gtk_widget_grab_focus (self->focus_before);
      g_clear_weak_pointer (&self->focus_before);
    }
}

static void
on_authenticated_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PbLinkDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbLinkedAccount) account = NULL;

  account = pb_store_authenticate_connect_session_finish (PB_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (account == NULL)
    {
      /* A used or expired session is not tried again: the next Link makes a new one. */
      if (g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNAUTHORIZED))
        g_clear_pointer (&self->session, pb_connect_session_free);
      show_failure (self, error);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_LINKED], 0, account);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
authenticate (PbLinkDialog *self)
{
  g_autoptr(GHashTable) credentials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             wipe_free);

  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->fields, i);
      const char *text = row_text (row->row);

      if (is_blank (text) && !pb_auth_field_get_required (row->field))
        continue;
      g_hash_table_insert (credentials, g_strdup (pb_auth_field_get_key (row->field)),
                           g_strdup (text != NULL ? text : ""));
    }
  set_busy (self, TRUE);
  pb_store_authenticate_connect_session_async (self->store, self->session, credentials,
                                               self->cancellable, on_authenticated_cb,
                                               g_object_ref (self));
}

static void
show_link (PbLinkDialog *self)
{
  const char *url = self->session->url;
  const char *intro;
  g_autofree char *description = NULL;

  self->link_shown = TRUE;
  if (url == NULL)
    {
      /* A backend without the hosted page gives only the token. */
      show_error (self, _("This backend gives no link for its connect sessions: the owner "
                          "cannot link the account in a browser."));
      gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), FALSE);
    }
  intro = self->account != NULL
          ? _("Send this link to the owner: it links the account again.")
          : _("Send this link to the owner: it links their account.");
  gtk_label_set_label (self->url_label, url != NULL ? url : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->url_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Connect link"), -1);
  if (self->session->expires_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (self->session->expires_at);
      g_autofree char *when = g_date_time_format (local, "%H:%M");
      /* TRANSLATORS: %s is a time of day */
      g_autofree char *until = g_strdup_printf (_("It works once, until %s."), when);

      description = g_strdup_printf ("%s %s", intro, until);
    }
  else
    description = g_strdup (intro);
  adw_preferences_group_set_description (self->link_group, description);
  update_state (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->copy_button));
}

static void
on_session_created_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(PbLinkDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->session = pb_store_create_connect_session_finish (PB_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->session == NULL)
    {
      set_busy (self, FALSE);
      show_failure (self, error);
      return;
    }
  if (gtk_check_button_get_active (self->here_check))
    {
      authenticate (self);
      return;
    }
  set_busy (self, FALSE);
  show_link (self);
}

static void
on_primary_clicked_cb (PbLinkDialog *self)
{
  g_autofree char *owner_id = NULL;
  g_autofree char *owner_name = NULL;

  if (self->link_shown)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (self->busy || !gtk_widget_get_sensitive (GTK_WIDGET (self->primary_button)))
    return;
  clear_errors (self);

  if (self->session != NULL && gtk_check_button_get_active (self->here_check))
    {
      authenticate (self);
      return;
    }
  g_clear_pointer (&self->session, pb_connect_session_free);
  if (self->account == NULL)
    {
      owner_id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->owner_id_row))));
      owner_name = g_strstrip (g_strdup (gtk_editable_get_text (
                                           GTK_EDITABLE (self->owner_name_row))));
    }
  else
    {
      owner_id = g_strdup (pb_linked_account_get_origin_owner_id (self->account));
      owner_name = g_strdup (pb_linked_account_get_origin_owner_name (self->account));
    }
  set_busy (self, TRUE);
  pb_store_create_connect_session_async (self->store, pb_integration_get_id (self->integration),
                                         self->account ? pb_linked_account_get_id (self->account)
                                                       : NULL,
                                         owner_id, owner_name, self->cancellable,
                                         on_session_created_cb, g_object_ref (self));
}

static void
on_cancel_clicked_cb (PbLinkDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_copy_clicked_cb (PbLinkDialog *self)
{
  if (self->session == NULL || self->session->url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->session->url);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Link copied")));
}

static void
on_launched_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PbLinkDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *sentence = pb_error_sentence (error);
      /* TRANSLATORS: %s says why, e.g. that no browser is installed */
      g_autofree char *text = g_strdup_printf (_("The link could not be opened: %s Copy it "
                                                 "instead."), sentence);

      show_error (self, text);
    }
}

static void
on_open_clicked_cb (PbLinkDialog *self)
{
  g_autoptr(GAppLaunchContext) context = NULL;

  if (self->session == NULL || self->session->url == NULL)
    return;
  /* The desktop's handler of the URI; in a sandbox GIO asks the OpenURI portal. */
  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (
                                    gtk_widget_get_display (GTK_WIDGET (self))));
  g_app_info_launch_default_for_uri_async (self->session->url, context, self->cancellable,
                                           on_launched_cb, g_object_ref (self));
}

/* ---- GObject --------------------------------------------------------------------------- */

static void
pb_link_dialog_dispose (GObject *object)
{
  PbLinkDialog *self = PB_LINK_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->focus_before);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_LINK_DIALOG);

  G_OBJECT_CLASS (pb_link_dialog_parent_class)->dispose (object);
}

static void
pb_link_dialog_finalize (GObject *object)
{
  PbLinkDialog *self = PB_LINK_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->integration);
  g_clear_object (&self->account);
  g_clear_pointer (&self->session, pb_connect_session_free);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pb_link_dialog_parent_class)->finalize (object);
}

static void
pb_link_dialog_class_init (PbLinkDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_link_dialog_dispose;
  object_class->finalize = pb_link_dialog_finalize;

  /**
   * PbLinkDialog::linked:
   * @account: the account as the backend linked it
   */
  signals[SIGNAL_LINKED] =
    g_signal_new ("linked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, PB_TYPE_LINKED_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class, TEMPLATE);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, primary_button);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, owner_group);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, integration_row);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, owner_id_row);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, owner_name_row);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, owner_row);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, way_group);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, here_row);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, here_check);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, link_check);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, fields_group);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, link_group);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, url_label);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, PbLinkDialog, open_button);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_primary_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pb_link_dialog_init (PbLinkDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_row_free);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->primary_button));
}

static PbLinkDialog *
dialog_new (GtkWindow *parent,
            PbStore   *store)
{
  PbLinkDialog *self = g_object_new (PB_TYPE_LINK_DIALOG, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  return self;
}

GtkWidget *
pb_link_dialog_new (GtkWindow     *parent,
                    PbStore       *store,
                    PbIntegration *integration)
{
  PbLinkDialog *self;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);

  self = dialog_new (parent, store);
  gtk_window_set_title (GTK_WINDOW (self), _("Link Account"));
  adw_window_title_set_title (self->window_title, _("Link Account"));
  if (integration != NULL)
    {
      self->integration = g_object_ref (integration);
      adw_window_title_set_subtitle (self->window_title, pb_integration_get_name (integration));
    }
  else
    {
      /* The project's enabled integrations (a disabled one links nothing). */
      GListModel *all = pb_store_get_integrations (store);
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

      self->choices = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < g_list_model_get_n_items (all); i++)
        {
          g_autoptr(PbIntegration) candidate = g_list_model_get_item (all, i);
          g_autofree char *label = NULL;

          if (!pb_integration_get_active (candidate))
            continue;
          /* TRANSLATORS: a connector, then one of its integrations: "BambooHR — API Key" */
          label = g_strdup_printf (_("%s — %s"),
                                   pb_integration_get_connector_label (candidate),
                                   pb_integration_get_name (candidate));
          gtk_string_list_append (names, label);
          g_ptr_array_add (self->choices, g_object_ref (candidate));
        }
      adw_combo_row_set_model (self->integration_row, G_LIST_MODEL (names));
      gtk_widget_set_visible (GTK_WIDGET (self->integration_row), TRUE);
      if (self->choices->len > 0)
        self->integration = g_object_ref (g_ptr_array_index (self->choices, 0));
      else
        show_error (self, _("The project has no enabled integration to link an account to."));
      g_signal_connect_swapped (self->integration_row, "notify::selected",
                                G_CALLBACK (on_integration_selected_cb), self);
    }
  show_integration (self);
  return GTK_WIDGET (self);
}

GtkWidget *
pb_link_dialog_new_relink (GtkWindow       *parent,
                           PbStore         *store,
                           PbLinkedAccount *account)
{
  PbLinkDialog *self;
  PbIntegration *integration;
  const char *owner;
  g_autofree char *owner_text = NULL;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (account), NULL);

  self = dialog_new (parent, store);
  self->account = g_object_ref (account);
  owner = pb_linked_account_get_origin_owner_name (account);
  if (owner == NULL || *owner == '\0')
    owner = pb_linked_account_get_origin_owner_id (account);
  gtk_window_set_title (GTK_WINDOW (self), _("Link Account Again"));
  adw_window_title_set_title (self->window_title, _("Link Account Again"));
  adw_window_title_set_subtitle (self->window_title, owner);

  gtk_widget_set_visible (GTK_WIDGET (self->owner_id_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->owner_name_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->owner_row), TRUE);
  /* TRANSLATORS: an owner's name, then their id */
  owner_text = g_strdup_printf (_("%s (ID %s)"), owner,
                                pb_linked_account_get_origin_owner_id (account)
                                ? pb_linked_account_get_origin_owner_id (account) : "—");
  adw_action_row_set_subtitle (self->owner_row, owner_text);
  adw_preferences_group_set_description (self->owner_group,
                                         _("New credentials replace the account’s; it keeps its "
                                           "ID and becomes active again."));

  integration = pb_store_find_integration (store, pb_linked_account_get_integration_id (account),
                                           NULL);
  if (integration != NULL)
    self->integration = g_object_ref (integration);
  else
    show_error (self, _("The account’s integration is not in the project any more."));
  show_integration (self);
  return GTK_WIDGET (self);
}

/* ---- for the tests (pb-views-private.h) ------------------------------------------------- */

GtkEditable *
pb_link_dialog_get_owner_id_entry (PbLinkDialog *self)
{
  g_return_val_if_fail (PB_IS_LINK_DIALOG (self), NULL);
  return GTK_EDITABLE (self->owner_id_row);
}

GtkEditable *
pb_link_dialog_get_field_entry (PbLinkDialog *self,
                                const char   *key)
{
  FieldRow *row;

  g_return_val_if_fail (PB_IS_LINK_DIALOG (self), NULL);
  row = find_field (self, key);
  return row != NULL ? GTK_EDITABLE (row->row) : NULL;
}

const char *
pb_link_dialog_get_field_message (PbLinkDialog *self,
                                  const char   *key)
{
  FieldRow *row;

  g_return_val_if_fail (PB_IS_LINK_DIALOG (self), NULL);
  row = find_field (self, key);
  if (row == NULL || !gtk_widget_get_visible (row->message_row))
    return NULL;
  return gtk_label_get_label (row->message_label);
}

const char *
pb_link_dialog_get_error (PbLinkDialog *self)
{
  g_return_val_if_fail (PB_IS_LINK_DIALOG (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

GtkButton *
pb_link_dialog_get_primary_button (PbLinkDialog *self)
{
  g_return_val_if_fail (PB_IS_LINK_DIALOG (self), NULL);
  return self->primary_button;
}

void
pb_link_dialog_choose_link (PbLinkDialog *self)
{
  g_return_if_fail (PB_IS_LINK_DIALOG (self));
  gtk_check_button_set_active (self->link_check, TRUE);
}

const char *
pb_link_dialog_get_url (PbLinkDialog *self)
{
  g_return_val_if_fail (PB_IS_LINK_DIALOG (self), NULL);
  if (!self->link_shown)
    return NULL;
  return gtk_label_get_label (self->url_label);
}

GtkButton *
pb_link_dialog_get_copy_button (PbLinkDialog *self)
{
  g_return_val_if_fail (PB_IS_LINK_DIALOG (self), NULL);
  return self->copy_button;
}
