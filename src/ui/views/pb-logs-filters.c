/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-logs-view"

#include "config.h"

#include "pb-logs-view-private.h"

#include <glib/gi18n.h>

#include "pb-views-util.h"

#define FILTER_DELAY_MS   250


/* ---- filters --------------------------------------------------------------------------- */

char *
pb_logs_entry_text (GtkEntry *entry)
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

/* The filters as typed, or NULL with a message saying what is wrong. */
static PbPagedFilter *
build_filter (PbLogsView  *self,
              char       **out_message)
{
  g_autoptr(PbPagedFilter) filter = pb_paged_filter_new ();
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *account = pb_logs_entry_text (self->account_entry);
  g_autofree char *status = pb_logs_entry_text (self->status_entry);
  g_autofree char *start_text = pb_logs_entry_text (self->start_entry);
  g_autofree char *end_text = pb_logs_entry_text (self->end_entry);
  g_autoptr(GDateTime) start_time = NULL;
  g_autoptr(GDateTime) end_time = NULL;
  g_autofree char *example = date_example ();
  guint success = gtk_drop_down_get_selected (self->success_dropdown);

  filter->integration_id = g_strdup (pb_paged_view_get_integration_id (PB_PAGED_VIEW (self)));
  filter->account_id = g_steal_pointer (&account);
  if (success == 1)
    filter->result = PB_PAGED_RESULT_SUCCEEDED;
  else if (success == 2)
    filter->result = PB_PAGED_RESULT_FAILED;

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
        filter->status_codes = g_steal_pointer (&codes);
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
  filter->start = g_steal_pointer (&start_time);
  filter->end = g_steal_pointer (&end_time);

  if (messages->len > 0)
    {
      g_ptr_array_add (messages, g_strdup (_("The list shows the previous filters until these "
                                             "are corrected.")));
      g_ptr_array_add (messages, NULL);
      *out_message = g_strjoinv ("\n", (char **) messages->pdata);
      return NULL;
    }
  *out_message = NULL;
  return g_steal_pointer (&filter);
}

guint
pb_logs_count_filters (PbLogsView *self)
{
  const PbPagedFilter *filter = pb_paged_view_get_filter (PB_PAGED_VIEW (self));

  if (filter == NULL)
    return 0;
  return (filter->account_id != NULL) + (filter->result != PB_PAGED_RESULT_ANY)
         + (filter->status_codes != NULL) + (filter->start != NULL) + (filter->end != NULL);
}

static void
update_filters_button (PbLogsView *self)
{
  guint n_filters = pb_logs_count_filters (self);
  g_autofree char *label = NULL;

  if (n_filters > 0)
    /* TRANSLATORS: the filters button, with the number of filters in use */
    label = g_strdup_printf (_("Filters (%u)"), n_filters);
  gtk_button_set_label (GTK_BUTTON (self->filters_button), label ? label : _("Filters"));
}

void
pb_logs_apply_filters (PbPagedView *view)
{
  PbLogsView *self = PB_LOGS_VIEW (view);
  g_autofree char *message = NULL;
  PbPagedFilter *filter = NULL;

  g_clear_handle_id (&self->filter_timeout, g_source_remove);
  filter = build_filter (self, &message);

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

  pb_paged_view_show_filter (view, filter, PB_PAGED_VIEW_LOAD_IF_CHANGED);
  update_filters_button (self);
}

static gboolean
filter_timeout_cb (gpointer user_data)
{
  PbLogsView *self = user_data;

  self->filter_timeout = 0;
  pb_logs_apply_filters (PB_PAGED_VIEW (self));
  return G_SOURCE_REMOVE;
}

void
pb_logs_on_filter_text_changed_cb (PbLogsView *self)
{
  g_clear_handle_id (&self->filter_timeout, g_source_remove);
  self->filter_timeout = g_timeout_add (FILTER_DELAY_MS, filter_timeout_cb, self);
}

void
pb_logs_on_filter_activate_cb (PbLogsView *self)
{
  pb_logs_apply_filters (PB_PAGED_VIEW (self));
}

/* Everything but the integration (the view may have been opened for it). */
void
pb_logs_clear_filters (PbPagedView *view)
{
  PbLogsView *self = PB_LOGS_VIEW (view);

  g_signal_handlers_block_by_func (self->success_dropdown, pb_logs_on_success_selected_cb, self);
  gtk_drop_down_set_selected (self->success_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->success_dropdown, pb_logs_on_success_selected_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->account_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->status_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->start_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->end_entry), "");
  pb_logs_apply_filters (view);
}

