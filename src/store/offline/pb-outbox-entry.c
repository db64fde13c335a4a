/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-outbox"

#include "config.h"

#include "pb-outbox-entry.h"

#include <glib/gi18n-lib.h>

#include "pb-offline-error.h"
#include "pb-json-util.h"
#include "pb-outbox-private.h"

struct _PbOutboxEntry
{
  GObject parent_instance;

  gint64 seq;
  PbOperationKind kind;
  char *integration_id;
  gint64 base_version;
  JsonObject *payload;
  GStrv secret_fields;
  PbOutboxState state;
  char *code;
  char *message;
  JsonObject *current;
  GDateTime *created_at;
};

G_DEFINE_FINAL_TYPE (PbOutboxEntry, pb_outbox_entry, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SEQ,
  PROP_KIND,
  PROP_INTEGRATION_ID,
  PROP_STATE,
  PROP_MESSAGE,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pb_outbox_entry_finalize (GObject *object)
{
  PbOutboxEntry *self = (PbOutboxEntry *) object;

  g_free (self->integration_id);
  g_clear_pointer (&self->payload, json_object_unref);
  g_strfreev (self->secret_fields);
  g_free (self->code);
  g_free (self->message);
  g_clear_pointer (&self->current, json_object_unref);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (pb_outbox_entry_parent_class)->finalize (object);
}

static void
pb_outbox_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PbOutboxEntry *self = PB_OUTBOX_ENTRY (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      g_value_set_int64 (value, self->seq);
      break;
    case PROP_KIND:
      g_value_set_string (value, pb_operation_kind_to_string (self->kind));
      break;
    case PROP_INTEGRATION_ID:
      g_value_set_string (value, self->integration_id);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_DESCRIPTION:
      g_value_take_string (value, pb_outbox_entry_describe (self, NULL));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_outbox_entry_class_init (PbOutboxEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_outbox_entry_finalize;
  object_class->get_property = pb_outbox_entry_get_property;

  properties[PROP_SEQ] =
    g_param_spec_int64 ("seq", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INTEGRATION_ID] =
    g_param_spec_string ("integration-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, PB_OUTBOX_STATE_PENDING, PB_OUTBOX_STATE_REFUSED,
                      PB_OUTBOX_STATE_PENDING,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_outbox_entry_init (PbOutboxEntry *self)
{
}

/* json_node_copy() only references objects and arrays: a deep copy, so that an entry never
 * shares (and sees changes to) its caller's JSON. */
JsonObject *
pb_outbox_copy_object (JsonObject *object)
{
  return pb_json_object_deep_copy (object);
}

PbOutboxEntry *
pb_outbox_entry_new_full (gint64              seq,
                          PbOperationKind     kind,
                          const char         *integration_id,
                          gint64              base_version,
                          JsonObject         *payload,
                          const char * const *secret_fields,
                          PbOutboxState       state,
                          const char         *code,
                          const char         *message,
                          JsonObject         *current,
                          GDateTime          *created_at)
{
  PbOutboxEntry *self = g_object_new (PB_TYPE_OUTBOX_ENTRY, NULL);

  self->seq = seq;
  self->kind = kind;
  self->integration_id = g_strdup (integration_id);
  self->base_version = base_version < 0 ? -1 : base_version;
  self->payload = payload != NULL ? pb_outbox_copy_object (payload) : json_object_new ();
  self->secret_fields = g_strdupv ((char **) secret_fields);
  if (self->secret_fields == NULL)
    self->secret_fields = g_new0 (char *, 1);
  self->state = state;
  self->code = g_strdup (code);
  self->message = g_strdup (message);
  self->current = pb_outbox_copy_object (current);
  self->created_at = created_at != NULL ? g_date_time_ref (created_at)
                                        : g_date_time_new_now_utc ();
  return self;
}

/**
 * pb_outbox_entry_new:
 * @kind: what the change does
 * @integration_id: the integration (for a create: the id the client chose)
 * @base_version: the version the change was made on, -1 for none
 * @payload: (nullable): the request body without secret values
 * @secret_fields: (nullable): fields whose values are in the keyring
 *
 * Returns: (transfer full): a new entry, not yet queued (seq 0)
 */
PbOutboxEntry *
pb_outbox_entry_new (PbOperationKind     kind,
                     const char         *integration_id,
                     gint64              base_version,
                     JsonObject         *payload,
                     const char * const *secret_fields)
{
  g_return_val_if_fail (pb_operation_kind_to_string (kind) != NULL, NULL);
  g_return_val_if_fail (integration_id != NULL && *integration_id != '\0', NULL);

  return pb_outbox_entry_new_full (0, kind, integration_id, base_version, payload, secret_fields,
                                   PB_OUTBOX_STATE_PENDING, NULL, NULL, NULL, NULL);
}

PbOutboxEntry *
pb_outbox_entry_new_from_json (JsonObject  *object,
                               GError     **error)
{
  PbOperationKind kind;
  const char *id = NULL;
  JsonNode *node;
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  gint64 base_version = -1;

  g_return_val_if_fail (object != NULL, NULL);

  node = json_object_get_member (object, "kind");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !pb_operation_kind_from_string (json_node_get_string (node), &kind))
    goto invalid;
  node = json_object_get_member (object, "integration_id");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      (id = json_node_get_string (node)) == NULL || *id == '\0')
    goto invalid;
  node = json_object_get_member (object, "base_version");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        goto invalid;
      base_version = json_node_get_int (node);
    }
  node = json_object_get_member (object, "payload");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto invalid;
  node = json_object_get_member (object, "secret_fields");
  if (node != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        goto invalid;
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            goto invalid;
          g_ptr_array_add (fields, (char *) json_node_get_string (element));
        }
    }
  g_ptr_array_add (fields, NULL);

  return pb_outbox_entry_new (kind, id, base_version,
                              json_object_get_object_member (object, "payload"),
                              (const char * const *) fields->pdata);

invalid:
  g_set_error_literal (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_INVALID_INPUT,
                       _("A queued change is damaged and cannot be read."));
  return NULL;
}

