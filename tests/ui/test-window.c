/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>

#include "pb-application.h"
#include "pb-integration-row.h"
#include "pb-offline-ui.h"
#include "pb-connector-header.h"
#include "pb-test-server.h"
#include "pb-views.h"
#include "pb-window.h"

#define TIMEOUT_MS 20000

/* ----------------------------------------------------------------------------------------- */
/* Helpers */

static void
iterate_until (gboolean (*done) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
window_mapped (gpointer data)
{
  GtkApplication *app = data;
  GtkWindow *window = gtk_application_get_active_window (app);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
project_loaded (gpointer data)
{
  PbUiProject *project = pb_window_get_project (PB_WINDOW (data));

  return project != NULL && pb_ui_project_get_loaded (project)
         && g_strcmp0 (pb_window_get_visible_page (PB_WINDOW (data)), "loading") != 0;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* The visible toplevel of @type transient for @parent, or NULL. */
static GtkWindow *
find_toplevel (GType type, GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_window_get_transient_for (w) == parent
          && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

typedef struct
{
  PbTestServer  *server;
  PbApplication *app;
  PbWindow      *window;
  PbClient      *client;   /* the admin's, to check the server independently of the window */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  gboolean viewer = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;

  f->server = pb_test_server_start_demo (NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->server);

  /* The session project of PbProjectList: never saved, key in memory only. */
  g_setenv ("PLUGBOARD_BACKEND_URL", pb_test_server_get_url (f->server), TRUE);
  g_setenv ("PLUGBOARD_API_KEY", viewer ? pb_test_server_get_viewer_key (f->server, 0)
                                        : pb_test_server_get_admin_key (f->server, 0), TRUE);
  f->client = pb_client_new (pb_test_server_get_url (f->server),
                             pb_test_server_get_admin_key (f->server, 0));

  f->app = pb_application_new ();
  /* One app per test in one process: each under its own id on the bus. */
  {
    static guint n_apps;
    g_autofree char *id = g_strdup_printf ("io.github.plugboard.Plugboard.Test%u", n_apps++);

    g_application_set_application_id (G_APPLICATION (f->app), id);
  }
  g_application_set_flags (G_APPLICATION (f->app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (f->app));
  iterate_until (window_mapped, f->app, TIMEOUT_MS);
  f->window = PB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_nonnull (f->window);
  iterate_until (project_loaded, f->window, TIMEOUT_MS);
  if (!project_loaded (f->window))
    g_printerr ("# not loaded: page %s: %s — %s\n", pb_window_get_visible_page (f->window),
                adw_status_page_get_title (pb_window_get_empty_page (f->window)),
                adw_status_page_get_description (pb_window_get_empty_page (f->window)));
  g_assert_true (project_loaded (f->window));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Dialogs first, then the window. */
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (w);
    }
  iterate_for (50);
  g_clear_object (&f->app);
  g_clear_object (&f->client);
  g_clear_pointer (&f->server, pb_test_server_stop);
  g_unsetenv ("PLUGBOARD_BACKEND_URL");
  g_unsetenv ("PLUGBOARD_API_KEY");
}

/* Server side, independently of the window: every integration / account / the project. */
typedef struct
{
  gboolean   done;
  GPtrArray *items;
  GObject   *object;
  GError    *error;
} Wait;

static void
list_integrations_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->items = pb_client_list_all_integrations_finish (PB_CLIENT (source), result, NULL,
                                                     &w->error);
  w->done = TRUE;
}

static GPtrArray *
server_integrations (Fixture *f)
{
  Wait w = { 0 };

  pb_client_list_all_integrations_async (f->client, NULL, NULL, list_integrations_cb, &w);
  iterate_until (is_true, &w.done, TIMEOUT_MS);
  g_assert_no_error (w.error);
  g_assert_nonnull (w.items);
  return w.items;
}

static void
list_accounts_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->items = pb_client_list_all_accounts_finish (PB_CLIENT (source), result, NULL, &w->error);
  w->done = TRUE;
}

static GPtrArray *
server_accounts (Fixture *f, const char *integration_id)
{
  Wait w = { 0 };
  g_autoptr(PbQuery) query = pb_query_new ();

  pb_query_set (query, "integration_id", integration_id);
  pb_client_list_all_accounts_async (f->client, query, NULL, list_accounts_cb, &w);
  iterate_until (is_true, &w.done, TIMEOUT_MS);
  g_assert_no_error (w.error);
  return w.items;
}

static void
get_project_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->object = G_OBJECT (pb_client_get_project_finish (PB_CLIENT (source), result, NULL,
                                                      &w->error));
  w->done = TRUE;
}

static PbProject *
server_project (Fixture *f)
{
  Wait w = { 0 };

  pb_client_get_project_async (f->client, NULL, get_project_cb, &w);
  iterate_until (is_true, &w.done, TIMEOUT_MS);
  g_assert_no_error (w.error);
  return PB_PROJECT (w.object);
}

static void
get_integration_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->object = G_OBJECT (pb_client_get_integration_finish (PB_CLIENT (source), result, NULL,
                                                          &w->error));
  w->done = TRUE;
}

