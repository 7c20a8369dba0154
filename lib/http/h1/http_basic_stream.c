/* http_basic_stream.c: HTTP/1.1 request/response over a pooled socket.
 * Three DoLoops share one pending-callback slot: sending (head, then body
 * from the upload stream, chunked when its size is unknown), reading the
 * head, and reading the body. With "Expect: 100-continue" sending reads
 * too: between head and body it waits for the server's answer (libcurl's
 * exp100 reader), and a head that arrives then is kept for
 * read_response_headers. While the body goes out a read of its own (the
 * watch) looks for an early answer, as libcurl reads while it sends: a
 * final answer of 300 or more stops the upload; any other final answer
 * (or any, with CURLOPT_KEEP_SENDING_ON_ERROR) is handed out at once
 * while the body goes on in the background, and the response's end waits
 * for the body's (a program may hold its upload until it saw the answer).
 *
 * Sending and reading are two DoLoops with their own state and pending
 * callback, so that both can wait at once. */
#include "http/h1/http_basic_stream.h"

#include <stdio.h>
#include <string.h>

#include "http/h1/body_reader.h"
#include "http/h1/request_writer.h"
#include "http/h1/response_parser.h"
#include "http/http_request_info.h"
#include "http/http_response_headers.h"
#include "http/upload_data_stream.h"
#include "socket/proxy_config.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/event_loop.h"
#include "util/net_log.h"

/* Receive buffer: small for the head (bodies without chunked framing are
 * read straight into the caller's buffer), grown once a read fills it:
 * large reads mean fewer syscalls on bulk chunked downloads. */
#define READ_BUF_SIZE (16 * 1024)
#define READ_BUF_MAX (64 * 1024)
/* Upload chunk read from the program at a time (libcurl's default
 * CURLOPT_UPLOAD_BUFFERSIZE). */
#define UPLOAD_CHUNK (64 * 1024)

enum state {
  STATE_NONE,
  STATE_WRITE,
  STATE_WRITE_COMPLETE,
  STATE_READ_UPLOAD,
  STATE_READ_UPLOAD_COMPLETE,
  STATE_WAIT_100,
  STATE_WAIT_100_COMPLETE,
  STATE_READ_HEAD,
  STATE_READ_HEAD_COMPLETE,
  STATE_READ_BODY,
  STATE_READ_BODY_COMPLETE,
  STATE_READ_BODY_DIRECT_COMPLETE,
};

struct basic_stream {
  struct cn_http_stream base;
  struct cn_client_socket_handle *handle; /* borrowed */
  const struct cn_net_log *log;           /* borrowed */
  const struct cn_http_request_info *req; /* borrowed */
  struct cn_event_loop *loop;             /* borrowed */
  enum state send_state; /* the send DoLoop's next step */
  enum state next_state; /* the read DoLoops' (head, body) */

  /* Sending. */
  struct cn_buf out; /* bytes to write: the head, then body pieces */
  size_t out_off;
  uint8_t *upload_buf;
  bool upload_done;
  bool upload_chunked;
  int64_t head_bytes;
  bool head_sent;          /* the head's last byte was written */
  int64_t body_bytes_sent; /* the program's body bytes */
  /* ... as they go out: chunk framing and trailers included, as libcurl
   * counts upload progress and CURLINFO_SIZE_UPLOAD. */
  int64_t body_wire_bytes;
  /* Expect: 100-continue. */
  bool expect_waited;   /* the wait for the answer happened */
  bool upload_aborted;  /* a final answer came first: no body sent */
  bool close_after;     /* ... and the connection cannot be reused */
  struct cn_timer expect_timer;
  /* The watch: a socket read beside the body's sending. */
  bool watching;         /* that read is pending */
  bool send_detached;    /* a final answer came: the send goes on with
                            nobody waiting for it (send_cb NULL) */
  bool detach_wanted;    /* ... came while the send loop ran */
  bool end_waits_send;   /* the body read ended; its 0 waits for the send */
  bool detached_send_failed; /* libcurl fails the transfer (SEND_ERROR) */
  bool watch_adopted;    /* the head reader waits on it */
  int watch_error;       /* what it failed with, CN_OK if nothing */
  bool watch_error_parse; /* ... a bad head rather than a receive error */

