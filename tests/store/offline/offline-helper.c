/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "offline-helper"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "offline-test-util.h"

/*
 * A process for the offline tests to kill with SIGKILL:
 *   offline-helper snapshot-loop DB          saves two different snapshots in turn, forever
 *   offline-helper sync DB URL PROJECT       replays the outbox, printing "ack SEQ" lines
 *   offline-helper send-then-die DB URL PROJECT N
 *                                            sends the first N queued changes itself, as the
 *                                            sync would, then dies before acknowledging any
 * The API key comes on stdin (never on the command line).
 */

static GPtrArray *
make_snapshot (const char *prefix,
               guint       n)
{
  GPtrArray *integrations = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *id = g_strdup_printf ("%s-%03u", prefix, i);
      PbIntegration *integration;

      json_object_set_string_member (object, "id", id);
      json_object_set_string_member (object, "name", id);
      json_object_set_string_member (object, "connector_key", prefix);
      json_object_set_string_member (object, "authentication_config_key", "api_key");
      json_object_set_boolean_member (object, "active", TRUE);
      json_object_set_boolean_member (object, "default", i == 0);
      json_object_set_int_member (object, "version", 1);
      integration = pb_integration_new_from_json (object, &error);
      g_assert_no_error (error);
      g_ptr_array_add (integrations, integration);
    }
  return integrations;
}

static int
snapshot_loop (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbReplica) replica = pb_replica_open_path (db, &error);
  g_autoptr(GPtrArray) a = make_snapshot ("a", 10);
  g_autoptr(GPtrArray) b = make_snapshot ("b", 25);

  g_assert_no_error (error);
  for (guint round = 0; ; round++)
    {
      if (!pb_replica_save_snapshot (replica, NULL, NULL, round % 2 ? b : a, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (round == 1)
        {
          printf ("ready\n");
          fflush (stdout);
        }
    }
  return 0;
}

static char *
read_key (void)
{
  char buffer[512];
  size_t len;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  len = strlen (buffer);
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';
  return g_strdup (buffer);
}

static void
on_acknowledged_cb (PbSync        *sync,
                    PbOutboxEntry *entry,
                    PbIntegration *answer,
                    gpointer       user_data)
{
  char buffer[8];

  printf ("ack %" G_GINT64_FORMAT "\n", pb_outbox_entry_get_seq (entry));
  fflush (stdout);
  /* Waits for the test's go-ahead (a line; none when stdin was closed): the test kills it
   * here, with the next change already on its way, however loaded the machine is. */
  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    g_debug ("No go-ahead to wait for: stdin is closed");
}

static int
sync_all (const char *db,
          const char *url,
          const char *project_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = read_key ();
  g_autoptr(PbReplica) replica = pb_replica_open_path (db, &error);
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbClient) client = pb_client_new (url, key);
  g_autoptr(PbSync) sync = NULL;
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);
  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);
  sync = pb_sync_new (client, outbox);
  ot_use_keyring_for_sync (sync, secrets, url, project_id);
  g_signal_connect (sync, "acknowledged", G_CALLBACK (on_acknowledged_cb), NULL);

  pb_sync_run_async (sync, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 60000);
  g_assert_nonnull (result);
  if (!pb_sync_run_finish (sync, result, &error))
    {
      g_printerr ("The replay stopped: %s\n", error->message);
      return 1;
    }
  printf ("done\n");
  fflush (stdout);
  return 0;
}

/* What PbSync sends for @entry, sent here without touching the outbox. */
static void
send_like_sync (PbClient      *client,
                PbSecrets     *secrets,
                const char    *url,
                const char    *project_id,
                PbOutboxEntry *entry)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  const char * const *fields = pb_outbox_entry_get_secret_fields (entry);
  const char *id = pb_outbox_entry_get_integration_id (entry);

  json_object_iter_init (&iter, pb_outbox_entry_get_payload (entry));
  while (json_object_iter_next (&iter, &member, &node))
    json_object_set_member (body, member, json_node_copy (node));
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autoptr(GAsyncResult) looked_up = NULL;
      char *value;

      if (!json_object_has_member (body, "secrets"))
        json_object_set_object_member (body, "secrets", json_object_new ());
      pb_secrets_lookup_async (secrets, url, project_id, id, fields[i], NULL, pb_test_async_ready_cb,
                               &looked_up);
      looked_up = pb_test_await (&looked_up, 30000);
      value = pb_secrets_lookup_finish (secrets, looked_up, &error);
      g_assert_no_error (error);
      g_assert_nonnull (value);
      json_object_set_string_member (json_object_get_object_member (body, "secrets"), fields[i],
                                     value);
      secret_password_free (value);
    }

  switch (pb_outbox_entry_get_kind (entry))
    {
    case PB_OPERATION_CREATE:
      pb_client_create_integration_async (client, body, NULL, pb_test_async_ready_cb, &result);
      result = pb_test_await (&result, 30000);
      g_assert_nonnull (pb_client_create_integration_finish (client, result, &error));
      break;
    case PB_OPERATION_DELETE:
      pb_client_delete_integration_async (client, id, pb_outbox_entry_get_base_version (entry),
                                          NULL, pb_test_async_ready_cb, &result);
      result = pb_test_await (&result, 30000);
      g_assert_true (pb_client_delete_integration_finish (client, result, &error));
      break;
    case PB_OPERATION_UPDATE:
    case PB_OPERATION_CHANGE_AUTH_TYPE:
    case PB_OPERATION_SET_CREDENTIALS:
    case PB_OPERATION_ENABLE:
    case PB_OPERATION_DISABLE:
    case PB_OPERATION_MAKE_DEFAULT:
    default:
      {
        g_autoptr(PbIntegration) answer = NULL;

        pb_client_update_integration_async (client, id, body,
                                            pb_outbox_entry_get_base_version (entry), NULL,
                                            pb_test_async_ready_cb, &result);
        result = pb_test_await (&result, 30000);
        answer = pb_client_update_integration_finish (client, result, &error);
        g_assert_nonnull (answer);
      }
      break;
    }
  g_assert_no_error (error);
  printf ("sent %" G_GINT64_FORMAT "\n", pb_outbox_entry_get_seq (entry));
  fflush (stdout);
}

static int
send_then_die (const char *db,
               const char *url,
               const char *project_id,
               guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = read_key ();
  g_autoptr(PbReplica) replica = pb_replica_open_path (db, &error);
  g_autoptr(PbOutbox) outbox = NULL;
  g_autoptr(PbClient) client = pb_client_new (url, key);
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();

  g_assert_no_error (error);
  outbox = pb_outbox_new (replica, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n && i < g_list_model_get_n_items (G_LIST_MODEL (outbox)); i++)
    {
      g_autoptr(PbOutboxEntry) entry = g_list_model_get_item (G_LIST_MODEL (outbox), i);

      send_like_sync (client, secrets, url, project_id, entry);
    }

  /* The server has them; the outbox does not know: the crash window of a replay. */
  raise (SIGKILL);
  return 1;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "snapshot-loop"))
    return snapshot_loop (argv[2]);
  if (argc == 5 && g_str_equal (argv[1], "sync"))
    return sync_all (argv[2], argv[3], argv[4]);
  if (argc == 6 && g_str_equal (argv[1], "send-then-die"))
    return send_then_die (argv[2], argv[3], argv[4], (guint) g_ascii_strtoull (argv[5], NULL, 10));

  g_printerr ("usage: offline-helper snapshot-loop DB | sync DB URL PROJECT | "
              "send-then-die DB URL PROJECT N (key on stdin)\n");
  return 2;
}
