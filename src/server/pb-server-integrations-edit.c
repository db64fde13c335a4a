/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-rules.h"
#include "pb-server-integrations.h"

/* -1 when there is no If-Match; -2 for "*". FALSE when it cannot be read. */
static gboolean
parse_if_match (PbRequest *req,
                gint64    *out_version)
{
  const char *header = pb_request_get_header (req, "If-Match");
  g_autofree char *text = NULL;
  char *p;

  *out_version = -1;
  if (header == NULL)
    return TRUE;
  text = g_strstrip (g_strdup (header));
  if (g_str_equal (text, "*"))
    {
      *out_version = -2;
      return TRUE;
    }
  p = text;
  if (g_str_has_prefix (p, "W/"))
    p += 2;
  if (*p == '"' && strlen (p) >= 2 && p[strlen (p) - 1] == '"')
    {
      p[strlen (p) - 1] = '\0';
      p++;
    }
  return g_ascii_string_to_signed (p, 10, 0, G_MAXINT64, out_version, NULL);
}

static gboolean
check_version (PbRequest           *req,
               PbStoredIntegration *row,
               gint64               expected)
{
  if (expected < 0 || expected == row->version)
    return TRUE;
  pb_db_rollback (req->db);
  return FALSE;
}

static void
reply_version_mismatch (PbRequest  *req,
                        const char *id,
                        gint64      expected)
{
  g_autoptr(JsonObject) details = json_object_new ();
  JsonNode *current = pb_integration_load_json (req, id, NULL);

  /* details.current is the integration as GET returns it. */
  if (current != NULL)
    json_object_set_member (details, "current", current);
  pb_request_reply_error (req, 412, "version_mismatch",
                          json_node_init_object (json_node_alloc (), details),
                          "The integration was changed by someone else after version %"
                          G_GINT64_FORMAT ". Review the current version and try again.", expected);
}

/* Begins a transaction and loads integration @id at version @expected (any when < 0).
 * NULL when that fails, after the answer (error, 404 or 412) was sent and the transaction
 * rolled back; else the row, inside the open transaction. */
static PbStoredIntegration *
begin_at_version (PbRequest  *req,
                  const char *id,
                  gint64      expected)
{
  g_autoptr(PbStoredIntegration) row = NULL;
  g_autoptr(GError) error = NULL;

  if (!pb_db_begin (req->db, &error))
    {
      pb_request_reply_db_error (req, error);
      return NULL;
    }
  row = pb_integration_load_row (req, id);
  if (row == NULL)
    {
      pb_db_rollback (req->db);
      pb_integration_reply_not_found (req, id);
      return NULL;
    }
  pb_request_set_log (req, "integrations", row->connector_key, row->id, NULL);
  if (!check_version (req, row, expected))
    {
      reply_version_mismatch (req, id, expected);
      pb_db_rollback (req->db);
      return NULL;
    }
  return g_steal_pointer (&row);
}

