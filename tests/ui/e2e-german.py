#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The whole UI in German, as a screen reader reads it: starts the built app with LANGUAGE=de
# against a demo server, walks every shown accessible of the main window, the connector
# picker, the editor (adding BambooHR) and Preferences, and fails on any English sentence left.
#
# What counts as English: a name, description or label text that reads as a message of
# po/de.po in English while its German translation differs, the message's placeholders
# (%s, %u, …) matching anything. What the backend and the catalog say (connector and
# integration names, auth types, field labels and descriptions, project names) is the
# project's data, not the app's sentences: a text that is such a string is not checked.
#
#   e2e-german.py PLUGBOARD_EXECUTABLE PO_FILE   (inside build-aux/headless-session, with
#                                                $PLUGBOARD_SERVER, $PLUGBOARD_CATALOG and
#                                                $PLUGBOARD_LOCALEDIR)
import base64
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_app  # noqa: E402
import e2e_atspi as atspi  # noqa: E402


def log(message):
    print("# " + message, flush=True)


# The catalogue

def read_po(path):
    """[(msgids, msgstrs)] of the translated messages of a .po file (msgids: singular and
    plural; obsolete entries left out)."""
    entries = []
    current = {}
    key = None

    def flush():
        if current.get("msgid"):
            ids = [current["msgid"]] + ([current["msgid_plural"]]
                                        if "msgid_plural" in current else [])
            strs = [v for k, v in sorted(current.items()) if k.startswith("msgstr")]
            entries.append((ids, strs))

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("#") or not line:
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if m:
                if m.group(1) in ("msgctxt", "msgid") and "msgstr" in "".join(current):
                    flush()
                    current = {}
                key = m.group(1)
                current[key] = unescape(m.group(2))
            elif line.startswith('"') and key is not None:
                current[key] += unescape(line[1:-1])
    flush()
    return entries


def unescape(s):
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), m.group(0)), s)


PLACEHOLDER = re.compile(r"%(?:\d+\$)?[-#0 +']*\d*(?:\.\d+)?(?:hh|h|ll|l|z)?[sdiufxXc]"
                         r"|%<PRI[a-zA-Z0-9]+>")


def pattern(message):
    """A regex that matches what the app shows for message: placeholders match anything, the
    mnemonic underscore is gone (the text compared has none either)."""
    parts = PLACEHOLDER.split(message.replace("_", ""))
    return re.compile("^" + "(.+?)".join(re.escape(p) for p in parts) + "$", re.S)


def english_patterns(po_path):
    """(English pattern, German patterns, msgid) for each message whose translation differs.
    A message with nothing but placeholders and punctuation says nothing in English."""
    found = []
    for ids, strs in read_po(po_path):
        if not any(strs) or all(s in ids for s in strs):
            continue
        german = [pattern(s) for s in strs]
        for msgid in ids:
            if not re.search(r"[A-Za-z]{2}", PLACEHOLDER.sub("", msgid)):
                continue
            if msgid in strs:
                continue
            found.append((pattern(msgid), german, msgid))
    return found


# The project's data

def strings_in(value, into):
    if isinstance(value, str):
        into.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            strings_in(v, into)
    elif isinstance(value, list):
        for v in value:
            strings_in(v, into)
    return into


def api(url, key, path):
    request = urllib.request.Request(url + path)
    token = base64.b64encode((key + ":").encode()).decode()
    request.add_header("Authorization", "Basic " + token)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        return json.load(response)


# The accessibility tree

def texts(root):
    """(role, text) of every shown name, description and label text under root; what people
    type into entries is theirs, not the app's."""
    for node in atspi.walk(root):
        try:
            values = [node.get_name(), node.get_description()]
        except GLib.Error:
            continue
        role = atspi.role(node)
        if role == "label":
            values.append(atspi.label_text(node))
        for value in values:
            if value:
                yield role, value


