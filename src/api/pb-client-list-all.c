/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-api"

#include "config.h"

#include "pb-client-private.h"

#include <string.h>

/* Following pages to the end
 *
 * Pages come one after another (a page's cursor is in it), but a page's cursor can be read
 * from the end of its body before the body is parsed: the API ends every page with
 * `"next": "<cursor>"}` (docs/api.md, "Lists and pages"). So as soon as a page's bytes
 * arrive, the next page is asked for (up to LIST_ALL_MAX_AHEAD pages ahead) while this one
 * is parsed in a worker thread. Pages are taken strictly in order; each parsed "next" must
 * be the cursor the following page was asked with, otherwise the pages asked for early are
 * dropped (cancelled, their answers ignored) and "next" is asked for as usual. */

#define LIST_ALL_MAX_AHEAD 2
/* Longer cursors are not read early (the server's are a few dozen bytes). */
#define PEEK_MAX_CURSOR 1024

typedef struct _Fetch Fetch;

typedef struct
{
  char         *path;
  PbQuery      *query;
  ModelParser   parser;
  const char   *what;
  GHashTable   *cursors;     /* parsed "next"s, so that a looping backend cannot loop us */
  GHashTable   *requested;   /* every cursor asked for, early or not */
  GQueue        fetches;     /* Fetch (a reference each): the page to take next first */
  GPtrArray    *items;
  GSource      *cancel_source;  /* cancels the fetches when the list's cancellable is */
  gboolean      finished;
} ListAll;

/* One page of a list-all: asked for, then done (a page or an error), then taken. */
struct _Fetch
{
  guint         ref_count;     /* the list's queue, the request in flight; main thread */
  GTask        *list;          /* (nullable) the list-all task; cleared when dropped */
  char         *cursor;        /* the page was asked for with it; NULL for the first page */
  char         *early_next;    /* read from the end of the body before parsing; NULL if not */
  gboolean      peeked;
  gboolean      done;
  gboolean      dropped;
  GCancellable *cancellable;   /* this page's request; cancelled with the list's, or dropped */
  PbPage       *page;
  GError       *error;
};

static void
fetch_unref (Fetch *fetch)
{
  g_assert (fetch->ref_count > 0);
  if (--fetch->ref_count > 0)
    return;

  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->list);
  g_free (fetch->cursor);
  g_free (fetch->early_next);
  g_clear_pointer (&fetch->page, pb_page_free);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

static void
list_all_clear_cancel_source (ListAll *list)
{
  if (list->cancel_source != NULL)
    {
      g_source_destroy (list->cancel_source);
      g_clear_pointer (&list->cancel_source, g_source_unref);
    }
}

static void
list_all_free (ListAll *list)
{
  /* Every fetch holds the list's task: the queue is empty by now. */
  g_assert (g_queue_is_empty (&list->fetches));
  list_all_clear_cancel_source (list);
  g_free (list->path);
  g_clear_pointer (&list->query, pb_query_free);
  g_clear_pointer (&list->cursors, g_hash_table_unref);
  g_clear_pointer (&list->requested, g_hash_table_unref);
  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_free (list);
}

static gboolean
peek_skip_space (const char *data,
                 gsize      *end)
{
  while (*end > 0 && (data[*end - 1] == ' ' || data[*end - 1] == '\t'
                      || data[*end - 1] == '\r' || data[*end - 1] == '\n'))
    (*end)--;

  return *end > 0;
}

static gboolean
peek_expect (const char *data,
             gsize      *end,
             const char *token)
{
  gsize length = strlen (token);

  if (!peek_skip_space (data, end) || *end < length
      || memcmp (data + *end - length, token, length) != 0)
    return FALSE;

  *end -= length;
  return TRUE;
}

/* The cursor at the end of a page's body, `, "next": "<cursor>"}`, read without parsing.
 * NULL when the end has any other shape, when "next" is null, or when the cursor holds a
 * backslash (an escape that only the parser may decode) or anything but plain UTF-8 text:
 * then only the parse tells. A string is found from its closing quote back to the first
 * quote; with no backslash in between, that quote is unescaped, and "next" must be a key
 * of the outermost object, whose closing brace ends the body. */
