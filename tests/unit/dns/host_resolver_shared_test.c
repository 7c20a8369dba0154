/* host_resolver_shared_test.c: two resolvers (two multi handles) with one
 * shared host cache (a share handle with CURL_LOCK_DATA_DNS): what one
 * resolves or is told by CURLOPT_RESOLVE, the other finds in the cache,
 * every access is locked, and resolvers without the shared cache keep to
 * their own. No DNS traffic: misses are only started, then cancelled. */
#include "dns/host_resolver.h"

#include <string.h>

#include "dns/host_cache.h"
#include "test.h"
#include "util/event_loop.h"
#include "util/net_log.h"

static char log_text[4096];

static void capture(void *ctx, enum cn_net_log_type type, const char *data,
                    size_t len) {
  (void)ctx;
  size_t have = strlen(log_text);
  if (type == CN_LOG_TEXT && have + len < sizeof(log_text)) {
    memcpy(log_text + have, data, len);
    log_text[have + len] = '\0';
  }
}

static const struct cn_net_log test_log = {capture, NULL, true};

struct lock_state {
  int depth, max_depth, locks, unlocks;
};

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

static void no_cb(void *ctx, int rv) {
  (void)ctx;
  (void)rv;
}

static int resolve(struct cn_host_resolver *r,
                   const struct cn_shared_host_cache *shared, const char *host,
                   struct cn_address_list **out,
                   struct cn_resolve_request **req) {
  struct cn_resolve_params p = {
      .host = host,
      .port = 80,
      .family = CN_IP_ANY,
      .cache_timeout_s = 60,
      .log = &test_log,
      .shared_cache = shared,
  };
  log_text[0] = '\0';
  *out = NULL;
  *req = NULL;
  return cn_host_resolver_resolve(r, &p, out, req, no_cb, NULL);
}

TEST(second_resolver_finds_the_first_ones_answer) {
  struct cn_event_loop *loop = cn_event_loop_new();
  struct cn_host_resolver *a = cn_host_resolver_new(loop);
  struct cn_host_resolver *b = cn_host_resolver_new(loop);
  struct lock_state lk = {0};
  struct cn_shared_host_cache shared = {cn_host_cache_new(), lock_fn, &lk};
  struct cn_address_list *out;
  struct cn_resolve_request *req;

  /* localhost resolves without DNS and is stored like a DNS answer. */
  CHECK_EQ_INT(resolve(a, &shared, "localhost", &out, &req), CN_OK);
  CHECK(strstr(log_text, "Host localhost:80 was resolved.") != NULL);
  CHECK(strstr(log_text, "found in DNS cache") == NULL);
  cn_address_list_free(out);
  CHECK_EQ_INT(cn_host_cache_size(shared.cache), 1);

  CHECK_EQ_INT(resolve(b, &shared, "localhost", &out, &req), CN_OK);
  CHECK(strstr(log_text, "Hostname localhost was found in DNS cache") != NULL);
  CHECK(out && out->num == 2);
  cn_address_list_free(out);

  /* Without the shared cache, b's own cache is empty. */
  CHECK_EQ_INT(resolve(b, NULL, "localhost", &out, &req), CN_OK);
  CHECK(strstr(log_text, "found in DNS cache") == NULL);
  cn_address_list_free(out);

  CHECK(lk.locks >= 3);
  CHECK_EQ_INT(lk.locks, lk.unlocks);
  CHECK_EQ_INT(lk.max_depth, 1);
  cn_host_resolver_free(a);
  cn_host_resolver_free(b);
  cn_host_cache_free(shared.cache);
  cn_event_loop_free(loop);
}

TEST(resolve_overrides_go_to_the_shared_cache) {
  struct cn_event_loop *loop = cn_event_loop_new();
  struct cn_host_resolver *a = cn_host_resolver_new(loop);
  struct cn_host_resolver *b = cn_host_resolver_new(loop);
  struct lock_state lk = {0};
  struct cn_shared_host_cache shared = {cn_host_cache_new(), lock_fn, &lk};
  struct cn_address_list *out;
  struct cn_resolve_request *req;

  log_text[0] = '\0';
  CHECK_EQ_INT(cn_host_resolver_add_override_shared(
                   a, &shared, "shared.test:80:192.0.2.7", false, &test_log),
               CN_OK);
  CHECK(strstr(log_text, "Added shared.test:80:192.0.2.7 to DNS cache") !=
        NULL);
  CHECK_EQ_INT(lk.locks, 1);
  CHECK_EQ_INT(lk.unlocks, 1);

  /* b sees it through the shared cache ... */
  CHECK_EQ_INT(resolve(b, &shared, "shared.test", &out, &req), CN_OK);
  CHECK(strstr(log_text, "Hostname shared.test was found in DNS cache") !=
        NULL);
  CHECK(out && out->num == 1);
  cn_address_list_free(out);

  /* ... a's own cache does not have it: the name goes to DNS. */
  CHECK_EQ_INT(resolve(a, NULL, "shared.test", &out, &req), CN_ERR_IO_PENDING);
  cn_resolve_request_cancel(req);

  /* Removal through the shared cache; a NULL resolver is fine. */
  CHECK_EQ_INT(cn_host_resolver_add_override_shared(
                   NULL, &shared, "-shared.test:80", false, NULL),
               CN_OK);
  CHECK_EQ_INT(cn_host_cache_size(shared.cache), 0);
  CHECK_EQ_INT(cn_host_resolver_add_override_shared(
                   NULL, NULL, "x.test:80:192.0.2.1", false, NULL),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(lk.locks, lk.unlocks);
  CHECK_EQ_INT(lk.max_depth, 1);

  cn_host_resolver_free(a);
  cn_host_resolver_free(b);
  cn_host_cache_free(shared.cache);
  cn_event_loop_free(loop);
}

TEST_MAIN(second_resolver_finds_the_first_ones_answer,
          resolve_overrides_go_to_the_shared_cache)
