/* http_response_headers_test.c: the response head object and libcurl's
 * readings of its fields. */
#include "http/http_response_headers.h"

#include <stdbool.h>

#include "http/alloc_track.h"
#include "test.h"
#include "util/net_error.h"

/* make builds a head from "Name: value" strings (values after ": "). */
static struct cn_http_response_headers *make(int major, int minor, int code,
                                             const char *const *fields,
                                             size_t n) {
  struct cn_http_response_headers *h = cn_http_response_headers_new();
  CHECK(h != NULL);
  CHECK_EQ_INT(cn_http_response_headers_set_status(h, major, minor, code,
                                                   "OK", 2),
               CN_OK);
  for (size_t i = 0; i < n; i++) {
    const char *colon = strchr(fields[i], ':');
    const char *v = colon + 1;
    while (*v == ' ')
      v++;
    CHECK_EQ_INT(cn_http_response_headers_add(h, fields[i],
                                              (size_t)(colon - fields[i]), v,
                                              strlen(v)),
                 CN_OK);
  }
  return h;
}

#define MAKE(major, minor, code, ...)                                      \
  make(major, minor, code, (const char *const[]){__VA_ARGS__},             \
       sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

TEST(lookup_is_case_insensitive_with_multiple_values) {
  struct cn_http_response_headers *h =
      MAKE(1, 1, 200, "Set-Cookie: a=1", "Content-Type: text/html",
           "set-cookie: b=2");
  CHECK_EQ_INT(cn_http_response_headers_status(h), 200);
  CHECK_EQ_STR(cn_http_response_headers_reason(h), "OK");
  CHECK_EQ_INT(cn_http_response_headers_num_fields(h), 3);
  CHECK_EQ_INT(cn_http_response_headers_count(h, "SET-COOKIE"), 2);
  CHECK_EQ_STR(cn_http_response_headers_get(h, "set-cookie", 0), "a=1");
  CHECK_EQ_STR(cn_http_response_headers_get(h, "Set-Cookie", 1), "b=2");
  CHECK(cn_http_response_headers_get(h, "Set-Cookie", 2) == NULL);
  CHECK(cn_http_response_headers_get(h, "Set-Cookies", 0) == NULL);
  size_t iter = 0, seen = 0;
  const struct cn_http_header_field *f;
  while ((f = cn_http_response_headers_next(h, "set-cookie", &iter)))
    seen++;
  CHECK_EQ_INT(seen, 2);
  /* Names keep the server's casing. */
  CHECK_EQ_STR(cn_http_response_headers_field(h, 2)->name, "set-cookie");
  cn_http_response_headers_free(h);
}

TEST(unfold_follows_libcurl_headers_api) {
  struct cn_http_response_headers *h = MAKE(1, 1, 200, "X-A: 1");
  CHECK_EQ_INT(cn_http_response_headers_unfold(h, "   b  \r\n", 8), CN_OK);
  CHECK_EQ_INT(cn_http_response_headers_unfold(h, " \t c\r\n", 6), CN_OK);
  CHECK_EQ_INT(cn_http_response_headers_unfold(h, " \r\n", 3), CN_OK);
  const struct cn_http_header_field *f = cn_http_response_headers_field(h, 0);
  CHECK_EQ_STR(f->value, "1 b c");
  CHECK_EQ_INT(f->value_len, 5);
  CHECK_EQ_INT(f->line_value_len, 1);
  struct cn_http_response_headers *empty = cn_http_response_headers_new();
  CHECK_EQ_INT(cn_http_response_headers_unfold(empty, " x", 2),
               CN_ERR_INVALID_ARGUMENT);
  cn_http_response_headers_free(empty);
  cn_http_response_headers_free(h);
}

TEST(raw_lines_are_kept_exactly) {
  struct cn_http_response_headers *h = cn_http_response_headers_new();
  CHECK_EQ_INT(cn_http_response_headers_add_raw_line(h, "HTTP/1.1 200 OK\r\n",
                                                     17),
               CN_OK);
  CHECK_EQ_INT(cn_http_response_headers_add_raw_line(h, "A:b\n", 4), CN_OK);
  CHECK_EQ_INT(cn_http_response_headers_num_raw_lines(h), 2);
  size_t len;
  const char *l = cn_http_response_headers_raw_line(h, 1, &len);
  CHECK(len == 4 && memcmp(l, "A:b\n", 4) == 0);
  CHECK(cn_http_response_headers_raw_line(h, 2, &len) == NULL);
  l = cn_http_response_headers_raw(h, &len);
  CHECK(len == 21 && memcmp(l, "HTTP/1.1 200 OK\r\nA:b\n", 21) == 0);
  cn_http_response_headers_free(h);
  cn_http_response_headers_free(NULL);
}

static enum cn_http_content_length cl_of(const char *const *fields, size_t n,
                                         int64_t *len) {
  struct cn_http_response_headers *h = make(1, 1, 200, fields, n);
  *len = -7;
  enum cn_http_content_length r =
      cn_http_response_headers_content_length(h, len);
  cn_http_response_headers_free(h);
  return r;
}

#define CL(len, ...)                                                       \
  cl_of((const char *const[]){__VA_ARGS__},                                \
        sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *), \
        len)

