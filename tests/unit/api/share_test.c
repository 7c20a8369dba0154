/* share_test.c: curl_share_* records what is shared, calls the program's
 * lock callbacks, and refuses changes and cleanup while easy handles use
 * the share. */
#include <curl/curl.h>

#include <stdlib.h>

#include "api/easy_handle.h"
#include "api/share_handle.h"
#include "test.h"

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

TEST_MAIN(records_what_is_shared, invalid_handles, in_use_while_attached)
