/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-views"

#include "config.h"

#include <string.h>

#include "pb-secret-buffer.h"
#include "views-fixture.h"

/* Acting on linked accounts from the accounts view: Link Account (typed values, a refused
 * field first; or a link), the row's menu by status, suspend, resume, link again, copy the
 * id, delete after the question. What the server has is read with a client of its own. */

/* An enabled integration whose accounts are linked with typed values (API key types). */
static PbIntegration *
typed_integration (PbStore *store)
{
  GListModel *integrations = pb_store_get_integrations (store);

  for (guint i = 0; i < g_list_model_get_n_items (integrations); i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);
      PbConnector *connector =
        pb_store_find_connector (store, pb_integration_get_connector_key (integration));
      PbAuthType *type = connector ? pb_connector_find_auth_type (
        connector, pb_integration_get_auth_type_key (integration)) : NULL;

      if (type != NULL && pb_integration_get_active (integration)
          && pb_auth_type_get_kind (type) == PB_AUTH_KIND_API_KEY
          && g_list_model_get_n_items (pb_auth_type_get_account_fields (type)) > 0)
        return integration;   /* the store keeps it */
    }
  g_assert_not_reached ();
}

static PbAuthType *
auth_type_of (PbStore       *store,
              PbIntegration *integration)
{
  PbConnector *connector =
    pb_store_find_connector (store, pb_integration_get_connector_key (integration));

  return pb_connector_find_auth_type (connector, pb_integration_get_auth_type_key (integration));
}

static PbLinkedAccount *
server_account (const char  *id,
                GError     **error)
{
  PbClient *client = pb_store_get_client (hr_store);
  g_autoptr(GAsyncResult) result = NULL;

  pb_client_get_account_async (client, id, NULL, on_result_cb, &result);
  return pb_client_get_account_finish (client, wait_result (&result), error);
}

typedef struct
{
  const char      *id;
  PbAccountStatus  status;
  gboolean         gone;
} ServerWait;

static gboolean
server_has (gpointer data)
{
  ServerWait *wait = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbLinkedAccount) account = server_account (wait->id, &error);

  if (wait->gone)
    return g_error_matches (error, PB_API_ERROR, PB_API_ERROR_NOT_FOUND);
  return account != NULL && pb_linked_account_get_status (account) == wait->status;
}

typedef struct
{
  PbAccountsView *view;
  const char     *id;
  const char     *status_text;   /* NULL: the row is gone */
} RowWait;

static PbAccountRow *
find_row (PbAccountsView *view,
          const char     *id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (pb_paged_view_get_list_view (PB_PAGED_VIEW (view))),
                PB_TYPE_ACCOUNT_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      PbLinkedAccount *account = pb_account_row_get_account (rows->pdata[i]);

      if (account != NULL && g_strcmp0 (pb_linked_account_get_id (account), id) == 0
          && gtk_widget_get_mapped (rows->pdata[i]))
        return rows->pdata[i];
    }
  return NULL;
}

static gboolean
row_says (gpointer data)
{
  RowWait *wait = data;
  PbAccountRow *row;

  if (!accounts_settled (wait->view))
    return FALSE;
  row = find_row (wait->view, wait->id);
  if (wait->status_text == NULL)
    return row == NULL;
  return row != NULL && g_strcmp0 (pb_account_row_get_status_text (row), wait->status_text) == 0;
}

typedef struct
{
  PbAccountsView *view;
  const char     *id;
  const char     *part;
} CredentialsWait;

static gboolean
row_credentials_say (gpointer data)
{
  CredentialsWait *wait = data;
  PbAccountRow *row;

  if (!accounts_settled (wait->view))
    return FALSE;
  row = find_row (wait->view, wait->id);
  return row != NULL && strstr (pb_account_row_get_credentials_text (row), wait->part) != NULL;
}

/* What the row says of the first field once linked with fill_fields (…, @tag): its catalog
 * label and the backend's hint, the last four characters of the value. */
static char *
credential_part (PbAuthField *field,
                 const char  *tag)
{
  g_autofree char *value = g_strdup_printf ("%s-%s", pb_auth_field_get_key (field), tag);

  g_assert_cmpuint (strlen (value), >=, 8);
  return g_strdup_printf ("%s set (ends in …%s)", pb_auth_field_get_label (field),
                          value + strlen (value) - 4);
}

/* TRUE when a label or a tooltip under @widget holds @value. */
static gboolean
any_text_holds (GtkWidget  *widget,
                const char *value)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), value) != NULL)
    return TRUE;
  if (tooltip != NULL && strstr (tooltip, value) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (any_text_holds (child, value))
      return TRUE;
  return FALSE;
}

/* No value fill_fields (…, @tag) typed shows anywhere under @widget. */
static void
assert_no_value_shown (GtkWidget  *widget,
                       PbAuthType *type,
                       const char *tag)
{
  GListModel *fields = pb_auth_type_get_account_fields (type);

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      g_autofree char *value = g_strdup_printf ("%s-%s", pb_auth_field_get_key (field), tag);

      g_assert_false (any_text_holds (widget, value));
    }
}

