/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-offline"

#include "config.h"

#include <glib/gstdio.h>
#include <libglib-testing/signal-logger.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "offline-test-util.h"
#include "pb-test-server.h"
#include "pb-outbox-private.h"
#include "pb-operation.h"

/*
 * The offline layer against real parts: SQLite files in a temporary folder, a real
 * plugboard-server that the tests stop (SIGTERM), kill (SIGKILL) and start again on the same
 * database and port, the session's gnome-keyring for credential values, and a helper
 * process (offline-helper) that the tests kill with SIGKILL in the middle of its work.
 */

static char *test_dir;

/* ---- small helpers -------------------------------------------------------------------- */

/* offline-helper is built next to this test. */
static char *
helper_path (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;

  g_assert_nonnull (self);
  dir = g_path_get_dirname (self);
  return g_build_filename (dir, "offline-helper", NULL);
}

static char *
temp_path (const char *name)
{
  static guint counter;
  g_autofree char *unique = g_strdup_printf ("%u-%s", counter++, name);

  return g_build_filename (test_dir, unique, NULL);
}

static PbProject *
get_project (PbClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PbProject *project;

  pb_client_get_project_async (client, NULL, ot_store_cb, &result);
  ot_await (&result, 30);
  project = pb_client_get_project_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  return project;
}

static GPtrArray *
list_connectors (PbClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *connectors;

  pb_client_list_all_connectors_async (client, NULL, NULL, ot_store_cb, &result);
  ot_await (&result, 30);
  connectors = pb_client_list_all_connectors_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  return connectors;
}

static PbIntegration *
find_by_id (GPtrArray  *integrations,
            const char *id)
{
  for (guint i = 0; i < integrations->len; i++)
    if (g_str_equal (pb_integration_get_id (g_ptr_array_index (integrations, i)), id))
      return g_ptr_array_index (integrations, i);
  return NULL;
}

static guint
count_by_id (GPtrArray  *integrations,
             const char *id)
{
  guint n = 0;

  for (guint i = 0; i < integrations->len; i++)
    if (g_str_equal (pb_integration_get_id (g_ptr_array_index (integrations, i)), id))
      n++;
  return n;
}

static guint
count_connector (GPtrArray  *integrations,
                 const char *connector_key)
{
  guint n = 0;

  for (guint i = 0; i < integrations->len; i++)
    if (g_strcmp0 (pb_integration_get_connector_key (g_ptr_array_index (integrations, i)),
                   connector_key) == 0)
      n++;
  return n;
}

/* An integration that may be deleted (no accounts; alone or not the default). */
static PbIntegration *
find_deletable (GPtrArray     *integrations,
                PbIntegration *avoid)
{
  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (integrations, i);
      PbIntegrationFacts facts;

      if (avoid != NULL && g_str_equal (pb_integration_get_connector_key (integration),
                                        pb_integration_get_connector_key (avoid)))
        continue;
      pb_rules_facts_from_integration (&facts, integration,
                                       count_connector (integrations,
                                                        pb_integration_get_connector_key (
                                                          integration)));
      if (pb_rules_delete_verdict (&facts) == PB_DELETE_ALLOWED)
        return integration;
    }
  return NULL;
}

/* Integrations other than @avoid, to rename. */
static PbIntegration *
pick (GPtrArray     *integrations,
      guint          nth,
      PbIntegration *avoid)
{
  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (integrations, i);

      if (integration == avoid ||
          (avoid != NULL && g_str_equal (pb_integration_get_id (integration),
                                         pb_integration_get_id (avoid))))
        continue;
      if (nth-- == 0)
        return integration;
    }
  g_assert_not_reached ();
}

static PbOutboxEntry *
rename_entry (const char *id,
              gint64      base_version,
              const char *name)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "name", name);
  return pb_outbox_entry_new (PB_OUTBOX_UPDATE, id, base_version, payload, NULL);
}

static PbOutboxEntry *
simple_entry (PbOutboxKind kind,
              const char  *id,
              gint64       base_version)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  if (kind == PB_OUTBOX_ENABLE || kind == PB_OUTBOX_DISABLE)
    json_object_set_boolean_member (payload, "active", kind == PB_OUTBOX_ENABLE);
  else if (kind == PB_OUTBOX_MAKE_DEFAULT)
    json_object_set_boolean_member (payload, "default", TRUE);
  return pb_outbox_entry_new (kind, id, base_version, payload, NULL);
}

/* A BambooHR "API Key" create (its required fields: the secret api_key and subdomain). */
static PbOutboxEntry *
create_entry (const char *id,
              const char *name,
              gboolean    make_default)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  JsonObject *config = json_object_new ();
  const char *fields[] = { "api_key", NULL };

  json_object_set_string_member (config, "subdomain", "acme");
  json_object_set_string_member (payload, "id", id);
  json_object_set_string_member (payload, "connector_key", "bamboohr");
  json_object_set_string_member (payload, "authentication_config_key", "api_key");
  if (name != NULL)
    json_object_set_string_member (payload, "name", name);
  json_object_set_boolean_member (payload, "default", make_default);
  json_object_set_object_member (payload, "config", config);
  return pb_outbox_entry_new (PB_OUTBOX_CREATE, id, -1, payload, fields);
}

static gint64
append (PbOutbox      *outbox,
        PbOutboxEntry *entry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbOutboxEntry) owned = entry;
  gint64 seq = pb_outbox_append (outbox, owned, &error);

  g_assert_no_error (error);
  g_assert_cmpint (seq, >, 0);
  return seq;
}

static gboolean
run_sync (PbSync  *sync,
          GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pb_sync_run_async (sync, NULL, ot_store_cb, &result);
  ot_await (&result, 60);
  g_assert_nonnull (result);
  return pb_sync_run_finish (sync, result, error);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize n = strlen (needle);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  for (gsize i = 0; n <= length && i <= length - n; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The database and its WAL and shared-memory files. */
static gboolean
replica_files_contain (const char *db_path,
                       const char *needle)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);

      if (file_contains (path, needle))
        return TRUE;
    }
  return FALSE;
}

static char *
hint_tail (const char *value)
{
  return g_strdup (value + strlen (value) - 4);
}

static const char *
secret_hint (PbIntegration *integration,
             const char    *field)
{
  PbSecretState *state = g_hash_table_lookup (pb_integration_get_secrets (integration), field);

  g_assert_nonnull (state);
  g_assert_true (state->set);
  return state->hint;
}

typedef struct
{
  GArray *acked;      /* gint64 seqs in the order acknowledged */
  guint n_synced;
  guint n_conflicts;
  guint n_refused;
} Counter;

static void
on_acknowledged_cb (PbSync        *sync,
                    PbOutboxEntry *entry,
                    PbIntegration *answer,
                    gpointer       user_data)
{
  Counter *counter = user_data;
  gint64 seq = pb_outbox_entry_get_seq (entry);

  g_array_append_val (counter->acked, seq);
}

static void
on_synced_cb (PbSync   *sync,
              gpointer  user_data)
{
  ((Counter *) user_data)->n_synced++;
}

static void
on_conflict_cb (PbSync *sync, PbOutboxEntry *entry, JsonObject *theirs, gpointer user_data)
{
  ((Counter *) user_data)->n_conflicts++;
}

static void
on_refused_cb (PbSync *sync, PbOutboxEntry *entry, const char *message, gpointer user_data)
{
  ((Counter *) user_data)->n_refused++;
}

static Counter *
counter_new (PbSync *sync)
{
  Counter *counter = g_new0 (Counter, 1);

  counter->acked = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (sync, "acknowledged", G_CALLBACK (on_acknowledged_cb), counter);
  g_signal_connect (sync, "synced", G_CALLBACK (on_synced_cb), counter);
  g_signal_connect (sync, "conflict", G_CALLBACK (on_conflict_cb), counter);
  g_signal_connect (sync, "refused", G_CALLBACK (on_refused_cb), counter);
  return counter;
}

static void
counter_free (Counter *counter)
{
  g_array_unref (counter->acked);
  g_free (counter);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Counter, counter_free)

/* ---- replica -------------------------------------------------------------------------- */

