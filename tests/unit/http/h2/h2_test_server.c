/* h2_test_server.c: see h2_test_server.h. */
#include "h2_test_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <nghttp2/nghttp2.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void conn_flush(struct h2ts_conn *c);

static void copy_str(char *dst, size_t cap, const uint8_t *src, size_t len) {
  if (len >= cap)
    len = cap - 1;
  memcpy(dst, src, len);
  dst[len] = '\0';
}

struct h2ts_request *h2ts_find(struct h2ts_conn *c, int32_t stream_id) {
  for (size_t i = 0; i < c->num_reqs; i++)
    if (c->reqs[i].id == stream_id)
      return &c->reqs[i];
  return NULL;
}

static struct h2ts_request *get_req(struct h2ts_conn *c, int32_t id) {
  struct h2ts_request *r = h2ts_find(c, id);
  if (r || c->num_reqs == H2TS_MAX_REQS)
    return r;
  r = &c->reqs[c->num_reqs++];
  memset(r, 0, sizeof(*r));
  r->id = id;
  return r;
}

const char *h2ts_field(const struct h2ts_request *r, const char *name) {
  for (size_t i = 0; i < r->num_fields; i++)
    if (strcmp(r->fields[i].name, name) == 0)
      return r->fields[i].value;
  for (size_t i = 0; i < r->num_pseudo; i++)
    if (strcmp(r->pseudo[i].name, name) == 0)
      return r->pseudo[i].value;
  return NULL;
}

int h2ts_frame_index(const struct h2ts_conn *c, uint8_t type, size_t from) {
  for (size_t i = from; i < c->num_frames; i++)
    if (c->frames[i].type == type)
      return (int)i;
  return -1;
}

/* --- nghttp2 callbacks ---------------------------------------------------- */

static void record_frame(struct h2ts_conn *c, const nghttp2_frame *f) {
  if (c->num_frames == H2TS_MAX_FRAMES)
    return;
  struct h2ts_frame *r = &c->frames[c->num_frames++];
  memset(r, 0, sizeof(*r));
  r->type = f->hd.type;
  r->flags = f->hd.flags;
  r->stream_id = f->hd.stream_id;
  r->length = (uint32_t)f->hd.length;
  switch (f->hd.type) {
  case NGHTTP2_WINDOW_UPDATE:
    r->value = (uint32_t)f->window_update.window_size_increment;
    break;
  case NGHTTP2_RST_STREAM:
    r->value = f->rst_stream.error_code;
    break;
  case NGHTTP2_GOAWAY:
    r->value = f->goaway.error_code;
    break;
  case NGHTTP2_SETTINGS:
    r->value = (uint32_t)f->settings.niv;
    if (!(f->hd.flags & NGHTTP2_FLAG_ACK) && c->num_settings == 0) {
      for (size_t i = 0; i < f->settings.niv && i < 16; i++) {
        c->settings_id[i] = (uint16_t)f->settings.iv[i].settings_id;
        c->settings_value[i] = f->settings.iv[i].value;
      }
      c->num_settings = f->settings.niv < 16 ? f->settings.niv : 16;
    }
    break;
  case NGHTTP2_PRIORITY:
    r->dep = f->priority.pri_spec.stream_id;
    r->weight = f->priority.pri_spec.weight;
    r->exclusive = f->priority.pri_spec.exclusive;
    break;
  case NGHTTP2_HEADERS:
    if (f->hd.flags & NGHTTP2_FLAG_PRIORITY) {
      r->dep = f->headers.pri_spec.stream_id;
      r->weight = f->headers.pri_spec.weight;
      r->exclusive = f->headers.pri_spec.exclusive;
    }
    break;
  default:
    break;
  }
}

static int on_begin_frame(nghttp2_session *ng, const nghttp2_frame_hd *hd,
                          void *ud) {
  (void)ng;
  (void)hd;
  (void)ud;
  return 0;
}

