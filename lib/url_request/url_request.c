/* url_request.c: the DoLoop of one transfer: hop -> head -> (redirect ->
 * drain -> hop) -> body -> done. */
#include "url_request/url_request.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/auth/http_auth_controller.h"
#include "http/h2/h2_session_pool.h"
#include "http/http_network_session.h"
#include "http/http_network_transaction.h"
#include "http/http_proxy_tunnel.h"
#include "http/http_request_headers.h"
#include "http/http_request_info.h"
#include "http/http_response_headers.h"
#include "http/upload_data_stream.h"
#include "socket/proxy_resolution.h"
#include "http/websocket/handshake.h"
#include "url_request/request_headers_builder.h"
#include "url_request/connect_to.h"
#include "url_request/altsvc_store.h"
#include "url_request/hsts_store.h"
#include "url_request/content_decoder.h"
#include "url_request/netrc.h"
#include "util/alloc.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/idna.h"
#include "util/stream_socket.h"
#include "util/event_loop.h"
#include "util/net_log.h"
#include "util/parsedate.h"
#include "util/time.h"
#include "cookies/cookie_store.h"
#include "impersonate/browser_profile.h"
#include "util/url.h"

/* Body bytes read per step; large enough to keep syscalls few. */
#define READ_CHUNK (64 * 1024)
/* A followed redirect's body is drained up to this much so the connection
 * can be reused; a longer one closes the connection instead. */
#define MAX_DRAIN (64 * 1024)
/* The smallest body buffer (ensure_buf). */
#define SMALL_BUF 4096
/* How libcurl parses a Location it follows. */
#define REDIRECT_FLAGS \
  (CN_URL_DEFAULT_SCHEME | CN_URL_NON_SUPPORT_SCHEME | CN_URL_ALLOW_SPACE)

enum state {
  STATE_NONE,
  STATE_START_HOP,
  STATE_HOP_STARTED,
  STATE_DRAIN_BODY,
  STATE_DRAIN_BODY_COMPLETE,
  STATE_READ_BODY,
  STATE_READ_BODY_COMPLETE,
};

enum { ALT_USED_SIZE = 300, H2C_SETTINGS_SIZE = 128 };

/* A hop's proxies: the chain the connect job borrows and the CONNECT
 * configuration with the hop's credentials. */
struct hop_proxy {
  struct cn_proxy_resolution res;
  struct cn_http_proxy_tunnel_config tunnel_cfg;
};

struct cn_url_request {
  struct cn_http_network_session *session;
  const struct cn_url_request_params *params;
  const struct cn_url_request_delegate *delegate;
  void *delegate_ctx;
  enum state next_state;

  struct cn_url url;   /* current hop's URL */
  char *method;        /* current hop's method (owned) */
  const char *request_type; /* GET, HEAD, POST or PUT (static) */
  bool ignore_custom;  /* CURLOPT_CUSTOMREQUEST dropped by a redirect */
  bool send_body;      /* current hop sends the upload body */
  bool strip_credentials;
  char *referer;       /* owned: auto-referer value, else NULL */
  bool accept_head;    /* the current head is final */

  /* Per hop. */
  struct cn_http_network_transaction *trans;
  struct cn_http_request_headers headers;
  struct cn_http_request_headers h2_headers; /* profile's HTTP/2 order */
  struct cn_http_request_info info;
  char *authority;
  char *target;
  char *authorization;
  char *location; /* Location of a redirect being followed */
  char *connect_host; /* CURLOPT_CONNECT_TO target of this hop, owned */
  /* This hop's origin host as the network sees it: url.host in ACE form
   * (util/idna.h) for DNS, Host, SNI, cookies, HSTS, alt-svc, NOPROXY and
   * the pool key; url.host itself stays as given, as libcurl keeps the URL
   * (CURLINFO_EFFECTIVE_URL, redirects) in the program's spelling. Owned;
   * NULL when the URL has no host. */
  char *host;
  int connect_port;
  char *ntlm_tag;     /* this hop's NTLM pool tag (owned), NULL: none */
  bool ntlm_deferred; /* headers wait for the connection (NTLM) */
  struct cn_cookie_origin cookie_origin; /* this hop, for the jar */
  bool have_cookie_origin;
  bool hop_connection_recorded; /* record_connection ran for this hop */
  char *cookie_value; /* this hop's Cookie header value, owned */
  char *url_user;     /* credentials from the URL, decoded, owned */
  char *url_password;
  int64_t drained;

  /* Proxies of this hop (owned; made by the first hop of a request with
   * proxy settings, NULL without them), and the program's lines with the
   * proxy's appended for a plain proxy (owned array). */
  struct hop_proxy *proxy;
  const char **all_lines;
  struct cn_http_auth_header_list proxy_auth_headers;
  bool plain_proxy;

  /* Authentication (lib/http/auth, .netrc). */
  struct cn_netrc_store netrc;   /* the .netrc text, read once */
  struct cn_http_auth_header_list auth_headers; /* this hop's */
  char *hop_user;       /* this hop's credentials (owned), NULL: none */
  char *hop_password;
  bool creds_from_netrc; /* this hop's came from .netrc */
  bool creds_cleared;   /* option credentials dropped after a redirect to
                           another port or scheme (libcurl 8.14 + Debian) */
  bool auth_probe;      /* this hop goes without its body */
  bool auth_restart;    /* the head asks for the same request again */
  bool expect_disabled; /* a 417 answered our Expect: no more of it */
  int64_t time_of_doc;  /* this hop's Last-Modified, 0: none */
  bool seen_http10;     /* a response came as HTTP/1.0: later requests of
                           the transfer go as HTTP/1.0 too (libcurl) */
  bool expect_restart;  /* ... and the request goes again without it */
  bool is_follow;       /* a Location was followed (this_is_a_follow) */
  bool body_sent;       /* an earlier hop read the upload: rewind it */
  char *first_host;     /* the first hop's origin, owned */
  char *first_scheme;
  int first_port;

  /* WebSocket upgrade and CONNECT_ONLY. */
  bool is_ws;                  /* this hop's scheme is ws or wss */
  char ws_key[CN_WS_KEY_SIZE]; /* this hop's Sec-WebSocket-Key */
  struct cn_stream_socket *detached; /* owned until taken */
  struct cn_buf unread;              /* bytes past the 101 head */

  /* This hop's alternative service (Alt-Used), HTTP/1.0 and h2c choices,
   * made by build_request for build_headers. The value buffers (owned,
   * ALT_USED_SIZE and H2C_SETTINGS_SIZE bytes) are made by the first hop
   * that needs them: few requests do, and a smaller request is cheaper to
   * allocate and clear. */
  bool use_alt;
  char *alt_used;
  bool http10;
  bool h2c;
  char *h2c_settings;
  uint8_t *buf; /* body bytes read from the transaction, buf_len of them */
  size_t buf_len;
  /* Body decoding of the final response (NULL: none). */
  struct cn_content_decoder_chain *te_chain; /* Transfer-Encoding codings */
  struct cn_content_decoder_chain *ce_chain; /* Content-Encoding codings */
  struct cn_url_request_stats stats;
  struct cn_task complete_task;
  int final_rv;
  bool done;
  /* Reading the final body is paused (cn_url_request_set_read_paused);
   * |read_parked|: the loop stopped before a read and waits for resume. */
  bool read_paused;
  bool read_parked;
  struct cn_task resume_task;
};

static int do_loop(struct cn_url_request *r, int rv);
static void on_io_complete(void *ctx, int rv);
static void run_resume(void *ctx);

struct cn_url_request *cn_url_request_new(
    struct cn_http_network_session *session,
    const struct cn_url_request_params *params,
    const struct cn_url_request_delegate *delegate, void *delegate_ctx) {
  struct cn_url_request *r = cn_calloc(1, sizeof(*r));
  if (!r)
    return NULL;
  r->session = session;
  r->params = params;
  r->delegate = delegate;
  r->delegate_ctx = delegate_ctx;
  cn_url_init(&r->url);
  cn_http_request_headers_init(&r->headers);
  cn_http_request_headers_init(&r->h2_headers);
  cn_netrc_store_init(&r->netrc);
  cn_buf_init(&r->unread, 0);
  r->stats.content_length = -1;
  r->stats.conn_id = -1;
  cn_task_init(&r->resume_task, run_resume, r);
  r->stats.filetime = -1;
  return r;
}

/* log_connection_fate says what becomes of the hop's connection, in
 * libcurl's words (its multi_done). */
static void log_connection_fate(struct cn_url_request *r) {
  const struct cn_client_socket_handle *h =
      r->trans ? cn_http_network_transaction_connection(r->trans) : NULL;
  if (!h)
    return;
  if (cn_http_network_transaction_keeps_connection(r->trans))
    cn_net_log_text(r->params->log, "Connection #%llu to host %s left intact",
                    (unsigned long long)h->socket_id,
                    r->connect_host ? r->connect_host : r->url.host);
  else
    cn_net_log_text(r->params->log, "shutting down connection #%llu",
                    (unsigned long long)h->socket_id);
}

static void end_hop(struct cn_url_request *r) {
  log_connection_fate(r);
  cn_http_network_transaction_free(r->trans);
  r->trans = NULL;
  cn_http_request_headers_cleanup(&r->headers);
  cn_http_request_headers_init(&r->headers);
  cn_http_request_headers_cleanup(&r->h2_headers);
  cn_http_request_headers_init(&r->h2_headers);
  cn_free(r->authority);
  cn_free(r->target);
  cn_free(r->authorization);
  cn_free(r->connect_host);
  r->authority = r->target = r->authorization = r->connect_host = NULL;
  cn_free(r->cookie_value);
  r->cookie_value = NULL;
  if (r->have_cookie_origin)
    cn_cookie_origin_cleanup(&r->cookie_origin);
  r->have_cookie_origin = false;
}

void cn_url_request_free(struct cn_url_request *r) {
  if (!r)
    return;
  cn_task_cancel(&r->complete_task);
  cn_task_cancel(&r->resume_task);
  end_hop(r);
  cn_http_request_headers_cleanup(&r->headers);
  cn_http_request_headers_cleanup(&r->h2_headers);
  cn_url_cleanup(&r->url);
  cn_free(r->method);
  cn_free(r->referer);
  cn_free(r->location);
  cn_free(r->url_user);
  cn_free(r->url_password);
  cn_netrc_store_cleanup(&r->netrc);
  cn_http_auth_header_list_cleanup(&r->auth_headers);
  cn_http_auth_header_list_cleanup(&r->proxy_auth_headers);
  if (r->proxy) {
    cn_proxy_resolution_cleanup(&r->proxy->res);
    cn_free(r->proxy);
  }
  cn_free(r->alt_used);
  cn_free(r->h2c_settings);
  cn_free(r->all_lines);
  cn_free(r->hop_user);
  cn_free(r->hop_password);
  cn_free(r->ntlm_tag);
  cn_stream_socket_destroy(r->detached);
  cn_buf_cleanup(&r->unread);
  cn_free(r->first_host);
  cn_free(r->host);
  cn_free(r->first_scheme);
  cn_free(r->buf);
  cn_content_decoder_chain_free(r->te_chain);
  cn_content_decoder_chain_free(r->ce_chain);
  cn_free(r->stats.effective_url);
  cn_free(r->stats.redirect_url);
  cn_free(r->stats.method);
  cn_free(r->stats.content_type);
  cn_free(r->stats.certinfo);
  cn_free(r->stats.referer);
  cn_free(r);
}

