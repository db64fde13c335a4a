/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-window"

#include "config.h"

#include "pb-window.h"

#include <glib/gi18n.h>

#include "pb-connector-header.h"
#include "pb-grouped-model.h"
#include "pb-integration-row.h"
#include "pb-offline-ui.h"
#include "pb-views.h"
#include "pb-ui-editor.h"

/* Narrow windows (≤ 600 px): rows drop the accounts text to an icon with a count. */
#define COMPACT_WIDTH 600

typedef enum {
  STATE_ALL,
  STATE_ENABLED,
  STATE_DISABLED,
} StateFilter;

struct _PbWindow
{
  AdwApplicationWindow parent_instance;

  GSettings    *settings;
  GCancellable *cancellable;        /* the open project's loads and changes */
  PbUiProject  *project;
  char         *project_local_id;   /* the PbProjectConfig's id */
  GError       *load_error;

  /* The list pipeline: the store's integrations (sorted by connector) → filter → grouped
   * (connector headers) → no selection. */
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filter_model;
  PbGroupedModel      *grouped;
  GtkNoSelection      *selection;

  char        *category;     /* NULL: All */
  StateFilter  state;
  char        *search;       /* casefolded, NULL when empty */

  gboolean  compact;
  gboolean  read_only;
  guint     compact_idle;
  GPtrArray *rows;           /* PbIntegrationRow*, weak */
  gboolean  rebuilding_sidebar;

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwHeaderBar    *content_header;
  GtkBox          *content_box;
  /* Offline (issue 7): the sync indicator in the header bar, the offline banner under it. */
  PbStore         *offline_store;
  GtkWidget       *sync_indicator;
  GtkWidget       *offline_banner;
  gboolean         had_pending;
  AdwLeaflet      *leaflet;
  GtkStack        *page_stack;
  GtkListBox      *views_list;
  GtkWidget       *accounts_row;
  GtkWidget       *logs_row;
  /* Linked accounts and logs (issue 8): made for the current store, in the "view" page. */
  GtkWidget       *view_page;
  AdwWindowTitle  *view_title;
  GtkStack        *view_stack;
  GtkWidget       *accounts_view;
  GtkWidget       *logs_view;
  GtkDropDown     *project_dropdown;
  GtkListBox      *category_list;
  AdwWindowTitle  *content_title;
  GtkButton       *back_button;
  GtkButton       *add_button;
  GtkToggleButton *search_button;
  GtkButton       *refresh_button;
  GtkMenuButton   *primary_menu_button;
  GtkSpinner      *sync_spinner;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  GtkRevealer     *notice_revealer;
  GtkBox          *notice_box;
  GtkWidget       *notice_icon;
  GtkLabel        *notice_label;
  GtkButton       *notice_button;
  GtkDropDown     *state_dropdown;
  GtkLabel        *count_label;
  GtkStack        *content_stack;
  GtkListView     *list_view;
  AdwStatusPage   *empty_page;
  GtkButton       *empty_button;
  GtkSpinner      *loading_spinner;
};

G_DEFINE_FINAL_TYPE (PbWindow, pb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_COMPACT,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_actions (PbWindow *self);
static void clear_views    (PbWindow *self);
static void update_view    (PbWindow *self);
static void open_selected_project (PbWindow *self);

PbWindow *
pb_window_new (PbApplication *application)
{
  return g_object_new (PB_TYPE_WINDOW, "application", application, NULL);
}

void
pb_window_toast (PbWindow   *self,
                 const char *message)
{
  g_return_if_fail (PB_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
toast_with_undo (PbWindow   *self,
                 const char *message,
                 const char *action,
                 GVariant   *target)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, action);
  adw_toast_set_action_target_value (toast, target);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A sentence for a person; cancellations are never shown. */
static void
show_error (PbWindow     *self,
            const char   *what,
            const GError *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  message = g_strdup_printf ("%s %s", what, error->message);
  pb_window_toast (self, message);
}

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
  return pb_integration_menu_new (integration, &facts);
}

static GtkWidget *
header_widget_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *category = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "pb-connector-header");
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
  g_autofree char *category_label =
    pb_grouped_model_category_label (pb_connector_header_get_category (header));
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

static void
remove_row (gpointer  data,
            GObject  *where_the_object_was)
{
  PbWindow *self = data;

  g_ptr_array_remove_fast (self->rows, where_the_object_was);
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
      pb_integration_row_set_menu_func (PB_INTEGRATION_ROW (row), row_menu_func, self);
      g_object_bind_property (self, "compact", row, "compact", G_BINDING_SYNC_CREATE);
      g_object_bind_property (self, "read-only",
                              pb_integration_row_get_switch (PB_INTEGRATION_ROW (row)),
                              "sensitive", G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
      g_ptr_array_add (self->rows, row);
      g_object_weak_ref (G_OBJECT (row), remove_row, self);
      gtk_box_append (GTK_BOX (cell), row);
      g_object_set_data (G_OBJECT (cell), "row", row);
    }
  return row;
}

