/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-views"

#include "config.h"

#include "pb-views-list.h"

#include "pb-views-util.h"

#include <glib/gi18n.h>

gboolean
pb_views_list_loading (PbPagedModel *model)
{
  return model != NULL && pb_paged_model_get_loading (model);
}

gboolean
pb_views_list_has_more (PbPagedModel *model)
{
  return model == NULL || pb_paged_model_get_has_more (model);
}

gboolean
pb_views_list_retry_in_place (PbPagedModel  *model,
                              char         **error_text)
{
  if (model == NULL || g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return FALSE;
  g_clear_pointer (error_text, g_free);
  return TRUE;
}

const char *
pb_views_list_state (PbPagedModel *model,
                     const char   *error_text)
{
  guint n = model ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
  gboolean loading = pb_views_list_loading (model);
  gboolean has_more = pb_views_list_has_more (model);

  if (n == 0 && error_text != NULL)
    return "error";
  if (n == 0 && (loading || has_more))
    return "loading";
  if (n == 0)
    return "empty";
  return "list";
}

void
pb_views_list_show_state (GtkStack      *stack,
                          AdwStatusPage *error_page,
                          const char    *state,
                          const char    *error_text,
                          const char    *error_icon)
{
  if (g_str_equal (state, "error"))
    {
      adw_status_page_set_description (error_page, error_text);
      adw_status_page_set_icon_name (error_page, error_icon);
    }
  gtk_stack_set_visible_child_name (stack, state);
}

void
pb_views_list_update_footer (GtkRevealer *revealer,
                             GtkSpinner  *spinner,
                             GtkLabel    *label,
                             GtkWidget   *retry,
                             gboolean     reveal,
                             gboolean     spinning,
                             const char  *error_text,
                             const char  *loading_text)
{
  gtk_revealer_set_reveal_child (revealer, reveal);
  gtk_spinner_set_spinning (spinner, spinning);
  gtk_widget_set_visible (GTK_WIDGET (spinner), error_text == NULL);
  gtk_widget_set_visible (retry, error_text != NULL);
  gtk_label_set_label (label, error_text ? error_text : loading_text);
}

const char *
pb_views_list_offline_text (GtkRevealer *revealer,
                            GtkLabel    *label)
{
  if (!gtk_revealer_get_reveal_child (revealer))
    return NULL;
  return gtk_label_get_label (label);
}

void
pb_views_list_connect_model (PbPagedModel *model,
                             gpointer      view,
                             GCallback     on_loading,
                             GCallback     on_offline)
{
  g_signal_connect_object (model, "notify::loading", on_loading, view, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "notify::from-cache", on_offline, view, G_CONNECT_SWAPPED);
  ((void (*) (gpointer)) on_offline) (view);
}

void
pb_views_list_drop_model (gpointer        view,
                          PbPagedModel  **model,
                          GCancellable  **cancellable,
                          char          **error_text)
{
  g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  g_clear_pointer (error_text, g_free);

  if (*model != NULL)
    g_signal_handlers_disconnect_by_data (*model, view);
  g_clear_object (model);
}

typedef struct
{
  GtkWidget *view;
  PbPagedModel *model;
} LoadData;

gboolean
pb_views_list_load_next (GtkWidget            *view,
                         PbPagedModel         *model,
                         const char           *error_text,
                         GCancellable        **cancellable,
                         GAsyncReadyCallback   callback)
{
  LoadData *data;

  if (model == NULL || error_text != NULL
      || !pb_paged_model_get_has_more (model)
      || pb_paged_model_get_loading (model)
      || !gtk_widget_get_mapped (view))
    return FALSE;

  if (*cancellable == NULL || g_cancellable_is_cancelled (*cancellable))
    {
      g_clear_object (cancellable);
      *cancellable = g_cancellable_new ();
    }

  data = g_new0 (LoadData, 1);
  data->view = g_object_ref (view);
  data->model = g_object_ref (model);
  pb_paged_model_load_more_async (model, *cancellable, callback, data);
  return TRUE;
}

gboolean
pb_views_list_load_finish (gpointer        user_data,
                           GAsyncResult   *result,
                           gpointer       *view,
                           PbPagedModel  **model,
                           PbApiFailure  **failure,
                           GError        **error)
{
  LoadData *data = user_data;

  *view = data->view;
  *model = data->model;
  g_free (data);
  return pb_paged_model_load_more_finish (*model, result, NULL, failure, error);
}

gboolean
pb_views_list_interrupted (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING);
}

void
pb_views_list_set_error (char               **error_text,
                         const char         **error_icon,
                         const GError        *error,
                         const PbApiFailure  *failure)
{
  g_free (*error_text);
  *error_text = pb_views_error_sentence (error, failure);
  *error_icon = pb_views_error_icon (error);
}

char *
pb_views_list_integration_subtitle (PbStore    *store,
                                    const char *integration_id)
{
  PbIntegration *integration = NULL;

  if (integration_id != NULL && store != NULL)
    integration = pb_store_find_integration (store, integration_id, NULL);

  if (integration != NULL)
    /* TRANSLATORS: connector · integration name */
    return g_strdup_printf (_("%s · %s"), pb_integration_get_connector_label (integration),
                            pb_integration_get_name (integration));
  if (integration_id != NULL)
    return g_strdup (integration_id);
  return g_strdup (_("All integrations"));
}

void
pb_views_list_set_subtitle (gpointer   view,
                            char     **subtitle,
                            char      *text)
{
  if (g_strcmp0 (text, *subtitle) != 0)
    {
      g_free (*subtitle);
      *subtitle = text;
      g_object_notify (G_OBJECT (view), "subtitle");
    }
  else
    g_free (text);
}

void
pb_views_list_dispose_template (GtkWidget *view,
                                GType      type)
{
  gtk_widget_dispose_template (view, type);
  /* The template's unnamed top box too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (view)) != NULL;)
    gtk_widget_unparent (child);
}
