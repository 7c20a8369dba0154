/* ssl_connect_job.c: DoLoop TRANSPORT -> [SOCKS] -> [PROXY_TLS] ->
 * [TUNNEL] -> [TLS], Chromium's nesting of TransportConnectJob,
 * SOCKSConnectJob, HttpProxyConnectJob and SSLConnectJob as steps of one
 * job. */
#include "socket/ssl_connect_job.h"

#include <netinet/in.h>
#include <string.h>

#include "socket/proxy_config.h"
#include "socket/socks_connect_job.h"
#include "socket/transport_connect_job.h"
#include "tls/ssl_client_socket.h"
#include "util/alloc.h"
#include "util/time.h"

enum job_state {
  STATE_NONE,
  STATE_TRANSPORT,
  STATE_TRANSPORT_COMPLETE,
  STATE_SOCKS,
  STATE_SOCKS_COMPLETE,
  STATE_PROXY_TLS,
  STATE_PROXY_TLS_COMPLETE,
  STATE_TUNNEL,
  STATE_TUNNEL_COMPLETE,
  STATE_HAPROXY,
  STATE_HAPROXY_COMPLETE,
  STATE_TLS,
  STATE_TLS_COMPLETE,
};

struct cn_ssl_connect_job {
  struct cn_event_loop *loop;
  struct cn_host_resolver *resolver;
  struct cn_ssl_client_context *ssl_ctx;
  cn_completion_fn cb;
  void *cb_ctx;

  struct cn_socket_params params; /* strings below replace the caller's */
  char *host;
  char *connect_host;
  char *display_host;
  char *interface_name;
  char *unix_path;
  char *haproxy_client_ip;
  struct cn_net_log log;
  long timeout_ms;
  int64_t start_us;

  enum job_state next_state;
  bool started;
  struct cn_transport_connect_job *transport;
  struct cn_socks_connect_job *socks;
  struct cn_proxy_tunnel *tunnel;
  int tunnel_restarts; /* new proxy connections for CONNECT auth */
  /* The PROXY line sent through a CONNECT tunnel (libcurl's haproxy
   * filter sits above the proxy's: without a tunnel the transport job
   * sends it). */
  struct cn_haproxy_writer haproxy_writer;
  /* TCP, then SOCKS'd, TLS to the proxy, tunnel, TLS to the origin over
   * whatever came before. */
  struct cn_stream_socket *socket;
  struct cn_connect_timing timing;
  struct cn_timer timeout_timer; /* the steps after TCP share the limit */
};

static void on_transport_done(void *ctx, int rv);
static void on_tls_done(void *ctx, int rv);
static void on_tls_timeout(void *ctx);

/* A misbehaving proxy must not make the job reconnect forever. */
#define MAX_TUNNEL_RESTARTS 8

static char *dup_or_null(const char *s, bool *ok) {
  if (!s)
    return NULL;
  char *d = cn_strdup(s);
  if (!d)
    *ok = false;
  return d;
}

struct cn_ssl_connect_job *cn_ssl_connect_job_new(
    struct cn_event_loop *loop, struct cn_host_resolver *resolver,
    struct cn_ssl_client_context *ssl_ctx,
    const struct cn_socket_params *params, cn_completion_fn cb, void *ctx) {
  struct cn_ssl_connect_job *job = cn_calloc(1, sizeof(*job));
  if (!job)
    return NULL;
  bool ok = true;
  job->loop = loop;
  job->resolver = resolver;
  /* A share's TLS context (its session cache) wins over the pool's. */
  job->ssl_ctx = params->ssl_ctx ? params->ssl_ctx : ssl_ctx;
  job->cb = cb;
  job->cb_ctx = ctx;
  job->params = *params;
  job->host = dup_or_null(params->host ? params->host : "", &ok);
  job->connect_host = dup_or_null(params->connect_host, &ok);
  job->display_host = dup_or_null(params->display_host, &ok);
  job->interface_name = dup_or_null(params->interface_name, &ok);
  job->unix_path = dup_or_null(params->unix_path, &ok);
  job->haproxy_client_ip = dup_or_null(params->haproxy_client_ip, &ok);
  if (!ok) {
    cn_ssl_connect_job_free(job);
    return NULL;
  }
  job->params.host = job->host;
  job->params.connect_host = job->connect_host;
  job->params.display_host = job->display_host;
  job->params.interface_name = job->interface_name;
  job->params.group_extra = NULL; /* not needed past the group key */
  if (params->log)
    job->log = *params->log;
  job->params.log = &job->log;
  job->timeout_ms = params->connect_timeout_ms > 0
                        ? params->connect_timeout_ms
                        : CN_DEFAULT_CONNECT_TIMEOUT_MS;
  cn_timer_init(&job->timeout_timer, on_tls_timeout, job);
  return job;
}

