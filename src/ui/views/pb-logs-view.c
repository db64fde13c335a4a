/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-logs-view"

#include "config.h"

#include "pb-logs-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pb-log-details.h"
#include "pb-log-row.h"
#include "pb-views-util.h"

#define FILTER_DELAY_MS   250
#define DEFAULT_PAGE_SIZE 50

#define TEMPLATE "/io/github/plugboard/Plugboard/views/pb-logs-view.ui"

struct _PbLogsView
{
  GtkWidget parent_instance;

  PbStore *store;
  char *integration_id;
  char *title;
  char *subtitle;
  const char *state;
  guint page_size;

  PbQuery *query;                /* the filters of the list shown (valid ones) */
  char *filter_message;          /* what is wrong with the filters as typed */
  PbPagedModel *model;
  GCancellable *cancellable;     /* of the page in flight */
  char *error_text;
  const char *error_icon;
  guint filter_timeout;
  guint check_idle;
  GPtrArray *integration_ids;    /* parallel to the integration drop-down; [0] = NULL */
  GtkStringList *integration_names;
  GtkWidget *details;            /* weak */

  /* template children */
  GtkDropDown *integration_dropdown;
  GtkToggleButton *filters_button;
  GtkRevealer *filters_revealer;
  GtkEntry *account_entry;
  GtkDropDown *success_dropdown;
  GtkEntry *status_entry;
  GtkEntry *start_entry;
  GtkEntry *end_entry;
  GtkCalendar *start_calendar;
  GtkCalendar *end_calendar;
  GtkMenuButton *start_button;
  GtkMenuButton *end_button;
  GtkLabel *filter_message_label;
  GtkRevealer *offline_revealer;
  GtkLabel *offline_label;
  GtkStack *stack;
  AdwStatusPage *error_page;
  AdwStatusPage *empty_page;
  GtkWidget *clear_button;
  GtkScrolledWindow *scrolled;
  GtkListView *list_view;
  GtkRevealer *footer_revealer;
  GtkSpinner *footer_spinner;
  GtkLabel *footer_label;
  GtkWidget *footer_retry;
};

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

static const char * const query_keys[] = { "integration_id", "account_id", "success",
                                           "status_codes", "start_date", "end_date", NULL };

static void load_next (PbLogsView *self);
static void on_integration_selected_cb (PbLogsView *self);
static void on_success_selected_cb (PbLogsView *self);

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
  gboolean loading = self->model != NULL && pb_paged_model_get_loading (self->model);
  gboolean has_more = self->model == NULL || pb_paged_model_get_has_more (self->model);
  guint n_filters = count_filters (self);
  g_autofree char *filters_label = NULL;
  const char *state;

  if (n == 0 && self->error_text != NULL)
    state = "error";
  else if (n == 0 && (loading || has_more))
    state = "loading";
  else if (n == 0)
    state = "empty";
  else
    state = "list";

  if (g_str_equal (state, "error"))
    {
      adw_status_page_set_description (self->error_page, self->error_text);
      adw_status_page_set_icon_name (self->error_page, self->error_icon);
    }
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
  gtk_stack_set_visible_child_name (self->stack, state);
  if (g_strcmp0 (self->state, state) != 0)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  gtk_revealer_set_reveal_child (self->footer_revealer,
                                 n > 0 && (loading || self->error_text != NULL));
  gtk_spinner_set_spinning (self->footer_spinner, n > 0 && loading);
  gtk_widget_set_visible (GTK_WIDGET (self->footer_spinner), self->error_text == NULL);
  gtk_widget_set_visible (self->footer_retry, self->error_text != NULL);
  gtk_label_set_label (self->footer_label,
                       self->error_text ? self->error_text : _("Loading more requests…"));

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

static void
watch_offline (PbLogsView *self)
{
  g_signal_connect_object (self->model, "notify::from-cache",
                           G_CALLBACK (update_offline), self, G_CONNECT_SWAPPED);
  update_offline (self);
}

/* ---- loading --------------------------------------------------------------------------- */

