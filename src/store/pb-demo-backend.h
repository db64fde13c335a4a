/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-project-config.h"

G_BEGIN_DECLS

typedef struct _PbStore PbStore;

/* The `backend` attribute of the demo's API keys in the keyring: its URL changes with each
 * start (a free port), so the keys are kept under this fixed name instead. */
#define PB_DEMO_BACKEND_KEYRING_NAME "plugboard-local-demo"
#define PB_DEMO_PROJECT_PREFIX       "demo-"

#define PB_TYPE_DEMO_BACKEND (pb_demo_backend_get_type ())
G_DECLARE_FINAL_TYPE (PbDemoBackend, pb_demo_backend, PB, DEMO_BACKEND, GObject)

/*
 * PbDemoBackend: the local demo, `plugboard-server demo` run as a child process on a free
 * loopback port with its database under $XDG_DATA_HOME/plugboard/demo/, so that a first start
 * without any project shows a working one. Its projects are session projects (PbProjectConfig,
 * session-only) with local ids PB_DEMO_PROJECT_PREFIX + the project's id; their admin keys
 * are kept in the keyring the first time the server prints them, and read back
 * from there when a later start of the same database does not print them again. A later
 * start asks for the last run's port again (another free one when it is taken), so that the
 * URL, and with it the store's offline caches, stay the same.
 * The binary is $PLUGBOARD_SERVER when set, else BINDIR/plugboard-server.
 */
PbDemoBackend *pb_demo_backend_new            (void);

/* GListModel of PbProjectConfig: empty until started. */
GListModel    *pb_demo_backend_get_projects   (PbDemoBackend       *self);
gboolean       pb_demo_backend_get_running    (PbDemoBackend       *self);
/* (nullable) */
const char    *pb_demo_backend_get_url        (PbDemoBackend       *self);
gboolean       pb_demo_backend_owns_project   (PbDemoBackend       *self,
                                               const char          *local_id);

void           pb_demo_backend_start_async    (PbDemoBackend       *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       pb_demo_backend_start_finish   (PbDemoBackend       *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* A PbStore (not loaded yet) for one of the demo's projects, with the key it printed or the
 * keyring kept. */
void           pb_demo_backend_open_store_async   (PbDemoBackend       *self,
                                                   const char          *local_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
PbStore       *pb_demo_backend_open_store_finish  (PbDemoBackend       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Starts the demo afresh: removes the old demo's keys (and the credentials typed into it)
 * from the keyring, stops the server (its projects leave the list), deletes its database
 * with its key file and side files, and the offline caches kept for its projects, then
 * starts it again: `demo --db` seeds a new demo, whose new projects appear as on a first
 * start. The error says how far it got. */
void           pb_demo_backend_reset_async    (PbDemoBackend       *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       pb_demo_backend_reset_finish   (PbDemoBackend       *self,
                                               GAsyncResult        *result,
                                               GError             **error);
gboolean       pb_demo_backend_get_resetting  (PbDemoBackend       *self);

/* SIGTERM, then waits (at most a few seconds) for the server to exit. */
void           pb_demo_backend_stop           (PbDemoBackend       *self);

G_END_DECLS
