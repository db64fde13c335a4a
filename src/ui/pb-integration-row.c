/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-integration-row"

#include "config.h"

#include "pb-integration-row-private.h"

#include <glib/gi18n.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (PbIntegrationRow, pb_integration_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_INTEGRATION,
  PROP_COMPACT,
  PROP_READ_ONLY,
  PROP_STORE,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
pb_integration_accounts_text (PbIntegration *integration)
{
  guint total = pb_integration_get_accounts_total (integration);
  guint inactive = pb_integration_get_accounts_inactive (integration);
  guint suspended = pb_integration_get_accounts_suspended (integration);
  guint expired = pb_integration_get_accounts_expired (integration);
  guint error = pb_integration_get_accounts_error (integration);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u account", "%u accounts", total),
                          total);
  if (inactive > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, _("%u inactive"), inactive);
    }
  if (suspended > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, _("%u suspended"), suspended);
    }
  if (error > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, _("%u in error"), error);
    }
  if (expired > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, _("%u expired"), expired);
    }
  return g_string_free (text, FALSE);
}

static GMenuItem *
menu_item (const char *label,
           const char *action,
           const char *id)
{
  GMenuItem *item = g_menu_item_new (label, NULL);

  if (id != NULL)
    g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (id));
  else
    g_menu_item_set_detailed_action (item, action);
  return item;
}

static void
append (GMenu      *menu,
        const char *label,
        const char *action,
        const char *id)
{
  g_autoptr(GMenuItem) item = menu_item (label, action, id);

  g_menu_append_item (menu, item);
}

