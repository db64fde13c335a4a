/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-accounts-view"

#include "config.h"

#include "pb-accounts-view-private.h"

#include <glib/gi18n.h>

#include "pb-account-row.h"
#include "pb-views-list.h"
#include "pb-views-util.h"

#define REFRESH_DELAY_MS 150
#define DEFAULT_PAGE_SIZE 100

#define TEMPLATE "/io/github/plugboard/Plugboard/views/pb-accounts-view.ui"

G_DEFINE_FINAL_TYPE (PbAccountsView, pb_accounts_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_INTEGRATION_ID,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_STATE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_VIEW_LOGS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const query_keys[] = { "integration_id", "status", "q", NULL };

static void load_next (PbAccountsView *self);
static void show_new_list (PbAccountsView *self);

/* ---- state ----------------------------------------------------------------------------- */

static void
update_state (PbAccountsView *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  gboolean loading = pb_views_list_loading (self->model);
  gboolean has_more = pb_views_list_has_more (self->model);
  const char *state = pb_views_list_state (self->model, self->error_text);

  if (g_str_equal (state, "loading") && self->refreshing && self->state != NULL)
    state = self->state;

  if (g_strcmp0 (state, "empty") == 0)
    {
      gboolean filtered = pb_accounts_has_filters (self);
      adw_status_page_set_title (self->empty_page, filtered ? _("No Matching Accounts")
                                                            : _("No Linked Accounts"));
      adw_status_page_set_description (self->empty_page,
                                       filtered
                                       ? _("No linked account matches these filters.")
                                       : _("Accounts appear here once a customer connects "
                                           "through a connect session."));
      gtk_widget_set_visible (self->clear_button, filtered);
    }

  pb_views_list_show_state (self->stack, self->error_page, state, self->error_text,
                            self->error_icon);
  if (g_strcmp0 (self->state, state) != 0)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  /* The footer: more pages on their way, or a later page that failed. */
  pb_views_list_update_footer (self->footer_revealer, self->footer_spinner, self->footer_label,
                               self->footer_retry,
                               n > 0 && (loading || has_more || self->error_text != NULL),
                               n > 0 && self->error_text == NULL,
                               self->error_text, _("Loading more accounts…"));
}

static void
on_model_loading_notify_cb (PbAccountsView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  update_state (self);
}

/* ---- offline ------------------------------------------------------------------------- */

/* A list served from the store's replica (the backend could not be reached) says so, and so does
 * a list kept on screen because a refresh could not reach the backend. */
static void
update_offline (PbAccountsView *self)
{
  gboolean offline = self->model != NULL && pb_paged_model_get_from_cache (self->model);
  GDateTime *refreshed = self->store ? pb_store_get_last_refresh (self->store) : NULL;

  if (!offline && self->stale)
    {
      g_autofree char *when = self->fetched_at ? pb_views_format_time (self->fetched_at) : NULL;
      g_autofree char *text = when
        /* TRANSLATORS: %s is a time from pb_views_format_time() */
        ? g_strdup_printf (_("Offline — showing the linked accounts fetched %s"), when)
        : g_strdup (_("Offline — showing the linked accounts fetched before"));
      gtk_label_set_label (self->offline_label, text);
      gtk_revealer_set_reveal_child (self->offline_revealer, TRUE);
      return;
    }
  if (offline)
    {
      g_autofree char *when = refreshed ? pb_views_format_time (refreshed) : NULL;
      g_autofree char *text = when
        /* TRANSLATORS: %s is a time from pb_views_format_time() */
        ? g_strdup_printf (_("Offline — showing the linked accounts saved on this computer "
                             "(last refresh: %s)"), when)
        : g_strdup (_("Offline — showing the linked accounts saved on this computer"));
      gtk_label_set_label (self->offline_label, text);
    }
  gtk_revealer_set_reveal_child (self->offline_revealer, offline);
}

static void
connect_model (PbAccountsView *self)
{
  pb_views_list_connect_model (self->model, self, G_CALLBACK (on_model_loading_notify_cb),
                               G_CALLBACK (update_offline));
}

/* ---- loading --------------------------------------------------------------------------- */

static void
on_page_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PbAccountsView) self = NULL;
  g_autoptr(PbPagedModel) model = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  if (!pb_views_list_load_finish (user_data, result, (gpointer *) &self, &model, &failure, &error))
    {
      g_debug ("Page failed: %s (current list: %d)", error->message, model == self->model);
      if (model != self->model)
        return;
      if (pb_views_list_interrupted (error))
        {
          /* Left the view meanwhile, or came back before the old request ended. */
          if (gtk_widget_get_mapped (GTK_WIDGET (self)))
            load_next (self);
          update_state (self);
          return;
        }
      g_debug ("Could not load accounts: %s", error->message);
      if (self->refreshing && pb_api_error_is_unreachable (error))
        {
          /* Out of reach during a refresh: keep the list fetched before, marked as such,
           * rather than trading it for an error page. */
          g_signal_handlers_disconnect_by_data (self->model, self);
          g_set_object (&self->model,
                        PB_PAGED_MODEL (gtk_sort_list_model_get_model (self->sorted)));
          connect_model (self);
          self->refreshing = FALSE;
          self->stale = TRUE;
          update_offline (self);
          update_state (self);
          return;
        }
      self->refreshing = FALSE;
      show_new_list (self);
      pb_views_list_set_error (&self->error_text, &self->error_icon, error, failure);
      update_state (self);
      return;
    }

  if (model != self->model)
    return;

  self->refreshing = FALSE;
  show_new_list (self);
  /* Accounts are sorted here, so every page is fetched, one after the other. */
  load_next (self);
  if (!pb_paged_model_get_has_more (self->model))
    {
      g_clear_pointer (&self->fetched_at, g_date_time_unref);
      self->fetched_at = g_date_time_new_now_local ();
      self->stale = FALSE;
      update_offline (self);
    }
  update_state (self);
}