static void
test_replica_snapshot (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbProject) project = NULL;
  g_autoptr(GPtrArray) connectors = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(PbReplica) replica = NULL;
  g_autoptr(PbProject) stored_project = NULL;
  g_autoptr(GPtrArray) stored_connectors = NULL;
  g_autoptr(GPtrArray) stored_integrations = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GDateTime) refreshed = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *expected_dir = g_build_filename (g_get_user_data_dir (), "plugboard", NULL);
  g_autofree char *slash_url = NULL;
  g_autofree char *other_path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  gint64 started;

  g_assert_no_error (error);
  client = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  project = get_project (client);
  connectors = list_connectors (client);
  integrations = ot_list_integrations (client);
  g_assert_cmpuint (integrations->len, >, 5);

  replica = pb_replica_open (ot_server_get_url (server), pb_project_get_id (project), &error);
  g_assert_no_error (error);

  /* Where it lives: a hashed name under $XDG_DATA_HOME/plugboard. */
  dir = g_path_get_dirname (pb_replica_get_path (replica));
  base = g_path_get_basename (pb_replica_get_path (replica));
  g_assert_cmpstr (dir, ==, expected_dir);
  g_assert_true (g_str_has_prefix (base, "replica-") && g_str_has_suffix (base, ".db"));
  slash_url = g_strconcat (ot_server_get_url (server), "/", NULL);
  other_path = pb_replica_path_for (slash_url, pb_project_get_id (project));
  g_assert_cmpstr (other_path, ==, pb_replica_get_path (replica));
  g_free (other_path);
  other_path = pb_replica_path_for (ot_server_get_url (server), "another-project");
  g_assert_cmpstr (other_path, !=, pb_replica_get_path (replica));

  /* Empty at first, without an error. */
  g_assert_null (pb_replica_get_last_refresh (replica));
  g_assert_null (pb_replica_load_project (replica, &error));
  g_assert_no_error (error);

  started = g_get_monotonic_time ();
  g_assert_true (pb_replica_save_snapshot (replica, project, connectors, integrations, &error));
  g_assert_no_error (error);
  g_test_message ("snapshot of %u connectors and %u integrations saved in %.1f ms",
                  connectors->len, integrations->len,
                  (g_get_monotonic_time () - started) / 1000.0);

  /* Read back by another connection, as after a restart. */
  g_clear_object (&replica);
  replica = pb_replica_open (ot_server_get_url (server), pb_project_get_id (project), &error);
  g_assert_no_error (error);

  refreshed = pb_replica_get_last_refresh (replica);
  g_assert_nonnull (refreshed);
  g_assert_cmpint (ABS (g_date_time_difference (now, refreshed)), <, 60 * G_USEC_PER_SEC);

  stored_project = pb_replica_load_project (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_project_get_id (stored_project), ==, pb_project_get_id (project));

  stored_connectors = pb_replica_load_connectors (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored_connectors->len, ==, connectors->len);
  for (guint i = 0; i < connectors->len; i++)
    g_assert_cmpstr (pb_connector_get_provider (g_ptr_array_index (stored_connectors, i)), ==,
                     pb_connector_get_provider (g_ptr_array_index (connectors, i)));

  stored_integrations = pb_replica_load_integrations (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored_integrations->len, ==, integrations->len);
  for (guint i = 0; i < integrations->len; i++)
    {
      g_autoptr(JsonObject) a = pb_integration_to_json (g_ptr_array_index (integrations, i));
      g_autoptr(JsonObject) b = pb_integration_to_json (g_ptr_array_index (stored_integrations,
                                                                           i));
      g_autofree char *ta = pb_json_object_to_string (a, FALSE);
      g_autofree char *tb = pb_json_object_to_string (b, FALSE);

      g_assert_cmpstr (ta, ==, tb);
    }

  /* The worker-thread variant writes the same, in one transaction too. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) fewer = g_ptr_array_new ();
    g_autoptr(GPtrArray) reloaded = NULL;
    g_autoptr(PbIntegration) bad = NULL;
    g_autoptr(JsonObject) json = pb_integration_to_json (g_ptr_array_index (integrations, 0));

    for (guint i = 0; i < 3; i++)
      g_ptr_array_add (fewer, g_ptr_array_index (integrations, i));
    pb_replica_save_snapshot_async (replica, NULL, NULL, fewer, NULL, ot_store_cb, &result);
    ot_await (&result, 30);
    g_assert_true (pb_replica_save_snapshot_finish (replica, result, &error));
    g_assert_no_error (error);
    reloaded = pb_replica_load_integrations (replica, &error);
    g_assert_cmpuint (reloaded->len, ==, 3);
    g_clear_object (&result);
    pb_replica_save_snapshot_async (replica, NULL, NULL, integrations, NULL, ot_store_cb,
                                    &result);
    ot_await (&result, 30);
    g_assert_true (pb_replica_save_snapshot_finish (replica, result, &error));
    g_clear_pointer (&reloaded, g_ptr_array_unref);
    reloaded = pb_replica_load_integrations (replica, &error);
    g_assert_cmpuint (reloaded->len, ==, integrations->len);
  }

  /* Category counts derived from what is stored. */
  counts = pb_replica_count_categories (replica, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
    GHashTableIter iter;
    gpointer key, value;

    for (guint i = 0; i < integrations->len; i++)
      {
        const char * const *categories =
          pb_integration_get_categories (g_ptr_array_index (integrations, i));
        g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

        for (guint j = 0; categories != NULL && categories[j] != NULL; j++)
          if (g_hash_table_add (seen, (gpointer) categories[j]))
            g_hash_table_insert (expected, (gpointer) categories[j],
                                 GUINT_TO_POINTER (GPOINTER_TO_UINT (
                                   g_hash_table_lookup (expected, categories[j])) + 1));
      }
    g_assert_cmpuint (g_hash_table_size (counts), ==, g_hash_table_size (expected));
    g_assert_cmpuint (g_hash_table_size (counts), >, 1);
    g_hash_table_iter_init (&iter, expected);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)), ==,
                        GPOINTER_TO_UINT (value));
  }

  /* Pages of accounts and logs per query. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(PbPage) first = NULL;
    g_autoptr(PbPage) second = NULL;
    g_autoptr(PbPage) logs = NULL;
    g_autoptr(PbPage) loaded = NULL;
    g_autoptr(PbQuery) query = pb_query_new ();
    g_autofree char *all_key = pb_replica_query_key (NULL);
    g_autofree char *filtered_key = NULL;
    guint n_pages = 0;

    pb_client_list_accounts_async (client, NULL, 3, NULL, NULL, ot_store_cb, &result);
    ot_await (&result, 30);
    first = pb_client_list_accounts_finish (client, result, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (first->next);
    g_clear_object (&result);
    pb_client_list_accounts_async (client, NULL, 3, first->next, NULL, ot_store_cb, &result);
    ot_await (&result, 30);
    second = pb_client_list_accounts_finish (client, result, NULL, &error);
    g_assert_no_error (error);
    g_clear_object (&result);

    g_assert_true (pb_replica_save_page (replica, PB_REPLICA_PAGE_ACCOUNTS, all_key, 0, first,
                                         &error));
    g_assert_true (pb_replica_save_page (replica, PB_REPLICA_PAGE_ACCOUNTS, all_key, 1, second,
                                         &error));
    g_assert_no_error (error);
    loaded = pb_replica_load_pages (replica, PB_REPLICA_PAGE_ACCOUNTS, all_key, &n_pages,
                                    &error);
    g_assert_no_error (error);
    g_assert_cmpuint (n_pages, ==, 2);
    g_assert_cmpuint (loaded->items->len, ==, first->items->len + second->items->len);
    g_assert_cmpstr (loaded->next, ==, second->next);
    g_assert_cmpstr (pb_linked_account_get_id (g_ptr_array_index (loaded->items, 3)), ==,
                     pb_linked_account_get_id (g_ptr_array_index (second->items, 0)));

    /* Another query has its own pages; a new first page forgets the later ones. */
    pb_query_set (query, "integration_id", pb_integration_get_id (g_ptr_array_index (integrations,
                                                                                      0)));
    pb_query_set (query, "status", "active");
    filtered_key = pb_replica_query_key (query);
    g_assert_cmpstr (filtered_key, !=, all_key);
    g_clear_pointer (&loaded, pb_page_free);
    loaded = pb_replica_load_pages (replica, PB_REPLICA_PAGE_ACCOUNTS, filtered_key, &n_pages,
                                    &error);
    g_assert_no_error (error);
    g_assert_null (loaded);
    g_assert_true (pb_replica_save_page (replica, PB_REPLICA_PAGE_ACCOUNTS, all_key, 0, first,
                                         &error));
    loaded = pb_replica_load_pages (replica, PB_REPLICA_PAGE_ACCOUNTS, all_key, &n_pages, &error);
    g_assert_cmpuint (n_pages, ==, 1);
    g_clear_pointer (&loaded, pb_page_free);

    pb_client_list_logs_async (client, NULL, 4, NULL, NULL, ot_store_cb, &result);
    ot_await (&result, 30);
    logs = pb_client_list_logs_finish (client, result, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (pb_replica_save_page (replica, PB_REPLICA_PAGE_LOGS, all_key, 0, logs,
                                         &error));
    loaded = pb_replica_load_pages (replica, PB_REPLICA_PAGE_LOGS, all_key, &n_pages, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (loaded->items->len, ==, logs->items->len);
    g_assert_cmpstr (pb_log_entry_get_request_id (g_ptr_array_index (loaded->items, 0)), ==,
                     pb_log_entry_get_request_id (g_ptr_array_index (logs->items, 0)));
  }
}

static char *
with_value (const char *template,
            const char *value)
{
  g_auto(GStrv) parts = g_strsplit (template, "@VALUE@", -1);

  return g_strjoinv (value, parts);
}

static void
test_replica_refuses_secret_values (void)
{
  g_autofree char *path = temp_path ("guard.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbReplica) replica = pb_replica_open_path (path, &error);
  g_autoptr(PbOutbox) outbox = NULL;
  const char *value = "s3cret-VALUE-never-on-disk-7f3a";
  const char *bad[] = {
    "{\"id\":\"x\",\"secrets\":{\"api_key\":\"@VALUE@\"}}",
    "{\"id\":\"x\",\"secrets\":{\"api_key\":{\"set\":true,\"value\":\"@VALUE@\"}}}",
    "{\"id\":\"x\",\"secrets\":{\"api_key\":{\"set\":\"@VALUE@\"}}}",
    "{\"id\":\"x\",\"secrets\":\"@VALUE@\"}",
  };
  g_autoptr(JsonObject) good = pb_json_object_from_string (
    "{\"id\":\"x\",\"secrets\":{\"api_key\":{\"set\":true,\"hint\":\"…1234\","
    "\"updated_at\":null}}}", -1, NULL);
  g_autoptr(JsonObject) payload = json_object_new ();
  JsonObject *secrets = json_object_new ();
  g_autoptr(PbOutboxEntry) entry = NULL;
  gint64 seq;

  g_assert_no_error (error);
  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);

  g_assert_true (pb_replica_check_no_secret_values (good, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = with_value (bad[i], value);
      g_autoptr(JsonObject) object = pb_json_object_from_string (text, -1, NULL);

      g_assert_nonnull (object);
      g_assert_false (pb_replica_check_no_secret_values (object, &error));
      g_assert_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_SECRET_VALUE);
      /* The message never repeats the value. */
      g_assert_null (strstr (error->message, value));
      g_clear_error (&error);
    }

  /* A queued change with a value in it is refused; only nulls (clear) may be there. */
  json_object_set_string_member (secrets, "api_key", value);
  json_object_set_object_member (payload, "secrets", secrets);
  entry = pb_outbox_entry_new (PB_OUTBOX_SET_CREDENTIALS, "x", 1, payload, NULL);
  g_assert_cmpint (pb_outbox_append (outbox, entry, &error), ==, 0);
  g_assert_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_SECRET_VALUE);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 0);

  /* A conflict whose server version holds a value is not written either. */
  seq = append (outbox, rename_entry ("x", 1, "n"));
  {
    g_autofree char *text = with_value (bad[0], value);
    g_autoptr(JsonObject) current = pb_json_object_from_string (text, -1, NULL);

    g_assert_false (pb_outbox_mark_conflict (outbox, seq, current, "changed", &error));
    g_assert_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_SECRET_VALUE);
    g_clear_error (&error);
  }
  g_assert_cmpint (pb_outbox_entry_get_state (pb_outbox_lookup (outbox, seq)), ==,
                   PB_OUTBOX_STATE_PENDING);

  g_clear_object (&outbox);
  g_clear_object (&replica);
  g_assert_false (replica_files_contain (path, value));
}

