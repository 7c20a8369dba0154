/* h2_session_test.c: the HTTP/2 session and stream against an nghttp2
 * server session over a socketpair, on one event loop: what goes on the
 * wire first (SETTINGS, WINDOW_UPDATE, PRIORITY, pseudo-header order),
 * request/response with libcurl's raw header lines, multiplexing, flow
 * control with a slow reader, RST_STREAM, GOAWAY, trailers, 1xx heads,
 * uploads, protocol errors, and allocation failures. */
#include <nghttp2/nghttp2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "http/alloc_track.h"
#include "h2_test_server.h"
#include "http/h2/h2_config.h"
#include "http/h2/h2_session.h"
#include "http/h2/h2_stream.h"
#include "http/http_request_headers.h"
#include "http/http_request_info.h"
#include "http/http_response_headers.h"
#include "http/upload_data_stream.h"
#include "socket/socket_test_util.h"
#include "test.h"
#include "tls/fd_stream_socket.h"
#include "util/event_loop.h"

/* --- fixture -------------------------------------------------------------- */

struct fixture {
  struct cn_event_loop *loop;
  struct h2ts_server srv;
  struct h2ts_conn *sc;
  struct cn_h2_session *session;
  bool dead;
  struct log_recorder rec;
  struct cn_net_log log;
};

static void on_dead(void *ctx, struct cn_h2_session *s) {
  struct fixture *f = ctx;
  f->dead = true;
  cn_h2_session_free(s);
  f->session = NULL;
}

static int fixture_init(struct fixture *f, const struct cn_h2_config *cfg) {
  memset(f, 0, sizeof(*f));
  f->log = recorder_log(&f->rec);
  f->loop = cn_event_loop_new();
  h2ts_server_init(&f->srv, f->loop);
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
    return -1;
  f->sc = h2ts_conn_new(&f->srv, sv[1]);
  struct cn_client_socket_handle h;
  memset(&h, 0, sizeof(h));
  h.socket = cn_test_fd_socket_new(f->loop, sv[0]);
  struct cn_h2_session_params p;
  memset(&p, 0, sizeof(p));
  p.loop = f->loop;
  p.config = cfg;
  p.on_dead = on_dead;
  p.on_dead_ctx = f;
  int rv = cn_h2_session_new(&f->session, &h, &p);
  if (rv != CN_OK)
    cn_stream_socket_destroy(h.socket);
  return rv;
}

static void fixture_cleanup(struct fixture *f) {
  cn_h2_session_free(f->session);
  f->session = NULL;
  h2ts_server_cleanup(&f->srv);
  cn_event_loop_run_once(f->loop, 0, NULL, 0);
  cn_event_loop_free(f->loop);
}

static void spin(struct fixture *f, int ms) { run_for(f->loop, ms); }

/* A request: GET |path| with Host, User-Agent, Accept. */
struct req {
  struct cn_http_request_headers headers;
  struct cn_http_request_info info;
};

static void req_init(struct req *r, struct fixture *f, const char *method,
                     const char *path) {
  memset(r, 0, sizeof(*r));
  cn_http_request_headers_init(&r->headers);
  cn_http_request_headers_add(&r->headers, "Host", "example.com");
  cn_http_request_headers_add(&r->headers, "User-Agent", "curl/8.14.1");
  cn_http_request_headers_add(&r->headers, "Accept", "*/*");
  r->info.method = method;
  r->info.request_target = path;
  r->info.headers = &r->headers;
  r->info.http_minor = 1;
  r->info.socket.use_tls = true;
  r->info.socket.host = "example.com";
  r->info.socket.port = 443;
  r->info.log = &f->log;
}

static void req_cleanup(struct req *r) {
  cn_http_request_headers_cleanup(&r->headers);
}

struct op {
  bool done;
  int rv;
};

static void on_op(void *ctx, int rv) {
  struct op *o = ctx;
  o->done = true;
  o->rv = rv;
}

#define NOT_DONE (-99999)

/* wait_op: the result of a call that may have gone pending. */
static int wait_op(struct fixture *f, int rv, struct op *o) {
  if (rv != CN_ERR_IO_PENDING)
    return rv;
  if (!run_until(f->loop, &o->done, 3000))
    return NOT_DONE;
  o->done = false;
  return o->rv;
}

static int send_req(struct fixture *f, struct cn_http_stream *s,
                    struct req *r) {
  struct op o = {0};
  return wait_op(f, s->ops->send_request(s, &r->info, on_op, &o), &o);
}

static int read_head(struct fixture *f, struct cn_http_stream *s) {
  struct op o = {0};
  return wait_op(f, s->ops->read_response_headers(s, on_op, &o), &o);
}

/* read_all reads the body into |out| (up to |cap|), |chunk| at a time;
 * returns the final result (0 at the end, or the error). */
static int read_all(struct fixture *f, struct cn_http_stream *s, uint8_t *out,
                    size_t cap, size_t chunk, size_t *out_len) {
  *out_len = 0;
  for (;;) {
    struct op o = {0};
    size_t want = chunk < cap - *out_len ? chunk : cap - *out_len;
    int rv = wait_op(f, s->ops->read_response_body(s, out + *out_len, want,
                                                   on_op, &o), &o);
    if (rv <= 0)
      return rv;
    *out_len += (size_t)rv;
  }
}

static const char *raw_line(const struct cn_http_response_headers *h,
                            size_t i, char *buf, size_t cap) {
  size_t len = 0;
  const char *p = cn_http_response_headers_raw_line(h, i, &len);
  if (!p || len >= cap)
    return "(none)";
  memcpy(buf, p, len);
  buf[len] = '\0';
  return buf;
}

