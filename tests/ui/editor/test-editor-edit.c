/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-editor"

#include "config.h"

#include <string.h>

#include "editor-fixture.h"

/* Editing integrations, default rules, the close and auth-change questions, offline saves
 * and accessible names. */

static PbIntegration *
create_with_editor (Fixture    *fixture,
                    const char *provider,
                    guint       type_position,
                    const char *name,
                    gboolean    make_default,
                    const char * const *keys_and_values)
{
  PbIntegrationEditor *editor;
  PbIntegration *saved;
  SaveWatch watch;

  editor = pb_integration_editor_new (NULL, fixture->store, connector (fixture, provider), NULL);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  choose_auth_type (editor, type_position);
  type_into (editor, "name", name);
  for (guint i = 0; keys_and_values[i] != NULL; i += 2)
    type_into (editor, keys_and_values[i], keys_and_values[i + 1]);
  if (make_default)
    adw_combo_row_set_selected (ADW_COMBO_ROW (pb_integration_editor_get_field_row (editor,
                                                                                    "default")),
                                0);
  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);
  saved = g_steal_pointer (&watch.saved);
  g_object_unref (editor);

  return saved;
}

static gboolean
client_secret_filled (gpointer editor)
{
  return *row_text (editor, "client_secret") != '\0';
}

/* Editing: untouched secrets are kept (not sent); the keyring's value is shown; typing
 * replaces it. */
void
test_edit_keeps_secrets (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *secret = make_secret ();
  g_autofree char *replacement = make_secret ();
  g_autofree char *stored = NULL;
  const char *fields[] = { "client_secret", NULL, "client_id", "acme-edit", NULL };
  g_autoptr(PbIntegration) created = NULL;
  g_autoptr(PbIntegration) before = NULL;
  g_autoptr(PbIntegration) after = NULL;
  g_autoptr(PbIntegration) replaced = NULL;
  PbIntegrationEditor *editor;
  PbSecretState *state_before, *state_after;
  guint api_key = 0;
  SaveWatch watch;

  fields[1] = secret;
  g_assert_nonnull (find_type_of_kind (connector (fixture, "bamboohr"), PB_AUTH_KIND_OAUTH2,
                                       &api_key));
  created = create_with_editor (fixture, "bamboohr", api_key, "BambooHR – edit me", FALSE, fields);
  before = server_integration (fixture, pb_integration_get_id (created));

  /* Rename only. */
  editor = pb_integration_editor_new (NULL, fixture->store, connector (fixture, "bamboohr"),
                                      pb_store_find_integration (fixture->store,
                                                                 pb_integration_get_id (created),
                                                                 NULL));
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "Edit BambooHR – edit me");
  g_assert_cmpstr (row_text (editor, "client_id"), ==, "acme-edit");
  g_assert_nonnull (pb_integration_editor_get_secret_hint (editor, "client_secret"));
  g_assert_true (g_str_has_prefix (pb_integration_editor_get_secret_hint (editor, "client_secret"),
                                   "Set (ends in"));
  {
    g_autofree char *tail = g_strdup_printf ("%s)", secret + strlen (secret) - 4);

    g_assert_true (g_str_has_suffix (pb_integration_editor_get_secret_hint (editor, "client_secret"),
                                     tail));
  }
  /* This machine's keyring has the value: the reveal shows it. */
  g_assert_true (wait_until (client_secret_filled, editor, 10));
  g_assert_true (g_strcmp0 (row_text (editor, "client_secret"), secret) == 0);
  g_assert_false (pb_integration_editor_get_dirty (editor));
  g_assert_false (pb_integration_editor_get_can_save (editor));

  type_into (editor, "name", "BambooHR – edited");
  g_assert_true (pb_integration_editor_get_dirty (editor));
  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_object_unref (editor);

  after = server_integration (fixture, pb_integration_get_id (created));
  g_assert_cmpstr (pb_integration_get_name (after), ==, "BambooHR – edited");
  state_before = g_hash_table_lookup (pb_integration_get_secrets (before), "client_secret");
  state_after = g_hash_table_lookup (pb_integration_get_secrets (after), "client_secret");
  assert_hint_matches (state_after, secret);
  /* Not sent again: its time did not change. */
  g_assert_nonnull (state_before->updated_at);
  g_assert_nonnull (state_after->updated_at);
  g_assert_true (g_date_time_equal (state_before->updated_at, state_after->updated_at));

  /* Typing replaces it, on the server and in the keyring. */
  editor = pb_integration_editor_new (NULL, fixture->store, connector (fixture, "bamboohr"),
                                      pb_store_find_integration (fixture->store,
                                                                 pb_integration_get_id (created),
                                                                 NULL));
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  type_into (editor, "client_secret", replacement);
  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_object_unref (editor);

  replaced = server_integration (fixture, pb_integration_get_id (created));
  assert_hint_matches (g_hash_table_lookup (pb_integration_get_secrets (replaced), "client_secret"),
                       replacement);
  stored = keyring_value (pb_integration_get_id (created), "client_secret");
  g_assert_true (g_str_equal (stored, replacement));
}

