/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PB_OFFLINE_ERROR (pb_offline_error_quark ())

/**
 * PbOfflineError:
 * @PB_OFFLINE_ERROR_DATABASE: the local database could not be opened, read or written
 * @PB_OFFLINE_ERROR_NEWER_SCHEMA: the local database was made by a newer Plugboard
 * @PB_OFFLINE_ERROR_SECRET_VALUE: something that looks like a credential value was about to be
 *   written to the local database; nothing was written
 * @PB_OFFLINE_ERROR_INVALID_INPUT: bad input from the caller (the message says which)
 * @PB_OFFLINE_ERROR_NOT_FOUND: no such queued change
 * @PB_OFFLINE_ERROR_MISSING_SECRET: a queued change needs a credential value that this
 *   machine's keyring does not have
 * @PB_OFFLINE_ERROR_SUPERSEDED: a copy of the project was not saved because the local database
 *   was written since it was fetched (it holds something newer)
 *
 * Errors of the offline layer (replica, outbox, sync); every message is a sentence a person
 * understands. Rules refused offline use PB_CORE_ERROR_RULE, as the server's sentences do.
 */
typedef enum
{
  PB_OFFLINE_ERROR_DATABASE,
  PB_OFFLINE_ERROR_NEWER_SCHEMA,
  PB_OFFLINE_ERROR_SECRET_VALUE,
  PB_OFFLINE_ERROR_INVALID_INPUT,
  PB_OFFLINE_ERROR_NOT_FOUND,
  PB_OFFLINE_ERROR_MISSING_SECRET,
  PB_OFFLINE_ERROR_SUPERSEDED,
} PbOfflineError;

GQuark pb_offline_error_quark (void);

G_END_DECLS
