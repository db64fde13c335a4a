/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-editor"

#include "config.h"

#include "pb-editor.h"

#include "pb-connector-picker.h"
#include "pb-integration-editor.h"

#define STYLE_KEY "pb-editor-style"

void
pb_editor_load_style (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (g_object_get_data (G_OBJECT (display), STYLE_KEY) != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider,
                                       "/io/github/plugboard/Plugboard/editor/pb-editor.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), STYLE_KEY, g_steal_pointer (&provider),
                          g_object_unref);
}

typedef struct
{
  GtkWindow *parent;   /* weak */
  PbStore   *store;
} NewData;

static void
new_data_free (gpointer data,
               GClosure *closure)
{
  NewData *new_data = data;

  g_clear_weak_pointer (&new_data->parent);
  g_clear_object (&new_data->store);
  g_free (new_data);
}

static void
on_connector_chosen_cb (PbConnectorPicker *picker,
                        PbConnector       *connector,
                        NewData           *data)
{
  PbIntegrationEditor *editor = pb_integration_editor_new (data->parent, data->store,
                                                           connector, NULL);

  gtk_window_present (GTK_WINDOW (editor));
}

void
pb_editor_present_new (GtkWindow *parent,
                       PbStore   *store)
{
  PbConnectorPicker *picker;
  NewData *data;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (PB_IS_STORE (store));

  picker = pb_connector_picker_new (parent, pb_store_get_connectors (store));
  data = g_new0 (NewData, 1);
  g_set_weak_pointer (&data->parent, parent);
  data->store = g_object_ref (store);
  g_signal_connect_data (picker, "connector-chosen", G_CALLBACK (on_connector_chosen_cb),
                         data, new_data_free, 0);
  gtk_window_present (GTK_WINDOW (picker));
}

void
pb_editor_present_edit (GtkWindow     *parent,
                        PbStore       *store,
                        PbIntegration *integration)
{
  PbIntegrationEditor *editor;
  PbConnector *connector;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (PB_IS_STORE (store));
  g_return_if_fail (PB_IS_INTEGRATION (integration));

  connector = pb_store_find_connector (store, pb_integration_get_connector_key (integration));
  if (connector == NULL)
    {
      g_warning ("The catalog has no connector “%s”; cannot edit integration %s",
                 pb_integration_get_connector_key (integration),
                 pb_integration_get_id (integration));
      return;
    }

  editor = pb_integration_editor_new (parent, store, connector, integration);
  gtk_window_present (GTK_WINDOW (editor));
}
