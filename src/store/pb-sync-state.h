/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PbSyncState:
 * @PB_SYNC_STATE_IDLE: nothing to do, or waiting for the admin (conflicts, refusals)
 * @PB_SYNC_STATE_SYNCING: sending queued changes or refreshing the replica
 * @PB_SYNC_STATE_OFFLINE: the backend cannot be reached; a probe retries with backoff
 * @PB_SYNC_STATE_FAILED: the backend answered but will not take anything now (bad key,
 *   TLS, server errors…); see the last error; retried on pb_sync_now() or after backoff
 */
typedef enum
{
  PB_SYNC_STATE_IDLE,
  PB_SYNC_STATE_SYNCING,
  PB_SYNC_STATE_OFFLINE,
  PB_SYNC_STATE_FAILED,
} PbSyncState;

G_END_DECLS
