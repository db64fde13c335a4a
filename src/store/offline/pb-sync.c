/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-sync"

#include "config.h"

#include "pb-sync.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-outbox-private.h"
#include "pb-sync-private.h"

G_DEFINE_FINAL_TYPE (PbSync, pb_sync, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_REACHABLE,
  PROP_LAST_ERROR,
  PROP_PROBE_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_ACKNOWLEDGED,
  SIGNAL_CONFLICT,
  SIGNAL_REFUSED,
  SIGNAL_SYNCED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pb_sync_dispose (GObject *object)
{
  PbSync *self = (PbSync *) object;

  pb_sync_stop (self);
  g_clear_object (&self->network_monitor);
  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  self->lookup_destroy = NULL;
  self->lookup_data = NULL;
  self->has_lookup = FALSE;

  G_OBJECT_CLASS (pb_sync_parent_class)->dispose (object);
}

static void
pb_sync_finalize (GObject *object)
{
  PbSync *self = (PbSync *) object;

  g_clear_object (&self->client);
  g_clear_object (&self->outbox);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->refreshed, pb_integration_changes_free);
  g_free (self->last_error);

  G_OBJECT_CLASS (pb_sync_parent_class)->finalize (object);
}

static void
pb_sync_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  PbSync *self = PB_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_REACHABLE:
      g_value_set_boolean (value, self->reachable);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_PROBE_DELAY:
      g_value_set_uint (value, self->probe_delay_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_sync_class_init (PbSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pb_sync_dispose;
  object_class->finalize = pb_sync_finalize;
  object_class->get_property = pb_sync_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, PB_SYNC_STATE_IDLE, PB_SYNC_STATE_FAILED,
                      PB_SYNC_STATE_IDLE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REACHABLE] =
    g_param_spec_boolean ("reachable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* For "Offline — trying again in 30 s": the delay of the next probe, 0 when none. */
  properties[PROP_PROBE_DELAY] =
    g_param_spec_uint ("probe-delay", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ACKNOWLEDGED] =
    g_signal_new ("acknowledged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, PB_TYPE_OUTBOX_ENTRY, PB_TYPE_INTEGRATION);
  signals[SIGNAL_CONFLICT] =
    g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, PB_TYPE_OUTBOX_ENTRY, JSON_TYPE_OBJECT);
  signals[SIGNAL_REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, PB_TYPE_OUTBOX_ENTRY, G_TYPE_STRING);
  signals[SIGNAL_SYNCED] =
    g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
pb_sync_init (PbSync *self)
{
  self->min_backoff_ms = PB_SYNC_DEFAULT_MIN_BACKOFF_MS;
  self->max_backoff_ms = PB_SYNC_DEFAULT_MAX_BACKOFF_MS;
  self->backoff_ms = self->min_backoff_ms;
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

PbSync *
pb_sync_new (PbClient *client,
             PbOutbox *outbox)
{
  PbSync *self;

  g_return_val_if_fail (PB_IS_CLIENT (client), NULL);
  g_return_val_if_fail (PB_IS_OUTBOX (outbox), NULL);

  self = g_object_new (PB_TYPE_SYNC, NULL);
  self->client = g_object_ref (client);
  self->outbox = g_object_ref (outbox);
  return self;
}

PbClient *
pb_sync_get_client (PbSync *self)
{
  g_return_val_if_fail (PB_IS_SYNC (self), NULL);
  return self->client;
}

PbOutbox *
pb_sync_get_outbox (PbSync *self)
{
  g_return_val_if_fail (PB_IS_SYNC (self), NULL);
  return self->outbox;
}

void
pb_sync_set_secret_lookup (PbSync                   *self,
                           const PbSyncSecretLookup *lookup,
                           gpointer                  user_data,
                           GDestroyNotify            destroy)
{
  g_return_if_fail (PB_IS_SYNC (self));

  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  self->has_lookup = lookup != NULL;
  if (lookup != NULL)
    self->lookup = *lookup;
  self->lookup_data = user_data;
  self->lookup_destroy = destroy;
}

void
pb_sync_set_backoff (PbSync *self,
                     guint   min_ms,
                     guint   max_ms)
{
  g_return_if_fail (PB_IS_SYNC (self));
  g_return_if_fail (min_ms > 0 && min_ms <= max_ms);

  self->min_backoff_ms = min_ms;
  self->max_backoff_ms = max_ms;
  self->backoff_ms = min_ms;
}

void
pb_sync_set_network_monitor (PbSync          *self,
                             GNetworkMonitor *monitor)
{
  g_return_if_fail (PB_IS_SYNC (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));
  g_return_if_fail (!self->started);

  g_set_object (&self->network_monitor, monitor);
}

PbSyncState
pb_sync_get_state (PbSync *self)
{
  g_return_val_if_fail (PB_IS_SYNC (self), PB_SYNC_STATE_IDLE);
  return self->state;
}

gboolean
pb_sync_get_reachable (PbSync *self)
{
  g_return_val_if_fail (PB_IS_SYNC (self), FALSE);
  return self->reachable;
}

const char *
pb_sync_get_last_error (PbSync *self)
{
  g_return_val_if_fail (PB_IS_SYNC (self), NULL);
  return self->last_error;
}

guint
pb_sync_get_probe_delay (PbSync *self)
{
  g_return_val_if_fail (PB_IS_SYNC (self), 0);
  return self->probe_delay_ms;
}

/* ---- state ---------------------------------------------------------------------------- */

void
pb_sync_set_state (PbSync      *self,
                   PbSyncState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
pb_sync_set_reachable (PbSync   *self,
                       gboolean  reachable)
{
  if (!reachable)
    self->replica_fresh = FALSE;   /* what changed on the backend meanwhile is unknown */
  if (self->reachable == reachable)
    return;
  self->reachable = reachable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REACHABLE]);
}

void
pb_sync_set_last_error (PbSync     *self,
                        const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_probe_delay (PbSync *self,
                 guint   delay_ms)
{
  if (self->probe_delay_ms == delay_ms)
    return;
  self->probe_delay_ms = delay_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBE_DELAY]);
}

void
pb_sync_cancel_probe (PbSync *self)
{
  g_clear_handle_id (&self->probe_source, g_source_remove);
  set_probe_delay (self, 0);
}

static gboolean
on_probe_timeout (gpointer user_data)
{
  PbSync *self = user_data;

  self->probe_source = 0;
  set_probe_delay (self, 0);
  pb_sync_probe_now (self);
  return G_SOURCE_REMOVE;
}

void
pb_sync_schedule_probe (PbSync *self)
{
  guint delay = self->backoff_ms;

  if (!self->started)
    return;
  g_clear_handle_id (&self->probe_source, g_source_remove);
  self->probe_source = g_timeout_add (delay, on_probe_timeout, self);
  g_debug ("Next probe in %u ms", delay);
  self->backoff_ms = MIN (self->backoff_ms * 2, self->max_backoff_ms);
  /* A fresh value each time, so that a repeated delay (at the maximum) is seen too. */
  self->probe_delay_ms = 0;
  set_probe_delay (self, delay);
}

/* Errors after which trying again later may help. */
gboolean
pb_sync_is_transient (const GError *error)
{
  return g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE) ||
         g_error_matches (error, PB_API_ERROR, PB_API_ERROR_RATE_LIMITED) ||
         g_error_matches (error, PB_API_ERROR, PB_API_ERROR_SERVER) ||
         g_error_matches (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
}

/* Ends the replay: state, probes, and the joined tasks. Takes @error. */
void
pb_sync_finish_run (PbSync *self,
                    GError *error)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  gboolean ok = error == NULL;

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->running = FALSE;

  if (error == NULL)
    {
      pb_sync_set_reachable (self, TRUE);
      pb_sync_set_last_error (self, NULL);
      pb_sync_set_state (self, PB_SYNC_STATE_IDLE);
      self->backoff_ms = self->min_backoff_ms;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pb_sync_set_state (self, PB_SYNC_STATE_IDLE);
    }
  else if (g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE))
    {
      pb_sync_set_reachable (self, FALSE);
      pb_sync_set_last_error (self, error->message);
      pb_sync_set_state (self, PB_SYNC_STATE_OFFLINE);
      pb_sync_schedule_probe (self);
    }
  else
    {
      pb_sync_set_last_error (self, error->message);
      pb_sync_set_state (self, PB_SYNC_STATE_FAILED);
      if (pb_sync_is_transient (error))
        pb_sync_schedule_probe (self);
    }

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_clear_error (&error);

  if (ok)
    g_signal_emit (self, signals[SIGNAL_SYNCED], 0, self->refreshed_in_run);
  self->refreshed_in_run = FALSE;
  g_clear_pointer (&self->refreshed, pb_integration_changes_free);
}

