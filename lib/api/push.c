/* push.c: reading the headers of an HTTP/2 server push. Without the
 * HTTP/2 transport there are no pushes; libcurl without nghttp2 answers
 * NULL the same way. */
#include <curl/curl.h>

char *curl_pushheader_bynum(struct curl_pushheaders *h, size_t num) {
  (void)h;
  (void)num;
  return NULL;
}

char *curl_pushheader_byname(struct curl_pushheaders *h, const char *name) {
  (void)h;
  (void)name;
  return NULL;
}
