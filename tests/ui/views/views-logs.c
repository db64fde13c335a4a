/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-views"

#include "config.h"

#include <string.h>

#include "views-fixture.h"

/* The logs view: paging, one integration's logs, the filters, the details, cancelling and
 * the keyboard. */

static GPtrArray *
walk_logs (PbStore *store,
           PbQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  pb_client_list_all_logs_async (pb_store_get_client (store), query, NULL, on_result_cb, &result);
  items = pb_client_list_all_logs_finish (pb_store_get_client (store), wait_result (&result), &error);
  g_assert_no_error (error);
  return items;
}

/* The view shows exactly @expected, in the same order (logs: newest first). */
static void
assert_same_logs (GListModel *shown,
                  GPtrArray  *expected,
                  guint       n)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (g_list_model_get_n_items (shown), >=, n);
  g_assert_cmpuint (expected->len, >=, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbLogEntry) entry = g_list_model_get_item (shown, i);
      const char *id = pb_log_entry_get_request_id (entry);

      g_assert_cmpstr (id, ==, pb_log_entry_get_request_id (expected->pdata[i]));
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, (gpointer) id);
    }
}

/* Scrolls to the end of what is loaded until the last page has arrived, as a person would;
 * checks that pages come one at a time. */
static void
scroll_to_the_end (PbLogsView *view,
                   guint       page_size)
{
  GtkAdjustment *adjustment = pb_paged_view_get_vadjustment (PB_PAGED_VIEW (view));
  guint rounds = 0;

  g_assert_true (wait_for (logs_idle, view, WAIT_SECONDS));
  while (pb_paged_view_get_has_more (PB_PAGED_VIEW (view)))
    {
      guint before = g_list_model_get_n_items (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (view))));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                            - gtk_adjustment_get_page_size (adjustment));
      spin (30);
      g_assert_true (wait_for (logs_idle, view, WAIT_SECONDS));
      /* never everything at once: a few pages per scroll at most. The view fetches while less
       * than two screens remain below, and on a busy machine the list's height may lag one
       * more page behind, so the bound leaves room for that. */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (view)))) - before, <=,
                        6 * page_size);
      g_assert_cmpuint (++rounds, <, 1000);
    }
}

void
test_logs_paging (void)
{
  g_autoptr(GPtrArray) expected = walk_logs (sandbox_store, NULL);
  GtkWidget *view = pb_logs_view_new (sandbox_store);
  PbLogsView *v = PB_LOGS_VIEW (view);
  GtkWidget *window;
  guint n_first;

  g_assert_cmpuint (expected->len, >=, 600);
  pb_paged_view_set_page_size (PB_PAGED_VIEW (v), 50);
  window = show_in_window (view, 800, 600);

  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
  spin (300);
  g_assert_true (wait_for (logs_idle, view, WAIT_SECONDS));
  /* Only what fills the window (and a screenful ahead), not the whole list. */
  n_first = g_list_model_get_n_items (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v))));
  g_assert_cmpuint (n_first, >=, 50);
  g_assert_cmpuint (n_first, <=, 100);
  g_assert_true (pb_paged_view_get_has_more (PB_PAGED_VIEW (v)));
  g_assert_cmpint (pb_paged_view_get_state (PB_PAGED_VIEW (v)), ==, PB_PAGED_VIEW_STATE_LIST);

  scroll_to_the_end (v, 50);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v)))), ==, expected->len);
  assert_same_logs (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v))), expected, expected->len);

  /* Newest first. */
  for (guint i = 1; i < expected->len; i++)
    {
      g_autoptr(PbLogEntry) a = g_list_model_get_item (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v))), i - 1);
      g_autoptr(PbLogEntry) b = g_list_model_get_item (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v))), i);
      g_assert_cmpint (g_date_time_compare (pb_log_entry_get_event_datetime (a),
                                            pb_log_entry_get_event_datetime (b)), >=, 0);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

