/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-api-error.h"

G_DEFINE_QUARK (pb-api-error-quark, pb_api_error)

/**
 * pb_api_error_is_unreachable:
 * @error: (nullable): an error
 *
 * Whether @error means that the backend could not be reached at all, as opposed to the
 * backend answering no. A TLS failure is not "unreachable": it must be shown, not queued.
 */
gboolean
pb_api_error_is_unreachable (const GError *error)
{
  return error != NULL && g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
}

/**
 * pb_api_error_from_status:
 * @status: an HTTP status of 400 or more
 *
 * The error code the client uses for an HTTP error status.
 */
PbApiError
pb_api_error_from_status (guint status)
{
  switch (status)
    {
    case 401:
      return PB_API_ERROR_UNAUTHORIZED;
    case 403:
      return PB_API_ERROR_FORBIDDEN;
    case 404:
      return PB_API_ERROR_NOT_FOUND;
    case 409:
      return PB_API_ERROR_CONFLICT;
    case 412:
      return PB_API_ERROR_VERSION_MISMATCH;
    case 429:
      return PB_API_ERROR_RATE_LIMITED;
    default:
      break;
    }

  if (status >= 500 && status < 600)
    return PB_API_ERROR_SERVER;
  if (status >= 400 && status < 500)
    return PB_API_ERROR_VALIDATION;

  return PB_API_ERROR_INVALID_RESPONSE;
}

G_DEFINE_BOXED_TYPE (PbApiFailure, pb_api_failure, pb_api_failure_copy, pb_api_failure_free)

/**
 * pb_api_failure_new:
 * @status: the HTTP status
 * @code: (nullable): the body's code
 * @message: (nullable): the body's message
 * @details: (nullable) (transfer none): the body's details
 *
 * Returns: (transfer full): a new failure
 */
PbApiFailure *
pb_api_failure_new (guint       status,
                    const char *code,
                    const char *message,
                    JsonObject *details)
{
  PbApiFailure *failure = g_new0 (PbApiFailure, 1);

  failure->status = status;
  failure->code = g_strdup (code);
  failure->message = g_strdup (message);
  failure->details = details != NULL ? json_object_ref (details) : NULL;

  return failure;
}

PbApiFailure *
pb_api_failure_copy (const PbApiFailure *failure)
{
  g_return_val_if_fail (failure != NULL, NULL);

  return pb_api_failure_new (failure->status, failure->code, failure->message,
                             failure->details);
}

void
pb_api_failure_free (PbApiFailure *failure)
{
  if (failure == NULL)
    return;

  g_free (failure->code);
  g_free (failure->message);
  g_clear_pointer (&failure->details, json_object_unref);
  g_free (failure);
}

/**
 * pb_api_failure_has_code:
 * @failure: (nullable): a failure
 * @code: an API error code, e.g. "has_linked_accounts"
 */
gboolean
pb_api_failure_has_code (const PbApiFailure *failure,
                         const char         *code)
{
  return failure != NULL && g_strcmp0 (failure->code, code) == 0;
}

static JsonObject *
details_object_member (const PbApiFailure *failure,
                       const char         *member)
{
  JsonNode *node;

  if (failure == NULL || failure->details == NULL)
    return NULL;

  node = json_object_get_member (failure->details, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

/**
 * pb_api_failure_get_fields:
 * @failure: (nullable): a failure
 *
 * Returns: (transfer none) (nullable): `details.fields` of a validation failure, a map from
 *   field name to the reason it was refused
 */
JsonObject *
pb_api_failure_get_fields (const PbApiFailure *failure)
{
  return details_object_member (failure, "fields");
}

/**
 * pb_api_failure_get_current:
 * @failure: (nullable): a failure
 *
 * Returns: (transfer none) (nullable): `details.current` of a version mismatch, the
 *   integration as it is on the backend
 */
JsonObject *
pb_api_failure_get_current (const PbApiFailure *failure)
{
  return details_object_member (failure, "current");
}
