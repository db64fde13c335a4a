/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the tests of test-models share: a complete sample of each model in the form the
 * API sends it, and JSON helpers. */

#include "pb-core.h"

G_BEGIN_DECLS

#define FIELD_SUBDOMAIN \
  "{\"key\":\"subdomain\",\"label\":\"Company subdomain\",\"kind\":\"text\"," \
  "\"required\":true,\"secret\":false,\"generated\":false," \
  "\"description\":\"The part before .bamboohr.com\"," \
  "\"placeholder\":\"acme\",\"options\":[],\"default\":null}"
#define FIELD_API_KEY \
  "{\"key\":\"api_key\",\"label\":\"API key\",\"kind\":\"secret\",\"required\":true," \
  "\"secret\":true,\"generated\":false,\"description\":\"Settings → API keys\"," \
  "\"placeholder\":null," \
  "\"options\":[],\"default\":null}"
#define FIELD_REGION \
  "{\"key\":\"region\",\"label\":\"Data centre\",\"kind\":\"select\",\"required\":false," \
  "\"secret\":false,\"generated\":false,\"description\":null,\"placeholder\":null," \
  "\"options\":[\"eu\",\"us\"]," \
  "\"default\":\"eu\"}"
#define FIELD_TRIGGER_TOKEN \
  "{\"key\":\"trigger_token\",\"label\":\"Trigger token\",\"kind\":\"secret\"," \
  "\"required\":false,\"secret\":true,\"generated\":true,\"description\":\"Paste it\"," \
  "\"placeholder\":null,\"options\":[],\"default\":null}"
#define AUTH_API_KEY \
  "{\"key\":\"api_key\",\"label\":\"API Key\",\"type\":\"api_key\",\"callback_url\":null," \
  "\"platform_oauth_app\":false,\"fields\":[" FIELD_TRIGGER_TOKEN "]," \
  "\"account_fields\":[" FIELD_API_KEY "," FIELD_SUBDOMAIN "]}"
#define AUTH_OAUTH2 \
  "{\"key\":\"oauth2\",\"label\":\"OAuth 2.0\",\"type\":\"oauth2\"," \
  "\"callback_url\":\"http://127.0.0.1:8710/connect/oauth2/bamboohr/callback\"," \
  "\"platform_oauth_app\":true,\"fields\":[" FIELD_REGION "],\"account_fields\":[]}"

extern const char project_json[];
extern const char connector_json[];
extern const char integration_json[];
extern const char account_json[];
extern const char log_json[];

/* Helpers (models-fixture.c) */

JsonObject *parse_object         (const char *text);
gboolean    objects_equal        (JsonObject *a,
                                  JsonObject *b);
void        assert_objects_equal (JsonObject *expected,
                                  JsonObject *actual);
JsonNode   *parse_node           (const char *text);

/* Tests, registered in test-models.c */

/* models-all.c: over all models */
void test_models_round_trip     (void);
void test_models_unknown_fields (void);
void test_models_missing_fields (void);
void test_models_wrong_types    (void);
/* models-values.c: each model's values */
void test_models_project        (void);
void test_models_auth_field     (void);
void test_models_connector      (void);
void test_models_integration    (void);
void test_models_linked_account (void);
void test_models_log_entry      (void);

G_END_DECLS
