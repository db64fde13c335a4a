/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-logs-view"

#include "config.h"

#include "pb-logs-view-private.h"

#include <glib/gi18n.h>

#include "pb-log-details.h"
#include "pb-log-row.h"
#include "pb-views-list.h"
#include "pb-views-util.h"

#define DEFAULT_PAGE_SIZE 50

#define TEMPLATE "/io/github/plugboard/Plugboard/views/pb-logs-view.ui"


G_DEFINE_FINAL_TYPE (PbLogsView, pb_logs_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_INTEGRATION_ID,
  PROP_ACCOUNT_ID,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_STATE,
  PROP_LOADING,
  PROP_PAGE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void load_next (PbLogsView *self);

/* ---- state ----------------------------------------------------------------------------- */

static guint
count_filters (PbLogsView *self)
{
  static const char * const keys[] = { "account_id", "success", "status_codes", "start_date",
                                       "end_date" };
  guint n = 0;

  for (guint i = 0; self->query != NULL && i < G_N_ELEMENTS (keys); i++)
    n += pb_query_get (self->query, keys[i]) != NULL;
  return n;
}

static void
update_state (PbLogsView *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  gboolean loading = pb_views_list_loading (self->model);
  guint n_filters = count_filters (self);
  g_autofree char *filters_label = NULL;
  const char *state = pb_views_list_state (self->model, self->error_text);

  if (g_str_equal (state, "empty"))
    {
      gboolean filtered = n_filters > 0 || self->integration_id != NULL;
      adw_status_page_set_title (self->empty_page, filtered ? _("No Matching Requests")
                                                            : _("No Requests Yet"));
      adw_status_page_set_description (self->empty_page,
                                       filtered
                                       ? _("No request log matches these filters.")
                                       : _("Requests to the project's integrations and linked "
                                           "accounts are listed here."));
      gtk_widget_set_visible (self->clear_button, n_filters > 0);
    }
  pb_views_list_show_state (self->stack, self->error_page, state, self->error_text,
                            self->error_icon);
  if (g_strcmp0 (self->state, state) != 0)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  pb_views_list_update_footer (self->footer_revealer, self->footer_spinner, self->footer_label,
                               self->footer_retry,
                               n > 0 && (loading || self->error_text != NULL),
                               n > 0 && loading,
                               self->error_text, _("Loading more requests…"));

  if (n_filters > 0)
    /* TRANSLATORS: the filters button, with the number of filters in use */
    filters_label = g_strdup_printf (_("Filters (%u)"), n_filters);
  gtk_button_set_label (GTK_BUTTON (self->filters_button),
                        filters_label ? filters_label : _("Filters"));
}

/* ---- offline ------------------------------------------------------------------------- */

/* A list served from the store's replica (the backend could not be reached) says so. */
static void
update_offline (PbLogsView *self)
{
  gboolean offline = self->model != NULL && pb_paged_model_get_from_cache (self->model);
  GDateTime *refreshed = self->store ? pb_store_get_last_refresh (self->store) : NULL;
  if (offline)
    {
      g_autofree char *when = refreshed ? pb_views_format_time (refreshed) : NULL;
      g_autofree char *text = when
        /* TRANSLATORS: %s is a time from pb_views_format_time() */
        ? g_strdup_printf (_("Offline — showing the request logs saved on this computer "
                             "(last refresh: %s)"), when)
        : g_strdup (_("Offline — showing the request logs saved on this computer"));
      gtk_label_set_label (self->offline_label, text);
    }
  gtk_revealer_set_reveal_child (self->offline_revealer, offline);
}

/* ---- loading --------------------------------------------------------------------------- */

static gboolean
check_idle_cb (gpointer user_data)
{
  PbLogsView *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);
  double value, upper, page;

  self->check_idle = 0;
  value = gtk_adjustment_get_value (adjustment);
  upper = gtk_adjustment_get_upper (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);

  /* Near the end (less than two screenfuls left below), or the list does not fill the
   * view: ask for the next page early enough that fast scrolling rarely waits for it. */
  if (upper - (value + page) <= 2 * page)
    load_next (self);
  return G_SOURCE_REMOVE;
}