void
test_logs_integration (void)
{
  PbIntegration *integration = find_integration (hr_store, 3, TRUE);
  const char *id = pb_integration_get_id (integration);
  g_autoptr(PbQuery) query = pb_query_new ();
  g_autoptr(GPtrArray) expected = NULL;
  GtkWidget *view = pb_logs_view_new (hr_store);
  PbLogsView *v = PB_LOGS_VIEW (view);
  GtkWidget *window;
  GListModel *model;
  GtkDropDown *dropdown;

  pb_paged_view_set_integration_id (PB_PAGED_VIEW (v), integration ? pb_integration_get_id (integration) : NULL);
  g_assert_cmpstr (pb_paged_view_get_title (PB_PAGED_VIEW (v)), ==, "Request Logs");
  g_assert_nonnull (strstr (pb_paged_view_get_subtitle (PB_PAGED_VIEW (v)), pb_integration_get_name (integration)));
  /* The drop-down shows it. */
  dropdown = PB_LOGS_VIEW (v)->integration_dropdown;
  {
    GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);
    g_assert_nonnull (strstr (gtk_string_object_get_string (item),
                              pb_integration_get_name (integration)));
  }

  pb_query_set (query, "integration_id", id);
  expected = walk_logs (hr_store, query);
  g_assert_cmpuint (expected->len, >, 50);

  pb_paged_view_set_page_size (PB_PAGED_VIEW (v), 40);
  window = show_in_window (view, 800, 600);
  scroll_to_the_end (v, 40);
  model = G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  assert_same_logs (model, expected, expected->len);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLogEntry) entry = g_list_model_get_item (model, i);
      g_assert_cmpstr (pb_log_entry_get_integration_id (entry), ==, id);
    }

  /* Back to every integration with the drop-down. */
  gtk_drop_down_set_selected (dropdown, 0);
  g_assert_null (pb_paged_view_get_integration_id (PB_PAGED_VIEW (v)));
  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
  g_assert_cmpstr (pb_paged_view_get_subtitle (PB_PAGED_VIEW (v)), ==, "All integrations");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The first page of the view with its filters equals the first page of @query. */
static void
assert_first_page (PbLogsView *view,
                   PbQuery    *query,
                   gboolean    may_be_empty)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbPage) page = NULL;
  PbClient *client = pb_store_get_client (pb_paged_view_get_store (PB_PAGED_VIEW (view)));
  guint n;

  spin (400);   /* typed filters are applied after a pause */
  g_assert_true (wait_for (logs_idle, view, WAIT_SECONDS));
  g_assert_null (PB_LOGS_VIEW (view)->filter_message);

  pb_client_list_logs_async (client, query, 50, NULL, NULL, on_result_cb, &result);
  page = pb_client_list_logs_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  if (!may_be_empty)
    g_assert_cmpuint (page->items->len, >, 0);
  n = MIN (page->items->len, g_list_model_get_n_items (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (view)))));
  if (page->items->len == 0)
    g_assert_cmpint (pb_paged_view_get_state (PB_PAGED_VIEW (view)), ==, PB_PAGED_VIEW_STATE_EMPTY);
  else
    g_assert_cmpuint (n, ==, page->items->len);
  assert_same_logs (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (view))), page->items, n);
}

