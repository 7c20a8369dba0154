/* upload_bytes.c: an upload body held in memory (CURLOPT_POSTFIELDS). */
#include <string.h>

#include "http/upload_data_stream.h"
#include "util/alloc.h"

struct upload_bytes {
  struct cn_upload_data_stream base;
  const uint8_t *data;
  size_t len;
  size_t offset;
};

static int bytes_read(struct cn_upload_data_stream *s, uint8_t *buf,
                      size_t len, cn_completion_fn cb, void *ctx) {
  struct upload_bytes *u = (struct upload_bytes *)s;
  size_t left = u->len - u->offset;
  if (len > left)
    len = left;
  if (len)
    memcpy(buf, u->data + u->offset, len);
  u->offset += len;
  return (int)len;
}

static int bytes_rewind(struct cn_upload_data_stream *s) {
  ((struct upload_bytes *)s)->offset = 0;
  return CN_OK;
}

static void bytes_destroy(struct cn_upload_data_stream *s) { cn_free(s); }

static const struct cn_upload_data_stream_ops bytes_ops = {
    bytes_read, bytes_rewind, bytes_destroy};

struct cn_upload_data_stream *cn_upload_bytes_new(const void *data,
                                                  size_t len) {
  struct upload_bytes *u = cn_calloc(1, sizeof(*u));
  if (!u)
    return NULL;
  u->base.ops = &bytes_ops;
  u->base.size = (int64_t)len;
  u->base.in_memory = true;
  u->data = data;
  u->len = len;
  return &u->base;
}
