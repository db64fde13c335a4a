/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

typedef enum
{
  PB_PAGED_VIEW_STATE_LOADING,   /* nothing to show yet */
  PB_PAGED_VIEW_STATE_ERROR,     /* nothing to show: the first page failed */
  PB_PAGED_VIEW_STATE_EMPTY,     /* the list is complete and empty */
  PB_PAGED_VIEW_STATE_LIST,      /* items are shown */
} PbPagedViewState;

#define PB_TYPE_PAGED_VIEW_STATE (pb_paged_view_state_get_type ())
GType pb_paged_view_state_get_type (void) G_GNUC_CONST;

/* How pb_paged_view_show_filter() treats the list shown. */
typedef enum
{
  PB_PAGED_VIEW_LOAD_IF_CHANGED, /* a new list, unless the one shown has these filters */
  PB_PAGED_VIEW_LOAD_NEW,        /* a new list */
  PB_PAGED_VIEW_LOAD_REFRESH,    /* a new list; the one shown stays until it has a page, or
                                  * stays marked as fetched before when the backend is out
                                  * of reach */
} PbPagedViewLoad;

#define PB_TYPE_PAGED_VIEW (pb_paged_view_get_type ())
G_DECLARE_DERIVABLE_TYPE (PbPagedView, pb_paged_view, PB, PAGED_VIEW, GtkWidget)

/*
 * PbPagedView: a list of the store's PbPagedModel (linked accounts, request logs) with its
 * states: loading, an error page with Retry, an empty page with Clear Filters, the list with
 * a footer (more pages on their way, or a later page that failed), and a banner while the
 * list is one saved on this computer. Pages are fetched only while the view is mapped;
 * unmap, dispose and every new list cancel the request in flight.
 *
 * A subclass's template sets "title", "filter-bar" (its filter widgets, above the list),
 * "loading-text", "loading-more-text", "error-title" and "empty-icon-name"; its class sets
 * @kind and the virtual functions below.
 *
 * Properties: "store" (construct-only), "integration-id" (nullable: the whole project),
 * "title" and "subtitle" (for the window's header), "state" (read-only, PbPagedViewState),
 * "loading" (read-only: a page is on its way), "page-size" (items per request).
 * Actions: "view.reload" (F5, Ctrl+R), "view.retry".
 */
struct _PbPagedViewClass
{
  GtkWidgetClass parent_class;

  PbPagedModelKind kind;
  /* Ask for every page, one after the other (the subclass sorts), rather than when asked. */
  gboolean loads_every_page;
  /* Items in the first page, when fewer than "page-size" (0: "page-size"): every item of
   * the first page gets a row at once, so it comes on screen sooner with fewer. */
  guint first_page_size;

  /* Builds the filters from the subclass's widgets and shows them (the first map, and
   * "integration-id" changes). */
  void    (*apply_filters)       (PbPagedView  *self);
  /* "view.reload"; the default makes a new list with the filters of the one shown. */
  void    (*reload)              (PbPagedView  *self);
  /* A new list to show in the list view (the default shows @model as it is). */
  void    (*show_model)          (PbPagedView  *self,
                                  GListModel   *model);
  /* The next page may be wanted (mapped, a page arrived); the default asks for it. */
  void    (*more_wanted)         (PbPagedView  *self);
  /* The empty page's texts, and whether it offers to clear the filters. */
  void    (*describe_empty)      (PbPagedView  *self,
                                  const char  **title,
                                  const char  **description,
                                  gboolean     *clearable);
  /* Clear Filters on the empty page. */
  void    (*clear_filters)       (PbPagedView  *self);
  /* The banner's text: the list is saved on this computer (@stale FALSE; @when: the last
   * refresh) or a refresh could not reach the backend (@stale TRUE; @when: when the list
   * shown was fetched). @when: (nullable). */
  char   *(*offline_text)        (PbPagedView  *self,
                                  gboolean      stale,
                                  GDateTime    *when);
  /* "integration-id" changed. */
  void    (*integration_changed) (PbPagedView  *self);

  gpointer padding[8];
};

PbStore          *pb_paged_view_get_store          (PbPagedView         *self);
/* @integration_id: (nullable) NULL: the whole project. */
void              pb_paged_view_set_integration_id (PbPagedView         *self,
                                                    const char          *integration_id);
const char       *pb_paged_view_get_integration_id (PbPagedView         *self);
const char       *pb_paged_view_get_title          (PbPagedView         *self);
const char       *pb_paged_view_get_subtitle       (PbPagedView         *self);
PbPagedViewState  pb_paged_view_get_state          (PbPagedView         *self);
gboolean          pb_paged_view_get_loading        (PbPagedView         *self);
/* TRUE until the last page of the list has arrived (and before there is a list) */
gboolean          pb_paged_view_get_has_more       (PbPagedView         *self);
/* (nullable) the sentence of the error page or of a later page that failed */
const char       *pb_paged_view_get_error_text     (PbPagedView         *self);
/* (nullable) the banner's text while it is shown */
const char       *pb_paged_view_get_offline_text   (PbPagedView         *self);
void              pb_paged_view_set_page_size      (PbPagedView         *self,
                                                    guint                page_size);
/* Fetches the list again from the first page. */
void              pb_paged_view_reload             (PbPagedView         *self);

/* For subclasses. */

/* (nullable) (transfer none) the list being loaded, and its filters */
PbPagedModel     *pb_paged_view_get_model          (PbPagedView         *self);
const PbPagedFilter *pb_paged_view_get_filter      (PbPagedView         *self);
GtkListView      *pb_paged_view_get_list_view      (PbPagedView         *self);
GtkAdjustment    *pb_paged_view_get_vadjustment    (PbPagedView         *self);
/* Shows a list for @filter (taken). */
void              pb_paged_view_show_filter        (PbPagedView         *self,
                                                    PbPagedFilter       *filter,
                                                    PbPagedViewLoad      load);
/* Asks for the next page when there is one, none is on its way, no failure waits for a
 * retry and the view is mapped. Returns whether a page was asked for. */
gboolean          pb_paged_view_load_next          (PbPagedView         *self);
/* Shows the state again (after the filters changed what the empty page says). */
void              pb_paged_view_update_state       (PbPagedView         *self);
/* "connector · name" of the view's integration, its id when the store does not know it,
 * "All integrations" for none. */
char             *pb_paged_view_integration_subtitle (PbPagedView       *self);
/* Takes @subtitle. */
void              pb_paged_view_set_subtitle       (PbPagedView         *self,
                                                    char                *subtitle);

G_END_DECLS
