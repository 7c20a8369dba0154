/* getinfo.c: curl_easy_getinfo, answered from struct cn_transfer_info (what
 * the last transfer measured) and, where libcurl does so, from the options.
 *
 * Like libcurl 8.14: an unknown CURLINFO, a number whose type bits do not
 * match its value's type, and a NULL result pointer all give
 * CURLE_UNKNOWN_OPTION; only a bad handle gives CURLE_BAD_FUNCTION_ARGUMENT.
 * Strings handed out stay owned by the handle. */
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "api/build_info.h"
#include "api/cookies_api.h"
#include "api/easy_handle.h"

/* us_to_secs turns the info's microseconds into the seconds of the double
 * variants. */
static double us_to_secs(curl_off_t us) { return (double)us / 1000000.0; }

/* effective_method is what libcurl reports before and after a transfer
 * when the transfer did not record one: the custom method, else HEAD for
 * NOBODY, else the method the options select. */
static const char *effective_method(const struct cn_easy *e) {
  if (e->info.effective_method)
    return e->info.effective_method;
  if (e->opts.custom_request)
    return e->opts.custom_request;
  if (e->opts.no_body)
    return "HEAD";
  switch (e->opts.http_method) {
  case CN_HTTPREQ_POST:
  case CN_HTTPREQ_POST_FORM:
  case CN_HTTPREQ_POST_MIME:
    return "POST";
  case CN_HTTPREQ_PUT:
    return "PUT";
  case CN_HTTPREQ_HEAD:
    return "HEAD";
  default:
    return "GET";
  }
}

/* scheme_protocol maps the last transfer's scheme to CURLPROTO_* for the
 * deprecated CURLINFO_PROTOCOL; 0 before any transfer. */
static long scheme_protocol(const char *scheme) {
  if (strcmp(scheme, "http") == 0)
    return CURLPROTO_HTTP;
  if (strcmp(scheme, "https") == 0)
    return CURLPROTO_HTTPS;
  return 0;
}

/* libcurl 8 reports the scheme in lower case ("https"; 7.x said
 * "HTTPS"), NULL before any connection. */
static const char *scheme_name(const char *scheme) {
  return scheme[0] ? scheme : NULL;
}

static CURLcode getinfo_string(struct cn_easy *e, CURLINFO info,
                               const char **out) {
  const struct cn_transfer_info *i = &e->info;
  switch (info) {
  case CURLINFO_EFFECTIVE_URL:
    /* the URL set, until a transfer (and its redirects) says otherwise */
    *out =
        i->effective_url ? i->effective_url : (e->opts.url ? e->opts.url : "");
    return CURLE_OK;
  case CURLINFO_EFFECTIVE_METHOD:
    *out = effective_method(e);
    return CURLE_OK;
  case CURLINFO_CONTENT_TYPE:
    *out = i->content_type;
    return CURLE_OK;
  case CURLINFO_PRIVATE:
    *out = e->opts.private_data;
    return CURLE_OK;
  case CURLINFO_FTP_ENTRY_PATH:
    *out = NULL; /* no FTP */
    return CURLE_OK;
  case CURLINFO_REDIRECT_URL:
    *out = i->redirect_url;
    return CURLE_OK;
  case CURLINFO_REFERER:
    *out = i->referer_used ? i->referer_used : e->opts.referer;
    return CURLE_OK;
  case CURLINFO_PRIMARY_IP:
    *out = i->primary_ip;
    return CURLE_OK;
  case CURLINFO_LOCAL_IP:
    *out = i->local_ip;
    return CURLE_OK;
  case CURLINFO_SCHEME:
    *out = scheme_name(i->scheme);
    return CURLE_OK;
  case CURLINFO_CAINFO:
    *out = CN_DEFAULT_CA_BUNDLE;
    return CURLE_OK;
  case CURLINFO_CAPATH:
    *out = CN_DEFAULT_CA_PATH;
    return CURLE_OK;
  default:
    /* CURLINFO_RTSP_SESSION_ID: no RTSP, as libcurl without it */
    return CURLE_UNKNOWN_OPTION;
  }
}

