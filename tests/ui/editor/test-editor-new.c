/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-editor"

#include "config.h"

#include <string.h>

#include "editor-fixture.h"

/* New integrations in the editor: saving, OAuth callback, validation, refusals, switching
 * auth types. */

/* How many keyring items of field @field hold @value (any integration). */
static guint
keyring_count_value (const char *field,
                     const char *value)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n = 0;

  g_hash_table_insert (attributes, (gpointer) "field", (gpointer) field);
  items = secret_service_search_sync (NULL, pb_secrets_get_schema (), attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK
                                      | SECRET_SEARCH_LOAD_SECRETS,
                                      NULL, &error);
  g_assert_no_error (error);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(SecretValue) secret = secret_item_get_secret (l->data);

      if (secret != NULL && g_strcmp0 (secret_value_get_text (secret), value) == 0)
        n++;
    }
  g_list_free_full (items, g_object_unref);

  return n;
}

/* The titles of the rows of "Your users will be asked for", joined by ", ". */
static char *
account_field_titles (PbIntegrationEditor *editor)
{
  g_autoptr(GString) titles = g_string_new (NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (editor->account_group)))
    return g_strdup ("");
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (editor->account_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    g_string_append_printf (titles, "%s%s", titles->len > 0 ? ", " : "",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)));
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

/* New API-key integration: the editor asks for no end user's credentials, lists what the
 * users will enter, and saves an integration without values. */
void
test_new_api_key (Fixture       *fixture,
                  gconstpointer  user_data)
{
  PbConnector *bamboo = connector (fixture, "bamboohr");
  guint n_before = count_integrations (fixture, "bamboohr");
  g_autoptr(PbIntegration) on_server = NULL;
  g_autofree char *titles = NULL;
  g_autofree char *stored = NULL;
  PbIntegrationEditor *editor;
  guint api_key_type = 0;
  SaveWatch watch;

  g_assert_nonnull (find_type_of_kind (bamboo, PB_AUTH_KIND_API_KEY, &api_key_type));

  editor = pb_integration_editor_new (NULL, fixture->store, bamboo, NULL);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "New integration — BambooHR");

  choose_auth_type (editor, api_key_type);
  /* No API key or subdomain to type: they are each end user's. */
  g_assert_null (pb_integration_editor_get_field_row (editor, "api_key"));
  g_assert_null (pb_integration_editor_get_field_row (editor, "subdomain"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (editor->credentials_group)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (editor->oauth_app_row)));
  g_assert_null (pb_integration_editor_get_callback_uri (editor));
  titles = account_field_titles (editor);
  g_assert_cmpstr (titles, ==, "API key, Company subdomain");
  g_assert_true (pb_integration_editor_get_can_save (editor));
  check_narrow (editor, &watch, "api-key");

  type_into (editor, "name", "BambooHR – Test");
  press_save (&watch);

  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);
  g_assert_cmpstr (pb_integration_get_name (watch.saved), ==, "BambooHR – Test");
  g_assert_cmpuint (count_integrations (fixture, "bamboohr"), ==, n_before + 1);

  /* Nothing of an end user's on the server, nor in the keyring. */
  on_server = server_integration (fixture, pb_integration_get_id (watch.saved));
  g_assert_cmpuint (g_hash_table_size (pb_integration_get_config (on_server)), ==, 0);
  g_assert_cmpuint (g_hash_table_size (pb_integration_get_secrets (on_server)), ==, 0);
  g_assert_cmpint (pb_integration_get_oauth_app (on_server), ==, PB_OAUTH_APP_NONE);
  stored = keyring_value (pb_integration_get_id (watch.saved), "api_key");
  g_assert_null (stored);
  /* A later one is not the default. */
  g_assert_false (pb_integration_get_is_default (on_server));

  g_object_unref (editor);
}

static void
choose_oauth_app (PbIntegrationEditor *editor,
                  PbOAuthApp           app)
{
  GtkWidget *row = pb_integration_editor_get_field_row (editor, "oauth-app");

  g_assert_true (gtk_widget_get_visible (row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), app == PB_OAUTH_APP_PLATFORM
                                                   ? OAUTH_APP_ROW_PLATFORM : OAUTH_APP_ROW_OWN);
}