static void
load_next (PbAccountsView *self)
{
  pb_views_list_load_next (GTK_WIDGET (self), self->model, self->error_text, &self->cancellable,
                           on_page_loaded_cb);
}

/* @keep_page: a refresh of the same list (show the old one until the new one is there);
 * otherwise a new list, unless the filters are the same as those of the list shown. */
void
pb_accounts_start (PbAccountsView *self,
       gboolean        keep_page,
       gboolean        force)
{
  g_autoptr(PbQuery) query = NULL;

  if (self->store == NULL)
    return;

  query = pb_accounts_build_query (self);
  if (!force && !keep_page && self->model != NULL && self->error_text == NULL
      && pb_views_query_equal (query, pb_paged_model_get_query (self->model), query_keys))
    return;

  pb_views_list_drop_model (self, &self->model, &self->cancellable, &self->error_text);

  g_debug ("Loading accounts (%s)", keep_page ? "refresh" : "new list");
  self->model = pb_store_create_accounts_model (self->store, query, self->page_size);
  connect_model (self);
  self->refreshing = keep_page && g_strcmp0 (self->state, "list") == 0;
  if (!self->refreshing)
    gtk_sort_list_model_set_model (self->sorted, G_LIST_MODEL (self->model));

  load_next (self);
  update_state (self);
}

/* When refreshing, the old list stays until the new one has its first page. */
static void
show_new_list (PbAccountsView *self)
{
  if (self->model != NULL
      && gtk_sort_list_model_get_model (self->sorted) != G_LIST_MODEL (self->model))
    gtk_sort_list_model_set_model (self->sorted, G_LIST_MODEL (self->model));
}

void
pb_accounts_view_reload (PbAccountsView *self)
{
  g_return_if_fail (PB_IS_ACCOUNTS_VIEW (self));
  /* The list shown stays until the new one is there (or the backend is out of reach). */
  pb_accounts_start (self, TRUE, TRUE);
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
  PbLinkedAccount *account = gtk_list_item_get_item (item);
  PbIntegration *integration = NULL;

  if (self->store != NULL)
    integration = pb_store_find_integration (self->store,
                                             pb_linked_account_get_integration_id (account),
                                             NULL);
  pb_account_row_set_account (PB_ACCOUNT_ROW (gtk_list_item_get_child (item)), account,
                              integration ? pb_integration_get_name (integration) : NULL);
}

