/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pb-store-internal.h"

G_BEGIN_DECLS

/* PbDemoBackend is one object in two files: pb-demo-backend.c (the object, starting the
 * server, opening clients, stopping) and pb-demo-backend-reset.c (the reset). */

/* The URLs the demo served at (one a line, a free port each start), so that a reset finds
 * the offline caches the store kept per (URL, project). Only the most recent are kept. */
#define URLS_FILE       "urls"

struct _PbDemoBackend
{
  GObject parent_instance;

  PbSecrets   *secrets;
  GSubprocess *process;
  GListStore  *projects;   /* PbProjectConfig */
  GHashTable  *keys;       /* local id → admin key printed by this run (wiped at the end) */
  char        *url;
  gboolean     resetting;
};

/* $XDG_DATA_HOME/plugboard/demo */
char      *pb_demo_backend_dir                 (void);
/* The demo's projects (ids, names, plans; never keys) noted beside its database; NULL when
 * missing or unreadable. */
JsonArray *pb_demo_backend_load_saved_projects (const char *path);
/* The URLs noted in @dir's URLS_FILE, oldest first (never NULL). */
char     **pb_demo_backend_load_urls           (const char *dir);

G_END_DECLS
