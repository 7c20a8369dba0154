/* h2_stream.c: the cn_http_stream of one HTTP/2 request.
 *
 * The session reports header fields, body bytes and the end of the stream
 * through the delegate functions below, which only record and post the
 * stream's task. The task runs the pending operation (send, read head, read
 * body) as a small DoLoop and completes it through the stored callback, so
 * a consumer is never called from inside the session. The request body is
 * pumped by its own loop (read the upload stream, hand bytes to nghttp2 as
 * it asks for them). */
#include "http/h2/h2_stream.h"

#include <ctype.h>
#include <nghttp2/nghttp2.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include "http/http_request_headers.h"
#include "http/http_request_info.h"
#include "http/http_response_headers.h"
#include "http/upload_data_stream.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_log.h"

/* Upload bytes read from the program at a time (libcurl's default
 * CURLOPT_UPLOAD_BUFFERSIZE). */
#define UPLOAD_CHUNK (64 * 1024)
/* libcurl's MAX_HTTP_RESP_HEADER_SIZE: all header fields of a response. */
#define MAX_RESPONSE_HEADER_BYTES (300 * 1024)

enum op { OP_NONE, OP_SEND, OP_READ_HEAD, OP_READ_BODY };

enum upload_state {
  UPLOAD_NONE,
  UPLOAD_READ,
  UPLOAD_READ_COMPLETE,
};

struct h2_stream {
  struct cn_http_stream base;
  struct cn_h2_session *session; /* borrowed while attached */
  struct cn_h2_stream_ref ref;
  bool attached;
  struct cn_event_loop *loop;
  const struct cn_net_log *log;
  const struct cn_http_request_info *req;
  struct cn_task task;

  enum op pending;
  cn_completion_fn cb;
  void *cb_ctx;
  uint8_t *user_buf;
  size_t user_len;
  size_t user_filled; /* body bytes on_data put straight into user_buf */

  /* Request. */
  int64_t head_bytes;
  bool submitted;
  enum upload_state up_next;
  uint8_t *up_buf;
  size_t up_start, up_end;
  bool up_reading; /* an upload read is pending */
  bool up_eof;     /* the upload stream said 0 */
  bool up_done;    /* nghttp2 took the last byte (END_STREAM) */
  int up_error;
  int64_t body_sent;
  bool sent_logged;

  /* Response. */
  struct cn_http_response_headers *building; /* block being received */
  bool building_trailers;
  size_t header_bytes;
  struct cn_buf line; /* the raw line of the field being received */
  struct cn_http_response_headers **heads; /* complete, not yet handed out */
  size_t num_heads, heads_cap;
  struct cn_http_response_headers *head; /* the one handed out last */
  bool final_head_received;
  struct cn_http_response_headers *trailers;
  struct cn_buf body;
  size_t body_off;
  int64_t body_received;
  bool received_any;
  bool closed;
  int close_rv;
  uint32_t h2_error;
  int error; /* recorded by a delegate: wins over close_rv */
};

static void notify(struct h2_stream *s) {
  cn_task_post(s->loop, &s->task);
}

/* --- request fields ------------------------------------------------------- */

/* Connection-specific fields (RFC 9113 8.2.2; libcurl's H2_NON_FIELD, Host
 * included because it becomes :authority). */
static bool non_field(const char *name, size_t len) {
  static const char *const names[] = {"host", "upgrade", "connection",
                                      "keep-alive", "proxy-connection",
                                      "transfer-encoding"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0)
      return true;
  return false;
}

/* h1_only: a field we generated for HTTP/1.1 only (chunked framing, the
 * 100-continue handshake); libcurl never adds them to HTTP/2 requests. */
static bool h1_only(const struct cn_http_request_header *e, const char *name,
                    size_t len) {
  if (e->from_user)
    return false;
  return (len == 17 && strncasecmp(name, "Transfer-Encoding", 17) == 0) ||
         (len == 6 && strncasecmp(name, "Expect", 6) == 0) ||
         (len == 14 && strncasecmp(name, "HTTP2-Settings", 14) == 0) ||
         (len == 10 && strncasecmp(name, "Connection", 10) == 0) ||
         (len == 7 && strncasecmp(name, "Upgrade", 7) == 0);
}

