/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-offline"

#include "config.h"

#include "offline-test-common.h"

/* The sync engine against a real server that is stopped, killed and restarted. See offline-test-common.c for the real parts used. */

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
  pb_test_wait_until (synced_once_more, counter, 30000);
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
  append (outbox, simple_entry (PB_OPERATION_DISABLE, x_id, x_version));
  if (with_create)
    {
      const char *fields[] = { "client_secret", NULL };

      /* Credentials go to the keyring first, then the change is queued. */
      ot_store_secret (secrets, url, project_id, created, "client_secret", first_value);
      append (outbox, create_entry (created, NULL, FALSE));
      append (outbox, rename_entry (created, 0, "Created offline"));
      ot_store_secret (secrets, url, project_id, created, "client_secret", second_value);
      append (outbox, pb_outbox_entry_new (PB_OPERATION_SET_CREDENTIALS, created, 0, NULL, fields));
    }
  n_queued = g_list_model_get_n_items (G_LIST_MODEL (outbox));

  /* Sync now: it finds the backend gone and says so. */
  pb_sync_now (sync);
  wait.sync = sync;
  wait.state = PB_SYNC_STATE_OFFLINE;
  pb_test_wait_until (state_reached, &wait, 30000);
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
  pb_test_wait_until (state_reached, &wait, 30000);

  /* The backend comes back on the same database and port: the probe finds it and the
   * queue goes by itself, in order. */
  g_assert_true (ot_server_start (server, &error));
  g_assert_no_error (error);
  pb_test_wait_until (synced_once_more, counter, 30000);
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
      g_assert_true (g_str_has_suffix (secret_hint (made, "client_secret"), tail));
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

/* A GNetworkMonitor of the test's own (the headless session has no NetworkManager): a real
 * implementation of the interface whose "network-changed" the test emits, as GIO's does when
 * a network comes up or the machine resumes. */
#define OT_TYPE_NETWORK_MONITOR (ot_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (OtNetworkMonitor, ot_network_monitor, OT, NETWORK_MONITOR, GObject)

struct _OtNetworkMonitor
{
  GObject parent_instance;
  gboolean available;
};

enum {
  MONITOR_PROP_0,
  MONITOR_PROP_AVAILABLE,
  MONITOR_PROP_METERED,
  MONITOR_PROP_CONNECTIVITY,
};

static gboolean
ot_network_monitor_can_reach (GNetworkMonitor     *monitor,
                              GSocketConnectable  *connectable,
                              GCancellable        *cancellable,
                              GError             **error)
{
  return OT_NETWORK_MONITOR (monitor)->available;
}

static void
ot_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = ot_network_monitor_can_reach;
}

static gboolean
ot_network_monitor_initable_init (GInitable     *initable,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  return TRUE;
}

static void
ot_network_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = ot_network_monitor_initable_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (OtNetworkMonitor, ot_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      ot_network_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      ot_network_monitor_iface_init))