/* An OAuth integration on its own app: its client secret in the keyring, only its hint on
 * the server. */
void
test_new_oauth_own (Fixture       *fixture,
                    gconstpointer  user_data)
{
  PbConnector *hubspot = connector (fixture, "hubspot");
  g_autofree char *secret = make_secret ();
  g_autofree char *stored = NULL;
  g_autoptr(PbIntegration) on_server = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  PbIntegrationEditor *editor;
  guint oauth = 0;
  SaveWatch watch;

  g_assert_nonnull (find_type_of_kind (hubspot, PB_AUTH_KIND_OAUTH2, &oauth));
  editor = pb_integration_editor_new (NULL, fixture->store, hubspot, NULL);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  choose_auth_type (editor, oauth);
  choose_oauth_app (editor, PB_OAUTH_APP_OWN);
  type_into (editor, "name", "HubSpot – own app");
  type_into (editor, "client_id", "hubspot-client-1");
  type_into (editor, "client_secret", secret);
  check_narrow (editor, &watch, "oauth-own-app");
  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);

  stored = keyring_value (pb_integration_get_id (watch.saved), "client_secret");
  g_assert_nonnull (stored);
  g_assert_true (g_str_equal (stored, secret));
  on_server = server_integration (fixture, pb_integration_get_id (watch.saved));
  g_assert_cmpint (pb_integration_get_oauth_app (on_server), ==, PB_OAUTH_APP_OWN);
  assert_hint_matches (g_hash_table_lookup (pb_integration_get_secrets (on_server),
                                            "client_secret"), secret);
  g_assert_cmpstr (g_hash_table_lookup (pb_integration_get_config (on_server), "client_id"), ==,
                   "hubspot-client-1");
  json = pb_integration_to_json (on_server);
  node = json_node_init_object (json_node_alloc (), json);
  text = json_to_string (node, FALSE);
  g_assert_null (strstr (text, secret));
  g_object_unref (editor);
}

/* On the platform's OAuth app: no client ID or secret, the branding note, no callback to
 * register; the integration is saved so. */
void
test_new_oauth_platform (Fixture       *fixture,
                         gconstpointer  user_data)
{
  PbConnector *hubspot = connector (fixture, "hubspot");
  g_autoptr(PbIntegration) on_server = NULL;
  PbIntegrationEditor *editor;
  guint oauth = 0;
  SaveWatch watch;

  g_assert_nonnull (find_type_of_kind (hubspot, PB_AUTH_KIND_OAUTH2, &oauth));
  editor = pb_integration_editor_new (NULL, fixture->store, hubspot, NULL);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  choose_auth_type (editor, oauth);

  /* Its own app, the API's default, asks for both. */
  g_assert_nonnull (pb_integration_editor_get_field_row (editor, "client_id"));
  g_assert_false (pb_integration_editor_get_can_save (editor));

  choose_oauth_app (editor, PB_OAUTH_APP_PLATFORM);
  g_assert_null (pb_integration_editor_get_field_row (editor, "client_id"));
  g_assert_null (pb_integration_editor_get_field_row (editor, "client_secret"));
  g_assert_nonnull (pb_integration_editor_get_field_row (editor, "scopes"));
  g_assert_null (pb_integration_editor_get_callback_uri (editor));
  g_assert_true (gtk_widget_get_visible (editor->oauth_app_note_row));
  g_assert_nonnull (strstr (gtk_label_get_text (editor->oauth_app_note),
                            "the platform’s name and logo"));
  g_assert_true (pb_integration_editor_get_can_save (editor));
  check_narrow (editor, &watch, "oauth-platform-app");

  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);
  on_server = server_integration (fixture, pb_integration_get_id (watch.saved));
  g_assert_cmpint (pb_integration_get_oauth_app (on_server), ==, PB_OAUTH_APP_PLATFORM);
  g_assert_false (g_hash_table_contains (pb_integration_get_config (on_server), "client_id"));
  g_assert_false (g_hash_table_contains (pb_integration_get_secrets (on_server), "client_secret"));
  g_object_unref (editor);
}

