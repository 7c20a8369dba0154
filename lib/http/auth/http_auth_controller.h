/* http_auth_controller.h: server authentication for one easy handle, the
 * way libcurl 8.14 runs it (http.c: Curl_http_output_auth,
 * Curl_http_input_auth, Curl_http_auth_act), shaped like Chromium's
 * HttpAuthController: before each request it says which Authorization
 * header(s) to send; after each response head it reads WWW-Authenticate
 * and says whether to send the request again with (new) credentials.
 *
 * The rules kept:
 * - The wanted schemes (CURLOPT_HTTPAUTH) start as the "picked" set. One
 *   bit (Basic, the default; Bearer; AWS SigV4; Digest) is used at once;
 *   several bits (CURLAUTH_ANY, ANYSAFE, ...) send nothing until a 401 names
 *   the schemes the server takes.
 * - On a 401 (with a user name or a bearer token) the best offered scheme
 *   is picked, in libcurl's order: Negotiate > Bearer > Digest > NTLM >
 *   Basic > AWS SigV4, among the wanted and built ones (Bearer only with a
 *   token). Picked: the request is made again. Nothing usable, or a 401
 *   after Basic/Bearer were already sent, or a rejected Digest (a new nonce
 *   without stale=true): libcurl's "auth problem" - no more tries in this
 *   transfer, the 401 goes to the program.
 * - Digest alone (not yet challenged) on a request with a body (POST, PUT,
 *   libcurl's request kind, not the custom method) makes that request a
 *   body-less probe ("Content-Length: 0"): |out_probe|.
 * - Credentials go only where the caller says they may
 *   (|allowed_to_host|: libcurl's Curl_auth_allowed_to_host or .netrc).
 * - The picked scheme, Digest's nonce and nonce count survive between
 *   transfers of the same handle (libcurl keeps them in the easy handle
 *   until curl_easy_reset).
 *
 * Scheme bits have CURLAUTH_*'s values, so the api layer maps by identity;
 * CURLAUTH_DIGEST_IE is DIGEST plus the |digest_ie| flag. Built: Basic,
 * Digest, NTLM, Bearer, AWS SigV4 (CN_HTTP_AUTH_BUILT); Negotiate
 * challenges are ignored as in a libcurl built without it.
 *
 * NTLM authenticates a connection: its state is the connection's
 * (struct cn_http_auth_ntlm_conn, attached to the pooled socket), so the
 * caller passes it in once the connection is known. While NTLM is the
 * scheme in use (cn_http_auth_controller_uses_ntlm) the caller asks for
 * the request's headers only after it has the connection.
 *
 * Embedded object: cn_http_auth_controller_init()/_cleanup(); it owns its
 * Digest state. Not thread-safe (one easy handle). */
#ifndef CN_HTTP_AUTH_HTTP_AUTH_CONTROLLER_H
#define CN_HTTP_AUTH_HTTP_AUTH_CONTROLLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/auth/http_auth_digest.h"
#include "http/auth/http_auth_ntlm.h"
#include "http/auth/http_auth_sigv4.h"

struct cn_http_response_headers;
struct cn_net_log;

#define CN_HTTP_AUTH_NONE 0UL
#define CN_HTTP_AUTH_BASIC (1UL << 0)
#define CN_HTTP_AUTH_DIGEST (1UL << 1)
#define CN_HTTP_AUTH_NEGOTIATE (1UL << 2)
#define CN_HTTP_AUTH_NTLM (1UL << 3)
#define CN_HTTP_AUTH_BEARER (1UL << 6)
#define CN_HTTP_AUTH_AWS_SIGV4 (1UL << 7)
#define CN_HTTP_AUTH_PICKNONE (1UL << 30) /* "picked nothing" marker */
#define CN_HTTP_AUTH_ONLY (1UL << 31)
#define CN_HTTP_AUTH_BUILT                                                  \
  (CN_HTTP_AUTH_BASIC | CN_HTTP_AUTH_DIGEST | CN_HTTP_AUTH_NTLM |           \
   CN_HTTP_AUTH_BEARER | CN_HTTP_AUTH_AWS_SIGV4)

struct cn_http_auth_controller {
  /* Proxy authentication (libcurl's authproxy): 407, Proxy-Authenticate,
   * Proxy-Authorization, "Proxy auth using ..." (set by
   * cn_http_auth_controller_init_proxy). */
  bool proxy;
  unsigned long want;   /* this transfer's wanted schemes */
  unsigned long picked; /* one scheme, or |want| before the first 401 */
  unsigned long avail;  /* offered by the response being read */
  bool digest_ie;       /* CURLAUTH_DIGEST_IE: digest-uri without query */
  bool done;            /* the picked scheme sent its final header */
  bool multipass;       /* the picked scheme needs a challenge first */
  bool problem;         /* libcurl's authproblem: stop for this transfer */
  bool probe;           /* the last request went without its body */
  unsigned long info_avail; /* CURLINFO_HTTPAUTH_AVAIL of this transfer */
  unsigned long info_used;  /* CURLINFO_HTTPAUTH_USED of this transfer */
  struct cn_http_auth_digest digest;
  /* cnonce randomness; NULL: cn_http_auth_random_bytes (tests set it). */
  cn_http_auth_random_fn random;
  void *random_ctx;
};