static void
ot_network_monitor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  OtNetworkMonitor *self = OT_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case MONITOR_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MONITOR_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MONITOR_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ot_network_monitor_class_init (OtNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ot_network_monitor_get_property;
  g_object_class_override_property (object_class, MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
ot_network_monitor_init (OtNetworkMonitor *self)
{
  self->available = TRUE;
}

static void
ot_network_monitor_set_available (OtNetworkMonitor *self,
                                  gboolean          available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* Offline with the next probe ten minutes away, the backend back: a network that comes up
 * (GNetworkMonitor's "network-changed") makes the sync probe at once and replay the queue;
 * a network that goes down changes nothing. */
static void
test_sync_network_changed (void)
{
  g_autofree char *db = temp_path ("network.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(OtNetworkMonitor) monitor = g_object_new (OT_TYPE_NETWORK_MONITOR, NULL);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(PbReplica) replica = NULL;
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbSync) sync = NULL;
  g_autoptr(Counter) counter = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *x_id = NULL;
  const guint ten_minutes = 10 * 60 * 1000;
  StateWait wait;
  gint64 x_version;

  g_assert_no_error (error);
  client = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  pb_client_set_timeout (client, 5);
  replica = pb_replica_open (ot_server_get_url (server), ot_server_get_project_id (server),
                             &error);
  g_assert_no_error (error);
  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);
  sync = pb_sync_new (client, outbox);
  pb_sync_set_backoff (sync, ten_minutes, ten_minutes);
  pb_sync_set_network_monitor (sync, G_NETWORK_MONITOR (monitor));
  ot_use_keyring_for_sync (sync, secrets, ot_server_get_url (server),
                           ot_server_get_project_id (server));
  counter = counter_new (sync);
  pb_sync_start (sync);
  pb_test_wait_until (synced_once_more, counter, 30000);
  integrations = pb_replica_load_integrations (replica, &error);
  g_assert_no_error (error);
  x_id = g_strdup (pb_integration_get_id (pick (integrations, 0, NULL)));
  x_version = pb_integration_get_version (pick (integrations, 0, NULL));

  /* The backend goes away; a change is queued and found unsendable: offline, the next probe
   * in ten minutes. */
  ot_server_stop (server, SIGTERM);
  append (outbox, rename_entry (x_id, x_version, "After the network came back"));
  pb_sync_now (sync);
  wait.sync = sync;
  wait.state = PB_SYNC_STATE_OFFLINE;
  pb_test_wait_until (state_reached, &wait, 30000);
  g_assert_cmpint (pb_sync_get_state (sync), ==, PB_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (pb_sync_get_probe_delay (sync), ==, ten_minutes);

  g_assert_true (ot_server_start (server, &error));
  g_assert_no_error (error);
  counter->n_synced = 0;
  g_array_set_size (counter->acked, 0);

  /* A network going down: nothing to try. */
  ot_network_monitor_set_available (monitor, FALSE);
  g_assert_cmpuint (pb_sync_get_probe_delay (sync), ==, ten_minutes);
  g_assert_cmpint (pb_sync_get_state (sync), ==, PB_SYNC_STATE_OFFLINE);

  /* A network coming up: a probe at once, and the queue goes. */
  ot_network_monitor_set_available (monitor, TRUE);
  g_assert_cmpuint (pb_sync_get_probe_delay (sync), ==, 0);
  pb_test_wait_until (synced_once_more, counter, 30000);
  g_assert_cmpuint (counter->acked->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 0);
  g_assert_cmpint (pb_sync_get_state (sync), ==, PB_SYNC_STATE_IDLE);
  after = ot_list_integrations (client);
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, x_id)), ==,
                   "After the network came back");
  pb_sync_stop (sync);
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
              GDataInputStream  **out_lines,
              GOutputStream     **out_stdin)
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
  if (out_stdin != NULL)
    *out_stdin = g_object_ref (g_subprocess_get_stdin_pipe (process));
  else
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
  ot_store_secret (secrets, url, project_id, created, "client_secret", value);
  append (outbox, create_entry (created, "Crash-proof", FALSE));
  append (outbox, rename_entry (x_id, x_version, "k1"));
  append (outbox, simple_entry (PB_OPERATION_DELETE, d_id,
                                pb_integration_get_version (find_by_id (integrations, d_id))));
  append (outbox, rename_entry (x_id, x_version, "k2"));
  append (outbox, rename_entry (created, 0, "c1"));
  append (outbox, rename_entry (y_id, y_version, "y1"));
  {
    const char *args[] = { "send-then-die", path, url, project_id, "3", NULL };
    g_autoptr(GDataInputStream) lines = NULL;
    g_autoptr(GSubprocess) helper = spawn_helper (args, ot_server_get_key (server), &lines,
                                                  NULL);

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
    g_autoptr(GOutputStream) go = NULL;
    g_autoptr(GSubprocess) helper = spawn_helper (args, ot_server_get_key (server), &lines,
                                                  &go);
    guint kill_after = g_random_int_range (2, 10);

    while (seen_acks < kill_after)
      {
        g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

        g_assert_no_error (error);
        g_assert_nonnull (line);
        g_assert_true (g_str_has_prefix (line, "ack "));
        seen_acks++;
        /* The helper waits after each acknowledgement: on, or killed there. */
        if (seen_acks < kill_after)
          {
            g_output_stream_write_all (go, "\n", 1, NULL, NULL, &error);
            g_assert_no_error (error);
          }
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
  dependent = append (outbox, simple_entry (PB_OPERATION_DISABLE, x_id, x_version));
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
  after_refused = append (outbox, simple_entry (PB_OPERATION_DISABLE, d_id, -1));
  append (outbox, rename_entry (y_id, -1, "Still goes"));

  /* Someone deletes it meanwhile. */
  pb_client_delete_integration_async (client, d_id, -1, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  g_assert_true (pb_client_delete_integration_finish (client, result, &error));

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
                            "client_secret"));
  after = ot_list_integrations (client);
  g_assert_null (find_by_id (after, created));
}

/* A create queued by the previous version, with the end user's API key and subdomain on the
 * integration: the server refuses it in words that say whose values they are, and the queue
 * keeps it for the admin to fix; the changes after it go. */
static void
test_sync_queued_before_account_fields (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *path = temp_path ("legacy.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(OtServer) server = ot_server_new_demo (db, &error);
  g_autoptr(PbClient) client = NULL;
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbSync) sync = NULL;
  g_autoptr(Counter) counter = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *created = g_uuid_string_random ();
  g_autofree char *key = g_strdup_printf ("end-user-key-%s", created);
  const char *fields[] = { "api_key", NULL };
  JsonObject *config = json_object_new ();
  g_autofree char *y_id = NULL;
  PbIntegration *y;
  const char *message;
  gint64 seq;

  g_assert_no_error (error);
  client = pb_client_new (ot_server_get_url (server), ot_server_get_key (server));
  outbox = reopen_outbox (path);
  after = ot_list_integrations (client);
  y = g_ptr_array_index (after, 0);
  y_id = g_strdup (pb_integration_get_id (y));

  json_object_set_string_member (config, "subdomain", "acme");
  json_object_set_string_member (payload, "id", created);
  json_object_set_string_member (payload, "connector_key", "bamboohr");
  json_object_set_string_member (payload, "authentication_config_key", "api_key");
  json_object_set_object_member (payload, "config", config);
  ot_store_secret (secrets, ot_server_get_url (server), ot_server_get_project_id (server),
                   created, "api_key", key);
  seq = append (outbox, pb_outbox_entry_new (PB_OPERATION_CREATE, created, -1, payload, fields));
  append (outbox, rename_entry (pb_integration_get_id (y), pb_integration_get_version (y),
                                "Goes after it"));

  sync = pb_sync_new (client, outbox);
  ot_use_keyring_for_sync (sync, secrets, ot_server_get_url (server),
                           ot_server_get_project_id (server));
  counter = counter_new (sync);
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counter->n_refused, ==, 1);
  g_assert_cmpint (pb_outbox_entry_get_state (pb_outbox_lookup (outbox, seq)), ==,
                   PB_OUTBOX_STATE_REFUSED);
  g_assert_cmpstr (pb_outbox_entry_get_code (pb_outbox_lookup (outbox, seq)), ==,
                   "validation_failed");
  message = pb_outbox_entry_get_message (pb_outbox_lookup (outbox, seq));
  g_test_message ("refused: %s", message);
  g_assert_nonnull (strstr (message, "API key is entered by each of your users when they link "
                                     "their account"));
  g_assert_nonnull (strstr (message, "Company subdomain is entered by each of your users"));
  g_assert_null (strstr (message, key));
  g_clear_pointer (&after, g_ptr_array_unref);
  after = ot_list_integrations (client);
  g_assert_null (find_by_id (after, created));
  g_assert_cmpstr (pb_integration_get_name (find_by_id (after, y_id)), ==, "Goes after it");

  /* Kept across a restart, for the admin to fix or drop. */
  g_clear_object (&sync);
  g_clear_object (&outbox);
  outbox = reopen_outbox (path);
  g_assert_cmpint (pb_outbox_entry_get_state (pb_outbox_lookup (outbox, seq)), ==,
                   PB_OUTBOX_STATE_REFUSED);
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
any_delay (gpointer data)
{
  return ((GArray *) data)->len > 0;
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
  pb_test_wait_until (enough_delays, delays, 20000);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (g_array_index (delays, guint, i), ==, expected[i]);
  g_assert_cmpint (pb_sync_get_state (sync), ==, PB_SYNC_STATE_OFFLINE);
  g_assert_false (pb_sync_get_reachable (sync));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 1);

  /* Sync now: probes at once, and the backoff starts again from the minimum. */
  g_array_set_size (delays, 0);
  pb_sync_now (sync);
  g_assert_cmpuint (pb_sync_get_probe_delay (sync), ==, 0);
  pb_test_wait_until (any_delay, delays, 20000);
  g_assert_cmpuint (g_array_index (delays, guint, 0), ==, 10);

  pb_sync_stop (sync);
  g_assert_cmpuint (pb_sync_get_probe_delay (sync), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  offline_test_init (&argc, &argv);

  g_test_add_func ("/offline/sync/server-restarted", test_sync_server_restarted);
  g_test_add_func ("/offline/sync/server-killed", test_sync_server_killed);
  g_test_add_func ("/offline/sync/client-killed", test_sync_client_killed);
  g_test_add_func ("/offline/sync/conflict/keep-mine", test_sync_conflict_keep_mine);
  g_test_add_func ("/offline/sync/conflict/keep-theirs", test_sync_conflict_keep_theirs);
  g_test_add_func ("/offline/sync/conflict/edit", test_sync_conflict_edit);
  g_test_add_func ("/offline/sync/refused", test_sync_refused);
  g_test_add_func ("/offline/sync/stops-or-refuses", test_sync_stops_or_refuses);
  g_test_add_func ("/offline/sync/queued-before-account-fields",
                   test_sync_queued_before_account_fields);
  g_test_add_func ("/offline/sync/backoff", test_sync_backoff);
  g_test_add_func ("/offline/sync/network-changed", test_sync_network_changed);

  return offline_test_run ();
}
