#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validate data/catalog/connectors.json, the connector catalog plugboard-server serves.

Usage: check-catalog.py [--self-test] [PATH]
--self-test breaks copies of a few connectors in the ways the checks exist for, and fails
unless each is refused.
PATH defaults to $PLUGBOARD_CATALOG, then to data/catalog/connectors.json in the source tree.
Prints TAP on stdout; every failing line names the connector and the path to the bad value.
Exits 1 when any check fails, 2 when the file cannot be read or parsed.
Standard library only.
"""

import json
import os
import re
import sys

CATEGORIES = ("hris", "ats", "crm", "iam", "marketing", "lms", "ticketing", "documents",
              "messaging", "accounting", "screening", "scheduling")
AUTH_TYPES = ("api_key", "basic", "oauth2", "oidc", "custom")
KINDS = ("text", "secret", "url", "email", "select")
MIN_CONNECTORS = 80
MIN_PER_CATEGORY = 3

CONNECTOR_KEYS = ("provider", "provider_name", "category", "categories", "description",
                  "docs_url", "logo_url", "auth_types")
AUTH_KEYS = ("key", "label", "type", "fields", "account_fields")
OAUTH_TYPES = ("oauth2", "oidc")
# Where the server sends the end user to sign in and trades the code for tokens.
OAUTH_KEYS = ("platform_oauth_app", "authorize_url", "token_url")
OAUTH_OPTIONAL_KEYS = ("scopes", "token_auth")
TOKEN_AUTHS = ("client_secret_post", "client_secret_basic")
FIELD_KEYS = ("key", "label", "kind", "required", "secret", "description", "placeholder", "default")

# Values that belong to one customer (the end user who links an account): their keys, tokens,
# user names and passwords, and where their tenant lives. They are account_fields; an
# integration holds only what the project enters once for all its customers.
PER_CUSTOMER_KEYS = (
    "api_key", "api_secret", "api_token", "access_token", "token", "bot_token", "auth_token",
    "refresh_token", "harvest_api_key", "job_board_api_key", "job_board_token", "on_behalf_of",
    "service_user_id", "service_user_token", "service_account_key", "private_key_jwk",
    "username", "password", "user_id", "user_password", "email", "user_email", "admin_email",
    "subdomain", "domain", "tenant", "tenant_id", "host", "site_url", "instance_url", "base_url",
    "server_url", "platform_url", "portal_url", "api_url", "report_url", "environment_url",
    "rest_endpoint", "api_server", "api_hostname", "realm", "company_id", "company_short_name",
    "customer_id", "account_id", "account_sid", "org_id", "organization", "organization_id",
    "workspace_id", "enterprise_id", "environment_id", "client_namespace",
)
# Where such a key means a project setting: (provider, auth type key, field key) → why.
PER_CUSTOMER_EXCEPTIONS = {
    ("entraid", "oauth2", "tenant_id"): "the sign-in audience of a multi-tenant app",
    ("onedrive", "oauth2", "tenant_id"): "the sign-in audience of a multi-tenant app",
    ("outlookcalendar", "oauth2", "tenant_id"): "the sign-in audience of a multi-tenant app",
}
# The OAuth app's credentials, which the platform's own app replaces.
OAUTH_APP_KEYS = ("client_id", "client_secret")

KEY_RE = re.compile(r"^[a-z0-9_]+$")
MAX_LABEL = 60
MAX_DESCRIPTION = 200

# Connectors the platform's guides document (design/catalog-facts.md): all must be present.
REQUIRED_PROVIDERS = (
    "bamboohr", "hibob", "workday", "personio", "deel", "factorial", "gusto", "humaans",
    "breathehr", "sagehr", "payfit", "employmenthero", "oysterhr", "zelt", "lattice",
    "paylocity", "charliehr", "cezannehr", "adp_wfn", "successfactors", "oraclehcm", "ukgpro",
    "ukgready", "fourth", "greenhouse", "lever", "ashby", "teamtailor", "workable",
    "smartrecruiters", "recruitee", "jazzhr", "breezyhr", "pinpoint", "bullhorn", "jobadder",
    "vincere", "cornerstone", "hubspot", "salesforce", "pipedrive", "attio", "googledrive",
    "sharepoint", "notion", "confluence", "zendesk", "asana", "jira", "xero", "quickbooks",
    "braze", "iterable", "moengage", "klaviyo", "salesforcemc", "docebo", "go1", "talentlms",
    "360learning", "linkedinlearning", "udemy", "okta", "googleworkspace", "entraid", "github",
    "slack", "msteams", "checkr", "veremark", "calendly", "cronofy",
)

# Connectors documented with more than one way to authenticate.
MULTI_AUTH_PROVIDERS = ("bamboohr", "workday", "hibob", "teamtailor", "pipedrive", "notion",
                        "okta", "calendly", "deel")


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise DuplicateKey("duplicate key %r in one object" % k)
        obj[k] = v
    return obj


def _is_str(v):
    return isinstance(v, str)


def _one_line(v):
    return _is_str(v) and v.strip() == v and v != "" and "\n" not in v and "\r" not in v and "\t" not in v


def _check_text(errs, where, name, v, max_len, sentence=False):
    if not _one_line(v):
        errs.append("%s: %s must be a non-empty single-line string without surrounding spaces, got %r" % (where, name, v))
        return
    if len(v) > max_len:
        errs.append("%s: %s is %d characters long, at most %d allowed" % (where, name, len(v), max_len))
    if sentence and not v.endswith("."):
        errs.append("%s: %s must be a sentence ending with '.', got %r" % (where, name, v))


def _check_exact_keys(errs, where, obj, allowed, optional=()):
    if not isinstance(obj, dict):
        errs.append("%s: must be a JSON object, got %s" % (where, type(obj).__name__))
        return False
    missing = [k for k in allowed if k not in obj]
    extra = [k for k in obj if k not in allowed and k not in optional]
    if missing:
        errs.append("%s: missing member(s) %s" % (where, ", ".join(missing)))
    if extra:
        errs.append("%s: unexpected member(s) %s" % (where, ", ".join(sorted(extra))))
    return not missing


def _is_http_url(v):
    return _is_str(v) and re.match(r"^https?://[^\s/]+[^\s]*$", v) is not None


def check_field(errs, where, fl, account):
    if not _check_exact_keys(errs, where, fl, FIELD_KEYS, optional=("options", "generated")):
        return
    if "generated" in fl:
        if fl["generated"] is not True:
            errs.append("%s: generated must be true when given, got %r" % (where, fl["generated"]))
        elif account:
            errs.append("%s: a generated value is the integration's; it cannot be an account field" % where)
        elif fl["kind"] != "secret" or fl["required"] is not False or fl["default"] is not None:
            errs.append("%s: a generated field is a secret, not required and without a default "
                        "(the admin never types it)" % where)
    key = fl["key"]
    if not (_is_str(key) and KEY_RE.match(key)):
        errs.append("%s: key %r must match [a-z0-9_]+" % (where, key))
    _check_text(errs, where, "label", fl["label"], MAX_LABEL)
    _check_text(errs, where, "description", fl["description"], MAX_DESCRIPTION, sentence=True)
    kind = fl["kind"]
    if kind not in KINDS:
        errs.append("%s: kind %r is not one of %s" % (where, kind, "|".join(KINDS)))
    for b in ("required", "secret"):
        if type(fl[b]) is not bool:
            errs.append("%s: %s must be true or false, got %r" % (where, b, fl[b]))
    if type(fl["secret"]) is bool and fl["secret"] != (kind == "secret"):
        errs.append("%s: secret is %s but kind is %r (secret must be true exactly when kind is \"secret\")"
                    % (where, json.dumps(fl["secret"]), kind))
    if not _is_str(fl["placeholder"]) or "\n" in fl["placeholder"]:
        errs.append("%s: placeholder must be a single-line string (may be empty), got %r" % (where, fl["placeholder"]))
    default = fl["default"]
    if default is not None and not _is_str(default):
        errs.append("%s: default must be a string or null, got %r" % (where, default))
    if kind == "secret" and default is not None:
        errs.append("%s: a secret field must not carry a default value" % where)
    if kind == "select":
        opts = fl.get("options")
        if not (isinstance(opts, list) and len(opts) >= 2 and all(_one_line(o) for o in opts)):
            errs.append("%s: a select field needs \"options\": a list of at least two non-empty strings, got %r" % (where, opts))
        else:
            if len(set(opts)) != len(opts):
                errs.append("%s: options contain duplicates: %r" % (where, opts))
            if default is not None and default not in opts:
                errs.append("%s: default %r is not one of the options %r" % (where, default, opts))
    elif "options" in fl:
        errs.append("%s: only select fields may have \"options\" (kind is %r)" % (where, kind))
    if kind == "url":
        for name in ("placeholder", "default"):
            v = fl[name]
            if v and not _is_http_url(v):
                errs.append("%s: %s of a url field must be an http(s) URL, got %r" % (where, name, v))
    if kind == "email":
        for name in ("placeholder", "default"):
            v = fl[name]
            if v and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", v):
                errs.append("%s: %s of an email field must be an e-mail address, got %r" % (where, name, v))


def check_auth_type(errs, where, at, provider=None):
    oauth = at.get("type") in OAUTH_TYPES if isinstance(at, dict) else False
    if not _check_exact_keys(errs, where, at, AUTH_KEYS + (OAUTH_KEYS if oauth else ()),
                             OAUTH_OPTIONAL_KEYS if oauth else ()):
        return
    if not (_is_str(at["key"]) and KEY_RE.match(at["key"])):
        errs.append("%s: key %r must match [a-z0-9_]+" % (where, at["key"]))
    _check_text(errs, where, "label", at["label"], MAX_LABEL)
    if at["type"] not in AUTH_TYPES:
        errs.append("%s: type %r is not one of %s" % (where, at["type"], "|".join(AUTH_TYPES)))
    if oauth and type(at["platform_oauth_app"]) is not bool:
        errs.append("%s: platform_oauth_app must be true or false, got %r" % (where, at["platform_oauth_app"]))
    lists = {}
    for name in ("fields", "account_fields"):
        if not isinstance(at[name], list):
            errs.append("%s: %s must be a list" % (where, name))
            return
        lists[name] = at[name]
    if not lists["fields"] and not lists["account_fields"]:
        errs.append("%s: fields and account_fields are both empty" % where)
        return
    seen = {}
    for name, items in lists.items():
        for i, fl in enumerate(items):
            fk = fl.get("key") if isinstance(fl, dict) else None
            fwhere = "%s.%s[%d]%s" % (where, name, i, " (%s)" % fk if _is_str(fk) else "")
            check_field(errs, fwhere, fl, name == "account_fields")
            if not _is_str(fk):
                continue
            if fk in seen:
                errs.append("%s: field key %r used twice in this auth type" % (fwhere, fk))
            seen[fk] = name
            if fk in ("callback_url", "redirect_uri", "redirect_url"):
                errs.append("%s: the callback URL is derived by the server and must not be a field" % fwhere)
            if (name == "fields" and fk in PER_CUSTOMER_KEYS
                    and (provider, at["key"], fk) not in PER_CUSTOMER_EXCEPTIONS):
                errs.append("%s: %r is a value of one customer; it belongs in account_fields" % (fwhere, fk))
    if oauth:
        for name in ("authorize_url", "token_url"):
            url = at[name]
            places = re.findall(r"\{([^}]*)\}", url) if _is_str(url) else []
            plain = re.sub(r"^\{[^}]*\}", "https://x", url) if _is_str(url) else None
            plain = re.sub(r"\{[^}]*\}", "x", plain) if plain else None
            if not plain or not plain.startswith("https://") or not _is_http_url(plain):
                errs.append("%s: %s must be an https URL, got %r" % (where, name, url))
            for place in places:
                if place not in seen:
                    errs.append("%s: %s names {%s}, which is not a field of this type" % (where, name, place))
        scopes = at.get("scopes", [])
        if not isinstance(scopes, list) or not all(_is_str(x) and x and " " not in x for x in scopes):
            errs.append("%s: scopes must be a list of scopes without spaces, got %r" % (where, scopes))
        if at.get("token_auth", TOKEN_AUTHS[0]) not in TOKEN_AUTHS:
            errs.append("%s: token_auth must be one of %s" % (where, "|".join(TOKEN_AUTHS)))
    if oauth and "client_id" not in seen:
        errs.append("%s: an %s auth type needs a client_id field (in fields, or in account_fields "
                    "when the app is the customer's)" % (where, at["type"]))
    if oauth and at["platform_oauth_app"] is True:
        for fk in OAUTH_APP_KEYS:
            if seen.get(fk) != "fields":
                errs.append("%s: with platform_oauth_app, %s must be one of fields (the app the "
                            "platform's replaces)" % (where, fk))


def check_connector(c):
    """Return a list of error messages for one connector entry."""
    errs = []
    where = "connector"
    if not _check_exact_keys(errs, where, c, CONNECTOR_KEYS):
        return errs
    p = c["provider"]
    if not (_is_str(p) and KEY_RE.match(p)):
        errs.append("provider %r must match [a-z0-9_]+" % (p,))
    _check_text(errs, where, "provider_name", c["provider_name"], MAX_LABEL)
    _check_text(errs, where, "description", c["description"], MAX_DESCRIPTION, sentence=True)
    cats = c["categories"]
    if not (isinstance(cats, list) and cats):
        errs.append("categories must be a non-empty list, got %r" % (cats,))
    else:
        for cat in cats:
            if cat not in CATEGORIES:
                errs.append("categories: %r is not a known category (%s)" % (cat, ", ".join(CATEGORIES)))
        if len(set(map(str, cats))) != len(cats):
            errs.append("categories contain duplicates: %r" % (cats,))
        if c["category"] != cats[0]:
            errs.append("category %r must equal the first of categories %r" % (c["category"], cats))
    if not (_is_http_url(c["docs_url"]) and c["docs_url"].startswith("https://")):
        errs.append("docs_url must be an https:// URL, got %r" % (c["docs_url"],))
    if c["logo_url"] is not None and not (_is_str(c["logo_url"]) and c["logo_url"].startswith("https://")):
        errs.append("logo_url must be null or an https:// URL, got %r" % (c["logo_url"],))
    ats = c["auth_types"]
    if not (isinstance(ats, list) and ats):
        errs.append("auth_types must be a non-empty list")
        return errs
    keys, labels = set(), set()
    for i, at in enumerate(ats):
        ak = at.get("key") if isinstance(at, dict) else None
        awhere = "auth_types[%d]%s" % (i, " (%s)" % ak if _is_str(ak) else "")
        check_auth_type(errs, awhere, at, p)
        if _is_str(ak):
            if ak in keys:
                errs.append("%s: auth type key %r used twice" % (awhere, ak))
            keys.add(ak)
        lab = at.get("label") if isinstance(at, dict) else None
        if _is_str(lab):
            if lab in labels:
                errs.append("%s: auth type label %r used twice (the editor's drop-down could not tell them apart)" % (awhere, lab))
            labels.add(lab)
    return errs


def _fields(c, lists=("fields", "account_fields")):
    for at in c.get("auth_types") or []:
        if isinstance(at, dict):
            for name in lists:
                for fl in at.get(name) or []:
                    if isinstance(fl, dict):
                        yield at, fl


def global_checks(conns):
    """Yield (description, [errors]) for checks over the whole catalog."""
    by_provider = {}
    for c in conns:
        if isinstance(c, dict) and _is_str(c.get("provider")):
            by_provider.setdefault(c["provider"], []).append(c)

    yield ("at least %d connectors" % MIN_CONNECTORS,
           [] if len(conns) >= MIN_CONNECTORS else ["only %d connectors, at least %d required" % (len(conns), MIN_CONNECTORS)])

    dup = sorted(p for p, cs in by_provider.items() if len(cs) > 1)
    yield ("provider keys are unique", ["provider %r appears %d times" % (p, len(by_provider[p])) for p in dup])

    names = {}
    for c in conns:
        if isinstance(c, dict) and _is_str(c.get("provider_name")):
            names.setdefault(c["provider_name"].casefold(), []).append(c.get("provider"))
    yield ("provider names are unique",
           ["provider_name %r is used by %s" % (n, ", ".join(map(str, ps))) for n, ps in sorted(names.items()) if len(ps) > 1])

    for cat in CATEGORIES:
        members = [c.get("provider") for c in conns if isinstance(c, dict) and c.get("category") == cat]
        yield ("category %s has at least %d connectors" % (cat, MIN_PER_CATEGORY),
               [] if len(members) >= MIN_PER_CATEGORY else
               ["category %r is the main category of only %d connector(s): %s" % (cat, len(members), ", ".join(map(str, members)) or "none")])

    missing = [p for p in REQUIRED_PROVIDERS if p not in by_provider]
    yield ("every documented connector is present", ["missing connector %r" % p for p in missing])

    errs = []
    for p in MULTI_AUTH_PROVIDERS:
        for c in by_provider.get(p, []):
            n = len(c.get("auth_types") or [])
            if not 2 <= n <= 3:
                errs.append("%s: has %d auth type(s), 2 or 3 expected" % (p, n))
    yield ("connectors with several documented auth methods offer 2-3 auth types", errs)

    kinds = set(fl.get("kind") for c in conns if isinstance(c, dict) for _, fl in _fields(c))
    types = set(at.get("type") for c in conns if isinstance(c, dict) for at in c.get("auth_types") or [] if isinstance(at, dict))
    yield ("every field kind is used somewhere", ["no field of kind %r anywhere" % k for k in KINDS if k not in kinds])
    yield ("api_key, basic, oauth2 and custom auth types are used",
           ["no auth type of type %r anywhere" % t for t in ("api_key", "basic", "oauth2", "custom") if t not in types])

    # Spot checks of documented facts.
    errs = []

    def has(p, pred, msg):
        cs = by_provider.get(p)
        if cs and not any(pred(c) for c in cs):
            errs.append("%s: %s" % (p, msg))

    def field(c, type_, key, kind, lists=("fields", "account_fields")):
        return any(at.get("type") == type_ and fl.get("key") == key and fl.get("kind") == kind
                   for at, fl in _fields(c, lists))

    def account(c, type_, key, kind):
        return field(c, type_, key, kind, ("account_fields",))

    def setting(c, type_, key, kind):
        return field(c, type_, key, kind, ("fields",))

    def types_of(c):
        return [at.get("type") for at in c.get("auth_types") or [] if isinstance(at, dict)]

    def auth(c, key):
        return next((at for at in c.get("auth_types") or [] if isinstance(at, dict) and at.get("key") == key), None)

    def keys(at, name):
        return [fl.get("key") for fl in (at or {}).get(name) or [] if isinstance(fl, dict)]

    has("bamboohr", lambda c: account(c, "api_key", "api_key", "secret") and account(c, "api_key", "subdomain", "text"),
        "needs an api_key auth type whose account fields are a secret api_key and a text subdomain")
    has("bamboohr", lambda c: "oauth2" in types_of(c), "needs an oauth2 auth type")
    has("teamtailor", lambda c: [at.get("label") for at in c["auth_types"]] == ["Public API", "Partner API", "Public + Partner API"],
        "offers the Public, Partner and Public + Partner API types")
    has("teamtailor", lambda c: all(any(fl.get("key") == "external_trigger_token" and fl.get("generated") is True
                                        for fl in auth(c, k)["fields"]) for k in ("partner_api", "public_partner_api_key")),
        "the partner auth types need a generated external_trigger_token field")
    has("teamtailor", lambda c: all("company_id" in keys(at, "account_fields") for at in c["auth_types"])
        and all("region" in keys(at, "fields") for at in c["auth_types"]),
        "every type needs the account's company_id, and the region as a setting")
    has("workday", lambda c: account(c, "basic", "host", "url") and account(c, "basic", "tenant", "text"),
        "the ISU auth type needs a url host and a text tenant account field")
    has("workday", lambda c: "refresh_token" in keys(auth(c, "oauth2"), "account_fields"),
        "the API client type needs a refresh token per account")
    has("okta", lambda c: account(c, "api_key", "domain", "url"), "the API token auth type needs a url domain account field")
    has("okta", lambda c: account(c, "custom", "private_key", "secret"), "needs client credentials with a private key (JWK)")
    has("greenhouse", lambda c: account(c, "api_key", "harvest_api_key", "secret") and "deprecated" in auth(c, "api_key")["label"],
        "keeps the Harvest v1/v2 key only as a deprecated type")
    has("greenhouse", lambda c: keys(auth(c, "harvest_v3"), "account_fields") == ["client_id", "client_secret", "user_id"]
        and auth(c, "oauth2") is not None and auth(c, "oauth2")["type"] == "oauth2",
        "needs Harvest v3 client credentials (client id, secret, user id) and OAuth 2.0 for partners")
    has("hibob", lambda c: auth(c, "api_key") is None and auth(c, "service_user") is not None and "oauth2" in types_of(c),
        "offers the service user and partner OAuth, not the discontinued API token")
    has("personio", lambda c: keys(auth(c, "api_credentials"), "account_fields") == ["client_id", "client_secret"]
        and keys(auth(c, "api_credentials"), "fields") == ["partner_id", "app_id"],
        "API v2 client credentials per account, Partner ID and App ID as settings")
    has("xero", lambda c: auth(c, "custom_connection") is not None
        and "accounting.transactions" not in (next(fl for fl in auth(c, "oauth2")["fields"] if fl["key"] == "scopes")["default"] or ""),
        "needs granular scopes and the Custom Connection type")
    for p, what in (("lever", "offline_access"), ("zendesk", "read")):
        has(p, lambda c, what=what: any(fl.get("key") == "scopes" and what in (fl.get("default") or "").split()
                                        for fl in auth(c, "oauth2")["fields"]),
            "the OAuth type needs editable scopes")
    has("googleworkspace", lambda c: any(fl.get("key") == "scopes" and fl.get("required") is True for fl in auth(c, "service_account")["fields"])
        and any(fl.get("key") == "admin_email" and fl.get("required") is True for fl in auth(c, "service_account")["account_fields"]),
        "the service account needs required scopes and a required delegated admin e-mail")
    has("docebo", lambda c: sorted(at.get("key") for at in c["auth_types"]) == ["client_credentials", "oauth2", "password_grant"],
        "offers the password, client credentials and authorization code grants")
    has("entraid", lambda c: "tenant_id" in keys(auth(c, "client_credentials"), "account_fields")
        and "client_secret_expiry" in keys(auth(c, "client_credentials"), "account_fields"),
        "client credentials need the tenant per account and the secret's expiry date")
    has("salesforce", lambda c: "environment" in keys(auth(c, "oauth2"), "account_fields"),
        "the production or sandbox login host is the account's")
    for p in ("lever", "hubspot", "salesforce"):
        has(p, lambda c: "oauth2" in types_of(c), "needs an oauth2 auth type")
    for p in ("zendesk", "jira", "confluence"):
        has(p, lambda c: any(fl.get("kind") == "email" for _, fl in _fields(c, ("account_fields",))),
            "needs an email account field for the user's e-mail")
    yield ("documented auth facts", errs)


def _mutations():
    """(description, provider, change, text expected in an error) for --self-test."""
    def auth(c, key):
        return next(at for at in c["auth_types"] if at["key"] == key)

    def to_fields(c, at_key, key):
        at = auth(c, at_key)
        fl = next(fl for fl in at["account_fields"] if fl["key"] == key)
        at["account_fields"].remove(fl)
        at["fields"].append(fl)

    def to_account(c, at_key, key):
        at = auth(c, at_key)
        fl = next(fl for fl in at["fields"] if fl["key"] == key)
        at["fields"].remove(fl)
        at["account_fields"].append(fl)

    yield ("an end user's API key among the integration's fields", "bamboohr",
           lambda c: to_fields(c, "api_key", "api_key"), "belongs in account_fields")
    yield ("an end user's subdomain among the integration's fields", "bamboohr",
           lambda c: to_fields(c, "oauth2", "subdomain"), "belongs in account_fields")
    yield ("an OAuth type that does not say platform_oauth_app", "hubspot",
           lambda c: auth(c, "oauth2").pop("platform_oauth_app"), "missing member(s) platform_oauth_app")
    yield ("an OAuth type without a token URL", "hubspot",
           lambda c: auth(c, "oauth2").pop("token_url"), "missing member(s) token_url")
    yield ("an authorize URL that is not https", "hubspot",
           lambda c: auth(c, "oauth2").__setitem__("authorize_url", "http://app.hubspot.com/oauth"),
           "authorize_url must be an https URL")
    yield ("platform_oauth_app on an API-key type", "hubspot",
           lambda c: auth(c, "private_app").__setitem__("platform_oauth_app", True),
           "unexpected member(s) platform_oauth_app")
    yield ("a platform app whose client secret is an account field", "hubspot",
           lambda c: to_account(c, "oauth2", "client_secret"), "with platform_oauth_app, client_secret")
    yield ("a generated value among the account fields", "teamtailor",
           lambda c: to_account(c, "partner_api", "external_trigger_token"), "cannot be an account field")


def self_test(conns):
    """Checks that each check of the split fails on a catalog that breaks it (TAP)."""
    by_provider = {c["provider"]: c for c in conns}
    results = []
    for desc, provider, change, expected in _mutations():
        c = json.loads(json.dumps(by_provider[provider]))
        change(c)
        errs = check_connector(c)
        ok = any(expected in e for e in errs) and not check_connector(by_provider[provider])
        results.append((ok, "refused: %s (%s)" % (desc, provider), errs))
    print("1..%d" % len(results))
    for n, (ok, desc, errs) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", n, desc))
        if not ok:
            print("# errors were: %s" % ("; ".join(errs) or "none"))
    return 0 if all(ok for ok, _, _ in results) else 1


def main(argv):
    selftest = len(argv) > 1 and argv[1] == "--self-test"
    if selftest:
        argv = argv[:1] + argv[2:]
    if len(argv) > 2:
        sys.stderr.write("usage: %s [--self-test] [connectors.json]\n" % argv[0])
        return 2
    if len(argv) == 2:
        path = argv[1]
    else:
        path = os.environ.get("PLUGBOARD_CATALOG") or os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "data", "catalog", "connectors.json")

    try:
        with open(path, "r", encoding="utf-8") as fp:
            data = json.load(fp, object_pairs_hook=_no_duplicates)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        print("1..1")
        print("not ok 1 - %s parses as JSON" % path)
        print("# %s" % e)
        sys.stderr.write("check-catalog: %s: %s\n" % (path, e))
        return 2

    if selftest:
        return self_test(data["connectors"])

    results = []  # (ok, description, errors)
    top_errs = []
    conns = []
    if _check_exact_keys(top_errs, "top level", data, ("version", "connectors")):
        if not (type(data["version"]) is int and data["version"] == 1):
            top_errs.append("top level: version must be the number 1, got %r" % (data["version"],))
        if isinstance(data["connectors"], list):
            conns = data["connectors"]
        else:
            top_errs.append("top level: connectors must be a list")
    results.append(("file parses and has the top-level shape {version: 1, connectors: [...]}", top_errs))

    for i, c in enumerate(conns):
        p = c.get("provider") if isinstance(c, dict) else None
        label = "connector %s (#%d)" % (p if _is_str(p) else "?", i)
        results.append((label, ["%s: %s" % (label, e) for e in check_connector(c)]))

    for desc, errs in global_checks(conns):
        results.append((desc, errs))

    failed = 0
    print("1..%d" % len(results))
    for n, (desc, errs) in enumerate(results, 1):
        if errs:
            failed += 1
            print("not ok %d - %s" % (n, desc))
            for e in errs:
                print("# %s" % e)
                sys.stderr.write("check-catalog: %s\n" % e)
        else:
            print("ok %d - %s" % (n, desc))
    cats = {}
    for c in conns:
        if isinstance(c, dict):
            cats[c.get("category")] = cats.get(c.get("category"), 0) + 1
    print("# %d connectors; %s" % (len(conns), ", ".join("%s %d" % (k, cats.get(k, 0)) for k in CATEGORIES)))
    if failed:
        sys.stderr.write("check-catalog: %d of %d checks failed in %s\n" % (failed, len(results), path))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