/* NULL with @error set when the server does not have it. */
static PbIntegration *
server_integration (Fixture *f, const char *id, GError **error)
{
  Wait w = { 0 };

  pb_client_get_integration_async (f->client, id, NULL, get_integration_cb, &w);
  iterate_until (is_true, &w.done, TIMEOUT_MS);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return PB_INTEGRATION (w.object);
}

static void
create_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->object = G_OBJECT (pb_client_create_integration_finish (PB_CLIENT (source), result, NULL,
                                                             &w->error));
  w->done = TRUE;
}

static guint
count_for_connector (GPtrArray *integrations, const char *connector_key)
{
  guint n = 0;

  for (guint i = 0; i < integrations->len; i++)
    if (g_str_equal (pb_integration_get_connector_key (g_ptr_array_index (integrations, i)),
                     connector_key))
      n++;
  return n;
}

/* Shows only @integration's connector (search by its label), so its row is realized. */
static void
search_for (Fixture *f, const char *text)
{
  gtk_editable_set_text (pb_window_get_search_entry (f->window), text);
  iterate_for (100);
}

static PbIntegrationRow *
find_row_in (GtkWidget *widget, const char *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PbIntegrationRow *row;

      if (PB_IS_INTEGRATION_ROW (child))
        {
          PbIntegration *integration = pb_integration_row_get_integration (PB_INTEGRATION_ROW (child));

          if (integration != NULL && g_str_equal (pb_integration_get_id (integration), id)
              && gtk_widget_get_mapped (child))
            return PB_INTEGRATION_ROW (child);
        }
      else if ((row = find_row_in (child, id)) != NULL)
        return row;
    }
  return NULL;
}

/* How many mapped widgets of @type are under @widget. */
static guint
count_mapped (GtkWidget *widget, GType type)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && gtk_widget_get_mapped (child))
        n++;
      n += count_mapped (child, type);
    }
  return n;
}

static PbIntegrationRow *
show_row (Fixture *f, PbIntegration *integration)
{
  PbIntegrationRow *row;
  /* @integration may be the store's, replaced while the main loop runs: copy first. */
  g_autofree char *id = g_strdup (pb_integration_get_id (integration));
  g_autofree char *label = g_strdup (pb_integration_get_connector_label (integration));

  search_for (f, label);
  row = find_row_in (GTK_WIDGET (pb_window_get_list_view (f->window)), id);
  g_assert_nonnull (row);
  return row;
}

typedef struct
{
  char     *text;
  gboolean  sensitive;
} MenuItem;

static void
collect_model_buttons (GtkWidget *widget, GPtrArray *items)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_str_equal (G_OBJECT_TYPE_NAME (child), "GtkModelButton"))
        {
          MenuItem *item = g_new0 (MenuItem, 1);
          g_autofree char *text = NULL;
          g_auto(GStrv) parts = NULL;

          g_object_get (child, "text", &text, NULL);
          parts = g_strsplit (text, "_", -1);
          item->text = g_strjoinv ("", parts);
          item->sensitive = gtk_widget_is_sensitive (child);
          g_ptr_array_add (items, item);
        }
      else
        collect_model_buttons (child, items);
    }
}

static void
menu_item_free (MenuItem *item)
{
  g_free (item->text);
  g_free (item);
}

static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (data));

  return popover != NULL && gtk_widget_get_visible (GTK_WIDGET (popover));
}

