#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the built metainfo: `appstreamcli validate --pedantic --no-net` reports nothing but
what is known and explained below; every screenshot is a PNG in data/screenshots/ with the
size the metainfo gives and a caption; the newest release is the project's version, each
release says what it brought. Prints TAP.

   check-metainfo.py SOURCE_ROOT METAINFO PROJECT_VERSION"""
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

root, metainfo, version = sys.argv[1:4]
RAW = "https://raw.githubusercontent.com/plugboard/plugboard/main/"

# What appstreamcli 0.16 (Debian 12) says of a correct file:
KNOWN = {
    # GNOME application ids are reverse DNS with a capitalised last part.
    "cid-contains-uppercase-letter",
    # <developer id="…"> is AppStream 1.0's and what Flathub asks for; 0.16 does not know it.
    "unknown-tag developer",
}

results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, detail))


run = subprocess.run(["appstreamcli", "validate", "--pedantic", "--no-net", "--no-color",
                      metainfo], capture_output=True, text=True)
issues = []
for line in run.stdout.splitlines():
    m = re.match(r"([EWIP]): [^ ]+?(?::\d+)?: (\S+)(?: (\S+))?", line)
    if m:
        tag = m.group(2)
        if tag == "unknown-tag" and m.group(3):
            tag += " " + m.group(3)
        if tag not in KNOWN:
            issues.append(line)
check(run.returncode == 0, "appstreamcli validate --pedantic passes", run.stdout + run.stderr)
check(not issues, "appstreamcli --pedantic reports nothing unexplained", "\n".join(issues))

meta = ET.parse(metainfo).getroot()
shots = meta.findall("screenshots/screenshot")
check(len(shots) >= 3, "three screenshots or more")
check(sum(s.get("type") == "default" for s in shots) == 1, "one default screenshot")
for shot in shots:
    image = shot.find("image")
    url = image.text.strip() if image is not None and image.text else ""
    caption = shot.findtext("caption") or ""
    check(caption.strip(), "%s has a caption" % url)
    path = os.path.join(root, url[len(RAW):]) if url.startswith(RAW) else None
    if path is None or not path.startswith(os.path.join(root, "data", "screenshots", "")):
        check(False, "%s is in data/screenshots/ of this repository" % url)
        continue
    try:
        with open(path, "rb") as f:
            head = f.read(24)
    except OSError:
        check(False, "%s exists" % path)
        continue
    is_png = head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24]) if is_png else (0, 0)
    check(is_png and (str(width), str(height)) == (image.get("width"), image.get("height")),
          "%s is a %sx%s PNG" % (os.path.relpath(path, root), image.get("width"),
                                 image.get("height")))

releases = meta.findall("releases/release")
check(releases and releases[0].get("version") == version,
      "the newest release is the project's version %s" % version)
for release in releases:
    check(release.find("description") is not None and
          "".join(release.find("description").itertext()).strip(),
          "release %s says what it brought" % release.get("version"))
check(meta.find("content_rating") is not None, "an OARS content rating")
check(meta.findall("keywords/keyword"), "keywords")
check(meta.find("recommends/control") is not None, "recommended input controls")

print("1..%d" % len(results))
failed = 0
for i, (ok, what, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
    if not ok and detail:
        for line in detail.strip().splitlines():
            print("# " + line)
    failed += not ok
sys.exit(1 if failed else 0)
