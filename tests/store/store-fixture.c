/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <string.h>

#include "store-fixture.h"

static void wait_synced (Fixture *fixture, guint n);
static void on_synced_count_cb (PbStore *store, guint *count);

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  guint project = GPOINTER_TO_UINT (user_data);

  fixture->server = pb_test_server_start_demo (NULL, &error);
  g_assert_no_error (error);
  fixture->client = pb_client_new (pb_test_server_get_url (fixture->server),
                                   pb_test_server_get_admin_key (fixture->server, project));
  fixture->observer = pb_client_new (pb_test_server_get_url (fixture->server),
                                     pb_test_server_get_admin_key (fixture->server, project));
  fixture->secrets = pb_secrets_new ();
  fixture->store = pb_store_new (fixture->client, fixture->secrets,
                                 pb_test_server_get_url (fixture->server), NULL);
  fixture->waiter = pb_waiter_new ();
  fixture->logger = gt_signal_logger_new ();
  g_signal_connect (fixture->store, "synced", G_CALLBACK (on_synced_count_cb),
                    &fixture->synced);

  pb_store_load_async (fixture->store, NULL, pb_waiter_cb, fixture->waiter);
  pb_store_load_finish (fixture->store, pb_waiter_wait (fixture->waiter), &error);
  g_assert_no_error (error);
  /* The sync starts with the load: its first replay finds nothing to send and, the cache
   * being fresh from the load, does not refetch it. */
  wait_synced (fixture, 1);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* Every test must have looked at every emission. */
  gt_signal_logger_assert_no_emissions (fixture->logger);
  g_clear_pointer (&fixture->logger, gt_signal_logger_free);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->observer);
  g_clear_object (&fixture->secrets);
  g_clear_pointer (&fixture->waiter, pb_waiter_free);
  g_clear_pointer (&fixture->server, pb_test_server_stop);
}

/* Helpers */

void
watch_models (Fixture *fixture)
{
  GListModel *categories = pb_store_get_categories (fixture->store);

  gt_signal_logger_connect (fixture->logger, pb_store_get_integrations (fixture->store),
                            "items-changed");
  for (guint i = 0; i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (categories, i);

      gt_signal_logger_connect (fixture->logger, category, "notify");
    }
}

static void
on_synced_count_cb (PbStore *store,
                    guint   *count)
{
  (*count)++;
}

typedef struct
{
  Fixture *fixture;
  guint    n;
} SyncedWait;

static gboolean
synced_enough (gpointer data)
{
  SyncedWait *wait = data;

  return wait->fixture->synced >= wait->n;
}

/* Runs the main context until the store's sync emitted "synced" @n times (counted by
 * fixture->synced); fails the test after 10 s. */
static void
wait_synced (Fixture *fixture,
             guint    n)
{
  SyncedWait wait = { fixture, n };

  pb_test_wait_until (synced_enough, &wait, 10000);
}

/* Applies @operation; a change that went to the server is followed by the sync's refresh
 * of the cache ("synced"), so the models have settled when this returns. */
