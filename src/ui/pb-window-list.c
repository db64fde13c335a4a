/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-window-private.h"

/* ----------------------------------------------------------------------------------------- */
/* Filtering and sorting */

static GQuark
folded_quark (void)
{
  return g_quark_from_static_string ("pb-window-folded");
}

/* "name\nconnector label", casefolded once per integration object (they are immutable). */
static const char *
folded_text (PbIntegration *integration)
{
  const char *folded = g_object_get_qdata (G_OBJECT (integration), folded_quark ());

  if (folded == NULL)
    {
      g_autofree char *text = g_strconcat (pb_integration_get_name (integration), "\n",
                                           pb_integration_get_connector_label (integration),
                                           NULL);
      char *f = g_utf8_casefold (text, -1);

      g_object_set_qdata_full (G_OBJECT (integration), folded_quark (), f, g_free);
      folded = f;
    }
  return folded;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  PbWindow *self = user_data;
  PbIntegration *integration = item;

  /* A category outside the plan lists nothing: its connectors cannot be used under it. */
  if (self->category_locked)
    return FALSE;
  if (self->state == STATE_ENABLED && !pb_integration_get_active (integration))
    return FALSE;
  if (self->state == STATE_DISABLED && pb_integration_get_active (integration))
    return FALSE;
  if (self->category != NULL
      && !g_strv_contains (pb_integration_get_categories (integration), self->category))
    return FALSE;
  if (self->search != NULL && strstr (folded_text (integration), self->search) == NULL)
    return FALSE;
  return TRUE;
}

/* ----------------------------------------------------------------------------------------- */
/* The list */

static void restore_row_focus (PbWindow  *self,
                               GtkWidget *row,
                               gboolean   force);

static GMenuModel *
row_menu_func (PbIntegration *integration,
               gpointer       user_data)
{
  return pb_window_build_menu (PB_WINDOW (user_data), pb_integration_get_id (integration));
}

GMenuModel *
pb_window_build_menu (PbWindow   *self,
                      const char *id)
{
  PbIntegration *integration;
  PbIntegrationFacts facts;

  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);

  if (self->project == NULL || (integration = pb_ui_project_find (self->project, id)) == NULL)
    return G_MENU_MODEL (g_menu_new ());
  pb_ui_project_get_facts (self->project, integration, &facts);
  return pb_integration_menu_new (integration, &facts, self->read_only);
}

static GtkWidget *
header_widget_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *category = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "pb-connector-header");
  /* A grid row may be taller than the header (see pb-window.ui): it stays with its group. */
  gtk_widget_set_valign (box, GTK_ALIGN_END);
  gtk_widget_set_vexpand (box, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (category, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (category), 0);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), category);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_ROLE_DESCRIPTION,
                                  _("Connector"), -1);
  return box;
}

