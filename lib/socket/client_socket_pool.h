/* client_socket_pool.h: connected sockets grouped and reused like
 * Chromium's ClientSocketPool / TransportClientSocketPool.
 *
 * A request names a group (scheme, host, port, proxy chain, TLS
 * configuration incl. the impersonation profile — see cn_group_key_build);
 * the pool hands out an idle socket of that group if one is alive, or runs a
 * connect job (resolve -> TCP with happy eyeballs -> TLS) to make one.
 * Limits: per group and in total; a request over a limit waits in
 * priority order. Idle sockets expire (max idle age, max lifetime).
 *
 * Ownership: the pool owns idle sockets and connect jobs. A
 * cn_client_socket_handle (embedded in its user, e.g. the HTTP stream) owns
 * the socket it was given until cn_client_socket_handle_release(). */
#ifndef CN_SOCKET_CLIENT_SOCKET_POOL_H
#define CN_SOCKET_CLIENT_SOCKET_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "dns/host_resolver.h"
#include "socket/tcp_client_socket.h"
#include "tls/ssl_config.h"
#include "util/event_loop.h"
#include "util/net_error.h"
#include "util/net_log.h"
#include "util/stream_socket.h"

struct cn_client_socket_pool;
struct cn_host_resolver;
struct cn_socket_attachment;
struct cn_ssl_client_context;
struct cn_connect_job;
struct cn_shared_socket_cache;
struct cn_proxy_chain;

struct cn_socket_pool_limits {
  int max_per_group; /* 0: unlimited (libcurl's default) */
  int max_total;     /* 0: unlimited */
  int max_idle;      /* idle sockets kept (CURLMOPT_MAXCONNECTS); 0: auto */
  long max_idle_age_s;  /* CURLOPT_MAXAGE_CONN, default 118 */
  long max_lifetime_s;  /* CURLOPT_MAXLIFETIME_CONN, 0: unlimited */
};

/* What one request needs connected. Strings point into the transfer's
 * option snapshot and only have to live until the request completes. */
struct cn_socket_params {
  const char *host; /* name to resolve and to verify; no brackets */
  /* The host as the program wrote it (an IDN name before its ACE form),
   * for log lines only, as libcurl logs its dispname; NULL: host. Not
   * part of the group key. */
  const char *display_host;
  int port;
  bool use_tls;
  const struct cn_ssl_config *ssl; /* used when use_tls */
  /* Connect to this host:port instead (CURLOPT_CONNECT_TO); NULL/0: none. */
  const char *connect_host;
  int connect_port;
  enum cn_ip_family_pref family;
  long dns_cache_timeout_s;
  long connect_timeout_ms;   /* whole connect incl. DNS and TLS; 0: none */
  long happy_eyeballs_ms;    /* CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS (200) */
  bool tcp_nodelay;          /* default true */
  bool tcp_keepalive;
  long tcp_keepidle_s;
  long tcp_keepintvl_s;
  long tcp_keepcnt;
  unsigned int scope_id;      /* CURLOPT_ADDRESS_SCOPE; 0: none */
  bool dns_shuffle;           /* CURLOPT_DNS_SHUFFLE_ADDRESSES */
  const char *interface_name; /* CURLOPT_INTERFACE; NULL: none */
  int local_port;             /* CURLOPT_LOCALPORT; 0: any */
  int local_port_range;
  bool fresh_connect;         /* CURLOPT_FRESH_CONNECT: never reuse */
  int priority;               /* higher runs first when queued */
  /* Extra text mixed into the group key (profile name, ...). */
  const char *group_extra;
  /* The key cn_group_key_build makes of these parameters, when the caller
   * has built it already (NULL: the pool builds it). Borrowed during
   * cn_client_socket_pool_request only. */
  const char *group_key;
  /* The proxies to go through (NULL: direct); part of the group key. A
   * plain (non-tunnel) HTTP proxy makes the connection the proxy's: its
   * group is the same for every origin. Borrowed; must outlive the
   * request. */
  const struct cn_proxy_chain *proxy;
  /* Idle sockets carrying an attachment with a tag (a connection NTLM
   * authenticated, or is authenticating) go only to requests with the
   * same tag; NULL: only sockets without a tag. */
  const char *attachment_tag;
  /* A second tag this request takes besides |attachment_tag| (NULL: none):
   * an HTTP/2 request also takes a connection whose HTTP/2 session waits
   * in a share's connection cache (h2_session.h, CN_H2_PARKED_TAG). */
  const char *alt_attachment_tag;
  const struct cn_net_log *log;
  /* What a share handle lends (all NULL without one; each must outlive
   * the request and the handle it fills):
   * |shared_cache|: idle connections come from and go back to this cache
   *   instead of the pool's idle list, and connection ids from its counter
   *   (CURL_LOCK_DATA_CONNECT).
   * |shared_dns|: the DNS cache the resolver uses instead of its own
   *   (CURL_LOCK_DATA_DNS).
   * |ssl_ctx|: the TLS context (session cache) new connections use instead
   *   of the pool's (CURL_LOCK_DATA_SSL_SESSION). */
  struct cn_shared_socket_cache *shared_cache;
  const struct cn_shared_host_cache *shared_dns;
  struct cn_ssl_client_context *ssl_ctx;
  /* This request's connection limits instead of the pool's (0:
   * unlimited); a browser profile brings Chromium's. false: the pool's. */
  bool has_limits;
  int max_per_group;
  int max_total;
  /* The program's socket callbacks (see tcp_client_socket.h). */
  struct cn_socket_hooks hooks;
  /* CURLOPT_UNIX_SOCKET_PATH (with ABSTRACT_UNIX_SOCKET: |abstract_unix|):
   * connect there instead of to |host| (part of the group key). */
  const char *unix_path;
  bool abstract_unix;
  /* CURLOPT_HAPROXYPROTOCOL / HAPROXY_CLIENT_IP (part of the group key). */
  bool haproxy;
  const char *haproxy_client_ip;
};

