/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-offline-ui"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "offline-test-util.h"
#include "pb-offline-ui.h"

/* The offline widgets under Xvfb, against a durable `plugboard-server serve` that each test
 * stops and starts again, the session keyring and a real replica. Expected values come from
 * the server (a second client) or are made up per run. */

typedef struct
{
  char *dir;
  OtServer *server;
  PbClient *observer;
  PbSecrets *secrets;
  char *project_id;
  GtkWindow *window;
} Fixture;

static PbStore *
new_store (Fixture    *fixture,
           const char *project_id)
{
  g_autoptr(PbClient) client = pb_client_new (ot_server_get_url (fixture->server),
                                              ot_server_get_key (fixture->server));

  return pb_store_new (client, fixture->secrets, ot_server_get_url (fixture->server),
                       project_id);
}

static void
load (PbStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pb_store_load_async (store, NULL, pb_test_async_ready_cb, &result);
  /* Only "Sync now" may find the backend again within a test: no probe of its own for a
   * minute (the sync exists once the load started, for a project id known beforehand). */
  if (pb_store_get_sync (store) != NULL)
    pb_sync_set_backoff (pb_store_get_sync (store), 60000, 60000);
  result = pb_test_await (&result, 30000);
  g_assert_true (pb_store_load_finish (store, result, &error));
  g_assert_no_error (error);
}

static void
apply_queued (PbStore     *store,
              PbOperation *operation)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pb_store_apply_async (store, operation, NULL, NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  g_assert_true (pb_store_apply_finish (store, result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pb_store_apply_was_queued (store, result));
}

static gboolean
store_synced_once (gpointer data)
{
  return pb_store_get_last_refresh (data) != NULL && pb_store_get_sync_state (data) ==
         PB_SYNC_STATE_IDLE && pb_store_get_reachable (data);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autoptr(PbStore) first = NULL;

  fixture->dir = g_dir_make_tmp ("pb-offline-ui-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->dir, "server.db", NULL);
  fixture->server = ot_server_new_demo (db, &error);
  g_assert_no_error (error);
  fixture->observer = pb_client_new (ot_server_get_url (fixture->server),
                                     ot_server_get_key (fixture->server));
  fixture->secrets = pb_secrets_new ();

  /* A first, online load caches the project; its id is what the settings keep. */
  first = new_store (fixture, NULL);
  load (first);
  pb_test_wait_until (store_synced_once, first, 20000);
  fixture->project_id = g_strdup (pb_store_get_project_id (first));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 600);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "server.db", NULL);
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_pointer (&fixture->window, gtk_window_destroy);
  g_clear_object (&fixture->observer);
  g_clear_object (&fixture->secrets);
  g_clear_pointer (&fixture->server, ot_server_free);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

      g_remove (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->project_id);
}

static void
show (Fixture   *fixture,
      GtkWidget *widget)
{
  gtk_window_set_child (fixture->window, widget);
  gtk_window_present (fixture->window);
}

/* Opens the indicator's popover, as a click on it does, so its buttons are realized. */
static void
open_popover (GtkWidget *indicator)
{
  gtk_menu_button_popup (GTK_MENU_BUTTON (adw_bin_get_child (ADW_BIN (indicator))));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
banner_hidden (gpointer data)
{
  return !pb_offline_banner_get_revealed (data);
}

static void
test_banner (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  GtkWidget *banner;
  const char *text;

  ot_server_stop (fixture->server, SIGTERM);
  store = new_store (fixture, fixture->project_id);
  banner = pb_offline_banner_new (store);
  show (fixture, banner);
  g_assert_false (pb_offline_banner_get_revealed (PB_OFFLINE_BANNER (banner)));

  /* Opened from the cache: the bar says so, with the time of the cache. */
  load (store);
  g_assert_true (pb_offline_banner_get_revealed (PB_OFFLINE_BANNER (banner)));
  text = pb_offline_banner_get_text (PB_OFFLINE_BANNER (banner));
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "Offline — showing the state of "));

  /* The backend is back; "Sync now" finds it and the bar goes. */
  g_assert_true (ot_server_start (fixture->server, &error));
  g_assert_no_error (error);
  gtk_widget_activate (GTK_WIDGET (pb_offline_banner_get_sync_button (PB_OFFLINE_BANNER (banner))));
  pb_test_wait_until (banner_hidden, banner, 20000);
  g_assert_true (pb_store_get_online (store));
}

