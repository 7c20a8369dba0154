/* host_resolver_test.c: the synchronous paths of the resolver: IP literals,
 * localhost, CURLOPT_RESOLVE overrides, the cache's libcurl semantics, log
 * lines, settings validation and OOM. No DNS traffic: where a test needs a
 * name to miss the cache it only checks that a query starts, then cancels.
 * host_resolver_ares_test.c covers c-ares against a loopback server. */
#include "dns/host_resolver.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "test.h"
#include "util/alloc.h"
#include "util/event_loop.h"
#include "util/net_log.h"

/* --- log capture -------------------------------------------------------- */

static char log_text[8192]; /* TEXT lines */
static char log_fail[1024]; /* FAIL lines */

static void capture(void *ctx, enum cn_net_log_type type, const char *data,
                    size_t len) {
  char *dst = type == CN_LOG_FAIL ? log_fail : log_text;
  size_t cap = type == CN_LOG_FAIL ? sizeof(log_fail) : sizeof(log_text);
  size_t have = strlen(dst);
  if (have + len < cap) {
    memcpy(dst + have, data, len);
    dst[have + len] = '\0';
  }
}

static const struct cn_net_log test_log = {capture, NULL, true};

static void clear_log(void) {
  log_text[0] = '\0';
  log_fail[0] = '\0';
}

/* --- helpers ------------------------------------------------------------ */

static int callbacks;
static void count_cb(void *ctx, int rv) { callbacks++; }

static struct cn_resolve_params
params(const char *host, int port, enum cn_ip_family_pref fam, long timeout) {
  struct cn_resolve_params p = {host, port, fam, timeout, &test_log};
  return p;
}

static int resolve(struct cn_host_resolver *r, const char *host, int port,
                   enum cn_ip_family_pref fam, long timeout,
                   struct cn_address_list **out,
                   struct cn_resolve_request **req) {
  struct cn_resolve_params p = params(host, port, fam, timeout);
  return cn_host_resolver_resolve(r, &p, out, req, count_cb, NULL);
}

static const char *addr(const struct cn_address_list *l, size_t i) {
  static char text[CN_IP_STRING_MAX];
  cn_ip_endpoint_address_string(&l->addrs[i], text, sizeof(text));
  return text;
}

static int64_t fake_now;
static int64_t fake_clock(void) { return fake_now; }

struct fixture {
  struct cn_event_loop *loop;
  struct cn_host_resolver *r;
};

static void setup(struct fixture *f) {
  clear_log();
  callbacks = 0;
  f->loop = cn_event_loop_new();
  f->r = cn_host_resolver_new(f->loop);
  CHECK(f->r != NULL);
  /* A query that escapes a test must not leave the machine. */
  CHECK_EQ_INT(cn_host_resolver_set_servers(f->r, "127.0.0.1:9"), CN_OK);
}

static void teardown(struct fixture *f) {
  cn_event_loop_run_once(f->loop, 0, NULL, 0);
  cn_host_resolver_free(f->r);
  cn_event_loop_run_once(f->loop, 0, NULL, 0);
  CHECK_EQ_INT(callbacks, 0);
  cn_event_loop_free(f->loop);
}

/* expect_pending: |host| missed the cache and went to c-ares. */
static void expect_pending(struct fixture *f, const char *host, int port,
                           enum cn_ip_family_pref fam, long timeout) {
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  CHECK_EQ_INT(resolve(f->r, host, port, fam, timeout, &out, &req),
               CN_ERR_IO_PENDING);
  CHECK(req != NULL);
  cn_resolve_request_cancel(req);
  cn_event_loop_run_once(f->loop, 0, NULL, 0);
  CHECK(out == NULL);
}

/* --- tests -------------------------------------------------------------- */

TEST(ip_literals_resolve_synchronously) {
  struct fixture f;
  setup(&f);
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  CHECK_EQ_INT(resolve(f.r, "192.0.2.7", 81, CN_IP_ANY, 60, &out, &req), CN_OK);
  CHECK(req == NULL);
  CHECK_EQ_INT(out->num, 1);
  CHECK_EQ_STR(addr(out, 0), "192.0.2.7");
  CHECK_EQ_INT(cn_ip_endpoint_port(&out->addrs[0]), 81);
  cn_address_list_free(out);

  CHECK_EQ_INT(resolve(f.r, "2001:db8::3", 82, CN_IP_V6, 60, &out, &req),
               CN_OK);
  CHECK_EQ_INT(out->num, 1);
  CHECK_EQ_INT(cn_ip_endpoint_family(&out->addrs[0]), AF_INET6);
  cn_address_list_free(out);
  /* libcurl prints no "was resolved" block for numeric hosts. */
  CHECK_EQ_STR(log_text, "");

  /* A literal of the other family leaves nothing. */
  out = NULL;
  CHECK_EQ_INT(resolve(f.r, "192.0.2.7", 81, CN_IP_V6, 60, &out, &req),
               CN_ERR_NAME_NOT_RESOLVED);
  CHECK(out == NULL);
  CHECK_EQ_STR(log_fail, "Could not resolve host: 192.0.2.7\n");
  teardown(&f);
}

