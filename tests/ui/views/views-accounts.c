/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-views"

#include "config.h"

#include <string.h>

#include "views-fixture.h"

/* The accounts view: one integration's accounts, the filters and the sort, and a refresh
 * with the backend gone. */

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
  items = pb_client_list_all_accounts_finish (pb_store_get_client (store), wait_result (&result), &error);
  g_assert_no_error (error);
  return items;
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

typedef struct
{
  PbAccountsView *view;
  PbAccountStatus status;
} StatusWait;

static gboolean
accounts_all_in_status (gpointer data)
{
  StatusWait *wait = data;
  GListModel *model = G_LIST_MODEL (PB_ACCOUNTS_VIEW (wait->view)->sorted);
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

  collect_rows (GTK_WIDGET (pb_paged_view_get_list_view (PB_PAGED_VIEW (data))), PB_TYPE_ACCOUNT_ROW, rows);
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
  collect_rows (GTK_WIDGET (pb_paged_view_get_list_view (PB_PAGED_VIEW (view))), PB_TYPE_ACCOUNT_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      PbLinkedAccount *account = pb_account_row_get_account (rows->pdata[i]);
      const char *expected[] = { "Active", "Inactive", "Error", "Suspended", "Expired" };

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
  g_assert_true (pb_store_apply_finish (store, wait_result (&result), NULL, &error));
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

void
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

  pb_paged_view_set_integration_id (PB_PAGED_VIEW (PB_ACCOUNTS_VIEW (view)), integration ? pb_integration_get_id (integration) : NULL);
  g_assert_cmpstr (pb_paged_view_get_integration_id (PB_PAGED_VIEW (PB_ACCOUNTS_VIEW (view))), ==, id);
  g_assert_cmpstr (pb_paged_view_get_title (PB_PAGED_VIEW (PB_ACCOUNTS_VIEW (view))), ==, "Linked Accounts");
  g_assert_nonnull (strstr (pb_paged_view_get_subtitle (PB_PAGED_VIEW (PB_ACCOUNTS_VIEW (view))),
                            pb_integration_get_name (integration)));
  window = show_in_window (view, 800, 700);
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));

  pb_query_set (query, "integration_id", id);
  expected = walk_accounts (hr_store, query);
  g_assert_cmpuint (expected->len, ==, pb_integration_get_accounts_total (integration));
  model = G_LIST_MODEL (PB_ACCOUNTS_VIEW (PB_ACCOUNTS_VIEW (view))->sorted);
  g_assert_cmpint (pb_paged_view_get_state (PB_PAGED_VIEW (PB_ACCOUNTS_VIEW (view))), ==, PB_PAGED_VIEW_STATE_LIST);
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

    collect_rows (GTK_WIDGET (pb_paged_view_get_list_view (PB_PAGED_VIEW (PB_ACCOUNTS_VIEW (view)))),
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
  gtk_editable_set_text (GTK_EDITABLE (PB_ACCOUNTS_VIEW (view)->search_entry), text);
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

void
test_accounts_filters (void)
{
  GtkWidget *view = pb_accounts_view_new (hr_store);
  PbAccountsView *v = PB_ACCOUNTS_VIEW (view);
  GtkWidget *window;
  g_autoptr(PbQuery) all = pb_query_new ();
  g_autoptr(GPtrArray) everything = NULL;
  /* The drop-down's order: what is off by the admin's or the integration's choice, then what
   * needs fixing. */
  const char *statuses[] = { NULL, "active", "inactive", "suspended", "error", "expired" };
  g_autofree char *fragment = NULL;
  GListModel *model = G_LIST_MODEL (PB_ACCOUNTS_VIEW (v)->sorted);

  /* Small pages: the whole list is put together from several, without duplicates or gaps. */
  pb_paged_view_set_page_size (PB_PAGED_VIEW (v), 7);
  window = show_in_window (view, 800, 700);
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));
  g_assert_cmpstr (pb_paged_view_get_subtitle (PB_PAGED_VIEW (v)), ==, "All integrations");
  everything = walk_accounts (hr_store, all);
  g_assert_cmpuint (everything->len, >, 20);
  assert_same_accounts (model, everything);

  for (guint s = 1; s < G_N_ELEMENTS (statuses); s++)
    {
      g_autoptr(PbQuery) query = pb_query_new ();
      g_autoptr(GPtrArray) expected = NULL;

      gtk_drop_down_set_selected (PB_ACCOUNTS_VIEW (v)->status_dropdown, s);
      g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));
      pb_query_set (query, "status", statuses[s]);
      expected = walk_accounts (hr_store, query);
      assert_same_accounts (model, expected);
      g_assert_cmpint (pb_paged_view_get_state (PB_PAGED_VIEW (v)), ==,
                       expected->len ? PB_PAGED_VIEW_STATE_LIST : PB_PAGED_VIEW_STATE_EMPTY);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(PbLinkedAccount) account = g_list_model_get_item (model, i);
          g_assert_cmpstr (pb_account_status_to_string (pb_linked_account_get_status (account)),
                           ==, statuses[s]);
        }
    }
  gtk_drop_down_set_selected (PB_ACCOUNTS_VIEW (v)->status_dropdown, 0);
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
  g_assert_cmpint (pb_paged_view_get_state (PB_PAGED_VIEW (v)), ==, PB_PAGED_VIEW_STATE_EMPTY);

  set_search_and_wait (v, "");
  assert_same_accounts (model, everything);

  gtk_window_destroy (GTK_WINDOW (window));
}

