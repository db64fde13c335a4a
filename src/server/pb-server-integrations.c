/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-rules.h"
#include "pb-server-integrations.h"
#include "pb-server-private.h"

void
pb_integration_row_free (PbStoredIntegration *row)
{
  g_free (row->id);
  g_free (row->name);
  g_free (row->connector_key);
  g_free (row->auth_type_key);
  g_clear_pointer (&row->config, json_object_unref);
  g_free (row->fingerprint);
  g_free (row);
}

static JsonObject *
parse_config (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return json_object_new ();
}

PbStoredIntegration *
pb_integration_load_row (PbRequest  *req,
                         const char *id)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT " COLUMNS " FROM integrations"
                                            " WHERE id = ? AND project_id = ?");
  PbStoredIntegration *row = NULL;

  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, req->project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      row = g_new0 (PbStoredIntegration, 1);
      row->id = g_strdup (pb_db_column_text (stmt, C_ID));
      row->name = g_strdup (pb_db_column_text (stmt, C_NAME));
      row->connector_key = g_strdup (pb_db_column_text (stmt, C_CONNECTOR));
      row->auth_type_key = g_strdup (pb_db_column_text (stmt, C_AUTH));
      row->active = pb_db_column_int (stmt, C_ACTIVE);
      row->is_default = pb_db_column_int (stmt, C_DEFAULT);
      if (!pb_oauth_app_from_string (pb_db_column_text (stmt, C_OAUTH_APP), &row->oauth_app))
        row->oauth_app = PB_OAUTH_APP_NONE;
      row->config = parse_config (pb_db_column_text (stmt, C_CONFIG));
      row->version = pb_db_column_int64 (stmt, C_VERSION);
      row->created_at = pb_db_column_int64 (stmt, C_CREATED);
      row->fingerprint = g_strdup (pb_db_column_text (stmt, C_FINGERPRINT));
    }
  pb_db_reset (stmt);
  return row;
}


JsonNode *
pb_integration_load_json (PbRequest  *req,
                          const char *id,
                          gint64     *out_version)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  GString *text = pb_integration_load_text (req, id, out_version);
  JsonNode *node = NULL;

  if (text != NULL && json_parser_load_from_data (parser, text->str, text->len, NULL))
    node = json_node_ref (json_parser_get_root (parser));
  if (text != NULL)
    g_string_free (text, TRUE);
  return node;
}

void
pb_integration_reply_not_found (PbRequest  *req,
                                const char *id)
{
  pb_request_reply_error (req, 404, "not_found", NULL,
                          "There is no integration with the id “%s” in this project.", id);
}

void
pb_integration_reply_integration (PbRequest  *req,
                                  guint       status,
                                  const char *id)
{
  gint64 version = 0;
  GString *text = pb_integration_load_text (req, id, &version);
  g_autofree char *etag = NULL;

  if (text == NULL)
    {
      pb_integration_reply_not_found (req, id);
      return;
    }
  etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
  pb_request_set_header (req, "ETag", etag);
  pb_request_reply_text (req, status, text);
}

/* ---- GET -------------------------------------------------------------------------------- */

void
pb_server_handle_integration_get (PbRequest  *req,
                                  const char *id)
{
  pb_integration_reply_integration (req, 200, id);
}

/* The value the platform generated for @field (a token the customer pastes into the
 * provider): shown to admins so that they can copy it, unlike any other secret. */
