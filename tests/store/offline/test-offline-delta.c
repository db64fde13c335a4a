/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-offline"

#include "config.h"

#include "offline-test-common.h"

/* The sync's refresh as a delta: the replica keeps the sync token, a refresh writes what
 * changed since, and a token the backend no longer knows falls back to the whole list
 * without losing what is queued. */

typedef struct
{
  guint    n_synced;
  gboolean refreshed;
  gboolean full;
  guint    n_changed;
  guint    n_deleted;
} Refreshes;

static void
on_synced_cb (PbSync    *sync,
              gboolean   refreshed,
              Refreshes *refreshes)
{
  PbIntegrationChanges *changes = pb_sync_get_refreshed_changes (sync);

  refreshes->n_synced++;
  refreshes->refreshed = refreshed;
  refreshes->full = changes != NULL && changes->full;
  refreshes->n_changed = changes != NULL ? changes->integrations->len : 0;
  refreshes->n_deleted = changes != NULL ? changes->deleted_ids->len : 0;
}

typedef struct
{
  Refreshes *refreshes;
  guint      before;
} SyncedWait;

static gboolean
synced_again (gpointer data)
{
  SyncedWait *wait = data;

  return wait->refreshes->n_synced > wait->before;
}

static void
refresh (PbSync    *sync,
         Refreshes *refreshes)
{
  SyncedWait wait = { refreshes, refreshes->n_synced };

  pb_sync_refresh (sync);
  pb_test_wait_until (synced_again, &wait, PB_TEST_TIMEOUT_MS);
  g_assert_true (refreshes->refreshed);
}

static void
on_token_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pb_replica_save_snapshot_finish (PB_REPLICA (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Stores @token as the replica's, with nothing changed. */
static void
set_token (PbReplica  *replica,
           const char *token)
{
  PbIntegrationChanges changes = { FALSE, g_ptr_array_new (), g_ptr_array_new (),
                                   (char *) token };
  gboolean done = FALSE;

  pb_replica_save_changes_async (replica, -1, NULL, NULL, &changes, NULL, on_token_saved_cb,
                                 &done);
  pb_test_wait_until (is_true, &done, PB_TEST_TIMEOUT_MS);
  g_ptr_array_unref (changes.integrations);
  g_ptr_array_unref (changes.deleted_ids);
}

static void
test_delta_refresh (void)
{
  g_autofree char *db = temp_path ("delta-server.db");
  g_autofree char *path = temp_path ("delta.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbClient) other = NULL;
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbSync) sync = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) cached = NULL;
  g_autoptr(PbIntegration) renamed = NULL;
  g_autofree char *token = NULL;
  g_autofree char *later_token = NULL;
  g_autofree char *name = g_strdup_printf ("Renamed by another admin %08x", g_random_int ());
  g_autofree char *deleted_id = NULL;
  Refreshes refreshes = { 0 };
  PbReplica *replica;
  guint n_before;

  g_assert_no_error (error);
  client = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  other = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  outbox = reopen_outbox (path);
  replica = pb_outbox_get_replica (outbox);
  sync = pb_sync_new (client, outbox);
  g_signal_connect (sync, "synced", G_CALLBACK (on_synced_cb), &refreshes);

  /* The first refresh is the whole list, with its token. */
  g_assert_null (pb_replica_get_sync_token (replica));
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);
  g_assert_true (refreshes.full);
  token = pb_replica_get_sync_token (replica);
  g_assert_nonnull (token);
  integrations = pb_replica_load_integrations (replica, &error);
  n_before = integrations->len;

  /* Nothing changed: an empty delta, the same token. */
  refresh (sync, &refreshes);
  g_assert_false (refreshes.full);
  g_assert_cmpuint (refreshes.n_changed, ==, 0);
  g_assert_cmpuint (refreshes.n_deleted, ==, 0);

  /* Another admin renames one and deletes another: exactly those two come. */
  renamed = ot_update_name (other, pb_integration_get_id (pick (integrations, 0, NULL)), name,
                            &error);
  g_assert_no_error (error);
  deleted_id = g_strdup (pb_integration_get_id (find_deletable (integrations, renamed)));
  {
    g_autoptr(GAsyncResult) result = NULL;

    pb_client_delete_integration_async (other, deleted_id, -1, NULL, pb_test_async_ready_cb,
                                        &result);
    result = pb_test_await (&result, PB_TEST_TIMEOUT_MS);
    g_assert_true (pb_client_delete_integration_finish (other, result, &error));
    g_assert_no_error (error);
  }
  refresh (sync, &refreshes);
  g_assert_false (refreshes.full);
  g_assert_cmpuint (refreshes.n_changed, ==, 1);
  g_assert_cmpuint (refreshes.n_deleted, ==, 1);
  later_token = pb_replica_get_sync_token (replica);
  g_assert_cmpstr (later_token, !=, token);

  /* The replica holds the same as the backend. */
  cached = pb_replica_load_integrations (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cached->len, ==, n_before - 1);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (cached, pb_integration_get_id (renamed))),
                   ==, name);
  g_assert_null (find_by_id (cached, deleted_id));
}

