/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PB_CORE_ERROR (pb_core_error_quark ())

/**
 * PbCoreError:
 * @PB_CORE_ERROR_INVALID_JSON: the JSON is not of the expected shape
 * @PB_CORE_ERROR_MISSING_FIELD: a required field is missing (the message names it)
 * @PB_CORE_ERROR_INVALID_VALUE: a field has a value of the wrong type or out of range
 * @PB_CORE_ERROR_RULE: an action is refused by the rules (the message says why; the fields
 *   refused, when fields are the reason, travel in the error: pb_core_error_get_fields())
 */
typedef enum
{
  PB_CORE_ERROR_INVALID_JSON,
  PB_CORE_ERROR_MISSING_FIELD,
  PB_CORE_ERROR_INVALID_VALUE,
  PB_CORE_ERROR_RULE,
} PbCoreError;

GQuark      pb_core_error_quark      (void);
/* @fields: (nullable): field key → the sentence saying why its value is refused, as the
 * API's details.fields; referenced. */
void        pb_core_error_set_fields (GError       *error,
                                      JsonObject   *fields);
/* (transfer none) (nullable) */
JsonObject *pb_core_error_get_fields (const GError *error);

G_END_DECLS