/* A process killed while it writes snapshot after snapshot leaves one whole snapshot. */
static void
test_replica_crash (void)
{
  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *path = temp_path ("crash.db");
      g_autofree char *helper = helper_path ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GDataInputStream) data = NULL;
      g_autofree char *line = NULL;
      g_autoptr(PbReplica) replica = NULL;
      g_autoptr(GPtrArray) integrations = NULL;
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;
      char prefix;

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, helper,
                                  "snapshot-loop", path, NULL);
      g_assert_no_error (error);
      data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
      line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "ready");
      g_usleep (g_random_int_range (20, 200) * 1000);
      g_subprocess_send_signal (process, SIGKILL);
      g_subprocess_wait (process, NULL, NULL);
      g_assert_true (g_subprocess_get_if_signaled (process));

      replica = pb_replica_open_path (path, &error);
      g_assert_no_error (error);
      integrations = pb_replica_load_integrations (replica, &error);
      g_assert_no_error (error);
      g_assert_true (integrations->len == 10 || integrations->len == 25);
      prefix = pb_integration_get_id (g_ptr_array_index (integrations, 0))[0];
      g_assert_cmpint (prefix, ==, integrations->len == 10 ? 'a' : 'b');
      for (guint i = 0; i < integrations->len; i++)
        g_assert_cmpint (pb_integration_get_id (g_ptr_array_index (integrations, i))[0], ==,
                         prefix);
      g_assert_nonnull (pb_replica_get_last_refresh (replica));

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                       SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
}

/* ---- outbox --------------------------------------------------------------------------- */

static void
assert_items_changed (GtSignalLogger *logger,
                      gpointer        model,
                      guint           position,
                      guint           removed,
                      guint           added)
{
  guint p = G_MAXUINT, r = G_MAXUINT, a = G_MAXUINT;

  gt_signal_logger_assert_emission_pop (logger, model, "items-changed", &p, &r, &a);
  g_assert_cmpuint (p, ==, position);
  g_assert_cmpuint (r, ==, removed);
  g_assert_cmpuint (a, ==, added);
}

static PbOutbox *
reopen_outbox (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbReplica) replica = pb_replica_open_path (path, &error);
  PbOutbox *outbox;

  g_assert_no_error (error);
  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);
  return outbox;
}

static PbOutboxEntry *
nth (PbOutbox *outbox,
     guint     n)
{
  g_autoptr(PbOutboxEntry) entry = g_list_model_get_item (G_LIST_MODEL (outbox), n);

  g_assert_nonnull (entry);
  return entry;   /* the outbox keeps a reference */
}

static void
test_outbox_durable (void)
{
  g_autofree char *path = temp_path ("outbox.db");
  g_autoptr(PbOutbox) outbox = reopen_outbox (path);
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *created = g_uuid_string_random ();
  g_autoptr(JsonObject) current = pb_json_object_from_string (
    "{\"id\":\"will-be-replaced\",\"name\":\"Theirs\",\"connector_key\":\"bamboohr\","
    "\"authentication_config_key\":\"api_key\",\"active\":true,\"default\":false,"
    "\"version\":5}", -1, NULL);
  g_autoptr(JsonObject) answer = NULL;
  gint64 seq[5];

  gt_signal_logger_connect (logger, outbox, "items-changed");

  seq[0] = append (outbox, create_entry (created, "New", FALSE));
  seq[1] = append (outbox, rename_entry (created, 0, "n1"));
  seq[2] = append (outbox, simple_entry (PB_OUTBOX_DISABLE, "other", 3));
  seq[3] = append (outbox, rename_entry (created, 0, "n2"));
  seq[4] = append (outbox, simple_entry (PB_OUTBOX_DELETE, "gone", 1));
  for (guint i = 0; i < 5; i++)
    {
      assert_items_changed (logger, outbox, i, 0, 1);
      if (i > 0)
        g_assert_cmpint (seq[i], >, seq[i - 1]);
    }
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpuint (pb_outbox_count (outbox, PB_OUTBOX_STATE_PENDING), ==, 5);

  /* Quit and start again: the same queue, in the same order. */
  gt_signal_logger_free (g_steal_pointer (&logger));
  g_clear_object (&outbox);
  outbox = reopen_outbox (path);
  logger = gt_signal_logger_new ();
  gt_signal_logger_connect (logger, outbox, "items-changed");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (pb_outbox_entry_get_seq (nth (outbox, i)), ==, seq[i]);
  g_assert_cmpint (pb_outbox_entry_get_kind (nth (outbox, 0)), ==, PB_OUTBOX_CREATE);
  g_assert_cmpstr (pb_outbox_entry_get_integration_id (nth (outbox, 0)), ==, created);
  g_assert_cmpstr (pb_outbox_entry_get_secret_fields (nth (outbox, 0))[0], ==, "api_key");
  g_assert_null (pb_outbox_entry_get_secret_fields (nth (outbox, 0))[1]);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (pb_outbox_entry_get_payload (nth (outbox, 0)),
                                                    "config"), "subdomain"), ==, "acme");
  g_assert_cmpint (pb_outbox_entry_get_kind (nth (outbox, 2)), ==, PB_OUTBOX_DISABLE);
  g_assert_cmpint (pb_outbox_entry_get_base_version (nth (outbox, 2)), ==, 3);
  g_assert_cmpint (pb_outbox_entry_get_base_version (nth (outbox, 0)), ==, -1);
  {
    g_autofree char *description = pb_outbox_entry_describe (nth (outbox, 3));

    g_assert_cmpstr (description, ==, "Rename to “n2”");
  }

  /* The JSON of an entry is the store's PbOperation JSON. */
  {
    g_autoptr(JsonObject) json = pb_outbox_entry_to_json (nth (outbox, 0));
    g_autoptr(PbOutboxEntry) copy = pb_outbox_entry_new_from_json (json, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json, "kind"), ==, "create");
    g_assert_cmpstr (pb_outbox_entry_get_integration_id (copy), ==, created);
    g_assert_cmpint (pb_outbox_entry_get_seq (copy), ==, 0);
  }

  g_assert_cmpint (pb_outbox_entry_get_seq (pb_outbox_peek_sendable (outbox)), ==, seq[0]);

  /* A conflict pauses the create and whatever depends on it (same integration). */
  json_object_set_string_member (current, "id", created);
  g_assert_true (pb_outbox_mark_conflict (outbox, seq[0], current, "Someone changed it.",
                                          &error));
  g_assert_no_error (error);
  assert_items_changed (logger, outbox, 0, 1, 1);
  g_assert_cmpint (pb_outbox_entry_get_seq (pb_outbox_peek_sendable (outbox)), ==, seq[2]);

  /* A refusal is kept, with the server's sentence. */
  g_assert_true (pb_outbox_mark_refused (outbox, seq[2], "has_linked_accounts",
                                         "It has 2 linked accounts.", &error));
  assert_items_changed (logger, outbox, 2, 1, 1);
  g_assert_cmpint (pb_outbox_entry_get_seq (pb_outbox_peek_sendable (outbox)), ==, seq[4]);
  g_assert_cmpuint (pb_outbox_count (outbox, PB_OUTBOX_STATE_CONFLICT), ==, 1);
  g_assert_cmpuint (pb_outbox_count (outbox, PB_OUTBOX_STATE_REFUSED), ==, 1);
  g_assert_cmpuint (pb_outbox_count (outbox, PB_OUTBOX_STATE_PENDING), ==, 3);

  /* Both survive a restart. */
  gt_signal_logger_free (g_steal_pointer (&logger));
  g_clear_object (&outbox);
  outbox = reopen_outbox (path);
  logger = gt_signal_logger_new ();
  gt_signal_logger_connect (logger, outbox, "items-changed");
  g_assert_cmpint (pb_outbox_entry_get_state (nth (outbox, 0)), ==, PB_OUTBOX_STATE_CONFLICT);
  g_assert_cmpint (json_object_get_int_member (pb_outbox_entry_get_current (nth (outbox, 0)),
                                               "version"), ==, 5);
  g_assert_cmpint (pb_outbox_entry_get_state (nth (outbox, 2)), ==, PB_OUTBOX_STATE_REFUSED);
  g_assert_cmpstr (pb_outbox_entry_get_message (nth (outbox, 2)), ==,
                   "It has 2 linked accounts.");
  g_assert_cmpstr (pb_outbox_entry_get_code (nth (outbox, 2)), ==, "has_linked_accounts");

  /* Acknowledged: gone. */
  g_assert_true (pb_outbox_acknowledge (outbox, seq[4], NULL, &error));
  g_assert_no_error (error);
  assert_items_changed (logger, outbox, 4, 1, 0);

  /* Keep mine: rebased on the server's version, with the entries made on top of it. */
  g_assert_true (pb_outbox_rebase (outbox, seq[0], &error));
  g_assert_no_error (error);
  assert_items_changed (logger, outbox, 0, 1, 1);
  assert_items_changed (logger, outbox, 1, 1, 1);
  assert_items_changed (logger, outbox, 3, 1, 1);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpint (pb_outbox_entry_get_state (nth (outbox, 0)), ==, PB_OUTBOX_STATE_PENDING);
  g_assert_cmpint (pb_outbox_entry_get_base_version (nth (outbox, 0)), ==, 5);
  g_assert_cmpint (pb_outbox_entry_get_base_version (nth (outbox, 1)), ==, 5);
  g_assert_cmpint (pb_outbox_entry_get_base_version (nth (outbox, 3)), ==, 5);
  {
    g_autoptr(PbIntegration) stored = pb_replica_load_integration (pb_outbox_get_replica (outbox),
                                                                   created, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (pb_integration_get_name (stored), ==, "Theirs");
  }

  /* The server took the first one (answering version 6): the next ones follow it. */
  answer = pb_outbox_copy_object (current);
  json_object_set_int_member (answer, "version", 6);
  g_assert_true (pb_outbox_acknowledge (outbox, seq[0], answer, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_outbox_entry_get_base_version (pb_outbox_lookup (outbox, seq[1])), ==, 6);
  g_assert_cmpint (pb_outbox_entry_get_base_version (pb_outbox_lookup (outbox, seq[3])), ==, 6);
  g_assert_cmpint (pb_outbox_entry_get_base_version (pb_outbox_lookup (outbox, seq[2])), ==, 3);

  /* Dismissing the refused one. */
  g_assert_true (pb_outbox_drop (outbox, seq[2], &error));
  g_assert_no_error (error);
  g_assert_null (pb_outbox_lookup (outbox, seq[2]));
  g_assert_false (pb_outbox_drop (outbox, seq[2], &error));
  g_assert_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_object (&outbox);
  outbox = reopen_outbox (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 2);
  g_assert_cmpint (pb_outbox_entry_get_seq (nth (outbox, 0)), ==, seq[1]);
  g_assert_cmpint (pb_outbox_entry_get_base_version (nth (outbox, 1)), ==, 6);
}

static void
test_outbox_append_latency (void)
{
  g_autofree char *path = temp_path ("latency.db");
  g_autoptr(PbOutbox) outbox = reopen_outbox (path);
  const guint n = 100;
  gint64 started = g_get_monotonic_time ();
  double per_append_ms;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("name %u", i);

      append (outbox, rename_entry ("some-id", 1, name));
    }
  per_append_ms = (g_get_monotonic_time () - started) / 1000.0 / n;
  g_test_message ("outbox append (synchronous=FULL, one transaction each): %.2f ms",
                  per_append_ms);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, n);
  /* Durable, yet fast enough to run on the main thread when the admin saves. */
  g_assert_cmpfloat (per_append_ms, <, 50.0);
}