static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  pb_account_row_set_account (PB_ACCOUNT_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  PbAccountsView *self = user_data;

  self->refresh_timeout = 0;
  pb_accounts_update_titles (self);
  pb_accounts_start (self, TRUE, TRUE);
  return G_SOURCE_REMOVE;
}

/* An integration changed (enabled, disabled, renamed, deleted): its accounts may have too. */
static void
on_integrations_changed_cb (PbAccountsView *self)
{
  g_clear_handle_id (&self->refresh_timeout, g_source_remove);
  self->refresh_timeout = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

/* After a failure: ask again for the page that failed, keeping what is loaded. */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);

  if (!pb_views_list_retry_in_place (self->model, &self->error_text))
    {
      pb_accounts_view_reload (self);
      return;
    }
  load_next (self);
  update_state (self);
}

static void
view_logs_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);
  const char *account_id = g_variant_get_string (parameter, NULL);
  const char *integration_id = NULL;
  GListModel *model = G_LIST_MODEL (self->sorted);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLinkedAccount) account = g_list_model_get_item (model, i);

      if (g_strcmp0 (pb_linked_account_get_id (account), account_id) == 0)
        {
          integration_id = pb_linked_account_get_integration_id (account);
          g_signal_emit (self, signals[SIGNAL_VIEW_LOGS], 0, account_id, integration_id);
          return;
        }
    }
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  pb_accounts_view_reload (PB_ACCOUNTS_VIEW (widget));
}

/* ---- GObject / GtkWidget --------------------------------------------------------------- */

static void
pb_accounts_view_map (GtkWidget *widget)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);

  GTK_WIDGET_CLASS (pb_accounts_view_parent_class)->map (widget);
  if (self->model == NULL)
    pb_accounts_start (self, FALSE, FALSE);
  else
    load_next (self);
  update_state (self);
}

static void
pb_accounts_view_unmap (GtkWidget *widget)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (widget);

  /* Nobody looks: stop fetching. map() picks up where this stopped. */
  g_cancellable_cancel (self->cancellable);
  GTK_WIDGET_CLASS (pb_accounts_view_parent_class)->unmap (widget);
}

static void
pb_accounts_view_constructed (GObject *object)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (object);

  G_OBJECT_CLASS (pb_accounts_view_parent_class)->constructed (object);

  if (self->store != NULL)
    self->integrations_handler =
      g_signal_connect_object (pb_store_get_integrations (self->store), "items-changed",
                               G_CALLBACK (on_integrations_changed_cb), self, G_CONNECT_SWAPPED);
  pb_accounts_update_titles (self);
}

static void
pb_accounts_view_dispose (GObject *object)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_timeout, g_source_remove);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  pb_views_list_dispose_template (GTK_WIDGET (self), PB_TYPE_ACCOUNTS_VIEW);
  g_clear_object (&self->sorted);

  G_OBJECT_CLASS (pb_accounts_view_parent_class)->dispose (object);
}

static void
pb_accounts_view_finalize (GObject *object)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (object);

  g_clear_object (&self->store);
  g_free (self->integration_id);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->error_text);
  g_clear_pointer (&self->fetched_at, g_date_time_unref);

  G_OBJECT_CLASS (pb_accounts_view_parent_class)->finalize (object);
}

