/* detached_connection.h: a connection taken out of the pool for good and
 * driven by non-blocking calls: CURLOPT_CONNECT_ONLY's curl_easy_send/recv
 * and a WebSocket after its upgrade (curl_ws_send/recv).
 *
 * The stream-socket interface is asynchronous (a read that cannot complete
 * now completes later, from the event loop); the program's API is not (it
 * wants CURLE_AGAIN and polls the socket itself). So the connection keeps
 * one read and one write of its own in flight, with its own buffers: recv
 * hands out what an earlier read brought and starts the next read; send
 * copies the bytes, starts writing them, and reports them taken (until
 * 64 KiB wait to be written: then CN_ERR_IO_PENDING, the program's
 * CURLE_AGAIN). Every call
 * first runs the socket's loop once without blocking, so completions that
 * arrived since the last call are seen.
 *
 * A connection used between transfers (CONNECT_ONLY) is moved onto a loop
 * of its own (|own_loop|): nothing else runs the transfer's loop once the
 * transfer is over. One read by a transfer (a WebSocket in write-callback
 * mode) stays on the transfer's loop and asks to be told when bytes arrive
 * (cn_detached_connection_set_notify).
 *
 * Ownership: the connection owns its socket (and its own loop); the api
 * layer owns the connection (struct cn_easy). */
#ifndef CN_SOCKET_DETACHED_CONNECTION_H
#define CN_SOCKET_DETACHED_CONNECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/net_error.h"

struct cn_detached_connection;
struct cn_event_loop;
struct cn_stream_socket;

/* cn_detached_connection_new takes ownership of |socket| (on success; on
 * failure the caller keeps it), which sits on |loop| with no read or write
 * pending. |pending|/|pending_len| are bytes already read from the socket
 * that belong to the program (after an HTTP head); they are copied. With
 * |own_loop| the socket moves onto a private loop. NULL on OOM or when the
 * socket cannot move. */
struct cn_detached_connection *cn_detached_connection_new(
    struct cn_stream_socket *socket, struct cn_event_loop *loop,
    const uint8_t *pending, size_t pending_len, bool own_loop);
/* Closes the socket; NULL-safe. */
void cn_detached_connection_free(struct cn_detached_connection *c);

/* cn_detached_connection_recv: bytes copied to |buf| (> 0), 0 once the
 * peer closed, CN_ERR_IO_PENDING when nothing is ready, or a net error. */
int cn_detached_connection_recv(struct cn_detached_connection *c,
                                uint8_t *buf, size_t len);
/* cn_detached_connection_send: bytes taken (> 0; written or being
 * written), CN_ERR_IO_PENDING when an earlier write still waits for the
 * socket, or a net error (of this write or of an earlier one). */
int cn_detached_connection_send(struct cn_detached_connection *c,
                                const uint8_t *buf, size_t len);
/* cn_detached_connection_flush waits (running the loop, up to |timeout_ms|)
 * until every taken byte is written. CN_OK, a net error, or
 * CN_ERR_TIMED_OUT. */
int cn_detached_connection_flush(struct cn_detached_connection *c,
                                 long timeout_ms);
/* cn_detached_connection_wait_readable runs the loop up to |timeout_ms|
 * until recv has something to say (bytes, end or error). */
void cn_detached_connection_wait_readable(struct cn_detached_connection *c,
                                          long timeout_ms);
/* The OS socket (CURLINFO_ACTIVESOCKET), -1 if none. */
int cn_detached_connection_fd(const struct cn_detached_connection *c);
/* cn_detached_connection_set_notify: |fn| is called from the loop when a
 * read the connection started completes (recv will then not return
 * CN_ERR_IO_PENDING). NULL stops it. */
void cn_detached_connection_set_notify(struct cn_detached_connection *c,
                                       void (*fn)(void *ctx), void *ctx);

#endif
