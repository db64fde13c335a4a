/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-window-private.h"

/* ----------------------------------------------------------------------------------------- */
/* Integration actions (parameter: the integration id) */

PbIntegration *
pb_window_integration_for (PbWindow *self,
                 GVariant *parameter)
{
  PbIntegration *integration = NULL;

  if (self->project != NULL && parameter != NULL)
    integration = pb_ui_project_find (self->project, g_variant_get_string (parameter, NULL));
  if (integration == NULL)
    pb_window_toast (self, _("This integration no longer exists. Refresh to see the current "
                             "list."));
  return integration;
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = pb_window_integration_for (self, parameter);

  if (integration != NULL)
    pb_editor_present_edit (GTK_WINDOW (self), pb_ui_project_get_store (self->project),
                            integration);
}

static void
copy_text (PbWindow   *self,
           const char *text,
           const char *toast)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  pb_window_toast (self, toast);
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = pb_window_integration_for (self, parameter);

  if (integration != NULL)
    copy_text (self, pb_integration_get_id (integration), _("Integration ID copied"));
}

static void
copy_connector_id_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = pb_window_integration_for (self, parameter);

  if (integration != NULL)
    copy_text (self, pb_integration_get_connector_key (integration), _("Connector ID copied"));
}

typedef struct
{
  PbWindow *window;
  char     *id;
  char     *name;
  char     *previous;   /* make default: the previous default's id */
  gboolean  active;
  gboolean  offer_undo;
} ChangeData;

static ChangeData *
change_data_new (PbWindow      *self,
                 PbIntegration *integration)
{
  ChangeData *data = g_new0 (ChangeData, 1);

  data->window = g_object_ref (self);
  data->id = g_strdup (pb_integration_get_id (integration));
  data->name = g_strdup (pb_integration_get_name (integration));
  return data;
}

static void
change_data_free (ChangeData *data)
{
  g_clear_object (&data->window);
  g_free (data->id);
  g_free (data->name);
  g_free (data->previous);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChangeData, change_data_free)

static void
set_active_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ChangeData) data = user_data;
  PbWindow *self = data->window;
  g_autoptr(PbIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  pb_ui_project_apply_finish (PB_UI_PROJECT (source), result, &integration, &error);
  pb_window_changes_settled (self);
  if (integration == NULL)
    {
      pb_window_show_error (self, data->active ? _("Could not enable the integration.")
                                     : _("Could not disable the integration."), error);
      return;
    }

  message = g_strdup_printf (data->active ? _("“%s” enabled") : _("“%s” disabled"), data->name);
  if (data->offer_undo)
    pb_window_toast_with_undo (self, message, "integration.set-active-now",
                     g_variant_new ("(sb)", data->id, !data->active));
  else
    pb_window_toast (self, message);
}

static void
apply_active (PbWindow      *self,
              PbIntegration *integration,
              gboolean       active,
              gboolean       offer_undo)
{
  ChangeData *data = change_data_new (self, integration);

  data->active = active;
  data->offer_undo = offer_undo;
  pb_ui_project_apply_async (self->project, active ? PB_OPERATION_ENABLE : PB_OPERATION_DISABLE,
                             data->id, self->cancellable, set_active_cb, data);
}

/* A question before a change that cannot be taken back: Cancel is the default; @response
 * (destructive) runs @callback with the ChangeData of @integration. */
static void
ask_destructive (PbWindow      *self,
                 PbIntegration *integration,
                 const char    *heading,
                 const char    *body,
                 const char    *response,
                 const char    *response_label,
                 GCallback      callback)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response, response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", callback, change_data_new (self, integration),
                         (GClosureNotify) (void (*) (void)) change_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
disable_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  ChangeData *data = user_data;   /* owned by the dialog's handler */
  PbWindow *self = data->window;
  PbIntegration *integration;

  if (g_strcmp0 (response, "disable") != 0 || self->project == NULL
      || (integration = pb_ui_project_find (self->project, data->id)) == NULL)
    {
      pb_window_changes_settled (self);
      return;
    }
  apply_active (self, integration, FALSE, TRUE);
}

static void
disable_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = pb_window_integration_for (self, parameter);
  g_autofree char *warning = NULL;
  g_autofree char *heading = NULL;

  if (integration == NULL)
    return;
  if (!pb_integration_get_active (integration))
    {
      pb_window_changes_settled (self);
      return;
    }

  /* No linked accounts: nothing to warn about, no question. */
  warning = pb_rules_disable_warning (pb_integration_get_accounts_total (integration));
  if (warning == NULL)
    {
      apply_active (self, integration, FALSE, TRUE);
      return;
    }

  heading = g_strdup_printf (_("Disable “%s”?"), pb_integration_get_name (integration));
  ask_destructive (self, integration, heading, warning, "disable", _("_Disable"),
                   G_CALLBACK (disable_response_cb));
}

static void
enable_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = pb_window_integration_for (self, parameter);

  if (integration == NULL)
    return;
  if (pb_integration_get_active (integration))
    {
      pb_window_changes_settled (self);
      return;
    }
  /* Enabling brings the accounts back: no question. */
  apply_active (self, integration, TRUE, TRUE);
}

/* Undo of an enable or a disable: applied as it was asked, without asking again. */
static void
set_active_now_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  const char *id;
  gboolean active;
  PbIntegration *integration;

  g_variant_get (parameter, "(&sb)", &id, &active);
  integration = self->project != NULL ? pb_ui_project_find (self->project, id) : NULL;
  if (integration == NULL)
    {
      pb_window_toast (self, _("This integration no longer exists. Refresh to see the current "
                               "list."));
      return;
    }
  if (pb_integration_get_active (integration) != active)
    apply_active (self, integration, active, FALSE);
}

