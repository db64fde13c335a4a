/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-application.h"
#include "pb-ui-project.h"

G_BEGIN_DECLS

#define PB_TYPE_WINDOW (pb_window_get_type ())
G_DECLARE_FINAL_TYPE (PbWindow, pb_window, PB, WINDOW, AdwApplicationWindow)

PbWindow    *pb_window_new              (PbApplication *application);
/* Presents the window once the project it opens shows what is cached of it (or has nothing
 * cached, or failed), so that its first frame is not an empty page; at most a second later. */
void         pb_window_present_when_ready (PbWindow    *self);

/* The project open in the window ((nullable) before one is chosen). */
PbUiProject *pb_window_get_project      (PbWindow      *self);
/* Shows @message as a toast. */
void         pb_window_toast            (PbWindow      *self,
                                         const char    *message);

G_END_DECLS
