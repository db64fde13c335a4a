#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# End to end, the way a person with a screen reader would: start the built app against a demo
# server, find an integration's row by its accessible name, open its ⋮ menu, choose Disable,
# confirm, and check on the server that its linked accounts are inactive. Then open a row's
# linked accounts, type a search, and press Escape: the first clears the search, the second
# goes back to the list.
#
#   e2e-disable.py PLUGBOARD_EXECUTABLE      (inside build-aux/headless-session; needs
#                                              $PLUGBOARD_SERVER and python3-pyatspi)
import base64
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pyatspi

import e2e_app

TIMEOUT = 30


def log(*args):
    print("#", *args, flush=True)


def api(url, key, path):
    request = urllib.request.Request(url + path)
    token = base64.b64encode((key + ":").encode()).decode()
    request.add_header("Authorization", "Basic " + token)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        return json.load(response)


APP = []   # the e2e_app.App under test, once started


def wait_for(what, check, timeout=TIMEOUT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if APP and APP[0].exited():
            raise SystemExit("not ok - %s while waiting for %s" % (APP[0].exited(), what))
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit("not ok - timed out waiting for " + what)


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def find_all(root, predicate, limit=20000):
    found = []
    stack = [root]
    seen = 0
    while stack and seen < limit:
        node = stack.pop()
        seen += 1
        try:
            if predicate(node):
                found.append(node)
            stack.extend(child for child in node if child is not None)
        except Exception:
            continue
    return found


def named(name, roles=None):
    def predicate(node):
        return node.name == name and (roles is None or node.getRoleName() in roles)
    return predicate


def showing(node):
    # GTK 4.8 does not keep STATE_SHOWING up to date; a virtualised list only has the rows
    # it shows in the tree anyway, and popovers and dialogs are there only while open.
    try:
        return not node.getState().contains(pyatspi.STATE_DEFUNCT)
    except Exception:
        return False


def n_actions(node):
    try:
        return node.queryAction().nActions
    except Exception:
        return 0


def click(node):
    # A GtkMenuButton is a push button holding the toggle button that acts.
    if n_actions(node) == 0:
        inner = find_all(node, lambda n: n is not node and n_actions(n) > 0)
        if not inner:
            raise SystemExit("not ok - %s %r cannot be activated" % (node.getRoleName(), node.name))
        node = inner[0]
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "press", "activate"):
            action.doAction(i)
            return
    action.doAction(0)


def dump(node, depth=0):
    if depth > 12:
        return
    try:
        log("  " * depth + "%s %r %r" % (node.getRoleName(), node.name, node.description))
        for child in node:
            if child is not None:
                dump(child, depth + 1)
    except Exception as error:
        log("  " * depth + "(%s)" % error)


def text_of(node):
    for candidate in [node] + find_all(node, lambda n: n is not node):
        try:
            text = candidate.queryText()
            return text.getText(0, text.characterCount)
        except Exception:
            continue
    return None


def press_key(keysym=0, text=None):
    if text is None:
        pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    else:
        pyatspi.Registry.generateKeyboardEvent(0, text, pyatspi.KEY_STRING)
    time.sleep(0.1)


def escape_in_view(accessible_app):
    def shown(name):
        return lambda: next((n for n in find_all(accessible_app, named(name)) if showing(n)),
                            None)

    # A row's accounts count opens that integration's linked accounts.
    def accounts_button():
        return next((n for n in find_all(accessible_app, lambda n: n.getRoleName() == "push button"
                                          and " account" in (n.name or "")) if showing(n)), None)

    click(wait_for("a row's accounts count", accounts_button))
    search = "Search linked accounts by owner or user name"
    entry = wait_for("the accounts view's search field", shown(search))
    # The view puts the focus in its search field when it opens: type there once it has it.
    wait_for("the focus in the search field", lambda: focused(entry))
    press_key(text="zz")
    wait_for("the typed search", lambda: text_of(entry) == "zz")
    press_key(0xff1b)   # Escape
    wait_for("Escape to clear the search", lambda: text_of(entry) == "")
    # GTK 4.8 leaves a hidden page's nodes in the tree without marking them; where the focus
    # is tells which page is shown: the view keeps it in its search field…
    time.sleep(0.5)
    if not focused(entry):
        raise SystemExit("not ok - the first Escape left the view instead of clearing the search")
    # … and going back to the list moves it there.
    press_key(0xff1b)
    wait_for("the second Escape to go back to the list", lambda: not focused(entry))