void
pb_sync_start_run (PbSync *self)
{
  if (self->running)
    return;
  self->running = TRUE;
  self->refreshed_in_run = FALSE;
  pb_sync_cancel_probe (self);
  pb_sync_set_state (self, PB_SYNC_STATE_SYNCING);
  pb_sync_run_next (self);
}

/**
 * pb_sync_mark_replica_fresh:
 *
 * Says that the replica has just been filled with what the backend has now (the store loaded
 * the project, its connectors and every integration and saved them): a replay that finds
 * nothing to send then ends without fetching them all again ("synced" with refreshed FALSE).
 * Sending anything, or losing the backend, makes the next replay refetch as before; during a
 * replay this does nothing (what it sent may be newer than what the store loaded).
 */
/**
 * pb_sync_get_refreshed_changes:
 *
 * In a "synced" handler with refreshed TRUE: what the replay fetched and wrote to the replica
 * (the replica holds the same now): what changed since the replica's sync token, or every
 * integration when it had none or the backend no longer knew it; so that the handler need
 * not read them all back. NULL otherwise.
 *
 * Returns: (transfer none) (nullable): the changes
 */
PbIntegrationChanges *
pb_sync_get_refreshed_changes (PbSync *self)
{
  g_return_val_if_fail (PB_IS_SYNC (self), NULL);
  return self->refreshed;
}

