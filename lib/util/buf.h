/* buf.h: a growable byte buffer (embedded; cn_buf_init/cn_buf_cleanup).
 *
 * Contents are always NUL-terminated one byte past |len| when |data| is
 * non-NULL, so text can be used as a C string. |max| bounds growth: an
 * append that would pass it fails with CN_ERR_FILE_TOO_BIG, which is how
 * header-size and similar limits are enforced without special cases. */
#ifndef CN_UTIL_BUF_H
#define CN_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct cn_buf {
  char *data; /* owned; NULL until the first append */
  size_t len;
  size_t cap;
  size_t max; /* 0: unbounded */
};

void cn_buf_init(struct cn_buf *b, size_t max);
void cn_buf_cleanup(struct cn_buf *b);
/* cn_buf_reset empties the buffer and keeps its memory. */
void cn_buf_reset(struct cn_buf *b);
/* Appends: CN_OK, CN_ERR_OUT_OF_MEMORY or CN_ERR_FILE_TOO_BIG (over |max|);
 * on failure the buffer is unchanged. */
int cn_buf_append(struct cn_buf *b, const void *data, size_t len);
int cn_buf_append_str(struct cn_buf *b, const char *str);
int cn_buf_append_byte(struct cn_buf *b, char c);
int cn_buf_printf(struct cn_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int cn_buf_vprintf(struct cn_buf *b, const char *fmt, va_list ap);
/* cn_buf_consume drops |len| bytes from the front. */
void cn_buf_consume(struct cn_buf *b, size_t len);
/* cn_buf_detach hands the contents to the caller (free with cn_free) and
 * leaves |b| empty; returns an empty string if nothing was appended, NULL
 * only when that allocation fails. */
char *cn_buf_detach(struct cn_buf *b);

#endif
