/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-rules"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "pb-core.h"

/*
 * One table for every rule of the seed (shared/seed/integrations-page.txt, design/ux.md,
 * design/api.md). Expected values are written out by hand from those documents, never
 * computed with the code under test.
 */

#define BASE (PB_ROW_ACTION_EDIT | PB_ROW_ACTION_VIEW_LOGS | \
              PB_ROW_ACTION_COPY_INTEGRATION_ID | PB_ROW_ACTION_COPY_CONNECTOR_ID)
#define DIS  PB_ROW_ACTION_DISABLE
#define ENA  PB_ROW_ACTION_ENABLE
#define DEL  PB_ROW_ACTION_DELETE
#define MKD  PB_ROW_ACTION_MAKE_DEFAULT

#define MSG_ACCOUNTS_3  "It has 3 linked accounts. Disconnect them first."
#define MSG_ACCOUNTS_1  "It has 1 linked account. Disconnect it first."
#define MSG_DEFAULT     "It is the default for its connector. " \
                        "Make another integration the default first."
#define MSG_UNSET_SIBS  "A connector always has a default integration. " \
                        "Make another integration the default instead."
#define MSG_UNSET_ONLY  "A connector always has a default integration, and this is its only one."

typedef enum
{
  CASE_FACTS,             /* menu, delete verdict/code/message, unsetting the default */
  CASE_DEFAULT_ON_CREATE,
  CASE_TOGGLE,
  CASE_DISABLE_WARNING,
  CASE_FIELD,
  CASE_NAME,
  CASE_REQUIRED_FIELDS,
  CASE_VALUES,
  CASE_COUNT,
} CaseKind;

typedef struct
{
  CaseKind            kind;
  const char         *what;

  /* CASE_FACTS */
  PbIntegrationFacts  facts;
  PbRowActions        actions;
  PbDeleteVerdict     verdict;
  const char         *code;
  gboolean            can_unset;

  /* CASE_DEFAULT_ON_CREATE */
  guint               n_existing;
  gboolean            requested;

  /* CASE_TOGGLE */
  gboolean            turn_on;
  PbAccountStatus     before;
  PbAccountStatus     after;

  /* CASE_DISABLE_WARNING */
  guint               n_accounts;

  /* CASE_FIELD (field_json + value) and CASE_NAME (value) */
  const char         *field_json;
  const char         *value;
  const char         *fill;       /* when set, the value is @fill repeated @fill_count times */
  guint               fill_count;

  /* CASE_REQUIRED_FIELDS */
  const char         *auth_type_json;
  const char         *required_keys;   /* comma-separated, in order */
  PbOAuthApp          oauth_app;       /* and CASE_VALUES */

  /* CASE_VALUES: "key=value;key=value", "(null)" for a NULL value; NULL for no table */
  const char         *config;
  const char         *secrets;
  const char         *already_set;     /* comma-separated */
  const char         *errors;          /* expected "key=message;…" sorted by key, NULL if valid */

  /* CASE_COUNT: the integrations of a project, each "connector:default:active:accounts" */
  const char         *integrations;
  const char         *connector_key;
  guint               count;

  /* Results shared by several kinds */
  gboolean            expect_true;     /* default on create; field/name valid */
  const char         *message;         /* delete message, warning, field/name message */
  const char         *message2;        /* unset-default message */
} RuleCase;

#define FACTS(n, def, act, acc) { .n_connector_integrations = (n), .is_default = (def), \
                                  .active = (act), .n_linked_accounts = (acc) }

#define F_API_KEY  "{\"key\":\"api_key\",\"label\":\"API key\",\"kind\":\"secret\",\"required\":true}"
#define F_NOTE     "{\"key\":\"note\",\"label\":\"Note\",\"kind\":\"text\",\"required\":false}"
#define F_HOST     "{\"key\":\"host\",\"label\":\"Host\",\"kind\":\"url\",\"required\":true}"
#define F_HOST_OPT "{\"key\":\"host\",\"label\":\"Host\",\"kind\":\"url\"}"
#define F_EMAIL    "{\"key\":\"email\",\"label\":\"Admin e-mail\",\"kind\":\"email\",\"required\":true}"
#define F_REGION   "{\"key\":\"region\",\"label\":\"Region\",\"kind\":\"select\",\"required\":true," \
                   "\"options\":[\"eu\",\"us\"]}"

#define URL_MSG    "Host must be a web address starting with http:// or https://, " \
                   "such as https://example.com."
#define EMAIL_MSG  "Admin e-mail must be an e-mail address, such as name@example.com."

#define F_CLIENT_ID     "{\"key\":\"client_id\",\"label\":\"Client ID\",\"kind\":\"text\"," \
                        "\"required\":true}"