/* --- configuration -------------------------------------------------------- */

TEST(config_defaults_are_libcurls) {
  struct cn_h2_config c;
  cn_h2_config_init(&c);
  CHECK_EQ_INT(c.num_settings, 3);
  CHECK_EQ_INT(c.settings[0].id, 3);
  CHECK_EQ_INT(c.settings[0].value, 100);
  CHECK_EQ_INT(c.settings[1].id, 4);
  CHECK_EQ_INT(c.settings[1].value, 65536);
  CHECK_EQ_INT(c.settings[2].id, 2);
  CHECK_EQ_INT(c.settings[2].value, 0);
  CHECK_EQ_INT(c.connection_window_increment, 1048510465);
  CHECK_EQ_INT(c.stream_window_after_headers, 10 * 1024 * 1024);
  CHECK_EQ_INT(c.pseudo_order[0], CN_H2_PSEUDO_METHOD);
  CHECK_EQ_INT(c.pseudo_order[1], CN_H2_PSEUDO_SCHEME);
  CHECK_EQ_INT(c.pseudo_order[2], CN_H2_PSEUDO_AUTHORITY);
  CHECK_EQ_INT(c.pseudo_order[3], CN_H2_PSEUDO_PATH);
  CHECK(cn_h2_config_set_pseudo_order(&c, "masp"));
  CHECK_EQ_INT(c.pseudo_order[1], CN_H2_PSEUDO_AUTHORITY);
  CHECK(!cn_h2_config_set_pseudo_order(&c, "mass"));
  CHECK(!cn_h2_config_set_pseudo_order(&c, "msa"));
  CHECK_EQ_INT(c.pseudo_order[1], CN_H2_PSEUDO_AUTHORITY); /* unchanged */
  CHECK(cn_h2_config_set_setting(&c, 4, 6291456));
  CHECK_EQ_INT(c.num_settings, 3);
  CHECK_EQ_INT(cn_h2_config_get_setting(&c, 4, 0), 6291456);
  CHECK_EQ_INT(cn_h2_config_get_setting(&c, 6, 77), 77);
}

TEST(request_fields_follow_libcurls_rules) {
  struct fixture f;
  memset(&f, 0, sizeof(f));
  struct req r;
  req_init(&r, &f, "GET", "/p?q=1");
  cn_http_request_headers_add(&r.headers, "Connection", "keep-alive");
  cn_http_request_headers_add(&r.headers, "Keep-Alive", "300");
  cn_http_request_headers_add(&r.headers, "Transfer-Encoding", "chunked");
  cn_http_request_headers_add(&r.headers, "Upgrade", "h2c");
  cn_http_request_headers_add(&r.headers, "Proxy-Connection", "x");
  cn_http_request_headers_add(&r.headers, "TE", "gzip, trailers;q=1");
  cn_http_request_headers_add(&r.headers, "X-Mixed-Case", " v ");
  cn_http_request_headers_add(&r.headers, "Cookie", "a=1; b=2;c=3");
  struct cn_h2_request_fields fl;
  CHECK_EQ_INT(cn_h2_request_fields_build(&fl, &r.info, false), CN_OK);
  CHECK_EQ_STR(fl.pseudo[CN_H2_PSEUDO_METHOD].value, "GET");
  CHECK(memcmp(fl.pseudo[CN_H2_PSEUDO_SCHEME].value, "https", 5) == 0);
  CHECK_EQ_INT(fl.pseudo[CN_H2_PSEUDO_AUTHORITY].value_len, 11);
  CHECK(memcmp(fl.pseudo[CN_H2_PSEUDO_AUTHORITY].value, "example.com", 11) ==
        0);
  CHECK_EQ_STR(fl.pseudo[CN_H2_PSEUDO_PATH].value, "/p?q=1");
  /* user-agent, accept, te: trailers, x-mixed-case, cookie */
  CHECK_EQ_INT(fl.num_headers, 5);
  if (fl.num_headers == 5) {
    CHECK_EQ_STR(fl.headers[0].name, "user-agent");
    CHECK_EQ_STR(fl.headers[1].name, "accept");
    CHECK_EQ_STR(fl.headers[2].name, "te");
    CHECK(fl.headers[2].value_len == 8 &&
          memcmp(fl.headers[2].value, "trailers", 8) == 0);
    CHECK_EQ_STR(fl.headers[3].name, "x-mixed-case");
    CHECK(fl.headers[3].value_len == 1 && fl.headers[3].value[0] == 'v');
    CHECK_EQ_STR(fl.headers[4].name, "cookie");
    CHECK_EQ_INT(fl.headers[4].value_len, strlen("a=1; b=2;c=3"));
  }
  cn_h2_request_fields_cleanup(&fl);
  /* Browsers send each cookie as its own field. */
  CHECK_EQ_INT(cn_h2_request_fields_build(&fl, &r.info, true), CN_OK);
  CHECK_EQ_INT(fl.num_headers, 7);
  if (fl.num_headers == 7) {
    CHECK(fl.headers[4].value_len == 3 &&
          memcmp(fl.headers[4].value, "a=1", 3) == 0);
    CHECK(fl.headers[5].value_len == 3 &&
          memcmp(fl.headers[5].value, "b=2", 3) == 0);
    CHECK(fl.headers[6].value_len == 3 &&
          memcmp(fl.headers[6].value, "c=3", 3) == 0);
  }
  cn_h2_request_fields_cleanup(&fl);
  /* TE without "trailers" is dropped. */
  cn_http_request_headers_set(&r.headers, "TE", "gzip");
  CHECK_EQ_INT(cn_h2_request_fields_build(&fl, &r.info, false), CN_OK);
  for (size_t i = 0; i < fl.num_headers; i++)
    CHECK(strcmp(fl.headers[i].name, "te") != 0);
  cn_h2_request_fields_cleanup(&fl);
  req_cleanup(&r);
}

