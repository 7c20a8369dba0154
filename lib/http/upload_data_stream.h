/* upload_data_stream.h: where a request body comes from (Chromium's
 * UploadDataStream). Implementations: fixed bytes (POSTFIELDS, here) and the
 * program's read callback (lib/api, over CURLOPT_READFUNCTION).
 *
 * read() returns a byte count (> 0), 0 at the end, CN_ERR_IO_PENDING (then
 * |cb| runs later with the same meaning; used when the program paused the
 * upload), or an error (CN_ERR_CALLBACK_ABORTED, CN_ERR_READ_CALLBACK_FAILED).
 * rewind() restarts from the first byte (redirects and auth restarts resend
 * the body); CN_ERR_UPLOAD_FILE_CHANGED if that is impossible.
 * cancel() (optional: NULL for streams that never return IO_PENDING) drops a
 * pending read: its callback is never called, and an unpause no longer
 * resumes it (the HTTP/1.1 stream stops an upload a final error answer
 * interrupted).
 *
 * Ownership: the creator owns the stream and destroys it after the request
 * that reads it is finished. */
#ifndef CN_HTTP_UPLOAD_DATA_STREAM_H
#define CN_HTTP_UPLOAD_DATA_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/net_error.h"

struct cn_upload_data_stream;

struct cn_upload_data_stream_ops {
  int (*read)(struct cn_upload_data_stream *s, uint8_t *buf, size_t len,
              cn_completion_fn cb, void *ctx);
  int (*rewind)(struct cn_upload_data_stream *s);
  void (*destroy)(struct cn_upload_data_stream *s);
  void (*cancel)(struct cn_upload_data_stream *s);
};

struct cn_upload_data_stream {
  const struct cn_upload_data_stream_ops *ops;
  int64_t size; /* total bytes, or -1 when unknown (sent chunked on h1) */
  /* The bytes are in memory (POSTFIELDS): the first read need not wait
   * for the program, so HTTP/1.1 may send it with the head. */
  bool in_memory;
};

/* cn_upload_bytes_new streams |len| bytes at |data|, which is borrowed and
 * must stay valid while the stream lives. NULL on OOM. */
struct cn_upload_data_stream *cn_upload_bytes_new(const void *data,
                                                  size_t len);

static inline void cn_upload_data_stream_cancel(
    struct cn_upload_data_stream *s) {
  if (s && s->ops->cancel)
    s->ops->cancel(s);
}

static inline void cn_upload_data_stream_destroy(
    struct cn_upload_data_stream *s) {
  if (s)
    s->ops->destroy(s);
}

#endif