/* A seeded integration whose secrets this machine never saw: hint only, kept on save. */
void
test_edit_foreign_secret (Fixture       *fixture,
                          gconstpointer  user_data)
{
  GListModel *integrations = pb_store_get_integrations (fixture->store);
  g_autoptr(PbIntegration) target = NULL;
  g_autoptr(PbIntegration) after = NULL;
  PbIntegrationEditor *editor;
  const char *secret_key = NULL;
  PbSecretState *state_before = NULL;
  SaveWatch watch;

  for (guint i = 0; i < g_list_model_get_n_items (integrations) && target == NULL; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, pb_integration_get_secrets (integration));
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (((PbSecretState *) value)->set)
          {
            target = g_object_ref (integration);
            secret_key = key;
            state_before = value;
            break;
          }
    }
  g_assert_nonnull (target);

  editor = pb_integration_editor_new (NULL, fixture->store,
                                      connector (fixture, pb_integration_get_connector_key (target)),
                                      target);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  spin (200);
  g_assert_cmpstr (row_text (editor, secret_key), ==, "");
  g_assert_nonnull (pb_integration_editor_get_secret_hint (editor, secret_key));
  g_assert_nonnull (strstr (pb_integration_editor_get_secret_hint (editor, secret_key),
                            state_before->hint));
  /* A required secret that is set does not block saving. */
  type_into (editor, "name", "Renamed, secret untouched");
  g_assert_true (pb_integration_editor_get_can_save (editor));
  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_object_unref (editor);

  after = server_integration (fixture, pb_integration_get_id (target));
  g_assert_cmpstr (pb_integration_get_name (after), ==, "Renamed, secret untouched");
  g_assert_true (((PbSecretState *) g_hash_table_lookup (pb_integration_get_secrets (after),
                                                          secret_key))->set);
  g_assert_cmpstr (((PbSecretState *) g_hash_table_lookup (pb_integration_get_secrets (after),
                                                            secret_key))->hint, ==,
                   state_before->hint);
}

/* Default rules, end to end with Teamtailor in the sandbox project (no Teamtailor yet):
 * "Public API" first (forced default), then "Public + Partner API" made default, its trigger
 * token made by the platform. */
