/* share.c: curl_share_init/_setopt/_cleanup. Records what is shared; the
 * shared objects themselves come with the modules that support sharing. */
#include <stdarg.h>

#include "api/share_handle.h"
#include "util/alloc.h"

struct cn_share *cn_share_from(void *handle) {
  struct cn_share *sh = handle;
  if (!sh || sh->magic != CN_SHARE_MAGIC)
    return NULL;
  return sh;
}

void cn_share_lock(struct cn_share *sh, CURL *easy, curl_lock_data data,
                   curl_lock_access access) {
  if (sh && sh->lockfunc)
    sh->lockfunc(easy, data, access, sh->clientdata);
}

void cn_share_unlock(struct cn_share *sh, CURL *easy, curl_lock_data data) {
  if (sh && sh->unlockfunc)
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

  /* libcurl refuses changes while easy handles use the share. */
  cn_share_lock(sh, NULL, CURL_LOCK_DATA_SHARE, CURL_LOCK_ACCESS_SINGLE);
  bool in_use = sh->users > 0;
  cn_share_unlock(sh, NULL, CURL_LOCK_DATA_SHARE);
  if (in_use)
    return CURLSHE_IN_USE;

  CURLSHcode rc = CURLSHE_OK;
  va_list ap;
  va_start(ap, option);
  switch (option) {
  case CURLSHOPT_SHARE: {
    int type = va_arg(ap, int);
    if (shareable(type))
      sh->specifier |= 1u << type;
    else
      rc = CURLSHE_BAD_OPTION;
    break;
  }
  case CURLSHOPT_UNSHARE: {
    int type = va_arg(ap, int);
    if (shareable(type))
      sh->specifier &= ~(1u << type);
    else
      rc = CURLSHE_BAD_OPTION;
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
  cn_free(sh);
  return CURLSHE_OK;
}
