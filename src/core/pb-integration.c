/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-integration.h"

#include "pb-core-error.h"
#include "pb-integration-private.h"
#include "pb-json-util.h"

G_DEFINE_BOXED_TYPE (PbSecretState, pb_secret_state, pb_secret_state_copy, pb_secret_state_free)

/**
 * pb_secret_state_new:
 * @set: whether the secret has a value
 * @hint: (nullable): its last characters
 * @updated_at: (nullable): when it was set
 *
 * Returns: (transfer full): a new state
 */
PbSecretState *
pb_secret_state_new (gboolean    set,
                     const char *hint,
                     GDateTime  *updated_at)
{
  PbSecretState *state = g_new0 (PbSecretState, 1);

  state->set = set;
  state->hint = g_strdup (hint);
  state->updated_at = updated_at != NULL ? g_date_time_ref (updated_at) : NULL;
  return state;
}

PbSecretState *
pb_secret_state_copy (const PbSecretState *state)
{
  PbSecretState *copy;

  g_return_val_if_fail (state != NULL, NULL);
  copy = pb_secret_state_new (state->set, state->hint, state->updated_at);
  copy->expires_at = state->expires_at != NULL ? g_date_time_ref (state->expires_at) : NULL;
  return copy;
}

void
pb_secret_state_free (PbSecretState *state)
{
  if (state == NULL)
    return;
  g_free (state->hint);
  g_clear_pointer (&state->updated_at, g_date_time_unref);
  g_clear_pointer (&state->expires_at, g_date_time_unref);
  g_free (state);
}

GHashTable *
pb_secret_state_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) pb_secret_state_free);
}

gboolean
pb_secret_state_table_parse (GHashTable  *table,
                             JsonObject  *object,
                             const char  *member,
                             GError     **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &node))
    {
      JsonObject *entry;
      gboolean set = FALSE;
      const char *hint = NULL;
      g_autoptr(GDateTime) updated_at = NULL;
      g_autoptr(GDateTime) expires_at = NULL;
      PbSecretState *state;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “%s.%s” must be an object", member, key);
          return FALSE;
        }

      entry = json_node_get_object (node);
      if (!pb_json_get_boolean_member_checked (entry, "set", TRUE, &set, error) ||
          !pb_json_get_string_member_checked (entry, "hint", FALSE, &hint, error) ||
          !pb_json_get_datetime_member_checked (entry, "updated_at", FALSE, &updated_at, error) ||
          !pb_json_get_datetime_member_checked (entry, "expires_at", FALSE, &expires_at, error))
        {
          g_prefix_error (error, "%s.%s: ", member, key);
          return FALSE;
        }

      state = pb_secret_state_new (set, hint, updated_at);
      state->expires_at = g_steal_pointer (&expires_at);
      g_hash_table_insert (table, g_strdup (key), state);
    }

  return TRUE;
}

JsonObject *
pb_secret_state_table_to_json (GHashTable *table)
{
  JsonObject *object = json_object_new ();
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) g_strcmp0);

  for (GList *l = keys; l != NULL; l = l->next)
    {
      const PbSecretState *state = g_hash_table_lookup (table, l->data);
      JsonObject *entry = json_object_new ();

      json_object_set_boolean_member (entry, "set", state->set);
      pb_json_set_string_or_null (entry, "hint", state->hint);
      pb_json_set_datetime_or_null (entry, "updated_at", state->updated_at);
      if (state->expires_at != NULL)
        pb_json_set_datetime_or_null (entry, "expires_at", state->expires_at);
      json_object_set_object_member (object, l->data, entry);
    }
  return object;
}

