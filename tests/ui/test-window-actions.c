/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <string.h>

#include "window-fixture.h"

/* What the rows' menus and switches do: the menus, disabling and enabling, deleting,
 * copying ids, what a read-only key may do, and changes queued offline. */

static void
assert_menu (GPtrArray          *items,
             const char * const *expected,
             const gboolean     *sensitive)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < items->len; i++)
    g_test_message ("menu item %u: %s (%s)", i, ((MenuItem *) items->pdata[i])->text,
                    ((MenuItem *) items->pdata[i])->sensitive ? "sensitive" : "insensitive");
  g_assert_cmpuint (items->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      MenuItem *item = g_ptr_array_index (items, i);

      if (g_str_has_suffix (expected[i], "*"))
        {
          g_autofree char *prefix = g_strndup (expected[i], strlen (expected[i]) - 1);

          g_assert_true (g_str_has_prefix (item->text, prefix));
        }
      else
        g_assert_cmpstr (item->text, ==, expected[i]);
      g_assert_cmpint (item->sensitive, ==, sensitive[i]);
    }
}

void
test_window_menus (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);
  gboolean seen_single = FALSE, seen_default = FALSE, seen_other = FALSE;

  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = integrations->pdata[i];
      guint n = count_for_connector (integrations, pb_integration_get_connector_key (integration));
      gboolean is_default = pb_integration_get_is_default (integration);
      gboolean active = pb_integration_get_active (integration);
      gboolean accounts = pb_integration_get_accounts_total (integration) > 0;
      const char *toggle = active ? "Disable" : "Enable";
      g_autoptr(GPtrArray) items = NULL;

      if ((n == 1 && seen_single) || (n > 1 && is_default && seen_default)
          || (n > 1 && !is_default && seen_other))
        continue;

      items = open_menu (show_row (f, integration));
      {
        /* Edit, View logs, Link account (an enabled integration only), the two copies, the
         * switch; then Delete or why not, and Make default, by the seed's three cases. */
        g_autoptr(GPtrArray) expected = g_ptr_array_new ();
        g_autoptr(GArray) sensitive = g_array_new (FALSE, FALSE, sizeof (gboolean));
        const gboolean yes = TRUE, no = FALSE;

#define EXPECT(text, on) G_STMT_START { g_ptr_array_add (expected, (gpointer) (text)); \
                                        g_array_append_val (sensitive, on); } G_STMT_END
        EXPECT ("Edit…", yes);
        EXPECT ("View Logs", yes);
        if (active)
          EXPECT ("Link Account…", yes);
        EXPECT ("Copy Integration ID", yes);
        EXPECT ("Copy Connector ID", yes);
        EXPECT (toggle, yes);
        if (n > 1 && is_default)
          EXPECT ("Cannot delete: *", no);
        else if (accounts)
          EXPECT ("Cannot delete: *", no);
        else
          EXPECT ("Delete…", yes);
        if (n > 1 && !is_default)
          EXPECT ("Make Default", yes);
#undef EXPECT
        g_ptr_array_add (expected, NULL);
        assert_menu (items, (const char * const *) expected->pdata,
                     (const gboolean *) (gpointer) sensitive->data);
      }
      if (n == 1)
        seen_single = TRUE;
      else if (is_default)
        seen_default = TRUE;
      else
        seen_other = TRUE;
    }
  /* The demo has all three cases. */
  g_assert_true (seen_single);
  g_assert_true (seen_default);
  g_assert_true (seen_other);
}

