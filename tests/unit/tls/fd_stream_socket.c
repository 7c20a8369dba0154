/* fd_stream_socket.c: see fd_stream_socket.h. */
#include "fd_stream_socket.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/event_loop.h"

struct fd_socket {
  struct cn_stream_socket base;
  struct cn_event_loop *loop;
  int fd;
  struct cn_io_watch watch;
  uint8_t *rbuf;
  size_t rlen;
  cn_completion_fn rcb;
  void *rctx;
  const uint8_t *wbuf;
  size_t wlen;
  cn_completion_fn wcb;
  void *wctx;
  bool *destroyed;
};

static int map_errno(int e) {
  switch (e) {
  case ECONNRESET:
  case EPIPE:
    return CN_ERR_CONNECTION_RESET;
  case ECONNABORTED:
    return CN_ERR_CONNECTION_ABORTED;
  default:
    return CN_ERR_FAILED;
  }
}

static int do_recv(struct fd_socket *s, uint8_t *buf, size_t len) {
  ssize_t n = recv(s->fd, buf, len, 0);
  if (n >= 0)
    return (int)n;
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    return CN_ERR_IO_PENDING;
  return map_errno(errno);
}

static int do_send(struct fd_socket *s, const uint8_t *buf, size_t len) {
  ssize_t n = send(s->fd, buf, len, MSG_NOSIGNAL);
  if (n >= 0)
    return (int)n;
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    return CN_ERR_IO_PENDING;
  return map_errno(errno);
}

static int update_watch(struct fd_socket *s) {
  unsigned ev = (s->rcb ? CN_IO_READ : 0) | (s->wcb ? CN_IO_WRITE : 0);
  return cn_io_watch_start(s->loop, &s->watch, s->fd, ev);
}

static void on_io(void *ctx, unsigned ready) {
  struct fd_socket *s = ctx;
  bool destroyed = false;
  s->destroyed = &destroyed;
  if (s->rcb && (ready & (CN_IO_READ | CN_IO_ERROR))) {
    int rv = do_recv(s, s->rbuf, s->rlen);
    if (rv != CN_ERR_IO_PENDING) {
      cn_completion_fn cb = s->rcb;
      s->rcb = NULL;
      update_watch(s);
      cb(s->rctx, rv);
      if (destroyed)
        return;
    }
  }
  if (s->wcb && (ready & (CN_IO_WRITE | CN_IO_ERROR))) {
    int rv = do_send(s, s->wbuf, s->wlen);
    if (rv != CN_ERR_IO_PENDING) {
      cn_completion_fn cb = s->wcb;
      s->wcb = NULL;
      update_watch(s);
      cb(s->wctx, rv);
      if (destroyed)
        return;
    }
  }
  s->destroyed = NULL;
}

static int fd_read(struct cn_stream_socket *b, uint8_t *buf, size_t len,
                   cn_completion_fn cb, void *ctx) {
  struct fd_socket *s = (struct fd_socket *)b;
  int rv = do_recv(s, buf, len);
  if (rv == CN_ERR_IO_PENDING) {
    s->rbuf = buf;
    s->rlen = len;
    s->rcb = cb;
    s->rctx = ctx;
    int w = update_watch(s);
    if (w != CN_OK) {
      s->rcb = NULL;
      return w;
    }
  }
  return rv;
}

static int fd_write(struct cn_stream_socket *b, const uint8_t *buf, size_t len,
                    cn_completion_fn cb, void *ctx) {
  struct fd_socket *s = (struct fd_socket *)b;
  int rv = do_send(s, buf, len);
  if (rv == CN_ERR_IO_PENDING) {
    s->wbuf = buf;
    s->wlen = len;
    s->wcb = cb;
    s->wctx = ctx;
    int w = update_watch(s);
    if (w != CN_OK) {
      s->wcb = NULL;
      return w;
    }
  }
  return rv;
}

static void fd_cancel_io(struct cn_stream_socket *b) {
  struct fd_socket *s = (struct fd_socket *)b;
  s->rcb = NULL;
  s->wcb = NULL;
  cn_io_watch_stop(&s->watch);
}

static bool fd_idle(struct cn_stream_socket *b) {
  struct fd_socket *s = (struct fd_socket *)b;
  char c;
  ssize_t n = recv(s->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

static int fd_addr(struct cn_stream_socket *b, struct cn_ip_endpoint *out) {
  (void)b;
  (void)out;
  return CN_ERR_NOT_IMPLEMENTED;
}

static void fd_tls_info(struct cn_stream_socket *b, struct cn_tls_info *out) {
  (void)b;
  memset(out, 0, sizeof(*out));
}

static int fd_get_fd(struct cn_stream_socket *b) {
  return ((struct fd_socket *)b)->fd;
}

static void fd_set_log(struct cn_stream_socket *b,
                       const struct cn_net_log *log) {
  (void)b;
  (void)log;
}

static void fd_destroy(struct cn_stream_socket *b) {
  struct fd_socket *s = (struct fd_socket *)b;
  if (s->destroyed)
    *s->destroyed = true;
  cn_io_watch_stop(&s->watch);
  close(s->fd);
  free(s);
}

static const struct cn_stream_socket_ops fd_ops = {
    .read = fd_read,
    .write = fd_write,
    .cancel_io = fd_cancel_io,
    .is_connected_and_idle = fd_idle,
    .get_peer_address = fd_addr,
    .get_local_address = fd_addr,
    .get_tls_info = fd_tls_info,
    .get_fd = fd_get_fd,
    .set_net_log = fd_set_log,
    .destroy = fd_destroy,
};

struct cn_stream_socket *cn_test_fd_socket_new(struct cn_event_loop *loop,
                                               int fd) {
  struct fd_socket *s = calloc(1, sizeof(*s));
  if (!s)
    return NULL;
  s->base.ops = &fd_ops;
  s->loop = loop;
  s->fd = fd;
  cn_io_watch_init(&s->watch, on_io, s);
  return &s->base;
}