G_DEFINE_ENUM_TYPE (PbOAuthApp, pb_oauth_app,
                    G_DEFINE_ENUM_VALUE (PB_OAUTH_APP_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (PB_OAUTH_APP_OWN, "own"),
                    G_DEFINE_ENUM_VALUE (PB_OAUTH_APP_PLATFORM, "platform"))

static const char * const oauth_app_names[] = {
  [PB_OAUTH_APP_OWN] = "own",
  [PB_OAUTH_APP_PLATFORM] = "platform",
};

gboolean
pb_oauth_app_from_string (const char *text,
                          PbOAuthApp *out_app)
{
  guint value;

  if (text == NULL
      || !pb_json_enum_from_name (oauth_app_names, G_N_ELEMENTS (oauth_app_names), text, &value)
      || value == PB_OAUTH_APP_NONE)
    return FALSE;
  if (out_app != NULL)
    *out_app = (PbOAuthApp) value;
  return TRUE;
}

const char *
pb_oauth_app_to_string (PbOAuthApp app)
{
  g_return_val_if_fail ((guint) app < G_N_ELEMENTS (oauth_app_names), NULL);
  return oauth_app_names[app];
}

G_DEFINE_FINAL_TYPE (PbIntegration, pb_integration, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_CONNECTOR_KEY,
  PROP_CONNECTOR_LABEL,
  PROP_CATEGORIES,
  PROP_AUTH_TYPE_KEY,
  PROP_AUTH_TYPE_LABEL,
  PROP_ACTIVE,
  PROP_IS_DEFAULT,
  PROP_OAUTH_APP,
  PROP_CONFIG,
  PROP_SECRETS,
  PROP_ACCOUNTS_TOTAL,
  PROP_ACCOUNTS_ACTIVE,
  PROP_ACCOUNTS_INACTIVE,
  PROP_ACCOUNTS_SUSPENDED,
  PROP_ACCOUNTS_EXPIRED,
  PROP_ACCOUNTS_ERROR,
  PROP_VERSION,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pb_integration_finalize (GObject *object)
{
  PbIntegration *self = (PbIntegration *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->connector_key, g_free);
  g_clear_pointer (&self->connector_label, g_free);
  g_clear_pointer (&self->categories, g_strfreev);
  g_clear_pointer (&self->auth_type_key, g_free);
  g_clear_pointer (&self->auth_type_label, g_free);
  g_clear_pointer (&self->config, g_hash_table_unref);
  g_clear_pointer (&self->secrets, g_hash_table_unref);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->label_sort_key, g_free);
  g_clear_pointer (&self->name_sort_key, g_free);

  G_OBJECT_CLASS (pb_integration_parent_class)->finalize (object);
}

static void
pb_integration_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PbIntegration *self = PB_INTEGRATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CONNECTOR_KEY:
      g_value_set_string (value, self->connector_key);
      break;
    case PROP_CONNECTOR_LABEL:
      g_value_set_string (value, self->connector_label);
      break;
    case PROP_CATEGORIES:
      g_value_set_boxed (value, self->categories);
      break;
    case PROP_AUTH_TYPE_KEY:
      g_value_set_string (value, self->auth_type_key);
      break;
    case PROP_AUTH_TYPE_LABEL:
      g_value_set_string (value, self->auth_type_label);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_IS_DEFAULT:
      g_value_set_boolean (value, self->is_default);
      break;
    case PROP_OAUTH_APP:
      g_value_set_enum (value, self->oauth_app);
      break;
    case PROP_CONFIG:
      g_value_set_boxed (value, self->config);
      break;
    case PROP_SECRETS:
      g_value_set_boxed (value, self->secrets);
      break;
    case PROP_ACCOUNTS_TOTAL:
      g_value_set_uint (value, self->accounts_total);
      break;
    case PROP_ACCOUNTS_ACTIVE:
      g_value_set_uint (value, self->accounts_active);
      break;
    case PROP_ACCOUNTS_INACTIVE:
      g_value_set_uint (value, self->accounts_inactive);
      break;
    case PROP_ACCOUNTS_SUSPENDED:
      g_value_set_uint (value, self->accounts_suspended);
      break;
    case PROP_ACCOUNTS_EXPIRED:
      g_value_set_uint (value, self->accounts_expired);
      break;
    case PROP_ACCOUNTS_ERROR:
      g_value_set_uint (value, self->accounts_error);
      break;
    case PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_integration_class_init (PbIntegrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pb_integration_finalize;
  object_class->get_property = pb_integration_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_CONNECTOR_KEY] = g_param_spec_string ("connector-key", NULL, NULL, NULL, flags);
  properties[PROP_CONNECTOR_LABEL] = g_param_spec_string ("connector-label", NULL, NULL, NULL,
                                                          flags);
  properties[PROP_CATEGORIES] = g_param_spec_boxed ("categories", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_AUTH_TYPE_KEY] = g_param_spec_string ("auth-type-key", NULL, NULL, NULL, flags);
  properties[PROP_AUTH_TYPE_LABEL] = g_param_spec_string ("auth-type-label", NULL, NULL, NULL,
                                                          flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);
  properties[PROP_IS_DEFAULT] = g_param_spec_boolean ("is-default", NULL, NULL, FALSE, flags);
  properties[PROP_OAUTH_APP] = g_param_spec_enum ("oauth-app", NULL, NULL, PB_TYPE_OAUTH_APP,
                                                  PB_OAUTH_APP_NONE, flags);
  properties[PROP_CONFIG] = g_param_spec_boxed ("config", NULL, NULL, G_TYPE_HASH_TABLE, flags);
  properties[PROP_SECRETS] = g_param_spec_boxed ("secrets", NULL, NULL, G_TYPE_HASH_TABLE, flags);
  properties[PROP_ACCOUNTS_TOTAL] = g_param_spec_uint ("accounts-total", NULL, NULL,
                                                       0, G_MAXUINT, 0, flags);
  properties[PROP_ACCOUNTS_ACTIVE] = g_param_spec_uint ("accounts-active", NULL, NULL,
                                                        0, G_MAXUINT, 0, flags);
  properties[PROP_ACCOUNTS_INACTIVE] = g_param_spec_uint ("accounts-inactive", NULL, NULL,
                                                          0, G_MAXUINT, 0, flags);
  properties[PROP_ACCOUNTS_SUSPENDED] = g_param_spec_uint ("accounts-suspended", NULL, NULL,
                                                           0, G_MAXUINT, 0, flags);
  properties[PROP_ACCOUNTS_EXPIRED] = g_param_spec_uint ("accounts-expired", NULL, NULL,
                                                         0, G_MAXUINT, 0, flags);
  properties[PROP_ACCOUNTS_ERROR] = g_param_spec_uint ("accounts-error", NULL, NULL,
                                                       0, G_MAXUINT, 0, flags);
  properties[PROP_VERSION] = g_param_spec_int64 ("version", NULL, NULL,
                                                 G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                    flags);
  properties[PROP_UPDATED_AT] = g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                    flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_integration_init (PbIntegration *self)
{
  self->config = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->secrets = pb_secret_state_table_new ();
}

static gboolean
parse_config (PbIntegration  *self,
              JsonObject     *config,
              GError        **error)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  json_object_iter_init (&iter, config);
  while (json_object_iter_next (&iter, &member, &node))
    {
      /* null means "no value" (as in a PATCH); nothing to keep. */
      if (JSON_NODE_HOLDS_NULL (node))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “config.%s” must be a string", member);
          return FALSE;
        }
      g_hash_table_insert (self->config, g_strdup (member), g_strdup (json_node_get_string (node)));
    }

  return TRUE;
}