void
pb_sync_mark_replica_fresh (PbSync *self)
{
  g_return_if_fail (PB_IS_SYNC (self));
  /* A replay under way may have sent something the store's load did not see. */
  if (!self->running)
    self->replica_fresh = TRUE;
}

/* ---- signals, for the replay ---------------------------------------------------------- */

void
pb_sync_emit_acknowledged (PbSync        *self,
                           PbOutboxEntry *entry,
                           PbIntegration *answer)
{
  g_signal_emit (self, signals[SIGNAL_ACKNOWLEDGED], 0, entry, answer);
}

void
pb_sync_emit_conflict (PbSync        *self,
                       PbOutboxEntry *entry,
                       JsonObject    *current)
{
  g_signal_emit (self, signals[SIGNAL_CONFLICT], 0, entry, current);
}

void
pb_sync_emit_refused (PbSync        *self,
                      PbOutboxEntry *entry,
                      const char    *message)
{
  g_signal_emit (self, signals[SIGNAL_REFUSED], 0, entry, message);
}

/* ---- resolutions ---------------------------------------------------------------------- */

static void
kick (PbSync *self)
{
  if (!self->started || self->running)
    return;
  if (self->reachable)
    pb_sync_start_run (self);
  else
    pb_sync_probe_now (self);
}

static gboolean
check_state (PbSync         *self,
             gint64          seq,
             gboolean        conflict_only,
             GError        **error)
{
  PbOutboxEntry *entry = pb_outbox_lookup (self->outbox, seq);

  if (entry == NULL)
    {
      g_set_error (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_NOT_FOUND,
                   _("The queued change %" PRId64 " is not in the queue any more."),
                   seq);
      return FALSE;
    }
  if (pb_outbox_entry_get_state (entry) == PB_OUTBOX_STATE_PENDING ||
      (conflict_only && pb_outbox_entry_get_state (entry) != PB_OUTBOX_STATE_CONFLICT))
    {
      g_set_error_literal (error, PB_OFFLINE_ERROR, PB_OFFLINE_ERROR_INVALID_INPUT,
                           _("This change is not waiting for a decision."));
      return FALSE;
    }
  return TRUE;
}

gboolean
pb_sync_resolve_keep_mine (PbSync  *self,
                           gint64   seq,
                           GError **error)
{
  g_return_val_if_fail (PB_IS_SYNC (self), FALSE);

  if (!check_state (self, seq, TRUE, error) || !pb_outbox_rebase (self->outbox, seq, error))
    return FALSE;
  kick (self);
  return TRUE;
}

gboolean
pb_sync_resolve_keep_theirs (PbSync  *self,
                             gint64   seq,
                             GError **error)
{
  g_return_val_if_fail (PB_IS_SYNC (self), FALSE);

  if (!check_state (self, seq, FALSE, error) || !pb_outbox_drop (self->outbox, seq, error))
    return FALSE;
  kick (self);
  return TRUE;
}

gboolean
pb_sync_resolve_edit (PbSync              *self,
                      gint64               seq,
                      JsonObject          *payload,
                      const char * const  *secret_fields,
                      GError             **error)
{
  g_return_val_if_fail (PB_IS_SYNC (self), FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);

  if (!check_state (self, seq, FALSE, error) ||
      !pb_outbox_requeue (self->outbox, seq, payload, secret_fields, error))
    return FALSE;
  kick (self);
  return TRUE;
}
