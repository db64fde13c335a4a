/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-connector-header"

#include "config.h"

#include "pb-connector-header.h"

struct _PbConnectorHeader
{
  GObject parent_instance;

  char *connector_key;
  char *connector_label;
  char *category;
};

G_DEFINE_FINAL_TYPE (PbConnectorHeader, pb_connector_header, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTOR_KEY,
  PROP_CONNECTOR_LABEL,
  PROP_CATEGORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pb_connector_header_finalize (GObject *object)
{
  PbConnectorHeader *self = PB_CONNECTOR_HEADER (object);

  g_free (self->connector_key);
  g_free (self->connector_label);
  g_free (self->category);

  G_OBJECT_CLASS (pb_connector_header_parent_class)->finalize (object);
}

static void
pb_connector_header_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PbConnectorHeader *self = PB_CONNECTOR_HEADER (object);

  switch (prop_id)
    {
    case PROP_CONNECTOR_KEY:
      g_value_set_string (value, self->connector_key);
      break;
    case PROP_CONNECTOR_LABEL:
      g_value_set_string (value, self->connector_label);
      break;
    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_connector_header_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PbConnectorHeader *self = PB_CONNECTOR_HEADER (object);

  switch (prop_id)
    {
    case PROP_CONNECTOR_KEY:
      self->connector_key = g_value_dup_string (value);
      break;
    case PROP_CONNECTOR_LABEL:
      self->connector_label = g_value_dup_string (value);
      break;
    case PROP_CATEGORY:
      self->category = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_connector_header_class_init (PbConnectorHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_connector_header_finalize;
  object_class->get_property = pb_connector_header_get_property;
  object_class->set_property = pb_connector_header_set_property;

  properties[PROP_CONNECTOR_KEY] =
    g_param_spec_string ("connector-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTOR_LABEL] =
    g_param_spec_string ("connector-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY] =
    g_param_spec_string ("category", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_connector_header_init (PbConnectorHeader *self)
{
}

PbConnectorHeader *
pb_connector_header_new (const char *connector_key,
                         const char *connector_label,
                         const char *category)
{
  return g_object_new (PB_TYPE_CONNECTOR_HEADER,
                       "connector-key", connector_key,
                       "connector-label", connector_label,
                       "category", category,
                       NULL);
}

const char *
pb_connector_header_get_connector_label (PbConnectorHeader *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR_HEADER (self), NULL);
  return self->connector_label;
}

const char *
pb_connector_header_get_category (PbConnectorHeader *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR_HEADER (self), NULL);
  return self->category;
}
