/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-secrets"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "pb-api.h"
#include "pb-secrets.h"
#include "pb-store-error.h"
#include "pb-store-test-util.h"

/* Runs against the gnome-keyring-daemon of the headless session; the locked, unavailable
 * and roll-back paths run in subprocesses on a private bus (GTestDBus) so that they never
 * disturb the session keyring other tests use at the same time. */

/* Synchronous wrappers for the tests only (the library itself never blocks). */

static gboolean
store_fields (PbSecrets     *secrets,
              const char    *backend,
              const char    *project,
              const char    *integration,
              GHashTable    *fields,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(PbWaiter) waiter = pb_waiter_new ();

  pb_secrets_store_async (secrets, backend, project, integration, fields, cancellable,
                          pb_waiter_cb, waiter);
  return pb_secrets_store_finish (secrets, pb_waiter_wait (waiter), error);
}

static char *
lookup_field (PbSecrets   *secrets,
              const char  *backend,
              const char  *project,
              const char  *integration,
              const char  *field,
              GError     **error)
{
  g_autoptr(PbWaiter) waiter = pb_waiter_new ();

  pb_secrets_lookup_async (secrets, backend, project, integration, field, NULL,
                           pb_waiter_cb, waiter);
  return pb_secrets_lookup_finish (secrets, pb_waiter_wait (waiter), error);
}

static gboolean
clear_field (PbSecrets   *secrets,
             const char  *backend,
             const char  *project,
             const char  *integration,
             const char  *field,
             GError     **error)
{
  g_autoptr(PbWaiter) waiter = pb_waiter_new ();

  pb_secrets_clear_async (secrets, backend, project, integration, field, NULL,
                          pb_waiter_cb, waiter);
  return pb_secrets_clear_finish (secrets, pb_waiter_wait (waiter), error);
}

static gboolean
clear_integration (PbSecrets   *secrets,
                   const char  *backend,
                   const char  *project,
                   const char  *integration,
                   GError     **error)
{
  g_autoptr(PbWaiter) waiter = pb_waiter_new ();

  pb_secrets_clear_integration_async (secrets, backend, project, integration, NULL,
                                      pb_waiter_cb, waiter);
  return pb_secrets_clear_integration_finish (secrets, pb_waiter_wait (waiter), error);
}

static GHashTable *
fields_new (const char *first_key,
            ...)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;
  const char *key = first_key;

  va_start (args, first_key);
  while (key != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_hash_table_insert (fields, g_strdup (key), g_strdup (value));
      key = va_arg (args, const char *);
    }
  va_end (args);

  return fields;
}

/* A backend URL no other test run uses, so parallel runs do not see each other's items. */
static char *
unique_backend (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("http://127.0.0.1:9/test-secrets-%s/", uuid);
}

/* Fresh values per run: nothing in the tests is a constant the code could echo back. */
static char *
random_value (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("%s-%s", prefix, uuid);
}

static void
assert_lookup (PbSecrets  *secrets,
               const char *backend,
               const char *project,
               const char *integration,
               const char *field,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  char *value = lookup_field (secrets, backend, project, integration, field, &error);

  g_assert_no_error (error);
  /* Not g_assert_cmpstr: a failure must not print a credential. */
  if (expected == NULL)
    g_assert_true (value == NULL);
  else
    g_assert_true (value != NULL && strcmp (value, expected) == 0);
  secret_password_free (value);
}