/* The store hands its PbOperation over as JSON; the outbox gives it back the same way. */
static void
test_outbox_operation_json (void)
{
  g_autoptr(JsonObject) config = json_object_new ();
  const char *fields[] = { "api_key", NULL };
  const char *cleared[] = { "old_token", NULL };
  g_autoptr(GPtrArray) operations = g_ptr_array_new_with_free_func (g_object_unref);

  json_object_set_string_member (config, "subdomain", "acme");
  g_ptr_array_add (operations, pb_operation_new_create ("bamboohr", "api_key", "N", TRUE, config,
                                                        fields));
  g_ptr_array_add (operations, pb_operation_new_update ("id-1", 4, "Renamed", config));
  g_ptr_array_add (operations, pb_operation_new_change_auth_type ("id-1", 4, "oauth2", config,
                                                                  fields));
  g_ptr_array_add (operations, pb_operation_new_set_credentials ("id-1", 4, fields, cleared));
  g_ptr_array_add (operations, pb_operation_new_simple (PB_OPERATION_ENABLE, "id-1", 4));
  g_ptr_array_add (operations, pb_operation_new_simple (PB_OPERATION_DISABLE, "id-1", 4));
  g_ptr_array_add (operations, pb_operation_new_simple (PB_OPERATION_MAKE_DEFAULT, "id-1", 4));
  g_ptr_array_add (operations, pb_operation_new_simple (PB_OPERATION_DELETE, "id-1", 4));

  for (guint i = 0; i < operations->len; i++)
    {
      PbOperation *operation = g_ptr_array_index (operations, i);
      g_autoptr(JsonObject) json = pb_operation_to_json (operation);
      g_autoptr(GError) error = NULL;
      g_autoptr(PbOutboxEntry) entry = pb_outbox_entry_new_from_json (json, &error);
      g_autoptr(JsonObject) back_json = NULL;
      g_autoptr(PbOperation) back = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (pb_outbox_entry_get_kind (entry), ==, pb_operation_get_kind (operation));
      g_assert_cmpstr (pb_outbox_kind_to_string (pb_outbox_entry_get_kind (entry)), ==,
                       pb_operation_kind_to_string (pb_operation_get_kind (operation)));
      g_assert_cmpstr (pb_outbox_entry_get_integration_id (entry), ==,
                       pb_operation_get_integration_id (operation));
      g_assert_cmpint (pb_outbox_entry_get_base_version (entry), ==,
                       pb_operation_get_base_version (operation));
      g_assert_cmpuint (g_strv_length ((char **) pb_outbox_entry_get_secret_fields (entry)), ==,
                        g_strv_length ((char **) pb_operation_get_secret_fields (operation)));

      back_json = pb_outbox_entry_to_json (entry);
      back = pb_operation_new_from_json (back_json, &error);
      g_assert_no_error (error);
      a = pb_json_object_to_string (pb_operation_get_payload (operation), FALSE);
      b = pb_json_object_to_string (pb_operation_get_payload (back), FALSE);
      if (!json_object_equal (pb_operation_get_payload (operation),
                              pb_operation_get_payload (back)))
        g_error ("The payload changed on the way: %s became %s", a, b);
    }
}

/* ---- overlay and offline rules -------------------------------------------------------- */

static PbOutbox *
temp_outbox (void)
{
  g_autofree char *path = temp_path ("overlay.db");

  return reopen_outbox (path);
}

static PbIntegration *
find_default_with_accounts (GPtrArray *integrations)
{
  for (guint i = 0; i < integrations->len; i++)
    {
      PbIntegration *integration = g_ptr_array_index (integrations, i);

      if (pb_integration_get_is_default (integration) &&
          pb_integration_get_accounts_total (integration) > 0 &&
          count_connector (integrations, pb_integration_get_connector_key (integration)) > 1)
        return integration;
    }
  g_assert_not_reached ();
}

