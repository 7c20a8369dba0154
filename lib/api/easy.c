/* easy.c: the easy interface. curl_easy_perform drives a private multi
 * handle (kept between performs so connections are reused) until its one
 * transfer is done. */
#include <curl/curl.h>
#include <curl/multi.h>
#include <string.h>

#include "api/easy_handle.h"
#include "api/global.h"
#include "api/impersonate.h"
#include "api/multi_handle.h"
#include "api/transfer.h"
#include "util/alloc.h"
#include "util/net_error.h"


CURL *curl_easy_init(void) {
  if (cn_global_init_implicit() != CURLE_OK)
    return NULL;
  struct cn_easy *e = cn_calloc(1, sizeof(*e));
  if (!e)
    return NULL;
  e->magic = CN_EASY_MAGIC;
  cn_easy_options_init(&e->opts);
  cn_transfer_info_reset(&e->info);
  cn_header_store_init(&e->headers);
  cn_http_auth_controller_init(&e->auth);
  cn_http_auth_controller_init_proxy(&e->proxy_auth);
  /* CURL_IMPERSONATE=chrome makes unmodified programs browser-shaped. */
  if (cn_impersonate_apply_env(&e->opts) != CURLE_OK) {
    cn_easy_options_cleanup(&e->opts);
    cn_cookie_engine_cleanup(&e->cookies);
    cn_free(e);
    return NULL;
  }
  return e;
}

void curl_easy_cleanup(CURL *handle) {
  struct cn_easy *e = cn_easy_from(handle);
  if (!e)
    return;
  if (e->multi)
    curl_multi_remove_handle(e->multi, e);
  if (e->implicit_multi)
    curl_multi_cleanup(e->implicit_multi);
  cn_transfer_free(e->transfer);
  /* libcurl writes CURLOPT_COOKIEJAR and the HSTS cache at cleanup. */
  cn_cookie_engine_close(&e->cookies, NULL);
  cn_hsts_engine_close(e);
  cn_altsvc_engine_close(&e->altsvc);
  cn_easy_options_cleanup(&e->opts);
  cn_transfer_info_reset(&e->info);
  cn_header_store_cleanup(&e->headers);
  cn_http_auth_controller_cleanup(&e->auth);
  cn_buf_cleanup(&e->ssl_key);
  cn_http_auth_controller_cleanup(&e->proxy_auth);
  e->magic = 0;
  cn_free(e);
}

CURLcode curl_easy_perform(CURL *handle) {
  struct cn_easy *e = cn_easy_from(handle);
  if (!e)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  if (e->multi)
    return CURLE_FAILED_INIT; /* libcurl: already in a multi handle */
  if (!e->implicit_multi) {
    e->implicit_multi = cn_multi_new_internal();
    if (!e->implicit_multi)
      return CURLE_OUT_OF_MEMORY;
  }
  struct cn_multi *m = e->implicit_multi;
  CURLMcode mc = curl_multi_add_handle(m, e);
  if (mc != CURLM_OK)
    return mc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_FAILED_INIT;
  while (!e->done) {
    mc = cn_multi_run(m, 1000, NULL, 0, NULL, false);
    if (mc != CURLM_OK) {
      e->result = CURLE_OUT_OF_MEMORY;
      break;
    }
  }
  CURLcode result = e->result;
  curl_multi_remove_handle(m, e);
  return result;
}

void curl_easy_reset(CURL *handle) {
  struct cn_easy *e = cn_easy_from(handle);
  if (!e)
    return;
  /* libcurl keeps the share across a reset; cleanup would detach it. */
  struct Curl_share *share = e->opts.share;
  e->opts.share = NULL;
  cn_easy_options_cleanup(&e->opts);
  cn_easy_options_init(&e->opts);
  e->opts.share = share;
  e->ssl_key_valid = false;
  cn_cookie_engine_reset(&e->cookies);
  /* The cache stays (libcurl keeps it); its callbacks are options. */
  e->hsts.read_fn = NULL;
  e->hsts.write_fn = NULL;
  e->hsts.read_data = e->hsts.write_data = NULL;
  (void)cn_impersonate_apply_env(&e->opts);
  cn_transfer_info_reset(&e->info);
  cn_http_auth_controller_cleanup(&e->auth);
  cn_http_auth_controller_cleanup(&e->proxy_auth);
}

CURL *curl_easy_duphandle(CURL *handle) {
  struct cn_easy *src = cn_easy_from(handle);
  if (!src)
    return NULL;
  struct cn_easy *e = cn_calloc(1, sizeof(*e));
  if (!e)
    return NULL;
  e->magic = CN_EASY_MAGIC;
  cn_transfer_info_reset(&e->info);
  cn_header_store_init(&e->headers);
  cn_http_auth_controller_init(&e->auth);
  cn_http_auth_controller_init_proxy(&e->proxy_auth);
  if (cn_easy_options_copy(&e->opts, &src->opts) != CURLE_OK) {
    cn_transfer_info_reset(&e->info);
    cn_http_auth_controller_cleanup(&e->auth);
    cn_http_auth_controller_cleanup(&e->proxy_auth);
    cn_free(e);
    return NULL;
  }
  if (cn_cookie_engine_dup(&e->cookies, &src->cookies) != CN_OK ||
      cn_hsts_engine_dup(&e->hsts, &src->hsts) != CURLE_OK ||
      cn_altsvc_engine_dup(&e->altsvc, &src->altsvc) != CURLE_OK) {
    curl_easy_cleanup(e);
    return NULL;
  }
  return e;
}

CURLcode curl_easy_pause(CURL *handle, int bitmask) {
  struct cn_easy *e = cn_easy_from(handle);
  if (!e)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  e->paused = bitmask & (CURLPAUSE_RECV | CURLPAUSE_SEND);
  if (!e->transfer)
    return CURLE_OK;
  return cn_transfer_pause(e->transfer, bitmask);
}

CURLcode curl_easy_upkeep(CURL *handle) {
  struct cn_easy *e = cn_easy_from(handle);
  if (!e)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  /* HTTP/1.1 connections need no keep-alive traffic; HTTP/2 PINGs will
   * hook in here. */
  return CURLE_OK;
}

CURLcode curl_easy_recv(CURL *handle, void *buffer, size_t buflen, size_t *n) {
  struct cn_easy *e = cn_easy_from(handle);
  (void)buffer;
  (void)buflen;
  if (n)
    *n = 0;
  if (!e)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  if (e->transfer && cn_transfer_in_callback(e->transfer))
    return CURLE_RECURSIVE_API_CALL;
  /* Needs CURLOPT_CONNECT_ONLY, which is not built yet. */
  return CURLE_UNSUPPORTED_PROTOCOL;
}

CURLcode curl_easy_send(CURL *handle, const void *buffer, size_t buflen,
                        size_t *n) {
  struct cn_easy *e = cn_easy_from(handle);
  (void)buffer;
  (void)buflen;
  if (n)
    *n = 0;
  if (!e)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  if (e->transfer && cn_transfer_in_callback(e->transfer))
    return CURLE_RECURSIVE_API_CALL;
  return CURLE_UNSUPPORTED_PROTOCOL;
}