/* te_has_trailers: the TE value lists the token "trailers". */
static bool te_has_trailers(const char *v, size_t len) {
  size_t i = 0;
  while (i < len) {
    while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
      i++;
    size_t start = i;
    while (i < len && v[i] != ',' && v[i] != ';' && v[i] != ' ' &&
           v[i] != '\t')
      i++;
    if (i - start == 8 && strncasecmp(v + start, "trailers", 8) == 0)
      return true;
    while (i < len && v[i] != ',')
      i++;
  }
  return false;
}

static void set_header(struct cn_h2_header *h, const char *name,
                       const char *value, size_t value_len) {
  h->name = name;
  h->name_len = strlen(name);
  h->value = value;
  h->value_len = value_len;
}

/* Cookie crumbs: "a=1; b=2" splits at each ";" followed by blanks. */
static size_t num_crumbs(const char *v, size_t len) {
  size_t n = 1;
  for (size_t i = 0; i < len; i++)
    if (v[i] == ';')
      n++;
  return n;
}

static void add_field(struct cn_h2_request_fields *out, const char *name,
                      size_t name_len, const char *value, size_t value_len) {
  struct cn_h2_header *h = &out->headers[out->num_headers++];
  h->name = name;
  h->name_len = name_len;
  h->value = value;
  h->value_len = value_len;
}

static void add_crumbs(struct cn_h2_request_fields *out, const char *name,
                       size_t name_len, const char *v, size_t len) {
  size_t i = 0;
  while (i <= len) {
    size_t start = i;
    while (i < len && v[i] != ';')
      i++;
    size_t end = i;
    while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
      end--;
    if (end > start)
      add_field(out, name, name_len, v + start, end - start);
    i++; /* past ';' */
    while (i < len && (v[i] == ' ' || v[i] == '\t'))
      i++;
  }
}

int cn_h2_request_fields_build(struct cn_h2_request_fields *out,
                               const struct cn_http_request_info *req,
                               bool split_cookies) {
  memset(out, 0, sizeof(*out));
  /* A profile's own HTTP/2 list, else the HTTP/1 list converted. */
  const struct cn_http_request_headers *fields =
      req->h2_headers ? req->h2_headers : req->headers;
  size_t n = fields ? cn_http_request_headers_count(fields) : 0;
  size_t names_len = 0, slots = 0;
  for (size_t i = 0; i < n; i++) {
    const struct cn_http_request_header *e =
        cn_http_request_headers_at(fields, i);
    size_t vlen = 0;
    const char *v = cn_http_request_header_value(e, &vlen);
    names_len += e->name_len + 1;
    bool cookie = e->name_len == 6 && strncasecmp(e->line, "cookie", 6) == 0;
    slots += split_cookies && cookie ? num_crumbs(v, vlen) : 1;
  }
  out->headers = cn_calloc(slots ? slots : 1, sizeof(*out->headers));
  out->names = cn_malloc(names_len + 1);
  if (!out->headers || !out->names) {
    cn_h2_request_fields_cleanup(out);
    return CN_ERR_OUT_OF_MEMORY;
  }
  bool connect = strcmp(req->method, "CONNECT") == 0;
  const struct cn_http_request_header *host =
      req->headers ? cn_http_request_headers_find(req->headers, "Host") : NULL;
  set_header(&out->pseudo[CN_H2_PSEUDO_METHOD], ":method", req->method,
             strlen(req->method));
  if (connect) {
    set_header(&out->pseudo[CN_H2_PSEUDO_AUTHORITY], ":authority",
               req->request_target, strlen(req->request_target));
  } else {
    const char *scheme = req->socket.use_tls ? "https" : "http";
    set_header(&out->pseudo[CN_H2_PSEUDO_SCHEME], ":scheme", scheme,
               strlen(scheme));
    set_header(&out->pseudo[CN_H2_PSEUDO_PATH], ":path", req->request_target,
               strlen(req->request_target));
    if (host) {
      size_t vlen = 0;
      const char *v = cn_http_request_header_value(host, &vlen);
      set_header(&out->pseudo[CN_H2_PSEUDO_AUTHORITY], ":authority", v, vlen);
    }
  }
  char *p = out->names;
  for (size_t i = 0; i < n; i++) {
    const struct cn_http_request_header *e =
        cn_http_request_headers_at(fields, i);
    size_t name_len = 0, vlen = 0;
    const char *name = cn_http_request_header_name(e, &name_len);
    const char *value = cn_http_request_header_value(e, &vlen);
    if (non_field(name, name_len) || h1_only(e, name, name_len))
      continue;
    bool te = name_len == 2 && strncasecmp(name, "te", 2) == 0;
    if (te) {
      if (!te_has_trailers(value, vlen))
        continue;
      value = "trailers";
      vlen = 8;
    }
    for (size_t k = 0; k < name_len; k++)
      p[k] = (char)tolower((unsigned char)name[k]);
    p[name_len] = '\0';
    if (split_cookies && name_len == 6 && memcmp(p, "cookie", 6) == 0)
      add_crumbs(out, p, name_len, value, vlen);
    else
      add_field(out, p, name_len, value, vlen);
    p += name_len + 1;
  }
  return CN_OK;
}

