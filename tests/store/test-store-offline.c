/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-offline"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "offline-test-util.h"
#include "pb-store.h"
#include "pb-store-error.h"
#include "store-offline-accounts.h"

/* PbStore with the backend out of reach: a durable `plugboard-server serve` that
 * each test stops and starts again, the session keyring, and the replica under the test
 * session's $XDG_DATA_HOME. Expected values come from the server (a second client) or are
 * made up per run. */

typedef struct
{
  char *dir;
  OtServer *server;
  PbClient *observer;
  PbSecrets *secrets;
  PbStore *store;
  guint synced;
} Fixture;

static void
on_synced_cb (PbStore *store,
              guint   *count)
{
  (*count)++;
}

static gboolean
synced_at_least (gpointer data)
{
  gpointer *args = data;

  return *(guint *) args[0] >= GPOINTER_TO_UINT (args[1]);
}

static gboolean
sync_offline (gpointer data)
{
  return pb_store_get_sync_state (PB_STORE (data)) == PB_SYNC_STATE_OFFLINE;
}

static void
wait_synced (Fixture *fixture,
             guint    n)
{
  gpointer args[2] = { &fixture->synced, GUINT_TO_POINTER (n) };

  pb_test_wait_until (synced_at_least, args, 20000);
}

static PbStore *
new_store (Fixture    *fixture,
           const char *project_id)
{
  g_autoptr(PbClient) client = pb_client_new (ot_server_get_url (fixture->server),
                                              ot_server_get_key (fixture->server));
  PbStore *store = pb_store_new (client, fixture->secrets, ot_server_get_url (fixture->server),
                                 project_id);

  return store;
}

