/* url_request.h: one libcurl transfer as seen below the api layer
 * (Chromium's URLRequest + URLRequestHttpJob): builds each request from
 * the transfer's parameters, runs an HTTP transaction per hop, follows
 * redirects with libcurl's method rules, and hands response heads and body
 * bytes to its delegate (lib/api/transfer.c).
 *
 * Ownership: the api layer owns the url_request. |params| and everything
 * it points to is borrowed and must stay valid until the request is freed
 * (it lives in the transfer's option snapshot). */
#ifndef CN_URL_REQUEST_URL_REQUEST_H
#define CN_URL_REQUEST_URL_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socket/client_socket_pool.h"
#include "util/net_error.h"
#include "util/stream_socket.h"

struct cn_browser_profile;
struct cn_buf;
struct cn_cookie_store;
struct cn_h2_config;
struct cn_h2_session;
struct cn_hsts_store;
struct cn_altsvc_store;
struct cn_http_auth_controller;
struct cn_http_proxy_tunnel_config;
struct cn_proxy_settings;
struct cn_http_network_session;
struct cn_http_response_headers;
struct cn_upload_data_stream;
struct cn_url_request;

/* CURLOPT_FOLLOWLOCATION modes beyond on (CURLFOLLOW_* have these
 * values). */
enum { CN_FOLLOW_ALL = 1, CN_FOLLOW_OBEYCODE = 2, CN_FOLLOW_FIRSTONLY = 3 };

/* Redirect-on-POST bits (CURL_REDIR_POST_301/302/303 have these values). */
enum { CN_REDIR_POST_301 = 1, CN_REDIR_POST_302 = 2, CN_REDIR_POST_303 = 4 };

/* Time conditions (CURL_TIMECOND_* have these values). */
enum {
  CN_TIMECOND_NONE = 0,
  CN_TIMECOND_IFMODSINCE = 1,
  CN_TIMECOND_IFUNMODSINCE = 2,
  CN_TIMECOND_LASTMOD = 3,
};

