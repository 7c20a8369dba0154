/* global.c: curl_global_init and friends. As in libcurl the init is
 * reference counted (each curl_global_init needs a curl_global_cleanup) and
 * serialized by a lock, which is what the "threadsafe" feature promises. */
#include <pthread.h>
#include <stddef.h>
#include <strings.h>

#include "api/global.h"
#include "tls/ssl_client_socket.h"
#include "util/alloc.h"
#include "util/net_error.h"

static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static long init_count; /* guarded by global_lock */

/* global_init does the work of the first curl_global_init; later ones only
 * count. |default_alloc| restores the C library's allocator (curl_global_
 * init does, curl_global_init_mem installed the program's just before). */
static CURLcode global_init(long flags, bool default_alloc) {
  (void)flags; /* CURL_GLOBAL_SSL/WIN32/ACK_EINTR change nothing here */
  if (init_count++)
    return CURLE_OK;
  if (default_alloc)
    cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
  if (cn_tls_global_init() != CN_OK) {
    init_count--;
    return CURLE_FAILED_INIT;
  }
  return CURLE_OK;
}

CURLcode curl_global_init(long flags) {
  pthread_mutex_lock(&global_lock);
  CURLcode rc = global_init(flags, true);
  pthread_mutex_unlock(&global_lock);
  return rc;
}

CURLcode curl_global_init_mem(long flags, curl_malloc_callback m,
                              curl_free_callback f, curl_realloc_callback r,
                              curl_strdup_callback s, curl_calloc_callback c) {
  if (!m || !f || !r || !s || !c)
    return CURLE_FAILED_INIT;
  pthread_mutex_lock(&global_lock);
  CURLcode rc;
  if (init_count) {
    /* Already set up: the allocator cannot change any more, but the call
     * still needs its own cleanup, as in libcurl. */
    init_count++;
    rc = CURLE_OK;
  } else {
    cn_alloc_set_functions(m, f, r, s, c);
    rc = global_init(flags, false);
  }
  pthread_mutex_unlock(&global_lock);
  return rc;
}

void curl_global_cleanup(void) {
  pthread_mutex_lock(&global_lock);
  if (init_count > 0 && --init_count == 0)
    cn_tls_global_cleanup();
  pthread_mutex_unlock(&global_lock);
}

CURLcode cn_global_init_implicit(void) {
  pthread_mutex_lock(&global_lock);
  CURLcode rc = CURLE_OK;
  if (!init_count)
    rc = global_init(CURL_GLOBAL_DEFAULT, true);
  pthread_mutex_unlock(&global_lock);
  return rc;
}

long cn_global_init_count(void) {
  pthread_mutex_lock(&global_lock);
  long n = init_count;
  pthread_mutex_unlock(&global_lock);
  return n;
}

CURLcode curl_global_trace(const char *config) {
  /* Every component name is accepted; curlium's verbose output does not
   * (yet) filter by component, so the selection has nothing to change. */
  (void)config;
  return CURLE_OK;
}

/* One TLS backend. libcurl files BoringSSL under the OpenSSL backend: same
 * id (CURLSSLBACKEND_BORINGSSL is an alias) and the name "openssl". */
static const curl_ssl_backend boringssl_backend = {CURLSSLBACKEND_OPENSSL,
                                                   "openssl"};
static const curl_ssl_backend *const available_backends[] = {&boringssl_backend,
                                                             NULL};

/* Defined only in libcurl-gnutls.so.4 (compat/gnutls_flavour.c), hence weak:
 * elsewhere its address is NULL. */
extern const struct cn_tls_backend_alias cn_flavour_backend_alias
    __attribute__((weak));

static bool is_flavour_alias(curl_sslbackend id, const char *name) {
  const struct cn_tls_backend_alias *alias = &cn_flavour_backend_alias;
  if (!alias)
    return false;
  return id == (curl_sslbackend)alias->id ||
         (name && strcasecmp(name, alias->name) == 0);
}

CURLsslset curl_global_sslset(curl_sslbackend id, const char *name,
                              const curl_ssl_backend ***avail) {
  /* A single-backend libcurl: the list is always handed out; asking for
   * the backend it has (by id or name) is OK, anything else is unknown.
   * The list names BoringSSL only; the flavour alias is an answer, not a
   * second backend. */
  if (avail)
    *avail = (const curl_ssl_backend **)available_backends;
  if (id == boringssl_backend.id ||
      (name && strcasecmp(name, boringssl_backend.name) == 0) ||
      is_flavour_alias(id, name))
    return CURLSSLSET_OK;
  return CURLSSLSET_UNKNOWN_BACKEND;
}
