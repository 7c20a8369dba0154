/* stream_socket.h: the byte-stream socket interface (Chromium's
 * StreamSocket) that TCP, TLS, SOCKS and proxy-tunnel sockets implement and
 * that the HTTP layer reads and writes.
 *
 * It lives in util, not socket, because TLS (a lower layer than the socket
 * pool) both implements it and wraps another instance of it.
 *
 * Contract for read/write: the return value is a byte count (> 0), 0 for EOF
 * (read only), a negative net error, or CN_ERR_IO_PENDING, in which case |cb|
 * is called later, from the event loop, with the value the call would have
 * returned; |buf| must stay valid until then. At most one read and one write
 * may be pending at once. A pending callback is never called after
 * destroy(). Sockets are owned by one holder at a time (a connect job, the
 * pool, a client socket handle) which calls destroy(). */
#ifndef CN_UTIL_STREAM_SOCKET_H
#define CN_UTIL_STREAM_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/ip_endpoint.h"
#include "util/net_error.h"

struct cn_buf;
struct cn_stream_socket;
struct cn_net_log;
struct cn_event_loop;

/* What a TLS socket negotiated; plain sockets report is_tls = false. */
struct cn_tls_info {
  bool is_tls;
  char alpn[32];           /* negotiated protocol, "" if none */
  int version;             /* TLS1_2_VERSION etc., 0 if not TLS */
  const char *cipher_name; /* static string or NULL */
  long verify_result;      /* X509_V_OK (0) or the X509 error */
  bool session_reused;
};

struct cn_stream_socket_ops {
  int (*read)(struct cn_stream_socket *s, uint8_t *buf, size_t len,
              cn_completion_fn cb, void *ctx);
  int (*write)(struct cn_stream_socket *s, const uint8_t *buf, size_t len,
               cn_completion_fn cb, void *ctx);
  /* Drops pending callbacks (the operations' outcome is lost). */
  void (*cancel_io)(struct cn_stream_socket *s);
  /* True if the peer has not closed and no unread byte is waiting: the
   * liveness check before reusing an idle socket. */
  bool (*is_connected_and_idle)(struct cn_stream_socket *s);
  int (*get_peer_address)(struct cn_stream_socket *s,
                          struct cn_ip_endpoint *out);
  int (*get_local_address)(struct cn_stream_socket *s,
                           struct cn_ip_endpoint *out);
  void (*get_tls_info)(struct cn_stream_socket *s, struct cn_tls_info *out);
  /* Optional (NULL: not TLS): appends the peer's certificate chain in
   * tls/cert_info.h's encoding (CURLINFO_CERTINFO). CN_OK or OOM. */
  int (*get_cert_info)(struct cn_stream_socket *s, struct cn_buf *out);
  /* The OS socket underneath (CURLINFO_ACTIVESOCKET), -1 if none. */
  int (*get_fd)(struct cn_stream_socket *s);
  /* Redirects logging to another transfer's log (sockets outlive the
   * transfer that opened them; the pool hands them to the next one). */
  void (*set_net_log)(struct cn_stream_socket *s, const struct cn_net_log *log);
  /* Re-homes an idle socket (no read, write or connect of its holder
   * pending) on |loop|: its watches, timers and tasks leave the loop they
   * were on and are registered on |loop|; work the socket does by itself
   * (a TLS socket's transport read waiting for the peer) goes on there.
   * |loop| NULL takes the socket off every loop: it may then be handed to
   * another thread (a share handle's connection cache), where only
   * is_connected_and_idle, attach_event_loop and destroy may be called
   * until it is attached again. Call it from the thread that runs the loop
   * the socket leaves or joins. CN_OK, CN_ERR_UNEXPECTED (not idle: a
   * connect is pending) or OOM (the socket is then on no loop). May be
   * NULL for sockets that cannot move (test doubles). */
  int (*attach_event_loop)(struct cn_stream_socket *s,
                           struct cn_event_loop *loop);
  /* Closes and frees; cancels pending callbacks. NULL-safe via the helper. */
  void (*destroy)(struct cn_stream_socket *s);
};

struct cn_stream_socket {
  const struct cn_stream_socket_ops *ops;
};

static inline void cn_stream_socket_destroy(struct cn_stream_socket *s) {
  if (s)
    s->ops->destroy(s);
}

#endif
