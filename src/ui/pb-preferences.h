/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pb-application.h"

G_BEGIN_DECLS

#define PB_TYPE_PREFERENCES (pb_preferences_get_type ())
G_DECLARE_FINAL_TYPE (PbPreferences, pb_preferences, PB, PREFERENCES, AdwPreferencesWindow)

/* Preferences: add (URL + API key, checked with the backend first, the key kept in the
 * keyring), rename and remove the configured projects; reset the local demo while it is in
 * use. */
PbPreferences *pb_preferences_new (PbApplication *application);

G_END_DECLS