static gboolean
load (PbStore  *store,
      GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pb_store_load_async (store, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  return pb_store_load_finish (store, result, error);
}

static gboolean
apply (PbStore        *store,
       PbOperation    *operation,
       GHashTable     *secrets,
       gboolean       *out_queued,
       GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  pb_store_apply_async (store, operation, secrets, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  ok = pb_store_apply_finish (store, result, NULL, error);
  if (out_queued != NULL)
    *out_queued = pb_store_apply_was_queued (store, result);
  return ok;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  fixture->dir = g_dir_make_tmp ("pb-store-offline-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->dir, "server.db", NULL);
  fixture->server = ot_server_new_demo (db, &error);
  g_assert_no_error (error);
  fixture->observer = pb_client_new (ot_server_get_url (fixture->server),
                                     ot_server_get_key (fixture->server));
  fixture->secrets = pb_secrets_new ();

  /* A first, online load caches the project. */
  fixture->store = new_store (fixture, NULL);
  g_signal_connect (fixture->store, "synced", G_CALLBACK (on_synced_cb), &fixture->synced);
  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_true (pb_store_get_online (fixture->store));
  wait_synced (fixture, 1);
  g_assert_nonnull (pb_store_get_last_refresh (fixture->store));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "server.db", NULL);

  g_clear_object (&fixture->store);
  g_clear_object (&fixture->observer);
  g_clear_object (&fixture->secrets);
  g_clear_pointer (&fixture->server, ot_server_free);
  for (guint i = 0; i < 3; i++)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

      g_remove (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* The store's integrations are the server's: same ids, names, versions, active, default. */
static void
assert_models_equal_server (Fixture *fixture,
                            PbStore *store)
{
  g_autoptr(GPtrArray) on_server = ot_list_integrations (fixture->observer);
  GListModel *model = pb_store_get_integrations (store);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, on_server->len);
  for (guint i = 0; i < on_server->len; i++)
    {
      PbIntegration *theirs = g_ptr_array_index (on_server, i);
      PbIntegration *mine = pb_store_find_integration (store, pb_integration_get_id (theirs),
                                                       NULL);

      g_assert_nonnull (mine);
      g_assert_cmpstr (pb_integration_get_name (mine), ==, pb_integration_get_name (theirs));
      g_assert_cmpint (pb_integration_get_version (mine), ==,
                       pb_integration_get_version (theirs));
      g_assert_cmpint (pb_integration_get_active (mine), ==,
                       pb_integration_get_active (theirs));
      g_assert_cmpint (pb_integration_get_is_default (mine), ==,
                       pb_integration_get_is_default (theirs));
    }
}

static PbIntegration *
plain_integration (PbStore *store)
{
  GListModel *model = pb_store_get_integrations (store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (model, i);

      if (!pb_integration_get_is_default (integration) &&
          pb_integration_get_accounts_total (integration) == 0)
        return integration;
    }
  g_assert_not_reached ();
  return NULL;
}

static PbIntegration *
busy_integration (PbStore *store)
{
  GListModel *model = pb_store_get_integrations (store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (model, i);

      if (pb_integration_get_accounts_total (integration) > 0)
        return integration;
    }
  g_assert_not_reached ();
  return NULL;
}

/* Tests */

static void
test_open_from_cache (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) offline = NULL;
  g_autoptr(PbStore) stranger = NULL;
  g_autofree char *other_project = g_uuid_string_random ();
  GListModel *cached, *original;
  gint64 start, elapsed;

  ot_server_stop (fixture->server, SIGTERM);

  /* As the app starts: the project id is known from the settings. */
  offline = new_store (fixture, pb_store_get_project_id (fixture->store));
  {
    g_autoptr(GAsyncResult) result = NULL;
    gint64 shown;

    start = g_get_monotonic_time ();
    pb_store_load_async (offline, NULL, pb_test_async_ready_cb, &result);
    /* The cache is shown at once, before the backend was even asked. */
    shown = g_get_monotonic_time () - start;
    g_assert_true (pb_store_get_loaded (offline));
    result = pb_test_await (&result, 30000);
    g_assert_true (pb_store_load_finish (offline, result, &error));
    elapsed = g_get_monotonic_time () - start;
    g_assert_no_error (error);
    g_test_message ("Demo project shown from the cache in %" G_GINT64_FORMAT " us; load "
                    "finished offline in %" G_GINT64_FORMAT " us (backend stopped)",
                    shown, elapsed);
  }
  g_assert_true (pb_store_get_loaded (offline));
  g_assert_false (pb_store_get_online (offline));
  g_assert_nonnull (pb_store_get_last_refresh (offline));
  g_assert_nonnull (pb_store_get_project (offline));
  g_assert_cmpstr (pb_project_get_id (pb_store_get_project (offline)), ==,
                   pb_store_get_project_id (fixture->store));

  /* The same rows, in the same order, as the online store showed. */
  cached = pb_store_get_integrations (offline);
  original = pb_store_get_integrations (fixture->store);
  g_assert_cmpuint (g_list_model_get_n_items (cached), ==, g_list_model_get_n_items (original));
  for (guint i = 0; i < g_list_model_get_n_items (cached); i++)
    {
      g_autoptr(PbIntegration) a = g_list_model_get_item (cached, i);
      g_autoptr(PbIntegration) b = g_list_model_get_item (original, i);

      g_assert_cmpstr (pb_integration_get_id (a), ==, pb_integration_get_id (b));
      g_assert_cmpint (pb_integration_get_version (a), ==, pb_integration_get_version (b));
    }
  g_assert_cmpuint (g_list_model_get_n_items (pb_store_get_connectors (offline)), ==,
                    g_list_model_get_n_items (pb_store_get_connectors (fixture->store)));
  g_assert_cmpuint (pb_category_get_count (pb_store_find_category (offline, "hris")), ==,
                    pb_category_get_count (pb_store_find_category (fixture->store, "hris")));

  /* The sync's probe finds the backend gone. */
  {
    PbSync *sync = pb_store_get_sync (offline);

    g_assert_nonnull (sync);
    pb_test_wait_until (sync_offline, offline, 2000);
    g_assert_false (pb_store_get_reachable (offline));
  }

  /* A project never cached: a clear error, not an empty project. */
  stranger = new_store (fixture, other_project);
  g_assert_false (load (stranger, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_OFFLINE_NO_CACHE);
  g_assert_false (pb_store_get_loaded (stranger));
  g_assert_cmpuint (g_list_model_get_n_items (pb_store_get_integrations (stranger)), ==, 0);
}

static PbIntegration *
find_connector_row (PbStore    *store,
                    const char *connector)
{
  GListModel *model = pb_store_get_integrations (store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (model, i);

      if (g_strcmp0 (pb_integration_get_connector_key (integration), connector) == 0)
        return integration;
    }
  g_assert_not_reached ();
  return NULL;
}

/* The replica's files (database and journal) do not hold @value (checked without printing
 * it). */
static void
assert_not_in_replica (PbStore    *store,
                       const char *value)
{
  const char *path = pb_replica_get_path (pb_store_get_replica (store));
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      gsize n = strlen (value);
      gboolean found = FALSE;

      if (!g_file_get_contents (file, &contents, &length, NULL))
        continue;
      for (gsize at = 0; !found && at + n <= length; at++)
        found = memcmp (contents + at, value, n) == 0;
      g_assert_false (found);
    }
}

static gboolean
nothing_pending (gpointer data)
{
  return pb_store_get_n_pending (data) == 0;
}

/* A change made right after a load, before the load's copy is written to the cache (which
 * waits for the first frames): the sync's refresh after sending it is newer than the load's
 * copy (here: someone else renamed another integration in between), and the load's copy must
 * not replace it. The cache, read on its own, has both names. */
static void
test_cache_keeps_quick_change (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) quick = NULL;
  g_autoptr(PbOperation) rename = NULL;
  g_autoptr(PbReplica) replica = NULL;
  g_autoptr(PbIntegration) cached = NULL;
  g_autoptr(PbIntegration) renamed_by_other = NULL;
  g_autofree char *name = g_uuid_string_random ();
  g_autofree char *other_name = g_uuid_string_random ();
  g_autofree char *id = NULL;
  g_autofree char *other_id = NULL;
  gint64 generation;
  guint synced = 0;
  gpointer args[2] = { &synced, GUINT_TO_POINTER (1) };
  PbIntegration *target;

  quick = new_store (fixture, NULL);
  g_signal_connect (quick, "synced", G_CALLBACK (on_synced_cb), &synced);
  g_assert_true (load (quick, &error));
  g_assert_no_error (error);

  target = plain_integration (quick);
  id = g_strdup (pb_integration_get_id (target));
  other_id = g_strdup (pb_integration_get_id (busy_integration (quick)));
  renamed_by_other = ot_update_name (fixture->observer, other_id, other_name, &error);
  g_assert_no_error (error);
  rename = pb_operation_new_update (id, pb_integration_get_version (target), name, NULL);
  g_assert_true (apply (quick, rename, NULL, NULL, &error));
  g_assert_no_error (error);
  /* The change's replay (with its refresh of the cache), then the time the store waits before
   * writing the load's copy (300 ms) and the few ms that takes, twice over. */
  pb_test_wait_until (synced_at_least, args, 20000);
  pb_test_spin_for (700);

  replica = pb_replica_open (ot_server_get_url (fixture->server),
                             pb_store_get_project_id (quick), &error);
  g_assert_no_error (error);
  cached = pb_replica_load_integration (replica, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cached);
  g_assert_cmpstr (pb_integration_get_name (cached), ==, name);
  g_clear_object (&cached);
  cached = pb_replica_load_integration (replica, other_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cached);
  g_assert_cmpstr (pb_integration_get_name (cached), ==, other_name);

  /* A copy fetched before a write is refused by the replica itself, in its transaction. */
  generation = pb_replica_get_generation (replica);
  g_assert_cmpint (generation, >, 0);
  g_assert_true (pb_replica_put_integration (replica, cached, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_replica_get_generation (replica), ==, generation + 1);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    pb_replica_save_snapshot_if_unchanged_async (replica, generation, NULL, NULL, none, NULL,
                                                 pb_test_async_ready_cb, &result);
    result = pb_test_await (&result, 30000);
    g_assert_false (pb_replica_save_snapshot_finish (replica, result, &error));
    g_assert_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_SUPERSEDED);
    g_clear_error (&error);
  }
  g_clear_object (&cached);
  cached = pb_replica_load_integration (replica, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cached);
}

