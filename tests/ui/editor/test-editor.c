/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-editor"

#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <time.h>

#include "pb-category-model.h"
#include "pb-connector-picker.h"
#include "pb-editor.h"
#include "pb-integration-editor.h"
#include "pb-store.h"
#include "pb-test-server.h"

/*
 * Widget tests of the connector picker and the integration editor against a real
 * plugboard-server (demo data) and the real keyring of the headless session.
 * Project 0 of the demo is "Acme HR" (growth plan, many integrations), project 1 "Acme
 * Sandbox" (starter plan: only HRIS and ATS, few integrations).
 */

typedef struct
{
  PbTestServer *server;
  PbClient     *client;     /* for checking what the server has */
  PbStore      *store;
  guint         project;
} Fixture;

/* Helpers */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (data);
}

static gboolean
result_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
spin (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PbSecrets) secrets = NULL;
  g_autoptr(PbClient) store_client = NULL;
  const char *key;

  fixture->project = GPOINTER_TO_UINT (user_data);
  fixture->server = pb_test_server_start_demo (NULL, &error);
  g_assert_no_error (error);

  key = pb_test_server_get_admin_key (fixture->server, fixture->project);
  fixture->client = pb_client_new (pb_test_server_get_url (fixture->server), key);
  store_client = pb_client_new (pb_test_server_get_url (fixture->server), key);
  secrets = pb_secrets_new ();
  fixture->store = pb_store_new (store_client, secrets, pb_test_server_get_url (fixture->server),
                                 NULL);

  pb_store_load_async (fixture->store, NULL, store_result_cb, &result);
  g_assert_true (wait_until (result_set, &result, 30));
  pb_store_load_finish (fixture->store, result, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Close whatever a failed test left open. */
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }

  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->server, pb_test_server_stop);
}

static guint
count_integrations (Fixture    *fixture,
                    const char *connector_key)
{
  GListModel *integrations = pb_store_get_integrations (fixture->store);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (integrations); i++)
    {
      g_autoptr(PbIntegration) integration = g_list_model_get_item (integrations, i);

      if (g_strcmp0 (pb_integration_get_connector_key (integration), connector_key) == 0)
        n++;
    }

  return n;
}

static PbAuthType *
find_type_of_kind (PbConnector *connector,
                   PbAuthKind   kind,
                   guint       *out_position)
{
  GListModel *types = pb_connector_get_auth_types (connector);

  for (guint i = 0; i < g_list_model_get_n_items (types); i++)
    {
      g_autoptr(PbAuthType) type = g_list_model_get_item (types, i);

      if (pb_auth_type_get_kind (type) == kind)
        {
          if (out_position != NULL)
            *out_position = i;
          return type;   /* the connector keeps it alive */
        }
    }

  return NULL;
}

static PbConnector *
connector (Fixture    *fixture,
           const char *provider)
{
  PbConnector *found = pb_store_find_connector (fixture->store, provider);

  g_assert_nonnull (found);
  return found;
}

/* A unique value that looks like a credential (never printed). */
static char *
make_secret (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("key-%s", uuid);
}

