/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-views"

#include "config.h"

#include "views-fixture.h"

PbTestServer *server;
PbStore *hr_store;        /* "Acme HR": 3000 seeded logs */
PbStore *sandbox_store;   /* "Acme Sandbox": 600 seeded logs */

/* ---- helpers --------------------------------------------------------------------------- */

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;
  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
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

void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
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

GAsyncResult *
wait_result (GAsyncResult **result)
{
  g_assert_true (wait_for (result_arrived, result, 60));
  return *result;
}

PbStore *
make_store (guint project)
{
  g_autoptr(PbClient) client = pb_client_new (pb_test_server_get_url (server),
                                              pb_test_server_get_admin_key (server, project));
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(PbStore) store = pb_store_new (client, secrets, pb_test_server_get_url (server), NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pb_store_load_async (store, NULL, on_result_cb, &result);
  g_assert_true (pb_store_load_finish (store, wait_result (&result), &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

GtkWidget *
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

PbIntegration *
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

void
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

gboolean
accounts_settled (gpointer data)
{
  PbAccountsView *view = data;

  return !pb_paged_view_get_loading (PB_PAGED_VIEW (view))
         && !pb_paged_view_get_has_more (PB_PAGED_VIEW (view))
         && pb_paged_view_get_state (PB_PAGED_VIEW (view)) != PB_PAGED_VIEW_STATE_LOADING;
}

gboolean
accounts_error (gpointer data)
{
  return pb_paged_view_get_state (PB_PAGED_VIEW (data)) == PB_PAGED_VIEW_STATE_ERROR;
}

/* ---- logs ------------------------------------------------------------------------------ */

gboolean
logs_idle (gpointer data)
{
  PbLogsView *view = data;

  return !pb_paged_view_get_loading (PB_PAGED_VIEW (view))
         && pb_paged_view_get_state (PB_PAGED_VIEW (view)) != PB_PAGED_VIEW_STATE_LOADING;
}

gboolean
logs_first_page (gpointer data)
{
  PbLogsView *view = data;
  GListModel *model = G_LIST_MODEL (pb_paged_view_get_model (PB_PAGED_VIEW (view)));

  return logs_idle (view) && model != NULL && g_list_model_get_n_items (model) > 0;
}