static void
check_later (PbLogsView *self)
{
  /* After the list has been laid out again, so that the adjustment is current. */
  if (self->check_idle == 0)
    self->check_idle = g_idle_add_full (G_PRIORITY_LOW, check_idle_cb, self, NULL);
}

static void
on_page_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PbLogsView) self = NULL;
  g_autoptr(PbPagedModel) model = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  if (!pb_views_list_load_finish (user_data, result, (gpointer *) &self, &model, &failure, &error))
    {
      if (model != self->model)
        return;
      if (pb_views_list_interrupted (error))
        {
          if (gtk_widget_get_mapped (GTK_WIDGET (self)))
            check_later (self);
          update_state (self);
          return;
        }
      g_debug ("Could not load logs: %s", error->message);
      pb_views_list_set_error (&self->error_text, &self->error_icon, error, failure);
      update_state (self);
      return;
    }

  if (model != self->model)
    return;
  update_state (self);
  check_later (self);
}

static void
load_next (PbLogsView *self)
{
  if (pb_views_list_load_next (GTK_WIDGET (self), self->model, self->error_text,
                               &self->cancellable, on_page_loaded_cb))
    update_state (self);
}

static void
on_model_loading_notify_cb (PbLogsView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
pb_logs_start (PbLogsView *self)
{
  GtkNoSelection *selection;

  if (self->store == NULL || self->query == NULL)
    return;

  pb_views_list_drop_model (self, &self->model, &self->cancellable, &self->error_text);

  self->model = pb_store_create_logs_model (self->store, self->query, self->page_size);
  pb_views_list_connect_model (self->model, self, G_CALLBACK (on_model_loading_notify_cb),
                               G_CALLBACK (update_offline));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  load_next (self);
  update_state (self);
}

void
pb_logs_view_reload (PbLogsView *self)
{
  g_return_if_fail (PB_IS_LOGS_VIEW (self));
  pb_logs_start (self);
}

/* ---- list ------------------------------------------------------------------------------ */

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  gtk_list_item_set_child (item, pb_log_row_new ());
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  pb_log_row_set_entry (PB_LOG_ROW (gtk_list_item_get_child (item)),
                        gtk_list_item_get_item (item));
}

static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  pb_log_row_set_entry (PB_LOG_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_list_activate_cb (PbLogsView *self,
                     guint       position)
{
  pb_logs_view_show_details (self, position);
}

static void
on_adjustment_changed_cb (PbLogsView *self)
{
  check_later (self);
}

/* After a failure: ask again for the page that failed, keeping what is loaded. */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PbLogsView *self = PB_LOGS_VIEW (widget);

  if (!pb_views_list_retry_in_place (self->model, &self->error_text))
    {
      pb_logs_view_reload (self);
      return;
    }
  load_next (self);
  update_state (self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  pb_logs_view_reload (PB_LOGS_VIEW (widget));
}

/* ---- GObject / GtkWidget --------------------------------------------------------------- */

static void
pb_logs_view_map (GtkWidget *widget)
{
  PbLogsView *self = PB_LOGS_VIEW (widget);

  GTK_WIDGET_CLASS (pb_logs_view_parent_class)->map (widget);
  if (self->model == NULL)
    pb_logs_apply_filters (self);
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    load_next (self);
  else
    check_later (self);
  update_state (self);
}

static void
pb_logs_view_unmap (GtkWidget *widget)
{
  PbLogsView *self = PB_LOGS_VIEW (widget);

  /* Nobody looks: stop fetching; map() picks up where this stopped. */
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->check_idle, g_source_remove);
  GTK_WIDGET_CLASS (pb_logs_view_parent_class)->unmap (widget);
}

static void
pb_logs_view_constructed (GObject *object)
{
  PbLogsView *self = PB_LOGS_VIEW (object);

  G_OBJECT_CLASS (pb_logs_view_parent_class)->constructed (object);

  if (self->store != NULL)
    g_signal_connect_object (pb_store_get_integrations (self->store), "items-changed",
                             G_CALLBACK (pb_logs_on_integrations_changed_cb), self, G_CONNECT_SWAPPED);
  pb_logs_rebuild_integrations (self);
  pb_logs_update_titles (self);
}

