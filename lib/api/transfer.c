/* transfer.c: one easy handle's transfer. Snapshots the options into the
 * lower layers' parameter structs, runs the url_request, and turns its
 * events into the program's callbacks (write, header, debug, progress,
 * read) and into getinfo data. */
#include "api/transfer.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <strings.h>

#include "api/easy_handle.h"
#include "api/error_map.h"
#include "api/impersonate.h"
#include "api/mime_internal.h"
#include "api/multi_handle.h"
#include "api/share_handle.h"
#include "api/ws_internal.h"
#include "dns/host_resolver.h"
#include "http/http_network_session.h"
#include "http/http_proxy_tunnel.h"
#include "http/http_request_info.h"
#include "http/h2/h2_config.h"
#include "impersonate/browser_profile.h"
#include "impersonate/fingerprint.h"
#include "socket/detached_connection.h"
#include "http/http_response_headers.h"
#include "http/upload_data_stream.h"
#include "socket/proxy_resolution.h"
#include "tls/ssl_config.h"
#include "url_request/url_request.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/event_loop.h"
#include "util/net_log.h"
#include "util/time.h"

/* Chromium's ClientSocketPoolManager defaults (normal socket pool). */
#define CHROMIUM_MAX_SOCKETS_PER_GROUP 6
#define CHROMIUM_MAX_SOCKETS_PER_POOL 256

/* libcurl's default connect timeout. */
#define DEFAULT_CONNECT_TIMEOUT_MS 300000L

/* A body read that waits (paused sending, rate limit) to be asked again. */
struct parked_read {
  bool parked;
  uint8_t *buf;
  size_t len;
  cn_completion_fn cb;
  void *ctx;
};

static void park(struct parked_read *p, uint8_t *buf, size_t len,
                 cn_completion_fn cb, void *ctx) {
  p->parked = true;
  p->buf = buf;
  p->len = len;
  p->cb = cb;
  p->ctx = ctx;
}

/* retry_parked asks |s| again for |p|'s read and completes it. */
static void retry_parked(struct parked_read *p,
                         struct cn_upload_data_stream *s) {
  if (!p->parked)
    return;
  p->parked = false;
  int rv = s->ops->read(s, p->buf, p->len, p->cb, p->ctx);
  if (rv != CN_ERR_IO_PENDING)
    p->cb(p->ctx, rv);
}

struct read_upload {
  struct cn_upload_data_stream base;
  struct cn_transfer *t;
  curl_off_t offset; /* where the body starts in the program's data (upload
                        resume); a rewind goes back there */
};

/* What a transfer that may go through a proxy needs: the settings each
 * hop resolves, TLS to an HTTPS proxy, the CONNECT configuration. */
struct transfer_proxy {
  struct cn_proxy_settings settings;
  struct cn_ssl_config ssl;
  struct cn_http_proxy_tunnel_config tunnel;
};

/* The strings of struct cn_transfer_info that record_info fills. */
enum info_string {
  INFO_EFFECTIVE_URL,
  INFO_REDIRECT_URL,
  INFO_CONTENT_TYPE,
  INFO_EFFECTIVE_METHOD,
  INFO_REFERER_USED,
  NUM_INFO_STRINGS
};

struct cn_transfer {
  struct cn_easy *easy;
  struct cn_multi *multi;
  struct cn_url_request *request;
  struct cn_url_request_params params;
  struct cn_ssl_config ssl;
  /* The profile's HTTP/2 shape (owned; NULL without a profile). */
  struct cn_h2_config *h2_config;
  /* Proxies: the settings each hop resolves (owned; NULL when neither an
   * option nor the environment names a proxy), the lines for proxies
   * (owned arrays, strings the program's), what CONNECT answered. */
  struct transfer_proxy *proxy;
  const char **connect_lines;
  const char **proxy_lines;
  int proxy_code;            /* CURLproxycode of a SOCKS failure */
  long connect_code;         /* CURLINFO_HTTP_CONNECTCODE */
  int64_t connect_header_bytes;
  /* The profile made by fingerprint options (CURLOPT_HTTP2_SETTINGS ...)
   * (owned; NULL when the handle has none); |ssl| and the request params
   * point at it. Both profile parts live apart from the transfer: most
   * transfers have no profile, and a smaller transfer is cheaper to
   * allocate and clear. */
  struct cn_custom_profile *custom;
  struct cn_net_log log;
  const char **user_headers; /* owned array; strings are the program's */
  struct cn_upload_data_stream *upload; /* owned */
  struct cn_upload_data_stream *source; /* the body's own source */
  struct send_gate *gate; /* |upload| when there is a body, over |source| */
  bool mime_upload; /* |source| is a MIME/form body */
  struct cn_timer timeout_timer;
  struct cn_timer low_speed_timer;
  curl_off_t low_speed_last_bytes;
  int64_t low_speed_since_us; /* when the speed fell below the limit; 0: not */
  char *url_from_curlu; /* owned: CURLOPT_CURLU's URL */
  char *range;          /* owned: Range value */
  char content_range[96]; /* Content-Range value of a resumed upload */
  const char **connect_to;      /* owned array; strings are the program's */
  const char **http200_aliases; /* owned array; strings are the program's */
  int64_t start_us;
  bool fail_written; /* the error buffer has this transfer's first error */
  bool finished;
  enum cn_error_phase phase;
  int request_no; /* requests answered so far (curl_easy_header numbering) */
  /* record_info wrote the addresses of connection |addresses_conn_id|. */
  bool addresses_recorded;
  int64_t addresses_conn_id;
  /* The previous transfer's info strings (owned, NULL once taken back):
   * a handle fetching again mostly records the same URL, method and
   * content type, and record_info takes an equal one back instead of
   * copying it again. Indexed by enum info_string. */
  char *spare_strings[NUM_INFO_STRINGS];
  curl_off_t dl_now;
  curl_off_t ul_now;
  /* A WebSocket in write-callback mode: after the 101 the transfer goes on
   * reading frames from e->conn (on this multi's loop) until the server
   * closes; the connection is the transfer's then (dropped with it). */
  bool ws_callback_mode;

  /* --- pausing (curl_easy_pause) and CURLOPT_MAX_*_SPEED_LARGE --------- */
  int pause;        /* CURLPAUSE_RECV | CURLPAUSE_SEND in force */
  /* Output the program's callbacks have not taken yet, in order (owned). */
  struct held_chunk *held;
  size_t num_held, cap_held;
  bool complete_pending; /* the request ended while output was held */
  int complete_rv;
  int deferred_error; /* a failure found inside curl_easy_pause */
  struct cn_task unpause_task;
  /* The progress callback's heartbeat: libcurl's easy loop wakes at least
   * once a second and calls it each time, so a program can abort a
   * transfer that waits on a silent server (or stays paused). */
  struct cn_timer progress_timer;
  struct parked_read send; /* what a CURL_READFUNC_PAUSE left pending */
  /* rate limits: waits on timers, never sleeps */
  bool recv_rate_wait;
  struct cn_timer recv_rate_timer;
};

/* Where held output goes once the program takes it again. */
enum held_kind { HELD_BODY, HELD_HEADER, HELD_HEADER_IN_BODY };

struct held_chunk {
  enum held_kind kind;
  struct cn_buf data;
};

/* --- logging: VERBOSE, DEBUGFUNCTION, ERRORBUFFER ------------------------ */

static void debug_out(struct cn_transfer *t, curl_infotype type,
                      const char *data, size_t len) {
  struct cn_easy *e = t->easy;
  if (e->opts.debug_fn) {
    e->opts.debug_fn(e, type, (char *)data, len, e->opts.debug_data);
    return;
  }
  if (!e->opts.verbose)
    return;
  static const char *const prefix[] = {"* ", "< ", "> "};
  if (type > CURLINFO_HEADER_OUT)
    return; /* libcurl's default shows text and headers only */
  FILE *out = e->opts.stderr_stream ? (FILE *)e->opts.stderr_stream : stderr;
  fwrite(prefix[type], 2, 1, out);
  fwrite(data, len, 1, out);
}

static void on_net_log(void *ctx, enum cn_net_log_type type, const char *data,
                       size_t len) {
  struct cn_transfer *t = ctx;
  if (type == CN_LOG_FAIL) {
    char *eb = t->easy->opts.error_buffer;
    if (eb && !t->fail_written) {
      size_t n = len;
      if (n && data[n - 1] == '\n')
        n--;
      if (n > CURL_ERROR_SIZE - 1)
        n = CURL_ERROR_SIZE - 1;
      memcpy(eb, data, n);
      eb[n] = '\0';
    }
    t->fail_written = true;
    if (t->easy->opts.verbose)
      debug_out(t, CURLINFO_TEXT, data, len);
    return;
  }
  debug_out(t, (curl_infotype)type, data, len);
}

/* --- program callbacks ---------------------------------------------------- */

static size_t call_write(struct cn_transfer *t, curl_write_callback fn,
                         void *userdata, const char *data, size_t len) {
  if (!fn)
    return fwrite(data, 1, len, userdata ? (FILE *)userdata : stdout);
  t->easy->in_callback++;
  size_t w = fn((char *)data, 1, len, userdata);
  t->easy->in_callback--;
  return w;
}

static void update_read_pause(struct cn_transfer *t);

/* hold keeps output for later. Body bytes join the last held body chunk;
 * header lines stay one chunk each (one callback call per line). */
static int hold(struct cn_transfer *t, enum held_kind kind, const char *data,
                size_t len) {
  if (kind == HELD_BODY && t->num_held &&
      t->held[t->num_held - 1].kind == HELD_BODY)
    return cn_buf_append(&t->held[t->num_held - 1].data, data, len);
  if (t->num_held == t->cap_held) {
    size_t cap = t->cap_held ? t->cap_held * 2 : 4;
    struct held_chunk *n = cn_realloc(t->held, cap * sizeof(*n));
    if (!n)
      return CN_ERR_OUT_OF_MEMORY;
    t->held = n;
    t->cap_held = cap;
  }
  struct held_chunk *c = &t->held[t->num_held];
  c->kind = kind;
  cn_buf_init(&c->data, 0);
  int rv = cn_buf_append(&c->data, data, len);
  if (rv == CN_OK)
    t->num_held++;
  else
    cn_buf_cleanup(&c->data);
  return rv;
}

static void drop_held(struct cn_transfer *t) {
  for (size_t i = 0; i < t->num_held; i++)
    cn_buf_cleanup(&t->held[i].data);
  cn_free(t->held);
  t->held = NULL;
  t->num_held = t->cap_held = 0;
}

/* Returned by give() when the callback answered CURL_WRITEFUNC_PAUSE. */
#define GIVE_PAUSED 1

static void pause_recv(struct cn_transfer *t) {
  t->pause |= CURLPAUSE_RECV;
  t->easy->paused |= CURLPAUSE_RECV;
  update_read_pause(t);
}

/* give calls the program's callback for |kind| with one piece of output:
 * CN_OK when taken, GIVE_PAUSED, or CN_ERR_WRITE_CALLBACK_FAILED. */
static int give(struct cn_transfer *t, enum held_kind kind, const char *data,
                size_t len) {
  struct cn_easy *e = t->easy;
  curl_write_callback fn = e->opts.write_fn;
  void *ud = e->opts.write_data;
  if (kind == HELD_HEADER) {
    fn = e->opts.header_fn ? e->opts.header_fn : e->opts.write_fn;
    ud = e->opts.header_data;
  }
  size_t w = call_write(t, fn, ud, data, len);
  if (w == len)
    return CN_OK;
  if (w == CURL_WRITEFUNC_PAUSE)
    return GIVE_PAUSED;
  if (kind == HELD_BODY)
    cn_net_log_fail(&t->log,
                    "Failure writing output to destination, passed %zu "
                    "returned %zu",
                    len, w);
  else
    cn_net_log_fail(&t->log, "Failed writing header");
  return CN_ERR_WRITE_CALLBACK_FAILED;
}

