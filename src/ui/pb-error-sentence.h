/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one place an error becomes what a person reads (toasts, status pages, dialogs): a
 * translated sentence for what the client only has codes for (the backend out of reach, a
 * refused key, a broken answer…), the server's own sentence when it gave one, and the
 * sentence of the layer that refused otherwise (the rules, the store, the offline cache).
 * Returns: (transfer full). */
char       *pb_error_sentence  (const GError *error);

/* An icon name for a status page that shows @error. */
const char *pb_error_icon_name (const GError *error);

G_END_DECLS