TEST(request_fields_alloc_failures) {
  struct fixture f;
  memset(&f, 0, sizeof(f));
  struct req r;
  req_init(&r, &f, "GET", "/");
  struct cn_h2_request_fields fl;
  FAIL_LOOP(({
    int rv_b = cn_h2_request_fields_build(&fl, &r.info, true);
    if (rv_b == CN_OK)
      cn_h2_request_fields_cleanup(&fl);
    rv_b;
  }));
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
  req_cleanup(&r);
}

/* --- what goes on the wire ------------------------------------------------ */

static struct cn_http_stream *open_get(struct fixture *f, struct req *r,
                                       const char *path) {
  req_init(r, f, "GET", path);
  struct cn_http_stream *s = cn_h2_stream_new(f->session, f->loop, &f->log);
  CHECK(s != NULL);
  CHECK_EQ_INT(send_req(f, s, r), CN_OK);
  return s;
}

TEST(preface_is_libcurls_settings_then_window_update) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/index.html");
  spin(&f, 50);
  struct h2ts_conn *c = f.sc;
  CHECK(c->num_frames >= 3);
  /* SETTINGS 3:100, 4:65536, 2:0, in that order */
  CHECK_EQ_INT(c->frames[0].type, NGHTTP2_SETTINGS);
  CHECK_EQ_INT(c->num_settings, 3);
  CHECK_EQ_INT(c->settings_id[0], 3);
  CHECK_EQ_INT(c->settings_value[0], 100);
  CHECK_EQ_INT(c->settings_id[1], 4);
  CHECK_EQ_INT(c->settings_value[1], 65536);
  CHECK_EQ_INT(c->settings_id[2], 2);
  CHECK_EQ_INT(c->settings_value[2], 0);
  CHECK_EQ_INT(c->frames[1].type, NGHTTP2_WINDOW_UPDATE);
  CHECK_EQ_INT(c->frames[1].stream_id, 0);
  CHECK_EQ_INT(c->frames[1].value, 1048510465);
  int hi = h2ts_frame_index(c, NGHTTP2_HEADERS, 0);
  CHECK_EQ_INT(hi, 2);
  if (hi >= 0) {
    CHECK_EQ_INT(c->frames[hi].stream_id, 1);
    CHECK(!(c->frames[hi].flags & NGHTTP2_FLAG_PRIORITY));
    CHECK(c->frames[hi].flags & NGHTTP2_FLAG_END_STREAM);
  }
  struct h2ts_request *sr = h2ts_find(c, 1);
  CHECK(sr != NULL);
  if (sr) {
    CHECK_EQ_STR(sr->pseudo_order, "msap");
    CHECK_EQ_STR(h2ts_field(sr, ":authority"), "example.com");
    CHECK_EQ_STR(h2ts_field(sr, ":path"), "/index.html");
    CHECK_EQ_STR(h2ts_field(sr, ":scheme"), "https");
    CHECK_EQ_INT(sr->num_fields, 2);
    CHECK_EQ_STR(sr->fields[0].name, "user-agent");
    CHECK_EQ_STR(sr->fields[1].name, "accept");
    CHECK(h2ts_field(sr, "host") == NULL);
  }
  /* The verbose lines libcurl prints for a new stream. */
  CHECK(strstr(f.rec.text, "[HTTP/2] [1] OPENED stream for "
                           "https://example.com/index.html") != NULL);
  CHECK(strstr(f.rec.text, "[HTTP/2] [1] [:method: GET]") != NULL);
  CHECK(strstr(f.rec.text, "[HTTP/2] [1] [user-agent: curl/8.14.1]") != NULL);
  int64_t body = -1;
  CHECK_EQ_INT(s->ops->bytes_sent(s, &body),
               strlen("GET /index.html HTTP/2\r\nHost: example.com\r\n"
                      "User-Agent: curl/8.14.1\r\nAccept: */*\r\n\r\n"));
  CHECK_EQ_INT(body, 0);
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

TEST(preface_and_headers_follow_a_browser_config) {
  struct cn_h2_config cfg;
  cn_h2_config_init(&cfg);
  cfg.num_settings = 0;
  cn_h2_config_set_setting(&cfg, 1, 65536);
  cn_h2_config_set_setting(&cfg, 2, 0);
  cn_h2_config_set_setting(&cfg, 4, 6291456);
  cn_h2_config_set_setting(&cfg, 6, 262144);
  cfg.connection_window_increment = 15663105;
  cfg.stream_window_after_headers = 0;
  cfg.num_priority_frames = 2;
  cfg.priority_frames[0].stream_id = 3;
  cfg.priority_frames[0].priority.weight = 201;
  cfg.priority_frames[1].stream_id = 5;
  cfg.priority_frames[1].priority.weight = 101;
  cfg.headers_priority.weight = 256;
  cfg.headers_priority.exclusive = true;
  CHECK(cn_h2_config_set_pseudo_order(&cfg, "masp"));
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, &cfg), CN_OK);
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/");
  spin(&f, 50);
  struct h2ts_conn *c = f.sc;
  CHECK_EQ_INT(c->frames[0].type, NGHTTP2_SETTINGS);
  CHECK_EQ_INT(c->num_settings, 4);
  uint16_t want_ids[] = {1, 2, 4, 6};
  uint32_t want_values[] = {65536, 0, 6291456, 262144};
  for (int i = 0; i < 4; i++) {
    CHECK_EQ_INT(c->settings_id[i], want_ids[i]);
    CHECK_EQ_INT(c->settings_value[i], want_values[i]);
  }
  CHECK_EQ_INT(c->frames[1].type, NGHTTP2_WINDOW_UPDATE);
  CHECK_EQ_INT(c->frames[1].value, 15663105);
  CHECK_EQ_INT(c->frames[2].type, NGHTTP2_PRIORITY);
  CHECK_EQ_INT(c->frames[2].stream_id, 3);
  CHECK_EQ_INT(c->frames[2].weight, 201);
  CHECK_EQ_INT(c->frames[3].type, NGHTTP2_PRIORITY);
  CHECK_EQ_INT(c->frames[3].stream_id, 5);
  /* The first flight is exactly that: the ACK of the server's SETTINGS
   * (already waiting when the session started) comes after. */
  int hi = h2ts_frame_index(c, NGHTTP2_HEADERS, 0);
  CHECK_EQ_INT(hi, 4);
  if (hi >= 0) {
    CHECK(c->frames[hi].flags & NGHTTP2_FLAG_PRIORITY);
    CHECK_EQ_INT(c->frames[hi].weight, 256);
    CHECK(c->frames[hi].exclusive);
    CHECK_EQ_INT(c->frames[hi].dep, 0);
  }
  struct h2ts_request *sr = h2ts_find(c, 1);
  CHECK(sr && strcmp(sr->pseudo_order, "masp") == 0);
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

