/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-window-private.h"

/* The window's offline parts: the sync indicators of the list's and the views'
 * header bars, the offline banner, conflicts, "All changes synced". */

static void
on_store_conflict_cb (PbStore       *store,
                      PbOutboxEntry *entry,
                      JsonObject    *theirs,
                      PbWindow      *self)
{
  gtk_window_present (GTK_WINDOW (pb_conflict_dialog_new (GTK_WINDOW (self), store, entry,
                                                          theirs)));
}

static void
on_store_pending_cb (PbWindow *self)
{
  if (pb_store_get_n_pending (self->offline_store) > 0)
    self->had_pending = TRUE;
}

static void
on_store_synced_cb (PbStore  *store,
                    PbWindow *self)
{
  if (self->had_pending && pb_store_get_n_pending (store) == 0)
    {
      self->had_pending = FALSE;
      pb_window_toast (self, _("All changes synced"));
    }
}

static GtkWidget *
find_first_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *label;

      if (GTK_IS_LABEL (child))
        return child;
      if ((label = find_first_label (child)) != NULL)
        return label;
    }
  return NULL;
}

/* Narrow: the indicator keeps its icon (its tooltip and accessible name say the state), and
 * shows only when there is something to tell: a narrow header bar has no room for "Synced". */
static void
update_one_sync_indicator (PbWindow  *self,
                           GtkWidget *indicator)
{
  GtkWidget *label;
  gboolean quiet;

  if (indicator == NULL)
    return;
  label = find_first_label (indicator);
  if (label != NULL)
    gtk_widget_set_visible (label, !self->compact);
  quiet = pb_store_get_n_pending (self->offline_store) == 0
          && pb_store_get_online (self->offline_store)
          && pb_store_get_sync_state (self->offline_store) == PB_SYNC_STATE_IDLE;
  gtk_widget_set_visible (indicator, !(self->compact && quiet));
}

void
pb_window_update_sync_indicator (PbWindow *self)
{
  update_one_sync_indicator (self, self->sync_indicator);
  update_one_sync_indicator (self, self->view_sync_indicator);
}

void
pb_window_set_offline_ui (PbWindow *self,
                          PbStore  *store)
{
  if (self->offline_store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->offline_store, self);
      g_clear_object (&self->offline_store);
    }
  if (self->sync_indicator != NULL)
    adw_header_bar_remove (self->content_header, g_steal_pointer (&self->sync_indicator));
  if (self->view_sync_indicator != NULL && self->view_header != NULL)
    adw_header_bar_remove (self->view_header, g_steal_pointer (&self->view_sync_indicator));
  if (self->offline_banner != NULL)
    gtk_box_remove (self->content_box, g_steal_pointer (&self->offline_banner));
  self->had_pending = FALSE;
  if (store == NULL)
    {
      g_object_notify (G_OBJECT (self), "offline-store");
      return;
    }

  self->offline_store = g_object_ref (store);
  g_object_notify (G_OBJECT (self), "offline-store");
  self->sync_indicator = pb_sync_indicator_new (store);
  adw_header_bar_pack_end (self->content_header, self->sync_indicator);
  /* Linked accounts and logs are read from the backend too: their page says the same. */
  if (self->view_header != NULL)
    {
      self->view_sync_indicator = pb_sync_indicator_new (store);
      adw_header_bar_pack_end (self->view_header, self->view_sync_indicator);
    }
  pb_window_update_sync_indicator (self);
  self->offline_banner = pb_offline_banner_new (store);
  gtk_box_insert_child_after (self->content_box, self->offline_banner,
                              GTK_WIDGET (self->content_header));
  g_signal_connect (store, "conflict", G_CALLBACK (on_store_conflict_cb), self);
  g_signal_connect (store, "synced", G_CALLBACK (on_store_synced_cb), self);
  g_signal_connect_swapped (store, "notify::n-pending", G_CALLBACK (on_store_pending_cb), self);
  g_signal_connect_swapped (store, "notify::n-pending",
                            G_CALLBACK (pb_window_update_sync_indicator), self);
  g_signal_connect_swapped (store, "notify::online",
                            G_CALLBACK (pb_window_update_sync_indicator), self);
  g_signal_connect_swapped (store, "notify::sync-state",
                            G_CALLBACK (pb_window_update_sync_indicator), self);
  on_store_pending_cb (self);
}