static void
pb_logs_view_dispose (GObject *object)
{
  PbLogsView *self = PB_LOGS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->filter_timeout, g_source_remove);
  g_clear_handle_id (&self->check_idle, g_source_remove);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  if (self->details != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->details), (gpointer *) &self->details);
  self->details = NULL;

  pb_views_list_dispose_template (GTK_WIDGET (self), PB_TYPE_LOGS_VIEW);

  G_OBJECT_CLASS (pb_logs_view_parent_class)->dispose (object);
}

static void
pb_logs_view_finalize (GObject *object)
{
  PbLogsView *self = PB_LOGS_VIEW (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->query, pb_query_free);
  g_clear_pointer (&self->integration_ids, g_ptr_array_unref);
  g_free (self->integration_id);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->error_text);
  g_free (self->filter_message);

  G_OBJECT_CLASS (pb_logs_view_parent_class)->finalize (object);
}

static void
pb_logs_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PbLogsView *self = PB_LOGS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_INTEGRATION_ID:
      g_value_set_string (value, self->integration_id);
      break;
    case PROP_ACCOUNT_ID:
      g_value_take_string (value, pb_logs_entry_text (self->account_entry));
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_STATE:
      g_value_set_string (value, pb_logs_view_get_state (self));
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, pb_logs_view_get_loading (self));
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_logs_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PbLogsView *self = PB_LOGS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_INTEGRATION_ID:
      pb_logs_view_set_integration_id (self, g_value_get_string (value));
      break;
    case PROP_ACCOUNT_ID:
      pb_logs_view_set_account_id (self, g_value_get_string (value));
      break;
    case PROP_PAGE_SIZE:
      pb_logs_view_set_page_size (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_logs_view_class_init (PbLogsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pb_logs_view_constructed;
  object_class->dispose = pb_logs_view_dispose;
  object_class->finalize = pb_logs_view_finalize;
  object_class->get_property = pb_logs_view_get_property;
  object_class->set_property = pb_logs_view_set_property;
  widget_class->map = pb_logs_view_map;
  widget_class->unmap = pb_logs_view_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTEGRATION_ID] =
    g_param_spec_string ("integration-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL,
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
  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL, 1, PB_CLIENT_MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, TEMPLATE);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, integration_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, filters_button);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, filters_revealer);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, account_entry);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, success_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, status_entry);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, start_entry);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, end_entry);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, start_calendar);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, end_calendar);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, start_button);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, end_button);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, filter_message_label);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, offline_label);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, stack);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, error_page);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, clear_button);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, footer_revealer);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, footer_spinner);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, footer_label);
  gtk_widget_class_bind_template_child (widget_class, PbLogsView, footer_retry);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_integration_selected_cb",
                                                G_CALLBACK (pb_logs_on_integration_selected_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_account_changed_cb",
                                                G_CALLBACK (pb_logs_on_account_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_filter_text_changed_cb",
                                                G_CALLBACK (pb_logs_on_filter_text_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_filter_activate_cb",
                                                G_CALLBACK (pb_logs_on_filter_activate_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_success_selected_cb",
                                                G_CALLBACK (pb_logs_on_success_selected_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_calendar_day_selected_cb",
                                                G_CALLBACK (pb_logs_on_calendar_day_selected_cb));
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_clear_clicked_cb",
                                                G_CALLBACK (pb_logs_on_clear_clicked_cb));

  gtk_widget_class_install_action (widget_class, "logs.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "logs.retry", NULL, retry_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "logs.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "logs.reload", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pb_logs_view_init (PbLogsView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkExpression) expression = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->title = g_strdup (_("Request Logs"));
  self->page_size = DEFAULT_PAGE_SIZE;
  self->integration_ids = g_ptr_array_new_with_free_func (g_free);
  self->integration_names = GTK_STRING_LIST (gtk_drop_down_get_model (self->integration_dropdown));
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->integration_dropdown, expression);

  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);

  for (guint i = 0; i < 2; i++)
    {
      GtkGesture *click = gtk_gesture_click_new ();

      gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click),
                                                  GTK_PHASE_CAPTURE);
      g_signal_connect (click, "pressed", G_CALLBACK (pb_logs_on_calendar_pressed_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (i == 0 ? self->start_calendar : self->end_calendar),
                                 GTK_EVENT_CONTROLLER (click));
    }
  g_signal_connect_object (gtk_menu_button_get_popover (self->start_button), "show",
                           G_CALLBACK (pb_logs_on_start_popover_show_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_menu_button_get_popover (self->end_button), "show",
                           G_CALLBACK (pb_logs_on_end_popover_show_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "changed",
                           G_CALLBACK (on_adjustment_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "value-changed",
                           G_CALLBACK (on_adjustment_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Request logs"), -1);
}

/* ---- public ---------------------------------------------------------------------------- */

GtkWidget *
pb_logs_view_new (PbStore *store)
{
  g_return_val_if_fail (PB_IS_STORE (store), NULL);
  return g_object_new (PB_TYPE_LOGS_VIEW, "store", store, NULL);
}

PbStore *
pb_logs_view_get_store (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->store;
}

void
pb_logs_view_set_integration (PbLogsView    *self,
                              PbIntegration *integration)
{
  g_return_if_fail (PB_IS_LOGS_VIEW (self));
  g_return_if_fail (integration == NULL || PB_IS_INTEGRATION (integration));
  pb_logs_set_integration_id (self, integration ? pb_integration_get_id (integration) : NULL, FALSE);
}

void
pb_logs_view_set_integration_id (PbLogsView *self,
                                 const char *integration_id)
{
  g_return_if_fail (PB_IS_LOGS_VIEW (self));
  pb_logs_set_integration_id (self, integration_id, FALSE);
}

const char *
pb_logs_view_get_integration_id (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->integration_id;
}

void
pb_logs_view_set_account_id (PbLogsView *self,
                             const char *account_id)
{
  g_return_if_fail (PB_IS_LOGS_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->account_entry), account_id ? account_id : "");
  /* Set from code: no need to wait for more typing. */
  pb_logs_apply_filters (self);
}

const char *
pb_logs_view_get_account_id (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->query ? pb_query_get (self->query, "account_id") : NULL;
}

void
pb_logs_view_set_page_size (PbLogsView *self,
                            guint       page_size)
{
  g_return_if_fail (PB_IS_LOGS_VIEW (self));
  page_size = CLAMP (page_size, 1, PB_CLIENT_MAX_PAGE_SIZE);
  if (self->page_size == page_size)
    return;
  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
  if (self->model != NULL)
    pb_logs_start (self);
}

const char *
pb_logs_view_get_title (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->title;
}

const char *
pb_logs_view_get_subtitle (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->subtitle;
}

const char *
pb_logs_view_get_state (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->state ? self->state : "loading";
}

gboolean
pb_logs_view_get_loading (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), FALSE);
  return pb_views_list_loading (self->model);
}

gboolean
pb_logs_view_get_has_more (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), FALSE);
  return pb_views_list_has_more (self->model);
}