static void
type_into (PbIntegrationEditor *editor,
           const char          *key,
           const char          *text)
{
  GtkWidget *row = pb_integration_editor_get_field_row (editor, key);

  g_assert_nonnull (row);
  g_assert_true (GTK_IS_EDITABLE (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static const char *
row_text (PbIntegrationEditor *editor,
          const char          *key)
{
  GtkWidget *row = pb_integration_editor_get_field_row (editor, key);

  g_assert_nonnull (row);
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
choose_auth_type (PbIntegrationEditor *editor,
                  guint                position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (pb_integration_editor_get_field_row (editor,
                                                                                  "auth-type")),
                              position);
}

typedef struct
{
  PbIntegrationEditor *editor;
  PbIntegration       *saved;
  gboolean             destroyed;
} SaveWatch;

static void
on_saved_cb (PbIntegrationEditor *editor,
             PbIntegration       *integration,
             SaveWatch           *watch)
{
  g_set_object (&watch->saved, integration);
}

static gboolean
is_open (gpointer window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) other = g_list_model_get_item (toplevels, i);

      if (other == window)
        return TRUE;
    }

  return FALSE;
}

static void
on_hide_cb (GtkWidget *widget,
            SaveWatch *watch)
{
  if (!is_open (widget) || !gtk_widget_get_visible (widget))
    watch->destroyed = TRUE;
}

static void
on_unrealize_cb (GtkWidget *widget,
                 SaveWatch *watch)
{
  watch->destroyed = TRUE;
}

static void
watch_editor (SaveWatch           *watch,
              PbIntegrationEditor *editor)
{
  memset (watch, 0, sizeof *watch);
  watch->editor = editor;
  g_signal_connect (editor, "saved", G_CALLBACK (on_saved_cb), watch);
  /* gtk_window_destroy() hides and unrealizes; "destroy" waits for the last reference. */
  g_signal_connect (editor, "hide", G_CALLBACK (on_hide_cb), watch);
  g_signal_connect (editor, "unrealize", G_CALLBACK (on_unrealize_cb), watch);
}

static gboolean
save_finished (gpointer data)
{
  SaveWatch *watch = data;

  return watch->destroyed
         || (!pb_integration_editor_get_saving (watch->editor)
             && pb_integration_editor_get_problem (watch->editor) != NULL);
}

/* Presses Save and waits until the dialog closed (saved) or shows a refusal. */
static void
press_save (SaveWatch *watch)
{
  g_assert_true (pb_integration_editor_get_can_save (watch->editor));
  gtk_widget_activate_action (GTK_WIDGET (watch->editor), "editor.save", NULL);
  /* While saving, a second Save does nothing and Save is insensitive. */
  if (!watch->destroyed && pb_integration_editor_get_saving (watch->editor))
    {
      g_assert_false (pb_integration_editor_get_can_save (watch->editor));
      gtk_widget_activate_action (GTK_WIDGET (watch->editor), "editor.save", NULL);
    }
  g_assert_true (wait_until (save_finished, watch, 30));
}

static PbIntegration *
server_integration (Fixture    *fixture,
                    const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PbIntegration *integration;

  pb_client_get_integration_async (fixture->client, id, NULL, store_result_cb, &result);
  g_assert_true (wait_until (result_set, &result, 30));
  integration = pb_client_get_integration_finish (fixture->client, result, NULL, &error);
  g_assert_no_error (error);
  return integration;
}

static char *
keyring_value (const char *integration_id,
               const char *field)
{
  g_autoptr(GError) error = NULL;
  char *value;

  /* Straight from the Secret Service, not through the store. */
  value = secret_password_lookup_sync (pb_secrets_get_schema (), NULL, &error,
                                       "integration", integration_id,
                                       "field", field,
                                       NULL);
  g_assert_no_error (error);
  return value;
}

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

static AdwMessageDialog *
find_question (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static void
assert_hint_matches (const PbSecretState *state,
                     const char          *value)
{
  const char *tail = value + strlen (value) - 4;

  g_assert_nonnull (state);
  g_assert_true (state->set);
  g_assert_nonnull (state->hint);
  g_assert_true (g_str_has_suffix (state->hint, tail));
  /* Only a hint: never the value. */
  g_assert_null (strstr (state->hint, value));
}

/* Picker */

static guint
n_shown (PbConnectorPicker *picker)
{
  return pb_category_model_get_n_connectors (PB_CATEGORY_MODEL (
    pb_connector_picker_get_shown (picker)));
}

static void
test_picker_search (Fixture       *fixture,
                    gconstpointer  user_data)
{
  GListModel *connectors = pb_store_get_connectors (fixture->store);
  PbConnectorPicker *picker;
  GListModel *shown;
  PbConnector *selected;
  g_autoptr(PbConnector) chosen = NULL;
  guint n_shown_connectors = 0, n_headers = 0, n_unavailable = 0;
  const char *last_category = NULL;

  picker = pb_connector_picker_new (NULL, connectors);
  g_object_ref_sink (picker);
  gtk_window_present (GTK_WINDOW (picker));

  /* Everything, grouped: each connector comes after the header of its category, and each
   * category has one header. */
  shown = pb_connector_picker_get_shown (picker);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (shown, i);

      if (PB_IS_CATEGORY_HEADER (item))
        {
          g_assert_cmpstr (pb_category_header_get_category (PB_CATEGORY_HEADER (item)), !=,
                           last_category);
          last_category = pb_category_header_get_category (PB_CATEGORY_HEADER (item));
          n_headers++;
        }
      else
        {
          g_assert_true (PB_IS_CONNECTOR (item));
          g_assert_cmpstr (pb_connector_get_category (PB_CONNECTOR (item)), ==, last_category);
          n_shown_connectors++;
          if (!pb_connector_get_available (PB_CONNECTOR (item)))
            n_unavailable++;
        }
    }
  g_assert_cmpuint (n_shown_connectors, ==, g_list_model_get_n_items (connectors));
  g_assert_cmpuint (n_headers, >, 1);
  /* The starter plan leaves whole categories out: shown, not hidden. */
  g_assert_cmpuint (n_unavailable, >, 0);

  /* Type: the first match is selected; Enter chooses it. */
  pb_connector_picker_set_search_text (picker, "bamboo");
  selected = pb_connector_picker_get_selected (picker);
  g_assert_nonnull (selected);
  g_assert_cmpstr (pb_connector_get_provider (selected), ==, "bamboohr");
  g_assert_cmpuint (n_shown (picker), ==, 1);

  /* By category label too. */
  pb_connector_picker_set_search_text (picker, "ATS");
  selected = pb_connector_picker_get_selected (picker);
  g_assert_nonnull (selected);
  g_assert_true (g_strv_contains (pb_connector_get_categories (selected), "ats")
                 || strstr (pb_connector_get_provider_name (selected), "ats") != NULL);

  /* Arrows skip headers and unavailable connectors. */
  pb_connector_picker_set_search_text (picker, "");
  for (guint i = 0; i < 30; i++)
    {
      pb_connector_picker_move_selection (picker, 1);
      selected = pb_connector_picker_get_selected (picker);
      g_assert_nonnull (selected);
      g_assert_true (pb_connector_get_available (selected));
    }
  pb_connector_picker_move_selection (picker, -1);
  g_assert_nonnull (pb_connector_picker_get_selected (picker));

  /* Nothing matches: the empty state, nothing to choose. */
  pb_connector_picker_set_search_text (picker, "no connector is called like this");
  g_assert_null (pb_connector_picker_get_selected (picker));
  g_assert_false (pb_connector_picker_choose_selected (picker));

  /* An unavailable connector cannot be chosen even when it is the only match. */
  for (guint i = 0; i < g_list_model_get_n_items (connectors); i++)
    {
      g_autoptr(PbConnector) c = g_list_model_get_item (connectors, i);

      if (!pb_connector_get_available (c))
        {
          pb_connector_picker_set_search_text (picker, pb_connector_get_provider_name (c));
          if (n_shown (picker) == 1)
            {
              g_assert_null (pb_connector_picker_get_selected (picker));
              g_assert_false (pb_connector_picker_choose_selected (picker));
              break;
            }
        }
    }

  pb_connector_picker_set_search_text (picker, "teamtailor");
  g_signal_connect_swapped (picker, "connector-chosen", G_CALLBACK (g_set_object), &chosen);
  g_assert_true (pb_connector_picker_choose_selected (picker));
  g_assert_nonnull (chosen);
  g_assert_cmpstr (pb_connector_get_provider (chosen), ==, "teamtailor");
  /* It closed itself. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_object_unref (picker);
}

static gint64
cpu_time_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Thousands of connectors: filtering as you type stays instant. The budget is in CPU time
 * of this (the UI) thread, so that a busy machine does not make the test fail. */
static void
test_picker_thousands (void)
{
  g_autoptr(GListStore) store = g_list_store_new (PB_TYPE_CONNECTOR);
  const char * const categories[] = { "hris", "ats", "crm", "iam", "lms", "marketing" };
  /* Typed one key at a time, then cleared. */
  const char * const queries[] = { "c", "co", "con", "conn", "conne", "connector", "connector ",
                                   "connector 4", "connector 42", "connector 424",
                                   "connector 4242", "" };
  PbConnectorPicker *picker;
  gint64 start, start_cpu, worst = 0, worst_wall = 0;
  const guint n = 5000;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(JsonArray) cats = json_array_new ();
      g_autoptr(JsonArray) types = json_array_new ();
      g_autofree char *provider = g_strdup_printf ("connector%u", i);
      g_autofree char *name = g_strdup_printf ("Connector %u", i);
      g_autoptr(PbConnector) c = NULL;
      g_autoptr(GError) error = NULL;

      json_array_add_string_element (cats, categories[i % G_N_ELEMENTS (categories)]);
      json_object_set_string_member (object, "provider", provider);
      json_object_set_string_member (object, "provider_name", name);
      json_object_set_string_member (object, "category", categories[i % G_N_ELEMENTS (categories)]);
      json_object_set_array_member (object, "categories", g_steal_pointer (&cats));
      json_object_set_string_member (object, "description", "");
      json_object_set_string_member (object, "docs_url", "https://example.com");
      json_object_set_boolean_member (object, "available", i % 7 != 0);
      json_object_set_array_member (object, "auth_types", g_steal_pointer (&types));
      c = pb_connector_new_from_json (object, &error);
      g_assert_no_error (error);
      g_list_store_append (store, c);
    }

  /* Warm up: the first window of a process sets up fonts and the renderer. */
  picker = pb_connector_picker_new (NULL, G_LIST_MODEL (g_list_store_new (PB_TYPE_CONNECTOR)));
  gtk_window_present (GTK_WINDOW (picker));
  spin (100);
  gtk_window_destroy (GTK_WINDOW (picker));

  start = g_get_monotonic_time ();
  start_cpu = cpu_time_us ();
  picker = pb_connector_picker_new (NULL, G_LIST_MODEL (store));
  g_object_ref_sink (picker);
  gtk_window_present (GTK_WINDOW (picker));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_test_message ("opening the picker over %u connectors: %.1f ms CPU, %.1f ms wall", n,
                  (cpu_time_us () - start_cpu) / 1000.0,
                  (g_get_monotonic_time () - start) / 1000.0);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      gint64 took, took_wall;

      start = g_get_monotonic_time ();
      start_cpu = cpu_time_us ();
      pb_connector_picker_set_search_text (picker, queries[i]);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      took = cpu_time_us () - start_cpu;
      took_wall = g_get_monotonic_time () - start;
      worst = MAX (worst, took);
      worst_wall = MAX (worst_wall, took_wall);
      g_test_message ("search “%s”: %.1f ms CPU, %.1f ms wall, %u shown", queries[i],
                      took / 1000.0, took_wall / 1000.0, n_shown (picker));
    }
  g_assert_cmpuint (n_shown (picker), ==, n);
  g_test_message ("worst keystroke: %.1f ms CPU, %.1f ms wall", worst / 1000.0,
                  worst_wall / 1000.0);
  /* A keystroke: filtering, regrouping and laying out the rows that changed (about 25 ms
   * at worst with the one-column grid view; a GtkListView rebuilding its 200 rows, or
   * wrapping labels in them, took 150–250 ms; MALLOC_CHECK_ slows it too). */
  g_assert_cmpint (worst, <, 100 * 1000);

  gtk_window_destroy (GTK_WINDOW (picker));
  g_object_unref (picker);
}

