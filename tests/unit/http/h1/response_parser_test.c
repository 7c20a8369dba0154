/* response_parser_test.c: HTTP/1.x response heads, fed in every slicing,
 * against libcurl 8.14's acceptance rules and limits. */
#include "http/h1/response_parser.h"

#include <stdbool.h>
#include <stdlib.h>

#include "http/alloc_track.h"
#include "test.h"
#include "util/buf.h"
#include "util/net_error.h"

struct result {
  int rv;
  size_t consumed;
  bool complete;
  char text[96];     /* error text, "" if none */
  char head[1024];   /* summary of the head, see summarize() */
};

static void summarize(const struct cn_http_response_headers *h, char *out,
                      size_t cap) {
  size_t n = 0;
  if (!h) {
    snprintf(out, cap, "(none)");
    return;
  }
  n += (size_t)snprintf(out + n, cap - n, "%d.%d %d [%s] close=%d",
                        h->version_major, h->version_minor, h->status_code,
                        h->reason, h->connection_close);
  for (size_t i = 0; i < h->num_fields && n < cap; i++)
    n += (size_t)snprintf(out + n, cap - n, "|%s=%s", h->fields[i].name,
                          h->fields[i].value);
  if (n < cap)
    n += (size_t)snprintf(out + n, cap - n, "|lines=%zu",
                          h->num_raw_lines);
}

/* feed_sliced feeds |in| in pieces of |chunk| bytes until a head is
 * complete or an error. */
static struct result feed_sliced(struct cn_h1_response_parser *p,
                                 const char *in, size_t len, size_t chunk) {
  struct result r;
  memset(&r, 0, sizeof(r));
  size_t pos = 0;
  while (pos < len) {
    size_t n = len - pos < chunk ? len - pos : chunk;
    size_t used = 0;
    bool complete = false;
    r.rv = cn_h1_response_parser_feed(p, &used, &complete,
                                      (const uint8_t *)in + pos, n);
    if (r.rv != CN_OK)
      break;
    CHECK(used <= n);
    pos += used;
    if (complete) {
      r.complete = true;
      break;
    }
    CHECK_EQ_INT(used, n); /* an incomplete head takes everything */
  }
  r.consumed = pos;
  const char *t = cn_h1_response_parser_error_text(p);
  snprintf(r.text, sizeof(r.text), "%s", t ? t : "");
  summarize(cn_h1_response_parser_headers(p), r.head, sizeof(r.head));
  return r;
}

static struct result parse_opts(const char *in, size_t len,
                                const struct cn_h1_response_parser_options
                                    *o) {
  static const size_t chunks[] = {1, 2, 3, 5, 7, 13, 64};
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, o);
  struct result whole = feed_sliced(&p, in, len, len ? len : 1);
  cn_h1_response_parser_cleanup(&p);
  for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
    cn_h1_response_parser_init(&p, o);
    struct result r = feed_sliced(&p, in, len, chunks[i]);
    cn_h1_response_parser_cleanup(&p);
    CHECK_EQ_INT(r.rv, whole.rv);
    CHECK_EQ_INT(r.complete, whole.complete);
    CHECK_EQ_STR(r.text, whole.text);
    if (whole.rv == CN_OK) {
      CHECK_EQ_INT(r.consumed, whole.consumed);
      CHECK_EQ_STR(r.head, whole.head);
    }
  }
  return whole;
}

static struct result parse(const char *in) {
  return parse_opts(in, strlen(in), NULL);
}

TEST(parses_crlf_head_and_leaves_body) {
  const char *in = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                   "Content-Length: 5\r\n\r\nhello";
  struct result r = parse(in);
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK(r.complete);
  CHECK_EQ_INT(r.consumed, strlen(in) - 5);
  CHECK_EQ_STR(r.head, "1.1 200 [OK] close=0|Content-Type=text/html|"
                       "Content-Length=5|lines=4");
}

TEST(bare_lf_and_mixed_endings) {
  struct result r = parse("HTTP/1.0 404 Not Found\nA: 1\r\nB:2\n\nbody");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK(r.complete);
  CHECK_EQ_INT(r.consumed, 34);
  CHECK_EQ_STR(r.head, "1.0 404 [Not Found] close=1|A=1|B=2|lines=4");
}

