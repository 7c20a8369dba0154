/* body_reader.h: frames an HTTP/1.x response body (Chromium's
 * HttpStreamParser body half) and tracks its progress. No I/O: feed it the
 * bytes that follow the head; it hands back the body bytes (de-chunked) and
 * says when the body is complete and how much input was not body.
 *
 * Framing, by libcurl's rules, in this order:
 *  1. a HEAD request, 1xx, 204 and 304: no body (libcurl ignores their
 *     Content-Length and Transfer-Encoding). 101 is the exception: what
 *     follows belongs to the new protocol, so it reads until close.
 *  2. Transfer-Encoding listing "chunked": chunked (it wins over
 *     Content-Length).
 *  3. Another Transfer-Encoding: until close, Content-Length ignored
 *     (RFC 9112 6.3; libcurl gets there only with CURLOPT_TRANSFER_ENCODING
 *     and otherwise fails on such a coding before the body).
 *  4. a valid Content-Length (libcurl's reading, see http_response_headers.h).
 *  5. otherwise until the connection closes; the connection is then not
 *     reusable (libcurl: "no chunk, no close, no size. Assume close to
 *     signal end").
 *
 * Embedded object: _init()/_cleanup(). */
#ifndef CN_HTTP_H1_BODY_READER_H
#define CN_HTTP_H1_BODY_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/h1/chunked_decoder.h"
#include "http/http_response_headers.h"

enum cn_h1_body_framing {
  CN_H1_BODY_NONE,
  CN_H1_BODY_CONTENT_LENGTH,
  CN_H1_BODY_CHUNKED,
  CN_H1_BODY_UNTIL_CLOSE,
};

/* Public fields are read-only for callers. */
struct cn_h1_body_reader {
  enum cn_h1_body_framing framing;
  int64_t content_length; /* CONTENT_LENGTH framing, else -1 */
  int64_t remaining;      /* CONTENT_LENGTH: body bytes still expected */
  int64_t body_bytes;     /* body bytes handed out so far */
  bool done;
  bool keep_alive; /* !h->connection_close */
  bool excess;     /* bytes arrived after the end of the body */
  bool raw;        /* chunked framing is passed on as it came */
  struct cn_h1_chunked_decoder chunked; /* CHUNKED framing only */
};

/* cn_h1_body_reader_init decides the framing of the response described by
 * |h| (borrowed only during the call). Reuse follows h->connection_close,
 * which the h1 response parser sets; a head built by hand should set it to
 * !cn_http_response_headers_keep_alive(). CN_ERR_INVALID_HTTP_RESPONSE when
 * the Content-Length is malformed (libcurl: "Invalid Content-Length:
 * value"); the response parser already rejects those, so this only happens
 * for heads built elsewhere. Allocates nothing; cleanup is needed anyway. */
int cn_h1_body_reader_init(struct cn_h1_body_reader *r,
                           const struct cn_http_response_headers *h,
                           bool request_was_head);
void cn_h1_body_reader_cleanup(struct cn_h1_body_reader *r);

/* cn_h1_body_reader_ignore_content_length applies
 * CURLOPT_IGNORE_CONTENT_LENGTH: a Content-Length framed body runs until
 * close instead. Call before the first feed. */
void cn_h1_body_reader_ignore_content_length(struct cn_h1_body_reader *r);

/* cn_h1_body_reader_length_despite_coding: the transfer does not decode
 * transfer codings other than chunked (libcurl without
 * CURLOPT_TRANSFER_ENCODING), so such a coding does not take the framing
 * away from the Content-Length of |h| (borrowed during the call). Call
 * right after init. */
void cn_h1_body_reader_length_despite_coding(
    struct cn_h1_body_reader *r, const struct cn_http_response_headers *h);

/* cn_h1_body_reader_pass_raw: a chunked body is still framed by its chunks
 * but handed out with the chunked framing in place
 * (CURLOPT_HTTP_TRANSFER_DECODING off). Call before the first feed. */
void cn_h1_body_reader_pass_raw(struct cn_h1_body_reader *r);

/* cn_h1_body_reader_feed takes input bytes that follow the head and writes
 * the body bytes among them to |out| (room for |out_cap|; |out| may be |in|
 * to decode in place). On CN_OK *out_consumed input bytes were used and
 * *out_len body bytes written; input left once is_done() is true is not
 * body (it marks the connection unusable: libcurl has no pipelining and
 * closes on excess data). It may stop early when |out| is full. Errors are
 * the chunked decoder's (chunked_decoder.h), sticky, and like there they
 * come after the body bytes decoded before them. */
int cn_h1_body_reader_feed(struct cn_h1_body_reader *r, size_t *out_consumed,
                           size_t *out_len, uint8_t *out, size_t out_cap,
                           const uint8_t *in, size_t in_len);

bool cn_h1_body_reader_is_done(const struct cn_h1_body_reader *r);

/* cn_h1_body_reader_on_eof: the connection ended. CN_OK when that completes
 * the body (until-close framing, or already done). Otherwise the body was
 * cut: CN_ERR_CONTENT_LENGTH_MISMATCH with cn_h1_body_reader_remaining()
 * bytes missing (libcurl: CURLE_PARTIAL_FILE "transfer closed with N bytes
 * remaining to read"), or CN_ERR_INCOMPLETE_CHUNKED_ENCODING (libcurl:
 * CURLE_PARTIAL_FILE "transfer closed with outstanding read data
 * remaining"). */
int cn_h1_body_reader_on_eof(struct cn_h1_body_reader *r);

/* cn_h1_body_reader_remaining: Content-Length bytes still expected, 0 for
 * other framings. */
int64_t cn_h1_body_reader_remaining(const struct cn_h1_body_reader *r);

/* cn_h1_body_reader_is_reusable: the body is complete, its framing did not
 * depend on the connection closing, nothing followed it, and the head
 * allowed keep-alive (including the response parser's sticky close mark
 * copied into the head). The connection may carry another request. */
bool cn_h1_body_reader_is_reusable(const struct cn_h1_body_reader *r);

/* cn_h1_body_reader_error_text: libcurl's message for the last feed error
 * (the chunked decoder's, e.g. "chunk hex-length char not a hex digit:
 * 0x7a"), or NULL. */
const char *cn_h1_body_reader_error_text(const struct cn_h1_body_reader *r);

/* cn_h1_body_reader_chunked_decoder: the decoder of a chunked body (for its
 * trailers and error text), or NULL for other framings. */
struct cn_h1_chunked_decoder *cn_h1_body_reader_chunked_decoder(
    struct cn_h1_body_reader *r);

#endif
