/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-paged-view"

#include "config.h"

#include "pb-paged-view.h"

#include <glib/gi18n.h>

#include "pb-error-sentence.h"

#define DEFAULT_PAGE_SIZE 50

#define TEMPLATE "/io/github/plugboard/Plugboard/views/pb-paged-view.ui"

typedef struct
{
  PbStore *store;
  char *integration_id;
  char *title;
  char *subtitle;
  PbPagedViewState state;
  gboolean state_known;          /* "state" was worked out once */
  guint page_size;
  char *loading_more_text;

  PbPagedModel *model;           /* the list being loaded */
  PbPagedModel *shown;           /* the list in the list view (the old one while refreshing) */
  GCancellable *cancellable;     /* of the page in flight */
  char *error_text;
  const char *error_icon;
  gboolean refreshing;           /* the list shown stays until the new one has a page */
  gboolean stale;                /* a refresh could not reach the backend: the old list stays */
  GDateTime *fetched_at;         /* when the list shown was complete */

  /* template children */
  AdwBin *filter_bin;
  GtkRevealer *offline_revealer;
  GtkLabel *offline_label;
  GtkStack *stack;
  GtkLabel *loading_label;
  AdwStatusPage *error_page;
  AdwStatusPage *empty_page;
  GtkWidget *clear_button;
  GtkScrolledWindow *scrolled;
  GtkListView *list_view;
  GtkRevealer *footer_revealer;
  GtkSpinner *footer_spinner;
  GtkLabel *footer_label;
  GtkWidget *footer_retry;
} PbPagedViewPrivate;

