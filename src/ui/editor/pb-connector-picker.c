/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-connector-picker"

#include "config.h"

#include "pb-editor-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pb-category-model.h"
#include "pb-editor.h"

struct _PbConnectorPicker
{
  AdwWindow           parent_instance;

  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkScrolledWindow  *scrolled_window;
  GtkGridView        *list_view;
  AdwStatusPage      *empty_page;

  GListModel         *connectors;
  GtkSortListModel   *sorted;
  PbCategoryModel    *grouped;      /* what matches, with headers; one model, updated */
  GtkSingleSelection *selection;
  char               *needle;       /* casefolded search text, NULL when empty */
  GArray             *entries;      /* Entry: the catalog in display order, folded */
  gboolean            entries_stale;
  GPtrArray          *matching;     /* PbConnector (borrowed): scratch for refresh() */
  GHashTable         *folded_labels;/* category key → casefolded label */
  guint               refresh_id;
  gboolean            chosen;
};

G_DEFINE_FINAL_TYPE (PbConnectorPicker, pb_connector_picker, ADW_TYPE_WINDOW)

/* What a search looks at, made once per catalog rather than on every keystroke (reading
 * 5,000 connectors through the sorted model and casefolding their names each time was a
 * good part of a keystroke). */
typedef struct
{
  PbConnector *connector;
  char        *names;    /* casefolded "name\nprovider" */
  const char  *label;    /* casefolded category label (in folded_labels) */
} Entry;

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->connector);
  g_clear_pointer (&entry->names, g_free);
}

enum {
  SIGNAL_CONNECTOR_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
folded_label (PbConnectorPicker *self,
              const char        *category)
{
  char *folded = g_hash_table_lookup (self->folded_labels, category != NULL ? category : "");

  if (folded == NULL)
    {
      g_autofree char *label = pb_category_display_label (category);

      folded = g_utf8_casefold (label, -1);
      g_hash_table_insert (self->folded_labels, g_strdup (category != NULL ? category : ""),
                           folded);
    }
  return folded;
}

static void
rebuild_entries (PbConnectorPicker *self)
{
  GListModel *sorted = G_LIST_MODEL (self->sorted);
  guint n = g_list_model_get_n_items (sorted);

  g_array_set_size (self->entries, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (sorted, i);
      PbConnector *connector;
      const char *name, *key;
      g_autofree char *both = NULL;
      Entry entry;

      if (!PB_IS_CONNECTOR (item))
        continue;
      connector = PB_CONNECTOR (item);
      name = pb_connector_get_provider_name (connector);
      key = pb_connector_get_provider (connector);
      /* A newline cannot be typed into the search entry, so no match spans both. */
      both = g_strconcat (name != NULL ? name : "", "\n", key != NULL ? key : "", NULL);
      entry.connector = PB_CONNECTOR (g_steal_pointer (&item));
      entry.names = g_utf8_casefold (both, -1);
      entry.label = folded_label (self, pb_connector_get_category (connector));
      g_array_append_val (self->entries, entry);
    }
  self->entries_stale = FALSE;
}

static gboolean
is_choosable (gpointer item)
{
  return PB_IS_CONNECTOR (item) && pb_connector_get_available (PB_CONNECTOR (item));
}

/* Index of the first choosable item from @from in direction @step, or GTK_INVALID_LIST_POSITION. */
static guint
find_choosable (PbConnectorPicker *self,
                guint              from,
                int                step)
{
  GListModel *model = G_LIST_MODEL (self->grouped);
  guint n = g_list_model_get_n_items (model);
  gint64 i;

  for (i = from; i >= 0 && i < n; i += step)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, (guint) i);

      if (is_choosable (item))
        return (guint) i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
select_position (PbConnectorPicker *self,
                 guint              position)
{
  guint scroll_to = position;

  gtk_single_selection_set_selected (self->selection, position);
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  /* Keep the heading of the first row of a category in view. */
  if (position > 0)
    {
      g_autoptr(GObject) before = g_list_model_get_item (G_LIST_MODEL (self->grouped),
                                                         position - 1);

      if (PB_IS_CATEGORY_HEADER (before))
        scroll_to = position - 1;
    }
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                              scroll_to);
}