/* write_out hands output to the program, or holds it while receiving is
 * paused or older output is still held. A callback answering
 * CURL_WRITEFUNC_PAUSE keeps the whole piece (the program gets it again
 * after unpausing) and pauses receiving, as libcurl does. */
static int write_out(struct cn_transfer *t, enum held_kind kind,
                     const char *data, size_t len) {
  if ((t->pause & CURLPAUSE_RECV) || t->num_held)
    return hold(t, kind, data, len);
  int rv = give(t, kind, data, len);
  if (rv != GIVE_PAUSED)
    return rv;
  rv = hold(t, kind, data, len);
  if (rv == CN_OK)
    pause_recv(t);
  return rv;
}

/* flush_held gives held output to the program, body bytes in pieces of at
 * most CURL_MAX_WRITE_SIZE, until all is taken or a callback pauses. */
static int flush_held(struct cn_transfer *t) {
  while (t->num_held && !(t->pause & CURLPAUSE_RECV)) {
    struct held_chunk *c = &t->held[0];
    size_t n = c->data.len;
    if (c->kind == HELD_BODY && n > CURL_MAX_WRITE_SIZE)
      n = CURL_MAX_WRITE_SIZE;
    int rv = give(t, c->kind, (const char *)c->data.data, n);
    if (rv == GIVE_PAUSED) {
      pause_recv(t);
      break;
    }
    if (rv != CN_OK)
      return rv;
    cn_buf_consume(&c->data, n);
    if (c->data.len == 0) {
      cn_buf_cleanup(&c->data);
      memmove(t->held, t->held + 1, (t->num_held - 1) * sizeof(*t->held));
      t->num_held--;
    }
  }
  return CN_OK;
}

/* write_header passes one raw header line where libcurl would: the header
 * callback (or the write callback with HEADERDATA as its stream), and the
 * body stream too with CURLOPT_HEADER. */
static int write_header(struct cn_transfer *t, const char *line, size_t len) {
  struct cn_easy *e = t->easy;
  debug_out(t, CURLINFO_HEADER_IN, line, len);
  int rv = CN_OK;
  if (e->opts.header_fn || e->opts.header_data)
    rv = write_out(t, HELD_HEADER, line, len);
  if (rv == CN_OK && e->opts.header_in_body)
    rv = write_out(t, HELD_HEADER_IN_BODY, line, len);
  return rv;
}

static int report_progress(struct cn_transfer *t) {
  struct cn_easy *e = t->easy;
  if (e->opts.no_progress)
    return CN_OK;
  const struct cn_url_request_stats *s =
      t->request ? cn_url_request_stats(t->request) : NULL;
  curl_off_t dltotal = (s && s->content_length > 0) ? s->content_length : 0;
  curl_off_t ultotal = t->upload && t->upload->size > 0 ? t->upload->size : 0;
  /* HTTP uploads count as they go on the wire, per request, as libcurl's
   * do (chunk framing included); |ul_now| counts what the program gave. */
  curl_off_t ulnow =
      t->request ? (curl_off_t)cn_url_request_upload_now(t->request)
                 : t->ul_now;
  int rc = 0;
  t->easy->in_callback++;
  if (e->opts.xferinfo_fn)
    rc = e->opts.xferinfo_fn(e->opts.progress_data, dltotal, t->dl_now,
                             ultotal, ulnow);
  else if (e->opts.progress_fn)
    rc = e->opts.progress_fn(e->opts.progress_data, (double)dltotal,
                             (double)t->dl_now, (double)ultotal,
                             (double)ulnow);
  t->easy->in_callback--;
  if (rc == CURL_PROGRESSFUNC_CONTINUE)
    return CN_OK;
  if (rc) {
    cn_net_log_fail(&t->log, "Callback aborted");
    return CN_ERR_CALLBACK_ABORTED;
  }
  return CN_OK;
}

/* write_head_lines passes every raw line of a head (or of trailers) on. */
static int write_head_lines(struct cn_transfer *t,
                            const struct cn_http_response_headers *head) {
  const struct cn_easy_options *o = &t->easy->opts;
  /* Nobody to give the lines to: write_header would do nothing. */
  if (!o->verbose && !o->debug_fn && !o->header_fn && !o->header_data &&
      !o->header_in_body)
    return CN_OK;
  size_t n = cn_http_response_headers_num_raw_lines(head);
  for (size_t i = 0; i < n; i++) {
    size_t len;
    const char *line = cn_http_response_headers_raw_line(head, i, &len);
    int rv = write_header(t, line, len);
    if (rv != CN_OK)
      return rv;
  }
  return CN_OK;
}

static void record_info(struct cn_transfer *t);

static int on_head(void *ctx, const struct cn_http_response_headers *head,
                   bool is_final) {
  struct cn_transfer *t = ctx;
  t->phase = CN_PHASE_RECV;
  /* The header callback may ask getinfo about this response already. */
  record_info(t);
  int status = cn_http_response_headers_status(head);
  /* A 101 is final unless it switched to h2c. */
  bool interim = status >= 100 && status < 200 && (status != 101 || !is_final);
  if (cn_header_store_add_head(&t->easy->headers, head,
                               interim ? CURLH_1XX : CURLH_HEADER,
                               t->request_no) != CN_OK)
    return CN_ERR_OUT_OF_MEMORY;
  if (!interim)
    t->request_no++;
  int rv = write_head_lines(t, head);
  if (rv != CN_OK)
    return rv;
  return report_progress(t);
}

static int on_trailers(void *ctx,
                       const struct cn_http_response_headers *trailers) {
  struct cn_transfer *t = ctx;
  if (cn_header_store_add_head(&t->easy->headers, trailers, CURLH_TRAILER,
                               t->request_no > 0 ? t->request_no - 1 : 0) !=
      CN_OK)
    return CN_ERR_OUT_OF_MEMORY;
  return write_head_lines(t, trailers);
}

static void check_recv_rate(struct cn_transfer *t);

static int on_body(void *ctx, const uint8_t *data, size_t len) {
  struct cn_transfer *t = ctx;
  /* libcurl hands the write callback at most CURL_MAX_WRITE_SIZE body
   * bytes per call, whatever CURLOPT_BUFFERSIZE says. */
  for (size_t off = 0; off < len;) {
    size_t n =
        len - off < CURL_MAX_WRITE_SIZE ? len - off : CURL_MAX_WRITE_SIZE;
    int rv = write_out(t, HELD_BODY, (const char *)data + off, n);
    if (rv != CN_OK)
      return rv;
    off += n;
  }
  /* Progress counts what CURLINFO_SIZE_DOWNLOAD counts: bytes before
   * content decoding. */
  t->dl_now = cn_url_request_stats(t->request)->body_bytes;
  check_recv_rate(t);
  return report_progress(t);
}

/* on_connect_head: a proxy's answer to CONNECT. libcurl shows it to the
 * program like any head (CLIENTWRITE_CONNECT) unless
 * CURLOPT_SUPPRESS_CONNECT_HEADERS, and counts it in the header size. */
static int on_connect_head(void *ctx,
                           const struct cn_http_response_headers *head) {
  struct cn_transfer *t = ctx;
  struct cn_easy *e = t->easy;
  t->connect_code = cn_http_response_headers_status(head);
  size_t n = cn_http_response_headers_num_raw_lines(head);
  for (size_t i = 0; i < n; i++) {
    size_t len;
    const char *line = cn_http_response_headers_raw_line(head, i, &len);
    t->connect_header_bytes += (int64_t)len;
    if (e->opts.suppress_connect_headers) {
      debug_out(t, CURLINFO_HEADER_IN, line, len);
      continue;
    }
    int rv = write_header(t, line, len);
    if (rv != CN_OK)
      return rv;
  }
  if (!e->opts.suppress_connect_headers &&
      cn_header_store_add_head(&e->headers, head, CURLH_CONNECT,
                               t->request_no) != CN_OK)
    return CN_ERR_OUT_OF_MEMORY;
  return CN_OK;
}

/* --- upload from CURLOPT_READFUNCTION ------------------------------------ */

static int upload_read(struct cn_upload_data_stream *s, uint8_t *buf,
                       size_t len, cn_completion_fn cb, void *ctx) {
  struct read_upload *u = (struct read_upload *)s;
  struct cn_transfer *t = u->t;
  struct cn_easy *e = t->easy;
  t->easy->in_callback++;
  size_t got = e->opts.read_fn((char *)buf, 1, len, e->opts.read_data);
  t->easy->in_callback--;
  if (got == CURL_READFUNC_ABORT) {
    cn_net_log_fail(&u->t->log, "operation aborted by callback");
    return CN_ERR_CALLBACK_ABORTED;
  }
  if (got == CURL_READFUNC_PAUSE) {
    t->pause |= CURLPAUSE_SEND;
    e->paused |= CURLPAUSE_SEND;
    park(&t->send, buf, len, cb, ctx); /* asked again on unpause */
    update_read_pause(t);
    return CN_ERR_IO_PENDING;
  }
  if (got > len) {
    cn_net_log_fail(&u->t->log, "read function returned funny value");
    return CN_ERR_READ_CALLBACK_FAILED;
  }
  u->t->ul_now += (curl_off_t)got;
  return (int)got;
}

static int upload_rewind(struct cn_upload_data_stream *s) {
  struct read_upload *u = (struct read_upload *)s;
  struct cn_easy *e = u->t->easy;
  if (u->t->ul_now == 0)
    return CN_OK; /* nothing was read yet (a 417 before the body) */
  u->t->ul_now = 0;
  /* libcurl's order: the seek callback, then the old ioctl callback, then
   * fseek on the default reader's FILE *. */
  if (e->opts.seek_fn) {
    int rc = e->opts.seek_fn(e->opts.seek_data, u->offset, SEEK_SET);
    if (rc == CURL_SEEKFUNC_OK)
      return CN_OK;
    if (rc == CURL_SEEKFUNC_FAIL)
      return CN_ERR_UPLOAD_FILE_CHANGED;
  }
  if (e->opts.ioctl_fn) {
    curlioerr err =
        e->opts.ioctl_fn(e, CURLIOCMD_RESTARTREAD, e->opts.ioctl_data);
    return err == CURLIOE_OK ? CN_OK : CN_ERR_UPLOAD_FILE_CHANGED;
  }
  if (!e->opts.read_fn_set) {
    FILE *f = e->opts.read_data ? (FILE *)e->opts.read_data : stdin;
    return fseek(f, (long)u->offset, SEEK_SET) == 0
               ? CN_OK
               : CN_ERR_UPLOAD_FILE_CHANGED;
  }
  cn_net_log_fail(&u->t->log, "Need to rewind upload for next request");
  return CN_ERR_UPLOAD_FILE_CHANGED;
}

static void upload_destroy(struct cn_upload_data_stream *s) { cn_free(s); }

/* upload_trailers asks CURLOPT_TRAILERFUNCTION for the trailers of a
 * chunked body; only "name: value" lines go out (libcurl skips others). */
static int upload_trailers(void *ctx, struct cn_buf *out) {
  struct cn_transfer *t = ctx;
  struct cn_easy *e = t->easy;
  struct curl_slist *list = NULL;
  int rc = e->opts.trailer_fn(&list, e->opts.trailer_data);
  int rv = CN_OK;
  if (rc != CURL_TRAILERFUNC_OK) {
    cn_net_log_fail(&t->log, "operation aborted by trailing headers callback");
    rv = CN_ERR_CALLBACK_ABORTED;
  }
  for (struct curl_slist *s = list; rv == CN_OK && s; s = s->next) {
    const char *colon = s->data ? strchr(s->data, ':') : NULL;
    if (!colon || colon[1] != ' ') {
      cn_net_log_text(&t->log, "Malformatted trailing header, skipping "
                               "trailer");
      continue;
    }
    rv = cn_buf_append_str(out, s->data);
    if (rv == CN_OK)
      rv = cn_buf_append_str(out, "\r\n");
  }
  curl_slist_free_all(list);
  return rv;
}

