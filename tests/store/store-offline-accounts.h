/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "offline-test-util.h"
#include "pb-store.h"
#include "pb-store-error.h"

G_BEGIN_DECLS

/* store-offline-accounts.c, run by test-store-offline.c with its fixture's parts: the store
 * online and its observer client; then a store loaded offline from the cache, and the
 * stopped server that it starts again. */
void test_store_accounts_online  (PbStore  *store,
                                  PbClient *observer);
/* @accounts: the server's active accounts, listed before it was stopped. */
void test_store_accounts_offline (OtServer  *server,
                                  PbStore   *offline,
                                  PbClient  *observer,
                                  GPtrArray *accounts);
/* The server's accounts in @status (NULL: all), as its API lists them. */
GPtrArray *server_accounts       (PbClient   *client,
                                  const char *status);

G_END_DECLS
