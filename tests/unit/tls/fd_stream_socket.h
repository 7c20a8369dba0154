/* fd_stream_socket.h: a minimal cn_stream_socket over a non-blocking fd
 * (one end of a socketpair), driven by the event loop. Test-only: the real
 * TCP socket lives in lib/socket. Takes ownership of |fd| (closed by
 * destroy). Uses the C allocator, so allocation-failure loops count only
 * the library's allocations. */
#ifndef CN_TESTS_UNIT_TLS_FD_STREAM_SOCKET_H
#define CN_TESTS_UNIT_TLS_FD_STREAM_SOCKET_H

#include "util/stream_socket.h"

struct cn_event_loop;

struct cn_stream_socket *cn_test_fd_socket_new(struct cn_event_loop *loop,
                                               int fd);

#endif
