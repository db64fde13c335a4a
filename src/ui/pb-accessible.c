/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-accessible"

/* GTK 4.8 names a button whose label has a mnemonic with the label and its text ("_Save
 * Save"); it names a drop-down's button and its list of choices after their classes
 * ("GtkToggleButton", "GtkListView"), as it does libadwaita's reveal button of a password
 * row ("GtkImage"). Those widgets are made inside GTK and libadwaita (dialog responses,
 * drop-downs, rows), so their names are set here, on every widget as it is mapped, from what
 * the widget shows: the label without its mnemonic, the drop-down's tooltip or its row's
 * title, the reveal button's tooltip.
 *
 * GTK 4.8 also tells screen readers that what a closed GtkRevealer holds is visible (the
 * offline banner, the notices, the search bars): a closed revealer is hidden here, and shown
 * again when asked to reveal its child. It does the same for the pages of a GtkStack that
 * are not shown: those are marked hidden. */

#include "config.h"

#include "pb-accessible.h"

#include <adwaita.h>
#include <glib/gi18n.h>

char *
pb_accessible_strip_mnemonic (const char *label)
{
  GString *text = g_string_new (NULL);

  for (const char *p = label; p != NULL && *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            g_string_append_c (text, '_');
          if (p[1] == '_')
            p++;
          continue;
        }
      g_string_append_c (text, *p);
    }
  return g_string_free (text, FALSE);
}

static void
set_name (GtkWidget  *widget,
          const char *name)
{
  if (name != NULL && *name != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    name, -1);
}

static void
name_mnemonic_button (GtkButton *button)
{
  g_autofree char *name = NULL;

  if (!gtk_button_get_use_underline (button) || gtk_button_get_label (button) == NULL)
    return;
  /* GTK 4.8 reads the button's label property and then the label its mnemonic points at
   * the button ("_Save Save"): one name, and no pointer. */
  name = pb_accessible_strip_mnemonic (gtk_button_get_label (button));
  set_name (GTK_WIDGET (button), name);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* What a drop-down is for: its tooltip, or the title of the combo row it is part of. */
static const char *
choice_name (GtkWidget *widget)
{
  GtkWidget *dropdown = gtk_widget_get_ancestor (widget, GTK_TYPE_DROP_DOWN);
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_COMBO_ROW);
  const char *tooltip = dropdown != NULL ? gtk_widget_get_tooltip_text (dropdown) : NULL;

  if (row != NULL)
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  return tooltip;
}

static void
name_reveal_button (GtkWidget *button)
{
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  set_name (button, tooltip != NULL ? tooltip : _("Show Text"));
}

static void
on_reveal_child_cb (GtkRevealer *revealer)
{
  if (gtk_revealer_get_reveal_child (revealer))
    gtk_widget_set_visible (GTK_WIDGET (revealer), TRUE);
}

static void
on_child_revealed_cb (GtkRevealer *revealer)
{
  if (!gtk_revealer_get_reveal_child (revealer) && !gtk_revealer_get_child_revealed (revealer))
    gtk_widget_set_visible (GTK_WIDGET (revealer), FALSE);
}

static gboolean
hide_closed_once (gpointer data)
{
  on_child_revealed_cb (GTK_REVEALER (data));
  return G_SOURCE_REMOVE;
}

static void
name_by_label (GtkLabel  *label,
               GParamSpec *pspec,
               GtkWidget *widget)
{
  set_name (widget, gtk_label_get_text (label));
}

static GtkWidget *
first_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *label = first_label (child);

      if (label != NULL)
        return label;
    }
  return NULL;
}

/* A drop-down's list of choices is in the tree, closed, before it is ever mapped. */
static void
name_choices (GtkWidget  *widget,
              const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_VIEW (child))
        {
          set_name (child, name);
          for (GtkWidget *item = gtk_widget_get_first_child (child); item != NULL;
               item = gtk_widget_get_next_sibling (item))
            {
              GtkWidget *label = first_label (item);

              if (label != NULL)
                set_name (item, gtk_label_get_text (GTK_LABEL (label)));
            }
        }
      else
        name_choices (child, name);
    }
}

static void
on_visible_child_cb (GtkStack *stack)
{
  GtkWidget *shown = gtk_stack_get_visible_child (stack);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN,
                                 child != shown, -1);
}

