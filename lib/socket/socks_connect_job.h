/* socks_connect_job.h: the SOCKS4/4a/5/5h handshake over a connected
 * stream socket (Chromium's SOCKSConnectJob without its transport step:
 * ssl_connect_job.c runs the transport job first and hands the socket in).
 *
 * libcurl's rules (lib/socks.c): SOCKS4 and SOCKS5 resolve the destination
 * locally (SOCKS4: IPv4 only), SOCKS4a and SOCKS5h send the name; SOCKS5
 * offers "no authentication" and, with a user name and user/password
 * allowed (CURLOPT_SOCKS5_AUTH), method 2; SOCKS4 sends the user name as
 * its USERID. Failures are logged with libcurl's texts and give
 * CN_ERR_SOCKS_CONNECTION_FAILED (CURLE_PROXY) with a CURLproxycode-valued
 * detail (cn_socks_connect_job_proxy_code), or CN_ERR_PROXY_NAME_NOT_RESOLVED
 * style resolver errors for local resolution.
 *
 * The message builders and parsers are pure functions, unit tested.
 *
 * Ownership: the caller owns the job and the socket; the job only borrows
 * the socket until it completes or is freed (free cancels its I/O). */
#ifndef CN_SOCKET_SOCKS_CONNECT_JOB_H
#define CN_SOCKET_SOCKS_CONNECT_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/host_resolver.h"
#include "socket/proxy_config.h"
#include "util/event_loop.h"
#include "util/net_error.h"
#include "util/net_log.h"
#include "util/stream_socket.h"

/* Failure details, numerically CURLproxycode's (the api layer maps by
 * identity). */
enum cn_socks_error {
  CN_SOCKS_OK = 0,
  CN_SOCKS_BAD_ADDRESS_TYPE = 1,
  CN_SOCKS_BAD_VERSION = 2,
  CN_SOCKS_CLOSED = 3,
  CN_SOCKS_GSSAPI_PERMSG = 5,
  CN_SOCKS_IDENTD = 7,
  CN_SOCKS_IDENTD_DIFFER = 8,
  CN_SOCKS_LONG_HOSTNAME = 9,
  CN_SOCKS_LONG_PASSWD = 10,
  CN_SOCKS_LONG_USER = 11,
  CN_SOCKS_NO_AUTH = 12,
  CN_SOCKS_RECV_ADDRESS = 13,
  CN_SOCKS_RECV_AUTH = 14,
  CN_SOCKS_RECV_CONNECT = 15,
  CN_SOCKS_RECV_REQACK = 16,
  CN_SOCKS_REPLY_ADDRESS_TYPE_NOT_SUPPORTED = 17,
  CN_SOCKS_REPLY_COMMAND_NOT_SUPPORTED = 18,
  CN_SOCKS_REPLY_CONNECTION_REFUSED = 19,
  CN_SOCKS_REPLY_GENERAL_SERVER_FAILURE = 20,
  CN_SOCKS_REPLY_HOST_UNREACHABLE = 21,
  CN_SOCKS_REPLY_NETWORK_UNREACHABLE = 22,
  CN_SOCKS_REPLY_NOT_ALLOWED = 23,
  CN_SOCKS_REPLY_TTL_EXPIRED = 24,
  CN_SOCKS_REPLY_UNASSIGNED = 25,
  CN_SOCKS_REQUEST_FAILED = 26,
  CN_SOCKS_RESOLVE_HOST = 27,
  CN_SOCKS_SEND_AUTH = 28,
  CN_SOCKS_SEND_CONNECT = 29,
  CN_SOCKS_SEND_REQUEST = 30,
  CN_SOCKS_UNKNOWN_FAIL = 31,
  CN_SOCKS_UNKNOWN_MODE = 32,
  CN_SOCKS_USER_REJECTED = 33,
};

/* Largest message built (SOCKS4a: 8 + 256 user + 256 host). */
#define CN_SOCKS_MAX_MESSAGE 600

/* --- pure message functions ---------------------------------------------- */

