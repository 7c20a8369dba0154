/* chunked_decoder_test.c: chunked transfer coding, every slicing, in place
 * and into small buffers, with libcurl's limits and error texts. */
#include "http/h1/chunked_decoder.h"

#include <stdbool.h>
#include <stdlib.h>

#include "http/alloc_track.h"
#include "test.h"
#include "util/net_error.h"

struct result {
  int rv;
  bool done;
  size_t consumed;
  char body[512];
  size_t body_len;
  char trailers[512];
  char text[64];
};

/* decode feeds |in| in pieces of |chunk| bytes, writing into an output
 * buffer of |out_cap| bytes (0: decode in place in a copy of the input). */
static struct result decode(const char *in, size_t len, size_t chunk,
                            size_t out_cap) {
  struct result r;
  memset(&r, 0, sizeof(r));
  struct cn_h1_chunked_decoder d;
  cn_h1_chunked_decoder_init(&d);
  uint8_t *copy = malloc(len + 1);
  memcpy(copy, in, len);
  size_t pos = 0;
  while (pos < len && !cn_h1_chunked_decoder_is_done(&d)) {
    size_t n = len - pos < chunk ? len - pos : chunk;
    size_t used = 0, got = 0;
    uint8_t small[8];
    uint8_t *out = out_cap ? small : copy + pos;
    size_t cap = out_cap ? out_cap : n;
    r.rv = cn_h1_chunked_decoder_feed(&d, &used, &got, out, cap, copy + pos,
                                      n);
    if (r.rv != CN_OK)
      break;
    CHECK(got <= used);
    if (got + r.body_len < sizeof(r.body)) {
      memcpy(r.body + r.body_len, out, got);
      r.body_len += got;
    }
    pos += used;
    /* it stops only when out is full, or at an error that the next call
     * reports (after the body bytes before it) */
    if (!cn_h1_chunked_decoder_is_done(&d) && used < n)
      CHECK((out_cap != 0 && got == cap) ||
            cn_h1_chunked_decoder_error_text(&d) != NULL);
  }
  r.done = cn_h1_chunked_decoder_is_done(&d);
  r.consumed = pos;
  for (size_t i = 0; i < cn_h1_chunked_decoder_num_trailers(&d); i++) {
    size_t tl;
    const char *t = cn_h1_chunked_decoder_trailer(&d, i, &tl);
    size_t have = strlen(r.trailers);
    if (have + tl + 2 < sizeof(r.trailers)) {
      memcpy(r.trailers + have, t, tl);
      memcpy(r.trailers + have + tl, "|", 2);
    }
  }
  const char *t = cn_h1_chunked_decoder_error_text(&d);
  snprintf(r.text, sizeof(r.text), "%s", t ? t : "");
  cn_h1_chunked_decoder_cleanup(&d);
  free(copy);
  return r;
}

/* check_all decodes |in| every way and checks they agree; returns the
 * whole-input result. */
static struct result check_all(const char *in, size_t len) {
  struct result whole = decode(in, len, len ? len : 1, 0);
  static const size_t chunks[] = {1, 2, 3, 7};
  static const size_t caps[] = {0, 1, 3};
  for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
    for (size_t j = 0; j < sizeof(caps) / sizeof(caps[0]); j++) {
      struct result r = decode(in, len, chunks[i], caps[j]);
      CHECK_EQ_INT(r.rv, whole.rv);
      CHECK_EQ_INT(r.done, whole.done);
      CHECK_EQ_STR(r.text, whole.text);
      if (whole.rv == CN_OK) {
        CHECK_EQ_INT(r.consumed, whole.consumed);
        CHECK_EQ_INT(r.body_len, whole.body_len);
        CHECK(memcmp(r.body, whole.body, whole.body_len) == 0);
        CHECK_EQ_STR(r.trailers, whole.trailers);
      }
    }
  }
  return whole;
}

#define ALL(s) check_all(s, sizeof(s) - 1)

