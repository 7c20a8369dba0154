/* http_proxy_tunnel.c: DoLoop BUILD -> WRITE -> READ_HEAD -> (DRAIN ->
 * BUILD ...) for one CONNECT tunnel (see the header). */
#include "http/http_proxy_tunnel.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/auth/http_auth_controller.h"
#include "http/h1/chunked_decoder.h"
#include "http/h1/request_writer.h"
#include "http/h1/response_parser.h"
#include "http/http_request_headers.h"
#include "http/http_response_headers.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_log.h"
#include "util/stream_socket.h"

enum state {
  STATE_NONE,
  STATE_BUILD,
  STATE_WRITE,
  STATE_WRITE_COMPLETE,
  STATE_READ_HEAD,
  STATE_READ_HEAD_COMPLETE,
  STATE_DRAIN,
  STATE_DRAIN_COMPLETE,
};

struct cn_proxy_tunnel {
  const struct cn_http_proxy_tunnel_config *cfg;
  char *host;
  int port;
  char *authority; /* "host:port", IPv6 in brackets */
  struct cn_net_log log;
  struct cn_stream_socket *socket; /* borrowed */
  cn_completion_fn cb;
  void *cb_ctx;
  enum state next_state;

  struct cn_buf request;
  size_t sent;
  struct cn_h1_response_parser parser;
  uint8_t byte; /* the head is read one byte at a time: what follows a 2xx
                   head belongs to the tunnel */
  struct cn_http_response_headers *head; /* last complete head (owned) */
  /* Skipping a 407's body before trying again. */
  uint8_t drain[4096];
  int64_t body_left; /* Content-Length bytes to skip */
  bool chunked;
  struct cn_h1_chunked_decoder chunk;
  bool close_after; /* the proxy closes after this answer */
  /* An answer that does not start like HTTP, read line by line as libcurl
   * does (it stores the lines as headers before judging the answer). */
  bool not_http;
  bool first_line_done;
  size_t line_len; /* bytes of the current line, CR and LF not counted */
  bool line_has_colon;
  /* NTLM authenticates this connection to the proxy: the handshake lives
   * as long as the tunnel's connect (owned, NULL until NTLM is used). */
  struct cn_http_auth_ntlm_conn *ntlm;
};

static void on_io(void *ctx, int rv);

static struct cn_proxy_tunnel *tunnel_create(const void *config,
                                             struct cn_event_loop *loop,
                                             const char *host, int port,
                                             const struct cn_net_log *log) {
  (void)loop;
  struct cn_proxy_tunnel *t = cn_calloc(1, sizeof(*t));
  if (!t)
    return NULL;
  t->cfg = config;
  t->port = port;
  t->host = cn_strdup(host ? host : "");
  bool v6 = t->host && strchr(t->host, ':');
  size_t len = (t->host ? strlen(t->host) : 0) + 16;
  t->authority = cn_malloc(len);
  if (!t->host || !t->authority) {
    cn_free(t->host);
    cn_free(t->authority);
    cn_free(t);
    return NULL;
  }
  snprintf(t->authority, len, v6 ? "[%s]:%d" : "%s:%d", t->host, port);
  if (log)
    t->log = *log;
  cn_buf_init(&t->request, 0);
  cn_h1_response_parser_init(&t->parser, NULL);
  cn_h1_chunked_decoder_init(&t->chunk);
  return t;
}

static void tunnel_free(struct cn_proxy_tunnel *t) {
  if (!t)
    return;
  if (t->socket && t->next_state != STATE_NONE)
    t->socket->ops->cancel_io(t->socket);
  cn_buf_cleanup(&t->request);
  cn_h1_response_parser_cleanup(&t->parser);
  cn_h1_chunked_decoder_cleanup(&t->chunk);
  cn_http_response_headers_free(t->head);
  if (t->ntlm)
    t->ntlm->base.destroy(&t->ntlm->base);
  cn_free(t->host);
  cn_free(t->authority);
  cn_free(t);
}

static void tunnel_set_net_log(struct cn_proxy_tunnel *t,
                               const struct cn_net_log *log) {
  if (log)
    t->log = *log;
  else
    memset(&t->log, 0, sizeof(t->log));
}

/* program_names: a program line for CONNECT names |name| ("Name:" or
 * "Name;"). */
static bool program_names(const struct cn_http_proxy_tunnel_config *cfg,
                          const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < cfg->num_lines; i++) {
    const char *l = cfg->lines[i];
    if (strncasecmp(l, name, n) == 0 && (l[n] == ':' || l[n] == ';'))
      return true;
  }
  return false;
}

/* --- steps --------------------------------------------------------------- */

