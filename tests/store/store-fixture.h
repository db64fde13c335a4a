/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The fixture of test-store (a store loaded from a fresh demo server, a second client on
 * the same project, a GtSignalLogger) and the helpers its tests share. */

#include "pb-store.h"
#include "pb-store-test-util.h"
#include "pb-test-server.h"

G_BEGIN_DECLS

typedef struct
{
  PbTestServer *server;
  PbClient     *client;    /* the store's */
  PbClient     *observer;  /* a second client, to check what the server holds */
  PbSecrets    *secrets;
  PbStore      *store;
  PbWaiter     *waiter;
  GtSignalLogger *logger;
  guint         synced;    /* "synced" emissions of the store */
} Fixture;

void           fixture_set_up             (Fixture        *fixture,
                                           gconstpointer   user_data);
void           fixture_tear_down          (Fixture        *fixture,
                                           gconstpointer   user_data);

/* Helpers (store-fixture.c) */

void           watch_models               (Fixture        *fixture);
gboolean       apply                      (Fixture        *fixture,
                                           PbOperation    *operation,
                                           GHashTable     *secrets,
                                           PbIntegration **out_integration,
                                           GError        **error);
PbIntegration *server_integration         (Fixture        *fixture,
                                           const char     *id);
char          *keyring_value              (Fixture        *fixture,
                                           const char     *integration_id,
                                           const char     *field);
void           assert_secret_equal        (const char     *value,
                                           const char     *expected);
void           assert_hint_matches        (PbIntegration  *integration,
                                           const char     *field,
                                           const char     *value);
PbIntegration *find_row                   (Fixture        *fixture,
                                           const char     *connector,
                                           gboolean      (*match) (PbIntegration *integration),
                                           guint          *out_position);
gboolean       is_default                 (PbIntegration  *integration);
gboolean       is_plain_sibling           (PbIntegration  *integration);
guint          position_of                (Fixture        *fixture,
                                           const char     *id);
void           assert_sorted              (Fixture        *fixture);
void           assert_count_notifications (Fixture        *fixture,
                                           PbIntegration  *integration);
GHashTable    *values_new                 (const char     *first_key,
                                           ...);

/* Tests, registered in test-store.c */

/* store-load.c */
void test_load                  (Fixture *fixture, gconstpointer user_data);
void test_reload_precise        (Fixture *fixture, gconstpointer user_data);
/* store-edit.c */
void test_create                (Fixture *fixture, gconstpointer user_data);
void test_create_default        (Fixture *fixture, gconstpointer user_data);
void test_update                (Fixture *fixture, gconstpointer user_data);
void test_stale_version         (Fixture *fixture, gconstpointer user_data);
/* store-credentials.c */
void test_set_credentials       (Fixture *fixture, gconstpointer user_data);
void test_refused_keeps_keyring (Fixture *fixture, gconstpointer user_data);
void test_change_auth_type      (Fixture *fixture, gconstpointer user_data);
void test_keyring_first         (Fixture *fixture, gconstpointer user_data);
/* store-actions.c */
void test_enable_disable        (Fixture *fixture, gconstpointer user_data);
void test_make_default          (Fixture *fixture, gconstpointer user_data);
void test_delete                (Fixture *fixture, gconstpointer user_data);
void test_viewer_refused        (Fixture *fixture, gconstpointer user_data);
void test_paged_models          (Fixture *fixture, gconstpointer user_data);
/* store-operation.c */
void test_payload_untouched     (Fixture *fixture, gconstpointer user_data);
void test_unique_by_id          (void);
void test_operation_json        (void);

G_END_DECLS