int32_t cn_url_request_h2_stream_id(const struct cn_url_request *r,
                                    const struct cn_h2_session *session) {
  return r->trans ? cn_http_network_transaction_h2_stream_id(r->trans, session)
                  : 0;
}

const struct cn_url_request_stats *cn_url_request_stats(
    const struct cn_url_request *r) {
  return &r->stats;
}

int64_t cn_url_request_upload_now(const struct cn_url_request *r) {
  if (!r->trans)
    return r->stats.upload_bytes;
  int64_t body = 0;
  cn_http_network_transaction_bytes_sent(r->trans, &body);
  return body;
}

static void run_complete(void *ctx) {
  struct cn_url_request *r = ctx;
  r->delegate->on_complete(r->delegate_ctx, r->final_rv);
}

/* finish records the outcome and reports it from the event loop, so the
 * delegate never runs inside start() or inside a lower layer's call. */
static void finish(struct cn_url_request *r, int rv) {
  if (r->done)
    return;
  r->done = true;
  r->final_rv = rv < 0 ? rv : CN_OK;
  r->stats.end_us = cn_time_now_us();
  if (r->trans) {
    const struct cn_client_socket_handle *h =
        cn_http_network_transaction_connection(r->trans);
    (void)h;
  }
  cn_task_init(&r->complete_task, run_complete, r);
  cn_task_post(r->session->loop, &r->complete_task);
}

/* --- URL and method rules ------------------------------------------------ */

static bool scheme_allowed(const struct cn_url_request *r, const char *scheme,
                           bool redirect) {
  const struct cn_url_request_params *p = r->params;
  if (strcmp(scheme, "http") == 0)
    return redirect ? p->redir_allow_http : p->allow_http;
  if (strcmp(scheme, "https") == 0)
    return redirect ? p->redir_allow_https : p->allow_https;
  if (strcmp(scheme, "ws") == 0)
    return redirect ? p->redir_allow_ws : p->allow_ws;
  if (strcmp(scheme, "wss") == 0)
    return redirect ? p->redir_allow_wss : p->allow_wss;
  return false;
}

static int check_scheme(struct cn_url_request *r, bool redirect) {
  const char *scheme = r->url.scheme ? r->url.scheme : "";
  if (scheme_allowed(r, scheme, redirect))
    return CN_OK;
  cn_net_log_fail(r->params->log,
                  "Protocol \"%s\" not supported%s", scheme,
                  redirect ? " or disabled in libcurl" : "");
  return CN_ERR_UNKNOWN_URL_SCHEME;
}

/* request_type is the method the options select without
 * CURLOPT_CUSTOMREQUEST (libcurl's httpreq, what its redirect rules look
 * at). */
static const char *request_type(const struct cn_url_request_params *p) {
  if (p->no_body)
    return "HEAD";
  if (p->is_put)
    return "PUT";
  if (p->is_post)
    return "POST";
  return "GET";
}

/* --- one hop ------------------------------------------------------------- */

static int on_head(void *ctx, const struct cn_http_response_headers *head);
static void record_connection(struct cn_url_request *r);

/* program_header returns the value of the program's "Name:" line, or NULL;
 * *out_named says whether a "Name:" or "Name;" line exists at all. */
static const char *program_header(const struct cn_url_request_params *p,
                                  const char *name, bool *out_named) {
  size_t n = strlen(name);
  const char *value = NULL;
  bool named = false;
  for (size_t i = 0; i < p->num_user_headers; i++) {
    const char *line = p->user_headers[i];
    if (strncasecmp(line, name, n) != 0 || (line[n] != ':' && line[n] != ';'))
      continue;
    named = true;
    if (line[n] == ':' && !value) {
      value = line + n + 1;
      while (*value == ' ' || *value == '\t')
        value++;
    }
  }
  if (out_named)
    *out_named = named;
  return value;
}

/* ignore_custom_host: libcurl uses the program's Host line only on the
 * first hop or when a redirect stays on the first hop's host name. */
static bool ignore_custom_host(const struct cn_url_request *r) {
  return r->is_follow && r->first_host && r->host &&
         strcasecmp(r->first_host, r->host) != 0;
}

/* build_cookie_header works out this hop's Cookie header as libcurl does:
 * the jar's cookies for the request's host and path, then CURLOPT_COOKIE
 * (unless the program sends its own Cookie line). */
static int build_cookie_header(struct cn_url_request *r) {
  const struct cn_url_request_params *p = r->params;
  if (!p->cookie_store && !p->cookie)
    return CN_OK;
  const char *custom_host =
      ignore_custom_host(r) ? NULL : program_header(p, "Host", NULL);
  bool own_cookie = false;
  program_header(p, "Cookie", &own_cookie);
  int rv = cn_cookie_origin_init(&r->cookie_origin, r->url.scheme,
                                 r->host, cn_url_path(&r->url),
                                 custom_host && *custom_host ? custom_host
                                                             : NULL,
                                 r->stats.redirect_count > 0, r->first_host,
                                 NULL, p->log);
  if (rv != CN_OK)
    return rv;
  r->have_cookie_origin = true;
  return cn_cookie_request_header(p->cookie_store, &r->cookie_origin,
                                  own_cookie ? NULL : p->cookie,
                                  &r->cookie_value);
}

/* store_cookies feeds every Set-Cookie of a response (any response:
 * redirects and interim ones too) to the jar; rejections are not errors,
 * as in libcurl. */
static void store_cookies(struct cn_url_request *r,
                          const struct cn_http_response_headers *head) {
  if (!r->params->cookie_store || !r->have_cookie_origin)
    return;
  size_t it = 0;
  const struct cn_http_header_field *f;
  while ((f = cn_http_response_headers_next(head, "Set-Cookie", &it))) {
    /* libcurl sees only the first line of a folded field */
    char *value = cn_strndup(f->value, f->line_value_len < f->value_len
                                           ? f->line_value_len
                                           : f->value_len);
    if (!value)
      return;
    cn_cookie_store_set_cookie_header(r->params->cookie_store,
                                      &r->cookie_origin, value, NULL);
    cn_free(value);
  }
}

static bool same_origin_as_first(const struct cn_url_request *r) {
  return r->first_host && r->host &&
         strcasecmp(r->first_host, r->host) == 0 &&
         r->first_port == cn_url_effective_port(&r->url) &&
         strcmp(r->first_scheme, r->url.scheme) == 0;
}

static int unescape(const char *in, char **out) {
  *out = NULL;
  if (!in)
    return CN_OK;
  return cn_url_unescape(in, strlen(in), CN_URL_UNESCAPE_ALLOW_ALL, out,
                         NULL) == CN_URL_OK
             ? CN_OK
             : CN_ERR_OUT_OF_MEMORY;
}

/* resolve_credentials picks this hop's user and password as libcurl does:
 * CURLOPT_USERNAME/PASSWORD (USERPWD) each over the URL's, then .netrc
 * (CURLOPT_NETRC, unless a CURLOPT_USERNAME is set) for the hop's host:
 * with OPTIONAL only when the URL has no password, with REQUIRED always,
 * the URL's user name selecting the entry. A missing entry is fine; with
 * REQUIRED a missing or broken file is CURLE_READ_ERROR. */
static int resolve_credentials(struct cn_url_request *r) {
  const struct cn_url_request_params *p = r->params;
  cn_free(r->hop_user);
  cn_free(r->hop_password);
  r->hop_user = r->hop_password = NULL;
  r->creds_from_netrc = false;
  char *url_user = NULL, *url_password = NULL;
  char *netrc_user = NULL, *netrc_password = NULL;
  int rv = unescape(r->url.user, &url_user);
  if (rv == CN_OK)
    rv = unescape(r->url.password, &url_password);
  if (rv != CN_OK)
    goto out;
  const char *opt_user = r->creds_cleared ? NULL : p->username;
  const char *opt_password = r->creds_cleared ? NULL : p->password;
  const char *user = opt_user ? opt_user : url_user;
  const char *password = opt_password ? opt_password : url_password;
  if (p->netrc != 0 && !p->username) {
    bool required = p->netrc == 2;
    if (!url_password || required) {
      enum cn_netrc_result nr =
          cn_netrc_lookup(&r->netrc, p->netrc_file, r->host, url_user,
                          &netrc_user, &netrc_password);
      if (nr == CN_NETRC_NO_MATCH || (nr != CN_NETRC_OK && !required)) {
        cn_net_log_text(p->log, "Couldn't find host %s in the %s file; "
                        "using defaults", r->host,
                        p->netrc_file ? p->netrc_file : ".netrc");
      } else if (nr != CN_NETRC_OK) {
        cn_net_log_fail(p->log, ".netrc error: %s", cn_netrc_strerror(nr));
        rv = nr == CN_NETRC_OUT_OF_MEMORY ? CN_ERR_OUT_OF_MEMORY
                                          : CN_ERR_FILE_READ_FAILED;
        goto out;
      } else {
        r->creds_from_netrc = true;
        if (!url_user && netrc_user)
          user = netrc_user;
        if (netrc_password)
          password = netrc_password;
      }
    }
    if (!user && password)
      user = ""; /* a password alone gets an empty user name */
  }
  if ((user && !(r->hop_user = cn_strdup(user))) ||
      (password && !(r->hop_password = cn_strdup(password))))
    rv = CN_ERR_OUT_OF_MEMORY;
out:
  cn_free(url_user);
  cn_free(url_password);
  cn_free(netrc_user);
  cn_free(netrc_password);
  return rv;
}

/* absolute_target is what a plain HTTP proxy is asked for: the URL without
 * fragment and (for http) credentials, without a default port (libcurl's
 * Curl_http_target). */
static char *absolute_target(const struct cn_url_request *r) {
  struct cn_url u = r->url;
  u.host = r->host;
  char *out = NULL;
  u.user = u.password = u.options = NULL;
  u.fragment = NULL;
  u.fragment_present = false;
  if (cn_url_to_string(&u, CN_URL_NO_DEFAULT_PORT, &out) != CN_URL_OK)
    return NULL;
  return out;
}

/* resolve_proxy picks this hop's proxies (libcurl decides per
 * connection: NOPROXY and the environment depend on the host and the
 * scheme). */
static int resolve_proxy(struct cn_url_request *r) {
  const struct cn_url_request_params *p = r->params;
  r->plain_proxy = false;
  r->stats.used_proxy = false;
  if (!p->proxy)
    return CN_OK;
  if (!r->proxy) {
    r->proxy = cn_calloc(1, sizeof(*r->proxy));
    if (!r->proxy)
      return CN_ERR_OUT_OF_MEMORY;
    cn_proxy_resolution_init(&r->proxy->res);
  }
  struct cn_proxy_resolution *res = &r->proxy->res;
  cn_proxy_resolution_cleanup(res);
  int rv = cn_proxy_resolution_resolve(res, p->proxy, r->url.scheme,
                                       r->host, p->log);
  if (rv != CN_OK)
    return rv;
  r->stats.used_proxy = cn_proxy_resolution_uses_proxy(res);
  struct cn_proxy_chain *c = &res->chain;
  if (c->http.type != CN_PROXY_NONE && !c->tunnel) {
    /* libcurl tunnels when CURLOPT_CONNECT_TO sends the request elsewhere:
     * a plain proxy would go to the URL's host. */
    char *to_host = NULL;
    int to_port = 0;
    int cv = cn_connect_to_lookup(p->connect_to, p->num_connect_to,
                                  r->host, cn_url_effective_port(&r->url),
                                  &to_host, &to_port);
    cn_free(to_host);
    if (cv == CN_ERR_OUT_OF_MEMORY)
      return cv;
    if (cv > 0)
      c->tunnel = true;
  }
  r->plain_proxy = cn_proxy_resolution_plain_http(res);
  if (c->tunnel && c->http.type != CN_PROXY_NONE && p->tunnel) {
    struct cn_http_proxy_tunnel_config *tc = &r->proxy->tunnel_cfg;
    *tc = *p->tunnel;
    tc->user = c->http.user;
    tc->password = c->http.password;
    c->tunnel_ops = &cn_http_proxy_tunnel_ops;
    c->tunnel_config = tc;
  }
  return CN_OK;
}

