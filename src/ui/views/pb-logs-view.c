/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-logs-view"

#include "config.h"

#include "pb-logs-view-private.h"

#include <glib/gi18n.h>

#include "pb-log-details.h"
#include "pb-log-row.h"
#include "pb-views-util.h"

#define DEFAULT_PAGE_SIZE 50

#define TEMPLATE "/io/github/plugboard/Plugboard/views/pb-logs-view.ui"

G_DEFINE_FINAL_TYPE (PbLogsView, pb_logs_view, PB_TYPE_PAGED_VIEW)

enum {
  PROP_0,
  PROP_ACCOUNT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- loading --------------------------------------------------------------------------- */

static gboolean
check_idle_cb (gpointer user_data)
{
  PbLogsView *self = user_data;
  GtkAdjustment *adjustment = pb_paged_view_get_vadjustment (PB_PAGED_VIEW (self));
  double value, upper, page;

  self->check_idle = 0;
  value = gtk_adjustment_get_value (adjustment);
  upper = gtk_adjustment_get_upper (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);

  /* Near the end (less than two screenfuls left below), or the list does not fill the
   * view: ask for the next page early enough that fast scrolling rarely waits for it. */
  if (upper - (value + page) <= 2 * page)
    pb_paged_view_load_next (PB_PAGED_VIEW (self));
  return G_SOURCE_REMOVE;
}

static void
check_later (PbLogsView *self)
{
  /* After the list has been laid out again, so that the adjustment is current. */
  if (self->check_idle == 0)
    self->check_idle = g_idle_add_full (G_PRIORITY_LOW, check_idle_cb, self, NULL);
}

/* ---- PbPagedView ------------------------------------------------------------------------ */

/* Nothing loaded yet: the first page now; otherwise once the admin scrolls near the end. */
static void
pb_logs_view_more_wanted (PbPagedView *view)
{
  PbPagedModel *model = pb_paged_view_get_model (view);

  if (model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    pb_paged_view_load_next (view);
  else
    check_later (PB_LOGS_VIEW (view));
}

static void
pb_logs_view_describe_empty (PbPagedView  *view,
                             const char  **title,
                             const char  **description,
                             gboolean     *clearable)
{
  guint n_filters = pb_logs_count_filters (PB_LOGS_VIEW (view));
  gboolean filtered = n_filters > 0 || pb_paged_view_get_integration_id (view) != NULL;

  *title = filtered ? _("No Matching Requests") : _("No Requests Yet");
  *description = filtered
                 ? _("No request log matches these filters.")
                 : _("Requests to the project's integrations and linked accounts are listed "
                     "here.");
  *clearable = n_filters > 0;
}

static char *
pb_logs_view_offline_text (PbPagedView *view,
                           gboolean     stale,
                           GDateTime   *when)
{
  g_autofree char *time = when ? pb_views_format_time (when) : NULL;

  return time
    /* TRANSLATORS: %s is a time from pb_views_format_time() */
    ? g_strdup_printf (_("Offline — showing the request logs saved on this computer "
                         "(last refresh: %s)"), time)
    : g_strdup (_("Offline — showing the request logs saved on this computer"));
}

static void
pb_logs_view_integration_changed (PbPagedView *view)
{
  PbLogsView *self = PB_LOGS_VIEW (view);

  if (!self->from_dropdown)
    pb_logs_rebuild_integrations (self);
  pb_logs_update_titles (self);
  pb_logs_apply_filters (view);
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

/* ---- GObject / GtkWidget --------------------------------------------------------------- */

static void
pb_logs_view_unmap (GtkWidget *widget)
{
  PbLogsView *self = PB_LOGS_VIEW (widget);

  g_clear_handle_id (&self->check_idle, g_source_remove);
  GTK_WIDGET_CLASS (pb_logs_view_parent_class)->unmap (widget);
}

static void
pb_logs_view_constructed (GObject *object)
{
  PbLogsView *self = PB_LOGS_VIEW (object);
  PbStore *store;

  G_OBJECT_CLASS (pb_logs_view_parent_class)->constructed (object);

  store = pb_paged_view_get_store (PB_PAGED_VIEW (self));
  if (store != NULL)
    g_signal_connect_object (pb_store_get_integrations (store), "items-changed",
                             G_CALLBACK (pb_logs_on_integrations_changed_cb), self,
                             G_CONNECT_SWAPPED);
  pb_logs_rebuild_integrations (self);
  pb_logs_update_titles (self);
}

static void
pb_logs_view_dispose (GObject *object)
{
  PbLogsView *self = PB_LOGS_VIEW (object);

  g_clear_handle_id (&self->filter_timeout, g_source_remove);
  g_clear_handle_id (&self->check_idle, g_source_remove);
  if (self->details != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->details), (gpointer *) &self->details);
  self->details = NULL;

  G_OBJECT_CLASS (pb_logs_view_parent_class)->dispose (object);
}

static void
pb_logs_view_finalize (GObject *object)
{
  PbLogsView *self = PB_LOGS_VIEW (object);

  g_clear_pointer (&self->integration_ids, g_ptr_array_unref);
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
    case PROP_ACCOUNT_ID:
      g_value_take_string (value, pb_logs_entry_text (self->account_entry));
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
    case PROP_ACCOUNT_ID:
      pb_logs_view_set_account_id (self, g_value_get_string (value));
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
  PbPagedViewClass *view_class = PB_PAGED_VIEW_CLASS (klass);

  object_class->constructed = pb_logs_view_constructed;
  object_class->dispose = pb_logs_view_dispose;
  object_class->finalize = pb_logs_view_finalize;
  object_class->get_property = pb_logs_view_get_property;
  object_class->set_property = pb_logs_view_set_property;
  widget_class->unmap = pb_logs_view_unmap;

  view_class->kind = PB_PAGED_MODEL_LOGS;
  view_class->apply_filters = pb_logs_apply_filters;
  view_class->more_wanted = pb_logs_view_more_wanted;
  view_class->describe_empty = pb_logs_view_describe_empty;
  view_class->clear_filters = pb_logs_clear_filters;
  view_class->offline_text = pb_logs_view_offline_text;
  view_class->integration_changed = pb_logs_view_integration_changed;

  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
}

static void
pb_logs_view_init (PbLogsView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkExpression) expression = NULL;
  GtkListView *list_view = pb_paged_view_get_list_view (PB_PAGED_VIEW (self));
  GtkAdjustment *adjustment = pb_paged_view_get_vadjustment (PB_PAGED_VIEW (self));

  gtk_widget_init_template (GTK_WIDGET (self));
  pb_paged_view_set_page_size (PB_PAGED_VIEW (self), DEFAULT_PAGE_SIZE);

  self->integration_ids = g_ptr_array_new_with_free_func (g_free);
  self->integration_names = GTK_STRING_LIST (gtk_drop_down_get_model (self->integration_dropdown));
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->integration_dropdown, expression);

  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind_cb), self);
  gtk_list_view_set_factory (list_view, factory);
  gtk_list_view_set_single_click_activate (list_view, TRUE);
  g_signal_connect_object (list_view, "activate", G_CALLBACK (on_list_activate_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Request logs, newest first"), -1);

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
  g_signal_connect_object (adjustment, "changed",
                           G_CALLBACK (on_adjustment_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "value-changed",
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

void
pb_logs_view_set_account_id (PbLogsView *self,
                             const char *account_id)
{
  g_return_if_fail (PB_IS_LOGS_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->account_entry), account_id ? account_id : "");
  /* Set from code: no need to wait for more typing. */
  pb_logs_apply_filters (PB_PAGED_VIEW (self));
}

const char *
pb_logs_view_get_account_id (PbLogsView *self)
{
  const PbPagedFilter *filter;

  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  filter = pb_paged_view_get_filter (PB_PAGED_VIEW (self));
  return filter ? filter->account_id : NULL;
}

void
pb_logs_view_show_details (PbLogsView *self,
                           guint       position)
{
  PbPagedModel *model = pb_paged_view_get_model (PB_PAGED_VIEW (self));
  g_autoptr(PbLogEntry) entry = NULL;
  GtkRoot *root;

  g_return_if_fail (PB_IS_LOGS_VIEW (self));

  if (model == NULL || (entry = g_list_model_get_item (G_LIST_MODEL (model), position)) == NULL)
    return;

  if (self->details != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->details), (gpointer *) &self->details);
      gtk_window_destroy (GTK_WINDOW (self->details));
    }
  self->details = pb_log_details_new (entry, pb_paged_view_get_store (PB_PAGED_VIEW (self)));
  g_object_add_weak_pointer (G_OBJECT (self->details), (gpointer *) &self->details);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self->details), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (self->details));
}