/**
 * pb_integration_new_from_json:
 * @object: the API's Integration object
 * @error: return location for a #GError
 *
 * Required members: id, name, connector_key, authentication_config_key, active,
 * default. The others default to empty, zero or %NULL. Unknown members are ignored.
 *
 * Returns: (transfer full) (nullable): the integration
 */
PbIntegration *
pb_integration_new_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(PbIntegration) self = NULL;
  const char *id = NULL;
  const char *name = NULL;
  const char *connector_key = NULL;
  const char *connector_label = NULL;
  const char *auth_type_key = NULL;
  const char *auth_type_label = NULL;
  const char *oauth_app = NULL;
  JsonObject *config = NULL;
  JsonObject *secrets = NULL;
  JsonObject *accounts = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (PB_TYPE_INTEGRATION, NULL);

  if (!pb_json_get_string_member_checked (object, "id", TRUE, &id, error) ||
      !pb_json_get_string_member_checked (object, "name", TRUE, &name, error) ||
      !pb_json_get_string_member_checked (object, "connector_key", TRUE, &connector_key, error) ||
      !pb_json_get_string_member_checked (object, "connector_label", FALSE,
                                          &connector_label, error) ||
      !pb_json_get_strv_member_checked (object, "categories", FALSE, &self->categories, error) ||
      !pb_json_get_string_member_checked (object, "authentication_config_key", TRUE,
                                          &auth_type_key, error) ||
      !pb_json_get_string_member_checked (object, "authentication_config_label", FALSE,
                                          &auth_type_label, error) ||
      !pb_json_get_boolean_member_checked (object, "active", TRUE, &self->active, error) ||
      !pb_json_get_boolean_member_checked (object, "default", TRUE, &self->is_default, error) ||
      !pb_json_get_string_member_checked (object, "oauth_app", FALSE, &oauth_app, error) ||
      !pb_json_get_object_member_checked (object, "config", FALSE, &config, error) ||
      !pb_json_get_object_member_checked (object, "secrets", FALSE, &secrets, error) ||
      !pb_json_get_object_member_checked (object, "linked_accounts", FALSE, &accounts, error) ||
      !pb_json_get_int_member_checked (object, "version", FALSE, &self->version, error) ||
      !pb_json_get_datetime_member_checked (object, "created_at", FALSE,
                                            &self->created_at, error) ||
      !pb_json_get_datetime_member_checked (object, "updated_at", FALSE,
                                            &self->updated_at, error))
    return NULL;

  if (oauth_app != NULL && !pb_oauth_app_from_string (oauth_app, &self->oauth_app))
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                   "Field “oauth_app” has the unknown value “%s”", oauth_app);
      return NULL;
    }
  if (config != NULL && !parse_config (self, config, error))
    return NULL;
  if (secrets != NULL && !pb_secret_state_table_parse (self->secrets, secrets, "secrets", error))
    return NULL;

  if (accounts != NULL &&
      (!pb_json_get_uint_member_checked (accounts, "total", FALSE, &self->accounts_total, error) ||
       !pb_json_get_uint_member_checked (accounts, "active", FALSE,
                                         &self->accounts_active, error) ||
       !pb_json_get_uint_member_checked (accounts, "inactive", FALSE,
                                         &self->accounts_inactive, error) ||
       !pb_json_get_uint_member_checked (accounts, "suspended", FALSE,
                                         &self->accounts_suspended, error) ||
       !pb_json_get_uint_member_checked (accounts, "expired", FALSE,
                                         &self->accounts_expired, error) ||
       !pb_json_get_uint_member_checked (accounts, "error", FALSE, &self->accounts_error, error)))
    {
      g_prefix_error (error, "linked_accounts: ");
      return NULL;
    }

  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->connector_key = g_strdup (connector_key);
  self->connector_label = g_strdup (connector_label);
  self->auth_type_key = g_strdup (auth_type_key);
  self->auth_type_label = g_strdup (auth_type_label);

  return g_steal_pointer (&self);
}

