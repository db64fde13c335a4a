/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-seed.h"

#include <string.h>

#include "pb-rules.h"
#include "pb-server-credentials.h"
#include "pb-server-private.h"

#define DAY_MS (24 * 3600 * (gint64) 1000)

void
pb_seed_project_free (PbSeedProject *project)
{
  g_free (project->id);
  g_free (project->name);
  g_free (project->plan);
  g_free (project->admin_key);
  g_free (project->viewer_key);
  g_free (project);
}

typedef struct
{
  PbDb      *db;
  PbCatalog *catalog;
  PbCrypto  *crypto;
  GRand     *rand;
  gint64     now;
  const char *base_url;
} Seeder;

static char *
seeded_uuid (GRand *rand)
{
  guint8 b[16];
  guint i;

  for (i = 0; i < 16; i++)
    b[i] = g_rand_int_range (rand, 0, 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
                          b[11], b[12], b[13], b[14], b[15]);
}

static char *
seeded_hex (GRand *rand,
            guint  n)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_c (out, "0123456789abcdef"[g_rand_int_range (rand, 0, 16)]);
  return g_string_free (out, FALSE);
}

/* A plausible value for a field, so the seed works with whatever catalog is loaded. */
static char *
field_value (Seeder      *s,
             PbAuthField *field,
             const char  *provider)
{
  const char *def = pb_auth_field_get_default_value (field);
  const char * const *options = pb_auth_field_get_options (field);

  switch (pb_auth_field_get_kind (field))
    {
    case PB_FIELD_KIND_SECRET:
      {
        g_autofree char *hex = seeded_hex (s->rand, 28);
        return g_strconcat ("demo_", hex, NULL);
      }
    case PB_FIELD_KIND_SELECT:
      return g_strdup (options && options[0] ? options[0] : "default");
    case PB_FIELD_KIND_URL:
      return g_strdup_printf ("https://acme.%s.example.com", provider);
    case PB_FIELD_KIND_EMAIL:
      return g_strdup ("integrations@acme.example.com");
    case PB_FIELD_KIND_TEXT:
    default:
      if (def != NULL && *def != '\0')
        return g_strdup (def);
      {
        g_autofree char *hex = seeded_hex (s->rand, 6);
        return g_strconcat ("acme-", hex, NULL);
      }
    }
}

/* The integration's settings: the fields the admin enters with @app (client id and secret
 * only on its own OAuth app), and the values the platform generates. */