void
pb_server_handle_generated_value (PbRequest  *req,
                                  const char *id,
                                  const char *field)
{
  g_autoptr(PbStoredIntegration) row = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *aad = NULL;
  PbCatalogEntry *entry;
  PbAuthType *type;
  PbAuthField *generated;
  PbDbStmt *stmt;
  char *value = NULL;
  gsize length = 0;

  if (!g_str_equal (req->role, "admin"))
    {
      pb_request_reply_error (req, 403, "forbidden", NULL,
                              "Only an admin key may read a value the platform generated.");
      return;
    }
  row = pb_integration_load_row (req, id);
  if (row == NULL)
    {
      pb_integration_reply_not_found (req, id);
      return;
    }
  pb_request_set_log (req, "integrations", row->connector_key, row->id, NULL);
  entry = pb_catalog_lookup (req->catalog, row->connector_key);
  type = entry != NULL ? pb_catalog_entry_find_auth_type (entry, row->auth_type_key) : NULL;
  generated = type != NULL ? pb_auth_type_find_field (type, field) : NULL;
  if (generated != NULL && pb_auth_field_get_generated (generated))
    {
      aad = g_strconcat (row->id, "/", field, NULL);
      stmt = pb_db_stmt (req->db, "SELECT value FROM secrets WHERE integration_id = ? AND field = ?");
      pb_db_bind_text (stmt, 1, row->id);
      pb_db_bind_text (stmt, 2, field);
      if (pb_db_step (stmt) == PB_DB_ROW)
        {
          gsize size;
          const void *data = pb_db_column_blob (stmt, 0, &size);

          value = pb_crypto_decrypt (req->crypto, aad, data, size, &length);
        }
      pb_db_reset (stmt);
    }
  if (value == NULL)
    {
      pb_request_reply_error (req, 404, "not_found", NULL,
                              "The integration “%s” has no value “%s” that the platform generated.",
                              id, field);
      return;
    }
  b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, field);
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, value);
  json_builder_end_object (b);
  explicit_bzero (value, length);
  g_free (value);
  pb_request_reply_json (req, 200, json_builder_get_root (b));
}

/* ---- validation ------------------------------------------------------------------------- */

void
pb_integration_field_problem (JsonObject *fields,
                              const char *prefix,
                              const char *key,
                              const char *reason)
{
  g_autofree char *name = pb_json_field_name (prefix, key);

  if (!json_object_has_member (fields, name))
    json_object_set_string_member (fields, name, reason);
}

/* Type checks of a config/secrets object: string values (or null when @allow_null). */
void
pb_integration_check_value_object (JsonObject *body,
                                   const char *member,
                                   gboolean    allow_null,
                                   JsonObject *fields)
{
  JsonNode *node = json_object_get_member (body, member);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  g_autofree char *prefix = g_strconcat (member, ".", NULL);

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      pb_integration_field_problem (fields, "", member, "Must be an object of field values.");
      return;
    }
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (pb_json_is_string (value))
        {
          if (strlen (json_node_get_string (value)) > PB_RULES_VALUE_MAX_BYTES)
            pb_integration_field_problem (fields, prefix, key, "The value is longer than 8 KiB.");
        }
      else if (!(allow_null && JSON_NODE_HOLDS_NULL (value)))
        pb_integration_field_problem (fields, prefix, key, allow_null ? "Must be a string, or null to remove it."
                                                       : "Must be a string.");
    }
}

/* The body's "oauth_app" for an integration of @type: @current when it is not given. FALSE,
 * with a problem in @fields, when it is not a value or not one @type allows. */
gboolean
pb_integration_read_oauth_app (JsonObject *body,
                               PbAuthType *type,
                               PbOAuthApp  current,
                               PbOAuthApp *out_app,
                               JsonObject *fields)
{
  JsonNode *node = json_object_get_member (body, "oauth_app");
  g_autofree char *message = NULL;

  *out_app = current;
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    *out_app = PB_OAUTH_APP_NONE;
  else if (node != NULL
           && (!pb_json_is_string (node)
               || !pb_oauth_app_from_string (json_node_get_string (node), out_app)))
    {
      pb_integration_field_problem (fields, "", "oauth_app",
                                    "Must be \"own\", \"platform\" or null.");
      return FALSE;
    }
  if (!pb_rules_validate_oauth_app (type, *out_app, &message))
    {
      pb_integration_field_problem (fields, "", "oauth_app", message);
      return FALSE;
    }
  return TRUE;
}

