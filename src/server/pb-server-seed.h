/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-server-catalog.h"
#include "pb-server-crypto.h"
#include "pb-server-db.h"

G_BEGIN_DECLS

typedef struct
{
  char *id;
  char *name;
  char *plan;
  char *admin_key;
  char *viewer_key;
} PbSeedProject;

void       pb_seed_project_free (PbSeedProject *project);

/* The demo organisation: (element-type PbSeedProject) (transfer full). Deterministic data
 * (seeded GRand), fresh keys. @base_url is used in the logs' URLs. */
GPtrArray *pb_seed_demo         (PbDb        *db,
                                 PbCatalog   *catalog,
                                 PbCrypto    *crypto,
                                 const char  *base_url,
                                 GError     **error);

/* Adds @n_integrations integrations (over the connectors the plan offers) and @n_logs logs to
 * a project, in one transaction. For benchmarks. */
gboolean   pb_seed_bulk         (PbDb        *db,
                                 PbCatalog   *catalog,
                                 PbCrypto    *crypto,
                                 const char  *project_id,
                                 const char  *plan,
                                 guint        n_integrations,
                                 guint        n_logs,
                                 GError     **error);

G_END_DECLS
