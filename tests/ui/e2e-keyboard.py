#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Without a pointer: drives the main window with key presses only (synthesized by the X
# server's XTEST extension through AT-SPI's registry; no click, no AT-SPI action). From launch
# it tabs to an integration's row and to its switch and toggles it with Space, goes down to a
# non-default integration and makes it the default from the row's menu (Menu key), opens an
# editor with Enter and saves a new name with Ctrl+S, and deletes a deletable integration with
# Delete. After each step it asks the plugboard-server what changed. Where the keyboard is
# when it acts is read from the accessibility tree (the focused node), never acted on.
#
#   e2e-keyboard.py PLUGBOARD_EXECUTABLE   (inside build-aux/headless-session; needs
#                                           $PLUGBOARD_SERVER and python3-gi's Atspi)
# With $PB_SCREENSHOT_DIR set, it saves the screen with the focus on a row and on its switch.
import base64
import gi
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_app  # noqa: E402
import e2e_atspi as atspi  # noqa: E402

TAB, RETURN, SPACE, DOWN, MENU, DELETE, END = (0xff09, 0xff0d, 0x20, 0xff54, 0xff67, 0xffff,
                                               0xff57)
CONTROL_MASK = 1 << 2


def log(message):
    print("# " + message, flush=True)


class Server:
    def __init__(self, url, key):
        self.url, self.key = url, key

    def get(self, path):
        request = urllib.request.Request(self.url + path)
        token = base64.b64encode((self.key + ":").encode()).decode()
        request.add_header("Authorization", "Basic " + token)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as response:
            return json.load(response)

    def integrations(self):
        return {i["id"]: i for i in self.get("/integrations?page_size=1000")["data"]}


def key(keysym):
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
    time.sleep(0.25)


def control(keysym):
    Atspi.generate_keyboard_event(CONTROL_MASK, None, Atspi.KeySynthType.LOCKMODIFIERS)
    try:
        key(keysym)
    finally:
        Atspi.generate_keyboard_event(CONTROL_MASK, None, Atspi.KeySynthType.UNLOCKMODIFIERS)
    time.sleep(0.25)


def type_text(text):
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
    time.sleep(0.3)


def focused(root):
    """The focused node of the window in front, the last one opened (a window behind keeps
    its focused node)."""
    windows = [w for w in atspi.children(root) if atspi.visible(w)] or [root]
    for node in atspi.walk(windows[-1]):
        try:
            if node.get_state_set().contains(Atspi.StateType.FOCUSED):
                return node
        except GLib.Error:
            continue
    return None


def describe(node):
    return "nothing" if node is None else "%s %r" % (atspi.role(node), atspi.name(node))


class Keyboard:
    def __init__(self, app, application, server):
        self.app, self.application, self.server = app, application, server

    def wait_for(self, what, check, timeout=atspi.TIMEOUT):
        return atspi.wait_for(what, check, self.app, timeout)

    def focus(self):
        return focused(self.application)

    def focus_is(self, what, check, timeout=5):
        """Waits for the focus to satisfy check(node); fails saying where it is."""
        try:
            return self.wait_for(what, lambda: (lambda n: n if n is not None and check(n)
                                                else None)(self.focus()), timeout)
        except atspi.Failed:
            raise atspi.Failed("the focus on %s, not on %s" % (describe(self.focus()), what))

    def press_until(self, keysym, what, check, limit):
        for _ in range(limit):
            node = self.focus()
            if node is not None and check(node):
                return node
            key(keysym)
        return self.focus_is(what, check)

    def screenshot(self, name):
        directory = os.environ.get("PB_SCREENSHOT_DIR")
        if directory:
            time.sleep(0.5)
            subprocess.run(["import", "-window", "root", os.path.join(directory, name)],
                           check=False)

    def changed(self, before, what, check):
        """Waits for the server's integrations to differ from before as check(after) says."""
        def done():
            after = self.server.integrations()
            return after if check(after) else None
        return self.wait_for(what + " on the server", done)


def is_row(node):
    return atspi.role(node) == "panel" and "," in atspi.name(node)


def row_of(integration):
    prefix = integration["name"] + ", "
    return lambda node: is_row(node) and atspi.name(node).startswith(prefix)


