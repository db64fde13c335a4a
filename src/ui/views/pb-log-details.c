/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-log-details"

#include "config.h"

#include "pb-views-private.h"

#include <glib/gi18n.h>

#include "pb-views-util.h"

struct _PbLogDetails
{
  AdwWindow parent_instance;

  PbLogEntry *entry;
  GHashTable *values;        /* row title → value shown */
  AdwToastOverlay *toasts;
  GtkButton *copy_button;
};

G_DEFINE_FINAL_TYPE (PbLogDetails, pb_log_details, ADW_TYPE_WINDOW)

static void
pb_log_details_finalize (GObject *object)
{
  PbLogDetails *self = PB_LOG_DETAILS (object);

  g_clear_object (&self->entry);
  g_clear_pointer (&self->values, g_hash_table_unref);

  G_OBJECT_CLASS (pb_log_details_parent_class)->finalize (object);
}

static void
pb_log_details_class_init (PbLogDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pb_log_details_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pb_log_details_init (PbLogDetails *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static GtkWidget *
add_row (PbLogDetails        *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row = adw_action_row_new ();
  const char *shown = (value != NULL && *value != '\0') ? value : "—";

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
  /* Values first: that is what the admin reads. */
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);
  g_hash_table_replace (self->values, g_strdup (title), g_strdup (shown));
  return row;
}

static void
on_copy_clicked_cb (GtkButton    *button,
                    PbLogDetails *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          pb_log_entry_get_request_id (self->entry));
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Request ID copied")));
}

GtkWidget *
pb_log_details_new (PbLogEntry *entry,
                    PbStore    *store)
{
  PbLogDetails *self;
  GtkWidget *box, *header, *page, *row;
  AdwPreferencesGroup *request, *source;
  PbIntegration *integration = NULL;
  const char *integration_id;
  g_autofree char *time = NULL;
  g_autofree char *utc = NULL;
  g_autofree char *status = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *integration_text = NULL;
  g_autoptr(GDateTime) utc_time = NULL;

  g_return_val_if_fail (PB_IS_LOG_ENTRY (entry), NULL);
  g_return_val_if_fail (store == NULL || PB_IS_STORE (store), NULL);

  self = g_object_new (PB_TYPE_LOG_DETAILS,
                       "title", _("Request Details"),
                       "modal", TRUE,
                       "default-width", 560,
                       "default-height", 640,
                       NULL);
  self->entry = g_object_ref (entry);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->toasts), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->toasts));
  page = adw_preferences_page_new ();
  adw_toast_overlay_set_child (self->toasts, page);
  adw_window_set_content (ADW_WINDOW (self), box);

  request = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (request, _("Request"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), request);

  row = add_row (self, request, _("Request ID"), pb_log_entry_get_request_id (entry));
  self->copy_button = GTK_BUTTON (gtk_button_new_from_icon_name ("edit-copy-symbolic"));
  gtk_widget_set_valign (GTK_WIDGET (self->copy_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->copy_button), "flat");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button), _("Copy Request ID"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy request ID"), -1);
  g_signal_connect (self->copy_button, "clicked", G_CALLBACK (on_copy_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->copy_button));

  time = pb_views_format_time_full (pb_log_entry_get_event_datetime (entry));
  add_row (self, request, _("Time"), time);
  if (pb_log_entry_get_event_datetime (entry) != NULL)
    {
      utc_time = g_date_time_to_utc (pb_log_entry_get_event_datetime (entry));
      utc = pb_views_format_rfc3339 (utc_time);
    }
  add_row (self, request, _("Time (UTC)"), utc);
  add_row (self, request, _("Method"), pb_log_entry_get_http_method (entry));
  add_row (self, request, _("Path"), pb_log_entry_get_path (entry));
  add_row (self, request, _("URL"), pb_log_entry_get_url (entry));
  status = g_strdup_printf ("%u", pb_log_entry_get_status (entry));
  add_row (self, request, _("HTTP Status"), status);
  add_row (self, request, _("Result"),
           pb_log_entry_get_success (entry) ? _("Succeeded") : _("Failed"));
  duration = pb_views_format_duration (pb_log_entry_get_duration (entry));
  add_row (self, request, _("Duration"), duration);

  source = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (source, _("Source"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), source);

  add_row (self, source, _("Connector"), pb_log_entry_get_provider (entry));
  integration_id = pb_log_entry_get_integration_id (entry);
  if (store != NULL && integration_id != NULL)
    integration = pb_store_find_integration (store, integration_id, NULL);
  if (integration != NULL)
    integration_text = g_strdup_printf ("%s (%s)", pb_integration_get_name (integration),
                                        integration_id);
  else
    integration_text = g_strdup (integration_id);
  add_row (self, source, _("Integration"), integration_text);
  add_row (self, source, _("Account ID"), pb_log_entry_get_account_id (entry));
  add_row (self, source, _("Service"), pb_log_entry_get_service (entry));
  add_row (self, source, _("Resource"), pb_log_entry_get_resource (entry));
  add_row (self, source, _("Source Type"), pb_log_entry_get_source_type (entry));

  return GTK_WIDGET (self);
}

PbLogEntry *
pb_log_details_get_entry (PbLogDetails *self)
{
  g_return_val_if_fail (PB_IS_LOG_DETAILS (self), NULL);
  return self->entry;
}

GtkButton *
pb_log_details_get_copy_button (PbLogDetails *self)
{
  g_return_val_if_fail (PB_IS_LOG_DETAILS (self), NULL);
  return self->copy_button;
}

const char *
pb_log_details_get_value (PbLogDetails *self,
                          const char   *title)
{
  g_return_val_if_fail (PB_IS_LOG_DETAILS (self), NULL);
  return g_hash_table_lookup (self->values, title);
}
