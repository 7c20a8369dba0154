/* http_basic_stream.h: HTTP/1.1 over one pooled connection (Chromium's
 * HttpBasicStream + HttpStreamParser): writes the request head and body,
 * parses the response head with the h1 response parser and frames the body
 * with the h1 body reader. */
#ifndef CN_HTTP_H1_HTTP_BASIC_STREAM_H
#define CN_HTTP_H1_HTTP_BASIC_STREAM_H

#include "http/http_stream.h"
#include "socket/client_socket_pool.h"

struct cn_event_loop;
struct cn_net_log;

/* cn_http_basic_stream_new: the stream borrows |handle| (which holds a
 * connected socket), |loop| (the 100-continue wait's timer runs there) and
 * |log|; all must outlive it. NULL on OOM. */
struct cn_http_stream *cn_http_basic_stream_new(
    struct cn_client_socket_handle *handle, struct cn_event_loop *loop,
    const struct cn_net_log *log);
/* cn_http_basic_stream_leftover: bytes read after the last response head
 * that no body took (after a 101 they belong to the new protocol). Valid
 * until the stream is destroyed or read again. */
const uint8_t *cn_http_basic_stream_leftover(struct cn_http_stream *stream,
                                             size_t *out_len);

#endif