typedef struct
{
  PbLogsView *self;
  PbPagedModel *model;
} LoadData;

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
  LoadData *data = user_data;
  g_autoptr(PbLogsView) self = data->self;
  g_autoptr(PbPagedModel) model = data->model;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  g_free (data);

  if (!pb_paged_model_load_more_finish (model, result, NULL, &failure, &error))
    {
      if (model != self->model)
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          if (gtk_widget_get_mapped (GTK_WIDGET (self)))
            check_later (self);
          update_state (self);
          return;
        }
      g_debug ("Could not load logs: %s", error->message);
      g_free (self->error_text);
      self->error_text = pb_views_error_sentence (error, failure);
      self->error_icon = pb_views_error_icon (error);
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
  LoadData *data;

  if (self->model == NULL || self->error_text != NULL
      || !pb_paged_model_get_has_more (self->model)
      || pb_paged_model_get_loading (self->model)
      || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }

  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->model = g_object_ref (self->model);
  pb_paged_model_load_more_async (self->model, self->cancellable, on_page_loaded_cb, data);
  update_state (self);
}

static void
on_model_loading_notify_cb (PbLogsView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
start (PbLogsView *self)
{
  GtkNoSelection *selection;

  if (self->store == NULL || self->query == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error_text, g_free);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  self->model = pb_store_create_logs_model (self->store, self->query, self->page_size);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (on_model_loading_notify_cb), self, G_CONNECT_SWAPPED);
  watch_offline (self);
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
  start (self);
}

/* ---- filters --------------------------------------------------------------------------- */