void cn_h2_request_fields_cleanup(struct cn_h2_request_fields *f) {
  cn_free(f->headers);
  cn_free(f->names);
  memset(f, 0, sizeof(*f));
}

/* request_text renders the request the way libcurl shows it for HTTP/2
 * (CURLOPT_DEBUGFUNCTION, CURLINFO_REQUEST_SIZE): an HTTP/1-style head
 * with "HTTP/2" in the request line. libcurl never generates chunked
 * framing for HTTP/2, so a Transfer-Encoding we generated is left out. */
static int request_text(struct cn_buf *out,
                        const struct cn_http_request_info *req) {
  int rv = cn_buf_append_str(out, req->method); /* no printf: per request */
  if (rv == CN_OK)
    rv = cn_buf_append_byte(out, ' ');
  if (rv == CN_OK)
    rv = cn_buf_append_str(out, req->request_target);
  if (rv == CN_OK)
    rv = cn_buf_append(out, " HTTP/2\r\n", 9);
  size_t n = req->headers ? cn_http_request_headers_count(req->headers) : 0;
  for (size_t i = 0; rv == CN_OK && i < n; i++) {
    const struct cn_http_request_header *e =
        cn_http_request_headers_at(req->headers, i);
    size_t name_len = 0;
    const char *name = cn_http_request_header_name(e, &name_len);
    if (h1_only(e, name, name_len))
      continue;
    rv = cn_buf_append(out, e->line, e->line_len);
    if (rv == CN_OK)
      rv = cn_buf_append_str(out, "\r\n");
  }
  if (rv == CN_OK)
    rv = cn_buf_append_str(out, "\r\n");
  return rv;
}

static void log_request(struct h2_stream *s,
                        const struct cn_h2_request_fields *f) {
  if (!cn_net_log_verbose(s->log))
    return;
  const struct cn_h2_header *auth = &f->pseudo[CN_H2_PSEUDO_AUTHORITY];
  const struct cn_h2_header *path = &f->pseudo[CN_H2_PSEUDO_PATH];
  cn_net_log_text(s->log, "[HTTP/2] [%d] OPENED stream for %s://%.*s%.*s",
                  (int)s->ref.id, s->req->socket.use_tls ? "https" : "http",
                  (int)auth->value_len, auth->value ? auth->value : "",
                  (int)path->value_len, path->value ? path->value : "");
  for (size_t i = 0; i < CN_H2_NUM_PSEUDO; i++) {
    const struct cn_h2_header *h = &f->pseudo[i];
    if (h->name)
      cn_net_log_text(s->log, "[HTTP/2] [%d] [%.*s: %.*s]", (int)s->ref.id,
                      (int)h->name_len, h->name, (int)h->value_len, h->value);
  }
  for (size_t i = 0; i < f->num_headers; i++) {
    const struct cn_h2_header *h = &f->headers[i];
    cn_net_log_text(s->log, "[HTTP/2] [%d] [%.*s: %.*s]", (int)s->ref.id,
                    (int)h->name_len, h->name, (int)h->value_len, h->value);
  }
}

