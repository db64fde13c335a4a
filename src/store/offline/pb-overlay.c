/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-overlay"

#include "config.h"

#include "pb-overlay.h"

#include <glib/gi18n-lib.h>

#include "pb-outbox-private.h"

/* One integration of the view. Untouched ones stay PbIntegration objects (no JSON made), so
 * that a view of thousands of integrations with a few queued changes stays cheap. */
typedef struct
{
  PbIntegration *original;   /* NULL for one created here */
  JsonObject *json;          /* made when first changed */
  gboolean removed;
} Item;

typedef struct
{
  GPtrArray *items;          /* Item, in order */
  GHashTable *by_id;         /* id → Item (not removed) */
} View;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_pointer (&item->json, json_object_unref);
  g_clear_object (&item->original);
  g_free (item);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
item_id (Item *item)
{
  return item->json != NULL ? get_string (item->json, "id")
                            : pb_integration_get_id (item->original);
}

static const char *
item_connector (Item *item)
{
  return item->json != NULL ? get_string (item->json, "connector_key")
                            : pb_integration_get_connector_key (item->original);
}

static gboolean
item_is_default (Item *item)
{
  return item->json != NULL
           ? json_object_get_boolean_member_with_default (item->json, "default", FALSE)
           : pb_integration_get_is_default (item->original);
}

/* The item's JSON, to change it. */
static JsonObject *
item_json (Item *item)
{
  if (item->json == NULL)
    item->json = pb_integration_to_json (item->original);
  return item->json;
}

static void
view_add (View *view,
          Item *item)
{
  g_ptr_array_add (view->items, item);
  g_hash_table_insert (view->by_id, g_strdup (item_id (item)), item);
}

static Item *
find_item (View       *view,
           const char *id)
{
  return id != NULL ? g_hash_table_lookup (view->by_id, id) : NULL;
}