G_DEFINE_ENUM_TYPE (PbPagedViewState, pb_paged_view_state,
                    G_DEFINE_ENUM_VALUE (PB_PAGED_VIEW_STATE_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (PB_PAGED_VIEW_STATE_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (PB_PAGED_VIEW_STATE_EMPTY, "empty"),
                    G_DEFINE_ENUM_VALUE (PB_PAGED_VIEW_STATE_LIST, "list"))

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (PbPagedView, pb_paged_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_INTEGRATION_ID,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_STATE,
  PROP_LOADING,
  PROP_PAGE_SIZE,
  PROP_FILTER_BAR,
  PROP_LOADING_TEXT,
  PROP_LOADING_MORE_TEXT,
  PROP_ERROR_TITLE,
  PROP_EMPTY_ICON_NAME,
  PROP_CLEAR_TOOLTIP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The stack's page of each state. */
static const char * const state_pages[] = { "loading", "error", "empty", "list" };

/* ---- state ----------------------------------------------------------------------------- */

static guint
n_items (PbPagedViewPrivate *priv)
{
  return priv->model ? g_list_model_get_n_items (G_LIST_MODEL (priv->model)) : 0;
}

static gboolean
model_loading (PbPagedViewPrivate *priv)
{
  return priv->model != NULL && pb_paged_model_get_loading (priv->model);
}

static gboolean
model_has_more (PbPagedViewPrivate *priv)
{
  return priv->model == NULL || pb_paged_model_get_has_more (priv->model);
}

static PbPagedViewState
work_out_state (PbPagedViewPrivate *priv)
{
  if (n_items (priv) > 0)
    return PB_PAGED_VIEW_STATE_LIST;
  if (priv->error_text != NULL)
    return PB_PAGED_VIEW_STATE_ERROR;
  if (model_loading (priv) || model_has_more (priv))
    {
      /* A refresh keeps showing what it replaces. */
      if (priv->refreshing && priv->state_known)
        return priv->state;
      return PB_PAGED_VIEW_STATE_LOADING;
    }
  return PB_PAGED_VIEW_STATE_EMPTY;
}

void
pb_paged_view_update_state (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);
  PbPagedViewClass *klass = PB_PAGED_VIEW_GET_CLASS (self);
  PbPagedViewState state = work_out_state (priv);
  guint n = n_items (priv);
  gboolean more;

  switch (state)
    {
    case PB_PAGED_VIEW_STATE_ERROR:
      adw_status_page_set_description (priv->error_page, priv->error_text);
      adw_status_page_set_icon_name (priv->error_page, priv->error_icon);
      break;
    case PB_PAGED_VIEW_STATE_EMPTY:
      {
        const char *title = NULL, *description = NULL;
        gboolean clearable = FALSE;

        if (klass->describe_empty != NULL)
          klass->describe_empty (self, &title, &description, &clearable);
        adw_status_page_set_title (priv->empty_page, title);
        adw_status_page_set_description (priv->empty_page, description);
        gtk_widget_set_visible (priv->clear_button, clearable);
      }
      break;
    case PB_PAGED_VIEW_STATE_LOADING:
    case PB_PAGED_VIEW_STATE_LIST:
    default:
      break;
    }
  gtk_stack_set_visible_child_name (priv->stack, state_pages[state]);

  if (!priv->state_known || priv->state != state)
    {
      priv->state = state;
      priv->state_known = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  /* The footer: more pages on their way, or a later page that failed. */
  more = model_loading (priv) || (klass->loads_every_page && model_has_more (priv));
  gtk_revealer_set_reveal_child (priv->footer_revealer,
                                 n > 0 && (more || priv->error_text != NULL));
  gtk_spinner_set_spinning (priv->footer_spinner, n > 0 && more && priv->error_text == NULL);
  gtk_widget_set_visible (GTK_WIDGET (priv->footer_spinner), priv->error_text == NULL);
  gtk_widget_set_visible (priv->footer_retry, priv->error_text != NULL);
  gtk_label_set_label (priv->footer_label,
                       priv->error_text ? priv->error_text : priv->loading_more_text);
}

static void
on_model_loading_notify_cb (PbPagedView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  pb_paged_view_update_state (self);
}

/* ---- offline --------------------------------------------------------------------------- */

/* A list served from the store's replica (the backend could not be reached) says so, and so
 * does a list kept on screen because a refresh could not reach the backend. */
static void
update_offline (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);
  PbPagedViewClass *klass = PB_PAGED_VIEW_GET_CLASS (self);
  gboolean offline = priv->model != NULL && pb_paged_model_get_from_cache (priv->model);

  if (!offline && priv->stale)
    {
      g_autofree char *text = klass->offline_text (self, TRUE, priv->fetched_at);

      gtk_label_set_label (priv->offline_label, text);
      gtk_revealer_set_reveal_child (priv->offline_revealer, TRUE);
      return;
    }
  if (offline)
    {
      GDateTime *refreshed = priv->store ? pb_store_get_last_refresh (priv->store) : NULL;
      g_autofree char *text = klass->offline_text (self, FALSE, refreshed);

      gtk_label_set_label (priv->offline_label, text);
    }
  gtk_revealer_set_reveal_child (priv->offline_revealer, offline);
}

/* ---- loading --------------------------------------------------------------------------- */

/* Puts the list being loaded in the list view. */
static void
show_model (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  if (priv->model == NULL || priv->shown == priv->model)
    return;
  g_set_object (&priv->shown, priv->model);
  PB_PAGED_VIEW_GET_CLASS (self)->show_model (self, G_LIST_MODEL (priv->model));
}

static void
connect_model (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_signal_connect_object (priv->model, "notify::loading",
                           G_CALLBACK (on_model_loading_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->model, "notify::from-cache",
                           G_CALLBACK (update_offline), self, G_CONNECT_SWAPPED);
  update_offline (self);
}

/* Cancels the page in flight, forgets the last failure and lets go of the model. */
static void
drop_model (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  g_clear_pointer (&priv->error_text, g_free);
  if (priv->model != NULL)
    g_signal_handlers_disconnect_by_data (priv->model, self);
  g_clear_object (&priv->model);
}

typedef struct
{
  PbPagedView *view;
  PbPagedModel *model;
} LoadData;

static void
on_page_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(PbPagedView) self = data->view;
  g_autoptr(PbPagedModel) model = data->model;
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  g_free (data);
  if (!pb_paged_model_load_more_finish (model, result, NULL, &error))
    {
      if (model != priv->model)
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          /* Left the view meanwhile, or came back before the old request ended. */
          if (gtk_widget_get_mapped (GTK_WIDGET (self)))
            PB_PAGED_VIEW_GET_CLASS (self)->more_wanted (self);
          pb_paged_view_update_state (self);
          return;
        }
      g_debug ("Could not load a page: %s", error->message);
      if (priv->refreshing && pb_paged_model_error_is_unreachable (error))
        {
          /* Out of reach during a refresh: keep the list fetched before, marked as such,
           * rather than trading it for an error page. */
          g_signal_handlers_disconnect_by_data (priv->model, self);
          g_set_object (&priv->model, priv->shown);
          if (priv->model != NULL)
            connect_model (self);
          priv->refreshing = FALSE;
          priv->stale = TRUE;
          update_offline (self);
          pb_paged_view_update_state (self);
          return;
        }
      priv->refreshing = FALSE;
      show_model (self);
      g_free (priv->error_text);
      priv->error_text = pb_error_sentence (error);
      priv->error_icon = pb_error_icon_name (error);
      pb_paged_view_update_state (self);
      return;
    }

  if (model != priv->model)
    return;

  priv->refreshing = FALSE;
  pb_paged_model_set_page_size (priv->model, priv->page_size);
  show_model (self);
  if (!pb_paged_model_get_has_more (priv->model))
    {
      g_clear_pointer (&priv->fetched_at, g_date_time_unref);
      priv->fetched_at = g_date_time_new_now_local ();
      priv->stale = FALSE;
      update_offline (self);
    }
  PB_PAGED_VIEW_GET_CLASS (self)->more_wanted (self);
  pb_paged_view_update_state (self);
}

gboolean
pb_paged_view_load_next (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);
  LoadData *data;

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), FALSE);

  if (priv->model == NULL || priv->error_text != NULL
      || !pb_paged_model_get_has_more (priv->model)
      || pb_paged_model_get_loading (priv->model)
      || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;

  if (priv->cancellable == NULL || g_cancellable_is_cancelled (priv->cancellable))
    {
      g_clear_object (&priv->cancellable);
      priv->cancellable = g_cancellable_new ();
    }

  data = g_new0 (LoadData, 1);
  data->view = g_object_ref (self);
  data->model = g_object_ref (priv->model);
  pb_paged_model_load_more_async (priv->model, priv->cancellable, on_page_loaded_cb, data);
  pb_paged_view_update_state (self);
  return TRUE;
}

