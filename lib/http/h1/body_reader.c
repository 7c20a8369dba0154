/* body_reader.c: HTTP/1.x response body framing. */
#include "http/h1/body_reader.h"

#include <string.h>

#include "util/net_error.h"

int cn_h1_body_reader_init(struct cn_h1_body_reader *r,
                           const struct cn_http_response_headers *h,
                           bool request_was_head) {
  memset(r, 0, sizeof(*r));
  cn_h1_chunked_decoder_init(&r->chunked);
  r->content_length = -1;
  /* The parser folded version, Connection and Proxy-Connection into this
   * mark, across the request's heads. */
  r->keep_alive = !h->connection_close;

  int code = h->status_code;
  if (code == 101) {
    r->framing = CN_H1_BODY_UNTIL_CLOSE;
    return CN_OK;
  }
  if (request_was_head || (code >= 100 && code < 200) || code == 204 ||
      code == 304) {
    r->framing = CN_H1_BODY_NONE;
    r->done = true;
    return CN_OK;
  }
  if (cn_http_response_headers_is_chunked(h)) {
    r->framing = CN_H1_BODY_CHUNKED;
    return CN_OK;
  }
  if (cn_http_response_headers_has_transfer_encoding(h)) {
    r->framing = CN_H1_BODY_UNTIL_CLOSE;
    return CN_OK;
  }
  int64_t len;
  switch (cn_http_response_headers_content_length(h, &len)) {
  case CN_HTTP_CONTENT_LENGTH_VALID:
    r->framing = CN_H1_BODY_CONTENT_LENGTH;
    r->content_length = len;
    r->remaining = len;
    r->done = len == 0;
    return CN_OK;
  case CN_HTTP_CONTENT_LENGTH_INVALID:
    return CN_ERR_INVALID_HTTP_RESPONSE;
  default:
    r->framing = CN_H1_BODY_UNTIL_CLOSE;
    return CN_OK;
  }
}

void cn_h1_body_reader_cleanup(struct cn_h1_body_reader *r) {
  cn_h1_chunked_decoder_cleanup(&r->chunked);
}

void cn_h1_body_reader_ignore_content_length(struct cn_h1_body_reader *r) {
  if (r->framing != CN_H1_BODY_CONTENT_LENGTH)
    return;
  r->framing = CN_H1_BODY_UNTIL_CLOSE;
  r->content_length = -1;
  r->remaining = 0;
  r->done = false;
}

void cn_h1_body_reader_length_despite_coding(
    struct cn_h1_body_reader *r, const struct cn_http_response_headers *h) {
  int64_t len;
  if (r->framing != CN_H1_BODY_UNTIL_CLOSE ||
      !cn_http_response_headers_has_transfer_encoding(h) ||
      cn_http_response_headers_content_length(h, &len) !=
          CN_HTTP_CONTENT_LENGTH_VALID)
    return;
  r->framing = CN_H1_BODY_CONTENT_LENGTH;
  r->content_length = len;
  r->remaining = len;
  r->done = len == 0;
}

void cn_h1_body_reader_pass_raw(struct cn_h1_body_reader *r) {
  r->raw = true;
}

/* feed_raw_chunked runs the chunked decoder over |in| only to find where
 * the body ends, and hands out the input bytes themselves. */
static int feed_raw_chunked(struct cn_h1_body_reader *r, size_t *out_consumed,
                            uint8_t *out, size_t out_cap, const uint8_t *in,
                            size_t in_len) {
  uint8_t scratch[4096];
  size_t n = in_len < out_cap ? in_len : out_cap;
  size_t used = 0;
  while (used < n && !cn_h1_chunked_decoder_is_done(&r->chunked)) {
    size_t c = 0, p = 0;
    int rv = cn_h1_chunked_decoder_feed(&r->chunked, &c, &p, scratch,
                                        sizeof(scratch), in + used, n - used);
    if (rv != CN_OK) {
      if (!used)
        return rv;
      break; /* the error comes with the next call */
    }
    if (!c)
      break;
    used += c;
  }
  if (used && out != in)
    memmove(out, in, used);
  *out_consumed = used;
  return CN_OK;
}

int cn_h1_body_reader_feed(struct cn_h1_body_reader *r, size_t *out_consumed,
                           size_t *out_len, uint8_t *out, size_t out_cap,
                           const uint8_t *in, size_t in_len) {
  size_t consumed = 0, produced = 0;
  if (r->done) {
    if (in_len)
      r->excess = true;
    goto out;
  }
  switch (r->framing) {
  case CN_H1_BODY_CHUNKED: {
    int rv;
    if (r->raw) {
      rv = feed_raw_chunked(r, &consumed, out, out_cap, in, in_len);
      produced = consumed;
    } else {
      rv = cn_h1_chunked_decoder_feed(&r->chunked, &consumed, &produced, out,
                                      out_cap, in, in_len);
    }
    if (rv != CN_OK)
      return rv;
    if (cn_h1_chunked_decoder_is_done(&r->chunked)) {
      r->done = true;
      if (consumed < in_len)
        r->excess = true;
    }
    break;
  }
  case CN_H1_BODY_CONTENT_LENGTH: {
    size_t n = in_len < out_cap ? in_len : out_cap;
    if ((uint64_t)n > (uint64_t)r->remaining)
      n = (size_t)r->remaining;
    if (n && out != in)
      memmove(out, in, n);
    consumed = produced = n;
    r->remaining -= (int64_t)n;
    if (r->remaining == 0) {
      r->done = true;
      if (consumed < in_len)
        r->excess = true;
    }
    break;
  }
  case CN_H1_BODY_UNTIL_CLOSE: {
    size_t n = in_len < out_cap ? in_len : out_cap;
    if (n && out != in)
      memmove(out, in, n);
    consumed = produced = n;
    break;
  }
  case CN_H1_BODY_NONE:
  default:
    break;
  }
  r->body_bytes += (int64_t)produced;
out:
  *out_consumed = consumed;
  *out_len = produced;
  return CN_OK;
}

bool cn_h1_body_reader_is_done(const struct cn_h1_body_reader *r) {
  return r->done;
}

int cn_h1_body_reader_on_eof(struct cn_h1_body_reader *r) {
  if (r->done)
    return CN_OK;
  switch (r->framing) {
  case CN_H1_BODY_UNTIL_CLOSE:
    r->done = true;
    return CN_OK;
  case CN_H1_BODY_CONTENT_LENGTH:
    return CN_ERR_CONTENT_LENGTH_MISMATCH;
  case CN_H1_BODY_CHUNKED:
    return CN_ERR_INCOMPLETE_CHUNKED_ENCODING;
  default:
    r->done = true;
    return CN_OK;
  }
}

int64_t cn_h1_body_reader_remaining(const struct cn_h1_body_reader *r) {
  return r->framing == CN_H1_BODY_CONTENT_LENGTH ? r->remaining : 0;
}

bool cn_h1_body_reader_is_reusable(const struct cn_h1_body_reader *r) {
  return r->done && r->keep_alive && !r->excess &&
         r->framing != CN_H1_BODY_UNTIL_CLOSE;
}

struct cn_h1_chunked_decoder *cn_h1_body_reader_chunked_decoder(
    struct cn_h1_body_reader *r) {
  return r->framing == CN_H1_BODY_CHUNKED ? &r->chunked : NULL;
}

const char *cn_h1_body_reader_error_text(const struct cn_h1_body_reader *r) {
  if (r->framing != CN_H1_BODY_CHUNKED)
    return NULL;
  return cn_h1_chunked_decoder_error_text(&r->chunked);
}