const char *
pb_logs_view_get_error_text (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->error_text;
}

const char *
pb_logs_view_get_filter_message (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->filter_message;
}

void
pb_logs_view_show_details (PbLogsView *self,
                           guint       position)
{
  g_autoptr(PbLogEntry) entry = NULL;
  GtkRoot *root;

  g_return_if_fail (PB_IS_LOGS_VIEW (self));

  if (self->model == NULL
      || (entry = g_list_model_get_item (G_LIST_MODEL (self->model), position)) == NULL)
    return;

  if (self->details != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->details), (gpointer *) &self->details);
      gtk_window_destroy (GTK_WINDOW (self->details));
    }
  self->details = pb_log_details_new (entry, self->store);
  g_object_add_weak_pointer (G_OBJECT (self->details), (gpointer *) &self->details);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self->details), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (self->details));
}

GListModel *
pb_logs_view_get_model (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->model ? G_LIST_MODEL (self->model) : NULL;
}

GtkListView *
pb_logs_view_get_list_view (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->list_view;
}

GtkAdjustment *
pb_logs_view_get_vadjustment (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return gtk_scrolled_window_get_vadjustment (self->scrolled);
}

const char *
pb_logs_view_get_offline_text (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return pb_views_list_offline_text (self->offline_revealer, self->offline_label);
}

GtkWindow *
pb_logs_view_get_details (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->details ? GTK_WINDOW (self->details) : NULL;
}