/* --- delegate (called from inside the session) ---------------------------- */

static int on_header(void *ctx, const uint8_t *name, size_t name_len,
                     const uint8_t *value, size_t value_len) {
  struct h2_stream *s = ctx;
  s->received_any = true;
  if (!s->building) {
    s->building = cn_http_response_headers_new();
    if (!s->building)
      return s->error = CN_ERR_OUT_OF_MEMORY;
    s->building_trailers = s->final_head_received;
  }
  struct cn_http_response_headers *h = s->building;
  s->header_bytes += name_len + value_len + 4;
  if (s->header_bytes > MAX_RESPONSE_HEADER_BYTES) {
    cn_net_log_fail(s->log, "Too large response headers: %zu > %u",
                    s->header_bytes, (unsigned)MAX_RESPONSE_HEADER_BYTES);
    return s->error = CN_ERR_RESPONSE_HEADERS_TOO_BIG;
  }
  /* The raw line libcurl shows for the field, built without printf (this
   * runs for every field of every response). */
  struct cn_buf *line = &s->line;
  cn_buf_reset(line);
  int rv = CN_OK;
  if (name_len == 7 && memcmp(name, ":status", 7) == 0) {
    /* nghttp2 checked it is three digits and comes first. */
    int status = 0;
    for (size_t i = 0; i < value_len; i++)
      status = status * 10 + (value[i] - '0');
    rv = cn_http_response_headers_set_status(h, 2, 0, status, "", 0);
    if (rv == CN_OK)
      rv = cn_buf_append(line, "HTTP/2 ", 7);
    if (rv == CN_OK)
      rv = cn_buf_append(line, value, value_len);
    if (rv == CN_OK)
      rv = cn_buf_append(line, " \r\n", 3);
  } else if (name_len > 0 && name[0] == ':') {
    return CN_OK; /* no other pseudo-header in a response (nghttp2 checks) */
  } else {
    rv = cn_http_response_headers_add(h, (const char *)name, name_len,
                                      (const char *)value, value_len);
    if (rv == CN_OK)
      rv = cn_buf_append(line, name, name_len);
    if (rv == CN_OK)
      rv = cn_buf_append(line, ": ", 2);
    if (rv == CN_OK)
      rv = cn_buf_append(line, value, value_len);
    if (rv == CN_OK)
      rv = cn_buf_append(line, "\r\n", 2);
  }
  if (rv == CN_OK)
    rv = cn_http_response_headers_add_raw_line(h, line->data, line->len);
  if (rv < 0)
    s->error = rv;
  return rv;
}

static int push_head(struct h2_stream *s, struct cn_http_response_headers *h) {
  if (s->num_heads == s->heads_cap) {
    size_t cap = s->heads_cap ? s->heads_cap * 2 : 4;
    void *p = cn_realloc(s->heads, cap * sizeof(*s->heads));
    if (!p)
      return CN_ERR_OUT_OF_MEMORY;
    s->heads = p;
    s->heads_cap = cap;
  }
  s->heads[s->num_heads++] = h;
  return CN_OK;
}

static int on_headers_done(void *ctx, bool end_stream) {
  struct h2_stream *s = ctx;
  (void)end_stream;
  struct cn_http_response_headers *h = s->building;
  s->building = NULL;
  if (!h)
    return 0;
  if (s->building_trailers) {
    cn_http_response_headers_free(s->trailers);
    s->trailers = h;
    return 0;
  }
  int rv = cn_http_response_headers_add_raw_line(h, "\r\n", 2);
  if (rv == CN_OK)
    rv = push_head(s, h);
  if (rv != CN_OK) {
    cn_http_response_headers_free(h);
    return s->error = rv;
  }
  int status = h->status_code;
  notify(s);
  if (status >= 100 && status < 200)
    return 0;
  s->final_head_received = true;
  return 1;
}