/* --- responses ------------------------------------------------------------ */

TEST(get_with_libcurl_header_lines) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/");
  spin(&f, 20);
  static const char *const hdrs[] = {"content-type", "text/plain", "x-a",
                                     "b", NULL};
  h2ts_respond(f.sc, 1, 200, hdrs, "hello world", 11, NULL);
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  const struct cn_http_response_headers *h = s->ops->response_headers(s);
  CHECK(h != NULL);
  if (h) {
    char buf[128];
    CHECK_EQ_INT(h->version_major, 2);
    CHECK_EQ_INT(h->version_minor, 0);
    CHECK_EQ_INT(h->status_code, 200);
    CHECK_EQ_INT(cn_http_response_headers_num_raw_lines(h), 4);
    CHECK_EQ_STR(raw_line(h, 0, buf, sizeof(buf)), "HTTP/2 200 \r\n");
    CHECK_EQ_STR(raw_line(h, 1, buf, sizeof(buf)),
                 "content-type: text/plain\r\n");
    CHECK_EQ_STR(raw_line(h, 2, buf, sizeof(buf)), "x-a: b\r\n");
    CHECK_EQ_STR(raw_line(h, 3, buf, sizeof(buf)), "\r\n");
    CHECK_EQ_STR(cn_http_response_headers_get(h, "Content-Type", 0),
                 "text/plain");
  }
  CHECK(s->ops->received_response_bytes(s));
  uint8_t body[64];
  size_t n = 0;
  CHECK_EQ_INT(read_all(&f, s, body, sizeof(body), 64, &n), 0);
  CHECK_EQ_INT(n, 11);
  CHECK(memcmp(body, "hello world", 11) == 0);
  CHECK(s->ops->response_trailers(s) == NULL);
  s->ops->destroy(s);
  CHECK_EQ_INT(cn_h2_session_num_streams(f.session), 0);
  CHECK(cn_h2_session_is_available(f.session));
  CHECK(cn_h2_session_is_reused(f.session));
  req_cleanup(&r);
  fixture_cleanup(&f);
}

struct multi_ctx {
  int seen;
};

static void hold_requests(void *ctx, struct h2ts_conn *c,
                          struct h2ts_request *r) {
  (void)c;
  (void)r;
  ((struct multi_ctx *)ctx)->seen++;
}

TEST(three_streams_multiplex_on_one_connection) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  struct multi_ctx mc = {0};
  f.srv.on_request = hold_requests;
  f.srv.ctx = &mc;
  struct req r[3];
  struct cn_http_stream *s[3];
  const char *paths[3] = {"/a", "/b", "/c"};
  for (int i = 0; i < 3; i++)
    s[i] = open_get(&f, &r[i], paths[i]);
  CHECK_EQ_INT(cn_h2_session_num_streams(f.session), 3);
  for (int i = 0; i < 300 && mc.seen < 3; i++)
    spin(&f, 5);
  CHECK_EQ_INT(mc.seen, 3);
  /* Answer in reverse order: each stream gets its own body. */
  h2ts_respond(f.sc, 5, 200, NULL, "body-c", 6, NULL);
  h2ts_respond(f.sc, 3, 200, NULL, "body-b", 6, NULL);
  h2ts_respond(f.sc, 1, 200, NULL, "body-a", 6, NULL);
  const char *want[3] = {"body-a", "body-b", "body-c"};
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(read_head(&f, s[i]), CN_OK);
    uint8_t body[16];
    size_t n = 0;
    CHECK_EQ_INT(read_all(&f, s[i], body, sizeof(body), 16, &n), 0);
    CHECK(n == 6 && memcmp(body, want[i], 6) == 0);
  }
  CHECK_EQ_STR(h2ts_field(h2ts_find(f.sc, 3), ":path"), "/b");
  CHECK_EQ_INT(f.srv.num_conns, 1);
  for (int i = 0; i < 3; i++) {
    s[i]->ops->destroy(s[i]);
    req_cleanup(&r[i]);
  }
  fixture_cleanup(&f);
}

static void fill_pattern(uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    p[i] = (uint8_t)(i * 7 + (i >> 8));
}