TEST(localhost_resolves_without_dns) {
  struct fixture f;
  setup(&f);
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  CHECK_EQ_INT(resolve(f.r, "localhost", 8080, CN_IP_ANY, 60, &out, &req),
               CN_OK);
  CHECK_EQ_INT(out->num, 2);
  CHECK_EQ_STR(addr(out, 0), "::1");
  CHECK_EQ_STR(addr(out, 1), "127.0.0.1");
  CHECK_EQ_INT(cn_ip_endpoint_port(&out->addrs[1]), 8080);
  cn_address_list_free(out);
  CHECK_EQ_STR(log_text, "Host localhost:8080 was resolved.\n"
                         "IPv6: ::1\n"
                         "IPv4: 127.0.0.1\n");

  /* The second time it comes from the cache, filtered by family. */
  clear_log();
  CHECK_EQ_INT(resolve(f.r, "LocalHost", 8080, CN_IP_V4, 60, &out, &req),
               CN_OK);
  CHECK_EQ_INT(out->num, 1);
  CHECK_EQ_STR(addr(out, 0), "127.0.0.1");
  cn_address_list_free(out);
  CHECK_EQ_STR(log_text, "Hostname LocalHost was found in DNS cache\n");

  CHECK_EQ_INT(resolve(f.r, "api.Dev.LOCALHOST", 1, CN_IP_V6, 60, &out, &req),
               CN_OK);
  CHECK_EQ_INT(out->num, 1);
  CHECK_EQ_STR(addr(out, 0), "::1");
  cn_address_list_free(out);

  /* "notlocalhost" is an ordinary name. */
  expect_pending(&f, "notlocalhost", 1, CN_IP_ANY, 60);
  teardown(&f);
}

TEST(cache_timeout_zero_does_not_store) {
  struct fixture f;
  setup(&f);
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  for (int i = 0; i < 2; i++) {
    clear_log();
    CHECK_EQ_INT(resolve(f.r, "localhost", 80, CN_IP_ANY, 0, &out, &req),
                 CN_OK);
    cn_address_list_free(out);
    CHECK(strstr(log_text, "was resolved.") != NULL);
    CHECK(strstr(log_text, "found in DNS cache") == NULL);
  }
  teardown(&f);
}

TEST(override_answers_for_its_host_and_port) {
  struct fixture f;
  setup(&f);
  CHECK_EQ_INT(cn_host_resolver_add_override_with_log(
                   f.r, "Example.test:443:10.9.8.7,[2001:db8::1]", &test_log),
               CN_OK);
  CHECK_EQ_STR(log_text,
               "Added Example.test:443:10.9.8.7,[2001:db8::1] to DNS cache\n");
  clear_log();

  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  CHECK_EQ_INT(resolve(f.r, "EXAMPLE.TEST", 443, CN_IP_ANY, 60, &out, &req),
               CN_OK);
  CHECK_EQ_INT(out->num, 2);
  CHECK_EQ_STR(addr(out, 0), "10.9.8.7");
  CHECK_EQ_STR(addr(out, 1), "2001:db8::1");
  CHECK_EQ_INT(cn_ip_endpoint_port(&out->addrs[0]), 443);
  cn_address_list_free(out);
  CHECK_EQ_STR(log_text, "Hostname EXAMPLE.TEST was found in DNS cache\n");

  CHECK_EQ_INT(resolve(f.r, "example.test", 443, CN_IP_V6, 60, &out, &req),
               CN_OK);
  CHECK_EQ_INT(out->num, 1);
  CHECK_EQ_STR(addr(out, 0), "2001:db8::1");
  cn_address_list_free(out);

  /* Another port is another key. */
  expect_pending(&f, "example.test", 80, CN_IP_ANY, 60);

  /* Replacing announces it; removal makes the name go to DNS again. */
  clear_log();
  CHECK_EQ_INT(cn_host_resolver_add_override_with_log(
                   f.r, "example.test:443:10.0.0.2", &test_log),
               CN_OK);
  CHECK_EQ_STR(log_text, "RESOLVE example.test:443 - old addresses discarded\n"
                         "Added example.test:443:10.0.0.2 to DNS cache\n");
  CHECK_EQ_INT(resolve(f.r, "example.test", 443, CN_IP_ANY, 60, &out, &req),
               CN_OK);
  CHECK_EQ_INT(out->num, 1);
  CHECK_EQ_STR(addr(out, 0), "10.0.0.2");
  cn_address_list_free(out);
  CHECK_EQ_INT(cn_host_resolver_add_override(f.r, "-EXAMPLE.test:443"), CN_OK);
  expect_pending(&f, "example.test", 443, CN_IP_ANY, 60);
  teardown(&f);
}

