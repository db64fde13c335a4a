/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-offline"

#include "config.h"

#include "pb-offline-error.h"

G_DEFINE_QUARK (pb-offline-error-quark, pb_offline_error)