/* "Waiting to sync" while a queued change concerns the row's integration (issue 7). */
static void
update_row_pending (PbWindow         *self,
                    PbIntegrationRow *row)
{
  PbIntegration *integration = pb_integration_row_get_integration (row);

  pb_integration_row_set_pending (row, self->offline_store != NULL && integration != NULL
                                  && pb_store_is_pending (self->offline_store,
                                                          pb_integration_get_id (integration)));
}

static void
update_rows_pending (PbWindow *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    update_row_pending (self, g_ptr_array_index (self->rows, i));
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

  if (PB_IS_CONNECTOR_HEADER (item))
    {
      header = cell_get_header (cell);
      header_widget_bind (header, PB_CONNECTOR_HEADER (item));
    }
  else if (PB_IS_INTEGRATION (item))
    {
      row = cell_get_row (self, cell);
      pb_integration_row_set_integration (PB_INTEGRATION_ROW (row), PB_INTEGRATION (item));
      update_row_pending (self, PB_INTEGRATION_ROW (row));
    }
  if (header != NULL)
    gtk_widget_set_visible (header, PB_IS_CONNECTOR_HEADER (item));
  if (row != NULL)
    gtk_widget_set_visible (row, PB_IS_INTEGRATION (item));
}

static void
resync_rows (PbWindow *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    pb_integration_row_sync (g_ptr_array_index (self->rows, i));
}

/* ----------------------------------------------------------------------------------------- */
/* The sidebar */

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
}

static void
rebuild_sidebar (PbWindow *self)
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
}

static void
set_category (PbWindow   *self,
              const char *category)
{
  if (g_strcmp0 (self->category, category) == 0)
    return;
  g_free (self->category);
  self->category = g_strdup (category);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_view (self);
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

static void
set_empty (PbWindow   *self,
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

static void
update_view (PbWindow *self)
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
        set_empty (self, "io.github.plugboard.Plugboard-symbolic", _("No Project Yet"),
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
        set_empty (self, "network-error-symbolic", _("Cannot Load the Project"),
                   self->load_error->message, _("_Try Again"), "win.refresh");
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

          set_empty (self, "system-lock-screen-symbolic", title,
                     pb_category_get_unavailable_reason (category), NULL, NULL);
          return;
        }
    }

  if (n_total == 0)
    set_empty (self, "io.github.plugboard.Plugboard-symbolic", _("No Integrations Yet"),
               self->read_only ? _("No one has configured an integration in this project yet.")
                               : _("Add the first one with the + button: pick a connector, "
                                   "then give it its credentials."),
               self->read_only ? NULL : _("_Add Integration"), "win.add-integration");
  else if (self->search != NULL || self->state != STATE_ALL)
    set_empty (self, "edit-find-symbolic", _("No Results"),
               _("No integration matches the search and the state filter. Try other words or "
                 "show all states."),
               _("_Clear Filters"), "win.clear-filters");
  else
    {
      PbCategory *category = find_category (self, self->category);
      g_autofree char *title = g_strdup_printf (_("No %s Integrations"),
                                                category != NULL
                                                ? pb_category_get_label (category) : "");

      set_empty (self, "io.github.plugboard.Plugboard-symbolic", title,
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

static void
update_actions (PbWindow *self)
{
  gboolean loaded = self->project != NULL && pb_ui_project_get_loaded (self->project);
  gboolean writable = loaded && !pb_ui_project_is_read_only (self->project);

  set_read_only (self, !writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-integration",
                                 writable && pb_ui_editor_available ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.edit",
                                 writable && pb_ui_editor_available ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.enable", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.disable", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.set-active-now", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.make-default", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.delete", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.copy-id", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "integration.copy-connector-id", loaded);
  /* The accounts and logs views are another issue's: until they exist these stay off. */
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
  update_view (self);
}

static void
on_integrations_changed_cb (PbWindow *self)
{
  update_sidebar_counts (self);
}

/* ----------------------------------------------------------------------------------------- */
/* Opening a project */

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PbWindow) self = user_data;
  PbUiProject *project = PB_UI_PROJECT (source);
  g_autoptr(GError) error = NULL;

  if (!pb_ui_project_load_finish (project, result, &error))
    {
      g_debug ("Loading failed: %s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || project != self->project)
        return;
      g_clear_error (&self->load_error);
      self->load_error = g_steal_pointer (&error);
      if (pb_ui_project_get_loaded (project))
        show_error (self, _("Could not refresh."), self->load_error);
    }
  else if (project == self->project)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
      PbStore *store = pb_ui_project_get_store (project);

      g_clear_error (&self->load_error);
      /* The backend's project id, for opening from the offline cache next time. */
      if (PB_IS_APPLICATION (app) && self->project_local_id != NULL &&
          pb_store_get_project_id (store) != NULL)
        pb_project_list_set_project_id (pb_application_get_project_list (PB_APPLICATION (app)),
                                        self->project_local_id,
                                        pb_store_get_project_id (store), NULL);
    }

  if (project != self->project)
    return;
  rebuild_sidebar (self);
  update_actions (self);
  update_view (self);
}

/* Offline (issue 7) */

static void
on_store_conflict_cb (PbStore       *store,
                      PbOutboxEntry *entry,
                      JsonObject    *theirs,
                      PbWindow      *self)
{
  gtk_window_present (GTK_WINDOW (pb_conflict_dialog_new (GTK_WINDOW (self), store, entry,
                                                          theirs)));
}

static void
on_store_pending_cb (PbWindow *self)
{
  if (pb_store_get_n_pending (self->offline_store) > 0)
    self->had_pending = TRUE;
  update_rows_pending (self);
}

static void
on_store_synced_cb (PbStore  *store,
                    PbWindow *self)
{
  if (self->had_pending && pb_store_get_n_pending (store) == 0)
    {
      self->had_pending = FALSE;
      pb_window_toast (self, _("All changes synced"));
    }
}

static void
set_offline_ui (PbWindow *self,
                PbStore  *store)
{
  if (self->offline_store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->offline_store, self);
      g_clear_object (&self->offline_store);
    }
  if (self->sync_indicator != NULL)
    adw_header_bar_remove (self->content_header, g_steal_pointer (&self->sync_indicator));
  if (self->offline_banner != NULL)
    gtk_box_remove (self->content_box, g_steal_pointer (&self->offline_banner));
  self->had_pending = FALSE;
  if (store == NULL)
    {
      update_rows_pending (self);
      return;
    }

  self->offline_store = g_object_ref (store);
  self->sync_indicator = pb_sync_indicator_new (store);
  adw_header_bar_pack_end (self->content_header, self->sync_indicator);
  self->offline_banner = pb_offline_banner_new (store);
  gtk_box_insert_child_after (self->content_box, self->offline_banner,
                              GTK_WIDGET (self->content_header));
  g_signal_connect (store, "conflict", G_CALLBACK (on_store_conflict_cb), self);
  g_signal_connect (store, "synced", G_CALLBACK (on_store_synced_cb), self);
  g_signal_connect_swapped (store, "notify::n-pending", G_CALLBACK (on_store_pending_cb), self);
  on_store_pending_cb (self);
}

