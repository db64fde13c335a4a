/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include "pb-store-error.h"
#include "pb-store-private.h"
#include "store-fixture.h"

/* PbOperation as a value: its payload untouched by applying it, and its JSON form. */

/* Checks without printing that no member of @payload's `secrets` holds a value. */
static void
assert_no_secret_values (JsonObject *payload)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!json_object_has_member (payload, "secrets"))
    return;
  json_object_iter_init (&iter, json_object_get_object_member (payload, "secrets"));
  while (json_object_iter_next (&iter, &key, &value))
    g_assert_true (JSON_NODE_HOLDS_NULL (value));
}

static char *
payload_text (PbOperation *operation)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                    pb_operation_get_payload (operation));

  return json_to_string (node, FALSE);
}

/* The operation is a value: applying it (which puts the credential values into a copy of
 * the body) leaves its payload as it was, without a value and without a stray null. */
void
test_payload_untouched (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) original = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  g_autoptr(PbOperation) set = NULL;
  g_autoptr(PbOperation) create = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autofree char *secret = pb_random_value ("lever");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *subdomain = pb_random_value ("sub");
  g_autoptr(GHashTable) typed = values_new ("client_secret", secret, NULL);
  const char * const fields[] = { "client_secret", NULL };
  GListModel *model = pb_store_get_integrations (fixture->store);
  JsonObject *payload;
  guint position;

  /* Lever's integration, on its own OAuth app. */
  original = g_object_ref (find_row (fixture, "lever", NULL, &position));
  watch_models (fixture);

  /* A body without values, to which the store adds one in a copy. */
  set = pb_operation_new_set_credentials (pb_integration_get_id (original),
                                          pb_integration_get_version (original), fields,
                                          NULL);
  before = payload_text (set);
  g_assert_true (apply (fixture, set, typed, &answer, &error));
  g_assert_no_error (error);
  pb_assert_items_changed (fixture->logger, model, position, 1, 1);
  assert_hint_matches (answer, "client_secret", secret);
  after = payload_text (set);
  g_assert_cmpstr (after, ==, before);
  payload = pb_operation_get_payload (set);
  assert_no_secret_values (payload);
  g_assert_false (json_object_has_member (payload, "secrets")
                  && json_object_has_member (json_object_get_object_member (payload, "secrets"),
                                             "client_secret"));

  /* A copy at construction: changing the caller's config later changes nothing. */
  json_object_set_string_member (config, "subdomain", subdomain);
  create = pb_operation_new_create ("bamboohr", "api_key", NULL, FALSE, config, NULL);
  g_clear_pointer (&before, g_free);
  before = payload_text (create);
  json_object_set_string_member (config, "subdomain", "changed-afterwards");
  g_clear_pointer (&after, g_free);
  after = payload_text (create);
  g_assert_cmpstr (after, ==, before);
}

void
test_operation_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(PbOperation) create = NULL;
  g_autoptr(PbOperation) back = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonObject) broken = json_object_new ();
  g_autofree char *subdomain = pb_random_value ("sub");
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  const char * const fields[] = { "api_key", "token", NULL };

  json_object_set_string_member (config, "subdomain", subdomain);
  create = pb_operation_new_create ("bamboohr", "api_key", NULL, TRUE, config, fields);
  json = pb_operation_to_json (create);
  back = pb_operation_new_from_json (json, &error);
  g_assert_no_error (error);

  g_assert_cmpint (pb_operation_get_kind (back), ==, PB_OPERATION_CREATE);
  g_assert_cmpstr (pb_operation_get_integration_id (back), ==,
                   pb_operation_get_integration_id (create));
  g_assert_cmpint (pb_operation_get_base_version (back), ==, -1);
  g_assert_cmpstrv (pb_operation_get_secret_fields (back), fields);
  a = json_node_init_object (json_node_alloc (), pb_operation_get_payload (create));
  b = json_node_init_object (json_node_alloc (), pb_operation_get_payload (back));
  g_assert_true (json_node_equal (a, b));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (pb_operation_get_payload (back), "config"),
                     "subdomain"), ==, subdomain);

  /* Each kind has a name that reads back. */
  for (PbOperationKind kind = PB_OPERATION_CREATE; kind <= PB_OPERATION_DELETE; kind++)
    {
      PbOperationKind parsed;

      g_assert_true (pb_operation_kind_from_string (pb_operation_kind_to_string (kind),
                                                    &parsed));
      g_assert_cmpint (parsed, ==, kind);
    }

  json_object_set_string_member (broken, "kind", "explode");
  g_assert_null (pb_operation_new_from_json (broken, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
}

static PbIntegration *
integration_named (const char *id,
                   const char *name)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  PbIntegration *integration;

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "name", name);
  json_object_set_string_member (object, "connector_key", "bamboohr");
  json_object_set_string_member (object, "authentication_config_key", "api_key");
  json_object_set_boolean_member (object, "active", TRUE);
  json_object_set_boolean_member (object, "default", FALSE);
  integration = pb_integration_new_from_json (object, &error);
  g_assert_no_error (error);
  return integration;
}

/* A list read while its pages moved can name an integration twice: it counts once, its last
 * version where that one was listed (as the replica keeps it). */
void
test_unique_by_id (void)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) plain = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (list, integration_named ("a", "A old"));
  g_ptr_array_add (list, integration_named ("b", "B"));
  g_ptr_array_add (list, integration_named ("c", "C"));
  g_ptr_array_add (list, integration_named ("a", "A new"));
  g_ptr_array_add (list, integration_named ("c", "C new"));
  pb_store_unique_by_id (list);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (pb_integration_get_name (list->pdata[0]), ==, "B");
  g_assert_cmpstr (pb_integration_get_name (list->pdata[1]), ==, "A new");
  g_assert_cmpstr (pb_integration_get_name (list->pdata[2]), ==, "C new");

  /* Without a repeat, nothing moves. */
  g_ptr_array_add (plain, integration_named ("x", "X"));
  g_ptr_array_add (plain, integration_named ("y", "Y"));
  pb_store_unique_by_id (plain);
  g_assert_cmpuint (plain->len, ==, 2);
  g_assert_cmpstr (pb_integration_get_id (plain->pdata[0]), ==, "x");
}
