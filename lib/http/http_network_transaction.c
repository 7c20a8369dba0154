/* http_network_transaction.c: the DoLoop that takes a request from "get a
 * connection" to "final response head received".
 *
 * Creating the stream: an HTTP/2 session of the request's group that takes
 * one more stream is used first (multiplexing); otherwise, with
 * CURLOPT_PIPEWAIT, the request waits for a connection of the group that
 * is still being made and may turn out to speak h2; otherwise it gets a
 * socket from the pool. A TLS socket that negotiated "h2" (or a cleartext
 * one under prior knowledge) becomes a new HTTP/2 session in the session
 * pool and the request its first stream; any other socket carries an
 * HTTP/1.1 basic stream. */
#include "http/http_network_transaction.h"

#include <string.h>

#include "http/h1/http_basic_stream.h"
#include "http/h2/h2_session.h"
#include "http/h2/h2_session_pool.h"
#include "http/h2/h2_stream.h"
#include "http/http_network_session.h"
#include "http/http_request_info.h"
#include "http/http_response_headers.h"
#include "http/http_stream.h"
#include "http/upload_data_stream.h"
#include "socket/group_key.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_log.h"

/* libcurl retries a refused HTTP/2 stream on a fresh connection up to
 * CONN_MAX_RETRIES times. */
#define MAX_REFUSED_RETRIES 5

enum state {
  STATE_NONE,
  STATE_CREATE_STREAM,
  STATE_CREATE_STREAM_COMPLETE,
  STATE_SEND_REQUEST,
  STATE_SEND_REQUEST_COMPLETE,
  STATE_READ_HEADERS,
  STATE_READ_HEADERS_COMPLETE,
};

struct cn_http_network_transaction {
  struct cn_http_network_session *session;
  const struct cn_http_request_info *req;
  enum state next_state;

  struct cn_client_socket_handle handle;
  bool have_connection; /* |handle| holds a socket */
  struct cn_http_stream *stream;
  bool retried;   /* the one retry on a fresh connection was used */
  int refused_retries; /* HTTP/2 REFUSED_STREAM retries so far */
  bool body_done; /* read() returned 0 */
  bool request_sent; /* the current attempt's request went out whole */
  bool send_failed;  /* ... or failed on its connection while going out */

  /* HTTP/2. */
  struct cn_socket_params params; /* this attempt's socket parameters */
  struct cn_buf group_extra;      /* params.group_extra for h2c */
  struct cn_buf key;              /* the group key of |params| */
  bool may_use_h2;        /* TLS offering h2, or prior knowledge */
  bool h2_lookup;         /* ... or an h2c upgrade: sessions may exist */
  /* Request bytes written as HTTP/1.1 before an h2c upgrade. */
  int64_t upgrade_head_bytes, upgrade_body_bytes;
  bool connect_registered; /* counted in the session pool's connects */
  struct cn_h2_session_pool_waiter waiter; /* CURLOPT_PIPEWAIT */
  struct cn_h2_session *h2; /* the stream's session (borrowed) */
  /* What getinfo sees of the session's connection: a copy of its handle,
   * marked reused when the session carried streams before. Never
   * released. */
  struct cn_client_socket_handle h2_view;

  cn_http_head_fn on_head;
  void *head_ctx;
  cn_completion_fn cb; /* pending start() completion */
  void *cb_ctx;

  cn_completion_fn read_cb; /* pending read() completion */
  void *read_ctx;

  /* Set while do_loop runs so a completion arriving synchronously is not
   * reported from inside start(). */
  bool in_loop;
};

static int do_loop(struct cn_http_network_transaction *t, int rv);

struct cn_http_network_transaction *cn_http_network_transaction_new(
    struct cn_http_network_session *session) {
  struct cn_http_network_transaction *t = cn_calloc(1, sizeof(*t));
  if (!t)
    return NULL;
  t->session = session;
  cn_buf_init(&t->group_extra, 0);
  cn_buf_init(&t->key, 0);
  return t;
}