/* The keyboard path of the + button: the picker opened as the app opens it, a query typed
 * into its search entry (the entry's own search-changed, not the picker's API), Down from
 * the entry, Enter: the editor opens for the connector Down moved to. Then the list itself:
 * activating a row (what Enter or a click on a focused row does) of an unavailable
 * connector does nothing, of an available one opens the editor. */

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWindow *
find_toplevel (GType       type,
               const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type)
          && gtk_widget_get_visible (GTK_WIDGET (window))
          && (title == NULL || g_strcmp0 (gtk_window_get_title (window), title) == 0))
        return window;
    }

  return NULL;
}

/* A key press as the search entry's key controllers get it; TRUE when one handled it. */
static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0,
                               &handled);
    }

  return handled;
}

typedef struct
{
  PbConnectorPicker *picker;
  guint              n_before;
} ShownWatch;

static gboolean
shown_changed (gpointer data)
{
  ShownWatch *watch = data;

  return n_shown (watch->picker) != watch->n_before;
}

/* The @nth (from 0) available connector of what the picker shows, and its position. */
static PbConnector *
nth_available (PbConnectorPicker *picker,
               guint              nth,
               guint             *out_position)
{
  GListModel *shown = pb_connector_picker_get_shown (picker);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (shown, i);

      if (PB_IS_CONNECTOR (item) && pb_connector_get_available (PB_CONNECTOR (item))
          && nth-- == 0)
        {
          if (out_position != NULL)
            *out_position = i;
          return PB_CONNECTOR (item);   /* the catalog keeps it alive */
        }
    }

  return NULL;
}

