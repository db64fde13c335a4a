/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "plugboard"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PbApplication) app = NULL;
  const char *localedir = g_getenv ("PLUGBOARD_LOCALEDIR");

  /* `meson devenv` and the tests point this at the build directory's translations. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Plugboard"));

  app = pb_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