TEST(slow_reader_holds_at_most_one_window) {
  struct cn_h2_config cfg;
  cn_h2_config_init(&cfg);
  cfg.stream_window_after_headers = 0; /* stay at 64 KiB */
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, &cfg), CN_OK);
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/big");
  spin(&f, 20);
  size_t total = 1024 * 1024;
  uint8_t *data = malloc(total);
  uint8_t *got = malloc(total);
  fill_pattern(data, total);
  h2ts_respond(f.sc, 1, 200, NULL, data, total, NULL);
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  /* Nobody reads: the server is stopped by the stream window. */
  spin(&f, 100);
  struct h2ts_request *sr = h2ts_find(f.sc, 1);
  CHECK(sr && sr->data_sent > 0 && sr->data_sent <= 65536);
  size_t n = 0;
  uint64_t max_excess = 0;
  for (;;) {
    struct op o = {0};
    int rv = wait_op(&f, s->ops->read_response_body(s, got + n, 4096, on_op,
                                                    &o), &o);
    if (rv <= 0) {
      CHECK_EQ_INT(rv, 0);
      break;
    }
    n += (size_t)rv;
    if (sr->data_sent > n && sr->data_sent - n > max_excess)
      max_excess = sr->data_sent - n;
  }
  CHECK_EQ_INT(n, total);
  CHECK(memcmp(got, data, total) == 0);
  /* Never more in flight than the stream window. */
  CHECK(max_excess <= 65536);
  /* The windows reopened as data was read. */
  int wu = h2ts_frame_index(f.sc, NGHTTP2_WINDOW_UPDATE, 2);
  CHECK(wu > 0);
  free(data);
  free(got);
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

TEST(stream_window_grows_like_libcurl_after_the_head) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/big");
  spin(&f, 20);
  size_t total = 512 * 1024;
  uint8_t *data = calloc(1, total);
  h2ts_respond(f.sc, 1, 200, NULL, data, total, NULL);
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  spin(&f, 100);
  /* WINDOW_UPDATE on stream 1 opening it to 10 MiB */
  bool found = false;
  for (size_t i = 0; i < f.sc->num_frames; i++)
    if (f.sc->frames[i].type == NGHTTP2_WINDOW_UPDATE &&
        f.sc->frames[i].stream_id == 1 &&
        f.sc->frames[i].value == 10 * 1024 * 1024 - 65536)
      found = true;
  CHECK(found);
  /* So the whole body arrived although nothing was read. */
  struct h2ts_request *sr = h2ts_find(f.sc, 1);
  CHECK(sr && sr->data_sent == total);
  free(data);
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

static void respond_then_hold(void *ctx, struct h2ts_conn *c,
                              struct h2ts_request *r) {
  (void)ctx;
  r->resp_hold = true;
  h2ts_respond(c, r->id, 200, NULL, "x", 1, NULL);
}

TEST(rst_stream_is_a_stream_error_with_libcurls_text) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  f.srv.on_request = respond_then_hold;
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/");
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  h2ts_rst(f.sc, 1, NGHTTP2_INTERNAL_ERROR);
  uint8_t buf[16];
  size_t n = 0;
  CHECK_EQ_INT(read_all(&f, s, buf, sizeof(buf), 16, &n),
               CN_ERR_HTTP2_STREAM_ERROR);
  CHECK_EQ_STR(f.rec.fail,
               "HTTP/2 stream 1 was not closed cleanly: INTERNAL_ERROR "
               "(err 2)");
  s->ops->destroy(s);
  req_cleanup(&r);
  /* Before any head: the same error from read_response_headers. */
  f.srv.on_request = NULL;
  f.rec.num_fail = 0;
  s = open_get(&f, &r, "/");
  spin(&f, 20);
  h2ts_rst(f.sc, 3, NGHTTP2_CANCEL);
  CHECK_EQ_INT(read_head(&f, s), CN_ERR_HTTP2_STREAM_ERROR);
  CHECK_EQ_STR(f.rec.fail,
               "HTTP/2 stream 3 was not closed cleanly: CANCEL (err 8)");
  /* The connection itself is fine. */
  CHECK(cn_h2_session_is_available(f.session));
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

TEST(refused_stream_and_goaway_ask_for_a_retry) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  struct multi_ctx mc = {0};
  f.srv.on_request = hold_requests;
  f.srv.ctx = &mc;
  struct req r1, r2, r3;
  struct cn_http_stream *s1 = open_get(&f, &r1, "/1");
  struct cn_http_stream *s2 = open_get(&f, &r2, "/2");
  struct cn_http_stream *s3 = open_get(&f, &r3, "/3");
  for (int i = 0; i < 300 && mc.seen < 3; i++)
    spin(&f, 5);
  /* RST_STREAM REFUSED_STREAM: not processed, retry elsewhere. */
  h2ts_rst(f.sc, 5, NGHTTP2_REFUSED_STREAM);
  CHECK_EQ_INT(read_head(&f, s3), CN_ERR_HTTP2_SERVER_REFUSED_STREAM);
  /* GOAWAY with last stream 1: stream 3 was not processed either. */
  h2ts_goaway(f.sc, 1, NGHTTP2_NO_ERROR);
  CHECK_EQ_INT(read_head(&f, s2), CN_ERR_HTTP2_SERVER_REFUSED_STREAM);
  CHECK(strstr(f.rec.text, "received GOAWAY, error=0, last_stream=1") != NULL);
  CHECK(!cn_h2_session_is_available(f.session));
  /* Stream 1 still completes. */
  h2ts_respond(f.sc, 1, 200, NULL, "one", 3, NULL);
  CHECK_EQ_INT(read_head(&f, s1), CN_OK);
  uint8_t buf[8];
  size_t n = 0;
  CHECK_EQ_INT(read_all(&f, s1, buf, sizeof(buf), 8, &n), 0);
  CHECK(n == 3 && memcmp(buf, "one", 3) == 0);
  /* A new stream on this session is refused at once. */
  struct cn_http_stream *s4 = cn_h2_stream_new(f.session, f.loop, &f.log);
  struct req r4;
  req_init(&r4, &f, "GET", "/4");
  CHECK_EQ_INT(send_req(&f, s4, &r4), CN_ERR_HTTP2_SERVER_REFUSED_STREAM);
  s4->ops->destroy(s4);
  s1->ops->destroy(s1);
  s2->ops->destroy(s2);
  s3->ops->destroy(s3);
  /* Done with its last stream after a GOAWAY: the session closes and
   * tells its owner. */
  CHECK(run_until(f.loop, &f.dead, 2000));
  req_cleanup(&r1);
  req_cleanup(&r2);
  req_cleanup(&r3);
  req_cleanup(&r4);
  fixture_cleanup(&f);
}