static void
test_picker_keyboard (Fixture       *fixture,
                      gconstpointer  user_data)
{
  GListModel *connectors = pb_store_get_connectors (fixture->store);
  GtkWindow *picker_window, *editor;
  PbConnectorPicker *picker;
  GtkWidget *entry, *text, *list;
  GListModel *shown;
  PbConnector *first, *second, *locked = NULL;
  g_autofree char *title = NULL;
  ShownWatch watch;
  guint locked_position = 0, position = 0;

  /* As the + button and Ctrl+N do. */
  pb_editor_present_new (NULL, fixture->store);
  picker_window = find_toplevel (PB_TYPE_CONNECTOR_PICKER, NULL);
  g_assert_nonnull (picker_window);
  picker = PB_CONNECTOR_PICKER (picker_window);
  entry = find_descendant (GTK_WIDGET (picker), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_is_focus (find_descendant (entry, GTK_TYPE_TEXT)));
  g_assert_cmpuint (n_shown (picker), ==, g_list_model_get_n_items (connectors));

  /* Typed into the entry: it filters through the entry's own signal. */
  watch.picker = picker;
  watch.n_before = n_shown (picker);
  gtk_editable_set_text (GTK_EDITABLE (entry), "zoho");
  g_assert_true (wait_until (shown_changed, &watch, 5));
  shown = pb_connector_picker_get_shown (picker);
  g_assert_cmpuint (n_shown (picker), >=, 2);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (shown, i);

      if (PB_IS_CONNECTOR (item))
        g_assert_true (g_str_has_prefix (pb_connector_get_provider (PB_CONNECTOR (item)),
                                         "zoho"));
    }
  first = nth_available (picker, 0, NULL);
  second = nth_available (picker, 1, NULL);
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_true (pb_connector_picker_get_selected (picker) == first);

  /* Down and Up move the selection while the entry keeps the focus. */
  g_assert_true (press_key (entry, GDK_KEY_Down));
  g_assert_true (pb_connector_picker_get_selected (picker) == second);
  g_assert_true (press_key (entry, GDK_KEY_Up));
  g_assert_true (pb_connector_picker_get_selected (picker) == first);
  g_assert_true (press_key (entry, GDK_KEY_Down));
  g_assert_true (gtk_widget_is_focus (find_descendant (entry, GTK_TYPE_TEXT)));

  /* Enter: what the entry's text binds Return to. */
  text = find_descendant (entry, GTK_TYPE_TEXT);
  g_signal_emit_by_name (text, "activate");
  title = g_strdup_printf ("New integration — %s", pb_connector_get_provider_name (second));
  editor = find_toplevel (PB_TYPE_INTEGRATION_EDITOR, title);
  g_assert_nonnull (editor);
  g_assert_null (find_toplevel (PB_TYPE_CONNECTOR_PICKER, NULL));
  gtk_window_destroy (editor);
  g_clear_pointer (&title, g_free);

  /* The list: a row of a connector outside the plan does nothing; an available one opens
   * the editor. */
  pb_editor_present_new (NULL, fixture->store);
  picker = PB_CONNECTOR_PICKER (find_toplevel (PB_TYPE_CONNECTOR_PICKER, NULL));
  g_assert_nonnull (picker);
  list = find_descendant (GTK_WIDGET (picker), GTK_TYPE_GRID_VIEW);
  if (list == NULL)
    list = find_descendant (GTK_WIDGET (picker), GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (list);
  shown = pb_connector_picker_get_shown (picker);
  for (guint i = 0; i < g_list_model_get_n_items (shown) && locked == NULL; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (shown, i);

      if (PB_IS_CONNECTOR (item) && !pb_connector_get_available (PB_CONNECTOR (item)))
        {
          locked = PB_CONNECTOR (item);
          locked_position = i;
        }
    }
  /* Project 0 is on the growth plan: some categories are outside it. */
  g_assert_nonnull (locked);
  gtk_widget_activate_action (list, "list.activate-item", "u", locked_position);
  g_assert_true (find_toplevel (PB_TYPE_CONNECTOR_PICKER, NULL) == GTK_WINDOW (picker));
  g_assert_null (find_toplevel (PB_TYPE_INTEGRATION_EDITOR, NULL));

  first = nth_available (picker, 0, &position);
  g_assert_nonnull (first);
  gtk_widget_activate_action (list, "list.activate-item", "u", position);
  title = g_strdup_printf ("New integration — %s", pb_connector_get_provider_name (first));
  editor = find_toplevel (PB_TYPE_INTEGRATION_EDITOR, title);
  g_assert_nonnull (editor);
  g_assert_null (find_toplevel (PB_TYPE_CONNECTOR_PICKER, NULL));
  gtk_window_destroy (editor);
}