/* Two loads close together (the launch's, then F5 at once, someone else having renamed an
 * integration in between): the second load's copy is the newer one, and the cache ends with
 * it, although the first load's copy was written in between. */
static void
test_cache_keeps_second_load (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbReplica) replica = NULL;
  g_autoptr(PbIntegration) cached = NULL;
  g_autoptr(PbIntegration) renamed = NULL;
  g_autofree char *name = g_uuid_string_random ();
  g_autofree char *id = g_strdup (pb_integration_get_id (plain_integration (fixture->store)));

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  renamed = ot_update_name (fixture->observer, id, name, &error);
  g_assert_no_error (error);
  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_name (pb_store_find_integration (fixture->store, id, NULL)),
                   ==, name);
  /* Both loads' copies written (or not): 300 ms after each, twice over. */
  pb_test_spin_for (700);

  replica = pb_replica_open (ot_server_get_url (fixture->server),
                             pb_store_get_project_id (fixture->store), &error);
  g_assert_no_error (error);
  cached = pb_replica_load_integration (replica, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cached);
  g_assert_cmpstr (pb_integration_get_name (cached), ==, name);
}

static void
test_apply_offline_then_sync (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) offline = NULL;
  g_autoptr(PbOperation) rename = NULL;
  g_autoptr(PbOperation) disable = NULL;
  g_autoptr(PbIntegration) target = NULL;
  g_autoptr(PbIntegration) on_server = NULL;
  g_autofree char *name = g_uuid_string_random ();
  g_autofree char *id = NULL;
  g_autofree char *secret = g_strdup_printf ("lever-%s", name);
  g_autoptr(PbIntegration) lever_row = NULL;
  gboolean queued = FALSE;
  guint synced = 0;
  PbIntegration *row;

  ot_server_stop (fixture->server, SIGKILL);
  offline = new_store (fixture, pb_store_get_project_id (fixture->store));
  g_signal_connect (offline, "synced", G_CALLBACK (on_synced_cb), &synced);
  g_assert_true (load (offline, &error));
  g_assert_no_error (error);
  g_assert_false (pb_store_get_online (offline));

  target = g_object_ref (plain_integration (offline));
  id = g_strdup (pb_integration_get_id (target));
  rename = pb_operation_new_update (id, pb_integration_get_version (target), name, NULL);
  {
    gint64 start = g_get_monotonic_time ();

    g_assert_true (apply (offline, rename, NULL, &queued, &error));
    g_test_message ("An offline change queued (fsync'd) and shown in %" G_GINT64_FORMAT " us",
                    g_get_monotonic_time () - start);
  }
  g_assert_no_error (error);
  g_assert_true (queued);
  disable = pb_operation_new_simple (PB_OPERATION_DISABLE, id,
                                     pb_integration_get_version (target));
  g_assert_true (apply (offline, disable, NULL, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);

  /* A credential typed offline: into the keyring at once, the queue only names it. */
  {
    g_autoptr(GHashTable) typed = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
    g_autoptr(PbOperation) set = NULL;
    const char * const fields[] = { "client_secret", NULL };

    /* Lever's integration uses its own OAuth app: its client secret. */
    lever_row = g_object_ref (find_connector_row (offline, "lever"));
    g_hash_table_insert (typed, (gpointer) "client_secret", g_strdup (secret));
    set = pb_operation_new_set_credentials (pb_integration_get_id (lever_row),
                                            pb_integration_get_version (lever_row), fields,
                                            NULL);
    g_assert_true (apply (offline, set, typed, &queued, &error));
    g_assert_no_error (error);
    g_assert_true (queued);
    assert_not_in_replica (offline, secret);
  }

  /* The models show them at once; the queue holds them, in order. */
  row = pb_store_find_integration (offline, id, NULL);
  g_assert_cmpstr (pb_integration_get_name (row), ==, name);
  g_assert_false (pb_integration_get_active (row));
  g_assert_cmpuint (pb_store_get_n_pending (offline), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (pb_store_get_pending (offline)), ==, 3);
  g_assert_true (pb_store_is_pending (offline, id));
  {
    g_autoptr(PbOutboxEntry) first = g_list_model_get_item (pb_store_get_pending (offline), 0);

    g_assert_cmpint (pb_outbox_entry_get_kind (first), ==, PB_OPERATION_UPDATE);
    g_assert_cmpint (pb_outbox_entry_get_state (first), ==, PB_OUTBOX_STATE_PENDING);
  }

  /* Back: "Sync now" sends them; the models are the server's. */
  g_assert_true (ot_server_start (fixture->server, &error));
  g_assert_no_error (error);
  {
    gint64 start = g_get_monotonic_time ();

    pb_store_sync_now (offline);
    pb_test_wait_until (nothing_pending, offline, 20000);
    g_test_message ("Three queued changes acknowledged %" G_GINT64_FORMAT " us after Sync now",
                    g_get_monotonic_time () - start);
  }
  {
    gpointer args[2] = { &synced, GUINT_TO_POINTER (1) };

    pb_test_wait_until (synced_at_least, args, 20000);
  }
  g_assert_true (pb_store_get_online (offline));
  g_assert_false (pb_store_is_pending (offline, id));
  on_server = ot_get_integration (fixture->observer, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_name (on_server), ==, name);
  g_assert_false (pb_integration_get_active (on_server));
  assert_models_equal_server (fixture, offline);

  /* The credential reached the server (its hint), and never the cache. */
  {
    g_autoptr(PbIntegration) theirs = ot_get_integration (fixture->observer,
                                                          pb_integration_get_id (lever_row),
                                                          &error);
    PbSecretState *state;

    g_assert_no_error (error);
    state = g_hash_table_lookup (pb_integration_get_secrets (theirs), "client_secret");
    g_assert_nonnull (state);
    g_assert_true (state->set);
    g_assert_true (state->hint != NULL && g_str_has_suffix (state->hint,
                                                            secret + strlen (secret) - 4));
    assert_not_in_replica (offline, secret);
  }
}

