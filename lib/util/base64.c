/* base64.c: encoder for Basic auth and friends. */
#include "util/base64.h"

#include "util/alloc.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *cn_base64_encode(const void *data, size_t len) {
  const unsigned char *in = data;
  char *out = cn_malloc((len + 2) / 3 * 4 + 1);
  if (!out)
    return NULL;
  char *p = out;
  size_t i = 0;
  for (; i + 2 < len; i += 3) {
    unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
    *p++ = alphabet[v >> 18];
    *p++ = alphabet[(v >> 12) & 63];
    *p++ = alphabet[(v >> 6) & 63];
    *p++ = alphabet[v & 63];
  }
  if (i < len) {
    unsigned v = (unsigned)in[i] << 16;
    if (i + 1 < len)
      v |= (unsigned)in[i + 1] << 8;
    *p++ = alphabet[v >> 18];
    *p++ = alphabet[(v >> 12) & 63];
    *p++ = (i + 1 < len) ? alphabet[(v >> 6) & 63] : '=';
    *p++ = '=';
  }
  *p = '\0';
  return out;
}
