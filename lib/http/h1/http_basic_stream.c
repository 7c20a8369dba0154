/* http_basic_stream.c: HTTP/1.1 request/response over a pooled socket.
 * Three DoLoops share one pending-callback slot: sending (head, then body
 * from the upload stream, chunked when its size is unknown), reading the
 * head, and reading the body. */
#include "http/h1/http_basic_stream.h"

#include <stdio.h>
#include <string.h>

#include "http/h1/body_reader.h"
#include "http/h1/request_writer.h"
#include "http/h1/response_parser.h"
#include "http/http_request_info.h"
#include "http/http_response_headers.h"
#include "http/upload_data_stream.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_log.h"

/* Receive buffer: large reads mean fewer syscalls on bulk downloads. */
#define READ_BUF_SIZE (64 * 1024)
/* Upload chunk read from the program at a time (libcurl's default
 * CURLOPT_UPLOAD_BUFFERSIZE). */
#define UPLOAD_CHUNK (64 * 1024)

enum state {
  STATE_NONE,
  STATE_WRITE,
  STATE_WRITE_COMPLETE,
  STATE_READ_UPLOAD,
  STATE_READ_UPLOAD_COMPLETE,
  STATE_READ_HEAD,
  STATE_READ_HEAD_COMPLETE,
  STATE_READ_BODY,
  STATE_READ_BODY_COMPLETE,
};

struct basic_stream {
  struct cn_http_stream base;
  struct cn_client_socket_handle *handle; /* borrowed */
  const struct cn_net_log *log;           /* borrowed */
  const struct cn_http_request_info *req; /* borrowed */
  enum state next_state;

  /* Sending. */
  struct cn_buf out; /* bytes to write: the head, then body pieces */
  size_t out_off;
  uint8_t *upload_buf;
  bool upload_done;
  bool upload_chunked;
  int64_t head_bytes;
  int64_t body_bytes_sent;

  /* Receiving. */
  uint8_t *rbuf;
  size_t rbuf_start, rbuf_end;
  bool eof;
  struct cn_h1_response_parser parser;
  struct cn_http_response_headers *head; /* owned: the latest complete head */
  bool head_is_final;
  bool body_reader_ready;
  struct cn_h1_body_reader body;
  bool body_done;
  uint8_t *user_buf; /* read_response_body's destination */
  size_t user_len;

  cn_completion_fn cb;
  void *cb_ctx;
};

static int do_loop(struct basic_stream *s, int rv);

static void on_io_complete(void *ctx, int rv) {
  struct basic_stream *s = ctx;
  rv = do_loop(s, rv);
  if (rv != CN_ERR_IO_PENDING) {
    cn_completion_fn cb = s->cb;
    s->cb = NULL;
    if (cb)
      cb(s->cb_ctx, rv);
  }
}

static struct cn_stream_socket *sock(struct basic_stream *s) {
  return s->handle->socket;
}

/* --- sending ------------------------------------------------------------- */

static int log_send_error(struct basic_stream *s, int rv) {
  if (rv == CN_ERR_CONNECTION_RESET || rv == CN_ERR_CONNECTION_CLOSED ||
      rv == CN_ERR_CONNECTION_ABORTED)
    cn_net_log_fail(s->log, "Send failure: %s",
                    rv == CN_ERR_CONNECTION_RESET ? "Connection reset by peer"
                                                  : "Broken pipe");
  return rv;
}

static int do_write(struct basic_stream *s) {
  s->next_state = STATE_WRITE_COMPLETE;
  return sock(s)->ops->write(sock(s), (const uint8_t *)s->out.data + s->out_off,
                             s->out.len - s->out_off, on_io_complete, s);
}

