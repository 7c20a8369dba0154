/* http_request_headers_test.c: ordered request headers and libcurl's
 * CURLOPT_HTTPHEADER rules. */
#include "http/http_request_headers.h"

#include <stdbool.h>

#include "http/alloc_track.h"
#include "test.h"
#include "util/net_error.h"

/* dump serialises |h| into a static string for comparisons; NULL when
 * that fails (out of memory in the failure loops). */
static const char *dump(const struct cn_http_request_headers *h) {
  static char out[4096];
  struct cn_buf b;
  cn_buf_init(&b, 0);
  if (cn_http_request_headers_serialize(h, &b) != CN_OK) {
    cn_buf_cleanup(&b);
    return NULL;
  }
  snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
  cn_buf_cleanup(&b);
  return out;
}

static void defaults(struct cn_http_request_headers *h) {
  cn_http_request_headers_init(h);
  CHECK_EQ_INT(cn_http_request_headers_add(h, "Host", "example.com"), CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_add(h, "User-Agent", "curl/8.14.1"),
               CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_add(h, "Accept", "*/*"), CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_add(h, "Accept-Encoding", "gzip"),
               CN_OK);
}

TEST(keeps_insertion_order_and_casing) {
  struct cn_http_request_headers h;
  defaults(&h);
  CHECK_EQ_STR(dump(&h), "Host: example.com\r\nUser-Agent: curl/8.14.1\r\n"
                         "Accept: */*\r\nAccept-Encoding: gzip\r\n");
  CHECK_EQ_INT(cn_http_request_headers_count(&h), 4);
  const struct cn_http_request_header *e = cn_http_request_headers_find(
      &h, "user-agent");
  CHECK(e != NULL);
  size_t len;
  const char *name = cn_http_request_header_name(e, &len);
  CHECK(len == 10 && memcmp(name, "User-Agent", 10) == 0);
  const char *value = cn_http_request_header_value(e, &len);
  CHECK(len == 11 && memcmp(value, "curl/8.14.1", 11) == 0);
  cn_http_request_headers_cleanup(&h);
}

TEST(set_replaces_in_place_and_drops_duplicates) {
  struct cn_http_request_headers h;
  defaults(&h);
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "accept", "text/html"), CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_set(&h, "ACCEPT", "a/b"), CN_OK);
  CHECK_EQ_STR(dump(&h), "Host: example.com\r\nUser-Agent: curl/8.14.1\r\n"
                         "ACCEPT: a/b\r\nAccept-Encoding: gzip\r\n");
  CHECK_EQ_INT(cn_http_request_headers_set(&h, "X-New", "1"), CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_count(&h), 5);
  CHECK_EQ_STR(cn_http_request_headers_at(&h, 4)->line, "X-New: 1");
  cn_http_request_headers_cleanup(&h);
}

TEST(set_if_missing_and_remove) {
  struct cn_http_request_headers h;
  defaults(&h);
  CHECK_EQ_INT(cn_http_request_headers_set_if_missing(&h, "host", "other"),
               CN_OK);
  CHECK_EQ_STR(cn_http_request_headers_at(&h, 0)->line, "Host: example.com");
  CHECK_EQ_INT(cn_http_request_headers_set_if_missing(&h, "Referer", "r"),
               CN_OK);
  CHECK_EQ_STR(cn_http_request_headers_at(&h, 4)->line, "Referer: r");
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "ACCEPT", "x"), CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_remove(&h, "accept"), 2);
  CHECK(!cn_http_request_headers_has(&h, "Accept"));
  CHECK(cn_http_request_headers_has(&h, "Accept-Encoding"));
  CHECK_EQ_INT(cn_http_request_headers_remove(&h, "accept"), 0);
  CHECK(cn_http_request_headers_at(&h, 99) == NULL);
  cn_http_request_headers_cleanup(&h);
}

TEST(rejects_bad_names) {
  struct cn_http_request_headers h;
  cn_http_request_headers_init(&h);
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "", "v"),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "A:B", "v"),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_http_request_headers_set(&h, "A B", "v"),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "A\r\n", "v"),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_http_request_headers_add_line(&h, ":v", 2),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_http_request_headers_add_line(&h, "nocolon", 7),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_http_request_headers_count(&h), 0);
  CHECK_EQ_INT(cn_http_request_headers_add_line(&h, "X:y  ", 5), CN_OK);
  size_t len;
  const char *v =
      cn_http_request_header_value(cn_http_request_headers_at(&h, 0), &len);
  CHECK(len == 1 && v[0] == 'y');
  CHECK_EQ_STR(dump(&h), "X:y  \r\n");
  cn_http_request_headers_cleanup(&h);
}

