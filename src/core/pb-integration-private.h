/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The integration's fields, for its two readers: pb-integration.c (a json-glib object) and
 * pb-integration-scan.c (JSON text read in place). Not for other files. */

#include "pb-integration.h"

G_BEGIN_DECLS

struct _PbIntegration
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *connector_key;
  char       *connector_label;
  GStrv       categories;
  char       *auth_type_key;
  char       *auth_type_label;
  gboolean    active;
  gboolean    is_default;
  PbOAuthApp  oauth_app;
  GHashTable *config;
  GHashTable *secrets;
  guint       accounts_total;
  guint       accounts_active;
  guint       accounts_inactive;
  guint       accounts_suspended;
  guint       accounts_expired;
  guint       accounts_error;
  gint64      version;
  GDateTime  *created_at;
  GDateTime  *updated_at;
  char       *label_sort_key;   /* made on first use: pb_integration_get_sort_keys() */
  char       *name_sort_key;
};

G_END_DECLS