static char *
entry_text (GtkEntry *entry)
{
  char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  g_strstrip (text);
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static void
mark_entry (GtkEntry *entry,
            gboolean  wrong)
{
  if (wrong)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                               wrong ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static char *
date_example (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

/* The query of the filters as typed, or NULL with a message saying what is wrong. */
static PbQuery *
build_query (PbLogsView  *self,
             char       **out_message)
{
  g_autoptr(PbQuery) query = pb_query_new ();
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *account = entry_text (self->account_entry);
  g_autofree char *status = entry_text (self->status_entry);
  g_autofree char *start_text = entry_text (self->start_entry);
  g_autofree char *end_text = entry_text (self->end_entry);
  g_autoptr(GDateTime) start_time = NULL;
  g_autoptr(GDateTime) end_time = NULL;
  g_autofree char *example = date_example ();
  guint success = gtk_drop_down_get_selected (self->success_dropdown);

  if (self->integration_id != NULL)
    pb_query_set (query, "integration_id", self->integration_id);
  if (account != NULL)
    pb_query_set (query, "account_id", account);
  if (success == 1 || success == 2)
    pb_query_set (query, "success", success == 1 ? "true" : "false");

  mark_entry (self->status_entry, FALSE);
  if (status != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *codes = pb_views_parse_status_codes (status, &error);

      if (codes == NULL)
        {
          g_ptr_array_add (messages,
                           g_strdup_printf (_("Status codes: %s. Separate several with commas, "
                                              "e.g. 404, 500."), error->message));
          mark_entry (self->status_entry, TRUE);
        }
      else
        pb_query_set (query, "status_codes", codes);
    }

  mark_entry (self->start_entry, FALSE);
  mark_entry (self->end_entry, FALSE);
  if (start_text != NULL && (start_time = pb_views_parse_date (start_text, FALSE, NULL)) == NULL)
    {
      g_ptr_array_add (messages, g_strdup_printf (_("The start date must be a date such as %s "
                                                    "(year-month-day)."), example));
      mark_entry (self->start_entry, TRUE);
    }
  if (end_text != NULL && (end_time = pb_views_parse_date (end_text, TRUE, NULL)) == NULL)
    {
      g_ptr_array_add (messages, g_strdup_printf (_("The end date must be a date such as %s "
                                                    "(year-month-day)."), example));
      mark_entry (self->end_entry, TRUE);
    }
  if (start_time != NULL && end_time != NULL && g_date_time_compare (start_time, end_time) > 0)
    {
      g_ptr_array_add (messages, g_strdup (_("The start date is after the end date.")));
      mark_entry (self->start_entry, TRUE);
      mark_entry (self->end_entry, TRUE);
    }
  if (start_time != NULL)
    {
      g_autofree char *text = pb_views_format_rfc3339 (start_time);
      pb_query_set (query, "start_date", text);
    }
  if (end_time != NULL)
    {
      g_autofree char *text = pb_views_format_rfc3339 (end_time);
      pb_query_set (query, "end_date", text);
    }

  if (messages->len > 0)
    {
      g_ptr_array_add (messages, g_strdup (_("The list shows the previous filters until these "
                                             "are corrected.")));
      g_ptr_array_add (messages, NULL);
      *out_message = g_strjoinv ("\n", (char **) messages->pdata);
      return NULL;
    }
  *out_message = NULL;
  return g_steal_pointer (&query);
}

static void
apply_filters (PbLogsView *self)
{
  g_autofree char *message = NULL;
  g_autoptr(PbQuery) query = NULL;

  g_clear_handle_id (&self->filter_timeout, g_source_remove);
  query = build_query (self, &message);

  g_free (self->filter_message);
  self->filter_message = g_steal_pointer (&message);
  gtk_label_set_label (self->filter_message_label,
                       self->filter_message ? self->filter_message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->filter_message_label), self->filter_message != NULL);
  if (self->filter_message != NULL)
    {
      /* Show the fields with the problem; the list keeps the last valid filters. */
      gtk_toggle_button_set_active (self->filters_button, TRUE);
      return;
    }

  /* Typing something and taking it back, or a drop-down set to what it was: no new list. */
  if (self->model != NULL && self->error_text == NULL
      && pb_views_query_equal (query, self->query, query_keys))
    return;

  g_clear_pointer (&self->query, pb_query_free);
  self->query = g_steal_pointer (&query);
  start (self);
}

static gboolean
filter_timeout_cb (gpointer user_data)
{
  PbLogsView *self = user_data;

  self->filter_timeout = 0;
  apply_filters (self);
  return G_SOURCE_REMOVE;
}

static void
on_filter_text_changed_cb (PbLogsView *self)
{
  g_clear_handle_id (&self->filter_timeout, g_source_remove);
  self->filter_timeout = g_timeout_add (FILTER_DELAY_MS, filter_timeout_cb, self);
}

static void
on_filter_activate_cb (PbLogsView *self)
{
  apply_filters (self);
}

/* Everything but the integration (the view may have been opened for it). */
static void
on_clear_clicked_cb (PbLogsView *self)
{
  g_signal_handlers_block_by_func (self->success_dropdown, on_success_selected_cb, self);
  gtk_drop_down_set_selected (self->success_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->success_dropdown, on_success_selected_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->account_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->status_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->start_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->end_entry), "");
  apply_filters (self);
}

static void
on_success_selected_cb (PbLogsView *self)
{
  apply_filters (self);
}

/* The day picked in a calendar goes into its entry, whose change is applied after the usual
 * pause: arrow keys move through the days without a request for each, and the popover stays
 * open until Escape, Enter or a click elsewhere. */
static void
on_calendar_day_selected_cb (GtkCalendar *calendar,
                             PbLogsView  *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");
  GtkEntry *entry = calendar == self->start_calendar ? self->start_entry : self->end_entry;

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

/* A click on a day (the selected one too, which emits no "day-selected") picks it and closes
 * the popover: seen in the capture phase (whatever the calendar's own gesture does with the
 * click), acted on once the calendar has handled it. */
typedef struct
{
  GWeakRef view;
  GtkCalendar *calendar;
} PickData;

static gboolean
pick_day_idle_cb (gpointer user_data)
{
  PickData *data = user_data;
  g_autoptr(PbLogsView) self = g_weak_ref_get (&data->view);

  if (self != NULL)
    {
      on_calendar_day_selected_cb (data->calendar, self);
      gtk_menu_button_popdown (data->calendar == self->start_calendar ? self->start_button
                                                                       : self->end_button);
    }
  g_weak_ref_clear (&data->view);
  g_free (data);
  return G_SOURCE_REMOVE;
}

static void
on_calendar_pressed_cb (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        PbLogsView      *self)
{
  GtkWidget *calendar = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (calendar, x, y, GTK_PICK_DEFAULT);
  PickData *data;

  /* Only a day: the month and year arrows keep the popover open. */
  if (picked == NULL || !GTK_IS_LABEL (picked)
      || !gtk_widget_has_css_class (picked, "day-number"))
    return;
  data = g_new0 (PickData, 1);
  g_weak_ref_init (&data->view, self);
  data->calendar = GTK_CALENDAR (calendar);
  g_idle_add (pick_day_idle_cb, data);
}

/* Opening a calendar shows the date typed in its entry. */
static void
sync_calendar (GtkCalendar *calendar,
               GtkEntry    *entry)
{
  g_autofree char *text = entry_text (entry);
  g_autoptr(GDateTime) date = text ? pb_views_parse_date (text, FALSE, NULL) : NULL;

  if (date != NULL)
    gtk_calendar_select_day (calendar, date);
}

static void
on_start_popover_show_cb (PbLogsView *self)
{
  sync_calendar (self->start_calendar, self->start_entry);
}

static void
on_end_popover_show_cb (PbLogsView *self)
{
  sync_calendar (self->end_calendar, self->end_entry);
}

/* ---- integrations and titles ----------------------------------------------------------- */

static void
update_titles (PbLogsView *self)
{
  PbIntegration *integration = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *account = entry_text (self->account_entry);

  if (self->integration_id != NULL && self->store != NULL)
    integration = pb_store_find_integration (self->store, self->integration_id, NULL);
  if (integration != NULL)
    subtitle = g_strdup_printf (_("%s · %s"), pb_integration_get_connector_label (integration),
                                pb_integration_get_name (integration));
  else if (self->integration_id != NULL)
    subtitle = g_strdup (self->integration_id);
  else
    subtitle = g_strdup (_("All integrations"));
  if (account != NULL)
    {
      /* TRANSLATORS: the integration(s), then an account id */
      char *with_account = g_strdup_printf (_("%s · account %s"), subtitle, account);
      g_free (subtitle);
      subtitle = with_account;
    }

  if (g_strcmp0 (subtitle, self->subtitle) != 0)
    {
      g_free (self->subtitle);
      self->subtitle = g_steal_pointer (&subtitle);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
    }
}

static void
rebuild_integrations (PbLogsView *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GListModel *integrations;
  guint n, selected = 0;

  g_ptr_array_set_size (self->integration_ids, 0);
  g_ptr_array_add (self->integration_ids, NULL);
  g_ptr_array_add (names, g_strdup (_("All integrations")));

  integrations = self->store ? pb_store_get_integrations (self->store) : NULL;
  n = integrations ? g_list_model_get_n_items (integrations) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);
      const char *id = pb_integration_get_id (integration);

      if (g_strcmp0 (id, self->integration_id) == 0)
        selected = self->integration_ids->len;
      g_ptr_array_add (self->integration_ids, g_strdup (id));
      g_ptr_array_add (names, g_strdup_printf ("%s · %s",
                                               pb_integration_get_connector_label (integration),
                                               pb_integration_get_name (integration)));
    }
  if (self->integration_id != NULL && selected == 0)
    {
      /* Not (yet) in the store: still show what is filtered on. */
      selected = self->integration_ids->len;
      g_ptr_array_add (self->integration_ids, g_strdup (self->integration_id));
      g_ptr_array_add (names, g_strdup_printf (_("Integration %s"), self->integration_id));
    }
  g_ptr_array_add (names, NULL);

  g_signal_handlers_block_by_func (self->integration_dropdown, on_integration_selected_cb, self);
  gtk_string_list_splice (self->integration_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->integration_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->integration_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->integration_dropdown, on_integration_selected_cb, self);
}

