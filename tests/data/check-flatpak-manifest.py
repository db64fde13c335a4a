#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks flatpak/<app id>.json: valid JSON, agrees with the app id, the desktop file and the
metainfo, a current GNOME runtime, and finish-args no wider than the app needs. Prints TAP."""
import configparser
import json
import os
import sys
import xml.etree.ElementTree as ET

root, desktop_path, metainfo_path = sys.argv[1:4]
APP_ID = "io.github.plugboard.Plugboard"
results = []

def check(ok, what):
    results.append((bool(ok), what))

manifest_path = os.path.join(root, "flatpak", APP_ID + ".json")
try:
    with open(manifest_path, encoding="utf-8") as f:
        m = json.load(f)
    check(True, "manifest is valid JSON")
except (OSError, ValueError) as e:
    print("1..1\nnot ok 1 - manifest is valid JSON: %s" % e)
    sys.exit(1)

check(m.get("id") == APP_ID, "manifest id is " + APP_ID)
check(m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk",
      "GNOME runtime and SDK")
try:
    rv = int(str(m.get("runtime-version", "0")).split(".")[0])
except ValueError:
    rv = 0
check(rv >= 49, "runtime-version is 49 or newer")

desktop = configparser.ConfigParser(interpolation=None)
desktop.optionxform = str
desktop.read(desktop_path, encoding="utf-8")
entry = desktop["Desktop Entry"]
exec_bin = entry.get("Exec", "").split()[0]
check(m.get("command") == exec_bin, "manifest command matches the desktop file's Exec")
check(entry.get("Icon") == APP_ID, "desktop icon is the app id")
check(os.path.basename(desktop_path) == APP_ID + ".desktop", "desktop file named after the app id")

meta = ET.parse(metainfo_path).getroot()
check(meta.findtext("id") == APP_ID, "metainfo id is the app id")
launch = meta.find("launchable")
check(launch is not None and launch.text == APP_ID + ".desktop", "metainfo launchable is the desktop file")
binaries = [b.text for b in meta.iter("binary")]
check(m.get("command") in binaries, "metainfo provides the manifest's command")

allowed = {"--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri"}
args = set(m.get("finish-args", []))
check(args <= allowed, "finish-args no wider than needed: extra %s" % sorted(args - allowed))
check("--talk-name=org.freedesktop.secrets" not in args, "no direct Secret Service access (portal instead)")
check(not any(a.startswith("--filesystem") for a in args), "no filesystem access")

modules = m.get("modules", [])
app_mod = [x for x in modules if isinstance(x, dict) and x.get("name") == "plugboard"]
check(len(app_mod) == 1, "an app module named plugboard")
if app_mod:
    mod = app_mod[0]
    check(mod.get("buildsystem") == "meson", "app module builds with meson")
    srcs = mod.get("sources", [])
    check(any(s.get("type") == "dir" and os.path.normpath(os.path.join(root, "flatpak", s.get("path", ""))) == os.path.normpath(root)
              for s in srcs), "app module is built from this repository")

print("1..%d" % len(results))
failed = 0
for i, (ok, what) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
    failed += not ok
sys.exit(1 if failed else 0)
