/* ssl_connect_job.h: the whole connect of one pool request (Chromium's
 * SSLConnectJob on top of its TransportConnectJob): the transport job, then,
 * when |use_tls|, a TLS handshake through lib/tls. Plain connections skip the
 * TLS step, so the pool runs this job for every new socket.
 *
 * The overall limit (|connect_timeout_ms|, 0: libcurl's 300 s) covers DNS,
 * TCP and TLS; on expiry the job fails with CN_ERR_CONNECTION_TIMED_OUT and
 * libcurl's "Connection timed out after N milliseconds" (or "Resolving timed
 * out after ..." while DNS runs).
 *
 * When everything is connected the job logs libcurl's "Connected to HOST
 * (IP) port PORT" line (after TLS, as libcurl 8 does).
 *
 * Ownership: the caller owns the job; cn_ssl_connect_job_free cancels it
 * without calling back and closes a socket not taken. */
#ifndef CN_SOCKET_SSL_CONNECT_JOB_H
#define CN_SOCKET_SSL_CONNECT_JOB_H

#include "socket/client_socket_pool.h"
#include "util/event_loop.h"
#include "util/net_error.h"

struct cn_ssl_connect_job;

/* cn_ssl_connect_job_new: NULL on OOM. Strings of |params| are copied;
 * |params->ssl|, |params->ssl_ctx| and |params->shared_dns| must stay valid
 * until the job completes or is freed. |params->ssl_ctx|, when set, is used
 * instead of |ssl_ctx|. |ssl_ctx| may be NULL when TLS is never asked
 * for. */
struct cn_ssl_connect_job *cn_ssl_connect_job_new(
    struct cn_event_loop *loop, struct cn_host_resolver *resolver,
    struct cn_ssl_client_context *ssl_ctx,
    const struct cn_socket_params *params, cn_completion_fn cb, void *ctx);
void cn_ssl_connect_job_free(struct cn_ssl_connect_job *job);

/* cn_ssl_connect_job_connect starts the job: CN_OK, CN_ERR_IO_PENDING (|cb|
 * later, never from inside this call), or an error already logged:
 * everything cn_transport_connect_job_connect returns, the TLS errors of
 * cn_ssl_client_socket_connect, CN_ERR_SSL_ENGINE_INIT_FAILED when TLS is
 * asked without a context. */
int cn_ssl_connect_job_connect(struct cn_ssl_connect_job *job);

/* cn_ssl_connect_job_take_result moves the connected socket into |handle|
 * and fills its timing and endpoints (other handle fields untouched). Only
 * after success. */
void cn_ssl_connect_job_take_result(struct cn_ssl_connect_job *job,
                                    struct cn_client_socket_handle *handle);

/* cn_ssl_connect_job_timing: the steps done so far (also after failure,
 * for CURLINFO_NAMELOOKUP_TIME of a failed transfer). */
void cn_ssl_connect_job_timing(const struct cn_ssl_connect_job *job,
                               struct cn_connect_timing *out);

void cn_ssl_connect_job_set_net_log(struct cn_ssl_connect_job *job,
                                    const struct cn_net_log *log);

#endif