static void
header_widget_bind (GtkWidget         *box,
                    PbConnectorHeader *header)
{
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *category = gtk_widget_get_next_sibling (title);
  const char *key = pb_connector_header_get_category (header);
  g_autofree char *category_label = key != NULL && *key != '\0'
                                    ? pb_category_display_label (key) : g_strdup ("");
  g_autofree char *dotted = g_strdup_printf ("· %s", category_label);
  g_autofree char *accessible = g_strdup_printf ("%s, %s",
                                                 pb_connector_header_get_connector_label (header),
                                                 category_label);

  gtk_label_set_label (GTK_LABEL (title), pb_connector_header_get_connector_label (header));
  gtk_label_set_label (GTK_LABEL (category), dotted);
  gtk_widget_set_visible (category, *category_label != '\0');
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

/* Each cell keeps the connector header and the integration row it has made and shows one:
 * headers and rows interleave differently after each filter change, and swapping children
 * would rebuild composite templates on every keystroke. Both are made when first needed
 * (GTK 4.8 makes new cells for every item of a wholesale change, such as a category). */
static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  PbWindow                 *self)
{
  gtk_list_item_set_child (list_item, gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
}

static GtkWidget *
cell_get_header (GtkWidget *cell)
{
  GtkWidget *header = g_object_get_data (G_OBJECT (cell), "header");

  if (header == NULL)
    {
      header = header_widget_new ();
      gtk_box_prepend (GTK_BOX (cell), header);
      g_object_set_data (G_OBJECT (cell), "header", header);
    }
  return header;
}

static GtkWidget *
cell_get_row (PbWindow  *self,
              GtkWidget *cell)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (cell), "row");

  if (row == NULL)
    {
      row = pb_integration_row_new ();
      gtk_widget_set_vexpand (row, TRUE);   /* the card fills a taller grid row */
      pb_integration_row_set_menu_func (PB_INTEGRATION_ROW (row), row_menu_func, self);
      g_object_bind_property (self, "compact", row, "compact", G_BINDING_SYNC_CREATE);
      g_object_bind_property (self, "read-only", row, "read-only", G_BINDING_SYNC_CREATE);
      g_object_bind_property (self, "offline-store", row, "store", G_BINDING_SYNC_CREATE);
      /* A change asked from the row's switch that ended without changing the integration
       * (refused, failed, given up): the switch goes back. */
      g_signal_connect_object (self, "changes-settled", G_CALLBACK (pb_integration_row_sync),
                               row, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (cell), row);
      g_object_set_data (G_OBJECT (cell), "row", row);
    }
  return row;
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 PbWindow                 *self)
{
  GObject *item = gtk_list_item_get_item (list_item);
  GtkWidget *cell = gtk_list_item_get_child (list_item);
  GtkWidget *header = g_object_get_data (G_OBJECT (cell), "header");
  GtkWidget *row = g_object_get_data (G_OBJECT (cell), "row");

  /* A header's cell takes the focus only to hand it to the next row (see
   * on_focus_widget_cb): GTK 4.8's list skips itself when the item it remembers as focused
   * cannot take the focus, as a header at the top can't. */
  gtk_list_item_set_selectable (list_item, PB_IS_CONNECTOR_HEADER (item));
  if (PB_IS_CONNECTOR_HEADER (item))
    {
      header = cell_get_header (cell);
      header_widget_bind (header, PB_CONNECTOR_HEADER (item));
    }
  else if (PB_IS_INTEGRATION (item))
    {
      row = cell_get_row (self, cell);
      pb_integration_row_set_integration (PB_INTEGRATION_ROW (row), PB_INTEGRATION (item));
    }
  if (header != NULL)
    gtk_widget_set_visible (header, PB_IS_CONNECTOR_HEADER (item));
  if (row != NULL)
    gtk_widget_set_visible (row, PB_IS_INTEGRATION (item));
  /* GTK 4.8 names the cell after its class: it says what it holds. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (cell)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  PB_IS_INTEGRATION (item)
                                  ? pb_integration_get_name (PB_INTEGRATION (item))
                                  : pb_connector_header_get_connector_label (PB_CONNECTOR_HEADER (item)),
                                  -1);
  if (PB_IS_INTEGRATION (item))
    restore_row_focus (self, row, FALSE);
}

/* ----------------------------------------------------------------------------------------- */
/* The keyboard in the list (ux.md): Tab and Shift+Tab move among a row's controls and leave
 * the list after them, arrows move from row to row. GTK 4.8's grid view would move Tab from
 * row to row and stop its arrows at the connector headers, which take no focus. */

/* The row a cell of the list shows, NULL for a header's. */
static GtkWidget *
cell_row (GtkWidget *list_item_widget)
{
  GtkWidget *cell = gtk_widget_get_first_child (list_item_widget);
  GtkWidget *row = cell != NULL ? g_object_get_data (G_OBJECT (cell), "row") : NULL;

  return row != NULL && gtk_widget_get_visible (row) ? row : NULL;
}

/* The list's item widgets are its children, in the order of the items. */
static gboolean
focus_next_row (GtkWidget *list_item_widget,
                int        step)
{
  for (GtkWidget *item = step > 0 ? gtk_widget_get_next_sibling (list_item_widget)
                                  : gtk_widget_get_prev_sibling (list_item_widget);
       item != NULL;
       item = step > 0 ? gtk_widget_get_next_sibling (item) : gtk_widget_get_prev_sibling (item))
    {
      GtkWidget *row = cell_row (item);

      if (row != NULL && gtk_widget_grab_focus (row))
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
list_item_widget_of (PbWindow  *self,
                     GtkWidget *widget)
{
  while (widget != NULL && gtk_widget_get_parent (widget) != GTK_WIDGET (self->list_view))
    widget = gtk_widget_get_parent (widget);
  return widget;
}

/* Tab out of a list: the window moves the focus on as if the list could not take it. */
static void
leave_list (PbWindow         *self,
            GtkWidget        *list,
            GtkDirectionType  direction)
{
  gtk_widget_set_can_focus (list, FALSE);
  if (!gtk_widget_child_focus (GTK_WIDGET (self), direction))
    gtk_widget_child_focus (GTK_WIDGET (self), direction);   /* wrapped around */
  gtk_widget_set_can_focus (list, TRUE);
}

static gboolean
is_tab (guint            keyval,
        GdkModifierType  state,
        GtkDirectionType *direction)
{
  state &= gtk_accelerator_get_default_mod_mask ();
  if ((keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
      || (state & ~GDK_SHIFT_MASK) != 0)
    return FALSE;
  *direction = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK)
               ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD;
  return TRUE;
}

static gboolean
on_list_key_pressed_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        PbWindow              *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, PB_TYPE_INTEGRATION_ROW)
                                 : NULL;
  GtkDirectionType direction;

  if (row == NULL)
    return FALSE;
  state &= gtk_accelerator_get_default_mod_mask ();

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (state != 0)
        return FALSE;
      focus_next_row (list_item_widget_of (self, row),
                      keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up ? -1 : 1);
      return TRUE;

    default:
      if (!is_tab (keyval, state, &direction))
        return FALSE;
      if (!gtk_widget_child_focus (row, direction))
        leave_list (self, GTK_WIDGET (self->list_view), direction);
      return TRUE;
    }
}

