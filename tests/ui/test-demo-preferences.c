/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include <string.h>

#include "pb-preferences.h"

#include "demo-fixture.h"

/* The reset as a person does it: Preferences' Local Demo group, its question and progress. */

static GtkWidget *
find_widget (GtkWidget *root, gboolean (*match) (GtkWidget *, gconstpointer), gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_group_titled (GtkWidget *widget, gconstpointer title)
{
  return ADW_IS_PREFERENCES_GROUP (widget)
         && g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)),
                       title) == 0;
}

static gboolean
is_button_labelled (GtkWidget *widget, gconstpointer label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)),
                                              label) == 0;
}

static gboolean
is_of_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static GtkWindow *
find_toplevel (GType type, GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type)
          && (parent == NULL || gtk_window_get_transient_for (w) == parent)
          && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

typedef struct
{
  GType      type;
  GtkWindow *parent;
} ToplevelWait;

static gboolean
toplevel_shown (gpointer data)
{
  ToplevelWait *w = data;

  return find_toplevel (w->type, w->parent) != NULL;
}

static gboolean
toplevel_gone (gpointer data)
{
  return !toplevel_shown (data);
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (data));
}

/* Clicks the dialog's button for @label, as a person would. */
static void
choose (AdwMessageDialog *dialog, const char *label)
{
  GtkWidget *button = find_widget (GTK_WIDGET (dialog), is_button_labelled, label);

  g_assert_nonnull (button);
  gtk_widget_activate (button);
}

static gboolean
widget_insensitive (gpointer data)
{
  return !gtk_widget_get_sensitive (GTK_WIDGET (data));
}

static AdwMessageDialog *
press_reset (GtkWidget *button, GtkWindow *prefs)
{
  ToplevelWait w = { ADW_TYPE_MESSAGE_DIALOG, prefs };
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_get_sensitive (button));
  gtk_widget_activate (button);
  pb_test_wait_until (toplevel_shown, &w, PB_TEST_TIMEOUT_MS);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, prefs));
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  g_assert_true (adw_message_dialog_has_response (dialog, "reset"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "reset"), ==, "_Reset Demo");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "reset"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  return dialog;
}

/* The Local Demo group shows while the demo is in use; its Reset button asks first: Cancel
 * changes nothing, Reset Demo resets with progress shown, then says it is done. */
void
test_demo_preferences (void)
{
  g_autoptr(GPtrArray) old_ids = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) new_ids = NULL;
  ToplevelWait prefs_wait = { PB_TYPE_PREFERENCES, NULL };
  ToplevelWait dialog_wait = { ADW_TYPE_MESSAGE_DIALOG, NULL };
  PbApplication *app;
  PbWindow *window;
  GtkWindow *prefs;
  GtkWidget *group, *button, *row, *spinner;
  AdwMessageDialog *dialog;
  GPid pid;

  app = start_app_without_project (&window);
  old_ids = demo_project_ids (app, FALSE);
  pid = the_demo_server_pid ();

  pb_application_present_preferences (app, GTK_WINDOW (window));
  prefs_wait.parent = GTK_WINDOW (window);
  pb_test_wait_until (toplevel_shown, &prefs_wait, PB_TEST_TIMEOUT_MS);
  prefs = find_toplevel (PB_TYPE_PREFERENCES, GTK_WINDOW (window));
  g_assert_nonnull (prefs);
  pb_test_spin_for (100);

  group = find_widget (GTK_WIDGET (prefs), is_group_titled, "Local Demo");
  g_assert_nonnull (group);
  g_assert_true (gtk_widget_is_visible (group));
  button = find_widget (group, is_button_labelled, "_Reset…");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_has_css_class (button, "destructive-action"));
  g_assert_true (gtk_widget_get_focusable (button));
  row = find_widget (group, is_of_type, GSIZE_TO_POINTER (ADW_TYPE_ACTION_ROW));
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Reset Demo");
  spinner = find_widget (group, is_of_type, GSIZE_TO_POINTER (GTK_TYPE_SPINNER));
  g_assert_nonnull (spinner);
  g_assert_false (gtk_widget_get_visible (spinner));

  /* Keyboard: the button takes the focus. */
  g_assert_true (gtk_widget_grab_focus (button));
  g_assert_true (gtk_widget_has_focus (button));

  /* Reset… asks first; Cancel: nothing happens. */
  dialog = press_reset (button, prefs);
  dialog_wait.parent = prefs;
  choose (dialog, "_Cancel");
  pb_test_wait_until (toplevel_gone, &dialog_wait, PB_TEST_TIMEOUT_MS);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, prefs));
  pb_test_spin_for (300);
  ids = demo_project_ids (app, FALSE);
  g_assert_cmpuint (ids->len, ==, old_ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (ids, i), ==, g_ptr_array_index (old_ids, i));
  g_assert_false (pid_gone (pid));
  g_assert_false (pb_demo_backend_get_resetting (pb_application_get_demo (app)));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_false (gtk_widget_get_visible (spinner));

  /* Reset Demo: progress, then done, with new projects. */
  dialog = press_reset (button, prefs);
  choose (dialog, "_Reset Demo");
  pb_test_wait_until (widget_insensitive, button, PB_TEST_TIMEOUT_MS);
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Resetting…");
  pb_test_wait_until (widget_sensitive, button, PB_TEST_TIMEOUT_MS);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_false (gtk_widget_get_visible (spinner));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "original data"));
  g_assert_true (gtk_widget_is_visible (group));
  new_ids = demo_project_ids (app, FALSE);
  g_assert_cmpuint (new_ids->len, ==, old_ids->len);
  for (guint i = 0; i < new_ids->len; i++)
    g_assert_false (ids_contain (old_ids, g_ptr_array_index (new_ids, i)));
  g_assert_true (pid_gone (pid));

  /* A reset whose new start fails: the row says so (and the group stays, to try again). */
  {
    g_autofree char *server = g_strdup (g_getenv ("PLUGBOARD_SERVER"));

    g_setenv ("PLUGBOARD_SERVER", "/nonexistent/plugboard-server", TRUE);
    dialog = press_reset (button, prefs);
    choose (dialog, "_Reset Demo");
    pb_test_wait_until (widget_insensitive, button, PB_TEST_TIMEOUT_MS);
    pb_test_wait_until (widget_sensitive, button, PB_TEST_TIMEOUT_MS);
    g_setenv ("PLUGBOARD_SERVER", server, TRUE);
  }
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "could not be started again"));
  g_assert_false (pb_demo_backend_get_running (pb_application_get_demo (app)));
  g_assert_true (gtk_widget_is_visible (group));

  dialog = press_reset (button, prefs);
  choose (dialog, "_Reset Demo");
  pb_test_wait_until (widget_insensitive, button, PB_TEST_TIMEOUT_MS);
  pb_test_wait_until (widget_sensitive, button, PB_TEST_TIMEOUT_MS);
  g_assert_true (pb_demo_backend_get_running (pb_application_get_demo (app)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "original data"));

  quit_app (app);
}