static void end_connect(struct cn_http_network_transaction *t, bool got_h2,
                        bool known_h1) {
  if (!t->connect_registered)
    return;
  t->connect_registered = false;
  cn_h2_session_pool_end_connect(t->session->h2_pool, t->key.data, t->key.len,
                                 got_h2, known_h1);
}

/* drop_connection ends the current exchange: the socket goes back to the
 * pool only when the stream says it is clean and reuse is allowed. An
 * HTTP/2 stream just leaves its session (reset if unfinished). */
static void drop_connection(struct cn_http_network_transaction *t,
                            bool allow_reuse) {
  bool reusable = false;
  if (t->stream) {
    reusable = allow_reuse && !t->req->forbid_reuse &&
               t->stream->ops->can_reuse_connection(t->stream);
    t->stream->ops->destroy(t->stream);
    t->stream = NULL;
  }
  t->h2 = NULL;
  cn_h2_session_pool_cancel_wait(&t->waiter);
  end_connect(t, false, false);
  if (t->have_connection) {
    cn_client_socket_handle_release(&t->handle, reusable);
    t->have_connection = false;
  } else {
    cn_client_socket_handle_cancel(&t->handle);
  }
}

void cn_http_network_transaction_free(struct cn_http_network_transaction *t) {
  if (!t)
    return;
  drop_connection(t, t->body_done);
  cn_buf_cleanup(&t->group_extra);
  cn_buf_cleanup(&t->key);
  cn_free(t);
}

static void on_io_complete(void *ctx, int rv) {
  struct cn_http_network_transaction *t = ctx;
  rv = do_loop(t, rv);
  if (rv != CN_ERR_IO_PENDING) {
    cn_completion_fn cb = t->cb;
    t->cb = NULL;
    /* The callback may free |t|: nothing after it. */
    if (cb)
      cb(t->cb_ctx, rv);
  }
}

static bool offers_h2(const struct cn_ssl_config *ssl) {
  for (size_t i = 0; ssl && i < ssl->num_alpn && i < CN_SSL_MAX_ALPN; i++)
    if (ssl->alpn[i] && strcmp(ssl->alpn[i], "h2") == 0)
      return true;
  return false;
}

/* prepare_params fixes this attempt's socket parameters and their group
 * key. Prior-knowledge h2c connections form their own group: an idle
 * HTTP/1.1 socket must not be handed to a request that starts with the
 * HTTP/2 preface. */
static int prepare_params(struct cn_http_network_transaction *t,
                          bool fresh) {
  const struct cn_http_request_info *req = t->req;
  t->params = req->socket;
  if (fresh)
    t->params.fresh_connect = true;
  bool h2c = !req->socket.use_tls && req->http2 == CN_HTTP2_PRIOR_KNOWLEDGE;
  t->may_use_h2 = h2c || (req->socket.use_tls && offers_h2(req->socket.ssl));
  t->h2_lookup = t->may_use_h2 ||
                 (!req->socket.use_tls && req->http2 == CN_HTTP2_UPGRADE);
  /* A connection whose HTTP/2 session waits in a share's connection cache
   * serves such a request too (CONNECT_ONLY wants a bare connection). */
  if (t->h2_lookup && !req->connect_only)
    t->params.alt_attachment_tag = CN_H2_PARKED_TAG;
  int rv = CN_OK;
  if (h2c) {
    cn_buf_reset(&t->group_extra);
    rv = cn_buf_printf(&t->group_extra, "h2c;%s",
                       req->socket.group_extra ? req->socket.group_extra : "");
    if (rv != CN_OK)
      return rv;
    t->params.group_extra = t->group_extra.data;
  }
  cn_buf_reset(&t->key);
  rv = cn_group_key_build(&t->key, &t->params);
  if (rv == CN_OK && !t->key.data)
    rv = cn_buf_append_str(&t->key, "");
  /* The pool looks its group up by the same key: no second build. */
  t->params.group_key = t->key.data;
  return rv;
}

