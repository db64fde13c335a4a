/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-client-private.h"

#include <string.h>

/*
 * PbClient: the HTTP client for the Plugboard admin API (design/api.md).
 *
 * This file holds the object: its properties, its one SoupSession and the key's
 * Authorization header. Every call goes through one request of pb-client-request.c; the
 * endpoint functions are in pb-client-endpoints.c (see pb-client-private.h).
 */

#define IDLE_TIMEOUT_SECONDS 60

G_DEFINE_FINAL_TYPE (PbClient, pb_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_API_KEY,
  PROP_TIMEOUT,
  PROP_MAX_RETRIES,
  PROP_MAX_RETRY_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GObject */

static void
pb_client_finalize (GObject *object)
{
  PbClient *self = (PbClient *) object;

  if (self->authorization != NULL)
    {
      /* The header holds the key: do not leave it in freed memory. */
      volatile char *p = self->authorization;

      while (*p != '\0')
        *p++ = '\0';
      g_clear_pointer (&self->authorization, g_free);
    }

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (pb_client_parent_class)->finalize (object);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * pb_client_normalize_url:
 * @url: (nullable): a backend base URL as typed
 *
 * Returns: (transfer full): the URL without surrounding blanks and trailing slashes: the
 *   form a backend is known by everywhere (the client's requests, the keyring's `backend`
 *   attribute, the name of the offline cache), so that "http://h:1/" and "http://h:1" are
 *   the same backend.
 */
char *
pb_client_normalize_url (const char *url)
{
  g_autofree char *copy = g_strstrip (g_strdup (url != NULL ? url : ""));
  gsize length = strlen (copy);

  while (length > 0 && copy[length - 1] == '/')
    copy[--length] = '\0';
  return g_steal_pointer (&copy);
}

static void
pb_client_set_base_url (PbClient   *self,
                        const char *base_url)
{
  g_autofree char *url = pb_client_normalize_url (base_url);
  g_autoptr(GUri) uri = NULL;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri != NULL
      && (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0
          || g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
      && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0'
      && g_uri_get_query (uri) == NULL && g_uri_get_fragment (uri) == NULL)
    self->base_uri = g_steal_pointer (&uri);

  /* A loopback backend (the local demo, a self-hosted server here) never goes through a
   * proxy; asking the system's resolver first would hold the first request for seconds
   * where there is no desktop's proxy configuration (libproxy's WPAD lookup). */
  if (self->base_uri != NULL && host_is_loopback (g_uri_get_host (self->base_uri)))
    soup_session_set_proxy_resolver (self->session, NULL);

  self->base_url = g_steal_pointer (&url);
}

static void
pb_client_set_api_key (PbClient   *self,
                       const char *api_key)
{
  g_autofree char *credentials = g_strconcat (api_key != NULL ? api_key : "", ":", NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) credentials,
                                              strlen (credentials));

  self->authorization = g_strconcat ("Basic ", encoded, NULL);

  memset (credentials, 0, strlen (credentials));
  memset (encoded, 0, strlen (encoded));
}

static void
pb_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PbClient *self = PB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;
    case PROP_MAX_RETRY_DELAY:
      g_value_set_uint (value, self->max_retry_delay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PbClient *self = PB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      pb_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      pb_client_set_api_key (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      pb_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRIES:
      pb_client_set_max_retries (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRY_DELAY:
      pb_client_set_max_retry_delay (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_client_class_init (PbClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_client_finalize;
  object_class->get_property = pb_client_get_property;
  object_class->set_property = pb_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* Write-only: nobody reads the key back from the client. */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, PB_CLIENT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL, 0, 100, PB_CLIENT_DEFAULT_MAX_RETRIES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_RETRY_DELAY] =
    g_param_spec_uint ("max-retry-delay", NULL, NULL, 0, 3600, PB_CLIENT_DEFAULT_MAX_RETRY_DELAY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_client_init (PbClient *self)
{
  self->timeout = PB_CLIENT_DEFAULT_TIMEOUT;
  self->max_retries = PB_CLIENT_DEFAULT_MAX_RETRIES;
  self->max_retry_delay = PB_CLIENT_DEFAULT_MAX_RETRY_DELAY;

  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                                 "user-agent", "plugboard/" PACKAGE_VERSION,
                                                 NULL);
  /* The Authorization header is set on every message; no challenge dance. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);
}

/**
 * pb_client_new:
 * @base_url: the backend's base URL, e.g. "http://127.0.0.1:8710"
 * @api_key: the API key (never logged)
 *
 * Returns: (transfer full): a new client with its own SoupSession
 */
PbClient *
pb_client_new (const char *base_url,
               const char *api_key)
{
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (api_key != NULL, NULL);

  return g_object_new (PB_TYPE_CLIENT,
                       "base-url", base_url,
                       "api-key", api_key,
                       NULL);
}

const char *
pb_client_get_base_url (PbClient *self)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), NULL);

  return self->base_url;
}

/* How many HTTP requests this client has sent, retries included (diagnostics and tests). */
guint
pb_client_get_n_requests (PbClient *self)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), 0);

  return self->n_requests;
}

guint
pb_client_get_timeout (PbClient *self)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), 0);

  return self->timeout;
}

/**
 * pb_client_set_timeout:
 * @self: a client
 * @seconds: how long a connection may stay silent before the request fails as
 *   %PB_API_ERROR_UNREACHABLE; 0 for no limit
 */
void
pb_client_set_timeout (PbClient *self,
                       guint     seconds)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
pb_client_get_max_retries (PbClient *self)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), 0);

  return self->max_retries;
}

/**
 * pb_client_set_max_retries:
 * @self: a client
 * @n: how many times a 429 or 503 answer is retried before it is reported
 */
void
pb_client_set_max_retries (PbClient *self,
                           guint     n)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  if (self->max_retries == n)
    return;

  self->max_retries = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRIES]);
}

guint
pb_client_get_max_retry_delay (PbClient *self)
{
  g_return_val_if_fail (PB_IS_CLIENT (self), 0);

  return self->max_retry_delay;
}

/**
 * pb_client_set_max_retry_delay:
 * @self: a client
 * @seconds: the longest wait before a retry, whatever Retry-After says
 */
void
pb_client_set_max_retry_delay (PbClient *self,
                               guint     seconds)
{
  g_return_if_fail (PB_IS_CLIENT (self));

  if (self->max_retry_delay == seconds)
    return;

  self->max_retry_delay = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRY_DELAY]);
}