TEST(decodes_and_stops_at_the_end) {
  struct result r = ALL("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nHTTP/1.1");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK(r.done);
  CHECK_EQ_INT(r.body_len, 11);
  CHECK(memcmp(r.body, "hello world", 11) == 0);
  CHECK_EQ_INT(r.consumed, 26);
  CHECK_EQ_STR(r.trailers, "");
}

TEST(extensions_case_and_line_endings) {
  struct result r = ALL("5;foo=\"b;ar\"\r\nhello\r\nA \r\n0123456789\n"
                        "0000;last\n\n");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK(r.done);
  CHECK_EQ_INT(r.body_len, 15);
  CHECK(memcmp(r.body, "hello0123456789", 15) == 0);
  /* Several CRs may precede the LF after chunk data. */
  r = ALL("3\r\nabc\r\r\r\n0\r\n\r\n");
  CHECK(r.done);
  CHECK_EQ_INT(r.body_len, 3);
  /* A size of exactly 16 digits is allowed. */
  r = ALL("0000000000000003\r\nabc\r\n0\r\n\r\n");
  CHECK(r.done);
}

TEST(trailers_are_collected_as_crlf_lines) {
  struct result r = ALL("2\r\nhi\r\n0\r\nX-T: 1\r\nY: 2\n\r\nnext");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK(r.done);
  CHECK_EQ_STR(r.trailers, "X-T: 1\r\n|Y: 2\r\n|");
  CHECK_EQ_INT(r.consumed, 25);

  struct cn_h1_chunked_decoder d;
  cn_h1_chunked_decoder_init(&d);
  const char *in = "0\r\nA: 1\r\n\r\n";
  uint8_t out[4];
  size_t used, got;
  CHECK_EQ_INT(cn_h1_chunked_decoder_feed(&d, &used, &got, out, sizeof(out),
                                          (const uint8_t *)in, strlen(in)),
               CN_OK);
  CHECK_EQ_INT(cn_h1_chunked_decoder_num_trailers(&d), 1);
  cn_h1_chunked_decoder_clear_trailers(&d);
  CHECK_EQ_INT(cn_h1_chunked_decoder_num_trailers(&d), 0);
  CHECK(cn_h1_chunked_decoder_trailer(&d, 0, &got) == NULL);
  cn_h1_chunked_decoder_cleanup(&d);
}

TEST(incomplete_is_not_done) {
  const char *cuts[] = {"5\r\nhel", "5\r\nhello\r\n", "0\r\n", "0\r\nX: 1\r\n",
                        "5", "0\r\n\r"};
  for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
    struct result r = check_all(cuts[i], strlen(cuts[i]));
    CHECK_EQ_INT(r.rv, CN_OK);
    CHECK(!r.done);
    CHECK_EQ_INT(r.consumed, strlen(cuts[i]));
  }
}