static int add_auth(struct cn_proxy_tunnel *t,
                    struct cn_http_request_headers *h) {
  const struct cn_http_proxy_tunnel_config *cfg = t->cfg;
  if (!cfg->auth)
    return CN_OK;
  if (!t->ntlm && !(t->ntlm = cn_http_auth_ntlm_conn_new()))
    return CN_ERR_OUT_OF_MEMORY;
  struct cn_http_auth_header_list list;
  memset(&list, 0, sizeof(list));
  bool probe = false;
  struct cn_http_auth_request ar = {
      .method = "CONNECT",
      .get_or_head = true,
      .host = t->host,
      .authority = t->authority,
      .path = t->authority, /* Digest's uri for CONNECT */
      .user = cfg->user,
      .password = cfg->password,
      .allowed_to_host = true,
      .user_headers = cfg->lines,
      .num_user_headers = cfg->num_lines,
      .now = (int64_t)time(NULL),
      .ntlm_conn = t->ntlm,
      .log = &t->log,
  };
  int rv = cn_http_auth_controller_add_auth(cfg->auth, &ar, &list, &probe);
  for (size_t i = 0; rv == CN_OK && i < list.num_headers; i++)
    rv = cn_http_request_headers_add(h, list.headers[i].name,
                                     list.headers[i].value);
  cn_http_auth_header_list_cleanup(&list);
  return rv;
}

static int do_build(struct cn_proxy_tunnel *t) {
  const struct cn_http_proxy_tunnel_config *cfg = t->cfg;
  struct cn_http_request_headers h;
  cn_http_request_headers_init(&h);
  int rv = CN_OK;
  if (!program_names(cfg, "Host"))
    rv = cn_http_request_headers_add(&h, "Host", t->authority);
  if (rv == CN_OK)
    rv = add_auth(t, &h);
  if (rv == CN_OK && cfg->user_agent && *cfg->user_agent &&
      !program_names(cfg, "User-Agent"))
    rv = cn_http_request_headers_add(&h, "User-Agent", cfg->user_agent);
  if (rv == CN_OK && !program_names(cfg, "Proxy-Connection"))
    rv = cn_http_request_headers_add(&h, "Proxy-Connection", "Keep-Alive");
  if (rv == CN_OK)
    rv = cn_http_request_headers_apply_user_lines(
        &h, cfg->lines, cfg->num_lines, CN_HTTP_USER_HEADERS_APPEND, NULL,
        NULL);
  cn_buf_reset(&t->request);
  if (rv == CN_OK)
    rv = cn_h1_request_writer_write(&t->request, "CONNECT", t->authority,
                                    cfg->http10 ? 0 : 1, &h);
  cn_http_request_headers_cleanup(&h);
  if (rv != CN_OK)
    return rv;
  cn_net_log_data(&t->log, CN_LOG_HEADER_OUT, t->request.data,
                  t->request.len);
  t->sent = 0;
  cn_h1_response_parser_cleanup(&t->parser);
  struct cn_h1_response_parser_options po = {.via_http_proxy = true};
  cn_h1_response_parser_init(&t->parser, &po);
  t->next_state = STATE_WRITE;
  return CN_OK;
}

static int do_write(struct cn_proxy_tunnel *t) {
  t->next_state = STATE_WRITE_COMPLETE;
  return t->socket->ops->write(t->socket,
                               (const uint8_t *)t->request.data + t->sent,
                               t->request.len - t->sent, on_io, t);
}

static int do_write_complete(struct cn_proxy_tunnel *t, int rv) {
  if (rv <= 0) {
    cn_net_log_fail(&t->log, "Failed sending CONNECT to proxy");
    return rv < 0 ? rv : CN_ERR_SOCKET_SEND_FAILED;
  }
  t->sent += (size_t)rv;
  t->next_state = t->sent < t->request.len ? STATE_WRITE : STATE_READ_HEAD;
  return CN_OK;
}

static int do_read_head(struct cn_proxy_tunnel *t) {
  t->next_state = STATE_READ_HEAD_COMPLETE;
  return t->socket->ops->read(t->socket, &t->byte, 1, on_io, t);
}

static int aborted(struct cn_proxy_tunnel *t) {
  cn_net_log_fail(&t->log, "Proxy CONNECT aborted");
  return CN_ERR_TUNNEL_CONNECTION_FAILED;
}

/* says_close: a "Connection" or "Proxy-Connection" field has "close". */
static bool says_close(const struct cn_http_response_headers *head) {
  static const char *const names[] = {"Connection", "Proxy-Connection"};
  for (size_t n = 0; n < 2; n++) {
    size_t it = 0;
    const struct cn_http_header_field *f;
    while ((f = cn_http_response_headers_next(head, names[n], &it))) {
      for (size_t i = 0; i + 5 <= f->value_len; i++)
        if (strncasecmp(f->value + i, "close", 5) == 0)
          return true;
    }
  }
  return false;
}

