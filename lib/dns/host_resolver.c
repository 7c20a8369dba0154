/* host_resolver.c: the host cache in front of c-ares, with c-ares driven by
 * the event loop (its sockets become io watches, ares_timeout() a timer).
 *
 * Every asynchronous result reaches its caller through a posted task, so a
 * completion never runs inside cn_host_resolver_resolve even when c-ares
 * answers synchronously (from /etc/hosts, or with an error). */
#include "dns/host_resolver.h"

#include <ares.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns/host_cache.h"
#include "dns/resolve_override.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/event_loop.h"
#include "util/net_log.h"
#include "util/time.h"

struct channel;

/* One c-ares socket and its watch. */
struct sock_watch {
  struct cn_io_watch watch;
  struct channel *ch;
  int fd;
  struct sock_watch *next;
};

/* A c-ares channel and the loop entries that drive it. Settings changes
 * need a new channel (c-ares 1.18 refuses to change servers while queries
 * run); the old one is retired: it finishes its queries, then goes. */
struct channel {
  struct cn_host_resolver *r;
  ares_channel ares;
  struct cn_timer timer;
  struct sock_watch *socks;
  size_t num_queries;   /* getaddrinfo calls whose callback is still due */
  bool broken;          /* a watch or the timer could not be armed (OOM) */
  struct channel *next; /* in r->retired */
};

struct cn_resolve_request {
  struct cn_host_resolver *r;
  struct channel *ch;
  /* In r->requests while the caller may still cancel it. */
  struct cn_resolve_request *prev, *next;
  char *host;
  int port;
  enum cn_ip_family_pref family;
  long cache_timeout_s;
  bool is_proxy;
  bool shuffle;
  struct cn_net_log log;
  struct cn_address_list **out;
  cn_completion_fn cb;
  void *ctx;
  const struct cn_shared_host_cache *shared; /* NULL: r->cache */
  bool in_ares;   /* c-ares still holds this request as a callback arg */
  bool cancelled; /* the caller let go; free when c-ares lets go */
  int result;
  struct cn_address_list *resolved; /* as c-ares ordered it, all families */
  struct cn_task task;
};

struct cn_host_resolver {
  struct cn_event_loop *loop;
  struct channel *current;
  struct channel *retired;
  struct cn_resolve_request *requests;
  struct cn_host_cache *cache;
  int64_t (*now_us)(void);
  bool ipv6_works;

  /* Settings for new channels. */
  bool settings_changed;
  char *servers; /* NULL: the system's */
  bool has_local_ip4;
  unsigned int local_ip4; /* host byte order, as c-ares wants it */
  bool has_local_ip6;
  unsigned char local_ip6[16];
  char local_dev[32]; /* CURLOPT_DNS_INTERFACE, c-ares' limit; "": none */
  int timeout_ms; /* 0: c-ares default */
  int tries;      /* 0: c-ares default */
};

/* --- global ------------------------------------------------------------- */

int cn_host_resolver_global_init(void) {
  int st =
      ares_library_init_mem(ARES_LIB_INIT_ALL, cn_malloc, cn_free, cn_realloc);
  if (st == ARES_SUCCESS)
    return CN_OK;
  return st == ARES_ENOMEM ? CN_ERR_OUT_OF_MEMORY : CN_ERR_FAILED;
}

void cn_host_resolver_global_cleanup(void) { ares_library_cleanup(); }

/* --- small helpers ------------------------------------------------------ */

static int wanted_family(enum cn_ip_family_pref pref) {
  switch (pref) {
  case CN_IP_V4:
    return AF_INET;
  case CN_IP_V6:
    return AF_INET6;
  default:
    return AF_UNSPEC;
  }
}

static bool ends_with_nocase(const char *s, const char *tail) {
  size_t n = strlen(s), t = strlen(tail);
  return n >= t && strcasecmp(s + n - t, tail) == 0;
}

static bool is_localhost(const char *host) {
  return strcasecmp(host, "localhost") == 0 ||
         ends_with_nocase(host, ".localhost");
}

static bool is_ip_literal(const char *host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host, buf) == 1 ||
         inet_pton(AF_INET6, host, buf) == 1;
}

