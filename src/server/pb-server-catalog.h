/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pb-auth-type.h"

G_BEGIN_DECLS

typedef struct
{
  char        *provider;
  char        *provider_name;
  char        *category;
  char       **categories;
  JsonObject  *json;         /* the entry as the catalog file gives it */
  GPtrArray   *auth_types;   /* PbAuthType */
  char        *name_folded;  /* provider_name, case-folded (for ?q=) */
  /* The entry's JSON as written by json-glib, cut where the plan and the public URL go (see
   * PbCatalogRenderer); NULL when it is built whole each time. */
  char        *provider_quoted;
  char        *template_head;
  char       **template_tail;
} PbCatalogEntry;

typedef struct _PbCatalog PbCatalog;

/* Loads and validates; a broken entry gives an error naming it. */
PbCatalog      *pb_catalog_load                 (const char      *path,
                                                 GError         **error);
void            pb_catalog_free                 (PbCatalog       *catalog);
/* Where the catalog is looked for: $PLUGBOARD_CATALOG, the installed file, the source tree. */
char           *pb_catalog_default_path         (void);

PbCatalogEntry *pb_catalog_lookup               (PbCatalog       *catalog,
                                                 const char      *provider);
/* (transfer none) (element-type PbCatalogEntry) sorted by provider name. */
GPtrArray      *pb_catalog_entries              (PbCatalog       *catalog);
PbAuthType     *pb_catalog_entry_find_auth_type (PbCatalogEntry  *entry,
                                                 const char      *key);

gboolean        pb_catalog_category_in_plan     (const char      *category,
                                                 const char      *plan);
gboolean        pb_catalog_entry_available      (PbCatalogEntry  *entry,
                                                 const char      *plan);
/* "CRM is not included in the Starter plan. Contact your support manager to add it." */
char           *pb_catalog_unavailable_reason   (PbCatalogEntry  *entry,
                                                 const char      *plan);
const char     *pb_catalog_category_label       (const char      *category);
gboolean        pb_catalog_is_category          (const char      *category);
/* The connector as GET /connectors/{provider} returns it. */
JsonNode       *pb_catalog_entry_to_json        (PbCatalogEntry  *entry,
                                                 const char      *plan,
                                                 const char      *public_base);

/* About the size of all the connectors' JSON (at least, short of unusual catalogs): a list
 * allocated once does not touch memory twice while it grows. */
gsize           pb_catalog_json_size            (PbCatalog       *catalog,
                                                 const char      *public_base);
/* Whether the entry's name or provider contains @q_folded (case-folded); NULL matches all. */
gboolean        pb_catalog_entry_matches        (PbCatalogEntry  *entry,
                                                 const char      *q_folded);

/* Writes connectors as pb_catalog_entry_to_json() and json-glib would, byte for byte, from
 * pieces made once when the catalog is loaded: lists of thousands cost a copy, not a build. */
typedef struct _PbCatalogRenderer PbCatalogRenderer;

PbCatalogRenderer *pb_catalog_renderer_new    (const char        *plan,
                                                 const char        *public_base);
void            pb_catalog_renderer_free        (PbCatalogRenderer *self);
void            pb_catalog_renderer_append      (PbCatalogRenderer *self,
                                                 PbCatalogEntry    *entry,
                                                 GString           *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbCatalog, pb_catalog_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbCatalogRenderer, pb_catalog_renderer_free)

G_END_DECLS