void
test_window_disable_enable (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);
  PbIntegration *target = NULL;
  PbIntegrationRow *row;
  GtkWindow *dialog;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *expected_body = NULL;
  ActiveWait w = { f, NULL, FALSE };
  guint n_accounts;

  for (guint i = 0; i < integrations->len && target == NULL; i++)
    if (pb_integration_get_active (integrations->pdata[i])
        && pb_integration_get_accounts_total (integrations->pdata[i]) > 1)
      target = integrations->pdata[i];
  g_assert_nonnull (target);
  n_accounts = pb_integration_get_accounts_total (target);
  w.id = pb_integration_get_id (target);

  /* Flip the row's switch off, as a click would: the window asks first. */
  row = show_row (f, target);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (PB_INTEGRATION_ROW (row)->active_switch)));
  gtk_switch_set_active (PB_INTEGRATION_ROW (row)->active_switch, FALSE);
  dialog = wait_for_dialog (f);
  g_assert_nonnull (dialog);
  expected_body = g_strdup_printf ("%u linked accounts will become inactive, and API requests "
                                   "to them will be refused.", n_accounts);
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==, expected_body);

  /* Cancel: nothing changes, the switch goes back on. */
  respond (dialog, "cancel");
  iterate_for (200);
  g_assert_true (gtk_switch_get_active (PB_INTEGRATION_ROW (row)->active_switch));
  g_assert_true (pb_integration_get_active (pb_ui_project_find (pb_window_get_project (f->window),
                                                                 w.id)));

  /* Again through the menu's action, and confirm. */
  gtk_widget_activate_action (GTK_WIDGET (row), "integration.disable", "s", w.id);
  dialog = wait_for_dialog (f);
  g_assert_nonnull (dialog);
  respond (dialog, "disable");
  iterate_until (integration_active_is, &w, TIMEOUT_MS);
  g_assert_true (integration_active_is (&w));

  /* On the server: every linked account is inactive now. */
  accounts = server_accounts (f, w.id);
  g_assert_cmpuint (accounts->len, ==, n_accounts);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_cmpint (pb_linked_account_get_status (accounts->pdata[i]), ==,
                     PB_ACCOUNT_STATUS_INACTIVE);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  /* Enabling asks nothing and brings them back. */
  row = show_row (f, pb_ui_project_find (pb_window_get_project (f->window), w.id));
  gtk_switch_set_active (PB_INTEGRATION_ROW (row)->active_switch, TRUE);
  w.active = TRUE;
  iterate_until (integration_active_is, &w, TIMEOUT_MS);
  g_assert_true (integration_active_is (&w));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, GTK_WINDOW (f->window)));
  accounts = server_accounts (f, w.id);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_cmpint (pb_linked_account_get_status (accounts->pdata[i]), ==,
                     PB_ACCOUNT_STATUS_ACTIVE);
}