static gboolean
clipboard_has_text (gpointer editor)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (editor));
  GValue value = G_VALUE_INIT;
  gboolean has;

  if (content == NULL)
    return FALSE;
  g_value_init (&value, G_TYPE_STRING);
  has = gdk_content_provider_get_value (content, &value, NULL)
        && g_value_get_string (&value) != NULL && *g_value_get_string (&value) != '\0';
  g_value_unset (&value);
  return has;
}

/* Teamtailor's trigger token: shown, never typed; made by the platform when saved. */
void
test_generated_value (Fixture       *fixture,
                      gconstpointer  user_data)
{
  PbConnector *teamtailor = connector (fixture, "teamtailor");
  PbAuthType *partner = pb_connector_find_auth_type (teamtailor, "public_partner_api_key");
  GListModel *types = pb_connector_get_auth_types (teamtailor);
  PbIntegrationEditor *editor;
  GtkWidget *row;
  guint position = 0;
  SaveWatch watch;

  g_assert_nonnull (partner);
  for (guint i = 0; i < g_list_model_get_n_items (types); i++)
    {
      g_autoptr(PbAuthType) type = g_list_model_get_item (types, i);

      if (type == partner)
        position = i;
    }
  editor = pb_integration_editor_new (NULL, fixture->store, teamtailor, NULL);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  choose_auth_type (editor, position);

  row = pb_integration_editor_get_field_row (editor, "external_trigger_token");
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_false (GTK_IS_EDITABLE (row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "Created by the platform when you save"));
  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);
  g_assert_true (((PbSecretState *) g_hash_table_lookup (pb_integration_get_secrets (watch.saved),
                                                          "external_trigger_token"))->set);
  g_object_unref (editor);

  /* Opened again: its state, and Copy. */
  editor = pb_integration_editor_new (NULL, fixture->store, teamtailor, watch.saved);
  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));
  row = pb_integration_editor_get_field_row (editor, "external_trigger_token");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "Set (ends in …"));
  check_narrow (editor, NULL, "teamtailor-generated");
  /* Copy asks the backend for the value (an admin may read it) and puts it on the clipboard. */
  gdk_clipboard_set_content (gtk_widget_get_clipboard (row), NULL);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.copy-generated", "s",
                              "external_trigger_token");
  g_assert_true (wait_until (clipboard_has_text, editor, 10));
  {
    GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (row));
    const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
    GValue value = G_VALUE_INIT;
    g_autofree char *tail = NULL;

    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    g_assert_cmpuint (strlen (g_value_get_string (&value)), >=, 32);
    /* The hint shown is the end of the value copied. */
    tail = g_strdup_printf ("…%s)", g_value_get_string (&value) + strlen (g_value_get_string (&value)) - 4);
    g_assert_nonnull (strstr (subtitle, tail));
    g_value_unset (&value);
  }
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
  g_clear_object (&watch.saved);
}

