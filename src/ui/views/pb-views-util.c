/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-views"

#include "config.h"

#include "pb-views-util.h"

#include <inttypes.h>
#include <glib/gi18n.h>

char *
pb_views_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *clock = NULL;
  int days;

  if (time == NULL)
    return g_strdup ("—");

  local = g_date_time_to_local (time);
  now = g_date_time_new_now_local ();
  /* TRANSLATORS: a time of day as in "Today at 14:05"; see g_date_time_format() */
  clock = g_date_time_format (local, _("%H:%M"));
  days = g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (local);

  if (g_date_time_get_year (now) == g_date_time_get_year (local))
    {
      g_autofree char *date = NULL;

      if (days == 0)
        /* TRANSLATORS: %s is a time of day */
        return g_strdup_printf (_("Today at %s"), clock);
      if (days == 1)
        /* TRANSLATORS: %s is a time of day */
        return g_strdup_printf (_("Yesterday at %s"), clock);
      /* TRANSLATORS: a date in this year, see g_date_time_format() */
      date = g_date_time_format (local, _("%a %-d %b"));
      /* TRANSLATORS: a date, then a time of day: "Tue 24 Nov at 14:05" */
      return g_strdup_printf (_("%s at %s"), g_strstrip (date), clock);
    }
  else
    {
      /* TRANSLATORS: a date in another year, see g_date_time_format() */
      g_autofree char *date = g_date_time_format (local, _("%-d %b %Y"));
      return g_strdup_printf (_("%s at %s"), g_strstrip (date), clock);
    }
}

char *
pb_views_format_time_full (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (time);
  /* TRANSLATORS: a full local time with seconds and the UTC offset, see g_date_time_format() */
  return g_date_time_format (local, _("%A %-d %B %Y, %H:%M:%S (UTC%:z)"));
}

char *
pb_views_format_duration (gint64 milliseconds)
{
  if (milliseconds < 1000)
    /* TRANSLATORS: a duration in milliseconds */
    return g_strdup_printf (_("%" PRId64 " ms"), milliseconds);
  /* TRANSLATORS: a duration in seconds */
  return g_strdup_printf (_("%.1f s"), milliseconds / 1000.0);
}

const char *
pb_views_status_label (PbAccountStatus status)
{
  switch (status)
    {
    case PB_ACCOUNT_STATUS_ACTIVE:
      return C_("account status", "Active");
    case PB_ACCOUNT_STATUS_INACTIVE:
      return C_("account status", "Inactive");
    case PB_ACCOUNT_STATUS_SUSPENDED:
      return C_("account status", "Suspended");
    case PB_ACCOUNT_STATUS_EXPIRED:
      return C_("account status", "Expired");
    case PB_ACCOUNT_STATUS_ERROR:
    default:
      return C_("account status", "Error");
    }
}

const char *
pb_views_status_explanation (PbAccountStatus status)
{
  switch (status)
    {
    case PB_ACCOUNT_STATUS_ACTIVE:
      return _("API requests to it are served.");
    case PB_ACCOUNT_STATUS_INACTIVE:
      return _("Its integration is disabled: API requests to it are refused until the "
               "integration is enabled again.");
    case PB_ACCOUNT_STATUS_SUSPENDED:
      return _("Suspended by an admin: API requests to it are refused until it is resumed.");
    case PB_ACCOUNT_STATUS_EXPIRED:
      return _("Its credentials have expired: link it again to renew them.");
    case PB_ACCOUNT_STATUS_ERROR:
    default:
      return _("Its credentials were refused: link it again, or check them once they are "
               "fixed.");
    }
}

const char *
pb_views_status_icon (PbAccountStatus status)
{
  switch (status)
    {
    case PB_ACCOUNT_STATUS_ACTIVE:
      return "emblem-ok-symbolic";
    case PB_ACCOUNT_STATUS_INACTIVE:
      return "media-playback-pause-symbolic";
    case PB_ACCOUNT_STATUS_SUSPENDED:
      return "action-unavailable-symbolic";
    case PB_ACCOUNT_STATUS_EXPIRED:
      return "alarm-symbolic";
    case PB_ACCOUNT_STATUS_ERROR:
    default:
      return "dialog-error-symbolic";
    }
}

const char *
pb_views_status_css_class (PbAccountStatus status)
{
  switch (status)
    {
    case PB_ACCOUNT_STATUS_ACTIVE:
      return "success";
    case PB_ACCOUNT_STATUS_INACTIVE:
      return "dim-label";
    case PB_ACCOUNT_STATUS_SUSPENDED:
    case PB_ACCOUNT_STATUS_EXPIRED:
      return "warning";
    case PB_ACCOUNT_STATUS_ERROR:
    default:
      return "error";
    }
}

GDateTime *
pb_views_parse_date (const char  *text,
                     gboolean     end_of_day,
                     GError     **error)
{
  guint64 year, month, day;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GDateTime) start = NULL;

  if (text != NULL)
    parts = g_strsplit (text, "-", 4);
  if (parts == NULL || g_strv_length (parts) != 3
      || strlen (parts[0]) != 4 || strlen (parts[1]) != 2 || strlen (parts[2]) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, 9999, &year, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL)
      || !g_ascii_string_to_unsigned (parts[2], 10, 1, 31, &day, NULL)
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Not a date in the form YYYY-MM-DD"));
      return NULL;
    }

  start = g_date_time_new_local ((int) year, (int) month, (int) day, 0, 0, 0);
  if (start == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Not a date in the form YYYY-MM-DD"));
      return NULL;
    }
  if (!end_of_day)
    return g_steal_pointer (&start);
  return g_date_time_add (start, G_TIME_SPAN_DAY - G_TIME_SPAN_MILLISECOND);
}

char *
pb_views_parse_status_codes (const char  *text,
                             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 code;
      char *part = g_strstrip (parts[i]);

      if (*part == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (part, 10, 100, 599, &code, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not an HTTP status code (a number from 100 to 599)"), part);
          return NULL;
        }
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, code);
    }
  if (out->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("No status code given"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
pb_views_format_rfc3339 (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
}

void
pb_views_set_css_class (GtkWidget          *widget,
                        const char * const *classes,
                        const char         *add)
{
  for (guint i = 0; classes[i] != NULL; i++)
    gtk_widget_remove_css_class (widget, classes[i]);
  if (add != NULL)
    gtk_widget_add_css_class (widget, add);
}

void
pb_views_name_row (GtkWidget  *row,
                   const char *name)
{
  GtkWidget *cell = gtk_widget_get_parent (row);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (cell != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
}
