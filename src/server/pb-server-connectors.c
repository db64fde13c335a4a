/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <string.h>

#include "pb-server-private.h"

/* GET /project, GET /connectors and GET /connectors/{provider}. */

void
pb_server_handle_project (PbRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autofree char *name = NULL;
  g_autofree char *region = NULL;
  const char * const *cats;

  pb_db_get_project (req->db, req->project_id, &name, NULL, &region);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, req->project_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "region");
  json_builder_add_string_value (b, region);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, req->role);
  json_builder_set_member_name (b, "plan");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, req->plan);
  json_builder_set_member_name (b, "categories");
  json_builder_begin_array (b);
  for (cats = pb_db_plan_categories (req->plan); *cats; cats++)
    json_builder_add_string_value (b, *cats);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  pb_request_reply_json (req, 200, json_builder_get_root (b));
}

void
pb_server_handle_connectors (PbRequest *req)
{
  const char *category = g_hash_table_lookup (req->query, "category");
  const char *q = g_hash_table_lookup (req->query, "q");
  g_autofree char *q_folded = q ? g_utf8_casefold (q, -1) : NULL;
  g_autoptr(PbCatalogRenderer) renderer = NULL;
  GPtrArray *entries = pb_catalog_entries (req->catalog);
  GString *out;
  int include_unavailable;
  guint i, n = 0;

  const char *cursor;
  guint page_size;

  /* The catalog is one page, but page_size is checked like on every list. */
  if (!pb_request_page (req, &page_size, &cursor)
      || !pb_request_query_bool (req, "include_unavailable", &include_unavailable))
    return;
  if (category != NULL && !pb_catalog_is_category (category))
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      json_object_set_string_member (fields, "category", "This category is not known.");
      pb_request_reply_fields (req, fields);
      return;
    }
  /* Written from pieces made when the catalog was loaded; the same bytes json-glib would give
   * for {"data": [connector…], "next": null}. */
  renderer = pb_catalog_renderer_new (req->plan, req->public_url);
  out = g_string_sized_new (pb_catalog_json_size (req->catalog, req->public_url));
  g_string_append (out, "{\"data\":[");
  for (i = 0; i < entries->len; i++)
    {
      PbCatalogEntry *entry = entries->pdata[i];

      if (category != NULL && !g_strv_contains ((const char * const *) entry->categories, category))
        continue;
      if (include_unavailable == 0 && !pb_catalog_entry_available (entry, req->plan))
        continue;
      if (!pb_catalog_entry_matches (entry, q_folded))
        continue;
      if (n++ > 0)
        g_string_append_c (out, ',');
      pb_catalog_renderer_append (renderer, entry, out);
    }
  pb_request_reply_page (req, out, NULL);
}

/* The JSON of one connector shares objects of the catalog, and json-glib counts their
 * references without atomics: one worker thread at a time makes and frees it. */
static GMutex connector_json_lock;

void
pb_server_handle_connector (PbRequest  *req,
                            const char *provider)
{
  PbCatalogEntry *entry = pb_catalog_lookup (req->catalog, provider);
  g_autoptr(GMutexLocker) locker = NULL;

  if (entry == NULL)
    {
      pb_request_reply_error (req, 404, "not_found", NULL,
                              "There is no connector “%s” in the catalog.", provider);
      return;
    }
  locker = g_mutex_locker_new (&connector_json_lock);
  pb_request_reply_json (req, 200, pb_catalog_entry_to_json (entry, req->plan, req->public_url));
}