static void on_pipewait_done(void *ctx) { on_io_complete(ctx, CN_OK); }

/* may_bring_h2: the connection this attempt gets may end up carrying an
 * HTTP/2 session that later requests could share: ALPN or prior knowledge
 * decide at connect time, an h2c upgrade when the answer to the request
 * arrives (101 or not). Until then a CURLOPT_PIPEWAIT request waits for
 * it, as libcurl waits for a connection "not open enough" or whose
 * upgrade is undecided. */
static bool upgrades_h2c(const struct cn_http_network_transaction *t) {
  return !t->may_use_h2 && !t->req->socket.use_tls && t->req->h2c_upgrade;
}

static bool may_bring_h2(const struct cn_http_network_transaction *t) {
  return t->may_use_h2 || upgrades_h2c(t);
}

/* shown_host: the origin as log lines name it (libcurl's dispname). */
static const char *shown_host(const struct cn_http_network_transaction *t) {
  return t->req->socket.display_host ? t->req->socket.display_host
                                     : t->req->socket.host;
}

static int connection_ready(struct cn_http_network_transaction *t,
                            struct cn_client_socket_handle *h) {
  if (!t->req->on_connection)
    return CN_OK;
  return t->req->on_connection(t->req->on_connection_ctx, h);
}

/* use_session makes the request a stream of |s|. */
static int use_session(struct cn_http_network_transaction *t,
                       struct cn_h2_session *s) {
  int rv = connection_ready(t, NULL);
  if (rv != CN_OK)
    return rv;
  bool reused = cn_h2_session_is_reused(s);
  t->stream = cn_h2_stream_new(s, t->session->loop, t->req->log);
  if (!t->stream)
    return CN_ERR_OUT_OF_MEMORY;
  t->h2 = s;
  t->h2_view = *cn_h2_session_handle(s);
  t->h2_view.pool = NULL;
  t->h2_view.group = NULL;
  t->h2_view.pending = NULL;
  /* A stream on a session that carried others rides a reused connection:
   * no connect or TLS time of its own. */
  if (reused) {
    t->h2_view.is_reused = true;
    memset(&t->h2_view.timing, 0, sizeof(t->h2_view.timing));
  }
  t->next_state = STATE_SEND_REQUEST;
  return CN_OK;
}

static int do_create_stream(struct cn_http_network_transaction *t) {
  t->next_state = STATE_CREATE_STREAM_COMPLETE;
  t->request_sent = false;
  t->send_failed = false;
  memset(&t->handle, 0, sizeof(t->handle));
  int rv = prepare_params(t, t->retried || t->refused_retries > 0);
  if (rv != CN_OK)
    return rv;
  struct cn_h2_session_pool *pool = t->session->h2_pool;
  if (t->h2_lookup && !t->params.fresh_connect) {
    struct cn_h2_session *s = cn_h2_session_pool_find(pool, t->key.data,
                                                      t->key.len);
    if (s) {
      cn_net_log_text(t->req->log,
                      "Re-using existing %s: connection with host %s",
                      t->req->socket.use_tls ? "https" : "http",
                      shown_host(t));
      return use_session(t, s);
    }
    if (may_bring_h2(t) && t->req->pipewait &&
        cn_h2_session_pool_connecting(pool, t->key.data, t->key.len)) {
      /* Look again once that connection is made (or failed). */
      t->next_state = STATE_CREATE_STREAM;
      rv = cn_h2_session_pool_wait(pool, &t->waiter, t->key.data, t->key.len,
                                   on_pipewait_done, t);
      return rv == CN_OK ? CN_ERR_IO_PENDING : rv;
    }
  }
  if (may_bring_h2(t)) {
    rv = cn_h2_session_pool_begin_connect(pool, t->key.data, t->key.len);
    if (rv != CN_OK)
      return rv;
    t->connect_registered = true;
  }
  return cn_client_socket_pool_request(t->session->pool, &t->handle,
                                       &t->params, on_io_complete, t);
}