static gboolean
toggle_accounts (PbRequest   *req,
                 const char  *id,
                 gboolean     active,
                 gint64       now,
                 GError     **error)
{
  /* A suspended account stays suspended: that is an admin's choice for the one account. */
  PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT DISTINCT status FROM accounts"
                                            " WHERE integration_id = ? AND status <> 'suspended'");
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *stamp = pb_db_format_time (now);
  g_autofree char *reasons = NULL;
  guint i;

  pb_db_bind_text (stmt, 1, id);
  while (pb_db_step (stmt) == PB_DB_ROW)
    g_ptr_array_add (statuses, g_strdup (pb_db_column_text (stmt, 0)));
  pb_db_reset (stmt);

  {
    g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
    g_autoptr(JsonNode) root = NULL;

    json_builder_begin_array (b);
    if (!active)
      {
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "code");
        json_builder_add_string_value (b, PB_RULES_REASON_INTEGRATION_DISABLED);
        json_builder_set_member_name (b, "description");
        json_builder_add_string_value (b, "The integration of this account is disabled, so API "
                                          "requests to this account are refused.");
        json_builder_set_member_name (b, "timestamp");
        json_builder_add_string_value (b, stamp);
        json_builder_end_object (b);
      }
    json_builder_end_array (b);
    root = json_builder_get_root (b);
    reasons = json_to_string (root, FALSE);
  }

  for (i = 0; i < statuses->len; i++)
    {
      PbAccountStatus current, next;

      /* Expired counts as in error: both become active or inactive alike. */
      if (!pb_account_status_from_string (statuses->pdata[i], &current))
        current = PB_ACCOUNT_STATUS_ERROR;
      next = pb_rules_account_status_after_toggle (active, current);
      stmt = pb_db_stmt (req->db, "UPDATE accounts SET status = ?1, status_reasons = ?2,"
                                  " updated_at = ?3 WHERE integration_id = ?4 AND status = ?5");
      pb_db_bind_text (stmt, 1, pb_account_status_to_string (next));
      pb_db_bind_text (stmt, 2, reasons);
      pb_db_bind_int64 (stmt, 3, now);
      pb_db_bind_text (stmt, 4, id);
      pb_db_bind_text (stmt, 5, statuses->pdata[i]);
      if (!pb_db_step_done (req->db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static const char * const update_members[] = {
  "name", "authentication_config_key", "oauth_app", "config", "secrets", "active", "default", NULL
};

void
pb_server_handle_integration_update (PbRequest  *req,
                                     const char *id)
{
  JsonObject *body = pb_request_body (req);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(GHashTable) secret_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) erase = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStoredIntegration) row = NULL;
  g_autofree char *name_message = NULL;
  g_autofree char *config_text = NULL;
  const char *name = NULL, *auth = NULL;
  JsonObject *patch_config = NULL, *patch_secrets = NULL;
  int want_active = -1, want_default = -1;
  gboolean type_changed;
  PbOAuthApp app, current_app;
  gint64 expected, now = pb_db_now_ms ();
  PbCatalogEntry *entry;
  PbAuthType *type;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  PbDbStmt *stmt;
  guint i;

  pb_json_check_members (body, update_members, "", fields);
  if (json_object_has_member (body, "name"))
    {
      JsonNode *node = json_object_get_member (body, "name");
      if (!pb_json_is_string (node))
        pb_integration_field_problem (fields, "", "name", "The name must be a string.");
      else if (!pb_rules_validate_name (json_node_get_string (node), &name_message))
        pb_integration_field_problem (fields, "", "name",
                                      name_message ? name_message : "The name is not valid.");
      else
        name = json_node_get_string (node);
    }
  if (json_object_has_member (body, "authentication_config_key"))
    {
      if (!pb_json_is_string (json_object_get_member (body, "authentication_config_key")))
        pb_integration_field_problem (fields, "", "authentication_config_key", "Must be a string.");
      else
        auth = json_object_get_string_member (body, "authentication_config_key");
    }
  if (json_object_has_member (body, "active"))
    {
      if (!pb_json_is_bool (json_object_get_member (body, "active")))
        pb_integration_field_problem (fields, "", "active", "Must be true or false.");
      else
        want_active = json_object_get_boolean_member (body, "active");
    }
  if (json_object_has_member (body, "default"))
    {
      if (!pb_json_is_bool (json_object_get_member (body, "default")))
        pb_integration_field_problem (fields, "", "default", "Must be true or false.");
      else
        want_default = json_object_get_boolean_member (body, "default");
    }
  pb_integration_check_value_object (body, "config", TRUE, fields);
  pb_integration_check_value_object (body, "secrets", TRUE, fields);
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      return;
    }
  if (!parse_if_match (req, &expected))
    {
      pb_request_reply_error (req, 400, "validation_failed", NULL,
                              "The If-Match header must be a version in quotes, e.g. \"3\".");
      return;
    }
  if (json_object_has_member (body, "config"))
    patch_config = json_object_get_object_member (body, "config");
  if (json_object_has_member (body, "secrets"))
    patch_secrets = json_object_get_object_member (body, "secrets");

  row = begin_at_version (req, id, expected);
  if (row == NULL)
    return;
  entry = pb_catalog_lookup (req->catalog, row->connector_key);
  if (entry == NULL)
    {
      pb_db_rollback (req->db);
      pb_request_reply_error (req, 422, "unknown_connector", NULL,
                              "The connector “%s” is no longer in the catalog.", row->connector_key);
      return;
    }
  type = pb_catalog_entry_find_auth_type (entry, auth ? auth : row->auth_type_key);
  if (type == NULL)
    {
      pb_db_rollback (req->db);
      pb_request_reply_error (req, 422, "unknown_auth_type", NULL,
                              "%s does not offer the auth type “%s”.", entry->provider_name,
                              auth ? auth : row->auth_type_key);
      return;
    }
  type_changed = !g_str_equal (pb_auth_type_get_key (type), row->auth_type_key);
  /* A new auth type starts from its own default app, unless the change names one. */
  current_app = type_changed || row->oauth_app == PB_OAUTH_APP_NONE
                ? pb_rules_default_oauth_app (type) : row->oauth_app;
  if (!pb_integration_read_oauth_app (body, type, current_app, &app, fields))
    {
      pb_db_rollback (req->db);
      pb_request_reply_fields (req, fields);
      return;
    }

  /* Start from what is stored, minus what the (new) auth type lacks and what the OAuth app
   * does not use; the values the platform generated stay. */
  json_object_iter_init (&iter, row->config);
  while (json_object_iter_next (&iter, &key, &value))
    {
      PbAuthField *field = pb_auth_type_find_field (type, key);
      if (field != NULL && !pb_auth_field_get_secret (field) && pb_rules_field_is_entered (field, app))
        json_object_set_member (config, key, json_node_copy (value));
    }
  stmt = pb_db_stmt (req->db, "SELECT field FROM secrets WHERE integration_id = ?");
  pb_db_bind_text (stmt, 1, id);
  while (pb_db_step (stmt) == PB_DB_ROW)
    {
      const char *field_key = pb_db_column_text (stmt, 0);
      PbAuthField *field = pb_auth_type_find_field (type, field_key);
      if (field != NULL && pb_auth_field_get_secret (field)
          && (pb_rules_field_is_entered (field, app) || pb_auth_field_get_generated (field)))
        g_hash_table_add (secret_keys, g_strdup (field_key));
      else
        g_ptr_array_add (erase, g_strdup (field_key));
    }
  pb_db_reset (stmt);

  if (patch_config != NULL)
    {
      json_object_iter_init (&iter, patch_config);
      while (json_object_iter_next (&iter, &key, &value))
        {
          const char *text = JSON_NODE_HOLDS_NULL (value) ? NULL : json_node_get_string (value);
          pb_integration_check_field_value (type, app, key, text, FALSE, fields);
          if (text == NULL)
            json_object_remove_member (config, key);
          else
            json_object_set_string_member (config, key, text);
        }
    }
  if (patch_secrets != NULL)
    {
      json_object_iter_init (&iter, patch_secrets);
      while (json_object_iter_next (&iter, &key, &value))
        {
          gboolean clear = JSON_NODE_HOLDS_NULL (value);
          pb_integration_check_field_value (type, app, key,
                                            clear ? NULL : json_node_get_string (value), TRUE,
                                            fields);
          if (clear)
            {
              g_hash_table_remove (secret_keys, key);
              g_ptr_array_add (erase, g_strdup (key));
            }
          else
            g_hash_table_add (secret_keys, g_strdup (key));
        }
    }
  if (type_changed)
    {
      GListModel *list = pb_auth_type_get_fields (type);
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
  if (json_object_get_size (fields) == 0)
    pb_integration_check_required (type, app, config, secret_keys, fields);
  if (json_object_get_size (fields) > 0)
    {
      pb_db_rollback (req->db);
      pb_request_reply_fields (req, fields);
      return;
    }
  if (want_default == FALSE && row->is_default)
    {
      PbIntegrationFacts facts = { 0 };
      g_autofree char *message = NULL;
      PbAccountCounts counts;

      pb_integration_count_accounts (req->db, id, &counts);
      facts.n_connector_integrations = pb_integration_count_connector (req, row->connector_key);
      facts.is_default = TRUE;
      facts.active = row->active;
      facts.n_linked_accounts = counts.total;
      if (!pb_rules_can_unset_default (&facts, &message))
        {
          pb_db_rollback (req->db);
          pb_request_reply_error (req, 409, PB_RULES_CODE_DEFAULT_REQUIRED, NULL, "%s",
                                  message ? message : "An integration must stay the default of "
                                  "its connector; make another one the default instead.");
          return;
        }
    }

  if (want_default == TRUE && !row->is_default)
    {
      if (!pb_integration_take_default (req, row->connector_key, id, now, &error))
        goto failed;
      row->is_default = TRUE;
    }
  if (want_active >= 0 && want_active != row->active)
    {
      if (!toggle_accounts (req, id, want_active, now, &error))
        goto failed;
      row->active = want_active;
    }
  config_text = pb_integration_config_to_text (config);
  stmt = pb_db_stmt (req->db, "UPDATE integrations SET name = ?2, auth_type_key = ?3, active = ?4,"
                              " is_default = ?5, config = ?6, version = version + 1,"
                              " updated_at = ?7, oauth_app = ?8 WHERE id = ?1");
  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, name ? name : row->name);
  pb_db_bind_text (stmt, 3, pb_auth_type_get_key (type));
  pb_db_bind_int64 (stmt, 4, row->active);
  pb_db_bind_int64 (stmt, 5, row->is_default);
  pb_db_bind_text (stmt, 6, config_text);
  pb_db_bind_int64 (stmt, 7, now);
  pb_db_bind_text (stmt, 8, pb_oauth_app_to_string (app));
  if (!pb_db_step_done (req->db, stmt, &error))
    goto failed;
  for (i = 0; i < erase->len; i++)
    if (!pb_integration_delete_secret (req, id, erase->pdata[i], &error))
      goto failed;
  if (patch_secrets != NULL)
    {
      json_object_iter_init (&iter, patch_secrets);
      while (json_object_iter_next (&iter, &key, &value))
        if (!JSON_NODE_HOLDS_NULL (value)
            && !pb_integration_store_secret (req, id, key, json_node_get_string (value), now, &error))
          goto failed;
    }
  if (!pb_integration_generate_values (req, id, type, secret_keys, now, &error))
    goto failed;
  if (!pb_request_commit (req, 200, &error))
    goto failed;
  pb_integration_reply_integration (req, 200, id);
  return;

failed:
  pb_db_rollback (req->db);
  pb_request_reply_db_error (req, error);
}

