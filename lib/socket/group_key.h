/* group_key.h: the name of a socket pool group (Chromium's
 * ClientSocketPool::GroupId): two requests share idle sockets exactly when
 * their keys are equal.
 *
 * The key holds the scheme (http/https), the lower-cased host and port, the
 * CONNECT_TO target, the local binding (interface, local port range), the
 * address family preference, the TLS configuration (cn_ssl_config_key, TLS
 * only) and the caller's extra text (proxy chain, profile). Variable-length
 * parts carry their length, so different parameters never collide. */
#ifndef CN_SOCKET_GROUP_KEY_H
#define CN_SOCKET_GROUP_KEY_H

#include "socket/client_socket_pool.h"
#include "util/buf.h"

/* cn_group_key_build appends the key of |params| to |out|: CN_OK or
 * CN_ERR_OUT_OF_MEMORY (|out| may then hold part of a key). */
int cn_group_key_build(struct cn_buf *out,
                       const struct cn_socket_params *params);

#endif
