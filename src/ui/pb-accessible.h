/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Names that GTK 4.8 and libadwaita 1.2 get wrong for screen readers, put right on every
 * widget as it is shown (see pb-accessible.c). Called once, at the application's startup. */
void  pb_accessible_install (void);

/* "_Save" → "Save"; "__init" → "_init". */
char *pb_accessible_strip_mnemonic (const char *label);

G_END_DECLS