/* skip_upload moves the program's data to |offset| for a resumed upload
 * (libcurl's cr_in_resume_from): the seek callback, else reading and
 * dropping the bytes. */
static CURLcode skip_upload(struct cn_transfer *t, curl_off_t offset) {
  struct cn_easy *e = t->easy;
  int rc = CURL_SEEKFUNC_CANTSEEK;
  if (e->opts.seek_fn)
    rc = e->opts.seek_fn(e->opts.seek_data, offset, SEEK_SET);
  if (rc == CURL_SEEKFUNC_OK)
    return CURLE_OK;
  if (rc != CURL_SEEKFUNC_CANTSEEK) {
    cn_net_log_fail(&t->log, "Could not seek stream");
    return CURLE_READ_ERROR;
  }
  char scratch[4096];
  curl_off_t passed = 0;
  while (passed < offset) {
    size_t want = offset - passed > (curl_off_t)sizeof(scratch)
                      ? sizeof(scratch)
                      : (size_t)(offset - passed);
    size_t got = e->opts.read_fn(scratch, 1, want, e->opts.read_data);
    passed += (curl_off_t)got;
    if (got == 0 || got > want) {
      cn_net_log_fail(&t->log, "Could only read %lld bytes from the input",
                      (long long)passed);
      return CURLE_READ_ERROR;
    }
  }
  return CURLE_OK;
}

/* resume_upload applies CURLOPT_RESUME_FROM (or CURLOPT_RANGE) to a PUT or
 * POST from the read callback as libcurl does: the body starts at the
 * offset and "Content-Range" tells where it goes; -1 (unknown remote size)
 * sends everything with a range over the whole file. */
static CURLcode resume_upload(struct cn_transfer *t, struct read_upload *u) {
  const struct cn_easy_options *o = &t->easy->opts;
  curl_off_t off = o->resume_from;
  curl_off_t len = u->base.size;
  if (off < 0) {
    snprintf(t->content_range, sizeof(t->content_range),
             "bytes 0-%lld/%lld", (long long)(len - 1), (long long)len);
    return CURLE_OK;
  }
  if (off == 0) {
    snprintf(t->content_range, sizeof(t->content_range), "bytes %s/%lld",
             o->range, (long long)len);
    return CURLE_OK;
  }
  CURLcode rc = skip_upload(t, off);
  if (rc != CURLE_OK)
    return rc;
  u->offset = off;
  if (len > 0) {
    len -= off;
    if (len <= 0) {
      cn_net_log_fail(&t->log, "File already completely uploaded");
      return CURLE_PARTIAL_FILE;
    }
    u->base.size = len;
  }
  curl_off_t total = off + len;
  snprintf(t->content_range, sizeof(t->content_range),
           "bytes %lld-%lld/%lld", (long long)off, (long long)(total - 1),
           (long long)total);
  return CURLE_OK;
}

static void upload_cancel(struct cn_upload_data_stream *s) {
  ((struct read_upload *)s)->t->send.parked = false;
}

static const struct cn_upload_data_stream_ops read_upload_ops = {
    upload_read, upload_rewind, upload_destroy, upload_cancel};

/* --- pausing and rate limits ------------------------------------------- */

/* update_read_pause stops reading the response while the program has
 * receiving paused, output is held, or the receive rate is over
 * CURLOPT_MAX_RECV_SPEED_LARGE. */
static void update_read_pause(struct cn_transfer *t) {
  if (t->finished)
    return;
  bool stop = (t->pause & CURLPAUSE_RECV) || t->num_held || t->recv_rate_wait;
  if (t->request)
    cn_url_request_set_read_paused(t->request, stop);
}

/* rate_wait_ms: how long to wait so that |bytes| since |since_us| average
 * no more than |limit| bytes per second (libcurl's rule). */
static int64_t rate_wait_ms(curl_off_t bytes, curl_off_t limit,
                            int64_t since_us) {
  if (limit <= 0 || bytes <= 0)
    return 0;
  int64_t minimum_us = (int64_t)((double)bytes * 1e6 / (double)limit);
  int64_t actual_us = cn_time_now_us() - since_us;
  return actual_us < minimum_us ? (minimum_us - actual_us + 999) / 1000 : 0;
}

static void on_recv_rate(void *ctx) {
  struct cn_transfer *t = ctx;
  t->recv_rate_wait = false;
  update_read_pause(t);
}

static void check_recv_rate(struct cn_transfer *t) {
  int64_t wait = rate_wait_ms(t->dl_now, t->easy->opts.max_recv_speed,
                              t->start_us);
  if (wait <= 0 || t->recv_rate_wait)
    return;
  if (cn_timer_start(t->multi->loop, &t->recv_rate_timer, wait) != CN_OK)
    return; /* no memory for the timer: run unthrottled */
  t->recv_rate_wait = true;
  update_read_pause(t);
}

static void complete(struct cn_transfer *t, int rv);
static void finish(struct cn_transfer *t, CURLcode result);

static bool wants_progress(const struct cn_transfer *t) {
  const struct cn_easy_options *o = &t->easy->opts;
  return !o->no_progress && (o->xferinfo_fn || o->progress_fn);
}

static void on_progress_tick(void *ctx) {
  struct cn_transfer *t = ctx;
  int rv = report_progress(t);
  if (rv < 0) {
    finish(t, cn_error_to_curlcode(rv, CN_PHASE_RECV));
    return;
  }
  if (!t->finished)
    (void)cn_timer_start(t->multi->loop, &t->progress_timer, 1000);
}

/* --- the send gate: pause and rate limit over any upload source ------- */

/* Every request body goes through a gate that holds a read while the
 * program has sending paused (curl_easy_pause(CURLPAUSE_SEND), whatever
 * the body's source) or the rate is over CURLOPT_MAX_SEND_SPEED_LARGE
 * (a timer, no sleep). */
struct send_gate {
  struct cn_upload_data_stream base;
  struct cn_upload_data_stream *inner; /* owned */
  struct cn_transfer *t;
  struct cn_timer timer;
  struct parked_read pending; /* waits for the unpause or the timer */
};

static int gate_read(struct cn_upload_data_stream *s, uint8_t *buf,
                     size_t len, cn_completion_fn cb, void *ctx) {
  struct send_gate *g = (struct send_gate *)s;
  struct cn_transfer *t = g->t;
  if (t->pause & CURLPAUSE_SEND) {
    park(&g->pending, buf, len, cb, ctx);
    return CN_ERR_IO_PENDING;
  }
  curl_off_t limit = t->easy->opts.max_send_speed;
  int64_t wait = rate_wait_ms(t->ul_now, limit, t->start_us);
  if (wait > 0 && cn_timer_start(t->multi->loop, &g->timer, wait) == CN_OK) {
    park(&g->pending, buf, len, cb, ctx);
    return CN_ERR_IO_PENDING;
  }
  /* Small reads keep the average close to the limit. */
  if (limit > 0 && (curl_off_t)len > limit / 4 + 1)
    len = (size_t)(limit / 4 + 1);
  int rv = g->inner->ops->read(g->inner, buf, len, cb, ctx);
  if (rv > 0 && g->inner->ops->read != upload_read)
    t->ul_now += rv; /* the read callback's reader counts itself */
  /* libcurl calls the progress callback as the body goes out; at a
   * request's first read it still shows 0 (the count starts again with
   * each request). */
  if (rv >= 0) {
    int pv = report_progress(t);
    if (pv < 0)
      return pv;
  }
  return rv;
}

static void on_gate_timer(void *ctx) {
  struct send_gate *g = ctx;
  retry_parked(&g->pending, &g->base);
}

static int gate_rewind(struct cn_upload_data_stream *s) {
  struct send_gate *g = (struct send_gate *)s;
  cn_timer_stop(&g->timer);
  g->pending.parked = false;
  return g->inner->ops->rewind(g->inner);
}

static void gate_destroy(struct cn_upload_data_stream *s) {
  struct send_gate *g = (struct send_gate *)s;
  cn_timer_stop(&g->timer);
  cn_upload_data_stream_destroy(g->inner);
  cn_free(g);
}

static void gate_cancel(struct cn_upload_data_stream *s) {
  struct send_gate *g = (struct send_gate *)s;
  cn_timer_stop(&g->timer);
  g->pending.parked = false;
  cn_upload_data_stream_cancel(g->inner);
}

static const struct cn_upload_data_stream_ops gate_ops = {
    gate_read, gate_rewind, gate_destroy, gate_cancel};

/* add_send_gate puts the gate in front of |t->upload|. */
static CURLcode add_send_gate(struct cn_transfer *t) {
  struct send_gate *g = cn_calloc(1, sizeof(*g));
  if (!g)
    return CURLE_OUT_OF_MEMORY;
  g->base.ops = &gate_ops;
  g->base.size = t->upload->size;
  g->base.in_memory = t->upload->in_memory;
  g->inner = t->upload;
  g->t = t;
  cn_timer_init(&g->timer, on_gate_timer, g);
  t->upload = &g->base;
  t->gate = g;
  return CURLE_OK;
}

/* resume_send asks the upload source again for the read that pausing
 * left pending and completes it. */
static void resume_send(struct cn_transfer *t) {
  if (t->gate && t->gate->pending.parked)
    retry_parked(&t->gate->pending, &t->gate->base);
  else if (t->send.parked)
    retry_parked(&t->send, t->source);
  else if (t->mime_upload)
    cn_mime_upload_stream_unpause(t->source);
}

/* run_unpause does from the event loop what curl_easy_pause could not do
 * inside a callback: deliver held output, resume the upload, and finish a
 * request that ended while output was held. */
static void run_unpause(void *ctx) {
  struct cn_transfer *t = ctx;
  if (t->finished)
    return;
  if (t->deferred_error) {
    complete(t, t->deferred_error);
    return;
  }
  int rv = flush_held(t);
  if (rv != CN_OK) {
    complete(t, rv);
    return;
  }
  if (!(t->pause & CURLPAUSE_SEND))
    resume_send(t);
  if (t->finished)
    return;
  if (t->complete_pending && !t->num_held) {
    complete(t, t->complete_rv);
    return;
  }
  update_read_pause(t);
}

static void on_mime_pause(void *ctx) {
  struct cn_transfer *t = ctx;
  t->pause |= CURLPAUSE_SEND;
  t->easy->paused |= CURLPAUSE_SEND;
  update_read_pause(t);
}

CURLcode cn_transfer_pause(struct cn_transfer *t, int bitmask) {
  int old = t->pause;
  t->pause = bitmask & (CURLPAUSE_RECV | CURLPAUSE_SEND);
  if (t->finished)
    return CURLE_OK;
  bool recv_resumed = (old & CURLPAUSE_RECV) && !(t->pause & CURLPAUSE_RECV);
  bool send_resumed = (old & CURLPAUSE_SEND) && !(t->pause & CURLPAUSE_SEND);
  update_read_pause(t);
  if (!recv_resumed && !send_resumed)
    return CURLE_OK;
  /* Inside one of this transfer's callbacks the output goes out from the
   * loop; otherwise before returning, as libcurl does. */
  if (t->easy->in_callback || send_resumed) {
    cn_task_post(t->multi->loop, &t->unpause_task);
    return CURLE_OK;
  }
  int rv = flush_held(t);
  if (rv != CN_OK) {
    t->deferred_error = rv;
    cn_task_post(t->multi->loop, &t->unpause_task);
    return cn_error_to_curlcode(rv, CN_PHASE_RECV);
  }
  if (t->complete_pending && !t->num_held)
    cn_task_post(t->multi->loop, &t->unpause_task);
  update_read_pause(t);
  return CURLE_OK;
}