static char *
peek_next_cursor (GBytes *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  gsize end = length;
  gsize close;
  gsize open;

  if (data == NULL || !peek_expect (data, &end, "}") || !peek_expect (data, &end, "\""))
    return NULL;

  close = end;
  while (end > 0 && data[end - 1] != '"')
    {
      if (data[end - 1] == '\\' || (guchar) data[end - 1] < 0x20 || close - end >= PEEK_MAX_CURSOR)
        return NULL;
      end--;
    }
  if (end == 0 || end == close)
    return NULL;
  open = end;
  end--;

  if (!peek_expect (data, &end, ":") || !peek_expect (data, &end, "\"next\"")
      || !peek_expect (data, &end, ","))
    return NULL;

  if (!g_utf8_validate_len (data + open, close - open, NULL))
    return NULL;

  return g_strndup (data + open, close - open);
}

static void on_list_all_page (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);
static void on_list_all_peek (GBytes       *bytes,
                              gpointer      user_data);

/* The list's cancellable was cancelled: so are the requests in flight. A source rather than
 * a ::cancelled handler, which could not be disconnected if a request ended within it. */
static gboolean
on_list_all_cancelled (GCancellable *list_cancellable,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  ListAll *list = g_task_get_task_data (task);
  g_autoptr(GPtrArray) cancellables = g_ptr_array_new_with_free_func (g_object_unref);

  list_all_clear_cancel_source (list);

  /* Cancelling may end a request at once, and change the queue. */
  for (GList *l = list->fetches.head; l != NULL; l = l->next)
    g_ptr_array_add (cancellables, g_object_ref (((Fetch *) l->data)->cancellable));
  for (guint i = 0; i < cancellables->len; i++)
    g_cancellable_cancel (g_ptr_array_index (cancellables, i));

  return G_SOURCE_REMOVE;
}

/* Asks for the page at @cursor (NULL: the first) and queues it after the others. */
static void
list_all_request (GTask      *task,
                  const char *cursor)
{
  PbClient *self = g_task_get_source_object (task);
  ListAll *list = g_task_get_task_data (task);
  GCancellable *list_cancellable = g_task_get_cancellable (task);
  Fetch *fetch;

  fetch = g_new0 (Fetch, 1);
  fetch->ref_count = 2;
  fetch->list = g_object_ref (task);
  fetch->cursor = g_strdup (cursor);
  fetch->cancellable = g_cancellable_new ();
  if (g_cancellable_is_cancelled (list_cancellable))
    g_cancellable_cancel (fetch->cancellable);

  if (cursor != NULL)
    g_hash_table_add (list->requested, g_strdup (cursor));
  g_queue_push_tail (&list->fetches, fetch);

  pb_client_request_start_full (self, "GET", list->path, list->query, PB_CLIENT_MAX_PAGE_SIZE,
                                cursor, NULL, -1, RESULT_PAGE, list->parser, list->what,
                                on_list_all_peek, fetch, fetch->cancellable, on_list_all_page,
                                fetch, pb_client_list_all_start);
}

/* Forgets every queued page: their requests are cancelled, their answers ignored. */
static void
list_all_drop (ListAll *list)
{
  Fetch *fetch;

  while ((fetch = g_queue_pop_head (&list->fetches)) != NULL)
    {
      fetch->dropped = TRUE;
      g_clear_object (&fetch->list);
      /* May finish its request at once; the queue's reference is still held. */
      g_cancellable_cancel (fetch->cancellable);
      fetch_unref (fetch);
    }
}

static void
list_all_return_error (GTask  *task,
                       GError *error)
{
  ListAll *list = g_task_get_task_data (task);

  list->finished = TRUE;
  list_all_clear_cancel_source (list);
  list_all_drop (list);
  g_task_return_error (task, error);
}

