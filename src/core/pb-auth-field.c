/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-auth-field.h"

#include "pb-catalog-private.h"
#include "pb-core-error.h"
#include "pb-json-util.h"

G_DEFINE_ENUM_TYPE (PbFieldKind, pb_field_kind,
                    G_DEFINE_ENUM_VALUE (PB_FIELD_KIND_TEXT, "text"),
                    G_DEFINE_ENUM_VALUE (PB_FIELD_KIND_SECRET, "secret"),
                    G_DEFINE_ENUM_VALUE (PB_FIELD_KIND_URL, "url"),
                    G_DEFINE_ENUM_VALUE (PB_FIELD_KIND_EMAIL, "email"),
                    G_DEFINE_ENUM_VALUE (PB_FIELD_KIND_SELECT, "select"))

static const char * const field_kind_names[] = {
  [PB_FIELD_KIND_TEXT] = "text",
  [PB_FIELD_KIND_SECRET] = "secret",
  [PB_FIELD_KIND_URL] = "url",
  [PB_FIELD_KIND_EMAIL] = "email",
  [PB_FIELD_KIND_SELECT] = "select",
};

gboolean
pb_field_kind_from_string (const char  *text,
                           PbFieldKind *out_kind)
{
  guint value;

  if (!pb_json_enum_from_name (field_kind_names, G_N_ELEMENTS (field_kind_names),
                               text, &value))
    return FALSE;
  if (out_kind != NULL)
    *out_kind = (PbFieldKind) value;
  return TRUE;
}

const char *
pb_field_kind_to_string (PbFieldKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (field_kind_names), NULL);
  return field_kind_names[kind];
}

G_DEFINE_FINAL_TYPE (PbAuthField, pb_auth_field, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_LABEL,
  PROP_KIND,
  PROP_REQUIRED,
  PROP_SECRET,
  PROP_GENERATED,
  PROP_DESCRIPTION,
  PROP_PLACEHOLDER,
  PROP_OPTIONS,
  PROP_DEFAULT_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pb_auth_field_finalize (GObject *object)
{
  PbAuthField *self = (PbAuthField *) object;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->placeholder, g_free);
  g_clear_pointer (&self->options, g_strfreev);
  g_clear_pointer (&self->default_value, g_free);

  G_OBJECT_CLASS (pb_auth_field_parent_class)->finalize (object);
}

static void
pb_auth_field_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PbAuthField *self = PB_AUTH_FIELD (object);

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
    case PROP_REQUIRED:
      g_value_set_boolean (value, self->required);
      break;
    case PROP_SECRET:
      g_value_set_boolean (value, self->secret);
      break;
    case PROP_GENERATED:
      g_value_set_boolean (value, self->generated);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_PLACEHOLDER:
      g_value_set_string (value, self->placeholder);
      break;
    case PROP_OPTIONS:
      g_value_set_boxed (value, self->options);
      break;
    case PROP_DEFAULT_VALUE:
      g_value_set_string (value, self->default_value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_auth_field_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PbAuthField *self = PB_AUTH_FIELD (object);

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
    case PROP_REQUIRED:
      self->required = g_value_get_boolean (value);
      break;
    case PROP_SECRET:
      self->secret = g_value_get_boolean (value);
      break;
    case PROP_GENERATED:
      self->generated = g_value_get_boolean (value);
      break;
    case PROP_DESCRIPTION:
      g_free (self->description);
      self->description = g_value_dup_string (value);
      break;
    case PROP_PLACEHOLDER:
      g_free (self->placeholder);
      self->placeholder = g_value_dup_string (value);
      break;
    case PROP_OPTIONS:
      g_strfreev (self->options);
      self->options = g_value_dup_boxed (value);
      if (self->options == NULL)
        self->options = g_new0 (char *, 1);
      break;
    case PROP_DEFAULT_VALUE:
      g_free (self->default_value);
      self->default_value = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_auth_field_class_init (PbAuthFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                      G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pb_auth_field_finalize;
  object_class->get_property = pb_auth_field_get_property;
  object_class->set_property = pb_auth_field_set_property;

  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, PB_TYPE_FIELD_KIND,
                                             PB_FIELD_KIND_TEXT, flags);
  properties[PROP_REQUIRED] = g_param_spec_boolean ("required", NULL, NULL, FALSE, flags);
  properties[PROP_SECRET] = g_param_spec_boolean ("secret", NULL, NULL, FALSE, flags);
  properties[PROP_GENERATED] = g_param_spec_boolean ("generated", NULL, NULL, FALSE, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_PLACEHOLDER] = g_param_spec_string ("placeholder", NULL, NULL, NULL, flags);
  properties[PROP_OPTIONS] = g_param_spec_boxed ("options", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_DEFAULT_VALUE] = g_param_spec_string ("default-value", NULL, NULL, NULL,
                                                        flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_auth_field_init (PbAuthField *self)
{
  self->options = g_new0 (char *, 1);
}

/**
 * pb_auth_field_new_from_json:
 * @object: a Field object of the API
 * @error: return location for a #GError
 *
 * Required members: key, label, kind. Unknown members are ignored; "generated" defaults to
 * false.
 *
 * Returns: (transfer full) (nullable): the field
 */
PbAuthField *
pb_auth_field_new_from_json (JsonObject  *object,
                             GError     **error)
{
  g_autoptr(PbAuthField) self = NULL;
  const char *key = NULL;
  const char *label = NULL;
  const char *kind = NULL;
  const char *description = NULL;
  const char *placeholder = NULL;
  const char *default_value = NULL;
  gboolean secret_given;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (PB_TYPE_AUTH_FIELD, NULL);

  if (!pb_json_get_string_member_checked (object, "key", TRUE, &key, error) ||
      !pb_json_get_string_member_checked (object, "label", TRUE, &label, error) ||
      !pb_json_get_string_member_checked (object, "kind", TRUE, &kind, error) ||
      !pb_json_get_boolean_member_checked (object, "required", FALSE, &self->required, error) ||
      !pb_json_get_boolean_member_checked (object, "secret", FALSE, &self->secret, error) ||
      !pb_json_get_boolean_member_checked (object, "generated", FALSE, &self->generated, error) ||
      !pb_json_get_string_member_checked (object, "description", FALSE, &description, error) ||
      !pb_json_get_string_member_checked (object, "placeholder", FALSE, &placeholder, error) ||
      !pb_json_get_string_member_checked (object, "default", FALSE, &default_value, error))
    return NULL;

  g_clear_pointer (&self->options, g_strfreev);
  if (!pb_json_get_strv_member_checked (object, "options", FALSE, &self->options, error))
    return NULL;

  if (!pb_field_kind_from_string (kind, &self->kind))
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                   "Field “kind” has the unknown value “%s”", kind);
      return NULL;
    }

  /* A secret-kind field is secret even when the catalog forgets to say so. */
  secret_given = json_object_has_member (object, "secret");
  if (!secret_given && self->kind == PB_FIELD_KIND_SECRET)
    self->secret = TRUE;

  self->key = g_strdup (key);
  self->label = g_strdup (label);
  self->description = g_strdup (description);
  self->placeholder = g_strdup (placeholder);
  self->default_value = g_strdup (default_value);

  return g_steal_pointer (&self);
}

