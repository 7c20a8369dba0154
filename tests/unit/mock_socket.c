/* mock_socket.c: scripted stream socket. */
#include "mock_socket.h"

#include <string.h>

static size_t step_len(const struct mock_read *r) {
  return r->len ? r->len : (r->data ? strlen(r->data) : 0);
}

/* serve copies from the current step; returns bytes or the step result. */
static int serve(struct mock_socket *m, uint8_t *buf, size_t len) {
  if (m->next_read >= m->num_reads)
    return 0; /* script over: EOF */
  const struct mock_read *r = &m->reads[m->next_read];
  if (!r->data) {
    m->next_read++;
    return r->result;
  }
  size_t left = step_len(r) - m->read_offset;
  if (len > left)
    len = left;
  memcpy(buf, r->data + m->read_offset, len);
  m->read_offset += len;
  if (m->read_offset == step_len(r)) {
    m->next_read++;
    m->read_offset = 0;
  }
  return (int)len;
}

static void run_pending(void *ctx) {
  struct mock_socket *m = ctx;
  cn_completion_fn cb = m->pending_cb;
  m->pending_cb = NULL;
  int rv = serve(m, m->pending_buf, m->pending_len);
  cb(m->pending_ctx, rv);
}

static int mock_read(struct cn_stream_socket *s, uint8_t *buf, size_t len,
                     cn_completion_fn cb, void *ctx) {
  struct mock_socket *m = (struct mock_socket *)s;
  if (m->next_read < m->num_reads && !m->reads[m->next_read].data &&
      m->reads[m->next_read].result == CN_ERR_IO_PENDING) {
    m->next_read++; /* stalls until cancelled */
    m->pending_cb = cb;
    m->pending_ctx = ctx;
    return CN_ERR_IO_PENDING;
  }
  bool async = m->next_read < m->num_reads && m->reads[m->next_read].async &&
               m->read_offset == 0;
  if (!async)
    return serve(m, buf, len);
  m->pending_buf = buf;
  m->pending_len = len;
  m->pending_cb = cb;
  m->pending_ctx = ctx;
  cn_task_post(m->loop, &m->task);
  return CN_ERR_IO_PENDING;
}

static int mock_write(struct cn_stream_socket *s, const uint8_t *buf,
                      size_t len, cn_completion_fn cb, void *ctx) {
  struct mock_socket *m = (struct mock_socket *)s;
  if (m->write_result < 0)
    return m->write_result;
  if (m->max_write && len > m->max_write)
    len = m->max_write;
  if (cn_buf_append(&m->written, buf, len) != CN_OK)
    return CN_ERR_OUT_OF_MEMORY;
  return (int)len;
}

static void mock_cancel(struct cn_stream_socket *s) {
  struct mock_socket *m = (struct mock_socket *)s;
  cn_task_cancel(&m->task);
  m->pending_cb = NULL;
}

static bool mock_idle(struct cn_stream_socket *s) { return true; }
static int mock_addr(struct cn_stream_socket *s, struct cn_ip_endpoint *out) {
  return CN_ERR_SOCKET_NOT_CONNECTED;
}
static void mock_tls(struct cn_stream_socket *s, struct cn_tls_info *out) {
  memset(out, 0, sizeof(*out));
}
static int mock_fd(struct cn_stream_socket *s) { return -1; }
static void mock_log(struct cn_stream_socket *s, const struct cn_net_log *l) {}
static void mock_destroy(struct cn_stream_socket *s) {
  struct mock_socket *m = (struct mock_socket *)s;
  mock_cancel(s);
  m->destroyed = true;
}

static const struct cn_stream_socket_ops mock_ops = {
    .read = mock_read,
    .write = mock_write,
    .cancel_io = mock_cancel,
    .is_connected_and_idle = mock_idle,
    .get_peer_address = mock_addr,
    .get_local_address = mock_addr,
    .get_tls_info = mock_tls,
    .get_fd = mock_fd,
    .set_net_log = mock_log,
    .destroy = mock_destroy,
};

void mock_socket_init(struct mock_socket *m, struct cn_event_loop *loop,
                      const struct mock_read *reads, size_t num_reads) {
  memset(m, 0, sizeof(*m));
  m->base.ops = &mock_ops;
  m->loop = loop;
  m->reads = reads;
  m->num_reads = num_reads;
  cn_buf_init(&m->written, 0);
  cn_task_init(&m->task, run_pending, m);
}

void mock_socket_cleanup(struct mock_socket *m) {
  cn_task_cancel(&m->task);
  cn_buf_cleanup(&m->written);
}

bool mock_socket_all_read(const struct mock_socket *m) {
  return m->next_read >= m->num_reads;
}