static void
pb_accounts_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_INTEGRATION_ID:
      g_value_set_string (value, self->integration_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_STATE:
      g_value_set_string (value, pb_accounts_view_get_state (self));
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, pb_accounts_view_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_accounts_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_INTEGRATION_ID:
      pb_accounts_view_set_integration_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_accounts_view_class_init (PbAccountsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pb_accounts_view_constructed;
  object_class->dispose = pb_accounts_view_dispose;
  object_class->finalize = pb_accounts_view_finalize;
  object_class->get_property = pb_accounts_view_get_property;
  object_class->set_property = pb_accounts_view_set_property;
  widget_class->map = pb_accounts_view_map;
  widget_class->unmap = pb_accounts_view_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTEGRATION_ID] =
    g_param_spec_string ("integration-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, TEMPLATE);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, offline_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, stack);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, error_page);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, clear_button);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, footer_revealer);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, footer_spinner);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, footer_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountsView, footer_retry);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_search_changed_cb",
                                                G_CALLBACK (pb_accounts_on_search_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_status_selected_cb",
                                                G_CALLBACK (pb_accounts_on_status_selected_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_sort_selected_cb",
                                                G_CALLBACK (pb_accounts_on_sort_selected_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_clear_clicked_cb",
                                                G_CALLBACK (pb_accounts_on_clear_clicked_cb));

  gtk_widget_class_install_action (widget_class, "accounts.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "accounts.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "accounts.view-logs", "s", view_logs_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "accounts.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "accounts.reload", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pb_accounts_view_init (PbAccountsView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->title = g_strdup (_("Linked Accounts"));
  self->page_size = DEFAULT_PAGE_SIZE;
  self->state = NULL;

  self->sorter = gtk_custom_sorter_new (pb_accounts_compare_accounts, self, NULL);
  self->sorted = gtk_sort_list_model_new (NULL, GTK_SORTER (self->sorter));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));

  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Linked accounts"), -1);
}

/* ---- public ---------------------------------------------------------------------------- */

GtkWidget *
pb_accounts_view_new (PbStore *store)
{
  g_return_val_if_fail (PB_IS_STORE (store), NULL);
  return g_object_new (PB_TYPE_ACCOUNTS_VIEW, "store", store, NULL);
}

PbStore *
pb_accounts_view_get_store (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return self->store;
}

void
pb_accounts_view_set_integration (PbAccountsView *self,
                                  PbIntegration  *integration)
{
  g_return_if_fail (PB_IS_ACCOUNTS_VIEW (self));
  g_return_if_fail (integration == NULL || PB_IS_INTEGRATION (integration));

  pb_accounts_view_set_integration_id (self,
                                       integration ? pb_integration_get_id (integration) : NULL);
}

void
pb_accounts_view_set_integration_id (PbAccountsView *self,
                                     const char     *integration_id)
{
  g_return_if_fail (PB_IS_ACCOUNTS_VIEW (self));

  if (integration_id != NULL && *integration_id == '\0')
    integration_id = NULL;
  if (g_strcmp0 (self->integration_id, integration_id) == 0)
    return;
  g_free (self->integration_id);
  self->integration_id = g_strdup (integration_id);

  pb_accounts_update_titles (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTEGRATION_ID]);
  /* Before the first map the list is made in map(); afterwards, now. */
  if (self->model != NULL)
    pb_accounts_start (self, FALSE, FALSE);
}

const char *
pb_accounts_view_get_integration_id (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return self->integration_id;
}

const char *
pb_accounts_view_get_title (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return self->title;
}

const char *
pb_accounts_view_get_subtitle (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return self->subtitle;
}

const char *
pb_accounts_view_get_state (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return self->state ? self->state : "loading";
}

gboolean
pb_accounts_view_get_loading (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), FALSE);
  return pb_views_list_loading (self->model);
}

gboolean
pb_accounts_view_get_has_more (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), FALSE);
  return pb_views_list_has_more (self->model);
}

const char *
pb_accounts_view_get_error_text (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return self->error_text;
}

void
pb_accounts_view_set_page_size (PbAccountsView *self,
                                guint           page_size)
{
  g_return_if_fail (PB_IS_ACCOUNTS_VIEW (self));
  page_size = CLAMP (page_size, 1, PB_CLIENT_MAX_PAGE_SIZE);
  if (self->page_size == page_size)
    return;
  self->page_size = page_size;
  if (self->model != NULL)
    pb_accounts_start (self, FALSE, TRUE);
}

const char *
pb_accounts_view_get_offline_text (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return pb_views_list_offline_text (self->offline_revealer, self->offline_label);
}

GListModel *
pb_accounts_view_get_model (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

GtkListView *
pb_accounts_view_get_list_view (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return self->list_view;
}

GtkEditable *
pb_accounts_view_get_search_entry (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

GtkDropDown *
pb_accounts_view_get_status_dropdown (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return self->status_dropdown;
}

GtkDropDown *
pb_accounts_view_get_sort_dropdown (PbAccountsView *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNTS_VIEW (self), NULL);
  return self->sort_dropdown;
}