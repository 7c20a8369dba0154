/* ssl_client_socket.h: a TLS client on BoringSSL over any stream socket
 * (Chromium's SSLClientSocketImpl + SocketBIOAdapter), and the per-multi
 * context that caches SSL_CTXs, trust stores and sessions.
 *
 * The TLS socket implements cn_stream_socket; after a successful connect
 * the HTTP layer reads and writes plaintext through it. */
#ifndef CN_TLS_SSL_CLIENT_SOCKET_H
#define CN_TLS_SSL_CLIENT_SOCKET_H

#include "tls/ssl_config.h"
#include "util/net_error.h"
#include "util/stream_socket.h"

struct cn_net_log;
struct cn_event_loop;
struct cn_ssl_client_context;

/* cn_ssl_client_context_new: one per multi handle (or share handle with
 * CURL_LOCK_DATA_SSL_SESSION). NULL on OOM. */
struct cn_ssl_client_context *cn_ssl_client_context_new(void);
void cn_ssl_client_context_free(struct cn_ssl_client_context *ctx);
/* cn_ssl_client_context_set_lock installs the lock guarding the context's
 * caches when several threads use it (a share handle with
 * CURL_LOCK_DATA_SSL_SESSION): |fn|(|arg|, true) locks, (|arg|, false)
 * unlocks. NULL |fn| (the default): no locking. */
typedef void (*cn_ssl_client_context_lock_fn)(void *arg, bool lock);
void cn_ssl_client_context_set_lock(struct cn_ssl_client_context *ctx,
                                    cn_ssl_client_context_lock_fn fn,
                                    void *arg);

/* cn_ssl_client_socket_new wraps |transport| (an already connected socket).
 * Takes ownership of |transport| on success; on failure the caller keeps it.
 * |host| is the name to send as SNI (not for IP literals) and to verify
 * against; |cfg| must outlive the call only (what is needed is copied or
 * loaded into the cached SSL_CTX). */
int cn_ssl_client_socket_new(struct cn_ssl_client_context *ctx,
                             struct cn_event_loop *loop,
                             const struct cn_ssl_config *cfg, const char *host,
                             int port, struct cn_stream_socket *transport,
                             const struct cn_net_log *log,
                             struct cn_stream_socket **out);

/* cn_ssl_client_socket_connect runs the handshake and verification.
 * CN_OK, CN_ERR_IO_PENDING (|cb| later), or an error with a libcurl-style
 * message already logged through cn_net_log_fail:
 *   CN_ERR_CERT_AUTHORITY_INVALID, CN_ERR_CERT_COMMON_NAME_INVALID,
 *   CN_ERR_CERT_DATE_INVALID, CN_ERR_CERT_INVALID   -> peer verification
 *   CN_ERR_SSL_CACERT_BADFILE                        -> CA file unusable
 *   CN_ERR_SSL_CERT_PROBLEM                          -> client cert unusable
 *   CN_ERR_SSL_CIPHER_BAD                            -> bad cipher list
 *   CN_ERR_SSL_PINNED_KEY_MISMATCH
 *   CN_ERR_SSL_PROTOCOL_ERROR / _HANDSHAKE_FAILED / _VERSION_OR_CIPHER_MISMATCH
 *   CN_ERR_CONNECTION_CLOSED / _RESET (transport errors) */
int cn_ssl_client_socket_connect(struct cn_stream_socket *s,
                                 cn_completion_fn cb, void *ctx);

/* cn_tls_global_init reads SSLKEYLOGFILE (libcurl honours it) and prepares
 * BoringSSL; idempotent. cn_tls_library_version writes "BoringSSL" plus
 * the revision for curl_version(). */
int cn_tls_global_init(void);
void cn_tls_global_cleanup(void);
const char *cn_tls_library_version(void);

#endif
