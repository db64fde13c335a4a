/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-operation"

#include "config.h"

#include "pb-operation.h"
#include "pb-store-private.h"

#include <glib/gi18n-lib.h>

#include "pb-store-error.h"

struct _PbOperation
{
  GObject parent_instance;

  PbOperationKind kind;
  char *integration_id;
  gint64 base_version;
  JsonObject *payload;
  GStrv secret_fields;
};

G_DEFINE_FINAL_TYPE (PbOperation, pb_operation, G_TYPE_OBJECT)

static void
pb_operation_finalize (GObject *object)
{
  PbOperation *self = (PbOperation *) object;

  g_free (self->integration_id);
  g_clear_pointer (&self->payload, json_object_unref);
  g_strfreev (self->secret_fields);

  G_OBJECT_CLASS (pb_operation_parent_class)->finalize (object);
}

static void
pb_operation_class_init (PbOperationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_operation_finalize;
}

static void
pb_operation_init (PbOperation *self)
{
}

JsonObject *
pb_store_copy_json_object (JsonObject *object)
{
  return object != NULL ? pb_json_object_deep_copy (object) : json_object_new ();
}

static JsonObject *
copy_object (JsonObject *object)
{
  return pb_store_copy_json_object (object);
}

PbOperation *
pb_operation_new (PbOperationKind     kind,
                  const char         *integration_id,
                  gint64              base_version,
                  JsonObject         *payload,
                  const char * const *secret_fields)
{
  PbOperation *self;

  g_return_val_if_fail (pb_operation_kind_to_string (kind) != NULL, NULL);
  g_return_val_if_fail (integration_id != NULL && *integration_id != '\0', NULL);

  self = g_object_new (PB_TYPE_OPERATION, NULL);
  self->kind = kind;
  self->integration_id = g_strdup (integration_id);
  self->base_version = base_version < 0 ? -1 : base_version;
  self->payload = copy_object (payload);
  self->secret_fields = g_strdupv ((char **) secret_fields);
  if (self->secret_fields == NULL)
    self->secret_fields = g_new0 (char *, 1);

  return self;
}

PbOperation *
pb_operation_new_create (const char         *connector_key,
                         const char         *auth_type_key,
                         const char         *name,
                         gboolean            make_default,
                         JsonObject         *config,
                         const char * const *secret_fields)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *id = g_uuid_string_random ();

  g_return_val_if_fail (connector_key != NULL, NULL);
  g_return_val_if_fail (auth_type_key != NULL, NULL);

  json_object_set_string_member (payload, "id", id);
  json_object_set_string_member (payload, "connector_key", connector_key);
  json_object_set_string_member (payload, "authentication_config_key", auth_type_key);
  if (name != NULL)
    json_object_set_string_member (payload, "name", name);
  json_object_set_boolean_member (payload, "default", make_default);
  json_object_set_object_member (payload, "config", copy_object (config));

  return pb_operation_new (PB_OPERATION_CREATE, id, -1, payload, secret_fields);
}

PbOperation *
pb_operation_new_update (const char *integration_id,
                         gint64      base_version,
                         const char *name,
                         JsonObject *config)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  if (name != NULL)
    json_object_set_string_member (payload, "name", name);
  if (config != NULL)
    json_object_set_object_member (payload, "config", copy_object (config));

  return pb_operation_new (PB_OPERATION_UPDATE, integration_id, base_version, payload, NULL);
}

void
pb_operation_set_oauth_app (PbOperation *self,
                            PbOAuthApp   app)
{
  g_return_if_fail (PB_IS_OPERATION (self));

  pb_json_set_string_or_null (pb_operation_get_payload (self), "oauth_app",
                              pb_oauth_app_to_string (app));
}

PbOperation *
pb_operation_new_change_auth_type (const char         *integration_id,
                                   gint64              base_version,
                                   const char         *auth_type_key,
                                   JsonObject         *config,
                                   const char * const *secret_fields)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  g_return_val_if_fail (auth_type_key != NULL, NULL);

  json_object_set_string_member (payload, "authentication_config_key", auth_type_key);
  if (config != NULL)
    json_object_set_object_member (payload, "config", copy_object (config));

  return pb_operation_new (PB_OPERATION_CHANGE_AUTH_TYPE, integration_id, base_version,
                           payload, secret_fields);
}

PbOperation *
pb_operation_new_set_credentials (const char         *integration_id,
                                  gint64              base_version,
                                  const char * const *secret_fields,
                                  const char * const *cleared_fields)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  JsonObject *secrets = json_object_new ();

  for (guint i = 0; cleared_fields != NULL && cleared_fields[i] != NULL; i++)
    json_object_set_null_member (secrets, cleared_fields[i]);
  json_object_set_object_member (payload, "secrets", secrets);

  return pb_operation_new (PB_OPERATION_SET_CREDENTIALS, integration_id, base_version,
                           payload, secret_fields);
}

PbOperation *
pb_operation_new_edit (const char         *integration_id,
                       gint64              base_version,
                       const char         *name,
                       const char         *auth_type_key,
                       JsonObject         *config,
                       const char * const *secret_fields,
                       gboolean            make_default)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  gboolean has_config = config != NULL && json_object_get_size (config) > 0;
  gboolean has_secrets = secret_fields != NULL && secret_fields[0] != NULL;
  guint parts = (name != NULL) + has_config + has_secrets + (make_default != FALSE);
  PbOperationKind kind = PB_OPERATION_UPDATE;

  if (name != NULL)
    json_object_set_string_member (payload, "name", name);
  if (auth_type_key != NULL)
    json_object_set_string_member (payload, "authentication_config_key", auth_type_key);
  if (has_config)
    json_object_set_object_member (payload, "config", copy_object (config));
  if (make_default)
    json_object_set_boolean_member (payload, "default", TRUE);

  if (auth_type_key != NULL)
    kind = PB_OPERATION_CHANGE_AUTH_TYPE;
  else if (parts == 0)
    return NULL;
  else if (parts == 1 && has_secrets)
    kind = PB_OPERATION_SET_CREDENTIALS;
  else if (parts == 1 && make_default)
    kind = PB_OPERATION_MAKE_DEFAULT;

  return pb_operation_new (kind, integration_id, base_version, payload, secret_fields);
}

