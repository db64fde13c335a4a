/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-log-row"

#include "config.h"

#include "pb-log-row.h"

#include <glib/gi18n.h>

#include "pb-views-util.h"

#define TEMPLATE "/io/github/plugboard/Plugboard/views/pb-log-row.ui"

struct _PbLogRow
{
  GtkWidget parent_instance;

  PbLogEntry *entry;

  /* template children */
  GtkImage *result_icon;
  GtkLabel *method_label;
  GtkLabel *path_label;
  GtkLabel *meta_label;
  GtkLabel *status_label;
};

G_DEFINE_FINAL_TYPE (PbLogRow, pb_log_row, GTK_TYPE_WIDGET)

static const char * const result_classes[] = { "success", "error", NULL };

static void
pb_log_row_dispose (GObject *object)
{
  PbLogRow *self = PB_LOG_ROW (object);

  g_clear_object (&self->entry);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_LOG_ROW);
  /* The template's unnamed top box too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pb_log_row_parent_class)->dispose (object);
}

static void
pb_log_row_class_init (PbLogRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_log_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, TEMPLATE);
  gtk_widget_class_bind_template_child (widget_class, PbLogRow, result_icon);
  gtk_widget_class_bind_template_child (widget_class, PbLogRow, method_label);
  gtk_widget_class_bind_template_child (widget_class, PbLogRow, path_label);
  gtk_widget_class_bind_template_child (widget_class, PbLogRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, PbLogRow, status_label);
}

static void
pb_log_row_init (PbLogRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pb_log_row_new (void)
{
  return g_object_new (PB_TYPE_LOG_ROW, NULL);
}

void
pb_log_row_set_entry (PbLogRow   *self,
                      PbLogEntry *entry)
{
  gboolean success;
  g_autofree char *when = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *status = NULL;
  g_autofree char *name = NULL;
  const char *provider;

  g_return_if_fail (PB_IS_LOG_ROW (self));

  if (!g_set_object (&self->entry, entry) || entry == NULL)
    return;

  success = pb_log_entry_get_success (entry);
  gtk_image_set_from_icon_name (self->result_icon,
                                success ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  pb_views_set_css_class (GTK_WIDGET (self->result_icon), result_classes,
                          success ? "success" : "error");

  gtk_label_set_label (self->method_label, pb_log_entry_get_http_method (entry));
  gtk_label_set_label (self->path_label, pb_log_entry_get_path (entry));

  status = g_strdup_printf ("%u", pb_log_entry_get_status (entry));
  gtk_label_set_label (self->status_label, status);
  pb_views_set_css_class (GTK_WIDGET (self->status_label), result_classes,
                          success ? NULL : "error");

  when = pb_views_format_time (pb_log_entry_get_event_datetime (entry));
  duration = pb_views_format_duration (pb_log_entry_get_duration (entry));
  provider = pb_log_entry_get_provider (entry);
  /* TRANSLATORS: time · duration · result (· connector) of a request log */
  meta = g_strdup_printf ("%s · %s · %s%s%s", when, duration,
                          success ? _("Succeeded") : _("Failed"),
                          provider ? " · " : "", provider ? provider : "");
  gtk_label_set_label (self->meta_label, meta);

  /* TRANSLATORS: a request's method, path and HTTP status, then its time · duration · result */
  name = g_strdup_printf (_("Request %s %s: %s, %s"), pb_log_entry_get_http_method (entry),
                          pb_log_entry_get_path (entry), status, meta);
  pb_views_name_row (GTK_WIDGET (self), name);
}