static void
test_overlay_rules (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(GPtrArray) connectors = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) view = NULL;
  g_autoptr(PbOutbox) outbox = temp_outbox ();
  g_autofree char *created = g_uuid_string_random ();
  PbIntegration *busy, *sibling = NULL, *deletable, *x;
  PbIntegration *shown;
  g_autoptr(PbApiFailure) failure = NULL;

  g_assert_no_error (error);
  client = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  connectors = list_connectors (client);
  integrations = ot_list_integrations (client);

  /* Nothing queued: the very same objects. */
  view = pb_overlay_apply (integrations, G_LIST_MODEL (outbox), connectors);
  g_assert_cmpuint (view->len, ==, integrations->len);
  for (guint i = 0; i < view->len; i++)
    g_assert_true (g_ptr_array_index (view, i) == g_ptr_array_index (integrations, i));
  g_clear_pointer (&view, g_ptr_array_unref);

  busy = find_default_with_accounts (integrations);
  for (guint i = 0; i < integrations->len && sibling == NULL; i++)
    {
      PbIntegration *other = g_ptr_array_index (integrations, i);

      if (other != busy && g_str_equal (pb_integration_get_connector_key (other),
                                        pb_integration_get_connector_key (busy)))
        sibling = other;
    }
  g_assert_nonnull (sibling);

  /* The same sentence as the server for a delete it refuses. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(PbOutboxEntry) entry = simple_entry (PB_OUTBOX_DELETE,
                                                   pb_integration_get_id (busy),
                                                   pb_integration_get_version (busy));
    g_autoptr(GError) server_error = NULL;

    g_assert_false (pb_overlay_check (integrations, entry, connectors, NULL, &error));
    g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE);
    pb_client_delete_integration_async (client, pb_integration_get_id (busy), -1, NULL,
                                        ot_store_cb, &result);
    ot_await (&result, 30);
    g_assert_false (pb_client_delete_integration_finish (client, result, &failure,
                                                         &server_error));
    g_assert_error (server_error, PB_API_ERROR, PB_API_ERROR_CONFLICT);
    g_assert_cmpstr (error->message, ==, server_error->message);
    g_clear_error (&error);
    g_clear_pointer (&failure, pb_api_failure_free);
  }

  /* And for unsetting the default. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JsonObject) patch = json_object_new ();
    g_autoptr(PbOutboxEntry) entry = NULL;
    g_autoptr(GError) server_error = NULL;
    g_autoptr(PbIntegration) none = NULL;

    json_object_set_boolean_member (patch, "default", FALSE);
    entry = pb_outbox_entry_new (PB_OUTBOX_UPDATE, pb_integration_get_id (busy), -1, patch,
                                 NULL);
    g_assert_false (pb_overlay_check (integrations, entry, connectors, NULL, &error));
    g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE);
    pb_client_update_integration_async (client, pb_integration_get_id (busy), patch, -1, NULL,
                                        ot_store_cb, &result);
    ot_await (&result, 30);
    none = pb_client_update_integration_finish (client, result, NULL, &server_error);
    g_assert_null (none);
    g_assert_cmpstr (error->message, ==, server_error->message);
    g_clear_error (&error);
  }

  /* And for an unknown connector and for a missing required credential. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(PbOutboxEntry) entry = create_entry (created, NULL, FALSE);
    g_autoptr(JsonObject) body = pb_outbox_copy_object (pb_outbox_entry_get_payload (entry));
    g_autoptr(PbOutboxEntry) unknown = NULL;
    g_autoptr(PbOutboxEntry) incomplete = NULL;
    g_autoptr(GError) server_error = NULL;
    g_autoptr(PbIntegration) none = NULL;
    g_autoptr(GHashTable) field_errors = NULL;

    json_object_set_string_member (body, "connector_key", "no-such-connector");
    unknown = pb_outbox_entry_new (PB_OUTBOX_CREATE, created, -1, body, NULL);
    g_assert_false (pb_overlay_check (integrations, unknown, connectors, NULL, &error));
    pb_client_create_integration_async (client, body, NULL, ot_store_cb, &result);
    ot_await (&result, 30);
    none = pb_client_create_integration_finish (client, result, NULL, &server_error);
    g_assert_null (none);
    g_assert_cmpstr (error->message, ==, server_error->message);
    g_clear_error (&error);

    incomplete = pb_outbox_entry_new (PB_OUTBOX_CREATE, created, -1,
                                      pb_outbox_entry_get_payload (entry), NULL);
    g_assert_false (pb_overlay_check (integrations, incomplete, connectors, &field_errors,
                                      &error));
    g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE);
    g_assert_nonnull (field_errors);
    g_assert_true (g_hash_table_contains (field_errors, "api_key"));
    g_clear_error (&error);

    /* With its credential in the keyring (a secret field), the create is fine. */
    g_assert_true (pb_overlay_check (integrations, entry, connectors, NULL, &error));
    g_assert_no_error (error);
  }

  /* What the admin sees with changes queued. */
  deletable = find_deletable (integrations, sibling);
  g_assert_nonnull (deletable);
  x = busy;
  append (outbox, simple_entry (PB_OUTBOX_DISABLE, pb_integration_get_id (x),
                                pb_integration_get_version (x)));
  append (outbox, simple_entry (PB_OUTBOX_MAKE_DEFAULT, pb_integration_get_id (sibling),
                                pb_integration_get_version (sibling)));
  append (outbox, create_entry (created, NULL, FALSE));
  append (outbox, rename_entry (created, 0, "Made offline"));
  append (outbox, simple_entry (PB_OUTBOX_DELETE, pb_integration_get_id (deletable),
                                pb_integration_get_version (deletable)));
  {
    gint64 refused = append (outbox, rename_entry (pb_integration_get_id (sibling), 1,
                                                   "Refused name"));

    g_assert_true (pb_outbox_mark_refused (outbox, refused, "validation_failed", "No.", &error));
  }

  view = pb_overlay_apply (integrations, G_LIST_MODEL (outbox), connectors);
  g_assert_cmpuint (view->len, ==, integrations->len);   /* one added, one deleted */
  g_assert_null (find_by_id (view, pb_integration_get_id (deletable)));

  shown = find_by_id (view, pb_integration_get_id (x));
  g_assert_false (pb_integration_get_active (shown));
  g_assert_cmpuint (pb_integration_get_accounts_inactive (shown), ==,
                    pb_integration_get_accounts_total (x));
  g_assert_cmpuint (pb_integration_get_accounts_active (shown), ==, 0);
  g_assert_false (pb_integration_get_is_default (shown));   /* taken by make-default */

  shown = find_by_id (view, pb_integration_get_id (sibling));
  g_assert_true (pb_integration_get_is_default (shown));
  g_assert_cmpstr (pb_integration_get_name (shown), ==, pb_integration_get_name (sibling));

  shown = find_by_id (view, created);
  g_assert_nonnull (shown);
  g_assert_cmpstr (pb_integration_get_name (shown), ==, "Made offline");
  g_assert_cmpstr (pb_integration_get_connector_label (shown), ==, "BambooHR");
  g_assert_cmpstr (pb_integration_get_auth_type_label (shown), ==, "API Key");
  g_assert_true (g_strv_contains (pb_integration_get_categories (shown), "hris"));
  g_assert_cmpint (pb_integration_get_version (shown), ==, 0);
  g_assert_false (pb_integration_get_is_default (shown));
  g_assert_true (pb_integration_get_active (shown));
  g_assert_true (((PbSecretState *) g_hash_table_lookup (pb_integration_get_secrets (shown),
                                                         "api_key"))->set);
  g_assert_cmpstr (g_hash_table_lookup (pb_integration_get_config (shown), "subdomain"), ==,
                   "acme");

  /* The first of its connector is its default, whatever was asked. */
  {
    g_autoptr(PbOutbox) other = temp_outbox ();
    g_autoptr(GPtrArray) other_view = NULL;
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    append (other, create_entry (created, NULL, FALSE));
    other_view = pb_overlay_apply (none, G_LIST_MODEL (other), connectors);
    g_assert_cmpuint (other_view->len, ==, 1);
    g_assert_true (pb_integration_get_is_default (g_ptr_array_index (other_view, 0)));
    g_assert_cmpstr (pb_integration_get_name (g_ptr_array_index (other_view, 0)), ==, "API Key");
  }

  /* On top of that view, the offline rules see the new state: the sibling, now the default
   * with siblings, cannot be deleted (the sentence of pb-rules). */
  {
    g_autoptr(PbOutboxEntry) entry = simple_entry (PB_OUTBOX_DELETE,
                                                   pb_integration_get_id (sibling), 1);
    PbIntegrationFacts facts;
    g_autofree char *expected = NULL;

    pb_rules_facts_from_integration (&facts, find_by_id (view, pb_integration_get_id (sibling)),
                                     count_connector (view,
                                                      pb_integration_get_connector_key (sibling)));
    expected = pb_rules_delete_verdict_message (pb_rules_delete_verdict (&facts), &facts);
    g_assert_nonnull (expected);
    g_assert_false (pb_overlay_check (view, entry, connectors, NULL, &error));
    g_assert_cmpstr (error->message, ==, expected);
    g_clear_error (&error);
  }
}

/* ---- sync ----------------------------------------------------------------------------- */

static gboolean
synced_once_more (gpointer data)
{
  Counter *counter = data;

  return counter->n_synced > 0;
}

typedef struct
{
  PbSync *sync;
  PbSyncState state;
} StateWait;

static gboolean
state_reached (gpointer data)
{
  StateWait *wait = data;

  return pb_sync_get_state (wait->sync) == wait->state;
}

