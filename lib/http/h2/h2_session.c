/* h2_session.c: an HTTP/2 connection driven through nghttp2's memory API.
 *
 * Input: one socket read is pending whenever the session is open; what it
 * returns goes to nghttp2_session_mem_recv, whose callbacks hand header
 * fields, DATA and stream ends to the streams' delegates (which only
 * record). Output: whenever something may have been queued, flush() asks
 * nghttp2_session_mem_send for bytes and writes them; one write at a time.
 *
 * Nothing here calls a stream's consumer: delegates post their own tasks.
 * The session is freed by its owner from the event loop (on_dead), never
 * from inside one of its own calls. */
#include "http/h2/h2_session.h"

#include <nghttp2/nghttp2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"

#define READ_BUF_SIZE (64 * 1024)
/* Bytes gathered from nghttp2 before one socket write. */
#define WRITE_CHUNK (64 * 1024)
/* Reads processed per event-loop turn before yielding, so the streams'
 * consumers get to run between bursts of input. */
#define MAX_READS_PER_TURN 8
#define DEFAULT_MAX_STREAMS 100

struct cn_h2_session {
  struct cn_event_loop *loop;
  struct cn_client_socket_handle handle; /* owned socket */
  nghttp2_session *ng;
  struct cn_h2_config config;
  uint32_t max_streams_local;
  long max_idle_s;
  bool single_use;

  /* The socket logs here: a copy of one attached stream's log. */
  struct cn_net_log log;
  const struct cn_h2_stream_ref *log_owner;

  uint8_t *rbuf;
  bool read_pending;
  struct cn_task read_task;
  struct cn_task flush_task;

  struct cn_buf wbuf; /* bytes from nghttp2 not yet written */
  bool write_pending;
  bool in_flush;

  struct cn_h2_stream_ref *streams; /* attached, in attach order */
  size_t num_streams;
  uint64_t num_submitted;
  int32_t last_stream_id;
  bool upgraded; /* h2c upgrade: stream 1 came from HTTP/1.1 */

  bool closed;
  int close_error;
  bool goaway_received;
  int32_t goaway_last_stream_id;
  bool goaway_sent; /* by us, on purpose */
  bool protocol_error; /* nghttp2 tore the connection down */

  struct cn_task dead_task;
  struct cn_timer idle_timer;
  void (*on_dead)(void *ctx, struct cn_h2_session *s);
  void *on_dead_ctx;
  void (*on_idle)(void *ctx, struct cn_h2_session *s);
};

static void flush(struct cn_h2_session *s);
static void feed(struct cn_h2_session *s, const uint8_t *data, int rv);
static void start_reading(struct cn_h2_session *s);

/* Where a socket logs when no transfer is attached. */
static const struct cn_net_log no_log;

/* --- helpers ------------------------------------------------------------- */

static struct cn_stream_socket *sock(struct cn_h2_session *s) {
  return s->handle.socket;
}

static void *ng_malloc(size_t size, void *ud) {
  (void)ud;
  return cn_malloc(size);
}
static void ng_free(void *ptr, void *ud) {
  (void)ud;
  cn_free(ptr);
}
static void *ng_calloc(size_t nmemb, size_t size, void *ud) {
  (void)ud;
  return cn_calloc(nmemb, size);
}
static void *ng_realloc(void *ptr, size_t size, void *ud) {
  (void)ud;
  return cn_realloc(ptr, size);
}

/* fail_all records |fmt| as the error text of every attached stream's
 * transfer (the first failure text of a transfer is the one it keeps). */