static int on_frame_recv(nghttp2_session *ng, const nghttp2_frame *f,
                         void *ud) {
  (void)ng;
  struct h2ts_conn *c = ud;
  record_frame(c, f);
  if ((f->hd.type == NGHTTP2_HEADERS || f->hd.type == NGHTTP2_DATA) &&
      (f->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
    struct h2ts_request *r = h2ts_find(c, f->hd.stream_id);
    if (r) {
      r->ended = true;
      if (c->srv->on_request)
        c->srv->on_request(c->srv->ctx, c, r);
      else if (c->srv->echo)
        h2ts_respond(c, r->id, 200, NULL, h2ts_field(r, ":path"),
                     strlen(h2ts_field(r, ":path")), NULL);
    }
  }
  return 0;
}

/* Frames that fail validation never reach on_frame_recv; count them too. */
static int on_invalid_frame(nghttp2_session *ng, const nghttp2_frame *f,
                            int err, void *ud) {
  (void)ng;
  (void)err;
  record_frame(ud, f);
  return 0;
}

static int on_header(nghttp2_session *ng, const nghttp2_frame *f,
                     const uint8_t *name, size_t nlen, const uint8_t *value,
                     size_t vlen, uint8_t flags, void *ud) {
  (void)ng;
  (void)flags;
  struct h2ts_conn *c = ud;
  struct h2ts_request *r = get_req(c, f->hd.stream_id);
  if (!r)
    return 0;
  if (nlen > 0 && name[0] == ':') {
    if (r->num_pseudo < 4) {
      struct h2ts_field *p = &r->pseudo[r->num_pseudo++];
      copy_str(p->name, sizeof(p->name), name, nlen);
      copy_str(p->value, sizeof(p->value), value, vlen);
      size_t k = strlen(r->pseudo_order);
      if (k < sizeof(r->pseudo_order) - 1)
        r->pseudo_order[k] = (char)name[1];
    }
  } else if (r->num_fields < H2TS_MAX_FIELDS) {
    struct h2ts_field *p = &r->fields[r->num_fields++];
    copy_str(p->name, sizeof(p->name), name, nlen);
    copy_str(p->value, sizeof(p->value), value, vlen);
  }
  return 0;
}

static int on_data(nghttp2_session *ng, uint8_t flags, int32_t id,
                   const uint8_t *data, size_t len, void *ud) {
  (void)ng;
  (void)flags;
  struct h2ts_request *r = get_req(ud, id);
  if (!r)
    return 0;
  r->body = realloc(r->body, r->body_len + len + 1);
  memcpy(r->body + r->body_len, data, len);
  r->body_len += len;
  return 0;
}

static int on_stream_close(nghttp2_session *ng, int32_t id, uint32_t err,
                           void *ud) {
  (void)ng;
  struct h2ts_request *r = h2ts_find(ud, id);
  if (r) {
    r->closed = true;
    r->close_error = err;
  }
  return 0;
}

static int on_frame_send(nghttp2_session *ng, const nghttp2_frame *f,
                         void *ud) {
  (void)ng;
  if (f->hd.type == NGHTTP2_DATA) {
    struct h2ts_request *r = h2ts_find(ud, f->hd.stream_id);
    if (r)
      r->data_sent += f->hd.length;
  }
  return 0;
}

/* --- I/O ------------------------------------------------------------------ */

static void update_watch(struct h2ts_conn *c) {
  if (c->closed)
    return;
  unsigned ev = CN_IO_READ | (c->out_len ? CN_IO_WRITE : 0);
  cn_io_watch_start(c->srv->loop, &c->watch, c->fd, ev);
}

static void out_append(struct h2ts_conn *c, const void *data, size_t len) {
  if (c->out_len + len > c->out_cap) {
    size_t cap = c->out_cap ? c->out_cap : 4096;
    while (cap < c->out_len + len)
      cap *= 2;
    c->out = realloc(c->out, cap);
    c->out_cap = cap;
  }
  memcpy(c->out + c->out_len, data, len);
  c->out_len += len;
}

static void write_out(struct h2ts_conn *c) {
  while (c->out_len > 0 && !c->closed) {
    ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        h2ts_close(c);
      break;
    }
    memmove(c->out, c->out + n, c->out_len - (size_t)n);
    c->out_len -= (size_t)n;
  }
  update_watch(c);
}

static void conn_flush(struct h2ts_conn *c) {
  if (c->closed)
    return;
  for (;;) {
    const uint8_t *data;
    ssize_t n = nghttp2_session_mem_send(c->ng, &data);
    if (n <= 0)
      break;
    out_append(c, data, (size_t)n);
  }
  write_out(c);
}

void h2ts_flush(struct h2ts_conn *c) { conn_flush(c); }

