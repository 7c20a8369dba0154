/* stubs_test.c: the APIs of features not built yet answer exactly what
 * libcurl answers when built without them. */
#include <curl/curl.h>

#include "test.h"

TEST(websockets_are_not_built) {
  size_t n = 5;
  const struct curl_ws_frame *meta = NULL;
  char buf[4];
  CHECK_EQ_INT(curl_ws_recv(NULL, buf, sizeof(buf), &n, &meta),
               CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_ws_send(NULL, "x", 1, &n, 0, CURLWS_TEXT),
               CURLE_NOT_BUILT_IN);
  CHECK(curl_ws_meta(NULL) == NULL);
}

TEST(no_server_push) {
  CHECK(curl_pushheader_bynum(NULL, 0) == NULL);
  CHECK(curl_pushheader_byname(NULL, ":path") == NULL);
}

TEST(no_session_export) {
  CHECK_EQ_INT(curl_easy_ssls_import(NULL, NULL, NULL, 0, NULL, 0),
               CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_easy_ssls_export(NULL, NULL, NULL), CURLE_NOT_BUILT_IN);
}

TEST_MAIN(websockets_are_not_built, no_server_push, no_session_export)