static void
make_default_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ChangeData) data = user_data;
  PbWindow *self = data->window;
  g_autoptr(PbIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  pb_ui_project_apply_finish (PB_UI_PROJECT (source), result, &integration, &error);
  if (integration == NULL)
    {
      pb_window_show_error (self, _("Could not make the integration the default."), error);
      return;
    }
  message = g_strdup_printf (_("“%s” is now the default for %s"), data->name,
                             pb_integration_get_connector_label (integration));
  if (data->offer_undo && data->previous != NULL)
    pb_window_toast_with_undo (self, message, "integration.make-default-now",
                     g_variant_new_string (data->previous));
  else
    pb_window_toast (self, message);
}

static void
apply_make_default (PbWindow      *self,
                    PbIntegration *integration,
                    gboolean       offer_undo)
{
  ChangeData *data = change_data_new (self, integration);
  PbIntegration *previous =
    pb_ui_project_find_default (self->project, pb_integration_get_connector_key (integration));

  if (previous != NULL && previous != integration)
    data->previous = g_strdup (pb_integration_get_id (previous));
  data->offer_undo = offer_undo;
  pb_ui_project_apply_async (self->project, PB_OPERATION_MAKE_DEFAULT, data->id,
                             self->cancellable, make_default_cb, data);
}

static void
make_default_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = pb_window_integration_for (self, parameter);

  if (integration != NULL && !pb_integration_get_is_default (integration))
    apply_make_default (self, integration, g_str_equal (action_name, "integration.make-default"));
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ChangeData) data = user_data;
  PbWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!pb_ui_project_apply_finish (PB_UI_PROJECT (source), result, NULL, &error))
    {
      pb_window_show_error (self, _("Could not delete the integration."), error);
      return;
    }
  message = g_strdup_printf (_("“%s” deleted"), data->name);
  pb_window_toast (self, message);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  ChangeData *data = user_data;   /* owned by the dialog's handler */
  PbWindow *self = data->window;
  ChangeData *copy;

  if (g_strcmp0 (response, "delete") != 0 || self->project == NULL)
    return;
  copy = g_new0 (ChangeData, 1);
  copy->window = g_object_ref (self);
  copy->id = g_strdup (data->id);
  copy->name = g_strdup (data->name);
  pb_ui_project_apply_async (self->project, PB_OPERATION_DELETE, copy->id, self->cancellable,
                             delete_cb, copy);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = pb_window_integration_for (self, parameter);
  PbIntegrationFacts facts;
  PbDeleteVerdict verdict;
  g_autofree char *heading = NULL;

  if (integration == NULL)
    return;

  /* The same rule as the menu and the server: say why at once rather than ask first. */
  pb_ui_project_get_facts (self->project, integration, &facts);
  verdict = pb_rules_delete_verdict (&facts);
  if (verdict != PB_DELETE_ALLOWED)
    {
      g_autofree char *why = pb_rules_delete_verdict_message (verdict, &facts);

      pb_window_toast (self, why);
      return;
    }

  heading = g_strdup_printf (_("Delete “%s”?"), pb_integration_get_name (integration));
  ask_destructive (self, integration, heading,
                   _("The integration and the credentials stored for it are removed from the "
                     "project. This cannot be undone."),
                   "delete", _("_Delete"), G_CALLBACK (delete_response_cb));
}

static void
on_account_linked_cb (PbLinkDialog    *dialog,
                      PbLinkedAccount *account,
                      PbWindow        *self)
{
  const char *owner = pb_linked_account_get_origin_owner_name (account);
  PbIntegration *integration = NULL;
  g_autofree char *message = NULL;

  if (owner == NULL || *owner == '\0')
    owner = pb_linked_account_get_origin_owner_id (account);
  if (self->project != NULL)
    integration = pb_ui_project_find (self->project,
                                      pb_linked_account_get_integration_id (account));
  /* TRANSLATORS: the owner of a linked account, then the integration's name */
  message = g_strdup_printf (_("Account of %s linked to “%s”"), owner ? owner : "—",
                             integration != NULL ? pb_integration_get_name (integration)
                                                 : pb_linked_account_get_provider (account));
  pb_window_toast (self, message);
  /* The row's count of accounts follows the backend's. */
  if (self->project != NULL)
    pb_store_sync_now (pb_ui_project_get_store (self->project));
}

static void
link_account_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = pb_window_integration_for (self, parameter);
  GtkWidget *dialog;

  if (integration == NULL)
    return;
  dialog = pb_link_dialog_new (GTK_WINDOW (self), pb_ui_project_get_store (self->project),
                               integration);
  g_signal_connect_object (dialog, "linked", G_CALLBACK (on_account_linked_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
unavailable_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  /* Never enabled (see pb_window_update_actions). */
}

void
pb_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "integration.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "integration.copy-id", "s", copy_id_action);
  gtk_widget_class_install_action (widget_class, "integration.copy-connector-id", "s",
                                   copy_connector_id_action);
  gtk_widget_class_install_action (widget_class, "integration.disable", "s", disable_action);
  gtk_widget_class_install_action (widget_class, "integration.enable", "s", enable_action);
  gtk_widget_class_install_action (widget_class, "integration.set-active-now", "(sb)",
                                   set_active_now_action);
  gtk_widget_class_install_action (widget_class, "integration.make-default", "s",
                                   make_default_action);
  gtk_widget_class_install_action (widget_class, "integration.make-default-now", "s",
                                   make_default_action);
  gtk_widget_class_install_action (widget_class, "integration.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "integration.link-account", "s",
                                   link_account_action);
  gtk_widget_class_install_action (widget_class, "integration.delete-refused", NULL,
                                   unavailable_action);
}
