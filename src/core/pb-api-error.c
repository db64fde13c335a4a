/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-api-error.h"

#include "pb-core-error.h"

typedef struct
{
  guint       status;
  char       *code;
  JsonObject *details;
  gboolean    server_message;   /* the GError's message is the body's */
} PbApiErrorPrivate;

static void
pb_api_error_private_init (PbApiErrorPrivate *priv)
{
}

static void
pb_api_error_private_copy (const PbApiErrorPrivate *src,
                           PbApiErrorPrivate       *dest)
{
  dest->status = src->status;
  dest->server_message = src->server_message;
  dest->code = g_strdup (src->code);
  dest->details = src->details != NULL ? json_object_ref (src->details) : NULL;
}

static void
pb_api_error_private_clear (PbApiErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
  g_clear_pointer (&priv->details, json_object_unref);
}

G_DEFINE_EXTENDED_ERROR (PbApiError, pb_api_error)

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

GError *
pb_api_error_new_http (guint       status,
                       const char *api_code,
                       JsonObject *details,
                       const char *server_message,
                       const char *description)
{
  gboolean from_server = server_message != NULL && *server_message != '\0';
  GError *error = g_error_new_literal (PB_API_ERROR, pb_api_error_from_status (status),
                                       from_server ? server_message
                                       : description != NULL ? description : "");
  PbApiErrorPrivate *priv = pb_api_error_get_private (error);

  priv->status = status;
  priv->server_message = from_server;
  priv->code = g_strdup (api_code);
  priv->details = details != NULL ? json_object_ref (details) : NULL;
  return error;
}

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

static PbApiErrorPrivate *
private_of (const GError *error)
{
  if (error == NULL || error->domain != PB_API_ERROR)
    return NULL;
  return pb_api_error_get_private (error);
}

guint
pb_api_error_get_status (const GError *error)
{
  PbApiErrorPrivate *priv = private_of (error);

  return priv != NULL ? priv->status : 0;
}

const char *
pb_api_error_get_server_message (const GError *error)
{
  PbApiErrorPrivate *priv = private_of (error);

  return priv != NULL && priv->server_message ? error->message : NULL;
}

const char *
pb_api_error_get_code (const GError *error)
{
  PbApiErrorPrivate *priv = private_of (error);

  return priv != NULL ? priv->code : NULL;
}

gboolean
pb_api_error_has_code (const GError *error,
                       const char   *api_code)
{
  const char *code = pb_api_error_get_code (error);

  return code != NULL && g_strcmp0 (code, api_code) == 0;
}

JsonObject *
pb_api_error_get_details (const GError *error)
{
  PbApiErrorPrivate *priv = private_of (error);

  return priv != NULL ? priv->details : NULL;
}

static JsonObject *
details_object_member (const GError *error,
                       const char   *member)
{
  JsonObject *details = pb_api_error_get_details (error);
  JsonNode *node;

  if (details == NULL)
    return NULL;

  node = json_object_get_member (details, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

JsonObject *
pb_api_error_get_fields (const GError *error)
{
  return details_object_member (error, "fields");
}

JsonObject *
pb_api_error_get_current (const GError *error)
{
  return details_object_member (error, "current");
}
