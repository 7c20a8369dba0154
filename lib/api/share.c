/* share.c: curl_share_init/_setopt/_cleanup, and the shared connection
 * cache, DNS cache and TLS context with the program's lock callbacks
 * wrapped around each of them. */
#include <stdarg.h>

#include "api/share_handle.h"
#include "cookies/cookie_store.h"
#include "dns/host_cache.h"
#include "socket/client_socket_pool.h"
#include "socket/shared_socket_cache.h"
#include "tls/ssl_client_socket.h"
#include "url_request/hsts_store.h"
#include "util/alloc.h"

struct cn_share *cn_share_from(void *handle) {
  struct cn_share *sh = handle;
  if (!sh || sh->magic != CN_SHARE_MAGIC)
    return NULL;
  return sh;
}

/* As libcurl: only data the share holds is locked (the others are not
 * shared, so there is nothing to guard). */
void cn_share_lock(struct cn_share *sh, CURL *easy, curl_lock_data data,
                   curl_lock_access access) {
  if (sh && sh->lockfunc && cn_share_has(sh, data))
    sh->lockfunc(easy, data, access, sh->clientdata);
}

void cn_share_unlock(struct cn_share *sh, CURL *easy, curl_lock_data data) {
  if (sh && sh->unlockfunc && cn_share_has(sh, data))
    sh->unlockfunc(easy, data, sh->clientdata);
}

void cn_share_attach(struct cn_share *sh) {
  if (!sh)
    return;
  cn_share_lock(sh, NULL, CURL_LOCK_DATA_SHARE, CURL_LOCK_ACCESS_SINGLE);
  sh->users++;
  cn_share_unlock(sh, NULL, CURL_LOCK_DATA_SHARE);
}

void cn_share_detach(struct cn_share *sh) {
  if (!sh)
    return;
  cn_share_lock(sh, NULL, CURL_LOCK_DATA_SHARE, CURL_LOCK_ACCESS_SINGLE);
  if (sh->users > 0)
    sh->users--;
  cn_share_unlock(sh, NULL, CURL_LOCK_DATA_SHARE);
}

bool cn_share_has(const struct cn_share *sh, curl_lock_data data) {
  if (!sh || data <= CURL_LOCK_DATA_NONE || data >= CURL_LOCK_DATA_LAST)
    return false;
  return (sh->specifier & (1u << data)) != 0;
}

/* --- the shared objects ---------------------------------------------------
 *
 * The lower layers take a lock hook (arg, lock?); these adapt it to the
 * program's callbacks, one per kind of data. libcurl passes the easy handle
 * doing the access; the layers below do not know it, so NULL goes (the
 * callbacks libcurl's documentation shows ignore it). */

static void lock_kind(struct cn_share *sh, curl_lock_data data, bool lock) {
  if (lock)
    cn_share_lock(sh, NULL, data, CURL_LOCK_ACCESS_SINGLE);
  else
    cn_share_unlock(sh, NULL, data);
}

static void lock_connect(void *arg, bool lock) {
  lock_kind(arg, CURL_LOCK_DATA_CONNECT, lock);
}

static void lock_dns(void *arg, bool lock) {
  lock_kind(arg, CURL_LOCK_DATA_DNS, lock);
}

static void lock_cookie(void *arg, bool lock) {
  lock_kind(arg, CURL_LOCK_DATA_COOKIE, lock);
}

static void lock_hsts(void *arg, bool lock) {
  lock_kind(arg, CURL_LOCK_DATA_HSTS, lock);
}

static void lock_ssl_session(void *arg, bool lock) {
  lock_kind(arg, CURL_LOCK_DATA_SSL_SESSION, lock);
}

static void drop_ssl_ctx(struct cn_share *sh) {
  if (!sh->ssl_ctx)
    return;
  /* Sockets kept idle by some multi handle may still hold a reference:
   * they must not call into a share that is gone. */
  cn_ssl_client_context_set_lock(sh->ssl_ctx, NULL, NULL);
  cn_ssl_client_context_free(sh->ssl_ctx);
  sh->ssl_ctx = NULL;
}

/* sync_objects makes the owned objects match |sh->specifier|: creates what
 * is newly shared, frees what no longer is. CURLSHE_OK or CURLSHE_NOMEM
 * (objects that could be made stay). */
