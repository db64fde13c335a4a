#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The UI asks the store for everything: with the flags src/ui is compiled with, no header of
the layers below the store (client, replica, outbox, sync, keyring) can be included, and no
file of src/ui tries."""

import json
import os
import re
import shlex
import subprocess
import sys

BELOW = ['pb-api.h', 'pb-client.h', 'pb-offline.h', 'pb-replica.h', 'pb-sync.h',
         'pb-outbox.h', 'pb-secrets.h', 'pb-store-internal.h', 'pb-store-private.h',
         'libsecret/secret.h', 'libsoup/soup.h']
INCLUDES_BELOW = re.compile(r'#\s*include\s*[<"](pb-api|pb-client|pb-offline\.h|pb-offline-error|pb-replica|'
                            r'pb-sync\.h|pb-outbox\.h|pb-overlay|pb-secrets|pb-store-internal|'
                            r'pb-store-private|libsecret/|libsoup/|sqlite3)')

build_root, source_root = sys.argv[1], sys.argv[2]
ui_root = os.path.join(source_root, 'src', 'ui')

with open(os.path.join(build_root, 'compile_commands.json')) as f:
    commands = json.load(f)
ui = [c for c in commands
      if os.path.normpath(os.path.join(c['directory'], c['file'])).startswith(ui_root + os.sep)]
if not ui:
    print('Bail out! no compile command for src/ui')
    sys.exit(1)

entry = ui[0]
flags = [a for a in shlex.split(entry['command'])[1:] if a.startswith(('-I', '-D', '-std'))]
compiler = shlex.split(entry['command'])[0]

sources = []
for directory, dirs, files in os.walk(ui_root):
    sources += [os.path.join(directory, name) for name in files if name.endswith(('.c', '.h'))]

print('1..%d' % (len(BELOW) + len(sources)))
n = 0
failed = False
for header in BELOW:
    n += 1
    result = subprocess.run([compiler] + flags + ['-fsyntax-only', '-x', 'c', '-'],
                            input='#include "%s"\n' % header, text=True,
                            cwd=entry['directory'], capture_output=True)
    if result.returncode == 0:
        print('not ok %d - src/ui can include %s' % (n, header))
        failed = True
    else:
        print('ok %d - src/ui cannot include %s' % (n, header))
for path in sorted(sources):
    n += 1
    with open(path, encoding='utf-8') as f:
        found = INCLUDES_BELOW.search(f.read())
    name = os.path.relpath(path, source_root)
    if found:
        print('not ok %d - %s includes %s' % (n, name, found.group(0)))
        failed = True
    else:
        print('ok %d - %s includes nothing below the store' % (n, name))
sys.exit(1 if failed else 0)
