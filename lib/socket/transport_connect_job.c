/* transport_connect_job.c: DoLoop RESOLVE -> CONNECT (happy eyeballs). */
#include "socket/transport_connect_job.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "dns/address_list.h"
#include "util/alloc.h"
#include "util/time.h"

enum job_state {
  STATE_NONE,
  STATE_RESOLVE,
  STATE_RESOLVE_COMPLETE,
  STATE_CONNECT,
  STATE_CONNECT_COMPLETE,
  STATE_HAPROXY,
  STATE_HAPROXY_COMPLETE,
};

enum attempt_state { ATTEMPT_WAITING, ATTEMPT_CONNECTING, ATTEMPT_DONE };

struct attempt {
  struct cn_transport_connect_job *job;
  struct cn_ip_endpoint ep;
  struct cn_tcp_client_socket *socket; /* owned while connecting */
  enum attempt_state state;
};

struct cn_transport_connect_job {
  struct cn_event_loop *loop;
  struct cn_host_resolver *resolver;
  cn_completion_fn cb;
  void *cb_ctx;

  char *host;
  char *display_host;
  bool is_proxy;
  char *interface_name;
  int port;
  enum cn_ip_family_pref family;
  long dns_cache_timeout_s;
  bool dns_shuffle;
  const struct cn_shared_host_cache *shared_dns;
  long timeout_ms;
  long happy_eyeballs_ms;
  int64_t start_us;
  struct cn_tcp_socket_options tcp;
  struct cn_net_log log;
  char *unix_path; /* owned; NULL: TCP */
  bool abstract_unix;
  bool haproxy;
  char *haproxy_client_ip; /* owned */
  struct cn_haproxy_writer haproxy_writer;

  enum job_state next_state;
  bool started;
  struct cn_resolve_request *resolve_req;
  struct cn_address_list *addrs;

  struct attempt *attempts; /* interleaved order */
  size_t num_attempts;
  size_t next_attempt; /* index of the next one to start */
  int last_error;

  struct cn_stream_socket *winner;
  struct cn_transport_connect_timing timing;

  struct cn_timer timeout_timer;
  struct cn_timer eyeballs_timer;
};

static void on_resolved(void *ctx, int rv);
static void on_attempt_done(void *ctx, int rv);
static void on_timeout(void *ctx);
static void on_eyeballs_timer(void *ctx);

struct cn_transport_connect_job *cn_transport_connect_job_new(
    struct cn_event_loop *loop, struct cn_host_resolver *resolver,
    const struct cn_transport_connect_params *params, cn_completion_fn cb,
    void *ctx) {
  struct cn_transport_connect_job *job = cn_calloc(1, sizeof(*job));
  if (!job)
    return NULL;
  job->loop = loop;
  job->resolver = resolver;
  job->cb = cb;
  job->cb_ctx = ctx;
  job->host = cn_strdup(params->host ? params->host : "");
  job->display_host = params->display_host ? cn_strdup(params->display_host)
                                           : NULL;
  job->tcp = params->tcp;
  if (params->tcp.interface_name) {
    job->interface_name = cn_strdup(params->tcp.interface_name);
    job->tcp.interface_name = job->interface_name;
    if (!job->interface_name)
      goto fail;
  }
  if (!job->host || (params->display_host && !job->display_host))
    goto fail;
  job->abstract_unix = params->abstract_unix;
  job->haproxy = params->haproxy;
  if (params->unix_path && !(job->unix_path = cn_strdup(params->unix_path)))
    goto fail;
  if (params->haproxy_client_ip &&
      !(job->haproxy_client_ip = cn_strdup(params->haproxy_client_ip)))
    goto fail;
  job->port = params->port;
  job->is_proxy = params->is_proxy;
  job->family = params->family;
  job->dns_cache_timeout_s = params->dns_cache_timeout_s;
  job->dns_shuffle = params->dns_shuffle;
  job->shared_dns = params->shared_dns;
  job->timeout_ms = params->timeout_ms > 0 ? params->timeout_ms
                                           : CN_DEFAULT_CONNECT_TIMEOUT_MS;
  job->happy_eyeballs_ms = params->happy_eyeballs_ms > 0
                               ? params->happy_eyeballs_ms
                               : CN_DEFAULT_HAPPY_EYEBALLS_MS;
  job->start_us = params->start_us;
  if (params->log)
    job->log = *params->log;
  job->last_error = CN_ERR_CONNECTION_FAILED;
  cn_timer_init(&job->timeout_timer, on_timeout, job);
  cn_timer_init(&job->eyeballs_timer, on_eyeballs_timer, job);
  return job;

fail:
  cn_transport_connect_job_free(job);
  return NULL;
}