TEST(raw_lines_are_exact) {
  const char *in = "HTTP/1.1 200 OK\r\nX-A:  v  \r\n folded\r\n\r\n";
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, NULL);
  size_t used;
  bool complete;
  CHECK_EQ_INT(cn_h1_response_parser_feed(&p, &used, &complete,
                                          (const uint8_t *)in, strlen(in)),
               CN_OK);
  CHECK(complete);
  struct cn_http_response_headers *h = cn_h1_response_parser_take_headers(&p);
  CHECK(h != NULL);
  CHECK(cn_h1_response_parser_headers(&p) == NULL);
  cn_h1_response_parser_cleanup(&p);
  CHECK_EQ_INT(cn_http_response_headers_num_raw_lines(h), 4);
  size_t len;
  const char *l = cn_http_response_headers_raw_line(h, 1, &len);
  CHECK(len == 11 && memcmp(l, "X-A:  v  \r\n", 11) == 0);
  l = cn_http_response_headers_raw_line(h, 2, &len);
  CHECK(len == 9 && memcmp(l, " folded\r\n", 9) == 0);
  l = cn_http_response_headers_raw(h, &len);
  CHECK(len == strlen(in) && memcmp(l, in, len) == 0);
  CHECK_EQ_STR(h->fields[0].value, "v folded");
  CHECK_EQ_INT(h->fields[0].line_value_len, 1);
  cn_http_response_headers_free(h);
}

TEST(interim_heads_then_final) {
  const char *in = "HTTP/1.1 100 Continue\r\n\r\n"
                   "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                   "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
  for (size_t chunk = 1; chunk <= strlen(in); chunk++) {
    struct cn_h1_response_parser p;
    cn_h1_response_parser_init(&p, NULL);
    size_t pos = 0;
    struct result r = feed_sliced(&p, in, strlen(in), chunk);
    CHECK(r.complete);
    CHECK_EQ_INT(r.consumed, 25);
    CHECK_EQ_STR(r.head, "1.1 100 [Continue] close=0|lines=2");
    pos += r.consumed;
    cn_h1_response_parser_next_head(&p);
    r = feed_sliced(&p, in + pos, strlen(in) - pos, chunk);
    CHECK(r.complete);
    CHECK_EQ_STR(r.head, "1.1 103 [Early Hints] close=0|Link=</a.css>|"
                         "lines=3");
    pos += r.consumed;
    cn_h1_response_parser_next_head(&p);
    r = feed_sliced(&p, in + pos, strlen(in) - pos, chunk);
    CHECK(r.complete);
    CHECK_EQ_STR(r.head, "1.1 200 [OK] close=0|Content-Length=2|lines=3");
    pos += r.consumed;
    CHECK_EQ_INT(strlen(in) - pos, 2);
    CHECK_EQ_INT(cn_h1_response_parser_total_header_bytes(&p), pos);
    /* A complete head takes nothing more. */
    size_t used = 99;
    bool complete = false;
    CHECK_EQ_INT(cn_h1_response_parser_feed(&p, &used, &complete,
                                            (const uint8_t *)"hi", 2),
                 CN_OK);
    CHECK(complete && used == 0);
    cn_h1_response_parser_cleanup(&p);
  }
}