/* negotiated_h2: the connection speaks HTTP/2 from its first byte. */
static bool negotiated_h2(struct cn_http_network_transaction *t,
                          bool *out_known_h1) {
  *out_known_h1 = false;
  if (!t->req->socket.use_tls)
    return t->req->http2 == CN_HTTP2_PRIOR_KNOWLEDGE;
  struct cn_tls_info info;
  memset(&info, 0, sizeof(info));
  if (t->handle.socket->ops->get_tls_info)
    t->handle.socket->ops->get_tls_info(t->handle.socket, &info);
  if (strcmp(info.alpn, "h2") == 0)
    return true;
  /* HTTP/1.1 chosen, or no ALPN at all: later requests need not wait. */
  *out_known_h1 = true;
  return false;
}

static int do_create_stream_complete(struct cn_http_network_transaction *t,
                                     int rv) {
  if (rv < 0) {
    end_connect(t, false, false);
    return rv;
  }
  t->have_connection = true;
  if (t->handle.is_reused)
    cn_net_log_text(t->req->log,
                    "Re-using existing %s: connection with host %s",
                    t->req->socket.use_tls ? "https" : "http",
                    shown_host(t));
  /* The socket may have been opened for another transfer: log to ours. */
  if (t->handle.socket->ops->set_net_log)
    t->handle.socket->ops->set_net_log(t->handle.socket, t->req->log);
  bool known_h1 = false;
  if (t->req->connect_only) {
    end_connect(t, false, false);
    return connection_ready(t, &t->handle); /* done: nothing to send */
  }
  if (cn_h2_session_is_parked(t->handle.attachment)) {
    struct cn_h2_session *s = NULL;
    rv =
        cn_h2_session_pool_adopt(t->session->h2_pool, &s, t->key.data,
                                 t->key.len, &t->handle, !t->req->forbid_reuse);
    end_connect(t, rv == CN_OK, false);
    if (rv != CN_OK)
      return rv;
    t->have_connection = false; /* the session has the socket now */
    return use_session(t, s);
  }
  if (negotiated_h2(t, &known_h1)) {
    struct cn_h2_session *s = NULL;
    rv = cn_h2_session_pool_create(t->session->h2_pool, &s, t->key.data,
                                   t->key.len, &t->handle, t->req->h2_config,
                                   !t->req->forbid_reuse);
    end_connect(t, rv == CN_OK, false);
    if (rv != CN_OK)
      return rv;
    t->have_connection = false; /* the session has the socket now */
    cn_net_log_text(t->req->log, "using HTTP/2");
    return use_session(t, s);
  }
  /* An h2c upgrade stays registered until its answer says (see
   * do_read_headers_complete). */
  if (!upgrades_h2c(t))
    end_connect(t, false, known_h1);
  rv = connection_ready(t, &t->handle);
  if (rv != CN_OK)
    return rv;
  t->stream = cn_http_basic_stream_new(&t->handle, t->session->loop,
                                       t->req->log);
  if (!t->stream)
    return CN_ERR_OUT_OF_MEMORY;
  t->next_state = STATE_SEND_REQUEST;
  return CN_OK;
}

static int do_send_request(struct cn_http_network_transaction *t) {
  t->next_state = STATE_SEND_REQUEST_COMPLETE;
  if (t->req->before_send) {
    const struct cn_client_socket_handle *h =
        cn_http_network_transaction_connection(t);
    int rv = t->req->before_send(t->req->before_send_ctx, h ? &h->peer : NULL,
                                 h ? &h->local : NULL);
    if (rv < 0) {
      t->next_state = STATE_NONE;
      return rv;
    }
  }
  return t->stream->ops->send_request(t->stream, t->req, on_io_complete, t);
}

/* maybe_retry implements Chromium's rule: a request that failed on a reused
 * keep-alive connection before any response byte arrived is sent once more
 * on a new connection, because the server may have closed the idle
 * connection just as we picked it. */