static GList *
sorted_keys (GHashTable *table)
{
  return g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) g_strcmp0);
}

/**
 * pb_integration_to_json:
 * @self: an integration
 *
 * Members of config and secrets are written in key order so that the text is stable.
 * Secret values are never part of it (the model does not have them).
 *
 * Returns: (transfer full): the API's Integration object
 */
JsonObject *
pb_integration_to_json (PbIntegration *self)
{
  JsonObject *object;
  JsonObject *config;
  JsonObject *accounts;
  g_autoptr(GList) config_keys = NULL;

  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "name", self->name);
  json_object_set_string_member (object, "connector_key", self->connector_key);
  pb_json_set_string_or_null (object, "connector_label", self->connector_label);
  pb_json_set_strv (object, "categories", (const char * const *) self->categories);
  json_object_set_string_member (object, "authentication_config_key", self->auth_type_key);
  pb_json_set_string_or_null (object, "authentication_config_label", self->auth_type_label);
  json_object_set_boolean_member (object, "active", self->active);
  json_object_set_boolean_member (object, "default", self->is_default);
  pb_json_set_string_or_null (object, "oauth_app", pb_oauth_app_to_string (self->oauth_app));

  config = json_object_new ();
  config_keys = sorted_keys (self->config);
  for (GList *l = config_keys; l != NULL; l = l->next)
    json_object_set_string_member (config, l->data, g_hash_table_lookup (self->config, l->data));
  json_object_set_object_member (object, "config", config);

  json_object_set_object_member (object, "secrets", pb_secret_state_table_to_json (self->secrets));

  accounts = json_object_new ();
  json_object_set_int_member (accounts, "total", self->accounts_total);
  json_object_set_int_member (accounts, "active", self->accounts_active);
  json_object_set_int_member (accounts, "inactive", self->accounts_inactive);
  json_object_set_int_member (accounts, "suspended", self->accounts_suspended);
  json_object_set_int_member (accounts, "expired", self->accounts_expired);
  json_object_set_int_member (accounts, "error", self->accounts_error);
  json_object_set_object_member (object, "linked_accounts", accounts);

  json_object_set_int_member (object, "version", self->version);
  pb_json_set_datetime_or_null (object, "created_at", self->created_at);
  pb_json_set_datetime_or_null (object, "updated_at", self->updated_at);

  return object;
}

