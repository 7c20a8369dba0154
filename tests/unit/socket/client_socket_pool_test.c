/* client_socket_pool_test.c: reuse, groups, limits, queueing and
 * cancellation against a loopback listener. */
#include "socket/client_socket_pool.h"

#include "dns/host_resolver.h"
#include "socket_test_util.h"
#include "test.h"
#include "util/alloc.h"

struct env {
  struct cn_event_loop *loop;
  struct cn_host_resolver *resolver;
  struct cn_client_socket_pool *pool;
  struct log_recorder rec;
  struct cn_net_log log;
  int lfd, port;
};

static void env_init(struct env *e, const struct cn_socket_pool_limits *l) {
  struct cn_socket_pool_limits defaults = {.max_idle_age_s = 118};
  e->loop = cn_event_loop_new();
  e->resolver = cn_host_resolver_new(e->loop);
  e->pool = cn_client_socket_pool_new(e->loop, e->resolver, NULL,
                                      l ? l : &defaults);
  e->log = recorder_log(&e->rec);
  e->port = 0;
  e->lfd = listen_on("127.0.0.1", &e->port, 16);
}

static void env_cleanup(struct env *e) {
  cn_client_socket_pool_free(e->pool);
  cn_host_resolver_free(e->resolver);
  cn_event_loop_free(e->loop);
  close(e->lfd);
}

static void params_init(struct cn_socket_params *p, struct env *e,
                        const char *host, int port) {
  memset(p, 0, sizeof(*p));
  p->host = host;
  p->port = port;
  p->tcp_nodelay = true;
  p->dns_cache_timeout_s = 60;
  p->happy_eyeballs_ms = 200;
  p->log = &e->log;
}

/* Requests and waits for the result; *sync tells whether it came at once. */
static int get_socket(struct env *e, struct cn_client_socket_handle *h,
                      const struct cn_socket_params *p, bool *sync) {
  struct done d = {0};
  int rv = cn_client_socket_pool_request(e->pool, h, p, on_done, &d);
  if (sync)
    *sync = rv != CN_ERR_IO_PENDING;
  if (rv != CN_ERR_IO_PENDING)
    return rv;
  CHECK(!d.called);
  CHECK(run_until(e->loop, &d.called, 3000));
  CHECK_EQ_INT(d.times, 1);
  return d.called ? d.rv : CN_ERR_IO_PENDING;
}

TEST(reuses_idle_socket_of_same_group) {
  struct env e;
  env_init(&e, NULL);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", e.port);
  struct cn_client_socket_handle h1, h2;
  bool sync;
  CHECK_EQ_INT(get_socket(&e, &h1, &p, &sync), CN_OK);
  CHECK(!sync);
  CHECK(!h1.is_reused);
  CHECK_EQ_INT(h1.socket_id, 0);
  CHECK(h1.timing.connect_end_us > 0);
  int sfd = accept_one(e.lfd, 1000);
  CHECK(sfd >= 0);
  struct cn_stream_socket *first = h1.socket;
  CHECK_EQ_INT(cn_client_socket_pool_active_count(e.pool), 1);

  cn_client_socket_handle_release(&h1, true);
  CHECK(h1.socket == NULL);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 1);
  CHECK_EQ_INT(cn_client_socket_pool_active_count(e.pool), 0);

  CHECK_EQ_INT(get_socket(&e, &h2, &p, &sync), CN_OK);
  CHECK(sync);
  CHECK(h2.is_reused);
  CHECK(h2.socket == first);
  CHECK_EQ_INT(h2.socket_id, 0);
  CHECK_EQ_INT(h2.timing.connect_start_us, 0);
  CHECK_EQ_INT(cn_ip_endpoint_port(&h2.peer), e.port);
  CHECK_EQ_INT(accept_one(e.lfd, 50), -1); /* no second connection */
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 0);

  /* Not reusable: closed, the server sees EOF. */
  cn_client_socket_handle_release(&h2, false);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 0);
  char b;
  usleep(20000);
  CHECK_EQ_INT(recv(sfd, &b, 1, MSG_DONTWAIT), 0);
  close(sfd);
  env_cleanup(&e);
}