struct cn_url_request_params {
  const char *url;
  /* |url| comes from a CURLU handle (CURLOPT_CURLU), which may hold what
   * its flags allowed (spaces with CURLU_ALLOW_SPACE): they are sent
   * percent-encoded, as libcurl does. */
  bool url_from_curlu;
  const char *custom_method;  /* CURLOPT_CUSTOMREQUEST; NULL: derived */
  bool no_body;               /* CURLOPT_NOBODY: HEAD */
  bool is_post;               /* body from postfields or upload stream */
  bool is_put;                /* CURLOPT_UPLOAD */
  struct cn_upload_data_stream *upload; /* borrowed; NULL: no body */
  const char *user_agent;
  const char *referer;
  const char *cookie;          /* CURLOPT_COOKIE, sent as given */
  /* The cookie jar this transfer sends from and stores into; NULL: the
   * cookie engine is off (only CURLOPT_COOKIE is sent). */
  struct cn_cookie_store *cookie_store;
  /* CURLOPT_HSTS: the cache consulted before each hop (http:// to a known
   * host goes to https://) and fed by Strict-Transport-Security answers
   * over HTTPS; borrowed, changed by the request. NULL: off. */
  struct cn_hsts_store *hsts;
  /* CURLOPT_ALTSVC: alternatives of HTTPS origins, used (as a connect-to
   * target; TLS still checks the origin's name) and learnt from Alt-Svc
   * answers; borrowed, changed by the request. |altsvc_wanted|: the
   * CN_ALTSVC_* protocols this transfer may use, in libcurl's order of
   * preference (h2 before h1). NULL: off. */
  struct cn_altsvc_store *altsvc;
  int altsvc_wanted;
  const char *accept_encoding; /* NULL: no header, no decoding */
  bool content_decoding;  /* CURLOPT_HTTP_CONTENT_DECODING */
  bool transfer_encoding; /* CURLOPT_TRANSFER_ENCODING: ask for TE: gzip */
  bool transfer_decoding; /* CURLOPT_HTTP_TRANSFER_DECODING */
  const char *username;        /* CURLOPT_USERNAME (USERPWD) or NULL */
  const char *password;        /* CURLOPT_PASSWORD (USERPWD) or NULL */
  /* Host authentication: the easy handle's controller (borrowed, changed
   * by the request: it keeps state between transfers), the Bearer token,
   * the AWS SigV4 parameters, .netrc (CURL_NETRC_* values) and, for the
   * SigV4 payload hash, POSTFIELDS and INFILESIZE. */
  struct cn_http_auth_controller *auth;
  const char *bearer;
  const char *aws_sigv4;
  int netrc;
  const char *netrc_file;
  const void *post_fields;
  size_t post_fields_len;
  int64_t infile_size;
  /* CURLOPT_HTTPHEADER lines, in order (borrowed). */
  const char *const *user_headers;
  size_t num_user_headers;
  bool http10;           /* CURL_HTTP_VERSION_1_0 */
  int http2;             /* enum cn_http2_mode (http_request_info.h) */
  bool pipewait;         /* CURLOPT_PIPEWAIT */
  int h2_weight;         /* CURLOPT_STREAM_WEIGHT; 0: default */
  /* CURLOPT_STREAM_DEPENDS(_E), see http_request_info.h. */
  int32_t (*h2_depends_on)(void *ctx, const struct cn_h2_session *session);
  void *h2_depends_ctx;
  bool h2_depends_exclusive;
  bool follow_location;
  int follow_mode;       /* CN_FOLLOW_*; 0 with follow_location off */
  long max_redirs;       /* -1: unlimited */
  int post_redir;        /* CN_REDIR_POST_* */
  bool auto_referer;
  bool unrestricted_auth;
  bool allow_http;       /* protocols allowed for the first URL */
  bool allow_https;
  bool redir_allow_http; /* protocols allowed for redirect targets */
  bool redir_allow_https;
  bool allow_ws;         /* ws:// and wss:// (CURLPROTO_WS/WSS) */
  bool allow_wss;
  bool redir_allow_ws;
  bool redir_allow_wss;
  /* CURLOPT_CONNECT_ONLY 1: connect (TLS included), send nothing, and
   * keep the connection for cn_url_request_take_connection. (2 is for
   * WebSockets: the upgrade happens, then the same.) */
  bool connect_only;
  bool fail_on_error;    /* CURLOPT_FAILONERROR */
  bool forbid_reuse;
  bool path_as_is;
  int64_t max_filesize;  /* 0: none */
  int port_override;          /* CURLOPT_PORT; 0: the URL's */
  const char *request_target; /* CURLOPT_REQUEST_TARGET; NULL: from URL */
  const char *default_scheme; /* CURLOPT_DEFAULT_PROTOCOL; NULL: guess */
  bool disallow_url_user;     /* CURLOPT_DISALLOW_USERNAME_IN_URL */
  const char *range;          /* Range value ("bytes=0-99"); NULL: none */
  /* Content-Range value of a resumed upload ("bytes 50-99/100"); sent
   * where Range would go. NULL: none. */
  const char *content_range;
  int64_t resume_from;        /* > 0: the server must answer 206 */
  /* CURLOPT_CONNECT_TO lines "HOST:PORT:CONNECT-HOST:CONNECT-PORT". */
  const char *const *connect_to;
  size_t num_connect_to;
  /* CURLOPT_HTTP200ALIASES (borrowed). */
  const char *const *http200_aliases;
  size_t num_http200_aliases;
  bool ignore_content_length;
  bool allow_http09; /* CURLOPT_HTTP09_ALLOWED */
  long expect_100_timeout_ms;  /* CURLOPT_EXPECT_100_TIMEOUT_MS */
  /* CURLOPT_TIMECONDITION (CN_TIMECOND_*) against CURLOPT_TIMEVALUE, and
   * CURLOPT_FILETIME. */
  int time_condition;
  int64_t time_value;
  bool get_filetime;
  bool certinfo; /* CURLOPT_CERTINFO: keep the server's chain */
  bool keep_sending_on_error;  /* CURLOPT_KEEP_SENDING_ON_ERROR */
  /* Request trailers of a chunked body (see http_request_info.h). */
  int (*upload_trailers)(void *ctx, struct cn_buf *out);
  void *upload_trailers_ctx;
  /* Impersonation: the browser profile whose default headers (in its order)
   * this transfer sends, NULL for libcurl's; and its HTTP/2 shape. */
  const struct cn_browser_profile *profile;
  const struct cn_h2_config *h2_config;
  /* CURLOPT_HTTPHEADER_ORDER: header names sent first, in this order
   * (cn_http_request_headers_reorder); NULL: none. */
  const char *header_order;
  size_t read_chunk; /* body bytes read per step (CURLOPT_BUFFERSIZE) */
  /* Template for each hop's connection; host/port/use_tls are filled in
   * per hop. Strings borrowed. */
  struct cn_socket_params socket;
  const struct cn_net_log *log;
  /* The body's own Content-Type value (MIME/form posts: "multipart/form-
   * data; boundary=..."), sent instead of the program's Content-Type line
   * (libcurl builds it from that line); NULL: no Content-Type at all.
   * Used when |body_content_type| is set; else the urlencoded default. */
  const char *content_type;
  bool body_content_type;
  /* Proxies. |proxy|: the settings each hop resolves its chain from (NULL:
   * never a proxy). |proxy_auth|: proxy authentication (the easy handle's
   * controller, changed). |proxy_lines|: the program's lines that also go
   * to a plain HTTP proxy (CURLOPT_PROXYHEADER with CURLHEADER_SEPARATE).
   * |tunnel|: the CONNECT configuration; each hop copies it and fills in
   * the hop's proxy credentials. All borrowed. */
  const struct cn_proxy_settings *proxy;
  struct cn_http_auth_controller *proxy_auth;
  const char *const *proxy_lines;
  size_t num_proxy_lines;
  const struct cn_http_proxy_tunnel_config *tunnel;
  /* Called for each request once its connection is there, before it is
   * sent (CURLOPT_PREREQFUNCTION); see http_request_info.h. */
  int (*before_send)(void *ctx, const struct cn_ip_endpoint *peer,
                     const struct cn_ip_endpoint *local);
  void *before_send_ctx;
};