static int do_write_complete(struct basic_stream *s, int rv) {
  if (rv < 0)
    return log_send_error(s, rv);
  s->out_off += (size_t)rv;
  if (s->out_off < s->out.len) {
    s->next_state = STATE_WRITE;
    return CN_OK;
  }
  cn_buf_reset(&s->out);
  s->out_off = 0;
  if (s->req->upload && !s->upload_done) {
    s->next_state = STATE_READ_UPLOAD;
    return CN_OK;
  }
  cn_net_log_text(s->log, "Request completely sent off");
  return CN_OK; /* STATE_NONE: the request is sent */
}

/* upload_size: the body's size as framing goes, -1 when unknown. A body
 * sent chunked ends when the reader says so, whatever size was set
 * (libcurl ignores the size then). */
static int64_t upload_size(const struct basic_stream *s) {
  return s->upload_chunked ? -1 : s->req->upload->size;
}

static int do_read_upload(struct basic_stream *s) {
  s->next_state = STATE_READ_UPLOAD_COMPLETE;
  if (!s->upload_buf) {
    s->upload_buf = cn_malloc(UPLOAD_CHUNK);
    if (!s->upload_buf)
      return CN_ERR_OUT_OF_MEMORY;
  }
  size_t want = UPLOAD_CHUNK;
  struct cn_upload_data_stream *up = s->req->upload;
  int64_t size = upload_size(s);
  if (size >= 0 && (int64_t)want > size - s->body_bytes_sent)
    want = (size_t)(size - s->body_bytes_sent);
  if (want == 0 && !s->upload_chunked)
    return 0;
  return up->ops->read(up, s->upload_buf, want, on_io_complete, s);
}

static int do_read_upload_complete(struct basic_stream *s, int rv) {
  if (rv < 0)
    return rv;
  int64_t size = upload_size(s);
  int err = CN_OK;
  if (rv == 0) {
    s->upload_done = true;
    if (size >= 0 && s->body_bytes_sent < size) {
      cn_net_log_fail(s->log, "Read callback ended the upload early: %lld of "
                      "%lld bytes", (long long)s->body_bytes_sent,
                      (long long)size);
      return CN_ERR_UPLOAD_FILE_CHANGED;
    }
    if (!s->upload_chunked)
      return CN_OK; /* nothing left to send */
    err = cn_buf_append_str(&s->out, "0\r\n\r\n");
  } else {
    cn_net_log_data(s->log, CN_LOG_DATA_OUT, s->upload_buf, (size_t)rv);
    s->body_bytes_sent += rv;
    if (s->upload_chunked)
      err = cn_buf_printf(&s->out, "%x\r\n", rv);
    if (err == CN_OK)
      err = cn_buf_append(&s->out, s->upload_buf, (size_t)rv);
    if (err == CN_OK && s->upload_chunked)
      err = cn_buf_append_str(&s->out, "\r\n");
    if (size >= 0 && s->body_bytes_sent >= size)
      s->upload_done = true;
  }
  if (err != CN_OK)
    return err;
  s->next_state = STATE_WRITE;
  return CN_OK;
}

/* --- receiving ------------------------------------------------------------ */

static int log_recv_error(struct basic_stream *s, int rv) {
  if (rv == CN_ERR_CONNECTION_RESET)
    cn_net_log_fail(s->log, "Recv failure: Connection reset by peer");
  else if (rv == CN_ERR_CONNECTION_ABORTED || rv == CN_ERR_CONNECTION_CLOSED)
    cn_net_log_fail(s->log, "Recv failure: Connection was aborted");
  return rv;
}

static int read_more(struct basic_stream *s) {
  if (!s->rbuf) {
    s->rbuf = cn_malloc(READ_BUF_SIZE);
    if (!s->rbuf)
      return CN_ERR_OUT_OF_MEMORY;
  }
  if (s->rbuf_start == s->rbuf_end)
    s->rbuf_start = s->rbuf_end = 0;
  return sock(s)->ops->read(sock(s), s->rbuf + s->rbuf_end,
                            READ_BUF_SIZE - s->rbuf_end, on_io_complete, s);
}

