/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the tests of test-views share: the one demo server and its two projects' stores
 * (started in main()), waiting on the main context, and the views' states to wait for. */

#include <adwaita.h>

#include "pb-views-private.h"
#include "pb-test-server.h"

G_BEGIN_DECLS

#define WAIT_SECONDS 20

extern PbTestServer *server;
extern PbStore *hr_store;        /* "Acme HR": 3000 seeded logs */
extern PbStore *sandbox_store;   /* "Acme Sandbox": 600 seeded logs */

typedef gboolean (*Condition) (gpointer data);

/* Helpers (views-fixture.c) */

gboolean       wait_for          (Condition      condition,
                                  gpointer       data,
                                  guint          seconds);
void           spin              (guint          ms);
void           on_result_cb      (GObject       *source,
                                  GAsyncResult  *result,
                                  gpointer       user_data);
GAsyncResult  *wait_result       (GAsyncResult **result);
PbStore       *make_store        (guint          project);
GtkWidget     *show_in_window    (GtkWidget     *view,
                                  int            width,
                                  int            height);
PbIntegration *find_integration  (PbStore       *store,
                                  guint          min_accounts,
                                  gboolean       active);
void           collect_rows      (GtkWidget     *widget,
                                  GType          type,
                                  GPtrArray     *out);

/* Conditions for wait_for() */

gboolean       accounts_settled  (gpointer       data);
gboolean       accounts_error    (gpointer       data);
gboolean       logs_idle         (gpointer       data);
gboolean       logs_first_page   (gpointer       data);

/* Tests, registered in test-views.c */

/* views-accounts.c */
void test_accounts_integration     (void);
void test_accounts_filters         (void);
void test_accounts_sort            (void);
void test_sorted_pages             (void);
void test_accounts_offline_refresh (void);
/* views-account-actions.c */
void test_accounts_link_and_act    (void);
/* views-logs.c */
void test_logs_paging              (void);
void test_logs_integration         (void);
void test_logs_filters             (void);
void test_logs_details             (void);
void test_logs_cancel              (void);
void test_logs_keyboard            (void);
/* views-unreachable-a11y.c */
void test_unreachable              (void);
void test_accessible_names         (void);

G_END_DECLS
