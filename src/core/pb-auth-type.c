/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-auth-type.h"

#include "pb-catalog-private.h"
#include "pb-core-error.h"
#include "pb-json-util.h"

G_DEFINE_ENUM_TYPE (PbAuthKind, pb_auth_kind,
                    G_DEFINE_ENUM_VALUE (PB_AUTH_KIND_API_KEY, "api-key"),
                    G_DEFINE_ENUM_VALUE (PB_AUTH_KIND_BASIC, "basic"),
                    G_DEFINE_ENUM_VALUE (PB_AUTH_KIND_OAUTH2, "oauth2"),
                    G_DEFINE_ENUM_VALUE (PB_AUTH_KIND_OIDC, "oidc"),
                    G_DEFINE_ENUM_VALUE (PB_AUTH_KIND_CUSTOM, "custom"))

static const char * const auth_kind_names[] = {
  [PB_AUTH_KIND_API_KEY] = "api_key",
  [PB_AUTH_KIND_BASIC] = "basic",
  [PB_AUTH_KIND_OAUTH2] = "oauth2",
  [PB_AUTH_KIND_OIDC] = "oidc",
  [PB_AUTH_KIND_CUSTOM] = "custom",
};

gboolean
pb_auth_kind_from_string (const char *text,
                          PbAuthKind *out_kind)
{
  guint value;

  if (!pb_json_enum_from_name (auth_kind_names, G_N_ELEMENTS (auth_kind_names),
                               text, &value))
    return FALSE;
  if (out_kind != NULL)
    *out_kind = (PbAuthKind) value;
  return TRUE;
}

const char *
pb_auth_kind_to_string (PbAuthKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (auth_kind_names), NULL);
  return auth_kind_names[kind];
}

G_DEFINE_FINAL_TYPE (PbAuthType, pb_auth_type, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_LABEL,
  PROP_KIND,
  PROP_CALLBACK_URL,
  PROP_FIELDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pb_auth_type_finalize (GObject *object)
{
  PbAuthType *self = (PbAuthType *) object;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->callback_url, g_free);
  g_clear_object (&self->fields);

  G_OBJECT_CLASS (pb_auth_type_parent_class)->finalize (object);
}

static void
pb_auth_type_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PbAuthType *self = PB_AUTH_TYPE (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_CALLBACK_URL:
      g_value_set_string (value, self->callback_url);
      break;
    case PROP_FIELDS:
      g_value_set_object (value, self->fields);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_auth_type_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PbAuthType *self = PB_AUTH_TYPE (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_free (self->key);
      self->key = g_value_dup_string (value);
      break;
    case PROP_LABEL:
      g_free (self->label);
      self->label = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_CALLBACK_URL:
      g_free (self->callback_url);
      self->callback_url = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_auth_type_class_init (PbAuthTypeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                      G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pb_auth_type_finalize;
  object_class->get_property = pb_auth_type_get_property;
  object_class->set_property = pb_auth_type_set_property;

  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, PB_TYPE_AUTH_KIND,
                                             PB_AUTH_KIND_API_KEY, flags);
  properties[PROP_CALLBACK_URL] = g_param_spec_string ("callback-url", NULL, NULL, NULL, flags);
  properties[PROP_FIELDS] = g_param_spec_object ("fields", NULL, NULL, G_TYPE_LIST_MODEL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                 G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_auth_type_init (PbAuthType *self)
{
  self->fields = g_list_store_new (PB_TYPE_AUTH_FIELD);
}

/**
 * pb_auth_type_new_from_json:
 * @object: an AuthType object of the API
 * @error: return location for a #GError
 *
 * Required members: key, label, type. Unknown members are ignored. An error in a field
 * is reported with its place, e.g. "fields[2]: Missing required field “key”".
 *
 * Returns: (transfer full) (nullable): the auth type
 */
PbAuthType *
pb_auth_type_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(PbAuthType) self = NULL;
  const char *key = NULL;
  const char *label = NULL;
  const char *type = NULL;
  const char *callback_url = NULL;
  JsonArray *fields = NULL;
  guint n;

  g_return_val_if_fail (object != NULL, NULL);

  if (!pb_json_get_string_member_checked (object, "key", TRUE, &key, error) ||
      !pb_json_get_string_member_checked (object, "label", TRUE, &label, error) ||
      !pb_json_get_string_member_checked (object, "type", TRUE, &type, error) ||
      !pb_json_get_string_member_checked (object, "callback_url", FALSE, &callback_url, error) ||
      !pb_json_get_array_member_checked (object, "fields", FALSE, &fields, error))
    return NULL;

  self = g_object_new (PB_TYPE_AUTH_TYPE, NULL);

  if (!pb_auth_kind_from_string (type, &self->kind))
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                   "Field “type” has the unknown value “%s”", type);
      return NULL;
    }

  n = fields != NULL ? json_array_get_length (fields) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (fields, i);
      g_autoptr(PbAuthField) field = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “fields[%u]” must be an object", i);
          return NULL;
        }
      field = pb_auth_field_new_from_json (json_node_get_object (node), error);
      if (field == NULL)
        {
          g_prefix_error (error, "fields[%u]: ", i);
          return NULL;
        }
      if (pb_auth_type_find_field (self, pb_auth_field_get_key (field)) != NULL)
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “fields[%u]” repeats the key “%s”",
                       i, pb_auth_field_get_key (field));
          return NULL;
        }
      g_list_store_append (self->fields, field);
    }

  self->key = g_strdup (key);
  self->label = g_strdup (label);
  self->callback_url = g_strdup (callback_url);

  return g_steal_pointer (&self);
}