/* What matches now, as one change of the shown model: the view keeps the rows of what
 * stayed and builds only the new ones (a new model each time made it build them all). */
static void
refresh (PbConnectorPicker *self)
{
  const char *needle = self->needle;
  gboolean empty, changed;

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  if (self->entries_stale)
    rebuild_entries (self);

  g_ptr_array_set_size (self->matching, 0);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      /* By name or key, or a category by the start of its name ("hr" finds HRIS), not by
       * any letter in it. */
      if (needle == NULL || strstr (entry->names, needle) != NULL
          || g_str_has_prefix (entry->label, needle))
        g_ptr_array_add (self->matching, entry->connector);
    }
  changed = pb_category_model_set_connectors (self->grouped,
                                              (PbConnector **) self->matching->pdata,
                                              self->matching->len);

  empty = pb_category_model_get_n_connectors (self->grouped) == 0;
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
  /* The first match is selected; a key that leaves the matches as they were leaves the
   * selection (maybe moved with the arrows) alone. */
  if (changed || gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
    select_position (self, find_choosable (self, 0, 1));
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  PbConnectorPicker *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* The catalog changed under the open picker (a reload): follow it once things settle. */
static void
on_sorted_items_changed_cb (GListModel        *model,
                            guint              position,
                            guint              removed,
                            guint              added,
                            PbConnectorPicker *self)
{
  self->entries_stale = TRUE;
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

static void
on_search_entry_search_changed_cb (GtkSearchEntry    *entry,
                                   PbConnectorPicker *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_autofree char *needle = *stripped != '\0' ? g_utf8_casefold (stripped, -1) : NULL;

  /* The entry reports its text again after its delay; nothing to do then. */
  if (g_strcmp0 (needle, self->needle) == 0)
    return;

  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);

  refresh (self);
}

static void
choose (PbConnectorPicker *self,
        PbConnector       *connector)
{
  if (self->chosen || !pb_connector_get_available (connector))
    return;

  self->chosen = TRUE;
  g_object_ref (self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_signal_emit (self, signals[SIGNAL_CONNECTOR_CHOSEN], 0, connector);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
on_search_entry_activate_cb (GtkSearchEntry    *entry,
                             PbConnectorPicker *self)
{
  pb_connector_picker_choose_selected (self);
}

static void
on_search_entry_stop_search_cb (GtkSearchEntry    *entry,
                                PbConnectorPicker *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (entry), "");
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_list_view_activate_cb (GtkGridView       *list_view,
                          guint              position,
                          PbConnectorPicker *self)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->grouped), position);

  if (is_choosable (item))
    choose (self, PB_CONNECTOR (item));
}

/* Up and Down in the search entry move through the list while the entry keeps the focus,
 * so that typing, arrows and Enter work without leaving it. */
static gboolean
on_search_key_pressed_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          PbConnectorPicker     *self)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      pb_connector_picker_move_selection (self, 1);
      return GDK_EVENT_STOP;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      pb_connector_picker_move_selection (self, -1);
      return GDK_EVENT_STOP;

    default:
      return GDK_EVENT_PROPAGATE;
    }
}

/* Rows: one widget that shows either a category heading or a connector. */

/* The full reason of an unavailable connector, from the row's data: setting a tooltip text
 * in each bind made GTK query the pointer from the X server for every row. */
