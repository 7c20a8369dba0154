/* cookie_store.h: the cookie jar (libcurl's CookieInfo) with libcurl
 * 8.14's rules for what is kept and what is sent.
 *
 * Storing (cn_cookie_store_add and the wrappers below):
 *   - __Secure- cookies must be Secure; __Host- cookies Secure, Path "/"
 *     and without Domain;
 *   - a cookie for a public suffix (libpsl) is dropped unless the suffix is
 *     the request host itself; IP addresses skip the check;
 *   - a cookie replaces the one with the same name, domain (and host-only
 *     flag) and path, keeping its creation order; one read from a file
 *     never replaces one set by a server ("live");
 *   - from an insecure origin, a cookie may not overlay a Secure cookie of
 *     the same name and domain whose first path segment it shares;
 *   - at most 50 Set-Cookie lines count per response;
 *   - with COOKIESESSION, session cookies read from files are dropped.
 * Sending (cn_cookie_store_header_for): unexpired cookies whose domain and
 * path match, Secure ones only to a secure context, at most 150, sorted by
 * path length, domain length, name length (longest first), then newest
 * first; the header stays under 8190 bytes.
 *
 * Cookies live in libcurl's 63 hash buckets keyed by the last two labels of
 * the domain, which decides the order of CURLINFO_COOKIELIST and also which
 * cookies a host can see (exactly as libcurl: a cookie for "localhost" is
 * not sent to "a.localhost").
 *
 * Thread safety: with lock hooks set (a store shared through curl_share,
 * CURL_LOCK_DATA_COOKIE), every function below runs between lock(arg,
 * true) and lock(arg, false); none calls another under the lock.
 *
 * Ownership: the creator owns the store (an easy handle, or a share
 * handle). Strings passed in are copied. */
#ifndef CN_COOKIES_COOKIE_STORE_H
#define CN_COOKIES_COOKIE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cookies/cookie_parser.h"

struct cn_buf;
struct cn_net_log;
struct cn_psl_cache;
struct cn_cookie_store;

/* Limits, libcurl's numbers. */
#define CN_COOKIE_MAX_SET_PER_RESPONSE 50
#define CN_COOKIE_MAX_SEND 150
#define CN_COOKIE_MAX_HEADER_LEN 8190 /* "Cookie: " + cookies */

typedef void (*cn_cookie_store_lock_fn)(void *arg, bool lock);
/* Wall clock in seconds since the epoch (tests use a fake one). */
typedef int64_t (*cn_cookie_clock_fn)(void *arg);

/* cn_cookie_store_new returns an empty store or NULL when out of memory;
 * cn_cookie_store_free frees it and its cookies (NULL-safe). */
struct cn_cookie_store *cn_cookie_store_new(void);
void cn_cookie_store_free(struct cn_cookie_store *s);

/* cn_cookie_store_set_lock installs lock hooks (NULL |fn|: none). */
void cn_cookie_store_set_lock(struct cn_cookie_store *s,
                              cn_cookie_store_lock_fn fn, void *arg);
/* cn_cookie_store_set_clock replaces the wall clock (NULL: the real one). */
void cn_cookie_store_set_clock(struct cn_cookie_store *s,
                               cn_cookie_clock_fn fn, void *arg);
/* cn_cookie_store_now returns the store's clock. */
int64_t cn_cookie_store_now(struct cn_cookie_store *s);

/* How one line is to be added. */
struct cn_cookie_add_params {
  bool header;     /* a Set-Cookie value; false: a Netscape file line */
  bool live;       /* from a server or the API (libcurl's "running");
                      false while reading a cookie file */
  bool newsession; /* with !live: drop session cookies (COOKIESESSION) */
  bool noexpire;   /* skip the expiry sweep before adding (file loads
                      sweep once at the end) */
  const char *domain; /* request host for the default domain, tail match
                         and PSL check; NULL for file and API lines */
  const char *path;   /* request path (no query) for the default path */
  bool secure;        /* secure origin (true for file and API lines) */
  struct cn_psl_cache *psl;     /* NULL: the process-wide list */
  const struct cn_net_log *log; /* may be NULL */
  /* Set-Cookie lines accepted so far from this response (counted and
   * limited to CN_COOKIE_MAX_SET_PER_RESPONSE); NULL: no limit. */
  unsigned *num_set;
};

/* cn_cookie_store_add parses |line| and stores the cookie if the rules
 * allow. Returns CN_OK (also when the cookie was rejected: that is not an
 * error, as in libcurl) or CN_ERR_OUT_OF_MEMORY (nothing stored).
 * *out_status (may be NULL) tells what happened. */
int cn_cookie_store_add(struct cn_cookie_store *s,
                        const struct cn_cookie_add_params *p,
                        const char *line, enum cn_cookie_status *out_status);

/* struct cn_cookie_origin: the cookie view of one request (hop), as
 * libcurl's http.c computes it. Build one per request with
 * cn_cookie_origin_init; it feeds both the Cookie header and the storing of
 * that response's Set-Cookie headers. */