/* OAuth types show the callback URI of the catalog, and copy it. */
void
test_oauth_callback (Fixture       *fixture,
                     gconstpointer  user_data)
{
  PbConnector *bamboo = connector (fixture, "bamboohr");
  PbIntegrationEditor *editor;
  PbAuthType *oauth;
  guint oauth_position = 0, api_key_position = 0;
  g_autofree char *expected = NULL;
  GtkWidget *copy;

  oauth = find_type_of_kind (bamboo, PB_AUTH_KIND_OAUTH2, &oauth_position);
  g_assert_nonnull (oauth);
  g_assert_nonnull (find_type_of_kind (bamboo, PB_AUTH_KIND_API_KEY, &api_key_position));

  /* api.md: <api base>/connect/oauth2/<provider key>/callback */
  expected = g_strdup_printf ("%s/connect/oauth2/bamboohr/callback",
                              pb_test_server_get_url (fixture->server));

  editor = pb_integration_editor_new (NULL, fixture->store, bamboo, NULL);
  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));

  choose_auth_type (editor, api_key_position);
  g_assert_null (pb_integration_editor_get_callback_uri (editor));

  choose_auth_type (editor, oauth_position);
  g_assert_cmpstr (pb_integration_editor_get_callback_uri (editor), ==,
                   pb_auth_type_get_callback_url (oauth));
  g_assert_true (g_str_has_prefix (pb_integration_editor_get_callback_uri (editor),
                                   pb_test_server_get_url (fixture->server)));
  g_assert_cmpstr (pb_integration_editor_get_callback_uri (editor), ==, expected);
  /* OAuth fields: client id and secret, built from the catalog. */
  g_assert_true (ADW_IS_ENTRY_ROW (pb_integration_editor_get_field_row (editor, "client_id")));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (pb_integration_editor_get_field_row (editor,
                                                                                 "client_secret")));

  /* The platform's app needs no callback registered by the admin. */
  choose_oauth_app (editor, PB_OAUTH_APP_PLATFORM);
  g_assert_null (pb_integration_editor_get_callback_uri (editor));
  choose_oauth_app (editor, PB_OAUTH_APP_OWN);
  g_assert_cmpstr (pb_integration_editor_get_callback_uri (editor), ==, expected);

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.copy-callback", NULL);
  copy = pb_integration_editor_get_field_row (editor, "name");
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (copy);
    GdkContentProvider *content = gdk_clipboard_get_content (clipboard);
    GValue value = G_VALUE_INIT;

    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    g_assert_cmpstr (g_value_get_string (&value), ==, pb_auth_type_get_callback_url (oauth));
    g_value_unset (&value);
  }

  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
}

