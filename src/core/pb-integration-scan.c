/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-integration-private.h"
#include "pb-time.h"

#include <string.h>

/*
 * An Integration object read from JSON text in place (PbJsonScan), with the meaning
 * pb_integration_new_from_json() gives it: required members id, name, connector_key,
 * authentication_config_key, active, default; null is "absent" for the others; unknown
 * members are passed over; a member given twice counts once, with its last value (as in
 * json-glib's objects). Anything else (a wrong type, a bad time, a value out of range) gives
 * NULL, and the caller reads the text with json-glib, which words the error.
 */

enum
{
  SEEN_ID = 1 << 0,
  SEEN_NAME = 1 << 1,
  SEEN_CONNECTOR_KEY = 1 << 2,
  SEEN_AUTH_TYPE_KEY = 1 << 3,
  SEEN_ACTIVE = 1 << 4,
  SEEN_DEFAULT = 1 << 5,
  SEEN_REQUIRED = (1 << 6) - 1,
};

static gboolean
key_is (PbJsonScan *scan,
        const char *name)
{
  return strcmp (scan->key->str, name) == 0;
}

static gboolean
scan_optional_time (PbJsonScan  *scan,
                    GDateTime  **slot)
{
  GDateTime *parsed;

  if (pb_json_scan_null (scan))
    {
      g_clear_pointer (slot, g_date_time_unref);
      return TRUE;
    }
  if (!pb_json_scan_string (scan) || (parsed = pb_time_parse_rfc3339 (scan->text->str)) == NULL)
    return FALSE;
  g_clear_pointer (slot, g_date_time_unref);
  *slot = parsed;
  return TRUE;
}

/* null or absent: 0. */
static gboolean
scan_optional_uint (PbJsonScan *scan,
                    guint      *slot)
{
  gint64 value;

  if (pb_json_scan_null (scan))
    {
      *slot = 0;
      return TRUE;
    }
  if (!pb_json_scan_int64 (scan, &value) || value < 0 || value > G_MAXUINT)
    return FALSE;
  *slot = (guint) value;
  return TRUE;
}

/* An object of name → value into @table (emptied first; null leaves it empty). @read_value
 * gives the value of the member whose name is in scan->key, or NULL to drop that name (a
 * member given twice keeps its last value), or fails. */
typedef gboolean (*ReadValue) (PbJsonScan *scan,
                               gpointer   *out_value);

static gboolean
scan_table (PbJsonScan *scan,
            GHashTable *table,
            ReadValue   read_value)
{
  gboolean first = TRUE;
  int more;

  g_hash_table_remove_all (table);
  if (pb_json_scan_null (scan))
    return TRUE;
  if (!pb_json_scan_take (scan, '{'))
    return FALSE;
  while ((more = pb_json_scan_member (scan, &first)) == 1)
    {
      g_autofree char *member = g_strndup (scan->key->str, scan->key->len);
      gpointer value = NULL;

      if (!read_value (scan, &value))
        return FALSE;
      if (value == NULL)
        g_hash_table_remove (table, member);
      else
        g_hash_table_insert (table, g_steal_pointer (&member), value);
    }
  return more == 0;
}

/* config: string values; null is no value. */
static gboolean
read_config_value (PbJsonScan *scan,
                   gpointer   *out_value)
{
  if (pb_json_scan_null (scan))
    return TRUE;
  if (!pb_json_scan_string (scan))
    return FALSE;
  *out_value = g_strndup (scan->text->str, scan->text->len);
  return TRUE;
}

/* One secret's state: {set (required), hint, updated_at}. */
static PbSecretState *
scan_secret_state (PbJsonScan *scan)
{
  g_autofree char *hint = NULL;
  g_autoptr(GDateTime) updated_at = NULL;
  gboolean set = FALSE, seen_set = FALSE;
  gboolean first = TRUE;
  int more;

  if (!pb_json_scan_take (scan, '{'))
    return NULL;
  while ((more = pb_json_scan_member (scan, &first)) == 1)
    {
      gboolean ok;

      if (key_is (scan, "set"))
        ok = seen_set = pb_json_scan_boolean (scan, &set);
      else if (key_is (scan, "hint"))
        ok = pb_json_scan_set_optional_string (scan, &hint);
      else if (key_is (scan, "updated_at"))
        ok = scan_optional_time (scan, &updated_at);
      else
        ok = pb_json_scan_skip_value (scan);
      if (!ok)
        return NULL;
    }
  if (more < 0 || !seen_set)
    return NULL;
  return pb_secret_state_new (set, hint, updated_at);
}

static gboolean
read_secret_value (PbJsonScan *scan,
                   gpointer   *out_value)
{
  *out_value = scan_secret_state (scan);
  return *out_value != NULL;
}

