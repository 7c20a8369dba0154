/* ws.c: the WebSocket API. WebSockets are not built yet; these are
 * libcurl's answers when built without them (CURL_DISABLE_WEBSOCKETS). */
#include <curl/curl.h>

CURLcode curl_ws_recv(CURL *curl, void *buffer, size_t buflen, size_t *recv,
                      const struct curl_ws_frame **metap) {
  (void)curl;
  (void)buffer;
  (void)buflen;
  (void)recv;
  (void)metap;
  return CURLE_NOT_BUILT_IN;
}

CURLcode curl_ws_send(CURL *curl, const void *buffer, size_t buflen,
                      size_t *sent, curl_off_t fragsize, unsigned int flags) {
  (void)curl;
  (void)buffer;
  (void)buflen;
  (void)sent;
  (void)fragsize;
  (void)flags;
  return CURLE_NOT_BUILT_IN;
}

const struct curl_ws_frame *curl_ws_meta(CURL *curl) {
  (void)curl;
  return NULL;
}
