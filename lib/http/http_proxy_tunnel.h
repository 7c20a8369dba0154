/* http_proxy_tunnel.h: the HTTP CONNECT exchange with a proxy (Chromium's
 * HttpProxyClientSocket, libcurl's cf-h1-proxy.c), reached by the connect
 * job through cn_http_proxy_tunnel_ops (socket/proxy_config.h).
 *
 * libcurl 8.14's request:
 *   CONNECT host:port HTTP/1.1        (HTTP/1.0 for CURLPROXY_HTTP_1_0)
 *   Host: host:port
 *   Proxy-Authorization: ...          (CURLOPT_PROXYUSERPWD, PROXYAUTH)
 *   User-Agent: ...                   (CURLOPT_USERAGENT)
 *   Proxy-Connection: Keep-Alive
 *   <CURLOPT_PROXYHEADER lines, or HTTPHEADER with CURLHEADER_UNIFIED>
 * A program line naming Host, User-Agent or Proxy-Connection replaces the
 * built-in one. The answer's head goes to |on_head| (the transfer shows it
 * to the program unless CURLOPT_SUPPRESS_CONNECT_HEADERS). 2xx: the
 * tunnel is up. 407 with credentials the proxy auth controller can use:
 * its body is skipped and CONNECT is sent again (on a new connection when
 * the proxy closes or the body has no framing). Anything else:
 * CN_ERR_TUNNEL_CONNECTION_FAILED, "CONNECT tunnel failed, response N"
 * (CURLE_RECV_ERROR, as libcurl); a proxy that closes or sends garbage:
 * "Proxy CONNECT aborted", the same error. */
#ifndef CN_HTTP_HTTP_PROXY_TUNNEL_H
#define CN_HTTP_HTTP_PROXY_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>

#include "socket/proxy_config.h"

struct cn_http_auth_controller;
struct cn_http_response_headers;

/* Per-transfer configuration; borrowed by every tunnel made with it, so it
 * must outlive the transfer's connect. */
struct cn_http_proxy_tunnel_config {
  bool http10;            /* CURLPROXY_HTTP_1_0: "CONNECT ... HTTP/1.0" */
  const char *user_agent; /* NULL or "": none */
  const char *const *lines; /* the program's lines for CONNECT */
  size_t num_lines;
  const char *user;       /* proxy credentials; NULL: none */
  const char *password;
  /* Proxy authentication state (the easy handle's; changed). May be NULL:
   * no auth. */
  struct cn_http_auth_controller *auth;
  /* Each response head to CONNECT, in order; negative aborts with it.
   * NULL: not reported. */
  int (*on_head)(void *ctx, const struct cn_http_response_headers *head);
  void *ctx;
};

extern const struct cn_proxy_tunnel_ops cn_http_proxy_tunnel_ops;

#endif