/**
 * pb_auth_type_to_json:
 * @self: an auth type
 *
 * Returns: (transfer full): the API's AuthType object
 */
JsonObject *
pb_auth_type_to_json (PbAuthType *self)
{
  JsonObject *object;
  JsonArray *fields;
  guint n;

  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "key", self->key);
  json_object_set_string_member (object, "label", self->label);
  json_object_set_string_member (object, "type", pb_auth_kind_to_string (self->kind));
  pb_json_set_string_or_null (object, "callback_url", self->callback_url);

  fields = json_array_new ();
  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);
      json_array_add_object_element (fields, pb_auth_field_to_json (field));
    }
  json_object_set_array_member (object, "fields", fields);

  return object;
}

const char *
pb_auth_type_get_key (PbAuthType *self)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);
  return self->key;
}

const char *
pb_auth_type_get_label (PbAuthType *self)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);
  return self->label;
}

PbAuthKind
pb_auth_type_get_kind (PbAuthType *self)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), PB_AUTH_KIND_API_KEY);
  return self->kind;
}

/**
 * pb_auth_type_get_callback_url:
 * @self: an auth type
 *
 * Returns: (nullable): the OAuth callback URI (oauth2 and oidc only)
 */
const char *
pb_auth_type_get_callback_url (PbAuthType *self)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);
  return self->callback_url;
}

/**
 * pb_auth_type_get_fields:
 * @self: an auth type
 *
 * Returns: (transfer none): a #GListModel of #PbAuthField, in the catalog's order
 */
GListModel *
pb_auth_type_get_fields (PbAuthType *self)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);
  return G_LIST_MODEL (self->fields);
}

/**
 * pb_auth_type_find_field:
 * @self: an auth type
 * @key: a field key
 *
 * Returns: (transfer none) (nullable): the field with @key
 */
PbAuthField *
pb_auth_type_find_field (PbAuthType *self,
                         const char *key)
{
  guint n;

  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  for (guint i = 0; i < n; i++)
    {
      /* The store keeps a reference, so dropping ours leaves the pointer valid. */
      g_autoptr(PbAuthField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);

      if (g_strcmp0 (pb_auth_field_get_key (field), key) == 0)
        return field;
    }

  return NULL;
}
