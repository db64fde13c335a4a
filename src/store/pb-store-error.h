/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PB_STORE_ERROR (pb_store_error_quark ())

/**
 * PbStoreError:
 * @PB_STORE_ERROR_KEYRING_UNAVAILABLE: no keyring (Secret Service) answers on the session bus
 * @PB_STORE_ERROR_KEYRING_LOCKED: the keyring is locked and was not unlocked (prompt dismissed)
 * @PB_STORE_ERROR_KEYRING_FAILED: the keyring refused or failed in another way
 * @PB_STORE_ERROR_INVALID_INPUT: bad input from the caller (the message says which)
 * @PB_STORE_ERROR_NOT_FOUND: the project, integration or item is not known to the store
 * @PB_STORE_ERROR_EXISTS: the project is configured already
 * @PB_STORE_ERROR_NO_API_KEY: the keyring has no API key for the project
 * @PB_STORE_ERROR_NOT_LOADED: the store has not been loaded yet
 * @PB_STORE_ERROR_FAILED: anything else (settings not writable, …)
 * @PB_STORE_ERROR_UNENCRYPTED: the backend is http:// to another computer and the admin has not
 *   confirmed sending the key unencrypted
 * @PB_STORE_ERROR_OFFLINE_NO_CACHE: the backend cannot be reached and nothing of the project
 *   is cached on this computer
 * @PB_STORE_ERROR_NEEDS_BACKEND: the backend cannot be reached and what was asked cannot wait
 *   in the queue (linking an account, checking its credentials)
 *
 * Errors of the store layer; every message is a sentence a person understands.
 */
typedef enum
{
  PB_STORE_ERROR_KEYRING_UNAVAILABLE,
  PB_STORE_ERROR_KEYRING_LOCKED,
  PB_STORE_ERROR_KEYRING_FAILED,
  PB_STORE_ERROR_INVALID_INPUT,
  PB_STORE_ERROR_NOT_FOUND,
  PB_STORE_ERROR_EXISTS,
  PB_STORE_ERROR_NO_API_KEY,
  PB_STORE_ERROR_NOT_LOADED,
  PB_STORE_ERROR_FAILED,
  PB_STORE_ERROR_OFFLINE_NO_CACHE,
  PB_STORE_ERROR_UNENCRYPTED,
  PB_STORE_ERROR_NEEDS_BACKEND,
} PbStoreError;

GQuark      pb_store_error_quark      (void);

/* The fields a change was refused for, whoever refused it (the backend's details.fields, or
 * a rule the store checked before sending): field key ("name", "config.x", "secrets.y") →
 * the sentence saying why. (transfer none) (nullable). */
JsonObject *pb_store_error_get_fields (const GError *error);

G_END_DECLS