static CURLcode getinfo_long(struct cn_easy *e, CURLINFO info, long *out) {
  const struct cn_transfer_info *i = &e->info;
  switch (info) {
  case CURLINFO_RESPONSE_CODE:
    *out = i->response_code;
    return CURLE_OK;
  case CURLINFO_HTTP_CONNECTCODE:
    *out = i->http_connectcode;
    return CURLE_OK;
  case CURLINFO_FILETIME:
    if (i->filetime > LONG_MAX)
      *out = LONG_MAX;
    else if (i->filetime < LONG_MIN)
      *out = LONG_MIN;
    else
      *out = (long)i->filetime;
    return CURLE_OK;
  case CURLINFO_HEADER_SIZE:
    *out = i->header_size;
    return CURLE_OK;
  case CURLINFO_REQUEST_SIZE:
    *out = i->request_size;
    return CURLE_OK;
  case CURLINFO_SSL_VERIFYRESULT:
    *out = i->ssl_verify_result;
    return CURLE_OK;
  case CURLINFO_PROXY_SSL_VERIFYRESULT:
    *out = i->proxy_ssl_verify_result;
    return CURLE_OK;
  case CURLINFO_REDIRECT_COUNT:
    *out = i->redirect_count;
    return CURLE_OK;
  case CURLINFO_HTTPAUTH_AVAIL:
    *out = i->httpauth_avail;
    return CURLE_OK;
  case CURLINFO_PROXYAUTH_AVAIL:
    *out = i->proxyauth_avail;
    return CURLE_OK;
  case CURLINFO_HTTPAUTH_USED:
    *out = i->httpauth_used;
    return CURLE_OK;
  case CURLINFO_PROXYAUTH_USED:
    *out = i->proxyauth_used;
    return CURLE_OK;
  case CURLINFO_OS_ERRNO:
    *out = i->os_errno;
    return CURLE_OK;
  case CURLINFO_NUM_CONNECTS:
    *out = i->num_connects;
    return CURLE_OK;
  case CURLINFO_LASTSOCKET:
    /* documented as -1 when there is none */
    *out = i->active_socket == CURL_SOCKET_BAD ? -1L : (long)i->active_socket;
    return CURLE_OK;
  case CURLINFO_PRIMARY_PORT:
    *out = i->primary_port;
    return CURLE_OK;
  case CURLINFO_LOCAL_PORT:
    *out = i->local_port;
    return CURLE_OK;
  case CURLINFO_PROXY_ERROR:
    *out = i->proxy_error;
    return CURLE_OK;
  case CURLINFO_CONDITION_UNMET:
    *out = i->response_code == 304 ? 1L : (i->condition_unmet ? 1L : 0L);
    return CURLE_OK;
  case CURLINFO_HTTP_VERSION:
    *out = i->http_version;
    return CURLE_OK;
  case CURLINFO_PROTOCOL:
    *out = scheme_protocol(i->scheme);
    return CURLE_OK;
  case CURLINFO_USED_PROXY:
    *out = i->used_proxy ? 1L : 0L;
    return CURLE_OK;
  default:
    /* CURLINFO_RTSP_*: no RTSP, as libcurl without it */
    return CURLE_UNKNOWN_OPTION;
  }
}

static CURLcode getinfo_double(struct cn_easy *e, CURLINFO info, double *out) {
  const struct cn_transfer_info *i = &e->info;
  switch (info) {
  case CURLINFO_TOTAL_TIME:
    *out = us_to_secs(i->total_time_us);
    return CURLE_OK;
  case CURLINFO_NAMELOOKUP_TIME:
    *out = us_to_secs(i->namelookup_time_us);
    return CURLE_OK;
  case CURLINFO_CONNECT_TIME:
    *out = us_to_secs(i->connect_time_us);
    return CURLE_OK;
  case CURLINFO_APPCONNECT_TIME:
    *out = us_to_secs(i->appconnect_time_us);
    return CURLE_OK;
  case CURLINFO_PRETRANSFER_TIME:
    *out = us_to_secs(i->pretransfer_time_us);
    return CURLE_OK;
  case CURLINFO_STARTTRANSFER_TIME:
    *out = us_to_secs(i->starttransfer_time_us);
    return CURLE_OK;
  case CURLINFO_REDIRECT_TIME:
    *out = us_to_secs(i->redirect_time_us);
    return CURLE_OK;
  case CURLINFO_SIZE_UPLOAD:
    *out = (double)i->size_upload;
    return CURLE_OK;
  case CURLINFO_SIZE_DOWNLOAD:
    *out = (double)i->size_download;
    return CURLE_OK;
  case CURLINFO_SPEED_DOWNLOAD:
    *out = (double)i->speed_download;
    return CURLE_OK;
  case CURLINFO_SPEED_UPLOAD:
    *out = (double)i->speed_upload;
    return CURLE_OK;
  case CURLINFO_CONTENT_LENGTH_DOWNLOAD:
    *out = (double)i->content_length_download;
    return CURLE_OK;
  case CURLINFO_CONTENT_LENGTH_UPLOAD:
    *out = (double)i->content_length_upload;
    return CURLE_OK;
  default:
    return CURLE_UNKNOWN_OPTION;
  }
}