static void respond_with_trailers(void *ctx, struct h2ts_conn *c,
                                  struct h2ts_request *r) {
  (void)ctx;
  static const char *const tr[] = {"x-checksum", "abc", "x-more", "1", NULL};
  h2ts_respond(c, r->id, 200, NULL, "data", 4, tr);
}

TEST(trailers_come_after_the_body) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  f.srv.on_request = respond_with_trailers;
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/t");
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  uint8_t buf[16];
  size_t n = 0;
  CHECK_EQ_INT(read_all(&f, s, buf, sizeof(buf), 16, &n), 0);
  CHECK(n == 4 && memcmp(buf, "data", 4) == 0);
  const struct cn_http_response_headers *t = s->ops->response_trailers(s);
  CHECK(t != NULL);
  if (t) {
    char line[64];
    CHECK_EQ_INT(cn_http_response_headers_num_raw_lines(t), 2);
    CHECK_EQ_STR(raw_line(t, 0, line, sizeof(line)), "x-checksum: abc\r\n");
    CHECK_EQ_STR(raw_line(t, 1, line, sizeof(line)), "x-more: 1\r\n");
    CHECK_EQ_STR(cn_http_response_headers_get(t, "x-checksum", 0), "abc");
  }
  /* The final head did not take the trailers in. */
  CHECK(cn_http_response_headers_get(s->ops->response_headers(s),
                                     "x-checksum", 0) == NULL);
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

static void early_hints(void *ctx, struct h2ts_conn *c,
                        struct h2ts_request *r) {
  (void)ctx;
  static const char *const link[] = {"link", "</style.css>", NULL};
  h2ts_info(c, r->id, 103, link);
  h2ts_respond(c, r->id, 200, NULL, "ok", 2, NULL);
}

TEST(interim_heads_come_first) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  f.srv.on_request = early_hints;
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/");
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  const struct cn_http_response_headers *h = s->ops->response_headers(s);
  char line[64];
  CHECK(h && h->status_code == 103);
  if (h) {
    CHECK_EQ_STR(raw_line(h, 0, line, sizeof(line)), "HTTP/2 103 \r\n");
    CHECK_EQ_STR(raw_line(h, 1, line, sizeof(line)), "link: </style.css>\r\n");
  }
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  h = s->ops->response_headers(s);
  CHECK(h && h->status_code == 200);
  uint8_t buf[8];
  size_t n = 0;
  CHECK_EQ_INT(read_all(&f, s, buf, sizeof(buf), 8, &n), 0);
  CHECK_EQ_INT(n, 2);
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

static void check_upload(void *ctx, struct h2ts_conn *c,
                         struct h2ts_request *r) {
  (void)ctx;
  char len[32];
  snprintf(len, sizeof(len), "%zu", r->body_len);
  h2ts_respond(c, r->id, 200, NULL, len, strlen(len), NULL);
}

TEST(upload_goes_out_within_the_servers_windows) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  f.srv.on_request = check_upload;
  size_t total = 300000; /* several times the default 65535 window */
  uint8_t *data = malloc(total);
  fill_pattern(data, total);
  struct cn_upload_data_stream *up = cn_upload_bytes_new(data, total);
  struct req r;
  req_init(&r, &f, "POST", "/upload");
  cn_http_request_headers_add(&r.headers, "Content-Length", "300000");
  cn_http_request_headers_add(&r.headers, "Transfer-Encoding", "chunked");
  r.info.upload = up;
  struct cn_http_stream *s = cn_h2_stream_new(f.session, f.loop, &f.log);
  CHECK_EQ_INT(send_req(&f, s, &r), CN_OK);
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  uint8_t buf[32];
  size_t n = 0;
  CHECK_EQ_INT(read_all(&f, s, buf, sizeof(buf) - 1, 32, &n), 0);
  buf[n] = '\0';
  CHECK_EQ_STR((char *)buf, "300000");
  struct h2ts_request *sr = h2ts_find(f.sc, 1);
  CHECK(sr && sr->body_len == total && memcmp(sr->body, data, total) == 0);
  CHECK(sr && strcmp(h2ts_field(sr, "content-length"), "300000") == 0);
  CHECK(sr && h2ts_field(sr, "transfer-encoding") == NULL);
  int64_t body = 0;
  s->ops->bytes_sent(s, &body);
  CHECK_EQ_INT(body, total);
  s->ops->destroy(s);
  cn_upload_data_stream_destroy(up);
  free(data);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