/* hand_out gives the caller its own copy of |src| restricted to |family|. */
static int hand_out(const struct cn_address_list *src, int port, int family,
                    struct cn_address_list **out) {
  struct cn_address_list *l = cn_address_list_copy_family(src, port, family);
  if (!l)
    return CN_ERR_OUT_OF_MEMORY;
  if (l->num == 0) {
    cn_address_list_free(l);
    return CN_ERR_NAME_NOT_RESOLVED;
  }
  *out = l;
  return CN_OK;
}

/* log_resolved writes libcurl's show_resolve_info lines. */
static void log_resolved(const struct cn_net_log *log, const char *host,
                         int port, const struct cn_address_list *list) {
  if (!cn_net_log_verbose(log) || is_ip_literal(host))
    return;
  cn_net_log_text(log, "Host %s:%d was resolved.", host, port);
  struct cn_buf v4, v6;
  cn_buf_init(&v4, 0);
  cn_buf_init(&v6, 0);
  for (size_t i = 0; i < list->num; i++) {
    const struct cn_ip_endpoint *ep = &list->addrs[i];
    int fam = cn_ip_endpoint_family(ep);
    if (fam != AF_INET && fam != AF_INET6)
      continue;
    struct cn_buf *b = (fam == AF_INET) ? &v4 : &v6;
    char text[CN_IP_STRING_MAX];
    cn_ip_endpoint_address_string(ep, text, sizeof(text));
    if ((b->len && cn_buf_append_str(b, ", ") != CN_OK) ||
        cn_buf_append_str(b, text) != CN_OK) {
      cn_net_log_text(log, "too many IP, can't show");
      goto out;
    }
  }
  cn_net_log_text(log, "IPv6: %s", v6.len ? v6.data : "(none)");
  cn_net_log_text(log, "IPv4: %s", v4.len ? v4.data : "(none)");
out:
  cn_buf_cleanup(&v4);
  cn_buf_cleanup(&v6);
}

static void log_failure(const struct cn_net_log *log, const char *host,
                        bool is_proxy, int rv) {
  /* libcurl reports OOM without a resolver message. */
  if (rv != CN_ERR_OUT_OF_MEMORY)
    cn_net_log_fail(log, "Could not resolve %s: %s",
                    is_proxy ? "proxy" : "host", host);
}

/* cache_begin returns the cache a lookup of |shared| uses, locked when it
 * is a share's; pair with cache_end. Nothing that calls out of the library
 * (logging) runs in between. */
static struct cn_host_cache *
cache_begin(struct cn_host_resolver *r,
            const struct cn_shared_host_cache *shared) {
  if (!shared)
    return r->cache;
  if (shared->lock)
    shared->lock(shared->lock_arg, true);
  return shared->cache;
}

static void cache_end(const struct cn_shared_host_cache *shared) {
  if (shared && shared->lock)
    shared->lock(shared->lock_arg, false);
}

/* shuffle_addresses: CURLOPT_DNS_SHUFFLE_ADDRESSES on a fresh result,
 * before it is cached (later cache hits keep its order, as in libcurl). */
static void shuffle_addresses(struct cn_address_list *list,
                              const struct cn_net_log *log) {
  if (list->num < 2)
    return;
  cn_net_log_text(log, "Shuffling %zu addresses", list->num);
  cn_address_list_shuffle(list);
}

/* cache_store keeps a copy of a fresh result; a failure only costs a later
 * lookup, so it is not an error. A permanent (CURLOPT_RESOLVE) entry wins
 * over a resolution that raced with it. */
static void cache_store(struct cn_host_resolver *r,
                        const struct cn_shared_host_cache *shared,
                        const char *host, int port,
                        const struct cn_address_list *list, long timeout_s) {
  if (timeout_s == 0)
    return;
  size_t len = strlen(host);
  int64_t now = r->now_us();
  struct cn_address_list *copy = cn_address_list_copy(list, port);
  if (!copy)
    return;
  struct cn_host_cache *cache = cache_begin(r, shared);
  struct cn_host_cache_entry *e = cn_host_cache_find(cache, host, len, port);
  if (!e || !e->permanent) {
    cn_host_cache_prune(cache, timeout_s, now);
    if (cn_host_cache_set(cache, host, len, port, copy, false, now) == CN_OK)
      copy = NULL;
  }
  cache_end(shared);
  cn_address_list_free(copy);
}

