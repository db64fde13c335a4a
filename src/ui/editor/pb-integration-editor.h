/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-core.h"
#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_INTEGRATION_EDITOR (pb_integration_editor_get_type ())
G_DECLARE_FINAL_TYPE (PbIntegrationEditor, pb_integration_editor, PB, INTEGRATION_EDITOR, AdwWindow)

/*
 * The editor dialog of ux.md ("Adding and editing"): name, auth type, the fields of the
 * chosen auth type built from the catalog, the OAuth callback URI, and the default
 * configuration. Saving goes through @store (credentials to the keyring first, then the
 * backend); a refusal is shown beside the field it names and the dialog stays open.
 *
 * @integration: (nullable): the integration to edit, or NULL to create one of @connector.
 */
PbIntegrationEditor *pb_integration_editor_new            (GtkWindow           *parent,
                                                           PbStore             *store,
                                                           PbConnector         *connector,
                                                           PbIntegration       *integration);

G_END_DECLS