struct cn_cookie_origin {
  const char *host; /* cookie host: the program's Host header or the URL's */
  const char *path; /* URL path, no query */
  bool secure;      /* https/wss, or host localhost/127.0.0.1/::1 */
  struct cn_psl_cache *psl;     /* borrowed; NULL: process-wide */
  const struct cn_net_log *log; /* borrowed; may be NULL */
  unsigned num_set;             /* Set-Cookie lines counted so far */
  char *owned_host;             /* host copy when it came from a header */
};

/* cn_cookie_origin_init fills |o| for a request to |scheme|://|url_host|
 * |url_path| (url_host without IPv6 brackets; url_path as in the URL,
 * "/" when empty, no query). |custom_host| is the value of the program's
 * "Host:" header or NULL: libcurl uses it (port and IPv6 brackets removed)
 * instead of the URL's host unless the request follows a redirect to a
 * host other than |first_host| (|is_follow|). Borrowed strings must outlive
 * |o|. CN_OK or CN_ERR_OUT_OF_MEMORY (|o| then needs no cleanup). */
int cn_cookie_origin_init(struct cn_cookie_origin *o, const char *scheme,
                          const char *url_host, const char *url_path,
                          const char *custom_host, bool is_follow,
                          const char *first_host, struct cn_psl_cache *psl,
                          const struct cn_net_log *log);
void cn_cookie_origin_cleanup(struct cn_cookie_origin *o);

/* cn_cookie_store_set_cookie_header stores one Set-Cookie header value
 * received in answer to |o|'s request (any response: redirects and
 * interim ones included). Same results as cn_cookie_store_add. */
int cn_cookie_store_set_cookie_header(struct cn_cookie_store *s,
                                      struct cn_cookie_origin *o,
                                      const char *value,
                                      enum cn_cookie_status *out_status);

/* cn_cookie_store_add_api_line adds a CURLOPT_COOKIELIST line: "Set-Cookie:
 * ..." (prefix case-insensitive) in header format without a request host,
 * else a Netscape line. Same results as cn_cookie_store_add. */
int cn_cookie_store_add_api_line(struct cn_cookie_store *s, const char *line,
                                 const struct cn_net_log *log,
                                 enum cn_cookie_status *out_status);

/* cn_cookie_store_header_for appends "n1=v1; n2=v2" (no "Cookie: ") for a
 * request to |host| |path| to |out|; nothing when no cookie matches.
 * *out_count is the number of cookies appended, *out_capped true when a
 * cookie was left out to keep the header within 8190 bytes (libcurl then
 * also leaves out CURLOPT_COOKIE). CN_OK or CN_ERR_OUT_OF_MEMORY (|out|
 * may then hold part of the value). Expired cookies are removed first. */
int cn_cookie_store_header_for(struct cn_cookie_store *s, const char *host,
                               const char *path, bool secure,
                               const struct cn_net_log *log,
                               struct cn_buf *out, size_t *out_count,
                               bool *out_capped);

/* cn_cookie_request_header builds the whole Cookie header value for |o|'s
 * request as libcurl's http_cookies does: the store's cookies (|s| may be
 * NULL: cookie engine off) and then |extra| (CURLOPT_COOKIE as given; pass
 * NULL when unset or when the program sends its own "Cookie" header line),
 * joined with "; ". *out_value is a cn_malloc'd string, or NULL when no
 * Cookie header is to be sent. CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_cookie_request_header(struct cn_cookie_store *s,
                             const struct cn_cookie_origin *o,
                             const char *extra, char **out_value);

/* cn_cookie_store_remove_expired drops cookies whose time has passed. */
void cn_cookie_store_remove_expired(struct cn_cookie_store *s);
/* cn_cookie_store_clear_all drops every cookie (COOKIELIST "ALL"). */
void cn_cookie_store_clear_all(struct cn_cookie_store *s);
/* cn_cookie_store_clear_session drops session cookies ("SESS"). */
void cn_cookie_store_clear_session(struct cn_cookie_store *s);
/* cn_cookie_store_count: cookies held (expired ones not yet swept too). */
size_t cn_cookie_store_count(struct cn_cookie_store *s);

/* cn_cookie_store_netscape_lines returns every cookie that has a domain as
 * a Netscape line (no newline), in an array of cn_malloc'd strings
 * (*out_lines NULL and *out_num 0 when the store is empty; free with
 * cn_cookie_lines_free).
 *   for_file false: CURLINFO_COOKIELIST order (hash buckets), expired
 *     cookies included, as libcurl;
 *   for_file true: cookie-jar order (newest first), expired ones removed.
 * CN_OK or CN_ERR_OUT_OF_MEMORY (outputs untouched). */
int cn_cookie_store_netscape_lines(struct cn_cookie_store *s, bool for_file,
                                   char ***out_lines, size_t *out_num);
void cn_cookie_lines_free(char **lines, size_t num);

/* cn_cookie_store_foreach calls |fn| for each cookie in bucket order under
 * the lock; |fn| must not call back into the store. */
void cn_cookie_store_foreach(struct cn_cookie_store *s,
                             void (*fn)(void *ctx, const struct cn_cookie *co),
                             void *ctx);

#endif
