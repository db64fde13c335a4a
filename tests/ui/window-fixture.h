/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the window tests share: the fixture (a real plugboard-server with the demo data, and
 * the app's window on its first project, with an admin's or a viewer's key), running the
 * main loop, the server's side read independently of the window, and finding and using
 * rows, their menus and the window's questions.
 */

#include <adwaita.h>

#include "pb-application.h"
#include "pb-integration-row-private.h"
#include "pb-test-server.h"
#include "pb-window-private.h"

G_BEGIN_DECLS

#define TIMEOUT_MS 20000

void iterate_until (gboolean (*done) (gpointer), gpointer data, guint timeout_ms);
void iterate_for (guint ms);
gboolean window_mapped (gpointer data);
gboolean project_loaded (gpointer data);
gboolean is_true (gpointer data);

/* The visible toplevel of @type transient for @parent, or NULL. */
GtkWindow *find_toplevel (GType type, GtkWindow *parent);

typedef struct
{
  PbTestServer  *server;
  PbApplication *app;
  PbWindow      *window;
  PbClient      *client;   /* the admin's, to check the server independently of the window */
} Fixture;

void fixture_setup (Fixture *f, gconstpointer data);
void fixture_teardown (Fixture *f, gconstpointer data);

/* Server side, independently of the window: every integration / account / the project. */
typedef struct
{
  gboolean   done;
  GPtrArray *items;
  GObject   *object;
  GError    *error;
} Wait;

GPtrArray *server_integrations (Fixture *f);
GPtrArray *server_accounts (Fixture *f, const char *integration_id);
GPtrArray *server_all_accounts (Fixture *f);
PbProject *server_project (Fixture *f);
/* NULL with @error set when the server does not have it. */
PbIntegration *server_integration (Fixture *f, const char *id, GError **error);

guint count_for_connector (GPtrArray *integrations, const char *connector_key);

/* Shows only @integration's connector (search by its label), so its row is realized. */
void search_for (Fixture *f, const char *text);
PbIntegrationRow *show_row (Fixture *f, PbIntegration *integration);

typedef struct
{
  char     *text;
  gboolean  sensitive;
} MenuItem;

/* Opens the row's ⋮ menu for real and reads what it shows (MenuItems). */
GPtrArray *open_menu (PbIntegrationRow *row);

/* As a click on one of its buttons: the response, then the dialog closes. */
void respond (GtkWindow *dialog, const char *response);
GtkWindow *wait_for_dialog (Fixture *f);

typedef struct
{
  Fixture    *f;
  const char *id;
  gboolean    active;
} ActiveWait;

gboolean integration_active_is (gpointer data);

/* The tests, registered in test-window.c. */

/* test-window-app.c */
void test_window_shown (Fixture *f, gconstpointer data);
void test_window_demo (void);
void test_window_switcher_hosts (void);
void test_window_first_frame (Fixture *f, gconstpointer data);
void test_window_unencrypted_icon (void);

/* test-window-list.c */
void test_window_categories (Fixture *f, gconstpointer data);
void test_window_search_and_filters (Fixture *f, gconstpointer data);
void test_window_views (Fixture *f, gconstpointer data);
void test_window_narrow (Fixture *f, gconstpointer data);

/* test-window-actions.c */
void test_window_menus (Fixture *f, gconstpointer data);
void test_window_disable_enable (Fixture *f, gconstpointer data);
void test_window_disable_without_accounts (Fixture *f, gconstpointer data);
void test_window_delete (Fixture *f, gconstpointer data);
void test_window_copy (Fixture *f, gconstpointer data);
void test_window_viewer (Fixture *f, gconstpointer data);
void test_window_pending (Fixture *f, gconstpointer data);

G_END_DECLS
