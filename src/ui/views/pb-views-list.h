/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-api.h"
#include "pb-store.h"

G_BEGIN_DECLS

/* What the accounts and logs views share about showing a paged list (private to
 * src/ui/views): which page of the stack to show, the footer under the list, the offline
 * banner, and loading pages one at a time with a cancellable the view can stop. */

/* Whether a page of @model (nullable) is on its way; whether it may have more (no list yet:
 * TRUE). */
gboolean    pb_views_list_loading        (PbPagedModel        *model);
gboolean    pb_views_list_has_more       (PbPagedModel        *model);
/* After a failure: whether the page that failed can be asked for again, keeping what is
 * loaded (the failure is forgotten); FALSE when nothing is loaded and a new list is needed. */
gboolean    pb_views_list_retry_in_place (PbPagedModel        *model,
                                          char               **error_text);

/* "error", "loading", "empty" or "list" for @model (nullable) and the last failure. */
const char *pb_views_list_state          (PbPagedModel        *model,
                                          const char          *error_text);
/* Shows @state in @stack, the error page saying @error_text with @error_icon. */
void        pb_views_list_show_state     (GtkStack            *stack,
                                          AdwStatusPage       *error_page,
                                          const char          *state,
                                          const char          *error_text,
                                          const char          *error_icon);
/* The footer under a list: a spinner with @loading_text, or @error_text with a retry button. */
void        pb_views_list_update_footer  (GtkRevealer         *revealer,
                                          GtkSpinner          *spinner,
                                          GtkLabel            *label,
                                          GtkWidget           *retry,
                                          gboolean             reveal,
                                          gboolean             spinning,
                                          const char          *error_text,
                                          const char          *loading_text);
/* What the offline banner says, NULL when it is hidden. */
const char *pb_views_list_offline_text   (GtkRevealer         *revealer,
                                          GtkLabel            *label);

/* Calls @on_loading on "notify::loading" and @on_offline on "notify::from-cache" of @model
 * (both swapped, with @view), then @on_offline once. */
void        pb_views_list_connect_model  (PbPagedModel        *model,
                                          gpointer             view,
                                          GCallback            on_loading,
                                          GCallback            on_offline);
/* Cancels the page in flight and drops it, the last failure and @model (disconnected from
 * @view). */
void        pb_views_list_drop_model     (gpointer             view,
                                          PbPagedModel       **model,
                                          GCancellable       **cancellable,
                                          char               **error_text);

/* Asks for the next page of @model when there is one, none is on its way, no failure waits
 * for a retry and @view is mapped; a cancelled *@cancellable is replaced. @callback gets
 * data for pb_views_list_load_finish(). Returns whether a page was asked for. */
gboolean    pb_views_list_load_next      (GtkWidget           *view,
                                          PbPagedModel        *model,
                                          const char          *error_text,
                                          GCancellable       **cancellable,
                                          GAsyncReadyCallback  callback);
/* In that @callback: the view and the model the page was asked for (new references). */
gboolean    pb_views_list_load_finish    (gpointer             user_data,
                                          GAsyncResult        *result,
                                          gpointer            *view,
                                          PbPagedModel       **model,
                                          PbApiFailure       **failure,
                                          GError             **error);
/* A load that was cancelled (the view left) or met a request still running: not a failure. */
gboolean    pb_views_list_interrupted    (const GError        *error);
/* Keeps a failure to show: its sentence and icon. */
void        pb_views_list_set_error      (char               **error_text,
                                          const char         **error_icon,
                                          const GError        *error,
                                          const PbApiFailure  *failure);

/* What a view's subtitle says of its integration: "connector · name", the id of one the store
 * does not know, or "All integrations" for NULL. */
char       *pb_views_list_integration_subtitle (PbStore   *store,
                                                const char *integration_id);
/* Takes @text as *@subtitle and notifies "subtitle" on @view when it differs. */
void        pb_views_list_set_subtitle   (gpointer             view,
                                          char               **subtitle,
                                          char                *text);

/* Disposes @view's template of @type and the template's unnamed top box. */
void        pb_views_list_dispose_template (GtkWidget         *view,
                                            GType              type);

G_END_DECLS
