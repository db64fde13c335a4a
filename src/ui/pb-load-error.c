/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-load-error"

#include "config.h"

#include "pb-load-error.h"

#include <glib/gi18n.h>

#include "pb-api.h"

char *
pb_load_error_sentence (const GError *error)
{
  if (error == NULL)
    return g_strdup (_("Something went wrong."));

  if (error->domain == PB_API_ERROR)
    {
      switch ((PbApiError) error->code)
        {
        case PB_API_ERROR_UNREACHABLE:
          return g_strdup (_("The backend cannot be reached. Check the network connection and "
                             "the backend address, then try again."));
        case PB_API_ERROR_TLS:
          return g_strdup_printf (_("The secure connection to the backend failed: %s"),
                                  error->message);
        case PB_API_ERROR_UNAUTHORIZED:
          return g_strdup (_("The backend does not accept this project's API key. Check the key "
                             "in Preferences."));
        case PB_API_ERROR_FORBIDDEN:
          return g_strdup (_("This API key may not see these records."));
        case PB_API_ERROR_RATE_LIMITED:
          return g_strdup (_("The backend is receiving too many requests. Wait a minute, then "
                             "try again."));
        case PB_API_ERROR_SERVER:
          return g_strdup (_("The backend ran into a problem. Try again in a moment."));
        case PB_API_ERROR_INVALID_RESPONSE:
          return g_strdup (_("The backend answered something Plugboard does not understand. "
                             "Is the address that of a Plugboard backend?"));
        case PB_API_ERROR_INVALID_URL:
          return g_strdup (_("The backend address is not a web address (http:// or https://). "
                             "Correct it in Preferences."));
        case PB_API_ERROR_NOT_FOUND:
        case PB_API_ERROR_CONFLICT:
        case PB_API_ERROR_VERSION_MISMATCH:
        case PB_API_ERROR_VALIDATION:
        default:
          break;
        }
    }

  /* The backend's own sentence (the client makes the error's message from it), or what
   * went wrong on the way. */
  return g_strdup (error->message);
}

const char *
pb_load_error_icon (const GError *error)
{
  if (error != NULL && error->domain == PB_API_ERROR)
    {
      if (error->code == PB_API_ERROR_UNREACHABLE || error->code == PB_API_ERROR_INVALID_URL)
        return "network-offline-symbolic";
      if (error->code == PB_API_ERROR_UNAUTHORIZED || error->code == PB_API_ERROR_FORBIDDEN
          || error->code == PB_API_ERROR_TLS)
        return "dialog-password-symbolic";
    }
  return "dialog-error-symbolic";
}
