/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-demo.h"

/* One demo server shared by the tests that do not need their own. */
TestServer  *demo;
SoupSession *session;
const char  *admin;
const char  *viewer;
const char  *sandbox_admin;

void
server_demo_setup (void)
{
  const char *demo_argv[] = { "demo", "--listen", "127.0.0.1:0", NULL };

  demo = test_server_start (demo_argv, NULL);
  admin = test_server_project_key (demo, 0, "admin");
  viewer = test_server_project_key (demo, 0, "viewer");
  sandbox_admin = test_server_project_key (demo, 1, "admin");
  session = soup_session_new ();
}

int
server_demo_run (void)
{
  int ret = g_test_run ();

  g_clear_object (&session);
  test_server_stop (demo);
  test_server_free (demo);
  return ret;
}

JsonObject *
obj (Reply *reply){
  g_assert_nonnull (reply->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->body));
  return json_node_get_object (reply->body);
}

Reply *
get (const char *path){
  return test_call (session, URL, "GET", path, admin, NULL);
}

JsonObject *
get_ok (const char *path){
  g_autoptr(Reply) reply = get (path);

  g_assert_cmpuint (reply->status, ==, 200);
  return json_object_ref (obj (reply));
}

/* A body for POST /integrations that fills every required field of the connector's auth type. */
JsonObject *
make_body (const char *provider,
           const char *auth_key,
           const char *secret_value){
  g_autofree char *path = g_strconcat ("/connectors/", provider, NULL);
  g_autoptr(JsonObject) connector = get_ok (path);
  JsonArray *types = json_object_get_array_member (connector, "auth_types");
  JsonObject *body = json_object_new ();
  JsonObject *config = json_object_new ();
  JsonObject *secrets = json_object_new ();
  JsonObject *type = NULL;
  JsonArray *fields;
  guint i;

  for (i = 0; i < json_array_get_length (types); i++)
    {
      JsonObject *t = json_array_get_object_element (types, i);
      if (auth_key == NULL || g_str_equal (json_object_get_string_member (t, "key"), auth_key))
        {
          type = t;
          break;
        }
    }
  g_assert_nonnull (type);
  fields = json_object_get_array_member (type, "fields");
  for (i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      const char *key = json_object_get_string_member (f, "key");
      const char *kind = json_object_get_string_member (f, "kind");

      if (!json_object_get_boolean_member (f, "required"))
        continue;
      if (json_object_get_boolean_member (f, "secret"))
        json_object_set_string_member (secrets, key, secret_value ? secret_value : "s3cret-value-0123");
      else if (g_str_equal (kind, "select"))
        json_object_set_string_member (config, key,
                                       json_array_get_string_element (json_object_get_array_member (f, "options"), 0));
      else if (g_str_equal (kind, "url"))
        json_object_set_string_member (config, key, "https://acme.example.com");
      else if (g_str_equal (kind, "email"))
        json_object_set_string_member (config, key, "admin@acme.example.com");
      else
        json_object_set_string_member (config, key, "acme");
    }
  json_object_set_string_member (body, "connector_key", provider);
  json_object_set_string_member (body, "authentication_config_key",
                                 json_object_get_string_member (type, "key"));
  json_object_set_object_member (body, "config", config);
  json_object_set_object_member (body, "secrets", secrets);
  return body;
}

