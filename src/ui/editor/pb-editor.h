/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pb-store.h"

G_BEGIN_DECLS

/*
 * The entry points of the "Adding and editing" part of the UI (ux.md), used by the main
 * window. Both are asynchronous: the dialogs are modal and transient for @parent, and
 * apply their change through @store themselves.
 */

/* The + button (Ctrl+N): the connector picker, then the editor for a new integration. */
void pb_editor_present_new  (GtkWindow     *parent,
                             PbStore       *store);

/* Edit in a row's menu: the editor for an existing integration. */
void pb_editor_present_edit (GtkWindow     *parent,
                             PbStore       *store,
                             PbIntegration *integration);

/* Loads the picker's and the editor's style sheet for @widget's display, once. */
void pb_editor_load_style   (GtkWidget     *widget);

G_END_DECLS
