/* share_handle.h: what a CURLSH * is inside curlium.
 *
 * For now a share handle only records what the program asked to share and
 * its lock callbacks; the DNS cache, TLS session cache, connection pool and
 * cookie store hang off it once those modules support sharing (each module
 * adds its own owned pointer here and frees it in curl_share_cleanup).
 *
 * Ownership: the program owns the share (curl_share_init/_cleanup). Easy
 * handles attach to it with CURLOPT_SHARE; while any is attached,
 * curl_share_setopt and curl_share_cleanup answer CURLSHE_IN_USE. */
#ifndef CN_API_SHARE_HANDLE_H
#define CN_API_SHARE_HANDLE_H

#include <curl/curl.h>
#include <stdbool.h>

#define CN_SHARE_MAGIC 0x5ea7ed01U

struct cn_share {
  unsigned magic;
  unsigned int specifier; /* 1 << CURL_LOCK_DATA_* for each shared kind */
  curl_lock_function lockfunc;
  curl_unlock_function unlockfunc;
  void *clientdata;
  long users; /* easy handles attached (libcurl's "dirty") */
};

/* cn_share_from checks the magic; NULL if |handle| is not a share handle. */
struct cn_share *cn_share_from(void *handle);

/* cn_share_attach / cn_share_detach count an easy handle in or out (under
 * the program's CURL_LOCK_DATA_SHARE lock). NULL-safe. */
void cn_share_attach(struct cn_share *sh);
void cn_share_detach(struct cn_share *sh);

/* cn_share_has tells whether |sh| (may be NULL) shares |data|. */
bool cn_share_has(const struct cn_share *sh, curl_lock_data data);

/* cn_share_lock / cn_share_unlock call the program's lock callbacks (if
 * set) around access to shared |data| on behalf of |easy| (may be NULL). */
void cn_share_lock(struct cn_share *sh, CURL *easy, curl_lock_data data,
                   curl_lock_access access);
void cn_share_unlock(struct cn_share *sh, CURL *easy, curl_lock_data data);

#endif