static int parser_error(struct basic_stream *s, int rv) {
  const char *text = cn_h1_response_parser_error_text(&s->parser);
  if (text)
    cn_net_log_fail(s->log, "%s", text);
  /* The lines before the error are the head response_headers() shows. */
  struct cn_http_response_headers *partial =
      cn_h1_response_parser_take_partial_headers(&s->parser);
  if (partial) {
    cn_http_response_headers_free(s->head);
    s->head = partial;
    s->head_is_final = false;
  }
  return rv;
}

/* http09_body puts the bytes the parser took from an HTTP/0.9 reply back in
 * front of the receive buffer, where the body reader finds them. */
static int http09_body(struct basic_stream *s) {
  const uint8_t *taken;
  size_t taken_len;
  if (!cn_h1_response_parser_http09_body(&s->parser, &taken, &taken_len))
    return CN_OK;
  /* libcurl: a body when none was asked for is a weird reply */
  if (s->req->expect_no_body)
    return CN_ERR_INVALID_HTTP_RESPONSE;
  size_t rest = s->rbuf_end - s->rbuf_start;
  if (taken_len + rest > READ_BUF_SIZE)
    return CN_ERR_RESPONSE_HEADER_LINE_TOO_BIG;
  memmove(s->rbuf + taken_len, s->rbuf + s->rbuf_start, rest);
  memcpy(s->rbuf, taken, taken_len);
  s->rbuf_start = 0;
  s->rbuf_end = taken_len + rest;
  return CN_OK;
}

/* head_done takes the complete head and prepares the body reader for a
 * final one. */
static int head_done(struct basic_stream *s) {
  int hv = http09_body(s);
  if (hv != CN_OK)
    return hv;
  cn_http_response_headers_free(s->head);
  s->head = cn_h1_response_parser_take_headers(&s->parser);
  if (!s->head)
    return CN_ERR_UNEXPECTED;
  int status = s->head->status_code;
  s->head_is_final = !(status >= 100 && status < 200 && status != 101);
  if (!s->head_is_final)
    return CN_OK;
  int rv = cn_h1_body_reader_init(&s->body, s->head, s->req->expect_no_body);
  if (rv != CN_OK)
    return rv;
  s->body_reader_ready = true;
  if (!s->req->decode_transfer_codings)
    cn_h1_body_reader_length_despite_coding(&s->body, s->head);
  if (s->req->ignore_content_length)
    cn_h1_body_reader_ignore_content_length(&s->body);
  if (s->req->raw_chunked)
    cn_h1_body_reader_pass_raw(&s->body);
  return CN_OK;
}

static int do_read_head(struct basic_stream *s) {
  /* Bytes already buffered come first. */
  if (s->rbuf_start < s->rbuf_end) {
    size_t consumed = 0;
    bool complete = false;
    int rv = cn_h1_response_parser_feed(&s->parser, &consumed, &complete,
                                        s->rbuf + s->rbuf_start,
                                        s->rbuf_end - s->rbuf_start);
    if (rv < 0)
      return parser_error(s, rv);
    s->rbuf_start += consumed;
    if (complete)
      return head_done(s);
  }
  if (s->eof) {
    bool complete = false;
    int rv = cn_h1_response_parser_finish(&s->parser, &complete);
    if (rv < 0) {
      if (rv == CN_ERR_EMPTY_RESPONSE)
        cn_net_log_fail(s->log, "Empty reply from server");
      return rv;
    }
    return complete ? head_done(s) : CN_ERR_EMPTY_RESPONSE;
  }
  s->next_state = STATE_READ_HEAD_COMPLETE;
  return read_more(s);
}

static int do_read_head_complete(struct basic_stream *s, int rv) {
  if (rv < 0) {
    /* Nothing at all came back on a reused connection: the transaction may
     * retry, so report a plain close without a message. */
    if (!cn_h1_response_parser_received_any(&s->parser) &&
        s->handle->is_reused)
      return rv;
    return log_recv_error(s, rv);
  }
  if (rv == 0)
    s->eof = true;
  else
    s->rbuf_end += (size_t)rv;
  s->next_state = STATE_READ_HEAD;
  return CN_OK;
}

