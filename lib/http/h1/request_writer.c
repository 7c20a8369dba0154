/* request_writer.c: HTTP/1.x request head serialisation. */
#include "http/h1/request_writer.h"

#include <string.h>

#include "util/net_error.h"

static bool usable(const char *s) {
  return s && *s && !strpbrk(s, "\r\n");
}

int cn_h1_request_writer_write(struct cn_buf *out, const char *method,
                               const char *request_target, int http_minor,
                               const struct cn_http_request_headers *headers) {
  if (!usable(method) || !usable(request_target) ||
      (http_minor != 0 && http_minor != 1))
    return CN_ERR_INVALID_ARGUMENT;
  size_t start = out->len;
  /* By hand, not printf: this runs for every request. */
  char version[] = " HTTP/1.x\r\n";
  version[8] = (char)('0' + http_minor);
  int rv = cn_buf_append_str(out, method);
  if (rv == CN_OK)
    rv = cn_buf_append_byte(out, ' ');
  if (rv == CN_OK)
    rv = cn_buf_append_str(out, request_target);
  if (rv == CN_OK)
    rv = cn_buf_append(out, version, sizeof(version) - 1);
  if (rv == CN_OK && headers)
    rv = cn_http_request_headers_serialize(headers, out);
  if (rv == CN_OK)
    rv = cn_buf_append(out, "\r\n", 2);
  if (rv != CN_OK && out->data) {
    out->len = start;
    out->data[start] = '\0';
  }
  return rv;
}