void
test_logs_filters (void)
{
  GtkWidget *view = pb_logs_view_new (hr_store);
  PbLogsView *v = PB_LOGS_VIEW (view);
  GtkWidget *window;
  GListModel *model;
  g_autofree char *account_id = NULL;
  g_autofree char *day = NULL;
  g_autoptr(GDateTime) local = NULL;

  pb_paged_view_set_page_size (PB_PAGED_VIEW (v), 50);
  window = show_in_window (view, 900, 700);
  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));

  /* Failed requests only. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    gtk_drop_down_set_selected (PB_LOGS_VIEW (v)->success_dropdown, 2);
    pb_query_set (query, "success", "false");
    assert_first_page (v, query, FALSE);
    model = G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v)));
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(PbLogEntry) entry = g_list_model_get_item (model, i);
        g_assert_false (pb_log_entry_get_success (entry));
      }
  }
  /* Succeeded ones. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    gtk_drop_down_set_selected (PB_LOGS_VIEW (v)->success_dropdown, 1);
    pb_query_set (query, "success", "true");
    assert_first_page (v, query, FALSE);
    gtk_drop_down_set_selected (PB_LOGS_VIEW (v)->success_dropdown, 0);
  }

  /* Status codes, typed as a person would. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->status_entry), " 404, 500 ");
    pb_query_set (query, "status_codes", "404,500");
    assert_first_page (v, query, FALSE);
    model = G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v)));
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(PbLogEntry) entry = g_list_model_get_item (model, i);
        guint status = pb_log_entry_get_status (entry);
        g_assert_true (status == 404 || status == 500);
      }
    /* A wrong one: a message, and the list keeps the last valid filters. */
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->status_entry), "404, abc");
    spin (400);
    g_assert_nonnull (PB_LOGS_VIEW (v)->filter_message);
    g_assert_nonnull (strstr (PB_LOGS_VIEW (v)->filter_message, "abc"));
    g_assert_true (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v))) == model);
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->status_entry), "");
    spin (400);
    g_assert_null (PB_LOGS_VIEW (v)->filter_message);
  }

  /* One account. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    g_autoptr(PbLogEntry) entry = NULL;

    g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
    entry = g_list_model_get_item (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v))), 5);
    account_id = g_strdup (pb_log_entry_get_account_id (entry));
    g_assert_nonnull (account_id);
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->account_entry), account_id);
    pb_query_set (query, "account_id", account_id);
    assert_first_page (v, query, FALSE);
    g_assert_cmpstr (pb_logs_view_get_account_id (v), ==, account_id);
    model = G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v)));
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(PbLogEntry) e = g_list_model_get_item (model, i);
        g_assert_cmpstr (pb_log_entry_get_account_id (e), ==, account_id);
      }
    pb_logs_view_set_account_id (v, NULL);
  }

  /* A date range: one local day, that of the 120th newest log. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    g_autoptr(PbLogEntry) entry = NULL;
    g_autoptr(GDateTime) start = NULL;
    g_autoptr(GDateTime) end = NULL;
    g_autofree char *start_text = NULL;
    g_autofree char *end_text = NULL;

    g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
    entry = g_list_model_get_item (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v))), 40);
    local = g_date_time_to_local (pb_log_entry_get_event_datetime (entry));
    day = g_date_time_format (local, "%Y-%m-%d");
    start = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                   g_date_time_get_day_of_month (local), 0, 0, 0);
    end = g_date_time_add (start, G_TIME_SPAN_DAY - G_TIME_SPAN_MILLISECOND);
    start_text = pb_time_format_rfc3339 (start);
    end_text = pb_time_format_rfc3339 (end);

    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->start_entry), day);
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->end_entry), day);
    pb_query_set (query, "start_date", start_text);
    pb_query_set (query, "end_date", end_text);
    assert_first_page (v, query, FALSE);
    model = G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v)));
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(PbLogEntry) e = g_list_model_get_item (model, i);
        g_autoptr(GDateTime) when = g_date_time_to_local (pb_log_entry_get_event_datetime (e));
        g_autofree char *when_day = g_date_time_format (when, "%Y-%m-%d");
        g_assert_cmpstr (when_day, ==, day);
      }

    /* Not a date; then the start after the end: clear messages, no request. */
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->start_entry), "2026-13-45");
    spin (400);
    g_assert_nonnull (strstr (PB_LOGS_VIEW (v)->filter_message, "start date"));
    g_assert_true (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v))) == model);
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->start_entry), "2030-01-02");
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->end_entry), "2030-01-01");
    spin (400);
    g_assert_nonnull (strstr (PB_LOGS_VIEW (v)->filter_message, "after the end date"));
    g_assert_true (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v))) == model);

    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->start_entry), "");
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->end_entry), "");
    spin (400);
    g_assert_null (PB_LOGS_VIEW (v)->filter_message);

    /* A day picked in the start date's calendar goes into the entry and is applied. */
    {
      g_autoptr(GDateTime) before = g_date_time_add_days (local, -2);
      g_autoptr(PbQuery) start_query = pb_query_new ();

      /* (the calendar starts on today: move away first, so that picking a day changes it) */
      gtk_calendar_select_day (PB_LOGS_VIEW (v)->start_calendar, before);
      gtk_calendar_select_day (PB_LOGS_VIEW (v)->start_calendar, local);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->start_entry)), ==, day);
      pb_query_set (start_query, "start_date", start_text);
      assert_first_page (v, start_query, FALSE);
    }
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->start_entry), "");
    spin (400);
  }

  /* Everything together: an integration, failures, a range far in the past: nothing. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    gtk_drop_down_set_selected (PB_LOGS_VIEW (v)->integration_dropdown, 1);
    g_assert_nonnull (pb_paged_view_get_integration_id (PB_PAGED_VIEW (v)));
    /* and one that has requests, for "Clear Filters" below */
    pb_paged_view_set_integration_id (PB_PAGED_VIEW (v), find_integration (hr_store, 3, TRUE) ? pb_integration_get_id (find_integration (hr_store, 3, TRUE)) : NULL);
    gtk_editable_set_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->end_entry), "2001-01-01");
    spin (400);
    g_assert_true (wait_for (logs_idle, view, WAIT_SECONDS));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v)))), ==, 0);
    g_assert_cmpint (pb_paged_view_get_state (PB_PAGED_VIEW (v)), ==, PB_PAGED_VIEW_STATE_EMPTY);

    /* The empty state's "Clear Filters" keeps the integration, drops the rest. */
    {
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
      g_autoptr(PbQuery) integration_only = pb_query_new ();
      GtkWidget *clear = NULL;

      collect_rows (view, GTK_TYPE_BUTTON, buttons);
      for (guint i = 0; i < buttons->len; i++)
        if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "_Clear Filters") == 0)
          clear = buttons->pdata[i];
      g_assert_nonnull (clear);
      g_assert_true (gtk_widget_get_visible (clear));
      g_signal_emit_by_name (clear, "clicked");
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (PB_LOGS_VIEW (v)->end_entry)), ==, "");
      pb_query_set (integration_only, "integration_id", pb_paged_view_get_integration_id (PB_PAGED_VIEW (v)));
      assert_first_page (v, integration_only, FALSE);
      g_assert_cmpint (pb_paged_view_get_state (PB_PAGED_VIEW (v)), ==, PB_PAGED_VIEW_STATE_LIST);
    }
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

