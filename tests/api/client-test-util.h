/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What test-client.c and test-client-transport.c share: the log capture, the async
 * plumbing (AWAIT), the demo server and its clients, and synchronous helpers over PbClient.
 */

#include <json-glib/json-glib.h>

#include "pb-api.h"
#include "pb-test-server.h"
#include "pb-test-wait.h"

G_BEGIN_DECLS

extern PbTestServer *demo_server;
extern GString *captured_log;
extern gboolean user_wants_debug;

/* How long a call may take here: the retry tests wait out a one-minute rate-limit window. */
#define CLIENT_TEST_TIMEOUT_MS 120000

/* Calls @call_async and waits for its result (into the caller's `result`). */
#define AWAIT(call_async, ...) \
  G_STMT_START { \
    GAsyncResult *slot_ = NULL; \
    call_async (__VA_ARGS__, pb_test_async_ready_cb, &slot_); \
    result = pb_test_await (&slot_, CLIENT_TEST_TIMEOUT_MS); \
  } G_STMT_END

PbTestServer *get_demo_server (void);

PbClient *admin_client (void);

PbClient *viewer_client (void);

PbProject *get_project (PbClient *client,
                        GError **error);

GPtrArray *all_connectors (PbClient *client,
                           const PbQuery *query);

GPtrArray *all_integrations (PbClient *client,
                             const PbQuery *query);

PbIntegration *get_integration (PbClient *client,
                                const char *id,
                                GError **error);

PbIntegration *create_integration (PbClient *client,
                                   JsonObject *body,
                                   GError **error);

PbIntegration *update_integration (PbClient *client,
                                   const char *id,
                                   JsonObject *patch,
                                   gint64 if_match,
                                   GError **error);

gboolean delete_integration (PbClient *client,
                             const char *id,
                             gint64 if_match,
                             GError **error);

void delete_or_die (PbClient *client,
                    const char *id);

void assert_http_failure (const GError *error,
                          PbApiError expected_error,
                          guint expected_status,
                          const char *expected_code);

const char *sample_value (PbAuthField *field);

JsonObject *create_body (PbConnector *connector,
                         PbAuthType *type,
                         const char *id,
                         const char *name);

PbConnector *fresh_connector (PbClient *client,
                              PbAuthType **out_type);

PbIntegration *create_in (PbClient *client,
                          PbConnector *connector,
                          PbAuthType *type,
                          const char *name);

void assert_no_duplicates (GPtrArray *ids,
                           const char *what);

/* Sends the debug log to captured_log, then g_test_init (). */
void client_test_init (int    *argc,
                                          char ***argv);
/* Stops the demo server. */
void client_test_shutdown (void);

G_END_DECLS
