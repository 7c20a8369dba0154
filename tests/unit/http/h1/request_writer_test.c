/* request_writer_test.c: HTTP/1.x request heads. */
#include "http/h1/request_writer.h"

#include <stdbool.h>

#include "http/alloc_track.h"
#include "test.h"
#include "util/net_error.h"

TEST(origin_form_with_headers_in_order) {
  struct cn_http_request_headers h;
  cn_http_request_headers_init(&h);
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "Host", "example.com"), CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "User-Agent", "curl/8.14.1"),
               CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "Accept", "*/*"), CN_OK);
  struct cn_buf b;
  cn_buf_init(&b, 0);
  CHECK_EQ_INT(cn_h1_request_writer_write(&b, "GET", "/a?b=c", 1, &h), CN_OK);
  CHECK_EQ_STR(b.data, "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\n"
                       "User-Agent: curl/8.14.1\r\nAccept: */*\r\n\r\n");
  cn_buf_cleanup(&b);
  cn_http_request_headers_cleanup(&h);
}

TEST(absolute_form_http10_and_no_headers) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  CHECK_EQ_INT(cn_h1_request_writer_write(&b, "POST", "http://h:8080/x", 0,
                                          NULL),
               CN_OK);
  CHECK_EQ_STR(b.data, "POST http://h:8080/x HTTP/1.0\r\n\r\n");
  /* Appends after what is there. */
  CHECK_EQ_INT(cn_h1_request_writer_write(&b, "CONNECT", "h:443", 1, NULL),
               CN_OK);
  CHECK_EQ_STR(b.data, "POST http://h:8080/x HTTP/1.0\r\n\r\n"
                       "CONNECT h:443 HTTP/1.1\r\n\r\n");
  cn_buf_cleanup(&b);
}

TEST(bad_arguments_and_limits_leave_buffer) {
  struct cn_buf b;
  cn_buf_init(&b, 30);
  CHECK_EQ_INT(cn_buf_append_str(&b, "x"), CN_OK);
  CHECK_EQ_INT(cn_h1_request_writer_write(&b, "", "/", 1, NULL),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_h1_request_writer_write(&b, "GET", "/\r\nX: y", 1, NULL),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_h1_request_writer_write(&b, "GET", "/", 2, NULL),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_h1_request_writer_write(&b, NULL, "/", 1, NULL),
               CN_ERR_INVALID_ARGUMENT);
  struct cn_http_request_headers h;
  cn_http_request_headers_init(&h);
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "Host", "example.com"), CN_OK);
  CHECK_EQ_INT(cn_h1_request_writer_write(&b, "GET", "/", 1, &h),
               CN_ERR_FILE_TOO_BIG);
  CHECK_EQ_STR(b.data, "x");
  CHECK_EQ_INT(b.len, 1);
  cn_http_request_headers_cleanup(&h);
  cn_buf_cleanup(&b);
}

static int scenario_write(void) {
  struct cn_http_request_headers h;
  cn_http_request_headers_init(&h);
  int rv = CN_OK;
  for (int i = 0; rv == CN_OK && i < 30; i++)
    rv = cn_http_request_headers_add(&h, "X-Long-Header-Name",
                                     "a fairly long value to grow the buffer");
  struct cn_buf b;
  cn_buf_init(&b, 0);
  if (rv == CN_OK) {
    rv = cn_h1_request_writer_write(&b, "GET", "/", 1, &h);
    if (rv != CN_OK && b.len != 0)
      rv = CN_ERR_UNEXPECTED;
  }
  cn_buf_cleanup(&b);
  cn_http_request_headers_cleanup(&h);
  return rv;
}

TEST(allocation_failures_are_errors_without_leaks) {
  FAIL_LOOP(scenario_write());
}

TEST_MAIN(origin_form_with_headers_in_order,
          absolute_form_http10_and_no_headers,
          bad_arguments_and_limits_leave_buffer,
          allocation_failures_are_errors_without_leaks)
