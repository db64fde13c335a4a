/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-editor"

#include "config.h"

#include <string.h>

#include "editor-fixture.h"
#include "pb-secret-buffer.h"

/* The fixture and helpers the editor tests share (editor-fixture.h). */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
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

void
spin (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

void
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
  pb_store_load_finish (fixture->store, result, &error);
  g_assert_no_error (error);
}

void
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

guint
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

PbAuthType *
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

PbConnector *
connector (Fixture    *fixture,
           const char *provider)
{
  PbConnector *found = pb_store_find_connector (fixture->store, provider);

  g_assert_nonnull (found);
  return found;
}

/* A unique value that looks like a credential (never printed). */
char *
make_secret (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("key-%s", uuid);
}

void
type_into (PbIntegrationEditor *editor,
           const char          *key,
           const char          *text)
{
  GtkWidget *row = pb_integration_editor_get_field_row (editor, key);

  g_assert_nonnull (row);
  g_assert_true (GTK_IS_EDITABLE (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

const char *
row_text (PbIntegrationEditor *editor,
          const char          *key)
{
  GtkWidget *row = pb_integration_editor_get_field_row (editor, key);

  g_assert_nonnull (row);
  return pb_secret_text (GTK_EDITABLE (row));
}

void
choose_auth_type (PbIntegrationEditor *editor,
                  guint                position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (pb_integration_editor_get_field_row (editor,
                                                                                  "auth-type")),
                              position);
}

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

void
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

gboolean
save_finished (gpointer data)
{
  SaveWatch *watch = data;

  return watch->destroyed
         || (!pb_integration_editor_get_saving (watch->editor)
             && pb_integration_editor_get_problem (watch->editor) != NULL);
}

/* Presses Save and waits until the dialog closed (saved) or shows a refusal. */
void
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

PbIntegration *
server_integration (Fixture    *fixture,
                    const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PbIntegration *integration;

  pb_client_get_integration_async (fixture->client, id, NULL, store_result_cb, &result);
  g_assert_true (wait_until (result_set, &result, 30));
  integration = pb_client_get_integration_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  return integration;
}

char *
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

AdwMessageDialog *
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

void
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

/* The window's surface is that wide (its content less the shadow around it, drawn by the
 * window itself without a window manager). */
static gboolean
has_width (gpointer data)
{
  GtkWidget *window = data;
  int wanted = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "pb-test-width"));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  return surface != NULL && gdk_surface_get_width (surface) == wanted;
}

/* Renders what @editor shows into @path (PNG), as GTK draws it. */
static void
save_png (PbIntegrationEditor *editor,
          const char          *path)
{
  int width = gtk_widget_get_width (GTK_WIDGET (editor));
  int height = gtk_widget_get_height (GTK_WIDGET (editor));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (editor));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (editor)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s (%dx%d)", path, width, height);
}

/* A shown window keeps its size: shown again, it takes the new default. */
static void
resize (PbIntegrationEditor *editor,
        int                  width,
        int                  height)
{
  gtk_widget_set_visible (GTK_WIDGET (editor), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (editor), width, height);
  gtk_window_present (GTK_WINDOW (editor));
}

void
check_narrow (PbIntegrationEditor *editor,
              SaveWatch           *watch,
              const char          *name)
{
  const char *dir = g_getenv ("PB_EDITOR_SCREENSHOTS");
  int default_width, default_height;

  gtk_window_get_default_size (GTK_WINDOW (editor), &default_width, &default_height);
  spin (100);
  if (dir != NULL)
    {
      g_autofree char *file = g_strdup_printf ("editor-%s.png", name);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      save_png (editor, path);
    }

  /* The form fits a phone's width: the window takes 360 px. */
  g_object_set_data (G_OBJECT (editor), "pb-test-width", GINT_TO_POINTER (360));
  resize (editor, 360, default_height);
  if (!wait_until (has_width, editor, 5))
    {
      int minimum = 0;

      gtk_widget_measure (GTK_WIDGET (editor), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                          NULL, NULL);
      g_test_message ("%s: %d px wide, at least %d", name, gtk_widget_get_width (GTK_WIDGET (editor)),
                      minimum);
      g_assert_not_reached ();
    }
  spin (100);
  if (dir != NULL)
    {
      g_autofree char *file = g_strdup_printf ("editor-%s-360.png", name);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      save_png (editor, path);
    }
  g_object_set_data (G_OBJECT (editor), "pb-test-width", GINT_TO_POINTER (default_width));
  resize (editor, default_width, default_height);
  g_assert_true (wait_until (has_width, editor, 5));
  /* Shown again, not closed. */
  if (watch != NULL)
    watch->destroyed = FALSE;
}