static int do_read_body(struct basic_stream *s) {
  if (s->rbuf_start < s->rbuf_end) {
    size_t consumed = 0, produced = 0;
    int rv = cn_h1_body_reader_feed(&s->body, &consumed, &produced,
                                    s->user_buf, s->user_len,
                                    s->rbuf + s->rbuf_start,
                                    s->rbuf_end - s->rbuf_start);
    if (rv < 0) {
      const char *text = cn_h1_body_reader_error_text(&s->body);
      if (text)
        cn_net_log_fail(s->log, "%s", text);
      return rv;
    }
    s->rbuf_start += consumed;
    if (produced > 0)
      return (int)produced;
  }
  if (cn_h1_body_reader_is_done(&s->body)) {
    s->body_done = true;
    return 0;
  }
  if (s->eof) {
    int rv = cn_h1_body_reader_on_eof(&s->body);
    if (rv == CN_ERR_CONTENT_LENGTH_MISMATCH)
      cn_net_log_fail(s->log, "transfer closed with %lld bytes remaining to "
                      "read", (long long)cn_h1_body_reader_remaining(&s->body));
    else if (rv == CN_ERR_INCOMPLETE_CHUNKED_ENCODING)
      cn_net_log_fail(s->log, "transfer closed with outstanding read data "
                              "remaining");
    if (rv == CN_OK)
      s->body_done = true;
    return rv;
  }
  s->next_state = STATE_READ_BODY_COMPLETE;
  return read_more(s);
}

static int do_read_body_complete(struct basic_stream *s, int rv) {
  if (rv < 0)
    return log_recv_error(s, rv);
  if (rv == 0)
    s->eof = true;
  else
    s->rbuf_end += (size_t)rv;
  s->next_state = STATE_READ_BODY;
  return CN_OK;
}

static int do_loop(struct basic_stream *s, int rv) {
  do {
    enum state state = s->next_state;
    s->next_state = STATE_NONE;
    switch (state) {
    case STATE_WRITE:
      rv = do_write(s);
      break;
    case STATE_WRITE_COMPLETE:
      rv = do_write_complete(s, rv);
      break;
    case STATE_READ_UPLOAD:
      rv = do_read_upload(s);
      break;
    case STATE_READ_UPLOAD_COMPLETE:
      rv = do_read_upload_complete(s, rv);
      break;
    case STATE_READ_HEAD:
      rv = do_read_head(s);
      break;
    case STATE_READ_HEAD_COMPLETE:
      rv = do_read_head_complete(s, rv);
      break;
    case STATE_READ_BODY:
      rv = do_read_body(s);
      break;
    case STATE_READ_BODY_COMPLETE:
      rv = do_read_body_complete(s, rv);
      break;
    case STATE_NONE:
    default:
      rv = CN_ERR_UNEXPECTED;
      break;
    }
  } while (rv != CN_ERR_IO_PENDING && s->next_state != STATE_NONE);
  return rv;
}

/* start runs a loop from |first| and keeps |cb| if it has to wait. */
static int start(struct basic_stream *s, enum state first, cn_completion_fn cb,
                 void *ctx) {
  s->next_state = first;
  int rv = do_loop(s, CN_OK);
  if (rv == CN_ERR_IO_PENDING) {
    s->cb = cb;
    s->cb_ctx = ctx;
  }
  return rv;
}

/* --- interface ------------------------------------------------------------ */

