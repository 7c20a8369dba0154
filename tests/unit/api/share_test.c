/* share_test.c: curl_share_* records what is shared, calls the program's
 * lock callbacks, and refuses changes and cleanup while easy handles use
 * the share. */
#include <curl/curl.h>

#include <stdlib.h>
#include <string.h>

#include "api/cookies_api.h"
#include "api/easy_handle.h"
#include "api/hsts_api.h"
#include "api/share_handle.h"
#include "socket/client_socket_pool.h"
#include "socket/shared_socket_cache.h"
#include "test.h"
#include "url_request/hsts_store.h"

static int locks, unlocks;
static void lock_cb(CURL *h, curl_lock_data d, curl_lock_access a, void *u) {
  (void)h;
  (void)a;
  if (d == CURL_LOCK_DATA_SHARE && u == &locks)
    locks++;
}
static void unlock_cb(CURL *h, curl_lock_data d, void *u) {
  (void)h;
  if (d == CURL_LOCK_DATA_SHARE && u == &locks)
    unlocks++;
}

TEST(records_what_is_shared) {
  CURLSH *sh = curl_share_init();
  struct cn_share *s = cn_share_from(sh);
  CHECK(s != NULL);
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS),
               CURLSHE_OK);
  CHECK_EQ_INT(
      curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION),
      CURLSHE_OK);
  CHECK(cn_share_has(s, CURL_LOCK_DATA_DNS));
  CHECK(cn_share_has(s, CURL_LOCK_DATA_SSL_SESSION));
  CHECK(!cn_share_has(s, CURL_LOCK_DATA_COOKIE));
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_UNSHARE, CURL_LOCK_DATA_DNS),
               CURLSHE_OK);
  CHECK(!cn_share_has(s, CURL_LOCK_DATA_DNS));
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SHARE),
               CURLSHE_BAD_OPTION);
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_LAST),
               CURLSHE_BAD_OPTION);
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, 31), CURLSHE_BAD_OPTION);
  CHECK_EQ_INT(curl_share_setopt(sh, (CURLSHoption)99, 0L), CURLSHE_BAD_OPTION);
  CHECK_EQ_INT(curl_share_cleanup(sh), CURLSHE_OK);
}

TEST(invalid_handles) {
  char not_a_share[64] = {0};
  CHECK_EQ_INT(curl_share_setopt(NULL, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS),
               CURLSHE_INVALID);
  CHECK_EQ_INT(curl_share_setopt(not_a_share, CURLSHOPT_SHARE, 3),
               CURLSHE_INVALID);
  CHECK_EQ_INT(curl_share_cleanup(NULL), CURLSHE_INVALID);
  CHECK_EQ_INT(curl_share_cleanup(not_a_share), CURLSHE_INVALID);
}

TEST(in_use_while_attached) {
  CURLSH *sh = curl_share_init();
  curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, lock_cb);
  curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, unlock_cb);
  curl_share_setopt(sh, CURLSHOPT_USERDATA, &locks);

  struct cn_easy *e = calloc(1, sizeof(*e));
  e->magic = CN_EASY_MAGIC;
  cn_easy_options_init(&e->opts);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_SHARE, sh), CURLE_OK);
  CHECK(locks > 0 && locks == unlocks);

  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS),
               CURLSHE_IN_USE);
  CHECK_EQ_INT(curl_share_cleanup(sh), CURLSHE_IN_USE);
  CHECK_EQ_INT(locks, unlocks); /* the failed cleanup unlocked again */

  /* detaching (setting NULL or an invalid handle) frees it up */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_SHARE, NULL), CURLE_OK);
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS),
               CURLSHE_OK);
  curl_easy_setopt(e, CURLOPT_SHARE, sh);
  cn_easy_options_cleanup(&e->opts); /* the handle going away detaches */
  free(e);
  int before = locks;
  CHECK_EQ_INT(curl_share_cleanup(sh), CURLSHE_OK);
  CHECK_EQ_INT(locks, before + 1);
  CHECK_EQ_INT(locks, unlocks);
}

/* Lock calls per kind of data, for the shared objects' hooks. */
static int kind_locks[CURL_LOCK_DATA_LAST], kind_unlocks[CURL_LOCK_DATA_LAST];
static void kind_lock(CURL *h, curl_lock_data d, curl_lock_access a, void *u) {
  (void)h;
  (void)a;
  (void)u;
  kind_locks[d]++;
}
static void kind_unlock(CURL *h, curl_lock_data d, void *u) {
  (void)h;
  (void)u;
  kind_unlocks[d]++;
}

/* counted_share: a new share handle with the counting callbacks, counts
 * reset. */
static CURLSH *counted_share(void) {
  memset(kind_locks, 0, sizeof(kind_locks));
  memset(kind_unlocks, 0, sizeof(kind_unlocks));
  CURLSH *sh = curl_share_init();
  curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, kind_lock);
  curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, kind_unlock);
  return sh;
}