/* The sidebar's lists are one Tab stop each; their arrows move the focus and select nothing:
 * a category is chosen with Enter, Space or a click (row-activated). */
static gboolean
on_sidebar_key_pressed_cb (GtkEventControllerKey *controller,
                           guint                  keyval,
                           guint                  keycode,
                           GdkModifierType        state,
                           PbWindow              *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkDirectionType direction;

  if (!is_tab (keyval, state, &direction))
    return FALSE;
  leave_list (self, list, direction);
  return TRUE;
}

static void
on_sidebar_move_cursor_cb (GtkListBox      *list,
                           GtkMovementStep  step,
                           int              count,
                           gboolean         extend,
                           gboolean         modify,
                           PbWindow        *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;
  GtkListBoxRow *next = NULL;
  int index;

  g_signal_stop_emission_by_name (list, "move-cursor");
  if (row == NULL || gtk_widget_get_parent (row) != GTK_WIDGET (list))
    return;
  index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  if (step == GTK_MOVEMENT_BUFFER_ENDS || step == GTK_MOVEMENT_PAGES)
    index = count < 0 ? 0 : G_MAXINT;
  else
    index += count < 0 ? -1 : 1;
  if (index == G_MAXINT)
    for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
      next = gtk_list_box_get_row_at_index (list, i);
  else if (index >= 0)
    next = gtk_list_box_get_row_at_index (list, index);
  if (next != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (next));
}

/* The focus on a header's cell goes on to the row after it (or before it, at the end).
 * The integration whose row has the focus is remembered: when its row is rebuilt (a change
 * replaces the integration, the list refilters), the new row takes the focus back. */
