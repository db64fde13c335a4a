#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of "Add integration" through the accessibility tree (AT-SPI).

Starts a real `plugboard-server demo` on 127.0.0.1 and the built app pointed at it, then does
what an admin does with the keyboard and a screen reader: + → search "BambooHR" → pick →
"API Key" → no key or subdomain to type, the editor lists them as what the users will be
asked for → name → Save, and checks that the row appears under HRIS and that the server has
the integration with no end user's value.

Usage: e2e-add-bamboohr.py PLUGBOARD_BINARY  (PLUGBOARD_SERVER from the environment)
Runs inside build-aux/headless-session (Xvfb, D-Bus, AT-SPI bus, keyring).
"""

import base64
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import e2e_app  # noqa: E402

TIMEOUT = 30


def log(message):
    print("# " + message, flush=True)


DUMP_ROOT = []
APP = []   # the e2e_app.App under test, once started


def fail(message):
    # What the screen reader sees, to tell why (names only; no secret is ever in a name),
    # and the app's own log.
    if not (APP and APP[0].exited()):
        for root in DUMP_ROOT:
            dump(root)
    if APP:
        APP[0].problems()
    print("not ok 1 - add BambooHR end to end: " + message, flush=True)
    sys.exit(1)


def wait_for(what, predicate, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if APP and APP[0].exited():
            fail(APP[0].exited() + " while waiting for " + what)
        try:
            value = predicate()
        except gi.repository.GLib.Error:
            value = None
        if value:
            return value
        time.sleep(0.1)
    fail("timed out waiting for " + what)


def role_name(node):
    try:
        return node.get_role_name()
    except Exception:
        return ""


def children(node):
    try:
        count = node.get_child_count()
    except Exception:
        return []
    result = []
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except Exception:
            child = None
        if child is not None:
            result.append(child)
    return result


def is_visible(node):
    try:
        return node.get_state_set().contains(Atspi.StateType.VISIBLE)
    except gi.repository.GLib.Error:
        return False


def walk(node, depth=0, limit=60):
    # Only into what is shown: GTK 4.8 answers some questions about hidden widgets (closed
    # popovers, other stack pages) with a critical warning instead of an answer.
    if node is None or depth > limit:
        return
    yield node
    if depth > 0 and not is_visible(node):
        return
    for child in children(node):
        yield from walk(child, depth + 1, limit)


def find(root, role=None, name=None, name_contains=None, name_starts=None, showing=True):
    return next(find_all(root, role, name, name_contains, name_starts, showing), None)


def find_all(root, role=None, name=None, name_contains=None, name_starts=None, showing=True):
    for node in walk(root):
        try:
            node_name = node.get_name() or ""
        except Exception:
            continue
        if role is not None and role_name(node) != role:
            continue
        if name is not None and node_name != name:
            continue
        if name_contains is not None and name_contains not in node_name:
            continue
        if name_starts is not None and not node_name.startswith(name_starts):
            continue
        if showing:
            # GTK 4.8 sets VISIBLE on what is shown (SHOWING only on some roles).
            states = node.get_state_set()
            if not (states.contains(Atspi.StateType.VISIBLE)
                    or states.contains(Atspi.StateType.SHOWING)):
                continue
        yield node


def dump(root, depth=0):
    if depth > 0 and not is_visible(root):
        return
    for child in children(root):
        try:
            print("# " + "  " * depth + "%s %r" % (role_name(child), child.get_name()))
        except Exception:
            pass
        dump(child, depth + 1)


def do_action(node, wanted=None):
    count = node.get_n_actions()
    for i in range(count):
        if wanted is None or node.get_action_name(i) in wanted:
            return node.do_action(i)
    fail("%s %r has no action %r" % (role_name(node), node.get_name(), wanted))


def press(keysym):
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
    time.sleep(0.05)


def type_text(node, text):
    """Puts @text into an entry the way assistive technologies do (EditableText)."""
    try:
        node.grab_focus()
    except gi.repository.GLib.Error:
        pass  # GTK 4.8 does not implement Component.GrabFocus
    if "EditableText" in node.get_interfaces():
        if Atspi.EditableText.set_text_contents(node, text):
            time.sleep(0.2)
            return
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
    time.sleep(0.2)


def text_of(node):
    try:
        iface = node.get_text_iface()
        return iface.get_text(0, iface.get_character_count())
    except Exception:
        return None


def hris_count(node):
    """'HRIS, 7 integrations' → 7 (the sidebar row's accessible name)."""
    if node is None:
        return None
    try:
        return int(node.get_name().split(",")[1].split()[0])
    except (IndexError, ValueError):
        return None


def api_get(url, key, path):
    request = urllib.request.Request(url + path)
    token = base64.b64encode((key + ":").encode()).decode()
    request.add_header("Authorization", "Basic " + token)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def main():
    print("1..1", flush=True)
    app_binary = sys.argv[1]
    server_binary = os.environ["PLUGBOARD_SERVER"]

    server = subprocess.Popen([server_binary, "demo", "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    app = None
    try:
        info = json.loads(server.stdout.readline())
        url = info["url"]
        key = info["projects"][0]["admin_key"]
        if not url.startswith("http://127.0.0.1:"):
            fail("the server does not listen on 127.0.0.1")

        before = api_get(url, key, "/integrations?connector_key=bamboohr&page_size=1000")["data"]

        env = dict(os.environ)
        env["PLUGBOARD_BACKEND_URL"] = url
        env["PLUGBOARD_API_KEY"] = key
        app = e2e_app.App(app_binary, env)
        APP.append(app)

        desktop = Atspi.get_desktop(0)

        def find_app():
            for candidate in children(desktop):
                if app.exited():
                    fail(app.exited())
                try:
                    if candidate.get_process_id() == app.pid:
                        return candidate
                except Exception:
                    pass
            return None

        application = wait_for("the app on the accessibility bus", find_app)
        DUMP_ROOT.append(application)
        log("app found: %r" % application.get_name())

        # The main window has loaded the project: the + button is there.
        add = wait_for("the Add Integration button",
                       lambda: find(application, role="push button", name="Add Integration"))
        wait_for("the project to load",
                 lambda: find(application, name_contains="BambooHR"), timeout=TIMEOUT)
        hris_before = hris_count(wait_for("the HRIS category", lambda: find(
            application, role="list item", name_starts="HRIS, ")))
        do_action(add)

        # Windows are the application's children (AdwWindow shows as a frame or a filler).
        picker = wait_for("the connector picker",
                          lambda: next((w for w in children(application)
                                        if w.get_name() == "Add Integration"), None))
        search = wait_for("the search entry",
                          lambda: find(picker, name="Search connectors", role="text")
                          or find(picker, name="Search connectors", role="entry"))
        type_text(search, "BambooHR")
        wait_for("BambooHR in the list",
                 lambda: find(picker, name_contains="BambooHR, HRIS"))
        # Enter in the search entry (which has the focus) picks the first match.
        press(0xff0d)  # Return
        time.sleep(1)
        if all(w.get_name() != "New integration — BambooHR" for w in children(application)):
            log("Enter did not pick; activating the list row instead")
            row = find(picker, name_contains="BambooHR, HRIS")
            item = row.get_parent()
            do_action(item if item.get_n_actions() > 0 else row)

        editor = wait_for("the editor",
                          lambda: next((w for w in children(application)
                                        if w.get_name() == "New integration — BambooHR"), None))
        log("editor open")

        auth = wait_for("the auth type drop-down",
                        lambda: find(editor, role="combo box", name_starts="Auth type"))
        # "API Key" is chosen when no client ID is asked for; otherwise choose it.
        if find(editor, role="text", name_starts="Client ID") is not None:
            do_action(auth)  # opens the list
            item = wait_for("API Key in the list", lambda: find(application, name="API Key",
                                                                role="list item"))
            do_action(item)
            wait_for("the OAuth fields to go",
                     lambda: find(editor, role="text", name_starts="Client ID") is None)
        # The end user's key and subdomain are listed, not asked for.
        wait_for("what the users will be asked for",
                 lambda: find(editor, name="Your users will be asked for"))
        for label in ("API key", "Company subdomain"):
            wait_for(label + " among what the users enter",
                     lambda: find(editor, name_starts=label, role="list item")
                     or find(editor, name_starts=label, role="label"))
            if (find(editor, role="text", name_starts=label) is not None
                    or find(editor, role="password text", name_starts=label) is not None):
                fail(label + " is asked of the admin")
        name_entry = wait_for("the name entry",
                              lambda: find(editor, role="text", name_starts="Name"))

        name = "BambooHR E2E " + uuid.uuid4().hex[:6]
        type_text(name_entry, name)

        save = wait_for("Save to become sensitive",
                        lambda: (lambda b: b if b is not None and b.get_state_set().contains(
                            Atspi.StateType.SENSITIVE) else None)(
                                find(editor, role="push button", name_contains="Save")))
        do_action(save)
        wait_for("the editor to close",
                 lambda: all(w.get_name() != "New integration — BambooHR"
                             for w in children(application)))

        # The row appears under HRIS in the main window: the category counts one more,
        # and with HRIS chosen in the sidebar the row is listed.
        # (A rebuilt sidebar can leave its old rows in GTK 4.8's accessibility tree, unmarked:
        # look at every HRIS row, not only the first.)
        def hris_counting_it():
            return next((n for n in find_all(application, role="list item", name_starts="HRIS, ")
                         if hris_count(n) == hris_before + 1), None)

        hris = wait_for("HRIS to count the new integration", hris_counting_it)
        if hris.get_n_actions() > 0:
            do_action(hris)
        wait_for("the new row", lambda: find(application, name_starts=name + ", BambooHR"))
        log("row shown under HRIS (%d → %d)" % (hris_before, hris_before + 1))

        # The server has it, without any end user's value.
        after = api_get(url, key, "/integrations?connector_key=bamboohr&page_size=1000")["data"]
        created = [i for i in after if i["name"] == name]
        if len(after) != len(before) + 1 or len(created) != 1:
            fail("the server does not have the new integration")
        created = created[0]
        if created["authentication_config_key"] != "api_key":
            fail("the integration does not use the API Key type")
        if created["secrets"] or created["config"]:
            fail("the integration holds values: %r, %r" % (list(created["config"]),
                                                           list(created["secrets"])))
        if "hris" not in created["categories"]:
            fail("the integration is not in HRIS")

        problems = app.problems()
        if problems:
            fail("the app logged: " + " | ".join(problems))
        print("ok 1 - add BambooHR end to end", flush=True)
    finally:
        if app is not None:
            app.stop()
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
