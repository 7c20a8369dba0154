/* text_arena_test.c: strings that stay put, blocks that are reused. */
#include "util/text_arena.h"

#include <string.h>

#include "test.h"

TEST(strings_stay_put_across_blocks) {
  struct cn_text_arena a;
  cn_text_arena_init(&a, 16);
  char *first = cn_text_arena_strndup(&a, "hello", 5);
  CHECK(first != NULL);
  /* Larger than a step, and many more: new blocks, first stays. */
  char big[100];
  memset(big, 'b', sizeof(big));
  char *second = cn_text_arena_strndup(&a, big, sizeof(big));
  CHECK(second != NULL);
  for (int i = 0; i < 50; i++)
    CHECK(cn_text_arena_strndup(&a, "0123456789", 10) != NULL);
  CHECK_EQ_STR(first, "hello");
  CHECK_EQ_INT((int)strlen(second), (int)sizeof(big));
  CHECK(cn_text_arena_strndup(&a, "", 0) != NULL);
  cn_text_arena_cleanup(&a);
}

TEST(reset_reuses_the_space) {
  struct cn_text_arena a;
  cn_text_arena_init(&a, 64);
  char *p = cn_text_arena_strndup(&a, "abc", 3);
  cn_text_arena_reset(&a);
  char *q = cn_text_arena_strndup(&a, "xyz", 3);
  CHECK(p == q); /* same block, from its start */
  CHECK_EQ_STR(q, "xyz");
  cn_text_arena_cleanup(&a);
  cn_text_arena_cleanup(&a); /* twice is harmless */
}

TEST_MAIN(strings_stay_put_across_blocks, reset_reuses_the_space)