/* Checks one value against the auth type; @secret says where it was sent. */
void
pb_integration_check_field_value (PbAuthType *type,
                                  PbOAuthApp  app,
                                  const char *key,
                                  const char *value,
                                  gboolean    secret,
                                  JsonObject *fields)
{
  PbAuthField *field = pb_auth_type_find_field (type, key);
  const char *prefix = secret ? "secrets." : "config.";
  g_autofree char *message = NULL;
  g_autofree char *placement = pb_rules_field_placement_problem (type, app, key);

  if (placement != NULL)
    pb_integration_field_problem (fields, prefix, key, placement);
  else if (field == NULL)
    {
      g_autofree char *shown = pb_json_field_name (NULL, key);
      g_autofree char *reason = g_strdup_printf ("“%s” is not a field of the auth type “%s”.",
                                                 shown, pb_auth_type_get_label (type));
      pb_integration_field_problem (fields, prefix, key, reason);
    }
  else if (pb_auth_field_get_secret (field) && !secret)
    pb_integration_field_problem (fields, prefix, key, "This is a secret field; send it in “secrets”.");
  else if (!pb_auth_field_get_secret (field) && secret)
    pb_integration_field_problem (fields, prefix, key, "This is not a secret field; send it in “config”.");
  else if (value == NULL && pb_auth_field_get_required (field))
    {
      g_autofree char *reason = g_strdup_printf ("%s is required and cannot be removed.",
                                                 pb_auth_field_get_label (field));
      pb_integration_field_problem (fields, prefix, key, reason);
    }
  else if (value != NULL && !pb_rules_validate_field (field, value, &message))
    pb_integration_field_problem (fields, prefix, key, message ? message : "The value is not valid.");
}

/* Required fields of @type, for @app, that neither @config nor @secret_keys hold. */
void
pb_integration_check_required (PbAuthType *type,
                               PbOAuthApp  app,
                               JsonObject *config,
                               GHashTable *secret_keys,
                               JsonObject *fields)
{
  g_autoptr(GPtrArray) required = pb_rules_required_fields (type, app);
  guint i;

  for (i = 0; i < required->len; i++)
    {
      PbAuthField *field = required->pdata[i];
      const char *key = pb_auth_field_get_key (field);
      g_autofree char *reason = g_strdup_printf ("%s is required.", pb_auth_field_get_label (field));

      if (pb_auth_field_get_secret (field) ? !g_hash_table_contains (secret_keys, key)
                                           : !json_object_has_member (config, key))
        pb_integration_field_problem (fields, pb_auth_field_get_secret (field) ? "secrets." : "config.", key,
                       reason);
    }
}

/* Makes the values the platform generates for @type (a token the customer pastes into the
 * provider) that @secret_keys does not hold yet. */
gboolean
pb_integration_generate_values (PbRequest   *req,
                                const char  *id,
                                PbAuthType  *type,
                                GHashTable  *secret_keys,
                                gint64       now,
                                GError     **error)
{
  GListModel *list = pb_auth_type_get_fields (type);
  guint i;

  for (i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (list, i);
      g_autofree char *value = NULL;
      gboolean stored;

      if (!pb_auth_field_get_generated (field)
          || (secret_keys != NULL && g_hash_table_contains (secret_keys,
                                                            pb_auth_field_get_key (field))))
        continue;
      value = pb_crypto_random_token (24);
      stored = pb_integration_store_secret (req, id, pb_auth_field_get_key (field), value, now,
                                            error);
      explicit_bzero (value, strlen (value));
      if (!stored)
        return FALSE;
    }
  return TRUE;
}

char *
pb_integration_make_hint (const char *value)
{
  glong chars = g_utf8_strlen (value, -1);

  if (chars < 8)
    return g_strdup ("…");
  return g_strconcat ("…", g_utf8_offset_to_pointer (value, chars - 4), NULL);
}