gboolean
apply (Fixture        *fixture,
       PbOperation    *operation,
       GHashTable     *secrets,
       PbIntegration **out_integration,
       GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  guint before = fixture->synced;
  gboolean ok;

  pb_store_apply_async (fixture->store, operation, secrets, NULL, pb_waiter_cb,
                        fixture->waiter);
  ok = pb_store_apply_finish (fixture->store, pb_waiter_wait (fixture->waiter),
                              out_integration, &local_error);
  /* Refusals found before anything was queued (rules, too long a value, keyring) do not
   * start the sync. */
  if (ok || g_error_matches (local_error, PB_API_ERROR, PB_API_ERROR_VERSION_MISMATCH) ||
      g_error_matches (local_error, PB_API_ERROR, PB_API_ERROR_FORBIDDEN) ||
      g_error_matches (local_error, PB_API_ERROR, PB_API_ERROR_CONFLICT))
    wait_synced (fixture, before + 1);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

PbIntegration *
server_integration (Fixture    *fixture,
                    const char *id)
{
  g_autoptr(GError) error = NULL;
  PbIntegration *integration;

  pb_client_get_integration_async (fixture->observer, id, NULL, pb_waiter_cb, fixture->waiter);
  integration = pb_client_get_integration_finish (fixture->observer,
                                                  pb_waiter_wait (fixture->waiter),
                                                  &error);
  g_assert_no_error (error);
  return integration;
}

char *
keyring_value (Fixture    *fixture,
               const char *integration_id,
               const char *field)
{
  g_autoptr(GError) error = NULL;
  char *value, *copy;

  pb_store_lookup_secret_async (fixture->store, integration_id, field, NULL, pb_waiter_cb,
                                fixture->waiter);
  value = pb_store_lookup_secret_finish (fixture->store, pb_waiter_wait (fixture->waiter),
                                         &error);
  g_assert_no_error (error);
  /* Keyring memory goes back through secret_password_free(); the tests use g_free(). */
  copy = g_strdup (value);
  secret_password_free (value);
  return copy;
}

/* Compares without printing: these are credentials. */
void
assert_secret_equal (const char *value,
                     const char *expected)
{
  if (expected == NULL)
    g_assert_true (value == NULL);
  else
    g_assert_true (value != NULL && strcmp (value, expected) == 0);
}

/* The hint the server keeps for a value ("…" + its last four characters). */
void
assert_hint_matches (PbIntegration *integration,
                     const char    *field,
                     const char    *value)
{
  PbSecretState *state = g_hash_table_lookup (pb_integration_get_secrets (integration), field);
  const char *tail = value + strlen (value) - 4;

  g_assert_nonnull (state);
  g_assert_true (state->set);
  g_assert_nonnull (state->hint);
  g_assert_true (g_str_has_suffix (state->hint, tail));
}

/* Finds an integration of @connector whose properties match; returns its row. */
PbIntegration *
find_row (Fixture    *fixture,
          const char *connector,
          gboolean  (*match) (PbIntegration *integration),
          guint      *out_position)
{
  GListModel *model = pb_store_get_integrations (fixture->store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (model, i);

      if (g_strcmp0 (pb_integration_get_connector_key (integration), connector) == 0 &&
          (match == NULL || match (integration)))
        {
          if (out_position)
            *out_position = i;
          return integration;
        }
    }
  g_assert_not_reached ();
  return NULL;
}

gboolean
is_default (PbIntegration *integration)
{
  return pb_integration_get_is_default (integration);
}

gboolean
is_plain_sibling (PbIntegration *integration)
{
  /* Not the default, no linked accounts: deletable, may be made default. */
  return !pb_integration_get_is_default (integration) &&
         pb_integration_get_accounts_total (integration) == 0;
}

guint
position_of (Fixture    *fixture,
             const char *id)
{
  guint position = G_MAXUINT;

  g_assert_nonnull (pb_store_find_integration (fixture->store, id, &position));
  return position;
}

void
assert_sorted (Fixture *fixture)
{
  GListModel *model = pb_store_get_integrations (fixture->store);

  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbIntegration) a = g_list_model_get_item (model, i - 1);
      g_autoptr(PbIntegration) b = g_list_model_get_item (model, i);
      g_autofree char *la = g_utf8_casefold (pb_integration_get_connector_label (a), -1);
      g_autofree char *lb = g_utf8_casefold (pb_integration_get_connector_label (b), -1);
      int order = g_utf8_collate (la, lb);

      if (order == 0)
        {
          g_autofree char *na = g_utf8_casefold (pb_integration_get_name (a), -1);
          g_autofree char *nb = g_utf8_casefold (pb_integration_get_name (b), -1);

          order = g_utf8_collate (na, nb);
        }
      g_assert_cmpint (order, <=, 0);
    }
}

/* Expects notify::count on the categories of @integration, in sidebar order. */
void
assert_count_notifications (Fixture       *fixture,
                            PbIntegration *integration)
{
  const char * const *keys = pb_category_all_keys ();
  const char * const *in = pb_integration_get_categories (integration);

  for (guint i = 0; keys[i] != NULL; i++)
    if (g_strv_contains (in, keys[i]))
      gt_signal_logger_assert_notify_emission_pop (fixture->logger,
                                                   pb_store_find_category (fixture->store,
                                                                           keys[i]),
                                                   "count");
}

GHashTable *
values_new (const char *first_key,
            ...)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;
  const char *key = first_key;

  va_start (args, first_key);
  while (key != NULL)
    {
      g_hash_table_insert (table, g_strdup (key), g_strdup (va_arg (args, const char *)));
      key = va_arg (args, const char *);
    }
  va_end (args);
  return table;
}
