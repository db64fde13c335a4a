/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include "store-fixture.h"

/* PbStore end to end: a fresh `plugboard-server demo` per test, the session keyring, and
 * GtSignalLogger asserting the exact items-changed and notify emissions of the models.
 * Expected values come from the server (through a second client) or from values made up
 * per run, never from constants. */

/* The tests are in store-load.c, store-edit.c, store-credentials.c, store-actions.c and
 * store-operation.c; their fixture and shared helpers in store-fixture.c. */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (0), fixture_set_up, func, fixture_tear_down)

  ADD ("/store/load", test_load);
  ADD ("/store/reload-precise", test_reload_precise);
  ADD ("/store/refresh-delta", test_refresh_delta);
  ADD ("/store/create", test_create);
  ADD ("/store/create-default", test_create_default);
  ADD ("/store/update", test_update);
  ADD ("/store/stale-version", test_stale_version);
  ADD ("/store/set-credentials", test_set_credentials);
  ADD ("/store/refused-keeps-keyring", test_refused_keeps_keyring);
  ADD ("/store/change-auth-type", test_change_auth_type);
  ADD ("/store/enable-disable", test_enable_disable);
  ADD ("/store/make-default", test_make_default);
  ADD ("/store/delete", test_delete);
  ADD ("/store/viewer-refused", test_viewer_refused);
  ADD ("/store/paged-models", test_paged_models);
  ADD ("/store/keyring-first", test_keyring_first);
  ADD ("/store/payload-untouched", test_payload_untouched);
  g_test_add_func ("/store/operation-json", test_operation_json);
  g_test_add_func ("/store/unique-by-id", test_unique_by_id);

#undef ADD

  return g_test_run ();
}
