/* tcp_client_socket.h: a non-blocking TCP socket that implements
 * cn_stream_socket (Chromium's TCPClientSocket): one connect attempt to one
 * endpoint, then reads and writes driven by the event loop.
 *
 * Ownership: cn_tcp_client_socket_new returns a socket owned by the caller,
 * freed with cn_stream_socket_destroy(cn_tcp_client_socket_stream(s)), which
 * also closes the fd and drops pending callbacks. */
#ifndef CN_SOCKET_TCP_CLIENT_SOCKET_H
#define CN_SOCKET_TCP_CLIENT_SOCKET_H

#include <stdbool.h>

#include "util/event_loop.h"
#include "util/ip_endpoint.h"
#include "util/net_error.h"
#include "util/net_log.h"
#include "util/stream_socket.h"

struct cn_tcp_client_socket;
struct cn_socket_hooks;

/* cn_socket_hooks: the program's own steps around a connection (libcurl's
 * CURLOPT_OPENSOCKETFUNCTION, SOCKOPTFUNCTION, CLOSESOCKETFUNCTION and
 * RESOLVER_START_FUNCTION). The function members are adapters written by
 * the api layer; |program[]| holds the program's callbacks and data, which
 * only the adapters understand. Copied by value into every job and socket
 * that needs them, so they have no owner. A NULL adapter: libcurl's
 * default (socket(), nothing, close(), nothing). */
struct cn_socket_hooks {
  /* open returns a new stream socket for |peer| (which it may change), or
   * -1: the attempt fails with CN_ERR_CONNECTION_FAILED. */
  int (*open)(const struct cn_socket_hooks *h, struct cn_ip_endpoint *peer);
  /* configure runs after the socket options, before bind and connect:
   * CN_OK, CN_ERR_CALLBACK_ABORTED, or 1: the program connected it. */
  int (*configure)(const struct cn_socket_hooks *h, int fd);
  /* close closes |fd| instead of close(2). */
  void (*close)(const struct cn_socket_hooks *h, int fd);
  /* resolver_start runs before a name is resolved (not on a DNS cache
   * hit) with the resolver's state (the c-ares channel); non-zero fails
   * the resolve. */
  int (*resolver_start)(const struct cn_socket_hooks *h, void *state);
  struct {
    void (*fn)(void);
    void *data;
  } program[4]; /* by the adapters' own numbering */
};

/* Socket options applied before connecting. Strings are read only during
 * cn_tcp_client_socket_connect. */
struct cn_tcp_socket_options {
  bool nodelay;      /* TCP_NODELAY (libcurl's default: on) */
  bool keepalive;    /* SO_KEEPALIVE */
  long keepidle_s;   /* TCP_KEEPIDLE when keepalive; <= 0: system default */
  long keepintvl_s;  /* TCP_KEEPINTVL when keepalive; <= 0: system default */
  long keepcnt;      /* TCP_KEEPCNT when keepalive; <= 0: system default */
  /* CURLOPT_ADDRESS_SCOPE: the sin6_scope_id an IPv6 peer is connected
   * with (set after the open hook, as libcurl does); 0: as resolved. */
  unsigned int scope_id;
  /* CURLOPT_INTERFACE: "if!name", "host!name", "ifhost!if!host" or a plain
   * interface name / host name / IP; NULL: no local address binding. */
  const char *interface_name;
  int local_port;       /* CURLOPT_LOCALPORT; 0: any */
  int local_port_range; /* CURLOPT_LOCALPORTRANGE: ports tried from
                           local_port on */
  struct cn_socket_hooks hooks; /* the program's socket callbacks */
};

/* cn_tcp_socket_options_init sets libcurl's defaults (nodelay on). */
void cn_tcp_socket_options_init(struct cn_tcp_socket_options *opts);

/* cn_tcp_client_socket_new: an unconnected socket; NULL on OOM. |log| is
 * copied (may be NULL). */
struct cn_tcp_client_socket *cn_tcp_client_socket_new(
    struct cn_event_loop *loop, const struct cn_net_log *log);

/* cn_tcp_client_socket_adopt wraps |fd|, an already connected stream socket
 * (made non-blocking here). Takes ownership of |fd| on success; on failure
 * (NULL, OOM) the caller keeps it. */
struct cn_tcp_client_socket *cn_tcp_client_socket_adopt(
    struct cn_event_loop *loop, int fd, const struct cn_net_log *log);

/* cn_tcp_client_socket_connect opens a socket of |peer|'s family (through
 * |opts->hooks.open| when set; AF_UNIX peers get a Unix stream socket
 * without TCP options or binding), applies |opts|, binds locally when
 * asked and starts a non-blocking connect.
 * Returns CN_OK (connected already), CN_ERR_IO_PENDING (|cb| is called later
 * from the event loop, never from inside this call), or an error:
 *   CN_ERR_CONNECTION_REFUSED, CN_ERR_ADDRESS_UNREACHABLE,
 *   CN_ERR_CONNECTION_TIMED_OUT, CN_ERR_CONNECTION_FAILED (others),
 *   CN_ERR_ADDRESS_INVALID (family not supported here: try another address),
 *   CN_ERR_LOCAL_BIND_FAILED (logged with cn_net_log_fail),
 *   CN_ERR_CALLBACK_ABORTED (the configure hook said so; logged),
 *   CN_ERR_INSUFFICIENT_RESOURCES, CN_ERR_OUT_OF_MEMORY.
 * Called at most once per socket. */
int cn_tcp_client_socket_connect(struct cn_tcp_client_socket *s,
                                 const struct cn_ip_endpoint *peer,
                                 const struct cn_tcp_socket_options *opts,
                                 cn_completion_fn cb, void *ctx);

/* cn_tcp_client_socket_os_error: the errno of the last failed connect, read
 * or write (0 if none), for messages like libcurl's "connect to ... failed:
 * Connection refused". */
int cn_tcp_client_socket_os_error(const struct cn_tcp_client_socket *s);

/* cn_tcp_client_socket_stream: the cn_stream_socket view (same object). */
struct cn_stream_socket *cn_tcp_client_socket_stream(
    struct cn_tcp_client_socket *s);

/* cn_socket_map_os_error turns an errno into a net error; |fallback| is
 * returned for errnos without a specific mapping. */
int cn_socket_map_os_error(int os_error, int fallback);

#endif