/* Asks early for the pages whose cursors are known but not parsed yet. */
static void
list_all_speculate (GTask *task)
{
  ListAll *list = g_task_get_task_data (task);

  while (!list->finished && g_queue_get_length (&list->fetches) < 1 + LIST_ALL_MAX_AHEAD)
    {
      Fetch *tail = g_queue_peek_tail (&list->fetches);

      if (tail == NULL || !tail->peeked || tail->early_next == NULL
          || g_hash_table_contains (list->requested, tail->early_next)
          || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        break;

      g_debug ("GET %s: asking for the next page before this one is parsed", list->path);
      list_all_request (task, tail->early_next);
    }
}

/* Takes the done pages at the head of the queue, in order. */
static void
list_all_advance (GTask *task)
{
  ListAll *list = g_task_get_task_data (task);
  Fetch *head;

  while (!list->finished && (head = g_queue_peek_head (&list->fetches)) != NULL && head->done)
    {
      g_autoptr(PbPage) page = NULL;
      Fetch *following;

      g_queue_pop_head (&list->fetches);
      if (head->error != NULL)
        {
          GError *error = g_steal_pointer (&head->error);

          fetch_unref (head);
          list_all_return_error (task, error);
          return;
        }

      page = g_steal_pointer (&head->page);
      fetch_unref (head);

      g_ptr_array_extend_and_steal (list->items, g_steal_pointer (&page->items));

      if (page->next == NULL)
        {
          list->finished = TRUE;
          list_all_clear_cancel_source (list);
          /* A page asked for early although this was the last one. */
          list_all_drop (list);
          g_task_return_pointer (task, g_steal_pointer (&list->items),
                                 (GDestroyNotify) g_ptr_array_unref);
          return;
        }

      if (!g_hash_table_add (list->cursors, g_strdup (page->next)))
        {
          list_all_return_error (task, g_error_new (PB_API_ERROR, PB_API_ERROR_INVALID_RESPONSE,
                                                    "The backend sent the same page cursor twice."));
          return;
        }

      following = g_queue_peek_head (&list->fetches);
      if (following == NULL || g_strcmp0 (following->cursor, page->next) != 0)
        {
          if (following != NULL)
            g_debug ("GET %s: the page asked for early is not the next one; dropped",
                     list->path);
          list_all_drop (list);
          list_all_request (task, page->next);
        }
    }

  list_all_speculate (task);
}

static void
on_list_all_peek (GBytes   *bytes,
                  gpointer  user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GTask) task = NULL;

  if (fetch->dropped)
    return;

  fetch->peeked = TRUE;
  fetch->early_next = peek_next_cursor (bytes);
  task = g_object_ref (fetch->list);
  list_all_speculate (task);
}

static void
on_list_all_page (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GTask) task = NULL;
  g_autoptr(PbPage) page = NULL;

  page = pb_client_request_finish_pointer (PB_CLIENT (source), result,
                                           pb_client_list_all_start, &fetch->error);
  if (fetch->dropped)
    {
      fetch_unref (fetch);
      return;
    }

  fetch->page = g_steal_pointer (&page);
  fetch->done = TRUE;
  task = g_object_ref (fetch->list);
  fetch_unref (fetch);
  list_all_advance (task);
}

void
pb_client_list_all_start (PbClient            *self,
                          const char          *path,
                          const PbQuery       *query,
                          ModelParser          parser,
                          const char          *what,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  ListAll *list;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  list = g_new0 (ListAll, 1);
  list->path = g_strdup (path);
  list->query = query != NULL ? pb_query_copy (query) : NULL;
  list->parser = parser;
  list->what = what;
  list->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list->requested = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&list->fetches);
  list->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, list, (GDestroyNotify) list_all_free);

  if (cancellable != NULL)
    {
      /* Destroyed when the list ends, before the task can be freed: no reference needed. */
      list->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (list->cancel_source, "[pb-api] list-all cancelled");
      g_source_set_callback (list->cancel_source, G_SOURCE_FUNC (on_list_all_cancelled), task,
                             NULL);
      g_source_attach (list->cancel_source, g_task_get_context (task));
    }

  list_all_request (task, NULL);
}

GPtrArray *
pb_client_list_all_finish (PbClient      *self,
                           GAsyncResult  *result,
                           gpointer       source_tag,
                           GError       **error)
{
  if (!pb_client_finish_begin (self, result, source_tag))
    return NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}
