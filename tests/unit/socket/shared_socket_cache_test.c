/* shared_socket_cache_test.c: the share handle's connection cache on its
 * own (test-double sockets: order, expiry, liveness, size, ids, locking)
 * and between two socket pools with their own event loops (real loopback
 * TCP: a connection released by one pool is reused by the other). */
#include "socket/shared_socket_cache.h"

#include <stdlib.h>

#include "dns/host_resolver.h"
#include "socket/client_socket_pool.h"
#include "socket_test_util.h"
#include "test.h"
#include "util/alloc.h"

/* --- the lock hooks ------------------------------------------------------ */

struct lock_state {
  int depth, max_depth;
  int locks, unlocks;
};

static struct lock_state lk;

static void lock_fn(void *arg, bool lock) {
  struct lock_state *s = arg;
  if (lock) {
    s->locks++;
    if (++s->depth > s->max_depth)
      s->max_depth = s->depth;
  } else {
    s->unlocks++;
    s->depth--;
  }
}

/* --- a test-double socket ------------------------------------------------ */

struct fake {
  struct cn_stream_socket base;
  bool alive;
  int name;
};

static int num_destroyed;
static int destroyed_locked; /* destroy() called under the cache lock */
static int checked_unlocked; /* liveness check outside the lock */
static int last_destroyed_name;

static bool fake_idle(struct cn_stream_socket *s) {
  if (lk.depth == 0)
    checked_unlocked++;
  return ((struct fake *)s)->alive;
}

static void fake_destroy(struct cn_stream_socket *s) {
  if (lk.depth != 0)
    destroyed_locked++;
  num_destroyed++;
  last_destroyed_name = ((struct fake *)s)->name;
  free(s);
}

static const struct cn_stream_socket_ops fake_ops = {
    .is_connected_and_idle = fake_idle,
    .destroy = fake_destroy,
};

static struct cn_stream_socket *fake_new(int name, bool alive) {
  struct fake *f = calloc(1, sizeof(*f));
  f->base.ops = &fake_ops;
  f->alive = alive;
  f->name = name;
  return &f->base;
}

static int name_of(struct cn_stream_socket *s) {
  return ((struct fake *)s)->name;
}

static const int64_t NOW = 1000LL * 1000000; /* 1000 s */
static const struct cn_shared_socket_expiry LIMITS = {118, 0};

static void put(struct cn_shared_socket_cache *c, const char *key, int name,
                bool alive, int64_t created_us, int64_t idle_since_us) {
  struct cn_shared_socket_entry e;
  memset(&e, 0, sizeof(e));
  e.socket = fake_new(name, alive);
  e.id = (uint64_t)name;
  e.created_us = created_us;
  e.idle_since_us = idle_since_us;
  cn_shared_socket_cache_put(c, key, &e, &LIMITS);
}

static struct cn_shared_socket_cache *new_cache(int max_idle) {
  memset(&lk, 0, sizeof(lk));
  num_destroyed = destroyed_locked = checked_unlocked = 0;
  struct cn_shared_socket_cache *c = cn_shared_socket_cache_new(max_idle);
  cn_shared_socket_cache_set_lock(c, lock_fn, &lk);
  return c;
}

static void check_locking(void) {
  CHECK_EQ_INT(lk.locks, lk.unlocks);
  CHECK_EQ_INT(lk.depth, 0);
  CHECK_EQ_INT(lk.max_depth, 1);
  CHECK_EQ_INT(destroyed_locked, 0);
  CHECK_EQ_INT(checked_unlocked, 0);
}

TEST(take_returns_newest_socket_of_the_key) {
  struct cn_shared_socket_cache *c = new_cache(0);
  put(c, "http://a:80", 1, true, NOW - 5000000, NOW - 3000000);
  put(c, "http://a:80", 2, true, NOW - 5000000, NOW - 2000000);
  put(c, "http://b:80", 3, true, NOW - 5000000, NOW - 1000000);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(c), 3);

  struct cn_shared_socket_entry e;
  CHECK(cn_shared_socket_cache_take(c, "http://a:80", &LIMITS, NOW, &e));
  CHECK_EQ_INT(name_of(e.socket), 2);
  CHECK_EQ_INT(e.id, 2);
  CHECK_EQ_INT(e.idle_since_us, NOW - 2000000);
  CHECK_EQ_INT(e.created_us, NOW - 5000000);
  cn_stream_socket_destroy(e.socket);
  CHECK(cn_shared_socket_cache_take(c, "http://a:80", &LIMITS, NOW, &e));
  CHECK_EQ_INT(name_of(e.socket), 1);
  cn_stream_socket_destroy(e.socket);
  CHECK(!cn_shared_socket_cache_take(c, "http://a:80", &LIMITS, NOW, &e));
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(c), 1);
  CHECK(!cn_shared_socket_cache_take(c, "http://a:8", &LIMITS, NOW, &e));
  CHECK(cn_shared_socket_cache_take(c, "http://b:80", &LIMITS, NOW, &e));
  CHECK_EQ_INT(name_of(e.socket), 3);
  cn_stream_socket_destroy(e.socket);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(c), 0);
  check_locking();
  cn_shared_socket_cache_free(c);
}