/**
 * pb_auth_field_to_json:
 * @self: a field
 *
 * Returns: (transfer full): the API's Field object
 */
JsonObject *
pb_auth_field_to_json (PbAuthField *self)
{
  JsonObject *object;

  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "key", self->key);
  json_object_set_string_member (object, "label", self->label);
  json_object_set_string_member (object, "kind", pb_field_kind_to_string (self->kind));
  json_object_set_boolean_member (object, "required", self->required);
  json_object_set_boolean_member (object, "secret", self->secret);
  json_object_set_boolean_member (object, "generated", self->generated);
  pb_json_set_string_or_null (object, "description", self->description);
  pb_json_set_string_or_null (object, "placeholder", self->placeholder);
  pb_json_set_strv (object, "options", (const char * const *) self->options);
  pb_json_set_string_or_null (object, "default", self->default_value);

  return object;
}

const char *
pb_auth_field_get_key (PbAuthField *self)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), NULL);
  return self->key;
}

const char *
pb_auth_field_get_label (PbAuthField *self)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), NULL);
  return self->label;
}

PbFieldKind
pb_auth_field_get_kind (PbAuthField *self)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), PB_FIELD_KIND_TEXT);
  return self->kind;
}

gboolean
pb_auth_field_get_required (PbAuthField *self)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), FALSE);
  return self->required;
}

gboolean
pb_auth_field_get_secret (PbAuthField *self)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), FALSE);
  return self->secret;
}

/**
 * pb_auth_field_get_generated:
 * @self: a field
 *
 * Returns: whether the platform creates the value (e.g. a token to paste into the provider):
 *   it is shown, never typed
 */
gboolean
pb_auth_field_get_generated (PbAuthField *self)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), FALSE);
  return self->generated;
}

const char *
pb_auth_field_get_description (PbAuthField *self)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), NULL);
  return self->description;
}

const char *
pb_auth_field_get_placeholder (PbAuthField *self)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), NULL);
  return self->placeholder;
}

/**
 * pb_auth_field_get_options:
 * @self: a field
 *
 * Returns: (transfer none): the choices of a select field (empty, never %NULL)
 */
const char * const *
pb_auth_field_get_options (PbAuthField *self)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), NULL);
  return (const char * const *) self->options;
}

const char *
pb_auth_field_get_default_value (PbAuthField *self)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (self), NULL);
  return self->default_value;
}