void
pb_paged_view_show_filter (PbPagedView     *self,
                           PbPagedFilter   *filter,
                           PbPagedViewLoad  load)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);
  g_autoptr(PbPagedFilter) owned = filter;
  guint first_page_size;

  g_return_if_fail (PB_IS_PAGED_VIEW (self));
  g_return_if_fail (filter != NULL);

  if (priv->store == NULL)
    return;
  /* Typing something and taking it back, or a drop-down set to what it was: no new list. */
  if (load == PB_PAGED_VIEW_LOAD_IF_CHANGED && priv->model != NULL && priv->error_text == NULL
      && pb_paged_filter_equal (filter, pb_paged_model_get_filter (priv->model)))
    return;

  drop_model (self);
  g_debug ("Loading a %s", load == PB_PAGED_VIEW_LOAD_REFRESH ? "refresh" : "new list");
  first_page_size = PB_PAGED_VIEW_GET_CLASS (self)->first_page_size;
  if (first_page_size == 0 || first_page_size > priv->page_size)
    first_page_size = priv->page_size;
  priv->model = pb_paged_model_new_for_store (priv->store, PB_PAGED_VIEW_GET_CLASS (self)->kind,
                                              owned, first_page_size);
  connect_model (self);
  priv->refreshing = load == PB_PAGED_VIEW_LOAD_REFRESH
                     && priv->state == PB_PAGED_VIEW_STATE_LIST;
  if (!priv->refreshing)
    show_model (self);

  pb_paged_view_load_next (self);
  pb_paged_view_update_state (self);
}

