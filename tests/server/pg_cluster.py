# SPDX-License-Identifier: GPL-3.0-or-later
"""The engine the Python server tests run on (suite server-pg sets PLUGBOARD_TEST_DB=postgresql).

On PostgreSQL, a private cluster like server-engine.c's: initdb and pg_ctl in a temporary folder,
as the user nobody when run as root, fsync off, one new database per server, stopped and removed
when this process ends, however it ends.
"""

import os
import pwd
import subprocess
import tempfile

_cluster = None
_databases = 0


def is_postgresql():
    return os.environ.get("PLUGBOARD_TEST_DB") == "postgresql"


def _bindir():
    versions = [v for v in os.listdir("/usr/lib/postgresql") if v.isdigit()]
    return os.path.join("/usr/lib/postgresql", max(versions, key=int), "bin")


def _as_owner():
    return ["runuser", "-u", "nobody", "--"] if os.getuid() == 0 else []


def _run(argv):
    done = subprocess.run(_as_owner() + argv, cwd=_cluster, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("%s failed: %s%s" % (argv[0], done.stdout, done.stderr))


def _start():
    global _cluster
    _cluster = tempfile.mkdtemp(prefix="pb-test-pg-")
    if os.getuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(_cluster, nobody.pw_uid, nobody.pw_gid)
    pg_ctl = os.path.join(_bindir(), "pg_ctl")
    data = os.path.join(_cluster, "data")
    _run([os.path.join(_bindir(), "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
          "-E", "UTF8", "--locale=C", "--no-sync"])
    # A watcher outside this process group stops the cluster once this process is gone.
    watch = ("while kill -0 %d 2>/dev/null; do sleep 0.2; done;"
             " %s %s -D '%s' -m immediate stop >/dev/null 2>&1; rm -rf '%s'"
             % (os.getpid(), " ".join(_as_owner()), pg_ctl, data, _cluster))
    subprocess.Popen(["sh", "-c", watch], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    options = ("-k %s -c listen_addresses= -c fsync=off -c synchronous_commit=off"
               " -c full_page_writes=off" % _cluster)
    _run([pg_ctl, "-D", data, "-l", os.path.join(_cluster, "log"), "-w", "-o", options,
          "start"])


def database_args(sqlite_path):
    """The `--db` (and, on PostgreSQL, `--key-file`) options of a new server's database."""
    global _databases
    if not is_postgresql():
        return ["--db", sqlite_path]
    if _cluster is None:
        _start()
    _databases += 1
    name = "t%d" % _databases
    _run([os.path.join(_bindir(), "createdb"), "-h", _cluster, "-U", "postgres", name])
    return ["--db", "postgresql:///%s?host=%s&user=postgres" % (name, _cluster),
            "--key-file", os.path.join(os.path.dirname(sqlite_path), name + ".key")]
