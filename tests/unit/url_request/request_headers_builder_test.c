/* request_headers_builder_test.c: libcurl's request header order and the
 * CURLOPT_HTTPHEADER rules as the transfer applies them. */
#include "url_request/request_headers_builder.h"

#include "http/http_request_headers.h"
#include "test.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"

/* build returns the serialised head lines (caller frees) or NULL. */
static char *build(const struct cn_request_headers_input *in, bool *chunked) {
  struct cn_http_request_headers h;
  cn_http_request_headers_init(&h);
  char *out = NULL;
  if (cn_request_headers_build(&h, in, chunked) == CN_OK) {
    struct cn_buf b;
    cn_buf_init(&b, 0);
    if (cn_http_request_headers_serialize(&h, &b) == CN_OK)
      out = cn_buf_detach(&b);
    cn_buf_cleanup(&b);
  }
  cn_http_request_headers_cleanup(&h);
  return out;
}

TEST(default_get_order) {
  struct cn_request_headers_input in = {.authority = "example.com",
                                        .user_agent = "curl/8.14.1"};
  bool chunked = true;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: example.com\r\nUser-Agent: curl/8.14.1\r\n"
                  "Accept: */*\r\n");
  CHECK(!chunked);
  cn_free(s);
}

TEST(program_header_replaces_default_and_goes_last) {
  const char *lines[] = {"Accept: text/html", "X-Custom: 1"};
  struct cn_request_headers_input in = {
      .authority = "h", .user_agent = "ua", .user_lines = lines,
      .num_user_lines = 2};
  bool chunked;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nUser-Agent: ua\r\nAccept: text/html\r\n"
                  "X-Custom: 1\r\n");
  cn_free(s);
}

TEST(host_keeps_its_place_and_removal_works) {
  const char *lines[] = {"Host: other.example", "User-Agent:", "Empty;"};
  struct cn_request_headers_input in = {
      .authority = "h", .user_agent = "ua", .user_lines = lines,
      .num_user_lines = 3};
  bool chunked;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: other.example\r\nAccept: */*\r\nEmpty:\r\n");
  cn_free(s);
}

TEST(post_body_framing) {
  struct cn_request_headers_input in = {
      .authority = "h", .has_body = true, .body_size = 7,
      .default_content_type = "application/x-www-form-urlencoded"};
  bool chunked = true;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nContent-Length: 7\r\n"
                  "Content-Type: application/x-www-form-urlencoded\r\n");
  CHECK(!chunked);
  cn_free(s);

  /* Unknown size: chunked on HTTP/1.1, nothing on HTTP/1.0. */
  in.body_size = -1;
  in.default_content_type = NULL;
  s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nTransfer-Encoding: chunked\r\n"
                  "Expect: 100-continue\r\n");
  CHECK(chunked);
  cn_free(s);
}

TEST(expect_for_big_or_unknown_bodies_only) {
  struct cn_request_headers_input in = {
      .authority = "h", .has_body = true,
      .body_size = CN_EXPECT_100_THRESHOLD};
  bool chunked;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nContent-Length: 1048576\r\n");
  cn_free(s);
  in.body_size = CN_EXPECT_100_THRESHOLD + 1;
  s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nContent-Length: 1048577\r\n"
                  "Expect: 100-continue\r\n");
  cn_free(s);
  /* Not after a 417, not on HTTP/1.0, not when the program names it. */
  in.disable_expect = true;
  s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nContent-Length: 1048577\r\n");
  cn_free(s);
  in.disable_expect = false;
  in.http10 = true;
  s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nContent-Length: 1048577\r\n");
  cn_free(s);
  in.http10 = false;
  const char *lines[] = {"Expect:"};
  in.user_lines = lines;
  in.num_user_lines = 1;
  s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nContent-Length: 1048577\r\n");
  cn_free(s);
}

TEST(unknown_size_chunked_before_program_lines) {
  /* libcurl sends its Transfer-Encoding before the program's lines, even
   * next to the program's own Content-Length. */
  const char *lines[] = {"Content-Length: 1", "X-A: b"};
  struct cn_request_headers_input in = {
      .authority = "h", .has_body = true, .body_size = -1,
      .cookie = "c=d", .user_lines = lines, .num_user_lines = 2};
  bool chunked = false;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nTransfer-Encoding: chunked\r\n"
                  "Cookie: c=d\r\nContent-Length: 1\r\nX-A: b\r\n"
                  "Expect: 100-continue\r\n");
  CHECK(chunked);
  cn_free(s);
}

