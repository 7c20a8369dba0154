/* headers.c: the response header API over the easy handle's header
 * store (filled by the transfer as heads arrive). */
#include <curl/curl.h>

#include "api/easy_handle.h"
#include "api/header_store.h"

CURLHcode curl_easy_header(CURL *easy, const char *name, size_t index,
                           unsigned int origin, int request,
                           struct curl_header **hout) {
  struct cn_easy *e = cn_easy_from(easy);
  if (!e)
    return CURLHE_BAD_ARGUMENT;
  return cn_header_store_get(&e->headers, name, index, origin, request, hout);
}

struct curl_header *curl_easy_nextheader(CURL *easy, unsigned int origin,
                                         int request,
                                         struct curl_header *prev) {
  struct cn_easy *e = cn_easy_from(easy);
  if (!e)
    return NULL;
  return cn_header_store_next(&e->headers, origin, request, prev);
}
