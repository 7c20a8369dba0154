/* detached_connection.c: non-blocking send/recv over an asynchronous
 * stream socket (see the header). */
#include "socket/detached_connection.h"

#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/event_loop.h"
#include "util/stream_socket.h"
#include "util/time.h"

/* Bytes read ahead per socket read; send takes no more once this much
 * waits to be written (the program then gets CURLE_AGAIN). */
#define READ_SIZE (16 * 1024)
#define WRITE_HIGH_WATER (64 * 1024)

struct cn_detached_connection {
  struct cn_stream_socket *socket; /* owned */
  struct cn_event_loop *loop;      /* the socket's; owned if |own_loop| */
  bool own_loop;

  /* Receiving: rbuf[rstart, rend) is ready for the program. */
  uint8_t *rbuf;
  size_t rcap, rstart, rend;
  bool reading; /* a socket read into rbuf is pending */
  bool eof;
  int read_error;

  /* Sending: wbuf.data[wstart, wbuf.len) is taken but not yet written. */
  struct cn_buf wbuf;
  size_t wstart;
  bool writing; /* a socket write from wbuf is pending */
  int write_error;

  void (*notify)(void *ctx);
  void *notify_ctx;
};

struct cn_detached_connection *cn_detached_connection_new(
    struct cn_stream_socket *socket, struct cn_event_loop *loop,
    const uint8_t *pending, size_t pending_len, bool own_loop) {
  struct cn_detached_connection *c = cn_calloc(1, sizeof(*c));
  if (!c)
    return NULL;
  c->rcap = pending_len > READ_SIZE ? pending_len : READ_SIZE;
  c->rbuf = cn_malloc(c->rcap);
  cn_buf_init(&c->wbuf, 0);
  if (!c->rbuf)
    goto fail;
  if (pending_len) {
    memcpy(c->rbuf, pending, pending_len);
    c->rend = pending_len;
  }
  c->loop = loop;
  if (own_loop) {
    struct cn_event_loop *mine = cn_event_loop_new();
    if (!mine)
      goto fail;
    if (!socket->ops->attach_event_loop ||
        socket->ops->attach_event_loop(socket, mine) != CN_OK) {
      /* The socket may be on no loop now: put it back where it was. */
      if (socket->ops->attach_event_loop)
        socket->ops->attach_event_loop(socket, loop);
      cn_event_loop_free(mine);
      goto fail;
    }
    c->loop = mine;
    c->own_loop = true;
  }
  c->socket = socket;
  return c;
fail:
  cn_free(c->rbuf);
  cn_free(c);
  return NULL;
}

void cn_detached_connection_free(struct cn_detached_connection *c) {
  if (!c)
    return;
  cn_stream_socket_destroy(c->socket);
  if (c->own_loop) {
    /* Tasks the socket posted are gone with it; run what is left. */
    cn_event_loop_run_due(c->loop);
    cn_event_loop_free(c->loop);
  }
  cn_free(c->rbuf);
  cn_buf_cleanup(&c->wbuf);
  cn_free(c);
}

/* poll runs the private loop once without blocking, so completions that
 * are due are delivered. A shared loop is the transfer's to run. */
static void poll(struct cn_detached_connection *c) {
  if (c->own_loop)
    cn_event_loop_run_once(c->loop, 0, NULL, 0);
}

static void read_done(struct cn_detached_connection *c, int rv) {
  if (rv > 0)
    c->rend += (size_t)rv;
  else if (rv == 0)
    c->eof = true;
  else
    c->read_error = rv;
}

static void on_read(void *ctx, int rv) {
  struct cn_detached_connection *c = ctx;
  c->reading = false;
  read_done(c, rv);
  if (c->notify)
    c->notify(c->notify_ctx);
}

/* start_read reads ahead into the empty buffer; the outcome is in the
 * buffer, in eof/read_error, or still pending. */
static void start_read(struct cn_detached_connection *c) {
  if (c->reading || c->eof || c->read_error || c->rstart < c->rend)
    return;
  c->rstart = c->rend = 0;
  c->reading = true;
  int rv = c->socket->ops->read(c->socket, c->rbuf, c->rcap, on_read, c);
  if (rv == CN_ERR_IO_PENDING)
    return;
  c->reading = false;
  read_done(c, rv);
}