static void close_attempts(struct cn_transport_connect_job *job) {
  for (size_t i = 0; i < job->num_attempts; i++) {
    struct attempt *a = &job->attempts[i];
    if (a->socket) {
      cn_stream_socket_destroy(cn_tcp_client_socket_stream(a->socket));
      a->socket = NULL;
    }
    a->state = ATTEMPT_DONE;
  }
}

void cn_transport_connect_job_free(struct cn_transport_connect_job *job) {
  if (!job)
    return;
  cn_timer_stop(&job->timeout_timer);
  cn_timer_stop(&job->eyeballs_timer);
  if (job->resolve_req)
    cn_resolve_request_cancel(job->resolve_req);
  close_attempts(job);
  cn_free(job->attempts);
  cn_address_list_free(job->addrs);
  cn_stream_socket_destroy(job->winner);
  cn_free(job->host);
  cn_free(job->display_host);
  cn_free(job->interface_name);
  cn_free(job->unix_path);
  cn_free(job->haproxy_client_ip);
  cn_free(job);
}

struct cn_stream_socket *cn_transport_connect_job_take_socket(
    struct cn_transport_connect_job *job) {
  struct cn_stream_socket *s = job->winner;
  job->winner = NULL;
  return s;
}

void cn_transport_connect_job_timing(const struct cn_transport_connect_job *job,
                                     struct cn_transport_connect_timing *out) {
  *out = job->timing;
}

bool cn_transport_connect_job_is_resolving(
    const struct cn_transport_connect_job *job) {
  return job->resolve_req != NULL ||
         (job->started && job->timing.dns_end_us == 0);
}

void cn_transport_connect_job_set_net_log(struct cn_transport_connect_job *job,
                                          const struct cn_net_log *log) {
  if (log)
    job->log = *log;
  else
    memset(&job->log, 0, sizeof(job->log));
  for (size_t i = 0; i < job->num_attempts; i++) {
    struct cn_stream_socket *s =
        cn_tcp_client_socket_stream(job->attempts[i].socket);
    if (s)
      s->ops->set_net_log(s, log);
  }
}

static long elapsed_ms(const struct cn_transport_connect_job *job) {
  return (long)((cn_time_now_us() - job->start_us) / 1000);
}

static const char *shown_host(const struct cn_transport_connect_job *job) {
  return job->display_host ? job->display_host : job->host;
}

/* --- RESOLVE ------------------------------------------------------------- */

static int resolver_started(void *ctx, void *state) {
  const struct cn_socket_hooks *h = ctx;
  return h->resolver_start(h, state);
}

static int do_resolve(struct cn_transport_connect_job *job) {
  if (job->unix_path) {
    job->next_state = STATE_CONNECT; /* nothing to resolve */
    return CN_OK;
  }
  struct cn_resolve_params rp = {
      .host = job->host,
      .port = job->port,
      .family = job->family,
      .cache_timeout_s = job->dns_cache_timeout_s,
      .shared_cache = job->shared_dns,
      .log = &job->log,
      .is_proxy = job->is_proxy,
      .shuffle = job->dns_shuffle,
      .on_start = job->tcp.hooks.resolver_start ? resolver_started : NULL,
      .on_start_ctx = &job->tcp.hooks,
  };
  job->next_state = STATE_RESOLVE_COMPLETE;
  job->timing.dns_start_us = cn_time_now_us();
  return cn_host_resolver_resolve(job->resolver, &rp, &job->addrs,
                                  &job->resolve_req, on_resolved, job);
}

