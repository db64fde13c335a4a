#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Linking OAuth accounts end to end, against OAuth 2.0 providers this test runs on the
loopback (connect_fixture.Provider), with a catalog that points the connectors' authorize and
token URLs at them (given to the server with --catalog): the authorize redirect and its query,
the code exchange with each kind of client authentication, the platform's OAuth app
(--oauth-apps), account fields in the provider's URL, refusals, refreshing, and no token or
secret in any answer or log."""

import json
import os
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import connect_fixture as fx  # noqa: E402

HUBSPOT_SECRET = "platform-hubspot-secret-5150"
PIPEDRIVE_SECRET = "own-pipedrive-secret-6161"
BAMBOO_SECRET = "own-bamboo-secret-7272"


class OAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = fx.temp_dir()
        cls.seen = []
        cls.hubspot = fx.Provider("platform-hubspot", HUBSPOT_SECRET, "client_secret_post")
        cls.pipedrive = fx.Provider("own-pipedrive-client", PIPEDRIVE_SECRET, "client_secret_basic")
        cls.bamboo = fx.Provider("own-bamboo-client", BAMBOO_SECRET, "client_secret_post")
        catalog = fx.catalog_with({("hubspot", "oauth2"): (cls.hubspot, ""),
                                   ("pipedrive", "oauth2"): (cls.pipedrive, "/oauth"),
                                   ("bamboohr", "oauth2"): (cls.bamboo, "/{subdomain}")},
                                  cls.dir)
        apps = os.path.join(cls.dir, "oauth-apps.json")
        with open(apps, "w") as f:
            json.dump({"hubspot": {"client_id": "platform-hubspot",
                                   "client_secret": HUBSPOT_SECRET}}, f)
        os.chmod(apps, 0o600)
        cls.server = fx.Server(cls.dir, ["--catalog", catalog, "--oauth-apps", apps])
        status, cls.pipedrive_integration = cls.api("POST", "/integrations", {
            "connector_key": "pipedrive", "authentication_config_key": "oauth2",
            "config": {"client_id": "own-pipedrive-client"},
            "secrets": {"client_secret": PIPEDRIVE_SECRET}})
        assert status == 201, cls.pipedrive_integration
        status, cls.bamboo_integration = cls.api("POST", "/integrations", {
            "connector_key": "bamboohr", "authentication_config_key": "oauth2",
            "name": "BambooHR – OAuth", "config": {"client_id": "own-bamboo-client"},
            "secrets": {"client_secret": BAMBOO_SECRET}})
        assert status == 201, cls.bamboo_integration

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        for p in (cls.hubspot, cls.pipedrive, cls.bamboo):
            p.stop()
        # Nothing secret in what the server answered or logged.
        secrets = [HUBSPOT_SECRET, PIPEDRIVE_SECRET, BAMBOO_SECRET]
        for p in (cls.hubspot, cls.pipedrive, cls.bamboo):
            secrets += p.issued
        everything = "\n".join(cls.seen)
        leaked = [s for s in secrets if s in everything or s in cls.server.log]
        fx.remove(cls.dir)
        assert not leaked, "%d secret(s) appeared in answers or the server's log" % len(leaked)
        assert "/connect/{token}" in cls.server.log

    # ---- helpers ------------------------------------------------------------------------

    @classmethod
    def api(cls, method, path, body=None):
        status, answer = cls.server.api(method, path, body)
        cls.seen.append(json.dumps(answer))
        return status, answer

    def fetch(self, url, form=None):
        status, headers, text = fx.fetch(url, form)
        self.seen.append(text)
        self.seen.append(str(headers))
        return status, headers, text

    def session(self, provider, owner, integration_id=None):
        body = {"origin_owner_id": owner, "origin_owner_name": owner.title() + " Ltd",
                "provider": provider}
        if integration_id:
            body["integration_id"] = integration_id
        status, answer = self.api("POST", "/connect_sessions", body)
        self.assertEqual(status, 201, answer)
        return answer

    def start(self, url, form=None):
        """Posts the page; the query of the provider's authorize URL it redirects to."""
        status, headers, text = self.fetch(url, form or {})
        self.assertEqual(status, 303, text)
        location = headers["Location"]
        return location, {k: v[0] for k, v in
                          urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).items()}

    def consent(self, location):
        """What the provider answers: the callback URL the browser goes to next."""
        status, headers, _ = self.fetch(location)
        self.assertEqual(status, 302)
        return headers["Location"]

    def account_of(self, provider, owner):
        status, page = self.api("GET", "/accounts?provider=%s&q=%s&page_size=10"
                                % (provider, urllib.parse.quote(owner.title())))
        self.assertEqual(status, 200)
        mine = [a for a in page["data"] if a["origin_owner_id"] == owner]
        self.assertEqual(len(mine), 1)
        return mine[0]

    def link(self, provider, owner, integration_id=None, form=None):
        s = self.session(provider, owner, integration_id)
        location, _ = self.start(s["url"], form)
        callback = self.consent(location)
        status, _, text = self.fetch(callback)
        self.assertEqual(status, 200, text)
        return self.account_of(provider, owner)

    # ---- tests --------------------------------------------------------------------------

    def test_platform_app(self):
        s = self.session("hubspot", "hub-1")
        status, _, page = self.fetch(s["url"])
        self.assertEqual(status, 200)
        self.assertIn("Continue to HubSpot", page)
        location, query = self.start(s["url"])
        self.assertTrue(location.startswith(self.hubspot.base + "/authorize?"))
        self.assertEqual(query["response_type"], "code")
        self.assertEqual(query["client_id"], "platform-hubspot")
        self.assertEqual(query["redirect_uri"],
                         self.server.url + "/connect/oauth2/hubspot/callback")
        integration = [i for i in self.api("GET", "/integrations?connector_key=hubspot")[1]["data"]
                       if i["default"]][0]
        self.assertEqual(query["scope"], integration["config"]["scopes"])
        self.assertTrue(query["state"].startswith(s["id"] + "."))
        self.assertGreaterEqual(len(query["state"]), len(s["id"]) + 40)

        callback = self.consent(location)
        self.assertTrue(callback.startswith(self.server.url + "/connect/oauth2/hubspot/callback?"))
        status, headers, text = self.fetch(callback)
        self.assertEqual(status, 200, text)
        self.assertIn("Your HubSpot account is linked", text)
        self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertEqual(headers["Referrer-Policy"], "no-referrer")

        exchange = self.hubspot.token_requests[-1]
        self.assertEqual(exchange["grant_type"], "authorization_code")
        self.assertEqual(exchange["redirect_uri"], query["redirect_uri"])
        self.assertEqual(self.hubspot.problems, [])

        account = self.account_of("hubspot", "hub-1")
        self.assertEqual(account["status"], "active")
        self.assertEqual(account["id"], account["id"])
        credentials = account["credentials"]
        self.assertEqual(sorted(credentials), ["access_token", "refresh_token"])
        self.assertTrue(credentials["access_token"]["set"])
        self.assertIn("expires_at", credentials["access_token"])

        # The state works once, and the link is used up.
        status, _, text = self.fetch(callback)
        self.assertEqual(status, 400)
        self.assertIn("cannot be finished", text)
        status, _, text = self.fetch(s["url"])
        self.assertEqual(status, 410)
        self.assertIn("already used", text)

        # Each step that changed something is in the account's logs, without the token.
        status, logs = self.api("GET", "/requests/logs?account_id=%s" % account["id"])
        sources = {(entry["path"], entry["source_type"]) for entry in logs["data"]}
        self.assertIn(("/connect/oauth2/{provider}/callback", "oauth_callback"), sources)

    def test_own_app_with_basic_authentication(self):
        account = self.link("pipedrive", "pipe-1")
        self.assertEqual(account["status"], "active")
        self.assertEqual(account["integration_id"], self.pipedrive_integration["id"])
        self.assertEqual(self.pipedrive.authorize_requests[-1]["client_id"], "own-pipedrive-client")
        self.assertNotIn("client_secret", self.pipedrive.token_requests[-1])
        self.assertEqual(self.pipedrive.problems, [])

    def test_account_fields_in_the_provider_url(self):
        integration = self.bamboo_integration["id"]
        s = self.session("bamboohr", "bamboo-1", integration)
        status, _, page = self.fetch(s["url"])
        self.assertEqual(status, 200)
        self.assertIn('<label for="f-subdomain">', page)
        status, _, page = self.fetch(s["url"], {"subdomain": ""})
        self.assertEqual(status, 400)
        self.assertIn("Company subdomain is required.", page)
        status, _, page = self.fetch(s["url"], {"subdomain": "acme/../evil"})
        self.assertEqual(status, 400)
        self.assertIn("may hold only letters, digits, dots and hyphens", page)
        self.assertIn('value="acme/../evil"', page)
        location, query = self.start(s["url"], {"subdomain": "globex"})
        self.assertTrue(location.startswith(self.bamboo.base + "/globex/authorize?"))
        self.assertEqual(query["scope"], "openid email offline_access")
        status, _, text = self.fetch(self.consent(location))
        self.assertEqual(status, 200, text)
        account = self.account_of("bamboohr", "bamboo-1")
        self.assertEqual(sorted(account["credentials"]),
                         ["access_token", "refresh_token", "subdomain"])
        self.assertEqual(self.bamboo.problems, [])

    def test_denied(self):
        s = self.session("hubspot", "hub-denied")
        location, _ = self.start(s["url"])
        self.hubspot.deny = True
        try:
            callback = self.consent(location)
        finally:
            self.hubspot.deny = False
        status, headers, text = self.fetch(callback)
        self.assertEqual(status, 403)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn("HubSpot did not give access", text)
        self.assertIn("The user said &lt;no&gt;.", text)
        # Nothing was linked; the link still works.
        status, _, _ = self.fetch(s["url"])
        self.assertEqual(status, 200)

    def test_bad_state(self):
        s = self.session("hubspot", "hub-state")
        location, query = self.start(s["url"])
        callback = self.server.url + "/connect/oauth2/hubspot/callback?"
        for q in ({"code": "c"}, {"code": "c", "state": "nonsense"},
                  {"code": "c", "state": s["id"] + ".wrong-random-part-of-the-state-00000000"}):
            status, headers, text = self.fetch(callback + urllib.parse.urlencode(q))
            self.assertEqual(status, 400, q)
            self.assertIn("This sign-in cannot be finished", text)
            self.assertEqual(headers["X-Frame-Options"], "DENY")
        # The state of HubSpot's sign-in does not finish another provider's.
        other = self.server.url + "/connect/oauth2/pipedrive/callback?" + urllib.parse.urlencode(
            {"code": "c", "state": query["state"]})
        status, _, _ = self.fetch(other)
        self.assertEqual(status, 400)

    def test_token_url_failure(self):
        s = self.session("hubspot", "hub-fail")
        location, _ = self.start(s["url"])
        callback = self.consent(location)
        self.hubspot.fail_token = True
        try:
            status, _, text = self.fetch(callback)
        finally:
            self.hubspot.fail_token = False
        self.assertEqual(status, 502)
        self.assertIn("HubSpot did not finish the sign-in", text)
        status, _, _ = self.fetch(s["url"])
        self.assertEqual(status, 200)

    def test_refresh(self):
        self.pipedrive.expires_in = 0
        try:
            account = self.link("pipedrive", "pipe-refresh")
        finally:
            self.pipedrive.expires_in = 3600
        before = account["credentials"]["access_token"]["hint"]
        status, refreshed = self.api("POST", "/accounts/%s/refresh" % account["id"])
        self.assertEqual(status, 200, refreshed)
        self.assertEqual(refreshed["status"], "active")
        self.assertNotEqual(refreshed["credentials"]["access_token"]["hint"], before)
        grant = self.pipedrive.token_requests[-1]
        self.assertEqual(grant["grant_type"], "refresh_token")
        self.assertIn(grant["refresh_token"], self.pipedrive.issued)
        self.assertEqual(self.pipedrive.problems, [])

        # A refresh token the provider refuses leaves the account expired, saying so.
        self.pipedrive.expires_in = 0
        try:
            account = self.link("pipedrive", "pipe-expire")
        finally:
            self.pipedrive.expires_in = 3600
        self.pipedrive.fail_refresh = True
        try:
            status, expired = self.api("POST", "/accounts/%s/refresh" % account["id"])
        finally:
            self.pipedrive.fail_refresh = False
        self.assertEqual(status, 200)
        self.assertEqual(expired["status"], "expired")
        self.assertEqual(expired["status_reasons"][0]["code"], "token_expired")
        self.assertIn("invalid_grant", expired["status_reasons"][0]["description"])
        status, _ = self.api("GET", "/integrations/%s" % self.pipedrive_integration["id"])
        self.assertEqual(status, 200)

    def test_platform_app_not_configured(self):
        # The demo's Google Drive uses the platform's app, which this server was not given.
        s = self.session("googledrive", "drive-1")
        status, _, text = self.fetch(s["url"], {})
        self.assertEqual(status, 503)
        self.assertIn("no OAuth app of its own for Google Drive", text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
