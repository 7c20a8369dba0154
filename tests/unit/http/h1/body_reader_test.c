/* body_reader_test.c: HTTP/1.x body framing by libcurl's rules, progress,
 * leftovers and end-of-stream outcomes. Heads come from the real parser. */
#include "http/h1/body_reader.h"

#include <stdbool.h>
#include <stdlib.h>

#include "http/alloc_track.h"
#include "http/h1/response_parser.h"
#include "test.h"
#include "util/net_error.h"

/* head parses a complete response head (the parser must accept it). */
static struct cn_http_response_headers *head(const char *text) {
  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, NULL);
  size_t used;
  bool complete = false;
  int rv = cn_h1_response_parser_feed(&p, &used, &complete,
                                      (const uint8_t *)text, strlen(text));
  CHECK_EQ_INT(rv, CN_OK);
  CHECK(complete);
  struct cn_http_response_headers *h = cn_h1_response_parser_take_headers(&p);
  cn_h1_response_parser_cleanup(&p);
  return h;
}

struct result {
  int rv;
  size_t consumed;
  char body[256];
  size_t body_len;
  bool done;
  bool reusable;
};

/* read_body runs |body| through a reader for |h| in |chunk|-byte pieces,
 * in place when |in_place|, else through a 2-byte output buffer. */
static struct result read_body(const struct cn_http_response_headers *h,
                               bool was_head, const char *body, size_t len,
                               size_t chunk, bool in_place) {
  struct result r;
  memset(&r, 0, sizeof(r));
  struct cn_h1_body_reader br;
  r.rv = cn_h1_body_reader_init(&br, h, was_head);
  char *copy = malloc(len + 1);
  memcpy(copy, body, len);
  size_t pos = 0;
  while (r.rv == CN_OK && pos < len && !cn_h1_body_reader_is_done(&br)) {
    size_t n = len - pos < chunk ? len - pos : chunk;
    uint8_t small[2];
    uint8_t *out = in_place ? (uint8_t *)copy + pos : small;
    size_t cap = in_place ? n : sizeof(small);
    size_t used, got;
    r.rv = cn_h1_body_reader_feed(&br, &used, &got, out, cap,
                                  (const uint8_t *)copy + pos, n);
    if (r.rv != CN_OK)
      break;
    if (r.body_len + got < sizeof(r.body)) {
      memcpy(r.body + r.body_len, out, got);
      r.body_len += got;
    }
    pos += used;
    if (used == 0 && !cn_h1_body_reader_is_done(&br))
      break;
  }
  /* What a connection would do with the bytes after the body. */
  if (r.rv == CN_OK && pos < len) {
    size_t used, got;
    uint8_t out[8];
    CHECK_EQ_INT(cn_h1_body_reader_feed(&br, &used, &got, out, sizeof(out),
                                        (const uint8_t *)copy + pos,
                                        len - pos),
                 CN_OK);
    CHECK(used == 0 && got == 0);
  }
  r.consumed = pos;
  r.done = cn_h1_body_reader_is_done(&br);
  r.reusable = cn_h1_body_reader_is_reusable(&br);
  CHECK_EQ_INT(br.body_bytes, (int64_t)r.body_len);
  cn_h1_body_reader_cleanup(&br);
  free(copy);
  return r;
}

static struct result read_all_ways(const char *head_text, bool was_head,
                                   const char *body) {
  struct cn_http_response_headers *h = head(head_text);
  size_t len = strlen(body);
  struct result whole = read_body(h, was_head, body, len, len ? len : 1, true);
  for (size_t chunk = 1; chunk <= 4; chunk++) {
    for (int in_place = 0; in_place < 2; in_place++) {
      struct result r = read_body(h, was_head, body, len, chunk, in_place);
      CHECK_EQ_INT(r.rv, whole.rv);
      CHECK_EQ_INT(r.done, whole.done);
      if (whole.rv != CN_OK)
        continue;
      CHECK_EQ_INT(r.consumed, whole.consumed);
      CHECK_EQ_INT(r.body_len, whole.body_len);
      CHECK(memcmp(r.body, whole.body, whole.body_len) == 0);
      /* Split feeding may see the leftover in a separate call. */
      if (whole.consumed == len)
        CHECK_EQ_INT(r.reusable, whole.reusable);
    }
  }
  cn_http_response_headers_free(h);
  return whole;
}

static enum cn_h1_body_framing framing_of(const char *head_text,
                                          bool was_head) {
  struct cn_http_response_headers *h = head(head_text);
  struct cn_h1_body_reader br;
  CHECK_EQ_INT(cn_h1_body_reader_init(&br, h, was_head), CN_OK);
  enum cn_h1_body_framing f = br.framing;
  if (f == CN_H1_BODY_NONE)
    CHECK(cn_h1_body_reader_is_done(&br));
  cn_h1_body_reader_cleanup(&br);
  cn_http_response_headers_free(h);
  return f;
}