PbOperation *
pb_operation_new_simple (PbOperationKind  kind,
                         const char      *integration_id,
                         gint64           base_version)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  switch (kind)
    {
    case PB_OPERATION_ENABLE:
      json_object_set_boolean_member (payload, "active", TRUE);
      break;
    case PB_OPERATION_DISABLE:
      json_object_set_boolean_member (payload, "active", FALSE);
      break;
    case PB_OPERATION_MAKE_DEFAULT:
      json_object_set_boolean_member (payload, "default", TRUE);
      break;
    case PB_OPERATION_DELETE:
      break;
    case PB_OPERATION_CREATE:
    case PB_OPERATION_UPDATE:
    case PB_OPERATION_CHANGE_AUTH_TYPE:
    case PB_OPERATION_SET_CREDENTIALS:
    default:
      g_return_val_if_reached (NULL);
    }

  return pb_operation_new (kind, integration_id, base_version, payload, NULL);
}

PbOperation *
pb_operation_new_account (PbOperationKind  kind,
                          PbLinkedAccount *account)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  const char *owner;

  g_return_val_if_fail (pb_operation_kind_is_account (kind), NULL);
  g_return_val_if_fail (PB_IS_LINKED_ACCOUNT (account), NULL);

  json_object_set_string_member (payload, "account_id", pb_linked_account_get_id (account));
  owner = pb_linked_account_get_origin_owner_name (account);
  if (owner == NULL || *owner == '\0')
    owner = pb_linked_account_get_origin_owner_id (account);
  json_object_set_string_member (payload, "origin_owner_name", owner != NULL ? owner : "");
  if (kind == PB_OPERATION_SUSPEND_ACCOUNT)
    json_object_set_string_member (payload, "status", "suspended");
  else if (kind == PB_OPERATION_RESUME_ACCOUNT)
    json_object_set_string_member (payload, "status", "active");

  return pb_operation_new (kind, pb_linked_account_get_integration_id (account), -1, payload,
                           NULL);
}

const char *
pb_operation_get_account_id (PbOperation *self)
{
  g_return_val_if_fail (PB_IS_OPERATION (self), NULL);
  if (!pb_operation_kind_is_account (self->kind))
    return NULL;
  return json_object_get_string_member_with_default (self->payload, "account_id", NULL);
}

PbOperationKind
pb_operation_get_kind (PbOperation *self)
{
  g_return_val_if_fail (PB_IS_OPERATION (self), PB_OPERATION_UPDATE);
  return self->kind;
}

const char *
pb_operation_get_integration_id (PbOperation *self)
{
  g_return_val_if_fail (PB_IS_OPERATION (self), NULL);
  return self->integration_id;
}

gint64
pb_operation_get_base_version (PbOperation *self)
{
  g_return_val_if_fail (PB_IS_OPERATION (self), -1);
  return self->base_version;
}

JsonObject *
pb_operation_get_payload (PbOperation *self)
{
  g_return_val_if_fail (PB_IS_OPERATION (self), NULL);
  return self->payload;
}

const char * const *
pb_operation_get_secret_fields (PbOperation *self)
{
  g_return_val_if_fail (PB_IS_OPERATION (self), NULL);
  return (const char * const *) self->secret_fields;
}

JsonObject *
pb_operation_to_json (PbOperation *self)
{
  JsonObject *object = json_object_new ();
  JsonArray *fields = json_array_new ();

  g_return_val_if_fail (PB_IS_OPERATION (self), NULL);

  json_object_set_string_member (object, "kind", pb_operation_kind_to_string (self->kind));
  json_object_set_string_member (object, "integration_id", self->integration_id);
  json_object_set_int_member (object, "base_version", self->base_version);
  json_object_set_object_member (object, "payload", copy_object (self->payload));
  for (guint i = 0; self->secret_fields[i] != NULL; i++)
    json_array_add_string_element (fields, self->secret_fields[i]);
  json_object_set_array_member (object, "secret_fields", fields);

  return object;
}

PbOperation *
pb_operation_new_from_json (JsonObject  *object,
                            GError     **error)
{
  PbOperationKind kind;
  const char *id;
  JsonNode *node;
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  JsonArray *array = NULL;

  node = json_object_get_member (object, "kind");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      !pb_operation_kind_from_string (json_node_get_string (node), &kind))
    goto invalid;
  node = json_object_get_member (object, "integration_id");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (id = json_node_get_string (node)) == NULL || *id == '\0')
    goto invalid;
  node = json_object_get_member (object, "payload");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto invalid;
  node = json_object_get_member (object, "secret_fields");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        goto invalid;
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_string (element) == NULL)
            goto invalid;
          g_ptr_array_add (fields, (char *) json_node_get_string (element));
        }
    }
  g_ptr_array_add (fields, NULL);

  return pb_operation_new (kind, id,
                           json_object_has_member (object, "base_version")
                             ? json_object_get_int_member (object, "base_version") : -1,
                           json_object_get_object_member (object, "payload"),
                           (const char * const *) fields->pdata);

invalid:
  g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT,
                       _("A queued change is damaged and cannot be read."));
  return NULL;
}
