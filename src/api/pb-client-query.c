/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-client-private.h"

/* PbPage, PbQuery and the query string of a list call. */

G_DEFINE_BOXED_TYPE (PbPage, pb_page, pb_page_copy, pb_page_free)

PbPage *
pb_page_new (void)
{
  PbPage *page = g_new0 (PbPage, 1);

  page->items = g_ptr_array_new_with_free_func (g_object_unref);

  return page;
}

PbPage *
pb_page_copy (const PbPage *page)
{
  PbPage *copy;

  g_return_val_if_fail (page != NULL, NULL);

  copy = pb_page_new ();
  for (guint i = 0; i < page->items->len; i++)
    g_ptr_array_add (copy->items, g_object_ref (g_ptr_array_index (page->items, i)));
  copy->next = g_strdup (page->next);
  copy->sync_token = g_strdup (page->sync_token);

  return copy;
}

void
pb_page_free (PbPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->next);
  g_free (page->sync_token);
  g_free (page);
}

struct _PbQuery
{
  GPtrArray *pairs;   /* key, value, key, value, … in the order set */
};

G_DEFINE_BOXED_TYPE (PbQuery, pb_query, pb_query_copy, pb_query_free)

PbQuery *
pb_query_new (void)
{
  PbQuery *query = g_new0 (PbQuery, 1);

  query->pairs = g_ptr_array_new_with_free_func (g_free);

  return query;
}

PbQuery *
pb_query_copy (const PbQuery *query)
{
  PbQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = pb_query_new ();
  for (guint i = 0; i < query->pairs->len; i++)
    g_ptr_array_add (copy->pairs, g_strdup (g_ptr_array_index (query->pairs, i)));

  return copy;
}

void
pb_query_free (PbQuery *query)
{
  if (query == NULL)
    return;

  g_ptr_array_unref (query->pairs);
  g_free (query);
}

/**
 * pb_query_set:
 * @query: a query
 * @key: a filter name, e.g. "category"
 * @value: (nullable): its value; %NULL removes the filter
 */
void
pb_query_set (PbQuery    *query,
              const char *key,
              const char *value)
{
  g_return_if_fail (query != NULL);
  g_return_if_fail (key != NULL);

  for (guint i = 0; i < query->pairs->len; i += 2)
    {
      if (g_str_equal (g_ptr_array_index (query->pairs, i), key))
        {
          if (value == NULL)
            {
              g_ptr_array_remove_range (query->pairs, i, 2);
            }
          else
            {
              g_free (g_ptr_array_index (query->pairs, i + 1));
              g_ptr_array_index (query->pairs, i + 1) = g_strdup (value);
            }
          return;
        }
    }

  if (value != NULL)
    {
      g_ptr_array_add (query->pairs, g_strdup (key));
      g_ptr_array_add (query->pairs, g_strdup (value));
    }
}

const char *
pb_query_get (const PbQuery *query,
              const char    *key)
{
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < query->pairs->len; i += 2)
    if (g_str_equal (g_ptr_array_index (query->pairs, i), key))
      return g_ptr_array_index (query->pairs, i + 1);

  return NULL;
}

static void
append_query_pair (GString    *string,
                   const char *key,
                   const char *value)
{
  g_autofree char *escaped_key = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *escaped_value = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (string, string->len == 0 ? '?' : '&');
  g_string_append_printf (string, "%s=%s", escaped_key, escaped_value);
}

char *
pb_query_build_string (const PbQuery *query,
                       guint          page_size,
                       const char    *next)
{
  GString *string = g_string_new (NULL);

  if (query != NULL)
    for (guint i = 0; i < query->pairs->len; i += 2)
      append_query_pair (string,
                         g_ptr_array_index (query->pairs, i),
                         g_ptr_array_index (query->pairs, i + 1));

  if (page_size > 0)
    {
      char number[16];

      g_snprintf (number, sizeof number, "%u", page_size);
      append_query_pair (string, "page_size", number);
    }

  if (next != NULL)
    append_query_pair (string, "next", next);

  return g_string_free (string, FALSE);
}