TEST(override_without_wanted_family_is_zapped) {
  struct fixture f;
  setup(&f);
  CHECK_EQ_INT(cn_host_resolver_add_override(f.r, "v4only.test:80:10.1.1.1"),
               CN_OK);
  clear_log();
  expect_pending(&f, "v4only.test", 80, CN_IP_V6, 60);
  CHECK(strstr(log_text,
               "Hostname in DNS cache does not have needed family, zapped\n") !=
        NULL);
  /* libcurl deletes the entry, so even an IPv4 lookup misses now. */
  expect_pending(&f, "v4only.test", 80, CN_IP_V4, 60);
  teardown(&f);
}

TEST(wildcard_override) {
  struct fixture f;
  setup(&f);
  CHECK_EQ_INT(
      cn_host_resolver_add_override_with_log(f.r, "*:443:127.0.0.5", &test_log),
      CN_OK);
  CHECK(strstr(log_text, "RESOLVE *:443 using wildcard\n") != NULL);
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  CHECK_EQ_INT(resolve(f.r, "anything.test", 443, CN_IP_ANY, 60, &out, &req),
               CN_OK);
  CHECK_EQ_STR(addr(out, 0), "127.0.0.5");
  cn_address_list_free(out);
  expect_pending(&f, "anything.test", 80, CN_IP_ANY, 60);
  teardown(&f);
}

TEST(plus_entries_age_permanent_ones_do_not) {
  struct fixture f;
  setup(&f);
  fake_now = 1000000000;
  cn_host_resolver_set_clock_for_testing(f.r, fake_clock);
  clear_log();
  CHECK_EQ_INT(cn_host_resolver_add_override_with_log(
                   f.r, "+tmp.test:80:10.0.0.9", &test_log),
               CN_OK);
  CHECK_EQ_STR(log_text,
               "Added tmp.test:80:10.0.0.9 to DNS cache (non-permanent)\n");
  CHECK_EQ_INT(cn_host_resolver_add_override(f.r, "perm.test:80:10.0.0.8"),
               CN_OK);

  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  fake_now += 59999999; /* just under 60 s */
  CHECK_EQ_INT(resolve(f.r, "tmp.test", 80, CN_IP_ANY, 60, &out, &req), CN_OK);
  cn_address_list_free(out);
  /* -1 never expires anything. */
  fake_now += 1000000000;
  CHECK_EQ_INT(resolve(f.r, "tmp.test", 80, CN_IP_ANY, -1, &out, &req), CN_OK);
  cn_address_list_free(out);
  /* Permanent entries survive any timeout, even 0. */
  CHECK_EQ_INT(resolve(f.r, "perm.test", 80, CN_IP_ANY, 0, &out, &req), CN_OK);
  cn_address_list_free(out);
  clear_log();
  expect_pending(&f, "tmp.test", 80, CN_IP_ANY, 60);
  CHECK(strstr(log_text, "Hostname in DNS cache was stale, zapped\n") != NULL);
  teardown(&f);
}

TEST(resolved_entries_expire_after_timeout) {
  struct fixture f;
  setup(&f);
  fake_now = 5000000;
  cn_host_resolver_set_clock_for_testing(f.r, fake_clock);
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  CHECK_EQ_INT(resolve(f.r, "localhost", 80, CN_IP_ANY, 2, &out, &req), CN_OK);
  cn_address_list_free(out);
  fake_now += 1999999;
  clear_log();
  CHECK_EQ_INT(resolve(f.r, "localhost", 80, CN_IP_ANY, 2, &out, &req), CN_OK);
  cn_address_list_free(out);
  CHECK(strstr(log_text, "found in DNS cache") != NULL);
  fake_now += 1;
  clear_log();
  CHECK_EQ_INT(resolve(f.r, "localhost", 80, CN_IP_ANY, 2, &out, &req), CN_OK);
  cn_address_list_free(out);
  CHECK(strstr(log_text, "Hostname in DNS cache was stale, zapped\n"
                         "Host localhost:80 was resolved.\n") != NULL);
  teardown(&f);
}

