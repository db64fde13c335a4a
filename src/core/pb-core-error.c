/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-core-error.h"

G_DEFINE_QUARK (pb-core-error-quark, pb_core_error)
