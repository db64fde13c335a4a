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
  char *integration_name;
  PbAuthType *auth_type;
  gboolean pending;
  PbOperationKind pending_kind;
  gboolean read_only;

  /* template children */
  GtkImage *status_icon;
  GtkLabel *owner_label;
  GtkLabel *status_label;
  GtkButton *logs_button;
  GtkMenuButton *menu_button;
  GtkLabel *ids_label;
  GtkLabel *where_label;
  GtkLabel *reasons_label;
  GtkLabel *credentials_label;
  GtkLabel *times_label;
};

G_DEFINE_FINAL_TYPE (PbAccountRow, pb_account_row, GTK_TYPE_WIDGET)

static const char * const status_classes[] = { "success", "warning", "error", "dim-label",
                                               NULL };

static void
pb_account_row_dispose (GObject *object)
{
  PbAccountRow *self = PB_ACCOUNT_ROW (object);

  g_clear_object (&self->account);
  g_clear_pointer (&self->integration_name, g_free);
  g_clear_object (&self->auth_type);
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
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, ids_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, where_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, credentials_label);
  gtk_widget_class_bind_template_child (widget_class, PbAccountRow, times_label);
}

/* Set as a tooltip property, the text would name the menu button's inner button too: two
 * controls of one name for a screen reader. */
static gboolean
on_menu_query_tooltip_cb (GtkWidget    *widget,
                          int           x,
                          int           y,
                          gboolean      keyboard,
                          GtkTooltip   *tooltip,
                          PbAccountRow *self)
{
  gtk_tooltip_set_text (tooltip, _("Account Actions"));
  return TRUE;
}

static GMenuModel *build_menu (PbAccountRow *self);

/* The menu is made when it opens: a menu model set on every row as it is bound made GTK build
 * a popover and watch its actions for each of them (about a second a frame while scrolling
 * 20,000 accounts). */
static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  PbAccountRow *self = PB_ACCOUNT_ROW (user_data);
  g_autoptr(GMenuModel) menu = NULL;

  if (self->account == NULL)
    return;
  menu = build_menu (self);
  gtk_menu_button_set_menu_model (button, menu);
}

static void
pb_account_row_init (PbAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_popup_cb, self, NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->menu_button), TRUE);
  g_signal_connect (self->menu_button, "query-tooltip", G_CALLBACK (on_menu_query_tooltip_cb),
                    self);
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

/* What the account is, or will be once its queued change is sent. */
static PbAccountStatus
shown_status (PbAccountRow *self)
{
  if (self->pending)
    switch (self->pending_kind)
      {
      case PB_OPERATION_SUSPEND_ACCOUNT:
        return PB_ACCOUNT_STATUS_SUSPENDED;
      case PB_OPERATION_RESUME_ACCOUNT:
        return PB_ACCOUNT_STATUS_ACTIVE;
      default:
        break;
      }
  return pb_linked_account_get_status (self->account);
}

static void
append (GMenu      *menu,
        const char *label,
        const char *action,
        const char *id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (id));
  g_menu_append_item (menu, item);
}

/* The actions by status: what fixes the account first (Link again for one in error or
 * expired), what changes nothing last. */
static GMenuModel *
build_menu (PbAccountRow *self)
{
  const char *id = pb_linked_account_get_id (self->account);
  PbAccountStatus status = shown_status (self);
  gboolean deleting = self->pending && self->pending_kind == PB_OPERATION_DELETE_ACCOUNT;
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) fix = g_menu_new ();
  g_autoptr(GMenu) state = g_menu_new ();
  g_autoptr(GMenu) other = g_menu_new ();

  if (!self->read_only && !deleting)
    {
      /* The backend neither checks nor re-links a suspended account (resume it first) nor
       * one of a disabled integration. */
      if (status != PB_ACCOUNT_STATUS_INACTIVE && status != PB_ACCOUNT_STATUS_SUSPENDED)
        append (fix, _("_Link Again…"), "accounts.relink", id);
      if (status == PB_ACCOUNT_STATUS_ACTIVE || status == PB_ACCOUNT_STATUS_ERROR
          || status == PB_ACCOUNT_STATUS_EXPIRED)
        append (fix, _("_Check Credentials"), "accounts.check", id);
      if (status == PB_ACCOUNT_STATUS_SUSPENDED)
        append (state, _("_Resume"), "accounts.resume", id);
      else
        append (state, _("_Suspend"), "accounts.suspend", id);
      append (state, _("_Delete…"), "accounts.delete", id);
    }
  append (other, _("Copy Account _ID"), "accounts.copy-id", id);
  append (other, _("View _Logs"), "accounts.view-logs", id);

  if (g_menu_model_get_n_items (G_MENU_MODEL (fix)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (fix));
  if (g_menu_model_get_n_items (G_MENU_MODEL (state)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (state));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (other));
  return G_MENU_MODEL (menu);
}

