/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-integration-editor"

#include "config.h"

#include "pb-integration-editor-private.h"

#include <glib/gi18n.h>

#include "pb-error-sentence.h"

/* Keyring look-ups and saving: one operation after the other (create or update, secrets,
 * default), with what each refusal means for the form. */

typedef struct
{
  PbIntegrationEditor *self;
  char                *key;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_object_unref (data->self);
  g_free (data->key);
  g_free (data);
}

static void
on_secret_looked_up_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  LookupData *data = user_data;
  PbIntegrationEditor *self = data->self;
  g_autoptr(GError) error = NULL;
  char *value = pb_store_lookup_secret_finish (PB_STORE (source), result, &error);
  FieldRow *row;

  if (value == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read a credential from the keyring: %s", error->message);
      lookup_data_free (data);
      return;
    }

  row = pb_editor_find_row (self, data->key);
  /* Whatever the admin typed meanwhile wins. */
  if ((row == NULL || !row->touched)
      && g_strcmp0 (pb_editor_lookup_or_empty (self->values, data->key),
                    pb_editor_lookup_or_empty (self->initial, data->key)) == 0)
    {
      g_hash_table_insert (self->initial, g_strdup (data->key), g_strdup (value));
      g_hash_table_insert (self->values, g_strdup (data->key), g_strdup (value));
      if (row != NULL)
        {
          self->populating = TRUE;
          pb_editor_field_row_set_value (row, value);
          self->populating = FALSE;
        }
      pb_editor_update_state (self);
    }

  pb_store_free_secret (value);
  lookup_data_free (data);
}

void
pb_editor_look_up_secrets (PbIntegrationEditor *self)
{
  GHashTable *secrets = pb_integration_get_secrets (self->integration);
  GHashTableIter iter;
  gpointer key, value;

  if (secrets == NULL)
    return;

  g_hash_table_iter_init (&iter, secrets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PbSecretState *state = value;
      LookupData *data;

      if (!state->set)
        continue;

      data = g_new0 (LookupData, 1);
      data->self = g_object_ref (self);
      data->key = g_strdup (key);
      pb_store_lookup_secret_async (self->store, pb_integration_get_id (self->integration),
                                    key, self->cancellable, on_secret_looked_up_cb, data);
    }
}

/* Saving */

typedef struct
{
  gboolean    create;
  char       *name;              /* NULL: unchanged */
  char       *auth_type;         /* NULL: unchanged */
  gboolean    send_oauth_app;    /* the OAuth app changed, or goes with a create or a type */
  PbOAuthApp  oauth_app;
  gboolean    make_default;
  JsonObject *config;            /* changed plain fields; null members remove */
  GHashTable *secrets;           /* changed secret fields: key → value */
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  g_free (request->name);
  g_free (request->auth_type);
  g_clear_pointer (&request->config, json_object_unref);
  g_clear_pointer (&request->secrets, g_hash_table_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveRequest, save_request_free)

static SaveRequest *
build_request (PbIntegrationEditor *self)
{
  SaveRequest *request = g_new0 (SaveRequest, 1);
  const char *auth_key = pb_auth_type_get_key (self->auth_type);
  gboolean auth_changed;

  request->create = self->integration == NULL;
  auth_changed = g_strcmp0 (auth_key, self->initial_auth_type) != 0;
  request->config = json_object_new ();
  request->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            pb_editor_wipe_free);

  if (request->create || g_strcmp0 (pb_editor_get_name (self), self->initial_name) != 0)
    {
      g_autofree char *name = g_strstrip (g_strdup (pb_editor_get_name (self)));

      request->name = g_steal_pointer (&name);
    }
  if (request->create || auth_changed)
    request->auth_type = g_strdup (auth_key);
  request->oauth_app = self->oauth_app;
  request->send_oauth_app = (request->create || auth_changed
                             || self->oauth_app != self->initial_oauth_app)
                            && self->oauth_app != PB_OAUTH_APP_NONE;
  request->make_default = pb_editor_get_make_default (self) && (request->create || !self->initial_default);

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->rows, i);
      const char *key = pb_auth_field_get_key (row->field);
      const char *value = pb_editor_field_row_get_value (row);
      gboolean changed = g_strcmp0 (value, pb_editor_lookup_or_empty (self->initial, key)) != 0;

      if (pb_auth_field_get_secret (row->field))
        {
          /* Blank keeps what the backend has; unchanged is never sent. */
          if (*value != '\0' && (changed || request->create))
            g_hash_table_insert (request->secrets, g_strdup (key), g_strdup (value));
          /* The keyring value shown for a type the integration did not have yet must be
           * sent with the change of type. */
          else if (*value != '\0' && auth_changed && !pb_editor_server_has_secret (self, key))
            g_hash_table_insert (request->secrets, g_strdup (key), g_strdup (value));
        }
      else if (request->create)
        {
          if (*value != '\0')
            json_object_set_string_member (request->config, key, value);
        }
      else if (changed)
        {
          if (*value != '\0')
            json_object_set_string_member (request->config, key, value);
          else if (!pb_auth_field_get_required (row->field))
            json_object_set_null_member (request->config, key);
        }
    }

  return request;
}


