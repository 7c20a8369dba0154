/* request_headers_builder.h: the header list of one HTTP request, in
 * libcurl's order, with the program's CURLOPT_HTTPHEADER lines applied the
 * way libcurl applies them:
 *   Host, Authorization, Range, User-Agent, Accept, Accept-Encoding, Referer,
 *   Cookie, then the program's headers in its order, then Content-Length /
 *   Content-Type / Transfer-Encoding for a body.
 * A program header replaces the built-in one of the same name (the built-in
 * one is dropped and the program's is sent in its own position, except Host,
 * which keeps its place); "Name:" removes a header; "Name;" sends it empty.
 * (Impersonation will instead keep the browser's order: same list, another
 * placement rule.) */
#ifndef CN_URL_REQUEST_REQUEST_HEADERS_BUILDER_H
#define CN_URL_REQUEST_REQUEST_HEADERS_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cn_http_auth_header;
struct cn_http_request_headers;

struct cn_request_headers_input {
  const char *authority;     /* Host value */
  /* A plain HTTP proxy's request: Proxy-Authorization value (after Host)
   * and "Proxy-Connection: Keep-Alive" (after Referer) unless the program
   * names Proxy-Connection. */
  const char *proxy_authorization;
  bool proxy_connection;
  const char *authorization; /* full value ("Basic ...") or NULL */
  /* Lines sent right after Authorization (AWS SigV4's X-Amz-Date and
   * x-amz-content-sha256), in order. */
  const struct cn_http_auth_header *auth_extra;
  size_t num_auth_extra;
  /* libcurl's auth probe: the body is left out, "Content-Length: 0" is
   * sent and the program's own Content-Length line is not. */
  bool auth_probe;
  const char *range;         /* "bytes=..." or NULL */
  const char *content_range; /* a resumed upload's, or NULL */
  const char *user_agent;
  const char *accept_encoding;
  bool te_gzip; /* CURLOPT_TRANSFER_ENCODING: "Connection: TE" + "TE: gzip" */
  const char *referer;
  const char *cookie;
  /* The time condition line (If-Modified-Since...), unless the program
   * names that header itself; NULL name: none. */
  const char *time_cond_name;
  const char *time_cond_value;
  const char *const *user_lines;
  size_t num_user_lines;
  /* Drop the program's Authorization and Cookie lines (redirect to another
   * host without CURLOPT_UNRESTRICTED_AUTH). */
  bool strip_credentials;
  /* Ignore the program's Host line: a followed redirect went to another
   * host name than the first hop's (libcurl's Curl_http_host). */
  bool ignore_custom_host;
  bool has_body;
  int64_t body_size;  /* -1: unknown -> chunked */
  const char *default_content_type; /* for POST bodies; NULL: none */
  /* default_content_type is the body's own: the program's Content-Type
   * line is not sent (libcurl, MIME and form posts). */
  bool body_content_type;
  bool http10;
  /* No "Expect: 100-continue" of our own (a 417 answered it before). */
  bool disable_expect;
  /* h2c upgrade: the HTTP2-Settings value (base64url); NULL: none. An
   * upgrading request never announces 100-continue. */
  const char *h2c_settings;
  /* "host:port" of the alternative service in use (Alt-Used), or NULL. */
  const char *alt_used;
  /* A WebSocket upgrade's Sec-WebSocket-Key: Upgrade, Connection,
   * Sec-WebSocket-Version and the key go before the program's lines
   * (each unless the program names it), as libcurl sends them. */
  const char *ws_key;
};

/* Bodies larger than this (or of unknown size) get "Expect: 100-continue"
 * on HTTP/1.1 (libcurl's EXPECT_100_THRESHOLD). */
#define CN_EXPECT_100_THRESHOLD (1024 * 1024)

struct cn_header_list;

/* cn_profile_headers_build fills |out| the way a browser orders its
 * request: |defaults| is the profile's list (a NULL value marks where Host
 * and Connection go). The program's settings replace the profile's values
 * in place (User-Agent, Referer, Cookie...), its CURLOPT_HTTPHEADER lines
 * take the place of the header they name, and new ones go where the
 * browser would put them. |h2|: HTTP/2 field names (lower case, no Host or
 * Connection). */
int cn_profile_headers_build(struct cn_http_request_headers *out,
                             const struct cn_header_list *defaults, bool h2,
                             const struct cn_request_headers_input *in,
                             bool *out_chunked);

/* cn_request_headers_build fills the initialised, empty |out|. CN_OK,
 * or CN_ERR_OUT_OF_MEMORY (a body of unknown size over HTTP/1.0 is refused
 * by the caller, url_request.c).
 * *out_chunked tells whether the body is to be sent with chunked coding (a
 * program may also ask by header). */
int cn_request_headers_build(struct cn_http_request_headers *out,
                             const struct cn_request_headers_input *in,
                             bool *out_chunked);

#endif
