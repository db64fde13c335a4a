/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-rules.h"
#include "pb-server-connect.h"
#include "pb-server-credentials.h"

/* What an admin does to a linked account: PATCH (suspend, resume, label), DELETE, and
 * POST …/refresh (check its credentials). Each change is one transaction with its log. */

#define SUSPENDED_DESCRIPTION "Suspended by an admin: API requests to this account are refused " \
                              "until it is resumed."

typedef struct
{
  char    *provider;
  char    *integration_id;
  char    *status;
  GBytes  *credentials;
  gint64   token_expires_at;
} StoredAccount;

static void
stored_account_clear (StoredAccount *a)
{
  g_free (a->provider);
  g_free (a->integration_id);
  g_free (a->status);
  g_clear_pointer (&a->credentials, g_bytes_unref);
}

static gboolean
load_stored (PbRequest     *req,
             const char    *id,
             StoredAccount *out)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT provider, integration_id, status, credentials,"
                                            " token_expires_at FROM accounts"
                                            " WHERE id = ? AND project_id = ?");
  gboolean found = FALSE;

  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, req->project_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      gsize size;
      const void *data = pb_db_column_blob (stmt, 3, &size);

      found = TRUE;
      out->provider = g_strdup (pb_db_column_text (stmt, 0));
      out->integration_id = g_strdup (pb_db_column_text (stmt, 1));
      out->status = g_strdup (pb_db_column_text (stmt, 2));
      out->credentials = g_bytes_new (data, size);
      out->token_expires_at = pb_db_column_int64 (stmt, 4);
    }
  pb_db_reset (stmt);
  return found;
}

/* Whether the account's integration is active; its auth type key in @out_auth_type. */
static gboolean
integration_active (PbRequest   *req,
                    const char  *integration_id,
                    char       **out_auth_type)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT active, auth_type_key FROM integrations"
                                            " WHERE id = ?");
  gboolean active = FALSE;

  pb_db_bind_text (stmt, 1, integration_id);
  if (pb_db_step (stmt) == PB_DB_ROW)
    {
      active = pb_db_column_int (stmt, 0);
      if (out_auth_type != NULL)
        *out_auth_type = g_strdup (pb_db_column_text (stmt, 1));
    }
  pb_db_reset (stmt);
  return active;
}

static gboolean
set_status (PbRequest   *req,
            const char  *id,
            const char  *status,
            const char  *reasons,
            const char  *label,
            GError     **error)
{
  PbDbStmt *stmt = pb_db_stmt (req->db, "UPDATE accounts SET status = ?1, status_reasons = ?2,"
                                            " label = coalesce (?3, label), updated_at = ?4"
                                            " WHERE id = ?5");

  pb_db_bind_text (stmt, 1, status);
  pb_db_bind_text (stmt, 2, reasons);
  pb_db_bind_text (stmt, 3, label);
  pb_db_bind_int64 (stmt, 4, pb_db_now_ms ());
  pb_db_bind_text (stmt, 5, id);
  return pb_db_step_done (req->db, stmt, error);
}

/* ---- PATCH /accounts/{id} --------------------------------------------------------------- */

static const char * const update_members[] = { "status", "label", NULL };