/* answered: the head of the proxy's answer is complete. */
static int answered(struct cn_proxy_tunnel *t) {
  const struct cn_http_proxy_tunnel_config *cfg = t->cfg;
  cn_http_response_headers_free(t->head);
  t->head = cn_h1_response_parser_take_headers(&t->parser);
  if (!t->head)
    return CN_ERR_OUT_OF_MEMORY;
  int status = cn_http_response_headers_status(t->head);
  if (cfg->on_head) {
    int hv = cfg->on_head(cfg->ctx, t->head);
    if (hv < 0)
      return hv;
  }
  if (status >= 100 && status < 200 && status != 101) {
    /* libcurl reads the next head of the same answer. */
    cn_h1_response_parser_next_head(&t->parser);
    t->next_state = STATE_READ_HEAD;
    return CN_OK;
  }
  if (status / 100 == 2) {
    /* RFC 9110 9.3.6: body framing of a 2xx to CONNECT is ignored. */
    if (cn_http_response_headers_get(t->head, "Content-Length", 0))
      cn_net_log_text(&t->log, "Ignoring Content-Length in CONNECT %03d "
                               "response", status);
    if (cn_http_response_headers_get(t->head, "Transfer-Encoding", 0))
      cn_net_log_text(&t->log, "Ignoring Transfer-Encoding in CONNECT %03d "
                               "response", status);
    cn_net_log_text(&t->log, "CONNECT tunnel established, response %d",
                    status);
    return CN_OK;
  }
  bool restart = false;
  t->close_after = says_close(t->head);
  if (cfg->auth) {
    struct cn_http_auth_response ar = {
        .head = t->head,
        .have_user = cfg->user != NULL,
        .get_or_head = true,
        .ntlm_conn = t->ntlm,
        .connection_closes = t->close_after,
        .log = &t->log,
    };
    int rv = cn_http_auth_controller_on_response(cfg->auth, &ar, &restart);
    if (rv != CN_OK)
      return rv;
  }
  if (!restart || status != 407) {
    cn_net_log_fail(&t->log, "CONNECT tunnel failed, response %d", status);
    return CN_ERR_TUNNEL_CONNECTION_FAILED;
  }
  /* Try again with credentials, after the 407's body. */
  int64_t cl = -1;
  t->chunked = cn_http_response_headers_is_chunked(t->head);
  if (!t->chunked &&
      cn_http_response_headers_content_length(t->head, &cl) !=
          CN_HTTP_CONTENT_LENGTH_VALID)
    cl = -1;
  if (t->close_after || (!t->chunked && cl < 0)) {
    /* Without framing only the close ends the body: a new connection. */
    cn_net_log_text(&t->log, "Connect me again please");
    return CN_ERR_PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION;
  }
  t->body_left = cl;
  if (t->chunked) {
    cn_h1_chunked_decoder_cleanup(&t->chunk);
    cn_h1_chunked_decoder_init(&t->chunk);
    cn_net_log_text(&t->log, "Ignore chunked response-body");
  } else if (cl > 0) {
    cn_net_log_text(&t->log, "Ignore %lld bytes of response-body",
                    (long long)cl);
  }
  t->next_state = t->chunked || cl > 0 ? STATE_DRAIN : STATE_BUILD;
  return CN_OK;
}

/* not_http_byte takes one byte of an answer whose first line was not an
 * HTTP status line. libcurl keeps that line as the status line, stores the
 * next ones as headers and fails on the first without a colon ("Invalid
 * response header"); an empty line ends the head with status 0. */
static int not_http_byte(struct cn_proxy_tunnel *t) {
  if (t->byte == '\r') {
    t->next_state = STATE_READ_HEAD;
    return CN_OK;
  }
  if (t->byte != '\n') {
    t->line_len++;
    t->line_has_colon = t->line_has_colon || t->byte == ':';
    t->next_state = STATE_READ_HEAD;
    return CN_OK;
  }
  bool first = !t->first_line_done, colon = t->line_has_colon;
  size_t len = t->line_len;
  t->first_line_done = true;
  t->line_len = 0;
  t->line_has_colon = false;
  if (!first && len == 0) {
    cn_net_log_fail(&t->log, "CONNECT tunnel failed, response 0");
    return CN_ERR_TUNNEL_CONNECTION_FAILED;
  }
  if (!first && !colon) {
    cn_net_log_fail(&t->log, "Invalid response header");
    return CN_ERR_PROXY_INVALID_RESPONSE_HEADER;
  }
  t->next_state = STATE_READ_HEAD;
  return CN_OK;
}