TEST(content_length_like_libcurl_8_14) {
  int64_t len;
  CHECK_EQ_INT(CL(&len, "X: 1"), CN_HTTP_CONTENT_LENGTH_ABSENT);
  CHECK_EQ_INT(CL(&len, "Content-Length: 12"), CN_HTTP_CONTENT_LENGTH_VALID);
  CHECK_EQ_INT(len, 12);
  CHECK_EQ_INT(CL(&len, "content-length: 12abc"),
               CN_HTTP_CONTENT_LENGTH_VALID);
  CHECK_EQ_INT(len, 12);
  CHECK_EQ_INT(CL(&len, "Content-Length: 0"), CN_HTTP_CONTENT_LENGTH_VALID);
  CHECK_EQ_INT(len, 0);
  CHECK_EQ_INT(CL(&len, "Content-Length: 9223372036854775807"),
               CN_HTTP_CONTENT_LENGTH_VALID);
  CHECK(len == INT64_MAX);
  /* A later line replaces an earlier one; no error for differing values. */
  CHECK_EQ_INT(CL(&len, "Content-Length: 5", "Content-Length: 7"),
               CN_HTTP_CONTENT_LENGTH_VALID);
  CHECK_EQ_INT(len, 7);
  CHECK_EQ_INT(CL(&len, "Content-Length: "), CN_HTTP_CONTENT_LENGTH_INVALID);
  CHECK_EQ_INT(CL(&len, "Content-Length: -1"),
               CN_HTTP_CONTENT_LENGTH_INVALID);
  CHECK_EQ_INT(CL(&len, "Content-Length: +5"),
               CN_HTTP_CONTENT_LENGTH_INVALID);
  CHECK_EQ_INT(CL(&len, "Content-Length: 5", "Content-Length: x"),
               CN_HTTP_CONTENT_LENGTH_INVALID);
  CHECK_EQ_INT(CL(&len, "Content-Length: 9223372036854775808"),
               CN_HTTP_CONTENT_LENGTH_OVERFLOW);
  CHECK_EQ_INT(CL(&len, "Content-Length: 99999999999999999999999"),
               CN_HTTP_CONTENT_LENGTH_OVERFLOW);
  /* An overflowing line leaves an earlier valid one in force. */
  CHECK_EQ_INT(CL(&len, "Content-Length: 5",
                  "Content-Length: 99999999999999999999999"),
               CN_HTTP_CONTENT_LENGTH_VALID);
  CHECK_EQ_INT(len, 5);
  /* "Content-Length " (blank before the colon) is another name. */
  CHECK_EQ_INT(CL(&len, "Content-Length : 5"), CN_HTTP_CONTENT_LENGTH_ABSENT);
}

TEST(chunked_and_transfer_codings) {
  struct cn_http_response_headers *h =
      MAKE(1, 1, 200, "Transfer-Encoding: gzip, Chunked ");
  CHECK(cn_http_response_headers_is_chunked(h));
  CHECK(cn_http_response_headers_has_transfer_encoding(h));
  cn_http_response_headers_free(h);
  h = MAKE(1, 1, 200, "Transfer-Encoding: gzip", "transfer-encoding: chunked");
  CHECK(cn_http_response_headers_is_chunked(h));
  cn_http_response_headers_free(h);
  h = MAKE(1, 1, 200, "Transfer-Encoding: chunkedx, chunked;q=1");
  CHECK(!cn_http_response_headers_is_chunked(h));
  CHECK(cn_http_response_headers_has_transfer_encoding(h));
  cn_http_response_headers_free(h);
  h = MAKE(1, 1, 200, "Transfer-Encoding: identity", "Transfer-Encoding: ,");
  CHECK(!cn_http_response_headers_is_chunked(h));
  CHECK(!cn_http_response_headers_has_transfer_encoding(h));
  cn_http_response_headers_free(h);
}

