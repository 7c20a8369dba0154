/* base64.h: RFC 4648 base64 (standard alphabet, padded). */
#ifndef CN_UTIL_BASE64_H
#define CN_UTIL_BASE64_H

#include <stddef.h>

/* cn_base64_encode returns a cn_malloc'd NUL-terminated encoding of |len|
 * bytes, or NULL on OOM. */
char *cn_base64_encode(const void *data, size_t len);

#endif