static gboolean
indicator_synced (gpointer data)
{
  return g_strcmp0 (pb_sync_indicator_get_summary (data), "Synced") == 0;
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static void
test_indicator (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  GListModel *model;
  GtkWidget *indicator;
  g_autofree char *expected = NULL;
  guint n_changes = 3;

  ot_server_stop (fixture->server, SIGKILL);
  store = new_store (fixture, fixture->project_id);
  indicator = pb_sync_indicator_new (store);
  show (fixture, indicator);
  load (store);
  model = pb_store_get_integrations (store);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, n_changes);

  for (guint i = 0; i < n_changes; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (model, i);
      g_autofree char *name = g_uuid_string_random ();
      g_autoptr(PbOperation) rename =
        pb_operation_new_update (pb_integration_get_id (integration),
                                 pb_integration_get_version (integration), name, NULL);

      apply_queued (store, rename);
    }

  /* Counted, and listed one row per change in the popover. */
  expected = g_strdup_printf ("%u changes waiting to sync", n_changes);
  g_assert_cmpstr (pb_sync_indicator_get_summary (PB_SYNC_INDICATOR (indicator)), ==, expected);
  g_assert_cmpuint (n_rows (pb_sync_indicator_get_list (PB_SYNC_INDICATOR (indicator))), ==,
                    n_changes);

  /* Back online: "Sync now" sends them all. */
  g_assert_true (ot_server_start (fixture->server, &error));
  g_assert_no_error (error);
  open_popover (indicator);
  gtk_widget_activate (GTK_WIDGET (pb_sync_indicator_get_sync_button (PB_SYNC_INDICATOR (indicator))));
  pb_test_wait_until (indicator_synced, indicator, 20000);
  g_assert_cmpuint (pb_store_get_n_pending (store), ==, 0);
  g_assert_cmpuint (n_rows (pb_sync_indicator_get_list (PB_SYNC_INDICATOR (indicator))), ==, 0);
}

static gboolean nothing_pending (gpointer data);

static gboolean
first_refused (gpointer data)
{
  g_autoptr(PbOutboxEntry) entry = g_list_model_get_item (pb_store_get_pending (data), 0);

  return entry != NULL && pb_outbox_entry_get_state (entry) == PB_OUTBOX_STATE_REFUSED;
}

