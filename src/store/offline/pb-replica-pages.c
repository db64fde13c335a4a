/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-replica"

#include "config.h"

#include "pb-replica.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-replica-private.h"

/* ---- pages ---------------------------------------------------------------------------- */

/* Every filter the API's list calls take (api.md), in a fixed order. */
static const char * const query_keys[] = {
  "category", "q", "include_unavailable", "connector_key", "active", "integration_id",
  "account_id", "provider", "status", "success", "status_codes", "start_date", "end_date",
  "order_direction", NULL
};

char *
pb_replica_query_key (const PbQuery *query)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; query != NULL && query_keys[i] != NULL; i++)
    {
      const char *value = pb_query_get (query, query_keys[i]);
      g_autofree char *escaped = NULL;

      if (value == NULL)
        continue;
      escaped = g_uri_escape_string (value, NULL, TRUE);
      g_string_append_printf (key, "%s%s=%s", key->len > 0 ? "&" : "", query_keys[i], escaped);
    }
  return g_string_free (key, FALSE);
}

gboolean
pb_replica_save_page (PbReplica          *self,
                      PbReplicaPageKind   kind,
                      const char         *query_key,
                      guint               index,
                      PbPage             *page,
                      GError            **error)
{
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) prune = NULL;

  g_return_val_if_fail (PB_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (kind == PB_REPLICA_PAGE_ACCOUNTS || kind == PB_REPLICA_PAGE_LOGS, FALSE);
  g_return_val_if_fail (query_key != NULL, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  if (index >= PB_REPLICA_MAX_PAGES_PER_KEY)
    return TRUE;

  for (guint i = 0; i < page->items->len; i++)
    {
      gpointer item = g_ptr_array_index (page->items, i);
      JsonObject *object;

      if (kind == PB_REPLICA_PAGE_ACCOUNTS && PB_IS_LINKED_ACCOUNT (item))
        object = pb_linked_account_to_json (item);
      else if (kind == PB_REPLICA_PAGE_LOGS && PB_IS_LOG_ENTRY (item))
        object = pb_log_entry_to_json (item);
      else
        {
          g_set_error_literal (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_INVALID_INPUT,
                               _("A page holds items of the wrong kind."));
          return FALSE;
        }
      json_array_add_object_element (items, object);
    }
  node = json_node_init_array (json_node_alloc (), items);
  text = json_to_string (node, FALSE);

  if (!pb_replica_begin (self, error))
    return FALSE;

  if (index == 0)
    {
      g_autoptr(sqlite3_stmt) clear = NULL;

      clear = pb_replica_prepare (self, "DELETE FROM pages WHERE kind = ?1 AND query_key = ?2",
                                  error);
      if (clear == NULL)
        goto failed;
      sqlite3_bind_int (clear, 1, kind);
      pb_replica_bind_text (clear, 2, query_key);
      if (!pb_replica_step_done (self, clear, error))
        goto failed;
    }

  insert = pb_replica_prepare (self, "INSERT OR REPLACE INTO pages (kind, query_key, page_index,"
                                     " json, next, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               error);
  if (insert == NULL)
    goto failed;
  sqlite3_bind_int (insert, 1, kind);
  pb_replica_bind_text (insert, 2, query_key);
  sqlite3_bind_int64 (insert, 3, index);
  pb_replica_bind_text (insert, 4, text);
  pb_replica_bind_text (insert, 5, page->next);
  sqlite3_bind_int64 (insert, 6, g_get_real_time ());
  if (!pb_replica_step_done (self, insert, error))
    goto failed;

  /* Keep the most recently saved queries only. */
  prune = pb_replica_prepare (self,
                              "DELETE FROM pages WHERE kind = ?1 AND query_key NOT IN"
                              " (SELECT query_key FROM pages WHERE kind = ?1 GROUP BY query_key"
                              "  ORDER BY MAX (saved_at) DESC LIMIT ?2)", error);
  if (prune == NULL)
    goto failed;
  sqlite3_bind_int (prune, 1, kind);
  sqlite3_bind_int (prune, 2, PB_REPLICA_MAX_KEYS_PER_KIND);
  if (!pb_replica_step_done (self, prune, error))
    goto failed;

  return pb_replica_commit (self, error);

failed:
  pb_replica_rollback (self);
  return FALSE;
}

PbPage *
pb_replica_load_pages (PbReplica          *self,
                       PbReplicaPageKind   kind,
                       const char         *query_key,
                       guint              *out_n_pages,
                       GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(PbPage) page = NULL;
  guint n_pages = 0;
  int rc;

  g_return_val_if_fail (PB_IS_REPLICA (self), NULL);
  g_return_val_if_fail (query_key != NULL, NULL);

  if (out_n_pages != NULL)
    *out_n_pages = 0;

  stmt = pb_replica_prepare (self, "SELECT json, next, page_index FROM pages WHERE kind = ?1"
                                   " AND query_key = ?2 ORDER BY page_index", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, kind);
  pb_replica_bind_text (stmt, 2, query_key);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;
      JsonArray *array;

      /* Stop at a gap: the pages after it do not follow the ones before. */
      if (sqlite3_column_int64 (stmt, 2) != n_pages)
        break;

      if (!json_parser_load_from_data (parser, pb_replica_column_text (stmt, 0), -1, NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
        {
          g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE,
                       _("The local copy of the project at “%s” is damaged."), pb_replica_get_path (self));
          return NULL;
        }
      if (page == NULL)
        {
          page = g_new0 (PbPage, 1);
          page->items = g_ptr_array_new_with_free_func (g_object_unref);
        }
      array = json_node_get_array (root);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          gpointer item;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          if (kind == PB_REPLICA_PAGE_ACCOUNTS)
            item = pb_linked_account_new_from_json (json_node_get_object (element), error);
          else
            item = pb_log_entry_new_from_json (json_node_get_object (element), error);
          if (item == NULL)
            return NULL;
          g_ptr_array_add (page->items, item);
        }
      g_free (page->next);
      page->next = g_strdup (pb_replica_column_text (stmt, 1));
      n_pages++;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      pb_replica_set_db_error (self, error);
      return NULL;
    }

  if (out_n_pages != NULL)
    *out_n_pages = n_pages;
  return g_steal_pointer (&page);
}
