/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-category-table.h"
#include "pb-core-error.h"
#include "pb-api-error.h"
#include "pb-time.h"
#include "pb-json-util.h"
#include "pb-project.h"
#include "pb-auth-field.h"
#include "pb-auth-type.h"
#include "pb-connector.h"
#include "pb-integration.h"
#include "pb-linked-account.h"
#include "pb-log-entry.h"
#include "pb-rules.h"
#include "pb-operation-kind.h"