#define F_CLIENT_SECRET "{\"key\":\"client_secret\",\"label\":\"Client secret\"," \
                        "\"kind\":\"secret\",\"required\":true}"
#define F_TOKEN         "{\"key\":\"token\",\"label\":\"Trigger token\",\"kind\":\"secret\"," \
                        "\"generated\":true}"
#define T_OAUTH    "{\"key\":\"oauth2\",\"label\":\"OAuth 2.0\",\"type\":\"oauth2\"," \
                   "\"platform_oauth_app\":true,\"fields\":[" F_CLIENT_ID "," F_CLIENT_SECRET "," \
                   F_REGION "],\"account_fields\":[" \
                   "{\"key\":\"subdomain\",\"label\":\"Subdomain\",\"kind\":\"text\",\"required\":true}]}"
#define T_PARTNER  "{\"key\":\"partner\",\"label\":\"Partner\",\"type\":\"custom\",\"fields\":[" \
                   F_REGION "," F_TOKEN "],\"account_fields\":[" F_API_KEY "]}"

#define T_VALUES   "{\"key\":\"api_key\",\"label\":\"API Key\",\"type\":\"api_key\",\"fields\":[" \
                   F_API_KEY "," \
                   "{\"key\":\"subdomain\",\"label\":\"Subdomain\",\"kind\":\"text\",\"required\":true}," \
                   F_HOST_OPT "," \
                   "{\"key\":\"region\",\"label\":\"Region\",\"kind\":\"select\"," \
                   "\"options\":[\"eu\",\"us\"]}]}"