/* A view switcher's tabs are named; their icons say nothing (and the narrow switcher the
 * title keeps for later is in the tree, never mapped). */
static void
hide_images (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_IMAGE (child))
        gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                     -1);
      else
        hide_images (child);
    }
}

static gboolean
on_map_hook (GSignalInvocationHint *hint,
             guint                  n_values,
             const GValue          *values,
             gpointer               user_data)
{
  GtkWidget *widget = g_value_get_object (&values[0]);
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (GTK_IS_BUTTON (widget))
    {
      if (parent != NULL && GTK_IS_DROP_DOWN (parent))
        set_name (widget, choice_name (widget));
      else if (gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW) != NULL
               && gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
        {
          name_reveal_button (widget);
          if (g_object_get_data (G_OBJECT (widget), "pb-accessible") == NULL)
            g_signal_connect (widget, "notify::tooltip-text", G_CALLBACK (name_reveal_button),
                              NULL);
        }
      else
        {
          name_mnemonic_button (GTK_BUTTON (widget));
          if (g_object_get_data (G_OBJECT (widget), "pb-accessible") == NULL)
            g_signal_connect (widget, "notify::label", G_CALLBACK (name_mnemonic_button), NULL);
        }
      g_object_set_data (G_OBJECT (widget), "pb-accessible", GINT_TO_POINTER (TRUE));
    }
  else if (ADW_IS_VIEW_SWITCHER_TITLE (widget) || ADW_IS_VIEW_SWITCHER (widget)
           || ADW_IS_VIEW_SWITCHER_BAR (widget))
    hide_images (widget);
  else if (GTK_IS_STACK (widget)
           && g_object_get_data (G_OBJECT (widget), "pb-accessible") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "pb-accessible", GINT_TO_POINTER (TRUE));
      g_signal_connect (widget, "notify::visible-child", G_CALLBACK (on_visible_child_cb),
                        NULL);
      on_visible_child_cb (GTK_STACK (widget));
    }
  else if (GTK_IS_REVEALER (widget)
           && g_object_get_data (G_OBJECT (widget), "pb-accessible") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "pb-accessible", GINT_TO_POINTER (TRUE));
      g_signal_connect (widget, "notify::reveal-child", G_CALLBACK (on_reveal_child_cb), NULL);
      g_signal_connect (widget, "notify::child-revealed", G_CALLBACK (on_child_revealed_cb),
                        NULL);
      /* Not while it is being mapped. */
      g_idle_add_full (G_PRIORITY_DEFAULT, hide_closed_once, g_object_ref (widget),
                       g_object_unref);
    }
  else if ((GTK_IS_LIST_VIEW (widget) || GTK_IS_LIST_BOX (widget))
           && gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) != NULL)
    set_name (widget, choice_name (widget));
  else if (GTK_IS_DROP_DOWN (widget) || ADW_IS_COMBO_ROW (widget))
    name_choices (widget, ADW_IS_COMBO_ROW (widget)
                          ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget))
                          : gtk_widget_get_tooltip_text (widget));
  else if (GTK_IS_IMAGE (widget) && !GTK_IS_BUTTON (parent)
           && (gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW) != NULL
               || gtk_widget_get_ancestor (widget, ADW_TYPE_ENTRY_ROW) != NULL
               || gtk_widget_get_ancestor (widget, GTK_TYPE_DROP_DOWN) != NULL))
    /* The arrows and pencils libadwaita draws in its rows say nothing. */
    gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                 -1);
  else if (GTK_IS_LIST_BOX_ROW (widget)
           && GTK_IS_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (widget)))
           && g_object_get_data (G_OBJECT (widget), "pb-accessible") == NULL)
    {
      /* A row that only holds a text (a note under a field) is named by it. */
      GtkWidget *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (widget));

      g_object_set_data (G_OBJECT (widget), "pb-accessible", GINT_TO_POINTER (TRUE));
      name_by_label (GTK_LABEL (label), NULL, widget);
      g_signal_connect (label, "notify::label", G_CALLBACK (name_by_label), widget);  /* its child */
    }

  return TRUE;
}

void
pb_accessible_install (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      g_type_class_ref (GTK_TYPE_WIDGET);   /* its signals exist once its class does */
      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, on_map_hook,
                                  NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}
