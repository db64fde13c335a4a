/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-catalog.h"

#include <string.h>

#include "pb-category-table.h"
#include "pb-server-db.h"

struct _PbCatalog
{
  GHashTable *by_provider;  /* provider → PbCatalogEntry (owned) */
  GPtrArray  *sorted;
  gsize       json_size;    /* about the size of every connector's JSON, without callback URLs */
  guint       n_callbacks;  /* callback URLs in all of them */
};

const char *
pb_catalog_category_label (const char *category)
{
  const char *label = pb_category_api_label (category);

  return label != NULL ? label : category;
}

gboolean
pb_catalog_is_category (const char *category)
{
  return pb_category_api_label (category) != NULL;
}

static gsize make_template (PbCatalogEntry *entry,
                            guint          *out_callbacks);

static void
entry_free (gpointer data)
{
  PbCatalogEntry *entry = data;

  g_free (entry->provider);
  g_free (entry->provider_name);
  g_free (entry->category);
  g_strfreev (entry->categories);
  g_clear_pointer (&entry->json, json_object_unref);
  g_clear_pointer (&entry->auth_types, g_ptr_array_unref);
  g_free (entry->name_folded);
  g_free (entry->provider_quoted);
  g_free (entry->template_head);
  g_strfreev (entry->template_tail);
  g_free (entry);
}

void
pb_catalog_free (PbCatalog *catalog)
{
  if (catalog == NULL)
    return;
  g_clear_pointer (&catalog->sorted, g_ptr_array_unref);
  g_clear_pointer (&catalog->by_provider, g_hash_table_unref);
  g_free (catalog);
}

char *
pb_catalog_default_path (void)
{
  const char *env = g_getenv ("PLUGBOARD_CATALOG");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (g_file_test (PB_CATALOG_FILE, G_FILE_TEST_EXISTS))
    return g_strdup (PB_CATALOG_FILE);
  return g_strdup (PB_SOURCE_CATALOG_FILE);
}

static gboolean
is_key (const char *text)
{
  const char *p;

  if (text == NULL || *text == '\0' || strlen (text) > 64)
    return FALSE;
  for (p = text; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_' || *p == '-' || *p == '.'))
      return FALSE;
  return TRUE;
}

/* Returns the string member or NULL (and sets @problem) when missing/not a string. */
static const char *
get_string (JsonObject  *object,
            const char  *member,
            gboolean     nullable,
            char       **problem)
{
  JsonNode *node = json_object_get_member (object, member);

  if (*problem != NULL)
    return NULL;
  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && !nullable))
    *problem = g_strdup_printf ("“%s” is missing", member);
  else if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  else if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    *problem = g_strdup_printf ("“%s” must be a string", member);
  else
    return json_node_get_string (node);
  return NULL;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *member,
          char       **problem)
{
  JsonNode *node = json_object_get_member (object, member);

  if (*problem != NULL)
    return FALSE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      *problem = g_strdup_printf ("“%s” must be true or false", member);
      return FALSE;
    }
  return json_node_get_boolean (node);
}

static JsonArray *
get_array (JsonObject  *object,
           const char  *member,
           char       **problem)
{
  JsonNode *node = json_object_get_member (object, member);

  if (*problem != NULL)
    return NULL;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      *problem = g_strdup_printf ("“%s” must be a list", member);
      return NULL;
    }
  return json_node_get_array (node);
}

