/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <string.h>

#include "window-fixture.h"

/* The fixture and helpers the window tests share (window-fixture.h). */

void
iterate_until (gboolean (*done) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

gboolean
window_mapped (gpointer data)
{
  GtkApplication *app = data;
  GtkWindow *window = gtk_application_get_active_window (app);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

gboolean
project_loaded (gpointer data)
{
  PbUiProject *project = pb_window_get_project (PB_WINDOW (data));

  return project != NULL && pb_ui_project_get_loaded (project)
         && g_strcmp0 (pb_window_get_visible_page (PB_WINDOW (data)), "loading") != 0;
}

gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* The visible toplevel of @type transient for @parent, or NULL. */
GtkWindow *
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

void
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
                adw_status_page_get_title (PB_WINDOW (f->window)->empty_page),
                adw_status_page_get_description (PB_WINDOW (f->window)->empty_page));
  g_assert_true (project_loaded (f->window));
}

void
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

static void
list_integrations_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->items = pb_client_list_all_integrations_finish (PB_CLIENT (source), result,
                                                     &w->error);
  w->done = TRUE;
}

GPtrArray *
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

  w->items = pb_client_list_all_accounts_finish (PB_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

GPtrArray *
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

GPtrArray *
server_all_accounts (Fixture *f)
{
  Wait w = { 0 };

  pb_client_list_all_accounts_async (f->client, NULL, NULL, list_accounts_cb, &w);
  iterate_until (is_true, &w.done, TIMEOUT_MS);
  g_assert_no_error (w.error);
  return w.items;
}

static void
get_project_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->object = G_OBJECT (pb_client_get_project_finish (PB_CLIENT (source), result,
                                                      &w->error));
  w->done = TRUE;
}

PbProject *
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

  w->object = G_OBJECT (pb_client_get_integration_finish (PB_CLIENT (source), result,
                                                          &w->error));
  w->done = TRUE;
}

/* NULL with @error set when the server does not have it. */
PbIntegration *
server_integration (Fixture *f, const char *id, GError **error)
{
  Wait w = { 0 };

  pb_client_get_integration_async (f->client, id, NULL, get_integration_cb, &w);
  iterate_until (is_true, &w.done, TIMEOUT_MS);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return PB_INTEGRATION (w.object);
}

guint
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
void
search_for (Fixture *f, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (PB_WINDOW (f->window)->search_entry), text);
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

PbIntegrationRow *
show_row (Fixture *f, PbIntegration *integration)
{
  PbIntegrationRow *row;
  /* @integration may be the store's, replaced while the main loop runs: copy first. */
  g_autofree char *id = g_strdup (pb_integration_get_id (integration));
  g_autofree char *label = g_strdup (pb_integration_get_connector_label (integration));

  search_for (f, label);
  row = find_row_in (GTK_WIDGET (GTK_WIDGET (PB_WINDOW (f->window)->list_view)), id);
  g_assert_nonnull (row);
  return row;
}

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
GPtrArray *
open_menu (PbIntegrationRow *row)
{
  GtkMenuButton *button = PB_INTEGRATION_ROW (row)->menu_button;
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

/* As a click on one of its buttons: the response, then the dialog closes. */
void
respond (GtkWindow *dialog, const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
  iterate_for (20);
}

GtkWindow *
wait_for_dialog (Fixture *f)
{
  gint64 end = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;
  GtkWindow *dialog = NULL;

  while ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG, GTK_WINDOW (f->window))) == NULL
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return dialog;
}

gboolean
integration_active_is (gpointer data)
{
  ActiveWait *w = data;
  PbIntegration *integration = pb_ui_project_find (pb_window_get_project (w->f->window), w->id);

  return integration != NULL && pb_integration_get_active (integration) == w->active;
}