static void
test_refused_offline (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) server_error = NULL;
  g_autoptr(PbStore) offline = NULL;
  g_autoptr(PbOperation) op = NULL;
  g_autoptr(PbIntegration) busy = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  ot_server_stop (fixture->server, SIGTERM);
  offline = new_store (fixture, pb_store_get_project_id (fixture->store));
  g_assert_true (load (offline, &error));
  g_assert_no_error (error);

  /* Deleting an integration with linked accounts: refused at once, nothing queued. */
  busy = g_object_ref (busy_integration (offline));
  op = pb_operation_new_simple (PB_OPERATION_DELETE, pb_integration_get_id (busy),
                                pb_integration_get_version (busy));
  g_assert_false (apply (offline, op, NULL, NULL, &error));
  g_assert_error (error, PB_CORE_ERROR, PB_CORE_ERROR_RULE);
  g_assert_cmpuint (pb_store_get_n_pending (offline), ==, 0);
  g_assert_nonnull (pb_store_find_integration (offline, pb_integration_get_id (busy), NULL));

  /* The server, once back, says the same sentence. */
  {
    g_autoptr(GError) start_error = NULL;

    g_assert_true (ot_server_start (fixture->server, &start_error));
    g_assert_no_error (start_error);
  }
  pb_client_delete_integration_async (fixture->observer, pb_integration_get_id (busy), -1, NULL,
                                      pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  g_assert_false (pb_client_delete_integration_finish (fixture->observer, result,
                                                       &server_error));
  g_assert_error (server_error, PB_API_ERROR, PB_API_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, server_error->message);
}

