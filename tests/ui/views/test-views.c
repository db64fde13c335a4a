/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-views"

#include "config.h"

#include <adwaita.h>

#include "pb-views.h"
#include "pb-account-row.h"
#include "pb-test-server.h"

/* The views against a real `plugboard-server demo`: what they show is compared with what a
 * direct PbClient walk of the same query returns. One server for the whole binary; tests that
 * change something (a disable) put it back. */

#define WAIT_SECONDS 20

static PbTestServer *server;
static PbStore *hr_store;        /* "Acme HR": 3000 seeded logs */
static PbStore *sandbox_store;   /* "Acme Sandbox": 600 seeded logs */

/* ---- helpers --------------------------------------------------------------------------- */

typedef gboolean (*Condition) (gpointer data);

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;
  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  g_assert_true (wait_for (result_arrived, result, 60));
  return *result;
}

static PbStore *
make_store (guint project)
{
  g_autoptr(PbClient) client = pb_client_new (pb_test_server_get_url (server),
                                              pb_test_server_get_admin_key (server, project));
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(PbStore) store = pb_store_new (client, secrets, pb_test_server_get_url (server), NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pb_store_load_async (store, NULL, on_result_cb, &result);
  g_assert_true (pb_store_load_finish (store, wait_result (&result), NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

/* Every account / log of @query, the way the API pages them, straight from the client. */
static GPtrArray *
walk_accounts (PbStore *store,
               PbQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  pb_client_list_all_accounts_async (pb_store_get_client (store), query, NULL, on_result_cb,
                                     &result);
  items = pb_client_list_all_accounts_finish (pb_store_get_client (store), wait_result (&result),
                                              NULL, &error);
  g_assert_no_error (error);
  return items;
}

static GPtrArray *
walk_logs (PbStore *store,
           PbQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  pb_client_list_all_logs_async (pb_store_get_client (store), query, NULL, on_result_cb, &result);
  items = pb_client_list_all_logs_finish (pb_store_get_client (store), wait_result (&result),
                                          NULL, &error);
  g_assert_no_error (error);
  return items;
}

static GtkWidget *
show_in_window (GtkWidget *view,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* Sorted ids, to compare sets. */
static GPtrArray *
account_ids (GListModel *model)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLinkedAccount) account = g_list_model_get_item (model, i);
      g_ptr_array_add (ids, g_strdup (pb_linked_account_get_id (account)));
    }
  return ids;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
assert_same_accounts (GListModel *shown,
                      GPtrArray  *expected)
{
  g_autoptr(GPtrArray) a = account_ids (shown);
  g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < expected->len; i++)
    g_ptr_array_add (b, g_strdup (pb_linked_account_get_id (expected->pdata[i])));
  g_ptr_array_sort (a, compare_strings);
  g_ptr_array_sort (b, compare_strings);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (a->pdata[i], ==, b->pdata[i]);
  /* and no duplicates */
  for (guint i = 1; i < a->len; i++)
    g_assert_cmpstr (a->pdata[i - 1], !=, a->pdata[i]);
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

static PbIntegration *
find_integration (PbStore  *store,
                  guint     min_accounts,
                  gboolean  active)
{
  GListModel *integrations = pb_store_get_integrations (store);

  for (guint i = 0; i < g_list_model_get_n_items (integrations); i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);

      if (pb_integration_get_accounts_total (integration) >= min_accounts
          && pb_integration_get_active (integration) == active)
        return integration;   /* the store keeps it */
    }
  g_assert_not_reached ();
}

static void
collect_rows (GtkWidget *widget,
              GType      type,
              GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, type, out);
}

/* ---- accounts -------------------------------------------------------------------------- */

static gboolean
accounts_settled (gpointer data)
{
  PbAccountsView *view = data;

  return !pb_accounts_view_get_loading (view)
         && !pb_accounts_view_get_has_more (view)
         && !g_str_equal (pb_accounts_view_get_state (view), "loading");
}

static gboolean
accounts_error (gpointer data)
{
  return g_str_equal (pb_accounts_view_get_state (data), "error");
}

typedef struct
{
  PbAccountsView *view;
  PbAccountStatus status;
} StatusWait;

static gboolean
accounts_all_in_status (gpointer data)
{
  StatusWait *wait = data;
  GListModel *model = pb_accounts_view_get_model (wait->view);
  guint n = g_list_model_get_n_items (model);

  if (n == 0 || !accounts_settled (wait->view))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbLinkedAccount) account = g_list_model_get_item (model, i);
      if (pb_linked_account_get_status (account) != wait->status)
        return FALSE;
    }
  return TRUE;
}

static gboolean
rows_shown (gpointer data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (pb_accounts_view_get_list_view (data)), PB_TYPE_ACCOUNT_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (pb_account_row_get_account (rows->pdata[i]) != NULL)
      return TRUE;
  return FALSE;
}