TEST(shared_objects_follow_share_and_unshare) {
  CURLSH *sh = counted_share();
  struct cn_share *s = cn_share_from(sh);
  struct cn_socket_params sp;
  memset(&sp, 0, sizeof(sp));
  cn_share_fill_socket_params(s, &sp);
  CHECK(!sp.shared_cache && !sp.shared_dns && !sp.ssl_ctx);

  /* CONNECT: a connection cache, and a TLS context for its sockets. */
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT),
               CURLSHE_OK);
  CHECK(s->conn_cache != NULL);
  CHECK(s->ssl_ctx != NULL);
  CHECK(s->dns.cache == NULL);
  cn_share_fill_socket_params(s, &sp);
  CHECK(sp.shared_cache == s->conn_cache);
  CHECK(sp.ssl_ctx == s->ssl_ctx);
  CHECK(sp.shared_dns == NULL);
  CHECK(cn_share_dns_cache(s) == NULL);
  /* Its accesses take the program's CONNECT lock. */
  CHECK_EQ_INT(cn_shared_socket_cache_new_id(s->conn_cache), 0);
  CHECK_EQ_INT(kind_locks[CURL_LOCK_DATA_CONNECT], 1);
  CHECK_EQ_INT(kind_unlocks[CURL_LOCK_DATA_CONNECT], 1);

  /* DNS: a host cache behind the DNS lock. */
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS),
               CURLSHE_OK);
  CHECK(s->dns.cache != NULL);
  memset(&sp, 0, sizeof(sp));
  cn_share_fill_socket_params(s, &sp);
  CHECK(sp.shared_dns == &s->dns);
  CHECK(cn_share_dns_cache(s) == &s->dns);
  sp.shared_dns->lock(sp.shared_dns->lock_arg, true);
  sp.shared_dns->lock(sp.shared_dns->lock_arg, false);
  CHECK_EQ_INT(kind_locks[CURL_LOCK_DATA_DNS], 1);
  CHECK_EQ_INT(kind_unlocks[CURL_LOCK_DATA_DNS], 1);

  /* Unsharing frees; the TLS context stays while SSL_SESSION is shared. */
  CHECK_EQ_INT(
      curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION),
      CURLSHE_OK);
  CHECK_EQ_INT(
      curl_share_setopt(sh, CURLSHOPT_UNSHARE, CURL_LOCK_DATA_CONNECT),
      CURLSHE_OK);
  CHECK(s->conn_cache == NULL);
  CHECK(s->ssl_ctx != NULL);
  memset(&sp, 0, sizeof(sp));
  cn_share_fill_socket_params(s, &sp);
  CHECK(sp.shared_cache == NULL);
  CHECK(sp.ssl_ctx == s->ssl_ctx);
  CHECK_EQ_INT(
      curl_share_setopt(sh, CURLSHOPT_UNSHARE, CURL_LOCK_DATA_SSL_SESSION),
      CURLSHE_OK);
  CHECK(s->ssl_ctx == NULL);
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_UNSHARE, CURL_LOCK_DATA_DNS),
               CURLSHE_OK);
  CHECK(s->dns.cache == NULL);

  /* Cookies are recorded only. */
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE),
               CURLSHE_OK);
  CHECK(cn_share_has(s, CURL_LOCK_DATA_COOKIE));
  CHECK(!s->conn_cache && !s->dns.cache && !s->ssl_ctx);

  /* Only shared kinds are locked; setopt itself never locks (a program
   * sets LOCKFUNC and UNLOCKFUNC in two calls). */
  cn_share_lock(s, NULL, CURL_LOCK_DATA_DNS, CURL_LOCK_ACCESS_SINGLE);
  cn_share_unlock(s, NULL, CURL_LOCK_DATA_DNS);
  CHECK_EQ_INT(kind_locks[CURL_LOCK_DATA_DNS], 1);
  CHECK_EQ_INT(kind_locks[CURL_LOCK_DATA_SHARE], 0);

  /* Objects are freed by cleanup too. */
  curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  CHECK_EQ_INT(curl_share_cleanup(sh), CURLSHE_OK);
  CHECK_EQ_INT(kind_locks[CURL_LOCK_DATA_SHARE], 1);
  CHECK_EQ_INT(kind_unlocks[CURL_LOCK_DATA_SHARE], 1);
}

static struct cn_easy *fake_easy(void) {
  struct cn_easy *e = calloc(1, sizeof(*e));
  e->magic = CN_EASY_MAGIC;
  cn_easy_options_init(&e->opts);
  cn_cookie_engine_init(&e->cookies);
  return e;
}

static void free_fake_easy(struct cn_easy *e) {
  cn_hsts_engine_close(e);
  cn_cookie_engine_cleanup(&e->cookies);
  cn_easy_options_cleanup(&e->opts);
  free(e);
}

static size_t list_len(struct curl_slist *l) {
  size_t n = 0;
  for (; l; l = l->next)
    n++;
  return n;
}

/* With CURL_LOCK_DATA_COOKIE every attached handle uses the share's jar
 * (under the COOKIE lock): what one handle stores the other sees, and a
 * handle that detaches no longer does (the curl tool runs each URL on its
 * own handle and carries cookies over this way). */
