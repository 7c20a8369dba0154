/* http_network_transaction.h: one HTTP request/response over the network
 * (Chromium's HttpNetworkTransaction): gets a connection from the pool,
 * creates the stream, sends, reads the head, and retries once on a fresh
 * connection when a reused keep-alive connection fails before any response
 * byte (Chromium's rule; never otherwise). HTTP/2: streams multiplex on a
 * session of the HTTP/2 session pool; a stream the server refused is sent
 * again on a new connection (up to 5 times, as libcurl).
 *
 * Ownership: the caller owns the transaction; |req| (and everything it
 * points to) is borrowed until the transaction is freed. */
#ifndef CN_HTTP_HTTP_NETWORK_TRANSACTION_H
#define CN_HTTP_HTTP_NETWORK_TRANSACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socket/client_socket_pool.h"
#include "util/net_error.h"

struct cn_http_network_session;
struct cn_h2_session;
struct cn_http_network_transaction;
struct cn_http_request_info;
struct cn_http_response_headers;
struct cn_buf;

/* Called for every response head, interim (1xx) ones included, in order.
 * A negative return aborts the transaction with that error. */
typedef int (*cn_http_head_fn)(void *ctx,
                               const struct cn_http_response_headers *head);

struct cn_http_network_transaction *cn_http_network_transaction_new(
    struct cn_http_network_session *session);
/* Frees; a socket in use is closed unless the body was read completely and
 * the connection is reusable, in which case it returns to the pool. */
void cn_http_network_transaction_free(struct cn_http_network_transaction *t);

/* cn_http_network_transaction_start sends |req| and completes (CN_OK or an
 * error; usually through |cb|) once the final response head is in. */
int cn_http_network_transaction_start(struct cn_http_network_transaction *t,
                                      const struct cn_http_request_info *req,
                                      cn_http_head_fn on_head, void *head_ctx,
                                      cn_completion_fn cb, void *ctx);
/* The final response head; NULL before start completes. */
const struct cn_http_response_headers *cn_http_network_transaction_response(
    struct cn_http_network_transaction *t);
/* cn_http_network_transaction_read: body bytes (> 0), 0 at the end, or an
 * error; CN_ERR_IO_PENDING then |cb|. */
int cn_http_network_transaction_read(struct cn_http_network_transaction *t,
                                     uint8_t *buf, size_t len,
                                     cn_completion_fn cb, void *ctx);
/* The connection used: timing, addresses, reuse, id. NULL before one was
 * assigned. */
const struct cn_client_socket_handle *cn_http_network_transaction_connection(
    const struct cn_http_network_transaction *t);
/* TLS details of the connection to the origin (is_tls false for plain
 * HTTP, also through an HTTPS proxy). */
void cn_http_network_transaction_tls_info(struct cn_http_network_transaction *t,
                                          struct cn_tls_info *out);
/* Bytes of request head written (CURLINFO_REQUEST_SIZE) and body bytes. */
int64_t cn_http_network_transaction_bytes_sent(
    struct cn_http_network_transaction *t, int64_t *out_body_bytes);
/* cn_http_network_transaction_keeps_connection: freeing |t| now leaves its
 * connection open for other requests (HTTP/1.1: the response was read
 * completely and the connection may be reused; HTTP/2: the session goes
 * on). False when there is no connection. */
bool cn_http_network_transaction_keeps_connection(
    const struct cn_http_network_transaction *t);
/* True once the current attempt's request was sent whole (an error then
 * came while waiting for the answer). */
bool cn_http_network_transaction_request_sent(
    const struct cn_http_network_transaction *t);
/* True when the current attempt failed while its request went out on a
 * connection it had (libcurl's CURLE_SEND_ERROR, not a connect error). */
bool cn_http_network_transaction_send_failed(
    const struct cn_http_network_transaction *t);
/* True when the request runs as a stream of an HTTP/2 session. */
bool cn_http_network_transaction_is_http2(
    const struct cn_http_network_transaction *t);
/* The trailer fields that followed the body (HTTP/2 trailers), once read()
 * returned 0; NULL if none. Raw lines are "name: value\r\n" as libcurl
 * passes trailers to CURLOPT_HEADERFUNCTION. Owned by the transaction. */
const struct cn_http_response_headers *cn_http_network_transaction_trailers(
    struct cn_http_network_transaction *t);

/* cn_http_network_transaction_h2_stream_id: the id of the transaction's
 * HTTP/2 stream if it runs on |session|, else 0. */
int32_t cn_http_network_transaction_h2_stream_id(
    const struct cn_http_network_transaction *t,
    const struct cn_h2_session *session);

/* cn_http_network_transaction_detach takes the HTTP/1 connection out of
 * the pool for good (after a CONNECT_ONLY transaction, or a 101 response):
 * returns the socket (the caller owns it) and appends to |out_unread| the
 * bytes already read past the response head. NULL for HTTP/2, without a
 * connection, or on OOM (the transaction then keeps everything). */
struct cn_stream_socket *cn_http_network_transaction_detach(
    struct cn_http_network_transaction *t, struct cn_buf *out_unread);

#endif