static void
assert_rows_say (PbAccountsView *view)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  g_assert_true (wait_for (rows_shown, view, WAIT_SECONDS));
  collect_rows (GTK_WIDGET (pb_accounts_view_get_list_view (view)), PB_TYPE_ACCOUNT_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      PbLinkedAccount *account = pb_account_row_get_account (rows->pdata[i]);
      const char *expected[] = { "Active", "Inactive", "Error" };

      if (account == NULL)
        continue;
      /* The status is said in words, not only by colour. */
      g_assert_cmpstr (pb_account_row_get_status_text (rows->pdata[i]), ==,
                       expected[pb_linked_account_get_status (account)]);
    }
}

static void
apply_simple (PbStore         *store,
              PbOperationKind  kind,
              const char      *id)
{
  PbIntegration *integration = pb_store_find_integration (store, id, NULL);
  g_autoptr(PbOperation) operation =
    pb_operation_new_simple (kind, id, pb_integration_get_version (integration));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pb_store_apply_async (store, operation, NULL, NULL, on_result_cb, &result);
  g_assert_true (pb_store_apply_finish (store, wait_result (&result), NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
on_view_logs_cb (PbAccountsView *view,
                 const char     *account_id,
                 const char     *integration_id,
                 char          **asked)
{
  g_free (asked[0]);
  g_free (asked[1]);
  asked[0] = g_strdup (account_id);
  asked[1] = g_strdup (integration_id);
}

static void
test_accounts_integration (void)
{
  PbIntegration *integration = find_integration (hr_store, 3, TRUE);
  g_autofree char *id = g_strdup (pb_integration_get_id (integration));
  g_autoptr(PbQuery) query = pb_query_new ();
  g_autoptr(GPtrArray) expected = NULL;
  GtkWidget *view = pb_accounts_view_new (hr_store);
  GtkWidget *window;
  GListModel *model;
  StatusWait wait = { PB_ACCOUNTS_VIEW (view), PB_ACCOUNT_STATUS_INACTIVE };

  pb_accounts_view_set_integration (PB_ACCOUNTS_VIEW (view), integration);
  g_assert_cmpstr (pb_accounts_view_get_integration_id (PB_ACCOUNTS_VIEW (view)), ==, id);
  g_assert_cmpstr (pb_accounts_view_get_title (PB_ACCOUNTS_VIEW (view)), ==, "Linked Accounts");
  g_assert_nonnull (strstr (pb_accounts_view_get_subtitle (PB_ACCOUNTS_VIEW (view)),
                            pb_integration_get_name (integration)));
  window = show_in_window (view, 800, 700);
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));

  pb_query_set (query, "integration_id", id);
  expected = walk_accounts (hr_store, query);
  g_assert_cmpuint (expected->len, ==, pb_integration_get_accounts_total (integration));
  model = pb_accounts_view_get_model (PB_ACCOUNTS_VIEW (view));
  g_assert_cmpstr (pb_accounts_view_get_state (PB_ACCOUNTS_VIEW (view)), ==, "list");
  assert_same_accounts (model, expected);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLinkedAccount) account = g_list_model_get_item (model, i);
      g_assert_cmpstr (pb_linked_account_get_integration_id (account), ==, id);
    }
  assert_rows_say (PB_ACCOUNTS_VIEW (view));

  /* A row's "View request logs" button says which account to the window. */
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    g_auto(GStrv) asked = g_new0 (char *, 3);
    PbAccountRow *row;

    collect_rows (GTK_WIDGET (pb_accounts_view_get_list_view (PB_ACCOUNTS_VIEW (view))),
                  PB_TYPE_ACCOUNT_ROW, rows);
    row = NULL;
    for (guint i = 0; i < rows->len && row == NULL; i++)
      if (pb_account_row_get_account (rows->pdata[i]) != NULL)
        row = rows->pdata[i];
    g_assert_nonnull (row);
    g_signal_connect (view, "view-logs", G_CALLBACK (on_view_logs_cb), asked);
    g_signal_emit_by_name (pb_account_row_get_logs_button (row), "clicked");
    g_assert_cmpstr (asked[0], ==, pb_linked_account_get_id (pb_account_row_get_account (row)));
    g_assert_cmpstr (asked[1], ==, id);
  }

  /* Disabled through the store: the view turns its accounts inactive by itself. */
  apply_simple (hr_store, PB_OPERATION_DISABLE, id);
  g_assert_true (wait_for (accounts_all_in_status, &wait, WAIT_SECONDS));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  assert_rows_say (PB_ACCOUNTS_VIEW (view));

  apply_simple (hr_store, PB_OPERATION_ENABLE, id);
  wait.status = PB_ACCOUNT_STATUS_ACTIVE;
  g_assert_true (wait_for (accounts_all_in_status, &wait, WAIT_SECONDS));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
set_search_and_wait (PbAccountsView *view,
                     const char     *text)
{
  gtk_editable_set_text (pb_accounts_view_get_search_entry (view), text);
  /* The query is sent after a pause in typing. */
  spin (500);
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack ? haystack : "", -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);
  return strstr (h, n) != NULL;
}