static const RuleCase cases[] = {
  /* ux.md case 1: one integration for its connector (it is necessarily the default). */
  { CASE_FACTS, "single, active, no accounts", .facts = FACTS (1, TRUE, TRUE, 0),
    .actions = BASE | DIS | DEL, .verdict = PB_DELETE_ALLOWED, .code = NULL, .message = NULL,
    .can_unset = FALSE, .message2 = MSG_UNSET_ONLY },
  { CASE_FACTS, "single, active, 3 accounts", .facts = FACTS (1, TRUE, TRUE, 3),
    .actions = BASE | DIS, .verdict = PB_DELETE_HAS_LINKED_ACCOUNTS,
    .code = "has_linked_accounts", .message = MSG_ACCOUNTS_3,
    .can_unset = FALSE, .message2 = MSG_UNSET_ONLY },
  { CASE_FACTS, "single, inactive, no accounts", .facts = FACTS (1, TRUE, FALSE, 0),
    .actions = BASE | ENA | DEL, .verdict = PB_DELETE_ALLOWED,
    .can_unset = FALSE, .message2 = MSG_UNSET_ONLY },
  { CASE_FACTS, "single, inactive, 1 account", .facts = FACTS (1, TRUE, FALSE, 1),
    .actions = BASE | ENA, .verdict = PB_DELETE_HAS_LINKED_ACCOUNTS,
    .code = "has_linked_accounts", .message = MSG_ACCOUNTS_1,
    .can_unset = FALSE, .message2 = MSG_UNSET_ONLY },

  /* ux.md case 2: several for the connector, this one the default: no Delete. */
  { CASE_FACTS, "several, default, active, no accounts", .facts = FACTS (2, TRUE, TRUE, 0),
    .actions = BASE | DIS, .verdict = PB_DELETE_DEFAULT_WITH_SIBLINGS,
    .code = "default_with_siblings", .message = MSG_DEFAULT,
    .can_unset = FALSE, .message2 = MSG_UNSET_SIBS },
  { CASE_FACTS, "several, default, active, 3 accounts", .facts = FACTS (3, TRUE, TRUE, 3),
    .actions = BASE | DIS, .verdict = PB_DELETE_HAS_LINKED_ACCOUNTS,
    .code = "has_linked_accounts", .message = MSG_ACCOUNTS_3,
    .can_unset = FALSE, .message2 = MSG_UNSET_SIBS },
  { CASE_FACTS, "several, default, inactive, no accounts", .facts = FACTS (2, TRUE, FALSE, 0),
    .actions = BASE | ENA, .verdict = PB_DELETE_DEFAULT_WITH_SIBLINGS,
    .code = "default_with_siblings", .message = MSG_DEFAULT,
    .can_unset = FALSE, .message2 = MSG_UNSET_SIBS },
  { CASE_FACTS, "several, default, inactive, 3 accounts", .facts = FACTS (2, TRUE, FALSE, 3),
    .actions = BASE | ENA, .verdict = PB_DELETE_HAS_LINKED_ACCOUNTS,
    .code = "has_linked_accounts", .message = MSG_ACCOUNTS_3,
    .can_unset = FALSE, .message2 = MSG_UNSET_SIBS },

  /* ux.md case 3: several, this one not the default: Delete and Make default. */
  { CASE_FACTS, "several, not default, active, no accounts", .facts = FACTS (2, FALSE, TRUE, 0),
    .actions = BASE | DIS | DEL | MKD, .verdict = PB_DELETE_ALLOWED, .can_unset = TRUE },
  { CASE_FACTS, "several, not default, active, 3 accounts", .facts = FACTS (2, FALSE, TRUE, 3),
    .actions = BASE | DIS | MKD, .verdict = PB_DELETE_HAS_LINKED_ACCOUNTS,
    .code = "has_linked_accounts", .message = MSG_ACCOUNTS_3, .can_unset = TRUE },
  { CASE_FACTS, "several, not default, inactive, no accounts", .facts = FACTS (4, FALSE, FALSE, 0),
    .actions = BASE | ENA | DEL | MKD, .verdict = PB_DELETE_ALLOWED, .can_unset = TRUE },
  { CASE_FACTS, "several, not default, inactive, 3 accounts", .facts = FACTS (2, FALSE, FALSE, 3),
    .actions = BASE | ENA | MKD, .verdict = PB_DELETE_HAS_LINKED_ACCOUNTS,
    .code = "has_linked_accounts", .message = MSG_ACCOUNTS_3, .can_unset = TRUE },

  /* Default on create (api.md): first of its connector → default whatever was asked. */
  { CASE_DEFAULT_ON_CREATE, "first, not requested", .n_existing = 0, .requested = FALSE,
    .expect_true = TRUE },
  { CASE_DEFAULT_ON_CREATE, "first, requested", .n_existing = 0, .requested = TRUE,
    .expect_true = TRUE },
  { CASE_DEFAULT_ON_CREATE, "second, not requested", .n_existing = 1, .requested = FALSE,
    .expect_true = FALSE },
  { CASE_DEFAULT_ON_CREATE, "second, requested", .n_existing = 1, .requested = TRUE,
    .expect_true = TRUE },
  { CASE_DEFAULT_ON_CREATE, "sixth, not requested", .n_existing = 5, .requested = FALSE,
    .expect_true = FALSE },
  { CASE_DEFAULT_ON_CREATE, "sixth, requested", .n_existing = 5, .requested = TRUE,
    .expect_true = TRUE },

  /* Accounts after disabling (→ inactive) and enabling (→ active), from every status. */
  { CASE_TOGGLE, "disable active", .turn_on = FALSE,
    .before = PB_ACCOUNT_STATUS_ACTIVE, .after = PB_ACCOUNT_STATUS_INACTIVE },
  { CASE_TOGGLE, "disable inactive", .turn_on = FALSE,
    .before = PB_ACCOUNT_STATUS_INACTIVE, .after = PB_ACCOUNT_STATUS_INACTIVE },
  { CASE_TOGGLE, "disable error", .turn_on = FALSE,
    .before = PB_ACCOUNT_STATUS_ERROR, .after = PB_ACCOUNT_STATUS_INACTIVE },
  { CASE_TOGGLE, "enable active", .turn_on = TRUE,
    .before = PB_ACCOUNT_STATUS_ACTIVE, .after = PB_ACCOUNT_STATUS_ACTIVE },
  { CASE_TOGGLE, "enable inactive", .turn_on = TRUE,
    .before = PB_ACCOUNT_STATUS_INACTIVE, .after = PB_ACCOUNT_STATUS_ACTIVE },
  { CASE_TOGGLE, "enable error", .turn_on = TRUE,
    .before = PB_ACCOUNT_STATUS_ERROR, .after = PB_ACCOUNT_STATUS_ACTIVE },

  /* The question before disabling. */
  { CASE_DISABLE_WARNING, "no accounts", .n_accounts = 0, .message = NULL },
  { CASE_DISABLE_WARNING, "one account", .n_accounts = 1,
    .message = "1 linked account will become inactive, and API requests to it will be refused." },
  { CASE_DISABLE_WARNING, "three accounts", .n_accounts = 3,
    .message = "3 linked accounts will become inactive, and API requests to them will be refused." },
  { CASE_DISABLE_WARNING, "1000 accounts", .n_accounts = 1000,
    .message = "1000 linked accounts will become inactive, "
               "and API requests to them will be refused." },

  /* Required. */
  { CASE_FIELD, "required secret, filled", .field_json = F_API_KEY, .value = "sk_live_1234",
    .expect_true = TRUE },
  { CASE_FIELD, "required secret, empty", .field_json = F_API_KEY, .value = "",
    .expect_true = FALSE, .message = "API key is required." },
  { CASE_FIELD, "required secret, NULL", .field_json = F_API_KEY, .value = NULL,
    .expect_true = FALSE, .message = "API key is required." },
  { CASE_FIELD, "required secret, blanks", .field_json = F_API_KEY, .value = " \t ",
    .expect_true = FALSE, .message = "API key is required." },
  { CASE_FIELD, "optional text, empty", .field_json = F_NOTE, .value = "",
    .expect_true = TRUE },
  { CASE_FIELD, "optional text, NULL", .field_json = F_NOTE, .value = NULL,
    .expect_true = TRUE },
  { CASE_FIELD, "optional url, empty", .field_json = F_HOST_OPT, .value = "",
    .expect_true = TRUE },
  /* URL. */
  { CASE_FIELD, "url https", .field_json = F_HOST, .value = "https://acme.bamboohr.com",
    .expect_true = TRUE },
  { CASE_FIELD, "url http with port and path", .field_json = F_HOST,
    .value = "http://127.0.0.1:8080/api/v1", .expect_true = TRUE },
  { CASE_FIELD, "url no scheme", .field_json = F_HOST, .value = "acme.bamboohr.com",
    .expect_true = FALSE, .message = URL_MSG },
  { CASE_FIELD, "url ftp", .field_json = F_HOST, .value = "ftp://files.example.com",
    .expect_true = FALSE, .message = URL_MSG },
  { CASE_FIELD, "url no host", .field_json = F_HOST, .value = "https://",
    .expect_true = FALSE, .message = URL_MSG },
  { CASE_FIELD, "url with a space", .field_json = F_HOST, .value = "https://acme .example.com",
    .expect_true = FALSE, .message = URL_MSG },
  { CASE_FIELD, "optional url, wrong", .field_json = F_HOST_OPT, .value = "javascript:alert(1)",
    .expect_true = FALSE, .message = URL_MSG },
  /* E-mail. */
  { CASE_FIELD, "email ok", .field_json = F_EMAIL, .value = "it-admin+hr@acme.example.com",
    .expect_true = TRUE },
  { CASE_FIELD, "email no at", .field_json = F_EMAIL, .value = "admin.acme.com",
    .expect_true = FALSE, .message = EMAIL_MSG },
  { CASE_FIELD, "email no tld", .field_json = F_EMAIL, .value = "admin@acme",
    .expect_true = FALSE, .message = EMAIL_MSG },
  { CASE_FIELD, "email no local part", .field_json = F_EMAIL, .value = "@acme.com",
    .expect_true = FALSE, .message = EMAIL_MSG },
  { CASE_FIELD, "email two ats", .field_json = F_EMAIL, .value = "a@b@acme.com",
    .expect_true = FALSE, .message = EMAIL_MSG },
  { CASE_FIELD, "email space", .field_json = F_EMAIL, .value = "ad min@acme.com",
    .expect_true = FALSE, .message = EMAIL_MSG },
  { CASE_FIELD, "email empty label", .field_json = F_EMAIL, .value = "admin@acme..com",
    .expect_true = FALSE, .message = EMAIL_MSG },
  /* Select. */
  { CASE_FIELD, "select option", .field_json = F_REGION, .value = "us", .expect_true = TRUE },
  { CASE_FIELD, "select other", .field_json = F_REGION, .value = "asia",
    .expect_true = FALSE, .message = "Region must be one of: eu, us." },
  { CASE_FIELD, "select case differs", .field_json = F_REGION, .value = "EU",
    .expect_true = FALSE, .message = "Region must be one of: eu, us." },
  { CASE_FIELD, "select empty", .field_json = F_REGION, .value = "",
    .expect_true = FALSE, .message = "Region is required." },
  /* Length limits: credential values 8 KiB (api.md). */
  { CASE_FIELD, "secret of 8192 bytes", .field_json = F_API_KEY, .fill = "k",
    .fill_count = 8192, .expect_true = TRUE },
  { CASE_FIELD, "secret of 8193 bytes", .field_json = F_API_KEY, .fill = "k",
    .fill_count = 8193, .expect_true = FALSE,
    .message = "API key is too long (at most 8192 bytes)." },
  { CASE_FIELD, "text of 8193 bytes", .field_json = F_NOTE, .fill = "n",
    .fill_count = 8193, .expect_true = FALSE,
    .message = "Note is too long (at most 8192 bytes)." },
  { CASE_FIELD, "not UTF-8", .field_json = F_NOTE, .value = "caf\xe9",
    .expect_true = FALSE, .message = "Note contains characters that are not text." },

  /* Names: not blank, at most 200 characters (not bytes). */
  { CASE_NAME, "name ok", .value = "Public + Partner API key", .expect_true = TRUE },
  { CASE_NAME, "name NULL", .value = NULL, .expect_true = FALSE,
    .message = "The name cannot be empty." },
  { CASE_NAME, "name empty", .value = "", .expect_true = FALSE,
    .message = "The name cannot be empty." },
  { CASE_NAME, "name blanks", .value = "   ", .expect_true = FALSE,
    .message = "The name cannot be empty." },
  { CASE_NAME, "name 200 chars", .fill = "a", .fill_count = 200, .expect_true = TRUE },
  { CASE_NAME, "name 200 two-byte chars", .fill = "\xc3\xa9", .fill_count = 200,
    .expect_true = TRUE },
  { CASE_NAME, "name 201 chars", .fill = "a", .fill_count = 201, .expect_true = FALSE,
    .message = "The name is too long (at most 200 characters)." },
  { CASE_NAME, "name not UTF-8", .value = "caf\xe9", .expect_true = FALSE,
    .message = "The name contains characters that are not text." },

  /* Required fields of an auth type, in the catalog's order. */
  { CASE_REQUIRED_FIELDS, "mixed",
    .auth_type_json = "{\"key\":\"api_key\",\"label\":\"API Key\",\"type\":\"api_key\",\"fields\":["
                      F_NOTE "," F_API_KEY "," F_HOST_OPT "," F_REGION "]}",
    .required_keys = "api_key,region" },
  { CASE_REQUIRED_FIELDS, "none",
    .auth_type_json = "{\"key\":\"oauth2\",\"label\":\"OAuth 2.0\",\"type\":\"oauth2\","
                      "\"fields\":[" F_NOTE "]}",
    .required_keys = "" },
  { CASE_REQUIRED_FIELDS, "own OAuth app", .auth_type_json = T_OAUTH,
    .oauth_app = PB_OAUTH_APP_OWN, .required_keys = "client_id,client_secret,region" },
  { CASE_REQUIRED_FIELDS, "platform's OAuth app", .auth_type_json = T_OAUTH,
    .oauth_app = PB_OAUTH_APP_PLATFORM, .required_keys = "region" },
  { CASE_REQUIRED_FIELDS, "neither account fields nor generated ones",
    .auth_type_json = T_PARTNER, .required_keys = "region" },

  /* A whole set of values, as a create or an update after merging sends them (api.md). */
  { CASE_VALUES, "create, complete", .auth_type_json = T_VALUES,
    .config = "subdomain=acme;region=eu", .secrets = "api_key=sk_1", .errors = NULL },
  { CASE_VALUES, "create, optional url given", .auth_type_json = T_VALUES,
    .config = "subdomain=acme;host=https://acme.example.com", .secrets = "api_key=sk_1",
    .errors = NULL },
  { CASE_VALUES, "create, nothing", .auth_type_json = T_VALUES,
    .config = NULL, .secrets = NULL,
    .errors = "api_key=API key is required.;subdomain=Subdomain is required." },
  { CASE_VALUES, "create, empty and bad values", .auth_type_json = T_VALUES,
    .config = "subdomain=;host=acme.example.com;region=asia", .secrets = "api_key=",
    .errors = "api_key=API key is required.;host=" URL_MSG ";region=Region must be one of: eu, us.;"
              "subdomain=Subdomain is required." },
  { CASE_VALUES, "secret sent as config", .auth_type_json = T_VALUES,
    .config = "subdomain=acme;api_key=sk_1", .secrets = NULL,
    .errors = "api_key=API key is secret and must be sent as a secret." },
  { CASE_VALUES, "plain field sent as secret", .auth_type_json = T_VALUES,
    .config = NULL, .secrets = "api_key=sk_1;subdomain=acme",
    .errors = "subdomain=Subdomain is not secret and must be sent as configuration." },
  { CASE_VALUES, "unknown field", .auth_type_json = T_VALUES,
    .config = "subdomain=acme;tenant=x", .secrets = "api_key=sk_1;token=y",
    .errors = "tenant=“tenant” is not a field of API Key.;token=“token” is not a field of API Key." },
  { CASE_VALUES, "update, secret already set", .auth_type_json = T_VALUES,
    .config = "subdomain=acme", .secrets = NULL, .already_set = "api_key", .errors = NULL },
  { CASE_VALUES, "update, clearing a required secret that is set", .auth_type_json = T_VALUES,
    .config = "subdomain=acme", .secrets = "api_key=(null)", .already_set = "api_key",
    .errors = "api_key=API key is required." },
  { CASE_VALUES, "update, removing an optional value", .auth_type_json = T_VALUES,
    .config = "subdomain=acme;host=(null)", .secrets = NULL, .already_set = "api_key",
    .errors = NULL },
  { CASE_VALUES, "update, removing a required value", .auth_type_json = T_VALUES,
    .config = "subdomain=(null)", .secrets = NULL, .already_set = "api_key",
    .errors = "subdomain=Subdomain is required." },

  /* Who enters what: account fields, generated values, the OAuth app's credentials. */
  { CASE_VALUES, "an account field sent with the integration", .auth_type_json = T_PARTNER,
    .config = "region=eu", .secrets = "api_key=sk_1",
    .errors = "api_key=API key is entered by each of your users when they link their account; "
              "the integration does not hold it." },
  { CASE_VALUES, "a generated value sent", .auth_type_json = T_PARTNER,
    .config = "region=eu", .secrets = "token=abc",
    .errors = "token=Trigger token is created by the platform and cannot be set." },
  { CASE_VALUES, "own OAuth app without its credentials", .auth_type_json = T_OAUTH,
    .oauth_app = PB_OAUTH_APP_OWN, .config = "region=eu",
    .errors = "client_id=Client ID is required.;client_secret=Client secret is required." },
  { CASE_VALUES, "the platform's OAuth app, no credentials", .auth_type_json = T_OAUTH,
    .oauth_app = PB_OAUTH_APP_PLATFORM, .config = "region=eu", .errors = NULL },
  { CASE_VALUES, "the platform's OAuth app with credentials", .auth_type_json = T_OAUTH,
    .oauth_app = PB_OAUTH_APP_PLATFORM, .config = "region=eu;client_id=abc",
    .secrets = "client_secret=sk_1",
    .errors = "client_id=Client ID is not used with the platform's OAuth app.;"
              "client_secret=Client secret is not used with the platform's OAuth app." },

  /* Counting a connector's integrations, and the facts of one of them. */
  { CASE_COUNT, "two of hibob", .connector_key = "hibob", .count = 2,
    .integrations = "hibob:1:1:12,bamboohr:1:0:0,hibob:0:0:3,workday:1:1:0" },
  { CASE_COUNT, "one of bamboohr", .connector_key = "bamboohr", .count = 1,
    .integrations = "hibob:1:1:12,bamboohr:1:0:0,hibob:0:0:3,workday:1:1:0" },
  { CASE_COUNT, "none of lever", .connector_key = "lever", .count = 0,
    .integrations = "hibob:1:1:12,bamboohr:1:0:0" },
  { CASE_COUNT, "empty project", .connector_key = "hibob", .count = 0, .integrations = "" },
};

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = pb_json_object_from_string (text, -1, &error);

  g_assert_no_error (error);
  return object;
}