static void
restart_scenario (int      signum,
                  gboolean with_create)
{
  g_autofree char *db = temp_path ("server.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(PbReplica) replica = NULL;
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbSync) sync = NULL;
  g_autoptr(Counter) counter = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) view = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *created = g_uuid_string_random ();
  g_autofree char *first_value = g_strdup_printf ("first-%s", created);
  g_autofree char *second_value = g_strdup_printf ("second-%s", g_uuid_string_random ());
  g_autofree char *replica_path = NULL;
  g_autofree char *x_id = NULL;
  g_autofree char *y_id = NULL;
  PbIntegration *x, *y;
  gint64 x_version, y_version;
  guint n_queued;
  StateWait wait;
  const char *url;
  const char *project_id;

  g_assert_no_error (error);
  url = ot_server_get_url (server);
  project_id = ot_server_get_project_id (server);
  client = pb_client_new (url, ot_server_get_key (server));
  pb_client_set_timeout (client, 5);

  replica = pb_replica_open (url, project_id, &error);
  g_assert_no_error (error);
  replica_path = g_strdup (pb_replica_get_path (replica));
  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);
  sync = pb_sync_new (client, outbox);
  pb_sync_set_backoff (sync, 50, 400);
  ot_use_keyring_for_sync (sync, secrets, url, project_id);
  counter = counter_new (sync);

  /* Online: the first replay fills the replica. */
  pb_sync_start (sync);
  g_assert_true (ot_wait_until (synced_once_more, counter, 30));
  g_assert_true (pb_sync_get_reachable (sync));
  integrations = pb_replica_load_integrations (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (integrations->len, >, 5);
  x = pick (integrations, 0, NULL);
  y = pick (integrations, 1, x);
  x_id = g_strdup (pb_integration_get_id (x));
  y_id = g_strdup (pb_integration_get_id (y));
  x_version = pb_integration_get_version (x);
  y_version = pb_integration_get_version (y);
  g_assert_true (pb_integration_get_active (x));

  /* The backend goes away. */
  ot_server_stop (server, signum);

  append (outbox, rename_entry (x_id, x_version, "Offline one"));
  append (outbox, rename_entry (y_id, y_version, "Offline Y"));
  append (outbox, rename_entry (x_id, x_version, "Offline two"));
  append (outbox, simple_entry (PB_OUTBOX_DISABLE, x_id, x_version));
  if (with_create)
    {
      const char *fields[] = { "api_key", NULL };

      /* Credentials go to the keyring first, then the change is queued. */
      ot_store_secret (secrets, url, project_id, created, "api_key", first_value);
      append (outbox, create_entry (created, NULL, FALSE));
      append (outbox, rename_entry (created, 0, "Created offline"));
      ot_store_secret (secrets, url, project_id, created, "api_key", second_value);
      append (outbox, pb_outbox_entry_new (PB_OUTBOX_SET_CREDENTIALS, created, 0, NULL, fields));
    }
  n_queued = g_list_model_get_n_items (G_LIST_MODEL (outbox));

  /* Sync now: it finds the backend gone and says so. */
  pb_sync_now (sync);
  wait.sync = sync;
  wait.state = PB_SYNC_STATE_OFFLINE;
  g_assert_true (ot_wait_until (state_reached, &wait, 30));
  g_assert_false (pb_sync_get_reachable (sync));
  g_assert_nonnull (pb_sync_get_last_error (sync));
  g_assert_cmpuint (counter->acked->len, ==, 0);

  /* What the admin sees meanwhile. */
  view = pb_overlay_apply (integrations, G_LIST_MODEL (outbox), NULL);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (view, x_id)), ==, "Offline two");
  g_assert_false (pb_integration_get_active (find_by_id (view, x_id)));
  if (with_create)
    g_assert_cmpstr (pb_integration_get_name (find_by_id (view, created)), ==,
                     "Created offline");

  /* Quit while offline; start again: the queue is all there. */
  pb_sync_stop (sync);
  g_clear_object (&sync);
  g_clear_object (&outbox);
  g_clear_object (&replica);
  g_clear_pointer (&counter, counter_free);

  replica = pb_replica_open (url, project_id, &error);
  g_assert_no_error (error);
  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, n_queued);

  sync = pb_sync_new (client, outbox);
  pb_sync_set_backoff (sync, 50, 400);
  ot_use_keyring_for_sync (sync, secrets, url, project_id);
  counter = counter_new (sync);
  pb_sync_start (sync);
  wait.sync = sync;
  wait.state = PB_SYNC_STATE_OFFLINE;
  g_assert_true (ot_wait_until (state_reached, &wait, 30));

  /* The backend comes back on the same database and port: the probe finds it and the
   * queue goes by itself, in order. */
  g_assert_true (ot_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_true (ot_wait_until (synced_once_more, counter, 30));
  g_assert_cmpuint (counter->acked->len, ==, n_queued);
  for (guint i = 1; i < counter->acked->len; i++)
    g_assert_cmpint (g_array_index (counter->acked, gint64, i), >,
                     g_array_index (counter->acked, gint64, i - 1));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 0);
  g_assert_cmpuint (counter->n_conflicts + counter->n_refused, ==, 0);
  g_assert_true (pb_sync_get_reachable (sync));
  g_assert_cmpint (pb_sync_get_state (sync), ==, PB_SYNC_STATE_IDLE);

  /* The server has every change once, in order. */
  after = ot_list_integrations (client);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, x_id)), ==, "Offline two");
  g_assert_false (pb_integration_get_active (find_by_id (after, x_id)));
  g_assert_cmpint (pb_integration_get_version (find_by_id (after, x_id)), ==, x_version + 3);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, y_id)), ==, "Offline Y");
  g_assert_cmpint (pb_integration_get_version (find_by_id (after, y_id)), ==, y_version + 1);
  if (with_create)
    {
      PbIntegration *made = find_by_id (after, created);
      g_autofree char *tail = hint_tail (second_value);

      g_assert_cmpuint (count_by_id (after, created), ==, 1);
      g_assert_nonnull (made);
      g_assert_cmpstr (pb_integration_get_name (made), ==, "Created offline");
      g_assert_cmpint (pb_integration_get_version (made), ==, 3);
      g_assert_true (g_str_has_suffix (secret_hint (made, "api_key"), tail));
    }

  /* The replica followed (refreshed after the replay). */
  {
    g_autoptr(PbIntegration) stored = pb_replica_load_integration (replica, x_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (pb_integration_get_name (stored), ==, "Offline two");
    g_assert_cmpint (pb_integration_get_version (stored), ==, x_version + 3);
  }

  pb_sync_stop (sync);
  g_clear_object (&sync);
  g_clear_object (&outbox);
  g_clear_object (&replica);

  /* Never a credential value in the replica's files. */
  g_assert_false (replica_files_contain (replica_path, first_value));
  g_assert_false (replica_files_contain (replica_path, second_value));
  if (with_create)
    g_assert_true (replica_files_contain (replica_path, created));
}

static void
test_sync_server_restarted (void)
{
  restart_scenario (SIGTERM, TRUE);
}

static void
test_sync_server_killed (void)
{
  restart_scenario (SIGKILL, FALSE);
}

static GSubprocess *
spawn_helper (const char * const *args,
              const char         *key,
              GDataInputStream  **out_lines)
{
  g_autofree char *helper = helper_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strconcat (key, "\n", NULL);
  GSubprocess *process;

  g_ptr_array_add (argv, helper);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                               &error);
  g_assert_no_error (error);
  /* The key goes on stdin, never on the command line. */
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (process), line, strlen (line), NULL,
                             NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);
  *out_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  return process;
}

static void
test_sync_client_killed (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *path = temp_path ("client.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbSync) sync = NULL;
  g_autoptr(Counter) counter = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *created = g_uuid_string_random ();
  g_autofree char *value = g_strdup_printf ("value-%s", created);
  g_autofree char *x_id = NULL;
  g_autofree char *y_id = NULL;
  g_autofree char *d_id = NULL;
  gint64 x_version, y_version;
  const char *url;
  const char *project_id;
  guint seen_acks = 0;
  gint64 started;

  g_assert_no_error (error);
  url = ot_server_get_url (server);
  project_id = ot_server_get_project_id (server);
  client = pb_client_new (url, ot_server_get_key (server));

  outbox = reopen_outbox (path);
  sync = pb_sync_new (client, outbox);
  ot_use_keyring_for_sync (sync, secrets, url, project_id);
  counter = counter_new (sync);
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);
  integrations = pb_replica_load_integrations (pb_outbox_get_replica (outbox), &error);
  g_assert_no_error (error);
  d_id = g_strdup (pb_integration_get_id (find_deletable (integrations, NULL)));
  x_id = g_strdup (pb_integration_get_id (pick (integrations, 0,
                                                find_by_id (integrations, d_id))));
  y_id = g_strdup (pb_integration_get_id (pick (integrations, 1,
                                                find_by_id (integrations, d_id))));
  x_version = pb_integration_get_version (find_by_id (integrations, x_id));
  y_version = pb_integration_get_version (find_by_id (integrations, y_id));

  /* 1. The process dies after the server took three changes and before it wrote that down:
   *    a create (sent again: 200), an update (sent again: 412 holding it) and a delete
   *    (sent again: 404). None of them may be applied twice or reported as a conflict. */
  ot_store_secret (secrets, url, project_id, created, "api_key", value);
  append (outbox, create_entry (created, "Crash-proof", FALSE));
  append (outbox, rename_entry (x_id, x_version, "k1"));
  append (outbox, simple_entry (PB_OUTBOX_DELETE, d_id,
                                pb_integration_get_version (find_by_id (integrations, d_id))));
  append (outbox, rename_entry (x_id, x_version, "k2"));
  append (outbox, rename_entry (created, 0, "c1"));
  append (outbox, rename_entry (y_id, y_version, "y1"));
  {
    const char *args[] = { "send-then-die", path, url, project_id, "3", NULL };
    g_autoptr(GDataInputStream) lines = NULL;
    g_autoptr(GSubprocess) helper = spawn_helper (args, ot_server_get_key (server), &lines);

    g_subprocess_wait (helper, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_signaled (helper));
    g_assert_cmpint (g_subprocess_get_term_sig (helper), ==, SIGKILL);
    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

        g_assert_nonnull (line);
        g_assert_true (g_str_has_prefix (line, "sent "));
      }
  }
  g_clear_object (&sync);
  g_clear_object (&outbox);
  g_clear_pointer (&counter, counter_free);
  outbox = reopen_outbox (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 6);
  sync = pb_sync_new (client, outbox);
  ot_use_keyring_for_sync (sync, secrets, url, project_id);
  counter = counter_new (sync);
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counter->acked->len, ==, 6);
  g_assert_cmpuint (counter->n_conflicts + counter->n_refused, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 0);

  after = ot_list_integrations (client);
  g_assert_cmpuint (count_by_id (after, created), ==, 1);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, created)), ==, "c1");
  g_assert_cmpint (pb_integration_get_version (find_by_id (after, created)), ==, 2);
  g_assert_null (find_by_id (after, d_id));
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, x_id)), ==, "k2");
  g_assert_cmpint (pb_integration_get_version (find_by_id (after, x_id)), ==, x_version + 2);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, y_id)), ==, "y1");
  x_version += 2;
  y_version += 1;

  /* 2. Killed at a random point of a long replay: what is left goes once, in order. */
  for (guint i = 1; i <= 12; i++)
    {
      g_autofree char *x_name = g_strdup_printf ("r%u", i);
      g_autofree char *y_name = g_strdup_printf ("s%u", i);

      append (outbox, rename_entry (x_id, x_version, x_name));
      append (outbox, rename_entry (y_id, y_version, y_name));
    }
  g_clear_object (&sync);
  g_clear_object (&outbox);
  g_clear_pointer (&counter, counter_free);
  {
    const char *args[] = { "sync", path, url, project_id, NULL };
    g_autoptr(GDataInputStream) lines = NULL;
    g_autoptr(GSubprocess) helper = spawn_helper (args, ot_server_get_key (server), &lines);
    guint kill_after = g_random_int_range (2, 10);

    while (seen_acks < kill_after)
      {
        g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

        g_assert_no_error (error);
        g_assert_nonnull (line);
        g_assert_true (g_str_has_prefix (line, "ack "));
        seen_acks++;
      }
    g_subprocess_send_signal (helper, SIGKILL);
    g_subprocess_wait (helper, NULL, NULL);
    g_assert_true (g_subprocess_get_if_signaled (helper));
  }

  outbox = reopen_outbox (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), <=, 24 - seen_acks);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), >, 0);
  sync = pb_sync_new (client, outbox);
  ot_use_keyring_for_sync (sync, secrets, url, project_id);
  counter = counter_new (sync);
  {
    guint left = g_list_model_get_n_items (G_LIST_MODEL (outbox));

    started = g_get_monotonic_time ();
    g_assert_true (run_sync (sync, &error));
    g_assert_no_error (error);
    g_test_message ("replayed %u changes (and refreshed) in %.0f ms: %.0f changes/s", left,
                    (g_get_monotonic_time () - started) / 1000.0,
                    left / ((g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC));
    g_assert_cmpuint (counter->acked->len, ==, left);
  }
  g_assert_cmpuint (counter->n_conflicts + counter->n_refused, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 0);

  g_clear_pointer (&after, g_ptr_array_unref);
  after = ot_list_integrations (client);
  /* Twelve changes each, each applied once: exactly twelve versions more. */
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, x_id)), ==, "r12");
  g_assert_cmpint (pb_integration_get_version (find_by_id (after, x_id)), ==, x_version + 12);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, y_id)), ==, "s12");
  g_assert_cmpint (pb_integration_get_version (find_by_id (after, y_id)), ==, y_version + 12);

  g_clear_object (&sync);
  g_clear_object (&outbox);
  g_assert_false (replica_files_contain (path, value));
}