TEST(other_group_and_fresh_connect_make_new_sockets) {
  struct env e;
  env_init(&e, NULL);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", e.port);
  struct cn_client_socket_handle h1, h2, h3;
  CHECK_EQ_INT(get_socket(&e, &h1, &p, NULL), CN_OK);
  cn_client_socket_handle_release(&h1, true);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 1);

  /* Same address, other group (proxy chain / profile text differs). */
  struct cn_socket_params other = p;
  other.group_extra = "socks5://proxy";
  CHECK_EQ_INT(get_socket(&e, &h2, &other, NULL), CN_OK);
  CHECK(!h2.is_reused);
  CHECK_EQ_INT(h2.socket_id, 1);

  /* Same group but CURLOPT_FRESH_CONNECT. */
  struct cn_socket_params fresh = p;
  fresh.fresh_connect = true;
  CHECK_EQ_INT(get_socket(&e, &h3, &fresh, NULL), CN_OK);
  CHECK(!h3.is_reused);
  CHECK_EQ_INT(h3.socket_id, 2);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 1); /* kept */
  CHECK_EQ_INT(cn_client_socket_pool_active_count(e.pool), 2);

  cn_client_socket_handle_release(&h2, true);
  cn_client_socket_handle_release(&h3, true);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 3);
  cn_client_socket_pool_close_idle(e.pool);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 0);
  env_cleanup(&e);
}

TEST(socket_closed_by_server_while_idle_is_not_reused) {
  struct env e;
  env_init(&e, NULL);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", e.port);
  struct cn_client_socket_handle h1, h2;
  CHECK_EQ_INT(get_socket(&e, &h1, &p, NULL), CN_OK);
  int sfd = accept_one(e.lfd, 1000);
  cn_client_socket_handle_release(&h1, true);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 1);
  close(sfd);
  usleep(20000);
  bool sync;
  CHECK_EQ_INT(get_socket(&e, &h2, &p, &sync), CN_OK);
  CHECK(!sync);
  CHECK(!h2.is_reused);
  CHECK_EQ_INT(h2.socket_id, 1);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 0);
  cn_client_socket_handle_release(&h2, false);
  env_cleanup(&e);
}

TEST(per_group_limit_queues_until_release) {
  struct cn_socket_pool_limits l = {.max_per_group = 1, .max_idle_age_s = 118};
  struct env e;
  env_init(&e, &l);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", e.port);
  struct cn_client_socket_handle h1, h2, h3;
  CHECK_EQ_INT(get_socket(&e, &h1, &p, NULL), CN_OK);

  struct done d2 = {0};
  CHECK_EQ_INT(cn_client_socket_pool_request(e.pool, &h2, &p, on_done, &d2),
               CN_ERR_IO_PENDING);
  /* Another group is not held up by this group's limit. */
  struct cn_socket_params q = p;
  q.group_extra = "other";
  struct done d3 = {0};
  CHECK_EQ_INT(cn_client_socket_pool_request(e.pool, &h3, &q, on_done, &d3),
               CN_ERR_IO_PENDING);
  CHECK(run_until(e.loop, &d3.called, 2000));
  CHECK_EQ_INT(d3.rv, CN_OK);
  run_for(e.loop, 100);
  CHECK(!d2.called);

  cn_client_socket_handle_release(&h1, true);
  CHECK(!d2.called); /* not from inside release */
  CHECK(run_until(e.loop, &d2.called, 2000));
  CHECK_EQ_INT(d2.rv, CN_OK);
  CHECK(h2.is_reused);
  CHECK_EQ_INT(h2.socket_id, 0);
  cn_client_socket_handle_release(&h2, true);
  cn_client_socket_handle_release(&h3, true);
  env_cleanup(&e);
}

