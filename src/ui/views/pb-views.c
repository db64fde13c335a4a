/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-views"

#include "config.h"

#include "pb-views.h"

#include "pb-account-row.h"
#include "pb-log-row.h"

void
pb_views_ensure_types (void)
{
  g_type_ensure (PB_TYPE_ACCOUNTS_VIEW);
  g_type_ensure (PB_TYPE_LOGS_VIEW);
  g_type_ensure (PB_TYPE_LOG_DETAILS);
  g_type_ensure (PB_TYPE_ACCOUNT_ROW);
  g_type_ensure (PB_TYPE_LOG_ROW);
}
