/* tcp_client_socket.c: non-blocking TCP on the event loop. */
#include "socket/tcp_client_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "socket/local_bind.h"
#include "util/alloc.h"

enum tcp_state { TCP_IDLE, TCP_CONNECTING, TCP_CONNECTED, TCP_FAILED };

struct cn_tcp_client_socket {
  struct cn_stream_socket base;
  struct cn_event_loop *loop;
  struct cn_net_log log;
  int fd;
  enum tcp_state state;
  int os_error;
  struct cn_ip_endpoint peer;
  struct cn_io_watch watch;
  struct cn_socket_hooks hooks; /* close through the program's callback */

  cn_completion_fn connect_cb;
  void *connect_ctx;

  uint8_t *read_buf;
  size_t read_len;
  cn_completion_fn read_cb;
  void *read_ctx;

  const uint8_t *write_buf;
  size_t write_len;
  cn_completion_fn write_cb;
  void *write_ctx;

  /* Set while a callback runs so destroy() can tell the dispatcher. */
  bool *destroyed;
};

static const struct cn_stream_socket_ops tcp_ops;

void cn_tcp_socket_options_init(struct cn_tcp_socket_options *opts) {
  memset(opts, 0, sizeof(*opts));
  opts->nodelay = true;
}

int cn_socket_map_os_error(int os_error, int fallback) {
  switch (os_error) {
  case 0:
    return CN_OK;
  case EAGAIN:
#if EWOULDBLOCK != EAGAIN
  case EWOULDBLOCK:
#endif
  case EINPROGRESS:
    return CN_ERR_IO_PENDING;
  case ECONNREFUSED:
    return CN_ERR_CONNECTION_REFUSED;
  case ECONNRESET:
  case EPIPE:
    return CN_ERR_CONNECTION_RESET;
  case ECONNABORTED:
    return CN_ERR_CONNECTION_ABORTED;
  case ETIMEDOUT:
    return CN_ERR_CONNECTION_TIMED_OUT;
  case EHOSTUNREACH:
  case ENETUNREACH:
  case EHOSTDOWN:
    return CN_ERR_ADDRESS_UNREACHABLE;
  case ENETDOWN:
    return CN_ERR_INTERNET_DISCONNECTED;
  case EADDRNOTAVAIL:
  case EAFNOSUPPORT:
  case EPFNOSUPPORT:
    return CN_ERR_ADDRESS_INVALID;
  case EACCES:
  case EPERM:
    return CN_ERR_ACCESS_DENIED;
  case ENOTCONN:
    return CN_ERR_SOCKET_NOT_CONNECTED;
  case ENOMEM:
  case ENOBUFS:
  case EMFILE:
  case ENFILE:
    return CN_ERR_INSUFFICIENT_RESOURCES;
  default:
    return fallback;
  }
}

static struct cn_tcp_client_socket *from_stream(struct cn_stream_socket *s) {
  return (struct cn_tcp_client_socket *)s;
}

static void on_io(void *ctx, unsigned ready);

static struct cn_tcp_client_socket *alloc_socket(struct cn_event_loop *loop,
                                                 const struct cn_net_log *log) {
  struct cn_tcp_client_socket *s = cn_calloc(1, sizeof(*s));
  if (!s)
    return NULL;
  s->base.ops = &tcp_ops;
  s->loop = loop;
  if (log)
    s->log = *log;
  s->fd = -1;
  cn_io_watch_init(&s->watch, on_io, s);
  return s;
}

struct cn_tcp_client_socket *cn_tcp_client_socket_new(
    struct cn_event_loop *loop, const struct cn_net_log *log) {
  return alloc_socket(loop, log);
}

struct cn_tcp_client_socket *cn_tcp_client_socket_adopt(
    struct cn_event_loop *loop, int fd, const struct cn_net_log *log) {
  struct cn_tcp_client_socket *s = alloc_socket(loop, log);
  if (!s)
    return NULL;
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0 && !(fl & O_NONBLOCK))
    (void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  s->fd = fd;
  s->state = TCP_CONNECTED;
  socklen_t len = sizeof(s->peer.addr);
  if (getpeername(fd, (struct sockaddr *)&s->peer.addr, &len) == 0)
    s->peer.len = len;
  return s;
}

