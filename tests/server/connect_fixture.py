# SPDX-License-Identifier: GPL-3.0-or-later
"""What the connect-page tests share: a small OAuth 2.0 provider on the loopback, a catalog
whose OAuth types point at it, and a real plugboard-server (demo) started on them.

The provider implements the authorization code grant (RFC 6749, 4.1) and refreshing (6) and
checks what the server sends: the authorize redirect's query, the code exchange and the
client's authentication. What it found wrong is in Provider.problems."""

import base64
import http.server
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request

import pg_cluster

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Provider:
    """An OAuth 2.0 provider for one client. auth_method: client_secret_post or
    client_secret_basic. Set deny to refuse consent, fail_token to fail the token URL,
    fail_refresh to refuse refresh tokens, expires_in for the tokens it gives."""

    def __init__(self, client_id, client_secret, auth_method="client_secret_post",
                 expected_scope=None):
        self.client_id = client_id
        self.client_secret = client_secret
        self.auth_method = auth_method
        self.expected_scope = expected_scope
        self.deny = False
        self.fail_token = False
        self.fail_refresh = False
        self.expires_in = 3600
        self.codes = {}
        self.refresh_tokens = set()
        self.authorize_requests = []
        self.token_requests = []
        self.problems = []
        self.issued = []      # every token it gave, to look for in what the server shows
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                if url.path.endswith("/authorize"):
                    provider._authorize(self, urllib.parse.parse_qs(url.query))
                else:
                    self.send_error(404)

            def do_POST(self):
                url = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                if url.path.endswith("/token"):
                    provider._token(self, body)
                else:
                    self.send_error(404)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def _problem(self, text):
        self.problems.append(text)

    def _authorize(self, handler, query):
        single = {k: v[0] for k, v in query.items()}
        self.authorize_requests.append(single)
        for k, v in query.items():
            if len(v) != 1:
                self._problem("authorize: %s given %d times" % (k, len(v)))
        if single.get("response_type") != "code":
            self._problem("authorize: response_type is %r" % single.get("response_type"))
        if single.get("client_id") != self.client_id:
            self._problem("authorize: client_id is %r" % single.get("client_id"))
        if not single.get("state") or len(single["state"]) < 32:
            self._problem("authorize: state %r is missing or short" % single.get("state"))
        if self.expected_scope is not None and single.get("scope") != self.expected_scope:
            self._problem("authorize: scope is %r" % single.get("scope"))
        redirect = single.get("redirect_uri", "")
        if not redirect.endswith("/callback"):
            self._problem("authorize: redirect_uri is %r" % redirect)
            handler.send_error(400)
            return
        if self.deny:
            answer = {"error": "access_denied", "error_description": "The user said <no>.",
                      "state": single.get("state", "")}
        else:
            code = "code-" + secrets.token_urlsafe(16)
            self.codes[code] = single
            answer = {"code": code, "state": single.get("state", "")}
        handler.send_response(302)
        handler.send_header("Location", redirect + "?" + urllib.parse.urlencode(answer))
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _client_ok(self, handler, form):
        header = handler.headers.get("Authorization")
        if self.auth_method == "client_secret_basic":
            expected = "Basic " + base64.b64encode(
                ("%s:%s" % (urllib.parse.quote(self.client_id, safe=""),
                            urllib.parse.quote(self.client_secret, safe=""))).encode()).decode()
            if header != expected:
                self._problem("token: Basic authentication missing or wrong")
                return False
            if "client_secret" in form:
                self._problem("token: client_secret in the form as well as in Basic")
                return False
            return True
        if header is not None:
            self._problem("token: an Authorization header with client_secret_post")
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            self._problem("token: client_id or client_secret wrong in the form")
            return False
        return True

    def _answer(self, handler, status, body):
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Cache-Control", "no-store")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _tokens(self):
        access = "access-" + secrets.token_urlsafe(16)
        refresh = "refresh-" + secrets.token_urlsafe(16)
        self.refresh_tokens.add(refresh)
        self.issued += [access, refresh]
        return {"access_token": access, "token_type": "Bearer", "expires_in": self.expires_in,
                "refresh_token": refresh}

    def _token(self, handler, body):
        if handler.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
            self._problem("token: Content-Type is %r" % handler.headers.get("Content-Type"))
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
        self.token_requests.append(form)
        if self.fail_token:
            self._answer(handler, 500, {"error": "server_error"})
            return
        if not self._client_ok(handler, form):
            self._answer(handler, 401, {"error": "invalid_client"})
            return
        grant = form.get("grant_type")
        if grant == "authorization_code":
            asked = self.codes.pop(form.get("code"), None)
            if asked is None:
                self._problem("token: unknown or reused code")
                self._answer(handler, 400, {"error": "invalid_grant"})
                return
            if form.get("redirect_uri") != asked.get("redirect_uri"):
                self._problem("token: redirect_uri %r differs from the authorize request's"
                              % form.get("redirect_uri"))
                self._answer(handler, 400, {"error": "invalid_grant"})
                return
            self._answer(handler, 200, self._tokens())
        elif grant == "refresh_token":
            token = form.get("refresh_token")
            if self.fail_refresh or token not in self.refresh_tokens:
                self._answer(handler, 400, {"error": "invalid_grant"})
                return
            self.refresh_tokens.discard(token)
            self._answer(handler, 200, self._tokens())
        else:
            self._problem("token: grant_type %r" % grant)
            self._answer(handler, 400, {"error": "unsupported_grant_type"})


