/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-json-util.h"

#include "pb-core-error.h"
#include "pb-time.h"

/* These messages are for developers and logs (a malformed API reply), so they are not
 * translated; the UI maps PB_CORE_ERROR codes to its own sentences. */

static const char *
node_type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_INT64:
      return "an integer";
    case G_TYPE_DOUBLE:
      return "a fractional number";
    case G_TYPE_STRING:
      return "a string";
    default:
      return "a value";
    }
}

/* Returns the member's node, or NULL (with no error) when it is absent or null and
 * optional. Sets an error when it is absent/null and required. */
static gboolean
lookup_member (JsonObject  *object,
               const char  *member,
               gboolean     required,
               const char  *expected,
               JsonNode   **out_node,
               GError     **error)
{
  JsonNode *node;

  *out_node = NULL;
  g_return_val_if_fail (object != NULL, FALSE);

  node = json_object_get_member (object, member);
  if (node == NULL)
    {
      if (required)
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_MISSING_FIELD,
                       "Missing required field “%s”", member);
          return FALSE;
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “%s” must be %s, not null", member, expected);
          return FALSE;
        }
      return TRUE;
    }

  *out_node = node;
  return TRUE;
}

static gboolean
wrong_type (const char  *member,
            const char  *expected,
            JsonNode    *node,
            GError     **error)
{
  g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
               "Field “%s” must be %s, not %s", member, expected, node_type_name (node));
  return FALSE;
}