/* ---- actions --------------------------------------------------------------------------- */

void
pb_paged_view_reload (PbPagedView *self)
{
  g_return_if_fail (PB_IS_PAGED_VIEW (self));
  PB_PAGED_VIEW_GET_CLASS (self)->reload (self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  pb_paged_view_reload (PB_PAGED_VIEW (widget));
}

/* After a failure: ask again for the page that failed, keeping what is loaded; with nothing
 * loaded, a new list. */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PbPagedView *self = PB_PAGED_VIEW (widget);
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  if (n_items (priv) == 0)
    {
      pb_paged_view_reload (self);
      return;
    }
  g_clear_pointer (&priv->error_text, g_free);
  pb_paged_view_load_next (self);
  pb_paged_view_update_state (self);
}

static void
on_clear_clicked_cb (PbPagedView *self)
{
  PbPagedViewClass *klass = PB_PAGED_VIEW_GET_CLASS (self);

  if (klass->clear_filters != NULL)
    klass->clear_filters (self);
}

/* ---- default virtual functions --------------------------------------------------------- */

static void
pb_paged_view_real_reload (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  if (priv->model == NULL)
    {
      PB_PAGED_VIEW_GET_CLASS (self)->apply_filters (self);
      return;
    }
  pb_paged_view_show_filter (self, pb_paged_filter_copy (pb_paged_model_get_filter (priv->model)),
                             PB_PAGED_VIEW_LOAD_NEW);
}

static void
pb_paged_view_real_show_model (PbPagedView *self,
                               GListModel  *model)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (model));

  gtk_list_view_set_model (priv->list_view, GTK_SELECTION_MODEL (selection));
}

static void
pb_paged_view_real_more_wanted (PbPagedView *self)
{
  pb_paged_view_load_next (self);
}

/* ---- GObject / GtkWidget --------------------------------------------------------------- */

static void
pb_paged_view_map (GtkWidget *widget)
{
  PbPagedView *self = PB_PAGED_VIEW (widget);
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  GTK_WIDGET_CLASS (pb_paged_view_parent_class)->map (widget);
  if (priv->model == NULL)
    PB_PAGED_VIEW_GET_CLASS (self)->apply_filters (self);
  else
    PB_PAGED_VIEW_GET_CLASS (self)->more_wanted (self);
  pb_paged_view_update_state (self);
}

static void
pb_paged_view_unmap (GtkWidget *widget)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (PB_PAGED_VIEW (widget));

  /* Nobody looks: stop fetching. map() picks up where this stopped. */
  g_cancellable_cancel (priv->cancellable);
  GTK_WIDGET_CLASS (pb_paged_view_parent_class)->unmap (widget);
}

