/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-ui"

#include "config.h"

#include "pb-error-sentence.h"

#include <glib/gi18n.h>

#include "pb-store.h"

/* When the backend answered with an error body, its message is a sentence for a person in
 * the server's words; without one, a sentence of ours for the code. */
static char *
server_or (const GError *error,
           const char   *fallback)
{
  const char *message = pb_api_error_get_server_message (error);

  return g_strdup (message != NULL ? message : fallback);
}

char *
pb_error_sentence (const GError *error)
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
          return g_strdup (_("The secure connection to the backend failed. Check whether its "
                             "address should start with https:// or http://, and that its "
                             "certificate is valid."));
        case PB_API_ERROR_UNAUTHORIZED:
          if (pb_api_error_has_code (error, "invalid_token"))
            return g_strdup (_("This connect session has expired or was used already. Try "
                               "again: a new one is made."));
          return g_strdup (_("The backend does not accept this API key. Check the key in "
                             "Preferences."));
        case PB_API_ERROR_FORBIDDEN:
          return server_or (error, _("This API key may not see or change these records."));
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
        case PB_API_ERROR_SYNC_TOKEN_EXPIRED:
          return g_strdup (_("The backend no longer knows what changed since the last refresh. "
                             "Refresh to load the whole project again."));
        case PB_API_ERROR_NOT_FOUND:
          return server_or (error, _("This is no longer on the backend."));
        case PB_API_ERROR_CONFLICT:
          return server_or (error, _("The backend refused the change."));
        case PB_API_ERROR_VERSION_MISMATCH:
          return server_or (error, _("Someone else changed this integration meanwhile."));
        case PB_API_ERROR_VALIDATION:
          return server_or (error, _("The backend did not accept some of the values."));
        default:
          return server_or (error, _("The backend refused the request."));
        }
    }

  if (g_error_matches (error, PB_STORE_ERROR, PB_STORE_ERROR_NEEDS_BACKEND))
    return g_strdup (_("Linking an account and checking its credentials need the backend, "
                       "which cannot be reached now. Try again once Plugboard is back online."));

  /* The rules, the store, the offline cache and the local demo word their errors as
   * sentences for a person (translated where they are made); so does GLib. */
  if (error->message != NULL && *error->message != '\0')
    return g_strdup (error->message);
  return g_strdup (_("Something went wrong."));
}

const char *
pb_error_icon_name (const GError *error)
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
