/* http_network_session.h: the per-multi set of shared network objects
 * (Chromium's HttpNetworkSession): event loop, resolver, TLS context,
 * socket pool and HTTP/2 session pool. Transactions borrow them.
 *
 * Ownership: the session owns the resolver, TLS context and both pools;
 * the event loop is borrowed from the multi handle and must outlive the
 * session. */
#ifndef CN_HTTP_HTTP_NETWORK_SESSION_H
#define CN_HTTP_HTTP_NETWORK_SESSION_H

#include "socket/client_socket_pool.h"

struct cn_event_loop;
struct cn_host_resolver;
struct cn_ssl_client_context;
struct cn_h2_session_pool;

struct cn_http_network_session {
  struct cn_event_loop *loop;            /* borrowed */
  struct cn_host_resolver *resolver;     /* owned */
  struct cn_ssl_client_context *ssl_ctx; /* owned */
  struct cn_client_socket_pool *pool;    /* owned */
  struct cn_h2_session_pool *h2_pool;    /* owned */
};

/* cn_http_network_session_new: NULL on OOM or if the resolver cannot start. */
struct cn_http_network_session *cn_http_network_session_new(
    struct cn_event_loop *loop, const struct cn_socket_pool_limits *limits);
void cn_http_network_session_free(struct cn_http_network_session *s);

/* cn_http_network_session_set_h2_limits: CURLMOPT_PIPELINING's
 * CURLPIPE_MULTIPLEX bit (|multiplex|, default on) and
 * CURLMOPT_MAX_CONCURRENT_STREAMS (default 100) for HTTP/2 sessions made
 * from now on (the multiplex bit applies at once). */
void cn_http_network_session_set_h2_limits(struct cn_http_network_session *s,
                                           bool multiplex,
                                           long max_concurrent_streams);

#endif
