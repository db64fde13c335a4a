/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The demo server the server test programs share, and request helpers against it. */

#include <string.h>

#include <glib/gstdio.h>

#include "server-fixture.h"

G_BEGIN_DECLS

extern TestServer  *demo;
extern SoupSession *session;
extern const char  *admin;
extern const char  *viewer;
extern const char  *sandbox_admin;

#define URL (demo->url)

/* Starts the demo server and the session, after g_test_init(). */
void server_demo_setup    (void);
/* Runs the tests, then stops the demo server. */
int  server_demo_run      (void);

JsonObject *obj (Reply *reply);
Reply *get (const char *path);
JsonObject *get_ok (const char *path);
JsonObject *make_body (const char *provider, const char *auth_key, const char *secret_value);
char *to_text (JsonObject *object);
JsonObject *create (JsonObject *body, guint expected_status);
Reply *patch (const char *id, const char *body, const char *if_match);
JsonObject *get_integration (const char *id);
GPtrArray *collect_all (const char *path, const char *id_member, guint page_size);
JsonObject *valid_credentials (const char *integration_id);
JsonObject *link_account (const char *provider, const char *integration_id, const char *owner_id, const char *owner_name);

G_END_DECLS
