/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-accounts-view"

#include "config.h"

#include "pb-accounts-view-private.h"

#include <glib/gi18n.h>

#include "pb-error-sentence.h"
#include "pb-link-dialog.h"
#include "pb-views-util.h"

/* What an admin does to one linked account (the row's menu; parameter: the account's id),
 * and "Link Account…" for a new one. Suspend, resume and delete are queued offline like the
 * integrations' changes; linking and checking need the backend, and say so. */

static void
toast (PbAccountsView *self,
       const char     *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
  else
    g_message ("%s", text);
}

static void
toast_error (PbAccountsView *self,
             const char     *what,
             const GError   *error)
{
  g_autofree char *sentence = pb_error_sentence (error);
  /* TRANSLATORS: what failed ("Could not suspend the account."), then why */
  g_autofree char *text = g_strdup_printf (_("%s %s"), what, sentence);

  toast (self, text);
}

static const char *
owner_of (PbLinkedAccount *account)
{
  const char *owner = pb_linked_account_get_origin_owner_name (account);

  if (owner == NULL || *owner == '\0')
    owner = pb_linked_account_get_origin_owner_id (account);
  return owner != NULL ? owner : "—";
}

/* (transfer none) (nullable): the shown account with @parameter's id. */
static PbLinkedAccount *
account_for (PbAccountsView *self,
             GVariant       *parameter)
{
  GListModel *model = G_LIST_MODEL (self->sorted);
  const char *id = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLinkedAccount) account = g_list_model_get_item (model, i);

      if (g_strcmp0 (pb_linked_account_get_id (account), id) == 0)
        return account;   /* the model keeps it */
    }
  toast (self, _("This account is no longer in the list. Refresh to see the current one."));
  return NULL;
}

static GtkWindow *
parent_window (PbAccountsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* ---- suspend, resume, delete: queued changes ------------------------------------------ */

typedef struct
{
  PbAccountsView  *view;
  PbOperationKind  kind;
  char            *owner;
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_clear_object (&data->view);
  g_free (data->owner);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionData, action_data_free)

static void
on_applied_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean queued;

  if (!pb_store_apply_finish (PB_STORE (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast_error (data->view,
                   data->kind == PB_OPERATION_SUSPEND_ACCOUNT ? _("Could not suspend the account.")
                   : data->kind == PB_OPERATION_RESUME_ACCOUNT ? _("Could not resume the account.")
                   : _("Could not delete the account."), error);
      pb_accounts_view_schedule_refresh (data->view);
      return;
    }
  queued = pb_store_apply_was_queued (PB_STORE (source), result);
  switch (data->kind)
    {
    case PB_OPERATION_SUSPEND_ACCOUNT:
      text = queued
        /* TRANSLATORS: %s is the owner of a linked account */
        ? g_strdup_printf (_("The account of %s will be suspended once the backend is back"),
                           data->owner)
        /* TRANSLATORS: %s is the owner of a linked account */
        : g_strdup_printf (_("Account of %s suspended: API requests to it are refused"),
                           data->owner);
      break;
    case PB_OPERATION_RESUME_ACCOUNT:
      text = queued
        ? g_strdup_printf (_("The account of %s will be resumed once the backend is back"),
                           data->owner)
        : g_strdup_printf (_("Account of %s resumed"), data->owner);
      break;
    case PB_OPERATION_DELETE_ACCOUNT:
    default:
      text = queued
        ? g_strdup_printf (_("The account of %s will be deleted once the backend is back"),
                           data->owner)
        : g_strdup_printf (_("Account of %s deleted"), data->owner);
      break;
    }
  toast (data->view, text);
  pb_accounts_view_schedule_refresh (data->view);
}

static void
apply (PbAccountsView  *self,
       PbOperationKind  kind,
       PbLinkedAccount *account)
{
  PbStore *store = pb_paged_view_get_store (PB_PAGED_VIEW (self));
  g_autoptr(PbOperation) operation = pb_operation_new_account (kind, account);
  ActionData *data = g_new0 (ActionData, 1);

  data->view = g_object_ref (self);
  data->kind = kind;
  data->owner = g_strdup (owner_of (account));
  pb_store_apply_async (store, operation, NULL, NULL, on_applied_cb, data);
}

static void
suspend_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);
  PbLinkedAccount *account = account_for (self, parameter);

  if (account != NULL)
    apply (self, g_str_equal (action_name, "accounts.suspend") ? PB_OPERATION_SUSPEND_ACCOUNT
                                                              : PB_OPERATION_RESUME_ACCOUNT,
           account);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       PbAccountsView   *self)
{
  PbLinkedAccount *account = g_object_get_data (G_OBJECT (dialog), "pb-account");

  if (g_strcmp0 (response, "delete") == 0 && account != NULL)
    apply (self, PB_OPERATION_DELETE_ACCOUNT, account);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);
  PbLinkedAccount *account = account_for (self, parameter);
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  if (account == NULL)
    return;
  /* TRANSLATORS: %s is the owner of a linked account */
  heading = g_strdup_printf (_("Delete the Account of %s?"), owner_of (account));
  dialog = adw_message_dialog_new (parent_window (self), heading,
                                   _("The linked account and the credentials stored for it are "
                                     "erased from the backend; API requests to it are refused "
                                     "from then on. The owner can link it again. This cannot be "
                                     "undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "pb-account", g_object_ref (account),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- check, copy ----------------------------------------------------------------------- */

static void
on_checked_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbLinkedAccount) account = NULL;
  g_autofree char *text = NULL;
  GPtrArray *reasons;

  account = pb_store_check_account_finish (PB_STORE (source), result, &error);
  if (account == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (data->view, _("Could not check the credentials."), error);
      return;
    }
  reasons = pb_linked_account_get_status_reasons (account);
  if (pb_linked_account_get_status (account) == PB_ACCOUNT_STATUS_ACTIVE)
    /* TRANSLATORS: %s is the owner of a linked account */
    text = g_strdup_printf (_("The credentials of %s work: the account is active"), data->owner);
  else if (reasons != NULL && reasons->len > 0)
    {
      PbStatusReason *reason = g_ptr_array_index (reasons, reasons->len - 1);

      /* TRANSLATORS: the owner of a linked account, then the backend's reason */
      text = g_strdup_printf (_("The credentials of %s do not work: %s"), data->owner,
                              reason->description ? reason->description : reason->code);
    }
  else
    text = g_strdup_printf (_("The credentials of %s do not work: link the account again"),
                            data->owner);
  toast (data->view, text);
  pb_accounts_view_schedule_refresh (data->view);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);
  PbLinkedAccount *account = account_for (self, parameter);
  ActionData *data;

  if (account == NULL)
    return;
  data = g_new0 (ActionData, 1);
  data->view = g_object_ref (self);
  data->owner = g_strdup (owner_of (account));
  pb_store_check_account_async (pb_paged_view_get_store (PB_PAGED_VIEW (self)),
                                pb_linked_account_get_id (account), NULL, on_checked_cb, data);
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);
  PbLinkedAccount *account = account_for (self, parameter);

  if (account == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), pb_linked_account_get_id (account));
  toast (self, _("Account ID copied"));
}