gboolean
pb_json_get_string_member_checked (JsonObject  *object,
                                   const char  *member,
                                   gboolean     required,
                                   const char **out_value,
                                   GError     **error)
{
  JsonNode *node;

  if (!lookup_member (object, member, required, "a string", &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (member, "a string", node, error);

  *out_value = json_node_get_string (node);
  return TRUE;
}

gboolean
pb_json_get_boolean_member_checked (JsonObject *object,
                                    const char *member,
                                    gboolean    required,
                                    gboolean   *out_value,
                                    GError    **error)
{
  JsonNode *node;

  if (!lookup_member (object, member, required, "true or false", &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (member, "true or false", node, error);

  *out_value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
pb_json_get_int_member_checked (JsonObject *object,
                                const char *member,
                                gboolean    required,
                                gint64     *out_value,
                                GError    **error)
{
  JsonNode *node;

  if (!lookup_member (object, member, required, "an integer", &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (member, "an integer", node, error);

  *out_value = json_node_get_int (node);
  return TRUE;
}

gboolean
pb_json_get_uint_member_checked (JsonObject *object,
                                 const char *member,
                                 gboolean    required,
                                 guint      *out_value,
                                 GError    **error)
{
  gint64 value = 0;
  gboolean present = json_object_has_member (object, member);

  if (!pb_json_get_int_member_checked (object, member, required, &value, error))
    return FALSE;
  if (!present || json_object_get_null_member (object, member))
    return TRUE;
  if (value < 0 || value > G_MAXUINT)
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                   "Field “%s” must be a non-negative integer, not %" G_GINT64_FORMAT,
                   member, value);
      return FALSE;
    }

  *out_value = (guint) value;
  return TRUE;
}

gboolean
pb_json_get_strv_member_checked (JsonObject  *object,
                                 const char  *member,
                                 gboolean     required,
                                 char      ***out_value,
                                 GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node;
  JsonArray *array;
  guint n;

  if (!lookup_member (object, member, required, "a list of strings", &node, error))
    return FALSE;
  if (node == NULL)
    {
      *out_value = g_strv_builder_end (builder);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (member, "a list of strings", node, error);

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “%s[%u]” must be a string, not %s",
                       member, i, node_type_name (element));
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *out_value = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
pb_json_get_datetime_member_checked (JsonObject  *object,
                                     const char  *member,
                                     gboolean     required,
                                     GDateTime  **out_value,
                                     GError     **error)
{
  const char *text = NULL;
  GDateTime *parsed;

  *out_value = NULL;
  if (!pb_json_get_string_member_checked (object, member, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  parsed = pb_time_parse_rfc3339 (text);
  if (parsed == NULL)
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                   "Field “%s” must be an RFC 3339 time, not “%s”", member, text);
      return FALSE;
    }

  *out_value = parsed;
  return TRUE;
}

gboolean
pb_json_get_object_member_checked (JsonObject  *object,
                                   const char  *member,
                                   gboolean     required,
                                   JsonObject **out_value,
                                   GError     **error)
{
  JsonNode *node;

  *out_value = NULL;
  if (!lookup_member (object, member, required, "an object", &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (member, "an object", node, error);

  *out_value = json_node_get_object (node);
  return TRUE;
}

gboolean
pb_json_get_array_member_checked (JsonObject  *object,
                                  const char  *member,
                                  gboolean     required,
                                  JsonArray  **out_value,
                                  GError     **error)
{
  JsonNode *node;

  *out_value = NULL;
  if (!lookup_member (object, member, required, "a list", &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (member, "a list", node, error);

  *out_value = json_node_get_array (node);
  return TRUE;
}

void
pb_json_set_string_or_null (JsonObject *object,
                            const char *member,
                            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

void
pb_json_set_datetime_or_null (JsonObject *object,
                              const char *member,
                              GDateTime  *value)
{
  if (value != NULL)
    {
      g_autofree char *text = pb_time_format_rfc3339 (value);
      json_object_set_string_member (object, member, text);
    }
  else
    {
      json_object_set_null_member (object, member);
    }
}

void
pb_json_set_strv (JsonObject         *object,
                  const char         *member,
                  const char * const *value)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; value != NULL && value[i] != NULL; i++)
    json_array_add_string_element (array, value[i]);
  json_object_set_array_member (object, member, array);
}

/**
 * pb_json_object_from_string:
 * @text: JSON text
 * @length: length of @text in bytes, or -1 when nul-terminated
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the top-level object
 */
JsonObject *
pb_json_object_from_string (const char *text,
                            gssize      length,
                            GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (text != NULL, NULL);

  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_JSON,
                   "Not valid JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_JSON,
                   "Expected a JSON object, got %s",
                   root != NULL ? node_type_name (root) : "nothing");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/**
 * pb_json_object_to_string:
 * @object: an object
 * @pretty: whether to indent
 *
 * Returns: (transfer full): the JSON text
 */
char *
pb_json_object_to_string (JsonObject *object,
                          gboolean    pretty)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  return json_generator_to_data (generator, NULL);
}

/**
 * pb_json_enum_from_name:
 * @names: (array length=n_names): the wire names of an enum's values, indexed by value
 * @n_names: their number
 * @text: (nullable): a name read from JSON
 * @out_index: (out) (optional): where to store the value of @text
 *
 * Returns: %TRUE when @text is one of @names
 */
gboolean
pb_json_enum_from_name (const char * const *names,
                        guint               n_names,
                        const char         *text,
                        guint              *out_index)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        if (out_index != NULL)
          *out_index = i;
        return TRUE;
      }
  return FALSE;
}

static JsonNode *
deep_copy_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *copy = json_node_alloc ();

      json_node_take_object (json_node_init (copy, JSON_NODE_OBJECT),
                             pb_json_object_deep_copy (json_node_get_object (node)));
      return copy;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *source = json_node_get_array (node);
      JsonArray *array = json_array_sized_new (json_array_get_length (source));
      JsonNode *copy = json_node_alloc ();

      for (guint i = 0; i < json_array_get_length (source); i++)
        json_array_add_element (array, deep_copy_node (json_array_get_element (source, i)));
      json_node_take_array (json_node_init (copy, JSON_NODE_ARRAY), array);
      return copy;
    }
  /* Values and null: json_node_copy() does copy those. */
  return json_node_copy (node);
}

JsonObject *
pb_json_object_deep_copy (JsonObject *object)
{
  JsonObject *copy;
  GList *members;

  if (object == NULL)
    return NULL;
  copy = json_object_new ();
  /* json_object_get_members() keeps the original's order. */
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            deep_copy_node (json_object_get_member (object, l->data)));
  g_list_free (members);
  return copy;
}
