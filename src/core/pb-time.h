/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GDateTime *pb_time_parse_rfc3339  (const char *text);
char      *pb_time_format_rfc3339 (GDateTime  *datetime);

G_END_DECLS