static int on_data(void *ctx, const uint8_t *data, size_t len) {
  struct h2_stream *s = ctx;
  if (s->body_off > 0 && s->body_off == s->body.len) {
    cn_buf_reset(&s->body);
    s->body_off = 0;
  }
  s->body_received += (int64_t)len;
  /* A body read waits and nothing is queued before these bytes: they go
   * straight into the reader's buffer (one copy less on bulk downloads);
   * only what does not fit is kept. */
  if (s->pending == OP_READ_BODY && s->body.len == 0 &&
      s->user_filled < s->user_len) {
    size_t n = s->user_len - s->user_filled;
    if (n > len)
      n = len;
    memcpy(s->user_buf + s->user_filled, data, n);
    s->user_filled += n;
    data += n;
    len -= n;
  }
  if (len > 0) {
    int rv = cn_buf_append(&s->body, data, len);
    if (rv != CN_OK)
      return s->error = rv;
  }
  notify(s);
  return 0;
}

static void on_close(void *ctx, int rv, uint32_t h2_error) {
  struct h2_stream *s = ctx;
  s->closed = true;
  s->close_rv = rv;
  s->h2_error = h2_error;
  notify(s);
}

static int read_body(void *ctx, uint8_t *buf, size_t len, bool *out_eof) {
  struct h2_stream *s = ctx;
  if (s->up_error)
    return s->up_error;
  size_t n = s->up_end - s->up_start;
  if (n > len)
    n = len;
  memcpy(buf, s->up_buf + s->up_start, n);
  s->up_start += n;
  if (s->up_start == s->up_end) {
    if (s->up_eof) {
      *out_eof = true;
      s->up_done = true;
    }
    notify(s); /* read more, or complete the send */
  }
  return (int)n;
}

static const struct cn_h2_stream_delegate delegate = {
    on_header, on_headers_done, on_data, on_close, read_body};

/* --- the upload loop ------------------------------------------------------ */

static void upload_loop(struct h2_stream *s, int rv);

static void on_upload_read(void *ctx, int rv) {
  struct h2_stream *s = ctx;
  s->up_reading = false;
  upload_loop(s, rv);
  notify(s);
}

static int do_upload_read(struct h2_stream *s) {
  struct cn_upload_data_stream *up = s->req->upload;
  s->up_next = UPLOAD_READ_COMPLETE;
  size_t want = UPLOAD_CHUNK;
  if (up->size >= 0 && (int64_t)want > up->size - s->body_sent)
    want = (size_t)(up->size - s->body_sent);
  if (want == 0)
    return 0;
  int rv = up->ops->read(up, s->up_buf, want, on_upload_read, s);
  if (rv == CN_ERR_IO_PENDING)
    s->up_reading = true;
  return rv;
}

static int do_upload_read_complete(struct h2_stream *s, int rv) {
  struct cn_upload_data_stream *up = s->req->upload;
  if (rv < 0) {
    s->up_error = rv;
  } else if (rv == 0) {
    s->up_eof = true;
    if (up->size >= 0 && s->body_sent < up->size) {
      cn_net_log_fail(s->log, "Read callback ended the upload early: %lld of "
                      "%lld bytes", (long long)s->body_sent,
                      (long long)up->size);
      s->up_error = CN_ERR_UPLOAD_FILE_CHANGED;
    }
  } else {
    cn_net_log_data(s->log, CN_LOG_DATA_OUT, s->up_buf, (size_t)rv);
    s->up_start = 0;
    s->up_end = (size_t)rv;
    s->body_sent += rv;
  }
  /* nghttp2 asks for the bytes (or learns of the end or the error). */
  cn_h2_session_resume_body(&s->ref);
  return CN_OK;
}

/* upload_loop reads the next piece of the body once nghttp2 has taken the
 * previous one. */
