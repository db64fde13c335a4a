/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The fields of the catalog's models, for their two readers: pb-connector.c, pb-auth-type.c
 * and pb-auth-field.c (json-glib objects) and pb-connector-scan.c (JSON text read in place).
 * Not for other files. */

#include "pb-auth-field.h"
#include "pb-auth-type.h"
#include "pb-connector.h"

G_BEGIN_DECLS

struct _PbAuthField
{
  GObject      parent_instance;

  char        *key;
  char        *label;
  PbFieldKind  kind;
  gboolean     required;
  gboolean     secret;
  gboolean     generated;
  char        *description;
  char        *placeholder;
  GStrv        options;
  char        *default_value;
};

struct _PbAuthType
{
  GObject     parent_instance;

  char       *key;
  char       *label;
  PbAuthKind  kind;
  char       *callback_url;
  gboolean    platform_oauth_app;
  GListStore *fields;           /* the integration's settings */
  GListStore *account_fields;   /* what the end user enters when linking an account */
};

struct _PbConnector
{
  GObject     parent_instance;

  char       *provider;
  char       *provider_name;
  char       *category;
  GStrv       categories;
  char       *description;
  char       *docs_url;
  char       *logo_url;
  gboolean    available;
  char       *unavailable_reason;
  GListStore *auth_types;
};

G_END_DECLS