static int do_resolve_complete(struct cn_transport_connect_job *job, int rv) {
  job->resolve_req = NULL;
  job->timing.dns_end_us = cn_time_now_us();
  if (rv == CN_OK && (!job->addrs || job->addrs->num == 0)) {
    cn_net_log_fail(&job->log, "Could not resolve host: %s", job->host);
    rv = CN_ERR_NAME_NOT_RESOLVED;
  }
  if (rv != CN_OK)
    return rv; /* the resolver logged "Could not resolve host: ..." */
  job->next_state = STATE_CONNECT;
  return CN_OK;
}

/* --- CONNECT ------------------------------------------------------------- */

static bool family_wanted(const struct cn_transport_connect_job *job, int af) {
  if (af != AF_INET && af != AF_INET6)
    return false;
  if (job->family == CN_IP_V4)
    return af == AF_INET;
  if (job->family == CN_IP_V6)
    return af == AF_INET6;
  return true;
}

/* RFC 8305 section 4: alternate families, starting with the family the
 * resolver put first. */
/* unix_attempt: the one attempt of a Unix socket connection. */
static int unix_attempt(struct cn_transport_connect_job *job) {
  struct sockaddr_un un;
  size_t len = strlen(job->unix_path);
  size_t room = sizeof(un.sun_path) - (job->abstract_unix ? 1 : 0);
  if (len >= room) {
    cn_net_log_fail(&job->log, "Unix socket path too long: '%s'",
                    job->unix_path);
    return CN_ERR_INVALID_ARGUMENT;
  }
  job->attempts = cn_calloc(1, sizeof(*job->attempts));
  if (!job->attempts)
    return CN_ERR_OUT_OF_MEMORY;
  memset(&un, 0, sizeof(un));
  un.sun_family = AF_UNIX;
  /* An abstract name starts with a NUL byte and is not NUL-terminated. */
  size_t at = job->abstract_unix ? 1 : 0;
  memcpy(un.sun_path + at, job->unix_path, len);
  struct attempt *a = &job->attempts[0];
  a->job = job;
  memcpy(&a->ep.addr, &un, sizeof(un));
  a->ep.len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + at + len +
                          (job->abstract_unix ? 0 : 1));
  job->num_attempts = 1;
  return CN_OK;
}

static int build_attempts(struct cn_transport_connect_job *job) {
  if (job->unix_path)
    return unix_attempt(job);
  const struct cn_address_list *list = job->addrs;
  job->attempts = cn_calloc(list->num, sizeof(*job->attempts));
  if (!job->attempts)
    return CN_ERR_OUT_OF_MEMORY;
  int first_family = AF_UNSPEC;
  for (size_t i = 0; i < list->num; i++) {
    int af = cn_ip_endpoint_family(&list->addrs[i]);
    if (family_wanted(job, af)) {
      first_family = af;
      break;
    }
  }
  size_t next_same = 0, next_other = 0, n = 0;
  bool take_same = true;
  for (;;) {
    size_t *cursor = take_same ? &next_same : &next_other;
    bool found = false;
    while (*cursor < list->num) {
      const struct cn_ip_endpoint *ep = &list->addrs[(*cursor)++];
      int af = cn_ip_endpoint_family(ep);
      if (!family_wanted(job, af) || (af == first_family) != take_same)
        continue;
      struct attempt *a = &job->attempts[n++];
      a->job = job;
      a->ep = *ep;
      cn_ip_endpoint_set_port(&a->ep, job->port);
      found = true;
      break;
    }
    if (!found && next_same >= list->num && next_other >= list->num)
      break;
    take_same = !take_same;
  }
  job->num_attempts = n;
  return n ? CN_OK : CN_ERR_NAME_NOT_RESOLVED;
}

static size_t attempts_in_flight(const struct cn_transport_connect_job *job) {
  size_t n = 0;
  for (size_t i = 0; i < job->num_attempts; i++)
    if (job->attempts[i].state == ATTEMPT_CONNECTING)
      n++;
  return n;
}

static void remember_error(struct cn_transport_connect_job *job, int rv) {
  /* A family the host cannot use says less than a real refusal. */
  if (rv == CN_ERR_ADDRESS_INVALID &&
      job->last_error != CN_ERR_CONNECTION_FAILED)
    return;
  job->last_error = rv;
}

