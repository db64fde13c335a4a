#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The manual pages format without a warning (groff -ww), and plugboard-server.1 names every
command and every option that `plugboard-server COMMAND --help` lists. Prints TAP.

   check-man.py PLUGBOARD_SERVER PAGE..."""
import os
import re
import subprocess
import sys

server, pages = sys.argv[1], sys.argv[2:]
results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, detail))


env = dict(os.environ, LC_ALL="C.UTF-8")
texts = {}
for page in pages:
    name = os.path.basename(page)
    run = subprocess.run(["groff", "-man", "-t", "-ww", "-z", page], capture_output=True,
                         text=True, env=env)
    check(run.returncode == 0 and not run.stderr.strip(), "%s formats without a warning" % name,
          run.stderr)
    with open(page, encoding="utf-8") as f:
        texts[name] = f.read().replace("\\-", "-")

page = texts.get("plugboard-server.1", "")
usage = subprocess.run([server, "--help"], capture_output=True, text=True).stdout
commands = re.findall(r"^  ([a-z][a-z-]+) {2,}", usage, re.M)
check(commands, "plugboard-server --help lists its commands")
for command in commands:
    check(re.search(r"^\.B %s\b" % re.escape(command), page, re.M),
          "plugboard-server.1 describes the command %s" % command)
    options = subprocess.run([server, command, "--help"], capture_output=True, text=True).stdout
    for option in sorted(set(re.findall(r"^\s+(--[a-z][a-z-]*)", options, re.M)) - {"--help"}):
        check(option in page, "plugboard-server.1 names %s of %s" % (option, command))

print("1..%d" % len(results))
failed = 0
for i, (ok, what, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
    if not ok and detail:
        for line in detail.strip().splitlines():
            print("# " + line)
    failed += not ok
sys.exit(1 if failed else 0)
