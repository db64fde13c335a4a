/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-server-db.h"

G_BEGIN_DECLS

/* Copies every row of @from into @to, which must be empty and of the same schema version, in
 * one transaction of @to; then checks each table of both, row by row: the same number of rows
 * and the same digest of their values. Messages on standard error say what was copied. */
gboolean pb_copy (PbDb     *from,
                  PbDb     *to,
                  GError  **error);

G_END_DECLS