static void log_attempt_failure(struct cn_transport_connect_job *job,
                                struct attempt *a, bool immediate) {
  int err = cn_tcp_client_socket_os_error(a->socket);
  char ip[CN_IP_STRING_MAX], buf[128];
  if (!err || !cn_net_log_verbose(&job->log))
    return;
  cn_ip_endpoint_address_string(&a->ep, ip, sizeof(ip));
  const char *text = strerror_r(err, buf, sizeof(buf));
  if (immediate) {
    cn_net_log_text(&job->log, "Immediate connect fail for %s: %s", ip, text);
    return;
  }
  struct cn_ip_endpoint local;
  char lip[CN_IP_STRING_MAX] = "";
  int lport = 0;
  struct cn_stream_socket *s = cn_tcp_client_socket_stream(a->socket);
  if (s->ops->get_local_address(s, &local) == CN_OK) {
    cn_ip_endpoint_address_string(&local, lip, sizeof(lip));
    lport = cn_ip_endpoint_port(&local);
  }
  cn_net_log_text(&job->log, "connect to %s port %d from %s port %d failed: %s",
                  ip, cn_ip_endpoint_port(&a->ep), lip, lport, text);
}

static void finish_attempt(struct attempt *a) {
  if (a->socket)
    cn_stream_socket_destroy(cn_tcp_client_socket_stream(a->socket));
  a->socket = NULL;
  a->state = ATTEMPT_DONE;
}

/* Starts waiting attempts until one is in flight or connected. Returns
 * CN_OK when one connected at once (it is the winner), CN_ERR_IO_PENDING
 * while some are in flight, or the error to give up with. */
static int start_next_attempt(struct cn_transport_connect_job *job) {
  while (job->next_attempt < job->num_attempts) {
    struct attempt *a = &job->attempts[job->next_attempt++];
    char ip[CN_IP_STRING_MAX];
    cn_ip_endpoint_address_string(&a->ep, ip, sizeof(ip));
    if (job->unix_path)
      cn_net_log_text(&job->log, "  Trying %s%s...",
                      job->abstract_unix ? "abstract " : "", job->unix_path);
    else if (cn_ip_endpoint_family(&a->ep) == AF_INET6)
      cn_net_log_text(&job->log, "  Trying [%s]:%d...", ip, job->port);
    else
      cn_net_log_text(&job->log, "  Trying %s:%d...", ip, job->port);
    a->socket = cn_tcp_client_socket_new(job->loop, &job->log);
    if (!a->socket)
      return CN_ERR_OUT_OF_MEMORY;
    a->state = ATTEMPT_CONNECTING;
    int rv = cn_tcp_client_socket_connect(a->socket, &a->ep, &job->tcp,
                                          on_attempt_done, a);
    if (rv == CN_ERR_IO_PENDING)
      return rv;
    if (rv == CN_OK) {
      job->winner = cn_tcp_client_socket_stream(a->socket);
      a->socket = NULL;
      a->state = ATTEMPT_DONE;
      return CN_OK;
    }
    if (rv == CN_ERR_LOCAL_BIND_FAILED || rv == CN_ERR_OUT_OF_MEMORY ||
        rv == CN_ERR_CALLBACK_ABORTED) {
      finish_attempt(a);
      return rv; /* already logged; another address would fail the same */
    }
    log_attempt_failure(job, a, true);
    remember_error(job, rv);
    finish_attempt(a);
  }
  return attempts_in_flight(job) ? CN_ERR_IO_PENDING : job->last_error;
}

static void arm_eyeballs_timer(struct cn_transport_connect_job *job) {
  cn_timer_stop(&job->eyeballs_timer);
  if (job->next_attempt < job->num_attempts)
    (void)cn_timer_start(job->loop, &job->eyeballs_timer,
                         job->happy_eyeballs_ms);
}

static int do_connect(struct cn_transport_connect_job *job) {
  job->next_state = STATE_CONNECT_COMPLETE;
  job->timing.connect_start_us = cn_time_now_us();
  int rv = build_attempts(job);
  if (rv != CN_OK) {
    if (rv == CN_ERR_NAME_NOT_RESOLVED)
      cn_net_log_fail(&job->log, "Could not resolve host: %s", job->host);
    job->next_state = STATE_NONE;
    return rv == CN_ERR_INVALID_ARGUMENT ? CN_ERR_CONNECTION_FAILED : rv;
  }
  rv = start_next_attempt(job);
  if (rv == CN_ERR_IO_PENDING)
    arm_eyeballs_timer(job);
  return rv;
}

