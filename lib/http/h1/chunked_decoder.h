/* chunked_decoder.h: incremental decoder of the chunked transfer coding, with
 * libcurl 8.14's tolerances and limits.
 *
 * No I/O: feed it bytes in any slicing, get the body bytes out. Output may
 * go to a separate buffer or back into the input buffer (out == in decodes
 * in place: output never overtakes input).
 *
 * libcurl's rules, which this follows:
 *  - a chunk size is 1 to 16 hex digits (more is an error, and so is a size
 *    above INT64_MAX); everything after the digits up to the LF, chunk
 *    extensions included, is skipped unread.
 *  - after chunk data any number of CRs, then LF; anything else is an error.
 *  - after the last chunk, trailer lines until an empty line. Each trailer
 *    line is kept with "\r\n" appended whatever ending it came with, which
 *    is what libcurl hands to CURLOPT_HEADERFUNCTION; a CR inside a trailer
 *    line must be followed by LF.
 *  - a trailer line, CRLF included, must stay below CN_H1_MAX_TRAILER_LINE.
 *
 * Errors (sticky), libcurl's CURLcode, and cn_h1_chunked_decoder_error_text():
 *  CN_ERR_INVALID_CHUNKED_ENCODING -> CURLE_RECV_ERROR (56)
 *     "chunk hex-length longer than 16"
 *     "chunk hex-length char not a hex digit: 0x7a"
 *     "chunk hex-length not valid: 'FFFFFFFFFFFFFFFF'"
 *     "Malformed encoding found in chunked-encoding"
 *  CN_ERR_RESPONSE_HEADER_LINE_TOO_BIG -> CURLE_TOO_LARGE (100)
 *     "Out of memory in chunked-encoding"   (a trailer line too long)
 *  CN_ERR_OUT_OF_MEMORY
 * A body cut short is the caller's to report (CN_ERR_INCOMPLETE_CHUNKED_
 * ENCODING, see body_reader.h): the decoder just is not done.
 *
 * Embedded object: _init()/_cleanup(). */
#ifndef CN_HTTP_H1_CHUNKED_DECODER_H
#define CN_HTTP_H1_CHUNKED_DECODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* libcurl's CHUNK_MAXNUM_LEN for a 64-bit curl_off_t. */
#define CN_H1_CHUNK_MAX_HEX_DIGITS 16
/* libcurl's DYN_H1_TRAILER: a trailer line plus CRLF must be shorter. */
#define CN_H1_MAX_TRAILER_LINE 4096

/* All fields are private. */
struct cn_h1_chunked_decoder {
  int state;
  uint64_t chunk_left;
  char hex[CN_H1_CHUNK_MAX_HEX_DIGITS + 1];
  unsigned num_hex;
  struct cn_buf trailer_line; /* the trailer line being received */
  struct cn_buf trailers;     /* complete trailer lines, each with CRLF */
  size_t *trailer_end;        /* offsets one past each line in |trailers| */
  size_t num_trailers;
  size_t trailer_cap;
  int error;
  char error_text[64];
};

void cn_h1_chunked_decoder_init(struct cn_h1_chunked_decoder *d);
void cn_h1_chunked_decoder_cleanup(struct cn_h1_chunked_decoder *d);

/* cn_h1_chunked_decoder_feed decodes from |in| (|in_len| bytes) into |out|
 * (room for |out_cap|; may be |in|). On CN_OK *out_consumed input bytes were
 * used and *out_len body bytes written. It stops early when |out| is full
 * or the body is done: the input after the final CRLF is not consumed (it
 * belongs to whatever follows on the connection). On an error after body
 * bytes were decoded in the same call, those come back with CN_OK and the
 * error with the next call; otherwise the outputs are not written. */
int cn_h1_chunked_decoder_feed(struct cn_h1_chunked_decoder *d,
                               size_t *out_consumed, size_t *out_len,
                               uint8_t *out, size_t out_cap,
                               const uint8_t *in, size_t in_len);

/* cn_h1_chunked_decoder_is_done: the last chunk and the trailer section,
 * with its final empty line, have been consumed. */
bool cn_h1_chunked_decoder_is_done(const struct cn_h1_chunked_decoder *d);

/* Trailer lines received so far, in order; each line is the trailer's text
 * plus "\r\n", not NUL-terminated at *out_len. The caller may clear them
 * after handling them (libcurl delivers each as it completes). */
size_t cn_h1_chunked_decoder_num_trailers(
    const struct cn_h1_chunked_decoder *d);
const char *cn_h1_chunked_decoder_trailer(
    const struct cn_h1_chunked_decoder *d, size_t i, size_t *out_len);
void cn_h1_chunked_decoder_clear_trailers(struct cn_h1_chunked_decoder *d);

/* cn_h1_chunked_decoder_error_text: libcurl's message for the error, or
 * NULL. */
const char *cn_h1_chunked_decoder_error_text(
    const struct cn_h1_chunked_decoder *d);

#endif