static void
set_project (PbWindow    *self,
             PbUiProject *project)
{
  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_func (pb_ui_project_get_integrations (self->project),
                                            on_integrations_changed_cb, self);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_error (&self->load_error);
  g_set_object (&self->project, project);
  clear_views (self);
  set_offline_ui (self, project != NULL ? pb_ui_project_get_store (project) : NULL);

  gtk_filter_list_model_set_model (self->filter_model,
                                   project != NULL ? pb_ui_project_get_integrations (project)
                                                   : NULL);
  if (project != NULL)
    {
      g_signal_connect_swapped (pb_ui_project_get_integrations (project), "items-changed",
                                G_CALLBACK (on_integrations_changed_cb), self);
      pb_ui_project_load_async (project, self->cancellable, load_cb, g_object_ref (self));
    }
  rebuild_sidebar (self);
  update_actions (self);
  update_view (self);
}

static void
open_store_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(PbUiProject) project = NULL;

  store = pb_application_open_store_finish (PB_APPLICATION (source), result, &error);
  if (store == NULL)
    {
      g_debug ("Could not open the project: %s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_project (self, NULL);
      set_empty (self, "dialog-password-symbolic", _("Cannot Open the Project"), error->message,
                 _("_Open Preferences"), "app.preferences");
      return;
    }
  project = pb_ui_project_new (store);
  set_project (self, project);
}

static void
open_selected_project (PbWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  PbProjectConfig *config = gtk_drop_down_get_selected_item (self->project_dropdown);

  if (!PB_IS_APPLICATION (app))
    return;
  g_debug ("Selected project: %s", config != NULL ? pb_project_config_get_id (config) : "none");
  if (config == NULL)
    {
      g_clear_pointer (&self->project_local_id, g_free);
      set_project (self, NULL);
      return;
    }
  if (self->project != NULL && g_strcmp0 (self->project_local_id,
                                          pb_project_config_get_id (config)) == 0)
    return;

  g_free (self->project_local_id);
  self->project_local_id = g_strdup (pb_project_config_get_id (config));
  pb_application_remember_project (PB_APPLICATION (app), self->project_local_id);
  set_project (self, NULL);
  pb_application_open_store_async (PB_APPLICATION (app), config, self->cancellable,
                                   open_store_cb, g_object_ref (self));
}

static void
on_project_dropdown_selected_cb (PbWindow *self)
{
  open_selected_project (self);
}

