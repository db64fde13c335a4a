/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-server-private.h"

/* A strict RFC 8259 reader for request bodies. It walks the whole text once, without recursion,
 * before json-glib parses it: json-glib 1.6 also accepts comments, single-quoted strings and
 * trailing documents, truncates strings at an escaped NUL, keeps the last of duplicate members,
 * and recurses once per level of nesting. What passes here is plain JSON that json-glib reads
 * the same way, nested at most @max_depth levels. */

typedef struct
{
  const char *text;
  gsize       len;
  gsize       pos;
  char       *problem;
} Reader;

static gboolean
fail (Reader     *r,
      const char *what)
{
  r->problem = g_strdup_printf ("%s at byte %" G_GSIZE_FORMAT, what, r->pos);
  return FALSE;
}

static void
skip_space (Reader *r)
{
  while (r->pos < r->len)
    {
      char c = r->text[r->pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      r->pos++;
    }
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

static gboolean
read_hex4 (Reader  *r,
           guint   *out)
{
  guint value = 0;
  int i;

  if (r->len - r->pos < 4)
    return fail (r, "an incomplete \\u escape");
  for (i = 0; i < 4; i++)
    {
      int digit = hex_value (r->text[r->pos + i]);
      if (digit < 0)
        return fail (r, "a \\u escape that is not four hexadecimal digits");
      value = value * 16 + digit;
    }
  r->pos += 4;
  *out = value;
  return TRUE;
}

/* Reads a string (at its opening quote); appends its decoded text to @decoded when not NULL.
 * The body was checked to be UTF-8 already. */
static gboolean
read_string (Reader  *r,
             GString *decoded)
{
  r->pos++;
  for (;;)
    {
      gsize run = r->pos;
      guchar c = 0;

      while (r->pos < r->len)
        {
          c = r->text[r->pos];
          if (c == '"' || c == '\\' || c < 0x20)
            break;
          r->pos++;
        }
      if (decoded != NULL)
        g_string_append_len (decoded, r->text + run, r->pos - run);
      if (r->pos >= r->len)
        return fail (r, "an unterminated string");
      if (c == '"')
        {
          r->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (r, c == 0 ? "a NUL character in a string"
                               : "a control character in a string (escape it)");
      /* An escape. */
      r->pos++;
      if (r->pos >= r->len)
        return fail (r, "an unterminated string");
      c = r->text[r->pos++];
      switch (c)
        {
        case '"': case '\\': case '/':
          if (decoded != NULL)
            g_string_append_c (decoded, c);
          break;
        case 'b': case 'f': case 'n': case 'r': case 't':
          if (decoded != NULL)
            g_string_append_c (decoded, c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n'
                                        : c == 'r' ? '\r' : '\t');
          break;
        case 'u':
          {
            guint unit, low;
            gunichar ch;

            if (!read_hex4 (r, &unit))
              return FALSE;
            if (unit == 0)
              return fail (r, "a NUL character (\\u0000) in a string");
            if (unit >= 0xdc00 && unit <= 0xdfff)
              return fail (r, "a lone low surrogate escape");
            if (unit >= 0xd800 && unit <= 0xdbff)
              {
                if (r->len - r->pos < 2 || r->text[r->pos] != '\\' || r->text[r->pos + 1] != 'u')
                  return fail (r, "a high surrogate escape without its low half");
                r->pos += 2;
                if (!read_hex4 (r, &low))
                  return FALSE;
                if (low < 0xdc00 || low > 0xdfff)
                  return fail (r, "a high surrogate escape without its low half");
                ch = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
              }
            else
              ch = unit;
            if (decoded != NULL)
              g_string_append_unichar (decoded, ch);
          }
          break;
        default:
          r->pos--;
          return fail (r, "an unknown escape in a string");
        }
    }
}

static gboolean
read_digits (Reader *r)
{
  gsize start = r->pos;

  while (r->pos < r->len && g_ascii_isdigit (r->text[r->pos]))
    r->pos++;
  return r->pos > start;
}

static gboolean
read_number (Reader *r)
{
  if (r->text[r->pos] == '-')
    r->pos++;
  if (r->pos < r->len && r->text[r->pos] == '0')
    r->pos++;
  else if (!read_digits (r))
    return fail (r, "a number without digits");
  if (r->pos < r->len && r->text[r->pos] == '.')
    {
      r->pos++;
      if (!read_digits (r))
        return fail (r, "a number without digits after the decimal point");
    }
  if (r->pos < r->len && (r->text[r->pos] == 'e' || r->text[r->pos] == 'E'))
    {
      r->pos++;
      if (r->pos < r->len && (r->text[r->pos] == '+' || r->text[r->pos] == '-'))
        r->pos++;
      if (!read_digits (r))
        return fail (r, "a number without digits in its exponent");
    }
  return TRUE;
}

static gboolean
read_literal (Reader *r)
{
  static const char * const literals[] = { "true", "false", "null" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize n = strlen (literals[i]);
      if (r->len - r->pos >= n && memcmp (r->text + r->pos, literals[i], n) == 0)
        {
          r->pos += n;
          return TRUE;
        }
    }
  return fail (r, "something that is not a JSON value (comments and single quotes are not JSON)");
}

/* An object member name: a string not seen before in the same object. */
static gboolean
read_member_name (Reader     *r,
                  GHashTable *seen)
{
  g_autoptr(GString) name = g_string_new (NULL);
  gsize start = r->pos;

  if (r->pos >= r->len || r->text[r->pos] != '"')
    return fail (r, "a member name that is not a string in double quotes");
  if (!read_string (r, name))
    return FALSE;
  if (g_hash_table_contains (seen, name->str))
    {
      r->pos = start;
      return fail (r, "a member name used twice in the same object");
    }
  g_hash_table_add (seen, g_string_free (g_steal_pointer (&name), FALSE));
  skip_space (r);
  if (r->pos >= r->len || r->text[r->pos] != ':')
    return fail (r, "a member name without “:” after it");
  r->pos++;
  return TRUE;
}

static void
free_names (gpointer data)
{
  if (data != NULL)
    g_hash_table_unref (data);
}

gboolean
pb_json_check_strict (const char  *text,
                      gsize        len,
                      guint        max_depth,
                      char       **out_problem)
{
  Reader r = { text, len, 0, NULL };
  /* The open containers: '{' or '[', and each object's member names. */
  g_autoptr(GString) open = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (free_names);
  gboolean ok = FALSE;

  for (;;)
    {
      char c;

      /* A value. */
      skip_space (&r);
      if (r.pos >= r.len)
        {
          fail (&r, "the end of the text where a value was expected");
          goto out;
        }
      c = r.text[r.pos];
      if (c == '{' || c == '[')
        {
          if (open->len >= max_depth)
            {
              r.problem = g_strdup_printf ("nesting deeper than %u levels", max_depth);
              goto out;
            }
          r.pos++;
          g_string_append_c (open, c);
          g_ptr_array_add (names, c == '{' ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL)
                                           : NULL);
          skip_space (&r);
          if (r.pos < r.len && r.text[r.pos] == (c == '{' ? '}' : ']'))
            {
              r.pos++;
              g_string_truncate (open, open->len - 1);
              g_ptr_array_set_size (names, names->len - 1);
            }
          else
            {
              if (c == '{' && !read_member_name (&r, names->pdata[names->len - 1]))
                goto out;
              continue;
            }
        }
      else if (c == '"')
        {
          if (!read_string (&r, NULL))
            goto out;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          if (!read_number (&r))
            goto out;
        }
      else if (!read_literal (&r))
        goto out;

      /* After a value: a separator, the end of containers, or the end of the text. */
      for (;;)
        {
          char top;

          skip_space (&r);
          if (open->len == 0)
            {
              if (r.pos < r.len)
                {
                  fail (&r, "more text after the JSON value");
                  goto out;
                }
              ok = TRUE;
              goto out;
            }
          top = open->str[open->len - 1];
          if (r.pos >= r.len)
            {
              fail (&r, top == '{' ? "an unterminated object" : "an unterminated array");
              goto out;
            }
          c = r.text[r.pos];
          if (c == (top == '{' ? '}' : ']'))
            {
              r.pos++;
              g_string_truncate (open, open->len - 1);
              g_ptr_array_set_size (names, names->len - 1);
              continue;
            }
          if (c != ',')
            {
              fail (&r, top == '{' ? "a missing “,” or “}” in an object"
                                   : "a missing “,” or “]” in an array");
              goto out;
            }
          r.pos++;
          if (top == '{')
            {
              skip_space (&r);
              if (!read_member_name (&r, names->pdata[names->len - 1]))
                goto out;
            }
          break;
        }
    }

out:
  if (!ok)
    *out_problem = r.problem;
  else
    g_free (r.problem);
  return ok;
}