TEST(queue_runs_in_priority_order) {
  struct cn_socket_pool_limits l = {.max_per_group = 1, .max_idle_age_s = 118};
  struct env e;
  env_init(&e, &l);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", e.port);
  struct cn_client_socket_handle h1, lo, hi;
  CHECK_EQ_INT(get_socket(&e, &h1, &p, NULL), CN_OK);
  struct cn_socket_params plo = p, phi = p;
  plo.priority = 0;
  phi.priority = 5;
  struct done dlo = {0}, dhi = {0};
  CHECK_EQ_INT(cn_client_socket_pool_request(e.pool, &lo, &plo, on_done, &dlo),
               CN_ERR_IO_PENDING);
  CHECK_EQ_INT(cn_client_socket_pool_request(e.pool, &hi, &phi, on_done, &dhi),
               CN_ERR_IO_PENDING);
  cn_client_socket_handle_release(&h1, true);
  CHECK(run_until(e.loop, &dhi.called, 2000));
  CHECK(hi.is_reused);
  run_for(e.loop, 50);
  CHECK(!dlo.called);
  cn_client_socket_handle_release(&hi, true);
  CHECK(run_until(e.loop, &dlo.called, 2000));
  CHECK(lo.is_reused);
  cn_client_socket_handle_release(&lo, true);
  env_cleanup(&e);
}

TEST(cancel_drops_queued_and_connecting_requests) {
  struct cn_socket_pool_limits l = {.max_per_group = 1, .max_idle_age_s = 118};
  struct env e;
  env_init(&e, &l);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", e.port);
  struct cn_client_socket_handle h1, h2;
  struct done d1 = {0}, d2 = {0};
  CHECK_EQ_INT(cn_client_socket_pool_request(e.pool, &h1, &p, on_done, &d1),
               CN_ERR_IO_PENDING);
  CHECK_EQ_INT(cn_client_socket_pool_request(e.pool, &h2, &p, on_done, &d2),
               CN_ERR_IO_PENDING);
  cn_client_socket_handle_cancel(&h2); /* queued */
  cn_client_socket_handle_cancel(&h1); /* connecting */
  run_for(e.loop, 100);
  CHECK(!d1.called && !d2.called);
  CHECK_EQ_INT(cn_client_socket_pool_active_count(e.pool), 0);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 0);

  /* The pool is usable afterwards and ids kept counting. */
  CHECK_EQ_INT(get_socket(&e, &h1, &p, NULL), CN_OK);
  CHECK_EQ_INT(h1.socket_id, 1);
  cn_client_socket_handle_release(&h1, false);
  env_cleanup(&e);
}

TEST(failed_job_reports_error_and_frees_slot) {
  struct cn_socket_pool_limits l = {.max_per_group = 1, .max_idle_age_s = 118};
  struct env e;
  env_init(&e, &l);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", closed_port("127.0.0.1"));
  struct cn_client_socket_handle h1, h2;
  struct done d1 = {0}, d2 = {0};
  CHECK_EQ_INT(cn_client_socket_pool_request(e.pool, &h1, &p, on_done, &d1),
               CN_ERR_IO_PENDING);
  CHECK_EQ_INT(cn_client_socket_pool_request(e.pool, &h2, &p, on_done, &d2),
               CN_ERR_IO_PENDING);
  CHECK(run_until(e.loop, &d2.called, 3000));
  CHECK(d1.called);
  CHECK_EQ_INT(d1.rv, CN_ERR_CONNECTION_REFUSED);
  CHECK_EQ_INT(d2.rv, CN_ERR_CONNECTION_REFUSED);
  CHECK(h1.socket == NULL && h2.socket == NULL);
  CHECK(h1.timing.dns_start_us > 0); /* kept for a failed transfer */
  CHECK(strstr(e.rec.fail, "Couldn't connect to server") != NULL);
  CHECK_EQ_INT(cn_client_socket_pool_active_count(e.pool), 0);
  env_cleanup(&e);
}

TEST(total_limit_evicts_idle_of_other_group) {
  struct cn_socket_pool_limits l = {.max_total = 1, .max_idle_age_s = 118};
  struct env e;
  env_init(&e, &l);
  struct cn_socket_params a, b;
  params_init(&a, &e, "127.0.0.1", e.port);
  b = a;
  b.group_extra = "b";
  struct cn_client_socket_handle h1, h2;
  CHECK_EQ_INT(get_socket(&e, &h1, &a, NULL), CN_OK);
  cn_client_socket_handle_release(&h1, true);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 1);
  CHECK_EQ_INT(get_socket(&e, &h2, &b, NULL), CN_OK);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 0);
  CHECK_EQ_INT(cn_client_socket_pool_active_count(e.pool), 1);
  cn_client_socket_handle_release(&h2, true);
  env_cleanup(&e);
}

