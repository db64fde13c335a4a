/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PB_TYPE_LOG_ENTRY (pb_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (PbLogEntry, pb_log_entry, PB, LOG_ENTRY, GObject)

PbLogEntry  *pb_log_entry_new_from_json        (JsonObject   *object,
                                                GError      **error);
JsonObject  *pb_log_entry_to_json              (PbLogEntry   *self);

const char  *pb_log_entry_get_request_id       (PbLogEntry   *self);
GDateTime   *pb_log_entry_get_event_datetime   (PbLogEntry   *self);
gint64       pb_log_entry_get_duration         (PbLogEntry   *self);
const char  *pb_log_entry_get_http_method      (PbLogEntry   *self);
const char  *pb_log_entry_get_path             (PbLogEntry   *self);
const char  *pb_log_entry_get_url              (PbLogEntry   *self);
guint        pb_log_entry_get_status           (PbLogEntry   *self);
gboolean     pb_log_entry_get_success          (PbLogEntry   *self);
const char  *pb_log_entry_get_provider         (PbLogEntry   *self);
const char  *pb_log_entry_get_integration_id   (PbLogEntry   *self);
const char  *pb_log_entry_get_account_id       (PbLogEntry   *self);
const char  *pb_log_entry_get_service          (PbLogEntry   *self);
const char  *pb_log_entry_get_resource         (PbLogEntry   *self);
const char  *pb_log_entry_get_source_type      (PbLogEntry   *self);

G_END_DECLS