static gboolean
select_last_project (PbWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GListModel *projects = gtk_drop_down_get_model (self->project_dropdown);
  const char *last;

  if (!PB_IS_APPLICATION (app) || projects == NULL
      || (last = pb_application_get_last_project (PB_APPLICATION (app))) == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(PbProjectConfig) config = g_list_model_get_item (projects, i);

      if (g_strcmp0 (pb_project_config_get_id (config), last) == 0)
        {
          gtk_drop_down_set_selected (self->project_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_projects_changed_cb (GListModel *projects,
                        guint       position,
                        guint       removed,
                        guint       added,
                        PbWindow   *self)
{
  /* The first projects arrived (the local demo started): reopen the last one if it is
   * among them. A removed project: the drop-down moved on; follow it. */
  if (self->project_local_id == NULL && added > 0 && select_last_project (self))
    return;
  if (gtk_drop_down_get_selected (self->project_dropdown) == GTK_INVALID_LIST_POSITION
      && g_list_model_get_n_items (projects) > 0)
    gtk_drop_down_set_selected (self->project_dropdown, 0);
  else
    open_selected_project (self);
  update_view (self);
}

static void
setup_projects (PbWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GListModel *projects;
  g_autoptr(GtkExpression) expression = NULL;

  if (!PB_IS_APPLICATION (app) || gtk_drop_down_get_model (self->project_dropdown) != NULL)
    return;

  projects = pb_application_get_projects (PB_APPLICATION (app));
  expression = gtk_property_expression_new (PB_TYPE_PROJECT_CONFIG, NULL, "name");
  gtk_drop_down_set_expression (self->project_dropdown, expression);
  g_signal_handlers_block_by_func (self->project_dropdown, on_project_dropdown_selected_cb, self);
  gtk_drop_down_set_model (self->project_dropdown, projects);
  g_signal_handlers_unblock_by_func (self->project_dropdown, on_project_dropdown_selected_cb,
                                     self);
  g_signal_connect_object (projects, "items-changed", G_CALLBACK (on_projects_changed_cb), self,
                           G_CONNECT_AFTER);

  g_signal_handlers_block_by_func (self->project_dropdown, on_project_dropdown_selected_cb, self);
  select_last_project (self);
  g_signal_handlers_unblock_by_func (self->project_dropdown, on_project_dropdown_selected_cb,
                                     self);
  open_selected_project (self);
  update_view (self);
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
  update_view (self);
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
  update_view (self);
}

/* ----------------------------------------------------------------------------------------- */
/* Window actions */

static void
add_integration_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  if (self->project != NULL)
    pb_ui_editor_present_new (GTK_WINDOW (self), self->project);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  if (self->project == NULL)
    return;
  g_clear_error (&self->load_error);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_spinner), TRUE);
  gtk_spinner_set_spinning (self->sync_spinner, TRUE);
  pb_ui_project_load_async (self->project, self->cancellable, load_cb, g_object_ref (self));
  update_view (self);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_spinner), TRUE);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->state_dropdown, STATE_ALL);
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* ----------------------------------------------------------------------------------------- */
/* Integration actions (parameter: the integration id) */

static PbIntegration *
integration_for (PbWindow *self,
                 GVariant *parameter)
{
  PbIntegration *integration = NULL;

  if (self->project != NULL && parameter != NULL)
    integration = pb_ui_project_find (self->project, g_variant_get_string (parameter, NULL));
  if (integration == NULL)
    pb_window_toast (self, _("This integration no longer exists. Refresh to see the current "
                             "list."));
  return integration;
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = integration_for (self, parameter);

  if (integration != NULL)
    pb_ui_editor_present_edit (GTK_WINDOW (self), self->project, integration);
}

static void
copy_text (PbWindow   *self,
           const char *text,
           const char *toast)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  pb_window_toast (self, toast);
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = integration_for (self, parameter);

  if (integration != NULL)
    copy_text (self, pb_integration_get_id (integration), _("Integration ID copied"));
}

static void
copy_connector_id_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = integration_for (self, parameter);

  if (integration != NULL)
    copy_text (self, pb_integration_get_connector_key (integration), _("Connector ID copied"));
}

typedef struct
{
  PbWindow *window;
  char     *id;
  char     *name;
  char     *previous;   /* make default: the previous default's id */
  gboolean  active;
  gboolean  offer_undo;
} ChangeData;

static ChangeData *
change_data_new (PbWindow      *self,
                 PbIntegration *integration)
{
  ChangeData *data = g_new0 (ChangeData, 1);

  data->window = g_object_ref (self);
  data->id = g_strdup (pb_integration_get_id (integration));
  data->name = g_strdup (pb_integration_get_name (integration));
  return data;
}

static void
change_data_free (ChangeData *data)
{
  g_clear_object (&data->window);
  g_free (data->id);
  g_free (data->name);
  g_free (data->previous);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChangeData, change_data_free)

static void
set_active_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ChangeData) data = user_data;
  PbWindow *self = data->window;
  g_autoptr(PbIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  pb_ui_project_apply_finish (PB_UI_PROJECT (source), result, &integration, &error);
  resync_rows (self);
  if (integration == NULL)
    {
      show_error (self, data->active ? _("Could not enable the integration.")
                                     : _("Could not disable the integration."), error);
      return;
    }

  message = g_strdup_printf (data->active ? _("“%s” enabled") : _("“%s” disabled"), data->name);
  if (data->offer_undo)
    toast_with_undo (self, message, "integration.set-active-now",
                     g_variant_new ("(sb)", data->id, !data->active));
  else
    pb_window_toast (self, message);
}