void cn_ssl_connect_job_free(struct cn_ssl_connect_job *job) {
  if (!job)
    return;
  cn_timer_stop(&job->timeout_timer);
  cn_transport_connect_job_free(job->transport);
  cn_socks_connect_job_free(job->socks);
  if (job->tunnel)
    job->params.proxy->tunnel_ops->free(job->tunnel);
  cn_stream_socket_destroy(job->socket);
  cn_free(job->host);
  cn_free(job->connect_host);
  cn_free(job->display_host);
  cn_free(job->interface_name);
  cn_free(job->unix_path);
  cn_free(job->haproxy_client_ip);
  cn_free(job);
}

void cn_ssl_connect_job_set_net_log(struct cn_ssl_connect_job *job,
                                    const struct cn_net_log *log) {
  if (log)
    job->log = *log;
  else
    memset(&job->log, 0, sizeof(job->log));
  if (job->transport)
    cn_transport_connect_job_set_net_log(job->transport, &job->log);
  if (job->socks)
    cn_socks_connect_job_set_net_log(job->socks, &job->log);
  if (job->tunnel)
    job->params.proxy->tunnel_ops->set_net_log(job->tunnel, &job->log);
  if (job->socket)
    job->socket->ops->set_net_log(job->socket, &job->log);
}

static void copy_transport_timing(struct cn_ssl_connect_job *job) {
  struct cn_transport_connect_timing t;
  if (!job->transport)
    return;
  cn_transport_connect_job_timing(job->transport, &t);
  job->timing.dns_start_us = t.dns_start_us;
  job->timing.dns_end_us = t.dns_end_us;
  job->timing.connect_start_us = t.connect_start_us;
  job->timing.connect_end_us = t.connect_end_us;
}

void cn_ssl_connect_job_timing(const struct cn_ssl_connect_job *job,
                               struct cn_connect_timing *out) {
  *out = job->timing;
  if (job->transport) {
    struct cn_transport_connect_timing t;
    cn_transport_connect_job_timing(job->transport, &t);
    out->dns_start_us = t.dns_start_us;
    out->dns_end_us = t.dns_end_us;
    out->connect_start_us = t.connect_start_us;
    out->connect_end_us = t.connect_end_us;
  }
}

static const char *shown_host(const struct cn_ssl_connect_job *job) {
  return job->connect_host ? job->connect_host : job->host;
}

static int connect_port(const struct cn_ssl_connect_job *job) {
  return job->params.connect_port > 0 ? job->params.connect_port
                                      : job->params.port;
}

static const struct cn_proxy_server *socks_hop(
    const struct cn_ssl_connect_job *job) {
  const struct cn_proxy_chain *c = job->params.proxy;
  return c && c->socks.type != CN_PROXY_NONE ? &c->socks : NULL;
}

static const struct cn_proxy_server *http_hop(
    const struct cn_ssl_connect_job *job) {
  const struct cn_proxy_chain *c = job->params.proxy;
  return c && c->http.type != CN_PROXY_NONE ? &c->http : NULL;
}

/* first_hop: the proxy TCP goes to, NULL when it goes to the origin. */
static const struct cn_proxy_server *first_hop(
    const struct cn_ssl_connect_job *job) {
  const struct cn_proxy_server *s = socks_hop(job);
  return s ? s : http_hop(job);
}

static bool tunnels(const struct cn_ssl_connect_job *job) {
  return http_hop(job) && job->params.proxy->tunnel;
}