TEST(user_lines_append_like_libcurl) {
  struct cn_http_request_headers h;
  defaults(&h);
  const char *lines[] = {
      "Accept: a/b",       /* replaces the default, sent at the end */
      "User-Agent:",       /* removes the default */
      "X-Empty;",          /* sent as an empty header */
      "X-Raw:no-space",    /* sent verbatim */
      "garbage",           /* ignored */
      "X-Ign; y",          /* not sent */
      ":nope",             /* not sent */
      "X-Dup: 1",
      "x-dup: 2",          /* both sent */
  };
  CHECK_EQ_INT(cn_http_request_headers_apply_user_lines(
                   &h, lines, sizeof(lines) / sizeof(lines[0]),
                   CN_HTTP_USER_HEADERS_APPEND, NULL, NULL),
               CN_OK);
  CHECK_EQ_STR(dump(&h), "Host: example.com\r\nAccept-Encoding: gzip\r\n"
                         "Accept: a/b\r\nX-Empty:\r\nX-Raw:no-space\r\n"
                         "X-Dup: 1\r\nx-dup: 2\r\n");
  const struct cn_http_request_header *e =
      cn_http_request_headers_find(&h, "x-empty");
  CHECK(e && e->from_user && e->value_len == 0);
  e = cn_http_request_headers_find(&h, "x-raw");
  size_t len;
  const char *v = cn_http_request_header_value(e, &len);
  CHECK(len == 8 && memcmp(v, "no-space", 8) == 0);
  cn_http_request_headers_cleanup(&h);
}

TEST(user_lines_in_place_keep_profile_order) {
  struct cn_http_request_headers h;
  defaults(&h);
  const char *lines[] = {"accept: a/b", "User-Agent: x", "X-New: 1",
                         "Accept: c/d", "Accept-Encoding:"};
  CHECK_EQ_INT(cn_http_request_headers_apply_user_lines(
                   &h, lines, 5, CN_HTTP_USER_HEADERS_IN_PLACE, NULL, NULL),
               CN_OK);
  CHECK_EQ_STR(dump(&h), "Host: example.com\r\nUser-Agent: x\r\n"
                         "accept: a/b\r\nAccept: c/d\r\nX-New: 1\r\n");
  cn_http_request_headers_cleanup(&h);

  defaults(&h);
  const char *append[] = {"accept: a/b", "User-Agent: x"};
  CHECK_EQ_INT(cn_http_request_headers_apply_user_lines(
                   &h, append, 2, CN_HTTP_USER_HEADERS_APPEND, NULL, NULL),
               CN_OK);
  CHECK_EQ_STR(dump(&h), "Host: example.com\r\nAccept-Encoding: gzip\r\n"
                         "accept: a/b\r\nUser-Agent: x\r\n");
  cn_http_request_headers_cleanup(&h);
}

TEST(semicolon_forms) {
  struct cn_http_request_headers h;
  defaults(&h);
  /* "Accept; " has a blank after the semicolon: libcurl sends nothing but
   * its header check still sees "Accept;" and skips the default. */
  const char *lines[] = {"Accept; ", "Host;", "X;a: b"};
  CHECK_EQ_INT(cn_http_request_headers_apply_user_lines(
                   &h, lines, 3, CN_HTTP_USER_HEADERS_APPEND, NULL, NULL),
               CN_OK);
  CHECK_EQ_STR(dump(&h), "User-Agent: curl/8.14.1\r\nAccept-Encoding: gzip\r\n"
                         "Host:\r\nX;a: b\r\n");
  cn_http_request_headers_cleanup(&h);
}

static bool skip_host(void *ctx, const char *name, size_t len) {
  (*(int *)ctx)++;
  return len == 4 && strncmp(name, "Host", 4) == 0;
}

TEST(skip_filter_drops_line_but_not_suppression) {
  struct cn_http_request_headers h;
  defaults(&h);
  int calls = 0;
  const char *lines[] = {"Host: evil", "X-A: 1"};
  CHECK_EQ_INT(cn_http_request_headers_apply_user_lines(
                   &h, lines, 2, CN_HTTP_USER_HEADERS_APPEND, skip_host,
                   &calls),
               CN_OK);
  CHECK_EQ_INT(calls, 2);
  CHECK_EQ_STR(dump(&h), "User-Agent: curl/8.14.1\r\nAccept: */*\r\n"
                         "Accept-Encoding: gzip\r\nX-A: 1\r\n");
  cn_http_request_headers_cleanup(&h);
}

TEST(copy_is_deep) {
  struct cn_http_request_headers a, b;
  defaults(&a);
  cn_http_request_headers_init(&b);
  CHECK_EQ_INT(cn_http_request_headers_add(&b, "Old", "1"), CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_copy(&b, &a), CN_OK);
  cn_http_request_headers_cleanup(&a);
  CHECK_EQ_STR(dump(&b), "Host: example.com\r\nUser-Agent: curl/8.14.1\r\n"
                         "Accept: */*\r\nAccept-Encoding: gzip\r\n");
  cn_http_request_headers_cleanup(&b);
}

