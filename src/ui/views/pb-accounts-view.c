/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-accounts-view"

#include "config.h"

#include "pb-accounts-view-private.h"

#include <glib/gi18n.h>

#include "pb-account-row.h"
#include "pb-views-util.h"

#define REFRESH_DELAY_MS 150
#define DEFAULT_PAGE_SIZE 100
/* More than a window shows; each of them gets a row, measured before the first frame. */
#define FIRST_PAGE_SIZE 25

#define TEMPLATE "/io/github/plugboard/Plugboard/views/pb-accounts-view.ui"

G_DEFINE_FINAL_TYPE (PbAccountsView, pb_accounts_view, PB_TYPE_PAGED_VIEW)

enum {
  SIGNAL_VIEW_LOGS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- PbPagedView ------------------------------------------------------------------------ */

static void
pb_accounts_view_apply_filters (PbPagedView *view)
{
  pb_paged_view_show_filter (view, pb_accounts_build_filter (PB_ACCOUNTS_VIEW (view)),
                             PB_PAGED_VIEW_LOAD_IF_CHANGED);
}

/* The list shown stays until the new one is there (or the backend is out of reach). */
static void
pb_accounts_view_reload (PbPagedView *view)
{
  pb_paged_view_show_filter (view, pb_accounts_build_filter (PB_ACCOUNTS_VIEW (view)),
                             PB_PAGED_VIEW_LOAD_REFRESH);
}

static gboolean
load_next_tick_cb (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  PB_ACCOUNTS_VIEW (widget)->load_tick = 0;
  pb_paged_view_load_next (PB_PAGED_VIEW (widget));
  return G_SOURCE_REMOVE;
}

/* Every page is loaded (the list is sorted here), each after the previous one was painted;
 * a page that arrives is merged into the sorted list, the rows around it left as they are. */
static void
pb_accounts_view_more_wanted (PbPagedView *view)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (view);

  if (self->load_tick == 0)
    self->load_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), load_next_tick_cb, NULL,
                                                    NULL);
}

static void
pb_accounts_view_show_model (PbPagedView *view,
                             GListModel  *model)
{
  pb_sorted_pages_set_model (PB_ACCOUNTS_VIEW (view)->sorted, model);
}

static void
pb_accounts_view_describe_empty (PbPagedView  *view,
                                 const char  **title,
                                 const char  **description,
                                 gboolean     *clearable)
{
  gboolean filtered = pb_accounts_has_filters (PB_ACCOUNTS_VIEW (view));

  *title = filtered ? _("No Matching Accounts") : _("No Linked Accounts");
  *description = filtered
                 ? _("No linked account matches these filters.")
                 : _("Accounts appear here once a customer connects through a connect "
                     "session.");
  *clearable = filtered;
}

static char *
pb_accounts_view_offline_text (PbPagedView *view,
                               gboolean     stale,
                               GDateTime   *when)
{
  g_autofree char *time = when ? pb_views_format_time (when) : NULL;

  if (stale)
    return time
      /* TRANSLATORS: %s is a time from pb_views_format_time() */
      ? g_strdup_printf (_("Offline — showing the linked accounts fetched %s"), time)
      : g_strdup (_("Offline — showing the linked accounts fetched before"));
  return time
    /* TRANSLATORS: %s is a time from pb_views_format_time() */
    ? g_strdup_printf (_("Offline — showing the linked accounts saved on this computer "
                         "(last refresh: %s)"), time)
    : g_strdup (_("Offline — showing the linked accounts saved on this computer"));
}

static void
pb_accounts_view_integration_changed (PbPagedView *view)
{
  pb_accounts_update_titles (PB_ACCOUNTS_VIEW (view));
  /* Before the first map the list is made in map(); afterwards, now. */
  if (pb_paged_view_get_model (view) != NULL)
    pb_accounts_view_apply_filters (view);
}

/* ---- list rows ------------------------------------------------------------------------- */

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  gtk_list_item_set_child (item, pb_account_row_new ());
  gtk_list_item_set_activatable (item, FALSE);
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    PbAccountsView           *self)
{
  PbStore *store = pb_paged_view_get_store (PB_PAGED_VIEW (self));
  PbLinkedAccount *account = gtk_list_item_get_item (item);
  PbAccountRow *row = PB_ACCOUNT_ROW (gtk_list_item_get_child (item));
  PbIntegration *integration = NULL;
  PbAuthType *auth_type = NULL;
  PbOperationKind kind = PB_OPERATION_SUSPEND_ACCOUNT;
  gboolean pending = FALSE;

  if (store != NULL)
    {
      PbProject *project = pb_store_get_project (store);

      integration = pb_store_find_integration (store,
                                               pb_linked_account_get_integration_id (account),
                                               NULL);
      pending = pb_store_find_account_change (store, pb_linked_account_get_id (account), &kind);
      pb_account_row_set_read_only (row, project == NULL || pb_project_is_read_only (project));
    }
  if (store != NULL && integration != NULL)
    {
      PbConnector *connector =
        pb_store_find_connector (store, pb_integration_get_connector_key (integration));

      if (connector != NULL)
        auth_type = pb_connector_find_auth_type (connector,
                                                 pb_integration_get_auth_type_key (integration));
    }
  pb_account_row_set_pending (row, pending, kind);
  pb_account_row_set_account (row, account,
                              integration ? pb_integration_get_name (integration) : NULL,
                              auth_type);
}

static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  pb_account_row_set_account (PB_ACCOUNT_ROW (gtk_list_item_get_child (item)), NULL, NULL,
                              NULL);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  PbAccountsView *self = user_data;

  self->refresh_timeout = 0;
  pb_accounts_update_titles (self);
  pb_accounts_view_reload (PB_PAGED_VIEW (self));
  return G_SOURCE_REMOVE;
}

