/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-offline-ui"

#include "config.h"

#include "pb-offline-ui.h"

#include <glib/gi18n.h>

#include "pb-error-sentence.h"

struct _PbSyncIndicator
{
  AdwBin parent_instance;

  PbStore *store;
  GtkWidget *button;     /* GtkMenuButton */
  GtkWidget *spinner;
  GtkWidget *icon;
  GtkWidget *label;
  GtkWidget *list;       /* GtkListBox of the queued changes */
  GtkWidget *empty;
  GtkWidget *sync_button;
  char *summary;
};

G_DEFINE_FINAL_TYPE (PbSyncIndicator, pb_sync_indicator, ADW_TYPE_BIN)

static const char *
state_text (PbOutboxEntry *entry)
{
  switch (pb_outbox_entry_get_state (entry))
    {
    case PB_OUTBOX_STATE_CONFLICT:
      return _("Needs your decision: someone else changed it meanwhile");
    case PB_OUTBOX_STATE_REFUSED:
      return _("Needs your decision: refused by the server");
    case PB_OUTBOX_STATE_PENDING:
    default:
      return _("Waiting to sync");
    }
}

static void
on_discard_clicked_cb (GtkButton       *button,
                       PbSyncIndicator *self)
{
  PbOutboxEntry *entry = g_object_get_data (G_OBJECT (button), "pb-entry");
  g_autoptr(GError) error = NULL;

  if (!pb_store_resolve_keep_theirs (self->store, pb_outbox_entry_get_seq (entry), &error))
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
      g_autofree char *sentence = pb_error_sentence (error);
      /* Translators: why a refused change could not be discarded follows */
      g_autofree char *message = g_strdup_printf (_("Could not discard the change. %s"),
                                                  sentence);

      g_warning ("Could not discard a refused change: %s", error->message);
      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
    }
}

static void
on_resolve_clicked_cb (GtkButton       *button,
                       PbSyncIndicator *self)
{
  PbOutboxEntry *entry = g_object_get_data (G_OBJECT (button), "pb-entry");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  JsonObject *theirs = pb_outbox_entry_get_current (entry);
  GtkWidget *dialog;

  if (theirs == NULL)
    return;
  gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->button)));
  dialog = pb_conflict_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   self->store, entry, theirs);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_edit_clicked_cb (GtkButton       *button,
                    PbSyncIndicator *self)
{
  PbOutboxEntry *entry = g_object_get_data (G_OBJECT (button), "pb-entry");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->button)));
  pb_conflict_dialog_edit_change (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                  self->store, entry);
}