static char *
check_field (JsonObject *field,
             gboolean    account)
{
  char *problem = NULL;
  const char *key = get_string (field, "key", FALSE, &problem);
  const char *kind = get_string (field, "kind", FALSE, &problem);
  gboolean generated = FALSE;

  get_string (field, "label", FALSE, &problem);
  get_bool (field, "required", &problem);
  get_bool (field, "secret", &problem);
  if (json_object_has_member (field, "generated"))
    generated = get_bool (field, "generated", &problem);
  if (problem == NULL && !is_key (key))
    problem = g_strdup_printf ("the key “%s” is not lower-case letters, digits and _", key);
  if (problem == NULL && g_strv_contains ((const char * const[]) { "text", "secret", "url", "email",
                                                                   "select", NULL }, kind) == FALSE)
    problem = g_strdup_printf ("the kind “%s” is not text, secret, url, email or select", kind);
  if (problem == NULL && strcmp (kind, "select") == 0)
    {
      JsonArray *options = get_array (field, "options", &problem);
      if (problem == NULL && json_array_get_length (options) == 0)
        problem = g_strdup ("a select field needs options");
    }
  /* The platform makes these values and keeps them as the integration's secrets. */
  if (problem == NULL && generated && (account || strcmp (kind, "secret") != 0))
    problem = g_strdup ("a generated value must be a secret among the integration's fields");
  return problem;
}

/* Checks the list @name of @type's fields into @seen (key → the list's name). */
static char *
check_fields (JsonObject *type,
              const char *name,
              GHashTable *seen)
{
  char *problem = NULL;
  JsonArray *fields = get_array (type, name, &problem);
  guint i;

  for (i = 0; problem == NULL && i < json_array_get_length (fields); i++)
    {
      JsonNode *node = json_array_get_element (fields, i);
      JsonObject *field;
      g_autofree char *inner = NULL;
      const char *key;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return g_strdup_printf ("%s %u is not an object", name, i + 1);
      field = json_node_get_object (node);
      inner = check_field (field, g_str_equal (name, "account_fields"));
      if (inner != NULL)
        return g_strdup_printf ("%s %u: %s", name, i + 1, inner);
      key = json_object_get_string_member (field, "key");
      if (g_hash_table_contains (seen, key))
        return g_strdup_printf ("the field “%s” appears twice", key);
      g_hash_table_insert (seen, (gpointer) key, (gpointer) name);
    }
  return problem;
}

/* An https address (or http on the loopback, for a provider on this machine) whose {field}
 * places name fields of the type (the end user's or the integration's). */
static char *
check_endpoint (const char *member,
                const char *url,
                GHashTable *seen)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autoptr(GUri) uri = NULL;
  const char *p = url, *open, *close;

  while ((open = strchr (p, '{')) != NULL && (close = strchr (open, '}')) != NULL)
    {
      g_autofree char *key = g_strndup (open + 1, close - open - 1);

      if (!g_hash_table_contains (seen, key))
        return g_strdup_printf ("“%s” names “{%s}”, which is not a field of the type", member,
                                key);
      g_string_append_len (plain, p, open - p);
      /* A place at the start holds a whole address (a URL field). */
      g_string_append (plain, open == url ? "https://x" : "x");
      p = close + 1;
    }
  g_string_append (plain, p);
  uri = g_uri_parse (plain->str, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL
      || !(g_str_equal (g_uri_get_scheme (uri), "https")
           || (g_str_equal (g_uri_get_scheme (uri), "http")
               && (g_str_equal (g_uri_get_host (uri), "127.0.0.1")
                   || g_str_equal (g_uri_get_host (uri), "::1")
                   || g_str_equal (g_uri_get_host (uri), "localhost")))))
    return g_strdup_printf ("“%s” must be an https address (http only on the loopback)", member);
  return NULL;
}

