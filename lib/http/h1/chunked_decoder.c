/* chunked_decoder.c: chunked transfer coding, decoded the way libcurl's
 * http_chunks.c reads it. */
#include "http/h1/chunked_decoder.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/net_error.h"

enum state {
  STATE_HEX,            /* chunk-size digits */
  STATE_LF,             /* skipping to the LF that ends the size line */
  STATE_DATA,           /* chunk-data */
  STATE_POSTLF,         /* CRs then LF after chunk-data */
  STATE_TRAILER,        /* a trailer line, or the final empty line */
  STATE_TRAILER_CR,     /* CR seen at the end of a trailer line */
  STATE_TRAILER_POSTCR, /* start of the next trailer line or the end */
  STATE_STOP,           /* the final LF */
  STATE_DONE,
  STATE_FAILED,
};

static bool is_hex(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

static unsigned hex_value(char c) {
  if (c >= '0' && c <= '9')
    return (unsigned)(c - '0');
  if (c >= 'a' && c <= 'f')
    return (unsigned)(c - 'a' + 10);
  return (unsigned)(c - 'A' + 10);
}

static int fail(struct cn_h1_chunked_decoder *d, int err, const char *text) {
  d->state = STATE_FAILED;
  d->error = err;
  snprintf(d->error_text, sizeof(d->error_text), "%s", text ? text : "");
  return err;
}

void cn_h1_chunked_decoder_init(struct cn_h1_chunked_decoder *d) {
  memset(d, 0, sizeof(*d));
  d->state = STATE_HEX;
  cn_buf_init(&d->trailer_line, CN_H1_MAX_TRAILER_LINE - 1);
  cn_buf_init(&d->trailers, 0);
}

void cn_h1_chunked_decoder_cleanup(struct cn_h1_chunked_decoder *d) {
  cn_buf_cleanup(&d->trailer_line);
  cn_buf_cleanup(&d->trailers);
  cn_free(d->trailer_end);
  d->trailer_end = NULL;
  d->num_trailers = 0;
  d->trailer_cap = 0;
}

/* end_size_line converts the hex digits; false (and failed) on overflow. */
static int end_size_line(struct cn_h1_chunked_decoder *d) {
  uint64_t v = 0;
  d->hex[d->num_hex] = '\0';
  for (unsigned i = 0; i < d->num_hex; i++) {
    if (v > ((uint64_t)INT64_MAX - hex_value(d->hex[i])) / 16) {
      char text[64];
      snprintf(text, sizeof(text), "chunk hex-length not valid: '%s'",
               d->hex);
      return fail(d, CN_ERR_INVALID_CHUNKED_ENCODING, text);
    }
    v = v * 16 + hex_value(d->hex[i]);
  }
  d->chunk_left = v;
  d->state = STATE_LF;
  return CN_OK;
}

/* push_trailer completes the trailer line being received. */
static int push_trailer(struct cn_h1_chunked_decoder *d) {
  int rv = cn_buf_append(&d->trailer_line, "\r\n", 2);
  if (rv == CN_ERR_FILE_TOO_BIG)
    return fail(d, CN_ERR_RESPONSE_HEADER_LINE_TOO_BIG,
                "Out of memory in chunked-encoding");
  if (rv != CN_OK)
    return fail(d, rv, NULL);
  if (d->num_trailers == d->trailer_cap) {
    size_t cap = d->trailer_cap ? d->trailer_cap * 2 : 4;
    size_t *ends = cn_realloc(d->trailer_end, cap * sizeof(*ends));
    if (!ends)
      return fail(d, CN_ERR_OUT_OF_MEMORY, NULL);
    d->trailer_end = ends;
    d->trailer_cap = cap;
  }
  rv = cn_buf_append(&d->trailers, d->trailer_line.data, d->trailer_line.len);
  if (rv != CN_OK)
    return fail(d, rv, NULL);
  d->trailer_end[d->num_trailers++] = d->trailers.len;
  cn_buf_reset(&d->trailer_line);
  return CN_OK;
}

int cn_h1_chunked_decoder_feed(struct cn_h1_chunked_decoder *d,
                               size_t *out_consumed, size_t *out_len,
                               uint8_t *out, size_t out_cap,
                               const uint8_t *in, size_t in_len) {
  if (d->state == STATE_FAILED)
    return d->error;
  size_t i = 0, o = 0;
  int rv;
  while (i < in_len && d->state != STATE_DONE) {
    uint8_t c = in[i];
    switch (d->state) {
    case STATE_HEX:
      if (is_hex(c)) {
        if (d->num_hex >= CN_H1_CHUNK_MAX_HEX_DIGITS) {
          rv = fail(d, CN_ERR_INVALID_CHUNKED_ENCODING,
                    "chunk hex-length longer than 16");
          goto failed;
        }
        d->hex[d->num_hex++] = (char)c;
        i++;
      } else if (d->num_hex == 0) {
        char text[64];
        /* libcurl prints the byte as a (signed) char. */
        snprintf(text, sizeof(text),
                 "chunk hex-length char not a hex digit: 0x%x",
                 (unsigned)(int)(signed char)c);
        rv = fail(d, CN_ERR_INVALID_CHUNKED_ENCODING, text);
        goto failed;
      } else {
        rv = end_size_line(d); /* |c| is looked at again in STATE_LF */
        if (rv != CN_OK)
          goto failed;
      }
      break;
    case STATE_LF:
      if (c == '\n')
        d->state = d->chunk_left ? STATE_DATA : STATE_TRAILER;
      i++;
      break;
    case STATE_DATA: {
      size_t piece = in_len - i;
      if (piece > out_cap - o)
        piece = out_cap - o;
      if ((uint64_t)piece > d->chunk_left)
        piece = (size_t)d->chunk_left;
      if (piece == 0)
        goto out; /* |out| is full */
      memmove(out + o, in + i, piece);
      o += piece;
      i += piece;
      d->chunk_left -= piece;
      if (d->chunk_left == 0)
        d->state = STATE_POSTLF;
      break;
    }
    case STATE_POSTLF:
      if (c == '\n') {
        d->state = STATE_HEX;
        d->num_hex = 0;
      } else if (c != '\r') {
        rv = fail(d, CN_ERR_INVALID_CHUNKED_ENCODING,
                  "Malformed encoding found in chunked-encoding");
        goto failed;
      }
      i++;
      break;
    case STATE_TRAILER:
      if (c == '\r' || c == '\n') {
        if (d->trailer_line.len) {
          rv = push_trailer(d);
          if (rv != CN_OK)
            goto failed;
          d->state = STATE_TRAILER_CR;
          if (c == '\n')
            break; /* STATE_TRAILER_CR takes the LF */
        } else {
          d->state = STATE_TRAILER_POSTCR;
          break; /* the end: STATE_TRAILER_POSTCR looks at |c| */
        }
      } else {
        rv = cn_buf_append_byte(&d->trailer_line, (char)c);
        if (rv == CN_ERR_FILE_TOO_BIG) {
          rv = fail(d, CN_ERR_RESPONSE_HEADER_LINE_TOO_BIG,
                    "Out of memory in chunked-encoding");
          goto failed;
        }
        if (rv != CN_OK) {
          rv = fail(d, rv, NULL);
          goto failed;
        }
      }
      i++;
      break;
    case STATE_TRAILER_CR:
      if (c != '\n') {
        rv = fail(d, CN_ERR_INVALID_CHUNKED_ENCODING,
                  "Malformed encoding found in chunked-encoding");
        goto failed;
      }
      d->state = STATE_TRAILER_POSTCR;
      i++;
      break;
    case STATE_TRAILER_POSTCR:
      if (c != '\r' && c != '\n') {
        d->state = STATE_TRAILER; /* another trailer line */
        break;
      }
      if (c == '\r')
        i++;
      d->state = STATE_STOP;
      break;
    case STATE_STOP:
      if (c != '\n') {
        rv = fail(d, CN_ERR_INVALID_CHUNKED_ENCODING,
                  "Malformed encoding found in chunked-encoding");
        goto failed;
      }
      i++;
      d->state = STATE_DONE;
      break;
    default:
      rv = fail(d, CN_ERR_UNEXPECTED, NULL);
      goto failed;
    }
  }
out:
  *out_consumed = i;
  *out_len = o;
  return CN_OK;
failed:
  /* Body bytes decoded before the error go out first, as libcurl writes
   * each chunk as it comes; the (sticky) error follows on the next call. */
  if (o > 0)
    goto out;
  return rv;
}

bool cn_h1_chunked_decoder_is_done(const struct cn_h1_chunked_decoder *d) {
  return d->state == STATE_DONE;
}

size_t cn_h1_chunked_decoder_num_trailers(
    const struct cn_h1_chunked_decoder *d) {
  return d->num_trailers;
}

const char *cn_h1_chunked_decoder_trailer(
    const struct cn_h1_chunked_decoder *d, size_t i, size_t *out_len) {
  if (i >= d->num_trailers)
    return NULL;
  size_t start = i ? d->trailer_end[i - 1] : 0;
  *out_len = d->trailer_end[i] - start;
  return d->trailers.data + start;
}

void cn_h1_chunked_decoder_clear_trailers(struct cn_h1_chunked_decoder *d) {
  cn_buf_reset(&d->trailers);
  d->num_trailers = 0;
}

const char *cn_h1_chunked_decoder_error_text(
    const struct cn_h1_chunked_decoder *d) {
  if (d->state != STATE_FAILED || !d->error_text[0])
    return NULL;
  return d->error_text;
}