/* Opens the row's ⋮ menu for real and reads what it shows. */
static GPtrArray *
open_menu (PbIntegrationRow *row)
{
  GtkMenuButton *button = pb_integration_row_get_menu_button (row);
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) menu_item_free);
  GtkPopover *popover;

  gtk_menu_button_popup (button);
  iterate_until (popover_shown, button, TIMEOUT_MS);
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  iterate_for (50);
  collect_model_buttons (GTK_WIDGET (popover), items);
  gtk_menu_button_popdown (button);
  iterate_for (20);
  return items;
}

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
        g_assert_true (g_str_has_prefix (item->text,
                                         g_strndup (expected[i], strlen (expected[i]) - 1)));
      else
        g_assert_cmpstr (item->text, ==, expected[i]);
      g_assert_cmpint (item->sensitive, ==, sensitive[i]);
    }
}

/* As a click on one of its buttons: the response, then the dialog closes. */
static void
respond (GtkWindow *dialog, const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
  iterate_for (20);
}

static GtkWindow *
wait_for_dialog (Fixture *f)
{
  gint64 end = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;
  GtkWindow *dialog = NULL;

  while ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG, GTK_WINDOW (f->window))) == NULL
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return dialog;
}

typedef struct
{
  Fixture    *f;
  const char *id;
  gboolean    active;
} ActiveWait;

static gboolean
integration_active_is (gpointer data)
{
  ActiveWait *w = data;
  PbIntegration *integration = pb_ui_project_find (pb_window_get_project (w->f->window), w->id);

  return integration != NULL && pb_integration_get_active (integration) == w->active;
}

/* ----------------------------------------------------------------------------------------- */
/* Tests */

static void
test_window_shown (Fixture *f, gconstpointer data)
{
  GtkWindow *window = GTK_WINDOW (f->window);
  g_auto(GStrv) accels = NULL;

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpstr (gtk_window_get_title (window), ==, "Plugboard");
  g_assert_cmpstr (pb_window_get_visible_page (f->window), ==, "list");

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "preferences"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Control>q");
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  /* The switcher shows the session project; not the demo. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (pb_window_get_project_dropdown (f->window))), ==, 1);
  g_assert_null (pb_window_get_notice (f->window));

  /* Preferences and About open windows of their own. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  g_assert_nonnull (find_toplevel (ADW_TYPE_PREFERENCES_WINDOW, window));
  gtk_window_destroy (find_toplevel (ADW_TYPE_PREFERENCES_WINDOW, window));
  gtk_window_present (window);
  iterate_for (50);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);
  g_assert_nonnull (find_toplevel (ADW_TYPE_ABOUT_WINDOW, window));
}

static void
test_window_categories (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);
  g_autoptr(PbProject) project = server_project (f);
  GtkListBox *list = pb_window_get_category_list (f->window);
  GtkListBoxRow *row;
  guint n_unavailable = 0;

  /* All: every integration of the server, grouped under one header per connector. */
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_null (g_object_get_data (G_OBJECT (row), "category-key"));
  {
    GListModel *shown = pb_window_get_list_model (f->window);
    guint n_integrations = 0, n_headers = 0;
    g_autoptr(GHashTable) connectors = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (shown, i);

        if (PB_IS_INTEGRATION (item))
          n_integrations++;
        else
          {
            g_assert_true (PB_IS_CONNECTOR_HEADER (item));
            n_headers++;
          }
      }
    for (guint i = 0; i < integrations->len; i++)
      g_hash_table_add (connectors,
                        (char *) pb_integration_get_connector_key (integrations->pdata[i]));
    g_assert_cmpuint (n_integrations, ==, integrations->len);
    g_assert_cmpuint (n_headers, ==, g_hash_table_size (connectors));
  }

  for (int i = 1; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      const char *key = g_object_get_data (G_OBJECT (row), "category-key");
      GtkWidget *count_label = g_object_get_data (G_OBJECT (row), "count-label");
      guint expected = 0;

      for (guint j = 0; j < integrations->len; j++)
        if (g_strv_contains (pb_integration_get_categories (integrations->pdata[j]), key))
          expected++;

      if (pb_project_has_category (project, key))
        {
          g_autofree char *text = g_strdup_printf ("%u", expected);
          guint shown_integrations = 0;
          GListModel *shown;

          g_assert_nonnull (count_label);
          g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (count_label)), ==, text);

          /* Selecting it shows exactly its integrations. */
          gtk_list_box_select_row (list, row);
          iterate_for (20);
          shown = pb_window_get_list_model (f->window);
          for (guint j = 0; j < g_list_model_get_n_items (shown); j++)
            {
              g_autoptr(GObject) item = g_list_model_get_item (shown, j);

              if (PB_IS_INTEGRATION (item))
                {
                  g_assert_true (g_strv_contains (pb_integration_get_categories (PB_INTEGRATION (item)), key));
                  shown_integrations++;
                }
            }
          g_assert_cmpuint (shown_integrations, ==, expected);
          g_assert_cmpstr (pb_window_get_visible_page (f->window), ==,
                           expected > 0 ? "list" : "empty");
        }
      else
        {
          /* Outside the plan: listed, with the reason and what to do, never hidden. */
          g_assert_null (count_label);
          g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)),
                                    "contact your support manager"));
          gtk_list_box_select_row (list, row);
          iterate_for (20);
          /* (A connector of several categories may bring an integration into it.) */
          if (expected == 0)
            {
              g_assert_cmpstr (pb_window_get_visible_page (f->window), ==, "empty");
              g_assert_nonnull (strstr (adw_status_page_get_title (pb_window_get_empty_page (f->window)),
                                        "Not in Your Plan"));
            }
          n_unavailable++;
        }
    }
  /* Acme HR is on growth: iam, messaging, accounting, screening, scheduling are not in it. */
  g_assert_cmpuint (n_unavailable, >, 0);
}

