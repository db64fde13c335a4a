/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include "pb-store-error.h"

G_DEFINE_QUARK (pb-store-error-quark, pb_store_error)
