/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-core-error.h"

typedef struct
{
  JsonObject *fields;
} PbCoreErrorPrivate;

static void
pb_core_error_private_init (PbCoreErrorPrivate *priv)
{
}

static void
pb_core_error_private_copy (const PbCoreErrorPrivate *src,
                            PbCoreErrorPrivate       *dest)
{
  dest->fields = src->fields != NULL ? json_object_ref (src->fields) : NULL;
}

static void
pb_core_error_private_clear (PbCoreErrorPrivate *priv)
{
  g_clear_pointer (&priv->fields, json_object_unref);
}

G_DEFINE_EXTENDED_ERROR (PbCoreError, pb_core_error)

void
pb_core_error_set_fields (GError     *error,
                          JsonObject *fields)
{
  PbCoreErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == PB_CORE_ERROR);

  priv = pb_core_error_get_private (error);
  g_clear_pointer (&priv->fields, json_object_unref);
  priv->fields = fields != NULL ? json_object_ref (fields) : NULL;
}

JsonObject *
pb_core_error_get_fields (const GError *error)
{
  if (error == NULL || error->domain != PB_CORE_ERROR)
    return NULL;
  return pb_core_error_get_private (error)->fields;
}
