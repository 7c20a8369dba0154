/* h2_transaction_test.c: HTTP/2 through the network transaction, the
 * socket pool and the HTTP/2 session pool, against the test server on a
 * loopback listener with prior-knowledge h2c: multiplexing (with and
 * without CURLOPT_PIPEWAIT), reuse, the stream limit, the retry of
 * refused streams on a new connection, and idle sessions kept in a share's
 * connection cache between network sessions. */
#include <nghttp2/nghttp2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h2_test_server.h"
#include "http/h2/h2_session_pool.h"
#include "http/http_network_session.h"
#include "http/http_network_transaction.h"
#include "http/http_request_headers.h"
#include "http/http_request_info.h"
#include "http/http_response_headers.h"
#include "socket/shared_socket_cache.h"
#include "socket/socket_test_util.h"
#include "test.h"
#include "util/event_loop.h"

struct env {
  struct cn_event_loop *loop;
  struct cn_http_network_session *ns;
  struct h2ts_server srv;
  struct log_recorder rec;
  struct cn_net_log log;
  char host[64];
};

static struct cn_http_network_session *
new_network_session(struct cn_event_loop *loop) {
  struct cn_socket_pool_limits limits;
  memset(&limits, 0, sizeof(limits));
  limits.max_idle_age_s = 118;
  return cn_http_network_session_new(loop, &limits);
}

static void env_init(struct env *e) {
  memset(e, 0, sizeof(*e));
  e->log = recorder_log(&e->rec);
  e->loop = cn_event_loop_new();
  e->ns = new_network_session(e->loop);
  h2ts_server_init(&e->srv, e->loop);
  h2ts_server_listen(&e->srv);
  e->srv.echo = true;
  snprintf(e->host, sizeof(e->host), "127.0.0.1:%d", e->srv.port);
}

static void env_cleanup(struct env *e) {
  cn_http_network_session_free(e->ns);
  h2ts_server_cleanup(&e->srv);
  cn_event_loop_run_once(e->loop, 0, NULL, 0);
  cn_event_loop_free(e->loop);
}

struct xfer {
  struct cn_http_request_headers headers;
  struct cn_http_request_info info;
  struct cn_http_network_transaction *t;
  char path[32];
  bool started_done;
  int start_rv;
  bool read_done;
  int read_rv;
  uint8_t body[256];
  size_t body_len;
  bool finished;
  int result;
};

static void xfer_init(struct xfer *x, struct env *e, const char *path,
                      bool pipewait) {
  memset(x, 0, sizeof(*x));
  snprintf(x->path, sizeof(x->path), "%s", path);
  cn_http_request_headers_init(&x->headers);
  cn_http_request_headers_add(&x->headers, "Host", e->host);
  cn_http_request_headers_add(&x->headers, "Accept", "*/*");
  x->info.method = "GET";
  x->info.request_target = x->path;
  x->info.headers = &x->headers;
  x->info.http_minor = 1;
  x->info.log = &e->log;
  x->info.http2 = CN_HTTP2_PRIOR_KNOWLEDGE;
  x->info.pipewait = pipewait;
  struct cn_socket_params *sp = &x->info.socket;
  sp->host = "127.0.0.1";
  sp->port = e->srv.port;
  sp->family = CN_IP_ANY;
  sp->dns_cache_timeout_s = 60;
  sp->connect_timeout_ms = 5000;
  sp->happy_eyeballs_ms = 200;
  sp->tcp_nodelay = true;
  sp->log = &e->log;
  x->t = cn_http_network_transaction_new(e->ns);
}

static void xfer_cleanup(struct xfer *x) {
  cn_http_network_transaction_free(x->t);
  cn_http_request_headers_cleanup(&x->headers);
}

static void read_more(struct xfer *x);

static void on_read(void *ctx, int rv) {
  struct xfer *x = ctx;
  if (rv > 0) {
    x->body_len += (size_t)rv;
    read_more(x);
    return;
  }
  x->finished = true;
  x->result = rv;
}

static void read_more(struct xfer *x) {
  for (;;) {
    int rv = cn_http_network_transaction_read(
        x->t, x->body + x->body_len, sizeof(x->body) - x->body_len, on_read,
        x);
    if (rv == CN_ERR_IO_PENDING)
      return;
    if (rv <= 0) {
      x->finished = true;
      x->result = rv;
      return;
    }
    x->body_len += (size_t)rv;
  }
}

static void on_started(void *ctx, int rv) {
  struct xfer *x = ctx;
  x->started_done = true;
  x->start_rv = rv;
  if (rv < 0) {
    x->finished = true;
    x->result = rv;
    return;
  }
  read_more(x);
}

