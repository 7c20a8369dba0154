/* escape.c: curl_easy_escape, curl_easy_unescape, their pre-7.15.4
 * spellings and curl_free. The encoding itself lives in util/url.c, shared
 * with the URL parser. */
#include <curl/curl.h>

#include <limits.h>
#include <string.h>

#include "util/alloc.h"
#include "util/url.h"

char *curl_easy_escape(CURL *handle, const char *string, int length) {
  (void)handle;
  if (!string || length < 0)
    return NULL;
  size_t len = length ? (size_t)length : strlen(string);
  if (!len)
    return cn_strdup("");
  return cn_url_escape(string, len);
}

char *curl_escape(const char *string, int length) {
  return curl_easy_escape(NULL, string, length);
}

char *curl_easy_unescape(CURL *handle, const char *string, int length,
                         int *outlength) {
  (void)handle;
  if (!string || length < 0)
    return NULL;
  size_t len = length ? (size_t)length : strlen(string);
  char *out;
  size_t olen;
  if (cn_url_unescape(string, len, CN_URL_UNESCAPE_ALLOW_ALL, &out, &olen))
    return NULL;
  if (outlength) {
    if (olen > INT_MAX) {
      cn_free(out);
      return NULL;
    }
    *outlength = (int)olen;
  }
  return out;
}

char *curl_unescape(const char *string, int length) {
  return curl_easy_unescape(NULL, string, length, NULL);
}

void curl_free(void *p) { cn_free(p); }
