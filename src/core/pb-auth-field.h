/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  PB_FIELD_KIND_TEXT,
  PB_FIELD_KIND_SECRET,
  PB_FIELD_KIND_URL,
  PB_FIELD_KIND_EMAIL,
  PB_FIELD_KIND_SELECT,
} PbFieldKind;

#define PB_TYPE_FIELD_KIND (pb_field_kind_get_type ())
GType        pb_field_kind_get_type    (void) G_GNUC_CONST;
/* Returns FALSE for an unknown string (and leaves *out_kind untouched). */
gboolean     pb_field_kind_from_string (const char   *text,
                                        PbFieldKind  *out_kind);
const char  *pb_field_kind_to_string   (PbFieldKind   kind);

#define PB_TYPE_AUTH_FIELD (pb_auth_field_get_type ())
G_DECLARE_FINAL_TYPE (PbAuthField, pb_auth_field, PB, AUTH_FIELD, GObject)

PbAuthField        *pb_auth_field_new_from_json      (JsonObject   *object,
                                                      GError      **error);
JsonObject         *pb_auth_field_to_json            (PbAuthField  *self);

const char         *pb_auth_field_get_key            (PbAuthField  *self);
const char         *pb_auth_field_get_label          (PbAuthField  *self);
PbFieldKind         pb_auth_field_get_kind           (PbAuthField  *self);
gboolean            pb_auth_field_get_required       (PbAuthField  *self);
gboolean            pb_auth_field_get_secret         (PbAuthField  *self);
gboolean            pb_auth_field_get_generated      (PbAuthField  *self);
const char         *pb_auth_field_get_description    (PbAuthField  *self);
const char         *pb_auth_field_get_placeholder    (PbAuthField  *self);
const char * const *pb_auth_field_get_options        (PbAuthField  *self);
const char         *pb_auth_field_get_default_value  (PbAuthField  *self);

G_END_DECLS