/* --- the program's socket callbacks ------------------------------------ */

/* Slots of cn_socket_hooks.program[]. */
enum { HOOK_OPEN, HOOK_SOCKOPT, HOOK_CLOSE, HOOK_RESOLVER_START };

/* struct curl_sockaddr ends in a 16-byte struct sockaddr; libcurl hands
 * out one with room for any address behind it (its Curl_sockaddr_ex), and
 * programs write IPv6 and Unix addresses there. Same layout, full room. */
struct sockaddr_ex {
  int family;
  int socktype;
  int protocol;
  unsigned int addrlen;
  struct sockaddr_storage addr;
};
_Static_assert(offsetof(struct sockaddr_ex, addr) ==
                   offsetof(struct curl_sockaddr, addr),
               "struct sockaddr_ex must extend struct curl_sockaddr");

static int hook_open(const struct cn_socket_hooks *h,
                     struct cn_ip_endpoint *peer) {
  curl_opensocket_callback fn =
      (curl_opensocket_callback)h->program[HOOK_OPEN].fn;
  struct sockaddr_ex sa;
  memset(&sa, 0, sizeof(sa));
  sa.family = peer->addr.ss_family;
  sa.socktype = SOCK_STREAM;
  sa.protocol = sa.family == AF_UNIX ? 0 : IPPROTO_TCP;
  sa.addrlen = peer->len;
  memcpy(&sa.addr, &peer->addr, peer->len);
  curl_socket_t fd = fn(h->program[HOOK_OPEN].data, CURLSOCKTYPE_IPCXN,
                        (struct curl_sockaddr *)&sa);
  if (fd == CURL_SOCKET_BAD)
    return -1;
  /* libcurl connects to the address as the callback left it. */
  if (sa.addrlen > 0 && sa.addrlen <= sizeof(peer->addr)) {
    memcpy(&peer->addr, &sa.addr, sa.addrlen);
    peer->len = sa.addrlen;
  }
  return fd;
}

static int hook_sockopt(const struct cn_socket_hooks *h, int fd) {
  curl_sockopt_callback fn =
      (curl_sockopt_callback)h->program[HOOK_SOCKOPT].fn;
  int rc = fn(h->program[HOOK_SOCKOPT].data, fd, CURLSOCKTYPE_IPCXN);
  if (rc == CURL_SOCKOPT_ALREADY_CONNECTED)
    return 1;
  return rc == CURL_SOCKOPT_OK ? CN_OK : CN_ERR_CALLBACK_ABORTED;
}

static void hook_close(const struct cn_socket_hooks *h, int fd) {
  curl_closesocket_callback fn =
      (curl_closesocket_callback)h->program[HOOK_CLOSE].fn;
  (void)fn(h->program[HOOK_CLOSE].data, fd);
}

static int hook_resolver_start(const struct cn_socket_hooks *h, void *state) {
  curl_resolver_start_callback fn =
      (curl_resolver_start_callback)h->program[HOOK_RESOLVER_START].fn;
  return fn(state, NULL, h->program[HOOK_RESOLVER_START].data);
}

static void fill_socket_hooks(const struct cn_easy_options *o,
                              struct cn_socket_hooks *h) {
  memset(h, 0, sizeof(*h));
  if (o->opensocket_fn) {
    h->open = hook_open;
    h->program[HOOK_OPEN].fn = (void (*)(void))o->opensocket_fn;
    h->program[HOOK_OPEN].data = o->opensocket_data;
  }
  if (o->sockopt_fn) {
    h->configure = hook_sockopt;
    h->program[HOOK_SOCKOPT].fn = (void (*)(void))o->sockopt_fn;
    h->program[HOOK_SOCKOPT].data = o->sockopt_data;
  }
  if (o->closesocket_fn) {
    h->close = hook_close;
    h->program[HOOK_CLOSE].fn = (void (*)(void))o->closesocket_fn;
    h->program[HOOK_CLOSE].data = o->closesocket_data;
  }
  if (o->resolver_start_fn) {
    h->resolver_start = hook_resolver_start;
    h->program[HOOK_RESOLVER_START].fn = (void (*)(void))o->resolver_start_fn;
    h->program[HOOK_RESOLVER_START].data = o->resolver_start_data;
  }
}

/* before_send runs CURLOPT_PREREQFUNCTION for each request. */
static int before_send(void *ctx, const struct cn_ip_endpoint *peer,
                       const struct cn_ip_endpoint *local) {
  struct cn_transfer *t = ctx;
  const struct cn_easy_options *o = &t->easy->opts;
  char pip[64] = "", lip[64] = "";
  int pport = 0, lport = 0;
  if (peer && peer->len) {
    cn_ip_endpoint_address_string(peer, pip, sizeof(pip));
    pport = cn_ip_endpoint_port(peer);
  }
  if (local && local->len) {
    cn_ip_endpoint_address_string(local, lip, sizeof(lip));
    lport = cn_ip_endpoint_port(local);
  }
  t->easy->in_callback++;
  int rc = o->prereq_fn(o->prereq_data, pip, lip, pport, lport);
  t->easy->in_callback--;
  if (rc == CURL_PREREQFUNC_OK)
    return CN_OK;
  cn_net_log_fail(&t->log, "operation aborted by pre-request callback");
  return CN_ERR_CALLBACK_ABORTED;
}

/* --- options snapshot ------------------------------------------------------ */

static int tls_version(long v, int *out_min, int *out_max) {
  static const int versions[] = {0, 0x0301, 0x0301, 0, 0x0301, 0x0302,
                                 0x0303, 0x0304};
  long min = v & 0xffff;
  long max = (v >> 16) & 0xffff;
  if (min == CURL_SSLVERSION_SSLv2 || min == CURL_SSLVERSION_SSLv3 ||
      min >= CURL_SSLVERSION_LAST)
    return CN_ERR_SSL_VERSION_OR_CIPHER_MISMATCH;
  *out_min = versions[min];
  *out_max = 0;
  if (max) {
    long m = v & ~0xffffL;
    if (m == CURL_SSLVERSION_MAX_TLSv1_0)
      *out_max = 0x0301;
    else if (m == CURL_SSLVERSION_MAX_TLSv1_1)
      *out_max = 0x0302;
    else if (m == CURL_SSLVERSION_MAX_TLSv1_2)
      *out_max = 0x0303;
    else if (m == CURL_SSLVERSION_MAX_TLSv1_3)
      *out_max = 0x0304;
  }
  return CN_OK;
}

/* ssl_versions: CURLOPT_(PROXY_)SSLVERSION as a version range; a value
 * libcurl refuses fails the transfer, with libcurl's words. */
static CURLcode ssl_versions(struct cn_transfer *t, bool proxy, int *out_min,
                             int *out_max) {
  const struct cn_easy_options *o = &t->easy->opts;
  if (tls_version(proxy ? o->proxy_ssl_version : o->ssl_version, out_min,
                  out_max) == CN_OK)
    return CURLE_OK;
  cn_net_log_fail(&t->log, "Unrecognized parameter passed via %s",
                  proxy ? "CURLOPT_PROXY_SSLVERSION" : "CURLOPT_SSLVERSION");
  return CURLE_SSL_CONNECT_ERROR;
}

/* slist_array makes a NULL-free array view of a program's curl_slist (the
 * strings stay the program's). */
static CURLcode slist_array(const struct curl_slist *list,
                            const char ***out, size_t *out_num) {
  size_t n = 0;
  for (const struct curl_slist *s = list; s; s = s->next)
    if (s->data)
      n++;
  *out_num = 0;
  if (!n)
    return CURLE_OK;
  const char **arr = cn_calloc(n, sizeof(*arr));
  if (!arr)
    return CURLE_OUT_OF_MEMORY;
  size_t i = 0;
  for (const struct curl_slist *s = list; s; s = s->next)
    if (s->data)
      arr[i++] = s->data;
  *out = arr;
  *out_num = i;
  return CURLE_OK;
}

/* depends_on_stream resolves CURLOPT_STREAM_DEPENDS when the stream's
 * HEADERS go out: the other handle's running stream on the same session. */
static int32_t depends_on_stream(void *ctx,
                                 const struct cn_h2_session *session) {
  struct cn_transfer *t = ctx;
  struct cn_easy *other = cn_easy_from(t->easy->opts.stream_depends);
  if (!other || other == t->easy || !other->transfer ||
      !other->transfer->request)
    return 0;
  return cn_url_request_h2_stream_id(other->transfer->request, session);
}

/* asks_chunked: the program's "Transfer-Encoding:" line (the first one)
 * names chunked. */
static bool asks_chunked(const struct curl_slist *headers) {
  static const char name[] = "Transfer-Encoding";
  size_t n = sizeof(name) - 1;
  for (const struct curl_slist *s = headers; s; s = s->next) {
    if (!s->data || strncasecmp(s->data, name, n) != 0 ||
        (s->data[n] != ':' && s->data[n] != ';'))
      continue;
    return s->data[n] == ':' && strcasestr(s->data + n + 1, "chunked");
  }
  return false;
}

/* build_custom_profile makes the profile of a handle with fingerprint
 * options: |base| (the target's, or libcurl's shape without one) with the
 * overridden fields, and CURLOPT_HTTPBASEHEADER's lines as its default
 * headers (else the target's when |base_headers|). It becomes the
 * connection's TLS profile, so its name (every override spelled out) keys
 * the pool and the TLS session cache; plain-HTTP connections get it
 * through the group key's extra text. */
static CURLcode build_custom_profile(struct cn_transfer *t,
                                     const struct cn_browser_profile *base,
                                     bool base_headers) {
  const struct cn_easy_options *o = &t->easy->opts;
  const char **lines = NULL;
  size_t num_lines = 0;
  CURLcode rc = slist_array(o->http_base_header, &lines, &num_lines);
  if (rc != CURLE_OK)
    return rc;
  /* An empty list still replaces the target's headers. */
  static const char *const none[1];
  const char *const *hdrs = o->http_base_header ? (lines ? lines : none)
                                                : NULL;
  t->custom = cn_calloc(1, sizeof(*t->custom));
  if (!t->custom) {
    cn_free(lines);
    return CURLE_OUT_OF_MEMORY;
  }
  char err[200];
  int brv = cn_custom_profile_build(t->custom, base, o->fingerprint, hdrs,
                                    num_lines, err, sizeof(err));
  cn_free(lines);
  if (brv == -1) {
    cn_net_log_fail(&t->log, "%s", err);
    return CURLE_BAD_FUNCTION_ARGUMENT;
  }
  if (brv != 0)
    return CURLE_OUT_OF_MEMORY;
  if (!hdrs && !base_headers) {
    /* No default headers to send: libcurl's header order. */
    t->custom->p.h1_headers.num = 0;
    t->custom->p.h2_headers.num = 0;
  }
  t->ssl.profile = &t->custom->p;
  t->params.socket.group_extra = t->custom->name;
  return CURLE_OK;
}

/* apply_dns_options hands CURLOPT_RESOLVE and the DNS server options to the
 * multi's resolver. A malformed add entry fails the transfer like libcurl
 * (CURLE_SETOPT_OPTION_SYNTAX); a malformed removal is only logged. */