static void xfer_start(struct xfer *x) {
  int rv = cn_http_network_transaction_start(x->t, &x->info, NULL, NULL,
                                             on_started, x);
  if (rv != CN_ERR_IO_PENDING)
    on_started(x, rv);
}

static bool all_finished(struct env *e, struct xfer *x, size_t n, int ms) {
  int64_t end = cn_time_now_us() + (int64_t)ms * 1000;
  for (;;) {
    bool all = true;
    for (size_t i = 0; i < n; i++)
      all = all && x[i].finished;
    if (all)
      return true;
    if (cn_time_now_us() > end)
      return false;
    cn_event_loop_run_once(e->loop, 5, NULL, 0);
  }
}

static bool body_is_path(const struct xfer *x) {
  return x->body_len == strlen(x->path) &&
         memcmp(x->body, x->path, x->body_len) == 0;
}

TEST(pipewait_multiplexes_on_one_connection) {
  struct env e;
  env_init(&e);
  struct xfer x[3];
  const char *paths[3] = {"/one", "/two", "/three"};
  for (int i = 0; i < 3; i++) {
    xfer_init(&x[i], &e, paths[i], true);
    xfer_start(&x[i]);
  }
  CHECK(all_finished(&e, x, 3, 5000));
  uint64_t id = 0;
  int reused = 0;
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(x[i].result, 0);
    CHECK(body_is_path(&x[i]));
    const struct cn_http_response_headers *h =
        cn_http_network_transaction_response(x[i].t);
    CHECK(h && h->status_code == 200 && h->version_major == 2);
    CHECK(cn_http_network_transaction_is_http2(x[i].t));
    const struct cn_client_socket_handle *c =
        cn_http_network_transaction_connection(x[i].t);
    CHECK(c != NULL);
    if (c) {
      if (i == 0)
        id = c->socket_id;
      CHECK_EQ_INT(c->socket_id, id);
      reused += c->is_reused;
    }
  }
  CHECK_EQ_INT(reused, 2); /* the first one made the connection */
  CHECK_EQ_INT(e.srv.num_conns, 1);
  CHECK_EQ_INT(e.srv.conns[0]->num_reqs, 3);
  CHECK(strstr(e.rec.text, "using HTTP/2") != NULL);
  for (int i = 0; i < 3; i++)
    xfer_cleanup(&x[i]);
  /* A later request rides the same connection. */
  struct xfer y;
  xfer_init(&y, &e, "/four", false);
  xfer_start(&y);
  CHECK(all_finished(&e, &y, 1, 5000));
  CHECK_EQ_INT(y.result, 0);
  CHECK(body_is_path(&y));
  CHECK(cn_http_network_transaction_connection(y.t)->is_reused);
  CHECK_EQ_INT(e.srv.num_conns, 1);
  xfer_cleanup(&y);
  CHECK_EQ_INT(cn_h2_session_pool_count(e.ns->h2_pool), 1);
  env_cleanup(&e);
}

TEST(without_pipewait_each_request_connects) {
  struct env e;
  env_init(&e);
  struct xfer x[3];
  for (int i = 0; i < 3; i++) {
    xfer_init(&x[i], &e, "/p", false);
    xfer_start(&x[i]);
  }
  CHECK(all_finished(&e, x, 3, 5000));
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(x[i].result, 0);
    xfer_cleanup(&x[i]);
  }
  /* libcurl without PIPEWAIT: nothing to multiplex on yet. */
  CHECK_EQ_INT(e.srv.num_conns, 3);
  env_cleanup(&e);
}

TEST(stream_limit_opens_another_connection) {
  struct env e;
  env_init(&e);
  /* CURLMOPT_MAX_CONCURRENT_STREAMS = 1 */
  cn_http_network_session_set_h2_limits(e.ns, true, 1);
  struct xfer x[2];
  for (int i = 0; i < 2; i++) {
    xfer_init(&x[i], &e, "/p", true);
    xfer_start(&x[i]);
  }
  CHECK(all_finished(&e, x, 2, 5000));
  for (int i = 0; i < 2; i++) {
    CHECK_EQ_INT(x[i].result, 0);
    xfer_cleanup(&x[i]);
  }
  CHECK_EQ_INT(e.srv.num_conns, 2);
  /* It also goes into the SETTINGS. */
  CHECK_EQ_INT(e.srv.conns[0]->settings_id[0], 3);
  CHECK_EQ_INT(e.srv.conns[0]->settings_value[0], 1);
  env_cleanup(&e);
}

