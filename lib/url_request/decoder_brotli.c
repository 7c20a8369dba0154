/* decoder_brotli.c: "br" on libbrotlidec's streaming decoder, with libcurl
 * 8.14's result mapping: the format errors it lists are
 * CN_ERR_CONTENT_DECODING_FAILED, allocation errors CN_ERR_OUT_OF_MEMORY,
 * and everything else (bytes after the end of the stream, a write after
 * it, the format errors libcurl does not list such as a reserved bit or a
 * bad distance) CN_ERR_CONTENT_DECODER_WRITE_ERROR. libcurl logs no text
 * for any of them. Brotli allocates through cn_malloc/cn_free. */
#include <brotli/decode.h>
#include <stdint.h>
#include <string.h>

#include "url_request/content_decoder_stage.h"
#include "util/alloc.h"
#include "util/net_error.h"

struct brotli_decoder {
  struct cn_content_decoder_stage base;
  BrotliDecoderState *br; /* NULL once the stream has ended */
  uint8_t buf[CN_DECODER_BUFFER_SIZE];
};

static void *br_alloc(void *opaque, size_t size) {
  (void)opaque;
  return cn_malloc(size);
}

static void br_free(void *opaque, void *ptr) {
  (void)opaque;
  cn_free(ptr);
}

static int map_error(BrotliDecoderErrorCode code) {
  switch (code) {
  case BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE:
  case BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE:
  case BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET:
  case BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME:
  case BROTLI_DECODER_ERROR_FORMAT_CL_SPACE:
  case BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE:
  case BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT:
  case BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1:
  case BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2:
  case BROTLI_DECODER_ERROR_FORMAT_TRANSFORM:
  case BROTLI_DECODER_ERROR_FORMAT_DICTIONARY:
  case BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS:
  case BROTLI_DECODER_ERROR_FORMAT_PADDING_1:
  case BROTLI_DECODER_ERROR_FORMAT_PADDING_2:
  case BROTLI_DECODER_ERROR_INVALID_ARGUMENTS:
    return CN_ERR_CONTENT_DECODING_FAILED;
  case BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES:
  case BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS:
  case BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP:
  case BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1:
  case BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2:
  case BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES:
    return CN_ERR_OUT_OF_MEMORY;
  default:
    break;
  }
  return CN_ERR_CONTENT_DECODER_WRITE_ERROR;
}

static int brotli_write(struct cn_content_decoder_stage *s,
                        const uint8_t *data, size_t len,
                        cn_decoder_emit_fn emit, void *emit_ctx) {
  struct brotli_decoder *d = (struct brotli_decoder *)s;
  if (!d->br)
    return CN_ERR_CONTENT_DECODER_WRITE_ERROR; /* stream already ended */

  int rv = CN_OK;
  BrotliDecoderResult r = BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT;
  while ((len || r == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) &&
         rv == CN_OK) {
    uint8_t *dst = d->buf;
    size_t dst_left = sizeof(d->buf);
    r = BrotliDecoderDecompressStream(d->br, &len, &data, &dst_left, &dst,
                                      NULL);
    size_t produced = sizeof(d->buf) - dst_left;
    if (produced) {
      rv = emit(emit_ctx, d->buf, produced);
      if (rv < 0)
        break;
    }
    switch (r) {
    case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
    case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
      break;
    case BROTLI_DECODER_RESULT_SUCCESS:
      BrotliDecoderDestroyInstance(d->br);
      d->br = NULL;
      if (len)
        rv = CN_ERR_CONTENT_DECODER_WRITE_ERROR;
      break;
    default:
      rv = map_error(BrotliDecoderGetErrorCode(d->br));
      break;
    }
  }
  return rv;
}

static void brotli_free(struct cn_content_decoder_stage *s) {
  struct brotli_decoder *d = (struct brotli_decoder *)s;
  if (d->br)
    BrotliDecoderDestroyInstance(d->br);
  cn_free(d);
}

static const struct cn_content_decoder_stage_ops brotli_ops = {
    "br", brotli_write, brotli_free};

int cn_content_decoder_brotli_new(struct cn_content_decoder_stage **out_stage,
                                  const struct cn_net_log *log) {
  struct brotli_decoder *d = cn_malloc(sizeof(*d));
  if (!d)
    return CN_ERR_OUT_OF_MEMORY;
  d->base.ops = &brotli_ops;
  d->base.log = log;
  d->br = BrotliDecoderCreateInstance(br_alloc, br_free, NULL);
  if (!d->br) {
    cn_free(d);
    return CN_ERR_OUT_OF_MEMORY;
  }
  *out_stage = &d->base;
  return CN_OK;
}
