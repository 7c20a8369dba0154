/* setopt.c: curl_easy_setopt. Only records: every value is validated the
 * way libcurl 8.14 validates it and stored in struct cn_easy_options; the
 * transfer snapshots the options when it starts.
 *
 * What happens to each option is decided by lib/api/setopt_table.h: options
 * curlium does not build (yet) never reach the switches below. */
#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/cookies_api.h"
#include "api/easy_handle.h"
#include "api/fingerprint_setopt.h"
#include "impersonate/browser_profile.h"
#include "api/setopt.h"
#include "api/mime_internal.h"
#include "api/share_handle.h"
#include "util/alloc.h"

/* libcurl's limits (urldata.h, setopt.c). */
#define MAX_INPUT_LENGTH 8000000 /* CURL_MAX_INPUT_LENGTH */
#define READBUFFER_MIN 1024
#define READBUFFER_SIZE 16384
#define READBUFFER_MAX CURL_MAX_READ_SIZE
#define UPLOADBUFFER_MIN CURL_MAX_WRITE_SIZE
#define UPLOADBUFFER_MAX (2 * 1024 * 1024)

/* What CURLOPT_ACCEPT_ENCODING "" stands for: every coding the content
 * decoders handle, in libcurl's order. */
#define ALL_CONTENT_ENCODINGS "deflate, gzip, br, zstd"

#define CURLPROTO_REDIR_DEFAULT                                                \
  (CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FTP | CURLPROTO_FTPS)