static void
on_focus_widget_cb (PbWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *row;

  /* Its row went away, or GTK moved it while the editor or a dialog is in front: keep
   * focus_id for the new row. */
  if (focus == NULL || !gtk_window_is_active (GTK_WINDOW (self)))
    return;
  row = gtk_widget_get_ancestor (focus, PB_TYPE_INTEGRATION_ROW);
  if (row != NULL)
    {
      PbIntegration *integration = pb_integration_row_get_integration (PB_INTEGRATION_ROW (row));

      g_free (self->focus_id);
      self->focus_id = integration != NULL ? g_strdup (pb_integration_get_id (integration)) : NULL;
      return;
    }
  if (gtk_widget_get_parent (focus) != GTK_WIDGET (self->list_view))
    {
      g_clear_pointer (&self->focus_id, g_free);
      return;
    }
  if (!focus_next_row (focus, 1))
    focus_next_row (focus, -1);
}

/* @row takes the focus if it shows focus_id's integration and the focus is nowhere, or in a
 * window behind the editor or a dialog, or @force. */
static void
restore_row_focus (PbWindow  *self,
                   GtkWidget *row,
                   gboolean   force)
{
  PbIntegration *integration = pb_integration_row_get_integration (PB_INTEGRATION_ROW (row));

  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (self->focus_id != NULL && focus != row
      && (force || focus == NULL || !gtk_window_is_active (GTK_WINDOW (self)))
      && integration != NULL && g_strcmp0 (pb_integration_get_id (integration),
                                           self->focus_id) == 0)
    gtk_widget_grab_focus (row);
}

/* Back from a dialog or the editor with the focus gone with the row it was on. */
static void
on_is_active_cb (PbWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (self->focus_id == NULL || !gtk_window_is_active (GTK_WINDOW (self))
      || (focus != NULL && gtk_widget_get_ancestor (focus, PB_TYPE_INTEGRATION_ROW) != NULL))
    return;
  /* Not on its row: as if the window were not active yet, the row takes it back. */
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = cell_row (item);

      if (row != NULL)
        restore_row_focus (self, row, TRUE);
    }
}

/* ----------------------------------------------------------------------------------------- */
/* The sidebar */

static PbCategory *find_category (PbWindow   *self,
                                  const char *key);

static gboolean
category_is_locked (PbWindow   *self,
                    const char *key)
{
  PbCategory *category = find_category (self, key);

  return category != NULL && !pb_category_get_available (category);
}

/* After the project's categories changed (another project, another plan). */
static void
update_category_locked (PbWindow *self)
{
  gboolean locked = category_is_locked (self, self->category);

  if (locked == self->category_locked)
    return;
  self->category_locked = locked;
  gtk_filter_changed (GTK_FILTER (self->filter), locked ? GTK_FILTER_CHANGE_MORE_STRICT
                                                        : GTK_FILTER_CHANGE_LESS_STRICT);
}