void
test_logs_details (void)
{
  GtkWidget *view = pb_logs_view_new (hr_store);
  PbLogsView *v = PB_LOGS_VIEW (view);
  GtkWidget *window = show_in_window (view, 800, 600);
  g_autoptr(PbLogEntry) entry = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *status = NULL;
  PbLogDetails *details;

  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
  entry = g_list_model_get_item (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v))), 2);

  /* Activating a row (Enter, a click) opens its details. */
  g_signal_emit_by_name (pb_paged_view_get_list_view (PB_PAGED_VIEW (v)), "activate", 2);
  details = PB_LOG_DETAILS (((GtkWindow *) PB_LOGS_VIEW (v)->details));
  g_assert_nonnull (details);
  g_assert_true (pb_log_details_get_entry (details) == entry);
  g_assert_cmpstr (pb_log_details_get_value (details, "Request ID"), ==,
                   pb_log_entry_get_request_id (entry));
  g_assert_cmpstr (pb_log_details_get_value (details, "Method"), ==,
                   pb_log_entry_get_http_method (entry));
  g_assert_cmpstr (pb_log_details_get_value (details, "Path"), ==, pb_log_entry_get_path (entry));
  g_assert_cmpstr (pb_log_details_get_value (details, "URL"), ==, pb_log_entry_get_url (entry));
  status = g_strdup_printf ("%u", pb_log_entry_get_status (entry));
  g_assert_cmpstr (pb_log_details_get_value (details, "HTTP Status"), ==, status);
  g_assert_cmpstr (pb_log_details_get_value (details, "Account ID"), ==,
                   pb_log_entry_get_account_id (entry));
  g_assert_nonnull (strstr (pb_log_details_get_value (details, "Integration"),
                            pb_log_entry_get_integration_id (entry)));

  /* The copy button puts the request id on the clipboard. */
  g_signal_emit_by_name (pb_log_details_get_copy_button (details), "clicked");
  {
    /* What this process put there (a read through the X server may race its ownership). */
    GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (view));
    g_auto(GValue) value = G_VALUE_INIT;

    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    copied = g_value_dup_string (&value);
  }
  g_assert_cmpstr (copied, ==, pb_log_entry_get_request_id (entry));

  /* Escape closes it. */
  gtk_widget_activate_action (GTK_WIDGET (details), "window.close", NULL);
  spin (50);
  g_assert_null (((GtkWindow *) PB_LOGS_VIEW (v)->details));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Leaving the view (unmap) cancels the request in flight; coming back resumes it. Changing
 * the filters while a page loads drops that page. */