TEST(time_condition_and_content_range) {
  struct cn_request_headers_input in = {
      .authority = "h", .cookie = "c=d",
      .time_cond_name = "If-Modified-Since",
      .time_cond_value = "Sun, 12 Dec 1999 12:00:00 GMT",
      .content_range = "bytes 50-99/100", .has_body = true, .body_size = 50};
  bool chunked;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nContent-Range: bytes 50-99/100\r\n"
                  "Accept: */*\r\nCookie: c=d\r\n"
                  "If-Modified-Since: Sun, 12 Dec 1999 12:00:00 GMT\r\n"
                  "Content-Length: 50\r\n");
  cn_free(s);
  /* The program's own line wins. */
  const char *lines[] = {"If-Modified-Since: yesterday"};
  in.user_lines = lines;
  in.num_user_lines = 1;
  s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nContent-Range: bytes 50-99/100\r\n"
                  "Accept: */*\r\nCookie: c=d\r\n"
                  "If-Modified-Since: yesterday\r\nContent-Length: 50\r\n");
  cn_free(s);
}

TEST(program_chunked_header_is_kept) {
  const char *lines[] = {"Transfer-Encoding: chunked"};
  struct cn_request_headers_input in = {
      .authority = "h", .has_body = true, .body_size = 100,
      .user_lines = lines, .num_user_lines = 1};
  bool chunked = false;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nTransfer-Encoding: chunked\r\n");
  CHECK(chunked);
  cn_free(s);
}

TEST(credentials_stripped_for_other_hosts) {
  const char *lines[] = {"Authorization: Bearer x", "Cookie: a=b", "X-Y: z"};
  struct cn_request_headers_input in = {
      .authority = "h", .user_lines = lines, .num_user_lines = 3,
      .strip_credentials = true};
  bool chunked;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nX-Y: z\r\n");
  cn_free(s);
}

TEST(range_and_auth_positions) {
  struct cn_request_headers_input in = {
      .authority = "h", .authorization = "Basic YTpi", .range = "bytes=5-",
      .user_agent = "ua", .referer = "http://r/", .cookie = "c=d"};
  bool chunked;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAuthorization: Basic YTpi\r\nRange: bytes=5-\r\n"
                  "User-Agent: ua\r\nAccept: */*\r\nReferer: http://r/\r\n"
                  "Cookie: c=d\r\n");
  cn_free(s);
}

TEST(allocation_failures_are_errors) {
  const char *lines[] = {"X-A: 1", "Accept: y"};
  struct cn_request_headers_input in = {
      .authority = "h", .user_agent = "ua", .user_lines = lines,
      .num_user_lines = 2, .has_body = true, .body_size = 3,
      .default_content_type = "t/t"};
  for (long n = 1; n < 200; n++) {
    struct cn_http_request_headers h;
    cn_http_request_headers_init(&h);
    bool chunked;
    cn_alloc_fail_nth(n);
    int rv = cn_request_headers_build(&h, &in, &chunked);
    cn_alloc_fail_nth(0);
    cn_http_request_headers_cleanup(&h);
    CHECK(rv == CN_OK || rv == CN_ERR_OUT_OF_MEMORY);
    if (rv == CN_OK)
      break;
  }
}

TEST(empty_host_user_agent_and_connection) {
  const char *lines[] = {"Host;", "Accept;"};
  struct cn_request_headers_input in = {
      .authority = "h", .user_agent = "ua", .user_lines = lines,
      .num_user_lines = 2};
  bool chunked;
  char *s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host:\r\nUser-Agent: ua\r\nAccept:\r\n");
  cn_free(s);
  const char *removed[] = {"Host:"};
  in.user_lines = removed;
  in.num_user_lines = 1;
  in.user_agent = "";
  s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Accept: */*\r\n");
  cn_free(s);
  const char *conn[] = {"Connection;"};
  in.user_lines = conn;
  in.te_gzip = true;
  s = build(&in, &chunked);
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nConnection: TE\r\n"
                  "TE: gzip\r\n");
  cn_free(s);
}

TEST(h2c_upgrade_and_alt_used) {
  struct cn_request_headers_input in = {
      .authority = "h", .user_agent = "ua", .cookie = "c=d",
      .h2c_settings = "AAMAAABkAAQAAQAAAAIAAAAA", .alt_used = "alt:8443",
      .has_body = true, .body_size = -1};
  bool chunked;
  char *s = build(&in, &chunked);
  /* No Expect while upgrading. */
  CHECK_EQ_STR(s, "Host: h\r\nUser-Agent: ua\r\nAccept: */*\r\n"
                  "Transfer-Encoding: chunked\r\nAlt-Used: alt:8443\r\n"
                  "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                  "HTTP2-Settings: AAMAAABkAAQAAQAAAAIAAAAA\r\n"
                  "Cookie: c=d\r\n");
  cn_free(s);
}

TEST_MAIN(default_get_order, program_header_replaces_default_and_goes_last,
          host_keeps_its_place_and_removal_works, post_body_framing,
          program_chunked_header_is_kept, credentials_stripped_for_other_hosts,
          range_and_auth_positions, empty_host_user_agent_and_connection,
          allocation_failures_are_errors,
          expect_for_big_or_unknown_bodies_only,
          unknown_size_chunked_before_program_lines,
          time_condition_and_content_range, h2c_upgrade_and_alt_used)
