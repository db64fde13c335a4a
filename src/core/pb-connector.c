/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-connector.h"

#include "pb-catalog-private.h"
#include "pb-core-error.h"
#include "pb-json-util.h"

G_DEFINE_FINAL_TYPE (PbConnector, pb_connector, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_PROVIDER_NAME,
  PROP_CATEGORY,
  PROP_CATEGORIES,
  PROP_DESCRIPTION,
  PROP_DOCS_URL,
  PROP_LOGO_URL,
  PROP_AVAILABLE,
  PROP_UNAVAILABLE_REASON,
  PROP_AUTH_TYPES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pb_connector_finalize (GObject *object)
{
  PbConnector *self = (PbConnector *) object;

  g_clear_pointer (&self->provider, g_free);
  g_clear_pointer (&self->provider_name, g_free);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->categories, g_strfreev);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->docs_url, g_free);
  g_clear_pointer (&self->logo_url, g_free);
  g_clear_pointer (&self->unavailable_reason, g_free);
  g_clear_object (&self->auth_types);

  G_OBJECT_CLASS (pb_connector_parent_class)->finalize (object);
}

static void
pb_connector_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PbConnector *self = PB_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;
    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;
    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;
    case PROP_CATEGORIES:
      g_value_set_boxed (value, self->categories);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_DOCS_URL:
      g_value_set_string (value, self->docs_url);
      break;
    case PROP_LOGO_URL:
      g_value_set_string (value, self->logo_url);
      break;
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_UNAVAILABLE_REASON:
      g_value_set_string (value, self->unavailable_reason);
      break;
    case PROP_AUTH_TYPES:
      g_value_set_object (value, self->auth_types);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_connector_class_init (PbConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pb_connector_finalize;
  object_class->get_property = pb_connector_get_property;

  properties[PROP_PROVIDER] = g_param_spec_string ("provider", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_NAME] = g_param_spec_string ("provider-name", NULL, NULL, NULL, flags);
  properties[PROP_CATEGORY] = g_param_spec_string ("category", NULL, NULL, NULL, flags);
  properties[PROP_CATEGORIES] = g_param_spec_boxed ("categories", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_DOCS_URL] = g_param_spec_string ("docs-url", NULL, NULL, NULL, flags);
  properties[PROP_LOGO_URL] = g_param_spec_string ("logo-url", NULL, NULL, NULL, flags);
  properties[PROP_AVAILABLE] = g_param_spec_boolean ("available", NULL, NULL, TRUE, flags);
  properties[PROP_UNAVAILABLE_REASON] = g_param_spec_string ("unavailable-reason", NULL, NULL,
                                                             NULL, flags);
  properties[PROP_AUTH_TYPES] = g_param_spec_object ("auth-types", NULL, NULL,
                                                     G_TYPE_LIST_MODEL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_connector_init (PbConnector *self)
{
  self->available = TRUE;
  self->auth_types = g_list_store_new (PB_TYPE_AUTH_TYPE);
}

/**
 * pb_connector_new_from_json:
 * @object: a Connector object of the API
 * @error: return location for a #GError
 *
 * Required members: provider, provider_name, category. "categories" defaults to
 * [category]; "available" to true. Unknown members are ignored. An error in an auth
 * type is reported with its place, e.g. "auth_types[1]: fields[0]: …".
 *
 * Returns: (transfer full) (nullable): the connector
 */
PbConnector *
pb_connector_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(PbConnector) self = NULL;
  const char *provider = NULL;
  const char *provider_name = NULL;
  const char *category = NULL;
  const char *description = NULL;
  const char *docs_url = NULL;
  const char *logo_url = NULL;
  const char *unavailable_reason = NULL;
  gboolean available = TRUE;
  g_auto(GStrv) categories = NULL;
  JsonArray *auth_types = NULL;
  guint n;

  g_return_val_if_fail (object != NULL, NULL);

  if (!pb_json_get_string_member_checked (object, "provider", TRUE, &provider, error) ||
      !pb_json_get_string_member_checked (object, "provider_name", TRUE, &provider_name, error) ||
      !pb_json_get_string_member_checked (object, "category", TRUE, &category, error) ||
      !pb_json_get_strv_member_checked (object, "categories", FALSE, &categories, error) ||
      !pb_json_get_string_member_checked (object, "description", FALSE, &description, error) ||
      !pb_json_get_string_member_checked (object, "docs_url", FALSE, &docs_url, error) ||
      !pb_json_get_string_member_checked (object, "logo_url", FALSE, &logo_url, error) ||
      !pb_json_get_boolean_member_checked (object, "available", FALSE, &available, error) ||
      !pb_json_get_string_member_checked (object, "unavailable_reason", FALSE,
                                          &unavailable_reason, error) ||
      !pb_json_get_array_member_checked (object, "auth_types", FALSE, &auth_types, error))
    return NULL;

  self = g_object_new (PB_TYPE_CONNECTOR, NULL);

  n = auth_types != NULL ? json_array_get_length (auth_types) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (auth_types, i);
      g_autoptr(PbAuthType) type = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “auth_types[%u]” must be an object", i);
          return NULL;
        }
      type = pb_auth_type_new_from_json (json_node_get_object (node), error);
      if (type == NULL)
        {
          g_prefix_error (error, "auth_types[%u]: ", i);
          return NULL;
        }
      if (pb_connector_find_auth_type (self, pb_auth_type_get_key (type)) != NULL)
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “auth_types[%u]” repeats the key “%s”",
                       i, pb_auth_type_get_key (type));
          return NULL;
        }
      g_list_store_append (self->auth_types, type);
    }

  /* The primary category is always among the categories. */
  if (categories[0] == NULL || !g_strv_contains ((const char * const *) categories, category))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      g_strv_builder_add (builder, category);
      g_strv_builder_addv (builder, (const char **) categories);
      g_strfreev (categories);
      categories = g_strv_builder_end (builder);
    }

  self->provider = g_strdup (provider);
  self->provider_name = g_strdup (provider_name);
  self->category = g_strdup (category);
  self->categories = g_steal_pointer (&categories);
  self->description = g_strdup (description);
  self->docs_url = g_strdup (docs_url);
  self->logo_url = g_strdup (logo_url);
  self->available = available;
  self->unavailable_reason = g_strdup (unavailable_reason);

  return g_steal_pointer (&self);
}