int cn_detached_connection_recv(struct cn_detached_connection *c,
                                uint8_t *buf, size_t len) {
  poll(c);
  start_read(c);
  if (c->rstart < c->rend) {
    size_t n = c->rend - c->rstart;
    if (n > len)
      n = len;
    memcpy(buf, c->rbuf + c->rstart, n);
    c->rstart += n;
    start_read(c); /* keep one read in flight for the socket's readiness */
    return (int)n;
  }
  if (c->read_error)
    return c->read_error;
  if (c->eof)
    return 0;
  return CN_ERR_IO_PENDING;
}

static void write_more(struct cn_detached_connection *c);

static size_t pending_out(const struct cn_detached_connection *c) {
  return c->wbuf.len - c->wstart;
}

static void on_write(void *ctx, int rv) {
  struct cn_detached_connection *c = ctx;
  c->writing = false;
  if (rv < 0) {
    c->write_error = rv;
    return;
  }
  c->wstart += (size_t)rv;
  write_more(c);
}

/* write_more writes what is taken until the socket makes us wait. */
static void write_more(struct cn_detached_connection *c) {
  while (!c->writing && !c->write_error && pending_out(c)) {
    c->writing = true;
    int rv = c->socket->ops->write(c->socket,
                                   (const uint8_t *)c->wbuf.data + c->wstart,
                                   pending_out(c), on_write, c);
    if (rv == CN_ERR_IO_PENDING)
      return;
    c->writing = false;
    if (rv < 0) {
      c->write_error = rv;
      return;
    }
    c->wstart += (size_t)rv;
  }
  if (!c->writing && c->wstart == c->wbuf.len) {
    cn_buf_reset(&c->wbuf);
    c->wstart = 0;
  }
}

int cn_detached_connection_send(struct cn_detached_connection *c,
                                const uint8_t *buf, size_t len) {
  poll(c);
  if (c->write_error)
    return c->write_error;
  if (pending_out(c) >= WRITE_HIGH_WATER)
    return CN_ERR_IO_PENDING;
  if (len == 0)
    return 0;
  if (len > INT32_MAX)
    len = INT32_MAX;
  bool idle = pending_out(c) == 0;
  if (cn_buf_append(&c->wbuf, buf, len) != CN_OK)
    return CN_ERR_OUT_OF_MEMORY;
  write_more(c);
  /* An error writing these first bytes is this call's; later ones are
   * reported by the next call. */
  if (c->write_error && idle && c->wstart == 0) {
    cn_buf_reset(&c->wbuf);
    return c->write_error;
  }
  return (int)len;
}

/* run waits for the loop up to |deadline_us|; false once it passed. */
static bool run(struct cn_detached_connection *c, int64_t deadline_us) {
  if (!c->own_loop)
    return false; /* the transfer runs a shared loop, not us */
  int64_t left_ms = (deadline_us - cn_time_now_us()) / 1000;
  if (left_ms <= 0)
    return false;
  cn_event_loop_run_once(c->loop, left_ms > 100 ? 100 : (int)left_ms, NULL,
                         0);
  return true;
}

int cn_detached_connection_flush(struct cn_detached_connection *c,
                                 long timeout_ms) {
  int64_t deadline = cn_time_now_us() + (int64_t)timeout_ms * 1000;
  while (pending_out(c) && !c->write_error)
    if (!run(c, deadline))
      return CN_ERR_TIMED_OUT;
  return c->write_error ? c->write_error : CN_OK;
}

void cn_detached_connection_wait_readable(struct cn_detached_connection *c,
                                          long timeout_ms) {
  int64_t deadline = cn_time_now_us() + (int64_t)timeout_ms * 1000;
  start_read(c);
  while (c->reading && run(c, deadline))
    ;
}

int cn_detached_connection_fd(const struct cn_detached_connection *c) {
  if (!c->socket->ops->get_fd)
    return -1;
  return c->socket->ops->get_fd(c->socket);
}

void cn_detached_connection_set_notify(struct cn_detached_connection *c,
                                       void (*fn)(void *ctx), void *ctx) {
  c->notify = fn;
  c->notify_ctx = ctx;
}
