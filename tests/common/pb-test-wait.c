/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "pb-test-wait.h"

static gboolean
on_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
pb_test_wait_until (PbTestCondition condition,
                    gpointer        data,
                    guint           timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (10, on_tick_cb, NULL);
  gboolean done;

  while (!(done = condition (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  if (!done)
    g_test_message ("Waited %u ms in vain", timeout_ms);
  g_assert_true (done);
}

void
pb_test_spin_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick = g_timeout_add (10, on_tick_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

void
pb_test_async_ready_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
pb_test_await (GAsyncResult **slot,
               guint          timeout_ms)
{
  pb_test_wait_until (result_arrived, slot, timeout_ms);
  return g_steal_pointer (slot);
}