static gboolean
replayed_and_online (gpointer data)
{
  PbStore *store = data;

  return pb_store_get_n_pending (store) == 0 && pb_store_get_online (store) &&
         pb_store_get_sync_state (store) == PB_SYNC_STATE_IDLE;
}

/* The backend goes while the window is open; the admin refreshes (it cannot be reached),
 * renames one integration, disables one with linked accounts and adds one; the backend
 * comes back on the same address and database. Nobody presses Sync Now: the queue goes by
 * itself within 15 s and the store is online again. */
static void
test_replays_by_itself (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbOperation) rename = NULL;
  g_autoptr(PbOperation) disable = NULL;
  g_autoptr(PbOperation) add = NULL;
  g_autoptr(PbIntegration) renamed = NULL;
  g_autoptr(PbIntegration) disabled = NULL;
  g_autoptr(GPtrArray) before = ot_list_integrations (fixture->observer);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *name = g_uuid_string_random ();
  g_autofree char *added_name = g_strdup_printf ("Added %s", name);
  g_autofree char *target_id = NULL;
  g_autofree char *busy_id = NULL;
  PbIntegration *target;
  PbIntegration *busy;
  gboolean queued = FALSE;
  gboolean found = FALSE;
  gint64 back;

  ot_server_stop (fixture->server, SIGKILL);
  /* The window's Refresh: the backend is out of reach, the cache stays. */
  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_false (pb_store_get_online (fixture->store));

  target = plain_integration (fixture->store);
  target_id = g_strdup (pb_integration_get_id (target));
  rename = pb_operation_new_update (pb_integration_get_id (target),
                                    pb_integration_get_version (target), name, NULL);
  g_assert_true (apply (fixture->store, rename, NULL, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  busy = busy_integration (fixture->store);
  busy_id = g_strdup (pb_integration_get_id (busy));
  disable = pb_operation_new_simple (PB_OPERATION_DISABLE, pb_integration_get_id (busy),
                                     pb_integration_get_version (busy));
  g_assert_true (apply (fixture->store, disable, NULL, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  /* Ashby's API key is each end user's: the integration has no values. */
  add = pb_operation_new_create ("ashby", "api_key", added_name, FALSE, NULL, NULL);
  g_assert_true (apply (fixture->store, add, NULL, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  g_assert_cmpuint (pb_store_get_n_pending (fixture->store), ==, 3);

  g_assert_true (ot_server_start (fixture->server, &error));
  g_assert_no_error (error);
  back = g_get_monotonic_time ();
  pb_test_wait_until (replayed_and_online, fixture->store, 15000);
  g_test_message ("Three queued changes replayed by themselves %" G_GINT64_FORMAT
                  " ms after the backend answered again",
                  (g_get_monotonic_time () - back) / 1000);

  renamed = ot_get_integration (fixture->observer, target_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_name (renamed), ==, name);
  disabled = ot_get_integration (fixture->observer, busy_id, &error);
  g_assert_no_error (error);
  g_assert_false (pb_integration_get_active (disabled));
  after = ot_list_integrations (fixture->observer);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  for (guint i = 0; i < after->len; i++)
    found |= g_strcmp0 (pb_integration_get_name (g_ptr_array_index (after, i)),
                        added_name) == 0;
  g_assert_true (found);
  assert_models_equal_server (fixture, fixture->store);
}

typedef enum
{
  RESOLVE_KEEP_MINE,
  RESOLVE_KEEP_THEIRS,
  RESOLVE_MERGE,
} Resolution;

static gboolean
first_in_conflict (gpointer data)
{
  g_autoptr(PbOutboxEntry) first = g_list_model_get_item (pb_store_get_pending (data), 0);

  return first != NULL && pb_outbox_entry_get_state (first) == PB_OUTBOX_STATE_CONFLICT;
}

/* The hint of @field on the server ends like @value (compared without printing either). */
static gboolean
server_secret_ends_like (Fixture    *fixture,
                         const char *id,
                         const char *field,
                         const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) theirs = ot_get_integration (fixture->observer, id, &error);
  PbSecretState *state;

  g_assert_no_error (error);
  state = g_hash_table_lookup (pb_integration_get_secrets (theirs), field);
  return state != NULL && state->set && state->hint != NULL &&
         g_str_has_suffix (value, state->hint + MAX (0, (gssize) strlen (state->hint) - 4));
}

/* One save offline (a new name and a new key) while another admin renames the integration:
 * one queued change, one conflict, and the server ends exactly as chosen. */
static void
edit_conflict (Fixture    *fixture,
               Resolution  resolution)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbOperation) edit = NULL;
  g_autoptr(PbIntegration) renamed = NULL;
  g_autoptr(PbIntegration) on_server = NULL;
  g_autoptr(PbOutboxEntry) conflicted = NULL;
  g_autoptr(GHashTable) typed = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *tag = g_uuid_string_random ();
  g_autofree char *mine = g_strdup_printf ("mine %s", tag);
  g_autofree char *theirs = g_strdup_printf ("theirs %s", tag);
  g_autofree char *secret = g_strdup_printf ("lever-mine-%s", tag);
  g_autofree char *their_secret = g_strdup_printf ("lever-theirs-%s", tag);
  g_autofree char *id = NULL;
  const char * const fields[] = { "client_secret", NULL };
  PbIntegration *row;
  gboolean queued = FALSE;
  gint64 seq;

  row = find_connector_row (fixture->store, "lever");
  id = g_strdup (pb_integration_get_id (row));
  /* The server's key before: a known value, to tell it from mine. */
  {
    g_autoptr(GHashTable) before = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
    g_autoptr(PbOperation) set = pb_operation_new_set_credentials (id,
                                                                   pb_integration_get_version (row),
                                                                   fields, NULL);

    g_hash_table_insert (before, (gpointer) "client_secret", g_strdup (their_secret));
    g_assert_true (apply (fixture->store, set, before, NULL, &error));
    g_assert_no_error (error);
    row = pb_store_find_integration (fixture->store, id, NULL);
  }

  ot_server_stop (fixture->server, SIGKILL);
  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);

  g_hash_table_insert (typed, (gpointer) "client_secret", g_strdup (secret));
  edit = pb_operation_new_edit (id, pb_integration_get_version (row), mine, NULL, NULL, fields,
                                FALSE);
  g_assert_true (apply (fixture->store, edit, typed, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  g_assert_cmpuint (pb_store_get_n_pending (fixture->store), ==, 1);

  /* Back, and another admin renames it before this store replays. */
  pb_sync_stop (pb_store_get_sync (fixture->store));
  g_assert_true (ot_server_start (fixture->server, &error));
  g_assert_no_error (error);
  renamed = ot_update_name (fixture->observer, id, theirs, &error);
  g_assert_no_error (error);
  pb_store_sync_now (fixture->store);
  pb_test_wait_until (first_in_conflict, fixture->store, 15000);
  g_assert_cmpuint (pb_store_get_n_pending (fixture->store), ==, 1);
  conflicted = g_list_model_get_item (pb_store_get_pending (fixture->store), 0);
  seq = pb_outbox_entry_get_seq (conflicted);

  switch (resolution)
    {
    case RESOLVE_KEEP_MINE:
      g_assert_true (pb_store_resolve_keep_mine (fixture->store, seq, &error));
      break;
    case RESOLVE_KEEP_THEIRS:
      g_assert_true (pb_store_resolve_keep_theirs (fixture->store, seq, &error));
      break;
    case RESOLVE_MERGE:
      {
        /* Their name, my key. */
        g_autoptr(JsonObject) payload = json_object_new ();

        json_object_set_string_member (payload, "name", theirs);
        g_assert_true (pb_store_resolve_edit (fixture->store, seq, payload, fields, &error));
      }
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_no_error (error);
  pb_test_wait_until (replayed_and_online, fixture->store, 15000);

  on_server = ot_get_integration (fixture->observer, id, &error);
  g_assert_no_error (error);
  switch (resolution)
    {
    case RESOLVE_KEEP_MINE:
      g_assert_cmpstr (pb_integration_get_name (on_server), ==, mine);
      g_assert_true (server_secret_ends_like (fixture, id, "client_secret", secret));
      break;
    case RESOLVE_KEEP_THEIRS:
      g_assert_cmpstr (pb_integration_get_name (on_server), ==, theirs);
      g_assert_true (server_secret_ends_like (fixture, id, "client_secret", their_secret));
      g_assert_cmpint (pb_integration_get_version (on_server), ==,
                       pb_integration_get_version (renamed));
      break;
    case RESOLVE_MERGE:
      g_assert_cmpstr (pb_integration_get_name (on_server), ==, theirs);
      g_assert_true (server_secret_ends_like (fixture, id, "client_secret", secret));
      break;
    default:
      g_assert_not_reached ();
    }
  assert_models_equal_server (fixture, fixture->store);
  assert_not_in_replica (fixture->store, secret);
}

static void
test_edit_conflict_keep_mine (Fixture       *fixture,
                              gconstpointer  user_data)
{
  edit_conflict (fixture, RESOLVE_KEEP_MINE);
}

static void
test_edit_conflict_keep_theirs (Fixture       *fixture,
                                gconstpointer  user_data)
{
  edit_conflict (fixture, RESOLVE_KEEP_THEIRS);
}

static void
test_edit_conflict_merge (Fixture       *fixture,
                          gconstpointer  user_data)
{
  edit_conflict (fixture, RESOLVE_MERGE);
}

/* With the backend out of reach and nothing cached for the project, the load fails, and the
 * store reads as offline (the header must not say "Synced"). */
static void
test_nothing_cached_reads_offline (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) unknown = NULL;

  ot_server_stop (fixture->server, SIGTERM);
  unknown = new_store (fixture, NULL);
  g_assert_false (load (unknown, &error));
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_assert_false (pb_store_get_online (unknown));
}

/* Quitting with changes queued loses nothing: the next start shows them and, once the
 * backend answers again, sends them by itself. */
static void
test_queue_survives_restart (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) before = NULL;
  g_autoptr(PbStore) after = NULL;
  g_autoptr(PbOperation) rename = NULL;
  g_autoptr(PbIntegration) on_server = NULL;
  g_autofree char *name = g_uuid_string_random ();
  g_autofree char *id = NULL;
  PbIntegration *target;
  gboolean queued = FALSE;

  ot_server_stop (fixture->server, SIGKILL);
  before = new_store (fixture, pb_store_get_project_id (fixture->store));
  g_assert_true (load (before, &error));
  g_assert_no_error (error);
  target = plain_integration (before);
  id = g_strdup (pb_integration_get_id (target));
  rename = pb_operation_new_update (id, pb_integration_get_version (target), name, NULL);
  g_assert_true (apply (before, rename, NULL, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  g_clear_object (&before);   /* the app quits */

  after = new_store (fixture, pb_store_get_project_id (fixture->store));
  g_assert_true (load (after, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pb_store_get_n_pending (after), ==, 1);
  g_assert_true (pb_store_is_pending (after, id));
  g_assert_cmpstr (pb_integration_get_name (pb_store_find_integration (after, id, NULL)), ==,
                   name);

  /* Back: the queue goes by itself, without Sync Now. */
  g_assert_true (ot_server_start (fixture->server, &error));
  g_assert_no_error (error);
  pb_test_wait_until (replayed_and_online, after, 15000);
  on_server = ot_get_integration (fixture->observer, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pb_integration_get_name (on_server), ==, name);
}

static guint
load_page (PbPagedModel *model,
           GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint added = 0;

  pb_paged_model_load_more_async (model, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  pb_paged_model_load_more_finish (model, result, &added, error);
  return added;
}

static void
test_pages_from_cache (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbPagedModel) online = NULL;
  g_autoptr(PbPagedModel) cached = NULL;
  g_autoptr(PbPagedModel) other = NULL;
  g_autoptr(PbQuery) query = pb_query_new ();
  guint n;

  /* Two pages of linked accounts while the backend answers… */
  online = pb_store_create_accounts_model (fixture->store, NULL, 3);
  g_assert_cmpuint (load_page (online, &error), ==, 3);
  g_assert_no_error (error);
  load_page (online, &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (online));
  g_assert_cmpuint (n, >, 3);
  g_assert_false (pb_paged_model_get_from_cache (online));

  /* …are what a new list shows once it is gone, marked as such, without a next page. */
  ot_server_stop (fixture->server, SIGTERM);
  cached = pb_store_create_accounts_model (fixture->store, NULL, 3);
  g_assert_cmpuint (load_page (cached, &error), ==, n);
  g_assert_no_error (error);
  g_assert_true (pb_paged_model_get_from_cache (cached));
  g_assert_false (pb_paged_model_get_has_more (cached));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbLinkedAccount) a = g_list_model_get_item (G_LIST_MODEL (online), i);
      g_autoptr(PbLinkedAccount) b = g_list_model_get_item (G_LIST_MODEL (cached), i);

      g_assert_cmpstr (pb_linked_account_get_id (a), ==, pb_linked_account_get_id (b));
    }

  /* A query never loaded has nothing saved: the error stays. */
  pb_query_set (query, "provider", "no-such-provider");
  other = pb_store_create_accounts_model (fixture->store, query, 3);
  load_page (other, &error);
  g_assert_error (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE);
  g_assert_false (pb_paged_model_get_from_cache (other));
}

/* Linked accounts: acted on online, then suspended and deleted offline and replayed. */
static void
test_accounts (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) offline = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  test_store_accounts_online (fixture->store, fixture->observer);

  /* A second store of the project, loaded from the cache while the backend is gone. */
  accounts = server_accounts (fixture->observer, "active");
  offline = new_store (fixture, pb_store_get_project_id (fixture->store));
  ot_server_stop (fixture->server, SIGKILL);
  g_assert_true (load (offline, &error));
  g_assert_no_error (error);
  g_assert_false (pb_store_get_online (offline));
  test_store_accounts_offline (fixture->server, offline, fixture->observer, accounts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store-offline/open-from-cache", test_open_from_cache);
  ADD ("/store-offline/apply-offline-then-sync", test_apply_offline_then_sync);
  ADD ("/store-offline/cache-keeps-quick-change", test_cache_keeps_quick_change);
  ADD ("/store-offline/cache-keeps-second-load", test_cache_keeps_second_load);
  ADD ("/store-offline/refused-offline", test_refused_offline);
  ADD ("/store-offline/replays-by-itself", test_replays_by_itself);
  ADD ("/store-offline/nothing-cached-reads-offline", test_nothing_cached_reads_offline);
  ADD ("/store-offline/edit-conflict/keep-mine", test_edit_conflict_keep_mine);
  ADD ("/store-offline/edit-conflict/keep-theirs", test_edit_conflict_keep_theirs);
  ADD ("/store-offline/edit-conflict/merge", test_edit_conflict_merge);
  ADD ("/store-offline/queue-survives-restart", test_queue_survives_restart);
  ADD ("/store-offline/pages-from-cache", test_pages_from_cache);
  ADD ("/store-offline/accounts", test_accounts);

#undef ADD

  return g_test_run ();
}
