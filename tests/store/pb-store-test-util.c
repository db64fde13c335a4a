/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-util"

#include "config.h"

#include "pb-store-test-util.h"

PbWaiter *
pb_waiter_new (void)
{
  return g_new0 (PbWaiter, 1);
}

void
pb_waiter_free (PbWaiter *waiter)
{
  g_clear_object (&waiter->slot);
  g_clear_object (&waiter->result);
  g_free (waiter);
}

void
pb_waiter_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PbWaiter *waiter = user_data;

  pb_test_async_ready_cb (source, result, &waiter->slot);
}

GAsyncResult *
pb_waiter_wait (PbWaiter *waiter)
{
  g_clear_object (&waiter->result);
  waiter->result = pb_test_await (&waiter->slot, PB_TEST_TIMEOUT_MS);
  return waiter->result;
}

void
pb_assert_items_changed (GtSignalLogger *logger,
                         gpointer        model,
                         guint           position,
                         guint           removed,
                         guint           added)
{
  guint got_position = G_MAXUINT, got_removed = G_MAXUINT, got_added = G_MAXUINT;

  gt_signal_logger_assert_emission_pop (logger, model, "items-changed",
                                        &got_position, &got_removed, &got_added);
  if (got_position != position || got_removed != removed || got_added != added)
    {
      g_autofree char *message =
        g_strdup_printf ("Expected items-changed (%u, %u, %u), saw (%u, %u, %u)",
                         position, removed, added, got_position, got_removed, got_added);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
    }
}

char *
pb_random_value (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("%s-%s", prefix, uuid);
}
