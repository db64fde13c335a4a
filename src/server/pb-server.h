/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-server-catalog.h"
#include "pb-server-crypto.h"
#include "pb-server-db.h"

G_BEGIN_DECLS

#define PB_SERVER_DEFAULT_RATE_LIMIT 1000
#define PB_SERVER_MAX_BODY (1024 * 1024)

#define PB_TYPE_SERVER (pb_server_get_type ())
G_DECLARE_FINAL_TYPE (PbServer, pb_server, PB, SERVER, GObject)

/* Takes ownership of @db, @catalog and @crypto. @tls_certificate may be NULL. */
PbServer   *pb_server_new        (PbDb             *db,
                                  PbCatalog        *catalog,
                                  PbCrypto         *crypto,
                                  guint             rate_limit,
                                  GTlsCertificate  *tls_certificate);
/* "HOST:PORT" (port 0 picks a free one; IPv6 as "[::1]:PORT"). */
gboolean    pb_server_listen     (PbServer         *self,
                                  const char       *host_port,
                                  GError          **error);
gboolean    pb_server_listen_unix (PbServer        *self,
                                  const char       *path,
                                  GError          **error);
/* The base URL clients use, e.g. http://127.0.0.1:41234 (after listening). */
const char *pb_server_get_url    (PbServer         *self);
/* Overrides the base used for callback URLs and Location headers. */
void        pb_server_set_public_url (PbServer     *self,
                                  const char       *url);
void        pb_server_disconnect (PbServer         *self);
/* Writes the request logs still queued. */
void        pb_server_flush_logs (PbServer         *self);

G_END_DECLS