static char *
case_value (const RuleCase *c)
{
  GString *s;

  if (c->fill == NULL)
    return g_strdup (c->value);

  s = g_string_new (NULL);
  for (guint i = 0; i < c->fill_count; i++)
    g_string_append (s, c->fill);
  return g_string_free (s, FALSE);
}

static void
check_facts (const RuleCase *c)
{
  g_autofree char *message = NULL;
  g_autofree char *unset_message = NULL;
  PbDeleteVerdict verdict;

  g_assert_cmphex (pb_rules_row_actions (&c->facts), ==, c->actions);

  verdict = pb_rules_delete_verdict (&c->facts);
  g_assert_cmpint (verdict, ==, c->verdict);
  g_assert_cmpstr (pb_rules_delete_verdict_code (verdict), ==, c->code);
  message = pb_rules_delete_verdict_message (verdict, &c->facts);
  g_assert_cmpstr (message, ==, c->message);

  /* Delete is in the menu exactly when the verdict allows it. */
  g_assert_cmpint (!!(c->actions & PB_ROW_ACTION_DELETE), ==, c->verdict == PB_DELETE_ALLOWED);

  g_assert_cmpint (pb_rules_can_unset_default (&c->facts, &unset_message), ==, c->can_unset);
  g_assert_cmpstr (unset_message, ==, c->message2);
  /* The message is optional. */
  g_assert_cmpint (pb_rules_can_unset_default (&c->facts, NULL), ==, c->can_unset);
}