gboolean
pb_integration_store_secret (PbRequest   *req,
                             const char  *id,
                             const char  *field,
                             const char  *value,
                             gint64       now,
                             GError     **error)
{
  g_autofree char *aad = g_strconcat (id, "/", field, NULL);
  g_autoptr(GBytes) blob = pb_crypto_encrypt (req->crypto, aad, value, strlen (value));
  g_autofree char *hint = pb_integration_make_hint (value);
  PbDbStmt *stmt = pb_db_stmt (req->db, "INSERT INTO secrets"
                                        " (integration_id, field, value, hint, updated_at)"
                                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (integration_id, field)"
                                        " DO UPDATE SET value = excluded.value,"
                                        " hint = excluded.hint, updated_at = excluded.updated_at");

  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, field);
  pb_db_bind_blob (stmt, 3, g_bytes_get_data (blob, NULL),
                       g_bytes_get_size (blob));
  pb_db_bind_text (stmt, 4, hint);
  pb_db_bind_int64 (stmt, 5, now);
  return pb_db_step_done (req->db, stmt, error);
}

gboolean
pb_integration_delete_secret (PbRequest   *req,
                              const char  *id,
                              const char  *field,
                              GError     **error)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "DELETE FROM secrets WHERE integration_id = ? AND field = ?");

  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, field);
  return pb_db_step_done (req->db, stmt, error);
}

guint
pb_integration_count_connector (PbRequest  *req,
                                const char *connector)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT count(*) FROM integrations"
                                            " WHERE project_id = ? AND connector_key = ?");
  guint n;

  pb_db_bind_text (stmt, 1, req->project_id);
  pb_db_bind_text (stmt, 2, connector);
  pb_db_step (stmt);
  n = pb_db_column_int (stmt, 0);
  pb_db_reset (stmt);
  return n;
}

/* Makes @id the default of its connector; the previous default stops being it. */
gboolean
pb_integration_take_default (PbRequest   *req,
                             const char  *connector,
                             const char  *id,
                             gint64       now,
                             GError     **error)
{
  PbDbStmt *stmt = pb_db_stmt (req->db,
                                   "UPDATE integrations SET is_default = 0, version = version + 1,"
                                   " updated_at = ?4 WHERE project_id = ?1 AND connector_key = ?2"
                                   " AND is_default = 1 AND id != ?3");

  pb_db_bind_text (stmt, 1, req->project_id);
  pb_db_bind_text (stmt, 2, connector);
  pb_db_bind_text (stmt, 3, id);
  pb_db_bind_int64 (stmt, 4, now);
  return pb_db_step_done (req->db, stmt, error);
}

char *
pb_integration_config_to_text (JsonObject *config)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), config);

  return json_to_string (node, FALSE);
}

/* ---- POST ------------------------------------------------------------------------------- */

static const char * const create_members[] = {
  "id", "name", "connector_key", "authentication_config_key", "oauth_app", "default", "config",
  "secrets", NULL
};

