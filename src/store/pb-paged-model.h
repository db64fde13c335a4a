/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-core.h"

G_BEGIN_DECLS

typedef struct _PbStore PbStore;

/* Which requests a list of request logs shows. */
typedef enum
{
  PB_PAGED_RESULT_ANY,
  PB_PAGED_RESULT_SUCCEEDED,
  PB_PAGED_RESULT_FAILED,
} PbPagedResult;

/*
 * PbPagedFilter: what a paged list is filtered on, in the store's words. A new filter has
 * nothing set: every item of the project. Strings are owned (g_free), times referenced.
 */
typedef struct
{
  char            *integration_id;  /* NULL: every integration */

  /* Linked accounts */
  gboolean         has_status;      /* only accounts in @status */
  PbAccountStatus  status;
  char            *text;            /* owner or user name containing this */

  /* Request logs */
  char            *account_id;
  PbPagedResult    result;
  char            *status_codes;    /* "404,500" */
  GDateTime       *start;           /* from this time on */
  GDateTime       *end;             /* until this time */
} PbPagedFilter;

#define PB_TYPE_PAGED_FILTER (pb_paged_filter_get_type ())
GType          pb_paged_filter_get_type        (void) G_GNUC_CONST;
PbPagedFilter *pb_paged_filter_new             (void);
PbPagedFilter *pb_paged_filter_copy            (const PbPagedFilter *filter);
void           pb_paged_filter_free            (PbPagedFilter       *filter);
/* Whether @a and @b (both nullable) filter on the same things. */
gboolean       pb_paged_filter_equal           (const PbPagedFilter *a,
                                                const PbPagedFilter *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbPagedFilter, pb_paged_filter_free)

typedef enum
{
  PB_PAGED_MODEL_ACCOUNTS,   /* PbLinkedAccount, GET /accounts */
  PB_PAGED_MODEL_LOGS,       /* PbLogEntry, GET /requests/logs (newest first by default) */
} PbPagedModelKind;

#define PB_TYPE_PAGED_MODEL (pb_paged_model_get_type ())
G_DECLARE_FINAL_TYPE (PbPagedModel, pb_paged_model, PB, PAGED_MODEL, GObject)

/*
 * PbPagedModel: a GListModel over a paged list of the API that loads one page at a time,
 * when asked (endless scrolling): pb_paged_model_load_more_async() appends the next page
 * with one items-changed (n, 0, added). Starts empty. "has-more" is TRUE until a page with
 * `next: null` arrived; "loading" is TRUE while a page is on its way (a second request
 * meanwhile fails with G_IO_ERROR_PENDING). The filters are fixed at construction; for other
 * filters make another model (PbStore does).
 */

/* A new model of @store's linked accounts or request logs; @page_size: items per request
 * (0: 25), at most pb_paged_model_get_max_page_size(). */
PbPagedModel  *pb_paged_model_new_for_store    (PbStore             *store,
                                                PbPagedModelKind     kind,
                                                const PbPagedFilter *filter,
                                                guint                page_size);
/* (transfer none) (nullable): the filter of a model made by pb_paged_model_new_for_store() */
const PbPagedFilter *pb_paged_model_get_filter (PbPagedModel     *self);
guint          pb_paged_model_get_max_page_size (void);
/* Whether a page failed because the backend could not be reached at all. */
gboolean       pb_paged_model_error_is_unreachable (const GError *error);

PbPagedModelKind pb_paged_model_get_kind       (PbPagedModel     *self);
/* Items per request from the next one on (a first page smaller than the rest is shown
 * sooner); at most pb_paged_model_get_max_page_size(). */
void           pb_paged_model_set_page_size    (PbPagedModel     *self,
                                                guint            page_size);
gboolean       pb_paged_model_get_has_more     (PbPagedModel     *self);
gboolean       pb_paged_model_get_loading      (PbPagedModel     *self);

/* Returns the number of items added (0 at the end). */
void           pb_paged_model_load_more_async  (PbPagedModel     *self,
                                                GCancellable     *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer          user_data);
gboolean       pb_paged_model_load_more_finish (PbPagedModel     *self,
                                                GAsyncResult     *result,
                                                guint            *out_added,
                                                GError          **error);

/* TRUE while the items are the pages saved in the replica the last time the backend
 * answered (the backend could not be reached; "has-more" is then FALSE). PbStore's models
 * save each page and fall back to them. */
gboolean       pb_paged_model_get_from_cache   (PbPagedModel     *self);

/* Forgets what was loaded (one items-changed (0, n, 0)); the next load starts again at
 * the first page. Not while loading. */
void           pb_paged_model_reset            (PbPagedModel     *self);

G_END_DECLS
