/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pb-api-error.h"
#include "pb-client.h"