static void on_conn_io(void *ctx, unsigned ready) {
  struct h2ts_conn *c = ctx;
  if (ready & (CN_IO_READ | CN_IO_ERROR)) {
    uint8_t buf[16384];
    for (;;) {
      ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
                     errno != EINTR)) {
        h2ts_close(c);
        return;
      }
      if (n < 0)
        break;
      ssize_t rv = nghttp2_session_mem_recv(c->ng, buf, (size_t)n);
      if (rv < 0) {
        h2ts_close(c);
        return;
      }
    }
  }
  conn_flush(c);
}

struct h2ts_conn *h2ts_conn_new(struct h2ts_server *srv, int fd) {
  if (srv->num_conns == H2TS_MAX_CONNS) {
    close(fd);
    return NULL;
  }
  struct h2ts_conn *c = calloc(1, sizeof(*c));
  c->srv = srv;
  c->fd = fd;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  nghttp2_session_callbacks *cbs;
  nghttp2_session_callbacks_new(&cbs);
  nghttp2_session_callbacks_set_on_begin_frame_callback(cbs, on_begin_frame);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, on_frame_recv);
  nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(
      cbs, on_invalid_frame);
  nghttp2_session_callbacks_set_on_header_callback(cbs, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, on_data);
  nghttp2_session_callbacks_set_on_stream_close_callback(cbs, on_stream_close);
  nghttp2_session_callbacks_set_on_frame_send_callback(cbs, on_frame_send);
  nghttp2_session *ng;
  nghttp2_session_server_new(&ng, cbs, c);
  nghttp2_session_callbacks_del(cbs);
  c->ng = ng;
  nghttp2_settings_entry iv[2];
  size_t niv = 0;
  if (srv->max_concurrent_streams) {
    iv[niv].settings_id = NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS;
    iv[niv++].value = srv->max_concurrent_streams;
  }
  if (srv->initial_window_size) {
    iv[niv].settings_id = NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE;
    iv[niv++].value = srv->initial_window_size;
  }
  nghttp2_submit_settings(ng, NGHTTP2_FLAG_NONE, iv, niv);
  cn_io_watch_init(&c->watch, on_conn_io, c);
  srv->conns[srv->num_conns++] = c;
  conn_flush(c);
  return c;
}

static void on_accept(void *ctx, unsigned ready) {
  struct h2ts_server *srv = ctx;
  (void)ready;
  for (;;) {
    int fd = accept4(srv->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
      return;
    h2ts_conn_new(srv, fd);
  }
}

void h2ts_server_init(struct h2ts_server *srv, struct cn_event_loop *loop) {
  memset(srv, 0, sizeof(*srv));
  srv->loop = loop;
  srv->lfd = -1;
}

int h2ts_server_listen(struct h2ts_server *srv) {
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  socklen_t len = sizeof(sa);
  if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 16) ||
      getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
    close(fd);
    return -1;
  }
  srv->lfd = fd;
  srv->port = ntohs(sa.sin_port);
  cn_io_watch_init(&srv->lwatch, on_accept, srv);
  cn_io_watch_start(srv->loop, &srv->lwatch, fd, CN_IO_READ);
  return 0;
}

static void free_req(struct h2ts_request *r) {
  free(r->body);
  free(r->resp);
  if (r->trailers) {
    for (char **p = r->trailers; *p; p++)
      free(*p);
    free(r->trailers);
  }
}

void h2ts_close(struct h2ts_conn *c) {
  if (c->closed)
    return;
  c->closed = true;
  cn_io_watch_stop(&c->watch);
  close(c->fd);
}

void h2ts_server_cleanup(struct h2ts_server *srv) {
  for (size_t i = 0; i < srv->num_conns; i++) {
    struct h2ts_conn *c = srv->conns[i];
    h2ts_close(c);
    nghttp2_session_del(c->ng);
    for (size_t k = 0; k < c->num_reqs; k++)
      free_req(&c->reqs[k]);
    free(c->out);
    free(c);
  }
  srv->num_conns = 0;
  if (srv->lfd >= 0) {
    cn_io_watch_stop(&srv->lwatch);
    close(srv->lfd);
    srv->lfd = -1;
  }
}

/* --- answers -------------------------------------------------------------- */