static void
apply_active (PbWindow      *self,
              PbIntegration *integration,
              gboolean       active,
              gboolean       offer_undo)
{
  ChangeData *data = change_data_new (self, integration);

  data->active = active;
  data->offer_undo = offer_undo;
  pb_ui_project_apply_async (self->project, active ? PB_OPERATION_ENABLE : PB_OPERATION_DISABLE,
                             data->id, self->cancellable, set_active_cb, data);
}

static void
disable_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  ChangeData *data = user_data;   /* owned by the dialog's handler */
  PbWindow *self = data->window;
  PbIntegration *integration;

  if (g_strcmp0 (response, "disable") != 0 || self->project == NULL
      || (integration = pb_ui_project_find (self->project, data->id)) == NULL)
    {
      resync_rows (self);
      return;
    }
  apply_active (self, integration, FALSE, TRUE);
}

static void
disable_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = integration_for (self, parameter);
  g_autofree char *warning = NULL;
  GtkWidget *dialog;

  if (integration == NULL)
    return;
  if (!pb_integration_get_active (integration))
    {
      resync_rows (self);
      return;
    }

  /* No linked accounts: nothing to warn about, no question. */
  warning = pb_rules_disable_warning (pb_integration_get_accounts_total (integration));
  if (warning == NULL)
    {
      apply_active (self, integration, FALSE, TRUE);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, warning);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Disable “%s”?"),
                                     pb_integration_get_name (integration));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "disable", _("_Disable"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "disable",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (disable_response_cb),
                         change_data_new (self, integration),
                         (GClosureNotify) (void (*) (void)) change_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
enable_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = integration_for (self, parameter);

  if (integration == NULL)
    return;
  if (pb_integration_get_active (integration))
    {
      resync_rows (self);
      return;
    }
  /* Enabling brings the accounts back: no question. */
  apply_active (self, integration, TRUE, TRUE);
}

/* Undo of an enable or a disable: applied as it was asked, without asking again. */
static void
set_active_now_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  const char *id;
  gboolean active;
  PbIntegration *integration;

  g_variant_get (parameter, "(&sb)", &id, &active);
  integration = self->project != NULL ? pb_ui_project_find (self->project, id) : NULL;
  if (integration == NULL)
    {
      pb_window_toast (self, _("This integration no longer exists. Refresh to see the current "
                               "list."));
      return;
    }
  if (pb_integration_get_active (integration) != active)
    apply_active (self, integration, active, FALSE);
}

static void
make_default_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ChangeData) data = user_data;
  PbWindow *self = data->window;
  g_autoptr(PbIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  pb_ui_project_apply_finish (PB_UI_PROJECT (source), result, &integration, &error);
  if (integration == NULL)
    {
      show_error (self, _("Could not make the integration the default."), error);
      return;
    }
  message = g_strdup_printf (_("“%s” is now the default for %s"), data->name,
                             pb_integration_get_connector_label (integration));
  if (data->offer_undo && data->previous != NULL)
    toast_with_undo (self, message, "integration.make-default-now",
                     g_variant_new_string (data->previous));
  else
    pb_window_toast (self, message);
}

static void
apply_make_default (PbWindow      *self,
                    PbIntegration *integration,
                    gboolean       offer_undo)
{
  ChangeData *data = change_data_new (self, integration);
  PbIntegration *previous =
    pb_ui_project_find_default (self->project, pb_integration_get_connector_key (integration));

  if (previous != NULL && previous != integration)
    data->previous = g_strdup (pb_integration_get_id (previous));
  data->offer_undo = offer_undo;
  pb_ui_project_apply_async (self->project, PB_OPERATION_MAKE_DEFAULT, data->id,
                             self->cancellable, make_default_cb, data);
}

static void
make_default_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = integration_for (self, parameter);

  if (integration != NULL && !pb_integration_get_is_default (integration))
    apply_make_default (self, integration, g_str_equal (action_name, "integration.make-default"));
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ChangeData) data = user_data;
  PbWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!pb_ui_project_apply_finish (PB_UI_PROJECT (source), result, NULL, &error))
    {
      show_error (self, _("Could not delete the integration."), error);
      return;
    }
  message = g_strdup_printf (_("“%s” deleted"), data->name);
  pb_window_toast (self, message);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  ChangeData *data = user_data;   /* owned by the dialog's handler */
  PbWindow *self = data->window;
  ChangeData *copy;

  if (g_strcmp0 (response, "delete") != 0 || self->project == NULL)
    return;
  copy = g_new0 (ChangeData, 1);
  copy->window = g_object_ref (self);
  copy->id = g_strdup (data->id);
  copy->name = g_strdup (data->name);
  pb_ui_project_apply_async (self->project, PB_OPERATION_DELETE, copy->id, self->cancellable,
                             delete_cb, copy);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = integration_for (self, parameter);
  PbIntegrationFacts facts;
  PbDeleteVerdict verdict;
  GtkWidget *dialog;

  if (integration == NULL)
    return;

  /* The same rule as the menu and the server: say why at once rather than ask first. */
  pb_ui_project_get_facts (self->project, integration, &facts);
  verdict = pb_rules_delete_verdict (&facts);
  if (verdict != PB_DELETE_ALLOWED)
    {
      g_autofree char *why = pb_rules_delete_verdict_message (verdict, &facts);

      pb_window_toast (self, why);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL,
                                   _("The integration and the credentials stored for it are "
                                     "removed from the project. This cannot be undone."));
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s”?"),
                                     pb_integration_get_name (integration));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (delete_response_cb),
                         change_data_new (self, integration),
                         (GClosureNotify) (void (*) (void)) change_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
