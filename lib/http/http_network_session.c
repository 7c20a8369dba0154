/* http_network_session.c: builds and tears down the shared objects. */
#include "http/http_network_session.h"

#include "dns/host_resolver.h"
#include "http/h2/h2_session_pool.h"
#include "tls/ssl_client_socket.h"
#include "util/alloc.h"

struct cn_http_network_session *cn_http_network_session_new(
    struct cn_event_loop *loop, const struct cn_socket_pool_limits *limits) {
  struct cn_http_network_session *s = cn_calloc(1, sizeof(*s));
  if (!s)
    return NULL;
  s->loop = loop;
  s->resolver = cn_host_resolver_new(loop);
  s->ssl_ctx = cn_ssl_client_context_new();
  if (!s->resolver || !s->ssl_ctx)
    goto fail;
  s->pool = cn_client_socket_pool_new(loop, s->resolver, s->ssl_ctx, limits);
  if (!s->pool)
    goto fail;
  s->h2_pool = cn_h2_session_pool_new(loop);
  if (!s->h2_pool)
    goto fail;
  if (limits && limits->max_idle_age_s > 0)
    cn_h2_session_pool_set_limits(s->h2_pool, true, 100,
                                  limits->max_idle_age_s);
  return s;
fail:
  cn_http_network_session_free(s);
  return NULL;
}

void cn_http_network_session_free(struct cn_http_network_session *s) {
  if (!s)
    return;
  /* HTTP/2 sessions hold sockets of the pool; the pool holds sockets whose
   * TLS state refers to the context, and jobs that use the resolver. */
  cn_h2_session_pool_free(s->h2_pool);
  cn_client_socket_pool_free(s->pool);
  cn_ssl_client_context_free(s->ssl_ctx);
  cn_host_resolver_free(s->resolver);
  cn_free(s);
}

void cn_http_network_session_set_h2_limits(struct cn_http_network_session *s,
                                           bool multiplex,
                                           long max_concurrent_streams) {
  uint32_t n = max_concurrent_streams > 0 &&
                       max_concurrent_streams <= 0x7fffffffL
                   ? (uint32_t)max_concurrent_streams
                   : 100;
  cn_h2_session_pool_set_limits(s->h2_pool, multiplex, n, -1);
}
