/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-sync"

#include "config.h"

#include "pb-sync.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-outbox-private.h"
#include "pb-sync-private.h"

/* Reachability: the probe, the network monitor, start, stop and now. */

/* ---- reachability --------------------------------------------------------------------- */

static void
on_probe_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PbSync) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbProject) project = NULL;

  self->probing = FALSE;
  project = pb_client_get_project_finish (PB_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->started)
    return;

  if (project != NULL)
    {
      g_debug ("The backend answers again");
      pb_sync_set_reachable (self, TRUE);
      self->backoff_ms = self->min_backoff_ms;
      pb_sync_start_run (self);
      return;
    }

  if (g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE))
    {
      pb_sync_set_reachable (self, FALSE);
      pb_sync_set_state (self, PB_SYNC_STATE_OFFLINE);
    }
  else
    {
      pb_sync_set_reachable (self, TRUE);
      pb_sync_set_state (self, PB_SYNC_STATE_FAILED);
    }
  pb_sync_set_last_error (self, error->message);
  if (pb_sync_is_transient (error))
    pb_sync_schedule_probe (self);
}

void
pb_sync_probe_now (PbSync *self)
{
  if (!self->started || self->probing || self->running)
    return;
  pb_sync_cancel_probe (self);
  self->probing = TRUE;
  pb_client_get_project_async (self->client, self->cancellable, on_probe_cb,
                               g_object_ref (self));
}

static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       gpointer         user_data)
{
  PbSync *self = user_data;

  /* Also after a resume from suspend, when the network comes back. */
  if (!available || (self->state != PB_SYNC_STATE_OFFLINE &&
                     self->state != PB_SYNC_STATE_FAILED))
    return;
  g_debug ("The network changed; probing the backend at once");
  self->backoff_ms = self->min_backoff_ms;
  pb_sync_probe_now (self);
}

void
pb_sync_report_unreachable (PbSync       *self,
                            const GError *error)
{
  g_return_if_fail (PB_IS_SYNC (self));
  g_return_if_fail (error != NULL);

  /* A replay or a probe under way finds out by itself. */
  if (!self->started || self->running || self->probing)
    return;
  pb_sync_set_reachable (self, FALSE);
  pb_sync_set_last_error (self, error->message);
  pb_sync_set_state (self, PB_SYNC_STATE_OFFLINE);
  if (self->probe_source == 0)
    pb_sync_schedule_probe (self);
}

void
pb_sync_report_reachable (PbSync *self)
{
  g_return_if_fail (PB_IS_SYNC (self));

  if (!self->started || self->running || self->probing)
    return;
  if (self->state != PB_SYNC_STATE_OFFLINE && self->state != PB_SYNC_STATE_FAILED &&
      pb_outbox_peek_sendable (self->outbox) == NULL)
    return;
  self->backoff_ms = self->min_backoff_ms;
  pb_sync_set_reachable (self, TRUE);
  pb_sync_start_run (self);
}

void
pb_sync_start (PbSync *self)
{
  g_return_if_fail (PB_IS_SYNC (self));

  if (self->started)
    return;
  self->started = TRUE;
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  self->monitor = g_object_ref (self->network_monitor != NULL ? self->network_monitor
                                                              : g_network_monitor_get_default ());
  self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                               G_CALLBACK (on_network_changed_cb), self);
  self->backoff_ms = self->min_backoff_ms;
  pb_sync_probe_now (self);
}

void
pb_sync_stop (PbSync *self)
{
  g_return_if_fail (PB_IS_SYNC (self));

  self->started = FALSE;
  pb_sync_cancel_probe (self);
  if (self->monitor != NULL)
    {
      g_clear_signal_handler (&self->network_changed_id, self->monitor);
      g_clear_object (&self->monitor);
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
pb_sync_now (PbSync *self)
{
  g_return_if_fail (PB_IS_SYNC (self));

  self->backoff_ms = self->min_backoff_ms;
  if (!self->started)
    {
      pb_sync_start (self);
      return;
    }
  if (self->running)
    return;
  pb_sync_probe_now (self);
}