unavailable_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  /* Never enabled (see update_actions). */
}

/* ----------------------------------------------------------------------------------------- */
/* Linked accounts and logs (issue 8): a page beside the list */

static void
update_view_title (PbWindow *self)
{
  GtkWidget *view = gtk_stack_get_visible_child (self->view_stack);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (view == NULL)
    return;
  g_object_get (view, "title", &title, "subtitle", &subtitle, NULL);
  adw_window_title_set_title (self->view_title, title != NULL ? title : "");
  adw_window_title_set_subtitle (self->view_title, subtitle != NULL ? subtitle : "");
}

static gboolean
view_shown (PbWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "view") == 0;
}

static void
show_list (PbWindow *self)
{
  gtk_stack_set_visible_child_name (self->page_stack, "list");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-to-list", FALSE);
}

/* Views are tied to one store: a project change drops them. */
static void
clear_views (PbWindow *self)
{
  if (self->page_stack != NULL)
    show_list (self);
  if (self->accounts_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->accounts_view, self);
      gtk_stack_remove (self->view_stack, self->accounts_view);
      self->accounts_view = NULL;
    }
  if (self->logs_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->logs_view, self);
      gtk_stack_remove (self->view_stack, self->logs_view);
      self->logs_view = NULL;
    }
}

static void show_logs (PbWindow   *self,
                       const char *integration_id,
                       const char *account_id);

static void
on_accounts_view_logs_cb (PbAccountsView *view,
                          const char     *account_id,
                          const char     *integration_id,
                          PbWindow       *self)
{
  show_logs (self, integration_id, account_id);
}

static GtkWidget *
ensure_view (PbWindow *self,
             gboolean  logs)
{
  GtkWidget **slot = logs ? &self->logs_view : &self->accounts_view;
  PbStore *store;

  if (*slot != NULL)
    return *slot;
  if (self->project == NULL)
    return NULL;
  store = pb_ui_project_get_store (self->project);
  *slot = logs ? pb_logs_view_new (store) : pb_accounts_view_new (store);
  gtk_widget_set_vexpand (*slot, TRUE);
  gtk_stack_add_named (self->view_stack, *slot, logs ? "logs" : "accounts");
  g_signal_connect_swapped (*slot, "notify::title", G_CALLBACK (update_view_title), self);
  g_signal_connect_swapped (*slot, "notify::subtitle", G_CALLBACK (update_view_title), self);
  if (!logs)
    g_signal_connect (*slot, "view-logs", G_CALLBACK (on_accounts_view_logs_cb), self);
  return *slot;
}

static void
present_view (PbWindow  *self,
              GtkWidget *view)
{
  gtk_stack_set_visible_child (self->view_stack, view);
  gtk_stack_set_visible_child_name (self->page_stack, "view");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-to-list", TRUE);
  update_view_title (self);
  /* Folded: from the sidebar, go to the content. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  gtk_widget_grab_focus (view);
}

static void
show_logs (PbWindow   *self,
           const char *integration_id,
           const char *account_id)
{
  GtkWidget *view = ensure_view (self, TRUE);

  if (view == NULL)
    return;
  pb_logs_view_set_integration_id (PB_LOGS_VIEW (view), integration_id);
  pb_logs_view_set_account_id (PB_LOGS_VIEW (view), account_id);
  present_view (self, view);
}

static void
show_accounts (PbWindow   *self,
               const char *integration_id)
{
  GtkWidget *view = ensure_view (self, FALSE);

  if (view == NULL)
    return;
  pb_accounts_view_set_integration_id (PB_ACCOUNTS_VIEW (view), integration_id);
  present_view (self, view);
}

/* "integration.view-logs" (s) and "win.show-logs" (the whole project). */
static void
view_logs_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = NULL;

  if (parameter != NULL && (integration = integration_for (self, parameter)) == NULL)
    return;
  show_logs (self, integration != NULL ? pb_integration_get_id (integration) : NULL, NULL);
}

static void
show_accounts_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);
  PbIntegration *integration = NULL;

  if (parameter != NULL && (integration = integration_for (self, parameter)) == NULL)
    return;
  show_accounts (self, integration != NULL ? pb_integration_get_id (integration) : NULL);
}