void
test_accounts_sort (void)
{
  GtkWidget *view = pb_accounts_view_new (hr_store);
  PbAccountsView *v = PB_ACCOUNTS_VIEW (view);
  GtkWidget *window = show_in_window (view, 800, 700);
  GListModel *model = G_LIST_MODEL (PB_ACCOUNTS_VIEW (v)->sorted);
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
  gtk_drop_down_set_selected (PB_ACCOUNTS_VIEW (v)->sort_dropdown, 1);
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
  gtk_drop_down_set_selected (PB_ACCOUNTS_VIEW (v)->sort_dropdown, 2);
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

/* The backend goes away while the list is shown: a refresh shows what was fetched before,
 * marked as such, rather than an error page; a list never fetched (other filters) says that
 * the backend cannot be reached. */
void
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
  g_assert_true (pb_store_load_finish (store, wait_result (&result), &error));
  g_assert_no_error (error);

  view = pb_accounts_view_new (store);
  v = PB_ACCOUNTS_VIEW (view);
  window = show_in_window (view, 800, 600);
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));
  n = g_list_model_get_n_items (G_LIST_MODEL (PB_ACCOUNTS_VIEW (v)->sorted));
  g_assert_cmpuint (n, >, 0);
  g_assert_null (pb_paged_view_get_offline_text (PB_PAGED_VIEW (v)));

  logs = pb_logs_view_new (store);
  lv = PB_LOGS_VIEW (logs);
  logs_window = show_in_window (logs, 800, 600);
  g_assert_true (wait_for (logs_first_page, logs, WAIT_SECONDS));
  spin (300);
  g_assert_true (wait_for (logs_idle, logs, WAIT_SECONDS));
  n_logs = g_list_model_get_n_items (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (lv))));
  g_assert_null (pb_paged_view_get_offline_text (PB_PAGED_VIEW (lv)));

  pb_test_server_stop (own);

  /* The logs: the pages fetched before, from the replica, marked; no more pages to ask. */
  pb_paged_view_reload (PB_PAGED_VIEW (lv));
  g_assert_true (wait_for (logs_idle, logs, WAIT_SECONDS));
  g_assert_cmpint (pb_paged_view_get_state (PB_PAGED_VIEW (lv)), ==, PB_PAGED_VIEW_STATE_LIST);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (lv)))), ==, n_logs);
  g_assert_false (pb_paged_view_get_has_more (PB_PAGED_VIEW (lv)));
  g_assert_true (g_str_has_prefix (pb_paged_view_get_offline_text (PB_PAGED_VIEW (lv)),
                                   "Offline — showing the request logs saved on this computer"));
  gtk_window_destroy (GTK_WINDOW (logs_window));

  pb_paged_view_reload (PB_PAGED_VIEW (v));
  g_assert_true (wait_for (accounts_settled, view, WAIT_SECONDS));
  g_assert_cmpint (pb_paged_view_get_state (PB_PAGED_VIEW (v)), ==, PB_PAGED_VIEW_STATE_LIST);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (PB_ACCOUNTS_VIEW (v)->sorted)), ==, n);
  g_assert_nonnull (pb_paged_view_get_offline_text (PB_PAGED_VIEW (v)));
  /* (from the store's replica, which kept the pages fetched before) */
  g_assert_true (g_str_has_prefix (pb_paged_view_get_offline_text (PB_PAGED_VIEW (v)),
                                   "Offline — showing the linked accounts "));

  /* Other filters: nothing fetched for them, so the unreachable sentence. */
  gtk_drop_down_set_selected (PB_ACCOUNTS_VIEW (v)->status_dropdown, 2);
  g_assert_true (wait_for (accounts_error, view, WAIT_SECONDS));
  g_assert_nonnull (strstr (pb_paged_view_get_error_text (PB_PAGED_VIEW (v)), "cannot be reached"));

  gtk_window_destroy (GTK_WINDOW (window));
}
