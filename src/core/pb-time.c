/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-time.h"

#include <string.h>

/**
 * pb_time_parse_rfc3339:
 * @text: (nullable): a time such as "2024-05-01T12:30:00Z" or "2024-05-01T14:30:00.250+02:00"
 *
 * Parses an RFC 3339 time. Unlike ISO 8601 in general, RFC 3339 requires the full date,
 * the full time and an explicit offset, so anything less is refused.
 *
 * Returns: (transfer full) (nullable): the time converted to UTC, or %NULL when @text is
 *   not an RFC 3339 time
 */
GDateTime *
pb_time_parse_rfc3339 (const char *text)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *normalised = NULL;
  size_t len;

  if (text == NULL)
    return NULL;

  len = strlen (text);
  /* YYYY-MM-DDTHH:MM:SS plus at least "Z". */
  if (len < 20)
    return NULL;
  if (!g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[2]) || !g_ascii_isdigit (text[3]) ||
      text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      text[13] != ':' || text[16] != ':')
    return NULL;
  /* An explicit offset is required: Z, or ±HH:MM at the end. */
  if (text[len - 1] != 'Z' && text[len - 1] != 'z' &&
      !(len >= 25 && (text[len - 6] == '+' || text[len - 6] == '-') && text[len - 3] == ':'))
    return NULL;

  /* RFC 3339 allows lower-case "t" and "z" and a space between date and time; GLib
   * wants the upper-case ISO 8601 form. */
  normalised = g_ascii_strup (text, len);
  normalised[10] = 'T';

  parsed = g_date_time_new_from_iso8601 (normalised, NULL);
  if (parsed == NULL)
    return NULL;

  return g_date_time_to_utc (parsed);
}

/**
 * pb_time_format_rfc3339:
 * @datetime: a time
 *
 * Formats @datetime in UTC as RFC 3339 with a "Z" offset, e.g. "2024-05-01T12:30:00Z".
 * Fractions of a second are written only when present (milliseconds when that is exact,
 * else microseconds), so that parse and format round-trip.
 *
 * Returns: (transfer full): the text
 */
char *
pb_time_format_rfc3339 (GDateTime *datetime)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *base = NULL;
  int usec;

  g_return_val_if_fail (datetime != NULL, NULL);

  utc = g_date_time_to_utc (datetime);
  base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  usec = g_date_time_get_microsecond (utc);

  if (usec == 0)
    return g_strdup_printf ("%sZ", base);
  if (usec % 1000 == 0)
    return g_strdup_printf ("%s.%03dZ", base, usec / 1000);
  return g_strdup_printf ("%s.%06dZ", base, usec);
}