void
pb_accounts_view_schedule_refresh (PbAccountsView *self)
{
  g_clear_handle_id (&self->refresh_timeout, g_source_remove);
  self->refresh_timeout = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

/* An integration changed (enabled, disabled, renamed, deleted): its accounts may have too.
 * So may they when the queue changed (a change to an account queued, or sent). */
static void
on_integrations_changed_cb (PbAccountsView *self)
{
  pb_accounts_view_schedule_refresh (self);
}

/* A viewer's key links nothing (the rows' menus follow it too). */
static void
update_link_action (PbAccountsView *self)
{
  PbStore *store = pb_paged_view_get_store (PB_PAGED_VIEW (self));
  PbProject *project = store != NULL ? pb_store_get_project (store) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "accounts.link",
                                 project != NULL && !pb_project_is_read_only (project));
}

static void
on_applied_cb (PbStore        *store,
               PbOperation    *operation,
               PbIntegration  *answer,
               PbAccountsView *self)
{
  if (pb_operation_kind_is_account (pb_operation_get_kind (operation)))
    pb_accounts_view_schedule_refresh (self);
}

static void
view_logs_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);
  const char *account_id = g_variant_get_string (parameter, NULL);
  GListModel *model = G_LIST_MODEL (self->sorted);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLinkedAccount) account = g_list_model_get_item (model, i);

      if (g_strcmp0 (pb_linked_account_get_id (account), account_id) == 0)
        {
          g_signal_emit (self, signals[SIGNAL_VIEW_LOGS], 0, account_id,
                         pb_linked_account_get_integration_id (account));
          return;
        }
    }
}

/* ---- GObject --------------------------------------------------------------------------- */

static void
pb_accounts_view_constructed (GObject *object)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (object);
  PbStore *store;

  G_OBJECT_CLASS (pb_accounts_view_parent_class)->constructed (object);

  store = pb_paged_view_get_store (PB_PAGED_VIEW (self));
  if (store != NULL)
    {
      g_signal_connect_object (pb_store_get_integrations (store), "items-changed",
                               G_CALLBACK (on_integrations_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "notify::n-pending",
                               G_CALLBACK (on_integrations_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "applied", G_CALLBACK (on_applied_cb), self, 0);
      g_signal_connect_object (store, "notify::project", G_CALLBACK (update_link_action), self,
                               G_CONNECT_SWAPPED);
    }
  update_link_action (self);
  pb_accounts_update_titles (self);
}

static void
pb_accounts_view_dispose (GObject *object)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (object);

  g_clear_handle_id (&self->refresh_timeout, g_source_remove);
  if (self->load_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->load_tick);
      self->load_tick = 0;
    }

  G_OBJECT_CLASS (pb_accounts_view_parent_class)->dispose (object);

  g_clear_object (&self->sorted);
}

static void
pb_accounts_view_class_init (PbAccountsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PbPagedViewClass *view_class = PB_PAGED_VIEW_CLASS (klass);

  object_class->constructed = pb_accounts_view_constructed;
  object_class->dispose = pb_accounts_view_dispose;

  view_class->kind = PB_PAGED_MODEL_ACCOUNTS;
  view_class->loads_every_page = TRUE;
  view_class->first_page_size = FIRST_PAGE_SIZE;
  view_class->more_wanted = pb_accounts_view_more_wanted;
  view_class->apply_filters = pb_accounts_view_apply_filters;
  view_class->reload = pb_accounts_view_reload;
  view_class->show_model = pb_accounts_view_show_model;
  view_class->describe_empty = pb_accounts_view_describe_empty;
  view_class->clear_filters = pb_accounts_clear_filters;
  view_class->offline_text = pb_accounts_view_offline_text;
  view_class->integration_changed = pb_accounts_view_integration_changed;

  /**
   * PbAccountsView::view-logs:
   * @account_id: the account whose logs the admin asked for
   * @integration_id: (nullable): its integration
   *
   * The "View request logs" button of an account's row.
   */
  signals[SIGNAL_VIEW_LOGS] =
    g_signal_new ("view-logs", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, TEMPLATE);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, sort_dropdown);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_search_changed_cb",
                                                G_CALLBACK (pb_accounts_on_search_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_status_selected_cb",
                                                G_CALLBACK (pb_accounts_on_status_selected_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_sort_selected_cb",
                                                G_CALLBACK (pb_accounts_on_sort_selected_cb));

  gtk_widget_class_install_action (widget_class, "accounts.view-logs", "s", view_logs_action);
  pb_accounts_actions_class_init (widget_class);
}

static void
pb_accounts_view_init (PbAccountsView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkListView *list_view = pb_paged_view_get_list_view (PB_PAGED_VIEW (self));
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  pb_paged_view_set_page_size (PB_PAGED_VIEW (self), DEFAULT_PAGE_SIZE);

  self->sorted = pb_sorted_pages_new (pb_accounts_compare_accounts, self);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));

  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind_cb), self);
  gtk_list_view_set_factory (list_view, factory);
  gtk_list_view_set_model (list_view, GTK_SELECTION_MODEL (selection));

  gtk_accessible_update_property (GTK_ACCESSIBLE (list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Linked accounts"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Linked accounts"), -1);
}

GtkWidget *
pb_accounts_view_new (PbStore *store)
{
  g_return_val_if_fail (PB_IS_STORE (store), NULL);
  return g_object_new (PB_TYPE_ACCOUNTS_VIEW, "store", store, NULL);
}