static const struct cn_opt_info opt_table[] = {
#define CN_OPT(opt, status, accepts, note)                                     \
  {opt, #opt, CN_OPT_##status, CN_OPT_ACCEPTS_##accepts, note},
#include "api/setopt_table.h"
#undef CN_OPT
};

const struct cn_opt_info *cn_setopt_table(size_t *out_num) {
  *out_num = sizeof(opt_table) / sizeof(opt_table[0]);
  return opt_table;
}

const struct cn_opt_info *cn_setopt_info(CURLoption option) {
  /* The table is sorted by option value (the unit test checks it). */
  size_t lo = 0, hi = sizeof(opt_table) / sizeof(opt_table[0]);
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (opt_table[mid].option == option)
      return &opt_table[mid];
    if ((int)opt_table[mid].option < (int)option)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* --- helpers ------------------------------------------------------------ */

/* set_string replaces an owned string with a copy of |s| (NULL clears it,
 * restoring the default), like libcurl's Curl_setstropt. */
static CURLcode set_string(char **field, const char *s) {
  char *copy = NULL;
  if (s) {
    if (strlen(s) > MAX_INPUT_LENGTH)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    copy = cn_strdup(s);
    if (!copy)
      return CURLE_OUT_OF_MEMORY;
  }
  cn_free(*field);
  *field = copy;
  return CURLE_OK;
}

/* Timeouts: negative values are refused, huge ones saturate. */
static CURLcode set_timeout_secs(long *field_ms, long secs) {
  if (secs < 0)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  *field_ms = secs > LONG_MAX / 1000 ? LONG_MAX : secs * 1000;
  return CURLE_OK;
}

static CURLcode set_nonneg(long *field, long v) {
  if (v < 0)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  *field = v;
  return CURLE_OK;
}

static CURLcode set_port(long *field, long v) {
  if (v < 0 || v > 65535)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  *field = v;
  return CURLE_OK;
}

/* set_int_clamped: below |min| refused, above INT_MAX clamped, as libcurl
 * does for the options it stores in an int. */
static CURLcode set_int_clamped(long *field, long v, long min) {
  if (v < min)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  *field = v > INT_MAX ? INT_MAX : v;
  return CURLE_OK;
}

/* set_method records the request method and keeps the convenience bools
 * of cn_easy_options in step with it. */
static void set_method(struct cn_easy_options *o, int method) {
  o->http_method = method;
  o->post = method == CN_HTTPREQ_POST || method == CN_HTTPREQ_POST_FORM ||
            method == CN_HTTPREQ_POST_MIME;
  o->upload = method == CN_HTTPREQ_PUT;
  o->http_get = method == CN_HTTPREQ_GET;
}

/* protocol_bits maps a scheme name to its CURLPROTO_* bit; 0 for schemes
 * curlium does not build (libcurl: no handler for it). */
static long protocol_bits(const char *name, size_t len) {
  if (len == 4 && strncasecmp(name, "http", 4) == 0)
    return CURLPROTO_HTTP;
  if (len == 5 && strncasecmp(name, "https", 5) == 0)
    return CURLPROTO_HTTPS;
  if (len == 2 && strncasecmp(name, "ws", 2) == 0)
    return CN_PROTO_WS;
  if (len == 3 && strncasecmp(name, "wss", 3) == 0)
    return CN_PROTO_WSS;
  return 0;
}

/* parse_protocols implements CURLOPT_PROTOCOLS_STR's syntax: "all" or a
 * comma-separated list of scheme names. */
static CURLcode parse_protocols(const char *s, long *out_bits) {
  if (strcasecmp(s, "all") == 0) {
    *out_bits = (long)CURLPROTO_ALL;
    return CURLE_OK;
  }
  long bits = 0;
  while (*s) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    if (len) {
      long bit = protocol_bits(s, len);
      if (!bit)
        return CURLE_UNSUPPORTED_PROTOCOL;
      bits |= bit;
    }
    if (!comma)
      break;
    s = comma + 1;
  }
  if (!bits)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  *out_bits = bits;
  return CURLE_OK;
}

static CURLcode set_protocols_str(char **field_str, long *field_bits,
                                  const char *s, long dflt) {
  if (!s) {
    /* NULL restores the default */
    cn_free(*field_str);
    *field_str = NULL;
    *field_bits = dflt;
    return CURLE_OK;
  }
  long bits;
  CURLcode rc = parse_protocols(s, &bits);
  if (rc != CURLE_OK)
    return rc;
  rc = set_string(field_str, s);
  if (rc != CURLE_OK)
    return rc;
  *field_bits = bits;
  return CURLE_OK;
}

/* set_userpwd splits "user:password" at the first colon, as libcurl does
 * for CURLOPT_USERPWD (no colon: no password). NULL clears both. */
static CURLcode set_userpwd(char **out_user, char **out_pass, const char *s) {
  char *user = NULL, *pass = NULL;
  if (s) {
    size_t len = strlen(s);
    if (len > MAX_INPUT_LENGTH)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    const char *colon = memchr(s, ':', len);
    user = cn_strndup(s, colon ? (size_t)(colon - s) : len);
    if (!user)
      return CURLE_OUT_OF_MEMORY;
    if (colon) {
      pass = cn_strdup(colon + 1);
      if (!pass) {
        cn_free(user);
        return CURLE_OUT_OF_MEMORY;
      }
    }
  }
  cn_free(*out_user);
  cn_free(*out_pass);
  *out_user = user;
  *out_pass = pass;
  return CURLE_OK;
}

/* set_local_ip validates CURLOPT_DNS_LOCAL_IP4/6 like libcurl with c-ares:
 * an address of the family, or NULL/"" for "do not bind". */
static CURLcode set_local_ip(char **field, const char *s, int family) {
  if (s && *s) {
    unsigned char addr[16];
    if (inet_pton(family, s, addr) != 1)
      return CURLE_BAD_FUNCTION_ARGUMENT;
  }
  return set_string(field, s);
}

/* httpauth keeps the wanted bits as libcurl 8.14 does: DIGEST_IE becomes
 * Digest plus the IE-style flag, the scheme not built (Negotiate, as in a
 * libcurl without it) is dropped, and a mask left without any
 * scheme below CURLAUTH_ONLY is CURLE_NOT_BUILT_IN. */
static CURLcode set_httpauth(struct cn_easy_options *o, unsigned long auth) {
  if (auth != CURLAUTH_NONE) {
    bool ie = (auth & CURLAUTH_DIGEST_IE) != 0;
    if (ie) {
      auth |= CURLAUTH_DIGEST;
      auth &= ~CURLAUTH_DIGEST_IE;
    }
    auth &= ~CURLAUTH_NEGOTIATE;
    if (!(auth & ((1UL << 31) - 1)))
      return CURLE_NOT_BUILT_IN;
    o->httpauth_digest_ie = ie;
  }
  o->httpauth = auth;
  return CURLE_OK;
}

/* set_proxyauth: CURLOPT_PROXYAUTH's mask; the schemes curlium does not
 * build are dropped as libcurl built without them drops them. */
static CURLcode set_proxyauth(struct cn_easy_options *o, unsigned long auth) {
  if (auth != CURLAUTH_NONE) {
    if (auth & CURLAUTH_DIGEST_IE)
      auth = (auth | CURLAUTH_DIGEST) & ~CURLAUTH_DIGEST_IE;
    auth &= ~(CURLAUTH_NEGOTIATE | CURLAUTH_BEARER | CURLAUTH_AWS_SIGV4);
    if (!(auth & ((1UL << 31) - 1)))
      return CURLE_NOT_BUILT_IN;
  }
  o->proxyauth = auth;
  return CURLE_OK;
}

static CURLcode set_proxytype(struct cn_easy_options *o, long v) {
  if (v < CURLPROXY_HTTP || v > CURLPROXY_SOCKS5_HOSTNAME)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  o->proxy_type = v;
  return CURLE_OK;
}

static CURLcode set_http_version(struct cn_easy_options *o, long v) {
  switch (v) {
  case CURL_HTTP_VERSION_NONE:
  case CURL_HTTP_VERSION_1_0:
  case CURL_HTTP_VERSION_1_1:
  case CURL_HTTP_VERSION_2_0:
  case CURL_HTTP_VERSION_2TLS:
  case CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE:
    o->http_version = v;
    return CURLE_OK;
  /* HTTP/3 is not built: libcurl without it says the same. */
  default:
    return v < CURL_HTTP_VERSION_NONE ? CURLE_BAD_FUNCTION_ARGUMENT
                                      : CURLE_UNSUPPORTED_PROTOCOL;
  }
}

static CURLcode set_ssl_version(long *field, long arg) {
  long version = arg & 0xffff;
  long version_max = (long)((unsigned long)arg & 0xffff0000UL);
  if (version < CURL_SSLVERSION_DEFAULT || version == CURL_SSLVERSION_SSLv2 ||
      version == CURL_SSLVERSION_SSLv3 || version >= CURL_SSLVERSION_LAST ||
      version_max < CURL_SSLVERSION_MAX_NONE ||
      version_max >= CURL_SSLVERSION_MAX_LAST)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  *field = arg;
  return CURLE_OK;
}

/* set_postfieldsize: a larger size invalidates an earlier COPYPOSTFIELDS
 * copy (libcurl drops it rather than read past its end). */
static CURLcode set_postfieldsize(struct cn_easy_options *o, curl_off_t v) {
  if (v < -1)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  if (o->postfield_size < v && o->copied_postfields &&
      o->postfields == o->copied_postfields) {
    cn_free(o->copied_postfields);
    o->copied_postfields = NULL;
    o->postfields = NULL;
  }
  o->postfield_size = v;
  return CURLE_OK;
}

static CURLcode set_copypostfields(struct cn_easy_options *o, const char *p) {
  char *copy = NULL;
  if (p && o->postfield_size != -1) {
    if (o->postfield_size < 0)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    if ((unsigned long long)o->postfield_size >= SIZE_MAX)
      return CURLE_OUT_OF_MEMORY;
    /* Allocated even for size 0: postfields == copied_postfields then
     * tells the transfer the copy is in use. */
    size_t len = (size_t)o->postfield_size;
    copy = cn_malloc(len + 1);
    if (!copy)
      return CURLE_OUT_OF_MEMORY;
    memcpy(copy, p, len);
    copy[len] = '\0';
  } else if (p) {
    if (strlen(p) > MAX_INPUT_LENGTH)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    copy = cn_strdup(p);
    if (!copy)
      return CURLE_OUT_OF_MEMORY;
  }
  cn_free(o->copied_postfields);
  o->copied_postfields = copy;
  o->postfields = copy;
  set_method(o, CN_HTTPREQ_POST);
  return CURLE_OK;
}

static void set_share(struct cn_easy_options *o, void *handle) {
  struct cn_share *old = (struct cn_share *)o->share;
  struct cn_share *sh = cn_share_from(handle);
  if (old)
    cn_share_detach(old);
  /* An invalid handle leaves the easy handle without a share, as in
   * libcurl. */
  o->share = (struct Curl_share *)sh;
  if (sh)
    cn_share_attach(sh);
}

/* --- options by argument type ------------------------------------------- */

static CURLcode setopt_long(struct cn_easy_options *o, CURLoption option,
                            long arg) {
  bool enabled = arg != 0;
  unsigned long uarg = (unsigned long)arg;
  switch (option) {
  /* timeouts and limits */
  case CURLOPT_TIMEOUT:
    return set_timeout_secs(&o->timeout_ms, arg);
  case CURLOPT_TIMEOUT_MS:
    return set_nonneg(&o->timeout_ms, arg);
  case CURLOPT_CONNECTTIMEOUT:
    return set_timeout_secs(&o->connect_timeout_ms, arg);
  case CURLOPT_CONNECTTIMEOUT_MS:
    return set_nonneg(&o->connect_timeout_ms, arg);
  case CURLOPT_LOW_SPEED_LIMIT:
    return set_nonneg(&o->low_speed_limit, arg);
  case CURLOPT_LOW_SPEED_TIME:
    return set_nonneg(&o->low_speed_time, arg);
  case CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS:
    return set_nonneg(&o->happy_eyeballs_ms, arg);
  case CURLOPT_EXPECT_100_TIMEOUT_MS:
    return set_nonneg(&o->expect_100_timeout_ms, arg);
  case CURLOPT_UPKEEP_INTERVAL_MS:
    return set_nonneg(&o->upkeep_interval_ms, arg);
  case CURLOPT_MAXAGE_CONN:
    return set_nonneg(&o->maxage_conn_s, arg);
  case CURLOPT_MAXLIFETIME_CONN:
    return set_nonneg(&o->maxlifetime_conn_s, arg);
  case CURLOPT_DNS_CACHE_TIMEOUT:
    return set_int_clamped(&o->dns_cache_timeout_s, arg, -1);
  case CURLOPT_CA_CACHE_TIMEOUT:
    return set_int_clamped(&o->ca_cache_timeout_s, arg, -1);
  case CURLOPT_TCP_KEEPIDLE:
    return set_int_clamped(&o->tcp_keepidle_s, arg, 0);
  case CURLOPT_TCP_KEEPINTVL:
    return set_int_clamped(&o->tcp_keepintvl_s, arg, 0);
  case CURLOPT_TCP_KEEPCNT:
    return set_int_clamped(&o->tcp_keepcnt, arg, 0);
  case CURLOPT_MAXCONNECTS:
    if (uarg > UINT_MAX)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->maxconnects = arg;
    return CURLE_OK;
  case CURLOPT_MAXREDIRS:
    if (arg < -1)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->max_redirs = arg;
    return CURLE_OK;
  case CURLOPT_MAXFILESIZE:
    if (arg < 0)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->max_filesize = arg;
    return CURLE_OK;
  case CURLOPT_INFILESIZE:
    if (arg < -1)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->infile_size = arg;
    return CURLE_OK;
  case CURLOPT_RESUME_FROM:
    if (arg < -1)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->resume_from = arg;
    return CURLE_OK;
  case CURLOPT_POSTFIELDSIZE:
    return set_postfieldsize(o, arg);
  case CURLOPT_BUFFERSIZE:
    if (arg > READBUFFER_MAX)
      arg = READBUFFER_MAX;
    else if (arg < 1)
      arg = READBUFFER_SIZE;
    else if (arg < READBUFFER_MIN)
      arg = READBUFFER_MIN;
    o->buffer_size = arg;
    return CURLE_OK;
  case CURLOPT_UPLOAD_BUFFERSIZE:
    if (arg > UPLOADBUFFER_MAX)
      arg = UPLOADBUFFER_MAX;
    else if (arg < UPLOADBUFFER_MIN)
      arg = UPLOADBUFFER_MIN;
    o->upload_buffer_size = arg;
    return CURLE_OK;

  /* the request */
  case CURLOPT_POST:
    if (enabled) {
      set_method(o, CN_HTTPREQ_POST);
      o->no_body = false;
    } else {
      set_method(o, CN_HTTPREQ_GET);
    }
    return CURLE_OK;
  case CURLOPT_UPLOAD:
  case CURLOPT_PUT:
    if (enabled) {
      set_method(o, CN_HTTPREQ_PUT);
      o->no_body = false;
    } else {
      set_method(o, CN_HTTPREQ_GET);
    }
    return CURLE_OK;
  case CURLOPT_HTTPGET:
    if (enabled) {
      set_method(o, CN_HTTPREQ_GET);
      o->no_body = false;
    }
    return CURLE_OK;
  case CURLOPT_NOBODY:
    o->no_body = enabled;
    if (enabled)
      set_method(o, CN_HTTPREQ_HEAD);
    else if (o->http_method == CN_HTTPREQ_HEAD)
      set_method(o, CN_HTTPREQ_GET);
    return CURLE_OK;
  case CURLOPT_HTTP_VERSION:
    return set_http_version(o, arg);
  case CURLOPT_FOLLOWLOCATION:
    if (uarg > 3)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->follow_mode = arg;
    o->follow_location = enabled;
    return CURLE_OK;
  case CURLOPT_MIME_OPTIONS:
    o->mime_formescape = (uarg & CURLMIMEOPT_FORMESCAPE) != 0;
    return CURLE_OK;
  case CURLOPT_POSTREDIR:
    /* higher bits are allowed: the mask may grow */
    if (arg < CURL_REDIR_GET_ALL)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->post_redir = arg & CURL_REDIR_POST_ALL;
    return CURLE_OK;
  case CURLOPT_HTTPAUTH:
    return set_httpauth(o, uarg);
  case CURLOPT_HEADEROPT:
    o->header_separate = (arg & CURLHEADER_SEPARATE) != 0;
    return CURLE_OK;

  /* proxies */
  case CURLOPT_PROXYPORT:
    return set_port(&o->proxy_port, arg);
  case CURLOPT_PROXYTYPE:
    return set_proxytype(o, arg);
  case CURLOPT_HTTPPROXYTUNNEL:
    o->proxy_tunnel = enabled;
    return CURLE_OK;
  case CURLOPT_PROXYAUTH:
    return set_proxyauth(o, uarg);
  case CURLOPT_SOCKS5_AUTH:
    if (uarg & ~(CURLAUTH_BASIC | CURLAUTH_GSSAPI))
      return CURLE_NOT_BUILT_IN;
    o->socks5_auth = uarg;
    return CURLE_OK;
  case CURLOPT_PROXY_TRANSFER_MODE:
    /* FTP through a proxy only; validated like libcurl */
    if (uarg > 1)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    return CURLE_OK;
  case CURLOPT_PROXY_SSL_VERIFYPEER:
    o->proxy_ssl_verify_peer = enabled;
    return CURLE_OK;
  case CURLOPT_PROXY_SSL_VERIFYHOST:
    o->proxy_ssl_verify_host = enabled ? 2 : 0;
    return CURLE_OK;
  case CURLOPT_PROXY_SSLVERSION:
    return set_ssl_version(&o->proxy_ssl_version, arg);
  case CURLOPT_PROXY_SSL_OPTIONS:
    o->proxy_ssl_options = arg;
    return CURLE_OK;
  case CURLOPT_PORT:
    return set_port(&o->port, arg);
  case CURLOPT_PROTOCOLS:
    o->protocols = arg;
    cn_free(o->protocols_str);
    o->protocols_str = NULL;
    return CURLE_OK;
  case CURLOPT_REDIR_PROTOCOLS:
    o->redir_protocols = arg;
    cn_free(o->redir_protocols_str);
    o->redir_protocols_str = NULL;
    return CURLE_OK;
  case CURLOPT_CONNECT_ONLY:
    /* 2: for ws:// and wss://, the upgrade first (other schemes take it
     * as 1) */
    if (arg < 0 || arg > 2)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->connect_only = arg;
    return CURLE_OK;
  case CURLOPT_WS_OPTIONS:
    o->ws_options = arg;
    return CURLE_OK;

  /* connection */
  case CURLOPT_IPRESOLVE:
    if (arg < CURL_IPRESOLVE_WHATEVER || arg > CURL_IPRESOLVE_V6)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->ip_resolve = arg;
    return CURLE_OK;
  case CURLOPT_LOCALPORT:
    return set_port(&o->local_port, arg);
  case CURLOPT_LOCALPORTRANGE:
    return set_port(&o->local_port_range, arg);
  case CURLOPT_ADDRESS_SCOPE:
    if (uarg > UINT_MAX)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->scope_id = uarg;
    return CURLE_OK;

  /* TLS */
  case CURLOPT_SSLVERSION:
    return set_ssl_version(&o->ssl_version, arg);
  case CURLOPT_SSL_VERIFYPEER:
    o->ssl_verify_peer = enabled;
    return CURLE_OK;
  case CURLOPT_SSL_VERIFYHOST:
    /* libcurl treats 1 like 2: too many programs passed TRUE */
    o->ssl_verify_host = enabled ? 2 : 0;
    return CURLE_OK;
  case CURLOPT_SSL_OPTIONS:
    o->ssl_options = arg;
    return CURLE_OK;

  /* flags */
  case CURLOPT_VERBOSE:
    o->verbose = enabled;
    return CURLE_OK;
  case CURLOPT_HEADER:
    o->header_in_body = enabled;
    return CURLE_OK;
  case CURLOPT_NOPROGRESS:
    o->no_progress = enabled;
    return CURLE_OK;
  case CURLOPT_FAILONERROR:
    o->fail_on_error = enabled;
    return CURLE_OK;
  case CURLOPT_KEEP_SENDING_ON_ERROR:
    o->keep_sending_on_error = enabled;
    return CURLE_OK;
  case CURLOPT_TIMECONDITION:
    if (arg < CURL_TIMECOND_NONE || arg >= CURL_TIMECOND_LAST)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->time_condition = arg;
    return CURLE_OK;
  case CURLOPT_TIMEVALUE:
    o->time_value = arg;
    return CURLE_OK;
  case CURLOPT_FILETIME:
    o->get_filetime = enabled;
    return CURLE_OK;
  case CURLOPT_AUTOREFERER:
    o->auto_referer = enabled;
    return CURLE_OK;
  case CURLOPT_UNRESTRICTED_AUTH:
    o->unrestricted_auth = enabled;
    return CURLE_OK;
  case CURLOPT_NETRC:
    if (arg < CURL_NETRC_IGNORED || arg >= CURL_NETRC_LAST)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->netrc = arg;
    return CURLE_OK;
  case CURLOPT_NOSIGNAL:
    o->no_signal = enabled;
    return CURLE_OK;
  case CURLOPT_FRESH_CONNECT:
    o->fresh_connect = enabled;
    return CURLE_OK;
  case CURLOPT_FORBID_REUSE:
    o->forbid_reuse = enabled;
    return CURLE_OK;
  case CURLOPT_SSL_SESSIONID_CACHE:
    o->ssl_sessionid_cache = enabled;
    return CURLE_OK;
  case CURLOPT_SSL_ENABLE_ALPN:
    o->ssl_enable_alpn = enabled;
    return CURLE_OK;
  case CURLOPT_TCP_NODELAY:
    o->tcp_nodelay = enabled;
    return CURLE_OK;
  case CURLOPT_HAPROXYPROTOCOL:
    o->haproxy = enabled;
    return CURLE_OK;
  case CURLOPT_TCP_KEEPALIVE:
    o->tcp_keepalive = enabled;
    return CURLE_OK;
  case CURLOPT_TRANSFER_ENCODING:
    o->transfer_encoding = enabled;
    return CURLE_OK;
  case CURLOPT_HTTP_CONTENT_DECODING:
    o->http_content_decoding = enabled;
    return CURLE_OK;
  case CURLOPT_HTTP_TRANSFER_DECODING:
    o->http_transfer_decoding = enabled;
    return CURLE_OK;
  case CURLOPT_PATH_AS_IS:
    o->path_as_is = enabled;
    return CURLE_OK;
  case CURLOPT_SUPPRESS_CONNECT_HEADERS:
    o->suppress_connect_headers = enabled;
    return CURLE_OK;
  case CURLOPT_HTTP09_ALLOWED:
    o->http09_allowed = enabled;
    return CURLE_OK;
  case CURLOPT_IGNORE_CONTENT_LENGTH:
    o->ignore_content_length = enabled;
    return CURLE_OK;
  case CURLOPT_PIPEWAIT:
    o->pipewait = enabled;
    return CURLE_OK;
  case CURLOPT_CERTINFO:
    o->certinfo = enabled;
    return CURLE_OK;
  case CURLOPT_STREAM_WEIGHT:
    /* libcurl keeps the old weight for values outside 1..256 */
    if (arg >= 1 && arg <= 256)
      o->stream_weight = arg;
    return CURLE_OK;
  case CURLOPT_DNS_SHUFFLE_ADDRESSES:
    o->dns_shuffle_addresses = enabled;
    return CURLE_OK;
  case CURLOPT_DISALLOW_USERNAME_IN_URL:
    o->disallow_username_in_url = enabled;
    return CURLE_OK;

  /* accepted like libcurl, no effect on HTTP(S) */
  case CURLOPT_SERVER_RESPONSE_TIMEOUT:
  case CURLOPT_SERVER_RESPONSE_TIMEOUT_MS:
    return arg < 0 ? CURLE_BAD_FUNCTION_ARGUMENT : CURLE_OK;
  case CURLOPT_USE_SSL:
    if (arg < CURLUSESSL_NONE || arg >= CURLUSESSL_LAST)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    return CURLE_OK;
  case CURLOPT_APPEND:
  case CURLOPT_TRANSFERTEXT:
  case CURLOPT_SASL_IR:
  case CURLOPT_UPLOAD_FLAGS:
  case CURLOPT_QUICK_EXIT:
  case CURLOPT_DNS_USE_GLOBAL_CACHE:
  case CURLOPT_SSL_ENABLE_NPN:
  case CURLOPT_SSLENGINE_DEFAULT:
    return CURLE_OK;

  default:
    return CURLE_UNKNOWN_OPTION;
  }
}

/* set_impersonate records CURLOPT_IMPERSONATE ("target" or "target:no");
 * the transfer resolves it when it starts (api/impersonate.c). An unknown
 * target changes nothing and names itself in the error buffer. */
static CURLcode set_impersonate(struct cn_easy_options *o, const char *spec) {
  const struct cn_browser_profile *p;
  bool headers;
  if (spec && !cn_browser_profile_parse_spec(spec, &p, &headers)) {
    if (o->error_buffer)
      snprintf(o->error_buffer, CURL_ERROR_SIZE,
               "unknown impersonation target '%.64s'", spec);
    return CURLE_BAD_FUNCTION_ARGUMENT;
  }
  CURLcode rc = set_string(&o->impersonate, spec);
  if (rc == CURLE_OK) {
    o->impersonate_from_env = false;
    /* The target sets every fingerprint field, as libcurl-impersonate's
     * does: overrides made before it are gone, later ones apply. */
    cn_fingerprint_setopt_clear(o);
  }
  return rc;
}

static CURLcode setopt_ptr(struct cn_easy_options *o, CURLoption option,
                           void *ptr) {
  const char *str = ptr;
  switch (option) {
  /* strings libcurl copies */
  case CURLOPT_URL:
    return set_string(&o->url, str);
  case CURLOPT_CUSTOMREQUEST:
    return set_string(&o->custom_request, str);
  case CURLOPT_USERAGENT:
    return set_string(&o->user_agent, str);
  case CURLOPT_REFERER:
    return set_string(&o->referer, str);
  case CURLOPT_COOKIE:
    return set_string(&o->cookie, str);
  case CURLOPT_ACCEPT_ENCODING:
    return set_string(&o->accept_encoding,
                      str && !*str ? ALL_CONTENT_ENCODINGS : str);
  case CURLOPT_USERPWD:
    return set_userpwd(&o->username, &o->password, str);
  case CURLOPT_USERNAME:
    return set_string(&o->username, str);
  case CURLOPT_PASSWORD:
    return set_string(&o->password, str);
  case CURLOPT_XOAUTH2_BEARER:
    return set_string(&o->xoauth2_bearer, str);
  case CURLOPT_NETRC_FILE:
    return set_string(&o->netrc_file, str);
  case CURLOPT_AWS_SIGV4: {
    /* libcurl: setting it (not clearing it) makes SigV4 the only scheme */
    CURLcode rc = set_string(&o->aws_sigv4, str);
    if (rc == CURLE_OK && str)
      o->httpauth = CURLAUTH_AWS_SIGV4;
    return rc;
  }
  case CURLOPT_RANGE:
    return set_string(&o->range, str);
  case CURLOPT_REQUEST_TARGET:
    return set_string(&o->request_target, str);
  case CURLOPT_DEFAULT_PROTOCOL:
    return set_string(&o->default_protocol, str);
  case CURLOPT_PROTOCOLS_STR:
    return set_protocols_str(&o->protocols_str, &o->protocols, str,
                             (long)CURLPROTO_ALL);
  case CURLOPT_REDIR_PROTOCOLS_STR:
    return set_protocols_str(&o->redir_protocols_str, &o->redir_protocols, str,
                             CURLPROTO_REDIR_DEFAULT);
  case CURLOPT_INTERFACE:
    return set_string(&o->interface_name, str);
  case CURLOPT_UNIX_SOCKET_PATH:
  case CURLOPT_ABSTRACT_UNIX_SOCKET:
    o->abstract_unix = option == CURLOPT_ABSTRACT_UNIX_SOCKET;
    return set_string(&o->unix_socket_path, str);
  case CURLOPT_HAPROXY_CLIENT_IP:
    o->haproxy = true; /* libcurl turns the PROXY line on, even for NULL */
    return set_string(&o->haproxy_client_ip, str);
  case CURLOPT_DNS_SERVERS:
    return set_string(&o->dns_servers, str);
  case CURLOPT_DNS_INTERFACE:
    return set_string(&o->dns_interface, str);
  case CURLOPT_DNS_LOCAL_IP4:
    return set_local_ip(&o->dns_local_ip4, str, AF_INET);
  case CURLOPT_DNS_LOCAL_IP6:
    return set_local_ip(&o->dns_local_ip6, str, AF_INET6);
  case CURLOPT_CAINFO:
    return set_string(&o->cainfo, str);
  case CURLOPT_CAPATH:
    return set_string(&o->capath, str);
  case CURLOPT_CRLFILE:
    return set_string(&o->crlfile, str);
  case CURLOPT_ISSUERCERT:
    return set_string(&o->issuercert, str);
  case CURLOPT_PINNEDPUBLICKEY:
    return set_string(&o->pinned_pubkey, str);
  case CURLOPT_SSLCERT:
    return set_string(&o->ssl_cert, str);
  case CURLOPT_SSLCERTTYPE:
    return set_string(&o->ssl_cert_type, str);
  case CURLOPT_SSLKEY:
    return set_string(&o->ssl_key, str);
  case CURLOPT_SSLKEYTYPE:
    return set_string(&o->ssl_key_type, str);
  case CURLOPT_KEYPASSWD:
    return set_string(&o->key_passwd, str);
  case CURLOPT_SSL_CIPHER_LIST:
    return set_string(&o->ssl_cipher_list, str);
  case CURLOPT_TLS13_CIPHERS:
    return set_string(&o->tls13_ciphers, str);
  case CURLOPT_SSL_EC_CURVES:
    return set_string(&o->ssl_ec_curves, str);
  case CURLOPT_IMPERSONATE:
    return set_impersonate(o, str);
  case CURLOPT_PROXY:
    return set_string(&o->proxy, str);
  case CURLOPT_PRE_PROXY:
    return set_string(&o->pre_proxy, str);
  case CURLOPT_NOPROXY:
    return set_string(&o->noproxy, str);
  case CURLOPT_PROXYUSERPWD:
    return set_userpwd(&o->proxy_user, &o->proxy_password, str);
  case CURLOPT_PROXYUSERNAME:
    return set_string(&o->proxy_user, str);
  case CURLOPT_PROXYPASSWORD:
    return set_string(&o->proxy_password, str);
  case CURLOPT_PROXY_CAINFO:
    return set_string(&o->proxy_cainfo, str);
  case CURLOPT_PROXY_CAPATH:
    return set_string(&o->proxy_capath, str);
  case CURLOPT_PROXY_CRLFILE:
    return set_string(&o->proxy_crlfile, str);
  case CURLOPT_PROXY_ISSUERCERT:
    return set_string(&o->proxy_issuercert, str);
  case CURLOPT_PROXY_PINNEDPUBLICKEY:
    return set_string(&o->proxy_pinned_pubkey, str);
  case CURLOPT_PROXY_SSLCERT:
    return set_string(&o->proxy_ssl_cert, str);
  case CURLOPT_PROXY_SSLCERTTYPE:
    return set_string(&o->proxy_ssl_cert_type, str);
  case CURLOPT_PROXY_SSLKEY:
    return set_string(&o->proxy_ssl_key, str);
  case CURLOPT_PROXY_SSLKEYTYPE:
    return set_string(&o->proxy_ssl_key_type, str);
  case CURLOPT_PROXY_KEYPASSWD:
    return set_string(&o->proxy_key_passwd, str);
  case CURLOPT_PROXY_SSL_CIPHER_LIST:
    return set_string(&o->proxy_ssl_cipher_list, str);
  case CURLOPT_PROXY_TLS13_CIPHERS:
    return set_string(&o->proxy_tls13_ciphers, str);
  case CURLOPT_SSLENGINE:
    /* BoringSSL has no engines: libcurl on it says so for any name. */
    if (str && *str)
      return CURLE_SSL_ENGINE_NOTFOUND;
    return CURLE_OK;

  /* the request body */
  case CURLOPT_POSTFIELDS:
    cn_free(o->copied_postfields);
    o->copied_postfields = NULL;
    o->postfields = str;
    set_method(o, CN_HTTPREQ_POST);
    return CURLE_OK;
  case CURLOPT_HTTPPOST:
    /* the list stays the program's; a transfer turns it into a tree */
    o->httppost = ptr;
    set_method(o, CN_HTTPREQ_POST_FORM);
    o->no_body = false;
    return CURLE_OK;
  case CURLOPT_MIMEPOST: {
    /* binds the mime to this handle (curl_mime_free unbinds it) */
    CURLcode rc = cn_mime_post_attach(&o->mimepost, ptr);
    if (rc != CURLE_OK)
      return rc;
    set_method(o, CN_HTTPREQ_POST_MIME);
    o->no_body = false;
    return CURLE_OK;
  }
  case CURLOPT_COPYPOSTFIELDS:
    return set_copypostfields(o, str);

  /* lists and objects the program keeps */
  case CURLOPT_HTTPHEADER:
    o->http_header = ptr;
    return CURLE_OK;
  case CURLOPT_WS_HTTPHEADER:
    o->ws_http_header = ptr;
    return CURLE_OK;
  case CURLOPT_PROXYHEADER:
    o->proxy_header = ptr;
    return CURLE_OK;
  case CURLOPT_RESOLVE:
    o->resolve = ptr;
    return CURLE_OK;
  case CURLOPT_CONNECT_TO:
    o->connect_to = ptr;
    return CURLE_OK;
  case CURLOPT_HTTP200ALIASES:
    o->http200_aliases = ptr;
    return CURLE_OK;
  case CURLOPT_ERRORBUFFER:
    o->error_buffer = ptr;
    return CURLE_OK;
  case CURLOPT_PRIVATE:
    o->private_data = ptr;
    return CURLE_OK;
  case CURLOPT_STREAM_DEPENDS:
  case CURLOPT_STREAM_DEPENDS_E:
    o->stream_depends = ptr;
    o->stream_depends_e = option == CURLOPT_STREAM_DEPENDS_E;
    return CURLE_OK;
  case CURLOPT_STDERR:
    o->stderr_stream = ptr ? ptr : (void *)stderr;
    return CURLE_OK;
  case CURLOPT_SHARE:
    set_share(o, ptr);
    return CURLE_OK;
  case CURLOPT_CURLU:
    /* the CURLU replaces the URL string (libcurl frees it too) */
    cn_free(o->url);
    o->url = NULL;
    o->curlu = ptr;
    return CURLE_OK;

  /* callback data */
  case CURLOPT_WRITEDATA:
    o->write_data = ptr;
    return CURLE_OK;
  case CURLOPT_READDATA:
    o->read_data = ptr;
    return CURLE_OK;
  case CURLOPT_HEADERDATA:
    o->header_data = ptr;
    return CURLE_OK;
  case CURLOPT_DEBUGDATA:
    o->debug_data = ptr;
    return CURLE_OK;
  case CURLOPT_XFERINFODATA:
    o->progress_data = ptr;
    return CURLE_OK;
  case CURLOPT_SEEKDATA:
    o->seek_data = ptr;
    return CURLE_OK;
  case CURLOPT_SOCKOPTDATA:
    o->sockopt_data = ptr;
    return CURLE_OK;
  case CURLOPT_OPENSOCKETDATA:
    o->opensocket_data = ptr;
    return CURLE_OK;
  case CURLOPT_CLOSESOCKETDATA:
    o->closesocket_data = ptr;
    return CURLE_OK;
  case CURLOPT_IOCTLDATA:
    o->ioctl_data = ptr;
    return CURLE_OK;
  case CURLOPT_TRAILERDATA:
    o->trailer_data = ptr;
    return CURLE_OK;
  case CURLOPT_PREREQDATA:
    o->prereq_data = ptr;
    return CURLE_OK;
  case CURLOPT_RESOLVER_START_DATA:
    o->resolver_start_data = ptr;
    return CURLE_OK;

  /* accepted like libcurl, no effect on HTTP(S) */
  case CURLOPT_LOGIN_OPTIONS:
  case CURLOPT_SERVICE_NAME:
  case CURLOPT_SASL_AUTHZID:
    if (str && strlen(str) > MAX_INPUT_LENGTH)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    return CURLE_OK;
  case CURLOPT_RANDOM_FILE:
  case CURLOPT_EGDSOCKET:
  case CURLOPT_INTERLEAVEDATA:
    return CURLE_OK;

  default:
    return CURLE_UNKNOWN_OPTION;
  }
}

/* Function pointers travel through varargs as a generic function pointer
 * type and are converted back to the option's type. */
typedef void (*generic_fn)(void);

static CURLcode setopt_func(struct cn_easy_options *o, CURLoption option,
                            generic_fn fn) {
  switch (option) {
  case CURLOPT_WRITEFUNCTION:
    o->write_fn = fn ? (curl_write_callback)fn : cn_easy_default_write_fn();
    return CURLE_OK;
  case CURLOPT_READFUNCTION:
    o->read_fn = fn ? (curl_read_callback)fn : cn_easy_default_read_fn();
    o->read_fn_set = fn != NULL;
    return CURLE_OK;
  case CURLOPT_HEADERFUNCTION:
    o->header_fn = (curl_write_callback)fn;
    return CURLE_OK;
  case CURLOPT_DEBUGFUNCTION:
    o->debug_fn = (curl_debug_callback)fn;
    return CURLE_OK;
  case CURLOPT_PROGRESSFUNCTION:
    o->progress_fn = (curl_progress_callback)fn;
    return CURLE_OK;
  case CURLOPT_XFERINFOFUNCTION:
    o->xferinfo_fn = (curl_xferinfo_callback)fn;
    return CURLE_OK;
  case CURLOPT_SEEKFUNCTION:
    o->seek_fn = (curl_seek_callback)fn;
    return CURLE_OK;
  case CURLOPT_SOCKOPTFUNCTION:
    o->sockopt_fn = (curl_sockopt_callback)fn;
    return CURLE_OK;
  case CURLOPT_OPENSOCKETFUNCTION:
    o->opensocket_fn = (curl_opensocket_callback)fn;
    return CURLE_OK;
  case CURLOPT_CLOSESOCKETFUNCTION:
    o->closesocket_fn = (curl_closesocket_callback)fn;
    return CURLE_OK;
  case CURLOPT_IOCTLFUNCTION:
    o->ioctl_fn = (curl_ioctl_callback)fn;
    return CURLE_OK;
  case CURLOPT_TRAILERFUNCTION:
    o->trailer_fn = (curl_trailer_callback)fn;
    return CURLE_OK;
  case CURLOPT_PREREQFUNCTION:
    o->prereq_fn = (curl_prereq_callback)fn;
    return CURLE_OK;
  case CURLOPT_RESOLVER_START_FUNCTION:
    o->resolver_start_fn = (curl_resolver_start_callback)fn;
    return CURLE_OK;
  default:
    return CURLE_UNKNOWN_OPTION;
  }
}

static CURLcode setopt_offt(struct cn_easy_options *o, CURLoption option,
                            curl_off_t v) {
  switch (option) {
  case CURLOPT_POSTFIELDSIZE_LARGE:
    return set_postfieldsize(o, v);
  case CURLOPT_INFILESIZE_LARGE:
    if (v < -1)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->infile_size = v;
    return CURLE_OK;
  case CURLOPT_RESUME_FROM_LARGE:
    if (v < -1)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->resume_from = v;
    return CURLE_OK;
  case CURLOPT_TIMEVALUE_LARGE:
    o->time_value = v;
    return CURLE_OK;
  case CURLOPT_MAXFILESIZE_LARGE:
    if (v < 0)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->max_filesize = v;
    return CURLE_OK;
  case CURLOPT_MAX_SEND_SPEED_LARGE:
    if (v < 0)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->max_send_speed = v;
    return CURLE_OK;
  case CURLOPT_MAX_RECV_SPEED_LARGE:
    if (v < 0)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    o->max_recv_speed = v;
    return CURLE_OK;
  default:
    return CURLE_UNKNOWN_OPTION;
  }
}

/* struct curl_blob lives in easy.h; libcurl copies the data only with
 * CURL_BLOB_COPY, curlium always copies (the program may free its buffer
 * either way, so a copy is never wrong). */
static CURLcode setopt_blob(struct cn_easy_options *o, CURLoption option,
                            const struct curl_blob *blob) {
  enum cn_blob_option slot;
  switch (option) {
  case CURLOPT_CAINFO_BLOB:
    slot = CN_BLOB_CAINFO;
    break;
  case CURLOPT_PROXY_CAINFO_BLOB:
    slot = CN_BLOB_PROXY_CAINFO;
    break;
  case CURLOPT_SSLCERT_BLOB:
    slot = CN_BLOB_SSLCERT;
    break;
  case CURLOPT_PROXY_SSLCERT_BLOB:
    slot = CN_BLOB_PROXY_SSLCERT;
    break;
  case CURLOPT_SSLKEY_BLOB:
    slot = CN_BLOB_SSLKEY;
    break;
  case CURLOPT_PROXY_SSLKEY_BLOB:
    slot = CN_BLOB_PROXY_SSLKEY;
    break;
  case CURLOPT_ISSUERCERT_BLOB:
    slot = CN_BLOB_ISSUERCERT;
    break;
  case CURLOPT_PROXY_ISSUERCERT_BLOB:
    slot = CN_BLOB_PROXY_ISSUERCERT;
    break;
  default:
    return CURLE_UNKNOWN_OPTION;
  }
  void *copy = NULL;
  if (blob) {
    if (blob->len > MAX_INPUT_LENGTH)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    /* one byte more so that an empty blob is still "set" */
    copy = cn_malloc(blob->len + 1);
    if (!copy)
      return CURLE_OUT_OF_MEMORY;
    if (blob->len)
      memcpy(copy, blob->data, blob->len);
  }
  struct cn_easy_blob *b = &o->blobs[slot];
  cn_free(b->data);
  b->data = copy;
  b->len = blob ? blob->len : 0;
  return CURLE_OK;
}

/* --- entry points -------------------------------------------------------- */

/* The value an option was given, whatever its type, for the checks that
 * do not care about the type. */
struct opt_value {
  long num;      /* LONG options; OFF_T values that fit */
  bool is_zero;  /* 0, NULL */
  bool is_empty; /* NULL or "" (string options) */
};

/* not_built_answer: what an option curlium does not build answers. The
 * values in |accepts| change nothing, so they pass (see setopt_table.h). */
static CURLcode not_built_answer(const struct cn_opt_info *info,
                                 const struct opt_value *v) {
  switch (info->accepts) {
  case CN_OPT_ACCEPTS_ZERO:
    if (v->is_zero)
      return CURLE_OK;
    break;
  case CN_OPT_ACCEPTS_EMPTY:
    if (v->is_empty)
      return CURLE_OK;
    break;
  case CN_OPT_ACCEPTS_NONE:
    break;
  }
  return info->status == CN_OPT_UNKNOWN ? CURLE_UNKNOWN_OPTION
                                        : CURLE_NOT_BUILT_IN;
}

CURLcode cn_easy_vsetopt(struct cn_easy *e, CURLoption option, va_list ap) {
  struct cn_easy_options *o = &e->opts;
  e->ssl_key_valid = false; /* transfer.c's cache of the TLS key */
  const struct cn_opt_info *info = cn_setopt_info(option);
  struct opt_value v = {0, false, false};
  long larg = 0;
  void *parg = NULL;
  generic_fn farg = NULL;
  curl_off_t oarg = 0;
  int kind;

  /* Read the one argument, typed by the option number's range as libcurl
   * does, even for unknown options. */
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    kind = 0;
    larg = va_arg(ap, long);
    v.num = larg;
    v.is_zero = v.is_empty = larg == 0;
  } else if (option < CURLOPTTYPE_FUNCTIONPOINT) {
    kind = 1;
    parg = va_arg(ap, void *);
    v.is_zero = parg == NULL;
    v.is_empty = !parg || (info && info->accepts == CN_OPT_ACCEPTS_EMPTY &&
                           *(const char *)parg == '\0');
  } else if (option < CURLOPTTYPE_OFF_T) {
    kind = 2;
    farg = va_arg(ap, generic_fn);
    v.is_zero = v.is_empty = farg == NULL;
  } else if (option < CURLOPTTYPE_BLOB) {
    kind = 3;
    oarg = va_arg(ap, curl_off_t);
    if (oarg > LONG_MAX)
      v.num = LONG_MAX;
    else if (oarg < LONG_MIN)
      v.num = LONG_MIN;
    else
      v.num = (long)oarg;
    v.is_zero = v.is_empty = oarg == 0;
  } else {
    kind = 4;
    parg = va_arg(ap, void *);
    v.is_zero = v.is_empty = parg == NULL;
  }

  if (!info)
    return CURLE_UNKNOWN_OPTION;
  if (info->status == CN_OPT_NOT_BUILT || info->status == CN_OPT_UNKNOWN)
    return not_built_answer(info, &v);

  switch (option) {
  case CURLOPT_COOKIEFILE:
  case CURLOPT_COOKIEJAR:
  case CURLOPT_COOKIESESSION:
  case CURLOPT_COOKIELIST:
    /* These act on the handle's cookie engine, not on its options. */
    return cn_cookie_setopt(e, option, larg, (const char *)parg);
  case CURLOPT_SHARE:
    cn_cookie_share_changed(e, (struct cn_share *)o->share,
                            cn_share_from(parg));
    cn_hsts_share_changed(e, (struct cn_share *)o->share,
                          cn_share_from(parg));
    break;
  case CURLOPT_PROXY:
    /* libcurl: another proxy starts proxy authentication over. */
    if (!o->proxy || !parg || strcmp(o->proxy, (const char *)parg) != 0)
      cn_http_auth_controller_cleanup(&e->proxy_auth);
    break;
  case CURLOPT_ALTSVC:
  case CURLOPT_ALTSVC_CTRL:
    return cn_altsvc_setopt(e, option, larg, (const char *)parg);
  case CURLOPT_HSTS:
  case CURLOPT_HSTS_CTRL:
  case CURLOPT_HSTSREADFUNCTION:
  case CURLOPT_HSTSREADDATA:
  case CURLOPT_HSTSWRITEFUNCTION:
  case CURLOPT_HSTSWRITEDATA:
    return cn_hsts_setopt(e, option, larg, parg, (void (*)(void))farg);
  default:
    break;
  }
  if (cn_fingerprint_option(option))
    return cn_fingerprint_setopt(o, option, larg, parg);
  switch (kind) {
  case 0:
    return setopt_long(o, option, larg);
  case 1:
    return setopt_ptr(o, option, parg);
  case 2:
    return setopt_func(o, option, farg);
  case 3:
    return setopt_offt(o, option, oarg);
  default:
    return setopt_blob(o, option, parg);
  }
}

#undef curl_easy_setopt
CURLcode curl_easy_setopt(CURL *handle, CURLoption option, ...) {
  struct cn_easy *e = cn_easy_from(handle);
  if (!e)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  va_list ap;
  va_start(ap, option);
  CURLcode rc = cn_easy_vsetopt(e, option, ap);
  va_end(ap);
  return rc;
}

/* --- curlium's addition -------------------------------------------------- */

CURLcode curl_easy_impersonate(CURL *handle, const char *target,
                               int default_headers) {
  struct cn_easy *e = cn_easy_from(handle);
  if (!e || !target)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  /* The target alone: "no default headers" is |default_headers| here. */
  char spec[80];
  if (strchr(target, ':') || strlen(target) > 64) {
    if (e->opts.error_buffer)
      snprintf(e->opts.error_buffer, CURL_ERROR_SIZE,
               "unknown impersonation target '%.64s'", target);
    return CURLE_BAD_FUNCTION_ARGUMENT;
  }
  snprintf(spec, sizeof(spec), "%s%s", target, default_headers ? "" : ":no");
  e->ssl_key_valid = false;
  return set_impersonate(&e->opts, spec);
}
