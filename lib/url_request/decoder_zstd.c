/* decoder_zstd.c: "zstd" on libzstd's streaming decompressor, as libcurl
 * 8.14 runs it: any zstd error is CN_ERR_CONTENT_DECODING_FAILED with no
 * text (libcurl logs none) except an allocation failure, which is
 * CN_ERR_OUT_OF_MEMORY. Several concatenated frames decode as one body;
 * bytes that are no frame are an error. The window limit is zstd's default
 * (libcurl sets none). zstd allocates through cn_malloc/cn_free. */
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_createDStream_advanced */
#include <zstd.h>
#include <zstd_errors.h>

#include "url_request/content_decoder_stage.h"
#include "util/alloc.h"
#include "util/net_error.h"

struct zstd_decoder {
  struct cn_content_decoder_stage base;
  ZSTD_DStream *zds;
  uint8_t buf[CN_DECODER_BUFFER_SIZE];
};

static void *zstd_alloc(void *opaque, size_t size) {
  (void)opaque;
  return cn_malloc(size);
}

static void zstd_free_cb(void *opaque, void *ptr) {
  (void)opaque;
  cn_free(ptr);
}

static int zstd_write(struct cn_content_decoder_stage *s, const uint8_t *data,
                      size_t len, cn_decoder_emit_fn emit, void *emit_ctx) {
  struct zstd_decoder *d = (struct zstd_decoder *)s;
  ZSTD_inBuffer in = {data, len, 0};
  for (;;) {
    ZSTD_outBuffer out = {d->buf, sizeof(d->buf), 0};
    size_t ret = ZSTD_decompressStream(d->zds, &out, &in);
    if (ZSTD_isError(ret)) {
      if (ZSTD_getErrorCode(ret) == ZSTD_error_memory_allocation)
        return CN_ERR_OUT_OF_MEMORY;
      return CN_ERR_CONTENT_DECODING_FAILED;
    }
    if (out.pos) {
      int rv = emit(emit_ctx, d->buf, out.pos);
      if (rv < 0)
        return rv;
    }
    if (in.pos == in.size && out.pos < out.size)
      return CN_OK;
  }
}

static void zstd_stage_free(struct cn_content_decoder_stage *s) {
  struct zstd_decoder *d = (struct zstd_decoder *)s;
  ZSTD_freeDStream(d->zds);
  cn_free(d);
}

static const struct cn_content_decoder_stage_ops zstd_ops = {
    "zstd", zstd_write, zstd_stage_free};

int cn_content_decoder_zstd_new(struct cn_content_decoder_stage **out_stage,
                                const struct cn_net_log *log) {
  struct zstd_decoder *d = cn_malloc(sizeof(*d));
  if (!d)
    return CN_ERR_OUT_OF_MEMORY;
  d->base.ops = &zstd_ops;
  d->base.log = log;
  ZSTD_customMem mem = {zstd_alloc, zstd_free_cb, NULL};
  d->zds = ZSTD_createDStream_advanced(mem);
  if (!d->zds) {
    cn_free(d);
    return CN_ERR_OUT_OF_MEMORY;
  }
  *out_stage = &d->base;
  return CN_OK;
}