void
pb_logs_on_success_selected_cb (PbLogsView *self)
{
  pb_logs_apply_filters (PB_PAGED_VIEW (self));
}

/* The day picked in a calendar goes into its entry, whose change is applied after the usual
 * pause: arrow keys move through the days without a request for each, and the popover stays
 * open until Escape, Enter or a click elsewhere. */
void
pb_logs_on_calendar_day_selected_cb (GtkCalendar *calendar,
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
      pb_logs_on_calendar_day_selected_cb (data->calendar, self);
      gtk_menu_button_popdown (data->calendar == self->start_calendar ? self->start_button
                                                                       : self->end_button);
    }
  g_weak_ref_clear (&data->view);
  g_free (data);
  return G_SOURCE_REMOVE;
}

void
pb_logs_on_calendar_pressed_cb (GtkGestureClick *gesture,
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
  g_autofree char *text = pb_logs_entry_text (entry);
  g_autoptr(GDateTime) date = text ? pb_views_parse_date (text, FALSE, NULL) : NULL;

  if (date != NULL)
    gtk_calendar_select_day (calendar, date);
}

void
pb_logs_on_start_popover_show_cb (PbLogsView *self)
{
  sync_calendar (self->start_calendar, self->start_entry);
}

void
pb_logs_on_end_popover_show_cb (PbLogsView *self)
{
  sync_calendar (self->end_calendar, self->end_entry);
}

/* ---- integrations and titles ----------------------------------------------------------- */

void
pb_logs_update_titles (PbLogsView *self)
{
  g_autofree char *account = pb_logs_entry_text (self->account_entry);
  char *subtitle = pb_paged_view_integration_subtitle (PB_PAGED_VIEW (self));

  if (account != NULL)
    {
      /* TRANSLATORS: the integration(s), then an account id */
      char *with_account = g_strdup_printf (_("%s · account %s"), subtitle, account);
      g_free (subtitle);
      subtitle = with_account;
    }
  pb_paged_view_set_subtitle (PB_PAGED_VIEW (self), subtitle);
}

void
pb_logs_rebuild_integrations (PbLogsView *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  PbStore *store = pb_paged_view_get_store (PB_PAGED_VIEW (self));
  const char *integration_id = pb_paged_view_get_integration_id (PB_PAGED_VIEW (self));
  GListModel *integrations;
  guint n, selected = 0;

  g_ptr_array_set_size (self->integration_ids, 0);
  g_ptr_array_add (self->integration_ids, NULL);
  g_ptr_array_add (names, g_strdup (_("All integrations")));

  integrations = store ? pb_store_get_integrations (store) : NULL;
  n = integrations ? g_list_model_get_n_items (integrations) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);
      const char *id = pb_integration_get_id (integration);

      if (g_strcmp0 (id, integration_id) == 0)
        selected = self->integration_ids->len;
      g_ptr_array_add (self->integration_ids, g_strdup (id));
      g_ptr_array_add (names, g_strdup_printf ("%s · %s",
                                               pb_integration_get_connector_label (integration),
                                               pb_integration_get_name (integration)));
    }
  if (integration_id != NULL && selected == 0)
    {
      /* Not (yet) in the store: still show what is filtered on. */
      selected = self->integration_ids->len;
      g_ptr_array_add (self->integration_ids, g_strdup (integration_id));
      g_ptr_array_add (names, g_strdup_printf (_("Integration %s"), integration_id));
    }
  g_ptr_array_add (names, NULL);

  g_signal_handlers_block_by_func (self->integration_dropdown,
                                   pb_logs_on_integration_selected_cb, self);
  gtk_string_list_splice (self->integration_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->integration_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->integration_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->integration_dropdown,
                                     pb_logs_on_integration_selected_cb, self);
}

void
pb_logs_on_integrations_changed_cb (PbLogsView *self)
{
  pb_logs_rebuild_integrations (self);
  pb_logs_update_titles (self);
}

void
pb_logs_on_integration_selected_cb (PbLogsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->integration_dropdown);

  if (selected >= self->integration_ids->len)
    return;
  self->from_dropdown = TRUE;
  pb_paged_view_set_integration_id (PB_PAGED_VIEW (self),
                                    g_ptr_array_index (self->integration_ids, selected));
  self->from_dropdown = FALSE;
}

void
pb_logs_on_account_changed_cb (PbLogsView *self)
{
  pb_logs_update_titles (self);
  g_object_notify (G_OBJECT (self), "account-id");
  pb_logs_on_filter_text_changed_cb (self);
}
