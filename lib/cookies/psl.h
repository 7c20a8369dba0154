/* psl.h: the public suffix list behind the cookie engine's "no cookie for
 * co.uk" rule, over libpsl, with libcurl 8.14's cache rules: the system
 * list (psl_latest(): Debian's /usr/share/publicsuffix/...dafsa) is used
 * for 72 hours and then loaded again; when it cannot be loaded the list
 * compiled into libpsl (psl_builtin()) is used instead.
 *
 * A cn_psl_cache is embedded (cn_psl_cache_init/_cleanup) where libcurl
 * keeps its PslCache: in the share handle when CURL_LOCK_DATA_PSL is
 * shared. Everything else may use the process-wide cache by passing NULL,
 * which is what libcurl's per-multi cache amounts to (one list, loaded on
 * first use). Thread safety: a cache with lock hooks is used only between
 * lock(arg, true) and lock(arg, false); the process-wide cache has its own
 * mutex. */
#ifndef CN_COOKIES_PSL_H
#define CN_COOKIES_PSL_H

#include <stdbool.h>
#include <stdint.h>

struct psl_ctx_st; /* libpsl's psl_ctx_t */

/* |lock|(|arg|, true) locks, (|arg|, false) unlocks. */
typedef void (*cn_psl_lock_fn)(void *arg, bool lock);

struct cn_psl_cache {
  const struct psl_ctx_st *psl; /* NULL until first use */
  int64_t expires;              /* monotonic seconds; refresh after */
  bool dynamic;                 /* psl_latest(): freed with psl_free */
  cn_psl_lock_fn lock;
  void *lock_arg;
};

/* libcurl's PSL_TTL: how long a loaded list is used. */
#define CN_PSL_TTL_S (72 * 3600)

void cn_psl_cache_init(struct cn_psl_cache *c);
/* cn_psl_cache_cleanup releases the loaded list (NULL-safe). */
void cn_psl_cache_cleanup(struct cn_psl_cache *c);
/* cn_psl_cache_set_lock installs lock hooks (NULL |fn|: none). Set before
 * the cache is used from more than one thread. */
void cn_psl_cache_set_lock(struct cn_psl_cache *c, cn_psl_lock_fn fn,
                           void *arg);

/* cn_psl_cookie_domain_acceptable tells whether a response from |host| may
 * set a cookie for |cookie_domain| (libpsl's psl_is_cookie_domain_
 * acceptable on lowercased copies, as libcurl calls it): false for a public
 * suffix such as "co.uk" unless it is |host| itself, and false, as libcurl,
 * when either name is 256 bytes or longer or no list could be loaded.
 * |c| NULL: the process-wide cache. */
bool cn_psl_cookie_domain_acceptable(struct cn_psl_cache *c, const char *host,
                                     const char *cookie_domain);

/* cn_psl_global_cleanup releases the process-wide cache's list (for
 * curl_global_cleanup; a later use loads it again). Not thread-safe against
 * concurrent use, like curl_global_cleanup itself. */
void cn_psl_global_cleanup(void);

#endif