static void upload_loop(struct h2_stream *s, int rv) {
  if (s->up_next == UPLOAD_NONE) {
    if (!s->req || !s->req->upload || !s->submitted || s->up_eof ||
        s->up_error || s->up_reading || s->closed ||
        s->up_start < s->up_end)
      return;
    s->up_next = UPLOAD_READ;
  }
  do {
    enum upload_state state = s->up_next;
    s->up_next = UPLOAD_NONE;
    switch (state) {
    case UPLOAD_READ:
      rv = do_upload_read(s);
      break;
    case UPLOAD_READ_COMPLETE:
      rv = do_upload_read_complete(s, rv);
      break;
    case UPLOAD_NONE:
    default:
      break;
    }
  } while (rv != CN_ERR_IO_PENDING && s->up_next != UPLOAD_NONE);
}

/* --- operations ----------------------------------------------------------- */

static int fail_closed(struct h2_stream *s) {
  if (s->close_rv == CN_ERR_HTTP2_STREAM_ERROR)
    cn_net_log_fail(s->log, "HTTP/2 stream %d was not closed cleanly: %s "
                    "(err %u)", (int)s->ref.id,
                    nghttp2_http2_strerror(s->h2_error), s->h2_error);
  return s->close_rv;
}

static int do_send_inner(struct h2_stream *s);

/* do_send: libcurl says so once the whole request went out. */
static int do_send(struct h2_stream *s) {
  int rv = do_send_inner(s);
  if (rv == CN_OK && !s->sent_logged) {
    s->sent_logged = true;
    cn_net_log_text(s->log, "Request completely sent off");
  }
  return rv;
}

static int do_send_inner(struct h2_stream *s) {
  if (s->error)
    return s->error;
  if (s->up_error)
    return s->up_error;
  /* The connection failed before any answer: sending failed. */
  if (s->closed && s->close_rv < 0 && !s->received_any)
    return s->close_rv == CN_ERR_HTTP2_STREAM_ERROR ? fail_closed(s)
                                                     : s->close_rv;
  if (!s->req->upload || s->up_done)
    return CN_OK;
  if (s->closed) {
    /* The server ended the stream: with a final response the rest of the
     * body is not wanted (libcurl discards it); otherwise reading the
     * head reports what happened. */
    return CN_OK;
  }
  upload_loop(s, CN_OK);
  if (s->up_error)
    return s->up_error;
  return s->up_done ? CN_OK : CN_ERR_IO_PENDING;
}

static int do_read_head(struct h2_stream *s) {
  if (s->num_heads > 0) {
    cn_http_response_headers_free(s->head);
    s->head = s->heads[0];
    memmove(s->heads, s->heads + 1, (s->num_heads - 1) * sizeof(*s->heads));
    s->num_heads--;
    return CN_OK;
  }
  if (s->error)
    return s->error;
  if (!s->closed)
    return CN_ERR_IO_PENDING;
  if (s->close_rv == CN_OK) {
    cn_net_log_fail(s->log, "HTTP/2 stream %d was closed cleanly, but before "
                    "getting  all response header fields, treated as error",
                    (int)s->ref.id);
    return CN_ERR_HTTP2_STREAM_ERROR;
  }
  if (s->close_rv == CN_ERR_HTTP2_STREAM_ERROR ||
      s->close_rv == CN_ERR_HTTP2_SERVER_REFUSED_STREAM ||
      s->close_rv == CN_ERR_HTTP2_PROTOCOL_ERROR)
    return fail_closed(s);
  /* The connection went away. Before any response byte the transaction
   * may retry on a new one; after, it is an HTTP/2 error for libcurl. */
  return s->received_any ? CN_ERR_HTTP2_PROTOCOL_ERROR : s->close_rv;
}

