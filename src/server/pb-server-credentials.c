/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-credentials.h"

#include <string.h>

#include "pb-rules.h"
#include "pb-server-db.h"
#include "pb-server-integrations.h"

static char *
account_aad (const char *account_id)
{
  return g_strconcat ("account/", account_id, NULL);
}

GBytes *
pb_credentials_seal (PbCrypto   *crypto,
                     const char *account_id,
                     JsonObject *credentials)
{
  g_autofree char *aad = account_aad (account_id);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), credentials);
  char *text = json_to_string (node, FALSE);
  GBytes *sealed = pb_crypto_encrypt (crypto, aad, text, strlen (text));

  explicit_bzero (text, strlen (text));
  g_free (text);
  return sealed;
}

JsonObject *
pb_credentials_open (PbCrypto     *crypto,
                     const char   *account_id,
                     const guint8 *data,
                     gsize         length)
{
  g_autofree char *aad = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *credentials = NULL;
  gsize plain_length = 0;
  char *plain;

  if (data == NULL || length == 0)
    return json_object_new ();
  aad = account_aad (account_id);
  plain = pb_crypto_decrypt (crypto, aad, data, length, &plain_length);
  if (plain == NULL)
    return NULL;
  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, plain, plain_length, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    credentials = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  explicit_bzero (plain, plain_length);
  g_free (plain);
  return credentials != NULL ? credentials : json_object_new ();
}

char *
pb_credentials_hints (JsonObject *credentials,
                      gint64      now)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_builder_begin_object (b);
  json_object_iter_init (&iter, credentials);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *hint = NULL;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        continue;
      hint = pb_integration_make_hint (json_node_get_string (value));
      json_builder_set_member_name (b, key);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "hint");
      json_builder_add_string_value (b, hint);
      json_builder_set_member_name (b, "updated_at");
      json_builder_add_int_value (b, now);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static gboolean
is_token (PbAuthType *type,
          const char *key)
{
  PbAuthKind kind = pb_auth_type_get_kind (type);

  return (kind == PB_AUTH_KIND_OAUTH2 || kind == PB_AUTH_KIND_OIDC)
         && (g_str_equal (key, PB_CREDENTIAL_ACCESS_TOKEN)
             || g_str_equal (key, PB_CREDENTIAL_REFRESH_TOKEN));
}

void
pb_credentials_check (PbAuthType *type,
                      JsonObject *credentials,
                      const char *prefix,
                      gboolean    tokens_allowed,
                      JsonObject *problems)
{
  GListModel *fields = pb_auth_type_get_account_fields (type);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  guint i;

  json_object_iter_init (&iter, credentials);
  while (json_object_iter_next (&iter, &key, &value))
    if (pb_auth_type_find_account_field (type, key) == NULL
        && !(tokens_allowed && is_token (type, key)))
      {
        g_autofree char *name = pb_json_field_name (prefix, key);
        g_autofree char *reason = g_strdup_printf ("“%s” is not one of the account's fields.",
                                                   name);
        json_object_set_string_member (problems, name, reason);
      }
  for (i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      const char *field_key = pb_auth_field_get_key (field);
      JsonNode *node = json_object_get_member (credentials, field_key);
      g_autofree char *message = NULL;
      const char *text = NULL;

      if (node != NULL && !pb_json_is_string (node))
        {
          g_autofree char *name = pb_json_field_name (prefix, field_key);
          g_autofree char *reason = g_strdup_printf ("%s must be text.",
                                                     pb_auth_field_get_label (field));
          json_object_set_string_member (problems, name, reason);
          continue;
        }
      if (node != NULL)
        text = json_node_get_string (node);
      if (!pb_rules_validate_field (field, text, &message))
        {
          g_autofree char *name = pb_json_field_name (prefix, field_key);
          json_object_set_string_member (problems, name, message);
        }
    }
}

void
pb_credentials_add_json (JsonBuilder *b,
                         const char  *hints,
                         gint64       token_expires_at)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *object = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (hints != NULL && json_parser_load_from_data (parser, hints, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));
  json_builder_set_member_name (b, "credentials");
  json_builder_begin_object (b);
  if (object != NULL)
    {
      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &key, &value))
        {
          JsonObject *hint = JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL;
          g_autofree char *updated = NULL;

          if (hint == NULL)
            continue;
          updated = pb_db_format_time (json_object_get_int_member_with_default (hint,
                                                                                "updated_at",
                                                                                0));
          json_builder_set_member_name (b, key);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "set");
          json_builder_add_boolean_value (b, TRUE);
          json_builder_set_member_name (b, "hint");
          json_builder_add_string_value (b, json_object_get_string_member_with_default (hint,
                                                                                       "hint",
                                                                                       "…"));
          json_builder_set_member_name (b, "updated_at");
          json_builder_add_string_value (b, updated);
          if (token_expires_at > 0 && g_str_equal (key, PB_CREDENTIAL_ACCESS_TOKEN))
            {
              g_autofree char *expires = pb_db_format_time (token_expires_at);
              json_builder_set_member_name (b, "expires_at");
              json_builder_add_string_value (b, expires);
            }
          json_builder_end_object (b);
        }
    }
  json_builder_end_object (b);
}

void
pb_credentials_wipe (JsonObject *credentials)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (credentials == NULL)
    return;
  json_object_iter_init (&iter, credentials);
  while (json_object_iter_next (&iter, &key, &value))
    if (pb_json_is_string (value))
      {
        /* json-glib keeps the string where the node holds it; nothing else refers to it. */
        char *text = (char *) json_node_get_string (value);
        explicit_bzero (text, strlen (text));
      }
  json_object_unref (credentials);
}