static CURLcode apply_dns_options(struct cn_transfer *t) {
  const struct cn_easy_options *o = &t->easy->opts;
  struct cn_host_resolver *resolver = t->multi->session->resolver;
  for (const struct curl_slist *s = o->resolve; s; s = s->next) {
    if (!s->data)
      continue;
    /* With a DNS share the entries go into the share's cache. */
    const struct cn_shared_host_cache *shared =
        cn_share_dns_cache((struct cn_share *)o->share);
    int rv = cn_host_resolver_add_override_shared(
        resolver, shared, s->data, o->dns_shuffle_addresses, &t->log);
    if (rv == CN_ERR_OUT_OF_MEMORY)
      return CURLE_OUT_OF_MEMORY;
    if (rv != CN_OK && s->data[0] != '-')
      return CURLE_SETOPT_OPTION_SYNTAX;
  }
  bool custom = o->dns_servers || o->dns_local_ip4 || o->dns_local_ip6 ||
                o->dns_interface;
  if (custom || t->multi->dns_custom) {
    if (cn_host_resolver_set_servers(resolver, o->dns_servers) != CN_OK ||
        cn_host_resolver_set_local_ip4(resolver, o->dns_local_ip4) != CN_OK ||
        cn_host_resolver_set_local_ip6(resolver, o->dns_local_ip6) != CN_OK ||
        cn_host_resolver_set_interface(resolver, o->dns_interface) != CN_OK) {
      cn_net_log_fail(&t->log, "Could not set the DNS servers");
      return CURLE_BAD_FUNCTION_ARGUMENT;
    }
    t->multi->dns_custom = custom;
  }
  return CURLE_OK;
}

/* apply_pool_options: CURLOPT_MAXAGE_CONN / _MAXLIFETIME_CONN decide which
 * idle connections a transfer may reuse, and CURLOPT_MAXCONNECTS sizes
 * curl_easy_perform's private connection cache (libcurl's rules). */
static void apply_pool_options(struct cn_transfer *t) {
  const struct cn_easy_options *o = &t->easy->opts;
  struct cn_multi *m = t->multi;
  struct cn_socket_pool_limits limits = m->limits;
  limits.max_idle_age_s = o->maxage_conn_s;
  limits.max_lifetime_s = o->maxlifetime_conn_s;
  if (t->easy->implicit_multi == m && o->maxconnects > 0)
    limits.max_idle = (int)o->maxconnects;
  cn_client_socket_pool_set_limits(m->session->pool, &limits);
}

static enum cn_proxy_type proxy_type(long curlproxy) {
  switch (curlproxy) {
  case CURLPROXY_HTTP_1_0:
    return CN_PROXY_HTTP_1_0;
  case CURLPROXY_HTTPS:
  case CURLPROXY_HTTPS2: /* HTTP/2 to the proxy is optional: HTTP/1.1 */
    return CN_PROXY_HTTPS;
  case CURLPROXY_SOCKS4:
    return CN_PROXY_SOCKS4;
  case CURLPROXY_SOCKS4A:
    return CN_PROXY_SOCKS4A;
  case CURLPROXY_SOCKS5:
    return CN_PROXY_SOCKS5;
  case CURLPROXY_SOCKS5_HOSTNAME:
    return CN_PROXY_SOCKS5H;
  default:
    return CN_PROXY_HTTP;
  }
}

/* fill_ssl_config: the TLS settings of the origin's options
 * (CURLOPT_SSL*, CAINFO, ...) or, when |proxy|, of their CURLOPT_PROXY_*
 * twins (libcurl's ssl and proxy_ssl configs); the caller adds ALPN and
 * what only one of them has. */
static CURLcode fill_ssl_config(struct cn_transfer *t,
                                struct cn_ssl_config *ssl, bool proxy) {
  const struct cn_easy_options *o = &t->easy->opts;
  /* every origin blob is followed by its proxy twin (easy_handle.h) */
  const struct cn_easy_blob *b = &o->blobs[proxy ? 1 : 0];
  cn_ssl_config_init(ssl);
  ssl->verify_peer = proxy ? o->proxy_ssl_verify_peer : o->ssl_verify_peer;
  ssl->verify_host =
      (proxy ? o->proxy_ssl_verify_host : o->ssl_verify_host) != 0;
  ssl->ca_file = o->cainfo;
  ssl->ca_path = o->capath;
  if (proxy && o->proxy_cainfo)
    ssl->ca_file = o->proxy_cainfo;
  if (proxy && o->proxy_capath)
    ssl->ca_path = o->proxy_capath;
  ssl->ca_blob = b[CN_BLOB_CAINFO].data;
  ssl->ca_blob_len = b[CN_BLOB_CAINFO].len;
  ssl->crl_file = proxy ? o->proxy_crlfile : o->crlfile;
  ssl->issuer_cert = proxy ? o->proxy_issuercert : o->issuercert;
  ssl->issuer_blob = b[CN_BLOB_ISSUERCERT].data;
  ssl->issuer_blob_len = b[CN_BLOB_ISSUERCERT].len;
  ssl->pinned_pubkey = proxy ? o->proxy_pinned_pubkey : o->pinned_pubkey;
  ssl->client_cert = proxy ? o->proxy_ssl_cert : o->ssl_cert;
  ssl->client_cert_blob = b[CN_BLOB_SSLCERT].data;
  ssl->client_cert_blob_len = b[CN_BLOB_SSLCERT].len;
  ssl->client_cert_type = proxy ? o->proxy_ssl_cert_type : o->ssl_cert_type;
  ssl->client_key = proxy ? o->proxy_ssl_key : o->ssl_key;
  ssl->client_key_blob = b[CN_BLOB_SSLKEY].data;
  ssl->client_key_blob_len = b[CN_BLOB_SSLKEY].len;
  ssl->client_key_type = proxy ? o->proxy_ssl_key_type : o->ssl_key_type;
  ssl->key_password = proxy ? o->proxy_key_passwd : o->key_passwd;
  ssl->cipher_list = proxy ? o->proxy_ssl_cipher_list : o->ssl_cipher_list;
  ssl->tls13_ciphers = proxy ? o->proxy_tls13_ciphers : o->tls13_ciphers;
  ssl->session_cache = o->ssl_sessionid_cache;
  long options = proxy ? o->proxy_ssl_options : o->ssl_options;
  ssl->no_revoke = (options & CURLSSLOPT_NO_REVOKE) != 0;
  return ssl_versions(t, proxy, &ssl->version_min, &ssl->version_max);
}

/* The proxy variables, in the order of the slots scan_proxy_environment
 * fills. */
enum {
  ENV_no_proxy,
  ENV_NO_PROXY,
  ENV_http_proxy,
  ENV_https_proxy,
  ENV_HTTPS_PROXY,
  ENV_all_proxy,
  ENV_ALL_PROXY,
  NUM_PROXY_ENV
};
static const struct {
  const char *name;
  size_t len;
} proxy_env[NUM_PROXY_ENV] = {
    {"no_proxy", 8},    {"NO_PROXY", 8},  {"http_proxy", 10},
    {"https_proxy", 11}, {"HTTPS_PROXY", 11}, {"all_proxy", 9},
    {"ALL_PROXY", 9},
};

/* scan_proxy_environment writes to |out| (NUM_PROXY_ENV slots, NULL on
 * entry) what getenv() answers for each proxy variable, in one pass over
 * the environment instead of one per variable: an entry's first byte
 * picks the few names it can be (the table is grouped by first byte). */
static void scan_proxy_environment(const char **out) {
  if (!environ)
    return;
  for (char **ep = environ; *ep; ep++) {
    const char *e = *ep;
    size_t lo, hi;
    switch (e[0]) {
    case 'n': lo = ENV_no_proxy, hi = ENV_NO_PROXY; break;
    case 'N': lo = ENV_NO_PROXY, hi = ENV_http_proxy; break;
    case 'h': lo = ENV_http_proxy, hi = ENV_HTTPS_PROXY; break;
    case 'H': lo = ENV_HTTPS_PROXY, hi = ENV_all_proxy; break;
    case 'a': lo = ENV_all_proxy, hi = ENV_ALL_PROXY; break;
    case 'A': lo = ENV_ALL_PROXY, hi = NUM_PROXY_ENV; break;
    default: continue;
    }
    for (size_t i = lo; i < hi; i++) {
      size_t len = proxy_env[i].len;
      /* The first entry of a name is getenv's answer. */
      if (!out[i] && strncmp(e, proxy_env[i].name, len) == 0 && e[len] == '=')
        out[i] = e + len + 1;
    }
  }
}

/* read_proxy_environment fills the env_* fields of |ps| (whose options
 * are set) with the variables socket/proxy_resolution.c can consult, and
 * only those: CURLOPT_NOPROXY hides no_proxy/NO_PROXY, CURLOPT_PROXY or
 * PRE_PROXY (even "") hide the proxy variables, a lower-case variable
 * hides its upper-case twin, and all_proxy only stands in for a scheme
 * without its own variable. A redirect may change the scheme, so both
 * schemes' variables are read. */
static void read_proxy_environment(struct cn_proxy_settings *ps) {
  bool want_proxies = !ps->proxy && !ps->pre_proxy;
  if (ps->no_proxy && !want_proxies)
    return;
  const char *env[NUM_PROXY_ENV] = {NULL};
  scan_proxy_environment(env);
  if (!ps->no_proxy) {
    ps->env_no_proxy = env[ENV_no_proxy];
    if (!ps->env_no_proxy)
      ps->env_NO_PROXY = env[ENV_NO_PROXY];
  }
  if (!want_proxies)
    return;
  ps->env_http_proxy = env[ENV_http_proxy];
  ps->env_https_proxy = env[ENV_https_proxy];
  if (!ps->env_https_proxy)
    ps->env_HTTPS_PROXY = env[ENV_HTTPS_PROXY];
  if (!ps->env_http_proxy || !(ps->env_https_proxy || ps->env_HTTPS_PROXY)) {
    ps->env_all_proxy = env[ENV_all_proxy];
    if (!ps->env_all_proxy)
      ps->env_ALL_PROXY = env[ENV_ALL_PROXY];
  }
}

/* names_proxy: |ps| (options and environment read) can make a hop go
 * through a proxy. */
static bool names_proxy(const struct cn_proxy_settings *ps) {
  return ps->proxy || ps->pre_proxy || ps->env_http_proxy ||
         ps->env_https_proxy || ps->env_HTTPS_PROXY || ps->env_all_proxy ||
         ps->env_ALL_PROXY;
}

/* build_proxy snapshots the proxy options and the environment (libcurl
 * reads the variables for each new connection; a transfer is the nearest
 * curlium gets). Without a proxy to go through, the request gets no
 * proxy settings at all, which it treats as "no proxy". */
static CURLcode build_proxy(struct cn_transfer *t) {
  const struct cn_easy_options *o = &t->easy->opts;
  cn_http_auth_controller_start_transfer(&t->easy->proxy_auth, o->proxyauth,
                                         false);
  t->params.proxy_auth = &t->easy->proxy_auth;
  struct cn_proxy_settings ps = {
      .proxy = o->proxy,
      .pre_proxy = o->pre_proxy,
      .no_proxy = o->noproxy,
      .type = proxy_type(o->proxy_type),
      .port = (int)o->proxy_port,
      .user = o->proxy_user,
      .password = o->proxy_password,
      .tunnel = o->proxy_tunnel,
      .socks5_allow_userpass = (o->socks5_auth & CURLAUTH_BASIC) != 0,
      .out_proxy_code = &t->proxy_code,
      .out_proxy_verify_result = &t->easy->proxy_verify_result,
  };
  read_proxy_environment(&ps);
  if (!names_proxy(&ps)) {
    /* A bad CURLOPT_PROXY_SSLVERSION fails the transfer all the same. */
    int vmin, vmax;
    return ssl_versions(t, true, &vmin, &vmax);
  }
  t->proxy = cn_calloc(1, sizeof(*t->proxy));
  if (!t->proxy)
    return CURLE_OUT_OF_MEMORY;
  t->proxy->settings = ps;

  struct cn_ssl_config *ssl = &t->proxy->ssl;
  CURLcode rc = fill_ssl_config(t, ssl, true);
  if (rc != CURLE_OK)
    return rc;
  ssl->alpn[0] = "http/1.1"; /* the proxy is spoken to in HTTP/1.1 */
  ssl->num_alpn = 1;
  t->proxy->settings.proxy_ssl = ssl;

  /* CURLOPT_HEADEROPT: with SEPARATE, CONNECT gets PROXYHEADER and a
   * plain proxy gets HTTPHEADER + PROXYHEADER; with UNIFIED both get
   * HTTPHEADER. */
  size_t num_proxy = 0, num_connect = 0;
  if (o->header_separate) {
    rc = slist_array(o->proxy_header, &t->proxy_lines, &num_proxy);
    if (rc == CURLE_OK)
      rc = slist_array(o->proxy_header, &t->connect_lines, &num_connect);
  } else {
    rc = slist_array(o->http_header, &t->connect_lines, &num_connect);
  }
  if (rc != CURLE_OK)
    return rc;
  t->params.proxy_lines = t->proxy_lines;
  t->params.num_proxy_lines = num_proxy;

  struct cn_http_proxy_tunnel_config *tc = &t->proxy->tunnel;
  tc->http10 = o->proxy_type == CURLPROXY_HTTP_1_0;
  tc->user_agent = o->user_agent;
  tc->lines = t->connect_lines;
  tc->num_lines = num_connect;
  tc->auth = &t->easy->proxy_auth;
  tc->on_head = on_connect_head;
  tc->ctx = t;

  t->params.proxy = &t->proxy->settings;
  t->params.tunnel = tc;
  return CURLE_OK;
}

