/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-paged-model"

#include "config.h"

#include "pb-paged-model.h"

#include <glib/gi18n-lib.h>

#include "pb-core.h"
#include "pb-store.h"
#include "pb-store-internal.h"
#include "pb-store-private.h"

struct _PbPagedModel
{
  GObject parent_instance;

  PbClient *client;
  PbPagedModelKind kind;
  PbQuery *query;
  PbPagedFilter *filter;
  guint page_size;

  GPtrArray *items;
  char *next;          /* cursor of the next page; NULL with started = the end */
  gboolean started;
  gboolean loading;
  guint generation;    /* bumped by reset, so a late page is dropped */

  /* Offline: pages are saved to the replica; with the backend out of reach the
   * saved ones are shown ("from-cache"). */
  PbReplica *replica;
  char *query_key;
  guint n_pages;       /* pages loaded from the backend since the start (or a reset) */
  gboolean from_cache;
};

static void pb_paged_model_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PbPagedModel, pb_paged_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pb_paged_model_model_init))

enum {
  PROP_0,
  PROP_HAS_MORE,
  PROP_LOADING,
  PROP_N_ITEMS,
  PROP_FROM_CACHE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
pb_paged_model_get_item_type (GListModel *model)
{
  return PB_PAGED_MODEL (model)->kind == PB_PAGED_MODEL_ACCOUNTS
    ? PB_TYPE_LINKED_ACCOUNT : PB_TYPE_LOG_ENTRY;
}

static guint
pb_paged_model_get_n_items (GListModel *model)
{
  return PB_PAGED_MODEL (model)->items->len;
}

static gpointer
pb_paged_model_get_item (GListModel *model,
                         guint       position)
{
  PbPagedModel *self = PB_PAGED_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
pb_paged_model_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pb_paged_model_get_item_type;
  iface->get_n_items = pb_paged_model_get_n_items;
  iface->get_item = pb_paged_model_get_item;
}

static void
pb_paged_model_finalize (GObject *object)
{
  PbPagedModel *self = (PbPagedModel *) object;

  g_clear_object (&self->client);
  g_clear_pointer (&self->query, pb_query_free);
  g_clear_pointer (&self->filter, pb_paged_filter_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->next);
  g_clear_object (&self->replica);
  g_free (self->query_key);

  G_OBJECT_CLASS (pb_paged_model_parent_class)->finalize (object);
}

static void
pb_paged_model_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PbPagedModel *self = PB_PAGED_MODEL (object);