def confirm(kb, response):
    """An AdwMessageDialog has the focus on Cancel: Tab to @response and press Space."""
    kb.press_until(TAB, "the dialog's %s button" % response,
                   lambda n: atspi.role(n) == "push button" and atspi.name(n) == response, 6)
    key(SPACE)


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: e2e-keyboard.py PLUGBOARD_EXECUTABLE")
    print("1..5", flush=True)

    server_process = subprocess.Popen([os.environ["PLUGBOARD_SERVER"], "demo", "--listen",
                                       "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    app = None
    try:
        info = json.loads(server_process.stdout.readline())
        server = Server(info["url"], info["projects"][0]["admin_key"])
        names = [i["name"] for i in server.integrations().values()]

        env = dict(os.environ)
        env["PLUGBOARD_BACKEND_URL"] = server.url
        env["PLUGBOARD_API_KEY"] = server.key
        env["GIO_USE_PROXY_RESOLVER"] = "dummy"
        app = e2e_app.App(sys.argv[1], env)
        application = atspi.application(app)
        kb = Keyboard(app, application, server)
        kb.wait_for("the integrations", lambda: atspi.find(application, starts="Actions for "))
        time.sleep(1)

        # 1. Tab from launch to the first row, on to its switch; Space toggles it.
        row = kb.press_until(TAB, "an integration's row", is_row, 40)
        log("on the row " + atspi.name(row))
        kb.screenshot("focus-row.png")
        before = server.integrations()
        switch = kb.press_until(TAB, "the row's switch",
                                lambda n: atspi.name(n).startswith("Enable "), 4)
        kb.screenshot("focus-switch.png")
        target = next(i for i in before.values() if row_of(i)(row))
        log("toggling %s (%s)" % (atspi.name(switch), "on" if target["active"] else "off"))
        key(SPACE)
        if target["active"] and target["linked_accounts"]["total"] > 0:
            kb.wait_for("the question before disabling", lambda: any(
                atspi.role(w) in ("dialog", "alert") or "Disable" in atspi.name(w)
                for w in atspi.children(application) if atspi.name(w) != "Plugboard"))
            confirm(kb, "Disable")
        kb.changed(before, "the switch's change", lambda after: after[target["id"]]["active"]
                   != target["active"] and all(after[i]["active"] == before[i]["active"]
                                               for i in before if i != target["id"]))
        print("ok 1 - Tab reached %s's switch; Space %s it"
              % (target["name"], "disabled" if target["active"] else "enabled"), flush=True)

        # 2. Down to a non-default integration of a connector with several; its menu (the Menu
        # key) makes it the default.
        before = server.integrations()
        per_connector = {}
        for i in before.values():
            per_connector[i["connector_key"]] = per_connector.get(i["connector_key"], 0) + 1
        candidates = [i for i in before.values() if not i["default"]
                      and per_connector[i["connector_key"]] > 1 and names.count(i["name"]) == 1]
        target = None
        for _ in range(120):
            key(DOWN)
            node = kb.focus()
            target = next((c for c in candidates if node is not None and row_of(c)(node)), None)
            if target is not None:
                break
        if target is None:
            raise atspi.Failed("Down never reached a non-default integration (the focus on %s)"
                               % describe(kb.focus()))
        key(MENU)
        kb.press_until(DOWN, "the menu's Make Default",
                       lambda n: atspi.name(n).replace("_", "") == "Make Default", 12)
        key(RETURN)
        kb.changed(before, "the new default", lambda after: after[target["id"]]["default"])
        print("ok 2 - the Menu key opened %s's menu; Make Default made it the default"
              % target["name"], flush=True)

        # 3. Enter opens the row's editor; a new name, saved with Ctrl+S.
        kb.focus_is("the row again", row_of(target), timeout=10)
        key(RETURN)
        editor = kb.wait_for("the editor", lambda: next(
            (w for w in atspi.children(application)
             if atspi.name(w).startswith("Edit ")), None))
        # The editor opens with the focus in its Name field (GTK 4.8 tells AT-SPI nothing
        # about the focus inside an entry row: what is typed there says where it is).
        name_field = kb.wait_for("the editor's Name field", lambda: atspi.find(
            editor, "text", exact="Name"))
        kb.wait_for("the name in the Name field",
                    lambda: atspi.label_text(name_field) == target["name"])
        key(END)
        type_text(" kbd")
        kb.wait_for("the typed name in the Name field",
                    lambda: atspi.label_text(name_field) == target["name"] + " kbd", 5)
        control(ord("s"))
        kb.wait_for("the editor to close", lambda: editor not in atspi.children(application))
        kb.changed(before, "the new name",
                   lambda after: after[target["id"]]["name"] == target["name"] + " kbd")
        print("ok 3 - Enter opened the editor; Ctrl+S saved the new name", flush=True)
        renamed = dict(target, name=target["name"] + " kbd")
        kb.focus_is("the edited row, back in the main window", row_of(renamed), timeout=10)

        # 4. Down to a deletable integration; Delete asks, Tab and Space confirm.
        before = server.integrations()
        names = [i["name"] for i in before.values()]
        per_connector = {}
        for i in before.values():
            per_connector[i["connector_key"]] = per_connector.get(i["connector_key"], 0) + 1
        deletable = [i for i in before.values() if i["linked_accounts"]["total"] == 0
                     and (not i["default"] or per_connector[i["connector_key"]] == 1)
                     and names.count(i["name"]) == 1]
        target = None
        for keysym in [DOWN] * 40 + [0xff52] * 80:   # then Up
            node = kb.focus()
            target = next((c for c in deletable if node is not None and row_of(c)(node)), None)
            if target is not None:
                break
            key(keysym)
        if target is None:
            raise atspi.Failed("the arrows never reached a deletable integration")
        key(DELETE)
        kb.wait_for("the question before deleting", lambda: atspi.find(
            application, starts="Delete “%s”" % target["name"]))
        confirm(kb, "Delete")

        def gone(after):
            return target["id"] not in after and len(after) == len(before) - 1
        kb.changed(before, "the deletion", gone)
        print("ok 4 - Delete asked, the keyboard confirmed: %s is gone" % target["name"],
              flush=True)

        problems = app.problems()
        if problems:
            print("not ok 5 - the app logged: " + " | ".join(problems), flush=True)
            sys.exit(1)
        print("ok 5 - the app logged no critical or warning", flush=True)
    except (atspi.Failed, urllib.error.URLError, StopIteration) as error:
        if app is not None:
            app.problems()
        print("not ok - %s" % (error or "no integration matched the focused row"), flush=True)
        sys.exit(1)
    finally:
        if app is not None:
            app.stop()
        server_process.terminate()
        try:
            server_process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server_process.kill()


if __name__ == "__main__":
    main()
