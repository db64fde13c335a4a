/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include <string.h>

#include "client-tests.h"

/* Tests: list-all over several pages (the next page is asked for while this one is parsed) */

/* Logs up to a minute ago: the seeded ~3,000 (over the last 30 days), without the entries
 * that this test's own requests add meanwhile, so that two listings can be compared. */
static PbQuery *
settled_logs_query (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) before = g_date_time_add_minutes (now, -1);
  g_autofree char *end = g_date_time_format_iso8601 (before);
  PbQuery *query = pb_query_new ();

  pb_query_set (query, "end_date", end);
  return query;
}

void
test_list_all_pages_in_order (void)
{
  g_autoptr(PbClient) client = admin_client ();
  g_autoptr(PbQuery) query = settled_logs_query ();
  g_autoptr(GPtrArray) by_hand = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autofree char *log = NULL;
  guint pages = 0;
  guint n_requests;

  captured_log = g_string_new (NULL);

  /* By hand, one page after another, with the page size list-all uses. */
  do
    {
      g_autoptr(PbPage) page = NULL;

      g_clear_object (&result);
      AWAIT (pb_client_list_logs_async, client, query, PB_CLIENT_MAX_PAGE_SIZE, next, NULL);
      page = pb_client_list_logs_finish (client, result, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->items->len; i++)
        g_ptr_array_add (by_hand, g_strdup (pb_log_entry_get_request_id (page->items->pdata[i])));
      g_free (next);
      next = g_strdup (page->next);
      pages++;
      g_assert_cmpuint (pages, <, 100);
    }
  while (next != NULL);

  /* The demo seeds about 3,000 logs: at least three pages of 1000. */
  g_assert_cmpuint (pages, >=, 3);
  g_assert_cmpuint (by_hand->len, >, 2 * PB_CLIENT_MAX_PAGE_SIZE);

  n_requests = pb_client_get_n_requests (client);
  g_clear_object (&result);
  AWAIT (pb_client_list_all_logs_async, client, query, NULL);
  all = pb_client_list_all_logs_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (all);

  /* Every item once, in the server's order. */
  log = g_string_free (g_steal_pointer (&captured_log), FALSE);
  g_assert_cmpuint (all->len, ==, by_hand->len);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpstr (pb_log_entry_get_request_id (all->pdata[i]), ==, by_hand->pdata[i]);

  /* The following pages were asked for before their previous one was parsed (each page is
   * large enough to be parsed in a worker thread), and none was asked for in vain. */
  g_assert_nonnull (strstr (log, "asking for the next page before this one is parsed"));
  g_assert_nonnull (strstr (log, "in a worker thread"));
  g_assert_null (strstr (log, "is not the next one"));
  g_assert_cmpuint (pb_client_get_n_requests (client) - n_requests, ==, pages);
}

typedef struct
{
  guint         n_calls;
  GAsyncResult *result;
} Counted;

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Counted *counted = user_data;

  counted->n_calls++;
  g_set_object (&counted->result, result);
}

static gboolean
next_page_asked_early (gpointer data)
{
  Counted *counted = data;

  return counted->n_calls > 0
         || strstr (captured_log->str,
                    "asking for the next page before this one is parsed") != NULL;
}

static gboolean
called (gpointer data)
{
  return ((Counted *) data)->n_calls > 0;
}

static gboolean
both_freed (gpointer data)
{
  gpointer *weak = data;

  return weak[0] == NULL && weak[1] == NULL;
}

/* Cancelled while the first page is parsed and the second one is already asked for: the list
 * reports CANCELLED once, and every request, thread and reference ends (the client is freed
 * soon after the caller drops it). */
void
test_list_all_cancel_midway (void)
{
  PbClient *client = admin_client ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PbQuery) query = settled_logs_query ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gpointer weak[2] = { client, cancellable };
  Counted counted = { 0 };

  captured_log = g_string_new (NULL);

  g_object_add_weak_pointer (G_OBJECT (client), &weak[0]);
  g_object_add_weak_pointer (G_OBJECT (cancellable), &weak[1]);

  pb_client_list_all_logs_async (client, query, cancellable, on_counted, &counted);
  pb_test_wait_until (next_page_asked_early, &counted, PB_TEST_TIMEOUT_MS);
  g_string_free (g_steal_pointer (&captured_log), TRUE);
  g_assert_cmpuint (counted.n_calls, ==, 0);
  g_cancellable_cancel (cancellable);

  pb_test_wait_until (called, &counted, PB_TEST_TIMEOUT_MS);

  items = pb_client_list_all_logs_finish (client, counted.result, &error);
  g_assert_null (items);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&counted.result);

  /* Nothing outlives the call: no second callback, no request, no thread. */
  g_object_unref (client);
  g_clear_object (&cancellable);
  pb_test_wait_until (both_freed, weak, 5000);
  g_assert_null (weak[0]);
  g_assert_null (weak[1]);
  g_assert_cmpuint (counted.n_calls, ==, 1);
}