TEST(protocol_error_fails_the_connection) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/");
  spin(&f, 20);
  /* DATA on stream 0 is a connection error (PROTOCOL_ERROR). */
  static const uint8_t bad[] = {0, 0, 4, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c', 'd'};
  h2ts_raw(f.sc, bad, sizeof(bad));
  CHECK_EQ_INT(read_head(&f, s), CN_ERR_HTTP2_PROTOCOL_ERROR);
  CHECK(f.rec.num_fail > 0);
  CHECK(cn_h2_session_is_closed(f.session) || f.session == NULL);
  /* The GOAWAY nghttp2 sent said why. */
  spin(&f, 20);
  int g = h2ts_frame_index(f.sc, NGHTTP2_GOAWAY, 0);
  CHECK(g >= 0 && f.sc->frames[g].value == NGHTTP2_PROTOCOL_ERROR);
  s->ops->destroy(s);
  CHECK(run_until(f.loop, &f.dead, 2000));
  req_cleanup(&r);
  fixture_cleanup(&f);
}

TEST(lost_connection_before_the_head_is_retryable) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/");
  spin(&f, 20);
  h2ts_close(f.sc);
  CHECK_EQ_INT(read_head(&f, s), CN_ERR_CONNECTION_CLOSED);
  CHECK(!s->ops->received_response_bytes(s));
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

static void respond_without_end(void *ctx, struct h2ts_conn *c,
                                struct h2ts_request *r) {
  (void)ctx;
  r->resp_no_end = true;
  h2ts_respond(c, r->id, 200, NULL, "xy", 2, NULL);
}

TEST(lost_connection_inside_the_body_is_a_partial_file) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  f.srv.on_request = respond_without_end;
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/");
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  uint8_t buf[8];
  struct op o = {0};
  CHECK_EQ_INT(wait_op(&f, s->ops->read_response_body(s, buf, sizeof(buf),
                                                       on_op, &o), &o), 2);
  h2ts_close(f.sc);
  size_t n = 0;
  CHECK_EQ_INT(read_all(&f, s, buf, sizeof(buf), 8, &n),
               CN_ERR_CONTENT_LENGTH_MISMATCH);
  s->ops->destroy(s);
  req_cleanup(&r);
  /* Before any body byte it is an HTTP/2 error. */
  fixture_cleanup(&f);
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  f.srv.on_request = respond_then_hold;
  s = open_get(&f, &r, "/");
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  h2ts_close(f.sc);
  CHECK_EQ_INT(read_all(&f, s, buf, sizeof(buf), 8, &n),
               CN_ERR_HTTP2_PROTOCOL_ERROR);
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

TEST(abandoned_stream_is_reset_and_its_data_given_back) {
  struct cn_h2_config cfg;
  cn_h2_config_init(&cfg);
  cfg.stream_window_after_headers = 0;
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, &cfg), CN_OK);
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/");
  spin(&f, 20);
  size_t total = 200000;
  uint8_t *data = calloc(1, total);
  h2ts_respond(f.sc, 1, 200, NULL, data, total, NULL);
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  spin(&f, 50);
  s->ops->destroy(s);
  spin(&f, 50);
  int rst = h2ts_frame_index(f.sc, NGHTTP2_RST_STREAM, 0);
  CHECK(rst >= 0 && f.sc->frames[rst].value == NGHTTP2_CANCEL);
  /* The session stays usable for the next request. */
  f.srv.echo = true;
  struct req r2;
  struct cn_http_stream *s2 = open_get(&f, &r2, "/next");
  CHECK_EQ_INT(read_head(&f, s2), CN_OK);
  uint8_t buf[16];
  size_t n = 0;
  CHECK_EQ_INT(read_all(&f, s2, buf, sizeof(buf), 16, &n), 0);
  CHECK(n == 5 && memcmp(buf, "/next", 5) == 0);
  s2->ops->destroy(s2);
  free(data);
  req_cleanup(&r);
  req_cleanup(&r2);
  fixture_cleanup(&f);
}

static void push_then_respond(void *ctx, struct h2ts_conn *c,
                              struct h2ts_request *r) {
  (void)ctx;
  nghttp2_nv nv[] = {
      {(uint8_t *)":method", (uint8_t *)"GET", 7, 3, NGHTTP2_NV_FLAG_NONE},
      {(uint8_t *)":path", (uint8_t *)"/pushed", 5, 7, NGHTTP2_NV_FLAG_NONE},
      {(uint8_t *)":scheme", (uint8_t *)"https", 7, 5, NGHTTP2_NV_FLAG_NONE},
      {(uint8_t *)":authority", (uint8_t *)"example.com", 10, 11,
       NGHTTP2_NV_FLAG_NONE}};
  int32_t id = nghttp2_submit_push_promise(c->ng, NGHTTP2_FLAG_NONE, r->id,
                                           nv, 4, NULL);
  CHECK(id == 2);
  h2ts_respond(c, r->id, 200, NULL, "main", 4, NULL);
}

TEST(server_push_is_refused) {
  /* A profile that leaves push enabled: promises are reset. */
  struct cn_h2_config cfg;
  cn_h2_config_init(&cfg);
  cn_h2_config_set_setting(&cfg, CN_H2_SETTINGS_ENABLE_PUSH, 1);
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, &cfg), CN_OK);
  f.srv.on_request = push_then_respond;
  struct req r;
  struct cn_http_stream *s = open_get(&f, &r, "/");
  CHECK_EQ_INT(read_head(&f, s), CN_OK);
  uint8_t buf[8];
  size_t n = 0;
  CHECK_EQ_INT(read_all(&f, s, buf, sizeof(buf), 8, &n), 0);
  CHECK(n == 4 && memcmp(buf, "main", 4) == 0);
  spin(&f, 30);
  bool refused = false;
  for (size_t i = 0; i < f.sc->num_frames; i++)
    if (f.sc->frames[i].type == NGHTTP2_RST_STREAM &&
        f.sc->frames[i].stream_id == 2 &&
        f.sc->frames[i].value == NGHTTP2_REFUSED_STREAM)
      refused = true;
  CHECK(refused);
  CHECK(cn_h2_session_is_available(f.session));
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

