/* transport_connect_job.h: resolve a host, then connect TCP to one of its
 * addresses with Happy Eyeballs v2 (RFC 8305) — Chromium's
 * TransportConnectJob.
 *
 * Attempts interleave the address families (starting with the family of the
 * resolver's first address); a new attempt starts when the previous one
 * fails or |happy_eyeballs_ms| pass without an answer. The first connected
 * attempt wins and the others are closed.
 *
 * Ownership: the caller owns the job (cn_transport_connect_job_free, which
 * cancels everything without calling back). The connected socket belongs to
 * the job until cn_transport_connect_job_take_socket. */
#ifndef CN_SOCKET_TRANSPORT_CONNECT_JOB_H
#define CN_SOCKET_TRANSPORT_CONNECT_JOB_H

#include <stdint.h>

#include "dns/host_resolver.h"
#include "socket/tcp_client_socket.h"
#include "util/event_loop.h"
#include "util/ip_endpoint.h"
#include "util/net_error.h"
#include "util/net_log.h"
#include "util/stream_socket.h"

struct cn_transport_connect_job;

/* libcurl's DEFAULT_CONNECT_TIMEOUT: CURLOPT_CONNECTTIMEOUT 0 means this. */
#define CN_DEFAULT_CONNECT_TIMEOUT_MS 300000L
/* CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS default. */
#define CN_DEFAULT_HAPPY_EYEBALLS_MS 200L

struct cn_transport_connect_params {
  const char *host; /* to resolve; no brackets. Copied. */
  int port;
  /* Name used in messages ("Failed to connect to NAME port ..."); NULL:
   * |host|. Copied. */
  const char *display_host;
  /* |host| is a proxy (resolver failures say "Could not resolve proxy"). */
  bool is_proxy;
  enum cn_ip_family_pref family;
  long dns_cache_timeout_s;
  bool dns_shuffle; /* CURLOPT_DNS_SHUFFLE_ADDRESSES (cn_resolve_params) */
  /* A share's DNS cache to use instead of the resolver's (NULL: none);
   * must outlive the job. */
  const struct cn_shared_host_cache *shared_dns;
  /* Limit for this job (resolve + connect); 0 or less: libcurl's default of
   * 300 s. On expiry: CN_ERR_CONNECTION_TIMED_OUT and libcurl's "Resolving
   * timed out after N milliseconds" / "Connection timed out after N
   * milliseconds", counted from |start_us|. */
  long timeout_ms;
  /* When the transfer's connect phase began (cn_time_now_us); 0: now. The
   * "after N ms" of messages counts from here, as libcurl counts from the
   * transfer's start. */
  int64_t start_us;
  long happy_eyeballs_ms; /* <= 0: 200 */
  struct cn_tcp_socket_options tcp; /* interface string copied */
  const struct cn_net_log *log;     /* copied value; may be NULL */
  /* CURLOPT_UNIX_SOCKET_PATH / ABSTRACT_UNIX_SOCKET: connect to this Unix
   * socket instead of resolving |host| (copied; NULL: TCP). */
  const char *unix_path;
  bool abstract_unix;
  /* CURLOPT_HAPROXYPROTOCOL: send a PROXY protocol v1 line first, naming
   * |haproxy_client_ip| (copied; NULL: the local address) as the client. */
  bool haproxy;
  const char *haproxy_client_ip;
};

struct cn_transport_connect_timing {
  int64_t dns_start_us, dns_end_us;
  int64_t connect_start_us, connect_end_us;
};

/* cn_transport_connect_job_new: NULL on OOM. |resolver| and |loop| must
 * outlive the job. |cb| gets the result of an operation that returned
 * CN_ERR_IO_PENDING. */
struct cn_transport_connect_job *cn_transport_connect_job_new(
    struct cn_event_loop *loop, struct cn_host_resolver *resolver,
    const struct cn_transport_connect_params *params, cn_completion_fn cb,
    void *ctx);
void cn_transport_connect_job_free(struct cn_transport_connect_job *job);

/* cn_transport_connect_job_connect starts the job (once): CN_OK (connected
 * without waiting, e.g. a cached name and an instant connect),
 * CN_ERR_IO_PENDING, or an error already logged with cn_net_log_fail:
 *   CN_ERR_NAME_NOT_RESOLVED and the other resolver errors (logged by the
 *     resolver: "Could not resolve host: NAME"),
 *   CN_ERR_CONNECTION_REFUSED, CN_ERR_ADDRESS_UNREACHABLE,
 *   CN_ERR_CONNECTION_FAILED ("Failed to connect to NAME port P after N ms:
 *     Couldn't connect to server"),
 *   CN_ERR_CONNECTION_TIMED_OUT, CN_ERR_LOCAL_BIND_FAILED, OOM,
 *   CN_ERR_CALLBACK_ABORTED (a socket hook said so),
 *   CN_ERR_NAME_NOT_RESOLVED when the resolver_start hook refused. */
int cn_transport_connect_job_connect(struct cn_transport_connect_job *job);

/* cn_transport_connect_job_take_socket hands over the connected socket
 * (NULL if there is none). */
struct cn_stream_socket *cn_transport_connect_job_take_socket(
    struct cn_transport_connect_job *job);

/* cn_transport_connect_job_timing: what happened so far (0: not yet). */
void cn_transport_connect_job_timing(const struct cn_transport_connect_job *job,
                                     struct cn_transport_connect_timing *out);

/* The PROXY protocol v1 line of one connection being written (libcurl's
 * haproxy filter). Embedded, zero-initialised; nothing to free. */
struct cn_haproxy_writer {
  char line[160];
  size_t len, sent;
};

/* cn_haproxy_writer_write writes (the rest of) the line for |s| (its local
 * and peer addresses, |client_ip| as the client when not NULL; |unknown|:
 * "PROXY UNKNOWN", for Unix sockets): |s|'s write result (|cb| later on
 * CN_ERR_IO_PENDING), or CN_ERR_INVALID_ARGUMENT (line too long),
 * CN_ERR_CONNECTION_FAILED (no addresses). */
int cn_haproxy_writer_write(struct cn_haproxy_writer *w,
                            struct cn_stream_socket *s, bool unknown,
                            const char *client_ip, cn_completion_fn cb,
                            void *ctx);
/* cn_haproxy_writer_complete takes a write's result |rv|: CN_OK (with
 * *out_more when part of the line is still to go) or the error. */
int cn_haproxy_writer_complete(struct cn_haproxy_writer *w, int rv,
                               bool *out_more);

/* cn_transport_connect_job_is_resolving: still waiting for DNS. */
bool cn_transport_connect_job_is_resolving(
    const struct cn_transport_connect_job *job);

/* cn_transport_connect_job_set_net_log redirects logging (the request that
 * owns the job changed). */
void cn_transport_connect_job_set_net_log(struct cn_transport_connect_job *job,
                                          const struct cn_net_log *log);

#endif
