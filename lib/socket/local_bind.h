/* local_bind.h: the local end of an outgoing TCP socket as libcurl's
 * CURLOPT_INTERFACE, CURLOPT_LOCALPORT and CURLOPT_LOCALPORTRANGE ask
 * (libcurl's bindlocal()). */
#ifndef CN_SOCKET_LOCAL_BIND_H
#define CN_SOCKET_LOCAL_BIND_H

#include <stdbool.h>
#include <stddef.h>

#include "util/net_error.h"
#include "util/net_log.h"

/* How CURLOPT_INTERFACE's text splits: "if!x" names only an interface,
 * "host!x" only a host or address, "ifhost!i!h" both, anything else is
 * tried as an interface and then as a host. Pointers refer into |spec| or
 * |storage|. */
struct cn_local_bind_spec {
  const char *iface;       /* interface to bind to (SO_BINDTODEVICE / its IP) */
  const char *host;        /* host name or IP to bind to */
  bool iface_only;         /* "if!": never fall back to a host lookup */
  bool host_given;         /* "host!" or "ifhost!": |host| came explicitly */
};

/* cn_local_bind_parse splits |spec| (may be NULL: all fields empty). The
 * "ifhost!" form needs a copy: |storage| of |storage_len| bytes receives it;
 * false if it does not fit or the form is malformed. */
bool cn_local_bind_parse(struct cn_local_bind_spec *out, const char *spec,
                         char *storage, size_t storage_len);

/* cn_local_bind binds |fd| (an AF_INET or AF_INET6 socket of |family|) as
 * asked; does nothing when neither an interface nor a port is given.
 * Returns CN_OK, CN_ERR_ADDRESS_INVALID when the interface or host has no
 * address of |family| (the caller tries another address family), or
 * CN_ERR_LOCAL_BIND_FAILED with libcurl's message logged through
 * cn_net_log_fail. Host names are resolved synchronously (libcurl waits
 * too). */
int cn_local_bind(int fd, int family, const char *interface_spec,
                  int local_port, int local_port_range,
                  const struct cn_net_log *log);

#endif