static bool keep(int minor, bool proxy, const char *const *fields, size_t n) {
  struct cn_http_response_headers *h = make(1, minor, 200, fields, n);
  bool k = cn_http_response_headers_keep_alive(h, proxy);
  cn_http_response_headers_free(h);
  return k;
}

#define KEEP(minor, proxy, ...)                                            \
  keep(minor, proxy, (const char *const[]){__VA_ARGS__},                   \
       sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

TEST(keep_alive_rules) {
  CHECK(KEEP(1, false, "X: 1"));
  CHECK(!KEEP(0, false, "X: 1"));
  CHECK(KEEP(0, false, "Connection: Keep-Alive"));
  CHECK(!KEEP(1, false, "Connection: foo, CLOSE"));
  /* libcurl finds "close" anywhere in the value. */
  CHECK(!KEEP(1, false, "Connection: xclosex"));
  CHECK(!KEEP(0, false, "Connection: keep-alive, close"));
  /* Lines apply in order. */
  CHECK(KEEP(0, false, "Connection: close", "Connection: keep-alive"));
  CHECK(!KEEP(1, false, "Connection: close", "Connection: keep-alive"));
  /* keep-alive only matters for HTTP/1.0. */
  CHECK(KEEP(1, false, "Connection: keep-alive"));
  /* Proxy-Connection only through a proxy. */
  CHECK(!KEEP(0, false, "Proxy-Connection: keep-alive"));
  CHECK(KEEP(0, true, "Proxy-Connection: keep-alive"));
  CHECK(KEEP(1, false, "Proxy-Connection: close"));
  CHECK(!KEEP(1, true, "Proxy-Connection: close"));
  struct cn_http_response_headers *h = MAKE(2, 0, 200, "X: 1");
  CHECK(cn_http_response_headers_keep_alive(h, false));
  cn_http_response_headers_free(h);
}

TEST(location_first_and_content_type_last) {
  struct cn_http_response_headers *h =
      MAKE(1, 1, 301, "Location: ", "Content-Type: text/html",
           "location: /a ", "Location: /b", "Content-Type: ",
           "content-type: application/json");
  size_t len = 0;
  const char *v = cn_http_response_headers_location(h, &len);
  CHECK(v && len == 2 && memcmp(v, "/a", 2) == 0);
  v = cn_http_response_headers_content_type(h, &len);
  CHECK(v && len == 16 && memcmp(v, "application/json", 16) == 0);
  cn_http_response_headers_free(h);
  h = MAKE(1, 1, 200, "X: 1");
  CHECK(cn_http_response_headers_location(h, &len) == NULL);
  CHECK(cn_http_response_headers_content_type(h, &len) == NULL);
  cn_http_response_headers_free(h);
}

static int scenario_build(void) {
  int rv = CN_ERR_OUT_OF_MEMORY;
  struct cn_http_response_headers *h = cn_http_response_headers_new();
  if (!h)
    return rv;
  rv = cn_http_response_headers_set_status(h, 1, 1, 200, "OK", 2);
  for (int i = 0; rv == CN_OK && i < 40; i++) {
    rv = cn_http_response_headers_add_raw_line(h, "X-A: 1\r\n", 8);
    if (rv == CN_OK)
      rv = cn_http_response_headers_add(h, "X-A", 3, "1", 1);
    if (rv == CN_OK) {
      size_t before = h->fields[h->num_fields - 1].value_len;
      rv = cn_http_response_headers_unfold(h, " more", 5);
      /* A failed unfold leaves the field as it was. */
      if (rv != CN_OK && h->fields[h->num_fields - 1].value_len != before)
        rv = CN_ERR_UNEXPECTED;
    }
  }
  if (rv == CN_OK && (h->num_fields != 40 || h->num_raw_lines != 40 ||
                      strcmp(h->fields[39].value, "1 more") != 0))
    rv = CN_ERR_UNEXPECTED;
  cn_http_response_headers_free(h);
  return rv;
}

TEST(allocation_failures_are_errors_without_leaks) {
  FAIL_LOOP(scenario_build());
}

TEST_MAIN(lookup_is_case_insensitive_with_multiple_values,
          unfold_follows_libcurl_headers_api, raw_lines_are_kept_exactly,
          content_length_like_libcurl_8_14, chunked_and_transfer_codings,
          keep_alive_rules, location_first_and_content_type_last,
          allocation_failures_are_errors_without_leaks)
