/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-category"

#include "config.h"

#include "pb-category-table.h"

#include <glib/gi18n-lib.h>

static const struct
{
  const char *key;
  const char *label;
} categories[] = {
  { "hris", N_("HRIS") },
  { "ats", N_("ATS") },
  { "crm", N_("CRM") },
  { "iam", N_("IAM") },
  { "marketing", N_("Marketing") },
  { "lms", N_("LMS") },
  { "ticketing", N_("Ticketing") },
  { "documents", N_("Documents") },
  { "messaging", N_("Messaging") },
  { "accounting", N_("Accounting") },
  { "screening", N_("Screening") },
  { "scheduling", N_("Scheduling") },
};

const char * const *
pb_category_all_keys (void)
{
  static const char *keys[G_N_ELEMENTS (categories) + 1];
  static gsize filled = 0;

  if (g_once_init_enter (&filled))
    {
      for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
        keys[i] = categories[i].key;
      g_once_init_leave (&filled, 1);
    }
  return keys;
}

guint
pb_category_rank (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_strcmp0 (categories[i].key, key) == 0)
      return i;
  return G_N_ELEMENTS (categories);
}

const char *
pb_category_api_label (const char *key)
{
  guint rank = pb_category_rank (key);

  return rank < G_N_ELEMENTS (categories) ? categories[rank].label : NULL;
}

const char *
pb_category_label_for_key (const char *key)
{
  const char *label = pb_category_api_label (key);

  return label != NULL ? _(label) : key;
}

char *
pb_category_display_label (const char *key)
{
  const char *label = pb_category_api_label (key);
  g_autofree char *first = NULL;

  if (key == NULL || *key == '\0')
    return g_strdup (_("Other"));
  if (label != NULL)
    return g_strdup (_(label));
  first = g_utf8_strup (key, g_utf8_next_char (key) - key);
  return g_strconcat (first, g_utf8_next_char (key), NULL);
}