static void
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
      if (n == 1)
        {
          /* One integration for its connector: … Delete (while it has no accounts). */
          const char *expected[] = { "Edit…", "View Logs", "Copy Integration ID",
                                     "Copy Connector ID", toggle,
                                     accounts ? "Cannot delete: *" : "Delete…", NULL };
          const gboolean sensitive[] = { TRUE, TRUE, TRUE, TRUE, TRUE, !accounts };

          assert_menu (items, expected, sensitive);
          seen_single = TRUE;
        }
      else if (is_default)
        {
          /* Several, this one the default: no Delete, and the menu says why. */
          const char *expected[] = { "Edit…", "View Logs", "Copy Integration ID",
                                     "Copy Connector ID", toggle, "Cannot delete: *", NULL };
          const gboolean sensitive[] = { TRUE, TRUE, TRUE, TRUE, TRUE, FALSE };

          assert_menu (items, expected, sensitive);
          seen_default = TRUE;
        }
      else
        {
          /* Several, not the default: … Delete (no accounts), Make default. */
          const char *expected[] = { "Edit…", "View Logs", "Copy Integration ID",
                                     "Copy Connector ID", toggle,
                                     accounts ? "Cannot delete: *" : "Delete…",
                                     "Make Default", NULL };
          const gboolean sensitive[] = { TRUE, TRUE, TRUE, TRUE, TRUE, !accounts, TRUE };

          assert_menu (items, expected, sensitive);
          seen_other = TRUE;
        }
    }
  /* The demo has all three cases. */
  g_assert_true (seen_single);
  g_assert_true (seen_default);
  g_assert_true (seen_other);
}

static void
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
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (pb_integration_row_get_switch (row))));
  gtk_switch_set_active (pb_integration_row_get_switch (row), FALSE);
  dialog = wait_for_dialog (f);
  g_assert_nonnull (dialog);
  expected_body = g_strdup_printf ("%u linked accounts will become inactive, and API requests "
                                   "to them will be refused.", n_accounts);
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==, expected_body);

  /* Cancel: nothing changes, the switch goes back on. */
  respond (dialog, "cancel");
  iterate_for (200);
  g_assert_true (gtk_switch_get_active (pb_integration_row_get_switch (row)));
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
  gtk_switch_set_active (pb_integration_row_get_switch (row), TRUE);
  w.active = TRUE;
  iterate_until (integration_active_is, &w, TIMEOUT_MS);
  g_assert_true (integration_active_is (&w));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, GTK_WINDOW (f->window)));
  accounts = server_accounts (f, w.id);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_cmpint (pb_linked_account_get_status (accounts->pdata[i]), ==,
                     PB_ACCOUNT_STATUS_ACTIVE);
}

static void
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

static void
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

static guint
count_shown (Fixture *f, gboolean (*check) (PbIntegration *, gpointer), gpointer data)
{
  GListModel *shown = pb_window_get_list_model (f->window);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (shown, i);

      if (PB_IS_INTEGRATION (item))
        {
          g_assert_true (check == NULL || check (PB_INTEGRATION (item), data));
          n++;
        }
    }
  return n;
}

static gboolean
matches_text (PbIntegration *integration, gpointer data)
{
  g_autofree char *hay = g_utf8_casefold (pb_integration_get_name (integration), -1);
  g_autofree char *hay2 = g_utf8_casefold (pb_integration_get_connector_label (integration), -1);
  g_autofree char *needle = g_utf8_casefold (data, -1);

  return strstr (hay, needle) != NULL || strstr (hay2, needle) != NULL;
}