static int do_read_body(struct h2_stream *s) {
  if (s->user_filled > 0) { /* on_data wrote them in place */
    size_t n = s->user_filled;
    s->user_filled = 0;
    cn_h2_session_consume(&s->ref, n);
    return (int)n;
  }
  size_t avail = s->body.len - s->body_off;
  if (avail > 0) {
    size_t n = avail < s->user_len ? avail : s->user_len;
    if (n > (size_t)INT32_MAX)
      n = (size_t)INT32_MAX;
    memcpy(s->user_buf, s->body.data + s->body_off, n);
    s->body_off += n;
    if (s->body_off == s->body.len) {
      cn_buf_reset(&s->body);
      s->body_off = 0;
    }
    /* Only now may the server send more. */
    cn_h2_session_consume(&s->ref, n);
    return (int)n;
  }
  if (s->error)
    return s->error;
  if (!s->closed)
    return CN_ERR_IO_PENDING;
  if (s->close_rv == CN_OK)
    return 0;
  if (s->close_rv == CN_ERR_HTTP2_STREAM_ERROR && s->req->expect_no_body)
    return 0; /* libcurl: an error after the head of a HEAD is ignored */
  if (s->close_rv == CN_ERR_HTTP2_STREAM_ERROR ||
      s->close_rv == CN_ERR_HTTP2_PROTOCOL_ERROR)
    return fail_closed(s);
  if (s->close_rv == CN_ERR_HTTP2_SERVER_REFUSED_STREAM)
    return CN_ERR_HTTP2_STREAM_ERROR;
  return s->body_received > 0 ? CN_ERR_CONTENT_LENGTH_MISMATCH
                              : CN_ERR_HTTP2_PROTOCOL_ERROR;
}

static int run_op(struct h2_stream *s, enum op op) {
  switch (op) {
  case OP_SEND:
    return do_send(s);
  case OP_READ_HEAD:
    return do_read_head(s);
  case OP_READ_BODY:
    return do_read_body(s);
  case OP_NONE:
  default:
    return CN_ERR_UNEXPECTED;
  }
}

static void run_task(void *ctx) {
  struct h2_stream *s = ctx;
  upload_loop(s, CN_OK);
  if (s->pending == OP_NONE)
    return;
  int rv = run_op(s, s->pending);
  if (rv == CN_ERR_IO_PENDING)
    return;
  cn_completion_fn cb = s->cb;
  s->pending = OP_NONE;
  s->cb = NULL;
  cb(s->cb_ctx, rv); /* may destroy |s| */
}

static int start_op(struct h2_stream *s, enum op op, cn_completion_fn cb,
                    void *ctx) {
  int rv = run_op(s, op);
  if (rv == CN_ERR_IO_PENDING) {
    s->pending = op;
    s->cb = cb;
    s->cb_ctx = ctx;
  }
  return rv;
}

/* --- interface ------------------------------------------------------------ */

static int send_request(struct cn_http_stream *base,
                        const struct cn_http_request_info *req,
                        cn_completion_fn cb, void *ctx) {
  struct h2_stream *s = (struct h2_stream *)base;
  s->req = req;
  struct cn_h2_request_fields f;
  struct cn_buf text;
  cn_buf_init(&text, 0);
  int rv = cn_h2_request_fields_build(
      &f, req, cn_h2_session_config(s->session)->split_cookies);
  if (rv != CN_OK)
    goto out_text;
  rv = request_text(&text, req);
  if (rv != CN_OK)
    goto out;
  if (req->upload) {
    s->up_buf = cn_malloc(UPLOAD_CHUNK);
    if (!s->up_buf) {
      rv = CN_ERR_OUT_OF_MEMORY;
      goto out;
    }
  }
  int32_t parent = req->h2_depends_on
                       ? req->h2_depends_on(req->h2_depends_ctx, s->session)
                       : 0;
  rv = cn_h2_session_submit(&s->ref, f.pseudo, f.headers, f.num_headers,
                            req->upload != NULL, req->h2_weight, parent,
                            req->h2_depends_exclusive);
  if (rv != CN_OK)
    goto out;
  s->submitted = true;
  s->head_bytes = (int64_t)text.len;
  log_request(s, &f);
  cn_net_log_data(s->log, CN_LOG_HEADER_OUT, text.data, text.len);
out:
  cn_h2_request_fields_cleanup(&f);
out_text:
  cn_buf_cleanup(&text);
  if (rv != CN_OK)
    return rv;
  return start_op(s, OP_SEND, cb, ctx);
}

static int read_response_headers(struct cn_http_stream *base,
                                 cn_completion_fn cb, void *ctx) {
  return start_op((struct h2_stream *)base, OP_READ_HEAD, cb, ctx);
}

