/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-project-config"

#include "config.h"

#include "pb-project-config.h"

#include <gio/gio.h>

struct _PbProjectConfig
{
  GObject parent_instance;

  char *id;
  char *name;
  char *url;
  char *project_id;
  gboolean session_only;
};

G_DEFINE_FINAL_TYPE (PbProjectConfig, pb_project_config, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_URL,
  PROP_PROJECT_ID,
  PROP_SESSION_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76; the floor is 2.74. */
static gboolean
set_str (char       **slot,
         const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static void
pb_project_config_finalize (GObject *object)
{
  PbProjectConfig *self = (PbProjectConfig *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->url);
  g_free (self->project_id);

  G_OBJECT_CLASS (pb_project_config_parent_class)->finalize (object);
}

static void
pb_project_config_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PbProjectConfig *self = PB_PROJECT_CONFIG (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_SESSION_ONLY:
      g_value_set_boolean (value, self->session_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_project_config_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PbProjectConfig *self = PB_PROJECT_CONFIG (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;
    case PROP_PROJECT_ID:
      self->project_id = g_value_dup_string (value);
      break;
    case PROP_SESSION_ONLY:
      self->session_only = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_project_config_class_init (PbProjectConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_project_config_finalize;
  object_class->get_property = pb_project_config_get_property;
  object_class->set_property = pb_project_config_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Construct-only as a property; PbProjectList renames through the setter. */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROJECT_ID] =
    g_param_spec_string ("project-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SESSION_ONLY] =
    g_param_spec_boolean ("session-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_project_config_init (PbProjectConfig *self)
{
}

PbProjectConfig *
pb_project_config_new (const char *id,
                       const char *name,
                       const char *url,
                       const char *project_id,
                       gboolean    session_only)
{
  return g_object_new (PB_TYPE_PROJECT_CONFIG,
                       "id", id,
                       "name", name,
                       "url", url,
                       "project-id", project_id,
                       "session-only", session_only,
                       NULL);
}

const char *
pb_project_config_get_id (PbProjectConfig *self)
{
  g_return_val_if_fail (PB_IS_PROJECT_CONFIG (self), NULL);
  return self->id;
}

const char *
pb_project_config_get_name (PbProjectConfig *self)
{
  g_return_val_if_fail (PB_IS_PROJECT_CONFIG (self), NULL);
  return self->name;
}

const char *
pb_project_config_get_url (PbProjectConfig *self)
{
  g_return_val_if_fail (PB_IS_PROJECT_CONFIG (self), NULL);
  return self->url;
}

const char *
pb_project_config_get_project_id (PbProjectConfig *self)
{
  g_return_val_if_fail (PB_IS_PROJECT_CONFIG (self), NULL);
  return self->project_id;
}

gboolean
pb_project_config_get_session_only (PbProjectConfig *self)
{
  g_return_val_if_fail (PB_IS_PROJECT_CONFIG (self), FALSE);
  return self->session_only;
}

gboolean
pb_url_is_unencrypted_remote (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  if (uri == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;
  host = g_uri_get_host (uri);
  if (host == NULL || g_ascii_strcasecmp (host, "localhost") == 0)
    return FALSE;
  address = g_inet_address_new_from_string (host);
  return address == NULL || !g_inet_address_get_is_loopback (address);
}

gboolean
pb_project_config_get_unencrypted (PbProjectConfig *self)
{
  g_return_val_if_fail (PB_IS_PROJECT_CONFIG (self), FALSE);
  return pb_url_is_unencrypted_remote (self->url);
}

char *
pb_project_config_dup_host (PbProjectConfig *self)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (PB_IS_PROJECT_CONFIG (self), NULL);
  uri = self->url != NULL ? g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (self->url);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

void
pb_project_config_set_name (PbProjectConfig *self,
                            const char      *name)
{
  g_return_if_fail (PB_IS_PROJECT_CONFIG (self));

  if (set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

void
pb_project_config_set_project_id (PbProjectConfig *self,
                                  const char      *project_id)
{
  g_return_if_fail (PB_IS_PROJECT_CONFIG (self));

  if (set_str (&self->project_id, project_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
}
