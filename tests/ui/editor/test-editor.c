/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-editor"

#include "config.h"

#include <adwaita.h>

#include "editor-fixture.h"

/*
 * Widget tests of the connector picker and the integration editor against a real
 * plugboard-server (demo data) and the real keyring of the headless session.
 * Project 0 of the demo is "Acme HR" (growth plan, many integrations), project 1 "Acme
 * Sandbox" (starter plan: only HRIS and ATS, few integrations).
 */

/* The tests, grouped by topic: test-editor-picker.c, test-editor-new.c (creating) and
 * test-editor-edit.c (editing, defaults, questions, offline, accessibility); what they
 * share is in editor-fixture.c. */

int
main (int   argc,
      char *argv[])
{
  /* The software GL of a headless X server compiles shaders for seconds; the cairo
   * renderer keeps timings about this code, not about llvmpipe. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/editor/picker/search", Fixture, GUINT_TO_POINTER (1),
              fixture_setup, test_picker_search, fixture_teardown);
  g_test_add ("/editor/picker/keyboard", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_picker_keyboard, fixture_teardown);
  g_test_add_func ("/editor/picker/thousands", test_picker_thousands);
  g_test_add ("/editor/new/api-key", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_new_api_key, fixture_teardown);
  g_test_add ("/editor/new/oauth-own-app", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_new_oauth_own, fixture_teardown);
  g_test_add ("/editor/new/oauth-platform-app", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_new_oauth_platform, fixture_teardown);
  g_test_add ("/editor/new/generated-value", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_generated_value, fixture_teardown);
  g_test_add ("/editor/new/oauth-callback", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_oauth_callback, fixture_teardown);
  g_test_add ("/editor/new/required-fields", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_required_fields, fixture_teardown);
  g_test_add ("/editor/new/server-refusal", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_server_refusal, fixture_teardown);
  g_test_add ("/editor/new/auth-type-switch", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_auth_type_switch, fixture_teardown);
  g_test_add ("/editor/edit/keeps-secrets", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_edit_keeps_secrets, fixture_teardown);
  g_test_add ("/editor/edit/foreign-secret", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_edit_foreign_secret, fixture_teardown);
  g_test_add ("/editor/edit/auth-change-warning", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_auth_change_warning, fixture_teardown);
  g_test_add ("/editor/offline/queued", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_offline_queued, fixture_teardown);
  g_test_add ("/editor/default-rules", Fixture, GUINT_TO_POINTER (1),
              fixture_setup, test_default_rules, fixture_teardown);
  g_test_add ("/editor/unsaved-question", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_unsaved_question, fixture_teardown);
  g_test_add ("/editor/accessible-names", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_accessible_names, fixture_teardown);

  return g_test_run ();
}
