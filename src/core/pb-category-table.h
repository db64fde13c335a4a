/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The categories of api.md, once for the app and the server: their keys ("hris"), the
 * order the app shows them in, and their labels ("HRIS"), marked for translation.
 */

/* Every key in display order, NULL-terminated. */
const char * const *pb_category_all_keys        (void);
/* Where @key comes in that order; an unknown key (or NULL) after all of them. */
guint               pb_category_rank            (const char *key);
/* The label as the API writes it ("HRIS"), untranslated; NULL for an unknown key. */
const char         *pb_category_api_label       (const char *key);
/* The label for a person, translated; an unknown key as it is. */
const char         *pb_category_label_for_key   (const char *key);
/* As pb_category_label_for_key(), but an unknown key with a capital first letter, and
 * "Other" for none (NULL or ""). */
char               *pb_category_display_label   (const char *key);

G_END_DECLS