struct cn_stream_socket *cn_tcp_client_socket_stream(
    struct cn_tcp_client_socket *s) {
  return s ? &s->base : NULL;
}

int cn_tcp_client_socket_os_error(const struct cn_tcp_client_socket *s) {
  return s->os_error;
}

/* The watch covers whatever is still pending, so a completed direction
 * stops waking the loop. */
static int update_watch(struct cn_tcp_client_socket *s) {
  unsigned events = 0;
  if (s->state == TCP_CONNECTING)
    events |= CN_IO_WRITE;
  if (s->read_cb)
    events |= CN_IO_READ;
  if (s->write_cb)
    events |= CN_IO_WRITE;
  if (events == 0) {
    cn_io_watch_stop(&s->watch);
    return CN_OK;
  }
  /* Off every loop (idle in a shared cache): nothing can wait for I/O. */
  if (!s->loop)
    return CN_ERR_UNEXPECTED;
  return cn_io_watch_start(s->loop, &s->watch, s->fd, events);
}

static void apply_options(struct cn_tcp_client_socket *s,
                          const struct cn_tcp_socket_options *opts) {
  int on = 1;
  if (opts->nodelay &&
      setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) < 0) {
    char buf[128];
    cn_net_log_text(&s->log, "Could not set TCP_NODELAY: %s",
                    strerror_r(errno, buf, sizeof(buf)));
  }
  if (!opts->keepalive)
    return;
  if (setsockopt(s->fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) < 0) {
    cn_net_log_text(&s->log, "Failed to set SO_KEEPALIVE on fd %d: errno %d",
                    s->fd, errno);
    return;
  }
  if (opts->keepidle_s > 0) {
    int v = opts->keepidle_s > 0x7fff ? 0x7fff : (int)opts->keepidle_s;
    if (setsockopt(s->fd, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof(v)) < 0)
      cn_net_log_text(&s->log, "Failed to set TCP_KEEPIDLE on fd %d: errno %d",
                      s->fd, errno);
  }
  if (opts->keepintvl_s > 0) {
    int v = opts->keepintvl_s > 0x7fff ? 0x7fff : (int)opts->keepintvl_s;
    if (setsockopt(s->fd, IPPROTO_TCP, TCP_KEEPINTVL, &v, sizeof(v)) < 0)
      cn_net_log_text(&s->log, "Failed to set TCP_KEEPINTVL on fd %d: errno %d",
                      s->fd, errno);
  }
  if (opts->keepcnt > 0) {
    int v = opts->keepcnt > INT_MAX ? INT_MAX : (int)opts->keepcnt;
    if (setsockopt(s->fd, IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof(v)) < 0)
      cn_net_log_text(&s->log, "Failed to set TCP_KEEPCNT on fd %d: errno %d",
                      s->fd, errno);
  }
}

