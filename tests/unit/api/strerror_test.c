/* strerror_test.c: the error texts are libcurl 8.14's, character for
 * character (programs and curl's own test suite compare them). */
#include <curl/curl.h>

#include "test.h"

TEST(easy_texts) {
  CHECK_EQ_STR(curl_easy_strerror(CURLE_OK), "No error");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_UNSUPPORTED_PROTOCOL),
               "Unsupported protocol");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_NOT_BUILT_IN),
               "A requested feature, protocol or option was not found "
               "built-in in this libcurl due to a build-time decision.");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_COULDNT_RESOLVE_HOST),
               "Could not resolve hostname");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_COULDNT_CONNECT),
               "Could not connect to server");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_OPERATION_TIMEDOUT),
               "Timeout was reached");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_PEER_FAILED_VERIFICATION),
               "SSL peer certificate or SSH remote key was not OK");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_UNKNOWN_OPTION),
               "An unknown option was passed in to libcurl");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_BAD_CONTENT_ENCODING),
               "Unrecognized or bad HTTP Content or Transfer-Encoding");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_HTTP_RETURNED_ERROR),
               "HTTP response code said error");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_FTP_CANT_GET_HOST),
               "FTP: cannot figure out the host in the PASV response");
  CHECK_EQ_STR(curl_easy_strerror(CURLE_ECH_REQUIRED),
               "ECH attempted but failed");
}

TEST(easy_unknown_codes) {
  CHECK_EQ_STR(curl_easy_strerror(CURLE_OBSOLETE20), "Unknown error");
  CHECK_EQ_STR(curl_easy_strerror(CURL_LAST), "Unknown error");
  CHECK_EQ_STR(curl_easy_strerror((CURLcode)-1), "Unknown error");
  CHECK_EQ_STR(curl_easy_strerror((CURLcode)10000), "Unknown error");
  /* every code up to CURL_LAST has a text or the fallback, never NULL */
  for (int c = 0; c <= CURL_LAST; c++)
    CHECK(curl_easy_strerror((CURLcode)c) != NULL);
}

TEST(multi_texts) {
  CHECK_EQ_STR(curl_multi_strerror(CURLM_CALL_MULTI_PERFORM),
               "Please call curl_multi_perform() soon");
  CHECK_EQ_STR(curl_multi_strerror(CURLM_OK), "No error");
  CHECK_EQ_STR(curl_multi_strerror(CURLM_BAD_EASY_HANDLE),
               "Invalid easy handle");
  CHECK_EQ_STR(curl_multi_strerror(CURLM_ADDED_ALREADY),
               "The easy handle is already added to a multi handle");
  CHECK_EQ_STR(curl_multi_strerror(CURLM_UNRECOVERABLE_POLL),
               "Unrecoverable error in select/poll");
  CHECK_EQ_STR(curl_multi_strerror(CURLM_LAST), "Unknown error");
}

TEST(share_texts) {
  CHECK_EQ_STR(curl_share_strerror(CURLSHE_OK), "No error");
  CHECK_EQ_STR(curl_share_strerror(CURLSHE_IN_USE), "Share currently in use");
  CHECK_EQ_STR(curl_share_strerror(CURLSHE_NOT_BUILT_IN),
               "Feature not enabled in this library");
  CHECK_EQ_STR(curl_share_strerror(CURLSHE_LAST), "CURLSHcode unknown");
}

TEST_MAIN(easy_texts, easy_unknown_codes, multi_texts, share_texts)