/* is_ws_url: the transfer starts at a ws:// or wss:// URL. */
static bool is_ws_url(const struct cn_easy_options *o) {
  const char *u = o->url;
  char *from_curlu = NULL;
  if (o->curlu && curl_url_get((CURLU *)o->curlu, CURLUPART_SCHEME,
                               &from_curlu, 0) == CURLUE_OK)
    u = from_curlu;
  /* Most URLs are told apart by their first byte already. */
  bool ws = u && (u[0] == 'w' || u[0] == 'W') &&
            (strncasecmp(u, "ws:", 3) == 0 || strncasecmp(u, "wss:", 4) == 0 ||
             strcasecmp(u, "ws") == 0 || strcasecmp(u, "wss") == 0);
  curl_free(from_curlu);
  return ws;
}

static CURLcode build_params(struct cn_transfer *t) {
  struct cn_easy *e = t->easy;
  const struct cn_easy_options *o = &e->opts;
  struct cn_url_request_params *p = &t->params; /* zero: t is new */

  CURLcode frc = fill_ssl_config(t, &t->ssl, false);
  if (frc != CURLE_OK)
    return frc;
  t->ssl.curves = o->ssl_ec_curves;
  /* h2 first, like libcurl, unless the program asked for HTTP/1.x, or
   * for a WebSocket or a CONNECT_ONLY connection (HTTP/1.1 only). */
  bool ws = is_ws_url(o);
  bool h1_only = o->http_version == CURL_HTTP_VERSION_1_1 ||
                 o->connect_only || ws;
  if (o->ssl_enable_alpn && o->http_version != CURL_HTTP_VERSION_1_0) {
    size_t n = 0;
    if (!h1_only)
      t->ssl.alpn[n++] = "h2";
    t->ssl.alpn[n++] = "http/1.1";
    t->ssl.num_alpn = n;
  }
  /* Impersonation: the profile shapes the ClientHello and picks the ALPN
   * list, its HTTP/2 connection shape and (unless "target:no") its default
   * headers in the browser's order. */
  const struct cn_browser_profile *profile = NULL;
  bool profile_headers = false;
  CURLcode irc = cn_impersonate_configure_transfer(
      o, &t->ssl, &profile, &profile_headers, true, &t->log);
  if (irc != CURLE_OK)
    return irc;
  t->ssl.no_key_usage_check = o->tls_no_key_usage_check;
  bool base_headers = o->http_base_header != NULL;
  if (o->fingerprint || base_headers) {
    irc = build_custom_profile(t, profile, profile && profile_headers);
    if (irc != CURLE_OK)
      return irc;
    profile = &t->custom->p;
    profile_headers = profile_headers || base_headers;
  }
  if (!e->ssl_key_valid || e->ssl_key_profile != t->ssl.profile) {
    cn_buf_reset(&e->ssl_key);
    if (cn_ssl_config_key(&t->ssl, &e->ssl_key) != CN_OK ||
        (!e->ssl_key.data && cn_buf_append_str(&e->ssl_key, "") != CN_OK))
      return CURLE_OUT_OF_MEMORY;
    e->ssl_key_profile = t->ssl.profile;
    e->ssl_key_valid = true;
  }
  t->ssl.key = e->ssl_key.data;
  if (profile) {
    /* Chromium's pool: 6 connections per group, 256 in all, unless the
     * program set its own limits on the multi handle. */
    struct cn_socket_params *sp = &p->socket;
    sp->has_limits = true;
    sp->max_per_group = t->multi->host_limit_set
                            ? t->multi->limits.max_per_group
                            : CHROMIUM_MAX_SOCKETS_PER_GROUP;
    sp->max_total = t->multi->total_limit_set ? t->multi->limits.max_total
                                              : CHROMIUM_MAX_SOCKETS_PER_POOL;
    t->h2_config = cn_malloc(sizeof(*t->h2_config));
    if (!t->h2_config)
      return CURLE_OUT_OF_MEMORY;
    cn_impersonate_h2_config(profile, t->h2_config);
    p->h2_config = t->h2_config;
    if (profile_headers)
      p->profile = profile;
  }
  /* A WebSocket upgrade request takes curl-impersonate's WS_HTTPHEADER
   * and WS_HTTPHEADER_ORDER instead of the HTTP ones when they are set. */
  p->header_order = ws && o->ws_header_order ? o->ws_header_order
                                             : o->header_order;
  p->h2_weight = (int)o->stream_weight;

  p->url = o->url;
  if (o->curlu) {
    if (curl_url_get((CURLU *)o->curlu, CURLUPART_URL, &t->url_from_curlu, 0) !=
        CURLUE_OK) {
      cn_net_log_fail(&t->log, "No URL set");
      return CURLE_URL_MALFORMAT;
    }
    p->url = t->url_from_curlu;
    p->url_from_curlu = true;
  }
  p->custom_method = o->custom_request;
  p->no_body = o->no_body;
  p->is_put = o->http_method == CN_HTTPREQ_PUT;
  bool mime_post = o->http_method == CN_HTTPREQ_POST_MIME ||
                   o->http_method == CN_HTTPREQ_POST_FORM;
  p->is_post = o->http_method == CN_HTTPREQ_POST || mime_post;
  p->port_override = (int)o->port;
  p->request_target = o->request_target;
  p->default_scheme = o->default_protocol;
  p->disallow_url_user = o->disallow_username_in_url;
  p->ignore_content_length = o->ignore_content_length;
  p->allow_http09 = o->http09_allowed;
  p->expect_100_timeout_ms = o->expect_100_timeout_ms;
  p->keep_sending_on_error = o->keep_sending_on_error;
  if (o->trailer_fn) {
    p->upload_trailers = upload_trailers;
    p->upload_trailers_ctx = t;
  }
  p->time_condition = (int)o->time_condition;
  p->time_value = o->time_value;
  p->get_filetime = o->get_filetime;
  p->certinfo = o->certinfo;
  p->read_chunk = o->buffer_size > 0 ? (size_t)o->buffer_size : 0;
  /* A PUT, or a POST from the read callback, with a range or resume
   * point resumes the upload (below) instead of asking for a range. */
  bool upload_range = (o->range || o->resume_from) &&
                      (p->is_put || (p->is_post && !o->postfields &&
                                     !mime_post));
  if (!upload_range && (o->range || o->resume_from > 0)) {
    size_t len = (o->range ? strlen(o->range) : 0) + 32;
    t->range = cn_malloc(len);
    if (!t->range)
      return CURLE_OUT_OF_MEMORY;
    if (o->range)
      snprintf(t->range, len, "bytes=%s", o->range);
    else
      snprintf(t->range, len, "bytes=%lld-", (long long)o->resume_from);
    p->range = t->range;
    p->resume_from = o->range ? 0 : o->resume_from;
  }
  CURLcode lc = slist_array(o->connect_to, &t->connect_to, &p->num_connect_to);
  if (lc == CURLE_OK)
    lc = slist_array(o->http200_aliases, &t->http200_aliases,
                     &p->num_http200_aliases);
  if (lc != CURLE_OK)
    return lc;
  p->connect_to = t->connect_to;
  p->http200_aliases = t->http200_aliases;
  p->user_agent = o->user_agent;
  /* Stock curl or pycurl under CURL_IMPERSONATE: their own default
   * User-Agent must not replace the browser's; any other value still does. */
  if (p->profile && o->impersonate_from_env &&
      cn_impersonate_is_client_default_ua(o->user_agent))
    p->user_agent = NULL;
  p->referer = o->referer;
  p->cookie = o->cookie;
  /* libcurl re-reads the COOKIEFILEs at every transfer start. */
  (void)cn_cookie_engine_load_files(&t->easy->cookies, &t->log);
  p->cookie_store = cn_cookie_engine_active(&t->easy->cookies);
  CURLcode hc = cn_hsts_start_transfer(t->easy, &t->log, &p->hsts);
  if (hc != CURLE_OK)
    return hc;
  p->altsvc = t->easy->altsvc.store;
  if (p->altsvc) {
    /* h3 alternatives are never used: no HTTP/3 here. */
    int wanted = CURLALTSVC_H1;
    if (o->http_version != CURL_HTTP_VERSION_1_0 &&
        o->http_version != CURL_HTTP_VERSION_1_1)
      wanted |= CURLALTSVC_H2;
    p->altsvc_wanted = wanted & (int)t->easy->altsvc.ctrl;
  }
  p->accept_encoding = o->accept_encoding;
  /* Under impersonation the codings the browser advertises are decoded. */
  if (p->profile && !p->accept_encoding)
    p->accept_encoding = p->profile->accept_encoding;
  p->content_decoding = o->http_content_decoding;
  p->transfer_encoding = o->transfer_encoding;
  p->transfer_decoding = o->http_transfer_decoding;
  p->username = o->username;
  p->password = o->password;
  /* Host authentication: the controller lives in the easy handle. */
  cn_http_auth_controller_start_transfer(&t->easy->auth, o->httpauth,
                                         o->httpauth_digest_ie);
  p->auth = &t->easy->auth;
  p->bearer = o->xoauth2_bearer;
  p->aws_sigv4 = o->aws_sigv4;
  p->netrc = (int)o->netrc;
  p->netrc_file = o->netrc_file;
  if (o->postfields) {
    p->post_fields = o->postfields;
    p->post_fields_len = o->postfield_size >= 0 ? (size_t)o->postfield_size
                                                : strlen(o->postfields);
  }
  p->infile_size = o->infile_size;
  p->http10 = o->http_version == CURL_HTTP_VERSION_1_0;
  p->http2 = o->http_version == CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
                 ? CN_HTTP2_PRIOR_KNOWLEDGE
             : o->http_version == CURL_HTTP_VERSION_2_0 ? CN_HTTP2_UPGRADE
                                                        : CN_HTTP2_NEGOTIATE;
  p->pipewait = o->pipewait;
  if (o->stream_depends) {
    p->h2_depends_on = depends_on_stream;
    p->h2_depends_ctx = t;
    p->h2_depends_exclusive = o->stream_depends_e;
  }
  p->follow_location = o->follow_location;
  p->follow_mode = (int)o->follow_mode;
  p->max_redirs = o->max_redirs;
  p->post_redir = (int)o->post_redir;
  p->auto_referer = o->auto_referer;
  p->unrestricted_auth = o->unrestricted_auth;
  p->allow_http = (o->protocols & CURLPROTO_HTTP) != 0;
  p->allow_https = (o->protocols & CURLPROTO_HTTPS) != 0;
  p->redir_allow_http = (o->redir_protocols & CURLPROTO_HTTP) != 0;
  p->redir_allow_https = (o->redir_protocols & CURLPROTO_HTTPS) != 0;
  p->allow_ws = (o->protocols & CN_PROTO_WS) != 0;
  p->allow_wss = (o->protocols & CN_PROTO_WSS) != 0;
  p->redir_allow_ws = (o->redir_protocols & CN_PROTO_WS) != 0;
  p->redir_allow_wss = (o->redir_protocols & CN_PROTO_WSS) != 0;
  p->connect_only = o->connect_only != 0;
  p->fail_on_error = o->fail_on_error;
  p->forbid_reuse = o->forbid_reuse;
  p->path_as_is = o->path_as_is;
  p->max_filesize = o->max_filesize;
  p->log = &t->log;
  CURLcode pc = build_proxy(t);
  if (pc != CURLE_OK)
    return pc;

  const struct curl_slist *headers =
      ws && o->ws_http_header ? o->ws_http_header : o->http_header;
  size_t n = 0;
  for (const struct curl_slist *s = headers; s; s = s->next)
    n++;
  if (n) {
    t->user_headers = cn_calloc(n, sizeof(*t->user_headers));
    if (!t->user_headers)
      return CURLE_OUT_OF_MEMORY;
    size_t i = 0;
    for (const struct curl_slist *s = headers; s; s = s->next)
      if (s->data)
        t->user_headers[i++] = s->data;
    n = i;
  }
  p->user_headers = t->user_headers;
  p->num_user_headers = n;

  /* The body: POSTFIELDS bytes, or the read callback for uploads and for
   * POST without POSTFIELDS. */
  if (mime_post) {
    /* CURLOPT_MIMEPOST / CURLOPT_HTTPPOST: the tree is the body; its top
     * headers give the Content-Type (the program's value + boundary). */
    struct cn_mime_upload_params mp = {
        .http_headers = o->http_header,
        .form_escape = o->mime_formescape,
        .log = &t->log,
        .on_pause = on_mime_pause,
        .pause_ctx = t,
    };
    t->mime_upload = true;
    CURLcode mc =
        o->http_method == CN_HTTPREQ_POST_MIME
            ? cn_mime_upload_stream_new(o->mimepost, &mp, &t->upload)
            : cn_form_upload_stream_new(o->httppost, o->read_fn, &mp,
                                        &t->upload);
    if (mc != CURLE_OK)
      return mc;
    p->content_type = cn_mime_upload_stream_content_type(t->upload);
    p->body_content_type = true;
  } else if (p->is_post && o->postfields && !o->upload) {
    size_t len = o->postfield_size >= 0 ? (size_t)o->postfield_size
                                        : strlen(o->postfields);
    t->upload = cn_upload_bytes_new(o->postfields, len);
    if (!t->upload)
      return CURLE_OUT_OF_MEMORY;
  } else if (p->is_post || p->is_put) {
    struct read_upload *u = cn_calloc(1, sizeof(*u));
    if (!u)
      return CURLE_OUT_OF_MEMORY;
    u->base.ops = &read_upload_ops;
    u->t = t;
    curl_off_t size = o->upload ? o->infile_size : o->postfield_size;
    /* libcurl: a POST the program sends chunked ignores POSTFIELDSIZE. */
    if (!o->upload && asks_chunked(o->http_header))
      size = -1;
    u->base.size = size >= 0 ? size : -1;
    t->upload = &u->base;
    if (upload_range) {
      CURLcode rc = resume_upload(t, u);
      if (rc != CURLE_OK)
        return rc;
      p->content_range = t->content_range;
    }
  }
  t->source = t->upload;
  if (t->upload) {
    CURLcode gc = add_send_gate(t);
    if (gc != CURLE_OK)
      return gc;
  }
  p->upload = t->upload;

  struct cn_socket_params *sp = &p->socket;
  sp->ssl = &t->ssl;
  sp->family = o->ip_resolve == CURL_IPRESOLVE_V4   ? CN_IP_V4
               : o->ip_resolve == CURL_IPRESOLVE_V6 ? CN_IP_V6
                                                    : CN_IP_ANY;
  sp->dns_cache_timeout_s = o->dns_cache_timeout_s;
  long ct = o->connect_timeout_ms ? o->connect_timeout_ms
                                  : DEFAULT_CONNECT_TIMEOUT_MS;
  if (o->timeout_ms && o->timeout_ms < ct)
    ct = o->timeout_ms;
  sp->connect_timeout_ms = ct;
  sp->happy_eyeballs_ms = o->happy_eyeballs_ms;
  sp->tcp_nodelay = o->tcp_nodelay;
  sp->tcp_keepalive = o->tcp_keepalive;
  sp->tcp_keepidle_s = o->tcp_keepidle_s;
  sp->tcp_keepintvl_s = o->tcp_keepintvl_s;
  sp->tcp_keepcnt = o->tcp_keepcnt;
  sp->scope_id = (unsigned int)o->scope_id;
  sp->dns_shuffle = o->dns_shuffle_addresses;
  sp->interface_name = o->interface_name;
  sp->local_port = (int)o->local_port;
  sp->local_port_range = (int)o->local_port_range;
  sp->fresh_connect = o->fresh_connect;
  sp->log = &t->log;
  fill_socket_hooks(o, &sp->hooks);
  sp->unix_path = o->unix_socket_path;
  sp->abstract_unix = o->abstract_unix;
  sp->haproxy = o->haproxy;
  sp->haproxy_client_ip = o->haproxy_client_ip;
  if (o->prereq_fn) {
    p->before_send = before_send;
    p->before_send_ctx = t;
  }
  if (o->share)
    cn_share_fill_socket_params((struct cn_share *)o->share, sp);
  return CURLE_OK;
}

