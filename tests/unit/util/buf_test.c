/* buf_test.c: cn_buf growth, limits and failure atomicity. */
#include "util/buf.h"

#include "test.h"
#include "util/alloc.h"
#include "util/net_error.h"

TEST(appends_and_terminates) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  CHECK_EQ_INT(cn_buf_append_str(&b, "hello"), CN_OK);
  CHECK_EQ_INT(cn_buf_printf(&b, " %d", 42), CN_OK);
  CHECK_EQ_STR(b.data, "hello 42");
  CHECK_EQ_INT(b.len, 8);
  cn_buf_consume(&b, 6);
  CHECK_EQ_STR(b.data, "42");
  cn_buf_cleanup(&b);
}

TEST(limit_rejects_without_change) {
  struct cn_buf b;
  cn_buf_init(&b, 4);
  CHECK_EQ_INT(cn_buf_append_str(&b, "abc"), CN_OK);
  CHECK_EQ_INT(cn_buf_append_str(&b, "de"), CN_ERR_FILE_TOO_BIG);
  CHECK_EQ_STR(b.data, "abc");
  cn_buf_cleanup(&b);
}

TEST(allocation_failure_is_an_error) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  cn_alloc_fail_nth(1);
  CHECK_EQ_INT(cn_buf_append_str(&b, "x"), CN_ERR_OUT_OF_MEMORY);
  CHECK(b.data == NULL);
  CHECK_EQ_INT(cn_buf_append_str(&b, "x"), CN_OK);
  cn_buf_cleanup(&b);
}

TEST_MAIN(appends_and_terminates, limit_rejects_without_change,
          allocation_failure_is_an_error)