  /* Receiving. */
  uint8_t *rbuf;
  size_t rbuf_cap;
  size_t rbuf_start, rbuf_end;
  bool rbuf_filled; /* the last read filled all the room it was given */
  bool eof;
  struct cn_h1_response_parser parser;
  struct cn_http_response_headers *head; /* owned: the latest complete head */
  bool head_is_final;
  bool head_pending; /* |head| arrived while sending, not handed out yet */
  bool body_reader_ready;
  bool socket_reads_ahead; /* TLS: small reads are no system calls */
  struct cn_h1_body_reader body;
  bool body_done;
  struct cn_http_response_headers *trailers; /* owned, built at the end */
  uint8_t *user_buf; /* read_response_body's destination */
  size_t user_len;

  cn_completion_fn cb; /* pending read completion */
  void *cb_ctx;
  cn_completion_fn send_cb; /* pending send_request completion */
  void *send_ctx;
};

static int do_loop(struct basic_stream *s, enum state *slot, int rv);
static bool watch(struct basic_stream *s);
static int send_loop_done(struct basic_stream *s, int rv);

static void complete_read(struct basic_stream *s, int rv) {
  cn_completion_fn cb = s->cb;
  s->cb = NULL;
  if (cb)
    cb(s->cb_ctx, rv);
}

static void on_io_complete(void *ctx, int rv) {
  struct basic_stream *s = ctx;
  rv = do_loop(s, &s->next_state, rv);
  if (rv != CN_ERR_IO_PENDING)
    complete_read(s, rv);
}

/* complete_send tells the transaction (if it still waits: not once the
 * send is detached) how send_request ended. */
static void complete_send(struct basic_stream *s, int rv) {
  cn_completion_fn cb = s->send_cb;
  s->send_cb = NULL;
  if (cb)
    cb(s->send_ctx, rv);
}

static void on_send_io_complete(void *ctx, int rv) {
  struct basic_stream *s = ctx;
  rv = send_loop_done(s, do_loop(s, &s->send_state, rv));
  if (rv != CN_ERR_IO_PENDING)
    complete_send(s, rv);
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
  s->send_state = STATE_WRITE_COMPLETE;
  return sock(s)->ops->write(sock(s), (const uint8_t *)s->out.data + s->out_off,
                             s->out.len - s->out_off, on_send_io_complete, s);
}