static CURLSHcode sync_objects(struct cn_share *sh) {
  CURLSHcode rc = CURLSHE_OK;
  if (cn_share_has(sh, CURL_LOCK_DATA_CONNECT)) {
    if (!sh->conn_cache) {
      sh->conn_cache = cn_shared_socket_cache_new(0);
      if (sh->conn_cache)
        cn_shared_socket_cache_set_lock(sh->conn_cache, lock_connect, sh);
      else
        rc = CURLSHE_NOMEM;
    }
  } else if (sh->conn_cache) {
    cn_shared_socket_cache_free(sh->conn_cache);
    sh->conn_cache = NULL;
  }

  if (cn_share_has(sh, CURL_LOCK_DATA_DNS)) {
    if (!sh->dns.cache) {
      sh->dns.cache = cn_host_cache_new();
      sh->dns.lock = lock_dns;
      sh->dns.lock_arg = sh;
      if (!sh->dns.cache)
        rc = CURLSHE_NOMEM;
    }
  } else if (sh->dns.cache) {
    cn_host_cache_free(sh->dns.cache);
    sh->dns.cache = NULL;
  }

  if (cn_share_has(sh, CURL_LOCK_DATA_COOKIE)) {
    if (!sh->cookies) {
      sh->cookies = cn_cookie_store_new();
      if (sh->cookies)
        cn_cookie_store_set_lock(sh->cookies, lock_cookie, sh);
      else
        rc = CURLSHE_NOMEM;
    }
  } else if (sh->cookies) {
    cn_cookie_store_free(sh->cookies);
    sh->cookies = NULL;
  }

  if (cn_share_has(sh, CURL_LOCK_DATA_HSTS)) {
    if (!sh->hsts) {
      sh->hsts = cn_hsts_store_new();
      if (sh->hsts)
        cn_hsts_store_set_lock(sh->hsts, lock_hsts, sh);
      else
        rc = CURLSHE_NOMEM;
    }
  } else if (sh->hsts) {
    cn_hsts_store_free(sh->hsts);
    sh->hsts = NULL;
  }

  /* A connection that moves between multi handles keeps the TLS context
   * it was made with; with only CONNECT shared that context is still the
   * share's, so its session cache is reached under a lock. */
  bool sessions = cn_share_has(sh, CURL_LOCK_DATA_SSL_SESSION);
  if (sessions || cn_share_has(sh, CURL_LOCK_DATA_CONNECT)) {
    if (!sh->ssl_ctx && !(sh->ssl_ctx = cn_ssl_client_context_new()))
      rc = CURLSHE_NOMEM;
    if (sh->ssl_ctx)
      cn_ssl_client_context_set_lock(
          sh->ssl_ctx, sessions ? lock_ssl_session : lock_connect, sh);
  } else {
    drop_ssl_ctx(sh);
  }
  return rc;
}

/* free_objects runs when no easy handle is attached any more: nothing else
 * reaches the objects, so (as libcurl) no lock callback runs for them. */
static void free_objects(struct cn_share *sh) {
  if (sh->conn_cache)
    cn_shared_socket_cache_set_lock(sh->conn_cache, NULL, NULL);
  cn_shared_socket_cache_free(sh->conn_cache);
  sh->conn_cache = NULL;
  cn_host_cache_free(sh->dns.cache);
  sh->dns.cache = NULL;
  cn_cookie_store_free(sh->cookies);
  sh->cookies = NULL;
  cn_hsts_store_free(sh->hsts);
  sh->hsts = NULL;
  drop_ssl_ctx(sh);
}

struct cn_cookie_store *cn_share_cookie_store(struct cn_share *sh) {
  return cn_share_has(sh, CURL_LOCK_DATA_COOKIE) ? sh->cookies : NULL;
}

struct cn_hsts_store *cn_share_hsts_store(struct cn_share *sh) {
  return cn_share_has(sh, CURL_LOCK_DATA_HSTS) ? sh->hsts : NULL;
}

const struct cn_shared_host_cache *cn_share_dns_cache(struct cn_share *sh) {
  return cn_share_has(sh, CURL_LOCK_DATA_DNS) && sh->dns.cache ? &sh->dns
                                                               : NULL;
}