static GtkWidget *
category_row_new (const char   *key,
                  const char   *label,
                  guint         count,
                  PbCategory *category)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (label);
  GtkWidget *count_label;
  gboolean available = category == NULL || pb_category_get_available (category);
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  g_autofree char *accessible = NULL;

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (box, "pb-category-row");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (box), texts);

  if (available)
    {
      count_label = gtk_label_new (count_text);
      gtk_widget_set_valign (count_label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (count_label, "dim-label");
      gtk_widget_add_css_class (count_label, "numeric");
      gtk_box_append (GTK_BOX (box), count_label);
      g_object_set_data (G_OBJECT (row), "count-label", count_label);
      accessible = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u integration",
                                                 "%s, %u integrations", count), label, count);
    }
  else
    {
      const char *reason = pb_category_get_unavailable_reason (category);
      GtkWidget *subtitle = gtk_label_new (reason);
      GtkWidget *lock = gtk_image_new_from_icon_name ("system-lock-screen-symbolic");

      gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
      gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
      gtk_widget_add_css_class (subtitle, "dim-label");
      gtk_widget_add_css_class (subtitle, "caption");
      gtk_widget_add_css_class (title, "dim-label");
      gtk_box_append (GTK_BOX (texts), subtitle);
      gtk_widget_set_valign (lock, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (lock), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Not available"), -1);
      gtk_box_append (GTK_BOX (box), lock);
      gtk_widget_set_tooltip_text (row, reason);
      accessible = g_strdup_printf ("%s, %s", label, reason);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "category-key", g_strdup (key), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  return row;
}

static void
update_category_row_count (GtkWidget  *row,
                           const char *label,
                           guint       count)
{
  GtkWidget *count_label = g_object_get_data (G_OBJECT (row), "count-label");
  g_autofree char *text = g_strdup_printf ("%u", count);
  g_autofree char *accessible = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%s, %u integration",
                                                              "%s, %u integrations", count),
                                                 label, count);

  if (count_label == NULL)
    return;
  gtk_label_set_label (GTK_LABEL (count_label), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

/* The categories' counts add up to more than All when connectors serve several of them: the
 * note under the list says so then. Locked categories show no count, and count for nothing. */
static void
update_counts_note (PbWindow *self)
{
  GListModel *categories;
  guint sum = 0, all;

  if (self->project == NULL || !pb_ui_project_get_loaded (self->project))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->counts_note), FALSE);
      return;
    }
  categories = pb_ui_project_get_categories (self->project);
  all = g_list_model_get_n_items (pb_ui_project_get_integrations (self->project));
  for (guint i = 0; i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (categories, i);

      if (pb_category_get_available (category))
        sum += pb_category_get_count (category);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->counts_note), sum > all);
}

static void
update_sidebar_counts (PbWindow *self)
{
  GListModel *categories;
  GtkListBoxRow *row;
  guint n;

  if (self->project == NULL)
    return;
  categories = pb_ui_project_get_categories (self->project);
  n = g_list_model_get_n_items (categories);

  row = gtk_list_box_get_row_at_index (self->category_list, 0);
  if (row != NULL)
    update_category_row_count (GTK_WIDGET (row), _("All"),
                               g_list_model_get_n_items (pb_ui_project_get_integrations (self->project)));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (categories, i);

      row = gtk_list_box_get_row_at_index (self->category_list, i + 1);
      if (row != NULL)
        update_category_row_count (GTK_WIDGET (row), pb_category_get_label (category),
                                   pb_category_get_count (category));
    }
  update_counts_note (self);
}

void
pb_window_rebuild_sidebar (PbWindow *self)
{
  GtkWidget *child;
  GtkListBoxRow *selected = NULL;

  /* The store notifies "count" after each change; the rows follow. */
  if (self->project != NULL)
    {
      GListModel *categories = pb_ui_project_get_categories (self->project);

      for (guint i = 0; i < g_list_model_get_n_items (categories); i++)
        {
          g_autoptr(PbCategory) category = g_list_model_get_item (categories, i);

          g_signal_handlers_disconnect_by_func (category, update_sidebar_counts, self);
          g_signal_connect_object (category, "notify::count",
                                   G_CALLBACK (update_sidebar_counts), self,
                                   G_CONNECT_SWAPPED);
        }
    }

  self->rebuilding_sidebar = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->category_list))) != NULL)
    gtk_list_box_remove (self->category_list, child);

  if (self->project != NULL && pb_ui_project_get_loaded (self->project))
    {
      GListModel *categories = pb_ui_project_get_categories (self->project);
      GtkWidget *all = category_row_new (NULL, _("All"),
                                         g_list_model_get_n_items (pb_ui_project_get_integrations (self->project)),
                                         NULL);

      gtk_list_box_append (self->category_list, all);
      selected = GTK_LIST_BOX_ROW (all);
      for (guint i = 0; i < g_list_model_get_n_items (categories); i++)
        {
          g_autoptr(PbCategory) category = g_list_model_get_item (categories, i);
          GtkWidget *row = category_row_new (pb_category_get_key (category),
                                             pb_category_get_label (category),
                                             pb_category_get_count (category), category);

          gtk_list_box_append (self->category_list, row);
          if (g_strcmp0 (self->category, pb_category_get_key (category)) == 0)
            selected = GTK_LIST_BOX_ROW (row);
        }
    }
  if (selected != NULL)
    gtk_list_box_select_row (self->category_list, selected);
  if (selected == NULL || g_object_get_data (G_OBJECT (selected), "category-key") == NULL)
    g_clear_pointer (&self->category, g_free);
  self->rebuilding_sidebar = FALSE;
  update_counts_note (self);
  update_category_locked (self);
}

