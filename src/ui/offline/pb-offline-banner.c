/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-offline-ui"

#include "config.h"

#include "pb-offline-ui.h"

#include <glib/gi18n.h>

struct _PbOfflineBanner
{
  AdwBin parent_instance;

  PbStore *store;
  GtkWidget *revealer;
  GtkWidget *label;
  GtkWidget *sync_button;
  char *text;
};

G_DEFINE_FINAL_TYPE (PbOfflineBanner, pb_offline_banner, ADW_TYPE_BIN)

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time today, e.g. "14:05" */
    return g_date_time_format (local, _("today at %H:%M"));
  /* Translators: a date and time, e.g. "3 Mar 2026, 14:05" */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

static void
update (PbOfflineBanner *self)
{
  gboolean offline = pb_store_get_loaded (self->store) && !pb_store_get_online (self->store);
  GDateTime *last = pb_store_get_last_refresh (self->store);

  g_free (self->text);
  if (last != NULL)
    {
      g_autofree char *when = format_time (last);

      self->text = g_strdup_printf (_("Offline — showing the state of %s"), when);
    }
  else
    self->text = g_strdup (_("Offline — nothing of this project is cached yet"));

  gtk_label_set_text (GTK_LABEL (self->label), self->text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->revealer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->text, -1);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), offline);
}

static void
on_sync_clicked_cb (PbOfflineBanner *self)
{
  pb_store_sync_now (self->store);
}

static void
pb_offline_banner_dispose (GObject *object)
{
  PbOfflineBanner *self = PB_OFFLINE_BANNER (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pb_offline_banner_parent_class)->dispose (object);
}

static void
pb_offline_banner_finalize (GObject *object)
{
  g_free (PB_OFFLINE_BANNER (object)->text);

  G_OBJECT_CLASS (pb_offline_banner_parent_class)->finalize (object);
}

static void
pb_offline_banner_class_init (PbOfflineBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pb_offline_banner_dispose;
  object_class->finalize = pb_offline_banner_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "pbofflinebanner");
}

static void
pb_offline_banner_init (PbOfflineBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->revealer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Offline"), -1);

  gtk_widget_add_css_class (box, "toolbar");
  gtk_widget_add_css_class (box, "osd");
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  self->label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_widget_set_hexpand (self->label, TRUE);
  gtk_box_append (GTK_BOX (box), self->label);

  self->sync_button = gtk_button_new_with_mnemonic (_("_Sync Now"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sync now"), -1);
  g_signal_connect_swapped (self->sync_button, "clicked", G_CALLBACK (on_sync_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), self->sync_button);

  gtk_revealer_set_child (GTK_REVEALER (self->revealer), box);
  adw_bin_set_child (ADW_BIN (self), self->revealer);
}

GtkWidget *
pb_offline_banner_new (PbStore *store)
{
  PbOfflineBanner *self;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);

  self = g_object_new (PB_TYPE_OFFLINE_BANNER, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_swapped (store, "notify::online", G_CALLBACK (update), self);
  g_signal_connect_swapped (store, "notify::loaded", G_CALLBACK (update), self);
  g_signal_connect_swapped (store, "notify::last-refresh", G_CALLBACK (update), self);
  update (self);
  return GTK_WIDGET (self);
}

gboolean
pb_offline_banner_get_revealed (PbOfflineBanner *self)
{
  g_return_val_if_fail (PB_IS_OFFLINE_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer));
}

const char *
pb_offline_banner_get_text (PbOfflineBanner *self)
{
  g_return_val_if_fail (PB_IS_OFFLINE_BANNER (self), NULL);
  return self->text;
}

GtkButton *
pb_offline_banner_get_sync_button (PbOfflineBanner *self)
{
  g_return_val_if_fail (PB_IS_OFFLINE_BANNER (self), NULL);
  return GTK_BUTTON (self->sync_button);
}
