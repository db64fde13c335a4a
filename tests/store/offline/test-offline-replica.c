/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-offline"

#include "config.h"

#include "offline-test-common.h"

/* The replica and the outbox: snapshots, secrets guard, crash mid-write, durability. See offline-test-common.c for the real parts used. */

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
    pb_replica_save_snapshot_async (replica, NULL, NULL, fewer, NULL, pb_test_async_ready_cb, &result);
    result = pb_test_await (&result, 30000);
    g_assert_true (pb_replica_save_snapshot_finish (replica, result, &error));
    g_assert_no_error (error);
    reloaded = pb_replica_load_integrations (replica, &error);
    g_assert_cmpuint (reloaded->len, ==, 3);
    g_clear_object (&result);
    pb_replica_save_snapshot_async (replica, NULL, NULL, integrations, NULL, pb_test_async_ready_cb,
                                    &result);
    result = pb_test_await (&result, 30000);
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

    pb_client_list_accounts_async (client, NULL, 3, NULL, NULL, pb_test_async_ready_cb, &result);
    result = pb_test_await (&result, 30000);
    first = pb_client_list_accounts_finish (client, result, &error);
    g_assert_no_error (error);
    g_assert_nonnull (first->next);
    g_clear_object (&result);
    pb_client_list_accounts_async (client, NULL, 3, first->next, NULL, pb_test_async_ready_cb, &result);
    result = pb_test_await (&result, 30000);
    second = pb_client_list_accounts_finish (client, result, &error);
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

    pb_client_list_logs_async (client, NULL, 4, NULL, NULL, pb_test_async_ready_cb, &result);
    result = pb_test_await (&result, 30000);
    logs = pb_client_list_logs_finish (client, result, &error);
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
  entry = pb_outbox_entry_new (PB_OPERATION_SET_CREDENTIALS, "x", 1, payload, NULL);
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

/* Rows are read in place (pb_integration_new_from_scan()); a row that reader leaves alone (here
 * an escaped emoji, a surrogate pair) is read with json-glib, the same way; a damaged row is
 * an error that says so, with nothing half-read. */
static void
test_replica_odd_rows (void)
{
  g_autofree char *path = temp_path ("odd-rows.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbReplica) replica = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *plain = g_strdup_printf (
    "{\"id\":\"%s-a\",\"name\":\"Plain – é\",\"connector_key\":\"bamboohr\","
    "\"authentication_config_key\":\"api_key\",\"active\":true,\"default\":true,"
    "\"linked_accounts\":{\"total\":2,\"inactive\":1}}", id);
  g_autofree char *odd = g_strdup_printf (
    "{\"id\":\"%s-b\",\"name\":\"Smile \\ud83d\\ude00\",\"connector_key\":\"bamboohr\","
    "\"authentication_config_key\":\"api_key\",\"active\":false,\"default\":false}", id);
  sqlite3 *db = NULL;

  replica = pb_replica_open_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO integrations (id, position, json) VALUES ('%s-a', 1, '%s'), ('%s-b', 2, '%s')",
      id, plain, id, odd);

    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }

  integrations = pb_replica_load_integrations (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (integrations->len, ==, 2);
  g_assert_cmpstr (pb_integration_get_name (integrations->pdata[0]), ==, "Plain – é");
  g_assert_cmpuint (pb_integration_get_accounts_inactive (integrations->pdata[0]), ==, 1);
  g_assert_cmpstr (pb_integration_get_name (integrations->pdata[1]), ==, "Smile 😀");
  g_assert_false (pb_integration_get_active (integrations->pdata[1]));
  g_clear_pointer (&integrations, g_ptr_array_unref);

  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO integrations (id, position, json)"
                                     " VALUES ('broken', 3, '{\"id\": \"broken\", \"name\": ')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  integrations = pb_replica_load_integrations (replica, &error);
  g_assert_null (integrations);
  g_assert_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "is damaged"));
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
  seq[2] = append (outbox, simple_entry (PB_OPERATION_DISABLE, "other", 3));
  seq[3] = append (outbox, rename_entry (created, 0, "n2"));
  seq[4] = append (outbox, simple_entry (PB_OPERATION_DELETE, "gone", 1));
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
  g_assert_cmpint (pb_outbox_entry_get_kind (nth (outbox, 0)), ==, PB_OPERATION_CREATE);
  g_assert_cmpstr (pb_outbox_entry_get_integration_id (nth (outbox, 0)), ==, created);
  g_assert_cmpstr (pb_outbox_entry_get_secret_fields (nth (outbox, 0))[0], ==, "client_secret");
  g_assert_null (pb_outbox_entry_get_secret_fields (nth (outbox, 0))[1]);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (pb_outbox_entry_get_payload (nth (outbox, 0)),
                                                    "config"), "client_id"), ==, "acme");
  g_assert_cmpint (pb_outbox_entry_get_kind (nth (outbox, 2)), ==, PB_OPERATION_DISABLE);
  g_assert_cmpint (pb_outbox_entry_get_base_version (nth (outbox, 2)), ==, 3);
  g_assert_cmpint (pb_outbox_entry_get_base_version (nth (outbox, 0)), ==, -1);
  {
    g_autofree char *description = pb_outbox_entry_describe (nth (outbox, 3), "Workday");
    g_autofree char *disable = pb_outbox_entry_describe (nth (outbox, 2), "BambooHR – UK");

    /* The pending list names the integration as it was. */
    g_assert_cmpstr (description, ==, "Rename Workday → n2");
    g_assert_cmpstr (disable, ==, "Disable BambooHR – UK");
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
test_outbox_append_many (void)
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
  /* How fast is for benchmarks/offline/bench-replica; this only says. */
  g_test_message ("outbox append (synchronous=FULL, one transaction each): %.2f ms",
                  per_append_ms);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbOutboxEntry) entry = g_list_model_get_item (G_LIST_MODEL (outbox), i);
      g_autofree char *name = g_strdup_printf ("name %u", i);

      g_assert_cmpstr (json_object_get_string_member (pb_outbox_entry_get_payload (entry),
                                                      "name"), ==, name);
    }
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
      g_assert_cmpstr (pb_operation_kind_to_string (pb_outbox_entry_get_kind (entry)), ==,
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

int
main (int    argc,
      char **argv)
{
  offline_test_init (&argc, &argv);

  g_test_add_func ("/offline/replica/snapshot", test_replica_snapshot);
  g_test_add_func ("/offline/replica/refuses-secret-values", test_replica_refuses_secret_values);
  g_test_add_func ("/offline/replica/crash-mid-write", test_replica_crash);
  g_test_add_func ("/offline/replica/odd-rows", test_replica_odd_rows);
  g_test_add_func ("/offline/outbox/durable", test_outbox_durable);
  g_test_add_func ("/offline/outbox/append-many", test_outbox_append_many);
  g_test_add_func ("/offline/outbox/operation-json", test_outbox_operation_json);

  return offline_test_run ();
}