const char *
pb_integration_get_id (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return self->id;
}

const char *
pb_integration_get_name (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return self->name;
}

const char *
pb_integration_get_connector_key (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return self->connector_key;
}

/**
 * pb_integration_get_connector_label:
 * @self: an integration
 *
 * Returns: (nullable): the connector's name, e.g. "BambooHR"
 */
const char *
pb_integration_get_connector_label (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return self->connector_label;
}

/**
 * pb_integration_get_categories:
 * @self: an integration
 *
 * Returns: (transfer none): its connector's categories (possibly empty, never %NULL)
 */
const char * const *
pb_integration_get_categories (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return (const char * const *) self->categories;
}

const char *
pb_integration_get_auth_type_key (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return self->auth_type_key;
}

/**
 * pb_integration_get_auth_type_label:
 * @self: an integration
 *
 * Returns: (nullable): the auth type's label, e.g. "API Key"
 */
const char *
pb_integration_get_auth_type_label (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return self->auth_type_label;
}

gboolean
pb_integration_get_active (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), FALSE);
  return self->active;
}

gboolean
pb_integration_get_is_default (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), FALSE);
  return self->is_default;
}

/**
 * pb_integration_get_oauth_app:
 * @self: an integration
 *
 * Returns: whose OAuth app an integration of an OAuth type uses; %PB_OAUTH_APP_NONE for other
 *   types, and from backends that do not say
 */
PbOAuthApp
pb_integration_get_oauth_app (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), PB_OAUTH_APP_NONE);
  return self->oauth_app;
}

/**
 * pb_integration_get_config:
 * @self: an integration
 *
 * Returns: (transfer none) (element-type utf8 utf8): the non-secret field values; do not
 *   modify it
 */
GHashTable *
pb_integration_get_config (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return self->config;
}

/**
 * pb_integration_get_secrets:
 * @self: an integration
 *
 * Returns: (transfer none) (element-type utf8 PbSecretState): the state of each secret
 *   field; do not modify it
 */
GHashTable *
pb_integration_get_secrets (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return self->secrets;
}

guint
pb_integration_get_accounts_total (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), 0);
  return self->accounts_total;
}

guint
pb_integration_get_accounts_active (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), 0);
  return self->accounts_active;
}

guint
pb_integration_get_accounts_inactive (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), 0);
  return self->accounts_inactive;
}

guint
pb_integration_get_accounts_suspended (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), 0);
  return self->accounts_suspended;
}

guint
pb_integration_get_accounts_expired (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), 0);
  return self->accounts_expired;
}

guint
pb_integration_get_accounts_error (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), 0);
  return self->accounts_error;
}

gint64
pb_integration_get_version (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), 0);
  return self->version;
}