def focused(node):
    try:
        return node.getState().contains(pyatspi.STATE_FOCUSED)
    except Exception:
        return False


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: e2e-disable.py PLUGBOARD_EXECUTABLE")
    app_path = sys.argv[1]
    server_path = os.environ["PLUGBOARD_SERVER"]
    print("1..3", flush=True)

    server = subprocess.Popen([server_path, "demo", "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, text=True)
    app = None
    try:
        info = json.loads(server.stdout.readline())
        url = info["url"]
        key = info["projects"][0]["admin_key"]

        # An enabled integration with linked accounts, with a name no other one has.
        integrations = api(url, key, "/integrations?page_size=1000")["data"]
        names = [i["name"] for i in integrations]
        candidates = [i for i in integrations
                      if i["active"] and i["linked_accounts"]["total"] > 0
                      and names.count(i["name"]) == 1]
        if not candidates:
            raise SystemExit("not ok - the demo has no enabled integration with accounts")

        env = dict(os.environ)
        env["PLUGBOARD_BACKEND_URL"] = url
        env["PLUGBOARD_API_KEY"] = key
        env["GIO_USE_PROXY_RESOLVER"] = "dummy"
        app = e2e_app.App(app_path, env)
        APP.append(app)

        accessible_app = wait_for("the app on the accessibility bus", lambda: find_app(app.pid))
        log("found the app:", accessible_app.name)

        # The row's menu button is named after the integration ("Actions for …"); the list is
        # virtualised, so pick one whose row is on screen.
        def visible_target():
            for candidate in candidates:
                buttons = find_all(accessible_app,
                                   named("Actions for " + candidate["name"]))
                buttons = [b for b in buttons if showing(b)]
                if buttons:
                    return candidate, buttons[0]
            return None

        target, menu_button = wait_for("an integration row on screen", visible_target)
        log("disabling", target["name"], "with", target["linked_accounts"]["total"], "accounts")
        click(menu_button)

        disable = wait_for("the Disable item of the menu", lambda: next(
            (n for n in find_all(accessible_app, named("Disable")) if showing(n)), None))
        click(disable)

        # The warning names how many accounts become inactive; confirm with its Disable button.
        expected = "%d linked accounts will become inactive" % target["linked_accounts"]["total"]

        def confirm_button():
            dialogs = find_all(accessible_app, lambda n: n.getRoleName() in
                               ("dialog", "alert", "frame") and showing(n))
            for dialog in dialogs:
                texts = find_all(dialog, lambda n: expected in (n.name or "")
                                 or expected in (n.description or ""))
                labels = find_all(dialog, lambda n: n.getRoleName() == "label"
                                  and expected in (n.name or ""))
                if not texts and not labels:
                    continue
                # (GTK 4.8 names AdwMessageDialog's buttons "_Disable Disable".)
                buttons = find_all(dialog, lambda n: n.getRoleName() == "push button"
                                   and (n.name or "").split(" ")[-1] == "Disable")
                if buttons:
                    return buttons
            return None

        try:
            buttons = wait_for("the confirmation naming the accounts", confirm_button)
        except SystemExit:
            dump(accessible_app)
            raise
        # AdwMessageDialog has its buttons twice (side by side, stacked) and shows one set;
        # only the shown one reacts, so press both.
        for button in buttons:
            click(button)

        def all_inactive():
            accounts = api(url, key, "/accounts?page_size=1000&integration_id=" + target["id"])
            statuses = [a["status"] for a in accounts["data"]]
            return statuses and all(s == "inactive" for s in statuses) and len(statuses)

        n = wait_for("the accounts to be inactive on the server", all_inactive)
        integration = api(url, key, "/integrations/" + target["id"])
        if integration["active"]:
            raise SystemExit("not ok - the integration is still enabled on the server")
        print("ok 1 - disabled %s through its menu; %d accounts inactive" % (target["name"], n),
              flush=True)

        escape_in_view(accessible_app)
        print("ok 2 - Escape cleared the view's search, then went back to the list", flush=True)
        problems = app.problems()
        if problems:
            raise SystemExit("not ok 3 - the app logged: " + " | ".join(problems))
        print("ok 3 - the app logged no critical or warning", flush=True)
    finally:
        if app is not None:
            app.stop()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
