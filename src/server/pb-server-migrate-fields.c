/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-migrate.h"

#include <string.h>

#include "pb-rules.h"

/*
 * Schema 1 → 2: auth types have account fields (what each end user enters when linking an
 * account), and integrations of OAuth types say whose OAuth app they use.
 *
 * An integration of schema 1 may hold values that are account fields now (an API key, a
 * subdomain, a tenant …). They move to the credentials of its linked accounts, where an account
 * has no value of its own for them; an integration without linked accounts has nowhere to put
 * them, so they are dropped, and the server's log names the fields (never the values). The
 * values of an auth type that the catalog no longer offers move the same way: such a type is
 * gone because its values were the end users'. Integrations of OAuth types use their own app,
 * as every integration did before.
 */

typedef struct
{
  char *id;
  char *connector;
  char *auth;
  char *config;
} Row;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->id);
  g_free (row->connector);
  g_free (row->auth);
  g_free (row->config);
  g_free (row);
}

static void
wipe_free (gpointer data)
{
  char *text = data;

  if (text != NULL)
    {
      explicit_bzero (text, strlen (text));
      g_free (text);
    }
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_object_ref (json_node_get_object (node));
  return json_object_new ();
}

static gboolean
failed (GError     **error,
        const char  *id,
        const char  *what)
{
  g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_FAILED,
               "Could not bring the integration %s to the current schema: %s", id, what);
  return FALSE;
}

/* Adds @moved (key → value) to the credentials of @id's linked accounts where an account has
 * none of its own; the number of accounts in @out_accounts. */
static gboolean
move_to_accounts (PbDb        *db,
                  PbCrypto    *crypto,
                  const char  *id,
                  GHashTable  *moved,
                  guint       *out_accounts,
                  GError     **error)
{
  PbDbStmt *stmt = pb_db_stmt (db, "SELECT id, credentials FROM accounts"
                                       " WHERE integration_id = ? ORDER BY seq");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint i;

  pb_db_bind_text (stmt, 1, id);
  while (pb_db_step (stmt) == PB_DB_ROW)
    {
      gsize size;
      const void *data = pb_db_column_blob (stmt, 1, &size);

      g_ptr_array_add (ids, g_strdup (pb_db_column_text (stmt, 0)));
      g_ptr_array_add (blobs, g_bytes_new (data, size));
    }
  pb_db_reset (stmt);

  for (i = 0; i < ids->len; i++)
    {
      g_autofree char *aad = g_strconcat ("account/", (const char *) ids->pdata[i], NULL);
      gsize size = g_bytes_get_size (blobs->pdata[i]), length = 0;
      g_autoptr(JsonObject) credentials = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GBytes) sealed = NULL;
      char *plain = NULL;
      char *text;
      GHashTableIter iter;
      gpointer key, value;

      if (size > 0)
        {
          plain = pb_crypto_decrypt (crypto, aad, g_bytes_get_data (blobs->pdata[i], NULL), size,
                                     &length);
          if (plain == NULL)
            return failed (error, id, "the credentials of a linked account cannot be decrypted "
                                      "with this database's key file");
        }
      credentials = parse_object (plain);
      wipe_free (plain);
      g_hash_table_iter_init (&iter, moved);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!json_object_has_member (credentials, key))
          json_object_set_string_member (credentials, key, value);
      node = json_node_init_object (json_node_alloc (), credentials);
      text = json_to_string (node, FALSE);
      sealed = pb_crypto_encrypt (crypto, aad, text, strlen (text));
      wipe_free (text);
      stmt = pb_db_stmt (db, "UPDATE accounts SET credentials = ? WHERE id = ?");
      pb_db_bind_blob (stmt, 1, g_bytes_get_data (sealed, NULL),
                       g_bytes_get_size (sealed));
      pb_db_bind_text (stmt, 2, ids->pdata[i]);
      if (!pb_db_step_done (db, stmt, error))
        return FALSE;
    }
  *out_accounts = ids->len;
  return TRUE;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The keys of @moved, sorted, as one line for the log. */
static char *
keys_line (GHashTable *moved)
{
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (moved, NULL);
  guint n = g_hash_table_size (moved);

  g_qsort_with_data (keys, n, sizeof (gpointer), compare_keys, NULL);
  return g_strjoinv (", ", (char **) keys);
}