static gboolean
on_row_query_tooltip_cb (GtkWidget  *row,
                         int         x,
                         int         y,
                         gboolean    keyboard_mode,
                         GtkTooltip *tooltip,
                         gpointer    user_data)
{
  const char *reason = g_object_get_data (G_OBJECT (row), "reason");

  if (reason == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, reason);
  return TRUE;
}

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     gpointer                  user_data)
{
  GtkWidget *box, *heading, *row, *texts, *title, *subtitle, *icon;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  heading = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_widget_set_margin_top (heading, 12);
  gtk_widget_set_margin_start (heading, 6);
  gtk_box_append (GTK_BOX (box), heading);

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_has_tooltip (row, TRUE);
  g_signal_connect (row, "query-tooltip", G_CALLBACK (on_row_query_tooltip_cb), NULL);
  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);

  icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", "application-x-addon-symbolic",
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  gtk_image_set_icon_size (GTK_IMAGE (icon), GTK_ICON_SIZE_LARGE);
  gtk_box_append (GTK_BOX (row), icon);

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (texts, TRUE);
  title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  /* No wrapping: a wrapping label is measured by laying it out again for every width and
   * height asked (a search with a few unavailable rows on screen took 150 ms a keystroke).
   * The reason of an unavailable connector gets a line per sentence instead, each ellipsized
   * when the window is narrow, and in full in the tooltip and the accessible name. */
  subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);
  gtk_box_append (GTK_BOX (row), texts);

  gtk_box_append (GTK_BOX (box), row);

  g_object_set_data (G_OBJECT (box), "heading", heading);
  g_object_set_data (G_OBJECT (box), "row", row);
  g_object_set_data (G_OBJECT (box), "title", title);
  g_object_set_data (G_OBJECT (box), "subtitle", subtitle);
  g_object_set_data (G_OBJECT (box), "icon", icon);
  gtk_list_item_set_child (list_item, box);
}

/* The cell (GTK 4.8 names it after its class) and what it shows say the same. */
static void
name_cell (GtkWidget  *box,
           const char *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* "A. B. C." → "A.\nB.\nC." */
static char *
sentence_per_line (const char *text)
{
  g_auto(GStrv) sentences = g_strsplit (text, ". ", -1);

  return g_strjoinv (".\n", sentences);
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *heading = g_object_get_data (G_OBJECT (box), "heading");
  GtkWidget *row = g_object_get_data (G_OBJECT (box), "row");
  GtkWidget *title = g_object_get_data (G_OBJECT (box), "title");
  GtkWidget *subtitle = g_object_get_data (G_OBJECT (box), "subtitle");
  GtkWidget *icon = g_object_get_data (G_OBJECT (box), "icon");
  GObject *item = gtk_list_item_get_item (list_item);

  if (PB_IS_CATEGORY_HEADER (item))
    {
      g_autofree char *label =
        pb_category_display_label (pb_category_header_get_category (PB_CATEGORY_HEADER (item)));

      gtk_label_set_text (GTK_LABEL (heading), label);
      gtk_widget_set_visible (heading, TRUE);
      gtk_widget_set_visible (row, FALSE);
      gtk_widget_set_sensitive (box, TRUE);
      gtk_list_item_set_selectable (list_item, FALSE);
      gtk_list_item_set_activatable (list_item, FALSE);
      name_cell (box, label);
    }
  else if (PB_IS_CONNECTOR (item))
    {
      PbConnector *connector = PB_CONNECTOR (item);
      const char * const *categories = pb_connector_get_categories (connector);
      gboolean available = pb_connector_get_available (connector);
      g_autoptr(GString) cats = g_string_new (NULL);
      g_autofree char *text = NULL;
      g_autofree char *accessible = NULL;

      for (guint i = 0; categories != NULL && categories[i] != NULL; i++)
        {
          g_autofree char *label = pb_category_display_label (categories[i]);

          if (cats->len > 0)
            g_string_append (cats, " · ");
          g_string_append (cats, label);
        }
      if (cats->len == 0)
        {
          g_autofree char *label = pb_category_display_label (pb_connector_get_category (connector));

          g_string_append (cats, label);
        }

      if (available)
        text = g_strdup (cats->str);
      else if (pb_connector_get_unavailable_reason (connector) != NULL)
        /* Translators: categories, then why the connector cannot be chosen */
        text = g_strdup_printf (_("%s — %s"), cats->str,
                                pb_connector_get_unavailable_reason (connector));
      else
        /* Translators: %s is a list of categories */
        text = g_strdup_printf (_("%s — Not included in your plan. Contact your support "
                                  "manager."), cats->str);

      gtk_label_set_text (GTK_LABEL (title), pb_connector_get_provider_name (connector));
      if (available)
        gtk_label_set_text (GTK_LABEL (subtitle), text);
      else
        {
          g_autofree char *lines = sentence_per_line (text);

          gtk_label_set_text (GTK_LABEL (subtitle), lines);
        }
      g_object_set_data_full (G_OBJECT (row), "reason", available ? NULL : g_strdup (text),
                              g_free);
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), available
                                                      ? "application-x-addon-symbolic"
                                                      : "system-lock-screen-symbolic");
      gtk_widget_set_visible (heading, FALSE);
      gtk_widget_set_visible (row, TRUE);
      gtk_widget_set_sensitive (box, available);
      gtk_list_item_set_selectable (list_item, available);
      gtk_list_item_set_activatable (list_item, available);

      accessible = g_strdup_printf ("%s, %s", pb_connector_get_provider_name (connector), text);
      name_cell (box, accessible);
    }
}