static void
back_to_list_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PbWindow *self = PB_WINDOW (widget);

  if (view_shown (self))
    show_list (self);
}

static gboolean
back_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  PbWindow *self = PB_WINDOW (widget);

  if (!view_shown (self))
    return FALSE;
  show_list (self);
  return TRUE;
}

static void
on_views_list_row_activated_cb (PbWindow      *self,
                                GtkListBoxRow *row)
{
  if (GTK_WIDGET (row) == self->accounts_row)
    show_accounts (self, NULL);
  else if (GTK_WIDGET (row) == self->logs_row)
    show_logs (self, NULL, NULL);
}

/* The page: a header bar (Back, the view's title and subtitle) over the view. */
static void
setup_view_page (PbWindow *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkShortcutAction *action = gtk_callback_action_new (back_shortcut_cb, NULL, NULL);

  self->view_page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  self->view_title = ADW_WINDOW_TITLE (adw_window_title_new ("", NULL));
  self->view_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_tooltip_text (back, _("Back"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "win.back-to-list");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->view_title));
  g_object_bind_property (self->leaflet, "folded", header, "show-start-title-buttons",
                          G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (self->view_page), header);
  gtk_widget_set_vexpand (GTK_WIDGET (self->view_stack), TRUE);
  gtk_box_append (GTK_BOX (self->view_page), GTK_WIDGET (self->view_stack));
  gtk_stack_add_named (self->page_stack, self->view_page, "view");

  /* Escape and Alt+Left go back before the leaflet or a view takes them. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                     gtk_keyval_trigger_new (GDK_KEY_Left,
                                                                             GDK_ALT_MASK)),
                        action));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-to-list", FALSE);
}

GtkWidget *
pb_window_get_view (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return view_shown (self) ? gtk_stack_get_visible_child (self->view_stack) : NULL;
}

GtkWidget *
pb_window_get_views_row (PbWindow *self,
                         gboolean  logs)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return logs ? self->logs_row : self->accounts_row;
}

/* ----------------------------------------------------------------------------------------- */
/* Preferences */

void
pb_window_show_preferences (PbWindow *self)
{
  GtkApplication *app;

  g_return_if_fail (PB_IS_WINDOW (self));

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (PB_IS_APPLICATION (app))
    pb_application_present_preferences (PB_APPLICATION (app), GTK_WINDOW (self));
}

/* ----------------------------------------------------------------------------------------- */
/* Width */

static gboolean
apply_compact_cb (gpointer user_data)
{
  PbWindow *self = user_data;
  gboolean compact = gtk_widget_get_width (GTK_WIDGET (self)) <= COMPACT_WIDTH;

  self->compact_idle = 0;
  if (compact != self->compact)
    {
      self->compact = compact;
      /* Narrow: Refresh stays in the main menu (and Ctrl+R); the notice's button goes
       * under its text. */
      gtk_widget_set_visible (GTK_WIDGET (self->refresh_button), !compact);
      gtk_widget_set_visible (self->notice_icon, !compact);
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->notice_box),
                                      compact ? GTK_ORIENTATION_VERTICAL
                                              : GTK_ORIENTATION_HORIZONTAL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
    }
  return G_SOURCE_REMOVE;
}

static void
pb_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  PbWindow *self = PB_WINDOW (widget);

  GTK_WIDGET_CLASS (pb_window_parent_class)->size_allocate (widget, width, height, baseline);

  /* Changing the rows during an allocation would re-queue one: do it right after. */
  if ((width <= COMPACT_WIDTH) != self->compact && self->compact_idle == 0)
    self->compact_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_compact_cb, self, NULL);
}

/* ----------------------------------------------------------------------------------------- */
/* Accessors for tests and the benchmark */

PbUiProject *
pb_window_get_project (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return self->project;
}

GListModel *
pb_window_get_list_model (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->grouped);
}

GtkListView *
pb_window_get_list_view (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return self->list_view;
}

GtkListBox *
pb_window_get_category_list (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return self->category_list;
}

GtkEditable *
pb_window_get_search_entry (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

GtkDropDown *
pb_window_get_state_dropdown (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return self->state_dropdown;
}

GtkDropDown *
pb_window_get_project_dropdown (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return self->project_dropdown;
}

const char *
pb_window_get_notice (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->notice_revealer))
    return NULL;
  return gtk_label_get_label (self->notice_label);
}

const char *
pb_window_get_visible_page (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

AdwStatusPage *
pb_window_get_empty_page (PbWindow *self)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), NULL);
  return self->empty_page;
}

/* ----------------------------------------------------------------------------------------- */
/* GObject */

