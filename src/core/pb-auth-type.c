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
  PROP_PLATFORM_OAUTH_APP,
  PROP_FIELDS,
  PROP_ACCOUNT_FIELDS,
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
  g_clear_object (&self->account_fields);

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
    case PROP_PLATFORM_OAUTH_APP:
      g_value_set_boolean (value, self->platform_oauth_app);
      break;
    case PROP_FIELDS:
      g_value_set_object (value, self->fields);
      break;
    case PROP_ACCOUNT_FIELDS:
      g_value_set_object (value, self->account_fields);
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
    case PROP_PLATFORM_OAUTH_APP:
      self->platform_oauth_app = g_value_get_boolean (value);
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
  properties[PROP_PLATFORM_OAUTH_APP] = g_param_spec_boolean ("platform-oauth-app", NULL, NULL,
                                                              FALSE, flags);
  properties[PROP_FIELDS] = g_param_spec_object ("fields", NULL, NULL, G_TYPE_LIST_MODEL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                 G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACCOUNT_FIELDS] = g_param_spec_object ("account-fields", NULL, NULL,
                                                         G_TYPE_LIST_MODEL,
                                                         G_PARAM_READABLE |
                                                         G_PARAM_STATIC_STRINGS |
                                                         G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_auth_type_init (PbAuthType *self)
{
  self->fields = g_list_store_new (PB_TYPE_AUTH_FIELD);
  self->account_fields = g_list_store_new (PB_TYPE_AUTH_FIELD);
}

static PbAuthField *
find_in (GListModel *fields,
         const char *key)
{
  guint n = g_list_model_get_n_items (fields);

  for (guint i = 0; i < n; i++)
    {
      /* The store keeps a reference, so dropping ours leaves the pointer valid. */
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);

      if (g_strcmp0 (pb_auth_field_get_key (field), key) == 0)
        return field;
    }

  return NULL;
}

/* Reads the list @name of @object into @store; a key that @self has already (in either list)
 * is an error. */
static gboolean
read_fields (PbAuthType  *self,
             JsonObject  *object,
             const char  *name,
             GListStore  *store,
             GError     **error)
{
  JsonArray *fields = NULL;
  guint n;

  if (!pb_json_get_array_member_checked (object, name, FALSE, &fields, error))
    return FALSE;

  n = fields != NULL ? json_array_get_length (fields) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (fields, i);
      g_autoptr(PbAuthField) field = NULL;
      const char *key;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “%s[%u]” must be an object", name, i);
          return FALSE;
        }
      field = pb_auth_field_new_from_json (json_node_get_object (node), error);
      if (field == NULL)
        {
          g_prefix_error (error, "%s[%u]: ", name, i);
          return FALSE;
        }
      key = pb_auth_field_get_key (field);
      if (find_in (G_LIST_MODEL (self->fields), key) != NULL
          || find_in (G_LIST_MODEL (self->account_fields), key) != NULL)
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “%s[%u]” repeats the key “%s”", name, i, key);
          return FALSE;
        }
      g_list_store_append (store, field);
    }

  return TRUE;
}

/**
 * pb_auth_type_new_from_json:
 * @object: an AuthType object of the API
 * @error: return location for a #GError
 *
 * Required members: key, label, type. Unknown members are ignored; "fields" and
 * "account_fields" default to none, "platform_oauth_app" to false. An error in a field is
 * reported with its place, e.g. "fields[2]: Missing required field “key”"; a key may be in
 * only one of the two lists.
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

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (PB_TYPE_AUTH_TYPE, NULL);

  if (!pb_json_get_string_member_checked (object, "key", TRUE, &key, error) ||
      !pb_json_get_string_member_checked (object, "label", TRUE, &label, error) ||
      !pb_json_get_string_member_checked (object, "type", TRUE, &type, error) ||
      !pb_json_get_string_member_checked (object, "callback_url", FALSE, &callback_url, error) ||
      !pb_json_get_boolean_member_checked (object, "platform_oauth_app", FALSE,
                                           &self->platform_oauth_app, error))
    return NULL;

  if (!pb_auth_kind_from_string (type, &self->kind))
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                   "Field “type” has the unknown value “%s”", type);
      return NULL;
    }

  if (!read_fields (self, object, "fields", self->fields, error) ||
      !read_fields (self, object, "account_fields", self->account_fields, error))
    return NULL;

  self->key = g_strdup (key);
  self->label = g_strdup (label);
  self->callback_url = g_strdup (callback_url);

  return g_steal_pointer (&self);
}

static JsonArray *
fields_to_json (GListModel *fields)
{
  JsonArray *array = json_array_new ();
  guint n = g_list_model_get_n_items (fields);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      json_array_add_object_element (array, pb_auth_field_to_json (field));
    }
  return array;
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

  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "key", self->key);
  json_object_set_string_member (object, "label", self->label);
  json_object_set_string_member (object, "type", pb_auth_kind_to_string (self->kind));
  pb_json_set_string_or_null (object, "callback_url", self->callback_url);
  json_object_set_boolean_member (object, "platform_oauth_app", self->platform_oauth_app);
  json_object_set_array_member (object, "fields", fields_to_json (G_LIST_MODEL (self->fields)));
  json_object_set_array_member (object, "account_fields",
                                fields_to_json (G_LIST_MODEL (self->account_fields)));

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
 * pb_auth_type_get_platform_oauth_app:
 * @self: an auth type
 *
 * Returns: whether the platform offers its own OAuth app for this type (oauth2 and oidc only),
 *   which an integration may use instead of a client id and secret of its own
 */
gboolean
pb_auth_type_get_platform_oauth_app (PbAuthType *self)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), FALSE);
  return self->platform_oauth_app;
}

/**
 * pb_auth_type_get_fields:
 * @self: an auth type
 *
 * Returns: (transfer none): a #GListModel of #PbAuthField, in the catalog's order: the
 *   integration's settings, which the admin enters
 */
GListModel *
pb_auth_type_get_fields (PbAuthType *self)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);
  return G_LIST_MODEL (self->fields);
}

/**
 * pb_auth_type_get_account_fields:
 * @self: an auth type
 *
 * Returns: (transfer none): a #GListModel of #PbAuthField, in the catalog's order: what the
 *   end user enters when linking an account
 */
GListModel *
pb_auth_type_get_account_fields (PbAuthType *self)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);
  return G_LIST_MODEL (self->account_fields);
}

/**
 * pb_auth_type_find_field:
 * @self: an auth type
 * @key: a field key
 *
 * Returns: (transfer none) (nullable): the integration's field with @key
 */
PbAuthField *
pb_auth_type_find_field (PbAuthType *self,
                         const char *key)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return find_in (G_LIST_MODEL (self->fields), key);
}

/**
 * pb_auth_type_find_account_field:
 * @self: an auth type
 * @key: a field key
 *
 * Returns: (transfer none) (nullable): the account field with @key
 */
PbAuthField *
pb_auth_type_find_account_field (PbAuthType *self,
                                 const char *key)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return find_in (G_LIST_MODEL (self->account_fields), key);
}
