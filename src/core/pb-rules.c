/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-rules"

#include "config.h"

#include "pb-rules.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/*
 * The seed's rules (shared/seed/integrations-page.txt, design/ux.md, design/api.md) as
 * pure functions: no globals, no I/O. The server enforces them and the app applies them
 * offline, so both must call these and nothing else.
 */

static gboolean
has_siblings (const PbIntegrationFacts *facts)
{
  return facts->n_connector_integrations > 1;
}

/**
 * pb_rules_row_actions:
 * @facts: what is known about the integration
 *
 * The items of an integration row's ellipsis menu:
 * - one integration for its connector: Edit, View logs, Copy integration ID,
 *   Copy connector ID, Disable/Enable, Delete;
 * - several, this one the default: the same without Delete;
 * - several, this one not the default: the same with Delete and Make default.
 * Delete is left out whenever it would be refused (linked accounts); callers show
 * pb_rules_delete_verdict_message() in its place.
 *
 * Returns: the actions to show
 */
PbRowActions
pb_rules_row_actions (const PbIntegrationFacts *facts)
{
  PbRowActions actions;

  g_return_val_if_fail (facts != NULL, 0);

  actions = PB_ROW_ACTION_EDIT |
            PB_ROW_ACTION_VIEW_LOGS |
            PB_ROW_ACTION_COPY_INTEGRATION_ID |
            PB_ROW_ACTION_COPY_CONNECTOR_ID;

  actions |= facts->active ? PB_ROW_ACTION_DISABLE : PB_ROW_ACTION_ENABLE;

  if (pb_rules_delete_verdict (facts) == PB_DELETE_ALLOWED)
    actions |= PB_ROW_ACTION_DELETE;

  if (has_siblings (facts) && !facts->is_default)
    actions |= PB_ROW_ACTION_MAKE_DEFAULT;

  return actions;
}

/**
 * pb_rules_facts_from_integration:
 * @facts: (out caller-allocates): the facts to fill
 * @integration: an integration
 * @n_connector_integrations: integrations of its connector in the project, it included
 *
 * Fills @facts from what the integration says about itself.
 */
void
pb_rules_facts_from_integration (PbIntegrationFacts *facts,
                                 PbIntegration      *integration,
                                 guint               n_connector_integrations)
{
  g_return_if_fail (facts != NULL);
  g_return_if_fail (PB_IS_INTEGRATION (integration));

  facts->n_connector_integrations = MAX (n_connector_integrations, 1);
  facts->is_default = pb_integration_get_is_default (integration);
  facts->active = pb_integration_get_active (integration);
  facts->n_linked_accounts = pb_integration_get_accounts_total (integration);
}

/**
 * pb_rules_count_connector_integrations:
 * @integrations: a #GListModel of #PbIntegration
 * @connector_key: a connector key
 *
 * Returns: how many of @integrations belong to the connector @connector_key
 */
guint
pb_rules_count_connector_integrations (GListModel *integrations,
                                       const char *connector_key)
{
  guint n;
  guint count = 0;

  g_return_val_if_fail (G_IS_LIST_MODEL (integrations), 0);
  g_return_val_if_fail (connector_key != NULL, 0);

  n = g_list_model_get_n_items (integrations);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (integrations, i);

      if (PB_IS_INTEGRATION (item) &&
          g_strcmp0 (pb_integration_get_connector_key (PB_INTEGRATION (item)), connector_key) == 0)
        count++;
    }

  return count;
}

/**
 * pb_rules_delete_verdict:
 * @facts: what is known about the integration
 *
 * An integration may be deleted when it has no linked accounts and it is either the
 * only one of its connector or not the default. Linked accounts are reported first,
 * since they must go whatever else is true.
 *
 * Returns: the verdict
 */