/* The row's menu as a person reads it: its items' labels without mnemonics, in order. */
static char *
menu_text (PbAccountRow *row)
{
  g_autoptr(GMenuModel) menu = pb_account_row_get_menu (row);
  g_autoptr(GString) text = g_string_new (NULL);

  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *label = NULL;
          g_autofree char *action = NULL;

          g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL,
                                                          "s", &label));
          g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION,
                                                          "s", &action));
          g_assert_true (g_str_has_prefix (action, "accounts."));
          if (text->len > 0)
            g_string_append (text, ", ");
          for (const char *p = label; *p != '\0'; p++)
            if (*p != '_')
              g_string_append_c (text, *p);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
activate (PbAccountsView *view,
          const char     *action,
          const char     *id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), action, "s", id));
}

static PbLinkDialog *
find_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (PB_IS_LINK_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

static gboolean
dialog_has_error (gpointer data)
{
  return pb_link_dialog_get_error (data) != NULL;
}

static gboolean
dialog_shows_url (gpointer data)
{
  return pb_link_dialog_get_url (data) != NULL;
}

static void
on_linked_cb (PbLinkDialog     *dialog,
              PbLinkedAccount  *account,
              PbLinkedAccount **out)
{
  g_set_object (out, account);
}

/* Fills every account field of @type with a value of its kind, @tag in the text ones. */
static void
fill_fields (PbLinkDialog *dialog,
             PbAuthType   *type,
             const char   *tag)
{
  GListModel *fields = pb_auth_type_get_account_fields (type);

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      GtkEditable *entry = pb_link_dialog_get_field_entry (dialog, pb_auth_field_get_key (field));
      g_autofree char *value = g_strdup_printf ("%s-%s", pb_auth_field_get_key (field), tag);

      g_assert_nonnull (entry);
      gtk_editable_set_text (entry, value);
    }
}

static char *
read_clipboard (GtkWidget *widget)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *text;

  gdk_clipboard_read_text_async (clipboard, NULL, on_result_cb, &result);
  text = gdk_clipboard_read_text_finish (clipboard, wait_result (&result), &error);
  g_assert_no_error (error);
  return text;
}

