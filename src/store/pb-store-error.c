/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include "pb-store-error.h"

#include "pb-core.h"

G_DEFINE_QUARK (pb-store-error-quark, pb_store_error)

JsonObject *
pb_store_error_get_fields (const GError *error)
{
  JsonObject *fields = pb_api_error_get_fields (error);

  return fields != NULL ? fields : pb_core_error_get_fields (error);
}