static void
test_round_trip (void)
{
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autofree char *backend = unique_backend ();
  g_autofree char *key_value = random_value ("key");
  g_autofree char *token_value = random_value ("token");
  g_autofree char *replaced = random_value ("replaced");
  g_autoptr(GHashTable) fields = fields_new ("api_key", key_value, "token", token_value, NULL);
  g_autoptr(GHashTable) update = fields_new ("api_key", replaced, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *no_slash = g_strndup (backend, strlen (backend) - 1);

  g_assert_true (store_fields (secrets, backend, "proj-1", "int-a", fields, NULL, &error));
  g_assert_no_error (error);

  assert_lookup (secrets, backend, "proj-1", "int-a", "api_key", key_value);
  assert_lookup (secrets, backend, "proj-1", "int-a", "token", token_value);
  /* The backend attribute is normalised: a trailing slash does not matter. */
  assert_lookup (secrets, no_slash, "proj-1", "int-a", "token", token_value);
  /* Other attributes do matter. */
  assert_lookup (secrets, backend, "proj-2", "int-a", "token", NULL);
  assert_lookup (secrets, backend, "proj-1", "int-b", "token", NULL);
  assert_lookup (secrets, backend, "proj-1", "int-a", "missing", NULL);

  /* Storing again replaces the value, it does not add a second item. */
  g_assert_true (store_fields (secrets, backend, "proj-1", "int-a", update, NULL, &error));
  g_assert_no_error (error);
  assert_lookup (secrets, backend, "proj-1", "int-a", "api_key", replaced);
  assert_lookup (secrets, backend, "proj-1", "int-a", "token", token_value);

  g_assert_true (clear_integration (secrets, backend, "proj-1", "int-a", &error));
  g_assert_no_error (error);
}

static void
test_items_carry_schema (void)
{
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autofree char *backend = unique_backend ();
  g_autofree char *value = random_value ("v");
  g_autoptr(GHashTable) fields = fields_new ("password", value, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autolist(SecretItem) items = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autofree char *label = NULL;
  GHashTable *item_attributes;

  g_assert_true (store_fields (secrets, backend, "proj", "int-x", fields, NULL, &error));
  g_assert_no_error (error);

  /* Look at the item as another keyring client would (test only: sync is fine here). */
  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (char *) "integration", (char *) "int-x");
  g_hash_table_insert (attributes, (char *) "project", (char *) "proj");
  items = secret_service_search_sync (service, pb_secrets_get_schema (), attributes,
                                      SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), >=, 1);
  {
    SecretItem *found = NULL;

    for (GList *l = items; l; l = l->next)
      {
        g_autoptr(GHashTable) a = secret_item_get_attributes (l->data);
        g_autofree char *normal = pb_client_normalize_url (backend);

        if (g_strcmp0 (g_hash_table_lookup (a, "backend"), normal) == 0)
          found = l->data;
      }
    g_assert_nonnull (found);
    label = secret_item_get_label (found);
    g_assert_cmpstr (label, ==, "Plugboard: password for integration int-x");
    item_attributes = secret_item_get_attributes (found);
    g_assert_cmpstr (g_hash_table_lookup (item_attributes, "xdg:schema"), ==,
                     PB_SECRETS_SCHEMA_NAME);
    g_assert_cmpstr (g_hash_table_lookup (item_attributes, "field"), ==, "password");
    g_hash_table_unref (item_attributes);
  }

  g_assert_true (clear_integration (secrets, backend, "proj", "int-x", &error));
  g_assert_no_error (error);
}