/* Timing of the connection a handle got (all cn_time_now_us() values;
 * 0 when the step did not happen, e.g. for a reused socket). */
struct cn_connect_timing {
  int64_t dns_start_us, dns_end_us;
  int64_t connect_start_us, connect_end_us;
  int64_t tls_start_us, tls_end_us;
};

/* Per-connection state of a layer above, kept with the socket while it is
 * handed out and while it idles, and destroyed with it (NTLM authenticates
 * a connection, not a request). |tag| (owned by the attachment, may be
 * NULL) restricts reuse: see cn_socket_params.attachment_tag. It goes to
 * a share's connection cache with the socket, so |destroy| may run on any
 * thread. */
struct cn_socket_attachment {
  const char *tag;
  void (*destroy)(struct cn_socket_attachment *a);
};

/* cn_socket_attachment_fits: may an idle socket with attachment |a| (NULL:
 * none) serve a request that takes |tag| or |alt_tag| (each NULL: none)?
 * Untagged sockets serve anyone. */
bool cn_socket_attachment_fits(const struct cn_socket_attachment *a,
                               const char *tag, const char *alt_tag);

struct cn_client_socket_handle {
  struct cn_stream_socket *socket; /* owned while set */
  /* Owned while set; moves with the socket back to the pool. */
  struct cn_socket_attachment *attachment;
  bool is_reused;                  /* came from the idle list */
  int64_t idle_us;                 /* how long it idled before reuse */
  struct cn_connect_timing timing;
  struct cn_ip_endpoint peer;      /* connected address */
  struct cn_ip_endpoint local;
  /* private to the pool */
  struct cn_client_socket_pool *pool;
  void *group;
  void *pending; /* queued request or running job while waiting */
  uint64_t socket_id; /* pool-unique id of the connection (for logs) */
  /* The HTTP version of the last response on this connection (10, 11; 0
   * unknown), set by the HTTP layer and kept while the socket idles:
   * libcurl talks HTTP/1.0 to a connection that answered so. */
  int http_version_seen;
};

struct cn_client_socket_pool *cn_client_socket_pool_new(
    struct cn_event_loop *loop, struct cn_host_resolver *resolver,
    struct cn_ssl_client_context *ssl_ctx,
    const struct cn_socket_pool_limits *limits);
/* cn_client_socket_pool_free closes idle sockets and cancels jobs; every
 * handle must have been released or cancelled before. */
void cn_client_socket_pool_free(struct cn_client_socket_pool *pool);
void cn_client_socket_pool_set_limits(struct cn_client_socket_pool *pool,
                                      const struct cn_socket_pool_limits *l);

/* cn_client_socket_pool_request fills |handle| (which must be zeroed or
 * released) with a connected socket. CN_OK (immediately, usually a reused
 * socket), CN_ERR_IO_PENDING (|cb| later), or an error (already logged with
 * cn_net_log_fail): CN_ERR_NAME_NOT_RESOLVED, CN_ERR_CONNECTION_REFUSED,
 * CN_ERR_CONNECTION_TIMED_OUT, CN_ERR_ADDRESS_UNREACHABLE, TLS errors from
 * ssl_client_socket.h, OOM. */
int cn_client_socket_pool_request(struct cn_client_socket_pool *pool,
                                  struct cn_client_socket_handle *handle,
                                  const struct cn_socket_params *params,
                                  cn_completion_fn cb, void *ctx);
/* cn_client_socket_handle_cancel abandons a pending request (no callback). */
void cn_client_socket_handle_cancel(struct cn_client_socket_handle *handle);
/* cn_client_socket_handle_release gives the socket back: kept idle for
 * reuse when |reusable| and the pool's limits allow, closed otherwise. A
 * socket of a request with |shared_cache| goes back to that cache, taken
 * off the pool's loop. The handle is empty afterwards. NULL-safe on an
 * empty handle. */
void cn_client_socket_handle_release(struct cn_client_socket_handle *handle,
                                     bool reusable);

/* cn_client_socket_handle_set_attachment gives |handle|'s connection the
 * state |a| (ownership taken; an earlier attachment is destroyed). The
 * handle must hold a socket. */
void cn_client_socket_handle_set_attachment(
    struct cn_client_socket_handle *handle, struct cn_socket_attachment *a);

/* cn_client_socket_handle_is_shared: |handle|'s socket goes back to a
 * share's connection cache when released (its request had
 * |shared_cache|). */
bool cn_client_socket_handle_is_shared(
    const struct cn_client_socket_handle *handle);

/* cn_client_socket_handle_detach takes the socket out of the pool for good
 * (CURLOPT_CONNECT_ONLY, a WebSocket after its upgrade): the pool forgets
 * it (it no longer counts against the limits) and the caller owns the
 * returned socket. Any attachment is destroyed. The handle is empty
 * afterwards. NULL when the handle holds no socket. */
struct cn_stream_socket *cn_client_socket_handle_detach(
    struct cn_client_socket_handle *handle);

/* Counters for tests and getinfo. */
int cn_client_socket_pool_idle_count(const struct cn_client_socket_pool *pool);
int cn_client_socket_pool_active_count(const struct cn_client_socket_pool *pool);
/* cn_client_socket_pool_close_idle closes every idle socket. */
void cn_client_socket_pool_close_idle(struct cn_client_socket_pool *pool);

#endif
