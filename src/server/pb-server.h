/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-server-catalog.h"
#include "pb-server-crypto.h"
#include "pb-server-db.h"

G_BEGIN_DECLS

#define PB_SERVER_MAX_BODY (1024 * 1024)
/* GnuTLS priorities of HTTPS: TLS 1.2 and 1.3, no static RSA key exchange (no forward secrecy). */
#define PB_SERVER_TLS_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-RSA:%SERVER_PRECEDENCE"

/* How the server treats its clients; pb_server_config_init() sets the defaults. */
typedef struct
{
  guint    rate_limit;           /* requests a minute per API key */
  guint    auth_failures;        /* failed authentications a minute per peer address */
  double   header_timeout;       /* seconds to send a request's headers */
  double   body_timeout;         /* seconds to send a request's body after its headers */
  double   idle_timeout;         /* seconds a kept-alive connection may wait between requests */
  guint    max_connections;      /* open connections, all peers together (0: as descriptors allow) */
  guint    max_peer_connections; /* open connections from one peer address */
  guint    workers;              /* threads serving connections (0: one per CPU, at most 4) */
  char   **allowed_hosts;        /* Host values accepted besides the default ones; "*": any */
} PbServerConfig;

void        pb_server_config_init (PbServerConfig  *config);

#define PB_TYPE_SERVER (pb_server_get_type ())
G_DECLARE_FINAL_TYPE (PbServer, pb_server, PB, SERVER, GObject)

/* Takes ownership of @db, @catalog and @crypto; copies @config. @tls_certificate may be NULL. */
PbServer   *pb_server_new        (PbDb             *db,
                                  PbCatalog        *catalog,
                                  PbCrypto         *crypto,
                                  const PbServerConfig *config,
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
/* Overrides the base used for callback URLs and Location headers; call it before listening. */
void        pb_server_set_public_url (PbServer     *self,
                                  const char       *url);
void        pb_server_disconnect (PbServer         *self);
/* Reads the platform's OAuth apps, {"<provider>": {"client_id": "…", "client_secret": "…"}},
 * which integrations with oauth_app "platform" use. */
gboolean    pb_server_load_oauth_apps (PbServer    *self,
                                  const char       *path,
                                  GError          **error);
/* The platform's OAuth app for @provider; FALSE when there is none. Thread-safe (read only
 * once serving). */
gboolean    pb_server_get_oauth_app (PbServer      *self,
                                  const char       *provider,
                                  const char      **out_client_id,
                                  const char      **out_client_secret);

G_END_DECLS