static void
test_accounts_filters (void)
{
  GtkWidget *view = pb_accounts_view_new (hr_store);
  PbAccountsView *v = PB_ACCOUNTS_VIEW (view);
  GtkWidget *window;
  g_autoptr(PbQuery) all = pb_query_new ();
  g_autoptr(GPtrArray) everything = NULL;
  const char *statuses[] = { NULL, "active", "inactive", "error" };
  g_autofree char *fragment = NULL;
  GListModel *model = pb_accounts_view_get_model (v);

  /* Small pages: the whole list is put together from several, without duplicates or gaps. */
  pb_accounts_view_set_page_size (v, 7);
  window = show_in_window (view, 800, 700);
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));
  g_assert_cmpstr (pb_accounts_view_get_subtitle (v), ==, "All integrations");
  everything = walk_accounts (hr_store, all);
  g_assert_cmpuint (everything->len, >, 20);
  assert_same_accounts (model, everything);

  for (guint s = 1; s < G_N_ELEMENTS (statuses); s++)
    {
      g_autoptr(PbQuery) query = pb_query_new ();
      g_autoptr(GPtrArray) expected = NULL;

      gtk_drop_down_set_selected (pb_accounts_view_get_status_dropdown (v), s);
      g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));
      pb_query_set (query, "status", statuses[s]);
      expected = walk_accounts (hr_store, query);
      assert_same_accounts (model, expected);
      g_assert_cmpstr (pb_accounts_view_get_state (v), ==, expected->len ? "list" : "empty");
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(PbLinkedAccount) account = g_list_model_get_item (model, i);
          g_assert_cmpstr (pb_account_status_to_string (pb_linked_account_get_status (account)),
                           ==, statuses[s]);
        }
    }
  gtk_drop_down_set_selected (pb_accounts_view_get_status_dropdown (v), 0);
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));

  /* Text: the server's q (owner name or user name contains). */
  {
    const char *owner = pb_linked_account_get_origin_owner_name (everything->pdata[3]);
    g_autoptr(PbQuery) query = pb_query_new ();
    g_autoptr(GPtrArray) expected = NULL;

    fragment = g_utf8_substring (owner, 1, 5);
    set_search_and_wait (v, fragment);
    pb_query_set (query, "q", fragment);
    expected = walk_accounts (hr_store, query);
    g_assert_cmpuint (expected->len, >, 0);
    g_assert_cmpuint (expected->len, <, everything->len);
    assert_same_accounts (model, expected);
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(PbLinkedAccount) account = g_list_model_get_item (model, i);
        const char *owner_name = pb_linked_account_get_origin_owner_name (account);
        const char *user_name = pb_linked_account_get_origin_username (account);

        g_assert_true (contains_casefold (owner_name, fragment)
                       || contains_casefold (user_name, fragment));
      }
  }

  /* Nothing matches: the empty state, which says so. */
  set_search_and_wait (v, "no-such-owner-zzzz");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (pb_accounts_view_get_state (v), ==, "empty");

  set_search_and_wait (v, "");
  assert_same_accounts (model, everything);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_accounts_sort (void)
{
  GtkWidget *view = pb_accounts_view_new (hr_store);
  PbAccountsView *v = PB_ACCOUNTS_VIEW (view);
  GtkWidget *window = show_in_window (view, 800, 700);
  GListModel *model = pb_accounts_view_get_model (v);
  guint n;

  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 2);

  /* By owner name (the default). */
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(PbLinkedAccount) a = g_list_model_get_item (model, i - 1);
      g_autoptr(PbLinkedAccount) b = g_list_model_get_item (model, i);
      g_autofree char *ka = g_utf8_casefold (pb_linked_account_get_origin_owner_name (a), -1);
      g_autofree char *kb = g_utf8_casefold (pb_linked_account_get_origin_owner_name (b), -1);
      g_assert_cmpint (g_utf8_collate (ka, kb), <=, 0);
    }

  /* By status: errors, then inactive, then active. */
  gtk_drop_down_set_selected (pb_accounts_view_get_sort_dropdown (v), 1);
  {
    int rank[] = { 2, 1, 0 };   /* active, inactive, error */
    for (guint i = 1; i < n; i++)
      {
        g_autoptr(PbLinkedAccount) a = g_list_model_get_item (model, i - 1);
        g_autoptr(PbLinkedAccount) b = g_list_model_get_item (model, i);
        g_assert_cmpint (rank[pb_linked_account_get_status (a)], <=,
                         rank[pb_linked_account_get_status (b)]);
      }
  }

  /* Recently updated first. */
  gtk_drop_down_set_selected (pb_accounts_view_get_sort_dropdown (v), 2);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(PbLinkedAccount) a = g_list_model_get_item (model, i - 1);
      g_autoptr(PbLinkedAccount) b = g_list_model_get_item (model, i);
      g_assert_cmpint (g_date_time_compare (pb_linked_account_get_updated_at (a),
                                            pb_linked_account_get_updated_at (b)), >=, 0);
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- logs ------------------------------------------------------------------------------ */