TEST(dead_and_expired_sockets_are_closed_on_take) {
  struct cn_shared_socket_cache *c = new_cache(0);
  int64_t created = NOW - 10 * 1000000LL;
  put(c, "k", 1, true, created, NOW - 1000000);   /* good, oldest */
  put(c, "k", 2, true, created, NOW - 119500000); /* idle 119 s > 118 */
  put(c, "k", 3, false, created, NOW - 1000);     /* peer closed */
  /* Putting #3 swept #2: at #3's release time #2 had idled 119 s. */
  CHECK_EQ_INT(num_destroyed, 1);
  CHECK_EQ_INT(last_destroyed_name, 2);
  struct cn_shared_socket_entry e;
  CHECK(cn_shared_socket_cache_take(c, "k", &LIMITS, NOW, &e));
  CHECK_EQ_INT(name_of(e.socket), 1);
  CHECK_EQ_INT(num_destroyed, 2); /* #3 was dead */
  cn_stream_socket_destroy(e.socket);

  /* Idle age exactly at the limit (whole seconds) is still fine. */
  put(c, "k", 4, true, created, NOW - 118900000);
  CHECK(cn_shared_socket_cache_take(c, "k", &LIMITS, NOW, &e));
  CHECK_EQ_INT(name_of(e.socket), 4);
  cn_stream_socket_destroy(e.socket);

  /* Lifetime limit (CURLOPT_MAXLIFETIME_CONN) of the pool asking. */
  put(c, "k", 5, true, NOW - 61 * 1000000LL, NOW - 1000000);
  struct cn_shared_socket_expiry life = {118, 60};
  CHECK(!cn_shared_socket_cache_take(c, "k", &life, NOW, &e));
  CHECK_EQ_INT(last_destroyed_name, 5);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(c), 0);
  check_locking();
  cn_shared_socket_cache_free(c);
}

TEST(put_closes_least_recently_released_over_the_size) {
  struct cn_shared_socket_cache *c = new_cache(2);
  put(c, "a", 1, true, NOW, NOW);
  put(c, "b", 2, true, NOW, NOW + 1);
  CHECK_EQ_INT(num_destroyed, 0);
  put(c, "c", 3, true, NOW, NOW + 2);
  CHECK_EQ_INT(num_destroyed, 1);
  CHECK_EQ_INT(last_destroyed_name, 1);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(c), 2);
  struct cn_shared_socket_entry e;
  CHECK(!cn_shared_socket_cache_take(c, "a", &LIMITS, NOW + 3, &e));
  check_locking();
  /* free closes the rest */
  cn_shared_socket_cache_free(c);
  CHECK_EQ_INT(num_destroyed, 3);
  CHECK_EQ_INT(lk.locks, lk.unlocks);
}

TEST(ids_are_unique_per_cache) {
  struct cn_shared_socket_cache *c = new_cache(0);
  struct cn_shared_socket_cache *d = new_cache(0);
  CHECK_EQ_INT(cn_shared_socket_cache_new_id(c), 0);
  CHECK_EQ_INT(cn_shared_socket_cache_new_id(c), 1);
  CHECK_EQ_INT(cn_shared_socket_cache_new_id(d), 0);
  CHECK_EQ_INT(cn_shared_socket_cache_new_id(c), 2);
  CHECK_EQ_INT(lk.locks, lk.unlocks);
  cn_shared_socket_cache_free(c);
  cn_shared_socket_cache_free(d);
}

/* An attachment with a tag, counting its destruction. */
static int num_attachments_destroyed;

static void tagged_destroy(struct cn_socket_attachment *a) {
  num_attachments_destroyed++;
  free(a);
}