/* --- completion --------------------------------------------------------- */

/* info_string_slot: where |info| keeps each enum info_string. */
static char **info_string_slot(struct cn_transfer_info *info,
                               enum info_string which) {
  switch (which) {
  case INFO_EFFECTIVE_URL: return &info->effective_url;
  case INFO_REDIRECT_URL: return &info->redirect_url;
  case INFO_CONTENT_TYPE: return &info->content_type;
  case INFO_EFFECTIVE_METHOD: return &info->effective_method;
  default: return &info->referer_used;
  }
}

/* copy_str makes info string |which| a copy of |src|. A copy it holds
 * already stays (record_info runs at the head and again at the end), and
 * an equal spare from the previous transfer is taken back. */
static void copy_str(struct cn_transfer *t, enum info_string which,
                     const char *src) {
  char **dst = info_string_slot(&t->easy->info, which);
  char **spare = &t->spare_strings[which];
  if (*dst && src && strcmp(*dst, src) == 0)
    return;
  cn_free(*dst);
  *dst = NULL;
  if (src && *spare && strcmp(*spare, src) == 0) {
    *dst = *spare;
    *spare = NULL;
  } else if (src) {
    *dst = cn_strdup(src);
  }
}

static curl_off_t since_start(const struct cn_url_request_stats *s,
                              int64_t when) {
  return when ? (curl_off_t)(when - s->start_us) : 0;
}

/* record_scheme keeps the scheme of the URL a transfer last used, as
 * CURLINFO_SCHEME reports it (lower case; empty before any request). */
