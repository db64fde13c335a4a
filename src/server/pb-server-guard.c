/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-server-private.h"

/* What a request must pass before a handler sees it: a Host the server answers for, one well-formed Authorization header, and the limits per API key and per peer.
 * The counters are shared by all the server's threads; on PostgreSQL, the ones per API key by
 * all servers of the database (in its table rate_windows). */

#define WINDOW_US (60 * G_USEC_PER_SEC)
/* Past this many windows, the ones that ended are dropped. */
#define MAX_WINDOWS 10000

typedef struct
{
  gint64 start;
  guint  count;
} Window;

struct _PbGuard
{
  GMutex      lock;
  guint       rate_limit;
  guint       auth_failures;
  GHashTable *rate;        /* key id → Window */
  GHashTable *failures;    /* peer address → Window */
  GHashTable *hosts;       /* allowed Host names, lower case, without port */
  gboolean    any_host;
};

PbGuard *
pb_guard_new (const PbServerConfig *config)
{
  PbGuard *self = g_new0 (PbGuard, 1);
  guint i;

  g_mutex_init (&self->lock);
  self->rate_limit = config->rate_limit;
  self->auth_failures = config->auth_failures;
  self->rate = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  pb_guard_allow_host (self, "localhost");
  pb_guard_allow_host (self, "127.0.0.1");
  pb_guard_allow_host (self, "[::1]");
  for (i = 0; config->allowed_hosts != NULL && config->allowed_hosts[i] != NULL; i++)
    pb_guard_allow_host (self, config->allowed_hosts[i]);
  return self;
}

void
pb_guard_free (PbGuard *self)
{
  if (self == NULL)
    return;
  g_mutex_clear (&self->lock);
  g_hash_table_unref (self->rate);
  g_hash_table_unref (self->failures);
  g_hash_table_unref (self->hosts);
  g_free (self);
}

/* The host part of a Host value or URI authority, lower case: "[::1]:8710" → "::1". */
static char *
host_name (const char *value)
{
  const char *end;

  if (value[0] == '[')
    {
      end = strchr (value, ']');
      if (end == NULL)
        return NULL;
      return g_ascii_strdown (value + 1, end - value - 1);
    }
  end = strchr (value, ':');
  return g_ascii_strdown (value, end ? end - value : (gssize) strlen (value));
}

void
pb_guard_allow_host (PbGuard    *self,
                     const char *host)
{
  char *name;

  if (g_str_equal (host, "*"))
    {
      self->any_host = TRUE;
      return;
    }
  /* An IPv6 literal may come with or without brackets. */
  name = strchr (host, ':') != NULL && host[0] != '[' && strchr (host, ':') != strrchr (host, ':')
         ? g_ascii_strdown (host, -1) : host_name (host);
  if (name != NULL && *name != '\0')
    g_hash_table_add (self->hosts, name);
  else
    g_free (name);
}

gboolean
pb_guard_host_allowed (PbGuard    *self,
                       const char *host,
                       const char *local_address)
{
  g_autofree char *name = NULL;

  if (self->any_host)
    return TRUE;
  name = host_name (host);
  if (name == NULL)
    return FALSE;
  /* The address the client connected to is always fine: it names this server. */
  if (local_address != NULL && g_ascii_strcasecmp (name, local_address) == 0)
    return TRUE;
  return g_hash_table_contains (self->hosts, name);
}