void
test_default_rules (Fixture       *fixture,
                    gconstpointer  user_data)
{
  PbConnector *teamtailor = connector (fixture, "teamtailor");
  GListModel *types = pb_connector_get_auth_types (teamtailor);
  g_autofree char *stored_token = NULL;
  const char *fields1[] = { NULL };
  const char *fields2[] = { NULL };
  g_autoptr(PbIntegration) first = NULL;
  g_autoptr(PbIntegration) second = NULL;
  g_autoptr(PbIntegration) first_now = NULL;
  g_autoptr(PbIntegration) second_now = NULL;
  PbIntegrationEditor *editor;
  GtkWidget *default_row;
  guint public_type = G_MAXUINT, partner_type = G_MAXUINT;

  for (guint i = 0; i < g_list_model_get_n_items (types); i++)
    {
      g_autoptr(PbAuthType) type = g_list_model_get_item (types, i);

      if (g_strcmp0 (pb_auth_type_get_key (type), "public_partner_api_key") == 0)
        partner_type = i;
      else if (g_strcmp0 (pb_auth_type_get_key (type), "public_api_key") == 0)
        public_type = i;
    }
  g_assert_cmpuint (public_type, !=, G_MAXUINT);
  g_assert_cmpuint (partner_type, !=, G_MAXUINT);
  g_assert_cmpuint (count_integrations (fixture, "teamtailor"), ==, 0);

  /* The first: Yes, insensitive, with the reason. */
  editor = pb_integration_editor_new (NULL, fixture->store, teamtailor, NULL);
  g_object_ref_sink (editor);
  default_row = pb_integration_editor_get_field_row (editor, "default");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (default_row)), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (default_row));
  g_assert_nonnull (strstr (pb_integration_editor_get_default_explanation (editor), "first"));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  first = create_with_editor (fixture, "teamtailor", public_type, "Public API", FALSE,
                              fields1);
  g_assert_true (pb_integration_get_is_default (first));

  /* The second: No by default and says which stays the default; Yes says which stops. */
  editor = pb_integration_editor_new (NULL, fixture->store, teamtailor, NULL);
  g_object_ref_sink (editor);
  default_row = pb_integration_editor_get_field_row (editor, "default");
  g_assert_true (gtk_widget_get_sensitive (default_row));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (default_row)), ==, 1);
  g_assert_nonnull (strstr (pb_integration_editor_get_default_explanation (editor),
                            "“Public API” stays the default"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (default_row), 0);
  g_assert_nonnull (strstr (pb_integration_editor_get_default_explanation (editor),
                            "“Public API” will stop being the default"));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  second = create_with_editor (fixture, "teamtailor", partner_type, "Public + Partner API",
                               TRUE, fields2);
  g_assert_true (pb_integration_get_is_default (second));
  {
    g_autoptr(PbAuthType) partner = g_list_model_get_item (types, partner_type);

    g_assert_cmpstr (pb_integration_get_auth_type_key (second), ==, pb_auth_type_get_key (partner));
  }

  first_now = server_integration (fixture, pb_integration_get_id (first));
  second_now = server_integration (fixture, pb_integration_get_id (second));
  g_assert_false (pb_integration_get_is_default (first_now));
  g_assert_true (pb_integration_get_is_default (second_now));
  /* The platform made the token; this machine never typed it. */
  g_assert_true (((PbSecretState *) g_hash_table_lookup (pb_integration_get_secrets (second_now),
                                                          "external_trigger_token"))->set);
  stored_token = keyring_value (pb_integration_get_id (second), "external_trigger_token");
  g_assert_null (stored_token);
  g_assert_cmpuint (count_integrations (fixture, "teamtailor"), ==, 2);

  /* Editing the default: Yes, insensitive, with how to change it. */
  editor = pb_integration_editor_new (NULL, fixture->store, teamtailor,
                                      pb_store_find_integration (fixture->store,
                                                                 pb_integration_get_id (second),
                                                                 NULL));
  g_object_ref_sink (editor);
  default_row = pb_integration_editor_get_field_row (editor, "default");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (default_row)), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (default_row));
  g_assert_nonnull (strstr (pb_integration_editor_get_default_explanation (editor),
                            "make another"));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
}