static int do_connect_complete(struct cn_transport_connect_job *job, int rv) {
  cn_timer_stop(&job->eyeballs_timer);
  close_attempts(job);
  if (rv == CN_OK) {
    job->timing.connect_end_us = cn_time_now_us();
    if (job->haproxy)
      job->next_state = STATE_HAPROXY;
    return CN_OK;
  }
  if (rv == CN_ERR_LOCAL_BIND_FAILED || rv == CN_ERR_OUT_OF_MEMORY ||
      rv == CN_ERR_CALLBACK_ABORTED)
    return rv;
  cn_net_log_fail(&job->log,
                  "Failed to connect to %s port %d after %ld ms: "
                  "Couldn't connect to server",
                  shown_host(job), job->port, elapsed_ms(job));
  switch (rv) {
  case CN_ERR_CONNECTION_REFUSED:
  case CN_ERR_ADDRESS_UNREACHABLE:
  case CN_ERR_CONNECTION_TIMED_OUT:
  case CN_ERR_INTERNET_DISCONNECTED:
    return rv;
  default:
    return CN_ERR_CONNECTION_FAILED;
  }
}

/* --- HAPROXY: the PROXY protocol v1 line goes first --------------------- */

static void on_haproxy_written(void *ctx, int rv);

/* format_line writes the PROXY v1 line for |s| into |out|: its length, or
 * CN_ERR_INVALID_ARGUMENT (too long), CN_ERR_CONNECTION_FAILED. */
static int format_line(char *out, size_t out_len, struct cn_stream_socket *s,
                       bool unknown, const char *client_ip) {
  struct cn_ip_endpoint peer, local;
  char pip[CN_IP_STRING_MAX] = "", lip[CN_IP_STRING_MAX] = "";
  int n;
  if (unknown) {
    n = snprintf(out, out_len, "PROXY UNKNOWN\r\n");
  } else {
    if (s->ops->get_peer_address(s, &peer) != CN_OK ||
        s->ops->get_local_address(s, &local) != CN_OK)
      return CN_ERR_CONNECTION_FAILED;
    cn_ip_endpoint_address_string(&peer, pip, sizeof(pip));
    cn_ip_endpoint_address_string(&local, lip, sizeof(lip));
    n = snprintf(out, out_len, "PROXY %s %s %s %d %d\r\n",
                 cn_ip_endpoint_family(&peer) == AF_INET6 ? "TCP6" : "TCP4",
                 client_ip ? client_ip : lip, pip,
                 cn_ip_endpoint_port(&local), cn_ip_endpoint_port(&peer));
  }
  if (n < 0 || (size_t)n >= out_len)
    return CN_ERR_INVALID_ARGUMENT;
  return n;
}

int cn_haproxy_writer_write(struct cn_haproxy_writer *w,
                            struct cn_stream_socket *s, bool unknown,
                            const char *client_ip, cn_completion_fn cb,
                            void *ctx) {
  if (!w->len) {
    int n = format_line(w->line, sizeof(w->line), s, unknown, client_ip);
    if (n < 0)
      return n;
    w->len = (size_t)n;
  }
  return s->ops->write(s, (const uint8_t *)w->line + w->sent,
                       w->len - w->sent, cb, ctx);
}

int cn_haproxy_writer_complete(struct cn_haproxy_writer *w, int rv,
                               bool *out_more) {
  *out_more = false;
  if (rv < 0)
    return rv;
  w->sent += (size_t)rv;
  *out_more = w->sent < w->len;
  return CN_OK;
}

static int do_haproxy(struct cn_transport_connect_job *job) {
  job->next_state = STATE_HAPROXY_COMPLETE;
  return cn_haproxy_writer_write(&job->haproxy_writer, job->winner,
                                 job->unix_path != NULL,
                                 job->haproxy_client_ip, on_haproxy_written,
                                 job);
}

