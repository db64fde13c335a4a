/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the integration editor's files share (private to src/ui/editor):
 * pb-integration-editor.c (the dialog, its actions and closing), pb-editor-form.c (the field
 * form built from an auth type, its state and the default setting) and pb-editor-save.c (the
 * keyring look-ups and the sequence of operations that saves). */

#include <adwaita.h>

#include "pb-integration-editor.h"

G_BEGIN_DECLS

/*
 * The form keeps one table of what is shown for every field key (`values`), across auth
 * types: switching the auth type rebuilds the rows of the credentials group and fills them
 * from that table, so a value typed in a field that both types share (same key) stays.
 *
 * `initial` holds what counts as "unchanged" for each key: the integration's config, the
 * secret from this machine's keyring when it has one (else ""), the catalog's default for a
 * new integration. Only keys whose value differs from it are sent; an untouched secret is
 * never sent, so the backend keeps it.
 */

/*
 * What the editor is doing. pb_editor_transition() is the one place it changes, from what
 * happened (PbEditorEvent):
 *
 *   IDLE ⇄ READY  the form changed (CHANGED): READY when Save would send something valid
 *   READY → BUSY  Save (SAVE): the form is insensitive until the save ends
 *   BUSY → IDLE or READY  the save stopped short (STOPPED): refused, failed or cancelled
 *   BUSY → DONE   saved (SAVED); any → DONE when the admin discards the changes (DISCARD)
 *
 * The window closes without asking in DONE, and in IDLE or READY with nothing changed.
 */
typedef enum
{
  PB_EDITOR_STATE_IDLE,     /* nothing to save: unchanged, or something missing or wrong */
  PB_EDITOR_STATE_READY,    /* Save may go */
  PB_EDITOR_STATE_BUSY,     /* saving */
  PB_EDITOR_STATE_DONE,     /* saved, or the changes were given up: the window may close */
} PbEditorState;

typedef enum
{
  PB_EDITOR_EVENT_CHANGED,
  PB_EDITOR_EVENT_SAVE,
  PB_EDITOR_EVENT_STOPPED,
  PB_EDITOR_EVENT_SAVED,
  PB_EDITOR_EVENT_DISCARD,
} PbEditorEvent;

typedef struct
{
  PbAuthField *field;
  GtkWidget   *row;            /* AdwEntryRow, AdwPasswordEntryRow or AdwComboRow */
  GtkWidget   *message_row;    /* AdwPreferencesRow under it, shown with a problem */
  GtkLabel    *message_label;
  char        *hint;           /* "Set (ends in …wxyz)", secrets set on the backend */
  gboolean     touched;
} FieldRow;

struct _PbIntegrationEditor
{
  AdwWindow            parent_instance;

  /* template */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkButton           *cancel_button;
  GtkButton           *save_button;
  GtkSpinner          *spinner;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  AdwActionRow        *connector_row;
  AdwEntryRow         *name_row;
  GtkWidget           *name_message_row;
  GtkLabel            *name_message_label;
  AdwComboRow         *auth_type_row;
  AdwComboRow         *oauth_app_row;
  GtkWidget           *oauth_app_note_row;
  GtkLabel            *oauth_app_note;
  AdwPreferencesGroup *credentials_group;
  GtkListBox          *credentials_list;
  AdwPreferencesGroup *account_group;
  GtkListBox          *account_list;
  AdwPreferencesGroup *callback_group;
  AdwActionRow        *callback_row;
  AdwPreferencesGroup *default_group;
  AdwComboRow         *default_row;
  GtkLabel            *status_label;

  PbStore             *store;
  PbConnector         *connector;
  PbIntegration       *integration;      /* NULL for a new one; replaced after partial saves */
  PbIntegration       *saved;
  GCancellable        *cancellable;

  PbAuthType          *auth_type;        /* the chosen one */
  GPtrArray           *rows;             /* FieldRow* of auth_type */
  GHashTable          *values;           /* key → shown value, every key ever shown */
  GHashTable          *initial;          /* key → value that counts as unchanged */
  GHashTable          *server_errors;    /* key ("name" too) → refusal beside that field */
  char                *initial_name;
  char                *initial_auth_type;
  PbOAuthApp           oauth_app;        /* of the chosen auth type: none, own or platform */
  PbOAuthApp           initial_oauth_app;
  gboolean             initial_default;
  gboolean             name_touched;

  guint                n_siblings;       /* other integrations of the connector */
  char                *default_sibling;  /* name of the sibling that is the default, if any */

  char                *problem;          /* why Save is insensitive */
  char                *refusal;          /* the last refusal, shown at the top */
  char                *default_explanation;
  PbEditorState        state;
  gboolean             populating;       /* the form is being filled in by code */
  AdwMessageDialog    *question;
  GtkWidget           *focus_before_saving;   /* weak */
  char                *new_id;           /* the id a new integration keeps across tries */
  gboolean             keyring_may_hold;  /* a refused create left values in the keyring */
  gboolean             queued;           /* saved into the store's queue, not yet sent */
};

enum {
  DEFAULT_YES = 0,
  DEFAULT_NO = 1,
};

/* The choices of the OAuth app row, in its order. */
enum {
  OAUTH_APP_ROW_PLATFORM = 0,
  OAUTH_APP_ROW_OWN = 1,
};


const char * pb_editor_field_row_get_value (FieldRow *row);
void         pb_editor_field_row_set_value (FieldRow *row, const char *value);
FieldRow *   pb_editor_find_row (PbIntegrationEditor *self, const char *key);
gboolean     pb_editor_is_dirty (PbIntegrationEditor *self);
void         pb_editor_transition (PbIntegrationEditor *self, PbEditorEvent event);
gboolean     pb_editor_get_make_default (PbIntegrationEditor *self);
const char * pb_editor_get_name (PbIntegrationEditor *self);
const char * pb_editor_lookup_or_empty (GHashTable *table, const char *key);
gboolean     pb_editor_server_has_secret (PbIntegrationEditor *self, const char *key);
void         pb_editor_set_accessible_description (GtkWidget *widget, const char *description);
void         pb_editor_set_auth_type (PbIntegrationEditor *self, PbAuthType *type);
void         pb_editor_set_refusal (PbIntegrationEditor *self, const char *text);
void         pb_editor_setup_default (PbIntegrationEditor *self);
void         pb_editor_update_state (PbIntegrationEditor *self);
void         pb_editor_wipe_free (gpointer data);
void         pb_editor_look_up_secrets (PbIntegrationEditor *self);
void         pb_editor_save_action (GtkWidget *widget, const char *action_name, GVariant *parameter);

/* Template callbacks, bound by their names in the .ui file. */
void         pb_editor_on_name_row_changed_cb       (AdwEntryRow         *row,
                                                     PbIntegrationEditor *self);
void         pb_editor_on_auth_type_row_selected_cb (AdwComboRow         *row,
                                                     GParamSpec          *pspec,
                                                     PbIntegrationEditor *self);
void         pb_editor_on_default_row_selected_cb   (AdwComboRow         *row,
                                                     GParamSpec          *pspec,
                                                     PbIntegrationEditor *self);
void         pb_editor_on_oauth_app_row_selected_cb (AdwComboRow         *row,
                                                     GParamSpec          *pspec,
                                                     PbIntegrationEditor *self);

G_END_DECLS
