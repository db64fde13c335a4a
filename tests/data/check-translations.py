#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every language is complete, for the app (po/LINGUAS, po/<lang>.po) and for its help
(help/LINGUAS, help/<lang>/<lang>.po): its .po translates every message of the template made
from this tree's sources (none missing, untranslated or fuzzy) and msgfmt accepts it (format
strings, plural forms). Prints TAP.

The app's template is made here the way `ninja plugboard-pot` makes po/plugboard.pot (xgettext
over po/POTFILES.in with the keywords of meson's glib preset), the help's the way
`ninja help-io.github.plugboard.Plugboard-pot` does (itstool over help/C), into a temporary
directory, so the test needs no build step and never writes to the source tree."""
import glob
import os
import subprocess
import sys
import tempfile

root = sys.argv[1]
po_dir = os.path.join(root, "po")
help_dir = os.path.join(root, "help")

# meson's i18n.gettext(preset: 'glib')
KEYWORDS = ["_", "N_", "C_:1c,2", "NC_:1c,2", "g_dcgettext:2", "g_dngettext:2,3",
            "g_dpgettext2:2c,3"]
FLAGS = ["N_:1:pass-c-format", "C_:2:pass-c-format", "NC_:2:pass-c-format",
         "g_dngettext:2:pass-c-format", "g_strdup_printf:1:c-format",
         "g_string_printf:2:c-format", "g_string_append_printf:2:c-format",
         "g_error_new:3:c-format", "g_set_error:4:c-format",
         "g_markup_printf_escaped:1:c-format", "g_log:3:c-format", "g_print:1:c-format",
         "g_printerr:1:c-format", "g_printf:1:c-format", "g_fprintf:2:c-format",
         "g_sprintf:2:c-format", "g_snprintf:3:c-format"]

results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, detail))


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def languages(linguas):
    with open(linguas, encoding="utf-8") as f:
        return [w for line in f if not line.lstrip().startswith("#") for w in line.split()]


def check_complete(what, template, po, lang):
    if not os.path.exists(po):
        check(False, "%s exists" % os.path.relpath(po, root))
        return
    name = os.path.relpath(po, root)
    valid = run(["msgfmt", "--check", "--check-accelerators=_", "--output-file=/dev/null", po])
    check(valid.returncode == 0, "msgfmt --check accepts " + name, valid.stderr)
    header = open(po, encoding="utf-8").read()
    check('"Language: %s\\n"' % lang in header and '"Plural-Forms: nplurals=' in header,
          "%s names its language and plural forms" % name)
    if os.path.exists(template):
        # msgcmp counts fuzzy and untranslated messages of po as missing.
        cmp = run(["msgcmp", po, template])
        missing = [line for line in cmp.stderr.splitlines() if "this message" in line]
        check(cmp.returncode == 0,
              "%s translates every message of the %s (%d missing, untranslated or fuzzy)"
              % (name, what, len(missing)), cmp.stderr)


with tempfile.TemporaryDirectory() as tmp:
    app_languages = languages(os.path.join(po_dir, "LINGUAS"))
    check(app_languages, "po/LINGUAS names at least one language")
    template = os.path.join(tmp, "plugboard.pot")
    made = run(["xgettext", "--package-name=plugboard", "--from-code=UTF-8", "--add-comments",
                "--directory=" + root, "--files-from=" + os.path.join(po_dir, "POTFILES.in"),
                "--output=" + template]
               + ["--keyword=" + k for k in KEYWORDS] + ["--flag=" + f for f in FLAGS])
    check(made.returncode == 0 and os.path.exists(template),
          "xgettext makes the app's template from po/POTFILES.in", made.stderr)
    # A string xgettext cannot read whole (a macro inside _()) is never translated.
    check("warning" not in made.stderr, "xgettext reads every message whole", made.stderr)
    for lang in app_languages:
        check_complete("app's template", template, os.path.join(po_dir, lang + ".po"), lang)

    help_languages = languages(os.path.join(help_dir, "LINGUAS"))
    help_template = os.path.join(tmp, "help.pot")
    sources = sorted(glob.glob(os.path.join(help_dir, "C", "*.page"))
                     + glob.glob(os.path.join(help_dir, "C", "*.xml")))
    made = run(["itstool", "-o", help_template] + sources)
    check(made.returncode == 0 and os.path.exists(help_template),
          "itstool makes the help's template from help/C", made.stderr)
    for lang in help_languages:
        check_complete("help's template", help_template,
                       os.path.join(help_dir, lang, lang + ".po"), lang)

print("1..%d" % len(results))
failed = 0
for i, (ok, what, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
    if not ok and detail:
        for line in detail.strip().splitlines()[:40]:
            print("# " + line)
    failed += not ok
if failed:
    print("# To bring a translation up to date: ninja -C _build plugboard-pot plugboard-update-po"
          " (the help: help-io.github.plugboard.Plugboard-update-po), translate what is new,"
          " fuzzy or empty in the .po, and run this test again.")
sys.exit(1 if failed else 0)