void
pb_server_handle_account_update (PbRequest  *req,
                                 const char *id)
{
  JsonObject *body = pb_request_body (req);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *label_message = NULL;
  g_autofree char *reasons = NULL;
  StoredAccount stored = { 0 };
  const char *wanted = NULL, *label = NULL, *status, *new_reasons = NULL;

  pb_json_check_members (body, update_members, "", fields);
  if (json_object_has_member (body, "status"))
    {
      JsonNode *node = json_object_get_member (body, "status");
      if (pb_json_is_string (node)
          && (g_str_equal (json_node_get_string (node), "suspended")
              || g_str_equal (json_node_get_string (node), "active")))
        wanted = json_node_get_string (node);
      else
        json_object_set_string_member (fields, "status",
                                       "The status can be set to “suspended” or “active”.");
    }
  if (json_object_has_member (body, "label"))
    {
      JsonNode *node = json_object_get_member (body, "label");
      if (!pb_json_is_string (node))
        json_object_set_string_member (fields, "label", "The label must be a string.");
      else if (!pb_rules_validate_name (json_node_get_string (node), &label_message))
        json_object_set_string_member (fields, "label", label_message);
      else
        label = json_node_get_string (node);
    }
  if (json_object_get_size (fields) > 0)
    {
      pb_request_reply_fields (req, fields);
      return;
    }

  if (!pb_db_begin (req->db, &error))
    {
      pb_request_reply_db_error (req, error);
      return;
    }
  if (!load_stored (req, id, &stored))
    {
      pb_db_rollback (req->db);
      pb_account_reply_not_found (req, id);
      return;
    }
  pb_request_set_log (req, "accounts", stored.provider, stored.integration_id, id);
  status = stored.status;
  if (g_strcmp0 (wanted, "suspended") == 0 && !g_str_equal (stored.status, "suspended"))
    {
      reasons = pb_account_reason ("suspended_by_admin", SUSPENDED_DESCRIPTION, "admin",
                                   req->key_id, pb_db_now_ms ());
      status = "suspended";
      new_reasons = reasons;
    }
  else if (g_strcmp0 (wanted, "active") == 0 && !g_str_equal (stored.status, "active"))
    {
      if (g_str_equal (stored.status, "inactive")
          || !integration_active (req, stored.integration_id, NULL))
        {
          pb_db_rollback (req->db);
          pb_request_reply_error (req, 409, "integration_disabled", NULL,
                                  "The integration of this account is disabled. Enable the "
                                  "integration to make its accounts active again.");
          goto out;
        }
      if (!g_str_equal (stored.status, "suspended"))
        {
          pb_db_rollback (req->db);
          pb_request_reply_error (req, 409, "not_suspended", NULL,
                                  "Only a suspended account can be resumed. This one is “%s”: "
                                  "check its credentials, or link it again.", stored.status);
          goto out;
        }
      status = "active";
      new_reasons = "[]";
    }
  if (new_reasons == NULL && label == NULL)
    {
      /* Nothing changes: the account as it is, with a log like other reads. */
      pb_db_rollback (req->db);
      pb_request_reply_json (req, 200, pb_account_load (req, id, NULL, NULL, NULL));
      goto out;
    }
  if (new_reasons == NULL)
    {
      PbDbStmt *stmt = pb_db_stmt (req->db, "SELECT status_reasons FROM accounts WHERE id = ?");
      pb_db_bind_text (stmt, 1, id);
      if (pb_db_step (stmt) == PB_DB_ROW)
        reasons = g_strdup (pb_db_column_text (stmt, 0));
      pb_db_reset (stmt);
      new_reasons = reasons ? reasons : "[]";
    }
  if (!set_status (req, id, status, new_reasons, label, &error)
      || !pb_request_commit (req, 200, &error))
    {
      pb_db_rollback (req->db);
      pb_request_reply_db_error (req, error);
      goto out;
    }
  pb_request_reply_json (req, 200, pb_account_load (req, id, NULL, NULL, NULL));
out:
  stored_account_clear (&stored);
}

/* ---- DELETE /accounts/{id} -------------------------------------------------------------- */

void
pb_server_handle_account_delete (PbRequest  *req,
                                 const char *id)
{
  g_autoptr(GError) error = NULL;
  StoredAccount stored = { 0 };
  PbDbStmt *stmt;

  if (!pb_db_begin (req->db, &error))
    {
      pb_request_reply_db_error (req, error);
      return;
    }
  if (!load_stored (req, id, &stored))
    {
      pb_db_rollback (req->db);
      pb_account_reply_not_found (req, id);
      return;
    }
  pb_request_set_log (req, "accounts", stored.provider, stored.integration_id, id);
  /* Its credentials go with the row; sessions that would link it again go too. */
  stmt = pb_db_stmt (req->db, "DELETE FROM connect_sessions WHERE account_id = ?");
  pb_db_bind_text (stmt, 1, id);
  if (!pb_db_step_done (req->db, stmt, &error))
    goto failed;
  stmt = pb_db_stmt (req->db, "DELETE FROM accounts WHERE id = ?");
  pb_db_bind_text (stmt, 1, id);
  if (!pb_db_step_done (req->db, stmt, &error) || !pb_request_commit (req, 204, &error))
    goto failed;
  pb_request_reply_empty (req, 204);
  stored_account_clear (&stored);
  return;

failed:
  pb_db_rollback (req->db);
  pb_request_reply_db_error (req, error);
  stored_account_clear (&stored);
}

/* ---- POST /accounts/{id}/refresh -------------------------------------------------------- */

/* Joins the reasons of @problems into one sentence list. */
static char *
problems_sentence (JsonObject *problems)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GList *members = json_object_get_members (problems), *l;

  for (l = members; l != NULL; l = l->next)
    g_string_append_printf (out, "%s%s", out->len ? " " : "",
                            json_object_get_string_member (problems, l->data));
  g_list_free (members);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