TEST(max_idle_closes_oldest) {
  struct cn_socket_pool_limits l = {.max_idle = 1, .max_idle_age_s = 118};
  struct env e;
  env_init(&e, &l);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", e.port);
  struct cn_client_socket_handle h1, h2, h3;
  CHECK_EQ_INT(get_socket(&e, &h1, &p, NULL), CN_OK);
  CHECK_EQ_INT(get_socket(&e, &h2, &p, NULL), CN_OK);
  cn_client_socket_handle_release(&h1, true);
  usleep(2000);
  cn_client_socket_handle_release(&h2, true);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 1);
  CHECK_EQ_INT(get_socket(&e, &h3, &p, NULL), CN_OK);
  CHECK_EQ_INT(h3.socket_id, 1); /* the newer one survived */
  cn_client_socket_handle_release(&h3, false);
  env_cleanup(&e);
}

TEST(expired_idle_socket_is_not_reused) {
  struct cn_socket_pool_limits l = {.max_idle_age_s = 0};
  struct env e;
  env_init(&e, &l);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", e.port);
  struct cn_client_socket_handle h1, h2;
  CHECK_EQ_INT(get_socket(&e, &h1, &p, NULL), CN_OK);
  cn_client_socket_handle_release(&h1, true);
  /* libcurl compares whole seconds: idle 0 s is still fine ... */
  CHECK_EQ_INT(get_socket(&e, &h2, &p, NULL), CN_OK);
  CHECK(h2.is_reused);
  cn_client_socket_handle_release(&h2, true);
  usleep(1100000); /* ... idle 1 s is past a max age of 0 */
  CHECK_EQ_INT(get_socket(&e, &h1, &p, NULL), CN_OK);
  CHECK(!h1.is_reused);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(e.pool), 0);
  cn_client_socket_handle_release(&h1, false);
  env_cleanup(&e);
}

/* Fails the Nth allocation of a request / reuse / release cycle for every
 * N: each step must end in a result (never a crash), and the sanitizer
 * build finds leaks. */
TEST(allocation_failures_are_errors) {
  for (long n = 1; n < 80; n++) {
    struct env e;
    env_init(&e, NULL);
    struct cn_socket_params p;
    params_init(&p, &e, "127.0.0.1", e.port);
    struct cn_client_socket_handle h;
    struct done d = {0};
    cn_alloc_fail_nth(n);
    int rv = cn_client_socket_pool_request(e.pool, &h, &p, on_done, &d);
    if (rv == CN_ERR_IO_PENDING) {
      run_until(e.loop, &d.called, 2000);
      CHECK(d.called);
      rv = d.rv;
    }
    CHECK(rv == CN_OK || rv == CN_ERR_OUT_OF_MEMORY ||
          rv == CN_ERR_CONNECTION_FAILED || rv == CN_ERR_NAME_NOT_RESOLVED);
    if (rv == CN_OK) {
      CHECK(h.socket != NULL);
      cn_client_socket_handle_release(&h, true);
      rv = cn_client_socket_pool_request(e.pool, &h, &p, on_done, &d);
      if (rv == CN_ERR_IO_PENDING) {
        d.called = false;
        run_until(e.loop, &d.called, 2000);
        rv = d.rv;
      }
      if (rv == CN_OK)
        cn_client_socket_handle_release(&h, false);
    }
    cn_alloc_fail_nth(0);
    env_cleanup(&e);
  }
}

TEST_MAIN(reuses_idle_socket_of_same_group,
          other_group_and_fresh_connect_make_new_sockets,
          socket_closed_by_server_while_idle_is_not_reused,
          per_group_limit_queues_until_release, queue_runs_in_priority_order,
          cancel_drops_queued_and_connecting_requests,
          failed_job_reports_error_and_frees_slot,
          total_limit_evicts_idle_of_other_group, max_idle_closes_oldest,
          expired_idle_socket_is_not_reused, allocation_failures_are_errors)