JsonObject *
pb_outbox_entry_to_json (PbOutboxEntry *self)
{
  JsonObject *object;
  JsonArray *fields;

  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), NULL);

  object = json_object_new ();
  fields = json_array_new ();
  json_object_set_string_member (object, "kind", pb_operation_kind_to_string (self->kind));
  json_object_set_string_member (object, "integration_id", self->integration_id);
  json_object_set_int_member (object, "base_version", self->base_version);
  json_object_set_object_member (object, "payload", pb_outbox_copy_object (self->payload));
  for (guint i = 0; self->secret_fields[i] != NULL; i++)
    json_array_add_string_element (fields, self->secret_fields[i]);
  json_object_set_array_member (object, "secret_fields", fields);

  return object;
}

gint64
pb_outbox_entry_get_seq (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), 0);
  return self->seq;
}

PbOperationKind
pb_outbox_entry_get_kind (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), PB_OPERATION_UPDATE);
  return self->kind;
}

const char *
pb_outbox_entry_get_integration_id (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), NULL);
  return self->integration_id;
}

gint64
pb_outbox_entry_get_base_version (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), -1);
  return self->base_version;
}

JsonObject *
pb_outbox_entry_get_payload (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), NULL);
  return self->payload;
}

const char * const *
pb_outbox_entry_get_secret_fields (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), NULL);
  return (const char * const *) self->secret_fields;
}

PbOutboxState
pb_outbox_entry_get_state (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), PB_OUTBOX_STATE_PENDING);
  return self->state;
}

const char *
pb_outbox_entry_get_code (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), NULL);
  return self->code;
}

const char *
pb_outbox_entry_get_message (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), NULL);
  return self->message;
}

JsonObject *
pb_outbox_entry_get_current (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), NULL);
  return self->current;
}

GDateTime *
pb_outbox_entry_get_created_at (PbOutboxEntry *self)
{
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), NULL);
  return self->created_at;
}

/* The owner of the linked account an account's change is about, as the queue keeps it. */
static const char *
owner_of (PbOutboxEntry *self)
{
  const char *owner = json_object_get_string_member_with_default (self->payload,
                                                                  "origin_owner_name", NULL);

  if (owner == NULL || *owner == '\0')
    owner = json_object_get_string_member_with_default (self->payload, "account_id", "");
  return owner;
}

char *
pb_outbox_entry_describe (PbOutboxEntry *self,
                          const char    *name)
{
  const char *new_name;
  guint members;

  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (self), NULL);

  new_name = json_object_get_string_member_with_default (self->payload, "name", NULL);
  if (name == NULL)
    name = new_name != NULL ? new_name : pb_outbox_entry_get_integration_id (self);
  members = json_object_get_size (self->payload) + (self->secret_fields[0] != NULL);
  switch (self->kind)
    {
    case PB_OPERATION_CREATE:
      /* Translators: a queued change, e.g. "Add Personio" */
      return g_strdup_printf (_("Add %s"), new_name != NULL ? new_name : name);
    case PB_OPERATION_UPDATE:
      if (new_name != NULL && members == 1)
        /* Translators: a queued change, e.g. "Rename Workday → Workday EU" */
        return g_strdup_printf (_("Rename %s → %s"), name, new_name);
      /* Translators: a queued change of several settings at once, e.g. "Edit Workday" */
      return g_strdup_printf (_("Edit %s"), name);
    case PB_OPERATION_CHANGE_AUTH_TYPE:
      /* Translators: a queued change, e.g. "Change the auth type of Workday" */
      return g_strdup_printf (_("Change the auth type of %s"), name);
    case PB_OPERATION_SET_CREDENTIALS:
      /* Translators: a queued change, e.g. "Change the credentials of Workday" */
      return g_strdup_printf (_("Change the credentials of %s"), name);
    case PB_OPERATION_ENABLE:
      /* Translators: a queued change, e.g. "Enable BambooHR – UK" */
      return g_strdup_printf (_("Enable %s"), name);
    case PB_OPERATION_DISABLE:
      /* Translators: a queued change, e.g. "Disable BambooHR – UK" */
      return g_strdup_printf (_("Disable %s"), name);
    case PB_OPERATION_MAKE_DEFAULT:
      /* Translators: a queued change, e.g. "Make BambooHR – UK the default" */
      return g_strdup_printf (_("Make %s the default"), name);
    case PB_OPERATION_DELETE:
      /* Translators: a queued change, e.g. "Delete BambooHR – UK" */
      return g_strdup_printf (_("Delete %s"), name);
    case PB_OPERATION_SUSPEND_ACCOUNT:
      /* Translators: a queued change, e.g. "Suspend account Acme Ltd (BambooHR – UK)" */
      return g_strdup_printf (_("Suspend account %s (%s)"), owner_of (self), name);
    case PB_OPERATION_RESUME_ACCOUNT:
      /* Translators: a queued change, e.g. "Resume account Acme Ltd (BambooHR – UK)" */
      return g_strdup_printf (_("Resume account %s (%s)"), owner_of (self), name);
    case PB_OPERATION_DELETE_ACCOUNT:
      /* Translators: a queued change, e.g. "Delete account Acme Ltd (BambooHR – UK)" */
      return g_strdup_printf (_("Delete account %s (%s)"), owner_of (self), name);
    default:
      g_return_val_if_reached (NULL);
    }
}
