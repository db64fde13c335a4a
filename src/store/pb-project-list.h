/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-project-config.h"

G_BEGIN_DECLS

typedef struct _PbStore PbStore;

/* The local id of the session-only project made from PLUGBOARD_BACKEND_URL and
 * PLUGBOARD_API_KEY. */
#define PB_PROJECT_LIST_SESSION_ID "session"

#define PB_TYPE_PROJECT_LIST (pb_project_list_get_type ())
G_DECLARE_FINAL_TYPE (PbProjectList, pb_project_list, PB, PROJECT_LIST, GObject)

/*
 * PbProjectList: a GListModel of PbProjectConfig, the projects the admin configured.
 *
 * They are kept in the GSettings key `projects` (a(ssss): local id, display name, backend URL,
 * project id on the backend); each API key is in the keyring (`project` = local id). When both PLUGBOARD_BACKEND_URL and PLUGBOARD_API_KEY are set at construction, a
 * session-only project comes first: its key stays in memory and it is never saved.
 * Order: the session project, then the saved ones in the order they were added.
 */

/* @settings: (nullable): a GSettings of the app's schema; NULL uses the default one. */
PbProjectList   *pb_project_list_new                (GSettings            *settings);

/* (transfer none) (nullable) */
PbProjectConfig *pb_project_list_find               (PbProjectList        *self,
                                                     const char           *id);

/* Checks @url and @api_key with GET /project, then keeps the key in the keyring and the
 * project in settings. @name: (nullable): the display name; NULL or blank takes the
 * project's name from the backend. An http:// address of another computer is refused with
 * PB_STORE_ERROR_UNENCRYPTED (before anything is sent) unless @allow_unencrypted: the admin
 * confirmed that the key may travel unencrypted to it. Errors: PB_STORE_ERROR_INVALID_INPUT
 * (bad URL, empty key, bad name), PB_STORE_ERROR_EXISTS, PB_API_ERROR_* from the check,
 * PB_STORE_ERROR_KEYRING_*; on any error nothing is saved. */
void             pb_project_list_add_async          (PbProjectList        *self,
                                                     const char           *name,
                                                     const char           *url,
                                                     const char           *api_key,
                                                     gboolean              allow_unencrypted,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
/* Returns: (transfer full): the new project, already in the list. */
PbProjectConfig *pb_project_list_add_finish         (PbProjectList        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

gboolean         pb_project_list_rename             (PbProjectList        *self,
                                                     const char           *id,
                                                     const char           *name,
                                                     GError              **error);

/* Records the project's id on the backend for configuration @id once the store learned it
 * (pb_store_get_project_id() after the first load), so that the project opens from the
 * offline cache next time without the network. Saved in the settings; TRUE when unchanged. */
gboolean         pb_project_list_set_project_id     (PbProjectList        *self,
                                                     const char           *id,
                                                     const char           *project_id,
                                                     GError              **error);

/* Clears the API key from the keyring first, then forgets the project. */
void             pb_project_list_remove_async       (PbProjectList        *self,
                                                     const char           *id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean         pb_project_list_remove_finish      (PbProjectList        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Starts reading the cached copy of project @id (the one shown first) in a worker thread, so
 * that its store, from pb_project_list_open_store_async(), shows it on its first load
 * without reading it on the main thread. Does nothing for a project never loaded. */
void             pb_project_list_preload            (PbProjectList        *self,
                                                     const char           *id);
/* A PbStore (not loaded yet) for the project, with its key from the keyring (or memory). */
void             pb_project_list_open_store_async   (PbProjectList        *self,
                                                     const char           *id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
PbStore         *pb_project_list_open_store_finish  (PbProjectList        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* The GSettings key `last-project`; (nullable) when unset or no longer configured. */
PbProjectConfig *pb_project_list_get_last_project   (PbProjectList        *self);
void             pb_project_list_set_last_project   (PbProjectList        *self,
                                                     const char           *id);

G_END_DECLS
