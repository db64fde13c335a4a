/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-offline"

#include "config.h"

#include "offline-test-common.h"

/*
 * The offline layer against real parts: SQLite files in a temporary folder, a real
 * plugboard-server that the tests stop (SIGTERM), kill (SIGKILL) and start again on the same
 * database and port, the session's gnome-keyring for credential values, and a helper
 * process (offline-helper) that the tests kill with SIGKILL in the middle of its work.
 */

char *test_dir;

/* offline-helper is built next to this test. */
char *
helper_path (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;

  g_assert_nonnull (self);
  dir = g_path_get_dirname (self);
  return g_build_filename (dir, "offline-helper", NULL);
}

char *
temp_path (const char *name)
{
  static guint counter;
  g_autofree char *unique = g_strdup_printf ("%u-%s", counter++, name);

  return g_build_filename (test_dir, unique, NULL);
}

PbProject *
get_project (PbClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PbProject *project;

  pb_client_get_project_async (client, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  project = pb_client_get_project_finish (client, result, &error);
  g_assert_no_error (error);
  return project;
}

GPtrArray *
list_connectors (PbClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *connectors;

  pb_client_list_all_connectors_async (client, NULL, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  connectors = pb_client_list_all_connectors_finish (client, result, &error);
  g_assert_no_error (error);
  return connectors;
}

PbIntegration *
find_by_id (GPtrArray  *integrations,
            const char *id)
{
  for (guint i = 0; i < integrations->len; i++)
    if (g_str_equal (pb_integration_get_id (g_ptr_array_index (integrations, i)), id))
      return g_ptr_array_index (integrations, i);
  return NULL;
}

guint
count_by_id (GPtrArray  *integrations,
             const char *id)
{
  guint n = 0;

  for (guint i = 0; i < integrations->len; i++)
    if (g_str_equal (pb_integration_get_id (g_ptr_array_index (integrations, i)), id))
      n++;
  return n;
}

guint
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
PbIntegration *
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
PbIntegration *
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

PbOutboxEntry *
rename_entry (const char *id,
              gint64      base_version,
              const char *name)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "name", name);
  return pb_outbox_entry_new (PB_OPERATION_UPDATE, id, base_version, payload, NULL);
}

PbOutboxEntry *
simple_entry (PbOperationKind kind,
              const char  *id,
              gint64       base_version)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  if (kind == PB_OPERATION_ENABLE || kind == PB_OPERATION_DISABLE)
    json_object_set_boolean_member (payload, "active", kind == PB_OPERATION_ENABLE);
  else if (kind == PB_OPERATION_MAKE_DEFAULT)
    json_object_set_boolean_member (payload, "default", TRUE);
  return pb_outbox_entry_new (kind, id, base_version, payload, NULL);
}

/* A BambooHR "OAuth 2.0" create on the integration's own app (its required fields: client_id
 * and the secret client_secret). */
PbOutboxEntry *
create_entry (const char *id,
              const char *name,
              gboolean    make_default)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  JsonObject *config = json_object_new ();
  const char *fields[] = { "client_secret", NULL };

  json_object_set_string_member (config, "client_id", "acme");
  json_object_set_string_member (payload, "id", id);
  json_object_set_string_member (payload, "connector_key", "bamboohr");
  json_object_set_string_member (payload, "authentication_config_key", "oauth2");
  if (name != NULL)
    json_object_set_string_member (payload, "name", name);
  json_object_set_boolean_member (payload, "default", make_default);
  json_object_set_object_member (payload, "config", config);
  return pb_outbox_entry_new (PB_OPERATION_CREATE, id, -1, payload, fields);
}

gint64
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

gboolean
run_sync (PbSync  *sync,
          GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pb_sync_run_async (sync, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 60000);
  g_assert_nonnull (result);
  return pb_sync_run_finish (sync, result, error);
}

gboolean
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
gboolean
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

char *
hint_tail (const char *value)
{
  return g_strdup (value + strlen (value) - 4);
}

const char *
secret_hint (PbIntegration *integration,
             const char    *field)
{
  PbSecretState *state = g_hash_table_lookup (pb_integration_get_secrets (integration), field);

  g_assert_nonnull (state);
  g_assert_true (state->set);
  return state->hint;
}

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
              gboolean  refreshed,
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

Counter *
counter_new (PbSync *sync)
{
  Counter *counter = g_new0 (Counter, 1);

  counter->acked = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_set_weak_pointer (&counter->sync, sync);
  g_signal_connect (sync, "acknowledged", G_CALLBACK (on_acknowledged_cb), counter);
  g_signal_connect (sync, "synced", G_CALLBACK (on_synced_cb), counter);
  g_signal_connect (sync, "conflict", G_CALLBACK (on_conflict_cb), counter);
  g_signal_connect (sync, "refused", G_CALLBACK (on_refused_cb), counter);
  return counter;
}

void
counter_free (Counter *counter)
{
  if (counter->sync != NULL)
    g_signal_handlers_disconnect_by_data (counter->sync, counter);
  g_clear_weak_pointer (&counter->sync);
  g_array_unref (counter->acked);
  g_free (counter);
}


PbOutbox *
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

void
offline_test_init (int    *argc,
                   char ***argv)
{
  g_autoptr(GError) error = NULL;

  test_dir = g_dir_make_tmp ("plugboard-offline-XXXXXX", &error);
  g_assert_no_error (error);
  /* Replicas under a data folder of our own (before GLib caches the variable). */
  {
    g_autofree char *data = g_build_filename (test_dir, "data", NULL);

    g_setenv ("XDG_DATA_HOME", data, TRUE);
  }

  g_test_init (argc, argv, NULL);
}

int
offline_test_run (void)
{
  int ret = g_test_run ();

  remove_tree (test_dir);
  g_clear_pointer (&test_dir, g_free);
  return ret;
}