static gboolean
scan_accounts (PbJsonScan    *scan,
               PbIntegration *self)
{
  gboolean first = TRUE;
  int more;

  self->accounts_total = self->accounts_active = 0;
  self->accounts_inactive = self->accounts_error = 0;
  self->accounts_suspended = self->accounts_expired = 0;
  if (pb_json_scan_null (scan))
    return TRUE;
  if (!pb_json_scan_take (scan, '{'))
    return FALSE;
  while ((more = pb_json_scan_member (scan, &first)) == 1)
    {
      gboolean ok;

      if (key_is (scan, "total"))
        ok = scan_optional_uint (scan, &self->accounts_total);
      else if (key_is (scan, "active"))
        ok = scan_optional_uint (scan, &self->accounts_active);
      else if (key_is (scan, "inactive"))
        ok = scan_optional_uint (scan, &self->accounts_inactive);
      else if (key_is (scan, "suspended"))
        ok = scan_optional_uint (scan, &self->accounts_suspended);
      else if (key_is (scan, "expired"))
        ok = scan_optional_uint (scan, &self->accounts_expired);
      else if (key_is (scan, "error"))
        ok = scan_optional_uint (scan, &self->accounts_error);
      else
        ok = pb_json_scan_skip_value (scan);
      if (!ok)
        return FALSE;
    }
  return more == 0;
}

/* One member of the Integration object, its name in scan->key. */
/* "own", "platform" or null (none); another string is left to json-glib, which refuses it. */
static gboolean
scan_oauth_app (PbJsonScan    *scan,
                PbIntegration *self)
{
  g_autofree char *text = NULL;

  if (pb_json_scan_null (scan))
    {
      self->oauth_app = PB_OAUTH_APP_NONE;
      return TRUE;
    }
  return pb_json_scan_set_string (scan, &text)
         && pb_oauth_app_from_string (text, &self->oauth_app);
}

static gboolean
scan_member (PbJsonScan    *scan,
             PbIntegration *self,
             guint         *seen)
{
  const char *key = scan->key->str;

  switch (key[0])
    {
    case 'a':
      if (key_is (scan, "active"))
        {
          *seen |= SEEN_ACTIVE;
          return pb_json_scan_boolean (scan, &self->active);
        }
      if (key_is (scan, "authentication_config_key"))
        {
          *seen |= SEEN_AUTH_TYPE_KEY;
          return pb_json_scan_set_string (scan, &self->auth_type_key);
        }
      if (key_is (scan, "authentication_config_label"))
        return pb_json_scan_set_optional_string (scan, &self->auth_type_label);
      break;
    case 'c':
      if (key_is (scan, "connector_key"))
        {
          *seen |= SEEN_CONNECTOR_KEY;
          return pb_json_scan_set_string (scan, &self->connector_key);
        }
      if (key_is (scan, "connector_label"))
        return pb_json_scan_set_optional_string (scan, &self->connector_label);
      if (key_is (scan, "categories"))
        return pb_json_scan_set_strv (scan, &self->categories);
      if (key_is (scan, "config"))
        return scan_table (scan, self->config, read_config_value);
      if (key_is (scan, "created_at"))
        return scan_optional_time (scan, &self->created_at);
      break;
    case 'd':
      if (key_is (scan, "default"))
        {
          *seen |= SEEN_DEFAULT;
          return pb_json_scan_boolean (scan, &self->is_default);
        }
      break;
    case 'o':
      if (key_is (scan, "oauth_app"))
        return scan_oauth_app (scan, self);
      break;
    case 'i':
      if (key_is (scan, "id"))
        {
          *seen |= SEEN_ID;
          return pb_json_scan_set_string (scan, &self->id);
        }
      break;
    case 'l':
      if (key_is (scan, "linked_accounts"))
        return scan_accounts (scan, self);
      break;
    case 'n':
      if (key_is (scan, "name"))
        {
          *seen |= SEEN_NAME;
          return pb_json_scan_set_string (scan, &self->name);
        }
      break;
    case 's':
      if (key_is (scan, "secrets"))
        return scan_table (scan, self->secrets, read_secret_value);
      break;
    case 'u':
      if (key_is (scan, "updated_at"))
        return scan_optional_time (scan, &self->updated_at);
      break;
    case 'v':
      if (key_is (scan, "version"))
        {
          if (pb_json_scan_null (scan))
            {
              self->version = 0;
              return TRUE;
            }
          return pb_json_scan_int64 (scan, &self->version);
        }
      break;
    default:
      break;
    }

  return pb_json_scan_skip_value (scan);
}

PbIntegration *
pb_integration_new_from_scan (PbJsonScan *scan)
{
  g_autoptr(PbIntegration) self = NULL;
  gboolean first = TRUE;
  guint seen = 0;
  int more;

  g_return_val_if_fail (scan != NULL, NULL);

  if (!pb_json_scan_take (scan, '{'))
    return NULL;
  self = g_object_new (PB_TYPE_INTEGRATION, NULL);
  while ((more = pb_json_scan_member (scan, &first)) == 1)
    if (!scan_member (scan, self, &seen))
      return NULL;
  if (more < 0 || (seen & SEEN_REQUIRED) != SEEN_REQUIRED)
    return NULL;

  if (self->categories == NULL)
    self->categories = g_new0 (char *, 1);
  return g_steal_pointer (&self);
}
