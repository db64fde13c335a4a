/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-sync"

#include "config.h"

#include "pb-sync.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-outbox-private.h"

struct _PbSync
{
  GObject parent_instance;

  PbClient *client;
  PbOutbox *outbox;

  PbSyncSecretLookup lookup;
  gboolean has_lookup;
  gpointer lookup_data;
  GDestroyNotify lookup_destroy;

  guint min_backoff_ms;
  guint max_backoff_ms;
  guint backoff_ms;

  PbSyncState state;
  gboolean reachable;
  char *last_error;

  gboolean started;
  GNetworkMonitor *monitor;
  gulong network_changed_id;
  guint probe_source;
  guint probe_delay_ms;        /* of the scheduled probe, 0 when none */
  gboolean probing;
  GCancellable *cancellable;   /* probes and replays; cancelled by stop and dispose */

  gboolean running;
  GPtrArray *waiting;          /* GTasks of pb_sync_run_async() joined to the replay */
};

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

static void run_next (PbSync *self);
static void probe_now (PbSync *self);

static void
pb_sync_dispose (GObject *object)
{
  PbSync *self = (PbSync *) object;

  pb_sync_stop (self);
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
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
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

static void
set_state (PbSync      *self,
           PbSyncState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_reachable (PbSync   *self,
               gboolean  reachable)
{
  if (self->reachable == reachable)
    return;
  self->reachable = reachable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REACHABLE]);
}

static void
set_last_error (PbSync     *self,
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

static void
cancel_probe (PbSync *self)
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
  probe_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_probe (PbSync *self)
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
static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE) ||
         g_error_matches (error, PB_API_ERROR, PB_API_ERROR_RATE_LIMITED) ||
         g_error_matches (error, PB_API_ERROR, PB_API_ERROR_SERVER) ||
         g_error_matches (error, PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE);
}

/* Ends the replay: state, probes, and the joined tasks. Takes @error. */
static void
finish_run (PbSync *self,
            GError *error)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  gboolean ok = error == NULL;

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->running = FALSE;

  if (error == NULL)
    {
      set_reachable (self, TRUE);
      set_last_error (self, NULL);
      set_state (self, PB_SYNC_STATE_IDLE);
      self->backoff_ms = self->min_backoff_ms;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_state (self, PB_SYNC_STATE_IDLE);
    }
  else if (g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE))
    {
      set_reachable (self, FALSE);
      set_last_error (self, error->message);
      set_state (self, PB_SYNC_STATE_OFFLINE);
      schedule_probe (self);
    }
  else
    {
      set_last_error (self, error->message);
      set_state (self, PB_SYNC_STATE_FAILED);
      if (is_transient (error))
        schedule_probe (self);
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
    g_signal_emit (self, signals[SIGNAL_SYNCED], 0);
}

static void
start_run (PbSync *self)
{
  if (self->running)
    return;
  self->running = TRUE;
  cancel_probe (self);
  set_state (self, PB_SYNC_STATE_SYNCING);
  run_next (self);
}

/* ---- sending -------------------------------------------------------------------------- */

typedef struct
{
  PbSync *self;
  PbOutboxEntry *entry;
  GHashTable *values;      /* field → value, wiped when freed */
} Send;

static void
wipe_free (gpointer data)
{
  char *value = data;

  if (value != NULL)
    {
      explicit_bzero (value, strlen (value));
      g_free (value);
    }
}

static void
send_free (Send *send)
{
  g_clear_object (&send->self);
  g_clear_object (&send->entry);
  g_clear_pointer (&send->values, g_hash_table_unref);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Send, send_free)

static char *
hint_of (const char *value)
{
  glong chars = g_utf8_strlen (value, -1);

  if (chars < 8)
    return NULL;
  return g_strdup (g_utf8_offset_to_pointer (value, chars - 4));
}

/* Whether @current (the server's version after a 412) already holds every value of the
 * entry: the change was taken before, the acknowledgement was lost (the process died). */