TEST(shared_cookie_jar) {
  CURLSH *sh = counted_share();
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE),
               CURLSHE_OK);
  struct cn_easy *a = fake_easy();
  struct cn_easy *b = fake_easy();
  /* |a| had a jar of its own: the shared one replaces it */
  CHECK_EQ_INT(curl_easy_setopt(a, CURLOPT_COOKIELIST,
                                "Set-Cookie: own=1; domain=example.com"),
               CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(a, CURLOPT_SHARE, sh), CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(b, CURLOPT_SHARE, sh), CURLE_OK);
  CHECK(cn_cookie_list(a) == NULL);
  CHECK_EQ_INT(curl_easy_setopt(a, CURLOPT_COOKIELIST,
                                "Set-Cookie: s=1; domain=example.com"),
               CURLE_OK);
  struct curl_slist *l = cn_cookie_list(b);
  CHECK_EQ_INT((int)list_len(l), 1);
  CHECK(l && strstr(l->data, "\ts\t1") != NULL);
  curl_slist_free_all(l);
  CHECK(kind_locks[CURL_LOCK_DATA_COOKIE] > 0);
  CHECK_EQ_INT(kind_locks[CURL_LOCK_DATA_COOKIE],
               kind_unlocks[CURL_LOCK_DATA_COOKIE]);
  CHECK_EQ_INT(curl_easy_setopt(b, CURLOPT_SHARE, NULL), CURLE_OK);
  CHECK(cn_cookie_list(b) == NULL);
  free_fake_easy(a);
  free_fake_easy(b);
  CHECK_EQ_INT(curl_share_cleanup(sh), CURLSHE_OK);
}

/* With CURL_LOCK_DATA_HSTS every attached handle uses the share's HSTS
 * cache (under the HSTS lock), as in libcurl 8.14: a handle's own cache is
 * dropped at attach, CURLOPT_HSTS NULL keeps the shared one, detaching or
 * CURLOPT_HSTS_CTRL 0 lets go of it, and UNSHARE frees it. */
TEST(shared_hsts_cache) {
  CURLSH *sh = counted_share();
  struct cn_share *s = cn_share_from(sh);
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_HSTS),
               CURLSHE_OK);
  struct cn_hsts_store *shared = cn_share_hsts_store(s);
  CHECK(shared != NULL);
  struct cn_easy *a = fake_easy();
  struct cn_easy *b = fake_easy();
  struct cn_easy *c = fake_easy(); /* not attached */
  CHECK_EQ_INT(curl_easy_setopt(a, CURLOPT_HSTS_CTRL, (long)CURLHSTS_ENABLE),
               CURLE_OK);
  CHECK(a->hsts.store != NULL && a->hsts.store != shared);
  CHECK_EQ_INT(curl_easy_setopt(c, CURLOPT_HSTS_CTRL, (long)CURLHSTS_ENABLE),
               CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(a, CURLOPT_SHARE, sh), CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(b, CURLOPT_SHARE, sh), CURLE_OK);
  CHECK(a->hsts.store == shared && a->hsts.shared);
  CHECK(b->hsts.store == shared);

  int64_t now = 1000000;
  CHECK(cn_hsts_store_parse_header(a->hsts.store, "example.com",
                                   "max-age=3600", now));
  CHECK(cn_hsts_store_lookup(b->hsts.store, "example.com", true, now));
  CHECK(!cn_hsts_store_lookup(c->hsts.store, "example.com", true, now));
  CHECK_EQ_INT(kind_locks[CURL_LOCK_DATA_HSTS], 2);
  CHECK_EQ_INT(kind_unlocks[CURL_LOCK_DATA_HSTS], 2);

  /* No file: the list goes, the shared cache stays. */
  CHECK_EQ_INT(curl_easy_setopt(a, CURLOPT_HSTS, NULL), CURLE_OK);
  CHECK(a->hsts.store == shared);
  CHECK_EQ_INT(curl_easy_setopt(a, CURLOPT_HSTS_CTRL, 0L), CURLE_OK);
  CHECK(a->hsts.store == NULL && !a->hsts.shared);
  CHECK_EQ_INT(curl_easy_setopt(b, CURLOPT_SHARE, NULL), CURLE_OK);
  CHECK(b->hsts.store == NULL);
  CHECK(cn_share_hsts_store(s) == shared);
  /* |a| detaches when it goes away; then the kind can be unshared. */
  free_fake_easy(a);
  free_fake_easy(b);
  free_fake_easy(c);
  CHECK_EQ_INT(curl_share_setopt(sh, CURLSHOPT_UNSHARE, CURL_LOCK_DATA_HSTS),
               CURLSHE_OK);
  CHECK(s->hsts == NULL);
  CHECK(cn_share_hsts_store(s) == NULL);
  CHECK_EQ_INT(curl_share_cleanup(sh), CURLSHE_OK);
}

TEST_MAIN(records_what_is_shared, invalid_handles, in_use_while_attached,
          shared_objects_follow_share_and_unshare, shared_cookie_jar,
          shared_hsts_cache)
