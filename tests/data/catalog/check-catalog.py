#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validate data/catalog/connectors.json, the connector catalog plugboard-server serves.

Usage: check-catalog.py [PATH]
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
AUTH_KEYS = ("key", "label", "type", "fields")
FIELD_KEYS = ("key", "label", "kind", "required", "secret", "description", "placeholder", "default")

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


def check_field(errs, where, fl):
    if not _check_exact_keys(errs, where, fl, FIELD_KEYS, optional=("options",)):
        return
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


def check_auth_type(errs, where, at):
    if not _check_exact_keys(errs, where, at, AUTH_KEYS):
        return
    if not (_is_str(at["key"]) and KEY_RE.match(at["key"])):
        errs.append("%s: key %r must match [a-z0-9_]+" % (where, at["key"]))
    _check_text(errs, where, "label", at["label"], MAX_LABEL)
    if at["type"] not in AUTH_TYPES:
        errs.append("%s: type %r is not one of %s" % (where, at["type"], "|".join(AUTH_TYPES)))
    fields = at["fields"]
    if not (isinstance(fields, list) and fields):
        errs.append("%s: fields must be a non-empty list" % where)
        return
    seen = set()
    for i, fl in enumerate(fields):
        fk = fl.get("key") if isinstance(fl, dict) else None
        fwhere = "%s.fields[%d]%s" % (where, i, " (%s)" % fk if _is_str(fk) else "")
        check_field(errs, fwhere, fl)
        if _is_str(fk):
            if fk in seen:
                errs.append("%s: field key %r used twice in this auth type" % (fwhere, fk))
            seen.add(fk)
            if fk in ("callback_url", "redirect_uri", "redirect_url"):
                errs.append("%s: the callback URL is derived by the server and must not be a field" % fwhere)
    if at["type"] in ("oauth2", "oidc") and "client_id" not in seen:
        errs.append("%s: an %s auth type needs a client_id field" % (where, at["type"]))


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
        check_auth_type(errs, awhere, at)
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


def _fields(c):
    for at in c.get("auth_types") or []:
        if isinstance(at, dict):
            for fl in at.get("fields") or []:
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

    def field(c, type_, key, kind):
        return any(at.get("type") == type_ and fl.get("key") == key and fl.get("kind") == kind for at, fl in _fields(c))

    def types_of(c):
        return [at.get("type") for at in c.get("auth_types") or [] if isinstance(at, dict)]

    has("bamboohr", lambda c: field(c, "api_key", "api_key", "secret") and field(c, "api_key", "subdomain", "text"),
        "needs an api_key auth type with a secret api_key and a text subdomain field")
    has("bamboohr", lambda c: "oauth2" in types_of(c), "needs an oauth2 auth type")
    has("teamtailor", lambda c: any(fl.get("key") == "external_trigger_token" and fl.get("secret") is True for _, fl in _fields(c)),
        "the partner auth type needs a secret external_trigger_token field")
    has("workday", lambda c: field(c, "basic", "host", "url") and field(c, "basic", "tenant", "text"),
        "the ISU auth type needs a url host and a text tenant field")
    has("okta", lambda c: field(c, "api_key", "domain", "url"), "the API token auth type needs a url domain field")
    has("greenhouse", lambda c: field(c, "api_key", "harvest_api_key", "secret"), "needs a secret Harvest API key")
    for p in ("lever", "hubspot", "salesforce"):
        has(p, lambda c: "oauth2" in types_of(c), "needs an oauth2 auth type")
    for p in ("zendesk", "jira", "confluence"):
        has(p, lambda c: any(fl.get("kind") == "email" for _, fl in _fields(c)), "needs an email field for the admin e-mail")
    yield ("documented auth facts", errs)


def main(argv):
    if len(argv) > 2:
        sys.stderr.write("usage: %s [connectors.json]\n" % argv[0])
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