TEST(malformed_input) {
  struct result r = ALL("zz\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_CHUNKED_ENCODING);
  CHECK_EQ_STR(r.text, "chunk hex-length char not a hex digit: 0x7a");
  r = ALL("\r\n");
  CHECK_EQ_STR(r.text, "chunk hex-length char not a hex digit: 0xd");
  r = ALL("\x80\r\n");
  CHECK_EQ_STR(r.text, "chunk hex-length char not a hex digit: 0xffffff80");
  r = ALL("00000000000000001\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_CHUNKED_ENCODING);
  CHECK_EQ_STR(r.text, "chunk hex-length longer than 16");
  r = ALL("FFFFFFFFFFFFFFFF\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_CHUNKED_ENCODING);
  CHECK_EQ_STR(r.text, "chunk hex-length not valid: 'FFFFFFFFFFFFFFFF'");
  r = ALL("8000000000000000\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_CHUNKED_ENCODING);
  r = ALL("7FFFFFFFFFFFFFFF\r\nabc");
  CHECK_EQ_INT(r.rv, CN_OK);
  r = ALL("3\r\nabcX\r\n");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_CHUNKED_ENCODING);
  CHECK_EQ_STR(r.text, "Malformed encoding found in chunked-encoding");
  /* the data before the error is delivered first (libcurl's test 36) */
  CHECK_EQ_INT((int)r.body_len, 3);
  CHECK(memcmp(r.body, "abc", 3) == 0);
  r = ALL("0\r\nX: 1\rY\r\n\r\n");
  CHECK_EQ_STR(r.text, "Malformed encoding found in chunked-encoding");
  r = ALL("0\r\n\r\r\n");
  CHECK_EQ_STR(r.text, "Malformed encoding found in chunked-encoding");
  /* Sticky. */
  struct cn_h1_chunked_decoder d;
  cn_h1_chunked_decoder_init(&d);
  uint8_t out[8];
  size_t used, got;
  CHECK_EQ_INT(cn_h1_chunked_decoder_feed(&d, &used, &got, out, 8,
                                          (const uint8_t *)"x", 1),
               CN_ERR_INVALID_CHUNKED_ENCODING);
  CHECK_EQ_INT(cn_h1_chunked_decoder_feed(&d, &used, &got, out, 8,
                                          (const uint8_t *)"0", 1),
               CN_ERR_INVALID_CHUNKED_ENCODING);
  cn_h1_chunked_decoder_cleanup(&d);
}

TEST(trailer_line_limit) {
  /* Trailer text + CRLF must stay below 4096 bytes. */
  size_t cap = 8192;
  char *in = malloc(cap);
  for (size_t text = CN_H1_MAX_TRAILER_LINE - 4;
       text <= CN_H1_MAX_TRAILER_LINE; text++) {
    memcpy(in, "0\r\nX:", 5);
    memset(in + 5, 'a', text - 2);
    memcpy(in + 3 + text, "\r\n\r\n", 4);
    struct result r = decode(in, 3 + text + 4, 1, 0);
    if (text + 2 < CN_H1_MAX_TRAILER_LINE) {
      CHECK_EQ_INT(r.rv, CN_OK);
      CHECK(r.done);
    } else {
      CHECK_EQ_INT(r.rv, CN_ERR_RESPONSE_HEADER_LINE_TOO_BIG);
      CHECK_EQ_STR(r.text, "Out of memory in chunked-encoding");
    }
    struct result whole = decode(in, 3 + text + 4, 3 + text + 4, 0);
    CHECK_EQ_INT(whole.rv, r.rv);
  }
  free(in);
}

static int scenario_trailers(void) {
  const char *in = "3\r\nabc\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n"
                   "E: 5\r\n\r\n";
  size_t len = strlen(in);
  struct cn_h1_chunked_decoder d;
  cn_h1_chunked_decoder_init(&d);
  uint8_t out[64];
  size_t pos = 0, body = 0;
  int rv = CN_OK;
  while (rv == CN_OK && pos < len) {
    size_t used, got;
    rv = cn_h1_chunked_decoder_feed(&d, &used, &got, out + body,
                                    sizeof(out) - body,
                                    (const uint8_t *)in + pos, 1);
    if (rv == CN_OK) {
      pos += used;
      body += got;
    }
  }
  if (rv == CN_OK && (!cn_h1_chunked_decoder_is_done(&d) || body != 3 ||
                      cn_h1_chunked_decoder_num_trailers(&d) != 5))
    rv = CN_ERR_UNEXPECTED;
  cn_h1_chunked_decoder_cleanup(&d);
  return rv;
}

TEST(allocation_failures_are_errors_without_leaks) {
  FAIL_LOOP(scenario_trailers());
}

TEST_MAIN(decodes_and_stops_at_the_end, extensions_case_and_line_endings,
          trailers_are_collected_as_crlf_lines, incomplete_is_not_done,
          malformed_input, trailer_line_limit,
          allocation_failures_are_errors_without_leaks)
