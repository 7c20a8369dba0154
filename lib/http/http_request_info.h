/* http_request_info.h: everything the HTTP layer needs to send one request
 * (Chromium's HttpRequestInfo). Built by lib/url_request for each hop of a
 * transfer; borrowed by the transaction until it finishes. */
#ifndef CN_HTTP_HTTP_REQUEST_INFO_H
#define CN_HTTP_HTTP_REQUEST_INFO_H

#include <stdbool.h>

#include "socket/client_socket_pool.h"

struct cn_http_request_headers;
struct cn_upload_data_stream;
struct cn_net_log;

struct cn_http_request_info {
  const char *method;         /* "GET", "POST", custom */
  const char *request_target; /* origin-form "/p?q" (absolute-form via proxy) */
  /* The complete header list in send order, Host included (HTTP/2 turns
   * Host into :authority). Borrowed. */
  const struct cn_http_request_headers *headers;
  struct cn_upload_data_stream *upload; /* borrowed; NULL: no body */
  bool upload_chunked;  /* send the body with chunked coding (size unknown) */
  bool expect_no_body;  /* HEAD: the response has no body */
  bool forbid_reuse;    /* close the connection after this exchange */
  int http_minor;       /* 0 for HTTP/1.0 requests, 1 otherwise */
  bool ignore_content_length; /* CURLOPT_IGNORE_CONTENT_LENGTH */
  /* Status-line prefixes taken as "HTTP/1.0 200" (CURLOPT_HTTP200ALIASES);
   * borrowed. */
  const char *const *http200_aliases;
  size_t num_http200_aliases;
  struct cn_socket_params socket; /* where to connect; strings borrowed */
  const struct cn_net_log *log;
};

#endif
