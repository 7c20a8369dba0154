/* socket_bio_adapter.c: BoringSSL's synchronous BIO calls served by an
 * asynchronous stream socket. */
#include "tls/socket_bio_adapter.h"

#include <string.h>

#include <pthread.h>

#include "util/alloc.h"
#include "util/event_loop.h"
#include "util/net_error.h"
#include "util/stream_socket.h"

struct cn_socket_bio_adapter {
  struct cn_event_loop *loop;
  struct cn_stream_socket *transport;
  BIO *bio;
  struct cn_socket_bio_adapter_delegate delegate;

  /* Read side: [read_off, read_off + read_len) holds unread bytes. */
  uint8_t *read_buf;
  size_t read_cap;
  size_t read_max; /* read_cap grows to this once (see the header) */
  bool read_grow;  /* the last transport read filled read_buf */
  size_t read_off;
  size_t read_len;
  bool read_pending; /* a transport read into read_buf is in flight */
  bool read_eof;
  int read_error;

  /* Write side: [write_off, write_off + write_len) is waiting to be sent.
   * While a write is pending the transport holds a pointer into the
   * buffer, so bytes are only ever appended, never moved. */
  uint8_t *write_buf;
  size_t write_cap;
  size_t write_off;
  size_t write_len;
  bool write_pending;
  bool write_blocked; /* the BIO refused bytes: tell the delegate later */
  int write_error;

  /* Reports a synchronous write failure from the loop, not from inside
   * the BIO call that hit it. */
  struct cn_task write_error_task;
};

static BIO_METHOD *bio_method;
static pthread_once_t bio_method_once = PTHREAD_ONCE_INIT;

/* --- transport reads ------------------------------------------------------ */

static void store_read_result(struct cn_socket_bio_adapter *a, int rv) {
  if (rv > 0) {
    a->read_off = 0;
    a->read_len = (size_t)rv;
    a->read_grow = (size_t)rv == a->read_cap && a->read_cap < a->read_max;
  } else if (rv == 0) {
    a->read_eof = true;
  } else {
    a->read_error = rv;
  }
}

static void on_read_done(void *ctx, int rv) {
  struct cn_socket_bio_adapter *a = ctx;
  a->read_pending = false;
  if (rv == CN_ERR_IO_PENDING) /* a broken transport; never loop on it */
    rv = CN_ERR_UNEXPECTED;
  store_read_result(a, rv);
  /* The delegate may free the adapter: nothing after this call. */
  a->delegate.on_readable(a->delegate.ctx);
}

/* grow_read_buf swaps the (empty) read buffer for a larger one. */
static void grow_read_buf(struct cn_socket_bio_adapter *a) {
  a->read_grow = false;
  uint8_t *bigger = cn_malloc(a->read_max);
  if (!bigger)
    return; /* keep reading with the small one */
  cn_free(a->read_buf);
  a->read_buf = bigger;
  a->read_cap = a->read_max;
}

static void start_read(struct cn_socket_bio_adapter *a) {
  if (a->read_grow)
    grow_read_buf(a);
  int rv = a->transport->ops->read(a->transport, a->read_buf, a->read_cap,
                                   on_read_done, a);
  if (rv == CN_ERR_IO_PENDING)
    a->read_pending = true;
  else
    store_read_result(a, rv);
}

static int bio_read(BIO *bio, char *out, int len) {
  struct cn_socket_bio_adapter *a = BIO_get_data(bio);
  BIO_clear_retry_flags(bio);
  if (!a || len <= 0)
    return -1;
  if (a->read_len == 0 && !a->read_eof && !a->read_error && !a->read_pending)
    start_read(a);
  if (a->read_len > 0) {
    size_t n = a->read_len < (size_t)len ? a->read_len : (size_t)len;
    memcpy(out, a->read_buf + a->read_off, n);
    a->read_off += n;
    a->read_len -= n;
    return (int)n;
  }
  if (a->read_error)
    return -1; /* no retry flag: BoringSSL reports SSL_ERROR_SYSCALL */
  if (a->read_eof)
    return 0;
  BIO_set_retry_read(bio);
  return -1;
}

/* --- transport writes ----------------------------------------------------- */

static void on_write_error_task(void *ctx) {
  struct cn_socket_bio_adapter *a = ctx;
  a->delegate.on_writable(a->delegate.ctx);
}

static void consume_written(struct cn_socket_bio_adapter *a, size_t n) {
  a->write_off += n;
  a->write_len -= n;
  if (a->write_len == 0)
    a->write_off = 0;
}

static void on_write_done(void *ctx, int rv);

/* pump_write hands buffered bytes to the transport until it would block.
 * Returns true if the delegate should hear about new space or an error. */
static bool pump_write(struct cn_socket_bio_adapter *a) {
  bool progress = false;
  while (a->write_len > 0 && !a->write_pending && !a->write_error) {
    int rv = a->transport->ops->write(a->transport, a->write_buf + a->write_off,
                                      a->write_len, on_write_done, a);
    if (rv == CN_ERR_IO_PENDING) {
      a->write_pending = true;
    } else if (rv <= 0) {
      a->write_error = rv < 0 ? rv : CN_ERR_UNEXPECTED;
      a->write_len = 0;
      a->write_off = 0;
      progress = true;
    } else {
      consume_written(a, (size_t)rv);
      progress = true;
    }
  }
  return progress;
}

