/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-log-entry.h"

#include "pb-core-error.h"
#include "pb-json-util.h"

struct _PbLogEntry
{
  GObject    parent_instance;

  GDateTime *event_datetime;
  gint64     duration;
  guint      status;
  gboolean   success;
  char      *request_id;
  char      *http_method;
  char      *path;
  char      *url;
  char      *provider;
  char      *integration_id;
  char      *account_id;
  char      *service;
  char      *resource;
  char      *source_type;
};

G_DEFINE_FINAL_TYPE (PbLogEntry, pb_log_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EVENT_DATETIME,
  PROP_DURATION,
  PROP_STATUS,
  PROP_SUCCESS,
  PROP_REQUEST_ID,
  PROP_HTTP_METHOD,
  PROP_PATH,
  PROP_URL,
  PROP_PROVIDER,
  PROP_INTEGRATION_ID,
  PROP_ACCOUNT_ID,
  PROP_SERVICE,
  PROP_RESOURCE,
  PROP_SOURCE_TYPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pb_log_entry_finalize (GObject *object)
{
  PbLogEntry *self = (PbLogEntry *) object;

  g_clear_pointer (&self->event_datetime, g_date_time_unref);
  g_clear_pointer (&self->request_id, g_free);
  g_clear_pointer (&self->http_method, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->provider, g_free);
  g_clear_pointer (&self->integration_id, g_free);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->service, g_free);
  g_clear_pointer (&self->resource, g_free);
  g_clear_pointer (&self->source_type, g_free);

  G_OBJECT_CLASS (pb_log_entry_parent_class)->finalize (object);
}

static void
pb_log_entry_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PbLogEntry *self = PB_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_EVENT_DATETIME:
      g_value_set_boxed (value, self->event_datetime);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case PROP_SUCCESS:
      g_value_set_boolean (value, self->success);
      break;
    case PROP_REQUEST_ID:
      g_value_set_string (value, self->request_id);
      break;
    case PROP_HTTP_METHOD:
      g_value_set_string (value, self->http_method);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;
    case PROP_INTEGRATION_ID:
      g_value_set_string (value, self->integration_id);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    case PROP_SERVICE:
      g_value_set_string (value, self->service);
      break;
    case PROP_RESOURCE:
      g_value_set_string (value, self->resource);
      break;
    case PROP_SOURCE_TYPE:
      g_value_set_string (value, self->source_type);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_log_entry_class_init (PbLogEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pb_log_entry_finalize;
  object_class->get_property = pb_log_entry_get_property;

  properties[PROP_EVENT_DATETIME] = g_param_spec_boxed ("event-datetime", NULL, NULL,
                                                        G_TYPE_DATE_TIME, flags);
  properties[PROP_DURATION] = g_param_spec_int64 ("duration", NULL, NULL,
                                                  0, G_MAXINT64, 0, flags);
  properties[PROP_STATUS] = g_param_spec_uint ("status", NULL, NULL, 0, 999, 0, flags);
  properties[PROP_SUCCESS] = g_param_spec_boolean ("success", NULL, NULL, FALSE, flags);
  properties[PROP_REQUEST_ID] = g_param_spec_string ("request-id", NULL, NULL, NULL, flags);
  properties[PROP_HTTP_METHOD] = g_param_spec_string ("http-method", NULL, NULL, NULL, flags);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER] = g_param_spec_string ("provider", NULL, NULL, NULL, flags);
  properties[PROP_INTEGRATION_ID] = g_param_spec_string ("integration-id", NULL, NULL, NULL, flags);
  properties[PROP_ACCOUNT_ID] = g_param_spec_string ("account-id", NULL, NULL, NULL, flags);
  properties[PROP_SERVICE] = g_param_spec_string ("service", NULL, NULL, NULL, flags);
  properties[PROP_RESOURCE] = g_param_spec_string ("resource", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE_TYPE] = g_param_spec_string ("source-type", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_log_entry_init (PbLogEntry *self)
{
}

/**
 * pb_log_entry_new_from_json:
 * @object: the API's request log object
 * @error: return location for a #GError
 *
 * Required members: request_id, event_datetime, http_method, path, status, success.
 * Unknown members are ignored.
 *
 * Returns: (transfer full) (nullable): the entry
 */
PbLogEntry *
pb_log_entry_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(PbLogEntry) self = NULL;
  const char *request_id = NULL;
  const char *http_method = NULL;
  const char *path = NULL;
  const char *url = NULL;
  const char *provider = NULL;
  const char *integration_id = NULL;
  const char *account_id = NULL;
  const char *service = NULL;
  const char *resource = NULL;
  const char *source_type = NULL;
  gint64 status = 0;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (PB_TYPE_LOG_ENTRY, NULL);

  if (!pb_json_get_string_member_checked (object, "request_id", TRUE, &request_id, error) ||
      !pb_json_get_datetime_member_checked (object, "event_datetime", TRUE,
                                            &self->event_datetime, error) ||
      !pb_json_get_int_member_checked (object, "duration", FALSE, &self->duration, error) ||
      !pb_json_get_string_member_checked (object, "http_method", TRUE, &http_method, error) ||
      !pb_json_get_string_member_checked (object, "path", TRUE, &path, error) ||
      !pb_json_get_int_member_checked (object, "status", TRUE, &status, error) ||
      !pb_json_get_boolean_member_checked (object, "success", TRUE, &self->success, error) ||
      !pb_json_get_string_member_checked (object, "url", FALSE, &url, error) ||
      !pb_json_get_string_member_checked (object, "provider", FALSE, &provider, error) ||
      !pb_json_get_string_member_checked (object, "integration_id", FALSE,
                                          &integration_id, error) ||
      !pb_json_get_string_member_checked (object, "account_id", FALSE, &account_id, error) ||
      !pb_json_get_string_member_checked (object, "service", FALSE, &service, error) ||
      !pb_json_get_string_member_checked (object, "resource", FALSE, &resource, error) ||
      !pb_json_get_string_member_checked (object, "source_type", FALSE, &source_type, error))
    return NULL;

  if (status < 100 || status > 999)
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                   "Field “status” must be an HTTP status code, not %" G_GINT64_FORMAT, status);
      return NULL;
    }
  if (self->duration < 0)
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_INVALID_VALUE,
                   "Field “duration” must not be negative");
      return NULL;
    }
  self->status = (guint) status;

  self->request_id = g_strdup (request_id);
  self->http_method = g_strdup (http_method);
  self->path = g_strdup (path);
  self->url = g_strdup (url);
  self->provider = g_strdup (provider);
  self->integration_id = g_strdup (integration_id);
  self->account_id = g_strdup (account_id);
  self->service = g_strdup (service);
  self->resource = g_strdup (resource);
  self->source_type = g_strdup (source_type);

  return g_steal_pointer (&self);
}