static void
set_category (PbWindow   *self,
              const char *category)
{
  if (g_strcmp0 (self->category, category) == 0)
    return;
  g_free (self->category);
  self->category = g_strdup (category);
  self->category_locked = category_is_locked (self, category);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  pb_window_update_view (self);
}

static void
on_category_list_row_selected_cb (PbWindow      *self,
                                  GtkListBoxRow *row)
{
  if (self->rebuilding_sidebar || row == NULL)
    return;
  set_category (self, g_object_get_data (G_OBJECT (row), "category-key"));
}

static void
on_category_list_row_activated_cb (PbWindow      *self,
                                   GtkListBoxRow *row)
{
  /* Enter or Space on a category the arrows reached: choose it. */
  gtk_list_box_select_row (self->category_list, row);
  /* Folded: choosing a category shows its integrations. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

gboolean
pb_window_select_category (PbWindow   *self,
                           const char *category)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (PB_IS_WINDOW (self), FALSE);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->category_list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "category-key"), category) == 0)
      {
        gtk_list_box_select_row (self->category_list, row);
        return TRUE;
      }
  return FALSE;
}

/* ----------------------------------------------------------------------------------------- */
/* The content's state: list, empty states, notice */

static PbCategory *
find_category (PbWindow   *self,
               const char *key)
{
  GListModel *categories;

  if (self->project == NULL || key == NULL)
    return NULL;
  categories = pb_ui_project_get_categories (self->project);
  for (guint i = 0; i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(PbCategory) category = g_list_model_get_item (categories, i);

      if (g_str_equal (pb_category_get_key (category), key))
        return category;   /* the store keeps a reference */
    }
  return NULL;
}

void
pb_window_set_empty (PbWindow   *self,
           const char *icon,
           const char *title,
           const char *description,
           const char *button_label,
           const char *button_action)
{
  adw_status_page_set_icon_name (self->empty_page, icon);
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_button), button_label != NULL);
  if (button_label != NULL)
    {
      gtk_button_set_label (self->empty_button, button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->empty_button), button_action);
    }
  gtk_stack_set_visible_child_name (self->content_stack, "empty");
}

static void
set_notice (PbWindow   *self,
            const char *text,
            const char *button_label,
            const char *button_action)
{
  gtk_revealer_set_reveal_child (self->notice_revealer, text != NULL);
  gtk_label_set_label (self->notice_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->notice_button), button_label != NULL);
  if (button_label != NULL)
    {
      gtk_button_set_label (self->notice_button, button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->notice_button), button_action);
    }
}

static gboolean
is_demo_project (PbWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return PB_IS_APPLICATION (app) && self->project_local_id != NULL
         && pb_application_is_demo_project (PB_APPLICATION (app), self->project_local_id);
}

