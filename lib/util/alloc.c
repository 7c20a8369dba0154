/* alloc.c: the allocator indirection behind curl_global_init_mem. */
#include "util/alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static cn_malloc_fn malloc_fn = malloc;
static cn_free_fn free_fn = free;
static cn_realloc_fn realloc_fn = realloc;
static cn_strdup_fn strdup_fn = NULL; /* NULL: built on malloc_fn */
static cn_calloc_fn calloc_fn = calloc;

/* Atomic: threads with their own easy handles allocate concurrently. */
static _Atomic long fail_countdown; /* 0: never fail */
static _Atomic long allocations;

void cn_alloc_set_functions(cn_malloc_fn m, cn_free_fn f, cn_realloc_fn r,
                            cn_strdup_fn s, cn_calloc_fn c) {
  malloc_fn = m ? m : malloc;
  free_fn = f ? f : free;
  realloc_fn = r ? r : realloc;
  strdup_fn = s;
  calloc_fn = c ? c : calloc;
}

/* should_fail implements the failmalloc test hook. */
static int should_fail(void) {
  atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
  /* The countdown is a single-threaded test hook; reading it relaxed keeps
   * the fast path to one load when it is off. */
  if (atomic_load_explicit(&fail_countdown, memory_order_relaxed) > 0 &&
      atomic_fetch_sub_explicit(&fail_countdown, 1, memory_order_relaxed) == 1)
    return 1;
  return 0;
}

void cn_alloc_fail_nth(long n) {
  atomic_store_explicit(&fail_countdown, n, memory_order_relaxed);
}
long cn_alloc_count(void) {
  return atomic_load_explicit(&allocations, memory_order_relaxed);
}

void *cn_malloc(size_t size) {
  if (should_fail())
    return NULL;
  return malloc_fn(size ? size : 1);
}

void *cn_calloc(size_t nmemb, size_t size) {
  if (should_fail())
    return NULL;
  if (nmemb == 0 || size == 0)
    nmemb = size = 1;
  return calloc_fn(nmemb, size);
}

void *cn_realloc(void *ptr, size_t size) {
  if (should_fail())
    return NULL;
  return realloc_fn(ptr, size ? size : 1);
}

void cn_free(void *ptr) {
  if (ptr)
    free_fn(ptr);
}

char *cn_strdup(const char *str) {
  if (!str)
    return NULL;
  if (strdup_fn) {
    if (should_fail())
      return NULL;
    return strdup_fn(str);
  }
  return cn_memdup(str, strlen(str) + 1);
}

char *cn_strndup(const char *str, size_t len) {
  char *copy = cn_malloc(len + 1);
  if (!copy)
    return NULL;
  memcpy(copy, str, len);
  copy[len] = '\0';
  return copy;
}

void *cn_memdup(const void *data, size_t len) {
  void *copy = cn_malloc(len);
  if (copy && len)
    memcpy(copy, data, len);
  return copy;
}
