/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-project.h"

#include "pb-core-error.h"
#include "pb-json-util.h"

struct _PbProject
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *region;
  char    *role;
  char    *plan_name;
  GStrv    plan_categories;
};

G_DEFINE_FINAL_TYPE (PbProject, pb_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_REGION,
  PROP_ROLE,
  PROP_PLAN_NAME,
  PROP_PLAN_CATEGORIES,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pb_project_finalize (GObject *object)
{
  PbProject *self = (PbProject *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->role, g_free);
  g_clear_pointer (&self->plan_name, g_free);
  g_clear_pointer (&self->plan_categories, g_strfreev);

  G_OBJECT_CLASS (pb_project_parent_class)->finalize (object);
}

static void
pb_project_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PbProject *self = PB_PROJECT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;
    case PROP_PLAN_NAME:
      g_value_set_string (value, self->plan_name);
      break;
    case PROP_PLAN_CATEGORIES:
      g_value_set_boxed (value, self->plan_categories);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, pb_project_is_read_only (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_project_class_init (PbProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pb_project_finalize;
  object_class->get_property = pb_project_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, flags);
  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, NULL, flags);
  properties[PROP_PLAN_NAME] = g_param_spec_string ("plan-name", NULL, NULL, NULL, flags);
  properties[PROP_PLAN_CATEGORIES] = g_param_spec_boxed ("plan-categories", NULL, NULL,
                                                         G_TYPE_STRV, flags);
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, TRUE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_project_init (PbProject *self)
{
}

/**
 * pb_project_new_from_json:
 * @object: the API's Project object
 * @error: return location for a #GError
 *
 * Required members: id, name, role ("admin" or "viewer"), plan with its categories.
 * Unknown members are ignored.
 *
 * Returns: (transfer full) (nullable): the project
 */
PbProject *
pb_project_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(PbProject) self = NULL;
  const char *id = NULL;
  const char *name = NULL;
  const char *region = NULL;
  const char *role = NULL;
  const char *plan_name = NULL;
  JsonObject *plan = NULL;
  g_auto(GStrv) categories = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if (!pb_json_get_string_member_checked (object, "id", TRUE, &id, error) ||
      !pb_json_get_string_member_checked (object, "name", TRUE, &name, error) ||
      !pb_json_get_string_member_checked (object, "region", FALSE, &region, error) ||
      !pb_json_get_string_member_checked (object, "role", TRUE, &role, error) ||
      !pb_json_get_object_member_checked (object, "plan", TRUE, &plan, error))
    return NULL;

  if (!pb_json_get_string_member_checked (plan, "name", FALSE, &plan_name, error) ||
      !pb_json_get_strv_member_checked (plan, "categories", TRUE, &categories, error))
    {
      g_prefix_error (error, "plan: ");
      return NULL;
    }

  if (g_strcmp0 (role, "admin") != 0 && g_strcmp0 (role, "viewer") != 0)
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                   "Field “role” must be “admin” or “viewer”, not “%s”", role);
      return NULL;
    }

  self = g_object_new (PB_TYPE_PROJECT, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->region = g_strdup (region);
  self->role = g_strdup (role);
  self->plan_name = g_strdup (plan_name);
  self->plan_categories = g_steal_pointer (&categories);

  return g_steal_pointer (&self);
}

/**
 * pb_project_to_json:
 * @self: a project
 *
 * Returns: (transfer full): the API's Project object
 */
JsonObject *
pb_project_to_json (PbProject *self)
{
  JsonObject *object;
  JsonObject *plan;

  g_return_val_if_fail (PB_IS_PROJECT (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "name", self->name);
  pb_json_set_string_or_null (object, "region", self->region);
  json_object_set_string_member (object, "role", self->role);

  plan = json_object_new ();
  pb_json_set_string_or_null (plan, "name", self->plan_name);
  pb_json_set_strv (plan, "categories", (const char * const *) self->plan_categories);
  json_object_set_object_member (object, "plan", plan);

  return object;
}

const char *
pb_project_get_id (PbProject *self)
{
  g_return_val_if_fail (PB_IS_PROJECT (self), NULL);
  return self->id;
}

const char *
pb_project_get_name (PbProject *self)
{
  g_return_val_if_fail (PB_IS_PROJECT (self), NULL);
  return self->name;
}

/**
 * pb_project_get_region:
 * @self: a project
 *
 * Returns: (nullable): "eu1", "us1", …
 */
const char *
pb_project_get_region (PbProject *self)
{
  g_return_val_if_fail (PB_IS_PROJECT (self), NULL);
  return self->region;
}

/**
 * pb_project_get_role:
 * @self: a project
 *
 * Returns: the role of the key used: "admin" or "viewer"
 */
const char *
pb_project_get_role (PbProject *self)
{
  g_return_val_if_fail (PB_IS_PROJECT (self), NULL);
  return self->role;
}

/**
 * pb_project_get_plan_name:
 * @self: a project
 *
 * Returns: (nullable): the plan's name
 */
const char *
pb_project_get_plan_name (PbProject *self)
{
  g_return_val_if_fail (PB_IS_PROJECT (self), NULL);
  return self->plan_name;
}

/**
 * pb_project_get_plan_categories:
 * @self: a project
 *
 * Returns: (transfer none): the categories the plan includes
 */
const char * const *
pb_project_get_plan_categories (PbProject *self)
{
  g_return_val_if_fail (PB_IS_PROJECT (self), NULL);
  return (const char * const *) self->plan_categories;
}

/**
 * pb_project_is_read_only:
 * @self: a project
 *
 * Returns: whether the key is a viewer's, which may not change anything
 */
gboolean
pb_project_is_read_only (PbProject *self)
{
  g_return_val_if_fail (PB_IS_PROJECT (self), TRUE);
  return g_strcmp0 (self->role, "admin") != 0;
}

/**
 * pb_project_has_category:
 * @self: a project
 * @category: a category, e.g. "hris"
 *
 * Returns: whether the plan includes @category
 */
gboolean
pb_project_has_category (PbProject  *self,
                         const char *category)
{
  g_return_val_if_fail (PB_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (category != NULL, FALSE);
  return g_strv_contains ((const char * const *) self->plan_categories, category);
}
