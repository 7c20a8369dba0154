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
  const char *authorization; /* full value ("Basic ...") or NULL */
  /* Lines sent right after Authorization (AWS SigV4's X-Amz-Date and
   * x-amz-content-sha256), in order. */
  const struct cn_http_auth_header *auth_extra;
  size_t num_auth_extra;
  /* libcurl's auth probe: the body is left out, "Content-Length: 0" is
   * sent and the program's own Content-Length line is not. */
  bool auth_probe;
  const char *range;         /* "bytes=..." or NULL */
  const char *user_agent;
  const char *accept_encoding;
  bool te_gzip; /* CURLOPT_TRANSFER_ENCODING: "Connection: TE" + "TE: gzip" */
  const char *referer;
  const char *cookie;
  const char *const *user_lines;
  size_t num_user_lines;
  /* Drop the program's Authorization and Cookie lines (redirect to another
   * host without CURLOPT_UNRESTRICTED_AUTH). */
  bool strip_credentials;
  bool has_body;
  int64_t body_size;  /* -1: unknown -> chunked */
  const char *default_content_type; /* for POST bodies; NULL: none */
  /* default_content_type is the body's own: the program's Content-Type
   * line is not sent (libcurl, MIME and form posts). */
  bool body_content_type;
  bool http10;
};

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
 * CN_ERR_OUT_OF_MEMORY, or CN_ERR_UPLOAD_SIZE_REQUIRED for a body of
 * unknown size over HTTP/1.0 that the program gave no Transfer-Encoding.
 * *out_chunked tells whether the body is to be sent with chunked coding (a
 * program may also ask by header). */
int cn_request_headers_build(struct cn_http_request_headers *out,
                             const struct cn_request_headers_input *in,
                             bool *out_chunked);

#endif
