/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-offline.h"
#include "pb-test-wait.h"

G_BEGIN_DECLS

/* A durable `plugboard-server serve --db PATH --listen 127.0.0.1:PORT` that a test can
 * stop with SIGTERM or SIGKILL and start again on the same database and port. */
typedef struct _OtServer OtServer;

/* Makes a demo database at @db_path (with `demo --db`) and serves it; the admin and viewer
 * keys of the first project are kept (never printed). */
OtServer     *ot_server_new_demo   (const char  *db_path,
                                    GError     **error);
gboolean      ot_server_start      (OtServer    *self,
                                    GError     **error);
void          ot_server_stop       (OtServer    *self,
                                    int          signum);
void          ot_server_free       (OtServer    *self);
const char   *ot_server_get_url    (OtServer    *self);
const char   *ot_server_get_key    (OtServer    *self);
const char   *ot_server_get_project_id (OtServer *self);
gboolean      ot_server_is_running (OtServer    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OtServer, ot_server_free)

/* Synchronous helpers on a PbClient (they spin the main context). */
GPtrArray     *ot_list_integrations (PbClient   *client);
PbIntegration *ot_get_integration   (PbClient   *client,
                                     const char *id,
                                     GError    **error);
PbIntegration *ot_update_name       (PbClient   *client,
                                     const char *id,
                                     const char *name,
                                     GError    **error);

G_END_DECLS

G_BEGIN_DECLS

/* The secret lookup the store gives PbSync (pb_store_use_keyring_for_sync()): PbSecrets
 * (the real keyring) for one backend and project. */
#include "pb-secrets.h"

void ot_use_keyring_for_sync (PbSync     *sync,
                              PbSecrets  *secrets,
                              const char *backend,
                              const char *project_id);
/* Stores one value in the keyring, synchronously (spins the main context). */
void ot_store_secret         (PbSecrets  *secrets,
                              const char *backend,
                              const char *project_id,
                              const char *integration_id,
                              const char *field,
                              const char *value);

G_END_DECLS