/* cn_socks4_build_request writes a SOCKS4 CONNECT request to |buf|: |ip4|
 * for SOCKS4, or (|host4a| non-NULL) 0.0.0.1 plus the name for SOCKS4a.
 * |user| NULL: empty USERID. Returns the length, or 0 with *out_err
 * (CN_SOCKS_LONG_USER, CN_SOCKS_LONG_HOSTNAME) when a field is too long. */
size_t cn_socks4_build_request(uint8_t *buf, size_t cap, int port,
                               const uint8_t ip4[4], const char *host4a,
                               const char *user, enum cn_socks_error *out_err);

/* cn_socks5_build_greeting: version 5, methods "none" (+ "user/password"
 * when |userpass|). Returns the length (3 or 4). |buf| >= 4 bytes. */
size_t cn_socks5_build_greeting(uint8_t *buf, bool userpass);

/* cn_socks5_build_auth: the RFC 1929 request. 0 and *out_err
 * (CN_SOCKS_LONG_USER / _LONG_PASSWD) when a field exceeds 255 bytes. */
size_t cn_socks5_build_auth(uint8_t *buf, size_t cap, const char *user,
                            const char *password, enum cn_socks_error *out_err);

/* cn_socks5_build_connect: CONNECT to |host| by name (ATYP 3; an IPv4 or
 * IPv6 literal goes as ATYP 1/4), or to the address |ep| when |host| is
 * NULL. 0 and *out_err = CN_SOCKS_LONG_HOSTNAME for names over 255. */
size_t cn_socks5_build_connect(uint8_t *buf, size_t cap, const char *host,
                               const struct cn_ip_endpoint *ep, int port,
                               enum cn_socks_error *out_err);

/* cn_socks5_reply_length: from the first 5 bytes of a CONNECT reply, its
 * full length; false for an unknown address type. */
bool cn_socks5_reply_length(const uint8_t *head5, size_t *out_len);

/* cn_socks5_reply_error maps a non-zero REP byte to its detail. */
enum cn_socks_error cn_socks5_reply_error(uint8_t rep);

/* --- the job ------------------------------------------------------------- */

struct cn_socks_connect_params {
  enum cn_proxy_type type; /* one of the SOCKS types */
  const char *proxy_host;  /* for messages */
  const char *dest_host;   /* where the proxy should connect; no brackets */
  int dest_port;
  const char *user;        /* NULL: none */
  const char *password;
  bool allow_userpass;     /* CURLOPT_SOCKS5_AUTH has CURLAUTH_BASIC */
  bool to_http_proxy;      /* |dest| is an HTTP proxy (for messages) */
  enum cn_ip_family_pref family;
  long dns_cache_timeout_s;
  const struct cn_shared_host_cache *shared_dns;
  const struct cn_net_log *log; /* copied value */
};

struct cn_socks_connect_job;

/* cn_socks_connect_job_new: NULL on OOM. Strings are copied; |socket| is
 * borrowed (connected to the SOCKS proxy). */
struct cn_socks_connect_job *cn_socks_connect_job_new(
    struct cn_event_loop *loop, struct cn_host_resolver *resolver,
    const struct cn_socks_connect_params *params,
    struct cn_stream_socket *socket, cn_completion_fn cb, void *ctx);
void cn_socks_connect_job_free(struct cn_socks_connect_job *job);

/* cn_socks_connect_job_connect runs the handshake: CN_OK, CN_ERR_IO_PENDING
 * (|cb| later, never from inside this call), CN_ERR_SOCKS_CONNECTION_FAILED
 * (detail in cn_socks_connect_job_proxy_code), resolver errors of the local
 * resolution, OOM. Errors are logged. */
int cn_socks_connect_job_connect(struct cn_socks_connect_job *job);

enum cn_socks_error cn_socks_connect_job_proxy_code(
    const struct cn_socks_connect_job *job);

void cn_socks_connect_job_set_net_log(struct cn_socks_connect_job *job,
                                      const struct cn_net_log *log);

#endif
