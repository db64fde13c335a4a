/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-preferences"

#include "config.h"

#include "pb-preferences.h"
#include "pb-secret-buffer.h"

#include "pb-error-sentence.h"

#include <glib/gi18n.h>

struct _PbPreferences
{
  AdwPreferencesWindow parent_instance;

  PbApplication *application;
  GCancellable  *cancellable;

  /* template children */
  GtkListBox  *projects_list;
  AdwEntryRow *url_row;
  AdwEntryRow *key_row;
  AdwEntryRow *name_row;
  GtkLabel    *error_label;
  GtkSpinner  *add_spinner;
  GtkButton   *add_button;
  AdwPreferencesGroup *demo_group;
  AdwActionRow        *reset_row;
  GtkSpinner          *reset_spinner;
  GtkButton           *reset_button;
  gboolean             reset_asked;   /* a reset was started here: its outcome stays shown */
};

G_DEFINE_FINAL_TYPE (PbPreferences, pb_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static void
toast (PbPreferences *self,
       const char    *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static void
on_rename_apply_cb (AdwEntryRow   *row,
                    PbPreferences *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "project-id");
  g_autoptr(GError) error = NULL;

  if (!pb_project_list_rename (pb_application_get_project_list (self->application), id,
                               gtk_editable_get_text (GTK_EDITABLE (row)), &error))
    {
      g_autofree char *sentence = pb_error_sentence (error);

      toast (self, sentence);
    }
  else
    toast (self, _("Project renamed"));
}

static void
remove_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PbPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pb_project_list_remove_finish (PB_PROJECT_LIST (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *sentence = pb_error_sentence (error);

          toast (self, sentence);
        }
      return;
    }
  toast (self, _("Project removed"));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    PbPreferences    *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "project-id");

  if (g_strcmp0 (response, "remove") != 0)
    return;
  pb_project_list_remove_async (pb_application_get_project_list (self->application), id,
                                self->cancellable, remove_cb, g_object_ref (self));
}

static void
on_remove_clicked_cb (GtkButton     *button,
                      PbPreferences *self)
{
  PbProjectConfig *config = g_object_get_data (G_OBJECT (button), "project");
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL,
                                   _("Its API key is removed from this computer's keyring. "
                                     "The project itself stays on the backend."));
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Remove “%s”?"),
                                     pb_project_config_get_name (config));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "project-id",
                          g_strdup (pb_project_config_get_id (config)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rebuild_projects (PbPreferences *self)
{
  GListModel *projects = pb_application_get_projects (self->application);
  GtkWidget *child;
  guint n = g_list_model_get_n_items (projects);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->projects_list))) != NULL)
    gtk_list_box_remove (self->projects_list, child);

  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No project yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Add one below."));
      gtk_list_box_append (self->projects_list, row);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbProjectConfig) config = g_list_model_get_item (projects, i);
      const char *id = pb_project_config_get_id (config);
      g_autofree char *remove_label = NULL;

      if (pb_project_config_get_session_only (config))
        {
          GtkWidget *row = adw_action_row_new ();
          const char *kind = pb_application_is_demo_project (self->application, id)
                             ? _("The local demo, running on this computer")
                             : _("For this session only (from the environment)");
          g_autofree char *subtitle = g_strdup_printf ("%s — %s",
                                                       pb_project_config_get_url (config), kind);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         pb_project_config_get_name (config));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          gtk_list_box_append (self->projects_list, row);
        }
      else
        {
          GtkWidget *row = adw_entry_row_new ();
          GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

          /* The row's title is the URL; its text the name, renamed with the apply button. */
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         pb_project_config_get_url (config));
          gtk_editable_set_text (GTK_EDITABLE (row), pb_project_config_get_name (config));
          adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
          g_object_set_data_full (G_OBJECT (row), "project-id", g_strdup (id), g_free);
          g_signal_connect_object (row, "apply", G_CALLBACK (on_rename_apply_cb), self, 0);

          remove_label = g_strdup_printf (_("Remove %s"), pb_project_config_get_name (config));
          gtk_widget_set_tooltip_text (remove, remove_label);
          gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          remove_label, -1);
          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (remove, "flat");
          g_object_set_data_full (G_OBJECT (remove), "project", g_object_ref (config),
                                  g_object_unref);
          g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
          gtk_list_box_append (self->projects_list, row);
        }
    }
}

static void
on_field_changed_cb (PbPreferences *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *key = pb_secret_text (GTK_EDITABLE (self->key_row));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button),
                            *url != '\0' && *key != '\0'
                            && !gtk_widget_get_visible (GTK_WIDGET (self->add_spinner)));
}

static void
set_busy (PbPreferences *self,
          gboolean       busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->add_spinner), busy);
  gtk_spinner_set_spinning (self->add_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !busy);
  on_field_changed_cb (self);
}

static void ask_unencrypted (PbPreferences *self);