/* A button of a row acting on its change; @accessible names the change too. */
static GtkWidget *
action_button (PbSyncIndicator *self,
               PbOutboxEntry   *entry,
               const char      *name,
               const char      *label,
               const char      *accessible,
               GCallback        callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data_full (G_OBJECT (button), "pb-entry", g_object_ref (entry), g_object_unref);
  gtk_widget_set_name (button, name);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  PbSyncIndicator *self = user_data;
  PbOutboxEntry *entry = item;
  g_autofree char *description = pb_store_describe_change (self->store, entry);
  g_autofree char *accessible = NULL;
  g_autofree char *made = NULL;
  g_autofree char *state_line = NULL;
  const char *message = pb_outbox_entry_get_message (entry);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (description);
  GtkWidget *state;

  if (pb_outbox_entry_get_created_at (entry) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (pb_outbox_entry_get_created_at (entry));

      made = g_date_time_format (local, "%H:%M");
    }
  /* Translators: a queued change's state and the time it was made, e.g. "Waiting to sync ·
   * 10:42" */
  state_line = made != NULL ? g_strdup_printf (_("%s · %s"), state_text (entry), made)
                            : g_strdup (state_text (entry));
  state = gtk_label_new (state_line);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (state), 0);
  gtk_widget_add_css_class (state, "dim-label");
  gtk_widget_add_css_class (state, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), state);
  if (pb_outbox_entry_get_state (entry) == PB_OUTBOX_STATE_REFUSED && message != NULL)
    {
      GtkWidget *reason = gtk_label_new (message);

      gtk_label_set_xalign (GTK_LABEL (reason), 0);
      gtk_label_set_wrap (GTK_LABEL (reason), TRUE);
      gtk_widget_add_css_class (reason, "error");
      gtk_box_append (GTK_BOX (box), reason);
    }
  if (pb_outbox_entry_get_state (entry) == PB_OUTBOX_STATE_REFUSED)
    {
      GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      /* Translators: %s: a queued change */
      g_autofree char *edit = g_strdup_printf (_("Edit “%s”"), description);
      /* Translators: %s: a queued change */
      g_autofree char *discard = g_strdup_printf (_("Discard “%s”"), description);

      gtk_widget_set_halign (buttons, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (buttons),
                      action_button (self, entry, "edit", _("_Edit…"), edit,
                                     G_CALLBACK (on_edit_clicked_cb)));
      gtk_box_append (GTK_BOX (buttons),
                      action_button (self, entry, "discard", _("_Discard"), discard,
                                     G_CALLBACK (on_discard_clicked_cb)));
      gtk_box_append (GTK_BOX (box), buttons);
    }
  else if (pb_outbox_entry_get_state (entry) == PB_OUTBOX_STATE_CONFLICT)
    {
      g_autofree char *name = g_strdup_printf (_("Resolve “%s”"), description);
      GtkWidget *resolve = action_button (self, entry, "resolve", _("_Resolve…"), name,
                                          G_CALLBACK (on_resolve_clicked_cb));

      gtk_widget_set_halign (resolve, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (box), resolve);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  accessible = g_strdup_printf ("%s — %s%s%s", description, state_line,
                                message && pb_outbox_entry_get_state (entry) ==
                                  PB_OUTBOX_STATE_REFUSED ? ": " : "",
                                message && pb_outbox_entry_get_state (entry) ==
                                  PB_OUTBOX_STATE_REFUSED ? message : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  return row;
}

static void
update (PbSyncIndicator *self)
{
  guint n = pb_store_get_n_pending (self->store);
  PbSyncState state = pb_store_get_sync_state (self->store);
  gboolean syncing = state == PB_SYNC_STATE_SYNCING;
  const char *icon = "emblem-ok-symbolic";

  g_free (self->summary);
  if (n > 0)
    {
      guint blocked = 0;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PbOutboxEntry) entry = g_list_model_get_item (pb_store_get_pending (self->store),
                                                                  i);

          blocked += pb_outbox_entry_get_state (entry) != PB_OUTBOX_STATE_PENDING;
        }
      if (blocked == n)
        self->summary = g_strdup_printf (ngettext ("%u change needs your decision",
                                                   "%u changes need your decision", n), n);
      else if (blocked > 0)
        {
          g_autofree char *waiting = g_strdup_printf (ngettext ("%u change waiting to sync",
                                                                "%u changes waiting to sync",
                                                                n - blocked), n - blocked);
          g_autofree char *decisions = g_strdup_printf (ngettext ("%u change needs your decision",
                                                                  "%u changes need your decision",
                                                                  blocked), blocked);

          /* Translators: the queued changes, e.g. "2 changes waiting to sync · 1 change
           * needs your decision" */
          self->summary = g_strdup_printf (_("%s · %s"), waiting, decisions);
        }
      else
        self->summary = g_strdup_printf (ngettext ("%u change waiting to sync",
                                                   "%u changes waiting to sync", n), n);
      icon = blocked > 0 ? "dialog-warning-symbolic" : "view-refresh-symbolic";
    }
  else if (syncing)
    self->summary = g_strdup (_("Syncing…"));
  else if (!pb_store_get_online (self->store) || state == PB_SYNC_STATE_OFFLINE)
    {
      self->summary = g_strdup (_("Offline"));
      icon = "network-offline-symbolic";
    }
  else
    self->summary = g_strdup (_("Synced"));

  gtk_label_set_text (GTK_LABEL (self->label), self->summary);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), icon);
  gtk_widget_set_visible (self->icon, !syncing);
  gtk_widget_set_visible (self->spinner, syncing);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), syncing);
  gtk_widget_set_visible (self->empty, n == 0);
  gtk_widget_set_visible (self->list, n > 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->summary,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Shows the changes waiting to sync"), -1);
  gtk_widget_set_tooltip_text (self->button, self->summary);
}

