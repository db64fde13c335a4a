/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Small helpers shared by the offline test programs (test-offline-replica,
 * test-offline-overlay, test-offline-sync). */

#include <glib/gstdio.h>
#include <libglib-testing/signal-logger.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "offline-test-util.h"
#include "pb-test-server.h"
#include "pb-outbox-private.h"
#include "pb-operation.h"

G_BEGIN_DECLS

/* The test's temporary folder; made by offline_test_init(). */
extern char *test_dir;

void offline_test_init (int    *argc,
                        char ***argv);
/* Runs the tests, then removes the temporary folder. */
int offline_test_run (void);

typedef struct
{
  PbSync *sync;       /* weak: the sync whose signals are counted */
  GArray *acked;      /* gint64 seqs in the order acknowledged */
  guint n_synced;
  guint n_conflicts;
  guint n_refused;
} Counter;

char *helper_path (void);
char *temp_path (const char *name);
PbProject *get_project (PbClient *client);
GPtrArray *list_connectors (PbClient *client);
PbIntegration *find_by_id (GPtrArray *integrations, const char *id);
guint count_by_id (GPtrArray *integrations, const char *id);
guint count_connector (GPtrArray *integrations, const char *connector_key);
PbIntegration *find_deletable (GPtrArray *integrations, PbIntegration *avoid);
PbIntegration *pick (GPtrArray *integrations, guint nth, PbIntegration *avoid);
PbOutboxEntry *rename_entry (const char *id, gint64 base_version, const char *name);
PbOutboxEntry *simple_entry (PbOperationKind kind, const char *id, gint64 base_version);
PbOutboxEntry *create_entry (const char *id, const char *name, gboolean make_default);
gint64 append (PbOutbox *outbox, PbOutboxEntry *entry);
gboolean run_sync (PbSync *sync, GError **error);
gboolean file_contains (const char *path, const char *needle);
gboolean replica_files_contain (const char *db_path, const char *needle);
char *hint_tail (const char *value);
const char *secret_hint (PbIntegration *integration, const char *field);
Counter *counter_new (PbSync *sync);
void counter_free (Counter *counter);
PbOutbox *reopen_outbox (const char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Counter, counter_free)

G_END_DECLS
