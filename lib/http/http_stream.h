/* http_stream.h: one request/response exchange on a connection (Chromium's
 * HttpStream). HTTP/1.1 (h1/http_basic_stream) implements it now; HTTP/2
 * streams will implement the same interface.
 *
 * Calls follow the net-error convention (CN_ERR_IO_PENDING then |cb|).
 * Order: send_request, then read_response_headers (repeat while the head is
 * 1xx), then read_response_body until it returns 0. The stream borrows the
 * connection; its owner (the transaction) releases it to the pool, for reuse
 * only if can_reuse_connection() says the exchange left it clean (HTTP/1;
 * an HTTP/2 stream's connection belongs to its session). */
#ifndef CN_HTTP_HTTP_STREAM_H
#define CN_HTTP_HTTP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/net_error.h"

struct cn_http_stream;
struct cn_http_request_info;
struct cn_http_response_headers;

struct cn_http_stream_ops {
  int (*send_request)(struct cn_http_stream *s,
                      const struct cn_http_request_info *req,
                      cn_completion_fn cb, void *ctx);
  /* CN_OK when a complete head has been parsed (it may be 1xx). */
  int (*read_response_headers)(struct cn_http_stream *s, cn_completion_fn cb,
                               void *ctx);
  /* After read_response_headers failed it may return a head whose
   * cut_short is set: the lines that arrived before the error. */
  const struct cn_http_response_headers *(*response_headers)(
      struct cn_http_stream *s);
  /* > 0 bytes of (de-chunked) body, 0 at its end, or an error. */
  int (*read_response_body)(struct cn_http_stream *s, uint8_t *buf,
                            size_t len, cn_completion_fn cb, void *ctx);
  /* True once any response byte arrived (no retry after that). */
  bool (*received_response_bytes)(struct cn_http_stream *s);
  /* Bytes of request head and body written so far. */
  int64_t (*bytes_sent)(struct cn_http_stream *s, int64_t *out_body_bytes);
  /* True if the response was read completely and the connection may carry
   * another request (keep-alive, framing intact, nothing left unread). */
  bool (*can_reuse_connection)(struct cn_http_stream *s);
  void (*destroy)(struct cn_http_stream *s);
  /* Optional (NULL when the protocol has none): the trailer fields that
   * followed the body, once read_response_body returned 0; NULL if none
   * arrived. Raw lines are "name: value\r\n", as libcurl hands trailers to
   * CURLOPT_HEADERFUNCTION. Owned by the stream. */
  const struct cn_http_response_headers *(*response_trailers)(
      struct cn_http_stream *s);
  /* Optional: bytes read from the connection after the response head that
   * the stream has not handed out (what follows a 101 belongs to the new
   * protocol). *out points into the stream; returns the count. */
  size_t (*unread_bytes)(struct cn_http_stream *s, const uint8_t **out);
};

struct cn_http_stream {
  const struct cn_http_stream_ops *ops;
};

#endif
