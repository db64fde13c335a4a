/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pb-auth-field.h"

G_BEGIN_DECLS

typedef enum
{
  PB_AUTH_KIND_API_KEY,
  PB_AUTH_KIND_BASIC,
  PB_AUTH_KIND_OAUTH2,
  PB_AUTH_KIND_OIDC,
  PB_AUTH_KIND_CUSTOM,
} PbAuthKind;

#define PB_TYPE_AUTH_KIND (pb_auth_kind_get_type ())
GType        pb_auth_kind_get_type    (void) G_GNUC_CONST;
/* JSON "type" values: api_key, basic, oauth2, oidc, custom. FALSE when unknown. */
gboolean     pb_auth_kind_from_string (const char  *text,
                                       PbAuthKind  *out_kind);
const char  *pb_auth_kind_to_string   (PbAuthKind   kind);

#define PB_TYPE_AUTH_TYPE (pb_auth_type_get_type ())
G_DECLARE_FINAL_TYPE (PbAuthType, pb_auth_type, PB, AUTH_TYPE, GObject)

PbAuthType  *pb_auth_type_new_from_json          (JsonObject  *object,
                                                  GError     **error);
JsonObject  *pb_auth_type_to_json                (PbAuthType  *self);

const char  *pb_auth_type_get_key                (PbAuthType  *self);
const char  *pb_auth_type_get_label              (PbAuthType  *self);
PbAuthKind   pb_auth_type_get_kind               (PbAuthType  *self);
const char  *pb_auth_type_get_callback_url       (PbAuthType  *self);
gboolean     pb_auth_type_get_platform_oauth_app (PbAuthType  *self);
GListModel  *pb_auth_type_get_fields             (PbAuthType  *self);
GListModel  *pb_auth_type_get_account_fields     (PbAuthType  *self);
PbAuthField *pb_auth_type_find_field             (PbAuthType  *self,
                                                  const char  *key);
PbAuthField *pb_auth_type_find_account_field     (PbAuthType  *self,
                                                  const char  *key);

G_END_DECLS