static int start_step_timer(struct cn_ssl_connect_job *job) {
  if (cn_timer_armed(&job->timeout_timer))
    return CN_OK;
  int64_t left_us =
      job->start_us + (int64_t)job->timeout_ms * 1000 - cn_time_now_us();
  return cn_timer_start_us(job->loop, &job->timeout_timer, left_us);
}

/* --- steps --------------------------------------------------------------- */

static int do_transport(struct cn_ssl_connect_job *job) {
  struct cn_transport_connect_params tp;
  memset(&tp, 0, sizeof(tp));
  /* CONNECT_TO changes where we connect, never the name TLS verifies. */
  const struct cn_proxy_server *hop = first_hop(job);
  tp.host = hop ? hop->host : shown_host(job);
  tp.port = hop ? hop->port : connect_port(job);
  tp.display_host = NULL;
  tp.is_proxy = hop != NULL;
  tp.family = job->params.family;
  tp.dns_cache_timeout_s = job->params.dns_cache_timeout_s;
  tp.shared_dns = job->params.shared_dns;
  tp.timeout_ms = job->timeout_ms;
  tp.start_us = job->start_us;
  tp.happy_eyeballs_ms = job->params.happy_eyeballs_ms;
  cn_tcp_socket_options_init(&tp.tcp);
  tp.tcp.nodelay = job->params.tcp_nodelay;
  tp.tcp.keepalive = job->params.tcp_keepalive;
  tp.tcp.keepidle_s = job->params.tcp_keepidle_s;
  tp.tcp.keepintvl_s = job->params.tcp_keepintvl_s;
  tp.tcp.keepcnt = job->params.tcp_keepcnt;
  tp.tcp.scope_id = job->params.scope_id;
  tp.dns_shuffle = job->params.dns_shuffle;
  tp.tcp.interface_name = job->interface_name;
  tp.tcp.local_port = job->params.local_port;
  tp.tcp.local_port_range = job->params.local_port_range;
  tp.tcp.hooks = job->params.hooks;
  /* CURLOPT_UNIX_SOCKET_PATH wins over a SOCKS proxy's socket path, as
   * in libcurl (the proxy is then spoken to through that socket). */
  tp.unix_path = job->unix_path;
  tp.abstract_unix = job->params.abstract_unix;
  if (!tp.unix_path && hop && hop->unix_path)
    tp.unix_path = hop->unix_path;
  tp.haproxy = job->params.haproxy && !tunnels(job);
  tp.haproxy_client_ip = job->haproxy_client_ip;
  tp.log = &job->log;

  job->transport = cn_transport_connect_job_new(job->loop, job->resolver, &tp,
                                                on_transport_done, job);
  if (!job->transport)
    return CN_ERR_OUT_OF_MEMORY;
  job->next_state = STATE_TRANSPORT_COMPLETE;
  return cn_transport_connect_job_connect(job->transport);
}

/* next_after: the step that follows |done| on this job's path. */
static enum job_state next_after(const struct cn_ssl_connect_job *job,
                                 enum job_state done) {
  const struct cn_proxy_server *http = http_hop(job);
  if (done == STATE_TRANSPORT && socks_hop(job))
    return STATE_SOCKS;
  if (done <= STATE_SOCKS && http && http->type == CN_PROXY_HTTPS)
    return STATE_PROXY_TLS;
  if (done <= STATE_PROXY_TLS && tunnels(job))
    return STATE_TUNNEL;
  /* A plain proxy carries the origin's requests itself: no origin TLS. */
  if (job->params.use_tls && (!http || tunnels(job)))
    return STATE_TLS;
  return STATE_NONE;
}

static bool is_resolve_error(int rv) {
  return rv == CN_ERR_NAME_NOT_RESOLVED || rv == CN_ERR_DNS_MALFORMED_RESPONSE ||
         rv == CN_ERR_DNS_SERVER_FAILED || rv == CN_ERR_DNS_SERVER_REQUIRES_TCP;
}

