/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PB_TYPE_PROJECT (pb_project_get_type ())
G_DECLARE_FINAL_TYPE (PbProject, pb_project, PB, PROJECT, GObject)

PbProject          *pb_project_new_from_json       (JsonObject  *object,
                                                    GError     **error);
JsonObject         *pb_project_to_json             (PbProject   *self);

const char         *pb_project_get_id              (PbProject   *self);
const char         *pb_project_get_name            (PbProject   *self);
const char         *pb_project_get_region          (PbProject   *self);
const char         *pb_project_get_role            (PbProject   *self);
const char         *pb_project_get_plan_name       (PbProject   *self);
const char * const *pb_project_get_plan_categories (PbProject   *self);
gboolean            pb_project_is_read_only        (PbProject   *self);
gboolean            pb_project_has_category        (PbProject   *self,
                                                    const char  *category);

G_END_DECLS