static gboolean
insert_integration (Seeder      *s,
                    const char  *project_id,
                    const char  *id,
                    const char  *name,
                    PbCatalogEntry *entry,
                    PbAuthType  *type,
                    PbOAuthApp   app,
                    gboolean     active,
                    gboolean     is_default,
                    gint64       created,
                    GError     **error)
{
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *config_text = NULL;
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  GListModel *fields = pb_auth_type_get_fields (type);
  PbDbStmt *stmt;
  guint i;

  for (i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      g_autofree char *value = NULL;

      if (!pb_auth_field_get_generated (field) && !pb_rules_field_is_entered (field, app))
        continue;
      /* Optional fields are filled in about half the integrations. */
      if (!pb_auth_field_get_required (field) && !pb_auth_field_get_generated (field)
          && g_rand_boolean (s->rand))
        continue;
      value = field_value (s, field, entry->provider);
      if (pb_auth_field_get_secret (field))
        {
          g_ptr_array_add (secrets, g_strdup (pb_auth_field_get_key (field)));
          g_ptr_array_add (secrets, g_steal_pointer (&value));
        }
      else
        json_object_set_string_member (config, pb_auth_field_get_key (field), value);
    }
  node = json_node_init_object (json_node_alloc (), config);
  config_text = json_to_string (node, FALSE);
  stmt = pb_db_stmt (s->db, "INSERT INTO integrations (id, project_id, name, connector_key,"
                            " auth_type_key, active, is_default, config, version, created_at,"
                            " updated_at, oauth_app) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)");
  pb_db_bind_text (stmt, 1, id);
  pb_db_bind_text (stmt, 2, project_id);
  pb_db_bind_text (stmt, 3, name ? name : pb_auth_type_get_label (type));
  pb_db_bind_text (stmt, 4, entry->provider);
  pb_db_bind_text (stmt, 5, pb_auth_type_get_key (type));
  pb_db_bind_int64 (stmt, 6, active);
  pb_db_bind_int64 (stmt, 7, is_default);
  pb_db_bind_text (stmt, 8, config_text);
  pb_db_bind_int64 (stmt, 9, created);
  pb_db_bind_int64 (stmt, 10, created);
  pb_db_bind_text (stmt, 11, pb_oauth_app_to_string (app));
  if (!pb_db_step_done (s->db, stmt, error))
    return FALSE;
  for (i = 0; i < secrets->len; i += 2)
    {
      const char *key = secrets->pdata[i], *value = secrets->pdata[i + 1];
      g_autofree char *aad = g_strconcat (id, "/", key, NULL);
      g_autoptr(GBytes) blob = pb_crypto_encrypt (s->crypto, aad, value, strlen (value));
      g_autofree char *hint = g_strconcat ("…", value + strlen (value) - 4, NULL);

      stmt = pb_db_stmt (s->db, "INSERT INTO secrets (integration_id, field, value, hint,"
                                " updated_at) VALUES (?, ?, ?, ?, ?)");
      pb_db_bind_text (stmt, 1, id);
      pb_db_bind_text (stmt, 2, key);
      pb_db_bind_blob (stmt, 3, g_bytes_get_data (blob, NULL),
                       g_bytes_get_size (blob));
      pb_db_bind_text (stmt, 4, hint);
      pb_db_bind_int64 (stmt, 5, created);
      if (!pb_db_step_done (s->db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static const char * const owners[] = {
  "Globex Ltd", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Foods", "Hooli Europe",
  "Pied Piper", "Soylent Nutrition", "Tyrell Robotics", "Cyberdyne Systems", "Wonka Confectionery",
  "Vandelay Industries", "Gringotts Finance", "Oscorp Labs", "Nakatomi Trading", "Duff Brewing",
  "Monarch Solutions", "Aperture Science", "Black Mesa", "Massive Dynamic", "Wernham Hogg",
  "Dunder Mifflin", "Prestige Worldwide", "Bluth Company", "Sterling Cooper", "Los Pollos Hermanos",
};

static const char * const error_reasons[][2] = {
  { "invalid_credentials", "The provider refused the stored credentials (401). Ask the owner to "
                           "link the account again." },
  { "insufficient_scopes", "The account lacks a permission the integration needs." },
  { "provider_unreachable", "The provider did not answer for over an hour." },
};

typedef struct
{
  char *id;
  char *provider;
  char *integration_id;
  char *service;
} SeedAccount;

static void
seed_account_free (gpointer data)
{
  SeedAccount *account = data;

  g_free (account->id);
  g_free (account->provider);
  g_free (account->integration_id);
  g_free (account->service);
  g_free (account);
}

/* What the end user entered when linking: a value for each account field of @type (NULL when
 * it has none). */
static JsonObject *
account_credentials (Seeder         *s,
                     PbCatalogEntry *entry,
                     PbAuthType     *type)
{
  GListModel *fields = pb_auth_type_get_account_fields (type);
  JsonObject *credentials;
  guint i;

  if (g_list_model_get_n_items (fields) == 0)
    return NULL;
  credentials = json_object_new ();
  for (i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      g_autofree char *value = field_value (s, field, entry->provider);

      json_object_set_string_member (credentials, pb_auth_field_get_key (field), value);
    }
  return credentials;
}

static gboolean
insert_accounts (Seeder         *s,
                 const char     *project_id,
                 const char     *integration_id,
                 PbCatalogEntry *entry,
                 PbAuthType     *type,
                 gboolean        active,
                 guint           n,
                 guint          *owner_index,
                 GPtrArray      *accounts,
                 GError        **error)
{
  guint i;

  for (i = 0; i < n; i++)
    {
      const char *owner = owners[*owner_index % G_N_ELEMENTS (owners)];
      g_autofree char *owner_id = g_strdup_printf ("cust_%04u", 1000 + *owner_index);
      g_autofree char *username = NULL;
      g_autofree char *label = g_strdup_printf ("%s – %s", entry->provider_name, owner);
      g_autofree char *hex = seeded_hex (s->rand, 20);
      g_autofree char *id = g_strconcat ("acc_", hex, NULL);
      g_autofree char *reasons = NULL;
      g_autofree char *stamp = NULL;
      g_autoptr(GBytes) sealed = NULL;
      g_autofree char *hints = NULL;
      JsonObject *credentials;
      const char *status = "active";
      gint64 created = s->now - g_rand_int_range (s->rand, 31, 200) * DAY_MS;
      gint64 updated = s->now - g_rand_int_range (s->rand, 0, 30) * DAY_MS;
      PbDbStmt *stmt;
      SeedAccount *account;
      char *p;

      username = g_ascii_strdown (owner, -1);
      for (p = username; *p; p++)
        if (*p == ' ')
          *p = '.';
      p = username;
      username = g_strdup_printf ("it@%s.example", p);
      g_free (p);
      stamp = pb_db_format_time (updated);
      (*owner_index)++;
      if (!active)
        {
          status = "inactive";
          reasons = g_strdup_printf ("[{\"code\":\"integration_disabled\",\"description\":\"The "
                                     "integration of this account is disabled, so API requests to "
                                     "this account are refused.\",\"timestamp\":\"%s\"}]", stamp);
        }
      else if (g_rand_int_range (s->rand, 0, 6) == 0)
        {
          guint r = g_rand_int_range (s->rand, 0, G_N_ELEMENTS (error_reasons));
          status = "error";
          reasons = g_strdup_printf ("[{\"code\":\"%s\",\"description\":\"%s\",\"timestamp\":\"%s\"}]",
                                     error_reasons[r][0], error_reasons[r][1], stamp);
        }
      else
        reasons = g_strdup ("[]");

      credentials = account_credentials (s, entry, type);
      if (credentials != NULL)
        {
          sealed = pb_credentials_seal (s->crypto, id, credentials);
          hints = pb_credentials_hints (credentials, created);
          pb_credentials_wipe (credentials);
        }
      stmt = pb_db_stmt (s->db, "INSERT INTO accounts (id, project_id, integration_id, provider,"
                                " origin_owner_id, origin_owner_name, origin_username, label,"
                                " status, status_reasons, created_at, updated_at, credentials,"
                                " credential_hints)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      pb_db_bind_text (stmt, 1, id);
      pb_db_bind_text (stmt, 2, project_id);
      pb_db_bind_text (stmt, 3, integration_id);
      pb_db_bind_text (stmt, 4, entry->provider);
      pb_db_bind_text (stmt, 5, owner_id);
      pb_db_bind_text (stmt, 6, owner);
      pb_db_bind_text (stmt, 7, username);
      pb_db_bind_text (stmt, 8, label);
      pb_db_bind_text (stmt, 9, status);
      pb_db_bind_text (stmt, 10, reasons);
      pb_db_bind_int64 (stmt, 11, created);
      pb_db_bind_int64 (stmt, 12, updated);
      if (sealed != NULL)
        pb_db_bind_blob (stmt, 13, g_bytes_get_data (sealed, NULL),
                       g_bytes_get_size (sealed));
      else
        pb_db_bind_null (stmt, 13);
      pb_db_bind_text (stmt, 14, hints ? hints : "{}");
      if (!pb_db_step_done (s->db, stmt, error))
        return FALSE;
      account = g_new0 (SeedAccount, 1);
      account->id = g_steal_pointer (&id);
      account->provider = g_strdup (entry->provider);
      account->integration_id = g_strdup (integration_id);
      account->service = g_strdup (entry->category);
      g_ptr_array_add (accounts, account);
    }
  return TRUE;
}

static const char *
resource_for (const char *service,
              guint       n)
{
  static const char * const hris[] = { "employees", "time_off", "companies", "locations" };
  static const char * const ats[] = { "candidates", "applications", "jobs", "interviews" };
  static const char * const crm[] = { "contacts", "accounts", "lists" };
  static const char * const other[] = { "users", "content", "courses", "tickets", "files" };

  if (g_str_equal (service, "hris"))
    return hris[n % G_N_ELEMENTS (hris)];
  if (g_str_equal (service, "ats"))
    return ats[n % G_N_ELEMENTS (ats)];
  if (g_str_equal (service, "crm"))
    return crm[n % G_N_ELEMENTS (crm)];
  return other[n % G_N_ELEMENTS (other)];
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
insert_logs (Seeder      *s,
             const char  *project_id,
             GPtrArray   *accounts,
             guint        n,
             GError     **error)
{
  static const guint statuses[] = { 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
                                    200, 200, 200, 201, 201, 204, 400, 401, 403, 404, 404, 422,
                                    429, 500, 502, 503 };
  static const char * const methods[] = { "GET", "GET", "GET", "GET", "GET", "POST", "PATCH",
                                          "DELETE" };
  g_autoptr(GArray) times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  guint i;

  /* Inserted in time order, so the time-ordered indexes grow at their end. */
  for (i = 0; i < n; i++)
    {
      gint64 when = s->now - (gint64) (g_rand_double (s->rand) * 30 * DAY_MS);
      g_array_append_val (times, when);
    }
  g_array_sort (times, compare_times);
  for (i = 0; i < n && accounts->len > 0; i++)
    {
      SeedAccount *account = accounts->pdata[g_rand_int_range (s->rand, 0, accounts->len)];
      const char *resource = resource_for (account->service, g_rand_int (s->rand));
      const char *method = methods[g_rand_int_range (s->rand, 0, G_N_ELEMENTS (methods))];
      guint status = statuses[g_rand_int_range (s->rand, 0, G_N_ELEMENTS (statuses))];
      gboolean proxy = g_rand_int_range (s->rand, 0, 8) == 0;
      g_autofree char *path = NULL;
      g_autofree char *url = NULL;
      gint64 when = g_array_index (times, gint64, i);
      gint64 duration = 40 + (gint64) (g_rand_double (s->rand) * g_rand_double (s->rand) * 2500);

      if (proxy)
        path = g_strdup_printf ("/unified/proxy/%s", resource);
      else
        path = g_strdup_printf ("/unified/%s/%s", account->service, resource);
      url = g_strdup_printf ("%s%s?page_size=50", s->base_url, path);
      if (!pb_server_insert_log (s->db, project_id, when, duration, method, path, url, status,
                                 account->provider, account->integration_id, account->id,
                                 account->service, resource, proxy ? "proxy" : "unified_api",
                                 error))
        return FALSE;
    }
  return TRUE;
}

/* Picks the wanted connector, or another of the same category that the plan offers. */
static PbCatalogEntry *
pick_connector (Seeder     *s,
                const char *wanted,
                const char *category,
                GHashTable *used)
{
  PbCatalogEntry *entry = pb_catalog_lookup (s->catalog, wanted);
  GPtrArray *all = pb_catalog_entries (s->catalog);
  guint i;

  if (entry != NULL && !g_hash_table_contains (used, entry->provider))
    return entry;
  for (i = 0; i < all->len; i++)
    {
      entry = all->pdata[i];
      if (g_str_equal (entry->category, category) && !g_hash_table_contains (used, entry->provider))
        return entry;
    }
  return NULL;
}

static PbAuthType *
pick_auth_type (PbCatalogEntry *entry,
                guint           index,
                gboolean        prefer_oauth)
{
  guint i;

  if (prefer_oauth)
    for (i = 0; i < entry->auth_types->len; i++)
      {
        PbAuthKind kind = pb_auth_type_get_kind (entry->auth_types->pdata[i]);
        if (kind == PB_AUTH_KIND_OAUTH2 || kind == PB_AUTH_KIND_OIDC)
          return entry->auth_types->pdata[i];
      }
  return entry->auth_types->pdata[index % entry->auth_types->len];
}

typedef struct
{
  const char *provider;
  const char *category;
  /* Per integration: names; a NULL name uses the auth type's label. */
  const char *names[3];
  guint       n;
  guint       disabled_mask;   /* bit i: integration i is disabled */
  guint       accounts[3];
  gboolean    oauth;
  gboolean    platform_app;    /* its OAuth integrations use the platform's app */
} Plan;

static const Plan acme_hr[] = {
  { "bamboohr", "hris", { "BambooHR – UK", "BambooHR – US", "BambooHR – Legacy" }, 3, 1 << 2,
    { 9, 0, 4 }, FALSE },
  { "workday", "hris", { "Workday ISU", "Workday OAuth (pilot)" }, 2, 0, { 6, 1 }, FALSE },
  { "hibob", "hris", { NULL }, 1, 0, { 5 }, FALSE },
  { "personio", "hris", { "Personio (paused)" }, 1, 1, { 3 }, FALSE },
  { "greenhouse", "ats", { NULL }, 1, 0, { 7 }, FALSE },
  { "lever", "ats", { NULL }, 1, 0, { 4 }, TRUE },
  { "teamtailor", "ats", { "Teamtailor – Public API", "Teamtailor – Partner API" }, 2, 0,
    { 3, 2 }, FALSE },
  { "ashby", "ats", { NULL }, 1, 0, { 0 }, FALSE },
  { "hubspot", "crm", { NULL }, 1, 0, { 5 }, TRUE, TRUE },
  { "salesforce", "crm", { "Salesforce (old sandbox)" }, 1, 1, { 2 }, TRUE },
  { "mailchimp", "marketing", { NULL }, 1, 0, { 2 }, FALSE },
  { "docebo", "lms", { NULL }, 1, 0, { 3 }, FALSE },
  { "zendesk", "ticketing", { NULL }, 1, 0, { 4 }, FALSE },
  { "googledrive", "documents", { NULL }, 1, 0, { 1 }, TRUE, TRUE },
};

static const Plan acme_sandbox[] = {
  { "bamboohr", "hris", { "BambooHR sandbox" }, 1, 0, { 2 }, FALSE },
  { "workday", "hris", { "Workday test tenant", "Workday OAuth test" }, 2, 1 << 1, { 1, 1 }, TRUE },
  { "greenhouse", "ats", { NULL }, 1, 0, { 1 }, FALSE },
  { "lever", "ats", { "Lever (disabled)" }, 1, 1, { 1 }, TRUE },
};

static gboolean
seed_project (Seeder        *s,
              PbSeedProject *project,
              const Plan    *plans,
              guint          n_plans,
              guint          n_logs,
              GError       **error)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (seed_account_free);
  guint i, j, owner_index = 0;

  for (i = 0; i < n_plans; i++)
    {
      const Plan *plan = &plans[i];
      PbCatalogEntry *entry = pick_connector (s, plan->provider, plan->category, used);

      if (entry == NULL || !pb_catalog_entry_available (entry, project->plan))
        continue;
      g_hash_table_add (used, entry->provider);
      for (j = 0; j < plan->n; j++)
        {
          g_autofree char *id = seeded_uuid (s->rand);
          PbAuthType *type = pick_auth_type (entry, j, plan->oauth || j == 1);
          PbOAuthApp app = pb_rules_default_oauth_app (type);
          gboolean active = (plan->disabled_mask & (1u << j)) == 0;
          gint64 created = s->now - (gint64) (60 + 10 * i + j) * DAY_MS;

          if (plan->platform_app && pb_auth_type_get_platform_oauth_app (type))
            app = PB_OAUTH_APP_PLATFORM;
          if (!insert_integration (s, project->id, id, plan->names[j], entry, type, app, active,
                                   j == 0, created, error)
              || !insert_accounts (s, project->id, id, entry, type, active, plan->accounts[j],
                                   &owner_index, accounts, error))
            return FALSE;
        }
    }
  return insert_logs (s, project->id, accounts, n_logs, error);
}

GPtrArray *
pb_seed_demo (PbDb        *db,
              PbCatalog   *catalog,
              PbCrypto    *crypto,
              const char  *base_url,
              GError     **error)
{
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_seed_project_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261128);
  Seeder s = { db, catalog, crypto, rand, pb_db_now_ms (), base_url };
  static const struct { const char *name, *plan; const Plan *plans; guint n_plans, n_logs; } specs[] = {
    { "Acme HR", "growth", acme_hr, G_N_ELEMENTS (acme_hr), 3000 },
    { "Acme Sandbox", "starter", acme_sandbox, G_N_ELEMENTS (acme_sandbox), 600 },
  };
  guint i;

  if (!pb_db_begin (db, error))
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      PbSeedProject *project = g_new0 (PbSeedProject, 1);

      g_ptr_array_add (projects, project);
      project->name = g_strdup (specs[i].name);
      project->plan = g_strdup (specs[i].plan);
      if ((project->id = pb_db_create_project (db, project->name, project->plan, "eu1", error)) == NULL
          || (project->admin_key = pb_db_create_key (db, project->id, "admin", error)) == NULL
          || (project->viewer_key = pb_db_create_key (db, project->id, "viewer", error)) == NULL
          || !seed_project (&s, project, specs[i].plans, specs[i].n_plans, specs[i].n_logs, error))
        {
          pb_db_rollback (db);
          return NULL;
        }
    }
  if (!pb_db_commit (db, error))
    {
      pb_db_rollback (db);
      return NULL;
    }
  return g_steal_pointer (&projects);
}

gboolean
pb_seed_bulk (PbDb        *db,
              PbCatalog   *catalog,
              PbCrypto    *crypto,
              const char  *project_id,
              const char  *plan,
              guint        n_integrations,
              guint        n_logs,
              GError     **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (seed_account_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Seeder s = { db, catalog, crypto, rand, pb_db_now_ms (), "http://127.0.0.1" };
  GPtrArray *all = pb_catalog_entries (catalog);
  guint i, owner_index = 0;

  for (i = 0; i < all->len; i++)
    if (pb_catalog_entry_available (all->pdata[i], plan))
      g_ptr_array_add (entries, all->pdata[i]);
  if (entries->len == 0)
    {
      g_set_error (error, PB_DB_ERROR, PB_DB_ERROR_INVALID, "The plan offers no connector");
      return FALSE;
    }
  if (!pb_db_begin (db, error))
    return FALSE;
  for (i = 0; i < n_integrations; i++)
    {
      PbCatalogEntry *entry = entries->pdata[i % entries->len];
      g_autofree char *id = seeded_uuid (rand);
      g_autofree char *name = g_strdup_printf ("%s #%u", entry->provider_name, i + 1);
      gboolean first = g_hash_table_add (seen, entry->provider);

      PbAuthType *type = pick_auth_type (entry, i, FALSE);

      if (!insert_integration (&s, project_id, id, name, entry, type,
                               pb_rules_default_oauth_app (type), i % 10 != 9, first,
                               s.now - (gint64) (n_integrations - i) * 1000, error)
          || (i % 20 == 0 && !insert_accounts (&s, project_id, id, entry, type, i % 10 != 9, 2,
                                               &owner_index, accounts, error)))
        {
          pb_db_rollback (db);
          return FALSE;
        }
    }
  if (!insert_logs (&s, project_id, accounts, n_logs, error) || !pb_db_commit (db, error))
    {
      pb_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}
