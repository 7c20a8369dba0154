/* proxy_config.h: which proxies a connection goes through (Chromium's
 * ProxyChain / ProxyServer) and the NOPROXY rule that decides whether a
 * host is proxied at all.
 *
 * A connection has at most two hops before its origin, as in libcurl: a
 * SOCKS proxy (CURLOPT_PRE_PROXY, or CURLOPT_PROXY when that is SOCKS) and
 * an HTTP(S) proxy (CURLOPT_PROXY). The connect job (ssl_connect_job.h)
 * composes them: TCP to the first hop -> SOCKS handshake -> TLS to an HTTPS
 * proxy -> CONNECT tunnel -> TLS to the origin.
 *
 * Ownership: struct cn_proxy_server borrows its strings (from the
 * transfer's option snapshot); cn_proxy_spec owns its own. */
#ifndef CN_SOCKET_PROXY_CONFIG_H
#define CN_SOCKET_PROXY_CONFIG_H

#include <stdbool.h>

#include "util/buf.h"
#include "util/net_error.h"

struct cn_event_loop;
struct cn_net_log;
struct cn_ssl_config;
struct cn_stream_socket;

/* Proxy kinds; the api layer maps CURLPROXY_* onto these. */
enum cn_proxy_type {
  CN_PROXY_NONE = 0,
  CN_PROXY_HTTP,     /* CONNECT with HTTP/1.1 */
  CN_PROXY_HTTP_1_0, /* CONNECT with HTTP/1.0 */
  CN_PROXY_HTTPS,    /* TLS to the proxy, then like HTTP */
  CN_PROXY_SOCKS4,
  CN_PROXY_SOCKS4A,
  CN_PROXY_SOCKS5,
  CN_PROXY_SOCKS5H,  /* SOCKS5, the proxy resolves the name */
};

/* libcurl's CURL_DEFAULT_PROXY_PORT and CURL_DEFAULT_HTTPS_PROXY_PORT. */
#define CN_DEFAULT_PROXY_PORT 1080
#define CN_DEFAULT_HTTPS_PROXY_PORT 443

struct cn_proxy_server {
  enum cn_proxy_type type; /* CN_PROXY_NONE: this hop is unused */
  const char *host;        /* no brackets */
  int port;
  const char *user;     /* NULL: no credentials */
  const char *password; /* NULL: empty */
  /* A SOCKS proxy reached through this Unix socket instead of TCP to
   * |host|:|port| (libcurl's socks5h://localhost/PATH); NULL: TCP. */
  const char *unix_path;
};

/* The CONNECT exchange speaks HTTP, so it lives in lib/http
 * (http/http_proxy_tunnel.h); the connect job, which knows no HTTP, runs
 * it through this table, handed down in the chain by the layer that knows
 * both. */
struct cn_proxy_tunnel;
struct cn_proxy_tunnel_ops {
  /* create: a CONNECT client for |host|:|port| configured by |config|
   * (borrowed, outlives the tunnel). NULL on OOM. */
  struct cn_proxy_tunnel *(*create)(const void *config,
                                    struct cn_event_loop *loop,
                                    const char *host, int port,
                                    const struct cn_net_log *log);
  /* connect sends CONNECT over |transport| (borrowed, connected to the
   * proxy) and reads the answer: CN_OK (the tunnel is |transport| itself),
   * CN_ERR_IO_PENDING (|cb| later, never from inside the call),
   * CN_ERR_PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION (connect to the proxy
   * again and call connect with the new socket: credentials are ready),
   * or an error already logged. */
  int (*connect)(struct cn_proxy_tunnel *t, struct cn_stream_socket *transport,
                 cn_completion_fn cb, void *ctx);
  void (*set_net_log)(struct cn_proxy_tunnel *t, const struct cn_net_log *log);
  void (*free)(struct cn_proxy_tunnel *t); /* cancels pending I/O */
};