static int send_request(struct cn_http_stream *base,
                        const struct cn_http_request_info *req,
                        cn_completion_fn cb, void *ctx) {
  struct basic_stream *s = (struct basic_stream *)base;
  s->req = req;
  s->upload_chunked = req->upload && req->upload_chunked;
  struct cn_h1_response_parser_options opts = {0};
  opts.reused_connection = s->handle->is_reused;
  opts.ignore_content_length = req->ignore_content_length;
  opts.allow_http09 = req->allow_http09;
  opts.http200_aliases = req->http200_aliases;
  opts.num_http200_aliases = req->num_http200_aliases;
  cn_h1_response_parser_cleanup(&s->parser);
  cn_h1_response_parser_init(&s->parser, &opts);
  int rv = cn_h1_request_writer_write(&s->out, req->method,
                                      req->request_target, req->http_minor,
                                      req->headers);
  if (rv != CN_OK)
    return rv;
  s->head_bytes = (int64_t)s->out.len;
  cn_net_log_data(s->log, CN_LOG_HEADER_OUT, s->out.data, s->out.len);
  return start(s, STATE_WRITE, cb, ctx);
}

static int read_response_headers(struct cn_http_stream *base,
                                 cn_completion_fn cb, void *ctx) {
  struct basic_stream *s = (struct basic_stream *)base;
  if (s->head && !s->head_is_final)
    cn_h1_response_parser_next_head(&s->parser);
  return start(s, STATE_READ_HEAD, cb, ctx);
}

static const struct cn_http_response_headers *response_headers(
    struct cn_http_stream *base) {
  return ((struct basic_stream *)base)->head;
}

static int read_response_body(struct cn_http_stream *base, uint8_t *buf,
                              size_t len, cn_completion_fn cb, void *ctx) {
  struct basic_stream *s = (struct basic_stream *)base;
  if (!s->body_reader_ready)
    return CN_ERR_UNEXPECTED;
  if (s->body_done)
    return 0;
  s->user_buf = buf;
  s->user_len = len;
  return start(s, STATE_READ_BODY, cb, ctx);
}

static bool received_response_bytes(struct cn_http_stream *base) {
  struct basic_stream *s = (struct basic_stream *)base;
  /* libcurl retries a reused connection only while not even one complete
   * line of a response arrived. */
  return cn_h1_response_parser_total_header_bytes(&s->parser) > 0;
}

static int64_t bytes_sent(struct cn_http_stream *base, int64_t *out_body) {
  struct basic_stream *s = (struct basic_stream *)base;
  if (out_body)
    *out_body = s->body_bytes_sent;
  return s->head_bytes;
}

static bool can_reuse_connection(struct cn_http_stream *base) {
  struct basic_stream *s = (struct basic_stream *)base;
  return s->body_done && s->body_reader_ready && !s->eof &&
         s->rbuf_start == s->rbuf_end &&
         cn_h1_body_reader_is_reusable(&s->body) &&
         (!s->req->upload || s->upload_done);
}

static void destroy(struct cn_http_stream *base) {
  struct basic_stream *s = (struct basic_stream *)base;
  if (s->cb && s->handle->socket)
    s->handle->socket->ops->cancel_io(s->handle->socket);
  cn_buf_cleanup(&s->out);
  cn_free(s->upload_buf);
  cn_free(s->rbuf);
  cn_h1_response_parser_cleanup(&s->parser);
  cn_http_response_headers_free(s->head);
  if (s->body_reader_ready)
    cn_h1_body_reader_cleanup(&s->body);
  cn_free(s);
}

static const struct cn_http_stream_ops basic_stream_ops = {
    send_request,       read_response_headers, response_headers,
    read_response_body, received_response_bytes, bytes_sent,
    can_reuse_connection, destroy};

struct cn_http_stream *cn_http_basic_stream_new(
    struct cn_client_socket_handle *handle, const struct cn_net_log *log) {
  struct basic_stream *s = cn_calloc(1, sizeof(*s));
  if (!s)
    return NULL;
  s->base.ops = &basic_stream_ops;
  s->handle = handle;
  s->log = log;
  cn_buf_init(&s->out, 0);
  cn_h1_response_parser_init(&s->parser, NULL);
  return &s->base;
}