static gboolean
is_active (PbIntegration *integration, gpointer data)
{
  return pb_integration_get_active (integration) == GPOINTER_TO_INT (data);
}

static void
test_window_search_and_filters (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);
  PbIntegration *some = integrations->pdata[0];
  const char *label = pb_integration_get_connector_label (some);
  g_autofree char *part = g_utf8_substring (label, 0, MIN (4, g_utf8_strlen (label, -1)));
  g_autofree char *upper = g_utf8_strup (part, -1);
  guint expected = 0, n_active = 0;

  for (guint i = 0; i < integrations->len; i++)
    {
      if (matches_text (integrations->pdata[i], upper))
        expected++;
      if (pb_integration_get_active (integrations->pdata[i]))
        n_active++;
    }

  /* Ctrl+F's action opens the search; typing filters as one types, case-insensitively. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL);
  iterate_for (300);
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

    g_assert_nonnull (focus);
    g_assert_true (focus == GTK_WIDGET (pb_window_get_search_entry (f->window))
                   || gtk_widget_is_ancestor (focus,
                                              GTK_WIDGET (pb_window_get_search_entry (f->window))));
  }
  search_for (f, upper);
  g_assert_cmpuint (count_shown (f, matches_text, upper), ==, expected);
  g_assert_cmpuint (expected, >, 0);

  search_for (f, "no such integration, surely");
  g_assert_cmpuint (count_shown (f, NULL, NULL), ==, 0);
  g_assert_cmpstr (pb_window_get_visible_page (f->window), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (pb_window_get_empty_page (f->window)), ==,
                   "No Results");
  search_for (f, "");
  g_assert_cmpuint (count_shown (f, NULL, NULL), ==, integrations->len);

  /* State filter: enabled, disabled, all. */
  gtk_drop_down_set_selected (pb_window_get_state_dropdown (f->window), 1);
  g_assert_cmpuint (count_shown (f, is_active, GINT_TO_POINTER (TRUE)), ==, n_active);
  gtk_drop_down_set_selected (pb_window_get_state_dropdown (f->window), 2);
  g_assert_cmpuint (count_shown (f, is_active, GINT_TO_POINTER (FALSE)), ==,
                    integrations->len - n_active);
  g_assert_cmpuint (integrations->len - n_active, >, 0);
  gtk_drop_down_set_selected (pb_window_get_state_dropdown (f->window), 0);
  g_assert_cmpuint (count_shown (f, NULL, NULL), ==, integrations->len);
}

static void
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

  /* No switch is sensitive; no Edit, Disable, Delete or Make default. */
  row = show_row (f, target);
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (pb_integration_row_get_switch (row))));
  items = open_menu (row);
  for (guint i = 0; i < items->len; i++)
    {
      MenuItem *item = items->pdata[i];

      /* Reading is allowed: copying ids, the logs. */
      if (g_str_has_prefix (item->text, "Copy") || g_str_equal (item->text, "View Logs"))
        g_assert_true (item->sensitive);
      else
        g_assert_false (item->sensitive);
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
compact_is (gpointer data)
{
  gboolean compact;

  g_object_get (data, "compact", &compact, NULL);
  return compact;
}

static gboolean
row_pending (gpointer data)
{
  return pb_integration_row_get_pending (data)
         && gtk_widget_get_visible (pb_integration_row_get_pending_marker (data));
}

/* Offline (issue 7): a change made while the backend is out of reach is queued, its row says
 * "Waiting to sync" and the rows of other integrations do not. */
static void
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
  g_assert_false (gtk_widget_get_visible (pb_integration_row_get_pending_marker (row)));
  g_assert_cmpuint (pb_store_get_n_pending (store), ==, 0);

  /* The backend goes away; enabling is queued and shown at once. */
  g_clear_pointer (&f->server, pb_test_server_stop);
  row = show_row (f, pb_ui_project_find (pb_window_get_project (f->window), id));
  gtk_switch_set_active (pb_integration_row_get_switch (row), TRUE);
  iterate_until (integration_active_is, &w, TIMEOUT_MS);
  g_assert_true (integration_active_is (&w));
  g_assert_cmpuint (pb_store_get_n_pending (store), >, 0);
  g_assert_true (pb_store_is_pending (store, id));
  g_assert_true (gtk_widget_get_visible (pb_window_get_sync_indicator (f->window)));

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
      g_assert_false (gtk_widget_get_visible (pb_integration_row_get_pending_marker (other_row)));
      break;
    }
}