TEST(framing_rules) {
  const char *cl = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  CHECK_EQ_INT(framing_of(cl, false), CN_H1_BODY_CONTENT_LENGTH);
  CHECK_EQ_INT(framing_of(cl, true), CN_H1_BODY_NONE);
  CHECK_EQ_INT(framing_of("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n",
                          false),
               CN_H1_BODY_NONE);
  CHECK_EQ_INT(framing_of("HTTP/1.1 304 Not Modified\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n",
                          false),
               CN_H1_BODY_NONE);
  CHECK_EQ_INT(framing_of("HTTP/1.1 103 Early Hints\r\n\r\n", false),
               CN_H1_BODY_NONE);
  CHECK_EQ_INT(framing_of("HTTP/1.1 101 Switching Protocols\r\n"
                          "Upgrade: websocket\r\n\r\n",
                          false),
               CN_H1_BODY_UNTIL_CLOSE);
  CHECK_EQ_INT(framing_of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n",
                          false),
               CN_H1_BODY_CHUNKED);
  CHECK_EQ_INT(framing_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                          "\r\n",
                          true),
               CN_H1_BODY_NONE);
  CHECK_EQ_INT(framing_of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                          "Transfer-Encoding: gzip\r\n\r\n",
                          false),
               CN_H1_BODY_UNTIL_CLOSE);
  CHECK_EQ_INT(framing_of("HTTP/1.1 200 OK\r\n\r\n", false),
               CN_H1_BODY_UNTIL_CLOSE);
  CHECK_EQ_INT(framing_of("HTTP/1.1 200 OK\r\nContent-Length: "
                          "99999999999999999999\r\n\r\n",
                          false),
               CN_H1_BODY_UNTIL_CLOSE);
}

TEST(content_length_body_and_leftovers) {
  const char *h = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  struct result r = read_all_ways(h, false, "hello");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK(r.done && r.reusable);
  CHECK_EQ_INT(r.body_len, 5);
  CHECK(memcmp(r.body, "hello", 5) == 0);

  r = read_all_ways(h, false, "hello world");
  CHECK(r.done);
  CHECK_EQ_INT(r.consumed, 5);
  CHECK_EQ_INT(r.body_len, 5);
  CHECK(!r.reusable); /* excess data: libcurl closes */

  r = read_all_ways("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false,
                    "");
  CHECK(r.done && r.reusable);
  /* HTTP/1.0 closes after the body. */
  r = read_all_ways("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n", false,
                    "hi");
  CHECK(r.done && !r.reusable);
  r = read_all_ways("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n"
                    "Connection: keep-alive\r\n\r\n",
                    false, "hi");
  CHECK(r.done && r.reusable);
  r = read_all_ways("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                    "Connection: close\r\n\r\n",
                    false, "hi");
  CHECK(r.done && !r.reusable);
  /* HEAD: the Content-Length describes a body that is not sent. */
  r = read_all_ways(h, true, "");
  CHECK(r.done && r.reusable);
  CHECK_EQ_INT(r.body_len, 0);
}

TEST(chunked_body) {
  const char *h = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                  "Content-Length: 1\r\n\r\n";
  struct result r =
      read_all_ways(h, false, "3\r\nabc\r\n2;x\r\nde\r\n0\r\nT: 1\r\n\r\n");
  CHECK_EQ_INT(r.rv, CN_OK);
  CHECK(r.done && r.reusable);
  CHECK_EQ_INT(r.body_len, 5);
  CHECK(memcmp(r.body, "abcde", 5) == 0);

  r = read_all_ways(h, false, "1\r\nx\r\n0\r\n\r\nHTTP/1.1 200");
  CHECK(r.done);
  CHECK_EQ_INT(r.consumed, 11);
  CHECK(!r.reusable);

  r = read_all_ways(h, false, "1\r\nxY");
  CHECK_EQ_INT(r.rv, CN_ERR_INVALID_CHUNKED_ENCODING);
  {
    struct cn_http_response_headers *bad = head(h);
    struct cn_h1_body_reader br;
    CHECK_EQ_INT(cn_h1_body_reader_init(&br, bad, false), CN_OK);
    CHECK(cn_h1_body_reader_error_text(&br) == NULL);
    uint8_t in[] = "q";
    size_t used, got;
    CHECK_EQ_INT(cn_h1_body_reader_feed(&br, &used, &got, in, 1, in, 1),
                 CN_ERR_INVALID_CHUNKED_ENCODING);
    CHECK_EQ_STR(cn_h1_body_reader_error_text(&br),
                 "chunk hex-length char not a hex digit: 0x71");
    cn_h1_body_reader_cleanup(&br);
    cn_http_response_headers_free(bad);
  }

  struct cn_http_response_headers *hh = head(h);
  struct cn_h1_body_reader br;
  CHECK_EQ_INT(cn_h1_body_reader_init(&br, hh, false), CN_OK);
  const char *in = "0\r\nX-T: v\r\n\r\n";
  uint8_t out[4];
  size_t used, got;
  CHECK_EQ_INT(cn_h1_body_reader_feed(&br, &used, &got, out, sizeof(out),
                                      (const uint8_t *)in, strlen(in)),
               CN_OK);
  struct cn_h1_chunked_decoder *d = cn_h1_body_reader_chunked_decoder(&br);
  CHECK(d != NULL);
  CHECK_EQ_INT(cn_h1_chunked_decoder_num_trailers(d), 1);
  cn_h1_body_reader_cleanup(&br);
  cn_http_response_headers_free(hh);
}