static int do_transport_complete(struct cn_ssl_connect_job *job, int rv) {
  copy_transport_timing(job);
  if (rv != CN_OK) {
    if (first_hop(job) && is_resolve_error(rv))
      return CN_ERR_PROXY_NAME_NOT_RESOLVED;
    return rv;
  }
  job->socket = cn_transport_connect_job_take_socket(job->transport);
  cn_transport_connect_job_free(job->transport);
  job->transport = NULL;
  if (!job->socket)
    return CN_ERR_UNEXPECTED;
  job->next_state = job->tunnel ? STATE_TUNNEL : next_after(job, STATE_TRANSPORT);
  return CN_OK;
}

static void on_step_done(void *ctx, int rv);

static int do_socks(struct cn_ssl_connect_job *job) {
  const struct cn_proxy_server *s = socks_hop(job);
  const struct cn_proxy_server *http = http_hop(job);
  struct cn_socks_connect_params sp = {
      .type = s->type,
      .proxy_host = s->host,
      .dest_host = http ? http->host : shown_host(job),
      .dest_port = http ? http->port : connect_port(job),
      .user = s->user,
      .password = s->password,
      .allow_userpass = job->params.proxy->socks5_allow_userpass,
      .to_http_proxy = http != NULL,
      .family = job->params.family,
      .dns_cache_timeout_s = job->params.dns_cache_timeout_s,
      .shared_dns = job->params.shared_dns,
      .log = &job->log,
  };
  int rv = start_step_timer(job);
  if (rv != CN_OK)
    return rv;
  job->socks = cn_socks_connect_job_new(job->loop, job->resolver, &sp,
                                        job->socket, on_step_done, job);
  if (!job->socks)
    return CN_ERR_OUT_OF_MEMORY;
  job->next_state = STATE_SOCKS_COMPLETE;
  return cn_socks_connect_job_connect(job->socks);
}

static int do_socks_complete(struct cn_ssl_connect_job *job, int rv) {
  if (rv == CN_ERR_SOCKS_CONNECTION_FAILED &&
      job->params.proxy->out_proxy_code)
    *job->params.proxy->out_proxy_code =
        (int)cn_socks_connect_job_proxy_code(job->socks);
  cn_socks_connect_job_free(job->socks);
  job->socks = NULL;
  if (rv != CN_OK)
    return rv;
  job->next_state = next_after(job, STATE_SOCKS);
  return CN_OK;
}

static int do_proxy_tls(struct cn_ssl_connect_job *job) {
  const struct cn_proxy_server *http = http_hop(job);
  struct cn_stream_socket *tls = NULL;
  if (!job->ssl_ctx || !job->params.proxy->proxy_ssl) {
    cn_net_log_fail(&job->log, "SSL: couldn't create a context");
    return CN_ERR_SSL_ENGINE_INIT_FAILED;
  }
  int rv = start_step_timer(job);
  if (rv != CN_OK)
    return rv;
  rv = cn_ssl_client_socket_new(job->ssl_ctx, job->loop,
                                job->params.proxy->proxy_ssl, http->host,
                                http->port, job->socket, &job->log, &tls);
  if (rv != CN_OK)
    return rv;
  job->socket = tls;
  job->next_state = STATE_PROXY_TLS_COMPLETE;
  return cn_ssl_client_socket_connect(job->socket, on_tls_done, job);
}

static int do_proxy_tls_complete(struct cn_ssl_connect_job *job, int rv) {
  /* CURLINFO_PROXY_SSL_VERIFYRESULT, also when the handshake failed. */
  long *out = job->params.proxy->out_proxy_verify_result;
  if (out && job->socket->ops->get_tls_info) {
    struct cn_tls_info info;
    job->socket->ops->get_tls_info(job->socket, &info);
    *out = info.verify_result;
  }
  if (rv != CN_OK)
    return rv;
  job->next_state = next_after(job, STATE_PROXY_TLS);
  return CN_OK;
}

static int do_tunnel(struct cn_ssl_connect_job *job) {
  const struct cn_proxy_chain *c = job->params.proxy;
  if (!c->tunnel_ops)
    return CN_ERR_UNEXPECTED;
  int rv = start_step_timer(job);
  if (rv != CN_OK)
    return rv;
  if (!job->tunnel) {
    job->tunnel = c->tunnel_ops->create(c->tunnel_config, job->loop,
                                        shown_host(job), connect_port(job),
                                        &job->log);
    if (!job->tunnel)
      return CN_ERR_OUT_OF_MEMORY;
  }
  job->next_state = STATE_TUNNEL_COMPLETE;
  return c->tunnel_ops->connect(job->tunnel, job->socket, on_step_done, job);
}