/* cache_lookup hands out (hand_out) the usable cached list for host:port
 * (or the wildcard "*:port"), dropping entries that are stale or lack the
 * wanted family as libcurl's fetch_addr does; *|zapped| then says why.
 * CN_ERR_IO_PENDING when nothing usable is cached. */
static int cache_lookup(struct cn_host_resolver *r,
                        const struct cn_resolve_params *p, int family,
                        struct cn_address_list **out, const char **zapped) {
  int rv = CN_ERR_IO_PENDING;
  *zapped = NULL;
  struct cn_host_cache *cache = cache_begin(r, p->shared_cache);
  struct cn_host_cache_entry *e =
      cn_host_cache_find(cache, p->host, strlen(p->host), p->port);
  if (!e)
    e = cn_host_cache_find(cache, "*", 1, p->port);
  if (e) {
    if (cn_host_cache_is_stale(e, p->cache_timeout_s, r->now_us()))
      *zapped = "Hostname in DNS cache was stale, zapped";
    else if (family != AF_UNSPEC &&
             cn_address_list_count_family(e->list, family) == 0)
      *zapped = "Hostname in DNS cache does not have needed family, zapped";
    if (*zapped)
      cn_host_cache_remove_entry(cache, e);
    else
      rv = hand_out(e->list, p->port, family, out);
  }
  cache_end(p->shared_cache);
  return rv;
}

/* --- requests ----------------------------------------------------------- */

static void link_request(struct cn_host_resolver *r,
                         struct cn_resolve_request *req) {
  req->prev = NULL;
  req->next = r->requests;
  if (r->requests)
    r->requests->prev = req;
  r->requests = req;
}

static void unlink_request(struct cn_host_resolver *r,
                           struct cn_resolve_request *req) {
  if (req->prev)
    req->prev->next = req->next;
  else if (r->requests == req)
    r->requests = req->next;
  if (req->next)
    req->next->prev = req->prev;
  req->prev = req->next = NULL;
}

static void free_request(struct cn_resolve_request *req) {
  cn_task_cancel(&req->task);
  cn_address_list_free(req->resolved);
  cn_free(req->host);
  cn_free(req);
}

/* on_deliver runs from the loop with the c-ares outcome. */
static void on_deliver(void *ctx) {
  struct cn_resolve_request *req = ctx;
  struct cn_host_resolver *r = req->r;
  int rv = req->result;
  if (rv == CN_OK) {
    if (req->shuffle)
      shuffle_addresses(req->resolved, &req->log);
    cache_store(r, req->shared, req->host, req->port, req->resolved,
                req->cache_timeout_s);
    log_resolved(&req->log, req->host, req->port, req->resolved);
    rv = hand_out(req->resolved, req->port, wanted_family(req->family),
                  req->out);
  }
  if (rv != CN_OK)
    log_failure(&req->log, req->host, req->is_proxy, rv);
  cn_completion_fn cb = req->cb;
  void *cb_ctx = req->ctx;
  unlink_request(r, req);
  free_request(req);
  cb(cb_ctx, rv);
}

static int map_ares_status(int status, const struct channel *ch) {
  switch (status) {
  case ARES_SUCCESS:
    return CN_OK;
  case ARES_ENOMEM:
    return CN_ERR_OUT_OF_MEMORY;
  case ARES_ETIMEOUT:
    return CN_ERR_DNS_TIMED_OUT;
  case ARES_ESERVFAIL:
  case ARES_EREFUSED:
  case ARES_ENOTIMP:
  case ARES_ECONNREFUSED:
    return CN_ERR_DNS_SERVER_FAILED;
  case ARES_EFORMERR:
  case ARES_EBADRESP:
    return CN_ERR_DNS_MALFORMED_RESPONSE;
  case ARES_ECANCELLED:
  case ARES_EDESTRUCTION:
    /* Only a broken channel cancels queries its callers still want. */
    return ch->broken ? CN_ERR_OUT_OF_MEMORY : CN_ERR_ABORTED;
  default: /* ENOTFOUND, ENODATA, EBADNAME, ... */
    return CN_ERR_NAME_NOT_RESOLVED;
  }
}

