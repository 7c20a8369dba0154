/* mock_socket.h: a scripted cn_stream_socket for unit tests (the idea of
 * Chromium's StaticSocketDataProvider). Reads are served from a script of
 * steps, each synchronous or asynchronous (completed from the event loop);
 * everything written is recorded. */
#ifndef CN_TESTS_UNIT_MOCK_SOCKET_H
#define CN_TESTS_UNIT_MOCK_SOCKET_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/event_loop.h"
#include "util/stream_socket.h"

struct mock_read {
  /* NULL: |result| is returned instead (0 = EOF); a result of
   * CN_ERR_IO_PENDING is a read that never completes (a silent peer) until
   * cancelled, after which the next step serves. */
  const char *data;
  size_t len;       /* 0 with data: strlen(data) */
  int result;
  bool async;
};

struct mock_socket {
  struct cn_stream_socket base;
  struct cn_event_loop *loop;
  const struct mock_read *reads;
  size_t num_reads;
  size_t next_read;
  size_t read_offset; /* within the current step */
  struct cn_buf written;
  int write_result; /* < 0: every write fails with it */
  size_t max_write; /* > 0: writes take at most this much */
  /* pending async read */
  struct cn_task task;
  uint8_t *pending_buf;
  size_t pending_len;
  cn_completion_fn pending_cb;
  void *pending_ctx;
  bool destroyed;
};

/* mock_socket_init: |reads| is borrowed. The socket is embedded; its
 * destroy op only marks it (tests inspect it afterwards). */
void mock_socket_init(struct mock_socket *m, struct cn_event_loop *loop,
                      const struct mock_read *reads, size_t num_reads);
void mock_socket_cleanup(struct mock_socket *m);
bool mock_socket_all_read(const struct mock_socket *m);

#endif