/* ---- link, link again ------------------------------------------------------------------ */

static void
on_linked_cb (PbLinkDialog    *dialog,
              PbLinkedAccount *account,
              PbAccountsView  *self)
{
  g_autofree char *text = NULL;
  const char *owner = owner_of (account);

  if (g_object_get_data (G_OBJECT (dialog), "pb-relink") != NULL)
    /* TRANSLATORS: %s is the owner of a linked account */
    text = g_strdup_printf (_("Account of %s linked again"), owner);
  else
    /* TRANSLATORS: the owner of a linked account, then its status ("Active") */
    text = g_strdup_printf (_("Account of %s linked: %s"), owner,
                            pb_views_status_label (pb_linked_account_get_status (account)));
  toast (self, text);
  pb_accounts_view_schedule_refresh (self);
}

static void
present_dialog (PbAccountsView *self,
                GtkWidget      *dialog)
{
  g_signal_connect_object (dialog, "linked", G_CALLBACK (on_linked_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
relink_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);
  PbLinkedAccount *account = account_for (self, parameter);
  GtkWidget *dialog;

  if (account == NULL)
    return;
  dialog = pb_link_dialog_new_relink (parent_window (self),
                                      pb_paged_view_get_store (PB_PAGED_VIEW (self)), account);
  g_object_set_data (G_OBJECT (dialog), "pb-relink", GINT_TO_POINTER (TRUE));
  present_dialog (self, dialog);
}

static void
link_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);
  PbStore *store = pb_paged_view_get_store (PB_PAGED_VIEW (self));
  const char *integration_id = pb_paged_view_get_integration_id (PB_PAGED_VIEW (self));
  PbIntegration *integration = NULL;

  if (integration_id != NULL)
    integration = pb_store_find_integration (store, integration_id, NULL);
  present_dialog (self, pb_link_dialog_new (parent_window (self), store, integration));
}

void
pb_accounts_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "accounts.link", NULL, link_action);
  gtk_widget_class_install_action (widget_class, "accounts.relink", "s", relink_action);
  gtk_widget_class_install_action (widget_class, "accounts.suspend", "s", suspend_action);
  gtk_widget_class_install_action (widget_class, "accounts.resume", "s", suspend_action);
  gtk_widget_class_install_action (widget_class, "accounts.check", "s", check_action);
  gtk_widget_class_install_action (widget_class, "accounts.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "accounts.copy-id", "s", copy_id_action);
}