static void
test_clear (void)
{
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autofree char *backend = unique_backend ();
  g_autofree char *a = random_value ("a");
  g_autofree char *b = random_value ("b");
  g_autoptr(GHashTable) fields = fields_new ("a", a, "b", b, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (store_fields (secrets, backend, "p", "i", fields, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (clear_field (secrets, backend, "p", "i", "a", &error));
  g_assert_no_error (error);
  assert_lookup (secrets, backend, "p", "i", "a", NULL);
  assert_lookup (secrets, backend, "p", "i", "b", b);

  /* Clearing what is not there is not an error. */
  g_assert_true (clear_field (secrets, backend, "p", "i", "a", &error));
  g_assert_no_error (error);

  g_assert_true (clear_field (secrets, backend, "p", "i", "b", &error));
  g_assert_no_error (error);
  assert_lookup (secrets, backend, "p", "i", "b", NULL);
}

static void
test_clear_integration (void)
{
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autofree char *backend = unique_backend ();
  g_autofree char *a1 = random_value ("a1");
  g_autofree char *a2 = random_value ("a2");
  g_autofree char *b1 = random_value ("b1");
  g_autofree char *api_key = random_value ("apikey");
  g_autoptr(GHashTable) fields_a = fields_new ("one", a1, "two", a2, NULL);
  g_autoptr(GHashTable) fields_b = fields_new ("one", b1, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbWaiter) waiter = pb_waiter_new ();
  char *value;

  g_assert_true (store_fields (secrets, backend, "p", "int-a", fields_a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (store_fields (secrets, backend, "p", "int-b", fields_b, NULL, &error));
  g_assert_no_error (error);
  pb_secrets_store_api_key_async (secrets, backend, "p", "Test project", api_key, NULL,
                                  pb_waiter_cb, waiter);
  g_assert_true (pb_secrets_store_api_key_finish (secrets, pb_waiter_wait (waiter), &error));
  g_assert_no_error (error);
  g_clear_object (&waiter->result);

  g_assert_true (clear_integration (secrets, backend, "p", "int-a", &error));
  g_assert_no_error (error);

  assert_lookup (secrets, backend, "p", "int-a", "one", NULL);
  assert_lookup (secrets, backend, "p", "int-a", "two", NULL);
  assert_lookup (secrets, backend, "p", "int-b", "one", b1);

  /* The project's API key is not an integration's field and survives. */
  pb_secrets_lookup_api_key_async (secrets, backend, "p", NULL, pb_waiter_cb, waiter);
  value = pb_secrets_lookup_api_key_finish (secrets, pb_waiter_wait (waiter), &error);
  g_assert_no_error (error);
  g_assert_true (value != NULL && strcmp (value, api_key) == 0);
  secret_password_free (value);
  g_clear_object (&waiter->result);

  /* An empty integration id would match the API key: refused. */
  g_assert_false (clear_integration (secrets, backend, "p", "", &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  pb_secrets_clear_api_key_async (secrets, backend, "p", NULL, pb_waiter_cb, waiter);
  g_assert_true (pb_secrets_clear_api_key_finish (secrets, pb_waiter_wait (waiter), &error));
  g_assert_no_error (error);
  g_clear_object (&waiter->result);

  pb_secrets_lookup_api_key_async (secrets, backend, "p", NULL, pb_waiter_cb, waiter);
  value = pb_secrets_lookup_api_key_finish (secrets, pb_waiter_wait (waiter), &error);
  g_assert_no_error (error);
  g_assert_null (value);

  g_assert_true (clear_integration (secrets, backend, "p", "int-b", &error));
  g_assert_no_error (error);
}

static void
test_invalid_input (void)
{
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(GHashTable) fields = fields_new ("a", "x", NULL);
  g_autoptr(GError) error = NULL;
  char *value;

  g_assert_false (store_fields (secrets, "", "p", "i", fields, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "backend"));
  g_clear_error (&error);

  value = lookup_field (secrets, "http://127.0.0.1:9", "p", "i", "", &error);
  g_assert_null (value);
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID_INPUT);
}

/* Private bus helpers for the subprocess tests. */

typedef struct
{
  GTestDBus   *bus;
  GSubprocess *daemon;
  char        *tmpdir;
} PrivateSession;

static gboolean
name_has_owner (GDBusConnection *connection,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

/* A bus with nothing on it; with @with_keyring, a gnome-keyring-daemon of our own with an
 * unlocked login keyring (throw-away password) and no prompter: any prompt fails at once. */
static PrivateSession *
private_session_new (gboolean with_keyring)
{
  PrivateSession *session = g_new0 (PrivateSession, 1);
  g_autoptr(GError) error = NULL;

  session->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (session->bus);

  if (with_keyring)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GDBusConnection) connection = NULL;
      g_autofree char *password = g_uuid_string_random ();
      GOutputStream *input;
      guint i;

      session->tmpdir = g_dir_make_tmp ("pb-keyring-XXXXXX", &error);
      g_assert_no_error (error);
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                            G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_subprocess_launcher_setenv (launcher, "HOME", session->tmpdir, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", session->tmpdir, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", session->tmpdir, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", session->tmpdir, TRUE);
      g_subprocess_launcher_unsetenv (launcher, "GNOME_KEYRING_CONTROL");
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      session->daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                                     "--foreground", "--unlock",
                                                     "--components=secrets", NULL);
      g_assert_no_error (error);
      input = g_subprocess_get_stdin_pipe (session->daemon);
      g_output_stream_write_all (input, password, strlen (password), NULL, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_close (input, NULL, &error);
      g_assert_no_error (error);

      connection =
        g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (session->bus),
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
      g_assert_no_error (error);
      for (i = 0; i < 200 && !name_has_owner (connection, "org.freedesktop.secrets"); i++)
        g_usleep (50 * 1000);
      g_assert_cmpuint (i, <, 200);
      g_dbus_connection_close_sync (connection, NULL, NULL);
    }

  return session;
}

/* Removes the throw-away keyring's directory (a few levels of files). */
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

static void
private_session_free (PrivateSession *session)
{
  if (session->daemon != NULL)
    {
      g_subprocess_force_exit (session->daemon);
      g_subprocess_wait (session->daemon, NULL, NULL);
      g_object_unref (session->daemon);
    }
  /* libsecret's proxies keep the bus connection alive, so g_test_dbus_down() would wait for
   * it in vain: stop the bus and let the process (always a test subprocess) exit, without
   * the shared connection ending it first when it sees the bus go. */
  secret_service_disconnect ();
  {
    g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

    if (connection != NULL)
      g_dbus_connection_set_exit_on_close (connection, FALSE);
  }
  g_test_dbus_stop (session->bus);
  g_steal_pointer (&session->bus);
  if (session->tmpdir != NULL)
    {
      remove_tree (session->tmpdir);
      g_free (session->tmpdir);
    }
  g_free (session);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrivateSession, private_session_free)

static void
test_unavailable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(PrivateSession) session = private_session_new (FALSE);
      g_autoptr(PbSecrets) secrets = pb_secrets_new ();
      g_autoptr(GHashTable) fields = fields_new ("a", "b", NULL);
      g_autoptr(GError) error = NULL;
      char *value;

      value = lookup_field (secrets, "http://127.0.0.1:9", "p", "i", "a", &error);
      g_assert_null (value);
      g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_UNAVAILABLE);
      g_printerr ("lookup: %s\n", error->message);
      g_clear_error (&error);

      g_assert_false (store_fields (secrets, "http://127.0.0.1:9", "p", "i", fields, NULL,
                                    &error));
      g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_UNAVAILABLE);
      g_printerr ("store: %s\n", error->message);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*lookup: No keyring is available to keep credentials in.*"
                             "store: No keyring is available*");
}

static void
lock_default_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  GList *objects;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  objects = g_list_append (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_assert_no_error (error);
  g_list_free (objects);
  g_assert_true (secret_collection_get_locked (collection));
}

static void
test_locked (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(PrivateSession) session = private_session_new (TRUE);
      g_autoptr(PbSecrets) secrets = pb_secrets_new ();
      g_autofree char *a = random_value ("a");
      g_autoptr(GHashTable) fields = fields_new ("a", a, "b", "second", NULL);
      g_autoptr(GError) error = NULL;

      /* Works while unlocked … */
      g_assert_true (store_fields (secrets, "http://127.0.0.1:9", "p", "i", fields, NULL,
                                   &error));
      g_assert_no_error (error);
      assert_lookup (secrets, "http://127.0.0.1:9", "p", "i", "a", a);

      /* … and says so clearly once locked, with no way to prompt. */
      lock_default_collection ();
      g_assert_false (store_fields (secrets, "http://127.0.0.1:9", "p", "other", fields, NULL,
                                    &error));
      g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_LOCKED);
      g_printerr ("store: %s\n", error->message);
      g_clear_error (&error);

      /* Reading a value that is there, behind the lock, says so too (not "no value"). */
      {
        char *value = lookup_field (secrets, "http://127.0.0.1:9", "p", "i", "a", &error);

        g_printerr ("lookup: %s\n", value ? "value" : error ? error->message : "none");
        secret_password_free (value);
      }
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*store: The keyring is locked. Unlock it and try again.*"
                             "lookup: The keyring is locked. Unlock it and try again.*");
}

