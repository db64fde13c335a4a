#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a source file with translatable strings is missing from po/POTFILES.in,
or when POTFILES.in names a file that does not exist. Prints TAP."""
import os
import re
import sys

root = sys.argv[1]
listed = []
with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#"):
            listed.append(line)

skipped = set()
skip_path = os.path.join(root, "po", "POTFILES.skip")
if os.path.exists(skip_path):
    with open(skip_path, encoding="utf-8") as f:
        skipped = {l.strip() for l in f if l.strip() and not l.startswith("#")}

c_marker = re.compile(r'(?<![A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\(\s*"')
ui_marker = re.compile(r'translatable="yes"')
found = []
for sub in ("src", "data"):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, sub)):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if rel.startswith("src/server/") and name.endswith(".c"):
                pass  # the server's messages are translatable too
            try:
                text = open(path, encoding="utf-8").read()
            except (UnicodeDecodeError, OSError):
                continue
            if name.endswith((".c", ".h")) and c_marker.search(text):
                found.append(rel)
            elif name.endswith(".ui") and ui_marker.search(text):
                found.append(rel)

tests = []
for rel in sorted(found):
    tests.append((rel in listed or rel in skipped,
                  f"{rel} has translatable strings and is listed in po/POTFILES.in"))
for rel in listed:
    tests.append((os.path.exists(os.path.join(root, rel)),
                  f"{rel} (listed in po/POTFILES.in) exists"))

print(f"1..{len(tests)}")
failed = 0
for i, (ok, what) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    failed += not ok
sys.exit(1 if failed else 0)