static const char * const *
secret_keys (SaveRequest *request,
             GPtrArray   *keys)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, request->secrets);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_add (keys, NULL);

  return (const char * const *) keys->pdata;
}

/* What a save changed counts as the unchanged state afterwards. */
static void
mark_applied (PbIntegrationEditor *self,
              PbIntegration       *integration)
{
  g_set_object (&self->integration, integration);

  g_free (self->initial_name);
  self->initial_name = g_strdup (pb_integration_get_name (integration));
  g_free (self->initial_auth_type);
  self->initial_auth_type = g_strdup (pb_integration_get_auth_type_key (integration));
  self->initial_default = pb_integration_get_is_default (integration);
}

static void
mark_values_applied (PbIntegrationEditor *self,
                     JsonObject          *config,
                     GHashTable          *secrets)
{
  GHashTableIter iter;
  gpointer key, value;

  if (config != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (config);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *text = json_object_get_string_member_with_default (config, l->data, "");

          g_hash_table_insert (self->initial, g_strdup (l->data), g_strdup (text));
        }
    }

  if (secrets != NULL)
    {
      g_hash_table_iter_init (&iter, secrets);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (self->initial, g_strdup (key), g_strdup (value));
    }
}

static char *
reason_for_field (PbAuthField *field,
                  const char  *reason)
{
  /* The server's reasons are sentences already; name the field when it does not. */
  if (field != NULL && reason != NULL && strstr (reason, pb_auth_field_get_label (field)) == NULL)
    /* Translators: a field's label, then why the backend refused its value */
    return g_strdup_printf (_("%s: %s"), pb_auth_field_get_label (field), reason);

  return g_strdup (reason != NULL ? reason : _("The backend refused this value."));
}

static void
show_failure (PbIntegrationEditor *self,
              const GError        *error)
{
  JsonObject *fields = pb_store_error_get_fields (error);
  g_autoptr(GString) top = g_string_new (NULL);
  guint n_beside = 0;

  if (fields != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (fields);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          const char *reason = json_object_get_string_member_with_default (fields, name, NULL);
          const char *key = name;
          FieldRow *row;

          if (g_str_has_prefix (name, "config."))
            key = name + strlen ("config.");
          else if (g_str_has_prefix (name, "secrets."))
            key = name + strlen ("secrets.");

          if (g_str_equal (key, "name"))
            {
              g_hash_table_insert (self->server_errors, g_strdup ("name"),
                                   g_strdup (reason ? reason : _("The backend refused this name.")));
              n_beside++;
            }
          else if ((row = pb_editor_find_row (self, key)) != NULL)
            {
              g_hash_table_insert (self->server_errors, g_strdup (key),
                                   reason_for_field (row->field, reason));
              n_beside++;
            }
          else if (reason != NULL)
            {
              if (top->len > 0)
                g_string_append_c (top, ' ');
              g_string_append (top, reason);
            }
        }
    }

  if (top->len == 0)
    {
      if (n_beside > 0)
        g_string_append (top, _("The backend did not accept some of the values. They are "
                                "marked below; nothing you typed was lost."));
      else if (error != NULL)
        {
          g_autofree char *sentence = pb_error_sentence (error);

          g_string_append (top, sentence);
        }
      else
        g_string_append (top, _("The integration could not be saved."));
    }

  pb_editor_set_refusal (self, top->str);
  pb_editor_update_state (self);
}

static void
finish_save (PbIntegrationEditor *self)
{
  self->saved = g_object_ref (self->integration);
  pb_editor_transition (self, PB_EDITOR_EVENT_SAVED);
  g_signal_emit_by_name (self, "saved", self->saved);
  gtk_window_close (GTK_WINDOW (self));
}

typedef struct
{
  PbIntegrationEditor *self;
  SaveRequest         *request;
} SaveData;