static int maybe_retry(struct cn_http_network_transaction *t, int rv) {
  /* An HTTP/2 stream the server refused (RST_STREAM REFUSED_STREAM, or
   * above a GOAWAY's last stream id) was not processed: libcurl sends it
   * again on a new connection. */
  if (rv == CN_ERR_HTTP2_SERVER_REFUSED_STREAM) {
    if (t->refused_retries >= MAX_REFUSED_RETRIES ||
        (t->req->upload &&
         t->req->upload->ops->rewind(t->req->upload) != CN_OK))
      return rv;
    cn_net_log_text(t->req->log, "REFUSED_STREAM, retrying a fresh connect");
    drop_connection(t, false);
    t->refused_retries++;
    t->next_state = STATE_CREATE_STREAM;
    return CN_OK;
  }
  bool retryable_error = rv == CN_ERR_CONNECTION_RESET ||
                         rv == CN_ERR_CONNECTION_CLOSED ||
                         rv == CN_ERR_CONNECTION_ABORTED ||
                         rv == CN_ERR_EMPTY_RESPONSE ||
                         rv == CN_ERR_SOCKET_NOT_CONNECTED ||
                         rv == CN_ERR_SOCKET_SEND_FAILED;
  bool reused = t->h2 ? t->h2_view.is_reused : t->handle.is_reused;
  if (!retryable_error || t->retried || !reused ||
      t->stream->ops->received_response_bytes(t->stream) ||
      (t->req->upload &&
       t->req->upload->ops->rewind(t->req->upload) != CN_OK)) {
    /* libcurl: an HTTP/2 connection that ends under a stream is an HTTP/2
     * framing error (CURLE_HTTP2). */
    if (t->h2 && rv == CN_ERR_CONNECTION_CLOSED)
      return CN_ERR_HTTP2_PROTOCOL_ERROR;
    return rv;
  }
  cn_net_log_text(t->req->log,
                  "Connection died, retrying a fresh connect (retry count: 1)");
  drop_connection(t, false);
  t->retried = true;
  t->next_state = STATE_CREATE_STREAM;
  return CN_OK;
}

static int do_send_request_complete(struct cn_http_network_transaction *t,
                                    int rv) {
  if (rv < 0) {
    rv = maybe_retry(t, rv);
    t->send_failed = rv < 0;
    return rv;
  }
  t->request_sent = true;
  t->next_state = STATE_READ_HEADERS;
  return CN_OK;
}

/* report_cut_short_head passes on the lines of a head that ended in an
 * error, as libcurl passes on each line before it sees the bad one. */
static void report_cut_short_head(struct cn_http_network_transaction *t) {
  const struct cn_http_response_headers *head =
      t->stream ? t->stream->ops->response_headers(t->stream) : NULL;
  if (head && head->cut_short && t->on_head)
    (void)t->on_head(t->head_ctx, head);
}

static int do_read_headers(struct cn_http_network_transaction *t) {
  t->next_state = STATE_READ_HEADERS_COMPLETE;
  return t->stream->ops->read_response_headers(t->stream, on_io_complete, t);
}

/* switch_to_h2c turns the connection into an HTTP/2 session after the
 * server agreed to the h2c upgrade: the request becomes stream 1 and the
 * bytes that followed the 101 head are the server's first frames. */