/* A credential's label for those the catalog does not name: an OAuth type's tokens by their
 * names, others by the key made readable ("api_token" → "Api token"). */
static char *
readable_key (const char *key)
{
  char *label;

  if (g_str_equal (key, "access_token"))
    return g_strdup (_("Access token"));
  if (g_str_equal (key, "refresh_token"))
    return g_strdup (_("Refresh token"));
  label = g_strdelimit (g_strdup (key), "_-", ' ');
  if (label[0] != '\0')
    label[0] = g_ascii_toupper (label[0]);
  return label;
}

static void
append_credential (GString       *text,
                   const char    *label,
                   PbSecretState *state)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *part = NULL;

  if (!state->set)
    /* TRANSLATORS: a credential of a linked account, e.g. "API key not set" */
    part = g_strdup_printf (_("%s not set"), label);
  else if (state->expires_at != NULL)
    {
      g_autofree char *when = pb_views_format_time (state->expires_at);

      if (g_date_time_compare (state->expires_at, now) <= 0)
        /* TRANSLATORS: a token of a linked account and a time from pb_views_format_time() */
        part = g_strdup_printf (_("%s expired %s"), label, when);
      else
        /* TRANSLATORS: a token of a linked account and a time from pb_views_format_time() */
        part = g_strdup_printf (_("%s expires %s"), label, when);
    }
  /* The backend's hint is "…" alone for a value too short to show part of. */
  else if (state->hint != NULL && g_strcmp0 (state->hint, "…") != 0)
    /* TRANSLATORS: a credential and its last characters: "API key set (ends in …4f31)" */
    part = g_strdup_printf (_("%s set (ends in %s)"), label, state->hint);
  else
    /* TRANSLATORS: a credential of a linked account, e.g. "Company subdomain set" */
    part = g_strdup_printf (_("%s set"), label);

  if (text->len > 0)
    g_string_append (text, " · ");
  g_string_append (text, part);
}

/* The stored credentials on one line: the auth type's fields in its order, then the others
 * (tokens) by key. Only what the backend says of them, never a value. */
static char *
credentials_text (PbLinkedAccount *account,
                  PbAuthType      *auth_type)
{
  GHashTable *credentials = pb_linked_account_get_credentials (account);
  GListModel *fields = auth_type ? pb_auth_type_get_account_fields (auth_type) : NULL;
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) keys = NULL;
  GString *text = g_string_new (NULL);

  for (guint i = 0; fields != NULL && i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      const char *key = pb_auth_field_get_key (field);
      PbSecretState *state = g_hash_table_lookup (credentials, key);
      g_autofree char *readable = NULL;

      if (state == NULL)
        continue;
      if (pb_auth_field_get_label (field) == NULL)
        readable = readable_key (key);
      append_credential (text, readable ? readable : pb_auth_field_get_label (field), state);
      g_hash_table_add (done, (gpointer) key);
    }

  keys = g_list_sort (g_hash_table_get_keys (credentials), (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_autofree char *label = NULL;

      if (g_hash_table_contains (done, l->data))
        continue;
      label = readable_key (l->data);
      append_credential (text, label, g_hash_table_lookup (credentials, l->data));
    }

  return g_string_free (text, FALSE);
}

