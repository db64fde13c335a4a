/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "server-integrations-tests.h"

/* ---- integrations ----------------------------------------------------------------------- */

void
test_integrations_pagination (void)
{
  g_autoptr(GPtrArray) all = collect_all ("/integrations", "id", 1000);
  g_autoptr(GPtrArray) small = collect_all ("/integrations", "id", 3);
  g_autoptr(Reply) zero = get ("/integrations?page_size=0");
  g_autoptr(Reply) big = get ("/integrations?page_size=1001");
  g_autoptr(Reply) words = get ("/integrations?page_size=ten");
  g_autoptr(Reply) cursor = get ("/integrations?next=bm90LWEtY3Vyc29y");
  g_autoptr(JsonObject) first = get_ok ("/integrations?page_size=2");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonObject) added = NULL;
  g_autoptr(JsonObject) body = make_body ("recruitee", NULL, NULL);
  g_autofree char *next = NULL;
  guint i, originals = 0;

  g_assert_cmpuint (all->len, >=, 15);
  g_assert_cmpuint (small->len, ==, all->len);
  for (i = 0; i < all->len; i++)
    g_assert_cmpstr (json_object_get_string_member (all->pdata[i], "id"), ==,
                     json_object_get_string_member (small->pdata[i], "id"));
  test_assert_error (zero, 400, "validation_failed");
  test_assert_error (big, 400, "validation_failed");
  test_assert_error (words, 400, "validation_failed");
  test_assert_error (cursor, 400, "validation_failed");
  g_assert_true (json_object_has_member (json_object_get_object_member (obj (big), "details"), "fields"));

  /* A cursor stays valid while items are added: nothing skipped, nothing twice. */
  for (i = 0; i < 2; i++)
    g_hash_table_add (seen, g_strdup (json_object_get_string_member (
      json_array_get_object_element (json_object_get_array_member (first, "data"), i), "id")));
  added = create (body, 201);
  next = g_strdup (json_object_get_string_member (first, "next"));
  while (next != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/integrations?page_size=4&next=%s", next);
      g_autoptr(JsonObject) page = get_ok (path);
      JsonArray *data = json_object_get_array_member (page, "data");
      guint j;

      for (j = 0; j < json_array_get_length (data); j++)
        g_assert_true (g_hash_table_add (seen, g_strdup (json_object_get_string_member (
          json_array_get_object_element (data, j), "id"))));
      g_clear_pointer (&next, g_free);
      if (!json_object_get_null_member (page, "next"))
        next = g_strdup (json_object_get_string_member (page, "next"));
    }
  for (i = 0; i < all->len; i++)
    originals += g_hash_table_contains (seen, json_object_get_string_member (all->pdata[i], "id"));
  g_assert_cmpuint (originals, ==, all->len);
  g_assert_true (g_hash_table_contains (seen, json_object_get_string_member (added, "id")));
}

void
test_integrations_filters (void)
{
  g_autoptr(GPtrArray) bamboo = collect_all ("/integrations?connector_key=bamboohr", "id", 25);
  g_autoptr(GPtrArray) inactive = collect_all ("/integrations?active=false", "id", 25);
  g_autoptr(GPtrArray) crm = collect_all ("/integrations?category=crm", "id", 25);
  g_autoptr(Reply) bad = get ("/integrations?active=yes");
  g_autoptr(GPtrArray) all = collect_all ("/integrations", "id", 100);
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  guint i, defaults = 0, oauth = 0, error_accounts = 0;

  /* The demo seed shows every state the UI must show. */
  for (i = 0; i < all->len; i++)
    {
      JsonObject *integration = all->pdata[i];
      const char *key = json_object_get_string_member (integration, "authentication_config_key");
      oauth += strstr (key, "oauth") != NULL || strstr (key, "oidc") != NULL;
      g_hash_table_add (categories, (gpointer) json_array_get_string_element (
        json_object_get_array_member (integration, "categories"), 0));
      error_accounts += json_object_get_int_member (json_object_get_object_member (integration,
                                                                                  "linked_accounts"), "error");
    }
  g_assert_cmpuint (oauth, >=, 2);
  g_assert_cmpuint (g_hash_table_size (categories), >=, 5);
  g_assert_cmpuint (error_accounts, >=, 1);

  g_assert_cmpuint (bamboo->len, >=, 2);
  for (i = 0; i < bamboo->len; i++)
    {
      g_assert_cmpstr (json_object_get_string_member (bamboo->pdata[i], "connector_key"), ==, "bamboohr");
      defaults += json_object_get_boolean_member (bamboo->pdata[i], "default");
    }
  g_assert_cmpuint (defaults, ==, 1);
  g_assert_cmpuint (inactive->len, >=, 1);
  for (i = 0; i < inactive->len; i++)
    {
      JsonObject *accounts = json_object_get_object_member (inactive->pdata[i], "linked_accounts");
      g_assert_false (json_object_get_boolean_member (inactive->pdata[i], "active"));
      /* Disabled integrations' accounts are inactive. */
      g_assert_cmpint (json_object_get_int_member (accounts, "active"), ==, 0);
    }
  g_assert_cmpuint (crm->len, >=, 1);
  for (i = 0; i < crm->len; i++)
    {
      JsonArray *cats = json_object_get_array_member (crm->pdata[i], "categories");
      gboolean has = FALSE;
      guint j;
      for (j = 0; j < json_array_get_length (cats); j++)
        has |= g_str_equal (json_array_get_string_element (cats, j), "crm");
      g_assert_true (has);
    }
  test_assert_error (bad, 400, "validation_failed");
}