static gboolean
logs_idle (gpointer data)
{
  PbLogsView *view = data;

  return !pb_logs_view_get_loading (view)
         && !g_str_equal (pb_logs_view_get_state (view), "loading");
}

/* Scrolls to the end of what is loaded until the last page has arrived, as a person would;
 * checks that pages come one at a time. */
static void
scroll_to_the_end (PbLogsView *view,
                   guint       page_size)
{
  GtkAdjustment *adjustment = pb_logs_view_get_vadjustment (view);
  guint rounds = 0;

  g_assert_true (wait_for (logs_idle, view, WAIT_SECONDS));
  while (pb_logs_view_get_has_more (view))
    {
      guint before = g_list_model_get_n_items (pb_logs_view_get_model (view));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                            - gtk_adjustment_get_page_size (adjustment));
      spin (30);
      g_assert_true (wait_for (logs_idle, view, WAIT_SECONDS));
      /* never everything at once: a few pages per scroll at most. The view fetches while less
       * than two screens remain below, and on a busy machine the list's height may lag one
       * more page behind, so the bound leaves room for that. */
      g_assert_cmpuint (g_list_model_get_n_items (pb_logs_view_get_model (view)) - before, <=,
                        6 * page_size);
      g_assert_cmpuint (++rounds, <, 1000);
    }
}

static gboolean
logs_first_page (gpointer data)
{
  PbLogsView *view = data;
  GListModel *model = pb_logs_view_get_model (view);

  return logs_idle (view) && model != NULL && g_list_model_get_n_items (model) > 0;
}

static void
test_logs_paging (void)
{
  g_autoptr(GPtrArray) expected = walk_logs (sandbox_store, NULL);
  GtkWidget *view = pb_logs_view_new (sandbox_store);
  PbLogsView *v = PB_LOGS_VIEW (view);
  GtkWidget *window;
  guint n_first;

  g_assert_cmpuint (expected->len, >=, 600);
  pb_logs_view_set_page_size (v, 50);
  window = show_in_window (view, 800, 600);

  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
  spin (300);
  g_assert_true (wait_for (logs_idle, view, WAIT_SECONDS));
  /* Only what fills the window (and a screenful ahead), not the whole list. */
  n_first = g_list_model_get_n_items (pb_logs_view_get_model (v));
  g_assert_cmpuint (n_first, >=, 50);
  g_assert_cmpuint (n_first, <=, 100);
  g_assert_true (pb_logs_view_get_has_more (v));
  g_assert_cmpstr (pb_logs_view_get_state (v), ==, "list");

  scroll_to_the_end (v, 50);
  g_assert_cmpuint (g_list_model_get_n_items (pb_logs_view_get_model (v)), ==, expected->len);
  assert_same_logs (pb_logs_view_get_model (v), expected, expected->len);

  /* Newest first. */
  for (guint i = 1; i < expected->len; i++)
    {
      g_autoptr(PbLogEntry) a = g_list_model_get_item (pb_logs_view_get_model (v), i - 1);
      g_autoptr(PbLogEntry) b = g_list_model_get_item (pb_logs_view_get_model (v), i);
      g_assert_cmpint (g_date_time_compare (pb_log_entry_get_event_datetime (a),
                                            pb_log_entry_get_event_datetime (b)), >=, 0);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
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

  pb_logs_view_set_integration (v, integration);
  g_assert_cmpstr (pb_logs_view_get_title (v), ==, "Request Logs");
  g_assert_nonnull (strstr (pb_logs_view_get_subtitle (v), pb_integration_get_name (integration)));
  /* The drop-down shows it. */
  dropdown = pb_logs_view_get_integration_dropdown (v);
  {
    GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);
    g_assert_nonnull (strstr (gtk_string_object_get_string (item),
                              pb_integration_get_name (integration)));
  }

  pb_query_set (query, "integration_id", id);
  expected = walk_logs (hr_store, query);
  g_assert_cmpuint (expected->len, >, 50);

  pb_logs_view_set_page_size (v, 40);
  window = show_in_window (view, 800, 600);
  scroll_to_the_end (v, 40);
  model = pb_logs_view_get_model (v);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  assert_same_logs (model, expected, expected->len);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLogEntry) entry = g_list_model_get_item (model, i);
      g_assert_cmpstr (pb_log_entry_get_integration_id (entry), ==, id);
    }

  /* Back to every integration with the drop-down. */
  gtk_drop_down_set_selected (dropdown, 0);
  g_assert_null (pb_logs_view_get_integration_id (v));
  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
  g_assert_cmpstr (pb_logs_view_get_subtitle (v), ==, "All integrations");

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
  PbClient *client = pb_store_get_client (pb_logs_view_get_store (view));
  guint n;

  spin (400);   /* typed filters are applied after a pause */
  g_assert_true (wait_for (logs_idle, view, WAIT_SECONDS));
  g_assert_null (pb_logs_view_get_filter_message (view));

  pb_client_list_logs_async (client, query, 50, NULL, NULL, on_result_cb, &result);
  page = pb_client_list_logs_finish (client, wait_result (&result), NULL, &error);
  g_assert_no_error (error);
  if (!may_be_empty)
    g_assert_cmpuint (page->items->len, >, 0);
  n = MIN (page->items->len, g_list_model_get_n_items (pb_logs_view_get_model (view)));
  if (page->items->len == 0)
    g_assert_cmpstr (pb_logs_view_get_state (view), ==, "empty");
  else
    g_assert_cmpuint (n, ==, page->items->len);
  assert_same_logs (pb_logs_view_get_model (view), page->items, n);
}