static void
on_store_notify_cb (PbSyncIndicator *self)
{
  update (self);
}

static void
pb_sync_indicator_rebind (PbSyncIndicator *self)
{
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list), pb_store_get_pending (self->store),
                           create_row, self, NULL);
  update (self);
}

static void
on_sync_clicked_cb (PbSyncIndicator *self)
{
  pb_store_sync_now (self->store);
}

static void
pb_sync_indicator_dispose (GObject *object)
{
  PbSyncIndicator *self = PB_SYNC_INDICATOR (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pb_sync_indicator_parent_class)->dispose (object);
}

static void
pb_sync_indicator_finalize (GObject *object)
{
  g_free (PB_SYNC_INDICATOR (object)->summary);

  G_OBJECT_CLASS (pb_sync_indicator_parent_class)->finalize (object);
}

static void
pb_sync_indicator_class_init (PbSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pb_sync_indicator_dispose;
  object_class->finalize = pb_sync_indicator_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "pbsyncindicator");
}

static void
pb_sync_indicator_init (PbSyncIndicator *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Changes waiting to sync"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->button = gtk_menu_button_new ();
  self->spinner = gtk_spinner_new ();
  self->icon = g_object_new (GTK_TYPE_IMAGE, "accessible-role",
                             GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);   /* the label says it */
  self->label = gtk_label_new (NULL);
  gtk_box_append (GTK_BOX (content), self->spinner);
  gtk_box_append (GTK_BOX (content), self->icon);
  gtk_box_append (GTK_BOX (content), self->label);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->button), content);
  gtk_widget_add_css_class (self->button, "flat");

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (GTK_BOX (box), heading);

  self->empty = gtk_label_new (_("Every change is on the server."));
  gtk_widget_add_css_class (self->empty, "dim-label");
  gtk_box_append (GTK_BOX (box), self->empty);

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Changes waiting to sync"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_widget_set_size_request (scrolled, 320, -1);
  gtk_box_append (GTK_BOX (box), scrolled);

  self->sync_button = gtk_button_new_with_mnemonic (_("_Sync Now"));
  gtk_widget_add_css_class (self->sync_button, "suggested-action");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sync now"), -1);
  g_signal_connect_swapped (self->sync_button, "clicked", G_CALLBACK (on_sync_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), self->sync_button);

  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);
  adw_bin_set_child (ADW_BIN (self), self->button);
}

GtkWidget *
pb_sync_indicator_new (PbStore *store)
{
  PbSyncIndicator *self;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);

  self = g_object_new (PB_TYPE_SYNC_INDICATOR, NULL);
  self->store = g_object_ref (store);
  pb_sync_indicator_rebind (self);
  g_signal_connect_swapped (store, "notify::n-pending", G_CALLBACK (on_store_notify_cb), self);
  g_signal_connect_swapped (store, "notify::sync-state", G_CALLBACK (on_store_notify_cb), self);
  g_signal_connect_swapped (store, "notify::online", G_CALLBACK (on_store_notify_cb), self);
  /* The outbox opens with the first load: bind to it then. */
  g_signal_connect_swapped (store, "notify::loaded", G_CALLBACK (pb_sync_indicator_rebind), self);
  update (self);
  return GTK_WIDGET (self);
}

const char *
pb_sync_indicator_get_summary (PbSyncIndicator *self)
{
  g_return_val_if_fail (PB_IS_SYNC_INDICATOR (self), NULL);
  return self->summary;
}

GtkListBox *
pb_sync_indicator_get_list (PbSyncIndicator *self)
{
  g_return_val_if_fail (PB_IS_SYNC_INDICATOR (self), NULL);
  return GTK_LIST_BOX (self->list);
}

GtkButton *
pb_sync_indicator_get_sync_button (PbSyncIndicator *self)
{
  g_return_val_if_fail (PB_IS_SYNC_INDICATOR (self), NULL);
  return GTK_BUTTON (self->sync_button);
}