/* Editor */

/* New API-key integration: saved, the secret in the keyring, only its hint on the server. */
static void
test_new_api_key (Fixture       *fixture,
                  gconstpointer  user_data)
{
  PbConnector *bamboo = connector (fixture, "bamboohr");
  guint n_before = count_integrations (fixture, "bamboohr");
  g_autofree char *secret = make_secret ();
  g_autofree char *stored = NULL;
  g_autoptr(PbIntegration) on_server = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
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
  type_into (editor, "name", "BambooHR – Test");
  type_into (editor, "api_key", secret);
  type_into (editor, "subdomain", "acme-test");
  press_save (&watch);

  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);
  g_assert_cmpstr (pb_integration_get_name (watch.saved), ==, "BambooHR – Test");
  g_assert_cmpuint (count_integrations (fixture, "bamboohr"), ==, n_before + 1);
  g_assert_nonnull (pb_store_find_integration (fixture->store,
                                               pb_integration_get_id (watch.saved), NULL));

  /* The keyring has the value … */
  stored = keyring_value (pb_integration_get_id (watch.saved), "api_key");
  g_assert_nonnull (stored);
  g_assert_true (g_str_equal (stored, secret));

  /* … the server only a hint, and the plain field. */
  on_server = server_integration (fixture, pb_integration_get_id (watch.saved));
  assert_hint_matches (g_hash_table_lookup (pb_integration_get_secrets (on_server), "api_key"),
                       secret);
  g_assert_cmpstr (g_hash_table_lookup (pb_integration_get_config (on_server), "subdomain"), ==,
                   "acme-test");
  g_assert_false (g_hash_table_contains (pb_integration_get_config (on_server), "api_key"));
  json = pb_integration_to_json (on_server);
  node = json_node_init_object (json_node_alloc (), json);
  text = json_to_string (node, FALSE);
  g_assert_null (strstr (text, secret));
  /* A later one is not the default. */
  g_assert_false (pb_integration_get_is_default (on_server));

  g_object_unref (editor);
}

