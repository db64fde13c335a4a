/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "pb-error-sentence.h"
#include "pb-store.h"

#define DESCRIPTION "The backend at http://127.0.0.1:9/ refused the request: 502 Bad Gateway."

/* What only the client knew (a transport failure, a status without a body) is worded for
 * a person and never shows the client's description. */
static void
test_codes_without_body (void)
{
  for (int code = PB_API_ERROR_UNREACHABLE; code <= PB_API_ERROR_INVALID_URL; code++)
    {
      g_autoptr(GError) error = g_error_new_literal (PB_API_ERROR, code, DESCRIPTION);
      g_autofree char *sentence = pb_error_sentence (error);

      g_assert_nonnull (sentence);
      g_assert_cmpstr (sentence, !=, "");
      g_assert_null (strstr (sentence, "127.0.0.1"));
      g_assert_nonnull (pb_error_icon_name (error));
    }
}

static void
test_server_sentence_kept (void)
{
  g_autoptr(GError) refused = pb_api_error_new_http (409, "has_linked_accounts", NULL,
                                                     "This integration has linked accounts.",
                                                     DESCRIPTION);
  g_autoptr(GError) bare = pb_api_error_new_http (404, NULL, NULL, NULL, DESCRIPTION);
  g_autofree char *refused_sentence = pb_error_sentence (refused);
  g_autofree char *bare_sentence = pb_error_sentence (bare);

  g_assert_cmpstr (refused_sentence, ==, "This integration has linked accounts.");
  g_assert_null (strstr (bare_sentence, "127.0.0.1"));
  g_assert_cmpstr (bare_sentence, !=, "");
}

/* The unreachable backend reads the same wherever it is shown. */
static void
test_unreachable (void)
{
  g_autoptr(GError) error = g_error_new_literal (PB_API_ERROR, PB_API_ERROR_UNREACHABLE,
                                                 "Cannot reach the backend at http://x: refused");
  g_autofree char *sentence = pb_error_sentence (error);

  g_assert_nonnull (strstr (sentence, "cannot be reached"));
  g_assert_cmpstr (pb_error_icon_name (error), ==, "network-offline-symbolic");
}

/* The layers that word sentences themselves (rules, store) are shown as they said it. */
static void
test_layer_sentences (void)
{
  g_autoptr(GError) rule = g_error_new_literal (PB_CORE_ERROR, PB_CORE_ERROR_RULE,
                                                "Unlink its accounts first.");
  g_autoptr(GError) store = g_error_new_literal (PB_STORE_ERROR, PB_STORE_ERROR_KEYRING_LOCKED,
                                                 "The keyring is locked.");
  g_autofree char *rule_sentence = pb_error_sentence (rule);
  g_autofree char *store_sentence = pb_error_sentence (store);
  g_autofree char *none = pb_error_sentence (NULL);

  g_assert_cmpstr (rule_sentence, ==, "Unlink its accounts first.");
  g_assert_cmpstr (store_sentence, ==, "The keyring is locked.");
  g_assert_cmpstr (none, !=, "");
}

/* Linking: a used or expired connect session is not a refused API key; offline, linking
 * and checking say that they need the backend, not the store's own words. */
static void
test_linking_sentences (void)
{
  g_autoptr(GError) used = pb_api_error_new_http (401, "invalid_token", NULL,
                                                  "The connect token is invalid.", DESCRIPTION);
  g_autoptr(GError) key = pb_api_error_new_http (401, "unauthorized", NULL, NULL, DESCRIPTION);
  g_autoptr(GError) offline = g_error_new_literal (PB_STORE_ERROR, PB_STORE_ERROR_NEEDS_BACKEND,
                                                   "cannot wait in the queue");
  g_autofree char *used_sentence = pb_error_sentence (used);
  g_autofree char *key_sentence = pb_error_sentence (key);
  g_autofree char *offline_sentence = pb_error_sentence (offline);

  g_assert_nonnull (strstr (used_sentence, "connect session"));
  g_assert_null (strstr (used_sentence, "API key"));
  g_assert_nonnull (strstr (key_sentence, "API key"));
  g_assert_nonnull (strstr (offline_sentence, "cannot be reached"));
  g_assert_null (strstr (offline_sentence, "queue"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error-sentence/codes-without-body", test_codes_without_body);
  g_test_add_func ("/error-sentence/server-sentence-kept", test_server_sentence_kept);
  g_test_add_func ("/error-sentence/unreachable", test_unreachable);
  g_test_add_func ("/error-sentence/layer-sentences", test_layer_sentences);
  g_test_add_func ("/error-sentence/linking", test_linking_sentences);

  return g_test_run ();
}