static void record_scheme(struct cn_transfer_info *info, const char *url) {
  info->scheme[0] = '\0';
  const char *sep = url ? strstr(url, "://") : NULL;
  size_t n = sep ? (size_t)(sep - url) : 0;
  if (!n || n >= sizeof(info->scheme))
    return;
  for (size_t i = 0; i < n; i++) {
    char c = url[i];
    info->scheme[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  info->scheme[n] = '\0';
}

/* record_certinfo turns the chain's lines into CURLINFO_CERTINFO lists
 * (one curl_slist per certificate, leaf first). */
static void record_certinfo(struct curl_certinfo *ci, const uint8_t *data,
                            size_t len) {
  int n = 0;
  for (size_t i = 0; i < len; i++)
    if (data[i] == '\0' && (i == 0 || data[i - 1] == '\0'))
      n++;
  if (!n || ci->certinfo)
    return;
  ci->certinfo = cn_calloc((size_t)n, sizeof(*ci->certinfo));
  if (!ci->certinfo)
    return;
  ci->num_of_certs = n;
  int cert = 0;
  size_t at = 0;
  while (at < len && cert < n) {
    const char *line = (const char *)data + at;
    size_t l = strlen(line);
    at += l + 1;
    if (!l) {
      cert++;
      continue;
    }
    struct curl_slist *next = curl_slist_append(ci->certinfo[cert], line);
    if (next)
      ci->certinfo[cert] = next;
  }
}

/* record_addresses writes the text of the connection's addresses. */
static void record_addresses(struct cn_transfer *t,
                             const struct cn_url_request_stats *s) {
  struct cn_transfer_info *info = &t->easy->info;
  t->addresses_recorded = s->peer.len != 0;
  t->addresses_conn_id = s->conn_id;
  if (s->peer.len) {
    cn_ip_endpoint_address_string(&s->peer, info->primary_ip,
                                  sizeof(info->primary_ip));
    info->primary_port = cn_ip_endpoint_port(&s->peer);
  }
  if (s->local.len) {
    cn_ip_endpoint_address_string(&s->local, info->local_ip,
                                  sizeof(info->local_ip));
    info->local_port = cn_ip_endpoint_port(&s->local);
  }
}

/* record_info fills what curl_easy_getinfo reports. */
static void record_info(struct cn_transfer *t) {
  struct cn_transfer_info *info = &t->easy->info;
  const struct cn_url_request_stats *s = cn_url_request_stats(t->request);
  info->response_code = s->response_code;
  info->http_version = s->response_code == 0 ? 0
                       : s->http_major == 2  ? CURL_HTTP_VERSION_2_0
                       : s->http_minor == 0  ? CURL_HTTP_VERSION_1_0
                                             : CURL_HTTP_VERSION_1_1;
  info->redirect_count = s->redirect_count;
  info->header_size = (long)(s->header_bytes + t->connect_header_bytes);
  info->http_connectcode = t->connect_code;
  info->proxy_error = t->proxy_code;
  info->proxy_ssl_verify_result = t->easy->proxy_verify_result;
  info->used_proxy = s->used_proxy;
  info->proxyauth_avail = (long)t->easy->proxy_auth.info_avail;
  info->proxyauth_used = (long)t->easy->proxy_auth.info_used;
  info->request_size = (long)s->request_bytes;
  info->num_connects = s->num_connects;
  info->ssl_verify_result = s->tls.is_tls ? s->tls.verify_result : 0;
  info->size_download = s->body_bytes;
  info->size_upload = s->upload_bytes;
  info->content_length_download = s->content_length;
  info->content_length_upload =
      t->upload && t->upload->size >= 0 ? t->upload->size : -1;
  int64_t end = s->end_us ? s->end_us : cn_time_now_us();
  info->total_time_us = since_start(s, end);
  info->namelookup_time_us = since_start(s, s->namelookup_us);
  info->connect_time_us = since_start(s, s->connect_us);
  info->appconnect_time_us = since_start(s, s->appconnect_us);
  info->pretransfer_time_us = since_start(s, s->pretransfer_us);
  info->posttransfer_time_us = since_start(s, s->pretransfer_us);
  info->starttransfer_time_us = since_start(s, s->starttransfer_us);
  info->redirect_time_us = since_start(s, s->redirect_us);
  double secs = info->total_time_us / 1e6;
  info->speed_download = secs > 0 ? (curl_off_t)(s->body_bytes / secs) : 0;
  info->speed_upload = secs > 0 ? (curl_off_t)(s->upload_bytes / secs) : 0;
  info->conn_id = s->conn_id;
  info->filetime = s->filetime;
  if (s->certinfo)
    record_certinfo(&info->certinfo, s->certinfo, s->certinfo_len);
  info->condition_unmet = s->condition_unmet ? 1 : 0;
  info->httpauth_avail = (long)t->easy->auth.info_avail;
  info->httpauth_used = (long)t->easy->auth.info_used;
  info->xfer_id = t->easy->xfer_id;
  copy_str(t, INFO_EFFECTIVE_URL,
           s->effective_url ? s->effective_url : t->easy->opts.url);
  record_scheme(info, s->effective_url);
  copy_str(t, INFO_REDIRECT_URL, s->redirect_url);
  copy_str(t, INFO_EFFECTIVE_METHOD, s->method);
  copy_str(t, INFO_CONTENT_TYPE, s->content_type);
  copy_str(t, INFO_REFERER_USED, s->referer);
  info->retry_after = s->retry_after;
  /* A connection's addresses do not change: the text made for it at the
   * head is still right at the end. */
  if (!t->addresses_recorded || t->addresses_conn_id != s->conn_id)
    record_addresses(t, s);
}

static void stop_timers(struct cn_transfer *t) {
  cn_timer_stop(&t->timeout_timer);
  cn_timer_stop(&t->low_speed_timer);
  cn_timer_stop(&t->progress_timer);
  cn_timer_stop(&t->recv_rate_timer);
  cn_task_cancel(&t->unpause_task);
}

static void finish(struct cn_transfer *t, CURLcode result) {
  if (t->finished)
    return;
  t->finished = true;
  stop_timers(t);
  drop_held(t);
  struct cn_easy *e = t->easy;
  e->paused = 0;
  if (t->request)
    record_info(t);
  if (result != CURLE_OK && e->opts.error_buffer && !t->fail_written)
    snprintf(e->opts.error_buffer, CURL_ERROR_SIZE, "%s",
             curl_easy_strerror(result));
  e->result = result;
  if (t->ws_callback_mode)
    cn_easy_drop_connection(e); /* it lives on the transfer's loop */
  /* Connections go back to the pool now, not at the next perform. */
  cn_url_request_free(t->request);
  t->request = NULL;
  cn_multi_transfer_done(t->multi, e);
}

/* --- the connection after CONNECT_ONLY or a WebSocket upgrade ------------ */

static void on_ws_readable(void *ctx);

/* ws_pump runs the write-callback mode until it has to wait; the end of
 * the connection (or a failure) ends the transfer. */
static void ws_pump(struct cn_transfer *t) {
  if (t->finished || !t->easy->ws)
    return;
  CURLcode rc = cn_ws_pump(t->easy->ws);
  if (rc == CURLE_AGAIN)
    return;
  if (rc != CURLE_OK)
    t->fail_written = true; /* ws.c wrote the error buffer */
  finish(t, rc);
}

static void on_ws_readable(void *ctx) { ws_pump(ctx); }

/* keep_connection takes the connection the request left: CONNECT_ONLY
 * keeps it in the easy handle, on a loop of its own, for curl_easy_send/
 * recv and curl_ws_send/recv; a WebSocket without CONNECT_ONLY goes on
 * here, frames to the write callback. true: the transfer goes on. */
static bool keep_connection(struct cn_transfer *t, CURLcode *out_rc) {
  struct cn_easy *e = t->easy;
  *out_rc = CURLE_OK;
  struct cn_buf unread;
  cn_buf_init(&unread, 0);
  struct cn_stream_socket *s =
      cn_url_request_take_connection(t->request, &unread);
  if (!s) {
    cn_buf_cleanup(&unread);
    return false;
  }
  bool ws = cn_url_request_is_websocket(t->request);
  bool own_loop = e->opts.connect_only != 0;
  e->conn = cn_detached_connection_new(s, t->multi->loop,
                                       (const uint8_t *)unread.data,
                                       unread.len, own_loop);
  cn_buf_cleanup(&unread);
  if (!e->conn) {
    cn_stream_socket_destroy(s);
    *out_rc = CURLE_OUT_OF_MEMORY;
    return false;
  }
  if (ws) {
    e->ws = cn_ws_new(e, e->conn);
    if (!e->ws) {
      cn_easy_drop_connection(e);
      *out_rc = CURLE_OUT_OF_MEMORY;
      return false;
    }
  }
  if (own_loop || !ws)
    return false;
  t->ws_callback_mode = true;
  cn_detached_connection_set_notify(e->conn, on_ws_readable, t);
  return true;
}

/* complete ends the transfer with the request's outcome |rv|. */
static void complete(struct cn_transfer *t, int rv) {
  const struct cn_url_request_stats *s = cn_url_request_stats(t->request);
  enum cn_error_phase phase = t->phase;
  if (phase != CN_PHASE_RECV && s->num_connects == 0 && !s->conn_id)
    phase = CN_PHASE_CONNECT;
  if (phase == CN_PHASE_CONNECT && s->failed_after_send)
    phase = CN_PHASE_RECV;
  else if (phase == CN_PHASE_CONNECT && s->failed_sending)
    phase = CN_PHASE_SEND;
  CURLcode result = cn_error_to_curlcode(rv, phase);
  if (result == CURLE_OK && keep_connection(t, &result)) {
    ws_pump(t); /* bytes that came with the 101 may hold frames */
    return;
  }
  if (result == CURLE_OK) {
    int pv = report_progress(t);
    if (pv < 0)
      result = cn_error_to_curlcode(pv, CN_PHASE_RECV);
  }
  finish(t, result);
  if (t->easy->conn)
    t->easy->info.active_socket = cn_detached_connection_fd(t->easy->conn);
}

static void on_complete(void *ctx, int rv) {
  struct cn_transfer *t = ctx;
  if (rv == CN_OK && t->num_held) {
    /* The program still has output to take: the transfer ends when it
     * has taken it (after curl_easy_pause unpauses). */
    t->complete_pending = true;
    t->complete_rv = rv;
    return;
  }
  complete(t, rv);
}

static void on_timeout(void *ctx) {
  struct cn_transfer *t = ctx;
  const struct cn_url_request_stats *s = cn_url_request_stats(t->request);
  long ms = (long)((cn_time_now_us() - t->start_us) / 1000);
  if (s->starttransfer_us == 0 && s->pretransfer_us == 0 &&
      s->num_connects == 0)
    cn_net_log_fail(&t->log, "Connection timed out after %ld milliseconds",
                    ms);
  else
    cn_net_log_fail(&t->log,
                    "Operation timed out after %ld milliseconds with %lld "
                    "bytes received",
                    ms, (long long)t->dl_now);
  finish(t, CURLE_OPERATION_TIMEDOUT);
}

/* on_low_speed implements CURLOPT_LOW_SPEED_LIMIT/_TIME: checked once a
 * second; below the limit for the whole period aborts the transfer. */
static void on_low_speed(void *ctx) {
  struct cn_transfer *t = ctx;
  const struct cn_easy_options *o = &t->easy->opts;
  curl_off_t now_bytes = t->dl_now + t->ul_now;
  curl_off_t speed = now_bytes - t->low_speed_last_bytes;
  t->low_speed_last_bytes = now_bytes;
  int64_t now = cn_time_now_us();
  if (speed >= o->low_speed_limit) {
    t->low_speed_since_us = 0;
  } else {
    if (!t->low_speed_since_us)
      t->low_speed_since_us = now - 1000000;
    if (now - t->low_speed_since_us >= (int64_t)o->low_speed_time * 1000000) {
      cn_net_log_fail(&t->log,
                      "Operation too slow. Less than %ld bytes/sec "
                      "transferred the last %ld seconds",
                      o->low_speed_limit, o->low_speed_time);
      finish(t, CURLE_OPERATION_TIMEDOUT);
      return;
    }
  }
  cn_timer_start(t->multi->loop, &t->low_speed_timer, 1000);
}

static const struct cn_url_request_delegate delegate = {
    on_head, on_body, on_trailers, on_complete};

CURLcode cn_transfer_start(struct cn_easy *e, struct cn_multi *m) {
  cn_transfer_free(e->transfer);
  /* A connection the last CONNECT_ONLY transfer left is closed. */
  cn_easy_drop_connection(e);
  struct cn_transfer *t = cn_calloc(1, sizeof(*t));
  if (!t)
    return CURLE_OUT_OF_MEMORY;
  e->transfer = t;
  t->easy = e;
  t->multi = m;
  t->start_us = cn_time_now_us();
  t->phase = CN_PHASE_SETUP;
  t->log.fn = on_net_log;
  t->log.ctx = t;
  t->log.verbose = e->opts.verbose || e->opts.debug_fn;
  cn_timer_init(&t->timeout_timer, on_timeout, t);
  cn_timer_init(&t->low_speed_timer, on_low_speed, t);
  cn_timer_init(&t->progress_timer, on_progress_tick, t);
  cn_timer_init(&t->recv_rate_timer, on_recv_rate, t);
  cn_task_init(&t->unpause_task, run_unpause, t);
  /* A pause set before the transfer starts holds from the start. */
  t->pause = (int)e->paused & (CURLPAUSE_RECV | CURLPAUSE_SEND);
  for (size_t i = 0; i < NUM_INFO_STRINGS; i++) {
    char **slot = info_string_slot(&e->info, (enum info_string)i);
    t->spare_strings[i] = *slot;
    *slot = NULL;
  }
  cn_transfer_info_reset(&e->info);
  cn_header_store_reset(&e->headers);
  if (e->opts.error_buffer)
    e->opts.error_buffer[0] = '\0';

  CURLcode rc = build_params(t);
  if (rc == CURLE_OK)
    rc = apply_dns_options(t);
  apply_pool_options(t);
  if (rc != CURLE_OK) {
    if (rc == CURLE_OUT_OF_MEMORY)
      return rc;
    finish(t, rc);
    return CURLE_OK;
  }
  t->request = cn_url_request_new(m->session, &t->params, &delegate, t);
  if (!t->request)
    return CURLE_OUT_OF_MEMORY;
  if (e->opts.timeout_ms > 0 &&
      cn_timer_start(m->loop, &t->timeout_timer, e->opts.timeout_ms) != CN_OK)
    return CURLE_OUT_OF_MEMORY;
  if (e->opts.low_speed_limit > 0 && e->opts.low_speed_time > 0 &&
      cn_timer_start(m->loop, &t->low_speed_timer, 1000) != CN_OK)
    return CURLE_OUT_OF_MEMORY;
  int pv = report_progress(t);
  if (pv < 0) {
    finish(t, cn_error_to_curlcode(pv, CN_PHASE_SETUP));
    return CURLE_OK;
  }
  if (wants_progress(t) &&
      cn_timer_start(m->loop, &t->progress_timer, 1000) != CN_OK)
    return CURLE_OUT_OF_MEMORY;
  t->phase = CN_PHASE_CONNECT;
  cn_url_request_start(t->request);
  update_read_pause(t);
  return CURLE_OK;
}

void cn_transfer_fail(struct cn_transfer *t, CURLcode result) {
  finish(t, result);
}

void cn_transfer_free(struct cn_transfer *t) {
  if (!t)
    return;
  stop_timers(t);
  drop_held(t);
  if (t->ws_callback_mode && t->easy)
    cn_easy_drop_connection(t->easy); /* it lives on the transfer's loop */
  cn_url_request_free(t->request);
  cn_upload_data_stream_destroy(t->upload);
  cn_free(t->user_headers);
  for (size_t i = 0; i < NUM_INFO_STRINGS; i++)
    cn_free(t->spare_strings[i]);
  cn_free(t->proxy);
  cn_free(t->connect_lines);
  cn_free(t->proxy_lines);
  cn_free(t->connect_to);
  cn_free(t->http200_aliases);
  cn_free(t->range);
  cn_custom_profile_cleanup(t->custom);
  cn_free(t->custom);
  cn_free(t->h2_config);
  curl_free(t->url_from_curlu);
  if (t->easy && t->easy->transfer == t)
    t->easy->transfer = NULL;
  cn_free(t);
}
