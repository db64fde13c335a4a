/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pb-core.h"

G_BEGIN_DECLS

/* Helpers shared by the accounts and logs views (private to src/ui/views). */

/* @time in local time, for a person: "Today at 14:05", "Yesterday at 09:12", "Tue 24 Nov at
 * 14:05", "24 Nov 2025 at 14:05"; "—" for NULL. */
char       *pb_views_format_time       (GDateTime          *time);
/* Local time with seconds and the UTC offset, for the details dialog. */
char       *pb_views_format_time_full  (GDateTime          *time);
/* "85 ms", "1.4 s" */
char       *pb_views_format_duration   (gint64              milliseconds);

const char *pb_views_status_label      (PbAccountStatus     status);
/* What the status means for the account, for when the backend gave no reason. */
const char *pb_views_status_explanation (PbAccountStatus    status);
const char *pb_views_status_icon       (PbAccountStatus     status);
/* A style class beside the word and the icon (never colour alone): "success", "warning",
 * "error", or "dim-label" for an account that is off because its integration is. */
const char *pb_views_status_css_class  (PbAccountStatus     status);

/* A YYYY-MM-DD date in local time. @end_of_day: the last millisecond of that day instead of
 * its start. Returns NULL (and @error) when @text is not such a date. */
GDateTime  *pb_views_parse_date        (const char         *text,
                                        gboolean            end_of_day,
                                        GError            **error);
/* "404, 500" → "404,500"; NULL with @error when a part is not a code from 100 to 599. */
char       *pb_views_parse_status_codes (const char        *text,
                                         GError           **error);
/* RFC 3339 UTC with milliseconds, as the API wants. */
char       *pb_views_format_rfc3339    (GDateTime          *time);

/* Removes every style class in @classes (NULL-terminated) from @widget and adds @add. */
/* Names a list's row for screen readers, and its cell (GTK 4.8 names that after its class). */
void        pb_views_name_row          (GtkWidget          *row,
                                        const char         *name);
void        pb_views_set_css_class     (GtkWidget          *widget,
                                        const char * const *classes,
                                        const char         *add);

G_END_DECLS
