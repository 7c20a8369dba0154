/* content_decoder_test.c: the decoder chain against data compressed here
 * with zlib, brotlienc and zstd: round trips, slicing, chains, libcurl's
 * list rules and texts, corrupt and trailing data, the output limit with a
 * 1 GiB gzip bomb, and the allocation-failure loop. */
#include <brotli/encode.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <zlib.h>
#include <zstd.h>

#include "http/alloc_track.h"
#include "http/http_response_headers.h"
#include "test.h"
#include "url_request/content_decoder.h"
#include "util/alloc.h"
#include "util/net_error.h"
#include "util/net_log.h"

/* --- helpers ------------------------------------------------------------- */

struct bytes {
  uint8_t *data;
  size_t len;
  size_t cap;
};

static void bytes_append(struct bytes *b, const void *data, size_t len) {
  if (b->len + len > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + len)
      cap *= 2;
    b->data = realloc(b->data, cap);
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, len);
  b->len += len;
}

static void bytes_free(struct bytes *b) {
  free(b->data);
  memset(b, 0, sizeof(*b));
}

/* Compressible text, bigger than several 16 KiB output buffers. */
static struct bytes sample_text(size_t len) {
  static const char *const words[] = {"curl ", "chromium ", "gzip ",
                                      "brotli ", "zstd ", "deflate\n",
                                      "window ", "the "};
  struct bytes b = {0};
  uint32_t x = 12345;
  while (b.len < len) {
    x = x * 1103515245u + 12345u;
    const char *w = words[(x >> 16) % 8];
    bytes_append(&b, w, strlen(w));
  }
  b.len = len;
  return b;
}

