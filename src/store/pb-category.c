/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-category"

#include "config.h"

#include "pb-category.h"

#include <glib/gi18n-lib.h>

struct _PbCategory
{
  GObject parent_instance;

  char *key;
  char *label;
  guint count;
  gboolean available;
  char *unavailable_reason;
};

G_DEFINE_FINAL_TYPE (PbCategory, pb_category, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_LABEL,
  PROP_COUNT,
  PROP_AVAILABLE,
  PROP_UNAVAILABLE_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pb_category_finalize (GObject *object)
{
  PbCategory *self = (PbCategory *) object;

  g_free (self->key);
  g_free (self->label);
  g_free (self->unavailable_reason);

  G_OBJECT_CLASS (pb_category_parent_class)->finalize (object);
}

static void
pb_category_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PbCategory *self = PB_CATEGORY (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_UNAVAILABLE_REASON:
      g_value_set_string (value, self->unavailable_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_category_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PbCategory *self = PB_CATEGORY (object);

  switch (prop_id)
    {
    case PROP_KEY:
      self->key = g_value_dup_string (value);
      break;
    case PROP_LABEL:
      self->label = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_category_class_init (PbCategoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_category_finalize;
  object_class->get_property = pb_category_get_property;
  object_class->set_property = pb_category_set_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UNAVAILABLE_REASON] =
    g_param_spec_string ("unavailable-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_category_init (PbCategory *self)
{
  self->available = TRUE;
}

PbCategory *
pb_category_new (const char *key,
                 const char *label)
{
  return g_object_new (PB_TYPE_CATEGORY, "key", key, "label", label, NULL);
}

const char *
pb_category_get_key (PbCategory *self)
{
  g_return_val_if_fail (PB_IS_CATEGORY (self), NULL);
  return self->key;
}

const char *
pb_category_get_label (PbCategory *self)
{
  g_return_val_if_fail (PB_IS_CATEGORY (self), NULL);
  return self->label;
}

guint
pb_category_get_count (PbCategory *self)
{
  g_return_val_if_fail (PB_IS_CATEGORY (self), 0);
  return self->count;
}

gboolean
pb_category_get_available (PbCategory *self)
{
  g_return_val_if_fail (PB_IS_CATEGORY (self), FALSE);
  return self->available;
}

const char *
pb_category_get_unavailable_reason (PbCategory *self)
{
  g_return_val_if_fail (PB_IS_CATEGORY (self), NULL);
  return self->unavailable_reason;
}

void
pb_category_set_count (PbCategory *self,
                       guint       count)
{
  g_return_if_fail (PB_IS_CATEGORY (self));

  if (self->count == count)
    return;
  self->count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}

void
pb_category_set_availability (PbCategory *self,
                              gboolean    available,
                              const char *unavailable_reason)
{
  g_return_if_fail (PB_IS_CATEGORY (self));

  available = !!available;
  if (available)
    unavailable_reason = NULL;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->available != available)
    {
      self->available = available;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
    }
  if (g_strcmp0 (self->unavailable_reason, unavailable_reason) != 0)
    {
      g_free (self->unavailable_reason);
      self->unavailable_reason = g_strdup (unavailable_reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNAVAILABLE_REASON]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
