/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-server-catalog.h"
#include "pb-server-crypto.h"
#include "pb-server-db.h"

G_BEGIN_DECLS

/* The schema version this server makes and serves. */
guint    pb_migrate_current_version (void);

/* Brings a database that an older plugboard-server made to the current schema, in one
 * transaction, before anything is served; a current one is left as it is, a newer one is
 * refused (unchanged). *@out_from (may be NULL) is the version it had. */
gboolean pb_migrate (PbDb       *db,
                     PbCatalog  *catalog,
                     PbCrypto   *crypto,
                     guint      *out_from,
                     GError    **error);

/* Schema 1 → 2: the values of integrations that are account fields now move to their linked
 * accounts (pb-server-migrate-fields.c). */
gboolean pb_migrate_account_fields (PbDb       *db,
                                    PbCatalog  *catalog,
                                    PbCrypto   *crypto,
                                    GError    **error);

/* Schema 2 → 3: the hints of the credentials each linked account holds
 * (pb-server-migrate-hints.c). */
gboolean pb_migrate_credential_hints (PbDb       *db,
                                      PbCatalog  *catalog,
                                      PbCrypto   *crypto,
                                      GError    **error);

G_END_DECLS