static void
test_logs_filters (void)
{
  GtkWidget *view = pb_logs_view_new (hr_store);
  PbLogsView *v = PB_LOGS_VIEW (view);
  GtkWidget *window;
  GListModel *model;
  g_autofree char *account_id = NULL;
  g_autofree char *day = NULL;
  g_autoptr(GDateTime) local = NULL;

  pb_logs_view_set_page_size (v, 50);
  window = show_in_window (view, 900, 700);
  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));

  /* Failed requests only. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    gtk_drop_down_set_selected (pb_logs_view_get_success_dropdown (v), 2);
    pb_query_set (query, "success", "false");
    assert_first_page (v, query, FALSE);
    model = pb_logs_view_get_model (v);
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(PbLogEntry) entry = g_list_model_get_item (model, i);
        g_assert_false (pb_log_entry_get_success (entry));
      }
  }
  /* Succeeded ones. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    gtk_drop_down_set_selected (pb_logs_view_get_success_dropdown (v), 1);
    pb_query_set (query, "success", "true");
    assert_first_page (v, query, FALSE);
    gtk_drop_down_set_selected (pb_logs_view_get_success_dropdown (v), 0);
  }

  /* Status codes, typed as a person would. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    gtk_editable_set_text (pb_logs_view_get_status_entry (v), " 404, 500 ");
    pb_query_set (query, "status_codes", "404,500");
    assert_first_page (v, query, FALSE);
    model = pb_logs_view_get_model (v);
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(PbLogEntry) entry = g_list_model_get_item (model, i);
        guint status = pb_log_entry_get_status (entry);
        g_assert_true (status == 404 || status == 500);
      }
    /* A wrong one: a message, and the list keeps the last valid filters. */
    gtk_editable_set_text (pb_logs_view_get_status_entry (v), "404, abc");
    spin (400);
    g_assert_nonnull (pb_logs_view_get_filter_message (v));
    g_assert_nonnull (strstr (pb_logs_view_get_filter_message (v), "abc"));
    g_assert_true (pb_logs_view_get_model (v) == model);
    gtk_editable_set_text (pb_logs_view_get_status_entry (v), "");
    spin (400);
    g_assert_null (pb_logs_view_get_filter_message (v));
  }

  /* One account. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    g_autoptr(PbLogEntry) entry = NULL;

    g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
    entry = g_list_model_get_item (pb_logs_view_get_model (v), 5);
    account_id = g_strdup (pb_log_entry_get_account_id (entry));
    g_assert_nonnull (account_id);
    gtk_editable_set_text (pb_logs_view_get_account_entry (v), account_id);
    pb_query_set (query, "account_id", account_id);
    assert_first_page (v, query, FALSE);
    g_assert_cmpstr (pb_logs_view_get_account_id (v), ==, account_id);
    model = pb_logs_view_get_model (v);
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
    entry = g_list_model_get_item (pb_logs_view_get_model (v), 40);
    local = g_date_time_to_local (pb_log_entry_get_event_datetime (entry));
    day = g_date_time_format (local, "%Y-%m-%d");
    start = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                   g_date_time_get_day_of_month (local), 0, 0, 0);
    end = g_date_time_add (start, G_TIME_SPAN_DAY - G_TIME_SPAN_MILLISECOND);
    start_text = pb_time_format_rfc3339 (start);
    end_text = pb_time_format_rfc3339 (end);

    gtk_editable_set_text (pb_logs_view_get_start_entry (v), day);
    gtk_editable_set_text (pb_logs_view_get_end_entry (v), day);
    pb_query_set (query, "start_date", start_text);
    pb_query_set (query, "end_date", end_text);
    assert_first_page (v, query, FALSE);
    model = pb_logs_view_get_model (v);
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(PbLogEntry) e = g_list_model_get_item (model, i);
        g_autoptr(GDateTime) when = g_date_time_to_local (pb_log_entry_get_event_datetime (e));
        g_autofree char *when_day = g_date_time_format (when, "%Y-%m-%d");
        g_assert_cmpstr (when_day, ==, day);
      }

    /* Not a date; then the start after the end: clear messages, no request. */
    gtk_editable_set_text (pb_logs_view_get_start_entry (v), "2026-13-45");
    spin (400);
    g_assert_nonnull (strstr (pb_logs_view_get_filter_message (v), "start date"));
    g_assert_true (pb_logs_view_get_model (v) == model);
    gtk_editable_set_text (pb_logs_view_get_start_entry (v), "2030-01-02");
    gtk_editable_set_text (pb_logs_view_get_end_entry (v), "2030-01-01");
    spin (400);
    g_assert_nonnull (strstr (pb_logs_view_get_filter_message (v), "after the end date"));
    g_assert_true (pb_logs_view_get_model (v) == model);

    gtk_editable_set_text (pb_logs_view_get_start_entry (v), "");
    gtk_editable_set_text (pb_logs_view_get_end_entry (v), "");
    spin (400);
    g_assert_null (pb_logs_view_get_filter_message (v));

    /* A day picked in the start date's calendar goes into the entry and is applied. */
    {
      g_autoptr(GDateTime) before = g_date_time_add_days (local, -2);
      g_autoptr(PbQuery) start_query = pb_query_new ();

      /* (the calendar starts on today: move away first, so that picking a day changes it) */
      gtk_calendar_select_day (pb_logs_view_get_start_calendar (v), before);
      gtk_calendar_select_day (pb_logs_view_get_start_calendar (v), local);
      g_assert_cmpstr (gtk_editable_get_text (pb_logs_view_get_start_entry (v)), ==, day);
      pb_query_set (start_query, "start_date", start_text);
      assert_first_page (v, start_query, FALSE);
    }
    gtk_editable_set_text (pb_logs_view_get_start_entry (v), "");
    spin (400);
  }

  /* Everything together: an integration, failures, a range far in the past: nothing. */
  {
    g_autoptr(PbQuery) query = pb_query_new ();
    gtk_drop_down_set_selected (pb_logs_view_get_integration_dropdown (v), 1);
    g_assert_nonnull (pb_logs_view_get_integration_id (v));
    /* and one that has requests, for "Clear Filters" below */
    pb_logs_view_set_integration (v, find_integration (hr_store, 3, TRUE));
    gtk_editable_set_text (pb_logs_view_get_end_entry (v), "2001-01-01");
    spin (400);
    g_assert_true (wait_for (logs_idle, view, WAIT_SECONDS));
    g_assert_cmpuint (g_list_model_get_n_items (pb_logs_view_get_model (v)), ==, 0);
    g_assert_cmpstr (pb_logs_view_get_state (v), ==, "empty");

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
      g_assert_cmpstr (gtk_editable_get_text (pb_logs_view_get_end_entry (v)), ==, "");
      pb_query_set (integration_only, "integration_id", pb_logs_view_get_integration_id (v));
      assert_first_page (v, integration_only, FALSE);
      g_assert_cmpstr (pb_logs_view_get_state (v), ==, "list");
    }
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
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
  entry = g_list_model_get_item (pb_logs_view_get_model (v), 2);

  /* Activating a row (Enter, a click) opens its details. */
  g_signal_emit_by_name (pb_logs_view_get_list_view (v), "activate", 2);
  details = PB_LOG_DETAILS (pb_logs_view_get_details (v));
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
  g_assert_null (pb_logs_view_get_details (v));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Leaving the view (unmap) cancels the request in flight; coming back resumes it. Changing
 * the filters while a page loads drops that page. */