/* Save stays insensitive until every required field is valid, and says what is missing. */
void
test_required_fields (Fixture       *fixture,
                      gconstpointer  user_data)
{
  PbConnector *bamboo = connector (fixture, "bamboohr");
  g_autofree char *secret = make_secret ();
  PbIntegrationEditor *editor;
  guint api_key_position = 0;
  PbAuthType *type = find_type_of_kind (bamboo, PB_AUTH_KIND_OAUTH2, &api_key_position);
  PbAuthField *api_key = pb_auth_type_find_field (type, "client_secret");
  PbAuthField *subdomain = pb_auth_type_find_field (type, "client_id");

  g_assert_nonnull (api_key);
  g_assert_nonnull (subdomain);

  editor = pb_integration_editor_new (NULL, fixture->store, bamboo, NULL);
  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));
  choose_auth_type (editor, api_key_position);

  g_assert_false (pb_integration_editor_get_can_save (editor));
  g_assert_nonnull (strstr (pb_integration_editor_get_problem (editor),
                            pb_auth_field_get_label (api_key)));
  g_assert_nonnull (strstr (pb_integration_editor_get_problem (editor),
                            pb_auth_field_get_label (subdomain)));
  /* Not shouted beside untouched fields. */
  g_assert_null (pb_integration_editor_get_field_message (editor, "client_secret"));

  type_into (editor, "client_secret", secret);
  g_assert_false (pb_integration_editor_get_can_save (editor));
  g_assert_null (strstr (pb_integration_editor_get_problem (editor),
                         pb_auth_field_get_label (api_key)));
  g_assert_nonnull (strstr (pb_integration_editor_get_problem (editor),
                            pb_auth_field_get_label (subdomain)));

  type_into (editor, "client_id", "acme");
  g_assert_true (pb_integration_editor_get_can_save (editor));
  g_assert_null (pb_integration_editor_get_problem (editor));

  /* Emptied again: said beside the field, Save insensitive. */
  type_into (editor, "client_id", "");
  g_assert_false (pb_integration_editor_get_can_save (editor));
  g_assert_nonnull (pb_integration_editor_get_field_message (editor, "client_id"));
  g_assert_nonnull (strstr (pb_integration_editor_get_field_message (editor, "client_id"),
                            pb_auth_field_get_label (subdomain)));

  /* A blank name is refused too. */
  type_into (editor, "client_id", "acme");
  type_into (editor, "name", "   ");
  g_assert_false (pb_integration_editor_get_can_save (editor));
  g_assert_nonnull (pb_integration_editor_get_field_message (editor, "name"));
  type_into (editor, "name", "BambooHR – ok");
  g_assert_true (pb_integration_editor_get_can_save (editor));

  /* An e-mail or web address field checks its form (the catalog keeps such values on the
   * accounts now: a connector with them as settings). */
  {
    g_autoptr(JsonObject) json = pb_connector_to_json (bamboo);
    JsonArray *types = json_object_get_array_member (json, "auth_types");
    JsonArray *fields = json_object_get_array_member (json_array_get_object_element (types,
                                                                                     api_key_position),
                                                      "fields");
    g_autoptr(PbConnector) with_addresses = NULL;
    g_autoptr(GError) error = NULL;
    const struct { const char *key; PbFieldKind kind; const char *good; } addresses[] = {
      { "portal", PB_FIELD_KIND_URL, "https://acme.example.com" },
      { "contact", PB_FIELD_KIND_EMAIL, "admin@acme.example" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
      {
        JsonObject *field = json_object_new ();

        json_object_set_string_member (field, "key", addresses[i].key);
        json_object_set_string_member (field, "label", addresses[i].key);
        json_object_set_string_member (field, "kind", pb_field_kind_to_string (addresses[i].kind));
        json_object_set_boolean_member (field, "required", TRUE);
        json_array_add_object_element (fields, field);
      }
    with_addresses = pb_connector_new_from_json (json, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
      {
        PbIntegrationEditor *other = pb_integration_editor_new (NULL, fixture->store,
                                                                with_addresses, NULL);

        g_object_ref_sink (other);
        choose_auth_type (other, api_key_position);
        type_into (other, addresses[i].key, "not an address");
        g_assert_nonnull (pb_integration_editor_get_field_message (other, addresses[i].key));
        g_assert_false (pb_integration_editor_get_can_save (other));
        type_into (other, addresses[i].key, addresses[i].good);
        g_assert_null (pb_integration_editor_get_field_message (other, addresses[i].key));
        gtk_window_destroy (GTK_WINDOW (other));
        g_object_unref (other);
      }
  }

  /* A catalog entry without auth types cannot be saved, and says why. */
  {
    g_autoptr(JsonObject) json = pb_connector_to_json (bamboo);
    g_autoptr(PbConnector) bare = NULL;
    g_autoptr(GError) error = NULL;
    PbIntegrationEditor *other;

    json_object_set_array_member (json, "auth_types", json_array_new ());
    bare = pb_connector_new_from_json (json, &error);
    g_assert_no_error (error);
    other = pb_integration_editor_new (NULL, fixture->store, bare, NULL);
    g_object_ref_sink (other);
    g_assert_false (pb_integration_editor_get_can_save (other));
    g_assert_nonnull (pb_integration_editor_get_problem (other));
    gtk_window_destroy (GTK_WINDOW (other));
    g_object_unref (other);
  }

  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
}

static gboolean
editor_closed_and_cleared (gpointer value)
{
  return keyring_count_value ("client_secret", value) == 0;
}

/* A connector whose cached catalog entry is older than the server's: the field is optional
 * here, required there. The refusal (400 validation_failed with details.fields, from the
 * server or from the store checking the server's rules first) lands beside that field;
 * nothing typed is lost. */
void
test_server_refusal (Fixture       *fixture,
                     gconstpointer  user_data)
{
  PbConnector *bamboo = connector (fixture, "bamboohr");
  g_autoptr(JsonObject) json = pb_connector_to_json (bamboo);
  g_autoptr(PbConnector) stale = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = make_secret ();
  JsonArray *types = json_object_get_array_member (json, "auth_types");
  PbIntegrationEditor *editor;
  guint position = 0;
  SaveWatch watch;

  /* Make "client_id" optional in the copy the editor sees. */
  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      JsonObject *type = json_array_get_object_element (types, i);
      JsonArray *fields = json_object_get_array_member (type, "fields");

      if (g_strcmp0 (json_object_get_string_member (type, "type"), "oauth2") == 0)
        position = i;
      for (guint f = 0; f < json_array_get_length (fields); f++)
        {
          JsonObject *field = json_array_get_object_element (fields, f);

          if (g_strcmp0 (json_object_get_string_member (field, "key"), "client_id") == 0)
            json_object_set_boolean_member (field, "required", FALSE);
        }
    }
  stale = pb_connector_new_from_json (json, &error);
  g_assert_no_error (error);

  editor = pb_integration_editor_new (NULL, fixture->store, stale, NULL);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  choose_auth_type (editor, position);
  type_into (editor, "name", "BambooHR – refused");
  type_into (editor, "client_secret", secret);
  g_assert_true (pb_integration_editor_get_can_save (editor));

  press_save (&watch);
  g_assert_false (watch.destroyed);
  g_assert_null (watch.saved);
  g_assert_false (pb_integration_editor_get_saving (editor));
  /* Beside the field it names, in words, and at the top. */
  g_assert_nonnull (pb_integration_editor_get_field_message (editor, "client_id"));
  g_assert_nonnull (strstr (pb_integration_editor_get_field_message (editor, "client_id"),
                            "Client ID"));
  g_assert_nonnull (pb_integration_editor_get_problem (editor));
  g_assert_false (pb_integration_editor_get_can_save (editor));
  /* Nothing typed is lost. (The store may refuse it before the keyring, checking the
   * server's rules itself, or after; never twice in the keyring.) */
  g_assert_true (g_strcmp0 (row_text (editor, "client_secret"), secret) == 0);
  g_assert_cmpstr (row_text (editor, "name"), ==, "BambooHR – refused");
  g_assert_cmpuint (keyring_count_value ("client_secret", secret), <=, 1);

  /* Fixing it clears the message and saves. */
  type_into (editor, "client_id", "acme");
  g_assert_null (pb_integration_editor_get_field_message (editor, "client_id"));
  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);
  /* The second try kept the id: one keyring item, the integration's. */
  g_assert_cmpuint (keyring_count_value ("client_secret", secret), ==, 1);
  {
    g_autofree char *stored = keyring_value (pb_integration_get_id (watch.saved), "client_secret");

    g_assert_true (g_strcmp0 (stored, secret) == 0);
  }
  g_object_unref (editor);

  /* Refused, then given up: the keyring forgets what only that try put there. */
  {
    g_autofree char *other = make_secret ();

    editor = pb_integration_editor_new (NULL, fixture->store, stale, NULL);
    g_object_ref_sink (editor);
    watch_editor (&watch, editor);
    gtk_window_present (GTK_WINDOW (editor));
    choose_auth_type (editor, position);
    type_into (editor, "client_secret", other);
    press_save (&watch);
    g_assert_false (watch.destroyed);
    g_assert_cmpuint (keyring_count_value ("client_secret", other), <=, 1);
    gtk_window_close (GTK_WINDOW (editor));
    spin (50);
    adw_message_dialog_response (find_question (GTK_WINDOW (editor)), "discard");
    g_assert_true (wait_until (editor_closed_and_cleared, other, 10));
    g_object_unref (editor);
  }
}

