/* http_auth_sigv4.h: AWS Signature Version 4 for one request, as libcurl
 * 8.14's CURLOPT_AWS_SIGV4 makes it (lib/http_aws_sigv4.c): the canonical
 * request, the string to sign, the HMAC-SHA256 signing key chain and the
 * headers it adds.
 *
 * The parameter string is "provider1[:provider2[:region[:service]]]"
 * (NULL or "" means "aws:amz"; each part at most 64 bytes). A missing
 * service (and then region) comes from the host name's first (and second)
 * label: "ec2.us-east-1.amazonaws.com" signs for ec2 in us-east-1.
 *
 * Headers produced, in the order libcurl sends them (where the
 * Authorization header goes):
 *   Authorization: PROVIDER14-HMAC-SHA256 Credential=..., SignedHeaders=...,
 *                  Signature=...
 *   X-Provider2-Date: YYYYMMDDTHHMMSSZ   unless the program sends it (or Date)
 *   x-provider2-content-sha256: ...      only for provider1 "aws" + service
 *                                        "s3", unless the program sends it
 * Nothing at all when the program sends its own Authorization header.
 *
 * Pure: the time is an input (libcurl's debug builds use 0 under
 * CURL_FORCETIME, which is what curl's tests expect). */
#ifndef CN_HTTP_AUTH_HTTP_AUTH_SIGV4_H
#define CN_HTTP_AUTH_HTTP_AUTH_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cn_net_log;

/* One header the auth code adds to a request (both strings owned). */
struct cn_http_auth_header {
  char *name;
  char *value;
};

#define CN_HTTP_AUTH_MAX_HEADERS 3

/* The added headers, in order; cn_http_auth_header_list_cleanup frees. */
struct cn_http_auth_header_list {
  struct cn_http_auth_header headers[CN_HTTP_AUTH_MAX_HEADERS];
  size_t num_headers;
};

void cn_http_auth_header_list_cleanup(struct cn_http_auth_header_list *l);
/* cn_http_auth_header_list_add appends copies of |name| and |value|: CN_OK,
 * CN_ERR_OUT_OF_MEMORY or CN_ERR_UNEXPECTED when full (list unchanged). */
int cn_http_auth_header_list_add(struct cn_http_auth_header_list *l,
                                 const char *name, const char *value);

struct cn_aws_sigv4_request {
  const char *params;    /* CURLOPT_AWS_SIGV4; NULL or "": "aws:amz" */
  const char *method;    /* as sent */
  const char *host;      /* the URL's host name (service/region fallback) */
  const char *authority; /* the Host header value libcurl would send */
  const char *path;      /* the URL's path as sent (percent-encoded) */
  const char *query;     /* the URL's query without '?', NULL: none */
  const char *user;      /* access key id (NULL: "") */
  const char *password;  /* secret key (NULL: "") */
  /* CURLOPT_HTTPHEADER lines, as given (borrowed). */
  const char *const *user_headers;
  size_t num_user_headers;
  /* The body, for the payload hash. libcurl hashes CURLOPT_POSTFIELDS
   * only: |post_fields| NULL hashes the empty string. For s3 it sends
   * UNSIGNED-PAYLOAD instead unless the request kind is GET/HEAD
   * (|get_or_head|, libcurl's httpreq, not the custom method), the
   * INFILESIZE is 0, or it is a POST of POSTFIELDS (|post_fields_post|). */
  const void *post_fields;
  size_t post_fields_len;
  bool post_fields_post;
  bool get_or_head;
  int64_t infile_size; /* CURLOPT_INFILESIZE(_LARGE); -1 unknown */
  bool path_as_is;     /* CURLOPT_PATH_AS_IS: libcurl refuses to sign */
  int64_t now;         /* seconds since the epoch */
  const struct cn_net_log *log; /* may be NULL */
};

/* cn_aws_sigv4_sign fills the empty |out| with the headers to add.
 * Returns CN_OK; CN_ERR_OUT_OF_MEMORY; CN_ERR_BAD_OPTION_VALUE (libcurl's
 * CURLE_BAD_FUNCTION_ARGUMENT: empty first provider, or PATH_AS_IS);
 * CN_ERR_INVALID_URL (CURLE_URL_MALFORMAT: no service or region in the
 * parameters and none in the host name); CN_ERR_INPUT_TOO_LARGE (libcurl's
 * CURLE_TOO_LARGE: 128 or more query parts). Like libcurl, a program date
 * header given as "X-Amz-Date;" (no colon) fails with
 * CN_ERR_OUT_OF_MEMORY. Error texts go to |log| as
 * libcurl's failf does. On failure |out| is left empty. */
int cn_aws_sigv4_sign(struct cn_http_auth_header_list *out,
                      const struct cn_aws_sigv4_request *req);

#endif