static void goaway_on_first_conn(void *ctx, struct h2ts_conn *c,
                                 struct h2ts_request *r) {
  struct env *e = ctx;
  if (c == e->srv.conns[0]) {
    h2ts_goaway(c, 0, NGHTTP2_NO_ERROR);
    return;
  }
  h2ts_respond(c, r->id, 200, NULL, h2ts_field(r, ":path"),
               strlen(h2ts_field(r, ":path")), NULL);
}

TEST(goaway_retries_on_a_new_connection) {
  struct env e;
  env_init(&e);
  e.srv.on_request = goaway_on_first_conn;
  e.srv.ctx = &e;
  struct xfer x;
  xfer_init(&x, &e, "/retry", false);
  xfer_start(&x);
  CHECK(all_finished(&e, &x, 1, 5000));
  CHECK_EQ_INT(x.result, 0);
  CHECK(body_is_path(&x));
  CHECK_EQ_INT(e.srv.num_conns, 2);
  CHECK(strstr(e.rec.text, "REFUSED_STREAM, retrying a fresh connect") !=
        NULL);
  xfer_cleanup(&x);
  env_cleanup(&e);
}

static void always_refuse(void *ctx, struct h2ts_conn *c,
                          struct h2ts_request *r) {
  (void)ctx;
  h2ts_rst(c, r->id, NGHTTP2_REFUSED_STREAM);
}

TEST(refused_streams_give_up_after_five_retries) {
  struct env e;
  env_init(&e);
  e.srv.on_request = always_refuse;
  struct xfer x;
  xfer_init(&x, &e, "/no", false);
  xfer_start(&x);
  CHECK(all_finished(&e, &x, 1, 5000));
  CHECK_EQ_INT(x.result, CN_ERR_HTTP2_SERVER_REFUSED_STREAM);
  CHECK_EQ_INT(e.srv.num_conns, 6);
  xfer_cleanup(&x);
  env_cleanup(&e);
}

TEST(server_closing_an_idle_session_is_noticed) {
  struct env e;
  env_init(&e);
  struct xfer x;
  xfer_init(&x, &e, "/a", false);
  xfer_start(&x);
  CHECK(all_finished(&e, &x, 1, 5000));
  CHECK_EQ_INT(x.result, 0);
  xfer_cleanup(&x);
  CHECK_EQ_INT(cn_h2_session_pool_count(e.ns->h2_pool), 1);
  h2ts_close(e.srv.conns[0]);
  run_for(e.loop, 50);
  /* The session saw EOF and is gone; the next request connects anew. */
  CHECK_EQ_INT(cn_h2_session_pool_count(e.ns->h2_pool), 0);
  xfer_init(&x, &e, "/b", false);
  xfer_start(&x);
  CHECK(all_finished(&e, &x, 1, 5000));
  CHECK_EQ_INT(x.result, 0);
  CHECK(body_is_path(&x));
  CHECK_EQ_INT(e.srv.num_conns, 2);
  xfer_cleanup(&x);
  env_cleanup(&e);
}

TEST(forbid_reuse_closes_the_session_after_its_stream) {
  struct env e;
  env_init(&e);
  for (int i = 0; i < 2; i++) {
    struct xfer x;
    xfer_init(&x, &e, "/once", false);
    x.info.forbid_reuse = true;
    xfer_start(&x);
    CHECK(all_finished(&e, &x, 1, 5000));
    CHECK_EQ_INT(x.result, 0);
    CHECK(body_is_path(&x));
    xfer_cleanup(&x);
    run_for(e.loop, 30);
    CHECK_EQ_INT(cn_h2_session_pool_count(e.ns->h2_pool), 0);
  }
  CHECK_EQ_INT(e.srv.num_conns, 2);
  /* It said goodbye first. */
  CHECK(h2ts_frame_index(e.srv.conns[0], NGHTTP2_GOAWAY, 0) >= 0);
  env_cleanup(&e);
}

/* run_shared runs one request for |path| on a new transaction of |e|'s
 * network session with the share's connection cache |cache|; the
 * transaction is left in |x| (clean it up). */
static void run_shared(struct env *e, struct xfer *x, const char *path,
                       struct cn_shared_socket_cache *cache) {
  xfer_init(x, e, path, false);
  x->info.socket.shared_cache = cache;
  xfer_start(x);
  CHECK(all_finished(e, x, 1, 5000));
  CHECK_EQ_INT(x->result, 0);
  CHECK(body_is_path(x));
  CHECK(cn_http_network_transaction_is_http2(x->t));
}

/* first_in_another_network_session runs "/first" with |cache|, then
 * replaces |e|'s network session as the curl tool's easy handle goes away
 * with its private multi: the idle session parks in the share's cache
 * instead of closing. */
static void first_in_another_network_session(
    struct env *e, struct cn_shared_socket_cache *cache) {
  struct xfer x;
  run_shared(e, &x, "/first", cache);
  xfer_cleanup(&x);
  cn_http_network_session_free(e->ns);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 1);
  e->ns = new_network_session(e->loop);
}