/* Switching the auth type swaps the fields and keeps what was typed for when it comes back. */
void
test_auth_type_switch (Fixture       *fixture,
                       gconstpointer  user_data)
{
  PbConnector *bamboo = connector (fixture, "bamboohr");
  g_autofree char *secret = make_secret ();
  g_autofree char *titles = NULL;
  PbIntegrationEditor *editor;
  guint api_key = 0, oauth = 0;

  g_assert_nonnull (find_type_of_kind (bamboo, PB_AUTH_KIND_API_KEY, &api_key));
  g_assert_nonnull (find_type_of_kind (bamboo, PB_AUTH_KIND_OAUTH2, &oauth));

  editor = pb_integration_editor_new (NULL, fixture->store, bamboo, NULL);
  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));

  choose_auth_type (editor, oauth);
  type_into (editor, "client_id", "client-123");
  type_into (editor, "client_secret", secret);
  titles = account_field_titles (editor);
  g_assert_cmpstr (titles, ==, "Company subdomain");

  choose_auth_type (editor, api_key);
  g_assert_null (pb_integration_editor_get_field_row (editor, "client_id"));
  g_assert_true (pb_integration_editor_get_can_save (editor));

  choose_auth_type (editor, oauth);
  g_assert_cmpstr (row_text (editor, "client_id"), ==, "client-123");
  g_assert_true (g_strcmp0 (row_text (editor, "client_secret"), secret) == 0);
  g_assert_true (pb_integration_editor_get_can_save (editor));

  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
}