/* authorize_url and token_url (both or neither), scopes and token_auth of OAuth types. */
static char *
check_oauth_endpoints (JsonObject *type,
                       gboolean    oauth,
                       GHashTable *seen)
{
  const char * const members[] = { "authorize_url", "token_url", "scopes", "token_auth", NULL };
  char *problem = NULL;
  const char *authorize, *token, *auth;

  if (!oauth)
    {
      for (guint i = 0; members[i] != NULL; i++)
        if (json_object_has_member (type, members[i]))
          return g_strdup_printf ("only oauth2 and oidc types say “%s”", members[i]);
      return NULL;
    }
  authorize = json_object_has_member (type, "authorize_url")
              ? get_string (type, "authorize_url", FALSE, &problem) : NULL;
  token = json_object_has_member (type, "token_url")
          ? get_string (type, "token_url", FALSE, &problem) : NULL;
  auth = json_object_has_member (type, "token_auth")
         ? get_string (type, "token_auth", FALSE, &problem) : NULL;
  if (problem != NULL)
    return problem;
  if ((authorize == NULL) != (token == NULL))
    return g_strdup ("“authorize_url” and “token_url” go together");
  if (authorize != NULL && (problem = check_endpoint ("authorize_url", authorize, seen)) != NULL)
    return problem;
  if (token != NULL && (problem = check_endpoint ("token_url", token, seen)) != NULL)
    return problem;
  if (auth != NULL && !g_str_equal (auth, "client_secret_post")
      && !g_str_equal (auth, "client_secret_basic"))
    return g_strdup ("“token_auth” must be client_secret_post or client_secret_basic");
  if (json_object_has_member (type, "scopes"))
    {
      JsonArray *scopes = get_array (type, "scopes", &problem);

      for (guint i = 0; problem == NULL && i < json_array_get_length (scopes); i++)
        {
          JsonNode *node = json_array_get_element (scopes, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
              || strchr (json_node_get_string (node), ' ') != NULL)
            problem = g_strdup_printf ("scopes entry %u must be one scope (a string without "
                                       "spaces)", i + 1);
        }
    }
  return problem;
}

static char *
check_auth_type (JsonObject *type)
{
  char *problem = NULL;
  const char *kind;
  gboolean oauth, platform_app = FALSE;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  get_string (type, "key", FALSE, &problem);
  get_string (type, "label", FALSE, &problem);
  kind = get_string (type, "type", FALSE, &problem);
  if (problem == NULL
      && !g_strv_contains ((const char * const[]) { "api_key", "basic", "oauth2", "oidc",
                                                    "custom", NULL }, kind))
    problem = g_strdup_printf ("the type “%s” is not api_key, basic, oauth2, oidc or custom", kind);
  if (problem != NULL)
    return problem;
  oauth = g_str_equal (kind, "oauth2") || g_str_equal (kind, "oidc");
  if (oauth)
    platform_app = get_bool (type, "platform_oauth_app", &problem);
  else if (json_object_has_member (type, "platform_oauth_app"))
    problem = g_strdup ("only oauth2 and oidc types say “platform_oauth_app”");
  if (problem == NULL)
    problem = check_fields (type, "fields", seen);
  if (problem == NULL)
    problem = check_fields (type, "account_fields", seen);
  if (problem == NULL)
    problem = check_oauth_endpoints (type, oauth, seen);
  /* The platform's app replaces the integration's client id and secret. */
  if (problem == NULL && platform_app
      && (g_strcmp0 (g_hash_table_lookup (seen, "client_id"), "fields") != 0
          || g_strcmp0 (g_hash_table_lookup (seen, "client_secret"), "fields") != 0))
    problem = g_strdup ("with “platform_oauth_app”, client_id and client_secret must be fields");
  return problem;
}

