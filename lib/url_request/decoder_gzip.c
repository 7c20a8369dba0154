/* decoder_gzip.c: "gzip" and "deflate" on zlib's inflate, with libcurl
 * 8.14's state machine:
 * - gzip inflates with automatic header detection (a zlib stream is
 *   accepted too); bytes after the end of the stream, such as a second gzip
 *   member, are a write error, as in libcurl.
 * - deflate expects a zlib stream. Servers that send raw deflate get a
 *   restart in raw mode when inflate rejects the data before any output,
 *   and then up to 4 trailing bytes (a stray Adler-32) are tolerated.
 *   libcurl allows that restart only within the first body write; here it
 *   stays possible until two bytes (a whole zlib header) have been seen, so
 *   the result does not depend on how the network split the first bytes.
 * - A truncated stream is not an error (libcurl does not check at EOF).
 * zlib allocates through cn_calloc/cn_free. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <zlib.h>

#include "url_request/content_decoder_stage.h"
#include "util/alloc.h"
#include "util/net_error.h"
#include "util/net_log.h"

#if !defined(ZLIB_VERNUM) || (ZLIB_VERNUM < 0x1252)
#error "requires zlib 1.2.5.2 or newer"
#endif

enum zlib_state {
  ZLIB_UNINIT,            /* ended, failed, or never started */
  ZLIB_INIT,              /* deflate: a raw restart is still possible */
  ZLIB_INFLATING,         /* deflate: output started */
  ZLIB_EXTERNAL_TRAILER,  /* raw deflate ended: eating its trailer */
  ZLIB_INIT_GZIP,         /* gzip: inflating with header detection */
};

struct zlib_decoder {
  struct cn_content_decoder_stage base;
  enum zlib_state state;
  unsigned trailer_len; /* trailing bytes still tolerated */
  /* deflate: the bytes seen while in ZLIB_INIT (fewer than 2), replayed on
   * a raw restart. */
  uint8_t prefix[2];
  size_t prefix_len;
  z_stream z;
  uint8_t buf[CN_DECODER_BUFFER_SIZE];
};

static voidpf zalloc_cb(voidpf opaque, uInt items, uInt size) {
  (void)opaque;
  return cn_calloc(items, size);
}

static void zfree_cb(voidpf opaque, voidpf ptr) {
  (void)opaque;
  cn_free(ptr);
}

static int zlib_error(struct zlib_decoder *d, int status) {
  if (status == Z_MEM_ERROR)
    return CN_ERR_OUT_OF_MEMORY;
  if (d->z.msg)
    cn_net_log_fail(d->base.log,
                    "Error while processing content unencoding: %s",
                    d->z.msg);
  else
    cn_net_log_fail(d->base.log, "Error while processing content "
                    "unencoding: Unknown failure within decompression "
                    "software.");
  return CN_ERR_CONTENT_DECODING_FAILED;
}

/* Ends zlib's stream once; keeps |rv| unless ending fails while rv is OK. */
static int exit_zlib(struct zlib_decoder *d, int rv) {
  if (d->state != ZLIB_UNINIT) {
    if (inflateEnd(&d->z) != Z_OK && rv == CN_OK)
      rv = zlib_error(d, Z_STREAM_ERROR);
    d->state = ZLIB_UNINIT;
  }
  return rv;
}

static int process_trailer(struct zlib_decoder *d) {
  z_stream *z = &d->z;
  uInt len = z->avail_in < d->trailer_len ? z->avail_in : d->trailer_len;
  d->trailer_len -= len;
  z->avail_in -= len;
  z->next_in += len;
  int rv = z->avail_in ? CN_ERR_CONTENT_DECODER_WRITE_ERROR : CN_OK;
  if (rv != CN_OK || !d->trailer_len)
    return exit_zlib(d, rv);
  d->state = ZLIB_EXTERNAL_TRAILER; /* raw deflate: trailer may follow */
  return CN_OK;
}

/* Switches a deflate stream that failed its zlib header to raw deflate and
 * re-feeds the bytes already given to zlib. Returns CN_OK to go on inflating
 * z's input again from |orig_in|, or an error. */
static int restart_raw(struct zlib_decoder *d, const Bytef *orig_in,
                       uInt orig_len) {
  z_stream *z = &d->z;
  if (inflateReset2(z, -MAX_WBITS) != Z_OK) {
    d->state = ZLIB_UNINIT; /* inflateReset2 failed: nothing to end */
    inflateEnd(z);
    return zlib_error(d, Z_DATA_ERROR);
  }
  d->state = ZLIB_INFLATING;
  d->trailer_len = 4;
  if (d->prefix_len) {
    /* Fewer than 2 bytes can hold no whole deflate symbol, so this yields
     * no output; it can only fail (a reserved block type). */
    z->next_in = d->prefix;
    z->avail_in = (uInt)d->prefix_len;
    z->next_out = d->buf;
    z->avail_out = sizeof(d->buf);
    int status = inflate(z, Z_BLOCK);
    if (status != Z_OK && status != Z_BUF_ERROR)
      return exit_zlib(d, zlib_error(d, status));
  }
  z->next_in = (Bytef *)orig_in;
  z->avail_in = orig_len;
  return CN_OK;
}