static gboolean
already_applied (Send       *send,
                 JsonObject *current)
{
  JsonObject *payload = pb_outbox_entry_get_payload (send->entry);
  const char * const *fields = pb_outbox_entry_get_secret_fields (send->entry);
  JsonObject *config = NULL;
  JsonObject *secrets = NULL;
  JsonObject *now_config;
  JsonObject *now_secrets;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (json_object_get_int_member_with_default (current, "version", -1) <=
      pb_outbox_entry_get_base_version (send->entry))
    return FALSE;

  if (json_object_has_member (payload, "name") &&
      g_strcmp0 (json_object_get_string_member_with_default (payload, "name", NULL),
                 json_object_get_string_member_with_default (current, "name", "")) != 0)
    return FALSE;
  if (json_object_has_member (payload, "authentication_config_key") &&
      g_strcmp0 (json_object_get_string_member_with_default (payload,
                                                             "authentication_config_key", NULL),
                 json_object_get_string_member_with_default (current,
                                                             "authentication_config_key",
                                                             "")) != 0)
    return FALSE;
  if (json_object_has_member (payload, "active") &&
      json_object_get_boolean_member_with_default (payload, "active", TRUE) !=
      json_object_get_boolean_member_with_default (current, "active", TRUE))
    return FALSE;
  if (json_object_has_member (payload, "default") &&
      json_object_get_boolean_member_with_default (payload, "default", FALSE) !=
      json_object_get_boolean_member_with_default (current, "default", FALSE))
    return FALSE;

  now_config = json_object_has_member (current, "config")
               ? json_object_get_object_member (current, "config") : NULL;
  now_secrets = json_object_has_member (current, "secrets")
                ? json_object_get_object_member (current, "secrets") : NULL;

  if (json_object_has_member (payload, "config"))
    config = json_object_get_object_member (payload, "config");
  if (config != NULL)
    {
      json_object_iter_init (&iter, config);
      while (json_object_iter_next (&iter, &key, &value))
        {
          gboolean present = now_config != NULL && json_object_has_member (now_config, key);

          if (JSON_NODE_HOLDS_NULL (value) ? present
                                           : !present ||
                                             g_strcmp0 (json_node_get_string (value),
                                                        json_object_get_string_member_with_default (
                                                          now_config, key, NULL)) != 0)
            return FALSE;
        }
    }

  if (json_object_has_member (payload, "secrets"))
    secrets = json_object_get_object_member (payload, "secrets");
  if (secrets != NULL)
    {
      json_object_iter_init (&iter, secrets);
      while (json_object_iter_next (&iter, &key, &value))
        {
          JsonObject *state = now_secrets != NULL && json_object_has_member (now_secrets, key)
                              ? json_object_get_object_member (now_secrets, key) : NULL;

          if (state != NULL && json_object_get_boolean_member_with_default (state, "set", FALSE))
            return FALSE;
        }
    }

  for (guint i = 0; fields[i] != NULL; i++)
    {
      JsonObject *state = now_secrets != NULL && json_object_has_member (now_secrets, fields[i])
                          ? json_object_get_object_member (now_secrets, fields[i]) : NULL;
      const char *value_sent = send->values ? g_hash_table_lookup (send->values, fields[i]) : NULL;
      const char *hint;
      g_autofree char *tail = NULL;

      if (state == NULL || !json_object_get_boolean_member_with_default (state, "set", FALSE))
        return FALSE;
      hint = json_object_get_string_member_with_default (state, "hint", NULL);
      tail = value_sent != NULL ? hint_of (value_sent) : NULL;
      if (tail != NULL && hint != NULL && !g_str_has_suffix (hint, tail))
        return FALSE;
    }

  return TRUE;
}

static void
handle_success (Send          *send,
                PbIntegration *answer)
{
  PbSync *self = send->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) json = answer != NULL ? pb_integration_to_json (answer) : NULL;

  if (!pb_outbox_acknowledge (self->outbox, pb_outbox_entry_get_seq (send->entry), json, &error))
    {
      finish_run (self, g_steal_pointer (&error));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_ACKNOWLEDGED], 0, send->entry, answer);
  run_next (self);
}