/* The backend no longer knows the replica's token: the refresh lists everything again, and
 * what is queued is neither lost nor sent twice. */
static void
test_delta_expired_token (void)
{
  g_autofree char *db = temp_path ("expired-server.db");
  g_autofree char *path = temp_path ("expired.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbClient) other = NULL;
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbSync) sync = NULL;
  g_autoptr(Counter) counter = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) cached = NULL;
  g_autoptr(GPtrArray) server_side = NULL;
  g_autoptr(PbIntegration) theirs = NULL;
  g_autoptr(PbIntegration) blocked_theirs = NULL;
  g_autofree char *mine = g_strdup_printf ("Mine %08x", g_random_int ());
  g_autofree char *their_name = g_strdup_printf ("Theirs %08x", g_random_int ());
  g_autofree char *token = NULL;
  Refreshes refreshes = { 0 };
  PbIntegration *x, *y, *z;
  PbReplica *replica;

  g_assert_no_error (error);
  client = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  other = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  outbox = reopen_outbox (path);
  replica = pb_outbox_get_replica (outbox);
  sync = pb_sync_new (client, outbox);
  counter = counter_new (sync);
  g_signal_connect (sync, "synced", G_CALLBACK (on_synced_cb), &refreshes);
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);
  integrations = pb_replica_load_integrations (replica, &error);
  x = pick (integrations, 0, NULL);
  y = pick (integrations, 1, x);
  z = find_deletable (integrations, x);
  if (z == y)
    z = pick (integrations, 2, x);

  /* Queued: a rename of x that goes, and a rename of y that another admin's rename makes a
   * conflict (it stays queued, blocked). Another admin also renames z. */
  append (outbox, rename_entry (pb_integration_get_id (x), pb_integration_get_version (x), mine));
  append (outbox, rename_entry (pb_integration_get_id (y), pb_integration_get_version (y),
                                "Y mine"));
  blocked_theirs = ot_update_name (other, pb_integration_get_id (y), "Y theirs", &error);
  g_assert_no_error (error);
  theirs = ot_update_name (other, pb_integration_get_id (z), their_name, &error);
  g_assert_no_error (error);

  /* A token the backend does not know. */
  set_token (replica, "bm90LWEtc3luYy10b2tlbg");
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (counter->acked->len, ==, 1);
  g_assert_cmpuint (counter->n_conflicts, ==, 1);
  g_assert_true (refreshes.refreshed);
  g_assert_true (refreshes.full);
  token = pb_replica_get_sync_token (replica);
  g_assert_nonnull (token);
  g_assert_cmpstr (token, !=, "bm90LWEtc3luYy10b2tlbg");
  /* The blocked change is still queued. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 1);
  {
    g_autoptr(PbOutboxEntry) blocked = g_list_model_get_item (G_LIST_MODEL (outbox), 0);

    g_assert_cmpstr (pb_outbox_entry_get_integration_id (blocked), ==, pb_integration_get_id (y));
  }
  /* The replica is the backend's whole state, the sent change and the other admin's in it. */
  cached = pb_replica_load_integrations (replica, &error);
  server_side = ot_list_integrations (other);
  g_assert_cmpuint (cached->len, ==, server_side->len);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (cached, pb_integration_get_id (x))),
                   ==, mine);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (server_side, pb_integration_get_id (x))),
                   ==, mine);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (cached, pb_integration_get_id (z))),
                   ==, their_name);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (cached, pb_integration_get_id (y))),
                   ==, "Y theirs");
}

int
main (int    argc,
      char **argv)
{
  offline_test_init (&argc, &argv);

  g_test_add_func ("/offline/delta/refresh", test_delta_refresh);
  g_test_add_func ("/offline/delta/expired-token", test_delta_expired_token);

  return offline_test_run ();
}