static void put_tagged(struct cn_shared_socket_cache *c, const char *key,
                       int name, const char *tag) {
  struct cn_shared_socket_entry e;
  memset(&e, 0, sizeof(e));
  e.socket = fake_new(name, true);
  e.created_us = e.idle_since_us = NOW;
  e.attachment = calloc(1, sizeof(*e.attachment));
  e.attachment->tag = tag;
  e.attachment->destroy = tagged_destroy;
  cn_shared_socket_cache_put(c, key, &e, &LIMITS);
}

static void close_entry(struct cn_shared_socket_entry *e) {
  if (e->attachment)
    e->attachment->destroy(e->attachment);
  cn_stream_socket_destroy(e->socket);
}

TEST(tagged_sockets_go_to_their_tag_or_the_alternative) {
  struct cn_shared_socket_cache *c = new_cache(0);
  num_attachments_destroyed = 0;
  put_tagged(c, "k", 1, "h2");
  put_tagged(c, "k", 2, "ntlm:user");
  struct cn_shared_socket_entry e;
  /* Neither tag: neither socket, though both are alive. */
  CHECK(!cn_shared_socket_cache_take_tagged(c, "k", NULL, NULL, &LIMITS, NOW,
                                            &e));
  CHECK(!cn_shared_socket_cache_take_tagged(c, "k", "ntlm:other", NULL, &LIMITS,
                                            NOW, &e));
  /* The alternative tag finds the "h2" one behind the newer NTLM one. */
  CHECK(
      cn_shared_socket_cache_take_tagged(c, "k", NULL, "h2", &LIMITS, NOW, &e));
  CHECK_EQ_INT(name_of(e.socket), 1);
  CHECK_EQ_STR(e.attachment->tag, "h2");
  close_entry(&e);
  CHECK(cn_shared_socket_cache_take_tagged(c, "k", "ntlm:user", "h2", &LIMITS,
                                           NOW, &e));
  CHECK_EQ_INT(name_of(e.socket), 2);
  close_entry(&e);
  /* An untagged socket serves a request with an alternative tag. */
  put(c, "k", 3, true, NOW, NOW);
  CHECK(
      cn_shared_socket_cache_take_tagged(c, "k", NULL, "h2", &LIMITS, NOW, &e));
  CHECK_EQ_INT(name_of(e.socket), 3);
  CHECK(e.attachment == NULL);
  close_entry(&e);
  /* A tagged socket closed by the cache takes its attachment along. */
  put_tagged(c, "k", 4, "h2");
  cn_shared_socket_cache_free(c);
  CHECK_EQ_INT(num_attachments_destroyed, 3);
  check_locking();
}

TEST(close_idle_and_no_lock) {
  struct cn_shared_socket_cache *c = cn_shared_socket_cache_new(0);
  num_destroyed = 0;
  memset(&lk, 0, sizeof(lk));
  put(c, "a", 1, true, NOW, NOW);
  put(c, "a", 2, true, NOW, NOW);
  cn_shared_socket_cache_close_idle(c);
  CHECK_EQ_INT(num_destroyed, 2);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(c), 0);
  CHECK_EQ_INT(lk.locks, 0);
  cn_shared_socket_cache_free(NULL);
  cn_shared_socket_cache_free(c);
}

TEST(put_without_memory_closes_the_socket) {
  struct cn_shared_socket_cache *c = new_cache(0);
  for (long n = 1; n <= 2; n++) {
    int before = num_destroyed;
    cn_alloc_fail_nth(n); /* the node, then the key copy */
    put(c, "k", (int)n, true, NOW, NOW);
    cn_alloc_fail_nth(0);
    CHECK_EQ_INT(num_destroyed, before + 1);
    CHECK_EQ_INT(cn_shared_socket_cache_idle_count(c), 0);
  }
  put(c, "k", 3, true, NOW, NOW);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(c), 1);
  check_locking();
  cn_shared_socket_cache_free(c);
}

/* --- two pools, two loops, one cache -------------------------------------- */

struct side {
  struct cn_event_loop *loop;
  struct cn_host_resolver *resolver;
  struct cn_client_socket_pool *pool;
};

static void side_init(struct side *s) {
  struct cn_socket_pool_limits l = {.max_idle_age_s = 118};
  s->loop = cn_event_loop_new();
  s->resolver = cn_host_resolver_new(s->loop);
  s->pool = cn_client_socket_pool_new(s->loop, s->resolver, NULL, &l);
}

static void side_cleanup(struct side *s) {
  cn_client_socket_pool_free(s->pool);
  cn_host_resolver_free(s->resolver);
  cn_event_loop_free(s->loop);
}