static char *
check_entry (JsonObject      *object,
             PbCatalogEntry  *entry)
{
  char *problem = NULL;
  const char *category;
  JsonArray *cats, *types;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint i;

  entry->provider_name = g_strdup (get_string (object, "provider_name", FALSE, &problem));
  category = get_string (object, "category", FALSE, &problem);
  get_string (object, "description", FALSE, &problem);
  get_string (object, "docs_url", FALSE, &problem);
  get_string (object, "logo_url", TRUE, &problem);
  cats = get_array (object, "categories", &problem);
  types = get_array (object, "auth_types", &problem);
  if (problem != NULL)
    return problem;
  if (!pb_catalog_is_category (category))
    return g_strdup_printf ("the category “%s” is not one of the known categories", category);
  entry->category = g_strdup (category);
  for (i = 0; i < json_array_get_length (cats); i++)
    {
      JsonNode *node = json_array_get_element (cats, i);
      const char *cat = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                        ? json_node_get_string (node) : NULL;
      if (!pb_catalog_is_category (cat))
        return g_strdup_printf ("categories entry %u is not one of the known categories", i + 1);
      g_strv_builder_add (builder, cat);
    }
  entry->categories = g_strv_builder_end (builder);
  if (!g_strv_contains ((const char * const *) entry->categories, category))
    return g_strdup_printf ("“categories” does not include its category “%s”", category);
  if (json_array_get_length (types) == 0)
    return g_strdup ("it offers no auth type");

  entry->auth_types = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 0; i < json_array_get_length (types); i++)
    {
      JsonNode *node = json_array_get_element (types, i);
      g_autofree char *inner = NULL;
      g_autoptr(GError) error = NULL;
      PbAuthType *type;
      const char *key;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return g_strdup_printf ("auth type %u is not an object", i + 1);
      inner = check_auth_type (json_node_get_object (node));
      if (inner != NULL)
        return g_strdup_printf ("auth type %u: %s", i + 1, inner);
      key = json_object_get_string_member (json_node_get_object (node), "key");
      if (!g_hash_table_add (seen, (gpointer) key))
        return g_strdup_printf ("the auth type “%s” appears twice", key);
      type = pb_auth_type_new_from_json (json_node_get_object (node), &error);
      if (type == NULL)
        return g_strdup_printf ("auth type “%s”: %s", key, error->message);
      g_ptr_array_add (entry->auth_types, type);
    }
  return NULL;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const PbCatalogEntry *ea = *(PbCatalogEntry * const *) a;
  const PbCatalogEntry *eb = *(PbCatalogEntry * const *) b;
  int cmp = g_ascii_strcasecmp (ea->provider_name, eb->provider_name);

  return cmp != 0 ? cmp : strcmp (ea->provider, eb->provider);
}

PbCatalog *
pb_catalog_load (const char  *path,
                 GError     **error)
{
  g_autoptr(PbCatalog) catalog = g_new0 (PbCatalog, 1);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *top;
  JsonArray *connectors;
  gint64 start = g_get_monotonic_time (), t0, templates_us = 0;
  guint i, n_callbacks;

  catalog->by_provider = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
  catalog->sorted = g_ptr_array_new ();

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Could not read the catalog “%s”: %s", path, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (top = json_node_get_object (root), "connectors")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (top, "connectors")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The catalog “%s” is not an object with a “connectors” list", path);
      return NULL;
    }
  if (json_object_get_int_member_with_default (top, "version", 0) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The catalog “%s” has an unsupported “version” (expected 1)", path);
      return NULL;
    }
  connectors = json_object_get_array_member (top, "connectors");
  for (i = 0; i < json_array_get_length (connectors); i++)
    {
      JsonNode *node = json_array_get_element (connectors, i);
      PbCatalogEntry *entry;
      g_autofree char *problem = NULL;
      const char *provider = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Catalog “%s”: connector %u is not an object", path, i + 1);
          return NULL;
        }
      provider = get_string (json_node_get_object (node), "provider", FALSE, &problem);
      if (problem == NULL && !is_key (provider))
        problem = g_strdup ("“provider” must be lower-case letters, digits and _");
      if (problem != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Catalog “%s”: connector %u: %s", path, i + 1, problem);
          return NULL;
        }
      if (g_hash_table_contains (catalog->by_provider, provider))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Catalog “%s”: the connector “%s” appears twice", path, provider);
          return NULL;
        }
      entry = g_new0 (PbCatalogEntry, 1);
      entry->provider = g_strdup (provider);
      entry->json = json_object_ref (json_node_get_object (node));
      g_hash_table_insert (catalog->by_provider, entry->provider, entry);
      problem = check_entry (entry->json, entry);
      if (problem != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Catalog “%s”: connector %u (“%s”): %s", path, i + 1, provider, problem);
          return NULL;
        }
      entry->name_folded = g_utf8_casefold (entry->provider_name, -1);
      t0 = g_get_monotonic_time ();
      /* Room for the availability and a comma, too. */
      catalog->json_size += make_template (entry, &n_callbacks) + 192;
      catalog->n_callbacks += n_callbacks;
      templates_us += g_get_monotonic_time () - t0;
      g_ptr_array_add (catalog->sorted, entry);
    }
  if (catalog->sorted->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The catalog “%s” lists no connectors", path);
      return NULL;
    }
  g_ptr_array_sort (catalog->sorted, compare_entries);
  g_debug ("Catalog “%s”: %u connectors in %.1f ms (templates %.1f ms)", path, catalog->sorted->len,
           (g_get_monotonic_time () - start) / 1000.0, templates_us / 1000.0);
  return g_steal_pointer (&catalog);
}