/**
 * pb_log_entry_to_json:
 * @self: an entry
 *
 * Returns: (transfer full): the API's request log object
 */
JsonObject *
pb_log_entry_to_json (PbLogEntry *self)
{
  JsonObject *object;

  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "request_id", self->request_id);
  pb_json_set_datetime_or_null (object, "event_datetime", self->event_datetime);
  json_object_set_int_member (object, "duration", self->duration);
  json_object_set_string_member (object, "http_method", self->http_method);
  json_object_set_string_member (object, "path", self->path);
  json_object_set_int_member (object, "status", self->status);
  json_object_set_boolean_member (object, "success", self->success);
  pb_json_set_string_or_null (object, "url", self->url);
  pb_json_set_string_or_null (object, "provider", self->provider);
  pb_json_set_string_or_null (object, "integration_id", self->integration_id);
  pb_json_set_string_or_null (object, "account_id", self->account_id);
  pb_json_set_string_or_null (object, "service", self->service);
  pb_json_set_string_or_null (object, "resource", self->resource);
  pb_json_set_string_or_null (object, "source_type", self->source_type);

  return object;
}

/**
 * pb_log_entry_get_event_datetime:
 * @self: an entry
 *
 * Returns: (transfer none): when the request was served
 */
GDateTime *
pb_log_entry_get_event_datetime (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->event_datetime;
}

/**
 * pb_log_entry_get_duration:
 * @self: an entry
 *
 * Returns: how long the request took, in milliseconds
 */
gint64
pb_log_entry_get_duration (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), 0);
  return self->duration;
}

/**
 * pb_log_entry_get_status:
 * @self: an entry
 *
 * Returns: the HTTP status code of the response
 */
guint
pb_log_entry_get_status (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), 0);
  return self->status;
}

gboolean
pb_log_entry_get_success (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), FALSE);
  return self->success;
}

const char *
pb_log_entry_get_request_id (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->request_id;
}

const char *
pb_log_entry_get_http_method (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->http_method;
}

const char *
pb_log_entry_get_path (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->path;
}

/**
 * pb_log_entry_get_url:
 * @self: an entry
 *
 * Returns: (nullable): the url
 */
const char *
pb_log_entry_get_url (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->url;
}

/**
 * pb_log_entry_get_provider:
 * @self: an entry
 *
 * Returns: (nullable): the provider
 */
const char *
pb_log_entry_get_provider (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->provider;
}

/**
 * pb_log_entry_get_integration_id:
 * @self: an entry
 *
 * Returns: (nullable): the integration id
 */
const char *
pb_log_entry_get_integration_id (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->integration_id;
}

/**
 * pb_log_entry_get_account_id:
 * @self: an entry
 *
 * Returns: (nullable): the account id
 */
const char *
pb_log_entry_get_account_id (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->account_id;
}

/**
 * pb_log_entry_get_service:
 * @self: an entry
 *
 * Returns: (nullable): the service
 */
const char *
pb_log_entry_get_service (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->service;
}

/**
 * pb_log_entry_get_resource:
 * @self: an entry
 *
 * Returns: (nullable): the resource
 */
const char *
pb_log_entry_get_resource (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->resource;
}

/**
 * pb_log_entry_get_source_type:
 * @self: an entry
 *
 * Returns: (nullable): the source type
 */
const char *
pb_log_entry_get_source_type (PbLogEntry *self)
{
  g_return_val_if_fail (PB_IS_LOG_ENTRY (self), NULL);
  return self->source_type;
}