static int switch_to_h2c(struct cn_http_network_transaction *t) {
  size_t len = 0;
  const uint8_t *left = cn_http_basic_stream_leftover(t->stream, &len);
  uint8_t *copy = len ? cn_memdup(left, len) : NULL;
  if (len && !copy)
    return CN_ERR_OUT_OF_MEMORY;
  struct cn_h2_session *s = NULL;
  int rv = cn_h2_session_pool_create_upgraded(
      t->session->h2_pool, &s, t->key.data, t->key.len, &t->handle,
      t->req->h2_config, !t->req->forbid_reuse,
      strcmp(t->req->method, "HEAD") == 0);
  if (rv != CN_OK) {
    cn_free(copy);
    return rv;
  }
  cn_net_log_text(t->req->log, "Received 101, Switching to HTTP/2");
  t->have_connection = false; /* the session has the socket now */
  t->upgrade_head_bytes =
      t->stream->ops->bytes_sent(t->stream, &t->upgrade_body_bytes);
  t->stream->ops->destroy(t->stream);
  t->stream = NULL;
  rv = cn_h2_stream_new_upgraded(&t->stream, s, t->session->loop, t->req->log,
                                 t->req);
  if (rv == CN_OK) {
    t->h2 = s;
    t->h2_view = *cn_h2_session_handle(s);
    t->h2_view.pool = NULL;
    t->h2_view.group = NULL;
    t->h2_view.pending = NULL;
    cn_h2_session_feed(s, copy, len);
  }
  cn_free(copy);
  return rv;
}

static int do_read_headers_complete(struct cn_http_network_transaction *t,
                                    int rv) {
  if (rv < 0) {
    rv = maybe_retry(t, rv);
    if (rv < 0)
      report_cut_short_head(t);
    return rv;
  }
  const struct cn_http_response_headers *head =
      t->stream->ops->response_headers(t->stream);
  if (t->on_head) {
    int hv = t->on_head(t->head_ctx, head);
    if (hv < 0)
      return hv;
  }
  int status = cn_http_response_headers_status(head);
  /* 1xx heads other than 101 are interim: the real response follows on the
   * same stream. */
  if (status >= 100 && status < 200 && status != 101) {
    t->next_state = STATE_READ_HEADERS;
    return CN_OK;
  }
  if (status == 101 && t->req->h2c_upgrade && !t->h2) {
    rv = switch_to_h2c(t);
    end_connect(t, rv == CN_OK, false);
    if (rv != CN_OK)
      return rv;
    t->next_state = STATE_READ_HEADERS;
    return CN_OK;
  }
  /* A final answer to an h2c upgrade request: the server stays on
   * HTTP/1.1, and waiting requests connect on their own. */
  end_connect(t, false, upgrades_h2c(t) && !t->h2);
  return CN_OK; /* next_state stays NONE: done */
}

static int do_loop(struct cn_http_network_transaction *t, int rv) {
  do {
    enum state state = t->next_state;
    t->next_state = STATE_NONE;
    switch (state) {
    case STATE_CREATE_STREAM:
      rv = do_create_stream(t);
      break;
    case STATE_CREATE_STREAM_COMPLETE:
      rv = do_create_stream_complete(t, rv);
      break;
    case STATE_SEND_REQUEST:
      rv = do_send_request(t);
      break;
    case STATE_SEND_REQUEST_COMPLETE:
      rv = do_send_request_complete(t, rv);
      break;
    case STATE_READ_HEADERS:
      rv = do_read_headers(t);
      break;
    case STATE_READ_HEADERS_COMPLETE:
      rv = do_read_headers_complete(t, rv);
      break;
    case STATE_NONE:
    default:
      rv = CN_ERR_UNEXPECTED;
      break;
    }
  } while (rv != CN_ERR_IO_PENDING && t->next_state != STATE_NONE);
  return rv;
}

int cn_http_network_transaction_start(struct cn_http_network_transaction *t,
                                      const struct cn_http_request_info *req,
                                      cn_http_head_fn on_head, void *head_ctx,
                                      cn_completion_fn cb, void *ctx) {
  t->req = req;
  t->on_head = on_head;
  t->head_ctx = head_ctx;
  t->next_state = STATE_CREATE_STREAM;
  int rv = do_loop(t, CN_OK);
  if (rv == CN_ERR_IO_PENDING) {
    t->cb = cb;
    t->cb_ctx = ctx;
  }
  return rv;
}

const struct cn_http_response_headers *cn_http_network_transaction_response(
    struct cn_http_network_transaction *t) {
  return t->stream ? t->stream->ops->response_headers(t->stream) : NULL;
}

