/* stubs_test.c: the APIs of features not built yet answer exactly what
 * libcurl answers when built without them. */
#include <curl/curl.h>

#include "test.h"

TEST(no_server_push) {
  CHECK(curl_pushheader_bynum(NULL, 0) == NULL);
  CHECK(curl_pushheader_byname(NULL, ":path") == NULL);
}

TEST(no_session_export) {
  CHECK_EQ_INT(curl_easy_ssls_import(NULL, NULL, NULL, 0, NULL, 0),
               CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_easy_ssls_export(NULL, NULL, NULL), CURLE_NOT_BUILT_IN);
}

TEST_MAIN(no_server_push, no_session_export)
