/* h2_stream.h: one request/response exchange on an HTTP/2 session
 * (Chromium's SpdyHttpStream + SpdyStream), implementing cn_http_stream so
 * the transaction drives it like the HTTP/1.1 stream.
 *
 * Request: the HTTP/1-style header list of the request info becomes HTTP/2
 * fields: Host turns into :authority, the connection-specific fields
 * (Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade)
 * are dropped, TE is kept only as "te: trailers", names are lower-cased;
 * the pseudo-header order is the session's. The body comes from the upload
 * stream as DATA frames within the flow-control windows; send_request
 * completes when all of it was handed to the session (or the server ended
 * the stream first with a final response, as libcurl then drops the rest).
 *
 * Response: every head (1xx included) is a cn_http_response_headers with
 * version 2.0 whose raw lines are what libcurl gives CURLOPT_HEADERFUNCTION
 * for HTTP/2: "HTTP/2 <status> \r\n", one "name: value\r\n" per field
 * (lower-case names as received), then "\r\n". Body bytes come out of
 * read_response_body; the stream's window reopens only as they are read.
 * Trailers are available through response_trailers after the body ended.
 *
 * Errors (texts as libcurl's failf):
 *   CN_ERR_HTTP2_STREAM_ERROR  reset by the server ("HTTP/2 stream N was
 *       not closed cleanly: CODE (err n)"), or closed before a final head
 *   CN_ERR_HTTP2_SERVER_REFUSED_STREAM  refused or beyond a GOAWAY: the
 *       request was not processed and may be retried on a new connection
 *   CN_ERR_HTTP2_PROTOCOL_ERROR  the connection failed after the response
 *       started (or on a protocol error)
 *   CN_ERR_CONTENT_LENGTH_MISMATCH  the connection ended inside the body
 *   a socket error (CN_ERR_CONNECTION_CLOSED ...) when the connection was
 *       lost before any response byte (the transaction's retry rule)
 *
 * Ownership: the transaction owns the stream; the stream borrows the
 * session (which stays alive while the stream is attached), the loop and
 * the log. */
#ifndef CN_HTTP_H2_H2_STREAM_H
#define CN_HTTP_H2_H2_STREAM_H

#include "http/h2/h2_session.h"
#include "http/http_stream.h"

struct cn_http_request_info;
struct cn_net_log;

/* cn_h2_stream_new attaches a new stream to |session| (which must be
 * available). NULL on OOM. */
struct cn_http_stream *cn_h2_stream_new(struct cn_h2_session *session,
                                        struct cn_event_loop *loop,
                                        const struct cn_net_log *log);
/* cn_h2_stream_id: the stream's id on |session| (0: not submitted, or on
 * another session). |stream| must be an HTTP/2 stream. */
int32_t cn_h2_stream_id(struct cn_http_stream *stream,
                        const struct cn_h2_session *session);
/* cn_h2_stream_new_upgraded makes stream 1 of a session created by an h2c
 * upgrade: |req| already went out as HTTP/1.1 (body included), so the
 * stream starts at read_response_headers. |req| is borrowed. CN_OK,
 * CN_ERR_OUT_OF_MEMORY or CN_ERR_UNEXPECTED (not an upgraded session). */
int cn_h2_stream_new_upgraded(struct cn_http_stream **out,
                              struct cn_h2_session *session,
                              struct cn_event_loop *loop,
                              const struct cn_net_log *log,
                              const struct cn_http_request_info *req);

/* The HTTP/2 form of a request's header list (exposed for tests). */
struct cn_h2_request_fields {
  struct cn_h2_header pseudo[CN_H2_NUM_PSEUDO]; /* by enum cn_h2_pseudo */
  struct cn_h2_header *headers;                 /* owned array */
  size_t num_headers;
  char *names; /* owned: the lower-cased names the headers point into */
};

/* cn_h2_request_fields_build converts |req| (method, target, header list,
 * TLS or not); with |split_cookies| every cookie of a Cookie field becomes
 * its own "cookie" field. Values point into |req|'s header list; names
 * into |out|. CN_OK or CN_ERR_OUT_OF_MEMORY; on failure nothing needs
 * freeing. */
int cn_h2_request_fields_build(struct cn_h2_request_fields *out,
                               const struct cn_http_request_info *req,
                               bool split_cookies);
void cn_h2_request_fields_cleanup(struct cn_h2_request_fields *f);

#endif