pb_server_handle_account_refresh (PbRequest  *req,
                                  const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) problems = json_object_new ();
  g_autofree char *auth_type = NULL;
  g_autofree char *reasons = NULL;
  g_autofree char *sentence = NULL;
  JsonObject *credentials = NULL;
  StoredAccount stored = { 0 };
  PbCatalogEntry *entry;
  PbAuthType *type = NULL;
  const char *status = "active";
  gint64 now = pb_db_now_ms (), token_expires_at = 0;
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *hints = NULL;
  gboolean renewed = FALSE;

  if (req->body != NULL)
    {
      pb_json_check_members (pb_request_body (req), (const char * const[]) { NULL }, "", problems);
      if (json_object_get_size (problems) > 0)
        {
          pb_request_reply_fields (req, problems);
          return;
        }
    }
  if (!load_stored (req, id, &stored))
    {
      pb_account_reply_not_found (req, id);
      return;
    }
  pb_request_set_log (req, "accounts", stored.provider, stored.integration_id, id);
  if (g_str_equal (stored.status, "suspended"))
    {
      pb_request_reply_error (req, 409, "account_suspended", NULL,
                              "The account is suspended, so its credentials are not used or "
                              "checked. Resume it first.");
      goto out;
    }
  if (!integration_active (req, stored.integration_id, &auth_type))
    {
      pb_request_reply_error (req, 409, "integration_disabled", NULL,
                              "The integration of this account is disabled. Enable it before "
                              "checking its accounts.");
      goto out;
    }

  entry = pb_catalog_lookup (req->catalog, stored.provider);
  type = entry ? pb_catalog_entry_find_auth_type (entry, auth_type) : NULL;
  credentials = pb_credentials_open (req->crypto, id,
                                     g_bytes_get_data (stored.credentials, NULL),
                                     g_bytes_get_size (stored.credentials));
  if (type == NULL)
    {
      status = "error";
      reasons = pb_account_reason ("unknown_auth_type", "The catalog no longer offers the "
                                   "integration's authentication type.", "server", NULL, now);
    }
  else if (credentials == NULL)
    {
      status = "error";
      reasons = pb_account_reason ("credentials_unreadable", "The stored credentials cannot be "
                                   "decrypted with the server's key file. Link the account again.",
                                   "server", NULL, now);
    }
  else
    {
      PbAuthKind kind = pb_auth_type_get_kind (type);

      pb_credentials_check (type, credentials, "", TRUE, problems);
      if (json_object_get_size (problems) > 0)
        {
          g_autofree char *description = NULL;

          sentence = problems_sentence (problems);
          description = g_strdup_printf ("The stored credentials do not fit the authentication "
                                         "type: %s Link the account again.", sentence);
          status = "error";
          reasons = pb_account_reason ("invalid_credentials", description, "server", NULL, now);
        }
      else if ((kind == PB_AUTH_KIND_OAUTH2 || kind == PB_AUTH_KIND_OIDC)
               && !json_object_has_member (credentials, PB_CREDENTIAL_ACCESS_TOKEN))
        {
          status = "error";
          reasons = pb_account_reason ("not_authorized", "The account has no access token from "
                                       "the provider. Link it again.", "server", NULL, now);
        }
      else if ((kind == PB_AUTH_KIND_OAUTH2 || kind == PB_AUTH_KIND_OIDC)
               && stored.token_expires_at > 0 && stored.token_expires_at <= now)
        {
          g_autoptr(GError) refresh_error = NULL;

          /* Past its expiry: the refresh token gets a new access token, else it expired. */
          if (pb_oauth_refresh (req, entry, type, stored.integration_id, credentials,
                                &token_expires_at, &refresh_error))
            renewed = TRUE;
          else
            {
              g_autofree char *description = g_strdup_printf ("The provider's access token has "
                                                              "expired and could not be renewed "
                                                              "(%s). Link the account again.",
                                                              refresh_error->message);
              status = "expired";
              reasons = pb_account_reason ("token_expired", description, "server", NULL, now);
            }
        }
    }
  if (renewed)
    {
      sealed = pb_credentials_seal (req->crypto, id, credentials);
      hints = pb_credentials_hints (credentials, pb_db_now_ms ());
    }
  pb_credentials_wipe (credentials);

  if (!pb_db_begin (req->db, &error))
    {
      pb_request_reply_db_error (req, error);
      goto out;
    }
  /* What an admin did meanwhile wins over the check. */
  stored_account_clear (&stored);
  memset (&stored, 0, sizeof stored);
  if (!load_stored (req, id, &stored) || g_str_equal (stored.status, "suspended"))
    {
      pb_db_rollback (req->db);
      if (stored.status == NULL)
        pb_account_reply_not_found (req, id);
      else
        pb_request_reply_error (req, 409, "account_suspended", NULL,
                                "The account was suspended while it was checked.");
      goto out;
    }
  if (renewed)
    {
      PbDbStmt *stmt = pb_db_stmt (req->db, "UPDATE accounts SET credentials = ?,"
                                                " credential_hints = ?, token_expires_at = ?"
                                                " WHERE id = ?");

      pb_db_bind_blob (stmt, 1, g_bytes_get_data (sealed, NULL),
                       g_bytes_get_size (sealed));
      pb_db_bind_text (stmt, 2, hints);
      if (token_expires_at > 0)
        pb_db_bind_int64 (stmt, 3, token_expires_at);
      pb_db_bind_text (stmt, 4, id);
      if (!pb_db_step_done (req->db, stmt, &error))
        {
          pb_db_rollback (req->db);
          pb_request_reply_db_error (req, error);
          goto out;
        }
    }
  if (!set_status (req, id, status, reasons ? reasons : "[]", NULL, &error)
      || !pb_request_commit (req, 200, &error))
    {
      pb_db_rollback (req->db);
      pb_request_reply_db_error (req, error);
      goto out;
    }
  pb_request_reply_json (req, 200, pb_account_load (req, id, NULL, NULL, NULL));
out:
  stored_account_clear (&stored);
}