TEST(shared_cache_keeps_an_idle_session_for_the_next_network_session) {
  struct env e;
  env_init(&e);
  struct cn_shared_socket_cache *cache = cn_shared_socket_cache_new(0);
  struct xfer x;
  first_in_another_network_session(&e, cache);
  run_for(e.loop, 20);
  run_shared(&e, &x, "/second", cache);
  const struct cn_client_socket_handle *c =
      cn_http_network_transaction_connection(x.t);
  CHECK(c && c->is_reused && c->socket_id == 0);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 0);
  CHECK_EQ_INT(e.srv.num_conns, 1);
  CHECK_EQ_INT(e.srv.conns[0]->num_reqs, 2);
  /* The same HTTP/2 session goes on: the next stream id, no new preface
   * or SETTINGS, no GOAWAY. */
  CHECK_EQ_INT(e.srv.conns[0]->reqs[1].id, 3);
  CHECK_EQ_INT(h2ts_frame_index(e.srv.conns[0], NGHTTP2_GOAWAY, 0), -1);
  xfer_cleanup(&x);
  env_cleanup(&e);
  cn_shared_socket_cache_free(cache);
}

TEST(an_idle_session_parks_once_its_last_stream_is_gone) {
  struct env e;
  env_init(&e);
  struct cn_shared_socket_cache *cache = cn_shared_socket_cache_new(0);
  struct xfer x[2];
  /* Two streams at once share the session; it parks only after both. */
  for (int i = 0; i < 2; i++) {
    xfer_init(&x[i], &e, i ? "/b" : "/a", true);
    x[i].info.socket.shared_cache = cache;
    xfer_start(&x[i]);
  }
  CHECK(all_finished(&e, x, 2, 5000));
  xfer_cleanup(&x[0]);
  run_for(e.loop, 20);
  CHECK_EQ_INT(cn_h2_session_pool_count(e.ns->h2_pool), 1);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 0);
  xfer_cleanup(&x[1]);
  run_for(e.loop, 20);
  /* Another multi (or thread) of the share could take it now. */
  CHECK_EQ_INT(cn_h2_session_pool_count(e.ns->h2_pool), 0);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 1);
  run_shared(&e, &x[0], "/c", cache);
  CHECK(cn_http_network_transaction_connection(x[0].t)->is_reused);
  CHECK_EQ_INT(e.srv.num_conns, 1);
  CHECK_EQ_INT(e.srv.conns[0]->num_reqs, 3);
  xfer_cleanup(&x[0]);
  env_cleanup(&e);
  cn_shared_socket_cache_free(cache);
}

TEST(a_parked_session_the_server_closed_is_not_reused) {
  struct env e;
  env_init(&e);
  struct cn_shared_socket_cache *cache = cn_shared_socket_cache_new(0);
  struct xfer x;
  first_in_another_network_session(&e, cache);
  h2ts_close(e.srv.conns[0]);
  run_for(e.loop, 30);
  run_shared(&e, &x, "/second", cache);
  CHECK(!cn_http_network_transaction_connection(x.t)->is_reused);
  CHECK_EQ_INT(e.srv.num_conns, 2);
  xfer_cleanup(&x);
  env_cleanup(&e);
  cn_shared_socket_cache_free(cache);
}

TEST(forbid_reuse_sessions_do_not_park) {
  struct env e;
  env_init(&e);
  struct cn_shared_socket_cache *cache = cn_shared_socket_cache_new(0);
  struct xfer x;
  xfer_init(&x, &e, "/once", false);
  x.info.socket.shared_cache = cache;
  x.info.forbid_reuse = true;
  xfer_start(&x);
  CHECK(all_finished(&e, &x, 1, 5000));
  CHECK_EQ_INT(x.result, 0);
  xfer_cleanup(&x);
  cn_http_network_session_free(e.ns);
  e.ns = new_network_session(e.loop);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 0);
  env_cleanup(&e);
  cn_shared_socket_cache_free(cache);
}

TEST_MAIN(pipewait_multiplexes_on_one_connection,
          without_pipewait_each_request_connects,
          stream_limit_opens_another_connection,
          goaway_retries_on_a_new_connection,
          refused_streams_give_up_after_five_retries,
          server_closing_an_idle_session_is_noticed,
          forbid_reuse_closes_the_session_after_its_stream,
          shared_cache_keeps_an_idle_session_for_the_next_network_session,
          an_idle_session_parks_once_its_last_stream_is_gone,
          a_parked_session_the_server_closed_is_not_reused,
          forbid_reuse_sessions_do_not_park)
