/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The offline layer: replica, outbox, overlay and sync. */

#include "pb-api.h"
#include "pb-offline-error.h"
#include "pb-outbox-entry.h"
#include "pb-outbox.h"
#include "pb-overlay.h"
#include "pb-replica.h"
#include "pb-replica-cache.h"
#include "pb-sync.h"