static void
check_field (const RuleCase *c)
{
  g_autoptr(JsonObject) object = parse_object (c->field_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbAuthField) field = pb_auth_field_new_from_json (object, &error);
  g_autofree char *value = case_value (c);
  g_autofree char *message = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (pb_rules_validate_field (field, value, &message), ==, c->expect_true);
  g_assert_cmpstr (message, ==, c->message);
  g_assert_cmpint (pb_rules_validate_field (field, value, NULL), ==, c->expect_true);
}

static void
check_name (const RuleCase *c)
{
  g_autofree char *value = case_value (c);
  g_autofree char *message = NULL;

  g_assert_cmpint (pb_rules_validate_name (value, &message), ==, c->expect_true);
  g_assert_cmpstr (message, ==, c->message);
  g_assert_cmpint (pb_rules_validate_name (value, NULL), ==, c->expect_true);
}

static void
check_required_fields (const RuleCase *c)
{
  g_autoptr(JsonObject) object = parse_object (c->auth_type_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbAuthType) type = pb_auth_type_new_from_json (object, &error);
  g_autoptr(GPtrArray) required = NULL;
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autofree char *joined = NULL;

  g_assert_no_error (error);
  required = pb_rules_required_fields (type, c->oauth_app);
  for (guint i = 0; i < required->len; i++)
    {
      PbAuthField *field = g_ptr_array_index (required, i);

      g_assert_true (PB_IS_AUTH_FIELD (field));
      g_assert_true (pb_auth_field_get_required (field));
      g_strv_builder_add (keys, pb_auth_field_get_key (field));
    }
  strv = g_strv_builder_end (keys);
  joined = g_strjoinv (",", strv);
  g_assert_cmpstr (joined, ==, c->required_keys);
}

