#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks flatpak/<app id>.yml against the rules of Flathub that can be checked offline
(docs.flathub.org: requirements, and the linter's finish-args and manifest checks), and that
it agrees with the desktop file and the metainfo. Prints TAP.

   check-flatpak-manifest.py SOURCE_ROOT DESKTOP_FILE METAINFO"""
import configparser
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import yaml

root, desktop_path, metainfo_path = sys.argv[1:4]
APP_ID = "io.github.plugboard.Plugboard"
MANIFEST = os.path.join(root, "flatpak", APP_ID + ".yml")

# The only D-Bus names the app may talk to: the Secret Service, for the keyring (see the
# manifest for why not the portal). Portals need no --talk-name at all.
TALK_NAMES = {"org.freedesktop.secrets"}
# Never on Flathub without a reason this app does not have.
FORBIDDEN = [
    (r"--filesystem=", "no file system access (the app keeps its data in its own XDG dirs)"),
    (r"--socket=x11$", "no plain X11 socket (fallback-x11 with wayland)"),
    (r"--socket=(session|system)-bus$", "no whole-bus access"),
    (r"--device=all$", "no access to all devices"),
    (r"--talk-name=org\.freedesktop\.Flatpak$", "no flatpak-spawn to the host"),
    (r"--(talk|own)-name=org\.freedesktop\.portal\.", "no --talk-name for portals"),
    (r"--own-name=", "no D-Bus name besides the app id's, which is implicit"),
    (r"--socket=ssh-auth$|--socket=gpg-agent$|--socket=pcsc$", "no key agents"),
]

results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, detail))


def finish():
    print("1..%d" % len(results))
    failed = 0
    for i, (ok, what, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
        if not ok and detail:
            for line in str(detail).strip().splitlines():
                print("# " + line)
        failed += not ok
    sys.exit(1 if failed else 0)


try:
    with open(MANIFEST, encoding="utf-8") as f:
        text = f.read()
    m = yaml.safe_load(text)
    check(isinstance(m, dict), "the manifest is a YAML mapping")
except (OSError, yaml.YAMLError) as e:
    check(False, "the manifest is valid YAML", e)
    finish()

builder = shutil.which("flatpak-builder")
if builder:
    shown = subprocess.run([builder, "--show-manifest", MANIFEST], capture_output=True, text=True)
    check(shown.returncode == 0, "flatpak-builder reads the manifest", shown.stderr)
else:
    print("# flatpak-builder is not installed: its reading of the manifest is not checked")

# The application id everywhere.
check(m.get("id") == APP_ID, "the manifest's id is " + APP_ID)
check(os.path.basename(MANIFEST) == m.get("id") + ".yml", "the manifest is named after its id")
check("app-id" not in m and "branch" not in m and "default-branch" not in m,
      "no app-id alias, branch or default-branch (Flathub sets the branch)")

# Runtime.
check(m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk",
      "the GNOME runtime and SDK")
try:
    rv = int(str(m.get("runtime-version", "0")).split(".")[0])
except ValueError:
    rv = 0
check(rv >= 49, "runtime-version is 49 or newer (a supported GNOME runtime)")

# finish-args: each on a line of its own with a comment saying why.
args = m.get("finish-args", [])
check(len(args) == len(set(args)), "no finish-arg twice")
for arg in args:
    line = next((l for l in text.splitlines()
                 if re.match(r"\s*-\s*%s\s*(#|$)" % re.escape(arg), l)), "")
    check("#" in line and line.split("#", 1)[1].strip(),
          "%s is justified by a comment on its line" % arg)
    for rule, why in FORBIDDEN:
        if re.match(rule, arg):
            check(False, "%s: %s" % (arg, why))
talk = {a.split("=", 1)[1] for a in args if a.startswith("--talk-name=")}
check(talk <= TALK_NAMES, "--talk-name only for the keyring's Secret Service",
      "extra: %s" % sorted(talk - TALK_NAMES))
check(not [a for a in args if a.startswith("--env=SECRET_BACKEND")],
      "no SECRET_BACKEND (libsecret ignores it in a sandbox)")
check("--socket=wayland" in args and "--socket=fallback-x11" in args,
      "Wayland, with X11 only as a fallback")
check(("--share=ipc" in args) == ("--socket=fallback-x11" in args),
      "--share=ipc exactly when X11 may be used")
check("--share=network" in args, "network access (the backend)")
check(not [a for a in args if a.startswith("--filesystem")], "no file system access at all")

# Cleanup.
cleanup = m.get("cleanup", [])
check(isinstance(cleanup, list) and {"/include", "/lib/pkgconfig", "*.la", "*.a"} <= set(cleanup),
      "a cleanup list with headers, pkg-config files and static libraries")

# Modules and sources.
modules = m.get("modules", [])
check(modules and isinstance(modules[-1], dict) and modules[-1].get("name") == "plugboard",
      "the app's module, plugboard, is built last")
app = modules[-1] if modules and isinstance(modules[-1], dict) else {}
check(app.get("buildsystem") == "meson", "the app module builds with meson")
check("-Dtests=false" in app.get("config-opts", []),
      "the app module builds without the tests (-Dtests=false)")
for mod in modules:
    if not isinstance(mod, dict):
        continue
    for src in mod.get("sources", []):
        kind = src.get("type")
        where = "%s: %s source" % (mod.get("name"), kind)
        if kind in ("archive", "file"):
            check(re.fullmatch(r"[0-9a-f]{64}", src.get("sha256", "")), where + " has a sha256")
        elif kind == "git":
            check(src.get("commit") or src.get("tag"), where + " names a tag or commit")
        elif kind == "dir":
            path = os.path.normpath(os.path.join(root, "flatpak", src.get("path", "")))
            check(path == os.path.normpath(root), where + " is this repository")
            check({"_build", ".git"} <= set(src.get("skip", [])),
                  where + " skips the build directory and .git")

# Agreement with the desktop file and the metainfo.
desktop = configparser.ConfigParser(interpolation=None)
desktop.optionxform = str
desktop.read(desktop_path, encoding="utf-8")
entry = desktop["Desktop Entry"]
check(m.get("command") == entry.get("Exec", "").split()[0],
      "the manifest's command is the desktop file's Exec")
check(entry.get("Icon") == APP_ID, "the desktop file's icon is the app id")
check(os.path.basename(desktop_path) == APP_ID + ".desktop", "the desktop file is named after the app id")
meta = ET.parse(metainfo_path).getroot()
check(meta.findtext("id") == APP_ID, "the metainfo's id is the app id")
launch = meta.find("launchable")
check(launch is not None and launch.text == APP_ID + ".desktop",
      "the metainfo's launchable is the desktop file")
check(m.get("command") in [b.text for b in meta.iter("binary")],
      "the metainfo provides the manifest's command")
check(meta.find("developer") is not None and meta.find("developer").get("id"),
      "the metainfo names its developer with an id")
for icon in ("scalable/apps/%s.svg" % APP_ID, "symbolic/apps/%s-symbolic.svg" % APP_ID):
    check(os.path.exists(os.path.join(root, "data", "icons", "hicolor", icon)),
          "the icon hicolor/%s exists" % icon)

finish()
