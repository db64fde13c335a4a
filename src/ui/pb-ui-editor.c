/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-ui-editor"

#include "config.h"

#include "pb-ui-editor.h"

#include "pb-editor.h"

/* The editor (issue 6) is being written beside the window: until its entry points are
 * linked in, + and Edit stay insensitive rather than failing. */
#pragma weak pb_editor_present_new
#pragma weak pb_editor_present_edit

gboolean
pb_ui_editor_available (void)
{
  return pb_editor_present_new != NULL && pb_editor_present_edit != NULL;
}

void
pb_ui_editor_present_new (GtkWindow   *parent,
                          PbUiProject *project)
{
  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (PB_IS_UI_PROJECT (project));
  if (pb_ui_editor_available ())
    pb_editor_present_new (parent, pb_ui_project_get_store (project));
}

void
pb_ui_editor_present_edit (GtkWindow     *parent,
                           PbUiProject   *project,
                           PbIntegration *integration)
{
  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (PB_IS_UI_PROJECT (project));
  g_return_if_fail (PB_IS_INTEGRATION (integration));
  if (pb_ui_editor_available ())
    pb_editor_present_edit (parent, pb_ui_project_get_store (project), integration);
}
