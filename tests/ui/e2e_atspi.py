# SPDX-License-Identifier: GPL-3.0-or-later
#
# Walking the app's accessibility tree (Atspi through gi), for the end-to-end tests that use
# it: the app on the bus, its shown nodes, a node by role and name, waiting with a timeout,
# and ending the test (failing it, stopping the app and the demo server).

import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

TIMEOUT = 30


class Failed(Exception):
    """The test cannot go on; the message says what it waited for."""


def fail(app, error):
    """Ends the test on @error (a Failed), with the app's log (if it started) on stderr."""
    if app is not None:
        app.problems()
    print("not ok - %s" % error, flush=True)
    sys.exit(1)


def stop(app, server):
    """Stops the app (if it started) and the demo server it talked to."""
    if app is not None:
        app.stop()
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def children(node):
    try:
        count = node.get_child_count()
    except GLib.Error:
        return []
    out = []
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except GLib.Error:
            child = None
        if child is not None:
            out.append(child)
    return out


def visible(node):
    try:
        return node.get_state_set().contains(Atspi.StateType.VISIBLE)
    except GLib.Error:
        return False


def walk(node, depth=0):
    """node and every node under it that is visible (GTK 4.8 keeps hidden pages' nodes)."""
    yield node
    if depth > 60:
        return
    for child in children(node):
        if visible(child):
            yield from walk(child, depth + 1)


def role(node):
    try:
        return node.get_role_name()
    except GLib.Error:
        return ""


def name(node):
    try:
        return node.get_name() or ""
    except GLib.Error:
        return ""


def find(root, role_name=None, exact=None, starts=None, last_word=None):
    """The first shown node under root with that role and name. last_word: GTK 4.8 names a
    button with a mnemonic "_Abbrechen Abbrechen"."""
    for node in walk(root):
        if role_name is not None and role(node) != role_name:
            continue
        node_name = name(node)
        if exact is not None and node_name != exact:
            continue
        if starts is not None and not node_name.startswith(starts):
            continue
        if last_word is not None and node_name.split(" ")[-1] != last_word:
            continue
        return node
    return None


def window(application, title):
    return next((w for w in children(application) if name(w) == title), None)


def n_actions(node):
    try:
        return node.get_n_actions()
    except GLib.Error:
        return 0


def activate(node):
    """Clicks a button; a GtkMenuButton is a push button holding the toggle button that acts."""
    acting = node if n_actions(node) > 0 else next(
        (n for n in walk(node) if n_actions(n) > 0), None)
    if acting is None:
        raise Failed("%r cannot be activated" % name(node))
    acting.do_action(0)


def press(keysym):
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
    time.sleep(0.1)


def set_text(node, text):
    Atspi.EditableText.set_text_contents(node, text)


def wait_for(what, check, app, timeout=TIMEOUT):
    """check()'s first true value; fails when the app (an e2e_app.App) ends meanwhile."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if app.exited():
            raise Failed("%s while waiting for %s" % (app.exited(), what))
        try:
            value = check()
        except GLib.Error:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise Failed("timed out waiting for " + what)


def application(app):
    """The app's node on the accessibility bus."""
    def find_app():
        for candidate in children(Atspi.get_desktop(0)):
            try:
                if candidate.get_process_id() == app.pid:
                    return candidate
            except GLib.Error:
                continue
        return None
    return wait_for("the app on the accessibility bus", find_app, app)


def label_text(node):
    try:
        return Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node))
    except GLib.Error:
        return None
