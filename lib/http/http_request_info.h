/* http_request_info.h: everything the HTTP layer needs to send one request
 * (Chromium's HttpRequestInfo). Built by lib/url_request for each hop of a
 * transfer; borrowed by the transaction until it finishes. */
#ifndef CN_HTTP_HTTP_REQUEST_INFO_H
#define CN_HTTP_HTTP_REQUEST_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include "socket/client_socket_pool.h"

struct cn_buf;
struct cn_http_request_headers;
struct cn_upload_data_stream;
struct cn_net_log;
struct cn_h2_config;
struct cn_h2_session;

/* How HTTP/2 may be used for a request. Over TLS, ALPN decides in every
 * mode (the socket's TLS configuration lists what is offered). */
enum cn_http2_mode {
  CN_HTTP2_NEGOTIATE = 0, /* h2 only if ALPN selects it; cleartext: HTTP/1 */
  /* CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE: cleartext connections start
   * HTTP/2 at once (h2c without Upgrade). */
  CN_HTTP2_PRIOR_KNOWLEDGE,
  /* CURL_HTTP_VERSION_2_0 on http://: HTTP/1.1 with "Upgrade: h2c" on a
   * new connection; an h2c session made that way is reused. */
  CN_HTTP2_UPGRADE,
};

struct cn_http_request_info {
  const char *method;         /* "GET", "POST", custom */
  const char *request_target; /* origin-form "/p?q" (absolute-form via proxy) */
  /* The complete header list in send order, Host included (HTTP/2 turns
   * Host into :authority). Borrowed. */
  const struct cn_http_request_headers *headers;
  struct cn_upload_data_stream *upload; /* borrowed; NULL: no body */
  bool upload_chunked;  /* send the body with chunked coding (size unknown) */
  /* The head carries "Expect: 100-continue" (HTTP/1.1): the body waits for
   * a 100 answer or |expect_100_timeout_ms|; a final answer of 300 or more
   * before it stops the upload unless |keep_sending_on_error|. */
  bool expect_continue;
  long expect_100_timeout_ms;
  bool keep_sending_on_error; /* CURLOPT_KEEP_SENDING_ON_ERROR */
  /* CURLOPT_TRAILERFUNCTION: appends "Name: value\r\n" lines after the
   * last chunk of a chunked body; CN_OK or an error (the callback refused:
   * CN_ERR_CALLBACK_ABORTED). NULL: no trailers. */
  int (*upload_trailers)(void *ctx, struct cn_buf *out);
  void *upload_trailers_ctx;
  bool expect_no_body;  /* HEAD: the response has no body */
  bool forbid_reuse;    /* close the connection after this exchange */
  int http_minor;       /* 0 for HTTP/1.0 requests, 1 otherwise */
  bool ignore_content_length; /* CURLOPT_IGNORE_CONTENT_LENGTH */
  bool allow_http09;          /* CURLOPT_HTTP09_ALLOWED */
  /* CURLOPT_TRANSFER_ENCODING: codings other than chunked are decoded, so
   * they frame the body until close. */
  bool decode_transfer_codings;
  bool raw_chunked; /* CURLOPT_HTTP_TRANSFER_DECODING off */
  /* Status-line prefixes taken as "HTTP/1.0 200" (CURLOPT_HTTP200ALIASES);
   * borrowed. */
  const char *const *http200_aliases;
  size_t num_http200_aliases;
  struct cn_socket_params socket; /* where to connect; strings borrowed */
  const struct cn_net_log *log;
  /* Called once the request has its connection, before anything is sent
   * on it (again after a retry on another one): |handle| is the HTTP/1
   * connection, NULL for an HTTP/2 stream. It may change what |headers|
   * and |upload| point to (NTLM authenticates the connection, so its
   * header depends on it). A negative return fails the request. NULL:
   * none. */
  int (*on_connection)(void *ctx, struct cn_client_socket_handle *handle);
  void *on_connection_ctx;
  /* CURLOPT_CONNECT_ONLY: the transaction ends once it has a connection
   * (nothing is sent); cn_http_network_transaction_detach takes it. */
  bool connect_only;

  /* HTTP/2. */
  enum cn_http2_mode http2;
  /* The head asks to upgrade to h2c: a 101 answer switches the connection
   * to HTTP/2 and the response comes on stream 1. */
  bool h2c_upgrade;
  /* Wait for a connection being made to the same origin that may turn out
   * to multiplex, instead of opening another (CURLOPT_PIPEWAIT). */
  bool pipewait;
  int h2_weight; /* CURLOPT_STREAM_WEIGHT 1..256; 0: the config's */
  /* CURLOPT_STREAM_DEPENDS(_E): asked when the HEADERS go out, the id of
   * the stream on |session| this one depends on (0: none there, e.g. the
   * other transfer is elsewhere or done). NULL: no dependency. */
  int32_t (*h2_depends_on)(void *ctx, const struct cn_h2_session *session);
  void *h2_depends_ctx;
  bool h2_depends_exclusive;
  /* SETTINGS, windows, priorities, pseudo-header order of a new HTTP/2
   * connection (an impersonation profile's); NULL: libcurl's. Borrowed. */
  const struct cn_h2_config *h2_config;
  /* The HTTP/2 field list when it is not derived from |headers| (a browser
   * profile orders its HTTP/2 fields differently); no pseudo-headers, no
   * Host. Borrowed; NULL: convert |headers|. */
  const struct cn_http_request_headers *h2_headers;
  /* Called once the connection is there, right before the request is
   * sent (libcurl's CURLOPT_PREREQFUNCTION), with the connection's peer
   * and local addresses (either may be NULL or unset); a negative return
   * fails the request with that error. NULL: none. */
  int (*before_send)(void *ctx, const struct cn_ip_endpoint *peer,
                     const struct cn_ip_endpoint *local);
  void *before_send_ctx;
};

#endif
