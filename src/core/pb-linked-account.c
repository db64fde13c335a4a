/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-linked-account.h"

#include "pb-core-error.h"
#include "pb-json-util.h"

G_DEFINE_ENUM_TYPE (PbAccountStatus, pb_account_status,
                    G_DEFINE_ENUM_VALUE (PB_ACCOUNT_STATUS_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (PB_ACCOUNT_STATUS_INACTIVE, "inactive"),
                    G_DEFINE_ENUM_VALUE (PB_ACCOUNT_STATUS_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (PB_ACCOUNT_STATUS_SUSPENDED, "suspended"),
                    G_DEFINE_ENUM_VALUE (PB_ACCOUNT_STATUS_EXPIRED, "expired"))

static const char * const account_status_names[] = {
  [PB_ACCOUNT_STATUS_ACTIVE] = "active",
  [PB_ACCOUNT_STATUS_INACTIVE] = "inactive",
  [PB_ACCOUNT_STATUS_ERROR] = "error",
  [PB_ACCOUNT_STATUS_SUSPENDED] = "suspended",
  [PB_ACCOUNT_STATUS_EXPIRED] = "expired",
};

gboolean
pb_account_status_from_string (const char      *text,
                               PbAccountStatus *out_status)
{
  guint value;

  if (!pb_json_enum_from_name (account_status_names, G_N_ELEMENTS (account_status_names),
                               text, &value))
    return FALSE;
  if (out_status != NULL)
    *out_status = (PbAccountStatus) value;
  return TRUE;
}

const char *
pb_account_status_to_string (PbAccountStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (account_status_names), NULL);
  return account_status_names[status];
}

G_DEFINE_BOXED_TYPE (PbStatusReason, pb_status_reason, pb_status_reason_copy,
                     pb_status_reason_free)

/**
 * pb_status_reason_new:
 * @code: a machine code
 * @description: (nullable): a sentence for a person
 * @timestamp: (nullable): when
 *
 * Returns: (transfer full): a new reason
 */
PbStatusReason *
pb_status_reason_new (const char *code,
                      const char *description,
                      GDateTime  *timestamp)
{
  PbStatusReason *reason = g_new0 (PbStatusReason, 1);

  reason->code = g_strdup (code);
  reason->description = g_strdup (description);
  reason->timestamp = timestamp != NULL ? g_date_time_ref (timestamp) : NULL;
  return reason;
}

PbStatusReason *
pb_status_reason_copy (const PbStatusReason *reason)
{
  g_return_val_if_fail (reason != NULL, NULL);
  return pb_status_reason_new (reason->code, reason->description, reason->timestamp);
}

void
pb_status_reason_free (PbStatusReason *reason)
{
  if (reason == NULL)
    return;
  g_free (reason->code);
  g_free (reason->description);
  g_clear_pointer (&reason->timestamp, g_date_time_unref);
  g_free (reason);
}

struct _PbLinkedAccount
{
  GObject          parent_instance;

  char            *id;
  char            *provider;
  char            *provider_name;
  char            *integration_id;
  char            *origin_owner_id;
  char            *origin_owner_name;
  char            *origin_username;
  char            *label;
  PbAccountStatus  status;
  GPtrArray       *status_reasons;
  GHashTable      *credentials;
  GDateTime       *created_at;
  GDateTime       *updated_at;
};

G_DEFINE_FINAL_TYPE (PbLinkedAccount, pb_linked_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROVIDER,
  PROP_PROVIDER_NAME,
  PROP_INTEGRATION_ID,
  PROP_ORIGIN_OWNER_ID,
  PROP_ORIGIN_OWNER_NAME,
  PROP_ORIGIN_USERNAME,
  PROP_LABEL,
  PROP_STATUS,
  PROP_STATUS_REASONS,
  PROP_CREDENTIALS,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pb_linked_account_finalize (GObject *object)
{
  PbLinkedAccount *self = (PbLinkedAccount *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->provider, g_free);
  g_clear_pointer (&self->provider_name, g_free);
  g_clear_pointer (&self->integration_id, g_free);
  g_clear_pointer (&self->origin_owner_id, g_free);
  g_clear_pointer (&self->origin_owner_name, g_free);
  g_clear_pointer (&self->origin_username, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->status_reasons, g_ptr_array_unref);
  g_clear_pointer (&self->credentials, g_hash_table_unref);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (pb_linked_account_parent_class)->finalize (object);
}

static void
pb_linked_account_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PbLinkedAccount *self = PB_LINKED_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;
    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;
    case PROP_INTEGRATION_ID:
      g_value_set_string (value, self->integration_id);
      break;
    case PROP_ORIGIN_OWNER_ID:
      g_value_set_string (value, self->origin_owner_id);
      break;
    case PROP_ORIGIN_OWNER_NAME:
      g_value_set_string (value, self->origin_owner_name);
      break;
    case PROP_ORIGIN_USERNAME:
      g_value_set_string (value, self->origin_username);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_STATUS_REASONS:
      g_value_set_boxed (value, self->status_reasons);
      break;
    case PROP_CREDENTIALS:
      g_value_set_boxed (value, self->credentials);
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
pb_linked_account_class_init (PbLinkedAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pb_linked_account_finalize;
  object_class->get_property = pb_linked_account_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER] = g_param_spec_string ("provider", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_NAME] = g_param_spec_string ("provider-name", NULL, NULL, NULL, flags);
  properties[PROP_INTEGRATION_ID] = g_param_spec_string ("integration-id", NULL, NULL, NULL,
                                                         flags);
  properties[PROP_ORIGIN_OWNER_ID] = g_param_spec_string ("origin-owner-id", NULL, NULL, NULL,
                                                          flags);
  properties[PROP_ORIGIN_OWNER_NAME] = g_param_spec_string ("origin-owner-name", NULL, NULL,
                                                            NULL, flags);
  properties[PROP_ORIGIN_USERNAME] = g_param_spec_string ("origin-username", NULL, NULL, NULL,
                                                          flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, PB_TYPE_ACCOUNT_STATUS,
                                               PB_ACCOUNT_STATUS_ACTIVE, flags);
  properties[PROP_STATUS_REASONS] = g_param_spec_boxed ("status-reasons", NULL, NULL,
                                                        G_TYPE_PTR_ARRAY, flags);
  properties[PROP_CREDENTIALS] = g_param_spec_boxed ("credentials", NULL, NULL,
                                                     G_TYPE_HASH_TABLE, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                    flags);
  properties[PROP_UPDATED_AT] = g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                    flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_linked_account_init (PbLinkedAccount *self)
{
  self->status_reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_status_reason_free);
  self->credentials = pb_secret_state_table_new ();
}

static gboolean
parse_status_reasons (PbLinkedAccount  *self,
                      JsonArray        *reasons,
                      GError          **error)
{
  guint n = json_array_get_length (reasons);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (reasons, i);
      JsonObject *object;
      const char *code = NULL;
      const char *description = NULL;
      g_autoptr(GDateTime) timestamp = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                       "Field “status_reasons[%u]” must be an object", i);
          return FALSE;
        }

      object = json_node_get_object (node);
      if (!pb_json_get_string_member_checked (object, "code", TRUE, &code, error) ||
          !pb_json_get_string_member_checked (object, "description", FALSE, &description,
                                              error) ||
          !pb_json_get_datetime_member_checked (object, "timestamp", FALSE, &timestamp, error))
        {
          g_prefix_error (error, "status_reasons[%u]: ", i);
          return FALSE;
        }

      g_ptr_array_add (self->status_reasons, pb_status_reason_new (code, description, timestamp));
    }

  return TRUE;
}