TEST(serialize_failure_leaves_buffer) {
  struct cn_http_request_headers h;
  defaults(&h);
  struct cn_buf b;
  cn_buf_init(&b, 20);
  CHECK_EQ_INT(cn_buf_append_str(&b, "GET"), CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_serialize(&h, &b), CN_ERR_FILE_TOO_BIG);
  CHECK_EQ_STR(b.data, "GET");
  CHECK_EQ_INT(b.len, 3);
  cn_buf_cleanup(&b);
  cn_http_request_headers_cleanup(&h);
}

/* Scenarios for the allocation-failure loop: each builds and frees
 * everything, returning the first error. */
static int scenario_build(void) {
  struct cn_http_request_headers h, c;
  cn_http_request_headers_init(&h);
  cn_http_request_headers_init(&c);
  int rv = cn_http_request_headers_add(&h, "Host", "a");
  for (int i = 0; rv == CN_OK && i < 20; i++)
    rv = cn_http_request_headers_add(&h, "X-Many", "v");
  if (rv == CN_OK)
    rv = cn_http_request_headers_set(&h, "x-many", "one");
  if (rv == CN_OK)
    rv = cn_http_request_headers_set_if_missing(&h, "Accept", "*/*");
  if (rv == CN_OK)
    rv = cn_http_request_headers_add_line(&h, "X-L:1", 5);
  if (rv == CN_OK)
    rv = cn_http_request_headers_copy(&c, &h);
  if (rv == CN_OK) {
    const char *d = dump(&c);
    if (!d)
      rv = CN_ERR_OUT_OF_MEMORY;
    else if (strcmp(d, "Host: a\r\nx-many: one\r\nAccept: */*\r\n"
                       "X-L:1\r\n") != 0)
      rv = CN_ERR_UNEXPECTED;
  }
  cn_http_request_headers_cleanup(&h);
  cn_http_request_headers_cleanup(&c);
  return rv;
}

static int scenario_apply(void) {
  struct cn_http_request_headers h;
  cn_http_request_headers_init(&h);
  int rv;
  const char *lines[] = {"Accept: a", "User-Agent:", "X-E;", "X: 1", "X: 2"};
  const char *before = "Host: h\r\nUser-Agent: u\r\nAccept: */*\r\n";
  rv = cn_http_request_headers_add_line(&h, "Host: h", 7);
  if (rv == CN_OK)
    rv = cn_http_request_headers_add_line(&h, "User-Agent: u", 13);
  if (rv == CN_OK)
    rv = cn_http_request_headers_add_line(&h, "Accept: */*", 11);
  for (int mode = 0; rv == CN_OK && mode < 2; mode++) {
    struct cn_http_request_headers w;
    cn_http_request_headers_init(&w);
    rv = cn_http_request_headers_copy(&w, &h);
    if (rv == CN_OK) {
      rv = cn_http_request_headers_apply_user_lines(
          &w, lines, 5, (enum cn_http_user_header_mode)mode, NULL, NULL);
      /* A failed apply leaves the list as it was. */
      if (rv == CN_ERR_OUT_OF_MEMORY) {
        const char *d = dump(&w);
        if (d && strcmp(d, before) != 0)
          rv = CN_ERR_UNEXPECTED;
      }
    }
    cn_http_request_headers_cleanup(&w);
  }
  cn_http_request_headers_cleanup(&h);
  return rv;
}

TEST(allocation_failures_are_errors_without_leaks) {
  FAIL_LOOP(scenario_build());
  FAIL_LOOP(scenario_apply());
}

TEST(reorder_moves_named_headers_first) {
  struct cn_http_request_headers h;
  defaults(&h);
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "X-Two", "1"), CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_add(&h, "x-two", "2"), CN_OK);
  CHECK_EQ_INT(cn_http_request_headers_reorder(&h, " x-TWO ,Accept,Nope"),
               CN_OK);
  CHECK_EQ_STR(dump(&h), "X-Two: 1\r\nx-two: 2\r\nAccept: */*\r\n"
                         "Host: example.com\r\nUser-Agent: curl/8.14.1\r\n"
                         "Accept-Encoding: gzip\r\n");
  cn_alloc_fail_nth(1);
  CHECK_EQ_INT(cn_http_request_headers_reorder(&h, "Host"),
               CN_ERR_OUT_OF_MEMORY);
  cn_alloc_fail_nth(0);
  CHECK_EQ_STR(dump(&h), "X-Two: 1\r\nx-two: 2\r\nAccept: */*\r\n"
                         "Host: example.com\r\nUser-Agent: curl/8.14.1\r\n"
                         "Accept-Encoding: gzip\r\n");
  cn_http_request_headers_cleanup(&h);
}

TEST_MAIN(keeps_insertion_order_and_casing,
          set_replaces_in_place_and_drops_duplicates, set_if_missing_and_remove,
          rejects_bad_names, user_lines_append_like_libcurl,
          user_lines_in_place_keep_profile_order, semicolon_forms,
          skip_filter_drops_line_but_not_suppression, copy_is_deep,
          serialize_failure_leaves_buffer,
          allocation_failures_are_errors_without_leaks,
          reorder_moves_named_headers_first)