TEST(clear_cache_keeps_permanent_entries) {
  struct fixture f;
  setup(&f);
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  CHECK_EQ_INT(cn_host_resolver_add_override(f.r, "keep.test:1:10.0.0.1"),
               CN_OK);
  CHECK_EQ_INT(cn_host_resolver_add_override(f.r, "+drop.test:1:10.0.0.2"),
               CN_OK);
  cn_host_resolver_clear_cache(f.r);
  CHECK_EQ_INT(resolve(f.r, "keep.test", 1, CN_IP_ANY, 60, &out, &req), CN_OK);
  cn_address_list_free(out);
  expect_pending(&f, "drop.test", 1, CN_IP_ANY, 60);
  teardown(&f);
}

TEST(malformed_override_lines_are_reported) {
  struct fixture f;
  setup(&f);
  CHECK_EQ_INT(cn_host_resolver_add_override_with_log(f.r, "bad", &test_log),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_STR(log_fail, "Could not parse CURLOPT_RESOLVE entry 'bad'\n");
  clear_log();
  CHECK_EQ_INT(
      cn_host_resolver_add_override_with_log(f.r, "h:1:1.2.3.4,zz", &test_log),
      CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_STR(log_text, "Resolve address 'zz' found illegal\n");
  /* The good address before the bad one was not added either. */
  expect_pending(&f, "h", 1, CN_IP_ANY, 60);
  clear_log();
  CHECK_EQ_INT(cn_host_resolver_add_override_with_log(f.r, "-nope", &test_log),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_STR(log_text, "Bad syntax CURLOPT_RESOLVE removal entry '-nope'\n");
  CHECK_EQ_STR(log_fail, "");
  /* Removing an entry that is not there is fine. */
  CHECK_EQ_INT(cn_host_resolver_add_override(f.r, "-absent.test:80"), CN_OK);
  teardown(&f);
}

TEST(onion_names_are_refused) {
  struct fixture f;
  setup(&f);
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  CHECK_EQ_INT(resolve(f.r, "abc.onion", 80, CN_IP_ANY, 60, &out, &req),
               CN_ERR_NAME_NOT_RESOLVED);
  CHECK_EQ_STR(log_fail, "Not resolving .onion address (RFC 7686)\n");
  CHECK(req == NULL);
  teardown(&f);
}

TEST(bad_arguments) {
  struct fixture f;
  setup(&f);
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  CHECK_EQ_INT(resolve(f.r, "", 80, CN_IP_ANY, 60, &out, &req),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(resolve(f.r, "a.test", 70000, CN_IP_ANY, 60, &out, &req),
               CN_ERR_INVALID_ARGUMENT);
  teardown(&f);
}

TEST(settings_are_validated) {
  struct fixture f;
  setup(&f);
  static const char *const good[] = {
      "127.0.0.1", "127.0.0.1:5353", "127.0.0.1,[::1]:53",
      "::1",       "[::1]",          "192.0.2.1:53,192.0.2.2",
  };
  static const char *const bad[] = {
      "x",      "1.2.3.4:",  "1.2.3.4:99999", "[::1",      "1.2.3.4,,",
      "[::1]x", "1.2.3.4:0", ",1.2.3.4",      "[1.2.3.4]", "1.2.3.4:5x",
  };
  for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
    CHECK_EQ_INT(cn_host_resolver_set_servers(f.r, good[i]), CN_OK);
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    int rv = cn_host_resolver_set_servers(f.r, bad[i]);
    if (rv != CN_ERR_INVALID_ARGUMENT)
      fprintf(stderr, "accepted server list '%s'\n", bad[i]);
    CHECK_EQ_INT(rv, CN_ERR_INVALID_ARGUMENT);
  }
  CHECK_EQ_INT(cn_host_resolver_set_servers(f.r, NULL), CN_OK);
  CHECK_EQ_INT(cn_host_resolver_set_servers(f.r, ""), CN_OK);
  CHECK_EQ_INT(cn_host_resolver_set_local_ip4(f.r, "127.0.0.1"), CN_OK);
  CHECK_EQ_INT(cn_host_resolver_set_local_ip4(f.r, "::1"),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_host_resolver_set_local_ip4(f.r, NULL), CN_OK);
  CHECK_EQ_INT(cn_host_resolver_set_local_ip6(f.r, "::1"), CN_OK);
  CHECK_EQ_INT(cn_host_resolver_set_local_ip6(f.r, "127.0.0.1"),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_host_resolver_set_local_ip6(f.r, NULL), CN_OK);
  CHECK_EQ_INT(cn_host_resolver_set_timeouts(f.r, -1, 0),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_host_resolver_set_timeouts(f.r, 100, 1), CN_OK);
  /* Keep the escape hatch closed for teardown. */
  CHECK_EQ_INT(cn_host_resolver_set_servers(f.r, "127.0.0.1:9"), CN_OK);
  teardown(&f);
}

/* --- allocation failures ------------------------------------------------ */

static long live_allocs;
static void *count_malloc(size_t n) {
  void *p = malloc(n);
  if (p)
    live_allocs++;
  return p;
}
static void *count_calloc(size_t n, size_t m) {
  void *p = calloc(n, m);
  if (p)
    live_allocs++;
  return p;
}
static void *count_realloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!p && q)
    live_allocs++;
  return q;
}
static void count_free(void *p) {
  if (p)
    live_allocs--;
  free(p);
}

/* fail_each runs |step| failing the 1st, 2nd, ... allocation until a run
 * makes fewer allocations than the one set to fail. Each step leaves the
 * resolver as it found it, so every run, failed or not, must end with the
 * same number of live allocations; a run that hit the failure must report
 * OOM unless the failed allocation was optional (|ok_rv| then). */
static void fail_each(struct fixture *f, int (*step)(struct fixture *),
                      int ok_rv) {
  for (long n = 1; n < 200; n++) {
    long before = live_allocs;
    long count_before = cn_alloc_count();
    cn_alloc_fail_nth(n);
    int rv = step(f);
    cn_alloc_fail_nth(0);
    bool clean = cn_alloc_count() - count_before < n;
    CHECK_EQ_INT(live_allocs, before);
    if (clean) {
      CHECK_EQ_INT(rv, ok_rv);
      CHECK(n > 1); /* the step allocates at all */
      return;
    }
    if (rv != ok_rv)
      CHECK_EQ_INT(rv, CN_ERR_OUT_OF_MEMORY);
  }
  CHECK(0 && "step never ran without a failure");
}

static int cache_hit_step(struct fixture *f) {
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  int rv = resolve(f->r, "hit.test", 443, CN_IP_V4, 60, &out, &req);
  if (rv == CN_OK) {
    CHECK_EQ_INT(out->num, 1);
    CHECK_EQ_STR(addr(out, 0), "10.7.7.7");
    cn_address_list_free(out);
  } else {
    CHECK(out == NULL);
  }
  return rv;
}

static int localhost_step(struct fixture *f) {
  struct cn_address_list *out = NULL;
  struct cn_resolve_request *req = NULL;
  cn_host_resolver_clear_cache(f->r);
  int rv = resolve(f->r, "localhost", 80, CN_IP_ANY, 60, &out, &req);
  if (rv == CN_OK) {
    CHECK_EQ_INT(out->num, 2);
    cn_address_list_free(out);
  }
  cn_host_resolver_clear_cache(f->r);
  return rv;
}

static int override_step(struct fixture *f) {
  int rv = cn_host_resolver_add_override_with_log(
      f->r, "+o.test:1:[::1],10.0.0.1", &test_log);
  if (rv == CN_OK) {
    /* The removal may be the run's failing allocation; only once. */
    if (cn_host_resolver_add_override(f->r, "-o.test:1") != CN_OK)
      CHECK_EQ_INT(cn_host_resolver_add_override(f->r, "-o.test:1"), CN_OK);
  }
  return rv;
}

TEST(allocation_failures_on_sync_paths) {
  cn_alloc_set_functions(count_malloc, count_free, count_realloc, NULL,
                         count_calloc);
  struct fixture f;
  setup(&f);
  CHECK_EQ_INT(
      cn_host_resolver_add_override(f.r, "hit.test:443:10.7.7.7,2001:db8::7"),
      CN_OK);
  fail_each(&f, cache_hit_step, CN_OK);
  fail_each(&f, localhost_step, CN_OK);
  fail_each(&f, override_step, CN_OK);
  teardown(&f);
  CHECK_EQ_INT(live_allocs, 0);
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

TEST_MAIN(ip_literals_resolve_synchronously, localhost_resolves_without_dns,
          cache_timeout_zero_does_not_store,
          override_answers_for_its_host_and_port,
          override_without_wanted_family_is_zapped, wildcard_override,
          plus_entries_age_permanent_ones_do_not,
          resolved_entries_expire_after_timeout,
          clear_cache_keeps_permanent_entries,
          malformed_override_lines_are_reported, onion_names_are_refused,
          bad_arguments, settings_are_validated,
          allocation_failures_on_sync_paths)