static int do_write_complete(struct basic_stream *s, int rv) {
  if (rv < 0)
    return log_send_error(s, rv);
  s->out_off += (size_t)rv;
  if (s->out_off < s->out.len) {
    s->send_state = STATE_WRITE;
    return CN_OK;
  }
  cn_buf_reset(&s->out);
  s->out_off = 0;
  s->head_sent = true;
  if (s->req->upload && !s->upload_done) {
    if (s->req->expect_continue && !s->expect_waited) {
      s->expect_waited = true;
      s->send_state = STATE_WAIT_100;
      return CN_OK;
    }
    s->send_state = STATE_READ_UPLOAD;
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
  /* No answer can come before the head went out. */
  if (s->head_sent && watch(s))
    return CN_OK; /* an answer stopped the upload: the request is over */
  s->send_state = STATE_READ_UPLOAD_COMPLETE;
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
  return up->ops->read(up, s->upload_buf, want, on_send_io_complete, s);
}

/* last_chunk ends a chunked body, with the program's trailers if any. */
static int last_chunk(struct basic_stream *s) {
  const struct cn_http_request_info *req = s->req;
  if (!req->upload_trailers)
    return cn_buf_append_str(&s->out, "0\r\n\r\n");
  int rv = cn_buf_append_str(&s->out, "0\r\n");
  if (rv == CN_OK)
    rv = req->upload_trailers(req->upload_trailers_ctx, &s->out);
  if (rv == CN_OK)
    rv = cn_buf_append_str(&s->out, "\r\n");
  return rv;
}

static int do_read_upload_complete(struct basic_stream *s, int rv) {
  if (rv < 0)
    return rv;
  int64_t size = upload_size(s);
  int err = CN_OK;
  size_t queued = s->out.len;
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
    err = last_chunk(s);
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
  s->body_wire_bytes += (int64_t)(s->out.len - queued);
  s->send_state = STATE_WRITE;
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

/* read_into_rbuf reads what fits after the buffered bytes; |cb| completes
 * a pending read. */
static int read_into_rbuf(struct basic_stream *s, cn_completion_fn cb) {
  if (!s->rbuf) {
    s->rbuf = cn_malloc(READ_BUF_SIZE);
    if (!s->rbuf)
      return CN_ERR_OUT_OF_MEMORY;
    s->rbuf_cap = READ_BUF_SIZE;
  }
  if (s->rbuf_filled && s->rbuf_cap < READ_BUF_MAX) {
    uint8_t *bigger = cn_realloc(s->rbuf, READ_BUF_MAX);
    if (bigger) { /* else go on with the small one */
      s->rbuf = bigger;
      s->rbuf_cap = READ_BUF_MAX;
    }
  }
  s->rbuf_filled = false;
  if (s->rbuf_start == s->rbuf_end)
    s->rbuf_start = s->rbuf_end = 0;
  if (s->rbuf_end == s->rbuf_cap) {
    /* A head line longer than the buffer: make room at the front. */
    memmove(s->rbuf, s->rbuf + s->rbuf_start, s->rbuf_end - s->rbuf_start);
    s->rbuf_end -= s->rbuf_start;
    s->rbuf_start = 0;
  }
  return sock(s)->ops->read(sock(s), s->rbuf + s->rbuf_end,
                            s->rbuf_cap - s->rbuf_end, cb, s);
}

static int read_more(struct basic_stream *s) {
  return read_into_rbuf(s, on_io_complete);
}

/* rbuf_got records |n| bytes read into rbuf by read_more. */
static void rbuf_got(struct basic_stream *s, size_t n) {
  s->rbuf_filled = s->rbuf_end + n == s->rbuf_cap;
  s->rbuf_end += n;
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
  if (s->head->version_major == 1)
    s->handle->http_version_seen = s->head->version_minor == 0 ? 10 : 11;
  if (!s->head_is_final)
    return CN_OK;
  int rv = cn_h1_body_reader_init(&s->body, s->head, s->req->expect_no_body);
  if (rv != CN_OK)
    return rv;
  s->body_reader_ready = true;
  struct cn_tls_info tls = {0};
  if (sock(s)->ops->get_tls_info)
    sock(s)->ops->get_tls_info(sock(s), &tls);
  s->socket_reads_ahead = tls.is_tls;
  if (!s->req->decode_transfer_codings)
    cn_h1_body_reader_length_despite_coding(&s->body, s->head);
  if (s->req->ignore_content_length)
    cn_h1_body_reader_ignore_content_length(&s->body);
  if (s->req->raw_chunked)
    cn_h1_body_reader_pass_raw(&s->body);
  return CN_OK;
}

/* parse_buffered feeds the buffered bytes to the head parser; *out_complete
 * says a head was completed and taken (head_done). */
static int parse_buffered(struct basic_stream *s, bool *out_complete) {
  *out_complete = false;
  if (s->rbuf_start == s->rbuf_end)
    return CN_OK;
  size_t consumed = 0;
  bool complete = false;
  int rv = cn_h1_response_parser_feed(&s->parser, &consumed, &complete,
                                      s->rbuf + s->rbuf_start,
                                      s->rbuf_end - s->rbuf_start);
  if (rv < 0)
    return parser_error(s, rv);
  s->rbuf_start += consumed;
  if (!complete)
    return CN_OK;
  *out_complete = true;
  return head_done(s);
}

static int do_read_head(struct basic_stream *s) {
  /* Bytes already buffered come first. */
  bool got_head = false;
  int hv = parse_buffered(s, &got_head);
  if (hv != CN_OK || got_head)
    return hv;
  if (s->watch_error) {
    int err = s->watch_error;
    s->watch_error = CN_OK;
    if (s->watch_error_parse)
      return err; /* the parser said why */
    s->next_state = STATE_READ_HEAD_COMPLETE;
    return err;
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
  if (s->watching) {
    s->watch_adopted = true; /* its result is this read's */
    return CN_ERR_IO_PENDING;
  }
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
    rbuf_got(s, (size_t)rv);
  s->next_state = STATE_READ_HEAD;
  return CN_OK;
}

/* direct_read_len: how many bytes may be read from the socket into the
 * caller's buffer without passing through rbuf, 0 when the body must go
 * through rbuf (bytes still buffered there, chunked framing, EOF seen).
 * A plain socket's read is a system call: a caller's buffer smaller than
 * rbuf's reads would mean more of them than the copy out of rbuf costs,
 * unless the rest of the body fits anyway. A TLS socket reads ahead into
 * its own buffer, so small direct reads cost no extra system call. */
static size_t direct_read_len(const struct basic_stream *s) {
  const struct cn_h1_body_reader *b = &s->body;
  if (s->rbuf_start != s->rbuf_end || s->eof || b->done)
    return 0;
  size_t want = s->user_len;
  bool rest_fits = false;
  if (b->framing == CN_H1_BODY_CONTENT_LENGTH) {
    rest_fits = (uint64_t)b->remaining <= (uint64_t)want;
    if (rest_fits)
      want = (size_t)b->remaining;
  } else if (b->framing != CN_H1_BODY_UNTIL_CLOSE) {
    return 0;
  }
  if (!s->socket_reads_ahead && !rest_fits && want < READ_BUF_MAX)
    return 0;
  return want > INT32_MAX ? INT32_MAX : want;
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
    if (s->send_detached) {
      /* libcurl's transfer ends when both directions did. */
      s->end_waits_send = true;
      return CN_ERR_IO_PENDING;
    }
    return s->detached_send_failed ? CN_ERR_SOCKET_SEND_FAILED : 0;
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
  /* Nothing buffered and no framing to take apart: the socket writes
   * straight into the caller's buffer (for TLS, BoringSSL decrypts into
   * it), never past the body's end. */
  size_t want = direct_read_len(s);
  if (want > 0) {
    s->next_state = STATE_READ_BODY_DIRECT_COMPLETE;
    return sock(s)->ops->read(sock(s), s->user_buf, want, on_io_complete, s);
  }
  s->next_state = STATE_READ_BODY_COMPLETE;
  return read_more(s);
}

static int do_read_body_direct_complete(struct basic_stream *s, int rv) {
  if (rv < 0)
    return log_recv_error(s, rv);
  if (rv == 0) {
    s->eof = true;
    s->next_state = STATE_READ_BODY;
    return CN_OK;
  }
  /* In place: the body reader only counts. */
  size_t consumed = 0, produced = 0;
  int fv = cn_h1_body_reader_feed(&s->body, &consumed, &produced, s->user_buf,
                                  s->user_len, s->user_buf, (size_t)rv);
  if (fv < 0)
    return fv;
  return (int)produced;
}

static int do_read_body_complete(struct basic_stream *s, int rv) {
  if (rv < 0)
    return log_recv_error(s, rv);
  if (rv == 0)
    s->eof = true;
  else
    rbuf_got(s, (size_t)rv);
  s->next_state = STATE_READ_BODY;
  return CN_OK;
}


/* --- Expect: 100-continue ------------------------------------------------ */

/* on_expect_timeout: no answer in time, send the body anyway (libcurl:
 * "Done waiting for 100-continue"). Only the wait's read is pending. */
static void on_expect_timeout(void *ctx) {
  struct basic_stream *s = ctx;
  if (s->send_state != STATE_WAIT_100_COMPLETE)
    return;
  sock(s)->ops->cancel_io(sock(s));
  cn_net_log_text(s->log, "Done waiting for 100-continue");
  s->send_state = STATE_READ_UPLOAD;
  on_send_io_complete(s, CN_OK);
}

/* final_error_stops_upload: libcurl stops sending the body when a final
 * answer of 300 or more arrives first, unless the program keeps sending. */
static bool final_error_stops_upload(struct basic_stream *s) {
  int status = s->head->status_code;
  if (!s->head_is_final || status < 300)
    return false;
  if (s->req->keep_sending_on_error) {
    cn_net_log_text(s->log, "HTTP error before end of send, keep sending");
    return false;
  }
  return true;
}

/* stop_upload ends the request without (the rest of) its body. A 417 the
 * Expect wait got leaves the connection usable for the retry without
 * Expect; anything else closes it, as bytes of the body may be missing. */
static void stop_upload(struct basic_stream *s, bool waiting_100) {
  s->upload_aborted = true;
  s->upload_done = true;
  if (s->head->status_code == 417 && waiting_100) {
    cn_net_log_text(s->log, "Got HTTP failure 417 while waiting for a 100");
    return;
  }
  cn_net_log_text(s->log, s->head->status_code == 417
                              ? "Got HTTP failure 417 while sending data"
                              : "HTTP error before end of send, stop sending");
  s->close_after = true;
}

/* answer_before_body decides what a head that arrived while the body was
 * held back means: 100 (or another interim answer) releases the body, and
 * so does a final one below 300; otherwise final_error_stops_upload. */
static int answer_before_body(struct basic_stream *s) {
  cn_timer_stop(&s->expect_timer);
  s->head_pending = true;
  if (final_error_stops_upload(s))
    stop_upload(s, true); /* the request is over: no body follows */
  else
    s->send_state = STATE_READ_UPLOAD;
  return CN_OK;
}

/* --- the watch: an early answer while the body goes out --------------- */

static void on_watch_read(void *ctx, int rv);

/* took_watch_read handles what the watch read: |rv| bytes, 0 (the server
 * closed) or an error, kept for the head reader. A complete head is kept
 * for read_response_headers and ends the watch. True when it stops the
 * upload; a final answer that lets the upload go on asks for the send to
 * be detached (|detach_wanted|). */
static bool took_watch_read(struct basic_stream *s, int rv) {
  if (rv < 0) {
    s->watch_error = rv;
    return false;
  }
  if (rv == 0) {
    s->eof = true;
    return false;
  }
  rbuf_got(s, (size_t)rv);
  bool got_head = false;
  int hv = parse_buffered(s, &got_head);
  if (hv != CN_OK) {
    s->watch_error = hv;
    s->watch_error_parse = true;
    return false;
  }
  if (!got_head)
    return false;
  s->head_pending = true;
  if (s->upload_done)
    return false;
  if (final_error_stops_upload(s)) {
    stop_upload(s, false);
    return true;
  }
  /* A 101 switches protocols: nothing is read beside the body then. */
  if (s->head_is_final && s->head->status_code != 101)
    s->detach_wanted = true;
  return false;
}

/* watch keeps the watch read going while the body is being sent; true
 * when what it read (without waiting) stops the upload. */
static bool watch(struct basic_stream *s) {
  while (!s->watching && !s->head_pending && !s->eof && !s->watch_error &&
         !s->upload_done && !s->send_detached && !s->detach_wanted) {
    int rv = read_into_rbuf(s, on_watch_read);
    if (rv == CN_ERR_IO_PENDING) {
      s->watching = true;
      return false;
    }
    if (took_watch_read(s, rv))
      return true;
  }
  return false;
}

/* sending: the send DoLoop waits on the socket write or the body source
 * for the transaction (not detached). */
static bool sending(const struct basic_stream *s) {
  return s->send_cb && (s->send_state == STATE_WRITE_COMPLETE ||
                        s->send_state == STATE_READ_UPLOAD_COMPLETE);
}

/* mark_detached: from now on the body goes out in the background, and
 * the transaction is told its request is sent: the answer it is about to
 * read came first. */
static void mark_detached(struct basic_stream *s) {
  s->detach_wanted = false;
  s->send_detached = true;
  cn_net_log_text(s->log, "Response arrived while the body is sent, "
                          "keep sending");
}

static void on_watch_read(void *ctx, int rv) {
  struct basic_stream *s = ctx;
  s->watching = false;
  if (s->watch_adopted) {
    s->watch_adopted = false;
    on_io_complete(s, rv);
    return;
  }
  bool stop = took_watch_read(s, rv) || (sending(s) && watch(s));
  if (sending(s) && s->detach_wanted) {
    mark_detached(s);
    complete_send(s, CN_OK);
    return;
  }
  if (!stop || !sending(s))
    return;
  /* The send's pending step is dropped: a write (the connection closes
   * after this request) or a read of the body source. */
  if (s->send_state == STATE_WRITE_COMPLETE)
    sock(s)->ops->cancel_io(sock(s));
  else
    cn_upload_data_stream_cancel(s->req->upload);
  s->send_state = STATE_NONE;
  complete_send(s, CN_OK);
}

/* send_loop_done sees the send DoLoop stop (|rv|) or wait. Waiting with
 * an answer in hand detaches the send (CN_OK for the transaction now).
 * A detached send's end releases a body read waiting on it; a failure
 * there fails the transfer at the body's end, as libcurl's does. */
static int send_loop_done(struct basic_stream *s, int rv) {
  if (rv == CN_ERR_IO_PENDING) {
    if (s->detach_wanted && !s->send_detached) {
      mark_detached(s);
      return CN_OK;
    }
    return rv;
  }
  s->detach_wanted = false;
  if (!s->send_detached)
    return rv;
  s->send_detached = false;
  if (rv < 0) {
    s->close_after = true;
    s->upload_done = true;
    s->detached_send_failed = true;
  }
  if (s->end_waits_send) {
    s->end_waits_send = false;
    complete_read(s, rv < 0 ? CN_ERR_SOCKET_SEND_FAILED : 0);
  }
  return rv;
}

static int do_wait_100(struct basic_stream *s) {
  bool got_head = false;
  int hv = parse_buffered(s, &got_head);
  if (hv != CN_OK) {
    cn_timer_stop(&s->expect_timer);
    return hv;
  }
  if (got_head)
    return answer_before_body(s);
  if (!cn_timer_armed(&s->expect_timer)) {
    int rv = cn_timer_start(s->loop, &s->expect_timer,
                            s->req->expect_100_timeout_ms);
    if (rv != CN_OK)
      return rv;
  }
  s->send_state = STATE_WAIT_100_COMPLETE;
  return read_into_rbuf(s, on_send_io_complete);
}

static int do_wait_100_complete(struct basic_stream *s, int rv) {
  if (rv <= 0) {
    /* The server closed or failed: no body goes out, and reading the
     * head reports what happened. */
    cn_timer_stop(&s->expect_timer);
    if (rv < 0)
      return log_recv_error(s, rv);
    s->eof = true;
    s->upload_aborted = true;
    s->upload_done = true;
    s->close_after = true;
    return CN_OK;
  }
  s->rbuf_end += (size_t)rv;
  s->send_state = STATE_WAIT_100;
  return CN_OK;
}

/* do_loop runs the DoLoop whose next step |slot| holds (&send_state or
 * &next_state); each step sets the slot of its own loop. */
static int do_loop(struct basic_stream *s, enum state *slot, int rv) {
  do {
    enum state state = *slot;
    *slot = STATE_NONE;
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
    case STATE_WAIT_100:
      rv = do_wait_100(s);
      break;
    case STATE_WAIT_100_COMPLETE:
      rv = do_wait_100_complete(s, rv);
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
    case STATE_READ_BODY_DIRECT_COMPLETE:
      rv = do_read_body_direct_complete(s, rv);
      break;
    case STATE_NONE:
    default:
      rv = CN_ERR_UNEXPECTED;
      break;
    }
  } while (rv != CN_ERR_IO_PENDING && *slot != STATE_NONE);
  return rv;
}

/* start runs a read loop from |first| and keeps |cb| if it has to
 * wait. */
static int start(struct basic_stream *s, enum state first, cn_completion_fn cb,
                 void *ctx) {
  s->next_state = first;
  int rv = do_loop(s, &s->next_state, CN_OK);
  if (rv == CN_ERR_IO_PENDING) {
    s->cb = cb;
    s->cb_ctx = ctx;
  }
  return rv;
}

static int start_send(struct basic_stream *s, enum state first,
                      cn_completion_fn cb, void *ctx) {
  s->send_state = first;
  int rv = send_loop_done(s, do_loop(s, &s->send_state, CN_OK));
  if (rv == CN_ERR_IO_PENDING) {
    s->send_cb = cb;
    s->send_ctx = ctx;
  }
  return rv;
}

/* --- interface ------------------------------------------------------------ */

/* Chromium sends a small in-memory body in the head's write
 * (HttpStreamParser: kMaxMergedHeaderAndBodySize). */
#define MAX_MERGED_HEAD_AND_BODY 1400

/* merge_body: the body's first piece goes out in one write with the head,
 * as libcurl sends the head and the body's start from one buffer, and
 * Chrome a small body. Only for bytes in memory (a program's read callback
 * may hold its body until it saw the answer to the head) and without
 * "Expect: 100-continue". A browser profile keeps Chrome's limit. */
static bool merge_body(const struct basic_stream *s) {
  const struct cn_http_request_info *req = s->req;
  const struct cn_upload_data_stream *up = req->upload;
  if (!up || !up->in_memory || up->size <= 0 || s->upload_chunked ||
      req->expect_continue)
    return false;
  return !req->h2_config ||
         s->out.len + (uint64_t)up->size <= MAX_MERGED_HEAD_AND_BODY;
}

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
  /* A plain HTTP proxy's Proxy-Connection: close counts too. */
  opts.via_http_proxy = req->socket.proxy &&
                        req->socket.proxy->http.type != CN_PROXY_NONE &&
                        !req->socket.proxy->tunnel;
  opts.http200_aliases = req->http200_aliases;
  opts.num_http200_aliases = req->num_http200_aliases;
  cn_h1_response_parser_cleanup(&s->parser);
  cn_h1_response_parser_init(&s->parser, &opts);
  /* libcurl: a connection that answered HTTP/1.0 gets HTTP/1.0. */
  int minor = s->handle->http_version_seen == 10 ? 0 : req->http_minor;
  int rv = cn_h1_request_writer_write(&s->out, req->method,
                                      req->request_target, minor,
                                      req->headers);
  if (rv != CN_OK)
    return rv;
  s->head_bytes = (int64_t)s->out.len;
  cn_net_log_data(s->log, CN_LOG_HEADER_OUT, s->out.data, s->out.len);
  if (!req->upload && req->upload_chunked) {
    /* A chunked request without body data (an auth probe): only the last
     * chunk follows the head. */
    static const char last[] = "0\r\n\r\n";
    rv = cn_buf_append(&s->out, last, sizeof(last) - 1);
    if (rv != CN_OK)
      return rv;
    s->body_wire_bytes = sizeof(last) - 1;
    cn_net_log_data(s->log, CN_LOG_DATA_OUT, last, sizeof(last) - 1);
  }
  return start_send(s, merge_body(s) ? STATE_READ_UPLOAD : STATE_WRITE, cb,
                    ctx);
}

static int read_response_headers(struct cn_http_stream *base,
                                 cn_completion_fn cb, void *ctx) {
  struct basic_stream *s = (struct basic_stream *)base;
  if (s->head_pending) {
    s->head_pending = false;
    return CN_OK; /* answered while the body was held back */
  }
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
    *out_body = s->body_wire_bytes;
  return s->head_bytes;
}

static bool can_reuse_connection(struct cn_http_stream *base) {
  struct basic_stream *s = (struct basic_stream *)base;
  return s->body_done && s->body_reader_ready && !s->eof &&
         s->rbuf_start == s->rbuf_end &&
         cn_h1_body_reader_is_reusable(&s->body) && !s->close_after &&
         (!s->req->upload || s->upload_done);
}

/* add_trailer parses one "name: value\r\n" trailer line into |h|. */
static int add_trailer(struct cn_http_response_headers *h, const char *line,
                       size_t len) {
  int rv = cn_http_response_headers_add_raw_line(h, line, len);
  if (rv != CN_OK)
    return rv;
  const char *colon = memchr(line, ':', len);
  if (!colon)
    return CN_OK; /* kept as text for the header callback only */
  size_t name_len = (size_t)(colon - line);
  const char *v = colon + 1;
  size_t vlen = len - name_len - 1;
  while (vlen && (*v == ' ' || *v == '\t')) {
    v++;
    vlen--;
  }
  while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' ||
                  v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
    vlen--;
  return cn_http_response_headers_add(h, line, name_len, v, vlen);
}

static const struct cn_http_response_headers *response_trailers(
    struct cn_http_stream *base) {
  struct basic_stream *s = (struct basic_stream *)base;
  if (s->trailers || !s->body_done || !s->body_reader_ready)
    return s->trailers;
  struct cn_h1_chunked_decoder *d =
      cn_h1_body_reader_chunked_decoder(&s->body);
  size_t n = d ? cn_h1_chunked_decoder_num_trailers(d) : 0;
  if (!n)
    return NULL;
  struct cn_http_response_headers *h = cn_http_response_headers_new();
  int rv = h ? CN_OK : CN_ERR_OUT_OF_MEMORY;
  for (size_t i = 0; rv == CN_OK && i < n; i++) {
    size_t len = 0;
    const char *line = cn_h1_chunked_decoder_trailer(d, i, &len);
    rv = add_trailer(h, line, len);
  }
  if (rv != CN_OK) {
    cn_http_response_headers_free(h);
    return NULL;
  }
  s->trailers = h;
  return h;
}

static void destroy(struct cn_http_stream *base) {
  struct basic_stream *s = (struct basic_stream *)base;
  cn_timer_stop(&s->expect_timer);
  bool send_pending = s->send_state != STATE_NONE;
  if ((s->cb || send_pending || s->watching) && s->handle->socket)
    s->handle->socket->ops->cancel_io(s->handle->socket);
  if (s->send_state == STATE_READ_UPLOAD_COMPLETE)
    cn_upload_data_stream_cancel(s->req->upload);
  cn_buf_cleanup(&s->out);
  cn_free(s->upload_buf);
  cn_free(s->rbuf);
  cn_h1_response_parser_cleanup(&s->parser);
  cn_http_response_headers_free(s->head);
  cn_http_response_headers_free(s->trailers);
  if (s->body_reader_ready)
    cn_h1_body_reader_cleanup(&s->body);
  cn_free(s);
}

static size_t unread_bytes(struct cn_http_stream *base, const uint8_t **out) {
  struct basic_stream *s = (struct basic_stream *)base;
  *out = s->rbuf ? s->rbuf + s->rbuf_start : NULL;
  return s->rbuf_end - s->rbuf_start;
}

static const struct cn_http_stream_ops basic_stream_ops = {
    .send_request = send_request,
    .read_response_headers = read_response_headers,
    .response_headers = response_headers,
    .read_response_body = read_response_body,
    .received_response_bytes = received_response_bytes,
    .bytes_sent = bytes_sent,
    .can_reuse_connection = can_reuse_connection,
    .destroy = destroy,
    .unread_bytes = unread_bytes,
    .response_trailers = response_trailers,
};

struct cn_http_stream *cn_http_basic_stream_new(
    struct cn_client_socket_handle *handle, struct cn_event_loop *loop,
    const struct cn_net_log *log) {
  struct basic_stream *s = cn_calloc(1, sizeof(*s));
  if (!s)
    return NULL;
  s->base.ops = &basic_stream_ops;
  s->handle = handle;
  s->loop = loop;
  cn_timer_init(&s->expect_timer, on_expect_timeout, s);
  s->log = log;
  cn_buf_init(&s->out, 0);
  cn_h1_response_parser_init(&s->parser, NULL);
  return &s->base;
}

const uint8_t *cn_http_basic_stream_leftover(struct cn_http_stream *stream,
                                             size_t *out_len) {
  struct basic_stream *s = (struct basic_stream *)stream;
  *out_len = s->rbuf_end - s->rbuf_start;
  return s->rbuf ? s->rbuf + s->rbuf_start : NULL;
}
