/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-migrate.h"

#include "pb-server-credentials.h"

/*
 * Schema 2 → 3: linked accounts can be acted on. An account shows hints of its credentials
 * (credential_hints, made from the values it holds, dated when the account was last changed)
 * and the expiry of an OAuth access token (token_expires_at); connect sessions can re-link an
 * account (account_id) and carry an OAuth flow (oauth_state_hash, pending_credentials).
 * Statuses gain "suspended" and "expired", which no schema-2 row has. The columns come from the
 * schema's step 3 (pb-server-migrate.c); here, the hints of the credentials already held.
 */

gboolean
pb_migrate_credential_hints (PbDb       *db,
                             PbCatalog  *catalog,
                             PbCrypto   *crypto,
                             GError    **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) times = g_ptr_array_new_with_free_func (g_free);
  PbDbStmt *stmt;
  guint i;

  stmt = pb_db_stmt (db, "SELECT id, credentials, updated_at FROM accounts"
                         " WHERE credentials IS NOT NULL ORDER BY seq");
  while (pb_db_step (stmt) == PB_DB_ROW)
    {
      gsize size;
      const void *data = pb_db_column_blob (stmt, 1, &size);

      g_ptr_array_add (ids, g_strdup (pb_db_column_text (stmt, 0)));
      g_ptr_array_add (blobs, g_bytes_new (data, size));
      g_ptr_array_add (times, g_memdup2 (&(gint64) { pb_db_column_int64 (stmt, 2) },
                                         sizeof (gint64)));
    }
  pb_db_reset (stmt);
  for (i = 0; i < ids->len; i++)
    {
      JsonObject *credentials = pb_credentials_open (crypto, ids->pdata[i],
                                                     g_bytes_get_data (blobs->pdata[i], NULL),
                                                     g_bytes_get_size (blobs->pdata[i]));
      g_autofree char *hints = NULL;

      if (credentials == NULL)
        {
          g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_FAILED,
                       "The credentials of the linked account %s cannot be decrypted with this "
                       "database's key file", (const char *) ids->pdata[i]);
          return FALSE;
        }
      hints = pb_credentials_hints (credentials, *(gint64 *) times->pdata[i]);
      pb_credentials_wipe (credentials);
      stmt = pb_db_stmt (db, "UPDATE accounts SET credential_hints = ? WHERE id = ?");
      pb_db_bind_text (stmt, 1, hints);
      pb_db_bind_text (stmt, 2, ids->pdata[i]);
      if (!pb_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}
