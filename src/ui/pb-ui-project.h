/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-store.h"

G_BEGIN_DECLS

/*
 * PbUiProject: the main window's view of one open project on top of PbStore: the store's
 * models, plus the per-connector facts that the row menus and the rules need (how many
 * integrations a connector has, which one is its default), indexed once per change instead
 * of scanned per row, and the window's changes as PbOperations.
 */
#define PB_TYPE_UI_PROJECT (pb_ui_project_get_type ())
G_DECLARE_FINAL_TYPE (PbUiProject, pb_ui_project, PB, UI_PROJECT, GObject)

PbUiProject   *pb_ui_project_new                  (PbStore       *store);
PbStore       *pb_ui_project_get_store            (PbUiProject   *self);
/* (nullable) until loaded */
PbProject     *pb_ui_project_get_project          (PbUiProject   *self);
gboolean       pb_ui_project_get_loaded           (PbUiProject   *self);
gboolean       pb_ui_project_is_read_only         (PbUiProject   *self);
GListModel    *pb_ui_project_get_integrations     (PbUiProject   *self);
GListModel    *pb_ui_project_get_categories       (PbUiProject   *self);
/* (transfer none) (nullable) */
PbIntegration *pb_ui_project_find                 (PbUiProject   *self,
                                                   const char    *id);
PbIntegration *pb_ui_project_find_default         (PbUiProject   *self,
                                                   const char    *connector_key);
guint          pb_ui_project_count_for_connector  (PbUiProject   *self,
                                                   const char    *connector_key);
void           pb_ui_project_get_facts            (PbUiProject        *self,
                                                   PbIntegration      *integration,
                                                   PbIntegrationFacts *facts);

void           pb_ui_project_load_async           (PbUiProject         *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean       pb_ui_project_load_finish          (PbUiProject         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Enable, disable, make default or delete @id (a PbOperation through pb_store_apply_async,
 * based on the version the window shows). */
void           pb_ui_project_apply_async          (PbUiProject         *self,
                                                   PbOperationKind      kind,
                                                   const char          *id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
/* Returns FALSE with @error set on failure; @out_integration: (optional) (transfer full). */
gboolean       pb_ui_project_apply_finish         (PbUiProject         *self,
                                                   GAsyncResult        *result,
                                                   PbIntegration      **out_integration,
                                                   GError             **error);

G_END_DECLS