void
pb_window_update_view (PbWindow *self)
{
  guint n_total, n_shown;
  g_autofree char *count = NULL;
  PbProject *project = self->project != NULL ? pb_ui_project_get_project (self->project) : NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  gboolean have_projects = app == NULL || !PB_IS_APPLICATION (app)
                           || pb_application_has_projects (PB_APPLICATION (app));

  /* Notice: read-only key first, then the local demo. */
  if (project != NULL && pb_project_is_read_only (project))
    set_notice (self, _("This project's API key is read-only: you can look at everything but "
                        "change nothing."), NULL, NULL);
  else if (is_demo_project (self))
    set_notice (self, _("This is the local demo backend, running on this computer."),
                _("Add a _Real Backend…"), "app.preferences");
  else
    set_notice (self, NULL, NULL, NULL);

  adw_window_title_set_subtitle (self->content_title,
                                 project != NULL ? pb_project_get_name (project) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_spinner), FALSE);

  if (self->project == NULL)
    {
      if (!have_projects)
        pb_window_set_empty (self, "io.github.plugboard.Plugboard-symbolic", _("No Project Yet"),
                   _("Add a project in Preferences: a backend URL and an API key."),
                   _("_Open Preferences"), "app.preferences");
      else
        gtk_stack_set_visible_child_name (self->content_stack, "loading");
      gtk_label_set_label (self->count_label, "");
      return;
    }

  if (!pb_ui_project_get_loaded (self->project))
    {
      if (self->load_error != NULL)
        {
          g_autofree char *sentence = pb_error_sentence (self->load_error);

          pb_window_set_empty (self, "network-error-symbolic", _("Cannot Load the Project"),
                               sentence, _("_Try Again"), "win.refresh");
        }
      else
        gtk_stack_set_visible_child_name (self->content_stack, "loading");
      gtk_label_set_label (self->count_label, "");
      return;
    }

  n_total = g_list_model_get_n_items (pb_ui_project_get_integrations (self->project));
  n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u integration", "%u integrations",
                                        n_shown), n_shown);
  gtk_label_set_label (self->count_label, count);

  if (n_shown > 0)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "list");
      return;
    }

  if (self->category != NULL)
    {
      PbCategory *category = find_category (self, self->category);

      if (category != NULL && !pb_category_get_available (category))
        {
          g_autofree char *title = g_strdup_printf (_("%s Is Not in Your Plan"),
                                                    pb_category_get_label (category));
          const char *reason = pb_category_get_unavailable_reason (category);
          guint n_elsewhere = pb_category_get_count (category);
          g_autofree char *description = NULL;

          /* Integrations whose connector also serves this category are usable under their
           * own category, which is in the plan: say where they are. */
          if (n_elsewhere > 0)
            {
              g_autofree char *where =
                g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u integration of a connector that also serves "
                                              "%s is listed under its own category.",
                                              "%u integrations of connectors that also serve "
                                              "%s are listed under their own categories.",
                                              n_elsewhere),
                                 n_elsewhere, pb_category_get_label (category));

              description = g_strconcat (reason != NULL ? reason : "", reason != NULL ? " " : "",
                                         where, NULL);
            }
          pb_window_set_empty (self, "system-lock-screen-symbolic", title,
                               description != NULL ? description : reason, NULL, NULL);
          return;
        }
    }

  if (n_total == 0)
    pb_window_set_empty (self, "io.github.plugboard.Plugboard-symbolic", _("No Integrations Yet"),
               self->read_only ? _("No one has configured an integration in this project yet.")
                               : _("Add the first one with the + button: pick a connector, "
                                   "then give it its credentials."),
               self->read_only ? NULL : _("_Add Integration"), "win.add-integration");
  else if (self->search != NULL || self->state != STATE_ALL)
    pb_window_set_empty (self, "edit-find-symbolic", _("No Results"),
               _("No integration matches the search and the state filter. Try other words or "
                 "show all states."),
               _("_Clear Filters"), "win.clear-filters");
  else
    {
      PbCategory *category = find_category (self, self->category);
      g_autofree char *title = g_strdup_printf (_("No %s Integrations"),
                                                category != NULL
                                                ? pb_category_get_label (category) : "");

      pb_window_set_empty (self, "io.github.plugboard.Plugboard-symbolic", title,
                 _("This project has no integration in this category yet."),
                 self->read_only ? NULL : _("_Add Integration"), "win.add-integration");
    }
}

static void
set_read_only (PbWindow *self,
               gboolean  read_only)
{
  read_only = !!read_only;
  if (self->read_only == read_only)
    return;
  self->read_only = read_only;
  g_object_notify (G_OBJECT (self), "read-only");
}

