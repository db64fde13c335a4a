/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-store.h"
#include "pb-project-list.h"
#include "pb-demo-backend.h"

G_BEGIN_DECLS

#define PB_TYPE_APPLICATION (pb_application_get_type ())
G_DECLARE_FINAL_TYPE (PbApplication, pb_application, PB, APPLICATION, AdwApplication)

PbApplication *pb_application_new                 (void);

PbProjectList *pb_application_get_project_list    (PbApplication *self);
PbDemoBackend *pb_application_get_demo            (PbApplication *self);

/* The projects of the switcher: the configured ones (PbProjectList), then the local demo's
 * while it runs. GListModel of PbProjectConfig. */
GListModel    *pb_application_get_projects        (PbApplication *self);
/* Whether there is (or soon will be: the demo is starting) a project to show. */
gboolean       pb_application_has_projects        (PbApplication *self);
gboolean       pb_application_is_demo_project     (PbApplication *self,
                                                   const char    *local_id);
/* (nullable) the local id of the project open when the app was last closed */
const char    *pb_application_get_last_project    (PbApplication *self);
void           pb_application_remember_project    (PbApplication *self,
                                                   const char    *local_id);

/* A PbStore (not loaded yet) for @config, from the configured projects or the demo. */
void           pb_application_open_store_async    (PbApplication       *self,
                                                   PbProjectConfig     *config,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
PbStore       *pb_application_open_store_finish   (PbApplication       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Starts the local demo afresh (pb_demo_backend_reset_async()); the windows wait for its
 * new projects meanwhile. */
void           pb_application_reset_demo_async    (PbApplication       *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean       pb_application_reset_demo_finish   (PbApplication       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

void           pb_application_present_preferences (PbApplication *self,
                                                   GtkWindow     *parent);

G_END_DECLS