void
test_accounts_link_and_act (void)
{
  PbIntegration *integration = typed_integration (hr_store);
  g_autofree char *integration_id = g_strdup (pb_integration_get_id (integration));
  PbAuthType *type = auth_type_of (hr_store, integration);
  g_autoptr(PbAuthField) first = g_list_model_get_item (pb_auth_type_get_account_fields (type), 0);
  const char *first_key = pb_auth_field_get_key (first);
  GtkWidget *view = pb_accounts_view_new (hr_store);
  PbAccountsView *v = PB_ACCOUNTS_VIEW (view);
  g_autoptr(PbLinkedAccount) linked = NULL;
  g_autoptr(PbLinkedAccount) relinked = NULL;
  g_autofree char *owner_id = g_strdup_printf ("views-owner-%u", g_random_int ());
  g_autofree char *too_long = NULL;
  g_autofree char *menu = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *id = NULL;
  PbLinkDialog *dialog;
  GtkWidget *window;
  PbAccountRow *row;
  RowWait row_wait = { v, NULL, NULL };
  CredentialsWait credentials_wait = { v, NULL, NULL };
  g_autofree char *linked_part = credential_part (first, "second");
  g_autofree char *relinked_part = credential_part (first, "third");
  ServerWait server_wait = { NULL, PB_ACCOUNT_STATUS_ACTIVE, FALSE };

  pb_paged_view_set_integration_id (PB_PAGED_VIEW (v), integration_id);
  window = show_in_window (view, 800, 900);
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));

  /* Link Account… of the view: for the view's integration. */
  g_assert_true (gtk_widget_activate_action (view, "accounts.link", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "linked", G_CALLBACK (on_linked_cb), &linked);
  /* Nothing to send before the owner and the required fields are there. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (pb_link_dialog_get_primary_button (dialog))));
  gtk_editable_set_text (pb_link_dialog_get_owner_id_entry (dialog), owner_id);
  fill_fields (dialog, type, "first");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (pb_link_dialog_get_primary_button (dialog))));

  /* A value the backend refuses (over 8 KiB): its sentence beside the field, what was typed
   * kept, the dialog open. */
  too_long = g_strnfill (9000, 'k');
  gtk_editable_set_text (pb_link_dialog_get_field_entry (dialog, first_key), too_long);
  gtk_widget_activate (GTK_WIDGET (pb_link_dialog_get_primary_button (dialog)));
  g_assert_true (wait_for (dialog_has_error, dialog, WAIT_SECONDS));
  g_assert_nonnull (pb_link_dialog_get_field_message (dialog, first_key));
  g_assert_true (g_strcmp0 (pb_secret_text (pb_link_dialog_get_field_entry (dialog, first_key)),
                            too_long) == 0);
  g_assert_null (linked);

  /* Corrected: linked, the dialog closes, the row shows it Active. */
  fill_fields (dialog, type, "second");
  g_assert_null (pb_link_dialog_get_field_message (dialog, first_key));
  gtk_widget_activate (GTK_WIDGET (pb_link_dialog_get_primary_button (dialog)));
  g_assert_true (wait_for (dialog_gone, NULL, WAIT_SECONDS));
  g_assert_nonnull (linked);
  g_assert_cmpstr (pb_linked_account_get_origin_owner_id (linked), ==, owner_id);
  g_assert_cmpstr (pb_linked_account_get_integration_id (linked), ==, integration_id);
  id = g_strdup (pb_linked_account_get_id (linked));
  row_wait.id = server_wait.id = id;
  row_wait.status_text = "Active";
  g_assert_true (wait_for (row_says, &row_wait, WAIT_SECONDS));

  /* Its credentials on one line: the catalog's labels and the backend's hints; no value. */
  credentials_wait.id = id;
  credentials_wait.part = linked_part;
  g_assert_true (wait_for (row_credentials_say, &credentials_wait, WAIT_SECONDS));
  assert_no_value_shown (window, type, "second");

  /* The menu of an active account. */
  row = find_row (v, id);
  menu = menu_text (row);
  g_assert_cmpstr (menu, ==, "Link Again…, Check Credentials, Suspend, Delete…, "
                             "Copy Account ID, View Logs");
  g_clear_pointer (&menu, g_free);

  /* Suspended: the server has it so; the row says it, with its reason, and offers Resume. */
  activate (v, "accounts.suspend", id);
  server_wait.status = PB_ACCOUNT_STATUS_SUSPENDED;
  g_assert_true (wait_for (server_has, &server_wait, WAIT_SECONDS));
  row_wait.status_text = "Suspended";
  g_assert_true (wait_for (row_says, &row_wait, WAIT_SECONDS));
  menu = menu_text (find_row (v, id));
  g_assert_cmpstr (menu, ==, "Resume, Delete…, Copy Account ID, View Logs");
  g_clear_pointer (&menu, g_free);

  activate (v, "accounts.resume", id);
  server_wait.status = PB_ACCOUNT_STATUS_ACTIVE;
  g_assert_true (wait_for (server_has, &server_wait, WAIT_SECONDS));
  row_wait.status_text = "Active";
  g_assert_true (wait_for (row_says, &row_wait, WAIT_SECONDS));

  /* Link Again…: the same account with new values. */
  activate (v, "accounts.relink", id);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "linked", G_CALLBACK (on_linked_cb), &relinked);
  fill_fields (dialog, type, "third");
  gtk_widget_activate (GTK_WIDGET (pb_link_dialog_get_primary_button (dialog)));
  g_assert_true (wait_for (dialog_gone, NULL, WAIT_SECONDS));
  g_assert_nonnull (relinked);
  g_assert_cmpstr (pb_linked_account_get_id (relinked), ==, id);
  /* The row shows the new values' hints, not the old ones'; still no value. */
  credentials_wait.part = relinked_part;
  g_assert_true (wait_for (row_credentials_say, &credentials_wait, WAIT_SECONDS));
  g_assert_null (strstr (pb_account_row_get_credentials_text (find_row (v, id)), linked_part));
  assert_no_value_shown (window, type, "second");
  assert_no_value_shown (window, type, "third");

  /* Copy Account ID puts it on the clipboard. */
  activate (v, "accounts.copy-id", id);
  copied = read_clipboard (view);
  g_assert_cmpstr (copied, ==, id);

  /* Delete… asks first, saying the credentials are erased; Cancel keeps it. */
  {
    g_autoptr(GList) windows = NULL;
    AdwMessageDialog *question = NULL;

    activate (v, "accounts.delete", id);
    windows = gtk_window_list_toplevels ();
    for (GList *l = windows; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
        question = l->data;
    g_assert_nonnull (question);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "credentials"));
    g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");
    adw_message_dialog_response (question, "delete");
  }
  server_wait.gone = TRUE;
  g_assert_true (wait_for (server_has, &server_wait, WAIT_SECONDS));
  row_wait.status_text = NULL;
  g_assert_true (wait_for (row_says, &row_wait, WAIT_SECONDS));

  /* Send a link: the backend's page for this session, copied. */
  g_assert_true (gtk_widget_activate_action (view, "accounts.link", NULL));
  dialog = find_dialog ();
  pb_link_dialog_choose_link (dialog);
  gtk_editable_set_text (pb_link_dialog_get_owner_id_entry (dialog), owner_id);
  gtk_widget_activate (GTK_WIDGET (pb_link_dialog_get_primary_button (dialog)));
  g_assert_true (wait_for (dialog_shows_url, dialog, WAIT_SECONDS));
  {
    g_autofree char *page = g_strconcat (pb_test_server_get_url (server), "/connect/", NULL);
    g_autofree char *link = NULL;

    /* (The link holds the session's token: compared, never printed.) */
    g_assert_true (g_str_has_prefix (pb_link_dialog_get_url (dialog), page));
    g_signal_emit_by_name (pb_link_dialog_get_copy_button (dialog), "clicked");
    link = read_clipboard (GTK_WIDGET (dialog));
    g_assert_true (g_strcmp0 (link, pb_link_dialog_get_url (dialog)) == 0);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}