static int list_from_ares(const struct ares_addrinfo *res, int port,
                          struct cn_address_list **out) {
  struct cn_address_list *l = cn_address_list_new();
  if (!l)
    return CN_ERR_OUT_OF_MEMORY;
  for (const struct ares_addrinfo_node *n = res ? res->nodes : NULL; n;
       n = n->ai_next) {
    struct cn_ip_endpoint ep;
    if (!n->ai_addr ||
        !cn_ip_endpoint_from_sockaddr(&ep, n->ai_addr, n->ai_addrlen))
      continue;
    cn_ip_endpoint_set_port(&ep, port);
    if (cn_address_list_add(l, &ep) != CN_OK) {
      cn_address_list_free(l);
      return CN_ERR_OUT_OF_MEMORY;
    }
  }
  if (l->num == 0) {
    cn_address_list_free(l);
    return CN_ERR_NAME_NOT_RESOLVED;
  }
  *out = l;
  return CN_OK;
}

/* on_ares_done: c-ares' getaddrinfo callback. It may run inside
 * ares_getaddrinfo itself, so it only records the outcome and posts. */
static void on_ares_done(void *arg, int status, int timeouts,
                         struct ares_addrinfo *res) {
  struct cn_resolve_request *req = arg;
  struct channel *ch = req->ch;
  req->in_ares = false;
  ch->num_queries--;
  if (req->cancelled) {
    free_request(req);
  } else {
    req->result = map_ares_status(status, ch);
    if (req->result == CN_OK)
      req->result = list_from_ares(res, req->port, &req->resolved);
    cn_task_post(req->r->loop, &req->task);
  }
  if (res)
    ares_freeaddrinfo(res);
}

/* --- channels ----------------------------------------------------------- */

static void after_ares(struct channel *ch);

static void on_io(void *ctx, unsigned ready) {
  struct sock_watch *w = ctx;
  struct channel *ch = w->ch;
  ares_socket_t rfd = (ready & CN_IO_READ) ? w->fd : ARES_SOCKET_BAD;
  ares_socket_t wfd = (ready & CN_IO_WRITE) ? w->fd : ARES_SOCKET_BAD;
  /* c-ares may close this socket, which frees |w|. */
  ares_process_fd(ch->ares, rfd, wfd);
  after_ares(ch);
}

