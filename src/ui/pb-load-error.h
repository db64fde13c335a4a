/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A sentence for a person saying why something could not be loaded from the backend. */
char       *pb_load_error_sentence (const GError *error);
/* An icon name that says what went wrong (offline, locked, generic). */
const char *pb_load_error_icon     (const GError *error);

G_END_DECLS