static void on_write_done(void *ctx, int rv) {
  struct cn_socket_bio_adapter *a = ctx;
  a->write_pending = false;
  if (rv > 0 && (size_t)rv <= a->write_len) {
    consume_written(a, (size_t)rv);
  } else {
    a->write_error = rv < 0 && rv != CN_ERR_IO_PENDING ? rv : CN_ERR_UNEXPECTED;
    a->write_len = 0;
    a->write_off = 0;
  }
  pump_write(a);
  /* Someone waits for space, or must learn that writing failed. A
   * posted error report is superseded by this one. */
  if (a->write_blocked || a->write_error) {
    a->write_blocked = false;
    cn_task_cancel(&a->write_error_task);
    a->delegate.on_writable(a->delegate.ctx);
  }
}

static int bio_write(BIO *bio, const char *in, int len) {
  struct cn_socket_bio_adapter *a = BIO_get_data(bio);
  BIO_clear_retry_flags(bio);
  if (!a || len < 0)
    return -1;
  if (a->write_error)
    return -1;
  size_t space = a->write_cap - (a->write_off + a->write_len);
  if (space == 0) {
    a->write_blocked = true;
    BIO_set_retry_write(bio);
    return -1;
  }
  size_t n = (size_t)len < space ? (size_t)len : space;
  memcpy(a->write_buf + a->write_off + a->write_len, in, n);
  a->write_len += n;
  pump_write(a);
  if (a->write_error) {
    /* The bytes are lost; the caller hears of it on its next BIO call and
     * anyone waiting for a read hears of it from the loop. */
    cn_task_post(a->loop, &a->write_error_task);
  }
  return (int)n;
}

/* --- BIO method ----------------------------------------------------------- */

static long bio_ctrl(BIO *bio, int cmd, long larg, void *parg) {
  (void)bio;
  (void)larg;
  (void)parg;
  /* Writes are always in flight or buffered: there is nothing to flush
   * synchronously, and BoringSSL treats 1 as success. */
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static void init_bio_method(void) {
  BIO_METHOD *m = BIO_meth_new(0, "cn_socket_bio_adapter");
  if (!m)
    return;
  if (!BIO_meth_set_read(m, bio_read) || !BIO_meth_set_write(m, bio_write) ||
      !BIO_meth_set_ctrl(m, bio_ctrl)) {
    BIO_meth_free(m);
    return;
  }
  bio_method = m;
}

/* --- lifetime ------------------------------------------------------------- */

struct cn_socket_bio_adapter *cn_socket_bio_adapter_new(
    struct cn_event_loop *loop, struct cn_stream_socket *transport,
    size_t read_capacity, size_t max_read_capacity, size_t write_capacity,
    const struct cn_socket_bio_adapter_delegate *delegate) {
  pthread_once(&bio_method_once, init_bio_method);
  if (!bio_method)
    return NULL;
  struct cn_socket_bio_adapter *a = cn_calloc(1, sizeof(*a));
  if (!a)
    return NULL;
  a->loop = loop;
  a->transport = transport;
  a->delegate = *delegate;
  a->read_cap = read_capacity;
  a->read_max = max_read_capacity;
  a->write_cap = write_capacity;
  cn_task_init(&a->write_error_task, on_write_error_task, a);
  a->read_buf = cn_malloc(read_capacity);
  a->write_buf = cn_malloc(write_capacity);
  a->bio = BIO_new(bio_method);
  if (!a->read_buf || !a->write_buf || !a->bio) {
    a->transport = NULL; /* the caller keeps it */
    cn_socket_bio_adapter_free(a);
    return NULL;
  }
  BIO_set_data(a->bio, a);
  BIO_set_init(a->bio, 1);
  return a;
}

void cn_socket_bio_adapter_free(struct cn_socket_bio_adapter *a) {
  if (!a)
    return;
  cn_task_cancel(&a->write_error_task);
  cn_stream_socket_destroy(a->transport);
  if (a->bio) {
    /* SSL may still hold the BIO; make it inert. */
    BIO_set_data(a->bio, NULL);
    BIO_free(a->bio);
  }
  cn_free(a->read_buf);
  cn_free(a->write_buf);
  cn_free(a);
}

int cn_socket_bio_adapter_attach_event_loop(struct cn_socket_bio_adapter *a,
                                            struct cn_event_loop *loop) {
  /* Only the write-error report is ours; the transport moves its own. */
  bool posted = a->write_error_task.loop != NULL;
  cn_task_cancel(&a->write_error_task);
  a->loop = loop;
  struct cn_stream_socket *t = a->transport;
  int rv = t->ops->attach_event_loop ? t->ops->attach_event_loop(t, loop)
                                     : CN_ERR_NOT_IMPLEMENTED;
  if (posted && loop)
    cn_task_post(loop, &a->write_error_task);
  return rv;
}

BIO *cn_socket_bio_adapter_bio(struct cn_socket_bio_adapter *a) {
  BIO_up_ref(a->bio);
  return a->bio;
}

struct cn_stream_socket *
cn_socket_bio_adapter_transport(struct cn_socket_bio_adapter *a) {
  return a->transport;
}

bool cn_socket_bio_adapter_read_eof(const struct cn_socket_bio_adapter *a) {
  return a->read_eof;
}

int cn_socket_bio_adapter_read_error(const struct cn_socket_bio_adapter *a) {
  return a->read_error;
}

int cn_socket_bio_adapter_write_error(const struct cn_socket_bio_adapter *a) {
  return a->write_error;
}

size_t
cn_socket_bio_adapter_buffered_read(const struct cn_socket_bio_adapter *a) {
  return a->read_len;
}

size_t
cn_socket_bio_adapter_buffered_write(const struct cn_socket_bio_adapter *a) {
  return a->write_len;
}