static void
pb_connector_picker_dispose (GObject *object)
{
  PbConnectorPicker *self = PB_CONNECTOR_PICKER (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->sorted != NULL)
    g_signal_handlers_disconnect_by_func (self->sorted, on_sorted_items_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_CONNECTOR_PICKER);

  g_clear_object (&self->selection);
  g_clear_object (&self->grouped);
  g_clear_object (&self->sorted);
  g_clear_object (&self->connectors);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->matching, g_ptr_array_unref);
  g_clear_pointer (&self->folded_labels, g_hash_table_unref);

  G_OBJECT_CLASS (pb_connector_picker_parent_class)->dispose (object);
}

static void
pb_connector_picker_finalize (GObject *object)
{
  PbConnectorPicker *self = PB_CONNECTOR_PICKER (object);

  g_free (self->needle);

  G_OBJECT_CLASS (pb_connector_picker_parent_class)->finalize (object);
}

static void
pb_connector_picker_class_init (PbConnectorPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_connector_picker_dispose;
  object_class->finalize = pb_connector_picker_finalize;

  /**
   * PbConnectorPicker::connector-chosen:
   * @connector: the chosen PbConnector
   *
   * Emitted once, when the admin chose an available connector; the window closes after.
   */
  signals[SIGNAL_CONNECTOR_CHOSEN] =
    g_signal_new ("connector-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PB_TYPE_CONNECTOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/plugboard/Plugboard/editor/"
                                               "pb-connector-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, PbConnectorPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PbConnectorPicker, stack);
  gtk_widget_class_bind_template_child (widget_class, PbConnectorPicker, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PbConnectorPicker, list_view);
  gtk_widget_class_bind_template_child (widget_class, PbConnectorPicker, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate_cb);
}

/* The rules for the list (pb-editor.css), once per display; the integration editor loads
 * the same file for its own rules. */
static void
pb_connector_picker_init (PbConnectorPicker *self)
{
  GtkListItemFactory *factory;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  pb_editor_load_style (GTK_WIDGET (self));

  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->entries_stale = TRUE;
  self->matching = g_ptr_array_new ();
  self->folded_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->grouped = g_object_new (PB_TYPE_CATEGORY_MODEL, NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->grouped)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind_cb), self);
  gtk_grid_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
}

static guint
connector_rank (PbConnector *connector,
                gpointer     user_data)
{
  return pb_category_rank (pb_connector_get_category (connector));
}

/* The order of pb_category_model_compare(), as sorters with keys: GTK computes each key
 * once instead of collating names in every comparison, which counts with thousands. */
