/* alloc.h: every allocation in curlium goes through these functions, so that
 * curl_global_init_mem() can route them to the program's allocator.
 *
 * Ownership: memory from cn_malloc/cn_calloc/cn_realloc/cn_strdup/cn_memdup
 * is released with cn_free. All return NULL on failure (never abort); callers
 * turn NULL into CN_ERR_OUT_OF_MEMORY. */
#ifndef CN_UTIL_ALLOC_H
#define CN_UTIL_ALLOC_H

#include <stddef.h>

typedef void *(*cn_malloc_fn)(size_t size);
typedef void (*cn_free_fn)(void *ptr);
typedef void *(*cn_realloc_fn)(void *ptr, size_t size);
typedef char *(*cn_strdup_fn)(const char *str);
typedef void *(*cn_calloc_fn)(size_t nmemb, size_t size);

/* cn_alloc_set_functions installs the program's allocator; passing all NULL
 * restores the C library's. Not thread-safe (libcurl says the same of
 * curl_global_init_mem). */
void cn_alloc_set_functions(cn_malloc_fn m, cn_free_fn f, cn_realloc_fn r,
                            cn_strdup_fn s, cn_calloc_fn c);

void *cn_malloc(size_t size);
void *cn_calloc(size_t nmemb, size_t size);
void *cn_realloc(void *ptr, size_t size);
void cn_free(void *ptr);
char *cn_strdup(const char *str);
/* cn_strndup copies at most |len| bytes of |str| and NUL-terminates. */
char *cn_strndup(const char *str, size_t len);
void *cn_memdup(const void *data, size_t len);

/* Test hook: when > 0, the Nth allocation from now fails (and only that one).
 * Used by the allocation-failure loops in tests/unit. */
void cn_alloc_fail_nth(long n);
/* Number of allocations made since the process started (for failure loops). */
long cn_alloc_count(void);

#endif
