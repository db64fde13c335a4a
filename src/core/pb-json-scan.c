/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-json-scan.h"

#include <string.h>

/* Nesting deeper than this is left to json-glib. */
#define SCAN_MAX_DEPTH 64
/* 18 digits always fit in a gint64. */
#define SCAN_MAX_DIGITS 18

void
pb_json_scan_init (PbJsonScan *scan,
                   const char *data,
                   gsize       length)
{
  scan->p = data;
  scan->end = data + length;
  scan->key = g_string_sized_new (64);
  scan->text = g_string_sized_new (256);
}

void
pb_json_scan_reset (PbJsonScan *scan,
                    const char *data,
                    gsize       length)
{
  scan->p = data;
  scan->end = data + length;
}

void
pb_json_scan_clear (PbJsonScan *scan)
{
  if (scan->key != NULL)
    g_string_free (scan->key, TRUE);
  if (scan->text != NULL)
    g_string_free (scan->text, TRUE);
  scan->key = NULL;
  scan->text = NULL;
  scan->p = scan->end = NULL;
}

static inline void
skip_space (PbJsonScan *scan)
{
  while (scan->p < scan->end &&
         (*scan->p == ' ' || *scan->p == '\n' || *scan->p == '\r' || *scan->p == '\t'))
    scan->p++;
}

gboolean
pb_json_scan_take (PbJsonScan *scan,
                   char        c)
{
  skip_space (scan);
  if (scan->p < scan->end && *scan->p == c)
    {
      scan->p++;
      return TRUE;
    }
  return FALSE;
}

gboolean
pb_json_scan_at_end (PbJsonScan *scan)
{
  skip_space (scan);
  return scan->p == scan->end;
}

static gboolean
take_word (PbJsonScan *scan,
           const char *word,
           gsize       length)
{
  skip_space (scan);
  if ((gsize) (scan->end - scan->p) < length || memcmp (scan->p, word, length) != 0)
    return FALSE;
  /* "nullx" is not null. */
  if (scan->p + length < scan->end && g_ascii_isalnum (scan->p[length]))
    return FALSE;
  scan->p += length;
  return TRUE;
}

gboolean
pb_json_scan_null (PbJsonScan *scan)
{
  return take_word (scan, "null", 4);
}

gboolean
pb_json_scan_boolean (PbJsonScan *scan,
                      gboolean   *out_value)
{
  if (take_word (scan, "true", 4))
    *out_value = TRUE;
  else if (take_word (scan, "false", 5))
    *out_value = FALSE;
  else
    return FALSE;
  return TRUE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* A string (the opening quote next) into @out: escapes decoded, checked UTF-8. */
static gboolean
read_string (PbJsonScan *scan,
             GString    *out)
{
  const char *run;

  skip_space (scan);
  if (scan->p >= scan->end || *scan->p != '"')
    return FALSE;
  scan->p++;
  g_string_truncate (out, 0);

  run = scan->p;
  while (scan->p < scan->end)
    {
      guchar c = (guchar) *scan->p;

      if (c == '"')
        {
          g_string_append_len (out, run, scan->p - run);
          scan->p++;
          return g_utf8_validate_len (out->str, out->len, NULL);
        }
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        {
          scan->p++;
          continue;
        }

      g_string_append_len (out, run, scan->p - run);
      if (scan->end - scan->p < 2)
        return FALSE;
      switch (scan->p[1])
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u = 0;

            if (scan->end - scan->p < 6)
              return FALSE;
            for (int i = 2; i < 6; i++)
              {
                int h = hex_value (scan->p[i]);

                if (h < 0)
                  return FALSE;
                u = (u << 4) | (gunichar) h;
              }
            /* Surrogates (pairs or not) and NUL: json-glib decides. */
            if (u == 0 || (u >= 0xd800 && u <= 0xdfff))
              return FALSE;
            g_string_append_unichar (out, u);
            scan->p += 4;
          }
          break;
        default:
          return FALSE;
        }
      scan->p += 2;
      run = scan->p;
    }

  return FALSE;
}

gboolean
pb_json_scan_string (PbJsonScan *scan)
{
  return read_string (scan, scan->text);
}

/* -?(0|[1-9][0-9]*), then optionally a fraction and an exponent; @out_integer (nullable) is
 * set only for a plain integer of at most SCAN_MAX_DIGITS digits, else FALSE is returned. */
