#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# End to end through AT-SPI, as a screen reader user would, against a demo server: from a
# BambooHR integration's ⋮ menu, Link Account… with an owner, an API key and a subdomain typed
# in; the account is Active. In its integration's linked accounts, its row's menu: Suspend (the
# server then refuses to act for it), Resume, Link Again… with a new key (the same account),
# Check Credentials, and Delete… confirmed. The server says each step happened.
#
#   e2e-accounts.py PLUGBOARD_EXECUTABLE    (inside build-aux/headless-session; needs
#                                            $PLUGBOARD_SERVER; $PB_SCREENSHOT_DIR: screenshots)
import base64
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_app  # noqa: E402
import e2e_atspi as atspi  # noqa: E402


def log(message):
    print("# " + message, flush=True)


class Server:
    def __init__(self, url, key):
        self.url = url
        self.key = key
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(self, method, path, body=None):
        """(status, answer) of a request; errors are answers too."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        token = base64.b64encode((self.key + ":").encode()).decode()
        request.add_header("Authorization", "Basic " + token)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with self.opener.open(request, timeout=10) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def get(self, path):
        status, answer = self.call("GET", path)
        if status != 200:
            raise atspi.Failed("GET %s answered %d" % (path, status))
        return answer


def screenshot(name):
    directory = os.environ.get("PB_SCREENSHOT_DIR")
    if directory:
        time.sleep(0.5)
        subprocess.run(["import", "-window", "root", os.path.join(directory, name)], check=False)


def click_menu_item(app, application, menu_button_name, item_name):
    menu = atspi.wait_for(repr(menu_button_name), lambda: next(
        (n for n in atspi.walk(application) if atspi.name(n) == menu_button_name
         and atspi.role(n) in ("push button", "toggle button")), None), app)
    atspi.activate(menu)
    item = atspi.wait_for("the menu item " + item_name, lambda: atspi.find(
        application, exact=item_name), app)
    atspi.activate(item)


def fill(app, window, label, text, roles=("text", "password text", "entry")):
    entry = atspi.wait_for("the field " + label, lambda: next(
        (n for n in atspi.walk(window) if atspi.role(n) in roles and atspi.name(n) == label),
        None), app)
    atspi.set_text(entry, text)


def press_link(app, application, title):
    dialog = atspi.wait_for("the dialog " + title, lambda: atspi.window(application, title), app)
    button = atspi.wait_for("its Link button to be sensitive", lambda: next(
        (n for n in atspi.walk(dialog) if atspi.role(n) == "push button"
         and atspi.name(n) == "Link" and n.get_state_set().contains(
             atspi.Atspi.StateType.SENSITIVE)), None), app)
    return dialog, button


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: e2e-accounts.py PLUGBOARD_EXECUTABLE")
    print("1..7", flush=True)

    process = subprocess.Popen([os.environ["PLUGBOARD_SERVER"], "demo", "--listen",
                                "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    app = None
    try:
        info = json.loads(process.stdout.readline())
        server = Server(info["url"], info["projects"][0]["admin_key"])

        # A BambooHR integration of the API Key type (made for the test when the demo has
        # none), named once.
        integrations = server.get("/integrations?page_size=1000")["data"]
        names = [i["name"] for i in integrations]
        bamboo = next((i for i in integrations if i["connector_key"] == "bamboohr"
                       and i["authentication_config_key"] == "api_key" and i["active"]
                       and names.count(i["name"]) == 1), None)
        if bamboo is None:
            status, bamboo = server.call("POST", "/integrations", {
                "connector_key": "bamboohr", "authentication_config_key": "api_key",
                "name": "BambooHR E2E accounts", "config": {}, "secrets": {}})
            if status != 201:
                raise atspi.Failed("the test's BambooHR integration was refused: %r" % bamboo)
        log("linking to %s (%s)" % (bamboo["name"], bamboo["id"]))

        env = dict(os.environ)
        env["PLUGBOARD_BACKEND_URL"] = server.url
        env["PLUGBOARD_API_KEY"] = server.key
        env["GIO_USE_PROXY_RESOLVER"] = "dummy"
        app = e2e_app.App(sys.argv[1], env)
        application = atspi.application(app)
        atspi.wait_for("the integrations", lambda: atspi.find(application, starts="Actions for "),
                       app)

        # 1. Link Account… from the integration's menu, values typed here.
        owner = "Aaron E2E " + uuid.uuid4().hex[:6]
        first_key = "bhr-" + uuid.uuid4().hex
        click_menu_item(app, application, "Actions for " + bamboo["name"], "Link Account…")
        dialog = atspi.wait_for("the Link Account dialog",
                                lambda: atspi.window(application, "Link Account"), app)
        fill(app, dialog, "Owner ID", "e2e-" + owner.split()[-1])
        fill(app, dialog, "Owner name", owner)
        fill(app, dialog, "API key", first_key)
        fill(app, dialog, "Company subdomain", "acme-e2e")
        screenshot("link-account.png")
        dialog, button = press_link(app, application, "Link Account")
        atspi.activate(button)
        atspi.wait_for("the dialog to close",
                       lambda: atspi.window(application, "Link Account") is None, app)

        def linked():
            data = server.get("/accounts?integration_id=%s&page_size=1000" % bamboo["id"])["data"]
            return next((a for a in data if a["origin_owner_name"] == owner), None)

        account = atspi.wait_for("the account on the server", linked, app)
        if account["status"] != "active":
            raise atspi.Failed("the new account is %s" % account["status"])
        hint = account.get("credentials", {}).get("api_key", {}).get("hint")
        if hint is None or not hint.endswith(first_key[-4:]):
            raise atspi.Failed("the server does not have the typed key (hint %r)" % hint)
        account_id = account["id"]
        print("ok 1 - linked a BambooHR account of %s with a key and a subdomain typed in"
              % owner, flush=True)

        # The integration's linked accounts: the row says Active.
        accounts_button = atspi.wait_for("the row's accounts button", lambda: atspi.find(
            application, role_name="push button", starts="Linked accounts of " + bamboo["name"]),
            app)
        atspi.activate(accounts_button)
        row_name = "Linked account of %s: " % owner
        atspi.wait_for("the account's row, Active",
                       lambda: atspi.find(application, exact=row_name + "Active"), app)
        screenshot("accounts-active.png")
        menu_name = "Actions for the linked account of " + owner

        # 2. Suspend: the server refuses to act for it.
        click_menu_item(app, application, menu_name, "Suspend")
        atspi.wait_for("the account suspended on the server", lambda: server.get(
            "/accounts/" + account_id)["status"] == "suspended", app)
        status, refused = server.call("POST", "/accounts/%s/refresh" % account_id, {})
        if status != 409 or refused.get("code") != "account_suspended":
            raise atspi.Failed("a suspended account was acted for: %d %r" % (status, refused))
        atspi.wait_for("the row to say Suspended",
                       lambda: atspi.find(application, exact=row_name + "Suspended"), app)
        screenshot("accounts-suspended.png")
        print("ok 2 - suspended; the server refuses requests for it (409 account_suspended)",
              flush=True)

        # 3. Resume.
        click_menu_item(app, application, menu_name, "Resume")
        atspi.wait_for("the account active on the server", lambda: server.get(
            "/accounts/" + account_id)["status"] == "active", app)
        atspi.wait_for("the row to say Active",
                       lambda: atspi.find(application, exact=row_name + "Active"), app)
        print("ok 3 - resumed", flush=True)

        # 4. Link Again… with a new key: the same account.
        second_key = "bhr-" + uuid.uuid4().hex
        click_menu_item(app, application, menu_name, "Link Again…")
        dialog = atspi.wait_for("the Link Account Again dialog",
                                lambda: atspi.window(application, "Link Account Again"), app)
        fill(app, dialog, "API key", second_key)
        fill(app, dialog, "Company subdomain", "acme-e2e")
        dialog, button = press_link(app, application, "Link Account Again")
        atspi.activate(button)
        atspi.wait_for("the dialog to close",
                       lambda: atspi.window(application, "Link Account Again") is None, app)

        def relinked():
            now = server.get("/accounts/" + account_id)
            hint = now.get("credentials", {}).get("api_key", {}).get("hint") or ""
            return now if hint.endswith(second_key[-4:]) else None

        now = atspi.wait_for("the new key on the same account", relinked, app)
        mine = server.get("/accounts?integration_id=%s&q=%s&page_size=1000"
                          % (bamboo["id"], urllib.request.quote(owner)))["data"]
        if now["status"] != "active" or len(mine) != 1:
            raise atspi.Failed("linking again made %d accounts, status %s"
                               % (len(mine), now["status"]))
        print("ok 4 - linked again with a new key: the same account id, active", flush=True)

        # 5. Check Credentials: the server checks them (a request log of the refresh).
        click_menu_item(app, application, menu_name, "Check Credentials")

        def checked():
            logs = server.get("/requests/logs?account_id=%s&page_size=1000" % account_id)["data"]
            return any(e["path"].endswith("/refresh") and e["status"] == 200 for e in logs)

        atspi.wait_for("the check on the server", checked, app)
        atspi.wait_for("the toast saying the credentials work", lambda: atspi.find(
            application, starts="The credentials of %s work" % owner), app)
        print("ok 5 - checked: the credentials work", flush=True)

        # 6. Delete…, confirmed: gone from the server and the list.
        click_menu_item(app, application, menu_name, "Delete…")

        def confirm_buttons():
            for window in atspi.children(application):
                if "Delete the Account of" not in atspi.name(window) and not atspi.find(
                        window, starts="Delete the Account of"):
                    continue
                buttons = [n for n in atspi.walk(window) if atspi.role(n) == "push button"
                           and atspi.name(n).split(" ")[-1] == "Delete"]
                if buttons:
                    return buttons
            return None

        buttons = atspi.wait_for("the question naming the account", confirm_buttons, app)
        screenshot("accounts-delete.png")
        # AdwMessageDialog has its buttons twice (side by side, stacked); one set is shown.
        for button in buttons:
            try:
                atspi.activate(button)
            except Exception:
                pass
        atspi.wait_for("the account gone from the server", lambda: server.call(
            "GET", "/accounts/" + account_id)[0] == 404, app)
        atspi.wait_for("the row gone", lambda: atspi.find(application, starts=row_name) is None,
                       app)
        print("ok 6 - deleted after the question", flush=True)

        problems = app.problems()
        if problems:
            raise atspi.Failed("the app logged: " + " | ".join(problems))
        print("ok 7 - the app logged no critical or warning", flush=True)
    except atspi.Failed as error:
        atspi.fail(app, error)
    finally:
        atspi.stop(app, process)


if __name__ == "__main__":
    main()
