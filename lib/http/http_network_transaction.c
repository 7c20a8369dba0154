/* http_network_transaction.c: the DoLoop that takes a request from "get a
 * connection" to "final response head received". */
#include "http/http_network_transaction.h"

#include <string.h>

#include "http/h1/http_basic_stream.h"
#include "http/http_network_session.h"
#include "http/http_request_info.h"
#include "http/http_response_headers.h"
#include "http/http_stream.h"
#include "http/upload_data_stream.h"
#include "util/alloc.h"
#include "util/net_log.h"

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
  bool body_done; /* read() returned 0 */

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
  if (t)
    t->session = session;
  return t;
}

/* drop_connection ends the current exchange: the socket goes back to the
 * pool only when the stream says it is clean and reuse is allowed. */
static void drop_connection(struct cn_http_network_transaction *t,
                            bool allow_reuse) {
  bool reusable = false;
  if (t->stream) {
    reusable = allow_reuse && !t->req->forbid_reuse &&
               t->stream->ops->can_reuse_connection(t->stream);
    t->stream->ops->destroy(t->stream);
    t->stream = NULL;
  }
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

static int do_create_stream(struct cn_http_network_transaction *t) {
  t->next_state = STATE_CREATE_STREAM_COMPLETE;
  memset(&t->handle, 0, sizeof(t->handle));
  struct cn_socket_params params = t->req->socket;
  if (t->retried)
    params.fresh_connect = true;
  return cn_client_socket_pool_request(t->session->pool, &t->handle, &params,
                                       on_io_complete, t);
}

static int do_create_stream_complete(struct cn_http_network_transaction *t,
                                     int rv) {
  if (rv < 0)
    return rv;
  t->have_connection = true;
  if (t->handle.is_reused)
    cn_net_log_text(t->req->log, "Re-using existing %s: connection with host %s",
                    t->req->socket.use_tls ? "https" : "http",
                    t->req->socket.host);
  /* The socket may have been opened for another transfer: log to ours. */
  if (t->handle.socket->ops->set_net_log)
    t->handle.socket->ops->set_net_log(t->handle.socket, t->req->log);
  t->stream = cn_http_basic_stream_new(&t->handle, t->req->log);
  if (!t->stream)
    return CN_ERR_OUT_OF_MEMORY;
  t->next_state = STATE_SEND_REQUEST;
  return CN_OK;
}

static int do_send_request(struct cn_http_network_transaction *t) {
  t->next_state = STATE_SEND_REQUEST_COMPLETE;
  return t->stream->ops->send_request(t->stream, t->req, on_io_complete, t);
}

/* maybe_retry implements Chromium's rule: a request that failed on a reused
 * keep-alive connection before any response byte arrived is sent once more
 * on a new connection, because the server may have closed the idle
 * connection just as we picked it. */
static int maybe_retry(struct cn_http_network_transaction *t, int rv) {
  bool retryable_error = rv == CN_ERR_CONNECTION_RESET ||
                         rv == CN_ERR_CONNECTION_CLOSED ||
                         rv == CN_ERR_CONNECTION_ABORTED ||
                         rv == CN_ERR_EMPTY_RESPONSE ||
                         rv == CN_ERR_SOCKET_NOT_CONNECTED ||
                         rv == CN_ERR_SOCKET_SEND_FAILED;
  if (!retryable_error || t->retried || !t->handle.is_reused ||
      t->stream->ops->received_response_bytes(t->stream))
    return rv;
  if (t->req->upload && t->req->upload->ops->rewind(t->req->upload) != CN_OK)
    return rv;
  cn_net_log_text(t->req->log,
                  "Connection died, retrying a fresh connect (retry count: 1)");
  drop_connection(t, false);
  t->retried = true;
  t->next_state = STATE_CREATE_STREAM;
  return CN_OK;
}

static int do_send_request_complete(struct cn_http_network_transaction *t,
                                    int rv) {
  if (rv < 0)
    return maybe_retry(t, rv);
  t->next_state = STATE_READ_HEADERS;
  return CN_OK;
}

static int do_read_headers(struct cn_http_network_transaction *t) {
  t->next_state = STATE_READ_HEADERS_COMPLETE;
  return t->stream->ops->read_response_headers(t->stream, on_io_complete, t);
}

static int do_read_headers_complete(struct cn_http_network_transaction *t,
                                    int rv) {
  if (rv < 0)
    return maybe_retry(t, rv);
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
  return t->have_connection ? &t->handle : NULL;
}

void cn_http_network_transaction_tls_info(struct cn_http_network_transaction *t,
                                          struct cn_tls_info *out) {
  memset(out, 0, sizeof(*out));
  if (t->have_connection && t->handle.socket &&
      t->handle.socket->ops->get_tls_info)
    t->handle.socket->ops->get_tls_info(t->handle.socket, out);
}

int64_t cn_http_network_transaction_bytes_sent(
    struct cn_http_network_transaction *t, int64_t *out_body_bytes) {
  if (!t->stream) {
    if (out_body_bytes)
      *out_body_bytes = 0;
    return 0;
  }
  return t->stream->ops->bytes_sent(t->stream, out_body_bytes);
}
