/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <string.h>

#include "pb-connector-header.h"
#include "pb-offline-ui.h"
#include "pb-views-private.h"

#include "window-fixture.h"

/* Browsing: categories, search and filters, the linked accounts and logs views, and the
 * narrow (folded) window. */

static guint count_shown (Fixture   *f,
                          gboolean (*check) (PbIntegration *, gpointer),
                          gpointer   data);

void
test_window_categories (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);
  g_autoptr(PbProject) project = server_project (f);
  GtkListBox *list = PB_WINDOW (f->window)->category_list;
  GtkListBoxRow *row;
  guint n_unavailable = 0, n_elsewhere = 0;

  /* All: every integration of the server, grouped under one header per connector. */
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_null (g_object_get_data (G_OBJECT (row), "category-key"));
  {
    GListModel *shown = G_LIST_MODEL (PB_WINDOW (f->window)->grouped);
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
          shown = G_LIST_MODEL (PB_WINDOW (f->window)->grouped);
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
          /* Its page says so and lists nothing; integrations whose connector also serves it
           * (Ashby, Lever, Teamtailor for IAM) are usable under their own category, and the
           * page says where they are. */
          g_assert_cmpstr (pb_window_get_visible_page (f->window), ==, "empty");
          g_assert_nonnull (strstr (adw_status_page_get_title (PB_WINDOW (f->window)->empty_page),
                                    "Not in Your Plan"));
          g_assert_cmpuint (count_shown (f, NULL, NULL), ==, 0);
          if (expected > 0)
            {
              n_elsewhere++;
              g_assert_nonnull (strstr (adw_status_page_get_description (PB_WINDOW (f->window)->empty_page),
                                        expected == 1 ? "listed under its own category" : "listed under their own categories"));
            }
          n_unavailable++;
        }
    }
  /* Acme HR is on growth: iam, messaging, accounting, screening, scheduling are not in it. */
  g_assert_cmpuint (n_unavailable, >, 0);
  /* Ashby, Lever and Teamtailor also serve IAM. */
  g_assert_cmpuint (n_elsewhere, >, 0);

  /* The categories in the plan count more than All (BambooHR is HRIS and LMS, …): the
   * note under them says why. */
  {
    guint sum = 0;

    for (int i = 1; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
      {
        GtkWidget *count_label = g_object_get_data (G_OBJECT (row), "count-label");

        if (count_label != NULL)
          sum += (guint) g_ascii_strtoull (gtk_label_get_label (GTK_LABEL (count_label)), NULL, 10);
      }
    g_assert_cmpuint (sum, >, integrations->len);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (PB_WINDOW (f->window)->counts_note)));
  }
}

static guint
count_shown (Fixture *f, gboolean (*check) (PbIntegration *, gpointer), gpointer data)
{
  GListModel *shown = G_LIST_MODEL (PB_WINDOW (f->window)->grouped);
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

void
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
    g_assert_true (focus == GTK_WIDGET (GTK_EDITABLE (PB_WINDOW (f->window)->search_entry))
                   || gtk_widget_is_ancestor (focus,
                                              GTK_WIDGET (GTK_EDITABLE (PB_WINDOW (f->window)->search_entry))));
  }
  search_for (f, upper);
  g_assert_cmpuint (count_shown (f, matches_text, upper), ==, expected);
  g_assert_cmpuint (expected, >, 0);

  search_for (f, "no such integration, surely");
  g_assert_cmpuint (count_shown (f, NULL, NULL), ==, 0);
  g_assert_cmpstr (pb_window_get_visible_page (f->window), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (PB_WINDOW (f->window)->empty_page), ==,
                   "No Results");
  search_for (f, "");
  g_assert_cmpuint (count_shown (f, NULL, NULL), ==, integrations->len);

  /* State filter: enabled, disabled, all. */
  gtk_drop_down_set_selected (PB_WINDOW (f->window)->state_dropdown, 1);
  g_assert_cmpuint (count_shown (f, is_active, GINT_TO_POINTER (TRUE)), ==, n_active);
  gtk_drop_down_set_selected (PB_WINDOW (f->window)->state_dropdown, 2);
  g_assert_cmpuint (count_shown (f, is_active, GINT_TO_POINTER (FALSE)), ==,
                    integrations->len - n_active);
  g_assert_cmpuint (integrations->len - n_active, >, 0);
  gtk_drop_down_set_selected (PB_WINDOW (f->window)->state_dropdown, 0);
  g_assert_cmpuint (count_shown (f, NULL, NULL), ==, integrations->len);
}

static gboolean
logs_view_ready (gpointer data)
{
  return pb_paged_view_get_state (PB_PAGED_VIEW (data)) == PB_PAGED_VIEW_STATE_LIST
         && !pb_paged_view_get_loading (PB_PAGED_VIEW (data));
}