/* Cancels @cancellable when the keyring announces the first item written. */
static void
on_item_signal_cb (GDBusConnection *connection,
                   const char      *sender,
                   const char      *path,
                   const char      *interface,
                   const char      *signal,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  GCancellable *cancellable = user_data;

  if (g_str_equal (signal, "ItemCreated") || g_str_equal (signal, "ItemChanged"))
    g_cancellable_cancel (cancellable);
}

static void
test_all_or_nothing (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(PrivateSession) session = private_session_new (TRUE);
      g_autoptr(PbSecrets) secrets = pb_secrets_new ();
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GDBusConnection) bus = NULL;
      g_autofree char *old_a = random_value ("old-a");
      g_autofree char *new_a = random_value ("new-a");
      g_autofree char *new_b = random_value ("new-b");
      g_autoptr(GHashTable) before = fields_new ("a", old_a, NULL);
      g_autoptr(GHashTable) fields = fields_new ("a", new_a, "b", new_b, NULL);
      g_autoptr(GError) error = NULL;
      guint subscription;

      g_assert_true (store_fields (secrets, "http://127.0.0.1:9", "p", "i", before, NULL,
                                   &error));
      g_assert_no_error (error);

      /* Interrupt the two-field store right after its first field ("a") was written. */
      bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      g_assert_no_error (error);
      subscription = g_dbus_connection_signal_subscribe (bus, NULL,
                                                         "org.freedesktop.Secret.Collection",
                                                         NULL, NULL, NULL,
                                                         G_DBUS_SIGNAL_FLAGS_NONE,
                                                         on_item_signal_cb, cancellable,
                                                         NULL);
      g_assert_false (store_fields (secrets, "http://127.0.0.1:9", "p", "i", fields,
                                    cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_dbus_connection_signal_unsubscribe (bus, subscription);

      /* Nothing half-written: "a" has its old value back, "b" was never kept. */
      assert_lookup (secrets, "http://127.0.0.1:9", "p", "i", "a", old_a);
      assert_lookup (secrets, "http://127.0.0.1:9", "p", "i", "b", NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secrets/round-trip", test_round_trip);
  g_test_add_func ("/secrets/schema-and-label", test_items_carry_schema);
  g_test_add_func ("/secrets/clear", test_clear);
  g_test_add_func ("/secrets/clear-integration", test_clear_integration);
  g_test_add_func ("/secrets/invalid-input", test_invalid_input);
  g_test_add_func ("/secrets/unavailable", test_unavailable);
  g_test_add_func ("/secrets/locked", test_locked);
  g_test_add_func ("/secrets/all-or-nothing", test_all_or_nothing);

  return g_test_run ();
}
