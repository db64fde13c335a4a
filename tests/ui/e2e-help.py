#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# F1 and the main menu's Help open help:io.github.plugboard.Plugboard in the desktop's help
# viewer. The app runs with its own XDG directories, where a desktop entry that handles
# x-scheme-handler/help (standing in for Yelp) writes the URI it was started with to a file;
# the app finds it through GIO's ordinary lookup of the default handler.
#
#   e2e-help.py PLUGBOARD_EXECUTABLE      (inside build-aux/headless-session, with
#                                          $PLUGBOARD_SERVER)
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_app  # noqa: E402
import e2e_atspi as atspi  # noqa: E402

URI = "help:io.github.plugboard.Plugboard"


def fake_help_viewer(tmp):
    """XDG dirs in tmp whose default handler of help: URIs writes them to tmp/uri."""
    data = os.path.join(tmp, "data")
    config = os.path.join(tmp, "config")
    os.makedirs(os.path.join(data, "applications"))
    os.makedirs(config)
    viewer = os.path.join(tmp, "fake-yelp")
    uri_file = os.path.join(tmp, "uri")
    with open(viewer, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" > '%s.part' && mv '%s.part' '%s'\n"
                % (uri_file, uri_file, uri_file))
    os.chmod(viewer, 0o755)
    with open(os.path.join(data, "applications", "fake-yelp.desktop"), "w",
              encoding="utf-8") as f:
        f.write("[Desktop Entry]\nType=Application\nName=Fake Help Viewer\n"
                "Exec=%s %%u\nMimeType=x-scheme-handler/help;\nNoDisplay=true\n" % viewer)
    with open(os.path.join(config, "mimeapps.list"), "w", encoding="utf-8") as f:
        f.write("[Default Applications]\nx-scheme-handler/help=fake-yelp.desktop\n")
    return data, config, uri_file


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: e2e-help.py PLUGBOARD_EXECUTABLE")
    print("1..3", flush=True)
    server = subprocess.Popen([os.environ["PLUGBOARD_SERVER"], "demo", "--listen",
                               "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    app = None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            info = json.loads(server.stdout.readline())
            data, config, uri_file = fake_help_viewer(tmp)
            env = dict(os.environ)
            env["XDG_DATA_HOME"] = data
            env["XDG_CONFIG_HOME"] = config
            env["PLUGBOARD_BACKEND_URL"] = info["url"]
            env["PLUGBOARD_API_KEY"] = info["projects"][0]["admin_key"]
            env["GIO_USE_PROXY_RESOLVER"] = "dummy"
            env.pop("GTK_USE_PORTAL", None)
            app = e2e_app.App(sys.argv[1], env)
            application = atspi.application(app)

            def wait_for(what, check):
                return atspi.wait_for(what, check, app)

            def opened():
                if not os.path.exists(uri_file):
                    return None
                with open(uri_file, encoding="utf-8") as f:
                    return f.read().strip() or None

            wait_for("the window", lambda: atspi.find(application, "push button",
                                                      exact="Main Menu"))
            time.sleep(0.5)
            atspi.press(0xffbe)   # F1
            uri = wait_for("the help viewer to be started by F1", opened)
            if uri != URI:
                raise atspi.Failed("F1 opened %r, not %r" % (uri, URI))
            print("ok 1 - F1 opened %s" % uri, flush=True)
            os.unlink(uri_file)

            atspi.activate(wait_for("the main menu",
                                    lambda: atspi.find(application, exact="Main Menu")))
            atspi.activate(wait_for("Help in the main menu", lambda: atspi.find(
                application, "menu item", exact="Help")))
            uri = wait_for("the help viewer to be started from the menu", opened)
            if uri != URI:
                raise atspi.Failed("the menu's Help opened %r, not %r" % (uri, URI))
            print("ok 2 - the main menu's Help opened %s" % uri, flush=True)

            problems = app.problems()
            if problems:
                raise atspi.Failed("the app logged: " + " | ".join(problems))
            print("ok 3 - the app logged no critical or warning", flush=True)
        except atspi.Failed as error:
            atspi.fail(app, error)
        finally:
            atspi.stop(app, server)


if __name__ == "__main__":
    main()