static void
pb_paged_view_dispose (GObject *object)
{
  PbPagedView *self = PB_PAGED_VIEW (object);
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  drop_model (self);
  g_clear_object (&priv->shown);
  /* GTK 4.8 keeps the template children of every class of a subclass's instance under the
   * instance's type, so gtk_widget_dispose_template() cannot be used per class here: the
   * templates' widgets go with the top box, and GtkWidget lets go of its references to them
   * when it is finalized. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pb_paged_view_parent_class)->dispose (object);
}

static void
pb_paged_view_finalize (GObject *object)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (PB_PAGED_VIEW (object));

  g_clear_object (&priv->store);
  g_free (priv->integration_id);
  g_free (priv->title);
  g_free (priv->subtitle);
  g_free (priv->loading_more_text);
  g_free (priv->error_text);
  g_clear_pointer (&priv->fetched_at, g_date_time_unref);

  G_OBJECT_CLASS (pb_paged_view_parent_class)->finalize (object);
}

static void
pb_paged_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PbPagedView *self = PB_PAGED_VIEW (object);
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;
    case PROP_INTEGRATION_ID:
      g_value_set_string (value, priv->integration_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, priv->subtitle);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, model_loading (priv));
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, priv->page_size);
      break;
    case PROP_FILTER_BAR:
      g_value_set_object (value, adw_bin_get_child (priv->filter_bin));
      break;
    case PROP_LOADING_TEXT:
      g_value_set_string (value, gtk_label_get_label (priv->loading_label));
      break;
    case PROP_LOADING_MORE_TEXT:
      g_value_set_string (value, priv->loading_more_text);
      break;
    case PROP_ERROR_TITLE:
      g_value_set_string (value, adw_status_page_get_title (priv->error_page));
      break;
    case PROP_EMPTY_ICON_NAME:
      g_value_set_string (value, adw_status_page_get_icon_name (priv->empty_page));
      break;
    case PROP_CLEAR_TOOLTIP:
      g_value_set_string (value, gtk_widget_get_tooltip_text (priv->clear_button));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_paged_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PbPagedView *self = PB_PAGED_VIEW (object);
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      priv->store = g_value_dup_object (value);
      break;
    case PROP_INTEGRATION_ID:
      pb_paged_view_set_integration_id (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      g_free (priv->title);
      priv->title = g_value_dup_string (value);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_PAGE_SIZE:
      pb_paged_view_set_page_size (self, g_value_get_uint (value));
      break;
    case PROP_FILTER_BAR:
      adw_bin_set_child (priv->filter_bin, g_value_get_object (value));
      break;
    case PROP_LOADING_TEXT:
      gtk_label_set_label (priv->loading_label, g_value_get_string (value));
      break;
    case PROP_LOADING_MORE_TEXT:
      g_free (priv->loading_more_text);
      priv->loading_more_text = g_value_dup_string (value);
      break;
    case PROP_ERROR_TITLE:
      adw_status_page_set_title (priv->error_page, g_value_get_string (value));
      break;
    case PROP_EMPTY_ICON_NAME:
      adw_status_page_set_icon_name (priv->empty_page, g_value_get_string (value));
      break;
    case PROP_CLEAR_TOOLTIP:
      gtk_widget_set_tooltip_text (priv->clear_button, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_paged_view_class_init (PbPagedViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags template_flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pb_paged_view_dispose;
  object_class->finalize = pb_paged_view_finalize;
  object_class->get_property = pb_paged_view_get_property;
  object_class->set_property = pb_paged_view_set_property;
  widget_class->map = pb_paged_view_map;
  widget_class->unmap = pb_paged_view_unmap;
  klass->reload = pb_paged_view_real_reload;
  klass->show_model = pb_paged_view_real_show_model;
  klass->more_wanted = pb_paged_view_real_more_wanted;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTEGRATION_ID] =
    g_param_spec_string ("integration-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PB_TYPE_PAGED_VIEW_STATE,
                       PB_PAGED_VIEW_STATE_LOADING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL, 1, pb_paged_model_get_max_page_size (),
                       DEFAULT_PAGE_SIZE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FILTER_BAR] =
    g_param_spec_object ("filter-bar", NULL, NULL, GTK_TYPE_WIDGET, template_flags);
  properties[PROP_LOADING_TEXT] =
    g_param_spec_string ("loading-text", NULL, NULL, NULL, template_flags);
  properties[PROP_LOADING_MORE_TEXT] =
    g_param_spec_string ("loading-more-text", NULL, NULL, NULL, template_flags);
  properties[PROP_ERROR_TITLE] =
    g_param_spec_string ("error-title", NULL, NULL, NULL, template_flags);
  properties[PROP_EMPTY_ICON_NAME] =
    g_param_spec_string ("empty-icon-name", NULL, NULL, NULL, template_flags);
  properties[PROP_CLEAR_TOOLTIP] =
    g_param_spec_string ("clear-tooltip", NULL, NULL, NULL, template_flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, TEMPLATE);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, filter_bin);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, offline_revealer);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, offline_label);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, stack);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, loading_label);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, error_page);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, empty_page);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, clear_button);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, scrolled);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, list_view);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, footer_revealer);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, footer_spinner);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, footer_label);
  gtk_widget_class_bind_template_child_private (widget_class, PbPagedView, footer_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked_cb);

  gtk_widget_class_install_action (widget_class, "view.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "view.retry", NULL, retry_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "view.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "view.reload", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pb_paged_view_init (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  priv->page_size = DEFAULT_PAGE_SIZE;
}

/* ---- public ---------------------------------------------------------------------------- */

PbStore *
pb_paged_view_get_store (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);
  return priv->store;
}

