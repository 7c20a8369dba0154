/* buf.c: growable byte buffer. */
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/net_error.h"

void cn_buf_init(struct cn_buf *b, size_t max) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
}

void cn_buf_cleanup(struct cn_buf *b) {
  cn_free(b->data);
  cn_buf_init(b, b->max);
}

void cn_buf_reset(struct cn_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

/* reserve makes room for |extra| more bytes plus the terminating NUL. */
static int reserve(struct cn_buf *b, size_t extra) {
  if (extra > ((size_t)-1) / 2 - b->len)
    return CN_ERR_OUT_OF_MEMORY;
  size_t need = b->len + extra;
  if (b->max && need > b->max)
    return CN_ERR_FILE_TOO_BIG;
  if (need + 1 <= b->cap)
    return CN_OK;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need + 1)
    cap *= 2;
  char *data = cn_realloc(b->data, cap);
  if (!data)
    return CN_ERR_OUT_OF_MEMORY;
  b->data = data;
  b->cap = cap;
  return CN_OK;
}

int cn_buf_append(struct cn_buf *b, const void *data, size_t len) {
  int rv = reserve(b, len);
  if (rv != CN_OK)
    return rv;
  if (len)
    memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return CN_OK;
}

int cn_buf_append_str(struct cn_buf *b, const char *str) {
  return cn_buf_append(b, str, strlen(str));
}

int cn_buf_append_byte(struct cn_buf *b, char c) {
  return cn_buf_append(b, &c, 1);
}

int cn_buf_vprintf(struct cn_buf *b, const char *fmt, va_list ap) {
  /* Format straight into the spare room first: one vsnprintf in the usual
   * case instead of one to measure and one to write. */
  size_t room = b->cap > b->len ? b->cap - b->len : 0;
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, copy);
  va_end(copy);
  if (n < 0)
    return CN_ERR_INVALID_ARGUMENT;
  if ((size_t)n < room) {
    if (b->max && b->len + (size_t)n > b->max) {
      b->data[b->len] = '\0';
      return CN_ERR_FILE_TOO_BIG;
    }
    b->len += (size_t)n;
    return CN_OK;
  }
  if (room)
    b->data[b->len] = '\0'; /* undo the truncated attempt */
  int rv = reserve(b, (size_t)n);
  if (rv != CN_OK)
    return rv;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return CN_OK;
}

int cn_buf_printf(struct cn_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rv = cn_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rv;
}

void cn_buf_consume(struct cn_buf *b, size_t len) {
  if (len >= b->len) {
    cn_buf_reset(b);
    return;
  }
  memmove(b->data, b->data + len, b->len - len);
  b->len -= len;
  b->data[b->len] = '\0';
}

char *cn_buf_detach(struct cn_buf *b) {
  char *out = b->data;
  if (!out)
    out = cn_strdup("");
  cn_buf_init(b, b->max);
  return out;
}