static gboolean
read_number (PbJsonScan *scan,
             gint64     *out_integer)
{
  const char *start;
  gboolean negative = FALSE;
  gboolean plain = TRUE;
  guint digits = 0;
  gint64 value = 0;

  skip_space (scan);
  start = scan->p;
  if (scan->p < scan->end && *scan->p == '-')
    {
      negative = TRUE;
      scan->p++;
    }
  if (scan->p >= scan->end || !g_ascii_isdigit (*scan->p))
    return FALSE;
  if (*scan->p == '0')
    {
      scan->p++;
      digits = 1;
    }
  else
    while (scan->p < scan->end && g_ascii_isdigit (*scan->p))
      {
        if (digits < SCAN_MAX_DIGITS)
          value = value * 10 + (*scan->p - '0');
        digits++;
        scan->p++;
      }

  if (scan->p < scan->end && *scan->p == '.')
    {
      plain = FALSE;
      scan->p++;
      if (scan->p >= scan->end || !g_ascii_isdigit (*scan->p))
        return FALSE;
      while (scan->p < scan->end && g_ascii_isdigit (*scan->p))
        scan->p++;
    }
  if (scan->p < scan->end && (*scan->p == 'e' || *scan->p == 'E'))
    {
      plain = FALSE;
      scan->p++;
      if (scan->p < scan->end && (*scan->p == '+' || *scan->p == '-'))
        scan->p++;
      if (scan->p >= scan->end || !g_ascii_isdigit (*scan->p))
        return FALSE;
      while (scan->p < scan->end && g_ascii_isdigit (*scan->p))
        scan->p++;
    }
  /* "12abc" is not a number. */
  if (scan->p < scan->end && (g_ascii_isalpha (*scan->p) || *scan->p == '_'))
    return FALSE;

  if (out_integer == NULL)
    return scan->p > start;
  if (!plain || digits > SCAN_MAX_DIGITS)
    return FALSE;
  *out_integer = negative ? -value : value;
  return TRUE;
}

gboolean
pb_json_scan_int64 (PbJsonScan *scan,
                    gint64     *out_value)
{
  return read_number (scan, out_value);
}

gboolean
pb_json_scan_set_string (PbJsonScan  *scan,
                         char       **slot)
{
  if (!read_string (scan, scan->text))
    return FALSE;
  g_free (*slot);
  *slot = g_strndup (scan->text->str, scan->text->len);
  return TRUE;
}

gboolean
pb_json_scan_set_optional_string (PbJsonScan  *scan,
                                  char       **slot)
{
  if (pb_json_scan_null (scan))
    {
      g_clear_pointer (slot, g_free);
      return TRUE;
    }
  return pb_json_scan_set_string (scan, slot);
}

gboolean
pb_json_scan_set_strv (PbJsonScan *scan,
                       GStrv      *slot)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  gboolean first = TRUE;
  int more;

  g_clear_pointer (slot, g_strfreev);
  if (pb_json_scan_null (scan))
    return TRUE;
  if (!pb_json_scan_take (scan, '['))
    return FALSE;
  builder = g_strv_builder_new ();
  while ((more = pb_json_scan_element (scan, &first)) == 1)
    {
      if (!read_string (scan, scan->text))
        return FALSE;
      g_strv_builder_add (builder, scan->text->str);
    }
  if (more < 0)
    return FALSE;
  *slot = g_strv_builder_end (builder);
  return TRUE;
}

/* The end of a list or object (@close), or a separating comma unless this is its first item:
 * 0 at the end (consumed), 1 when an item follows, -1 otherwise. */
static int
next_item (PbJsonScan *scan,
           gboolean   *first,
           char        close)
{
  gboolean was_first = *first;

  *first = FALSE;
  if (pb_json_scan_take (scan, close))
    return 0;
  return was_first || pb_json_scan_take (scan, ',') ? 1 : -1;
}

int
pb_json_scan_member (PbJsonScan *scan,
                     gboolean   *first)
{
  int more = next_item (scan, first, '}');

  if (more == 1 && (!read_string (scan, scan->key) || !pb_json_scan_take (scan, ':')))
    return -1;
  return more;
}

int
pb_json_scan_element (PbJsonScan *scan,
                      gboolean   *first)
{
  return next_item (scan, first, ']');
}

static gboolean
skip_value (PbJsonScan *scan,
            guint       depth)
{
  gboolean first = TRUE;
  gboolean ignored;
  int more;

  if (depth > SCAN_MAX_DEPTH)
    return FALSE;

  skip_space (scan);
  if (scan->p >= scan->end)
    return FALSE;

  switch (*scan->p)
    {
    case '{':
      scan->p++;
      while ((more = pb_json_scan_member (scan, &first)) == 1)
        if (!skip_value (scan, depth + 1))
          return FALSE;
      return more == 0;

    case '[':
      scan->p++;
      while ((more = pb_json_scan_element (scan, &first)) == 1)
        if (!skip_value (scan, depth + 1))
          return FALSE;
      return more == 0;

    case '"':
      return read_string (scan, scan->text);

    case 't':
    case 'f':
      return pb_json_scan_boolean (scan, &ignored);

    case 'n':
      return pb_json_scan_null (scan);

    default:
      return read_number (scan, NULL);
    }
}

gboolean
pb_json_scan_skip_value (PbJsonScan *scan)
{
  return skip_value (scan, 0);
}