GMenuModel *
pb_integration_menu_new (PbIntegration            *integration,
                         const PbIntegrationFacts *facts,
                         gboolean                  read_only)
{
  const char *id = pb_integration_get_id (integration);
  PbRowActions actions = pb_rules_row_actions (facts);
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) main_section = g_menu_new ();
  g_autoptr(GMenu) copy_section = g_menu_new ();
  g_autoptr(GMenu) state_section = g_menu_new ();
  g_autoptr(GMenu) delete_section = g_menu_new ();

  /* The order of ux.md: Edit, View logs, Copy integration ID, Copy connector ID,
   * Disable/Enable, Delete, Make default. */
  /* A read-only key changes nothing: the window's notice says so once, for every row. */
  if (read_only)
    actions &= PB_ROW_ACTION_VIEW_LOGS | PB_ROW_ACTION_COPY_INTEGRATION_ID
               | PB_ROW_ACTION_COPY_CONNECTOR_ID;
  if (actions & PB_ROW_ACTION_EDIT)
    append (main_section, _("_Edit…"), "integration.edit", id);
  if (actions & PB_ROW_ACTION_VIEW_LOGS)
    append (main_section, _("View _Logs"), "integration.view-logs", id);
  /* A disabled integration links no account (the backend refuses its connect sessions). */
  if (!read_only && pb_integration_get_active (integration))
    append (main_section, _("Link _Account…"), "integration.link-account", id);
  if (actions & PB_ROW_ACTION_COPY_INTEGRATION_ID)
    append (copy_section, _("Copy _Integration ID"), "integration.copy-id", id);
  if (actions & PB_ROW_ACTION_COPY_CONNECTOR_ID)
    append (copy_section, _("Copy _Connector ID"), "integration.copy-connector-id", id);
  if (actions & PB_ROW_ACTION_DISABLE)
    append (state_section, _("_Disable"), "integration.disable", id);
  if (actions & PB_ROW_ACTION_ENABLE)
    append (state_section, _("E_nable"), "integration.enable", id);
  if (actions & PB_ROW_ACTION_DELETE)
    append (delete_section, _("_Delete…"), "integration.delete", id);
  else if (!read_only)
    {
      PbDeleteVerdict verdict = pb_rules_delete_verdict (facts);
      g_autofree char *why = pb_rules_delete_verdict_message (verdict, facts);

      if (why != NULL)
        {
          /* Not offered: say why, in an item that can never be activated. */
          g_autofree char *label = g_strdup_printf (_("Cannot delete: %s"), why);

          append (delete_section, label, "integration.delete-refused", NULL);
        }
    }
  if (actions & PB_ROW_ACTION_MAKE_DEFAULT)
    append (delete_section, _("Make _Default"), "integration.make-default", id);

  g_menu_append_section (menu, NULL, G_MENU_MODEL (main_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (copy_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (state_section));
  if (g_menu_model_get_n_items (G_MENU_MODEL (delete_section)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (delete_section));

  return G_MENU_MODEL (menu);
}

static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  PbIntegrationRow *self = PB_INTEGRATION_ROW (user_data);
  g_autoptr(GMenuModel) model = NULL;

  if (self->integration == NULL || self->menu_func == NULL)
    return;

  /* Built at opening time, so the menu follows the latest facts (siblings, accounts). */
  model = self->menu_func (self->integration, self->menu_func_data);
  gtk_menu_button_set_menu_model (button, model);
}

/* What a screen reader says a row's controls act on: "BambooHR – UK", or "BambooHR – OAuth
 * 2.0" for an integration named after its auth type, as several of one connector may be. */
static char *
pb_integration_row_full_name (PbIntegration *integration)
{
  const char *name = pb_integration_get_name (integration);
  const char *connector = pb_integration_get_connector_label (integration);

  if (connector == NULL || *connector == '\0' || strstr (name, connector) != NULL)
    return g_strdup (name);
  /* Translators: a connector's name, a dash and an integration's name: "BambooHR – UK" */
  return g_strdup_printf (_("%s – %s"), connector, name);
}

static gboolean
on_active_switch_state_set_cb (GtkSwitch        *sw,
                               gboolean          state,
                               PbIntegrationRow *self)
{
  if (self->integration == NULL)
    return TRUE;

  if (state != pb_integration_get_active (self->integration))
    gtk_widget_activate_action (GTK_WIDGET (self),
                                state ? "integration.enable" : "integration.disable",
                                "s", pb_integration_get_id (self->integration));

  /* The switch shows the change as pending (handle moved, state kept) until the store
   * has the integration's new state; pb_integration_row_sync() puts it back otherwise. */
  return TRUE;
}

void
pb_integration_row_sync (PbIntegrationRow *self)
{
  gboolean active;

  g_return_if_fail (PB_IS_INTEGRATION_ROW (self));

  if (self->integration == NULL)
    return;

  active = pb_integration_get_active (self->integration);
  g_signal_handlers_block_by_func (self->active_switch, on_active_switch_state_set_cb, self);
  gtk_switch_set_active (self->active_switch, active);
  gtk_switch_set_state (self->active_switch, active);
  g_signal_handlers_unblock_by_func (self->active_switch, on_active_switch_state_set_cb, self);
}

/* Tooltips are computed when asked for: setting them on every bind queries the pointer
 * from the display server each time. */
static gboolean
on_query_tooltip_cb (GtkWidget        *widget,
                     int               x,
                     int               y,
                     gboolean          keyboard,
                     GtkTooltip       *tooltip,
                     PbIntegrationRow *self)
{
  g_autofree char *text = NULL;

  if (self->integration == NULL)
    return FALSE;
  if (widget == GTK_WIDGET (self->accounts_button))
    text = pb_integration_accounts_text (self->integration);
  else
    text = g_strdup_printf (_("Actions for %s"), pb_integration_get_name (self->integration));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* "Waiting to sync" while a queued change of the store concerns the row's integration. */
static void
update_pending (PbIntegrationRow *self)
{
  gboolean pending = self->store != NULL && self->integration != NULL
                     && pb_store_is_pending (self->store,
                                             pb_integration_get_id (self->integration));

  if (self->pending == pending)
    return;
  self->pending = pending;
  gtk_widget_set_visible (self->pending_box, pending);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
update_compact (PbIntegrationRow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_label), !self->compact);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_count_label), self->compact);
  /* Narrow: the marker keeps its icon (its tooltip and accessible name say it). */
  gtk_widget_set_visible (self->pending_label, !self->compact);
  gtk_box_set_spacing (GTK_BOX (self->box), self->compact ? 6 : 12);
}

static void
update (PbIntegrationRow *self)
{
  PbIntegration *integration = self->integration;
  g_autofree char *accounts = NULL;
  g_autofree char *count = NULL;
  g_autofree char *switch_label = NULL;
  g_autofree char *menu_label = NULL;
  g_autofree char *row_label = NULL;
  g_autofree char *full_name = NULL;
  g_autofree char *accounts_name = NULL;
  GVariant *target;

  if (integration == NULL)
    return;

  full_name = pb_integration_row_full_name (integration);

  accounts = pb_integration_accounts_text (integration);
  count = g_strdup_printf ("%u", pb_integration_get_accounts_total (integration));

  gtk_label_set_label (self->name_label, pb_integration_get_name (integration));
  gtk_label_set_label (self->auth_label, pb_integration_get_auth_type_label (integration));
  /* Named after its auth type (the server's default name): say it once. */
  gtk_widget_set_visible (GTK_WIDGET (self->auth_label),
                          g_strcmp0 (pb_integration_get_name (integration),
                                     pb_integration_get_auth_type_label (integration)) != 0);
  gtk_widget_set_visible (self->default_badge, pb_integration_get_is_default (integration));
  gtk_label_set_label (self->accounts_label, accounts);
  gtk_label_set_label (self->accounts_count_label, count);

  if (pb_integration_get_accounts_inactive (integration) > 0
      || pb_integration_get_accounts_suspended (integration) > 0
      || pb_integration_get_accounts_expired (integration) > 0
      || pb_integration_get_accounts_error (integration) > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->accounts_button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->accounts_button), "warning");

  target = g_variant_new_string (pb_integration_get_id (integration));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->accounts_button), target);
  /* Named once, after its first target (a name without a target would not match "s"). */
  if (gtk_actionable_get_action_name (GTK_ACTIONABLE (self->accounts_button)) == NULL)
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->accounts_button),
                                    "integration.show-accounts");

  pb_integration_row_sync (self);

  /* Names for screen readers: the icon-only and unlabeled controls say whose they are,
   * "Enable BambooHR – UK" (see pb_integration_row_full_name()). */
  switch_label = g_strdup_printf (_("Enable %s"), full_name);
  menu_label = g_strdup_printf (_("Actions for %s"), full_name);
  accounts_name = g_strdup_printf (_("Linked accounts of %s: %s"), full_name, accounts);
  row_label = g_strdup_printf ("%s, %s, %s%s", pb_integration_get_name (integration),
                               pb_integration_get_connector_label (integration),
                               pb_integration_get_auth_type_label (integration),
                               pb_integration_get_is_default (integration)
                               ? _(", default") : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->active_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, switch_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->accounts_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accounts_name, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, row_label, -1);
}

