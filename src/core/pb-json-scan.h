/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * PbJsonScan: reads JSON text in place, front to back, without building a tree: for the big
 * answers (pages of 1,000 integrations) whose json-glib tree costs more to build and free than
 * the models made from it. It accepts a strict subset of JSON: every function returns FALSE
 * (or -1) on anything it does not read exactly (a syntax error, but also an escaped surrogate,
 * a \u0000, invalid UTF-8, a number too long for an exact integer, nesting deeper than 64);
 * the caller then reads the same text with json-glib, which decides and words the error.
 * So whatever this reads, json-glib reads the same way.
 */

typedef struct
{
  const char *p;        /* the next byte */
  const char *end;
  GString    *key;      /* the last member name read (NUL-terminated) */
  GString    *text;     /* the last string value read (NUL-terminated) */
} PbJsonScan;

void      pb_json_scan_init         (PbJsonScan  *scan,
                                     const char  *data,
                                     gsize        length);
void      pb_json_scan_clear        (PbJsonScan  *scan);
/* Reads other text with the same buffers (after pb_json_scan_init()). */
void      pb_json_scan_reset        (PbJsonScan  *scan,
                                     const char  *data,
                                     gsize        length);

/* TRUE (and consumed) if the next token is @c. */
gboolean  pb_json_scan_take         (PbJsonScan  *scan,
                                     char         c);
/* TRUE if only whitespace is left. */
gboolean  pb_json_scan_at_end       (PbJsonScan  *scan);
/* TRUE (and consumed) if the next token is null. */
gboolean  pb_json_scan_null         (PbJsonScan  *scan);

/* A string value into scan->text. */
gboolean  pb_json_scan_string       (PbJsonScan  *scan);
gboolean  pb_json_scan_boolean      (PbJsonScan  *scan,
                                     gboolean    *out_value);
/* An integer written without fraction or exponent, at most 18 digits. */
gboolean  pb_json_scan_int64        (PbJsonScan  *scan,
                                     gint64      *out_value);
/* Any value, checked and passed over. */
gboolean  pb_json_scan_skip_value   (PbJsonScan  *scan);

/* Reading into a model's field, replacing what it held (a member given twice keeps its last
 * value, as json-glib does): a string (not null); a string or null (which clears it); a list
 * of strings or null (NULL). */
gboolean  pb_json_scan_set_string   (PbJsonScan  *scan,
                                     char       **slot);
gboolean  pb_json_scan_set_optional_string (PbJsonScan  *scan,
                                            char       **slot);
gboolean  pb_json_scan_set_strv     (PbJsonScan  *scan,
                                     GStrv       *slot);

/* Objects: `if (!pb_json_scan_take (scan, '{')) fail; first = TRUE;` then loop on
 * pb_json_scan_member(): 1 = a member whose name is in scan->key, its value next; 0 = the
 * object's end (consumed); -1 = not read. Arrays the same with '[' and
 * pb_json_scan_element(): 1 = an element next. */
int       pb_json_scan_member       (PbJsonScan  *scan,
                                     gboolean    *first);
int       pb_json_scan_element      (PbJsonScan  *scan,
                                     gboolean    *first);

G_END_DECLS