PbDeleteVerdict
pb_rules_delete_verdict (const PbIntegrationFacts *facts)
{
  g_return_val_if_fail (facts != NULL, PB_DELETE_ALLOWED);

  if (facts->n_linked_accounts > 0)
    return PB_DELETE_HAS_LINKED_ACCOUNTS;
  if (facts->is_default && has_siblings (facts))
    return PB_DELETE_DEFAULT_WITH_SIBLINGS;
  return PB_DELETE_ALLOWED;
}

/**
 * pb_rules_delete_verdict_code:
 * @verdict: a verdict
 *
 * Returns: (nullable): the API error code for @verdict, %NULL when allowed
 */
const char *
pb_rules_delete_verdict_code (PbDeleteVerdict verdict)
{
  switch (verdict)
    {
    case PB_DELETE_ALLOWED:
      return NULL;
    case PB_DELETE_HAS_LINKED_ACCOUNTS:
      return PB_RULES_CODE_HAS_LINKED_ACCOUNTS;
    case PB_DELETE_DEFAULT_WITH_SIBLINGS:
      return PB_RULES_CODE_DEFAULT_WITH_SIBLINGS;
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pb_rules_delete_verdict_message:
 * @verdict: a verdict
 * @facts: what is known about the integration (for the number of accounts)
 *
 * Returns: (transfer full) (nullable): why the integration cannot be deleted, as a
 *   translated sentence, or %NULL when it can
 */
char *
pb_rules_delete_verdict_message (PbDeleteVerdict           verdict,
                                 const PbIntegrationFacts *facts)
{
  guint n;

  switch (verdict)
    {
    case PB_DELETE_ALLOWED:
      return NULL;

    case PB_DELETE_HAS_LINKED_ACCOUNTS:
      n = facts != NULL ? facts->n_linked_accounts : 0;
      if (n == 0)
        return g_strdup (_("It has linked accounts. Disconnect them first."));
      return g_strdup_printf (ngettext ("It has %u linked account. Disconnect it first.",
                                        "It has %u linked accounts. Disconnect them first.",
                                        n),
                              n);

    case PB_DELETE_DEFAULT_WITH_SIBLINGS:
      return g_strdup (_("It is the default for its connector. "
                         "Make another integration the default first."));

    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pb_rules_default_on_create:
 * @n_existing_connector_integrations: integrations of the connector before this one
 * @requested: whether the admin asked for this one to be the default
 *
 * The first integration of a connector is its default whatever was asked; a later one
 * is the default only when asked (and then the previous default stops being it).
 *
 * Returns: whether the new integration is the default
 */
gboolean
pb_rules_default_on_create (guint    n_existing_connector_integrations,
                            gboolean requested)
{
  if (n_existing_connector_integrations == 0)
    return TRUE;
  return requested ? TRUE : FALSE;
}

/**
 * pb_rules_can_unset_default:
 * @facts: what is known about the integration
 * @message: (out) (optional) (transfer full): why not, as a translated sentence
 *
 * A connector always keeps one default: the default stops being it only when another
 * one is made the default. Unsetting on a non-default is harmless.
 *
 * Returns: %FALSE for the default (API code %PB_RULES_CODE_DEFAULT_REQUIRED)
 */
gboolean
pb_rules_can_unset_default (const PbIntegrationFacts  *facts,
                            char                     **message)
{
  g_return_val_if_fail (facts != NULL, FALSE);

  if (message != NULL)
    *message = NULL;

  if (!facts->is_default)
    return TRUE;

  if (message != NULL)
    {
      if (has_siblings (facts))
        *message = g_strdup (_("A connector always has a default integration. "
                               "Make another integration the default instead."));
      else
        *message = g_strdup (_("A connector always has a default integration, "
                               "and this is its only one."));
    }
  return FALSE;
}

/**
 * pb_rules_account_status_after_toggle:
 * @integration_active: the integration's new state
 * @current: the account's status before
 *
 * Disabling makes every linked account inactive; enabling makes every one active again
 * (api.md), whatever it was before.
 *
 * Returns: the account's new status
 */
PbAccountStatus
pb_rules_account_status_after_toggle (gboolean        integration_active,
                                      PbAccountStatus current)
{
  (void) current;
  return integration_active ? PB_ACCOUNT_STATUS_ACTIVE : PB_ACCOUNT_STATUS_INACTIVE;
}

/**
 * pb_rules_disable_warning:
 * @n_linked_accounts: linked accounts of the integration
 *
 * Returns: (transfer full) (nullable): the question to ask before disabling, or %NULL
 *   when there is nothing to warn about
 */
char *
pb_rules_disable_warning (guint n_linked_accounts)
{
  if (n_linked_accounts == 0)
    return NULL;

  return g_strdup_printf (ngettext ("%u linked account will become inactive, "
                                    "and API requests to it will be refused.",
                                    "%u linked accounts will become inactive, "
                                    "and API requests to them will be refused.",
                                    n_linked_accounts),
                          n_linked_accounts);
}

static gboolean
fail (char       **message,
      char        *text)
{
  if (message != NULL)
    *message = text;
  else
    g_free (text);
  return FALSE;
}

/**
 * pb_rules_default_oauth_app:
 * @type: an auth type
 *
 * Returns: %PB_OAUTH_APP_OWN for oauth2 and oidc types, else %PB_OAUTH_APP_NONE
 */
PbOAuthApp
pb_rules_default_oauth_app (PbAuthType *type)
{
  PbAuthKind kind;

  g_return_val_if_fail (PB_IS_AUTH_TYPE (type), PB_OAUTH_APP_NONE);

  kind = pb_auth_type_get_kind (type);
  return kind == PB_AUTH_KIND_OAUTH2 || kind == PB_AUTH_KIND_OIDC ? PB_OAUTH_APP_OWN
                                                                  : PB_OAUTH_APP_NONE;
}

/**
 * pb_rules_validate_oauth_app:
 * @type: an auth type
 * @app: the OAuth app an integration of it would use
 * @message: (out) (optional) (transfer full): why not, as a translated sentence
 *
 * OAuth types take their own app or, where the catalog says the platform offers one, the
 * platform's; other types take none.
 *
 * Returns: whether @app is acceptable for @type
 */
gboolean
pb_rules_validate_oauth_app (PbAuthType  *type,
                             PbOAuthApp   app,
                             char       **message)
{
  g_return_val_if_fail (PB_IS_AUTH_TYPE (type), FALSE);

  if (message != NULL)
    *message = NULL;

  if (pb_rules_default_oauth_app (type) == PB_OAUTH_APP_NONE)
    {
      if (app == PB_OAUTH_APP_NONE)
        return TRUE;
      /* Translators: %s is an auth type, e.g. "API Key" */
      return fail (message, g_strdup_printf (_("%s does not use an OAuth app."),
                                             pb_auth_type_get_label (type)));
    }
  if (app == PB_OAUTH_APP_PLATFORM && !pb_auth_type_get_platform_oauth_app (type))
    /* Translators: %s is an auth type, e.g. "OAuth 2.0" */
    return fail (message, g_strdup_printf (_("The platform offers no OAuth app for %s; use "
                                             "your own."), pb_auth_type_get_label (type)));
  return app != PB_OAUTH_APP_NONE
         || fail (message, g_strdup (_("Choose whose OAuth app to use: the platform's or "
                                       "your own.")));
}

gboolean
pb_rules_is_oauth_app_credential (const char *key)
{
  return g_strcmp0 (key, "client_id") == 0 || g_strcmp0 (key, "client_secret") == 0;
}

gboolean
pb_rules_field_is_entered (PbAuthField *field,
                           PbOAuthApp   app)
{
  g_return_val_if_fail (PB_IS_AUTH_FIELD (field), FALSE);

  if (pb_auth_field_get_generated (field))
    return FALSE;
  return app != PB_OAUTH_APP_PLATFORM
         || !pb_rules_is_oauth_app_credential (pb_auth_field_get_key (field));
}

/**
 * pb_rules_required_fields:
 * @type: an auth type
 * @app: the OAuth app the integration uses
 *
 * Returns: (transfer container) (element-type PbAuthField): the required fields the admin
 *   enters, in order
 */
GPtrArray *
pb_rules_required_fields (PbAuthType *type,
                          PbOAuthApp  app)
{
  GPtrArray *result;
  GListModel *fields;
  guint n;

  g_return_val_if_fail (PB_IS_AUTH_TYPE (type), NULL);

  result = g_ptr_array_new_with_free_func (g_object_unref);
  fields = pb_auth_type_get_fields (type);
  n = g_list_model_get_n_items (fields);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);

      if (pb_auth_field_get_required (field) && pb_rules_field_is_entered (field, app))
        g_ptr_array_add (result, g_steal_pointer (&field));
    }

  return result;
}

static gboolean
is_blank (const char *value)
{
  if (value == NULL)
    return TRUE;
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_valid_web_address (const char *value)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (strpbrk (value, " \t\r\n") != NULL)
    return FALSE;

  uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return FALSE;
  if (host == NULL || *host == '\0')
    return FALSE;

  return TRUE;
}

/* local@domain.tld: one "@", a local part without spaces, a domain of at least two
 * non-empty dot-separated labels made of letters, digits and hyphens. Deliberately
 * simple: the point is to catch typos, not to implement RFC 5322. */
static gboolean
is_valid_email (const char *value)
{
  const char *at = strchr (value, '@');
  g_auto(GStrv) labels = NULL;
  guint n_labels;

  if (at == NULL || at == value || strchr (at + 1, '@') != NULL)
    return FALSE;

  for (const char *p = value; p < at; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;

  labels = g_strsplit (at + 1, ".", -1);
  n_labels = g_strv_length (labels);
  if (n_labels < 2)
    return FALSE;

  for (guint i = 0; i < n_labels; i++)
    {
      const char *label = labels[i];

      if (*label == '\0' || label[0] == '-' || label[strlen (label) - 1] == '-')
        return FALSE;
      for (const char *p = label; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '-' && !((guchar) *p & 0x80))
          return FALSE;
    }

  return TRUE;
}

/**
 * pb_rules_validate_field:
 * @field: the field
 * @value: (nullable): what the admin typed
 * @message: (out) (optional) (transfer full): why not, as a translated sentence naming
 *   the field's label
 *
 * Checks one value against its field: required and blank; longer than
 * %PB_RULES_VALUE_MAX_BYTES; not UTF-8; a web address that is not http(s) with a host;
 * an e-mail address that is not local@domain.tld; a choice not among the options.
 * An optional field left blank is accepted.
 *
 * Returns: whether @value is acceptable
 */
gboolean
pb_rules_validate_field (PbAuthField  *field,
                         const char   *value,
                         char        **message)
{
  const char *label;

  g_return_val_if_fail (PB_IS_AUTH_FIELD (field), FALSE);

  if (message != NULL)
    *message = NULL;

  label = pb_auth_field_get_label (field);

  if (is_blank (value))
    {
      if (pb_auth_field_get_required (field))
        /* Translators: %s is a field's label, e.g. "API key" */
        return fail (message, g_strdup_printf (_("%s is required."), label));
      return TRUE;
    }

  if (strlen (value) > PB_RULES_VALUE_MAX_BYTES)
    /* Translators: %s is a field's label, %d a number of bytes */
    return fail (message, g_strdup_printf (_("%s is too long (at most %d bytes)."),
                                           label, PB_RULES_VALUE_MAX_BYTES));

  if (!g_utf8_validate (value, -1, NULL))
    return fail (message, g_strdup_printf (_("%s contains characters that are not text."),
                                           label));

  switch (pb_auth_field_get_kind (field))
    {
    case PB_FIELD_KIND_URL:
      if (!is_valid_web_address (value))
        return fail (message,
                     g_strdup_printf (_("%s must be a web address starting with "
                                        "http:// or https://, such as https://example.com."),
                                      label));
      break;

    case PB_FIELD_KIND_EMAIL:
      if (!is_valid_email (value))
        return fail (message,
                     g_strdup_printf (_("%s must be an e-mail address, such as "
                                        "name@example.com."),
                                      label));
      break;

    case PB_FIELD_KIND_SELECT:
      {
        const char * const *options = pb_auth_field_get_options (field);

        if (options == NULL || !g_strv_contains (options, value))
          {
            g_autofree char *list = options != NULL ? g_strjoinv (", ", (char **) options)
                                                    : g_strdup ("");
            /* Translators: %s is a field's label, then a comma-separated list of choices */
            return fail (message, g_strdup_printf (_("%s must be one of: %s."), label, list));
          }
      }
      break;

    case PB_FIELD_KIND_TEXT:
    case PB_FIELD_KIND_SECRET:
    default:
      break;
    }

  return TRUE;
}

static void
add_field_error (GHashTable **errors,
                 const char  *key,
                 char        *message)
{
  if (*errors == NULL)
    *errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* The first problem found for a field is the one to show. */
  if (g_hash_table_contains (*errors, key))
    g_free (message);
  else
    g_hash_table_insert (*errors, g_strdup (key), message);
}

/**
 * pb_rules_field_placement_problem:
 * @type: an auth type
 * @app: the OAuth app the integration uses
 * @key: the key of a value sent for the integration
 *
 * Returns: (transfer full) (nullable): why the integration cannot hold a value for @key, as a
 *   translated sentence: it is an account field, a generated value, or the OAuth app's client
 *   id or secret on the platform's app; %NULL otherwise (also for a key that is no field)
 */
char *
pb_rules_field_placement_problem (PbAuthType *type,
                                  PbOAuthApp  app,
                                  const char *key)
{
  PbAuthField *field;

  g_return_val_if_fail (PB_IS_AUTH_TYPE (type), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  field = pb_auth_type_find_account_field (type, key);
  if (field != NULL)
    /* Translators: %s is a field's label, e.g. "API key" */
    return g_strdup_printf (_("%s is entered by each of your users when they link their "
                              "account; the integration does not hold it."),
                            pb_auth_field_get_label (field));
  field = pb_auth_type_find_field (type, key);
  if (field != NULL && pb_auth_field_get_generated (field))
    /* Translators: %s is a field's label, e.g. "External trigger token" */
    return g_strdup_printf (_("%s is created by the platform and cannot be set."),
                            pb_auth_field_get_label (field));
  if (field != NULL && !pb_rules_field_is_entered (field, app))
    /* Translators: %s is a field's label, e.g. "Client ID" */
    return g_strdup_printf (_("%s is not used with the platform's OAuth app."),
                            pb_auth_field_get_label (field));
  return NULL;
}

static void
check_placement (PbAuthType   *type,
                 PbOAuthApp    app,
                 GHashTable   *values,
                 gboolean      as_secrets,
                 GHashTable  **errors)
{
  GHashTableIter iter;
  gpointer key;

  if (values == NULL)
    return;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      PbAuthField *field = pb_auth_type_find_field (type, key);
      char *problem = pb_rules_field_placement_problem (type, app, key);

      if (problem != NULL)
        add_field_error (errors, key, problem);
      else if (field == NULL)
        /* Translators: the first %s is a field key, the second an auth type, e.g. "API Key" */
        add_field_error (errors, key,
                         g_strdup_printf (_("“%s” is not a field of %s."),
                                          (const char *) key, pb_auth_type_get_label (type)));
      else if (pb_auth_field_get_secret (field) && !as_secrets)
        add_field_error (errors, key,
                         g_strdup_printf (_("%s is secret and must be sent as a secret."),
                                          pb_auth_field_get_label (field)));
      else if (!pb_auth_field_get_secret (field) && as_secrets)
        add_field_error (errors, key,
                         g_strdup_printf (_("%s is not secret and must be sent as configuration."),
                                          pb_auth_field_get_label (field)));
    }
}

/**
 * pb_rules_validate_values:
 * @type: the auth type the values are for
 * @app: the OAuth app the integration uses
 * @config: (nullable) (element-type utf8 utf8): non-secret values (a %NULL value removes)
 * @secrets: (nullable) (element-type utf8 utf8): secret values (a %NULL value clears)
 * @secrets_already_set: (nullable) (array zero-terminated=1): keys of secret fields that
 *   have a value on the backend already
 * @field_errors: (out) (optional) (transfer full) (element-type utf8 utf8): on failure,
 *   field key → a translated sentence
 *
 * Checks a set of credentials as api.md has the server check them, so that the app can
 * refuse offline what the server would refuse online. Secret values are never part of a
 * message.
 *
 * Returns: whether the values are acceptable
 */
gboolean
pb_rules_validate_values (PbAuthType          *type,
                          PbOAuthApp           app,
                          GHashTable          *config,
                          GHashTable          *secrets,
                          const char * const  *secrets_already_set,
                          GHashTable         **field_errors)
{
  g_autoptr(GHashTable) errors = NULL;
  GListModel *fields;
  guint n;

  g_return_val_if_fail (PB_IS_AUTH_TYPE (type), FALSE);

  if (field_errors != NULL)
    *field_errors = NULL;

  check_placement (type, app, config, FALSE, &errors);
  check_placement (type, app, secrets, TRUE, &errors);

  fields = pb_auth_type_get_fields (type);
  n = g_list_model_get_n_items (fields);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbAuthField) field = g_list_model_get_item (fields, i);
      const char *key = pb_auth_field_get_key (field);
      gboolean secret = pb_auth_field_get_secret (field);
      GHashTable *table = secret ? secrets : config;
      gboolean given = table != NULL && g_hash_table_contains (table, key);
      const char *value = given ? g_hash_table_lookup (table, key) : NULL;
      char *message = NULL;

      if (!pb_rules_field_is_entered (field, app)
          || (errors != NULL && g_hash_table_contains (errors, key)))
        continue;

      /* A secret that the backend has and that is not being cleared counts as filled. */
      if (secret && !given && secrets_already_set != NULL &&
          g_strv_contains (secrets_already_set, key))
        continue;

      if (!pb_rules_validate_field (field, value, &message))
        add_field_error (&errors, key, message);
    }

  if (errors == NULL)
    return TRUE;

  if (field_errors != NULL)
    *field_errors = g_steal_pointer (&errors);
  return FALSE;
}

/**
 * pb_rules_validate_name:
 * @name: (nullable): an integration name
 * @message: (out) (optional) (transfer full): why not, as a translated sentence
 *
 * Returns: whether @name is acceptable: not blank, valid UTF-8 and at most
 *   %PB_RULES_NAME_MAX_CHARS characters
 */
gboolean
pb_rules_validate_name (const char  *name,
                        char       **message)
{
  if (message != NULL)
    *message = NULL;

  if (is_blank (name))
    return fail (message, g_strdup (_("The name cannot be empty.")));

  if (!g_utf8_validate (name, -1, NULL))
    return fail (message, g_strdup (_("The name contains characters that are not text.")));

  if (g_utf8_strlen (name, -1) > PB_RULES_NAME_MAX_CHARS)
    /* Translators: %d is a number of characters */
    return fail (message, g_strdup_printf (_("The name is too long (at most %d characters)."),
                                           PB_RULES_NAME_MAX_CHARS));

  return TRUE;
}