static const struct cn_http_response_headers *response_headers(
    struct cn_http_stream *base) {
  return ((struct h2_stream *)base)->head;
}

static int read_response_body(struct cn_http_stream *base, uint8_t *buf,
                              size_t len, cn_completion_fn cb, void *ctx) {
  struct h2_stream *s = (struct h2_stream *)base;
  if (!s->final_head_received)
    return CN_ERR_UNEXPECTED;
  s->user_buf = buf;
  s->user_len = len > (size_t)INT32_MAX ? (size_t)INT32_MAX : len;
  s->user_filled = 0;
  return start_op(s, OP_READ_BODY, cb, ctx);
}

static bool received_response_bytes(struct cn_http_stream *base) {
  return ((struct h2_stream *)base)->received_any;
}

static int64_t bytes_sent(struct cn_http_stream *base, int64_t *out_body) {
  struct h2_stream *s = (struct h2_stream *)base;
  if (out_body)
    *out_body = s->body_sent;
  return s->head_bytes;
}

static bool can_reuse_connection(struct cn_http_stream *base) {
  (void)base;
  return false; /* the session keeps the connection */
}

static const struct cn_http_response_headers *response_trailers(
    struct cn_http_stream *base) {
  return ((struct h2_stream *)base)->trailers;
}

static void destroy(struct cn_http_stream *base) {
  struct h2_stream *s = (struct h2_stream *)base;
  cn_task_cancel(&s->task);
  if (s->attached)
    cn_h2_session_detach(&s->ref, s->body.len - s->body_off);
  /* An upload read still pending cannot be cancelled (the interface has no
   * cancel); upload streams only go pending when paused, which the api
   * layer does not do yet. */
  cn_free(s->up_buf);
  cn_http_response_headers_free(s->building);
  for (size_t i = 0; i < s->num_heads; i++)
    cn_http_response_headers_free(s->heads[i]);
  cn_free(s->heads);
  cn_http_response_headers_free(s->head);
  cn_http_response_headers_free(s->trailers);
  cn_buf_cleanup(&s->body);
  cn_buf_cleanup(&s->line);
  cn_free(s);
}

static const struct cn_http_stream_ops h2_stream_ops = {
    send_request,       read_response_headers,   response_headers,
    read_response_body, received_response_bytes, bytes_sent,
    can_reuse_connection, destroy,               response_trailers};

struct cn_http_stream *cn_h2_stream_new(struct cn_h2_session *session,
                                        struct cn_event_loop *loop,
                                        const struct cn_net_log *log) {
  struct h2_stream *s = cn_calloc(1, sizeof(*s));
  if (!s)
    return NULL;
  s->base.ops = &h2_stream_ops;
  s->session = session;
  s->loop = loop;
  s->log = log;
  cn_buf_init(&s->body, 0);
  cn_buf_init(&s->line, 0);
  cn_task_init(&s->task, run_task, s);
  cn_h2_session_attach(session, &s->ref, &delegate, s, log);
  s->attached = true;
  return &s->base;
}

int cn_h2_stream_new_upgraded(struct cn_http_stream **out,
                              struct cn_h2_session *session,
                              struct cn_event_loop *loop,
                              const struct cn_net_log *log,
                              const struct cn_http_request_info *req) {
  struct cn_http_stream *base = cn_h2_stream_new(session, loop, log);
  if (!base)
    return CN_ERR_OUT_OF_MEMORY;
  struct h2_stream *s = (struct h2_stream *)base;
  s->req = req;
  s->submitted = true;
  s->up_eof = s->up_done = true;
  s->sent_logged = true;
  int rv = cn_h2_session_adopt_upgraded(&s->ref);
  if (rv != CN_OK) {
    destroy(base);
    return rv;
  }
  *out = base;
  return CN_OK;
}

int32_t cn_h2_stream_id(struct cn_http_stream *stream,
                        const struct cn_h2_session *session) {
  const struct h2_stream *s = (const struct h2_stream *)stream;
  return s->attached && s->session == session ? s->ref.id : 0;
}