TEST(end_of_stream) {
  struct cn_http_response_headers *h =
      head("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
  struct cn_h1_body_reader br;
  CHECK_EQ_INT(cn_h1_body_reader_init(&br, h, false), CN_OK);
  uint8_t buf[] = "abc";
  size_t used, got;
  CHECK_EQ_INT(cn_h1_body_reader_feed(&br, &used, &got, buf, 3, buf, 3),
               CN_OK);
  CHECK_EQ_INT(cn_h1_body_reader_remaining(&br), 7);
  CHECK_EQ_INT(cn_h1_body_reader_on_eof(&br), CN_ERR_CONTENT_LENGTH_MISMATCH);
  CHECK(!cn_h1_body_reader_is_reusable(&br));
  cn_h1_body_reader_cleanup(&br);
  cn_http_response_headers_free(h);

  h = head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  CHECK_EQ_INT(cn_h1_body_reader_init(&br, h, false), CN_OK);
  uint8_t c[] = "5\r\nab";
  CHECK_EQ_INT(cn_h1_body_reader_feed(&br, &used, &got, c, 5, c, 5), CN_OK);
  CHECK_EQ_INT(cn_h1_body_reader_on_eof(&br),
               CN_ERR_INCOMPLETE_CHUNKED_ENCODING);
  CHECK_EQ_INT(cn_h1_body_reader_remaining(&br), 0);
  cn_h1_body_reader_cleanup(&br);
  cn_http_response_headers_free(h);

  h = head("HTTP/1.1 200 OK\r\n\r\n");
  CHECK_EQ_INT(cn_h1_body_reader_init(&br, h, false), CN_OK);
  uint8_t u[] = "anything";
  CHECK_EQ_INT(cn_h1_body_reader_feed(&br, &used, &got, u, 8, u, 8), CN_OK);
  CHECK(used == 8 && got == 8 && !cn_h1_body_reader_is_done(&br));
  CHECK_EQ_INT(cn_h1_body_reader_on_eof(&br), CN_OK);
  CHECK(cn_h1_body_reader_is_done(&br));
  CHECK(!cn_h1_body_reader_is_reusable(&br));
  cn_h1_body_reader_cleanup(&br);
  cn_http_response_headers_free(h);

  h = head("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
  CHECK_EQ_INT(cn_h1_body_reader_init(&br, h, false), CN_OK);
  uint8_t two[] = "ok";
  CHECK_EQ_INT(cn_h1_body_reader_feed(&br, &used, &got, two, 2, two, 2),
               CN_OK);
  CHECK_EQ_INT(cn_h1_body_reader_on_eof(&br), CN_OK);
  cn_h1_body_reader_cleanup(&br);
  cn_http_response_headers_free(h);
}

TEST(ignore_content_length_reads_to_close) {
  struct cn_http_response_headers *h =
      head("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
  struct cn_h1_body_reader br;
  CHECK_EQ_INT(cn_h1_body_reader_init(&br, h, false), CN_OK);
  cn_h1_body_reader_ignore_content_length(&br);
  CHECK_EQ_INT(br.framing, CN_H1_BODY_UNTIL_CLOSE);
  uint8_t in[] = "longer";
  size_t used, got;
  CHECK_EQ_INT(cn_h1_body_reader_feed(&br, &used, &got, in, 6, in, 6), CN_OK);
  CHECK_EQ_INT(got, 6);
  CHECK_EQ_INT(cn_h1_body_reader_on_eof(&br), CN_OK);
  cn_h1_body_reader_cleanup(&br);
  cn_http_response_headers_free(h);
}

TEST(hand_built_head_with_bad_length) {
  struct cn_http_response_headers *h = cn_http_response_headers_new();
  CHECK_EQ_INT(cn_http_response_headers_set_status(h, 1, 1, 200, "", 0),
               CN_OK);
  CHECK_EQ_INT(cn_http_response_headers_add(h, "Content-Length", 14, "x", 1),
               CN_OK);
  struct cn_h1_body_reader br;
  CHECK_EQ_INT(cn_h1_body_reader_init(&br, h, false),
               CN_ERR_INVALID_HTTP_RESPONSE);
  cn_h1_body_reader_cleanup(&br);
  cn_http_response_headers_free(h);
}

static int scenario_chunked(void) {
  struct cn_http_response_headers *h = cn_http_response_headers_new();
  if (!h)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = cn_http_response_headers_set_status(h, 1, 1, 200, "OK", 2);
  if (rv == CN_OK)
    rv = cn_http_response_headers_add(h, "Transfer-Encoding", 17, "chunked",
                                      7);
  if (rv != CN_OK) {
    cn_http_response_headers_free(h);
    return rv;
  }
  struct cn_h1_body_reader br;
  rv = cn_h1_body_reader_init(&br, h, false);
  uint8_t in[] = "2\r\nok\r\n0\r\nA: 1\r\nB: 2\r\n\r\n";
  size_t len = sizeof(in) - 1, pos = 0;
  while (rv == CN_OK && pos < len) {
    size_t used, got;
    rv = cn_h1_body_reader_feed(&br, &used, &got, in + pos, 1, in + pos, 1);
    pos += rv == CN_OK ? used : 0;
  }
  if (rv == CN_OK && !cn_h1_body_reader_is_reusable(&br))
    rv = CN_ERR_UNEXPECTED;
  cn_h1_body_reader_cleanup(&br);
  cn_http_response_headers_free(h);
  return rv;
}

TEST(allocation_failures_are_errors_without_leaks) {
  FAIL_LOOP(scenario_chunked());
}

/* Without CURLOPT_TRANSFER_ENCODING a coding other than chunked leaves the
 * Content-Length in charge (libcurl's --raw test 319). */
TEST(length_despite_coding) {
  struct cn_http_response_headers *h = head(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: x\r\nContent-Length: 2\r\n"
      "\r\n");
  struct cn_h1_body_reader br;
  CHECK_EQ_INT(cn_h1_body_reader_init(&br, h, false), CN_OK);
  CHECK_EQ_INT(br.framing, CN_H1_BODY_UNTIL_CLOSE);
  cn_h1_body_reader_length_despite_coding(&br, h);
  CHECK_EQ_INT(br.framing, CN_H1_BODY_CONTENT_LENGTH);
  uint8_t in[] = "abcd";
  size_t used, got;
  CHECK_EQ_INT(cn_h1_body_reader_feed(&br, &used, &got, in, 4, in, 4), CN_OK);
  CHECK_EQ_INT(got, 2);
  CHECK(cn_h1_body_reader_is_done(&br));
  cn_h1_body_reader_cleanup(&br);
  cn_http_response_headers_free(h);
}

/* CURLOPT_HTTP_TRANSFER_DECODING off: the chunks still frame the body but
 * come out as they are, in any slicing. */
TEST(raw_chunked_passes_framing_through) {
  struct cn_http_response_headers *h =
      head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  const char *body = "3\r\nabc\r\n0\r\n\r\n";
  size_t len = strlen(body);
  for (size_t chunk = 1; chunk <= len; chunk++) {
    struct cn_h1_body_reader br;
    CHECK_EQ_INT(cn_h1_body_reader_init(&br, h, false), CN_OK);
    cn_h1_body_reader_pass_raw(&br);
    char got_all[64] = "";
    size_t have = 0, pos = 0;
    while (pos < len && !cn_h1_body_reader_is_done(&br)) {
      size_t n = len - pos < chunk ? len - pos : chunk;
      uint8_t out[64];
      size_t used, got;
      CHECK_EQ_INT(cn_h1_body_reader_feed(&br, &used, &got, out, sizeof(out),
                                          (const uint8_t *)body + pos, n),
                   CN_OK);
      memcpy(got_all + have, out, got);
      have += got;
      pos += used;
    }
    got_all[have] = '\0';
    CHECK_EQ_STR(got_all, body);
    CHECK(cn_h1_body_reader_is_done(&br));
    cn_h1_body_reader_cleanup(&br);
  }
  cn_http_response_headers_free(h);
}

TEST_MAIN(framing_rules, content_length_body_and_leftovers, chunked_body,
          end_of_stream, ignore_content_length_reads_to_close,
          hand_built_head_with_bad_length, length_despite_coding,
          raw_chunked_passes_framing_through,
          allocation_failures_are_errors_without_leaks)