void cn_http_auth_controller_init(struct cn_http_auth_controller *c);
/* cn_http_auth_controller_init_proxy: the same for proxy authentication
 * (CURLOPT_PROXYAUTH): the controller answers 407s with the
 * Proxy-Authorization header; Bearer and SigV4 never apply. */
void cn_http_auth_controller_init_proxy(struct cn_http_auth_controller *c);
/* cn_http_auth_controller_cleanup frees the Digest state and leaves |c|
 * initialised (so curl_easy_reset is cleanup alone). */
void cn_http_auth_controller_cleanup(struct cn_http_auth_controller *c);

/* cn_http_auth_controller_start_transfer begins a transfer (libcurl's
 * Curl_pretransfer): |want| are the wanted CN_HTTP_AUTH_* bits (libcurl's
 * default is BASIC; CURLOPT_AWS_SIGV4 makes it AWS_SIGV4), a picked scheme
 * no longer wanted is dropped, and the per-transfer state (problem, the
 * getinfo values) starts over. */
void cn_http_auth_controller_start_transfer(struct cn_http_auth_controller *c,
                                            unsigned long want,
                                            bool digest_ie);

/* What the controller needs to know about one request (all borrowed). */
struct cn_http_auth_request {
  const char *method;   /* as sent (CUSTOMREQUEST included) */
  bool get_or_head;     /* libcurl's request kind is GET or HEAD */
  const char *host;     /* URL host name (SigV4's service/region fallback) */
  const char *authority; /* Host header value as sent (SigV4) */
  const char *path;     /* URL path as sent, never empty ("/") */
  const char *query;    /* URL query without '?', NULL: none */
  const char *user;     /* this hop's user name, NULL: none */
  const char *password; /* NULL: empty */
  const char *bearer;   /* CURLOPT_XOAUTH2_BEARER, NULL: none */
  const char *aws_sigv4; /* CURLOPT_AWS_SIGV4 (NULL: "aws:amz") */
  /* false after a redirect to another host/port/scheme without
   * CURLOPT_UNRESTRICTED_AUTH, unless this hop's credentials came from
   * .netrc: then no Authorization is made. */
  bool allowed_to_host;
  /* CURLOPT_HTTPHEADER lines: a program Authorization header stops Basic,
   * Bearer and SigV4 (not Digest), and SigV4 signs the program's headers. */
  const char *const *user_headers;
  size_t num_user_headers;
  /* SigV4's payload: see struct cn_aws_sigv4_request. */
  const void *post_fields;
  size_t post_fields_len;
  bool post_fields_post;
  int64_t infile_size;
  bool path_as_is;
  int64_t now; /* seconds since the epoch (SigV4 date, NTLMv2 stamp) */
  /* The connection's NTLM state; NULL while the connection is not known
   * (NTLM then sends nothing). */
  struct cn_http_auth_ntlm_conn *ntlm_conn;
  const struct cn_net_log *log; /* may be NULL */
};

/* cn_http_auth_controller_uses_ntlm: the next request's credentials
 * depend on its connection (NTLM is the scheme in use). */
bool cn_http_auth_controller_uses_ntlm(const struct cn_http_auth_controller *c);
/* cn_http_auth_controller_wants_ntlm: NTLM is among the wanted schemes, so
 * the request may take an idle connection NTLM authenticated for the same
 * credentials. */
bool cn_http_auth_controller_wants_ntlm(
    const struct cn_http_auth_controller *c);

/* cn_http_auth_controller_add_auth decides the request's credentials:
 * |out| (empty on entry) gets the headers to send where libcurl puts
 * Authorization (for SigV4 also X-Amz-Date and x-amz-content-sha256, in
 * that order); *out_probe says to send the request without its body, with
 * "Content-Length: 0" (and no program Content-Length). CN_OK,
 * CN_ERR_OUT_OF_MEMORY, or SigV4's errors (see http_auth_sigv4.h), which
 * end the transfer as they do in libcurl. */
int cn_http_auth_controller_add_auth(struct cn_http_auth_controller *c,
                                     const struct cn_http_auth_request *req,
                                     struct cn_http_auth_header_list *out,
                                     bool *out_probe);

/* What the controller needs to know about one response head. */
struct cn_http_auth_response {
  const struct cn_http_response_headers *head;
  bool have_user;   /* the request had a user name (even "") */
  bool have_bearer; /* CURLOPT_XOAUTH2_BEARER is set */
  bool get_or_head; /* libcurl's request kind is GET or HEAD */
  /* The connection's NTLM state (NULL: none), for an NTLM challenge. */
  struct cn_http_auth_ntlm_conn *ntlm_conn;
  /* The connection closes after this response: an NTLM challenge on it is
   * lost (libcurl: "Connection closure while negotiating auth"). */
  bool connection_closes;
  const struct cn_net_log *log;
};

/* cn_http_auth_controller_on_response reads a final response head (1xx are
 * ignored): on a 401 its WWW-Authenticate fields, then libcurl's decision.
 * *out_restart true: send the same request again (same URL and method,
 * upload rewound), the 401's body is not for the program. false: the
 * response is the answer; with CURLOPT_FAILONERROR a 401 then fails like
 * any status >= 400. CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_http_auth_controller_on_response(struct cn_http_auth_controller *c,
                                        const struct cn_http_auth_response *r,
                                        bool *out_restart);

#endif