static void
on_integrations_changed_cb (PbLogsView *self)
{
  rebuild_integrations (self);
  update_titles (self);
}

static void
set_integration_id (PbLogsView *self,
                    const char *integration_id,
                    gboolean    from_dropdown)
{
  if (integration_id != NULL && *integration_id == '\0')
    integration_id = NULL;
  if (g_strcmp0 (self->integration_id, integration_id) == 0)
    return;
  g_free (self->integration_id);
  self->integration_id = g_strdup (integration_id);

  if (!from_dropdown)
    rebuild_integrations (self);
  update_titles (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTEGRATION_ID]);
  apply_filters (self);
}

static void
on_integration_selected_cb (PbLogsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->integration_dropdown);

  if (selected >= self->integration_ids->len)
    return;
  set_integration_id (self, g_ptr_array_index (self->integration_ids, selected), TRUE);
}

static void
on_account_changed_cb (PbLogsView *self)
{
  update_titles (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
  on_filter_text_changed_cb (self);
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

  if (self->model == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    {
      pb_logs_view_reload (self);
      return;
    }
  g_clear_pointer (&self->error_text, g_free);
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
    apply_filters (self);
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
                             G_CALLBACK (on_integrations_changed_cb), self, G_CONNECT_SWAPPED);
  rebuild_integrations (self);
  update_titles (self);
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

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_LOGS_VIEW);
  /* The template's unnamed top box too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

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
      g_value_take_string (value, entry_text (self->account_entry));
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
  gtk_widget_class_bind_template_callback (widget_class, on_integration_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_account_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_success_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_calendar_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked_cb);

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
      g_signal_connect (click, "pressed", G_CALLBACK (on_calendar_pressed_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (i == 0 ? self->start_calendar : self->end_calendar),
                                 GTK_EVENT_CONTROLLER (click));
    }
  g_signal_connect_object (gtk_menu_button_get_popover (self->start_button), "show",
                           G_CALLBACK (on_start_popover_show_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_menu_button_get_popover (self->end_button), "show",
                           G_CALLBACK (on_end_popover_show_cb), self, G_CONNECT_SWAPPED);
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
  set_integration_id (self, integration ? pb_integration_get_id (integration) : NULL, FALSE);
}

void
pb_logs_view_set_integration_id (PbLogsView *self,
                                 const char *integration_id)
{
  g_return_if_fail (PB_IS_LOGS_VIEW (self));
  set_integration_id (self, integration_id, FALSE);
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
  apply_filters (self);
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
    start (self);
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
  return self->model != NULL && pb_paged_model_get_loading (self->model);
}

gboolean
pb_logs_view_get_has_more (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), FALSE);
  return self->model == NULL || pb_paged_model_get_has_more (self->model);
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

GtkDropDown *
pb_logs_view_get_integration_dropdown (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->integration_dropdown;
}

GtkEditable *
pb_logs_view_get_account_entry (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return GTK_EDITABLE (self->account_entry);
}

GtkDropDown *
pb_logs_view_get_success_dropdown (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->success_dropdown;
}

GtkEditable *
pb_logs_view_get_status_entry (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return GTK_EDITABLE (self->status_entry);
}

GtkEditable *
pb_logs_view_get_start_entry (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return GTK_EDITABLE (self->start_entry);
}

GtkEditable *
pb_logs_view_get_end_entry (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return GTK_EDITABLE (self->end_entry);
}

GtkCalendar *
pb_logs_view_get_start_calendar (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->start_calendar;
}

const char *
pb_logs_view_get_offline_text (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->offline_revealer))
    return NULL;
  return gtk_label_get_label (self->offline_label);
}

GtkWindow *
pb_logs_view_get_details (PbLogsView *self)
{
  g_return_val_if_fail (PB_IS_LOGS_VIEW (self), NULL);
  return self->details ? GTK_WINDOW (self->details) : NULL;
}