typedef enum
{
  RESOLVE_KEEP_MINE,
  RESOLVE_KEEP_THEIRS,
  RESOLVE_EDIT,
} Resolution;

static void
conflict_scenario (Resolution resolution)
{
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *path = temp_path ("conflict.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbClient) second = NULL;
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbSync) sync = NULL;
  g_autoptr(Counter) counter = NULL;
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(PbIntegration) theirs_answer = NULL;
  g_autoptr(PbOutboxEntry) conflicted = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autofree char *x_id = NULL;
  g_autofree char *y_id = NULL;
  gint64 x_version, y_version, mine, dependent;
  const char *expected_name = NULL;

  g_assert_no_error (error);
  client = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  second = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  outbox = reopen_outbox (path);
  sync = pb_sync_new (client, outbox);
  counter = counter_new (sync);
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);

  integrations = pb_replica_load_integrations (pb_outbox_get_replica (outbox), &error);
  x_id = g_strdup (pb_integration_get_id (pick (integrations, 0, NULL)));
  y_id = g_strdup (pb_integration_get_id (pick (integrations, 1,
                                                find_by_id (integrations, x_id))));
  x_version = pb_integration_get_version (find_by_id (integrations, x_id));
  y_version = pb_integration_get_version (find_by_id (integrations, y_id));
  g_assert_true (pb_integration_get_active (find_by_id (integrations, x_id)));

  mine = append (outbox, rename_entry (x_id, x_version, "Mine"));
  dependent = append (outbox, simple_entry (PB_OUTBOX_DISABLE, x_id, x_version));
  append (outbox, rename_entry (y_id, y_version, "Y mine"));

  /* Meanwhile another admin renames the same integration. */
  theirs_answer = ot_update_name (second, x_id, "Theirs", &error);
  g_assert_no_error (error);

  gt_signal_logger_connect (logger, sync, "conflict");
  gt_signal_logger_connect (logger, sync, "refused");
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);

  gt_signal_logger_assert_emission_pop (logger, sync, "conflict", &conflicted, &theirs);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpint (pb_outbox_entry_get_seq (conflicted), ==, mine);
  g_assert_cmpint (pb_outbox_entry_get_state (conflicted), ==, PB_OUTBOX_STATE_CONFLICT);
  g_assert_cmpstr (json_object_get_string_member (theirs, "name"), ==, "Theirs");
  g_assert_cmpint (json_object_get_int_member (theirs, "version"), ==,
                   pb_integration_get_version (theirs_answer));
  /* Both versions are at hand: mine in the entry, theirs in it too. */
  g_assert_cmpstr (json_object_get_string_member (pb_outbox_entry_get_payload (conflicted),
                                                  "name"), ==, "Mine");
  g_assert_cmpstr (json_object_get_string_member (pb_outbox_entry_get_current (conflicted),
                                                  "name"), ==, "Theirs");

  /* The other integration's change went; the dependent one waits. */
  g_assert_cmpuint (counter->acked->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 2);
  g_assert_cmpint (pb_outbox_entry_get_state (pb_outbox_lookup (outbox, dependent)), ==,
                   PB_OUTBOX_STATE_PENDING);
  after = ot_list_integrations (client);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, y_id)), ==, "Y mine");
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, x_id)), ==, "Theirs");
  g_assert_true (pb_integration_get_active (find_by_id (after, x_id)));
  g_clear_pointer (&after, g_ptr_array_unref);

  /* A pending entry is not waiting for a decision. */
  g_assert_false (pb_sync_resolve_keep_mine (sync, dependent, &error));
  g_assert_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  switch (resolution)
    {
    case RESOLVE_KEEP_MINE:
      g_assert_true (pb_sync_resolve_keep_mine (sync, mine, &error));
      expected_name = "Mine";
      break;
    case RESOLVE_KEEP_THEIRS:
      g_assert_true (pb_sync_resolve_keep_theirs (sync, mine, &error));
      expected_name = "Theirs";
      break;
    case RESOLVE_EDIT:
      {
        PbOutboxEntry *entry = pb_outbox_lookup (outbox, mine);
        g_autoptr(JsonObject) payload = pb_outbox_copy_object (pb_outbox_entry_get_payload (entry));

        json_object_set_string_member (payload, "name", "Edited");
        g_assert_true (pb_sync_resolve_edit (sync, mine, payload, NULL, &error));
        g_assert_cmpint (pb_outbox_entry_get_base_version (pb_outbox_lookup (outbox, mine)), ==,
                         pb_integration_get_version (theirs_answer));
        expected_name = "Edited";
      }
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_no_error (error);

  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 0);

  after = ot_list_integrations (client);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, x_id)), ==, expected_name);
  /* The change made on top of it went too, on the right version. */
  g_assert_false (pb_integration_get_active (find_by_id (after, x_id)));
  {
    g_autoptr(PbIntegration) stored =
      pb_replica_load_integration (pb_outbox_get_replica (outbox), x_id, &error);

    g_assert_cmpstr (pb_integration_get_name (stored), ==, expected_name);
    g_assert_cmpint (pb_integration_get_version (stored), ==,
                     pb_integration_get_version (find_by_id (after, x_id)));
  }
}

static void
test_sync_conflict_keep_mine (void)
{
  conflict_scenario (RESOLVE_KEEP_MINE);
}

static void
test_sync_conflict_keep_theirs (void)
{
  conflict_scenario (RESOLVE_KEEP_THEIRS);
}

static void
test_sync_conflict_edit (void)
{
  conflict_scenario (RESOLVE_EDIT);
}

/* A change the server refuses on replay is kept, with its sentence; the rest goes on. */
static void
test_sync_refused (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *path = temp_path ("refused.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbSync) sync = NULL;
  g_autoptr(Counter) counter = NULL;
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(PbOutboxEntry) refused_entry = NULL;
  g_autofree char *message = NULL;
  g_autofree char *d_id = NULL;
  g_autofree char *y_id = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 refused, after_refused;

  g_assert_no_error (error);
  client = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  outbox = reopen_outbox (path);
  sync = pb_sync_new (client, outbox);
  counter = counter_new (sync);
  g_assert_true (run_sync (sync, &error));
  integrations = pb_replica_load_integrations (pb_outbox_get_replica (outbox), &error);
  d_id = g_strdup (pb_integration_get_id (find_deletable (integrations, NULL)));
  y_id = g_strdup (pb_integration_get_id (pick (integrations, 0,
                                                find_by_id (integrations, d_id))));

  refused = append (outbox, rename_entry (d_id, -1, "Renamed too late"));
  after_refused = append (outbox, simple_entry (PB_OUTBOX_DISABLE, d_id, -1));
  append (outbox, rename_entry (y_id, -1, "Still goes"));

  /* Someone deletes it meanwhile. */
  pb_client_delete_integration_async (client, d_id, -1, NULL, ot_store_cb, &result);
  ot_await (&result, 30);
  g_assert_true (pb_client_delete_integration_finish (client, result, NULL, &error));

  gt_signal_logger_connect (logger, sync, "refused");
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);
  gt_signal_logger_assert_emission_pop (logger, sync, "refused", &refused_entry, &message);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpint (pb_outbox_entry_get_seq (refused_entry), ==, refused);
  g_assert_nonnull (strstr (message, d_id));
  g_assert_cmpstr (pb_outbox_entry_get_message (refused_entry), ==, message);
  g_assert_cmpstr (pb_outbox_entry_get_code (refused_entry), ==, "not_found");

  /* Kept, never dropped silently; the dependent one waits behind it; the rest went. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 2);
  g_assert_cmpint (pb_outbox_entry_get_state (pb_outbox_lookup (outbox, after_refused)), ==,
                   PB_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (counter->acked->len, ==, 1);
  {
    g_autoptr(PbIntegration) y = ot_get_integration (client, y_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (pb_integration_get_name (y), ==, "Still goes");
  }

  /* After a restart it is still there for the admin. */
  g_clear_object (&sync);
  g_clear_object (&outbox);
  outbox = reopen_outbox (path);
  g_assert_cmpint (pb_outbox_entry_get_state (pb_outbox_lookup (outbox, refused)), ==,
                   PB_OUTBOX_STATE_REFUSED);
  g_assert_cmpuint (pb_outbox_count (outbox, PB_OUTBOX_STATE_REFUSED), ==, 1);
}

/* A bad key stops the replay and keeps everything; a credential this keyring lacks makes its
 * change refused (kept, with a sentence), not sent without it. */
