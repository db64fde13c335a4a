/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the editor tests share: the fixture (a real plugboard-server with the demo data and a
 * loaded PbStore for one of its projects), waiting on the main loop, filling and saving an
 * integration editor, and reading back the server and the keyring.
 */

#include <adwaita.h>

#include "pb-editor-private.h"
#include "pb-store.h"
#include "pb-test-server.h"

G_BEGIN_DECLS

typedef struct
{
  PbTestServer *server;
  PbClient     *client;     /* for checking what the server has */
  PbStore      *store;
  guint         project;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

gboolean wait_until (Condition condition,
                     gpointer  data,
                     guint     seconds);

void spin (guint ms);

void fixture_setup (Fixture       *fixture,
                    gconstpointer  user_data);

void fixture_teardown (Fixture       *fixture,
                       gconstpointer  user_data);

guint count_integrations (Fixture    *fixture,
                          const char *connector_key);

PbAuthType *find_type_of_kind (PbConnector *connector,
                               PbAuthKind   kind,
                               guint       *out_position);

PbConnector *connector (Fixture    *fixture,
                        const char *provider);

char *make_secret (void);

void type_into (PbIntegrationEditor *editor,
                const char          *key,
                const char          *text);

const char *row_text (PbIntegrationEditor *editor,
                      const char          *key);

void choose_auth_type (PbIntegrationEditor *editor,
                       guint                position);

typedef struct
{
  PbIntegrationEditor *editor;
  PbIntegration       *saved;
  gboolean             destroyed;
} SaveWatch;

void watch_editor (SaveWatch           *watch,
                   PbIntegrationEditor *editor);

gboolean save_finished (gpointer data);

void press_save (SaveWatch *watch);

PbIntegration *server_integration (Fixture    *fixture,
                                   const char *id);

char *keyring_value (const char *integration_id,
                     const char *field);

AdwMessageDialog *find_question (GtkWindow *parent);

void assert_hint_matches (const PbSecretState *state,
                          const char          *value);

/* Checks that the form works 360 px wide (the window is hidden and shown again at that
 * width, then at its own; @watch: (nullable) its watch, which is told it was not closed);
 * with $PB_EDITOR_SCREENSHOTS, saves what it shows at its default width and at 360 px there
 * as editor-NAME.png and editor-NAME-360.png. */
void check_narrow (PbIntegrationEditor *editor,
                   SaveWatch           *watch,
                   const char          *name);

/* The tests, registered in test-editor.c. */

/* test-editor-picker.c */
void test_picker_search (Fixture       *fixture,
                         gconstpointer  user_data);
void test_picker_thousands (void);
void test_picker_keyboard (Fixture       *fixture,
                           gconstpointer  user_data);

/* test-editor-new.c */
void test_new_api_key (Fixture       *fixture,
                       gconstpointer  user_data);
void test_new_oauth_own (Fixture       *fixture,
                         gconstpointer  user_data);
void test_new_oauth_platform (Fixture       *fixture,
                              gconstpointer  user_data);
void test_generated_value (Fixture       *fixture,
                           gconstpointer  user_data);
void test_oauth_callback (Fixture       *fixture,
                          gconstpointer  user_data);
void test_required_fields (Fixture       *fixture,
                           gconstpointer  user_data);
void test_server_refusal (Fixture       *fixture,
                          gconstpointer  user_data);
void test_auth_type_switch (Fixture       *fixture,
                            gconstpointer  user_data);

/* test-editor-edit.c */
void test_edit_keeps_secrets (Fixture       *fixture,
                              gconstpointer  user_data);
void test_edit_foreign_secret (Fixture       *fixture,
                               gconstpointer  user_data);
void test_default_rules (Fixture       *fixture,
                         gconstpointer  user_data);
void test_unsaved_question (Fixture       *fixture,
                            gconstpointer  user_data);
void test_auth_change_warning (Fixture       *fixture,
                               gconstpointer  user_data);
void test_offline_queued (Fixture       *fixture,
                          gconstpointer  user_data);
void test_accessible_names (Fixture       *fixture,
                            gconstpointer  user_data);

G_END_DECLS
