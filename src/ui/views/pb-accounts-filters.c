/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-accounts-view"

#include "config.h"

#include "pb-accounts-view-private.h"

#include <glib/gi18n.h>
#include <string.h>


typedef enum
{
  SORT_OWNER,
  SORT_STATUS,
  SORT_UPDATED,
  SORT_LINKED,
} SortKey;

/* The status drop-down's items after "All statuses". */
static const PbAccountStatus statuses[] = {
  PB_ACCOUNT_STATUS_ACTIVE, PB_ACCOUNT_STATUS_INACTIVE, PB_ACCOUNT_STATUS_SUSPENDED,
  PB_ACCOUNT_STATUS_ERROR, PB_ACCOUNT_STATUS_EXPIRED
};

gboolean
pb_accounts_has_filters (PbAccountsView *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  return gtk_drop_down_get_selected (self->status_dropdown) > 0
         || (text != NULL && *g_strstrip (text) != '\0');
}

PbPagedFilter *
pb_accounts_build_filter (PbAccountsView *self)
{
  PbPagedFilter *filter = pb_paged_filter_new ();
  guint status = gtk_drop_down_get_selected (self->status_dropdown);
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  filter->integration_id = g_strdup (pb_paged_view_get_integration_id (PB_PAGED_VIEW (self)));
  if (status > 0 && status <= G_N_ELEMENTS (statuses))
    {
      filter->has_status = TRUE;
      filter->status = statuses[status - 1];
    }
  if (text != NULL && *g_strstrip (text) != '\0')
    filter->text = g_steal_pointer (&text);
  return filter;
}

/* ---- titles ---------------------------------------------------------------------------- */

void
pb_accounts_update_titles (PbAccountsView *self)
{
  PbPagedView *view = PB_PAGED_VIEW (self);

  pb_paged_view_set_subtitle (view, pb_paged_view_integration_subtitle (view));
}

/* ---- sorting --------------------------------------------------------------------------- */

static int
compare_times (GDateTime *a,
               GDateTime *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL) - (b == NULL);
  return g_date_time_compare (b, a);   /* newest first */
}

/* The owner's name as it sorts (case-folded, collated for the locale), made once per account
 * (the models are immutable): a collation per comparison made sorting 20,000 accounts take
 * seconds for each page that arrived. */
static const char *
owner_key (PbLinkedAccount *account)
{
  static GQuark quark;
  const char *key;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("pb-accounts-owner-key");
  key = g_object_get_qdata (G_OBJECT (account), quark);
  if (key == NULL)
    {
      const char *name = pb_linked_account_get_origin_owner_name (account);
      g_autofree char *folded = g_utf8_casefold (name ? name : "", -1);
      char *made = g_utf8_collate_key (folded, -1);

      g_object_set_qdata_full (G_OBJECT (account), quark, made, g_free);
      key = made;
    }
  return key;
}

static int
status_rank (PbAccountStatus status)
{
  /* What needs attention first. */
  switch (status)
    {
    case PB_ACCOUNT_STATUS_ERROR:
      return 0;
    case PB_ACCOUNT_STATUS_EXPIRED:
      return 1;
    case PB_ACCOUNT_STATUS_SUSPENDED:
      return 2;
    case PB_ACCOUNT_STATUS_INACTIVE:
      return 3;
    case PB_ACCOUNT_STATUS_ACTIVE:
    default:
      return 4;
    }
}

int
pb_accounts_compare_accounts (gconstpointer a,
                              gconstpointer b,
                              gpointer      user_data)
{
  PbAccountsView *self = user_data;
  PbLinkedAccount *x = (PbLinkedAccount *) a;
  PbLinkedAccount *y = (PbLinkedAccount *) b;
  int result = 0;

  switch ((SortKey) gtk_drop_down_get_selected (self->sort_dropdown))
    {
    case SORT_STATUS:
      result = status_rank (pb_linked_account_get_status (x))
               - status_rank (pb_linked_account_get_status (y));
      break;
    case SORT_UPDATED:
      result = compare_times (pb_linked_account_get_updated_at (x),
                              pb_linked_account_get_updated_at (y));
      break;
    case SORT_LINKED:
      result = compare_times (pb_linked_account_get_created_at (x),
                              pb_linked_account_get_created_at (y));
      break;
    case SORT_OWNER:
    default:
      break;
    }
  if (result == 0)
    result = strcmp (owner_key (x), owner_key (y));
  if (result == 0)
    result = g_strcmp0 (pb_linked_account_get_id (x), pb_linked_account_get_id (y));
  return result < 0 ? -1 : result > 0 ? 1 : 0;
}

/* ---- callbacks ------------------------------------------------------------------------- */

/* GtkSearchEntry waits for a pause in typing ("search-delay", 250 ms) before this. */
void
pb_accounts_on_search_changed_cb (PbAccountsView *self)
{
  pb_paged_view_show_filter (PB_PAGED_VIEW (self), pb_accounts_build_filter (self),
                             PB_PAGED_VIEW_LOAD_IF_CHANGED);
}

void
pb_accounts_on_status_selected_cb (PbAccountsView *self)
{
  pb_paged_view_show_filter (PB_PAGED_VIEW (self), pb_accounts_build_filter (self),
                             PB_PAGED_VIEW_LOAD_IF_CHANGED);
}

void
pb_accounts_on_sort_selected_cb (PbAccountsView *self)
{
  pb_sorted_pages_resort (self->sorted);
}

void
pb_accounts_clear_filters (PbPagedView *view)
{
  PbAccountsView *self = PB_ACCOUNTS_VIEW (view);

  g_signal_handlers_block_by_func (self->status_dropdown, pb_accounts_on_status_selected_cb, self);
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->status_dropdown, pb_accounts_on_status_selected_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  pb_accounts_on_search_changed_cb (self);
}