static void fail_all(struct cn_h2_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fail_all(struct cn_h2_session *s, const char *fmt, ...) {
  char text[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  for (struct cn_h2_stream_ref *r = s->streams; r; r = r->next)
    cn_net_log_fail(r->log, "%s", text);
}

static void text_all(struct cn_h2_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void text_all(struct cn_h2_session *s, const char *fmt, ...) {
  char text[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  for (struct cn_h2_stream_ref *r = s->streams; r; r = r->next)
    cn_net_log_text(r->log, "%s", text);
}

static int map_ng_error(int ngrv) {
  if (ngrv == NGHTTP2_ERR_NOMEM)
    return CN_ERR_OUT_OF_MEMORY;
  if (ngrv == NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE ||
      ngrv == NGHTTP2_ERR_START_STREAM_NOT_ALLOWED)
    return CN_ERR_HTTP2_SERVER_REFUSED_STREAM;
  return CN_ERR_HTTP2_PROTOCOL_ERROR;
}

/* The error a stream that was still open gets when the connection ends. */
static int stream_error_on_close(const struct cn_h2_session *s,
                                 const struct cn_h2_stream_ref *r, int error) {
  if (s->goaway_received && r->id > s->goaway_last_stream_id)
    return CN_ERR_HTTP2_SERVER_REFUSED_STREAM;
  return error;
}

static void maybe_dead(struct cn_h2_session *s) {
  if (s->closed && s->num_streams == 0 && s->on_dead)
    cn_task_post(s->loop, &s->dead_task);
}

/* session_close ends all I/O; open streams learn the error. The socket
 * object stays until free (its handle still describes the connection). */
static void session_close(struct cn_h2_session *s, int error) {
  if (s->closed)
    return;
  s->closed = true;
  s->close_error = error;
  if (s->read_pending || s->write_pending)
    sock(s)->ops->cancel_io(sock(s));
  s->read_pending = false;
  s->write_pending = false;
  cn_task_cancel(&s->read_task);
  cn_task_cancel(&s->flush_task);
  cn_timer_stop(&s->idle_timer);
  for (struct cn_h2_stream_ref *r = s->streams; r; r = r->next) {
    if (!r->open)
      continue;
    r->open = false;
    r->delegate->on_close(r->ctx, stream_error_on_close(s, r, error), 0);
  }
  maybe_dead(s);
}

/* check_done closes a session nghttp2 has finished with: after a GOAWAY
 * (received, with its streams done, or sent on a protocol error). */
static void check_done(struct cn_h2_session *s) {
  if (s->closed || s->write_pending)
    return;
  if (nghttp2_session_want_read(s->ng) || nghttp2_session_want_write(s->ng))
    return;
  session_close(s, s->protocol_error ? CN_ERR_HTTP2_PROTOCOL_ERROR
                                     : CN_ERR_CONNECTION_CLOSED);
}

static size_t active_streams(const struct cn_h2_session *s) {
  size_t n = 0;
  for (const struct cn_h2_stream_ref *r = s->streams; r; r = r->next)
    if (r->open || r->id == 0)
      n++;
  return n;
}

/* frame_text: libcurl's one-line description of a frame, for error texts. */
static void frame_text(const nghttp2_frame *f, char *buf, size_t len) {
  switch (f->hd.type) {
  case NGHTTP2_DATA:
    snprintf(buf, len, "FRAME[DATA, len=%d, eos=%d, padlen=%d]",
             (int)f->hd.length, !!(f->hd.flags & NGHTTP2_FLAG_END_STREAM),
             (int)f->data.padlen);
    break;
  case NGHTTP2_HEADERS:
    snprintf(buf, len, "FRAME[HEADERS, len=%d, hend=%d, eos=%d]",
             (int)f->hd.length, !!(f->hd.flags & NGHTTP2_FLAG_END_HEADERS),
             !!(f->hd.flags & NGHTTP2_FLAG_END_STREAM));
    break;
  case NGHTTP2_PRIORITY:
    snprintf(buf, len, "FRAME[PRIORITY, len=%d, flags=%d]", (int)f->hd.length,
             f->hd.flags);
    break;
  case NGHTTP2_RST_STREAM:
    snprintf(buf, len, "FRAME[RST_STREAM, len=%d, flags=%d, error=%u]",
             (int)f->hd.length, f->hd.flags, f->rst_stream.error_code);
    break;
  case NGHTTP2_WINDOW_UPDATE:
    snprintf(buf, len, "FRAME[WINDOW_UPDATE, incr=%d]",
             f->window_update.window_size_increment);
    break;
  default:
    snprintf(buf, len, "FRAME[%d, len=%d, flags=%d]", f->hd.type,
             (int)f->hd.length, f->hd.flags);
    break;
  }
}

/* --- nghttp2 callbacks ---------------------------------------------------- */

static struct cn_h2_stream_ref *ref_of(nghttp2_session *ng, int32_t id) {
  return id > 0 ? nghttp2_session_get_stream_user_data(ng, id) : NULL;
}

static int on_header(nghttp2_session *ng, const nghttp2_frame *frame,
                     const uint8_t *name, size_t name_len,
                     const uint8_t *value, size_t value_len, uint8_t flags,
                     void *ud) {
  (void)flags;
  (void)ud;
  /* Fields of a PUSH_PROMISE describe a request we refuse. */
  if (frame->hd.type != NGHTTP2_HEADERS)
    return 0;
  struct cn_h2_stream_ref *r = ref_of(ng, frame->hd.stream_id);
  if (!r)
    return 0;
  int rv = r->delegate->on_header(r->ctx, name, name_len, value, value_len);
  /* nghttp2 resets the stream (INTERNAL_ERROR) and skips the block. */
  return rv < 0 ? NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE : 0;
}

static int on_frame_recv(nghttp2_session *ng, const nghttp2_frame *frame,
                         void *ud) {
  struct cn_h2_session *s = ud;
  switch (frame->hd.type) {
  case NGHTTP2_GOAWAY:
    s->goaway_received = true;
    s->goaway_last_stream_id = frame->goaway.last_stream_id;
    text_all(s, "received GOAWAY, error=%u, last_stream=%u",
             frame->goaway.error_code,
             (unsigned)frame->goaway.last_stream_id);
    break;
  case NGHTTP2_HEADERS: {
    struct cn_h2_stream_ref *r = ref_of(ng, frame->hd.stream_id);
    if (!r)
      break;
    bool eos = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
    int rv = r->delegate->on_headers_done(r->ctx, eos);
    if (rv < 0) {
      nghttp2_submit_rst_stream(ng, NGHTTP2_FLAG_NONE, r->id,
                                NGHTTP2_INTERNAL_ERROR);
    } else if (rv == 1 && !eos && s->config.stream_window_after_headers > 0 &&
               nghttp2_session_get_stream_effective_local_window_size(
                   ng, r->id) < s->config.stream_window_after_headers) {
      /* A failure only leaves the window smaller. */
      (void)nghttp2_session_set_local_window_size(
          ng, NGHTTP2_FLAG_NONE, r->id, s->config.stream_window_after_headers);
    }
    break;
  }
  case NGHTTP2_PUSH_PROMISE:
    /* No push callback: refuse every promise (it only gets here when our
     * SETTINGS allowed push; otherwise nghttp2 treats it as an error). */
    nghttp2_submit_rst_stream(ng, NGHTTP2_FLAG_NONE,
                              frame->push_promise.promised_stream_id,
                              NGHTTP2_REFUSED_STREAM);
    break;
  default:
    break;
  }
  return 0;
}

static int on_data_chunk_recv(nghttp2_session *ng, uint8_t flags,
                              int32_t stream_id, const uint8_t *data,
                              size_t len, void *ud) {
  (void)flags;
  (void)ud;
  /* The connection window reopens at once and each stream's only as its
   * reader takes the bytes: a stream whose transfer is paused (or slow)
   * holds back its own server side without stalling the other streams. */
  nghttp2_session_consume_connection(ng, len);
  struct cn_h2_stream_ref *r = ref_of(ng, stream_id);
  if (r && r->delegate->on_data(r->ctx, data, len) >= 0)
    return 0;
  /* Nobody will read these bytes: give the window back now. */
  nghttp2_session_consume_stream(ng, stream_id, len);
  if (r)
    nghttp2_submit_rst_stream(ng, NGHTTP2_FLAG_NONE, stream_id,
                              NGHTTP2_INTERNAL_ERROR);
  return 0;
}

static int on_stream_close(nghttp2_session *ng, int32_t stream_id,
                           uint32_t error_code, void *ud) {
  (void)ud;
  struct cn_h2_stream_ref *r = ref_of(ng, stream_id);
  if (!r)
    return 0;
  nghttp2_session_set_stream_user_data(ng, stream_id, NULL);
  r->open = false;
  int rv = CN_OK;
  if (error_code == NGHTTP2_REFUSED_STREAM)
    rv = CN_ERR_HTTP2_SERVER_REFUSED_STREAM;
  else if (error_code != NGHTTP2_NO_ERROR)
    rv = CN_ERR_HTTP2_STREAM_ERROR;
  r->delegate->on_close(r->ctx, rv, error_code);
  return 0;
}

static int on_frame_send(nghttp2_session *ng, const nghttp2_frame *frame,
                         void *ud) {
  (void)ng;
  struct cn_h2_session *s = ud;
  if (frame->hd.type == NGHTTP2_GOAWAY && !s->goaway_sent) {
    /* nghttp2 found a connection error and is closing. */
    s->protocol_error = true;
    fail_all(s, "nghttp2 shuts down connection with error %u: %s",
             frame->goaway.error_code,
             nghttp2_http2_strerror(frame->goaway.error_code));
  }
  return 0;
}

static int on_invalid_frame_recv(nghttp2_session *ng,
                                 const nghttp2_frame *frame, int lib_error,
                                 void *ud) {
  (void)ud;
  struct cn_h2_stream_ref *r = ref_of(ng, frame->hd.stream_id);
  if (r) {
    char text[128];
    frame_text(frame, text, sizeof(text));
    cn_net_log_fail(r->log, "[HTTP2] [%d] received invalid frame: %s, "
                    "error %d: %s", (int)r->id, text, lib_error,
                    nghttp2_strerror(lib_error));
  }
  return 0; /* nghttp2 resets the stream or the connection itself */
}

static int on_error(nghttp2_session *ng, int lib_error, const char *msg,
                    size_t len, void *ud) {
  (void)ng;
  (void)lib_error;
  struct cn_h2_session *s = ud;
  cn_net_log_fail(&s->log, "%.*s", (int)len, msg);
  return 0;
}

static ssize_t read_body(nghttp2_session *ng, int32_t stream_id, uint8_t *buf,
                         size_t len, uint32_t *data_flags,
                         nghttp2_data_source *source, void *ud) {
  (void)source;
  (void)ud;
  struct cn_h2_stream_ref *r = ref_of(ng, stream_id);
  if (!r)
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  bool eof = false;
  int n = r->delegate->read_body(r->ctx, buf, len, &eof);
  if (n < 0)
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  if (eof)
    *data_flags |= NGHTTP2_DATA_FLAG_EOF;
  else if (n == 0)
    return NGHTTP2_ERR_DEFERRED;
  return n;
}

/* --- I/O ------------------------------------------------------------------ */

static void on_write_complete(void *ctx, int rv) {
  struct cn_h2_session *s = ctx;
  s->write_pending = false;
  if (rv < 0) {
    fail_all(s, "Failed sending HTTP2 data");
    session_close(s, rv);
    return;
  }
  cn_buf_consume(&s->wbuf, (size_t)rv);
  flush(s);
  check_done(s);
}

/* fill appends what nghttp2 has to send, up to WRITE_CHUNK bytes buffered,
 * so frames queued together leave in one write. */
static int fill(struct cn_h2_session *s) {
  while (s->wbuf.len < WRITE_CHUNK) {
    const uint8_t *data = NULL;
    ssize_t n = nghttp2_session_mem_send(s->ng, &data);
    if (n < 0)
      return map_ng_error((int)n);
    if (n == 0)
      break;
    /* nghttp2 counts these bytes as sent: losing them breaks the
     * connection, which the caller then closes. */
    int rv = cn_buf_append(&s->wbuf, data, (size_t)n);
    if (rv != CN_OK)
      return rv;
  }
  return CN_OK;
}

static void flush(struct cn_h2_session *s) {
  if (s->closed || s->write_pending || s->in_flush)
    return;
  s->in_flush = true;
  while (!s->closed) {
    int rv = fill(s);
    if (rv < 0) {
      session_close(s, rv);
      break;
    }
    if (s->wbuf.len == 0)
      break;
    /* The buffer stays untouched while the write is pending. */
    rv = sock(s)->ops->write(sock(s), (const uint8_t *)s->wbuf.data,
                             s->wbuf.len, on_write_complete, s);
    if (rv == CN_ERR_IO_PENDING) {
      s->write_pending = true;
      break;
    }
    if (rv < 0) {
      fail_all(s, "Failed sending HTTP2 data");
      session_close(s, rv);
      break;
    }
    cn_buf_consume(&s->wbuf, (size_t)rv);
  }
  s->in_flush = false;
}

/* handle_input feeds one read result to nghttp2 and sends what it
 * answers. */
static void handle_input(struct cn_h2_session *s, int rv) {
  feed(s, s->rbuf, rv);
}

static void feed(struct cn_h2_session *s, const uint8_t *data, int rv) {
  if (rv < 0) {
    session_close(s, rv);
    return;
  }
  if (rv == 0) {
    session_close(s, s->protocol_error ? CN_ERR_HTTP2_PROTOCOL_ERROR
                                       : CN_ERR_CONNECTION_CLOSED);
    return;
  }
  ssize_t n = nghttp2_session_mem_recv(s->ng, data, (size_t)rv);
  if (n < 0) {
    fail_all(s, "nghttp2 recv error %zd: %s", n, nghttp2_strerror((int)n));
    session_close(s, n == NGHTTP2_ERR_NOMEM ? CN_ERR_OUT_OF_MEMORY
                                            : CN_ERR_HTTP2_PROTOCOL_ERROR);
    return;
  }
  flush(s);
  check_done(s);
}

static void on_read_complete(void *ctx, int rv) {
  struct cn_h2_session *s = ctx;
  s->read_pending = false;
  handle_input(s, rv);
  start_reading(s);
}

static void start_reading(struct cn_h2_session *s) {
  for (int i = 0; !s->closed && !s->read_pending; i++) {
    if (i == MAX_READS_PER_TURN) {
      cn_task_post(s->loop, &s->read_task);
      return;
    }
    int rv = sock(s)->ops->read(sock(s), s->rbuf, READ_BUF_SIZE,
                                on_read_complete, s);
    if (rv == CN_ERR_IO_PENDING) {
      s->read_pending = true;
      return;
    }
    handle_input(s, rv);
  }
}

static void run_read_task(void *ctx) { start_reading(ctx); }

static void run_flush_task(void *ctx) {
  struct cn_h2_session *s = ctx;
  flush(s);
  check_done(s);
}

static void run_dead_task(void *ctx) {
  struct cn_h2_session *s = ctx;
  if (s->closed && s->num_streams == 0 && s->on_dead)
    s->on_dead(s->on_dead_ctx, s); /* may free |s| */
}

static void goaway(struct cn_h2_session *s) {
  if (s->closed || s->goaway_sent)
    return;
  s->goaway_sent = true;
  nghttp2_submit_goaway(s->ng, NGHTTP2_FLAG_NONE,
                        nghttp2_session_get_last_proc_stream_id(s->ng),
                        NGHTTP2_NO_ERROR, NULL, 0);
  flush(s);
}

static void on_idle_timeout(void *ctx) {
  struct cn_h2_session *s = ctx;
  if (s->num_streams > 0)
    return;
  goaway(s);
  session_close(s, CN_ERR_CONNECTION_CLOSED);
}

/* --- setup ---------------------------------------------------------------- */

static int make_ng_session(struct cn_h2_session *s) {
  nghttp2_session_callbacks *cbs = NULL;
  nghttp2_option *opt = NULL;
  nghttp2_mem mem = {NULL, ng_malloc, ng_free, ng_calloc, ng_realloc};
  int rv = CN_ERR_OUT_OF_MEMORY;
  if (nghttp2_session_callbacks_new(&cbs) != 0 ||
      nghttp2_option_new(&opt) != 0)
    goto out;
  nghttp2_session_callbacks_set_on_header_callback(cbs, on_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(
      cbs, on_data_chunk_recv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cbs, on_stream_close);
  nghttp2_session_callbacks_set_on_frame_send_callback(cbs, on_frame_send);
  nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(
      cbs, on_invalid_frame_recv);
  nghttp2_session_callbacks_set_error_callback2(cbs, on_error);
  /* Windows reopen only as readers take data (cn_h2_session_consume). */
  nghttp2_option_set_no_auto_window_update(opt, 1);
  nghttp2_option_set_peer_max_concurrent_streams(opt, DEFAULT_MAX_STREAMS);
#if NGHTTP2_VERSION_NUM >= 0x013200
  /* libcurl accepts field values with surrounding blanks (it trims). */
  nghttp2_option_set_no_rfc9113_leading_and_trailing_ws_validation(opt, 1);
#endif
  if (nghttp2_session_client_new3(&s->ng, cbs, s, opt, &mem) != 0) {
    s->ng = NULL;
    goto out;
  }
  /* Skipped ids are never used: RFC 9113 5.1.1 lets a client open any
   * higher odd id first (they count as closed). */
  if (s->config.first_stream_id > 1 &&
      nghttp2_session_set_next_stream_id(
          s->ng, (int32_t)(s->config.first_stream_id | 1)) != 0) {
    nghttp2_session_del(s->ng);
    s->ng = NULL;
    goto out;
  }
  rv = CN_OK;
out:
  nghttp2_option_del(opt);
  nghttp2_session_callbacks_del(cbs);
  return rv;
}

/* queue_preamble submits the configured connection start: SETTINGS, the
 * connection WINDOW_UPDATE and PRIORITY frames, in that order on the wire
 * (nghttp2 sends SETTINGS from its urgent queue before the others). */
static int queue_preamble(struct cn_h2_session *s) {
  const struct cn_h2_config *c = &s->config;
  nghttp2_settings_entry iv[CN_H2_MAX_SETTINGS];
  for (size_t i = 0; i < c->num_settings; i++) {
    iv[i].settings_id = c->settings[i].id;
    iv[i].value = c->settings[i].value;
  }
  int rv = nghttp2_submit_settings(s->ng, NGHTTP2_FLAG_NONE, iv,
                                   c->num_settings);
  if (rv == 0 && c->connection_window_increment > 0)
    rv = nghttp2_submit_window_update(
        s->ng, NGHTTP2_FLAG_NONE, 0, (int32_t)c->connection_window_increment);
  for (size_t i = 0; rv == 0 && i < c->num_priority_frames; i++) {
    const struct cn_h2_priority_frame *p = &c->priority_frames[i];
    nghttp2_priority_spec spec;
    nghttp2_priority_spec_init(&spec, p->priority.depends_on,
                               p->priority.weight, p->priority.exclusive);
    rv = nghttp2_submit_priority(s->ng, NGHTTP2_FLAG_NONE, p->stream_id,
                                 &spec);
  }
  if (rv == 0)
    return CN_OK;
  return rv == NGHTTP2_ERR_NOMEM ? CN_ERR_OUT_OF_MEMORY
                                 : CN_ERR_INVALID_ARGUMENT;
}

static bool config_valid(const struct cn_h2_config *c) {
  if (c->num_settings > CN_H2_MAX_SETTINGS ||
      c->num_priority_frames > CN_H2_MAX_PRIORITY_FRAMES ||
      c->connection_window_increment > 0x7fffffffu ||
      c->stream_window_after_headers < 0)
    return false;
  bool seen[CN_H2_NUM_PSEUDO] = {false};
  for (size_t i = 0; i < CN_H2_NUM_PSEUDO; i++) {
    unsigned p = (unsigned)c->pseudo_order[i];
    if (p >= CN_H2_NUM_PSEUDO || seen[p])
      return false;
    seen[p] = true;
  }
  return c->headers_priority.weight >= 1 && c->headers_priority.weight <= 256;
}

/* alloc_session makes a session without nghttp2 state or socket. */
static struct cn_h2_session *
alloc_session(const struct cn_h2_session_params *params,
              const struct cn_h2_config *cfg) {
  struct cn_h2_session *s = cn_calloc(1, sizeof(*s));
  if (!s)
    return NULL;
  s->loop = params->loop;
  s->config = *cfg;
  s->max_streams_local = params->max_concurrent_streams
                             ? params->max_concurrent_streams
                             : DEFAULT_MAX_STREAMS;
  s->max_idle_s = params->max_idle_s;
  s->single_use = params->single_use;
  s->on_dead = params->on_dead;
  s->on_dead_ctx = params->on_dead_ctx;
  s->on_idle = params->on_idle;
  cn_buf_init(&s->wbuf, 0);
  cn_task_init(&s->read_task, run_read_task, s);
  cn_task_init(&s->flush_task, run_flush_task, s);
  cn_task_init(&s->dead_task, run_dead_task, s);
  cn_timer_init(&s->idle_timer, on_idle_timeout, s);
  s->rbuf = cn_malloc(READ_BUF_SIZE);
  if (!s->rbuf) {
    cn_free(s);
    return NULL;
  }
  return s;
}

/* release ends |s|: its socket goes back to the pool (kept for reuse when
 * |reusable|, with what attachment the handle has), the rest is freed. No
 * socket operation may be pending. */
static void release(struct cn_h2_session *s, bool reusable) {
  cn_task_cancel(&s->read_task);
  cn_task_cancel(&s->flush_task);
  cn_task_cancel(&s->dead_task);
  cn_timer_stop(&s->idle_timer);
  if (s->handle.socket && s->handle.socket->ops->set_net_log)
    s->handle.socket->ops->set_net_log(s->handle.socket, &no_log);
  cn_client_socket_handle_release(&s->handle, reusable);
  if (s->ng)
    nghttp2_session_del(s->ng);
  cn_buf_cleanup(&s->wbuf);
  cn_free(s->rbuf);
  cn_free(s);
}

/* take_socket moves |handle|'s socket into |s| and starts reading from the
 * loop. */
static void take_socket(struct cn_h2_session *s,
                        struct cn_client_socket_handle *handle) {
  /* The socket logs to the session's log (set when a stream attaches). */
  s->handle = *handle;
  memset(handle, 0, sizeof(*handle));
  if (sock(s)->ops->set_net_log)
    sock(s)->ops->set_net_log(sock(s), &s->log);
  /* Like libcurl, let the preface wait for the first request so that both
   * leave in one write (the caller submits right away), and read only
   * after that, so that an ACK of the server's SETTINGS cannot get between
   * them. From the loop the preface goes out on its own. */
  cn_task_post(s->loop, &s->flush_task);
  cn_task_post(s->loop, &s->read_task);
}

int cn_h2_session_new(struct cn_h2_session **out,
                      struct cn_client_socket_handle *handle,
                      const struct cn_h2_session_params *params) {
  struct cn_h2_config defaults;
  const struct cn_h2_config *cfg = params->config;
  if (!cfg) {
    cn_h2_config_init(&defaults);
    cfg = &defaults;
  }
  if (!config_valid(cfg) || !handle->socket)
    return CN_ERR_INVALID_ARGUMENT;
  struct cn_h2_session *s = alloc_session(params, cfg);
  if (!s)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = make_ng_session(s);
  if (rv != CN_OK)
    goto fail;
  if (params->upgrade_settings) {
    int ur = nghttp2_session_upgrade2(s->ng, params->upgrade_settings,
                                      params->upgrade_settings_len,
                                      params->upgrade_head_request, NULL);
    if (ur != 0) {
      rv = ur == NGHTTP2_ERR_NOMEM ? CN_ERR_OUT_OF_MEMORY
                                   : CN_ERR_INVALID_ARGUMENT;
      goto fail;
    }
    s->upgraded = true;
  }
  rv = queue_preamble(s);
  if (rv == CN_OK)
    rv = fill(s); /* before any input: our first frames come first */
  if (rv != CN_OK)
    goto fail;
  take_socket(s, handle);
  *out = s;
  return CN_OK;
fail:
  release(s, false); /* the handle, still the caller's, is not touched */
  return rv;
}

void cn_h2_session_free(struct cn_h2_session *s) {
  if (!s)
    return;
  /* Say goodbye if the socket takes it right away; never wait. */
  goaway(s);
  if (!s->closed && (s->read_pending || s->write_pending))
    sock(s)->ops->cancel_io(sock(s));
  s->closed = true;
  release(s, false);
}

/* --- parking in a share's connection cache -------------------------------- */

/* What waits with the socket in the cache: nghttp2 does no I/O, so its
 * session moves as it is, with what the next owner needs to know. */
struct parked {
  struct cn_socket_attachment base; /* first member */
  nghttp2_session *ng;              /* owned; user data NULL while parked */
  struct cn_h2_config config;
  uint64_t num_submitted;
  int32_t last_stream_id;
  bool upgraded;
};

/* May run on any thread (the cache closes dead sockets where it finds
 * them): nghttp2_session_del calls none of our callbacks. */
static void destroy_parked(struct cn_socket_attachment *a) {
  struct parked *p = (struct parked *)a;
  if (p->ng)
    nghttp2_session_del(p->ng);
  cn_free(p);
}

static struct parked *parked_of(const struct cn_socket_attachment *a) {
  return a && a->destroy == destroy_parked ? (struct parked *)a : NULL;
}

bool cn_h2_session_is_parked(const struct cn_socket_attachment *a) {
  return parked_of(a) != NULL;
}

/* parkable: open, idle, good for more streams, and its connection
 * belongs to a share's connection cache and can leave the loop. */
static bool parkable(struct cn_h2_session *s) {
  return !s->closed && s->num_streams == 0 && !s->single_use &&
         !s->goaway_received && !s->goaway_sent && !s->protocol_error &&
         !s->write_pending && s->wbuf.len == 0 &&
         nghttp2_session_check_request_allowed(s->ng) &&
         !nghttp2_session_want_write(s->ng) &&
         sock(s)->ops->attach_event_loop &&
         cn_client_socket_handle_is_shared(&s->handle);
}

/* quiesce answers what arrived (a PING, SETTINGS) and leaves the socket
 * with no operation pending. False when the session cannot park; reading
 * then goes on from the loop. */
static bool quiesce(struct cn_h2_session *s) {
  flush(s);
  if (!parkable(s))
    return false;
  if (s->read_pending) {
    sock(s)->ops->cancel_io(sock(s));
    s->read_pending = false;
  }
  for (;;) {
    int rv = sock(s)->ops->read(sock(s), s->rbuf, READ_BUF_SIZE,
                                on_read_complete, s);
    if (rv == CN_ERR_IO_PENDING) {
      sock(s)->ops->cancel_io(sock(s));
      return true;
    }
    feed(s, s->rbuf, rv);
    if (!parkable(s)) {
      if (!s->closed)
        cn_task_post(s->loop, &s->read_task);
      return false;
    }
  }
}

bool cn_h2_session_park(struct cn_h2_session *s) {
  if (!parkable(s) || !quiesce(s))
    return false;
  struct parked *p = cn_calloc(1, sizeof(*p));
  if (!p) {
    cn_task_post(s->loop, &s->read_task);
    return false;
  }
  p->base.tag = CN_H2_PARKED_TAG;
  p->base.destroy = destroy_parked;
  p->ng = s->ng;
  p->config = s->config;
  p->num_submitted = s->num_submitted;
  p->last_stream_id = s->last_stream_id;
  p->upgraded = s->upgraded;
  nghttp2_session_set_user_data(p->ng, NULL);
  s->ng = NULL;
  cn_client_socket_handle_set_attachment(&s->handle, &p->base);
  /* The pool still checks the socket and may close it (and |p|). */
  release(s, true);
  return true;
}

int cn_h2_session_adopt(struct cn_h2_session **out,
                        struct cn_client_socket_handle *handle,
                        const struct cn_h2_session_params *params) {
  struct parked *p = parked_of(handle->attachment);
  if (!p || !handle->socket)
    return CN_ERR_INVALID_ARGUMENT;
  struct cn_h2_session *s = alloc_session(params, &p->config);
  if (!s)
    return CN_ERR_OUT_OF_MEMORY;
  s->ng = p->ng;
  s->num_submitted = p->num_submitted;
  s->last_stream_id = p->last_stream_id;
  s->upgraded = p->upgraded;
  nghttp2_session_set_user_data(s->ng, s);
  p->ng = NULL;
  cn_client_socket_handle_set_attachment(handle, NULL); /* frees |p| */
  take_socket(s, handle);
  *out = s;
  return CN_OK;
}

/* --- queries -------------------------------------------------------------- */

uint32_t cn_h2_session_max_concurrent_streams(const struct cn_h2_session *s) {
  uint32_t remote = nghttp2_session_get_remote_settings(
      s->ng, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
  return remote < s->max_streams_local ? remote : s->max_streams_local;
}

bool cn_h2_session_is_available(const struct cn_h2_session *s) {
  if (s->closed || s->goaway_received || s->goaway_sent || s->protocol_error)
    return false;
  if (!nghttp2_session_check_request_allowed(s->ng))
    return false;
  return active_streams(s) < cn_h2_session_max_concurrent_streams(s);
}

bool cn_h2_session_is_closed(const struct cn_h2_session *s) {
  return s->closed;
}

bool cn_h2_session_is_reused(const struct cn_h2_session *s) {
  return s->num_submitted > 0 || s->num_streams > 0 || s->handle.is_reused;
}

size_t cn_h2_session_num_streams(const struct cn_h2_session *s) {
  return s->num_streams;
}

const struct cn_client_socket_handle *cn_h2_session_handle(
    const struct cn_h2_session *s) {
  return &s->handle;
}

const struct cn_h2_config *cn_h2_session_config(const struct cn_h2_session *s) {
  return &s->config;
}

/* --- streams -------------------------------------------------------------- */

void cn_h2_session_attach(struct cn_h2_session *s, struct cn_h2_stream_ref *ref,
                          const struct cn_h2_stream_delegate *delegate,
                          void *ctx, const struct cn_net_log *log) {
  ref->session = s;
  ref->delegate = delegate;
  ref->ctx = ctx;
  ref->log = log;
  ref->id = 0;
  ref->open = false;
  ref->reused = s->num_submitted > 0 || s->handle.is_reused;
  ref->prev = NULL;
  ref->next = s->streams;
  if (s->streams)
    s->streams->prev = ref;
  s->streams = ref;
  s->num_streams++;
  cn_timer_stop(&s->idle_timer);
  if (!s->log_owner && log) {
    s->log = *log;
    s->log_owner = ref;
  }
}

void cn_h2_session_detach(struct cn_h2_stream_ref *ref, size_t unconsumed) {
  struct cn_h2_session *s = ref->session;
  if (!s)
    return;
  if (ref->prev)
    ref->prev->next = ref->next;
  else
    s->streams = ref->next;
  if (ref->next)
    ref->next->prev = ref->prev;
  s->num_streams--;
  if (s->log_owner == ref) {
    s->log_owner = s->streams;
    if (s->streams && s->streams->log)
      s->log = *s->streams->log;
    else
      memset(&s->log, 0, sizeof(s->log));
  }
  if (!s->closed && ref->id > 0) {
    if (unconsumed)
      nghttp2_session_consume_stream(s->ng, ref->id, unconsumed);
    if (ref->open) {
      nghttp2_session_set_stream_user_data(s->ng, ref->id, NULL);
      nghttp2_submit_rst_stream(s->ng, NGHTTP2_FLAG_NONE, ref->id,
                                NGHTTP2_CANCEL);
    }
    flush(s);
  }
  ref->open = false;
  ref->session = NULL;
  if (!s->closed && s->num_streams == 0 && s->single_use) {
    goaway(s);
    session_close(s, CN_ERR_CONNECTION_CLOSED);
  }
  if (!s->closed && s->num_streams == 0 && s->max_idle_s > 0)
    cn_timer_start(s->loop, &s->idle_timer, (int64_t)s->max_idle_s * 1000);
  check_done(s);
  maybe_dead(s);
  /* libcurl gives the connection back to the share when the transfer is
   * done, before curl_easy_perform returns: not from a task. */
  if (!s->closed && s->num_streams == 0 && s->on_idle &&
      cn_client_socket_handle_is_shared(&s->handle))
    s->on_idle(s->on_dead_ctx, s); /* may free |s|: nothing after it */
}

int cn_h2_session_submit(struct cn_h2_stream_ref *ref,
                         const struct cn_h2_header pseudo[CN_H2_NUM_PSEUDO],
                         const struct cn_h2_header *headers,
                         size_t num_headers, bool has_body, int weight,
                         int32_t depends_on, bool exclusive) {
  struct cn_h2_session *s = ref->session;
  /* After a GOAWAY nothing new is processed: safe to send elsewhere. */
  if (s->goaway_received)
    return CN_ERR_HTTP2_SERVER_REFUSED_STREAM;
  if (s->closed)
    return s->close_error < 0 ? s->close_error : CN_ERR_CONNECTION_CLOSED;
  if (s->goaway_sent || s->protocol_error ||
      !nghttp2_session_check_request_allowed(s->ng))
    return CN_ERR_HTTP2_SERVER_REFUSED_STREAM;
  nghttp2_nv *nva = cn_calloc(CN_H2_NUM_PSEUDO + num_headers, sizeof(*nva));
  if (!nva)
    return CN_ERR_OUT_OF_MEMORY;
  size_t n = 0;
  for (size_t i = 0; i < CN_H2_NUM_PSEUDO; i++) {
    const struct cn_h2_header *h = &pseudo[s->config.pseudo_order[i]];
    if (!h->name)
      continue; /* CONNECT has no :scheme or :path */
    nva[n].name = (uint8_t *)h->name;
    nva[n].namelen = h->name_len;
    nva[n].value = (uint8_t *)h->value;
    nva[n].valuelen = h->value_len;
    n++;
  }
  for (size_t i = 0; i < num_headers; i++, n++) {
    nva[n].name = (uint8_t *)headers[i].name;
    nva[n].namelen = headers[i].name_len;
    nva[n].value = (uint8_t *)headers[i].value;
    nva[n].valuelen = headers[i].value_len;
  }
  struct cn_h2_priority_spec prio = s->config.headers_priority;
  if (weight >= 1 && weight <= 256)
    prio.weight = weight;
  if (s->config.depend_on_previous_stream)
    prio.depends_on = s->last_stream_id;
  if (depends_on > 0) {
    prio.depends_on = depends_on;
    prio.exclusive = exclusive;
  }
  nghttp2_priority_spec spec;
  nghttp2_priority_spec_init(&spec, prio.depends_on, prio.weight,
                             prio.exclusive);
  nghttp2_data_provider provider;
  memset(&provider, 0, sizeof(provider));
  provider.read_callback = read_body;
  int32_t id = nghttp2_submit_request(s->ng, &spec, nva, n,
                                      has_body ? &provider : NULL, ref);
  cn_free(nva);
  if (id < 0)
    return map_ng_error(id);
  ref->id = id;
  ref->open = true;
  s->last_stream_id = id;
  s->num_submitted++;
  flush(s);
  if (s->closed && !ref->open)
    return s->close_error < 0 ? s->close_error : CN_ERR_CONNECTION_CLOSED;
  return CN_OK;
}

int cn_h2_session_adopt_upgraded(struct cn_h2_stream_ref *ref) {
  struct cn_h2_session *s = ref->session;
  if (!s->upgraded || s->num_submitted > 0 ||
      nghttp2_session_set_stream_user_data(s->ng, 1, ref) != 0)
    return CN_ERR_UNEXPECTED;
  ref->id = 1;
  ref->open = true;
  s->last_stream_id = 1;
  s->num_submitted++;
  return CN_OK;
}

void cn_h2_session_feed(struct cn_h2_session *s, const uint8_t *data,
                        size_t len) {
  while (len > 0 && !s->closed) {
    int n = len > READ_BUF_SIZE ? READ_BUF_SIZE : (int)len;
    feed(s, data, n);
    data += n;
    len -= (size_t)n;
  }
}

size_t cn_h2_settings_payload(const struct cn_h2_config *config,
                              uint8_t *out, size_t cap) {
  if (config->num_settings > CN_H2_MAX_SETTINGS)
    return 0;
  nghttp2_settings_entry iv[CN_H2_MAX_SETTINGS];
  for (size_t i = 0; i < config->num_settings; i++) {
    iv[i].settings_id = config->settings[i].id;
    iv[i].value = config->settings[i].value;
  }
  ssize_t n = nghttp2_pack_settings_payload(out, cap, iv,
                                            config->num_settings);
  return n > 0 ? (size_t)n : 0;
}

void cn_h2_session_resume_body(struct cn_h2_stream_ref *ref) {
  struct cn_h2_session *s = ref->session;
  if (!s || s->closed || !ref->open)
    return;
  nghttp2_session_resume_data(s->ng, ref->id);
  flush(s);
}

void cn_h2_session_consume(struct cn_h2_stream_ref *ref, size_t len) {
  struct cn_h2_session *s = ref->session;
  if (!s || s->closed || ref->id <= 0 || len == 0)
    return;
  nghttp2_session_consume_stream(s->ng, ref->id, len);
  flush(s);
}

int cn_h2_session_ping(struct cn_h2_session *s) {
  if (s->closed)
    return s->close_error < 0 ? s->close_error : CN_ERR_CONNECTION_CLOSED;
  int rv = nghttp2_submit_ping(s->ng, NGHTTP2_FLAG_NONE, NULL);
  if (rv != 0)
    return map_ng_error(rv);
  flush(s);
  return CN_OK;
}

void cn_h2_session_shutdown(struct cn_h2_session *s) {
  goaway(s);
  check_done(s);
}