/* pick_alternative applies CURLOPT_ALTSVC to an HTTPS hop without a
 * CONNECT_TO target: the first alternative of the wanted protocols (h2,
 * then h1) becomes the connect target (libcurl's conn_to_host). */
static int pick_alternative(struct cn_url_request *r, int port,
                            int *out_port, bool *out_used) {
  const struct cn_url_request_params *p = r->params;
  *out_used = false;
  if (!p->altsvc || strcmp(r->url.scheme, "https") != 0)
    return CN_OK;
  static const int order[] = {CN_ALTSVC_H2, CN_ALTSVC_H1};
  struct cn_altsvc_entry e;
  for (size_t i = 0; i < 2; i++) {
    if (!(p->altsvc_wanted & order[i]) ||
        !cn_altsvc_store_lookup(p->altsvc, order[i], r->host, port,
                                p->altsvc_wanted, (int64_t)time(NULL), &e))
      continue;
    cn_free(r->connect_host);
    r->connect_host = cn_strdup(e.dst_host);
    if (!r->connect_host)
      return CN_ERR_OUT_OF_MEMORY;
    *out_port = e.dst_port;
    if (!r->alt_used && !(r->alt_used = cn_malloc(ALT_USED_SIZE)))
      return CN_ERR_OUT_OF_MEMORY;
    snprintf(r->alt_used, ALT_USED_SIZE, "%s:%d", e.dst_host, e.dst_port);
    cn_net_log_text(p->log, "Alt-svc connecting from [%s]%s:%d to [%s]%s:%d",
                    order[i] == CN_ALTSVC_H2 ? "h2" : "h1", r->host, port,
                    e.dst_alpn == CN_ALTSVC_H2 ? "h2" : "h1", e.dst_host,
                    e.dst_port);
    *out_used = true;
    return CN_OK;
  }
  return CN_OK;
}

/* proxy_lines: with a plain proxy the program's lines plus its proxy
 * lines (libcurl's Curl_add_custom_headers for HEADER_PROXY). */
static int collect_lines(struct cn_url_request *r, const char *const **out,
                         size_t *out_num) {
  const struct cn_url_request_params *p = r->params;
  *out = p->user_headers;
  *out_num = p->num_user_headers;
  if (!r->plain_proxy || !p->num_proxy_lines)
    return CN_OK;
  size_t n = p->num_user_headers + p->num_proxy_lines;
  cn_free(r->all_lines);
  r->all_lines = cn_calloc(n, sizeof(*r->all_lines));
  if (!r->all_lines)
    return CN_ERR_OUT_OF_MEMORY;
  for (size_t i = 0; i < p->num_user_headers; i++)
    r->all_lines[i] = p->user_headers[i];
  for (size_t i = 0; i < p->num_proxy_lines; i++)
    r->all_lines[p->num_user_headers + i] = p->proxy_lines[i];
  *out = r->all_lines;
  *out_num = n;
  return CN_OK;
}

/* hop_auth_request: what the auth schemes need to know about this hop's
 * request, for the origin and the proxy alike; the caller adds whose
 * credentials and headers go with it. */
static struct cn_http_auth_request hop_auth_request(
    const struct cn_url_request *r) {
  return (struct cn_http_auth_request){
      .method = r->method,
      .get_or_head = !r->send_body,
      .host = r->host,
      .authority = r->authority,
      .path = r->url.path ? r->url.path : "/",
      .query = r->url.query && *r->url.query ? r->url.query : NULL,
      .now = (int64_t)time(NULL),
      .log = r->params->log,
  };
}

/* add_proxy_auth: Proxy-Authorization for a plain proxy's request. */
static int add_proxy_auth(struct cn_url_request *r, const char *const *lines,
                          size_t num_lines,
                          struct cn_http_auth_ntlm_conn *ntlm_conn,
                          const char **out_value) {
  const struct cn_url_request_params *p = r->params;
  *out_value = NULL;
  cn_http_auth_header_list_cleanup(&r->proxy_auth_headers);
  if (!r->plain_proxy || !p->proxy_auth)
    return CN_OK;
  bool probe = false;
  struct cn_http_auth_request ar = hop_auth_request(r);
  ar.user = r->proxy->res.chain.http.user;
  ar.password = r->proxy->res.chain.http.password;
  ar.allowed_to_host = true;
  ar.user_headers = lines;
  ar.num_user_headers = num_lines;
  ar.ntlm_conn = ntlm_conn ? cn_http_auth_ntlm_conn_proxy(ntlm_conn) : NULL;
  if (ntlm_conn && !ar.ntlm_conn)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = cn_http_auth_controller_add_auth(p->proxy_auth, &ar,
                                            &r->proxy_auth_headers, &probe);
  if (rv == CN_OK && r->proxy_auth_headers.num_headers)
    *out_value = r->proxy_auth_headers.headers[0].value;
  /* libcurl: a proxy handshake's first request goes without the body. */
  if (probe && r->send_body)
    r->auth_probe = true;
  return rv;
}

/* note_altsvc learns the Alt-Svc of an HTTPS answer (libcurl: over TLS
 * only), for the origin as reached: its protocol, host and port. */
static int note_altsvc(struct cn_url_request *r,
                       const struct cn_http_response_headers *head) {
  const struct cn_url_request_params *p = r->params;
  if (!p->altsvc || strcmp(r->url.scheme, "https") != 0)
    return CN_OK;
  size_t it = 0;
  const struct cn_http_header_field *f =
      cn_http_response_headers_next(head, "Alt-Svc", &it);
  if (!f)
    return CN_OK;
  char *v = cn_strndup(f->value, f->value_len);
  if (!v)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = cn_altsvc_store_parse_header(
      p->altsvc, v, head->version_major == 2 ? CN_ALTSVC_H2 : CN_ALTSVC_H1,
      r->host, cn_url_effective_port(&r->url), (int64_t)time(NULL));
  cn_free(v);
  return rv;
}

/* h2c_settings_value writes the HTTP2-Settings value: the SETTINGS a new
 * session would send, base64url without padding (RFC 7540 3.2.1). */