static int do_read_head_complete(struct cn_proxy_tunnel *t, int rv) {
  bool complete = false;
  if (rv < 0)
    return aborted(t);
  if (t->not_http)
    return rv == 0 ? aborted(t) : not_http_byte(t);
  if (rv == 0) {
    /* The proxy closed. A final head cut short still counts. */
    if (cn_h1_response_parser_finish(&t->parser, &complete) != CN_OK ||
        !complete)
      return aborted(t);
    return answered(t);
  }
  size_t used = 0;
  int fv = cn_h1_response_parser_feed(&t->parser, &used, &complete, &t->byte, 1);
  if (fv == CN_ERR_UNSUPPORTED_HTTP_VERSION && !t->head) {
    /* Not HTTP (the parser would call it HTTP/0.9): go on by lines. */
    t->not_http = true;
    return not_http_byte(t);
  }
  if (fv != CN_OK)
    return aborted(t);
  if (!complete) {
    t->next_state = STATE_READ_HEAD;
    return CN_OK;
  }
  return answered(t);
}

static int do_drain(struct cn_proxy_tunnel *t) {
  size_t want = sizeof(t->drain);
  if (t->chunked)
    want = 1; /* nothing past the body may be read */
  else if ((int64_t)want > t->body_left)
    want = (size_t)t->body_left;
  t->next_state = STATE_DRAIN_COMPLETE;
  return t->socket->ops->read(t->socket, t->drain, want, on_io, t);
}

static int do_drain_complete(struct cn_proxy_tunnel *t, int rv) {
  if (rv <= 0)
    return CN_ERR_PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION;
  if (t->chunked) {
    size_t used = 0, out_len = 0;
    uint8_t out[1];
    if (cn_h1_chunked_decoder_feed(&t->chunk, &used, &out_len, out,
                                   sizeof(out), t->drain, (size_t)rv) != CN_OK)
      return aborted(t);
    if (cn_h1_chunked_decoder_is_done(&t->chunk)) {
      t->next_state = STATE_BUILD;
      return CN_OK;
    }
  } else {
    t->body_left -= rv;
    if (t->body_left <= 0) {
      t->next_state = STATE_BUILD;
      return CN_OK;
    }
  }
  t->next_state = STATE_DRAIN;
  return CN_OK;
}

static int do_loop(struct cn_proxy_tunnel *t, int rv) {
  do {
    enum state state = t->next_state;
    t->next_state = STATE_NONE;
    switch (state) {
    case STATE_BUILD:
      rv = do_build(t);
      break;
    case STATE_WRITE:
      rv = do_write(t);
      break;
    case STATE_WRITE_COMPLETE:
      rv = do_write_complete(t, rv);
      break;
    case STATE_READ_HEAD:
      rv = do_read_head(t);
      break;
    case STATE_READ_HEAD_COMPLETE:
      rv = do_read_head_complete(t, rv);
      break;
    case STATE_DRAIN:
      rv = do_drain(t);
      break;
    case STATE_DRAIN_COMPLETE:
      rv = do_drain_complete(t, rv);
      break;
    case STATE_NONE:
      rv = CN_ERR_UNEXPECTED;
      break;
    }
  } while (rv != CN_ERR_IO_PENDING && t->next_state != STATE_NONE);
  if (rv != CN_ERR_IO_PENDING)
    t->next_state = STATE_NONE;
  return rv;
}

static int tunnel_connect(struct cn_proxy_tunnel *t,
                          struct cn_stream_socket *transport,
                          cn_completion_fn cb, void *ctx) {
  t->socket = transport;
  t->cb = cb;
  t->cb_ctx = ctx;
  /* libcurl: NTLM done on another connection starts over on this one
   * (also when this tunnel is tried again on a new connection). */
  if (t->ntlm) {
    t->ntlm->base.destroy(&t->ntlm->base);
    t->ntlm = NULL;
  }
  struct cn_http_auth_controller *auth = t->cfg->auth;
  if (auth && (auth->picked & CN_HTTP_AUTH_NTLM) && auth->done) {
    cn_net_log_text(&t->log, "NTLM-proxy picked AND auth done set, "
                             "clear picked");
    auth->picked = CN_HTTP_AUTH_NONE;
    auth->done = false;
  }
  cn_net_log_text(&t->log, "Establish HTTP proxy tunnel to %s",
                  t->authority);
  t->next_state = STATE_BUILD;
  return do_loop(t, CN_OK);
}

/* The callback may free the tunnel. */
static void on_io(void *ctx, int rv) {
  struct cn_proxy_tunnel *t = ctx;
  rv = do_loop(t, rv);
  if (rv != CN_ERR_IO_PENDING)
    t->cb(t->cb_ctx, rv);
}

const struct cn_proxy_tunnel_ops cn_http_proxy_tunnel_ops = {
    tunnel_create, tunnel_connect, tunnel_set_net_log, tunnel_free};
