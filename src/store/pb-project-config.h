/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PB_TYPE_PROJECT_CONFIG (pb_project_config_get_type ())
G_DECLARE_FINAL_TYPE (PbProjectConfig, pb_project_config, PB, PROJECT_CONFIG, GObject)

/*
 * PbProjectConfig: one project the admin configured (or the session-only one from the
 * environment): a local id, a display name, the backend URL and the project's id on the
 * backend (NULL until known). The API key is not here: it is in the keyring (PbSecrets,
 * project attribute = local id) or, for the session-only project, in PbProjectList's memory.
 * Only the name changes after construction (PbProjectList renames it; "notify::name").
 */

PbProjectConfig *pb_project_config_new            (const char      *id,
                                                   const char      *name,
                                                   const char      *url,
                                                   const char      *project_id,
                                                   gboolean         session_only);
const char      *pb_project_config_get_id         (PbProjectConfig *self);
const char      *pb_project_config_get_name       (PbProjectConfig *self);
const char      *pb_project_config_get_url        (PbProjectConfig *self);
const char      *pb_project_config_get_project_id (PbProjectConfig *self);
gboolean         pb_project_config_get_session_only (PbProjectConfig *self);
/* Whether the backend is reached without encryption over a network: http:// to a host that
 * is not this computer (the admin confirmed it when adding the project). */
gboolean         pb_project_config_get_unencrypted (PbProjectConfig *self);
/* The backend's host, e.g. "hr.example.com" (transfer full). */
char            *pb_project_config_dup_host       (PbProjectConfig *self);
/* Whether @url is http:// to a host other than this computer (loopback). */
gboolean         pb_url_is_unencrypted_remote     (const char      *url);

/* For PbProjectList only. */
void             pb_project_config_set_name       (PbProjectConfig *self,
                                                   const char      *name);
void             pb_project_config_set_project_id (PbProjectConfig *self,
                                                   const char      *project_id);

G_END_DECLS