void
test_window_disable_without_accounts (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);
  PbIntegration *target = NULL;
  ActiveWait w = { f, NULL, FALSE };
  g_autoptr(PbIntegration) after = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < integrations->len && target == NULL; i++)
    if (pb_integration_get_active (integrations->pdata[i])
        && pb_integration_get_accounts_total (integrations->pdata[i]) == 0)
      target = integrations->pdata[i];
  if (target == NULL)
    {
      g_test_skip ("The demo has no enabled integration without linked accounts");
      return;
    }
  w.id = pb_integration_get_id (target);

  /* No linked accounts: nothing to warn about, no question. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "integration.disable", "s", w.id);
  iterate_until (integration_active_is, &w, TIMEOUT_MS);
  g_assert_true (integration_active_is (&w));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, GTK_WINDOW (f->window)));
  after = server_integration (f, w.id, &error);
  g_assert_no_error (error);
  g_assert_false (pb_integration_get_active (after));
}

static void
create_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->object = G_OBJECT (pb_client_create_integration_finish (PB_CLIENT (source), result,
                                                             &w->error));
  w->done = TRUE;
}

void
test_window_delete (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);
  PbIntegration *with_accounts = NULL, *default_with_siblings = NULL;
  g_autoptr(PbIntegration) created = NULL;
  g_autoptr(PbIntegration) still = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;
  Wait w = { 0 };
  const char *connector = NULL;

  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = integrations->pdata[i];
      guint n = count_for_connector (integrations, pb_integration_get_connector_key (integration));

      if (with_accounts == NULL && pb_integration_get_accounts_total (integration) > 0)
        with_accounts = integration;
      if (default_with_siblings == NULL && n > 1 && pb_integration_get_is_default (integration))
        default_with_siblings = integration;
    }
  g_assert_nonnull (with_accounts);
  g_assert_nonnull (default_with_siblings);

  /* Refused by the rules: no question, a sentence, and the server still has them. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "integration.delete", "s",
                              pb_integration_get_id (with_accounts));
  iterate_for (200);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, GTK_WINDOW (f->window)));
  still = server_integration (f, pb_integration_get_id (with_accounts), &error);
  g_assert_no_error (error);
  g_clear_object (&still);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "integration.delete", "s",
                              pb_integration_get_id (default_with_siblings));
  iterate_for (200);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, GTK_WINDOW (f->window)));
  still = server_integration (f, pb_integration_get_id (default_with_siblings), &error);
  g_assert_no_error (error);

  /* Allowed: a second, non-default integration without accounts (made on the server). */
  connector = pb_integration_get_connector_key (default_with_siblings);
  json_object_set_string_member (body, "connector_key", connector);
  json_object_set_string_member (body, "authentication_config_key",
                                 pb_integration_get_auth_type_key (default_with_siblings));
  json_object_set_string_member (body, "name", "Deletable");
  json_object_set_boolean_member (body, "default", FALSE);
  {
    JsonObject *config = json_object_new ();
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, pb_integration_get_config (default_with_siblings));
    while (g_hash_table_iter_next (&iter, &key, &value))
      json_object_set_string_member (config, key, value);
    json_object_set_object_member (body, "config", config);
  }
  {
    /* Every secret the auth type needs, with throw-away values. */
    JsonObject *secrets = json_object_new ();
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, pb_integration_get_secrets (default_with_siblings));
    while (g_hash_table_iter_next (&iter, &key, NULL))
      json_object_set_string_member (secrets, key, "test-value-0000");
    json_object_set_object_member (body, "secrets", secrets);
  }
  pb_client_create_integration_async (f->client, body, NULL, create_cb, &w);
  iterate_until (is_true, &w.done, TIMEOUT_MS);
  g_assert_no_error (w.error);
  created = PB_INTEGRATION (w.object);
  g_assert_false (pb_integration_get_is_default (created));

  /* The window learns about it with Refresh (Ctrl+R's action). */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
  {
    gint64 end = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;

    while (pb_ui_project_find (pb_window_get_project (f->window),
                               pb_integration_get_id (created)) == NULL
           && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_nonnull (pb_ui_project_find (pb_window_get_project (f->window),
                                        pb_integration_get_id (created)));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "integration.delete", "s",
                              pb_integration_get_id (created));
  dialog = wait_for_dialog (f);
  g_assert_nonnull (dialog);
  respond (dialog, "delete");
  {
    gint64 end = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;

    while (pb_ui_project_find (pb_window_get_project (f->window),
                               pb_integration_get_id (created)) != NULL
           && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_null (pb_ui_project_find (pb_window_get_project (f->window),
                                     pb_integration_get_id (created)));
  g_clear_object (&still);
  still = server_integration (f, pb_integration_get_id (created), &error);
  g_assert_null (still);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_NOT_FOUND);
}

static void
read_text_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &w->error);

  w->items = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (w->items, text);
  w->done = TRUE;
}

static char *
read_clipboard (Fixture *f)
{
  Wait w = { 0 };
  char *text;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (f->window)), NULL,
                                 read_text_cb, &w);
  iterate_until (is_true, &w.done, TIMEOUT_MS);
  g_assert_no_error (w.error);
  text = g_steal_pointer (&w.items->pdata[0]);
  g_ptr_array_unref (w.items);
  return text;
}

void
test_window_copy (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);
  PbIntegration *integration = integrations->pdata[integrations->len / 2];
  g_autofree char *id = NULL;
  g_autofree char *connector = NULL;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "integration.copy-id", "s",
                              pb_integration_get_id (integration));
  id = read_clipboard (f);
  g_assert_cmpstr (id, ==, pb_integration_get_id (integration));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "integration.copy-connector-id", "s",
                              pb_integration_get_id (integration));
  connector = read_clipboard (f);
  g_assert_cmpstr (connector, ==, pb_integration_get_connector_key (integration));
}