static GHashTable *
parse_values (const char *spec)
{
  GHashTable *table;
  g_auto(GStrv) entries = NULL;

  if (spec == NULL)
    return NULL;

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  entries = g_strsplit (spec, ";", -1);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (entries[i], "=", 2);

      g_assert_cmpuint (g_strv_length (kv), ==, 2);
      g_hash_table_insert (table, g_strdup (kv[0]),
                           g_strcmp0 (kv[1], "(null)") == 0 ? NULL : g_strdup (kv[1]));
    }
  return table;
}

static void
check_values (const RuleCase *c)
{
  g_autoptr(JsonObject) object = parse_object (c->auth_type_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbAuthType) type = pb_auth_type_new_from_json (object, &error);
  g_autoptr(GHashTable) config = parse_values (c->config);
  g_autoptr(GHashTable) secrets = parse_values (c->secrets);
  g_auto(GStrv) already_set = c->already_set != NULL ? g_strsplit (c->already_set, ",", -1) : NULL;
  g_autoptr(GHashTable) errors = NULL;
  gboolean valid;

  g_assert_no_error (error);
  valid = pb_rules_validate_values (type, c->oauth_app, config, secrets,
                                    (const char * const *) already_set, &errors);
  g_assert_cmpint (valid, ==, c->errors == NULL);
  g_assert_cmpint (pb_rules_validate_values (type, c->oauth_app, config, secrets,
                                             (const char * const *) already_set, NULL),
                   ==, valid);

  if (valid)
    {
      g_assert_null (errors);
    }
  else
    {
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (errors), (GCompareFunc) g_strcmp0);
      g_autoptr(GString) joined = g_string_new (NULL);

      for (GList *l = keys; l != NULL; l = l->next)
        {
          if (joined->len > 0)
            g_string_append_c (joined, ';');
          g_string_append_printf (joined, "%s=%s", (char *) l->data,
                                  (char *) g_hash_table_lookup (errors, l->data));
        }
      g_assert_cmpstr (joined->str, ==, c->errors);

      /* Secret values never appear in a message. */
      g_assert_null (strstr (joined->str, "sk_1"));
    }
}

