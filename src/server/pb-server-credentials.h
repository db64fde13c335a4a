/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pb-auth-type.h"
#include "pb-server-crypto.h"

G_BEGIN_DECLS

/* A linked account's credentials: what its end user entered (the auth type's account fields)
 * and, for OAuth types, the tokens the provider gave. They are kept as one JSON object sealed
 * with the key file and bound to the account (AAD "account/<id>"); what the API shows of them
 * is their hints, {field: {hint, updated_at}} kept next to them. */

/* Members of an OAuth account's credentials that the provider gives, never the end user. */
#define PB_CREDENTIAL_ACCESS_TOKEN  "access_token"
#define PB_CREDENTIAL_REFRESH_TOKEN "refresh_token"

GBytes     *pb_credentials_seal         (PbCrypto     *crypto,
                                         const char   *account_id,
                                         JsonObject   *credentials);
/* The credentials sealed in @data; an empty object when @length is 0; NULL when they cannot
 * be decrypted with this key (or were tampered with). */
JsonObject *pb_credentials_open         (PbCrypto     *crypto,
                                         const char   *account_id,
                                         const guint8 *data,
                                         gsize         length);
/* The hints of @credentials, all set at @now, as JSON text:
 * {field: {"hint": "…wxyz", "updated_at": ms}}. */
char       *pb_credentials_hints        (JsonObject   *credentials,
                                         gint64        now);
/* Adds to @problems (field name as @prefix + key → a sentence naming the field's label) what
 * in @credentials does not fit the account fields of @type: a required one missing or blank,
 * a value of the wrong kind, a member that is not an account field. The tokens of an OAuth
 * type are allowed when @tokens_allowed. */
void        pb_credentials_check        (PbAuthType   *type,
                                         JsonObject   *credentials,
                                         const char   *prefix,
                                         gboolean      tokens_allowed,
                                         JsonObject   *problems);
/* Writes the account's "credentials" member: {field: {set: true, hint, updated_at}}, plus
 * "expires_at" on the access token of an OAuth account (@token_expires_at > 0). */
void        pb_credentials_add_json     (JsonBuilder  *builder,
                                         const char   *hints,
                                         gint64        token_expires_at);
/* Overwrites the values of @credentials in memory and frees it. */
void        pb_credentials_wipe         (JsonObject   *credentials);

G_END_DECLS