static gboolean
logs_view_ready (gpointer data)
{
  return g_strcmp0 (pb_logs_view_get_state (data), "list") == 0
         && !pb_logs_view_get_loading (data);
}

static gboolean
accounts_view_ready (gpointer data)
{
  const char *state = pb_accounts_view_get_state (data);

  return (g_strcmp0 (state, "list") == 0 || g_strcmp0 (state, "empty") == 0)
         && !pb_accounts_view_get_loading (data) && !pb_accounts_view_get_has_more (data);
}

static GPtrArray *
server_all_accounts (Fixture *f)
{
  Wait w = { 0 };

  pb_client_list_all_accounts_async (f->client, NULL, NULL, list_accounts_cb, &w);
  iterate_until (is_true, &w.done, TIMEOUT_MS);
  g_assert_no_error (w.error);
  return w.items;
}

/* The first integration of the list that has linked accounts. */
static PbIntegration *
first_with_accounts (Fixture *f)
{
  GListModel *shown = pb_window_get_list_model (f->window);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (shown, i);

      if (PB_IS_INTEGRATION (item) && pb_integration_get_accounts_total (PB_INTEGRATION (item)) > 0)
        return PB_INTEGRATION (item);   /* the store keeps a reference */
    }
  return NULL;
}

static void
assert_accounts_shown (PbAccountsView *view, GPtrArray *expected)
{
  GListModel *model = pb_accounts_view_get_model (view);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  iterate_until (accounts_view_ready, view, TIMEOUT_MS);
  g_assert_true (accounts_view_ready (view));
  for (guint i = 0; i < expected->len; i++)
    g_hash_table_add (ids, (char *) pb_linked_account_get_id (expected->pdata[i]));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLinkedAccount) account = g_list_model_get_item (model, i);

      g_assert_true (g_hash_table_contains (ids, pb_linked_account_get_id (account)));
    }
}