/**
 * pb_connector_to_json:
 * @self: a connector
 *
 * Returns: (transfer full): the API's Connector object
 */
JsonObject *
pb_connector_to_json (PbConnector *self)
{
  JsonObject *object;
  JsonArray *auth_types;
  guint n;

  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "provider", self->provider);
  json_object_set_string_member (object, "provider_name", self->provider_name);
  json_object_set_string_member (object, "category", self->category);
  pb_json_set_strv (object, "categories", (const char * const *) self->categories);
  pb_json_set_string_or_null (object, "description", self->description);
  pb_json_set_string_or_null (object, "docs_url", self->docs_url);
  pb_json_set_string_or_null (object, "logo_url", self->logo_url);
  json_object_set_boolean_member (object, "available", self->available);
  pb_json_set_string_or_null (object, "unavailable_reason", self->unavailable_reason);

  auth_types = json_array_new ();
  n = g_list_model_get_n_items (G_LIST_MODEL (self->auth_types));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbAuthType) type = g_list_model_get_item (G_LIST_MODEL (self->auth_types), i);
      json_array_add_object_element (auth_types, pb_auth_type_to_json (type));
    }
  json_object_set_array_member (object, "auth_types", auth_types);

  return object;
}

const char *
pb_connector_get_provider (PbConnector *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);
  return self->provider;
}

const char *
pb_connector_get_provider_name (PbConnector *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);
  return self->provider_name;
}

const char *
pb_connector_get_category (PbConnector *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);
  return self->category;
}

/**
 * pb_connector_get_categories:
 * @self: a connector
 *
 * Returns: (transfer none): all its categories, the primary one included
 */
const char * const *
pb_connector_get_categories (PbConnector *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);
  return (const char * const *) self->categories;
}

const char *
pb_connector_get_description (PbConnector *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);
  return self->description;
}

const char *
pb_connector_get_docs_url (PbConnector *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);
  return self->docs_url;
}

/**
 * pb_connector_get_logo_url:
 * @self: a connector
 *
 * Returns: (nullable): the logo's address
 */
const char *
pb_connector_get_logo_url (PbConnector *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);
  return self->logo_url;
}

gboolean
pb_connector_get_available (PbConnector *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR (self), FALSE);
  return self->available;
}

/**
 * pb_connector_get_unavailable_reason:
 * @self: a connector
 *
 * Returns: (nullable): why it is not available in the project's plan
 */
const char *
pb_connector_get_unavailable_reason (PbConnector *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);
  return self->unavailable_reason;
}

/**
 * pb_connector_get_auth_types:
 * @self: a connector
 *
 * Returns: (transfer none): a #GListModel of #PbAuthType
 */
GListModel *
pb_connector_get_auth_types (PbConnector *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);
  return G_LIST_MODEL (self->auth_types);
}

/**
 * pb_connector_find_auth_type:
 * @self: a connector
 * @key: an auth type key
 *
 * Returns: (transfer none) (nullable): the auth type with @key
 */
PbAuthType *
pb_connector_find_auth_type (PbConnector *self,
                             const char  *key)
{
  guint n;

  g_return_val_if_fail (PB_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->auth_types));
  for (guint i = 0; i < n; i++)
    {
      /* The store keeps a reference, so dropping ours leaves the pointer valid. */
      g_autoptr(PbAuthType) type = g_list_model_get_item (G_LIST_MODEL (self->auth_types), i);

      if (g_strcmp0 (pb_auth_type_get_key (type), key) == 0)
        return type;
    }

  return NULL;
}