static void
on_apply_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(PbIntegrationEditor) self = data->self;
  g_autoptr(SaveRequest) request = data->request;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbIntegration) integration = NULL;

  g_free (data);

  if (!pb_store_apply_finish (PB_STORE (source), result, &integration, &error)
      || integration == NULL)
    {
      if (request->create)
        self->keyring_may_hold = TRUE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      pb_editor_transition (self, PB_EDITOR_EVENT_STOPPED);
      show_failure (self, error);
      return;
    }

  /* Offline, the store keeps the change in its queue and shows it as pending. */
  if (pb_store_apply_was_queued (PB_STORE (source), result))
    self->queued = TRUE;

  mark_applied (self, integration);
  mark_values_applied (self, request->config, request->secrets);
  finish_save (self);
}

/* The whole save is one change: one request, one entry in the queue, one conflict. */
static void
save (PbIntegrationEditor *self,
      SaveRequest         *request)
{
  g_autoptr(PbOperation) operation = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  SaveData *data;

  if (request->create)
    {
      operation = pb_operation_new_create (pb_connector_get_provider (self->connector),
                                           request->auth_type, request->name,
                                           request->make_default, request->config,
                                           secret_keys (request, keys));
      /* Saving again after a refusal keeps the id, so that the keyring items the first try
       * wrote are the ones the integration gets. */
      if (self->new_id == NULL)
        self->new_id = g_strdup (pb_operation_get_integration_id (operation));
      else
        {
          g_autoptr(JsonObject) payload = json_object_new ();
          JsonObjectIter iter;
          const char *member;
          JsonNode *node;
          PbOperation *again;

          json_object_iter_init (&iter, pb_operation_get_payload (operation));
          while (json_object_iter_next (&iter, &member, &node))
            json_object_set_member (payload, member, json_node_copy (node));
          json_object_set_string_member (payload, "id", self->new_id);
          again = pb_operation_new (PB_OPERATION_CREATE, self->new_id, -1, payload,
                                    pb_operation_get_secret_fields (operation));
          g_object_unref (operation);
          operation = again;
        }
    }
  else
    operation = pb_operation_new_edit (pb_integration_get_id (self->integration),
                                       pb_integration_get_version (self->integration),
                                       request->name, request->auth_type, request->config,
                                       secret_keys (request, keys), request->make_default);
  /* The OAuth app goes with the change, or is the change. */
  if (request->send_oauth_app)
    {
      if (operation == NULL)
        operation = pb_operation_new_update (pb_integration_get_id (self->integration),
                                             pb_integration_get_version (self->integration),
                                             NULL, NULL);
      pb_operation_set_oauth_app (operation, request->oauth_app);
    }

  if (operation == NULL)
    {
      save_request_free (request);
      finish_save (self);
      return;
    }

  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->request = request;
  pb_store_apply_async (self->store, operation, request->secrets, self->cancellable,
                        on_apply_done_cb, data);
}

static void
start_save (PbIntegrationEditor *self)
{
  if (self->state != PB_EDITOR_STATE_READY)
    return;

  pb_editor_set_refusal (self, NULL);
  pb_editor_transition (self, PB_EDITOR_EVENT_SAVE);
  save (self, build_request (self));
}

static void
on_auth_change_response_cb (AdwMessageDialog    *dialog,
                            const char          *response,
                            PbIntegrationEditor *self)
{
  self->question = NULL;
  if (g_strcmp0 (response, "change") == 0)
    start_save (self);
}

void
pb_editor_save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PbIntegrationEditor *self = PB_INTEGRATION_EDITOR (widget);
  guint n_accounts;

  if (self->state != PB_EDITOR_STATE_READY || self->question != NULL)
    return;

  n_accounts = self->integration ? pb_integration_get_accounts_total (self->integration) : 0;
  if (self->integration != NULL && n_accounts > 0
      && g_strcmp0 (pb_auth_type_get_key (self->auth_type), self->initial_auth_type) != 0)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                                  _("Change the Auth Type?"), NULL);

      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      ngettext ("%u linked account was linked with “%s”. "
                                                "After the change it may have to be linked "
                                                "again with “%s”.",
                                                "%u linked accounts were linked with “%s”. "
                                                "After the change they may have to be linked "
                                                "again with “%s”.", n_accounts),
                                      n_accounts,
                                      pb_integration_get_auth_type_label (self->integration),
                                      pb_auth_type_get_label (self->auth_type));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Keep the Current Type"),
                                        "change", _("C_hange Auth Type"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "change",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_signal_connect (dialog, "response", G_CALLBACK (on_auth_change_response_cb), self);
      self->question = ADW_MESSAGE_DIALOG (dialog);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  start_save (self);
}