static int do_haproxy_complete(struct cn_transport_connect_job *job, int rv) {
  bool more = false;
  rv = cn_haproxy_writer_complete(&job->haproxy_writer, rv, &more);
  if (more)
    job->next_state = STATE_HAPROXY;
  return rv;
}

/* --- loop ---------------------------------------------------------------- */

static int do_loop(struct cn_transport_connect_job *job, int rv) {
  do {
    enum job_state state = job->next_state;
    job->next_state = STATE_NONE;
    switch (state) {
    case STATE_RESOLVE:
      rv = do_resolve(job);
      break;
    case STATE_RESOLVE_COMPLETE:
      rv = do_resolve_complete(job, rv);
      break;
    case STATE_CONNECT:
      rv = do_connect(job);
      break;
    case STATE_CONNECT_COMPLETE:
      rv = do_connect_complete(job, rv);
      break;
    case STATE_HAPROXY:
      rv = do_haproxy(job);
      break;
    case STATE_HAPROXY_COMPLETE:
      rv = do_haproxy_complete(job, rv);
      break;
    case STATE_NONE:
      rv = CN_ERR_UNEXPECTED;
      break;
    }
  } while (rv != CN_ERR_IO_PENDING && job->next_state != STATE_NONE);
  if (rv != CN_ERR_IO_PENDING)
    cn_timer_stop(&job->timeout_timer);
  return rv;
}

/* Finishes an asynchronous step; the callback may free the job. */
static void on_io_complete(struct cn_transport_connect_job *job, int rv) {
  rv = do_loop(job, rv);
  if (rv != CN_ERR_IO_PENDING)
    job->cb(job->cb_ctx, rv);
}

int cn_transport_connect_job_connect(struct cn_transport_connect_job *job) {
  if (job->started)
    return CN_ERR_UNEXPECTED;
  job->started = true;
  if (job->start_us == 0)
    job->start_us = cn_time_now_us();
  int64_t left_us = job->start_us + (int64_t)job->timeout_ms * 1000 -
                    cn_time_now_us();
  int rv = cn_timer_start_us(job->loop, &job->timeout_timer, left_us);
  if (rv != CN_OK)
    return rv;
  job->next_state = STATE_RESOLVE;
  return do_loop(job, CN_OK);
}

static void on_haproxy_written(void *ctx, int rv) {
  on_io_complete(ctx, rv);
}

static void on_resolved(void *ctx, int rv) {
  struct cn_transport_connect_job *job = ctx;
  job->resolve_req = NULL;
  on_io_complete(job, rv);
}

static void on_attempt_done(void *ctx, int rv) {
  struct attempt *a = ctx;
  struct cn_transport_connect_job *job = a->job;
  if (rv == CN_OK) {
    job->winner = cn_tcp_client_socket_stream(a->socket);
    a->socket = NULL;
    a->state = ATTEMPT_DONE;
    on_io_complete(job, CN_OK);
    return;
  }
  log_attempt_failure(job, a, false);
  remember_error(job, rv);
  finish_attempt(a);
  /* RFC 8305 section 5: a failure starts the next attempt at once. */
  rv = start_next_attempt(job);
  if (rv == CN_ERR_IO_PENDING) {
    arm_eyeballs_timer(job);
    return;
  }
  on_io_complete(job, rv);
}

static void on_eyeballs_timer(void *ctx) {
  struct cn_transport_connect_job *job = ctx;
  int rv = start_next_attempt(job);
  if (rv == CN_ERR_IO_PENDING) {
    arm_eyeballs_timer(job);
    return;
  }
  on_io_complete(job, rv);
}

static void on_timeout(void *ctx) {
  struct cn_transport_connect_job *job = ctx;
  bool resolving = cn_transport_connect_job_is_resolving(job);
  if (job->resolve_req) {
    cn_resolve_request_cancel(job->resolve_req);
    job->resolve_req = NULL;
  }
  cn_timer_stop(&job->eyeballs_timer);
  close_attempts(job);
  job->next_state = STATE_NONE;
  cn_net_log_fail(&job->log, "%s timed out after %ld milliseconds",
                  resolving ? "Resolving" : "Connection", elapsed_ms(job));
  job->cb(job->cb_ctx, CN_ERR_CONNECTION_TIMED_OUT);
}