/* OAuth types show the callback URI of the catalog, and copy it. */
static void
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
static void
test_required_fields (Fixture       *fixture,
                      gconstpointer  user_data)
{
  PbConnector *bamboo = connector (fixture, "bamboohr");
  g_autofree char *secret = make_secret ();
  PbIntegrationEditor *editor;
  guint api_key_position = 0;
  PbAuthType *type = find_type_of_kind (bamboo, PB_AUTH_KIND_API_KEY, &api_key_position);
  PbAuthField *api_key = pb_auth_type_find_field (type, "api_key");
  PbAuthField *subdomain = pb_auth_type_find_field (type, "subdomain");

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
  g_assert_null (pb_integration_editor_get_field_message (editor, "api_key"));

  type_into (editor, "api_key", secret);
  g_assert_false (pb_integration_editor_get_can_save (editor));
  g_assert_null (strstr (pb_integration_editor_get_problem (editor),
                         pb_auth_field_get_label (api_key)));
  g_assert_nonnull (strstr (pb_integration_editor_get_problem (editor),
                            pb_auth_field_get_label (subdomain)));

  type_into (editor, "subdomain", "acme");
  g_assert_true (pb_integration_editor_get_can_save (editor));
  g_assert_null (pb_integration_editor_get_problem (editor));

  /* Emptied again: said beside the field, Save insensitive. */
  type_into (editor, "subdomain", "");
  g_assert_false (pb_integration_editor_get_can_save (editor));
  g_assert_nonnull (pb_integration_editor_get_field_message (editor, "subdomain"));
  g_assert_nonnull (strstr (pb_integration_editor_get_field_message (editor, "subdomain"),
                            pb_auth_field_get_label (subdomain)));

  /* A blank name is refused too. */
  type_into (editor, "subdomain", "acme");
  type_into (editor, "name", "   ");
  g_assert_false (pb_integration_editor_get_can_save (editor));
  g_assert_nonnull (pb_integration_editor_get_field_message (editor, "name"));
  type_into (editor, "name", "BambooHR – ok");
  g_assert_true (pb_integration_editor_get_can_save (editor));

  /* An e-mail or web address field checks its form (any such field of the catalog). */
  {
    GListModel *connectors = pb_store_get_connectors (fixture->store);
    gboolean checked = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (connectors) && !checked; i++)
      {
        g_autoptr(PbConnector) c = g_list_model_get_item (connectors, i);
        GListModel *types = pb_connector_get_auth_types (c);

        if (!pb_connector_get_available (c))
          continue;
        for (guint t = 0; t < g_list_model_get_n_items (types) && !checked; t++)
          {
            g_autoptr(PbAuthType) at = g_list_model_get_item (types, t);
            GListModel *fields = pb_auth_type_get_fields (at);

            for (guint f = 0; f < g_list_model_get_n_items (fields) && !checked; f++)
              {
                g_autoptr(PbAuthField) field = g_list_model_get_item (fields, f);
                PbFieldKind kind = pb_auth_field_get_kind (field);
                PbIntegrationEditor *other;
                const char *key = pb_auth_field_get_key (field);

                if (kind != PB_FIELD_KIND_URL && kind != PB_FIELD_KIND_EMAIL)
                  continue;

                other = pb_integration_editor_new (NULL, fixture->store, c, NULL);
                g_object_ref_sink (other);
                choose_auth_type (other, t);
                type_into (other, key, "not an address");
                g_assert_nonnull (pb_integration_editor_get_field_message (other, key));
                g_assert_false (pb_integration_editor_get_can_save (other));
                type_into (other, key, kind == PB_FIELD_KIND_URL ? "https://acme.example.com"
                                                                 : "admin@acme.example");
                g_assert_null (pb_integration_editor_get_field_message (other, key));
                gtk_window_destroy (GTK_WINDOW (other));
                g_object_unref (other);
                checked = TRUE;
              }
          }
      }
    g_assert_true (checked);
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
  return keyring_count_value ("api_key", value) == 0;
}

/* A connector whose cached catalog entry is older than the server's: the field is optional
 * here, required there. The refusal (400 validation_failed with details.fields, from the
 * server or from the store checking the server's rules first) lands beside that field;
 * nothing typed is lost. */
static void
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

  /* Make "subdomain" optional in the copy the editor sees. */
  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      JsonObject *type = json_array_get_object_element (types, i);
      JsonArray *fields = json_object_get_array_member (type, "fields");

      if (g_strcmp0 (json_object_get_string_member (type, "type"), "api_key") == 0)
        position = i;
      for (guint f = 0; f < json_array_get_length (fields); f++)
        {
          JsonObject *field = json_array_get_object_element (fields, f);

          if (g_strcmp0 (json_object_get_string_member (field, "key"), "subdomain") == 0)
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
  type_into (editor, "api_key", secret);
  g_assert_true (pb_integration_editor_get_can_save (editor));

  press_save (&watch);
  g_assert_false (watch.destroyed);
  g_assert_null (watch.saved);
  g_assert_false (pb_integration_editor_get_saving (editor));
  /* Beside the field it names, in words, and at the top. */
  g_assert_nonnull (pb_integration_editor_get_field_message (editor, "subdomain"));
  g_assert_nonnull (strstr (pb_integration_editor_get_field_message (editor, "subdomain"),
                            "Company subdomain"));
  g_assert_nonnull (pb_integration_editor_get_problem (editor));
  g_assert_false (pb_integration_editor_get_can_save (editor));
  /* Nothing typed is lost. (The store may refuse it before the keyring, checking the
   * server's rules itself, or after; never twice in the keyring.) */
  g_assert_cmpstr (row_text (editor, "api_key"), ==, secret);
  g_assert_cmpstr (row_text (editor, "name"), ==, "BambooHR – refused");
  g_assert_cmpuint (keyring_count_value ("api_key", secret), <=, 1);

  /* Fixing it clears the message and saves. */
  type_into (editor, "subdomain", "acme");
  g_assert_null (pb_integration_editor_get_field_message (editor, "subdomain"));
  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);
  /* The second try kept the id: one keyring item, the integration's. */
  g_assert_cmpuint (keyring_count_value ("api_key", secret), ==, 1);
  {
    g_autofree char *stored = keyring_value (pb_integration_get_id (watch.saved), "api_key");

    g_assert_cmpstr (stored, ==, secret);
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
    type_into (editor, "api_key", other);
    press_save (&watch);
    g_assert_false (watch.destroyed);
    g_assert_cmpuint (keyring_count_value ("api_key", other), <=, 1);
    gtk_window_close (GTK_WINDOW (editor));
    spin (50);
    adw_message_dialog_response (find_question (GTK_WINDOW (editor)), "discard");
    g_assert_true (wait_until (editor_closed_and_cleared, other, 10));
    g_object_unref (editor);
  }
}