static gboolean
logs_not_loading (gpointer data)
{
  return !pb_logs_view_get_loading (data);
}

static void
test_logs_cancel (void)
{
  GtkWidget *view = pb_logs_view_new (hr_store);
  PbLogsView *v = PB_LOGS_VIEW (view);
  GtkWidget *window = show_in_window (view, 800, 600);
  GListModel *model;

  g_assert_true (pb_logs_view_get_loading (v));
  model = pb_logs_view_get_model (v);
  gtk_widget_set_visible (view, FALSE);
  g_assert_true (wait_for (logs_not_loading, view, WAIT_SECONDS));
  spin (200);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (pb_logs_view_get_error_text (v));

  gtk_widget_set_visible (view, TRUE);
  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));

  /* A filter change while loading: the new list holds only failures. */
  pb_logs_view_reload (v);
  g_assert_true (pb_logs_view_get_loading (v));
  gtk_drop_down_set_selected (pb_logs_view_get_success_dropdown (v), 2);
  g_assert_true (wait_for (logs_first_page, view, WAIT_SECONDS));
  model = pb_logs_view_get_model (v);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLogEntry) entry = g_list_model_get_item (model, i);
      g_assert_false (pb_log_entry_get_success (entry));
    }

  /* Destroyed while loading: nothing arrives later (G_DEBUG=fatal-criticals would tell). */
  pb_logs_view_reload (v);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (300);
}