/**
 * pb_linked_account_new_from_json:
 * @object: the API's linked account object
 * @error: return location for a #GError
 *
 * Required members: id, provider, integration_id, status. Unknown members are ignored.
 * Of the credentials it keeps what the API says of them (set, hint, times), never a value.
 *
 * Returns: (transfer full) (nullable): the account
 */
PbLinkedAccount *
pb_linked_account_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(PbLinkedAccount) self = NULL;
  const char *id = NULL;
  const char *provider = NULL;
  const char *provider_name = NULL;
  const char *integration_id = NULL;
  const char *origin_owner_id = NULL;
  const char *origin_owner_name = NULL;
  const char *origin_username = NULL;
  const char *label = NULL;
  const char *status = NULL;
  JsonArray *reasons = NULL;
  JsonObject *credentials = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (PB_TYPE_LINKED_ACCOUNT, NULL);

  if (!pb_json_get_string_member_checked (object, "id", TRUE, &id, error) ||
      !pb_json_get_string_member_checked (object, "provider", TRUE, &provider, error) ||
      !pb_json_get_string_member_checked (object, "provider_name", FALSE, &provider_name, error) ||
      !pb_json_get_string_member_checked (object, "integration_id", TRUE, &integration_id,
                                          error) ||
      !pb_json_get_string_member_checked (object, "origin_owner_id", FALSE, &origin_owner_id,
                                          error) ||
      !pb_json_get_string_member_checked (object, "origin_owner_name", FALSE,
                                          &origin_owner_name, error) ||
      !pb_json_get_string_member_checked (object, "origin_username", FALSE, &origin_username,
                                          error) ||
      !pb_json_get_string_member_checked (object, "label", FALSE, &label, error) ||
      !pb_json_get_string_member_checked (object, "status", TRUE, &status, error) ||
      !pb_json_get_array_member_checked (object, "status_reasons", FALSE, &reasons, error) ||
      !pb_json_get_object_member_checked (object, "credentials", FALSE, &credentials, error) ||
      !pb_json_get_datetime_member_checked (object, "created_at", FALSE, &self->created_at,
                                            error) ||
      !pb_json_get_datetime_member_checked (object, "updated_at", FALSE, &self->updated_at,
                                            error))
    return NULL;

  if (!pb_account_status_from_string (status, &self->status))
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                   "Field “status” has the unknown value “%s”", status);
      return NULL;
    }

  if (reasons != NULL && !parse_status_reasons (self, reasons, error))
    return NULL;

  if (credentials != NULL
      && !pb_secret_state_table_parse (self->credentials, credentials, "credentials", error))
    return NULL;

  self->id = g_strdup (id);
  self->provider = g_strdup (provider);
  self->provider_name = g_strdup (provider_name);
  self->integration_id = g_strdup (integration_id);
  self->origin_owner_id = g_strdup (origin_owner_id);
  self->origin_owner_name = g_strdup (origin_owner_name);
  self->origin_username = g_strdup (origin_username);
  self->label = g_strdup (label);

  return g_steal_pointer (&self);
}