static GtkSorter *
make_sorter (void)
{
  GtkMultiSorter *sorter = gtk_multi_sorter_new ();
  GtkExpression *rank;
  GtkStringSorter *by_category, *by_name, *by_key;

  rank = gtk_cclosure_expression_new (G_TYPE_UINT, NULL, 0, NULL,
                                      G_CALLBACK (connector_rank), NULL, NULL);
  gtk_multi_sorter_append (sorter, GTK_SORTER (gtk_numeric_sorter_new (rank)));
  by_category = gtk_string_sorter_new (gtk_property_expression_new (PB_TYPE_CONNECTOR, NULL,
                                                                    "category"));
  gtk_multi_sorter_append (sorter, GTK_SORTER (by_category));
  by_name = gtk_string_sorter_new (gtk_property_expression_new (PB_TYPE_CONNECTOR, NULL,
                                                                "provider-name"));
  gtk_multi_sorter_append (sorter, GTK_SORTER (by_name));
  by_key = gtk_string_sorter_new (gtk_property_expression_new (PB_TYPE_CONNECTOR, NULL,
                                                               "provider"));
  gtk_multi_sorter_append (sorter, GTK_SORTER (by_key));

  return GTK_SORTER (sorter);
}

/**
 * pb_connector_picker_new:
 * @parent: (nullable): the window it is modal for
 * @connectors: a GListModel of PbConnector (the catalog)
 *
 * Returns: (transfer none): the picker; it is a toplevel and destroys itself when closed
 */
PbConnectorPicker *
pb_connector_picker_new (GtkWindow  *parent,
                         GListModel *connectors)
{
  PbConnectorPicker *self;
  GtkSorter *sorter;

  g_return_val_if_fail (G_IS_LIST_MODEL (connectors), NULL);

  self = g_object_new (PB_TYPE_CONNECTOR_PICKER,
                       "transient-for", parent,
                       NULL);

  self->connectors = g_object_ref (connectors);
  sorter = make_sorter ();
  self->sorted = gtk_sort_list_model_new (g_object_ref (connectors), sorter);
  g_signal_connect (self->sorted, "items-changed",
                    G_CALLBACK (on_sorted_items_changed_cb), self);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->search_entry));
  refresh (self);

  return self;
}

void
pb_connector_picker_set_search_text (PbConnectorPicker *self,
                                     const char        *text)
{
  const char *current;

  g_return_if_fail (PB_IS_CONNECTOR_PICKER (self));

  current = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (text == NULL)
    text = "";

  /* Append what extends the current text, as typing does, rather than replacing it. */
  if (*current != '\0' && g_str_has_prefix (text, current))
    {
      int position = -1;

      gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
      position = gtk_editable_get_position (GTK_EDITABLE (self->search_entry));
      gtk_editable_insert_text (GTK_EDITABLE (self->search_entry), text + strlen (current), -1,
                                &position);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* Apply at once rather than after the entry's search delay. */
  on_search_entry_search_changed_cb (self->search_entry, self);
}

GListModel *
pb_connector_picker_get_shown (PbConnectorPicker *self)
{
  g_return_val_if_fail (PB_IS_CONNECTOR_PICKER (self), NULL);

  return G_LIST_MODEL (self->grouped);
}

PbConnector *
pb_connector_picker_get_selected (PbConnectorPicker *self)
{
  gpointer item;

  g_return_val_if_fail (PB_IS_CONNECTOR_PICKER (self), NULL);

  item = gtk_single_selection_get_selected_item (self->selection);
  return is_choosable (item) ? PB_CONNECTOR (item) : NULL;
}

void
pb_connector_picker_move_selection (PbConnectorPicker *self,
                                    int                step)
{
  guint current, next;

  g_return_if_fail (PB_IS_CONNECTOR_PICKER (self));
  g_return_if_fail (step == 1 || step == -1);

  current = gtk_single_selection_get_selected (self->selection);
  if (current == GTK_INVALID_LIST_POSITION)
    next = find_choosable (self, 0, 1);
  else if (step < 0 && current == 0)
    return;
  else
    next = find_choosable (self, current + step, step);

  if (next != GTK_INVALID_LIST_POSITION)
    select_position (self, next);
}

gboolean
pb_connector_picker_choose_selected (PbConnectorPicker *self)
{
  PbConnector *connector;

  g_return_val_if_fail (PB_IS_CONNECTOR_PICKER (self), FALSE);

  connector = pb_connector_picker_get_selected (self);
  if (connector == NULL)
    return FALSE;

  choose (self, connector);
  return TRUE;
}