static gboolean
migrate_integration (PbDb       *db,
                     PbCatalog  *catalog,
                     PbCrypto   *crypto,
                     Row        *row,
                     gint64      now,
                     GError    **error)
{
  PbCatalogEntry *entry = pb_catalog_lookup (catalog, row->connector);
  PbAuthType *type = entry != NULL ? pb_catalog_entry_find_auth_type (entry, row->auth) : NULL;
  PbOAuthApp app = type != NULL ? pb_rules_default_oauth_app (type) : PB_OAUTH_APP_NONE;
  g_autoptr(JsonObject) config = parse_object (row->config);
  g_autoptr(JsonObject) kept = json_object_new ();
  g_autoptr(GHashTable) moved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       wipe_free);
  g_autoptr(GPtrArray) moved_secrets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *line = NULL;
  PbDbStmt *stmt;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  guint i, n_accounts = 0;

  /* A connector the catalog lost says nothing of its values: they stay. */
  if (entry == NULL)
    return TRUE;

  json_object_iter_init (&iter, config);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (type != NULL && pb_auth_type_find_field (type, key) != NULL)
        json_object_set_member (kept, key, json_node_copy (value));
      else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        g_hash_table_insert (moved, g_strdup (key), g_strdup (json_node_get_string (value)));
    }

  stmt = pb_db_stmt (db, "SELECT field, value FROM secrets WHERE integration_id = ?");
  pb_db_bind_text (stmt, 1, row->id);
  while (pb_db_step (stmt) == PB_DB_ROW)
    {
      const char *field = pb_db_column_text (stmt, 0);

      if (type == NULL || pb_auth_type_find_field (type, field) == NULL)
        g_ptr_array_add (moved_secrets, g_strdup (field));
    }
  pb_db_reset (stmt);
  for (i = 0; i < moved_secrets->len; i++)
    {
      g_autofree char *aad = g_strconcat (row->id, "/", (const char *) moved_secrets->pdata[i],
                                          NULL);
      char *plain = NULL;
      gsize length = 0;

      stmt = pb_db_stmt (db, "SELECT value FROM secrets WHERE integration_id = ? AND field = ?");
      pb_db_bind_text (stmt, 1, row->id);
      pb_db_bind_text (stmt, 2, moved_secrets->pdata[i]);
      if (pb_db_step (stmt) == PB_DB_ROW)
        {
          gsize size;
          const void *data = pb_db_column_blob (stmt, 0, &size);

          plain = pb_crypto_decrypt (crypto, aad, data, size, &length);
        }
      pb_db_reset (stmt);
      if (plain == NULL)
        return failed (error, row->id, "a secret cannot be decrypted with this database's key file");
      g_hash_table_insert (moved, g_strdup (moved_secrets->pdata[i]), plain);
      stmt = pb_db_stmt (db, "DELETE FROM secrets WHERE integration_id = ? AND field = ?");
      pb_db_bind_text (stmt, 1, row->id);
      pb_db_bind_text (stmt, 2, moved_secrets->pdata[i]);
      if (!pb_db_step_done (db, stmt, error))
        return FALSE;
    }

  if (g_hash_table_size (moved) == 0)
    {
      stmt = pb_db_stmt (db, "UPDATE integrations SET oauth_app = ? WHERE id = ?");
      pb_db_bind_text (stmt, 1, pb_oauth_app_to_string (app));
      pb_db_bind_text (stmt, 2, row->id);
      return pb_db_step_done (db, stmt, error);
    }

  if (!move_to_accounts (db, crypto, row->id, moved, &n_accounts, error))
    return FALSE;
  line = keys_line (moved);
  if (n_accounts > 0)
    g_message ("Integration %s (%s): %s moved to its %u linked account(s), where each end user's "
               "own value is kept now.", row->id, row->connector, line, n_accounts);
  else
    g_message ("Integration %s (%s): %s dropped; each linked account holds its own now, and the "
               "integration has none.", row->id, row->connector, line);

  node = json_node_init_object (json_node_alloc (), kept);
  config_text = json_to_string (node, FALSE);
  stmt = pb_db_stmt (db, "UPDATE integrations SET config = ?, oauth_app = ?,"
                         " version = version + 1, updated_at = ? WHERE id = ?");
  pb_db_bind_text (stmt, 1, config_text);
  pb_db_bind_text (stmt, 2, pb_oauth_app_to_string (app));
  pb_db_bind_int64 (stmt, 3, now);
  pb_db_bind_text (stmt, 4, row->id);
  return pb_db_step_done (db, stmt, error);
}

gboolean
pb_migrate_account_fields (PbDb       *db,
                           PbCatalog  *catalog,
                           PbCrypto   *crypto,
                           GError    **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  PbDbStmt *stmt;
  gint64 now = pb_db_now_ms ();
  guint i;

  stmt = pb_db_stmt (db, "SELECT id, connector_key, auth_type_key, config FROM integrations"
                         " ORDER BY seq");
  while (pb_db_step (stmt) == PB_DB_ROW)
    {
      Row *row = g_new0 (Row, 1);

      row->id = g_strdup (pb_db_column_text (stmt, 0));
      row->connector = g_strdup (pb_db_column_text (stmt, 1));
      row->auth = g_strdup (pb_db_column_text (stmt, 2));
      row->config = g_strdup (pb_db_column_text (stmt, 3));
      g_ptr_array_add (rows, row);
    }
  pb_db_reset (stmt);
  for (i = 0; i < rows->len; i++)
    if (!migrate_integration (db, catalog, crypto, rows->pdata[i], now, error))
      return FALSE;
  return TRUE;
}