static PbConnector *
find_connector (GPtrArray  *connectors,
                const char *key)
{
  for (guint i = 0; connectors != NULL && i < connectors->len; i++)
    {
      PbConnector *connector = g_ptr_array_index (connectors, i);

      if (g_strcmp0 (pb_connector_get_provider (connector), key) == 0)
        return connector;
    }
  return NULL;
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* Ensures @object has an object member @member and returns it. */
static JsonObject *
ensure_object (JsonObject *object,
               const char *member)
{
  JsonObject *inner = get_object (object, member);

  if (inner == NULL)
    {
      inner = json_object_new ();
      json_object_set_object_member (object, member, inner);
    }
  return inner;
}

static void
take_default (View       *view,
              const char *connector_key,
              const char *id)
{
  for (guint i = 0; i < view->items->len; i++)
    {
      Item *other = g_ptr_array_index (view->items, i);

      if (other->removed || g_strcmp0 (item_connector (other), connector_key) != 0 ||
          g_strcmp0 (item_id (other), id) == 0 || !item_is_default (other))
        continue;
      json_object_set_boolean_member (item_json (other), "default", FALSE);
    }
}

static guint
count_connector (View       *view,
                 const char *connector_key)
{
  guint n = 0;

  for (guint i = 0; i < view->items->len; i++)
    {
      Item *item = g_ptr_array_index (view->items, i);

      if (!item->removed && g_strcmp0 (item_connector (item), connector_key) == 0)
        n++;
    }
  return n;
}

static void
set_secret_state (JsonObject *secrets,
                  const char *field,
                  const char *when)
{
  JsonObject *state = json_object_new ();

  json_object_set_boolean_member (state, "set", TRUE);
  json_object_set_null_member (state, "hint");
  json_object_set_string_member (state, "updated_at", when);
  json_object_set_object_member (secrets, field, state);
}

static void
set_accounts_after_toggle (JsonObject *json,
                           gboolean    active)
{
  JsonObject *accounts = ensure_object (json, "linked_accounts");
  gint64 total = json_object_get_int_member_with_default (accounts, "total", 0);

  /* pb_rules_account_status_after_toggle(): every account follows the integration. */
  json_object_set_int_member (accounts, "active", active ? total : 0);
  json_object_set_int_member (accounts, "inactive", active ? 0 : total);
  json_object_set_int_member (accounts, "error", 0);
}

/* The OAuth app an integration of @type uses after @payload: the one the payload names, else
 * the integration's own choice while it stays on an OAuth type, else the type's default. */
static PbOAuthApp
oauth_app_after (JsonObject    *payload,
                 PbIntegration *integration,
                 PbAuthType    *type)
{
  PbOAuthApp app = PB_OAUTH_APP_NONE;
  PbOAuthApp fallback = pb_rules_default_oauth_app (type);

  if (pb_oauth_app_from_string (get_string (payload, "oauth_app"), &app))
    return app;
  if (json_object_has_member (payload, "oauth_app"))
    return PB_OAUTH_APP_NONE;
  if (integration != NULL && fallback != PB_OAUTH_APP_NONE
      && pb_integration_get_oauth_app (integration) != PB_OAUTH_APP_NONE)
    return pb_integration_get_oauth_app (integration);
  return fallback;
}

static void
apply_patch (View          *view,
             Item          *item,
             PbOutboxEntry *entry,
             GPtrArray     *connectors,
             const char    *when)
{
  JsonObject *json = item_json (item);
  JsonObject *payload = pb_outbox_entry_get_payload (entry);
  const char * const *secret_fields = pb_outbox_entry_get_secret_fields (entry);
  const char *name = get_string (payload, "name");
  const char *auth = get_string (payload, "authentication_config_key");
  JsonObject *config = get_object (payload, "config");
  JsonObject *secrets = get_object (payload, "secrets");
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (name != NULL)
    json_object_set_string_member (json, "name", name);
  if (json_object_has_member (payload, "oauth_app"))
    pb_json_set_string_or_null (json, "oauth_app", get_string (payload, "oauth_app"));

  if (auth != NULL)
    {
      PbConnector *connector = find_connector (connectors, get_string (json, "connector_key"));
      PbAuthType *type = connector != NULL ? pb_connector_find_auth_type (connector, auth) : NULL;

      json_object_set_string_member (json, "authentication_config_key", auth);
      if (type != NULL)
        {
          const char *members[] = { "config", "secrets" };

          json_object_set_string_member (json, "authentication_config_label",
                                         pb_auth_type_get_label (type));
          if (!json_object_has_member (payload, "oauth_app"))
            pb_json_set_string_or_null (json, "oauth_app",
                                        pb_oauth_app_to_string (pb_rules_default_oauth_app (type)));
          /* Fields the new type lacks are dropped (api.md). */
          for (guint m = 0; m < G_N_ELEMENTS (members); m++)
            {
              JsonObject *object = ensure_object (json, members[m]);
              GList *keys = json_object_get_members (object);

              for (GList *l = keys; l != NULL; l = l->next)
                if (pb_auth_type_find_field (type, l->data) == NULL)
                  json_object_remove_member (object, l->data);
              g_list_free (keys);
            }
        }
    }

  if (config != NULL)
    {
      JsonObject *target = ensure_object (json, "config");

      json_object_iter_init (&iter, config);
      while (json_object_iter_next (&iter, &key, &value))
        {
          if (JSON_NODE_HOLDS_NULL (value))
            json_object_remove_member (target, key);
          else
            json_object_set_member (target, key, json_node_copy (value));
        }
    }

  if (secrets != NULL)
    {
      JsonObject *target = ensure_object (json, "secrets");

      json_object_iter_init (&iter, secrets);
      while (json_object_iter_next (&iter, &key, &value))
        if (JSON_NODE_HOLDS_NULL (value))
          json_object_remove_member (target, key);
    }
  for (guint i = 0; secret_fields[i] != NULL; i++)
    set_secret_state (ensure_object (json, "secrets"), secret_fields[i], when);

  if (json_object_has_member (payload, "active"))
    {
      gboolean active = json_object_get_boolean_member_with_default (payload, "active", TRUE);

      json_object_set_boolean_member (json, "active", active);
      set_accounts_after_toggle (json, active);
    }

  if (json_object_get_boolean_member_with_default (payload, "default", FALSE))
    {
      json_object_set_boolean_member (json, "default", TRUE);
      take_default (view, get_string (json, "connector_key"), get_string (json, "id"));
    }

  json_object_set_string_member (json, "updated_at", when);
}

static JsonObject *
new_integration (View          *view,
                 PbOutboxEntry *entry,
                 GPtrArray     *connectors,
                 const char    *when)
{
  JsonObject *payload = pb_outbox_entry_get_payload (entry);
  const char *connector_key = get_string (payload, "connector_key");
  const char *auth = get_string (payload, "authentication_config_key");
  PbConnector *connector = find_connector (connectors, connector_key);
  PbAuthType *type = connector != NULL && auth != NULL
                       ? pb_connector_find_auth_type (connector, auth) : NULL;
  const char * const *secret_fields = pb_outbox_entry_get_secret_fields (entry);
  JsonObject *json = json_object_new ();
  JsonObject *config = json_object_new ();
  JsonObject *secrets = json_object_new ();
  JsonObject *accounts = json_object_new ();
  JsonObject *given = get_object (payload, "config");
  const char *name = get_string (payload, "name");
  gboolean is_default;

  if (given != NULL)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, given);
      while (json_object_iter_next (&iter, &key, &value))
        if (!JSON_NODE_HOLDS_NULL (value))
          json_object_set_member (config, key, json_node_copy (value));
    }
  for (guint i = 0; secret_fields[i] != NULL; i++)
    set_secret_state (secrets, secret_fields[i], when);

  is_default = pb_rules_default_on_create (count_connector (view, connector_key),
                                           json_object_get_boolean_member_with_default (
                                             payload, "default", FALSE));

  json_object_set_string_member (json, "id", pb_outbox_entry_get_integration_id (entry));
  /* The server names it after its auth type when no name is given. */
  if (name == NULL)
    name = type != NULL ? pb_auth_type_get_label (type) : auth;
  json_object_set_string_member (json, "name", name != NULL ? name : "");
  json_object_set_string_member (json, "connector_key", connector_key ? connector_key : "");
  json_object_set_string_member (json, "connector_label",
                                 connector != NULL ? pb_connector_get_provider_name (connector)
                                                   : connector_key);
  pb_json_set_strv (json, "categories",
                    connector != NULL ? pb_connector_get_categories (connector) : NULL);
  json_object_set_string_member (json, "authentication_config_key", auth ? auth : "");
  pb_json_set_string_or_null (json, "authentication_config_label",
                              type != NULL ? pb_auth_type_get_label (type) : NULL);
  json_object_set_boolean_member (json, "active", TRUE);
  json_object_set_boolean_member (json, "default", is_default);
  pb_json_set_string_or_null (json, "oauth_app",
                              type != NULL
                              ? pb_oauth_app_to_string (oauth_app_after (payload, NULL, type))
                              : get_string (payload, "oauth_app"));
  json_object_set_object_member (json, "config", config);
  json_object_set_object_member (json, "secrets", secrets);
  json_object_set_int_member (accounts, "total", 0);
  json_object_set_int_member (accounts, "active", 0);
  json_object_set_int_member (accounts, "inactive", 0);
  json_object_set_int_member (accounts, "error", 0);
  json_object_set_object_member (json, "linked_accounts", accounts);
  json_object_set_int_member (json, "version", 0);
  json_object_set_string_member (json, "created_at", when);
  json_object_set_string_member (json, "updated_at", when);

  if (is_default)
    take_default (view, connector_key, pb_outbox_entry_get_integration_id (entry));

  return json;
}

