/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-account-row"

#include "config.h"

#include "pb-views-private.h"

#include <glib/gi18n.h>

#include "pb-views-util.h"

#define TEMPLATE "/io/github/plugboard/Plugboard/views/pb-account-row.ui"

struct _PbAccountRow
{
  GtkWidget parent_instance;

  PbLinkedAccount *account;

  /* template children */
  GtkImage *status_icon;
  GtkLabel *owner_label;
  GtkLabel *status_label;
  GtkButton *logs_button;
  GtkLabel *ids_label;
  GtkLabel *where_label;
  GtkLabel *reasons_label;
  GtkLabel *times_label;
};

G_DEFINE_FINAL_TYPE (PbAccountRow, pb_account_row, GTK_TYPE_WIDGET)

static const char * const status_classes[] = { "success", "warning", "error", NULL };

static void
pb_account_row_dispose (GObject *object)
{
  PbAccountRow *self = PB_ACCOUNT_ROW (object);

  g_clear_object (&self->account);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ACCOUNT_ROW);
  /* The template's unnamed top box too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pb_account_row_parent_class)->dispose (object);
}

static void
pb_account_row_class_init (PbAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_account_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, TEMPLATE);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, owner_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, logs_button);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, ids_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, where_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, times_label);
}

static void
pb_account_row_init (PbAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pb_account_row_new (void)
{
  return g_object_new (PB_TYPE_ACCOUNT_ROW, NULL);
}

static const char *
or_dash (const char *text)
{
  return (text != NULL && *text != '\0') ? text : "—";
}

void
pb_account_row_set_account (PbAccountRow    *self,
                            PbLinkedAccount *account,
                            const char      *integration_name)
{
  PbAccountStatus status;
  GPtrArray *reasons;
  g_autoptr(GString) reasons_text = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *where = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *times = NULL;
  g_autofree char *name = NULL;
  g_autofree char *logs_name = NULL;
  const char *owner;

  g_return_if_fail (PB_IS_ACCOUNT_ROW (self));

  if (!g_set_object (&self->account, account) || account == NULL)
    return;

  /* Target first: the action takes a string. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->logs_button), "s",
                                    pb_linked_account_get_id (account));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->logs_button), "accounts.view-logs");

  status = pb_linked_account_get_status (account);
  owner = pb_linked_account_get_origin_owner_name (account);
  gtk_label_set_label (self->owner_label, or_dash (owner));

  gtk_image_set_from_icon_name (self->status_icon, pb_views_status_icon (status));
  pb_views_set_css_class (GTK_WIDGET (self->status_icon), status_classes,
                          pb_views_status_css_class (status));
  gtk_label_set_label (self->status_label, pb_views_status_label (status));
  pb_views_set_css_class (GTK_WIDGET (self->status_label), status_classes,
                          pb_views_status_css_class (status));

  /* TRANSLATORS: the owner's id and the user name of a linked account */
  ids = g_strdup_printf (_("Owner ID %s · User %s"),
                         or_dash (pb_linked_account_get_origin_owner_id (account)),
                         or_dash (pb_linked_account_get_origin_username (account)));
  gtk_label_set_label (self->ids_label, ids);

  /* TRANSLATORS: the connector, then the integration of a linked account */
  if (integration_name == NULL)
    integration_name = or_dash (pb_linked_account_get_integration_id (account));
  where = g_strdup_printf (_("%s · %s"),
                           or_dash (pb_linked_account_get_provider_name (account)
                                    ? pb_linked_account_get_provider_name (account)
                                    : pb_linked_account_get_provider (account)),
                           integration_name);
  gtk_label_set_label (self->where_label, where);

  reasons = pb_linked_account_get_status_reasons (account);
  reasons_text = g_string_new (NULL);
  for (guint i = 0; reasons != NULL && i < reasons->len; i++)
    {
      PbStatusReason *reason = g_ptr_array_index (reasons, i);

      if (reasons_text->len > 0)
        g_string_append_c (reasons_text, '\n');
      g_string_append (reasons_text, reason->description ? reason->description : reason->code);
      if (reason->timestamp != NULL)
        {
          g_autofree char *when = pb_views_format_time (reason->timestamp);
          g_string_append_printf (reasons_text, " (%s)", when);
        }
    }
  gtk_label_set_label (self->reasons_label, reasons_text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->reasons_label), reasons_text->len > 0);

  created = pb_views_format_time (pb_linked_account_get_created_at (account));
  updated = pb_views_format_time (pb_linked_account_get_updated_at (account));
  /* TRANSLATORS: two times from pb_views_format_time() */
  times = g_strdup_printf (_("Linked %s · Updated %s"), created, updated);
  gtk_label_set_label (self->times_label, times);

  /* TRANSLATORS: the owner's name and the status of a linked account */
  name = g_strdup_printf (_("Linked account of %s: %s"), or_dash (owner),
                          pb_views_status_label (status));
  pb_views_name_row (GTK_WIDGET (self), name);
  /* TRANSLATORS: the owner's name of a linked account */
  logs_name = g_strdup_printf (_("Logs of the linked account of %s"), or_dash (owner));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->logs_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, logs_name, -1);
}

PbLinkedAccount *
pb_account_row_get_account (PbAccountRow *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNT_ROW (self), NULL);
  return self->account;
}

GtkButton *
pb_account_row_get_logs_button (PbAccountRow *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNT_ROW (self), NULL);
  return self->logs_button;
}

const char *
pb_account_row_get_status_text (PbAccountRow *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNT_ROW (self), NULL);
  return gtk_label_get_label (self->status_label);
}