/* Closing with unsaved changes asks first: Keep Editing keeps it open, Discard closes. */
void
test_unsaved_question (Fixture       *fixture,
                       gconstpointer  user_data)
{
  PbIntegrationEditor *editor;
  AdwMessageDialog *question;
  SaveWatch watch;

  /* Nothing changed: closes at once. */
  editor = pb_integration_editor_new (NULL, fixture->store, connector (fixture, "bamboohr"), NULL);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_false (pb_integration_editor_get_dirty (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  spin (50);
  g_assert_true (watch.destroyed);
  g_assert_null (find_question (GTK_WINDOW (editor)));
  g_object_unref (editor);

  editor = pb_integration_editor_new (NULL, fixture->store, connector (fixture, "bamboohr"), NULL);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  {
    guint oauth = 0;

    g_assert_nonnull (find_type_of_kind (connector (fixture, "bamboohr"), PB_AUTH_KIND_OAUTH2,
                                         &oauth));
    choose_auth_type (editor, oauth);
  }
  type_into (editor, "client_id", "typed");
  g_assert_true (pb_integration_editor_get_dirty (editor));

  /* Escape is bound to closing. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  spin (50);
  g_assert_false (watch.destroyed);
  question = find_question (GTK_WINDOW (editor));
  g_assert_nonnull (question);
  g_assert_true (adw_message_dialog_has_response (question, "keep"));
  g_assert_true (adw_message_dialog_has_response (question, "discard"));
  adw_message_dialog_response (question, "keep");
  spin (50);
  g_assert_false (watch.destroyed);
  g_assert_cmpstr (row_text (editor, "client_id"), ==, "typed");

  gtk_window_close (GTK_WINDOW (editor));
  spin (50);
  question = find_question (GTK_WINDOW (editor));
  g_assert_nonnull (question);
  adw_message_dialog_response (question, "discard");
  spin (50);
  g_assert_true (watch.destroyed);
  g_object_unref (editor);
}

/* Changing the auth type of an integration with linked accounts warns first. */
void
test_auth_change_warning (Fixture       *fixture,
                          gconstpointer  user_data)
{
  GListModel *integrations = pb_store_get_integrations (fixture->store);
  g_autoptr(PbIntegration) target = NULL;
  PbIntegrationEditor *editor;
  AdwMessageDialog *question;
  PbConnector *c = NULL;
  SaveWatch watch;
  guint other = 0;

  for (guint i = 0; i < g_list_model_get_n_items (integrations) && target == NULL; i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);

      c = pb_store_find_connector (fixture->store, pb_integration_get_connector_key (integration));
      if (pb_integration_get_accounts_total (integration) > 0 && c != NULL
          && g_list_model_get_n_items (pb_connector_get_auth_types (c)) > 1)
        target = g_object_ref (integration);
    }
  g_assert_nonnull (target);

  editor = pb_integration_editor_new (NULL, fixture->store, c, target);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  for (guint i = 0; i < g_list_model_get_n_items (pb_connector_get_auth_types (c)); i++)
    {
      g_autoptr(PbAuthType) type = g_list_model_get_item (pb_connector_get_auth_types (c), i);

      if (g_strcmp0 (pb_auth_type_get_key (type), pb_integration_get_auth_type_key (target)) != 0)
        other = i;
    }
  choose_auth_type (editor, other);
  /* Fill whatever the other type needs. */
  {
    g_autoptr(PbAuthType) other_type = g_list_model_get_item (pb_connector_get_auth_types (c),
                                                              other);
    GListModel *fields = pb_auth_type_get_fields (other_type);

    for (guint f = 0; f < g_list_model_get_n_items (fields); f++)
      {
        g_autoptr(PbAuthField) field = g_list_model_get_item (fields, f);
        GtkWidget *row = pb_integration_editor_get_field_row (editor, pb_auth_field_get_key (field));

        if (GTK_IS_EDITABLE (row) && *gtk_editable_get_text (GTK_EDITABLE (row)) == '\0')
          gtk_editable_set_text (GTK_EDITABLE (row),
                                 pb_auth_field_get_kind (field) == PB_FIELD_KIND_URL
                                 ? "https://example.com" : pb_auth_field_get_kind (field) == PB_FIELD_KIND_EMAIL
                                 ? "admin@example.com" : "value-1234");
      }
  }
  g_assert_true (pb_integration_editor_get_can_save (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  spin (50);
  question = find_question (GTK_WINDOW (editor));
  g_assert_nonnull (question);
  g_assert_false (pb_integration_editor_get_saving (editor));
  adw_message_dialog_response (question, "cancel");
  spin (50);
  g_assert_false (watch.destroyed);
  g_assert_false (pb_integration_editor_get_saving (editor));

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  spin (50);
  question = find_question (GTK_WINDOW (editor));
  g_assert_nonnull (question);
  adw_message_dialog_response (question, "change");
  g_assert_true (wait_until (save_finished, &watch, 30));
  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);
  g_assert_cmpstr (pb_integration_get_auth_type_key (watch.saved), !=,
                   pb_integration_get_auth_type_key (target));
  g_object_unref (editor);
}

/* Offline: the save goes into the store's queue, with the secret in the keyring, and the
 * dialog closes; the change waits as pending. */
void
test_offline_queued (Fixture       *fixture,
                     gconstpointer  user_data)
{
  PbConnector *bamboo = connector (fixture, "bamboohr");
  g_autofree char *secret = make_secret ();
  g_autofree char *stored = NULL;
  PbIntegrationEditor *editor;
  guint api_key = 0;
  SaveWatch watch;

  g_assert_nonnull (find_type_of_kind (bamboo, PB_AUTH_KIND_OAUTH2, &api_key));
  g_clear_pointer (&fixture->server, pb_test_server_stop);

  editor = pb_integration_editor_new (NULL, fixture->store, bamboo, NULL);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  choose_auth_type (editor, api_key);
  type_into (editor, "name", "BambooHR – offline");
  type_into (editor, "client_secret", secret);
  type_into (editor, "client_id", "acme-offline");
  press_save (&watch);

  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);
  g_assert_true (pb_integration_editor_get_queued (editor));
  g_assert_true (pb_store_is_pending (fixture->store, pb_integration_get_id (watch.saved)));
  g_assert_cmpuint (pb_store_get_n_pending (fixture->store), >=, 1);
  stored = keyring_value (pb_integration_get_id (watch.saved), "client_secret");
  g_assert_true (g_strcmp0 (stored, secret) == 0);
  g_object_unref (editor);
}

/* Every control of the editor has an accessible name. */
void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  user_data)
{
  PbIntegrationEditor *editor;
  guint oauth = 0;
  guint n_checked = 0;
  GtkWidget *widget;

  editor = pb_integration_editor_new (NULL, fixture->store, connector (fixture, "bamboohr"), NULL);
  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_nonnull (find_type_of_kind (connector (fixture, "bamboohr"), PB_AUTH_KIND_OAUTH2,
                                       &oauth));
  choose_auth_type (editor, oauth);
  spin (50);

  /* Walk the tree: every focusable widget has a label, a labelling widget or text. */
  widget = GTK_WIDGET (editor);
  while (widget != NULL)
    {
      /* Controls: what takes focus and is not a mere container or text. */
      if (gtk_widget_get_focusable (widget) && gtk_widget_get_mapped (widget)
          && !GTK_IS_LABEL (widget) && !GTK_IS_SCROLLED_WINDOW (widget)
          && !GTK_IS_VIEWPORT (widget) && !GTK_IS_LIST_BOX (widget)
          && !GTK_IS_POPOVER (widget)
          /* A combo row's inner list only displays the choice; the row is the control. */
          && (gtk_widget_get_ancestor (widget, ADW_TYPE_COMBO_ROW) == NULL
              || ADW_IS_COMBO_ROW (widget)))
        {
          GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
          gboolean named;

          named = gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL)
                  || gtk_test_accessible_has_relation (accessible,
                                                       GTK_ACCESSIBLE_RELATION_LABELLED_BY);
          if (!named && GTK_IS_BUTTON (widget))
            named = gtk_button_get_label (GTK_BUTTON (widget)) != NULL;
          if (!named)
            for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
              g_test_message ("unnamed: %s %s", G_OBJECT_TYPE_NAME (w),
                              gtk_widget_get_name (w));
          g_assert_true (named);
          n_checked++;
        }

      if (gtk_widget_get_first_child (widget) != NULL)
        widget = gtk_widget_get_first_child (widget);
      else
        {
          while (widget != NULL && widget != GTK_WIDGET (editor)
                 && gtk_widget_get_next_sibling (widget) == NULL)
            widget = gtk_widget_get_parent (widget);
          if (widget == NULL || widget == GTK_WIDGET (editor))
            break;
          widget = gtk_widget_get_next_sibling (widget);
        }
    }
  g_test_message ("%u focusable controls checked", n_checked);
  g_assert_cmpuint (n_checked, >=, 6);

  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
}