void
pb_server_handle_integration_delete (PbRequest  *req,
                                     const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStoredIntegration) row = NULL;
  PbIntegrationFacts facts = { 0 };
  PbDeleteVerdict verdict;
  PbDbStmt *stmt;
  PbAccountCounts counts;
  gint64 expected;

  if (!parse_if_match (req, &expected))
    {
      pb_request_reply_error (req, 400, "validation_failed", NULL,
                              "The If-Match header must be a version in quotes, e.g. \"3\".");
      return;
    }
  row = begin_at_version (req, id, expected);
  if (row == NULL)
    return;
  pb_integration_count_accounts (req->db, id, &counts);
  facts.n_connector_integrations = pb_integration_count_connector (req, row->connector_key);
  facts.is_default = row->is_default;
  facts.active = row->active;
  facts.n_linked_accounts = counts.total;
  verdict = pb_rules_delete_verdict (&facts);
  if (verdict != PB_DELETE_ALLOWED)
    {
      g_autofree char *message = pb_rules_delete_verdict_message (verdict, &facts);
      g_autoptr(JsonObject) details = json_object_new ();

      pb_db_rollback (req->db);
      json_object_set_int_member (details, "linked_accounts", counts.total);
      json_object_set_int_member (details, "connector_integrations", facts.n_connector_integrations);
      pb_request_reply_error (req, 409, pb_rules_delete_verdict_code (verdict),
                              json_node_init_object (json_node_alloc (), details), "%s", message);
      return;
    }
  stmt = pb_db_stmt (req->db, "DELETE FROM secrets WHERE integration_id = ?");
  pb_db_bind_text (stmt, 1, id);
  if (!pb_db_step_done (req->db, stmt, &error))
    goto failed;
  stmt = pb_db_stmt (req->db, "DELETE FROM connect_sessions WHERE integration_id = ?");
  pb_db_bind_text (stmt, 1, id);
  if (!pb_db_step_done (req->db, stmt, &error))
    goto failed;
  stmt = pb_db_stmt (req->db, "DELETE FROM integrations WHERE id = ?");
  pb_db_bind_text (stmt, 1, id);
  if (!pb_db_step_done (req->db, stmt, &error) || !pb_request_commit (req, 204, &error))
    goto failed;
  pb_request_reply_empty (req, 204);
  return;

failed:
  pb_db_rollback (req->db);
  pb_request_reply_db_error (req, error);
}