/* ------------------------------------------------------------------------------------------ */
/* The keyboard (ux.md, "Keyboard and screen readers"): a row is a focus stop of its own, with
 * a focus ring; Tab inside it reaches the accounts button, the switch and ⋮, and leaves it
 * after ⋮. Keys on the row (or bubbling up from its controls): Space toggles the switch,
 * Enter opens the editor, Menu or Shift+F10 opens ⋮, Delete asks to delete. */

static gboolean
pb_integration_row_focus (GtkWidget        *widget,
                          GtkDirectionType  direction)
{
  PbIntegrationRow *self = PB_INTEGRATION_ROW (widget);

  if (gtk_widget_is_focus (widget))
    return direction == GTK_DIR_TAB_FORWARD && gtk_widget_child_focus (self->box, direction);

  if (gtk_widget_get_focus_child (widget) != NULL)
    {
      /* On one of its controls: Tab moves among them, Shift+Tab from the first one goes
       * back to the row itself. */
      if (gtk_widget_child_focus (self->box, direction))
        return TRUE;
      if (direction == GTK_DIR_TAB_BACKWARD)
        return gtk_widget_grab_focus (widget);
      return FALSE;
    }

  /* Coming from elsewhere, from either side: the row first. */
  return gtk_widget_grab_focus (widget);
}

static gboolean
pb_integration_row_grab_focus (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (root == NULL || !gtk_widget_get_focusable (widget))
    return FALSE;
  gtk_root_set_focus (root, widget);
  return TRUE;
}

static gboolean
toggle_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  PbIntegrationRow *self = PB_INTEGRATION_ROW (widget);

  if (self->integration == NULL || !gtk_widget_is_visible (GTK_WIDGET (self->active_switch))
      || !gtk_widget_is_sensitive (GTK_WIDGET (self->active_switch)))
    {
      gtk_widget_error_bell (widget);
      return TRUE;
    }
  gtk_widget_activate (GTK_WIDGET (self->active_switch));
  return TRUE;
}

static gboolean
action_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  PbIntegrationRow *self = PB_INTEGRATION_ROW (widget);
  const char *action = g_variant_get_string (args, NULL);

  if (self->integration == NULL)
    return FALSE;
  if (self->read_only
      || !gtk_widget_activate_action (widget, action, "s",
                                      pb_integration_get_id (self->integration)))
    gtk_widget_error_bell (widget);
  return TRUE;
}

static gboolean
menu_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  PbIntegrationRow *self = PB_INTEGRATION_ROW (widget);

  if (self->integration == NULL)
    return FALSE;
  gtk_menu_button_popup (self->menu_button);
  return TRUE;
}

static void
add_action_key (GtkWidgetClass  *widget_class,
                guint            keyval,
                const char      *action)
{
  gtk_widget_class_add_binding (widget_class, keyval, 0, action_key_cb, "s", action);
}

static void
pb_integration_row_dispose (GObject *object)
{
  PbIntegrationRow *self = PB_INTEGRATION_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_INTEGRATION_ROW);
  g_clear_object (&self->integration);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pb_integration_row_parent_class)->dispose (object);
}