static void
apply_entry (View          *view,
             PbOutboxEntry *entry,
             GPtrArray     *connectors)
{
  const char *id = pb_outbox_entry_get_integration_id (entry);
  g_autofree char *when = g_date_time_format_iso8601 (pb_outbox_entry_get_created_at (entry));
  Item *item = find_item (view, id);

  switch (pb_outbox_entry_get_kind (entry))
    {
    case PB_OPERATION_CREATE:
      /* Already there: the server took it before the acknowledgement was written. */
      if (item == NULL)
        {
          Item *created = g_new0 (Item, 1);

          created->json = new_integration (view, entry, connectors, when);
          view_add (view, created);
        }
      break;

    case PB_OPERATION_DELETE:
      if (item != NULL)
        {
          item->removed = TRUE;
          g_hash_table_remove (view->by_id, id);
        }
      break;

    case PB_OPERATION_UPDATE:
    case PB_OPERATION_CHANGE_AUTH_TYPE:
    case PB_OPERATION_SET_CREDENTIALS:
    case PB_OPERATION_ENABLE:
    case PB_OPERATION_DISABLE:
    case PB_OPERATION_MAKE_DEFAULT:
      /* Gone on the server: the sync will report the refusal. */
      if (item != NULL)
        apply_patch (view, item, entry, connectors, when);
      break;

    case PB_OPERATION_SUSPEND_ACCOUNT:
    case PB_OPERATION_RESUME_ACCOUNT:
    case PB_OPERATION_DELETE_ACCOUNT:
      /* The integration stays as it is; its accounts' view follows the queue itself. */
      break;

    default:
      g_return_if_reached ();
    }
}

