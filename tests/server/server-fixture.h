/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "server-engine.h"

G_BEGIN_DECLS

/* A plugboard-server process started for a test, with stdout and stderr in files. */
typedef struct
{
  GSubprocess *process;
  char        *dir;          /* temp dir holding out/err files */
  char        *out_path;
  char        *err_path;
  JsonObject  *first_line;   /* the JSON object printed first */
  char        *url;
} TestServer;

/* Starts `$PLUGBOARD_SERVER <argv…>` and waits for its first stdout line. */
TestServer *test_server_start      (const char * const *argv,
                                    const char * const *extra_env);
/* The same with a limit of @nofile open descriptors (soft and hard; 0: unchanged). */
TestServer *test_server_start_limited (const char * const *argv,
                                    const char * const *extra_env,
                                    guint               nofile);
/* SIGTERM, waits for exit, asserts a clean exit. */
void        test_server_stop       (TestServer         *server);
void        test_server_free       (TestServer         *server);
char       *test_server_read_out   (TestServer         *server);
char       *test_server_read_err   (TestServer         *server);
const char *test_server_project_key (TestServer        *server,
                                     guint              index,
                                     const char        *role);

/* A self-signed certificate for 127.0.0.1 at @cert_path, its key at @key_path; FALSE when
 * openssl is not installed. */
gboolean    test_make_certificate  (const char         *cert_path,
                                    const char         *key_path);
/* Removes the database @db and its -wal, -shm and .key files. */
void        test_remove_db         (const char         *db);

/* Runs `$PLUGBOARD_SERVER <argv…>` to completion; returns its exit status. */
int         test_run_command       (const char * const *argv,
                                    char              **out_stdout,
                                    char              **out_stderr);

typedef struct
{
  guint               status;
  JsonNode           *body;      /* NULL when empty or not JSON */
  char               *text;      /* the body as received (up to a NUL), never NULL */
  SoupMessageHeaders *headers;
} Reply;

void        reply_free             (Reply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

SoupMessage *test_message_new      (const char  *base,
                                    const char  *method,
                                    const char  *path,
                                    const char  *key,
                                    const char  *content_type,
                                    const char  *body,
                                    gssize       length);
Reply       *test_reply_from       (SoupMessage *msg,
                                    GBytes      *bytes);
Reply       *test_call             (SoupSession *session,
                                    const char  *base,
                                    const char  *method,
                                    const char  *path,
                                    const char  *key,
                                    const char  *body);
Reply       *test_call_full        (SoupSession *session,
                                    const char  *base,
                                    const char  *method,
                                    const char  *path,
                                    const char  *key,
                                    const char  *content_type,
                                    const char  *body,
                                    gssize       length,
                                    const char  *header,
                                    const char  *header_value);
/* Asserts the error body shape and code. */
void        test_assert_error      (Reply       *reply,
                                    guint        status,
                                    const char  *code);

G_END_DECLS