/* Everything a connection through proxies needs below the HTTP layer. */
struct cn_proxy_chain {
  struct cn_proxy_server socks; /* SOCKS hop, first when both are used */
  struct cn_proxy_server http;  /* HTTP(S) proxy */
  /* Tunnel through |http| with CONNECT (https:// origins always;
   * CURLOPT_HTTPPROXYTUNNEL for http://). Without it the HTTP layer sends
   * absolute-form requests to the proxy. */
  bool tunnel;
  /* TLS to an HTTPS proxy (CURLOPT_PROXY_SSL_*, CAINFO, ...). Borrowed. */
  const struct cn_ssl_config *proxy_ssl;
  /* CURLOPT_SOCKS5_AUTH allows user/password (CURLAUTH_BASIC). */
  bool socks5_allow_userpass;
  /* The CONNECT implementation and its per-transfer configuration (both
   * required when |tunnel|). */
  const struct cn_proxy_tunnel_ops *tunnel_ops;
  const void *tunnel_config;
  /* Where a SOCKS failure's CURLproxycode-valued detail is stored (NULL:
   * nowhere). Must outlive the request. */
  int *out_proxy_code;
  /* Where the X509 verify result of the TLS handshake with an HTTPS proxy
   * is stored, after success or failure (NULL: nowhere). Must outlive the
   * request. */
  long *out_proxy_verify_result;
};

bool cn_proxy_type_is_socks(enum cn_proxy_type t);
bool cn_proxy_type_is_http(enum cn_proxy_type t);

/* A parsed CURLOPT_PROXY / PRE_PROXY / environment string. Owns its
 * strings. */
struct cn_proxy_spec {
  enum cn_proxy_type type;
  char *host; /* decoded, no brackets */
  int port;   /* -1: none in the string */
  char *user; /* decoded; NULL: none */
  char *password;
  char *unix_path; /* decoded; NULL: none (see cn_proxy_spec_parse) */
};

enum cn_proxy_parse_result {
  CN_PROXY_PARSE_OK = 0,
  CN_PROXY_PARSE_BAD_SCHEME, /* libcurl: "Unsupported proxy scheme for" */
  CN_PROXY_PARSE_BAD_SYNTAX, /* libcurl: "Unsupported proxy syntax in" */
  CN_PROXY_PARSE_OUT_OF_MEMORY,
  CN_PROXY_PARSE_BAD_HOST, /* an IDN host with no ACE form (libcurl:
                              CURLE_URL_MALFORMAT, no text) */
};

/* cn_proxy_spec_parse reads "[scheme://][user[:password]@]host[:port][/]"
 * the way libcurl's parse_proxy does: the scheme picks the type (http,
 * https, socks, socks4, socks4a, socks5, socks5h; none: |default_type|),
 * user and password are URL-decoded, an IPv6 host loses its brackets, a
 * host with non-ASCII bytes becomes its ACE form (util/idna.h).
 * A SOCKS proxy (by scheme or |default_type|) on host "localhost" with a
 * path other than "/" is reached through the Unix socket at that
 * (URL-decoded) path: |unix_path|, the port then unused (libcurl 7.84+).
 * On CN_PROXY_PARSE_OK |out| owns new strings (cn_proxy_spec_cleanup). */
enum cn_proxy_parse_result cn_proxy_spec_parse(struct cn_proxy_spec *out,
                                               const char *spec,
                                               enum cn_proxy_type default_type);
void cn_proxy_spec_cleanup(struct cn_proxy_spec *s);

/* cn_proxy_no_proxy_match: |host| (a name, an IPv4 literal, or an IPv6
 * literal with or without brackets) matches the CURLOPT_NOPROXY / no_proxy
 * list |no_proxy| ("*" = all; comma/blank separated names, each matching
 * itself and its subdomains, a leading or trailing dot ignored; IP
 * addresses with an optional /bits CIDR suffix), as libcurl's
 * Curl_check_noproxy. NULL or "" lists match nothing. */
bool cn_proxy_no_proxy_match(const char *host, const char *no_proxy);

/* cn_proxy_chain_key appends a canonical text of |c| for the pool's group
 * key (types, hosts, ports, Unix socket paths, user names, tunnel flag,
 * proxy TLS config). */
int cn_proxy_chain_key(struct cn_buf *out, const struct cn_proxy_chain *c);

#endif