class Checker:
    def __init__(self, po_path, data):
        self.patterns = english_patterns(po_path)
        self.data = data
        self.checked = 0
        self.english = {}

    def check(self, where, root):
        for role, text in texts(root):
            self.checked += 1
            shown = text.replace("_", "")
            if text in self.data:
                continue
            for english, german, msgid in self.patterns:
                if english.match(shown) and not any(g.match(shown) for g in german):
                    self.english.setdefault((where, text), (role, msgid))
                    break

    def report(self, number, where, title=None):
        title = title or where
        bad = [(t, r, m) for (w, t), (r, m) in self.english.items() if w == where]
        if bad:
            print("not ok %d - %s: %d English text(s)" % (number, title, len(bad)), flush=True)
            for text, role, msgid in bad:
                print("#   %s %r (the message %r)" % (role, text, msgid), flush=True)
            return False
        print("ok %d - %s: no English left" % (number, title), flush=True)
        return True


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: e2e-german.py PLUGBOARD_EXECUTABLE PO_FILE")
    app_path, po_path = sys.argv[1:]
    print("1..5", flush=True)

    server = subprocess.Popen([os.environ["PLUGBOARD_SERVER"], "demo", "--listen",
                               "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    app = None
    try:
        info = json.loads(server.stdout.readline())
        url, key = info["url"], info["projects"][0]["admin_key"]
        data = strings_in(info, set())
        strings_in(api(url, key, "/integrations?page_size=1000"), data)
        with open(os.environ["PLUGBOARD_CATALOG"], encoding="utf-8") as f:
            strings_in(json.load(f), data)
        checker = Checker(po_path, data)
        log("%d messages to look for, %d strings of data" % (len(checker.patterns), len(data)))

        env = dict(os.environ)
        env["LANGUAGE"] = "de"
        if env.get("LANG", "C") in ("", "C", "POSIX"):
            env["LANG"] = "C.UTF-8"    # gettext ignores LANGUAGE in the C locale
        env["PLUGBOARD_BACKEND_URL"] = url
        env["PLUGBOARD_API_KEY"] = key
        env["GIO_USE_PROXY_RESOLVER"] = "dummy"
        app = e2e_app.App(app_path, env)
        application = atspi.application(app)

        def wait_for(what, check):
            return atspi.wait_for(what, check, app)

        # The rows are there once the project is loaded ("Actions for …" in German).
        wait_for("the integrations, in German",
                 lambda: atspi.find(application, starts="Aktionen für "))
        time.sleep(0.5)
        checker.check("main window", application)
        # A row's ⋮ menu too (its items, and why Delete is not offered where it is not).
        atspi.activate(atspi.find(application, starts="Aktionen für "))
        wait_for("a row's menu", lambda: atspi.find(application, "menu item",
                                                    exact="Integrationskennung kopieren"))
        checker.check("main window", application)
        atspi.press(0xff1b)   # Escape closes the menu
        ok = checker.report(1, "main window", "main window and a row's menu")

        atspi.activate(wait_for("the + button", lambda: atspi.find(
            application, "push button", exact="Integration hinzufügen")))
        picker = wait_for("the connector picker",
                          lambda: atspi.window(application, "Integration hinzufügen"))
        search = wait_for("the picker's search",
                          lambda: atspi.find(picker, exact="Konnektoren durchsuchen"))
        time.sleep(0.5)
        checker.check("connector picker", picker)
        ok = checker.report(2, "connector picker") and ok

        atspi.set_text(search, "BambooHR")
        wait_for("BambooHR in the picker", lambda: atspi.find(picker, starts="BambooHR, "))
        time.sleep(0.3)
        atspi.press(0xff0d)   # Return picks the first match
        editor = wait_for("the editor",
                          lambda: atspi.window(application, "Neue Integration – BambooHR"))
        wait_for("the editor's fields", lambda: atspi.find(editor, starts="Company subdomain"))
        checker.check("editor", editor)
        ok = checker.report(3, "editor") and ok
        atspi.activate(wait_for("the editor's Cancel", lambda: atspi.find(
            editor, "push button", last_word="Abbrechen")))
        wait_for("the editor to close",
                 lambda: atspi.window(application, "Neue Integration – BambooHR") is None)

        atspi.activate(wait_for("the main menu",
                                lambda: atspi.find(application, exact="Hauptmenü")))
        atspi.activate(wait_for("Preferences in the main menu", lambda: atspi.find(
            application, "menu item", exact="Einstellungen")))
        prefs = wait_for("Preferences", lambda: atspi.window(application, "Einstellungen"))
        wait_for("Preferences' projects", lambda: atspi.find(prefs, exact="Projekte"))
        checker.check("Preferences", prefs)
        ok = checker.report(4, "Preferences") and ok

        problems = app.problems()
        if problems:
            print("not ok 5 - the app logged: " + " | ".join(problems), flush=True)
            ok = False
        else:
            print("ok 5 - the app logged no critical or warning; %d texts looked at"
                  % checker.checked, flush=True)
        sys.exit(0 if ok else 1)
    except atspi.Failed as error:
        atspi.fail(app, error)
    finally:
        atspi.stop(app, server)


if __name__ == "__main__":
    main()