static struct log_recorder rec;
static struct cn_net_log test_log;

static void params_init(struct cn_socket_params *p, int port,
                        struct cn_shared_socket_cache *cache) {
  memset(p, 0, sizeof(*p));
  p->host = "127.0.0.1";
  p->port = port;
  p->tcp_nodelay = true;
  p->dns_cache_timeout_s = 60;
  p->happy_eyeballs_ms = 200;
  p->log = &test_log;
  p->shared_cache = cache;
}

static int get_socket(struct side *s, struct cn_client_socket_handle *h,
                      const struct cn_socket_params *p, bool *sync) {
  struct done d = {0};
  int rv = cn_client_socket_pool_request(s->pool, h, p, on_done, &d);
  *sync = rv != CN_ERR_IO_PENDING;
  if (rv != CN_ERR_IO_PENDING)
    return rv;
  CHECK(run_until(s->loop, &d.called, 3000));
  return d.called ? d.rv : CN_ERR_IO_PENDING;
}

/* How many fds |loop| watches. */
static size_t watched(struct cn_event_loop *loop) {
  return cn_event_loop_fill_pollfds(loop, NULL, 0);
}

struct read_op {
  uint8_t buf[16];
  struct done d;
};

TEST(connection_moves_between_pools_and_loops) {
  test_log = recorder_log(&rec);
  struct side a, b;
  side_init(&a);
  side_init(&b);
  memset(&lk, 0, sizeof(lk));
  struct cn_shared_socket_cache *cache = cn_shared_socket_cache_new(0);
  cn_shared_socket_cache_set_lock(cache, lock_fn, &lk);
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 8);
  struct cn_socket_params p;
  params_init(&p, port, cache);

  struct cn_client_socket_handle h1, h2;
  bool sync;
  CHECK_EQ_INT(get_socket(&a, &h1, &p, &sync), CN_OK);
  CHECK(!h1.is_reused);
  CHECK_EQ_INT(h1.socket_id, 0);
  int sfd = accept_one(lfd, 1000);
  CHECK(sfd >= 0);
  struct cn_stream_socket *sock = h1.socket;

  /* A read pending on the socket when it goes idle is dropped, and the
   * socket leaves loop A entirely. */
  struct read_op r1 = {0};
  CHECK_EQ_INT(sock->ops->read(sock, r1.buf, sizeof(r1.buf), on_done, &r1.d),
               CN_ERR_IO_PENDING);
  CHECK_EQ_INT(watched(a.loop), 1);
  cn_client_socket_handle_release(&h1, true);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(a.pool), 0);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 1);
  CHECK_EQ_INT(watched(a.loop), 0);

  /* Pool B (another loop) gets the same connection, synchronously. */
  CHECK_EQ_INT(get_socket(&b, &h2, &p, &sync), CN_OK);
  CHECK(sync);
  CHECK(h2.is_reused);
  CHECK(h2.socket == sock);
  CHECK_EQ_INT(h2.socket_id, 0);
  CHECK_EQ_INT(cn_ip_endpoint_port(&h2.peer), port);
  CHECK_EQ_INT(accept_one(lfd, 50), -1);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 0);
  CHECK_EQ_INT(cn_client_socket_pool_active_count(b.pool), 1);

  /* It works on loop B: a pending read completes from B's loop only. */
  struct read_op r2 = {0};
  CHECK_EQ_INT(sock->ops->read(sock, r2.buf, sizeof(r2.buf), on_done, &r2.d),
               CN_ERR_IO_PENDING);
  CHECK_EQ_INT(watched(a.loop), 0);
  CHECK_EQ_INT(watched(b.loop), 1);
  CHECK_EQ_INT(send(sfd, "pong", 4, 0), 4);
  run_for(a.loop, 30);
  CHECK(!r2.d.called);
  CHECK(run_until(b.loop, &r2.d.called, 1000));
  CHECK_EQ_INT(r2.d.rv, 4);
  CHECK(memcmp(r2.buf, "pong", 4) == 0);
  CHECK(!r1.d.called);

  /* Back to the cache and then to pool A again. */
  cn_client_socket_handle_release(&h2, true);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 1);
  CHECK_EQ_INT(watched(b.loop), 0);
  CHECK_EQ_INT(get_socket(&a, &h1, &p, &sync), CN_OK);
  CHECK(h1.socket == sock);
  CHECK(h1.is_reused);

  /* A second connection while the first is out gets the next id of the
   * cache, whichever pool asks. */
  CHECK_EQ_INT(get_socket(&b, &h2, &p, &sync), CN_OK);
  CHECK(!h2.is_reused);
  CHECK_EQ_INT(h2.socket_id, 1);
  int sfd2 = accept_one(lfd, 1000);
  CHECK(sfd2 >= 0);

  /* Not reusable: closed, not cached. */
  cn_client_socket_handle_release(&h1, false);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 0);
  char byte;
  usleep(20000);
  CHECK_EQ_INT(recv(sfd, &byte, 1, MSG_DONTWAIT), 0);

  /* A cached connection the server closed is not handed out. */
  cn_client_socket_handle_release(&h2, true);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 1);
  close(sfd2);
  usleep(20000);
  CHECK_EQ_INT(get_socket(&a, &h1, &p, &sync), CN_OK);
  CHECK(!h1.is_reused);
  CHECK_EQ_INT(h1.socket_id, 2);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 0);
  cn_client_socket_handle_release(&h1, false);

  CHECK_EQ_INT(lk.locks, lk.unlocks);
  CHECK_EQ_INT(lk.max_depth, 1);
  close(sfd);
  close(lfd);
  cn_shared_socket_cache_free(cache);
  side_cleanup(&a);
  side_cleanup(&b);
}

