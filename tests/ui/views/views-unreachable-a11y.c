/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-views"

#include "config.h"

#include <string.h>

#include "views-fixture.h"

/* ---- unreachable backend, accessibility ------------------------------------------------ */

static gboolean
logs_error (gpointer data)
{
  return pb_paged_view_get_state (PB_PAGED_VIEW (data)) == PB_PAGED_VIEW_STATE_ERROR;
}

void
test_unreachable (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", pb_test_server_closed_port ());
  g_autoptr(PbClient) client = pb_client_new (url, "no-key");
  g_autoptr(PbSecrets) secrets = pb_secrets_new ();
  g_autoptr(PbStore) store = NULL;
  GtkWidget *accounts, *logs, *window, *box;

  pb_client_set_max_retries (client, 0);
  pb_client_set_timeout (client, 5);
  store = pb_store_new (client, secrets, url, "project");
  accounts = pb_accounts_view_new (store);
  logs = pb_logs_view_new (store);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_vexpand (accounts, TRUE);
  gtk_widget_set_vexpand (logs, TRUE);
  gtk_box_append (GTK_BOX (box), accounts);
  gtk_box_append (GTK_BOX (box), logs);
  window = show_in_window (box, 600, 800);

  /* Nothing of this project is cached (a new store, a closed port): the error state says why. */
  g_assert_true (wait_for (accounts_error, accounts, WAIT_SECONDS));
  g_assert_true (wait_for (logs_error, logs, WAIT_SECONDS));
  g_assert_nonnull (strstr (pb_paged_view_get_error_text (PB_PAGED_VIEW (PB_ACCOUNTS_VIEW (accounts))),
                            "cannot be reached"));
  g_assert_nonnull (strstr (pb_paged_view_get_error_text (PB_PAGED_VIEW (PB_LOGS_VIEW (logs))),
                            "cannot be reached"));

  /* Retry asks again (and fails again, with the same sentence). */
  gtk_widget_activate_action (logs, "view.retry", NULL);
  g_assert_cmpint (pb_paged_view_get_state (PB_PAGED_VIEW (PB_LOGS_VIEW (logs))), ==, PB_PAGED_VIEW_STATE_LOADING);
  g_assert_true (wait_for (logs_error, logs, WAIT_SECONDS));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
check_accessible_names (GtkWidget *widget,
                        guint     *n_checked)
{
  gboolean control = GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget)
                     || GTK_IS_DROP_DOWN (widget) || GTK_IS_MENU_BUTTON (widget)
                     || GTK_IS_CALENDAR (widget) || GTK_IS_LIST_VIEW (widget)
                     || (GTK_IS_BUTTON (widget) && gtk_widget_get_parent (widget) != NULL
                         && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget))
                         && !GTK_IS_DROP_DOWN (gtk_widget_get_parent (widget)));

  if (control && gtk_widget_get_visible (widget))
    {
      gboolean named = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                         GTK_ACCESSIBLE_PROPERTY_LABEL)
                       || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                                            GTK_ACCESSIBLE_RELATION_LABELLED_BY)
                       || (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)));
      if (!named)
        g_error ("%s %p has no accessible name", G_OBJECT_TYPE_NAME (widget), widget);
      (*n_checked)++;
    }
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)))
    check_accessible_names (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget))),
                            n_checked);
  /* A drop-down's and a calendar's insides are GTK's. */
  if (GTK_IS_DROP_DOWN (widget) || GTK_IS_CALENDAR (widget))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_accessible_names (child, n_checked);
}

void
test_accessible_names (void)
{
  GtkWidget *accounts = pb_accounts_view_new (hr_store);
  GtkWidget *logs = pb_logs_view_new (hr_store);
  guint n = 0;

  g_object_ref_sink (accounts);
  g_object_ref_sink (logs);
  check_accessible_names (accounts, &n);
  check_accessible_names (logs, &n);
  /* search, 2 drop-downs, list; integration, account, result, codes, 2 dates, 2 calendars,
   * 2 calendar buttons, list, and the Retry/Clear buttons */
  g_assert_cmpuint (n, >=, 16);
  g_object_unref (accounts);
  g_object_unref (logs);
}