static void
test_sync_stops_or_refuses (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *path = temp_path ("stops.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) bad = NULL;
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbSync) sync = NULL;
  g_autoptr(Counter) counter = NULL;
  g_autofree char *created = g_uuid_string_random ();
  g_autoptr(GPtrArray) after = NULL;
  gint64 seq;

  g_assert_no_error (error);
  bad = pb_client_new (ot_server_get_url (server), "pb_not_a_key_0000000000000000");
  client = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  outbox = reopen_outbox (path);

  /* First a change without credentials: the 401 comes before any keyring lookup. */
  append (outbox, rename_entry ("3f1e1f3c-0000-4000-8000-000000000000", -1, "Nobody"));
  seq = append (outbox, create_entry (created, "No credential here", FALSE));

  sync = pb_sync_new (bad, outbox);
  ot_use_keyring_for_sync (sync, secrets, ot_server_get_url (server),
                           ot_server_get_project_id (server));
  g_assert_false (run_sync (sync, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_cmpint (pb_sync_get_state (sync), ==, PB_SYNC_STATE_FAILED);
  g_assert_nonnull (pb_sync_get_last_error (sync));
  g_assert_cmpuint (pb_outbox_count (outbox, PB_OUTBOX_STATE_PENDING), ==, 2);
  g_clear_object (&sync);

  /* The right key, but the keyring has no value for the create's credential. */
  sync = pb_sync_new (client, outbox);
  ot_use_keyring_for_sync (sync, secrets, ot_server_get_url (server),
                           ot_server_get_project_id (server));
  counter = counter_new (sync);
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);
  /* The unknown id is refused too (404), with the server's sentence. */
  g_assert_cmpuint (counter->n_refused, ==, 2);
  g_assert_cmpint (pb_outbox_entry_get_state (pb_outbox_lookup (outbox, seq)), ==,
                   PB_OUTBOX_STATE_REFUSED);
  g_assert_cmpstr (pb_outbox_entry_get_code (pb_outbox_lookup (outbox, seq)), ==,
                   "missing_secret");
  g_assert_nonnull (strstr (pb_outbox_entry_get_message (pb_outbox_lookup (outbox, seq)),
                            "api_key"));
  after = ot_list_integrations (client);
  g_assert_null (find_by_id (after, created));
}

static void
on_probe_delay_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  GArray *delays = user_data;
  guint delay = pb_sync_get_probe_delay (PB_SYNC (object));

  if (delay > 0)
    g_array_append_val (delays, delay);
}

static gboolean
enough_delays (gpointer data)
{
  return ((GArray *) data)->len >= 6;
}

/* Nothing listens: probes back off 10, 20, 40, 80, 80… ms; "Sync now" starts again. */
static void
test_sync_backoff (void)
{
  g_autofree char *path = temp_path ("backoff.db");
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", pb_test_server_closed_port ());
  g_autoptr(PbClient) client = pb_client_new (url, "pb_unused_key_00000000000000000");
  g_autoptr(PbOutbox) outbox = reopen_outbox (path);
  g_autoptr(PbSync) sync = pb_sync_new (client, outbox);
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (guint));
  const guint expected[] = { 10, 20, 40, 80, 80, 80 };

  append (outbox, rename_entry ("3f1e1f3c-0000-4000-8000-000000000000", 1, "Waiting"));
  pb_sync_set_backoff (sync, 10, 80);
  g_signal_connect (sync, "notify::probe-delay", G_CALLBACK (on_probe_delay_cb), delays);
  pb_sync_start (sync);
  g_assert_true (ot_wait_until (enough_delays, delays, 20));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (g_array_index (delays, guint, i), ==, expected[i]);
  g_assert_cmpint (pb_sync_get_state (sync), ==, PB_SYNC_STATE_OFFLINE);
  g_assert_false (pb_sync_get_reachable (sync));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 1);

  /* Sync now: probes at once, and the backoff starts again from the minimum. */
  g_array_set_size (delays, 0);
  pb_sync_now (sync);
  g_assert_cmpuint (pb_sync_get_probe_delay (sync), ==, 0);
  while (delays->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_array_index (delays, guint, 0), ==, 10);

  pb_sync_stop (sync);
  g_assert_cmpuint (pb_sync_get_probe_delay (sync), ==, 0);
}

/* ---- scale (only with -m perf) ---------------------------------------------------------- */

static PbIntegration *
synthetic_integration (guint i)
{
  g_autofree char *text = g_strdup_printf (
    "{\"id\":\"%08u-0000-4000-8000-000000000000\",\"name\":\"Integration %u\","
    "\"connector_key\":\"c%u\",\"connector_label\":\"C %u\",\"categories\":[\"hris\"],"
    "\"authentication_config_key\":\"api_key\",\"authentication_config_label\":\"API Key\","
    "\"active\":true,\"default\":%s,\"config\":{\"subdomain\":\"acme\"},"
    "\"secrets\":{\"api_key\":{\"set\":true,\"hint\":\"\u2026abcd\",\"updated_at\":null}},"
    "\"linked_accounts\":{\"total\":3,\"active\":3,\"inactive\":0,\"error\":0},"
    "\"version\":1}", i, i, i % 150, i % 150, i < 150 ? "true" : "false");
  g_autoptr(JsonObject) object = pb_json_object_from_string (text, -1, NULL);
  g_autoptr(GError) error = NULL;
  PbIntegration *integration = pb_integration_new_from_json (object, &error);

  g_assert_no_error (error);
  return integration;
}

static void
test_perf_scale (void)
{
  g_autofree char *path = temp_path ("scale.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbReplica) replica = pb_replica_open_path (path, &error);
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(GPtrArray) integrations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) view = NULL;
  const guint n_integrations = 2000, n_entries = 500;
  gint64 t;

  g_assert_no_error (error);
  for (guint i = 0; i < n_integrations; i++)
    g_ptr_array_add (integrations, synthetic_integration (i));

  t = g_get_monotonic_time ();
  g_assert_true (pb_replica_save_snapshot (replica, NULL, NULL, integrations, &error));
  g_test_message ("save a snapshot of %u integrations: %.1f ms", n_integrations,
                  (g_get_monotonic_time () - t) / 1000.0);
  {
    g_autoptr(GAsyncResult) result = NULL;
    gint64 blocked;

    t = g_get_monotonic_time ();
    pb_replica_save_snapshot_async (replica, NULL, NULL, integrations, NULL, ot_store_cb,
                                    &result);
    blocked = g_get_monotonic_time () - t;
    ot_await (&result, 30);
    g_assert_true (pb_replica_save_snapshot_finish (replica, result, &error));
    g_assert_no_error (error);
    g_test_message ("the same from a worker thread: %.1f ms in all, %.1f ms on the caller's",
                    (g_get_monotonic_time () - t) / 1000.0, blocked / 1000.0);
  }
  t = g_get_monotonic_time ();
  loaded = pb_replica_load_integrations (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, n_integrations);
  g_test_message ("load %u integrations: %.1f ms", n_integrations,
                  (g_get_monotonic_time () - t) / 1000.0);

  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);
  t = g_get_monotonic_time ();
  for (guint i = 0; i < n_entries; i++)
    {
      PbIntegration *target = g_ptr_array_index (integrations, (i * 7) % n_integrations);
      g_autofree char *name = g_strdup_printf ("Renamed %u", i);

      append (outbox, i % 3 == 0 ? simple_entry (PB_OUTBOX_DISABLE,
                                                 pb_integration_get_id (target), 1)
                                 : rename_entry (pb_integration_get_id (target), 1, name));
    }
  g_test_message ("append %u entries: %.2f ms each", n_entries,
                  (g_get_monotonic_time () - t) / 1000.0 / n_entries);

  t = g_get_monotonic_time ();
  view = pb_overlay_apply (loaded, G_LIST_MODEL (outbox), NULL);
  g_assert_cmpuint (view->len, ==, n_integrations);
  g_test_message ("overlay of %u entries on %u integrations: %.1f ms", n_entries,
                  n_integrations, (g_get_monotonic_time () - t) / 1000.0);

  g_clear_object (&outbox);
  t = g_get_monotonic_time ();
  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, n_entries);
  g_test_message ("reopen an outbox of %u entries: %.1f ms", n_entries,
                  (g_get_monotonic_time () - t) / 1000.0);

  t = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    g_assert_true (pb_outbox_acknowledge (outbox,
                                          pb_outbox_entry_get_seq (pb_outbox_peek_sendable (outbox)),
                                          NULL, &error));
  g_test_message ("acknowledge (delete + rebase scan) with %u queued: %.2f ms each", n_entries,
                  (g_get_monotonic_time () - t) / 1000.0 / 100);
}

/* Leave nothing behind: the folder holds only this test's files. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  test_dir = g_dir_make_tmp ("plugboard-offline-XXXXXX", &error);
  g_assert_no_error (error);
  /* Replicas under a data folder of our own (before GLib caches the variable). */
  {
    g_autofree char *data = g_build_filename (test_dir, "data", NULL);

    g_setenv ("XDG_DATA_HOME", data, TRUE);
  }

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/offline/replica/snapshot", test_replica_snapshot);
  g_test_add_func ("/offline/replica/refuses-secret-values", test_replica_refuses_secret_values);
  g_test_add_func ("/offline/replica/crash-mid-write", test_replica_crash);
  g_test_add_func ("/offline/outbox/durable", test_outbox_durable);
  g_test_add_func ("/offline/outbox/append-latency", test_outbox_append_latency);
  g_test_add_func ("/offline/outbox/operation-json", test_outbox_operation_json);
  g_test_add_func ("/offline/overlay/rules", test_overlay_rules);
  g_test_add_func ("/offline/sync/server-restarted", test_sync_server_restarted);
  g_test_add_func ("/offline/sync/server-killed", test_sync_server_killed);
  g_test_add_func ("/offline/sync/client-killed", test_sync_client_killed);
  g_test_add_func ("/offline/sync/conflict/keep-mine", test_sync_conflict_keep_mine);
  g_test_add_func ("/offline/sync/conflict/keep-theirs", test_sync_conflict_keep_theirs);
  g_test_add_func ("/offline/sync/conflict/edit", test_sync_conflict_edit);
  g_test_add_func ("/offline/sync/refused", test_sync_refused);
  g_test_add_func ("/offline/sync/stops-or-refuses", test_sync_stops_or_refuses);
  g_test_add_func ("/offline/sync/backoff", test_sync_backoff);

  if (g_test_perf ())
    g_test_add_func ("/offline/perf/scale", test_perf_scale);

  ret = g_test_run ();

  remove_tree (test_dir);
  g_free (test_dir);
  return ret;
}