/* The backend goes away while the list is shown: a refresh shows what was fetched before,
 * marked as such, rather than an error page; a list never fetched (other filters) says that
 * the backend cannot be reached. */
static void
test_accounts_offline_refresh (void)
{
  const char *args[] = { "--rate-limit", "100000", NULL };
  g_autoptr(GError) error = NULL;
  PbTestServer *own = pb_test_server_start_demo (args, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(PbStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GtkWidget *view, *window, *logs, *logs_window;
  PbAccountsView *v;
  PbLogsView *lv;
  guint n, n_logs;

  g_assert_no_error (error);
  client = pb_client_new (pb_test_server_get_url (own), pb_test_server_get_admin_key (own, 1));
  pb_client_set_max_retries (client, 0);
  store = pb_store_new (client, secrets, pb_test_server_get_url (own), NULL);
  pb_store_load_async (store, NULL, on_result_cb, &result);
  g_assert_true (pb_store_load_finish (store, wait_result (&result), NULL, &error));
  g_assert_no_error (error);

  view = pb_accounts_view_new (store);
  v = PB_ACCOUNTS_VIEW (view);
  window = show_in_window (view, 800, 600);
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));
  n = g_list_model_get_n_items (pb_accounts_view_get_model (v));
  g_assert_cmpuint (n, >, 0);
  g_assert_null (pb_accounts_view_get_offline_text (v));

  logs = pb_logs_view_new (store);
  lv = PB_LOGS_VIEW (logs);
  logs_window = show_in_window (logs, 800, 600);
  g_assert_true (wait_for (logs_first_page, logs, WAIT_SECONDS));
  spin (300);
  g_assert_true (wait_for (logs_idle, logs, WAIT_SECONDS));
  n_logs = g_list_model_get_n_items (pb_logs_view_get_model (lv));
  g_assert_null (pb_logs_view_get_offline_text (lv));

  pb_test_server_stop (own);

  /* The logs: the pages fetched before, from the replica, marked; no more pages to ask. */
  pb_logs_view_reload (lv);
  g_assert_true (wait_for (logs_idle, logs, WAIT_SECONDS));
  g_assert_cmpstr (pb_logs_view_get_state (lv), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (pb_logs_view_get_model (lv)), ==, n_logs);
  g_assert_false (pb_logs_view_get_has_more (lv));
  g_assert_true (g_str_has_prefix (pb_logs_view_get_offline_text (lv),
                                   "Offline — showing the request logs saved on this computer"));
  gtk_window_destroy (GTK_WINDOW (logs_window));

  pb_accounts_view_reload (v);
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));
  g_assert_cmpstr (pb_accounts_view_get_state (v), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (pb_accounts_view_get_model (v)), ==, n);
  g_assert_nonnull (pb_accounts_view_get_offline_text (v));
  /* (from the store's replica, which kept the pages fetched before) */
  g_assert_true (g_str_has_prefix (pb_accounts_view_get_offline_text (v),
                                   "Offline — showing the linked accounts "));

  /* Other filters: nothing fetched for them, so the unreachable sentence. */
  gtk_drop_down_set_selected (pb_accounts_view_get_status_dropdown (v), 2);
  g_assert_true (wait_for (accounts_error, view, WAIT_SECONDS));
  g_assert_nonnull (strstr (pb_accounts_view_get_error_text (v), "cannot be reached"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Tab reaches every filter and the list; Enter on a row ("list.activate-item", what the
 * row's Enter binding activates) opens its details. */
static gboolean
is_inside (GtkWidget *widget,
           GtkWidget *ancestor)
{
  return widget != NULL && (widget == ancestor || gtk_widget_is_ancestor (widget, ancestor));
}

static void
test_logs_keyboard (void)
{
  GtkWidget *view = pb_logs_view_new (hr_store);
  PbLogsView *v = PB_LOGS_VIEW (view);
  GtkWidget *window = show_in_window (view, 900, 700);
  GtkWidget *targets[] = {
    GTK_WIDGET (pb_logs_view_get_integration_dropdown (v)),
    GTK_WIDGET (pb_logs_view_get_account_entry (v)),
    GTK_WIDGET (pb_logs_view_get_success_dropdown (v)),
    GTK_WIDGET (pb_logs_view_get_status_entry (v)),
    GTK_WIDGET (pb_logs_view_get_start_entry (v)),
    GTK_WIDGET (pb_logs_view_get_end_entry (v)),
    GTK_WIDGET (pb_logs_view_get_list_view (v)),
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
  g_assert_null (pb_logs_view_get_details (v));
  g_assert_true (gtk_widget_activate_action (row, "list.activate-item", "u", 0));
  g_assert_nonnull (pb_logs_view_get_details (v));

  gtk_window_destroy (pb_logs_view_get_details (v));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- unreachable backend, accessibility ------------------------------------------------ */

static gboolean
logs_error (gpointer data)
{
  return g_str_equal (pb_logs_view_get_state (data), "error");
}

static void
test_unreachable (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", pb_test_server_closed_port ());
  g_autoptr(PbClient) client = pb_client_new (url, "no-key");
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(PbStore) store = NULL;
  GtkWidget *accounts, *logs, *window, *box;

  pb_client_set_max_retries (client, 0);
  pb_client_set_timeout (client, 5);
  store = pb_store_new (client, secrets, url, "project");
  accounts = pb_accounts_view_new (store);
  logs = pb_logs_view_new (store);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_vexpand (accounts, TRUE);
  gtk_widget_set_vexpand (logs, TRUE);
  gtk_box_append (GTK_BOX (box), accounts);
  gtk_box_append (GTK_BOX (box), logs);
  window = show_in_window (box, 600, 800);

  /* The offline replica is not there yet (issue 7): the error state says why. */
  g_assert_true (wait_for (accounts_error, accounts, WAIT_SECONDS));
  g_assert_true (wait_for (logs_error, logs, WAIT_SECONDS));
  g_assert_nonnull (strstr (pb_accounts_view_get_error_text (PB_ACCOUNTS_VIEW (accounts)),
                            "cannot be reached"));
  g_assert_nonnull (strstr (pb_logs_view_get_error_text (PB_LOGS_VIEW (logs)),
                            "cannot be reached"));

  /* Retry asks again (and fails again, with the same sentence). */
  gtk_widget_activate_action (logs, "logs.retry", NULL);
  g_assert_cmpstr (pb_logs_view_get_state (PB_LOGS_VIEW (logs)), ==, "loading");
  g_assert_true (wait_for (logs_error, logs, WAIT_SECONDS));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
check_accessible_names (GtkWidget *widget,
                        guint     *n_checked)
{
  gboolean control = GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget)
                     || GTK_IS_DROP_DOWN (widget) || GTK_IS_MENU_BUTTON (widget)
                     || GTK_IS_CALENDAR (widget) || GTK_IS_LIST_VIEW (widget)
                     || (GTK_IS_BUTTON (widget) && gtk_widget_get_parent (widget) != NULL
                         && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget))
                         && !GTK_IS_DROP_DOWN (gtk_widget_get_parent (widget)));

  if (control && gtk_widget_get_visible (widget))
    {
      gboolean named = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                         GTK_ACCESSIBLE_PROPERTY_LABEL)
                       || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                                            GTK_ACCESSIBLE_RELATION_LABELLED_BY)
                       || (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)));
      if (!named)
        g_error ("%s %p has no accessible name", G_OBJECT_TYPE_NAME (widget), widget);
      (*n_checked)++;
    }
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)))
    check_accessible_names (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget))),
                            n_checked);
  /* A drop-down's and a calendar's insides are GTK's. */
  if (GTK_IS_DROP_DOWN (widget) || GTK_IS_CALENDAR (widget))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_accessible_names (child, n_checked);
}