  switch (prop_id)
    {
    case PROP_HAS_MORE:
      g_value_set_boolean (value, pb_paged_model_get_has_more (self));
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    case PROP_FROM_CACHE:
      g_value_set_boolean (value, self->from_cache);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_paged_model_class_init (PbPagedModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pb_paged_model_finalize;
  object_class->get_property = pb_paged_model_get_property;

  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* TRUE while the items are the pages saved the last time the backend answered. */
  properties[PROP_FROM_CACHE] =
    g_param_spec_boolean ("from-cache", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_paged_model_init (PbPagedModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

PbPagedModel *
pb_paged_model_new (PbClient         *client,
                    PbPagedModelKind  kind,
                    const PbQuery    *query,
                    guint             page_size)
{
  PbPagedModel *self;

  g_return_val_if_fail (PB_IS_CLIENT (client), NULL);
  g_return_val_if_fail (kind == PB_PAGED_MODEL_ACCOUNTS || kind == PB_PAGED_MODEL_LOGS, NULL);

  self = g_object_new (PB_TYPE_PAGED_MODEL, NULL);
  self->client = g_object_ref (client);
  self->kind = kind;
  self->query = query ? pb_query_copy (query) : NULL;
  self->page_size = CLAMP (page_size ? page_size : 25, 1, PB_CLIENT_MAX_PAGE_SIZE);

  return self;
}

G_DEFINE_BOXED_TYPE (PbPagedFilter, pb_paged_filter, pb_paged_filter_copy, pb_paged_filter_free)

PbPagedFilter *
pb_paged_filter_new (void)
{
  return g_new0 (PbPagedFilter, 1);
}

PbPagedFilter *
pb_paged_filter_copy (const PbPagedFilter *filter)
{
  PbPagedFilter *copy;

  g_return_val_if_fail (filter != NULL, NULL);

  copy = g_memdup2 (filter, sizeof *filter);
  copy->integration_id = g_strdup (filter->integration_id);
  copy->text = g_strdup (filter->text);
  copy->account_id = g_strdup (filter->account_id);
  copy->status_codes = g_strdup (filter->status_codes);
  copy->start = filter->start ? g_date_time_ref (filter->start) : NULL;
  copy->end = filter->end ? g_date_time_ref (filter->end) : NULL;
  return copy;
}

void
pb_paged_filter_free (PbPagedFilter *filter)
{
  if (filter == NULL)
    return;
  g_free (filter->integration_id);
  g_free (filter->text);
  g_free (filter->account_id);
  g_free (filter->status_codes);
  g_clear_pointer (&filter->start, g_date_time_unref);
  g_clear_pointer (&filter->end, g_date_time_unref);
  g_free (filter);
}

static gboolean
times_equal (GDateTime *a,
             GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

gboolean
pb_paged_filter_equal (const PbPagedFilter *a,
                       const PbPagedFilter *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strcmp0 (a->integration_id, b->integration_id) == 0
         && a->has_status == b->has_status
         && (!a->has_status || a->status == b->status)
         && g_strcmp0 (a->text, b->text) == 0
         && g_strcmp0 (a->account_id, b->account_id) == 0
         && a->result == b->result
         && g_strcmp0 (a->status_codes, b->status_codes) == 0
         && times_equal (a->start, b->start)
         && times_equal (a->end, b->end);
}

static void
query_set_time (PbQuery    *query,
                const char *key,
                GDateTime  *time)
{
  g_autofree char *text = NULL;

  if (time == NULL)
    return;
  text = pb_time_format_rfc3339 (time);
  pb_query_set (query, key, text);
}

/* The API's query parameters for @filter (api.md, GET /accounts and GET /requests/logs). */
static PbQuery *
filter_to_query (const PbPagedFilter *filter,
                 PbPagedModelKind     kind)
{
  PbQuery *query = pb_query_new ();

  if (filter == NULL)
    return query;
  if (filter->integration_id != NULL)
    pb_query_set (query, "integration_id", filter->integration_id);
  if (kind == PB_PAGED_MODEL_ACCOUNTS)
    {
      if (filter->has_status)
        pb_query_set (query, "status", pb_account_status_to_string (filter->status));
      if (filter->text != NULL)
        pb_query_set (query, "q", filter->text);
      return query;
    }
  if (filter->account_id != NULL)
    pb_query_set (query, "account_id", filter->account_id);
  if (filter->result != PB_PAGED_RESULT_ANY)
    pb_query_set (query, "success", filter->result == PB_PAGED_RESULT_SUCCEEDED ? "true" : "false");
  if (filter->status_codes != NULL)
    pb_query_set (query, "status_codes", filter->status_codes);
  query_set_time (query, "start_date", filter->start);
  query_set_time (query, "end_date", filter->end);
  return query;
}

PbPagedModel *
pb_paged_model_new_for_store (PbStore             *store,
                              PbPagedModelKind     kind,
                              const PbPagedFilter *filter,
                              guint                page_size)
{
  g_autoptr(PbQuery) query = NULL;
  PbPagedModel *self;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);
  g_return_val_if_fail (kind == PB_PAGED_MODEL_ACCOUNTS || kind == PB_PAGED_MODEL_LOGS, NULL);

  query = filter_to_query (filter, kind);
  if (kind == PB_PAGED_MODEL_ACCOUNTS)
    self = pb_store_create_accounts_model (store, query, page_size);
  else
    self = pb_store_create_logs_model (store, query, page_size);
  self->filter = filter ? pb_paged_filter_copy (filter) : pb_paged_filter_new ();
  return self;
}

const PbPagedFilter *
pb_paged_model_get_filter (PbPagedModel *self)
{
  g_return_val_if_fail (PB_IS_PAGED_MODEL (self), NULL);
  return self->filter;
}

guint
pb_paged_model_get_max_page_size (void)
{
  return PB_CLIENT_MAX_PAGE_SIZE;
}

gboolean
pb_paged_model_error_is_unreachable (const GError *error)
{
  return pb_api_error_is_unreachable (error);
}

PbPagedModelKind
pb_paged_model_get_kind (PbPagedModel *self)
{
  g_return_val_if_fail (PB_IS_PAGED_MODEL (self), PB_PAGED_MODEL_ACCOUNTS);
  return self->kind;
}

const PbQuery *
pb_paged_model_get_query (PbPagedModel *self)
{
  g_return_val_if_fail (PB_IS_PAGED_MODEL (self), NULL);
  return self->query;
}

void
pb_paged_model_set_page_size (PbPagedModel *self,
                              guint         page_size)
{
  g_return_if_fail (PB_IS_PAGED_MODEL (self));
  self->page_size = CLAMP (page_size, 1, PB_CLIENT_MAX_PAGE_SIZE);
}

gboolean
pb_paged_model_get_has_more (PbPagedModel *self)
{
  g_return_val_if_fail (PB_IS_PAGED_MODEL (self), FALSE);
  return !self->started || self->next != NULL;
}

gboolean
pb_paged_model_get_loading (PbPagedModel *self)
{
  g_return_val_if_fail (PB_IS_PAGED_MODEL (self), FALSE);
  return self->loading;
}

static void
set_loading (PbPagedModel *self,
             gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

typedef struct
{
  guint generation;
} LoadData;

static PbReplicaPageKind
replica_kind (PbPagedModel *self)
{
  return self->kind == PB_PAGED_MODEL_ACCOUNTS ? PB_REPLICA_PAGE_ACCOUNTS : PB_REPLICA_PAGE_LOGS;
}

static void
set_from_cache (PbPagedModel *self,
                gboolean      from_cache)
{
  if (self->from_cache == from_cache)
    return;
  self->from_cache = from_cache;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM_CACHE]);
}

void
pb_paged_model_set_replica (PbPagedModel *self,
                            PbReplica    *replica)
{
  g_return_if_fail (PB_IS_PAGED_MODEL (self));

  g_set_object (&self->replica, replica);
  g_free (self->query_key);
  self->query_key = pb_replica_query_key (self->query);
}

gboolean
pb_paged_model_get_from_cache (PbPagedModel *self)
{
  g_return_val_if_fail (PB_IS_PAGED_MODEL (self), FALSE);
  return self->from_cache;
}

static void
load_data_free (LoadData *data)
{
  g_free (data);
}

static void
on_page_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbPage) page = NULL;
  PbPagedModel *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  gboolean had_more;
  guint position, added;

  if (self->kind == PB_PAGED_MODEL_ACCOUNTS)
    page = pb_client_list_accounts_finish (PB_CLIENT (source), result, &error);
  else
    page = pb_client_list_logs_finish (PB_CLIENT (source), result, &error);

  if (data->generation != self->generation)
    {
      /* Reset meanwhile: this page belongs to the old list. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The list was reset while the page was loading");
      return;
    }

  set_loading (self, FALSE);

  if (page == NULL && self->replica != NULL && self->items->len == 0 &&
      g_error_matches (error, PB_API_ERROR, PB_API_ERROR_UNREACHABLE))
    {
      g_autoptr(GError) cache_error = NULL;

      page = pb_replica_load_pages (self->replica, replica_kind (self), self->query_key, NULL,
                                    &cache_error);
      if (cache_error != NULL)
        g_warning ("Could not read the cached pages: %s", cache_error->message);
      if (page != NULL)
        {
          g_clear_error (&error);
          /* What was saved is all there is until the backend answers again. */
          g_clear_pointer (&page->next, g_free);
          set_from_cache (self, TRUE);
        }
    }
  else if (page != NULL)
    {
      if (self->replica != NULL)
        {
          g_autoptr(GError) save_error = NULL;

          if (!pb_replica_save_page (self->replica, replica_kind (self), self->query_key,
                                     self->n_pages, page, &save_error))
            g_warning ("Could not cache a page: %s", save_error->message);
        }
      self->n_pages++;
      set_from_cache (self, FALSE);
    }

  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  had_more = pb_paged_model_get_has_more (self);
  self->started = TRUE;
  g_free (self->next);
  self->next = g_strdup (page->next);

  position = self->items->len;
  added = page->items->len;
  for (guint i = 0; i < added; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (page->items, i)));

