/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the demo tests share: running the main loop, starting the app without any project
 * (so that it runs the local demo itself) and quitting it, and finding the demo's database,
 * server processes and projects.
 */

#include <adwaita.h>

#include "pb-application.h"
#include "pb-ui-project.h"
#include "pb-window-private.h"
#include "pb-test-wait.h"

G_BEGIN_DECLS

/* The test's own temporary $XDG_DATA_HOME, made by main(). */
extern char *data_home;

gboolean project_loaded (gpointer data);

/* First start without any project: the app runs the local demo itself. */
PbApplication *start_app_without_project (PbWindow **out_window);
void quit_app (PbApplication *app);

char *demo_db_path (void);
/* The one plugboard-server process serving this test's demo database. */
GPid the_demo_server_pid (void);
gboolean pid_gone (GPid pid);

/* (transfer full) the demo's projects' local ids, then their ids on the server */
GPtrArray *demo_project_ids (PbApplication *app,
                             gboolean       server_ids);
gboolean ids_contain (GPtrArray *ids, const char *id);

/* The tests, registered in test-demo.c. */

/* test-demo-reset.c */
void test_demo_reset (void);
void test_demo_reset_start_fails (void);
void test_demo_port_taken (void);

/* test-demo-preferences.c */
void test_demo_preferences (void);

G_END_DECLS
