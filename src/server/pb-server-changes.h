/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-server-db.h"
#include "pb-server-private.h"

G_BEGIN_DECLS

/* The change log of integrations and the sync tokens over it (pb-server-changes.c). */

/* The log's tables and the triggers that write it with every change, of each engine (part of
 * the schema of version 2, pb-server-migrate.c). */
extern const char pb_changes_schema_sqlite[];
extern const char pb_changes_schema_postgresql[];
/* The seq of the project's latest change (0 when none). */
gint64    pb_changes_latest           (PbDb        *db,
                                       const char  *project_id);
char     *pb_sync_token_encode        (const char  *project_id,
                                       gint64       seq);

/* Closes a page of the whole list (GET /integrations): the last one (@next NULL) carries the
 * sync token for @token_seq, the project's latest change when the first page was read (none
 * when @token_seq is -1: a filtered list). */
void      pb_server_handle_integrations_full_page_done (PbRequest  *req,
                                                        GString    *out,
                                                        const char *next,
                                                        gint64      token_seq);
/* GET /integrations?sync_token=@token: what changed since, or 410 sync_token_expired. */
void      pb_server_handle_integrations_delta (PbRequest  *req,
                                               const char *token);

G_END_DECLS