TEST(requests_without_the_cache_do_not_see_it) {
  test_log = recorder_log(&rec);
  struct side a, b;
  side_init(&a);
  side_init(&b);
  struct cn_shared_socket_cache *cache = cn_shared_socket_cache_new(0);
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 8);
  struct cn_socket_params shared, plain;
  params_init(&shared, port, cache);
  params_init(&plain, port, NULL);
  struct cn_client_socket_handle h1, h2, h3;
  bool sync;

  /* Into the cache from A; B without the cache connects anew. */
  CHECK_EQ_INT(get_socket(&a, &h1, &shared, &sync), CN_OK);
  int s1 = accept_one(lfd, 1000);
  cn_client_socket_handle_release(&h1, true);
  CHECK_EQ_INT(get_socket(&b, &h2, &plain, &sync), CN_OK);
  CHECK(!h2.is_reused);
  int s2 = accept_one(lfd, 1000);
  CHECK(s2 >= 0);
  cn_client_socket_handle_release(&h2, true);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(b.pool), 1);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 1);

  /* A shared request on B takes the cache's socket, not B's idle one;
   * FRESH_CONNECT takes neither. */
  CHECK_EQ_INT(get_socket(&b, &h3, &shared, &sync), CN_OK);
  CHECK(h3.is_reused);
  CHECK_EQ_INT(h3.socket_id, 0);
  CHECK_EQ_INT(cn_client_socket_pool_idle_count(b.pool), 1);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 0);
  cn_client_socket_handle_release(&h3, true);
  struct cn_socket_params fresh = shared;
  fresh.fresh_connect = true;
  CHECK_EQ_INT(get_socket(&b, &h3, &fresh, &sync), CN_OK);
  CHECK(!h3.is_reused);
  CHECK_EQ_INT(h3.socket_id, 1);
  int s3 = accept_one(lfd, 1000);
  CHECK(s3 >= 0);
  cn_client_socket_handle_release(&h3, true);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 2);

  /* Freeing a pool leaves the cache's sockets alone. */
  side_cleanup(&b);
  CHECK_EQ_INT(cn_shared_socket_cache_idle_count(cache), 2);
  char byte;
  CHECK_EQ_INT(recv(s1, &byte, 1, MSG_DONTWAIT), -1);
  cn_shared_socket_cache_free(cache);
  usleep(20000);
  CHECK_EQ_INT(recv(s1, &byte, 1, MSG_DONTWAIT), 0);
  CHECK_EQ_INT(recv(s3, &byte, 1, MSG_DONTWAIT), 0);
  close(s1);
  close(s2);
  close(s3);
  close(lfd);
  side_cleanup(&a);
}

TEST_MAIN(take_returns_newest_socket_of_the_key,
          dead_and_expired_sockets_are_closed_on_take,
          put_closes_least_recently_released_over_the_size,
          ids_are_unique_per_cache,
          tagged_sockets_go_to_their_tag_or_the_alternative,
          close_idle_and_no_lock, put_without_memory_closes_the_socket,
          connection_moves_between_pools_and_loops,
          requests_without_the_cache_do_not_see_it)