static GtkWidget *
find_child (GtkWidget  *parent,
            const char *name,
            const char *label_text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (name != NULL && g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        return child;
      if (label_text != NULL && GTK_IS_LABEL (child) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), label_text) == 0)
        return child;
      found = find_child (child, name, label_text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A change refused on replay (its integration was deleted meanwhile) stays in the list with
 * the server's sentence until the admin dismisses it. */
static void
test_indicator_refused (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(PbIntegration) target = NULL;
  g_autoptr(PbOperation) rename = NULL;
  g_autoptr(PbOutboxEntry) refused = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *name = g_uuid_string_random ();
  GListModel *model;
  GtkWidget *indicator, *row, *dismiss;

  ot_server_stop (fixture->server, SIGTERM);
  store = new_store (fixture, fixture->project_id);
  indicator = pb_sync_indicator_new (store);
  show (fixture, indicator);
  load (store);

  model = pb_store_get_integrations (store);
  for (guint i = 0; i < g_list_model_get_n_items (model) && target == NULL; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (model, i);

      if (!pb_integration_get_is_default (integration) &&
          pb_integration_get_accounts_total (integration) == 0)
        target = g_object_ref (integration);
    }
  g_assert_nonnull (target);
  rename = pb_operation_new_update (pb_integration_get_id (target),
                                    pb_integration_get_version (target), name, NULL);
  apply_queued (store, rename);

  g_assert_true (ot_server_start (fixture->server, &error));
  g_assert_no_error (error);
  pb_client_delete_integration_async (fixture->observer, pb_integration_get_id (target), -1,
                                      NULL, pb_test_async_ready_cb, &result);
  result = pb_test_await (&result, 30000);
  g_assert_true (pb_client_delete_integration_finish (fixture->observer, result, &error));
  g_assert_no_error (error);

  open_popover (indicator);
  gtk_widget_activate (GTK_WIDGET (pb_sync_indicator_get_sync_button (PB_SYNC_INDICATOR (indicator))));
  pb_test_wait_until (first_refused, store, 20000);
  refused = g_list_model_get_item (pb_store_get_pending (store), 0);
  g_assert_nonnull (pb_outbox_entry_get_message (refused));
  g_assert_cmpstr (pb_sync_indicator_get_summary (PB_SYNC_INDICATOR (indicator)), ==,
                   "1 change waiting to sync");

  row = GTK_WIDGET (gtk_list_box_get_row_at_index (
                      pb_sync_indicator_get_list (PB_SYNC_INDICATOR (indicator)), 0));
  g_assert_nonnull (row);
  g_assert_nonnull (find_child (row, NULL, pb_outbox_entry_get_message (refused)));
  dismiss = find_child (row, "dismiss", NULL);
  g_assert_nonnull (dismiss);
  gtk_widget_activate (dismiss);   /* a button's activation ends in "clicked" shortly after */
  pb_test_wait_until (nothing_pending, store, 5000);
  pb_test_wait_until (indicator_synced, indicator, 20000);
}

typedef struct
{
  GPtrArray *entries;   /* PbOutboxEntry */
  GPtrArray *theirs;    /* JsonObject */
} Conflicts;

static void
on_conflict_cb (PbStore       *store,
                PbOutboxEntry *entry,
                JsonObject    *theirs,
                Conflicts     *conflicts)
{
  g_ptr_array_add (conflicts->entries, g_object_ref (entry));
  g_ptr_array_add (conflicts->theirs, json_object_ref (theirs));
}

static gboolean
three_conflicts (gpointer data)
{
  return ((Conflicts *) data)->entries->len >= 3;
}

static gboolean
nothing_pending (gpointer data)
{
  return pb_store_get_n_pending (data) == 0;
}

static void
test_conflict_dialog (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  Conflicts conflicts = {
    g_ptr_array_new_with_free_func (g_object_unref),
    g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref),
  };
  const char *responses[] = { "mine", "theirs", "edit" };
  char *ids[3], *mine[3], *theirs[3];
  g_autofree char *edited = g_uuid_string_random ();
  GListModel *model;

  ot_server_stop (fixture->server, SIGTERM);
  store = new_store (fixture, fixture->project_id);
  g_signal_connect (store, "conflict", G_CALLBACK (on_conflict_cb), &conflicts);
  load (store);
  model = pb_store_get_integrations (store);

  /* Three offline renames… */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (model, i);
      g_autoptr(PbOperation) rename = NULL;

      ids[i] = g_strdup (pb_integration_get_id (integration));
      mine[i] = g_strdup_printf ("mine-%s", ids[i]);
      rename = pb_operation_new_update (ids[i], pb_integration_get_version (integration),
                                        mine[i], NULL);
      apply_queued (store, rename);
    }

  /* …while someone else renamed the same three. */
  g_assert_true (ot_server_start (fixture->server, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PbIntegration) other = NULL;

      theirs[i] = g_strdup_printf ("theirs-%s", ids[i]);
      other = ot_update_name (fixture->observer, ids[i], theirs[i], &error);
      g_assert_no_error (error);
    }

  pb_store_sync_now (store);
  pb_test_wait_until (three_conflicts, &conflicts, 20000);

  /* One dialog per conflict; each button resolves its own. */
  for (guint i = 0; i < 3; i++)
    {
      PbOutboxEntry *entry = g_ptr_array_index (conflicts.entries, i);
      guint k;
      GtkWidget *dialog;
      GtkEditable *name_entry;

      for (k = 0; k < 3; k++)
        if (g_strcmp0 (ids[k], pb_outbox_entry_get_integration_id (entry)) == 0)
          break;
      g_assert_cmpuint (k, <, 3);

      dialog = pb_conflict_dialog_new (fixture->window, store, entry,
                                       g_ptr_array_index (conflicts.theirs, i));
      gtk_window_present (GTK_WINDOW (dialog));
      name_entry = pb_conflict_dialog_get_field_entry (PB_CONFLICT_DIALOG (dialog), "name");
      g_assert_nonnull (name_entry);
      g_assert_cmpstr (gtk_editable_get_text (name_entry), ==, mine[k]);
      if (g_str_equal (responses[k], "edit"))
        {
          g_free (mine[k]);
          mine[k] = g_strdup_printf ("edited-%s", edited);
          gtk_editable_set_text (name_entry, mine[k]);
        }
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), responses[k]);
      g_assert_null (pb_conflict_dialog_get_error (PB_CONFLICT_DIALOG (dialog)));
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  pb_store_sync_now (store);
  pb_test_wait_until (nothing_pending, store, 20000);

  for (guint k = 0; k < 3; k++)
    {
      g_autoptr(PbIntegration) on_server = ot_get_integration (fixture->observer, ids[k], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (pb_integration_get_name (on_server), ==,
                       g_str_equal (responses[k], "theirs") ? theirs[k] : mine[k]);
      g_free (ids[k]);
      g_free (mine[k]);
      g_free (theirs[k]);
    }
  g_ptr_array_unref (conflicts.entries);
  g_ptr_array_unref (conflicts.theirs);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/offline-ui/banner", test_banner);
  ADD ("/offline-ui/indicator", test_indicator);
  ADD ("/offline-ui/indicator-refused", test_indicator_refused);
  ADD ("/offline-ui/conflict-dialog", test_conflict_dialog);

#undef ADD

  return g_test_run ();
}
