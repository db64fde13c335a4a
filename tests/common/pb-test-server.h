/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Starts a real plugboard-server ($PLUGBOARD_SERVER) for a test and stops it again. Part of
 * tests/common (test_common_dep); needs only GIO and json-glib.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _PbTestServer PbTestServer;

/* `$PLUGBOARD_SERVER demo --listen 127.0.0.1:0 [extra_args…]`; waits for the first stdout
 * line: {"url", "projects": [{id, name, plan, admin_key, viewer_key}]}. */
PbTestServer *pb_test_server_start_demo     (const char * const *extra_args,
                                             GError            **error);
/* `$PLUGBOARD_SERVER args…` with any subcommand whose first stdout line is a JSON object
 * holding at least "url". */
PbTestServer *pb_test_server_start          (const char * const *args,
                                             GError            **error);
void          pb_test_server_stop           (PbTestServer       *self);

const char   *pb_test_server_get_url        (PbTestServer       *self);
/* The whole first line, parsed (transfer none). */
JsonObject   *pb_test_server_get_info       (PbTestServer       *self);
guint         pb_test_server_get_n_projects (PbTestServer       *self);
/* (transfer none) (nullable) */
JsonObject   *pb_test_server_get_project    (PbTestServer       *self,
                                             guint               index);
/* Keys of the project at @index; never print them. */
const char   *pb_test_server_get_admin_key  (PbTestServer       *self,
                                             guint               index);
const char   *pb_test_server_get_viewer_key (PbTestServer       *self,
                                             guint               index);
/* A port on 127.0.0.1 on which nothing listens (bound, then closed). */
guint16       pb_test_server_closed_port    (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbTestServer, pb_test_server_stop)

G_END_DECLS