static ssize_t read_resp(nghttp2_session *ng, int32_t id, uint8_t *buf,
                         size_t len, uint32_t *flags, nghttp2_data_source *src,
                         void *ud) {
  (void)ng;
  (void)src;
  struct h2ts_conn *c = ud;
  struct h2ts_request *r = h2ts_find(c, id);
  if (!r)
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  if (r->resp_hold)
    return NGHTTP2_ERR_DEFERRED;
  size_t n = r->resp_len - r->resp_off;
  if (n > len)
    n = len;
  if (n == 0 && r->resp_no_end)
    return NGHTTP2_ERR_DEFERRED;
  memcpy(buf, r->resp + r->resp_off, n);
  r->resp_off += n;
  if (r->resp_off == r->resp_len && !r->resp_no_end) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    if (r->trailers) {
      *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
      size_t k = 0;
      nghttp2_nv nv[16];
      for (char **p = r->trailers; p[0] && p[1] && k < 16; p += 2, k++) {
        nv[k].name = (uint8_t *)p[0];
        nv[k].namelen = strlen(p[0]);
        nv[k].value = (uint8_t *)p[1];
        nv[k].valuelen = strlen(p[1]);
        nv[k].flags = NGHTTP2_NV_FLAG_NONE;
      }
      nghttp2_submit_trailer(c->ng, id, nv, k);
    }
  }
  return (ssize_t)n;
}

static size_t make_nv(nghttp2_nv *nv, size_t cap, char *status,
                      const char *const *headers) {
  size_t k = 0;
  nv[k].name = (uint8_t *)":status";
  nv[k].namelen = 7;
  nv[k].value = (uint8_t *)status;
  nv[k].valuelen = strlen(status);
  nv[k].flags = NGHTTP2_NV_FLAG_NONE;
  k++;
  for (const char *const *p = headers; p && p[0] && p[1] && k < cap; p += 2) {
    nv[k].name = (uint8_t *)p[0];
    nv[k].namelen = strlen(p[0]);
    nv[k].value = (uint8_t *)p[1];
    nv[k].valuelen = strlen(p[1]);
    nv[k].flags = NGHTTP2_NV_FLAG_NONE;
    k++;
  }
  return k;
}

void h2ts_respond(struct h2ts_conn *c, int32_t stream_id, int status,
                  const char *const *headers, const void *body, size_t len,
                  const char *const *trailers) {
  struct h2ts_request *r = get_req(c, stream_id);
  char st[8];
  snprintf(st, sizeof(st), "%03d", status);
  nghttp2_nv nv[32];
  size_t k = make_nv(nv, 32, st, headers);
  if (trailers) {
    size_t n = 0;
    while (trailers[n])
      n++;
    r->trailers = calloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
      r->trailers[i] = strdup(trailers[i]);
  }
  if (body || trailers) {
    free(r->resp);
    r->resp = malloc(len ? len : 1);
    if (len)
      memcpy(r->resp, body, len);
    r->resp_len = len;
    r->resp_off = 0;
    nghttp2_data_provider prd;
    prd.source.ptr = NULL;
    prd.read_callback = read_resp;
    nghttp2_submit_response(c->ng, stream_id, nv, k, &prd);
  } else {
    nghttp2_submit_response(c->ng, stream_id, nv, k, NULL);
  }
  conn_flush(c);
}

void h2ts_info(struct h2ts_conn *c, int32_t stream_id, int status,
               const char *const *headers) {
  char st[8];
  snprintf(st, sizeof(st), "%03d", status);
  nghttp2_nv nv[32];
  size_t k = make_nv(nv, 32, st, headers);
  nghttp2_submit_headers(c->ng, NGHTTP2_FLAG_NONE, stream_id, NULL, nv, k,
                         NULL);
  conn_flush(c);
}

void h2ts_release_body(struct h2ts_conn *c, int32_t stream_id) {
  struct h2ts_request *r = h2ts_find(c, stream_id);
  if (r)
    r->resp_hold = false;
  nghttp2_session_resume_data(c->ng, stream_id);
  conn_flush(c);
}

void h2ts_rst(struct h2ts_conn *c, int32_t stream_id, uint32_t error) {
  nghttp2_submit_rst_stream(c->ng, NGHTTP2_FLAG_NONE, stream_id, error);
  conn_flush(c);
}

void h2ts_goaway(struct h2ts_conn *c, int32_t last_stream_id, uint32_t error) {
  nghttp2_submit_goaway(c->ng, NGHTTP2_FLAG_NONE, last_stream_id, error, NULL,
                        0);
  conn_flush(c);
}

void h2ts_raw(struct h2ts_conn *c, const void *data, size_t len) {
  conn_flush(c);
  out_append(c, data, len);
  write_out(c);
}
