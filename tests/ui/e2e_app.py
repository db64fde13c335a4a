# SPDX-License-Identifier: GPL-3.0-or-later
#
# The app under an end-to-end test: started with the accessibility bridge on, its log kept.
#
# Criticals are not made fatal for the app (the tests' G_DEBUG makes them so): the test
# then says how the app ended and what it logged, instead of timing out on a window that
# will never change. Any critical or warning in its log fails the test all the same.
# (What this once hid: GTK 4.8's AT-SPI root handing a screen reader a hidden window without
# an accessible path, a critical and then a crash; see show_shortcuts_action in pb-window.c.)

import os
import subprocess
import sys
import tempfile


class App:
    def __init__(self, binary, env):
        env = dict(env)
        env.pop("NO_AT_BRIDGE", None)
        env.pop("GTK_A11Y", None)
        flags = [f for f in env.get("G_DEBUG", "").split(",") if f and f != "fatal-criticals"]
        env["G_DEBUG"] = ",".join(flags)
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen([binary], env=env, stderr=self.log)
        self.pid = self.process.pid

    def exited(self):
        """None while the app runs, else a sentence saying how it ended."""
        code = self.process.poll()
        if code is None:
            return None
        if code < 0:
            return "the app was killed by signal %d" % -code
        return "the app exited with status %d" % code

    def problems(self):
        """The app's log is copied to stderr; returns its criticals and warnings."""
        self.log.seek(0)
        text = self.log.read()
        sys.stderr.write(text)
        found = []
        for line in text.splitlines():
            if "-CRITICAL **" not in line and "-WARNING **" not in line:
                continue
            found.append(line.strip())
        return found

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

