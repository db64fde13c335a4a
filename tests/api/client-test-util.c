/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-client"

#include "config.h"

#include <string.h>

#include "client-test-util.h"

PbTestServer *demo_server;

/* Log capture (the debug log must never show a key or a body). */
GString *captured_log;
gboolean user_wants_debug;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (captured_log != NULL)
    {
      const char *domain = "";
      const char *message = "";

      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0)
            domain = fields[i].value;
          else if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
            message = fields[i].value;
        }
      g_string_append_printf (captured_log, "%s: %s\n", domain, message);
    }

  if ((log_level & G_LOG_LEVEL_DEBUG) && !user_wants_debug)
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}


/* Servers */

PbTestServer *
get_demo_server (void)
{
  if (demo_server == NULL)
    {
      g_autoptr(GError) error = NULL;

      demo_server = pb_test_server_start_demo (NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (demo_server);
      g_assert_cmpuint (pb_test_server_get_n_projects (demo_server), >=, 1);
      g_assert_nonnull (pb_test_server_get_admin_key (demo_server, 0));
      g_assert_nonnull (pb_test_server_get_viewer_key (demo_server, 0));
    }

  return demo_server;
}

PbClient *
admin_client (void)
{
  PbTestServer *server = get_demo_server ();

  return pb_client_new (pb_test_server_get_url (server),
                        pb_test_server_get_admin_key (server, 0));
}

PbClient *
viewer_client (void)
{
  PbTestServer *server = get_demo_server ();

  return pb_client_new (pb_test_server_get_url (server),
                        pb_test_server_get_viewer_key (server, 0));
}

/* Synchronous helpers over the async API (each runs the main context). */

PbProject *
get_project (PbClient      *client,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  AWAIT (pb_client_get_project_async, client, NULL);
  return pb_client_get_project_finish (client, result, error);
}

GPtrArray *
all_connectors (PbClient      *client,
                const PbQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  AWAIT (pb_client_list_all_connectors_async, client, query, NULL);
  items = pb_client_list_all_connectors_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);

  return items;
}

GPtrArray *
all_integrations (PbClient      *client,
                  const PbQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  AWAIT (pb_client_list_all_integrations_async, client, query, NULL);
  items = pb_client_list_all_integrations_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);

  return items;
}

PbIntegration *
get_integration (PbClient      *client,
                 const char    *id,
                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  AWAIT (pb_client_get_integration_async, client, id, NULL);
  return pb_client_get_integration_finish (client, result, error);
}

PbIntegration *
create_integration (PbClient      *client,
                    JsonObject    *body,
                    GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  AWAIT (pb_client_create_integration_async, client, body, NULL);
  return pb_client_create_integration_finish (client, result, error);
}

PbIntegration *
update_integration (PbClient      *client,
                    const char    *id,
                    JsonObject    *patch,
                    gint64         if_match,
                    GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  AWAIT (pb_client_update_integration_async, client, id, patch, if_match, NULL);
  return pb_client_update_integration_finish (client, result, error);
}

gboolean
delete_integration (PbClient      *client,
                    const char    *id,
                    gint64         if_match,
                    GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  AWAIT (pb_client_delete_integration_async, client, id, if_match, NULL);
  return pb_client_delete_integration_finish (client, result, error);
}

void
delete_or_die (PbClient   *client,
               const char *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (delete_integration (client, id, -1, &error));
  g_assert_no_error (error);
}

/* An error that came from an HTTP error body: the code, the server's message kept. */
void
assert_http_failure (const GError *error,
                     PbApiError    expected_error,
                     guint         expected_status,
                     const char   *expected_code)
{
  g_assert_error (error, PB_API_ERROR, (gint) expected_error);
  g_assert_false (pb_api_error_is_unreachable (error));
  g_assert_cmpuint (pb_api_error_get_status (error), ==, expected_status);
  g_assert_cmpstr (pb_api_error_get_code (error), ==, expected_code);
  /* The GError message is the server's sentence, unchanged. */
  g_assert_nonnull (pb_api_error_get_server_message (error));
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpstr (error->message, ==, pb_api_error_get_server_message (error));
}

