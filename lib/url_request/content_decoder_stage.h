/* content_decoder_stage.h: the interface between the decoder chain
 * (content_decoder.c) and the per-coding decoders (decoder_gzip.c,
 * decoder_brotli.c, decoder_zstd.c). Private to lib/url_request.
 *
 * A stage decodes bytes pushed by write() and passes its output, in pieces
 * of at most CN_DECODER_BUFFER_SIZE bytes, to |emit|, which runs the rest of
 * the chain. The chain owns its stages and frees them with ops->free. */
#ifndef CN_URL_REQUEST_CONTENT_DECODER_STAGE_H
#define CN_URL_REQUEST_CONTENT_DECODER_STAGE_H

#include <stddef.h>
#include <stdint.h>

struct cn_net_log;

/* libcurl's DECOMPRESS_BUFFER_SIZE: one output buffer per stage. */
#define CN_DECODER_BUFFER_SIZE 16384

typedef int (*cn_decoder_emit_fn)(void *ctx, const uint8_t *data, size_t len);

struct cn_content_decoder_stage;

struct cn_content_decoder_stage_ops {
  const char *name;
  /* Decodes |len| > 0 bytes. Returns CN_OK or a negative error (an error
   * from |emit| is returned as is). */
  int (*write)(struct cn_content_decoder_stage *s, const uint8_t *data,
               size_t len, cn_decoder_emit_fn emit, void *emit_ctx);
  void (*free)(struct cn_content_decoder_stage *s);
};

/* Embedded first in each decoder's struct. */
struct cn_content_decoder_stage {
  const struct cn_content_decoder_stage_ops *ops;
  const struct cn_net_log *log; /* borrowed, may be NULL */
};

/* Constructors: CN_OK and *out_stage set, or CN_ERR_OUT_OF_MEMORY. */
int cn_content_decoder_gzip_new(struct cn_content_decoder_stage **out_stage,
                                const struct cn_net_log *log);
int cn_content_decoder_deflate_new(
    struct cn_content_decoder_stage **out_stage, const struct cn_net_log *log);
int cn_content_decoder_brotli_new(struct cn_content_decoder_stage **out_stage,
                                  const struct cn_net_log *log);
int cn_content_decoder_zstd_new(struct cn_content_decoder_stage **out_stage,
                                const struct cn_net_log *log);

#endif