void
test_window_viewer (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);
  PbIntegration *target = NULL;
  PbIntegrationRow *row;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(PbIntegration) after = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < integrations->len && target == NULL; i++)
    if (pb_integration_get_active (integrations->pdata[i]))
      target = integrations->pdata[i];
  g_assert_nonnull (target);

  /* A notice says the key is read-only. */
  g_assert_nonnull (pb_window_get_notice (f->window));
  g_assert_nonnull (strstr (pb_window_get_notice (f->window), "read-only"));

  /* No switch at all; the menu offers only what reads: no Edit, Disable, Delete or Make
   * default, and no sentence about deleting (the notice says why, once). */
  row = show_row (f, target);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (PB_INTEGRATION_ROW (row)->active_switch)));
  items = open_menu (row);
  g_assert_cmpuint (items->len, >, 0);
  for (guint i = 0; i < items->len; i++)
    {
      MenuItem *item = items->pdata[i];

      g_test_message ("viewer's menu item %u: %s", i, item->text);
      g_assert_true (g_str_has_prefix (item->text, "Copy")
                     || g_str_equal (item->text, "View Logs"));
      g_assert_true (item->sensitive);
    }

  /* Even asked directly, the window does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "integration.disable", "s",
                              pb_integration_get_id (target));
  iterate_for (300);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, GTK_WINDOW (f->window)));
  after = server_integration (f, pb_integration_get_id (target), &error);
  g_assert_no_error (error);
  g_assert_true (pb_integration_get_active (after));
}

static gboolean
row_pending (gpointer data)
{
  return pb_integration_row_get_pending (data)
         && gtk_widget_get_visible (PB_INTEGRATION_ROW (data)->pending_box);
}

/* Offline: a change made while the backend is out of reach is queued, its row says
 * "Waiting to sync" and the rows of other integrations do not. */
void
test_window_pending (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);
  PbIntegration *target = NULL;
  PbStore *store = pb_ui_project_get_store (pb_window_get_project (f->window));
  PbIntegrationRow *row;
  g_autofree char *id = NULL;
  ActiveWait w = { f, NULL, TRUE };

  for (guint i = 0; i < integrations->len && target == NULL; i++)
    if (!pb_integration_get_active (integrations->pdata[i]))
      target = integrations->pdata[i];
  g_assert_nonnull (target);
  id = g_strdup (pb_integration_get_id (target));
  w.id = id;

  row = show_row (f, target);
  g_assert_false (pb_integration_row_get_pending (row));
  g_assert_false (gtk_widget_get_visible (PB_INTEGRATION_ROW (row)->pending_box));
  g_assert_cmpuint (pb_store_get_n_pending (store), ==, 0);

  /* The backend goes away; enabling is queued and shown at once. */
  g_clear_pointer (&f->server, pb_test_server_stop);
  row = show_row (f, pb_ui_project_find (pb_window_get_project (f->window), id));
  gtk_switch_set_active (PB_INTEGRATION_ROW (row)->active_switch, TRUE);
  iterate_until (integration_active_is, &w, TIMEOUT_MS);
  g_assert_true (integration_active_is (&w));
  g_assert_cmpuint (pb_store_get_n_pending (store), >, 0);
  g_assert_true (pb_store_is_pending (store, id));
  g_assert_true (gtk_widget_get_visible (PB_WINDOW (f->window)->sync_indicator));

  row = show_row (f, pb_ui_project_find (pb_window_get_project (f->window), id));
  iterate_until (row_pending, row, TIMEOUT_MS);
  g_assert_true (row_pending (row));

  /* Another integration's row has nothing waiting. */
  for (guint i = 0; i < integrations->len; i++)
    {
      const char *other = pb_integration_get_id (integrations->pdata[i]);
      PbIntegrationRow *other_row;

      if (g_str_equal (other, id) || pb_store_is_pending (store, other))
        continue;
      other_row = show_row (f, pb_ui_project_find (pb_window_get_project (f->window), other));
      g_assert_false (pb_integration_row_get_pending (other_row));
      g_assert_false (gtk_widget_get_visible (PB_INTEGRATION_ROW (other_row)->pending_box));
      break;
    }
}
