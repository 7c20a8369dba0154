/* socket_bio_adapter.h: a BIO whose reads and writes are served from
 * buffers that are filled and drained by a cn_stream_socket's asynchronous
 * read and write (Chromium's SocketBIOAdapter).
 *
 * BoringSSL calls the BIO synchronously; when the buffer cannot serve a
 * call, the BIO reports "retry" and the adapter starts (or keeps) a
 * transport operation. When that finishes, the delegate is told through
 * on_readable / on_writable, always from the event loop (the transport's
 * completion or a posted task), never from inside a BIO call.
 *
 * Ownership: the adapter owns |transport| (destroyed by
 * cn_socket_bio_adapter_free) and holds one reference to its BIO; the
 * caller takes its own reference with cn_socket_bio_adapter_bio. */
#ifndef CN_TLS_SOCKET_BIO_ADAPTER_H
#define CN_TLS_SOCKET_BIO_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/bio.h>

struct cn_event_loop;
struct cn_stream_socket;
struct cn_socket_bio_adapter;

struct cn_socket_bio_adapter_delegate {
  /* Data, EOF or a read error arrived after the BIO asked to retry. */
  void (*on_readable)(void *ctx);
  /* Buffer space freed after the BIO asked to retry, or a write failed. */
  void (*on_writable)(void *ctx);
  void *ctx;
};

/* cn_socket_bio_adapter_new: NULL on OOM (the caller keeps |transport|).
 * The read buffer starts at |read_capacity| bytes and is replaced, once, by
 * one of |max_read_capacity| bytes after a transport read filled it (more
 * was probably waiting: a bulk download), so small exchanges keep a small
 * buffer and large ones need fewer reads. If that allocation fails the
 * small buffer stays. */
struct cn_socket_bio_adapter *cn_socket_bio_adapter_new(
    struct cn_event_loop *loop, struct cn_stream_socket *transport,
    size_t read_capacity, size_t max_read_capacity, size_t write_capacity,
    const struct cn_socket_bio_adapter_delegate *delegate);
/* cn_socket_bio_adapter_free destroys the transport and detaches the BIO
 * (later BIO calls fail). NULL-safe. */
void cn_socket_bio_adapter_free(struct cn_socket_bio_adapter *a);

/* cn_socket_bio_adapter_attach_event_loop moves the adapter's posted task
 * and its transport (stream_socket.h's attach_event_loop) to |loop|, or
 * off every loop when NULL. Transport operations in flight keep going on
 * the new loop. CN_OK or the transport's error (CN_ERR_NOT_IMPLEMENTED if
 * it cannot move). */
int cn_socket_bio_adapter_attach_event_loop(struct cn_socket_bio_adapter *a,
                                            struct cn_event_loop *loop);

/* cn_socket_bio_adapter_bio returns the BIO with a new reference. */
BIO *cn_socket_bio_adapter_bio(struct cn_socket_bio_adapter *a);
struct cn_stream_socket *
cn_socket_bio_adapter_transport(struct cn_socket_bio_adapter *a);

/* Transport state, for the TLS socket to tell a TCP EOF from a TLS error:
 * read_eof is true once the transport read returned 0; read_error and
 * write_error hold the transport's net error (0 if none). */
bool cn_socket_bio_adapter_read_eof(const struct cn_socket_bio_adapter *a);
int cn_socket_bio_adapter_read_error(const struct cn_socket_bio_adapter *a);
int cn_socket_bio_adapter_write_error(const struct cn_socket_bio_adapter *a);
/* Bytes received from the transport and not yet consumed by the BIO. */
size_t
cn_socket_bio_adapter_buffered_read(const struct cn_socket_bio_adapter *a);
/* Bytes accepted from BoringSSL and not yet written to the transport. */
size_t
cn_socket_bio_adapter_buffered_write(const struct cn_socket_bio_adapter *a);

#endif