/* Issue 8: the row's View Logs and accounts count, the sidebar's Linked Accounts and Logs. */
static void
test_window_views (Fixture *f, gconstpointer data)
{
  PbIntegration *first = first_with_accounts (f);
  g_autofree char *id = NULL;
  PbIntegrationRow *row;
  GtkWidget *view;
  GListModel *logs;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) all_accounts = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_assert_nonnull (first);
  id = g_strdup (pb_integration_get_id (first));
  g_assert_null (pb_window_get_view (f->window));
  g_assert_cmpstr (pb_window_get_visible_page (f->window), ==, "list");

  /* The menu offers View Logs; it shows the logs of that integration only. */
  row = show_row (f, first);
  items = open_menu (row);
  g_assert_cmpuint (items->len, >, 1);
  g_assert_cmpstr (((MenuItem *) items->pdata[1])->text, ==, "View Logs");
  g_assert_true (((MenuItem *) items->pdata[1])->sensitive);
  gtk_widget_activate_action (GTK_WIDGET (row), "integration.view-logs", "s", id);
  iterate_for (50);
  view = pb_window_get_view (f->window);
  g_assert_true (PB_IS_LOGS_VIEW (view));
  g_assert_true (gtk_widget_get_mapped (view));
  g_assert_cmpstr (pb_logs_view_get_integration_id (PB_LOGS_VIEW (view)), ==, id);
  /* The view's page (header bar over the views' stack) says the sync state as the list's does. */
  g_assert_cmpuint (count_mapped (gtk_widget_get_parent (gtk_widget_get_parent (view)),
                                  PB_TYPE_SYNC_INDICATOR), ==, 1);
  iterate_until (logs_view_ready, view, TIMEOUT_MS);
  g_assert_true (logs_view_ready (view));
  logs = pb_logs_view_get_model (PB_LOGS_VIEW (view));
  g_assert_cmpuint (g_list_model_get_n_items (logs), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (logs); i++)
    {
      g_autoptr(PbLogEntry) entry = g_list_model_get_item (logs, i);

      g_assert_cmpstr (pb_log_entry_get_integration_id (entry), ==, id);
    }

  /* Back returns to the list. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back-to-list", NULL);
  iterate_for (50);
  g_assert_null (pb_window_get_view (f->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (pb_window_get_list_view (f->window))));

  /* The accounts count: that integration's accounts, as the server has them. */
  row = show_row (f, pb_ui_project_find (pb_window_get_project (f->window), id));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (pb_integration_row_get_accounts_button (row))));
  g_signal_emit_by_name (pb_integration_row_get_accounts_button (row), "clicked");
  iterate_for (50);
  view = pb_window_get_view (f->window);
  g_assert_true (PB_IS_ACCOUNTS_VIEW (view));
  g_assert_cmpstr (pb_accounts_view_get_integration_id (PB_ACCOUNTS_VIEW (view)), ==, id);
  accounts = server_accounts (f, id);
  g_assert_cmpuint (accounts->len, >, 0);
  assert_accounts_shown (PB_ACCOUNTS_VIEW (view), accounts);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back-to-list", NULL);
  iterate_for (50);
  g_assert_null (pb_window_get_view (f->window));

  /* The sidebar's Linked Accounts: the whole project's. */
  g_signal_emit_by_name (pb_window_get_views_row (f->window, FALSE), "activate");
  iterate_for (50);
  view = pb_window_get_view (f->window);
  g_assert_true (PB_IS_ACCOUNTS_VIEW (view));
  g_assert_null (pb_accounts_view_get_integration_id (PB_ACCOUNTS_VIEW (view)));
  /* The sidebar marks Linked Accounts, not a category. */
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (pb_window_get_views_row (f->window,
                                                                                         FALSE))));
  g_assert_null (gtk_list_box_get_selected_row (pb_window_get_category_list (f->window)));
  all_accounts = server_all_accounts (f);
  g_assert_cmpuint (all_accounts->len, >, accounts->len);
  assert_accounts_shown (PB_ACCOUNTS_VIEW (view), all_accounts);

  /* The sidebar's Logs: every integration. */
  g_signal_emit_by_name (pb_window_get_views_row (f->window, TRUE), "activate");
  iterate_for (50);
  view = pb_window_get_view (f->window);
  g_assert_true (PB_IS_LOGS_VIEW (view));
  g_assert_null (pb_logs_view_get_integration_id (PB_LOGS_VIEW (view)));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back-to-list", NULL);
  iterate_for (50);
  g_assert_null (pb_window_get_view (f->window));
  /* Back on the list, the sidebar marks its category (All) again. */
  g_assert_true (gtk_list_box_get_selected_row (pb_window_get_category_list (f->window))
                 == gtk_list_box_get_row_at_index (pb_window_get_category_list (f->window), 0));
  g_assert_false (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (pb_window_get_views_row (f->window,
                                                                                          TRUE))));
}

static gboolean
list_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (pb_window_get_list_view (data)));
}

static gboolean
list_unmapped (gpointer data)
{
  return !list_mapped (data);
}

/* The view is shown alone (the leaflet's transition has ended). */
static gboolean
view_mapped (gpointer data)
{
  GtkWidget *view = pb_window_get_view (data);

  return view != NULL && gtk_widget_get_mapped (view)
         && !gtk_widget_get_mapped (GTK_WIDGET (pb_window_get_category_list (data)));
}

static void
test_window_narrow (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);

  g_assert_true (gtk_widget_get_visible (pb_window_get_sync_indicator (f->window)));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  iterate_until (compact_is, f->window, TIMEOUT_MS);
  g_assert_true (compact_is (f->window));
  /* Synced, nothing waiting: the narrow header bar leaves the indicator out. */
  g_assert_false (gtk_widget_get_visible (pb_window_get_sync_indicator (f->window)));
  {
    PbIntegrationRow *row = show_row (f, integrations->pdata[0]);

    g_assert_true (pb_integration_row_get_compact (row));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pb_integration_row_get_switch (row))));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pb_integration_row_get_menu_button (row))));
  }

  /* Folded: the sidebar's Logs shows the view in place of the sidebar; Back, the list. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-sidebar", NULL);
  iterate_until (list_unmapped, f->window, TIMEOUT_MS);
  g_assert_true (list_unmapped (f->window));
  g_signal_emit_by_name (pb_window_get_views_row (f->window, TRUE), "activate");
  iterate_until (view_mapped, f->window, TIMEOUT_MS);
  g_assert_true (view_mapped (f->window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (pb_window_get_category_list (f->window))));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back-to-list", NULL);
  iterate_until (list_mapped, f->window, TIMEOUT_MS);
  g_assert_true (list_mapped (f->window));
  g_assert_null (pb_window_get_view (f->window));
}

/* First start without any project: the app runs the local demo itself; what the admin
 * changes there is still there at the next start (its database and its kept key). */
