/* psl.c: libpsl with libcurl's refresh rules. */
#include "cookies/psl.h"

#include <libpsl.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "util/time.h"

/* libcurl copies both names into 256-byte buffers to lowercase them and
 * refuses anything that does not fit. */
#define PSL_NAME_MAX 256

static struct cn_psl_cache global_cache;
static pthread_mutex_t global_mutex = PTHREAD_MUTEX_INITIALIZER;

static void global_lock(void *arg, bool lock) {
  (void)arg;
  if (lock)
    pthread_mutex_lock(&global_mutex);
  else
    pthread_mutex_unlock(&global_mutex);
}

void cn_psl_cache_init(struct cn_psl_cache *c) {
  memset(c, 0, sizeof(*c));
}

static void release_list(struct cn_psl_cache *c) {
  if (c->psl && c->dynamic)
    psl_free((psl_ctx_t *)c->psl);
  c->psl = NULL;
  c->dynamic = false;
}

void cn_psl_cache_cleanup(struct cn_psl_cache *c) {
  if (!c)
    return;
  release_list(c);
  c->expires = 0;
}

void cn_psl_cache_set_lock(struct cn_psl_cache *c, cn_psl_lock_fn fn,
                           void *arg) {
  c->lock = fn;
  c->lock_arg = arg;
}

static int64_t now_s(void) { return cn_time_now_us() / 1000000; }

/* refresh loads a list when there is none or the current one is older than
 * the TTL; called with the lock held. A failed reload keeps the old list,
 * and the compiled-in list never replaces a loaded system list. */
static void refresh(struct cn_psl_cache *c) {
  int64_t now = now_s();
  if (c->psl && c->expires > now)
    return;
  const psl_ctx_t *psl = psl_latest(NULL);
  bool dynamic = psl != NULL;
  if (!psl && !c->dynamic)
    psl = psl_builtin();
  if (psl) {
    release_list(c);
    c->psl = psl;
    c->dynamic = dynamic;
    c->expires = now + CN_PSL_TTL_S;
  }
}

/* lower_copy copies |s| lowercased (ASCII only, as libcurl) into |out|;
 * false when it does not fit. */
static bool lower_copy(char out[PSL_NAME_MAX], const char *s) {
  size_t len = strlen(s);
  if (len >= PSL_NAME_MAX)
    return false;
  for (size_t i = 0; i <= len; i++) {
    char ch = s[i];
    out[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + ('a' - 'A')) : ch;
  }
  return true;
}

bool cn_psl_cookie_domain_acceptable(struct cn_psl_cache *c, const char *host,
                                     const char *cookie_domain) {
  char lhost[PSL_NAME_MAX], ldomain[PSL_NAME_MAX];
  if (!lower_copy(lhost, host) || !lower_copy(ldomain, cookie_domain))
    return false;
  if (!c) {
    c = &global_cache;
    c->lock = global_lock;
  }
  if (c->lock)
    c->lock(c->lock_arg, true);
  refresh(c);
  bool ok = c->psl && psl_is_cookie_domain_acceptable(
                          (const psl_ctx_t *)c->psl, lhost, ldomain);
  if (c->lock)
    c->lock(c->lock_arg, false);
  return ok;
}

void cn_psl_global_cleanup(void) {
  pthread_mutex_lock(&global_mutex);
  release_list(&global_cache);
  global_cache.expires = 0;
  pthread_mutex_unlock(&global_mutex);
}