/**
 * pb_linked_account_to_json:
 * @self: an account
 *
 * Returns: (transfer full): the API's linked account object
 */
JsonObject *
pb_linked_account_to_json (PbLinkedAccount *self)
{
  JsonObject *object;
  JsonArray *reasons;

  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "provider", self->provider);
  pb_json_set_string_or_null (object, "provider_name", self->provider_name);
  json_object_set_string_member (object, "integration_id", self->integration_id);
  pb_json_set_string_or_null (object, "origin_owner_id", self->origin_owner_id);
  pb_json_set_string_or_null (object, "origin_owner_name", self->origin_owner_name);
  pb_json_set_string_or_null (object, "origin_username", self->origin_username);
  pb_json_set_string_or_null (object, "label", self->label);
  json_object_set_string_member (object, "status", pb_account_status_to_string (self->status));

  reasons = json_array_new ();
  for (guint i = 0; i < self->status_reasons->len; i++)
    {
      const PbStatusReason *reason = g_ptr_array_index (self->status_reasons, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "code", reason->code);
      pb_json_set_string_or_null (entry, "description", reason->description);
      pb_json_set_datetime_or_null (entry, "timestamp", reason->timestamp);
      json_array_add_object_element (reasons, entry);
    }
  json_object_set_array_member (object, "status_reasons", reasons);
  json_object_set_object_member (object, "credentials",
                                 pb_secret_state_table_to_json (self->credentials));

  pb_json_set_datetime_or_null (object, "created_at", self->created_at);
  pb_json_set_datetime_or_null (object, "updated_at", self->updated_at);

  return object;
}

const char *
pb_linked_account_get_id (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->id;
}

const char *
pb_linked_account_get_provider (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->provider;
}

const char *
pb_linked_account_get_provider_name (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->provider_name;
}

const char *
pb_linked_account_get_integration_id (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->integration_id;
}

const char *
pb_linked_account_get_origin_owner_id (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->origin_owner_id;
}

const char *
pb_linked_account_get_origin_owner_name (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->origin_owner_name;
}

const char *
pb_linked_account_get_origin_username (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->origin_username;
}

const char *
pb_linked_account_get_label (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->label;
}

PbAccountStatus
pb_linked_account_get_status (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), PB_ACCOUNT_STATUS_ERROR);
  return self->status;
}

/**
 * pb_linked_account_get_status_reasons:
 * @self: an account
 *
 * Returns: (transfer none) (element-type PbStatusReason): why it has its status, oldest
 *   first as the API sent them; do not modify it
 */
GPtrArray *
pb_linked_account_get_status_reasons (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->status_reasons;
}

/**
 * pb_linked_account_get_credentials:
 * @self: an account
 *
 * Returns: (transfer none) (element-type utf8 PbSecretState): its stored credentials by
 *   field key (the auth type's account fields, and an OAuth type's tokens); do not modify it
 */
GHashTable *
pb_linked_account_get_credentials (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->credentials;
}

/**
 * pb_linked_account_get_created_at:
 * @self: an account
 *
 * Returns: (transfer none) (nullable): when it was linked
 */
GDateTime *
pb_linked_account_get_created_at (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->created_at;
}

/**
 * pb_linked_account_get_updated_at:
 * @self: an account
 *
 * Returns: (transfer none) (nullable): when it last changed
 */
GDateTime *
pb_linked_account_get_updated_at (PbLinkedAccount *self)
{
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (self), NULL);
  return self->updated_at;
}
