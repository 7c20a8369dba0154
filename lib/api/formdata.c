/* formdata.c: the deprecated form API (curl_formadd and friends). It needs
 * MIME, which is not built yet; these are libcurl's answers when it is
 * built without the form API. */
#include <curl/curl.h>

CURLFORMcode curl_formadd(struct curl_httppost **httppost,
                          struct curl_httppost **last_post, ...) {
  (void)httppost;
  (void)last_post;
  return CURL_FORMADD_DISABLED;
}

int curl_formget(struct curl_httppost *form, void *arg,
                 curl_formget_callback append) {
  (void)form;
  (void)arg;
  (void)append;
  return CURL_FORMADD_DISABLED;
}

void curl_formfree(struct curl_httppost *form) {
  /* curl_formadd never built a list to free */
  (void)form;
}
