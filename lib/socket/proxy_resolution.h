/* proxy_resolution.h: which proxy chain one request uses (Chromium's
 * ProxyResolutionService for a fixed configuration), with libcurl's rules
 * (url.c: create_conn_helper_init_proxy, detect_proxy, parse_proxy):
 *
 *  1. the no-proxy list is CURLOPT_NOPROXY, else no_proxy, else NO_PROXY;
 *     a host it matches goes direct, whatever else is set;
 *  2. CURLOPT_PROXY and CURLOPT_PRE_PROXY as set; when neither is set, the
 *     environment: "http_proxy" (lower case only) for http://,
 *     "https_proxy" then "HTTPS_PROXY" for https://, then "all_proxy",
 *     "ALL_PROXY";
 *  3. an empty string means no proxy (CURLOPT_PROXY "" disables the
 *     environment too);
 *  4. a SOCKS string goes to the SOCKS hop, anything else to the HTTP hop;
 *     with both, SOCKS connects to the HTTP proxy;
 *  5. credentials in a proxy URL win over CURLOPT_PROXYUSERNAME/PASSWORD;
 *     a lone SOCKS proxy takes those options' credentials too;
 *  6. https:// always tunnels through an HTTP proxy, http:// only with
 *     CURLOPT_HTTPPROXYTUNNEL.
 *
 * Ownership: cn_proxy_resolution owns the parsed strings its chain points
 * to; the settings are borrowed for the call only. */
#ifndef CN_SOCKET_PROXY_RESOLUTION_H
#define CN_SOCKET_PROXY_RESOLUTION_H

#include <stdbool.h>

#include "socket/proxy_config.h"

struct cn_net_log;

struct cn_proxy_settings {
  const char *proxy;     /* CURLOPT_PROXY; NULL: not set */
  const char *pre_proxy; /* CURLOPT_PRE_PROXY; NULL: not set */
  const char *no_proxy;  /* CURLOPT_NOPROXY; NULL: from the environment */
  enum cn_proxy_type type; /* CURLOPT_PROXYTYPE */
  int port;                /* CURLOPT_PROXYPORT; 0: the type's default */
  const char *user;        /* CURLOPT_PROXYUSERNAME / PROXYUSERPWD */
  const char *password;
  bool tunnel;             /* CURLOPT_HTTPPROXYTUNNEL */
  /* Copied into every chain (see struct cn_proxy_chain). */
  const struct cn_ssl_config *proxy_ssl;
  bool socks5_allow_userpass;
  int *out_proxy_code;
  long *out_proxy_verify_result;
  /* The environment, read by the caller (NULL: unset). */
  const char *env_http_proxy;  /* http_proxy */
  const char *env_https_proxy; /* https_proxy */
  const char *env_HTTPS_PROXY;
  const char *env_all_proxy;
  const char *env_ALL_PROXY;
  const char *env_no_proxy;
  const char *env_NO_PROXY;
};

struct cn_proxy_resolution {
  struct cn_proxy_spec socks_spec;
  struct cn_proxy_spec http_spec;
  /* The result; its servers point into the specs. No proxy at all: both
   * hops CN_PROXY_NONE. */
  struct cn_proxy_chain chain;
};

void cn_proxy_resolution_init(struct cn_proxy_resolution *r);
void cn_proxy_resolution_cleanup(struct cn_proxy_resolution *r);

/* cn_proxy_resolution_resolve fills |r| (initialised, empty) for a request
 * to |scheme|://|host|. CN_OK; CN_ERR_PROXY_CONNECTION_FAILED for an
 * unknown scheme ("Unsupported proxy scheme for '...'",
 * CURLE_COULDNT_CONNECT); CN_ERR_PROXY_NAME_NOT_RESOLVED for a string that
 * is no URL ("Unsupported proxy syntax in '...'",
 * CURLE_COULDNT_RESOLVE_PROXY); OOM. Errors are logged. */
int cn_proxy_resolution_resolve(struct cn_proxy_resolution *r,
                                const struct cn_proxy_settings *s,
                                const char *scheme, const char *host,
                                const struct cn_net_log *log);

/* cn_proxy_resolution_uses_proxy: a proxy hop is set. */
bool cn_proxy_resolution_uses_proxy(const struct cn_proxy_resolution *r);

/* cn_proxy_resolution_plain_http: requests go to an HTTP proxy in
 * absolute-form (HTTP hop, no tunnel). */
bool cn_proxy_resolution_plain_http(const struct cn_proxy_resolution *r);

#endif