void
pb_window_update_actions (PbWindow *self)
{
  gboolean loaded = self->project != NULL && pb_ui_project_get_loaded (self->project);
  gboolean writable = loaded && !pb_ui_project_is_read_only (self->project);

  set_read_only (self, !writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-integration", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.edit", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.enable", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.disable", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.set-active-now", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.make-default", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.delete", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.link-account", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.copy-id", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.copy-connector-id", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.view-logs", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.show-accounts", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-accounts", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-logs", loaded);
  gtk_widget_set_sensitive (GTK_WIDGET (self->views_list), loaded);
  /* Only there to carry the sentence that explains why Delete is not offered. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.delete-refused", FALSE);
}

static void
on_filter_items_changed_cb (PbWindow *self)
{
  pb_window_update_view (self);
}

void
pb_window_integrations_changed_cb (PbWindow *self)
{
  update_sidebar_counts (self);
}

/* ----------------------------------------------------------------------------------------- */
/* Search and state filter */

static void
on_search_entry_search_changed_cb (PbWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *old = g_steal_pointer (&self->search);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (text != NULL && *text != '\0')
    self->search = g_utf8_casefold (text, -1);

  /* A longer search only removes rows, a shorter one only adds: GTK refilters less. */
  if (old == NULL && self->search != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (old != NULL && self->search == NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else if (old != NULL && self->search != NULL && strstr (self->search, old) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (old != NULL && self->search != NULL && strstr (old, self->search) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else if (old == NULL && self->search == NULL)
    return;

  gtk_filter_changed (GTK_FILTER (self->filter), change);
  pb_window_update_view (self);
}

static void
on_search_entry_activate_cb (PbWindow *self)
{
  /* Enter moves into the list. */
  gtk_widget_child_focus (GTK_WIDGET (self->list_view), GTK_DIR_TAB_FORWARD);
}

static void
on_search_entry_stop_search_cb (PbWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
on_state_dropdown_selected_cb (PbWindow *self)
{
  StateFilter state = gtk_drop_down_get_selected (self->state_dropdown);
  GtkFilterChange change;

  if (state > STATE_DISABLED)
    state = STATE_ALL;
  if (state == self->state)
    return;
  change = self->state == STATE_ALL ? GTK_FILTER_CHANGE_MORE_STRICT
           : state == STATE_ALL ? GTK_FILTER_CHANGE_LESS_STRICT
           : GTK_FILTER_CHANGE_DIFFERENT;
  self->state = state;
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  pb_window_update_view (self);
}

void
pb_window_list_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_category_list_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_category_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_state_dropdown_selected_cb);
}

/* The list pipeline: the store's integrations (sorted by connector) → filter → grouped
 * (connector headers) → no selection → the list view; the search bar. */
void
pb_window_list_init (PbWindow *self)
{
  GtkListItemFactory *factory;
  GtkEventController *controller;

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->grouped = pb_grouped_model_new (G_LIST_MODEL (self->filter_model));
  self->selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->grouped)));
  g_signal_connect_swapped (self->filter_model, "items-changed",
                            G_CALLBACK (on_filter_items_changed_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), self);
  gtk_grid_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_list_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), controller);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_widget_cb), NULL);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_is_active_cb), NULL);
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *list = GTK_WIDGET (i == 0 ? self->category_list : self->views_list);

      controller = gtk_event_controller_key_new ();
      gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
      g_signal_connect (controller, "key-pressed", G_CALLBACK (on_sidebar_key_pressed_cb), self);
      gtk_widget_add_controller (list, controller);
      g_signal_connect (list, "move-cursor", G_CALLBACK (on_sidebar_move_cursor_cb), self);
    }

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* Filtering is cheap (one pass over cached casefolded names): follow every keystroke. */
  gtk_search_entry_set_search_delay (self->search_entry, 0);
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
}

void
pb_window_list_dispose (PbWindow *self)
{
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_func (self->filter_model, on_filter_items_changed_cb, self);
}