static void
pb_window_save_state (PbWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
pb_window_close_request (GtkWindow *window)
{
  pb_window_save_state (PB_WINDOW (window));

  return GTK_WINDOW_CLASS (pb_window_parent_class)->close_request (window);
}

static void
pb_window_constructed (GObject *object)
{
  PbWindow *self = PB_WINDOW (object);

  G_OBJECT_CLASS (pb_window_parent_class)->constructed (object);

  /* GtkWindow's application is set after construction: follow it. */
  g_signal_connect (self, "notify::application", G_CALLBACK (setup_projects), NULL);
  setup_projects (self);
  update_actions (self);
  update_view (self);
}

static void
pb_window_dispose (GObject *object)
{
  PbWindow *self = PB_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->compact_idle, g_source_remove);
  set_offline_ui (self, NULL);
  clear_views (self);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (pb_ui_project_get_integrations (self->project),
                                          on_integrations_changed_cb, self);
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_func (self->filter_model, on_filter_items_changed_cb, self);
  if (self->rows != NULL)
    {
      for (guint i = 0; i < self->rows->len; i++)
        g_object_weak_unref (g_ptr_array_index (self->rows, i), remove_row, self);
      g_clear_pointer (&self->rows, g_ptr_array_unref);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->grouped);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->project);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->project_local_id, g_free);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (pb_window_parent_class)->dispose (object);
}

static void
pb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PbWindow *self = PB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_window_class_init (PbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pb_window_constructed;
  object_class->dispose = pb_window_dispose;
  object_class->get_property = pb_window_get_property;
  widget_class->size_allocate = pb_window_size_allocate;
  window_class->close_request = pb_window_close_request;

  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PB_TYPE_INTEGRATION_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PB_RESOURCE_PREFIX "/pb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, views_list);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, accounts_row);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, logs_row);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, project_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, category_list);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, notice_box);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, notice_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, empty_button);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, loading_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_project_dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_category_list_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_category_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_views_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_state_dropdown_selected_cb);

  gtk_widget_class_install_action (widget_class, "win.add-integration", NULL,
                                   add_integration_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.clear-filters", NULL,
                                   clear_filters_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "integration.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "integration.view-logs", "s",
                                   view_logs_action);
  gtk_widget_class_install_action (widget_class, "integration.show-accounts", "s",
                                   show_accounts_action);
  gtk_widget_class_install_action (widget_class, "win.show-accounts", NULL,
                                   show_accounts_action);
  gtk_widget_class_install_action (widget_class, "win.show-logs", NULL, view_logs_action);
  gtk_widget_class_install_action (widget_class, "win.back-to-list", NULL, back_to_list_action);
  gtk_widget_class_install_action (widget_class, "integration.copy-id", "s", copy_id_action);
  gtk_widget_class_install_action (widget_class, "integration.copy-connector-id", "s",
                                   copy_connector_id_action);
  gtk_widget_class_install_action (widget_class, "integration.disable", "s", disable_action);
  gtk_widget_class_install_action (widget_class, "integration.enable", "s", enable_action);
  gtk_widget_class_install_action (widget_class, "integration.set-active-now", "(sb)",
                                   set_active_now_action);
  gtk_widget_class_install_action (widget_class, "integration.make-default", "s",
                                   make_default_action);
  gtk_widget_class_install_action (widget_class, "integration.make-default-now", "s",
                                   make_default_action);
  gtk_widget_class_install_action (widget_class, "integration.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "integration.delete-refused", NULL,
                                   unavailable_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-integration", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
}

static void
label_icon_button (GtkWidget  *widget,
                   const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
pb_window_init (PbWindow *self)
{
  GtkListItemFactory *factory;

  self->rows = g_ptr_array_new ();
  self->read_only = TRUE;
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  setup_view_page (self);

  self->settings = g_settings_new (BASE_APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* Folded, the integrations come first; the back button leads to the categories. */
  adw_leaflet_set_visible_child_name (self->leaflet, "content");

  /* The list pipeline. */
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->grouped = pb_grouped_model_new (G_LIST_MODEL (self->filter_model));
  self->selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->grouped)));
  g_signal_connect_swapped (self->filter_model, "items-changed",
                            G_CALLBACK (on_filter_items_changed_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* Filtering is cheap (one pass over cached casefolded names): follow every keystroke. */
  gtk_search_entry_set_search_delay (self->search_entry, 0);
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  /* Icon-only buttons: tooltips do not name them for screen readers in GTK 4.8. */
  label_icon_button (GTK_WIDGET (self->primary_menu_button), _("Main Menu"));
  label_icon_button (GTK_WIDGET (self->add_button), _("Add Integration"));
  label_icon_button (GTK_WIDGET (self->search_button), _("Search"));
  label_icon_button (GTK_WIDGET (self->refresh_button), _("Refresh"));
  label_icon_button (GTK_WIDGET (self->back_button), _("Categories"));
  label_icon_button (GTK_WIDGET (self->sync_spinner), _("Loading"));
  label_icon_button (GTK_WIDGET (self->project_dropdown), _("Project"));
  label_icon_button (GTK_WIDGET (self->state_dropdown), _("Show integrations in this state"));
  label_icon_button (GTK_WIDGET (self->search_entry), _("Search integrations by name"));
  label_icon_button (GTK_WIDGET (self->category_list), _("Categories"));
  label_icon_button (GTK_WIDGET (self->list_view), _("Integrations"));

#if PB_DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