TEST(folding_like_libcurl) {
  struct result r = parse("HTTP/1.1 200 OK\r\nX-A: 1  \r\n   b  \r\n \t c\r\n"
                          "Y: 2\n\tz\n\r\n");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK_EQ_STR(r.head, "1.1 200 [OK] close=0|X-A=1 b c|Y=2\tz|lines=7");
  /* Right after the status line a continuation needs a colon, and is then
   * a field of its own. */
  r = parse("HTTP/1.1 200 OK\r\n  X: y\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK_EQ_STR(r.head, "1.1 200 [OK] close=0|X=y|lines=3");
  r = parse("HTTP/1.1 200 OK\r\n folded\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  CHECK_EQ_STR(r.text, "Header without colon");
}

TEST(malformed_header_lines) {
  struct result r = parse("HTTP/1.1 200 OK\r\nBadHeader\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  CHECK_EQ_STR(r.text, "Header without colon");
  r = parse_opts("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 27, NULL);
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  CHECK_EQ_STR(r.text, "Nul byte in header");
  r = parse_opts("HTTP/1.1 200 OK\0\r\n\r\n", 20, NULL);
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  CHECK_EQ_STR(r.text, "Nul byte in header");
  /* libcurl accepts these two. */
  r = parse("HTTP/1.1 200 OK\r\n: x\r\nX-A : 1\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK_EQ_STR(r.head, "1.1 200 [OK] close=0|=x|X-A =1|lines=4");
  struct cn_h1_response_parser_options strict = {0};
  strict.reject_space_before_colon = true;
  const char *in = "HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n";
  r = parse_opts(in, strlen(in), &strict);
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  CHECK_EQ_STR(r.text, "Header with whitespace before colon");
}

TEST(not_http_is_http09_on_a_fresh_connection) {
  const char *bad[] = {"hello world\r\n\r\n", "ICY 200 OK\r\n\r\n",
                       " HTTP/1.1 200 OK\r\n\r\n", "\r\n", "HTTP\r\n",
                       "Xyz"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct result r = parse(bad[i]);
    CHECK_EQ_INT(r.rv, CN_ERR_UNSUPPORTED_HTTP_VERSION);
    CHECK_EQ_STR(r.text, "Received HTTP/0.9 when not allowed");
  }
  /* Detected before the line ends. */
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, NULL);
  size_t used;
  bool complete;
  CHECK_EQ_INT(cn_h1_response_parser_feed(&p, &used, &complete,
                                          (const uint8_t *)"HT", 2),
               CN_OK);
  CHECK_EQ_INT(cn_h1_response_parser_feed(&p, &used, &complete,
                                          (const uint8_t *)"X", 1),
               CN_ERR_UNSUPPORTED_HTTP_VERSION);
  /* Sticky. */
  CHECK_EQ_INT(cn_h1_response_parser_feed(&p, &used, &complete,
                                          (const uint8_t *)"TP/1.1", 6),
               CN_ERR_UNSUPPORTED_HTTP_VERSION);
  cn_h1_response_parser_cleanup(&p);
}

/* With CURLOPT_HTTP09_ALLOWED the same replies are HTTP/0.9: a complete
 * head of no lines, and the bytes taken so far are handed back as the
 * start of the body, however the input was sliced. */
TEST(http09_allowed_hands_back_taken_bytes) {
  struct cn_h1_response_parser_options o = {0};
  o.allow_http09 = true;
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, &o);
  size_t used;
  bool complete;
  CHECK_EQ_INT(cn_h1_response_parser_feed(&p, &used, &complete,
                                          (const uint8_t *)"HTT", 3),
               CN_OK);
  CHECK(!complete);
  CHECK_EQ_INT(cn_h1_response_parser_feed(&p, &used, &complete,
                                          (const uint8_t *)"Pr\nrest", 7),
               CN_OK);
  CHECK(complete);
  const uint8_t *taken;
  size_t taken_len;
  CHECK(cn_h1_response_parser_http09_body(&p, &taken, &taken_len));
  /* what was taken plus what was left unconsumed is the whole reply */
  char body[32];
  snprintf(body, sizeof(body), "%.*s%.*s", (int)taken_len,
           (const char *)taken, (int)(7 - used), "Pr\nrest" + used);
  CHECK_EQ_STR(body, "HTTPr\nrest");
  struct cn_http_response_headers *h = cn_h1_response_parser_take_headers(&p);
  CHECK(h != NULL);
  CHECK_EQ_INT(h->status_code, 0);
  CHECK_EQ_INT(h->version_major, 0);
  CHECK_EQ_INT(h->version_minor, 9);
  CHECK(h->connection_close);
  CHECK_EQ_INT((int)cn_http_response_headers_num_raw_lines(h), 0);
  cn_http_response_headers_free(h);
  cn_h1_response_parser_cleanup(&p);

  /* never on a reused connection */
  o.reused_connection = true;
  struct result r = parse_opts("hello\r\n", 7, &o);
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  /* a real status line is parsed as usual */
  o.reused_connection = false;
  r = parse_opts("HTTP/1.1 200 OK\r\n\r\n", 19, &o);
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK_EQ_STR(r.head, "1.1 200 [OK] close=0|lines=2");
}

/* libcurl passes on each line as it parses it: after an error the lines
 * before the bad one are handed out as a head that was cut short. */
TEST(error_leaves_the_lines_before_it) {
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, NULL);
  const char *in = "HTTP/1.1 200 OK\r\nDate: x\r\nContent-Length: -6\r\n"
                   "\r\n";
  struct result r = feed_sliced(&p, in, strlen(in), 7);
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  struct cn_http_response_headers *h =
      cn_h1_response_parser_take_partial_headers(&p);
  CHECK(h != NULL);
  CHECK(h->cut_short);
  CHECK_EQ_INT(h->status_code, 200);
  CHECK_EQ_INT((int)cn_http_response_headers_num_raw_lines(h), 2);
  cn_http_response_headers_free(h);
  CHECK(cn_h1_response_parser_take_partial_headers(&p) == NULL);
  cn_h1_response_parser_cleanup(&p);

  /* nothing to hand out when the first line already failed */
  cn_h1_response_parser_init(&p, NULL);
  r = feed_sliced(&p, "HTTP/1.1 20 OK\r\n\r\n", 18, 100);
  CHECK(r.rv < 0);
  CHECK(cn_h1_response_parser_take_partial_headers(&p) == NULL);
  cn_h1_response_parser_cleanup(&p);
}

/* libcurl's MAX_HTTP_RESP_HEADER_COUNT: 5000 fields per request. */
TEST(field_count_limit) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  cn_buf_append_str(&b, "HTTP/1.1 200 OK\r\n");
  for (int i = 0; i < CN_H1_MAX_RESPONSE_FIELDS; i++)
    cn_buf_append_str(&b, "A: b\r\n");
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, NULL);
  struct result r = feed_sliced(&p, b.data, b.len, b.len);
  CHECK_EQ_INT(r.rv, CN_OK); /* exactly the maximum: fine so far */
  r = feed_sliced(&p, "A: b\r\n", 6, 6);
  CHECK_EQ_INT(r.rv, CN_ERR_INPUT_TOO_LARGE);
  CHECK_EQ_STR(cn_h1_response_parser_error_text(&p),
               "Too many response headers, 5000 is max");
  cn_h1_response_parser_cleanup(&p);
  cn_buf_cleanup(&b);
}

