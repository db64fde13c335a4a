/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-auth-type.h"
#include "pb-integration.h"
#include "pb-server-private.h"

G_BEGIN_DECLS

/* Internal to the integration handlers (pb-server-integrations*.c). */

/* The columns of an integration row, in the order of these indexes. */
#define COLUMNS "id, name, connector_key, auth_type_key, active, is_default, config, version," \
                " created_at, updated_at, seq, fingerprint, oauth_app"
enum { C_ID, C_NAME, C_CONNECTOR, C_AUTH, C_ACTIVE, C_DEFAULT, C_CONFIG, C_VERSION, C_CREATED,
       C_UPDATED, C_SEQ, C_FINGERPRINT, C_OAUTH_APP };

/* An integration as stored, while a change is worked out. */
typedef struct
{
  char       *id;
  char       *name;
  char       *connector_key;
  char       *auth_type_key;
  gboolean    active;
  gboolean    is_default;
  PbOAuthApp  oauth_app;
  JsonObject *config;
  gint64      version;
  gint64      created_at;
  char       *fingerprint;
} PbStoredIntegration;

void      pb_integration_row_free           (PbStoredIntegration *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbStoredIntegration, pb_integration_row_free)

PbStoredIntegration *pb_integration_load_row (PbRequest   *req,
                                             const char  *id);
/* An integration's linked accounts by status. */
typedef struct
{
  guint total;
  guint active;
  guint inactive;
  guint suspended;
  guint error;
  guint expired;
} PbAccountCounts;

void      pb_integration_count_accounts     (PbDb        *db,
                                             const char  *id,
                                             PbAccountCounts *counts);
void      pb_integration_reply_not_found    (PbRequest   *req,
                                             const char  *id);
void      pb_integration_reply_integration  (PbRequest   *req,
                                             guint        status,
                                             const char  *id);
void      pb_integration_field_problem      (JsonObject  *fields,
                                             const char  *prefix,
                                             const char  *key,
                                             const char  *reason);
void      pb_integration_check_value_object (JsonObject  *body,
                                             const char  *member,
                                             gboolean     allow_null,
                                             JsonObject  *fields);
gboolean  pb_integration_read_oauth_app     (JsonObject  *body,
                                             PbAuthType  *type,
                                             PbOAuthApp   current,
                                             PbOAuthApp  *out_app,
                                             JsonObject  *fields);
void      pb_integration_check_field_value  (PbAuthType  *type,
                                             PbOAuthApp   app,
                                             const char  *key,
                                             const char  *value,
                                             gboolean     secret,
                                             JsonObject  *fields);
void      pb_integration_check_required     (PbAuthType  *type,
                                             PbOAuthApp   app,
                                             JsonObject  *config,
                                             GHashTable  *secret_keys,
                                             JsonObject  *fields);
char     *pb_integration_make_hint          (const char  *value);
gboolean  pb_integration_store_secret       (PbRequest   *req,
                                             const char  *id,
                                             const char  *field,
                                             const char  *value,
                                             gint64       now,
                                             GError     **error);
gboolean  pb_integration_generate_values    (PbRequest   *req,
                                             const char  *id,
                                             PbAuthType  *type,
                                             GHashTable  *secret_keys,
                                             gint64       now,
                                             GError     **error);
gboolean  pb_integration_delete_secret      (PbRequest   *req,
                                             const char  *id,
                                             const char  *field,
                                             GError     **error);
guint     pb_integration_count_connector    (PbRequest   *req,
                                             const char  *connector);
gboolean  pb_integration_take_default       (PbRequest   *req,
                                             const char  *connector,
                                             const char  *id,
                                             gint64       now,
                                             GError     **error);
GString  *pb_integration_load_text          (PbRequest   *req,
                                             const char  *id,
                                             gint64      *out_version);
JsonNode *pb_integration_load_json          (PbRequest   *req,
                                             const char  *id,
                                             gint64      *out_version);
char     *pb_integration_config_to_text     (JsonObject  *config);

G_END_DECLS