static void on_read_complete(void *ctx, int rv) {
  struct cn_http_network_transaction *t = ctx;
  cn_completion_fn cb = t->read_cb;
  t->read_cb = NULL;
  if (rv == 0)
    t->body_done = true;
  cb(t->read_ctx, rv);
}

int cn_http_network_transaction_read(struct cn_http_network_transaction *t,
                                     uint8_t *buf, size_t len,
                                     cn_completion_fn cb, void *ctx) {
  if (!t->stream)
    return CN_ERR_UNEXPECTED;
  if (t->body_done)
    return 0;
  int rv = t->stream->ops->read_response_body(t->stream, buf, len,
                                              on_read_complete, t);
  if (rv == CN_ERR_IO_PENDING) {
    t->read_cb = cb;
    t->read_ctx = ctx;
  } else if (rv == 0) {
    t->body_done = true;
  }
  return rv;
}

const struct cn_client_socket_handle *cn_http_network_transaction_connection(
    const struct cn_http_network_transaction *t) {
  if (t->h2)
    return &t->h2_view;
  return t->have_connection ? &t->handle : NULL;
}

void cn_http_network_transaction_tls_info(struct cn_http_network_transaction *t,
                                          struct cn_tls_info *out) {
  memset(out, 0, sizeof(*out));
  /* The origin's TLS only: plain http:// through an HTTPS proxy has the
   * proxy's TLS on top (CURLINFO_PROXY_SSL_VERIFYRESULT reports that). */
  if (!t->req->socket.use_tls)
    return;
  const struct cn_client_socket_handle *h =
      cn_http_network_transaction_connection(t);
  if (h && h->socket && h->socket->ops->get_tls_info)
    h->socket->ops->get_tls_info(h->socket, out);
}

bool cn_http_network_transaction_keeps_connection(
    const struct cn_http_network_transaction *t) {
  if (t->h2)
    return true;
  return t->have_connection && t->stream && t->body_done &&
         !t->req->forbid_reuse &&
         t->stream->ops->can_reuse_connection(t->stream);
}

bool cn_http_network_transaction_is_http2(
    const struct cn_http_network_transaction *t) {
  return t->h2 != NULL;
}

const struct cn_http_response_headers *cn_http_network_transaction_trailers(
    struct cn_http_network_transaction *t) {
  if (!t->stream || !t->body_done || !t->stream->ops->response_trailers)
    return NULL;
  return t->stream->ops->response_trailers(t->stream);
}

bool cn_http_network_transaction_request_sent(
    const struct cn_http_network_transaction *t) {
  return t->request_sent;
}

bool cn_http_network_transaction_send_failed(
    const struct cn_http_network_transaction *t) {
  return t->send_failed;
}

int64_t cn_http_network_transaction_bytes_sent(
    struct cn_http_network_transaction *t, int64_t *out_body_bytes) {
  int64_t body = 0, head = 0;
  if (t->stream)
    head = t->stream->ops->bytes_sent(t->stream, &body);
  if (out_body_bytes)
    *out_body_bytes = body + t->upgrade_body_bytes;
  return head + t->upgrade_head_bytes;
}

int32_t cn_http_network_transaction_h2_stream_id(
    const struct cn_http_network_transaction *t,
    const struct cn_h2_session *session) {
  if (!t->h2 || t->h2 != session || !t->stream)
    return 0;
  return cn_h2_stream_id(t->stream, session);
}

struct cn_stream_socket *cn_http_network_transaction_detach(
    struct cn_http_network_transaction *t, struct cn_buf *out_unread) {
  if (t->h2 || !t->have_connection)
    return NULL;
  if (t->stream && t->stream->ops->unread_bytes) {
    const uint8_t *data = NULL;
    size_t len = t->stream->ops->unread_bytes(t->stream, &data);
    if (len && cn_buf_append(out_unread, data, len) != CN_OK)
      return NULL;
  }
  if (t->stream) {
    t->stream->ops->destroy(t->stream);
    t->stream = NULL;
  }
  t->have_connection = false;
  return cn_client_socket_handle_detach(&t->handle);
}