GPtrArray *
pb_overlay_apply (GPtrArray  *integrations,
                  GListModel *entries,
                  GPtrArray  *connectors)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (item_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  View view = { items, by_id };
  GPtrArray *result;
  guint n;

  g_return_val_if_fail (integrations != NULL, NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (entries), NULL);

  for (guint i = 0; i < integrations->len; i++)
    {
      Item *item = g_new0 (Item, 1);

      item->original = g_object_ref (g_ptr_array_index (integrations, i));
      view_add (&view, item);
    }

  n = g_list_model_get_n_items (entries);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbOutboxEntry) entry = g_list_model_get_item (entries, i);

      if (pb_outbox_entry_get_state (entry) != PB_OUTBOX_STATE_REFUSED)
        apply_entry (&view, entry, connectors);
    }

  result = g_ptr_array_new_full (items->len, g_object_unref);
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);
      g_autoptr(GError) error = NULL;
      PbIntegration *integration;

      if (item->removed)
        continue;
      if (item->json == NULL)
        {
          g_ptr_array_add (result, g_object_ref (item->original));
          continue;
        }
      integration = pb_integration_new_from_json (item->json, &error);
      if (integration == NULL)
        {
          /* Cannot happen with JSON built here; keep the admin's view whole regardless. */
          g_warning ("A queued change made an integration that cannot be shown: %s",
                     error->message);
          continue;
        }
      g_ptr_array_add (result, integration);
    }
  return result;
}

/* ---- checks --------------------------------------------------------------------------- */

static gboolean
fail_fields (GHashTable  *fields,
             GHashTable **out_field_errors,
             GError     **error)
{
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GString) names = g_string_new (NULL);

  if (g_hash_table_size (fields) == 1)
    {
      g_hash_table_iter_init (&iter, fields);
      g_hash_table_iter_next (&iter, &key, &value);
      g_set_error_literal (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE, value);
    }
  else
    {
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array (fields, NULL);

      g_qsort_with_data (keys, g_hash_table_size (fields), sizeof (gpointer),
                         (GCompareDataFunc) g_strcmp0, NULL);
      /* Each reason is a sentence that names its field: together they are the message. */
      for (guint i = 0; i < g_hash_table_size (fields); i++)
        g_string_append_printf (names, "%s%s", i > 0 ? " " : "",
                                (const char *) g_hash_table_lookup (fields, keys[i]));
      g_set_error_literal (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE, names->str);
    }

  if (out_field_errors != NULL)
    *out_field_errors = g_hash_table_ref (fields);
  return FALSE;
}

static PbIntegration *
find_integration (GPtrArray  *view,
                  const char *id)
{
  for (guint i = 0; i < view->len; i++)
    if (g_strcmp0 (pb_integration_get_id (g_ptr_array_index (view, i)), id) == 0)
      return g_ptr_array_index (view, i);
  return NULL;
}

static guint
count_view_connector (GPtrArray  *view,
                      const char *connector_key)
{
  guint n = 0;

  for (guint i = 0; i < view->len; i++)
    if (g_strcmp0 (pb_integration_get_connector_key (g_ptr_array_index (view, i)),
                   connector_key) == 0)
      n++;
  return n;
}