static PbApplication *
start_app_without_project (PbWindow **out_window)
{
  PbApplication *app = pb_application_new ();
  static guint n_demo_apps;
  g_autofree char *id = g_strdup_printf ("io.github.plugboard.Plugboard.Demo%u", n_demo_apps++);
  g_autoptr(GError) error = NULL;

  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  iterate_until (window_mapped, app, TIMEOUT_MS);
  *out_window = PB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (*out_window);
  iterate_until (project_loaded, *out_window, TIMEOUT_MS);
  g_assert_true (project_loaded (*out_window));
  return app;
}

static void
test_window_demo (void)
{
  /* The headless session's own (temporary) data directory; GLib caches it at start. */
  const char *data_dir = g_get_user_data_dir ();
  g_autofree char *projects_file = NULL;
  g_autofree char *id = NULL;
  PbApplication *app;
  PbWindow *window;
  PbIntegration *disabled = NULL;
  GListModel *integrations;
  ActiveWait w = { NULL, NULL, TRUE };
  Fixture f = { 0 };

  g_unsetenv ("PLUGBOARD_BACKEND_URL");
  g_unsetenv ("PLUGBOARD_API_KEY");

  /* First start: the demo runs, its notice offers a real backend. */
  app = start_app_without_project (&window);
  g_assert_true (pb_demo_backend_get_running (pb_application_get_demo (app)));
  g_assert_nonnull (pb_window_get_notice (window));
  g_assert_nonnull (strstr (pb_window_get_notice (window), "local demo"));
  projects_file = g_build_filename (data_dir, "plugboard", "demo", "projects.json", NULL);
  g_assert_true (g_file_test (projects_file, G_FILE_TEST_EXISTS));

  /* Enable a disabled integration (no question asked). */
  integrations = pb_ui_project_get_integrations (pb_window_get_project (window));
  for (guint i = 0; i < g_list_model_get_n_items (integrations) && disabled == NULL; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);

      if (!pb_integration_get_active (integration))
        disabled = integration;
    }
  g_assert_nonnull (disabled);
  id = g_strdup (pb_integration_get_id (disabled));
  f.window = window;
  w.f = &f;
  w.id = id;
  gtk_widget_activate_action (GTK_WIDGET (window), "integration.enable", "s", id);
  iterate_until (integration_active_is, &w, TIMEOUT_MS);
  g_assert_true (integration_active_is (&w));

  /* Quit: the demo stops with the app. */
  gtk_window_destroy (GTK_WINDOW (window));
  pb_demo_backend_stop (pb_application_get_demo (app));
  g_assert_false (pb_demo_backend_get_running (pb_application_get_demo (app)));
  g_object_unref (app);

  /* Next start: the same database, served again, with the key the keyring kept. */
  app = start_app_without_project (&window);
  f.window = window;
  g_assert_nonnull (pb_ui_project_find (pb_window_get_project (window), id));
  g_assert_true (integration_active_is (&w));
  gtk_window_destroy (GTK_WINDOW (window));
  pb_demo_backend_stop (pb_application_get_demo (app));
  g_object_unref (app);
}

int
main (int argc, char *argv[])
{
  /* Only 127.0.0.1 here: without a desktop's proxy settings GIO falls back to libproxy, whose
   * WPAD lookup delays each new client's first request by seconds. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, fn, viewer) \
  g_test_add ("/window/" path, Fixture, GINT_TO_POINTER (viewer), fixture_setup, fn, \
              fixture_teardown)
  ADD ("shown", test_window_shown, FALSE);
  ADD ("categories", test_window_categories, FALSE);
  ADD ("menus", test_window_menus, FALSE);
  ADD ("disable-enable", test_window_disable_enable, FALSE);
  ADD ("disable-without-accounts", test_window_disable_without_accounts, FALSE);
  ADD ("delete", test_window_delete, FALSE);
  ADD ("copy", test_window_copy, FALSE);
  ADD ("search-and-filters", test_window_search_and_filters, FALSE);
  ADD ("viewer", test_window_viewer, TRUE);
  ADD ("narrow", test_window_narrow, FALSE);
  ADD ("pending", test_window_pending, FALSE);
  ADD ("views", test_window_views, FALSE);
#undef ADD
  g_test_add_func ("/window/demo", test_window_demo);

  return g_test_run ();
}
