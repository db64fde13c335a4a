/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * Checked accessors for JSON objects from the API. Each returns FALSE and sets a
 * PB_CORE_ERROR naming @member when:
 *  - @required is TRUE and @member is missing (PB_CORE_ERROR_MISSING_FIELD), or is
 *    null where null is not allowed (PB_CORE_ERROR_INVALID_VALUE);
 *  - @member has a value of the wrong type (PB_CORE_ERROR_INVALID_VALUE).
 * A missing optional member (or a null one) leaves @out_value at the default given.
 */
gboolean pb_json_get_string_member_checked   (JsonObject   *object,
                                              const char   *member,
                                              gboolean      required,
                                              const char  **out_value,
                                              GError      **error);
gboolean pb_json_get_boolean_member_checked  (JsonObject   *object,
                                              const char   *member,
                                              gboolean      required,
                                              gboolean     *out_value,
                                              GError      **error);
gboolean pb_json_get_int_member_checked      (JsonObject   *object,
                                              const char   *member,
                                              gboolean      required,
                                              gint64       *out_value,
                                              GError      **error);
/* Integers in [0, G_MAXUINT]. */
gboolean pb_json_get_uint_member_checked     (JsonObject   *object,
                                              const char   *member,
                                              gboolean      required,
                                              guint        *out_value,
                                              GError      **error);
/* An array of strings; *out_value is a new GStrv (empty, not NULL, when missing). */
gboolean pb_json_get_strv_member_checked     (JsonObject   *object,
                                              const char   *member,
                                              gboolean      required,
                                              char       ***out_value,
                                              GError      **error);
/* An RFC 3339 time; *out_value is a new reference or NULL when missing/null. */
gboolean pb_json_get_datetime_member_checked (JsonObject   *object,
                                              const char   *member,
                                              gboolean      required,
                                              GDateTime   **out_value,
                                              GError      **error);
/* An object or an array (transfer none); NULL when missing/null and not required. */
gboolean pb_json_get_object_member_checked   (JsonObject   *object,
                                              const char   *member,
                                              gboolean      required,
                                              JsonObject  **out_value,
                                              GError      **error);
gboolean pb_json_get_array_member_checked    (JsonObject   *object,
                                              const char   *member,
                                              gboolean      required,
                                              JsonArray   **out_value,
                                              GError      **error);

/* Setters that write null for NULL. */
void     pb_json_set_string_or_null          (JsonObject   *object,
                                              const char   *member,
                                              const char   *value);
void     pb_json_set_datetime_or_null        (JsonObject   *object,
                                              const char   *member,
                                              GDateTime    *value);
void     pb_json_set_strv                    (JsonObject   *object,
                                              const char   *member,
                                              const char * const *value);

/* Parse @text (UTF-8 JSON) and return its top-level object; PB_CORE_ERROR_INVALID_JSON
 * when it is not JSON or not an object. */
JsonObject *pb_json_object_from_string       (const char   *text,
                                              gssize        length,
                                              GError      **error);
char       *pb_json_object_to_string         (JsonObject   *object,
                                              gboolean      pretty);

/* The index of @text in @names, the wire names of an enum's values (indexed by value):
 * FALSE when @text is NULL or none of them. */
gboolean    pb_json_enum_from_name           (const char * const *names,
                                              guint         n_names,
                                              const char   *text,
                                              guint        *out_index);

/* A deep copy of @object (json_node_copy() only references objects and arrays), members in
 * the original's order. NULL for NULL. */
JsonObject *pb_json_object_deep_copy (JsonObject *object);

G_END_DECLS