/* Switching the auth type swaps the fields and keeps the ones both types share. */
static void
test_auth_type_switch (Fixture       *fixture,
                       gconstpointer  user_data)
{
  PbConnector *bamboo = connector (fixture, "bamboohr");
  g_autofree char *secret = make_secret ();
  PbIntegrationEditor *editor;
  guint api_key = 0, oauth = 0;

  g_assert_nonnull (find_type_of_kind (bamboo, PB_AUTH_KIND_API_KEY, &api_key));
  g_assert_nonnull (find_type_of_kind (bamboo, PB_AUTH_KIND_OAUTH2, &oauth));

  editor = pb_integration_editor_new (NULL, fixture->store, bamboo, NULL);
  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));

  choose_auth_type (editor, api_key);
  type_into (editor, "api_key", secret);
  type_into (editor, "subdomain", "acme-shared");

  choose_auth_type (editor, oauth);
  g_assert_null (pb_integration_editor_get_field_row (editor, "api_key"));
  g_assert_nonnull (pb_integration_editor_get_field_row (editor, "client_id"));
  g_assert_cmpstr (row_text (editor, "subdomain"), ==, "acme-shared");
  g_assert_cmpstr (row_text (editor, "client_id"), ==, "");
  g_assert_false (pb_integration_editor_get_can_save (editor));
  type_into (editor, "client_id", "client-123");

  choose_auth_type (editor, api_key);
  g_assert_cmpstr (row_text (editor, "api_key"), ==, secret);
  g_assert_cmpstr (row_text (editor, "subdomain"), ==, "acme-shared");
  g_assert_null (pb_integration_editor_get_field_row (editor, "client_id"));
  g_assert_true (pb_integration_editor_get_can_save (editor));

  choose_auth_type (editor, oauth);
  g_assert_cmpstr (row_text (editor, "client_id"), ==, "client-123");

  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
}

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
api_key_filled (gpointer editor)
{
  return *row_text (editor, "api_key") != '\0';
}

/* Editing: untouched secrets are kept (not sent); the keyring's value is shown; typing
 * replaces it. */