static void on_timer(void *ctx) {
  struct channel *ch = ctx;
  ares_process_fd(ch->ares, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  after_ares(ch);
}

static void on_sock_state(void *data, ares_socket_t fd, int readable,
                          int writable) {
  struct channel *ch = data;
  struct sock_watch **pp = &ch->socks;
  while (*pp && (*pp)->fd != fd)
    pp = &(*pp)->next;
  unsigned events = (readable ? CN_IO_READ : 0) | (writable ? CN_IO_WRITE : 0);
  if (!events) {
    struct sock_watch *w = *pp;
    if (w) {
      cn_io_watch_stop(&w->watch);
      *pp = w->next;
      cn_free(w);
    }
    return;
  }
  struct sock_watch *w = *pp;
  if (!w) {
    w = cn_calloc(1, sizeof(*w));
    if (!w) {
      ch->broken = true;
      return;
    }
    w->ch = ch;
    w->fd = fd;
    cn_io_watch_init(&w->watch, on_io, w);
    w->next = ch->socks;
    ch->socks = w;
  }
  if (cn_io_watch_start(ch->r->loop, &w->watch, fd, events) != CN_OK)
    ch->broken = true;
}

static int channel_new(struct cn_host_resolver *r, struct channel **out) {
  struct channel *ch = cn_calloc(1, sizeof(*ch));
  if (!ch)
    return CN_ERR_OUT_OF_MEMORY;
  ch->r = r;
  cn_timer_init(&ch->timer, on_timer, ch);

  struct ares_options opts;
  memset(&opts, 0, sizeof(opts));
  int mask = ARES_OPT_SOCK_STATE_CB;
  opts.sock_state_cb = on_sock_state;
  opts.sock_state_cb_data = ch;
  if (r->timeout_ms > 0) {
    opts.timeout = r->timeout_ms;
    mask |= ARES_OPT_TIMEOUTMS;
  }
  if (r->tries > 0) {
    opts.tries = r->tries;
    mask |= ARES_OPT_TRIES;
  }
  int st = ares_init_options(&ch->ares, &opts, mask);
  if (st != ARES_SUCCESS) {
    cn_free(ch);
    return st == ARES_ENOMEM ? CN_ERR_OUT_OF_MEMORY : CN_ERR_FAILED;
  }
  if (r->servers) {
    st = ares_set_servers_ports_csv(ch->ares, r->servers);
    if (st != ARES_SUCCESS) {
      ares_destroy(ch->ares);
      cn_free(ch);
      return st == ARES_ENOMEM ? CN_ERR_OUT_OF_MEMORY : CN_ERR_INVALID_ARGUMENT;
    }
  }
  if (r->has_local_ip4)
    ares_set_local_ip4(ch->ares, r->local_ip4);
  if (r->has_local_ip6)
    ares_set_local_ip6(ch->ares, r->local_ip6);
  if (r->local_dev[0])
    ares_set_local_dev(ch->ares, r->local_dev);
  *out = ch;
  return CN_OK;
}

static void channel_destroy(struct channel *ch) {
  /* Calls back every query still running (their requests are cancelled by
   * now) and reports each socket closed, which frees its watch. */
  ares_destroy(ch->ares);
  while (ch->socks) {
    struct sock_watch *w = ch->socks;
    ch->socks = w->next;
    cn_io_watch_stop(&w->watch);
    cn_free(w);
  }
  cn_timer_stop(&ch->timer);
  cn_free(ch);
}

/* retire takes |ch| out of service: gone now if idle, else when idle. */
static void retire(struct cn_host_resolver *r, struct channel *ch) {
  if (r->current == ch)
    r->current = NULL;
  if (ch->num_queries == 0) {
    channel_destroy(ch);
    return;
  }
  ch->next = r->retired;
  r->retired = ch;
}

static void unlink_retired(struct cn_host_resolver *r, struct channel *ch) {
  for (struct channel **pp = &r->retired; *pp; pp = &(*pp)->next)
    if (*pp == ch) {
      *pp = ch->next;
      return;
    }
}

/* after_ares follows every call into c-ares: re-arms the timer from
 * ares_timeout(), fails the queries of a channel the loop can no longer
 * drive, and frees a retired channel once its last query is done. |ch| may
 * be gone on return. */
static void after_ares(struct channel *ch) {
  struct cn_host_resolver *r = ch->r;
  if (!ch->broken) {
    struct timeval tv;
    struct timeval *t = ares_timeout(ch->ares, NULL, &tv);
    if (!t)
      cn_timer_stop(&ch->timer);
    else if (cn_timer_start_us(r->loop, &ch->timer,
                               (int64_t)t->tv_sec * 1000000 + t->tv_usec) !=
             CN_OK)
      ch->broken = true;
  }
  if (ch->broken) {
    /* A socket without a watch would never be read: end its queries with
     * the OOM that caused it instead of letting them time out. */
    if (r->current == ch) {
      r->current = NULL;
      ch->next = r->retired;
      r->retired = ch;
    }
    ares_cancel(ch->ares);
  }
  if (ch != r->current && ch->num_queries == 0) {
    unlink_retired(r, ch);
    channel_destroy(ch);
  }
}

/* ensure_channel makes r->current a channel with the latest settings. */
static int ensure_channel(struct cn_host_resolver *r) {
  if (r->current && !r->settings_changed)
    return CN_OK;
  struct channel *ch;
  int rv = channel_new(r, &ch);
  if (rv != CN_OK)
    return rv;
  if (r->current)
    retire(r, r->current);
  r->current = ch;
  r->settings_changed = false;
  return CN_OK;
}

/* --- resolver ----------------------------------------------------------- */

static int64_t default_now_us(void) { return cn_time_now_us(); }

static bool probe_ipv6(void) {
  int fd = socket(AF_INET6, SOCK_DGRAM, 0);
  if (fd < 0)
    return false;
  close(fd);
  return true;
}

struct cn_host_resolver *cn_host_resolver_new(struct cn_event_loop *loop) {
  struct cn_host_resolver *r = cn_calloc(1, sizeof(*r));
  if (!r)
    return NULL;
  r->loop = loop;
  r->now_us = default_now_us;
  r->ipv6_works = probe_ipv6();
  r->cache = cn_host_cache_new();
  /* Start c-ares now so that a resolver that exists can resolve. */
  if (!r->cache || ensure_channel(r) != CN_OK) {
    cn_host_resolver_free(r);
    return NULL;
  }
  return r;
}

void cn_host_resolver_free(struct cn_host_resolver *r) {
  if (!r)
    return;
  while (r->requests)
    cn_resolve_request_cancel(r->requests);
  if (r->current)
    channel_destroy(r->current);
  while (r->retired) {
    struct channel *ch = r->retired;
    r->retired = ch->next;
    channel_destroy(ch);
  }
  cn_host_cache_free(r->cache);
  cn_free(r->servers);
  cn_free(r);
}

void cn_host_resolver_set_clock_for_testing(struct cn_host_resolver *r,
                                            int64_t (*now_us)(void)) {
  r->now_us = now_us ? now_us : default_now_us;
}

static bool valid_port(const char *p, const char *end) {
  if (p == end || end - p > 5)
    return false;
  unsigned long v = 0;
  for (; p < end; p++) {
    if (*p < '0' || *p > '9')
      return false;
    v = v * 10 + (unsigned long)(*p - '0');
  }
  return v > 0 && v <= 65535;
}

/* valid_server checks one CURLOPT_DNS_SERVERS item as c-ares 1.18's csv
 * parser reads it: "v4", "v4:port", "[v6]", "[v6]:port" or a bare "v6". */
static bool valid_server(const char *item, size_t len) {
  const char *end = item + len;
  const char *host_begin = item, *host_end = end, *port = NULL;
  int af = AF_INET;
  if (len && item[0] == '[') {
    const char *close = memchr(item, ']', len);
    if (!close)
      return false;
    host_begin = item + 1;
    host_end = close;
    af = AF_INET6;
    if (close + 1 < end) {
      if (close[1] != ':')
        return false;
      port = close + 2;
    }
  } else {
    const char *colon = memchr(item, ':', len);
    if (colon && memchr(colon + 1, ':', (size_t)(end - colon - 1))) {
      af = AF_INET6; /* a bare IPv6 address: no port possible */
    } else if (colon) {
      host_end = colon;
      port = colon + 1;
    }
  }
  char host[CN_IP_STRING_MAX];
  unsigned char buf[16];
  size_t hlen = (size_t)(host_end - host_begin);
  if (hlen == 0 || hlen >= sizeof(host))
    return false;
  memcpy(host, host_begin, hlen);
  host[hlen] = '\0';
  if (inet_pton(af, host, buf) != 1)
    return false;
  return !port || valid_port(port, end);
}

int cn_host_resolver_set_servers(struct cn_host_resolver *r,
                                 const char *servers) {
  char *copy = NULL;
  /* libcurl leaves c-ares on the system's servers for NULL or "". */
  if (servers && *servers) {
    const char *p = servers;
    for (;;) {
      const char *end = strchr(p, ',');
      size_t len = end ? (size_t)(end - p) : strlen(p);
      if (!valid_server(p, len))
        return CN_ERR_INVALID_ARGUMENT;
      if (!end)
        break;
      p = end + 1;
    }
    copy = cn_strdup(servers);
    if (!copy)
      return CN_ERR_OUT_OF_MEMORY;
  }
  cn_free(r->servers);
  r->servers = copy;
  r->settings_changed = true;
  return CN_OK;
}

int cn_host_resolver_set_local_ip4(struct cn_host_resolver *r, const char *ip) {
  struct in_addr a;
  if (ip && inet_pton(AF_INET, ip, &a) != 1)
    return CN_ERR_INVALID_ARGUMENT;
  r->has_local_ip4 = ip != NULL;
  r->local_ip4 = ip ? ntohl(a.s_addr) : 0;
  r->settings_changed = true;
  return CN_OK;
}

int cn_host_resolver_set_local_ip6(struct cn_host_resolver *r, const char *ip) {
  struct in6_addr a;
  if (ip && inet_pton(AF_INET6, ip, &a) != 1)
    return CN_ERR_INVALID_ARGUMENT;
  r->has_local_ip6 = ip != NULL;
  if (ip)
    memcpy(r->local_ip6, &a, sizeof(r->local_ip6));
  r->settings_changed = true;
  return CN_OK;
}

int cn_host_resolver_set_interface(struct cn_host_resolver *r,
                                   const char *name) {
  /* c-ares keeps what fits and has no error to give (nor has libcurl) */
  char now[sizeof(r->local_dev)];
  snprintf(now, sizeof(now), "%s", name ? name : "");
  if (strcmp(r->local_dev, now) != 0) {
    memcpy(r->local_dev, now, sizeof(now));
    r->settings_changed = true;
  }
  return CN_OK;
}

int cn_host_resolver_set_timeouts(struct cn_host_resolver *r, int timeout_ms,
                                  int tries) {
  if (timeout_ms < 0 || tries < 0)
    return CN_ERR_INVALID_ARGUMENT;
  r->timeout_ms = timeout_ms;
  r->tries = tries;
  r->settings_changed = true;
  return CN_OK;
}

int cn_host_resolver_add_override_with_log(struct cn_host_resolver *r,
                                           const char *line,
                                           const struct cn_net_log *log) {
  return cn_host_resolver_add_override_shared(r, NULL, line, false, log);
}

int cn_host_resolver_add_override_shared(
    struct cn_host_resolver *r, const struct cn_shared_host_cache *shared,
    const char *line, bool shuffle, const struct cn_net_log *log) {
  struct cn_resolve_override o;
  int rv = cn_resolve_override_parse(&o, line);
  if (rv == CN_ERR_INVALID_ARGUMENT) {
    if (line && line[0] == '-') {
      cn_net_log_text(log, "Bad syntax CURLOPT_RESOLVE removal entry '%s'",
                      line);
    } else {
      if (o.bad_addr)
        cn_net_log_text(log, "Resolve address '%s' found illegal", o.bad_addr);
      cn_net_log_fail(log, "Could not parse CURLOPT_RESOLVE entry '%s'",
                      line ? line : "");
    }
  }
  if (rv != CN_OK)
    goto out;

  if (!r && !shared) {
    rv = CN_ERR_INVALID_ARGUMENT;
    goto out;
  }
  size_t hlen = strlen(o.host);
  int64_t now = r ? r->now_us() : cn_time_now_us();
  struct cn_host_cache *cache = cache_begin(r, shared);
  if (o.kind == CN_RESOLVE_OVERRIDE_REMOVE) {
    cn_host_cache_remove(cache, o.host, hlen, o.port);
    cache_end(shared);
    goto out;
  }
  if (shuffle)
    shuffle_addresses(o.addrs, log);
  bool had_entry = cn_host_cache_find(cache, o.host, hlen, o.port) != NULL;
  rv = cn_host_cache_set(cache, o.host, hlen, o.port, o.addrs, o.permanent,
                         now);
  cache_end(shared);
  if (rv != CN_OK)
    goto out;
  o.addrs = NULL; /* the cache has it */
  if (had_entry)
    cn_net_log_text(log, "RESOLVE %s:%d - old addresses discarded", o.host,
                    o.port);
  cn_net_log_text(log, "Added %s:%d:%s to DNS cache%s", o.host, o.port,
                  o.addr_text, o.permanent ? "" : " (non-permanent)");
  if (strcmp(o.host, "*") == 0)
    cn_net_log_text(log, "RESOLVE *:%d using wildcard", o.port);
out:
  cn_resolve_override_cleanup(&o);
  return rv;
}

int cn_host_resolver_add_override(struct cn_host_resolver *r,
                                  const char *line) {
  return cn_host_resolver_add_override_with_log(r, line, NULL);
}

void cn_host_resolver_clear_cache(struct cn_host_resolver *r) {
  cn_host_cache_clear(r->cache, true);
}

/* resolve_locally answers IP literals and localhost names. Returns
 * CN_ERR_IO_PENDING when the name needs DNS. */
static int resolve_locally(struct cn_host_resolver *r,
                           const struct cn_resolve_params *p, int family,
                           struct cn_address_list **out) {
  struct cn_ip_endpoint ep;
  if (cn_ip_endpoint_parse(&ep, p->host, p->port)) {
    struct cn_address_list one = {&ep, 1};
    return hand_out(&one, p->port, family, out);
  }
  if (!is_localhost(p->host))
    return CN_ERR_IO_PENDING;
  /* libcurl's get_localhost: ::1 first, then 127.0.0.1, no DNS. */
  struct cn_ip_endpoint loop[2];
  cn_ip_endpoint_parse(&loop[0], "::1", p->port);
  cn_ip_endpoint_parse(&loop[1], "127.0.0.1", p->port);
  struct cn_address_list both = {loop, 2};
  if (p->shuffle)
    shuffle_addresses(&both, p->log);
  cache_store(r, p->shared_cache, p->host, p->port, &both, p->cache_timeout_s);
  log_resolved(p->log, p->host, p->port, &both);
  return hand_out(&both, p->port, family, out);
}

static int start_query(struct cn_host_resolver *r,
                       const struct cn_resolve_params *p,
                       struct cn_address_list **out,
                       struct cn_resolve_request **out_req, cn_completion_fn cb,
                       void *ctx) {
  int rv = ensure_channel(r);
  if (rv != CN_OK)
    return rv;
  struct cn_resolve_request *req = cn_calloc(1, sizeof(*req));
  if (!req)
    return CN_ERR_OUT_OF_MEMORY;
  req->host = cn_strdup(p->host);
  if (!req->host) {
    cn_free(req);
    return CN_ERR_OUT_OF_MEMORY;
  }
  req->r = r;
  req->port = p->port;
  req->family = p->family;
  req->cache_timeout_s = p->cache_timeout_s;
  req->is_proxy = p->is_proxy;
  req->shuffle = p->shuffle;
  req->shared = p->shared_cache;
  if (p->log)
    req->log = *p->log;
  req->out = out;
  req->cb = cb;
  req->ctx = ctx;
  cn_task_init(&req->task, on_deliver, req);
  link_request(r, req);

  struct ares_addrinfo_hints hints;
  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  switch (p->family) {
  case CN_IP_V4:
    hints.ai_family = AF_INET;
    break;
  case CN_IP_V6:
    hints.ai_family = AF_INET6;
    break;
  default:
    /* Like libcurl: no AAAA queries on a host without IPv6. */
    hints.ai_family = r->ipv6_works ? AF_UNSPEC : AF_INET;
    break;
  }
  struct channel *ch = r->current;
  req->ch = ch;
  req->in_ares = true;
  ch->num_queries++;
  ares_getaddrinfo(ch->ares, req->host, NULL, &hints, on_ares_done, req);
  after_ares(ch);
  *out_req = req;
  return CN_ERR_IO_PENDING;
}

/* notify_start runs the program's resolver-start callback. */
static int notify_start(struct cn_host_resolver *r,
                        const struct cn_resolve_params *p) {
  int rv = ensure_channel(r);
  if (rv != CN_OK)
    return rv;
  return p->on_start(p->on_start_ctx, r->current->ares) ? CN_ERR_NAME_NOT_RESOLVED
                                                        : CN_OK;
}

int cn_host_resolver_resolve(struct cn_host_resolver *r,
                             const struct cn_resolve_params *params,
                             struct cn_address_list **out,
                             struct cn_resolve_request **out_req,
                             cn_completion_fn cb, void *ctx) {
  const char *host = params->host;
  if (!host || !*host || params->port < 0 || params->port > 65535)
    return CN_ERR_INVALID_ARGUMENT;
  int family = wanted_family(params->family);

  /* RFC 7686: .onion names must not leak to DNS (libcurl refuses too). */
  if (ends_with_nocase(host, ".onion") || ends_with_nocase(host, ".onion.")) {
    cn_net_log_fail(params->log, "Not resolving .onion address (RFC 7686)");
    return CN_ERR_NAME_NOT_RESOLVED;
  }

  const char *zapped;
  int rv = cache_lookup(r, params, family, out, &zapped);
  if (zapped)
    cn_net_log_text(params->log, "%s", zapped);
  if (rv != CN_ERR_IO_PENDING) {
    cn_net_log_text(params->log, "Hostname %s was found in DNS cache", host);
  } else {
    rv = params->on_start ? notify_start(r, params) : CN_OK;
    if (rv == CN_OK)
      rv = resolve_locally(r, params, family, out);
    if (rv == CN_ERR_IO_PENDING) {
      rv = start_query(r, params, out, out_req, cb, ctx);
      if (rv == CN_ERR_IO_PENDING)
        return rv;
    }
  }
  if (rv != CN_OK)
    log_failure(params->log, host, params->is_proxy, rv);
  return rv;
}

void cn_resolve_request_cancel(struct cn_resolve_request *req) {
  if (!req || req->cancelled)
    return;
  unlink_request(req->r, req);
  req->cancelled = true;
  cn_task_cancel(&req->task);
  /* While c-ares still holds it (1.18 cannot cancel one query), the
   * request waits for its callback, which frees it. */
  if (!req->in_ares)
    free_request(req);
}
