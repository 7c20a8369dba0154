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
  CHECK_EQ_STR(s, "Host: h\r\nAccept: */*\r\nTransfer-Encoding: chunked\r\n");
  CHECK(chunked);
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

/* libcurl: "Host;" sends an empty Host in its place, "Host:" none; an
 * empty CURLOPT_USERAGENT sends no User-Agent; with TE asked for, a
 * "Connection;" line becomes "Connection: TE" and is not sent itself. */
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

/* HTTP/1.0 has no chunked coding: a body of unknown size is refused
 * (libcurl: CURLE_UPLOAD_FAILED), unless the program chose the coding. */
TEST(http10_body_of_unknown_size) {
  struct cn_request_headers_input in = {.authority = "h", .has_body = true,
                                        .body_size = -1, .http10 = true};
  struct cn_http_request_headers h;
  cn_http_request_headers_init(&h);
  bool chunked;
  CHECK_EQ_INT(cn_request_headers_build(&h, &in, &chunked),
               CN_ERR_UPLOAD_SIZE_REQUIRED);
  cn_http_request_headers_cleanup(&h);
  const char *te[] = {"Transfer-Encoding: chunked"};
  in.user_lines = te;
  in.num_user_lines = 1;
  char *s = build(&in, &chunked);
  CHECK(s != NULL);
  CHECK(chunked);
  cn_free(s);
}

TEST_MAIN(default_get_order, program_header_replaces_default_and_goes_last,
          host_keeps_its_place_and_removal_works, post_body_framing,
          program_chunked_header_is_kept, credentials_stripped_for_other_hosts,
          range_and_auth_positions, empty_host_user_agent_and_connection,
          http10_body_of_unknown_size,
          allocation_failures_are_errors)
