/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "pb-json-scan.h"

G_BEGIN_DECLS

/**
 * PbSecretState:
 * @set: whether the secret field has a value on the backend
 * @hint: (nullable): the last characters, e.g. "…wxyz"
 * @updated_at: (nullable): when it was last set
 * @expires_at: (nullable): when it stops working (an account's OAuth access token)
 *
 * What the backend says about a secret field (of an integration) or a credential (of a linked
 * account). Never holds the value.
 */
typedef struct
{
  gboolean   set;
  char      *hint;
  GDateTime *updated_at;
  GDateTime *expires_at;
} PbSecretState;

#define PB_TYPE_SECRET_STATE (pb_secret_state_get_type ())
GType          pb_secret_state_get_type (void) G_GNUC_CONST;
PbSecretState *pb_secret_state_new      (gboolean             set,
                                         const char          *hint,
                                         GDateTime           *updated_at);
PbSecretState *pb_secret_state_copy     (const PbSecretState *state);
void           pb_secret_state_free     (PbSecretState       *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbSecretState, pb_secret_state_free)

/* Tables of them by field key, as the API writes them: {"key": {set, hint, updated_at,
 * expires_at}}. @member names the table in errors ("secrets", "credentials"). */
GHashTable    *pb_secret_state_table_new     (void);
gboolean       pb_secret_state_table_parse   (GHashTable          *table,
                                              JsonObject          *object,
                                              const char          *member,
                                              GError             **error);
/* Members in key order, so that the text is stable. */
JsonObject    *pb_secret_state_table_to_json (GHashTable          *table);

/**
 * PbOAuthApp:
 * @PB_OAUTH_APP_NONE: not an OAuth auth type (JSON null)
 * @PB_OAUTH_APP_OWN: the integration's own OAuth app, with its client id and secret ("own")
 * @PB_OAUTH_APP_PLATFORM: the platform's OAuth app, no client id or secret ("platform")
 */
typedef enum
{
  PB_OAUTH_APP_NONE,
  PB_OAUTH_APP_OWN,
  PB_OAUTH_APP_PLATFORM,
} PbOAuthApp;

#define PB_TYPE_OAUTH_APP (pb_oauth_app_get_type ())
GType        pb_oauth_app_get_type    (void) G_GNUC_CONST;
/* "own", "platform"; FALSE for anything else (NULL is not a name: it is PB_OAUTH_APP_NONE). */
gboolean     pb_oauth_app_from_string (const char *text,
                                       PbOAuthApp *out_app);
/* NULL for PB_OAUTH_APP_NONE. */
const char  *pb_oauth_app_to_string   (PbOAuthApp  app);

#define PB_TYPE_INTEGRATION (pb_integration_get_type ())
G_DECLARE_FINAL_TYPE (PbIntegration, pb_integration, PB, INTEGRATION, GObject)

PbIntegration      *pb_integration_new_from_json          (JsonObject     *object,
                                                           GError        **error);
/* The same object read from JSON text in place (see PbJsonScan), for big pages: NULL, without
 * an error, for anything it does not read; then the caller reads the text with json-glib and
 * pb_integration_new_from_json(), which gives the same integration or says what is wrong. */
PbIntegration      *pb_integration_new_from_scan          (PbJsonScan     *scan);
JsonObject         *pb_integration_to_json                (PbIntegration  *self);
/* Whether both hold the same values (as their JSON would be equal). */
gboolean            pb_integration_equal                  (PbIntegration  *a,
                                                           PbIntegration  *b);
/* Collation keys (strcmp() them) of the connector label and the name, made once. */
void                pb_integration_get_sort_keys          (PbIntegration  *self,
                                                           const char    **out_label,
                                                           const char    **out_name);

const char         *pb_integration_get_id                 (PbIntegration  *self);
const char         *pb_integration_get_name               (PbIntegration  *self);
const char         *pb_integration_get_connector_key      (PbIntegration  *self);
const char         *pb_integration_get_connector_label    (PbIntegration  *self);
const char * const *pb_integration_get_categories         (PbIntegration  *self);
const char         *pb_integration_get_auth_type_key      (PbIntegration  *self);
const char         *pb_integration_get_auth_type_label    (PbIntegration  *self);
gboolean            pb_integration_get_active             (PbIntegration  *self);
gboolean            pb_integration_get_is_default         (PbIntegration  *self);
PbOAuthApp          pb_integration_get_oauth_app          (PbIntegration  *self);
/* (transfer none) (element-type utf8 utf8) */
GHashTable         *pb_integration_get_config             (PbIntegration  *self);
/* (transfer none) (element-type utf8 PbSecretState) */
GHashTable         *pb_integration_get_secrets            (PbIntegration  *self);
guint               pb_integration_get_accounts_total     (PbIntegration  *self);
guint               pb_integration_get_accounts_active    (PbIntegration  *self);
guint               pb_integration_get_accounts_inactive  (PbIntegration  *self);
guint               pb_integration_get_accounts_suspended (PbIntegration  *self);
guint               pb_integration_get_accounts_expired   (PbIntegration  *self);
guint               pb_integration_get_accounts_error     (PbIntegration  *self);
gint64              pb_integration_get_version            (PbIntegration  *self);
GDateTime          *pb_integration_get_created_at         (PbIntegration  *self);
GDateTime          *pb_integration_get_updated_at         (PbIntegration  *self);

G_END_DECLS