void
pb_paged_view_set_integration_id (PbPagedView *self,
                                  const char  *integration_id)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);
  PbPagedViewClass *klass;

  g_return_if_fail (PB_IS_PAGED_VIEW (self));

  if (integration_id != NULL && *integration_id == '\0')
    integration_id = NULL;
  if (g_strcmp0 (priv->integration_id, integration_id) == 0)
    return;
  g_free (priv->integration_id);
  priv->integration_id = g_strdup (integration_id);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTEGRATION_ID]);
  klass = PB_PAGED_VIEW_GET_CLASS (self);
  if (klass->integration_changed != NULL)
    klass->integration_changed (self);
}

const char *
pb_paged_view_get_integration_id (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);
  return priv->integration_id;
}

const char *
pb_paged_view_get_title (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);
  return priv->title;
}

const char *
pb_paged_view_get_subtitle (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);
  return priv->subtitle;
}

PbPagedViewState
pb_paged_view_get_state (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), PB_PAGED_VIEW_STATE_LOADING);
  return priv->state;
}

gboolean
pb_paged_view_get_loading (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), FALSE);
  return model_loading (priv);
}

gboolean
pb_paged_view_get_has_more (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), FALSE);
  return model_has_more (priv);
}

const char *
pb_paged_view_get_error_text (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);
  return priv->error_text;
}

const char *
pb_paged_view_get_offline_text (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);
  if (!gtk_revealer_get_reveal_child (priv->offline_revealer))
    return NULL;
  return gtk_label_get_label (priv->offline_label);
}

void
pb_paged_view_set_page_size (PbPagedView *self,
                             guint        page_size)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_if_fail (PB_IS_PAGED_VIEW (self));

  page_size = CLAMP (page_size, 1, pb_paged_model_get_max_page_size ());
  if (priv->page_size == page_size)
    return;
  priv->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
  if (priv->model != NULL)
    pb_paged_view_show_filter (self, pb_paged_filter_copy (pb_paged_model_get_filter (priv->model)),
                               PB_PAGED_VIEW_LOAD_NEW);
}

PbPagedModel *
pb_paged_view_get_model (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);
  return priv->model;
}

const PbPagedFilter *
pb_paged_view_get_filter (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);
  return priv->model ? pb_paged_model_get_filter (priv->model) : NULL;
}

GtkListView *
pb_paged_view_get_list_view (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);
  return priv->list_view;
}

GtkAdjustment *
pb_paged_view_get_vadjustment (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);
  return gtk_scrolled_window_get_vadjustment (priv->scrolled);
}

char *
pb_paged_view_integration_subtitle (PbPagedView *self)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);
  PbIntegration *integration = NULL;

  g_return_val_if_fail (PB_IS_PAGED_VIEW (self), NULL);

  if (priv->integration_id != NULL && priv->store != NULL)
    integration = pb_store_find_integration (priv->store, priv->integration_id, NULL);
  if (integration != NULL)
    /* TRANSLATORS: connector · integration name */
    return g_strdup_printf (_("%s · %s"), pb_integration_get_connector_label (integration),
                            pb_integration_get_name (integration));
  if (priv->integration_id != NULL)
    return g_strdup (priv->integration_id);
  return g_strdup (_("All integrations"));
}

void
pb_paged_view_set_subtitle (PbPagedView *self,
                            char        *subtitle)
{
  PbPagedViewPrivate *priv = pb_paged_view_get_instance_private (self);

  g_return_if_fail (PB_IS_PAGED_VIEW (self));

  if (g_strcmp0 (subtitle, priv->subtitle) == 0)
    {
      g_free (subtitle);
      return;
    }
  g_free (priv->subtitle);
  priv->subtitle = subtitle;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}