static gboolean
logs_not_loading (gpointer data)
{
  return !pb_paged_view_get_loading (PB_PAGED_VIEW (data));
}

void
test_logs_cancel (void)
{
  GtkWidget *view = pb_logs_view_new (hr_store);
  PbLogsView *v = PB_LOGS_VIEW (view);
  GtkWidget *window = show_in_window (view, 800, 600);
  GListModel *model;

  g_assert_true (pb_paged_view_get_loading (PB_PAGED_VIEW (v)));
  model = G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v)));
  gtk_widget_set_visible (view, FALSE);
  g_assert_true (wait_for (logs_not_loading, view, WAIT_SECONDS));
  spin (200);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (pb_paged_view_get_error_text (PB_PAGED_VIEW (v)));

  gtk_widget_set_visible (view, TRUE);
  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));

  /* A filter change while loading: the new list holds only failures. */
  pb_paged_view_reload (PB_PAGED_VIEW (v));
  g_assert_true (pb_paged_view_get_loading (PB_PAGED_VIEW (v)));
  gtk_drop_down_set_selected (PB_LOGS_VIEW (v)->success_dropdown, 2);
  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
  model = G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (v)));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLogEntry) entry = g_list_model_get_item (model, i);
      g_assert_false (pb_log_entry_get_success (entry));
    }

  /* Destroyed while loading: nothing arrives later (G_DEBUG=fatal-criticals would tell). */
  pb_paged_view_reload (PB_PAGED_VIEW (v));
  gtk_window_destroy (GTK_WINDOW (window));
  spin (300);
}

/* Tab reaches every filter and the list; Enter on a row ("list.activate-item", what the
 * row's Enter binding activates) opens its details. */
static gboolean
is_inside (GtkWidget *widget,
           GtkWidget *ancestor)
{
  return widget != NULL && (widget == ancestor || gtk_widget_is_ancestor (widget, ancestor));
}

void
test_logs_keyboard (void)
{
  GtkWidget *view = pb_logs_view_new (hr_store);
  PbLogsView *v = PB_LOGS_VIEW (view);
  GtkWidget *window = show_in_window (view, 900, 700);
  GtkWidget *targets[] = {
    GTK_WIDGET (PB_LOGS_VIEW (v)->integration_dropdown),
    GTK_WIDGET (GTK_EDITABLE (PB_LOGS_VIEW (v)->account_entry)),
    GTK_WIDGET (PB_LOGS_VIEW (v)->success_dropdown),
    GTK_WIDGET (GTK_EDITABLE (PB_LOGS_VIEW (v)->status_entry)),
    GTK_WIDGET (GTK_EDITABLE (PB_LOGS_VIEW (v)->start_entry)),
    GTK_WIDGET (GTK_EDITABLE (PB_LOGS_VIEW (v)->end_entry)),
    GTK_WIDGET (pb_paged_view_get_list_view (PB_PAGED_VIEW (v))),
  };
  gboolean reached[G_N_ELEMENTS (targets)] = { FALSE, };
  GtkWidget *row = NULL;
  GtkWidget *filters_button = NULL;

  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
  spin (100);

  /* The filters are behind the "Filters" toggle: open it as a person would (Space on it). */
  for (guint i = 0; i < 60 && filters_button == NULL; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (GTK_IS_TOGGLE_BUTTON (focus))
        filters_button = focus;
    }
  g_assert_nonnull (filters_button);
  gtk_widget_activate (filters_button);
  spin (400);

  for (guint i = 0; i < 80; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
        if (is_inside (focus, targets[t]))
          reached[t] = TRUE;
      if (row == NULL && is_inside (focus, targets[G_N_ELEMENTS (targets) - 1]))
        row = focus;
    }
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    if (!reached[t])
      g_error ("Tab never reached %s %u", G_OBJECT_TYPE_NAME (targets[t]), t);

  g_assert_nonnull (row);
  g_assert_null (((GtkWindow *) PB_LOGS_VIEW (v)->details));
  g_assert_true (gtk_widget_activate_action (row, "list.activate-item", "u", 0));
  g_assert_nonnull (((GtkWindow *) PB_LOGS_VIEW (v)->details));

  gtk_window_destroy (((GtkWindow *) PB_LOGS_VIEW (v)->details));
  gtk_window_destroy (GTK_WINDOW (window));
}