static gboolean
accounts_view_ready (gpointer data)
{
  PbPagedViewState state = pb_paged_view_get_state (PB_PAGED_VIEW (data));

  return (state == PB_PAGED_VIEW_STATE_LIST || state == PB_PAGED_VIEW_STATE_EMPTY)
         && !pb_paged_view_get_loading (PB_PAGED_VIEW (data))
         && !pb_paged_view_get_has_more (PB_PAGED_VIEW (data));
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

/* The first integration of the list that has linked accounts. */
static PbIntegration *
first_with_accounts (Fixture *f)
{
  GListModel *shown = G_LIST_MODEL (PB_WINDOW (f->window)->grouped);

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
  GListModel *model = G_LIST_MODEL (PB_ACCOUNTS_VIEW (view)->sorted);
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

/* The row's View Logs and accounts count, the sidebar's Linked Accounts and Logs. */
void
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
  g_assert_cmpstr (pb_paged_view_get_integration_id (PB_PAGED_VIEW (PB_LOGS_VIEW (view))), ==, id);
  /* The view's page (header bar over the views' stack) says the sync state as the list's does. */
  g_assert_cmpuint (count_mapped (gtk_widget_get_parent (gtk_widget_get_parent (view)),
                                  PB_TYPE_SYNC_INDICATOR), ==, 1);
  iterate_until (logs_view_ready, view, TIMEOUT_MS);
  g_assert_true (logs_view_ready (view));
  logs = G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (PB_LOGS_VIEW (view))));
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
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (GTK_WIDGET (PB_WINDOW (f->window)->list_view))));

  /* The accounts count: that integration's accounts, as the server has them. */
  row = show_row (f, pb_ui_project_find (pb_window_get_project (f->window), id));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (PB_INTEGRATION_ROW (row)->accounts_button)));
  g_signal_emit_by_name (PB_INTEGRATION_ROW (row)->accounts_button, "clicked");
  iterate_for (50);
  view = pb_window_get_view (f->window);
  g_assert_true (PB_IS_ACCOUNTS_VIEW (view));
  g_assert_cmpstr (pb_paged_view_get_integration_id (PB_PAGED_VIEW (PB_ACCOUNTS_VIEW (view))), ==, id);
  accounts = server_accounts (f, id);
  g_assert_cmpuint (accounts->len, >, 0);
  assert_accounts_shown (PB_ACCOUNTS_VIEW (view), accounts);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back-to-list", NULL);
  iterate_for (50);
  g_assert_null (pb_window_get_view (f->window));

  /* The sidebar's Linked Accounts: the whole project's. */
  g_signal_emit_by_name (PB_WINDOW (f->window)->accounts_row, "activate");
  iterate_for (50);
  view = pb_window_get_view (f->window);
  g_assert_true (PB_IS_ACCOUNTS_VIEW (view));
  g_assert_null (pb_paged_view_get_integration_id (PB_PAGED_VIEW (PB_ACCOUNTS_VIEW (view))));
  /* The sidebar marks Linked Accounts, not a category. */
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (PB_WINDOW (f->window)->accounts_row)));
  g_assert_null (gtk_list_box_get_selected_row (PB_WINDOW (f->window)->category_list));
  all_accounts = server_all_accounts (f);
  g_assert_cmpuint (all_accounts->len, >, accounts->len);
  assert_accounts_shown (PB_ACCOUNTS_VIEW (view), all_accounts);

  /* The sidebar's Logs: every integration. */
  g_signal_emit_by_name (PB_WINDOW (f->window)->logs_row, "activate");
  iterate_for (50);
  view = pb_window_get_view (f->window);
  g_assert_true (PB_IS_LOGS_VIEW (view));
  g_assert_null (pb_paged_view_get_integration_id (PB_PAGED_VIEW (PB_LOGS_VIEW (view))));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back-to-list", NULL);
  iterate_for (50);
  g_assert_null (pb_window_get_view (f->window));
  /* Back on the list, the sidebar marks its category (All) again. */
  g_assert_true (gtk_list_box_get_selected_row (PB_WINDOW (f->window)->category_list)
                 == gtk_list_box_get_row_at_index (PB_WINDOW (f->window)->category_list, 0));
  g_assert_false (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (PB_WINDOW (f->window)->logs_row)));
}

static gboolean
compact_is (gpointer data)
{
  gboolean compact;

  g_object_get (data, "compact", &compact, NULL);
  return compact;
}

static gboolean
list_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (GTK_WIDGET (PB_WINDOW (data)->list_view)));
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
         && !gtk_widget_get_mapped (GTK_WIDGET (PB_WINDOW (data)->category_list));
}

void
test_window_narrow (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) integrations = server_integrations (f);

  g_assert_true (gtk_widget_get_visible (PB_WINDOW (f->window)->sync_indicator));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  iterate_until (compact_is, f->window, TIMEOUT_MS);
  g_assert_true (compact_is (f->window));
  {
    int minimum;

    /* metainfo promises 360 px: nothing in the window asks for more (the long name of the
     * demo project in the sidebar's drop-down once did). */
    gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window)),
                        GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }
  /* Synced, nothing waiting: the narrow header bar leaves the indicator out. */
  g_assert_false (gtk_widget_get_visible (PB_WINDOW (f->window)->sync_indicator));
  {
    PbIntegrationRow *row = show_row (f, integrations->pdata[0]);

    g_assert_true (pb_integration_row_get_compact (row));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (PB_INTEGRATION_ROW (row)->active_switch)));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (PB_INTEGRATION_ROW (row)->menu_button)));
  }

  /* Folded: the sidebar's Logs shows the view in place of the sidebar; Back, the list. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-sidebar", NULL);
  iterate_until (list_unmapped, f->window, TIMEOUT_MS);
  g_assert_true (list_unmapped (f->window));
  g_signal_emit_by_name (PB_WINDOW (f->window)->logs_row, "activate");
  iterate_until (view_mapped, f->window, TIMEOUT_MS);
  g_assert_true (view_mapped (f->window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (PB_WINDOW (f->window)->category_list)));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back-to-list", NULL);
  iterate_until (list_mapped, f->window, TIMEOUT_MS);
  g_assert_true (list_mapped (f->window));
  g_assert_null (pb_window_get_view (f->window));
}
