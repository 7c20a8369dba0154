/* easy.c: the easy interface. curl_easy_perform drives a private multi
 * handle (kept between performs so connections are reused) until its one
 * transfer is done. */
#include <curl/curl.h>
#include <curl/multi.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/easy_handle.h"
#include "api/global.h"
#include "api/impersonate.h"
#include "api/multi_handle.h"
#include "api/transfer.h"
#include "api/ws_internal.h"
#include "socket/detached_connection.h"
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
  cn_easy_drop_connection(e);
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
  e->proxy_verify_result = 0;
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

/* easy_connection is libcurl's check before curl_easy_send/recv: the
 * handle must be CONNECT_ONLY and have its connection. Logs like libcurl. */
static CURLcode easy_connection(struct cn_easy *e) {
  if (!e->opts.connect_only) {
    cn_easy_failf(e, "CONNECT_ONLY is required");
    return CURLE_UNSUPPORTED_PROTOCOL;
  }
  if (!e->conn) {
    cn_easy_failf(e, "Failed to get recent socket");
    return CURLE_UNSUPPORTED_PROTOCOL;
  }
  return CURLE_OK;
}

CURLcode curl_easy_recv(CURL *handle, void *buffer, size_t buflen, size_t *n) {
  struct cn_easy *e = cn_easy_from(handle);
  if (n)
    *n = 0;
  if (!e || !n || (!buffer && buflen))
    return CURLE_BAD_FUNCTION_ARGUMENT;
  if (e->in_callback)
    return CURLE_RECURSIVE_API_CALL;
  CURLcode rc = easy_connection(e);
  if (rc != CURLE_OK)
    return rc;
  if (!buflen)
    return CURLE_OK;
  int rv = cn_detached_connection_recv(e->conn, buffer, buflen);
  if (rv == CN_ERR_IO_PENDING)
    return CURLE_AGAIN;
  if (rv < 0) {
    cn_easy_failf(e, "Recv failure: %s", cn_net_error_description(rv));
    return CURLE_RECV_ERROR;
  }
  *n = (size_t)rv; /* 0: the peer closed */
  return CURLE_OK;
}

CURLcode curl_easy_send(CURL *handle, const void *buffer, size_t buflen,
                        size_t *n) {
  struct cn_easy *e = cn_easy_from(handle);
  if (n)
    *n = 0;
  if (!e || !n || (!buffer && buflen))
    return CURLE_BAD_FUNCTION_ARGUMENT;
  if (e->in_callback)
    return CURLE_RECURSIVE_API_CALL;
  CURLcode rc = easy_connection(e);
  if (rc != CURLE_OK)
    return rc;
  int rv = cn_detached_connection_send(e->conn, buffer, buflen);
  if (rv == CN_ERR_IO_PENDING)
    return CURLE_AGAIN;
  if (rv < 0) {
    cn_easy_failf(e, "Send failure: %s", cn_net_error_description(rv));
    return CURLE_SEND_ERROR;
  }
  *n = (size_t)rv;
  return CURLE_OK;
}

void cn_easy_drop_connection(struct cn_easy *e) {
  cn_ws_free(e->ws);
  e->ws = NULL;
  cn_detached_connection_free(e->conn);
  e->conn = NULL;
  e->info.active_socket = CURL_SOCKET_BAD;
}

void cn_easy_failf(struct cn_easy *e, const char *fmt, ...) {
  char text[CURL_ERROR_SIZE];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  if (e->opts.error_buffer)
    snprintf(e->opts.error_buffer, CURL_ERROR_SIZE, "%s", text);
}
