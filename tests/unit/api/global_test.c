/* global_test.c: curl_global_init's reference count, curl_global_init_mem
 * routing every allocation to the program's functions, and
 * curl_global_sslset's single-backend answers. */
#include <curl/curl.h>

#include <stdlib.h>
#include <string.h>

#include "api/global.h"
#include "test.h"
#include "util/alloc.h"

TEST(init_is_reference_counted) {
  CHECK_EQ_INT(cn_global_init_count(), 0);
  CHECK_EQ_INT(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
  CHECK_EQ_INT(curl_global_init(CURL_GLOBAL_ALL), CURLE_OK);
  CHECK_EQ_INT(cn_global_init_count(), 2);
  curl_global_cleanup();
  CHECK_EQ_INT(cn_global_init_count(), 1);
  curl_global_cleanup();
  CHECK_EQ_INT(cn_global_init_count(), 0);
  curl_global_cleanup(); /* one too many: harmless */
  CHECK_EQ_INT(cn_global_init_count(), 0);
}

TEST(implicit_init_only_when_needed) {
  CHECK_EQ_INT(cn_global_init_implicit(), CURLE_OK);
  CHECK_EQ_INT(cn_global_init_count(), 1);
  CHECK_EQ_INT(cn_global_init_implicit(), CURLE_OK);
  CHECK_EQ_INT(cn_global_init_count(), 1);
  curl_global_cleanup();
  CHECK_EQ_INT(cn_global_init_count(), 0);
}

static int mallocs;
static void *my_malloc(size_t n) {
  mallocs++;
  return malloc(n);
}
static void my_free(void *p) { free(p); }
static void *my_realloc(void *p, size_t n) { return realloc(p, n); }
static char *my_strdup(const char *s) {
  mallocs++;
  return strdup(s);
}
static void *my_calloc(size_t a, size_t b) {
  mallocs++;
  return calloc(a, b);
}

TEST(init_mem_routes_allocations) {
  CHECK_EQ_INT(curl_global_init_mem(CURL_GLOBAL_DEFAULT, my_malloc, NULL,
                                    my_realloc, my_strdup, my_calloc),
               CURLE_FAILED_INIT);
  CHECK_EQ_INT(cn_global_init_count(), 0);
  CHECK_EQ_INT(curl_global_init_mem(CURL_GLOBAL_DEFAULT, my_malloc, my_free,
                                    my_realloc, my_strdup, my_calloc),
               CURLE_OK);
  int before = mallocs;
  void *p = cn_malloc(10);
  char *s = cn_strdup("x");
  CHECK(mallocs == before + 2);
  cn_free(p);
  cn_free(s);
  /* a second init_mem only counts: the allocator stays */
  CHECK_EQ_INT(curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, free, realloc,
                                    strdup, calloc),
               CURLE_OK);
  CHECK_EQ_INT(cn_global_init_count(), 2);
  before = mallocs;
  cn_free(cn_malloc(1));
  CHECK(mallocs == before + 1);
  curl_global_cleanup();
  curl_global_cleanup();
  /* a plain init puts the C library's allocator back */
  CHECK_EQ_INT(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
  before = mallocs;
  cn_free(cn_malloc(1));
  CHECK(mallocs == before);
  curl_global_cleanup();
}

TEST(sslset_has_one_backend) {
  const curl_ssl_backend **avail = NULL;
  CHECK_EQ_INT(curl_global_sslset(CURLSSLBACKEND_GNUTLS, NULL, &avail),
               CURLSSLSET_UNKNOWN_BACKEND);
  CHECK(avail != NULL);
  if (avail) {
    CHECK(avail[0] != NULL);
    if (avail[0]) {
      CHECK_EQ_INT(avail[0]->id, CURLSSLBACKEND_OPENSSL);
      CHECK_EQ_STR(avail[0]->name, "openssl");
    }
    CHECK(avail[1] == NULL);
  }
  CHECK_EQ_INT(curl_global_sslset(CURLSSLBACKEND_BORINGSSL, NULL, NULL),
               CURLSSLSET_OK);
  CHECK_EQ_INT(curl_global_sslset((curl_sslbackend)-1, "OpenSSL", NULL),
               CURLSSLSET_OK);
  CHECK_EQ_INT(curl_global_sslset((curl_sslbackend)-1, "gnutls", NULL),
               CURLSSLSET_UNKNOWN_BACKEND);
  CHECK_EQ_INT(curl_global_sslset((curl_sslbackend)-1, NULL, NULL),
               CURLSSLSET_UNKNOWN_BACKEND);
}

TEST(trace_accepts_any_config) {
  CHECK_EQ_INT(curl_global_trace("all,-tcp"), CURLE_OK);
  CHECK_EQ_INT(curl_global_trace(""), CURLE_OK);
  CHECK_EQ_INT(curl_global_trace(NULL), CURLE_OK);
}

TEST_MAIN(init_is_reference_counted, implicit_init_only_when_needed,
          init_mem_routes_allocations, sslset_has_one_backend,
          trace_accepts_any_config)