static void
test_edit_keeps_secrets (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *secret = make_secret ();
  g_autofree char *replacement = make_secret ();
  g_autofree char *stored = NULL;
  const char *fields[] = { "api_key", NULL, "subdomain", "acme-edit", NULL };
  g_autoptr(PbIntegration) created = NULL;
  g_autoptr(PbIntegration) before = NULL;
  g_autoptr(PbIntegration) after = NULL;
  g_autoptr(PbIntegration) replaced = NULL;
  PbIntegrationEditor *editor;
  PbSecretState *state_before, *state_after;
  guint api_key = 0;
  SaveWatch watch;

  fields[1] = secret;
  g_assert_nonnull (find_type_of_kind (connector (fixture, "bamboohr"), PB_AUTH_KIND_API_KEY,
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
  g_assert_cmpstr (row_text (editor, "subdomain"), ==, "acme-edit");
  g_assert_nonnull (pb_integration_editor_get_secret_hint (editor, "api_key"));
  g_assert_true (g_str_has_prefix (pb_integration_editor_get_secret_hint (editor, "api_key"),
                                   "Set (ends in"));
  {
    g_autofree char *tail = g_strdup_printf ("%s)", secret + strlen (secret) - 4);

    g_assert_true (g_str_has_suffix (pb_integration_editor_get_secret_hint (editor, "api_key"),
                                     tail));
  }
  /* This machine's keyring has the value: the reveal shows it. */
  g_assert_true (wait_until (api_key_filled, editor, 10));
  g_assert_cmpstr (row_text (editor, "api_key"), ==, secret);
  g_assert_false (pb_integration_editor_get_dirty (editor));
  g_assert_false (pb_integration_editor_get_can_save (editor));

  type_into (editor, "name", "BambooHR – edited");
  g_assert_true (pb_integration_editor_get_dirty (editor));
  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_object_unref (editor);

  after = server_integration (fixture, pb_integration_get_id (created));
  g_assert_cmpstr (pb_integration_get_name (after), ==, "BambooHR – edited");
  state_before = g_hash_table_lookup (pb_integration_get_secrets (before), "api_key");
  state_after = g_hash_table_lookup (pb_integration_get_secrets (after), "api_key");
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
  type_into (editor, "api_key", replacement);
  press_save (&watch);
  g_assert_true (watch.destroyed);
  g_object_unref (editor);

  replaced = server_integration (fixture, pb_integration_get_id (created));
  assert_hint_matches (g_hash_table_lookup (pb_integration_get_secrets (replaced), "api_key"),
                       replacement);
  stored = keyring_value (pb_integration_get_id (created), "api_key");
  g_assert_true (g_str_equal (stored, replacement));
}

/* A seeded integration whose secrets this machine never saw: hint only, kept on save. */
static void
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
 * "Public API key" first (forced default), then "Public + Partner API key" made default. */
static void
test_default_rules (Fixture       *fixture,
                    gconstpointer  user_data)
{
  PbConnector *teamtailor = connector (fixture, "teamtailor");
  GListModel *types = pb_connector_get_auth_types (teamtailor);
  g_autofree char *key1 = make_secret ();
  g_autofree char *key2 = make_secret ();
  g_autofree char *token = make_secret ();
  g_autofree char *stored_token = NULL;
  const char *fields1[] = { "api_key", NULL, NULL };
  const char *fields2[] = { "api_key", NULL, "external_trigger_token", NULL, NULL };
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

      if (pb_auth_type_find_field (type, "external_trigger_token") != NULL)
        partner_type = i;
      else if (public_type == G_MAXUINT)
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

  fields1[1] = key1;
  first = create_with_editor (fixture, "teamtailor", public_type, "Public API key", FALSE,
                              fields1);
  g_assert_true (pb_integration_get_is_default (first));

  /* The second: No by default and says which stays the default; Yes says which stops. */
  editor = pb_integration_editor_new (NULL, fixture->store, teamtailor, NULL);
  g_object_ref_sink (editor);
  default_row = pb_integration_editor_get_field_row (editor, "default");
  g_assert_true (gtk_widget_get_sensitive (default_row));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (default_row)), ==, 1);
  g_assert_nonnull (strstr (pb_integration_editor_get_default_explanation (editor),
                            "“Public API key” stays the default"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (default_row), 0);
  g_assert_nonnull (strstr (pb_integration_editor_get_default_explanation (editor),
                            "“Public API key” will stop being the default"));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  fields2[1] = key2;
  fields2[3] = token;
  second = create_with_editor (fixture, "teamtailor", partner_type, "Public + Partner API key",
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
  assert_hint_matches (g_hash_table_lookup (pb_integration_get_secrets (second_now),
                                            "external_trigger_token"), token);
  stored_token = keyring_value (pb_integration_get_id (second), "external_trigger_token");
  g_assert_true (g_str_equal (stored_token, token));
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
static void
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
  type_into (editor, "subdomain", "typed");
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
  g_assert_cmpstr (row_text (editor, "subdomain"), ==, "typed");

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
static void
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
static void
test_offline_queued (Fixture       *fixture,
                     gconstpointer  user_data)
{
  PbConnector *bamboo = connector (fixture, "bamboohr");
  g_autofree char *secret = make_secret ();
  g_autofree char *stored = NULL;
  PbIntegrationEditor *editor;
  guint api_key = 0;
  SaveWatch watch;

  g_assert_nonnull (find_type_of_kind (bamboo, PB_AUTH_KIND_API_KEY, &api_key));
  g_clear_pointer (&fixture->server, pb_test_server_stop);

  editor = pb_integration_editor_new (NULL, fixture->store, bamboo, NULL);
  g_object_ref_sink (editor);
  watch_editor (&watch, editor);
  gtk_window_present (GTK_WINDOW (editor));
  choose_auth_type (editor, api_key);
  type_into (editor, "name", "BambooHR – offline");
  type_into (editor, "api_key", secret);
  type_into (editor, "subdomain", "acme-offline");
  press_save (&watch);

  g_assert_true (watch.destroyed);
  g_assert_nonnull (watch.saved);
  g_assert_true (pb_integration_editor_get_queued (editor));
  g_assert_true (pb_store_is_pending (fixture->store, pb_integration_get_id (watch.saved)));
  g_assert_cmpuint (pb_store_get_n_pending (fixture->store), >=, 1);
  stored = keyring_value (pb_integration_get_id (watch.saved), "api_key");
  g_assert_cmpstr (stored, ==, secret);
  g_object_unref (editor);
}

/* Every control of the editor has an accessible name. */
static void
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

int
main (int   argc,
      char *argv[])
{
  /* The software GL of a headless X server compiles shaders for seconds; the cairo
   * renderer keeps timings about this code, not about llvmpipe. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/editor/picker/search", Fixture, GUINT_TO_POINTER (1),
              fixture_setup, test_picker_search, fixture_teardown);
  g_test_add ("/editor/picker/keyboard", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_picker_keyboard, fixture_teardown);
  g_test_add_func ("/editor/picker/thousands", test_picker_thousands);
  g_test_add ("/editor/new/api-key", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_new_api_key, fixture_teardown);
  g_test_add ("/editor/new/oauth-callback", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_oauth_callback, fixture_teardown);
  g_test_add ("/editor/new/required-fields", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_required_fields, fixture_teardown);
  g_test_add ("/editor/new/server-refusal", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_server_refusal, fixture_teardown);
  g_test_add ("/editor/new/auth-type-switch", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_auth_type_switch, fixture_teardown);
  g_test_add ("/editor/edit/keeps-secrets", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_edit_keeps_secrets, fixture_teardown);
  g_test_add ("/editor/edit/foreign-secret", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_edit_foreign_secret, fixture_teardown);
  g_test_add ("/editor/edit/auth-change-warning", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_auth_change_warning, fixture_teardown);
  g_test_add ("/editor/offline/queued", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_offline_queued, fixture_teardown);
  g_test_add ("/editor/default-rules", Fixture, GUINT_TO_POINTER (1),
              fixture_setup, test_default_rules, fixture_teardown);
  g_test_add ("/editor/unsaved-question", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_unsaved_question, fixture_teardown);
  g_test_add ("/editor/accessible-names", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_accessible_names, fixture_teardown);

  return g_test_run ();
}
