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
 * @PB_API_ERROR_CONFLICT: 409; the error's API code tells which rule refused
 * @PB_API_ERROR_VERSION_MISMATCH: 412; the error's details.current holds the integration now
 * @PB_API_ERROR_VALIDATION: 400, 413, 415, 422 (or another 4xx); the API code tells which,
 *   details.fields which fields and why
 * @PB_API_ERROR_RATE_LIMITED: 429, still so after the bounded retries
 * @PB_API_ERROR_SERVER: 5xx, still so after the bounded retries (503)
 * @PB_API_ERROR_INVALID_RESPONSE: the backend answered something that is not what the API
 *   promises (not JSON, a missing field…)
 * @PB_API_ERROR_INVALID_URL: the backend address is not an http:// or https:// URL (not
 *   "unreachable": retrying cannot help)
 *
 * The errors of the admin API, as the client reports them and the store passes them on.
 * The error body the backend sent travels in the GError itself (an extended error): its HTTP
 * status, its `code` (e.g. "has_linked_accounts") and its `details`; the GError's message is
 * the server's `message` when it sent one, else a description for the log. People are shown
 * the sentence the UI makes of the code, never the message of a transport failure.
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
PbApiError   pb_api_error_from_status    (guint         status);

/* A PB_API_ERROR for an HTTP error answer: @status, the body's @api_code, @details and
 * @server_message (all nullable; @details is referenced). The error's message is
 * @server_message, else @description (for the log). */
GError      *pb_api_error_new_http       (guint         status,
                                          const char   *api_code,
                                          JsonObject   *details,
                                          const char   *server_message,
                                          const char   *description);

gboolean     pb_api_error_is_unreachable (const GError *error);
/* The error body's parts; 0 / NULL when @error is not an HTTP answer of the API. */
guint        pb_api_error_get_status     (const GError *error);
/* (nullable): the body's `message`, a sentence for a person in the server's words */
const char  *pb_api_error_get_server_message (const GError *error);
/* (nullable): the body's `code` */
const char  *pb_api_error_get_code       (const GError *error);
gboolean     pb_api_error_has_code       (const GError *error,
                                          const char   *api_code);
/* (transfer none) (nullable): `details` */
JsonObject  *pb_api_error_get_details    (const GError *error);
/* (transfer none) (nullable): `details.fields`, a map from a refused field's name to the
 * reason it was refused */
JsonObject  *pb_api_error_get_fields     (const GError *error);
/* (transfer none) (nullable): `details.current`, the integration as the backend has it
 * (a version mismatch) */
JsonObject  *pb_api_error_get_current    (const GError *error);

G_END_DECLS
