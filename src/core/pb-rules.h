/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pb-auth-field.h"
#include "pb-auth-type.h"
#include "pb-integration.h"
#include "pb-linked-account.h"

G_BEGIN_DECLS

/* Limits from api.md. */
#define PB_RULES_NAME_MAX_CHARS   200
#define PB_RULES_VALUE_MAX_BYTES  8192

/**
 * PbIntegrationFacts:
 * @n_connector_integrations: integrations of this connector in the project, this one included
 * @is_default: whether this one is the connector's default
 * @active: whether this one is enabled
 * @n_linked_accounts: linked accounts of this one
 */
typedef struct
{
  guint    n_connector_integrations;
  gboolean is_default;
  gboolean active;
  guint    n_linked_accounts;
} PbIntegrationFacts;

/* Items a row's ellipsis menu shows, per ux.md's three cases. */
typedef enum
{
  PB_ROW_ACTION_EDIT                = 1 << 0,
  PB_ROW_ACTION_VIEW_LOGS           = 1 << 1,
  PB_ROW_ACTION_COPY_INTEGRATION_ID = 1 << 2,
  PB_ROW_ACTION_COPY_CONNECTOR_ID   = 1 << 3,
  PB_ROW_ACTION_DISABLE             = 1 << 4,   /* shown when active */
  PB_ROW_ACTION_ENABLE              = 1 << 5,   /* shown when inactive */
  PB_ROW_ACTION_DELETE              = 1 << 6,   /* shown only when delete is allowed */
  PB_ROW_ACTION_MAKE_DEFAULT        = 1 << 7,   /* several for the connector and not the default */
} PbRowActions;

PbRowActions    pb_rules_row_actions (const PbIntegrationFacts *facts);

/* Fills @facts from @integration (its state and linked accounts total) and the number of
 * integrations of its connector in the project, @integration included. */
void  pb_rules_facts_from_integration       (PbIntegrationFacts *facts,
                                             PbIntegration      *integration,
                                             guint               n_connector_integrations);
/* Counts the PbIntegration items of @integrations whose connector is @connector_key. */
guint pb_rules_count_connector_integrations (GListModel         *integrations,
                                             const char         *connector_key);

typedef enum
{
  PB_DELETE_ALLOWED,
  PB_DELETE_HAS_LINKED_ACCOUNTS,      /* API code "has_linked_accounts" */
  PB_DELETE_DEFAULT_WITH_SIBLINGS,    /* API code "default_with_siblings" */
} PbDeleteVerdict;

#define PB_RULES_CODE_HAS_LINKED_ACCOUNTS   "has_linked_accounts"
#define PB_RULES_CODE_DEFAULT_WITH_SIBLINGS "default_with_siblings"

PbDeleteVerdict pb_rules_delete_verdict         (const PbIntegrationFacts *facts);
/* NULL when allowed. */
const char     *pb_rules_delete_verdict_code    (PbDeleteVerdict           verdict);
/* A translated sentence for a person; NULL when allowed. */
char           *pb_rules_delete_verdict_message (PbDeleteVerdict           verdict,
                                                 const PbIntegrationFacts *facts);

/* Default rules. First of its connector → TRUE whatever @requested; else @requested. */
gboolean        pb_rules_default_on_create      (guint    n_existing_connector_integrations,
                                                 gboolean requested);
/* default:false on the default → FALSE with a translated @message (may be NULL);
 * the API code is PB_RULES_CODE_DEFAULT_REQUIRED. */
gboolean        pb_rules_can_unset_default      (const PbIntegrationFacts *facts,
                                                 char                    **message);
#define PB_RULES_CODE_DEFAULT_REQUIRED "default_required"

/* Enable/disable effects on linked accounts: disabling → INACTIVE, enabling → ACTIVE. */
PbAccountStatus pb_rules_account_status_after_toggle (gboolean        integration_active,
                                                      PbAccountStatus current);
#define PB_RULES_REASON_INTEGRATION_DISABLED "integration_disabled"
/* "3 linked accounts will become inactive, …" (translated); NULL when 0. */
char           *pb_rules_disable_warning        (guint                     n_linked_accounts);

/* Who enters what (api.md, "fields" and "account_fields"). */
#define PB_RULES_CODE_OAUTH_APP "oauth_app"
/* The OAuth app an integration of @type uses when nothing says otherwise: its own for oauth2
 * and oidc types, none for the others. */
PbOAuthApp      pb_rules_default_oauth_app      (PbAuthType               *type);
/* TRUE when an integration of @type may use @app; otherwise FALSE and a translated sentence
 * in @message (may be NULL). */
gboolean        pb_rules_validate_oauth_app     (PbAuthType               *type,
                                                 PbOAuthApp                app,
                                                 char                    **message);
/* Whether @key is one of the OAuth app's credentials (client id and secret), which the
 * platform's app replaces. */
gboolean        pb_rules_is_oauth_app_credential (const char              *key);
/* Whether the admin enters @field on an integration using @app: not a generated value, and
 * not the app's client id or secret when the platform's app is used. */
gboolean        pb_rules_field_is_entered       (PbAuthField              *field,
                                                 PbOAuthApp                app);

/* Why the integration cannot hold a value for @key (an account field, a generated value, the
 * OAuth app's credentials on the platform's app), translated; NULL otherwise. */
char           *pb_rules_field_placement_problem (PbAuthType             *type,
                                                 PbOAuthApp                app,
                                                 const char               *key);
/* The fields the admin must fill on an integration of @type using @app.
 * (transfer container) (element-type PbAuthField) */
GPtrArray      *pb_rules_required_fields        (PbAuthType               *type,
                                                 PbOAuthApp                app);
/* TRUE when @value is acceptable for @field; otherwise FALSE and a translated
 * sentence naming the field's label in @message (may be NULL). @value may be NULL. */
gboolean        pb_rules_validate_field         (PbAuthField              *field,
                                                 const char               *value,
                                                 char                    **message);
/* The values of a create or of an update after merging (api.md): every key is a field of
 * @type that the admin enters with @app (not an account field, not a generated value, not
 * the client id or secret on the platform's app); secret fields only in @secrets, others only
 * in @config; every required field has a value (a secret one may instead be in
 * @secrets_already_set, i.e. set on the backend); each value passes
 * pb_rules_validate_field(). A %NULL value means "remove".
 * @config, @secrets: (nullable) (element-type utf8 utf8).
 * On failure *@field_errors (optional) is a new table: field key → translated sentence,
 * the API's details.fields. */
gboolean        pb_rules_validate_values        (PbAuthType               *type,
                                                 PbOAuthApp                app,
                                                 GHashTable               *config,
                                                 GHashTable               *secrets,
                                                 const char * const       *secrets_already_set,
                                                 GHashTable              **field_errors);
/* Not blank, at most PB_RULES_NAME_MAX_CHARS characters. */
gboolean        pb_rules_validate_name          (const char               *name,
                                                 char                    **message);

G_END_DECLS