TEST(ping_for_upkeep_and_weight_per_request) {
  struct fixture f;
  CHECK_EQ_INT(fixture_init(&f, NULL), CN_OK);
  CHECK_EQ_INT(cn_h2_session_ping(f.session), CN_OK);
  spin(&f, 30);
  int p = h2ts_frame_index(f.sc, NGHTTP2_PING, 0);
  CHECK(p >= 0 && !(f.sc->frames[p].flags & NGHTTP2_FLAG_ACK));
  /* CURLOPT_STREAM_WEIGHT: a weight other than 16 is sent. */
  struct req r;
  req_init(&r, &f, "GET", "/w");
  r.info.h2_weight = 32;
  struct cn_http_stream *s = cn_h2_stream_new(f.session, f.loop, &f.log);
  CHECK_EQ_INT(send_req(&f, s, &r), CN_OK);
  spin(&f, 30);
  int hi = h2ts_frame_index(f.sc, NGHTTP2_HEADERS, 0);
  CHECK(hi >= 0 && (f.sc->frames[hi].flags & NGHTTP2_FLAG_PRIORITY) &&
        f.sc->frames[hi].weight == 32 && !f.sc->frames[hi].exclusive);
  s->ops->destroy(s);
  req_cleanup(&r);
  fixture_cleanup(&f);
}

/* Allocation failures while the session starts and a request goes out:
 * every failure before the outcome is known is reported as an error (OOM
 * from our code; nghttp2 may turn its own failures into an HTTP/2 error),
 * failures while tearing down only must not leak. The loop is made once
 * (its tables grow on first use); the server uses the C allocator. */
static struct cn_event_loop *fail_loop;
static long decided_count; /* cn_alloc_count() when the outcome was known */
static struct req fail_req;

static int start_and_send(void) {
  struct fixture f;
  memset(&f, 0, sizeof(f));
  f.loop = fail_loop;
  f.log = recorder_log(&f.rec);
  h2ts_server_init(&f.srv, f.loop);
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
    return CN_ERR_FAILED;
  f.sc = h2ts_conn_new(&f.srv, sv[1]);
  struct cn_client_socket_handle h;
  memset(&h, 0, sizeof(h));
  h.socket = cn_test_fd_socket_new(f.loop, sv[0]);
  struct cn_h2_session_params p;
  memset(&p, 0, sizeof(p));
  p.loop = f.loop;
  int rv = cn_h2_session_new(&f.session, &h, &p);
  if (rv != CN_OK) {
    decided_count = cn_alloc_count();
    cn_stream_socket_destroy(h.socket);
    h2ts_server_cleanup(&f.srv);
    return rv;
  }
  fail_req.info.log = &f.log;
  struct cn_http_stream *s = cn_h2_stream_new(f.session, f.loop, &f.log);
  if (!s) {
    rv = CN_ERR_OUT_OF_MEMORY;
    decided_count = cn_alloc_count();
  } else {
    struct op o = {0};
    rv = s->ops->send_request(s, &fail_req.info, on_op, &o);
    decided_count = cn_alloc_count();
    s->ops->destroy(s);
  }
  cn_h2_session_free(f.session);
  h2ts_server_cleanup(&f.srv);
  return rv;
}

TEST(session_start_alloc_failures) {
  fail_loop = cn_event_loop_new();
  struct fixture dummy;
  memset(&dummy, 0, sizeof(dummy));
  req_init(&fail_req, &dummy, "GET", "/");
  CHECK_EQ_INT(start_and_send(), CN_OK); /* warm up the loop's tables */
  track_install();
  bool finished = false;
  int errors = 0;
  for (long n = 1; n < 5000 && !finished; n++) {
    long live = track_live;
    long count = cn_alloc_count();
    cn_alloc_fail_nth(n);
    int rv = start_and_send();
    long decided = decided_count - count;
    long used = cn_alloc_count() - count;
    cn_alloc_fail_nth(0);
    CHECK_EQ_INT(track_live, live);
    if (used < n) {
      CHECK_EQ_INT(rv, CN_OK);
      finished = true;
    } else if (n <= decided) {
      if (rv >= 0)
        fprintf(stderr, "allocation %ld failed, got %d\n", n, rv);
      CHECK(rv < 0);
      errors += rv == CN_ERR_OUT_OF_MEMORY;
    }
  }
  CHECK(finished);
  CHECK(errors > 10);
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
  req_cleanup(&fail_req);
  cn_event_loop_run_once(fail_loop, 0, NULL, 0);
  cn_event_loop_free(fail_loop);
}

TEST_MAIN(config_defaults_are_libcurls, request_fields_follow_libcurls_rules,
          request_fields_alloc_failures,
          preface_is_libcurls_settings_then_window_update,
          preface_and_headers_follow_a_browser_config,
          get_with_libcurl_header_lines,
          three_streams_multiplex_on_one_connection,
          slow_reader_holds_at_most_one_window,
          stream_window_grows_like_libcurl_after_the_head,
          rst_stream_is_a_stream_error_with_libcurls_text,
          refused_stream_and_goaway_ask_for_a_retry,
          trailers_come_after_the_body, interim_heads_come_first,
          upload_goes_out_within_the_servers_windows,
          protocol_error_fails_the_connection,
          lost_connection_before_the_head_is_retryable,
          lost_connection_inside_the_body_is_a_partial_file,
          abandoned_stream_is_reset_and_its_data_given_back,
          server_push_is_refused, ping_for_upkeep_and_weight_per_request,
          session_start_alloc_failures)