static CURLcode getinfo_offt(struct cn_easy *e, CURLINFO info,
                             curl_off_t *out) {
  const struct cn_transfer_info *i = &e->info;
  switch (info) {
  case CURLINFO_FILETIME_T:
    *out = i->filetime;
    return CURLE_OK;
  case CURLINFO_SIZE_UPLOAD_T:
    *out = i->size_upload;
    return CURLE_OK;
  case CURLINFO_SIZE_DOWNLOAD_T:
    *out = i->size_download;
    return CURLE_OK;
  case CURLINFO_SPEED_DOWNLOAD_T:
    *out = i->speed_download;
    return CURLE_OK;
  case CURLINFO_SPEED_UPLOAD_T:
    *out = i->speed_upload;
    return CURLE_OK;
  case CURLINFO_CONTENT_LENGTH_DOWNLOAD_T:
    *out = i->content_length_download;
    return CURLE_OK;
  case CURLINFO_CONTENT_LENGTH_UPLOAD_T:
    *out = i->content_length_upload;
    return CURLE_OK;
  case CURLINFO_TOTAL_TIME_T:
    *out = i->total_time_us;
    return CURLE_OK;
  case CURLINFO_NAMELOOKUP_TIME_T:
    *out = i->namelookup_time_us;
    return CURLE_OK;
  case CURLINFO_CONNECT_TIME_T:
    *out = i->connect_time_us;
    return CURLE_OK;
  case CURLINFO_APPCONNECT_TIME_T:
    *out = i->appconnect_time_us;
    return CURLE_OK;
  case CURLINFO_PRETRANSFER_TIME_T:
    *out = i->pretransfer_time_us;
    return CURLE_OK;
  case CURLINFO_POSTTRANSFER_TIME_T:
    *out = i->posttransfer_time_us;
    return CURLE_OK;
  case CURLINFO_STARTTRANSFER_TIME_T:
    *out = i->starttransfer_time_us;
    return CURLE_OK;
  case CURLINFO_REDIRECT_TIME_T:
    *out = i->redirect_time_us;
    return CURLE_OK;
  case CURLINFO_QUEUE_TIME_T:
    *out = i->queue_time_us;
    return CURLE_OK;
  case CURLINFO_RETRY_AFTER:
    *out = i->retry_after;
    return CURLE_OK;
  case CURLINFO_EARLYDATA_SENT_T:
    *out = i->earlydata_sent;
    return CURLE_OK;
  case CURLINFO_CONN_ID:
    *out = i->conn_id;
    return CURLE_OK;
  case CURLINFO_XFER_ID:
    /* assigned when the handle joins a multi (the transfer copies it) */
    if (i->xfer_id >= 0)
      *out = i->xfer_id;
    else
      *out = e->multi ? e->xfer_id : -1;
    return CURLE_OK;
  default:
    return CURLE_UNKNOWN_OPTION;
  }
}

/* The CURLINFO_PTR ("slist") class: lists and structs the handle owns. */
static CURLcode getinfo_ptr(struct cn_easy *e, CURLINFO info, void **out) {
  switch (info) {
  case CURLINFO_SSL_ENGINES:
    *out = NULL; /* BoringSSL has no engines */
    return CURLE_OK;
  case CURLINFO_COOKIELIST:
    *out = cn_cookie_list(e); /* the program frees it */
    return CURLE_OK;
  case CURLINFO_CERTINFO:
    /* a struct, handed out through the slist pointer as libcurl does */
    *out = &e->info.certinfo;
    return CURLE_OK;
  case CURLINFO_TLS_SESSION:
  case CURLINFO_TLS_SSL_PTR: {
    struct curl_tlssessioninfo *tsi = &e->info.tls_session_info;
    tsi->backend = CURLSSLBACKEND_BORINGSSL;
    tsi->internals =
        info == CURLINFO_TLS_SESSION ? e->info.tls_ssl_ctx : e->info.tls_ssl;
    *out = tsi;
    return CURLE_OK;
  }
  default:
    return CURLE_UNKNOWN_OPTION;
  }
}

#undef curl_easy_getinfo
CURLcode curl_easy_getinfo(CURL *handle, CURLINFO info, ...) {
  struct cn_easy *e = cn_easy_from(handle);
  if (!e)
    return CURLE_BAD_FUNCTION_ARGUMENT;

  va_list ap;
  va_start(ap, info);
  void *out = va_arg(ap, void *);
  va_end(ap);
  if (!out)
    return CURLE_UNKNOWN_OPTION;

  switch ((int)info & CURLINFO_TYPEMASK) {
  case CURLINFO_STRING:
    return getinfo_string(e, info, out);
  case CURLINFO_LONG:
    return getinfo_long(e, info, out);
  case CURLINFO_DOUBLE:
    return getinfo_double(e, info, out);
  case CURLINFO_OFF_T:
    return getinfo_offt(e, info, out);
  case CURLINFO_SLIST:
    return getinfo_ptr(e, info, out);
  case CURLINFO_SOCKET:
    if (info != CURLINFO_ACTIVESOCKET)
      return CURLE_UNKNOWN_OPTION;
    *(curl_socket_t *)out = e->info.active_socket;
    return CURLE_OK;
  default:
    return CURLE_UNKNOWN_OPTION;
  }
}