static void
add_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(PbPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProjectConfig) config = NULL;
  g_autofree char *message = NULL;

  config = pb_project_list_add_finish (PB_PROJECT_LIST (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (g_error_matches (error, PB_STORE_ERROR, PB_STORE_ERROR_UNENCRYPTED))
    {
      ask_unencrypted (self);
      return;
    }
  if (config == NULL)
    {
      g_autofree char *sentence = pb_error_sentence (error);

      /* Nothing typed is lost: the fields keep their text. */
      gtk_label_set_label (self->error_label, sentence);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  message = g_strdup_printf (_("“%s” added: choose it in the header bar"),
                             pb_project_config_get_name (config));
  toast (self, message);
}

static void
add_project (PbPreferences *self,
             gboolean       allow_unencrypted)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  set_busy (self, TRUE);
  pb_project_list_add_async (pb_application_get_project_list (self->application),
                             *name != '\0' ? name : NULL,
                             gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                             pb_secret_text (GTK_EDITABLE (self->key_row)),
                             allow_unencrypted, self->cancellable, add_cb, g_object_ref (self));
}

static void
on_unencrypted_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            PbPreferences    *self)
{
  if (g_str_equal (response, "unencrypted"))
    add_project (self, TRUE);
}

/* http:// to another computer: nothing was sent; the admin decides for this project. */
static void
ask_unencrypted (PbPreferences *self)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                              _("Use an Unencrypted Connection?"), NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” is reached with http://: the API key and everything "
                                    "about this project would travel unencrypted, readable "
                                    "by anyone on the network in between. Use https:// if the "
                                    "backend offers it."),
                                  gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "unencrypted", _("_Use Unencrypted"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "unencrypted",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unencrypted_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_add_button_clicked_cb (PbPreferences *self)
{
  add_project (self, FALSE);
}

/* The local demo */

static void
update_demo_group (PbPreferences *self)
{
  PbDemoBackend *demo = pb_application_get_demo (self->application);
  gboolean in_use = demo != NULL
                    && (pb_demo_backend_get_running (demo) || pb_demo_backend_get_resetting (demo)
                        || g_list_model_get_n_items (pb_demo_backend_get_projects (demo)) > 0);

  /* Also after a reset that could not start the demo again: its error stays, and another
   * try is one click away. */
  gtk_widget_set_visible (GTK_WIDGET (self->demo_group), in_use || self->reset_asked);
}

static void
set_resetting (PbPreferences *self,
               gboolean       resetting,
               const char    *subtitle)
{
  gtk_widget_set_visible (GTK_WIDGET (self->reset_spinner), resetting);
  gtk_spinner_set_spinning (self->reset_spinner, resetting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button), !resetting);
  adw_action_row_set_subtitle (self->reset_row, subtitle);
  update_demo_group (self);
}

static void
reset_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PbPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pb_application_reset_demo_finish (PB_APPLICATION (source), result, &error))
    {
      g_autofree char *sentence = pb_error_sentence (error);

      /* The whole sentence stays in the row; the toast only points at it. */
      set_resetting (self, FALSE, sentence);
      toast (self, _("The local demo could not be reset"));
      return;
    }
  set_resetting (self, FALSE, _("Start the demo again with its original data. Changes made in "
                                "it are lost."));
  toast (self, _("The local demo was reset"));
}

static void
reset_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   PbPreferences    *self)
{
  if (g_strcmp0 (response, "reset") != 0 || self->application == NULL)
    return;
  self->reset_asked = TRUE;
  set_resetting (self, TRUE, _("Resetting…"));
  /* Not cancelled with the window: a reset stopped half-way would leave no demo. */
  pb_application_reset_demo_async (self->application, NULL, reset_cb, g_object_ref (self));
}

static void
on_reset_clicked_cb (PbPreferences *self)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Reset the Local Demo?"),
                                   _("The demo starts again with its original data and new "
                                     "keys. Everything changed in it is lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reset", _("_Reset Demo"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reset",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (reset_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pb_preferences_dispose (GObject *object)
{
  PbPreferences *self = PB_PREFERENCES (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_PREFERENCES);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (pb_preferences_parent_class)->dispose (object);
}

static void
pb_preferences_class_init (PbPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PB_RESOURCE_PREFIX "/pb-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, projects_list);
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, url_row);
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, key_row);
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, name_row);
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, error_label);
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, add_spinner);
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, add_button);
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, demo_group);
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, reset_row);
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, reset_spinner);
  gtk_widget_class_bind_template_child (widget_class, PbPreferences, reset_button);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_button_clicked_cb);
}

static void
pb_preferences_init (PbPreferences *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  pb_secret_buffer_attach (GTK_EDITABLE (self->key_row));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->projects_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Projects"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reset_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reset the local demo"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Start the demo again with its original data. Changes made "
                                    "in it are lost."), -1);
}

PbPreferences *
pb_preferences_new (PbApplication *application)
{
  PbPreferences *self;

  g_return_val_if_fail (PB_IS_APPLICATION (application), NULL);

  self = g_object_new (PB_TYPE_PREFERENCES, "application", application, NULL);
  self->application = g_object_ref (application);
  g_signal_connect_object (pb_application_get_projects (application), "items-changed",
                           G_CALLBACK (rebuild_projects), self, G_CONNECT_SWAPPED);
  rebuild_projects (self);
  if (pb_application_get_demo (application) != NULL)
    g_signal_connect_object (pb_demo_backend_get_projects (pb_application_get_demo (application)),
                             "items-changed", G_CALLBACK (update_demo_group), self,
                             G_CONNECT_SWAPPED);
  update_demo_group (self);
  return self;
}
