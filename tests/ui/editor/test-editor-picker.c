/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-editor"

#include "config.h"

#include <string.h>


#include "editor-fixture.h"

/* The connector picker: search, keyboard, thousands of connectors. */

static guint
n_shown (PbConnectorPicker *picker)
{
  return pb_category_model_get_n_connectors (PB_CATEGORY_MODEL (
    pb_connector_picker_get_shown (picker)));
}

void
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

static guint
count_widgets (GtkWidget *root)
{
  guint n = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child);
  return n;
}

/* Thousands of connectors: the search as you type finds the right ones, and the list stays
 * virtualised (a few hundred widgets, not one row per connector). How fast each keystroke is
 * belongs to benchmarks/ui/bench-picker, not to a test. */
void
test_picker_thousands (void)
{
  g_autoptr(GListStore) store = g_list_store_new (PB_TYPE_CONNECTOR);
  const char * const categories[] = { "hris", "ats", "crm", "iam", "lms", "marketing" };
  /* Typed one key at a time, then cleared. */
  const char * const queries[] = { "c", "co", "con", "conn", "conne", "connector", "connector ",
                                   "connector 4", "connector 42", "connector 424",
                                   "connector 4242", "" };
  PbConnectorPicker *picker;
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

  picker = pb_connector_picker_new (NULL, G_LIST_MODEL (store));
  g_object_ref_sink (picker);
  gtk_window_present (GTK_WINDOW (picker));
  spin (100);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      guint expected = 0;

      /* Found by name or key, whatever the case. */
      for (guint c = 0; c < n; c++)
        {
          g_autofree char *name = g_strdup_printf ("connector %u", c);
          g_autofree char *key = g_strdup_printf ("connector%u", c);

          if (strstr (name, queries[i]) != NULL || strstr (key, queries[i]) != NULL)
            expected++;
        }
      pb_connector_picker_set_search_text (picker, queries[i]);
      spin (50);
      g_assert_cmpuint (n_shown (picker), ==, expected);
      g_assert_cmpuint (count_widgets (GTK_WIDGET (picker)), <, 2000);
    }
  g_assert_cmpuint (n_shown (picker), ==, n);

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

void
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
