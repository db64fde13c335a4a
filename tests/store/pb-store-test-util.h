/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Helpers shared by the store tests: a holder for the result of an async call (waited for
 * with pb_test_await()), and items-changed emissions read off a GtSignalLogger. */

#include <gio/gio.h>
#include <libglib-testing/signal-logger.h>

#include "pb-test-wait.h"

G_BEGIN_DECLS

typedef struct
{
  GAsyncResult *slot;     /* filled by pb_waiter_cb() */
  GAsyncResult *result;   /* the last one waited for */
} PbWaiter;

PbWaiter     *pb_waiter_new   (void);
void          pb_waiter_free  (PbWaiter *waiter);
/* pb_test_await()s the result; it stays owned by the waiter until the next wait, so that
 * a _finish can take it in place. */
GAsyncResult *pb_waiter_wait  (PbWaiter *waiter);
void          pb_waiter_cb    (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbWaiter, pb_waiter_free)

/* Pops one emission and asserts it is items-changed (position, removed, added) on @model. */
void          pb_assert_items_changed (GtSignalLogger *logger,
                                       gpointer        model,
                                       guint           position,
                                       guint           removed,
                                       guint           added);

/* A fresh value for each run, so that no test result can be hard-coded. */
char         *pb_random_value (const char *prefix);

G_END_DECLS