/* windowBits: 31 gzip, 15 zlib, -15 raw deflate. */
static struct bytes zlib_compress(const uint8_t *data, size_t len,
                                  int window_bits) {
  struct bytes out = {0};
  z_stream z;
  memset(&z, 0, sizeof(z));
  deflateInit2(&z, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  out.cap = deflateBound(&z, len) + 64;
  out.data = malloc(out.cap);
  z.next_in = (Bytef *)data;
  z.avail_in = (uInt)len;
  z.next_out = out.data;
  z.avail_out = (uInt)out.cap;
  deflate(&z, Z_FINISH);
  out.len = out.cap - z.avail_out;
  deflateEnd(&z);
  return out;
}

static struct bytes gzip_of(struct bytes in) {
  return zlib_compress(in.data, in.len, 31);
}

static struct bytes br_of(struct bytes in) {
  struct bytes out = {0};
  out.cap = BrotliEncoderMaxCompressedSize(in.len) + 64;
  out.data = malloc(out.cap);
  out.len = out.cap;
  BrotliEncoderCompress(5, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, in.len,
                        in.data, &out.len, out.data);
  return out;
}

static struct bytes zstd_of(struct bytes in) {
  struct bytes out = {0};
  out.cap = ZSTD_compressBound(in.len);
  out.data = malloc(out.cap);
  out.len = ZSTD_compress(out.data, out.cap, in.data, in.len, 3);
  return out;
}

static struct bytes copy_of(const void *data, size_t len) {
  struct bytes b = {0};
  bytes_append(&b, data, len);
  return b;
}

/* The last FAIL text logged. */
static char last_fail[512];
static int num_fails;

static void capture_log(void *ctx, enum cn_net_log_type type,
                        const char *data, size_t len) {
  (void)ctx;
  if (type != CN_LOG_FAIL)
    return;
  num_fails++;
  if (len >= sizeof(last_fail))
    len = sizeof(last_fail) - 1;
  memcpy(last_fail, data, len);
  last_fail[len] = '\0';
  if (len && last_fail[len - 1] == '\n')
    last_fail[len - 1] = '\0';
}

static const struct cn_net_log test_log = {capture_log, NULL, false};

static void reset_log(void) {
  last_fail[0] = '\0';
  num_fails = 0;
}

struct sink {
  struct bytes out;
  int64_t count; /* bytes seen, also when not kept */
  bool keep;
  int fail_after; /* >0: the Nth call fails */
  int calls;
};

static int sink_fn(void *ctx, const uint8_t *data, size_t len) {
  struct sink *s = ctx;
  s->calls++;
  if (s->fail_after && s->calls >= s->fail_after)
    return CN_ERR_WRITE_CALLBACK_FAILED;
  CHECK(len > 0);
  s->count += (int64_t)len;
  if (s->keep)
    bytes_append(&s->out, data, len);
  return CN_OK;
}

static struct cn_content_decoder_chain *make_chain(
    enum cn_content_decoder_phase phase, bool decode, const char *list,
    int *out_rv) {
  struct cn_content_decoder_chain_params p = {
      .phase = phase, .decode = decode, .log = &test_log};
  struct cn_content_decoder_chain *c = NULL;
  CHECK_EQ_INT(cn_content_decoder_chain_new(&c, &p), CN_OK);
  int rv = list ? cn_content_decoder_chain_add_header(c, list, strlen(list))
                : CN_OK;
  if (out_rv)
    *out_rv = rv;
  else
    CHECK_EQ_INT(rv, CN_OK);
  return c;
}

static struct cn_content_decoder_chain *content_chain(const char *list) {
  return make_chain(CN_CONTENT_DECODER_CONTENT, true, list, NULL);
}

/* Feeds |in| in pieces of |slice| bytes (0: all at once), then finishes. */
static int run(struct cn_content_decoder_chain *c, struct bytes in,
               size_t slice, struct sink *s) {
  size_t off = 0;
  while (off < in.len) {
    size_t n = slice && slice < in.len - off ? slice : in.len - off;
    int rv = cn_content_decoder_chain_write(c, in.data + off, n, sink_fn, s);
    if (rv != CN_OK)
      return rv;
    off += n;
  }
  return cn_content_decoder_chain_finish(c);
}

/* Decodes |in| with coding list |list| sliced by |slice|; the output must
 * equal |want|. */
static void check_decodes(const char *list, struct bytes in, size_t slice,
                          struct bytes want) {
  struct cn_content_decoder_chain *c = content_chain(list);
  struct sink s = {.keep = true};
  CHECK_EQ_INT(run(c, in, slice, &s), CN_OK);
  CHECK_EQ_INT(s.out.len, want.len);
  CHECK(s.out.len == want.len && memcmp(s.out.data, want.data, want.len) == 0);
  CHECK_EQ_INT(cn_content_decoder_chain_output_bytes(c), want.len);
  cn_content_decoder_chain_free(c);
  bytes_free(&s.out);
}

/* Decodes and returns the error, with the output in |s|. */
static int decode_error(const char *list, struct bytes in, size_t slice,
                        struct sink *s) {
  struct cn_content_decoder_chain *c = content_chain(list);
  s->keep = true;
  reset_log();
  int rv = run(c, in, slice, s);
  cn_content_decoder_chain_free(c);
  return rv;
}

/* --- tests --------------------------------------------------------------- */

TEST(supported_list_is_libcurls) {
  CHECK_EQ_STR(cn_content_decoder_supported_list(), "deflate, gzip, br, zstd");
}

TEST(each_coding_round_trips) {
  struct bytes text = sample_text(200000);
  struct bytes gz = gzip_of(text);
  struct bytes zl = zlib_compress(text.data, text.len, 15);
  struct bytes raw = zlib_compress(text.data, text.len, -15);
  struct bytes br = br_of(text);
  struct bytes zs = zstd_of(text);
  CHECK(gz.len < text.len / 2 && br.len < text.len / 2);
  check_decodes("gzip", gz, 0, text);
  check_decodes("x-gzip", gz, 0, text);
  check_decodes(" GZip \r\n", gz, 0, text);
  check_decodes("gzip", zl, 0, text); /* libcurl's gzip takes zlib too */
  check_decodes("deflate", zl, 0, text);
  check_decodes("deflate", raw, 0, text); /* raw restart */
  check_decodes("br", br, 0, text);
  check_decodes("zstd", zs, 0, text);
  check_decodes("identity", text, 0, text);
  check_decodes("none", text, 0, text);
  check_decodes(NULL, text, 0, text); /* empty chain passes through */
  bytes_free(&text);
  bytes_free(&gz);
  bytes_free(&zl);
  bytes_free(&raw);
  bytes_free(&br);
  bytes_free(&zs);
}

TEST(one_byte_and_odd_slices_give_the_same_output) {
  struct bytes text = sample_text(40000);
  struct bytes gz = gzip_of(text);
  struct bytes zl = zlib_compress(text.data, text.len, 15);
  struct bytes raw = zlib_compress(text.data, text.len, -15);
  struct bytes br = br_of(text);
  struct bytes zs = zstd_of(text);
  for (size_t slice = 1; slice <= 7; slice += 3) {
    check_decodes("gzip", gz, slice, text);
    check_decodes("deflate", zl, slice, text);
    /* The raw restart survives a first write of one byte. */
    check_decodes("deflate", raw, slice, text);
    check_decodes("br", br, slice, text);
    check_decodes("zstd", zs, slice, text);
  }
  bytes_free(&text);
  bytes_free(&gz);
  bytes_free(&zl);
  bytes_free(&raw);
  bytes_free(&br);
  bytes_free(&zs);
}

TEST(chains_decode_in_reverse_listing_order) {
  struct bytes text = sample_text(50000);
  /* "gzip, br": gzip was applied first, so br is undone first. */
  struct bytes gz = gzip_of(text);
  struct bytes gz_br = br_of(gz);
  check_decodes("gzip, br", gz_br, 0, text);
  check_decodes("gzip, br", gz_br, 1, text);
  check_decodes("gzip,identity,  br", gz_br, 3, text);

  struct bytes zl = zlib_compress(text.data, text.len, 15);
  struct bytes zl_zs = zstd_of(zl);
  struct bytes zl_zs_gz = gzip_of(zl_zs);
  check_decodes("deflate, zstd, gzip", zl_zs_gz, 0, text);
  check_decodes("deflate, zstd, gzip", zl_zs_gz, 1, text);

  /* Two header lines are one list, in order. */
  struct cn_content_decoder_chain *c = content_chain("gzip");
  CHECK_EQ_INT(cn_content_decoder_chain_add_header(c, "br", 2), CN_OK);
  struct sink s = {.keep = true};
  CHECK_EQ_INT(run(c, gz_br, 0, &s), CN_OK);
  CHECK(s.out.len == text.len && memcmp(s.out.data, text.data, text.len) == 0);
  cn_content_decoder_chain_free(c);
  bytes_free(&s.out);

  /* The wrong order fails: gzip would be undone first. */
  struct sink s2 = {0};
  CHECK_EQ_INT(decode_error("br, gzip", gz_br, 0, &s2),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail, "Error while processing content unencoding: "
                          "incorrect header check");
  bytes_free(&s2.out);

  bytes_free(&text);
  bytes_free(&gz);
  bytes_free(&gz_br);
  bytes_free(&zl);
  bytes_free(&zl_zs);
  bytes_free(&zl_zs_gz);
}

TEST(response_headers_are_read_per_field) {
  struct bytes text = sample_text(3000);
  struct bytes gz = gzip_of(text);
  struct bytes gz_br = br_of(gz);
  struct cn_http_response_headers *h = cn_http_response_headers_new();
  CHECK(h != NULL);
  CHECK_EQ_INT(cn_http_response_headers_add(h, "Content-Encoding", 16, "gzip",
                                            4),
               CN_OK);
  CHECK_EQ_INT(cn_http_response_headers_add(h, "Transfer-Encoding", 17,
                                            "chunked", 7),
               CN_OK);
  CHECK_EQ_INT(cn_http_response_headers_add(h, "content-encoding", 16, " br ",
                                            4),
               CN_OK);
  struct cn_content_decoder_chain_params p = {
      .phase = CN_CONTENT_DECODER_CONTENT, .decode = true, .log = &test_log};
  struct cn_content_decoder_chain *c = NULL;
  CHECK_EQ_INT(cn_content_decoder_chain_new(&c, &p), CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_add_response_headers(c, h), CN_OK);
  CHECK(!cn_content_decoder_chain_is_empty(c));
  struct sink s = {.keep = true};
  CHECK_EQ_INT(run(c, gz_br, 5, &s), CN_OK);
  CHECK(s.out.len == text.len && memcmp(s.out.data, text.data, text.len) == 0);
  cn_content_decoder_chain_free(c);

  /* The transfer phase reads Transfer-Encoding only: chunked adds nothing. */
  p.phase = CN_CONTENT_DECODER_TRANSFER;
  p.decode = false;
  CHECK_EQ_INT(cn_content_decoder_chain_new(&c, &p), CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_add_response_headers(c, h), CN_OK);
  CHECK(cn_content_decoder_chain_is_empty(c));
  cn_content_decoder_chain_free(c);

  cn_http_response_headers_free(h);
  bytes_free(&s.out);
  bytes_free(&text);
  bytes_free(&gz);
  bytes_free(&gz_br);
}

TEST(at_most_four_stages_per_phase) {
  int rv;
  struct cn_content_decoder_chain *c =
      make_chain(CN_CONTENT_DECODER_CONTENT, true,
                 "identity, identity, identity, identity", &rv);
  CHECK_EQ_INT(rv, CN_OK);
  cn_content_decoder_chain_free(c);

  reset_log();
  c = make_chain(CN_CONTENT_DECODER_CONTENT, true,
                 "gzip, identity, br, none, zstd", &rv);
  CHECK_EQ_INT(rv, CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail,
               "Reject response due to more than 5 content encodings");
  cn_content_decoder_chain_free(c);

  /* Counted across header lines; unknown codings count too. */
  reset_log();
  c = make_chain(CN_CONTENT_DECODER_CONTENT, true, "foo, bar, baz", &rv);
  CHECK_EQ_INT(rv, CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_add_header(c, "qux", 3), CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_add_header(c, "gzip", 4),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_INT(num_fails, 1);
  cn_content_decoder_chain_free(c);

  /* Empty names and stray commas count nothing. */
  c = make_chain(CN_CONTENT_DECODER_CONTENT, true,
                 ", ,identity,,identity , ,identity,\t,identity,,", &rv);
  CHECK_EQ_INT(rv, CN_OK);
  cn_content_decoder_chain_free(c);
}

TEST(unknown_coding_fails_at_the_first_body_byte) {
  int rv;
  struct cn_content_decoder_chain *c =
      make_chain(CN_CONTENT_DECODER_CONTENT, true, "compress", &rv);
  CHECK_EQ_INT(rv, CN_OK);
  CHECK(!cn_content_decoder_chain_is_empty(c));
  /* An empty body (HEAD, 204, Content-Length: 0) is fine. */
  CHECK_EQ_INT(cn_content_decoder_chain_write(c, (const uint8_t *)"", 0,
                                              sink_fn, NULL),
               CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_finish(c), CN_OK);
  cn_content_decoder_chain_free(c);

  struct sink s = {0};
  struct bytes body = copy_of("hello", 5);
  CHECK_EQ_INT(decode_error("compress", body, 0, &s),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail, "Unrecognized content encoding type. libcurl "
                          "understands deflate, gzip, br, zstd content "
                          "encodings.");
  CHECK_EQ_INT(s.out.len, 0);
  bytes_free(&s.out);

  /* "foo, gzip": gzip is undone first and its output meets foo. */
  struct bytes gz = gzip_of(body);
  struct sink s2 = {0};
  CHECK_EQ_INT(decode_error("foo, gzip", gz, 0, &s2),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail, "Unrecognized content encoding type. libcurl "
                          "understands deflate, gzip, br, zstd content "
                          "encodings.");
  bytes_free(&s2.out);
  /* Names are matched whole. */
  struct sink s3 = {0};
  CHECK_EQ_INT(decode_error("gzipx", gz, 0, &s3),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK(strncmp(last_fail, "Unrecognized", 12) == 0);
  bytes_free(&s3.out);
  bytes_free(&gz);
  bytes_free(&body);
}

TEST(corrupt_input_fails_with_libcurls_texts) {
  /* A gzip stored block whose length check fails. */
  static const uint8_t bad_stored[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00,
                                       0x00, 0x00, 0x00, 0xff, 0x01, 0x05,
                                       0x00, 0x00, 0x00, 'h',  'e'};
  struct sink s = {0};
  struct bytes stored = copy_of(bad_stored, sizeof(bad_stored));
  CHECK_EQ_INT(decode_error("gzip", stored, 0, &s),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail, "Error while processing content unencoding: "
                          "invalid stored block lengths");
  CHECK_EQ_INT(num_fails, 1);
  bytes_free(&s.out);

  struct bytes plain = copy_of("this is not compressed at all", 29);
  struct sink s2 = {0};
  CHECK_EQ_INT(decode_error("gzip", plain, 0, &s2),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail, "Error while processing content unencoding: "
                          "incorrect header check");
  bytes_free(&s2.out);

  /* deflate tries raw after the zlib header fails; raw fails too. */
  struct sink s3 = {0};
  CHECK_EQ_INT(decode_error("deflate", plain, 0, &s3),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK(strncmp(last_fail, "Error while processing content unencoding: ",
                43) == 0);
  CHECK(strstr(last_fail, "header check") == NULL);
  bytes_free(&s3.out);

  /* A gzip stream with a flipped byte in the middle: the CRC or the data
   * breaks; output so far may have been delivered. */
  struct bytes text = sample_text(100000);
  struct bytes gz = gzip_of(text);
  gz.data[gz.len / 2] ^= 0x55;
  struct sink s4 = {0};
  CHECK_EQ_INT(decode_error("gzip", gz, 0, &s4),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK(strncmp(last_fail, "Error while processing content unencoding: ",
                43) == 0);
  bytes_free(&s4.out);

  /* brotli and zstd: libcurl has no text for these. */
  struct bytes br = br_of(text);
  br.data[br.len / 2] ^= 0x55;
  br.data[br.len / 3] ^= 0xaa;
  struct sink s5 = {0};
  int rv = decode_error("br", br, 0, &s5);
  CHECK(rv == CN_ERR_CONTENT_DECODING_FAILED ||
        rv == CN_ERR_CONTENT_DECODER_WRITE_ERROR);
  CHECK_EQ_INT(num_fails, 0);
  bytes_free(&s5.out);

  struct sink s6 = {0};
  CHECK_EQ_INT(decode_error("br", plain, 0, &s6),
               CN_ERR_CONTENT_DECODING_FAILED);
  bytes_free(&s6.out);

  struct sink s7 = {0};
  CHECK_EQ_INT(decode_error("zstd", plain, 0, &s7),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_INT(num_fails, 0);
  CHECK_EQ_INT(s7.out.len, 0);
  bytes_free(&s7.out);

  /* After an error the chain keeps returning it. */
  struct cn_content_decoder_chain *c = content_chain("gzip");
  CHECK_EQ_INT(cn_content_decoder_chain_write(c, plain.data, plain.len,
                                              sink_fn, &s7),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_INT(cn_content_decoder_chain_write(c, plain.data, plain.len,
                                              sink_fn, &s7),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_INT(cn_content_decoder_chain_finish(c),
               CN_ERR_CONTENT_DECODING_FAILED);
  cn_content_decoder_chain_free(c);

  bytes_free(&stored);
  bytes_free(&plain);
  bytes_free(&text);
  bytes_free(&gz);
  bytes_free(&br);
}

TEST(data_after_the_stream_end_is_a_write_error) {
  struct bytes a = copy_of("foo", 3), b = copy_of("bar", 3);
  struct bytes ga = gzip_of(a), gb = gzip_of(b);
  /* Two gzip members: libcurl decodes the first and fails. */
  struct bytes two = copy_of(ga.data, ga.len);
  bytes_append(&two, gb.data, gb.len);
  for (size_t slice = 0; slice <= 1; slice++) {
    struct sink s = {0};
    CHECK_EQ_INT(decode_error("gzip", two, slice, &s),
                 CN_ERR_CONTENT_DECODER_WRITE_ERROR);
    CHECK(s.out.len == 3 && memcmp(s.out.data, "foo", 3) == 0);
    CHECK_EQ_INT(num_fails, 0);
    bytes_free(&s.out);
  }

  /* Raw deflate tolerates 4 trailing bytes, not 5. */
  struct bytes raw = zlib_compress(a.data, a.len, -15);
  struct bytes raw4 = copy_of(raw.data, raw.len);
  bytes_append(&raw4, "1234", 4);
  check_decodes("deflate", raw4, 0, a);
  check_decodes("deflate", raw4, 1, a);
  struct bytes raw5 = copy_of(raw4.data, raw4.len);
  bytes_append(&raw5, "5", 1);
  struct sink s2 = {0};
  CHECK_EQ_INT(decode_error("deflate", raw5, 0, &s2),
               CN_ERR_CONTENT_DECODER_WRITE_ERROR);
  bytes_free(&s2.out);
  struct sink s3 = {0};
  CHECK_EQ_INT(decode_error("deflate", raw5, 2, &s3),
               CN_ERR_CONTENT_DECODER_WRITE_ERROR);
  bytes_free(&s3.out);

  /* A zlib-wrapped deflate tolerates nothing after its Adler-32. */
  struct bytes zl = zlib_compress(a.data, a.len, 15);
  bytes_append(&zl, "x", 1);
  struct sink s4 = {0};
  CHECK_EQ_INT(decode_error("deflate", zl, 0, &s4),
               CN_ERR_CONTENT_DECODER_WRITE_ERROR);
  bytes_free(&s4.out);

  /* brotli: one byte too many. */
  struct bytes br = br_of(a);
  bytes_append(&br, "x", 1);
  struct sink s5 = {0};
  CHECK_EQ_INT(decode_error("br", br, 0, &s5),
               CN_ERR_CONTENT_DECODER_WRITE_ERROR);
  CHECK(s5.out.len == 3 && memcmp(s5.out.data, "foo", 3) == 0);
  bytes_free(&s5.out);

  /* zstd: concatenated frames are one body. */
  struct bytes za = zstd_of(a), zb = zstd_of(b);
  struct bytes zab = copy_of(za.data, za.len);
  bytes_append(&zab, zb.data, zb.len);
  struct bytes ab = copy_of("foobar", 6);
  check_decodes("zstd", zab, 0, ab);
  check_decodes("zstd", zab, 1, ab);

  bytes_free(&a);
  bytes_free(&b);
  bytes_free(&ga);
  bytes_free(&gb);
  bytes_free(&two);
  bytes_free(&raw);
  bytes_free(&raw4);
  bytes_free(&raw5);
  bytes_free(&zl);
  bytes_free(&br);
  bytes_free(&za);
  bytes_free(&zb);
  bytes_free(&zab);
  bytes_free(&ab);
}

TEST(truncated_streams_end_without_error) {
  /* Several zstd blocks (128 KiB each), so a cut one still has output. */
  struct bytes text = sample_text(400000);
  struct bytes gz = gzip_of(text);
  struct bytes br = br_of(text);
  struct bytes zs = zstd_of(text);
  struct bytes *all[] = {&gz, &br, &zs};
  const char *names[] = {"gzip", "br", "zstd"};
  for (int i = 0; i < 3; i++) {
    struct bytes cut = copy_of(all[i]->data, all[i]->len * 2 / 3);
    struct cn_content_decoder_chain *c = content_chain(names[i]);
    struct sink s = {.keep = true};
    CHECK_EQ_INT(run(c, cut, 0, &s), CN_OK);
    CHECK(s.out.len > 0 && s.out.len < text.len);
    CHECK(memcmp(s.out.data, text.data, s.out.len) == 0);
    /* Nothing is accepted after the end of the body. */
    CHECK(cn_content_decoder_chain_write(c, cut.data, 1, sink_fn, &s) < 0);
    cn_content_decoder_chain_free(c);
    bytes_free(&s.out);
    bytes_free(&cut);
  }
  bytes_free(&text);
  bytes_free(&gz);
  bytes_free(&br);
  bytes_free(&zs);
}

TEST(output_limit_delivers_the_permitted_bytes_then_fails) {
  struct bytes text = sample_text(100000);
  struct bytes gz = gzip_of(text);
  struct cn_content_decoder_chain_params p = {
      .phase = CN_CONTENT_DECODER_CONTENT, .decode = true,
      .max_output = (int64_t)text.len, .log = &test_log};
  struct cn_content_decoder_chain *c = NULL;
  /* Exactly at the limit: fine. */
  CHECK_EQ_INT(cn_content_decoder_chain_new(&c, &p), CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_add_header(c, "gzip", 4), CN_OK);
  struct sink s = {.keep = true};
  CHECK_EQ_INT(run(c, gz, 0, &s), CN_OK);
  CHECK_EQ_INT(s.out.len, text.len);
  cn_content_decoder_chain_free(c);
  bytes_free(&s.out);

  /* One byte over. */
  p.max_output = (int64_t)text.len - 1;
  reset_log();
  CHECK_EQ_INT(cn_content_decoder_chain_new(&c, &p), CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_add_header(c, "gzip", 4), CN_OK);
  struct sink s2 = {.keep = true};
  CHECK_EQ_INT(run(c, gz, 7, &s2), CN_ERR_RESPONSE_BODY_TOO_BIG);
  CHECK_EQ_INT(s2.out.len, text.len - 1);
  CHECK(memcmp(s2.out.data, text.data, text.len - 1) == 0);
  char want[128];
  snprintf(want, sizeof(want),
           "Exceeded the maximum allowed file size (%zu) with %zu bytes",
           text.len - 1, text.len - 1);
  CHECK_EQ_STR(last_fail, want);
  cn_content_decoder_chain_free(c);
  bytes_free(&s2.out);

  /* The empty chain is limited too. */
  p.max_output = 10;
  CHECK_EQ_INT(cn_content_decoder_chain_new(&c, &p), CN_OK);
  CHECK(cn_content_decoder_chain_is_empty(c));
  struct sink s3 = {.keep = true};
  CHECK_EQ_INT(cn_content_decoder_chain_write(c, text.data, 6, sink_fn, &s3),
               CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_write(c, text.data, 6, sink_fn, &s3),
               CN_ERR_RESPONSE_BODY_TOO_BIG);
  CHECK_EQ_INT(s3.out.len, 10);
  cn_content_decoder_chain_free(c);
  bytes_free(&s3.out);
  bytes_free(&text);
  bytes_free(&gz);
}

TEST(sink_errors_stop_the_chain) {
  struct bytes text = sample_text(100000);
  struct bytes codings[3] = {gzip_of(text), br_of(text), zstd_of(text)};
  const char *names[] = {"gzip", "br", "zstd"};
  for (int i = 0; i < 3; i++) {
    struct cn_content_decoder_chain *c = content_chain(names[i]);
    struct sink s = {.fail_after = 2};
    CHECK_EQ_INT(run(c, codings[i], 0, &s), CN_ERR_WRITE_CALLBACK_FAILED);
    CHECK_EQ_INT(s.calls, 2);
    CHECK_EQ_INT(cn_content_decoder_chain_write(c, text.data, 1, sink_fn, &s),
                 CN_ERR_WRITE_CALLBACK_FAILED);
    CHECK_EQ_INT(s.calls, 2);
    cn_content_decoder_chain_free(c);
    bytes_free(&codings[i]);
  }
  bytes_free(&text);
}

TEST(content_decoding_off_ignores_the_header) {
  int rv;
  struct cn_content_decoder_chain *c =
      make_chain(CN_CONTENT_DECODER_CONTENT, false, "gzip, foo, bar, baz, x",
                 &rv);
  CHECK_EQ_INT(rv, CN_OK);
  CHECK(cn_content_decoder_chain_is_empty(c));
  cn_content_decoder_chain_free(c);
}

TEST(transfer_encoding_rules_match_libcurl) {
  int rv;
  struct cn_content_decoder_chain *c;
  /* Not requested (CURLOPT_TRANSFER_ENCODING off). */
  const char *ok_lists[] = {"chunked", "identity, chunked", "Chunked",
                            "identityx, chunked", "chunked, chunked"};
  for (size_t i = 0; i < sizeof(ok_lists) / sizeof(ok_lists[0]); i++) {
    c = make_chain(CN_CONTENT_DECODER_TRANSFER, false, ok_lists[i], &rv);
    CHECK_EQ_INT(rv, CN_OK);
    CHECK(cn_content_decoder_chain_is_empty(c));
    cn_content_decoder_chain_free(c);
  }
  reset_log();
  c = make_chain(CN_CONTENT_DECODER_TRANSFER, false, "gzip, chunked", &rv);
  CHECK_EQ_INT(rv, CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail, "Unsolicited Transfer-Encoding (gzip) found");
  cn_content_decoder_chain_free(c);
  reset_log();
  c = make_chain(CN_CONTENT_DECODER_TRANSFER, false, "chunked, identity",
                 &rv);
  CHECK_EQ_INT(rv, CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail,
               "A Transfer-Encoding (identity) was listed after chunked");
  cn_content_decoder_chain_free(c);
  /* CURLOPT_HTTP_TRANSFER_DECODING 0: unrequested codings are let be. */
  struct cn_content_decoder_chain_params p = {
      .phase = CN_CONTENT_DECODER_TRANSFER, .skip_transfer = true,
      .log = &test_log};
  CHECK_EQ_INT(cn_content_decoder_chain_new(&c, &p), CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_add_header(c, "gzip, chunked", 13),
               CN_OK);
  CHECK(cn_content_decoder_chain_is_empty(c));
  cn_content_decoder_chain_free(c);

  /* Requested. */
  struct bytes text = sample_text(20000);
  struct bytes gz = gzip_of(text);
  c = make_chain(CN_CONTENT_DECODER_TRANSFER, true, "gzip, chunked", &rv);
  CHECK_EQ_INT(rv, CN_OK);
  struct sink s = {.keep = true};
  CHECK_EQ_INT(run(c, gz, 100, &s), CN_OK);
  CHECK(s.out.len == text.len && memcmp(s.out.data, text.data, text.len) == 0);
  cn_content_decoder_chain_free(c);
  bytes_free(&s.out);

  reset_log();
  c = make_chain(CN_CONTENT_DECODER_TRANSFER, true, "chunked, gzip", &rv);
  CHECK_EQ_INT(rv, CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail, "Reject response due to 'chunked' not being the "
                          "last Transfer-Encoding");
  cn_content_decoder_chain_free(c);
  /* Across lines too. */
  reset_log();
  c = make_chain(CN_CONTENT_DECODER_TRANSFER, true, "chunked", &rv);
  CHECK_EQ_INT(rv, CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_add_header(c, "identity", 8),
               CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail, "Reject response due to 'chunked' not being the "
                          "last Transfer-Encoding");
  cn_content_decoder_chain_free(c);
  /* chunked counts toward the limit. */
  c = make_chain(CN_CONTENT_DECODER_TRANSFER, true,
                 "identity, identity, identity, chunked", &rv);
  CHECK_EQ_INT(rv, CN_OK);
  cn_content_decoder_chain_free(c);
  reset_log();
  c = make_chain(CN_CONTENT_DECODER_TRANSFER, true,
                 "identity, identity, identity, identity, chunked", &rv);
  CHECK_EQ_INT(rv, CN_ERR_CONTENT_DECODING_FAILED);
  CHECK_EQ_STR(last_fail,
               "Reject response due to more than 5 content encodings");
  cn_content_decoder_chain_free(c);
  /* Unknown transfer coding: deferred like a content coding. */
  c = make_chain(CN_CONTENT_DECODER_TRANSFER, true, "foo, chunked", &rv);
  CHECK_EQ_INT(rv, CN_OK);
  struct sink s2 = {0};
  CHECK_EQ_INT(run(c, text, 0, &s2), CN_ERR_CONTENT_DECODING_FAILED);
  cn_content_decoder_chain_free(c);
  bytes_free(&text);
  bytes_free(&gz);
}

/* --- bounded memory: a 1 GiB gzip bomb ----------------------------------- */

#define MiB ((size_t)1 << 20)

static size_t live_bytes, peak_bytes;

static void *sized_malloc(size_t n) {
  size_t *p = malloc(n + 16);
  if (!p)
    return NULL;
  p[0] = n;
  live_bytes += n;
  if (live_bytes > peak_bytes)
    peak_bytes = live_bytes;
  return (char *)p + 16;
}

static void *sized_calloc(size_t a, size_t b) {
  if (b && a > SIZE_MAX / b)
    return NULL;
  void *p = sized_malloc(a * b);
  if (p)
    memset(p, 0, a * b);
  return p;
}

static void sized_free(void *ptr) {
  if (!ptr)
    return;
  size_t *p = (size_t *)((char *)ptr - 16);
  live_bytes -= p[0];
  free(p);
}

static void *sized_realloc(void *ptr, size_t n) {
  void *q = sized_malloc(n);
  if (q && ptr) {
    size_t old = ((size_t *)((char *)ptr - 16))[0];
    memcpy(q, ptr, old < n ? old : n);
    sized_free(ptr);
  }
  return q;
}

/* gzip of 1 GiB of zeros, about 1 MiB: after a full flush deflate restarts
 * from nothing, so the compressed 1 MiB segment repeats unchanged. */
static struct bytes gzip_bomb(void) {
  static const uint8_t header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
  uint8_t *zeros = calloc(1, MiB);
  struct bytes seg[2] = {{0}, {0}};
  struct bytes bomb = {0};
  z_stream z;
  memset(&z, 0, sizeof(z));
  deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
  uint8_t *out = malloc(MiB);
  for (int i = 0; i < 2; i++) {
    z.next_in = zeros;
    z.avail_in = (uInt)MiB;
    z.next_out = out;
    z.avail_out = (uInt)MiB;
    deflate(&z, Z_FULL_FLUSH);
    seg[i] = copy_of(out, MiB - z.avail_out);
  }
  CHECK(seg[0].len == seg[1].len &&
        memcmp(seg[0].data, seg[1].data, seg[0].len) == 0);
  z.next_in = zeros;
  z.avail_in = 0;
  z.next_out = out;
  z.avail_out = (uInt)MiB;
  deflate(&z, Z_FINISH);
  size_t final_len = MiB - z.avail_out;
  deflateEnd(&z);

  uLong crc_seg = crc32(0, zeros, (uInt)MiB), crc = crc_seg;
  bytes_append(&bomb, header, sizeof(header));
  bytes_append(&bomb, seg[0].data, seg[0].len);
  for (int i = 1; i < 1024; i++) {
    bytes_append(&bomb, seg[1].data, seg[1].len);
    crc = crc32_combine(crc, crc_seg, (z_off_t)MiB);
  }
  bytes_append(&bomb, out, final_len);
  uint32_t isize = (uint32_t)(1024 * MiB); /* mod 2^32 */
  uint8_t trailer[8];
  for (int i = 0; i < 4; i++) {
    trailer[i] = (uint8_t)(crc >> (8 * i));
    trailer[4 + i] = (uint8_t)(isize >> (8 * i));
  }
  bytes_append(&bomb, trailer, sizeof(trailer));
  free(out);
  free(zeros);
  bytes_free(&seg[0]);
  bytes_free(&seg[1]);
  return bomb;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long max_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

TEST(gzip_bomb_stops_at_the_limit_with_bounded_memory) {
  struct bytes bomb = gzip_bomb();
  CHECK(bomb.len > 512 * 1024 && bomb.len < 2 * MiB);
  cn_alloc_set_functions(sized_malloc, sized_free, sized_realloc, NULL,
                         sized_calloc);
  long rss_before = max_rss_kb();

  /* Limited to 100 MiB: stops there, quickly. */
  live_bytes = peak_bytes = 0;
  struct cn_content_decoder_chain_params p = {
      .phase = CN_CONTENT_DECODER_CONTENT, .decode = true,
      .max_output = (int64_t)(100 * MiB), .log = &test_log};
  struct cn_content_decoder_chain *c = NULL;
  CHECK_EQ_INT(cn_content_decoder_chain_new(&c, &p), CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_add_header(c, "gzip", 4), CN_OK);
  struct sink s = {0};
  double t0 = now_s();
  CHECK_EQ_INT(run(c, bomb, 16384, &s), CN_ERR_RESPONSE_BODY_TOO_BIG);
  double took = now_s() - t0;
  CHECK_EQ_INT(s.count, (int64_t)(100 * MiB));
  CHECK(took < 20.0);
  cn_content_decoder_chain_free(c);
  CHECK_EQ_INT(live_bytes, 0);
  /* zlib's state and 32 KiB window plus one 16 KiB buffer. */
  CHECK(peak_bytes < 128 * 1024);

  /* Unlimited, the whole GiB streams through with the same memory (zlib
   * checks the CRC and length at the end). */
  live_bytes = peak_bytes = 0;
  p.max_output = 0;
  CHECK_EQ_INT(cn_content_decoder_chain_new(&c, &p), CN_OK);
  CHECK_EQ_INT(cn_content_decoder_chain_add_header(c, "gzip", 4), CN_OK);
  struct sink s2 = {0};
  CHECK_EQ_INT(run(c, bomb, 65536, &s2), CN_OK);
  CHECK_EQ_INT(s2.count, (int64_t)(1024 * MiB));
  cn_content_decoder_chain_free(c);
  CHECK_EQ_INT(live_bytes, 0);
  CHECK(peak_bytes < 128 * 1024);

  CHECK(max_rss_kb() - rss_before < 16 * 1024);
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
  bytes_free(&bomb);
}

/* --- allocation failures ------------------------------------------------- */

static struct bytes fail_input[4];
static const char *const fail_lists[4] = {"gzip, br", "deflate", "zstd",
                                          "identity, x-gzip"};
static struct bytes fail_text;

static int fail_scenario(int which) {
  struct cn_content_decoder_chain_params p = {
      .phase = CN_CONTENT_DECODER_CONTENT, .decode = true, .log = NULL};
  struct cn_content_decoder_chain *c = NULL;
  int rv = cn_content_decoder_chain_new(&c, &p);
  if (rv != CN_OK)
    return rv;
  const char *list = fail_lists[which];
  struct sink s = {0};
  rv = cn_content_decoder_chain_add_header(c, list, strlen(list));
  if (rv == CN_OK)
    rv = run(c, fail_input[which], 1000, &s);
  if (rv == CN_OK && s.count != (int64_t)fail_text.len)
    rv = CN_ERR_UNEXPECTED;
  cn_content_decoder_chain_free(c);
  return rv;
}

TEST(allocation_failures_return_out_of_memory_and_leak_nothing) {
  fail_text = sample_text(30000);
  struct bytes gz = gzip_of(fail_text);
  fail_input[0] = br_of(gz);
  fail_input[1] = zlib_compress(fail_text.data, fail_text.len, 15);
  fail_input[2] = zstd_of(fail_text);
  fail_input[3] = gzip_of(fail_text);
  for (int i = 0; i < 4; i++)
    FAIL_LOOP(fail_scenario(i));
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
  for (int i = 0; i < 4; i++)
    bytes_free(&fail_input[i]);
  bytes_free(&gz);
  bytes_free(&fail_text);
}

TEST_MAIN(supported_list_is_libcurls, each_coding_round_trips,
          one_byte_and_odd_slices_give_the_same_output,
          chains_decode_in_reverse_listing_order,
          response_headers_are_read_per_field, at_most_four_stages_per_phase,
          unknown_coding_fails_at_the_first_body_byte,
          corrupt_input_fails_with_libcurls_texts,
          data_after_the_stream_end_is_a_write_error,
          truncated_streams_end_without_error,
          output_limit_delivers_the_permitted_bytes_then_fails,
          sink_errors_stop_the_chain, content_decoding_off_ignores_the_header,
          transfer_encoding_rules_match_libcurl,
          gzip_bomb_stops_at_the_limit_with_bounded_memory,
          allocation_failures_return_out_of_memory_and_leak_nothing)