static GHashTable *
table_from_object (JsonObject *object,
                   GHashTable *base)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (base != NULL)
    {
      GHashTableIter it;
      gpointer k, v;

      g_hash_table_iter_init (&it, base);
      while (g_hash_table_iter_next (&it, &k, &v))
        g_hash_table_insert (table, g_strdup (k), g_strdup (v));
    }
  if (object != NULL)
    {
      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &key, &value))
        {
          if (JSON_NODE_HOLDS_NULL (value))
            g_hash_table_remove (table, key);
          else if (JSON_NODE_HOLDS_VALUE (value) &&
                   json_node_get_value_type (value) == G_TYPE_STRING)
            g_hash_table_insert (table, g_strdup (key), g_strdup (json_node_get_string (value)));
        }
    }
  return table;
}

/* Checks the values the integration will have after @entry on top of @integration (NULL for
 * a create) against @type. */
static gboolean
check_values (PbAuthType     *type,
              PbIntegration  *integration,
              PbOutboxEntry  *entry,
              GHashTable    **out_field_errors,
              GError        **error)
{
  JsonObject *payload = pb_outbox_entry_get_payload (entry);
  JsonObject *patch_secrets = get_object (payload, "secrets");
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(GHashTable) secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GStrvBuilder) set = g_strv_builder_new ();
  g_auto(GStrv) already_set = NULL;
  g_autoptr(GHashTable) field_errors = NULL;
  const char * const *secret_fields = pb_outbox_entry_get_secret_fields (entry);
  PbOAuthApp app = oauth_app_after (payload, integration, type);
  char *app_message = NULL;

  if (!pb_rules_validate_oauth_app (type, app, &app_message))
    {
      g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            g_free);

      g_hash_table_insert (fields, g_strdup (PB_RULES_CODE_OAUTH_APP), app_message);
      return fail_fields (fields, out_field_errors, error);
    }

  if (integration != NULL)
    {
      g_autoptr(GHashTable) kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
      GHashTableIter it;
      gpointer k, v;

      /* The server starts from what is stored, minus what the (new) type lacks and what the
   * OAuth app does not use. */
      g_hash_table_iter_init (&it, pb_integration_get_config (integration));
      while (g_hash_table_iter_next (&it, &k, &v))
        {
          PbAuthField *field = pb_auth_type_find_field (type, k);

          if (field != NULL && !pb_auth_field_get_secret (field)
              && pb_rules_field_is_entered (field, app))
            g_hash_table_insert (kept, g_strdup (k), g_strdup (v));
        }
      config = table_from_object (get_object (payload, "config"), kept);

      g_hash_table_iter_init (&it, pb_integration_get_secrets (integration));
      while (g_hash_table_iter_next (&it, &k, &v))
        {
          PbSecretState *state = v;
          PbAuthField *field = pb_auth_type_find_field (type, k);

          if (state->set && field != NULL && pb_auth_field_get_secret (field) &&
              pb_rules_field_is_entered (field, app) &&
              (patch_secrets == NULL || !json_object_has_member (patch_secrets, k)))
            g_strv_builder_add (set, k);
        }
    }
  else
    config = table_from_object (get_object (payload, "config"), NULL);

  if (patch_secrets != NULL)
    {
      GList *keys = json_object_get_members (patch_secrets);

      /* NULL value: "clear" for pb_rules_validate_values(). */
      for (GList *l = keys; l != NULL; l = l->next)
        g_hash_table_insert (secrets, g_strdup (l->data), NULL);
      g_list_free (keys);
    }
  for (guint i = 0; secret_fields[i] != NULL; i++)
    {
      g_hash_table_remove (secrets, secret_fields[i]);
      g_strv_builder_add (set, secret_fields[i]);
    }
  already_set = g_strv_builder_end (set);

  if (!pb_rules_validate_values (type, app, config, secrets, (const char * const *) already_set,
                                 &field_errors))
    return fail_fields (field_errors, out_field_errors, error);
  return TRUE;
}

