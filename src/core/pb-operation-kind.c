/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-core"

#include "config.h"

#include "pb-operation-kind.h"

static const char * const kind_names[] = {
  [PB_OPERATION_CREATE] = "create",
  [PB_OPERATION_UPDATE] = "update",
  [PB_OPERATION_CHANGE_AUTH_TYPE] = "change-auth-type",
  [PB_OPERATION_SET_CREDENTIALS] = "set-credentials",
  [PB_OPERATION_ENABLE] = "enable",
  [PB_OPERATION_DISABLE] = "disable",
  [PB_OPERATION_MAKE_DEFAULT] = "make-default",
  [PB_OPERATION_DELETE] = "delete",
  [PB_OPERATION_SUSPEND_ACCOUNT] = "suspend-account",
  [PB_OPERATION_RESUME_ACCOUNT] = "resume-account",
  [PB_OPERATION_DELETE_ACCOUNT] = "delete-account",
};

const char *
pb_operation_kind_to_string (PbOperationKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
pb_operation_kind_from_string (const char      *text,
                               PbOperationKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (text, kind_names[i]) == 0)
        {
          *out_kind = i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
pb_operation_kind_is_account (PbOperationKind kind)
{
  return kind == PB_OPERATION_SUSPEND_ACCOUNT || kind == PB_OPERATION_RESUME_ACCOUNT
         || kind == PB_OPERATION_DELETE_ACCOUNT;
}
