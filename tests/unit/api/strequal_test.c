/* strequal_test.c: curl_strequal / curl_strnequal. */
#include <curl/curl.h>

#include "test.h"

TEST(strequal) {
  CHECK_EQ_INT(curl_strequal("Hello", "hELLO"), 1);
  CHECK_EQ_INT(curl_strequal("Hello", "Hello!"), 0);
  CHECK_EQ_INT(curl_strequal("", ""), 1);
  CHECK_EQ_INT(curl_strequal("a", "b"), 0);
  /* Only ASCII letters fold: 0xC4 and 0xE4 stay different. */
  CHECK_EQ_INT(curl_strequal("\xc4", "\xe4"), 0);
  CHECK_EQ_INT(curl_strequal("@", "`"), 0); /* 0x40 vs 0x60 */
  CHECK_EQ_INT(curl_strequal(NULL, NULL), 1);
  CHECK_EQ_INT(curl_strequal("a", NULL), 0);
}

TEST(strnequal) {
  CHECK_EQ_INT(curl_strnequal("Content-Type: x", "content-type", 12), 1);
  CHECK_EQ_INT(curl_strnequal("abc", "abd", 2), 1);
  CHECK_EQ_INT(curl_strnequal("abc", "abd", 3), 0);
  CHECK_EQ_INT(curl_strnequal("ab", "abc", 3), 0);
  CHECK_EQ_INT(curl_strnequal("ab", "AB", 10), 1);
  CHECK_EQ_INT(curl_strnequal("x", "y", 0), 1);
  CHECK_EQ_INT(curl_strnequal(NULL, NULL, 1), 1);
  CHECK_EQ_INT(curl_strnequal(NULL, NULL, 0), 0);
  CHECK_EQ_INT(curl_strnequal(NULL, "a", 1), 0);
}

TEST_MAIN(strequal, strnequal)