/**
 * pb_integration_get_created_at:
 * @self: an integration
 *
 * Returns: (transfer none) (nullable): when it was created
 */
GDateTime *
pb_integration_get_created_at (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return self->created_at;
}

/**
 * pb_integration_get_updated_at:
 * @self: an integration
 *
 * Returns: (transfer none) (nullable): when it was last changed
 */
GDateTime *
pb_integration_get_updated_at (PbIntegration *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (self), NULL);
  return self->updated_at;
}

static char *
sort_key (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text != NULL ? text : "", -1);

  return g_utf8_collate_key (folded, -1);
}

/**
 * pb_integration_get_sort_keys:
 * @self: an integration
 * @out_label: (out) (transfer none): the collation key of its connector label
 * @out_name: (out) (transfer none): the collation key of its name
 *
 * The keys lists sort integrations by (casefolded, in the user's locale): compare them with
 * strcmp(). Made on first use and kept, since the model is immutable. Not thread-safe the
 * first time: a thread that makes an integration may call this before handing it over, so
 * that the main thread finds the keys made (pb-client does, for big lists).
 */
void
pb_integration_get_sort_keys (PbIntegration  *self,
                              const char    **out_label,
                              const char    **out_name)
{
  g_return_if_fail (PB_IS_INTEGRATION (self));

  if (self->label_sort_key == NULL)
    {
      self->label_sort_key = sort_key (self->connector_label);
      self->name_sort_key = sort_key (self->name);
    }
  *out_label = self->label_sort_key;
  *out_name = self->name_sort_key;
}

static gboolean
same_time (GDateTime *a,
           GDateTime *b)
{
  return a == b || (a != NULL && b != NULL && g_date_time_equal (a, b));
}

static gboolean
same_strv (const char * const *a,
           const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal (a, b);
}

static gboolean
same_config (GHashTable *a,
             GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0 || !g_hash_table_contains (b, key))
      return FALSE;
  return TRUE;
}

static gboolean
same_secrets (GHashTable *a,
              GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const PbSecretState *mine = value;
      const PbSecretState *theirs = g_hash_table_lookup (b, key);

      if (theirs == NULL || mine->set != theirs->set || g_strcmp0 (mine->hint, theirs->hint) != 0
          || !same_time (mine->updated_at, theirs->updated_at))
        return FALSE;
    }
  return TRUE;
}

/**
 * pb_integration_equal:
 * @a: an integration
 * @b: another
 *
 * Whether the two hold the same values (every field of the API's object): what comparing
 * their pb_integration_to_json() would say, without making the JSON (a refresh of 20,000
 * integrations compares them all).
 */
gboolean
pb_integration_equal (PbIntegration *a,
                      PbIntegration *b)
{
  g_return_val_if_fail (PB_IS_INTEGRATION (a), FALSE);
  g_return_val_if_fail (PB_IS_INTEGRATION (b), FALSE);

  if (a == b)
    return TRUE;
  return a->version == b->version && a->active == b->active && a->is_default == b->is_default
         && a->oauth_app == b->oauth_app
         && a->accounts_total == b->accounts_total && a->accounts_active == b->accounts_active
         && a->accounts_inactive == b->accounts_inactive
         && a->accounts_suspended == b->accounts_suspended
         && a->accounts_expired == b->accounts_expired
         && a->accounts_error == b->accounts_error
         && g_strcmp0 (a->id, b->id) == 0 && g_strcmp0 (a->name, b->name) == 0
         && g_strcmp0 (a->connector_key, b->connector_key) == 0
         && g_strcmp0 (a->connector_label, b->connector_label) == 0
         && g_strcmp0 (a->auth_type_key, b->auth_type_key) == 0
         && g_strcmp0 (a->auth_type_label, b->auth_type_label) == 0
         && same_strv ((const char * const *) a->categories, (const char * const *) b->categories)
         && same_time (a->created_at, b->created_at) && same_time (a->updated_at, b->updated_at)
         && same_config (a->config, b->config) && same_secrets (a->secrets, b->secrets);
}
