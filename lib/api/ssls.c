/* ssls.c: exporting and importing TLS sessions. The TLS session cache
 * cannot hand sessions out yet; libcurl built without session export
 * answers CURLE_NOT_BUILT_IN the same way. */
#include <curl/curl.h>

CURLcode curl_easy_ssls_import(CURL *handle, const char *session_key,
                               const unsigned char *shmac, size_t shmac_len,
                               const unsigned char *sdata, size_t sdata_len) {
  (void)handle;
  (void)session_key;
  (void)shmac;
  (void)shmac_len;
  (void)sdata;
  (void)sdata_len;
  return CURLE_NOT_BUILT_IN;
}

CURLcode curl_easy_ssls_export(CURL *handle, curl_ssls_export_cb *export_fn,
                               void *userptr) {
  (void)handle;
  (void)export_fn;
  (void)userptr;
  return CURLE_NOT_BUILT_IN;
}