TEST(not_http_on_reused_connection_or_after_1xx_is_weird) {
  struct cn_h1_response_parser_options reused = {0};
  reused.reused_connection = true;
  struct result r = parse_opts("hello\r\n", 7, &reused);
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  CHECK_EQ_STR(r.text, "Invalid status line");

  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, NULL);
  const char *in = "HTTP/1.1 100 Continue\r\n\r\nhello";
  r = feed_sliced(&p, in, strlen(in), 4);
  CHECK(r.complete);
  cn_h1_response_parser_next_head(&p);
  r = feed_sliced(&p, in + r.consumed, 5, 1);
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  CHECK_EQ_STR(r.text, "Invalid status line");
  cn_h1_response_parser_cleanup(&p);
}

TEST(status_line_variants) {
  const char *subversion[] = {"HTTP/1.1 abc OK\r\n", "HTTP/1.1 20 OK\r\n",
                              "HTTP/1.2 200 OK\r\n", "HTTP/1.1  200 OK\r\n",
                              "HTTP/1.1 200OK\r\n", "HTTP/1.1 1000 X\r\n",
                              "HTTP/1 200 OK\r\n"};
  for (size_t i = 0; i < sizeof(subversion) / sizeof(subversion[0]); i++) {
    struct result r = parse(subversion[i]);
    CHECK_EQ_INT(r.rv, CN_ERR_UNSUPPORTED_HTTP_VERSION);
    CHECK_EQ_STR(r.text, "Unsupported HTTP/1 subversion in response");
  }
  struct result r = parse("HTTP/9 500\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_UNSUPPORTED_HTTP_VERSION);
  CHECK_EQ_STR(r.text, "Unsupported HTTP version in response");
  r = parse("HTTP/3 200\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_UNSUPPORTED_HTTP_VERSION);
  CHECK_EQ_STR(r.text, "Unsupported HTTP version (3.0) in response");
  r = parse("HTTP/2 404\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  CHECK_EQ_STR(r.text, "Version mismatch (from HTTP/1 to HTTP/2)");
  r = parse("HTTP/1.0 099 X\r\nA: b\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_UNSUPPORTED_HTTP_VERSION);
  CHECK_EQ_STR(r.text, "Unsupported response code in HTTP response");

  /* libcurl's alias fallback: anything else starting with "HTTP/" in any
   * case is HTTP/1.0 200. */
  r = parse("http/1.1 404 x\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK_EQ_STR(r.head, "1.0 200 [] close=1|lines=2");
  r = parse("HTTP/3.0 200 OK\r\n\r\n");
  CHECK_EQ_STR(r.head, "1.0 200 [] close=1|lines=2");
  r = parse("HTTP/2 200OK\r\n\r\n");
  CHECK_EQ_STR(r.head, "1.0 200 [] close=1|lines=2");

  r = parse("HTTP/1.1 200\r\n\r\n");
  CHECK_EQ_STR(r.head, "1.1 200 [] close=0|lines=2");
  r = parse("HTTP/1.1\t404 X\r\n\r\n");
  CHECK_EQ_STR(r.head, "1.1 404 [X] close=0|lines=2");
  r = parse("HTTP/1.1 999 Whatever  it says \r\n\r\n");
  CHECK_EQ_STR(r.head, "1.1 999 [Whatever  it says] close=0|lines=2");
  /* A line starting with CR ends the head, whatever follows on it. */
  r = parse("HTTP/1.1 200 OK\r\n\rjunk\nbody");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK_EQ_INT(r.consumed, 23);
}

TEST(http200_aliases) {
  const char *aliases[] = {"ICY"};
  struct cn_h1_response_parser_options o = {0};
  o.http200_aliases = aliases;
  o.num_http200_aliases = 1;
  const char *in = "ICY 404 OK\r\nicy-name: x\r\n\r\n";
  struct result r = parse_opts(in, strlen(in), &o);
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK_EQ_STR(r.head, "1.0 200 [] close=1|icy-name=x|lines=3");
  r = parse_opts("FOO 200\r\n", 9, &o);
  CHECK_EQ_INT(r.rv, CN_ERR_UNSUPPORTED_HTTP_VERSION);
}

/* header_line appends "X: fff...\r\n" of exactly |len| bytes. */
static void header_line(char *out, size_t len) {
  memcpy(out, "X: ", 3);
  memset(out + 3, 'f', len - 5);
  memcpy(out + len - 2, "\r\n", 2);
}

TEST(line_limit_is_libcurls) {
  size_t cap = 200 * 1024;
  char *in = malloc(cap);
  const char *status = "HTTP/1.1 200 OK\r\n";
  size_t s = strlen(status);
  memcpy(in, status, s);
  header_line(in + s, CN_H1_MAX_HEADER_LINE - 1);
  memcpy(in + s + CN_H1_MAX_HEADER_LINE - 1, "\r\n", 2);
  struct result r = parse_opts(in, s + CN_H1_MAX_HEADER_LINE + 1, NULL);
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK(r.complete);

  header_line(in + s, CN_H1_MAX_HEADER_LINE);
  memcpy(in + s + CN_H1_MAX_HEADER_LINE, "\r\n", 2);
  r = parse_opts(in, s + CN_H1_MAX_HEADER_LINE + 2, NULL);
  CHECK_EQ_INT(r.rv, CN_ERR_RESPONSE_HEADER_LINE_TOO_BIG);
  CHECK_EQ_STR(r.text, "");
  /* Also without its line end yet. */
  memset(in + s, 'f', CN_H1_MAX_HEADER_LINE);
  r = parse_opts(in, s + CN_H1_MAX_HEADER_LINE, NULL);
  CHECK_EQ_INT(r.rv, CN_ERR_RESPONSE_HEADER_LINE_TOO_BIG);
  free(in);
}

/* big_head builds a head of |total| bytes: status line, header lines of at
 * most 100000 bytes, blank line. Returns its length. */
static size_t big_head(char *out, const char *prefix, size_t total) {
  size_t n = strlen(prefix);
  memcpy(out, prefix, n);
  const char *status = "HTTP/1.1 200 OK\r\n";
  memcpy(out + n, status, 17);
  n += 17;
  size_t left = total - 17 - 2;
  while (left) {
    size_t l = left > 100000 ? 100000 : left;
    if (left - l < 6 && left > l)
      l -= 6; /* keep every line at least "X: f\r\n" long */
    header_line(out + n, l);
    n += l;
    left -= l;
  }
  memcpy(out + n, "\r\n", 2);
  return n + 2;
}

TEST(total_limit_counts_all_heads) {
  char *in = malloc(400 * 1024);
  size_t len = big_head(in, "", CN_H1_MAX_RESPONSE_HEADERS);
  struct result r = parse_opts(in, len, NULL);
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK(r.complete);

  len = big_head(in, "", CN_H1_MAX_RESPONSE_HEADERS + 1);
  r = parse_opts(in, len, NULL);
  CHECK_EQ_INT(r.rv, CN_ERR_RESPONSE_HEADERS_TOO_BIG);
  CHECK_EQ_STR(r.text, "Too large response headers: 307201 > 307200");

  /* A 100 Continue head counts against the same budget. */
  const char *cont = "HTTP/1.1 100 Continue\r\n\r\n";
  len = big_head(in, cont, CN_H1_MAX_RESPONSE_HEADERS);
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, NULL);
  r = feed_sliced(&p, in, len, 4096);
  CHECK(r.complete);
  cn_h1_response_parser_next_head(&p);
  r = feed_sliced(&p, in + r.consumed, len - r.consumed, 4096);
  CHECK_EQ_INT(r.rv, CN_ERR_RESPONSE_HEADERS_TOO_BIG);
  CHECK_EQ_STR(r.text, "Too large response headers: 307223 > 307200");
  cn_h1_response_parser_cleanup(&p);
  free(in);
}

TEST(connection_close_mark) {
  struct result r = parse("HTTP/1.1 200 OK\r\n\r\n");
  CHECK_EQ_STR(r.head, "1.1 200 [OK] close=0|lines=2");
  r = parse("HTTP/1.1 200 OK\r\nConnection: Close\r\n\r\n");
  CHECK_EQ_STR(r.head, "1.1 200 [OK] close=1|Connection=Close|lines=3");
  r = parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n");
  CHECK_EQ_STR(r.head, "1.0 200 [OK] close=0|Connection=keep-alive|lines=3");
  r = parse("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK_EQ_STR(r.head, "1.1 200 [OK] close=1|"
                       "Content-Length=99999999999999999999|lines=3");

  /* The mark of an interim head sticks. */
  const char *in = "HTTP/1.1 100 Continue\r\nConnection: close\r\n\r\n"
                   "HTTP/1.1 200 OK\r\n\r\n";
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, NULL);
  r = feed_sliced(&p, in, strlen(in), 3);
  CHECK(r.complete);
  cn_h1_response_parser_next_head(&p);
  r = feed_sliced(&p, in + r.consumed, strlen(in) - r.consumed, 3);
  CHECK_EQ_STR(r.head, "1.1 200 [OK] close=1|lines=2");
  CHECK(cn_h1_response_parser_must_close(&p));
  cn_h1_response_parser_cleanup(&p);

  struct cn_h1_response_parser_options proxy = {0};
  proxy.via_http_proxy = true;
  in = "HTTP/1.0 200 OK\r\nProxy-Connection: keep-alive\r\n\r\n";
  r = parse_opts(in, strlen(in), &proxy);
  CHECK_EQ_STR(r.head, "1.0 200 [OK] close=0|Proxy-Connection=keep-alive|"
                       "lines=3");
  r = parse(in);
  CHECK_EQ_STR(r.head, "1.0 200 [OK] close=1|Proxy-Connection=keep-alive|"
                       "lines=3");
}

TEST(content_length_is_validated_where_libcurl_does) {
  struct result r = parse("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  CHECK_EQ_STR(r.text, "Invalid Content-Length: value");
  r = parse("HTTP/1.1 200 OK\r\ncontent-length: -5\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_HTTP_RESPONSE);
  /* Not for bodyless statuses, nor when told to ignore it. */
  r = parse("HTTP/1.1 204 No Content\r\nContent-Length: abc\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_OK);
  r = parse("HTTP/1.1 304 Not Modified\r\nContent-Length: abc\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_OK);
  r = parse("HTTP/1.1 100 Continue\r\nContent-Length: abc\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_OK);
  struct cn_h1_response_parser_options o = {0};
  o.ignore_content_length = true;
  const char *in = "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n";
  r = parse_opts(in, strlen(in), &o);
  CHECK_EQ_INT(r.rv, CN_OK);
}

TEST(end_of_stream) {
  struct {
    const char *in;
    int rv;
  } cases[] = {
      {"", CN_ERR_EMPTY_RESPONSE},
      {"HTTP/1.1 20", CN_ERR_EMPTY_RESPONSE},
      {"HTTP/1.1 100 Continue\r\nX: 1\r\n", CN_ERR_EMPTY_RESPONSE},
      {"HTTP/1.1 200 OK\r\n", CN_OK},
      {"HTTP/1.1 200 OK\r\nA: 1\r\nB: partial", CN_OK},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct cn_h1_response_parser p;
    cn_h1_response_parser_init(&p, NULL);
    struct result r = feed_sliced(&p, cases[i].in, strlen(cases[i].in), 1);
    CHECK_EQ_INT(r.rv, CN_OK);
    CHECK(!r.complete);
    CHECK_EQ_INT(cn_h1_response_parser_received_any(&p), i != 0);
    bool complete = false;
    CHECK_EQ_INT(cn_h1_response_parser_finish(&p, &complete), cases[i].rv);
    if (cases[i].rv == CN_OK) {
      CHECK(complete);
      const struct cn_http_response_headers *h =
          cn_h1_response_parser_headers(&p);
      CHECK_EQ_INT(h->status_code, 200);
      /* The partial line is dropped. */
      CHECK_EQ_INT(h->num_fields, i == 4 ? 1 : 0);
    } else {
      CHECK_EQ_STR(cn_h1_response_parser_error_text(&p),
                   "Empty reply from server");
    }
    cn_h1_response_parser_cleanup(&p);
  }
  /* Only a 1xx head, then the end. */
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, NULL);
  struct result r = feed_sliced(&p, "HTTP/1.1 100 Continue\r\n\r\n", 25, 25);
  CHECK(r.complete);
  cn_h1_response_parser_next_head(&p);
  bool complete;
  CHECK_EQ_INT(cn_h1_response_parser_finish(&p, &complete),
               CN_ERR_EMPTY_RESPONSE);
  cn_h1_response_parser_cleanup(&p);
}

static int scenario_parse(void) {
  const char *in = "HTTP/1.1 100 Continue\r\nX-I: 1\r\n\r\n"
                   "HTTP/1.1 200 OK\r\nX-A: 1\r\n  b\r\nSet-Cookie: a\r\n"
                   "Set-Cookie: b\r\nContent-Length: 3\r\n\r\nabc";
  size_t len = strlen(in);
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, NULL);
  size_t pos = 0;
  int rv = CN_OK;
  int heads = 0;
  while (rv == CN_OK && heads < 2) {
    size_t used;
    bool complete;
    rv = cn_h1_response_parser_feed(&p, &used, &complete,
                                    (const uint8_t *)in + pos,
                                    len - pos < 9 ? len - pos : 9);
    if (rv != CN_OK)
      break;
    pos += used;
    if (complete) {
      heads++;
      if (heads == 1)
        cn_h1_response_parser_next_head(&p);
    }
  }
  struct cn_http_response_headers *h = NULL;
  if (rv == CN_OK) {
    h = cn_h1_response_parser_take_headers(&p);
    if (!h || h->num_fields != 4 || strcmp(h->fields[0].value, "1 b") ||
        pos != len - 3)
      rv = CN_ERR_UNEXPECTED;
  }
  cn_http_response_headers_free(h);
  cn_h1_response_parser_cleanup(&p);
  return rv;
}

TEST(allocation_failures_are_errors_without_leaks) {
  FAIL_LOOP(scenario_parse());
}

TEST_MAIN(parses_crlf_head_and_leaves_body, bare_lf_and_mixed_endings,
          raw_lines_are_exact, interim_heads_then_final, folding_like_libcurl,
          malformed_header_lines, not_http_is_http09_on_a_fresh_connection,
          http09_allowed_hands_back_taken_bytes,
          error_leaves_the_lines_before_it, field_count_limit,
          not_http_on_reused_connection_or_after_1xx_is_weird,
          status_line_variants, http200_aliases, line_limit_is_libcurls,
          total_limit_counts_all_heads, connection_close_mark,
          content_length_is_validated_where_libcurl_does, end_of_stream,
          allocation_failures_are_errors_without_leaks)
