/* stubs_test.c: the APIs of features not built yet answer exactly what
 * libcurl answers when built without them. */
#include <curl/curl.h>

#include "test.h"

TEST(mime_is_not_built) {
  CHECK(curl_mime_init(NULL) == NULL);
  curl_mime_free(NULL);
  CHECK(curl_mime_addpart(NULL) == NULL);
  CHECK_EQ_INT(curl_mime_name(NULL, "n"), CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_mime_filename(NULL, "f"), CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_mime_type(NULL, "t"), CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_mime_encoder(NULL, "base64"), CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_mime_data(NULL, "d", 1), CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_mime_filedata(NULL, "f"), CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_mime_data_cb(NULL, 0, NULL, NULL, NULL, NULL),
               CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_mime_subparts(NULL, NULL), CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_mime_headers(NULL, NULL, 0), CURLE_NOT_BUILT_IN);
}

/* (deprecation warnings are off: tests build with BUILDING_LIBCURL) */
TEST(form_api_is_disabled) {
  struct curl_httppost *post = NULL, *last = NULL;
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_COPYNAME, "a",
                            CURLFORM_COPYCONTENTS, "b", CURLFORM_END),
               CURL_FORMADD_DISABLED);
  CHECK(post == NULL);
  CHECK_EQ_INT(curl_formget(NULL, NULL, NULL), CURL_FORMADD_DISABLED);
  curl_formfree(NULL);
}

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

TEST_MAIN(mime_is_not_built, form_api_is_disabled, websockets_are_not_built,
          no_server_push, no_session_export)