int cn_tcp_client_socket_connect(struct cn_tcp_client_socket *s,
                                 const struct cn_ip_endpoint *peer,
                                 const struct cn_tcp_socket_options *opts,
                                 cn_completion_fn cb, void *ctx) {
  struct cn_tcp_socket_options defaults;
  if (s->state != TCP_IDLE)
    return CN_ERR_UNEXPECTED;
  if (!opts) {
    cn_tcp_socket_options_init(&defaults);
    opts = &defaults;
  }
  int family = peer->addr.ss_family;
  if (family != AF_INET && family != AF_INET6 && family != AF_UNIX)
    return CN_ERR_ADDRESS_INVALID;
  s->peer = *peer;
  s->state = TCP_FAILED; /* until proven otherwise */
  s->hooks = opts->hooks;

  if (opts->hooks.open) {
    s->fd = opts->hooks.open(&opts->hooks, &s->peer);
    if (s->fd < 0) {
      s->fd = -1;
      return CN_ERR_CONNECTION_FAILED;
    }
    peer = &s->peer; /* the program may have changed where to go */
    int fl = fcntl(s->fd, F_GETFL);
    if (fl >= 0 && !(fl & O_NONBLOCK))
      (void)fcntl(s->fd, F_SETFL, fl | O_NONBLOCK);
    (void)fcntl(s->fd, F_SETFD, FD_CLOEXEC);
  } else {
    s->fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                   family == AF_UNIX ? 0 : IPPROTO_TCP);
  }
  if (s->fd < 0) {
    s->os_error = errno;
    return cn_socket_map_os_error(errno, CN_ERR_CONNECTION_FAILED);
  }
  if (family == AF_INET6 && opts->scope_id &&
      s->peer.addr.ss_family == AF_INET6) {
    ((struct sockaddr_in6 *)&s->peer.addr)->sin6_scope_id = opts->scope_id;
    peer = &s->peer;
  }
  if (family == AF_INET6) {
    int off = 0;
    (void)setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  }
  if (family != AF_UNIX)
    apply_options(s, opts);

  int rv;
  if (opts->hooks.configure) {
    rv = opts->hooks.configure(&opts->hooks, s->fd);
    if (rv == 1) {
      s->state = TCP_CONNECTED; /* CURL_SOCKOPT_ALREADY_CONNECTED */
      return CN_OK;
    }
    if (rv != CN_OK) {
      cn_net_log_fail(&s->log, "error setting socket options");
      return CN_ERR_CALLBACK_ABORTED;
    }
  }
  if (family != AF_UNIX) {
    rv = cn_local_bind(s->fd, family, opts->interface_name, opts->local_port,
                       opts->local_port_range, &s->log);
    if (rv != CN_OK)
      return rv;
  }

  if (connect(s->fd, (const struct sockaddr *)&peer->addr, peer->len) == 0) {
    s->state = TCP_CONNECTED;
    return CN_OK;
  }
  if (errno != EINPROGRESS && errno != EAGAIN && errno != EINTR) {
    s->os_error = errno;
    return cn_socket_map_os_error(errno, CN_ERR_CONNECTION_FAILED);
  }
  s->state = TCP_CONNECTING;
  s->connect_cb = cb;
  s->connect_ctx = ctx;
  rv = update_watch(s);
  if (rv != CN_OK) {
    s->state = TCP_FAILED;
    s->connect_cb = NULL;
    return rv;
  }
  return CN_ERR_IO_PENDING;
}

/* Runs |cb| and reports whether |s| survived it. */
static bool run_callback(struct cn_tcp_client_socket *s, cn_completion_fn cb,
                         void *ctx, int rv) {
  bool destroyed = false;
  bool *outer = s->destroyed;
  s->destroyed = &destroyed;
  cb(ctx, rv);
  if (destroyed) {
    if (outer)
      *outer = true;
    return false;
  }
  s->destroyed = outer;
  return true;
}

static void finish_connect(struct cn_tcp_client_socket *s) {
  int err = 0;
  socklen_t len = sizeof(err);
  if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    err = errno;
  if (err == EINPROGRESS || err == EALREADY || err == EINTR)
    return; /* spurious wakeup */
  int rv;
  if (err == 0 || err == EISCONN) {
    s->state = TCP_CONNECTED;
    rv = CN_OK;
  } else {
    s->state = TCP_FAILED;
    s->os_error = err;
    rv = cn_socket_map_os_error(err, CN_ERR_CONNECTION_FAILED);
  }
  cn_completion_fn cb = s->connect_cb;
  void *ctx = s->connect_ctx;
  s->connect_cb = NULL;
  s->connect_ctx = NULL;
  (void)update_watch(s);
  if (cb)
    cb(ctx, rv);
}