static void
test_accessible_names (void)
{
  GtkWidget *accounts = pb_accounts_view_new (hr_store);
  GtkWidget *logs = pb_logs_view_new (hr_store);
  guint n = 0;

  g_object_ref_sink (accounts);
  g_object_ref_sink (logs);
  check_accessible_names (accounts, &n);
  check_accessible_names (logs, &n);
  /* search, 2 drop-downs, list; integration, account, result, codes, 2 dates, 2 calendars,
   * 2 calendar buttons, list, and the Retry/Clear buttons */
  g_assert_cmpuint (n, >=, 16);
  g_object_unref (accounts);
  g_object_unref (logs);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--rate-limit", "100000", NULL };
  int ret;

  /* Accessible properties are kept where gtk_test_accessible_*() can read them. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  pb_views_ensure_types ();

  server = pb_test_server_start_demo (args, &error);
  g_assert_no_error (error);
  hr_store = make_store (0);
  sandbox_store = make_store (1);

  g_test_add_func ("/views/accounts/integration", test_accounts_integration);
  g_test_add_func ("/views/accounts/filters", test_accounts_filters);
  g_test_add_func ("/views/accounts/sort", test_accounts_sort);
  g_test_add_func ("/views/accounts/offline-refresh", test_accounts_offline_refresh);
  g_test_add_func ("/views/logs/paging", test_logs_paging);
  g_test_add_func ("/views/logs/integration", test_logs_integration);
  g_test_add_func ("/views/logs/filters", test_logs_filters);
  g_test_add_func ("/views/logs/details", test_logs_details);
  g_test_add_func ("/views/logs/cancel", test_logs_cancel);
  g_test_add_func ("/views/logs/keyboard", test_logs_keyboard);
  g_test_add_func ("/views/unreachable", test_unreachable);
  g_test_add_func ("/views/accessible-names", test_accessible_names);

  ret = g_test_run ();

  g_clear_object (&hr_store);
  g_clear_object (&sandbox_store);
  pb_test_server_stop (server);
  return ret;
}