void
pb_server_handle_integration_create (PbRequest *req)
{
  JsonObject *body = pb_request_body (req);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(GHashTable) secret_keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *name_message = NULL;
  const char *connector, *auth, *name = NULL;
  gboolean want_default = FALSE, is_default;
  PbOAuthApp app;
  PbCatalogEntry *entry;
  PbAuthType *type;
  JsonObject *secrets;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  PbDbStmt *stmt;
  gint64 now = pb_db_now_ms ();
  guint n;

  pb_json_check_members (body, create_members, "", fields);
  if (json_object_has_member (body, "id"))
    {
      JsonNode *node = json_object_get_member (body, "id");
      if (!pb_json_is_string (node) || !g_uuid_string_is_valid (json_node_get_string (node)))
        pb_integration_field_problem (fields, "", "id", "The id must be a UUID, e.g. "
                       "“3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e”.");
      else
        id = g_ascii_strdown (json_node_get_string (node), -1);
    }
  if (json_object_has_member (body, "name"))
    {
      JsonNode *node = json_object_get_member (body, "name");
      if (!pb_json_is_string (node))
        pb_integration_field_problem (fields, "", "name", "The name must be a string.");
      else if (!pb_rules_validate_name (json_node_get_string (node), &name_message))
        pb_integration_field_problem (fields, "", "name", name_message ? name_message : "The name is not valid.");
      else
        name = json_node_get_string (node);
    }
  connector = json_object_get_member (body, "connector_key") != NULL
              && pb_json_is_string (json_object_get_member (body, "connector_key"))
              ? json_object_get_string_member (body, "connector_key") : NULL;
  if (connector == NULL)
    pb_integration_field_problem (fields, "", "connector_key", "The connector key is required, as a string.");
  auth = json_object_get_member (body, "authentication_config_key") != NULL
         && pb_json_is_string (json_object_get_member (body, "authentication_config_key"))
         ? json_object_get_string_member (body, "authentication_config_key") : NULL;
  if (auth == NULL)
    pb_integration_field_problem (fields, "", "authentication_config_key",
                   "The auth type key is required, as a string.");
  if (json_object_has_member (body, "default"))
    {
      if (!pb_json_is_bool (json_object_get_member (body, "default")))
        pb_integration_field_problem (fields, "", "default", "Must be true or false.");
      else
        want_default = json_object_get_boolean_member (body, "default");
    }
  pb_integration_check_value_object (body, "config", FALSE, fields);
  pb_integration_check_value_object (body, "secrets", FALSE, fields);
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      return;
    }

  if (id != NULL)
    {
      g_autoptr(PbStoredIntegration) existing = NULL;
      canonical = pb_json_canonical (req->body);
      fingerprint = pb_crypto_fingerprint (req->crypto, canonical, strlen (canonical));
      existing = pb_integration_load_row (req, id);
      pb_request_set_log (req, "integrations", connector, id, NULL);
      if (existing != NULL && existing->fingerprint != NULL
          && pb_crypto_equal (existing->fingerprint, fingerprint))
        {
          pb_integration_reply_integration (req, 200, id);
          return;
        }
      if (existing != NULL)
        {
          pb_request_reply_error (req, 409, "id_in_use", NULL,
                                  "The id “%s” is already used by another integration.", id);
          return;
        }
    }

  entry = pb_catalog_lookup (req->catalog, connector);
  if (entry == NULL)
    {
      pb_request_reply_error (req, 422, "unknown_connector", NULL,
                              "There is no connector “%s” in the catalog.", connector);
      return;
    }
  if (!pb_catalog_entry_available (entry, req->plan))
    {
      g_autofree char *reason = pb_catalog_unavailable_reason (entry, req->plan);
      pb_request_reply_error (req, 422, "connector_unavailable", NULL, "%s", reason);
      return;
    }
  type = pb_catalog_entry_find_auth_type (entry, auth);
  if (type == NULL)
    {
      pb_request_reply_error (req, 422, "unknown_auth_type", NULL,
                              "%s does not offer the auth type “%s”.", entry->provider_name, auth);
      return;
    }

  /* The fields that apply depend on the app: nothing more is checked without one. */
  if (!pb_integration_read_oauth_app (body, type, pb_rules_default_oauth_app (type), &app, fields))
    {
      pb_request_reply_fields (req, fields);
      return;
    }
  if (json_object_has_member (body, "config"))
    {
      json_object_iter_init (&iter, json_object_get_object_member (body, "config"));
      while (json_object_iter_next (&iter, &key, &value))
        {
          pb_integration_check_field_value (type, app, key, json_node_get_string (value), FALSE,
                                            fields);
          json_object_set_string_member (config, key, json_node_get_string (value));
        }
    }
  secrets = json_object_has_member (body, "secrets") ? json_object_get_object_member (body, "secrets")
                                                     : NULL;
  if (secrets != NULL)
    {
      json_object_iter_init (&iter, secrets);
      while (json_object_iter_next (&iter, &key, &value))
        {
          pb_integration_check_field_value (type, app, key, json_node_get_string (value), TRUE,
                                            fields);
          g_hash_table_add (secret_keys, (gpointer) key);
        }
    }
  /* Fill plain fields that have a default and were not sent. */
  {
    GListModel *list = pb_auth_type_get_fields (type);
    guint i;
    for (i = 0; i < g_list_model_get_n_items (list); i++)
      {
        g_autoptr(PbAuthField) field = g_list_model_get_item (list, i);
        const char *def = pb_auth_field_get_default_value (field);
        if (!pb_auth_field_get_secret (field) && def != NULL && *def != '\0'
            && pb_rules_field_is_entered (field, app)
            && !json_object_has_member (config, pb_auth_field_get_key (field)))
          json_object_set_string_member (config, pb_auth_field_get_key (field), def);
      }
  }
  pb_integration_check_required (type, app, config, secret_keys, fields);
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      return;
    }

  if (id == NULL)
    id = g_uuid_string_random ();
  pb_request_set_log (req, "integrations", connector, id, NULL);
  config_text = pb_integration_config_to_text (config);

  if (!pb_db_begin (req->db, &error))
    {
      pb_request_reply_db_error (req, error);
      return;
    }
  {
    g_autoptr(PbStoredIntegration) existing = pb_integration_load_row (req, id);
    gboolean elsewhere;

    stmt = pb_db_stmt (req->db, "SELECT 1 FROM integrations WHERE id = ?");
    pb_db_bind_text (stmt, 1, id);
    elsewhere = existing == NULL && pb_db_step (stmt) == PB_DB_ROW;
    pb_db_reset (stmt);
    if (existing != NULL)
      {
        pb_db_rollback (req->db);
        pb_request_reply_error (req, 409, "id_in_use", NULL,
                                "The id “%s” is already used by another integration.", id);
        return;
      }
    if (elsewhere)
      {
        /* Ids are unique across projects, but what another project holds is not told. */
        pb_db_rollback (req->db);
        pb_request_reply_error (req, 409, "id_in_use", NULL,
                                "This id cannot be used. Send a new random UUID, or none.");
        return;
      }
  }
  n = pb_integration_count_connector (req, connector);
  is_default = pb_rules_default_on_create (n, want_default);
  if (is_default && n > 0 && !pb_integration_take_default (req, connector, id, now, &error))
    goto failed;
  stmt = pb_db_stmt (req->db, "INSERT INTO integrations (id, project_id, name, connector_key,"
                              " auth_type_key, active, is_default, config, version, fingerprint,"
                              " created_at, updated_at, oauth_app)"
                              " VALUES (?, ?, ?, ?, ?, 1, ?, ?, 1, ?, ?, ?, ?)");
  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, req->project_id);
  pb_db_bind_text (stmt, 3, name ? name : pb_auth_type_get_label (type));
  pb_db_bind_text (stmt, 4, connector);
  pb_db_bind_text (stmt, 5, auth);
  pb_db_bind_int64 (stmt, 6, is_default);
  pb_db_bind_text (stmt, 7, config_text);
  pb_db_bind_text (stmt, 8, fingerprint);
  pb_db_bind_int64 (stmt, 9, now);
  pb_db_bind_int64 (stmt, 10, now);
  pb_db_bind_text (stmt, 11, pb_oauth_app_to_string (app));
  if (!pb_db_step_done (req->db, stmt, &error))
    goto failed;
  if (secrets != NULL)
    {
      json_object_iter_init (&iter, secrets);
      while (json_object_iter_next (&iter, &key, &value))
        if (!pb_integration_store_secret (req, id, key, json_node_get_string (value), now, &error))
          goto failed;
    }
  if (!pb_integration_generate_values (req, id, type, NULL, now, &error))
    goto failed;
  if (!pb_request_commit (req, 201, &error))
    goto failed;

  {
    g_autofree char *location = g_strdup_printf ("%s/integrations/%s", req->public_url, id);
    pb_request_set_header (req, "Location", location);
  }
  pb_integration_reply_integration (req, 201, id);
  return;

failed:
  pb_db_rollback (req->db);
  pb_request_reply_db_error (req, error);
}