static gboolean
is_token68 (const char *text)
{
  const char *p = text;

  /* RFC 9110 §11.2: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
  while (*p != '\0' && (g_ascii_isalnum (*p) || strchr ("-._~+/", *p) != NULL))
    p++;
  if (p == text)
    return FALSE;
  while (*p == '=')
    p++;
  return *p == '\0';
}

static gboolean
is_base64 (const char *text)
{
  gsize len = strlen (text), i, pad = 0;

  if (len == 0 || len % 4 != 0)
    return FALSE;
  for (i = 0; i < len; i++)
    {
      char c = text[i];
      if (c == '=')
        {
          if (i < len - 2)
            return FALSE;
          pad++;
        }
      else if (pad > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return FALSE;
    }
  return TRUE;
}

char *
pb_guard_authorization_key (SoupMessageHeaders  *headers,
                            const char         **out_problem)
{
  SoupMessageHeadersIter iter;
  const char *name, *value, *authorization = NULL, *credentials;
  g_autofree char *trimmed = NULL;
  gboolean bearer;
  guint n = 0;

  *out_problem = NULL;
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Authorization") == 0)
      {
        authorization = value;
        n++;
      }
  if (n == 0)
    return NULL;
  if (n > 1)
    {
      *out_problem = "Send one Authorization header, not several.";
      return NULL;
    }
  bearer = g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0;
  if (bearer)
    credentials = authorization + 7;
  else if (g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
    credentials = authorization + 6;
  else
    {
      *out_problem = "The Authorization header must use the Basic or Bearer scheme.";
      return NULL;
    }
  while (*credentials == ' ')
    credentials++;
  trimmed = g_strdup (credentials);
  g_strchomp (trimmed);
  if (bearer)
    {
      if (!is_token68 (trimmed))
        {
          *out_problem = "The Bearer token must be one API key and nothing else.";
          return NULL;
        }
      return g_steal_pointer (&trimmed);
    }
  else
    {
      gsize len = 0;
      g_autofree guchar *raw = NULL;
      const guchar *colon;

      if (!is_base64 (trimmed)
          || (raw = g_base64_decode (trimmed, &len)) == NULL || len == 0
          || memchr (raw, '\0', len) != NULL)
        {
          *out_problem = "The Basic credentials must be base64 of “key:” and nothing else.";
          return NULL;
        }
      colon = memchr (raw, ':', len);
      return g_strndup ((const char *) raw, colon ? (gsize) (colon - raw) : len);
    }
}

/* Counts one event in @table's fixed one-minute window for @name when @count; returns 0 while
 * under @limit, else the seconds until the window ends. */
static guint
window_check (PbGuard    *self,
              GHashTable *table,
              const char *name,
              guint       limit,
              gboolean    count)
{
  Window *window;
  gint64 now = g_get_monotonic_time ();
  guint wait = 0;

  g_mutex_lock (&self->lock);
  window = g_hash_table_lookup (table, name);
  if (window == NULL)
    {
      if (g_hash_table_size (table) >= MAX_WINDOWS)
        {
          GHashTableIter iter;
          gpointer value;

          g_hash_table_iter_init (&iter, table);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (now - ((Window *) value)->start >= WINDOW_US)
              g_hash_table_iter_remove (&iter);
        }
      window = g_new0 (Window, 1);
      window->start = now;
      g_hash_table_insert (table, g_strdup (name), window);
    }
  if (now - window->start >= WINDOW_US)
    {
      window->start = now;
      window->count = 0;
    }
  if (window->count >= limit)
    wait = MAX (1, (guint) ((window->start + WINDOW_US - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  else if (count)
    window->count++;
  g_mutex_unlock (&self->lock);
  return wait;
}

guint
pb_guard_rate_wait (PbGuard    *self,
                    PbDb       *db,
                    const char *key)
{
  g_autofree char *key_id = g_strndup (key, 16);   /* the key id part, not the secret */

  /* Several servers share a PostgreSQL database, and the limit of each key with it; the
   * servers of an SQLite file (in practice one) count in memory, which costs nothing. */
  if (pb_db_engine (db) == PB_DB_POSTGRESQL)
    return pb_db_count_in_window (db, key_id, self->rate_limit, WINDOW_US / 1000);
  return window_check (self, self->rate, key_id, self->rate_limit, TRUE);
}

guint
pb_guard_rate_limit (PbGuard *self)
{
  return self->rate_limit;
}

guint
pb_guard_failures_wait (PbGuard    *self,
                        const char *peer)
{
  return window_check (self, self->failures, peer, self->auth_failures, FALSE);
}

void
pb_guard_count_failure (PbGuard    *self,
                        const char *peer)
{
  window_check (self, self->failures, peer, G_MAXUINT, TRUE);
}