static void
handle_acknowledged_json (Send       *send,
                          JsonObject *current)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) answer = pb_integration_new_from_json (current, &error);

  if (answer == NULL)
    {
      finish_run (send->self, g_steal_pointer (&error));
      return;
    }
  handle_success (send, answer);
}

static void
refuse (Send        *send,
        const char  *code,
        const char  *message)
{
  PbSync *self = send->self;
  g_autoptr(GError) error = NULL;
  gint64 seq = pb_outbox_entry_get_seq (send->entry);

  if (!pb_outbox_mark_refused (self->outbox, seq, code, message, &error))
    {
      finish_run (self, g_steal_pointer (&error));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_REFUSED], 0, pb_outbox_lookup (self->outbox, seq), message);
  run_next (self);
}

static void
handle_failure (Send         *send,
                GError       *error,
                PbApiFailure *failure)
{
  PbSync *self = send->self;
  PbOutboxKind kind = pb_outbox_entry_get_kind (send->entry);
  gint64 seq = pb_outbox_entry_get_seq (send->entry);

  if (error->domain != PB_API_ERROR)
    {
      finish_run (self, g_error_copy (error));
      return;
    }

  switch ((PbApiError) error->code)
    {
    case PB_API_ERROR_VERSION_MISMATCH:
      {
        JsonObject *current = failure != NULL ? pb_api_failure_get_current (failure) : NULL;
        g_autoptr(GError) local_error = NULL;

        if (current == NULL)
          {
            refuse (send, "version_mismatch", error->message);
            return;
          }
        if (kind != PB_OUTBOX_DELETE && already_applied (send, current))
          {
            g_debug ("Change %" G_GINT64_FORMAT " was taken before; acknowledging it", seq);
            handle_acknowledged_json (send, current);
            return;
          }
        if (!pb_outbox_mark_conflict (self->outbox, seq, current, error->message, &local_error))
          {
            finish_run (self, g_steal_pointer (&local_error));
            return;
          }
        g_signal_emit (self, signals[SIGNAL_CONFLICT], 0, pb_outbox_lookup (self->outbox, seq),
                       current);
        run_next (self);
        return;
      }

    case PB_API_ERROR_NOT_FOUND:
      if (kind == PB_OUTBOX_DELETE)
        {
          /* Gone already (our delete was taken before, or someone else's): done. */
          handle_success (send, NULL);
          return;
        }
      refuse (send, failure ? failure->code : "not_found", error->message);
      return;

    case PB_API_ERROR_FORBIDDEN:
    case PB_API_ERROR_CONFLICT:
    case PB_API_ERROR_VALIDATION:
      refuse (send, failure ? failure->code : NULL, error->message);
      return;

    case PB_API_ERROR_UNREACHABLE:
    case PB_API_ERROR_TLS:
    case PB_API_ERROR_UNAUTHORIZED:
    case PB_API_ERROR_RATE_LIMITED:
    case PB_API_ERROR_SERVER:
    case PB_API_ERROR_INVALID_RESPONSE:
    case PB_API_ERROR_INVALID_URL:
    default:
      /* Not this change's fault: it stays first in the queue. */
      finish_run (self, g_error_copy (error));
      return;
    }
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbApiFailure) failure = NULL;
  g_autoptr(PbIntegration) answer = NULL;
  gboolean ok;

  switch (pb_outbox_entry_get_kind (send->entry))
    {
    case PB_OUTBOX_CREATE:
      answer = pb_client_create_integration_finish (PB_CLIENT (source), result, &failure, &error);
      ok = answer != NULL;
      break;
    case PB_OUTBOX_DELETE:
      ok = pb_client_delete_integration_finish (PB_CLIENT (source), result, &failure, &error);
      break;
    case PB_OUTBOX_UPDATE:
    case PB_OUTBOX_CHANGE_AUTH_TYPE:
    case PB_OUTBOX_SET_CREDENTIALS:
    case PB_OUTBOX_ENABLE:
    case PB_OUTBOX_DISABLE:
    case PB_OUTBOX_MAKE_DEFAULT:
    default:
      answer = pb_client_update_integration_finish (PB_CLIENT (source), result, &failure, &error);
      ok = answer != NULL;
      break;
    }

  if (ok)
    handle_success (send, answer);
  else
    handle_failure (send, error, failure);
}