static void
pb_integration_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PbIntegrationRow *self = PB_INTEGRATION_ROW (object);

  switch (prop_id)
    {
    case PROP_INTEGRATION:
      g_value_set_object (value, self->integration);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_integration_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PbIntegrationRow *self = PB_INTEGRATION_ROW (object);

  switch (prop_id)
    {
    case PROP_INTEGRATION:
      pb_integration_row_set_integration (self, g_value_get_object (value));
      break;
    case PROP_COMPACT:
      pb_integration_row_set_compact (self, g_value_get_boolean (value));
      break;
    case PROP_READ_ONLY:
      /* A read-only key: no switch at all (the window's notice says why). */
      self->read_only = g_value_get_boolean (value);
      gtk_widget_set_visible (GTK_WIDGET (self->active_switch), !self->read_only);
      break;
    case PROP_STORE:
      pb_integration_row_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_integration_row_class_init (PbIntegrationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_integration_row_dispose;
  object_class->get_property = pb_integration_row_get_property;
  object_class->set_property = pb_integration_row_set_property;

  properties[PROP_INTEGRATION] =
    g_param_spec_object ("integration", NULL, NULL, PB_TYPE_INTEGRATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PB_RESOURCE_PREFIX "/pb-integration-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, box);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, auth_label);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, default_badge);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, pending_box);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, pending_label);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, accounts_button);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, accounts_icon);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, accounts_label);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, accounts_count_label);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, active_switch);
  gtk_widget_class_bind_template_child (widget_class, PbIntegrationRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, on_active_switch_state_set_cb);

  widget_class->focus = pb_integration_row_focus;
  widget_class->grab_focus = pb_integration_row_grab_focus;
  gtk_widget_class_add_binding (widget_class, GDK_KEY_space, 0, toggle_key_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Space, 0, toggle_key_cb, NULL);
  add_action_key (widget_class, GDK_KEY_Return, "integration.edit");
  add_action_key (widget_class, GDK_KEY_ISO_Enter, "integration.edit");
  add_action_key (widget_class, GDK_KEY_KP_Enter, "integration.edit");
  add_action_key (widget_class, GDK_KEY_Delete, "integration.delete");
  add_action_key (widget_class, GDK_KEY_KP_Delete, "integration.delete");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, menu_key_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, menu_key_cb, NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pbintegrationrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
on_is_focus_cb (GtkEventControllerFocus *controller,
                GParamSpec              *pspec,
                PbIntegrationRow        *self)
{
  if (gtk_event_controller_focus_is_focus (controller))
    gtk_widget_add_css_class (GTK_WIDGET (self), "focused");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "focused");
}

static void
pb_integration_row_init (PbIntegrationRow *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  /* GTK 4.8 marks the ancestors of the focus :focus too: the ring is the row's own. */
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "notify::is-focus", G_CALLBACK (on_is_focus_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
  gtk_menu_button_set_create_popup_func (self->menu_button, create_popup_cb, self, NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->accounts_button), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->menu_button), TRUE);
  g_signal_connect (self->accounts_button, "query-tooltip", G_CALLBACK (on_query_tooltip_cb),
                    self);
  g_signal_connect (self->menu_button, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), self);
  update_compact (self);
}

GtkWidget *
pb_integration_row_new (void)
{
  return g_object_new (PB_TYPE_INTEGRATION_ROW, NULL);
}

PbIntegration *
pb_integration_row_get_integration (PbIntegrationRow *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_ROW (self), NULL);
  return self->integration;
}

void
pb_integration_row_set_integration (PbIntegrationRow *self,
                                    PbIntegration    *integration)
{
  g_return_if_fail (PB_IS_INTEGRATION_ROW (self));
  g_return_if_fail (integration == NULL || PB_IS_INTEGRATION (integration));

  if (!g_set_object (&self->integration, integration))
    return;
  update (self);
  update_pending (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTEGRATION]);
}

gboolean
pb_integration_row_get_compact (PbIntegrationRow *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_ROW (self), FALSE);
  return self->compact;
}

void
pb_integration_row_set_compact (PbIntegrationRow *self,
                                gboolean          compact)
{
  g_return_if_fail (PB_IS_INTEGRATION_ROW (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  update_compact (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

void
pb_integration_row_set_menu_func (PbIntegrationRow *self,
                                  PbRowMenuFunc     func,
                                  gpointer          user_data)
{
  g_return_if_fail (PB_IS_INTEGRATION_ROW (self));
  self->menu_func = func;
  self->menu_func_data = user_data;
}

gboolean
pb_integration_row_get_pending (PbIntegrationRow *self)
{
  g_return_val_if_fail (PB_IS_INTEGRATION_ROW (self), FALSE);
  return self->pending;
}

void
pb_integration_row_set_store (PbIntegrationRow *self,
                              PbStore          *store)
{
  g_return_if_fail (PB_IS_INTEGRATION_ROW (self));
  g_return_if_fail (store == NULL || PB_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "notify::n-pending", G_CALLBACK (update_pending), self,
                             G_CONNECT_SWAPPED);
  update_pending (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}