char *
to_text (JsonObject *object){
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

JsonObject *
create (JsonObject *body,
        guint       expected_status){
  g_autofree char *text = to_text (body);
  g_autoptr(Reply) reply = test_call (session, URL, "POST", "/integrations", admin, text);

  g_assert_cmpuint (reply->status, ==, expected_status);
  return json_object_ref (obj (reply));
}

Reply *
patch (const char *id,
       const char *body,
       const char *if_match){
  g_autofree char *path = g_strconcat ("/integrations/", id, NULL);

  return test_call_full (session, URL, "PATCH", path, admin, "application/json", body, -1,
                         if_match ? "If-Match" : NULL, if_match);
}

JsonObject *
get_integration (const char *id){
  g_autofree char *path = g_strconcat ("/integrations/", id, NULL);

  return get_ok (path);
}

/* All pages of a list, following next. Asserts no item appears twice. */
GPtrArray *
collect_all (const char *path,
             const char *id_member,
             guint       page_size){
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *next = NULL;
  guint pages = 0;

  do
    {
      g_autofree char *url = g_strdup_printf ("%s%spage_size=%u%s%s", path,
                                              strchr (path, '?') ? "&" : "?", page_size,
                                              next ? "&next=" : "", next ? next : "");
      g_autoptr(JsonObject) page = get_ok (url);
      JsonArray *data = json_object_get_array_member (page, "data");
      guint i;

      g_assert_cmpuint (json_array_get_length (data), <=, page_size);
      for (i = 0; i < json_array_get_length (data); i++)
        {
          JsonObject *item = json_array_get_object_element (data, i);
          g_assert_true (g_hash_table_add (seen, g_strdup (json_object_get_string_member (item, id_member))));
          g_ptr_array_add (items, json_object_ref (item));
        }
      g_clear_pointer (&next, g_free);
      if (!json_object_get_null_member (page, "next"))
        {
          next = g_strdup (json_object_get_string_member (page, "next"));
          g_assert_cmpuint (json_array_get_length (data), ==, page_size);
        }
      pages++;
      g_assert_cmpuint (pages, <, 10000);
    }
  while (next != NULL);
  return items;
}

/* Values that fit the account fields of the auth type of @integration_id, as a JSON object. */
JsonObject *
valid_credentials (const char *integration_id)
{
  g_autofree char *path = g_strconcat ("/integrations/", integration_id, NULL);
  g_autoptr(JsonObject) integration = get_ok (path);
  g_autofree char *connector_path = g_strconcat ("/connectors/",
                                                 json_object_get_string_member (integration,
                                                                                "connector_key"),
                                                 NULL);
  g_autoptr(JsonObject) connector = get_ok (connector_path);
  const char *auth = json_object_get_string_member (integration, "authentication_config_key");
  JsonArray *types = json_object_get_array_member (connector, "auth_types");
  JsonObject *credentials = json_object_new ();

  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      JsonObject *type = json_array_get_object_element (types, i);
      JsonArray *fields;

      if (!g_str_equal (json_object_get_string_member (type, "key"), auth))
        continue;
      fields = json_object_get_array_member (type, "account_fields");
      for (guint j = 0; j < json_array_get_length (fields); j++)
        {
          JsonObject *field = json_array_get_object_element (fields, j);
          const char *key = json_object_get_string_member (field, "key");
          const char *kind = json_object_get_string_member (field, "kind");

          if (g_str_equal (kind, "url"))
            json_object_set_string_member (credentials, key, "https://tenant.example.com");
          else if (g_str_equal (kind, "email"))
            json_object_set_string_member (credentials, key, "it@example.com");
          else if (g_str_equal (kind, "select"))
            json_object_set_string_member (credentials, key,
                                           json_array_get_string_element (
                                             json_object_get_array_member (field, "options"), 0));
          else if (g_str_equal (kind, "secret"))
            json_object_set_string_member (credentials, key, "test-secret-value-4242");
          else
            json_object_set_string_member (credentials, key, "acme");
        }
    }
  return credentials;
}

JsonObject *
link_account (const char *provider,
              const char *integration_id,
              const char *owner_id,
              const char *owner_name)
{
  g_autofree char *body = g_strdup_printf ("{\"origin_owner_id\":\"%s\",\"origin_owner_name\":\"%s\","
                                           "\"provider\":\"%s\"%s%s%s}", owner_id, owner_name, provider,
                                           integration_id ? ",\"integration_id\":\"" : "",
                                           integration_id ? integration_id : "",
                                           integration_id ? "\"" : "");
  g_autoptr(Reply) session_reply = test_call (session, URL, "POST", "/connect_sessions", admin, body);
  g_autoptr(JsonObject) auth = json_object_new ();
  g_autofree char *auth_text = NULL;
  g_autoptr(Reply) account = NULL;

  g_assert_cmpuint (session_reply->status, ==, 201);
  json_object_set_string_member (auth, "token",
                                 json_object_get_string_member (obj (session_reply), "token"));
  json_object_set_object_member (auth, "credentials",
                                 valid_credentials (json_object_get_string_member (
                                                      obj (session_reply), "integration_id")));
  auth_text = to_text (auth);
  account = test_call (session, URL, "POST", "/connect_sessions/authenticate", admin, auth_text);
  g_assert_cmpuint (account->status, ==, 201);
  return json_object_ref (obj (account));
}