static void
send_entry (Send *send)
{
  PbSync *self = send->self;
  PbOutboxEntry *entry = send->entry;
  const char *id = pb_outbox_entry_get_integration_id (entry);
  gint64 version = pb_outbox_entry_get_base_version (entry);
  const char * const *fields = pb_outbox_entry_get_secret_fields (entry);
  g_autoptr(JsonObject) body = NULL;

  if (pb_outbox_entry_get_kind (entry) == PB_OUTBOX_DELETE)
    {
      pb_client_delete_integration_async (self->client, id, version, self->cancellable,
                                          on_sent_cb, send);
      return;
    }

  body = pb_outbox_copy_object (pb_outbox_entry_get_payload (entry));
  if (fields[0] != NULL)
    {
      JsonObject *secrets;

      if (!json_object_has_member (body, "secrets") ||
          !JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "secrets")))
        json_object_set_object_member (body, "secrets", json_object_new ());
      secrets = json_object_get_object_member (body, "secrets");
      for (guint i = 0; fields[i] != NULL; i++)
        json_object_set_string_member (secrets, fields[i],
                                       g_hash_table_lookup (send->values, fields[i]));
    }

  if (pb_outbox_entry_get_kind (entry) == PB_OUTBOX_CREATE)
    {
      /* The client's id makes a repeated create harmless. */
      if (!json_object_has_member (body, "id"))
        json_object_set_string_member (body, "id", id);
      pb_client_create_integration_async (self->client, body, self->cancellable, on_sent_cb,
                                          send);
    }
  else
    pb_client_update_integration_async (self->client, id, body, version, self->cancellable,
                                        on_sent_cb, send);

  /* The body held the values: wipe them now that the client has serialised it. */
  if (fields[0] != NULL)
    {
      JsonObject *secrets = json_object_get_object_member (body, "secrets");

      for (guint i = 0; fields[i] != NULL; i++)
        json_object_set_null_member (secrets, fields[i]);
    }
}

static void
on_secrets_looked_up_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  PbSync *self = send->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = NULL;
  const char * const *fields = pb_outbox_entry_get_secret_fields (send->entry);

  values = self->lookup.lookup_finish (self->lookup_data, result, &error);
  if (values == NULL)
    {
      /* A locked or missing keyring: nothing is wrong with the change; try later. */
      finish_run (self, g_steal_pointer (&error));
      return;
    }

  send->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (values, fields[i]);
      g_autofree char *message = NULL;

      if (value == NULL)
        {
          message = g_strdup_printf (_("This machine’s keyring has no value for “%s”. Type it "
                                       "again."), fields[i]);
          refuse (send, "missing_secret", message);
          return;
        }
      g_hash_table_insert (send->values, g_strdup (fields[i]), g_strdup (value));
    }

  send_entry (g_steal_pointer (&send));
}

/* ---- the replay ----------------------------------------------------------------------- */

typedef struct
{
  PbSync *self;
  PbProject *project;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_clear_object (&refresh->self);
  g_clear_object (&refresh->project);
  g_free (refresh);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Refresh, refresh_free)

static void
on_snapshot_saved_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Refresh) refresh = user_data;
  PbSync *self = refresh->self;
  g_autoptr(GError) error = NULL;

  if (!pb_replica_save_snapshot_finish (PB_REPLICA (source), result, &error))
    {
      finish_run (self, g_steal_pointer (&error));
      return;
    }

  /* Changes queued meanwhile go in this replay too. */
  if (pb_outbox_peek_sendable (self->outbox) != NULL)
    {
      run_next (self);
      return;
    }
  finish_run (self, NULL);
}

static void
on_refreshed_integrations_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(Refresh) refresh = user_data;
  PbSync *self = refresh->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  PbProject *project;

  integrations = pb_client_list_all_integrations_finish (PB_CLIENT (source), result, NULL,
                                                         &error);
  if (integrations == NULL)
    {
      finish_run (self, g_steal_pointer (&error));
      return;
    }
  /* Written by a worker thread: a big project does not stall the window. */
  project = refresh->project;
  pb_replica_save_snapshot_async (pb_outbox_get_replica (self->outbox), project, NULL,
                                  integrations, NULL, on_snapshot_saved_cb,
                                  g_steal_pointer (&refresh));
}