static void
update (PbAccountRow *self)
{
  PbLinkedAccount *account = self->account;
  PbAccountStatus status;
  GPtrArray *reasons;
  g_autoptr(GString) reasons_text = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *where = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *times = NULL;
  g_autofree char *name = NULL;
  g_autofree char *logs_name = NULL;
  g_autofree char *menu_name = NULL;
  const char *owner;
  const char *integration_name = self->integration_name;

  /* Target first: the action takes a string. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->logs_button), "s",
                                    pb_linked_account_get_id (account));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->logs_button), "accounts.view-logs");

  status = shown_status (self);
  owner = pb_linked_account_get_origin_owner_name (account);
  gtk_label_set_label (self->owner_label, or_dash (owner));

  gtk_image_set_from_icon_name (self->status_icon, self->pending ? "document-send-symbolic"
                                                                 : pb_views_status_icon (status));
  pb_views_set_css_class (GTK_WIDGET (self->status_icon), status_classes,
                          pb_views_status_css_class (status));
  if (self->pending && self->pending_kind == PB_OPERATION_DELETE_ACCOUNT)
    /* TRANSLATORS: an account whose deletion waits in the queue (offline) */
    status_text = g_strdup (_("Deleted · waiting to sync"));
  else if (self->pending)
    /* TRANSLATORS: a status ("Suspended") that waits in the queue to be sent (offline) */
    status_text = g_strdup_printf (_("%s · waiting to sync"), pb_views_status_label (status));
  else
    status_text = g_strdup (pb_views_status_label (status));
  gtk_label_set_label (self->status_label, status_text);
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

  /* The backend's reasons when it gave some for this status; what the status means when
   * not (or when the shown status is the queued one). */
  reasons = self->pending ? NULL : pb_linked_account_get_status_reasons (account);
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
  if (reasons_text->len == 0 && status != PB_ACCOUNT_STATUS_ACTIVE)
    g_string_append (reasons_text, pb_views_status_explanation (status));
  gtk_label_set_label (self->reasons_label, reasons_text->str);
  /* The row's labels are one line each (cheap to measure); the whole text on hover. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reasons_label),
                               reasons_text->len > 0 ? reasons_text->str : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reasons_label), reasons_text->len > 0);

  credentials = credentials_text (account, self->auth_type);
  gtk_label_set_label (self->credentials_label, credentials);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->credentials_label),
                               credentials[0] != '\0' ? credentials : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->credentials_label), credentials[0] != '\0');

  created = pb_views_format_time (pb_linked_account_get_created_at (account));
  updated = pb_views_format_time (pb_linked_account_get_updated_at (account));
  /* TRANSLATORS: two times from pb_views_format_time() */
  times = g_strdup_printf (_("Linked %s · Updated %s"), created, updated);
  gtk_label_set_label (self->times_label, times);

  /* TRANSLATORS: the owner's name and the status of a linked account */
  name = g_strdup_printf (_("Linked account of %s: %s"), or_dash (owner), status_text);
  pb_views_name_row (GTK_WIDGET (self), name);
  /* TRANSLATORS: the owner's name of a linked account */
  logs_name = g_strdup_printf (_("Logs of the linked account of %s"), or_dash (owner));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->logs_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, logs_name, -1);
  /* TRANSLATORS: the owner's name of a linked account */
  menu_name = g_strdup_printf (_("Actions for the linked account of %s"), or_dash (owner));
  /* GTK 4.8 names a GtkMenuButton's inner toggle button after the menu button: as a button
   * too, the menu button would be a second control of that name for a screen reader; it is
   * the group that holds the button. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_name, -1);
}

void
pb_account_row_set_account (PbAccountRow    *self,
                            PbLinkedAccount *account,
                            const char      *integration_name,
                            PbAuthType      *auth_type)
{
  g_return_if_fail (PB_IS_ACCOUNT_ROW (self));

  g_free (self->integration_name);
  self->integration_name = g_strdup (integration_name);
  g_set_object (&self->auth_type, auth_type);
  if (account == NULL)
    self->pending = FALSE;
  if (!g_set_object (&self->account, account) || account == NULL)
    return;
  update (self);
}

void
pb_account_row_set_pending (PbAccountRow    *self,
                            gboolean         pending,
                            PbOperationKind  kind)
{
  g_return_if_fail (PB_IS_ACCOUNT_ROW (self));

  if (self->pending == pending && (!pending || self->pending_kind == kind))
    return;
  self->pending = pending;
  self->pending_kind = kind;
  if (self->account != NULL)
    update (self);
}

void
pb_account_row_set_read_only (PbAccountRow *self,
                              gboolean      read_only)
{
  g_return_if_fail (PB_IS_ACCOUNT_ROW (self));

  if (self->read_only == read_only)
    return;
  self->read_only = read_only;
  if (self->account != NULL)
    update (self);
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
pb_account_row_get_credentials_text (PbAccountRow *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNT_ROW (self), NULL);
  return gtk_label_get_label (self->credentials_label);
}

const char *
pb_account_row_get_status_text (PbAccountRow *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNT_ROW (self), NULL);
  return gtk_label_get_label (self->status_label);
}

GMenuModel *
pb_account_row_get_menu (PbAccountRow *self)
{
  g_return_val_if_fail (PB_IS_ACCOUNT_ROW (self), NULL);
  return self->account != NULL ? build_menu (self) : NULL;
}
