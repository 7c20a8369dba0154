/* share_handle.h: what a CURLSH * is inside curlium.
 *
 * A share handle records what the program asked to share and its lock
 * callbacks, and owns the shared objects:
 *   CURL_LOCK_DATA_CONNECT      a cn_shared_socket_cache (idle connections
 *                               that easy handles of any multi handle or
 *                               thread take and give back)
 *   CURL_LOCK_DATA_DNS          a cn_host_cache used by every resolver
 *   CURL_LOCK_DATA_SSL_SESSION  a TLS context (session cache); the share
 *                               also makes one when only CONNECT is shared,
 *                               so that a connection moving between multi
 *                               handles stores its session tickets in one
 *                               locked place (see docs/ARCHITECTURE.md)
 *   CURL_LOCK_DATA_COOKIE       a cookie jar (cn_cookie_store) that easy
 *                               handles use instead of their own
 *   CURL_LOCK_DATA_HSTS         an HSTS cache (cn_hsts_store) that easy
 *                               handles use instead of their own
 *   PSL                         recorded only
 * Each object exists while its kind is shared (made on CURLSHOPT_SHARE,
 * freed on CURLSHOPT_UNSHARE and in curl_share_cleanup). Every access to
 * one of them runs between the program's lock and unlock callbacks for its
 * kind, as in libcurl.
 *
 * Ownership: the program owns the share (curl_share_init/_cleanup). Easy
 * handles attach to it with CURLOPT_SHARE; while any is attached,
 * curl_share_setopt and curl_share_cleanup answer CURLSHE_IN_USE. */
#ifndef CN_API_SHARE_HANDLE_H
#define CN_API_SHARE_HANDLE_H

#include <curl/curl.h>
#include <stdbool.h>

#include "dns/host_resolver.h"

#define CN_SHARE_MAGIC 0x5ea7ed01U

struct cn_cookie_store;
struct cn_hsts_store;
struct cn_shared_socket_cache;
struct cn_ssl_client_context;
struct cn_socket_params;

struct cn_share {
  unsigned magic;
  unsigned int specifier; /* 1 << CURL_LOCK_DATA_* for each shared kind */
  curl_lock_function lockfunc;
  curl_unlock_function unlockfunc;
  void *clientdata;
  long users; /* easy handles attached (libcurl's "dirty") */

  struct cn_shared_socket_cache *conn_cache; /* owned; CONNECT */
  struct cn_shared_host_cache dns;           /* .cache owned; DNS */
  struct cn_ssl_client_context *ssl_ctx;     /* one reference owned */
  struct cn_cookie_store *cookies;           /* owned; COOKIE */
  struct cn_hsts_store *hsts;                /* owned; HSTS */
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

/* cn_share_fill_socket_params points |sp|'s shared_cache, shared_dns and
 * ssl_ctx at what |sh| shares (fields of kinds not shared stay as they
 * are). The objects stay valid while the easy handle is attached. */
void cn_share_fill_socket_params(struct cn_share *sh,
                                 struct cn_socket_params *sp);

/* cn_share_cookie_store: |sh|'s cookie jar when it shares cookies, else
 * NULL (|sh| may be NULL). It lives while the kind is shared. */
struct cn_cookie_store *cn_share_cookie_store(struct cn_share *sh);

/* cn_share_hsts_store: |sh|'s HSTS cache when it shares HSTS, else NULL
 * (|sh| may be NULL). It lives while the kind is shared. */
struct cn_hsts_store *cn_share_hsts_store(struct cn_share *sh);

/* cn_share_dns_cache: |sh|'s DNS cache when it shares DNS, else NULL (|sh|
 * may be NULL), for cn_host_resolver_add_override_shared: a transfer's
 * CURLOPT_RESOLVE entries go where its lookups go. */
const struct cn_shared_host_cache *cn_share_dns_cache(struct cn_share *sh);

#endif