static int do_tunnel_complete(struct cn_ssl_connect_job *job, int rv) {
  if (rv == CN_ERR_PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION &&
      job->tunnel_restarts < MAX_TUNNEL_RESTARTS) {
    /* The proxy wants credentials on a new connection: start over from
     * TCP, keeping the tunnel (and its auth state). */
    job->tunnel_restarts++;
    cn_stream_socket_destroy(job->socket);
    job->socket = NULL;
    job->next_state = STATE_TRANSPORT;
    return CN_OK;
  }
  if (rv == CN_ERR_PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION)
    rv = CN_ERR_TUNNEL_CONNECTION_FAILED;
  job->params.proxy->tunnel_ops->free(job->tunnel);
  job->tunnel = NULL;
  if (rv != CN_OK)
    return rv;
  job->next_state = job->params.haproxy ? STATE_HAPROXY
                                         : next_after(job, STATE_TUNNEL);
  return CN_OK;
}

static int do_haproxy(struct cn_ssl_connect_job *job) {
  job->next_state = STATE_HAPROXY_COMPLETE;
  return cn_haproxy_writer_write(&job->haproxy_writer, job->socket,
                                 job->unix_path != NULL,
                                 job->haproxy_client_ip, on_step_done, job);
}

static int do_haproxy_complete(struct cn_ssl_connect_job *job, int rv) {
  bool more = false;
  rv = cn_haproxy_writer_complete(&job->haproxy_writer, rv, &more);
  if (rv == CN_OK)
    job->next_state = more ? STATE_HAPROXY : next_after(job, STATE_TUNNEL);
  return rv;
}

static int do_tls(struct cn_ssl_connect_job *job) {
  struct cn_stream_socket *tls = NULL;
  if (!job->ssl_ctx || !job->params.ssl) {
    cn_net_log_fail(&job->log, "SSL: couldn't create a context");
    return CN_ERR_SSL_ENGINE_INIT_FAILED;
  }
  int rv = start_step_timer(job);
  if (rv != CN_OK)
    return rv;
  job->timing.tls_start_us = cn_time_now_us();
  rv = cn_ssl_client_socket_new(job->ssl_ctx, job->loop, job->params.ssl,
                                job->host, job->params.port, job->socket,
                                &job->log, &tls);
  if (rv != CN_OK)
    return rv; /* we still own the transport socket */
  job->socket = tls;
  job->next_state = STATE_TLS_COMPLETE;
  return cn_ssl_client_socket_connect(job->socket, on_tls_done, job);
}

static int do_tls_complete(struct cn_ssl_connect_job *job, int rv) {
  cn_timer_stop(&job->timeout_timer);
  if (rv != CN_OK)
    return rv;
  job->timing.tls_end_us = cn_time_now_us();
  return CN_OK;
}

static void log_connected(struct cn_ssl_connect_job *job) {
  struct cn_ip_endpoint peer;
  char ip[CN_IP_STRING_MAX] = "";
  const struct cn_proxy_server *hop = first_hop(job);
  int port = hop ? hop->port : connect_port(job);
  if (!cn_net_log_verbose(&job->log))
    return;
  if (job->socket->ops->get_peer_address(job->socket, &peer) == CN_OK) {
    cn_ip_endpoint_address_string(&peer, ip, sizeof(ip));
    port = cn_ip_endpoint_port(&peer);
  }
  const char *name = hop                ? hop->host
                     : job->connect_host ? job->connect_host
                     : job->display_host ? job->display_host
                                         : job->host;
  cn_net_log_text(&job->log, "Connected to %s (%s) port %d", name, ip, port);
}

