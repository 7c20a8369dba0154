/* alloc_track.h: test-only allocator that counts live blocks, so the
 * allocation-failure loops can assert that every failure path frees what it
 * allocated. Include once per test file; call track_install() first. */
#ifndef CN_TESTS_UNIT_HTTP_ALLOC_TRACK_H
#define CN_TESTS_UNIT_HTTP_ALLOC_TRACK_H

#include <stdlib.h>

#include "util/alloc.h"

static long track_live;

static void *track_malloc(size_t n) {
  void *p = malloc(n);
  if (p)
    track_live++;
  return p;
}

static void *track_calloc(size_t a, size_t b) {
  void *p = calloc(a, b);
  if (p)
    track_live++;
  return p;
}

static void *track_realloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (q && !p)
    track_live++;
  return q;
}

static void track_free(void *p) {
  if (p) {
    track_live--;
    free(p);
  }
}

static void track_install(void) {
  cn_alloc_set_functions(track_malloc, track_free, track_realloc, NULL,
                         track_calloc);
}

/* FAIL_LOOP runs |scenario| (an int-returning expression that cleans up
 * after itself) failing allocation N for N = 1, 2, ... until a run makes
 * fewer than N allocations, which must then succeed. Every run must leave
 * no block allocated, and every run whose Nth allocation failed must return
 * CN_ERR_OUT_OF_MEMORY. */
#define FAIL_LOOP(scenario)                                                \
  do {                                                                     \
    track_install();                                                       \
    bool finished_ = false;                                                \
    for (long n_ = 1; n_ < 100000 && !finished_; n_++) {                   \
      long live_ = track_live;                                             \
      long count_ = cn_alloc_count();                                      \
      cn_alloc_fail_nth(n_);                                               \
      int rv_ = (scenario);                                                \
      long used_ = cn_alloc_count() - count_;                              \
      cn_alloc_fail_nth(0);                                                \
      CHECK_EQ_INT(track_live, live_);                                     \
      if (used_ < n_) {                                                    \
        if (rv_ != CN_OK)                                                  \
          fprintf(stderr, "no failure injected (%ld), got %d\n", n_, rv_); \
        CHECK_EQ_INT(rv_, CN_OK);                                          \
        finished_ = true;                                                  \
      } else if (rv_ != CN_ERR_OUT_OF_MEMORY) {                            \
        fprintf(stderr, "allocation %ld failed, got %d\n", n_, rv_);       \
        CHECK_EQ_INT(rv_, CN_ERR_OUT_OF_MEMORY);                           \
      }                                                                    \
    }                                                                      \
    CHECK(finished_);                                                      \
  } while (0)

#endif
