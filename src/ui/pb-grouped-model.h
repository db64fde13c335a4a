/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pb-connector-header.h"

G_BEGIN_DECLS

#define PB_TYPE_GROUPED_MODEL (pb_grouped_model_get_type ())
G_DECLARE_FINAL_TYPE (PbGroupedModel, pb_grouped_model, PB, GROUPED_MODEL, GObject)

/*
 * PbGroupedModel: a flat GListModel that puts a PbConnectorHeader before each run of
 * PbIntegration items of the same connector in @source (which must be sorted so that a
 * connector's integrations are consecutive). Changes of @source are turned into the smallest
 * items-changed range that covers them, so a one-row change stays a one-row change.
 */
PbGroupedModel *pb_grouped_model_new        (GListModel     *source);

G_END_DECLS