static void
check_count (const RuleCase *c)
{
  g_autoptr(GListStore) store = g_list_store_new (PB_TYPE_INTEGRATION);
  g_auto(GStrv) entries = g_strsplit (c->integrations, ",", -1);

  for (guint i = 0; entries[i] != NULL && *entries[i] != '\0'; i++)
    {
      g_auto(GStrv) parts = g_strsplit (entries[i], ":", -1);
      g_autofree char *json = NULL;
      g_autoptr(JsonObject) object = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PbIntegration) integration = NULL;
      PbIntegrationFacts facts = { 0 };

      g_assert_cmpuint (g_strv_length (parts), ==, 4);
      json = g_strdup_printf ("{\"id\":\"i%u\",\"name\":\"n\",\"connector_key\":\"%s\","
                              "\"authentication_config_key\":\"api_key\",\"default\":%s,"
                              "\"active\":%s,\"linked_accounts\":{\"total\":%s}}",
                              i, parts[0], *parts[1] == '1' ? "true" : "false",
                              *parts[2] == '1' ? "true" : "false", parts[3]);
      object = parse_object (json);
      integration = pb_integration_new_from_json (object, &error);
      g_assert_no_error (error);

      pb_rules_facts_from_integration (&facts, integration, 3);
      g_assert_cmpuint (facts.n_connector_integrations, ==, 3);
      g_assert_cmpint (facts.is_default, ==, *parts[1] == '1');
      g_assert_cmpint (facts.active, ==, *parts[2] == '1');
      g_assert_cmpuint (facts.n_linked_accounts, ==, g_ascii_strtoull (parts[3], NULL, 10));

      g_list_store_append (store, integration);
    }

  g_assert_cmpuint (pb_rules_count_connector_integrations (G_LIST_MODEL (store), c->connector_key),
                    ==, c->count);
}