static int do_recv(struct cn_tcp_client_socket *s, uint8_t *buf, size_t len) {
  ssize_t n;
  do {
    n = recv(s->fd, buf, len, 0);
  } while (n < 0 && errno == EINTR);
  if (n >= 0)
    return n > 0x7fffffff ? 0x7fffffff : (int)n;
  if (errno == EAGAIN || errno == EWOULDBLOCK)
    return CN_ERR_IO_PENDING;
  s->os_error = errno;
  return cn_socket_map_os_error(errno, CN_ERR_SOCKET_RECV_FAILED);
}

static int do_send(struct cn_tcp_client_socket *s, const uint8_t *buf,
                   size_t len) {
  ssize_t n;
  if (len > 0x7fffffff)
    len = 0x7fffffff;
  do {
    /* MSG_NOSIGNAL: a peer that closed must not SIGPIPE the program. */
    n = send(s->fd, buf, len, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n >= 0)
    return (int)n;
  if (errno == EAGAIN || errno == EWOULDBLOCK)
    return CN_ERR_IO_PENDING;
  s->os_error = errno;
  return cn_socket_map_os_error(errno, CN_ERR_SOCKET_SEND_FAILED);
}

static void on_io(void *ctx, unsigned ready) {
  struct cn_tcp_client_socket *s = ctx;
  if (s->state == TCP_CONNECTING) {
    finish_connect(s);
    return;
  }
  if (s->write_cb && (ready & (CN_IO_WRITE | CN_IO_ERROR))) {
    int rv = do_send(s, s->write_buf, s->write_len);
    if (rv != CN_ERR_IO_PENDING) {
      cn_completion_fn cb = s->write_cb;
      void *cb_ctx = s->write_ctx;
      s->write_cb = NULL;
      s->write_ctx = NULL;
      s->write_buf = NULL;
      (void)update_watch(s);
      if (!run_callback(s, cb, cb_ctx, rv))
        return;
    }
  }
  /* The write callback may have cancelled or replaced the read. */
  if (s->read_cb && (ready & (CN_IO_READ | CN_IO_ERROR))) {
    int rv = do_recv(s, s->read_buf, s->read_len);
    if (rv != CN_ERR_IO_PENDING) {
      cn_completion_fn cb = s->read_cb;
      void *cb_ctx = s->read_ctx;
      s->read_cb = NULL;
      s->read_ctx = NULL;
      s->read_buf = NULL;
      (void)update_watch(s);
      cb(cb_ctx, rv);
    }
  }
}

static int tcp_read(struct cn_stream_socket *base, uint8_t *buf, size_t len,
                    cn_completion_fn cb, void *ctx) {
  struct cn_tcp_client_socket *s = from_stream(base);
  if (s->state != TCP_CONNECTED)
    return CN_ERR_SOCKET_NOT_CONNECTED;
  if (s->read_cb || len == 0)
    return CN_ERR_INVALID_ARGUMENT;
  int rv = do_recv(s, buf, len);
  if (rv != CN_ERR_IO_PENDING)
    return rv;
  s->read_buf = buf;
  s->read_len = len;
  s->read_cb = cb;
  s->read_ctx = ctx;
  int w = update_watch(s);
  if (w != CN_OK) {
    s->read_cb = NULL;
    return w;
  }
  return CN_ERR_IO_PENDING;
}

static int tcp_write(struct cn_stream_socket *base, const uint8_t *buf,
                     size_t len, cn_completion_fn cb, void *ctx) {
  struct cn_tcp_client_socket *s = from_stream(base);
  if (s->state != TCP_CONNECTED)
    return CN_ERR_SOCKET_NOT_CONNECTED;
  if (s->write_cb || len == 0)
    return CN_ERR_INVALID_ARGUMENT;
  int rv = do_send(s, buf, len);
  if (rv != CN_ERR_IO_PENDING)
    return rv;
  s->write_buf = buf;
  s->write_len = len;
  s->write_cb = cb;
  s->write_ctx = ctx;
  int w = update_watch(s);
  if (w != CN_OK) {
    s->write_cb = NULL;
    return w;
  }
  return CN_ERR_IO_PENDING;
}

static void tcp_cancel_io(struct cn_stream_socket *base) {
  struct cn_tcp_client_socket *s = from_stream(base);
  s->read_cb = NULL;
  s->read_ctx = NULL;
  s->read_buf = NULL;
  s->write_cb = NULL;
  s->write_ctx = NULL;
  s->write_buf = NULL;
  if (s->state == TCP_CONNECTING) {
    s->connect_cb = NULL;
    s->connect_ctx = NULL;
  }
  (void)update_watch(s);
}

static bool tcp_is_connected_and_idle(struct cn_stream_socket *base) {
  struct cn_tcp_client_socket *s = from_stream(base);
  if (s->state != TCP_CONNECTED || s->fd < 0)
    return false;
  uint8_t byte;
  ssize_t n;
  do {
    n = recv(s->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  /* 0: the peer closed; > 0: unread data (a stale response, or the close
   * notification of TLS) makes the socket unfit for a new request. */
  if (n >= 0)
    return false;
  return errno == EAGAIN || errno == EWOULDBLOCK;
}

static int tcp_get_peer_address(struct cn_stream_socket *base,
                                struct cn_ip_endpoint *out) {
  struct cn_tcp_client_socket *s = from_stream(base);
  if (s->state != TCP_CONNECTED || !s->peer.len)
    return CN_ERR_SOCKET_NOT_CONNECTED;
  *out = s->peer;
  return CN_OK;
}

static int tcp_get_local_address(struct cn_stream_socket *base,
                                 struct cn_ip_endpoint *out) {
  struct cn_tcp_client_socket *s = from_stream(base);
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (s->fd < 0)
    return CN_ERR_SOCKET_NOT_CONNECTED;
  if (getsockname(s->fd, (struct sockaddr *)&ss, &len) != 0)
    return cn_socket_map_os_error(errno, CN_ERR_FAILED);
  if (!cn_ip_endpoint_from_sockaddr(out, (struct sockaddr *)&ss, len))
    return CN_ERR_ADDRESS_INVALID;
  return CN_OK;
}

static void tcp_get_tls_info(struct cn_stream_socket *base,
                             struct cn_tls_info *out) {
  memset(out, 0, sizeof(*out));
}

static int tcp_get_fd(struct cn_stream_socket *base) {
  return from_stream(base)->fd;
}

static void tcp_set_net_log(struct cn_stream_socket *base,
                            const struct cn_net_log *log) {
  struct cn_tcp_client_socket *s = from_stream(base);
  if (log)
    s->log = *log;
  else
    memset(&s->log, 0, sizeof(s->log));
}

static int tcp_attach_event_loop(struct cn_stream_socket *base,
                                 struct cn_event_loop *loop) {
  struct cn_tcp_client_socket *s = from_stream(base);
  if (s->state == TCP_CONNECTING)
    return CN_ERR_UNEXPECTED;
  /* A read still pending here belongs to a layer above that reads by
   * itself (TLS); it keeps waiting, now on |loop|. */
  cn_io_watch_stop(&s->watch);
  s->loop = loop;
  return loop ? update_watch(s) : CN_OK;
}

static void tcp_destroy(struct cn_stream_socket *base) {
  struct cn_tcp_client_socket *s = from_stream(base);
  cn_io_watch_stop(&s->watch);
  if (s->fd >= 0 && s->hooks.close)
    s->hooks.close(&s->hooks, s->fd);
  else if (s->fd >= 0)
    close(s->fd);
  if (s->destroyed)
    *s->destroyed = true;
  cn_free(s);
}

static const struct cn_stream_socket_ops tcp_ops = {
    .read = tcp_read,
    .write = tcp_write,
    .cancel_io = tcp_cancel_io,
    .is_connected_and_idle = tcp_is_connected_and_idle,
    .get_peer_address = tcp_get_peer_address,
    .get_local_address = tcp_get_local_address,
    .get_tls_info = tcp_get_tls_info,
    .get_fd = tcp_get_fd,
    .set_net_log = tcp_set_net_log,
    .attach_event_loop = tcp_attach_event_loop,
    .destroy = tcp_destroy,
};