void cn_share_fill_socket_params(struct cn_share *sh,
                                 struct cn_socket_params *sp) {
  if (!sh)
    return;
  if (cn_share_has(sh, CURL_LOCK_DATA_CONNECT) && sh->conn_cache)
    sp->shared_cache = sh->conn_cache;
  if (cn_share_dns_cache(sh))
    sp->shared_dns = cn_share_dns_cache(sh);
  if (sh->ssl_ctx)
    sp->ssl_ctx = sh->ssl_ctx;
}

CURLSH *curl_share_init(void) {
  struct cn_share *sh = cn_calloc(1, sizeof(*sh));
  if (!sh)
    return NULL;
  sh->magic = CN_SHARE_MAGIC;
  sh->specifier = 1u << CURL_LOCK_DATA_SHARE;
  return sh;
}

/* shareable tells whether |type| is a kind of data a share can hold (the
 * ones libcurl 8.14 accepts; CURL_LOCK_DATA_SHARE itself is not). */
static bool shareable(int type) {
  switch (type) {
  case CURL_LOCK_DATA_COOKIE:
  case CURL_LOCK_DATA_DNS:
  case CURL_LOCK_DATA_SSL_SESSION:
  case CURL_LOCK_DATA_CONNECT:
  case CURL_LOCK_DATA_PSL:
  case CURL_LOCK_DATA_HSTS:
    return true;
  default:
    return false;
  }
}

#undef curl_share_setopt
CURLSHcode curl_share_setopt(CURLSH *handle, CURLSHoption option, ...) {
  struct cn_share *sh = cn_share_from(handle);
  if (!sh)
    return CURLSHE_INVALID;

  /* libcurl refuses changes while easy handles use the share. Like
   * libcurl it calls no lock callback here: the program sets LOCKFUNC and
   * UNLOCKFUNC one at a time, and a lock taken between the two calls
   * would never be released. */
  if (sh->users > 0)
    return CURLSHE_IN_USE;

  CURLSHcode rc = CURLSHE_OK;
  va_list ap;
  va_start(ap, option);
  switch (option) {
  case CURLSHOPT_SHARE: {
    int type = va_arg(ap, int);
    if (shareable(type)) {
      sh->specifier |= 1u << type;
      rc = sync_objects(sh);
      if (rc != CURLSHE_OK) {
        sh->specifier &= ~(1u << type);
        sync_objects(sh); /* frees what was made for |type| */
      }
    } else {
      rc = CURLSHE_BAD_OPTION;
    }
    break;
  }
  case CURLSHOPT_UNSHARE: {
    int type = va_arg(ap, int);
    if (shareable(type)) {
      sh->specifier &= ~(1u << type);
      (void)sync_objects(sh); /* only frees */
    } else {
      rc = CURLSHE_BAD_OPTION;
    }
    break;
  }
  case CURLSHOPT_LOCKFUNC:
    sh->lockfunc = va_arg(ap, curl_lock_function);
    break;
  case CURLSHOPT_UNLOCKFUNC:
    sh->unlockfunc = va_arg(ap, curl_unlock_function);
    break;
  case CURLSHOPT_USERDATA:
    sh->clientdata = va_arg(ap, void *);
    break;
  default:
    rc = CURLSHE_BAD_OPTION;
    break;
  }
  va_end(ap);
  return rc;
}

CURLSHcode curl_share_cleanup(CURLSH *handle) {
  struct cn_share *sh = cn_share_from(handle);
  if (!sh)
    return CURLSHE_INVALID;

  cn_share_lock(sh, NULL, CURL_LOCK_DATA_SHARE, CURL_LOCK_ACCESS_SINGLE);
  if (sh->users > 0) {
    cn_share_unlock(sh, NULL, CURL_LOCK_DATA_SHARE);
    return CURLSHE_IN_USE;
  }
  sh->magic = 0;
  cn_share_unlock(sh, NULL, CURL_LOCK_DATA_SHARE);
  /* No easy handle is attached, so nothing else reaches the objects. */
  free_objects(sh);
  cn_free(sh);
  return CURLSHE_OK;
}