/* Whose OAuth app an integration may use. */
static void
test_rules_oauth_app (void)
{
  static const struct
  {
    const char *type_json;
    PbOAuthApp  app;
    PbOAuthApp  default_app;
    const char *message;     /* NULL: accepted */
  } apps[] = {
    { T_OAUTH, PB_OAUTH_APP_OWN, PB_OAUTH_APP_OWN, NULL },
    { T_OAUTH, PB_OAUTH_APP_PLATFORM, PB_OAUTH_APP_OWN, NULL },
    { T_OAUTH, PB_OAUTH_APP_NONE, PB_OAUTH_APP_OWN,
      "Choose whose OAuth app to use: the platform's or your own." },
    { "{\"key\":\"oidc\",\"label\":\"OpenID Connect\",\"type\":\"oidc\","
      "\"platform_oauth_app\":false,\"fields\":[" F_CLIENT_ID "]}",
      PB_OAUTH_APP_PLATFORM, PB_OAUTH_APP_OWN,
      "The platform offers no OAuth app for OpenID Connect; use your own." },
    { T_PARTNER, PB_OAUTH_APP_NONE, PB_OAUTH_APP_NONE, NULL },
    { T_PARTNER, PB_OAUTH_APP_PLATFORM, PB_OAUTH_APP_NONE, "Partner does not use an OAuth app." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (apps); i++)
    {
      g_autoptr(JsonObject) object = parse_object (apps[i].type_json);
      g_autoptr(GError) error = NULL;
      g_autoptr(PbAuthType) type = pb_auth_type_new_from_json (object, &error);
      g_autofree char *message = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (pb_rules_default_oauth_app (type), ==, apps[i].default_app);
      g_assert_cmpint (pb_rules_validate_oauth_app (type, apps[i].app, &message), ==,
                       apps[i].message == NULL);
      g_assert_cmpstr (message, ==, apps[i].message);
    }
}

static void
test_rules_table (void)
{
  guint seen[CASE_COUNT + 1] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const RuleCase *c = &cases[i];
      g_autofree char *message = NULL;

      g_test_message ("case %u: %s", i, c->what);
      seen[c->kind]++;

      switch (c->kind)
        {
        case CASE_FACTS:
          check_facts (c);
          break;

        case CASE_DEFAULT_ON_CREATE:
          g_assert_cmpint (pb_rules_default_on_create (c->n_existing, c->requested), ==,
                           c->expect_true);
          break;

        case CASE_TOGGLE:
          g_assert_cmpint (pb_rules_account_status_after_toggle (c->turn_on, c->before), ==,
                           c->after);
          break;

        case CASE_DISABLE_WARNING:
          message = pb_rules_disable_warning (c->n_accounts);
          g_assert_cmpstr (message, ==, c->message);
          break;

        case CASE_FIELD:
          check_field (c);
          break;

        case CASE_NAME:
          check_name (c);
          break;

        case CASE_REQUIRED_FIELDS:
          check_required_fields (c);
          break;

        case CASE_VALUES:
          check_values (c);
          break;

        case CASE_COUNT:
          check_count (c);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* Every kind of rule is covered, the 12 menu combinations included. */
  g_assert_cmpuint (seen[CASE_FACTS], ==, 12);
  for (guint k = 0; k < G_N_ELEMENTS (seen); k++)
    g_assert_cmpuint (seen[k], >, 0);

  /* The API codes the server and the app share. */
  g_assert_cmpstr (PB_RULES_CODE_DEFAULT_REQUIRED, ==, "default_required");
  g_assert_cmpstr (PB_RULES_REASON_INTEGRATION_DISABLED, ==, "integration_disabled");
}

int
main (int   argc,
      char *argv[])
{
  /* The expected sentences are the untranslated ones. */
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rules/table", test_rules_table);
  g_test_add_func ("/rules/oauth-app", test_rules_oauth_app);

  return g_test_run ();
}