/* Building create bodies from the catalog */

const char *
sample_value (PbAuthField *field)
{
  const char * const *options;

  switch (pb_auth_field_get_kind (field))
    {
    case PB_FIELD_KIND_URL:
      return "https://example.com/api";
    case PB_FIELD_KIND_EMAIL:
      return "admin@example.com";
    case PB_FIELD_KIND_SELECT:
      options = pb_auth_field_get_options (field);
      g_assert_true (options != NULL && options[0] != NULL);
      return options[0];
    case PB_FIELD_KIND_SECRET:
      return "s3cret-Value-Never-Logged-wxyz";
    case PB_FIELD_KIND_TEXT:
    default:
      return "acme";
    }
}

JsonObject *
create_body (PbConnector *connector,
             PbAuthType  *type,
             const char  *id,
             const char  *name)
{
  JsonObject *body = json_object_new ();
  JsonObject *config = json_object_new ();
  JsonObject *secrets = json_object_new ();
  GListModel *fields = pb_auth_type_get_fields (type);

  if (id != NULL)
    json_object_set_string_member (body, "id", id);
  if (name != NULL)
    json_object_set_string_member (body, "name", name);
  json_object_set_string_member (body, "connector_key", pb_connector_get_provider (connector));
  json_object_set_string_member (body, "authentication_config_key", pb_auth_type_get_key (type));

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);

      if (!pb_auth_field_get_required (field))
        continue;
      json_object_set_string_member (pb_auth_field_get_secret (field) ? secrets : config,
                                     pb_auth_field_get_key (field), sample_value (field));
    }

  json_object_set_object_member (body, "config", config);
  json_object_set_object_member (body, "secrets", secrets);

  return body;
}

/* An available connector of the project that has no integration yet, with its first auth
 * type; each call returns a different one (the tests create integrations in them). */
PbConnector *
fresh_connector (PbClient    *client,
                 PbAuthType **out_type)
{
  static GHashTable *used;
  g_autoptr(GPtrArray) connectors = all_connectors (client, NULL);
  g_autoptr(GPtrArray) integrations = all_integrations (client, NULL);

  if (used == NULL)
    used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < integrations->len; i++)
    g_hash_table_add (used, g_strdup (pb_integration_get_connector_key (
                                        g_ptr_array_index (integrations, i))));

  for (guint i = 0; i < connectors->len; i++)
    {
      PbConnector *connector = g_ptr_array_index (connectors, i);
      GListModel *types = pb_connector_get_auth_types (connector);

      if (!pb_connector_get_available (connector)
          || g_hash_table_contains (used, pb_connector_get_provider (connector))
          || g_list_model_get_n_items (types) == 0)
        continue;

      g_hash_table_add (used, g_strdup (pb_connector_get_provider (connector)));
      *out_type = g_list_model_get_item (types, 0);
      return g_object_ref (connector);
    }

  g_error ("The demo project has no available connector without integrations left.");
  return NULL;
}

PbIntegration *
create_in (PbClient    *client,
           PbConnector *connector,
           PbAuthType  *type,
           const char  *name)
{
  g_autoptr(JsonObject) body = create_body (connector, type, NULL, name);
  g_autoptr(GError) error = NULL;
  PbIntegration *integration;

  integration = create_integration (client, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pb_api_error_get_status (error), ==, 0);
  g_assert_nonnull (integration);

  return integration;
}

void
assert_no_duplicates (GPtrArray   *ids,
                      const char  *what)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < ids->len; i++)
    if (!g_hash_table_add (seen, g_ptr_array_index (ids, i)))
      g_error ("%s “%s” came twice while paging", what, (char *) g_ptr_array_index (ids, i));
}


void
client_test_init (int    *argc,
                  char ***argv)
{
  user_wants_debug = g_getenv ("G_MESSAGES_DEBUG") != NULL;
  if (!user_wants_debug)
    g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (argc, argv, NULL);
}

void
client_test_shutdown (void)
{
  g_clear_pointer (&demo_server, pb_test_server_stop);
}
