/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PB_API_ERROR (pb_api_error_quark ())

/**
 * PbApiError:
 * @PB_API_ERROR_UNREACHABLE: the backend could not be reached (address, DNS, connection
 *   refused or reset, timeout); the offline logic keys on this code alone
 * @PB_API_ERROR_TLS: the secure connection failed (certificate or handshake); never ignored
 * @PB_API_ERROR_UNAUTHORIZED: 401, no or unknown API key (or an invalid connect token)
 * @PB_API_ERROR_FORBIDDEN: 403, a viewer key asked for a change
 * @PB_API_ERROR_NOT_FOUND: 404
 * @PB_API_ERROR_CONFLICT: 409; the failure's code tells which rule refused
 * @PB_API_ERROR_VERSION_MISMATCH: 412; the failure's details.current holds the integration now
 * @PB_API_ERROR_VALIDATION: 400, 413, 415, 422 (or another 4xx); the failure's code tells which
 * @PB_API_ERROR_RATE_LIMITED: 429, still so after the bounded retries
 * @PB_API_ERROR_SERVER: 5xx, still so after the bounded retries (503)
 * @PB_API_ERROR_INVALID_RESPONSE: the backend answered something that is not what the API
 *   promises (not JSON, a missing field…)
 * @PB_API_ERROR_INVALID_URL: the backend address is not an http:// or https:// URL (added
 *   after the first interface; not "unreachable": retrying cannot help)
 *
 * The GError message is the server's `message` when it sent one, else a sentence made by
 * the client.
 */
typedef enum
{
  PB_API_ERROR_UNREACHABLE,
  PB_API_ERROR_TLS,
  PB_API_ERROR_UNAUTHORIZED,
  PB_API_ERROR_FORBIDDEN,
  PB_API_ERROR_NOT_FOUND,
  PB_API_ERROR_CONFLICT,
  PB_API_ERROR_VERSION_MISMATCH,
  PB_API_ERROR_VALIDATION,
  PB_API_ERROR_RATE_LIMITED,
  PB_API_ERROR_SERVER,
  PB_API_ERROR_INVALID_RESPONSE,
  PB_API_ERROR_INVALID_URL,
} PbApiError;

GQuark       pb_api_error_quark          (void);
gboolean     pb_api_error_is_unreachable (const GError *error);
PbApiError   pb_api_error_from_status    (guint         status);

/**
 * PbApiFailure:
 * @status: the HTTP status
 * @code: (nullable): the error body's `code`, e.g. "has_linked_accounts"
 * @message: (nullable): the error body's `message`, a sentence for a person
 * @details: (nullable): the error body's `details` (e.g. `fields`, `current`)
 *
 * The parsed error body of an HTTP error, returned through the `out_failure` parameter of
 * the client's `_finish` functions.
 */
typedef struct
{
  guint       status;
  char       *code;
  char       *message;
  JsonObject *details;
} PbApiFailure;

#define PB_TYPE_API_FAILURE (pb_api_failure_get_type ())
GType         pb_api_failure_get_type        (void) G_GNUC_CONST;
PbApiFailure *pb_api_failure_new             (guint               status,
                                              const char         *code,
                                              const char         *message,
                                              JsonObject         *details);
PbApiFailure *pb_api_failure_copy            (const PbApiFailure *failure);
void          pb_api_failure_free            (PbApiFailure       *failure);
gboolean      pb_api_failure_has_code        (const PbApiFailure *failure,
                                              const char         *code);
JsonObject   *pb_api_failure_get_fields      (const PbApiFailure *failure);
JsonObject   *pb_api_failure_get_current     (const PbApiFailure *failure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbApiFailure, pb_api_failure_free)

G_END_DECLS