PbCatalogEntry *
pb_catalog_lookup (PbCatalog  *catalog,
                   const char *provider)
{
  return provider ? g_hash_table_lookup (catalog->by_provider, provider) : NULL;
}

GPtrArray *
pb_catalog_entries (PbCatalog *catalog)
{
  return catalog->sorted;
}

PbAuthType *
pb_catalog_entry_find_auth_type (PbCatalogEntry *entry,
                                 const char     *key)
{
  guint i;

  for (i = 0; i < entry->auth_types->len; i++)
    if (g_strcmp0 (pb_auth_type_get_key (entry->auth_types->pdata[i]), key) == 0)
      return entry->auth_types->pdata[i];
  return NULL;
}

gboolean
pb_catalog_category_in_plan (const char *category,
                             const char *plan)
{
  const char * const *cats = pb_db_plan_categories (plan);

  return cats != NULL && g_strv_contains (cats, category);
}

gboolean
pb_catalog_entry_available (PbCatalogEntry *entry,
                            const char     *plan)
{
  return pb_catalog_category_in_plan (entry->category, plan);
}

char *
pb_catalog_unavailable_reason (PbCatalogEntry *entry,
                               const char     *plan)
{
  g_autofree char *plan_label = g_strdup (plan);

  if (pb_catalog_entry_available (entry, plan))
    return NULL;
  plan_label[0] = g_ascii_toupper (plan_label[0]);
  return g_strdup_printf ("%s is not included in the %s plan. "
                          "Contact your support manager to add it.",
                          pb_catalog_category_label (entry->category), plan_label);
}


/* Builds the connector as GET /connectors/{provider} returns it. For a template (@plan NULL),
 * "available" holds AVAILABLE_MARK and "unavailable_reason" is left out, and each callback URL
 * is CALLBACK_MARK: the text json-glib writes for it is then cut at the marks (see
 * make_template), so that lists put together from the pieces are the same bytes. */
#define AVAILABLE_MARK "\001pb-available\001"
#define CALLBACK_MARK "\001pb-callback\001"