def catalog_with(providers, directory):
    """A copy of the source catalog where each (connector, auth type key) of @providers
    ({(provider, key): (Provider, path prefix)}) signs in at that provider on the loopback."""
    path = os.environ.get("PLUGBOARD_CATALOG") or os.path.join(SOURCE, "data", "catalog",
                                                               "connectors.json")
    with open(path) as f:
        catalog = json.load(f)
    for connector in catalog["connectors"]:
        for auth in connector["auth_types"]:
            wanted = providers.get((connector["provider"], auth["key"]))
            if wanted is None:
                continue
            provider, prefix = wanted
            auth["authorize_url"] = provider.base + prefix + "/authorize"
            auth["token_url"] = provider.base + prefix + "/token"
            auth["token_auth"] = provider.auth_method
    out = os.path.join(directory, "catalog.json")
    with open(out, "w") as f:
        json.dump(catalog, f)
    return out


class Server:
    """plugboard-server demo on the loopback with @args; the debug log is kept in .log."""

    def __init__(self, directory, args):
        binary = os.environ.get("PLUGBOARD_SERVER") or os.path.join(SOURCE, "_build", "src",
                                                                    "server", "plugboard-server")
        env = dict(os.environ, G_MESSAGES_DEBUG="all")
        self.err_path = os.path.join(directory, "server.err")
        self.err = open(self.err_path, "w")
        db = pg_cluster.database_args(os.path.join(directory, "demo.db"))
        self.process = subprocess.Popen([binary, "demo", "--listen", "127.0.0.1:0"] + db + args,
                                        stdout=subprocess.PIPE, stderr=self.err, env=env,
                                        text=True)
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("plugboard-server did not start: " + open(self.err_path).read())
        info = json.loads(line)
        self.url = info["url"]
        self.admin = info["projects"][0]["admin_key"]

    def stop(self):
        """Stops it; what it wrote to stderr is in .log (printed when it had stopped itself)."""
        died = self.process.poll()
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stdout.close()
        self.err.close()
        with open(self.err_path) as f:
            self.log = f.read()
        if died is not None:
            sys.stderr.write("plugboard-server stopped by itself (%d):\n%s\n"
                             % (died, self.log[-4000:]))

    def api(self, method, path, body=None, key=None):
        """(status, JSON or None) of an admin API request."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + (key or self.admin))
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                text = answer.read().decode()
                return answer.status, json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            text = e.read().decode()
            return e.code, json.loads(text) if text else None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirect)


def fetch(url, form=None):
    """(status, headers, text) of a browser-like request, without following redirects."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with _opener.open(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def temp_dir():
    return tempfile.mkdtemp(prefix="pb-test-connect-")


def remove(directory):
    shutil.rmtree(directory, ignore_errors=True)