static int do_loop(struct cn_ssl_connect_job *job, int rv) {
  do {
    enum job_state state = job->next_state;
    job->next_state = STATE_NONE;
    switch (state) {
    case STATE_TRANSPORT:
      rv = do_transport(job);
      break;
    case STATE_TRANSPORT_COMPLETE:
      rv = do_transport_complete(job, rv);
      break;
    case STATE_SOCKS:
      rv = do_socks(job);
      break;
    case STATE_SOCKS_COMPLETE:
      rv = do_socks_complete(job, rv);
      break;
    case STATE_PROXY_TLS:
      rv = do_proxy_tls(job);
      break;
    case STATE_PROXY_TLS_COMPLETE:
      rv = do_proxy_tls_complete(job, rv);
      break;
    case STATE_TUNNEL:
      rv = do_tunnel(job);
      break;
    case STATE_TUNNEL_COMPLETE:
      rv = do_tunnel_complete(job, rv);
      break;
    case STATE_HAPROXY:
      rv = do_haproxy(job);
      break;
    case STATE_HAPROXY_COMPLETE:
      rv = do_haproxy_complete(job, rv);
      break;
    case STATE_TLS:
      rv = do_tls(job);
      break;
    case STATE_TLS_COMPLETE:
      rv = do_tls_complete(job, rv);
      break;
    case STATE_NONE:
      rv = CN_ERR_UNEXPECTED;
      break;
    }
  } while (rv != CN_ERR_IO_PENDING && job->next_state != STATE_NONE);
  if (rv == CN_OK)
    log_connected(job);
  if (rv != CN_ERR_IO_PENDING)
    cn_timer_stop(&job->timeout_timer);
  if (rv != CN_ERR_IO_PENDING && rv != CN_OK) {
    cn_socks_connect_job_free(job->socks);
    job->socks = NULL;
    if (job->tunnel)
      job->params.proxy->tunnel_ops->free(job->tunnel);
    job->tunnel = NULL;
    cn_stream_socket_destroy(job->socket);
    job->socket = NULL;
  }
  return rv;
}

int cn_ssl_connect_job_connect(struct cn_ssl_connect_job *job) {
  if (job->started)
    return CN_ERR_UNEXPECTED;
  job->started = true;
  job->start_us = cn_time_now_us();
  job->next_state = STATE_TRANSPORT;
  return do_loop(job, CN_OK);
}

/* The callback may free the job. */
static void on_io_complete(struct cn_ssl_connect_job *job, int rv) {
  rv = do_loop(job, rv);
  if (rv != CN_ERR_IO_PENDING)
    job->cb(job->cb_ctx, rv);
}

static void on_transport_done(void *ctx, int rv) {
  on_io_complete(ctx, rv);
}

static void on_tls_done(void *ctx, int rv) {
  on_io_complete(ctx, rv);
}

static void on_step_done(void *ctx, int rv) {
  on_io_complete(ctx, rv);
}

static void on_tls_timeout(void *ctx) {
  struct cn_ssl_connect_job *job = ctx;
  cn_socks_connect_job_free(job->socks);
  job->socks = NULL;
  if (job->tunnel)
    job->params.proxy->tunnel_ops->free(job->tunnel);
  job->tunnel = NULL;
  cn_transport_connect_job_free(job->transport);
  job->transport = NULL;
  cn_stream_socket_destroy(job->socket); /* drops the pending handshake */
  job->socket = NULL;
  job->next_state = STATE_NONE;
  cn_net_log_fail(&job->log, "Connection timed out after %ld milliseconds",
                  (long)((cn_time_now_us() - job->start_us) / 1000));
  job->cb(job->cb_ctx, CN_ERR_CONNECTION_TIMED_OUT);
}

void cn_ssl_connect_job_take_result(struct cn_ssl_connect_job *job,
                                    struct cn_client_socket_handle *handle) {
  struct cn_stream_socket *s = job->socket;
  job->socket = NULL;
  handle->socket = s;
  cn_ssl_connect_job_timing(job, &handle->timing);
  memset(&handle->peer, 0, sizeof(handle->peer));
  memset(&handle->local, 0, sizeof(handle->local));
  if (s) {
    (void)s->ops->get_peer_address(s, &handle->peer);
    (void)s->ops->get_local_address(s, &handle->local);
  }
}