static JsonNode *
entry_build (PbCatalogEntry *entry,
             const char     *plan,
             const char     *public_base)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autofree char *reason = plan ? pb_catalog_unavailable_reason (entry, plan) : NULL;
  JsonArray *types = json_object_get_array_member (entry->json, "auth_types");
  guint i;
  char **c;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "provider");
  json_builder_add_string_value (b, entry->provider);
  json_builder_set_member_name (b, "provider_name");
  json_builder_add_string_value (b, entry->provider_name);
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, entry->category);
  json_builder_set_member_name (b, "categories");
  json_builder_begin_array (b);
  for (c = entry->categories; *c; c++)
    json_builder_add_string_value (b, *c);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, json_object_get_string_member (entry->json, "description"));
  json_builder_set_member_name (b, "docs_url");
  json_builder_add_string_value (b, json_object_get_string_member (entry->json, "docs_url"));
  json_builder_set_member_name (b, "logo_url");
  json_builder_add_value (b, json_node_copy (json_object_get_member (entry->json, "logo_url")));
  json_builder_set_member_name (b, "available");
  if (plan == NULL)
    json_builder_add_string_value (b, AVAILABLE_MARK);
  else
    {
      json_builder_add_boolean_value (b, reason == NULL);
      json_builder_set_member_name (b, "unavailable_reason");
      if (reason)
        json_builder_add_string_value (b, reason);
      else
        json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "auth_types");
  json_builder_begin_array (b);
  for (i = 0; i < json_array_get_length (types); i++)
    {
      JsonObject *type = json_array_get_object_element (types, i);
      const char *kind = json_object_get_string_member (type, "type");

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, json_object_get_string_member (type, "key"));
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, json_object_get_string_member (type, "label"));
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, kind);
      json_builder_set_member_name (b, "callback_url");
      if ((g_str_equal (kind, "oauth2") || g_str_equal (kind, "oidc")) && plan == NULL)
        json_builder_add_string_value (b, CALLBACK_MARK);
      else if (g_str_equal (kind, "oauth2") || g_str_equal (kind, "oidc"))
        {
          g_autofree char *url = g_strdup_printf ("%s/connect/oauth2/%s/callback",
                                                  public_base, entry->provider);
          json_builder_add_string_value (b, url);
        }
      else
        json_builder_add_null_value (b);
      if (g_str_equal (kind, "oauth2") || g_str_equal (kind, "oidc"))
        {
          json_builder_set_member_name (b, "platform_oauth_app");
          json_builder_add_boolean_value (b, json_object_get_boolean_member (type,
                                                                            "platform_oauth_app"));
        }
      json_builder_set_member_name (b, "fields");
      json_builder_add_value (b, json_node_copy (json_object_get_member (type, "fields")));
      json_builder_set_member_name (b, "account_fields");
      json_builder_add_value (b, json_node_copy (json_object_get_member (type,
                                                                         "account_fields")));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
pb_catalog_entry_to_json (PbCatalogEntry *entry,
                          const char     *plan,
                          const char     *public_base)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return entry_build (entry, plan, public_base);
}

/* @text as json-glib writes a JSON string, with or without its quotes. */
static char *
json_quote (const char *text,
            gboolean    keep_quotes)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  char *quoted = json_to_string (node, FALSE);
  gsize len = strlen (quoted);

  if (keep_quotes || len < 2)
    return quoted;
  memmove (quoted, quoted + 1, len - 2);
  quoted[len - 2] = '\0';
  return quoted;
}

/* Cuts the template text of @entry into template_head (up to and including "available":) and
 * template_tail (what follows "unavailable_reason", split where callback URLs go). Leaves both
 * NULL when the marks are not found exactly as expected; the entry is then built whole.
 * Returns the length of the text, and the number of its callback URLs. */
static gsize
make_template (PbCatalogEntry *entry,
               guint          *out_callbacks)
{
  g_autoptr(JsonNode) node = entry_build (entry, NULL, NULL);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autofree char *available_mark = json_quote (AVAILABLE_MARK, TRUE);
  g_autofree char *callback_mark = json_quote (CALLBACK_MARK, TRUE);
  g_autofree char *available_member = g_strconcat ("\"available\":", available_mark, ",", NULL);
  JsonArray *types = json_object_get_array_member (entry->json, "auth_types");
  g_auto(GStrv) tail = NULL;
  char *at = strstr (text, available_member);
  guint i, n_callbacks = 0;

  for (i = 0; i < json_array_get_length (types); i++)
    {
      const char *kind = json_object_get_string_member (json_array_get_object_element (types, i),
                                                        "type");
      n_callbacks += g_str_equal (kind, "oauth2") || g_str_equal (kind, "oidc");
    }
  *out_callbacks = n_callbacks;
  if (at == NULL || strstr (at + 1, available_member) != NULL
      || strstr (text, available_mark) != at + strlen ("\"available\":"))
    return strlen (text);
  tail = g_strsplit (at + strlen (available_member), callback_mark, -1);
  if (g_strv_length (tail) != n_callbacks + 1)
    return strlen (text);
  entry->template_head = g_strndup (text, at - text + strlen ("\"available\":"));
  entry->template_tail = g_steal_pointer (&tail);
  entry->provider_quoted = json_quote (entry->provider, FALSE);
  return strlen (text);
}

