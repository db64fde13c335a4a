/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-server-catalog.h"
#include "pb-server-crypto.h"
#include "pb-server-db.h"

G_BEGIN_DECLS

/* Brings a database that an older plugboard-server made to the current schema, in one
 * transaction, before anything is served; a current one is left as it is. */
gboolean pb_migrate (PbDb       *db,
                     PbCatalog  *catalog,
                     PbCrypto   *crypto,
                     GError    **error);

G_END_DECLS