  if (added > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  if (had_more != pb_paged_model_get_has_more (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);

  g_task_return_int (task, added);
}

void
pb_paged_model_load_more_async (PbPagedModel        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (PB_IS_PAGED_MODEL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pb_paged_model_load_more_async);

  if (self->loading)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The next page is being loaded already."));
      return;
    }
  if (!pb_paged_model_get_has_more (self))
    {
      g_task_return_int (task, 0);
      return;
    }

  data = g_new0 (LoadData, 1);
  data->generation = self->generation;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  set_loading (self, TRUE);

  if (self->kind == PB_PAGED_MODEL_ACCOUNTS)
    pb_client_list_accounts_async (self->client, self->query, self->page_size, self->next,
                                   cancellable, on_page_cb, g_steal_pointer (&task));
  else
    pb_client_list_logs_async (self->client, self->query, self->page_size, self->next,
                               cancellable, on_page_cb, g_steal_pointer (&task));
}

gboolean
pb_paged_model_load_more_finish (PbPagedModel  *self,
                                 GAsyncResult  *result,
                                 guint         *out_added,
                                 GError       **error)
{
  gssize added;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  added = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (out_added != NULL)
    *out_added = (guint) added;
  return TRUE;
}

void
pb_paged_model_reset (PbPagedModel *self)
{
  guint removed;
  gboolean had_more;

  g_return_if_fail (PB_IS_PAGED_MODEL (self));

  had_more = pb_paged_model_get_has_more (self);
  removed = self->items->len;
  self->generation++;
  self->started = FALSE;
  self->n_pages = 0;
  set_from_cache (self, FALSE);
  g_clear_pointer (&self->next, g_free);
  g_ptr_array_set_size (self->items, 0);
  set_loading (self, FALSE);

  if (removed > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  if (!had_more)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
}
