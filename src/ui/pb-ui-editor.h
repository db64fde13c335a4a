/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pb-ui-project.h"

G_BEGIN_DECLS

/*
 * The one place where the main window reaches the editor (src/ui/editor, pb-editor.h: the
 * connector picker and the integration editor), which works on the open project's PbStore.
 */
gboolean pb_ui_editor_available    (void);
void     pb_ui_editor_present_new  (GtkWindow     *parent,
                                    PbUiProject   *project);
void     pb_ui_editor_present_edit (GtkWindow     *parent,
                                    PbUiProject   *project,
                                    PbIntegration *integration);

G_END_DECLS
