/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The database engine the server tests run against: SQLite files, or, when
 * PLUGBOARD_TEST_DB=postgresql, a private PostgreSQL cluster of this test program (initdb and
 * pg_ctl in a temporary directory, as the user nobody when run as root, on a Unix socket in that
 * directory; stopped and removed when the program ends, however it ends), with a new database
 * for each new SQLite path or demo. */
gboolean    test_engine_is_postgresql (void);

/* @argv for plugboard-server with each --db PATH turned into the PostgreSQL database of PATH
 * (and its key file PATH.key, for the commands that take one), and a new database for a demo
 * without --db; unchanged with SQLite, and for --db sqlite:PATH. NULL-terminated. */
GPtrArray  *test_engine_argv          (const char * const *argv);

/* What pb_db_open() opens for the database at @path. */
char       *test_engine_target        (const char         *path);

/* A file with what the PostgreSQL database of @path holds (pg_dump; bytea values in hex), to
 * search like an SQLite file; NULL with SQLite. */
char       *test_engine_dump          (const char         *path);

/* Restarts the PostgreSQL cluster: every connection to it breaks. */
void        test_engine_restart       (void);

/* Runs @sql on the database at @path (a test's own changes). */
void        test_engine_exec          (const char         *path,
                                       const char         *sql);
/* The integer the query @sql answers on the database at @path (-1 for no row). */
gint64      test_engine_query_int     (const char         *path,
                                       const char         *sql);

G_END_DECLS