struct cn_url_request_delegate {
  /* Every response head in order (interim, redirect and final). |is_final|
   * is true for the head whose body will follow through on_body. A negative
   * return aborts the transfer with that error. */
  int (*on_head)(void *ctx, const struct cn_http_response_headers *head,
                 bool is_final);
  /* Body bytes of the final response. Negative return aborts. */
  int (*on_body)(void *ctx, const uint8_t *data, size_t len);
  /* The final response's trailer fields, after its body (chunked HTTP/1.1
   * or HTTP/2); raw lines as libcurl hands them to the header callback.
   * May be NULL (no trailers wanted). Negative return aborts. */
  int (*on_trailers)(void *ctx, const struct cn_http_response_headers *t);
  /* Called once, from the event loop, never from inside start(). */
  void (*on_complete)(void *ctx, int rv);
};

/* Measurements for curl_easy_getinfo; times are cn_time_now_us() values. */
struct cn_url_request_stats {
  int64_t start_us;
  int64_t namelookup_us, connect_us, appconnect_us, pretransfer_us;
  int64_t starttransfer_us, redirect_us, end_us;
  long redirect_count;
  long num_connects;
  /* the last hop failed after its request was sent (libcurl: a receive
   * error, even on a connection just made) */
  bool failed_after_send;
  bool failed_sending; /* ... or while its request went out */
  long response_code;
  int http_minor; /* 0 or 1 for HTTP/1.x responses */
  int http_major;
  int64_t header_bytes;  /* all response heads incl. redirects */
  int64_t request_bytes; /* request heads sent */
  int64_t body_bytes;    /* final body after transfer decoding, before
                            content decoding (CURLINFO_SIZE_DOWNLOAD) */
  int64_t upload_bytes;   /* last hop's body on the wire (chunk framing
                             included: CURLINFO_SIZE_UPLOAD) */
  int64_t content_length; /* final response's, -1 unknown */
  char *effective_url;    /* owned by the request */
  char *redirect_url;     /* Location not followed, owned */
  char *method;           /* method of the last request, owned */
  char *content_type;     /* last response's Content-Type, owned */
  char *referer;          /* Referer sent with the last request, owned */
  int64_t retry_after;    /* seconds from the last Retry-After, 0 none */
  struct cn_ip_endpoint peer;
  struct cn_ip_endpoint local;
  struct cn_tls_info tls;
  int64_t conn_id; /* -1 none */
  bool used_proxy; /* the last hop went through a proxy */
  int64_t filetime;    /* Last-Modified with get_filetime; -1 unknown */
  bool condition_unmet; /* the time condition kept the body away */
  /* CURLINFO_CERTINFO of the TLS connection made (tls/cert_info.h's
   * encoding), owned; NULL: none. */
  uint8_t *certinfo;
  size_t certinfo_len;
};

struct cn_url_request *cn_url_request_new(
    struct cn_http_network_session *session,
    const struct cn_url_request_params *params,
    const struct cn_url_request_delegate *delegate, void *delegate_ctx);
/* Frees; a running transfer is abandoned without calling the delegate. */
void cn_url_request_free(struct cn_url_request *r);
/* cn_url_request_start begins; the outcome arrives through on_complete.
 * Errors in the parameters themselves (bad URL, scheme not allowed) also
 * arrive that way so the caller has one path. */
void cn_url_request_start(struct cn_url_request *r);
/* cn_url_request_set_read_paused stops (|paused|) or resumes reading the
 * final response body, for curl_easy_pause(CURLPAUSE_RECV) and held output.
 * A resume continues a parked read from a posted task, never from inside
 * this call. */
void cn_url_request_set_read_paused(struct cn_url_request *r, bool paused);

/* cn_url_request_h2_stream_id: the id of the request's current HTTP/2
 * stream on |session|, 0 if it has none there. */
int32_t cn_url_request_h2_stream_id(const struct cn_url_request *r,
                                    const struct cn_h2_session *session);
const struct cn_url_request_stats *cn_url_request_stats(
    const struct cn_url_request *r);
/* cn_url_request_upload_now: the current hop's request body sent so far,
 * as it goes on the wire (libcurl's upload progress counter: it starts
 * again from 0 with each request, auth and redirect hops included). */
int64_t cn_url_request_upload_now(const struct cn_url_request *r);

/* cn_url_request_take_connection: after a successful CONNECT_ONLY request
 * or WebSocket upgrade, the connection, out of the pool (the caller owns
 * the socket; it sits on the session's loop, nothing pending), and the
 * bytes read past the 101 head (appended to |out_unread|). NULL when there
 * is none (or it was taken). */
struct cn_stream_socket *cn_url_request_take_connection(
    struct cn_url_request *r, struct cn_buf *out_unread);
/* True when the request is a WebSocket upgrade (ws:// or wss://). */
bool cn_url_request_is_websocket(const struct cn_url_request *r);

#endif