static int inflate_stream(struct zlib_decoder *d, cn_decoder_emit_fn emit,
                          void *emit_ctx, enum zlib_state started) {
  z_stream *z = &d->z;
  uInt nread = z->avail_in;
  const Bytef *orig_in = z->next_in;
  int rv = CN_OK;

  if (d->state != ZLIB_INIT && d->state != ZLIB_INFLATING &&
      d->state != ZLIB_INIT_GZIP)
    return exit_zlib(d, CN_ERR_CONTENT_DECODER_WRITE_ERROR);

  bool done = false;
  while (!done) {
    done = true;
    z->next_out = d->buf;
    z->avail_out = sizeof(d->buf);
    int status = inflate(z, Z_BLOCK);

    size_t produced = sizeof(d->buf) - z->avail_out;
    if (produced && (status == Z_OK || status == Z_STREAM_END)) {
      d->state = started;
      rv = emit(emit_ctx, d->buf, produced);
      if (rv < 0)
        return exit_zlib(d, rv);
    }

    switch (status) {
    case Z_OK:
      done = false; /* zlib may hold more output */
      break;
    case Z_BUF_ERROR:
      break; /* no progress possible: input used up */
    case Z_STREAM_END:
      rv = process_trailer(d);
      break;
    case Z_DATA_ERROR:
      if (d->state == ZLIB_INIT) {
        /* Some servers send deflate without the zlib wrapper. */
        rv = restart_raw(d, orig_in, nread);
        if (rv == CN_OK)
          done = false;
        break;
      }
      rv = exit_zlib(d, zlib_error(d, status));
      break;
    default:
      rv = exit_zlib(d, zlib_error(d, status));
      break;
    }
  }

  /* These bytes will not be seen again: once the zlib header is complete
   * a raw restart can no longer replay it. */
  if (d->state == ZLIB_INIT) {
    if (d->prefix_len + nread >= sizeof(d->prefix)) {
      d->state = started;
    } else {
      memcpy(d->prefix + d->prefix_len, orig_in, nread);
      d->prefix_len += nread;
    }
  }
  return rv;
}

/* zlib counts input in uInt; feed huge writes in slices. */
#define MAX_SLICE ((size_t)1 << 30)

static int deflate_write(struct cn_content_decoder_stage *s,
                         const uint8_t *data, size_t len,
                         cn_decoder_emit_fn emit, void *emit_ctx) {
  struct zlib_decoder *d = (struct zlib_decoder *)s;
  int rv = CN_OK;
  while (len && rv == CN_OK) {
    size_t n = len < MAX_SLICE ? len : MAX_SLICE;
    d->z.next_in = (Bytef *)data;
    d->z.avail_in = (uInt)n;
    if (d->state == ZLIB_EXTERNAL_TRAILER)
      rv = process_trailer(d);
    else
      rv = inflate_stream(d, emit, emit_ctx, ZLIB_INFLATING);
    data += n;
    len -= n;
  }
  return rv;
}

static int gzip_write(struct cn_content_decoder_stage *s, const uint8_t *data,
                      size_t len, cn_decoder_emit_fn emit, void *emit_ctx) {
  struct zlib_decoder *d = (struct zlib_decoder *)s;
  int rv = CN_OK;
  while (len && rv == CN_OK) {
    size_t n = len < MAX_SLICE ? len : MAX_SLICE;
    if (d->state != ZLIB_INIT_GZIP)
      return exit_zlib(d, CN_ERR_CONTENT_DECODER_WRITE_ERROR);
    d->z.next_in = (Bytef *)data;
    d->z.avail_in = (uInt)n;
    rv = inflate_stream(d, emit, emit_ctx, ZLIB_INIT_GZIP);
    data += n;
    len -= n;
  }
  return rv;
}

static void zlib_free(struct cn_content_decoder_stage *s) {
  struct zlib_decoder *d = (struct zlib_decoder *)s;
  exit_zlib(d, CN_OK);
  cn_free(d);
}

static const struct cn_content_decoder_stage_ops deflate_ops = {
    "deflate", deflate_write, zlib_free};
static const struct cn_content_decoder_stage_ops gzip_ops = {
    "gzip", gzip_write, zlib_free};

static int zlib_new(struct cn_content_decoder_stage **out_stage,
                    const struct cn_net_log *log, bool gzip) {
  struct zlib_decoder *d = cn_malloc(sizeof(*d));
  if (!d)
    return CN_ERR_OUT_OF_MEMORY;
  memset(d, 0, offsetof(struct zlib_decoder, buf));
  d->base.ops = gzip ? &gzip_ops : &deflate_ops;
  d->base.log = log;
  d->z.zalloc = zalloc_cb;
  d->z.zfree = zfree_cb;
  int status = gzip ? inflateInit2(&d->z, MAX_WBITS + 32) : inflateInit(&d->z);
  if (status != Z_OK) {
    int rv = zlib_error(d, status);
    cn_free(d);
    return rv;
  }
  d->state = gzip ? ZLIB_INIT_GZIP : ZLIB_INIT;
  *out_stage = &d->base;
  return CN_OK;
}

int cn_content_decoder_gzip_new(struct cn_content_decoder_stage **out_stage,
                                const struct cn_net_log *log) {
  return zlib_new(out_stage, log, true);
}

int cn_content_decoder_deflate_new(
    struct cn_content_decoder_stage **out_stage,
    const struct cn_net_log *log) {
  return zlib_new(out_stage, log, false);
}