gsize
pb_catalog_json_size (PbCatalog  *catalog,
                      const char *public_base)
{
  /* A JSON escape is at most six bytes a byte. */
  return catalog->json_size + catalog->n_callbacks * (6 * strlen (public_base) + 64) + 64;
}

struct _PbCatalogRenderer
{
  char       *plan;
  char       *public_base;
  char       *callback_prefix;   /* "<public base>/connect/oauth2/ as JSON, NULL: build whole */
  char       *callback_suffix;   /* /callback" */
  GHashTable *unavailable;       /* category → "available":false… text; "" when available */
};

PbCatalogRenderer *
pb_catalog_renderer_new (const char *plan,
                         const char *public_base)
{
  PbCatalogRenderer *self = g_new0 (PbCatalogRenderer, 1);
  gsize i;

  self->plan = g_strdup (plan);
  self->public_base = g_strdup (public_base);
  self->unavailable = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  /* JSON escapes character by character, so the pieces of a valid UTF-8 URL can be escaped
   * apart; anything else is left to json-glib whole. */
  if (g_utf8_validate (public_base, -1, NULL))
    {
      g_autofree char *prefix = g_strconcat (public_base, "/connect/oauth2/", NULL);
      g_autofree char *escaped = json_quote (prefix, FALSE);
      g_autofree char *suffix = json_quote ("/callback", FALSE);

      self->callback_prefix = g_strconcat ("\"", escaped, NULL);
      self->callback_suffix = g_strconcat (suffix, "\"", NULL);
    }
  for (i = 0; pb_category_all_keys ()[i] != NULL; i++)
    {
      const char *key = pb_category_all_keys ()[i];
      PbCatalogEntry probe = { .category = (char *) key };
      g_autofree char *reason = pb_catalog_unavailable_reason (&probe, plan);
      g_autofree char *quoted = reason ? json_quote (reason, TRUE) : NULL;

      g_hash_table_insert (self->unavailable, (gpointer) key,
                           quoted ? g_strconcat ("false,\"unavailable_reason\":", quoted, ",", NULL)
                                  : g_strdup ("true,\"unavailable_reason\":null,"));
    }
  return self;
}

void
pb_catalog_renderer_free (PbCatalogRenderer *self)
{
  if (self == NULL)
    return;
  g_free (self->plan);
  g_free (self->public_base);
  g_free (self->callback_prefix);
  g_free (self->callback_suffix);
  g_clear_pointer (&self->unavailable, g_hash_table_unref);
  g_free (self);
}

void
pb_catalog_renderer_append (PbCatalogRenderer *self,
                            PbCatalogEntry    *entry,
                            GString           *out)
{
  const char *available = g_hash_table_lookup (self->unavailable, entry->category);
  char **piece;

  if (entry->template_head == NULL || available == NULL
      || (self->callback_prefix == NULL && entry->template_tail[1] != NULL))
    {
      g_autoptr(JsonNode) node = entry_build (entry, self->plan, self->public_base);
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
      return;
    }
  g_string_append (out, entry->template_head);
  g_string_append (out, available);
  g_string_append (out, entry->template_tail[0]);
  for (piece = entry->template_tail + 1; *piece; piece++)
    {
      g_string_append (out, self->callback_prefix);
      g_string_append (out, entry->provider_quoted);
      g_string_append (out, self->callback_suffix);
      g_string_append (out, *piece);
    }
}

gboolean
pb_catalog_entry_matches (PbCatalogEntry *entry,
                          const char     *q_folded)
{
  return q_folded == NULL || strstr (entry->name_folded, q_folded) != NULL
         || strstr (entry->provider, q_folded) != NULL;
}
