/* h1_response_fuzzer.c: libFuzzer target for the HTTP/1 response path: the
 * head parser (1xx heads included), then the body reader with its chunked
 * decoder, fed in slices chosen by the input. It also checks that feeding
 * everything at once and feeding in slices agree (a differential check:
 * any disagreement traps).
 *
 * Not wired into meson. Build with clang from the repository root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 \
 *     -D_GNU_SOURCE -Ilib -Iinclude tests/fuzz/h1_response_fuzzer.c \
 *     lib/http/h1/response_parser.c lib/http/h1/chunked_decoder.c \
 *     lib/http/h1/body_reader.c lib/http/http_response_headers.c \
 *     lib/util/alloc.c lib/util/buf.c lib/util/net_error.c \
 *     -o /tmp/h1_response_fuzzer
 *   /tmp/h1_response_fuzzer -max_len=4096 corpus_dir/
 *
 * Input layout: byte 0 = option bits (reused connection, via proxy, ignore
 * Content-Length, HEAD request), byte 1 = slice size, the rest = the bytes
 * a server sent. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/h1/body_reader.h"
#include "http/h1/response_parser.h"
#include "util/net_error.h"

struct outcome {
  int rv;             /* first error, or CN_OK */
  int eof_rv;         /* the end-of-stream verdict */
  size_t heads;       /* complete heads */
  size_t head_bytes;  /* bytes the heads took */
  int status;         /* final status, or 0 */
  uint64_t body_len;  /* decoded body bytes */
  uint64_t body_hash; /* FNV-1a of the decoded body */
  size_t trailers;
  bool reusable;
};

static void hash(struct outcome *o, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    o->body_hash ^= p[i];
    o->body_hash *= 1099511628211ull;
  }
  o->body_len += n;
}

static struct outcome run(uint8_t flags, const uint8_t *data, size_t len,
                          size_t slice) {
  struct outcome o;
  memset(&o, 0, sizeof(o));
  o.body_hash = 1469598103934665603ull;
  struct cn_h1_response_parser_options opts = {0};
  opts.reused_connection = flags & 1;
  opts.via_http_proxy = flags & 2;
  opts.ignore_content_length = flags & 4;
  bool was_head = flags & 8;
  static const char *const aliases[] = {"ICY"};
  if (flags & 16) {
    opts.http200_aliases = aliases;
    opts.num_http200_aliases = 1;
  }

  /* The body is decoded in place, so work on a copy. */
  uint8_t *buf = malloc(len ? len : 1);
  if (!buf)
    abort();
  memcpy(buf, data, len);

  struct cn_h1_response_parser p;
  cn_h1_response_parser_init(&p, &opts);
  struct cn_http_response_headers *head = NULL;
  size_t pos = 0;
  while (!head) {
    size_t n = len - pos < slice ? len - pos : slice;
    size_t used = 0;
    bool complete = false;
    if (n == 0) {
      o.rv = cn_h1_response_parser_finish(&p, &complete);
      if (o.rv == CN_OK && complete)
        head = cn_h1_response_parser_take_headers(&p);
      else if (o.rv == CN_OK)
        abort(); /* finish must decide */
      break;
    }
    o.rv = cn_h1_response_parser_feed(&p, &used, &complete, buf + pos, n);
    if (o.rv != CN_OK)
      break;
    if (used > n)
      abort();
    pos += used;
    if (!complete)
      continue;
    o.heads++;
    const struct cn_http_response_headers *h =
        cn_h1_response_parser_headers(&p);
    int code = h->status_code;
    if (code >= 100 && code < 200 && code != 101)
      cn_h1_response_parser_next_head(&p);
    else
      head = cn_h1_response_parser_take_headers(&p);
  }
  o.head_bytes = pos;
  if (cn_h1_response_parser_total_header_bytes(&p) >
      CN_H1_MAX_RESPONSE_HEADERS + CN_H1_MAX_HEADER_LINE)
    abort();
  cn_h1_response_parser_cleanup(&p);

  if (head) {
    o.status = head->status_code;
    struct cn_h1_body_reader br;
    o.rv = cn_h1_body_reader_init(&br, head, was_head);
    if (o.rv == CN_OK && opts.ignore_content_length)
      cn_h1_body_reader_ignore_content_length(&br);
    while (o.rv == CN_OK && pos < len && !cn_h1_body_reader_is_done(&br)) {
      size_t n = len - pos < slice ? len - pos : slice;
      size_t used = 0, got = 0;
      o.rv = cn_h1_body_reader_feed(&br, &used, &got, buf + pos, n,
                                    buf + pos, n);
      if (o.rv != CN_OK)
        break;
      if (used > n || got > used)
        abort();
      hash(&o, buf + pos, got);
      pos += used;
      struct cn_h1_chunked_decoder *d = cn_h1_body_reader_chunked_decoder(&br);
      if (d) {
        o.trailers += cn_h1_chunked_decoder_num_trailers(d);
        cn_h1_chunked_decoder_clear_trailers(d);
      }
      if (used == 0 && !cn_h1_body_reader_is_done(&br))
        abort(); /* no progress with room in the output */
    }
    if (o.rv == CN_OK) {
      if (pos < len) {
        size_t used, got;
        uint8_t out[1];
        if (cn_h1_body_reader_feed(&br, &used, &got, out, 1, buf + pos,
                                   len - pos) != CN_OK ||
            used || got)
          abort();
      }
      o.eof_rv = cn_h1_body_reader_on_eof(&br);
      o.reusable = cn_h1_body_reader_is_reusable(&br);
    }
    cn_h1_body_reader_cleanup(&br);
    cn_http_response_headers_free(head);
  }
  free(buf);
  return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  uint8_t flags = data[0];
  size_t slice = (size_t)data[1] % 32 + 1;
  data += 2;
  size -= 2;
  struct outcome whole = run(flags, data, size, size ? size : 1);
  struct outcome sliced = run(flags, data, size, slice);
  /* Trailer counts and reuse depend on where a slice ends relative to the
   * end of the body, so only the stable parts are compared. */
  if (whole.rv != sliced.rv || whole.heads != sliced.heads ||
      whole.status != sliced.status)
    __builtin_trap();
  if (whole.rv == CN_OK &&
      (whole.head_bytes != sliced.head_bytes ||
       whole.body_len != sliced.body_len ||
       whole.body_hash != sliced.body_hash ||
       whole.eof_rv != sliced.eof_rv || whole.trailers != sliced.trailers))
    __builtin_trap();
  return 0;
}