static void
on_refreshed_project_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(Refresh) refresh = user_data;
  PbSync *self = refresh->self;
  g_autoptr(GError) error = NULL;

  refresh->project = pb_client_get_project_finish (PB_CLIENT (source), result, NULL, &error);
  if (refresh->project == NULL)
    {
      finish_run (self, g_steal_pointer (&error));
      return;
    }
  pb_client_list_all_integrations_async (self->client, NULL, self->cancellable,
                                         on_refreshed_integrations_cb,
                                         g_steal_pointer (&refresh));
}

static void
refresh_replica (PbSync *self)
{
  Refresh *refresh = g_new0 (Refresh, 1);

  refresh->self = g_object_ref (self);
  pb_client_get_project_async (self->client, self->cancellable, on_refreshed_project_cb,
                               refresh);
}

static void
run_next (PbSync *self)
{
  PbOutboxEntry *entry;
  Send *send;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      finish_run (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "The replay was stopped."));
      return;
    }

  entry = pb_outbox_peek_sendable (self->outbox);
  if (entry == NULL)
    {
      refresh_replica (self);
      return;
    }

  send = g_new0 (Send, 1);
  send->self = g_object_ref (self);
  send->entry = g_object_ref (entry);

  if (pb_outbox_entry_get_secret_fields (entry)[0] != NULL)
    {
      if (!self->has_lookup)
        {
          g_autoptr(Send) dropped = send;

          finish_run (self, g_error_new_literal (PB_OFFLINE_ERROR,
                                                 PB_OFFLINE_ERROR_MISSING_SECRET,
                                                 _("Credentials cannot be sent: the keyring is "
                                                   "not connected.")));
          return;
        }
      self->lookup.lookup_async (self->lookup_data, pb_outbox_entry_get_integration_id (entry),
                                 pb_outbox_entry_get_secret_fields (entry), self->cancellable,
                                 on_secrets_looked_up_cb, send);
      return;
    }

  send_entry (send);
}

void
pb_sync_run_async (PbSync              *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PB_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_sync_run_async);
  g_ptr_array_add (self->waiting, g_steal_pointer (&task));

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  start_run (self);
}

gboolean
pb_sync_run_finish (PbSync        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (PB_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pb_sync_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

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
  project = pb_client_get_project_finish (PB_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->started)
    return;

  if (project != NULL)
    {
      g_debug ("The backend answers again");
      set_reachable (self, TRUE);
      self->backoff_ms = self->min_backoff_ms;
      start_run (self);
      return;
    }

  if (g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE))
    {
      set_reachable (self, FALSE);
      set_state (self, PB_SYNC_STATE_OFFLINE);
    }
  else
    {
      set_reachable (self, TRUE);
      set_state (self, PB_SYNC_STATE_FAILED);
    }
  set_last_error (self, error->message);
  if (is_transient (error))
    schedule_probe (self);
}

static void
probe_now (PbSync *self)
{
  if (!self->started || self->probing || self->running)
    return;
  cancel_probe (self);
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

  if (!available || self->state != PB_SYNC_STATE_OFFLINE)
    return;
  g_debug ("The network changed; probing the backend at once");
  self->backoff_ms = self->min_backoff_ms;
  probe_now (self);
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
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                               G_CALLBACK (on_network_changed_cb), self);
  self->backoff_ms = self->min_backoff_ms;
  probe_now (self);
}

void
pb_sync_stop (PbSync *self)
{
  g_return_if_fail (PB_IS_SYNC (self));

  self->started = FALSE;
  cancel_probe (self);
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
  probe_now (self);
}

/* ---- resolutions ---------------------------------------------------------------------- */

static void
kick (PbSync *self)
{
  if (!self->started || self->running)
    return;
  if (self->reachable)
    start_run (self);
  else
    probe_now (self);
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
                   _("The queued change %" G_GINT64_FORMAT " is not in the queue any more."),
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