static bool h2c_settings_value(struct cn_url_request *r, char *out,
                               size_t out_len) {
  uint8_t payload[64];
  size_t n = cn_h2_session_pool_settings_payload(
      r->session->h2_pool, r->params->h2_config, payload, sizeof(payload));
  char *b64 = n ? cn_base64_encode(payload, n) : NULL;
  if (!b64 || strlen(b64) >= out_len) {
    cn_free(b64);
    return false;
  }
  size_t i = 0;
  for (; b64[i] && b64[i] != '='; i++)
    out[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
  out[i] = '\0';
  cn_free(b64);
  return true;
}

/* format_time_condition writes the value of the time condition's header
 * (RFC 1123 date in GMT, libcurl's format) and names the header. */
static int format_time_condition(struct cn_url_request *r, char *out,
                                 size_t out_len, const char **out_name) {
  static const char *const wkday[] = {"Sun", "Mon", "Tue", "Wed",
                                      "Thu", "Fri", "Sat"};
  static const char *const month[] = {"Jan", "Feb", "Mar", "Apr",
                                      "May", "Jun", "Jul", "Aug",
                                      "Sep", "Oct", "Nov", "Dec"};
  const struct cn_url_request_params *p = r->params;
  time_t when = (time_t)p->time_value;
  struct tm tm;
  if ((int64_t)when != p->time_value || !gmtime_r(&when, &tm)) {
    cn_net_log_fail(p->log, "Invalid TIMEVALUE");
    return CN_ERR_BAD_OPTION_VALUE;
  }
  snprintf(out, out_len, "%s, %02d %s %4d %02d:%02d:%02d GMT",
           wkday[tm.tm_wday], tm.tm_mday, month[tm.tm_mon],
           tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  *out_name = p->time_condition == CN_TIMECOND_IFUNMODSINCE
                  ? "If-Unmodified-Since"
              : p->time_condition == CN_TIMECOND_LASTMOD ? "Last-Modified"
                                                         : "If-Modified-Since";
  return CN_OK;
}

/* note_last_modified keeps a response's Last-Modified for the time
 * condition and CURLINFO_FILETIME (libcurl reads it only from responses
 * that may have a body). */
static void note_last_modified(struct cn_url_request *r,
                               const struct cn_http_response_headers *head,
                               int status) {
  const struct cn_url_request_params *p = r->params;
  if (!p->time_condition && !p->get_filetime)
    return;
  if (status == 304 && p->time_condition)
    r->stats.condition_unmet = true;
  if (status < 200 || status == 204 || status == 304)
    return;
  size_t it = 0;
  const struct cn_http_header_field *f =
      cn_http_response_headers_next(head, "Last-Modified", &it);
  if (!f)
    return;
  char *v = cn_strndup(f->value, f->value_len);
  time_t when = 0;
  if (v && cn_parsedate(v, &when)) {
    r->time_of_doc = (int64_t)when;
    if (p->get_filetime)
      r->stats.filetime = (int64_t)when;
  }
  cn_free(v);
}

/* meets_time_condition: libcurl's Curl_meets_timecondition. */
static bool meets_time_condition(struct cn_url_request *r) {
  const struct cn_url_request_params *p = r->params;
  if (!r->time_of_doc || !p->time_value)
    return true;
  if (p->time_condition == CN_TIMECOND_IFUNMODSINCE) {
    if (r->time_of_doc < p->time_value)
      return true;
    cn_net_log_text(p->log, "The requested document is not old enough");
  } else {
    if (r->time_of_doc > p->time_value)
      return true;
    cn_net_log_text(p->log, "The requested document is not new enough");
  }
  r->stats.condition_unmet = true;
  return false;
}

/* announces_expect: the head asks "Expect: 100-continue" (ours or the
 * program's line), so the body waits for the server's go. */
static bool announces_expect(const struct cn_http_request_headers *h) {
  const struct cn_http_request_header *e =
      cn_http_request_headers_find(h, "Expect");
  size_t len = 0;
  const char *v = e ? cn_http_request_header_value(e, &len) : NULL;
  for (size_t i = 0; v && i + 12 <= len; i++)
    if (strncasecmp(v + i, "100-continue", 12) == 0)
      return true;
  return false;
}
static int build_headers(struct cn_url_request *r,
                         struct cn_http_auth_ntlm_conn *ntlm_conn);
static int on_connection(void *ctx, struct cn_client_socket_handle *h);

/* prepare_ntlm: NTLM authenticates the connection, to the origin and to a
 * plain proxy alike. An idle connection authenticated for these
 * credentials (both sides) may be taken, and the headers wait for the
 * connection when NTLM is in use on either side (its state decides). */
static int prepare_ntlm(struct cn_url_request *r, bool allowed) {
  const struct cn_url_request_params *p = r->params;
  /* A plain proxy is a resolved one (r->proxy is there). */
  const struct cn_proxy_server *proxy =
      r->plain_proxy ? &r->proxy->res.chain.http : NULL;
  bool origin = p->auth && r->hop_user && allowed &&
                cn_http_auth_controller_wants_ntlm(p->auth);
  bool via_proxy = proxy && p->proxy_auth && proxy->user &&
                   cn_http_auth_controller_wants_ntlm(p->proxy_auth);
  r->ntlm_deferred = false;
  cn_free(r->ntlm_tag);
  r->ntlm_tag = NULL;
  if (!origin && !via_proxy)
    return CN_OK;
  char *o = origin ? cn_http_auth_ntlm_tag(r->hop_user, r->hop_password)
                   : cn_strdup("");
  char *x = via_proxy ? cn_http_auth_ntlm_tag(proxy->user, proxy->password)
                      : cn_strdup("");
  struct cn_buf b;
  cn_buf_init(&b, 0);
  int rv = o && x ? cn_buf_printf(&b, "%s%s%s", o, via_proxy ? "\nproxy\n" : "",
                                  x)
                  : CN_ERR_OUT_OF_MEMORY;
  cn_free(o);
  cn_free(x);
  if (rv != CN_OK) {
    cn_buf_cleanup(&b);
    return rv;
  }
  r->ntlm_tag = b.data;
  r->info.socket.attachment_tag = r->ntlm_tag;
  r->ntlm_deferred =
      (origin && cn_http_auth_controller_uses_ntlm(p->auth)) ||
      (via_proxy && cn_http_auth_controller_uses_ntlm(p->proxy_auth));
  return CN_OK;
}

static int build_request(struct cn_url_request *r) {
  const struct cn_url_request_params *p = r->params;
  int rv = resolve_proxy(r);
  if (rv != CN_OK)
    return rv;
  struct cn_url wire = r->url; /* shallow: the host as sent */
  wire.host = r->host;
  r->authority = cn_url_authority(&wire, false);
  r->target = p->request_target ? cn_strdup(p->request_target)
              : r->plain_proxy  ? absolute_target(r)
                                : cn_url_request_target(&r->url);
  if (!r->authority || !r->target)
    return CN_ERR_OUT_OF_MEMORY;
  rv = resolve_credentials(r);
  if (rv != CN_OK)
    return rv;
  /* libcurl's Curl_auth_allowed_to_host: credentials and the program's
   * Authorization/Cookie lines go to the first origin only once a Location
   * was followed, unless CURLOPT_UNRESTRICTED_AUTH; .netrc credentials are
   * for the host they were looked up for, so they may go anyway. */
  bool allowed = !r->is_follow || p->unrestricted_auth ||
                 same_origin_as_first(r);
  r->strip_credentials = !allowed;
  int port = cn_url_effective_port(&r->url);
  r->connect_port = 0;
  int cv = cn_connect_to_lookup(p->connect_to, p->num_connect_to, r->host,
                                port, &r->connect_host, &r->connect_port);
  if (cv > 0 && r->connect_host && !cn_idna_is_ascii(r->connect_host)) {
    /* libcurl IDN-converts the CONNECT_TO host as it does the origin. */
    char *ace = NULL;
    enum cn_idna_result ir = cn_idna_to_ascii(r->connect_host, &ace);
    if (ir != CN_IDNA_OK)
      return ir == CN_IDNA_ERR_OUT_OF_MEMORY ? CN_ERR_OUT_OF_MEMORY
                                             : CN_ERR_INVALID_URL;
    cn_free(r->connect_host);
    r->connect_host = ace;
  }
  if (cv < 0) {
    cn_net_log_fail(p->log, "Invalid CURLOPT_CONNECT_TO entry");
    return cv == CN_ERR_OUT_OF_MEMORY ? cv : CN_ERR_OPTION_SYNTAX;
  }
  r->use_alt = false;
  if (cv == 0) {
    rv = pick_alternative(r, port, &r->connect_port, &r->use_alt);
    if (rv != CN_OK)
      return rv;
    if (r->use_alt)
      cv = 1;
  }
  rv = build_cookie_header(r);
  if (rv != CN_OK)
    return rv;
  r->http10 = p->http10 || r->seen_http10;
  r->h2c = false;
  if (!r->http10 && p->http2 == CN_HTTP2_UPGRADE &&
      strcmp(r->url.scheme, "http") == 0) {
    if (!r->h2c_settings &&
        !(r->h2c_settings = cn_malloc(H2C_SETTINGS_SIZE)))
      return CN_ERR_OUT_OF_MEMORY;
    r->h2c = h2c_settings_value(r, r->h2c_settings, H2C_SETTINGS_SIZE);
  }

  struct cn_http_request_info *info = &r->info;
  memset(info, 0, sizeof(*info));
  info->method = r->method;
  info->request_target = r->target;
  info->expect_100_timeout_ms = p->expect_100_timeout_ms;
  info->keep_sending_on_error = p->keep_sending_on_error;
  info->upload_trailers = p->upload_trailers;
  info->upload_trailers_ctx = p->upload_trailers_ctx;
  info->expect_no_body = strcmp(r->method, "HEAD") == 0;
  info->forbid_reuse = p->forbid_reuse;
  info->http_minor = r->http10 ? 0 : 1;
  info->ignore_content_length = p->ignore_content_length;
  info->allow_http09 = p->allow_http09;
  info->decode_transfer_codings = p->transfer_encoding;
  info->raw_chunked = !p->transfer_decoding;
  info->http200_aliases = p->http200_aliases;
  info->num_http200_aliases = p->num_http200_aliases;
  info->socket = p->socket;
  info->socket.host = r->host;
  info->socket.display_host = r->url.host;
  info->socket.port = port;
  if (cv > 0) {
    /* libcurl forgets a CONNECT_TO target that names the origin itself,
     * so such a connection is the origin's, reused as one. */
    if (r->connect_host && strcasecmp(r->connect_host, r->host) == 0) {
      cn_free(r->connect_host);
      r->connect_host = NULL;
    }
    info->socket.connect_host = r->connect_host;
    info->socket.connect_port = r->connect_port == port ? 0 : r->connect_port;
  }
  r->is_ws = strcmp(r->url.scheme, "ws") == 0 ||
             strcmp(r->url.scheme, "wss") == 0;
  info->socket.use_tls = strcmp(r->url.scheme, "https") == 0 ||
                         strcmp(r->url.scheme, "wss") == 0;
  if (r->proxy && cn_proxy_resolution_uses_proxy(&r->proxy->res))
    info->socket.proxy = &r->proxy->res.chain;
  info->log = p->log;
  info->http2 = (enum cn_http2_mode)p->http2;
  info->connect_only = p->connect_only && !r->is_ws;
  if (r->is_ws) {
    /* WebSockets are HTTP/1.1 only (the transfer offers ALPN http/1.1). */
    info->http2 = CN_HTTP2_NEGOTIATE;
    if (!cn_ws_handshake_new_key(r->ws_key))
      return CN_ERR_FAILED;
  }
  info->h2_config = p->h2_config;
  info->pipewait = p->pipewait;
  info->h2_weight = p->h2_weight;
  info->h2_depends_on = p->h2_depends_on;
  info->h2_depends_ctx = p->h2_depends_ctx;
  info->h2_depends_exclusive = p->h2_depends_exclusive;
  info->before_send = p->before_send;
  info->before_send_ctx = p->before_send_ctx;
  info->h2c_upgrade = r->h2c;
  rv = prepare_ntlm(r, allowed);
  if (rv != CN_OK)
    return rv;
  if (r->ntlm_deferred) {
    info->on_connection = on_connection;
    info->on_connection_ctx = r;
    return CN_OK;
  }
  return build_headers(r, NULL);
}

/* build_headers makes the hop's header list (auth included: NTLM's needs
 * the connection's state |ntlm_conn|) and the body to send. */
static int build_headers(struct cn_url_request *r,
                         struct cn_http_auth_ntlm_conn *ntlm_conn) {
  const struct cn_url_request_params *p = r->params;
  int rv = CN_OK;
  cn_http_auth_header_list_cleanup(&r->auth_headers);
  cn_free(r->authorization);
  r->authorization = NULL;
  cn_http_request_headers_cleanup(&r->headers);
  cn_http_request_headers_init(&r->headers);
  cn_http_request_headers_cleanup(&r->h2_headers);
  cn_http_request_headers_init(&r->h2_headers);
  r->auth_probe = false;
  bool allowed = !r->strip_credentials;
  if (p->auth) {
    struct cn_http_auth_request ar = hop_auth_request(r);
    ar.user = r->hop_user;
    ar.password = r->hop_password;
    /* the token goes to the first origin only, .netrc or not */
    ar.bearer = allowed ? p->bearer : NULL;
    ar.aws_sigv4 = p->aws_sigv4;
    ar.allowed_to_host = allowed || r->creds_from_netrc;
    ar.user_headers = p->user_headers;
    ar.num_user_headers = p->num_user_headers;
    ar.post_fields = p->post_fields;
    ar.post_fields_len = p->post_fields_len;
    ar.post_fields_post = p->is_post && p->post_fields;
    ar.infile_size = p->infile_size;
    ar.path_as_is = p->path_as_is;
    ar.ntlm_conn = ntlm_conn;
    rv = cn_http_auth_controller_add_auth(p->auth, &ar, &r->auth_headers,
                                          &r->auth_probe);
    if (rv != CN_OK)
      return rv;
    r->auth_probe = r->auth_probe && r->send_body;
  }
  const struct cn_http_auth_header *auth_extra = NULL;
  size_t num_auth_extra = r->auth_headers.num_headers;
  if (num_auth_extra &&
      strcmp(r->auth_headers.headers[0].name, "Authorization") == 0) {
    r->authorization = cn_strdup(r->auth_headers.headers[0].value);
    if (!r->authorization)
      return CN_ERR_OUT_OF_MEMORY;
    num_auth_extra--;
  }
  if (num_auth_extra)
    auth_extra = r->auth_headers.headers + 1;
  const char *const *lines = NULL;
  size_t num_lines = 0;
  const char *proxy_authorization = NULL;
  rv = collect_lines(r, &lines, &num_lines);
  if (rv == CN_OK)
    rv = add_proxy_auth(r, lines, num_lines, ntlm_conn, &proxy_authorization);
  if (rv != CN_OK)
    return rv;
  char time_cond[64];
  const char *time_cond_name = NULL;
  if (p->time_condition != CN_TIMECOND_NONE) {
    rv = format_time_condition(r, time_cond, sizeof(time_cond),
                               &time_cond_name);
    if (rv != CN_OK)
      return rv;
  }
  const char *referer = r->referer ? r->referer : p->referer;
  cn_free(r->stats.referer);
  r->stats.referer = NULL;
  if (referer && !(r->stats.referer = cn_strdup(referer)))
    return CN_ERR_OUT_OF_MEMORY;
  struct cn_request_headers_input in = {
      .authority = r->authority,
      .proxy_authorization = proxy_authorization,
      .proxy_connection = r->plain_proxy,
      .authorization = r->authorization,
      .auth_extra = auth_extra,
      .num_auth_extra = num_auth_extra,
      .auth_probe = r->auth_probe,
      .range = p->range,
      .content_range = r->send_body ? p->content_range : NULL,
      .user_agent = p->user_agent,
      .accept_encoding = p->accept_encoding,
      .te_gzip = p->transfer_encoding,
      .referer = referer,
      .cookie = r->cookie_value,
      .time_cond_name = time_cond_name,
      .time_cond_value = time_cond,
      .user_lines = lines,
      .num_user_lines = num_lines,
      .strip_credentials = r->strip_credentials,
      .ignore_custom_host = ignore_custom_host(r),
      .has_body = r->send_body,
      .body_size = r->send_body && p->upload ? p->upload->size : 0,
      .default_content_type =
          (r->send_body && p->is_post && !p->is_put)
              ? (p->body_content_type ? p->content_type
                                      : "application/x-www-form-urlencoded")
              : NULL,
      .body_content_type = r->send_body && p->body_content_type,
      .http10 = r->http10,
      .disable_expect = r->expect_disabled,
      .h2c_settings = r->h2c ? r->h2c_settings : NULL,
      .alt_used = r->use_alt ? r->alt_used : NULL,
      .ws_key = r->is_ws ? r->ws_key : NULL,
  };
  bool chunked = false;
  if (p->profile) {
    /* A browser's order, separately for HTTP/1.1 and HTTP/2 (the
     * connection decides which one goes out). */
    bool h2_chunked;
    rv = cn_profile_headers_build(&r->headers, &p->profile->h1_headers, false,
                                  &in, &chunked);
    if (rv == CN_OK)
      rv = cn_profile_headers_build(&r->h2_headers, &p->profile->h2_headers,
                                    true, &in, &h2_chunked);
  } else {
    rv = cn_request_headers_build(&r->headers, &in, &chunked);
  }
  if (rv == CN_OK && p->header_order) {
    rv = cn_http_request_headers_reorder(&r->headers, p->header_order);
    if (rv == CN_OK && p->profile)
      rv = cn_http_request_headers_reorder(&r->h2_headers, p->header_order);
  }
  if (rv != CN_OK)
    return rv;
  if (r->http10 && !chunked && r->send_body && !r->auth_probe && p->upload &&
      p->upload->size < 0) {
    cn_net_log_fail(p->log, "Chunky upload is not supported by HTTP 1.0");
    return CN_ERR_UPLOAD_NOT_POSSIBLE;
  }

  struct cn_http_request_info *info = &r->info;
  info->headers = &r->headers;
  info->upload = r->send_body && !r->auth_probe ? p->upload : NULL;
  info->upload_chunked = chunked;
  info->expect_continue = info->upload && announces_expect(&r->headers);
  info->h2_headers = p->profile ? &r->h2_headers : NULL;
  return CN_OK;
}


/* on_connection is the transaction's hook for a hop whose NTLM header
 * depends on the connection: the connection gets its NTLM state (kept by
 * the pool with the socket) and the headers are made now. */
static int on_connection(void *ctx, struct cn_client_socket_handle *h) {
  struct cn_url_request *r = ctx;
  struct cn_http_auth_ntlm_conn *nc = NULL;
  if (h) {
    nc = cn_http_auth_ntlm_conn_from(h->attachment);
    if (!nc && !h->attachment) {
      nc = cn_http_auth_ntlm_conn_new();
      if (!nc)
        return CN_ERR_OUT_OF_MEMORY;
      cn_client_socket_handle_set_attachment(h, &nc->base);
    }
    /* libcurl: NTLM done on another connection starts over on a new one
     * (without credentials until a 401 picks a scheme again). */
    struct cn_http_auth_controller *auth = r->params->auth;
    if (auth && !h->is_reused && (auth->picked & CN_HTTP_AUTH_NTLM) &&
        auth->done) {
      cn_net_log_text(r->params->log, "NTLM picked AND auth done set, "
                                      "clear picked");
      auth->picked = CN_HTTP_AUTH_NONE;
      auth->done = false;
    }
    auth = r->params->proxy_auth;
    if (auth && r->plain_proxy && !h->is_reused &&
        (auth->picked & CN_HTTP_AUTH_NTLM) && auth->done) {
      cn_net_log_text(r->params->log, "NTLM-proxy picked AND auth done set, "
                                      "clear picked");
      auth->picked = CN_HTTP_AUTH_NONE;
      auth->done = false;
    }
  }
  int rv = build_headers(r, nc);
  /* The connection is now these credentials' (origin and proxy). */
  if (rv == CN_OK && nc && r->ntlm_tag)
    rv = cn_http_auth_ntlm_conn_retag(nc, r->ntlm_tag);
  return rv;
}

/* apply_hsts switches an http:// hop to https:// when the host is a known
 * HSTS host (libcurl, before connecting); an explicit port 80 becomes
 * https's default. */
static int apply_hsts(struct cn_url_request *r) {
  const struct cn_url_request_params *p = r->params;
  if (!p->hsts || !r->url.scheme || strcmp(r->url.scheme, "http") != 0 ||
      !r->host ||
      !cn_hsts_store_lookup(p->hsts, r->host, true, (int64_t)time(NULL)))
    return CN_OK;
  char *https = cn_strdup("https");
  if (!https)
    return CN_ERR_OUT_OF_MEMORY;
  cn_free(r->url.scheme);
  r->url.scheme = https;
  if (r->url.has_port && r->url.port == 80)
    r->url.has_port = false;
  char *where = NULL;
  if (cn_url_to_string(&r->url, 0, &where) == CN_URL_OK) {
    cn_net_log_text(p->log, "Switched from HTTP to HTTPS due to HSTS => %s",
                    where);
    cn_free(where);
  }
  return check_scheme(r, r->stats.redirect_count > 0);
}

/* note_hsts feeds Strict-Transport-Security from an HTTPS answer to the
 * cache (libcurl reads it only over TLS). */
static void note_hsts(struct cn_url_request *r,
                      const struct cn_http_response_headers *head) {
  const struct cn_url_request_params *p = r->params;
  if (!p->hsts || strcmp(r->url.scheme, "https") != 0)
    return;
  size_t it = 0;
  const struct cn_http_header_field *f =
      cn_http_response_headers_next(head, "Strict-Transport-Security", &it);
  if (!f)
    return;
  char *v = cn_strndup(f->value, f->value_len);
  if (v && !cn_hsts_store_parse_header(p->hsts, r->host, v,
                                       (int64_t)time(NULL)))
    cn_net_log_text(p->log, "Illegal STS header skipped");
  cn_free(v);
}

/* convert_host gives the hop its wire host name (r->host): libcurl
 * IDN-converts the host when it sets up the connection and fails the
 * transfer with CURLE_URL_MALFORMAT, without an error text, when the name
 * has no ACE form. */
static int convert_host(struct cn_url_request *r) {
  cn_free(r->host);
  r->host = NULL;
  if (!r->url.host)
    return CN_OK;
  enum cn_idna_result ir = cn_idna_to_ascii(r->url.host, &r->host);
  if (ir == CN_IDNA_ERR_OUT_OF_MEMORY)
    return CN_ERR_OUT_OF_MEMORY;
  return ir == CN_IDNA_OK ? CN_OK : CN_ERR_INVALID_URL;
}

/* libcurl's MAX_URL_LEN, the longest host name it connects to. */
#define MAX_HOST_LEN 0xffff

static int do_start_hop(struct cn_url_request *r) {
  r->next_state = STATE_HOP_STARTED;
  if (r->url.host && strlen(r->url.host) > MAX_HOST_LEN) {
    cn_net_log_fail(r->params->log, "Too long hostname (maximum is %d)",
                    MAX_HOST_LEN);
    return CN_ERR_INVALID_URL;
  }
  r->hop_connection_recorded = false;
  int iv = convert_host(r);
  if (iv != CN_OK)
    return iv;
  int hv = apply_hsts(r);
  if (hv != CN_OK)
    return hv;
  if (!r->first_host) {
    r->first_host = cn_strdup(r->host ? r->host : "");
    r->first_scheme = cn_strdup(r->url.scheme ? r->url.scheme : "");
    r->first_port = cn_url_effective_port(&r->url);
    if (!r->first_host || !r->first_scheme)
      return CN_ERR_OUT_OF_MEMORY;
  }
  cn_free(r->stats.effective_url);
  r->stats.effective_url = NULL;
  if (cn_url_to_string(&r->url, 0, &r->stats.effective_url) != CN_URL_OK)
    return CN_ERR_OUT_OF_MEMORY;
  cn_free(r->stats.method);
  r->stats.method = cn_strdup(r->method);
  if (!r->stats.method)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = build_request(r);
  if (rv != CN_OK)
    return rv;
  if (r->send_body && r->params->upload && r->body_sent && !r->auth_probe) {
    rv = r->params->upload->ops->rewind(r->params->upload);
    if (rv != CN_OK) {
      cn_net_log_fail(r->params->log, "Need to rewind upload for next request");
      return CN_ERR_UPLOAD_FILE_CHANGED;
    }
  }
  if (r->send_body && !r->auth_probe)
    r->body_sent = true;
  r->time_of_doc = 0;
  r->trans = cn_http_network_transaction_new(r->session);
  if (!r->trans)
    return CN_ERR_OUT_OF_MEMORY;
  return cn_http_network_transaction_start(r->trans, &r->info, on_head, r,
                                           on_io_complete, r);
}

/* record_connection copies what getinfo wants to know about the
 * connection the hop used. */
static void record_connection(struct cn_url_request *r) {
  const struct cn_client_socket_handle *h =
      cn_http_network_transaction_connection(r->trans);
  if (!h)
    return;
  r->stats.peer = h->peer;
  r->stats.local = h->local;
  r->stats.conn_id = (int64_t)h->socket_id;
  if (!h->is_reused)
    r->stats.num_connects++;
  /* the times are those of the transfer's first new connection */
  if (!h->is_reused && r->stats.num_connects == 1) {
    const struct cn_connect_timing *t = &h->timing;
    if (t->dns_end_us)
      r->stats.namelookup_us = t->dns_end_us;
    if (t->connect_end_us)
      r->stats.connect_us = t->connect_end_us;
    if (t->tls_end_us)
      r->stats.appconnect_us = t->tls_end_us;
  }
  cn_http_network_transaction_tls_info(r->trans, &r->stats.tls);
  if (r->params->certinfo && !h->is_reused && h->socket &&
      h->socket->ops->get_cert_info) {
    struct cn_buf b;
    cn_buf_init(&b, 0);
    if (h->socket->ops->get_cert_info(h->socket, &b) == CN_OK && b.len) {
      cn_free(r->stats.certinfo);
      r->stats.certinfo_len = b.len;
      r->stats.certinfo = (uint8_t *)cn_buf_detach(&b);
    }
    cn_buf_cleanup(&b);
  }
}

static int make_decoders(struct cn_url_request *r,
                         const struct cn_http_response_headers *head);

/* deliver_head_until hands the program the lines of |head| before the
 * first |name| line (as interim: nothing follows). */
static void deliver_head_until(struct cn_url_request *r,
                               const struct cn_http_response_headers *head,
                               const char *name) {
  struct cn_http_response_headers *part = cn_http_response_headers_new();
  if (!part)
    return;
  size_t n = strlen(name);
  size_t lines = cn_http_response_headers_num_raw_lines(head);
  int rv = cn_http_response_headers_set_status(
      part, head->version_major, head->version_minor, head->status_code,
      "", 0);
  size_t i = 0;
  for (; rv == CN_OK && i < lines; i++) {
    size_t len = 0;
    const char *line = cn_http_response_headers_raw_line(head, i, &len);
    if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':')
      break;
    rv = cn_http_response_headers_add_raw_line(part, line, len);
  }
  /* The fields of those lines (one per line after the status line). */
  for (size_t f = 0; rv == CN_OK && i > 0 && f < i - 1 &&
                     f < cn_http_response_headers_num_fields(head);
       f++) {
    const struct cn_http_header_field *fl =
        cn_http_response_headers_field(head, f);
    rv = cn_http_response_headers_add(part, fl->name, fl->name_len,
                                      fl->value, fl->value_len);
  }
  if (rv == CN_OK)
    (void)r->delegate->on_head(r->delegate_ctx, part, false);
  cn_http_response_headers_free(part);
}

/* upload_finished: the whole body went out on this hop. */
static bool upload_finished(struct cn_url_request *r) {
  int64_t sent = 0;
  cn_http_network_transaction_bytes_sent(r->trans, &sent);
  int64_t size = r->info.upload ? r->info.upload->size : 0;
  return size < 0 ? sent > 0 : sent >= size;
}

/* record_retry_after keeps a Retry-After of any response as libcurl does:
 * an HTTP date in the future as seconds from now, else a number of
 * seconds, capped at 6 hours; anything else is 0. */
static void record_retry_after(struct cn_url_request *r,
                               const struct cn_http_response_headers *head) {
  size_t it = 0;
  const struct cn_http_header_field *f = NULL, *next;
  while ((next = cn_http_response_headers_next(head, "Retry-After", &it)))
    f = next; /* the last one counts */
  if (!f)
    return;
  int64_t secs = 0;
  char *value = cn_strndup(f->value, f->value_len);
  time_t date;
  if (value && cn_parsedate(value, &date)) {
    time_t now = time(NULL);
    if (date >= now)
      secs = (int64_t)(date - now);
  } else if (value) {
    for (const char *c = value; *c >= '0' && *c <= '9'; c++) {
      if (secs > (INT64_MAX - (*c - '0')) / 10) {
        secs = 0;
        break;
      }
      secs = secs * 10 + (*c - '0');
    }
  }
  cn_free(value);
  r->stats.retry_after = secs > 21600 ? 21600 : secs;
}

/* record_head copies what getinfo reports about a (non-interim) response
 * head into the stats. */
static int record_head(struct cn_url_request *r,
                       const struct cn_http_response_headers *head) {
  r->stats.response_code = cn_http_response_headers_status(head);
  r->stats.http_major = head->version_major;
  r->stats.http_minor = head->version_minor;
  size_t ct_len = 0;
  const char *ct = cn_http_response_headers_content_type(head, &ct_len);
  cn_free(r->stats.content_type);
  r->stats.content_type = ct ? cn_strndup(ct, ct_len) : NULL;
  if (ct && !r->stats.content_type)
    return CN_ERR_OUT_OF_MEMORY;
  int64_t content_length = -1;
  if (cn_http_response_headers_content_length(head, &content_length) !=
      CN_HTTP_CONTENT_LENGTH_VALID)
    content_length = -1;
  r->stats.content_length = content_length;
  return CN_OK;
}

/* auth_response lets |c| read a final head; sets r->auth_restart. */
static int auth_response(struct cn_url_request *r,
                         struct cn_http_auth_controller *c,
                         const struct cn_http_response_headers *head,
                         bool have_user, bool have_bearer) {
  /* NTLM authenticates the connection: its state travels with it (the
   * proxy's handshake beside the origin's). */
  const struct cn_client_socket_handle *conn =
      cn_http_network_transaction_is_http2(r->trans)
          ? NULL
          : cn_http_network_transaction_connection(r->trans);
  struct cn_http_auth_ntlm_conn *nc =
      conn ? cn_http_auth_ntlm_conn_from(conn->attachment) : NULL;
  if (nc && c->proxy)
    nc = nc->proxy;
  struct cn_http_auth_response ar = {
      .head = head,
      .have_user = have_user,
      .have_bearer = have_bearer,
      .get_or_head = !r->send_body,
      .ntlm_conn = nc,
      .connection_closes = head->connection_close,
      .log = r->params->log,
  };
  return cn_http_auth_controller_on_response(c, &ar, &r->auth_restart);
}

static int on_head(void *ctx, const struct cn_http_response_headers *head) {
  struct cn_url_request *r = ctx;
  store_cookies(r, head);
  record_retry_after(r, head);
  if (!r->hop_connection_recorded) {
    r->hop_connection_recorded = true;
    record_connection(r);
  }
  if (!r->stats.starttransfer_us) {
    r->stats.starttransfer_us = cn_time_now_us();
    r->stats.pretransfer_us = r->stats.starttransfer_us;
  }
  size_t raw_len = 0;
  cn_http_response_headers_raw(head, &raw_len);
  r->stats.header_bytes += (int64_t)raw_len;
  int status = cn_http_response_headers_status(head);
  /* A 101 that switches to h2c is interim: the answer follows on HTTP/2. */
  bool interim = status >= 100 && status < 200 &&
                 (status != 101 || r->info.h2c_upgrade);
  bool final = !interim;
  if (final) {
    /* getinfo answers these from inside the header callback already */
    int rv = record_head(r, head);
    if (rv != CN_OK)
      return rv;
  }
  if (head->version_major == 1 && head->version_minor == 0)
    r->seen_http10 = true;
  if (!interim)
    note_last_modified(r, head, status);
  note_hsts(r, head);
  int av = note_altsvc(r, head);
  if (av != CN_OK)
    return av;
  size_t loc_len = 0;
  if (final && r->params->follow_location && status >= 300 && status < 400 &&
      cn_http_response_headers_location(head, &loc_len) && status != 304 &&
      status != 300)
    final = false; /* a redirect we will follow */
  r->auth_restart = false;
  if (head->cut_short)
    return r->delegate->on_head(r->delegate_ctx, head, false);
  int rv = CN_OK;
  r->expect_restart = false;
  if (status == 417 && r->info.expect_continue && !r->expect_disabled &&
      !upload_finished(r)) {
    /* libcurl: the server refuses the expectation; the same request goes
     * again without it. */
    r->expect_disabled = true;
    r->expect_restart = true;
    final = false;
  } else if (!interim) {
    /* A 401 may ask for the same request again with credentials, and so
     * may a plain proxy's 407 with proxy credentials. */
    if (r->params->auth)
      rv = auth_response(r, r->params->auth, head, r->hop_user != NULL,
                         r->params->bearer != NULL);
    if (rv == CN_OK && r->plain_proxy && r->params->proxy_auth &&
        !r->auth_restart)
      rv = auth_response(r, r->params->proxy_auth, head,
                         r->proxy->res.chain.http.user != NULL, false);
    if (rv != CN_OK)
      return rv;
    if (r->auth_restart)
      final = false;
  }
  if (final) {
    /* libcurl builds the decoders while it reads the Transfer-Encoding
     * line: a coding it refuses ends the transfer there, and the lines
     * from that one on never reach the program. */
    int dv = make_decoders(r, head);
    if (dv < 0) {
      deliver_head_until(r, head, "Transfer-Encoding");
      return dv;
    }
  }
  return r->delegate->on_head(r->delegate_ctx, head, final);
}

/* prepare_redirect applies libcurl's rules for the method of the next hop.
 * They look at the request type the options select (GET, HEAD, POST, PUT),
 * not at a CURLOPT_CUSTOMREQUEST method: 301/302 turn POST into GET unless
 * CURLOPT_POSTREDIR keeps it, 303 turns anything but GET and HEAD into GET
 * (POST kept with CURL_REDIR_POST_303), 307/308 keep method and body. A
 * custom method is sent again as it is (CURLFOLLOW_ALL), dropped where the
 * request turns into GET (CURLFOLLOW_OBEYCODE), or dropped after the first
 * request (CURLFOLLOW_FIRSTONLY). */
static int prepare_redirect(struct cn_url_request *r, int status) {
  const struct cn_url_request_params *p = r->params;
  if (p->follow_mode == CN_FOLLOW_FIRSTONLY && p->custom_method &&
      !r->ignore_custom) {
    r->ignore_custom = true;
    cn_net_log_text(p->log, "Drop custom request method for next request");
  }
  bool to_get = false;
  bool is_post = strcmp(r->request_type, "POST") == 0;
  switch (status) {
  case 301:
    to_get = is_post && !(p->post_redir & CN_REDIR_POST_301);
    break;
  case 302:
    to_get = is_post && !(p->post_redir & CN_REDIR_POST_302);
    break;
  case 303:
    to_get = strcmp(r->request_type, "GET") != 0 &&
             strcmp(r->request_type, "HEAD") != 0 &&
             !(is_post && (p->post_redir & CN_REDIR_POST_303));
    break;
  default:
    break;
  }
  if (to_get) {
    if (p->custom_method && !r->ignore_custom) {
      if (p->follow_mode == CN_FOLLOW_OBEYCODE) {
        r->ignore_custom = true;
        cn_net_log_text(p->log, "Switch to GET because of %d response",
                        status);
      } else {
        cn_net_log_text(p->log, "Stick to %s instead of GET",
                        p->custom_method);
      }
    }
    r->request_type = "GET";
    r->send_body = false;
  }
  const char *method = p->custom_method && !r->ignore_custom
                           ? p->custom_method
                           : r->request_type;
  if (strcmp(method, r->method) != 0) {
    char *copy = cn_strdup(method);
    if (!copy)
      return CN_ERR_OUT_OF_MEMORY;
    cn_free(r->method);
    r->method = copy;
  }
  return CN_OK;
}

/* set_auto_referer makes the current URL, without credentials and
 * fragment, the Referer of the next request (CURLOPT_AUTOREFERER). */
static int set_auto_referer(struct cn_url_request *r) {
  struct cn_url u;
  cn_url_init(&u);
  int uv = cn_url_copy(&u, &r->url);
  if (uv == CN_URL_OK) {
    cn_free(u.user);
    cn_free(u.password);
    cn_free(u.fragment);
    u.user = u.password = u.fragment = NULL;
    u.fragment_present = false;
    cn_free(r->referer);
    r->referer = NULL;
    uv = cn_url_to_string(&u, 0, &r->referer);
  }
  cn_url_cleanup(&u);
  return uv == CN_URL_OK ? CN_OK : CN_ERR_OUT_OF_MEMORY;
}

/* restart_for_auth sends the same request again after a 401 picked a
 * scheme. libcurl goes through its redirect code for this: the restart
 * counts in CURLINFO_REDIRECT_COUNT, obeys CURLOPT_MAXREDIRS and sets the
 * auto-referer, but is not a "follow" for the credential rules. */
static int restart_for_auth(struct cn_url_request *r) {
  const struct cn_url_request_params *p = r->params;
  r->auth_restart = false;
  r->expect_restart = false;
  char *here = NULL;
  if (cn_url_to_string(&r->url, 0, &here) != CN_URL_OK)
    return CN_ERR_OUT_OF_MEMORY;
  if (p->max_redirs >= 0 && r->stats.redirect_count >= p->max_redirs) {
    cn_free(r->stats.redirect_url);
    r->stats.redirect_url = here;
    cn_net_log_fail(p->log, "Maximum (%ld) redirects followed", p->max_redirs);
    return CN_ERR_TOO_MANY_REDIRECTS;
  }
  if (p->auto_referer && set_auto_referer(r) != CN_OK) {
    cn_free(here);
    return CN_ERR_OUT_OF_MEMORY;
  }
  r->stats.redirect_count++;
  cn_net_log_text(p->log, "Issue another request to this URL: '%s'", here);
  cn_free(here);
  return CN_OK;
}

/* set_redirect_url records CURLINFO_REDIRECT_URL, where the Location of
 * a redirect not followed would lead: resolved against the current URL,
 * or as it is when it cannot be parsed (libcurl's "fake" follow). */
static int set_redirect_url(struct cn_url_request *r) {
  cn_free(r->stats.redirect_url);
  r->stats.redirect_url = NULL;
  struct cn_url next;
  cn_url_init(&next);
  int uv = cn_url_resolve(&next, &r->url, r->location, REDIRECT_FLAGS);
  if (uv == CN_URL_OK)
    uv = cn_url_to_string(&next, 0, &r->stats.redirect_url);
  else if (uv != CN_URL_ERR_OUT_OF_MEMORY)
    uv = (r->stats.redirect_url = cn_strdup(r->location)) ? CN_URL_OK
                                                          : CN_URL_ERR_OUT_OF_MEMORY;
  cn_url_cleanup(&next);
  return uv == CN_URL_OK ? CN_OK : CN_ERR_OUT_OF_MEMORY;
}

static int follow_redirect(struct cn_url_request *r) {
  const struct cn_url_request_params *p = r->params;
  int status = (int)r->stats.response_code; /* the hop is already over */
  if (p->max_redirs >= 0 && r->stats.redirect_count >= p->max_redirs) {
    if (set_redirect_url(r) != CN_OK)
      return CN_ERR_OUT_OF_MEMORY;
    cn_net_log_fail(p->log, "Maximum (%ld) redirects followed", p->max_redirs);
    return CN_ERR_TOO_MANY_REDIRECTS;
  }
  struct cn_url next;
  cn_url_init(&next);
  /* a followed Location is percent-encoded (spaces, 8-bit bytes) */
  if (cn_url_resolve(&next, &r->url, r->location,
                     REDIRECT_FLAGS | CN_URL_URLENCODE) != CN_URL_OK) {
    cn_net_log_fail(p->log, "Could not resolve redirect location: %s",
                    r->location);
    cn_url_cleanup(&next);
    return CN_ERR_INVALID_REDIRECT;
  }
  bool same_host = next.host && r->url.host &&
                   strcasecmp(next.host, r->url.host) == 0 &&
                   cn_url_effective_port(&next) ==
                       cn_url_effective_port(&r->url) &&
                   strcmp(next.scheme, r->url.scheme) == 0;
  if (p->auto_referer && set_auto_referer(r) != CN_OK) {
    cn_url_cleanup(&next);
    return CN_ERR_OUT_OF_MEMORY;
  }
  /* libcurl 8.14 (Debian): the option credentials are dropped for good
   * when a redirect changes the port or the scheme (unless
   * UNRESTRICTED_AUTH); others are taken again from each hop's URL. */
  if (p->username && !p->unrestricted_auth &&
      (cn_url_effective_port(&next) != cn_url_effective_port(&r->url) ||
       strcmp(next.scheme, r->url.scheme) != 0))
    r->creds_cleared = true;
  cn_url_cleanup(&r->url);
  r->url = next;
  r->is_follow = true;
  if (!same_host && !p->unrestricted_auth)
    r->strip_credentials = true;
  int rv = prepare_redirect(r, status);
  if (rv != CN_OK)
    return rv;
  r->stats.redirect_count++;
  char *where = NULL;
  if (cn_url_to_string(&r->url, 0, &where) == CN_URL_OK) {
    cn_net_log_text(p->log, "Issue another request to this URL: '%s'", where);
    cn_free(where);
  }
  return check_scheme(r, true);
}

/* make_decoders builds the final response's decoding chains (libcurl's
 * rules: none for HEAD, 1xx, 204 and 304; content decoding only when the
 * program asked for encodings with CURLOPT_ACCEPT_ENCODING). */
static int make_decoders(struct cn_url_request *r,
                         const struct cn_http_response_headers *head) {
  const struct cn_url_request_params *p = r->params;
  int status = cn_http_response_headers_status(head);
  cn_content_decoder_chain_free(r->te_chain);
  cn_content_decoder_chain_free(r->ce_chain);
  r->te_chain = r->ce_chain = NULL;
  if (strcmp(r->method, "HEAD") == 0 || status < 200 || status == 204 ||
      status == 304)
    return CN_OK;
  struct cn_content_decoder_chain_params te = {
      .phase = CN_CONTENT_DECODER_TRANSFER,
      .decode = p->transfer_encoding,
      .skip_transfer = !p->transfer_decoding,
      .log = p->log,
  };
  int rv = cn_content_decoder_chain_new(&r->te_chain, &te);
  if (rv == CN_OK)
    rv = cn_content_decoder_chain_add_response_headers(r->te_chain, head);
  if (rv != CN_OK || !p->accept_encoding || !p->content_decoding)
    return rv;
  struct cn_content_decoder_chain_params ce = {
      .phase = CN_CONTENT_DECODER_CONTENT,
      .decode = true,
      .max_output = p->max_filesize,
      .log = p->log,
  };
  rv = cn_content_decoder_chain_new(&r->ce_chain, &ce);
  if (rv == CN_OK)
    rv = cn_content_decoder_chain_add_response_headers(r->ce_chain, head);
  return rv;
}

/* resumed_where_asked: the answer's Content-Range starts at the resume
 * point, or ("*\/total" on a success) says the whole file comes (libcurl
 * then takes everything). */
static bool resumed_where_asked(struct cn_url_request *r,
                                const struct cn_http_response_headers *head,
                                int status) {
  size_t it = 0;
  const struct cn_http_header_field *f =
      cn_http_response_headers_next(head, "Content-Range", &it);
  if (!f)
    return false;
  size_t i = 0;
  while (i < f->value_len && !(f->value[i] >= '0' && f->value[i] <= '9') &&
         f->value[i] != '*')
    i++;
  if (i == f->value_len)
    return false;
  if (f->value[i] == '*')
    return status < 300;
  int64_t start = 0;
  for (; i < f->value_len && f->value[i] >= '0' && f->value[i] <= '9'; i++) {
    if (start > (INT64_MAX - 9) / 10)
      return false;
    start = start * 10 + (f->value[i] - '0');
  }
  return start == r->params->resume_from;
}

/* detach keeps the hop's connection for the caller (CONNECT_ONLY, a
 * WebSocket after its 101): the request is over. */
static int detach(struct cn_url_request *r) {
  r->detached = cn_http_network_transaction_detach(r->trans, &r->unread);
  return r->detached ? CN_OK : CN_ERR_OUT_OF_MEMORY;
}

/* skip_body goes on to the next request without this response's body:
 * drained so the connection can be reused, or, as libcurl does when the
 * connection closes anyway, not read at all. */
static void skip_body(struct cn_url_request *r,
                      const struct cn_http_response_headers *head) {
  r->drained = 0;
  r->next_state = cn_http_response_headers_keep_alive(head, r->plain_proxy)
                      ? STATE_DRAIN_BODY
                      : STATE_DRAIN_BODY_COMPLETE;
}

static int do_hop_started(struct cn_url_request *r, int rv) {
  if (rv < 0) {
    r->stats.failed_after_send =
        r->trans && cn_http_network_transaction_request_sent(r->trans);
    r->stats.failed_sending =
        r->trans && cn_http_network_transaction_send_failed(r->trans);
    return rv;
  }
  const struct cn_url_request_params *p = r->params;
  const struct cn_http_response_headers *head =
      cn_http_network_transaction_response(r->trans);
  if (!head) {
    /* CONNECT_ONLY: connected, nothing sent. */
    record_connection(r);
    r->stats.pretransfer_us = cn_time_now_us();
    return detach(r);
  }
  int status = cn_http_response_headers_status(head);
  int64_t sent_body = 0;
  r->stats.request_bytes +=
      cn_http_network_transaction_bytes_sent(r->trans, &sent_body);
  r->stats.upload_bytes = sent_body;
  if (r->auth_restart || r->expect_restart) {
    cn_net_log_text(p->log, "Ignoring the response-body");
    skip_body(r, head);
    return CN_OK;
  }

  size_t location_len = 0;
  const char *location = cn_http_response_headers_location(head, &location_len);
  cn_free(r->location);
  r->location = NULL;
  if (status >= 300 && status < 400 && location && status != 304) {
    r->location = cn_strndup(location, location_len);
    if (!r->location)
      return CN_ERR_OUT_OF_MEMORY;
    if (!p->follow_location || status == 300) {
      if (set_redirect_url(r) != CN_OK)
        return CN_ERR_OUT_OF_MEMORY;
    } else {
      skip_body(r, head);
      return CN_OK;
    }
  }
  if (r->is_ws) {
    if (status != 101) {
      cn_net_log_fail(p->log, "Refused WebSockets upgrade: %d", status);
      return CN_ERR_WS_UPGRADE_REFUSED;
    }
    const char *why = NULL;
    if (!cn_ws_handshake_check(head, r->ws_key, &why)) {
      cn_net_log_fail(p->log, "%s", why);
      return CN_ERR_WS_UPGRADE_REFUSED;
    }
    cn_net_log_text(p->log, "[WS] Received 101, switch to WebSocket");
    return detach(r);
  }
  bool resume_get = p->resume_from > 0 && strcmp(r->method, "GET") == 0;
  if (resume_get && status == 416) {
    /* libcurl: the file is presumably complete already; not an error,
     * and the answer's body is not the program's data. */
    return CN_OK;
  }
  if (p->fail_on_error && status >= 400) {
    cn_net_log_fail(p->log, "The requested URL returned error: %d", status);
    return CN_ERR_HTTP_RESPONSE_CODE_FAILURE;
  }
  if (resume_get && !resumed_where_asked(r, head, status)) {
    int64_t len = -1;
    if (cn_http_response_headers_content_length(head, &len) ==
            CN_HTTP_CONTENT_LENGTH_VALID &&
        len == p->resume_from) {
      cn_net_log_text(p->log, "The entire document is already downloaded");
      return CN_OK;
    }
    cn_net_log_fail(p->log, "HTTP server does not seem to support byte "
                            "ranges. Cannot resume.");
    return CN_ERR_REQUEST_RANGE_NOT_SATISFIABLE;
  }
  if (p->time_condition && !p->range && !meets_time_condition(r)) {
    /* libcurl answers for the server: a 304 without the body, and the
     * connection (body unread) is closed. */
    r->stats.response_code = 304;
    cn_net_log_text(p->log, "Simulate an HTTP 304 response");
    return CN_OK;
  }
  /* A Content-Length too large to hold is over any limit (libcurl). */
  int64_t ignored;
  if (p->max_filesize > 0 &&
      (r->stats.content_length > p->max_filesize ||
       cn_http_response_headers_content_length(head, &ignored) ==
           CN_HTTP_CONTENT_LENGTH_OVERFLOW)) {
    cn_net_log_fail(p->log, "Maximum file size exceeded");
    return CN_ERR_RESPONSE_BODY_TOO_BIG;
  }
  r->next_state = STATE_READ_BODY;
  return CN_OK;
}

static size_t read_chunk(const struct cn_url_request *r) {
  return r->params->read_chunk ? r->params->read_chunk : READ_CHUNK;
}

/* ensure_buf sizes the body buffer for this hop's response: one read
 * chunk, or less when the Content-Length says the body is smaller (a small
 * response then costs no large allocation; a later hop with a larger body
 * gets a larger buffer). */
static int ensure_buf(struct cn_url_request *r) {
  size_t want = read_chunk(r);
  int64_t cl = r->stats.content_length;
  if (cl >= 0 && (uint64_t)cl < want)
    want = cl < SMALL_BUF ? SMALL_BUF : (size_t)cl;
  if (r->buf && r->buf_len >= want)
    return CN_OK;
  cn_free(r->buf);
  r->buf_len = 0;
  r->buf = cn_malloc(want);
  if (!r->buf)
    return CN_ERR_OUT_OF_MEMORY;
  r->buf_len = want;
  return CN_OK;
}

static int do_drain_body(struct cn_url_request *r) {
  r->next_state = STATE_DRAIN_BODY_COMPLETE;
  int rv = ensure_buf(r);
  if (rv != CN_OK)
    return rv;
  return cn_http_network_transaction_read(r->trans, r->buf, r->buf_len,
                                          on_io_complete, r);
}

static int do_drain_body_complete(struct cn_url_request *r, int rv) {
  if (rv > 0) {
    r->drained += rv;
    if (r->drained <= MAX_DRAIN) {
      r->next_state = STATE_DRAIN_BODY;
      return CN_OK;
    }
  }
  /* Body done, failed, or too long to drain: the hop is over either way
   * (the transaction keeps the connection only if the body was read). */
  int64_t now = cn_time_now_us();
  r->stats.redirect_us = now;
  end_hop(r);
  rv = r->auth_restart || r->expect_restart ? restart_for_auth(r)
                                            : follow_redirect(r);
  if (rv != CN_OK)
    return rv;
  r->next_state = STATE_START_HOP;
  return CN_OK;
}

static int do_read_body(struct cn_url_request *r) {
  if (r->read_paused) {
    /* No read while paused: the unread bytes stay in the socket (HTTP/1.1)
     * or in the stream's closed window (HTTP/2). */
    r->next_state = STATE_READ_BODY;
    r->read_parked = true;
    return CN_ERR_IO_PENDING;
  }
  r->next_state = STATE_READ_BODY_COMPLETE;
  int rv = ensure_buf(r);
  if (rv != CN_OK)
    return rv;
  return cn_http_network_transaction_read(r->trans, r->buf, r->buf_len,
                                          on_io_complete, r);
}

/* Decoded content goes to the program. */
static int deliver(void *ctx, const uint8_t *data, size_t len) {
  struct cn_url_request *r = ctx;
  return r->delegate->on_body(r->delegate_ctx, data, len);
}

/* after_transfer_decoding counts CURLINFO_SIZE_DOWNLOAD bytes (libcurl counts
 * them before content decoding), applies CURLOPT_MAXFILESIZE there, and
 * passes them on to content decoding. */
static int after_transfer_decoding(void *ctx, const uint8_t *data,
                                   size_t len) {
  struct cn_url_request *r = ctx;
  int64_t max = r->params->max_filesize;
  int64_t before = r->stats.body_bytes;
  r->stats.body_bytes += (int64_t)len;
  if (max > 0 && r->stats.body_bytes > max) {
    /* Deliver what is allowed, then fail, as libcurl does. */
    size_t allowed = before < max ? (size_t)(max - before) : 0;
    if (allowed) {
      int dv = r->ce_chain ? cn_content_decoder_chain_write(
                                 r->ce_chain, data, allowed, deliver, r)
                           : deliver(r, data, allowed);
      if (dv < 0)
        return dv;
    }
    cn_net_log_fail(r->params->log, "Exceeded the maximum allowed file size "
                    "(%lld)", (long long)max);
    return CN_ERR_RESPONSE_BODY_TOO_BIG;
  }
  if (r->ce_chain)
    return cn_content_decoder_chain_write(r->ce_chain, data, len, deliver, r);
  return deliver(r, data, len);
}

static int finish_decoding(struct cn_url_request *r) {
  int rv = CN_OK;
  if (r->te_chain)
    rv = cn_content_decoder_chain_finish(r->te_chain);
  if (rv == CN_OK && r->ce_chain)
    rv = cn_content_decoder_chain_finish(r->ce_chain);
  return rv;
}

static int do_read_body_complete(struct cn_url_request *r, int rv) {
  if (rv < 0)
    return rv;
  if (rv == 0) {
    /* The body is complete; trailers (if any) follow it. */
    rv = finish_decoding(r);
    const struct cn_http_response_headers *tr =
        cn_http_network_transaction_trailers(r->trans);
    if (rv == CN_OK && tr && r->delegate->on_trailers)
      rv = r->delegate->on_trailers(r->delegate_ctx, tr);
    return rv;
  }
  cn_net_log_data(r->params->log, CN_LOG_DATA_IN, r->buf, (size_t)rv);
  int dv = r->te_chain ? cn_content_decoder_chain_write(
                             r->te_chain, r->buf, (size_t)rv,
                             after_transfer_decoding, r)
                       : after_transfer_decoding(r, r->buf, (size_t)rv);
  if (dv < 0)
    return dv;
  r->next_state = STATE_READ_BODY;
  return CN_OK;
}

static int do_loop(struct cn_url_request *r, int rv) {
  do {
    enum state state = r->next_state;
    r->next_state = STATE_NONE;
    switch (state) {
    case STATE_START_HOP:
      rv = do_start_hop(r);
      break;
    case STATE_HOP_STARTED:
      rv = do_hop_started(r, rv);
      break;
    case STATE_DRAIN_BODY:
      rv = do_drain_body(r);
      break;
    case STATE_DRAIN_BODY_COMPLETE:
      rv = do_drain_body_complete(r, rv);
      break;
    case STATE_READ_BODY:
      rv = do_read_body(r);
      break;
    case STATE_READ_BODY_COMPLETE:
      rv = do_read_body_complete(r, rv);
      break;
    case STATE_NONE:
    default:
      rv = CN_ERR_UNEXPECTED;
      break;
    }
  } while (rv != CN_ERR_IO_PENDING && r->next_state != STATE_NONE);
  return rv;
}

static void on_io_complete(void *ctx, int rv) {
  struct cn_url_request *r = ctx;
  rv = do_loop(r, rv);
  if (rv != CN_ERR_IO_PENDING)
    finish(r, rv);
}

static void run_resume(void *ctx) {
  struct cn_url_request *r = ctx;
  if (!r->read_parked || r->read_paused || r->done)
    return;
  r->read_parked = false;
  on_io_complete(r, CN_OK);
}

void cn_url_request_set_read_paused(struct cn_url_request *r, bool paused) {
  r->read_paused = paused;
  if (paused || !r->read_parked)
    return;
  cn_task_post(r->session->loop, &r->resume_task);
}

/* parse_start_url parses CURLOPT_URL, giving a scheme-less URL
 * CURLOPT_DEFAULT_PROTOCOL's scheme, and applies CURLOPT_PORT. */
static int parse_start_url(struct cn_url_request *r, unsigned flags) {
  const struct cn_url_request_params *p = r->params;
  if (!p->url)
    return CN_URL_ERR_MALFORMED_INPUT;
  int uv;
  if (p->default_scheme && !cn_url_is_absolute(p->url, 0)) {
    size_t len = strlen(p->default_scheme) + 3 + strlen(p->url) + 1;
    char *full = cn_malloc(len);
    if (!full)
      return CN_URL_ERR_OUT_OF_MEMORY;
    snprintf(full, len, "%s://%s", p->default_scheme, p->url);
    uv = cn_url_parse(&r->url, full, flags & ~CN_URL_GUESS_SCHEME);
    cn_free(full);
  } else {
    uv = cn_url_parse(&r->url, p->url, flags);
  }
  if (uv == CN_URL_OK && p->port_override > 0) {
    r->url.port = (unsigned short)p->port_override;
    r->url.has_port = true;
  }
  return uv;
}

/* take_url_credentials keeps "user:password@" of the URL (decoded) for
 * Basic auth; libcurl uses them when CURLOPT_USERPWD is not set. */
static int take_url_credentials(struct cn_url_request *r) {
  if (r->url.user &&
      cn_url_unescape(r->url.user, strlen(r->url.user),
                      CN_URL_UNESCAPE_ALLOW_ALL, &r->url_user,
                      NULL) != CN_URL_OK)
    return CN_ERR_OUT_OF_MEMORY;
  if (r->url.password &&
      cn_url_unescape(r->url.password, strlen(r->url.password),
                      CN_URL_UNESCAPE_ALLOW_ALL, &r->url_password,
                      NULL) != CN_URL_OK)
    return CN_ERR_OUT_OF_MEMORY;
  return CN_OK;
}

void cn_url_request_start(struct cn_url_request *r) {
  const struct cn_url_request_params *p = r->params;
  r->request_type = request_type(p);
  r->stats.start_us = cn_time_now_us();
  unsigned flags = CN_URL_GUESS_SCHEME | CN_URL_NON_SUPPORT_SCHEME |
                   (p->path_as_is ? CN_URL_PATH_AS_IS : 0) |
                   (p->url_from_curlu ? CN_URL_ALLOW_SPACE | CN_URL_URLENCODE
                                     : 0) |
                   (p->disallow_url_user ? CN_URL_DISALLOW_USER : 0);
  int rv;
  int uv = parse_start_url(r, flags);
  if (uv == CN_URL_ERR_OUT_OF_MEMORY) {
    rv = CN_ERR_OUT_OF_MEMORY;
  } else if (uv != CN_URL_OK) {
    if (!p->url || !*p->url)
      cn_net_log_fail(p->log, "No URL set");
    else
      cn_net_log_fail(p->log, "URL rejected: %s",
                      uv == CN_URL_ERR_BAD_PORT_NUMBER ? "Port number was not "
                      "a decimal number between 0 and 65535"
                      : uv == CN_URL_ERR_BAD_HOSTNAME ? "Bad hostname"
                      : uv == CN_URL_ERR_NO_HOST ? "No host part in the URL"
                      : "Malformed input to a URL function");
    rv = CN_ERR_INVALID_URL;
  } else if ((rv = check_scheme(r, false)) != CN_OK) {
  } else if ((rv = take_url_credentials(r)) != CN_OK) {
  } else if (!(r->method = cn_strdup(p->custom_method ? p->custom_method
                                                     : r->request_type))) {
    rv = CN_ERR_OUT_OF_MEMORY;
  } else {
    r->send_body = p->upload != NULL;
    r->next_state = STATE_START_HOP;
    rv = do_loop(r, CN_OK);
  }
  if (rv != CN_ERR_IO_PENDING)
    finish(r, rv);
}

struct cn_stream_socket *cn_url_request_take_connection(
    struct cn_url_request *r, struct cn_buf *out_unread) {
  struct cn_stream_socket *s = r->detached;
  if (!s)
    return NULL;
  if (r->unread.len &&
      cn_buf_append(out_unread, r->unread.data, r->unread.len) != CN_OK)
    return NULL;
  r->detached = NULL;
  return s;
}

bool cn_url_request_is_websocket(const struct cn_url_request *r) {
  return r->is_ws;
}