gboolean
pb_overlay_check (GPtrArray      *view,
                  PbOutboxEntry  *entry,
                  GPtrArray      *connectors,
                  GHashTable    **out_field_errors,
                  GError        **error)
{
  JsonObject *payload;
  const char *id;
  const char *name;
  PbIntegration *integration;
  PbIntegrationFacts facts;
  g_autofree char *message = NULL;

  g_return_val_if_fail (view != NULL, FALSE);
  g_return_val_if_fail (PB_IS_OUTBOX_ENTRY (entry), FALSE);

  if (out_field_errors != NULL)
    *out_field_errors = NULL;

  payload = pb_outbox_entry_get_payload (entry);
  id = pb_outbox_entry_get_integration_id (entry);
  name = get_string (payload, "name");
  if (json_object_has_member (payload, "name") && !pb_rules_validate_name (name, &message))
    {
      g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            g_free);

      g_hash_table_insert (fields, g_strdup ("name"), g_steal_pointer (&message));
      return fail_fields (fields, out_field_errors, error);
    }

  integration = find_integration (view, id);

  if (pb_outbox_entry_get_kind (entry) == PB_OPERATION_CREATE)
    {
      const char *connector_key = get_string (payload, "connector_key");
      const char *auth = get_string (payload, "authentication_config_key");
      PbConnector *connector;
      PbAuthType *type;

      if (integration != NULL)
        return TRUE;   /* a repeated create: harmless */
      if (connectors == NULL)
        return TRUE;   /* nothing to check against */
      connector = find_connector (connectors, connector_key);
      if (connector == NULL)
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE,
                       _("There is no connector “%s” in the catalog."),
                       connector_key ? connector_key : "");
          return FALSE;
        }
      if (!pb_connector_get_available (connector))
        {
          const char *reason = pb_connector_get_unavailable_reason (connector);

          g_set_error_literal (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE,
                               reason != NULL ? reason
                                              : _("This connector is not in the project’s plan."));
          return FALSE;
        }
      type = auth != NULL ? pb_connector_find_auth_type (connector, auth) : NULL;
      if (type == NULL)
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE,
                       _("%s does not offer the auth type “%s”."),
                       pb_connector_get_provider_name (connector), auth ? auth : "");
          return FALSE;
        }
      return check_values (type, NULL, entry, out_field_errors, error);
    }

  if (integration == NULL)
    {
      g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE,
                   _("There is no integration with the id “%s” in this project."), id);
      return FALSE;
    }

  if (pb_operation_kind_is_account (pb_outbox_entry_get_kind (entry)))
    {
      /* As the server says it: an account of a disabled integration cannot be resumed. */
      if (pb_outbox_entry_get_kind (entry) == PB_OPERATION_RESUME_ACCOUNT &&
          !pb_integration_get_active (integration))
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE,
                       _("“%s” is disabled: enable it to resume its accounts."),
                       pb_integration_get_name (integration));
          return FALSE;
        }
      return TRUE;
    }

  pb_rules_facts_from_integration (&facts, integration,
                                   count_view_connector (view,
                                                         pb_integration_get_connector_key (
                                                           integration)));

  if (pb_outbox_entry_get_kind (entry) == PB_OPERATION_DELETE)
    {
      PbDeleteVerdict verdict = pb_rules_delete_verdict (&facts);

      if (verdict != PB_DELETE_ALLOWED)
        {
          message = pb_rules_delete_verdict_message (verdict, &facts);
          g_set_error_literal (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE, message);
          return FALSE;
        }
      return TRUE;
    }

  if (json_object_has_member (payload, "default") &&
      !json_object_get_boolean_member_with_default (payload, "default", TRUE) &&
      !pb_rules_can_unset_default (&facts, &message))
    {
      g_set_error_literal (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE,
                           message != NULL ? message : _("A connector always has a default "
                                                         "integration."));
      return FALSE;
    }

  if (connectors != NULL &&
      (get_object (payload, "config") != NULL || get_object (payload, "secrets") != NULL ||
       get_string (payload, "authentication_config_key") != NULL ||
       json_object_has_member (payload, "oauth_app") ||
       pb_outbox_entry_get_secret_fields (entry)[0] != NULL))
    {
      PbConnector *connector = find_connector (connectors,
                                               pb_integration_get_connector_key (integration));
      const char *auth = get_string (payload, "authentication_config_key");
      PbAuthType *type;

      if (connector == NULL)
        return TRUE;
      if (auth == NULL)
        auth = pb_integration_get_auth_type_key (integration);
      type = pb_connector_find_auth_type (connector, auth);
      if (type == NULL)
        {
          g_set_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE,
                       _("%s does not offer the auth type “%s”."),
                       pb_connector_get_provider_name (connector), auth);
          return FALSE;
        }
      return check_values (type, integration, entry, out_field_errors, error);
    }

  return TRUE;
}
