/* headers.c: the response header API. The transfer does not keep the
 * response headers for it yet; until then these are libcurl's answers when
 * built without it (CURL_DISABLE_HEADERS_API). */
#include <curl/curl.h>

CURLHcode curl_easy_header(CURL *easy, const char *name, size_t index,
                           unsigned int origin, int request,
                           struct curl_header **hout) {
  (void)easy;
  (void)name;
  (void)index;
  (void)origin;
  (void)request;
  (void)hout;
  return CURLHE_NOT_BUILT_IN;
}

struct curl_header *curl_easy_nextheader(CURL *easy, unsigned int origin,
                                         int request,
                                         struct curl_header *prev) {
  (void)easy;
  (void)origin;
  (void)request;
  (void)prev;
  return NULL;
}
