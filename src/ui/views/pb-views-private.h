/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For tests and benchmarks only: the views with their insides (template children), to
 * drive them as a person would. */

#include "pb-views.h"
#include "pb-accounts-view-private.h"
#include "pb-logs-view-private.h"
