/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Helpers shared by the store tests: run an async call to its end on the main loop, and
 * read items-changed emissions off a GtSignalLogger. Tests only: the library never blocks. */

#include <gio/gio.h>
#include <libglib-testing/signal-logger.h>

G_BEGIN_DECLS

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} PbWaiter;

PbWaiter     *pb_waiter_new   (void);
void          pb_waiter_free  (PbWaiter *waiter);
/* Runs the loop until the callback came; the result stays owned by the waiter until the
 * next wait. */
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
