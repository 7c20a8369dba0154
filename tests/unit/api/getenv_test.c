/* getenv_test.c: curl_getenv. */
#include <curl/curl.h>

#include <stdlib.h>

#include "test.h"
#include "util/alloc.h"

TEST(returns_a_copy) {
  setenv("CURLIUM_GETENV_TEST", "value", 1);
  char *v = curl_getenv("CURLIUM_GETENV_TEST");
  CHECK_EQ_STR(v, "value");
  setenv("CURLIUM_GETENV_TEST", "other", 1);
  CHECK_EQ_STR(v, "value"); /* ours, not the environment's */
  curl_free(v);
}

TEST(unset_or_empty_is_null) {
  unsetenv("CURLIUM_GETENV_TEST");
  CHECK(curl_getenv("CURLIUM_GETENV_TEST") == NULL);
  setenv("CURLIUM_GETENV_TEST", "", 1);
  CHECK(curl_getenv("CURLIUM_GETENV_TEST") == NULL);
  CHECK(curl_getenv(NULL) == NULL);
  setenv("CURLIUM_GETENV_TEST", "x", 1);
  cn_alloc_fail_nth(1);
  CHECK(curl_getenv("CURLIUM_GETENV_TEST") == NULL);
  cn_alloc_fail_nth(0);
}

TEST_MAIN(returns_a_copy, unset_or_empty_is_null)
